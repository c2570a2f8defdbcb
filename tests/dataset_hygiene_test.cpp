// End-to-end tests of dataset reading hygiene (issue 7, parts 4 and 5): the dataset.toml options
// trim, separator and decimal, and the messages about dirty keys, encodings and separators.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "klaster/sdk/csv.hpp"

using namespace klaster::test;
namespace sdk = klaster::sdk;

namespace {

/// A project folder: data/dataset.toml with one table 'output' (extra manifest lines `options`
/// start on line 5), data/output.csv holding `csv`, and a pipeline p.toml with one LQ step.
class Dataset {
 public:
  Dataset(const std::string& name, const std::string& csv, const std::string& options = "")
      : dir_(name) {
    write_text(dir_ / "data/dataset.toml",
               "name = \"toy\"\n"
               "[tables.output]\n"
               "file = \"output.csv\"\n"
               "columns = { year = \"int\", region = \"string\", industry = \"string\", value = "
               "\"float\" }\n" +
                   options);
    write_text(dir_ / "data/output.csv", csv);
    write_text(dir_ / "p.toml",
               "name = \"hygiene\"\ndataset = \"data\"\noutput = \"out\"\n\n"
               "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\n"
               "params = { input = \"output\", value = \"value\" }\n");
  }
  CliResult run(const std::string& args = "--quiet") const {
    return run_klaster("run p.toml " + args, dir_.path());
  }
  CliResult validate() const { return run_klaster("validate p.toml", dir_.path()); }
  const std::filesystem::path& path() const { return dir_.path(); }
  /// The LQ output, read back.
  sdk::Table lq() const {
    return sdk::read_csv(dir_ / "out/lq.csv", {{"year", sdk::ColumnType::kInt},
                                               {"region", sdk::ColumnType::kString},
                                               {"industry", sdk::ColumnType::kString},
                                               {"lq", sdk::ColumnType::kFloat}});
  }

 private:
  TempDir dir_;
};

// One year of cli_test's toy data: LQ of A/X = (30/100) / (75/300) = 1.2.
const char* kCleanCsv =
    "year,region,industry,value\n"
    "2024,A,X,30\n2024,A,Y,70\n2024,B,X,20\n2024,B,Y,80\n2024,C,X,25\n2024,C,Y,75\n";

}  // namespace

// ---- Dirty keys and text ----

TEST(DatasetHygiene, KeyWithATrailingSpaceIsADatasetError) {
  Dataset d("space", "year,region,industry,value\n2024,A,X,30\n2024,A ,Y,70\n");
  auto r = d.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:3:6: value 'A ' in column 'region' has leading or trailing "
            "spaces (set trim = true for table 'output' in dataset.toml to trim them)");
}

TEST(DatasetHygiene, TrimTrueReadsDirtyKeysAsClean) {
  Dataset d(
      "trim",
      "year,region,industry,value\n"
      "2024,A ,X,30\n2024, A,Y,70\n2024,B,X ,20\n2024,B,\"Y \",80\n2024,C,X,25\n2024,C,Y,75\n",
      "trim = true\n");
  auto r = d.run();
  ASSERT_EQ(r.code, 0) << r.err;
  const sdk::Table lq = d.lq();
  ASSERT_EQ(lq.rows(), 6u);  // three regions, two industries: the spaces made no new keys
  EXPECT_EQ(lq.column("region").str(0), "A");
  EXPECT_EQ(lq.column("lq").floats[0], (30.0 / 100.0) / (75.0 / 300.0));
}

TEST(DatasetHygiene, KeysDifferingByCaseGetAWarningNamingBothLines) {
  // Line 2 holds 'A', line 5 'a' (as a fourth region the run goes on).
  Dataset d("case",
            "year,region,industry,value\n2024,A,X,30\n2024,A,Y,70\n2024,B,X,20\n"
            "2024,a,Y,80\n");
  auto r = d.run("");  // --quiet would hide warnings
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "warning: data/output.csv: column 'region' holds 'A' (line 2) and 'a' "
                       "(line 5), which differ only by case\n"))
      << r.err;
}

TEST(DatasetHygiene, Windows1251FileIsADatasetErrorWithAHint) {
  // "Алматы" in Windows-1251 on line 3, column 6.
  Dataset d("cp1251",
            "year,region,industry,value\n2024,A,X,30\n2024,\xC0\xEB\xEC\xE0\xF2\xFB,Y,70\n");
  auto r = d.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:3:6: value '\\xC0\\xEB\\xEC\\xE0\\xF2\\xFB' in column 'region' "
            "is not valid UTF-8 (looks like Windows-1251; save the file as UTF-8) (dataset table "
            "'output')");
}

TEST(DatasetHygiene, Utf8KeysAreRead) {
  Dataset d("utf8",
            "year,region,industry,value\n2024,Алматы,X,30\n2024,Алматы,Y,70\n"
            "2024,Қостанай,X,20\n2024,Қостанай,Y,80\n");
  auto r = d.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(d.lq().column("region").str(2), "Қостанай");
}

// ---- Separators and decimal commas ----

namespace {
// kCleanCsv's values divided by four, as Excel writes them in a Russian locale.
const char* kExcelCsv =
    "year;region;industry;value\n"
    "2024;A;X;7,5\n2024;A;Y;17,5\n2024;B;X;5\n2024;B;Y;20\n2024;C;X;6,25\n2024;C;Y;18,75\n";
}  // namespace

TEST(DatasetHygiene, SemicolonFileGetsASeparatorHintFromValidate) {
  Dataset d("semicolon", kExcelCsv);
  auto r = d.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:1: declared column 'year' (table 'output') is not in the "
            "header (year;region;industry;value); the file looks ';'-separated: set separator = "
            "\";\" for table 'output' in dataset.toml");
}

TEST(DatasetHygiene, SeparatorAndDecimalOptionsReadExcelFiles) {
  Dataset d("excel", kExcelCsv, "separator = \";\"\ndecimal = \",\"\n");
  auto r = d.run();
  ASSERT_EQ(r.code, 0) << r.err;
  const sdk::Table lq = d.lq();
  ASSERT_EQ(lq.rows(), 6u);
  EXPECT_EQ(lq.column("lq").floats[0], (7.5 / 25.0) / (18.75 / 75.0));
}

TEST(DatasetHygiene, DecimalCommaWithoutTheOptionGetsAHint) {
  // "2024;A;X;" is nine characters: the value of line 2 starts in column 10.
  Dataset d("nodecimal", kExcelCsv, "separator = \";\"\n");
  auto r = d.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:2:10: cannot read '7,5' as a number (column 'value'); it "
            "looks written with a decimal comma: set decimal = \",\" for table 'output' in "
            "dataset.toml");
}

TEST(DatasetHygiene, CommaFileWithDecimalCommasGetsAHint) {
  Dataset d("commas", "year,region,industry,value\n2024,A,X,30\n2024,A,Y,7,5\n");
  auto r = d.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:3: expected 4 fields as in the header, found 5; numbers such "
            "as '7,5' look written with a decimal comma: save the file with ';' as separator and "
            "set separator = \";\" and decimal = \",\" for table 'output' in dataset.toml");
}

// ---- The options in dataset.toml: each checked, with file and line ----

TEST(DatasetHygiene, ManifestOptionsAreChecked) {
  struct Case {
    std::string options, message;
  };
  const std::vector<Case> cases = {
      {"decimal = \",\"\n",
       "error: data/dataset.toml:5: decimal = \",\" in [tables.output] needs another separator: "
       "set separator = \";\""},
      {"separator = \";;\"\n",
       "error: data/dataset.toml:5: separator \";;\" in [tables.output] must be one character "
       "other than a quote or a line break, such as \";\" or \"\\t\""},
      {"decimal = \"·\"\n",
       "error: data/dataset.toml:5: decimal \"·\" in [tables.output] must be \".\" or \",\""},
      {"trim = \"yes\"\n",
       "error: data/dataset.toml:5: 'trim' in [tables.output] must be true or false"},
      {"seperator = \";\"\n",
       "error: data/dataset.toml:5: unknown key 'seperator' in [tables.output] (did you mean "
       "'separator'?); allowed keys: file, format, columns, layout, label_column, skip_columns, "
       "unit, description, separator, decimal, trim"},
  };
  for (const auto& c : cases) {
    Dataset d("manifest", kCleanCsv, c.options);
    auto r = d.validate();
    EXPECT_EQ(r.code, 3) << c.options;
    EXPECT_EQ(first_line(r.err), c.message) << c.options;
  }
}

TEST(DatasetHygiene, TabSeparatorIsWrittenAsTomlEscape) {
  Dataset d("tabs",
            "year\tregion\tindustry\tvalue\n2024\tA\tX\t30\n2024\tA\tY\t70\n2024\tB\tX\t20\n"
            "2024\tB\tY\t80\n2024\tC\tX\t25\n2024\tC\tY\t75\n",
            "separator = \"\\t\"\n");
  auto r = d.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(d.lq().column("lq").floats[0], (30.0 / 100.0) / (75.0 / 300.0));
}

// ---- Text columns of a matrix table: skip_columns (issue 10) ----

TEST(DatasetHygiene, MatrixSkipColumnsAreCheckedByValidate) {
  // An iotables-style wide CSV (row code, label, a text column, values) as a second table, io.
  const std::string io = "[tables.io]\nfile = \"io.csv\"\nlayout = \"matrix\"\n";
  const std::string csv = "prod_na,prod_na_lab,iotables_row,A,B\nA,Agriculture,agri,1,2\n";
  struct Case {
    std::string options, message;
  };
  const std::vector<Case> cases = {
      {io + "label_column = \"prod_na_lab\"\nskip_columns = [\"iotables_row\"]\n", ""},
      {io + "label_column = \"prod_na_lab\"\nskip_columns = [\"iotables_rows\"]\n",
       "error: data/io.csv:1: skip_columns (table 'io') names 'iotables_rows', which is not in "
       "the header"},
      {io + "skip_columns = \"iotables_row\"\n",
       "error: data/dataset.toml:8: 'skip_columns' in [tables.io] must be an array of column "
       "names, got a string"},
      {io + "label_column = \"iotables_row\"\nskip_columns = [\"iotables_row\"]\n",
       "error: data/dataset.toml:9: column 'iotables_row' is named twice in "
       "'skip_columns'/'label_column' in [tables.io]"},
      {"skip_columns = [\"year\"]\n",
       "error: data/dataset.toml:5: 'skip_columns' in [tables.output] applies to layout = "
       "\"matrix\" only (a long table reads just its declared columns)"},
  };
  for (const auto& c : cases) {
    Dataset d("skip_columns", kCleanCsv, c.options);
    write_text(d.path() / "data/io.csv", csv);
    auto r = d.validate();
    EXPECT_EQ(r.code, c.message.empty() ? 0 : 3) << c.options << r.err;
    if (!c.message.empty()) {
      EXPECT_EQ(first_line(r.err), c.message) << c.options;
    }
  }
}

// A run on an iotables-style matrix (rOpenGov/iotables' raw CSV layout: code, label, quadrant,
// iotables_row, values) with its text columns skipped. Leontief by hand (Miller & Blair 2009,
// eq. 2.11): x = (100, 200), A = [[0.1, 0.1], [0.3, 0.2]], det(I - A) = 0.72 - 0.03 = 0.69,
// L = [[0.8, 0.1], [0.3, 0.9]] / 0.69, output multipliers (column sums) 1.1 / 0.69 and 1 / 0.69.
TEST(DatasetHygiene, MatrixWithSkippedTextColumnsRuns) {
  TempDir dir("skip_columns_run");
  write_text(dir / "data/dataset.toml",
             "name = \"toy io\"\n[tables.io]\nfile = \"io.csv\"\nlayout = \"matrix\"\n"
             "label_column = \"prod_na_lab\"\nskip_columns = [\"quadrant\", \"iotables_row\"]\n");
  write_text(dir / "data/io.csv",
             "prod_na,prod_na_lab,quadrant,iotables_row,A,B,F\n"
             "A,Agriculture,1,agriculture_group,10,20,70\n"
             "B,Industry,1,industry_group,30,40,130\n"
             "P1,Output,3,output_bp,100,200,\n");
  write_text(dir / "p.toml",
             "name = \"io\"\ndataset = \"data\"\noutput = \"out\"\n\n[[step]]\nid = \"leontief\"\n"
             "plugin = \"leontief\"\nparams = { input = \"io\" }\n");
  const CliResult r = run_klaster("run p.toml --quiet", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const sdk::Table out = sdk::read_csv(
      dir / "out/leontief.csv",
      {{"sector", sdk::ColumnType::kString}, {"output_multiplier", sdk::ColumnType::kFloat}});
  ASSERT_EQ(out.rows(), 2u);
  EXPECT_NEAR(out.column("output_multiplier").floats[0], 1.1 / 0.69, 1e-12);
  EXPECT_NEAR(out.column("output_multiplier").floats[1], 1.0 / 0.69, 1e-12);

  // Without skip_columns the text column is named with its file, line and character (17: after
  // "A,Agriculture,1,").
  write_text(dir / "data/dataset.toml",
             "name = \"toy io\"\n[tables.io]\nfile = \"io.csv\"\nlayout = \"matrix\"\n"
             "label_column = \"prod_na_lab\"\n");
  const CliResult bad = run_klaster("run p.toml --quiet", dir.path());
  EXPECT_EQ(bad.code, 3);
  EXPECT_EQ(first_line(bad.err),
            "error: data/io.csv:2:17: cannot read "
            "'agriculture_group' as a number (column 'iotables_row'); a text column of a matrix is "
            "named in label_column or skip_columns of table 'io' in dataset.toml");
}
