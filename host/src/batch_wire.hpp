// klaster host: a finished scenario as bytes, so a worker process (or an MPI rank) can hand it to
// the process that owns the batch store (docs/batch.md, "Workers").
#pragma once

#include <cstdint>
#include <klaster/sdk/table.hpp>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace klaster {

/// \brief Which run: pipeline `pipeline` of the batch under scenario `scenario` (indices into
/// BatchConfig::pipelines and ::scenarios).
struct RunTask {
  std::uint32_t pipeline = 0, scenario = 0;
};

/// \brief What one run left: status, error and the collected tables (store names).
struct RunOutcome {
  RunTask task;
  bool ok = true;
  std::string error;
  double seconds = 0;
  std::vector<std::pair<std::string, sdk::Table>> tables;
  /// Store table name -> column -> unit, for the collected tables' columns of known unit.
  std::map<std::string, std::map<std::string, std::string>> units;
};

/// \brief The outcome as bytes: columns as raw arrays, string columns with the strings they use.
std::string encode_outcome(const RunOutcome& outcome);

/// \brief The outcome back from `encode_outcome`'s bytes. Throws std::runtime_error on bytes that
/// are cut short or malformed (a worker that died while writing them).
RunOutcome decode_outcome(std::string_view bytes);

}  // namespace klaster
