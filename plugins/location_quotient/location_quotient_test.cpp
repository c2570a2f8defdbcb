#include <gtest/gtest.h>

#include <cmath>

#include "klaster/sdk/testing.hpp"
#include "location_quotient_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace lq = klaster::plugins::location_quotient;

namespace {

// REAT (Wieland) documentation of locq(): locq(1714, 79006, 879213, 15593224) = 0.3847623, i.e.
// e_ij = 1714 employed in the industry in the region, e_j = 79006 in the region, e_i = 879213 in
// the industry nationally, e = 15593224 in total. Laid out as a two-region table with the same
// totals.
Table reat_locq_example() {
  return long_table({"A", "A", "B", "B"}, {"X", "other", "X", "other"},
                    {1714, 79006 - 1714, 879213 - 1714, 15593224.0 - 79006 - (879213 - 1714)});
}

}  // namespace

TEST(LocationQuotient, ReatLocqDocumentedExample) {
  auto out = run_step({{"input", std::string("t")}}, {{"t", reat_locq_example()}});
  const Table& lq = out.at("step");
  EXPECT_NEAR(value_at(lq, "lq", {{"region", "A"}, {"industry", "X"}}), 0.3847623, 5e-8);
  EXPECT_EQ(lq.rows(), 4u);
}

// Miller & Blair (2009) sec. 8.5.1 defines LQ_i^r = (x_i^r / x^r) / (x_i^n / x^n); with two regions
// and two industries the shares are easy to check by hand: region A (30, 70), region B (20, 80):
// national shares 50/200 = 0.25 and 150/200 = 0.75, so LQ_A,X = 0.3 / 0.25 = 1.2.
TEST(LocationQuotient, HandComputedTwoByTwo) {
  auto out =
      run_step({{"input", std::string("t")}},
               {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, 70, 20, 80})}});
  const Table& lq = out.at("step");
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"region", "A"}, {"industry", "X"}}), 1.2);
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"region", "B"}, {"industry", "X"}}), 0.8);
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"region", "A"}, {"industry", "Y"}}), 0.7 / 0.75);
}

// LQ by hand (Miller & Blair 2009, 8.5.1): 2024 is HandComputedTwoByTwo (1.2), 2025 even (1).
TEST(LocationQuotient, PerYearWithPresence) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y", "X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 70, 20, 80, 50, 50, 50, 50})});
  auto out = run_step({{"input", std::string("t")}, {"presence_threshold", 1.0}}, {{"t", t}});
  const Table& lq = out.at("step");
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"year", "2024"}, {"region", "A"}, {"industry", "X"}}), 1.2);
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"year", "2025"}, {"region", "A"}, {"industry", "X"}}), 1.0);
  EXPECT_EQ(value_at(lq, "present", {{"year", "2024"}, {"region", "B"}, {"industry", "X"}}), 0);
  EXPECT_EQ(value_at(lq, "present", {{"year", "2025"}, {"region", "B"}, {"industry", "X"}}), 1);
}

// Standardised LQ (O'Donoghue & Gleave 2004): (LQ - mean) / sd across regions for one industry.
// Three regions with LQs of X 1.2, 0.8 and 1.0 (by construction) -> mean 1, sample sd 0.2,
// standardised 1, -1, 0. REAT's locq2 subtracts other means; we check the definition.
TEST(LocationQuotient, StandardizedIsZScoreAcrossRegions) {
  auto t = long_table({"A", "A", "B", "B", "C", "C"}, {"X", "Y", "X", "Y", "X", "Y"},
                      {30, 70, 20, 80, 25, 75});
  auto out =
      run_step({{"input", std::string("t")}, {"method", std::string("standardized")}}, {{"t", t}});
  const Table& z = out.at("step");
  EXPECT_NEAR(value_at(z, "lq", {{"region", "A"}, {"industry", "X"}}), 1.0, 1e-12);
  EXPECT_NEAR(value_at(z, "lq", {{"region", "B"}, {"industry", "X"}}), -1.0, 1e-12);
  EXPECT_NEAR(value_at(z, "lq", {{"region", "C"}, {"industry", "X"}}), 0.0, 1e-12);
}

// ln of the HandComputedTwoByTwo LQ 1.2 (Miller & Blair 2009, 8.5.1).
TEST(LocationQuotient, LogMethod) {
  auto out =
      run_step({{"input", std::string("t")}, {"method", std::string("log")}},
               {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, 70, 20, 80})}});
  EXPECT_DOUBLE_EQ(value_at(out.at("step"), "lq", {{"region", "A"}, {"industry", "X"}}),
                   std::log(1.2));
}

TEST(LocationQuotient, NegativeValueNamesTheCell) {
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(
            {{"input", std::string("t")}},
            {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, -70, 20, 80})}});
      }),
      "negative value -70 in column 'value' at region 'A', industry 'Y'");
}

TEST(LocationQuotient, ZeroRegionTotalIsAnError) {
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")}},
             {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {0, 0, 20, 80})}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("region 'A' has a zero total"), std::string::npos) << msg;
}

TEST(LocationQuotient, MissingValueErrorOrDrop) {
  Table t({Column::make_strings("region", {"A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 0, 20, 80}, {1, 0, 1, 1})});
  EXPECT_THROW(run_step({{"input", std::string("t")}}, {{"t", t}}), DataError);
  auto out = run_step({{"input", std::string("t")}, {"missing", std::string("drop")}}, {{"t", t}});
  EXPECT_EQ(out.at("step").rows(), 3u);
}

TEST(LocationQuotient, UnknownParameterSuggestsNearest) {
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step({{"input", std::string("t")}, {"vaule", std::string("value")}},
                       {{"t", reat_locq_example()}});
            }),
            "plugin 'location_quotient' has no parameter 'vaule' (did you mean 'value'?)");
}

// BNS publishes OKED section T for 2025 only: LQ writes rows only for present cells, so T gets no
// 2024 rows and the 2024 totals have no T (no zero-total error). 2025: A has T 1 of 41, the nation
// 4 of 84.
TEST(LocationQuotient, IndustryWithRowsOnlyInTheLastYearIsLeftOutOfEarlierYears) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "A", "B", "B", "B"}),
           Column::make_strings("industry", {"C", "S", "C", "S", "C", "S", "T", "C", "S", "T"}),
           Column::make_floats("value", {30, 10, 10, 30, 30, 10, 1, 10, 30, 3})});
  auto out = run_step({{"input", std::string("t")}}, {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 10u);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2024"}, {"region", "A"}, {"industry", "C"}}),
                   1.5);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2025"}, {"region", "A"}, {"industry", "T"}}),
                   (1.0 / 41) / (4.0 / 84));
}

// The kernel on plain values. REAT (Wieland) documents locq(1714, 79006, 879213, 15593224) =
// 0.3847623: (1714 / 79006) / (879213 / 15593224).
TEST(LocationQuotientKernel, ReatLocqDocumentedExample) {
  EXPECT_NEAR(lq::location_quotient(1714, 79006, 879213, 15593224), 0.3847623, 5e-8);
}

// Totals of Miller & Blair's (2009, 8.5.1) e_j, e_i and e, by hand: year 1 is region A (30, 70),
// B (20, 80), so e_A = e_B = 100, e_X = 50, e_Y = 150, e = 200; year 2 is 1, 2, 3, 4: e_A = 3,
// e_B = 7, e_X = 4, e_Y = 6, e = 10.
TEST(LocationQuotientKernel, CubeTotalsByHand) {
  const lq::CubeTotals t = lq::cube_totals({30, 70, 20, 80, 1, 2, 3, 4}, 2, 2, 2);
  EXPECT_EQ(t.region, (std::vector<double>{100, 100, 3, 7}));
  EXPECT_EQ(t.industry, (std::vector<double>{50, 150, 4, 6}));
  EXPECT_EQ(t.all, (std::vector<double>{200, 10}));
  EXPECT_DOUBLE_EQ(lq::location_quotient(30, t.region[0], t.industry[0], t.all[0]), 1.2);
}

// O'Donoghue & Gleave (2004), eq. 2: z = (LQ - mean) / sd with the sample sd. Group 0 holds LQs
// 1.2, 0.8, 1.0: mean 1, sd sqrt((0.04 + 0.04 + 0) / 2) = 0.2, z = 1, -1, 0. Group 1 holds one
// value: its sd is undefined (0/0).
TEST(LocationQuotientKernel, StandardizedIsAZScoreWithTheSampleSd) {
  std::vector<double> v = {1.2, 5.0, 0.8, 1.0};
  const std::vector<std::uint32_t> group = {0, 1, 0, 0};
  const lq::GroupMoments m = lq::group_moments(v, group, 2);
  EXPECT_EQ(m.count, (std::vector<std::size_t>{3, 1}));
  EXPECT_NEAR(m.mean[0], 1.0, 1e-15);
  EXPECT_NEAR(m.sd[0], 0.2, 1e-15);
  EXPECT_TRUE(std::isnan(m.sd[1]));
  lq::standardize(v, group, m);
  EXPECT_NEAR(v[0], 1.0, 1e-12);
  EXPECT_NEAR(v[2], -1.0, 1e-12);
  EXPECT_NEAR(v[3], 0.0, 1e-12);
}

// missing = "drop" (issue 10): A/Y is missing, so it gets no LQ and the totals lack it, with a
// warning. By hand (Miller & Blair 2009, 8.5.1, on the values kept): e_A = 30, e_B = 100,
// e_X = 50, e_Y = 80, e = 130: LQ_A,X = (30/30) / (50/130) = 2.6, LQ_B,X = 0.2 / (50/130) = 0.52,
// LQ_B,Y = 0.8 / (80/130) = 1.3.
TEST(LocationQuotient, DroppedValueGetsNoLqAndAWarning) {
  Table t({Column::make_strings("region", {"A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 0, 20, 80}, {1, 0, 1, 1})});
  std::vector<std::string> log;
  const Table out = run_step({{"input", std::string("t")}, {"missing", std::string("drop")}},
                             {{"t", t}}, "step", collect_log(log))
                        .at("step");
  ASSERT_EQ(out.rows(), 3u);
  EXPECT_NEAR(value_at(out, "lq", {{"region", "A"}, {"industry", "X"}}), 2.6, 1e-15);
  EXPECT_NEAR(value_at(out, "lq", {{"region", "B"}, {"industry", "X"}}), 0.52, 1e-15);
  EXPECT_NEAR(value_at(out, "lq", {{"region", "B"}, {"industry", "Y"}}), 1.3, 1e-15);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0],
            "1 cell of 'value' with a missing value was dropped (region 'A', industry 'Y'): no LQ "
            "is written for them, and the region, industry and overall totals of their year lack "
            "the missing values");
}
