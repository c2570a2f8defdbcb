// klaster host: worker processes for `klaster batch` (docs/batch.md, "Workers"). The process that
// owns the store forks workers after loading the plugins and the dataset, so each worker shares
// them (copy-on-write) and runs many scenarios; a worker that crashes, exits or runs past the
// timeout loses only the scenario it was running, which comes back as failed, and is replaced.
#pragma once

#include <functional>
#include <vector>

#include "batch_wire.hpp"

namespace klaster {

struct WorkerOptions {
  unsigned jobs = 1;          // worker processes at a time
  double timeout = 0;         // seconds a scenario may run; 0: no limit
  unsigned threads = 1;       // threads each worker's plugins and BLAS may use
  double tick_seconds = 0.2;  // how often `tick` is called while waiting
  double max_memory_mib = 0;  // address space a worker may use (RLIMIT_AS); 0: no limit
};

/// \brief Runs `tasks` on worker processes. `run` is called in a worker (it must not throw);
/// `done` in this process for each outcome, in the order they finish, and `tick` at least every
/// `tick_seconds` while waiting. Throws HostError when no worker can be started.
void run_on_workers(const std::vector<RunTask>& tasks, const WorkerOptions& options,
                    const std::function<RunOutcome(const RunTask&)>& run,
                    const std::function<void(RunOutcome&&)>& done,
                    const std::function<void()>& tick);

/// \brief Limits the threads of this process's parallel parts and of OpenBLAS to `n`
/// (KLASTER_THREADS, openblas_set_num_threads when OpenBLAS is loaded).
void limit_threads(unsigned n);

}  // namespace klaster
