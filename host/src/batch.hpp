// klaster host: batch files (docs/batch.md): pipelines run under many scenarios of parameter
// values. This step reads a batch file, expands its scenarios and validates every one; nothing runs
// yet.
#pragma once

#include <filesystem>
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
  std::string store;  // relative to the working directory, as a pipeline's `output`
  Location store_loc;
};

/// \brief Reads a batch file and expands its grid. Throws HostError (exit 2) with file:line.
BatchConfig read_batch(const std::filesystem::path& path);

/// \brief Validates every scenario on every pipeline as `klaster validate PIPELINE --set ...`
/// would, and the collected tables. Throws HostError (exit 2, or the code validate gives).
void validate_batch(const BatchConfig& batch, const PluginRegistry& plugins);

}  // namespace klaster
