// klaster SDK: CSV reading and writing (RFC 4180, UTF-8, comma separated by default, header row).
//
// The reader streams the file in blocks and parses every cell in place: numbers with from_chars,
// strings interned into a column's Dictionary through a string_view lookup, so no cell allocates.
// A string is checked (valid UTF-8, no leading or trailing spaces) once, when it first enters its
// column's dictionary. Errors are DataErrors that start with "path:line:column:" (or "path:line:").
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "klaster/sdk/table.hpp"

namespace klaster::sdk {

struct CsvColumnSpec {
  std::string name;
  ColumnType type;
};

/// \brief How a CSV file is written: what a dataset table's `separator`, `decimal` and `trim`
/// options say.
struct CsvOptions {
  char separator = ',';  ///< field separator; not '"', '\r' or '\n'
  char decimal = '.';  ///< decimal mark of float cells: '.' or ',' (then separator must not be ',')
  bool trim = false;   ///< trim spaces and tabs around string cells instead of rejecting them
  /// Name of the dataset table being read, for hints ("set trim = true for table 'output' in
  /// dataset.toml"); empty when the reader is used outside a dataset.
  std::string table;
};

/// \brief The header fields of a CSV file (BOM removed). A field that is not valid UTF-8 is a
/// DataError.
std::vector<std::string> read_csv_header(const std::filesystem::path& path,
                                         const CsvOptions& options = {});

/// \brief Checks that the header of a CSV file holds each of `columns` once (what read_csv checks
/// before reading rows); throws a DataError otherwise, with a hint when the file looks written with
/// another separator.
void check_csv_header(const std::filesystem::path& path, const std::vector<CsvColumnSpec>& columns,
                      const CsvOptions& options = {});

/// \brief Reads the declared columns of a CSV file, in the order given. Undeclared columns are
/// skipped; a declared column missing from the header, a row with another number of fields than
/// the header, a cell that does not parse as its type, a string cell that is not valid UTF-8 or
/// has leading or trailing spaces (unless options.trim) is a DataError (path:line:column).
/// An empty cell is a missing value. The table's origin() gives the file line of each row.
Table read_csv(const std::filesystem::path& path, const std::vector<CsvColumnSpec>& columns,
               const CsvOptions& options = {});

/// \brief Reads a matrix published as a wide CSV (first column: row codes, header: column codes,
/// optional `label_column` holding row descriptions) into a long table with columns
/// `row`, `column`, `value` (and `row_label` when label_column is given). Empty cells are left out.
/// `skip_columns` names further text columns (a second description, a unit) that are not read;
/// each must be in the header, and may be neither the row-code column nor label_column. A text
/// cell in any other column is a DataError (path:line:column) that names skip_columns.
/// The table's origin() gives the file line of the wide row each long row comes from.
Table read_matrix_csv(const std::filesystem::path& path, const std::string& label_column = "",
                      const CsvOptions& options = {},
                      const std::vector<std::string>& skip_columns = {});

/// \brief Checks a matrix CSV's header as read_matrix_csv does before reading rows: a row-code
/// column and a value column, label_column and each of skip_columns in it. DataError otherwise.
void check_matrix_header(const std::filesystem::path& path, const std::string& label_column,
                         const CsvOptions& options, const std::vector<std::string>& skip_columns);

/// \brief One message per pair of values of a string column that differ only by case (ASCII and
/// Cyrillic letters), e.g. "data/output.csv: column 'region' holds 'KST' (line 2) and 'kst'
/// (line 1304), which differ only by case". Looks at the columns' dictionaries (distinct values),
/// so a column is assumed to use every value of its dictionary, as read_csv's columns do; lines
/// come from the table's origin() and are left out when it has none.
std::vector<std::string> case_conflicts(const Table& table);

/// \brief Offset of the first byte of `s` that does not belong to valid UTF-8 (no overlong forms,
/// surrogates or code points above U+10FFFF), or npos when `s` is valid. The TOML readers check
/// their files with it too.
std::size_t invalid_utf8_at(std::string_view s);

/// \brief Writes `table` as CSV with a header row. Floats in the shortest form that reads back to
/// the same double; missing values as empty cells (an empty string too: it reads back as missing);
/// strings quoted when they need it. A NaN or infinity is an Error: CSV has no text for it that
/// read_csv accepts, so undefined results are written as missing values.
void write_csv(const Table& table, std::ostream& out);

}  // namespace klaster::sdk
