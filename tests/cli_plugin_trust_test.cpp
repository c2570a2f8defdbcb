// Plugin trust (issue 13, docs: README "Where plugins are found"): klaster loads no code from a
// folder or library that other users can change, says so when KLASTER_PLUGIN_PATH names a
// relative folder, and `klaster plugins` shows each library's path and SHA-256.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

/// A folder holding a copy of the `throwing` fixture plugin.
struct PluginCopy {
  TempDir dir;
  fs::path lib;
  explicit PluginCopy(const std::string& name) : dir(name), lib(dir / "plugins" / "throwing.so") {
    fs::create_directories(dir / "plugins");
    fs::copy_file(KLASTER_FIXTURE_DIR "/throwing/throwing.so", lib);
    fs::permissions(dir / "plugins", fs::perms(0755));
    fs::permissions(lib, fs::perms(0644));
  }
  CliResult plugins() const {
    return run_klaster("plugins --plugin-dir '" + (dir / "plugins").string() + "'");
  }
};

}  // namespace

TEST(CliPluginTrust, FolderWritableByAnyoneIsRefused) {
  PluginCopy c("trust_folder");
  fs::permissions(c.dir / "plugins", fs::perms(0777));
  auto r = c.plugins();
  EXPECT_EQ(r.code, 4);
  EXPECT_EQ(r.err, "error: " + (c.dir / "plugins").string() +
                       ": plugin folder is writable by anyone (mode 0777): klaster loads no code "
                       "others can change; chmod go-w it\n");
}

// Group write: refused for another group (needs root to give the file away; skipped otherwise),
// allowed for this user's own group (user private groups, umask 002).
TEST(CliPluginTrust, LibraryWritableByAnotherGroupIsRefused) {
  PluginCopy c("trust_library");
  fs::permissions(c.lib, fs::perms(0664));
  EXPECT_EQ(c.plugins().code, 0);
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give the copy to another group";
  ASSERT_EQ(::chown(c.lib.c_str(), 0, 4242), 0);
  auto r = c.plugins();
  EXPECT_EQ(r.code, 4);
  EXPECT_TRUE(
      contains(r.err, c.lib.string() + ": plugin library is writable by its group (mode 0664)"))
      << r.err;
}

// Another user's library (needs root to give the file away; skipped otherwise).
TEST(CliPluginTrust, LibraryOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can chown the copy to another user";
  PluginCopy c("trust_owner");
  ASSERT_EQ(::chown(c.lib.c_str(), 4242, 4242), 0);
  auto r = c.plugins();
  EXPECT_EQ(r.code, 4);
  EXPECT_TRUE(contains(
      r.err, c.lib.string() + ": plugin library is owned by user 4242, neither you nor root"))
      << r.err;
}

TEST(CliPluginTrust, RelativePluginPathEntryIsNamed) {
  PluginCopy c("trust_relative");
  auto r = run_klaster("plugins", c.dir.path(), "plugins");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err,
            "warning: KLASTER_PLUGIN_PATH entry 'plugins' is relative: loading plugins "
            "from " +
                (fs::canonical(c.dir.path()) / "plugins").string() + "\n");
  EXPECT_TRUE(contains(r.out, "\nthrowing_fixture ")) << r.out;
}

// The path and SHA-256 under each plugin; the digest checked with coreutils' sha256sum.
TEST(CliPluginTrust, PluginsShowsPathAndSha256) {
  PluginCopy c("trust_list");
  auto r = c.plugins();
  ASSERT_EQ(r.code, 0) << r.err;
  FILE* pipe = popen(("sha256sum '" + c.lib.string() + "'").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char hex[65] = {};
  ASSERT_EQ(fread(hex, 1, 64, pipe), 64u);
  pclose(pipe);
  EXPECT_TRUE(contains(r.out, c.lib.string() + "  sha256 " + hex + "\n")) << r.out;
}
