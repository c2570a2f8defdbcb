// distance_matrix: origin-destination distances and travel times between places, either
//   mode = "points":  km_ij = circuity * haversine(i, j) (Sinnott 1984), hours = km / speed_kmh,
//   mode = "network": shortest paths over a table of links (Dijkstra 1959), minimising length or
//                     time, with the other quantity taken along the chosen path.
// Circuity (road distance / great-circle distance): Ballou, Rahardja & Sakai (2002).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "distance_matrix_kernel.hpp"
#include "klaster/sdk/geo.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::distance_matrix {
namespace {

using namespace klaster::sdk;

std::vector<ParamSpec> common_params() {
  return {
      ParamSpec("mode", ParamType::kString)
          .def("points")
          .one_of({"points", "network"})
          .doc_("\"points\": great-circle distance x circuity between every two points of "
                "`points`; \"network\": shortest paths over the links of `links`"),
      ParamSpec("speed_kmh", ParamType::kFloat)
          .def(60.0)
          .above(0)
          .doc_("average speed turning km into hours: every pair in points mode, every link "
                "without a time in network mode (default 60 km/h, a convention, not an estimate)"),
      ParamSpec("include_self", ParamType::kBool)
          .def(false)
          .doc_("also write each origin's row to itself (distance 0), e.g. for accessibility's "
                "self_distance = \"given\" after replacing it"),
      ParamSpec("write_path", ParamType::kBool)
          .def(false)
          .doc_("also write the path as text, node names joined by \" > \""),
  };
}

std::vector<ParamSpec> points_params() {
  return {
      ParamSpec("points", ParamType::kTable).doc_("mode = points: one row per point: id, lat, lon"),
      ParamSpec("id", ParamType::kColumn).of("points").def("region").doc_("point id column"),
      ParamSpec("lat", ParamType::kColumn)
          .numeric()
          .of("points")
          .def("lat")
          .doc_("latitude column, decimal degrees (-90..90)"),
      ParamSpec("lon", ParamType::kColumn)
          .numeric()
          .of("points")
          .def("lon")
          .doc_("longitude column, decimal degrees (-180..180)"),
      ParamSpec("circuity", ParamType::kFloat)
          .def(1.0)
          .at_least(1.0)
          .doc_("road distance / great-circle distance (default 1.0: the great-circle distance "
                "itself; road networks are about 1.2-1.4, Ballou, Rahardja & Sakai 2002)"),
      ParamSpec("radius_km", ParamType::kFloat)
          .def(kEarthMeanRadiusKm)
          .above(0)
          .doc_("Earth radius in km (6371.0088, the IUGG mean radius)"),
      ParamSpec("pairs", ParamType::kTable)
          .doc_("mode = points, optional: only these (from, to) pairs, e.g. spatial_weights' "
                "output; rows with a missing `to` (islands) are skipped"),
      ParamSpec("pairs_from", ParamType::kColumn)
          .of("pairs")
          .def("from")
          .doc_("origin column of `pairs`"),
      ParamSpec("pairs_to", ParamType::kColumn)
          .of("pairs")
          .def("to")
          .doc_("destination column of `pairs`"),
  };
}

std::vector<ParamSpec> network_params() {
  return {
      ParamSpec("links", ParamType::kTable).doc_("mode = network: one row per link"),
      ParamSpec("from", ParamType::kColumn)
          .of("links")
          .def("origin")
          .doc_("link start node column"),
      ParamSpec("to", ParamType::kColumn)
          .of("links")
          .def("destination")
          .doc_("link end node column"),
      ParamSpec("length", ParamType::kColumn)
          .numeric()
          .of("links")
          .def("distance_km")
          .doc_("link length column, km, >= 0"),
      ParamSpec("time", ParamType::kColumn)
          .numeric()
          .of("links")
          .def("hours")
          .if_present()
          .doc_("link time column, hours, >= 0; when the table has none, length / speed_kmh"),
      ParamSpec("weight", ParamType::kString)
          .def("length")
          .one_of({"length", "time"})
          .doc_("what the shortest path minimises; the other quantity is summed along it"),
      ParamSpec("directed", ParamType::kBool)
          .def(false)
          .doc_("false: a link can be travelled both ways; true: only from -> to"),
      ParamSpec("origins", ParamType::kStringList).doc_("origin nodes (default: all nodes)"),
      ParamSpec("destinations", ParamType::kStringList)
          .doc_("destination nodes (default: all nodes)"),
      ParamSpec("unreachable", ParamType::kString)
          .def("error")
          .one_of({"error", "drop"})
          .doc_("an origin-destination pair without a path: an error naming the pairs, or left "
                "out with a warning"),
  };
}

TableSpec written() {
  return TableSpec::write("<output>", "one row per origin-destination pair, by origin")
      .column(ColumnSpec::strings("origin", "the origin's id (as text)"))
      .column(ColumnSpec::strings("destination", "the destination's id (as text)"))
      .column(ColumnSpec::floats("distance_km",
                                 "points: circuity x great-circle km; network: "
                                 "length of the chosen path")
                  .in("km"))
      .column(ColumnSpec::floats("hours",
                                 "points: distance_km / speed_kmh; network: time of "
                                 "the chosen path")
                  .in("h"))
      .column(ColumnSpec::strings("path", "the nodes of the path joined by \" > \"")
                  .when("write_path", "true"));
}

/// \brief Node names and their numbers, in order of first appearance.
struct Nodes {
  std::vector<std::string> label;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t add(const std::string& name) {
    const auto [it, fresh] = index.emplace(name, label.size());
    if (fresh) label.push_back(name);
    return it->second;
  }
  const std::size_t* find(const std::string& name) const {
    const auto it = index.find(name);
    return it == index.end() ? nullptr : &it->second;
  }
};

/// \brief What is written: one entry per pair (node numbers into `nodes`).
struct Rows {
  std::vector<std::size_t> origin, destination;
  std::vector<double> km, hours;
  std::vector<std::string> path;
  void append(Rows&& other) {
    auto move_in = [](auto& to, auto& from) {
      to.insert(to.end(), std::make_move_iterator(from.begin()),
                std::make_move_iterator(from.end()));
    };
    move_in(origin, other.origin);
    move_in(destination, other.destination);
    move_in(km, other.km);
    move_in(hours, other.hours);
    move_in(path, other.path);
  }
};

/// \brief A finite number in column `param` at `row`, or a DataError naming the row.
double number_at(const RunContext& ctx, const Table& t, const std::string& param, std::size_t row) {
  const Column& c = t.column(ctx.params().str(param));
  if (!c.is_valid(row) || !std::isfinite(c.number(row)))
    throw DataError(t.row_name(row) + ": missing or non-finite " + param + " '" + c.name +
                    "' in table '" +
                    ctx.params().str(param == "lat" || param == "lon" ? "points" : "links") + "'");
  return c.number(row);
}

/// \brief The id in column `param` at `row` as text; a DataError naming the row when missing.
std::string id_at(const Table& t, const std::string& column, const std::string& table,
                  std::size_t row) {
  const Column& c = t.column(column);
  if (!c.is_valid(row))
    throw DataError(t.row_name(row) + ": missing id in column '" + column + "' of table '" + table +
                    "'");
  return c.to_text(row);
}

// ---- points mode ----

struct Points {
  Nodes nodes;
  std::vector<double> lat, lon;
};

Points read_points(const RunContext& ctx) {
  const Params& p = ctx.params();
  const Table& t = ctx.table_of_param("points");
  Points pts;
  std::unordered_map<std::string, std::size_t> first_row;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const std::string id = id_at(t, p.str("id"), p.str("points"), row);
    if (const auto [it, fresh] = first_row.emplace(id, row); !fresh)
      throw DataError("point '" + id + "' appears twice in table '" + p.str("points") + "'" +
                      t.lines_note(it->second, row));
    const double lat = number_at(ctx, t, "lat", row), lon = number_at(ctx, t, "lon", row);
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
      throw DataError("point '" + id + "' has lat " + format_number(lat) + ", lon " +
                      format_number(lon) + ", outside -90..90 / -180..180");
    pts.nodes.add(id);
    pts.lat.push_back(lat);
    pts.lon.push_back(lon);
  }
  return pts;
}

/// \brief The (origin, destination) point pairs: those of `pairs` when given, else all.
std::vector<std::pair<std::size_t, std::size_t>> point_pairs(const RunContext& ctx,
                                                             const Nodes& nodes) {
  const Params& p = ctx.params();
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (!p.has("pairs")) {
    for (std::size_t i = 0; i < nodes.label.size(); ++i)
      for (std::size_t j = 0; j < nodes.label.size(); ++j)
        if (i != j || p.boolean("include_self")) out.emplace_back(i, j);
    return out;
  }
  const Table& t = ctx.table_of_param("pairs");
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (!t.column(p.str("pairs_to")).is_valid(row)) continue;  // an island: no neighbour
    const std::string a = id_at(t, p.str("pairs_from"), p.str("pairs"), row);
    const std::string b = id_at(t, p.str("pairs_to"), p.str("pairs"), row);
    const std::size_t *i = nodes.find(a), *j = nodes.find(b);
    if (!i || !j)
      throw DataError(t.row_name(row) + " of table '" + p.str("pairs") + "': point '" +
                      (i ? b : a) + "' is not in table '" + p.str("points") + "'");
    out.emplace_back(*i, *j);
  }
  return out;
}

struct Result {
  Nodes nodes;
  Rows rows;
};

Result points_result(const RunContext& ctx) {
  const Params& p = ctx.params();
  Points pts = read_points(ctx);
  Result r;
  for (const auto& [i, j] : point_pairs(ctx, pts.nodes)) {
    const double km = road_km(pts.lat[i], pts.lon[i], pts.lat[j], pts.lon[j], p.real("circuity"),
                              p.real("radius_km"));
    r.rows.origin.push_back(i);
    r.rows.destination.push_back(j);
    r.rows.km.push_back(km);
    r.rows.hours.push_back(km / p.real("speed_kmh"));
    r.rows.path.push_back(i == j ? pts.nodes.label[i]
                                 : pts.nodes.label[i] + " > " + pts.nodes.label[j]);
  }
  r.nodes = std::move(pts.nodes);
  return r;
}

// ---- network mode ----

/// \brief A non-negative link quantity, or a DataError naming the link's row.
double link_quantity(const RunContext& ctx, const Table& t, const std::string& param,
                     std::size_t row) {
  const double v = number_at(ctx, t, param, row);
  if (v < 0)
    throw DataError(t.row_name(row) + ": negative " + param + " " + format_number(v) +
                    " of a link in table '" + ctx.params().str("links") + "'");
  return v;
}

struct Network {
  Nodes nodes;
  std::vector<Link> links;
};

Network read_network(const RunContext& ctx) {
  const Params& p = ctx.params();
  const Table& t = ctx.table_of_param("links");
  const bool has_time = t.schema().has(p.str("time"));
  Network net;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    Link l;
    l.from = net.nodes.add(id_at(t, p.str("from"), p.str("links"), row));
    l.to = net.nodes.add(id_at(t, p.str("to"), p.str("links"), row));
    l.length = link_quantity(ctx, t, "length", row);
    l.time = has_time ? link_quantity(ctx, t, "time", row) : l.length / p.real("speed_kmh");
    net.links.push_back(l);
  }
  return net;
}

/// \brief The nodes a list parameter names (default: all); a ParamError names unknown ones.
std::vector<std::size_t> node_list(const Params& p, const std::string& param, const Nodes& nodes) {
  std::vector<std::size_t> out;
  if (!p.has(param)) {
    for (std::size_t v = 0; v < nodes.label.size(); ++v) out.push_back(v);
    return out;
  }
  std::string unknown;
  for (const std::string& name : p.strings(param)) {
    if (const std::size_t* v = nodes.find(name))
      out.push_back(*v);
    else
      unknown += (unknown.empty() ? "'" : ", '") + name + "'";
  }
  if (!unknown.empty())
    throw ParamError(
        param, "node(s) " + unknown + " are not in the links of table '" + p.str("links") + "'");
  return out;
}

std::string path_text(const Tree& tree, std::size_t target, const Nodes& nodes) {
  std::string text;
  for (const std::size_t v : path_to(tree, target))
    text += (text.empty() ? "" : " > ") + nodes.label[v];
  return text;
}

/// \brief The rows of one origin; the unreached destinations go to `unreached`.
Rows origin_rows(const Graph& g, const Nodes& nodes, std::size_t origin,
                 const std::vector<std::size_t>& destinations, const Params& p,
                 std::vector<std::size_t>& unreached) {
  const Tree tree = shortest_paths(g, origin, p.str("weight") == "time");
  Rows rows;
  for (const std::size_t d : destinations) {
    if (d == origin && !p.boolean("include_self")) continue;
    if (!tree.reached(d)) {
      unreached.push_back(d);
      continue;
    }
    rows.origin.push_back(origin);
    rows.destination.push_back(d);
    rows.km.push_back(tree.length[d]);
    rows.hours.push_back(tree.time[d]);
    if (p.boolean("write_path")) rows.path.push_back(path_text(tree, d, nodes));
  }
  return rows;
}

/// \brief Unreachable pairs: an error naming the first five and the count, or a warning.
void report_unreachable(const RunContext& ctx, const Nodes& nodes,
                        const std::vector<std::size_t>& origins,
                        const std::vector<std::vector<std::size_t>>& unreached) {
  std::size_t count = 0;
  std::string first;
  for (std::size_t k = 0; k < origins.size(); ++k)
    for (const std::size_t d : unreached[k])
      if (++count <= 5)
        first += (first.empty() ? "" : ", ") + nodes.label[origins[k]] + " -> " + nodes.label[d];
  if (!count) return;
  const std::string msg = std::to_string(count) +
                          " origin-destination pair(s) have no path in "
                          "the links of table '" +
                          ctx.params().str("links") + "'" +
                          (ctx.params().boolean("directed") ? " (directed)" : "") + ": " + first +
                          (count > 5 ? ", ..." : "");
  if (ctx.params().str("unreachable") == "error")
    throw DataError(msg + " (set unreachable = \"drop\" to leave them out)");
  ctx.log(LogLevel::kWarn, msg + "; left out");
}

Result network_result(const RunContext& ctx) {
  const Params& p = ctx.params();
  Network net = read_network(ctx);
  const Graph g = make_graph(net.nodes.label.size(), net.links, p.boolean("directed"));
  const std::vector<std::size_t> origins = node_list(p, "origins", net.nodes);
  const std::vector<std::size_t> destinations = node_list(p, "destinations", net.nodes);
  std::vector<std::vector<std::size_t>> unreached(origins.size());
  std::vector<Rows> per_origin = parallel_slots<Rows>(
      origins.size(),
      [&](std::size_t k) {
        return origin_rows(g, net.nodes, origins[k], destinations, p, unreached[k]);
      },
      items_per_part(net.links.size() * 8));
  report_unreachable(ctx, net.nodes, origins, unreached);
  Result r;
  for (Rows& rows : per_origin) r.rows.append(std::move(rows));
  r.nodes = std::move(net.nodes);
  return r;
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет расстояния и время в пути между пунктами отправления и назначения — по"
       " прямой между точками или по сети связей"},
      {p.description,
       "mode = \"points\": для каждой упорядоченной пары различных точек (или только пар "
       "из таблицы `pairs`) distance_km = circuity * d_ij, где d_ij — расстояние по дуге"
       " большого круга по формуле гаверсинусов 2 R asin(sqrt(sin^2(dphi/2) + cos phi_i "
       "cos phi_j sin^2(dlambda/2))) (Sinnott 1984), R = radius_km; hours = distance_km "
       "/ speed_kmh. circuity по умолчанию 1,0 (дуга большого круга); Ballou, Rahardja &"
       " Sakai (2002) измерили коэффициенты извилистости дорог около 1,2–1,4 в разных "
       "странах.\n"
       "mode = \"network\": кратчайшие пути (Dijkstra 1959, двоичная куча) по связям "
       "таблицы `links` (ненаправленным, если не задано directed = true) от каждого "
       "пункта отправления до каждого пункта назначения (origins/destinations, по "
       "умолчанию все узлы); минимизируется weight = \"length\" (по умолчанию) или \"time\","
       " другая величина суммируется вдоль выбранного пути (из равных по длине путей "
       "берётся тот, у которого другая величина меньше). Связь без столбца времени "
       "получает length / speed_kmh. Изменение одной связи меняет все пути через неё.\n"
       "Строки i -> i (расстояние 0) — только при include_self = true. Пропущенная или "
       "отрицательная длина или время — ошибка с номером строки связи; пары без пути — "
       "ошибка с первыми пятью из них и их числом, если не задано unreachable = \"drop\".\n"
       "Id на выходе записываются как текст."},
  };
}

class DistanceMatrix final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "distance_matrix";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Computes origin-destination distances and travel times between points or over "
        "a network of links";
    p.description = description();
    p.params = common_params();
    for (auto* group : {&points_params, &network_params})
      for (ParamSpec& s : (*group)()) p.params.push_back(std::move(s));
    p.reads = {TableSpec::read("points", "points with coordinates")
                   .when_given("points")
                   .column(ColumnSpec::of("id"))
                   .column(ColumnSpec::of("lat"))
                   .column(ColumnSpec::of("lon")),
               TableSpec::read("pairs", "the pairs to compute")
                   .when_given("pairs")
                   .column(ColumnSpec::of("pairs_from"))
                   .column(ColumnSpec::of("pairs_to")),
               TableSpec::read("links", "the links of the network")
                   .when_given("links")
                   .column(ColumnSpec::of("from"))
                   .column(ColumnSpec::of("to"))
                   .column(ColumnSpec::of("length"))
                   .column(ColumnSpec::of("time"))};
    p.writes = {written()};
    p.translations["ru"] = russian(p);
    return p;
  }

  /// Each mode's table is required, the other mode's parameters are refused.
  void bind(BindContext& ctx) const override {
    const Params& p = ctx.params();
    const bool points = p.str("mode") == "points";
    const char* need = points ? "points" : "links";
    if (!p.has(need))
      throw ParamError(need,
                       std::string("mode = \"") + p.str("mode") + "\" needs table '" + need + "'");
    for (const char* other : points ? std::vector<const char*>{"links", "origins", "destinations"}
                                    : std::vector<const char*>{"points", "pairs"})
      if (p.has(other))
        throw ParamError(other, std::string("'") + other + "' is not used with mode = \"" +
                                    p.str("mode") + "\"");
  }

  void run(RunContext& ctx) const override {
    const Result r =
        ctx.params().str("mode") == "points" ? points_result(ctx) : network_result(ctx);
    write(ctx, r);
  }

 private:
  static std::string description() {
    return "mode = \"points\": for every ordered pair of distinct points (or only the pairs of "
           "table `pairs`), distance_km = circuity * d_ij, d_ij the haversine great-circle "
           "distance 2 R asin(sqrt(sin^2(dphi/2) + cos phi_i cos phi_j sin^2(dlambda/2))) "
           "(Sinnott 1984), R = radius_km; hours = distance_km / speed_kmh. circuity defaults to "
           "1.0 (great-circle); Ballou, Rahardja & Sakai (2002) measured road circuity factors "
           "of about 1.2-1.4 by country.\n"
           "mode = \"network\": shortest paths (Dijkstra 1959, binary heap) over the links of "
           "table `links` (undirected unless directed = true) from every origin to every "
           "destination (origins/destinations, default all nodes); weight = \"length\" "
           "(default) or \"time\" is minimised, the other quantity is summed along the chosen "
           "path (among equally short paths, the one with the least other quantity). A link "
           "without a time column takes length / speed_kmh. Changing one link changes every "
           "path through it.\n"
           "Rows i -> i (distance 0) only with include_self = true. A missing or negative "
           "length or time is an error naming the link's row; pairs without a path are an "
           "error naming the first five and their count unless unreachable = \"drop\".\n"
           "Output ids are written as text.";
  }

  static void write(RunContext& ctx, const Result& r) {
    std::vector<std::string> origin, destination;
    for (std::size_t k = 0; k < r.rows.origin.size(); ++k) {
      origin.push_back(r.nodes.label[r.rows.origin[k]]);
      destination.push_back(r.nodes.label[r.rows.destination[k]]);
    }
    OutputTable out = ctx.output();
    out.set("origin", origin).set("destination", destination);
    out.set("distance_km", r.rows.km).set("hours", r.rows.hours);
    if (out.has("path")) out.set("path", r.rows.path);
    ctx.write(std::move(out));
  }
};

}  // namespace

double road_km(double lat1, double lon1, double lat2, double lon2, double circuity,
               double radius_km) {
  return circuity * sdk::haversine_km(lat1, lon1, lat2, lon2, radius_km);
}

Graph make_graph(std::size_t n_nodes, const std::vector<Link>& links, bool directed) {
  Graph g;
  g.out.resize(n_nodes);
  for (const Link& l : links) {
    g.out[l.from].push_back({l.to, l.length, l.time});
    if (!directed && l.from != l.to) g.out[l.to].push_back({l.from, l.length, l.time});
  }
  return g;
}

Tree shortest_paths(const Graph& g, std::size_t source, bool by_time) {
  const std::size_t n = g.out.size();
  constexpr double inf = std::numeric_limits<double>::infinity();
  Tree t{std::vector<double>(n, inf), std::vector<double>(n, inf),
         std::vector<std::size_t>(n, Tree::kNone)};
  // Keys are (primary, secondary): the minimised quantity, then the other one.
  using Key = std::pair<double, double>;
  auto key = [&](std::size_t v) {
    return by_time ? Key{t.time[v], t.length[v]} : Key{t.length[v], t.time[v]};
  };
  using Entry = std::pair<Key, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  t.length[source] = t.time[source] = 0;
  heap.push({key(source), source});
  while (!heap.empty()) {
    const auto [k, v] = heap.top();
    heap.pop();
    if (k != key(v)) continue;  // a stale entry: v was reached more cheaply since
    for (const Graph::Arc& a : g.out[v]) {
      const double length = t.length[v] + a.length, time = t.time[v] + a.time;
      const Key candidate = by_time ? Key{time, length} : Key{length, time};
      if (!(candidate < key(a.to))) continue;
      t.length[a.to] = length;
      t.time[a.to] = time;
      t.parent[a.to] = v;
      heap.push({candidate, a.to});
    }
  }
  return t;
}

std::vector<std::size_t> path_to(const Tree& tree, std::size_t target) {
  if (!tree.reached(target)) return {};
  std::vector<std::size_t> path;
  for (std::size_t v = target; v != Tree::kNone; v = tree.parent[v]) path.push_back(v);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace klaster::plugins::distance_matrix

KLASTER_PLUGIN(klaster::plugins::distance_matrix::DistanceMatrix)
