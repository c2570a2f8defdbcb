// compare's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace klaster::plugins::compare {

/// \brief The row of one side that an output row comes from, or kNoRow where that side lacks
/// the key.
constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);
struct RowPair {
  std::size_t baseline = kNoRow;
  std::size_t scenario = kNoRow;
};

/// \brief Joins two tables on their keys (dense numbers: equal for equal key cells in both
/// tables, unique within each table; `*_at[key]` is the row holding `key`, or kNoRow): every
/// baseline row in order with its scenario row, then the scenario rows whose key the baseline
/// lacks, in order.
std::vector<RowPair> join_rows(const std::vector<std::uint64_t>& baseline_keys,
                               const std::vector<std::uint64_t>& scenario_keys,
                               const std::vector<std::size_t>& baseline_at,
                               const std::vector<std::size_t>& scenario_at);

/// \brief change = s - b and relative_change = (s - b) / b; nullopt where a side is missing, and
/// the relative change also where b = 0 (a relative change from zero is undefined).
struct Comparison {
  std::optional<double> change;
  std::optional<double> relative_change;
};
Comparison compare(std::optional<double> baseline, std::optional<double> scenario);

}  // namespace klaster::plugins::compare
