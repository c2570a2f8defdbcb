#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "concentration_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace conc = klaster::plugins::concentration;

namespace {

/// \brief "R3" style labels (GCC 12 warns falsely on "R" + std::to_string(k)).
std::string label(char prefix, std::size_t k) {
  std::string s(1, prefix);
  s.append(std::to_string(k));
  return s;
}

/// \brief One industry X over regions R1..Rn with the given values.
Table one_industry(const std::vector<double>& x) {
  std::vector<std::string> r, i;
  for (std::size_t k = 0; k < x.size(); ++k) r.push_back(label('R', k + 1)), i.push_back("X");
  return long_table(r, i, x);
}

Table base_table(const std::vector<double>& b) {
  std::vector<std::string> r;
  for (std::size_t k = 0; k < b.size(); ++k) r.push_back(label('R', k + 1));
  return Table({Column::make_strings("region", r), Column::make_floats("population", b)});
}

std::map<std::string, Value> with(std::map<std::string, Value> extra) {
  extra["input"] = std::string("t");
  return extra;
}

const std::vector<double> kReatConcX = {500, 500, 1000, 7000, 1000};
const std::vector<double> kReatConcBase = {20000, 15000, 20000, 40000, 5000};

}  // namespace

// REAT documentation: gini(c(20,50,20,10)) = 0.3; with coefnorm = TRUE 0.4.
TEST(Concentration, ReatGiniDocumentedExample) {
  auto t = one_industry({20, 50, 20, 10});
  auto plain = run_step(with({{"base", std::string("equal")}}), {{"t", t}}).at("step");
  auto norm =
      run_step(with({{"base", std::string("equal")}, {"normalize", true}}), {{"t", t}}).at("step");
  EXPECT_NEAR(value_at(plain, "gini", {{"industry", "X"}}), 0.3, 1e-12);
  EXPECT_NEAR(value_at(norm, "gini", {{"industry", "X"}}), 0.4, 1e-12);
  EXPECT_EQ(value_at(plain, "regions", {{"industry", "X"}}), 4);
}

// REAT documentation: gini.conc(c(500,500,1000,7000,1000), c(20000,15000,20000,40000,5000))
// = 0.4068966, with the reference distribution given as a base table (e.g. population).
TEST(Concentration, ReatGiniConcDocumentedExampleWithBaseTable) {
  auto out = run_step(with({{"base", std::string("table")},
                            {"base_table", std::string("pop")},
                            {"base_value", std::string("population")}}),
                      {{"t", one_industry(kReatConcX)}, {"pop", base_table(kReatConcBase)}})
                 .at("step");
  EXPECT_NEAR(value_at(out, "gini", {{"industry", "X"}}), 0.4068966, 5e-8);
  // Hoover: 1/2 (.15 + .10 + .10 + .30 + .05) = 0.35.
  EXPECT_NEAR(value_at(out, "hoover", {{"industry", "X"}}), 0.35, 1e-12);
}

// The same example with base = "total": industry X plus an "other" industry making each region's
// total equal to the REAT reference vector.
TEST(Concentration, ReatGiniConcDocumentedExampleWithTotalActivity) {
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (std::size_t k = 0; k < kReatConcX.size(); ++k) {
    r.push_back(label('R', k + 1)), i.push_back("X"), v.push_back(kReatConcX[k]);
    r.push_back(label('R', k + 1)), i.push_back("other"),
        v.push_back(kReatConcBase[k] - kReatConcX[k]);
  }
  auto out =
      run_step(with({{"industries", std::vector<std::string>{"X"}}}), {{"t", long_table(r, i, v)}})
          .at("step");
  EXPECT_EQ(out.rows(), 1u);
  EXPECT_NEAR(value_at(out, "gini", {{"industry", "X"}}), 0.4068966, 5e-8);
  EXPECT_NEAR(value_at(out, "total", {{"industry", "X"}}), 10000, 1e-9);
}

// EconGeo's locational.Gini (Krugman 1991) on the gini.conc data: half the Lorenz-area Gini. The
// Lorenz curve ordered by LQ (0.25, 0.333, 0.5, 1.75, 2) has area Gini 0.3725 (hand computed), so
// 0.18625.
TEST(Concentration, KrugmanConventionIsHalfTheLorenzArea) {
  auto out = run_step(with({{"base", std::string("table")},
                            {"base_table", std::string("pop")},
                            {"base_value", std::string("population")},
                            {"gini_convention", std::string("krugman")}}),
                      {{"t", one_industry(kReatConcX)}, {"pop", base_table(kReatConcBase)}})
                 .at("step");
  EXPECT_NEAR(value_at(out, "gini", {{"industry", "X"}}), 0.18625, 1e-12);
}

// EconGeo's Hoover.index example data: ind = (0, 10, 10, 30, 50), pop = (10, 15, 20, 25, 30)
// ("30% of the population produces 50% of the industrial output"). By hand:
// 1/2 (|0-.1| + |.1-.15| + |.1-.2| + |.3-.25| + |.5-.3|) = 0.25 (EconGeo prints 25, x100 rounded).
TEST(Concentration, EconGeoHooverExample) {
  auto out = run_step(with({{"base", std::string("table")},
                            {"base_table", std::string("pop")},
                            {"base_value", std::string("population")}}),
                      {{"t", one_industry({0, 10, 10, 30, 50})},
                       {"pop", base_table({10, 15, 20, 25, 30})}})
                 .at("step");
  EXPECT_NEAR(value_at(out, "hoover", {{"industry", "X"}}), 0.25, 1e-12);
}

// cv of shares (.2, .5, .2, .1): mean .25, squared deviations sum to .09; sample sd sqrt(.03),
// population sd .15 -> cv 0.6928203 and 0.6.
TEST(Concentration, CoefficientOfVariationOfShares) {
  auto t = one_industry({20, 50, 20, 10});
  auto sample = run_step(with({{"base", std::string("equal")}}), {{"t", t}}).at("step");
  auto pop = run_step(with({{"base", std::string("equal")}, {"cv_sd", std::string("population")}}),
                      {{"t", t}})
                 .at("step");
  EXPECT_NEAR(value_at(sample, "cv", {{"industry", "X"}}), std::sqrt(0.03) / 0.25, 1e-12);
  EXPECT_NEAR(value_at(pop, "cv", {{"industry", "X"}}), 0.6, 1e-12);
}

// Identities on seeded random data: with equal base weights the Lorenz-area Gini equals the
// plain Gini, so "krugman" is exactly half of "reat"; hoover in [0, 1); an industry spread like
// the base has every index 0.
TEST(Concentration, PropertiesOnRandomData) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 500.0);
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (std::size_t reg = 0; reg < 9; ++reg)
    for (std::size_t ind = 0; ind < 4; ++ind)
      r.push_back(label('R', reg)), i.push_back(label('I', ind)), v.push_back(u(rng));
  auto t = long_table(r, i, v);
  auto reat = run_step(with({{"base", std::string("equal")}}), {{"t", t}}).at("step");
  auto krug =
      run_step(with({{"base", std::string("equal")}, {"gini_convention", std::string("krugman")}}),
               {{"t", t}})
          .at("step");
  auto total = run_step(with({}), {{"t", t}}).at("step");
  for (std::size_t ind = 0; ind < 4; ++ind) {
    const std::map<std::string, std::string> key = {{"industry", label('I', ind)}};
    EXPECT_NEAR(value_at(krug, "gini", key), value_at(reat, "gini", key) / 2, 1e-12);
    EXPECT_GT(value_at(total, "hoover", key), 0);
    EXPECT_LT(value_at(total, "hoover", key), 1);
    EXPECT_GT(value_at(total, "gini", key), 0);
    EXPECT_LT(value_at(total, "gini", key), 1);
  }
  // X is proportional to every region's total: no concentration.
  auto even = long_table({"A", "A", "B", "B", "C", "C"}, {"X", "Y", "X", "Y", "X", "Y"},
                         {1, 3, 2, 6, 5, 15});
  auto out = run_step(with({}), {{"t", even}}).at("step");
  EXPECT_NEAR(value_at(out, "gini", {{"industry", "X"}}), 0, 1e-12);
  EXPECT_NEAR(value_at(out, "hoover", {{"industry", "X"}}), 0, 1e-12);
}

// Hand-computed per year: Hoover (1936) 1/2 sum |s_r - b_r|; Gini of LQs as REAT gini.conc.
TEST(Concentration, PerYearWithBaseTablePerYear) {
  Table t({Column::make_ints("year", {2024, 2024, 2025, 2025}),
           Column::make_strings("region", {"A", "B", "A", "B"}),
           Column::make_strings("industry", {"X", "X", "X", "X"}),
           Column::make_floats("value", {30, 10, 20, 20})});
  Table pop({Column::make_ints("year", {2024, 2024, 2025, 2025}),
             Column::make_strings("region", {"A", "B", "A", "B"}),
             Column::make_floats("value", {1, 1, 1, 3})});
  auto out = run_step(with({{"base", std::string("table")}, {"base_table", std::string("pop")}}),
                      {{"t", t}, {"pop", pop}})
                 .at("step");
  // 2024: s = (.75, .25), b = (.5, .5): hoover .25. 2025: s = (.5, .5), b = (.25, .75): .25.
  EXPECT_NEAR(value_at(out, "hoover", {{"year", "2024"}, {"industry", "X"}}), 0.25, 1e-12);
  EXPECT_NEAR(value_at(out, "hoover", {{"year", "2025"}, {"industry", "X"}}), 0.25, 1e-12);
  // Gini of LQs (1.5, .5): |1.5-.5| * 2 / (2 * 4 * 1) = 0.25; 2025 LQs (2, 2/3): (4/3) * 2 / (8 *
  // 4/3) = 0.25.
  EXPECT_NEAR(value_at(out, "gini", {{"year", "2025"}, {"industry", "X"}}), 0.25, 1e-12);
}

TEST(Concentration, SingleRegionIsAnError) {
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(with({}), {{"t", long_table({"A", "A"}, {"X", "Y"}, {1, 2})}});
      }),
      "concentration across regions needs at least two regions; the table has only region 'A'");
}

// With missing = "drop" a table whose every region key is missing leaves no region (it used to
// read the first region's name from an empty list).
TEST(Concentration, EveryRowDroppedIsAnError) {
  Table t({Column::make_strings("region", std::make_shared<Dictionary>(), {-1, -1}),
           Column::make_strings("industry", {"X", "X"}), Column::make_floats("value", {1, 2})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"missing", std::string("drop")}}), {{"t", t}});
            }),
            "concentration across regions needs at least two regions; no row is left (every row "
            "has a missing value or key, and missing = \"drop\" dropped it)");
}

TEST(Concentration, ZeroIndustryTotalNamesIndustryAndYear) {
  Table t({Column::make_ints("year", {2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y"}),
           Column::make_floats("value", {0, 5, 0, 5})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}), {{"t", t}});
            }),
            "industry 'X' has a zero total of 'value' over all regions in year 2025: its regional "
            "shares are undefined");
}

TEST(Concentration, NegativeValueNamesTheCell) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}), {{"t", long_table({"A", "B"}, {"X", "X"}, {3, -1})}});
            }),
            "negative value -1 in column 'value' at region 'B', industry 'X'");
}

TEST(Concentration, BaseTableMissingARegion) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"base", std::string("table")},
                             {"base_table", std::string("pop")},
                             {"base_value", std::string("population")}}),
                       {{"t", one_industry({1, 2, 3})}, {"pop", base_table({5, 5})}});
            }),
            "base_table 'pop' has no 'population' for region 'R3'");
}

TEST(Concentration, BaseTableNeedsBaseTable) {
  EXPECT_THROW(run_step(with({{"base", std::string("table")}}), {{"t", one_industry({1, 2})}}),
               ParamError);
  const ThrownParamError e = param_error([&] {
    run_step(with({{"base_table", std::string("pop")}, {"base_value", std::string("population")}}),
             {{"t", one_industry({1, 2})}, {"pop", base_table({5, 5})}});
  });
  EXPECT_EQ(e.param, "base") << e.message;
}

TEST(Concentration, UnknownIndustryInList) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"industries", std::vector<std::string>{"Q"}}}),
                       {{"t", one_industry({1, 2})}});
            }),
            "industry 'Q' (parameter 'industries') is not in the table");
}

// BNS publishes OKED section T for 2025 only: T has no row in 2024, so it does not exist in that
// year and is left out of it (no row, no error); in 2025 it is computed like any section.
TEST(Concentration, IndustryWithRowsOnlyInTheLastYearIsLeftOutOfEarlierYears) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "A", "B", "B", "B"}),
           Column::make_strings("industry", {"C", "S", "C", "S", "C", "S", "T", "C", "S", "T"}),
           Column::make_floats("value", {30, 10, 10, 30, 30, 10, 1, 10, 30, 3})});
  auto out = run_step(with({{"base", std::string("equal")}}), {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 5u);  // 2024: C, S; 2025: C, S, T
  EXPECT_THROW(value_at(out, "hoover", {{"year", "2024"}, {"industry", "T"}}), std::exception);
  // T in 2025: shares 1/4, 3/4 against 1/2, 1/2, so Hoover = (1/4 + 1/4) / 2.
  EXPECT_DOUBLE_EQ(value_at(out, "hoover", {{"year", "2025"}, {"industry", "T"}}), 0.25);
  // base = "total": C in 2024 has shares 3/4, 1/4 against the regions' totals 40/80, 40/80.
  auto total = run_step(with({}), {{"t", t}}).at("step");
  EXPECT_EQ(total.rows(), 5u);
  EXPECT_DOUBLE_EQ(value_at(total, "hoover", {{"year", "2024"}, {"industry", "C"}}), 0.25);
}

// A region with no row in a year is not one of that year's n regions.
TEST(Concentration, RegionWithoutRowsInAYearIsLeftOutOfIt) {
  Table t({Column::make_ints("year", {2024, 2024, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "B", "A", "B", "C"}),
           Column::make_strings("industry", {"X", "X", "X", "X", "X"}),
           Column::make_floats("value", {1, 3, 1, 3, 4})});
  auto out = run_step(with({{"base", std::string("equal")}}), {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 2u);
  EXPECT_DOUBLE_EQ(value_at(out, "hoover", {{"year", "2024"}}), 0.25);
  // 2025: shares 1/8, 3/8, 4/8 against 1/3 each: (5/24 + 1/24 + 4/24) / 2 = 5/24.
  EXPECT_DOUBLE_EQ(value_at(out, "hoover", {{"year", "2025"}}), 5.0 / 24);
}

// The kernel on plain values. REAT documents gini(c(20, 50, 20, 10)) = 0.3 and, with coefnorm,
// 0.4: the Gini of LQs against equal base shares. cv by hand: shares (.2, .5, .2, .1), mean .25,
// squared deviations .09: sqrt(.09 / 3) / .25 (sample), sqrt(.09 / 4) / .25 = 0.6 (population).
TEST(ConcentrationKernel, ReatGiniAndCvAgainstEqualWeights) {
  const std::vector<double> b = conc::base_shares({1, 1, 1, 1});
  EXPECT_EQ(b, (std::vector<double>{.25, .25, .25, .25}));
  const auto plain = conc::concentration_indices({20, 50, 20, 10}, b, {});
  ASSERT_TRUE(plain.has_value());
  EXPECT_NEAR(plain->gini, 0.3, 1e-12);
  EXPECT_NEAR(plain->cv, std::sqrt(0.03) / 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(plain->total, 100);
  conc::Forms forms;
  forms.normalize = true;
  forms.sample_sd = false;
  const auto normalized = conc::concentration_indices({20, 50, 20, 10}, b, forms);
  EXPECT_NEAR(normalized->gini, 0.4, 1e-12);
  EXPECT_NEAR(normalized->cv, 0.6, 1e-12);
}

// REAT documents gini.conc(c(500,500,1000,7000,1000), c(20000,15000,20000,40000,5000)) =
// 0.4068966. By hand: b = (.2, .15, .2, .4, .05), s = (.05, .05, .1, .7, .1), Hoover (1936)
// 1/2 (.15 + .10 + .10 + .30 + .05) = 0.35; Krugman's Lorenz-area Gini 0.3725, halved 0.18625.
TEST(ConcentrationKernel, ReatGiniConcExample) {
  const std::vector<double> b = conc::base_shares({20000, 15000, 20000, 40000, 5000});
  const std::vector<double> x = {500, 500, 1000, 7000, 1000};
  const auto reat = conc::concentration_indices(x, b, {});
  ASSERT_TRUE(reat.has_value());
  EXPECT_NEAR(reat->gini, 0.4068966, 5e-8);
  EXPECT_NEAR(reat->hoover, 0.35, 1e-12);
  conc::Forms krugman;
  krugman.reat_gini = false;
  EXPECT_NEAR(conc::concentration_indices(x, b, krugman)->gini, 0.18625, 1e-12);
}

// EconGeo's Hoover.index example: ind = (0, 10, 10, 30, 50), pop = (10, 15, 20, 25, 30); by hand
// 1/2 (.1 + .05 + .1 + .05 + .2) = 0.25 (EconGeo prints 25). No activity: no shares.
TEST(ConcentrationKernel, EconGeoHooverExampleAndZeroTotal) {
  const std::vector<double> pop = conc::base_shares({10, 15, 20, 25, 30});
  EXPECT_NEAR(conc::concentration_indices({0, 10, 10, 30, 50}, pop, {})->hoover, 0.25, 1e-12);
  EXPECT_FALSE(conc::concentration_indices({0, 0, 0, 0, 0}, pop, {}).has_value());
}

// ---- missing = "drop": a missing value is not a zero (issue 10) ----

namespace {
/// Regions R1..R4 and industries X, Y; X's value in R4 is missing (its row has keys, no value).
Table x_missing_in_r4() {
  return Table(
      {Column::make_strings("region", {"R1", "R2", "R3", "R4", "R1", "R2", "R3", "R4"}),
       Column::make_strings("industry", {"X", "X", "X", "X", "Y", "Y", "Y", "Y"}),
       Column::make_floats("value", {20, 50, 20, 0, 10, 10, 10, 10}, {1, 1, 1, 0, 1, 1, 1, 1})});
}
}  // namespace

// By hand, with base = "equal" (b_j = 1/n, so q_j = n s_j and the REAT Gini is the Gini of x):
// X over R1..R3, x = (20, 50, 20), mean 30: sum_j sum_k |x_j - x_k| = 4 x 30 = 120, Gini =
// 120 / (2 x 3^2 x 30) = 2/9 (reading R4 as 0 would give 300 / (2 x 4^2 x 22.5) = 5/12).
// Hoover: s = (2/9, 5/9, 2/9) against 1/3 each: (1/9 + 2/9 + 1/9) / 2 = 2/9. Y is complete
// (10 in each of the 4 regions): Gini 0 over n = 4.
TEST(Concentration, DroppedValueLeavesItsRegionOutOfThatIndustry) {
  std::vector<std::string> log;
  const Table out =
      run_step(with({{"base", std::string("equal")}, {"missing", std::string("drop")}}),
               {{"t", x_missing_in_r4()}}, "step", collect_log(log))
          .at("step");
  ASSERT_EQ(out.rows(), 2u);
  EXPECT_NEAR(value_at(out, "gini", {{"industry", "X"}}), 2.0 / 9.0, 1e-15);
  EXPECT_NEAR(value_at(out, "hoover", {{"industry", "X"}}), 2.0 / 9.0, 1e-15);
  EXPECT_EQ(value_at(out, "total", {{"industry", "X"}}), 90.0);
  EXPECT_EQ(value_at(out, "regions", {{"industry", "X"}}), 3.0);
  EXPECT_EQ(value_at(out, "gini", {{"industry", "Y"}}), 0.0);
  EXPECT_EQ(value_at(out, "regions", {{"industry", "Y"}}), 4.0);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0],
            "1 cell of 'value' with a missing value was dropped (region 'R4', industry 'X'): "
            "each such region is left out of that industry's indices (shares and base shares "
            "over the other regions; `regions` counts them)");
}

// base = "total": the base shares of R1..R3 are renormalised over them. Region totals (X + Y):
// 30, 60, 30 (R4: 10, lacking its X). b = (1/4, 1/2, 1/4) over R1..R3; s = (2/9, 5/9, 2/9);
// Hoover = (|2/9 - 1/4| + |5/9 - 1/2| + |2/9 - 1/4|) / 2 = (1/36 + 1/18 + 1/36) / 2 = 1/18.
TEST(Concentration, DroppedValueRenormalisesTheTotalBase) {
  std::vector<std::string> log;
  const Table out = run_step(with({{"missing", std::string("drop")}}), {{"t", x_missing_in_r4()}},
                             "step", collect_log(log))
                        .at("step");
  EXPECT_NEAR(value_at(out, "hoover", {{"industry", "X"}}), 1.0 / 18.0, 1e-15);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("lacks the missing value"), std::string::npos) << log[0];
}

TEST(Concentration, IndustryLeftInOneRegionByDroppedValuesIsAnError) {
  Table t({Column::make_strings("region", {"R1", "R2", "R1", "R2"}),
           Column::make_strings("industry", {"X", "X", "Y", "Y"}),
           Column::make_floats("value", {1, 0, 1, 1}, {1, 0, 1, 1})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"missing", std::string("drop")}}), {{"t", t}});
            }),
            "industry 'X' has a value in only 1 region in all rows once the regions with a "
            "missing value are left out; its concentration needs two");
}

// base = "others_mean" = REAT's krugman.conc2 (sum_j |s_ij - mean_k s_kj| over the comparison
// industries k = 2 x hoover). Industry X (10, 20, 70) against Y (30, 30, 40) and Z (50, 25, 25):
// mean shares of Y and Z (0.4, 0.275, 0.325), so by hand K = 0.3 + 0.075 + 0.375 = 0.75 and hoover
// 0.375; REAT's krugman.conc2(c(10, 20, 70), data.frame(c(30, 30, 40), c(50, 25, 25))) printed
// 0.75 in R 4.2 (given a matrix instead of a data frame it stops with "subscript out of bounds":
// it takes length(e_uj), the number of cells, for the number of industries).
TEST(Concentration, OthersMeanBaseIsReatKrugmanConc2) {
  auto t = long_table({"R1", "R2", "R3", "R1", "R2", "R3", "R1", "R2", "R3"},
                      {"X", "X", "X", "Y", "Y", "Y", "Z", "Z", "Z"},
                      {10, 20, 70, 30, 30, 40, 50, 25, 25});
  auto out = run_step(with({{"base", std::string("others_mean")}}), {{"t", t}}).at("step");
  EXPECT_NEAR(2 * value_at(out, "hoover", {{"industry", "X"}}), 0.75, 1e-12);
  // Y against X and Z: means (0.3, 0.225, 0.475), |0.3 - .3| + |.3 - .225| + |.4 - .475| = 0.15.
  EXPECT_NEAR(2 * value_at(out, "hoover", {{"industry", "Y"}}), 0.15, 1e-12);
}

// The kernel: share sums of X, Y, Z per region (0.1 + 0.3 + 0.5 = 0.9, 0.75, 1.35) minus the
// industry's own shares, over m - 1 = 2.
TEST(ConcentrationKernel, OthersMeanBaseByHand) {
  const auto b =
      klaster::plugins::concentration::others_mean_base({0.9, 0.75, 1.35}, {10, 20, 70}, 3);
  EXPECT_NEAR(b[0], 0.4, 1e-15);
  EXPECT_NEAR(b[1], 0.275, 1e-15);
  EXPECT_NEAR(b[2], 0.325, 1e-15);
}
