// klaster host: `mpirun -np N klaster batch BATCH --mpi` (docs/batch.md, "MPI"): rank 0 owns the
// store and hands out runs as ranks ask for them; every rank runs them on its own worker pool.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "batch.hpp"

namespace klaster {

/// \brief What `run_batch_mpi` leaves on this rank.
struct MpiBatchResult {
  bool root = false;   // rank 0: the one that owns the store, reports and sets the exit code
  BatchConfig batch;   // as this rank read it
  BatchCounts counts;  // rank 0's: every rank's runs
};

/// \brief Runs the batch `file` across the ranks of MPI_COMM_WORLD (MPI_Init and MPI_Finalize
/// inside). Every rank reads the batch file, its pipelines and their dataset from its own paths;
/// rank 0 validates every scenario, opens the store and lists the pending runs as `run_batch`
/// does. On rank 0 throws HostError before any run for a bad batch, a store `run_batch` would
/// refuse, or a rank whose files differ or fail (naming the rank and its host); the other ranks
/// then return quietly. Throws HostError (exit 2) when klaster was built without MPI.
/// \brief In klaster, which is not linked with MPI (libmpi would slow every command's start):
/// replaces this process with `klaster-mpi batch ARGS...`, the same program linked with Open MPI,
/// installed beside it. Returns when there is none (klaster was built without MPI), and at once in
/// klaster-mpi itself.
void exec_mpi_build(const std::vector<std::string>& batch_args);

MpiBatchResult run_batch_mpi(const std::filesystem::path& file, const PluginRegistry& plugins,
                             const BatchRunOptions& options);

}  // namespace klaster
