// klaster SDK: the charts a plugin declares for its tables (PluginInfo::views). `klaster report`
// draws them (docs/report.md); a plugin states what suits its results, the report decides how.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace klaster::sdk {

/// \brief What a view draws.
enum class ViewKind {
  kBars,     ///< horizontal bars of the `top` rows by `value`, one bar per `label`
  kMap,      ///< the dataset's region map coloured by `value`; `label` holds region codes
  kScatter,  ///< `value` (x) against `value2` (y), points named by `label`; quadrant lines at
             ///< `reference` on both axes (e.g. 1 for Rasmussen–Hirschman linkages)
  kCompare,  ///< paired bars of `value` (baseline) and `value2` (scenario) for the `top` rows by
             ///< the absolute difference
  kPoints,   ///< points on the region map at the regions `label` names, sized by `value`
  kStacked,  ///< bars of `label` stacked from the columns `stack` (direct, indirect, induced)
  /// A dendrogram of a table of merges as R's hclust returns them, one row per merge in merge
  /// order: `stack` = {first, second, first_id, second_id} (set by merges()): the names of the
  /// two clusters joined and their ids (-i: the i-th item, s > 0: the cluster of merge s);
  /// `value` the merge height. Appended after kStacked: the values above keep their numbers.
  kDendrogram,
  /// A heat matrix: a row per value of `label`, a column per value of `value2` (set by
  /// across()), each cell coloured by `value` on a scale diverging at 0 (factor loadings).
  kMatrix,
};

/// \brief One chart of a table the plugin writes. Column names may be a parameter in angle
/// brackets ("<value>": the column that parameter names), as in TableSpec. An empty `label` means
/// the table's first string column.
struct ViewSpec {
  ViewKind kind = ViewKind::kBars;
  std::string table;  ///< as in PluginInfo::writes: "<output>" or "<output>_suffix"
  std::string title;  ///< what the chart shows, one line
  std::string label, value, value2;
  std::vector<std::string> stack;  ///< kStacked: the columns stacked, in order
  /// Columns of which one value is shown at a time (industry, year): the report offers a choice.
  std::vector<std::string> pick;
  std::size_t top = 15;    ///< kBars, kCompare, kStacked: rows shown
  double reference = 1.0;  ///< kScatter: where the quadrant lines cross

  static ViewSpec of(ViewKind kind, std::string table, std::string title) {
    ViewSpec v;
    v.kind = kind;
    v.table = std::move(table);
    v.title = std::move(title);
    return v;
  }
  ViewSpec& labels(std::string column) { return label = std::move(column), *this; }
  ViewSpec& values(std::string column, std::string second = "") {
    value = std::move(column);
    value2 = std::move(second);
    return *this;
  }
  ViewSpec& stacked(std::vector<std::string> columns) { return stack = std::move(columns), *this; }
  ViewSpec& picks(std::vector<std::string> columns) { return pick = std::move(columns), *this; }
  ViewSpec& rows(std::size_t n) { return top = n, *this; }
  ViewSpec& at(double r) { return reference = r, *this; }
  /// kDendrogram: the merge table's columns (see ViewKind::kDendrogram).
  ViewSpec& merges(std::string first, std::string second, std::string first_id,
                   std::string second_id) {
    stack = {std::move(first), std::move(second), std::move(first_id), std::move(second_id)};
    return *this;
  }
  /// kMatrix: the column whose values are the matrix's columns.
  ViewSpec& across(std::string column) { return value2 = std::move(column), *this; }
};

/// \brief "bars", "map", "scatter", "compare", "points", "stacked", "dendrogram", "matrix".
inline const char* to_string(ViewKind k) {
  switch (k) {
    case ViewKind::kBars:
      return "bars";
    case ViewKind::kMap:
      return "map";
    case ViewKind::kScatter:
      return "scatter";
    case ViewKind::kCompare:
      return "compare";
    case ViewKind::kPoints:
      return "points";
    case ViewKind::kStacked:
      return "stacked";
    case ViewKind::kDendrogram:
      return "dendrogram";
    case ViewKind::kMatrix:
      return "matrix";
  }
  return "?";
}

}  // namespace klaster::sdk
