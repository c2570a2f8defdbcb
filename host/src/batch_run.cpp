// Runs a batch's scenarios on worker processes (or in this process) into its store
// (docs/batch.md).
#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "batch.hpp"
#include "batch_store.hpp"
#include "batch_workers.hpp"
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

/// The rows of `table` the batch collects: all, some (`collect`'s `where`) or none (nullopt).
std::optional<sdk::Table> collected(const BatchConfig& b, const std::string& name,
                                    const sdk::Table& table) {
  if (b.collect.empty()) return table;
  const auto it = std::find(b.collect.begin(), b.collect.end(), name);
  if (it == b.collect.end()) return std::nullopt;
  return apply_where(table, b.collect_where[static_cast<std::size_t>(it - b.collect.begin())]);
}

/// Runs one scenario; a failure of any kind is recorded, not thrown.
RunOutcome run_scenario(const BatchConfig& b, const PipelineRun& p, const RunTask& t,
                        const PluginRegistry& plugins, DatasetCache& cache) {
  RunOutcome r{t, true, "", 0, {}};
  const auto start = std::chrono::steady_clock::now();
  try {
    PipelineConfig config = p.base;
    apply_settings(config, b.scenarios[t.scenario].settings);
    const ValidatedPipeline vp = validate_pipeline(std::move(config), plugins, p.checked.dataset);
    auto keep = [&](const std::string& name, const sdk::Table& t) {
      if (auto rows = collected(b, name, t)) r.tables.emplace_back(p.table_prefix + name, *rows);
    };
    run_pipeline(vp, keep, &cache);
  } catch (const std::exception& e) {
    r.ok = false;
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

/// The runs the store lacks, pipeline by pipeline in the listed order of scenarios.
std::vector<RunTask> pending(const BatchConfig& b, const std::vector<PipelineRun>& runs,
                             const BatchStore& store, BatchCounts& counts) {
  std::vector<RunTask> tasks;
  for (std::uint32_t p = 0; p < runs.size(); ++p)
    for (std::uint32_t s = 0; s < b.scenarios.size(); ++s) {
      if (store.done(b.scenarios[s].id, runs[p].name))
        ++counts.skipped;
      else
        tasks.push_back({p, s});
    }
  return tasks;
}

WorkerOptions worker_options(const BatchRunOptions& o) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  WorkerOptions w;
  w.jobs = o.jobs < 0 ? cores : static_cast<unsigned>(o.jobs);
  w.timeout = o.timeout;
  w.max_memory_mib = o.max_memory;
  w.threads = std::max(1u, cores / w.jobs);  // no more threads than cores in all
  return w;
}

}  // namespace

BatchCounts run_batch(const BatchConfig& b, const PluginRegistry& plugins,
                      const BatchRunOptions& o) {
  validate_batch(b, plugins);
  BatchStore store(b, sha256_file(b.path), o.resume, &plugins);
  DatasetCache cache;
  std::vector<PipelineRun> runs;
  for (std::size_t i = 0; i < b.pipelines.size(); ++i) {
    runs.push_back(prepare(b, i, plugins));
    preload_dataset(runs.back().checked, cache);  // before forking: the workers share it
  }
  BatchCounts counts;
  const std::vector<RunTask> tasks = pending(b, runs, store, counts);
  auto report = [&] {
    if (o.progress) o.progress(counts, tasks.size());
  };
  auto run = [&](const RunTask& t) { return run_scenario(b, runs[t.pipeline], t, plugins, cache); };
  auto done = [&](RunOutcome&& r) {
    store.record({&b.scenarios[r.task.scenario], runs[r.task.pipeline].name, r.ok ? "ok" : "failed",
                  r.error, r.seconds, std::move(r.tables)});
    ++(r.ok ? counts.ok : counts.failed);
    report();
  };
  if (o.jobs == 0)
    for (const RunTask& t : tasks) done(run(t));
  else
    run_on_workers(tasks, worker_options(o), run, done, report);
  return counts;
}

}  // namespace klaster
