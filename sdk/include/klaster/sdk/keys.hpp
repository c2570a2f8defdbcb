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
  std::vector<std::int32_t> of_row;       // per row: level index or -1
  std::vector<std::string> labels;        // per level, as text
  std::vector<std::int64_t> int_values;   // per level, for int columns
  std::size_t size() const { return labels.size(); }
  /// \brief The level index of `label`, or -1.
  std::int32_t find(const std::string& label) const;
  /// \brief A column named `name` holding, for each entry of `levels`, that level's value.
  Column make_column(std::string name, const std::vector<std::int32_t>& levels) const;
};

/// \brief Levels of a string or int column. Throws Error for a float column.
Levels levels_of(const Column& column);

}  // namespace klaster::sdk
