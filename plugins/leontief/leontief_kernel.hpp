// leontief's numeric kernel, on plain matrices (tested without tables).
#pragma once

#include <Eigen/Dense>

#include "klaster/sdk/io_table.hpp"

namespace klaster::plugins::leontief {

/// \brief Output multipliers of a productive system and their split (Miller & Blair 2009, eq. 6.2;
/// Eurostat manual 2008, 15.2): m_j = sum_i l_ij = 1 + direct_j + indirect_j.
struct OutputMultipliers {
  Eigen::VectorXd multiplier;  // column sums of L = (I - A)^-1
  Eigen::VectorXd direct;      // column sums of A: first-round purchases per unit of output
  Eigen::VectorXd indirect;    // m - 1 - direct: the rounds after the first
};

/// \brief The multipliers of technical coefficients `A`, whose (I - A) `leontief` has factorised
/// (one transposed solve, no inverse).
OutputMultipliers output_multipliers(const Eigen::MatrixXd& A, const sdk::LeontiefSolver& leontief);

}  // namespace klaster::plugins::leontief
