// feser_bergman: industry cluster templates from an input-output table (Feser & Bergman 2000,
// Regional Studies 34(1), 1-19): L_ij = max of the linkage measures of industries i and j,
// principal components of L, varimax rotation, members by their loadings.
#include <Eigen/SVD>
#include <map>
#ifdef EIGEN_USE_LAPACKE
#include <lapacke.h>
#endif
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "feser_bergman_kernel.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::feser_bergman {
namespace {

using namespace klaster::sdk;

const std::vector<std::string> kMeasureNames = {"purchase_similarity", "sales_similarity",
                                                "cross_similarity", "direct_purchases",
                                                "direct_sales"};

/// \brief How L is computed from the table.
std::vector<ParamSpec> linkage_params() {
  return {
      ParamSpec("measures", ParamType::kStringList)
          .def(Value(std::vector<std::string>{"purchase_similarity", "sales_similarity",
                                              "cross_similarity"}))
          .doc_("the measures L_ij is the maximum of (default: Feser & Bergman's four "
                "correlations): purchase_similarity r(x_.i, x_.j), sales_similarity "
                "r(y_i., y_j.), cross_similarity r(x_.i, y_j.) and r(y_i., x_.j), "
                "direct_purchases x_ij and x_ji, direct_sales y_ij and y_ji"),
      ParamSpec("denominator", ParamType::kString)
          .def("intermediate")
          .one_of({"intermediate", "output"})
          .doc_("x_ij = z_ij / (j's total intermediate purchases) and y_ij = z_ij / (i's total "
                "intermediate sales), as Feser & Bergman (default); or \"output\": both over "
                "total output (x_ij = a_ij, y_ij = b_ij)"),
      ParamSpec("intra_industry", ParamType::kString)
          .def("include")
          .one_of({"include", "exclude"})
          .doc_("\"include\" (default): z_ii stays in the coefficients and the correlated "
                "patterns; \"exclude\": z_ii is set to 0 first"),
  };
}

/// \brief The factor analysis, the templates and bad input.
std::vector<ParamSpec> template_params() {
  return {
      ParamSpec("factors", ParamType::kInt)
          .def(Value(std::int64_t{0}))
          .at_least(0)
          .doc_("principal components kept; 0 (default): those with eigenvalue >= 1 (Kaiser)"),
      ParamSpec("normalize", ParamType::kBool)
          .def(true)
          .doc_("Kaiser normalisation in the varimax rotation (R varimax's normalize = TRUE)"),
      ParamSpec("eps", ParamType::kFloat)
          .def(Value(1e-5))
          .above(0)
          .doc_("varimax convergence tolerance (R varimax's eps = 1e-5)"),
      ParamSpec("primary", ParamType::kFloat)
          .def(Value(0.60))
          .above(0)
          .at_most(1)
          .doc_("a primary member loads highest on the template, with a loading >= primary"),
      ParamSpec("secondary", ParamType::kFloat)
          .def(Value(0.35))
          .above(0)
          .at_most(1)
          .doc_("a secondary member loads >= secondary on the template, without being primary"),
      ParamSpec("drop_isolated", ParamType::kBool)
          .def(false)
          .doc_("drop (with a warning) industries with no intermediate sales and purchases "
                "(zero row and column of Z); default: a DataError naming them"),
      ParamSpec("undefined", ParamType::kString)
          .def("error")
          .one_of({"error", "skip"})
          .doc_("a constant purchase or sales pattern has no correlation: \"error\" (default) "
                "names the industry, \"skip\" takes L_ij over the defined measures"),
  };
}

std::vector<ParamSpec> params() {
  std::vector<ParamSpec> p = io_table_params();
  for (std::vector<ParamSpec> more : {linkage_params(), template_params()})
    p.insert(p.end(), more.begin(), more.end());
  return p;
}

std::vector<TableSpec> writes() {
  return {
      TableSpec::write("<output>", "one row per template and member industry")
          .column(ColumnSpec::ints("cluster", "the template: rotated factor, 1 = most variance"))
          .column(ColumnSpec::strings("industry", "the sector's row label in the input"))
          .column(ColumnSpec::floats("loading", "its rotated loading on the factor")
                      .in("dimensionless"))
          .column(ColumnSpec::strings("role", "primary or secondary")),
      TableSpec::write("<output>_l", "L for every ordered pair of distinct industries")
          .column(ColumnSpec::strings("industry_a", "first industry"))
          .column(ColumnSpec::strings("industry_b", "second industry (L is symmetric)"))
          .column(ColumnSpec::floats("l", "L_ab: the largest of the chosen measures")
                      .in("correlation (-1..1)")),
      TableSpec::write("<output>_loadings", "one row per industry and retained factor")
          .column(ColumnSpec::strings("industry", "the sector's row label in the input"))
          .column(ColumnSpec::ints("factor", "the rotated factor, 1 = most variance"))
          .column(ColumnSpec::floats("loading", "varimax-rotated loading").in("dimensionless")),
      TableSpec::write("<output>_factors", "one row per retained factor")
          .column(ColumnSpec::ints("factor", "the rotated factor, 1 = most variance"))
          .column(ColumnSpec::floats("eigenvalue", "the factor-th largest eigenvalue of L")
                      .in("dimensionless"))
          .column(ColumnSpec::floats("variance", "sum of its squared rotated loadings")
                      .in("dimensionless"))
          .column(ColumnSpec::floats("variance_share", "variance / number of industries")
                      .in("share (0-1)")),
  };
}

std::vector<Measure> measures_of(const std::vector<std::string>& names) {
  std::vector<Measure> m;
  for (const std::string& name : names) {
    const auto it = std::find(kMeasureNames.begin(), kMeasureNames.end(), name);
    if (it == kMeasureNames.end())
      throw ParamError("measures", "unknown measure '" + name +
                                       "' (known: purchase_similarity, sales_similarity, "
                                       "cross_similarity, direct_purchases, direct_sales)");
    m.push_back(static_cast<Measure>(it - kMeasureNames.begin()));
  }
  if (m.empty()) throw ParamError("measures", "name at least one measure");
  return m;
}

/// \brief The intermediate block and totals, with isolated industries dropped or refused.
struct Block {
  std::vector<std::string> sectors;
  Eigen::MatrixXd Z;
  Eigen::VectorXd x;
};

Block block_of(const IoSystem& io, bool exclude_diagonal, bool drop, const RunContext& ctx) {
  Eigen::MatrixXd Z = io.Z();
  if (exclude_diagonal) Z.diagonal().setZero();
  std::vector<Eigen::Index> keep;
  std::vector<std::string> isolated;
  for (Eigen::Index i = 0; i < Z.rows(); ++i)
    if (Z.row(i).isZero(0) && Z.col(i).isZero(0))
      isolated.push_back(io.sectors()[static_cast<std::size_t>(i)]);
    else
      keep.push_back(i);
  std::string names;
  for (const std::string& s : isolated) names += (names.empty() ? "'" : ", '") + s + "'";
  if (!isolated.empty() && !drop)
    throw DataError((isolated.size() > 1 ? "industries " : "industry ") + names + " of table '" +
                    ctx.params().str("input") +
                    "' has no intermediate sales or purchases, so its patterns have no "
                    "correlation; drop it (drop_isolated = true or exclude)");
  if (!isolated.empty())
    ctx.log(LogLevel::kWarn,
            "dropped isolated industries (no intermediate sales or purchases): " + names);
  Block b{{}, Z(keep, keep), io.x()(keep)};
  for (const Eigen::Index i : keep) b.sectors.push_back(io.sectors()[static_cast<std::size_t>(i)]);
  return b;
}

/// \brief DataError naming every industry whose purchase (column of X) or sales (row of Y)
/// pattern is constant, when a correlation measure needs it.
void check_patterns(const Coefficients& c, const std::vector<Measure>& measures,
                    const std::vector<std::string>& sectors) {
  const bool purchase =
      std::count(measures.begin(), measures.end(), Measure::kPurchaseSimilarity) ||
      std::count(measures.begin(), measures.end(), Measure::kCrossSimilarity);
  const bool sales = std::count(measures.begin(), measures.end(), Measure::kSalesSimilarity) ||
                     std::count(measures.begin(), measures.end(), Measure::kCrossSimilarity);
  // Every pattern listed: the usual cause is a zero row or column (no intermediate sales, e.g.
  // public administration, or no purchases), and the user excludes them all at once.
  const auto check = [&](const Eigen::MatrixXd& m, const char* what, const char* zero) {
    std::string names;
    const std::vector<std::size_t> constant = constant_columns(m);
    for (const std::size_t i : constant)
      names += (names.empty() ? "'" : ", '") + sectors[i] +
               (m.col(ix(i)).isZero(0) ? "' (" + std::string(zero) + ")" : "'");
    if (!names.empty())
      throw DataError((constant.size() > 1 ? "industries " : "industry ") + names + ": constant " +
                      what +
                      " pattern (every share equal), so its correlations are undefined; set "
                      "undefined = \"skip\" or exclude it");
  };
  if (purchase) check(c.purchase, "purchase", "no intermediate purchases");
  if (sales) check(c.sales.transpose(), "sales", "no intermediate sales");
}

/// \brief The industries kept and their linkage matrix L, from the step's table and parameters.
struct Linkages {
  std::vector<std::string> sectors;
  Eigen::MatrixXd L;
};

Linkages linkages_of(const RunContext& ctx) {
  const Params& prm = ctx.params();
  const std::vector<Measure> measures = measures_of(prm.strings("measures"));
  const Block b = block_of(io_system(ctx), prm.str("intra_industry") == "exclude",
                           prm.boolean("drop_isolated"), ctx);
  const bool intermediate = prm.str("denominator") == "intermediate";
  const Coefficients c =
      coefficients(b.Z, intermediate ? Eigen::VectorXd(b.Z.colwise().sum().transpose()) : b.x,
                   intermediate ? Eigen::VectorXd(b.Z.rowwise().sum()) : b.x);
  const bool skip = prm.str("undefined") == "skip";
  if (!skip) check_patterns(c, measures, b.sectors);
  Linkages lk{b.sectors, linkage_matrix(c, measures, skip)};
  for (Eigen::Index i = 0; i < lk.L.rows(); ++i)
    for (Eigen::Index j = 0; j < lk.L.cols(); ++j)
      if (std::isnan(lk.L(i, j)))
        throw DataError("industries '" + lk.sectors[static_cast<std::size_t>(i)] + "' and '" +
                        lk.sectors[static_cast<std::size_t>(j)] +
                        "' have no defined linkage measure (constant patterns on both sides); "
                        "exclude one of them");
  return lk;
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Строит шаблоны отраслевых кластеров по таблице «затраты — выпуск» (Feser & "
       "Bergman)"},
      {p.description,
       "Feser & Bergman (2000): x_ij = z_ij / sum_k z_kj (доля промежуточных закупок j, "
       "купленная у i), y_ij = z_ij / sum_k z_ik (доля промежуточных продаж i, проданная"
       " j); L_ij = max[r(x_.i, x_.j), r(y_i., y_j.), r(x_.i, y_j.), r(y_i., x_.j)] "
       "(корреляции Пирсона по всем n отраслям, собственные потоки включены), L_ii = 1. "
       "Главные компоненты L: сохраняются собственные значения >= 1 (критерий Кайзера) "
       "или `factors` компонент; нагрузки = собственный вектор x sqrt(собственное "
       "значение); вращение варимакс с нормализацией Кайзера, как stats::varimax(eps = "
       "1e-5) в R; факторы упорядочены по объяснённой после вращения дисперсии, знак "
       "каждого выбран так, чтобы его наибольшая нагрузка была положительной. Отрасль — "
       "основной член шаблона, на который она нагружена сильнее всего, если эта нагрузка"
       " >= primary (0,60), и второстепенный член каждого шаблона, где её нагрузка >= "
       "secondary (0,35), если она не основной член.\n"
       "Источник: Feser, E. J. and Bergman, E. M. (2000), National industry cluster "
       "templates: a framework for applied regional cluster analysis, Regional Studies "
       "34(1), 1-19."},
      {"Templates: rotated loadings of each industry on each factor",
       "Шаблоны: повёрнутые нагрузки каждой отрасли на каждый фактор"},
  };
}

class FeserBergman final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "feser_bergman";
    p.version = "0.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Derives industry cluster templates from an input-output table (Feser & Bergman)";
    p.description =
        "Feser & Bergman (2000): x_ij = z_ij / sum_k z_kj (share of j's intermediate purchases "
        "bought from i), y_ij = z_ij / sum_k z_ik (share of i's intermediate sales sold to j); "
        "L_ij = max[r(x_.i, x_.j), r(y_i., y_j.), r(x_.i, y_j.), r(y_i., x_.j)] (Pearson "
        "correlations over all n industries, own flows included), L_ii = 1. Principal "
        "components of L: eigenvalues >= 1 kept (Kaiser) or `factors`; loadings = eigenvector "
        "x sqrt(eigenvalue); varimax with Kaiser normalisation as R's stats::varimax(eps = "
        "1e-5); factors ordered by the variance they explain after rotation, each signed so "
        "that its largest loading is positive. An industry is a primary member of the template "
        "on which it loads highest if that loading is >= primary (0.60), and a secondary member "
        "of every template where it loads >= secondary (0.35) without being primary.\n"
        "Reference: Feser, E. J. and Bergman, E. M. (2000), National industry cluster "
        "templates: a framework for applied regional cluster analysis, Regional Studies 34(1), "
        "1-19.";
    p.params = params();
    p.reads = {matrix_read("input", "symmetric input-output table (layout = \"matrix\")")};
    p.writes = writes();
    p.views = {ViewSpec::of(ViewKind::kMatrix, "<output>_loadings",
                            "Templates: rotated loadings of each industry on each factor")
                   .labels("industry")
                   .values("loading")
                   .across("factor")};
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    measures_of(ctx.params().strings("measures"));
    if (ctx.params().real("secondary") > ctx.params().real("primary"))
      throw ParamError("secondary", "secondary (" + format_number(ctx.params().real("secondary")) +
                                        ") is above primary (" +
                                        format_number(ctx.params().real("primary")) + ")");
  }

  void run(RunContext& ctx) const override {
    const Params& prm = ctx.params();
    const Linkages lk = linkages_of(ctx);
    const auto k = static_cast<std::size_t>(prm.integer("factors"));
    if (k > lk.sectors.size())
      throw ParamError("factors", std::to_string(k) + " factors asked for, but the table has " +
                                      std::to_string(lk.sectors.size()) + " industries");
    const Components pc = principal_components(lk.L, k);
    Eigen::VectorXd variance;
    const Eigen::MatrixXd loadings = order_and_sign(
        varimax(pc.loadings, prm.boolean("normalize"), prm.real("eps")).loadings, variance);
    write_templates(ctx, lk.sectors, assign(loadings, prm.real("primary"), prm.real("secondary")));
    write_l(ctx, lk.sectors, lk.L);
    write_loadings(ctx, lk.sectors, loadings);
    write_factors(ctx, pc.eigenvalues, variance);
  }

 private:
  static void write_templates(RunContext& ctx, const std::vector<std::string>& sectors,
                              const std::vector<Member>& members) {
    std::vector<std::int64_t> cluster;
    std::vector<std::string> industry, role;
    std::vector<double> loading;
    for (const Member& m : members) {
      cluster.push_back(static_cast<std::int64_t>(m.factor) + 1);
      industry.push_back(sectors[m.industry]);
      loading.push_back(m.loading);
      role.emplace_back(m.primary ? "primary" : "secondary");
    }
    OutputTable out = ctx.output();
    out.set("cluster", std::move(cluster))
        .set("industry", industry)
        .set("loading", std::move(loading));
    out.set("role", role);
    ctx.write(std::move(out));
  }

  static void write_l(RunContext& ctx, const std::vector<std::string>& sectors,
                      const Eigen::MatrixXd& L) {
    std::vector<std::string> a, b;
    std::vector<double> l;
    const std::size_t n = sectors.size();
    a.reserve(n * n);
    b.reserve(n * n);
    l.reserve(n * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j) {
          a.push_back(sectors[i]);
          b.push_back(sectors[j]);
          l.push_back(L(ix(i), ix(j)));
        }
    OutputTable out = ctx.output("<output>_l");
    out.set("industry_a", a).set("industry_b", b).set("l", std::move(l));
    ctx.write(std::move(out));
  }

  static void write_loadings(RunContext& ctx, const std::vector<std::string>& sectors,
                             const Eigen::MatrixXd& loadings) {
    std::vector<std::string> industry;
    std::vector<std::int64_t> factor;
    std::vector<double> loading;
    for (Eigen::Index i = 0; i < loadings.rows(); ++i)
      for (Eigen::Index f = 0; f < loadings.cols(); ++f) {
        industry.push_back(sectors[static_cast<std::size_t>(i)]);
        factor.push_back(f + 1);
        loading.push_back(loadings(i, f));
      }
    OutputTable out = ctx.output("<output>_loadings");
    out.set("industry", industry)
        .set("factor", std::move(factor))
        .set("loading", std::move(loading));
    ctx.write(std::move(out));
  }

  static void write_factors(RunContext& ctx, const Eigen::VectorXd& eigenvalues,
                            const Eigen::VectorXd& variance) {
    std::vector<std::int64_t> factor;
    std::vector<double> eigenvalue, var, share;
    const auto n = static_cast<double>(eigenvalues.size());
    for (Eigen::Index f = 0; f < variance.size(); ++f) {
      factor.push_back(f + 1);
      eigenvalue.push_back(eigenvalues(f));
      var.push_back(variance(f));
      share.push_back(variance(f) / n);
    }
    OutputTable out = ctx.output("<output>_factors");
    out.set("factor", std::move(factor)).set("eigenvalue", std::move(eigenvalue));
    out.set("variance", std::move(var)).set("variance_share", std::move(share));
    ctx.write(std::move(out));
  }
};

/// \brief Each column of m centred and scaled to unit norm; zero-variance columns become NaN.
Eigen::MatrixXd standardized_columns(const Eigen::MatrixXd& m) {
  Eigen::MatrixXd s = m.rowwise() - m.colwise().mean();
  for (Eigen::Index j = 0; j < s.cols(); ++j) {
    const double norm = s.col(j).norm();
    const double scale = m.col(j).cwiseAbs().maxCoeff();
    // Rounding leaves a constant column a norm of ~1e-17 x its values: treat that as constant.
    if (!(norm > 1e-12 * scale))
      s.col(j).setConstant(std::numeric_limits<double>::quiet_NaN());
    else
      s.col(j) /= norm;
  }
  return s;
}

}  // namespace

Coefficients coefficients(const Eigen::MatrixXd& Z, const Eigen::VectorXd& purchases,
                          const Eigen::VectorXd& sales) {
  const auto inverse = [](const Eigen::VectorXd& v) {
    return Eigen::VectorXd(v.unaryExpr([](double d) { return d != 0 ? 1 / d : 0.0; }));
  };
  return {Z * inverse(purchases).asDiagonal(), inverse(sales).asDiagonal() * Z};
}

std::vector<std::size_t> constant_columns(const Eigen::MatrixXd& m) {
  const Eigen::MatrixXd s = standardized_columns(m);
  std::vector<std::size_t> constant;
  for (Eigen::Index j = 0; j < s.cols(); ++j)
    if (s.rows() > 0 && std::isnan(s(0, j))) constant.push_back(static_cast<std::size_t>(j));
  return constant;
}

Eigen::MatrixXd column_correlations(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  const Eigen::MatrixXd sa = standardized_columns(a);
  if (&a == &b) return sa.transpose() * sa;
  return sa.transpose() * standardized_columns(b);
}

namespace {

/// \brief L = max(L, M) elementwise. A NaN in M (undefined) is skipped when `skip_undefined`,
/// else it makes L NaN for good.
void take_max(Eigen::MatrixXd& L, const Eigen::MatrixXd& M, bool skip_undefined) {
  L = L.binaryExpr(M, [skip_undefined](double l, double m) {
    if (std::isnan(l)) return l;
    if (std::isnan(m)) return skip_undefined ? l : m;
    return std::max(l, m);
  });
}

}  // namespace

Eigen::MatrixXd linkage_matrix(const Coefficients& c, const std::vector<Measure>& measures,
                               bool skip_undefined) {
  const Eigen::MatrixXd& X = c.purchase;
  const Eigen::MatrixXd Yt = c.sales.transpose();  // sales patterns as columns
  const Eigen::Index n = X.rows();
  // -inf: no measure yet. With skip_undefined a pair stays NaN only if all its measures are.
  Eigen::MatrixXd L = Eigen::MatrixXd::Constant(n, n, -std::numeric_limits<double>::infinity());
  for (const Measure m : measures) switch (m) {
      case Measure::kPurchaseSimilarity:
        take_max(L, column_correlations(X, X), skip_undefined);
        break;
      case Measure::kSalesSimilarity:
        take_max(L, column_correlations(Yt, Yt), skip_undefined);
        break;
      case Measure::kCrossSimilarity: {
        const Eigen::MatrixXd r = column_correlations(X, Yt);  // r(x_.i, y_j.)
        take_max(L, r, skip_undefined);
        take_max(L, r.transpose(), skip_undefined);  // r(y_i., x_.j)
        break;
      }
      case Measure::kDirectPurchases:
        take_max(L, X, false);
        take_max(L, X.transpose(), false);
        break;
      case Measure::kDirectSales:
        take_max(L, c.sales, false);
        take_max(L, c.sales.transpose(), false);
        break;
    }
  L = L.unaryExpr(
      [](double l) { return std::isinf(l) ? std::numeric_limits<double>::quiet_NaN() : l; });
  L.diagonal().setOnes();
  return L;
}

namespace {

/// \brief Eigenvalues (ascending) and eigenvectors of the symmetric matrix L. With LAPACKE (the
/// default build) LAPACK's dsyevr, as R's eigen(symmetric = TRUE) calls (Eigen's
/// SelfAdjointEigenSolver maps to the slower dsyev); without it, SelfAdjointEigenSolver.
std::pair<Eigen::VectorXd, Eigen::MatrixXd> symmetric_eigen(const Eigen::MatrixXd& L) {
#ifdef EIGEN_USE_LAPACKE
  const auto n = static_cast<lapack_int>(L.rows());
  Eigen::MatrixXd a = L, vectors(L.rows(), L.rows());
  Eigen::VectorXd values(L.rows());
  std::vector<lapack_int> support(2 * static_cast<std::size_t>(L.rows()));
  lapack_int found = 0;
  if (LAPACKE_dsyevr(LAPACK_COL_MAJOR, 'V', 'A', 'L', n, a.data(), n, 0, 0, 0, 0, 0, &found,
                     values.data(), vectors.data(), n, support.data()) == 0 &&
      found == n)
    return {values, vectors};
#endif
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(L);
  return {es.eigenvalues(), es.eigenvectors()};
}

}  // namespace

Components principal_components(const Eigen::MatrixXd& L, std::size_t factors) {
  const auto [values, vectors] = symmetric_eigen(L);
  const Eigen::Index n = L.rows();
  Components pc;
  pc.eigenvalues = values.reverse();  // ascending from the solver
  Eigen::Index k = static_cast<Eigen::Index>(factors);
  if (k == 0)  // Kaiser: components that explain at least one industry's worth of variance
    while (k < n && pc.eigenvalues(k) >= 1) ++k;
  pc.loadings.resize(n, k);
  for (Eigen::Index f = 0; f < k; ++f)
    pc.loadings.col(f) = vectors.col(n - 1 - f) * std::sqrt(std::max(pc.eigenvalues(f), 0.0));
  return pc;
}

namespace {

/// \brief U V' from the SVD B = U S V' (the orthogonal polar factor), and the sum of the singular
/// values in `sum`. With LAPACKE (the default build) LAPACK's divide-and-conquer dgesdd, which R's
/// La.svd calls too; it is several times faster than Eigen's own SVD at a few hundred factors.
Eigen::MatrixXd polar_factor(const Eigen::MatrixXd& B, double& sum) {
#ifdef EIGEN_USE_LAPACKE
  const auto n = static_cast<lapack_int>(B.rows());
  Eigen::MatrixXd a = B, u(B.rows(), B.rows()), vt(B.rows(), B.rows());
  Eigen::VectorXd s(B.rows());
  if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'A', n, n, a.data(), n, s.data(), u.data(), n, vt.data(),
                     n) == 0) {
    sum = s.sum();
    return u * vt;
  }  // not converged: Eigen's SVD below
#endif
  const Eigen::BDCSVD<Eigen::MatrixXd> svd(B, Eigen::ComputeFullU | Eigen::ComputeFullV);
  sum = svd.singularValues().sum();
  return svd.matrixU() * svd.matrixV().transpose();
}

}  // namespace

Rotation varimax(const Eigen::MatrixXd& loadings, bool normalize, double eps) {
  const Eigen::Index p = loadings.rows(), nc = loadings.cols();
  Rotation r{loadings, Eigen::MatrixXd::Identity(nc, nc), 0};
  if (nc < 2) return r;
  Eigen::VectorXd sc = Eigen::VectorXd::Ones(p);
  if (normalize) sc = loadings.rowwise().norm().unaryExpr([](double s) { return s > 0 ? s : 1.0; });
  const Eigen::MatrixXd x = sc.cwiseInverse().asDiagonal() * loadings;
  double d = 0;
  for (int i = 1; i <= 1000; ++i) {
    r.iterations = i;
    const Eigen::MatrixXd z = x * r.rotation;
    const Eigen::RowVectorXd colsq = z.array().square().colwise().sum();
    const Eigen::MatrixXd B = x.transpose() * (z.array().cube().matrix() -
                                               z * colsq.asDiagonal() / static_cast<double>(p));
    const double dpast = d;
    r.rotation = polar_factor(B, d);
    if (d < dpast * (1 + eps)) break;
  }
  r.loadings = sc.asDiagonal() * (x * r.rotation);
  return r;
}

Eigen::MatrixXd order_and_sign(const Eigen::MatrixXd& loadings, Eigen::VectorXd& variance) {
  const Eigen::VectorXd v = loadings.array().square().colwise().sum().transpose();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(v.size()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return v(a) > v(b); });
  Eigen::MatrixXd out(loadings.rows(), loadings.cols());
  variance.resize(v.size());
  for (Eigen::Index f = 0; f < v.size(); ++f) {
    const Eigen::Index from = order[static_cast<std::size_t>(f)];
    Eigen::Index top = 0;
    loadings.col(from).cwiseAbs().maxCoeff(&top);
    out.col(f) = loadings(top, from) < 0 ? Eigen::VectorXd(-loadings.col(from))
                                         : Eigen::VectorXd(loadings.col(from));
    variance(f) = v(from);
  }
  return out;
}

std::vector<Member> assign(const Eigen::MatrixXd& loadings, double primary, double secondary) {
  std::vector<Member> members;
  for (Eigen::Index i = 0; i < loadings.rows(); ++i) {
    Eigen::Index best = 0;
    const double top = loadings.row(i).maxCoeff(&best);
    for (Eigen::Index f = 0; f < loadings.cols(); ++f) {
      const bool is_primary = f == best && top >= primary;
      if (is_primary || loadings(i, f) >= secondary)
        members.push_back(
            {static_cast<std::size_t>(f), static_cast<std::size_t>(i), loadings(i, f), is_primary});
    }
  }
  std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return a.factor != b.factor ? a.factor < b.factor : a.loading > b.loading;
  });
  return members;
}

}  // namespace klaster::plugins::feser_bergman

KLASTER_PLUGIN(klaster::plugins::feser_bergman::FeserBergman)
