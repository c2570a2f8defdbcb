// klaster host: writes a run's outputs into a staging folder and moves it into place on success.
#pragma once

#include <filesystem>
#include <string>

#include "klaster/sdk/table.hpp"

namespace klaster {

/// \brief A staging folder beside the output folder. Nothing is visible at the output path until
/// commit(); a stage destroyed without commit() is removed, leaving the output folder as it was.
class OutputStage {
 public:
  /// \brief Creates `<parent of out>/.<name>.staging-<pid>`, creating the parent if needed.
  /// Throws HostError (exit 2) when that is not possible or not writable.
  explicit OutputStage(std::filesystem::path out_dir);
  ~OutputStage();
  OutputStage(const OutputStage&) = delete;
  OutputStage& operator=(const OutputStage&) = delete;

  /// \brief Writes `<table name>.csv` into the stage.
  void write_table(const std::string& name, const sdk::Table& table);
  void write_text(const std::string& file_name, const std::string& text);
  /// \brief Replaces the output folder by the stage (the old folder is removed after the swap).
  void commit();
  const std::filesystem::path& out_dir() const { return out_; }

 private:
  std::filesystem::path out_, stage_;
  bool committed_ = false;
};

/// \brief Hex SHA-256 of a file's bytes. Throws HostError (exit 3) when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace klaster
