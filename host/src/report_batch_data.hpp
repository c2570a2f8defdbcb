// klaster host: what `klaster report STORE` reads of a batch store (docs/report.md, "Batch
// stores"): its manifest, its scenarios, and per collected table a summary and the rows a chart
// draws, each bounded in size however many scenarios the store holds.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "klaster/sdk/table.hpp"

namespace klaster {

/// \brief Scenarios listed in the report at most (failed ones first); the store holds them all.
inline constexpr std::size_t kBatchScenarioRows = 200;

/// \brief Values of a grid key the manifest lists at most.
inline constexpr std::size_t kGridValuesShown = 10;

/// \brief Scenarios a batch map offers at most (the options of its scenario drop-down).
inline constexpr std::size_t kMapScenarios = 500;

/// \brief One collected table of the store.
struct StoreTable {
  std::string name;      // `<pipeline stem>__<table>`
  std::size_t rows = 0;  // in the store, of every scenario
  /// Columns that tell a scenario's rows apart (region, year, ...): the fewest text, then integer
  /// columns that are unique in the first ok scenario; the other float columns, and integer ones
  /// that vary there, are values.
  std::vector<std::string> keys, values;
  std::size_t combinations = 0;  // distinct key values in the first ok scenario
  /// Per key combination (the first kReportTableRows): count, min, mean, max of each value across
  /// the ok scenarios.
  sdk::Table summary;
  std::size_t summary_groups = 0;  // key combinations in the summary (all, before the cut)
  /// Rows the charts draw: the scenario, its grid values, the keys and the values, for the first
  /// `chart_combinations` key combinations (as many as fit in kChartMaxRows rows).
  sdk::Table chart;
  std::size_t chart_combinations = 0;
  /// Rows the map draws (only for a table with a text key): the scenario, the keys and the
  /// values of every row of the first `map_scenarios` ok scenarios by id, as many as fit in
  /// kChartMaxRows rows (kChartMaxRows / combinations, at most kMapScenarios; one scenario's first
  /// kChartMaxRows rows when it has more), of the `ok_scenarios` that wrote this table's pipelines.
  sdk::Table map;
  std::size_t map_scenarios = 0, ok_scenarios = 0;
  std::size_t map_scenario_rows = 0;  // with one scenario: its rows in the store (map: the first)
  /// Column -> unit, for the columns every scenario gave one unit (the store's `units` table;
  /// none for a store written before units were recorded).
  std::map<std::string, std::string> units;
};

/// \brief A batch store as the report shows it.
struct BatchStoreReport {
  std::string path;
  std::map<std::string, std::string> batch;          // the `batch` table
  std::vector<std::string> pipelines, params, grid;  // grid: keys set by every grid scenario
  std::map<std::string, std::string> plugins;        // pipeline -> {"step": "plugin version"}
  /// Per grid key: its number of values and the first kGridValuesShown in order, as text.
  std::map<std::string, std::pair<std::size_t, std::vector<std::string>>> grid_values;
  std::size_t ok = 0, failed = 0;
  std::size_t expected = 0;     // runs the batch file makes (0: the batch file cannot be read)
  std::string batch_file_note;  // why `expected` is unknown ("" when known)
  sdk::Table scenarios;         // the first kBatchScenarioRows: failed first, then by id
  std::vector<StoreTable> tables;
  std::string dataset_manifest;  // the first pipeline's dataset.toml, for names of codes
};

/// \brief Reads `store`. Throws HostError (exit 2) when it is not a klaster batch store.
BatchStoreReport read_batch_store(const std::string& store);

/// \brief Whether `path` is an SQLite file (its 16-byte header), so `klaster report` reads it as a
/// store rather than a run folder.
bool is_sqlite_file(const std::string& path);

}  // namespace klaster
