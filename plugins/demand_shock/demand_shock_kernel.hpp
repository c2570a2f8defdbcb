// demand_shock's numeric kernel, on plain vectors (tested without tables).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

namespace klaster::plugins::demand_shock {

/// \brief The final-demand change Δf over `sectors` sectors (Miller & Blair 2009, sec. 2.4): for
/// target sector j = targets[k], Δf_j = amounts[k] (absolute) or amounts[k] * base_j (relative,
/// base = f or one final-demand column); 0 for the other sectors. One amount per target.
Eigen::VectorXd final_demand_change(std::size_t sectors, const std::vector<std::size_t>& targets,
                                    const std::vector<double>& amounts, const Eigen::VectorXd& base,
                                    bool relative);

}  // namespace klaster::plugins::demand_shock
