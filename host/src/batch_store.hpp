// klaster host: the SQLite store of `klaster batch` (schema in docs/batch.md).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "batch.hpp"

struct sqlite3;

namespace klaster {

class Statement;

/// \brief What one finished scenario run leaves in the store.
struct ScenarioRecord {
  const Scenario* scenario = nullptr;
  std::string pipeline;  // as written in the batch file
  std::string status;    // "ok" | "failed"
  std::string error;
  double seconds = 0;
  std::vector<std::pair<std::string, sdk::Table>> tables;           // store table name, rows
  std::map<std::string, std::map<std::string, std::string>> units;  // table -> column -> unit
};

/// \brief The store: created new, or reopened with `resume` (same batch file only). Throws
/// HostError (exit 2) for an existing store without `resume`, or one of another batch file.
class BatchStore {
 public:
  /// `plugins`, when given, is what the scenarios run with: their versions go to each scenario's
  /// row, and the SHA-256 of every input file and plugin library to the `batch` table (a resumed
  /// store is refused when an input file changed).
  BatchStore(const BatchConfig& batch, const std::string& batch_sha256, bool resume,
             const PluginRegistry* plugins = nullptr);
  ~BatchStore();
  BatchStore(const BatchStore&) = delete;
  BatchStore& operator=(const BatchStore&) = delete;

  /// \brief Whether scenario `id` on `pipeline` is in the scenarios table already.
  bool done(const std::string& id, const std::string& pipeline) const;
  /// \brief Writes the scenario's rows in every table and its scenarios row: one transaction.
  void record(const ScenarioRecord& r);

 private:
  void open(const std::string& file);
  /// The prepared statements, then the connection.
  void close();
  void create_whole(const BatchConfig& batch, const std::string& sha);
  void exec(const std::string& sql);
  [[noreturn]] static void rethrow_naming(const ScenarioRecord& r);
  void create(const BatchConfig& batch, const std::string& sha);
  void check_batch(const std::string& sha);
  void ensure_table(const std::string& name, const sdk::Table& t);
  Statement& insert_statement(const std::string& name, const sdk::Table& t);
  void insert_rows(const std::string& name, const std::string& scenario, const sdk::Table& t);
  void insert_scenario(const ScenarioRecord& r);
  void insert_units(const ScenarioRecord& r);

  sqlite3* db_ = nullptr;
  std::string path_;
  std::string sha_;
  std::vector<std::string>
      param_columns_;  // every setting key of the scenarios, in first-use order
  std::set<std::pair<std::string, std::string>> done_;
  std::map<std::string, std::string> plugins_;  // pipeline -> {"step": "plugin version"} as JSON
  std::map<std::string, std::string> inputs_;   // `batch` rows: "sha256:<pipeline>:<file>", ...
  std::map<std::string, std::set<std::string>> columns_;       // of the output tables known so far
  std::map<std::string, std::unique_ptr<Statement>> inserts_;  // by SQL text
};

}  // namespace klaster
