// io_impact's numeric kernel, on plain vectors and the SDK's Leontief solvers (tested without
// tables).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "klaster/sdk/io_table.hpp"

namespace klaster::plugins::io_impact {

/// \brief Δf over `sectors` sectors: each value added at its sector's position (repeated sectors
/// add up).
Eigen::VectorXd sum_by_sector(std::size_t sectors, const std::vector<std::size_t>& sector_of,
                              const std::vector<double>& values);

/// \brief Δx* with households closed: the first n entries of (I - A*)^-1 [Δf; 0], where `closed`
/// factorises I - A* with households last (Miller & Blair 2009, eq. 6.20; sdk::type2_solver).
Eigen::VectorXd type2_output_change(const sdk::LeontiefSolver& closed, const Eigen::VectorXd& df);

/// \brief One quantity's change per sector, located in the sector where it occurs: the output
/// parts times the quantity's coefficient k per unit of output (Miller & Blair 2009, 2.3, 6.4).
struct ImpactParts {
  Eigen::VectorXd direct;    // k_i Δf_i
  Eigen::VectorXd indirect;  // k_i (L Δf - Δf)_i
  Eigen::VectorXd induced;   // k_i (Δx* - L Δf)_i; empty for Type I
  Eigen::VectorXd total;     // k_i Δx_i: the sum of the parts
};
/// \brief The parts for demand change `df`, Type I output change `dx1` = L Δf and Type II output
/// change `dx2` (empty for Type I).
ImpactParts impact_parts(const Eigen::VectorXd& k, const Eigen::VectorXd& df,
                         const Eigen::VectorXd& dx1, const Eigen::VectorXd& dx2);

}  // namespace klaster::plugins::io_impact
