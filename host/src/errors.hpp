// klaster host: errors carrying the process exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace klaster {

/// \brief Exit codes of `klaster`; part of the CLI contract (README "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitStepFailed = 1,  // a step failed while running
  kExitPipeline = 2,    // usage or pipeline error: everything `validate` finds
  kExitDataset = 3,     // a dataset's own files, or values a plugin cannot take
  kExitPluginLoad = 4,  // a plugin library that fails to load or fails its ABI check
};

/// \brief An error the CLI reports as "error: <message>" and exits with `code`. The first line of
/// the message names the file (and line) or step; further lines give located context.
class HostError : public std::runtime_error {
 public:
  HostError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

}  // namespace klaster
