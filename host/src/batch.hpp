// klaster host: batch files (docs/batch.md): pipelines run under many scenarios of parameter
// values, results into one SQLite store.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "config.hpp"
#include "plugin_loader.hpp"

namespace klaster {

/// \brief One "step.param" = value of a baseline or scenario (param may be "where.COLUMN" or
/// "where.TABLE_PARAMETER.COLUMN"), with where the value is written in the batch file.
struct BatchSetting {
  std::string key;  // as written: "incentive.factor"
  std::string step, param;
  sdk::Value value;
  Location loc;
};

/// \brief A scenario: its id and the settings applied over the baseline.
struct Scenario {
  std::string id;
  std::vector<BatchSetting> settings;
  Location loc;  // the [[scenario]] entry, or the [grid] table
  /// \brief "id (step.param=value, ...)" for messages.
  std::string label() const;
};

struct BatchConfig {
  std::filesystem::path path;
  std::vector<std::filesystem::path> pipelines;  // resolved against the batch file's folder
  std::vector<Location> pipeline_locs;
  std::vector<BatchSetting> baseline;
  std::vector<Scenario> scenarios;   // the [[scenario]] list in file order, then the grid's cells
  std::vector<std::string> collect;  // empty: every table the steps write
  std::vector<Location> collect_locs;
  std::vector<std::vector<WhereClause>> collect_where;  // per collected table: rows kept (all: {})
  std::string store;  // relative to the working directory, as a pipeline's `output`
  Location store_loc;
};

/// \brief Reads a batch file and expands its grid. Throws HostError (exit 2) with file:line.
BatchConfig read_batch(const std::filesystem::path& path);

/// \brief Validates every scenario on every pipeline as `klaster validate PIPELINE --set ...`
/// would, and the collected tables. Throws HostError (exit 2, or the code validate gives).
void validate_batch(const BatchConfig& batch, const PluginRegistry& plugins);

/// \brief Applies `settings` in order, as --set does.
void apply_settings(PipelineConfig& config, const std::vector<BatchSetting>& settings);

/// \brief Pipeline `i` as the batch file names it (relative to the batch file's folder).
std::string pipeline_name(const BatchConfig& batch, std::size_t i);

struct BatchCounts {
  std::size_t ok = 0, failed = 0, skipped = 0;  // skipped: in the store already (--resume)
};

struct BatchRunOptions {
  bool resume = false;    // run only the scenarios the existing store lacks
  int jobs = -1;          // worker processes; -1: one per core; 0: in this process, not isolated
  double timeout = 0;     // seconds one scenario may run on a worker; 0: no limit
  double max_memory = 0;  // MiB of address space a worker may use; 0: no limit
  /// Called with the counts so far and the number of runs to do, as runs finish and while waiting.
  std::function<void(const BatchCounts&, std::size_t runs)> progress;
};

/// \brief `klaster batch BATCH`: validates every scenario, then runs them on worker processes
/// (or in this process with jobs = 0) into the store (docs/batch.md), the dataset read once. A
/// scenario that fails, crashes its worker or times out is recorded as failed and the batch goes
/// on. Throws HostError before any run for a bad batch, an existing store without `resume`, or a
/// store of another batch file; and when the store cannot be written (nothing half-written).
BatchCounts run_batch(const BatchConfig& batch, const PluginRegistry& plugins,
                      const BatchRunOptions& options);

}  // namespace klaster
