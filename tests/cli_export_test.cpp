// End to end: names of codes from dataset.toml's [labels] in summaries, units in run.json, and
// `klaster export RUN_DIR --format xlsx` read back by tests/read_xlsx.py (python3's zipfile and
// xml, not libxlsxwriter) and compared with the run's CSV files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "export.hpp"

using namespace klaster::test;
using nlohmann::json;

namespace {

/// The toy dataset (unit million KZT) with a regions table and a [labels.regions] section.
void add_labels(const Project& p) {
  write_text(p.path("data/dataset.toml"), std::string(kDatasetToml) + R"(unit = "million KZT"
[tables.regions]
file = "regions.csv"
columns = { code = "string", name_en = "string", name_ru = "string" }
[labels.regions]
table = "regions"
key = "code"
en = "name_en"
ru = "name_ru"
columns = ["region"]
)");
  write_text(p.path("data/regions.csv"),
             "code,name_en,name_ru\nA,Alpha,Альфа\nB,Bravo,Браво\nC,Charlie,Чарли\n");
}

constexpr const char* kSteps = R"([[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "output", value = "value" }

[[step]]
id = "boost"
plugin = "sector_incentive"
params = { input = "output", regions = ["A"], industries = ["Y"], factor = 1.15 }

[[step]]
id = "spec"
plugin = "specialization"
params = { input = "output" }
)";

/// The workbook as tests/read_xlsx.py reads it; null (and the test skipped) without python3.
json read_workbook(const fs::path& book) {
  const fs::path out = book.string() + ".json";
  const std::string cmd = "/usr/bin/python3 '" KLASTER_SOURCE_DIR "/tests/read_xlsx.py' '" +
                          book.string() + "' > '" + out.string() + "'";
  if (std::system(cmd.c_str()) != 0) return json();
  return json::parse(read_text(out));
}

/// The cells of a CSV file without quotes (the toy tables have none), by line.
std::vector<std::vector<std::string>> csv_cells(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(file));
  for (std::string line; std::getline(in, line);) {
    rows.emplace_back();
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) rows.back().push_back(f);
  }
  return rows;
}

/// run.json's `units` of every table the run wrote, by table name.
std::map<std::string, json> units_by_table(const Project& p) {
  const json run = json::parse(read_text(p.path("out/run.json")));
  std::map<std::string, json> units;
  for (const auto& s : run["steps"])
    for (const auto& t : s["tables_written"]) units[t["table"]] = t["units"];
  return units;
}

}  // namespace

// LQ of X in 2024 (toy data: A 30/100, B 20/100, C 25/100; national X 75/300 = 0.25), by hand:
// A = 0.3 / 0.25 = 1.2, C = 1, B = 0.8. The summary has no `names`, so the dataset's labels name
// the regions.
TEST(CliExport, SummaryShowsNamesFromDatasetLabels) {
  Project p("export_summary", std::string(kLqStep) + R"(
[[summary]]
table = "lq"
where = { industry = "X", year = 2024 }
columns = ["region", "lq"]
sort = "lq"
)");
  add_labels(p);
  const CliResult r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  // Summaries print floats with 4 decimals.
  EXPECT_TRUE(contains(r.out, "  region region name     lq\n")) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "  A      Alpha       1.2000\n  C      Charlie     1.0000\n"
                       "  B      Bravo       0.8000\n"))
      << r.out;
}

// A label table listing a code twice: the run still succeeds and prints its summary, without
// names, with a warning naming both lines; export stops with the error.
TEST(CliExport, DuplicateCodeInALabelTable) {
  Project p("export_dup_label", std::string(kLqStep) + "[[summary]]\ntable = \"lq\"\n");
  add_labels(p);
  write_text(p.path("data/regions.csv"), "code,name_en,name_ru\nA,Alpha,a\nA,Again,b\n");
  const CliResult r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "warning: names of codes left out of the summaries: [labels.regions]: "
                       "code 'A' is listed twice in column 'code' (data/regions.csv:2 and "
                       "data/regions.csv:3) of table 'regions'"))
      << r.err;
  EXPECT_FALSE(contains(r.out, "region name")) << r.out;
  const CliResult e = run_klaster("export out", p.path(""));
  EXPECT_EQ(e.code, 3);
  EXPECT_TRUE(contains(e.err, "code 'A' is listed twice")) << e.err;
  EXPECT_FALSE(fs::exists(p.path("out.xlsx")));
}

// The units rule (README "Outputs"): lq declares "dimensionless"; sector_incentive's value is the
// input's value column (of("value")), so it keeps the dataset's "million KZT"; specialization's
// total declares "<value>", the unit of the value column; keys and years have none.
TEST(CliExport, RunJsonRecordsUnits) {
  Project p("export_units", kSteps);
  add_labels(p);
  ASSERT_EQ(p.run("--quiet").code, 0);
  std::map<std::string, json> units = units_by_table(p);
  EXPECT_EQ(units["lq"], json({{"lq", "dimensionless"}}));
  EXPECT_EQ(units["boost"], json({{"value", "million KZT"}}));
  EXPECT_EQ(units["spec"]["total"], "million KZT");
  EXPECT_EQ(units["spec"]["hoover"], "index (0-1)");
  EXPECT_FALSE(units["spec"].contains("region"));
}

// Units declared with "<value>" by plugins gone through in issue 12 (docs/report.md): the
// dataset's "million KZT" (add_labels) reaches shift_share's components and compare's values; the
// unitless measures keep the texts the plugins declare (shift_share.cpp, compare.cpp).
TEST(CliExport, RunJsonRecordsUnitsOfShiftShareAndCompare) {
  Project p("export_units_ss", std::string(kSteps) + R"(
[[step]]
id = "ss"
plugin = "shift_share"
params = { input = "output", from_year = 2024, to_year = 2025, method = "gerfin", detail = false }

[[step]]
id = "cmp"
plugin = "compare"
params = { baseline = "output", scenario = "boost", value = "value" }
)");
  add_labels(p);
  ASSERT_EQ(p.run("--quiet").code, 0);
  std::map<std::string, json> units = units_by_table(p);
  EXPECT_EQ(units["ss"]["value_from"], "million KZT");
  EXPECT_EQ(units["ss"]["regional_share"], "million KZT");
  EXPECT_EQ(units["ss"]["total_index"], "index (1 = reference)");
  EXPECT_FALSE(units["ss"].contains("region"));
  EXPECT_EQ(units["cmp"]["baseline"], "million KZT");
  EXPECT_EQ(units["cmp"]["change"], "million KZT");
  EXPECT_EQ(units["cmp"]["relative_change"], "ratio");
}

TEST(CliExport, WorkbookReadsBackAsTheCsvFiles) {
  Project p("export_xlsx", kSteps);
  add_labels(p);
  ASSERT_EQ(p.run("--quiet").code, 0);
  const CliResult r = run_klaster("export out", p.path(""));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "out.xlsx\n");
  const json book = read_workbook(p.path("out.xlsx"));
  if (book.is_null()) GTEST_SKIP() << "no /usr/bin/python3";
  EXPECT_EQ(book["sheets"], json({"manifest", "lq", "boost", "spec"}));
  const json& lq = book["cells"]["lq"];
  // Header: names, units, and a name column after the labelled region column.
  std::vector<std::string> header;
  for (const auto& c : lq[0]) header.push_back(c["v"]);
  EXPECT_EQ(header, (std::vector<std::string>{"year", "region", "region name", "industry",
                                              "lq (dimensionless)"}));
  EXPECT_TRUE(book["frozen"]["lq"].get<bool>());
  EXPECT_TRUE(book["bold_header"]["lq"].get<bool>());
  // Every row: numbers as numbers equal to the CSV's (to 1e-15: the workbook keeps 16 digits),
  // codes as text, the name from regions.csv.
  const auto csv = csv_cells(p.path("out/lq.csv"));
  const std::map<std::string, std::string> names = {
      {"A", "Alpha"}, {"B", "Bravo"}, {"C", "Charlie"}};
  ASSERT_EQ(lq.size(), csv.size());
  for (std::size_t i = 1; i < csv.size(); ++i) {
    EXPECT_EQ(lq[i][0]["t"], "n");
    EXPECT_EQ(lq[i][0]["v"].get<double>(), std::stod(csv[i][0]));
    EXPECT_EQ(lq[i][1], json({{"t", "s"}, {"v", csv[i][1]}}));
    EXPECT_EQ(lq[i][2]["v"], names.at(csv[i][1]));
    EXPECT_EQ(lq[i][4]["t"], "n");
    EXPECT_NEAR(lq[i][4]["v"].get<double>(), std::stod(csv[i][3]), 1e-15);
  }
  // The manifest sheet names the pipeline and the plugin of each step.
  const std::string manifest = book["cells"]["manifest"].dump();
  EXPECT_TRUE(contains(manifest, "\"test pipeline\"")) << manifest;
  EXPECT_TRUE(contains(manifest, "\"location_quotient\"")) << manifest;
}

TEST(CliExport, RussianNames) {
  Project p("export_ru", kLqStep);
  add_labels(p);
  ASSERT_EQ(p.run("--quiet").code, 0);
  const CliResult r = run_klaster("export out --lang ru -o ru.xlsx", p.path(""));
  ASSERT_EQ(r.code, 0) << r.err;
  const json book = read_workbook(p.path("ru.xlsx"));
  if (book.is_null()) GTEST_SKIP() << "no /usr/bin/python3";
  const json& lq = book["cells"]["lq"];
  EXPECT_EQ(lq[0][2]["v"], "region: название");
  EXPECT_EQ(lq[1][1]["v"], "A");  // lq.csv's first row is the input's first: 2024, A, X
  EXPECT_EQ(lq[1][2]["v"], "Альфа");
}

TEST(CliExport, BadInputIsOneLineAndWritesNothing) {
  Project p("export_bad", kLqStep);
  ASSERT_EQ(p.run("--quiet").code, 0);
  CliResult r = run_klaster("export data", p.path(""));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: data: not a klaster run folder (no run.json written by klaster); give "
            "the folder `klaster run` wrote\n");
  r = run_klaster("export out --format ods", p.path(""));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: --format ods: unknown format; expected xlsx\n");
  r = run_klaster("export out -o out/x.xlsx", p.path(""));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.err, "refusing to write inside the run folder")) << r.err;
  EXPECT_FALSE(fs::exists(p.path("out/x.xlsx")));
  // A file klaster did not write is never replaced; its own workbook is.
  write_text(p.path("mine.xlsx"), "my notes");
  r = run_klaster("export out -o mine.xlsx", p.path(""));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: mine.xlsx: refusing to replace this file: klaster export did not write "
            "it; choose another -o FILE\n");
  EXPECT_EQ(read_text(p.path("mine.xlsx")), "my notes");
  ASSERT_EQ(run_klaster("export out", p.path("")).code, 0);
  EXPECT_TRUE(klaster::is_klaster_workbook(p.path("out.xlsx")));
  EXPECT_EQ(run_klaster("export out", p.path("")).code, 0) << "its own workbook is replaced";
  for (const auto& e : fs::directory_iterator(p.path("")))  // no temporary file left
    EXPECT_FALSE(contains(e.path().filename().string(), ".tmp-")) << e.path();
}

// A table longer than a sheet (1048576 rows with the header) is refused by its row count in
// run.json, before any file is read or written. The folder is written by hand: a run of that size
// would take a while.
TEST(CliExport, TableLongerThanASheetIsRefused) {
  TempDir dir("export_long");
  write_text(dir / "run/run.json", R"({"written_by": "klaster", "steps": [{"id": "big",
    "tables_written": [{"table": "big", "rows": 1048576, "file": "big.csv"}]}]})");
  write_text(dir / "run/big.csv", "x\n1\n");
  const CliResult r = run_klaster("export run", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: table 'big' has 1048576 rows; an Excel sheet holds at most 1048575 "
            "below its header: use its CSV file (big.csv)\n");
  EXPECT_FALSE(fs::exists(dir / "run.xlsx"));
}

// A text cell over Excel's 32767 characters is an error naming table, column and row (it would
// otherwise be left empty); the half-written workbook is removed.
TEST(CliExport, TextLongerThanACellIsRefused) {
  TempDir dir("export_long_text");
  write_text(dir / "run/run.json", R"({"written_by": "klaster", "steps": [{"id": "geo",
    "tables_written": [{"table": "geo", "rows": 1, "file": "geo.csv"}]}]})");
  write_text(dir / "run/geo.csv", "geometry\n" + std::string(40000, 'a') + "\n");
  const CliResult r = run_klaster("export run", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: table 'geo', column 'geometry', row 1: a text of 40000 bytes does not "
            "fit an Excel cell (32767 characters): use its CSV file (geo.csv)\n");
  for (const auto& e : fs::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename(), "run") << "nothing else is left: " << e.path();
}

TEST(CliExport, SheetNamesAreUniqueAndShort) {
  const std::string long_a(40, 'a');
  const auto names =
      klaster::sheet_names({"lq", long_a, long_a + "b", "manifest", "MANIFEST~1"}, "manifest");
  // Excel: at most 31 characters, unique without regard to case; "manifest" is the run's sheet.
  EXPECT_EQ(names,
            (std::vector<std::string>{"lq", std::string(31, 'a'), std::string(29, 'a') + "~1",
                                      "manifest~1", "MANIFEST~1~1"}));
}

TEST(CliExport, LabelErrorsNameTheLineOfDatasetToml) {
  Project p("export_label_error", kLqStep);
  add_labels(p);
  std::string toml = read_text(p.path("data/dataset.toml"));
  toml.replace(toml.find("key = \"code\""), 12, "key = \"kode\"");
  write_text(p.path("data/dataset.toml"), toml);
  const CliResult r = run_klaster("validate p.toml", p.path(""));
  EXPECT_EQ(r.code, 3);
  // kDatasetToml has 5 lines, `unit` is line 6, [labels.regions] starts at line 10.
  EXPECT_TRUE(contains(r.err,
                       "error: data/dataset.toml:12: 'key' in [labels.regions]: table "
                       "'regions' has no column 'kode' (did you mean 'code'?)"))
      << r.err;
}
