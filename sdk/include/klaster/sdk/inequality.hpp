// klaster SDK: inequality measures shared by the concentration and specialisation indicators.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace klaster::sdk {

/// \brief Unweighted Gini of `v` (mean absolute difference over twice the mean), the form of
/// REAT's gini(): sum_j sum_k |v_j - v_k| / (2 n^2 mean). O(n log n) via the sorted form.
/// Sorts `v` in place (callers pass scratch they no longer need).
double plain_gini(std::vector<double>& v);

/// \brief Area Gini of the Lorenz curve of shares `s` against reference shares `t` (both summing
/// to 1, `t` as long as `s`), points ordered by s/t ascending: 1 - sum (T_k - T_k-1)(S_k + S_k-1).
/// Krugman (1991), Geography and Trade, ch. 2. `order` is scratch, resized here.
double lorenz_gini(const std::vector<double>& s, std::span<const double> t,
                   std::vector<std::size_t>& order);

}  // namespace klaster::sdk
