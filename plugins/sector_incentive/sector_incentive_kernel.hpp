// sector_incentive's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace klaster::plugins::sector_incentive {

/// \brief One key column's choice: the level of each row (-1 for a missing key) and whether each
/// level is chosen.
struct KeySelection {
  std::vector<std::int32_t> level_of_row;
  std::vector<std::uint8_t> chosen;
};

/// \brief 1 for each of `rows` rows whose level is chosen on every key, else 0 (a row with a
/// missing key is never selected).
std::vector<std::uint8_t> selected_rows(const std::vector<KeySelection>& keys, std::size_t rows);

/// \brief x' = factor * x, or nullopt when it leaves the range of a double.
std::optional<double> scaled(double value, double factor);
/// \brief x' = factor * x rounded to the nearest integer (halves away from zero), or nullopt when
/// it leaves the range of a 64-bit integer.
std::optional<std::int64_t> scaled(std::int64_t value, double factor);

}  // namespace klaster::plugins::sector_incentive
