// klaster SDK: CSV reading and writing (RFC 4180, UTF-8, comma separated, header row).
//
// The reader streams the file in blocks and parses every cell in place: numbers with from_chars,
// strings interned into a column's Dictionary through a string_view lookup, so no cell allocates.
// Errors are DataErrors that start with "path:line:column:".
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "klaster/sdk/table.hpp"

namespace klaster::sdk {

struct CsvColumnSpec {
  std::string name;
  ColumnType type;
};

/// \brief The header fields of a CSV file (BOM removed).
std::vector<std::string> read_csv_header(const std::filesystem::path& path);

/// \brief Reads the declared columns of a CSV file, in the order given. Undeclared columns are
/// skipped; a declared column missing from the header, a row with another number of fields than
/// the header, or a cell that does not parse as its type is a DataError (path:line:column).
/// An empty cell is a missing value.
Table read_csv(const std::filesystem::path& path, const std::vector<CsvColumnSpec>& columns);

/// \brief Reads a matrix published as a wide CSV (first column: row codes, header: column codes,
/// optional `label_column` holding row descriptions) into a long table with columns
/// `row`, `column`, `value` (and `row_label` when label_column is given). Empty cells are left out.
Table read_matrix_csv(const std::filesystem::path& path, const std::string& label_column = "");

/// \brief Writes `table` as CSV with a header row. Floats in the shortest form that reads back to
/// the same double; missing values as empty cells; strings quoted when they need it.
void write_csv(const Table& table, std::ostream& out);

}  // namespace klaster::sdk
