// klaster host: toml11 helpers shared by the readers of pipeline, dataset and batch files
// (config_reader.cpp, batch_reader.cpp, labels.cpp). Include only from those.
#pragma once

#include <filesystem>
#include <string>
#include <toml.hpp>
#include <vector>

#include "config.hpp"

namespace klaster::detail {

/// \brief Where `v` was written in `file`, with its line text for the caret context.
Location location_of(const toml::value& v, const std::string& file);
/// \brief Throws HostError(code) with "file:line: message" and the caret context.
[[noreturn]] void fail(int code, const Location& loc, const std::string& message);
/// \brief Parses a TOML file; a missing file or a syntax error is a HostError(code).
toml::value parse_file(const std::filesystem::path& path, int code, const std::string& what);
/// \brief "a string", "an integer", ... for messages.
const char* type_name(const toml::value& v);
/// \brief Fails on the first key of `table` not in `allowed`, with a did-you-mean.
void check_keys(const toml::value& table, const std::vector<std::string>& allowed,
                const std::string& file, const std::string& where, int code);
/// \brief The string at `key`; "" when absent and not required.
std::string get_string(const toml::value& table, const std::string& key, const std::string& file,
                       const std::string& where, int code, bool required);
/// \brief The clauses of a `where` table (`{ column = value | [values], ... }`), in file order;
/// `path` is how the file spells the key ("where") and `where` whose it is (" in step 'lq'").
std::vector<WhereClause> read_where(const toml::value& v, const std::string& file,
                                    const std::string& where, const std::string& path = "where");
/// \brief A TOML parameter value as an sdk::Value (finite numbers, homogeneous lists).
sdk::Value to_value(const toml::value& v, const std::string& file, const std::string& what);
/// \brief The `[labels.NAME]` sections of a parsed dataset.toml, checked against `dataset`'s tables
/// (labels.cpp). Throws HostError (exit 3) at the offending line.
std::vector<LabelManifest> read_label_manifests(const toml::value& root,
                                                const DatasetManifest& dataset);

}  // namespace klaster::detail
