// Reading a batch store for its report: every query is bounded (the first scenario's rows, a
// LIMIT), so a store of 100,000 scenarios gives a report of the same size as one of ten.
#include "report_batch_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "batch.hpp"
#include "batch_store_read.hpp"
#include "errors.hpp"
#include "output_writer.hpp"
#include "report.hpp"
#include "report_page.hpp"
#include "report_views.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

std::string list_sql(const std::vector<std::string>& names, const std::string& prefix) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + prefix + quoted(n);
  return out;
}

/// The pipelines whose tables `table` holds, as an SQL list of literals.
std::string pipelines_sql(const Layout& l, const std::string& table) {
  std::string in;
  for (const auto& p : l.tables.at(table)) in += (in.empty() ? "" : ", ") + literal(p);
  return "(" + in + ")";
}

/// Grid scenarios are numbered g0001, g0002, ... (docs/batch.md, "Scenario ids"); the grid's keys
/// are those every one of them sets.
const char* const kGridScenarios =
    " FROM scenarios WHERE id GLOB 'g[0-9][0-9][0-9][0-9]*' AND ltrim(substr(id, 2), "
    "'0123456789') = ''";

std::vector<std::string> grid_keys(sqlite3* db, const Layout& l, const std::string& store) {
  const std::string grid = kGridScenarios;
  if (first_column(db, "SELECT count(*)" + grid, store).at(0) == "0") return {};
  std::vector<std::string> out;
  for (const auto& p : l.params)
    if (first_column(db, "SELECT count(*)" + grid + " AND " + quoted(p) + " IS NULL", store)
            .at(0) == "0")
      out.push_back(p);
  return out;
}

/// The values of each grid key in the grid's scenarios (a named scenario may set it otherwise).
void read_grid_values(sqlite3* db, BatchStoreReport& r) {
  for (const auto& g : r.grid) {
    const std::string from = kGridScenarios + (" AND " + quoted(g) + " IS NOT NULL");
    r.grid_values[g] = {
        std::stoull(
            first_column(db, "SELECT count(DISTINCT " + quoted(g) + ")" + from, r.path).at(0)),
        first_column(db,
                     "SELECT DISTINCT " + quoted(g) + from +
                         fmt::format(" ORDER BY 1 LIMIT {}", kGridValuesShown),
                     r.path)};
  }
}

/// Whether the rows of `t` differ in `keys` (every row a distinct combination).
bool unique_by(const sdk::Table& t, const std::vector<std::string>& keys) {
  std::set<std::vector<std::string>> seen;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::vector<std::string> k;
    for (const auto& c : keys) k.push_back(t.column(c).is_valid(r) ? t.column(c).to_text(r) : "");
    if (!seen.insert(k).second) return false;
  }
  return true;
}

bool varies(const sdk::Column& c, std::size_t rows) {
  std::set<std::string> v;
  for (std::size_t r = 0; r < rows && v.size() < 2; ++r)
    v.insert(c.is_valid(r) ? c.to_text(r) : "");
  return v.size() > 1;
}

/// Keys: text columns that vary, then integer ones, until they tell the rows apart; values: the
/// other float columns and the integer ones that vary.
void split_columns(const sdk::Table& first, StoreTable& t) {
  for (auto type : {sdk::ColumnType::kString, sdk::ColumnType::kInt})
    for (const auto& c : first.columns()) {
      if (c.name == "scenario" || c.type != type || !varies(c, first.rows())) continue;
      if (unique_by(first, t.keys)) break;
      t.keys.push_back(c.name);
    }
  for (const auto& c : first.columns())  // an integer the same in every row is no value (year)
    if (c.name != "scenario" && c.type != sdk::ColumnType::kString &&
        (c.type == sdk::ColumnType::kFloat || varies(c, first.rows())) &&
        std::find(t.keys.begin(), t.keys.end(), c.name) == t.keys.end())
      t.values.push_back(c.name);
  t.combinations = first.rows();
}

std::string summary_sql(const StoreTable& t, const std::string& join) {
  std::string cols = list_sql(t.keys, "t.");
  if (!cols.empty()) cols += ", ";
  cols += "count(*) AS scenarios";
  for (const auto& v : t.values)
    cols += fmt::format(", min(t.{0}) AS {1}, avg(t.{0}) AS {2}, max(t.{0}) AS {3}", quoted(v),
                        quoted(v + " min"), quoted(v + " mean"), quoted(v + " max"));
  const std::string group = t.keys.empty() ? "" : " GROUP BY " + list_sql(t.keys, "t.");
  const std::string order = t.keys.empty() ? "" : " ORDER BY min(t.rowid)";
  return "SELECT " + cols + join + group + order;
}

/// The rows of the first `n` key combinations (of the first ok scenario) of every ok scenario.
std::string chart_sql(const StoreTable& t, const BatchStoreReport& r, const std::string& join,
                      const std::string& first, std::size_t n) {
  std::string cols = "s.id AS scenario";
  for (const auto& g : r.grid) cols += ", s." + quoted(g);
  for (const auto& c : t.keys) cols += ", t." + quoted(c);
  for (const auto& c : t.values) cols += ", t." + quoted(c);
  std::string where;
  if (!t.keys.empty())
    where = " AND (" + list_sql(t.keys, "t.") + ") IN (SELECT " + list_sql(t.keys, "") + " FROM " +
            quoted(t.name) + " WHERE scenario = " + literal(first) +
            fmt::format(" ORDER BY rowid LIMIT {})", n);
  return "SELECT " + cols + join + where + fmt::format(" ORDER BY s.id LIMIT {}", kChartMaxRows);
}

/// Every row of the first `k` ok scenarios (by id) of the table's pipelines, the first
/// kChartMaxRows.
std::string map_sql(const StoreTable& t, const std::string& join, const std::string& in,
                    std::size_t k) {
  std::string cols = "s.id AS scenario";
  for (const auto& c : t.keys) cols += ", t." + quoted(c);
  for (const auto& c : t.values) cols += ", t." + quoted(c);
  return "SELECT " + cols + join +
         " AND s.id IN (SELECT id FROM scenarios WHERE status = 'ok' AND pipeline IN " + in +
         fmt::format(" ORDER BY id LIMIT {}) ORDER BY s.id, t.rowid LIMIT {}", k, kChartMaxRows);
}

/// The map's rows, for a table with a text key (one that may hold region codes).
void read_map_rows(sqlite3* db, const sdk::Table& first, const std::string& join,
                   const std::string& in, const std::string& store, StoreTable& t) {
  if (std::none_of(t.keys.begin(), t.keys.end(), [&](const std::string& k) {
        return first.column(k).type == sdk::ColumnType::kString;
      }))
    return;
  t.ok_scenarios = std::stoull(first_column(db,
                                            "SELECT count(*) FROM scenarios WHERE status = 'ok' "
                                            "AND pipeline IN " +
                                                in,
                                            store)
                                   .at(0));
  const std::size_t k = std::clamp<std::size_t>(
      kChartMaxRows / std::max<std::size_t>(1, t.combinations), 1, kMapScenarios);
  t.map = query_table(db, map_sql(t, join, in, k), store);
  std::set<std::string> ids;
  for (std::size_t r = 0; r < t.map.rows(); ++r) ids.insert(t.map.columns()[0].to_text(r));
  t.map_scenarios = ids.size();
  if (t.map_scenarios != 1) return;
  const std::string count = "SELECT count(*) FROM " + klaster::quoted(t.name) +
                            " WHERE scenario = " + literal(*ids.begin());
  t.map_scenario_rows = std::stoull(first_column(db, count, store).at(0));
}

StoreTable read_table(sqlite3* db, const Layout& l, const std::string& name,
                      const BatchStoreReport& r) {
  StoreTable t;
  t.name = name;
  const std::string store = r.path, in = pipelines_sql(l, name);
  t.rows = std::stoull(first_column(db, "SELECT count(*) FROM " + quoted(name), store).at(0));
  const std::string join = " FROM " + quoted(name) +
                           " AS t JOIN scenarios AS s ON s.id = t.scenario AND s.pipeline IN " +
                           in + " WHERE s.status = 'ok'";
  const auto firsts = first_column(db, "SELECT t.scenario" + join + " LIMIT 1", store);
  if (firsts.empty()) return t;
  const std::string first = firsts[0];
  const sdk::Table first_rows = query_table(
      db,
      "SELECT * FROM " + quoted(name) + " WHERE scenario = " + literal(first) + " ORDER BY rowid",
      store);
  split_columns(first_rows, t);
  t.summary_groups = std::stoull(
      first_column(db, "SELECT count(*) FROM (" + summary_sql(t, join) + ")", store).at(0));
  t.summary =
      query_table(db, summary_sql(t, join) + fmt::format(" LIMIT {}", kReportTableRows), store);
  const std::size_t per = std::max<std::size_t>(1, r.ok);
  t.chart_combinations = std::max<std::size_t>(1, std::min(t.combinations, kChartMaxRows / per));
  t.chart = query_table(db, chart_sql(t, r, join, first, t.chart_combinations), store);
  read_map_rows(db, first_rows, join, in, store, t);
  return t;
}

sdk::Table scenario_rows(sqlite3* db, const Layout& l, const std::string& store) {
  std::string cols = "id AS scenario";
  if (l.pipelines.size() > 1) cols += ", pipeline";
  for (const auto& p : l.params) cols += ", " + quoted(p);
  cols += ", status, error, seconds";
  return query_table(db,
                     "SELECT " + cols + " FROM scenarios ORDER BY status = 'failed' DESC, id, " +
                         fmt::format("pipeline LIMIT {}", kBatchScenarioRows),
                     store);
}

/// How many runs the batch file makes, read again when it is still there unchanged (the store
/// records the scenarios that finished, not those it was to hold).
void expected_runs(BatchStoreReport& r) {
  const std::string file = r.batch["batch_file"];
  std::error_code ec;
  if (file.empty() || !fs::is_regular_file(file, ec)) {
    r.batch_file_note = "batch_file_missing";
    return;
  }
  if (sha256_file(file) != r.batch["batch_sha256"]) {
    r.batch_file_note = "batch_file_changed";
    return;
  }
  try {
    const BatchConfig b = read_batch(file);
    r.expected = b.scenarios.size() * b.pipelines.size();
  } catch (const HostError&) {
    r.batch_file_note = "batch_file_missing";
  }
}

/// The first pipeline's dataset.toml, named in the `batch` table relative to the pipeline's
/// folder, which is relative to the batch file's.
std::string dataset_manifest(const BatchStoreReport& r) {
  if (r.pipelines.empty()) return "";
  const std::string prefix = "sha256:" + r.pipelines[0] + ":";
  const fs::path folder =
      (fs::path(r.batch.count("batch_file") ? r.batch.at("batch_file") : "").parent_path() /
       r.pipelines[0])
          .parent_path();
  for (const auto& [k, v] : r.batch)
    if (k.rfind(prefix, 0) == 0 && fs::path(k.substr(prefix.size())).filename() == "dataset.toml")
      return (folder / k.substr(prefix.size())).lexically_normal().string();
  return "";
}

void read_counts(sqlite3* db, BatchStoreReport& r) {
  r.ok = std::stoull(
      first_column(db, "SELECT count(*) FROM scenarios WHERE status = 'ok'", r.path).at(0));
  r.failed = std::stoull(
      first_column(db, "SELECT count(*) FROM scenarios WHERE status != 'ok'", r.path).at(0));
  Stmt st =
      prepare(db, "SELECT pipeline, plugins FROM scenarios WHERE plugins IS NOT NULL", r.path);
  while (sqlite3_step(st.get()) == SQLITE_ROW)
    r.plugins.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)),
                      reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1)));
}

}  // namespace

BatchStoreReport read_batch_store(const std::string& store) {
  const Db db = open_store(store);
  BatchStoreReport r;
  r.path = store;
  Stmt st = prepare(db.get(), "SELECT key, value FROM batch", store);
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    const auto* v = sqlite3_column_text(st.get(), 1);
    r.batch[reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0))] =
        v ? reinterpret_cast<const char*>(v) : "";
  }
  const Layout l = read_layout(db.get(), store);
  r.pipelines = l.pipelines;
  r.params = l.params;
  r.grid = grid_keys(db.get(), l, store);
  read_grid_values(db.get(), r);
  read_counts(db.get(), r);
  expected_runs(r);
  r.dataset_manifest = dataset_manifest(r);
  r.scenarios = scenario_rows(db.get(), l, store);
  for (const auto& [name, pipelines] : l.tables)
    r.tables.push_back(read_table(db.get(), l, name, r));
  StoreUnits units = store_units(db.get(), store);
  for (StoreTable& t : r.tables) t.units = std::move(units[t.name]);
  return r;
}

bool is_sqlite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  return in && std::string(head, sizeof head) == std::string("SQLite format 3\0", 16);
}

}  // namespace klaster
