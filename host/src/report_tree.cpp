#include "report_tree.hpp"

#include <vector>

namespace klaster {

namespace {

using json = nlohmann::json;

/// The merges as numbers: ids[r] = {first, second} of merge r + 1, the leaves' names by item.
struct Merges {
  std::vector<std::pair<std::int64_t, std::int64_t>> ids;
  std::vector<double> heights;
  std::vector<std::string> names;  // item i (id -i) at i - 1
};

/// Whether `id` may be joined at merge `step` (1-based): an item not yet joined, or an earlier
/// merge's cluster not yet joined.
bool joinable(std::int64_t id, std::size_t step, std::vector<bool>& items,
              std::vector<bool>& clusters) {
  if (id < 0 && static_cast<std::size_t>(-id) <= items.size() && !items[-id - 1])
    return items[-id - 1] = true;
  if (id > 0 && static_cast<std::size_t>(id) < step && !clusters[id - 1])
    return clusters[id - 1] = true;
  return false;
}

/// Reads the merges; `bad_row` is set (1-based) at the first row that is not a merge.
Merges read_merges(const sdk::Table& t, const MergeColumns& c, std::size_t& bad_row) {
  const sdk::Column &a = t.column(c.first_id), &b = t.column(c.second_id), &h = t.column(c.height),
                    &na = t.column(c.first), &nb = t.column(c.second);
  Merges m;
  m.names.resize(t.rows() + 1);
  std::vector<bool> items(t.rows() + 1, false), clusters(t.rows(), false);
  const bool typed = a.type == sdk::ColumnType::kInt && b.type == sdk::ColumnType::kInt &&
                     h.type != sdk::ColumnType::kString;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const bool valid = typed && a.is_valid(r) && b.is_valid(r) && h.is_valid(r);
    if (!valid || !joinable(a.ints[r], r + 1, items, clusters) ||
        !joinable(b.ints[r], r + 1, items, clusters)) {
      bad_row = r + 1;
      return {};
    }
    if (a.ints[r] < 0) m.names[-a.ints[r] - 1] = na.is_valid(r) ? na.to_text(r) : "";
    if (b.ints[r] < 0) m.names[-b.ints[r] - 1] = nb.is_valid(r) ? nb.to_text(r) : "";
    m.ids.emplace_back(a.ints[r], b.ints[r]);
    m.heights.push_back(h.number(r));
  }
  return m;
}

/// The items left to right: from the last merge down, each merge's first part before its second
/// (an explicit stack: a chained tree of n items is n deep).
std::vector<std::int64_t> leaf_order(const Merges& m) {
  std::vector<std::int64_t> order, stack = {static_cast<std::int64_t>(m.ids.size())};
  while (!stack.empty()) {
    const std::int64_t id = stack.back();
    stack.pop_back();
    if (id < 0) {
      order.push_back(-id);
      continue;
    }
    stack.push_back(m.ids[id - 1].second);
    stack.push_back(m.ids[id - 1].first);
  }
  return order;
}

}  // namespace

TreeLayout tree_layout(const sdk::Table& t, const MergeColumns& c) {
  TreeLayout out;
  const Merges m = read_merges(t, c, out.bad_row);
  if (out.bad_row != 0 || m.ids.empty()) return out;
  std::vector<double> leaf_pos(m.names.size()), pos(m.ids.size());
  const std::vector<std::int64_t> order = leaf_order(m);
  for (std::size_t k = 0; k < order.size(); ++k) {
    leaf_pos[order[k] - 1] = static_cast<double>(k);
    out.leaves.push_back({{"y", k}, {"name", m.names[order[k] - 1]}});
  }
  // A part's place and height: an item stands at its position at height 0.
  auto at = [&](std::int64_t id) {
    return id < 0 ? std::pair{leaf_pos[-id - 1], 0.0} : std::pair{pos[id - 1], m.heights[id - 1]};
  };
  for (std::size_t s = 0; s < m.ids.size(); ++s) {
    const auto [ya, ha] = at(m.ids[s].first);
    const auto [yb, hb] = at(m.ids[s].second);
    const double h = m.heights[s];
    pos[s] = (ya + yb) / 2;
    for (const json& seg : {json{{"x", ha}, {"x2", h}, {"y", ya}, {"y2", ya}},
                            json{{"x", hb}, {"x2", h}, {"y", yb}, {"y2", yb}},
                            json{{"x", h}, {"x2", h}, {"y", ya}, {"y2", yb}}}) {
      json row = seg;
      row["step"] = s + 1;
      row["height"] = h;
      out.segments.push_back(row);
    }
  }
  return out;
}

}  // namespace klaster
