// klaster host: readable names of codes (regions, OKED sections, IO products) from the dataset
// manifest's [labels.NAME] sections, for summaries, the Excel export and the HTML report.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"

namespace klaster {

/// \brief Names of codes, from the dataset manifest's [labels] tables, in one language. Several
/// label sets may name one column (OKED sections and IO products both in `industry`) as long as no
/// code is in two of them.
class Labels {
 public:
  /// \brief The name of `code` in output column `column`; "" when the column has no label set or
  /// the label table has no such code (or an empty name).
  std::string name(const std::string& column, const std::string& code) const;
  /// \brief Whether output column `column` (e.g. "region") holds codes some label set names.
  bool covers(const std::string& column) const;
  /// \brief The label set (its [labels.NAME] name) that names `code` in `column`, "" when none.
  std::string label_set(const std::string& column, const std::string& code) const;
  /// \brief The language the names are in: "en" or "ru".
  const std::string& lang() const { return lang_; }

  /// \brief Adds the names of one label set (used by load_labels). Throws HostError (exit 3) when
  /// a column another set names already has a name for one of the codes.
  void add(const std::string& set, const std::vector<std::string>& columns,
           std::map<std::string, std::string> names);
  explicit Labels(std::string lang = "en") : lang_(std::move(lang)) {}

 private:
  std::string lang_;
  std::map<std::string, std::vector<std::string>> sets_of_column_;   // column -> label sets
  std::map<std::string, std::map<std::string, std::string>> names_;  // label set -> code -> name
};

/// \brief Reads the dataset manifest (`dataset.toml`, or the folder holding it) and the label
/// tables it names. `lang` is "en" or "ru" (else HostError exit 2); a label set without a column
/// for `lang` falls back to its English names. Throws HostError (exit 3) for a bad manifest or
/// label table.
Labels load_labels(const std::filesystem::path& dataset_manifest, const std::string& lang);
/// \brief The same for a manifest already read and checked.
Labels load_labels(const DatasetManifest& dataset, const std::string& lang);

}  // namespace klaster
