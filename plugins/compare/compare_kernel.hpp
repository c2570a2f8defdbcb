// compare's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace klaster::plugins::compare {

/// \brief The row of one side that an output row comes from, or kNoRow where that side lacks
/// the key.
constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);
struct RowPair {
  std::size_t baseline = kNoRow;
  std::size_t scenario = kNoRow;
};

/// \brief Joins two tables on their keys (one string per row, unique within its table, `*_at`
/// mapping each key to its row): every baseline row in order with its scenario row, then the
/// scenario rows whose key the baseline lacks, in order.
std::vector<RowPair> join_rows(const std::vector<std::string>& baseline_keys,
                               const std::vector<std::string>& scenario_keys,
                               const std::unordered_map<std::string, std::size_t>& baseline_at,
                               const std::unordered_map<std::string, std::size_t>& scenario_at);

/// \brief change = s - b and relative_change = (s - b) / b; nullopt where a side is missing, and
/// the relative change also where b = 0 (a relative change from zero is undefined).
struct Comparison {
  std::optional<double> change;
  std::optional<double> relative_change;
};
Comparison compare(std::optional<double> baseline, std::optional<double> scenario);

}  // namespace klaster::plugins::compare
