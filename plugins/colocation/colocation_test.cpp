#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "colocation_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace co = klaster::plugins::colocation;

namespace {

// REAT's documented example of howard.cl / howard.xcl ("example from Howard et al. (2016)"):
// firms 1..6, industries A B A B A B, locations X X X Y Y X.
Table reat_firms() {
  return Table({Column::make_strings("firm", {"1", "2", "3", "4", "5", "6"}),
                Column::make_strings("industry", {"A", "B", "A", "B", "A", "B"}),
                Column::make_strings("region", {"X", "X", "X", "Y", "Y", "X"})});
}

std::map<std::string, Value> with(std::map<std::string, Value> extra) {
  extra["plants"] = std::string("p");
  return extra;
}

double pair_value(const Table& t, const char* column, const char* i, const char* j) {
  return value_at(t, column, {{"industry1", i}, {"industry2", j}});
}

/// The mean CL over every equally likely relabelling of the pooled plants (locations fixed), by
/// enumeration: the null of Howard et al. (2016) that REAT's howard.xcl samples.
double enumerated_expected_cl(const std::vector<int>& location, std::size_t n_i) {
  const std::size_t k = location.size();
  std::vector<int> is_i(k, 0);
  std::fill(is_i.begin(), is_i.begin() + static_cast<std::ptrdiff_t>(n_i), 1);
  std::sort(is_i.begin(), is_i.end());
  double sum = 0, draws = 0;
  do {
    double same = 0;
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b)
        if (is_i[a] && !is_i[b] && location[a] == location[b]) ++same;
    sum += same / (static_cast<double>(n_i) * static_cast<double>(k - n_i)), ++draws;
  } while (std::next_permutation(is_i.begin(), is_i.end()));
  return sum / draws;
}

}  // namespace

// REAT's howard.cl on its documented example returns 0.555555555555556 (REAT 3.0 code run in
// R 4.x): A has 2 plants in X and 1 in Y, B the same; colocated cross pairs 2 * 2 + 1 * 1 = 5 of
// 3 * 3 = 9. Expected CL, Howard et al.'s permutation null, pooled m = (4, 2) over K = 6:
// (4 * 3 + 2 * 1) / (6 * 5) = 7/15; XCL = 5/9 - 7/15 = 4/45 = 0.08889. REAT's howard.xcl, a Monte
// Carlo mean of 50 permutations, gave 0.0904 +- 0.0025 (mean of 40 runs, set.seed(1)).
TEST(ColocationKernel, ReatHowardExample) {
  const co::Colocation c = co::colocation({2, 1}, {2, 1});
  EXPECT_DOUBLE_EQ(c.colocated, 5.0);
  EXPECT_NEAR(c.cl, 5.0 / 9, 1e-15);
  EXPECT_NEAR(c.expected, 7.0 / 15, 1e-15);
  EXPECT_NEAR(c.xcl, 4.0 / 45, 1e-15);
}

// The closed-form expectation against enumerating all C(K, N_i) relabellings of the plants
// (the REAT example: 20 of them; a three-location case with 8 plants: 56).
TEST(ColocationKernel, ExpectationEqualsEnumeratedPermutations) {
  EXPECT_NEAR(co::colocation({2, 1}, {2, 1}).expected,
              enumerated_expected_cl({0, 0, 0, 0, 1, 1}, 3), 1e-15);
  // i: 1 plant in L0, 2 in L2; j: 2 in L0, 1 in L1, 2 in L2.
  EXPECT_NEAR(co::colocation({1, 0, 2}, {2, 1, 2}).expected,
              enumerated_expected_cl({0, 2, 2, 0, 0, 1, 2, 2}, 3), 1e-15);
}

// Industries in disjoint locations: CL = 0; i (3 plants in L0) and j (2 in L1) pooled give
// m = (3, 2), E[CL] = (3 * 2 + 2 * 1) / (5 * 4) = 0.4, XCL = -0.4.
TEST(ColocationKernel, DisjointLocations) {
  const co::Colocation c = co::colocation({3, 0}, {0, 2});
  EXPECT_DOUBLE_EQ(c.cl, 0.0);
  EXPECT_NEAR(c.expected, 0.4, 1e-15);
  EXPECT_NEAR(c.xcl, -0.4, 1e-15);
}

// Gram matrix of counts [[1, 2], [0, 3], [4, 0]] (industries x locations), by hand:
// (0, 1) = 1 * 0 + 2 * 3 = 6, (0, 2) = 4, (1, 2) = 0, diagonal 5, 9, 16.
TEST(ColocationKernel, ColocatedPairsIsTheGramMatrix) {
  Eigen::MatrixXd n(3, 2);
  n << 1, 2, 0, 3, 4, 0;
  const Eigen::MatrixXd s = co::colocated_pairs(n);
  EXPECT_DOUBLE_EQ(s(0, 1), 6);
  EXPECT_DOUBLE_EQ(s(1, 0), 6);
  EXPECT_DOUBLE_EQ(s(0, 2), 4);
  EXPECT_DOUBLE_EQ(s(1, 2), 0);
  EXPECT_DOUBLE_EQ(s(0, 0), 5);
  EXPECT_DOUBLE_EQ(s(1, 1), 9);
  EXPECT_DOUBLE_EQ(s(2, 2), 16);
}

// REAT's documented example of litzenberger (from Farhauer & Kroell 2014): e_ij = 1743,
// e_i = 5740, a_j = 50, a = 576, p_j = 488, p = 4621, b_ij = 35, b_i = 53 -> 21.87491. Parts by
// hand: IDI = 34.86 / 9.965278 = 3.498146, IS = 3.571721 / 1.242156 = 2.875422, SBR = 49.8 /
// 108.3019 = 0.4598258.
TEST(ColocationKernel, ReatLitzenbergerExample) {
  const co::ClusterIndex x = co::litzenberger_sternberg(1743, 5740, 50, 576, 488, 4621, 35, 53);
  EXPECT_NEAR(x.ci, 21.87491, 5e-6);
  EXPECT_NEAR(x.density, 3.498146, 1e-6);
  EXPECT_NEAR(x.stock, 2.875422, 1e-6);
  EXPECT_NEAR(x.firm_size, 0.4598258, 1e-7);
  EXPECT_NEAR(x.ci, x.density * x.stock / x.firm_size, 1e-12);
  // No employment: IDI = IS = 0 and the reduced form gives CI = 0 (REAT's IDI * IS / SBR: 0/0).
  const co::ClusterIndex none = co::litzenberger_sternberg(0, 5740, 50, 576, 488, 4621, 2, 53);
  EXPECT_DOUBLE_EQ(none.ci, 0.0);
  EXPECT_DOUBLE_EQ(none.firm_size, 0.0);
}

// The plugin on REAT's example (one row per firm): the pair (A, B) as in ReatHowardExample.
TEST(Colocation, ReatExampleThroughThePlugin) {
  auto out = run_step(with({}), {{"p", reat_firms()}}).at("step");
  ASSERT_EQ(out.rows(), 1u);
  EXPECT_EQ(out.column("industry1").to_text(0), "A");
  EXPECT_EQ(out.column("industry2").to_text(0), "B");
  EXPECT_EQ(out.column("plants1").ints[0], 3);
  EXPECT_EQ(out.column("plants2").ints[0], 3);
  EXPECT_EQ(out.column("colocated_pairs").ints[0], 5);
  EXPECT_NEAR(pair_value(out, "CL", "A", "B"), 5.0 / 9, 1e-15);
  EXPECT_NEAR(pair_value(out, "expected_CL", "A", "B"), 7.0 / 15, 1e-15);
  EXPECT_NEAR(pair_value(out, "XCL", "A", "B"), 4.0 / 45, 1e-15);
}

// The same plants given as counts per region and industry (X: A 2, B 2; Y: A 1, B 1).
TEST(Colocation, CountColumnGroupsPlants) {
  Table t({Column::make_strings("region", {"X", "Y", "X", "Y"}),
           Column::make_strings("industry", {"A", "A", "B", "B"}),
           Column::make_floats("count", {2, 1, 2, 1})});
  auto out = run_step(with({}), {{"p", t}}).at("step");
  EXPECT_NEAR(pair_value(out, "CL", "A", "B"), 5.0 / 9, 1e-15);
  EXPECT_NEAR(pair_value(out, "XCL", "A", "B"), 4.0 / 45, 1e-15);
}

// Three industries: A (X 2, Y 1), B (X 2, Y 1), C (Y 2). All pairs in level order; by hand
// (A, C): colocated 1 * 2 = 2 of 3 * 2 = 6, CL 1/3; pooled m = (2, 3), K = 5:
// E = (2 + 6) / 20 = 0.4, XCL = -1/15. `industries = ["C", "A"]` writes only (C, A).
TEST(Colocation, AllPairsAndSelectedIndustries) {
  Table t({Column::make_strings("region", {"X", "Y", "X", "Y", "Y"}),
           Column::make_strings("industry", {"A", "A", "B", "B", "C"}),
           Column::make_floats("count", {2, 1, 2, 1, 2})});
  auto out = run_step(with({}), {{"p", t}}).at("step");
  ASSERT_EQ(out.rows(), 3u);
  EXPECT_NEAR(pair_value(out, "CL", "A", "C"), 1.0 / 3, 1e-15);
  EXPECT_NEAR(pair_value(out, "expected_CL", "A", "C"), 0.4, 1e-15);
  EXPECT_NEAR(pair_value(out, "XCL", "A", "C"), -1.0 / 15, 1e-15);
  EXPECT_NEAR(pair_value(out, "CL", "A", "B"), 5.0 / 9, 1e-15);
  auto two =
      run_step(with({{"industries", std::vector<std::string>{"C", "A"}}}), {{"p", t}}).at("step");
  ASSERT_EQ(two.rows(), 1u);
  EXPECT_NEAR(pair_value(two, "CL", "C", "A"), 1.0 / 3, 1e-15);
}

namespace {

// Farhauer & Kroell's example as REAT's litzenberger documents it, spread over two regions:
// region J holds e_ij = 1743 in 35 firms, K the rest of e_i = 5740 (3997) in 18 of b_i = 53;
// J has area 50 of 576 and population 488 of 4621. Industry H (one region) only fills the table.
Table fk_plants() {
  return Table({Column::make_strings("region", {"J", "K", "J"}),
                Column::make_strings("industry", {"I", "I", "H"}),
                Column::make_floats("count", {35, 18, 3}),
                Column::make_floats("employment", {1743, 3997, 30})});
}

Table fk_regions() {
  return Table({Column::make_strings("region", {"J", "K"}), Column::make_floats("area", {50, 526}),
                Column::make_floats("population", {488, 4133})});
}

double index_value(const Table& t, const char* column, const char* region, const char* industry) {
  return value_at(t, column, {{"region", region}, {"industry", industry}});
}

}  // namespace

// CI of (J, I) = 21.87491, REAT's documented litzenberger output; (K, I) by hand from the same
// formula: IDI = (3997 / 526) / (5740 / 576) = 0.7625336, IS = (3997 / 4133) / (5740 / 4621) =
// 0.7785613, SBR = (3997 / 18) / (5740 / 53) = 2.050339, CI = IDI * IS / SBR = 0.2895517.
TEST(Colocation, LitzenbergerSternbergClusterIndex) {
  auto tables =
      run_step(with({{"regions", std::string("r")}}), {{"p", fk_plants()}, {"r", fk_regions()}});
  const Table& ci = tables.at("step_cluster_index");
  ASSERT_EQ(ci.rows(), 3u);
  EXPECT_NEAR(index_value(ci, "CI", "J", "I"), 21.87491, 5e-6);
  EXPECT_NEAR(index_value(ci, "density", "J", "I"), 3.498146, 1e-6);
  EXPECT_NEAR(index_value(ci, "firm_size", "J", "I"), 0.4598258, 1e-7);
  EXPECT_NEAR(index_value(ci, "density", "K", "I"), 0.7625336, 1e-7);
  EXPECT_NEAR(index_value(ci, "stock", "K", "I"), 0.7785613, 1e-7);
  EXPECT_NEAR(index_value(ci, "firm_size", "K", "I"), 2.050339, 1e-6);
  EXPECT_NEAR(index_value(ci, "CI", "K", "I"), 0.2895517, 1e-7);
  EXPECT_NEAR(index_value(ci, "employment", "K", "I"), 3997, 0);
  // The pairs table is written as well: H's 3 plants share J with 35 of I's 53: CL = 105 / 159.
  EXPECT_NEAR(pair_value(tables.at("step"), "CL", "H", "I"), 35.0 * 3 / (3.0 * 53), 1e-15);
}

TEST(Colocation, RegionWithoutAreaIsAnError) {
  Table regions({Column::make_strings("region", {"J"}), Column::make_floats("area", {50}),
                 Column::make_floats("population", {488})});
  const std::string msg = error_message<DataError>([&] {
    run_step(with({{"regions", std::string("r")}}), {{"p", fk_plants()}, {"r", regions}});
  });
  EXPECT_NE(msg.find("'K'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("table 'r'"), std::string::npos) << msg;
}

TEST(Colocation, NonPositiveAreaIsAnError) {
  Table regions({Column::make_strings("region", {"J", "K"}), Column::make_floats("area", {50, 0}),
                 Column::make_floats("population", {488, 4133})});
  const std::string msg = error_message<DataError>([&] {
    run_step(with({{"regions", std::string("r")}}), {{"p", fk_plants()}, {"r", regions}});
  });
  EXPECT_NE(msg.find("region 'K' has area 0"), std::string::npos) << msg;
}

TEST(Colocation, CountMustBeAWholeNumber) {
  Table t({Column::make_strings("region", {"X", "Y"}), Column::make_strings("industry", {"A", "B"}),
           Column::make_floats("count", {2.5, 1})});
  const std::string msg = error_message<DataError>([&] { run_step(with({}), {{"p", t}}); });
  EXPECT_NE(msg.find("plant count 2.5 of region 'X', industry 'A'"), std::string::npos) << msg;
}

TEST(Colocation, EmploymentWithoutPlantsIsAnError) {
  Table t({Column::make_strings("region", {"X", "X"}), Column::make_strings("industry", {"A", "B"}),
           Column::make_floats("count", {0, 1}), Column::make_floats("employment", {5, 1})});
  const std::string msg = error_message<DataError>([&] {
    run_step(with({{"regions", std::string("r")}}),
             {{"p", t},
              {"r", Table({Column::make_strings("region", {"X"}), Column::make_floats("area", {1}),
                           Column::make_floats("population", {1})})}});
  });
  EXPECT_NE(msg.find("region 'X', industry 'A' has employment 5 but zero plants"),
            std::string::npos)
      << msg;
}

TEST(Colocation, ClusterIndexNeedsEmployment) {
  const ThrownParamError e = param_error([&] {
    run_step(with({{"regions", std::string("r")}}), {{"p", reat_firms()}, {"r", fk_regions()}});
  });
  EXPECT_EQ(e.param, "employment") << e.message;
}

// A float industry or region column is refused at validation, naming the parameter.
TEST(Colocation, FloatKeyColumnsAreRefused) {
  const Table firms = reat_firms();
  for (const std::string key : {"industry", "region"}) {
    std::vector<Column> cols;
    for (const Column& c : firms.columns())
      cols.push_back(c.name == key ? Column::make_floats(key, std::vector<double>(c.size(), 1.0))
                                   : c);
    const ThrownParamError e = param_error([&] {
      run_step(with({}), {{"p", Table(std::move(cols))}});
    });
    EXPECT_EQ(e.param, key) << e.message;
    EXPECT_EQ(e.message, "column '" + key + "' is a float column; use a string or int key");
  }
}

TEST(Colocation, IndustriesParameter) {
  EXPECT_EQ(
      param_error([&] {
        run_step(with({{"industries", std::vector<std::string>{"A"}}}), {{"p", reat_firms()}});
      }).param,
      "industries");
  const std::string msg = error_message<DataError>([&] {
    run_step(with({{"industries", std::vector<std::string>{"A", "Z"}}}), {{"p", reat_firms()}});
  });
  EXPECT_NE(msg.find("industry 'Z' of `industries` has no plants"), std::string::npos) << msg;
}

TEST(Colocation, OneIndustryIsAnError) {
  Table t(
      {Column::make_strings("region", {"X", "Y"}), Column::make_strings("industry", {"A", "A"})});
  const std::string msg = error_message<DataError>([&] { run_step(with({}), {{"p", t}}); });
  EXPECT_NE(msg.find("at least two industries"), std::string::npos) << msg;
}

// A missing region is an error naming the row; missing = "drop" leaves REAT's example without
// firm 6 (B in X): colocated 2 * 1 + 1 * 1 = 3 of 3 * 2, CL = 1/2.
TEST(Colocation, MissingKeys) {
  auto dict = std::make_shared<Dictionary>();
  const std::int32_t x = dict->intern("X"), y = dict->intern("Y");
  Table t({Column::make_strings("industry", {"A", "B", "A", "B", "A", "B"}),
           Column::make_strings("region", dict, {x, x, x, y, y, -1})});
  const std::string msg = error_message<DataError>([&] { run_step(with({}), {{"p", t}}); });
  EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
  auto out = run_step(with({{"missing", std::string("drop")}}), {{"p", t}}).at("step");
  EXPECT_NEAR(pair_value(out, "CL", "A", "B"), 0.5, 1e-15);
}

// An industry whose rows count no plant has no CL (missing) and a warning.
TEST(Colocation, ZeroPlantIndustryIsMissing) {
  Table t({Column::make_strings("region", {"X", "X"}), Column::make_strings("industry", {"A", "B"}),
           Column::make_floats("count", {0, 2})});
  std::vector<std::string> log;
  auto out = run_step(with({}), {{"p", t}}, "step", collect_log(log)).at("step");
  EXPECT_FALSE(out.column("CL").is_valid(0));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("industry 'A' has zero plants"), std::string::npos) << log[0];
}
