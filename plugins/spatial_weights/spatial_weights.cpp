// spatial_weights: great-circle distances between region centres and spatial weights from them
// (k nearest neighbours, distance band, inverse distance), optionally row-standardised.
// Haversine formula: Sinnott (1984), Sky & Telescope 68(2); weights as in Anselin (1988), Spatial
// Econometrics, ch. 3, and PySAL libpysal.weights (KNN, DistanceBand).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <optional>
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
          .one_of({"knn", "distance_band", "inverse_distance"})
          .doc_("neighbour rule"),
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

/// \brief The weights table: one row per link.
TableSpec weights_written() {
  return TableSpec::write(
             "<output>",
             "one row per (from, to) pair with a positive weight, by from, then "
             "distance; a region without neighbours (allow_islands) has one row with a "
             "missing to and distance_km and weight 0")
      .column(ColumnSpec::like("from", "region", "the region (typed as the region column)"))
      .column(ColumnSpec::like("to", "region",
                               "its neighbour; missing for a region without neighbours"))
      .column(ColumnSpec::floats("distance_km",
                                 "great-circle distance between the two centres, km; "
                                 "missing for a region without neighbours"))
      .column(ColumnSpec::floats(
          "weight",
          "w_ij: 1 (knn, distance_band) or d_ij^-power (inverse_distance), divided by the "
          "region's sum with row_standardize; 0 for a region without neighbours"));
}

class SpatialWeights final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "spatial_weights";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Builds spatial weights between regions from great-circle distances of their centres";
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
        "Reference: Sinnott (1984) Sky & Telescope 68(2) 159; Anselin (1988) Spatial Econometrics, "
        "ch. 3.";
    p.params = centre_params();
    const std::vector<ParamSpec> rule = rule_params();
    p.params.insert(p.params.end(), rule.begin(), rule.end());
    p.reads = {TableSpec::read("input", "region centres, one row per region")
                   .column(ColumnSpec::of("region"))
                   .column(ColumnSpec::of("lat", "latitude, decimal degrees (-90..90)"))
                   .column(ColumnSpec::of("lon", "longitude, decimal degrees (-180..180)"))};
    p.writes = {weights_written()};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const ColumnType key = *ctx.schema_of_param("input").type_of(params.str("region"));
    if (key == ColumnType::kFloat)
      throw ParamError("region", "column '" + params.str("region") +
                                     "' is a float column; use a string or int key");
    check_method_params(params);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const Column& region = in.column(params.str("region"));
    const Centres centres = read_centres(ctx, in);
    const Distances d = distance_matrix(centres.lat, centres.lon, params.real("radius_km"));
    Links links = neighbour_links(params, d, region, centres);
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
    if (method == "knn" && params.has("threshold"))
      throw ParamError("threshold", "threshold is not used with method = \"knn\"");
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
    ctx.log(LogLevel::kWarn, msg);
    if (!params.boolean("allow_islands"))
      throw DataError(msg +
                      "; widen the band, use knn, or set allow_islands = true to keep them "
                      "without neighbours");
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
    auto add = [&](std::size_t from, std::size_t to, bool valid, double km, double w) {
      from_rows.push_back(from);
      to_rows.push_back(to);
      to_valid.push_back(valid ? 1 : 0);
      dist.push_back(km);
      weight.push_back(w);
    };
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (links[i].empty()) add(c.rows[i], c.rows[i], false, 0, 0);
      for (const Link& l : links[i]) add(c.rows[i], c.rows[l.to], true, l.distance, l.weight);
    }
    OutputTable out = ctx.output();
    out.set(key_column("from", region, from_rows, {}));
    out.set(key_column("to", region, to_rows, to_valid));
    out.set("distance_km", std::move(dist), to_valid);
    out.set("weight", std::move(weight));
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

}  // namespace klaster::plugins::spatial_weights

KLASTER_PLUGIN(klaster::plugins::spatial_weights::SpatialWeights)
