// klaster host: `klaster batch export`: a batch store's output tables as CSV files with the
// scenario's columns first, for R and pandas (docs/batch.md#export).
#pragma once

#include <string>
#include <vector>

namespace klaster {

struct ExportOptions {
  std::string store;
  std::vector<std::string> tables;  // store table names; empty: every output table
  std::string format = "csv";
  /// "" : a new folder `<store stem>_export/` beside the store; with exactly one table a CSV file
  /// or "-" (stdout), with several a new folder.
  std::string out;
};

/// \brief Writes the export and returns what to tell the user ("" when writing to stdout). Throws
/// HostError (exit 2) for a file that is no klaster store, an unknown table, an existing target;
/// nothing is then left behind, and a target is only ever created, never replaced.
std::string export_store(const ExportOptions& options);

}  // namespace klaster
