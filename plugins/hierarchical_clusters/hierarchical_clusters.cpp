// hierarchical_clusters: agglomerative hierarchical clustering (JEL C38) with the definitions of
// R's stats::hclust (Murtagh 1985; Lance and Williams 1967; Murtagh and Legendre 2014 for
// ward.D / ward.D2), cuts as stats::cutree and Rousseeuw's (1987) silhouette widths as
// cluster::silhouette.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hierarchical_clusters_kernel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::hierarchical_clusters {
namespace {

using namespace klaster::sdk;

constexpr const char* kMethods[] = {"single", "complete", "average",  "ward.D2",
                                    "ward.D", "mcquitty", "centroid", "median"};

/// \brief The two inputs: a long table of features, or a long table of pairs.
std::vector<ParamSpec> input_params() {
  return {
      ParamSpec("features", ParamType::kTable)
          .doc_("long table of item features (item, feature, value); give it or pairs"),
      ParamSpec("item", ParamType::kColumn).of("features").def("item").doc_("item key column"),
      ParamSpec("feature", ParamType::kColumn)
          .of("features")
          .def("feature")
          .doc_("feature key column"),
      ParamSpec("value", ParamType::kColumn)
          .of("features")
          .numeric()
          .def("value")
          .doc_("feature value column"),
      ParamSpec("distance", ParamType::kString)
          .def("euclidean")
          .one_of({"euclidean", "correlation"})
          .doc_("features only: \"euclidean\" = sqrt(sum_f (x_if - x_jf)^2) (R's dist()), "
                "\"correlation\" = 1 - Pearson r of the two items' feature vectors"),
      ParamSpec("pairs", ParamType::kTable)
          .doc_("long table of pairwise distances or similarities (item_a, item_b, value); "
                "give it or features"),
      ParamSpec("item_a", ParamType::kColumn).of("pairs").def("item_a").doc_("first item column"),
      ParamSpec("item_b", ParamType::kColumn).of("pairs").def("item_b").doc_("second item column"),
      ParamSpec("pair_value", ParamType::kColumn)
          .of("pairs")
          .numeric()
          .def("value")
          .doc_("distance or similarity column"),
      ParamSpec("kind", ParamType::kString)
          .def("distance")
          .one_of({"distance", "similarity"})
          .doc_("pairs only: what pair_value holds"),
      ParamSpec("similarity_to_distance", ParamType::kString)
          .def("one_minus")
          .one_of({"one_minus"})
          .doc_("pairs with kind = \"similarity\": d = 1 - s"),
  };
}

/// \brief The criterion and the optional cut.
std::vector<ParamSpec> tree_params() {
  return {
      ParamSpec("method", ParamType::kString)
          .def("complete")
          .one_of(std::vector<std::string>(std::begin(kMethods), std::end(kMethods)))
          .doc_("agglomeration criterion, as R's hclust(method =); R's default \"complete\""),
      ParamSpec("k", ParamType::kInt)
          .at_least(1)
          .doc_("cut the tree into k clusters (R's cutree(k =)); writes <output>_members and "
                "<output>_silhouette"),
      ParamSpec("height", ParamType::kFloat)
          .doc_("cut the tree at this height (R's cutree(h =): merges at heights <= height are "
                "made); writes <output>_members and <output>_silhouette"),
  };
}

/// \brief The tables of a cut, written when k or height is given (one TableSpec per condition:
/// the declarations cannot say "k or height").
std::vector<TableSpec> cut_tables(const std::string& given) {
  return {TableSpec::write("<output>_members", "the cluster of every item in the cut")
              .when_given(given)
              .column(ColumnSpec::strings("item"))
              .column(ColumnSpec::ints("cluster",
                                       "1..k, numbered by first appearance of "
                                       "their items in input order (as R's cutree)")),
          TableSpec::write("<output>_silhouette",
                           "Rousseeuw's silhouette of every item in the cut (cluster::silhouette)")
              .when_given(given)
              .column(ColumnSpec::strings("item"))
              .column(ColumnSpec::ints("cluster", "its cluster"))
              .column(ColumnSpec::ints("neighbor",
                                       "the nearest other cluster (least mean "
                                       "dissimilarity); missing for k = 1 or n"))
              .column(ColumnSpec::floats("width",
                                         "(b - a) / max(a, b); 0 in a singleton "
                                         "cluster; missing for k = 1 or k = n")
                          .in("index (-1..1)"))};
}

/// \brief The merge height, once per unit: the dissimilarity's (Lance-Williams updates keep it;
/// ward.D2 squares and takes the root): the feature values' unit for euclidean, the pair values'
/// for given distances, a number for 1 - r and 1 - s.
TableSpec& height_column(TableSpec& t) {
  const std::string doc = "the merge height (R's height)";
  return t
      .column(ColumnSpec::floats("height", doc)
                  .when_given("features")
                  .when("distance", "euclidean")
                  .in("<value>"))
      .column(ColumnSpec::floats("height", doc)
                  .when_given("features")
                  .when("distance", "correlation")
                  .in("dimensionless"))
      .column(ColumnSpec::floats("height", doc)
                  .when_given("pairs")
                  .when("kind", "distance")
                  .in("<pair_value>"))
      .column(ColumnSpec::floats("height", doc)
                  .when_given("pairs")
                  .when("kind", "similarity")
                  .in("dimensionless"));
}

TableSpec merges_table() {
  TableSpec t =
      TableSpec::write("<output>", "one row per merge, in merge order (R's merge and height)")
          .column(ColumnSpec::ints("step", "1..n-1"))
          .column(ColumnSpec::strings("a", "first cluster joined: an item or \"cluster <step>\""))
          .column(ColumnSpec::strings("b", "second cluster joined"))
          .column(ColumnSpec::ints("a_id",
                                   "R's merge[, 1]: -i = item i (input order), s > 0 = "
                                   "the cluster formed at step s"))
          .column(ColumnSpec::ints("b_id", "R's merge[, 2]"));
  return height_column(t).column(ColumnSpec::ints("size", "items in the cluster formed"));
}

std::vector<TableSpec> written() {
  std::vector<TableSpec> out = {
      merges_table(),
      TableSpec::write("<output>_order", "the items in dendrogram order (R's order)")
          .column(ColumnSpec::ints("position", "1..n, left to right"))
          .column(ColumnSpec::strings("item"))};
  for (const char* cut : {"k", "height"})
    for (TableSpec& t : cut_tables(cut)) out.push_back(std::move(t));
  return out;
}

/// \brief Items (or features) in order of first appearance.
struct Labels {
  std::vector<std::string> names;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t add(std::string name) {
    const auto [it, fresh] = index.try_emplace(name, names.size());
    if (fresh) names.push_back(std::move(name));
    return it->second;
  }
};

/// \brief What the tree is built from: the items (input order) and their dissimilarities.
struct Input {
  std::vector<std::string> items;
  Dissimilarity d;
};

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

/// \brief The text of key cell (c, row); DataError naming the row when it is missing.
std::string key_of(const Table& t, const Column& c, std::size_t row) {
  if (!c.is_valid(row)) throw DataError(t.row_name(row) + " has a missing '" + c.name + "'");
  return c.to_text(row);
}

/// \brief The number in cell (c, row); DataError naming the row when missing or not finite.
double number_of(const Table& t, const Column& c, std::size_t row, const std::string& what) {
  if (!c.is_valid(row))
    throw DataError(what + " has a missing '" + c.name + "'" + t.line_note(row));
  const double v = c.number(row);
  if (!std::isfinite(v))
    throw DataError(what + " has a non-finite '" + c.name + "' (" + number_text(v) + ")" +
                    t.line_note(row));
  return v;
}

std::string table_where(const Params& params, const std::string& param) {
  return "table '" + params.str(param) + "' (parameter '" + param + "')";
}

/// \brief The items' feature matrix (items x features, first-appearance order) of the long
/// features table; every item needs exactly one value of every feature.
std::pair<Labels, std::vector<double>> feature_matrix(const Table& t, const Params& params,
                                                      std::size_t& n_features) {
  const Column &item = t.column(params.str("item")), &feature = t.column(params.str("feature")),
               &value = t.column(params.str("value"));
  Labels items, features;
  std::vector<std::array<std::size_t, 2>> cell(t.rows());
  for (std::size_t row = 0; row < t.rows(); ++row)
    cell[row] = {items.add(key_of(t, item, row)), features.add(key_of(t, feature, row))};
  const std::size_t p = n_features = features.names.size();
  std::vector<double> x(items.names.size() * p);
  std::vector<std::size_t> first(x.size(), t.rows());  // the row of each cell; rows() = none
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const std::size_t c = cell[row][0] * p + cell[row][1];
    const std::string what =
        "item '" + items.names[cell[row][0]] + "', feature '" + features.names[cell[row][1]] + "'";
    if (first[c] < t.rows())
      throw DataError("duplicate " + what + " in " + table_where(params, "features") +
                      t.lines_note(first[c], row));
    first[c] = row;
    x[c] = number_of(t, value, row, what);
  }
  for (std::size_t c = 0; c < x.size(); ++c)
    if (first[c] == t.rows())
      throw DataError("item '" + items.names[c / p] + "' has no value of feature '" +
                      features.names[c % p] + "' in " + table_where(params, "features") +
                      "; every item needs every feature");
  return {std::move(items), std::move(x)};
}

Input from_features(const Table& t, const Params& params) {
  std::size_t p = 0;
  auto [items, x] = feature_matrix(t, params, p);
  const std::size_t n = items.names.size();
  if (params.str("distance") == "euclidean") return {std::move(items.names), euclidean(x, n, p)};
  std::size_t constant = 0;
  std::optional<Dissimilarity> d = correlation_distance(x, n, p, constant);
  if (!d)
    throw DataError("item '" + items.names[constant] +
                    "' has the same value for every feature in " + table_where(params, "features") +
                    ": its correlation with other items, and so distance = \"correlation\", is "
                    "undefined");
  return {std::move(items.names), std::move(*d)};
}

/// \brief The distance one pair row gives: the value, or 1 - value for a similarity.
double pair_distance(const Table& t, const Params& params, std::size_t row,
                     const std::string& what) {
  const double v = number_of(t, t.column(params.str("pair_value")), row, what);
  const bool similarity = params.str("kind") == "similarity";
  const double d = similarity ? 1 - v : v;
  if (d < 0)
    throw DataError(what + ": " +
                    (similarity ? "similarity " + number_text(v) +
                                      " gives distance 1 - s = " + number_text(d) + " < 0"
                                : "negative distance " + number_text(v)) +
                    t.line_note(row));
  return d;
}

/// \brief Stores the distance of one pair row; a self pair must be 0, a pair given twice must
/// agree (to 1e-12 relative).
void store_pair(const Table& t, std::size_t row, std::size_t i, std::size_t j, double dist,
                Input& in, std::vector<std::size_t>& first, const std::string& what) {
  if (i == j) {
    if (dist != 0)
      throw DataError(what + ": an item's distance to itself must be 0, not " + number_text(dist) +
                      t.line_note(row));
    return;
  }
  const std::size_t c = in.d.index(std::min(i, j), std::max(i, j));
  if (first[c] < t.rows()) {
    const double before = in.d.values[c];
    if (std::abs(before - dist) > 1e-12 * std::max({1.0, std::abs(before), std::abs(dist)}))
      throw DataError(what + " is given twice with different distances (" + number_text(before) +
                      " and " + number_text(dist) + ")" + t.lines_note(first[c], row));
    return;
  }
  first[c] = row;
  in.d.values[c] = dist;
}

Input from_pairs(const Table& t, const Params& params) {
  const Column &a = t.column(params.str("item_a")), &b = t.column(params.str("item_b"));
  Labels items;
  std::vector<std::array<std::size_t, 2>> pair(t.rows());
  for (std::size_t row = 0; row < t.rows(); ++row)
    pair[row] = {items.add(key_of(t, a, row)), items.add(key_of(t, b, row))};
  Input in{items.names, Dissimilarity(items.names.size())};
  std::vector<std::size_t> first(in.d.values.size(), t.rows());
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const auto [i, j] = pair[row];
    const std::string what = "pair '" + in.items[i] + "', '" + in.items[j] + "'";
    store_pair(t, row, i, j, pair_distance(t, params, row, what), in, first, what);
  }
  for (std::size_t i = 0; i < in.d.n; ++i)
    for (std::size_t j = i + 1; j < in.d.n; ++j)
      if (first[in.d.index(i, j)] == t.rows())
        throw DataError("pair '" + in.items[i] + "', '" + in.items[j] + "' has no row in " +
                        table_where(params, "pairs") + "; every pair of items needs a value");
  return in;
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary, "Строит агломеративную иерархическую кластеризацию объектов, как hclust в R"},
      {p.description,
       "Агломеративная иерархическая кластеризация (JEL C38) с определениями "
       "stats::hclust из R: начиная с одиночных объектов, объединяются два кластера с "
       "наименьшим различием, и различие нового кластера со всеми остальными "
       "пересчитывается по формуле Ланса — Уильямса для метода `method` (single, "
       "complete, average = UPGMA, mcquitty = WPGMA, ward.D, ward.D2 = метод Уорда по "
       "квадратам различий с высотами sqrt, centroid, median; centroid и median "
       "рассчитаны на квадраты евклидовых расстояний и могут давать невозрастающие "
       "высоты). Равенства разрешаются так же, как в R (воспроизводятся список ближайших"
       " соседей и порядок просмотра R), поэтому слияния, высоты и порядок совпадают с "
       "R.\n"
       "Вход: либо признаки (длинный формат: item, feature, value; distance = "
       "\"euclidean\", как dist() в R, или \"correlation\" = 1 - r Пирсона), либо пары "
       "(длинный формат: item_a, item_b, value; kind = \"distance\" или \"similarity\", "
       "которое переводится в d = 1 - s). Объекты нумеруются в порядке первого появления"
       " в таблице (item_a раньше item_b в строке); это порядок наблюдений R.\n"
       "Записывает слияния (знаки как в merge у R: -i = объект i, s = кластер шага s), "
       "порядок листьев, а при заданных k или height — разрез (cutree в R: кластеры "
       "нумеруются по первому появлению их объектов) и его ширины силуэта (Rousseeuw "
       "1987, как cluster::silhouette: a(i) — среднее различие внутри кластера i, b(i) —"
       " наименьшее среднее различие с другим кластером, s = (b - a) / max(a, b), 0 в "
       "кластере из одного объекта; пропущено при k = 1 или k = n, где silhouette() в R "
       "даёт NA).\n"
       "Ошибки: пропущенное значение объекта/признака или пары, дубликат, отрицательное "
       "или нечисловое расстояние, дважды заданные несогласованные пары, постоянный "
       "объект при correlation, разрез по высоте немонотонного дерева.\n"
       "Источники: Lance and Williams (1967) Computer J. 9(4); Murtagh (1985) "
       "Multidimensional Clustering Algorithms; Murtagh and Legendre (2014) J. "
       "Classification 31; Rousseeuw (1987) J. Comput. Appl. Math. 20; R stats::hclust, "
       "stats::cutree, cluster::silhouette."},
      {"The tree: merges by height", "Дерево: слияния по высоте"},
  };
}

class HierarchicalClusters final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "hierarchical_clusters";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Builds an agglomerative hierarchical clustering of items as R's hclust";
    p.description = description();
    p.params = input_params();
    const std::vector<ParamSpec> tree = tree_params();
    p.params.insert(p.params.end(), tree.begin(), tree.end());
    p.reads = {TableSpec::read("features", "one row per item and feature")
                   .column(ColumnSpec::of("item"))
                   .column(ColumnSpec::of("feature"))
                   .column(ColumnSpec::of("value")),
               TableSpec::read("pairs",
                               "one row per pair of items (once in either order, or "
                               "both ways with equal values)")
                   .column(ColumnSpec::of("item_a"))
                   .column(ColumnSpec::of("item_b"))
                   .column(ColumnSpec::of("pair_value"))};
    p.writes = written();
    p.views = {ViewSpec::of(ViewKind::kDendrogram, "<output>", "The tree: merges by height")
                   .values("height")
                   .merges("a", "b", "a_id", "b_id")};
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    if (params.has("features") == params.has("pairs"))
      throw ParamError("features",
                       "give exactly one of features (a long table of item features) "
                       "and pairs (a long table of pairwise values)");
    if (params.has("k") && params.has("height"))
      throw ParamError("height", "give at most one of k and height: the tree is cut once");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const std::string source = params.has("features") ? "features" : "pairs";
    const Table& t = ctx.table_of_param(source);
    const Input in = source == "features" ? from_features(t, params) : from_pairs(t, params);
    if (in.items.size() < 2)
      throw DataError("hierarchical clustering needs at least 2 items; " +
                      table_where(params, source) + " has 1 ('" + in.items.front() + "')");
    const Dendrogram tree = hclust(in.d, *method_from_name(params.str("method")));
    write_merges(ctx, in.items, tree);
    write_order(ctx, in.items, tree);
    if (const std::optional<std::size_t> k = cut_size(params, tree, in.items.size()))
      write_cut(ctx, in, tree, *k);
  }

 private:
  static std::string description() {
    return "Agglomerative hierarchical clustering (JEL C38) with the definitions of R's "
           "stats::hclust: starting from singletons, the two clusters at the least "
           "dissimilarity are joined, and the dissimilarity of the new cluster to every other "
           "is updated by the Lance-Williams formula of `method` (single, complete, average = "
           "UPGMA, mcquitty = WPGMA, ward.D, ward.D2 = Ward on squared dissimilarities with "
           "heights sqrt, centroid, median; centroid and median are meant for squared Euclidean "
           "input and may give non-increasing heights). Ties are broken as R breaks them (R's "
           "nearest-neighbour list and scan order are reproduced), so merges, heights and "
           "order equal R's.\n"
           "Input: either features (long: item, feature, value; distance = \"euclidean\" as R's "
           "dist(), or \"correlation\" = 1 - Pearson r) or pairs (long: item_a, item_b, value; "
           "kind = \"distance\", or \"similarity\" turned into d = 1 - s). Items are numbered "
           "in order of first appearance in the table (item_a before item_b in a row); that "
           "order is R's observation order.\n"
           "Writes the merges (R's merge sign convention: -i = item i, s = the cluster of step "
           "s), the leaf order, and with k or height a cut (R's cutree: clusters numbered by "
           "first appearance of their items) and its silhouette widths (Rousseeuw 1987, as "
           "cluster::silhouette: a(i) mean dissimilarity within i's cluster, b(i) least mean "
           "dissimilarity to another cluster, s = (b - a) / max(a, b), 0 in a singleton cluster; "
           "missing when k = 1 or k = n, where R's silhouette() is NA).\n"
           "Errors: a missing item/feature value or pair, a duplicate, a negative or non-finite "
           "distance, pairs given twice that disagree, a constant item under correlation, a "
           "cut at a height of a non-monotone tree.\n"
           "References: Lance and Williams (1967) Computer J. 9(4); Murtagh (1985) "
           "Multidimensional "
           "Clustering Algorithms; Murtagh and Legendre (2014) J. Classification 31; Rousseeuw "
           "(1987) J. Comput. Appl. Math. 20; R stats::hclust, stats::cutree, "
           "cluster::silhouette.";
  }

  static std::string cluster_name(const std::vector<std::string>& items, std::int64_t id) {
    return id < 0 ? items[static_cast<std::size_t>(-id - 1)] : "cluster " + std::to_string(id);
  }

  static void write_merges(RunContext& ctx, const std::vector<std::string>& items,
                           const Dendrogram& tree) {
    std::vector<std::int64_t> step, a_id, b_id;
    std::vector<std::string> a, b;
    for (std::size_t s = 0; s < tree.merge.size(); ++s) {
      step.push_back(static_cast<std::int64_t>(s + 1));
      a_id.push_back(tree.merge[s][0]);
      b_id.push_back(tree.merge[s][1]);
      a.push_back(cluster_name(items, tree.merge[s][0]));
      b.push_back(cluster_name(items, tree.merge[s][1]));
    }
    OutputTable out = ctx.output();
    out.set("step", std::move(step)).set("a", a).set("b", b);
    out.set("a_id", std::move(a_id)).set("b_id", std::move(b_id));
    out.set("height", std::vector<double>(tree.height)).set("size", std::vector(tree.size));
    ctx.write(std::move(out));
  }

  static void write_order(RunContext& ctx, const std::vector<std::string>& items,
                          const Dendrogram& tree) {
    std::vector<std::int64_t> position;
    std::vector<std::string> item;
    for (std::size_t i = 0; i < tree.order.size(); ++i) {
      position.push_back(static_cast<std::int64_t>(i + 1));
      item.push_back(items[tree.order[i]]);
    }
    OutputTable out = ctx.output("<output>_order");
    out.set("position", std::move(position)).set("item", item);
    ctx.write(std::move(out));
  }

  /// The number of clusters of the cut asked for, if any.
  static std::optional<std::size_t> cut_size(const Params& params, const Dendrogram& tree,
                                             std::size_t n) {
    if (params.has("k")) {
      const auto k = static_cast<std::size_t>(params.integer("k"));
      if (k > n)
        throw ParamError("k", "k = " + std::to_string(k) + " is more than the " +
                                  std::to_string(n) + " items clustered");
      return k;
    }
    if (!params.has("height")) return std::nullopt;
    if (const auto k = clusters_at_height(tree, params.real("height"))) return k;
    throw ParamError("height", "the merge heights of method = \"" + params.str("method") +
                                   "\" decrease somewhere (an inversion), so the tree has no cut "
                                   "at a height (R's cutree stops too); cut it with k instead");
  }

  static void write_cut(RunContext& ctx, const Input& in, const Dendrogram& tree, std::size_t k) {
    const std::vector<std::int64_t> cluster = cutree(tree, k);
    OutputTable members = ctx.output("<output>_members");
    members.set("item", in.items).set("cluster", std::vector(cluster));
    ctx.write(std::move(members));
    const std::size_t n = in.items.size();
    const bool defined = k >= 2 && k < n;  // cluster::silhouette is NA otherwise
    if (!defined)
      ctx.log(LogLevel::kWarn, "the cut has " + std::to_string(k) + " cluster(s) of " +
                                   std::to_string(n) +
                                   " items: silhouette widths are undefined (written as missing)");
    Silhouette s = defined ? silhouette(in.d, cluster, k)
                           : Silhouette{std::vector<std::int64_t>(n, 0), std::vector<double>(n, 0)};
    const std::vector<std::uint8_t> valid(n, defined ? 1 : 0);
    OutputTable out = ctx.output("<output>_silhouette");
    out.set("item", in.items).set("cluster", std::vector(cluster));
    out.set("neighbor", std::move(s.neighbor), valid).set("width", std::move(s.width), valid);
    ctx.write(std::move(out));
  }
};

}  // namespace

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// \brief d(i2 + j2, k) from d(i2, k), d(j2, k), d(i2, j2) and the cluster sizes: the
/// Lance-Williams formulas exactly as R's Fortran writes them (same operations, same order), so
/// that heights agree to the last bits and ties fall the same way.
double lance_williams(Method m, double dik, double djk, double dij, double ni, double nj,
                      double nk) {
  switch (m) {
    case Method::kWardD:
    case Method::kWardD2:
      return ((ni + nk) * dik + (nj + nk) * djk - nk * dij) / (ni + nj + nk);
    case Method::kSingle:
      return std::min(dik, djk);
    case Method::kComplete:
      return std::max(dik, djk);
    case Method::kAverage:
      return (ni * dik + nj * djk) / (ni + nj);
    case Method::kMcquitty:
      return (dik + djk) / 2;
    case Method::kMedian:
      return ((dik + djk) - dij / 2) / 2;
    case Method::kCentroid:
      return (ni * dik + nj * djk - ni * nj * dij / (ni + nj)) / (ni + nj);
  }
  return kInf;
}

/// \brief The state of R's HCLUST: the working dissimilarities, each active item's nearest
/// neighbour *to its right* (nn, disnn) and the cluster sizes. An active item i stands for the
/// cluster whose smallest member index is i.
class Agglomeration {
 public:
  Agglomeration(Dissimilarity d, Method m)
      : d_(std::move(d)),
        m_(m),
        members_(d_.n, 1.0),
        disnn_(d_.n, kInf),
        nn_(d_.n, 0),
        active_(d_.n, 1) {
    if (m_ == Method::kWardD2)  // ward.D2 runs Ward's update on squared dissimilarities
      for (double& v : d_.values) v *= v;
    for (std::size_t i = 0; i + 1 < d_.n; ++i) nearest_right(i);
  }

  /// \brief One agglomeration: the pair (i2 < j2) joined and its height.
  std::pair<std::size_t, std::size_t> step(double& height) {
    std::size_t im = 0;
    double dmin = kInf;
    for (std::size_t i = 0; i + 1 < d_.n; ++i)  // the first least disnn in index order, as R
      if (active_[i] && disnn_[i] < dmin) {
        dmin = disnn_[i];
        im = i;
      }
    const std::size_t i2 = std::min(im, nn_[im]), j2 = std::max(im, nn_[im]);
    height = m_ == Method::kWardD2 ? std::sqrt(dmin) : dmin;
    active_[j2] = 0;
    update(i2, j2);
    for (std::size_t i = 0; i + 1 < d_.n; ++i)  // rows that pointed at the merged pair
      if (active_[i] && (nn_[i] == i2 || nn_[i] == j2)) nearest_right(i);
    return {i2, j2};
  }

  double members(std::size_t i) const { return members_[i]; }

 private:
  /// The least d(i, j) over active j > i, the first one on ties. As in R, when there is none the
  /// neighbour index keeps its last value (its distance is infinite, so it is never chosen).
  void nearest_right(std::size_t i) {
    double dmin = kInf;
    for (std::size_t j = i + 1; j < d_.n; ++j)
      if (active_[j] && d_.values[d_.index(i, j)] < dmin) {
        dmin = d_.values[d_.index(i, j)];
        jj_ = j;
      }
    nn_[i] = jj_;
    disnn_[i] = dmin;
  }

  /// Row i2 becomes the merged cluster: Lance-Williams for every other active k; i2's new right
  /// neighbour, and (R's fix for non-monotone methods) k < i2 whose distance to i2 dropped below
  /// their current nearest.
  void update(std::size_t i2, std::size_t j2) {
    const double dij = d_.values[d_.index(i2, j2)];
    double dmin = kInf;
    for (std::size_t k = 0; k < d_.n; ++k) {
      if (!active_[k] || k == i2) continue;
      double& dik = d_.values[i2 < k ? d_.index(i2, k) : d_.index(k, i2)];
      const double djk = d_.values[j2 < k ? d_.index(j2, k) : d_.index(k, j2)];
      dik = lance_williams(m_, dik, djk, dij, members_[i2], members_[j2], members_[k]);
      if (i2 < k) {
        if (dik < dmin) {
          dmin = dik;
          jj_ = k;
        }
      } else if (dik < disnn_[k]) {
        disnn_[k] = dik;
        nn_[k] = i2;
      }
    }
    members_[i2] += members_[j2];
    disnn_[i2] = dmin;
    nn_[i2] = jj_;
  }

  Dissimilarity d_;
  Method m_;
  std::vector<double> members_, disnn_;
  std::vector<std::size_t> nn_;
  std::vector<std::uint8_t> active_;
  std::size_t jj_ = 0;  // R's JJ, shared by the scans above
};

/// \brief R's order: the leaves met left to right when each merge is expanded into its first,
/// then its second, member (HCASS2's 'order' part).
std::vector<std::size_t> leaf_order(const std::vector<std::array<std::int64_t, 2>>& merge) {
  std::vector<std::size_t> order;
  std::vector<std::int64_t> stack{static_cast<std::int64_t>(merge.size())};
  while (!stack.empty()) {
    const std::int64_t node = stack.back();
    stack.pop_back();
    if (node < 0) {
      order.push_back(static_cast<std::size_t>(-node - 1));
      continue;
    }
    const auto& m = merge[static_cast<std::size_t>(node - 1)];
    stack.push_back(m[1]);  // pushed first, expanded last
    stack.push_back(m[0]);
  }
  return order;
}

/// \brief HCASS2's merge convention for the pair (i2, j2) joined at `step` (1-based): a cluster
/// is named by the last step that formed it, an item by -(index + 1); a singleton comes first,
/// two clusters in increasing step order, two singletons as (i2, j2).
std::array<std::int64_t, 2> merge_row(std::vector<std::int64_t>& last_step, std::size_t i2,
                                      std::size_t j2, std::int64_t step) {
  auto id = [&](std::size_t i) {
    return last_step[i] > 0 ? last_step[i] : -static_cast<std::int64_t>(i) - 1;
  };
  std::array<std::int64_t, 2> row{id(i2), id(j2)};
  last_step[i2] = step;
  if (row[0] > 0 && row[1] < 0) std::swap(row[0], row[1]);
  if (row[0] > 0 && row[1] > 0 && row[0] > row[1]) std::swap(row[0], row[1]);
  return row;
}

}  // namespace

std::optional<Method> method_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "ward.D", "single", "complete", "average", "mcquitty", "median", "centroid", "ward.D2"};
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Method>(i);
  return std::nullopt;
}

Dendrogram hclust(Dissimilarity d, Method method) {
  const std::size_t n = d.n;
  Dendrogram tree;
  Agglomeration agg(std::move(d), method);
  std::vector<std::int64_t> last_step(n, 0);
  for (std::size_t s = 1; s < n; ++s) {
    double height = 0;
    const auto [i2, j2] = agg.step(height);
    tree.merge.push_back(merge_row(last_step, i2, j2, static_cast<std::int64_t>(s)));
    tree.height.push_back(height);
    tree.size.push_back(static_cast<std::int64_t>(agg.members(i2)));
  }
  tree.order = leaf_order(tree.merge);
  return tree;
}

std::vector<std::int64_t> cutree(const Dendrogram& tree, std::size_t k) {
  const std::size_t n = tree.merge.size() + 1;
  std::vector<std::size_t> parent(n), step_item(n, 0);  // union-find; an item of each step
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  auto item = [&](std::int64_t id) {
    return id < 0 ? static_cast<std::size_t>(-id - 1) : step_item[static_cast<std::size_t>(id - 1)];
  };
  for (std::size_t s = 0; s + k < n; ++s) {  // the first n - k merges
    const std::size_t a = root(item(tree.merge[s][0])), b = root(item(tree.merge[s][1]));
    parent[b] = a;
    step_item[s] = a;
  }
  std::vector<std::int64_t> number(n, 0), cluster(n);
  std::int64_t next = 0;
  for (std::size_t i = 0; i < n; ++i) {  // numbered by first appearance, as R's cutree
    std::int64_t& c = number[root(i)];
    if (c == 0) c = ++next;
    cluster[i] = c;
  }
  return cluster;
}

std::optional<std::size_t> clusters_at_height(const Dendrogram& tree, double height) {
  if (std::is_sorted(tree.height.begin(), tree.height.end()) == false) return std::nullopt;
  const auto merged = std::upper_bound(tree.height.begin(), tree.height.end(), height);
  return tree.merge.size() + 1 - static_cast<std::size_t>(merged - tree.height.begin());
}

Silhouette silhouette(const Dissimilarity& d, const std::vector<std::int64_t>& clusters,
                      std::size_t k) {
  const std::size_t n = d.n;
  std::vector<double> mean(n * k, 0.0);  // mean(i, c): mean dissimilarity of i to cluster c
  std::vector<double> count(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto ci = static_cast<std::size_t>(clusters[i] - 1);
    count[ci] += 1;
    for (std::size_t j = i + 1; j < n; ++j) {
      const double v = d.values[d.index(i, j)];
      mean[k * i + static_cast<std::size_t>(clusters[j] - 1)] += v;
      mean[k * j + ci] += v;
    }
  }
  Silhouette s{std::vector<std::int64_t>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const auto ci = static_cast<std::size_t>(clusters[i] - 1);
    double* m = &mean[k * i];
    for (std::size_t c = 0; c < k; ++c) m[c] /= c == ci ? std::max(count[c] - 1, 1.0) : count[c];
    std::size_t nb = ci == 0 ? 1 : 0;
    for (std::size_t c = 0; c < k; ++c)  // the first least mean among the other clusters
      if (c != ci && m[c] < m[nb]) nb = c;
    const double a = m[ci], b = m[nb];
    s.neighbor[i] = static_cast<std::int64_t>(nb + 1);
    s.width[i] = (count[ci] > 1 && a != b) ? (b - a) / std::max(a, b) : 0.0;
  }
  return s;
}

Dissimilarity euclidean(const std::vector<double>& x, std::size_t n, std::size_t p) {
  Dissimilarity d(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      double sum = 0;
      for (std::size_t f = 0; f < p; ++f) {
        const double dev = x[i * p + f] - x[j * p + f];
        sum += dev * dev;
      }
      d.values[d.index(i, j)] = std::sqrt(sum);
    }
  return d;
}

std::optional<Dissimilarity> correlation_distance(const std::vector<double>& x, std::size_t n,
                                                  std::size_t p, std::size_t& constant) {
  std::vector<double> centred(x.size()), norm(n);
  for (std::size_t i = 0; i < n; ++i) {
    long double sum = 0;
    for (std::size_t f = 0; f < p; ++f) sum += x[i * p + f];
    // R's cor(): the mean, then one correction pass, so that a constant row centres to exact 0s
    long double mean = sum / static_cast<long double>(p), correction = 0;
    for (std::size_t f = 0; f < p; ++f) correction += x[i * p + f] - mean;
    mean += correction / static_cast<long double>(p);
    long double ss = 0;
    for (std::size_t f = 0; f < p; ++f) {
      centred[i * p + f] = static_cast<double>(x[i * p + f] - mean);
      ss += static_cast<long double>(centred[i * p + f]) * centred[i * p + f];
    }
    norm[i] = std::sqrt(static_cast<double>(ss));
    if (!(norm[i] > 0)) {
      constant = i;
      return std::nullopt;
    }
  }
  Dissimilarity d(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      long double cross = 0;
      for (std::size_t f = 0; f < p; ++f)
        cross += static_cast<long double>(centred[i * p + f]) * centred[j * p + f];
      const double r = static_cast<double>(cross) / (norm[i] * norm[j]);
      d.values[d.index(i, j)] = 1 - std::clamp(r, -1.0, 1.0);  // R's cor clamps to [-1, 1]
    }
  return d;
}

}  // namespace klaster::plugins::hierarchical_clusters

KLASTER_PLUGIN(klaster::plugins::hierarchical_clusters::HierarchicalClusters)
