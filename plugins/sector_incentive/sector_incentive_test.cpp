#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "sector_incentive_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace sector_incentive = klaster::plugins::sector_incentive;

namespace {

// Kazakhstan-like output table (year, region, industry, value) with an extra `unit` column that a
// measure must carry over untouched.
Table output_table() {
  return Table(
      {Column::make_ints("year", {2024, 2024, 2024, 2025, 2025, 2025, 2025}),
       Column::make_strings("region", {"KST", "KST", "ALA", "KST", "KST", "ALA", "ALA"}),
       Column::make_strings("industry", {"C", "F", "C", "C", "F", "C", "F"}),
       Column::make_floats("value", {100, 40, 300, 120, 50, 310, 90}),
       Column::make_strings("unit", {"mKZT", "mKZT", "mKZT", "mKZT", "mKZT", "mKZT", "mKZT"})});
}

const Value kInput = std::string("t");

bool same_cell(const Column& a, const Column& b, std::size_t row) {
  return a.to_text(row) == b.to_text(row) && a.is_valid(row) == b.is_valid(row);
}

}  // namespace

// The demo's illustrative incentive: +15 % manufacturing (C) output in Kostanay in 2025.
// x' = 1.15 * 120 = 138 for the one selected cell.
TEST(SectorIncentive, KostanayManufacturing2025) {
  const Table in = output_table();
  const Table out = run_step({{"input", kInput},
                              {"regions", std::vector<std::string>{"KST"}},
                              {"industries", std::vector<std::string>{"C"}},
                              {"years", std::vector<std::int64_t>{2025}},
                              {"factor", 1.15}},
                             {{"t", in}})
                        .at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "value", {{"year", "2025"}, {"region", "KST"}, {"industry", "C"}}),
                   120 * 1.15);
  EXPECT_DOUBLE_EQ(value_at(out, "value", {{"year", "2024"}, {"region", "KST"}, {"industry", "C"}}),
                   100);
}

// Property: a measure leaves every unselected row identical, keeps every column (names, types,
// order) and every key cell, and changes exactly the selected values by the factor.
TEST(SectorIncentive, UntouchedRowsAndColumnsAreIdentical) {
  const Table in = output_table();
  const Table out = run_step({{"input", kInput},
                              {"regions", std::vector<std::string>{"KST", "ALA"}},
                              {"industries", std::vector<std::string>{"F"}},
                              {"factor", 0.5}},
                             {{"t", in}})
                        .at("step");
  ASSERT_EQ(out.schema(), in.schema());
  ASSERT_EQ(out.rows(), in.rows());
  const Column& industry = in.column("industry");
  for (std::size_t c = 0; c < in.columns().size(); ++c) {
    const Column& a = in.columns()[c];
    const Column& b = out.columns()[c];
    for (std::size_t r = 0; r < in.rows(); ++r) {
      if (a.name == "value" && industry.str(r) == "F")
        EXPECT_DOUBLE_EQ(b.floats[r], 0.5 * a.floats[r]) << "row " << r;
      else
        EXPECT_TRUE(same_cell(a, b, r)) << a.name << " row " << r;
    }
  }
}

// Empty (or absent) lists select everything: the total scales by the factor.
TEST(SectorIncentive, NoSelectionScalesEveryRow) {
  const Table in = output_table();
  const Table out =
      run_step({{"input", kInput}, {"regions", std::vector<std::string>{}}, {"factor", 2.0}},
               {{"t", in}})
          .at("step");
  double before = 0, after = 0;
  for (std::size_t r = 0; r < in.rows(); ++r) {
    before += in.column("value").floats[r];
    after += out.column("value").floats[r];
  }
  EXPECT_DOUBLE_EQ(after, 2 * before);
}

TEST(SectorIncentive, MissingValuesStayMissingAndIntsAreRounded) {
  Table in({Column::make_strings("region", {"A", "A", "B"}),
            Column::make_strings("industry", {"C", "C2", "C"}),
            Column::make_ints("value", {10, 0, 7}, {1, 0, 1})});
  const Table out = run_step({{"input", kInput}, {"factor", 1.15}}, {{"t", in}}).at("step");
  EXPECT_EQ(out.column("value").type, ColumnType::kInt);
  EXPECT_EQ(out.column("value").ints[0], 12);  // 11.5 rounds half away from zero
  EXPECT_FALSE(out.column("value").is_valid(1));
  EXPECT_EQ(out.column("value").ints[2], 8);  // 8.05
}

TEST(SectorIncentive, UnknownRegionIsNamedWithSuggestion) {
  const ThrownParamError e = param_error([&] {
    run_step(
        {{"input", kInput}, {"regions", std::vector<std::string>{"KST", "KTS"}}, {"factor", 1.1}},
        {{"t", output_table()}});
  });
  EXPECT_EQ(e.param, "regions") << e.message;
  EXPECT_EQ(e.message,
            "region 'KTS' named in 'regions' does not occur in column 'region' of table 't' "
            "(did you mean 'KST' for 'KTS'?); it has: ALA, KST");
}

TEST(SectorIncentive, UnknownIndustriesAndYearsAreNamed) {
  const ThrownParamError industries = param_error([&] {
    run_step(
        {{"input", kInput}, {"industries", std::vector<std::string>{"X", "Y"}}, {"factor", 1.1}},
        {{"t", output_table()}});
  });
  EXPECT_EQ(industries.param, "industries") << industries.message;
  EXPECT_NE(industries.message.find("industries 'X', 'Y' named in 'industries' do not occur"),
            std::string::npos)
      << industries.message;
  const ThrownParamError years = param_error([&] {
    run_step({{"input", kInput}, {"years", std::vector<std::int64_t>{2030}}, {"factor", 1.1}},
             {{"t", output_table()}});
  });
  EXPECT_EQ(years.param, "years") << years.message;
  EXPECT_NE(years.message.find("year '2030' named in 'years' does not occur"), std::string::npos)
      << years.message;
}

// Keys group rows by equal values: a float region, industry or year column is refused at
// validation, naming the parameter and the column (BindContext::check_key_column).
TEST(SectorIncentive, FloatKeyColumnsAreRefused) {
  const Table in = output_table();
  for (const std::string key : {"region", "industry", "year"}) {
    std::vector<Column> cols;
    for (const Column& c : in.columns())
      cols.push_back(c.name == key ? Column::make_floats(key, std::vector<double>(c.size(), 1.0))
                                   : c);
    const ThrownParamError e = param_error([&] {
      run_step({{"input", kInput}, {"factor", 1.1}}, {{"t", Table(std::move(cols))}});
    });
    EXPECT_EQ(e.param, key) << e.message;
    EXPECT_EQ(e.message, "column '" + key + "' is a float column; use a string or int key");
  }
}

TEST(SectorIncentive, FactorMustBePositive) {
  for (double f : {0.0, -1.0}) {
    const ThrownParamError e = param_error([&] {
      run_step({{"input", kInput}, {"factor", f}}, {{"t", output_table()}});
    });
    EXPECT_EQ(e.param, "factor") << e.message;
  }
}

TEST(SectorIncentive, YearsWithoutYearColumn) {
  Table in({Column::make_strings("region", {"A"}), Column::make_strings("industry", {"C"}),
            Column::make_floats("value", {1})});
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step(
                  {{"input", kInput}, {"years", std::vector<std::int64_t>{2025}}, {"factor", 1.1}},
                  {{"t", in}});
            }),
            "'years' is given but table 't' has no column 'year'");
}

// The changed-row count goes to the host's log sink.
TEST(SectorIncentive, LogsChangedCount) {
  std::vector<std::string> lines;
  run_step({{"input", kInput}, {"industries", std::vector<std::string>{"C"}}, {"factor", 1.5}},
           {{"t", output_table()}}, "incentive", collect_log(lines));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "changed 4 of 7 rows of 'value' in table 't' (x 1.5)");
}

// The kernel on plain values, by x' = factor * x.

// The demo's incentive: 1.15 * 120 = 138; an int value rounds halves away from zero (C's llround):
// 1.15 * 10 = 11.5 -> 12, 1.15 * 7 = 8.05 -> 8.
TEST(SectorIncentiveKernel, ScalesAndRounds) {
  EXPECT_DOUBLE_EQ(*sector_incentive::scaled(120.0, 1.15), 138);
  EXPECT_EQ(sector_incentive::scaled(std::int64_t{10}, 1.15), std::int64_t{12});
  EXPECT_EQ(sector_incentive::scaled(std::int64_t{-10}, 1.15), std::int64_t{-12});
  EXPECT_EQ(sector_incentive::scaled(std::int64_t{7}, 1.15), std::int64_t{8});
}

// 1e200 x 1e200 = 1e400 overflows a double (max 1.8e308); 5e18 x 2 = 1e19 exceeds a 64-bit
// integer (max 9.22e18).
TEST(SectorIncentiveKernel, OutOfRange) {
  EXPECT_FALSE(sector_incentive::scaled(1e200, 1e200).has_value());
  EXPECT_FALSE(sector_incentive::scaled(std::int64_t{5'000'000'000'000'000'000}, 2.0).has_value());
  EXPECT_TRUE(sector_incentive::scaled(std::int64_t{4'000'000'000'000'000'000}, 2.0).has_value());
}

// Rows 0..3 with regions (0, 0, 1, -1 = missing) and industries (0, 1, 0, 0); regions {0} and
// industries {0} chosen select row 0 only; a key choosing every level selects every row with that
// key present.
TEST(SectorIncentiveKernel, SelectedRowsNeedEveryKeyChosen) {
  const sector_incentive::KeySelection regions{{0, 0, 1, -1}, {1, 0}};
  const sector_incentive::KeySelection industries{{0, 1, 0, 0}, {1, 0}};
  EXPECT_EQ(sector_incentive::selected_rows({regions, industries}, 4),
            (std::vector<std::uint8_t>{1, 0, 0, 0}));
  const sector_incentive::KeySelection all_regions{{0, 0, 1, -1}, {1, 1}};
  EXPECT_EQ(sector_incentive::selected_rows({all_regions}, 4),
            (std::vector<std::uint8_t>{1, 1, 1, 0}));
}
