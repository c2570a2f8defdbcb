#include <gtest/gtest.h>

#include <string>

#include "io_impact_kernel.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace io_impact = klaster::plugins::io_impact;

namespace {

std::string data(const std::string& rel) {
  return std::string(KLASTER_SOURCE_DIR) + "/data/io/" + rel;
}
Table germany() {
  return klaster::sdk::read_matrix_csv(data("germany_1995/germany_1995_siot_wide.csv"),
                                       "row_label");
}
Table change(const std::vector<std::string>& sectors, const std::vector<double>& delta) {
  return Table({Column::make_strings("sector", sectors), Column::make_floats("delta", delta)});
}
double mb_expected(const std::string& quantity, const std::string& column) {
  const Table t = klaster::sdk::read_csv(data("miller_blair/mb_table_2_3_expected.csv"),
                                         {{"quantity", ColumnType::kString},
                                          {"sector1", ColumnType::kFloat},
                                          {"sector2", ColumnType::kFloat}});
  return value_at(t, column, {{"quantity", quantity}});
}

}  // namespace

// Miller & Blair (2009) sec. 2.3: final demand (350, 1700) -> (600, 1500) gives output
// (1247.525, 1841.584); with labour coefficients (0.3, 0.25) labour becomes (374.25, 460.4)
// (the example as encoded in pymrio's tests, shipped in mb_table_2_3_expected.csv).
TEST(IoImpact, MillerBlairNewFinalDemand) {
  const Table mb = klaster::sdk::read_matrix_csv(data("miller_blair/mb_table_2_3.csv"));
  const Table labour({Column::make_strings("sector", {"sector1", "sector2"}),
                      Column::make_floats("employment", {0.3 * 1000, 0.25 * 2000})});
  const auto out = run_step({{"input", std::string("mb")},
                             {"total_output", std::string("total_output")},
                             {"demand_change", std::string("df")},
                             {"compensation_row", std::string("")},
                             {"gva_row", std::string("value_added")},
                             {"employment_table", std::string("labour")}},
                            {{"mb", mb},
                             {"df", change({"sector1", "sector2"}, {600 - 350, 1500 - 1700})},
                             {"labour", labour}});
  const Table& t = out.at("step");
  EXPECT_NEAR(1000 + value_at(t, "output_total", {{"sector", "sector1"}}), 1247.525, 5e-4);
  EXPECT_NEAR(2000 + value_at(t, "output_total", {{"sector", "sector2"}}), 1841.584, 5e-4);
  EXPECT_NEAR(1000 + value_at(t, "output_total", {{"sector", "sector1"}}),
              mb_expected("x_new_for_f_new_600_1500", "sector1"), 0.05);
  EXPECT_NEAR(300 + value_at(t, "employment_total", {{"sector", "sector1"}}),
              mb_expected("labour_total_for_x_new", "sector1"), 0.01);
  EXPECT_NEAR(500 + value_at(t, "employment_total", {{"sector", "sector2"}}),
              mb_expected("labour_total_for_x_new", "sector2"), 0.01);
  // Direct part is the demand change itself; direct + indirect = total for Type I.
  EXPECT_DOUBLE_EQ(value_at(t, "output_direct", {{"sector", "sector1"}}), 250);
  EXPECT_NEAR(value_at(t, "output_direct", {{"sector", "sector2"}}) +
                  value_at(t, "output_indirect", {{"sector", "sector2"}}),
              value_at(t, "output_total", {{"sector", "sector2"}}), 1e-9);
  const Table& totals = out.at("step_totals");
  EXPECT_NEAR(value_at(totals, "total", {{"quantity", "output"}}), 1247.525 + 1841.584 - 3000,
              1e-3);
  // compensation_row = "": no income columns or row (README, "Reads and writes").
  EXPECT_EQ(t.find("income_total"), nullptr);
  EXPECT_EQ(totals.rows(), 3u);  // output, employment, gva
}

// One unit of final demand for CPA_A in Germany 1995 sets off the published multipliers
// (Eurostat manual 2008, Table 15.4): output 1.7048, GVA 0.8450, employment 0.0326.
TEST(IoImpact, Germany1995UnitShockGivesPublishedMultipliers) {
  const auto out = run_step({{"input", std::string("de")}, {"demand_change", std::string("df")}},
                            {{"de", germany()}, {"df", change({"CPA_A"}, {1.0})}});
  const Table& totals = out.at("step_totals");
  EXPECT_NEAR(value_at(totals, "total", {{"quantity", "output"}}), 1.7048, 5e-5);
  EXPECT_NEAR(value_at(totals, "total", {{"quantity", "gva"}}), 0.8450, 5e-5);
  EXPECT_NEAR(value_at(totals, "total", {{"quantity", "employment"}}), 0.0326, 5e-5);
  EXPECT_DOUBLE_EQ(value_at(totals, "direct", {{"quantity", "output"}}), 1.0);
}

// Type II: parts add up, induced effects are positive, effects are linear in df, and repeated
// sectors in the change table are summed.
TEST(IoImpact, TypeIIPartsAddUpAndScaleLinearly) {
  const std::map<std::string, Value> params{{"input", std::string("de")},
                                            {"demand_change", std::string("df")},
                                            {"type", std::string("II")}};
  const auto one =
      run_step(params, {{"de", germany()}, {"df", change({"CPA_F", "CPA_B-E"}, {100, 50})}});
  const auto two = run_step(
      params, {{"de", germany()}, {"df", change({"CPA_F", "CPA_F", "CPA_B-E"}, {150, 50, 100})}});
  const Table& t = one.at("step");
  double sum = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::map<std::string, std::string> key{
        {"sector", std::string(t.column("sector").str(r))}};
    for (std::string q : {"output", "income", "employment", "gva"}) {
      EXPECT_NEAR(value_at(t, q + "_total", key),
                  value_at(t, q + "_direct", key) + value_at(t, q + "_indirect", key) +
                      value_at(t, q + "_induced", key),
                  1e-9);
      EXPECT_GT(value_at(t, q + "_induced", key), 0);
      EXPECT_NEAR(value_at(two.at("step"), q + "_total", key), 2 * value_at(t, q + "_total", key),
                  1e-9);
    }
    sum += value_at(t, "employment_total", key);
  }
  EXPECT_NEAR(value_at(one.at("step_totals"), "total", {{"quantity", "employment"}}), sum, 1e-12);
}

TEST(IoImpact, UnknownSectorInDemandChange) {
  const ThrownParamError e = param_error([&] {
    run_step({{"input", std::string("de")}, {"demand_change", std::string("df")}},
             {{"de", germany()}, {"df", change({"CPA_G-J"}, {1.0})}});
  });
  EXPECT_EQ(e.param, "demand_change") << e.message;
  EXPECT_NE(e.message.find("CPA_G-J"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("did you mean 'CPA_G-I'"), std::string::npos) << e.message;
}

// Type II closes households through compensation and household consumption (Miller & Blair 2009,
// eq. 6.20): without either it is a parameter error at validation (bind), as in `multipliers`,
// not a failure of the run.
TEST(IoImpact, TypeIIWithoutHouseholdsIsAParameterError) {
  for (const char* param : {"household_column", "compensation_row"}) {
    const ThrownParamError e = param_error([&] {
      run_step({{"input", std::string("de")},
                {"demand_change", std::string("df")},
                {"type", std::string("II")},
                {param, std::string("")}},
               {{"de", germany()}, {"df", change({"CPA_F"}, {1.0})}});
    });
    EXPECT_EQ(e.param, param) << e.message;
  }
}

// ---------------------------------------------------------------------------------------------
// The kernel on plain vectors.

// Miller & Blair (2009) sec. 2.3 by hand: L = [0.95 0.25; 0.20 0.85] / 0.7575 and Δf = (250, -200)
// give Δx = L Δf = (0.95 * 250 - 0.25 * 200, 0.20 * 250 - 0.85 * 200) / 0.7575 = (187.5, -120) /
// 0.7575. With labour coefficients k = (0.3, 0.25) the labour change is k_i Δx_i = (56.25, -30) /
// 0.7575 = (74.26, -39.60), of which k_i Δf_i = (75, -50) is direct.
TEST(IoImpactKernel, MillerBlairLabourByHand) {
  const Eigen::Vector2d k(0.3, 0.25), df(250, -200);
  const Eigen::Vector2d dx(187.5 / 0.7575, -120 / 0.7575);
  const auto parts = io_impact::impact_parts(k, df, dx, {});
  EXPECT_NEAR(parts.direct(0), 75, 1e-12);
  EXPECT_NEAR(parts.direct(1), -50, 1e-12);
  EXPECT_NEAR(parts.indirect(0), 0.3 * (187.5 / 0.7575 - 250), 1e-12);
  EXPECT_NEAR(parts.total(0), 56.25 / 0.7575, 1e-12);
  EXPECT_NEAR(parts.total(1), -30 / 0.7575, 1e-12);
  EXPECT_EQ(parts.induced.size(), 0);
}

// Type II with one sector (Miller & Blair 2009, eq. 6.20): a = 0.2, income per unit of output
// h = 0.3, household consumption share c = 0.5; (I - A*)^-1 = [1 0.5; 0.3 0.8] / 0.65, so Δf = 10
// gives Δx* = 10 / 0.65 against L Δf = 10 / 0.8 = 12.5. Income parts (k = h): direct 3, indirect
// 0.3 * 2.5, induced 0.3 * (10 / 0.65 - 12.5), total 3 / 0.65.
TEST(IoImpactKernel, TypeIIOneSectorByHand) {
  const Eigen::MatrixXd A = Eigen::MatrixXd::Constant(1, 1, 0.2);
  const Eigen::VectorXd h = Eigen::VectorXd::Constant(1, 0.3);
  const LeontiefSolver closed(close_households(A, h, Eigen::VectorXd::Constant(1, 0.5)),
                              {"s", "households"});
  const Eigen::VectorXd df = Eigen::VectorXd::Constant(1, 10);
  const Eigen::VectorXd dx2 = io_impact::type2_output_change(closed, df);
  EXPECT_NEAR(dx2(0), 10 / 0.65, 1e-12);
  const auto income = io_impact::impact_parts(h, df, Eigen::VectorXd::Constant(1, 12.5), dx2);
  EXPECT_NEAR(income.direct(0), 3, 1e-12);
  EXPECT_NEAR(income.indirect(0), 0.75, 1e-12);
  EXPECT_NEAR(income.induced(0), 0.3 * (10 / 0.65 - 12.5), 1e-12);
  EXPECT_NEAR(income.total(0), 3 / 0.65, 1e-12);
}

// Repeated sectors in a demand-change table add up: 150 and 50 for the third sector, 100 for the
// first, none for the second.
TEST(IoImpactKernel, RepeatedSectorsAreSummed) {
  const Eigen::VectorXd df = io_impact::sum_by_sector(3, {2, 2, 0}, {150, 50, 100});
  EXPECT_EQ(df, Eigen::VectorXd(Eigen::Vector3d(100, 0, 200)));
}
