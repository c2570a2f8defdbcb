#include <gtest/gtest.h>

#include <string>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/testing.hpp"
#include "leontief_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace leontief = klaster::plugins::leontief;

namespace {

std::string data(const std::string& rel) {
  return std::string(KLASTER_SOURCE_DIR) + "/data/io/" + rel;
}

Table miller_blair() {
  return klaster::sdk::read_matrix_csv(data("miller_blair/mb_table_2_3.csv"));
}
Table germany() {
  return klaster::sdk::read_matrix_csv(data("germany_1995/germany_1995_siot_wide.csv"),
                                       "row_label");
}
Table germany_published() {
  return klaster::sdk::read_csv(
      data("germany_1995/germany_1995_published_multipliers.csv"),
      {{"sector", klaster::sdk::ColumnType::kString},
       {"output_multiplier_recomputed", klaster::sdk::ColumnType::kFloat}});
}
/// The published Miller & Blair numbers (quantity, row, sector1, sector2) as shipped.
double mb_expected(const std::string& quantity, const std::string& row, const std::string& column) {
  const Table t = klaster::sdk::read_csv(data("miller_blair/mb_table_2_3_expected.csv"),
                                         {{"quantity", klaster::sdk::ColumnType::kString},
                                          {"row", klaster::sdk::ColumnType::kString},
                                          {"sector1", klaster::sdk::ColumnType::kFloat},
                                          {"sector2", klaster::sdk::ColumnType::kFloat}});
  return value_at(t, column, {{"quantity", quantity}, {"row", row}});
}

/// A long matrix table from rows of a dense block with labels.
Table square(const std::vector<std::string>& labels, const std::vector<std::vector<double>>& rows,
             const std::vector<double>& output) {
  std::vector<std::string> r, c;
  std::vector<double> v;
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j) {
      r.push_back(labels[i]);
      c.push_back(labels[j]);
      v.push_back(rows[i][j]);
    }
  for (std::size_t j = 0; j < output.size(); ++j) {
    r.push_back("P1");
    c.push_back(labels[j]);
    v.push_back(output[j]);
  }
  return Table({Column::make_strings("row", r), Column::make_strings("column", c),
                Column::make_floats("value", v)});
}

std::map<std::string, Value> mb_params() {
  return {{"input", std::string("io")}, {"total_output", std::string("total_output")}};
}

}  // namespace

// Miller & Blair (2009), Table 2.3 transactions and Table 2.4 coefficients; Leontief inverse of the
// ch. 2 example (eq. 2.14): L = [1.2541 0.3300; 0.2640 1.1221].
TEST(Leontief, MillerBlairTable2_3) {
  auto params = mb_params();
  params["write_inverse"] = true;
  params["write_coefficients"] = true;
  auto out = run_step(params, {{"io", miller_blair()}});
  const Table& A = out.at("step_coefficients");
  const Table& L = out.at("step_inverse");
  for (std::string i : {"sector1", "sector2"})
    for (std::string j : {"sector1", "sector2"}) {
      EXPECT_NEAR(value_at(A, "value", {{"row", i}, {"column", j}}), mb_expected("A", i, j), 1e-12)
          << i << j;
      EXPECT_NEAR(value_at(L, "value", {{"row", i}, {"column", j}}), mb_expected("L", i, j), 1e-6)
          << i << j;
    }
  // Output multipliers (column sums of L) 1.51815, 1.45215 as recorded with the example.
  const Table& m = out.at("step");
  EXPECT_NEAR(value_at(m, "output_multiplier", {{"sector", "sector1"}}), 1.51815, 5e-6);
  EXPECT_NEAR(value_at(m, "output_multiplier", {{"sector", "sector2"}}), 1.45215, 5e-6);
  EXPECT_EQ(m.rows(), 2u);  // the total_output row and column are not a sector
}

// Miller & Blair (2009) sec. 2.3: for new final demand f = (600, 1500), x = L f = (1247.525,
// 1841.584).
TEST(Leontief, MillerBlairNewOutputForNewFinalDemand) {
  klaster::sdk::IoOptions o;
  o.total_output = "total_output";
  const auto io =
      klaster::sdk::IoSystem::from_matrix(klaster::sdk::matrix_from_long(miller_blair()), o);
  const LeontiefSolver leontief(io.technical_coefficients(), io.sectors());
  const Eigen::VectorXd x = leontief.solve(Eigen::Vector2d(600, 1500));
  EXPECT_NEAR(x(0), 1247.525, 5e-4);
  EXPECT_NEAR(x(1), 1841.584, 5e-4);
  EXPECT_NEAR(x(0), mb_expected("x_new_for_f_new_600_1500", "total", "sector1"), 0.05);
  // The table's own final demand reproduces its output: L f = x.
  EXPECT_NEAR((leontief.solve(io.f()) - io.x()).norm(), 0.0, 1e-9);
}

// Eurostat Manual of Supply, Use and Input-Output Tables (2008), Table 15.4 (Germany 1995): output
// multipliers 1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782.
TEST(Leontief, Germany1995OutputMultipliers) {
  auto out = run_step({{"input", std::string("de")}}, {{"de", germany()}});
  const Table& m = out.at("step");
  ASSERT_EQ(m.rows(), 6u);
  const std::vector<std::pair<std::string, double>> published{
      {"CPA_A", 1.7048},   {"CPA_B-E", 1.8413}, {"CPA_F", 1.8136},
      {"CPA_G-I", 1.6035}, {"CPA_J-N", 1.5951}, {"CPA_O-T", 1.3782}};
  const Table shipped = germany_published();
  for (const auto& [sector, value] : published) {
    const double got = value_at(m, "output_multiplier", {{"sector", sector}});
    EXPECT_NEAR(got, value, 5e-5) << sector;
    EXPECT_NEAR(got, value_at(shipped, "output_multiplier_recomputed", {{"sector", sector}}), 5e-5);
  }
}

// Identities: m = 1 + direct + indirect; the written inverse satisfies L (I - A) = I and its column
// sums are the multipliers; Ghosh G = x^-1 L x (Miller & Blair eq. 12.9).
TEST(Leontief, InverseAndGhoshIdentitiesGermany1995) {
  auto out = run_step({{"input", std::string("de")},
                       {"write_inverse", true},
                       {"write_coefficients", true},
                       {"ghosh", true}},
                      {{"de", germany()}});
  const auto L = klaster::sdk::matrix_from_long(out.at("step_inverse"));
  const auto A = klaster::sdk::matrix_from_long(out.at("step_coefficients"));
  const auto G = klaster::sdk::matrix_from_long(out.at("step_ghosh_inverse"));
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(6, 6);
  EXPECT_LT((L.values * (I - A.values) - I).cwiseAbs().maxCoeff(), 1e-12);
  const Table& m = out.at("step");
  klaster::sdk::IoOptions o;
  const auto io = klaster::sdk::IoSystem::from_matrix(klaster::sdk::matrix_from_long(germany()), o);
  for (std::size_t j = 0; j < 6; ++j) {
    const std::string s = L.col_labels[j];
    const double mult = value_at(m, "output_multiplier", {{"sector", s}});
    EXPECT_NEAR(mult, L.values.col(static_cast<Eigen::Index>(j)).sum(), 1e-12);
    EXPECT_NEAR(
        mult, 1 + value_at(m, "direct", {{"sector", s}}) + value_at(m, "indirect", {{"sector", s}}),
        1e-12);
    EXPECT_GT(value_at(m, "indirect", {{"sector", s}}), 0);
    EXPECT_NEAR(value_at(m, "ghosh_multiplier", {{"sector", s}}),
                G.values.row(static_cast<Eigen::Index>(j)).sum(), 1e-12);
  }
  const Eigen::MatrixXd G_from_L =
      io.x().cwiseInverse().asDiagonal() * L.values * io.x().asDiagonal();
  EXPECT_LT((G.values - G_from_L).cwiseAbs().maxCoeff(), 1e-10);
}

// Croatia 2010 (DZS via Eurostat): rows CPA_C29, columns C29; the CPA_TOTAL/TOTAL pair must go.
TEST(Leontief, Croatia2010WithRowPrefix) {
  const Table hr =
      klaster::sdk::read_matrix_csv(data("croatia_2010/croatia_2010_1700_wide.csv"), "row_label");
  const std::string no_prefix = error_message<DataError>([&] {
    run_step({{"input", std::string("hr")}}, {{"hr", hr}});
  });
  EXPECT_FALSE(is_other_exception(no_prefix)) << no_prefix;
  EXPECT_NE(no_prefix.find("row_prefix"), std::string::npos) << no_prefix;
  const std::string total_kept = error_message<DataError>([&] {
    run_step({{"input", std::string("hr")}, {"row_prefix", std::string("CPA_")}}, {{"hr", hr}});
  });
  EXPECT_FALSE(is_other_exception(total_kept)) << total_kept;
  EXPECT_NE(total_kept.find("'CPA_TOTAL'"), std::string::npos) << total_kept;
  EXPECT_NE(total_kept.find("looks like a total"), std::string::npos) << total_kept;
  // CPA_U (extraterritorial organisations) has an output of 1.2e-7 that is all intermediate input.
  const std::string cpa_u_kept = error_message<DataError>([&] {
    run_step({{"input", std::string("hr")},
              {"row_prefix", std::string("CPA_")},
              {"exclude", std::vector<std::string>{"CPA_TOTAL"}}},
             {{"hr", hr}});
  });
  EXPECT_FALSE(is_other_exception(cpa_u_kept)) << cpa_u_kept;
  EXPECT_NE(cpa_u_kept.find("CPA_U (1)"), std::string::npos) << cpa_u_kept;
  auto out = run_step({{"input", std::string("hr")},
                       {"row_prefix", std::string("CPA_")},
                       {"exclude", std::vector<std::string>{"CPA_TOTAL", "CPA_U"}}},
                      {{"hr", hr}});
  const Table& m = out.at("step");
  EXPECT_EQ(m.rows(), 64u);
  const double c29 = value_at(m, "output_multiplier", {{"sector", "CPA_C29"}});
  EXPECT_GT(c29, 1.0);
  EXPECT_LT(c29, 3.0);
  // The explicit mapping form gives the same sector.
  auto out2 = run_step({{"input", std::string("hr")},
                        {"row_prefix", std::string("CPA_")},
                        {"mapping", std::vector<std::string>{"CPA_C29=C29"}},
                        {"sectors", std::vector<std::string>{"CPA_C29", "C28", "CPA_G45"}}},
                       {{"hr", hr}});
  EXPECT_EQ(out2.at("step").rows(), 3u);
  EXPECT_GT(value_at(out2.at("step"), "output_multiplier", {{"sector", "CPA_C29"}}), 1.0);
}

// Netherlands 2000 (Spicosa teaching table): TOTAL is both a row and a column; excluded, the
// table's own final demand columns reproduce output_bp through L.
TEST(Leontief, Netherlands2000FinalDemandColumnsReproduceOutput) {
  const Table nl =
      klaster::sdk::read_matrix_csv(data("netherlands_2000/netherlands_2000_siot_wide.csv"));
  klaster::sdk::IoOptions o;
  o.exclude = {"TOTAL"};
  o.total_output = "output_bp";
  o.final_demand = {"final_consumption_private", "final_consumption_government",
                    "gross_fixed_capital_formation", "exports"};
  const auto io = klaster::sdk::IoSystem::from_matrix(klaster::sdk::matrix_from_long(nl), o);
  ASSERT_EQ(io.size(), 6u);
  const LeontiefSolver leontief(io.technical_coefficients(), io.sectors());
  const Eigen::VectorXd x = leontief.solve(io.f());
  for (Eigen::Index i = 0; i < 6; ++i)
    EXPECT_NEAR(x(i) / io.x()(i), 1.0, 1e-3) << io.sectors()[static_cast<std::size_t>(i)];
}

// ---------------------------------------------------------------------------------------------
// Bad input: each message names the sector or cell and says what to do.

TEST(Leontief, NonProductiveSystemNamesTheSector) {
  // A = [0.5 0.9; 0.3 0.6] has spectral radius 1.07; sector B buys 150 of inputs for 100 of output.
  const Table t = square({"A", "B"}, {{50, 90}, {30, 60}}, {100, 100});
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")}}, {{"t", t}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("not productive"), std::string::npos) << msg;
  EXPECT_NE(msg.find("B (1.5)"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("A ("), std::string::npos) << msg;
}

TEST(Leontief, SingularSystemIsReported) {
  // a_11 = 1: (I - A) has a zero column.
  const Table t = square({"A", "B"}, {{100, 0}, {0, 50}}, {100, 100});
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")}}, {{"t", t}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("singular"), std::string::npos) << msg;
  EXPECT_NE(msg.find("A (1)"), std::string::npos) << msg;
}

TEST(Leontief, NegativeFlowNamesTheCell) {
  const Table t = square({"A", "B"}, {{10, -5}, {20, 30}}, {100, 100});
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")}}, {{"t", t}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("(A, B) = -5"), std::string::npos) << msg;
  // Allowed on request.
  EXPECT_NO_THROW(
      run_step({{"input", std::string("t")}, {"allow_negative_flows", true}}, {{"t", t}}));
}

TEST(Leontief, ZeroOutputWithInputs) {
  const Table t = square({"A", "B"}, {{10, 5}, {20, 30}}, {100, 0});
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")}}, {{"t", t}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("sector 'B' has zero total output but buys inputs"), std::string::npos) << msg;
}

TEST(Leontief, UnknownSectorIsAParamErrorWithSuggestion) {
  const ThrownParamError sectors = param_error([&] {
    run_step(
        {{"input", std::string("de")}, {"sectors", std::vector<std::string>{"CPA_A", "CPA_B-F"}}},
        {{"de", germany()}});
  });
  EXPECT_EQ(sectors.param, "sectors") << sectors.message;
  EXPECT_NE(sectors.message.find("CPA_B-F"), std::string::npos) << sectors.message;
  EXPECT_NE(sectors.message.find("did you mean"), std::string::npos) << sectors.message;
  const ThrownParamError total_output = param_error([&] {
    run_step({{"input", std::string("de")}, {"total_output", std::string("Output")}},
             {{"de", germany()}});
  });
  EXPECT_EQ(total_output.param, "total_output") << total_output.message;
  EXPECT_NE(total_output.message.find("row 'Output'"), std::string::npos) << total_output.message;
}

TEST(Leontief, MismatchedLabelsOfASquareTable) {
  Table t({Column::make_strings("row", {"A", "A", "B", "B"}),
           Column::make_strings("column", {"X", "Y", "X", "Y"}),
           Column::make_floats("value", {1, 2, 3, 4})});
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")},
              {"final_demand", std::vector<std::string>{"Y"}},
              {"total_output", std::string("")}},
             {{"t", t}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("no row label"), std::string::npos) << msg;
  EXPECT_NE(msg.find("table 't'"), std::string::npos) << msg;
}

// The read spec (matrix_read) rejects it at validation and says how to declare a matrix table.
TEST(Leontief, NotAMatrixTableIsRejectedAtBind) {
  Table t({Column::make_strings("sector", {"A"}), Column::make_floats("value", {1})});
  const ThrownParamError e = param_error([&] {
    run_step({{"input", std::string("t")}}, {{"t", t}});
  });
  EXPECT_EQ(e.param, "input") << e.message;
  EXPECT_NE(e.message.find("has no column 'row'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("layout = \"matrix\""), std::string::npos) << e.message;
}

// ---------------------------------------------------------------------------------------------
// The kernel on plain matrices.

// Miller & Blair (2009), Table 2.4: A = [0.15 0.25; 0.20 0.05]. By hand, det(I - A) = 0.85 * 0.95 -
// 0.25 * 0.20 = 0.7575 and L = [0.95 0.25; 0.20 0.85] / 0.7575, so the output multipliers (column
// sums of L, eq. 6.2) are 1.15 / 0.7575 and 1.10 / 0.7575; direct = column sums of A = 0.35, 0.30;
// indirect = m - 1 - direct.
TEST(LeontiefKernel, MillerBlairTable2_4Multipliers) {
  Eigen::MatrixXd A(2, 2);
  A << 0.15, 0.25, 0.20, 0.05;
  const auto m = leontief::output_multipliers(A, LeontiefSolver(A, {"s1", "s2"}));
  EXPECT_NEAR(m.multiplier(0), 1.15 / 0.7575, 1e-12);
  EXPECT_NEAR(m.multiplier(1), 1.10 / 0.7575, 1e-12);
  EXPECT_NEAR(m.direct(0), 0.35, 1e-15);
  EXPECT_NEAR(m.direct(1), 0.30, 1e-15);
  EXPECT_NEAR(m.indirect(0), 1.15 / 0.7575 - 1.35, 1e-12);
  EXPECT_NEAR(m.indirect(1), 1.10 / 0.7575 - 1.30, 1e-12);
}

// One sector buying a = 0.2 of its own output per unit: L = 1 / (1 - a) = 1.25, the geometric
// series 1 + a + a^2 + ... (Miller & Blair 2009, sec. 2.4); direct 0.2, indirect 0.05.
TEST(LeontiefKernel, OneSectorGeometricSeries) {
  const Eigen::MatrixXd A = Eigen::MatrixXd::Constant(1, 1, 0.2);
  const auto m = leontief::output_multipliers(A, LeontiefSolver(A, {"s"}));
  EXPECT_NEAR(m.multiplier(0), 1.25, 1e-15);
  EXPECT_NEAR(m.direct(0), 0.2, 1e-15);
  EXPECT_NEAR(m.indirect(0), 0.05, 1e-15);
}
