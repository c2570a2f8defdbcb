// klaster host: `klaster export RUN_DIR --format xlsx`: a run folder's tables and run.json as one
// Excel workbook (docs/export.md).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace klaster {

struct ExportRequest {
  std::filesystem::path run_dir;
  std::string format = "xlsx";
  std::filesystem::path out;  // empty: <RUN_DIR>.xlsx beside the run folder
  std::string lang = "en";
};

/// \brief Writes the workbook (to a temporary file beside it, renamed into place) and returns its
/// path. Throws HostError: exit 2 for a folder that is not a klaster run, an unknown format or
/// language, an output path that is a file klaster did not write or lies in the run folder, a
/// table too long for a sheet; exit 3 for a table file that cannot be read.
std::filesystem::path export_run(const ExportRequest& request);

/// \brief Sheet names for `tables` (in order): the table name when it fits Excel's rules (at most
/// 31 characters, unique without regard to case, not `reserved`), else its first characters and
/// "~N" with the smallest N that makes it unique.
std::vector<std::string> sheet_names(const std::vector<std::string>& tables,
                                     const std::string& reserved);

/// \brief Whether `path` is an .xlsx file klaster export wrote (its custom document property
/// `written_by` is "klaster"); false for anything else, including files that are not zip archives.
bool is_klaster_workbook(const std::filesystem::path& path);

}  // namespace klaster
