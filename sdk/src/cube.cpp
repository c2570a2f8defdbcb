#include "klaster/sdk/cube.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "klaster/sdk/memory.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

std::vector<ParamSpec> cube_key_params() {
  return {
      ParamSpec("region", ParamType::kColumn).of("input").def("region").doc_("region key column"),
      ParamSpec("industry", ParamType::kColumn)
          .of("input")
          .def("industry")
          .doc_("industry key column"),
      ParamSpec("year", ParamType::kColumn)
          .of("input")
          .def("year")
          .if_present()
          .doc_("year key column; used when the table has it"),
  };
}

std::vector<ParamSpec> cube_params(const std::string& value_doc) {
  std::vector<ParamSpec> params = {
      ParamSpec("input", ParamType::kTable)
          .req()
          .primary()
          .doc_("long table with region, industry, [year], value"),
      ParamSpec("value", ParamType::kColumn).of("input").def("value").numeric().doc_(value_doc),
  };
  for (ParamSpec& key : cube_key_params()) params.push_back(std::move(key));
  return params;
}

TableSpec cube_read(std::string doc) {
  return TableSpec::read("input", std::move(doc))
      .column(ColumnSpec::of("region"))
      .column(ColumnSpec::of("industry"))
      .column(ColumnSpec::of("year"))
      .column(ColumnSpec::of("value"));
}

ParamSpec cube_missing_param() {
  return ParamSpec("missing", ParamType::kString)
      .def("error")
      .one_of({"error", "drop"})
      .doc_("rows with a missing value: an error, or dropped");
}

CubeOptions cube_options(const Params& params, const Schema& input) {
  CubeOptions o;
  o.region = params.str("region");
  o.industry = params.str("industry");
  o.value = params.str("value");
  o.year = input.has(params.str("year")) ? params.str("year") : "";
  o.drop_missing = params.has("missing") && params.str("missing") == "drop";  // undeclared: "error"
  return o;
}

std::string Cube::where_year(std::size_t y) const {
  return has_year_ ? "year " + years_.labels[y] : std::string("all rows");
}

std::string Cube::where(std::size_t y, std::size_t r, std::size_t i) const {
  std::string s = "region '" + regions_.labels[r] + "', industry '" + industries_.labels[i] + "'";
  if (has_year_) s += ", year " + years_.labels[y];
  return s;
}

namespace {

/// Every total a plugin takes over a year's cells (by region, by industry, overall) is at most the
/// sum of their absolute values: when that is finite, no total overflows. Values adding up past the
/// largest double (about 1.8e308) are a DataError naming the column, not an inf or NaN result.
void check_sums_finite(const Cube& cube, const std::string& column) {
  const std::size_t per_year = cube.n_regions() * cube.n_industries();
  for (std::size_t y = 0; y < cube.n_years(); ++y) {
    double sum = 0;
    for (std::size_t c = y * per_year; c < (y + 1) * per_year; ++c) sum += std::fabs(cube.value(c));
    if (!std::isfinite(sum))
      throw DataError("column '" + column + "': the values of " + cube.where_year(y) +
                      " add up past the largest number a double holds (about 1.8e308), so their "
                      "totals overflow; rescale the column (e.g. to thousands)");
  }
}

/// The cells marked present, counted on every core.
std::size_t count_present(const std::vector<std::uint8_t>& present) {
  std::atomic<std::size_t> total{0};
  parallel_for(present.size(), [&](std::size_t b, std::size_t e) {
    std::size_t n = 0;
    for (std::size_t c = b; c < e; ++c) n += present[c];
    total += n;
  });
  return total;
}

}  // namespace

Cube Cube::from_table(const Table& table, const CubeOptions& options) {
  Cube cube;
  cube.options_ = options;
  const Column& region = table.column(options.region);
  const Column& industry = table.column(options.industry);
  const Column& value = table.column(options.value);
  if (value.type == ColumnType::kString)
    throw DataError("column '" + options.value + "' holds text, not numbers");
  const Column* year = options.year.empty() ? nullptr : table.find(options.year);
  cube.has_year_ = year != nullptr;
  cube.region_col_ = &region;
  cube.industry_col_ = &industry;
  cube.year_col_ = year;
  cube.value_col_ = &value;
  // The key columns' levels, each on its own core (the lowest column's error is thrown first).
  const std::vector<std::pair<const Column*, Levels*>> keys = {
      {&region, &cube.regions_}, {&industry, &cube.industries_}, {year, &cube.years_}};
  parallel_for(
      year ? 3 : 2,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k) *keys[k].second = levels_of(*keys[k].first, false);
      },
      1);

  const std::size_t cells = cube.n_years() * cube.n_regions() * cube.n_industries();
  const std::size_t n = table.rows();
  // A complete panel sorted by its keys: its value column already is the cube's array.
  const bool in_order = n == cells && cube.rows_are_cells(n);
  if (in_order && value.type == ColumnType::kFloat) {
    cube.shared_values_ = table.column_ptr(options.value);
    cube.rows_in_cell_order_ = true;
    resize_large(cube.present_, cells);
    parallel_for(cells, [&](std::size_t b, std::size_t e) {
      std::fill(cube.present_.begin() + static_cast<std::ptrdiff_t>(b),
                cube.present_.begin() + static_cast<std::ptrdiff_t>(e), 1);
    });
    check_sums_finite(cube, options.value);
    return cube;
  }
  resize_large(cube.values_, cells);
  resize_large(cube.present_, cells);
  if (options.drop_missing) cube.dropped_.resize(cells);
  auto clear = [&] {  // for a second pass
    parallel_for(
        cells,
        [&](std::size_t b, std::size_t e) {
          std::fill(cube.values_.begin() + static_cast<std::ptrdiff_t>(b),
                    cube.values_.begin() + static_cast<std::ptrdiff_t>(e), 0.0);
          std::fill(cube.present_.begin() + static_cast<std::ptrdiff_t>(b),
                    cube.present_.begin() + static_cast<std::ptrdiff_t>(e), 0);
          if (!cube.dropped_.empty())
            std::fill(cube.dropped_.begin() + static_cast<std::ptrdiff_t>(b),
                      cube.dropped_.begin() + static_cast<std::ptrdiff_t>(e), 0);
        },
        1 << 20);
  };

  // Rows are placed in parallel parts. A part that meets a problem stops; the cube is then cleared
  // and refilled in row order up to the first problem, so a message never depends on thread timing.
  std::atomic<bool> clean{true};
  std::atomic<std::size_t> placed{0};
  parallel_for(n, [&](std::size_t b, std::size_t e) {
    std::size_t mine = 0;
    if (cube.place_rows(b, e, mine) != e) clean = false;
    placed += mine;
  });
  // Two copies of a cell placed by two threads at once both find it empty: fewer cells are then
  // present than rows were placed.
  if (clean && placed != count_present(cube.present_)) clean = false;
  if (!clean) {
    clear();
    std::size_t serial = 0;
    if (const std::size_t bad = cube.place_rows(0, n, serial); bad != n)
      throw DataError(cube.row_problem(table, bad));
  }
  cube.rows_in_cell_order_ = in_order;
  check_sums_finite(cube, options.value);
  return cube;
}

namespace {

/// The one cached cube and what it was built from.
struct CubeCache {
  std::mutex mutex;
  std::vector<std::weak_ptr<const Column>> columns;  // region, industry, year (or empty), value
  std::vector<const Column*> addresses;
  CubeOptions options;
  std::shared_ptr<const Cube> cube;
};

CubeCache& cube_cache() {
  static CubeCache cache;
  return cache;
}

bool same_options(const CubeOptions& a, const CubeOptions& b) {
  return a.region == b.region && a.industry == b.industry && a.year == b.year &&
         a.value == b.value && a.drop_missing == b.drop_missing &&
         a.allow_negative == b.allow_negative;
}

}  // namespace

std::shared_ptr<const Cube> Cube::shared(const Table& table, const CubeOptions& options) {
  std::vector<ColumnPtr> cols{table.column_ptr(options.region), table.column_ptr(options.industry)};
  cols.push_back(
      options.year.empty() || !table.find(options.year) ? nullptr : table.column_ptr(options.year));
  cols.push_back(table.column_ptr(options.value));
  CubeCache& cache = cube_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  bool hit =
      cache.cube && same_options(cache.options, options) && cache.columns.size() == cols.size();
  for (std::size_t k = 0; hit && k < cols.size(); ++k) {
    const ColumnPtr alive = cache.columns[k].lock();
    hit = alive.get() == cols[k].get() && cache.addresses[k] == cols[k].get();
  }
  if (hit) return cache.cube;
  cache.cube.reset();  // free the old cube before building the new one
  auto cube = std::make_shared<const Cube>(from_table(table, options));
  cache.columns.assign(cols.begin(), cols.end());
  cache.addresses.clear();
  for (const auto& c : cols) cache.addresses.push_back(c.get());
  cache.options = options;
  cache.cube = cube;
  return cube;
}

std::size_t Cube::key_cell_of_row(std::size_t row) const {
  const RowKeys k = keys_of_row(row);
  return k.y < 0 || k.r < 0 || k.i < 0 ? SIZE_MAX : cell(k);
}

std::size_t Cube::cell_of_row(std::size_t row) const {
  if (!value_col_->is_valid(row) || !std::isfinite(value_col_->number(row))) return SIZE_MAX;
  return key_cell_of_row(row);
}

std::size_t Cube::n_dropped() const {
  std::size_t n = 0;
  for (std::size_t c = 0; c < dropped_.size(); ++c) n += dropped(c) ? 1 : 0;
  return n;
}

std::string Cube::dropped_note() const {
  const std::size_t n = n_dropped();
  if (n == 0) return "";
  std::string named;
  std::size_t shown = 0;
  const std::size_t I = n_industries(), R = n_regions();
  for (std::size_t c = 0; c < dropped_.size() && shown < 3; ++c)
    if (dropped(c)) {
      named += (shown++ ? "; " : "") + where(c / (I * R), (c / I) % R, c % I);
    }
  if (shown < n) named += "; ...";
  return std::to_string(n) + (n == 1 ? " cell" : " cells") + " of '" + options_.value +
         "' with a missing value " + (n == 1 ? "was" : "were") + " dropped (" + named + ")";
}

namespace {

/// Levels::level() of one key column with the arrays' addresses taken once, for a loop over
/// millions of rows: a string key or an int key with a level table costs two loads, and no call
/// that would make the loop load every address again.
class LevelOf {
 public:
  LevelOf(const Levels& levels, const Column& column) : levels_(&levels), column_(&column) {
    if (column.type == ColumnType::kString) {
      codes_ = column.codes.data();
      table_ = levels.level_of_code.data();
    } else if (!levels.int_table.empty()) {
      ints_ = column.ints.data();
      valid_ = column.valid.empty() ? nullptr : column.valid.data();
      table_ = levels.int_table.data();
      base_ = static_cast<std::uint64_t>(levels.int_base);
      table_size_ = levels.int_table.size();
    }
  }
  std::int32_t operator()(std::size_t row) const {
    if (codes_) return codes_[row] < 0 ? -1 : table_[static_cast<std::size_t>(codes_[row])];
    if (!ints_) return levels_->level(*column_, row);
    if (valid_ && !valid_[row]) return -1;
    const std::uint64_t d = static_cast<std::uint64_t>(ints_[row]) - base_;  // as Levels::level
    return d < table_size_ ? table_[d] : -1;
  }

 private:
  const Levels* levels_;
  const Column* column_;
  const std::int32_t* codes_ = nullptr;
  const std::int64_t* ints_ = nullptr;
  const std::uint8_t* valid_ = nullptr;
  const std::int32_t* table_ = nullptr;
  std::uint64_t base_ = 0;
  std::size_t table_size_ = 0;
};

}  // namespace

bool Cube::rows_are_cells(std::size_t n) const {
  const std::size_t I = n_industries(), R = n_regions();
  const LevelOf industry(industries_, *industry_col_), region(regions_, *region_col_);
  const std::optional<LevelOf> year =
      year_col_ ? std::optional<LevelOf>(std::in_place, years_, *year_col_) : std::nullopt;
  const Column& value = *value_col_;
  const bool allow_negative = options_.allow_negative;
  std::atomic<bool> all{true};
  parallel_for(n, [&, I, R, industry, region, year, allow_negative](std::size_t b, std::size_t e) {
    constexpr std::size_t kStride = 1 << 14;  // how often a part looks whether another failed
    // Row k must hold cell k's keys: (y, r, i) counted up from the part's first row, as cell()
    // numbers the cells, and a value place_rows() takes (present, finite, of an allowed sign).
    // The key readers, sizes and flag are captured by value, so that they stay in registers.
    std::size_t i = b % I, r = (b / I) % R, y = b / (I * R);
    for (std::size_t row = b; row < e; ++row) {
      if (row % kStride == 0 && !all.load(std::memory_order_relaxed)) return;
      const double v = value.is_valid(row) ? value.number(row) : NAN;
      const bool fits = static_cast<std::size_t>(industry(row)) == i &&
                        static_cast<std::size_t>(region(row)) == r &&
                        (!year || static_cast<std::size_t>((*year)(row)) == y) &&
                        std::isfinite(v) && (allow_negative || v >= 0);
      if (!fits) {
        all = false;
        return;
      }
      if (++i < I) continue;
      i = 0;
      if (++r == R) r = 0, ++y;
    }
  });
  return all;
}

std::size_t Cube::place_rows(std::size_t begin, std::size_t end, std::size_t& placed) {
  for (std::size_t row = begin; row < end; ++row) {
    const std::size_t c = cell_of_row(row);
    if (c == SIZE_MAX) {
      if (!options_.drop_missing) return row;
      // Remember the cell whose value is missing, so that it is not taken for a zero.
      if (const std::size_t k = key_cell_of_row(row); k != SIZE_MAX)
        std::atomic_ref<std::uint8_t>(dropped_[k]).store(1, std::memory_order_relaxed);
      continue;
    }
    const double v = value_col_->number(row);
    if (v < 0 && !options_.allow_negative) return row;
    // A load and a store, not an exchange: a locked instruction per row kept a shuffled table's
    // cache misses from overlapping (from_table() catches the duplicates this lets through).
    std::atomic_ref<std::uint8_t> present(present_[c]);
    if (present.load(std::memory_order_relaxed)) return row;
    present.store(1, std::memory_order_relaxed);
    std::atomic_ref<double>(values_[c]).store(v, std::memory_order_relaxed);
    ++placed;
  }
  return end;
}

std::string Cube::row_problem(const Table& table, std::size_t row) const {
  const std::string at = table.locate(row);
  const std::string prefix = at.empty() ? "" : at + ": ";
  const std::string drop = " (set missing = \"drop\" to skip such rows)";
  for (const Column* key : {region_col_, industry_col_, year_col_})
    if (key && !key->is_valid(row))
      return prefix + "missing key in column '" + key->name + "'" +
             (at.empty() ? " in the row with " + table.keys_text(row) : "") + drop;
  const auto y = static_cast<std::size_t>(year_col_ ? years_.level(*year_col_, row) : 0);
  const auto r = static_cast<std::size_t>(regions_.level(*region_col_, row));
  const auto i = static_cast<std::size_t>(industries_.level(*industry_col_, row));
  const std::size_t c = cell_of_row(row);
  if (c == SIZE_MAX)
    return prefix + "missing value in column '" + options_.value + "' at " + where(y, r, i) + drop;
  const double v = value_col_->number(row);
  if (v < 0 && !options_.allow_negative)
    return prefix + "negative value " + format_number(v) + " in column '" + options_.value +
           "' at " + where(y, r, i);
  return prefix + "duplicate row for " + where(y, r, i) + first_copy(table, row, c) +
         "; aggregate the table first";
}

std::string Cube::first_copy(const Table& table, std::size_t row, std::size_t cell) const {
  for (std::size_t k = 0; k < row; ++k)
    if (cell_of_row(k) == cell) {
      const std::string at = table.locate(k);
      return at.empty() ? "" : " (the first is at " + at + ")";
    }
  return "";
}

std::vector<std::size_t> Cube::present_cells() const {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < present_.size(); ++c)
    if (present_[c]) out.push_back(c);
  return out;
}

std::vector<Column> Cube::key_columns(const std::vector<std::size_t>& cells) const {
  const std::size_t I = n_industries(), R = n_regions();
  std::vector<std::int32_t> ys, rs, is;
  ys.reserve(cells.size());
  rs.reserve(cells.size());
  is.reserve(cells.size());
  for (auto c : cells) {
    is.push_back(static_cast<std::int32_t>(c % I));
    rs.push_back(static_cast<std::int32_t>((c / I) % R));
    ys.push_back(static_cast<std::int32_t>(c / (I * R)));
  }
  std::vector<Column> out;
  if (has_year_) out.push_back(years_.make_column(options_.year, ys));
  out.push_back(regions_.make_column(options_.region, rs));
  out.push_back(industries_.make_column(options_.industry, is));
  return out;
}

}  // namespace klaster::sdk
