// klaster SDK: labelled dense matrices (input-output tables, distance matrices) over Eigen.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <string>
#include <vector>

#include "klaster/sdk/table.hpp"
#include "klaster/sdk/table_spec.hpp"

namespace klaster::sdk {

/// \brief A std::size_t position as an Eigen index (for loops over sectors into Eigen vectors).
inline Eigen::Index ix(std::size_t k) { return static_cast<Eigen::Index>(k); }

/// \brief A dense matrix with a label per row and per column.
struct LabelledMatrix {
  std::vector<std::string> row_labels, col_labels;
  Eigen::MatrixXd values;

  std::optional<std::size_t> row_index(const std::string& label) const;
  std::optional<std::size_t> col_index(const std::string& label) const;
};

/// \brief Builds a matrix from a long table (row key, column key, value). Labels keep the order in
/// which they first appear in the table (for a matrix read from a wide CSV: the publication's
/// order). Absent cells are 0; a missing value or a repeated (row, column) pair is a DataError.
LabelledMatrix matrix_from_long(const Table& table, const std::string& row_column = "row",
                                const std::string& col_column = "column",
                                const std::string& value_column = "value");

/// \brief The long form (row, column, value) of a matrix, every cell included, row-major.
Table matrix_to_long(const LabelledMatrix& m, const std::string& row_column = "row",
                     const std::string& col_column = "column",
                     const std::string& value_column = "value");

/// \brief The schema matrix_to_long() writes with its default names: row, column (strings), value
/// (float).
Schema long_matrix_schema();

/// \brief A matrix table read by table parameter `table_param`: row, column (strings), value
/// (numbers), with the hint to declare it with layout = "matrix".
TableSpec matrix_read(std::string table_param, std::string doc);
/// \brief A matrix table written in matrix_to_long()'s form: row, column, value.
TableSpec matrix_write(std::string pattern, std::string doc);
/// \brief The same, its cells (`value`) in `unit` (ColumnSpec::unit: a text, or one with
/// "<param>" and "{param}" parts), recorded in run.json and shown by report and export.
TableSpec matrix_write(std::string pattern, std::string doc, std::string unit);

}  // namespace klaster::sdk
