// klaster host: what the CLI prints and records: run.json, summaries, plugin descriptions.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline.hpp"

namespace klaster {

/// \brief SHA-256 of the pipeline file, the dataset manifest and every dataset file, by path.
/// Takes a while on large datasets: the CLI computes it on a thread while the steps run.
std::map<std::string, std::string> checksum_inputs(const ValidatedPipeline& pipeline);

/// \brief The JSON text of run.json: versions, checksums of the pipeline and dataset files, and per
/// step its id, plugin, version, resolved parameters, tables written, wall time and status.
std::string run_record_json(const ValidatedPipeline& pipeline, const RunResult& result,
                            const std::map<std::string, std::string>& checksums,
                            const std::vector<std::string>& overrides, double wall_seconds,
                            const std::string& started_at);

/// \brief The pipeline's [[summary]] tables as aligned text.
std::string format_summaries(const ValidatedPipeline& pipeline, const RunResult& result);

/// \brief The rows summary `s` shows of `table` (its where, sort and limit applied) with its
/// columns (all when it names none), as a table; without the names its `names` adds.
sdk::Table summary_rows(const SummaryConfig& s, const sdk::Table& table);

/// \brief `klaster describe`: everything about one plugin, from its metadata. With `lang` other
/// than "en", the summary, description and docs the plugin translates (PluginInfo::translations)
/// are in that language; an untranslated summary or description ends with " [EN]".
std::string describe_plugin(const LoadedPlugin& plugin, const std::string& lang = "en");

/// \brief `klaster plugins`: one line per plugin.
std::string list_plugins(const PluginRegistry& registry);

/// \brief A parameter value as JSON (run.json, the batch store).
nlohmann::json to_json(const sdk::Value& v);

/// \brief The parameter value `j` holds in run.json (the inverse of to_json; a list of mixed or
/// other elements, an empty list and null give no value).
sdk::Value value_of_json(const nlohmann::json& j);

/// \brief Current UTC time as ISO 8601.
std::string utc_now();

}  // namespace klaster
