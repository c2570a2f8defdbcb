#include "report_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>

#include "errors.hpp"
#include "klaster/sdk/csv.hpp"
#include "output_folder.hpp"
#include "pipeline.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_run_json(const fs::path& dir) {
  std::ifstream in(dir / "run.json", std::ios::binary);
  const auto j = in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json();
  const bool klaster = j.is_object() && j.contains("steps") && j["steps"].is_array() &&
                       (j.value("written_by", "") == "klaster" || j.contains("klaster_version"));
  if (!klaster)
    throw HostError(kExitPipeline,
                    dir.string() +
                        ": not a klaster run folder (no run.json written by klaster; "
                        "`klaster run PIPELINE --out DIR` writes one)");
  return j;
}

sdk::TablePtr read_text_table(const fs::path& file) {
  std::vector<sdk::CsvColumnSpec> spec;
  for (const auto& name : sdk::read_csv_header(file))
    spec.push_back({name, sdk::ColumnType::kString});
  sdk::CsvOptions options;
  options.trim = true;  // a name written with a space around it is still a name
  return std::make_shared<sdk::Table>(typed_from_text(sdk::read_csv(file, spec, options)));
}

bool canonical_int(std::string_view s, std::int64_t& v) {
  const std::size_t digits = s.size() - (!s.empty() && s[0] == '-');
  if (digits == 0 || (digits > 1 && s[s.size() - digits] == '0')) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

/// The statistics of every row of a table too large to read into the report, read with the types
/// run.json records (the SDK's parallel reader: a 30M-row table in seconds), or none without them.
std::optional<std::vector<ColumnStats>> large_table_stats(const fs::path& file,
                                                          const nlohmann::json& columns) {
  std::vector<sdk::CsvColumnSpec> spec;
  if (!columns.is_object()) return std::nullopt;
  for (const auto& name : sdk::read_csv_header(file)) {  // in the file's order
    const nlohmann::json type = columns.value(name, nlohmann::json());
    const auto t =
        type.is_string() ? sdk::column_type_from_string(type.get<std::string>()) : std::nullopt;
    if (!t) return std::nullopt;
    spec.push_back({name, *t});
  }
  if (spec.empty()) return std::nullopt;
  return table_stats(sdk::read_csv(file, spec, sdk::CsvOptions{}));
}

}  // namespace

bool report_number(std::string_view s, double& v) {
  const std::string_view digits = !s.empty() && s[0] == '-' ? s.substr(1) : s;
  if (digits.size() > 1 && digits[0] == '0' && std::isdigit(static_cast<unsigned char>(digits[1])))
    return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

namespace {

/// The column as ints, else floats, else as it is (see RunFolder::tables).
sdk::Column typed_column(const sdk::Column& c) {
  const std::size_t n = c.size();
  std::vector<std::uint8_t> valid(n, 0);
  std::vector<std::int64_t> ints(n, 0);
  std::vector<double> floats(n, 0.0);
  bool all_int = true, all_number = true;
  for (std::size_t r = 0; r < n && all_number; ++r) {
    if (!c.is_valid(r)) continue;
    valid[r] = 1;
    all_int = all_int && canonical_int(c.str(r), ints[r]);
    all_number = report_number(c.str(r), floats[r]);
  }
  if (all_int) return sdk::Column::make_ints(c.name, std::move(ints), std::move(valid));
  if (all_number) return sdk::Column::make_floats(c.name, std::move(floats), std::move(valid));
  return c;
}

}  // namespace

sdk::Table typed_from_text(const sdk::Table& text) {
  std::vector<sdk::Column> columns;
  for (const auto& c : text.columns())
    columns.push_back(c.type == sdk::ColumnType::kString ? typed_column(c) : c);
  return sdk::Table(std::move(columns));
}

RunFolder read_run_folder(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw HostError(kExitPipeline, dir.string() + ": no such run folder");
  RunFolder run{dir, read_run_json(dir), {}, {}, {}};
  for (const auto& step : run.record["steps"]) {
    for (const auto& t : step.value("tables_written", nlohmann::json::array())) {
      const std::string name = t.value("table", ""), file = t.value("file", "");
      const nlohmann::json units = t.value("units", nlohmann::json::object());
      for (const auto& [column, unit] : units.items())
        if (unit.is_string()) run.units[name][column] = unit.get<std::string>();
      if (name.empty() || file.empty()) continue;
      try {
        if (t.value("rows", 0ull) <= kReportMaxReadRows)
          run.tables[name] = read_text_table(dir / file);
        else if (auto stats = large_table_stats(dir / file, t.value("columns", nlohmann::json())))
          run.large_stats[name] = std::move(*stats);
      } catch (const sdk::DataError& e) {
        throw HostError(kExitDataset, e.what());
      }
    }
  }
  return run;
}

const ColumnUnits& RunFolder::units_of(const std::string& name) const {
  static const ColumnUnits none;
  const auto it = units.find(name);
  return it == units.end() ? none : it->second;
}

std::string RegionMap::name(const std::string& code) const {
  const auto it = names.find(code);
  return it == names.end() || it->second.empty() ? code : it->second;
}

namespace {

const TableManifest* find_table(const DatasetManifest& d, const std::string& name) {
  for (const auto& t : d.tables)
    if (t.name == name) return &t;
  return nullptr;
}

/// Twice the signed area of a ring in the lon/lat plane: positive when counter-clockwise.
double ring_area(const nlohmann::json& ring) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
         ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  return a;
}

/// A polygon wound as d3-geo (inside Vega) reads it: the outer ring clockwise, holes
/// counter-clockwise. GeoJSON (RFC 7946) winds the other way; d3 would read an outer ring
/// wound counter-clockwise as the whole globe but the region.
void wind_for_d3(nlohmann::json& polygon) {
  for (std::size_t k = 0; k < polygon.size(); ++k) {
    auto& ring = polygon[k];
    const bool clockwise = ring_area(ring) < 0;
    if (clockwise != (k == 0)) std::reverse(ring.begin(), ring.end());
  }
}

nlohmann::json geometry_for_d3(nlohmann::json g) {
  if (g.value("type", "") == "Polygon") wind_for_d3(g["coordinates"]);
  if (g.value("type", "") == "MultiPolygon")
    for (auto& polygon : g["coordinates"]) wind_for_d3(polygon);
  return g;
}

/// The boundaries: each feature with a region, its name and the regions sharing its polygon.
void add_polygons(RegionMap& map, const TableManifest& polygons, const Labels& labels) {
  std::ifstream in(polygons.file, std::ios::binary);
  const auto geo = nlohmann::json::parse(in, nullptr, false);
  if (!geo.is_object() || !geo.contains("features")) return;
  for (const auto& f : geo["features"]) {
    const auto& p = f.value("properties", nlohmann::json::object());
    if (!f.contains("geometry") || f["geometry"].is_null()) continue;
    // A feature of no region (Baikonur, a hole in Kyzylorda's polygon) is drawn, uncoloured.
    const std::string region = p.contains("region") && p["region"].is_string() ? p["region"] : "";
    if (region.empty()) {
      map.features.push_back({{"type", "Feature"},
                              {"region", ""},
                              {"name", p.value("name_en", "")},
                              {"group", ""},
                              {"geometry", geometry_for_d3(f["geometry"])}});
      continue;
    }
    map.features.push_back({{"type", "Feature"},
                            {"region", region},
                            {"name", labels.name("region", region)},
                            {"group", p.value("region_group", region)},
                            {"geometry", geometry_for_d3(f["geometry"])}});
    map.with_polygon.insert(region);
    map.codes.insert(region);
  }
}

/// Centres from table `regions` (code, lat, lon): where regions without a polygon are drawn.
void add_centres(RegionMap& map, const TableManifest* regions, const Labels& labels) {
  if (!regions) return;
  const sdk::TablePtr t = load_dataset_table(*regions);
  const sdk::Column *code = t->find("code"), *lat = t->find("lat"), *lon = t->find("lon");
  if (!code || !lat || !lon || lat->type == sdk::ColumnType::kString ||
      lon->type == sdk::ColumnType::kString)
    return;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    if (!code->is_valid(r) || !lat->is_valid(r) || !lon->is_valid(r)) continue;
    const std::string c(code->str(r));
    map.centres.push_back({{"region", c},
                           {"name", labels.name("region", c)},
                           {"lat", lat->number(r)},
                           {"lon", lon->number(r)}});
    map.codes.insert(c);
  }
}

}  // namespace

RegionMap load_region_map(const fs::path& manifest, const Labels& labels, ReportLang lang) {
  RegionMap map;
  map.features = map.centres = nlohmann::json::array();
  DatasetManifest dataset;
  try {
    dataset = read_dataset_manifest(manifest.parent_path());
  } catch (const HostError&) {
    map.missing = fmt::format(fmt::runtime(tr(lang, "map_no_dataset")), manifest.string());
    return map;
  }
  const TableManifest* polygons = find_table(dataset, "region_polygons");
  if (!polygons || polygons->format != "geojson") {
    map.missing = tr(lang, "map_no_polygons");
    return map;
  }
  add_polygons(map, *polygons, labels);
  add_centres(map, find_table(dataset, "regions"), labels);
  for (const auto& code : map.codes) map.names[code] = labels.name("region", code);
  return map;
}

}  // namespace klaster
