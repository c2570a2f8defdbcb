#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "shift_share_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace ss = klaster::plugins::shift_share;

namespace {

/// \brief "I3" style labels (GCC 12 warns falsely on "I" + std::to_string(k)).
std::string label(char prefix, std::size_t k) {
  std::string s(1, prefix);
  s.append(std::to_string(k));
  return s;
}

/// \brief Long table builder: add(region, year, values per industry I1..In).
struct LongTable {
  std::vector<std::string> regions, industries;
  std::vector<std::int64_t> years;
  std::vector<double> values;
  void add(const std::string& region, std::int64_t year, const std::vector<double>& v) {
    for (std::size_t k = 0; k < v.size(); ++k) {
      regions.push_back(region), industries.push_back(label('I', k + 1)), years.push_back(year);
      values.push_back(v[k]);
    }
  }
  Table table() const {
    return klaster::sdk::testkit::long_table(regions, industries, values, years);
  }
};

// The textbook example of issue 3: region A (90, 20, 10, 60) -> (100, 40, 10, 55), nation
// (400, 150, 150, 400) -> (440, 210, 135, 480). Given with the nation as a region row "N".
Table issue_example_with_nation_row() {
  LongTable t;
  t.add("A", 2020, {90, 20, 10, 60});
  t.add("A", 2025, {100, 40, 10, 55});
  t.add("N", 2020, {400, 150, 150, 400});
  t.add("N", 2025, {440, 210, 135, 480});
  return t.table();
}

// The same, with the nation as the sum of the regions: B = nation - A.
Table issue_example_as_sum() {
  LongTable t;
  t.add("A", 2020, {90, 20, 10, 60});
  t.add("A", 2025, {100, 40, 10, 55});
  t.add("B", 2020, {310, 130, 140, 340});
  t.add("B", 2025, {340, 170, 125, 425});
  return t.table();
}

std::map<std::string, Value> with(std::map<std::string, Value> extra) {
  extra["input"] = std::string("t");
  extra.emplace("from_year", std::int64_t{2020});
  extra.emplace("to_year", std::int64_t{2025});
  return extra;
}

const std::map<std::string, std::string> kA = {{"region", "A"}};

}  // namespace

// Dunn: G = 1265/1100 - 1 = 0.15; national 180 x 0.15 = 27; mix 90(-.05) + 20(.25) + 10(-.25) +
// 60(.05) = 1; regional 25 - 27 - 1 = -3 (numbers of issue 3).
TEST(ShiftShare, DunnIssueExample) {
  for (const auto& [t, extra] :
       {std::pair{issue_example_with_nation_row(),
                  std::map<std::string, Value>{{"reference_region", std::string("N")}}},
        std::pair{issue_example_as_sum(), std::map<std::string, Value>{}}}) {
    auto out = run_step(with(extra), {{"t", t}});
    const Table& ss = out.at("step");
    EXPECT_EQ(ss.rows(), extra.empty() ? 2u : 1u);  // the reference region is not a row
    EXPECT_NEAR(value_at(ss, "growth", kA), 25, 1e-9);
    EXPECT_NEAR(value_at(ss, "national_share", kA), 27, 1e-9);
    EXPECT_NEAR(value_at(ss, "industrial_mix", kA), 1, 1e-9);
    EXPECT_NEAR(value_at(ss, "regional_share", kA), -3, 1e-9);
    EXPECT_NEAR(value_at(ss, "net_shift", kA), -2, 1e-9);
    EXPECT_NEAR(value_at(ss, "value_from", kA), 180, 1e-9);
    EXPECT_NEAR(value_at(ss, "value_to", kA), 205, 1e-9);
    // Detail for industry I4: 60 x .15 = 9, 60 x .05 = 3, 55 - 60 x 1.2 = -17.
    const Table& d = out.at("step_detail");
    EXPECT_NEAR(value_at(d, "national_share", {{"region", "A"}, {"industry", "I4"}}), 9, 1e-9);
    EXPECT_NEAR(value_at(d, "industrial_mix", {{"region", "A"}, {"industry", "I4"}}), 3, 1e-9);
    EXPECT_NEAR(value_at(d, "regional_share", {{"region", "A"}, {"industry", "I4"}}), -17, 1e-9);
  }
}

// Esteban-Marquillas on the issue example: competitive -0.636364, allocation -2.363636.
TEST(ShiftShare, EstebanMarquillasIssueExample) {
  auto out = run_step(with({{"method", std::string("esteban_marquillas")},
                            {"reference_region", std::string("N")}}),
                      {{"t", issue_example_with_nation_row()}})
                 .at("step");
  EXPECT_NEAR(value_at(out, "competitive_effect", kA), -0.636364, 5e-7);
  EXPECT_NEAR(value_at(out, "allocation_effect", kA), -2.363636, 5e-7);
  EXPECT_NEAR(value_at(out, "regional_share", kA), -3, 1e-9);
}

// Gerfin index form on the issue example: mix 208/207 = 1.004831, regional 205/208 = 0.985577.
TEST(ShiftShare, GerfinIssueExample) {
  auto out = run_step(with({{"method", std::string("gerfin")}}), {{"t", issue_example_as_sum()}})
                 .at("step");
  EXPECT_NEAR(value_at(out, "mix_index", kA), 1.004831, 5e-7);
  EXPECT_NEAR(value_at(out, "regional_index", kA), 0.985577, 5e-7);
  EXPECT_NEAR(value_at(out, "total_index", kA), (205.0 / 180) / 1.15, 1e-12);
  EXPECT_NEAR(value_at(out, "growth", kA), 25, 1e-9);
}

namespace {

Table random_panel(unsigned seed, std::size_t regions, std::size_t industries,
                   std::vector<std::int64_t> years) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(1.0, 1000.0);
  LongTable t;
  for (std::size_t r = 0; r < regions; ++r)
    for (auto y : years) {
      std::vector<double> v(industries);
      for (auto& x : v) x = u(rng);
      t.add(label('R', r), y, v);
    }
  return t.table();
}

}  // namespace

// Property: for any data the components sum to growth (per region and per cell), E-M's effects
// sum to the regional share, Gerfin's indices multiply to the total index, and with the nation
// as the sum of the regions the net shifts sum to zero over regions.
TEST(ShiftShare, ComponentsSumToGrowthOnRandomData) {
  for (unsigned seed : {1u, 2u, 3u}) {
    Table t = random_panel(seed, 5, 6, {2020, 2021, 2022, 2025});
    for (const char* method : {"dunn", "esteban_marquillas", "gerfin", "dynamic"}) {
      auto out = run_step(with({{"method", std::string(method)}}), {{"t", t}});
      double net_sum = 0;
      for (const char* name : {"step", "step_detail"}) {
        const Table& ss = out.at(name);
        for (std::size_t row = 0; row < ss.rows(); ++row) {
          const auto col = [&](const char* c) { return ss.column(c).number(row); };
          EXPECT_NEAR(col("growth"), col("value_to") - col("value_from"), 1e-9);
          EXPECT_NEAR(col("national_share") + col("industrial_mix") + col("regional_share"),
                      col("growth"), 1e-8)
              << method << " " << name << " row " << row;
          EXPECT_NEAR(col("net_shift"), col("industrial_mix") + col("regional_share"), 1e-9);
          if (std::string(method) == "esteban_marquillas") {
            EXPECT_NEAR(col("competitive_effect") + col("allocation_effect"), col("regional_share"),
                        1e-8);
          }
          if (std::string(name) == "step") net_sum += col("net_shift");
        }
      }
      EXPECT_NEAR(net_sum, 0, 1e-7) << method;
      if (std::string(method) == "gerfin") {
        const Table& ss = out.at("step");
        for (std::size_t row = 0; row < ss.rows(); ++row)
          EXPECT_NEAR(ss.column("mix_index").number(row) * ss.column("regional_index").number(row),
                      ss.column("total_index").number(row), 1e-12);
      }
    }
  }
}

// Barff & Knight (1988): the dynamic decomposition is the sum of the year-by-year Dunn
// decompositions, and differs from the comparative-static one when rates change over time.
TEST(ShiftShare, DynamicIsTheSumOfAnnualDunn) {
  Table t = random_panel(11, 4, 3, {2022, 2023, 2024});
  auto dyn = run_step(with({{"method", std::string("dynamic")},
                            {"from_year", std::int64_t{2022}},
                            {"to_year", std::int64_t{2024}}}),
                      {{"t", t}})
                 .at("step");
  auto a = run_step(with({{"from_year", std::int64_t{2022}}, {"to_year", std::int64_t{2023}}}),
                    {{"t", t}})
               .at("step");
  auto b = run_step(with({{"from_year", std::int64_t{2023}}, {"to_year", std::int64_t{2024}}}),
                    {{"t", t}})
               .at("step");
  auto stat = run_step(with({{"from_year", std::int64_t{2022}}, {"to_year", std::int64_t{2024}}}),
                       {{"t", t}})
                  .at("step");
  double gap = 0;
  for (std::size_t r = 0; r < 4; ++r) {
    const std::map<std::string, std::string> key = {{"region", label('R', r)}};
    for (const char* c : {"national_share", "industrial_mix", "regional_share"}) {
      EXPECT_NEAR(value_at(dyn, c, key), value_at(a, c, key) + value_at(b, c, key), 1e-9) << c;
      gap += std::fabs(value_at(dyn, c, key) - value_at(stat, c, key));
    }
    EXPECT_NEAR(value_at(dyn, "growth", key), value_at(stat, "growth", key), 1e-9);
  }
  EXPECT_GT(gap, 1e-3);
}

TEST(ShiftShare, YearAbsentFromTable) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"from_year", std::int64_t{2019}}}), {{"t", issue_example_as_sum()}});
            }),
            "from_year 2019 is not in the table (column 'year' has 2020, 2025)");
}

TEST(ShiftShare, ToYearMustFollowFromYear) {
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step(with({{"from_year", std::int64_t{2025}}, {"to_year", std::int64_t{2020}}}),
                       {{"t", issue_example_as_sum()}});
            }),
            "to_year (2020) must be after from_year (2025)");
}

TEST(ShiftShare, UnknownReferenceRegion) {
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(with({{"reference_region", std::string("KZ")}}), {{"t", issue_example_as_sum()}});
      }),
      "reference_region 'KZ' is not a region of the table");
}

TEST(ShiftShare, NegativeValueNamesTheCell) {
  LongTable t;
  t.add("A", 2020, {1, 2});
  t.add("A", 2025, {1, -2});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}), {{"t", t.table()}});
            }),
            "negative value -2 in column 'value' at region 'A', industry 'I2', year 2025");
}

TEST(ShiftShare, EstebanMarquillasNeedsABaseValueWhereTheRegionGrows) {
  LongTable t;
  t.add("A", 2020, {0, 5});
  t.add("A", 2025, {3, 5});
  t.add("B", 2020, {4, 5});
  t.add("B", 2025, {4, 6});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"method", std::string("esteban_marquillas")}}), {{"t", t.table()}});
            }),
            "Esteban-Marquillas needs the region's growth rate, undefined at region 'A', "
            "industry 'I1', year 2020 (0 in 2020, 3 in 2025); use method = \"dunn\" or drop the "
            "industry");
  // Dunn has no such limit: A's regional share in I1 is 3 - 0 = 3.
  auto d = run_step(with({}), {{"t", t.table()}}).at("step_detail");
  EXPECT_NEAR(value_at(d, "regional_share", {{"region", "A"}, {"industry", "I1"}}), 3, 1e-12);
}

TEST(ShiftShare, ZeroReferenceTotal) {
  LongTable t;
  t.add("A", 2020, {0, 0});
  t.add("A", 2025, {1, 2});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}), {{"t", t.table()}});
            }),
            "the reference economy has a zero total of 'value' in year 2020: its growth rate is "
            "undefined");
}

TEST(ShiftShare, DetailCanBeSkipped) {
  auto out = run_step(with({{"detail", false}}), {{"t", issue_example_as_sum()}});
  EXPECT_EQ(out.size(), 1u);
}

// BNS publishes OKED section T for 2025 only. For Esteban-Marquillas an industry with no row in
// from_year does not exist then: it is left out of the decomposition (reference totals included)
// with a warning, so the numbers are those of the table without T, instead of stopping. Dunn keeps
// T (g_T = G): A's regional share is issue 3's -3 plus A's 7 of T.
TEST(ShiftShare, IndustryWithRowsOnlyInTheLastYear) {
  const Table without_t = issue_example_as_sum();
  Table with_t = [] {
    LongTable t;
    t.add("A", 2020, {90, 20, 10, 60});
    t.add("A", 2025, {100, 40, 10, 55});
    t.add("B", 2020, {310, 130, 140, 340});
    t.add("B", 2025, {340, 170, 125, 425});
    t.regions.insert(t.regions.end(), {"A", "B"});
    t.industries.insert(t.industries.end(), {"T", "T"});
    t.years.insert(t.years.end(), {2025, 2025});
    t.values.insert(t.values.end(), {7, 9});
    return t.table();
  }();
  const auto em = with({{"method", std::string("esteban_marquillas")}});
  std::vector<std::string> log;
  auto got = run_step(em, {{"t", with_t}}, "step", klaster::sdk::testkit::collect_log(log));
  auto want = run_step(em, {{"t", without_t}});
  for (const char* c : {"growth", "national_share", "industrial_mix", "regional_share",
                        "competitive_effect", "allocation_effect"})
    for (const char* r : {"A", "B"})
      EXPECT_NEAR(value_at(got.at("step"), c, {{"region", r}}),
                  value_at(want.at("step"), c, {{"region", r}}), 1e-9)
          << c << " " << r;
  EXPECT_EQ(got.at("step_detail").rows(), want.at("step_detail").rows());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("industry 'T' has no rows in year 2020 or year 2025"), std::string::npos)
      << log[0];

  auto dunn = run_step(with({}), {{"t", with_t}}).at("step");
  EXPECT_NEAR(value_at(dunn, "growth", kA), 25 + 7, 1e-9);
  EXPECT_NEAR(value_at(dunn, "national_share", kA) + value_at(dunn, "industrial_mix", kA) +
                  value_at(dunn, "regional_share", kA),
              25 + 7, 1e-9);
}

// A cell with a row of 0 in from_year (the industry exists in both years) keeps the error where the
// Esteban-Marquillas growth rate r_i = e_i'/e_i - 1 divides by it; the message says it is a row.
TEST(ShiftShare, EstebanMarquillasAbsentCellOfAnExistingIndustry) {
  LongTable t;
  t.add("A", 2020, {5});
  t.add("A", 2025, {3, 5});
  t.add("B", 2020, {4, 5});
  t.add("B", 2025, {4, 6});
  const std::string msg = error_message<DataError>([&] {
    run_step(with({{"method", std::string("esteban_marquillas")}}), {{"t", t.table()}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("industry 'I2', year 2020 (no row, so 0, in 2020, 5 in 2025)"),
            std::string::npos)
      << msg;
}

namespace {

// Issue 3's textbook example on plain values: region A (90, 20, 10, 60) -> (100, 40, 10, 55),
// nation (400, 150, 150, 400) -> (440, 210, 135, 480).
const std::vector<double> kRegionFrom = {90, 20, 10, 60}, kRegionTo = {100, 40, 10, 55};
const std::vector<double> kNationFrom = {400, 150, 150, 400}, kNationTo = {440, 210, 135, 480};

}  // namespace

// Dunn (1960) by hand: N = 1100, N' = 1265, G = 0.15; g = (0.10, 0.40, -0.10, 0.20). I4: national
// 60 x .15 = 9, mix 60 x .05 = 3, regional 55 - 60 x 1.2 = -17. Over A's industries: national
// 180 x .15 = 27, mix 90(-.05) + 20(.25) + 10(-.25) + 60(.05) = 1, regional 205 - 208 = -3.
TEST(ShiftShareKernel, DunnIssueExample) {
  const auto growth = ss::reference_growth(kNationFrom, kNationTo);
  ASSERT_TRUE(growth.has_value());
  EXPECT_DOUBLE_EQ(growth->base_total, 1100);
  EXPECT_NEAR(growth->overall, 0.15, 1e-15);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_NEAR(growth->by_industry[i], std::vector<double>({0.10, 0.40, -0.10, 0.20})[i], 1e-15);
  const ss::Components i4 = ss::dunn(60, 55, growth->by_industry[3], growth->overall);
  EXPECT_NEAR(i4.national, 9, 1e-12);
  EXPECT_NEAR(i4.mix, 3, 1e-12);
  EXPECT_NEAR(i4.regional, -17, 1e-12);
  ss::Components a;
  for (std::size_t i = 0; i < 4; ++i)
    a += ss::dunn(kRegionFrom[i], kRegionTo[i], growth->by_industry[i], growth->overall);
  EXPECT_NEAR(a.national, 27, 1e-12);
  EXPECT_NEAR(a.mix, 1, 1e-12);
  EXPECT_NEAR(a.regional, -3, 1e-12);
  EXPECT_DOUBLE_EQ(a.to - a.from, 25);
}

// Esteban-Marquillas (1972) by hand: e* = 180 (400, 150, 150, 400) / 1100, r - g = (1/90, .6, .1,
// -17/60), so competitive = (180 / 1100)(400/90 + 90 + 15 - 340/3) = -7/11 and allocation =
// regional - competitive = -3 + 7/11 = -26/11.
TEST(ShiftShareKernel, EstebanMarquillasIssueExample) {
  const auto growth = ss::reference_growth(kNationFrom, kNationTo);
  EXPECT_NEAR(ss::homothetic(180, 400, 1100), 180.0 * 4 / 11, 1e-12);
  ss::Components a;
  for (std::size_t i = 0; i < 4; ++i) {
    ss::Components c =
        ss::dunn(kRegionFrom[i], kRegionTo[i], growth->by_industry[i], growth->overall);
    ss::add_esteban_marquillas(c, ss::homothetic(180, kNationFrom[i], 1100),
                               growth->by_industry[i]);
    a += c;
  }
  EXPECT_NEAR(a.competitive, -7.0 / 11, 1e-12);
  EXPECT_NEAR(a.allocation, -26.0 / 11, 1e-12);
}

// Gerfin (1964) by hand: sum e_i (1 + g_i) = 99 + 28 + 9 + 72 = 208, so mix = 208 / (180 x 1.15)
// = 208/207, regional = 205/208, total = (205/180) / 1.15. A zero reference total has no growth.
TEST(ShiftShareKernel, GerfinIssueExample) {
  const ss::GerfinIndices g = ss::gerfin(kRegionFrom, 180, 205, kNationFrom, kNationTo);
  EXPECT_NEAR(g.mix, 208.0 / 207, 1e-12);
  EXPECT_NEAR(g.regional, 205.0 / 208, 1e-12);
  EXPECT_NEAR(g.total, 205.0 / 180 / 1.15, 1e-12);
  EXPECT_FALSE(ss::reference_growth({0, 0}, {1, 2}).has_value());
}

// missing = "drop": a dropped value is read as 0 in the totals (the rule the README states), so
// the components equal those of the same table with a 0 there, and a warning names the cell.
TEST(ShiftShare, DroppedValueIsReadAsZeroWithAWarning) {
  auto table = [](std::vector<std::uint8_t> valid) {
    return Table({Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "B", "B"}),
                  Column::make_strings("industry", {"X", "Y", "X", "Y", "X", "Y", "X", "Y"}),
                  Column::make_ints("year", {2020, 2020, 2020, 2020, 2025, 2025, 2025, 2025}),
                  Column::make_floats("value", {10, 20, 30, 40, 12, 0, 33, 44}, std::move(valid))});
  };
  std::vector<std::string> log;
  const Table dropped = run_step(with({{"missing", std::string("drop")}}),
                                 {{"t", table({1, 1, 1, 1, 1, 0, 1, 1})}}, "step", collect_log(log))
                            .at("step");
  const Table zero = run_step(with({}), {{"t", table({})}}).at("step");
  for (const char* c : {"growth", "national_share", "industrial_mix", "regional_share"})
    EXPECT_DOUBLE_EQ(value_at(dropped, c, kA), value_at(zero, c, kA)) << c;
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("region 'A', industry 'Y', year 2025"), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("read as 0"), std::string::npos) << log[0];
}
