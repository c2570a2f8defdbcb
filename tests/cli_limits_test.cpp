// Limits (issue 13, point 5): inputs far past what real files hold are a clear one-line error or
// a correct result, never a crash or a hang. (TOML nested 10,000 deep: cli_fuzz_findings_test.)
#include <gtest/gtest.h>

#include <sstream>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

std::string nested(std::size_t depth, char open, char close, const std::string& inner = "") {
  return std::string(depth, open) + inner + std::string(depth, close);
}

}  // namespace

// Brackets inside strings and comments are not nesting: 60 real levels and 200 quoted ones pass
// the check (and the pipeline then fails on its unknown key, as any other).
TEST(CliLimits, BracketsInStringsAndCommentsAreNotNesting) {
  Project p("limits_strings", kLqStep);
  p.write_pipeline(std::string(kLqStep) + "# " + std::string(200, '[') + "\n" + "x = \"" +
                   std::string(200, '{') + "\"\ny = '''\n" + std::string(200, '[') +
                   "\n'''\nz = " + nested(60, '[', ']') + "\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.err, "p.toml:1")) << r.err;  // any line: not a nesting error
  EXPECT_TRUE(contains(r.err, ": unknown key '")) << r.err;
}

// A CSV line of a million fields: one line naming the file, line and counts (exit 3).
TEST(CliLimits, LineOfAMillionFieldsIsAnError) {
  std::string csv = std::string(kOutputCsv) + "2024,A,X";
  for (int i = 0; i < 1000000; ++i) csv += ",1";
  Project p("limits_wide", kLqStep, csv + "\n");
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(r.err, "expected 4 fields as in the header, found 1000003")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err.substr(0, 300);
}

// An integer past 64 bits is an error naming the cell.
TEST(CliLimits, IntegerPastSixtyFourBitsIsAnError) {
  std::string csv = kOutputCsv;
  csv.replace(csv.find("\n2024") + 1, 4, "99999999999999999999999");
  Project p("limits_bigint", kLqStep, csv);
  auto r = p.run("--quiet");
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(r.err,
                       ":2:1: cannot read '99999999999999999999999' as an integer "
                       "(column 'year')"))
      << r.err;
}

// A cell longer than 1 MB: a key of 1.1 MB is read and written back whole; a number of 1.1 MB is
// an error whose line shows the cell's first 60 bytes and its length, not the megabyte.
TEST(CliLimits, MegabyteCellIsReadOrShownShort) {
  const std::string code(1100000, 'R');
  std::string csv = kOutputCsv;
  csv.replace(csv.find("2024,C,X"), 6, "2024," + code);
  Project p("limits_cell", kLqStep, csv);
  auto r = p.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err.substr(0, 300);
  EXPECT_TRUE(contains(read_text(p.path("out/lq.csv")), "\n2024," + code + ",X,")) << "key lost";

  csv = kOutputCsv;
  csv.replace(csv.find("2024,C,X,25"), 11, "2024,C,X,\"" + std::string(1100000, '1') + "\"");
  Project q("limits_cell_number", kLqStep, csv);
  r = q.run("--quiet");
  EXPECT_EQ(r.code, 3);
  // Line 6 of kOutputCsv holds 2024,C,X; the value is its 4th field, at byte 10.
  EXPECT_EQ(r.err, "error: data/output.csv:6:10: cannot read '" + std::string(60, '1') +
                       "... (1100000 bytes)' as a number (column 'value') (dataset table "
                       "'output')\n");
}

// Values whose totals pass the largest double (1.7976931348623157e308): four values of 1e308 in
// 2024 sum to 4e308. Every plugin built on the SDK's cube (location_quotient, herfindahl,
// specialization, ...) then stops with a DataError naming the column and table (exit 3), instead
// of writing NaN and the host blaming the plugin.
TEST(CliLimits, SumsPastTheLargestDoubleAreADataError) {
  const std::string csv = std::string("year,region,industry,value\n") +
                          "2024,A,X,1e308\n2024,A,Y,1e308\n2024,B,X,1e308\n2024,B,Y,1e308\n";
  for (const std::string plugin : {"location_quotient", "herfindahl", "specialization"}) {
    Project p(
        "limits_sum_" + plugin,
        "[[step]]\nid = \"s\"\nplugin = \"" + plugin + "\"\nparams = { input = \"output\" }\n",
        csv);
    auto r = p.run("--quiet");
    EXPECT_EQ(r.code, 3) << plugin;
    EXPECT_TRUE(contains(r.err,
                         "): column 'value': the values of year 2024 add up past the "
                         "largest number a double holds (about 1.8e308), so their totals "
                         "overflow; rescale the column (e.g. to thousands); input table "
                         "'output' (data/output.csv)\n"))
        << r.err;
  }
}

// Sums outside the cube: an input whose values add up past the largest double (two values of 1e308
// make 2e308 > 1.7976931348623157e308) makes the plugin write infinities. The host then names the
// input column as a dataset error (exit 3) instead of blaming the plugin (exit 1): an external LQ
// reference (national totals E = inf, so LQ = share / 0) and an input-output table whose sector A
// buys 1e308 from itself and from B.
TEST(CliLimits, InputSumsPastTheLargestDoubleOutsideTheCubeAreADataError) {
  const std::string overflow =
      "': its values add up past the largest number a double holds (about 1.8e308), so sums over "
      "them overflow; rescale the column (e.g. to thousands)\n";
  Project lq("limits_sum_reference",
             "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { input = "
             "\"output\", reference = \"national\" }\n");
  write_text(lq.path("data/dataset.toml"),
             std::string(kDatasetToml) +
                 "[tables.national]\nfile = \"national.csv\"\ncolumns = { year = \"int\", "
                 "industry = \"string\", value = \"float\" }\n");
  write_text(lq.path("data/national.csv"),
             "year,industry,value\n2024,X,1e308\n2024,Y,1e308\n2025,X,1\n2025,Y,1\n");
  auto r = lq.run("--quiet");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(r.err.rfind("error: p.toml:5: step 'lq' (plugin location_quotient ", 0), 0) << r.err;
  EXPECT_TRUE(contains(r.err, "): table 'national', column 'value" + overflow)) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  Project io("limits_sum_io", kLqStep);
  write_text(io.path("data/dataset.toml"),
             std::string(kDatasetToml) +
                 "[tables.io]\nfile = \"io.csv\"\nlayout = \"matrix\"\n[tables.demand]\nfile = "
                 "\"demand.csv\"\ncolumns = { sector = \"string\", delta = \"float\" }\n");
  write_text(io.path("data/io.csv"), "code,A,B\nA,1e308,1e308\nB,1,1\nP1,1.5e308,1.5e308\n");
  write_text(io.path("data/demand.csv"), "sector,delta\nA,1e308\n");
  io.write_pipeline(
      "[[step]]\nid = \"imp\"\nplugin = \"io_impact\"\nparams = { input = \"io\", demand_change = "
      "\"demand\", compensation_row = \"\", employment_row = \"\", gva_row = \"\" }\n");
  r = io.run("--quiet");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "): table 'io', column 'value" + overflow)) << r.err;
}

// Values near the limit whose totals stay below it give the right quotients. By hand: totals
// A = 6e307, B = 1e308, X = Y = 8e307, all = 1.6e308; LQ = (e_rj / e_r) / (e_j / e):
// A,X = (4/6)/(1/2) = 4/3, A,Y = (2/6)/(1/2) = 2/3, B,X = (4/10)/(1/2) = 0.8, B,Y = 1.2.
TEST(CliLimits, SumsNearTheLargestDoubleAreComputed) {
  Project p("limits_sum_near", kLqStep,
            "year,region,industry,value\n2024,A,X,4e307\n2024,A,Y,2e307\n2024,B,X,4e307\n"
            "2024,B,Y,6e307\n");
  auto r = p.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(read_text(p.path("out/lq.csv")));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "year,region,industry,lq");
  for (const auto& [keys, lq] : std::vector<std::pair<std::string, double>>{
           {"2024,A,X", 4.0 / 3}, {"2024,A,Y", 2.0 / 3}, {"2024,B,X", 0.8}, {"2024,B,Y", 1.2}}) {
    ASSERT_TRUE(std::getline(lines, line)) << keys;
    EXPECT_EQ(line.substr(0, keys.size()), keys);
    EXPECT_NEAR(std::stod(line.substr(keys.size() + 1)), lq, 1e-12) << line;
  }
}

// 10,000 steps validate and run. Validation took 47 s before location_of stopped counting lines
// from the start of the file for every value (now about 0.7 s of CPU); the run's remaining time
// is mostly the kernel creating 10,000 files (docs/faults.md, "Limits").
TEST(CliLimits, TenThousandStepsValidateAndRun) {
  std::string steps;
  for (int k = 0; k < 10000; ++k)
    steps += "[[step]]\nid = \"lq" + std::to_string(k) +
             "\"\nplugin = \"location_quotient\"\nparams = { input = \"output\" }\n";
  Project p("limits_steps", steps);
  auto r = p.validate();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: p.toml: 10000 steps valid over dataset 'toy'\n");
  // A mistake in the last step is found at its line: 4 header lines, 4 lines a step.
  p.write_pipeline(steps +
                   "[[step]]\nid = \"last\"\nplugin = \"location_quotient\"\n"
                   "params = { input = \"output\", vaule = \"value\" }\n");
  r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: p.toml:40008: step 'last': plugin "
                       "'location_quotient' has no parameter 'vaule'"))
      << first_line(r.err);
  p.write_pipeline(steps);
  r = p.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(p.path("out/lq9999.csv")));
  EXPECT_EQ(read_text(p.path("out/lq9999.csv")), read_text(p.path("out/lq0.csv")));
}
