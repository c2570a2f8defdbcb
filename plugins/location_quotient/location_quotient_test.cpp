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
namespace {
/// The LQs of HandComputedTwoByTwo, by hand: A-X 1.2, B-X 0.8, A-Y 0.7 / 0.75.
void expect_two_by_two(const Table& lq) {
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"region", "A"}, {"industry", "X"}}), 1.2);
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"region", "B"}, {"industry", "X"}}), 0.8);
  EXPECT_DOUBLE_EQ(value_at(lq, "lq", {{"region", "A"}, {"industry", "Y"}}), 0.7 / 0.75);
}
}  // namespace

TEST(LocationQuotient, HandComputedTwoByTwo) {
  auto out =
      run_step({{"input", std::string("t")}},
               {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, 70, 20, 80})}});
  expect_two_by_two(out.at("step"));
}

// HandComputedTwoByTwo's rows out of the cube's order (B-Y, A-X, B-X, A-Y): the quotients are the
// same by hand, and the output keeps the input's row order (row 0 is B-Y: 0.8 / 0.75). A table in
// the cube's order takes a pass over the cube instead (Cube::rows_in_cell_order()).
TEST(LocationQuotient, RowsInAnyOrderGiveTheSameQuotients) {
  auto out =
      run_step({{"input", std::string("t")}},
               {{"t", long_table({"B", "A", "B", "A"}, {"Y", "X", "X", "Y"}, {80, 30, 20, 70})}});
  const Table& lq = out.at("step");
  expect_two_by_two(lq);
  EXPECT_EQ(lq.column("region").str(0), "B");
  EXPECT_DOUBLE_EQ(lq.column("lq").floats[0], 0.8 / 0.75);
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")}},
             {{"t", long_table({"B", "A", "B", "A"}, {"Y", "X", "X", "Y"}, {80, 0, 20, 0})}});
  });
  EXPECT_NE(msg.find("region 'A' has a zero total"), std::string::npos) << msg;
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

// REAT's locq takes national totals that exceed the region: locq(1714, 79006, 879213, 15593224) =
// 0.3847623 (documented). Here region A alone is the table (X 1714, other 79006 - 1714) and the
// nation is the reference table (X 879213, other 15593224 - 879213), as REAT uses it.
TEST(LocationQuotient, ReferenceTableReproducesReatLocq) {
  auto region = long_table({"A", "A"}, {"X", "other"}, {1714, 79006 - 1714});
  Table nation({Column::make_strings("industry", {"X", "other"}),
                Column::make_floats("value", {879213, 15593224.0 - 879213})});
  auto out = run_step({{"input", std::string("t")}, {"reference", std::string("nat")}},
                      {{"t", region}, {"nat", nation}});
  EXPECT_NEAR(value_at(out.at("step"), "lq", {{"region", "A"}, {"industry", "X"}}), 0.3847623,
              5e-8);
}

// Hand computation (Miller & Blair 2009, 8.5.1, with the reference shares from the table): regions
// A (30, 70) and B (20, 80); the reference has X 100, Y 100 and Z 999, Z not in the table and so
// left out of E = 200: E_X / E = 0.5, LQ_A,X = 0.3 / 0.5 = 0.6, LQ_B,Y = 0.8 / 0.5 = 1.6. The
// reference has no year column: its rows serve both years (2025 is 1, 1, 1, 1: LQ = 1).
TEST(LocationQuotient, ReferenceTableWithoutYearsServesEveryYear) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y", "X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 70, 20, 80, 1, 1, 1, 1})});
  Table ref({Column::make_strings("industry", {"Z", "X", "Y"}),
             Column::make_floats("value", {999, 100, 100})});
  auto out = run_step({{"input", std::string("t")}, {"reference", std::string("r")}},
                      {{"t", t}, {"r", ref}})
                 .at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2024"}, {"region", "A"}, {"industry", "X"}}),
                   0.6);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2024"}, {"region", "B"}, {"industry", "Y"}}),
                   1.6);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2025"}, {"region", "B"}, {"industry", "Y"}}),
                   1.0);
}

// A reference with a year column is matched by year: 2024 X 1, Y 3 (E_X / E = 0.25), 2025 X 1,
// Y 1 (0.5). By hand: 2024 A,X = 0.3 / 0.25 = 1.2; 2025 A,X = 0.5 / 0.5 = 1.
TEST(LocationQuotient, ReferenceTableByYear) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y", "X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 70, 20, 80, 5, 5, 2, 8})});
  Table ref({Column::make_ints("year", {2024, 2024, 2025, 2025}),
             Column::make_strings("industry", {"X", "Y", "X", "Y"}),
             Column::make_floats("value", {1, 3, 1, 1})});
  auto out = run_step({{"input", std::string("t")}, {"reference", std::string("r")}},
                      {{"t", t}, {"r", ref}})
                 .at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2024"}, {"region", "A"}, {"industry", "X"}}),
                   1.2);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2025"}, {"region", "A"}, {"industry", "X"}}),
                   1.0);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2025"}, {"region", "B"}, {"industry", "X"}}),
                   0.4);
}

TEST(LocationQuotient, IndustryMissingFromTheReferenceIsNamed) {
  Table ref({Column::make_strings("industry", {"X"}), Column::make_floats("value", {10})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(
                  {{"input", std::string("t")}, {"reference", std::string("nat")}},
                  {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, 70, 20, 80})},
                   {"nat", ref}});
            }),
            "industry 'Y' has no row in the reference table 'nat': add its national total");
}

TEST(LocationQuotient, DuplicateReferenceRowIsAnError) {
  Table ref({Column::make_strings("industry", {"X", "Y", "X"}),
             Column::make_floats("value", {10, 20, 30})});
  const std::string msg = error_message<DataError>([&] {
    run_step({{"input", std::string("t")}, {"reference", std::string("nat")}},
             {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, 70, 20, 80})},
              {"nat", ref}});
  });
  EXPECT_NE(msg.find("industry 'X' has more than one row in the reference table 'nat'"),
            std::string::npos)
      << msg;
}

// Additive LQ by hand on A (30, 70), B (20, 80) (national X 50, Y 150, all 200):
// industry_share (Hoen & Oosterhaven 2006, e_ij/e_j - e_i/e): A,X = 0.3 - 0.25 = 0.05,
// B,X = 0.2 - 0.25 = -0.05; region_share (REAT locq LQ.method = "a", e_ij/e_i - e_j/e):
// A,X = 30/50 - 100/200 = 0.1, B,Y = 80/150 - 0.5 = 1/30. `present` stays on the multiplicative
// LQ: A,X 1.2 >= 1, B,X 0.8 < 1.
TEST(LocationQuotient, AdditiveBothForms) {
  auto t = long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, 70, 20, 80});
  auto ind = run_step({{"input", std::string("t")},
                       {"method", std::string("additive")},
                       {"presence_threshold", 1.0}},
                      {{"t", t}})
                 .at("step");
  EXPECT_NEAR(value_at(ind, "lq", {{"region", "A"}, {"industry", "X"}}), 0.05, 1e-15);
  EXPECT_NEAR(value_at(ind, "lq", {{"region", "B"}, {"industry", "X"}}), -0.05, 1e-15);
  EXPECT_EQ(value_at(ind, "present", {{"region", "A"}, {"industry", "X"}}), 1);
  EXPECT_EQ(value_at(ind, "present", {{"region", "B"}, {"industry", "X"}}), 0);
  auto reg = run_step({{"input", std::string("t")},
                       {"method", std::string("additive")},
                       {"additive_form", std::string("region_share")}},
                      {{"t", t}})
                 .at("step");
  EXPECT_NEAR(value_at(reg, "lq", {{"region", "A"}, {"industry", "X"}}), 0.1, 1e-15);
  EXPECT_NEAR(value_at(reg, "lq", {{"region", "B"}, {"industry", "Y"}}), 1.0 / 30, 1e-15);
}

// E counts only the industries with a row in the year, as e_j does. By hand: the table of the test
// above with one reference for both years, C 40, S 40, T 8: 2024 has no T, so E = 80 and
// LQ_A,C = (30 / 40) / (40 / 80) = 1.5; 2025 has E = 88, LQ_A,T = (1 / 41) / (8 / 88).
TEST(LocationQuotient, ReferenceTotalCoversTheYearsIndustries) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "A", "B", "B", "B"}),
           Column::make_strings("industry", {"C", "S", "C", "S", "C", "S", "T", "C", "S", "T"}),
           Column::make_floats("value", {30, 10, 10, 30, 30, 10, 1, 10, 30, 3})});
  Table ref({Column::make_strings("industry", {"C", "S", "T"}),
             Column::make_floats("value", {40, 40, 8})});
  auto out = run_step({{"input", std::string("t")}, {"reference", std::string("r")}},
                      {{"t", t}, {"r", ref}})
                 .at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2024"}, {"region", "A"}, {"industry", "C"}}),
                   1.5);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"year", "2025"}, {"region", "A"}, {"industry", "T"}}),
                   (1.0 / 41) / (8.0 / 88));
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

// Enough years for every core to take some (2^15 cells a year): every cell of year y holds y + 1,
// so by hand e_j = 256 (y + 1), e_i = 128 (y + 1) and e = 2^15 (y + 1), all exact in doubles.
TEST(LocationQuotientKernel, CubeTotalsOfManyYearsByHand) {
  const std::size_t years = 6, regions = 128, industries = 256, per_year = regions * industries;
  std::vector<double> values(years * per_year);
  for (std::size_t c = 0; c < values.size(); ++c) values[c] = static_cast<double>(c / per_year + 1);
  const lq::CubeTotals t = lq::cube_totals(values, years, regions, industries);
  for (std::size_t y = 0; y < years; ++y) {
    const double k = static_cast<double>(y + 1);
    for (std::size_t r = 0; r < regions; ++r) EXPECT_EQ(t.region[y * regions + r], 256 * k);
    for (std::size_t i = 0; i < industries; ++i) EXPECT_EQ(t.industry[y * industries + i], 128 * k);
    EXPECT_EQ(t.all[y], 32768 * k);
  }
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

// The additive LQ on REAT's documented locq figures (e_ij 1714, e_j 79006, e_i 879213,
// e 15593224), by hand: region_share (REAT LQ.method = "a") 1714/879213 - 79006/15593224 =
// 0.0019494707 - 0.0050666879 = -0.0031172172; industry_share (Hoen & Oosterhaven 2006)
// 1714/79006 - 879213/15593224 = 0.0216945548 - 0.0563842987 = -0.0346897439.
TEST(LocationQuotientKernel, AdditiveFormsOnReatFigures) {
  EXPECT_NEAR(
      lq::additive_location_quotient(1714, 79006, 879213, 15593224, lq::AdditiveForm::kRegionShare),
      -0.0031172172, 1e-10);
  EXPECT_NEAR(lq::additive_location_quotient(1714, 79006, 879213, 15593224,
                                             lq::AdditiveForm::kIndustryShare),
              -0.0346897439, 1e-10);
}

// E per year is the sum of the reference's E_i, industries without a row (NaN) skipped: year 1
// 1 + 3 = 4, year 2 2 + (none) = 2.
TEST(LocationQuotientKernel, ReferenceGrandTotalsSkipMissingIndustries) {
  const double none = std::nan("");
  EXPECT_EQ(lq::reference_grand_totals({1, 3, 2, none}, 2, 2), (std::vector<double>{4, 2}));
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
