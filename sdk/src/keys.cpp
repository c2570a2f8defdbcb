#include "klaster/sdk/keys.hpp"

#include <algorithm>
#include <numeric>

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

std::int32_t Levels::find(const std::string& label) const {
  auto it = std::lower_bound(labels.begin(), labels.end(), label);
  if (type == ColumnType::kInt) {
    it = std::find(labels.begin(), labels.end(), label);  // numeric order, not text order
  }
  return (it != labels.end() && *it == label) ? static_cast<std::int32_t>(it - labels.begin()) : -1;
}

Column Levels::make_column(std::string name, const std::vector<std::int32_t>& levels) const {
  if (type == ColumnType::kInt) {
    std::vector<std::int64_t> v;
    v.reserve(levels.size());
    for (auto l : levels) v.push_back(int_values[static_cast<std::size_t>(l)]);
    return Column::make_ints(std::move(name), std::move(v));
  }
  auto dict = std::make_shared<Dictionary>();
  dict->reserve(labels.size());
  for (const auto& l : labels) dict->intern(l);  // code == level index
  return Column::make_strings(std::move(name), std::move(dict), levels);
}

Levels levels_of(const Column& column) {
  Levels out;
  out.type = column.type;
  const std::size_t n = column.size();
  out.of_row.assign(n, -1);
  if (column.type == ColumnType::kString) {
    // Codes are dense already: rank the used codes by their strings.
    const std::size_t nd = column.dict->size();
    std::vector<std::uint8_t> used(nd, 0);
    for (auto c : column.codes)
      if (c >= 0) used[static_cast<std::size_t>(c)] = 1;
    std::vector<std::int32_t> codes;
    for (std::size_t c = 0; c < nd; ++c)
      if (used[c]) codes.push_back(static_cast<std::int32_t>(c));
    std::sort(codes.begin(), codes.end(),
              [&](auto a, auto b) { return column.dict->at(a) < column.dict->at(b); });
    std::vector<std::int32_t> level_of_code(nd, -1);
    for (std::size_t l = 0; l < codes.size(); ++l) {
      level_of_code[static_cast<std::size_t>(codes[l])] = static_cast<std::int32_t>(l);
      out.labels.push_back(column.dict->at(codes[l]));
    }
    for (std::size_t r = 0; r < n; ++r)
      if (column.codes[r] >= 0) out.of_row[r] = level_of_code[static_cast<std::size_t>(column.codes[r])];
    return out;
  }
  if (column.type == ColumnType::kInt) {
    std::vector<std::int64_t> values;
    for (std::size_t r = 0; r < n; ++r)
      if (column.is_valid(r)) values.push_back(column.ints[r]);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (std::size_t r = 0; r < n; ++r)
      if (column.is_valid(r))
        out.of_row[r] = static_cast<std::int32_t>(
            std::lower_bound(values.begin(), values.end(), column.ints[r]) - values.begin());
    for (auto v : values) out.labels.push_back(std::to_string(v));
    out.int_values = std::move(values);
    return out;
  }
  throw Error("column '" + column.name + "' is a float column and cannot be used as a key");
}

}  // namespace klaster::sdk
