// herfindahl's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace klaster::plugins::herfindahl {

/// \brief The concentration of one group of units.
struct GroupHhi {
  double hhi = 0;      // H = sum_k s_k^2, s_k = x_k / sum x (Herfindahl 1950)
  std::int64_t n = 0;  // units counted: all given, or only positive ones (count_zeros = false)
};

/// \brief H of the non-negative `values` of one group's units; nullopt when their total is not
/// positive (the shares are undefined).
std::optional<GroupHhi> group_hhi(const std::vector<double>& values, bool count_zeros);

/// \brief H* = (H - 1/n) / (1 - 1/n), between 0 and 1; nullopt for n <= 1, where it is 0/0.
std::optional<double> normalized_hhi(double hhi, std::int64_t n);

}  // namespace klaster::plugins::herfindahl
