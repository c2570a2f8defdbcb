// klaster host: the layout of a dendrogram for `klaster report` (sdk::ViewKind::kDendrogram): the
// segments and leaves of a tree given as R's hclust merges, placed as R's plot.hclust places them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "klaster/sdk/table.hpp"

namespace klaster {

/// \brief Leaves a dendrogram draws at most; a larger tree gets a note instead of a chart.
inline constexpr std::size_t kDendrogramMaxLeaves = 500;

/// \brief The columns of a merge table (sdk::ViewKind::kDendrogram).
struct MergeColumns {
  std::string first, second, first_id, second_id, height;
};

/// \brief A dendrogram laid out: `segments` [{x, x2, y, y2, step, height}] (x: height, y: leaf
/// position), `leaves` [{y, name}] in R's order (hclust's `order`: the first cluster of each
/// merge left of the second). `bad_row` (1-based, 0 when none) is the first row that is not a
/// merge of hclust's form (an id missing, out of range, naming a later merge, or a part joined
/// twice); then the other members are empty.
struct TreeLayout {
  nlohmann::json segments = nlohmann::json::array();
  nlohmann::json leaves = nlohmann::json::array();
  std::size_t bad_row = 0;
};

/// \brief The layout of the tree whose merges are the rows of `t` in merge order. A leaf's
/// position is its place in the order (0, 1, ...); a cluster's, the midpoint of its two parts'.
TreeLayout tree_layout(const sdk::Table& t, const MergeColumns& c);

}  // namespace klaster
