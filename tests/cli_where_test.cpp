// End-to-end tests of the host's step keys: `where` on a plugin's primary input and on any table
// parameter (`where = { <table parameter> = { column = ... } }`), and `output` and `where` declared
// once by the host (sdk::host_params) for validation, `klaster describe` and the README.
#include <gtest/gtest.h>

#include <regex>

#include "cli_support.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/step.hpp"

using namespace klaster::test;
namespace sdk = klaster::sdk;

namespace {

/// A measure doubling industry X of region A, then `compare` of the dataset table with it; the
/// compare step's `where` lines follow.
std::string incentive_then_compare(const std::string& compare_params, const std::string& where) {
  return R"([[step]]
id = "inc"
plugin = "sector_incentive"
params = { input = "output", regions = ["A"], industries = ["X"], factor = 2 }

[[step]]
id = "cmp"
plugin = "compare"
params = { baseline = "output", scenario = "inc")" +
         compare_params + " }\n" + where;
}

/// Plants of two industries in three regions, as a dataset table `plants` beside `output`.
void add_plants_table(const Project& p) {
  write_text(p.path("data/dataset.toml"), std::string(kDatasetToml) + R"(
[tables.plants]
file = "plants.csv"
columns = { region = "string", industry = "string", plant = "string", employment = "float" }
)");
  write_text(p.path("data/plants.csv"),
             "region,industry,plant,employment\n"
             "A,X,p1,10\nA,X,p2,20\nB,X,p3,30\nC,X,p4,40\nA,Y,p5,5\nB,Y,p6,5\nC,Y,p7,10\n");
}

std::string collapse_spaces(const std::string& text) {
  return std::regex_replace(text, std::regex("\\s+"), " ");
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

// The plain form filters the primary input as before; `where.input` is the same table spelled by
// its parameter, and the two merge. Only industry X of 2025 remains, so every LQ is 1.
TEST(CliWhere, PrimaryInputPlainAndByNameMerge) {
  Project p("where_merge",
            std::string(kLqStep) + "where = { year = 2025, input = { industry = \"X\" } }\n");
  auto r = p.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(p.path("out/lq.csv")),
            "year,region,industry,lq\n2025,A,X,1\n2025,B,X,1\n2025,C,X,1\n");
}

// The issue's case: a plugin whose primary input is not called `input` (ellison_glaeser reads
// `plants`) can be filtered. Regions A and B keep plants p1, p2, p3 (X) and p5, p6 (Y); x_A = x_B =
// 35/70, s_A = s_B = 1/2 in both industries, so G = 0 and gamma = -H / (1 - H):
// X: H = (1 + 4 + 9) / 36 = 7/18, gamma = -7/11; Y: H = 1/2, gamma = -1. (Ellison & Glaeser 1997,
// eq. 5)
TEST(CliWhere, PlantsOfEllisonGlaeserArePrimary) {
  Project p("where_plants", R"([[step]]
id = "eg"
plugin = "ellison_glaeser"
params = { plants = "plants" }
where = { region = ["A", "B"] }
)");
  add_plants_table(p);
  auto r = p.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  const sdk::Table eg =
      sdk::read_csv(p.path("out/eg.csv"), {{"industry", sdk::ColumnType::kString},
                                           {"plants", sdk::ColumnType::kInt},
                                           {"employment", sdk::ColumnType::kFloat},
                                           {"G", sdk::ColumnType::kFloat},
                                           {"H", sdk::ColumnType::kFloat},
                                           {"gamma", sdk::ColumnType::kFloat},
                                           {"variance", sdk::ColumnType::kFloat},
                                           {"z", sdk::ColumnType::kFloat}});
  ASSERT_EQ(eg.rows(), 2u);
  EXPECT_EQ(eg.column("industry").str(0), "X");
  EXPECT_EQ(eg.column("plants").ints[0], 3);
  EXPECT_DOUBLE_EQ(eg.column("employment").floats[0], 60);
  EXPECT_NEAR(eg.column("G").floats[0], 0, 1e-12);
  EXPECT_NEAR(eg.column("H").floats[0], 7.0 / 18, 1e-12);
  EXPECT_NEAR(eg.column("gamma").floats[0], -7.0 / 11, 1e-12);
  EXPECT_EQ(eg.column("plants").ints[1], 2);
  EXPECT_NEAR(eg.column("gamma").floats[1], -1, 1e-12);
}

// `compare` has no primary input; each of its tables is filtered by naming its parameter, inline or
// with TOML dotted keys. Region A of 2025: X 40 doubled to 80 (change 40, +100 %), Y 60 unchanged.
TEST(CliWhere, TableParametersFilteredByName) {
  const std::string expected =
      "year,region,industry,baseline,scenario,change,relative_change\n"
      "2025,A,X,40,80,40,1\n2025,A,Y,60,60,0,0\n";
  Project inline_form("where_tables",
                      incentive_then_compare("",
                                             "where = { baseline = { region = \"A\", year = 2025 "
                                             "}, scenario = { region = \"A\", year = 2025 } }\n"));
  auto r = inline_form.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(inline_form.path("out/cmp.csv")), expected);

  Project dotted(
      "where_dotted",
      incentive_then_compare(
          "",
          "where.baseline = { region = \"A\", year = 2025 }\nwhere.scenario.region = \"A\"\n"
          "where.scenario.year = 2025\n"));
  r = dotted.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(dotted.path("out/cmp.csv")), expected);
}

// A filter on one table leaves the other whole: the scenario keeps region A only, so with
// unmatched = "keep" the baseline's other rows have no scenario side.
TEST(CliWhere, OneTableFilteredTheOtherWhole) {
  Project p("where_one", incentive_then_compare(", unmatched = \"keep\"",
                                                "where = { scenario = { region = \"A\" } }\n"));
  auto r = p.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(p.path("out/cmp.csv")),
            "year,region,industry,baseline,scenario,change,relative_change\n"
            "2024,A,X,30,60,30,1\n2024,A,Y,70,70,0,0\n2024,B,X,20,,,\n2024,B,Y,80,,,\n"
            "2024,C,X,25,,,\n2024,C,Y,75,,,\n"
            "2025,A,X,40,80,40,1\n2025,A,Y,60,60,0,0\n2025,B,X,20,,,\n2025,B,Y,80,,,\n"
            "2025,C,X,25,,,\n2025,C,Y,75,,,\n");
}

TEST(CliWhereErrors, UnknownTableParameter) {
  Project p("where_badparam",
            incentive_then_compare("", "where = { scenaro = { region = \"A\" } }\n"));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:14: step 'cmp': where: 'scenaro' is not a table parameter of plugin "
            "'compare' (did you mean 'scenario'?); its table parameters: baseline, scenario")
      << r.err;
  // A parameter that is not a table is not one either.
  p.write_pipeline(incentive_then_compare("", "where = { value = { region = \"A\" } }\n"));
  r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err), "where: 'value' is not a table parameter of plugin 'compare'"))
      << r.err;
}

TEST(CliWhereErrors, UnknownColumnOfAFilteredTable) {
  Project p("where_badcol",
            incentive_then_compare("", "where = { scenario = { regoin = \"A\" } }\n"));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:14: step 'cmp': where: column 'regoin' is not in table 'inc' (did you "
            "mean 'region'?)")
      << r.err;
  EXPECT_TRUE(contains(r.err, "14 | where = { scenario = { regoin = \"A\" } }")) << r.err;
  // A value of the wrong type, and a table nested deeper, are refused at their line too.
  p.write_pipeline(incentive_then_compare("", "where = { scenario = { year = \"2025\" } }\n"));
  r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err),
               "p.toml:14: step 'cmp': where: column 'year' of table 'inc' holds int values"))
      << r.err;
  p.write_pipeline(incentive_then_compare("", "where = { scenario = { region = { a = 1 } } }\n"));
  r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "p.toml:14: 'where.scenario.region' in step 'cmp' must be a string, a "
                       "number or a list of them, got a table"))
      << r.err;
}

TEST(CliWhereErrors, PlainWhereWithoutPrimaryInput) {
  Project p("where_noprimary", incentive_then_compare("", "where = { region = \"A\" }\n"));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      first_line(r.err),
      "error: p.toml:14: step 'cmp': where: plugin 'compare' has no primary input, so a column = "
      "value filter has no table; name the table parameter, as in where = { <table parameter> "
      "= { region = ... } } (table parameters: baseline, scenario)")
      << r.err;
}

// A step reads one copy of each table, so a table two parameters name cannot be filtered for one.
TEST(CliWhereErrors, TableNamedByTwoParametersCannotBeFilteredForOne) {
  Project p("where_shared", R"([[step]]
id = "cmp"
plugin = "compare"
params = { baseline = "output", scenario = "output" }
where = { scenario = { year = 2025 } }
)");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "p.toml:9: step 'cmp': where: table 'output' is named by both "
                       "parameters 'baseline' and 'scenario'"))
      << r.err;
}

// A filter on an optional table parameter that is not given has no table.
TEST(CliWhereErrors, FilterOfATableParameterNotGiven) {
  Project p("where_unset", R"([[step]]
id = "eg"
plugin = "ellison_glaeser"
params = { plants = "plants" }
where = { totals = { region = "A" } }
)");
  add_plants_table(p);
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err), "p.toml:9: step 'eg': where: parameter 'totals' is not set"))
      << r.err;
}

TEST(CliWhereErrors, TwoPrimaryInputsRefusedAtLoad) {
  auto r = run_klaster("plugins --plugin-dir " KLASTER_FIXTURE_DIR "/two_primaries");
  EXPECT_EQ(r.code, 4);
  EXPECT_TRUE(contains(first_line(r.err),
                       "two_primaries.so: plugin 'two_primaries_fixture': parameters "
                       "'input' and 'other' are both marked primary()"))
      << r.err;
}

// `output` and `where` are declared once, by the host: describe lists them in their own section,
// once, with the same text as the README; a plugin's parameters say which table is primary.
TEST(CliWhere, DescribeShowsHostParametersOnce) {
  auto lq = run_klaster("describe location_quotient");
  ASSERT_EQ(lq.code, 0) << lq.err;
  auto cmp = run_klaster("describe compare");
  ASSERT_EQ(cmp.code, 0) << cmp.err;
  const std::string readme = collapse_spaces(read_text(fs::path(KLASTER_SOURCE_DIR) / "README.md"));
  for (const auto& host : sdk::host_params()) {
    EXPECT_EQ(count(lq.out, "\n  " + host.name + " "), 1u) << host.name << "\n" << lq.out;
    EXPECT_EQ(count(collapse_spaces(lq.out), host.doc), 1u) << host.name;
    EXPECT_TRUE(contains(readme, host.doc)) << "README.md does not quote the doc of " << host.name;
  }
  EXPECT_EQ(count(lq.out, "Host parameters"), 1u) << lq.out;
  EXPECT_TRUE(contains(lq.out, "required, primary input")) << lq.out;
  EXPECT_TRUE(contains(lq.out, "Primary input: 'input'; where = { column = ... } filters it."))
      << lq.out;
  EXPECT_FALSE(contains(cmp.out, "required, primary input")) << cmp.out;
  EXPECT_TRUE(contains(cmp.out, "Primary input: none")) << cmp.out;
  // `output` is checked by the host for every plugin, before the plugin sees its parameters.
  Project p("output_name", R"([[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "output", output = "../lq" }
)");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err), "p.toml:8: step 'lq': parameter 'output' must be a table name"))
      << r.err;
}
