// Validates a batch: every scenario on every pipeline, as `klaster validate --set` would.
#include "batch.hpp"

#include <algorithm>

#include "errors.hpp"
#include "pipeline.hpp"

namespace klaster {

namespace {

/// Rethrows `e` (from validating `what`) with the batch file's file:line first: a message about a
/// value of the batch file already starts with it, and `what` goes after it; any other message
/// (about the pipeline or its dataset) follows "at: what: ".
[[noreturn]] void rethrow_in(const HostError& e, const BatchConfig& b, const Location& at,
                             const std::string& what) {
  std::string msg = e.what();
  const std::string file = b.path.string() + ":";
  if (const auto colon = msg.find(": "); msg.rfind(file, 0) == 0 && colon != std::string::npos)
    msg = msg.substr(0, colon) + ": " + what + ": " + msg.substr(colon + 2);
  else
    msg = at.prefix() + ": " + what + ": " + msg;
  throw HostError(e.code(), msg);
}

/// The pipeline with `settings` applied, validated (over `checked`, its dataset as the baseline's
/// validation read and checked it, when given); errors rethrown naming `what`.
ValidatedPipeline validate_with(const PipelineConfig& base,
                                const std::vector<BatchSetting>& settings,
                                const PluginRegistry& plugins, const BatchConfig& b,
                                const Location& at, const std::string& what,
                                const DatasetManifest* checked = nullptr) {
  try {
    PipelineConfig config = base;
    apply_settings(config, settings);
    if (checked) return validate_pipeline(std::move(config), plugins, *checked);
    return validate_pipeline(std::move(config), plugins);
  } catch (const HostError& e) {
    rethrow_in(e, b, at, what);
  }
}

std::string written_tables(const ValidatedPipeline& vp, std::vector<std::string>& names) {
  std::string list;
  for (const auto& [name, origin] : vp.tables)
    if (!origin.written_by.empty()) {
      names.push_back(name);
      list += (list.empty() ? "" : ", ") + name;
    }
  return list;
}

/// Each collected table must be written by a step of the pipeline (in every scenario: a scenario
/// may rename a step's `output`); `what` names the scenario, "" for the baseline.
void check_collect(const BatchConfig& b, const ValidatedPipeline& vp, const std::string& pipeline,
                   const std::string& what = "") {
  std::vector<std::string> names;
  const std::string list = written_tables(vp, names);
  for (std::size_t i = 0; i < b.collect.size(); ++i) {
    if (std::find(names.begin(), names.end(), b.collect[i]) != names.end()) {
      check_where(b.collect_where[i], vp.tables.at(b.collect[i]).schema, b.collect[i],
                  [&](const WhereClause& c, const std::string& msg) {
                    throw HostError(kExitPipeline, c.loc.prefix() + ": " +
                                                       (what.empty() ? "" : what + ": ") +
                                                       "collect: " + msg);
                  });
      continue;
    }
    std::string msg =
        "collect: no step of pipeline '" + pipeline + "' writes a table '" + b.collect[i] + "'";
    if (auto near = sdk::nearest(b.collect[i], names); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    throw HostError(kExitPipeline, b.collect_locs[i].prefix() + ": " +
                                       (what.empty() ? "" : what + ": ") + msg +
                                       "; its steps write: " + list);
  }
}

/// The store is only checked for now: not a folder, not one of the pipelines.
void check_store(const BatchConfig& b) {
  Location at = b.store_loc;
  if (!at.line) at.file = b.path.string();
  namespace fs = std::filesystem;
  if (fs::is_directory(b.store))
    throw HostError(kExitPipeline,
                    at.prefix() + ": store '" + b.store + "' is a folder; name a file");
  for (const auto& p : b.pipelines)
    if (fs::exists(b.store) && fs::equivalent(p, b.store))
      throw HostError(kExitPipeline, at.prefix() + ": store '" + b.store + "' is a pipeline file");
}

}  // namespace

void apply_settings(PipelineConfig& config, const std::vector<BatchSetting>& settings) {
  for (const auto& s : settings)
    apply_setting(config, s.step, s.param, s.value, s.loc, s.loc.prefix());
}

std::string pipeline_name(const BatchConfig& b, std::size_t i) {
  // Both made absolute: an absolute pipeline path is not relative to a relative batch folder, and
  // lexically_relative then gives "" (the store named the pipeline "").
  namespace fs = std::filesystem;
  const fs::path folder = fs::absolute(b.path).parent_path().lexically_normal();
  const fs::path pipeline = fs::absolute(b.pipelines[i]).lexically_normal();
  const fs::path name = pipeline.lexically_relative(folder);
  return (name.empty() ? pipeline : name).string();
}

void validate_batch(const BatchConfig& b, const PluginRegistry& plugins) {
  check_store(b);
  for (std::size_t i = 0; i < b.pipelines.size(); ++i) {
    const Location& at = b.pipeline_locs[i];
    const std::string name = pipeline_name(b, i);
    const std::string on = b.pipelines.size() > 1 ? " on pipeline '" + name + "'" : "";
    PipelineConfig base;
    try {
      base = read_pipeline(b.pipelines[i]);
    } catch (const HostError& e) {
      rethrow_in(e, b, at, "pipeline '" + name + "'");
    }
    const ValidatedPipeline vp = validate_with(base, b.baseline, plugins, b, at, "baseline" + on);
    check_collect(b, vp, name);
    apply_settings(base, b.baseline);
    for (const auto& s : b.scenarios)
      check_collect(b,
                    validate_with(base, s.settings, plugins, b, s.loc, s.label() + on, &vp.dataset),
                    name, s.label() + on);
  }
}

}  // namespace klaster
