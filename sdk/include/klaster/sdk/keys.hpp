// klaster SDK: dense indexes over key columns, for grouping rows without hashing strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "klaster/sdk/table.hpp"

namespace klaster::sdk {

/// \brief The distinct values of one key column, sorted (strings by bytes, ints numerically), and
/// for every row the index of its value among them (-1 where the row's value is missing).
struct Levels {
  ColumnType type = ColumnType::kString;
  std::vector<std::int32_t> of_row;         // per row: level index or -1 (empty if not asked for)
  std::vector<std::string> labels;          // per level, as text
  std::vector<std::int64_t> int_values;     // per level, for int columns
  std::vector<std::int32_t> level_of_code;  // string columns: dictionary code -> level (or -1)
  std::int64_t int_base = 0;                // int columns with a small range: value - int_base
  std::vector<std::int32_t> int_table;      //   -> level (or -1); empty for wide ranges
  std::size_t size() const { return labels.size(); }
  /// \brief The level of `row` of `column` (the column these levels were made from), or -1,
  /// without a per-row array: a table lookup for strings, a binary search for ints.
  std::int32_t level(const Column& column, std::size_t row) const {
    if (type == ColumnType::kString) {
      const std::int32_t code = column.codes[row];
      return code < 0 ? -1 : level_of_code[static_cast<std::size_t>(code)];
    }
    if (!column.is_valid(row)) return -1;
    const std::int64_t v = column.ints[row];
    if (!int_table.empty()) {  // unsigned: a value far below int_base wraps above the table
      const std::uint64_t d = static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(int_base);
      return d < int_table.size() ? int_table[static_cast<std::size_t>(d)] : -1;
    }
    return int_level(v);
  }
  std::int32_t int_level(std::int64_t value) const;
  /// \brief The level index of `label`, or -1.
  std::int32_t find(const std::string& label) const;
  /// \brief A column named `name` holding, for each entry of `levels`, that level's value.
  Column make_column(std::string name, const std::vector<std::int32_t>& levels) const;
};

/// \brief Levels of a string or int column. Throws Error for a float column. With `per_row` false
/// the per-row array `of_row` is left empty (use Levels::level(column, row)): for large tables.
Levels levels_of(const Column& column, bool per_row = true);

}  // namespace klaster::sdk
