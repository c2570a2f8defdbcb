// Limits (issue 13, point 5): inputs far past what real files hold are a clear one-line error or
// a correct result, never a crash or a hang. (TOML nested 10,000 deep: cli_fuzz_findings_test.)
#include <gtest/gtest.h>

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
