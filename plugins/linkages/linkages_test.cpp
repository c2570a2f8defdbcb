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
