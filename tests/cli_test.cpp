// End-to-end tests of the `klaster` executable: exit codes, error messages, outputs.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/version.hpp"

using namespace klaster::test;

TEST(Cli, VersionAndHelp) {
  auto v = run_klaster("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out, "klaster " KLASTER_VERSION " (SDK ABI " +
                       std::to_string(KLASTER_SDK_ABI_VERSION) + ")\n");
  for (const char* cmd : {"run", "validate", "plugins", "describe", "new-plugin", "export"}) {
    auto h = run_klaster(std::string(cmd) + " --help");
    EXPECT_EQ(h.code, 0) << cmd;
    EXPECT_TRUE(contains(h.out, std::string("Usage: klaster ") + cmd)) << h.out;
  }
  auto bad = run_klaster("rnu x.toml");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(first_line(bad.err), "error: unknown command 'rnu' (did you mean 'run'?)");
}

TEST(Cli, PluginsListsTheIssueTwoPlugins) {
  auto r = run_klaster("plugins");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* name : {"location_quotient", "herfindahl", "sector_incentive", "compare"})
    EXPECT_TRUE(contains(r.out, std::string("\n") + name + " ")) << name << "\n" << r.out;
  const auto line = r.out.substr(r.out.find("\nsector_incentive "), 40);
  EXPECT_TRUE(contains(line, " measure ")) << line;
}

// Search order: --plugin-dir, then KLASTER_PLUGIN_PATH (colon-separated), then the built-in folder.
TEST(Cli, PluginPathEnvironmentIsSearched) {
  auto r = run_klaster("plugins", KLASTER_SOURCE_DIR,
                       "/no/such/plugin/folder:" KLASTER_FIXTURE_DIR "/throwing");
  EXPECT_EQ(r.code, 4);  // a folder named in the path must exist
  EXPECT_TRUE(contains(r.err, "/no/such/plugin/folder: plugin folder not found")) << r.err;
  r = run_klaster("plugins", KLASTER_SOURCE_DIR, KLASTER_FIXTURE_DIR "/throwing");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\nthrowing_fixture ")) << r.out;
  EXPECT_TRUE(contains(r.out, "\nlocation_quotient ")) << r.out;  // built-in folder still searched
  // The same library named twice (environment and --plugin-dir) is loaded once.
  r = run_klaster("plugins --plugin-dir " KLASTER_FIXTURE_DIR "/throwing", KLASTER_SOURCE_DIR,
                  KLASTER_FIXTURE_DIR "/throwing");
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(Cli, DescribeDocumentsLocationQuotientFully) {
  auto r = run_klaster("describe location_quotient");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "location_quotient 1.3.0 (indicator)"));
  EXPECT_TRUE(contains(r.out, "LQ_ij = (e_ij / e_j) / (e_i / e)"));
  EXPECT_TRUE(contains(r.out, "method"));
  EXPECT_TRUE(contains(r.out, "one of \"standard\" | \"log\" | \"standardized\""));
  EXPECT_TRUE(contains(r.out, "presence_threshold"));
  EXPECT_TRUE(contains(r.out, ">= 0.0"));
  EXPECT_TRUE(contains(r.out, "Reads:\n  input: <region>, <industry>, [<year>], <value>"));
  EXPECT_TRUE(contains(r.out, "Writes:\n  <output>"));
  auto unknown = run_klaster("describe location_quotent");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_TRUE(contains(unknown.err, "did you mean 'location_quotient'?")) << unknown.err;
  // A plugin that is not found names the folders searched, --plugin-dir first.
  auto elsewhere = run_klaster("describe throwing_fixtur --plugin-dir " KLASTER_FIXTURE_DIR
                               "/wrong_abi_not_there");
  EXPECT_EQ(elsewhere.code, 4) << elsewhere.err;  // a named folder must exist
  elsewhere = run_klaster("describe my_metric --plugin-dir " KLASTER_FIXTURE_DIR "/throwing");
  EXPECT_EQ(elsewhere.code, 2);
  EXPECT_TRUE(contains(elsewhere.err, "; searched " KLASTER_FIXTURE_DIR "/throwing, "))
      << elsewhere.err;
}

TEST(Cli, RunWritesTablesRunJsonAndExactFloats) {
  Project p("run", kLqStep);
  auto r = p.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");  // --quiet
  // LQ of A/X in 2024: (30/100) / (75/300) = 1.2 exactly as a double expression.
  const auto lq =
      klaster::sdk::read_csv(p.path("out/lq.csv"), {{"year", klaster::sdk::ColumnType::kInt},
                                                    {"region", klaster::sdk::ColumnType::kString},
                                                    {"industry", klaster::sdk::ColumnType::kString},
                                                    {"lq", klaster::sdk::ColumnType::kFloat}});
  ASSERT_EQ(lq.rows(), 12u);
  EXPECT_EQ(lq.column("lq").floats[0], (30.0 / 100.0) / (75.0 / 300.0));
  EXPECT_EQ(lq.column("lq").floats[6],
            (40.0 / 100.0) / (85.0 / 300.0));  // shortest round-trip text

  const auto j = nlohmann::json::parse(read_text(p.path("out/run.json")));
  EXPECT_EQ(j["klaster_version"], KLASTER_VERSION);
  EXPECT_EQ(j["pipeline"]["name"], "test pipeline");
  EXPECT_EQ(j["pipeline"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(j["dataset"]["name"], "toy");
  EXPECT_EQ(j["dataset"]["files"][0]["table"], "output");
  EXPECT_EQ(j["dataset"]["files"][0]["sha256"].get<std::string>().size(), 64u);
  ASSERT_EQ(j["steps"].size(), 1u);
  EXPECT_EQ(j["steps"][0]["id"], "lq");
  EXPECT_EQ(j["steps"][0]["plugin"], "location_quotient");
  EXPECT_EQ(j["steps"][0]["plugin_version"], "1.3.0");
  // The library that computed the table, with its checksum as coreutils' sha256sum prints it.
  const std::string library = j["steps"][0]["plugin_library"];
  EXPECT_EQ(fs::path(library).filename(), "location_quotient.so");
  FILE* sum = popen(("sha256sum '" + library + "'").c_str(), "r");
  ASSERT_NE(sum, nullptr);
  char digest[65] = {};
  ASSERT_EQ(fread(digest, 1, 64, sum), 64u);
  pclose(sum);
  EXPECT_EQ(j["steps"][0]["plugin_sha256"], std::string(digest));
  EXPECT_EQ(j["steps"][0]["params"]["method"], "standard");  // resolved defaults are recorded
  EXPECT_EQ(j["steps"][0]["tables_written"][0]["rows"], 12);
  EXPECT_EQ(j["steps"][0]["status"], "ok");
}

TEST(Cli, WhereFilterSetOverrideAndOutputRename) {
  Project p("where", R"([[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "output", output = "lq_x" }
where = { industry = "X", year = [2025] }
)");
  auto r = p.run("--quiet --set lq.method=log --out result");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(p.path("out")));
  // Only industry X of 2025 remains, so every region's total is its X value and LQ = 1, log 0.
  EXPECT_EQ(read_text(p.path("result/lq_x.csv")),
            "year,region,industry,lq\n2025,A,X,0\n2025,B,X,0\n2025,C,X,0\n");
  const auto j = nlohmann::json::parse(read_text(p.path("result/run.json")));
  EXPECT_EQ(j["steps"][0]["params"]["method"], "log");
  EXPECT_EQ(j["pipeline"]["overrides"][0], "lq.method=log");
}

TEST(Cli, ValidateRunsNoStep) {
  Project p("validate", kLqStep);
  auto r = p.validate();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "ok: p.toml: 1 steps valid over dataset 'toy'"));
  EXPECT_FALSE(fs::exists(p.path("out")));
}

// ---- Bad input: one test each, asserting the exit code and the message. ----

TEST(CliErrors, PipelineFileMissing) {
  auto r = run_klaster("run no_such_pipeline.toml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: no_such_pipeline.toml: pipeline file not found");
}

TEST(CliErrors, TomlSyntaxErrorHasLineAndCaret) {
  Project p("syntax", "[[step]]\nid = \"lq\nplugin = \"location_quotient\"\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err), "error: p.toml:6: TOML syntax error:")) << r.err;
  EXPECT_TRUE(contains(r.err, " 6 | id = \"lq")) << r.err;
  EXPECT_TRUE(contains(r.err, "^")) << r.err;
}

TEST(CliErrors, UnknownTopLevelKeySuggests) {
  Project p("topkey", kLqStep);
  write_text(p.path("p.toml"),
             "name = \"t\"\ndataset = \"data\"\noutptu = \"out\"\n" + std::string(kLqStep));
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err),
               "error: p.toml:3: unknown key 'outptu' at top level (did you mean 'output'?)"))
      << r.err;
}

TEST(CliErrors, UnknownStepKeySuggests) {
  Project p(
      "stepkey",
      "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparms = { input = \"output\" }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err),
               "error: p.toml:8: unknown key 'parms' in step 'lq' (did you mean 'params'?)"))
      << r.err;
}

TEST(CliErrors, MissingIdOrPlugin) {
  Project p("noid", "[[step]]\nplugin = \"location_quotient\"\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err), "missing key 'id' in step #1")) << r.err;
  p.write_pipeline("[[step]]\nid = \"lq\"\n");
  r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err), "missing key 'plugin' in step 'lq'")) << r.err;
}

TEST(CliErrors, DuplicateStepId) {
  Project p("dup", std::string(kLqStep) + "\n" + kLqStep);
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: p.toml:11: duplicate step id 'lq' (first used by step #1)"))
      << r.err;
}

TEST(CliErrors, UnknownPluginSuggestsNearest) {
  Project p(
      "plugin",
      "[[step]]\nid = \"lq\"\nplugin = \"location_quotent\"\nparams = { input = \"output\" }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: p.toml:7: step 'lq': unknown plugin 'location_quotent' (did you "
                       "mean 'location_quotient'?)"))
      << r.err;
}

TEST(CliErrors, UnknownParameterSuggestsNearest) {
  Project p("param",
            "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { input = \"output\", "
            "vaule = \"value\" }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'lq': plugin 'location_quotient' has no parameter 'vaule' (did "
            "you mean 'value'?)");
  EXPECT_TRUE(contains(r.err, "  8 | params = { input = \"output\", vaule = \"value\" }\n"))
      << r.err;
}

TEST(CliErrors, WrongParameterType) {
  Project p("type",
            "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { input = \"output\", "
            "presence_threshold = \"high\" }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'lq': parameter 'presence_threshold' must be a float, got a "
            "string \"high\"");
}

TEST(CliErrors, OutOfRangeValue) {
  Project p("range",
            "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { input = \"output\", "
            "presence_threshold = -1 }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'lq': parameter 'presence_threshold' = -1.0 is out of range: "
            "must be >= 0.0");
  auto set = Project("range_set", kLqStep).validate("--set lq.method=cubic");
  EXPECT_EQ(set.code, 2);
  EXPECT_TRUE(contains(set.err,
                       "parameter 'method' = \"cubic\" is not allowed: use one of \"standard\", "
                       "\"log\", \"standardized\""))
      << set.err;
}

TEST(CliErrors, TableThatDoesNotExistYet) {
  Project p("notable", std::string(R"([[step]]
id = "lq2"
plugin = "location_quotient"
params = { input = "lq" }
)") + "\n" + kLqStep);
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(
      first_line(r.err),
      "error: p.toml:8: step 'lq2': table 'lq' (parameter 'input') does not exist at this step"))
      << r.err;
  EXPECT_TRUE(contains(first_line(r.err), "tables at this step: output")) << r.err;
}

TEST(CliErrors, ColumnMissingFromTable) {
  Project p("nocol",
            "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { input = \"output\", "
            "value = \"employment\" }\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'lq': column 'employment' (parameter 'value') is not in table "
            "'output'; it has: year, region, industry, value");
  Project w("nocol_where",
            "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\nparams = { input = \"output\" "
            "}\nwhere = { sector = \"X\" }\n");
  r = w.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err), "where: column 'sector' is not in table 'output'"))
      << r.err;
}

TEST(CliErrors, DatasetFolderOrManifestMissing) {
  Project p("nodata", kLqStep);
  fs::remove(p.path("data/dataset.toml"));
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(
      contains(first_line(r.err), "data/dataset.toml: dataset manifest (dataset.toml) not found"))
      << r.err;
  fs::remove_all(p.path("data"));
  r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err), "error: data: dataset folder not found");
}

TEST(CliErrors, CsvMissingDeclaredColumn) {
  Project p("csvcol", kLqStep, "year,region,industry,amount\n2024,A,X,1\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:1: declared column 'value' (table 'output') is not in the "
            "header (year, region, industry, amount)");
}

TEST(CliErrors, CsvWrongFieldCount) {
  Project p("csvfields", kLqStep, "year,region,industry,value\n2024,A,X,1\n2024,A,Y\n");
  auto r = p.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:3: expected 4 fields as in the header, found 3 (dataset table "
            "'output')");
}

TEST(CliErrors, CsvUnparsableNumberHasLineAndColumn) {
  Project p("csvnum", kLqStep, "year,region,industry,value\n2024,A,X,1\n2024,A,Y,1,5\n");
  auto r = p.run();
  EXPECT_EQ(r.code, 3);
  Project q("csvnum2", kLqStep, "year,region,industry,value\n2024,A,X,1\n2024,A,Y,n/a\n");
  r = q.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(first_line(r.err),
            "error: data/output.csv:3:10: cannot read 'n/a' as a number (column 'value') (dataset "
            "table 'output')");
}

TEST(CliErrors, NegativeOrMissingValueNamesRegionAndIndustry) {
  Project p("negative", kLqStep,
            "year,region,industry,value\n2024,A,X,30\n2024,A,Y,-70\n2024,B,X,20\n2024,B,Y,80\n");
  auto r = p.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err),
                       "step 'lq' (plugin location_quotient 1.3.0): data/output.csv:3: negative "
                       "value -70 in column 'value' at region 'A', industry 'Y', year 2024"))
      << r.err;
  EXPECT_TRUE(contains(first_line(r.err), "input table 'output' (data/output.csv)")) << r.err;
  Project m("missing", kLqStep,
            "year,region,industry,value\n2024,A,X,30\n2024,A,Y,\n2024,B,X,20\n2024,B,Y,80\n");
  r = m.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(
      first_line(r.err),
      "data/output.csv:3: missing value in column 'value' at region 'A', industry 'Y', year 2024"))
      << r.err;
}

TEST(CliErrors, ZeroTotals) {
  Project p("zero", kLqStep,
            "year,region,industry,value\n2024,A,X,0\n2024,A,Y,0\n2024,B,X,20\n2024,B,Y,80\n");
  auto r = p.run();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(first_line(r.err), "region 'A' has a zero total of 'value' in year 2024"))
      << r.err;
}

TEST(CliErrors, PluginWithWrongAbi) {
  auto r = run_klaster("plugins --plugin-dir " KLASTER_FIXTURE_DIR "/wrong_abi");
  EXPECT_EQ(r.code, 4);
  EXPECT_TRUE(contains(first_line(r.err),
                       "wrong_abi.so: incompatible plugin: SDK ABI version 999, host supports " +
                           std::to_string(KLASTER_SDK_ABI_VERSION)))
      << r.err;
  EXPECT_TRUE(contains(first_line(r.err), "(rebuild it against this klaster SDK)")) << r.err;
}

TEST(CliErrors, PluginWithoutEntry) {
  auto r = run_klaster("plugins --plugin-dir " KLASTER_FIXTURE_DIR "/no_entry");
  EXPECT_EQ(r.code, 4);
  EXPECT_TRUE(contains(first_line(r.err),
                       "no_entry.so: not a klaster plugin: it exports no 'klaster_plugin_entry'"))
      << r.err;
}

TEST(CliErrors, PluginWithUnresolvedSymbol) {
  auto r = run_klaster("plugins --plugin-dir " KLASTER_FIXTURE_DIR "/unresolved_symbol");
  EXPECT_EQ(r.code, 4);
  EXPECT_TRUE(contains(first_line(r.err), "unresolved_symbol.so: cannot load plugin library:"))
      << r.err;
  EXPECT_TRUE(
      contains(first_line(r.err), "undefined symbol: klaster_fixture_function_that_does_not_exist"))
      << r.err;
}

TEST(CliErrors, PluginNameAlreadyTaken) {
  auto r = run_klaster("plugins --plugin-dir " KLASTER_FIXTURE_DIR "/duplicate_name");
  EXPECT_EQ(r.code, 4);
  EXPECT_TRUE(
      contains(first_line(r.err),
               "location_quotient.so: plugin name 'location_quotient' is already taken by "))
      << r.err;
  EXPECT_TRUE(contains(first_line(r.err), "duplicate_name.so")) << r.err;
}

// `run` and `validate` load of the built-in folder only the libraries their pipeline names
// (README, "Plugin folders"), so a stale library there stops only the commands that load it: a
// copy of klaster whose built-in folder (bin/../plugins) holds location_quotient.so and a library
// of another SDK ABI.
TEST(CliPlugins, RunLoadsOfTheBuiltInFolderOnlyThePluginsItsPipelineNames) {
  Project p("named", kLqStep);
  const fs::path bin = fs::path(KLASTER_BIN), inst = p.path("inst");
  fs::create_directories(inst / "bin");
  fs::create_directories(inst / "plugins");
  fs::copy_file(bin, inst / "bin/klaster");
  fs::create_directory_symlink(fs::canonical(bin.parent_path() / "../lib"), inst / "lib");
  fs::copy_file(bin.parent_path() / "../plugins/location_quotient.so",
                inst / "plugins/location_quotient.so");
  fs::copy_file(KLASTER_FIXTURE_DIR "/wrong_abi/wrong_abi.so", inst / "plugins/wrong_abi.so");
  const std::string copy = (inst / "bin/klaster").string();
  auto run = run_klaster("run p.toml --quiet", p.dir(), "", copy);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(fs::exists(p.path("out/lq.csv")));
  auto list = run_klaster("plugins", p.dir(), "", copy);
  EXPECT_EQ(list.code, 4);
  EXPECT_TRUE(contains(first_line(list.err), "wrong_abi.so: incompatible plugin")) << list.err;
  // A plugin the folder has no library of: every library is loaded to name the plugins there are.
  p.write_pipeline("[[step]]\nid = \"x\"\nplugin = \"location_quotent\"\n");
  auto unknown = run_klaster("validate p.toml", p.dir(), "", copy);
  EXPECT_EQ(unknown.code, 4);
  EXPECT_TRUE(contains(first_line(unknown.err), "wrong_abi.so: incompatible plugin"))
      << unknown.err;
}

TEST(CliErrors, ThrowingPluginKeepsPreviousOutputs) {
  Project p("throw", kLqStep);
  auto ok = p.run("--quiet");
  ASSERT_EQ(ok.code, 0) << ok.err;
  const std::string before = read_text(p.path("out/run.json"));
  p.write_pipeline(std::string(kLqStep) + R"(
[[step]]
id = "boom"
plugin = "throwing_fixture"
params = { input = "lq" }
)");
  auto r = p.run("--quiet --plugin-dir " KLASTER_FIXTURE_DIR "/throwing");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:10: step 'boom' (plugin throwing_fixture 0.0.1): fixture failure: the "
            "model did not converge");
  EXPECT_EQ(read_text(p.path("out/run.json")), before);  // the previous run's outputs are untouched
  for (const auto& e : fs::directory_iterator(p.path("")))
    EXPECT_FALSE(contains(e.path().filename().string(), "staging")) << e.path();  // no leftovers
}

TEST(CliErrors, OutputFolderNotWritableBeforeAnyStep) {
  Project p("readonly", kLqStep);
  write_text(p.path("blocker"), "a file where a folder is needed");
  auto r = p.run("--out blocker/out");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err), "error: blocker/out: cannot create the output folder's parent"))
      << r.err;
  EXPECT_FALSE(contains(r.err, "running step")) << r.err;
}

// The README's "Writing a plugin" example, built from examples/region_total, loaded from its
// folder.
TEST(Cli, ReadmeExamplePluginRunsThroughTheHost) {
  Project p("example", R"([[step]]
id = "totals"
plugin = "region_total"
params = { input = "output" }
where = { year = 2024 }
)");
  auto r = p.run("--quiet --plugin-dir " KLASTER_EXAMPLE_PLUGIN_DIR);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_text(p.path("out/totals.csv")), "region,total\nA,100\nB,100\nC,100\n");
}

// io_impact and multipliers share their satellite parameters and checks (sdk io_satellites.hpp):
// Type II without a household column is found by validate, not by a failing run.
TEST(CliErrors, TypeIIWithoutHouseholdColumnFailsValidation) {
  for (const char* step : {"national_impact", "national_multipliers"}) {
    auto r = run_klaster(std::string("validate configs/kz_auto_value_chain.toml --set ") + step +
                         ".type=II --set " + step + ".household_column='\"\"'");
    EXPECT_EQ(r.code, 2) << step;
    EXPECT_TRUE(contains(first_line(r.err), "type = \"II\" needs the household consumption column"))
        << r.err;
  }
}

// A column parameter declared numeric() is checked by the SDK at validation, one wording for every
// plugin, and `describe` shows the constraint.
TEST(CliErrors, TextColumnForANumericParameterFailsValidation) {
  Project p("numeric", R"([[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "output", value = "industry" }
)");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      first_line(r.err),
      "error: p.toml:8: step 'lq': column 'industry' (parameter 'value') of table 'output' holds "
      "text; it must hold numbers");
  auto d = run_klaster("describe morans_i");
  ASSERT_EQ(d.code, 0) << d.err;
  EXPECT_TRUE(contains(d.out, "default \"weight\", numeric")) << d.out;
}

// A key column that groups rows must hold strings or ints: naming the float column `value` as
// sector_incentive's region key fails validation (BindContext::check_key_column), exit 2.
TEST(CliErrors, FloatKeyColumnFailsValidation) {
  Project p("float_key", R"([[step]]
id = "boost"
plugin = "sector_incentive"
params = { input = "output", region = "value", factor = 1.1 }
)");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: p.toml:8: step 'boost': plugin 'sector_incentive': column 'value' is a float "
            "column; use a string or int key");
}

// A column declared with ColumnSpec::like(name, param) is documented under its own name, not under
// the parameter whose type it takes (colocation's industry1 and industry2 are typed like
// <industry>).
TEST(Cli, DescribeNamesLikeColumnsByTheirName) {
  const CliResult r = run_klaster("describe colocation");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "        industry1: ")) << r.out;
  EXPECT_FALSE(contains(r.out, "        <industry>: the first industry")) << r.out;
}

// A missing positional argument is named as the usage names it (boost's text said "the option
// '--pipeline' is required but missing", an option the user cannot type), exit 2.
TEST(CliErrors, MissingArgumentIsNamedAsInTheUsage) {
  for (const auto& [command, name] : std::vector<std::pair<std::string, std::string>>{
           {"run", "PIPELINE"}, {"describe", "PLUGIN"}, {"batch", "BATCH"}}) {
    const CliResult r = run_klaster(command);
    EXPECT_EQ(r.code, 2) << command;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "error: missing " + name) << r.err;
  }
}
