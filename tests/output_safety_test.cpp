// End-to-end tests of `klaster run --out`: which folders it replaces, which it refuses, the lock
// held while writing, and what a killed run leaves behind (issue 7, parts 1 and 2).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

/// Every file below `dir` with its content, to show a folder came through a run unchanged.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_text(e.path());
  return files;
}

/// The names of a folder's entries.
std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

/// Whether `dir` holds a complete klaster output: run.json written by klaster and lq.csv.
bool is_readable_output(const fs::path& dir) {
  if (!fs::exists(dir / "run.json") || !fs::exists(dir / "lq.csv")) return false;
  const auto j = nlohmann::json::parse(read_text(dir / "run.json"), nullptr, false);
  return j.is_object() && j.value("written_by", "") == "klaster";
}

/// The pid of a process that has exited (a child reaped here).
pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

/// The issue's own setting: configs/kz_auto_cluster.toml and data/kz copied into a temp folder,
/// run from there as from the repository root, with the user's documents beside them.
class KzCopy {
 public:
  KzCopy() : dir_("out_safety_kz") {
    fs::create_directories(dir_ / "configs");
    fs::copy_file(fs::path(KLASTER_SOURCE_DIR) / "configs/kz_auto_cluster.toml",
                  dir_ / "configs/kz_auto_cluster.toml");
    fs::create_directories(dir_ / "data/kz");
    fs::copy(fs::path(KLASTER_SOURCE_DIR) / "data/kz", dir_ / "data/kz",
             fs::copy_options::recursive);
    write_text(dir_ / "notes.md", "the user's own document\n");
  }
  CliResult run(const std::string& args) const {
    return run_klaster("run configs/kz_auto_cluster.toml --log-level info " + args, dir_.path());
  }
  fs::path path(const std::string& rel) const { return dir_ / rel; }

 private:
  TempDir dir_;
};

/// The toy project of cli_support.hpp (one location-quotient step, output "out"), run with
/// `--log-level info` so that a test can tell that no step ran.
class ToyProject : public klaster::test::Project {
 public:
  explicit ToyProject(const std::string& name, const std::optional<fs::path>& root = std::nullopt)
      : klaster::test::Project(name, kLqStep, kOutputCsv, root) {}
  CliResult run(const std::string& args = "") const {
    return klaster::test::Project::run("--log-level info " + args);
  }
};

/// No step ran: `--log-level info` logs "running step ..." for each.
void expect_no_step_ran(const CliResult& r) { EXPECT_FALSE(contains(r.err, "running ")) << r.err; }

/// Nothing of klaster's own (staging, old, lock) is left in `dir`.
void expect_no_leftovers(const fs::path& dir) {
  for (const auto& name : entries(dir)) {
    EXPECT_FALSE(contains(name, ".staging-")) << dir / name;
    EXPECT_FALSE(contains(name, ".old-")) << dir / name;
    EXPECT_FALSE(contains(name, ".lock")) << dir / name;
  }
}

/// Sets an environment variable for one test and restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

const std::string kHint = "; choose a new folder (e.g. out/kz_auto_cluster)";

}  // namespace

// ------------------------------------------------------------------------------------------------
// Part 1: the folders --out may replace and those it refuses
// ------------------------------------------------------------------------------------------------

TEST(OutputSafety, UsersThesisInTheFolderSurvives) {
  KzCopy kz;
  write_text(kz.path("mywork/thesis.tex"), "\\chapter{Clusters}\n");
  auto r = kz.run("--out mywork");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: mywork: refusing to replace this folder: it holds thesis.tex, which klaster "
            "did not write (only an empty folder or a previous klaster output is replaced)" +
                kHint);
  expect_no_step_ran(r);
  EXPECT_EQ(read_text(kz.path("mywork/thesis.tex")), "\\chapter{Clusters}\n");
  EXPECT_EQ(entries(kz.path("mywork")), std::set<std::string>{"thesis.tex"});
  expect_no_leftovers(kz.path(""));
}

TEST(OutputSafety, DatasetFolderRefusedHoweverSpelled) {
  KzCopy kz;
  const auto before = snapshot(kz.path("data"));
  fs::create_directory_symlink("data/kz", kz.path("kzlink"));
  const std::string reason =
      ": refusing to write output here: it is the dataset folder of configs/kz_auto_cluster.toml";
  for (const std::string& out : std::vector<std::string>{"data/kz", "./data/../data/kz", "data/kz/",
                                                         kz.path("data/kz").string(), "kzlink"}) {
    auto r = kz.run("--out " + out);
    EXPECT_EQ(r.code, 2) << out;
    EXPECT_EQ(first_line(r.err), "error: " + out + reason + kHint) << out;
    expect_no_step_ran(r);
  }
  EXPECT_EQ(snapshot(kz.path("data")), before);
  expect_no_leftovers(kz.path(""));
  expect_no_leftovers(kz.path("data"));
}

TEST(OutputSafety, FolderContainingOrInsideTheDatasetRefused) {
  KzCopy kz;
  const auto before = snapshot(kz.path("data"));
  fs::create_directory_symlink("data/kz", kz.path("kzlink"));
  auto r = kz.run("--out data");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: data: refusing to write output here: it contains data/kz, the dataset "
            "folder of configs/kz_auto_cluster.toml" +
                kHint);
  for (const std::string out : {"data/kz/results", "kzlink/results", "data/kz/../kz/results"}) {
    r = kz.run("--out " + out);
    EXPECT_EQ(r.code, 2) << out;
    EXPECT_EQ(first_line(r.err), "error: " + out +
                                     ": refusing to write output here: it is inside data/kz, the "
                                     "dataset folder of configs/kz_auto_cluster.toml" +
                                     kHint)
        << out;
    expect_no_step_ran(r);
  }
  EXPECT_EQ(snapshot(kz.path("data")), before);
  EXPECT_FALSE(fs::exists(kz.path("data/kz/results")));
}

TEST(OutputSafety, PipelineFolderRefused) {
  KzCopy kz;
  auto r = kz.run("--out configs");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: configs: refusing to write output here: it is the folder of the pipeline "
            "configs/kz_auto_cluster.toml" +
                kHint);
  expect_no_step_ran(r);
  EXPECT_EQ(entries(kz.path("configs")), std::set<std::string>{"kz_auto_cluster.toml"});
}

TEST(OutputSafety, WorkingDirectoryRefusedAsDotAndAsPwd) {
  KzCopy kz;
  const auto before = snapshot(kz.path(""));
  const std::string pwd = fs::canonical(kz.path("")).string();
  for (const std::string& out :
       std::vector<std::string>{".", pwd, "'" + pwd + "/'", "configs/.."}) {
    auto r = kz.run("--out " + out);
    EXPECT_EQ(r.code, 2) << out;
    const std::string shown = out.front() == '\'' ? out.substr(1, out.size() - 2) : out;
    EXPECT_EQ(
        first_line(r.err),
        "error: " + shown + ": refusing to write output here: it is the working directory" + kHint)
        << out;
    expect_no_step_ran(r);
  }
  EXPECT_EQ(snapshot(kz.path("")), before);  // the pipeline and the user's notes.md are there
}

// The pipeline's own `output` is checked like --out.
TEST(OutputSafety, PipelineOutputKeyIsCheckedLikeOut) {
  ToyProject p("out_safety_output_key");
  write_text(
      p.path("p.toml"),
      std::string("name = \"test pipeline\"\ndataset = \"data\"\noutput = \".\"\n\n") + kLqStep);
  auto r = p.run();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: .: refusing to write output here: it is the working directory; choose a "
            "new folder (e.g. out/p)");
  expect_no_step_ran(r);
  EXPECT_EQ(entries(p.dir()), (std::set<std::string>{"data", "p.toml"}));
}

TEST(OutputSafety, DefaultOutputSubfolderAndNewFolderAreFine) {
  KzCopy kz;
  auto r = kz.run("");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(kz.path("out/kz_auto_cluster/run.json")));
  r = kz.run("--out configs/results");  // a new folder inside the pipeline's folder
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(kz.path("configs/results/lq.csv")));
  expect_no_leftovers(kz.path("out"));
  expect_no_leftovers(kz.path("configs"));
}

// An input file outside the dataset folder (dataset.toml may name one by a relative path).
TEST(OutputSafety, FolderContainingAnInputFileRefused) {
  ToyProject p("out_safety_input");
  write_text(p.path("data/dataset.toml"), R"(name = "toy"
[tables.output]
file = "../tables/output.csv"
columns = { year = "int", region = "string", industry = "string", value = "float" }
)");
  write_text(p.path("tables/output.csv"), kOutputCsv);
  write_text(p.path("tables/README"), "where the table came from\n");
  auto r = p.run("--out tables");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err), "error: tables: refusing to write output here: it contains "))
      << r.err;
  EXPECT_TRUE(contains(first_line(r.err),
                       "tables/output.csv, an input file of p.toml; choose a new folder"))
      << r.err;
  expect_no_step_ran(r);
  EXPECT_EQ(entries(p.path("tables")), (std::set<std::string>{"README", "output.csv"}));
}

TEST(OutputSafety, HomeFolderRefused) {
  TempDir root("out_safety_home");
  fs::create_directories(root / "a/home");
  ScopedEnv home("HOME", (root / "a/home").string());
  ToyProject p("project", root.path());
  auto r = p.run("--out ../a/home");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: ../a/home: refusing to write output here: it is the home folder ($HOME); "
            "choose a new folder (e.g. out/p)");
  r = p.run("--out ../a");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: ../a: refusing to write output here: it contains " +
                                   (root / "a/home").string() +
                                   ", the home folder ($HOME); choose a new folder (e.g. out/p)");
  expect_no_step_ran(r);
  EXPECT_EQ(entries(root / "a"), std::set<std::string>{"home"});
}

TEST(OutputSafety, RootRefused) {
  ToyProject p("out_safety_root");
  auto r = p.run("--out /");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: /: refusing to write output here: it is the root folder; choose a new folder "
            "(e.g. out/p)");
  expect_no_step_ran(r);
}

TEST(OutputSafety, PreviousKlasterOutputIsReplaced) {
  ToyProject p("out_safety_replace");
  ASSERT_EQ(p.run().code, 0);
  const std::string standard = read_text(p.path("out/lq.csv"));
  auto r = p.run("--set lq.method=log");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_text(p.path("out/lq.csv")), standard);
  EXPECT_EQ(entries(p.path("out")), (std::set<std::string>{"lq.csv", "run.json"}));
  EXPECT_TRUE(is_readable_output(p.path("out")));
  expect_no_leftovers(p.dir());
}

TEST(OutputSafety, PreviousOutputWithAnAddedFileRefused) {
  ToyProject p("out_safety_added");
  ASSERT_EQ(p.run().code, 0);
  write_text(p.path("out/analysis.R"), "summary(lq)\n");
  const auto before = snapshot(p.path("out"));
  auto r = p.run();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err),
            "error: out: refusing to replace this folder: it holds analysis.R, which klaster did "
            "not write (only an empty folder or a previous klaster output is replaced); choose "
            "a new folder (e.g. out/p)");
  expect_no_step_ran(r);
  EXPECT_EQ(snapshot(p.path("out")), before);
  fs::remove(p.path("out/analysis.R"));
  fs::create_directory(p.path("out/figures"));
  r = p.run();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err), ": it holds figures/, which klaster did not write"))
      << r.err;
  expect_no_leftovers(p.dir());
}

// A run.json klaster did not write makes the folder someone else's, even with klaster-like files.
TEST(OutputSafety, RunJsonNotFromKlasterRefused) {
  ToyProject p("out_safety_foreign_json");
  write_text(p.path("mine/run.json"), "{\"steps\": []}\n");
  auto r = p.run("--out mine");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: mine: refusing to replace this folder: it holds run.json,"))
      << r.err;
  write_text(p.path("mine/run.json"), "not json\n");
  write_text(p.path("mine/lq.csv"), "my own table\n");
  r = p.run("--out mine");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(
      contains(first_line(r.err), "error: mine: refusing to replace this folder: it holds lq.csv,"))
      << r.err;
  EXPECT_EQ(read_text(p.path("mine/lq.csv")), "my own table\n");
}

// Outputs written before run.json carried "written_by" are recognised by "klaster_version".
TEST(OutputSafety, OutputOfAnEarlierKlasterIsReplaced) {
  ToyProject p("out_safety_earlier");
  write_text(
      p.path("out/run.json"),
      R"({"klaster_version": "0.1.0", "steps": [{"tables_written": [{"table": "lq", "file": "lq.csv"}]}]})");
  write_text(p.path("out/lq.csv"), "old\n");
  auto r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_readable_output(p.path("out")));
}

TEST(OutputSafety, EmptyFolderIsUsed) {
  ToyProject p("out_safety_empty");
  fs::create_directory(p.path("fresh"));
  auto r = p.run("--out fresh");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_readable_output(p.path("fresh")));
}

// A symbolic link to an output folder is followed: the folder it names is replaced, the link stays.
TEST(OutputSafety, SymlinkToAPreviousOutputIsFollowed) {
  ToyProject p("out_safety_link");
  ASSERT_EQ(p.run("--out results").code, 0);
  fs::create_directory_symlink("results", p.path("latest"));
  auto r = p.run("--out latest --set lq.method=log");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(p.path("latest")));
  EXPECT_TRUE(is_readable_output(p.path("results")));
  EXPECT_TRUE(contains(read_text(p.path("results/run.json")), "\"method\": \"log\""));
  expect_no_leftovers(p.dir());
}

// ------------------------------------------------------------------------------------------------
// Part 2: staging folders, the lock, and what SIGKILL can leave
// ------------------------------------------------------------------------------------------------

TEST(OutputSafety, StaleStagingOfADeadRunIsRemoved) {
  ToyProject p("out_safety_stale");
  const std::string pid = std::to_string(dead_pid());
  write_text(p.path(".out.staging-" + pid + "/lq.csv"), "half a table");
  // Names that only look like klaster's stay untouched.
  for (const char* other :
       {".out.staging-12x", ".out.staging-", ".other.staging-1", "out.staging-1"})
    write_text(p.path(std::string(other) + "/keep.txt"), "not klaster's");
  auto r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(p.path(".out.staging-" + pid)));
  for (const char* other :
       {".out.staging-12x", ".out.staging-", ".other.staging-1", "out.staging-1"})
    EXPECT_EQ(read_text(p.path(std::string(other) + "/keep.txt")), "not klaster's") << other;
  EXPECT_TRUE(is_readable_output(p.path("out")));
}

// Killed while the steps ran: the stage is partial, the previous output intact. The next run (here
// a failing one) removes the stage and leaves the previous output as it was.
TEST(OutputSafety, KilledWhileStagingLeavesPreviousOutput) {
  ToyProject p("out_safety_kill_stage");
  ASSERT_EQ(p.run().code, 0);
  const auto previous = snapshot(p.path("out"));
  write_text(p.path(".out.staging-" + std::to_string(dead_pid()) + "/lq.csv"), "year,reg");
  p.write_pipeline(std::string(kLqStep) +
                   "\n[[step]]\nid = \"boom\"\nplugin = \"throwing_fixture\"\n"
                   "params = { input = \"lq\" }\n");
  auto r = p.run("--plugin-dir " KLASTER_FIXTURE_DIR "/throwing");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(snapshot(p.path("out")), previous);
  expect_no_leftovers(p.dir());
}

// Killed between the exchange and the removal: the new output is in place and the previous one
// sits at the stage path. The output is readable; the next run removes the old one.
TEST(OutputSafety, KilledAfterTheExchangeLeavesReadableOutput) {
  ToyProject p("out_safety_kill_swap");
  ASSERT_EQ(p.run().code, 0);
  const fs::path old = p.path(".out.staging-" + std::to_string(dead_pid()));
  fs::copy(p.path("out"), old, fs::copy_options::recursive);
  EXPECT_TRUE(is_readable_output(p.path("out")));
  auto r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(old));
  EXPECT_TRUE(is_readable_output(p.path("out")));
  expect_no_leftovers(p.dir());
}

// Killed in the middle of the two-rename replacement (file systems without RENAME_EXCHANGE): the
// output is missing and `.out.old-<pid>` holds it. The next run puts it back before anything else,
// so even a failing run leaves the previous output in place.
TEST(OutputSafety, KilledBetweenRenamesRestoresPreviousOutput) {
  ToyProject p("out_safety_kill_old");
  ASSERT_EQ(p.run().code, 0);
  const auto previous = snapshot(p.path("out"));
  fs::rename(p.path("out"), p.path(".out.old-" + std::to_string(dead_pid())));
  p.write_pipeline(std::string(kLqStep) +
                   "\n[[step]]\nid = \"boom\"\nplugin = \"throwing_fixture\"\n"
                   "params = { input = \"lq\" }\n");
  auto r = p.run("--plugin-dir " KLASTER_FIXTURE_DIR "/throwing");
  EXPECT_EQ(r.code, 1);
  ASSERT_TRUE(fs::exists(p.path("out")));
  EXPECT_EQ(snapshot(p.path("out")), previous);
  expect_no_leftovers(p.dir());
}

TEST(OutputSafety, SecondRunIntoTheSameFolderExitsNamingTheFirst) {
  ToyProject p("out_safety_lock");
  ASSERT_EQ(p.run().code, 0);
  const auto previous = snapshot(p.path("out"));
  // This process plays the first run: it holds the lock klaster takes, with its pid in the file.
  const int fd = ::open(p.path(".out.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string pid = std::to_string(::getpid());
  ASSERT_EQ(::write(fd, (pid + "\n").data(), pid.size() + 1), static_cast<ssize_t>(pid.size() + 1));
  auto r = p.run();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(first_line(r.err), "error: out: another klaster run (pid " + pid +
                                   ") is writing this folder; wait for it or choose another --out");
  expect_no_step_ran(r);
  EXPECT_EQ(snapshot(p.path("out")), previous);
  EXPECT_TRUE(
      fs::exists(p.path(".out.lock")));  // the holder's lock file is not klaster's to remove
  ::close(fd);
  r = p.run();  // the first run has finished
  ASSERT_EQ(r.code, 0) << r.err;
  expect_no_leftovers(p.dir());
}

// A run killed while holding the lock leaves the lock file, but flock dies with the process.
TEST(OutputSafety, LockFileOfAKilledRunDoesNotBlock) {
  ToyProject p("out_safety_dead_lock");
  write_text(p.path(".out.lock"), std::to_string(dead_pid()) + "\n");
  auto r = p.run();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_readable_output(p.path("out")));
  expect_no_leftovers(p.dir());
}
