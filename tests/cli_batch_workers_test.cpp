// End-to-end tests of `klaster batch` on worker processes (issue 11, docs/batch.md "Workers"):
// the same store as in one process, a plugin that crashes, exits or hangs loses only its
// scenario, and a batch killed with SIGKILL at any moment resumes to every scenario stored once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "batch_support.hpp"
#include "cli_support.hpp"

using namespace klaster::test;

namespace {

const char* kSteps = R"([[step]]
id = "inc"
plugin = "sector_incentive"
params = { input = "output", regions = ["A"], industries = ["Y"], factor = 1.15 }

[[step]]
id = "f"
plugin = "faulty_fixture"
params = { input = "inc" }
)";

const std::string kPlugins = " --plugin-dir " KLASTER_FIXTURE_DIR "/faulty";

/// The toy project with the incentive and the faulty fixture; b.toml collects `f` (a copy of
/// `inc`, 12 rows) from the scenarios in `rest`.
struct WorkerBatch {
  Project p;
  explicit WorkerBatch(const std::string& name, const std::string& rest) : p(name, kSteps) {
    write_text(p.path("b.toml"),
               "pipelines = [\"p.toml\"]\nstore = \"out/b.sqlite\"\ncollect = [\"f\"]\n" + rest);
  }
  CliResult run(const std::string& args) const {
    return run_klaster("batch b.toml" + kPlugins + " " + args, p.dir());
  }
  fs::path store() const { return p.path("out/b.sqlite"); }
};

/// A grid of `n` incentive factors 1.001, 1.002, ...
std::string factor_grid(int n) {
  std::string g = "[grid]\n\"inc.factor\" = [";
  for (int i = 1; i <= n; ++i) g += (i > 1 ? ", " : "") + std::to_string(1.0 + i / 1000.0);
  return g + "]\n";
}

std::string scenario(const std::string& id, const std::string& mode) {
  return "[[scenario]]\nid = \"" + id + "\"\nset = { \"f.mode\" = \"" + mode + "\" }\n";
}

}  // namespace

// Two workers store exactly what one process stores (order of rows aside).
TEST(CliBatchWorkers, TwoJobsGiveTheSameStoreAsOneProcess) {
  WorkerBatch a("workers_same_a", factor_grid(40)), b("workers_same_b", factor_grid(40));
  ASSERT_EQ(a.run("--jobs 0 --quiet").code, 0);
  auto r = b.run("--jobs 2 --quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string rows =
      "SELECT scenario, year, region, industry, value FROM p__f ORDER BY 1, 2, 3, 4";
  EXPECT_EQ(query(a.store(), rows).size(), 40u * 12u);
  EXPECT_EQ(query(a.store(), rows), query(b.store(), rows));
  const std::string scen = "SELECT id, status, parameters FROM scenarios ORDER BY id";
  EXPECT_EQ(query(a.store(), scen), query(b.store(), scen));
}

// Each way a plugin can take its process down loses that scenario only; the cause is stored.
TEST(CliBatchWorkers, CrashingPluginLosesOnlyItsScenario) {
  WorkerBatch b("workers_crash", scenario("before", "none") + scenario("segv", "segfault") +
                                     scenario("abort", "abort") + scenario("exit", "exit") +
                                     scenario("throw", "throw") + scenario("hang", "hang") +
                                     scenario("after", "none"));
  auto r = b.run("--jobs 2 --timeout 1");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(contains(r.out, "7 runs: 2 ok, 5 failed")) << r.out;
  const fs::path s = b.store();
  EXPECT_EQ(query(s, "SELECT id, status FROM scenarios WHERE status = 'ok' ORDER BY id"),
            (std::vector<std::string>{"after|ok", "before|ok"}));
  auto error = [&](const std::string& id) {
    return one(s, "SELECT error FROM scenarios WHERE id = '" + id + "'");
  };
  EXPECT_EQ(error("segv"), "the worker process was killed by signal 11 (Segmentation fault)");
  EXPECT_EQ(error("abort"), "the worker process was killed by signal 6 (Aborted)");
  EXPECT_EQ(error("exit"), "the worker process exited with code 7");
  EXPECT_TRUE(contains(error("throw"), "fixture failure: mode throw")) << error("throw");
  EXPECT_EQ(error("hang"), "timed out: still running after --timeout 1 s");
  EXPECT_EQ(query(s, "SELECT scenario, count(*) FROM p__f GROUP BY 1 ORDER BY 1"),
            (std::vector<std::string>{"after|12", "before|12"}));
}

// A plugin that allocates without bound fails its scenario once the worker reaches
// --max-memory (an allocation fails: std::bad_alloc in the step), and the batch goes on.
TEST(CliBatchWorkers, UnboundedAllocationFailsAtMaxMemory) {
  WorkerBatch b("workers_alloc",
                scenario("before", "none") + scenario("hog", "alloc") + scenario("after", "none"));
  auto r = b.run("--jobs 1 --max-memory 1024");
  EXPECT_EQ(r.code, 1) << r.err;
  const fs::path s = b.store();
  EXPECT_EQ(query(s, "SELECT id, status FROM scenarios ORDER BY id"),
            (std::vector<std::string>{"after|ok", "before|ok", "hog|failed"}));
  const std::string error = one(s, "SELECT error FROM scenarios WHERE id = 'hog'");
  EXPECT_TRUE(contains(error, "step 'f' (plugin faulty_fixture")) << error;
  EXPECT_TRUE(contains(error, "bad_alloc")) << error;
}

namespace {

/// Starts `klaster batch` of `b` on two workers, waits until its store holds `k` scenarios (or,
/// for k = 0, exists), kills it with SIGKILL and returns how many scenarios the store held then.
int kill_after(const WorkerBatch& b, int k) {
  const std::string cmd = "cd '" + b.p.dir().string() + "' && exec '" KLASTER_BIN "' batch b.toml" +
                          kPlugins + " --jobs 2 --quiet";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto stored = [&] {
    const auto n = query(b.store(), "SELECT count(*) FROM scenarios");
    return n.size() == 1 ? std::stoi(n[0]) : 0;
  };
  while (!fs::exists(b.store()) || (k > 0 && stored() < k))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return stored();
}

}  // namespace

// SIGKILL of the batch at several moments, then --resume: every scenario once, each with all
// its rows (one transaction per scenario).
TEST(CliBatchWorkers, KilledBatchResumesToEveryScenarioOnce) {
  const int n = 400;
  for (int k : {0, 40, 150}) {
    WorkerBatch b("workers_kill_" + std::to_string(k), factor_grid(n));
    const int at_kill = kill_after(b, k);
    EXPECT_LT(at_kill, n) << "the batch ended before it was killed: make it longer";
    auto r = b.run("--resume --quiet");
    ASSERT_EQ(r.code, 0) << r.err;
    const fs::path s = b.store();
    EXPECT_EQ(one(s, "SELECT count(*), count(DISTINCT id), sum(status = 'ok') FROM scenarios"),
              "400|400|400")
        << k;
    EXPECT_EQ(one(s, "SELECT count(*), count(DISTINCT scenario) FROM p__f"), "4800|400");
    EXPECT_EQ(query(s, "SELECT scenario FROM p__f GROUP BY 1 HAVING count(*) != 12"),
              std::vector<std::string>{});
  }
}

TEST(CliBatchWorkers, BadJobsOrTimeoutIsRefused) {
  WorkerBatch b("workers_bad", factor_grid(2));
  auto r = b.run("--jobs 0 --timeout 5");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.err, "--timeout and --max-memory need worker processes")) << r.err;
  EXPECT_FALSE(fs::exists(b.store()));
}

// --- collect = [{ table = ..., where = { ... } }]: only the rows asked for are stored ---

// The toy output has 12 rows per scenario (years 2024-2025 x regions A-C x industries X-Y, see
// cli_support.hpp); region B, industry Y keeps the two years' rows, and those equal the rows of
// a batch that collects everything.
TEST(CliBatchCollect, WhereKeepsOnlyTheRowsAskedFor) {
  const std::string grid = "[grid]\n\"inc.factor\" = [1.1, 1.2]\n";
  WorkerBatch all("collect_all", grid);
  WorkerBatch some("collect_some", grid);
  write_text(some.p.path("b.toml"),
             "pipelines = [\"p.toml\"]\nstore = \"out/b.sqlite\"\n"
             "collect = [{ table = \"f\", where = { region = \"B\", industry = \"Y\" } }]\n" +
                 grid);
  ASSERT_EQ(all.run("--quiet").code, 0);
  auto r = some.run("--quiet");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(one(some.store(), "SELECT count(*) FROM p__f"), "4");
  const std::string rows = "SELECT scenario, year, region, industry, value FROM p__f ";
  EXPECT_EQ(query(some.store(), rows + "ORDER BY 1, 2"),
            query(all.store(), rows + "WHERE region = 'B' AND industry = 'Y' ORDER BY 1, 2"));
}

TEST(CliBatchCollect, WhereOnAnUnknownColumnIsRefused) {
  WorkerBatch b("collect_bad", "[grid]\n\"inc.factor\" = [1.1]\n");
  write_text(b.p.path("b.toml"),
             "pipelines = [\"p.toml\"]\nstore = \"out/b.sqlite\"\n"
             "collect = [{ table = \"f\", where = { regin = \"B\" } }]\n[grid]\n"
             "\"inc.factor\" = [1.1]\n");
  auto r = run_klaster("batch validate b.toml" + kPlugins, b.p.dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: b.toml:3: collect: where: column 'regin' is not in table 'f' (did you mean "
            "'region'?)\n");
}

// --- the store on a disk that refuses it ---

// A store whose folder cannot be made (a file is in the way): one line, exit 2, before any run.
TEST(CliBatchStore, FolderThatCannotBeMadeIsRefused) {
  WorkerBatch b("store_folder", factor_grid(2));
  write_text(b.p.path("taken"), "a user's file\n");
  write_text(b.p.path("b.toml"),
             "pipelines = [\"p.toml\"]\nstore = \"taken/b.sqlite\"\n" + factor_grid(2));
  auto r = b.run("--quiet");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(contains(r.err, "error: store 'taken/b.sqlite': cannot create its folder 'taken'"))
      << r.err;
  EXPECT_EQ(read_text(b.p.path("taken")), "a user's file\n");
}

// A disk that fills up mid-batch (a 400 KiB tmpfs; needs root and mount, else skipped): the
// batch stops with one line naming the scenario, the store holds whole scenarios only, and once
// the disk has room (the tmpfs grown) --resume completes it.
TEST(CliBatchStore, FullDiskStopsCleanlyAndResumes) {
  WorkerBatch b("store_full", "");
  const fs::path tiny = b.p.path("tiny");
  fs::create_directories(tiny);
  const std::string mount = "mount -t tmpfs -o size=400k tmpfs '" + tiny.string() + "'";
  if (std::system((mount + " 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "cannot mount a small tmpfs here (not root, or no CAP_SYS_ADMIN)";
  struct Unmount {
    fs::path dir;
    ~Unmount() { std::system(("umount '" + dir.string() + "'").c_str()); }
  } unmount{tiny};
  write_text(b.p.path("b.toml"),
             "pipelines = [\"p.toml\"]\nstore = \"tiny/b.sqlite\"\n"
             "collect = [\"f\"]\n" +
                 factor_grid(400));
  auto r = b.run("--quiet --jobs 2");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "database or disk is full (writing scenario 'g")) << r.err;
  EXPECT_TRUE(contains(r.err, "continue with --resume)\n")) << r.err;
  const fs::path store = tiny / "b.sqlite";
  const int held = std::stoi(one(store, "SELECT count(*) FROM scenarios"));
  EXPECT_LT(held, 400);
  EXPECT_EQ(one(store, "SELECT count(*) FROM p__f"), std::to_string(12 * held));
  ASSERT_EQ(std::system(("mount -o remount,size=64m '" + tiny.string() + "'").c_str()), 0);
  r = b.run("--quiet --jobs 2 --resume");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(one(store, "SELECT count(*), count(DISTINCT id) FROM scenarios"), "400|400");
  EXPECT_EQ(one(store, "SELECT count(*) FROM p__f"), "4800");
}
