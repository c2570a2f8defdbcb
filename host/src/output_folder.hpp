// klaster host: which folders `--out` may replace, the lock held while writing one, and the
// cleanup of what a killed run left beside it. OutputStage (output_writer.hpp) uses these.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace klaster {

/// \brief The paths of a run an output folder must never be or contain (README "Outputs").
struct ProtectedPaths {
  std::filesystem::path pipeline_file;
  std::filesystem::path dataset_dir;  // the output may not lie inside it either
  std::vector<std::filesystem::path> input_files;
};

/// \brief `p` absolute, with `.`, `..` and the symbolic links of its existing part resolved.
std::filesystem::path resolved_path(const std::filesystem::path& p);

/// \brief Throws HostError (exit 2) when `real` (the resolved output folder) is or contains one of
/// `paths`, the working directory, $HOME or `/`, or lies inside the dataset folder. `shown` is
/// the folder as the user spelled it, for the message.
void check_output_target(const std::filesystem::path& shown, const std::filesystem::path& real,
                         const ProtectedPaths& paths);

/// \brief The first entry of `dir` (in sorted order) that klaster did not write, or nothing when
/// `dir` does not exist, is empty, or is a klaster output: a `run.json` written by klaster and only
/// the files its `steps[].tables_written[].file` list. Folders are shown with a trailing '/'.
std::optional<std::string> first_foreign_entry(const std::filesystem::path& dir);

/// \brief The first line of every report `klaster report` writes.
inline constexpr const char* kReportMarker = "<!DOCTYPE html><!-- written by klaster report -->";

/// \brief Whether `file` is a report klaster wrote: a regular file whose first line is
/// kReportMarker. Such a file in an output folder is klaster's (a later run replaces the folder),
/// and `klaster report -o` may overwrite it.
bool is_klaster_report(const std::filesystem::path& file);

/// \brief Throws HostError (exit 2) when `real` holds a file klaster did not write.
void check_replaceable(const std::filesystem::path& shown, const std::filesystem::path& real,
                       const ProtectedPaths& paths);

/// \brief An exclusive flock(2) on `<parent>/.<name>.lock`, holding the owner's pid, for the
/// lifetime of the object; the file is removed when the lock is released.
class OutputLock {
 public:
  /// \brief Takes the lock without waiting. Throws HostError (exit 2) naming the holder's pid when
  /// another run holds it, or when the lock file cannot be created.
  OutputLock(const std::filesystem::path& lock_file, const std::filesystem::path& shown);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

/// \brief `<parent>/.<name>.lock`, `.<name>.staging-<pid>` and `.<name>.old-<pid>`: klaster's own
/// names beside an output folder `<parent>/<name>`.
std::filesystem::path lock_path(const std::filesystem::path& real);
std::filesystem::path stage_path(const std::filesystem::path& real, long pid);

/// \brief Under the lock: removes every `.<name>.staging-<digits>` folder beside `real` (a run that
/// held the lock and died left it), and restores a `.<name>.old-<digits>` folder to `real` when
/// `real` is missing (a run killed in the middle of a non-atomic replacement), else removes it.
void remove_stale_stages(const std::filesystem::path& real);

/// \brief Puts `stage` at `real`: an atomic exchange when `real` exists (the previous output is
/// then at `stage`), a rename when it does not. Throws HostError (exit 1) on failure.
void move_into_place(const std::filesystem::path& stage, const std::filesystem::path& real);

}  // namespace klaster
