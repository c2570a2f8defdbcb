// Moving flows from an import-use table to the domestic-use table, cell by cell and in the tables'
// aggregate rows and columns, and writing both tables: the table side of local_content
// (intermediate inputs) and import_substitution (final demand), which both include this header.
// Header-only, so that each plugin library compiles its own copy and no plugin links another.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::import_shift {

/// \brief The domestic-use and import-use tables a measure changes (rows and columns labelled
/// alike), and how messages name the import table ("import table 'm'").
struct UseTables {
  sdk::LabelledMatrix domestic, imports;
  std::string imports_name;
};

/// \brief Flows moved to domestic purchases: moved(a, b) leaves the import table's cell (rows[a],
/// columns[b]) for the domestic table's cell of the same labels.
struct Shift {
  std::vector<std::string> rows, columns;
  Eigen::MatrixXd moved;
};

/// \brief `domestic` as given (the input table, already read as an IoSystem) and the table named
/// by parameter `imports`.
inline UseTables read_use_tables(const sdk::RunContext& ctx, sdk::LabelledMatrix domestic) {
  return {std::move(domestic), sdk::matrix_from_long(ctx.table_of_param("imports")),
          "import table '" + ctx.params().str("imports") + "'"};
}

/// \brief The position of a label found by LabelledMatrix::row_index / col_index; DataError
/// naming the table (`what`) and the label otherwise.
inline std::size_t position(const std::optional<std::size_t>& found, const std::string& label,
                            std::string_view kind, const std::string& what) {
  if (!found) throw sdk::DataError(what + " has no " + std::string(kind) + " '" + label + "'");
  return *found;
}

/// \brief Each row position of `labels` in the domestic and the import table.
inline std::vector<std::pair<std::size_t, std::size_t>> row_positions(
    const UseTables& t, const std::vector<std::string>& labels) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& l : labels)
    out.emplace_back(position(t.domestic.row_index(l), l, "row", "the domestic table"),
                     position(t.imports.row_index(l), l, "row", t.imports_name));
  return out;
}

/// \brief Each column position of `labels` in the domestic and the import table.
inline std::vector<std::pair<std::size_t, std::size_t>> column_positions(
    const UseTables& t, const std::vector<std::string>& labels) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& l : labels)
    out.emplace_back(position(t.domestic.col_index(l), l, "column", "the domestic table"),
                     position(t.imports.col_index(l), l, "column", t.imports_name));
  return out;
}

/// \brief domestic += moved and imports -= moved at the shift's cells.
inline void apply(const Shift& s, UseTables& t) {
  const auto rows = row_positions(t, s.rows);
  const auto cols = column_positions(t, s.columns);
  for (std::size_t a = 0; a < rows.size(); ++a)
    for (std::size_t b = 0; b < cols.size(); ++b) {
      const double d = s.moved(sdk::ix(a), sdk::ix(b));
      t.domestic.values(sdk::ix(rows[a].first), sdk::ix(cols[b].first)) += d;
      t.imports.values(sdk::ix(rows[a].second), sdk::ix(cols[b].second)) -= d;
    }
}

/// \brief Each aggregate row in parameter `total_rows` gains (domestic) or loses (imports)
/// column_sums[b] at column columns[b]. ParamError for a row in neither table.
inline void shift_total_rows(const sdk::Params& params, const std::vector<std::string>& columns,
                             const Eigen::VectorXd& column_sums, UseTables& t) {
  const auto cols = column_positions(t, columns);
  for (const auto& name : params.strings("total_rows")) {
    const auto dr = t.domestic.row_index(name), mr = t.imports.row_index(name);
    if (!dr && !mr) throw sdk::ParamError("total_rows", "row '" + name + "' is in neither table");
    for (std::size_t b = 0; b < cols.size(); ++b) {
      if (dr) t.domestic.values(sdk::ix(*dr), sdk::ix(cols[b].first)) += column_sums(sdk::ix(b));
      if (mr) t.imports.values(sdk::ix(*mr), sdk::ix(cols[b].second)) -= column_sums(sdk::ix(b));
    }
  }
}

/// \brief Each aggregate column in parameter `total_columns` gains (domestic) or loses (imports)
/// row_sums[a] at row rows[a]. ParamError for a column in neither table.
inline void shift_total_columns(const sdk::Params& params, const std::vector<std::string>& rows,
                                const Eigen::VectorXd& row_sums, UseTables& t) {
  const auto positions = row_positions(t, rows);
  for (const auto& name : params.strings("total_columns")) {
    const auto dc = t.domestic.col_index(name), mc = t.imports.col_index(name);
    if (!dc && !mc)
      throw sdk::ParamError("total_columns", "column '" + name + "' is in neither table");
    for (std::size_t a = 0; a < positions.size(); ++a) {
      if (dc) t.domestic.values(sdk::ix(positions[a].first), sdk::ix(*dc)) += row_sums(sdk::ix(a));
      if (mc) t.imports.values(sdk::ix(positions[a].second), sdk::ix(*mc)) -= row_sums(sdk::ix(a));
    }
  }
}

/// \brief Writes <output> (the domestic table) and <output>_imports.
inline void write_use_tables(sdk::RunContext& ctx, const UseTables& t) {
  sdk::write_matrix(ctx, "<output>", t.domestic);
  sdk::write_matrix(ctx, "<output>_imports", t.imports);
}

/// \brief `indices` without repeats, in the order of their first occurrence: a sector named twice
/// in a list is selected once.
inline std::vector<std::size_t> distinct(const std::vector<std::size_t>& indices) {
  std::vector<std::size_t> out;
  for (const std::size_t k : indices)
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  return out;
}

}  // namespace klaster::plugins::import_shift
