// klaster host: what the CLI prints and records: run.json, summaries, plugin descriptions.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pipeline.hpp"

namespace klaster {

/// \brief The JSON text of run.json: versions, checksums of the pipeline and dataset files, and per
/// step its id, plugin, version, resolved parameters, tables written, wall time and status.
std::string run_record_json(const ValidatedPipeline& pipeline, const RunResult& result,
                            const std::vector<std::string>& overrides, double wall_seconds,
                            const std::string& started_at);

/// \brief The pipeline's [[summary]] tables as aligned text.
std::string format_summaries(const ValidatedPipeline& pipeline, const RunResult& result);

/// \brief `klaster describe`: everything about one plugin, from its metadata.
std::string describe_plugin(const LoadedPlugin& plugin);

/// \brief `klaster plugins`: one line per plugin.
std::string list_plugins(const PluginRegistry& registry);

/// \brief Current UTC time as ISO 8601.
std::string utc_now();

}  // namespace klaster
