// spatial_weights: great-circle distances between region centres and spatial weights from them
// (k nearest neighbours, distance band, inverse distance), optionally row-standardised.
// Haversine formula: Sinnott (1984), Sky & Telescope 68(2); weights as in Anselin (1988), Spatial
// Econometrics, ch. 3, and PySAL libpysal.weights (KNN, DistanceBand).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

/// \brief Great-circle distance in km between two points given in degrees (haversine).
double haversine_km(double lat1, double lon1, double lat2, double lon2, double radius_km) {
  constexpr double rad = std::numbers::pi / 180.0;
  const double dphi = (lat2 - lat1) * rad, dlambda = (lon2 - lon1) * rad;
  const double s = std::sin(dphi / 2), t = std::sin(dlambda / 2);
  const double h = s * s + std::cos(lat1 * rad) * std::cos(lat2 * rad) * t * t;
  return 2 * radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

struct Link {
  std::size_t to;
  double distance;
  double weight;
};

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
        "Earth "
        "radius), latitude/longitude in decimal degrees.\n"
        "method = \"knn\": w_ij = 1 for the k nearest other regions (ties broken by region order); "
        "\"distance_band\": w_ij = 1 where d_ij <= threshold (km); \"inverse_distance\": w_ij = "
        "d_ij^-power for every other region, or only within `threshold` when it is given (PySAL "
        "DistanceBand(binary=False) with alpha = -power).\n"
        "row_standardize = true divides each region's weights by their sum (PySAL transform 'r', "
        "spdep style 'W'); default false (binary/raw weights, PySAL's default 'O').\n"
        "Output: one row per (from, to) pair with a positive weight, sorted by from, then "
        "distance. "
        "A region without neighbours is never dropped: it is logged as a warning and is an error "
        "unless allow_islands = true, in which case it gets one row with a missing `to` and "
        "`distance_km` and weight 0 (morans_i reads this as 'no neighbours').\n"
        "Reference: Sinnott (1984) Sky & Telescope 68(2) 159; Anselin (1988) Spatial Econometrics, "
        "ch. 3.";
    p.params = {
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
            .def(6371.0088)
            .above(0)
            .doc_(
                "Earth radius in km (6371.0088 mean radius; 6372.8 and 6378.137 are also in use)"),
        ParamSpec("allow_islands", ParamType::kBool)
            .def(false)
            .doc_(
                "keep regions without neighbours (one row with missing `to`) instead of an error"),
        ParamSpec("missing", ParamType::kString)
            .def("error")
            .one_of({"error", "drop"})
            .doc_("regions with missing coordinates: an error, or dropped with a warning"),
    };
    p.reads = {{"input", "region, lat, lon", "region centres"}};
    p.writes = {{"<output>", "from, to, distance_km, weight", "one row per neighbour pair"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    const ColumnType key = *in.type_of(params.str("region"));
    if (key == ColumnType::kFloat)
      throw ParamError("region", "column '" + params.str("region") +
                                     "' is a float column; use a string or int key");
    const std::string method = params.str("method");
    if (method == "knn" && !params.has("k"))
      throw ParamError("k", "method = \"knn\" needs k, the number of neighbours");
    if (method == "distance_band" && !params.has("threshold"))
      throw ParamError("threshold", "method = \"distance_band\" needs threshold, the band in km");
    if (method != "knn" && params.has("k"))
      throw ParamError("k", "k is only used with method = \"knn\"");
    if (method == "knn" && params.has("threshold"))
      throw ParamError("threshold", "threshold is not used with method = \"knn\"");
    Schema out;
    out.add("from", key);
    out.add("to", key);
    out.add("distance_km", ColumnType::kFloat);
    out.add("weight", ColumnType::kFloat);
    ctx.declare_output(ctx.output_name(), out);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const Column& region = in.column(params.str("region"));
    const Column& lat = in.column(params.str("lat"));
    const Column& lon = in.column(params.str("lon"));
    const bool drop = params.str("missing") == "drop";

    std::vector<std::size_t> rows;
    std::map<std::string, std::size_t> seen;
    for (std::size_t row = 0; row < in.rows(); ++row) {
      if (!region.is_valid(row)) {
        if (drop) continue;
        throw DataError(in.row_name(row) +
                        " has a missing region (set missing = \"drop\" to skip it)");
      }
      const std::string label = region.to_text(row);
      const bool ok = lat.is_valid(row) && lon.is_valid(row) && std::isfinite(lat.number(row)) &&
                      std::isfinite(lon.number(row));
      if (!ok) {
        if (drop) {
          ctx.log(LogLevel::kWarn,
                  "region '" + label + "' has no coordinates and is left out of the weights");
          continue;
        }
        throw DataError(
            "region '" + label +
            "' has a missing latitude or longitude (set missing = \"drop\" to leave it out)");
      }
      const double la = lat.number(row), lo = lon.number(row);
      if (la < -90 || la > 90)
        throw DataError("region '" + label + "' has latitude " + format_number(la) +
                        ", outside -90..90");
      if (lo < -180 || lo > 180)
        throw DataError("region '" + label + "' has longitude " + format_number(lo) +
                        ", outside -180..180");
      if (const auto [first, fresh] = seen.emplace(label, row); !fresh)
        throw DataError("region '" + label + "' appears twice in table '" + params.str("input") +
                        "'" + in.lines_note(first->second, row));
      rows.push_back(row);
    }
    // Regions in label order (numeric for int keys) so the output does not depend on row order.
    std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      if (region.type == ColumnType::kInt) return region.ints[a] < region.ints[b];
      return region.str(a) < region.str(b);
    });
    const std::size_t n = rows.size();
    if (n < 2)
      throw DataError("spatial weights need at least two regions with coordinates; got " +
                      std::to_string(n));
    auto label = [&](std::size_t i) { return region.to_text(rows[i]); };

    const double radius = params.real("radius_km");
    std::vector<double> d(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j)
        d[i * n + j] = d[j * n + i] =
            haversine_km(lat.number(rows[i]), lon.number(rows[i]), lat.number(rows[j]),
                         lon.number(rows[j]), radius);

    const std::string method = params.str("method");
    std::vector<std::vector<Link>> links(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::size_t> others;
      for (std::size_t j = 0; j < n; ++j)
        if (j != i) others.push_back(j);
      std::stable_sort(others.begin(), others.end(),
                       [&](std::size_t a, std::size_t b) { return d[i * n + a] < d[i * n + b]; });
      if (method == "knn") {
        const auto k = static_cast<std::size_t>(params.integer("k"));
        if (k >= n)
          throw DataError("k = " + std::to_string(k) +
                          " nearest neighbours need more than k regions; the table has " +
                          std::to_string(n) + " (use k <= " + std::to_string(n - 1) + ")");
        for (std::size_t m = 0; m < k; ++m)
          links[i].push_back({others[m], d[i * n + others[m]], 1.0});
      } else if (method == "distance_band") {
        const double t = params.real("threshold");
        for (auto j : others)
          if (d[i * n + j] <= t) links[i].push_back({j, d[i * n + j], 1.0});
      } else {  // inverse_distance
        const double power = params.real("power");
        const bool band = params.has("threshold");
        for (auto j : others) {
          const double dij = d[i * n + j];
          if (band && dij > params.real("threshold")) continue;
          if (dij <= 0)
            throw DataError("regions '" + label(i) + "' and '" + label(j) +
                            "' have the same coordinates: inverse-distance weights are infinite");
          links[i].push_back({j, dij, std::pow(dij, -power)});
        }
      }
    }

    std::string islands;
    std::size_t n_islands = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (links[i].empty()) {
        islands += (islands.empty() ? "'" : ", '") + label(i) + "'";
        ++n_islands;
      }
    if (n_islands) {
      std::string msg = std::to_string(n_islands) + " region(s) without neighbours: " + islands;
      if (params.has("threshold"))
        msg += " (no other region within " + format_number(params.real("threshold")) + " km)";
      ctx.log(LogLevel::kWarn, msg);
      if (!params.boolean("allow_islands"))
        throw DataError(msg +
                        "; widen the band, use knn, or set allow_islands = true to keep them "
                        "without neighbours");
    }
    if (params.boolean("row_standardize"))
      for (auto& list : links) {
        double s = 0;
        for (const auto& l : list) s += l.weight;
        for (auto& l : list) l.weight /= s;
      }

    // Rows: from, to (missing for an island), distance_km (missing for an island), weight.
    std::vector<std::size_t> from_rows, to_rows;
    std::vector<std::uint8_t> to_valid;
    std::vector<double> dist, weight;
    for (std::size_t i = 0; i < n; ++i) {
      if (links[i].empty()) {
        from_rows.push_back(rows[i]);
        to_rows.push_back(rows[i]);
        to_valid.push_back(0);
        dist.push_back(0);
        weight.push_back(0);
        continue;
      }
      for (const auto& l : links[i]) {
        from_rows.push_back(rows[i]);
        to_rows.push_back(rows[l.to]);
        to_valid.push_back(1);
        dist.push_back(l.distance);
        weight.push_back(l.weight);
      }
    }
    Column from = Column::take(region, from_rows);
    from.name = "from";
    Column to = Column::take(region, to_rows);
    to.name = "to";
    for (std::size_t r = 0; r < to_valid.size(); ++r) {
      if (to_valid[r]) continue;
      if (to.type == ColumnType::kString) {
        to.codes[r] = -1;
      } else {
        if (to.valid.empty()) to.valid.assign(to.size(), 1);
        to.valid[r] = 0;
      }
    }
    std::vector<Column> cols;
    cols.push_back(std::move(from));
    cols.push_back(std::move(to));
    cols.push_back(Column::make_floats("distance_km", std::move(dist), to_valid));
    cols.push_back(Column::make_floats("weight", std::move(weight)));
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::SpatialWeights)
