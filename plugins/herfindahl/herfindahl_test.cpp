#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "herfindahl_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace herfindahl = klaster::plugins::herfindahl;

namespace {

std::size_t row_of(const Table& t, const std::string& key_column, const std::string& key) {
  const Column& c = t.column(key_column);
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (c.to_text(r) == key) return r;
  throw std::runtime_error("no row " + key);
}

const Value kInput = std::string("t");

}  // namespace

// Issue 2 check, from the definition (Herfindahl 1950; REAT herf()): shares 0.2, 0.5, 0.2, 0.1 give
// H = 0.04 + 0.25 + 0.04 + 0.01 = 0.34, normalised (0.34 - 0.25) / 0.75 = 0.12, 1/H = 2.941.
// The values are 10 x the shares, so the test also checks that only shares matter.
TEST(Herfindahl, SharesTwentyFiftyTwentyTenAcrossRegions) {
  auto t = long_table({"A", "B", "C", "D"}, {"X", "X", "X", "X"}, {200, 500, 200, 100});
  const Table out = run_step({{"input", kInput}}, {{"t", t}}).at("step");
  ASSERT_EQ(out.rows(), 1u);
  EXPECT_NEAR(value_at(out, "hhi", {{"industry", "X"}}), 0.34, 1e-12);
  EXPECT_NEAR(value_at(out, "hhi_normalized", {{"industry", "X"}}), 0.12, 1e-12);
  EXPECT_NEAR(value_at(out, "equivalent_number", {{"industry", "X"}}), 2.941, 5e-4);
  EXPECT_EQ(value_at(out, "n", {{"industry", "X"}}), 4);
  EXPECT_EQ(out.schema().names(), (std::vector<std::string>{"industry", "hhi", "hhi_normalized",
                                                            "equivalent_number", "n"}));
}

// The same shares as one region's industry mix: specialisation (over = "industry").
TEST(Herfindahl, SharesTwentyFiftyTwentyTenAcrossIndustries) {
  auto t = long_table({"KST", "KST", "KST", "KST", "ALA", "ALA"}, {"A", "B", "C", "D", "A", "B"},
                      {20, 50, 20, 10, 1, 1});
  const Table out =
      run_step({{"input", kInput}, {"over", std::string("industry")}}, {{"t", t}}).at("step");
  ASSERT_EQ(out.rows(), 2u);
  EXPECT_NEAR(value_at(out, "hhi", {{"region", "KST"}}), 0.34, 1e-12);
  EXPECT_NEAR(value_at(out, "hhi_normalized", {{"region", "KST"}}), 0.12, 1e-12);
  EXPECT_NEAR(value_at(out, "equivalent_number", {{"region", "KST"}}), 1 / 0.34, 1e-12);
  // ALA: two equal industries -> H = 0.5 = 1/n, normalised 0, equivalent number 2.
  EXPECT_NEAR(value_at(out, "hhi", {{"region", "ALA"}}), 0.5, 1e-12);
  EXPECT_NEAR(value_at(out, "hhi_normalized", {{"region", "ALA"}}), 0.0, 1e-12);
}

// Hand-computed per year: 2024 shares (0.5, 0.5) -> 0.5; 2025 shares (0.75, 0.25) -> 0.625,
// normalised (0.625 - 0.5) / 0.5 = 0.25, equivalent number 1.6.
TEST(Herfindahl, PerYear) {
  Table t({Column::make_ints("year", {2024, 2024, 2025, 2025}),
           Column::make_strings("region", {"A", "B", "A", "B"}),
           Column::make_strings("industry", {"C", "C", "C", "C"}),
           Column::make_floats("value", {10, 10, 30, 10})});
  const Table out = run_step({{"input", kInput}}, {{"t", t}}).at("step");
  ASSERT_EQ(out.rows(), 2u);
  EXPECT_EQ(out.columns()[0].name, "year");
  EXPECT_DOUBLE_EQ(value_at(out, "hhi", {{"year", "2024"}, {"industry", "C"}}), 0.5);
  EXPECT_DOUBLE_EQ(value_at(out, "hhi", {{"year", "2025"}, {"industry", "C"}}), 0.625);
  EXPECT_DOUBLE_EQ(value_at(out, "hhi_normalized", {{"year", "2025"}, {"industry", "C"}}), 0.25);
  EXPECT_DOUBLE_EQ(value_at(out, "equivalent_number", {{"year", "2025"}, {"industry", "C"}}), 1.6);
}

// Bounds that hold for any shares: 1/n <= H <= 1, 0 <= H* <= 1, 1 <= 1/H <= n; equal shares give
// exactly 1/n and a single positive unit gives 1.
TEST(Herfindahl, BoundsAndExtremes) {
  auto t = long_table({"A", "B", "C", "A", "B", "C", "A", "B", "C"},
                      {"even", "even", "even", "mono", "mono", "mono", "mix", "mix", "mix"},
                      {7, 7, 7, 0, 9, 0, 1, 2, 6});
  const Table out = run_step({{"input", kInput}}, {{"t", t}}).at("step");
  EXPECT_NEAR(value_at(out, "hhi", {{"industry", "even"}}), 1.0 / 3, 1e-12);
  EXPECT_NEAR(value_at(out, "hhi_normalized", {{"industry", "even"}}), 0.0, 1e-12);
  EXPECT_NEAR(value_at(out, "equivalent_number", {{"industry", "even"}}), 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(value_at(out, "hhi", {{"industry", "mono"}}), 1.0);
  EXPECT_DOUBLE_EQ(value_at(out, "hhi_normalized", {{"industry", "mono"}}), 1.0);
  for (std::size_t r = 0; r < out.rows(); ++r) {
    const double h = out.column("hhi").floats[r];
    const double n = static_cast<double>(out.column("n").ints[r]);
    EXPECT_GE(h, 1 / n - 1e-12);
    EXPECT_LE(h, 1.0 + 1e-12);
    EXPECT_GE(out.column("hhi_normalized").floats[r], -1e-12);
    EXPECT_LE(out.column("equivalent_number").floats[r], n + 1e-12);
  }
}

// count_zeros = false: the zero regions of "mono" leave n, so n = 1 and the normalised index is
// missing; with the default (true) n = 3 and H* = 1.
TEST(Herfindahl, CountZerosAndSingleUnit) {
  auto t = long_table({"A", "B", "C"}, {"mono", "mono", "mono"}, {0, 9, 0});
  const Table with_zeros = run_step({{"input", kInput}}, {{"t", t}}).at("step");
  EXPECT_EQ(value_at(with_zeros, "n", {{"industry", "mono"}}), 3);
  const Table positive =
      run_step({{"input", kInput}, {"count_zeros", false}}, {{"t", t}}).at("step");
  EXPECT_EQ(value_at(positive, "n", {{"industry", "mono"}}), 1);
  EXPECT_DOUBLE_EQ(value_at(positive, "hhi", {{"industry", "mono"}}), 1.0);
  EXPECT_FALSE(positive.column("hhi_normalized").is_valid(row_of(positive, "industry", "mono")));
}

TEST(Herfindahl, NegativeValueNamesTheCell) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"input", kInput}}, {{"t", long_table({"A", "B"}, {"X", "X"}, {5, -1})}});
            }),
            "negative value -1 in column 'value' at region 'B', industry 'X'");
}

TEST(Herfindahl, ZeroTotalNamesTheGroup) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"input", kInput}, {"over", std::string("industry")}},
                       {{"t", long_table({"A", "A", "B"}, {"X", "Y", "X"}, {0, 0, 3})}});
            }),
            "region 'A' has a zero total of 'value' in all rows: its shares, and so its HHI, "
            "are undefined");
}

TEST(Herfindahl, MissingValueErrorOrDrop) {
  Table t({Column::make_strings("region", {"A", "B", "C"}),
           Column::make_strings("industry", {"X", "X", "X"}),
           Column::make_floats("value", {1, 0, 1}, {1, 0, 1})});
  EXPECT_THROW(run_step({{"input", kInput}}, {{"t", t}}), DataError);
  const Table out =
      run_step({{"input", kInput}, {"missing", std::string("drop")}}, {{"t", t}}).at("step");
  EXPECT_EQ(value_at(out, "n", {{"industry", "X"}}), 2);
  EXPECT_DOUBLE_EQ(value_at(out, "hhi", {{"industry", "X"}}), 0.5);
}

TEST(Herfindahl, BadOverIsAParamError) {
  const ThrownParamError e = param_error([&] {
    run_step({{"input", kInput}, {"over", std::string("sector")}},
             {{"t", long_table({"A"}, {"X"}, {1})}});
  });
  EXPECT_EQ(e.param, "over") << e.message;
}

// BNS publishes OKED section T for 2025 only: with no row in 2024, T does not occur in that year
// (no row, no zero-total error); in 2025 its shares over the regions are 1/4, 3/4: H = 0.625.
TEST(Herfindahl, IndustryWithRowsOnlyInTheLastYearIsLeftOutOfEarlierYears) {
  Table t({Column::make_ints("year", {2024, 2024, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "B", "A", "B", "A", "B"}),
           Column::make_strings("industry", {"C", "C", "C", "C", "T", "T"}),
           Column::make_floats("value", {1, 1, 1, 1, 1, 3})});
  const Table out = run_step({{"input", kInput}}, {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 3u);  // C 2024, C 2025, T 2025
  EXPECT_DOUBLE_EQ(value_at(out, "hhi", {{"year", "2025"}, {"industry", "T"}}), 0.625);
  EXPECT_THROW(value_at(out, "hhi", {{"year", "2024"}, {"industry", "T"}}), std::exception);
}

// The kernel on plain values, by the definition H = sum s_k^2 (Herfindahl 1950): values 1, 1, 2
// give shares 1/4, 1/4, 1/2 and H = 1/16 + 1/16 + 1/4 = 0.375; H* = (0.375 - 1/3) / (2/3) = 1/16.
TEST(HerfindahlKernel, QuarterQuarterHalf) {
  const auto h = herfindahl::group_hhi({1, 1, 2}, true);
  ASSERT_TRUE(h.has_value());
  EXPECT_DOUBLE_EQ(h->hhi, 0.375);
  EXPECT_EQ(h->n, 3);
  EXPECT_DOUBLE_EQ(*herfindahl::normalized_hhi(h->hhi, h->n), 0.0625);
}

// A zero counts as a unit only with count_zeros (REAT herf() counts every element); a zero total
// has no shares; H* is 0/0 for a single unit.
TEST(HerfindahlKernel, ZerosAndUndefinedCases) {
  EXPECT_EQ(herfindahl::group_hhi({0, 5}, true)->n, 2);
  EXPECT_EQ(herfindahl::group_hhi({0, 5}, false)->n, 1);
  EXPECT_DOUBLE_EQ(herfindahl::group_hhi({0, 5}, false)->hhi, 1.0);
  EXPECT_FALSE(herfindahl::group_hhi({0, 0}, true).has_value());
  EXPECT_FALSE(herfindahl::normalized_hhi(1.0, 1).has_value());
}

// missing = "drop" (issue 10): B's value is missing, so B is left out of X's shares and n, and the
// step says so. By hand: shares (1/2, 1/2) over A and C, H = 1/4 + 1/4 = 0.5, n = 2 (reading B as
// a 0 with count_zeros = true would give n = 3).
TEST(Herfindahl, DroppedValueIsLeftOutWithAWarning) {
  Table t({Column::make_strings("region", {"A", "B", "C"}),
           Column::make_strings("industry", {"X", "X", "X"}),
           Column::make_floats("value", {1, 0, 1}, {1, 0, 1})});
  std::vector<std::string> log;
  const Table out =
      run_step({{"input", kInput}, {"missing", std::string("drop")}, {"count_zeros", true}},
               {{"t", t}}, "step", collect_log(log))
          .at("step");
  EXPECT_EQ(value_at(out, "n", {{"industry", "X"}}), 2);
  EXPECT_DOUBLE_EQ(value_at(out, "hhi", {{"industry", "X"}}), 0.5);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0],
            "1 cell of 'value' with a missing value was dropped (region 'B', industry 'X'): each "
            "is left out of its group's shares, total and n");
}
