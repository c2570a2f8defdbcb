// Reads GeoJSON FeatureCollections (RFC 7946) into tables; see geojson.hpp.
#include "geojson.hpp"

#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "klaster/sdk/plugin.hpp"

namespace klaster {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

/// Names a row by its feature: "path features[3]" (messages say "<row name> has ...").
class FeatureOrigin final : public sdk::RowOrigin {
 public:
  explicit FeatureOrigin(std::string path) : path_(std::move(path)) {}
  std::string locate(std::size_t row) const override {
    return path_ + " features[" + std::to_string(row) + "]";
  }

 private:
  std::string path_;
};

/// The JSON text of a small value for messages: [51.1,43.2].
std::string shown(const json& v) { return v.dump(); }

/// "path: features[3] (region 'MNG')": how every message names a feature. The name is the
/// feature's first declared string property, when the feature has it.
std::string feature_name(const std::string& path, std::size_t index, const json& feature,
                         const std::vector<sdk::CsvColumnSpec>& columns) {
  std::string out = path + ": features[" + std::to_string(index) + "]";
  const auto first = std::find_if(columns.begin(), columns.end(),
                                  [](const auto& c) { return c.type == sdk::ColumnType::kString; });
  if (first == columns.end() || !feature.is_object() || !feature.contains("properties")) return out;
  const json& props = feature["properties"];
  if (props.is_object() && props.contains(first->name) && props[first->name].is_string())
    out += " (" + first->name + " '" + props[first->name].get<std::string>() + "')";
  return out;
}

/// nlohmann-json's message without its "[json.exception.<kind>.<id>] " prefix.
std::string json_message(const json::exception& e) {
  std::string msg = e.what();
  if (auto close = msg.find("] "); msg.rfind("[json.", 0) == 0 && close != std::string::npos)
    msg = msg.substr(close + 2);
  return msg;
}

json parse_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sdk::DataError(path.string() + ": cannot open the GeoJSON file");
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {  // "parse error at line 1, column 2: ..."
    throw sdk::DataError(path.string() + ": not valid JSON: " + json_message(e));
  } catch (const json::exception& e) {  // e.g. "number overflow parsing '1e400'" (fuzz finding)
    throw sdk::DataError(path.string() + ": JSON that cannot be read: " + json_message(e));
  }
}

/// The `features` array of a FeatureCollection.
const json& features_of(const json& root, const std::string& path) {
  if (!root.is_object() || !root.contains("type") || root["type"] != "FeatureCollection")
    throw sdk::DataError(path +
                         ": not a GeoJSON FeatureCollection (the top-level object needs "
                         "\"type\": \"FeatureCollection\")");
  if (!root.contains("features") || !root["features"].is_array())
    throw sdk::DataError(path + ": the FeatureCollection has no \"features\" array");
  return root["features"];
}

// ---- Geometry checks ----

/// One position [lon, lat] or [lon, lat, altitude] at `at` (e.g. "coordinates[0][3]").
void check_position(const json& p, const std::string& where, const std::string& at) {
  if (!p.is_array() || p.size() < 2)
    throw sdk::DataError(where + ": geometry." + at + " = " + shown(p) +
                         " is not a position [longitude, latitude]");
  for (const json& x : p)
    if (!x.is_number())
      throw sdk::DataError(where + ": geometry." + at + " = " + shown(p) +
                           " holds a coordinate that is not a number");
  const double lon = p[0].get<double>(), lat = p[1].get<double>();
  if (!std::isfinite(lon) || lon < -180 || lon > 180)
    throw sdk::DataError(where + ": geometry." + at + " has longitude " + sdk::format_number(lon) +
                         ", outside -180..180");
  if (!std::isfinite(lat) || lat < -90 || lat > 90)
    throw sdk::DataError(where + ": geometry." + at + " has latitude " + sdk::format_number(lat) +
                         ", outside -90..90");
}

/// A linear ring: at least 4 positions, the last equal to the first (RFC 7946 section 3.1.6).
void check_ring(const json& ring, const std::string& where, const std::string& at) {
  if (!ring.is_array())
    throw sdk::DataError(where + ": geometry." + at + " is not a ring (an array of positions)");
  for (std::size_t k = 0; k < ring.size(); ++k)
    check_position(ring[k], where, at + "[" + std::to_string(k) + "]");
  if (ring.size() < 4)
    throw sdk::DataError(where + ": ring geometry." + at + " has " + std::to_string(ring.size()) +
                         " positions; a closed ring needs at least 4");
  const json &first = ring.front(), &last = ring.back();
  for (std::size_t c = 0; c < first.size() || c < last.size(); ++c)
    if (c >= first.size() || c >= last.size() || first[c].get<double>() != last[c].get<double>())
      throw sdk::DataError(where + ": ring geometry." + at + " does not close: first position " +
                           shown(first) + ", last " + shown(last));
}

/// A Polygon's coordinates: one or more rings (the outer ring, then holes).
void check_polygon(const json& rings, const std::string& where, const std::string& at) {
  if (!rings.is_array() || rings.empty())
    throw sdk::DataError(where + ": geometry." + at + " is not a polygon (an array of rings)");
  for (std::size_t r = 0; r < rings.size(); ++r)
    check_ring(rings[r], where, at + "[" + std::to_string(r) + "]");
}

void check_geometry(const json& g, const std::string& where) {
  if (!g.is_object() || !g.contains("type") || !g["type"].is_string())
    throw sdk::DataError(where +
                         ": \"geometry\" must be a geometry object with a \"type\", or null");
  const std::string type = g["type"].get<std::string>();
  if (type != "Point" && type != "Polygon" && type != "MultiPolygon")
    throw sdk::DataError(where + ": unsupported geometry type '" + type +
                         "' (klaster reads Point, Polygon and MultiPolygon)");
  if (!g.contains("coordinates"))
    throw sdk::DataError(where + ": the " + type + " has no \"coordinates\"");
  const json& c = g["coordinates"];
  if (type == "Point") return check_position(c, where, "coordinates");
  if (type == "Polygon") return check_polygon(c, where, "coordinates");
  if (!c.is_array() || c.empty())
    throw sdk::DataError(where + ": geometry.coordinates of the MultiPolygon is not an array of " +
                         "polygons");
  for (std::size_t k = 0; k < c.size(); ++k)
    check_polygon(c[k], where, "coordinates[" + std::to_string(k) + "]");
}

// ---- Properties into columns ----

/// One declared column, filled feature by feature.
struct ColumnBuilder {
  sdk::CsvColumnSpec spec;
  std::shared_ptr<sdk::Dictionary> dict = std::make_shared<sdk::Dictionary>();
  std::vector<std::int32_t> codes;
  std::vector<std::int64_t> ints;
  std::vector<double> floats;
  std::vector<std::uint8_t> valid;
  bool seen = false;  // some feature has the property (even as null)

  explicit ColumnBuilder(sdk::CsvColumnSpec s) : spec(std::move(s)) {}

  void add_missing() {
    codes.push_back(-1);
    ints.push_back(0);
    floats.push_back(0);
    valid.push_back(0);
  }
  sdk::Column build() const {
    switch (spec.type) {
      case sdk::ColumnType::kString:
        return sdk::Column::make_strings(spec.name, dict, codes);
      case sdk::ColumnType::kInt:
        return sdk::Column::make_ints(spec.name, ints, valid);
      case sdk::ColumnType::kFloat:
        break;
    }
    return sdk::Column::make_floats(spec.name, floats, valid);
  }
};

const char* json_kind(const json& v) {
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

[[noreturn]] void wrong_type(const ColumnBuilder& b, const json& v, const std::string& where) {
  throw sdk::DataError(where + ": property '" + b.spec.name + "' is " + json_kind(v) + " (" +
                       shown(v) + "); column '" + b.spec.name + "' is declared " +
                       sdk::to_string(b.spec.type) + " in dataset.toml");
}

void add_string(ColumnBuilder& b, const json& v, const std::string& where, bool trim) {
  if (!v.is_string()) wrong_type(b, v, where);
  std::string s = v.get<std::string>();
  const auto first = s.find_first_not_of(" \t"), last = s.find_last_not_of(" \t");
  if (first == std::string::npos) s.clear();
  if (!s.empty() && (first > 0 || last + 1 < s.size())) {
    if (!trim)
      throw sdk::DataError(where + ": property '" + b.spec.name + "' = " + shown(v) +
                           " has leading or trailing spaces (set trim = true for this table in "
                           "dataset.toml to remove them)");
    s = s.substr(first, last - first + 1);
  }
  b.codes.push_back(s.empty() ? -1 : b.dict->intern(s));  // "" is missing, as an empty CSV cell
  b.ints.push_back(0);
  b.floats.push_back(0);
  b.valid.push_back(1);
}

void add_number(ColumnBuilder& b, const json& v, const std::string& where) {
  const bool integer = v.is_number_integer();
  if (b.spec.type == sdk::ColumnType::kInt &&
      (!integer || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX)))
    wrong_type(b, v, where);
  if (!v.is_number()) wrong_type(b, v, where);
  if (!std::isfinite(v.get<double>()))  // 1e999 parses as infinity; CSV refuses it too
    throw sdk::DataError(where + ": property '" + b.spec.name + "' is not a finite number");
  b.codes.push_back(-1);
  b.ints.push_back(integer ? v.get<std::int64_t>() : 0);
  b.floats.push_back(v.get<double>());
  b.valid.push_back(1);
}

void add_property(ColumnBuilder& b, const json& props, const std::string& where, bool trim) {
  if (!props.is_object() || !props.contains(b.spec.name)) return b.add_missing();
  b.seen = true;
  const json& v = props[b.spec.name];
  if (v.is_null()) return b.add_missing();
  if (b.spec.type == sdk::ColumnType::kString) return add_string(b, v, where, trim);
  add_number(b, v, where);
}

/// A feature: an object with "type": "Feature", "properties" (object or null) and "geometry".
void check_feature(const json& f, const std::string& where) {
  if (!f.is_object() || !f.contains("type") || f["type"] != "Feature")
    throw sdk::DataError(where + ": not a GeoJSON Feature (needs \"type\": \"Feature\")");
  if (f.contains("properties") && !f["properties"].is_object() && !f["properties"].is_null())
    throw sdk::DataError(where + ": \"properties\" must be an object or null");
  if (!f.contains("geometry"))
    throw sdk::DataError(where + ": the Feature has no \"geometry\" member (use null for none)");
  if (!f["geometry"].is_null()) check_geometry(f["geometry"], where);
}

}  // namespace

sdk::Table read_geojson(const fs::path& path, const std::vector<sdk::CsvColumnSpec>& columns,
                        const sdk::CsvOptions& options) {
  const std::string file = path.string();
  const json root = parse_json(path);
  const json& features = features_of(root, file);
  std::vector<ColumnBuilder> builders;
  for (const auto& c : columns) builders.emplace_back(c);
  ColumnBuilder geometry(sdk::CsvColumnSpec{kGeometryColumn, sdk::ColumnType::kString});
  for (std::size_t i = 0; i < features.size(); ++i) {
    const json& f = features[i];
    const std::string where = feature_name(file, i, f, columns);
    check_feature(f, where);
    const json props = f.contains("properties") ? f["properties"] : json(nullptr);
    for (auto& b : builders) add_property(b, props, where, options.trim);
    const json& g = f["geometry"];
    if (g.is_null())
      geometry.add_missing();
    else
      geometry.codes.push_back(geometry.dict->intern(g.dump()));
  }
  std::vector<sdk::Column> cols;
  for (const auto& b : builders) {
    // A declared property that no feature has is most likely misspelt in dataset.toml.
    if (!b.seen && !features.empty())
      throw sdk::DataError(
          file + ": no feature has a property '" + b.spec.name + "' (declared in dataset.toml" +
          (options.table.empty() ? "" : " for table '" + options.table + "'") + ")");
    cols.push_back(b.build());
  }
  cols.push_back(geometry.build());
  sdk::Table table(std::move(cols));
  table.set_origin(std::make_shared<FeatureOrigin>(file));
  return table;
}

}  // namespace klaster
