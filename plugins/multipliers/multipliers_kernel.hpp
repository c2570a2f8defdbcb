// multipliers' numeric kernel, on plain vectors and the SDK's Leontief solvers (tested without
// tables).
#pragma once

#include <Eigen/Dense>

#include "klaster/sdk/io_table.hpp"

namespace klaster::plugins::multipliers {

/// \brief The effect of one unit of final demand for each sector j on a quantity with
/// coefficients k per unit of output, split as in Miller & Blair (2009), sec. 6.2-6.4.
struct Effects {
  Eigen::VectorXd initial;   // k_j
  Eigen::VectorXd indirect;  // Type I effect - initial
  Eigen::VectorXd induced;   // Type II effect - Type I effect; empty for Type I
  Eigen::VectorXd effect;    // the total for the type: Type I or Type II effect
};

/// \brief Type I effect (k' L)_j, L = (I - A)^-1, by one transposed solve with `leontief`
/// (Miller & Blair 2009, sec. 6.2).
Eigen::VectorXd type1_effect(const sdk::LeontiefSolver& leontief, const Eigen::VectorXd& k);

/// \brief Type II effect with households closed: `closed` factorises I - A*, A* = [A c; h' 0]
/// with households last (sdk::type2_solver). The effect is k' L* over the sectors, or for income
/// (`household_row`) the household row of L* (Miller & Blair 2009, eqs. 6.20-6.23).
Eigen::VectorXd type2_effect(const sdk::LeontiefSolver& closed, const Eigen::VectorXd& k,
                             bool household_row);

/// \brief The split of one quantity's effects; `type2` is empty for Type I.
Effects split_effects(const Eigen::VectorXd& k, const Eigen::VectorXd& type1,
                      const Eigen::VectorXd& type2);

/// \brief effect_j / initial_j, the multiplier as a ratio (Miller & Blair 2009, sec. 6.3: e.g. the
/// Type I income multiplier). Every initial must be non-zero.
Eigen::VectorXd ratio_multiplier(const Effects& e);

}  // namespace klaster::plugins::multipliers
