#include "klaster/sdk/keys.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <unordered_set>

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

std::int32_t Levels::find(const std::string& label) const {
  // Int labels are in numeric order, not text order: search them linearly (there are few).
  auto it = type == ColumnType::kInt ? std::find(labels.begin(), labels.end(), label)
                                     : std::lower_bound(labels.begin(), labels.end(), label);
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

std::int32_t Levels::int_level(std::int64_t value) const {
  auto it = std::lower_bound(int_values.begin(), int_values.end(), value);
  return (it != int_values.end() && *it == value)
             ? static_cast<std::int32_t>(it - int_values.begin())
             : -1;
}

Levels levels_of(const Column& column, bool per_row) {
  Levels out;
  out.type = column.type;
  const std::size_t n = column.size();
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
    out.level_of_code.assign(nd, -1);
    for (std::size_t l = 0; l < codes.size(); ++l) {
      out.level_of_code[static_cast<std::size_t>(codes[l])] = static_cast<std::int32_t>(l);
      out.labels.push_back(column.dict->at(codes[l]));
    }
  } else if (column.type == ColumnType::kInt) {
    // Distinct values: keys repeat in runs, so a last-value check skips most set lookups.
    std::unordered_set<std::int64_t> seen;
    bool have_last = false;
    std::int64_t last = 0;
    for (std::size_t r = 0; r < n; ++r) {
      if (!column.is_valid(r)) continue;
      const std::int64_t v = column.ints[r];
      if (have_last && v == last) continue;
      seen.insert(v);
      last = v;
      have_last = true;
    }
    out.int_values.assign(seen.begin(), seen.end());
    std::sort(out.int_values.begin(), out.int_values.end());
    for (auto v : out.int_values) out.labels.push_back(std::to_string(v));
    // Years and other small-range codes: a direct table instead of a binary search per row.
    // The span in unsigned arithmetic: values far apart (INT64_MIN and INT64_MAX) overflow it.
    auto offset = [&](std::int64_t v) {
      return static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(out.int_values.front());
    };
    if (!out.int_values.empty() && offset(out.int_values.back()) < (1 << 16)) {
      out.int_base = out.int_values.front();
      out.int_table.assign(offset(out.int_values.back()) + 1, -1);
      for (std::size_t l = 0; l < out.int_values.size(); ++l)
        out.int_table[offset(out.int_values[l])] = static_cast<std::int32_t>(l);
    }
  } else {
    throw Error("column '" + column.name + "' is a float column and cannot be used as a key");
  }
  if (per_row) {
    out.of_row.resize(n);
    for (std::size_t r = 0; r < n; ++r) out.of_row[r] = out.level(column, r);
  }
  return out;
}

}  // namespace klaster::sdk
