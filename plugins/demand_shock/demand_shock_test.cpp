#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "demand_shock_kernel.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace demand_shock = klaster::plugins::demand_shock;

namespace {

// Miller & Blair (2009) Table 2.3: Z = [[150, 500], [200, 100]], f = (350, 1700), x = (1000, 2000).
Table miller_blair() {
  return read_matrix_csv(std::string(KLASTER_SOURCE_DIR) +
                         "/data/io/miller_blair/mb_table_2_3.csv");
}

std::map<std::string, Value> params(std::map<std::string, Value> extra) {
  std::map<std::string, Value> p = {{"input", std::string("io")},
                                    {"total_output", std::string("total_output")},
                                    {"final_demand", std::vector<std::string>{"final_demand"}}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

double at(const Table& t, const std::string& column, const std::string& sector) {
  return value_at(t, column, {{"sector", sector}});
}

}  // namespace

// Miller & Blair (2009) sec. 2.4 move final demand from f = (350, 1700) to f_new = (600, 1500):
// as a shock, Δf = (+250, -200).
TEST(DemandShock, MillerBlairNewFinalDemand) {
  const Table out = run_step(params({{"targets", std::vector<std::string>{"sector1", "sector2"}},
                                     {"amounts", std::vector<double>{250, -200}}}),
                             {{"io", miller_blair()}})
                        .at("step");
  EXPECT_EQ(out.schema().names(),
            (std::vector<std::string>{"sector", "delta", "final_demand", "final_demand_new"}));
  EXPECT_DOUBLE_EQ(at(out, "final_demand", "sector1"), 350);
  EXPECT_DOUBLE_EQ(at(out, "final_demand", "sector2"), 1700);
  EXPECT_DOUBLE_EQ(at(out, "final_demand_new", "sector1"), 600);
  EXPECT_DOUBLE_EQ(at(out, "final_demand_new", "sector2"), 1500);
  EXPECT_DOUBLE_EQ(at(out, "delta", "sector2"), -200);
}

// Relative: +10 % of sector1's final demand 350 is 35; sector2 is untouched (delta 0, f unchanged).
TEST(DemandShock, RelativeShockLeavesOtherSectorsAlone) {
  const Table out = run_step(params({{"targets", std::vector<std::string>{"sector1"}},
                                     {"amounts", std::vector<double>{0.1}},
                                     {"mode", std::string("relative")}}),
                             {{"io", miller_blair()}})
                        .at("step");
  EXPECT_NEAR(at(out, "delta", "sector1"), 35, 1e-12);
  EXPECT_EQ(at(out, "delta", "sector2"), 0.0);
  EXPECT_EQ(at(out, "final_demand_new", "sector2"), at(out, "final_demand", "sector2"));
}

// Relative to one final-demand column (exports P6 of Germany 1995, Eurostat manual Table 15.4):
// a 5 % export programme for CPA_B-E is 0.05 * 313711.
TEST(DemandShock, RelativeToExports) {
  const Table io = read_matrix_csv(
      std::string(KLASTER_SOURCE_DIR) + "/data/io/germany_1995/germany_1995_siot_wide.csv",
      "row_label");
  const Table out = run_step({{"input", std::string("io")},
                              {"targets", std::vector<std::string>{"CPA_B-E"}},
                              {"amounts", std::vector<double>{0.05}},
                              {"mode", std::string("relative")},
                              {"relative_to", std::string("P6")}},
                             {{"io", io}})
                        .at("step");
  EXPECT_NEAR(at(out, "delta", "CPA_B-E"), 0.05 * 313711, 1e-9);
  double total = 0;
  for (double d : out.column("delta").floats) total += d;
  EXPECT_NEAR(total, 0.05 * 313711, 1e-9);  // only the target moves
}

TEST(DemandShock, UnknownSectorIsNamed) {
  const ThrownParamError e = param_error([&] {
    run_step(params({{"targets", std::vector<std::string>{"sector3"}},
                     {"amounts", std::vector<double>{1}}}),
             {{"io", miller_blair()}});
  });
  EXPECT_EQ(e.param, "targets") << e.message;
  EXPECT_NE(e.message.find("sector3"), std::string::npos) << e.message;
}

TEST(DemandShock, AmountsMustMatchTargets) {
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step(params({{"targets", std::vector<std::string>{"sector1", "sector2"}},
                               {"amounts", std::vector<double>{1, 2, 3}}}),
                       {{"io", miller_blair()}});
            }),
            "'amounts' has 3 values for 2 targets; give one value or one per target");
}

TEST(DemandShock, RelativeCutBelowMinusOneIsAnError) {
  EXPECT_EQ(
      error_message<ParamError>([&] {
        run_step(params({{"targets", std::vector<std::string>{"sector1"}},
                         {"amounts", std::vector<double>{-1.5}},
                         {"mode", std::string("relative")}}),
                 {{"io", miller_blair()}});
      }),
      "relative amount -1.5 for sector 'sector1' would make its final demand negative (below -1)");
}

// The kernel on plain vectors: Miller & Blair (2009) sec. 2.4 move f = (350, 1700) to
// f_new = (600, 1500), so as absolute amounts Δf = (250, -200); relative +10 % of sector 1's final
// demand is 0.1 * 350 = 35 and leaves sector 2 at 0.
TEST(DemandShockKernel, MillerBlairAbsoluteAndRelative) {
  const Eigen::Vector2d f(350, 1700);
  const Eigen::VectorXd absolute =
      demand_shock::final_demand_change(2, {0, 1}, {250, -200}, f, false);
  EXPECT_EQ(absolute(0), 250);
  EXPECT_EQ(absolute(1), -200);
  EXPECT_EQ(f + absolute, Eigen::VectorXd(Eigen::Vector2d(600, 1500)));
  const Eigen::VectorXd relative = demand_shock::final_demand_change(2, {0}, {0.1}, f, true);
  EXPECT_NEAR(relative(0), 35, 1e-12);
  EXPECT_EQ(relative(1), 0.0);
}

// A target given out of table order gets its own amount: amounts follow the targets (-100 % of
// sector 2's 1700 removes it, 50 % of sector 1's 350 is 175).
TEST(DemandShockKernel, AmountsFollowTheTargets) {
  const Eigen::VectorXd d =
      demand_shock::final_demand_change(2, {1, 0}, {-1.0, 0.5}, Eigen::Vector2d(350, 1700), true);
  EXPECT_NEAR(d(0), 175, 1e-12);
  EXPECT_NEAR(d(1), -1700, 1e-12);
}
