// accessibility: how much of the destinations' activity an origin can reach, discounted by
// distance —
//   hansen: A_i  = sum_j S_j^gamma f(d_ij)                       (Hansen 1959)
//   harris: MP_i = sum_j M_j d_ij^lambda, lambda = -b             (Harris 1954)
//   huff:   P_ij = S_j^gamma f(d_ij) / sum_k S_k^gamma f(d_ik)    (Huff 1963, 1964),
//           flows C_i P_ij and each destination's expected flow and market share;
//   reilly: for every pair of destinations a, b (Reilly 1931, Converse 1949) the breaking point
//           x = d_ab / (1 + (S_b / S_a)^(gamma / -lambda)) from a.
// f(d) = d^lambda (power) or exp(lambda d) (exponential), lambda <= 0.
#include <cmath>
#include <cstddef>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "accessibility_kernel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::accessibility {
namespace {

using namespace klaster::sdk;

std::vector<ParamSpec> model_params() {
  return {
      ParamSpec("method", ParamType::kString)
          .def("hansen")
          .one_of({"hansen", "harris", "huff", "reilly"})
          .doc_("hansen: A_i = sum_j S_j^gamma f(d_ij); harris: MP_i = sum_j M_j d_ij^lambda; "
                "huff: P_ij = S_j^gamma f(d_ij) / sum_k S_k^gamma f(d_ik); reilly: per pair of "
                "destinations the breaking point d_ab / (1 + (S_b / S_a)^(gamma / -lambda)) "
                "from a (Reilly 1931; Converse 1949: gamma = 1, lambda = -2)"),
      ParamSpec("decay", ParamType::kString)
          .def("power")
          .one_of({"power", "exponential"})
          .doc_("f(d) = d^lambda (power) or exp(lambda d) (exponential); harris, reilly: power "
                "only"),
      ParamSpec("lambda", ParamType::kFloat)
          .at_most(0)
          .doc_("decay exponent, <= 0 (the minus sign is part of it). Default for power: -2 "
                "(hansen, huff, reilly; Reilly's and Huff's squared distance), -1 (harris, M_j / "
                "d_ij); required for exponential (per unit of distance); reilly: < 0"),
      ParamSpec("gamma", ParamType::kFloat)
          .def(1.0)
          .at_least(0)
          .doc_("exponent of the attraction S_j (hansen, huff, reilly); harris uses M_j itself "
                "(1)"),
      ParamSpec("self_distance", ParamType::kString)
          .def("none")
          .one_of({"none", "area", "given"})
          .doc_("the pair j = i: \"none\" leaves it out, \"area\": d_ii = self_factor "
                "sqrt(area_i / pi), \"given\": the distances table's i -> i row"),
      ParamSpec("self_factor", ParamType::kFloat)
          .def(1.0 / 3.0)
          .above(0)
          .doc_("self_distance = \"area\": d_ii as a share of the radius of a circle of the "
                "zone's area (1/3: Keeble, Owens & Thompson 1982; 2/3 and 1/2 are also in use)"),
      ParamSpec("duplicates", ParamType::kString)
          .def("error")
          .one_of({"error", "sum"})
          .doc_("an id twice in origins or destinations: an error, or its values summed (e.g. a "
                "year's sections of output.csv per region)"),
  };
}

/// \brief The distances table and its columns.
std::vector<ParamSpec> distance_params() {
  return {
      ParamSpec("distances", ParamType::kTable)
          .req()
          .primary()
          .doc_("one row per origin-destination pair, e.g. distance_matrix's output"),
      ParamSpec("d_origin", ParamType::kColumn)
          .of("distances")
          .def("origin")
          .doc_("origin column of `distances`"),
      ParamSpec("d_destination", ParamType::kColumn)
          .of("distances")
          .def("destination")
          .doc_("destination column of `distances`"),
      ParamSpec("distance", ParamType::kColumn)
          .numeric()
          .of("distances")
          .def("distance_km")
          .doc_("distance (or time) column of `distances`, >= 0"),
  };
}

/// \brief The zones: destinations with their attraction, origins with their mass.
std::vector<ParamSpec> zone_params() {
  return {
      ParamSpec("destinations", ParamType::kTable)
          .req()
          .doc_("one row per destination: id, attraction S_j (M_j for harris)"),
      ParamSpec("destination_id", ParamType::kColumn)
          .of("destinations")
          .def("region")
          .doc_("id column of `destinations`"),
      ParamSpec("attraction", ParamType::kColumn)
          .numeric()
          .of("destinations")
          .def("attraction")
          .doc_("attraction S_j (hansen, huff) or mass M_j (harris), >= 0"),
      ParamSpec("area", ParamType::kColumn)
          .numeric()
          .of("destinations")
          .def("area_km2")
          .if_present()
          .doc_("zone area column of `destinations` (self_distance = \"area\"), > 0"),
      ParamSpec("origins", ParamType::kTable)
          .doc_("one row per origin: id, mass C_i (required by huff; for hansen and harris it only "
                "chooses the origins, default: every origin of `distances`)"),
      ParamSpec("origin_id", ParamType::kColumn)
          .of("origins")
          .def("region")
          .doc_("id column of `origins`"),
      ParamSpec("mass", ParamType::kColumn)
          .numeric()
          .of("origins")
          .def("mass")
          .if_present()
          .doc_("huff: the origin's mass C_i (customers, spending, output), >= 0"),
  };
}

std::vector<TableSpec> written() {
  return {
      TableSpec::write("<output>",
                       "hansen, harris: one row per origin; huff: one row per "
                       "origin-destination pair of the choice sets; reilly: one row per pair of "
                       "destinations")
          // one "origin" column per method that writes it (a condition cannot say "not reilly")
          .column(
              ColumnSpec::strings("origin", "the origin's id (as text)").when("method", "hansen"))
          .column(
              ColumnSpec::strings("origin", "the origin's id (as text)").when("method", "harris"))
          .column(ColumnSpec::strings("origin", "the origin's id (as text)").when("method", "huff"))
          // Units: S^gamma times f's unit, d^lambda for the power decay (a number for the
          // exponential one, lambda being per unit of distance); lambda's default as in run().
          .column(ColumnSpec::floats("accessibility", "A_i = sum_j S_j^gamma f(d_ij)")
                      .when("method", "hansen")
                      .when("decay", "power")
                      .in("<attraction>^{gamma} · <distance>^{lambda|-2}"))
          .column(ColumnSpec::floats("accessibility", "A_i = sum_j S_j^gamma f(d_ij)")
                      .when("method", "hansen")
                      .when("decay", "exponential")
                      .in("<attraction>^{gamma}"))
          .column(ColumnSpec::floats("market_potential", "MP_i = sum_j M_j d_ij^lambda")
                      .when("method", "harris")
                      .in("<attraction> · <distance>^{lambda|-1}"))
          .column(ColumnSpec::strings("destination", "the destination's id (as text)")
                      .when("method", "huff"))
          .column(ColumnSpec::floats("probability", "P_ij, summing to 1 over j for each i")
                      .when("method", "huff")
                      .in("probability (0-1)"))
          .column(ColumnSpec::floats("flow", "C_i P_ij").when("method", "huff").in("<mass>"))
          .column(ColumnSpec::strings("a",
                                      "the first destination's id (as text), earlier in "
                                      "`destinations`")
                      .when("method", "reilly"))
          .column(ColumnSpec::strings("b", "the second destination's id (as text)")
                      .when("method", "reilly"))
          .column(
              ColumnSpec::floats("distance", "d_ab: the a -> b row of `distances` (else b -> a)")
                  .when("method", "reilly")
                  .in("<distance>"))
          .column(ColumnSpec::floats("breaking_point_from_a",
                                     "x = d_ab / (1 + (S_b / S_a)^(gamma / -lambda))")
                      .when("method", "reilly")
                      .in("<distance>"))
          .column(ColumnSpec::floats("breaking_point_from_b", "d_ab - x")
                      .when("method", "reilly")
                      .in("<distance>")),
      TableSpec::write("<output>_destinations", "huff: one row per destination")
          .when("method", "huff")
          .column(ColumnSpec::strings("destination", "the destination's id (as text)"))
          .column(ColumnSpec::floats("expected_flow", "E_j = sum_i C_i P_ij").in("<mass>"))
          .column(ColumnSpec::floats("market_share", "E_j / sum_i C_i").in("share (0-1)")),
  };
}

/// \brief Ids in order of first appearance, with a value each.
struct Keyed {
  std::vector<std::string> label;
  std::unordered_map<std::string, Eigen::Index> index;
  std::vector<double> value, area;
  const Eigen::Index* find(const std::string& id) const {
    const auto it = index.find(id);
    return it == index.end() ? nullptr : &it->second;
  }
};

/// \brief A non-negative finite number in column `column` of `t` at `row`, or a DataError.
double non_negative(const Table& t, const std::string& column, const std::string& what,
                    const std::string& table, std::size_t row) {
  const Column& c = t.column(column);
  if (!c.is_valid(row) || !std::isfinite(c.number(row)))
    throw DataError(t.row_name(row) + ": missing " + what + " '" + column + "' in table '" + table +
                    "'");
  if (c.number(row) < 0)
    throw DataError(t.row_name(row) + ": negative " + what + " " + format_number(c.number(row)) +
                    " in table '" + table + "'");
  return c.number(row);
}

std::string id_at(const Table& t, const std::string& column, const std::string& table,
                  std::size_t row) {
  if (!t.column(column).is_valid(row))
    throw DataError(t.row_name(row) + ": missing id in column '" + column + "' of table '" + table +
                    "'");
  return t.column(column).to_text(row);
}

/// \brief The ids and values (and areas, when `area` is not empty) of an origins or
/// destinations table; a repeated id is an error unless duplicates = "sum".
Keyed read_keyed(const RunContext& ctx, const std::string& table_param, const std::string& id,
                 const std::string& value, const std::string& what, const std::string& area) {
  const Params& p = ctx.params();
  const Table& t = ctx.table_of_param(table_param);
  const std::string& name = p.str(table_param);
  Keyed k;
  std::vector<std::size_t> first_row;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const std::string key = id_at(t, id, name, row);
    const double v = non_negative(t, value, what, name, row);
    const auto [it, fresh] = k.index.emplace(key, static_cast<Eigen::Index>(k.label.size()));
    if (fresh) {
      k.label.push_back(key);
      k.value.push_back(v);
      first_row.push_back(row);
      if (!area.empty()) k.area.push_back(non_negative(t, area, "area", name, row));
    } else if (p.str("duplicates") == "sum") {
      k.value[static_cast<std::size_t>(it->second)] += v;
    } else {
      throw DataError("id '" + key + "' appears twice in table '" + name + "'" +
                      t.lines_note(first_row[static_cast<std::size_t>(it->second)], row) +
                      " (set duplicates = \"sum\" to add its values)");
    }
  }
  return k;
}

/// \brief Origins: the origins table's when given, else the distances table's in order.
Keyed read_origins(const RunContext& ctx) {
  const Params& p = ctx.params();
  if (p.has("origins") && ctx.table_of_param("origins").schema().has(p.str("mass")))
    return read_keyed(ctx, "origins", p.str("origin_id"), p.str("mass"), "mass", "");
  Keyed k;
  const Table& t = ctx.table_of_param(p.has("origins") ? "origins" : "distances");
  const std::string column = p.has("origins") ? p.str("origin_id") : p.str("d_origin");
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const std::string key =
        id_at(t, column, p.str(p.has("origins") ? "origins" : "distances"), row);
    if (k.index.emplace(key, static_cast<Eigen::Index>(k.label.size())).second) {
      k.label.push_back(key);
      k.value.push_back(0);
    }
  }
  return k;
}

/// \brief The origin x destination distances: d(i, j) and the row of `distances` it came from
/// (-1 where computed or absent; NaN where absent).
struct Distances {
  Eigen::MatrixXd d;
  std::vector<std::ptrdiff_t> row;  // origin-major, origins x destinations
};

Distances read_distances(const RunContext& ctx, const Keyed& origins, const Keyed& dests) {
  const Params& p = ctx.params();
  const Table& t = ctx.table_of_param("distances");
  const std::string& name = p.str("distances");
  const auto no = static_cast<Eigen::Index>(origins.label.size());
  const auto nd = static_cast<Eigen::Index>(dests.label.size());
  Distances out{Eigen::MatrixXd::Constant(no, nd, std::nan("")),
                std::vector<std::ptrdiff_t>(static_cast<std::size_t>(no * nd), -1)};
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const Eigen::Index* i = origins.find(id_at(t, p.str("d_origin"), name, row));
    const Eigen::Index* j = dests.find(id_at(t, p.str("d_destination"), name, row));
    if (!i || !j) continue;  // a pair outside the origins or destinations asked for
    std::ptrdiff_t& seen = out.row[static_cast<std::size_t>(*i * nd + *j)];
    if (seen >= 0)
      throw DataError("the pair " + origins.label[static_cast<std::size_t>(*i)] + " -> " +
                      dests.label[static_cast<std::size_t>(*j)] + " appears twice in table '" +
                      name + "'" + t.lines_note(static_cast<std::size_t>(seen), row));
    seen = static_cast<std::ptrdiff_t>(row);
    out.d(*i, *j) = non_negative(t, p.str("distance"), "distance", name, row);
  }
  return out;
}

/// \brief d_ii by the self_distance rule: NaN (left out), from the area, or as given.
void apply_self_rule(const Params& p, const Keyed& origins, const Keyed& dests, Distances& d) {
  const std::string rule = p.str("self_distance");
  for (std::size_t i = 0; i < origins.label.size(); ++i) {
    const Eigen::Index* j = dests.find(origins.label[i]);
    if (!j) continue;  // the origin is no destination: no self pair
    const auto r = static_cast<Eigen::Index>(i);
    if (rule == "none") d.d(r, *j) = std::nan("");
    if (rule == "area") {
      const double area = dests.area[static_cast<std::size_t>(*j)];
      if (!(area > 0))
        throw DataError("zone '" + origins.label[i] + "' has area 0 in table '" +
                        p.str("destinations") + "': its self-distance would be 0");
      d.d(r, *j) = area_self_distance(area, p.real("self_factor"));
    }
  }
}

/// \brief Every pair in a choice set needs a distance: the first five missing and their count.
void check_complete(const Params& p, const Keyed& origins, const Keyed& dests, const Distances& d) {
  std::size_t count = 0;
  std::string first;
  for (Eigen::Index i = 0; i < d.d.rows(); ++i)
    for (Eigen::Index j = 0; j < d.d.cols(); ++j) {
      const std::string& a = origins.label[static_cast<std::size_t>(i)];
      const std::string& b = dests.label[static_cast<std::size_t>(j)];
      if (!std::isnan(d.d(i, j)) || (a == b && p.str("self_distance") == "none")) continue;
      if (++count <= 5) first += (first.empty() ? "" : ", ") + a + " -> " + b;
    }
  if (count)
    throw DataError(std::to_string(count) + " origin-destination pair(s) have no distance in " +
                    "table '" + p.str("distances") + "': " + first + (count > 5 ? ", ..." : "") +
                    (p.str("self_distance") == "given" ? " (self_distance = \"given\" needs the "
                                                         "i -> i rows too)"
                                                       : ""));
}

/// \brief A zero distance under a power decay with lambda < 0 is an infinite f(d).
void check_no_zero(const Params& p, const Decay& f, const Keyed& origins, const Keyed& dests,
                   const Distances& d) {
  if (f.exponential || f.lambda == 0) return;
  for (Eigen::Index i = 0; i < d.d.rows(); ++i)
    for (Eigen::Index j = 0; j < d.d.cols(); ++j)
      if (d.d(i, j) == 0)
        throw DataError("distance 0 from '" + origins.label[static_cast<std::size_t>(i)] +
                        "' to '" + dests.label[static_cast<std::size_t>(j)] + "' in table '" +
                        p.str("distances") + "': the power decay d^" + format_number(f.lambda) +
                        " is infinite (use self_distance = \"none\" or \"area\" for i = i, or "
                        "decay = \"exponential\")");
}

Decay decay_of(const Params& p) {
  Decay f;
  f.exponential = p.str("decay") == "exponential";
  f.lambda = p.has("lambda") ? p.real("lambda") : (p.str("method") == "harris" ? -1.0 : -2.0);
  return f;
}

Eigen::VectorXd weights(const Keyed& dests, double gamma) {
  Eigen::VectorXd w(static_cast<Eigen::Index>(dests.value.size()));
  for (std::size_t j = 0; j < dests.value.size(); ++j)
    w(static_cast<Eigen::Index>(j)) = std::pow(dests.value[j], gamma);
  return w;
}

/// \brief Everything the kernels need, read and checked.
struct Inputs {
  Keyed origins, dests;
  Distances d;
  Decay f;
};

Inputs read_inputs(const RunContext& ctx) {
  const Params& p = ctx.params();
  Inputs in;
  in.origins = read_origins(ctx);
  const bool area = p.str("self_distance") == "area";
  in.dests = read_keyed(ctx, "destinations", p.str("destination_id"), p.str("attraction"),
                        "attraction", area ? p.str("area") : "");
  in.d = read_distances(ctx, in.origins, in.dests);
  apply_self_rule(p, in.origins, in.dests, in.d);
  check_complete(p, in.origins, in.dests, in.d);
  in.f = decay_of(p);
  check_no_zero(p, in.f, in.origins, in.dests, in.d);
  return in;
}

void write_potential(RunContext& ctx, const Inputs& in) {
  const Params& p = ctx.params();
  const double gamma = p.str("method") == "harris" ? 1.0 : p.real("gamma");
  const Eigen::VectorXd a = potential(in.d.d, weights(in.dests, gamma), in.f);
  OutputTable out = ctx.output();
  out.set("origin", in.origins.label);
  out.set(p.str("method") == "harris" ? "market_potential" : "accessibility",
          std::vector<double>(a.data(), a.data() + a.size()));
  ctx.write(std::move(out));
}

void write_huff(RunContext& ctx, const Inputs& in) {
  const HuffResult h = huff(in.d.d, weights(in.dests, ctx.params().real("gamma")), in.f);
  if (h.undefined)
    throw DataError("origin '" + in.origins.label[static_cast<std::size_t>(*h.undefined)] +
                    "' reaches no destination with a positive attraction: its Huff "
                    "probabilities are 0 / 0");
  std::vector<std::string> origin, destination;
  std::vector<double> probability, flow, expected(in.dests.label.size(), 0.0);
  double total_mass = 0;
  for (Eigen::Index i = 0; i < in.d.d.rows(); ++i) {
    const double c = in.origins.value[static_cast<std::size_t>(i)];
    total_mass += c;
    for (Eigen::Index j = 0; j < in.d.d.cols(); ++j) {
      if (std::isnan(in.d.d(i, j))) continue;  // outside the choice set
      origin.push_back(in.origins.label[static_cast<std::size_t>(i)]);
      destination.push_back(in.dests.label[static_cast<std::size_t>(j)]);
      probability.push_back(h.probability(i, j));
      flow.push_back(c * h.probability(i, j));
      expected[static_cast<std::size_t>(j)] += flow.back();
    }
  }
  OutputTable out = ctx.output();
  out.set("origin", origin).set("destination", destination);
  out.set("probability", std::move(probability)).set("flow", std::move(flow));
  ctx.write(std::move(out));
  if (!(total_mass > 0))
    throw DataError("the masses of table '" + ctx.params().str("origins") +
                    "' sum to 0: the destinations' market shares are 0 / 0");
  std::vector<double> share;
  for (const double e : expected) share.push_back(e / total_mass);
  OutputTable dest = ctx.output("<output>_destinations");
  dest.set("destination", in.dests.label).set("expected_flow", expected);
  dest.set("market_share", std::move(share));
  ctx.write(std::move(dest));
}

/// \brief d_ab for a before b: the a -> b row, else the b -> a row (NaN when neither is there).
double pair_distance(const Distances& d, Eigen::Index a, Eigen::Index b) {
  return std::isnan(d.d(a, b)) ? d.d(b, a) : d.d(a, b);
}

/// \brief Every pair of destinations needs a distance in one direction: the first five missing
/// and their count.
void check_pairs(const Params& p, const Keyed& dests, const Distances& d) {
  std::size_t count = 0;
  std::string first;
  for (Eigen::Index a = 0; a < d.d.rows(); ++a)
    for (Eigen::Index b = a + 1; b < d.d.cols(); ++b)
      if (std::isnan(pair_distance(d, a, b)) && ++count <= 5)
        first += (first.empty() ? "" : ", ") + dests.label[static_cast<std::size_t>(a)] + " -- " +
                 dests.label[static_cast<std::size_t>(b)];
  if (count)
    throw DataError(std::to_string(count) + " pair(s) of destinations have no distance in table '" +
                    p.str("distances") + "' (in either direction): " + first +
                    (count > 5 ? ", ..." : ""));
}

/// \brief reilly: the breaking point of every pair of destinations, a before b in `destinations`.
void write_reilly(RunContext& ctx) {
  const Params& p = ctx.params();
  const Keyed dests = read_keyed(ctx, "destinations", p.str("destination_id"), p.str("attraction"),
                                 "attraction", "");
  const Distances d = read_distances(ctx, dests, dests);
  check_pairs(p, dests, d);
  const double gamma = p.real("gamma"), lambda = decay_of(p).lambda;
  std::vector<std::string> a_id, b_id;
  std::vector<double> distance, from_a, from_b;
  for (std::size_t a = 0; a < dests.label.size(); ++a)
    for (std::size_t b = a + 1; b < dests.label.size(); ++b) {
      const double dab =
          pair_distance(d, static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
      const double x = breaking_point(dab, dests.value[a], dests.value[b], gamma, lambda);
      if (std::isnan(x))
        throw DataError("destinations '" + dests.label[a] + "' and '" + dests.label[b] +
                        "' both have attraction 0 in table '" + p.str("destinations") +
                        "': their breaking point is undefined");
      a_id.push_back(dests.label[a]);
      b_id.push_back(dests.label[b]);
      distance.push_back(dab);
      from_a.push_back(x);
      from_b.push_back(dab - x);
    }
  OutputTable out = ctx.output();
  out.set("a", a_id).set("b", b_id).set("distance", std::move(distance));
  out.set("breaking_point_from_a", std::move(from_a))
      .set("breaking_point_from_b", std::move(from_b));
  ctx.write(std::move(out));
}

/// \brief reilly's parameter rules: pairs of destinations under a power decay, lambda < 0.
void bind_reilly(const Params& p) {
  if (p.has("origins"))
    throw ParamError("origins",
                     "method = \"reilly\" divides the line between two destinations; "
                     "it reads no origins");
  if (p.str("decay") != "power")
    throw ParamError("decay",
                     "Reilly's law is a power law: method = \"reilly\" needs decay = "
                     "\"power\"");
  if (p.has("lambda") && !(p.real("lambda") < 0))
    throw ParamError("lambda",
                     "method = \"reilly\" needs lambda < 0 (with lambda = 0 distance "
                     "does not matter and no breaking point exists)");
  if (p.str("self_distance") != "none")
    throw ParamError("self_distance",
                     "method = \"reilly\" has no self pairs: leave "
                     "self_distance = \"none\"");
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет доступность по Хансену, рыночный потенциал по Харрису, вероятности "
       "рыночных зон по Хаффу или точки раздела по Рейли по расстояниям"},
      {p.description,
       "hansen (Hansen 1959): A_i = sum_j S_j^gamma f(d_ij).\n"
       "harris (Harris 1954): рыночный потенциал MP_i = sum_j M_j d_ij^lambda (lambda = "
       "-b, по умолчанию -1: M_j / d_ij).\n"
       "huff (Huff 1963, 1964): P_ij = S_j^gamma f(d_ij) / sum_k S_k^gamma f(d_ik) по "
       "множеству выбора i; поток flow_ij = C_i P_ij; для каждого пункта назначения "
       "ожидаемый поток E_j = sum_i C_i P_ij и доля рынка E_j / sum_i C_i.\n"
       "reilly (Reilly 1931; Converse 1949): для каждой пары пунктов назначения a, b (a "
       "раньше b в `destinations`) на расстоянии d_ab друг от друга — точка раздела, где"
       " S_a^gamma x^lambda = S_b^gamma (d_ab - x)^lambda: x = d_ab / (1 + (S_b / "
       "S_a)^(gamma / -lambda)) от a и d_ab - x от b; при значениях по умолчанию gamma ="
       " 1, lambda = -2 это формула Конверса d_ab / (1 + sqrt(S_b / S_a)). d_ab берётся "
       "из строки a -> b таблицы `distances`, иначе из строки b -> a. Только степенное "
       "затухание, lambda < 0, без пунктов отправления. В REAT converse(P_a, P_b, D_ab) "
       "= (B_a, B_b) = (breaking_point_from_a, breaking_point_from_b); доли reilly() в "
       "REAT — это huff с одним пунктом отправления и двумя пунктами назначения.\n"
       "Затухание: f(d) = d^lambda (степенное) или exp(lambda d) (экспоненциальное), "
       "lambda <= 0 (знак входит в lambda: -2 — обратный квадрат). lambda по умолчанию "
       "для степенного: -2 (hansen, huff), -1 (harris); для экспоненциального её нужно "
       "задать.\n"
       "Пара j = i (один и тот же id среди пунктов отправления и назначения): "
       "self_distance = \"none\" (по умолчанию) исключает её из сумм и множеств выбора; "
       "\"area\": d_ii = self_factor sqrt(area_i / pi) (по умолчанию 1/3 радиуса круга "
       "площади зоны, Keeble, Owens & Thompson 1982; о выборе — Frost & Spence 1995); "
       "\"given\": строка i -> i таблицы расстояний.\n"
       "Каждой другой паре «отправление — назначение» нужна строка в `distances` "
       "(недостающие называются). Отрицательные расстояние, притягательность или масса, "
       "нулевое расстояние при степенном затухании и пункт отправления, в множестве "
       "выбора которого нет положительной притягательности, — ошибки.\n"
       "Пункты отправления: id таблицы `origins` (для huff — с их массой), иначе все "
       "пункты отправления `distances`. Id записываются как текст."},
      {"Accessibility by region", "Доступность по регионам"},
      {"Market potential by region", "Рыночный потенциал по регионам"},
      {"Market share by destination (Huff)", "Доля рынка по пунктам назначения (Хафф)"},
  };
}

class Accessibility final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "accessibility";
    p.version = "1.2.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Computes Hansen accessibility, Harris market potential, Huff market-area "
        "probabilities or Reilly breaking points from distances";
    p.description = description();
    p.params = model_params();
    for (auto* group : {&distance_params, &zone_params})
      for (ParamSpec& s : (*group)()) p.params.push_back(std::move(s));
    p.reads = {TableSpec::read("distances", "origin-destination distances")
                   .column(ColumnSpec::of("d_origin"))
                   .column(ColumnSpec::of("d_destination"))
                   .column(ColumnSpec::of("distance")),
               TableSpec::read("destinations", "destinations and their attraction")
                   .column(ColumnSpec::of("destination_id"))
                   .column(ColumnSpec::of("attraction"))
                   .column(ColumnSpec::of("area")),
               TableSpec::read("origins", "origins and their mass")
                   .when_given("origins")
                   .column(ColumnSpec::of("origin_id"))
                   .column(ColumnSpec::of("mass"))};
    p.writes = written();
    p.views = {
        ViewSpec::of(ViewKind::kMap, "<output>", "Accessibility by region")
            .labels("origin")
            .values("accessibility"),
        ViewSpec::of(ViewKind::kMap, "<output>", "Market potential by region")
            .labels("origin")
            .values("market_potential"),
        ViewSpec::of(ViewKind::kMap, "<output>_destinations", "Market share by destination (Huff)")
            .labels("destination")
            .values("market_share"),
    };
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& p = ctx.params();
    const std::string method = p.str("method");
    if (method == "reilly") return bind_reilly(p);
    if (method == "huff" && !p.has("origins"))
      throw ParamError("origins", "method = \"huff\" needs table 'origins' with the masses C_i");
    if (method == "huff" && !ctx.schema_of_param("origins").has(p.str("mass")))
      throw ParamError("mass", "table '" + p.str("origins") + "' has no column '" + p.str("mass") +
                                   "'; method = \"huff\" needs the masses C_i");
    if (method == "harris" && p.str("decay") != "power")
      throw ParamError("decay", "Harris market potential is M_j / d_ij^b: decay = \"power\"");
    if (method == "harris" && p.real("gamma") != 1.0)
      throw ParamError("gamma", "Harris market potential uses M_j itself: gamma must be 1");
    if (p.str("decay") == "exponential" && !p.has("lambda"))
      throw ParamError("lambda",
                       "decay = \"exponential\" needs lambda (< 0, per unit of "
                       "distance): f(d) = exp(lambda d)");
    if (p.str("self_distance") == "area" && !ctx.schema_of_param("destinations").has(p.str("area")))
      throw ParamError("area", "self_distance = \"area\" needs an area column; table '" +
                                   p.str("destinations") + "' has no column '" + p.str("area") +
                                   "'");
  }

  void run(RunContext& ctx) const override {
    if (ctx.params().str("method") == "reilly") return write_reilly(ctx);
    const Inputs in = read_inputs(ctx);
    if (ctx.params().str("method") == "huff")
      write_huff(ctx, in);
    else
      write_potential(ctx, in);
  }

 private:
  static std::string description() {
    return "hansen (Hansen 1959): A_i = sum_j S_j^gamma f(d_ij).\n"
           "harris (Harris 1954): market potential MP_i = sum_j M_j d_ij^lambda (lambda = -b, "
           "default -1: M_j / d_ij).\n"
           "huff (Huff 1963, 1964): P_ij = S_j^gamma f(d_ij) / sum_k S_k^gamma f(d_ik) over "
           "i's choice set; flow_ij = C_i P_ij; per destination the expected flow E_j = sum_i "
           "C_i P_ij and market share E_j / sum_i C_i.\n"
           "reilly (Reilly 1931; Converse 1949): for every pair of destinations a, b (a before "
           "b in `destinations`), d_ab apart, the breaking point where S_a^gamma x^lambda = "
           "S_b^gamma (d_ab - x)^lambda: x = d_ab / (1 + (S_b / S_a)^(gamma / -lambda)) from a "
           "and d_ab - x from b; with the defaults gamma = 1, lambda = -2 Converse's d_ab / (1 + "
           "sqrt(S_b / S_a)). d_ab is the a -> b row of `distances`, else the b -> a row. Power "
           "decay only, lambda < 0, no origins. REAT converse(P_a, P_b, D_ab) = (B_a, B_b) = "
           "(breaking_point_from_a, breaking_point_from_b); REAT reilly()'s proportions are huff "
           "with one origin and the two destinations.\n"
           "Decay: f(d) = d^lambda (power) or exp(lambda d) (exponential) with lambda <= 0 "
           "(the sign is part of lambda: -2 is the inverse square). Default lambda for power: "
           "-2 (hansen, huff), -1 (harris); exponential needs it.\n"
           "The pair j = i (same id in origins and destinations): self_distance = \"none\" "
           "(default) leaves it out of the sums and choice sets; \"area\": d_ii = self_factor "
           "sqrt(area_i / pi) (default 1/3 of the radius of the circle of the zone's area, "
           "Keeble, Owens & Thompson 1982; Frost & Spence 1995 on the choice); \"given\": the "
           "distances table's i -> i row.\n"
           "Every other origin-destination pair needs a row of `distances` (missing ones are "
           "named). A negative distance, attraction or mass, a zero distance under a power "
           "decay, and an origin whose choice set has no positive attraction are errors.\n"
           "Origins: the `origins` table's ids (huff: with their mass), else every origin of "
           "`distances`. Ids are written as text.";
  }
};

}  // namespace

double Decay::operator()(double d) const {
  return exponential ? std::exp(lambda * d) : std::pow(d, lambda);
}

double area_self_distance(double area, double factor) {
  return factor * std::sqrt(area / std::numbers::pi);
}

Eigen::VectorXd potential(const Eigen::MatrixXd& d, const Eigen::VectorXd& w, const Decay& f) {
  Eigen::VectorXd a = Eigen::VectorXd::Zero(d.rows());
  for (Eigen::Index i = 0; i < d.rows(); ++i)
    for (Eigen::Index j = 0; j < d.cols(); ++j)
      if (!std::isnan(d(i, j))) a(i) += w(j) * f(d(i, j));
  return a;
}

double reilly_relation(double s_a, double s_b, double d_a, double d_b, double gamma,
                       double lambda) {
  return std::pow(s_a / s_b, gamma) * std::pow(d_a / d_b, lambda);
}

double breaking_point(double d_ab, double s_a, double s_b, double gamma, double lambda) {
  return d_ab / (1 + std::pow(s_b / s_a, gamma / -lambda));
}

HuffResult huff(const Eigen::MatrixXd& d, const Eigen::VectorXd& w, const Decay& f) {
  HuffResult r{Eigen::MatrixXd::Zero(d.rows(), d.cols()), std::nullopt};
  for (Eigen::Index i = 0; i < d.rows(); ++i) {
    for (Eigen::Index j = 0; j < d.cols(); ++j)
      if (!std::isnan(d(i, j))) r.probability(i, j) = w(j) * f(d(i, j));
    const double sum = r.probability.row(i).sum();
    if (!(sum > 0)) {
      if (!r.undefined) r.undefined = i;
      continue;
    }
    r.probability.row(i) /= sum;
  }
  return r;
}

}  // namespace klaster::plugins::accessibility

KLASTER_PLUGIN(klaster::plugins::accessibility::Accessibility)
