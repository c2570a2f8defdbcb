// network_clusters: communities of the input-output flow network (igraph Leiden or Louvain), the
// network alternative to Feser-Bergman cluster templates.
// Newman & Girvan (2004), Newman (2006) modularity; Blondel et al. (2008) Louvain; Traag, Waltman
// & van Eck (2019) Leiden; Feser & Bergman (2000) purchase and sales shares; Csardi & Nepusz,
// igraph.
#include <igraph.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"
#include "network_clusters_kernel.hpp"

namespace klaster::plugins::network_clusters {
namespace {

using namespace klaster::sdk;

constexpr const char* kDescription =
    "Builds an undirected weighted graph on the industries of an input-output table and finds "
    "its communities by maximising modularity (Newman 2006) with resolution gamma:\n"
    "  Q = (1/2m) sum_ij (A_ij - gamma k_i k_j / 2m) delta(c_i, c_j),  k_i = sum_j A_ij, "
    "2m = sum_i k_i.\n"
    "Edge weights (weights): \"flows\" (default) w_ij = z_ij + z_ji; \"shares\" w_ij = max(x_ij, "
    "x_ji, y_ij, y_ji) with x_ij = z_ij / sum_k z_kj (share of j's intermediate purchases "
    "bought from i) and y_ij = z_ij / sum_k z_ik (share of i's intermediate sales sold to j), as "
    "in Feser & Bergman (2000); \"coefficients\" w_ij = a_ij + a_ji with a_ij = z_ij / x_j. "
    "The diagonal (own use) is left out unless self_loops = true (then A_ii = w_ii). Edges with "
    "w_ij = 0 or w_ij < min_weight (default 0) are dropped; a negative weight (negative flows) is "
    "an error.\n"
    "method = \"leiden\" (default): igraph_community_leiden with the modularity objective (node "
    "weights k_i, resolution gamma / 2m) and randomness beta, run one pass at a time from the "
    "previous partition as R igraph's cluster_leiden does: iterations passes, or with -1 "
    "(default) until a pass does not raise the quality; \"louvain\": "
    "igraph_community_multilevel with resolution gamma. Both are randomised: igraph's default "
    "RNG is seeded with seed before the search, so a result is reproducible for a given seed and "
    "may differ for another one; restarts = r runs r searches with seeds seed .. seed + r - 1 and "
    "keeps the partition of highest modularity (default 1).\n"
    "modularity is igraph_modularity of the final partition with the same weights and gamma. "
    "Communities are numbered 1, 2, ... by decreasing total strength (ties: the community whose "
    "first industry comes first in the table). An industry with no edge is its own community "
    "(with strength 0, numbered last) and a warning names it; a graph with no edge at all is an "
    "error.\n"
    "Reference: Newman (2006), PNAS 103(23); Blondel et al. (2008), J. Stat. Mech. P10008; Traag, "
    "Waltman & van Eck (2019), Sci. Rep. 9:5233; Feser & Bergman (2000), Regional Studies 34(1).";

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

/// An igraph failure is a property of the data (the graph), so it reaches the host as a DataError
/// and never aborts it.
template <class Fn>
auto guarded(Fn fn) {
  try {
    return fn();
  } catch (const IgraphError& e) {
    throw DataError(std::string("igraph failed on the industry graph: ") + e.what());
  }
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Находит сообщества в сети межотраслевых потоков (Leiden или Louvain из igraph, "
       "модулярность)"},
      {p.description,
       "Строит ненаправленный взвешенный граф на отраслях таблицы «затраты — выпуск» и "
       "находит его сообщества, максимизируя модулярность (Newman 2006) с параметром "
       "разрешения gamma:\n"
       "  Q = (1/2m) sum_ij (A_ij - gamma k_i k_j / 2m) delta(c_i, c_j),  k_i = sum_j "
       "A_ij, 2m = sum_i k_i.\n"
       "Веса рёбер (weights): \"flows\" (по умолчанию) w_ij = z_ij + z_ji; \"shares\" w_ij ="
       " max(x_ij, x_ji, y_ij, y_ji), где x_ij = z_ij / sum_k z_kj (доля промежуточных "
       "закупок j, купленная у i) и y_ij = z_ij / sum_k z_ik (доля промежуточных продаж "
       "i, проданная j), как у Feser & Bergman (2000); \"coefficients\" w_ij = a_ij + "
       "a_ji, где a_ij = z_ij / x_j. Диагональ (собственное потребление) не учитывается,"
       " если не задано self_loops = true (тогда A_ii = w_ii). Рёбра с w_ij = 0 или w_ij"
       " < min_weight (по умолчанию 0) отбрасываются; отрицательный вес (отрицательные "
       "потоки) — ошибка.\n"
       "method = \"leiden\" (по умолчанию): igraph_community_leiden с целевой функцией "
       "модулярности (веса узлов k_i, разрешение gamma / 2m) и случайностью beta, по "
       "одному проходу от предыдущего разбиения, как cluster_leiden в igraph для R: "
       "iterations проходов или при -1 (по умолчанию) — пока проход не перестанет "
       "повышать качество; \"louvain\": igraph_community_multilevel с разрешением gamma. "
       "Оба метода случайны: стандартный генератор igraph инициализируется значением "
       "seed перед поиском, поэтому результат воспроизводим при данном seed и может "
       "отличаться при другом; restarts = r выполняет r поисков с seed .. seed + r - 1 и"
       " оставляет разбиение с наибольшей модулярностью (по умолчанию 1).\n"
       "modularity — это igraph_modularity итогового разбиения с теми же весами и gamma."
       " Сообщества нумеруются 1, 2, ... по убыванию суммарной силы (при равенстве "
       "раньше идёт сообщество, чья первая отрасль раньше в таблице). Отрасль без рёбер "
       "— отдельное сообщество (сила 0, номер последний), предупреждение называет её; "
       "граф совсем без рёбер — ошибка.\n"
       "Источники: Newman (2006), PNAS 103(23); Blondel et al. (2008), J. Stat. Mech. "
       "P10008; Traag, Waltman & van Eck (2019), Sci. Rep. 9:5233; Feser & Bergman "
       "(2000), Regional Studies 34(1)."},
  };
}

class NetworkClusters final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "network_clusters";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Finds communities of the input-output flow network (igraph Leiden or Louvain, modularity)";
    p.description = kDescription;
    p.params = params();
    p.reads = {matrix_read("input", "symmetric input-output table (layout = \"matrix\")")};
    p.writes = writes();
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    if (ctx.params().integer("iterations") == 0)
      throw ParamError("iterations",
                       "iterations = 0 runs no Leiden pass; give a positive number of passes or "
                       "-1 (until a pass changes nothing)");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd W = weight_matrix(io.Z(), io.x(), weights_of(params));
    check_non_negative(W, io.sectors(), params.str("input"));
    const Graph g = build_graph(W, params.boolean("self_loops"), params.real("min_weight"));
    check_graph(ctx, g, io.sectors());
    const Options o = options_of(params);
    const std::vector<double> k = strengths(g);
    std::uint64_t seed = o.seed;
    const std::vector<std::int64_t> membership = renumber_by_strength(search(ctx, g, o, seed), k);
    const double q = guarded([&] { return modularity(g, membership, o.resolution); });
    const std::vector<Community> found = summarize(g, membership);
    write_industries(ctx, io.sectors(), membership, k);
    write_summary(ctx, io.sectors(), found);
    write_quality(ctx, g, {q, seed, found.size()});
  }

 private:
  static std::vector<ParamSpec> params();
  static std::vector<ParamSpec> graph_params();
  static std::vector<ParamSpec> search_params();
  static std::vector<TableSpec> writes();

  static Weights weights_of(const Params& p) {
    const std::string w = p.str("weights");
    return w == "shares"         ? Weights::kShares
           : w == "coefficients" ? Weights::kCoefficients
                                 : Weights::kFlows;
  }

  static Options options_of(const Params& p) {
    Options o;
    o.method = p.str("method") == "louvain" ? Method::kLouvain : Method::kLeiden;
    o.resolution = p.real("resolution");
    o.seed = static_cast<std::uint64_t>(p.integer("seed"));
    o.iterations = p.integer("iterations");
    o.beta = p.real("beta");
    o.restarts = p.integer("restarts");
    return o;
  }

  static std::vector<std::int64_t> search(RunContext& ctx, const Graph& g, const Options& o,
                                          std::uint64_t& seed) {
    std::vector<std::string> warnings;
    std::vector<std::int64_t> m = guarded([&] { return communities(g, o, &warnings, &seed); });
    for (const std::string& w : warnings) ctx.log(LogLevel::kWarn, "igraph: " + w);
    return m;
  }

  /// Negative flows (allow_negative_flows = true) give negative weights, which modularity cannot
  /// take; they are an error rather than silently dropped edges.
  static void check_non_negative(const Eigen::MatrixXd& W, const std::vector<std::string>& names,
                                 const std::string& input) {
    for (Eigen::Index i = 0; i < W.rows(); ++i)
      for (Eigen::Index j = i; j < W.cols(); ++j)
        if (W(i, j) < 0)
          throw DataError("table '" + input + "': industries '" + names[std::size_t(i)] +
                          "' and '" + names[std::size_t(j)] + "' have a negative weight " +
                          number(W(i, j)) +
                          " (negative flows); community detection needs non-negative weights");
  }

  /// No edge: nothing to cluster (error). Isolated industries: each is its own community (warn).
  static void check_graph(RunContext& ctx, const Graph& g, const std::vector<std::string>& names) {
    const Params& p = ctx.params();
    if (g.edges.empty())
      throw DataError("table '" + p.str("input") + "': no edge between its " + std::to_string(g.n) +
                      " industries remains (weights = \"" + p.str("weights") +
                      "\", min_weight = " + number(p.real("min_weight")) +
                      ", self_loops = " + (p.boolean("self_loops") ? "true" : "false") +
                      "): there is no network to cluster; lower min_weight");
    const std::vector<std::size_t> alone = isolated(g);
    if (alone.empty()) return;
    std::string list;
    for (const std::size_t v : alone) list += (list.empty() ? "'" : ", '") + names[v] + "'";
    const bool one = alone.size() == 1;
    ctx.log(LogLevel::kWarn,
            std::to_string(alone.size()) + (one ? " industry has" : " industries have") +
                " no edge (no positive weight >= min_weight = " + number(p.real("min_weight")) +
                ") and " +
                (one ? "is a community of its own: " : "are each a community of their own: ") +
                list);
  }

  static void write_industries(RunContext& ctx, const std::vector<std::string>& names,
                               const std::vector<std::int64_t>& membership,
                               const std::vector<double>& k) {
    OutputTable out = ctx.output();
    out.set("industry", names);
    out.set("community", membership);
    out.set("strength", k);
    ctx.write(std::move(out));
  }

  static void write_summary(RunContext& ctx, const std::vector<std::string>& names,
                            const std::vector<Community>& found) {
    std::vector<std::int64_t> id, size;
    std::vector<double> strength, internal;
    std::vector<std::string> members;
    for (std::size_t c = 0; c < found.size(); ++c) {
      id.push_back(static_cast<std::int64_t>(c + 1));
      size.push_back(found[c].size);
      strength.push_back(found[c].strength);
      internal.push_back(found[c].internal_weight);
      std::string list;
      for (const std::size_t v : found[c].members) list += (list.empty() ? "" : " ") + names[v];
      members.push_back(list);
    }
    OutputTable out = ctx.output("<output>_summary");
    out.set("community", std::move(id));
    out.set("size", std::move(size));
    out.set("strength", std::move(strength));
    out.set("internal_weight", std::move(internal));
    out.set("members", members);
    ctx.write(std::move(out));
  }

  struct Quality {
    double modularity;
    std::uint64_t seed;  // the seed of the kept search
    std::size_t communities;
  };

  static void write_quality(RunContext& ctx, const Graph& g, const Quality& r) {
    const Params& p = ctx.params();
    double total = 0;
    for (const Edge& e : g.edges) total += e.weight;
    OutputTable out = ctx.output("<output>_quality");
    out.set("method", std::vector<std::string>{p.str("method")});
    out.set("weights", std::vector<std::string>{p.str("weights")});
    out.set("resolution", std::vector<double>{p.real("resolution")});
    out.set("seed", std::vector<std::int64_t>{static_cast<std::int64_t>(r.seed)});
    out.set("restarts", std::vector<std::int64_t>{p.integer("restarts")});
    out.set("modularity", std::vector<double>{r.modularity});
    out.set("communities", std::vector<std::int64_t>{static_cast<std::int64_t>(r.communities)});
    out.set("edges", std::vector<std::int64_t>{static_cast<std::int64_t>(g.edges.size())});
    out.set("total_weight", std::vector<double>{total});
    ctx.write(std::move(out));
  }
};

std::vector<ParamSpec> NetworkClusters::params() {
  std::vector<ParamSpec> p = io_table_params();
  for (const std::vector<ParamSpec>& more : {graph_params(), search_params()})
    p.insert(p.end(), more.begin(), more.end());
  return p;
}

/// How the graph is built from the table.
std::vector<ParamSpec> NetworkClusters::graph_params() {
  std::vector<ParamSpec> p;
  p.push_back(ParamSpec("weights", ParamType::kString)
                  .def("flows")
                  .one_of({"flows", "shares", "coefficients"})
                  .doc_("edge weight: \"flows\" z_ij + z_ji (default), \"shares\" max(x_ij, x_ji, "
                        "y_ij, y_ji) of Feser & Bergman (2000), \"coefficients\" a_ij + a_ji"));
  p.push_back(ParamSpec("self_loops", ParamType::kBool)
                  .def(false)
                  .doc_("keep the diagonal (own use) as self-loops, A_ii = w_ii (default false)"));
  p.push_back(ParamSpec("min_weight", ParamType::kFloat)
                  .def(0.0)
                  .at_least(0)
                  .doc_("drop edges whose weight is below this (default 0: keep every positive "
                        "weight), in the units of the chosen weights"));
  return p;
}

/// How the communities are searched.
std::vector<ParamSpec> NetworkClusters::search_params() {
  std::vector<ParamSpec> p;
  p.push_back(ParamSpec("method", ParamType::kString)
                  .def("leiden")
                  .one_of({"leiden", "louvain"})
                  .doc_("\"leiden\" (igraph_community_leiden, modularity objective; default) or "
                        "\"louvain\" (igraph_community_multilevel)"));
  p.push_back(ParamSpec("resolution", ParamType::kFloat)
                  .def(1.0)
                  .above(0)
                  .doc_("gamma of the modularity; above 1 gives more, smaller communities "
                        "(default 1: Newman-Girvan modularity)"));
  p.push_back(ParamSpec("seed", ParamType::kInt)
                  .def(Value(std::int64_t{1}))
                  .at_least(0)
                  .doc_("seed of igraph's default RNG; results depend on it (default 1)"));
  p.push_back(ParamSpec("iterations", ParamType::kInt)
                  .def(Value(std::int64_t{-1}))
                  .at_least(-1)
                  .doc_("Leiden passes, each from the previous partition; -1 (default) = until a "
                        "pass does not raise the quality (R cluster_leiden); 0 is "
                        "refused; ignored by louvain"));
  p.push_back(ParamSpec("restarts", ParamType::kInt)
                  .def(Value(std::int64_t{1}))
                  .at_least(1)
                  .doc_("searches with seeds seed, seed + 1, ...; the partition of highest "
                        "modularity is kept (default 1: one search)"));
  p.push_back(ParamSpec("beta", ParamType::kFloat)
                  .def(0.01)
                  .above(0)
                  .doc_("Leiden randomness in the refinement step (default 0.01, as igraph's R "
                        "cluster_leiden); ignored by louvain"));
  return p;
}

/// \brief A sum of edge weights, once per unit: flows are in the IO table's unit; shares and
/// coefficients are ratios of money, so their sums are numbers.
TableSpec& weight_sum(TableSpec& t, const std::string& name, const std::string& doc) {
  t.column(ColumnSpec::floats(name, doc).when("weights", "flows").in("<input>"));
  for (const char* weights : {"shares", "coefficients"})
    t.column(ColumnSpec::floats(name, doc).when("weights", weights).in("dimensionless"));
  return t;
}

std::vector<TableSpec> NetworkClusters::writes() {
  TableSpec industries =
      TableSpec::write("<output>", "one row per industry (sector) of the intermediate block")
          .column(ColumnSpec::strings("industry", "the sector's row label in the input table"))
          .column(ColumnSpec::ints("community", "1, 2, ... by decreasing total strength"));
  weight_sum(industries, "strength", "weighted degree k_i = sum_j A_ij");
  TableSpec summary = TableSpec::write("<output>_summary", "one row per community")
                          .column(ColumnSpec::ints("community", "as in <output>"))
                          .column(ColumnSpec::ints("size", "number of industries"));
  weight_sum(summary, "strength", "sum of its industries' k_i");
  weight_sum(summary, "internal_weight",
             "sum of the weights of edges inside it (with flows: the intermediate flows among "
             "its members)")
      .column(ColumnSpec::strings("members", "its industries, space-separated, table order"));
  TableSpec quality =
      TableSpec::write("<output>_quality", "one row: the partition and its modularity")
          .column(ColumnSpec::strings("method", "leiden or louvain"))
          .column(ColumnSpec::strings("weights", "flows, shares or coefficients"))
          .column(ColumnSpec::floats("resolution", "gamma").in("dimensionless"))
          .column(ColumnSpec::ints("seed", "the seed of the kept search (seed + r of restart r)"))
          .column(ColumnSpec::ints("restarts", "searches run"))
          .column(ColumnSpec::floats("modularity", "Q with resolution gamma (igraph_modularity)")
                      .in("index"))
          .column(ColumnSpec::ints("communities", "number of communities"))
          .column(ColumnSpec::ints("edges", "edges in the graph (self-loops included)"));
  weight_sum(quality, "total_weight", "m = sum of edge weights");
  return {industries, summary, quality};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The kernel (network_clusters_kernel.hpp)

namespace {

/// igraph's default error handler aborts the process. For the calls of one IgraphCall, this
/// handler instead records igraph's reason, frees igraph's temporaries (as
/// igraph_error_handler_ignore does) and lets the call return its error code, which check()
/// turns into an IgraphError.
thread_local std::string igraph_reason;
thread_local std::vector<std::string>* igraph_warnings = nullptr;

void remember_error(const char* reason, const char* file, int line, igraph_error_t code) {
  igraph_reason = std::string(reason ? reason : "") + " (" + igraph_strerror(code) + ", " +
                  (file ? file : "?") + ":" + std::to_string(line) + ")";
  IGRAPH_FINALLY_FREE();
}

void remember_warning(const char* reason, const char*, int) {
  if (igraph_warnings) igraph_warnings->emplace_back(reason ? reason : "");
}

/// Installs the handlers above for its lifetime and restores the previous ones, so another
/// plugin's igraph handlers are left as they were.
class IgraphCall {
 public:
  explicit IgraphCall(std::vector<std::string>* warnings = nullptr)
      : error_(igraph_set_error_handler(&remember_error)),
        warning_(igraph_set_warning_handler(&remember_warning)),
        warnings_(igraph_warnings) {
    igraph_reason.clear();
    if (warnings) igraph_warnings = warnings;  // a nested call keeps the outer call's list
  }
  ~IgraphCall() {
    igraph_set_error_handler(error_);
    igraph_set_warning_handler(warning_);
    igraph_warnings = warnings_;
  }
  IgraphCall(const IgraphCall&) = delete;
  IgraphCall& operator=(const IgraphCall&) = delete;

  static void check(igraph_error_t code, const char* what) {
    if (code != IGRAPH_SUCCESS) throw IgraphError(std::string(what) + ": " + igraph_reason);
  }

 private:
  igraph_error_handler_t* error_;
  igraph_warning_handler_t* warning_;
  std::vector<std::string>* warnings_;
};

/// igraph objects owned by C++ scopes (destroyed on every path, exceptions included).
struct IgGraph {
  igraph_t g;
  explicit IgGraph(const Graph& graph) {
    igraph_vector_int_t ends;
    IgraphCall::check(igraph_vector_int_init(&ends, ix(2 * graph.edges.size())), "edge list");
    for (std::size_t e = 0; e < graph.edges.size(); ++e) {
      VECTOR(ends)[2 * e] = static_cast<igraph_integer_t>(graph.edges[e].from);
      VECTOR(ends)[2 * e + 1] = static_cast<igraph_integer_t>(graph.edges[e].to);
    }
    const igraph_error_t rc =
        igraph_create(&g, &ends, static_cast<igraph_integer_t>(graph.n), IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&ends);
    IgraphCall::check(rc, "igraph_create");
  }
  ~IgGraph() { igraph_destroy(&g); }
  static igraph_integer_t ix(std::size_t k) { return static_cast<igraph_integer_t>(k); }
};

struct IgReals {
  igraph_vector_t v;
  explicit IgReals(const std::vector<double>& values) {
    IgraphCall::check(igraph_vector_init(&v, static_cast<igraph_integer_t>(values.size())),
                      "igraph_vector_init");
    std::copy(values.begin(), values.end(), VECTOR(v));
  }
  ~IgReals() { igraph_vector_destroy(&v); }
};

struct IgInts {
  igraph_vector_int_t v;
  explicit IgInts(const std::vector<std::int64_t>& values) {
    IgraphCall::check(igraph_vector_int_init(&v, static_cast<igraph_integer_t>(values.size())),
                      "igraph_vector_int_init");
    std::copy(values.begin(), values.end(), VECTOR(v));
  }
  ~IgInts() { igraph_vector_int_destroy(&v); }
  std::vector<std::int64_t> values() const {
    return std::vector<std::int64_t>(VECTOR(v), VECTOR(v) + igraph_vector_int_size(&v));
  }
};

std::vector<double> edge_weights(const Graph& g) {
  std::vector<double> w;
  w.reserve(g.edges.size());
  for (const Edge& e : g.edges) w.push_back(e.weight);
  return w;
}

/// Feser & Bergman (2000): the larger of the four purchase and sales shares of the pair.
Eigen::MatrixXd share_weights(const Eigen::MatrixXd& Z) {
  const Eigen::VectorXd bought = Z.colwise().sum().transpose();  // sum_k z_kj
  const Eigen::VectorXd sold = Z.rowwise().sum();                // sum_k z_ik
  auto x = [&](Eigen::Index i, Eigen::Index j) { return bought(j) > 0 ? Z(i, j) / bought(j) : 0; };
  auto y = [&](Eigen::Index i, Eigen::Index j) { return sold(i) > 0 ? Z(i, j) / sold(i) : 0; };
  Eigen::MatrixXd W(Z.rows(), Z.cols());
  for (Eigen::Index i = 0; i < Z.rows(); ++i)
    for (Eigen::Index j = 0; j < Z.cols(); ++j)
      W(i, j) = std::max({x(i, j), x(j, i), y(i, j), y(j, i)});
  return W;
}

}  // namespace

Eigen::MatrixXd weight_matrix(const Eigen::MatrixXd& Z, const Eigen::VectorXd& output, Weights w) {
  if (w == Weights::kShares) return share_weights(Z);
  if (w == Weights::kFlows) return Z + Z.transpose();
  Eigen::MatrixXd A = Z;  // a_ij = z_ij / x_j; a column without output buys nothing
  for (Eigen::Index j = 0; j < A.cols(); ++j)
    A.col(j) =
        output(j) > 0 ? Eigen::VectorXd(Z.col(j) / output(j)) : Eigen::VectorXd::Zero(A.rows());
  return A + A.transpose();
}

Graph build_graph(const Eigen::MatrixXd& W, bool self_loops, double min_weight) {
  Graph g;
  g.n = static_cast<std::size_t>(W.rows());
  auto kept = [&](double w) { return w > 0 && w >= min_weight; };
  for (Eigen::Index i = 0; i < W.rows(); ++i) {
    // A loop edge of weight w_ii / 2: igraph counts it twice, so A_ii = w_ii.
    if (self_loops && kept(W(i, i)))
      g.edges.push_back({std::size_t(i), std::size_t(i), W(i, i) / 2});
    for (Eigen::Index j = i + 1; j < W.cols(); ++j)
      if (kept(W(i, j))) g.edges.push_back({std::size_t(i), std::size_t(j), W(i, j)});
  }
  return g;
}

std::vector<double> strengths(const Graph& g) {
  std::vector<double> k(g.n, 0.0);
  for (const Edge& e : g.edges) {
    k[e.from] += e.weight;
    k[e.to] += e.weight;  // a loop adds its weight twice, as igraph_strength(loops = true)
  }
  return k;
}

std::vector<std::size_t> isolated(const Graph& g) {
  std::vector<std::uint8_t> touched(g.n, 0);
  for (const Edge& e : g.edges) touched[e.from] = touched[e.to] = 1;
  std::vector<std::size_t> out;
  for (std::size_t v = 0; v < g.n; ++v)
    if (!touched[v]) out.push_back(v);
  return out;
}

namespace {

/// One search with igraph's default RNG seeded with `seed`.
std::vector<std::int64_t> search_once(const Graph& g, const Options& o, std::uint64_t seed,
                                      const std::vector<double>& k, double two_m) {
  IgGraph graph(g);
  IgReals w(edge_weights(g));
  IgInts membership(std::vector<std::int64_t>(g.n, 0));
  IgraphCall::check(igraph_rng_seed(igraph_rng_default(), seed), "igraph_rng_seed");
  if (o.method == Method::kLouvain) {
    IgraphCall::check(
        igraph_community_multilevel(&graph.g, &w.v, o.resolution, &membership.v, nullptr, nullptr),
        "igraph_community_multilevel");
    return membership.values();
  }
  // Leiden's quality equals modularity with node weights k_i and resolution gamma / 2m (igraph
  // documentation of igraph_community_leiden; R's cluster_leiden does the same). Passes are run
  // one call at a time, each starting from the previous partition, as R igraph's cluster_leiden
  // does: `iterations` passes, or (negative) until a pass does not raise the quality. A single
  // call with n_iterations = -1 stopped in poorer optima with igraph 0.10.2 (README).
  IgReals node_weights(k);
  igraph_integer_t count = 0;
  igraph_real_t quality = 0, previous = 0;
  for (std::int64_t pass = 0; o.iterations < 0 || pass < o.iterations; ++pass) {
    previous = quality;
    IgraphCall::check(igraph_community_leiden(&graph.g, &w.v, &node_weights.v, o.resolution / two_m,
                                              o.beta, pass > 0, 1, &membership.v, &count, &quality),
                      "igraph_community_leiden");
    if (o.iterations < 0 && !(quality > previous)) break;  // R: while (prev < quality)
  }
  return membership.values();
}

}  // namespace

std::vector<std::int64_t> communities(const Graph& g, const Options& o,
                                      std::vector<std::string>* warnings,
                                      std::uint64_t* best_seed) {
  const std::vector<double> k = strengths(g);
  const double two_m = std::accumulate(k.begin(), k.end(), 0.0);
  if (!(two_m > 0)) throw IgraphError("the graph has no positive edge weight");
  IgraphCall call(warnings);
  std::vector<std::int64_t> best;
  double best_q = 0;
  for (std::int64_t r = 0; r < std::max<std::int64_t>(o.restarts, 1); ++r) {
    std::vector<std::int64_t> m =
        search_once(g, o, o.seed + static_cast<std::uint64_t>(r), k, two_m);
    const double q = modularity(g, m, o.resolution);
    if (!best.empty() && !(q > best_q)) continue;
    best = std::move(m);
    best_q = q;
    if (best_seed) *best_seed = o.seed + static_cast<std::uint64_t>(r);
  }
  return best;
}

double modularity(const Graph& g, const std::vector<std::int64_t>& membership, double resolution) {
  IgraphCall call;
  IgGraph graph(g);
  IgReals w(edge_weights(g));
  IgInts m(membership);
  igraph_real_t q = 0;
  IgraphCall::check(igraph_modularity(&graph.g, &m.v, &w.v, resolution, false, &q),
                    "igraph_modularity");
  if (!std::isfinite(q)) throw IgraphError("modularity is undefined (no edge weight)");
  return q;
}

std::vector<std::int64_t> renumber_by_strength(const std::vector<std::int64_t>& membership,
                                               const std::vector<double>& strength) {
  const std::int64_t K =
      membership.empty() ? 0 : *std::max_element(membership.begin(), membership.end()) + 1;
  std::vector<double> total(static_cast<std::size_t>(K), 0.0);
  std::vector<std::size_t> first(static_cast<std::size_t>(K), membership.size());
  for (std::size_t v = 0; v < membership.size(); ++v) {
    const auto c = static_cast<std::size_t>(membership[v]);
    total[c] += strength[v];
    first[c] = std::min(first[c], v);
  }
  std::vector<std::size_t> order;  // labels in use, strongest first
  for (std::size_t c = 0; c < total.size(); ++c)
    if (first[c] < membership.size()) order.push_back(c);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return total[a] != total[b] ? total[a] > total[b] : first[a] < first[b];
  });
  std::vector<std::int64_t> label(total.size(), 0);
  for (std::size_t r = 0; r < order.size(); ++r) label[order[r]] = std::int64_t(r + 1);
  std::vector<std::int64_t> out;
  out.reserve(membership.size());
  for (const std::int64_t c : membership) out.push_back(label[static_cast<std::size_t>(c)]);
  return out;
}

std::vector<Community> summarize(const Graph& g, const std::vector<std::int64_t>& membership) {
  const std::int64_t K =
      membership.empty() ? 0 : *std::max_element(membership.begin(), membership.end());
  std::vector<Community> out(static_cast<std::size_t>(K));
  const std::vector<double> k = strengths(g);
  for (std::size_t v = 0; v < membership.size(); ++v) {
    Community& c = out[static_cast<std::size_t>(membership[v] - 1)];
    ++c.size;
    c.strength += k[v];
    c.members.push_back(v);
  }
  for (const Edge& e : g.edges)
    if (membership[e.from] == membership[e.to])
      out[static_cast<std::size_t>(membership[e.from] - 1)].internal_weight += e.weight;
  return out;
}

}  // namespace klaster::plugins::network_clusters

KLASTER_PLUGIN(klaster::plugins::network_clusters::NetworkClusters)
