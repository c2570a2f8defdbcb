// Fault fixtures in single runs (issue 13, point 3): a plugin that aborts, segfaults, hangs,
// allocates without bound, writes a table it did not declare or writes NaN/inf. Where klaster
// survives, one clear line and the step's exit code; where the plugin kills it (a crash), a line
// naming the signal and the step, the previous output intact and the next run cleaning up and
// saying so; a Ctrl-C (SIGINT) or SIGTERM removes what the run had begun. docs/faults.md.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "cli_support.hpp"

using namespace klaster::test;

namespace {

/// Every file below `dir` with its content, to show a folder came through a run unchanged.
std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_text(e.path());
  return files;
}

/// The names in `dir` klaster keeps beside an output folder while it writes it.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (contains(name, ".staging-") || contains(name, ".old-") || contains(name, ".lock"))
      found.push_back(name);
  }
  return found;
}

const char* kFaultStep = R"(
[[step]]
id = "f"
plugin = "faulty_fixture"
params = { input = "output", mode = "none" }
)";
// [[step]] of "f" is line 10: 4 header lines (cli_support.hpp), 4 of kLqStep, a blank line.
const std::string kWho = "p.toml:10: step 'f' (plugin faulty_fixture 0.0.1)";
const std::string kPlugins = " --plugin-dir " KLASTER_FIXTURE_DIR "/faulty";

/// The toy project with a location-quotient step and the faulty fixture's step "f", which has run
/// once (mode none), so `out` holds a previous output.
class FaultProject : public Project {
 public:
  explicit FaultProject(const std::string& name)
      : Project(name, std::string(kLqStep) + kFaultStep) {
    const CliResult r = run_mode("none");
    EXPECT_EQ(r.code, 0) << r.err;
    remember_output();
  }
  /// Takes the output folder as it is now as the previous output.
  void remember_output() { previous_ = files_of(path("out")); }
  CliResult run_mode(const std::string& mode, const std::string& extra = "") const {
    return run("--set 'f.mode=\"" + mode + "\"'" + kPlugins + extra);  // a string, even "-inf"
  }
  /// The output folder holds exactly what the first run wrote.
  void expect_previous_output() const { EXPECT_EQ(files_of(path("out")), previous_); }
  /// The same, but for run.json, which a new run rewrites with its own times.
  void expect_previous_tables() const {
    auto now = files_of(path("out")), before = previous_;
    EXPECT_EQ(now.erase("run.json"), 1U);
    before.erase("run.json");
    EXPECT_EQ(now, before);
  }

 private:
  std::map<std::string, std::string> previous_;
};

/// Starts klaster with `args` in `cwd`, its stderr to `err`; returns its pid.
pid_t spawn_klaster(const std::vector<std::string>& args, const fs::path& cwd,
                    const fs::path& err) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  if (::chdir(cwd.c_str()) != 0) ::_exit(126);
  std::FILE* f = std::freopen(err.c_str(), "w", stderr);
  static_cast<void>(f);
  std::vector<char*> argv{const_cast<char*>(KLASTER_BIN)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::unsetenv("KLASTER_PLUGIN_PATH");
  ::execv(KLASTER_BIN, argv.data());
  ::_exit(127);
}

/// Waits up to `seconds` for `pred`, polling.
template <typename Pred>
bool wait_for(Pred pred, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

/// The wait status of `pid`, killing it (SIGKILL) when it has not ended within `seconds`.
int wait_status(pid_t pid, double seconds) {
  int status = 0;
  if (!wait_for([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, seconds)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    ADD_FAILURE() << "klaster did not end within " << seconds << " s";
  }
  return status;
}

/// Runs the hanging step, sends `sig` once the step runs, and returns the wait status and stderr.
std::pair<int, std::string> interrupt_hang(const FaultProject& p, int sig) {
  const fs::path err = p.path("stderr.txt");
  const pid_t pid = spawn_klaster({"run", "p.toml", "--set", "f.mode=hang", "--plugin-dir",
                                   KLASTER_FIXTURE_DIR "/faulty", "--log-level", "info"},
                                  p.dir(), err);
  const bool running = wait_for([&] { return contains(read_text(err), "running step 'f'"); }, 60);
  EXPECT_TRUE(running) << read_text(err);
  EXPECT_TRUE(fs::exists(p.path(".out.staging-" + std::to_string(pid))));  // the run's stage
  ::kill(pid, sig);
  const int status = wait_status(pid, 30);
  std::string text = read_text(err);
  fs::remove(err);
  return {status, text};
}

/// The last line of `text` (without its newline).
std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') + 1);
}

}  // namespace

// An undeclared table fails the step (exit 1, README "Exit codes") naming the step and the table;
// nothing of the run is written.
TEST(CliFault, UndeclaredTableFailsTheStepNamingIt) {
  FaultProject p("fault_undeclared");
  auto r = p.run_mode("undeclared");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: " + kWho +
                       ": plugin 'faulty_fixture' wrote table 'f_extra' that it did not declare\n");
  p.expect_previous_output();
  EXPECT_TRUE(leftovers(p.dir()).empty());
}

// NaN, inf and -inf in a float column fail the step (exit 1) naming the table, the column and the
// row by its keys. The fixture puts the value in the last row of every float column of `output`;
// the last row of kOutputCsv is 2025,C,Y,75, and `value` is its only float column.
TEST(CliFault, NonFiniteValuesFailTheStepNamingTableColumnRow) {
  FaultProject p("fault_nan");
  for (const std::string mode : {"nan", "inf", "-inf"}) {
    auto r = p.run_mode(mode);
    EXPECT_EQ(r.code, 1) << mode;
    EXPECT_EQ(r.err, "error: " + kWho + ": wrote a non-finite value (" + mode +
                         ") in table 'f', column 'value' at year 2025, region 'C', industry 'Y'; "
                         "a plugin writes an undefined result as a missing value\n");
    p.expect_previous_output();
    EXPECT_TRUE(leftovers(p.dir()).empty()) << mode;
  }
}

// abort() and a segmentation fault end the process (as the signal would: sh's 128 + 6 and
// 128 + 11), after one line naming the signal and the step. The previous output is intact; the
// run's stage stays until the next run, which removes it and says so.
TEST(CliFault, CrashLeavesThePreviousOutputAndTheNextRunCleansUp) {
  FaultProject p("fault_crash");
  const std::vector<std::tuple<std::string, int, std::string>> crashes = {
      {"abort", 128 + SIGABRT, "SIGABRT (aborted)"},
      {"segfault", 128 + SIGSEGV, "SIGSEGV (segmentation fault)"}};
  for (const auto& [mode, code, name] : crashes) {
    auto r = p.run_mode(mode, " --quiet");
    EXPECT_EQ(r.code, code) << mode;
    EXPECT_TRUE(contains(r.err, "error: klaster crashed with " + name +
                                    " in step 'f' (plugin faulty_fixture 0.0.1); the output "
                                    "folder out is as it was; the next klaster run into it "
                                    "removes what this one left beside it\n"))
        << r.err;
    p.expect_previous_output();
    const auto left = leftovers(p.dir());
    ASSERT_FALSE(left.empty()) << mode;
    r = p.run_mode("none");
    EXPECT_EQ(r.code, 0) << r.err;
    for (const auto& name : left) {
      if (contains(name, ".staging-")) {
        EXPECT_TRUE(contains(r.err, "warning: removed " + (p.dir() / name).string() +
                                        ", the unfinished output of a klaster run that was "
                                        "killed or crashed\n"))
            << r.err;
      }
    }
    EXPECT_TRUE(leftovers(p.dir()).empty()) << mode;
    p.expect_previous_tables();  // mode none again: the tables of the first run
    p.remember_output();
  }
}

// Ctrl-C (SIGINT) or SIGTERM while a step hangs: one line naming the signal and the step, the
// run's stage and lock removed, the previous output as it was, exit 128 + the signal (130, 143).
TEST(CliFault, InterruptedHangRemovesTheStageAndKeepsTheOutput) {
  FaultProject p("fault_hang");
  for (int sig : {SIGINT, SIGTERM}) {
    const auto [status, err] = interrupt_hang(p, sig);
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << ": " << err;
    EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
    const std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    EXPECT_EQ(last_line(err), "error: interrupted by " + name +
                                  " in step 'f' (plugin faulty_fixture 0.0.1); nothing was "
                                  "written: the output folder out is as it was");
    p.expect_previous_output();
    EXPECT_TRUE(leftovers(p.dir()).empty()) << name;
  }
}

// SIGKILL cannot be caught: the stage stays, the previous output is intact, and the next run
// removes the stage and says so.
TEST(CliFault, KilledHangIsCleanedByTheNextRun) {
  FaultProject p("fault_kill");
  const auto [status, err] = interrupt_hang(p, SIGKILL);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << err;
  p.expect_previous_output();
  ASSERT_FALSE(leftovers(p.dir()).empty());
  auto r = p.run_mode("none");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.err,
                       ", the unfinished output of a klaster run that was killed or "
                       "crashed\n"))
      << r.err;
  EXPECT_TRUE(leftovers(p.dir()).empty());
  p.expect_previous_tables();
}

// Unbounded allocation under --max-memory: the allocation fails, the step fails (exit 1) with a
// line naming the step and the limit, and the previous output stays. (Without --max-memory the
// kernel's OOM killer ends the process as SIGKILL does: KilledHangIsCleanedByTheNextRun.)
TEST(CliFault, AllocationPastMaxMemoryFailsTheStep) {
  FaultProject p("fault_alloc");
  auto r = p.run_mode("alloc", " --max-memory 768");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: " + kWho +
                       ": out of memory (std::bad_alloc): an allocation would pass the limit of "
                       "768 MiB of address space (--max-memory)\n");
  p.expect_previous_output();
  EXPECT_TRUE(leftovers(p.dir()).empty());
}

TEST(CliFault, MaxMemoryMustBeANumberOfMiB) {
  FaultProject p("fault_alloc_opt");
  for (const std::string bad : {"-1", "nan", "inf"}) {
    auto r = p.run_mode("none", " --max-memory " + bad);
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_EQ(r.err, "error: --max-memory must be 0 (no limit) or more MiB\n") << bad;
  }
  auto r = p.run_mode("none", " --max-memory lots");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(first_line(r.err),
                       "error: the argument ('lots') for option "
                       "'--max-memory' is invalid"))
      << r.err;
  p.expect_previous_output();
}
