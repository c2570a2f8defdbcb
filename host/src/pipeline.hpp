// klaster host: validating and running a pipeline over a dataset.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "units.hpp"

namespace klaster {

/// \brief Where a table in scope comes from.
struct TableOrigin {
  sdk::Schema schema;
  std::string written_by;                   // step id, or "" for a dataset table
  const TableManifest* manifest = nullptr;  // dataset tables only
  ColumnUnits units;                        // the units known of its columns (units.hpp)
};

/// \brief The `where` clauses of a step on one table it reads, checked against that table.
struct StepFilter {
  std::string param;  // the table parameter
  std::string table;  // the table it names; no other table parameter of the step names it
  std::vector<WhereClause> clauses;  // never empty
};

struct ValidatedStep {
  const StepConfig* config = nullptr;
  const LoadedPlugin* plugin = nullptr;
  sdk::Params params;
  std::string output;  // primary output table name
  std::vector<std::pair<std::string, sdk::Schema>> outputs;
  std::vector<StepFilter> filters;  // one per filtered table parameter
};

/// \brief A pipeline checked against its dataset and plugins; nothing has run.
struct ValidatedPipeline {
  PipelineConfig config;
  DatasetManifest dataset;
  std::vector<ValidatedStep> steps;
  std::map<std::string, TableOrigin> tables;  // every table in scope after the last step
  /// For each table some step reads: the index of the last step reading it; SIZE_MAX for tables a
  /// summary prints. A run frees a table's memory once that step is done (it is on disk by then).
  std::map<std::string, std::size_t> last_use;
};

/// \brief Checks everything `klaster validate` promises: keys (already by read_pipeline), plugin
/// names, parameters (types, ranges, allowed values), table and column references, where clauses,
/// output names, summaries; the dataset manifest and the headers of its files. Throws HostError.
ValidatedPipeline validate_pipeline(PipelineConfig config, const PluginRegistry& plugins);
/// \brief The same over a dataset a validate_pipeline of the same dataset folder has read and
/// checked already (a batch's scenarios): its manifest and files are not read again.
ValidatedPipeline validate_pipeline(PipelineConfig config, const PluginRegistry& plugins,
                                    const DatasetManifest& checked);

struct StepRecord {
  std::string id, plugin, plugin_version;
  sdk::Params params;
  std::vector<std::pair<std::string, std::size_t>> tables_written;  // name, rows
  double seconds = 0;
  std::string status;  // "ok" | "failed" | "not run"
};

/// \brief Result of running the steps: every table in scope, and what each step did.
struct RunResult {
  std::map<std::string, sdk::TablePtr> tables;
  std::vector<StepRecord> steps;
};

/// \brief Runs the steps in order. Each written table is handed to `on_table` as soon as the step
/// finishes (the CLI writes it into the staging folder). Throws HostError: exit 1 for a step that
/// failed, 3 for a dataset or values a plugin cannot take (the output stage is then discarded).
/// `cache`, when given, holds the dataset tables loaded so far, by file and table name (a batch
/// loads each once and hands the same table to every scenario).
using DatasetCache = std::map<std::pair<std::filesystem::path, std::string>, sdk::TablePtr>;
RunResult run_pipeline(const ValidatedPipeline& pipeline,
                       const std::function<void(const std::string&, const sdk::Table&)>& on_table,
                       DatasetCache* cache = nullptr);

/// \brief Loads into `cache` every dataset table a step or summary of `vp` reads (a batch does so
/// before starting its worker processes, which then share the tables).
void preload_dataset(const ValidatedPipeline& vp, DatasetCache& cache);

/// \brief Loads one dataset table as its manifest says. Throws HostError (exit 3).
sdk::TablePtr load_dataset_table(const TableManifest& manifest);

/// \brief Checks `where` clauses against the schema of table `table`: an unknown column (with a
/// did-you-mean) or a value of the wrong type is reported through `fail(clause, message)`, which
/// must throw.
void check_where(const std::vector<WhereClause>& where, const sdk::Schema& schema,
                 const std::string& table,
                 const std::function<void(const WhereClause&, const std::string&)>& fail);

/// \brief The rows of `table` selected by `where` (all clauses must hold).
sdk::Table apply_where(const sdk::Table& table, const std::vector<WhereClause>& where);

}  // namespace klaster
