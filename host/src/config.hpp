// klaster host: pipeline and dataset manifests as plain data, read from TOML by config_reader.cpp.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster {

/// \brief Where something was written: "file:line" plus the line's text and a caret span.
struct Location {
  std::string file;
  std::size_t line = 0, column = 0, width = 0;
  std::string line_text;

  /// \brief "file:line" (or "file" when the line is unknown).
  std::string prefix() const;
  /// \brief The line with a caret under the span, indented; "" when there is no line text.
  std::string context() const;
};

/// \brief One `where` clause: column = value or column = [values].
struct WhereClause {
  std::string column;
  std::vector<sdk::Value> values;  // each a std::string, std::int64_t or double
  Location loc;
};

/// \brief A step's `where` clauses on one table. `where = { column = ... }` gives clauses on the
/// plugin's primary input (`table_param` empty); `where = { <table_param> = { column = ... } }`
/// gives clauses on the table that parameter names.
struct TableFilter {
  std::string table_param;
  std::vector<WhereClause> clauses;
  /// The inline table after `<table_param> =`, or the first clause on the primary input.
  Location loc;
};

struct StepConfig {
  std::string id;
  std::string plugin;
  std::map<std::string, sdk::Value> params;
  std::map<std::string, Location> param_locs;
  std::vector<TableFilter> where;  // in file order
  Location loc, plugin_loc;
};

/// \brief A summary column shown with a readable name beside each code (`names = { region =
/// ["regions", "code", "name_en"] }`): the name is looked up in `table` where `key` equals the
/// code.
struct SummaryName {
  std::string column;  // the summary table's column holding codes
  std::string table, key, name;
  Location loc;
};

/// \brief A small table printed after a run (pipeline `[[summary]]`).
struct SummaryConfig {
  std::string title;
  std::string table;
  std::vector<WhereClause> where;
  std::vector<std::string> columns;  // empty: all
  std::string sort;                  // column to sort by, "" keeps table order
  bool descending = true;
  std::int64_t limit = 0;  // 0: all rows
  std::vector<SummaryName> names;
  std::string note;               // printed under the table: caveats, units, sources
  std::string title_ru, note_ru;  // optional Russian title and note for `--lang ru` reports
  Location loc;
  Location title_loc, note_loc;        // for messages about their {STEP.PARAM} placeholders
  Location title_ru_loc, note_ru_loc;  // the same for the Russian texts
};

struct PipelineConfig {
  std::filesystem::path path;
  std::string name;
  std::string description;
  std::filesystem::path dataset_dir;  // resolved against the pipeline file's folder
  std::string output;                 // relative to the working directory
  std::vector<StepConfig> steps;
  std::vector<SummaryConfig> summaries;
  Location dataset_loc;
};

struct TableManifest {
  std::string name;
  std::filesystem::path file;   // resolved against dataset.toml's folder
  std::string format = "csv";   // "csv" | "geojson"
  std::string layout = "long";  // "long" | "matrix" (csv only)
  /// layout = "long": the CSV columns, or the GeoJSON properties read (then the table also has a
  /// string column `geometry`, see geojson.hpp)
  std::vector<sdk::CsvColumnSpec> columns;
  std::string label_column;  // layout = "matrix", optional
  /// layout = "matrix", optional: text columns (descriptions, units) left out of the values
  std::vector<std::string> skip_columns;
  std::string unit, description;
  sdk::CsvOptions csv;  // separator, decimal, trim (geojson: trim only); csv.table = name
  Location loc;
  /// \brief The schema the table has once loaded.
  sdk::Schema schema() const;
};

/// \brief One `[labels.NAME]` section of dataset.toml: the names of the codes in `key` of `table`,
/// one column per language, for output columns named in `columns` (read by labels.cpp).
struct LabelManifest {
  std::string name;
  std::string table, key;
  std::map<std::string, std::string> languages;  // "en" -> "name_en"; "en" always present
  std::vector<std::string> columns;              // output column names holding these codes
  std::string description;
  Location loc;
};

struct DatasetManifest {
  std::filesystem::path path;  // dataset.toml
  std::string name, source, description;
  std::vector<TableManifest> tables;
  std::vector<LabelManifest> labels;  // sorted by name
};

/// \brief Reads and checks a pipeline file. Throws HostError (exit 2) with file:line.
PipelineConfig read_pipeline(const std::filesystem::path& path);
/// \brief Reads `dataset_dir/dataset.toml`. Throws HostError (exit 3) with file:line.
DatasetManifest read_dataset_manifest(const std::filesystem::path& dataset_dir);
/// \brief Sets one parameter `param` of step `step`, or one `where` clause when `param` is
/// "where.COLUMN" (the step's primary input) or "where.TABLE_PARAMETER.COLUMN" (replacing a clause
/// on that column, else adding one): what `--set` and the scenarios of `klaster batch` do. `loc` is
/// where the value was given (validate_pipeline's messages about the value name it); `who` starts
/// the message when the pipeline has no such step. Throws HostError (exit 2).
void apply_setting(PipelineConfig& pipeline, const std::string& step, const std::string& param,
                   const sdk::Value& value, const Location& loc, const std::string& who);
/// \brief Applies `--set STEP.PARAM=VALUE` (VALUE parsed as a TOML value, else a string).
/// Throws HostError (exit 2) for unknown steps or a malformed assignment.
void apply_override(PipelineConfig& pipeline, const std::string& assignment);

}  // namespace klaster
