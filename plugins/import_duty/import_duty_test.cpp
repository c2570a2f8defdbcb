#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "import_duty_kernel.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace import_duty = klaster::plugins::import_duty;
using import_duty::PriceChange;
using import_duty::Split;

namespace {

// Domestic use: product A bought by households HH 50, investment INV 30, inventories P52 -5;
// product B: HH 20, INV 0. Imports: A HH 50, INV 10, P52 -2; B HH 5, INV 0.
Table domestic() {
  LabelledMatrix m{{"A", "B"}, {"HH", "INV", "P52"}, Eigen::MatrixXd(2, 3)};
  m.values << 50, 30, -5, 20, 0, 0;
  return matrix_to_long(m);
}
Table imports() {
  LabelledMatrix m{{"A", "B"}, {"HH", "INV", "P52"}, Eigen::MatrixXd(2, 3)};
  m.values << 50, 10, -2, 5, 0, 0;
  return matrix_to_long(m);
}

std::map<std::string, Value> params(std::map<std::string, Value> extra) {
  std::map<std::string, Value> p = {{"input", std::string("d")},
                                    {"imports", std::string("m")},
                                    {"products", std::vector<std::string>{"A"}},
                                    {"columns", std::vector<std::string>{"HH", "INV"}},
                                    {"sigma", 2.0},
                                    {"duty_after", 0.1}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

std::map<std::string, Table> run(const std::map<std::string, Value>& p) {
  return run_step(p, {{"d", domestic()}, {"m", imports()}}, "duty");
}

}  // namespace

// Hand computation of g = 1 + pass_through ((1 + t1) / (1 + t0) + fee / price - 1).
TEST(ImportDutyKernel, PriceFactor) {
  EXPECT_DOUBLE_EQ(import_duty::import_price_factor({0, 0.1, 0, 1, 1}), 1.1);
  EXPECT_DOUBLE_EQ(import_duty::import_price_factor({0.1, 0.2, 0, 1, 1}), 1.2 / 1.1);
  // A fee of 300,000 on an average import price of 3,000,000 is +10 %.
  EXPECT_DOUBLE_EQ(import_duty::import_price_factor({0, 0, 300000, 3000000, 1}), 1.1);
  // Half of a 10 % increase passed on: +5 %.
  EXPECT_DOUBLE_EQ(import_duty::import_price_factor({0, 0.1, 0, 1, 0.5}), 1.05);
}

// The brief's case by hand from the Armington ratio: sigma = 2, duty 0 -> 10 %, M/D = 1:
// (M/D)' = 1.1^-2 = 0.826446...; with D + M = 100 fixed, M' = 100 / (1 + 1.21) = 45.248868...,
// D' = 121 / 2.21 = 54.751131..., so 4.751131 of imports switch to domestic production.
TEST(ImportDutyKernel, TenPercentDutySigmaTwo) {
  const Split s = import_duty::armington_split({50, 50}, 1.1, 2, 0);
  EXPECT_NEAR(s.imports / s.domestic, 1 / 1.21, 1e-15);
  EXPECT_NEAR(s.imports, 100 / 2.21, 1e-12);
  EXPECT_NEAR(s.domestic, 121 / 2.21, 1e-12);
  EXPECT_NEAR(s.domestic - 50, 50 - s.imports, 1e-12);  // total held fixed
}

// No price change or no substitution: nothing switches; a buyer of one variety is unchanged.
TEST(ImportDutyKernel, NoSwitchCases) {
  const Split none = import_duty::armington_split({30, 10}, 1.0, 2.8, 0);
  EXPECT_DOUBLE_EQ(none.domestic, 30);
  EXPECT_DOUBLE_EQ(none.imports, 10);
  const Split rigid = import_duty::armington_split({30, 10}, 1.1, 0, 0);
  EXPECT_DOUBLE_EQ(rigid.domestic, 30);
  EXPECT_DOUBLE_EQ(rigid.imports, 10);
  const Split only_imports = import_duty::armington_split({0, 10}, 1.1, 2, 0);
  EXPECT_EQ(only_imports.domestic, 0);
  EXPECT_EQ(only_imports.imports, 10);
}

// CES price index in value-share form (w_D + w_M g^(1 - sigma))^(1 / (1 - sigma)), by hand:
// sigma = 2, w_M = 0.5, g = 1.1: 1 / (0.5 + 0.5 / 1.1) = 1.1 / 1.05; sigma = 1: 1.1^0.5.
// With demand_elasticity 1 the total falls to 100 * 1.05 / 1.1 and M' = that / 2.21.
TEST(ImportDutyKernel, PriceIndexAndDemandElasticity) {
  EXPECT_NEAR(import_duty::ces_price_index(0.5, 1.1, 2), 1.1 / 1.05, 1e-15);
  EXPECT_NEAR(import_duty::ces_price_index(0.5, 1.1, 1), std::sqrt(1.1), 1e-15);
  const Split s = import_duty::armington_split({50, 50}, 1.1, 2, 1);
  EXPECT_NEAR(s.domestic + s.imports, 100 * 1.05 / 1.1, 1e-12);
  EXPECT_NEAR(s.imports, 100 * 1.05 / 1.1 / 2.21, 1e-12);
}

// Through the plugin, hand-computed cell by cell: HH (D 50, M 50) gains 121 / 2.21 - 50;
// INV (D 30, M 10) gains 40 / (1 + (10 / 30) / 1.21) - 30 = 1.360691...
TEST(ImportDuty, ShockTableByHand) {
  const auto out = run(params({}));
  const Table& shock = out.at("duty");
  const double hh = 121 / 2.21 - 50, inv = 40 / (1 + 10.0 / 30 / 1.21) - 30;
  EXPECT_NEAR(value_at(shock, "delta", {{"sector", "A"}}), hh + inv, 1e-9);
  EXPECT_NEAR(value_at(shock, "import_change", {{"sector", "A"}}), -(hh + inv), 1e-9);
  EXPECT_DOUBLE_EQ(value_at(shock, "domestic", {{"sector", "A"}}), 80);
  EXPECT_DOUBLE_EQ(value_at(shock, "imports", {{"sector", "A"}}), 60);
  EXPECT_EQ(shock.schema().names(),
            (std::vector<std::string>{"sector", "delta", "import_change", "domestic", "imports",
                                      "domestic_new", "imports_new"}));
  const Table& cells = out.at("duty_cells");
  EXPECT_NEAR(value_at(cells, "delta", {{"column", "INV"}}), inv, 1e-9);
  EXPECT_NEAR(value_at(cells, "import_ratio_new", {{"column", "HH"}}), 1 / 1.21, 1e-12);
  EXPECT_EQ(cells.rows(), 2u);
}

// A fee of 300 on an average import price of 3000 is the same +10 % as the duty.
TEST(ImportDuty, FeeAsShareOfImportPrice) {
  const auto out = run(params({{"duty_after", 0.0}, {"fee", 300.0}, {"import_price", 3000.0}}));
  EXPECT_NEAR(value_at(out.at("duty"), "delta", {{"sector", "A"}}),
              121 / 2.21 - 50 + 40 / (1 + 10.0 / 30 / 1.21) - 30, 1e-9);
}

// Zero duty change and sigma = 0 switch nothing.
TEST(ImportDuty, ZeroChangeZeroSwitch) {
  EXPECT_EQ(value_at(run(params({{"duty_after", 0.0}})).at("duty"), "delta", {{"sector", "A"}}),
            0.0);
  EXPECT_EQ(value_at(run(params({{"sigma", 0.0}})).at("duty"), "delta", {{"sector", "A"}}), 0.0);
}

// Kazakhstan 2024 (data/kz/io_2024, product 29, thousand KZT): households P3_S14 D 993,738,880,
// M 1,131,631,891; investment P51G D 1,110,841,916, M 1,667,039,840. Import price +10 %,
// sigma 2.8: 323,267,483.2 thousand KZT switch (the Armington formula in numpy-free Python:
// sum over the two cells of (D + M) / (1 + M / D * 1.1**-2.8) - D = 323267483.201308).
TEST(ImportDuty, KazakhMotorVehiclesTenPercent) {
  LabelledMatrix d{{"29"}, {"P3_S14", "P51G"}, Eigen::MatrixXd(1, 2)};
  LabelledMatrix m{{"29"}, {"P3_S14", "P51G"}, Eigen::MatrixXd(1, 2)};
  d.values << 993738880, 1110841916;
  m.values << 1131631891, 1667039840;
  const auto out = run_step(params({{"products", std::vector<std::string>{"29"}},
                                    {"columns", std::vector<std::string>{"P3_S14", "P51G"}},
                                    {"sigma", 2.8}}),
                            {{"d", matrix_to_long(d)}, {"m", matrix_to_long(m)}}, "duty");
  EXPECT_NEAR(value_at(out.at("duty"), "delta", {{"sector", "29"}}), 323267483.201308, 1e-3);
}

TEST(ImportDuty, NegativeCellNamesIt) {
  EXPECT_EQ(
      error_message<DataError>([&] {
        run(params({{"columns", std::vector<std::string>{"HH", "P52"}}}));
      }),
      "table 'd' has a negative value -5.0 for product 'A' in column 'P52'; leave that column "
      "out of 'columns'");
}

TEST(ImportDuty, BadParameters) {
  const ThrownParamError product = param_error([&] {
    run(params({{"products", std::vector<std::string>{"C"}}}));
  });
  EXPECT_EQ(product.param, "products");
  EXPECT_EQ(product.message, "'C' is not a row of table 'd'");
  const ThrownParamError column = param_error([&] {
    run(params({{"columns", std::vector<std::string>{"P6"}}}));
  });
  EXPECT_EQ(column.param, "columns");
  EXPECT_EQ(param_error([&] { run(params({{"fee", 300.0}})); }).param, "import_price");
  EXPECT_EQ(param_error([&] {
              run(params({{"products", std::vector<std::string>{"A", "A"}}}));
            }).message,
            "'A' is named twice");
}
