#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "feser_bergman_kernel.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace fb = klaster::plugins::feser_bergman;

namespace {

const double kRoot3Half = std::sqrt(3.0) / 2;

// A 3 x 3 block worked by hand below: column sums (4, 8, 4), row sums (6, 4, 6).
Eigen::MatrixXd hand_z() {
  Eigen::MatrixXd Z(3, 3);
  Z << 0, 4, 2, 2, 0, 2, 2, 4, 0;
  return Z;
}
fb::Coefficients hand_coefficients() {
  const Eigen::MatrixXd Z = hand_z();
  return fb::coefficients(Z, Z.colwise().sum().transpose(), Z.rowwise().sum());
}

std::string here(const std::string& file) {
  return std::string(KLASTER_SOURCE_DIR) + "/plugins/feser_bergman/" + file;
}
std::string io_data(const std::string& file) {
  return std::string(KLASTER_SOURCE_DIR) + "/data/io/" + file;
}
Table two_chains() { return read_matrix_csv(here("two_chains.csv")); }
std::map<std::string, Value> two_chains_params() {
  return {{"input", std::string("io")}, {"total_output", std::string("total_output")}};
}

}  // namespace

// ---- kernel ---------------------------------------------------------------------------------

// Hand computation (Pearson correlation over the 3 industries) for Z = [0 4 2; 2 0 2; 2 4 0]:
// X columns (0, .5, .5), (.5, 0, .5), (.5, .5, 0): every pair centred has dot -1/12 and squared
// norms 1/6, r = -0.5. Y rows (0, 2/3, 1/3), (.5, 0, .5), (1/3, 2/3, 0): r(y1, y2) = (-1/6) /
// sqrt(2/9 * 1/6) = -sqrt(3)/2, r(y1, y3) = (1/9) / (2/9) = 0.5, r(y2, y3) = -sqrt(3)/2.
// Cross: r(x1, y2) = -0.5, r(x1, y3) = 0, r(x2, y1) = -sqrt(3)/2, r(x2, y3) = -sqrt(3)/2,
// r(x3, y1) = 0, r(x3, y2) = -0.5.
TEST(FeserBergmanKernel, CorrelationsByHand) {
  const fb::Coefficients c = hand_coefficients();
  EXPECT_NEAR(c.purchase(1, 0), 0.5, 1e-15);   // x_21 = 2 / 4
  EXPECT_NEAR(c.sales(0, 1), 2.0 / 3, 1e-15);  // y_12 = 4 / 6
  const Eigen::MatrixXd rxx = fb::column_correlations(c.purchase, c.purchase);
  const Eigen::MatrixXd ryy = fb::column_correlations(c.sales.transpose(), c.sales.transpose());
  const Eigen::MatrixXd rxy = fb::column_correlations(c.purchase, c.sales.transpose());
  EXPECT_NEAR(rxx(0, 1), -0.5, 1e-12);
  EXPECT_NEAR(rxx(1, 2), -0.5, 1e-12);
  EXPECT_NEAR(ryy(0, 1), -kRoot3Half, 1e-12);
  EXPECT_NEAR(ryy(0, 2), 0.5, 1e-12);
  EXPECT_NEAR(ryy(1, 2), -kRoot3Half, 1e-12);
  EXPECT_NEAR(rxy(0, 1), -0.5, 1e-12);
  EXPECT_NEAR(rxy(0, 2), 0.0, 1e-12);
  EXPECT_NEAR(rxy(1, 0), -kRoot3Half, 1e-12);
  EXPECT_NEAR(rxy(1, 2), -kRoot3Half, 1e-12);
  EXPECT_NEAR(rxy(2, 0), 0.0, 1e-12);
  EXPECT_NEAR(rxy(2, 1), -0.5, 1e-12);
}

// F&B's L = max of the four correlations, from the hand values above:
// L_12 = max(-.5, -.866, r(x1,y2) = -.5, r(y1,x2) = -.866) = -0.5; L_13 = max(-.5, .5, 0, 0) =
// 0.5; L_23 = max(-.5, -.866, -.866, r(y2,x3) = -.5) = -0.5.
TEST(FeserBergmanKernel, LinkageMatrixFeserBergman) {
  using M = fb::Measure;
  const Eigen::MatrixXd L =
      fb::linkage_matrix(hand_coefficients(),
                         {M::kPurchaseSimilarity, M::kSalesSimilarity, M::kCrossSimilarity}, false);
  EXPECT_NEAR(L(0, 1), -0.5, 1e-12);
  EXPECT_NEAR(L(0, 2), 0.5, 1e-12);
  EXPECT_NEAR(L(1, 2), -0.5, 1e-12);
  EXPECT_LT((L - L.transpose()).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_EQ(L.diagonal(), Eigen::Vector3d::Ones());
}

// With the direct shares as well (x_ij, x_ji, y_ij, y_ji, r_xx, r_yy): x_12 = 2/4... every x is
// 0.5 here; y_12 = 4/6, y_21 = 2/4, y_13 = y_31 = 2/6, y_23 = 2/4, y_32 = 4/6. So L_12 = 2/3,
// L_13 = max(.5, .5 = r_yy) = 0.5, L_23 = 2/3.
TEST(FeserBergmanKernel, LinkageMatrixWithDirectShares) {
  using M = fb::Measure;
  const Eigen::MatrixXd L = fb::linkage_matrix(
      hand_coefficients(),
      {M::kDirectPurchases, M::kDirectSales, M::kPurchaseSimilarity, M::kSalesSimilarity}, false);
  EXPECT_NEAR(L(0, 1), 2.0 / 3, 1e-12);
  EXPECT_NEAR(L(1, 0), 2.0 / 3, 1e-12);
  EXPECT_NEAR(L(0, 2), 0.5, 1e-12);
  EXPECT_NEAR(L(1, 2), 2.0 / 3, 1e-12);
}

// A zero column has no variance: its correlations are NaN, and constant_columns names it; with
// skip_undefined the maximum is taken over the defined measures.
TEST(FeserBergmanKernel, ConstantPatternIsUndefined) {
  Eigen::MatrixXd Z(3, 3);
  Z << 0, 4, 0, 2, 0, 0, 2, 4, 0;  // industry 3 buys nothing
  const fb::Coefficients c = fb::coefficients(Z, Z.colwise().sum().transpose(), Z.rowwise().sum());
  EXPECT_EQ(fb::constant_columns(c.purchase), std::vector<std::size_t>{2});
  EXPECT_TRUE(std::isnan(fb::column_correlations(c.purchase, c.purchase)(0, 2)));
  using M = fb::Measure;
  const std::vector<M> m = {M::kPurchaseSimilarity, M::kSalesSimilarity};
  EXPECT_TRUE(std::isnan(fb::linkage_matrix(c, m, false)(0, 2)));
  // Sales rows (0, 1, 0), (1, 0, 0), (1/3, 2/3, 0): r(y1, y3) by hand, centred (-1/3, 2/3, -1/3)
  // and (0, 1/3, -1/3): dot 1/3, squared norms 2/3 and 2/9 -> (1/3) / sqrt(4/27) = sqrt(3)/2.
  EXPECT_NEAR(fb::linkage_matrix(c, m, true)(0, 2), kRoot3Half, 1e-12);
}

// Against R 4.x: e <- eigen(cor(swiss), symmetric = TRUE);
// A <- e$vectors[, 1:3] %*% diag(sqrt(e$values[1:3])); varimax(A) (normalize = TRUE, eps = 1e-5)
// and varimax(A, normalize = FALSE); numbers printed with sprintf("%.15f").
TEST(FeserBergmanKernel, VarimaxMatchesR) {
  Eigen::Matrix<double, 6, 3, Eigen::RowMajor> A, r_norm, r_raw;
  A << -0.817453248035614, 0.351041672411074, 0.159979281945064, -0.758828397976712,
      -0.448588683930405, -0.035302349416489, 0.911803038471937, 0.136280181105001,
      0.083997972828412, 0.812666982195086, 0.195181046987564, -0.490151636009603,
      -0.626274068778667, 0.159015527589727, -0.742790839518840, -0.267721934664742,
      0.884246752344212, 0.147403084364586;
  r_norm << -0.628339096284174, 0.591212261479528, -0.269650664938630, -0.783375520978032,
      -0.215937309749009, -0.343500323422551, 0.781360463752966, -0.105365852822988,
      0.485166559967386, 0.952767511697942, -0.160663037737299, -0.072064889468152,
      -0.167876720799082, 0.143339452027216, -0.959434513981341, 0.028651637601949,
      0.932285678905419, -0.072921321866100;
  r_raw << -0.635996494397823, 0.564352851976476, -0.306704673463732, -0.757804055333376,
      -0.248789697397718, -0.377008356657622, 0.760797328648672, -0.070707041808712,
      0.522686011987750, 0.960339802331808, -0.126053844436419, -0.025095491551748,
      -0.127307480203711, 0.125909304973903, -0.968082140583897, -0.001956245231420,
      0.931801046536328, -0.083892820852023;
  EXPECT_LT((fb::varimax(A, true, 1e-5).loadings - r_norm).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((fb::varimax(A, false, 1e-5).loadings - r_raw).cwiseAbs().maxCoeff(), 1e-12);
  // One column: returned unchanged, as R does.
  EXPECT_EQ(fb::varimax(A.col(0), true, 1e-5).loadings, Eigen::MatrixXd(A.col(0)));
}

// L = [1 r; r 1] has eigenvalues 1 + r and 1 - r with eigenvectors (1, 1)/sqrt(2) and
// (1, -1)/sqrt(2) (by hand). r = 0.6: Kaiser keeps 1.6 only; its loadings are +-sqrt(1.6 / 2) =
// +-sqrt(0.8) on both industries.
TEST(FeserBergmanKernel, PrincipalComponentsOfTwoByTwo) {
  Eigen::Matrix2d L;
  L << 1, 0.6, 0.6, 1;
  const fb::Components pc = fb::principal_components(L, 0);
  EXPECT_NEAR(pc.eigenvalues(0), 1.6, 1e-14);
  EXPECT_NEAR(pc.eigenvalues(1), 0.4, 1e-14);
  ASSERT_EQ(pc.loadings.cols(), 1);
  EXPECT_NEAR(std::abs(pc.loadings(0, 0)), std::sqrt(0.8), 1e-14);
  EXPECT_NEAR(pc.loadings(1, 0), pc.loadings(0, 0), 1e-14);
  EXPECT_EQ(fb::principal_components(L, 2).loadings.cols(), 2);
}

// Ordering and signs by definition: column variances 0.5 and 1.3 -> swapped; the second column's
// largest |loading| is -1.1, so it is negated.
TEST(FeserBergmanKernel, OrderAndSign) {
  Eigen::MatrixXd m(2, 2);
  m << 0.5, -1.1, 0.5, 0.3;
  Eigen::VectorXd variance;
  const Eigen::MatrixXd o = fb::order_and_sign(m, variance);
  EXPECT_DOUBLE_EQ(o(0, 0), 1.1);
  EXPECT_DOUBLE_EQ(o(1, 0), -0.3);
  EXPECT_DOUBLE_EQ(o(0, 1), 0.5);
  EXPECT_NEAR(variance(0), 1.3, 1e-15);
  EXPECT_NEAR(variance(1), 0.5, 1e-15);
}

// F&B's rule: primary on the highest loading if >= 0.60, secondary wherever >= 0.35 otherwise.
// Row 1 (0.8, 0.4): primary in 1, secondary in 2. Row 2 (0.5, 0.1): highest 0.5 < 0.6 ->
// secondary in 1 only. Row 3 (0.65, 0.7): primary in 2 (its highest), secondary in 1.
TEST(FeserBergmanKernel, AssignPrimaryAndSecondary) {
  Eigen::MatrixXd m(3, 2);
  m << 0.8, 0.4, 0.5, 0.1, 0.65, 0.7;
  const std::vector<fb::Member> a = fb::assign(m, 0.60, 0.35);
  ASSERT_EQ(a.size(), 5u);
  EXPECT_TRUE(a[0].factor == 0 && a[0].industry == 0 && a[0].primary);
  EXPECT_TRUE(a[1].factor == 0 && a[1].industry == 2 && !a[1].primary);
  EXPECT_TRUE(a[2].factor == 0 && a[2].industry == 1 && !a[2].primary);
  EXPECT_TRUE(a[3].factor == 1 && a[3].industry == 2 && a[3].primary);
  EXPECT_TRUE(a[4].factor == 1 && a[4].industry == 0 && !a[4].primary);
}

// ---- plugin ---------------------------------------------------------------------------------

// End to end on plugins/feser_bergman/two_chains.csv (two supply chains A1-A3 and B1-B3 with small
// cross flows) against plugins/feser_bergman/check_feser_bergman.R
// (Rscript plugins/feser_bergman/check_feser_bergman.R plugins/feser_bergman/two_chains.csv row
// A1 A2 A3 B1 B2 B3): eigenvalues 3.82839853524343, 1.91205762552987 (2 kept by Kaiser); rotated
// loadings: factor 1 = B chain (B1 0.929986609635, B2 1.006510400327, B3 0.953935286181, A1
// -0.227810729179), factor 2 = A chain (A1 0.932740315121, A2 0.982546948652, A3
// 0.966830921145); variances 2.88846578915, 2.85199037162; L_A1,B1 = -0.388442275505.
TEST(FeserBergman, TwoChainsMatchR) {
  const auto out = run_step(two_chains_params(), {{"io", two_chains()}});
  const Table& f = out.at("step_factors");
  ASSERT_EQ(f.rows(), 2u);
  EXPECT_NEAR(value_at(f, "eigenvalue", {{"factor", "1"}}), 3.82839853524343, 1e-10);
  EXPECT_NEAR(value_at(f, "eigenvalue", {{"factor", "2"}}), 1.91205762552987, 1e-10);
  EXPECT_NEAR(value_at(f, "variance", {{"factor", "1"}}), 2.88846578915, 1e-9);
  EXPECT_NEAR(value_at(f, "variance_share", {{"factor", "2"}}), 2.85199037162 / 6, 1e-9);
  const Table& l = out.at("step_loadings");
  const auto loading = [&](const char* i, const char* f) {
    return value_at(l, "loading", {{"industry", i}, {"factor", f}});
  };
  EXPECT_NEAR(loading("B1", "1"), 0.929986609635, 1e-9);
  EXPECT_NEAR(loading("B2", "1"), 1.006510400327, 1e-9);
  EXPECT_NEAR(loading("B3", "1"), 0.953935286181, 1e-9);
  EXPECT_NEAR(loading("A1", "1"), -0.227810729179, 1e-9);
  EXPECT_NEAR(loading("A1", "2"), 0.932740315121, 1e-9);
  EXPECT_NEAR(loading("A2", "2"), 0.982546948652, 1e-9);
  EXPECT_NEAR(loading("A3", "2"), 0.966830921145, 1e-9);
  const Table& lt = out.at("step_l");
  EXPECT_EQ(lt.rows(), 30u);  // all ordered pairs of 6 distinct industries
  EXPECT_NEAR(value_at(lt, "l", {{"industry_a", "A1"}, {"industry_b", "B1"}}), -0.388442275505,
              1e-11);
  EXPECT_NEAR(value_at(lt, "l", {{"industry_a", "B1"}, {"industry_b", "A1"}}), -0.388442275505,
              1e-11);
  const Table& t = out.at("step");
  ASSERT_EQ(t.rows(), 6u);  // every industry primary in its chain, none secondary
  for (std::size_t r = 0; r < t.rows(); ++r) {
    EXPECT_EQ(t.column("role").str(r), "primary");
    EXPECT_EQ(t.column("cluster").to_text(r), t.column("industry").str(r)[0] == 'B' ? "1" : "2");
  }
  EXPECT_EQ(t.schema().names(),
            (std::vector<std::string>{"cluster", "industry", "loading", "role"}));
}

// Croatia 2010 SIOT (table 1700, 63 CPA products: without TOTAL, U and T) against
// check_feser_bergman.R (Rscript plugins/feser_bergman/check_feser_bergman.R croatia): 18
// factors by Kaiser, eigenvalues 17.67595900653478, 5.73432387610064, ..., 18th 1.04251248184877;
// template 9: C29 0.7996979583, C30 0.7460182030, C28 0.6884178195 primary, C25 0.5274239078 and
// C24 0.3900714814 secondary.
TEST(FeserBergman, CroatiaMatchesR) {
  const Table hr = read_matrix_csv(io_data("croatia_2010/croatia_2010_1700_wide.csv"), "row_label");
  const auto out = run_step({{"input", std::string("hr")},
                             {"row_prefix", std::string("CPA_")},
                             {"exclude", std::vector<std::string>{"CPA_TOTAL", "CPA_U", "CPA_T"}}},
                            {{"hr", hr}});
  const Table& f = out.at("step_factors");
  ASSERT_EQ(f.rows(), 18u);
  EXPECT_NEAR(value_at(f, "eigenvalue", {{"factor", "1"}}), 17.67595900653478, 1e-9);
  EXPECT_NEAR(value_at(f, "eigenvalue", {{"factor", "2"}}), 5.73432387610064, 1e-9);
  EXPECT_NEAR(value_at(f, "eigenvalue", {{"factor", "18"}}), 1.04251248184877, 1e-9);
  const Table& t = out.at("step");
  const auto member = [&](const char* industry) {
    return value_at(t, "loading", {{"cluster", "9"}, {"industry", industry}});
  };
  EXPECT_NEAR(member("CPA_C29"), 0.7996979583, 1e-7);
  EXPECT_NEAR(member("CPA_C30"), 0.7460182030, 1e-7);
  EXPECT_NEAR(member("CPA_C28"), 0.6884178195, 1e-7);
  EXPECT_NEAR(member("CPA_C25"), 0.5274239078, 1e-7);
  EXPECT_NEAR(member("CPA_C24"), 0.3900714814, 1e-7);
  std::size_t in_9 = 0;
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.column("cluster").to_text(r) == "9") {
      ++in_9;
      const std::string i(t.column("industry").str(r));
      EXPECT_EQ(t.column("role").str(r), i == "CPA_C25" || i == "CPA_C24" ? "secondary" : "primary")
          << i;
    }
  EXPECT_EQ(in_9, 5u);
}

// two_chains.csv with a 7th industry C1: `extra` (row, column, value) triples added.
Table two_chains_with(const std::vector<std::tuple<std::string, std::string, double>>& extra) {
  const Table t = two_chains();
  std::vector<std::string> row, column;
  std::vector<double> value;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    row.emplace_back(t.column("row").str(r));
    column.emplace_back(t.column("column").str(r));
    value.push_back(t.column("value").floats[r]);
  }
  for (const auto& [r, c, v] : extra) {
    row.push_back(r);
    column.push_back(c);
    value.push_back(v);
  }
  return Table({Column::make_strings("row", row), Column::make_strings("column", column),
                Column::make_floats("value", value)});
}

// An industry with neither intermediate sales nor purchases: a DataError naming it, or dropped
// with a warning when drop_isolated = true; then L is two_chains' (L_A1,B1 = -0.388442275505 from
// check_feser_bergman.R, see TwoChainsMatchR).
TEST(FeserBergman, IsolatedIndustry) {
  const Table t = two_chains_with({{"C1", "C1", 0}, {"total_output", "C1", 5}});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(two_chains_params(), {{"io", t}});
            }),
            "industry 'C1' of table 'io' has no intermediate sales or purchases, so its patterns "
            "have no correlation; drop it (drop_isolated = true or exclude)");
  std::vector<std::string> log;
  auto p = two_chains_params();
  p["drop_isolated"] = true;
  const auto out = run_step(p, {{"io", t}}, "step", collect_log(log));
  EXPECT_EQ(out.at("step_l").rows(), 30u);  // 6 industries left
  EXPECT_NEAR(value_at(out.at("step_l"), "l", {{"industry_a", "A1"}, {"industry_b", "B1"}}),
              -0.388442275505, 1e-11);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("'C1'"), std::string::npos) << log[0];
}

// An industry that sells (to A1) but buys nothing has a constant (zero) purchase pattern: named,
// unless undefined = "skip".
TEST(FeserBergman, ConstantPatternNamesTheIndustry) {
  const Table t = two_chains_with({{"C1", "A1", 5}, {"C1", "C1", 0}, {"total_output", "C1", 10}});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(two_chains_params(), {{"io", t}});
            }),
            "industry 'C1' (no intermediate purchases): constant purchase pattern (every share "
            "equal), so its correlations are undefined; set undefined = \"skip\" or exclude it");
  auto p = two_chains_params();
  p["undefined"] = std::string("skip");
  EXPECT_EQ(run_step(p, {{"io", t}}).at("step_l").rows(), 42u);
}

TEST(FeserBergman, ParameterErrors) {
  auto p = two_chains_params();
  p["measures"] = std::vector<std::string>{"purchase_similarity", "sale_similarity"};
  EXPECT_EQ(param_error([&] { run_step(p, {{"io", two_chains()}}); }).param, "measures");
  p = two_chains_params();
  p["secondary"] = 0.7;
  EXPECT_EQ(param_error([&] { run_step(p, {{"io", two_chains()}}); }).param, "secondary");
  p = two_chains_params();
  p["factors"] = std::int64_t{7};
  EXPECT_EQ(param_error([&] { run_step(p, {{"io", two_chains()}}); }).param, "factors");
}

// factors = 3 keeps three components whatever their eigenvalues (the third is 0.24361963171104
// in check_feser_bergman.R's output for two_chains.csv).
TEST(FeserBergman, FixedNumberOfFactors) {
  auto p = two_chains_params();
  p["factors"] = std::int64_t{3};
  const auto out = run_step(p, {{"io", two_chains()}});
  ASSERT_EQ(out.at("step_factors").rows(), 3u);
  EXPECT_NEAR(value_at(out.at("step_factors"), "eigenvalue", {{"factor", "3"}}), 0.24361963171104,
              1e-10);
  EXPECT_EQ(out.at("step_loadings").rows(), 18u);
}

// intra_industry = "exclude": own flows are set to zero before anything else, so the hand table
// with z_ii = 5 added gives the hand values of LinkageMatrixFeserBergman (L_12 = -0.5, L_13 = 0.5,
// L_23 = -0.5).
TEST(FeserBergman, IntraIndustryExcluded) {
  const Table t({Column::make_strings("row", {"S1", "S1", "S1", "S2", "S2", "S2", "S3", "S3", "S3",
                                              "P1", "P1", "P1"}),
                 Column::make_strings("column", {"S1", "S2", "S3", "S1", "S2", "S3", "S1", "S2",
                                                 "S3", "S1", "S2", "S3"}),
                 Column::make_floats("value", {5, 4, 2, 2, 5, 2, 2, 4, 5, 30, 30, 30})});
  const auto out = run_step(
      {{"input", std::string("io")}, {"intra_industry", std::string("exclude")}}, {{"io", t}});
  const Table& l = out.at("step_l");
  EXPECT_NEAR(value_at(l, "l", {{"industry_a", "S1"}, {"industry_b", "S2"}}), -0.5, 1e-12);
  EXPECT_NEAR(value_at(l, "l", {{"industry_a", "S1"}, {"industry_b", "S3"}}), 0.5, 1e-12);
  EXPECT_NEAR(value_at(l, "l", {{"industry_a", "S3"}, {"industry_b", "S2"}}), -0.5, 1e-12);
}

// denominator = "output" with the direct purchase shares only: x_ij = z_ij / x_j, every x_j = 200
// in two_chains.csv, so L_A1,A2 = max(60, 5) / 200 = 0.3 and L_A1,B1 = max(2, 1) / 200 = 0.01.
// (Pearson correlations do not change when a column or row is divided by a constant, so the
// denominator matters only for the direct measures.)
TEST(FeserBergman, DirectSharesOverOutput) {
  auto p = two_chains_params();
  p["denominator"] = std::string("output");
  p["measures"] = std::vector<std::string>{"direct_purchases"};
  p["factors"] = std::int64_t{2};
  const auto out = run_step(p, {{"io", two_chains()}});
  const Table& l = out.at("step_l");
  EXPECT_NEAR(value_at(l, "l", {{"industry_a", "A1"}, {"industry_b", "A2"}}), 0.3, 1e-15);
  EXPECT_NEAR(value_at(l, "l", {{"industry_a", "B1"}, {"industry_b", "A1"}}), 0.01, 1e-15);
}

// The BNS input-output table of Kazakhstan 2024 (data/kz, io_total: domestic + imported flows),
// without 84 and 87-88 (no intermediate sales) and 97-98 (no flows), against
// check_feser_bergman.R run as
//   Rscript plugins/feser_bergman/check_feser_bergman.R
//     data/kz/io_2024/kz_io_2024_use_bp_total.csv row_code <the 65 codes that are both a row and
//     a column, without 84, 87-88, 97-98>
// : 16 factors; motor vehicles (29) primary in template 15 (0.8328647664) with motor-vehicle trade
// and repair (45, 1.0007890957), secondary in template 1 (0.4915933810).
TEST(FeserBergman, KazakhstanTotal2024MatchesR) {
  const Table kz = read_matrix_csv(std::string(KLASTER_SOURCE_DIR) +
                                   "/data/kz/io_2024/kz_io_2024_use_bp_total.csv");
  const auto out = run_step(
      {{"input", std::string("kz")}, {"exclude", std::vector<std::string>{"84", "87-88", "97-98"}}},
      {{"kz", kz}});
  EXPECT_EQ(out.at("step_factors").rows(), 16u);
  const Table& t = out.at("step");
  EXPECT_NEAR(value_at(t, "loading", {{"cluster", "15"}, {"industry", "29"}}), 0.8328647664, 1e-8);
  EXPECT_NEAR(value_at(t, "loading", {{"cluster", "15"}, {"industry", "45"}}), 1.0007890957, 1e-8);
  EXPECT_NEAR(value_at(t, "loading", {{"cluster", "1"}, {"industry", "29"}}), 0.4915933810, 1e-8);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (t.column("industry").str(r) == "29") {
      EXPECT_EQ(t.column("role").str(r),
                t.column("cluster").to_text(r) == "15" ? "primary" : "secondary");
    }
  }
}
