// hub_location: where to open p logistics hubs among candidate regions. p-median (Hakimi 1964;
// ReVelle & Swain 1970: min sum_i w_i d_i,hub(i)) or p-center (Hakimi 1965: min max_i d_i,hub(i)),
// solved exactly with GLPK or by greedy + Teitz & Bart (1968) interchange with a lower bound.
#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hub_location_kernel.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::hub_location {

using sdk::ix;

namespace {

using namespace klaster::sdk;

std::vector<ParamSpec> table_params() {
  return {
      ParamSpec("distances", ParamType::kTable)
          .req()
          .primary()
          .doc_("one row per (origin, destination): demand node to candidate hub"),
      ParamSpec("origin", ParamType::kColumn).of("distances").def("origin").doc_("demand node"),
      ParamSpec("destination", ParamType::kColumn)
          .of("distances")
          .def("destination")
          .doc_("candidate hub"),
      ParamSpec("distance", ParamType::kColumn)
          .of("distances")
          .numeric()
          .def("distance_km")
          .doc_("distance (or time, cost) from origin to destination, >= 0"),
      ParamSpec("demand", ParamType::kTable).req().doc_("one row per demand node: node, weight"),
      ParamSpec("node", ParamType::kColumn).of("demand").def("region").doc_("demand node key"),
      ParamSpec("weight", ParamType::kColumn)
          .of("demand")
          .numeric()
          .def("value")
          .doc_("demand weight w_i >= 0 (e.g. manufacturing output)"),
  };
}

std::vector<ParamSpec> problem_params() {
  return {
      ParamSpec("p", ParamType::kInt).req().at_least(1).doc_("number of hubs to open"),
      ParamSpec("candidates", ParamType::kStringList)
          .doc_("candidate hubs (default: every destination in the distances)"),
      ParamSpec("fixed", ParamType::kStringList)
          .doc_("existing hubs, forced open (at most p, each a candidate)"),
      ParamSpec("objective", ParamType::kString)
          .def("median")
          .one_of({"median", "center"})
          .doc_("median: min sum_i w_i d_i,hub(i); center: min max_i d_i,hub(i)"),
      ParamSpec("weighted_center", ParamType::kBool)
          .def(false)
          .doc_("center only: minimise max_i w_i d_i,hub(i) instead (default false: every node "
                "counts alike, whatever its demand)"),
      ParamSpec("method", ParamType::kString)
          .def("auto")
          .one_of({"auto", "exact", "heuristic"})
          .doc_("exact: GLPK MIP; heuristic: greedy + Teitz-Bart interchange with an LP lower "
                "bound; auto: exact up to max_exact candidates"),
      ParamSpec("max_exact", ParamType::kInt)
          .def(std::int64_t{300})
          .at_least(1)
          .doc_("auto: the largest number of candidates solved exactly"),
      ParamSpec("time_limit", ParamType::kFloat)
          .def(60.0)
          .above(0)
          .doc_("seconds GLPK may spend in this step; an exact run that hits it returns the "
                "heuristic's hubs with optimal = 0"),
  };
}

/// \brief Column `name` of the objective table, once per unit: weight times distance for the
/// median and the weighted center, a distance for the unweighted center.
TableSpec& objective_column(TableSpec& t, const std::string& name, const std::string& doc) {
  return t
      .column(ColumnSpec::floats(name, doc).when("objective", "median").in("<weight> · <distance>"))
      .column(ColumnSpec::floats(name, doc)
                  .when("objective", "center")
                  .when("weighted_center", "true")
                  .in("<weight> · <distance>"))
      .column(ColumnSpec::floats(name, doc)
                  .when("objective", "center")
                  .when("weighted_center", "false")
                  .in("<distance>"));
}

TableSpec objective_table() {
  TableSpec t = TableSpec::write("<output>_objective", "one row")
                    .column(ColumnSpec::strings("objective", "median or center"))
                    .column(ColumnSpec::strings("method", "exact or heuristic: what gave the hubs"))
                    .column(ColumnSpec::ints("p", "hubs opened"));
  objective_column(t, "value", "sum_i w_i d_i (median) or max_i [w_i] d_i (center)");
  objective_column(t, "bound", "a lower bound on the optimum (= value if optimal)");
  return t.column(ColumnSpec::floats("gap", "(value - bound) / value; 0 when optimal").in("share"))
      .column(ColumnSpec::ints("optimal", "1 when proven optimal (exact, or gap <= 1e-9), else 0"));
}

std::vector<TableSpec> written_tables() {
  return {
      TableSpec::write("<output>", "one row per open hub, by hub")
          .column(ColumnSpec::strings("hub", "the hub (a destination of the distances, as text)"))
          .column(ColumnSpec::floats("demand_served", "sum of the weights of the nodes it serves")
                      .in("<weight>"))
          .column(ColumnSpec::ints("nodes_served", "number of nodes it serves"))
          .column(ColumnSpec::ints("is_fixed", "1 for an existing hub given in fixed, else 0")),
      TableSpec::write("<output>_assignment", "one row per demand node, by node")
          .column(ColumnSpec::strings("node", "the demand node, as text"))
          .column(ColumnSpec::strings("hub", "its nearest open hub (lowest candidate on ties)"))
          .column(ColumnSpec::floats("distance", "d from the node to its hub").in("<distance>"))
          .column(ColumnSpec::floats("demand", "the node's weight w").in("<weight>")),
      objective_table(),
  };
}

const char* kDescription =
    "Opens p hubs among the candidates; each demand node is served by its nearest open hub.\n"
    "objective = \"median\" (p-median; Hakimi 1964, ReVelle & Swain 1970): minimise "
    "sum_i w_i d_i,hub(i). objective = \"center\" (vertex p-center; Hakimi 1965): minimise "
    "max_i d_i,hub(i) over every demand node, its demand ignored (a zero-demand node counts too); "
    "weighted_center = true minimises max_i w_i d_i,hub(i) instead.\n"
    "method = \"exact\": GLPK branch and bound on the ReVelle-Swain MIP (median), or a bisection "
    "over the sorted distances with one set-covering MIP per radius (center; Toregas et al. "
    "1971). \"heuristic\": greedy add (Kuehn & Hamburger 1963) from the fixed hubs, then Teitz & "
    "Bart (1968) vertex substitution (candidates in order, each swapped for the open hub whose "
    "replacement helps most, until a pass finds no strict improvement), with a lower bound: the "
    "Lagrangian bound of the ReVelle-Swain MIP by subgradient optimisation (median) or the "
    "smallest radius whose covering LP needs <= p hubs (center); gap = (value - bound) / value. "
    "\"auto\" (default): exact up to max_exact = 300 candidates (measured on 2 shared cores: "
    "median 3-7 s at 200 x 200, about 30 s at 300 x 300, p = 5), heuristic beyond (0.1-0.4 s at "
    "200). time_limit bounds GLPK; an exact run that hits it writes the heuristic's hubs (its "
    "bound then gets up to 1 s more).\n"
    "Ties, deterministic: nodes and candidates in text order; a node goes to its nearest hub, the "
    "first on equal distances; the heuristic takes the first candidate among equal scores; an "
    "exact center takes, among the optimal hub sets, one of least sum_i w_i d_i (the heuristic "
    "also breaks center ties by it); an exact median takes the optimal set GLPK returns.\n"
    "Candidates default to every destination of the distances; every (node, candidate) pair "
    "needs a distance (extra pairs are ignored). Errors: p above the number of candidates, a "
    "missing or negative distance, a demand node that is no origin, a negative or missing "
    "demand, a duplicate pair or node, fixed hubs that are no candidates or more than p.";

/// The labelled problem: nodes and candidates in text order, their indices in the Problem.
struct Labelled {
  std::vector<std::string> nodes, candidates;
  Problem problem;
};

/// Demand per node, by label; missing, negative or duplicate rows are DataErrors naming them.
std::map<std::string, double> read_demand(const RunContext& ctx) {
  const Params& params = ctx.params();
  const Table& t = ctx.table_of_param("demand");
  const Column& node = t.column(params.str("node"));
  const Column& weight = t.column(params.str("weight"));
  const std::string where = "table '" + params.str("demand") + "'";
  std::map<std::string, double> demand;
  std::map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (!node.is_valid(r)) throw DataError(t.row_name(r) + " of " + where + " has no node");
    const std::string label = node.to_text(r);
    if (!weight.is_valid(r) || !std::isfinite(weight.number(r)))
      throw DataError("node '" + label + "' has no demand in " + where + t.line_note(r));
    if (weight.number(r) < 0)
      throw DataError("node '" + label + "' has a negative demand " +
                      format_number(weight.number(r)) + " in " + where + t.line_note(r));
    if (const auto [it, fresh] = row_of.emplace(label, r); !fresh)
      throw DataError("node '" + label + "' appears twice in " + where +
                      t.lines_note(it->second, r));
    demand[label] = weight.number(r);
  }
  return demand;
}

/// The candidates, in text order: the `candidates` list, or every destination.
std::vector<std::string> read_candidates(const RunContext& ctx) {
  const Params& params = ctx.params();
  std::set<std::string> set;
  if (params.has("candidates")) {
    for (const std::string& c : params.strings("candidates"))
      if (!set.insert(c).second)
        throw ParamError("candidates", "candidate '" + c + "' is listed twice");
  } else {
    const Table& t = ctx.table_of_param("distances");
    const Column& dest = t.column(params.str("destination"));
    for (std::size_t r = 0; r < t.rows(); ++r)
      if (dest.is_valid(r)) set.insert(dest.to_text(r));
  }
  return {set.begin(), set.end()};
}

std::size_t index_of(const std::vector<std::string>& sorted, const std::string& label) {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), label);
  return it != sorted.end() && *it == label ? static_cast<std::size_t>(it - sorted.begin())
                                            : sorted.size();
}

/// The fixed hubs as candidate indices; ParamErrors for an unknown one or more than p.
std::vector<std::size_t> read_fixed(const Params& params, const std::vector<std::string>& cands) {
  std::vector<std::size_t> fixed;
  if (!params.has("fixed")) return fixed;
  for (const std::string& f : params.strings("fixed")) {
    const std::size_t j = index_of(cands, f);
    if (j == cands.size()) throw ParamError("fixed", "fixed hub '" + f + "' is not a candidate");
    if (std::find(fixed.begin(), fixed.end(), j) == fixed.end()) fixed.push_back(j);
  }
  if (fixed.size() > static_cast<std::size_t>(params.integer("p")))
    throw ParamError("fixed", std::to_string(fixed.size()) + " fixed hubs are more than p = " +
                                  std::to_string(params.integer("p")));
  return fixed;
}

/// One row of the distances: DataErrors for a missing key or value and a negative distance.
double checked_distance(const Table& t, const Column& origin, const Column& dest,
                        const Column& dist, std::size_t r, const std::string& where) {
  if (!origin.is_valid(r) || !dest.is_valid(r))
    throw DataError(t.row_name(r) + " of " + where + " has no origin or destination");
  const std::string pair =
      "from '" + origin.to_text(r) + "' to '" + dest.to_text(r) + "' in " + where + t.line_note(r);
  if (!dist.is_valid(r) || !std::isfinite(dist.number(r)))
    throw DataError("the distance " + pair + " is missing");
  if (dist.number(r) < 0)
    throw DataError("the distance " + pair + " is negative (" + format_number(dist.number(r)) +
                    ")");
  return dist.number(r);
}

/// The node x candidate distances; NaN marks a pair not (yet) seen.
Eigen::MatrixXd read_distances(const RunContext& ctx, const Labelled& l) {
  const Params& params = ctx.params();
  const Table& t = ctx.table_of_param("distances");
  const Column& origin = t.column(params.str("origin"));
  const Column& dest = t.column(params.str("destination"));
  const Column& dist = t.column(params.str("distance"));
  const std::string where = "table '" + params.str("distances") + "'";
  Eigen::MatrixXd d = Eigen::MatrixXd::Constant(ix(l.nodes.size()), ix(l.candidates.size()), NAN);
  std::vector<std::size_t> first(l.nodes.size() * l.candidates.size());
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double v = checked_distance(t, origin, dest, dist, r, where);
    const std::size_t i = index_of(l.nodes, origin.to_text(r));
    const std::size_t j = index_of(l.candidates, dest.to_text(r));
    if (i == l.nodes.size() || j == l.candidates.size()) continue;
    if (!std::isnan(d(ix(i), ix(j))))
      throw DataError("the distance from '" + l.nodes[i] + "' to '" + l.candidates[j] +
                      "' appears twice in " + where +
                      t.lines_note(first[i * l.candidates.size() + j], r));
    d(ix(i), ix(j)) = v;
    first[i * l.candidates.size() + j] = r;
  }
  return d;
}

/// Every node must be an origin and every (node, candidate) pair have a distance.
void check_complete(const Params& params, const Labelled& l) {
  const Eigen::MatrixXd& d = l.problem.distance;
  const std::string where = "table '" + params.str("distances") + "'";
  for (std::size_t i = 0; i < l.nodes.size(); ++i)
    if (d.row(ix(i)).array().isNaN().all())
      throw DataError("demand node '" + l.nodes[i] + "' (table '" + params.str("demand") +
                      "') is not an origin in " + where);
  for (std::size_t j = 0; j < l.candidates.size(); ++j)
    if (d.col(ix(j)).array().isNaN().all() && params.has("candidates"))
      throw ParamError("candidates",
                       "candidate '" + l.candidates[j] + "' is not a destination in " + where);
  for (std::size_t i = 0; i < l.nodes.size(); ++i)
    for (std::size_t j = 0; j < l.candidates.size(); ++j)
      if (std::isnan(d(ix(i), ix(j))))
        throw DataError(where + " has no distance from node '" + l.nodes[i] + "' to candidate '" +
                        l.candidates[j] + "'");
}

Labelled read_problem(const RunContext& ctx) {
  const Params& params = ctx.params();
  Labelled l;
  const std::map<std::string, double> demand = read_demand(ctx);
  for (const auto& [node, w] : demand) l.nodes.push_back(node), l.problem.demand.push_back(w);
  l.candidates = read_candidates(ctx);
  const auto p = static_cast<std::size_t>(params.integer("p"));
  if (p > l.candidates.size())
    throw ParamError("p", "p = " + std::to_string(p) + " is more than the " +
                              std::to_string(l.candidates.size()) + " candidates");
  l.problem.p = p;
  l.problem.fixed = read_fixed(params, l.candidates);
  l.problem.distance = read_distances(ctx, l);
  check_complete(params, l);
  l.problem.objective =
      params.str("objective") == "median" ? Objective::kMedian : Objective::kCenter;
  l.problem.weighted_center = params.boolean("weighted_center");
  return l;
}

Method method_of(const std::string& m) {
  return m == "exact" ? Method::kExact : m == "heuristic" ? Method::kHeuristic : Method::kAuto;
}

void write_hubs(RunContext& ctx, const Labelled& l, const Solution& s) {
  std::vector<std::string> hub;
  std::vector<double> served(s.hubs.size(), 0.0);
  std::vector<std::int64_t> count(s.hubs.size(), 0), fixed;
  for (const std::size_t j : s.hubs) {
    hub.push_back(l.candidates[j]);
    const auto& f = l.problem.fixed;
    fixed.push_back(std::find(f.begin(), f.end(), j) != f.end() ? 1 : 0);
  }
  for (std::size_t i = 0; i < l.nodes.size(); ++i) {
    const auto k = static_cast<std::size_t>(
        std::find(s.hubs.begin(), s.hubs.end(), s.assignment[i]) - s.hubs.begin());
    served[k] += l.problem.demand[i];
    ++count[k];
  }
  OutputTable out = ctx.output();
  out.set("hub", hub).set("demand_served", std::move(served));
  out.set("nodes_served", std::move(count)).set("is_fixed", std::move(fixed));
  ctx.write(std::move(out));
}

void write_assignment(RunContext& ctx, const Labelled& l, const Solution& s) {
  std::vector<std::string> hub;
  std::vector<double> distance;
  for (std::size_t i = 0; i < l.nodes.size(); ++i) {
    hub.push_back(l.candidates[s.assignment[i]]);
    distance.push_back(l.problem.distance(ix(i), ix(s.assignment[i])));
  }
  OutputTable out = ctx.output("<output>_assignment");
  out.set("node", l.nodes).set("hub", hub).set("distance", std::move(distance));
  out.set("demand", std::vector<double>(l.problem.demand));
  ctx.write(std::move(out));
}

void write_objective(RunContext& ctx, const Solution& s) {
  const Params& params = ctx.params();
  OutputTable out = ctx.output("<output>_objective");
  out.set("objective", std::vector<std::string>{params.str("objective")});
  out.set("method", std::vector<std::string>{s.exact ? "exact" : "heuristic"});
  out.set("p", std::vector<std::int64_t>{params.integer("p")});
  out.set("value", std::vector<double>{s.value}).set("bound", std::vector<double>{s.bound});
  out.set("gap", std::vector<double>{relative_gap(s.value, s.bound)});
  out.set("optimal", std::vector<std::int64_t>{s.optimal ? 1 : 0});
  ctx.write(std::move(out));
}

/// The kernel's solve(), with the time it took in the log (not in a table, which stays
/// reproducible) and a warning when GLPK's time limit made an exact run fall back.
Solution solve_and_log(RunContext& ctx, const Labelled& l) {
  const Params& params = ctx.params();
  const auto start = std::chrono::steady_clock::now();
  const auto max_exact = static_cast<std::size_t>(params.integer("max_exact"));
  const Solution s =
      solve(l.problem, method_of(params.str("method")), max_exact, params.real("time_limit"));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ctx.log(LogLevel::kInfo,
          std::string(s.exact ? "exact" : "heuristic") + " " + params.str("objective") +
              " with p = " + std::to_string(params.integer("p")) + ": value " +
              format_number(s.value) + ", gap " + format_number(relative_gap(s.value, s.bound)) +
              ", " + format_number(seconds) + " s");
  const std::string method = params.str("method");
  const bool wanted_exact =
      method == "exact" || (method == "auto" && l.candidates.size() <= max_exact);
  if (wanted_exact && !s.exact)
    ctx.log(LogLevel::kWarn, "GLPK hit time_limit = " + format_number(params.real("time_limit")) +
                                 " s; the hubs are the heuristic's, with a lower bound");
  return s;
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Выбирает p мест для логистических хабов среди кандидатов: p-медиана или p-центр,"
       " точно или эвристикой"},
      {p.description,
       "Открывает p хабов среди кандидатов; каждый узел спроса обслуживается ближайшим "
       "открытым хабом.\n"
       "objective = \"median\" (p-медиана; Hakimi 1964, ReVelle & Swain 1970): "
       "минимизировать sum_i w_i d_i,hub(i). objective = \"center\" (вершинный p-центр; "
       "Hakimi 1965): минимизировать max_i d_i,hub(i) по всем узлам спроса без учёта их "
       "спроса (узел с нулевым спросом тоже учитывается); weighted_center = true "
       "минимизирует вместо этого max_i w_i d_i,hub(i).\n"
       "method = \"exact\": метод ветвей и границ GLPK для задачи смешанного "
       "целочисленного программирования ReVelle — Swain (медиана) или бисекция по "
       "отсортированным расстояниям с одной задачей о покрытии на каждый радиус (центр; "
       "Toregas et al. 1971). \"heuristic\": жадное добавление (Kuehn & Hamburger 1963) от"
       " фиксированных хабов, затем вершинная замена Teitz & Bart (1968) (кандидаты по "
       "порядку, каждый меняется на тот открытый хаб, замена которого помогает больше "
       "всего, пока проход не перестанет давать строгое улучшение), с нижней границей: "
       "лагранжева граница задачи ReVelle — Swain, найденная субградиентной оптимизацией"
       " (медиана), или наименьший радиус, при котором ЛП-задаче о покрытии нужно <= p "
       "хабов (центр); gap = (value - bound) / value. \"auto\" (по умолчанию): точный "
       "метод до max_exact = 300 кандидатов (измерено на 2 общих ядрах: медиана 3–7 с "
       "при 200 x 200, около 30 с при 300 x 300, p = 5), дальше эвристика (0,1–0,4 с при"
       " 200). time_limit ограничивает GLPK; точный расчёт, упёршийся в него, записывает"
       " хабы эвристики (её граница тогда получает ещё до 1 с).\n"
       "Равенства разрешаются детерминированно: узлы и кандидаты в текстовом порядке; "
       "узел относится к ближайшему хабу, при равных расстояниях — к первому; эвристика "
       "берёт первого кандидата среди равных оценок; точный p-центр берёт из оптимальных"
       " наборов хабов набор с наименьшей sum_i w_i d_i (эвристика тоже разрешает по ней"
       " равенства для центра); точная p-медиана берёт оптимальный набор, который вернул"
       " GLPK.\n"
       "Кандидаты по умолчанию — все пункты назначения таблицы расстояний; каждой паре "
       "(узел, кандидат) нужно расстояние (лишние пары игнорируются). Ошибки: p больше "
       "числа кандидатов, пропущенное или отрицательное расстояние, узел спроса, не "
       "являющийся пунктом отправления, отрицательный или пропущенный спрос, повторная "
       "пара или узел, фиксированные хабы, не входящие в кандидаты или числом больше p."},
      {"Hub serving each region", "Хаб, обслуживающий каждый регион"},
      {"Open hubs, by demand served", "Открытые хабы по обслуживаемому спросу"},
  };
}

class HubLocationPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "hub_location";
    p.version = "1.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Chooses p hub locations among candidates: p-median or p-center, exact or heuristic";
    p.description = kDescription;
    p.params = table_params();
    for (ParamSpec& spec : problem_params()) p.params.push_back(std::move(spec));
    p.reads = {TableSpec::read("distances", "distance from each demand node to each candidate")
                   .column(ColumnSpec::of("origin"))
                   .column(ColumnSpec::of("destination"))
                   .column(ColumnSpec::of("distance")),
               TableSpec::read("demand", "demand weight per node")
                   .column(ColumnSpec::of("node"))
                   .column(ColumnSpec::of("weight"))};
    p.writes = written_tables();
    p.views = {
        ViewSpec::of(ViewKind::kMap, "<output>_assignment", "Hub serving each region")
            .labels("node")
            .values("hub"),
        ViewSpec::of(ViewKind::kPoints, "<output>", "Open hubs, by demand served")
            .labels("hub")
            .values("demand_served"),
    };
    p.translations["ru"] = russian(p);
    return p;
  }

  void run(RunContext& ctx) const override {
    const Labelled l = read_problem(ctx);
    const Solution s = solve_and_log(ctx, l);
    write_hubs(ctx, l, s);
    write_assignment(ctx, l, s);
    write_objective(ctx, s);
  }
};

}  // namespace

// ---- kernel ---------------------------------------------------------------------------------

namespace {

using Clock = std::chrono::steady_clock;

/// \brief A linear (integer) program in GLPK's terms, built in plain C++ before GLPK is called so
/// that the guarded section below allocates nothing that a longjmp could leak. Indices 1-based.
struct Model {
  int rows = 0, cols = 0;
  std::vector<double> obj;             // per column (index 0 unused)
  std::vector<double> col_lo, col_hi;  // per column; lo == hi fixes it
  std::vector<char> integer;           // per column: binary
  std::vector<int> row_type;           // GLP_FX, GLP_UP, GLP_LO per row
  std::vector<double> row_rhs;         // per row
  std::vector<int> ia{0}, ja{0};       // nonzeros, with GLPK's unused 0th entry
  std::vector<double> ar{0.0};
  void entry(int row, int col, double v) { ia.push_back(row), ja.push_back(col), ar.push_back(v); }
};

/// \brief What a GLPK run gave.
struct LpResult {
  bool failed = false;     // GLPK called its error hook (a bug: inputs are checked first)
  bool timed_out = false;  // the time limit stopped it
  bool solved = false;     // an optimal (LP) or proven optimal (MIP) solution
  bool feasible = false;   // some feasible solution (MIP: maybe not optimal)
  double value = 0;
  std::vector<double> x;  // column values, 1-based
};

/// Where the error hook jumps back to. GLPK's documented recovery (glpk.pdf, glp_error_hook):
/// the hook frees the whole GLPK environment and longjmps out, so the process does not abort.
struct ErrorJump {
  std::jmp_buf env;
};
extern "C" void glpk_error_hook(void* info) {
  glp_free_env();
  std::longjmp(static_cast<ErrorJump*>(info)->env, 1);
}

int milliseconds(double seconds) {
  return static_cast<int>(std::clamp(seconds * 1000.0, 1.0, 2.0e9));
}

void load_model(glp_prob* lp, const Model& m) {
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_rows(lp, m.rows);
  glp_add_cols(lp, m.cols);
  for (int r = 1; r <= m.rows; ++r)
    glp_set_row_bnds(lp, r, m.row_type[r], m.row_rhs[r], m.row_rhs[r]);
  for (int c = 1; c <= m.cols; ++c) {
    glp_set_obj_coef(lp, c, m.obj[c]);
    glp_set_col_bnds(lp, c, m.col_lo[c] == m.col_hi[c] ? GLP_FX : GLP_DB, m.col_lo[c], m.col_hi[c]);
    if (m.integer[c]) glp_set_col_kind(lp, c, GLP_BV);
  }
  glp_load_matrix(lp, static_cast<int>(m.ar.size()) - 1, m.ia.data(), m.ja.data(), m.ar.data());
  if (m.cols > 0)  // binary kind resets the bounds; re-fix forced columns
    for (int c = 1; c <= m.cols; ++c)
      if (m.col_lo[c] == m.col_hi[c]) glp_set_col_bnds(lp, c, GLP_FX, m.col_lo[c], m.col_hi[c]);
}

/// The simplex, then (mip) branch and bound, reading the result into `out` (x pre-sized).
void simplex_then_mip(glp_prob* lp, bool mip, double seconds, LpResult& out) {
  const auto start = Clock::now();
  glp_smcp sm;
  glp_init_smcp(&sm);
  sm.msg_lev = GLP_MSG_OFF;
  sm.meth = GLP_DUALP;
  sm.tm_lim = milliseconds(seconds);
  const int rc = glp_simplex(lp, &sm);
  out.timed_out = rc == GLP_ETMLIM;
  if (rc != 0 || glp_get_status(lp) != GLP_OPT) return;  // infeasible or stopped
  out.value = glp_get_obj_val(lp);
  if (!mip) {
    out.solved = out.feasible = true;
    for (int c = 1; c <= glp_get_num_cols(lp); ++c) out.x[c] = glp_get_col_prim(lp, c);
    return;
  }
  glp_iocp io;
  glp_init_iocp(&io);
  io.msg_lev = GLP_MSG_OFF;
  io.tm_lim = milliseconds(seconds - std::chrono::duration<double>(Clock::now() - start).count());
  const int irc = glp_intopt(lp, &io);
  const int status = glp_mip_status(lp);
  out.timed_out = irc == GLP_ETMLIM;
  out.solved = irc == 0 && status == GLP_OPT;
  out.feasible = status == GLP_OPT || status == GLP_FEAS;
  if (!out.feasible) return;
  out.value = glp_mip_obj_val(lp);
  for (int c = 1; c <= glp_get_num_cols(lp); ++c) out.x[c] = glp_mip_col_val(lp, c);
}

/// Runs GLPK on `m` with its terminal output off and its error hook set; only C calls and no
/// allocation happen between setjmp and the end, so the longjmp of the hook is safe.
LpResult run_glpk(const Model& m, bool mip, double seconds) {
  LpResult out;
  out.x.assign(static_cast<std::size_t>(m.cols) + 1, 0.0);
  ErrorJump jump;
  glp_prob* volatile lp = nullptr;
  if (setjmp(jump.env) != 0) {  // the hook freed the environment (and lp with it)
    out.failed = true;
    return out;
  }
  glp_term_out(GLP_OFF);
  glp_error_hook(glpk_error_hook, &jump);
  lp = glp_create_prob();
  load_model(lp, m);
  simplex_then_mip(lp, mip, seconds, out);
  glp_delete_prob(lp);
  glp_error_hook(nullptr, nullptr);
  return out;
}

LpResult run_checked(const Model& m, bool mip, double seconds) {
  LpResult r = run_glpk(m, mip, seconds);
  if (r.failed)
    throw sdk::DataError("GLPK failed on the hub-location model (" + std::to_string(m.rows) +
                         " rows, " + std::to_string(m.cols) + " columns)");
  return r;
}

double seconds_left(Clock::time_point deadline) {
  return std::chrono::duration<double>(deadline - Clock::now()).count();
}

/// ReVelle & Swain (1970): columns y_j (open, 1..m) then x_ij (node i served by j) with cost
/// w_i d_ij; rows sum_j y_j = p, sum_j x_ij = 1 per node, x_ij - y_j <= 0 per pair. Fixed hubs
/// have y_j = 1; pairs whose objective cost exceeds `radius` get no x_ij (the p-center tie rule).
Model median_model(const Problem& pr, double radius = std::numeric_limits<double>::infinity()) {
  const std::size_t n = pr.nodes(), m = pr.candidates();
  Model md;
  md.cols = static_cast<int>(m), md.rows = 1 + static_cast<int>(n);
  md.obj.assign(m + 1, 0.0), md.col_lo.assign(m + 1, 0.0), md.col_hi.assign(m + 1, 1.0);
  md.integer.assign(m + 1, 1);
  md.row_type.assign(n + 2, GLP_FX), md.row_rhs.assign(n + 2, 1.0);
  md.row_rhs[1] = static_cast<double>(pr.p);
  for (std::size_t j = 1; j <= m; ++j) md.entry(1, static_cast<int>(j), 1.0);
  for (const std::size_t j : pr.fixed) md.col_lo[j + 1] = 1.0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      if (pr.cost(i, j) > radius) continue;  // a pair that would break the radius: no column
      const int x = ++md.cols, link = ++md.rows;
      md.obj.push_back(pr.demand[i] * pr.distance(ix(i), ix(j)));
      md.col_lo.push_back(0.0), md.col_hi.push_back(1.0), md.integer.push_back(0);
      md.row_type.push_back(GLP_UP), md.row_rhs.push_back(0.0);
      md.entry(static_cast<int>(i) + 2, x, 1.0);
      md.entry(link, x, 1.0), md.entry(link, static_cast<int>(j) + 1, -1.0);
    }
  return md;
}

/// Set covering at radius r (Toregas et al. 1971): min sum_j y_j s.t. every node has an open
/// candidate with cost <= r. Fixed hubs have y_j = 1. Nullopt when a node has no such candidate.
std::optional<Model> cover_model(const Problem& pr, double r) {
  const int n = static_cast<int>(pr.nodes()), m = static_cast<int>(pr.candidates());
  Model md;
  md.cols = m, md.rows = n;
  md.obj.assign(m + 1, 1.0), md.col_lo.assign(m + 1, 0.0), md.col_hi.assign(m + 1, 1.0);
  md.integer.assign(m + 1, 1);
  md.row_type.assign(n + 1, GLP_LO), md.row_rhs.assign(n + 1, 1.0);
  for (const std::size_t j : pr.fixed) md.col_lo[j + 1] = 1.0;
  for (int i = 0; i < n; ++i) {
    bool covered = false;
    for (int j = 0; j < m; ++j)
      if (pr.cost(static_cast<std::size_t>(i), static_cast<std::size_t>(j)) <= r)
        md.entry(i + 1, j + 1, 1.0), covered = true;
    if (!covered) return std::nullopt;
  }
  return md;
}

/// Every distinct cost, ascending: the only radii a p-center optimum can take.
std::vector<double> sorted_costs(const Problem& pr) {
  std::vector<double> c;
  c.reserve(pr.nodes() * pr.candidates());
  for (std::size_t i = 0; i < pr.nodes(); ++i)
    for (std::size_t j = 0; j < pr.candidates(); ++j) c.push_back(pr.cost(i, j));
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
  return c;
}

/// No set of p hubs does better than every node at its nearest candidate.
double trivial_bound(const Problem& pr) {
  double total = 0, worst = 0;
  for (std::size_t i = 0; i < pr.nodes(); ++i) {
    double best = pr.cost(i, 0);
    for (std::size_t j = 1; j < pr.candidates(); ++j) best = std::min(best, pr.cost(i, j));
    total += best, worst = std::max(worst, best);
  }
  return pr.objective == Objective::kMedian ? total : worst;
}

/// Whether the cover at radius r needs at most p hubs (LP or MIP); nullopt on a time-out.
/// `hubs` receives the MIP's open hubs.
std::optional<bool> covers(const Problem& pr, double r, bool mip, Clock::time_point deadline,
                           std::vector<std::size_t>* hubs) {
  const std::optional<Model> md = cover_model(pr, r);
  if (!md) return false;
  const double left = seconds_left(deadline);
  if (left <= 0) return std::nullopt;
  const LpResult res = run_checked(*md, mip, left);
  if (res.timed_out && !res.solved) return std::nullopt;
  if (!res.solved) return false;  // infeasible (cannot happen: all-open covers)
  const double slack = 1e-9 * static_cast<double>(pr.p);
  if (res.value > static_cast<double>(pr.p) + slack) return false;
  if (hubs) {
    hubs->clear();
    for (std::size_t j = 0; j < pr.candidates(); ++j)
      if (res.x[j + 1] > 0.5) hubs->push_back(j);
  }
  return true;
}

/// The smallest radius among `radii[lo..hi]` that `covers` (radii[hi] is known to), found by
/// bisection (feasibility grows with r); nullopt on a time-out.
std::optional<std::size_t> smallest_cover(const Problem& pr, const std::vector<double>& radii,
                                          std::size_t lo, std::size_t hi, bool mip,
                                          Clock::time_point deadline) {
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const std::optional<bool> ok = covers(pr, radii[mid], mip, deadline, nullptr);
    if (!ok) return std::nullopt;
    if (*ok)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/// Index of the first radius >= v (v is one of them up to rounding).
std::size_t radius_index(const std::vector<double>& radii, double v) {
  const auto it = std::lower_bound(radii.begin(), radii.end(), v * (1 - 1e-12));
  return std::min(static_cast<std::size_t>(it - radii.begin()), radii.size() - 1);
}

/// L(u) = sum_i u_i + the sum of rho_j over the fixed hubs and the p - |fixed| smallest other
/// rho_j, rho_j = sum_i min(0, w_i d_ij - u_i): the assignment constraints relaxed with
/// multipliers u (Cornuejols, Fisher & Nemhauser 1977). `served` receives, per node, how many
/// chosen hubs take it (the subgradient is 1 - served_i).
double lagrangian(const Problem& pr, const std::vector<double>& u, const std::vector<char>& fixed,
                  std::vector<double>& served) {
  std::vector<double> rho(pr.candidates(), 0.0);
  for (std::size_t j = 0; j < pr.candidates(); ++j)
    for (std::size_t i = 0; i < pr.nodes(); ++i) rho[j] += std::min(0.0, pr.cost(i, j) - u[i]);
  std::vector<std::size_t> order;  // non-fixed candidates by rho, lowest index on ties
  for (std::size_t j = 0; j < pr.candidates(); ++j)
    if (!fixed[j]) order.push_back(j);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rho[a] < rho[b]; });
  std::vector<std::size_t> chosen = pr.fixed;
  chosen.insert(chosen.end(), order.begin(),
                order.begin() + static_cast<std::ptrdiff_t>(pr.p - pr.fixed.size()));
  double value = 0;
  for (const double ui : u) value += ui;
  served.assign(pr.nodes(), 0.0);
  for (const std::size_t j : chosen) {
    value += rho[j];
    for (std::size_t i = 0; i < pr.nodes(); ++i) served[i] += pr.cost(i, j) < u[i] ? 1.0 : 0.0;
  }
  return value;
}

/// The best L(u) found by subgradient optimisation (Held, Wolfe & Crowder 1974; as in Beasley
/// 1993): u from u_i = min_j w_i d_ij, step lambda (upper - L) / |g|^2, lambda halved after 30
/// steps without progress, stopped at lambda < 1e-4, 3000 steps or the time limit. Any u gives a
/// valid bound, so stopping early only weakens it.
double lagrangian_bound(const Problem& pr, double upper, double seconds) {
  const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(seconds));
  std::vector<char> fixed(pr.candidates(), 0);
  for (const std::size_t j : pr.fixed) fixed[j] = 1;
  std::vector<double> u(pr.nodes()), served;
  for (std::size_t i = 0; i < pr.nodes(); ++i)
    u[i] = pr.distance.row(ix(i)).minCoeff() * pr.demand[i];
  double best = trivial_bound(pr), lambda = 2.0;
  for (int step = 0, stale = 0; step < 3000 && lambda >= 1e-4 && Clock::now() < deadline; ++step) {
    const double l = lagrangian(pr, u, fixed, served);
    if (l > best * (1 + 1e-12))
      best = l, stale = 0;
    else if (++stale >= 30)
      lambda /= 2, stale = 0;
    double norm = 0;
    for (const double s : served) norm += (1 - s) * (1 - s);
    if (norm == 0 || upper - l <= 1e-12 * upper)
      break;  // u is optimal, or the bound closes the gap
    const double t = lambda * (upper - l) / norm;
    for (std::size_t i = 0; i < pr.nodes(); ++i) u[i] += t * (1 - served[i]);
  }
  return std::min(best, upper);
}

/// The heuristic's comparison: the objective, then (center only) the median cost sum_i w_i d_i,
/// so that among sets with the same maximum the one serving demand closer wins.
struct Score {
  double primary = 0, secondary = 0;
};

bool better(const Score& a, const Score& b) {
  if (!std::isfinite(a.primary) || !std::isfinite(b.primary)) return a.primary < b.primary;
  const double tol = 1e-12 * std::max(std::abs(a.primary), std::abs(b.primary));
  if (std::abs(a.primary - b.primary) > tol) return a.primary < b.primary;
  return a.secondary < b.secondary - 1e-12 * std::abs(b.secondary);
}

/// The score with each node i at cost `node_cost(i)` and distance-weighted demand `median(i)`.
template <class Cost, class Median>
Score score_of(const Problem& pr, Cost node_cost, Median median) {
  Score s;
  for (std::size_t i = 0; i < pr.nodes(); ++i) {
    if (pr.objective == Objective::kMedian) {
      s.primary += node_cost(i);
      continue;
    }
    s.primary = std::max(s.primary, node_cost(i));
    s.secondary += median(i);
  }
  return s;
}

Score score(const Problem& pr, const std::vector<std::size_t>& hubs) {
  const std::vector<std::size_t> near = nearest_hubs(pr, hubs);
  return score_of(
      pr, [&](std::size_t i) { return pr.cost(i, near[i]); },
      [&](std::size_t i) { return pr.demand[i] * pr.distance(ix(i), ix(near[i])); });
}

/// The greedy step: the candidate whose opening gives the best score (lowest index on ties),
/// given each node's current distance `cur` to the open hubs.
std::size_t best_addition(const Problem& pr, const std::vector<double>& cur,
                          const std::vector<char>& open) {
  std::size_t best = pr.candidates();
  Score best_score{std::numeric_limits<double>::infinity(), 0};
  for (std::size_t j = 0; j < pr.candidates(); ++j) {
    if (open[j]) continue;
    const auto d = [&](std::size_t i) { return std::min(cur[i], pr.distance(ix(i), ix(j))); };
    const bool weigh = pr.objective == Objective::kMedian || pr.weighted_center;
    const Score s = score_of(
        pr, [&](std::size_t i) { return weigh ? pr.demand[i] * d(i) : d(i); },
        [&](std::size_t i) { return pr.demand[i] * d(i); });
    if (better(s, best_score)) best = j, best_score = s;
  }
  return best;
}

/// Opens candidates greedily from `hubs` until there are p.
std::vector<std::size_t> greedy_fill(const Problem& pr, std::vector<std::size_t> hubs) {
  std::vector<char> open(pr.candidates(), 0);
  std::vector<double> cur(pr.nodes(), std::numeric_limits<double>::infinity());
  const auto open_hub = [&](std::size_t j) {
    open[j] = 1;
    for (std::size_t i = 0; i < pr.nodes(); ++i)
      cur[i] = std::min(cur[i], pr.distance(ix(i), ix(j)));
  };
  for (const std::size_t j : hubs) open_hub(j);
  while (hubs.size() < pr.p) {
    const std::size_t j = best_addition(pr, cur, open);
    hubs.push_back(j);
    open_hub(j);
  }
  std::sort(hubs.begin(), hubs.end());
  return hubs;
}

/// One Teitz-Bart pass over the candidates not open; true when some swap improved `hubs`.
bool interchange_pass(const Problem& pr, std::vector<std::size_t>& hubs, Score& current,
                      const std::vector<char>& fixed) {
  bool improved = false;
  for (std::size_t j = 0; j < pr.candidates(); ++j) {
    if (std::find(hubs.begin(), hubs.end(), j) != hubs.end()) continue;
    std::size_t best_k = hubs.size();
    Score best_score = current;  // strict improvement only: no cycling on ties
    for (std::size_t k = 0; k < hubs.size(); ++k) {
      if (fixed[hubs[k]]) continue;
      std::vector<std::size_t> trial = hubs;
      trial[k] = j;
      const Score s = score(pr, trial);
      if (better(s, best_score)) best_k = k, best_score = s;
    }
    if (best_k == hubs.size()) continue;
    hubs[best_k] = j;
    current = best_score;
    improved = true;
  }
  return improved;
}

Solution finish(const Problem& pr, std::vector<std::size_t> hubs) {
  std::sort(hubs.begin(), hubs.end());
  Solution s;
  s.assignment = nearest_hubs(pr, hubs);
  s.value = objective_value(pr, hubs);
  s.hubs = std::move(hubs);
  return s;
}

Solution exact_median(const Problem& pr, const Solution& incumbent, double seconds) {
  const LpResult res = run_checked(median_model(pr), true, seconds);
  if (!res.solved) return incumbent;  // timed out: the caller keeps the heuristic
  std::vector<std::size_t> hubs;
  for (std::size_t j = 0; j < pr.candidates(); ++j)
    if (res.x[j + 1] > 0.5) hubs.push_back(j);
  Solution s = finish(pr, hubs);
  s.bound = s.value, s.optimal = s.exact = true;
  return s;
}

/// The hubs of the least median cost among those that serve every node within `radius`
/// (the restricted ReVelle-Swain MIP); empty on a time-out.
std::vector<std::size_t> median_within(const Problem& pr, double radius, double seconds) {
  const LpResult res = run_checked(median_model(pr, radius), true, seconds);
  std::vector<std::size_t> hubs;
  if (!res.solved) return hubs;
  for (std::size_t j = 0; j < pr.candidates(); ++j)
    if (res.x[j + 1] > 0.5) hubs.push_back(j);
  return hubs;
}

/// Bisection over the sorted costs between the trivial bound and the incumbent's value, one
/// covering MIP per radius (Toregas et al. 1971; Daskin 2013, ch. 5); then, among the hub sets
/// within the optimal radius, the one of least median cost (the tie rule).
Solution exact_center(const Problem& pr, const Solution& incumbent, double seconds) {
  const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(seconds));
  const std::vector<double> radii = sorted_costs(pr);
  const std::optional<std::size_t> k =
      smallest_cover(pr, radii, radius_index(radii, trivial_bound(pr)),
                     radius_index(radii, incumbent.value), true, deadline);
  if (!k) return incumbent;
  std::vector<std::size_t> hubs = median_within(pr, radii[*k], seconds_left(deadline));
  if (hubs.empty()) {  // timed out on the tie rule: any cover of the optimal radius, filled up
    const std::optional<bool> ok = covers(pr, radii[*k], true, deadline, &hubs);
    if (!ok || !*ok) return incumbent;
    hubs = greedy_fill(pr, hubs);
  }
  Solution s = finish(pr, hubs);
  s.bound = s.value, s.optimal = s.exact = true;
  return s;
}

}  // namespace

double Problem::cost(std::size_t i, std::size_t j) const {
  const double d = distance(ix(i), ix(j));
  if (objective == Objective::kCenter && !weighted_center) return d;
  return demand[i] * d;
}

std::vector<std::size_t> nearest_hubs(const Problem& pr, const std::vector<std::size_t>& hubs) {
  std::vector<std::size_t> sorted = hubs;
  std::sort(sorted.begin(), sorted.end());  // strict < below keeps the lowest index on ties
  std::vector<std::size_t> nearest(pr.nodes(), sorted.front());
  for (std::size_t i = 0; i < pr.nodes(); ++i)
    for (const std::size_t j : sorted)
      if (pr.distance(ix(i), ix(j)) < pr.distance(ix(i), ix(nearest[i]))) nearest[i] = j;
  return nearest;
}

double objective_value(const Problem& pr, const std::vector<std::size_t>& hubs) {
  double value = 0;
  for (std::size_t i = 0; i < pr.nodes(); ++i) {
    double c = pr.cost(i, hubs.front());
    for (const std::size_t j : hubs) c = std::min(c, pr.cost(i, j));
    value = pr.objective == Objective::kMedian ? value + c : std::max(value, c);
  }
  return value;
}

Solution greedy_interchange(const Problem& pr) {
  std::vector<std::size_t> hubs = greedy_fill(pr, pr.fixed);
  std::vector<char> fixed(pr.candidates(), 0);
  for (const std::size_t j : pr.fixed) fixed[j] = 1;
  Score current = score(pr, hubs);
  while (interchange_pass(pr, hubs, current, fixed)) {
  }
  return finish(pr, hubs);
}

double lower_bound(const Problem& pr, double upper, double seconds) {
  if (pr.objective == Objective::kMedian) return lagrangian_bound(pr, upper, seconds);
  const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(seconds));
  const std::vector<double> radii = sorted_costs(pr);
  const std::size_t lo = radius_index(radii, trivial_bound(pr));
  const std::optional<std::size_t> k =
      smallest_cover(pr, radii, lo, radii.size() - 1, false, deadline);
  return radii[k ? *k : lo];
}

Solution solve_exact(const Problem& pr, const Solution& incumbent, double seconds) {
  return pr.objective == Objective::kMedian ? exact_median(pr, incumbent, seconds)
                                            : exact_center(pr, incumbent, seconds);
}

/// The bound of a heuristic run gets at least this long, also after an exact run used up the time
/// limit: a bound cut short would make the gap meaningless.
constexpr double kBoundSeconds = 1.0;

Solution solve(const Problem& pr, Method method, std::size_t max_exact, double seconds) {
  const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(seconds));
  Solution heuristic = greedy_interchange(pr);
  const bool exact =
      method == Method::kExact || (method == Method::kAuto && pr.candidates() <= max_exact);
  if (exact) {
    Solution s = solve_exact(pr, heuristic, seconds_left(deadline));
    if (s.exact) return s;
  }
  heuristic.bound =
      std::min(lower_bound(pr, heuristic.value, std::max(seconds_left(deadline), kBoundSeconds)),
               heuristic.value);
  heuristic.optimal = relative_gap(heuristic.value, heuristic.bound) <= 1e-9;  // bound proves it
  return heuristic;
}

double relative_gap(double value, double bound) {
  return value > 0 ? std::max(0.0, (value - bound) / value) : 0.0;
}

}  // namespace klaster::plugins::hub_location

KLASTER_PLUGIN(klaster::plugins::hub_location::HubLocationPlugin)
