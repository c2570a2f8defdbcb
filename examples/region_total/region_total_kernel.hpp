// region_total's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <vector>

namespace klaster::plugins::region_total {

/// \brief total_r = sum_i x_ri for each of `n_regions` regions, from the values of a region-major
/// R x I block (x_ri at r * I + i, as in a Cube without years).
std::vector<double> totals(const std::vector<double>& values, std::size_t n_regions);

}  // namespace klaster::plugins::region_total
