// Regression tests for what the fuzzers of fuzz/ found (docs/fuzzing.md, "Runs and findings"):
// TOML values nested thousands deep overflowed the stack inside toml11 (a crash, no message), and
// a multi-line literal string holding a byte that is not UTF-8 made toml11 read past the end of its
// buffer (ASan: heap-buffer-overflow; in a release build undefined), in a pipeline, a dataset
// manifest, a batch file and a --set value. Each is now one line naming the file and line (or the
// --set), with the reader's exit code (README "Exit codes").
#include <gtest/gtest.h>

#include <string>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

/// `depth` nested arrays: "[[[...]]]".
std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

const std::string kTooDeep = "arrays or inline tables nested more than 64 deep";

}  // namespace

TEST(CliFuzzFindings, PipelineNested10000DeepIsOneLineNotACrash) {
  // p.toml: 4 header lines (cli_support.hpp's Project), the value on line 5
  Project p("fuzz_deep_pipeline", "x = " + nested(10000) + "\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "error: p.toml:5: " + kTooDeep + "\n");
  // inline tables count as arrays do ({a={a=...}}), on the line where the limit is passed
  std::string tables = "y = 1\nx = ";
  for (int i = 0; i < 10000; ++i) tables += "{a=";
  p.write_pipeline(kLqStep + std::string("\n") + tables + "1" + std::string(10000, '}') + "\n");
  r = p.validate();
  EXPECT_EQ(r.code, 2) << r.err;
  // 4 header lines, kLqStep's 4 lines, an empty line, y, x: line 11
  EXPECT_EQ(r.err, "error: p.toml:11: " + kTooDeep + "\n");
}

TEST(CliFuzzFindings, NestingLimitIs64AndIgnoresStringsAndComments) {
  // 64 deep passes the nesting check: the error is the next one, the unknown top-level key
  Project p("fuzz_deep_64", "x = " + nested(64) + "\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_FALSE(contains(r.err, "nested")) << r.err;
  EXPECT_TRUE(contains(first_line(r.err), "p.toml:5:")) << r.err;
  // 65 deep does not
  p.write_pipeline("x = " + nested(65) + "\n");
  EXPECT_EQ(p.validate().err, "error: p.toml:5: " + kTooDeep + "\n");
  // brackets in strings (basic, literal, multi-line, with an escaped quote) and comments are text
  const std::string many(200, '[');
  p.write_pipeline(std::string(kLqStep) + "# " + many +
                   "\n[[summary]]\ntable = \"lq\"\ntitle = \"\\\"" + many + "\"\nnote = '''\n" +
                   many + "\n" + many + "'''\n");
  r = p.validate();
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(CliFuzzFindings, SetValueNested10000DeepIsOneLine) {
  Project p("fuzz_deep_set", kLqStep);
  const std::string assignment = "lq.value=" + nested(10000);
  auto r = p.validate("--set '" + assignment + "'");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "error: --set " + assignment + ": " + kTooDeep + "\n");
}

TEST(CliFuzzFindings, ManifestNested10000DeepIsExit3) {
  Project p("fuzz_deep_manifest", kLqStep);
  // kDatasetToml has 5 lines; the value is line 6
  write_text(p.path("data/dataset.toml"),
             std::string(kDatasetToml) + "x = " + nested(10000) + "\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 3) << r.err;
  // the manifest's errors name the pipeline line that names the dataset (README "Exit codes")
  EXPECT_EQ(r.err, "error: data/dataset.toml:6: " + kTooDeep + "\n  (dataset named at p.toml:2)\n");
}

TEST(CliFuzzFindings, BatchFileNested10000DeepIsOneLine) {
  Project p("fuzz_deep_batch", kLqStep);
  write_text(p.path("b.toml"),
             "pipelines = [\"p.toml\"]\n[grid]\n\"lq.value\" = " + nested(10000) + "\n");
  auto r = run_klaster("batch validate b.toml", p.dir());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "error: b.toml:3: " + kTooDeep + "\n");
}

// fuzz_set's input, reduced: a multi-line literal string ('''...''') holding the byte 0xE5, which
// starts a 3-byte UTF-8 sequence that the closing quotes cut short.
TEST(CliFuzzFindings, TomlThatIsNotUtf8IsOneLineBeforeToml11SeesIt) {
  Project p("fuzz_utf8", std::string(kLqStep) + "description = '''a\xE5'''\n");
  auto r = p.validate();
  EXPECT_EQ(r.code, 2) << r.err;
  // 4 header lines, kLqStep's 4 lines: the description is line 9
  EXPECT_EQ(r.err, "error: p.toml:9: not valid UTF-8 (byte 0xE5); save the file as UTF-8\n");

  p.write_pipeline(kLqStep);
  const std::string assignment = "lq.value='''a\xE5'''";
  r = p.validate("--set \"" + assignment + "\"");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, "error: --set " + assignment + ": not valid UTF-8 (byte 0xE5)\n");

  // the manifest: exit 3, its line 6
  write_text(p.path("data/dataset.toml"), std::string(kDatasetToml) + "x = '''\xE5'''\n");
  r = p.validate();
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(r.err,
            "error: data/dataset.toml:6: not valid UTF-8 (byte 0xE5); save the file as UTF-8\n"
            "  (dataset named at p.toml:2)\n");
}
