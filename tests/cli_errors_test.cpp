// The error catalogue's own tests (docs/errors.md, issue 13): one test per catalogue entry that no
// older test triggers, each through the CLI, checking the exit code (README "Exit codes") and the
// message. Every expected text is the entry's pattern in docs/errors.md filled in by hand; line
// numbers are counted by hand in the files the test writes (the pipeline header is 4 lines, so a
// pipeline's first [[step]] is line 5).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

/// The dataset's manifest with `table` as its only [tables.output] body.
void write_manifest(const Project& p, const std::string& table) {
  write_text(p.path("data/dataset.toml"),
             "name = \"toy\"\nsource = \"s\"\n[tables.output]\nfile = \"output.csv\"\n" + table);
}

const char* kColumns =
    "columns = { year = \"int\", region = \"string\", industry = \"string\", value = \"float\" }\n";

/// kLqStep with `extra` appended to its params table.
std::string lq_with(const std::string& extra) {
  return "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { input = \"output\", "
         "value = \"value\"" +
         extra + " }\n";
}

}  // namespace

// CLI-01
TEST(CliErrorCatalogue, UnknownCommandSuggests) {
  auto r = run_klaster("vaildate p.toml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: unknown command 'vaildate' (did you mean 'validate'?)");
}

// CLI-03: the option parser's own words (Boost.Program_options), then the command's usage.
TEST(CliErrorCatalogue, UnknownOptionIsAUsageError) {
  Project p("cat_option", kLqStep);
  auto r = p.validate("--frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: unrecognised option '--frobnicate'");
  EXPECT_TRUE(contains(r.err, "\nUsage: klaster validate PIPELINE")) << r.err;
}

// CLI-04
TEST(CliErrorCatalogue, BadLogLevel) {
  Project p("cat_loglevel", kLqStep);
  auto r = p.validate("--log-level loud");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: --log-level loud: use trace, debug, info, warn, error or off\n");
}

// CLI-05
TEST(CliErrorCatalogue, DescribeUnknownPlugin) {
  auto r = run_klaster("describe location_quotinet");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: unknown plugin 'location_quotinet' (did you mean "
                       "'location_quotient'?); searched "))
      << r.err;
  EXPECT_TRUE(contains(first_line(r.err), "; `klaster plugins` lists them")) << r.err;
}

// CLI-06
TEST(CliErrorCatalogue, SetWithoutEquals) {
  Project p("cat_set", kLqStep);
  auto r = p.validate("--set lq.value");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: --set lq.value: expected STEP.PARAM=VALUE\n");
}

// CLI-07
TEST(CliErrorCatalogue, SetUnknownStep) {
  Project p("cat_setstep", kLqStep);
  auto r = p.validate("--set lg.value=x");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: --set lg.value=x: the pipeline has no step 'lg' (did you mean 'lq'?)\n");
}

// CLI-08 and PIPE-09 for --set: one line naming the --set, without the "v = VALUE" line klaster
// parses the value from (it used to print "--set:1: ..." and that line).
TEST(CliErrorCatalogue, SetWhereValueOrKey) {
  Project p("cat_setwhere", kLqStep);
  auto r = p.validate("--set lq.where.a.b.c=1");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: --set lq.where.a.b.c=1: expected lq.where.COLUMN or "
            "lq.where.TABLE_PARAMETER.COLUMN\n");
  r = p.validate("--set lq.where.year=true");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: --set lq.where.year=true: a where value must be a string, a number or a "
            "non-empty list of them\n");
  r = p.validate("--set 'lq.value={a=1}'");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: --set lq.value={a=1} cannot be a table\n");
}

// CLI-09: the language is checked before the run folder is read.
TEST(CliErrorCatalogue, ReportBadLang) {
  auto r = run_klaster("report no_such_run --lang de");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: --lang de: use en or ru\n");
}

// PIPE-01
TEST(CliErrorCatalogue, PipelineIsAFolder) {
  Project p("cat_folder", kLqStep);
  auto r = run_klaster("validate data", p.dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: data: is a folder, not a pipeline file\n");
}

// PIPE-06: `name` is line 1 of the pipeline.
TEST(CliErrorCatalogue, NameThatIsNotAString) {
  Project p("cat_name", kLqStep);
  write_text(p.path("p.toml"), "name = 5\ndataset = \"data\"\n" + std::string(kLqStep));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: p.toml:1: 'name' must be a string, got an integer");
}

// PIPE-07: the message points at the file's first line.
TEST(CliErrorCatalogue, PipelineWithoutSteps) {
  Project p("cat_nosteps", "");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: p.toml:1: the pipeline has no [[step]]");
}

// PIPE-08: `id` is line 6 (the [[step]] header is line 5).
TEST(CliErrorCatalogue, StepIdWithCapitals) {
  Project p("cat_id", "[[step]]\nid = \"LQ\"\nplugin = \"location_quotient\"\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: p.toml:6: step id 'LQ' must match [a-z0-9_]+");
  EXPECT_TRUE(contains(r.err, "\n  6 | id = \"LQ\"")) << r.err;
}

// PIPE-09: nan is refused where it is written, params on line 8.
TEST(CliErrorCatalogue, NanParameter) {
  Project p("cat_nan",
            "[[step]]\nid = \"inc\"\nplugin = \"sector_incentive\"\nparams = { input = "
            "\"output\", regions = [\"A\"], industries = [\"Y\"], factor = nan }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'inc': parameter 'factor' must be a finite number within "
            "+-1.8e308 (nan, inf and larger literals are refused)");
}

// STEP-03: the parameter has no line, so the step's header (line 5) is named; the text after the
// type is the doc of the SDK's standard input parameter (sdk/src/cube.cpp).
TEST(CliErrorCatalogue, RequiredParameterMissing) {
  Project p("cat_required",
            "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { value = \"v\" }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:5: step 'lq': plugin 'location_quotient' needs parameter 'input' "
            "(table): long table with region, industry, [year], value");
}

// STEP-06: params are line 8.
TEST(CliErrorCatalogue, OutputNameWithASlash) {
  Project p("cat_slash", lq_with(", output = \"a/b\""));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'lq': parameter 'output' must be a table name made of letters, "
            "digits, '_', '.', '-'");
}

// STEP-09: region = "industry" makes the output's region column (named by that parameter) a second
// 'industry'; the error names the step's header, line 5.
TEST(CliErrorCatalogue, TwoOutputColumnsOfOneName) {
  Project p("cat_twocols", lq_with(", region = \"industry\""));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:5: step 'lq': plugin 'location_quotient': table 'lq' would have two "
            "columns named 'industry'; rename one with the step's column parameters");
}

// STEP-10: the step would write the dataset's own table 'output'; params are line 8.
TEST(CliErrorCatalogue, TableWrittenTwice) {
  Project p("cat_twice", lq_with(", output = \"output\""));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'lq': table 'output' already exists (from the dataset); tables "
            "are immutable: give this step another id or set params.output");
}

// WHERE-03: where on line 9.
TEST(CliErrorCatalogue, WhereEmptyList) {
  Project p("cat_where", std::string(kLqStep) + "where = { year = [] }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:9: 'where.year' in step 'lq' is an empty list: it would select no rows");
}

// SUM-01: kLqStep is lines 5-8, a blank line 9, [[summary]] line 10, its limit line 12.
TEST(CliErrorCatalogue, SummaryLimitNegative) {
  Project p("cat_limit", std::string(kLqStep) + "\n[[summary]]\ntable = \"lq\"\nlimit = -1\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:12: 'limit' in [[summary]] must be a non-negative integer");
}

// DATA-01: the message names the [tables.output] header, line 3 of dataset.toml.
TEST(CliErrorCatalogue, TableFileMissing) {
  Project p("cat_nofile", kLqStep);
  fs::remove(p.path("data/output.csv"));
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/dataset.toml:3: file of table 'output' not found: data/output.csv");
}

// DATA-02
TEST(CliErrorCatalogue, ManifestWithoutColumns) {
  Project p("cat_nocolumns", kLqStep);
  write_manifest(p, "");
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "[tables.output] needs columns = { name = \"string\" | \"int\" | "
                       "\"float\", ... }"))
      << r.err;
}

// DATA-03: columns on line 5.
TEST(CliErrorCatalogue, ManifestUnknownColumnType) {
  Project p("cat_type", kLqStep);
  write_manifest(p,
                 "columns = { year = \"int\", region = \"string\", industry = \"string\", "
                 "value = \"double\" }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: data/dataset.toml:5: unknown type \"double\" of "
                       "column 'value'"))
      << r.err;
  EXPECT_TRUE(contains(first_line(r.err), ": use \"string\", \"int\" or \"float\"")) << r.err;
}

// DATA-05: layout on line 5.
TEST(CliErrorCatalogue, ManifestUnknownLayout) {
  Project p("cat_layout", kLqStep);
  write_manifest(p, "layout = \"wide\"\n" + std::string(kColumns));
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err), "error: data/dataset.toml:5: layout 'wide'")) << r.err;
  EXPECT_TRUE(contains(first_line(r.err), " must be \"long\" or \"matrix\"")) << r.err;
}

// CSV-01: a folder where the CSV file should be: fopen succeeds, fread fails with EISDIR, whose
// strerror text on glibc is "Is a directory".
TEST(CliErrorCatalogue, CsvUnreadable) {
  Project p("cat_unreadable", kLqStep);
  fs::remove(p.path("data/output.csv"));
  fs::create_directory(p.path("data/output.csv"));
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err), "error: data/output.csv: read error: Is a directory");
}

// CSV-02
TEST(CliErrorCatalogue, CsvEmptyFile) {
  Project p("cat_empty", kLqStep, "");
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: data/output.csv:1: the file is empty (a header row is needed)"))
      << r.err;
}

// CSV-03: the quote opens on line 3 and never closes.
TEST(CliErrorCatalogue, CsvUnterminatedQuote) {
  Project p("cat_quote", kLqStep, "year,region,industry,value\n2024,A,X,30\n2024,A,\"Y,70\n");
  auto r = p.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err), "error: data/output.csv:3: unterminated quoted field"))
      << r.err;
}

// OUT-01: a file where the output folder should be is kept.
TEST(CliErrorCatalogue, OutputIsAFile) {
  Project p("cat_outfile", kLqStep);
  write_text(p.path("notes.txt"), "mine\n");
  auto r = p.run("--out notes.txt");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: notes.txt: output path exists and is not a folder");
  EXPECT_EQ(read_text(p.path("notes.txt")), "mine\n");
}

// XLS-01: the target's folder is checked before the workbook is written (libxlsxwriter would fail
// only when closing it, printing its own line and blaming permissions).
TEST(CliErrorCatalogue, ExportIntoAMissingFolder) {
  Project p("cat_export", kLqStep);
  ASSERT_EQ(p.run("--quiet").code, 0);
  auto r = run_klaster("export out -o nodir/x.xlsx", p.dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: nodir/x.xlsx: its folder nodir does not exist; create it or choose another "
            "-o\n");
  EXPECT_FALSE(fs::exists(p.path("nodir")));
}

// BAT-01
TEST(CliErrorCatalogue, BatchNegativeTimeout) {
  Project p("cat_timeout", kLqStep);
  write_text(p.path("b.toml"), "pipelines = [\"p.toml\"]\nstore = \"b.sqlite\"\n");
  auto r = run_klaster("batch b.toml --timeout -1", p.dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: batch: --jobs, --timeout and --max-memory must be 0 or more; --timeout and "
            "--max-memory need worker processes (--jobs 1 or more)\n");
  EXPECT_FALSE(fs::exists(p.path("b.sqlite")));
}

// BAT-03
TEST(CliErrorCatalogue, BatchWithoutScenarios) {
  Project p("cat_noscen", kLqStep);
  write_text(p.path("b.toml"), "pipelines = [\"p.toml\"]\nstore = \"b.sqlite\"\n");
  auto r = run_klaster("batch validate b.toml", p.dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: b.toml: the batch has no scenarios: add a [grid] or [[scenario]] entries\n");
}

namespace {

/// A project whose dataset adds an input-output table `io` (layout = "matrix", rows A, B and the
/// total-output row P1) and a demand change `demand` (sector A by 1), run by io_impact with the
/// household, employment and GVA rows switched off; `extra` is appended to the step's params.
class IoProject {
 public:
  IoProject(const std::string& name, const std::string& io_csv, const std::string& extra = "")
      : p_(name, kLqStep) {
    write_text(p_.path("data/dataset.toml"),
               std::string(kDatasetToml) +
                   "[tables.io]\nfile = \"io.csv\"\nlayout = \"matrix\"\n[tables.demand]\nfile = "
                   "\"demand.csv\"\ncolumns = { sector = \"string\", delta = \"float\" }\n");
    write_text(p_.path("data/io.csv"), io_csv);
    write_text(p_.path("data/demand.csv"), "sector,delta\nA,1\n");
    p_.write_pipeline(
        "[[step]]\nid = \"imp\"\nplugin = \"io_impact\"\nparams = { input = \"io\", "
        "demand_change = \"demand\", compensation_row = \"\", employment_row = \"\", gva_row = "
        "\"\"" +
        extra + " }\n");
  }
  CliResult run() const { return p_.run("--quiet"); }
  void write_demand(const std::string& csv) const { write_text(p_.path("data/demand.csv"), csv); }

 private:
  Project p_;
};

/// The step's prefix (the [[step]] header is line 5), then the plugin's message.
void expect_step_error(const CliResult& r, int code, const std::string& message) {
  EXPECT_EQ(r.code, code) << r.err;
  const std::string line = first_line(r.err);
  EXPECT_EQ(line.rfind("error: p.toml:5: step 'imp' (plugin io_impact ", 0), 0) << r.err;
  EXPECT_TRUE(contains(line, "): " + message)) << r.err;
}

}  // namespace

// IO-01: no row code is also a column code (rows A, B, P1; columns X, Y).
TEST(CliErrorCatalogue, IoTableWithoutASquareBlock) {
  IoProject p("cat_io_square", "code,X,Y\nA,1,1\nB,1,1\nP1,10,10\n");
  expect_step_error(p.run(), 3,
                    "table 'io': no row label of the input-output table matches a column label, "
                    "so there is no square intermediate block (rows: A, B, P1; columns: X, Y). If "
                    "the codes differ, set row_prefix (e.g. \"CPA_\") or mapping (\"row=column\" "
                    "pairs); or name the sectors; input table 'io' (data/io.csv)");
}

// IO-02: sector Z is not among the table's sectors A and B.
TEST(CliErrorCatalogue, IoUnknownSector) {
  IoProject p("cat_io_sector", "code,A,B\nA,1,1\nB,1,1\nP1,10,10\n", ", sectors = [\"A\", \"Z\"]");
  const auto r = p.run();
  expect_step_error(r, 2,
                    "sectors not in the table (as a label that is both a row and a column): Z");
  EXPECT_TRUE(contains(first_line(r.err), "; sectors available: A, B")) << r.err;
}

// IO-03: the flow from A to B (row A, column B) is -5.
TEST(CliErrorCatalogue, IoNegativeFlow) {
  IoProject p("cat_io_negative", "code,A,B\nA,10,-5\nB,5,10\nP1,100,100\n");
  expect_step_error(p.run(), 3,
                    "table 'io': negative intermediate flows: (A, B) = -5. Intermediate use "
                    "cannot be negative; fix the table, or set allow_negative_flows = true if the "
                    "negatives are intended; input table 'io' (data/io.csv)");
}

// IO-05: every flow is 6 and every output 10, so each column of A = Z / x sums to 6/10 + 6/10 =
// 1.2 >= 1 and (I - A) has no non-negative inverse (Hawkins-Simon; Miller & Blair 2009, 2.9).
TEST(CliErrorCatalogue, IoTableNotProductive) {
  IoProject p("cat_io_productive", "code,A,B\nA,6,6\nB,6,6\nP1,10,10\n");
  expect_step_error(p.run(), 3,
                    "Leontief system is not productive (Hawkins-Simon condition fails: the "
                    "spectral radius of A is at least 1, so some output cannot be produced); "
                    "sectors whose inputs per unit of output sum to 1 or more (column sums of A): "
                    "A (1.2), B (1.2). Check the units of total output against the flows, and "
                    "that total rows or columns are excluded; input table 'io' (data/io.csv)");
}

// IO-04: the employment satellite read from the table `demand` (sector, delta), which has a value
// for sector A only, then A twice.
TEST(CliErrorCatalogue, IoSatelliteTable) {
  IoProject p("cat_io_satellite", "code,A,B\nA,1,1\nB,1,1\nP1,10,10\n",
              ", employment_table = \"demand\", employment_value = \"delta\"");
  // The file named at the end is the employment table's, which the message is about, not the
  // primary input's (io.csv).
  expect_step_error(p.run(), 3,
                    "employment table 'demand' has no value for sectors: B; input table 'demand' "
                    "(data/demand.csv)");
  p.write_demand("sector,delta\nA,1\nA,2\n");
  expect_step_error(p.run(), 3,
                    "employment table 'demand': sector 'A' appears twice; input table 'demand' "
                    "(data/demand.csv)");
}

// OUT-04: the output folder on a 16 KiB tmpfs (as CliBatchStore.FullDiskStopsCleanlyAndResumes
// does; root only). The toy output fits; 50 regions x 40 industries (2000 rows, each lq.csv line
// over 20 bytes, so over 40 KB) do not: the run fails writing lq.csv with ENOSPC, whose strerror
// text on glibc is "No space left on device", and the previous output is kept.
TEST(CliErrorCatalogue, FullDiskWhileWriting) {
  Project p("cat_fulldisk", kLqStep);
  const fs::path tiny = p.path("tiny");
  fs::create_directories(tiny);
  if (std::system(("mount -t tmpfs -o size=16k tmpfs '" + tiny.string() + "' 2>/dev/null").c_str()))
    GTEST_SKIP() << "cannot mount a small tmpfs here (not root, or no CAP_SYS_ADMIN)";
  struct Unmount {
    fs::path dir;
    ~Unmount() { std::system(("umount '" + dir.string() + "'").c_str()); }
  } unmount{tiny};
  ASSERT_EQ(p.run("--quiet --out tiny/out").code, 0);
  const std::string before = read_text(tiny / "out/run.json");
  std::string csv = "year,region,industry,value\n";
  for (int r = 0; r < 50; ++r)
    for (int i = 0; i < 40; ++i)
      csv += "2024,R" + std::to_string(r) + ",I" + std::to_string(i) + "," +
             std::to_string(r + i + 1) + "\n";
  write_text(p.path("data/output.csv"), csv);
  auto r = p.run("--quiet --out tiny/out");
  EXPECT_EQ(r.code, 1);
  const std::string line = first_line(r.err);
  EXPECT_EQ(line.rfind("error: " + (tiny / ".out.staging-").string(), 0), 0) << r.err;
  const std::string tail = "/lq.csv: write failed: No space left on device";
  EXPECT_EQ(line.substr(line.size() - std::min(line.size(), tail.size())), tail) << r.err;
  EXPECT_EQ(read_text(tiny / "out/run.json"), before);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(tiny)) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"out"});
}

// XLS-03: the workbook of a 2000-row run does not fit a 16 KiB tmpfs (root only, as above). The
// last line names the system's reason (ENOSPC: "No space left on device" on glibc), then
// libxlsxwriter's; the lines before it are libxlsxwriter's own. No temporary file is left.
TEST(CliErrorCatalogue, ExportOnAFullDisk) {
  std::string csv = "year,region,industry,value\n";
  for (int r = 0; r < 50; ++r)
    for (int i = 0; i < 40; ++i)
      csv += "2024,R" + std::to_string(r) + ",I" + std::to_string(i) + "," +
             std::to_string(r + i + 1) + "\n";
  Project p("cat_xlsx_full", kLqStep, csv);
  ASSERT_EQ(p.run("--quiet").code, 0);
  const fs::path tiny = p.path("tiny");
  fs::create_directories(tiny);
  if (std::system(("mount -t tmpfs -o size=16k tmpfs '" + tiny.string() + "' 2>/dev/null").c_str()))
    GTEST_SKIP() << "cannot mount a small tmpfs here (not root, or no CAP_SYS_ADMIN)";
  struct Unmount {
    fs::path dir;
    ~Unmount() { std::system(("umount '" + dir.string() + "'").c_str()); }
  } unmount{tiny};
  auto r = run_klaster("export out -o tiny/x.xlsx", p.dir());
  EXPECT_EQ(r.code, 2);
  const std::string last = r.err.substr(r.err.rfind("error: "));
  EXPECT_EQ(
      last.rfind("error: tiny/x.xlsx: cannot write the workbook: No space left on device (", 0), 0)
      << r.err;
  EXPECT_TRUE(fs::is_empty(tiny));
}
