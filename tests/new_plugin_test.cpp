// `klaster new-plugin`: what it writes, and what it refuses (exit 2, one error line, nothing
// written). That the written plugin builds and passes its test is checked by install_test.sh.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli_support.hpp"

using namespace klaster::test;

TEST(NewPlugin, WritesAMeasureFolder) {
  TempDir tmp("new_plugin_measure");
  auto r = run_klaster("new-plugin tariff_rebate --kind measure --dir '" +
                       (tmp / "nested").string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path folder = tmp / "nested/tariff_rebate";
  for (const char* f :
       {"tariff_rebate.cpp", "tariff_rebate_test.cpp", "README.md", "CMakeLists.txt"})
    EXPECT_TRUE(fs::is_regular_file(folder / f)) << f;
  const std::string source = read_text(folder / "tariff_rebate.cpp");
  EXPECT_TRUE(contains(source, "class TariffRebatePlugin final")) << source;
  EXPECT_TRUE(contains(source, "PluginKind::kMeasure"));
  // Its texts in Russian, for `klaster report --lang ru` (docs/writing-plugins.md).
  EXPECT_TRUE(contains(source, "p.translations[\"ru\"] = russian(p);")) << source;
  EXPECT_FALSE(contains(source, "{{name}}") || contains(source, "{{Class}}")) << source;
  EXPECT_TRUE(contains(
      read_text(folder / "CMakeLists.txt"),
      "klaster_add_plugin(tariff_rebate SOURCES tariff_rebate.cpp TESTS tariff_rebate_test.cpp)"));
  EXPECT_TRUE(contains(read_text(folder / "README.md"), "# tariff_rebate (measure)"));
}

TEST(NewPlugin, RefusesAnExistingFolderAndOverwritesNothing) {
  TempDir tmp("new_plugin_existing");
  write_text(tmp / "my_share/README.md", "mine");
  auto r = run_klaster("new-plugin my_share --dir '" + tmp.path().string() + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: " + (tmp / "my_share").string() +
                       ": already exists; klaster new-plugin never overwrites anything: choose "
                       "another name or --dir\n");
  EXPECT_EQ(read_text(tmp / "my_share/README.md"), "mine");
  EXPECT_FALSE(fs::exists(tmp / "my_share/my_share.cpp"));
}

TEST(NewPlugin, RefusesBadNamesBuiltInNamesAndKinds) {
  TempDir tmp("new_plugin_refused");
  const std::string dir = " --dir '" + tmp.path().string() + "'";
  const std::map<std::string, std::string> refused = {
      {"new-plugin MyShare",
       "error: plugin name 'MyShare' must match [a-z][a-z0-9_]*: lower-case letters, "
       "digits and '_', starting with a letter (e.g. 'regional_share')"},
      {"new-plugin 1st",
       "error: plugin name '1st' must match [a-z][a-z0-9_]*: lower-case letters, digits and "
       "'_', starting with a letter (e.g. 'regional_share')"},
      {"new-plugin test",
       "error: plugin name 'test' is reserved as a build target name; choose another"},
      {"new-plugin share --kind index", "error: --kind index: use indicator or measure"},
  };
  for (const auto& [args, message] : refused) {
    auto r = run_klaster(args + dir);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(r.err, message + "\n") << args;
  }
  auto builtin = run_klaster("new-plugin location_quotient" + dir);
  EXPECT_EQ(builtin.code, 2);
  EXPECT_TRUE(
      builtin.err.starts_with("error: 'location_quotient' is the name of a built-in plugin (in "))
      << builtin.err;
  EXPECT_TRUE(fs::is_empty(tmp.path()));
  auto missing = run_klaster("new-plugin" + dir);
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(contains(missing.err,
                       "Usage: klaster new-plugin NAME [--kind indicator|measure] [--dir DIR]"));
}
