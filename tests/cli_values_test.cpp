// End-to-end tests of what klaster does with values it cannot compute with (issue 7, parts 3-5):
// non-finite parameters and results, empty tables, and messages that name the file line of a row.
// Every expected line number is counted by hand in the CSV text written by the test.
#include <gtest/gtest.h>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

const char* kIncentive = R"([[step]]
id = "inc"
plugin = "sector_incentive"
params = { input = "output", regions = ["A"], industries = ["Y"], years = [2024], factor = FACTOR }
)";

std::string incentive(const std::string& factor) {
  std::string s = kIncentive;
  return s.replace(s.find("FACTOR"), 6, factor);
}

}  // namespace

// The issue: `factor = 1e309` passed validate (toml11 reads it as DBL_MAX) and the run wrote inf.
TEST(CliValues, OutOfRangeParameterIsAPipelineError) {
  Project p("factor_range", incentive("1e309"));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'inc': parameter 'factor' must be a finite number within "
            "+-1.8e308 (nan, "
            "inf and larger literals are refused)");
  for (const char* bad : {"nan", "inf", "-1e400"}) {
    Project q("factor_literal", incentive(bad));
    EXPECT_EQ(q.validate().code, 2) << bad;
  }
  auto set = Project("factor_set", incentive("1.15")).validate("--set inc.factor=1e309");
  EXPECT_EQ(set.code, 2);
  EXPECT_TRUE(contains(first_line(set.err), "--set inc.factor=1e309")) << set.err;
}

TEST(CliValues, DemoPipelineRefusesAnOverflowingFactor) {
  auto r = run_klaster("validate configs/kz_auto_cluster.toml --set incentive.factor=1e309");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err), "--set incentive.factor=1e309 must be a finite number"))
      << r.err;
}

// 1e200 x 1e200 overflows a double: a data error (exit 3) naming the file line and the keys.
TEST(CliValues, OverflowingProductIsADataError) {
  Project p("overflow", incentive("1e200"),
            "year,region,industry,value\n2024,A,X,30\n2024,A,Y,1e200\n");
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(
      first_line(r.err),
      "step 'inc' (plugin sector_incentive 1.0.0): data/output.csv:3: value 1e+200 x factor "
      "1e+200 is out of the range of a double at year 2024, region 'A', industry 'Y'"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.path("out")));
}

// A plugin that writes inf or nan fails the step (exit 1); the previous output stays as it was.
TEST(CliValues, NonFiniteResultFailsTheStepAndKeepsOutputs) {
  Project p("non_finite", kLqStep);
  ASSERT_EQ(p.run("--quiet").code, 0);
  const std::string before = read_text(p.path("out/run.json"));
  p.write_pipeline(std::string(kLqStep) + R"(
[[step]]
id = "nf"
plugin = "non_finite_fixture"
params = { input = "output" }
)");
  auto r = p.run("--quiet --plugin-dir " KLASTER_FIXTURE_DIR "/non_finite");
  EXPECT_EQ(r.code, 1);
  // Row 1 of output.csv is 2024,A,X,30: 30 / 0 = inf.
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:10: step 'nf' (plugin non_finite_fixture 0.0.1): wrote a non-finite "
            "value (inf) in "
            "table 'nf', column 'value' at year 2024, region 'A', industry 'X'; a plugin writes an "
            "undefined "
            "result as a missing value");
  EXPECT_EQ(read_text(p.path("out/run.json")), before);
  EXPECT_FALSE(fs::exists(p.path("out/nf.csv")));
}

TEST(CliValues, HeaderOnlyTableIsADataError) {
  Project p("empty", kLqStep, "year,region,industry,value\n");
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "step 'lq' (plugin location_quotient 1.3.0): data/output.csv: table "
                       "'output' (parameter 'input') has no rows (only a header)"))
      << r.err;
  EXPECT_FALSE(fs::exists(p.path("out")));
}

TEST(CliValues, WhereKeepingNoRowsIsADataError) {
  Project p("where_empty", std::string(kLqStep) + "where = { region = \"Z\" }\n");
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "table 'output' (parameter 'input') has no rows after the step's "
                       "'where' filter (p.toml:9)"))
      << r.err;
}

// Messages about a dataset row name the line it starts on; a duplicate names both copies' lines.
TEST(CliValues, DuplicateKeysNameBothLines) {
  // line 1 header, 2 A/X, 3 A/Y, 4 blank, 5 B/X, 6 A/X again
  Project p("duplicate", kLqStep,
            "year,region,industry,value\n2024,A,X,30\n2024,A,Y,70\n\n2024,B,X,20\n2024,A,X,5\n");
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "data/output.csv:6: duplicate row for region 'A', industry 'X', year "
                       "2024 (the first is at data/output.csv:2); aggregate the table first"))
      << r.err;
}

TEST(CliValues, RowAfterAQuotedNewlineIsNamedByItsFirstLine) {
  // The second data row spans lines 3-4 (a quoted newline in the region name); the third starts
  // on 5.
  Project p("quoted", kLqStep,
            "year,region,industry,value\n2024,A,X,30\n2024,\"B\nB\",X,20\n2024,C,X,-1\n");
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "data/output.csv:5: negative value -1 in column 'value' at region 'C'"))
      << r.err;
}

// Rows of tables written by earlier steps have no file line: they are named by their keys.
TEST(CliValues, RowsOfStepTablesAreNamedByKeys) {
  Project p("step_rows", incentive("1.15") + R"(
[[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "inc", value = "value" }
)",
            "year,region,industry,value\n2024,A,X,30\n2024,A,Y,70\n2024,B,X,-20\n");
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "step 'lq' (plugin location_quotient 1.3.0): negative value -20 in "
                       "column 'value' at region 'B', industry 'X', year 2024;"))
      << r.err;
  EXPECT_FALSE(contains(first_line(r.err), "output.csv:")) << r.err;
}
