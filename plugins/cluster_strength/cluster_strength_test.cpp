#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster_strength_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace cs = klaster::plugins::cluster_strength;

namespace {

/// \brief "R3" style labels (GCC 12 warns falsely on "R" + std::to_string(k)).
std::string label(char prefix, std::size_t k) {
  std::string s(1, prefix);
  s.append(std::to_string(k));
  return s;
}

// Ten regions, so "top 10 %" is the first-ranked region and "top 25 %" the first ceil(2.5) = 3.
// R0 is large (total 10000), R1..R9 have 1000 each; cluster category C employs
// R0 1000, R1 400, R2 300, R3 200, R4 100, R5..R9 50 each (C total 2250 of 19000, share .118421).
// LQs: R1 .4/.118421 = 3.378, R2 2.533, R3 1.689, R0 and R4 .8444 (tied), R5..R9 .4222.
// Employment ranks: R0 1, R1 2, R2 3, R3 4, R4 5, R5..R9 6.
Table ten_regions(const std::vector<double>& establishments = {}) {
  const std::vector<double> c = {1000, 400, 300, 200, 100, 50, 50, 50, 50, 50};
  std::vector<std::string> r, i;
  std::vector<double> v, est;
  for (std::size_t k = 0; k < c.size(); ++k) {
    const double total = k == 0 ? 10000 : 1000;
    r.push_back(label('R', k)), i.push_back("C"), v.push_back(c[k]);
    r.push_back(label('R', k)), i.push_back("other"), v.push_back(total - c[k]);
    if (!establishments.empty()) est.push_back(establishments[k]), est.push_back(100);
  }
  std::vector<Column> cols = {Column::make_strings("region", r),
                              Column::make_strings("industry", i), Column::make_floats("value", v)};
  if (!establishments.empty()) cols.push_back(Column::make_floats("establishments", est));
  return Table(std::move(cols));
}

std::map<std::string, Value> with(std::map<std::string, Value> extra) {
  extra["input"] = std::string("t");
  return extra;
}

double at(const Table& t, const char* column, std::size_t region) {
  return value_at(t, column, {{"region", label('R', region)}, {"industry", "C"}});
}

}  // namespace

// Hand-computed in the ten_regions comment: LQ = (e_ir / e_r) / (e_i / e) (Porter 2003).
TEST(ClusterStrength, RanksAndLq) {
  auto out = run_step(with({}), {{"t", ten_regions()}}).at("step");
  EXPECT_NEAR(at(out, "lq", 1), 0.4 / (2250.0 / 19000), 1e-12);
  EXPECT_EQ(at(out, "lq_rank", 1), 1);
  EXPECT_EQ(at(out, "lq_rank", 0), 4);  // tied with R4
  EXPECT_EQ(at(out, "lq_rank", 4), 4);
  EXPECT_EQ(at(out, "lq_rank", 9), 6);
  EXPECT_EQ(at(out, "employment_rank", 0), 1);
  EXPECT_EQ(at(out, "employment_rank", 7), 6);
  EXPECT_NEAR(at(out, "share", 0), 0.1, 1e-12);
}

// US Cluster Mapping tiers with the default rule: significant = LQ >= 1 (R1, R2, R3); strong =
// top 25 % by LQ (R1, R2, R3); strong10 = top 10 % by LQ (R1).
TEST(ClusterStrength, UsClusterMappingTiersByLq) {
  auto out = run_step(with({}), {{"t", ten_regions()}}).at("step");
  const std::vector<int> significant = {0, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  const std::vector<int> strong = {0, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  const std::vector<int> strong10 = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  for (std::size_t r = 0; r < 10; ++r) {
    EXPECT_EQ(at(out, "qualifying", r), 1) << r;
    EXPECT_EQ(at(out, "significant", r), significant[r]) << r;
    EXPECT_EQ(at(out, "strong", r), strong[r]) << r;
    EXPECT_EQ(at(out, "strong10", r), strong10[r]) << r;
  }
}

// strong_by = ["lq", "employment"]: R3 is in the LQ top 3 but 4th by employment, so only R1 and
// R2 are strong; nobody is first on both, so no strong10.
TEST(ClusterStrength, StrongByLqAndEmployment) {
  auto out = run_step(with({{"strong_by", std::vector<std::string>{"lq", "employment"}}}),
                      {{"t", ten_regions()}})
                 .at("step");
  EXPECT_EQ(at(out, "strong", 1), 1);
  EXPECT_EQ(at(out, "strong", 2), 1);
  EXPECT_EQ(at(out, "strong", 3), 0);
  for (std::size_t r = 0; r < 10; ++r) EXPECT_EQ(at(out, "strong10", r), 0) << r;
}

// Establishments screen: R1 has 3 establishments, below min_establishments = 5, so it does not
// qualify and gets no US tier; its ECO stars do not depend on establishments.
TEST(ClusterStrength, MinimumEstablishments) {
  auto t = ten_regions({50, 3, 20, 20, 10, 5, 5, 5, 5, 5});
  auto out = run_step(with({{"min_establishments", 5.0}}), {{"t", t}}).at("step");
  EXPECT_EQ(at(out, "qualifying", 1), 0);
  EXPECT_EQ(at(out, "significant", 1), 0);
  EXPECT_EQ(at(out, "strong", 1), 0);
  EXPECT_EQ(at(out, "qualifying", 2), 1);
  EXPECT_EQ(at(out, "establishments_rank", 0), 1);
  EXPECT_EQ(at(out, "stars", 1), 2);
}

// European Cluster Observatory stars: size = top 10 % by employment (R0); specialisation = LQ >= 2
// (R1 3.378, R2 2.533); focus = top 10 % by the category's share of regional employment (R1, .4).
TEST(ClusterStrength, EuropeanClusterObservatoryStars) {
  auto out = run_step(with({}), {{"t", ten_regions()}}).at("step");
  EXPECT_EQ(at(out, "size_star", 0), 1);
  EXPECT_EQ(at(out, "specialisation_star", 0), 0);
  EXPECT_EQ(at(out, "focus_star", 0), 0);
  EXPECT_EQ(at(out, "stars", 0), 1);
  EXPECT_EQ(at(out, "stars", 1), 2);  // specialisation + focus
  EXPECT_EQ(at(out, "stars", 2), 1);  // specialisation
  EXPECT_EQ(at(out, "stars", 3), 0);
  // With the threshold raised to LQ >= 3 only R1 keeps its specialisation star.
  auto strict = run_step(with({{"eco_lq", 3.0}}), {{"t", ten_regions()}}).at("step");
  EXPECT_EQ(at(strict, "specialisation_star", 1), 1);
  EXPECT_EQ(at(strict, "specialisation_star", 2), 0);
  // eco_min_employment = 500 removes every star below 500 employed (R1 included).
  auto floor = run_step(with({{"eco_min_employment", 500.0}}), {{"t", ten_regions()}}).at("step");
  EXPECT_EQ(at(floor, "stars", 1), 0);
  EXPECT_EQ(at(floor, "stars", 0), 1);
}

// With missing = "drop" a table whose every region key is missing leaves no region (it used to
// read the first region's name from an empty list).
TEST(ClusterStrength, EveryRowDroppedIsAnError) {
  Table t({Column::make_strings("region", std::make_shared<Dictionary>(), {-1, -1}),
           Column::make_strings("industry", {"C", "C"}), Column::make_floats("value", {1, 2})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"missing", std::string("drop")}}), {{"t", t}});
            }),
            "ranking regions needs at least two regions; no row is left (every row has a missing "
            "value or key, and missing = \"drop\" dropped it)");
}

TEST(ClusterStrength, SingleRegionIsAnError) {
  Table t({Column::make_strings("region", {"A", "A"}), Column::make_strings("industry", {"C", "D"}),
           Column::make_floats("value", {1, 2})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}), {{"t", t}});
            }),
            "ranking regions needs at least two regions; the table has only region 'A'");
}

TEST(ClusterStrength, NegativeEstablishmentsNameTheCell) {
  auto t = ten_regions({50, -3, 20, 20, 10, 5, 5, 5, 5, 5});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}), {{"t", t}});
            }),
            "negative value -3 in column 'establishments' at region 'R1', industry 'C'");
}

TEST(ClusterStrength, ZeroRegionTotal) {
  Table t({Column::make_strings("region", {"A", "B"}), Column::make_strings("industry", {"C", "C"}),
           Column::make_floats("value", {0, 2})});
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(with({}), {{"t", t}});
      }),
      "region 'A' has a zero total of 'value' in all rows: its LQs and focus shares are undefined");
}

TEST(ClusterStrength, StrongByNeedsKnownMeasures) {
  EXPECT_THROW(
      run_step(with({{"strong_by", std::vector<std::string>{"wages"}}}), {{"t", ten_regions()}}),
      ParamError);
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step(with({{"strong_by", std::vector<std::string>{"establishments"}}}),
                       {{"t", ten_regions()}});
            }),
            "strong_by has \"establishments\" but table 't' has no column 'establishments'");
}

// BNS publishes OKED section T for 2025 only: in 2024 T has no row, so it does not exist in that
// year (no rows, no zero-total error); in 2025 it is ranked like any category. Region B has no row
// in 2024 either: 2024 ranks A and C only.
TEST(ClusterStrength, CategoryWithRowsOnlyInTheLastYearIsLeftOutOfEarlierYears) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "C", "C", "A", "A", "A", "B", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y", "X", "Y", "T", "X", "Y", "T"}),
           Column::make_floats("value", {30, 10, 10, 30, 30, 10, 1, 10, 30, 3})});
  auto out = run_step(with({}), {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 10u);  // 2024: 2 regions x 2 categories; 2025: 2 x 3
  EXPECT_THROW(value_at(out, "lq", {{"year", "2024"}, {"region", "A"}, {"industry", "T"}}),
               std::exception);
  // X in 2024: A 30/40 against the nation's 40/80, LQ 1.5, rank 1 of 2.
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2024"}, {"region", "A"}, {"industry", "X"}}),
                   1.5);
  EXPECT_EQ(value_at(out, "lq_rank", {{"year", "2024"}, {"region", "C"}, {"industry", "X"}}), 2);
  // T in 2025: B (3/43) against the nation (4/84).
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2025"}, {"region", "B"}, {"industry", "T"}}),
                   (3.0 / 43) / (4.0 / 84));
}

// The kernel on plain values. Ranks from the top with ties sharing the best rank (standard
// competition ranking, "1224"): 3, 1, 3, 2 rank 1, 4, 1, 3. "Top p of n" is ceil(p n), at least 1:
// 25 % of 10 is 3 regions, 10 % of 10 or of 5 is 1, 30 % of 10 exactly 3.
TEST(ClusterStrengthKernel, RanksAndTopCounts) {
  EXPECT_EQ(cs::ranks_from_top({3, 1, 3, 2}), (std::vector<std::int64_t>{1, 4, 1, 3}));
  EXPECT_EQ(cs::top_count(0.25, 10), 3);
  EXPECT_EQ(cs::top_count(0.10, 10), 1);
  EXPECT_EQ(cs::top_count(0.10, 5), 1);
  EXPECT_EQ(cs::top_count(0.30, 10), 3);
}

// The README's worked example, by hand: category C employs R0 1000 of 10000, R1 400 of 1000,
// R2 300, R3 200, R4 100, R5..R9 50 of 1000 each; E_C / E = 2250 / 19000. LQ (Porter 2003) of R1
// = .4 / (2250 / 19000) = 3.378 (rank 1), R0 .8444 (rank 4, tied with R4). Tiers: significant =
// LQ >= 1 (R1, R2, R3), strong = top 3 by LQ (R1, R2, R3), strong10 = top 1 (R1). Stars (Ketels &
// Solvell 2006): size = top 1 by employment (R0), specialisation = LQ >= 2 (R1, R2), focus = top 1
// by share (R1).
TEST(ClusterStrengthKernel, ReadmeWorkedExample) {
  cs::Category c;
  c.employment = {1000, 400, 300, 200, 100, 50, 50, 50, 50, 50};
  c.region_total = {10000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
  c.category_total = 2250;
  c.total = 19000;
  const std::vector<cs::Rating> r = cs::rate(c, cs::Rules{});
  ASSERT_EQ(r.size(), 10u);
  EXPECT_NEAR(r[1].lq, 0.4 / (2250.0 / 19000), 1e-12);
  EXPECT_NEAR(r[0].share, 0.1, 1e-15);
  EXPECT_EQ(r[1].lq_rank, 1);
  EXPECT_EQ(r[0].lq_rank, 4);
  EXPECT_EQ(r[4].lq_rank, 4);
  EXPECT_EQ(r[0].employment_rank, 1);
  const std::vector<bool> significant = {0, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  const std::vector<bool> strong10 = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  for (std::size_t k = 0; k < 10; ++k) {
    EXPECT_TRUE(r[k].qualifying) << k;
    EXPECT_EQ(r[k].significant, significant[k]) << k;
    EXPECT_EQ(r[k].strong, significant[k]) << k;
    EXPECT_EQ(r[k].strong10, strong10[k]) << k;
  }
  EXPECT_EQ(r[0].stars(), 1);  // size
  EXPECT_EQ(r[1].stars(), 2);  // specialisation, focus
  EXPECT_EQ(r[2].stars(), 1);  // specialisation
  EXPECT_EQ(r[3].stars(), 0);
  // strong_by = lq and employment: R3 is 4th by employment, so no longer strong.
  cs::Rules both;
  both.strong_by_employment = true;
  EXPECT_FALSE(cs::rate(c, both)[3].strong);
  EXPECT_TRUE(cs::rate(c, both)[2].strong);
}

// Establishments screen: a region below min_establishments does not qualify, so it has no tier,
// while its stars, which do not look at establishments, stay.
TEST(ClusterStrengthKernel, EstablishmentsScreen) {
  cs::Category c;
  c.employment = {10, 30};
  c.region_total = {100, 100};
  c.establishments = {5, 2};
  c.category_total = 40;
  c.total = 200;
  cs::Rules rules;
  rules.min_establishments = 3;
  const std::vector<cs::Rating> r = cs::rate(c, rules);
  EXPECT_TRUE(r[0].qualifying);
  EXPECT_FALSE(r[1].qualifying);
  EXPECT_FALSE(r[1].significant);  // LQ .3 / .2 = 1.5 would pass
  EXPECT_TRUE(r[1].size_star);
  EXPECT_EQ(r[0].establishments_rank, 1);
  EXPECT_EQ(r[1].establishments_rank, 2);
}

// quantile7 against R: quantile(c(3, 1, 4, 1, 5), c(0, .3, 1)) = 1, 1.4, 5 and
// quantile(c(.2, .4, .6, .8, .9, 1.2), c(.25, .5, .75, .9)) = .45, .7, .875, 1.05 (R 4, default
// type 7, which is d3.quantile's rule: h = (n - 1) p, linear between order statistics).
TEST(ClusterStrengthKernel, Quantile7MatchesR) {
  EXPECT_DOUBLE_EQ(cs::quantile7({3, 1, 4, 1, 5}, 0.0), 1.0);
  EXPECT_NEAR(cs::quantile7({3, 1, 4, 1, 5}, 0.3), 1.4, 1e-12);
  EXPECT_DOUBLE_EQ(cs::quantile7({3, 1, 4, 1, 5}, 1.0), 5.0);
  const std::vector<double> x = {0.2, 0.4, 0.6, 0.8, 0.9, 1.2};
  EXPECT_NEAR(cs::quantile7(x, 0.25), 0.45, 1e-12);
  EXPECT_NEAR(cs::quantile7(x, 0.5), 0.7, 1e-12);
  EXPECT_NEAR(cs::quantile7(x, 0.75), 0.875, 1e-12);
  EXPECT_NEAR(cs::quantile7(x, 0.9), 1.05, 1e-12);
}

// clustermapping.us rules (clustermapping/cmp, data/processing/cluster_calcs_reducer.js), by hand.
// E_C / E = 1 / 10 and E_r = 100, so LQ = e / 10: e = 2, 4, 6, 8, 9, 9.5 give LQ .2 ... .95.
// Establishments 1..6. Quantiles (R type 7): Q25(e) = 4.5, Q25(est) = 2.25, Q25(LQ) = .45,
// Q50(LQ) = .7, Q75(LQ) = .875. Size screen (e > 4.5, est > 2.25): regions 2..5. Qualifying
// (LQ > .45): 2..5; significant (LQ > .7): 3..5; strong needs LQ >= .875 AND LQ >= 1: regions 4
// and 5 are in the top quartile but below 1, so none. With e_5 = 12 (LQ 1.2): Q75(LQ) = .875
// (R: quantile(c(.2, .4, .6, .8, .9, 1.2), .75)) still, Q90 = 1.05, so region 5 is strong and
// strong10 while region 4 (LQ .9) stays out for LQ < 1.
TEST(ClusterStrengthKernel, ClusterMappingQuartileRules) {
  cs::Category c;
  c.employment = {2, 4, 6, 8, 9, 9.5};
  c.region_total.assign(6, 100.0);
  c.establishments = {1, 2, 3, 4, 5, 6};
  c.category_total = 1;
  c.total = 10;
  cs::Rules rules;
  rules.cluster_mapping = true;
  auto r = cs::rate(c, rules);
  const std::vector<bool> qualifying = {0, 0, 1, 1, 1, 1}, significant = {0, 0, 0, 1, 1, 1};
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(r[k].qualifying, qualifying[k]) << k;
    EXPECT_EQ(r[k].significant, significant[k]) << k;
    EXPECT_FALSE(r[k].strong) << k;
    EXPECT_FALSE(r[k].strong10) << k;
  }
  // The default rank rule would call the top quartile (ceil(1.5) = 2 regions: 4, 5) strong.
  EXPECT_TRUE(cs::rate(c, cs::Rules{})[4].strong);
  c.employment[5] = 12;
  r = cs::rate(c, rules);
  EXPECT_FALSE(r[4].strong);
  EXPECT_TRUE(r[5].strong);
  EXPECT_TRUE(r[5].strong10);
}

// method = "cluster_mapping" through the plugin on the ten regions (LQs in ten_regions' comment),
// establishments 10, 8, 6, 1, 2, 1, 1, 1, 1, 1 for C. R: quantile(lq, c(.25, .5, .75, .9)) =
// .4222, .6333, 1.4778, 2.6178; quantile(employment, .25) = 50; quantile(establishments, .25) = 1.
// Size screen (e > 50, est > 1): R0, R1, R2, R4 (R3 has 1 establishment). Qualifying (LQ > .4222)
// and significant (LQ > .6333): R0 (.8444), R1, R2, R4 (.8444). Strong (LQ >= 1.4778): R1, R2;
// strong10 (LQ >= 2.6178): R1. The default rank method calls R3 strong instead of screening it.
TEST(ClusterStrength, ClusterMappingMethod) {
  auto t = ten_regions({10, 8, 6, 1, 2, 1, 1, 1, 1, 1});
  auto out = run_step(with({{"method", std::string("cluster_mapping")}}), {{"t", t}}).at("step");
  const std::vector<int> qualifying = {1, 1, 1, 0, 1, 0, 0, 0, 0, 0};
  const std::vector<int> strong = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0};
  const std::vector<int> strong10 = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  for (std::size_t r = 0; r < 10; ++r) {
    EXPECT_EQ(at(out, "qualifying", r), qualifying[r]) << r;
    EXPECT_EQ(at(out, "significant", r), qualifying[r]) << r;
    EXPECT_EQ(at(out, "strong", r), strong[r]) << r;
    EXPECT_EQ(at(out, "strong10", r), strong10[r]) << r;
  }
  auto by_rank = run_step(with({}), {{"t", t}}).at("step");
  EXPECT_EQ(at(by_rank, "strong", 3), 1);
}

// The clustermapping.us rules rank establishments: without the column it is a ParamError.
TEST(ClusterStrength, ClusterMappingNeedsEstablishments) {
  try {
    run_step(with({{"method", std::string("cluster_mapping")}}), {{"t", ten_regions()}});
    FAIL() << "expected a ParamError";
  } catch (const ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("establishments"), std::string::npos) << e.what();
  }
}

// missing = "drop" (issue 10): R2's employment in C is missing while its establishments are known.
// The cell used to be rated with employment 0; now it is not rated (no row for R2/C), and the step
// warns. The other regions' rows remain (R1/C still has its 400 employed).
TEST(ClusterStrength, CellWithADroppedValueIsNotRated) {
  Table base = ten_regions({10, 10, 10, 10, 10, 10, 10, 10, 10, 10});
  std::vector<double> v = base.column("value").floats;
  std::vector<std::uint8_t> valid(v.size(), 1);
  valid[4] = 0;  // rows: R0/C, R0/other, R1/C, R1/other, R2/C, ...
  Table t({base.column("region"), base.column("industry"), Column::make_floats("value", v, valid),
           base.column("establishments")});
  std::vector<std::string> log;
  const Table out =
      run_step(with({{"missing", std::string("drop")}}), {{"t", t}}, "step", collect_log(log))
          .at("step");
  const Column& region = out.column("region");
  const Column& industry = out.column("industry");
  bool r2_c = false, r1_c = false;
  for (std::size_t k = 0; k < out.rows(); ++k) {
    r2_c = r2_c || (region.str(k) == "R2" && industry.str(k) == "C");
    r1_c = r1_c || (region.str(k) == "R1" && industry.str(k) == "C");
  }
  EXPECT_FALSE(r2_c);
  EXPECT_TRUE(r1_c);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0],
            "1 cell of 'value' with a missing value was dropped (region 'R2', industry 'C'): such "
            "a cell is not rated (no output row), and the totals its LQ and shares would use lack "
            "the missing value");
}
