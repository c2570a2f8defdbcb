// klaster host: what `klaster report` reads: a run folder (run.json and the tables it lists) and
// the dataset's region map (boundaries, centres, names).
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "klaster/sdk/table.hpp"
#include "labels.hpp"
#include "report_stats.hpp"
#include "report_strings.hpp"
#include "units.hpp"  // ColumnUnits

namespace klaster {

/// \brief Tables with more rows (as run.json records) are not read into a report: their section
/// names the file and the row count (docs/report.md, "Sizes").
inline constexpr std::size_t kReportMaxReadRows = 1'000'000;

/// \brief A run folder as `klaster run` left it.
struct RunFolder {
  std::filesystem::path dir;
  nlohmann::json record;  // run.json
  /// The tables of tables_written with at most kReportMaxReadRows rows, read from their CSV
  /// files: a column is int when every cell is a canonical integer, float when every cell is a
  /// number, else string; a cell with a leading zero ("01") is not a number (codes stay text).
  std::map<std::string, sdk::TablePtr> tables;
  /// Every row of each table too large to read, summarised by column: read with the column types
  /// run.json records (tables_written[].columns; none for an older klaster's run).
  std::map<std::string, std::vector<ColumnStats>> large_stats;
  /// The units of every table written (run.json's tables_written[].units), read or not.
  std::map<std::string, ColumnUnits> units;
  /// \brief The units of table `name` (none for a table run.json does not list).
  const ColumnUnits& units_of(const std::string& name) const;
};

/// \brief Reads `dir`/run.json and its tables. Throws HostError (exit 2) when `dir` is not a folder
/// holding a run.json written by klaster, and (exit 3) naming file:line when a table cannot be
/// read.
RunFolder read_run_folder(const std::filesystem::path& dir);

/// \brief Whether `s` is a number as klaster writes one (then `v` is its value); "01" or "007"
/// is a code, not a number.
bool report_number(std::string_view s, double& v);

/// \brief The column types of a table read as text (see RunFolder::tables).
sdk::Table typed_from_text(const sdk::Table& text);

/// \brief The region map of a dataset: boundaries from its table `region_polygons` (GeoJSON whose
/// features carry a `region` property; other properties `region_group` say which regions share a
/// polygon), centres from its table `regions` (code, lat, lon) for the regions without a polygon
/// of their own, names from its labels of column "region".
struct RegionMap {
  std::string missing;      // why there is no map ("" when there is one), already translated
  nlohmann::json features;  // [{region, name, group, type: "Feature", geometry}]
  nlohmann::json centres;   // [{region, name, lon, lat}]: every region with a centre
  std::set<std::string> with_polygon;        // regions drawn as a polygon
  std::set<std::string> codes;               // every region the map can show
  std::map<std::string, std::string> names;  // code -> name in the report's language
  /// \brief The region's name, or its code when it has none.
  std::string name(const std::string& code) const;
};

/// \brief The map of the dataset whose manifest is `manifest` (as run.json records it). A missing
/// manifest or boundaries table gives a map with `missing` set, not an error.
RegionMap load_region_map(const std::filesystem::path& manifest, const Labels& labels,
                          ReportLang lang);

}  // namespace klaster
