// End-to-end tests of a pipeline's [[summary]] tables: names looked up beside codes (`names`), a
// note printed under the table, summaries of dataset tables no step reads, and their errors.
#include <gtest/gtest.h>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

/// The toy dataset with a `regions` table naming A and B (C has no name: an empty cell).
void add_regions_table(const Project& p) {
  write_text(p.path("data/dataset.toml"), std::string(kDatasetToml) + R"(
[tables.regions]
file = "regions.csv"
columns = { code = "string", name = "string" }
)");
  write_text(p.path("data/regions.csv"), "code,name\nA,Алматы\nB,Bravo\n");
}

}  // namespace

// LQs of X in 2025 (toy data: A 40/100, B 20/100, C 25/100; national X 85/300): A = 0.4 / (85/300)
// = 1.4118 by hand; the name column follows the code column, in UTF-8 characters' width.
TEST(CliSummary, NamesBesideCodesAndNoteBelow) {
  Project p("summary_names", std::string(kLqStep) + R"(
[[summary]]
title = "LQ of X"
table = "lq"
where = { industry = "X", year = 2025 }
columns = ["region", "lq"]
sort = "lq"
limit = 1
names = { region = ["regions", "code", "name"] }
note = "toy data"
)");
  add_regions_table(p);
  const CliResult r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("  region name       lq\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  A      Алматы 1.4118\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  Note: toy data\n"), std::string::npos) << r.out;
}

// A summary of a dataset table that no step reads is printed (it used to be looked up among the
// tables loaded by steps only).
TEST(CliSummary, DatasetTableNoStepReads) {
  Project p("summary_dataset", std::string(kLqStep) + R"(
[[summary]]
table = "regions"
)");
  add_regions_table(p);
  const CliResult r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("  B    Bravo\n"), std::string::npos) << r.out;
}

TEST(CliSummary, NamesErrorsAtTheirLine) {
  Project p("summary_names_errors", std::string(kLqStep) + R"(
[[summary]]
table = "lq"
names = { region = ["regions", "code", "title"] }
)");
  add_regions_table(p);
  CliResult r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("p.toml:12:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("names: column 'title' is not in table 'regions'"), std::string::npos)
      << r.err;

  p.write_pipeline(std::string(kLqStep) +
                   "\n[[summary]]\ntable = \"lq\"\nnames = { region = "
                   "\"regions\" }\n");
  r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("must be { column = [\"table\", \"key column\", \"name column\"] }"),
            std::string::npos)
      << r.err;
}
