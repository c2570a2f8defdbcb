#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "compare_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;

namespace {

Table lq_table(const std::vector<std::int64_t>& years, const std::vector<std::string>& regions,
               const std::vector<double>& lq) {
  return Table({Column::make_ints("year", years), Column::make_strings("region", regions),
                Column::make_strings("industry", std::vector<std::string>(regions.size(), "C")),
                Column::make_floats("lq", lq)});
}

std::map<std::string, Value> params(std::map<std::string, Value> extra = {}) {
  std::map<std::string, Value> p = {
      {"baseline", std::string("b")}, {"scenario", std::string("s")}, {"value", std::string("lq")}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

std::size_t row_of(const Table& t, const std::string& region) {
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.column("region").to_text(r) == region) return r;
  throw std::runtime_error("no row for " + region);
}

}  // namespace

// Hand-computed from the definitions change = s - b, relative_change = (s - b) / b:
// KST 1.6 -> 1.84 gives 0.24 and 0.15; ALA 0.5 -> 0.45 gives -0.05 and -0.1.
TEST(Compare, ChangeAndRelativeChange) {
  const Table b = lq_table({2025, 2025}, {"KST", "ALA"}, {1.6, 0.5});
  const Table s = lq_table({2025, 2025}, {"ALA", "KST"}, {0.45, 1.84});  // other row order
  const Table out = run_step(params(), {{"b", b}, {"s", s}}).at("step");
  EXPECT_EQ(out.schema().names(),
            (std::vector<std::string>{"year", "region", "industry", "baseline", "scenario",
                                      "change", "relative_change"}));
  ASSERT_EQ(out.rows(), 2u);
  EXPECT_EQ(out.column("region").to_text(0), "KST");  // baseline order
  EXPECT_DOUBLE_EQ(value_at(out, "baseline", {{"region", "KST"}}), 1.6);
  EXPECT_DOUBLE_EQ(value_at(out, "scenario", {{"region", "KST"}}), 1.84);
  EXPECT_DOUBLE_EQ(value_at(out, "change", {{"region", "KST"}}), 1.84 - 1.6);
  EXPECT_NEAR(value_at(out, "relative_change", {{"region", "KST"}}), 0.15, 1e-12);
  EXPECT_NEAR(value_at(out, "change", {{"region", "ALA"}}), -0.05, 1e-12);
  EXPECT_NEAR(value_at(out, "relative_change", {{"region", "ALA"}}), -0.1, 1e-12);
}

// Identity: a table compared with itself has zero change everywhere; and
// scenario = baseline + change, relative_change * baseline = change on every row.
TEST(Compare, IdentitiesHold) {
  const Table b = lq_table({2024, 2024, 2025}, {"KST", "ALA", "KST"}, {1.2, 0.7, 1.3});
  const Table self = run_step(params(), {{"b", b}, {"s", b}}).at("step");
  for (std::size_t r = 0; r < self.rows(); ++r) {
    EXPECT_EQ(self.column("change").floats[r], 0.0);
    EXPECT_EQ(self.column("relative_change").floats[r], 0.0);
  }
  const Table s = lq_table({2024, 2024, 2025}, {"KST", "ALA", "KST"}, {1.5, 0.2, 1.0});
  const Table out = run_step(params(), {{"b", b}, {"s", s}}).at("step");
  for (std::size_t r = 0; r < out.rows(); ++r) {
    const double bv = out.column("baseline").floats[r], sv = out.column("scenario").floats[r];
    const double ch = out.column("change").floats[r], rel = out.column("relative_change").floats[r];
    EXPECT_DOUBLE_EQ(bv + ch, sv);
    EXPECT_NEAR(rel * bv, ch, 1e-12);
  }
}

// Hand-computed: change = s - b = 0.3 for KST; relative_change = (s - b) / b is missing at b = 0.
TEST(Compare, RelativeChangeMissingWhereBaselineIsZero) {
  const Table b = lq_table({2025, 2025}, {"KST", "ALA"}, {0.0, 2.0});
  const Table s = lq_table({2025, 2025}, {"KST", "ALA"}, {0.3, 2.0});
  const Table out = run_step(params(), {{"b", b}, {"s", s}}).at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "change", {{"region", "KST"}}), 0.3);
  EXPECT_FALSE(out.column("relative_change").is_valid(row_of(out, "KST")));
  EXPECT_TRUE(out.column("relative_change").is_valid(row_of(out, "ALA")));
}

TEST(Compare, UnmatchedIsAnErrorNamingTheKey) {
  const Table b = lq_table({2025, 2025}, {"KST", "ALA"}, {1, 2});
  const Table s = lq_table({2025}, {"KST"}, {1});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params(), {{"b", b}, {"s", s}});
            }),
            "year 2025, region 'ALA', industry 'C' is in baseline 'b' but not in scenario 's' "
            "(set unmatched = \"keep\" to keep such rows)");
}

// Hand-computed: change = s - b = 1.5 - 1 = 0.5 for KST; AST is only in the scenario (3).
TEST(Compare, UnmatchedKeepWritesBothSides) {
  const Table b = lq_table({2025, 2025}, {"KST", "ALA"}, {1, 2});
  const Table s = lq_table({2025, 2025}, {"KST", "AST"}, {1.5, 3});
  const Table out =
      run_step(params({{"unmatched", std::string("keep")}}), {{"b", b}, {"s", s}}).at("step");
  ASSERT_EQ(out.rows(), 3u);
  EXPECT_EQ(out.column("region").to_text(2), "AST");  // scenario-only rows last
  EXPECT_FALSE(out.column("scenario").is_valid(row_of(out, "ALA")));
  EXPECT_FALSE(out.column("change").is_valid(row_of(out, "ALA")));
  EXPECT_FALSE(out.column("baseline").is_valid(row_of(out, "AST")));
  EXPECT_DOUBLE_EQ(value_at(out, "scenario", {{"region", "AST"}}), 3);
  EXPECT_DOUBLE_EQ(value_at(out, "change", {{"region", "KST"}}), 0.5);
}

// Default keys: string and int columns common to both tables (here region only: `year` is only
// in the baseline, `weight` is a float); explicit keys override.
TEST(Compare, DefaultAndExplicitKeys) {
  Table b({Column::make_ints("year", {2025, 2025}), Column::make_strings("region", {"A", "B"}),
           Column::make_floats("weight", {1, 1}), Column::make_floats("value", {10, 20})});
  Table s({Column::make_strings("region", {"B", "A"}), Column::make_floats("weight", {2, 2}),
           Column::make_floats("value", {30, 5})});
  const Table out = run_step({{"baseline", std::string("b")}, {"scenario", std::string("s")}},
                             {{"b", b}, {"s", s}})
                        .at("step");
  EXPECT_EQ(out.schema().names(), (std::vector<std::string>{"region", "baseline", "scenario",
                                                            "change", "relative_change"}));
  EXPECT_DOUBLE_EQ(value_at(out, "relative_change", {{"region", "A"}}), -0.5);
  EXPECT_DOUBLE_EQ(value_at(out, "relative_change", {{"region", "B"}}), 0.5);
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step({{"baseline", std::string("b")},
                        {"scenario", std::string("s")},
                        {"keys", std::vector<std::string>{"year"}}},
                       {{"b", b}, {"s", s}});
            }),
            "key column 'year' is not in scenario table 's'");
}

TEST(Compare, DuplicateKeyIsAnError) {
  const Table b = lq_table({2025, 2025}, {"KST", "KST"}, {1, 2});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params(), {{"b", b}, {"s", b}});
            }),
            "table 'b' has several rows for year 2025, region 'KST', industry 'C'; "
            "the keys must identify one row");
}

TEST(Compare, ValueMissingFromScenarioOrKeyTypesDiffer) {
  const Table b = lq_table({2025}, {"KST"}, {1});
  Table s({Column::make_ints("year", {2025}), Column::make_strings("region", {"KST"}),
           Column::make_strings("industry", {"C"}), Column::make_floats("value", {1})});
  const ThrownParamError e = param_error([&] { run_step(params(), {{"b", b}, {"s", s}}); });
  EXPECT_EQ(e.param, "value") << e.message;
  EXPECT_EQ(e.message, "column 'lq' (parameter 'value') is not in scenario table 's'");
  Table s2({Column::make_strings("year", {"2025"}), Column::make_strings("region", {"KST"}),
            Column::make_strings("industry", {"C"}), Column::make_floats("lq", {1})});
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step(params({{"keys", std::vector<std::string>{"year", "region"}}}),
                       {{"b", b}, {"s", s2}});
            }),
            "key column 'year' is int in 'b' but string in 's'");
}

// The kernel on plain values.
namespace cmp = klaster::plugins::compare;

// The README's worked example by the definitions change = s - b, relative_change = (s - b) / b:
// KST 1.6 -> 1.84 gives 0.24 and 0.15; from b = 0 the relative change is undefined, and a missing
// side leaves both undefined.
TEST(CompareKernel, ChangeAndRelativeChangeByDefinition) {
  const cmp::Comparison kst = cmp::compare(1.6, 1.84);
  ASSERT_TRUE(kst.change && kst.relative_change);
  EXPECT_NEAR(*kst.change, 0.24, 1e-12);
  EXPECT_NEAR(*kst.relative_change, 0.15, 1e-12);
  const cmp::Comparison from_zero = cmp::compare(0.0, 0.3);
  EXPECT_DOUBLE_EQ(*from_zero.change, 0.3);
  EXPECT_FALSE(from_zero.relative_change.has_value());
  EXPECT_FALSE(cmp::compare(std::nullopt, 3.0).change.has_value());
  EXPECT_FALSE(cmp::compare(2.0, std::nullopt).relative_change.has_value());
}

// Baseline keys A, B and scenario keys C, A (as numbers A = 0, B = 1, C = 2): A is matched
// (scenario row 1), B is baseline-only, C scenario-only and comes last.
TEST(CompareKernel, JoinKeepsBaselineOrderThenScenarioOnlyRows) {
  const std::vector<std::uint64_t> b{0, 1}, s{2, 0};
  const std::vector<std::size_t> b_at{0, 1, cmp::kNoRow}, s_at{1, cmp::kNoRow, 0};
  const std::vector<cmp::RowPair> pairs = cmp::join_rows(b, s, b_at, s_at);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].baseline, 0u);
  EXPECT_EQ(pairs[0].scenario, 1u);
  EXPECT_EQ(pairs[1].baseline, 1u);
  EXPECT_EQ(pairs[1].scenario, cmp::kNoRow);
  EXPECT_EQ(pairs[2].baseline, cmp::kNoRow);
  EXPECT_EQ(pairs[2].scenario, 0u);
}

// Keys whose combinations are sparse (three int columns with 1,500 values each, one row per
// value: 1,500^2 pairs after two columns, more than a table of pairs holds) are numbered in a
// hash map instead: the join must be the same. Scenario rows in reverse order, s = b + i / 1000,
// so change = i / 1000 by construction; the scenario-only row (4000, 4000, 4000) is kept last.
TEST(Compare, SparseKeyCombinationsJoinCorrectly) {
  const std::int64_t n = 1500;
  std::vector<std::int64_t> k, kr;
  std::vector<double> b, s;
  for (std::int64_t i = 0; i < n; ++i) {
    k.push_back(i);
    b.push_back(1.0);
    kr.push_back(n - 1 - i);
    s.push_back(1.0 + static_cast<double>(n - 1 - i) / 1000);
  }
  kr.push_back(4000);
  s.push_back(2.0);
  auto table = [](const std::vector<std::int64_t>& keys, const std::vector<double>& v) {
    return Table({Column::make_ints("a", keys), Column::make_ints("b", keys),
                  Column::make_ints("c", keys), Column::make_floats("lq", v)});
  };
  const Table out = run_step(params({{"unmatched", std::string("keep")}}),
                             {{"b", table(k, b)}, {"s", table(kr, s)}})
                        .at("step");
  ASSERT_EQ(out.rows(), static_cast<std::size_t>(n + 1));
  for (std::int64_t i : {0, 1, 777, 1499})
    EXPECT_NEAR(out.column("change").floats[static_cast<std::size_t>(i)],
                static_cast<double>(i) / 1000, 1e-12)
        << i;
  EXPECT_EQ(out.column("a").ints[static_cast<std::size_t>(n)], 4000);
  EXPECT_FALSE(out.column("baseline").is_valid(static_cast<std::size_t>(n)));
}
