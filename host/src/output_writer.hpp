// klaster host: writes a run's outputs into a staging folder and moves it into place on success.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "klaster/sdk/table.hpp"
#include "output_folder.hpp"

namespace klaster {

/// \brief A staging folder beside the output folder. Nothing is visible at the output path until
/// commit(); a stage destroyed without commit() is removed, leaving the output folder as it was.
/// The output folder's lock (OutputLock) is held from construction to destruction.
class OutputStage {
 public:
  /// \brief Checks that `out_dir` may be written (check_output_target, check_replaceable), locks
  /// it, removes what killed runs left beside it, and creates `<parent>/.<name>.staging-<pid>`,
  /// creating the parent if needed. `out_dir` is followed when it is a symbolic link. Throws
  /// HostError (exit 2) when the folder may not or cannot be written, or another run holds it.
  OutputStage(std::filesystem::path out_dir, ProtectedPaths protected_paths);
  ~OutputStage();
  OutputStage(const OutputStage&) = delete;
  OutputStage& operator=(const OutputStage&) = delete;

  /// \brief Writes `<table name>.csv` into the stage.
  void write_table(const std::string& name, const sdk::Table& table);
  void write_text(const std::string& file_name, const std::string& text);
  /// \brief Replaces the output folder by the stage in one atomic exchange, then removes the
  /// previous output. Throws HostError (exit 2) when the folder gained a file klaster did not
  /// write while the steps ran; the output folder is then left as it was.
  void commit();
  const std::filesystem::path& out_dir() const { return out_; }

  /// \brief What abandon_active() found: no stage, a stage it removed (the output folder as it
  /// was), or a stage already committed (the new output in place).
  enum class Abandoned { kNoStage, kRemoved, kCommitted };
  /// \brief For an interrupt: waits for a table write or commit() in progress, then removes the
  /// live stage and its lock file, and blocks every later write, commit() and destruction, as the
  /// process is about to end. Safe from any thread.
  static Abandoned abandon_active();

 private:
  void create_parent() const;
  void create_stage();
  void dispose_previous_output() const;
  void remove_stage() const;

  std::filesystem::path out_;   // as the user gave it, for messages
  std::filesystem::path real_;  // absolute, symbolic links resolved
  std::filesystem::path stage_;
  ProtectedPaths protected_;
  std::unique_ptr<OutputLock> lock_;
  bool committed_ = false;
};

/// \brief Hex SHA-256 of a file's bytes. Throws HostError (exit 3) when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace klaster
