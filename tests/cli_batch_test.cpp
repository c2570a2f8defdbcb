// End-to-end tests of `klaster batch validate` and `klaster batch` (issue 11, steps 1 and 2;
// docs/batch.md): a batch file's scenarios are expanded and each validated as `klaster validate
// --set` would; every bad input is a one-line error naming the batch file's line; a batch runs its
// scenarios into one SQLite store, read back here with the SQLite C API.
#include <gtest/gtest.h>

#include <vector>

#include "batch_support.hpp"
#include "cli_support.hpp"

using namespace klaster::test;

namespace {

const char* kIncentiveStep = R"([[step]]
id = "inc"
plugin = "sector_incentive"
params = { input = "output", regions = ["A"], industries = ["Y"], factor = 1.15 }
)";

/// The toy project with steps lq and inc, and a batch file b.toml: line 1 names the pipeline,
/// line 2 the store, `rest` starts at line 3.
struct BatchProject {
  Project p;
  explicit BatchProject(const std::string& name, const std::string& rest)
      : p(name, std::string(kLqStep) + "\n" + kIncentiveStep) {
    write_text(p.path("b.toml"), "pipelines = [\"p.toml\"]\nstore = \"out/b.sqlite\"\n" + rest);
  }
  CliResult validate(const std::string& args = "") const {
    return run_klaster("batch validate b.toml " + args, p.dir());
  }
};

const char* kGrid2x3 = R"([grid]
"inc.factor" = [1.1, 1.2]
"inc.regions" = [["A"], ["B"], ["C"]]
)";

/// An error is one line on stderr, and exit code 2.
void expect_error(const CliResult& r, const std::string& line) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "error: " + line + "\n");
}

}  // namespace

TEST(CliBatch, GridOfTwoByThreeGivesSixValidScenarios) {
  auto r = BatchProject("batch_grid", kGrid2x3).validate();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: b.toml: 6 scenarios over 1 pipeline valid (6 runs)\n");
}

// Ids: the [[scenario]] list in file order, then the grid's cells g0001... with the first key
// varying slowest; the same every time.
TEST(CliBatch, ScenarioIdsAreDeterministic) {
  BatchProject b("batch_ids", std::string("[[scenario]]\nid = \"base\"\n") + kGrid2x3);
  auto r = b.validate("--list --quiet");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "scenario 'base'\n"
            "scenario 'g0001' (inc.factor=1.1, inc.regions=[\"A\"])\n"
            "scenario 'g0002' (inc.factor=1.1, inc.regions=[\"B\"])\n"
            "scenario 'g0003' (inc.factor=1.1, inc.regions=[\"C\"])\n"
            "scenario 'g0004' (inc.factor=1.2, inc.regions=[\"A\"])\n"
            "scenario 'g0005' (inc.factor=1.2, inc.regions=[\"B\"])\n"
            "scenario 'g0006' (inc.factor=1.2, inc.regions=[\"C\"])\n");
  EXPECT_EQ(b.validate("--list --quiet").out, r.out);
}

TEST(CliBatch, GridOverAnUnknownParameterSuggestsTheNearest) {
  BatchProject b("batch_param", "[grid]\n\"inc.facter\" = [1.1, 1.2]\n");
  expect_error(b.validate(),
               "b.toml:4: scenario 'g0001' (inc.facter=1.1): step 'inc': plugin "
               "'sector_incentive' has no parameter 'facter' (did you mean 'factor'?)");
  // the same message as --set gives
  auto set = b.p.validate("--set inc.facter=1.1");
  EXPECT_EQ(set.err,
            "error: --set inc.facter=1.1: step 'inc': plugin 'sector_incentive' has no "
            "parameter 'facter' (did you mean 'factor'?)\n");
}

TEST(CliBatch, GridOverAnUnknownStepSuggestsTheNearest) {
  expect_error(BatchProject("batch_step", "[grid]\n\"incc.factor\" = [1.1]\n").validate(),
               "b.toml:4: scenario 'g0001' (incc.factor=1.1): the pipeline has no step 'incc' "
               "(did you mean 'inc'?)");
}

TEST(CliBatch, ValueOutOfBoundsInOneCellNamesTheScenario) {
  BatchProject b("batch_bounds",
                 "[grid]\n\"inc.factor\" = [1.1, -1]\n\"inc.regions\" = [[\"A\"], [\"B\"]]\n");
  expect_error(b.validate(),
               "b.toml:4: scenario 'g0003' (inc.factor=-1, inc.regions=[\"A\"]): step 'inc': "
               "parameter 'factor' = -1.0 is out of range: must be > 0.0");
}

TEST(CliBatch, BaselineIsValidatedFirst) {
  BatchProject bad("batch_baseline",
                   "[baseline]\n\"inc.factor\" = 0\n[grid]\n\"lq.value\" = [\"value\"]\n");
  expect_error(bad.validate(),
               "b.toml:4: baseline: step 'inc': parameter 'factor' = 0.0 is out of "
               "range: must be > 0.0");
}

TEST(CliBatch, TwoScenariosWithTheSameIdAreRefused) {
  BatchProject b("batch_dup", "[[scenario]]\nid = \"a\"\n[[scenario]]\nid = \"a\"\n");
  expect_error(b.validate(), "b.toml:6: two scenarios have the id 'a' (the first at b.toml:4)");
  BatchProject g("batch_dup_grid", std::string("[[scenario]]\nid = \"g0002\"\n") + kGrid2x3);
  expect_error(g.validate(),
               "b.toml:5: two scenarios have the id 'g0002' (the first at "
               "b.toml:4; the grid's are g0001, g0002, ...)");
}

TEST(CliBatch, UnknownPipelineFileIsRefused) {
  BatchProject b("batch_pipeline", kGrid2x3);
  write_text(b.p.path("b.toml"), std::string("pipelines = [\"p.toml\", \"q.toml\"]\n") + kGrid2x3);
  expect_error(b.validate(),
               "b.toml:1: pipeline 'q.toml' not found (looked for q.toml; paths "
               "are relative to the batch file)");
}

TEST(CliBatch, UnknownCollectedTableSuggestsTheNearest) {
  BatchProject b("batch_collect", std::string("collect = [\"lq\", \"incc\"]\n") + kGrid2x3);
  expect_error(b.validate(),
               "b.toml:3: collect: no step of pipeline 'p.toml' writes a table "
               "'incc' (did you mean 'inc'?); its steps write: inc, lq");
}

// `where` values take part in grids as parameters do (STEP.where.COLUMN), checked like a
// pipeline's own where; --set takes the same keys.
TEST(CliBatch, GridOverWhereValues) {
  BatchProject b("batch_where", "[grid]\n\"lq.where.year\" = [2024, 2025]\n");
  auto r = b.validate();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: b.toml: 2 scenarios over 1 pipeline valid (2 runs)\n");
  BatchProject bad("batch_where_bad", "[grid]\n\"lq.where.yaer\" = [2024]\n");
  expect_error(bad.validate(),
               "b.toml:4: scenario 'g0001' (lq.where.yaer=2024): step 'lq': where: column 'yaer' "
               "is not in table 'output' (did you mean 'year'?)");
  EXPECT_EQ(b.p.validate("--set lq.where.year=2025 --quiet").code, 0);
}

TEST(CliBatch, ExampleBatchIsValid) {
  auto r = run_klaster("batch validate configs/kz_batch.toml");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: configs/kz_batch.toml: 13 scenarios over 1 pipeline valid (13 runs)\n");
  // the measures of kz_auto_cluster_formation: a 3 x 3 grid and 8 named scenarios
  r = run_klaster("batch validate configs/kz_measures_batch.toml");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ok: configs/kz_measures_batch.toml: 17 scenarios over 1 pipeline valid (17 runs)\n");
}

// `--set STEP.where.COLUMN` replaces the pipeline's clause on that column (one function with
// batch).
TEST(CliBatch, SetReplacesAWhereClause) {
  Project p("set_where", std::string(kLqStep) + "where = { year = 2024 }\n");
  auto r = p.run("--set lq.where.year=2025 --quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string lq = read_text(p.path("out/lq.csv"));
  EXPECT_TRUE(contains(lq, "\n2025,A,X,")) << lq;
  EXPECT_FALSE(contains(lq, "2024")) << lq;
}

// Dotted TOML keys mean the same as quoted ones.
TEST(CliBatch, DottedKeysEqualQuotedKeys) {
  BatchProject quoted("batch_quoted", kGrid2x3);
  BatchProject dotted(
      "batch_dotted",
      "[grid]\ninc.factor = [1.1, 1.2]\ninc.regions = [[\"A\"], [\"B\"], [\"C\"]]\n");
  EXPECT_EQ(dotted.validate("--list").out, quoted.validate("--list").out);
  EXPECT_EQ(dotted.validate("--list").code, 0);
}

// More than 9999 cells: ids get a fifth digit, all of the same width.
TEST(CliBatch, LargeGridIdsKeepOneWidth) {
  std::string factors, years;
  // 1.001 ... 1.100: a hundred different numbers (a repeated value is refused)
  for (int i = 1; i <= 100; ++i) {
    const std::string digits = std::to_string(1000 + i).substr(1);
    factors += (i > 1 ? ", 1." : "1.") + digits;
  }
  // [2001] ... [2100]: validation does not look for the years in the data
  for (int i = 1; i <= 100; ++i) years += (i > 1 ? ", [" : "[") + std::to_string(2000 + i) + "]";
  BatchProject b("batch_large",
                 "[grid]\n\"inc.factor\" = [" + factors + "]\n\"inc.years\" = [" + years + "]\n");
  auto r = b.validate("--list");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("scenario 'g00001' (inc.factor=1.001, inc.years=[2001])\n"));
  EXPECT_TRUE(contains(r.out, "scenario 'g10000' (inc.factor=1.1, inc.years=[2100])\n"));
  EXPECT_TRUE(contains(r.out, "ok: b.toml: 10000 scenarios over 1 pipeline valid (10000 runs)"));
}

// A scenario that renames a collected table's step output is refused too.
TEST(CliBatch, CollectedTableIsCheckedInEveryScenario) {
  BatchProject b("batch_collect_scenario",
                 "collect = [\"inc\"]\n[[scenario]]\nid = \"renamed\"\n"
                 "set = { \"inc.output\" = \"inc2\" }\n");
  expect_error(b.validate(),
               "b.toml:3: scenario 'renamed' (inc.output=\"inc2\"): collect: no step "
               "of pipeline 'p.toml' writes a table 'inc' (did you mean 'inc2'?); "
               "its steps write: inc2, lq");
}

// --- klaster batch BATCH: the store ---

namespace {

/// The `value` of the row 2024,B,Y in a CSV the pipeline wrote (columns
/// year,region,industry,value).
double csv_value(const fs::path& csv, const std::string& key) {
  std::istringstream in(read_text(csv));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ",", 0) == 0) return std::stod(line.substr(line.rfind(',') + 1));
  ADD_FAILURE() << "no row " << key << " in " << csv;
  return 0;
}

struct BatchRun : BatchProject {
  using BatchProject::BatchProject;
  CliResult run(const std::string& args = "") const {
    return run_klaster("batch b.toml " + args, p.dir());
  }
  fs::path store() const { return p.path("out/b.sqlite"); }
};

const std::string kCollectInc = "collect = [\"inc\"]\n";

}  // namespace

TEST(CliBatchRun, GridOfTwoByThreeFillsTheStore) {
  BatchRun b("run_grid", kCollectInc + kGrid2x3);
  auto r = b.run();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "b.toml: 6 runs: 6 ok, 0 failed; store out/b.sqlite\n");
  EXPECT_EQ(one(b.store(), "SELECT count(*), sum(status = 'ok') FROM scenarios"), "6|6");
  EXPECT_EQ(one(b.store(),
                "SELECT pipeline, \"inc.factor\", \"inc.regions\", parameters, error "
                "FROM scenarios WHERE id = 'g0005'"),
            "p.toml|1.2|[\"B\"]|{\"inc.factor\":1.2,\"inc.regions\":[\"B\"]}|NULL");
  EXPECT_EQ(query(b.store(), "SELECT DISTINCT scenario FROM p__inc ORDER BY 1"),
            (std::vector<std::string>{"g0001", "g0002", "g0003", "g0004", "g0005", "g0006"}));
  EXPECT_EQ(one(b.store(), "SELECT count(*) FROM p__inc WHERE scenario = 'g0001'"), "12");
  EXPECT_EQ(one(b.store(), "SELECT value FROM batch WHERE key = 'batch_sha256'").size(), 64u);
  // nothing but the store is written (the pipeline's own output folder is out/ too)
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(b.p.path("out")))
    files.push_back(e.path().filename().string());
  EXPECT_EQ(files, std::vector<std::string>{"b.sqlite"});
}

// An absolute pipeline path in a batch file given by a relative path: the store named the pipeline
// "" (lexically_relative of an absolute path to a relative folder), and `batch export` then found
// no tables. The name is the pipeline's path relative to the batch file's folder.
TEST(CliBatchRun, AbsolutePipelinePathIsNamedRelativeToTheBatchFile) {
  BatchRun b("run_abs", "");
  write_text(b.p.path("b2.toml"), "pipelines = [\"" + b.p.path("p.toml").string() +
                                      "\"]\nstore = \"out/b2.sqlite\"\n" + kCollectInc +
                                      "[[scenario]]\nid = \"one\"\n");
  auto r = run_klaster("batch b2.toml --quiet", b.p.dir());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(one(b.p.path("out/b2.sqlite"), "SELECT pipeline, status FROM scenarios"), "p.toml|ok");
}

TEST(CliBatchRun, ValuesEqualThoseOfSingleRuns) {
  BatchRun b("run_same", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  for (const auto& [id, set] : std::vector<std::pair<std::string, std::string>>{
           {"g0005", "--set inc.factor=1.2 --set 'inc.regions=[\"B\"]'"},
           {"g0002", "--set inc.factor=1.1 --set 'inc.regions=[\"B\"]'"}}) {
    auto single = b.p.run(set + " --out single_" + id + " --quiet");
    ASSERT_EQ(single.code, 0) << single.err;
    const std::string stored =
        one(b.store(), "SELECT value FROM p__inc WHERE scenario = '" + id +
                           "' AND year = 2024 AND region = 'B' AND industry = 'Y'");
    EXPECT_DOUBLE_EQ(std::stod(stored),
                     csv_value(b.p.path("single_" + id + "/inc.csv"), "2024,B,Y"))
        << id;
  }
}

TEST(CliBatchRun, FailingScenarioIsRecordedAndTheBatchGoesOn) {
  BatchRun b("run_fail", kCollectInc +
                             "[[scenario]]\nid = \"bad\"\nset = { \"inc.regions\" = [\"Z\"] }\n"
                             "[[scenario]]\nid = \"good\"\n");
  auto r = b.run();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out, "b.toml: 2 runs: 1 ok, 1 failed; store out/b.sqlite\n");
  EXPECT_EQ(query(b.store(), "SELECT id, status FROM scenarios ORDER BY id"),
            (std::vector<std::string>{"bad|failed", "good|ok"}));
  EXPECT_TRUE(contains(one(b.store(), "SELECT error FROM scenarios WHERE id = 'bad'"), "'Z'"));
  EXPECT_EQ(one(b.store(), "SELECT count(*) FROM p__inc WHERE scenario = 'bad'"), "0");
  EXPECT_EQ(one(b.store(), "SELECT count(*) FROM p__inc WHERE scenario = 'good'"), "12");
}

TEST(CliBatchRun, ResumeRunsOnlyTheMissingScenario) {
  BatchRun b("run_resume", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  query(b.store(), "DELETE FROM scenarios WHERE id = 'g0003'");
  query(b.store(), "DELETE FROM p__inc WHERE scenario = 'g0003'");
  auto r = b.run("--resume");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "b.toml: 1 run: 1 ok, 0 failed, 5 already in the store; store out/b.sqlite\n");
  EXPECT_EQ(one(b.store(), "SELECT count(*) FROM scenarios"), "6");
  EXPECT_EQ(query(b.store(), "SELECT scenario, count(*) FROM p__inc GROUP BY 1 ORDER BY 1"),
            (std::vector<std::string>{"g0001|12", "g0002|12", "g0003|12", "g0004|12", "g0005|12",
                                      "g0006|12"}));
  EXPECT_EQ(b.run("--resume").out,
            "b.toml: 0 runs: 0 ok, 0 failed, 6 already in the store; store out/b.sqlite\n");
}

TEST(CliBatchRun, ResumeWithAnotherBatchFileIsRefused) {
  BatchRun b("run_other", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  write_text(b.p.path("b.toml"), read_text(b.p.path("b.toml")) + "\"inc.years\" = [[2025]]\n");
  auto r = b.run("--resume");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "error: --resume: store 'out/b.sqlite' was written by another batch "
                       "file"))
      << r.err;
  EXPECT_EQ(one(b.store(), "SELECT count(*) FROM scenarios"), "6");
}

TEST(CliBatchRun, ExistingStoreWithoutResumeIsRefused) {
  BatchRun b("run_exists", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  auto r = b.run();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: store 'out/b.sqlite' exists: pass --resume to run the scenarios it lacks, or "
            "name another `store` in the batch file\n");
  EXPECT_EQ(one(b.store(), "SELECT count(*) FROM scenarios"), "6");
}

// The example batch on the Kazakhstan pipeline: lq_compare has a column `scenario` of its own,
// stored as `scenario_` beside the id column.
TEST(CliBatchRun, ExampleBatchRunsIntoItsStore) {
  TempDir tmp("run_example");
  auto r = run_klaster(
      "batch '" + std::string(KLASTER_SOURCE_DIR) + "/configs/kz_batch.toml' --quiet", tmp.path());
  EXPECT_EQ(r.code, 0) << r.err;
  const fs::path store = tmp / "out/kz_batch.sqlite";
  EXPECT_EQ(one(store, "SELECT count(*), sum(status = 'ok') FROM scenarios"), "13|13");
  EXPECT_EQ(one(store,
                "SELECT count(*) FROM kz_auto_cluster__lq_compare WHERE scenario = 'g0001' "
                "AND scenario_ IS NULL"),
            "0");
}

// The dataset table is loaded from its file once for all six scenarios.
TEST(CliBatchRun, DatasetTableIsLoadedOnce) {
  BatchRun b("run_once", kCollectInc + kGrid2x3);
  auto r = b.run("--log-level info");
  EXPECT_EQ(r.code, 0) << r.err;
  std::size_t loads = 0;
  for (std::size_t at = 0; (at = r.err.find("loaded table 'output'", at)) != std::string::npos;
       ++at)
    ++loads;
  EXPECT_EQ(loads, 1u) << r.err;
}

// --- a grid key listing one value twice ---

TEST(CliBatch, RepeatedGridValueIsRefused) {
  // 1.1 and 1.10 are one number; the lines of both are named
  BatchProject b("batch_repeat", "[grid]\n\"inc.factor\" = [1.1,\n  1.2,\n  1.10]\n");
  expect_error(b.validate(),
               "b.toml:6: grid 'inc.factor' lists 1.1 twice (also at b.toml:4): the scenarios "
               "would be identical");
  BatchProject lists("batch_repeat_list",
                     "[grid]\n\"inc.regions\" = [[\"A\"], [\"B\"], [\"A\"]]\n");
  expect_error(lists.validate(),
               "b.toml:4: grid 'inc.regions' lists [\"A\"] twice (also at b.toml:4): the "
               "scenarios would be identical");
}

// --- {STEP.PARAM} in summaries and in a step's where ---

namespace {

/// The toy project with lq and inc, and a summary of inc whose title and rows follow inc's values.
const char* kIncentiveSummary = R"(
[[summary]]
title = "Incentive x{inc.factor} in {inc.regions}, {{literal}}"
table = "inc"
where = { region = "{inc.regions}", year = 2025, industry = "Y" }
columns = ["region", "value"]
sort = "region"
descending = false
)";

}  // namespace

TEST(CliPlaceholders, SummaryTitleAndWhereFollowSet) {
  Project p("placeholder_title", std::string(kLqStep) + "\n" + kIncentiveStep + kIncentiveSummary);
  auto r = p.run("--set inc.factor=1.05 --set 'inc.regions=[\"A\",\"C\"]'");
  ASSERT_EQ(r.code, 0) << r.err;
  // title: 1.05 as written (shortest exact text), the list joined by ", ", {{ }} literal braces;
  // rows: 2025, Y in A and C, scaled by 1.05 (kOutputCsv: 60 x 1.05 = 63, 75 x 1.05 = 78.75),
  // printed with 4 decimals as every summary float
  EXPECT_TRUE(contains(r.out,
                       "\nIncentive x1.05 in A, C, {literal}\n"
                       "  region   value\n"
                       "  ------ -------\n"
                       "  A      63.0000\n"
                       "  C      78.7500\n"))
      << r.out;
  // the pipeline's own values without --set: factor 1.15, regions ["A"]
  EXPECT_TRUE(contains(p.run().out, "\nIncentive x1.15 in A, {literal}\n"));
}

TEST(CliPlaceholders, UnknownStepOrParameterIsAValidationError) {
  std::string summary = kIncentiveSummary;
  summary.replace(summary.find("{inc.factor}"), 12, "{inc.facter}");
  Project p("placeholder_unknown", std::string(kLqStep) + "\n" + kIncentiveStep + summary);
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  // the title is on line 16 of p.toml (4 header lines, lq 4, a blank, inc 4, a blank, [[summary]])
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:16: summary 'Incentive x{inc.facter} in {inc.regions}, {{literal}}': "
            "placeholder {inc.facter}: step 'inc' (plugin 'sector_incentive') has no parameter "
            "'facter' (did you mean 'factor'?)");
  summary = kIncentiveSummary;
  summary.replace(summary.find("{inc.regions}\", year"), 13, "{incc.regions}");
  p.write_pipeline(std::string(kLqStep) + "\n" + kIncentiveStep + summary);
  EXPECT_EQ(first_line(p.validate().err),
            "error: p.toml:18: summary 'Incentive x1.15 in A, {literal}': placeholder "
            "{incc.regions}: no step 'incc' (did you mean 'inc'?); steps: lq, inc");
}

// A step's where may name the values of earlier steps (and its own): lq2 keeps inc's regions.
TEST(CliPlaceholders, StepWhereTakesAnEarlierStepsValue) {
  Project p("placeholder_where", std::string(kLqStep) + "\n" + kIncentiveStep +
                                     "\n[[step]]\nid = \"lq2\"\nplugin = \"location_quotient\"\n"
                                     "params = { input = \"inc\" }\n"
                                     "where = { region = \"{inc.regions}\" }\n");
  auto r = p.run("--set 'inc.regions=[\"B\",\"C\"]' --quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string lq2 = read_text(p.path("out/lq2.csv"));
  EXPECT_TRUE(contains(lq2, ",B,") && contains(lq2, ",C,")) << lq2;
  EXPECT_FALSE(contains(lq2, ",A,")) << lq2;
}

// --- klaster batch export ---

namespace {

/// The lines of a CSV text.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

CliResult export_store(const BatchRun& b, const std::string& args = "") {
  return run_klaster("batch export out/b.sqlite " + args, b.p.dir());
}

}  // namespace

TEST(CliBatchExport, GridOfTwoByThreeGivesOneCombinedCsv) {
  BatchRun b("export_grid", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  auto r = export_store(b);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "out/b.sqlite: rows of ok scenarios written to out/b_export/: p__inc.csv (72 rows)\n");
  const auto lines = lines_of(read_text(b.p.path("out/b_export/p__inc.csv")));
  // the scenario's columns (one pipeline: no pipeline column), then inc's: those of output.csv
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "scenario,inc.factor,inc.regions,year,region,industry,value");
  // 6 ok scenarios x the 12 rows of kOutputCsv, which sector_incentive copies (scaled or not)
  EXPECT_EQ(lines.size(), 1u + 6 * 12);
  // g0005 = (1.2, ["B"]): 2024,B,Y is 80 in kOutputCsv, x 1.2 = 96; the list is its JSON text
  const std::string row = "g0005,1.2,\"[\"\"B\"\"]\",2024,B,Y,96";
  EXPECT_NE(std::find(lines.begin(), lines.end(), row), lines.end())
      << read_text(b.p.path("out/b_export/p__inc.csv"));
  // the same number as the store holds (read with the SQLite C API)
  EXPECT_EQ(std::stod(one(b.store(),
                          "SELECT value FROM p__inc WHERE scenario = 'g0005' AND "
                          "year = 2024 AND region = 'B' AND industry = 'Y'")),
            96.0);
  // nothing but the new folder was written beside the store
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(b.p.path("out")))
    files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"b.sqlite", "b_export"}));
}

TEST(CliBatchExport, OnlyOkScenariosOneTableToAFileOrStdout) {
  BatchRun b("export_ok", kCollectInc +
                              "[[scenario]]\nid = \"bad\"\nset = { \"inc.regions\" = [\"Z\"] }\n"
                              "[[scenario]]\nid = \"good\"\n");
  ASSERT_EQ(b.run("--quiet").code, 1);
  auto r = export_store(b, "--table p__inc -o good.csv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "out/b.sqlite: p__inc (12 rows of ok scenarios) written to good.csv\n");
  const std::string csv = read_text(b.p.path("good.csv"));
  // inc.regions: set by 'bad' only, so empty for 'good'; only 'good' has rows (the failed 'bad'
  // has none); 2024,A,X is 30 in kOutputCsv, industry X is not scaled (inc scales Y)
  EXPECT_TRUE(
      csv.starts_with("scenario,inc.regions,year,region,industry,value\ngood,,2024,A,X,30\n"))
      << csv;
  EXPECT_EQ(lines_of(csv).size(), 13u);
  auto out = export_store(b, "--table p__inc -o -");
  EXPECT_EQ(out.code, 0) << out.err;
  EXPECT_EQ(out.out, csv);
}

// Units (docs/batch.md, "Export"): the dataset gives table output's float columns the unit
// "million KZT" (its `unit`, README "Dataset format"); sector_incentive scales `value`, which keeps
// its input's unit (README "Units"), so the store records it for p__inc.value and the export
// heads that column "value (million KZT)", as klaster export's sheets do (docs/export.md). Once
// the scenarios disagree (a second unit recorded), the header is the name alone.
TEST(CliBatchExport, UnitsInTheHeaderWhenEveryScenarioAgrees) {
  BatchRun b("export_units", kCollectInc + kGrid2x3);
  std::string dataset = kDatasetToml;
  const std::string file = "file = \"output.csv\"\n";
  dataset.insert(dataset.find(file) + file.size(), "unit = \"million KZT\"\n");
  write_text(b.p.path("data/dataset.toml"), dataset);
  ASSERT_EQ(b.run("--quiet").code, 0);
  EXPECT_EQ(one(b.store(),
                "SELECT unit FROM units WHERE table_name = 'p__inc' AND "
                "column_name = 'value'"),
            "million KZT");
  auto r = export_store(b, "--table p__inc -o -");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).at(0),
            "scenario,inc.factor,inc.regions,year,region,industry,value (million KZT)");
  query(b.store(), "INSERT INTO units VALUES ('p__inc', 'value', 'KZT')");
  r = export_store(b, "--table p__inc -o -");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).at(0), "scenario,inc.factor,inc.regions,year,region,industry,value");
}

TEST(CliBatchExport, ExistingTargetIsRefusedAndKept) {
  BatchRun b("export_exists", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  write_text(b.p.path("out/b_export/notes.txt"), "mine");
  auto r = export_store(b);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: out/b_export: exists; klaster batch export writes only a new folder (or fills "
            "an empty one) and never replaces one: remove it or name another with -o\n");
  EXPECT_EQ(read_text(b.p.path("out/b_export/notes.txt")), "mine");
  write_text(b.p.path("mine.csv"), "x\n1\n");
  r = export_store(b, "--table p__inc -o mine.csv");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: mine.csv: exists; klaster batch export writes only a new file and never "
            "replaces one: remove it or name another with -o\n");
  EXPECT_EQ(read_text(b.p.path("mine.csv")), "x\n1\n");
  // no stage or temporary file is left beside either target
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(b.p.path("out"))) ++entries;
  EXPECT_EQ(entries, 2u);  // b.sqlite, b_export
  EXPECT_FALSE(fs::exists(b.p.path(".mine.csv.tmp-")));
}

TEST(CliBatchExport, BadStoreOrTableIsOneLine) {
  BatchRun b("export_bad", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  expect_error(export_store(b, "--table inc"),
               "out/b.sqlite: --table 'inc' is not an output table of the store (did you mean "
               "'p__inc'?); its output tables: p__inc");
  expect_error(run_klaster("batch export p.toml", b.p.dir()),
               "p.toml: not a SQLite database, so not a klaster batch store");
  sqlite3* db = nullptr;
  sqlite3_open(b.p.path("other.sqlite").c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  expect_error(run_klaster("batch export other.sqlite", b.p.dir()),
               "other.sqlite: not a klaster batch store (it has no table 'batch')");
  expect_error(run_klaster("batch export none.sqlite", b.p.dir()),
               "none.sqlite: no such file (expected the SQLite store of a `klaster batch` run)");
  EXPECT_FALSE(fs::exists(b.p.path("out/b_export")));
}

// --- what each scenario ran with: plugin versions and input checksums ---

namespace {

/// The SHA-256 of a file by coreutils' sha256sum: a recomputation independent of klaster's.
std::string sha256sum(const fs::path& file) {
  FILE* pipe = popen(("sha256sum '" + file.string() + "'").c_str(), "r");
  std::array<char, 65> hex{};
  const std::size_t n = pipe ? fread(hex.data(), 1, 64, pipe) : 0;
  if (pipe) pclose(pipe);
  return std::string(hex.data(), n);
}

/// A plugin's version as `klaster plugins` lists it (NAME KIND VERSION SUMMARY).
std::string plugin_version(const std::string& name) {
  std::istringstream in(run_klaster("plugins").out);
  for (std::string n, kind, version, rest; in >> n >> kind >> version && std::getline(in, rest);)
    if (n == name) return version;
  return "?";
}

}  // namespace

TEST(CliBatchRun, StoreRecordsPluginsAndInputChecksums) {
  BatchRun b("run_inputs", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  EXPECT_EQ(one(b.store(), "SELECT DISTINCT plugins FROM scenarios"),
            "{\"lq\":\"location_quotient " + plugin_version("location_quotient") +
                "\",\"inc\":\"sector_incentive " + plugin_version("sector_incentive") + "\"}");
  // keyed by the path relative to the pipeline's folder
  for (const std::string file : {"p.toml", "data/dataset.toml", "data/output.csv"})
    EXPECT_EQ(one(b.store(), "SELECT value FROM batch WHERE key = 'sha256:p.toml:" + file + "'"),
              sha256sum(b.p.path(file)))
        << file;
  const auto libraries =
      query(b.store(), "SELECT substr(key, 15), value FROM batch WHERE key LIKE 'plugin_sha256:%'");
  ASSERT_EQ(libraries.size(), 2u);  // location_quotient.so, sector_incentive.so
  for (const auto& row : libraries) {
    const auto bar = row.find('|');
    EXPECT_EQ(row.substr(bar + 1), sha256sum(row.substr(0, bar))) << row;
  }
}

TEST(CliBatchRun, ResumeOverChangedDataIsRefused) {
  BatchRun b("run_changed", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  query(b.store(), "DELETE FROM scenarios WHERE id = 'g0006'");
  write_text(b.p.path("data/output.csv"), read_text(b.p.path("data/output.csv")) + "2026,A,X,1\n");
  auto r = b.run("--resume");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      r.err.starts_with("error: --resume: store 'out/b.sqlite' was written with other "
                        "inputs: data/output.csv of pipeline p.toml has changed (SHA-256 "
                        "then "))
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(one(b.store(), "SELECT count(*) FROM scenarios"), "5");
}

// The measures of the Kazakhstan study at other sizes (configs/kz_measures_batch.toml).
TEST(CliBatchRun, MeasuresBatchRunsIntoItsStore) {
  TempDir tmp("run_measures");
  auto r = run_klaster(
      "batch '" + std::string(KLASTER_SOURCE_DIR) + "/configs/kz_measures_batch.toml' --quiet",
      tmp.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path store = tmp / "out/kz_measures_batch.sqlite";
  EXPECT_EQ(one(store, "SELECT count(*), sum(status = 'ok') FROM scenarios"), "17|17");
  // The study's fee of 1,200,000 KZT on an import price of 12,000,000 is +10 % on the import
  // price (docs/kazakhstan.md, A8): the same switch as a 10 % ad valorem duty.
  const std::string totals =
      "SELECT direct, total FROM kz_auto_cluster_formation__recycling_fee_impact_totals "
      "WHERE quantity = 'output' AND scenario = ";
  EXPECT_EQ(one(store, totals + "'duty_10'"), one(store, totals + "'study'"));
  // docs/kazakhstan.md: output multiplier of 29 with 30 % local content 1.3818 (from 1.3295)
  const std::string m = one(store,
                            "SELECT baseline, scenario_ FROM "
                            "kz_auto_cluster_formation__local_content_effect "
                            "WHERE sector = '29' AND scenario = 'study'");
  ASSERT_NE(m.find('|'), std::string::npos) << m;
  EXPECT_NEAR(std::stod(m.substr(0, m.find('|'))), 1.3295, 5e-5);
  EXPECT_NEAR(std::stod(m.substr(m.find('|') + 1)), 1.3818, 5e-5);
  // more hubs never serve worse: the p-median objective falls with p (hubs 3, 4, 5)
  const auto objective = query(store,
                               "SELECT p, value FROM kz_auto_cluster_formation__hubs_3_objective "
                               "WHERE scenario IN ('study', 'hubs_4', 'hubs_5') ORDER BY p");
  ASSERT_EQ(objective.size(), 3u);
  auto value = [](const std::string& row) { return std::stod(row.substr(row.find('|') + 1)); };
  EXPECT_GT(value(objective[0]), value(objective[1]));
  EXPECT_GT(value(objective[1]), value(objective[2]));
}

// Two pipelines: the same scenario ids run on each; a table's rows join only its own pipeline's
// scenarios, and the pipeline is a column.
TEST(CliBatchExport, TwoPipelinesGetAPipelineColumn) {
  BatchRun b("export_two", kCollectInc + kGrid2x3);
  fs::copy_file(b.p.path("p.toml"), b.p.path("q.toml"));
  write_text(
      b.p.path("b.toml"),
      "pipelines = [\"p.toml\", \"q.toml\"]\nstore = \"out/b.sqlite\"\n" + kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  auto r = export_store(b, "--table q__inc -o -");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "scenario,pipeline,inc.factor,inc.regions,year,region,industry,value");
  // 6 scenarios x 12 rows of q.toml's inc, none doubled by p.toml's scenarios of the same ids
  EXPECT_EQ(lines.size(), 1u + 6 * 12);
  // g0001 = (1.1, ["A"]): 2024,A,Y is 70 in kOutputCsv, x 1.1 = 77 (python3: 70 * 1.1 == 77.0)
  EXPECT_EQ(lines[2], "g0001,q.toml,1.1,\"[\"\"A\"\"]\",2024,A,Y,77");
}

// A stage a killed export (or run) left beside the folder is removed under the folder's lock, as
// `klaster run --out` does; the lock file is gone afterwards.
TEST(CliBatchExport, StaleStageIsRemoved) {
  BatchRun b("export_stale", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet").code, 0);
  write_text(b.p.path("out/.b_export.staging-999999999/p__inc.csv"), "half\n");
  auto r = export_store(b, "--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(b.p.path("out")))
    files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"b.sqlite", "b_export"}));
  EXPECT_TRUE(read_text(b.p.path("out/b_export/p__inc.csv")).starts_with("scenario,"));
}

// Rows are sorted by scenario id: the export of a batch run by two workers (which may finish in
// any order) equals that of the same batch run in this process.
TEST(CliBatchExport, SameFileWhateverOrderWorkersFinish) {
  BatchRun b("export_order", kCollectInc + kGrid2x3);
  ASSERT_EQ(b.run("--quiet --jobs 0").code, 0);
  const auto in_process = export_store(b, "--table p__inc -o -");
  fs::remove(b.store());
  ASSERT_EQ(b.run("--quiet --jobs 2").code, 0);
  const auto workers = export_store(b, "--table p__inc -o -");
  EXPECT_EQ(in_process.code, 0) << in_process.err;
  EXPECT_EQ(lines_of(in_process.out).size(), 1u + 6 * 12);
  EXPECT_EQ(workers.out, in_process.out);
}

// --- a grid too large to hold (docs/fuzzing.md: fuzz_batch stopped on a 3 TB allocation) ---

namespace {

/// A [grid] of `keys` keys inc.k0, inc.k1, ... each listing the integers 1..values.
std::string grid_of(int keys, int values) {
  std::string grid = "[grid]\n";
  for (int k = 0; k < keys; ++k) {
    grid += "\"inc.k" + std::to_string(k) + "\" = [";
    for (int v = 1; v <= values; ++v) grid += (v > 1 ? ", " : "") + std::to_string(v);
    grid += "]\n";
  }
  return grid;
}

}  // namespace

TEST(CliBatch, GridOfMoreThan100000ScenariosIsRefusedBeforeExpansion) {
  // 30^7 = 21,870,000,000 scenarios: refused at once (before this fix, an allocation of
  // 21.87e9 scenarios, a crash); the [grid] header is line 3 (b.toml: pipelines, store, grid)
  expect_error(BatchProject("batch_grid_huge", grid_of(7, 30)).validate(),
               "b.toml:3: the grid makes more than 100000 scenarios (30 x 30 x 30 x 30 x 30 x 30 "
               "x 30): split it into several batch files");
  // 317 x 317 = 100,489: just over the limit (316 x 316 = 99,856 would be under it)
  expect_error(BatchProject("batch_grid_over", grid_of(2, 317)).validate(),
               "b.toml:3: the grid makes more than 100000 scenarios (317 x 317): split it into "
               "several batch files");
}
