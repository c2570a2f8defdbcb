// Runs a batch's scenarios one after another in this process into its store (docs/batch.md).
#include <algorithm>
#include <chrono>

#include "batch.hpp"
#include "batch_store.hpp"
#include "errors.hpp"
#include "output_writer.hpp"
#include "pipeline.hpp"

namespace klaster {

namespace {

/// One pipeline of the batch: its baseline config, validated once (the dataset read once).
struct PipelineRun {
  std::string name;          // as the batch file names it: the scenarios table's `pipeline`
  std::string table_prefix;  // "<pipeline file stem>__"
  PipelineConfig base;       // the pipeline with the baseline applied
  ValidatedPipeline checked;
};

bool collected(const BatchConfig& b, const std::string& table) {
  return b.collect.empty() ||
         std::find(b.collect.begin(), b.collect.end(), table) != b.collect.end();
}

/// Runs one scenario; a failure of any kind is recorded, not thrown.
ScenarioRecord run_scenario(const BatchConfig& b, const PipelineRun& p, const Scenario& s,
                            const PluginRegistry& plugins, DatasetCache& cache) {
  ScenarioRecord r{&s, p.name, "ok", "", 0, {}};
  const auto start = std::chrono::steady_clock::now();
  try {
    PipelineConfig config = p.base;
    apply_settings(config, s.settings);
    const ValidatedPipeline vp = validate_pipeline(std::move(config), plugins, p.checked.dataset);
    auto keep = [&](const std::string& name, const sdk::Table& t) {
      if (collected(b, name)) r.tables.emplace_back(p.table_prefix + name, t);
    };
    run_pipeline(vp, keep, &cache);
  } catch (const std::exception& e) {
    r.status = "failed";
    r.error = e.what();
    r.tables.clear();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

PipelineRun prepare(const BatchConfig& b, std::size_t i, const PluginRegistry& plugins) {
  PipelineConfig base = read_pipeline(b.pipelines[i]);
  apply_settings(base, b.baseline);
  ValidatedPipeline checked = validate_pipeline(base, plugins);
  return {pipeline_name(b, i), b.pipelines[i].stem().string() + "__", std::move(base),
          std::move(checked)};
}

}  // namespace

BatchCounts run_batch(const BatchConfig& b, const PluginRegistry& plugins, bool resume) {
  validate_batch(b, plugins);
  BatchStore store(b, sha256_file(b.path), resume, &plugins);
  DatasetCache cache;
  BatchCounts counts;
  for (std::size_t i = 0; i < b.pipelines.size(); ++i) {
    const PipelineRun p = prepare(b, i, plugins);
    for (const auto& s : b.scenarios) {
      if (store.done(s.id, p.name)) {
        ++counts.skipped;
        continue;
      }
      const ScenarioRecord r = run_scenario(b, p, s, plugins, cache);
      store.record(r);
      ++(r.status == "ok" ? counts.ok : counts.failed);
    }
  }
  return counts;
}

}  // namespace klaster
