// The SQLite store of `klaster batch`: one transaction per finished scenario (docs/batch.md).
#include "batch_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <klaster/sdk/version.hpp>

#include "errors.hpp"
#include "pipeline.hpp"
#include "report.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

/// An output column's name in the store: `scenario` (the id column) becomes `scenario_`.
std::string column_name(const std::string& name) { return name == "scenario" ? "scenario_" : name; }

const char* sql_type(sdk::ColumnType t) {
  switch (t) {
    case sdk::ColumnType::kInt:
      return "INTEGER";
    case sdk::ColumnType::kFloat:
      return "REAL";
    default:
      return "TEXT";
  }
}

}  // namespace

/// A prepared statement, finalized at destruction; errors throw naming the store.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql, const std::string& store)
      : db_(db), store_(store) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) fail();
  }
  ~Statement() { sqlite3_finalize(st_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void text(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  /// Binds text that stays alive until the statement has run (no copy).
  void text_view(int i, std::string_view s) {
    sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  void real(int i, double v) { sqlite3_bind_double(st_, i, v); }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
  void null(int i) { sqlite3_bind_null(st_, i); }
  /// Steps once: true while a row is there.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail();
    return rc == SQLITE_ROW;
  }
  void run_again() {
    step();
    sqlite3_reset(st_);
  }
  std::string column_text(int i) const {
    const auto* t = sqlite3_column_text(st_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  [[noreturn]] void fail() const {
    throw HostError(kExitStepFailed, "store '" + store_ + "': " + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
  std::string store_;
};

namespace {

void bind_value(Statement& st, int i, const sdk::Value& v) {
  if (const auto* x = std::get_if<std::int64_t>(&v)) return st.integer(i, *x);
  if (const auto* x = std::get_if<double>(&v)) return st.real(i, *x);
  if (const auto* x = std::get_if<bool>(&v)) return st.integer(i, *x ? 1 : 0);
  if (const auto* x = std::get_if<std::string>(&v)) return st.text(i, *x);
  if (std::holds_alternative<std::monostate>(v)) return st.null(i);
  st.text(i, to_json(v).dump());  // a list: its JSON text
}

void bind_cell(Statement& st, int i, const sdk::Column& c, std::size_t row) {
  if (!c.is_valid(row)) return st.null(i);
  if (c.type == sdk::ColumnType::kString) return st.text_view(i, c.str(row));
  if (c.type == sdk::ColumnType::kInt) return st.integer(i, c.ints[row]);
  st.real(i, c.floats[row]);
}

std::vector<std::string> setting_keys(const BatchConfig& b) {
  std::vector<std::string> keys;
  for (const auto& s : b.scenarios)
    for (const auto& set : s.settings)
      if (std::find(keys.begin(), keys.end(), set.key) == keys.end()) keys.push_back(set.key);
  return keys;
}

/// What the scenarios of a batch run with, per pipeline (with the baseline applied): the plugin
/// version of each step, and the SHA-256 of the pipeline file, the dataset manifest, each dataset
/// file (keyed by their path relative to the pipeline's folder, so a resume from another working
/// directory finds them) and each plugin library.
struct RunInputs {
  std::map<std::string, std::string> plugins, rows;
};

RunInputs run_inputs(const BatchConfig& b, const PluginRegistry& registry) {
  RunInputs out;
  for (std::size_t i = 0; i < b.pipelines.size(); ++i) {
    PipelineConfig config = read_pipeline(b.pipelines[i]);
    apply_settings(config, b.baseline);
    const ValidatedPipeline vp = validate_pipeline(std::move(config), registry);
    const std::string name = pipeline_name(b, i);
    nlohmann::ordered_json steps = nlohmann::ordered_json::object();
    std::set<std::string> libraries;
    for (const auto& s : vp.steps) {
      steps[s.config->id] = s.plugin->info.name + " " + s.plugin->info.version;
      libraries.insert(fs::absolute(s.plugin->file).lexically_normal().string());
    }
    out.plugins[name] = steps.dump();
    const fs::path folder = fs::absolute(b.pipelines[i]).lexically_normal().parent_path();
    for (const auto& [file, sha] : checksum_inputs(vp)) {
      const std::string abs = fs::absolute(file).lexically_normal().string();
      if (libraries.count(abs))
        out.rows["plugin_sha256:" + abs] = sha;
      else
        out.rows["sha256:" + name + ":" + fs::path(abs).lexically_relative(folder).string()] = sha;
    }
  }
  return out;
}

/// Refuses to resume over other inputs: results over other data, or another pipeline file, must not
/// mix with those in the store. `stored` selects the store's "sha256:<pipeline>:<file>" rows.
void check_inputs(Statement& stored, const std::map<std::string, std::string>& now,
                  const std::string& store) {
  while (stored.step()) {
    const std::string key = stored.column_text(0), then = stored.column_text(1);
    const auto it = now.find(key);
    if (it != now.end() && it->second == then) continue;
    const std::string what = key.substr(7);  // "<pipeline>:<file>"
    const auto colon = what.find(':');
    const std::string change = it == now.end()
                                   ? "is no longer one of its inputs"
                                   : "has changed (SHA-256 then " + then.substr(0, 12) +
                                         "..., now " + it->second.substr(0, 12) + "...)";
    throw HostError(
        kExitPipeline,
        "--resume: store '" + store + "' was written with other inputs: " + what.substr(colon + 1) +
            " of pipeline " + what.substr(0, colon) + " " + change + "; name another `store`");
  }
}

}  // namespace

BatchStore::BatchStore(const BatchConfig& batch, const std::string& sha, bool resume,
                       const PluginRegistry* plugins)
    : path_(batch.store), sha_(sha), param_columns_(setting_keys(batch)) {
  if (plugins) {
    RunInputs inputs = run_inputs(batch, *plugins);
    plugins_ = std::move(inputs.plugins);
    inputs_ = std::move(inputs.rows);
  }
  const bool exists = fs::exists(path_);
  if (exists && !resume)
    throw HostError(kExitPipeline, "store '" + path_ +
                                       "' exists: pass --resume to run the scenarios it lacks, "
                                       "or name another `store` in the batch file");
  try {
    if (!exists) {
      create_whole(batch, sha);
    } else {
      open(path_);
      check_batch(sha);
    }
  } catch (...) {  // no destructor runs for an object whose constructor threw: close it here
    close();
    throw;
  }
}

void BatchStore::close() {
  inserts_.clear();  // statements first: a connection with statements open does not close
  sqlite3_close(db_);
  db_ = nullptr;
}

/// Opens the connection with the store's settings. One thread uses it: no SQLite mutexes.
void BatchStore::open(const std::string& file) {
  if (sqlite3_open_v2(file.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK)
    throw HostError(kExitPipeline, "store '" + file + "': " + sqlite3_errmsg(db_));
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA wal_autocheckpoint=16384");
}

/// Creates the store under "<store>.creating" (klaster's own scratch name, replaced when found)
/// and links it to its name once its tables are there: a batch killed meanwhile leaves no store
/// that --resume would refuse, and a store that appeared meanwhile is never replaced.
void BatchStore::create_whole(const BatchConfig& batch, const std::string& sha) {
  if (const fs::path dir = fs::path(path_).parent_path(); !dir.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
      throw HostError(kExitPipeline, "store '" + path_ + "': cannot create its folder '" +
                                         dir.string() + "': " + ec.message());
  }
  const std::string fresh = path_ + ".creating";
  for (const char* end : {"", "-wal", "-shm"}) fs::remove(fresh + end);
  open(fresh);
  create(batch, sha);
  close();
  if (::link(fresh.c_str(), path_.c_str()) != 0)
    throw HostError(kExitPipeline,
                    "store '" + path_ + "': cannot create it: " + std::strerror(errno));
  fs::remove(fresh);
  open(path_);
}

BatchStore::~BatchStore() { close(); }

/// The units of the collected tables' columns, as each scenario gave them (docs/batch.md).
const std::string kCreateUnits =
    "CREATE TABLE IF NOT EXISTS units (table_name TEXT NOT NULL, column_name TEXT NOT NULL, unit "
    "TEXT NOT NULL, PRIMARY KEY (table_name, column_name, unit))";

void BatchStore::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    throw HostError(kExitStepFailed, "store '" + path_ + "': " + msg);
  }
}

void BatchStore::create(const BatchConfig& batch, const std::string& sha) {
  std::string params;
  for (const auto& k : param_columns_) params += quoted(k) + ", ";
  exec("BEGIN");
  exec("CREATE TABLE batch (key TEXT PRIMARY KEY, value TEXT)");
  exec("CREATE TABLE scenarios (id TEXT NOT NULL, pipeline TEXT NOT NULL, parameters TEXT, " +
       params +
       "status TEXT NOT NULL, error TEXT, seconds REAL, klaster_version TEXT, plugins TEXT, "
       "batch_sha256 TEXT, finished_at TEXT, PRIMARY KEY (id, pipeline))");
  exec(kCreateUnits);
  Statement st(db_, "INSERT INTO batch VALUES (?, ?)", path_);
  std::map<std::string, std::string> rows = inputs_;
  rows.insert({{"batch_sha256", sha},
               {"batch_file", fs::absolute(batch.path).lexically_normal().string()},
               {"klaster_version", KLASTER_VERSION},
               {"created_at", utc_now()}});
  for (const auto& [k, v] : rows) {
    st.text(1, k);
    st.text(2, v);
    st.run_again();
  }
  exec("COMMIT");
}

void BatchStore::check_batch(const std::string& sha) {
  std::string stored;
  try {
    Statement st(db_, "SELECT value FROM batch WHERE key = 'batch_sha256'", path_);
    if (st.step()) stored = st.column_text(0);
  } catch (const HostError&) {
  }
  if (stored.empty())
    throw HostError(kExitPipeline, "store '" + path_ + "' is not a klaster batch store");
  if (stored != sha)
    throw HostError(kExitPipeline, "--resume: store '" + path_ +
                                       "' was written by another batch file (batch_sha256 " +
                                       stored.substr(0, 12) + "..., this file's " +
                                       sha.substr(0, 12) + "...): name another `store`");
  Statement inputs(db_, "SELECT key, value FROM batch WHERE key LIKE 'sha256:%'", path_);
  if (!inputs_.empty()) check_inputs(inputs, inputs_, path_);
  Statement has(db_, "SELECT 1 FROM pragma_table_info('scenarios') WHERE name = 'plugins'", path_);
  if (!has.step()) exec("ALTER TABLE scenarios ADD COLUMN plugins TEXT");  // a store of 0.1.0
  exec(kCreateUnits);  // a store written before units were recorded
  Statement st(db_, "SELECT id, pipeline FROM scenarios", path_);
  while (st.step()) done_.emplace(st.column_text(0), st.column_text(1));
}

bool BatchStore::done(const std::string& id, const std::string& pipeline) const {
  return done_.count({id, pipeline}) > 0;
}

void BatchStore::ensure_table(const std::string& name, const sdk::Table& t) {
  auto [it, fresh] = columns_.try_emplace(name);
  if (fresh) {
    Statement st(db_, "SELECT name FROM pragma_table_info(?)", path_);
    st.text(1, name);
    while (st.step()) it->second.insert(st.column_text(0));
  }
  if (it->second.empty()) {
    std::string cols = "scenario TEXT NOT NULL";
    for (const auto& c : t.columns())
      cols += ", " + quoted(column_name(c.name)) + " " + sql_type(c.type);
    exec("CREATE TABLE " + quoted(name) + " (" + cols + ")");
    exec("CREATE INDEX " + quoted(name + "__scenario") + " ON " + quoted(name) + " (scenario)");
    it->second.insert("scenario");
    for (const auto& c : t.columns()) it->second.insert(column_name(c.name));
  }
  for (const auto& c : t.columns())  // a scenario may write a column the first one did not
    if (it->second.insert(column_name(c.name)).second)
      exec("ALTER TABLE " + quoted(name) + " ADD COLUMN " + quoted(column_name(c.name)) + " " +
           sql_type(c.type));
}

/// The INSERT of `t`'s columns into table `name`, prepared once per table and column list.
Statement& BatchStore::insert_statement(const std::string& name, const sdk::Table& t) {
  std::string cols = "scenario", marks = "?";
  for (const auto& c : t.columns()) {
    cols += ", " + quoted(column_name(c.name));
    marks += ", ?";
  }
  const std::string sql = "INSERT INTO " + quoted(name) + " (" + cols + ") VALUES (" + marks + ")";
  auto& st = inserts_[sql];
  if (!st) st = std::make_unique<Statement>(db_, sql, path_);
  return *st;
}

void BatchStore::insert_rows(const std::string& name, const std::string& scenario,
                             const sdk::Table& t) {
  Statement& st = insert_statement(name, t);
  const auto columns = t.columns();
  for (std::size_t r = 0; r < t.rows(); ++r) {
    st.text_view(1, scenario);
    for (std::size_t i = 0; i < columns.size(); ++i)
      bind_cell(st, static_cast<int>(i) + 2, columns[i], r);
    st.run_again();
  }
}

void BatchStore::insert_scenario(const ScenarioRecord& r) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& s : r.scenario->settings) params[s.key] = to_json(s.value);
  std::string cols =
                  "id, pipeline, parameters, status, error, seconds, klaster_version, "
                  "batch_sha256, finished_at, plugins",
              marks = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
  for (const auto& k : param_columns_) {
    cols += ", " + quoted(k);
    marks += ", ?";
  }
  Statement st(db_, "INSERT INTO scenarios (" + cols + ") VALUES (" + marks + ")", path_);
  st.text(1, r.scenario->id);
  st.text(2, r.pipeline);
  st.text(3, params.dump());
  st.text(4, r.status);
  r.error.empty() ? st.null(5) : st.text(5, r.error);
  st.real(6, r.seconds);
  st.text(7, KLASTER_VERSION);
  st.text(8, sha_);
  st.text(9, utc_now());
  if (const auto p = plugins_.find(r.pipeline); p != plugins_.end())
    st.text(10, p->second);
  else
    st.null(10);
  for (std::size_t i = 0; i < param_columns_.size(); ++i) {
    sdk::Value v;
    for (const auto& s : r.scenario->settings)
      if (s.key == param_columns_[i]) v = s.value;
    bind_value(st, static_cast<int>(i) + 11, v);
  }
  st.run_again();
}

/// Each unit a scenario gave a collected column (scenarios may differ: the report shows a column's
/// unit only when every scenario gave it the same).
void BatchStore::insert_units(const ScenarioRecord& r) {
  if (r.units.empty()) return;
  Statement st(db_, "INSERT OR IGNORE INTO units VALUES (?, ?, ?)", path_);
  for (const auto& [table, units] : r.units)
    for (const auto& [column, unit] : units) {
      st.text(1, table);
      st.text(2, column_name(column));  // as the table's column is named
      st.text(3, unit);
      st.run_again();
    }
}

void BatchStore::record(const ScenarioRecord& r) {
  exec("BEGIN IMMEDIATE");
  try {
    for (const auto& [name, table] : r.tables) {
      ensure_table(name, table);
      insert_rows(name, r.scenario->id, table);
    }
    insert_units(r);
    insert_scenario(r);
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    columns_.clear();  // a rolled-back CREATE or ALTER: read the columns again
    inserts_.clear();
    rethrow_naming(r);
  }
  done_.emplace(r.scenario->id, r.pipeline);
}

/// The current exception; a store error also says what is in the store and how to go on.
void BatchStore::rethrow_naming(const ScenarioRecord& r) {
  try {
    throw;
  } catch (const HostError& e) {
    throw HostError(e.code(), std::string(e.what()) + " (writing scenario '" + r.scenario->id +
                                  "'; the store holds every scenario finished before it: make "
                                  "room and continue with --resume)");
  }
}

}  // namespace klaster
