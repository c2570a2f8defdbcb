// klaster SDK: a dense region x industry (x year) cube built from a long table.
//
// Most regional indicators read a long table (region, industry, [year], value). Cube validates it
// once (missing, negative and duplicate cells are DataErrors naming region, industry, year and row)
// and lays the values out densely: cell (y, r, i) is at (y * R + r) * I + i.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/plugin.hpp"
#include "klaster/sdk/table.hpp"

namespace klaster::sdk {

struct CubeOptions {
  std::string region = "region";
  std::string industry = "industry";
  std::string year;  // empty: the table has no year dimension
  std::string value = "value";
  bool drop_missing = false;    // rows with a missing value or key are skipped instead of an error
  bool allow_negative = false;  // negative values are kept instead of an error
};

/// \brief The key column parameters of a long table named by parameter `input`: region, industry,
/// year (used when the table has it).
std::vector<ParamSpec> cube_key_params();
/// \brief The long-table parameters of an indicator that reads a Cube, in this order: input (table,
/// the primary input), value, region, industry, year (used when the table has it). `value_doc`
/// describes the value column.
std::vector<ParamSpec> cube_params(const std::string& value_doc);
/// \brief The long table cube_params() reads: input with the region, industry, [year] and value
/// columns its parameters name.
TableSpec cube_read(std::string doc);
/// \brief The `missing` parameter: rows with a missing value are an error ("error") or dropped
/// ("drop").
ParamSpec cube_missing_param();
/// \brief CubeOptions from the value, region, industry, year and (when declared) missing
/// parameters; the year column is used only when `input` has it.
CubeOptions cube_options(const Params& params, const Schema& input);

class Cube {
 public:
  static Cube from_table(const Table& table, const CubeOptions& options);
  /// \brief Like from_table, but steps that read the same table with the same options share one
  /// cube: the most recent cube is kept (one at a time) and handed out again while the table's key
  /// and value columns are alive (the cache holds them weakly, so a freed table is not kept alive;
  /// only a cube that shares its value column, see values(), keeps that column until the next
  /// cube replaces it, as a cube of its own would keep its copy).
  static std::shared_ptr<const Cube> shared(const Table& table, const CubeOptions& options);

  std::size_t n_years() const { return has_year_ ? years_.size() : 1; }
  std::size_t n_regions() const { return regions_.size(); }
  std::size_t n_industries() const { return industries_.size(); }
  std::size_t cell(std::size_t y, std::size_t r, std::size_t i) const {
    return (y * n_regions() + r) * n_industries() + i;
  }
  double value(std::size_t cell) const { return values()[cell]; }  // 0 where absent
  bool present(std::size_t cell) const { return present_[cell] != 0; }
  /// \brief Whether the cell's value is MISSING, not zero: with drop_missing, a row with both keys
  /// and no value (empty or non-finite) was dropped there and no other row gave it a value. Such a
  /// cell is absent (value 0, not present) like a cell without a row, but its value is unknown: a
  /// plugin that reads absent cells as 0 leaves it out (or says what it does), see
  /// docs/writing-plugins.md "Years and cubes". Rows dropped for a missing key have no cell.
  bool dropped(std::size_t cell) const {
    return !dropped_.empty() && dropped_[cell] != 0 && present_[cell] == 0;
  }
  /// \brief The number of dropped() cells.
  std::size_t n_dropped() const;
  /// \brief "2 cells with a missing value were dropped (region 'X', industry 'C'; region 'Y',
  /// industry 'D')" naming up to three, or "" when none was.
  std::string dropped_note() const;
  /// \brief Every cell's value, 0 where absent. When the table's rows are the cells in order and
  /// its value column holds floats, this is that column's array, shared (the cube keeps the column
  /// alive), not a copy.
  const std::vector<double>& values() const {
    return shared_values_ ? shared_values_->floats : values_;
  }

  bool has_year() const { return has_year_; }
  const Levels& regions() const { return regions_; }
  const Levels& industries() const { return industries_; }
  const Levels& years() const { return years_; }
  const CubeOptions& options() const { return options_; }

  /// \brief "region 'KST', industry 'C', year 2025" for messages.
  std::string where(std::size_t y, std::size_t r, std::size_t i) const;
  std::string where_year(std::size_t y) const;

  /// \brief Key columns (region, industry, [year] under the option names, year first) for cells
  /// given as (y, r, i) triples flattened by cell().
  std::vector<Column> key_columns(const std::vector<std::size_t>& cells) const;
  /// \brief Every present cell, ordered by year, region, industry.
  std::vector<std::size_t> present_cells() const;
  /// \brief The cell of row `row` of the table the cube was built from, or SIZE_MAX when the
  /// row was dropped (missing key or value). Reads that table: valid only while it lives.
  std::size_t cell_of_row(std::size_t row) const;
  /// \brief The cell row `row`'s keys name, whatever its value; SIZE_MAX for a missing key.
  std::size_t key_cell_of_row(std::size_t row) const;
  /// \brief The year, region and industry levels of row `row` (-1 for a missing key): what
  /// key_cell_of_row() combines into a cell, for a loop over rows that needs them (dividing a cell
  /// back into them costs three integer divisions).
  struct RowKeys {
    std::int32_t y, r, i;
  };
  RowKeys keys_of_row(std::size_t row) const {
    return {year_col_ ? years_.level(*year_col_, row) : 0, regions_.level(*region_col_, row),
            industries_.level(*industry_col_, row)};
  }
  /// \brief Whether row k of the table the cube was built from is cell k, for every k: the table
  /// holds every cell once, in the cube's order (by year, region and industry, each in its
  /// levels' order), as a complete panel sorted by its keys does. A loop over rows may then take
  /// row k's cell and keys from k alone.
  bool rows_in_cell_order() const { return rows_in_cell_order_; }
  /// \brief The cell of keys that are all present (no -1).
  std::size_t cell(const RowKeys& k) const {
    return cell(static_cast<std::size_t>(k.y), static_cast<std::size_t>(k.r),
                static_cast<std::size_t>(k.i));
  }

 private:
  /// \brief Places rows [begin, end) into the cube; returns the first row that cannot be placed
  /// (missing key or value, negative, duplicate), or `end`; adds the cells it filled to `placed`.
  /// Parts placed at once on several threads may miss a duplicate whose copies are in two parts:
  /// from_table() then finds fewer cells present than rows placed.
  std::size_t place_rows(std::size_t begin, std::size_t end, std::size_t& placed);
  /// \brief Whether every row k of the table (n rows) names cell k with a value the cube accepts
  /// (valid, finite, not negative unless allowed): checked on every core, stopping at the first
  /// row that does not.
  bool rows_are_cells(std::size_t n) const;
  /// \brief The message for the row place_rows() stopped at, naming its file line when the table
  /// was read from a file, and for a duplicate the first copy's line.
  std::string row_problem(const Table& table, std::size_t row) const;
  std::string first_copy(const Table& table, std::size_t row, std::size_t cell) const;

  CubeOptions options_;
  bool has_year_ = false;
  bool rows_in_cell_order_ = false;
  Levels regions_, industries_, years_;
  std::vector<double> values_;  // empty when shared_values_ holds them
  ColumnPtr shared_values_;     // the value column, when the rows are the cells in order
  std::vector<std::uint8_t> present_;
  std::vector<std::uint8_t> dropped_;   // drop_missing only: a row without a value named the cell
  const Column* region_col_ = nullptr;  // the source table's key columns (cell_of_row)
  const Column* industry_col_ = nullptr;
  const Column* year_col_ = nullptr;
  const Column* value_col_ = nullptr;
};

}  // namespace klaster::sdk
