#include <gtest/gtest.h>

#include <string>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/testing.hpp"
#include "linkages_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace linkages = klaster::plugins::linkages;

namespace {

std::string data(const std::string& rel) {
  return std::string(KLASTER_SOURCE_DIR) + "/data/io/" + rel;
}
Table germany() {
  return klaster::sdk::read_matrix_csv(data("germany_1995/germany_1995_siot_wide.csv"),
                                       "row_label");
}
Table miller_blair() {
  return klaster::sdk::read_matrix_csv(data("miller_blair/mb_table_2_3.csv"));
}
/// Miller & Blair (2009) Table 2.4, A = [0.15 0.25; 0.20 0.05], inverted by hand: det(I - A) =
/// 0.85 * 0.95 - 0.25 * 0.20 = 0.7575, L = [0.95 0.25; 0.20 0.85] / 0.7575.
Eigen::MatrixXd mb_L_by_hand() {
  Eigen::MatrixXd L(2, 2);
  L << 0.95, 0.25, 0.20, 0.85;
  return L / 0.7575;
}

double mb_L(const std::string& row, const std::string& column) {
  const Table t = klaster::sdk::read_csv(data("miller_blair/mb_table_2_3_expected.csv"),
                                         {{"quantity", ColumnType::kString},
                                          {"row", ColumnType::kString},
                                          {"sector1", ColumnType::kFloat},
                                          {"sector2", ColumnType::kFloat}});
  return value_at(t, column, {{"quantity", "L"}, {"row", row}});
}

}  // namespace

// Rasmussen indices of the Miller & Blair (2009) ch. 2 example from its published Leontief inverse
// (eq. 12.17-12.18): backward_j = n colsum_j / sum(L), forward_i = n rowsum_i / sum(L).
TEST(Linkages, MillerBlairRasmussenFromPublishedInverse) {
  const Table t = run_step({{"input", std::string("mb")},
                            {"total_output", std::string("total_output")},
                            {"forward", std::string("leontief")}},
                           {{"mb", miller_blair()}})
                      .at("step");
  const double l11 = mb_L("sector1", "sector1"), l12 = mb_L("sector1", "sector2");
  const double l21 = mb_L("sector2", "sector1"), l22 = mb_L("sector2", "sector2");
  const double total = l11 + l12 + l21 + l22;
  EXPECT_NEAR(value_at(t, "backward", {{"sector", "sector1"}}), 2 * (l11 + l21) / total, 2e-6);
  EXPECT_NEAR(value_at(t, "backward", {{"sector", "sector2"}}), 2 * (l12 + l22) / total, 2e-6);
  EXPECT_NEAR(value_at(t, "forward", {{"sector", "sector1"}}), 2 * (l11 + l12) / total, 2e-6);
  EXPECT_NEAR(value_at(t, "forward", {{"sector", "sector2"}}), 2 * (l21 + l22) / total, 2e-6);
  // Direct linkages: column sums of A (0.35, 0.30) and row sums of B = x^-1 Z (650/1000, 300/2000).
  EXPECT_NEAR(value_at(t, "direct_backward", {{"sector", "sector1"}}), 0.35, 1e-12);
  EXPECT_NEAR(value_at(t, "direct_backward", {{"sector", "sector2"}}), 0.30, 1e-12);
  EXPECT_NEAR(value_at(t, "direct_forward", {{"sector", "sector1"}}), 0.65, 1e-12);
  EXPECT_NEAR(value_at(t, "direct_forward", {{"sector", "sector2"}}), 0.15, 1e-12);
}

// Complete extraction in the two-sector example: without sector 1, sector 2 alone produces
// f_2 / (1 - a_22) = 1700 / 0.95; without sector 2, sector 1 produces 350 / 0.85 (Miller & Blair
// 2009, 12.2.6). Total output with both is 3000.
TEST(Linkages, MillerBlairHypotheticalExtractionByHand) {
  const auto out = run_step({{"input", std::string("mb")},
                             {"total_output", std::string("total_output")},
                             {"write_extraction", true}},
                            {{"mb", miller_blair()}});
  const Table& t = out.at("step");
  EXPECT_NEAR(value_at(t, "extraction_loss", {{"sector", "sector1"}}), 3000 - 1700 / 0.95, 1e-9);
  EXPECT_NEAR(value_at(t, "extraction_loss", {{"sector", "sector2"}}), 3000 - 350 / 0.85, 1e-9);
  EXPECT_NEAR(value_at(t, "extraction_share", {{"sector", "sector2"}}), (3000 - 350 / 0.85) / 3000,
              1e-12);
  const Table& per = out.at("step_extraction");
  EXPECT_NEAR(value_at(per, "loss", {{"extracted", "sector1"}, {"sector", "sector1"}}), 1000, 1e-9);
  EXPECT_NEAR(value_at(per, "loss", {{"extracted", "sector1"}, {"sector", "sector2"}}),
              2000 - 1700 / 0.95, 1e-9);
}

// Germany 1995: both indices average 1; key_sector agrees with the class; extraction from the
// block-inverse formula equals re-solving the economy without the sector.
TEST(Linkages, Germany1995PropertiesAndExtractionByResolving) {
  for (std::string fwd : {"ghosh", "leontief"}) {
    const auto out =
        run_step({{"input", std::string("de")}, {"forward", fwd}, {"write_extraction", true}},
                 {{"de", germany()}});
    const Table& t = out.at("step");
    ASSERT_EQ(t.rows(), 6u);
    double sb = 0, sf = 0;
    for (std::size_t r = 0; r < 6; ++r) {
      sb += t.column("backward").floats[r];
      sf += t.column("forward").floats[r];
      const bool key = t.column("key_sector").floats[r] == 1.0;
      EXPECT_EQ(key, t.column("linkage_class").str(r) == "key");
      EXPECT_EQ(key, t.column("backward").floats[r] > 1 && t.column("forward").floats[r] > 1);
      EXPECT_GT(t.column("cv_backward").floats[r], 0);
    }
    EXPECT_NEAR(sb / 6, 1.0, 1e-12) << fwd;
    EXPECT_NEAR(sf / 6, 1.0, 1e-12) << fwd;

    klaster::sdk::IoOptions o;
    const auto io =
        klaster::sdk::IoSystem::from_matrix(klaster::sdk::matrix_from_long(germany()), o);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::VectorXd x = (Eigen::MatrixXd::Identity(6, 6) - A).lu().solve(io.f());
    for (Eigen::Index k = 0; k < 6; ++k) {
      std::vector<Eigen::Index> keep;
      for (Eigen::Index i = 0; i < 6; ++i)
        if (i != k) keep.push_back(i);
      Eigen::MatrixXd Ar(5, 5);
      Eigen::VectorXd fr(5);
      for (Eigen::Index a = 0; a < 5; ++a) {
        fr(a) = io.f()(keep[static_cast<std::size_t>(a)]);
        for (Eigen::Index b = 0; b < 5; ++b)
          Ar(a, b) = A(keep[static_cast<std::size_t>(a)], keep[static_cast<std::size_t>(b)]);
      }
      const Eigen::VectorXd xr = (Eigen::MatrixXd::Identity(5, 5) - Ar).lu().solve(fr);
      const std::string s = io.sectors()[static_cast<std::size_t>(k)];
      EXPECT_NEAR(value_at(t, "extraction_loss", {{"sector", s}}) / (x.sum() - xr.sum()), 1.0,
                  1e-10)
          << s;
      const std::string other = io.sectors()[static_cast<std::size_t>(keep[0])];
      EXPECT_NEAR(
          value_at(out.at("step_extraction"), "loss", {{"extracted", s}, {"sector", other}}),
          x(keep[0]) - xr(0), 1e-6 * x(keep[0]));
    }
  }
}

TEST(Linkages, UnknownForwardVariantIsRejected) {
  EXPECT_THROW(run_step({{"input", std::string("de")}, {"forward", std::string("ghost")}},
                        {{"de", germany()}}),
               klaster::sdk::ParamError);
}

// ---------------------------------------------------------------------------------------------
// The kernel on plain matrices.

// Rasmussen indices (Miller & Blair 2009, eqs. 12.17-12.18) of L = [0.95 0.25; 0.20 0.85] / 0.7575:
// sum(L) = 2.25 / 0.7575, column sums 1.15 and 1.10, row sums 1.20 and 1.05 (all / 0.7575), so
// backward = 2 * 1.15 / 2.25 = 46/45 and 44/45, forward (rows of L) = 2 * 1.2 / 2.25 = 16/15 and
// 14/15. Sector 1 is a key sector, sector 2 weak.
TEST(LinkagesKernel, MillerBlairRasmussenIndicesByHand) {
  const Eigen::MatrixXd L = mb_L_by_hand();
  const auto d = linkages::dispersion(L, L);
  EXPECT_NEAR(d.backward(0), 46.0 / 45, 1e-12);
  EXPECT_NEAR(d.backward(1), 44.0 / 45, 1e-12);
  EXPECT_NEAR(d.forward(0), 16.0 / 15, 1e-12);
  EXPECT_NEAR(d.forward(1), 14.0 / 15, 1e-12);
  EXPECT_STREQ(linkages::linkage_class(d.backward(0), d.forward(0)), "key");
  EXPECT_STREQ(linkages::linkage_class(d.backward(1), d.forward(1)), "weak");
  EXPECT_STREQ(linkages::linkage_class(1.1, 0.9), "backward");
  EXPECT_STREQ(linkages::linkage_class(0.9, 1.1), "forward");
  // Column 1 of L is (0.95, 0.20) / 0.7575: sample sd |0.95 - 0.20| / sqrt(2), mean 1.15 / 2, so
  // cv = (0.75 / sqrt(2)) / 0.575.
  EXPECT_NEAR(d.cv_backward(0), 0.75 / std::sqrt(2.0) / 0.575, 1e-12);
}

// The coefficient of variation with the sample sd (n - 1), as Rasmussen (1956): (1, 2, 3) has mean
// 2 and sd 1, so cv = 0.5; a single row or a zero mean gives 0.
TEST(LinkagesKernel, CoefficientOfVariation) {
  Eigen::MatrixXd m(3, 2);
  m << 1, 0, 2, 0, 3, 0;
  const Eigen::VectorXd cv = linkages::column_cv(m);
  EXPECT_NEAR(cv(0), 0.5, 1e-15);
  EXPECT_EQ(cv(1), 0.0);
  EXPECT_EQ(linkages::column_cv(Eigen::MatrixXd::Constant(1, 1, 4.0))(0), 0.0);
}

// Direct linkages of Miller & Blair's Table 2.3 (Z = [150 500; 200 100], x = (1000, 2000)):
// column sums of A = 0.35, 0.30; row sums of B = x^-1 Z = 650/1000, 300/2000.
TEST(LinkagesKernel, MillerBlairDirectLinkages) {
  Eigen::MatrixXd A(2, 2), B(2, 2);
  A << 0.15, 0.25, 0.20, 0.05;
  B << 0.15, 0.50, 0.10, 0.05;
  const auto direct = linkages::direct_linkages(A, B);
  EXPECT_NEAR(direct.backward(0), 0.35, 1e-15);
  EXPECT_NEAR(direct.backward(1), 0.30, 1e-15);
  EXPECT_NEAR(direct.forward(0), 0.65, 1e-15);
  EXPECT_NEAR(direct.forward(1), 0.15, 1e-15);
}

// Complete extraction (Miller & Blair 2009, 12.2.6) for f = (350, 1700), x = (1000, 2000): without
// sector 1, sector 2 alone produces 1700 / (1 - a_22) = 1700 / 0.95; without sector 2, sector 1
// produces 350 / 0.85.
TEST(LinkagesKernel, MillerBlairExtractionByHand) {
  const auto e = linkages::hypothetical_extraction(mb_L_by_hand(), Eigen::Vector2d(350, 1700));
  EXPECT_NEAR(e.loss(0, 0), 1000, 1e-9);
  EXPECT_NEAR(e.loss(1, 0), 2000 - 1700 / 0.95, 1e-9);
  EXPECT_NEAR(e.loss(0, 1), 1000 - 350 / 0.85, 1e-9);
  EXPECT_NEAR(e.loss(1, 1), 2000, 1e-9);
  EXPECT_NEAR(e.total(0), 3000 - 1700 / 0.95, 1e-9);
  EXPECT_NEAR(e.total(1), 3000 - 350 / 0.85, 1e-9);
  EXPECT_NEAR(e.share(1), (3000 - 350 / 0.85) / 3000, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Partial hypothetical extraction and the field of influence.

namespace {

/// The hypothetical 3-sector table of reference_extraction_influence.R: Z by columns (10 15 20 |
/// 20 5 30 | 30 25 10), x = (100, 120, 150); returns A = Z x^-1.
Eigen::Matrix3d r_table_A(Eigen::Vector3d& x, Eigen::Vector3d& f, Eigen::Vector3d& v) {
  Eigen::Matrix3d Z;
  Z << 10, 20, 30, 15, 5, 25, 20, 30, 10;
  x << 100, 120, 150;
  f = x - Z.rowwise().sum();
  v = x - Z.colwise().sum().transpose();
  return Z * x.cwiseInverse().asDiagonal();
}

}  // namespace

// Miller & Blair's Table 2.3 (Z = [150 500; 200 100], x = (1000, 2000), f = (350, 1700), v = (650,
// 1400)), each extraction re-solved by hand:
// - column 1 of A zeroed: x2 = 1700 / 0.95, x1 = 350 + 0.25 x2, loss = 3000 - 350 - 1.25 * 1700 /
//   0.95; column 2: x1 = 350 / 0.85, x2 = 1700 + 0.2 x1, loss = 1300 - 1.2 * 350 / 0.85;
// - row 1 of A zeroed: x1 = 350, x2 = (1700 + 0.2 * 350) / 0.95; row 2: x2 = 1700, x1 = (350 + 0.25
//   * 1700) / 0.85;
// - Ghosh (B = [0.15 0.5; 0.1 0.05], x_j = v_j + sum_i x_i b_ij), row 1 of B zeroed: x2 = 1400 /
//   0.95, x1 = 650 + 0.1 x2; row 2: x1 = 650 / 0.85, x2 = 1400 + 0.5 x1;
// - column 1 of B zeroed: x1 = 650, x2 = (1400 + 0.5 * 650) / 0.95; column 2: x2 = 1400, x1 = (650
//   + 0.1 * 1400) / 0.85.
// (R's solve() on the same zeroed matrices gives 413.1579, 805.8824 | 786.8421, 388.2353 |
// 728.9474, 452.9412 | 534.2105, 670.5882.)
TEST(LinkagesKernel, MillerBlairPartialExtractionByHand) {
  const Eigen::MatrixXd L = mb_L_by_hand();
  const Eigen::Vector2d x(1000, 2000), f(350, 1700), v(650, 1400);
  Eigen::MatrixXd B(2, 2);
  B << 0.15, 0.50, 0.10, 0.05;
  const Eigen::MatrixXd G = (Eigen::MatrixXd::Identity(2, 2) - B).inverse();
  const Eigen::VectorXd lc = linkages::leontief_column_extraction(L, x);
  EXPECT_NEAR(lc(0), 3000 - 350 - 1.25 * 1700 / 0.95, 1e-9);
  EXPECT_NEAR(lc(1), 1300 - 1.2 * 350 / 0.85, 1e-9);
  const Eigen::VectorXd lr = linkages::leontief_row_extraction(L, x, f);
  EXPECT_NEAR(lr(0), 3000 - 350 - 1770 / 0.95, 1e-9);
  EXPECT_NEAR(lr(1), 3000 - 1700 - 775 / 0.85, 1e-9);
  const Eigen::VectorXd gr = linkages::ghosh_row_extraction(G, x);
  EXPECT_NEAR(gr(0), 3000 - (650 + 0.1 * 1400 / 0.95) - 1400 / 0.95, 1e-9);
  EXPECT_NEAR(gr(1), 3000 - 650 / 0.85 - (1400 + 0.5 * 650 / 0.85), 1e-9);
  const Eigen::VectorXd gc = linkages::ghosh_column_extraction(G, x, v);
  EXPECT_NEAR(gc(0), 3000 - 650 - 1725 / 0.95, 1e-9);
  EXPECT_NEAR(gc(1), 3000 - 1400 - 790 / 0.85, 1e-9);
}

// The 3-sector table of reference_extraction_influence.R; expected losses printed by that script
// (base R, each extraction re-solved with solve()).
TEST(LinkagesKernel, ThreeSectorPartialExtractionAgainstR) {
  Eigen::Vector3d x, f, v;
  const Eigen::Matrix3d A = r_table_A(x, f, v);
  const Eigen::MatrixXd L = (Eigen::Matrix3d::Identity() - A).inverse();
  const Eigen::Matrix3d B = x.cwiseInverse().asDiagonal() * A * x.asDiagonal();
  const Eigen::MatrixXd G = (Eigen::Matrix3d::Identity() - B).inverse();
  const Eigen::Vector3d lc(65.9609120521, 85.6666666667, 97.4626865672);
  const Eigen::Vector3d lr(88.3192182410, 71.0937500000, 88.6169154229);
  const Eigen::Vector3d gr(86.2866449511, 71.5000000000, 90.2985074627);
  const Eigen::Vector3d gc(75.3859934853, 80.3993055556, 92.8971807629);
  EXPECT_LT((linkages::leontief_column_extraction(L, x) - lc).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((linkages::leontief_row_extraction(L, x, f) - lr).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((linkages::ghosh_row_extraction(G, x) - gr).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((linkages::ghosh_column_extraction(G, x, v) - gc).cwiseAbs().maxCoeff(), 1e-9);
}

// Sonis & Hewings (1992): with F(i, j) = L_.i L_j., (I - A - e E_ij)^-1 = L + e / (1 - e l_ji)
// F(i, j). Checked on Miller & Blair's A = [0.15 0.25; 0.20 0.05] with e = 0.01 at a_12: the new
// inverse by hand is [0.95 0.26; 0.20 0.85] / (0.85 * 0.95 - 0.26 * 0.20) = [...] / 0.7555. This
// fixes the index order: column i, row j (the transposed product L_.j L_i. fails it).
TEST(LinkagesKernel, FieldOfInfluenceIsTheExactCoefficientChange) {
  const Eigen::MatrixXd L = mb_L_by_hand();
  Eigen::MatrixXd changed(2, 2);
  changed << 0.95, 0.26, 0.20, 0.85;
  changed /= 0.7555;
  const double e = 0.01;
  const Eigen::MatrixXd F = linkages::field_of_influence(L, 0, 1);
  EXPECT_LT((L + e / (1 - e * L(1, 0)) * F - changed).cwiseAbs().maxCoeff(), 1e-12);
  const Eigen::MatrixXd transposed = L.col(1) * L.row(0);
  EXPECT_GT((L + e / (1 - e * L(1, 0)) * transposed - changed).cwiseAbs().maxCoeff(), 1e-3);
}

// Total influence of the 2-sector example by hand: S_12 = sum_kl (l_k1 l_2l)^2 = (0.95^2 + 0.20^2)
// (0.20^2 + 0.85^2) / 0.7575^4; sum_abs S_12 = (0.95 + 0.20)(0.20 + 0.85) / 0.7575^2. And the
// 3-sector table against reference_extraction_influence.R (element-by-element sums in R).
TEST(LinkagesKernel, TotalInfluenceByHandAndAgainstR) {
  const Eigen::MatrixXd s2 =
      linkages::total_influence(mb_L_by_hand(), linkages::InfluenceMeasure::kSumSquares);
  EXPECT_NEAR(s2(0, 1), 0.9425 * 0.7625 / std::pow(0.7575, 4), 1e-12);
  const Eigen::MatrixXd s1 =
      linkages::total_influence(mb_L_by_hand(), linkages::InfluenceMeasure::kSumAbs);
  EXPECT_NEAR(s1(0, 1), 1.15 * 1.05 / std::pow(0.7575, 2), 1e-12);

  Eigen::Vector3d x, f, v;
  const Eigen::MatrixXd L = (Eigen::Matrix3d::Identity() - r_table_A(x, f, v)).inverse();
  Eigen::Matrix3d r_s2, r_abs;
  r_s2 << 2.87447867129, 2.46950285849, 2.88509866638, 2.65865080713, 2.28408226977, 2.66847340863,
      2.77569317809, 2.38463492739, 2.78594820215;
  r_abs << 3.34200638067, 3.01652402012, 3.46551531213, 3.36493229300, 3.03721714794, 3.48928848643,
      3.29319637378, 2.97246768347, 3.41490145716;
  const auto sq = linkages::total_influence(L, linkages::InfluenceMeasure::kSumSquares);
  const auto ab = linkages::total_influence(L, linkages::InfluenceMeasure::kSumAbs);
  EXPECT_LT((sq - r_s2).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((ab - r_abs).cwiseAbs().maxCoeff(), 1e-10);
}

// Through the plugin: the default variants (backward: column of A; forward: row of B) on Miller &
// Blair's table, with the hand numbers of MillerBlairPartialExtractionByHand, shares over 1'x =
// 3000; then the other variants.
TEST(Linkages, MillerBlairPartialExtractionColumns) {
  const Table t =
      run_step({{"input", std::string("mb")}, {"total_output", std::string("total_output")}},
               {{"mb", miller_blair()}})
          .at("step");
  const double back1 = 3000 - 350 - 1.25 * 1700 / 0.95,
               fwd2 = 3000 - 650 / 0.85 - 1400 - 325 / 0.85;
  EXPECT_NEAR(value_at(t, "backward_extraction_loss", {{"sector", "sector1"}}), back1, 1e-9);
  EXPECT_NEAR(value_at(t, "backward_extraction_share", {{"sector", "sector1"}}), back1 / 3000,
              1e-12);
  EXPECT_NEAR(value_at(t, "forward_extraction_loss", {{"sector", "sector2"}}), fwd2, 1e-9);
  EXPECT_NEAR(value_at(t, "forward_extraction_share", {{"sector", "sector2"}}), fwd2 / 3000, 1e-12);

  const Table o = run_step({{"input", std::string("mb")},
                            {"total_output", std::string("total_output")},
                            {"extraction_backward", std::string("ghosh")},
                            {"extraction_forward", std::string("leontief")}},
                           {{"mb", miller_blair()}})
                      .at("step");
  EXPECT_NEAR(value_at(o, "backward_extraction_loss", {{"sector", "sector1"}}),
              3000 - 650 - 1725 / 0.95, 1e-9);
  EXPECT_NEAR(value_at(o, "forward_extraction_loss", {{"sector", "sector1"}}),
              3000 - 350 - 1770 / 0.95, 1e-9);
}

// Germany 1995 (6 sectors): every partial extraction column equals re-solving the economy with
// the column / row zeroed (x = L f with f fixed, or x' = v'G with v = x - Z'1 fixed).
TEST(Linkages, Germany1995PartialExtractionByResolving) {
  klaster::sdk::IoOptions opt;
  const auto io =
      klaster::sdk::IoSystem::from_matrix(klaster::sdk::matrix_from_long(germany()), opt);
  const Eigen::MatrixXd A = io.technical_coefficients(), B = io.allocation_coefficients();
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(6, 6);
  const Eigen::VectorXd v = io.x() - io.Z().colwise().sum().transpose();
  const double x_leontief = (I - A).lu().solve(io.f()).sum(), x_ghosh = io.x().sum();
  for (std::string variant : {"leontief", "ghosh"}) {
    const Table t = run_step({{"input", std::string("de")},
                              {"extraction_backward", variant},
                              {"extraction_forward", variant}},
                             {{"de", germany()}})
                        .at("step");
    for (Eigen::Index k = 0; k < 6; ++k) {
      Eigen::MatrixXd col = variant == "leontief" ? A : B, row = col;
      col.col(k).setZero();
      row.row(k).setZero();
      const double back = variant == "leontief"
                              ? x_leontief - (I - col).lu().solve(io.f()).sum()
                              : x_ghosh - (I - col).transpose().lu().solve(v).sum();
      const double fwd = variant == "leontief"
                             ? x_leontief - (I - row).lu().solve(io.f()).sum()
                             : x_ghosh - (I - row).transpose().lu().solve(v).sum();
      const std::string s = io.sectors()[static_cast<std::size_t>(k)];
      EXPECT_NEAR(value_at(t, "backward_extraction_loss", {{"sector", s}}), back, 1e-9 * x_ghosh)
          << variant << " " << s;
      EXPECT_NEAR(value_at(t, "forward_extraction_loss", {{"sector", s}}), fwd, 1e-9 * x_ghosh)
          << variant << " " << s;
    }
  }
}

// The influence table only when asked; its values by hand for Miller & Blair (L from the table):
// S_12 = (l_11^2 + l_21^2)(l_21^2 + l_22^2) with L = [0.95 0.25; 0.20 0.85] / 0.7575.
TEST(Linkages, MillerBlairInfluenceTable) {
  const std::map<std::string, Value> base = {{"input", std::string("mb")},
                                             {"total_output", std::string("total_output")}};
  EXPECT_EQ(run_step(base, {{"mb", miller_blair()}}).count("step_influence"), 0u);
  auto params = base;
  params["field_of_influence"] = true;
  const Table t = run_step(params, {{"mb", miller_blair()}}).at("step_influence");
  ASSERT_EQ(t.rows(), 4u);
  EXPECT_NEAR(value_at(t, "influence", {{"from", "sector1"}, {"to", "sector2"}}),
              0.9425 * 0.7625 / std::pow(0.7575, 4), 1e-12);
  params["influence_measure"] = std::string("sum_abs");
  const Table a = run_step(params, {{"mb", miller_blair()}}).at("step_influence");
  EXPECT_NEAR(value_at(a, "influence", {{"from", "sector2"}, {"to", "sector1"}}),
              (0.25 + 0.85) * (0.95 + 0.25) / std::pow(0.7575, 2), 1e-12);
}

TEST(Linkages, UnknownExtractionOrInfluenceVariantIsRejected) {
  for (const char* p : {"extraction_backward", "extraction_forward", "influence_measure"})
    EXPECT_THROW(
        run_step({{"input", std::string("de")}, {p, std::string("both")}}, {{"de", germany()}}),
        klaster::sdk::ParamError)
        << p;
}
