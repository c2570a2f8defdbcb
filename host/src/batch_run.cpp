// Runs a batch's scenarios on worker processes (or in this process) into its store
// (docs/batch.md).
#include "batch_run.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "errors.hpp"
#include "output_writer.hpp"

namespace klaster {

namespace {

/// The rows of `table` the batch collects: all, some (`collect`'s `where`) or none (nullopt).
std::optional<sdk::Table> collected(const BatchConfig& b, const std::string& name,
                                    const sdk::Table& table) {
  if (b.collect.empty()) return table;
  const auto it = std::find(b.collect.begin(), b.collect.end(), name);
  if (it == b.collect.end()) return std::nullopt;
  return apply_where(table, b.collect_where[static_cast<std::size_t>(it - b.collect.begin())]);
}

}  // namespace

RunOutcome run_scenario(const BatchConfig& b, const PipelineRun& p, const RunTask& t,
                        const PluginRegistry& plugins, DatasetCache& cache) {
  RunOutcome r{t, true, "", 0, {}, {}};
  const auto start = std::chrono::steady_clock::now();
  try {
    PipelineConfig config = p.base;
    apply_settings(config, b.scenarios[t.scenario].settings);
    const ValidatedPipeline vp = validate_pipeline(std::move(config), plugins, p.checked.dataset);
    auto keep = [&](const std::string& name, const sdk::Table& t) {
      auto rows = collected(b, name, t);
      if (!rows) return;
      r.tables.emplace_back(p.table_prefix + name, *std::move(rows));
      if (const auto it = vp.tables.find(name); it != vp.tables.end() && !it->second.units.empty())
        r.units[p.table_prefix + name] = it->second.units;
    };
    run_pipeline(vp, keep, &cache);
  } catch (const std::exception& e) {
    r.ok = false;
    r.error = e.what();
    r.tables.clear();
    r.units.clear();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

PipelineRun prepare_pipeline(const BatchConfig& b, std::size_t i, const PluginRegistry& plugins) {
  PipelineConfig base = read_pipeline(b.pipelines[i]);
  apply_settings(base, b.baseline);
  ValidatedPipeline checked = validate_pipeline(base, plugins);
  return {pipeline_name(b, i), b.pipelines[i].stem().string() + "__", std::move(base),
          std::move(checked)};
}

std::vector<RunTask> pending_runs(const BatchConfig& b, const std::vector<PipelineRun>& runs,
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

WorkerOptions worker_options(const BatchRunOptions& o, unsigned processes) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  WorkerOptions w;
  w.jobs = o.jobs < 0 ? cores : static_cast<unsigned>(o.jobs);
  w.timeout = o.timeout;
  w.max_memory_mib = o.max_memory;
  w.threads = std::max(1u, cores / (w.jobs * processes));  // no more threads than cores in all
  return w;
}

void record_outcome(BatchStore& store, const BatchConfig& b, const std::vector<PipelineRun>& runs,
                    RunOutcome&& r, BatchCounts& counts) {
  store.record({&b.scenarios[r.task.scenario], runs[r.task.pipeline].name, r.ok ? "ok" : "failed",
                r.error, r.seconds, std::move(r.tables), std::move(r.units)});
  ++(r.ok ? counts.ok : counts.failed);
}

BatchCounts run_batch(const BatchConfig& b, const PluginRegistry& plugins,
                      const BatchRunOptions& o) {
  validate_batch(b, plugins);
  BatchStore store(b, sha256_file(b.path), o.resume, &plugins);
  DatasetCache cache;
  std::vector<PipelineRun> runs;
  for (std::size_t i = 0; i < b.pipelines.size(); ++i) {
    runs.push_back(prepare_pipeline(b, i, plugins));
    preload_dataset(runs.back().checked, cache);  // before forking: the workers share it
  }
  BatchCounts counts;
  const std::vector<RunTask> tasks = pending_runs(b, runs, store, counts);
  auto report = [&] {
    if (o.progress) o.progress(counts, tasks.size());
  };
  auto run = [&](const RunTask& t) { return run_scenario(b, runs[t.pipeline], t, plugins, cache); };
  auto done = [&](RunOutcome&& r) {
    record_outcome(store, b, runs, std::move(r), counts);
    report();
  };
  if (o.jobs == 0)
    for (const RunTask& t : tasks) done(run(t));
  else
    run_on_workers(tasks, worker_options(o), run, done, report);
  return counts;
}

}  // namespace klaster
