// spatial_weights: great-circle distances between region centres and spatial weights from them
// (k nearest neighbours, distance band, inverse distance) or from the contiguity of the regions'
// polygons (rook, queen), optionally row-standardised.
// Haversine formula: Sinnott (1984), Sky & Telescope 68(2); weights as in Anselin (1988), Spatial
// Econometrics, ch. 3, and PySAL libpysal.weights (KNN, DistanceBand).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/plugin.hpp"
#include "spatial_weights_kernel.hpp"

namespace klaster::plugins::spatial_weights {
namespace {

using namespace klaster::sdk;

/// \brief The table of region centres and its columns.
std::vector<ParamSpec> centre_params() {
  return {
      ParamSpec("input", ParamType::kTable)
          .req()
          .primary()
          .doc_("one row per region: region, lat, lon"),
      ParamSpec("region", ParamType::kColumn).of("input").def("region").doc_("region key column"),
      ParamSpec("lat", ParamType::kColumn)
          .numeric()
          .of("input")
          .def("lat")
          .doc_("latitude column, decimal degrees (-90..90)"),
      ParamSpec("lon", ParamType::kColumn)
          .numeric()
          .of("input")
          .def("lon")
          .doc_("longitude column, decimal degrees (-180..180)"),
  };
}

/// \brief The neighbour rule and its options.
std::vector<ParamSpec> rule_params() {
  return {
      ParamSpec("method", ParamType::kString)
          .def("knn")
          .one_of({"knn", "distance_band", "inverse_distance", "rook", "queen"})
          .doc_("neighbour rule: by distance (knn, distance_band, inverse_distance) or by "
                "contiguity of polygons (rook: sharing a border of positive length; queen: "
                "sharing at least one point)"),
      ParamSpec("k", ParamType::kInt)
          .at_least(1)
          .doc_("knn: number of nearest neighbours (required for knn; must be below the number "
                "of regions)"),
      ParamSpec("threshold", ParamType::kFloat)
          .above(0)
          .doc_("distance band in km (required for distance_band; optional cut-off for "
                "inverse_distance)"),
      ParamSpec("power", ParamType::kFloat)
          .def(1.0)
          .above(0)
          .doc_("inverse_distance: w = 1 / d^power"),
      ParamSpec("row_standardize", ParamType::kBool)
          .def(false)
          .doc_("divide each region's weights by their sum"),
      ParamSpec("radius_km", ParamType::kFloat)
          .def(kEarthMeanRadiusKm)
          .above(0)
          .doc_("Earth radius in km (6371.0088 mean radius; 6372.8 and 6378.137 are also in use)"),
      ParamSpec("allow_islands", ParamType::kBool)
          .def(false)
          .doc_("keep regions without neighbours (one row with missing `to`) instead of an error"),
      ParamSpec("missing", ParamType::kString)
          .def("error")
          .one_of({"error", "drop"})
          .doc_("regions with missing coordinates: an error, or dropped with a warning"),
  };
}

/// \brief Contiguity (rook, queen): the polygons, and which region covers which polygon.
std::vector<ParamSpec> polygon_params() {
  return {
      ParamSpec("polygons", ParamType::kTable)
          .doc_("rook/queen: one row per polygon feature: polygon id and geometry (a GeoJSON "
                "dataset table, format = \"geojson\")"),
      ParamSpec("polygon_id", ParamType::kColumn)
          .of("polygons")
          .def("region")
          .doc_("polygon id column; without `members` it holds the region keys of `input`"),
      ParamSpec("geometry", ParamType::kColumn)
          .of("polygons")
          .def("geometry")
          .doc_("Polygon or MultiPolygon as GeoJSON text, lon/lat degrees"),
      ParamSpec("members", ParamType::kTable)
          .doc_("rook/queen, optional: region -> polygon id, for regions sharing a polygon or "
                "without one of their own; adds the column `via`"),
      ParamSpec("member_region", ParamType::kColumn)
          .of("members")
          .def("region")
          .doc_("members: region key column"),
      ParamSpec("member_polygon", ParamType::kColumn)
          .of("members")
          .doc_("members: polygon id column (default: the column named by polygon_id)"),
      ParamSpec("tolerance", ParamType::kFloat)
          .def(1e-6)
          .at_least(0)
          .doc_("rook/queen: degrees within which two vertices are the same point and a vertex "
                "lies on an edge (1e-6 degrees is about 0.1 m)"),
  };
}

/// \brief The centres, and for rook/queen the polygons and the optional members table.
std::vector<TableSpec> tables_read() {
  return {TableSpec::read("input", "region centres, one row per region")
              .column(ColumnSpec::of("region"))
              .column(ColumnSpec::of("lat", "latitude, decimal degrees (-90..90)"))
              .column(ColumnSpec::of("lon", "longitude, decimal degrees (-180..180)")),
          TableSpec::read("polygons", "one row per polygon feature")
              .column(ColumnSpec::of("polygon_id"))
              .column(ColumnSpec::of("geometry", "GeoJSON Polygon or MultiPolygon text"))
              .when_given("polygons"),
          TableSpec::read("members", "region -> polygon id, one row per (region, polygon)")
              .column(ColumnSpec::of("member_region"))
              .column(ColumnSpec::of("member_polygon"))
              .when_given("members")};
}

/// \brief The weight column, once per unit: a share of the region's total when row-standardised,
/// else a 0/1 neighbour indicator ("dimensionless"), or km^-power for inverse_distance.
TableSpec& weight_column(TableSpec& t) {
  const std::string doc =
      "w_ij: 1 (knn, distance_band, rook, queen) or d_ij^-power (inverse_distance), divided by the "
      "region's sum with row_standardize; 0 for a region without neighbours";
  t.column(ColumnSpec::floats("weight", doc).when("row_standardize", "true").in("share"));
  for (const char* method : {"knn", "distance_band", "rook", "queen"})
    t.column(ColumnSpec::floats("weight", doc)
                 .when("row_standardize", "false")
                 .when("method", method)
                 .in("dimensionless"));
  return t.column(ColumnSpec::floats("weight", doc)
                      .when("row_standardize", "false")
                      .when("method", "inverse_distance")
                      .in("km^-{power}"));
}

/// \brief The weights table: one row per link.
TableSpec weights_written() {
  TableSpec t =
      TableSpec::write("<output>",
                       "one row per (from, to) pair with a positive weight, by from, then "
                       "distance; a region without neighbours (allow_islands) has one row with a "
                       "missing to and distance_km and weight 0")
          .column(ColumnSpec::like("from", "region", "the region (typed as the region column)"))
          .column(ColumnSpec::like("to", "region",
                                   "its neighbour; missing for a region without neighbours"))
          .column(ColumnSpec::floats("distance_km",
                                     "great-circle distance between the two centres, km; "
                                     "missing for a region without neighbours")
                      .in("km"));
  return weight_column(t).column(
      ColumnSpec::strings("via",
                          "rook/queen with members: \"border\" (their polygons touch) or "
                          "\"same_polygon\" (they share one polygon); missing for a "
                          "region without neighbours")
          .when_given("members"));
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Строит пространственные веса между регионами по расстояниям между их центрами по"
       " дуге большого круга или по смежности их контуров"},
      {p.description,
       "Расстояния: расстояние по дуге большого круга по формуле гаверсинусов d_ij = 2 R"
       " asin(sqrt(sin^2(dphi/2) + cos phi_i cos phi_j sin^2(dlambda/2))), R = radius_km"
       " (по умолчанию 6371,0088 км, средний радиус Земли по IUGG), широта/долгота в "
       "десятичных градусах.\n"
       "method = \"knn\": w_ij = 1 для k ближайших других регионов (равенства разрешаются "
       "по порядку регионов); \"distance_band\": w_ij = 1 там, где d_ij <= threshold (км);"
       " \"inverse_distance\": w_ij = d_ij^-power для каждого другого региона или только в"
       " пределах `threshold`, если он задан (DistanceBand(binary=False) в PySAL с alpha"
       " = -power).\n"
       "row_standardize = true делит веса каждого региона на их сумму (transform 'r' в "
       "PySAL, style 'W' в spdep); по умолчанию false (бинарные/исходные веса, 'O' по "
       "умолчанию в PySAL).\n"
       "Результат: одна строка на пару (from, to) с положительным весом, сортировка по "
       "from, затем по расстоянию. Регион без соседей никогда не отбрасывается: о нём "
       "пишется предупреждение, и это ошибка, если не задано allow_islands = true; тогда"
       " он получает одну строку с пропущенными `to` и `distance_km` и весом 0 (morans_i"
       " читает это как «нет соседей»).\n"
       "method = \"rook\" / \"queen\": w_ij = 1, когда контуры i и j (таблица `polygons`) "
       "имеют общий участок границы длиннее `tolerance` (rook, «ладья») или хотя бы одну"
       " общую точку (queen, «ферзь») с точностью `tolerance` градусов (по умолчанию "
       "1e-6); distance_km тогда — расстояние по дуге большого круга между центрами "
       "регионов из `input`. При заданном `members` (регион -> id контура) регионы с "
       "общим контуром тоже соседи (via = \"same_polygon\"), а регион без собственного "
       "контура наследует соседей своего контура (завышенная оценка). Перекрывающиеся "
       "контуры (пересекающиеся рёбра или один внутри другого) — DataError с названием "
       "обоих и точкой.\n"
       "Источники: Sinnott (1984) Sky & Telescope 68(2) 159; Anselin (1988) Spatial "
       "Econometrics, гл. 3."},
  };
}

class SpatialWeights final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "spatial_weights";
    p.version = "1.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Builds spatial weights between regions from great-circle distances of their centres or "
        "from the contiguity of their polygons";
    p.description =
        "Distances: haversine great-circle distance d_ij = 2 R asin(sqrt(sin^2(dphi/2) + cos phi_i "
        "cos phi_j sin^2(dlambda/2))) with R = radius_km (default 6371.0088 km, the IUGG mean "
        "Earth radius), latitude/longitude in decimal degrees.\n"
        "method = \"knn\": w_ij = 1 for the k nearest other regions (ties broken by region order); "
        "\"distance_band\": w_ij = 1 where d_ij <= threshold (km); \"inverse_distance\": w_ij = "
        "d_ij^-power for every other region, or only within `threshold` when it is given (PySAL "
        "DistanceBand(binary=False) with alpha = -power).\n"
        "row_standardize = true divides each region's weights by their sum (PySAL transform 'r', "
        "spdep style 'W'); default false (binary/raw weights, PySAL's default 'O').\n"
        "Output: one row per (from, to) pair with a positive weight, sorted by from, then "
        "distance. A region without neighbours is never dropped: it is logged as a warning and is "
        "an error unless allow_islands = true, in which case it gets one row with a missing `to` "
        "and `distance_km` and weight 0 (morans_i reads this as 'no neighbours').\n"
        "method = \"rook\" / \"queen\": w_ij = 1 when the polygons of i and j (table "
        "`polygons`) share a border stretch longer than `tolerance` (rook) or at least one point "
        "(queen), within `tolerance` degrees (default 1e-6); distance_km is then the great-circle "
        "distance between the regions' centres in `input`. With `members` (region -> polygon "
        "id), regions sharing one polygon are neighbours too (via = \"same_polygon\"), and a "
        "region without a polygon of its own inherits its polygon's neighbours (an "
        "over-approximation). Overlapping polygons (edges crossing, or one inside another) are a "
        "DataError naming both and a point.\n"
        "Reference: Sinnott (1984) Sky & Telescope 68(2) 159; Anselin (1988) Spatial Econometrics, "
        "ch. 3.";
    p.params = centre_params();
    const std::vector<ParamSpec> rule = rule_params();
    p.params.insert(p.params.end(), rule.begin(), rule.end());
    const std::vector<ParamSpec> polygon = polygon_params();
    p.params.insert(p.params.end(), polygon.begin(), polygon.end());
    p.reads = tables_read();
    p.writes = {weights_written()};
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    ctx.check_key_column("input", "region");
    check_method_params(ctx.params());
    check_contiguity_params(ctx);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const Column& region = in.column(params.str("region"));
    const Centres centres = read_centres(ctx, in);
    // Contiguity needs distances only between neighbours: no n x n matrix (800 MB for 10,000).
    Links links =
        is_contiguity(params)
            ? contiguity_neighbours(ctx, region, centres)
            : neighbour_links(params,
                              distance_matrix(centres.lat, centres.lon, params.real("radius_km")),
                              region, centres);
    report_islands(ctx, links, region, centres);
    if (params.boolean("row_standardize")) row_standardize(links);
    write_weights(ctx, region, centres, links);
  }

 private:
  /// The regions with usable centres, in label order (numeric for int keys) so that the output
  /// does not depend on row order.
  struct Centres {
    std::vector<std::size_t> rows;  // rows of the input table
    std::vector<double> lat, lon;   // degrees, per region
    std::string label(const Column& region, std::size_t i) const { return region.to_text(rows[i]); }
  };

  /// Each method's parameters: k for knn only, threshold required by distance_band.
  static void check_method_params(const Params& params) {
    const std::string method = params.str("method");
    if (method == "knn" && !params.has("k"))
      throw ParamError("k", "method = \"knn\" needs k, the number of neighbours");
    if (method == "distance_band" && !params.has("threshold"))
      throw ParamError("threshold", "method = \"distance_band\" needs threshold, the band in km");
    if (method != "knn" && params.has("k"))
      throw ParamError("k", "k is only used with method = \"knn\"");
    if ((method == "knn" || method == "rook" || method == "queen") && params.has("threshold"))
      throw ParamError("threshold", "threshold is not used with method = \"" + method + "\"");
  }

  static bool is_contiguity(const Params& params) {
    return params.str("method") == "rook" || params.str("method") == "queen";
  }

  /// The members table's polygon column: member_polygon, by default the polygon_id column's name.
  static std::string member_polygon_column(const Params& params) {
    return params.has("member_polygon") ? params.str("member_polygon") : params.str("polygon_id");
  }

  /// rook/queen need `polygons` with a string geometry column; the other methods take neither it
  /// nor `members`.
  static void check_contiguity_params(const BindContext& ctx) {
    const Params& params = ctx.params();
    const std::string method = params.str("method");
    if (!is_contiguity(params)) {
      for (const char* p : {"polygons", "members"})
        if (params.has(p))
          throw ParamError(p, std::string(p) + " is only used with method = \"rook\" or \"queen\"");
      return;
    }
    if (!params.has("polygons"))
      throw ParamError("polygons", "method = \"" + method +
                                       "\" needs polygons, a table with a polygon id and a "
                                       "GeoJSON geometry per row (a format = \"geojson\" table)");
    if (ctx.schema_of_param("polygons").type_of(params.str("geometry")) != ColumnType::kString)
      throw ParamError("geometry", "column '" + params.str("geometry") + "' of table '" +
                                       params.str("polygons") +
                                       "' must hold GeoJSON geometry text (a string column)");
    if (params.has("members") && !ctx.schema_of_param("members").has(member_polygon_column(params)))
      throw ParamError("member_polygon", "column '" + member_polygon_column(params) +
                                             "' is not in table '" + params.str("members") +
                                             "'; set member_polygon to its polygon id column");
  }

  /// Whether `row` has a region and finite coordinates within range. False for a row left out
  /// with missing = "drop"; throws DataError for one that may not be.
  static bool usable(const RunContext& ctx, const Table& in, std::size_t row) {
    const Params& params = ctx.params();
    const Column& region = in.column(params.str("region"));
    const Column& lat = in.column(params.str("lat"));
    const Column& lon = in.column(params.str("lon"));
    const bool drop = params.str("missing") == "drop";
    if (!region.is_valid(row)) {
      if (drop) return false;
      throw DataError(in.row_name(row) +
                      " has a missing region (set missing = \"drop\" to skip it)");
    }
    const std::string label = region.to_text(row);
    if (!lat.is_valid(row) || !lon.is_valid(row) || !std::isfinite(lat.number(row)) ||
        !std::isfinite(lon.number(row))) {
      if (!drop)
        throw DataError(
            "region '" + label +
            "' has a missing latitude or longitude (set missing = \"drop\" to leave it out)");
      ctx.log(LogLevel::kWarn,
              "region '" + label + "' has no coordinates and is left out of the weights");
      return false;
    }
    check_range(label, lat.number(row), lon.number(row));
    return true;
  }

  static void check_range(const std::string& label, double lat, double lon) {
    if (lat < -90 || lat > 90)
      throw DataError("region '" + label + "' has latitude " + format_number(lat) +
                      ", outside -90..90");
    if (lon < -180 || lon > 180)
      throw DataError("region '" + label + "' has longitude " + format_number(lon) +
                      ", outside -180..180");
  }

  /// The usable regions of `in`, each once, at least two.
  static Centres read_centres(const RunContext& ctx, const Table& in) {
    const Params& params = ctx.params();
    const Column& region = in.column(params.str("region"));
    Centres c;
    std::map<std::string, std::size_t> seen;
    for (std::size_t row = 0; row < in.rows(); ++row) {
      if (!usable(ctx, in, row)) continue;
      const std::string label = region.to_text(row);
      if (const auto [first, fresh] = seen.emplace(label, row); !fresh)
        throw DataError("region '" + label + "' appears twice in table '" + params.str("input") +
                        "'" + in.lines_note(first->second, row));
      c.rows.push_back(row);
    }
    std::sort(c.rows.begin(), c.rows.end(), [&](std::size_t a, std::size_t b) {
      if (region.type == ColumnType::kInt) return region.ints[a] < region.ints[b];
      return region.str(a) < region.str(b);
    });
    if (c.rows.size() < 2)
      throw DataError("spatial weights need at least two regions with coordinates; got " +
                      std::to_string(c.rows.size()));
    for (const std::size_t row : c.rows) {
      c.lat.push_back(in.column(params.str("lat")).number(row));
      c.lon.push_back(in.column(params.str("lon")).number(row));
    }
    return c;
  }

  /// The links of the chosen method; its data errors (k too large, coincident centres) first.
  static Links neighbour_links(const Params& params, const Distances& d, const Column& region,
                               const Centres& c) {
    const std::string method = params.str("method");
    if (method == "knn") {
      const auto k = static_cast<std::size_t>(params.integer("k"));
      if (k >= d.n)
        throw DataError("k = " + std::to_string(k) +
                        " nearest neighbours need more than k regions; the table has " +
                        std::to_string(d.n) + " (use k <= " + std::to_string(d.n - 1) + ")");
      return knn_links(d, k);
    }
    if (method == "distance_band") return band_links(d, params.real("threshold"));
    if (const auto pair = coincident_pair(d))
      throw DataError("regions '" + c.label(region, pair->first) + "' and '" +
                      c.label(region, pair->second) +
                      "' have the same coordinates: inverse-distance weights are infinite");
    const std::optional<double> band =
        params.has("threshold") ? std::optional(params.real("threshold")) : std::nullopt;
    return inverse_distance_links(d, params.real("power"), band);
  }

  /// The polygons of table `polygons` by id, in row order.
  struct Polygons {
    std::vector<Shape> shapes;
    std::vector<std::string> ids;
    std::vector<std::size_t> rows;
    std::map<std::string, std::size_t> index;  // id -> shape
  };

  /// Whether polygon row `row` has an id and a geometry; false for one left out with
  /// missing = "drop", a DataError otherwise.
  static bool usable_polygon(const RunContext& ctx, const Table& t, std::size_t row) {
    const Params& params = ctx.params();
    const bool has_id = t.column(params.str("polygon_id")).is_valid(row);
    if (has_id && t.column(params.str("geometry")).is_valid(row)) return true;
    const std::string what = t.row_name(row) + " of table '" + params.str("polygons") +
                             "' has no " + (has_id ? "geometry" : "polygon id");
    if (params.str("missing") != "drop")
      throw DataError(what + " (set missing = \"drop\" to leave it out)");
    ctx.log(LogLevel::kWarn, what + "; it is left out of the contiguity");
    return false;
  }

  static Polygons read_polygons(const RunContext& ctx) {
    const Params& params = ctx.params();
    const Table& t = ctx.table_of_param("polygons");
    const Column& id = t.column(params.str("polygon_id"));
    const Column& geometry = t.column(params.str("geometry"));
    Polygons p;
    for (std::size_t row = 0; row < t.rows(); ++row) {
      if (!usable_polygon(ctx, t, row)) continue;
      const std::string key = id.to_text(row);
      if (const auto [it, fresh] = p.index.emplace(key, p.shapes.size()); !fresh)
        throw DataError("polygon id '" + key + "' appears twice in table '" +
                        params.str("polygons") + "'" + t.lines_note(p.rows[it->second], row));
      try {
        p.shapes.push_back(parse_shape(geometry.str(row)));
      } catch (const std::invalid_argument& e) {
        throw DataError(t.row_name(row) + ": geometry of polygon '" + key + "' in table '" +
                        params.str("polygons") + "': " + e.what());
      }
      p.ids.push_back(key);
      p.rows.push_back(row);
    }
    return p;
  }

  /// members: region label -> the polygons it covers.
  static std::map<std::string, std::vector<std::size_t>> read_members(const RunContext& ctx,
                                                                      const Polygons& polygons) {
    const Params& params = ctx.params();
    const Table& t = ctx.table_of_param("members");
    const Column& region = t.column(params.str("member_region"));
    const Column& polygon = t.column(member_polygon_column(params));
    std::map<std::string, std::vector<std::size_t>> out;
    for (std::size_t row = 0; row < t.rows(); ++row) {
      if (!region.is_valid(row) || !polygon.is_valid(row))
        throw DataError(t.row_name(row) + " of table '" + params.str("members") +
                        "' has a missing region or polygon id");
      const auto it = polygons.index.find(polygon.to_text(row));
      if (it == polygons.index.end())
        throw DataError(t.row_name(row) + " of table '" + params.str("members") + "': polygon '" +
                        polygon.to_text(row) + "' is not in table '" + params.str("polygons") +
                        "' (column '" + params.str("polygon_id") + "')");
      out[region.to_text(row)].push_back(it->second);
    }
    return out;
  }

  /// Per region (in Centres order), the polygons it covers: its members rows, or else the polygon
  /// whose id is the region key.
  static std::vector<std::vector<std::size_t>> region_shapes(const RunContext& ctx,
                                                             const Column& region, const Centres& c,
                                                             const Polygons& polygons) {
    const Params& params = ctx.params();
    const bool members = params.has("members");
    const auto of_region =
        members ? read_members(ctx, polygons) : std::map<std::string, std::vector<std::size_t>>{};
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      const std::string label = c.label(region, i);
      if (members) {
        const auto it = of_region.find(label);
        if (it == of_region.end())
          throw DataError("region '" + label + "' has no row in table '" + params.str("members") +
                          "' (column '" + params.str("member_region") + "')");
        out.push_back(it->second);
        continue;
      }
      const auto it = polygons.index.find(label);
      if (it == polygons.index.end())
        throw DataError("region '" + label + "' has no polygon: no row of table '" +
                        params.str("polygons") + "' has " + params.str("polygon_id") + " '" +
                        label + "' (give a members table to map regions to polygons)");
      out.push_back({it->second});
    }
    return out;
  }

  static std::string overlap_message(const RunContext& ctx, const Polygons& p,
                                     const ShapeOverlap& o) {
    const Table& t = ctx.table_of_param("polygons");
    const std::string at = "(" + format_number(o.at.x) + ", " + format_number(o.at.y) + ")";
    const std::string a = "'" + p.ids[o.a] + "'", b = "'" + p.ids[o.b] + "'";
    return "polygons " + a + " and " + b + " of table '" + ctx.params().str("polygons") +
           "' overlap: " +
           (o.crossing ? "their borders cross at " + at
                       : "the point " + at + " of " + a + "'s border lies inside " + b) +
           t.lines_note(p.rows[o.a], p.rows[o.b]);
  }

  /// rook/queen links between the regions of `c`, weight 1, nearest centre first.
  static Links contiguity_neighbours(const RunContext& ctx, const Column& region,
                                     const Centres& c) {
    const Params& params = ctx.params();
    const Polygons polygons = read_polygons(ctx);
    const ContactResult r = shape_contacts(polygons.shapes, params.real("tolerance"));
    if (r.overlap) throw DataError(overlap_message(ctx, polygons, *r.overlap));
    Links links = contiguity_links(region_shapes(ctx, region, c, polygons), r.contacts,
                                   params.str("method") == "rook");
    for (std::size_t i = 0; i < links.size(); ++i) {
      for (Link& l : links[i])
        l.distance =
            haversine_km(c.lat[i], c.lon[i], c.lat[l.to], c.lon[l.to], params.real("radius_km"));
      std::stable_sort(links[i].begin(), links[i].end(),
                       [](const Link& a, const Link& b) { return a.distance < b.distance; });
    }
    return links;
  }

  /// Regions without neighbours: a warning naming them, and an error unless allow_islands.
  static void report_islands(const RunContext& ctx, const Links& links, const Column& region,
                             const Centres& c) {
    const Params& params = ctx.params();
    std::string islands;
    std::size_t n_islands = 0;
    for (std::size_t i = 0; i < links.size(); ++i)
      if (links[i].empty()) {
        islands += (islands.empty() ? "'" : ", '") + c.label(region, i) + "'";
        ++n_islands;
      }
    if (!n_islands) return;
    std::string msg = std::to_string(n_islands) + " region(s) without neighbours: " + islands;
    if (params.has("threshold"))
      msg += " (no other region within " + format_number(params.real("threshold")) + " km)";
    if (is_contiguity(params))
      msg += " (no " + params.str("method") + "-contiguous polygon of another region)";
    ctx.log(LogLevel::kWarn, msg);
    if (!params.boolean("allow_islands"))
      throw DataError(msg + (is_contiguity(params) ? "; use knn" : "; widen the band, use knn") +
                      ", or set allow_islands = true to keep them without neighbours");
  }

  /// `region`'s values at `rows`, named `name`, missing where `valid` is 0.
  static Column key_column(const std::string& name, const Column& region,
                           const std::vector<std::size_t>& rows,
                           const std::vector<std::uint8_t>& valid) {
    Column out = Column::take(region, rows);
    out.name = name;
    for (std::size_t r = 0; r < valid.size(); ++r) {
      if (valid[r]) continue;
      if (out.type == ColumnType::kString) {
        out.codes[r] = -1;
      } else {
        if (out.valid.empty()) out.valid.assign(out.size(), 1);
        out.valid[r] = 0;
      }
    }
    return out;
  }

  /// One row per link; a region without links gets one row with a missing `to` and distance.
  static void write_weights(RunContext& ctx, const Column& region, const Centres& c,
                            const Links& links) {
    std::vector<std::size_t> from_rows, to_rows;
    std::vector<std::uint8_t> to_valid;
    std::vector<double> dist, weight;
    std::vector<std::string> via;
    auto add = [&](std::size_t from, std::size_t to, const Link* l) {
      from_rows.push_back(from);
      to_rows.push_back(to);
      to_valid.push_back(l ? 1 : 0);
      dist.push_back(l ? l->distance : 0);
      weight.push_back(l ? l->weight : 0);
      via.push_back(!l ? "" : l->same_polygon ? "same_polygon" : "border");
    };
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (links[i].empty()) add(c.rows[i], c.rows[i], nullptr);
      for (const Link& l : links[i]) add(c.rows[i], c.rows[l.to], &l);
    }
    OutputTable out = ctx.output();
    out.set(key_column("from", region, from_rows, {}));
    out.set(key_column("to", region, to_rows, to_valid));
    out.set("distance_km", std::move(dist), to_valid);
    out.set("weight", std::move(weight));
    if (ctx.params().has("members")) {
      Column v = Column::make_strings("via", via);
      for (std::size_t r = 0; r < to_valid.size(); ++r)
        if (!to_valid[r]) v.codes[r] = -1;  // a region without neighbours: no "via"
      out.set(std::move(v));
    }
    ctx.write(std::move(out));
  }
};

}  // namespace

Distances distance_matrix(const std::vector<double>& lat, const std::vector<double>& lon,
                          double radius_km) {
  Distances d;
  d.n = lat.size();
  d.km.assign(d.n * d.n, 0.0);
  for (std::size_t i = 0; i < d.n; ++i)
    for (std::size_t j = i + 1; j < d.n; ++j)
      d.km[i * d.n + j] = d.km[j * d.n + i] =
          haversine_km(lat[i], lon[i], lat[j], lon[j], radius_km);
  return d;
}

namespace {

/// The other points in order of distance from i, equal distances in point order.
std::vector<std::size_t> by_distance(const Distances& d, std::size_t i) {
  std::vector<std::size_t> others;
  for (std::size_t j = 0; j < d.n; ++j)
    if (j != i) others.push_back(j);
  std::stable_sort(others.begin(), others.end(),
                   [&](std::size_t a, std::size_t b) { return d.at(i, a) < d.at(i, b); });
  return others;
}

}  // namespace

Links knn_links(const Distances& d, std::size_t k) {
  Links links(d.n);
  for (std::size_t i = 0; i < d.n; ++i) {
    const std::vector<std::size_t> others = by_distance(d, i);
    for (std::size_t m = 0; m < k; ++m) links[i].push_back({others[m], d.at(i, others[m]), 1.0});
  }
  return links;
}

Links band_links(const Distances& d, double threshold) {
  Links links(d.n);
  for (std::size_t i = 0; i < d.n; ++i)
    for (const std::size_t j : by_distance(d, i))
      if (d.at(i, j) <= threshold) links[i].push_back({j, d.at(i, j), 1.0});
  return links;
}

Links inverse_distance_links(const Distances& d, double power, std::optional<double> threshold) {
  Links links(d.n);
  for (std::size_t i = 0; i < d.n; ++i)
    for (const std::size_t j : by_distance(d, i))
      if (!threshold || d.at(i, j) <= *threshold)
        links[i].push_back({j, d.at(i, j), std::pow(d.at(i, j), -power)});
  return links;
}

std::optional<std::pair<std::size_t, std::size_t>> coincident_pair(const Distances& d) {
  for (std::size_t i = 0; i < d.n; ++i)
    for (std::size_t j = 0; j < d.n; ++j)
      if (j != i && d.at(i, j) <= 0) return std::pair(i, j);
  return std::nullopt;
}

void row_standardize(Links& links) {
  for (auto& list : links) {
    double sum = 0;
    for (const Link& l : list) sum += l.weight;
    for (Link& l : list) l.weight /= sum;
  }
}

// ---- Contiguity kernel ----

namespace {

using json = nlohmann::json;

Ring parse_ring(const json& ring) {
  if (!ring.is_array() || ring.size() < 4)
    throw std::invalid_argument("a ring needs at least 4 positions");
  Ring out;
  for (const json& p : ring) {
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
      throw std::invalid_argument("position " + p.dump() + " is not [longitude, latitude]");
    out.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  if (out.front().x != out.back().x || out.front().y != out.back().y)
    throw std::invalid_argument("a ring does not close: first position " + ring.front().dump() +
                                ", last " + ring.back().dump());
  return out;
}

void add_polygon(Shape& shape, const json& rings) {
  if (!rings.is_array() || rings.empty())
    throw std::invalid_argument("a polygon is not an array of rings");
  for (const json& r : rings) shape.push_back(parse_ring(r));
}

}  // namespace

Shape parse_shape(std::string_view text) {
  const json g = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (g.is_discarded()) throw std::invalid_argument("not valid JSON");
  if (!g.is_object() || !g.contains("type") || !g["type"].is_string() || !g.contains("coordinates"))
    throw std::invalid_argument("not a GeoJSON geometry with \"type\" and \"coordinates\"");
  const std::string type = g["type"].get<std::string>();
  const json& c = g["coordinates"];
  Shape shape;
  if (type == "Polygon") {
    add_polygon(shape, c);
  } else if (type == "MultiPolygon" && c.is_array() && !c.empty()) {
    for (const json& polygon : c) add_polygon(shape, polygon);
  } else {
    throw std::invalid_argument("a " + type +
                                " geometry; contiguity needs Polygon or MultiPolygon");
  }
  return shape;
}

namespace {

struct Box {
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  void add(Point p) {
    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
  }
  bool meets(const Box& o, double tol) const {
    return x0 <= o.x1 + tol && o.x0 <= x1 + tol && y0 <= o.y1 + tol && o.y0 <= y1 + tol;
  }
  bool holds(Point p, double tol) const { return meets(Box{p.x, p.y, p.x, p.y}, tol); }
};

Box box_of(const Shape& s) {
  Box b;
  for (const Ring& r : s)
    for (const Point& p : r) b.add(p);
  return b;
}

Box segment_box(Point p, Point q) {
  return {std::min(p.x, q.x), std::min(p.y, q.y), std::max(p.x, q.x), std::max(p.y, q.y)};
}

/// Twice the signed area of triangle (o, a, b): > 0 when b lies left of o -> a.
double cross(Point o, Point a, Point b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool near_segment(Point p, Point a, Point b, double tol) {
  const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  const double t =
      len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey <= tol * tol;
}

/// Whether u-v lies within tol of the line through p-q and overlaps p-q along it by more than tol:
/// the two edges share a stretch of border (rook contiguity).
bool shared_stretch(Point p, Point q, Point u, Point v, double tol) {
  const double len = std::hypot(q.x - p.x, q.y - p.y);
  if (len <= tol) return false;
  if (std::fabs(cross(p, q, u)) / len > tol || std::fabs(cross(p, q, v)) / len > tol) return false;
  const double dx = (q.x - p.x) / len, dy = (q.y - p.y) / len;
  double tu = (u.x - p.x) * dx + (u.y - p.y) * dy, tv = (v.x - p.x) * dx + (v.y - p.y) * dy;
  if (tu > tv) std::swap(tu, tv);
  return std::min(len, tv) - std::max(0.0, tu) > tol;
}

enum class Meet { kNone, kPoint, kStretch, kCross };

/// How edges p-q and u-v meet. A crossing is proper: each edge strictly separates the other's
/// ends and no end lies within tol of the other edge (that would be a touch).
Meet meet(Point p, Point q, Point u, Point v, double tol) {
  if (shared_stretch(p, q, u, v, tol)) return Meet::kStretch;
  if (near_segment(u, p, q, tol) || near_segment(v, p, q, tol) || near_segment(p, u, v, tol) ||
      near_segment(q, u, v, tol))
    return Meet::kPoint;
  const double o1 = cross(p, q, u), o2 = cross(p, q, v), o3 = cross(u, v, p), o4 = cross(u, v, q);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
    return Meet::kCross;
  return Meet::kNone;
}

Point crossing_point(Point p, Point q, Point u, Point v) {
  const double t = cross(u, v, p) / (cross(u, v, p) - cross(u, v, q));
  return {p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
}

/// What two shapes' edges have in common: a touching point, a shared stretch, or a crossing.
struct EdgeScan {
  bool point = false, border = false;
  std::optional<Point> crossing;
};

EdgeScan scan_edges(const Shape& a, const Shape& b, double tol) {
  EdgeScan s;
  for (const Ring& ra : a)
    for (std::size_t i = 0; i + 1 < ra.size(); ++i) {
      const Box ea = segment_box(ra[i], ra[i + 1]);
      for (const Ring& rb : b)
        for (std::size_t j = 0; j + 1 < rb.size(); ++j) {
          if (!ea.meets(segment_box(rb[j], rb[j + 1]), tol)) continue;
          const Meet m = meet(ra[i], ra[i + 1], rb[j], rb[j + 1], tol);
          if (m == Meet::kCross) {
            s.crossing = crossing_point(ra[i], ra[i + 1], rb[j], rb[j + 1]);
            return s;
          }
          s.border = s.border || m == Meet::kStretch;
          s.point = s.point || m != Meet::kNone;
        }
    }
  return s;
}

bool on_boundary(const Shape& s, Point p, double tol) {
  for (const Ring& r : s)
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
      if (near_segment(p, r[i], r[i + 1], tol)) return true;
  return false;
}

/// Even-odd rule over every ring: inside the outer ring of a part and not inside one of its holes.
bool inside(const Shape& s, Point p) {
  bool in = false;
  for (const Ring& r : s)
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      const Point a = r[i], b = r[i + 1];
      if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
        in = !in;
    }
  return in;
}

/// A vertex or edge midpoint of `a` strictly inside `b` (farther than tol from its boundary): the
/// interiors overlap although no edges cross (one shape inside the other).
std::optional<Point> point_inside(const Shape& a, const Shape& b, const Box& box_b, double tol) {
  for (const Ring& r : a)
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      const Point mid{(r[i].x + r[i + 1].x) / 2, (r[i].y + r[i + 1].y) / 2};
      for (const Point p : {r[i], mid})
        if (box_b.holds(p, 0) && !on_boundary(b, p, tol) && inside(b, p)) return p;
    }
  return std::nullopt;
}

/// Classifies one pair of shapes into `r`; false when they overlap (r.overlap is then set).
bool classify_pair(const std::vector<Shape>& shapes, const std::vector<Box>& boxes, std::size_t a,
                   std::size_t b, double tol, ContactResult& r) {
  const EdgeScan s = scan_edges(shapes[a], shapes[b], tol);
  if (s.crossing) {
    r.overlap = ShapeOverlap{a, b, *s.crossing, true};
    return false;
  }
  if (auto p = point_inside(shapes[a], shapes[b], boxes[b], tol)) {
    r.overlap = ShapeOverlap{a, b, *p, false};
    return false;
  }
  if (auto p = point_inside(shapes[b], shapes[a], boxes[a], tol)) {
    r.overlap = ShapeOverlap{b, a, *p, false};
    return false;
  }
  if (s.point) r.contacts.push_back({a, b, s.border});
  return true;
}

}  // namespace

ContactResult shape_contacts(const std::vector<Shape>& shapes, double tol) {
  std::vector<Box> boxes;
  for (const Shape& s : shapes) boxes.push_back(box_of(s));
  ContactResult r;
  for (std::size_t a = 0; a < shapes.size(); ++a)
    for (std::size_t b = a + 1; b < shapes.size(); ++b)
      if (boxes[a].meets(boxes[b], tol) && !classify_pair(shapes, boxes, a, b, tol, r)) return r;
  return r;
}

Links contiguity_links(const std::vector<std::vector<std::size_t>>& region_shapes,
                       const std::vector<ShapeContact>& contacts, bool rook) {
  const std::size_t n = region_shapes.size();
  std::map<std::size_t, std::vector<std::size_t>> owners;  // shape -> regions covering it
  for (std::size_t i = 0; i < n; ++i)
    for (const std::size_t s : region_shapes[i]) owners[s].push_back(i);
  std::vector<std::map<std::size_t, bool>> next(n);  // neighbour -> same_polygon
  for (const auto& [shape, regions] : owners)
    for (const std::size_t i : regions)
      for (const std::size_t j : regions)
        if (i != j) next[i][j] = true;
  for (const ShapeContact& c : contacts) {
    if (rook && !c.border) continue;
    for (const std::size_t i : owners[c.a])
      for (const std::size_t j : owners[c.b])
        if (i != j) next[i].try_emplace(j, false), next[j].try_emplace(i, false);
  }
  Links links(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& [j, same] : next[i]) links[i].push_back({j, 0.0, 1.0, same});
  return links;
}

}  // namespace klaster::plugins::spatial_weights

KLASTER_PLUGIN(klaster::plugins::spatial_weights::SpatialWeights)
