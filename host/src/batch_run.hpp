// klaster host: the parts of running a batch that the single-machine path (batch_run.cpp) and the
// MPI path (batch_mpi.cpp) share.
#pragma once

#include <string>
#include <vector>

#include "batch.hpp"
#include "batch_store.hpp"
#include "batch_workers.hpp"
#include "pipeline.hpp"

namespace klaster {

/// \brief One pipeline of the batch: its baseline config, validated once (the dataset read once).
struct PipelineRun {
  std::string name;          // as the batch file names it: the scenarios table's `pipeline`
  std::string table_prefix;  // "<pipeline file stem>__"
  PipelineConfig base;       // the pipeline with the baseline applied
  ValidatedPipeline checked;
};

/// \brief Reads pipeline `i` of the batch, applies the baseline and validates it.
PipelineRun prepare_pipeline(const BatchConfig& b, std::size_t i, const PluginRegistry& plugins);

/// \brief Runs one scenario; a failure of any kind is recorded in the outcome, not thrown.
RunOutcome run_scenario(const BatchConfig& b, const PipelineRun& p, const RunTask& t,
                        const PluginRegistry& plugins, DatasetCache& cache);

/// \brief The runs the store lacks, pipeline by pipeline in the listed order of scenarios;
/// counts the others as skipped.
std::vector<RunTask> pending_runs(const BatchConfig& b, const std::vector<PipelineRun>& runs,
                                  const BatchStore& store, BatchCounts& counts);

/// \brief Worker options from the command line's, for `processes` klaster processes on this
/// machine: threads per worker so that all workers of all of them use no more than the cores.
WorkerOptions worker_options(const BatchRunOptions& o, unsigned processes = 1);

/// \brief Writes an outcome to the store and counts it.
void record_outcome(BatchStore& store, const BatchConfig& b, const std::vector<PipelineRun>& runs,
                    RunOutcome&& r, BatchCounts& counts);

}  // namespace klaster
