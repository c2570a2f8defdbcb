// Worker processes of `klaster batch`: fork, hand out scenarios over pipes, collect outcomes,
// replace a worker that dies or times out (docs/batch.md, "Workers").
#include "batch_workers.hpp"

#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "errors.hpp"

namespace klaster {

namespace {

using Clock = std::chrono::steady_clock;

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool read_all(int fd, char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

/// One worker process: the pipe it reads tasks from, the pipe it answers on, what it runs.
struct Worker {
  pid_t pid = -1;
  int to = -1, from = -1;
  std::optional<RunTask> task;
  Clock::time_point started;
};

/// In the child: run tasks until the task pipe closes. Never returns.
[[noreturn]] void serve(int in, int out, const WorkerOptions& o,
                        const std::function<RunOutcome(const RunTask&)>& run) {
  limit_threads(o.threads);
  if (o.max_memory_mib > 0) {  // an allocation past it fails (std::bad_alloc) in the plugin
    const auto bytes = static_cast<rlim_t>(o.max_memory_mib * 1024 * 1024);
    const rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
  }
  // The parent reports a crash from the wait status; a handler it installed (Open MPI's prints a
  // backtrace of every rank's crash) would only add noise to it.
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(sig, SIG_DFL);
  RunTask t;
  while (read_all(in, reinterpret_cast<char*>(&t), sizeof t)) {
    const std::string bytes = encode_outcome(run(t));
    const std::uint64_t n = bytes.size();
    if (!write_all(out, reinterpret_cast<const char*>(&n), sizeof n) ||
        !write_all(out, bytes.data(), bytes.size()))
      ::_exit(1);
  }
  ::_exit(0);  // not exit(): the parent's atexit handlers and open store are not ours
}

/// Why a worker process ended, from its wait status.
std::string death_cause(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return std::string("the worker process was killed by signal ") + std::to_string(sig) + " (" +
           ::strsignal(sig) + ")";
  }
  if (WIFEXITED(status))
    return "the worker process exited with code " + std::to_string(WEXITSTATUS(status));
  return "the worker process ended";
}

class Pool {
 public:
  Pool(const TaskSource& next, const WorkerOptions& o,
       const std::function<RunOutcome(const RunTask&)>& run,
       const std::function<void(RunOutcome&&)>& done)
      : next_(next), o_(o), run_(run), done_(done) {}
  ~Pool() {
    for (auto& w : workers_) stop(w, SIGKILL);
  }
  void start();
  bool busy() const;
  void wait(const std::function<void()>& tick);

 private:
  void spawn(Worker& w);
  void give(Worker& w);
  void assign(Worker& w, const RunTask& t);
  void receive(Worker& w);
  void fail(Worker& w, const std::string& cause);
  void stop(Worker& w, int sig);
  void check_timeouts();

  const TaskSource& next_;
  WorkerOptions o_;
  const std::function<RunOutcome(const RunTask&)>& run_;
  const std::function<void(RunOutcome&&)>& done_;
  std::vector<Worker> workers_;
};

void Pool::spawn(Worker& w) {
  int to[2], from[2];
  if (::pipe(to) != 0 || ::pipe(from) != 0)
    throw HostError(kExitStepFailed,
                    std::string("batch: cannot start a worker: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0)
    throw HostError(kExitStepFailed,
                    std::string("batch: cannot start a worker: ") + std::strerror(errno));
  if (pid == 0) {
#ifdef __linux__
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a hung worker must not outlive a killed batch
#endif
    if (::getppid() != parent) ::_exit(1);
    for (const auto& other : workers_)  // else a sibling's death would never read as EOF
      if (other.pid > 0) ::close(other.to), ::close(other.from);
    ::close(to[1]);
    ::close(from[0]);
    serve(to[0], from[1], o_, run_);
  }
  ::close(to[0]);
  ::close(from[1]);
  w = Worker{pid, to[1], from[0], std::nullopt, {}};
}

/// Hands `w` the next task, or closes its task pipe (it exits) when none is left.
void Pool::give(Worker& w) {
  const std::optional<RunTask> t = next_();
  if (!t) return stop(w, 0);
  assign(w, *t);
}

void Pool::assign(Worker& w, const RunTask& t) {
  w.task = t;
  w.started = Clock::now();
  if (!write_all(w.to, reinterpret_cast<const char*>(&t), sizeof t)) receive(w);
}

void Pool::start() {
  ::signal(SIGPIPE, SIG_IGN);  // a worker that died reads as a failed write, not our death
  workers_.resize(std::max(1u, o_.jobs));
  for (auto& w : workers_) {
    const std::optional<RunTask> t = next_();  // no task, no fork
    if (!t) break;
    spawn(w);
    assign(w, *t);
  }
}

bool Pool::busy() const {
  for (const auto& w : workers_)
    if (w.task) return true;
  return false;
}

/// Reads `w`'s answer; a worker that is gone has its scenario failed and is replaced.
void Pool::receive(Worker& w) {
  std::uint64_t n = 0;
  std::string bytes;
  if (read_all(w.from, reinterpret_cast<char*>(&n), sizeof n)) {
    bytes.resize(n);
    if (read_all(w.from, bytes.data(), n)) {
      RunOutcome outcome;
      try {
        outcome = decode_outcome(bytes);
      } catch (const std::exception& e) {
        return fail(w, std::string("the worker process sent a malformed result: ") + e.what());
      }
      w.task.reset();
      done_(std::move(outcome));
      return give(w);
    }
  }
  fail(w, "");
}

/// Records `w`'s scenario as failed (cause: `cause`, or how the process ended), starts a new one.
void Pool::fail(Worker& w, const std::string& cause) {
  const RunTask t = *w.task;
  const double seconds = std::chrono::duration<double>(Clock::now() - w.started).count();
  int status = 0;
  ::kill(w.pid, SIGKILL);
  ::close(w.to);
  ::close(w.from);
  ::waitpid(w.pid, &status, 0);
  w = Worker{};
  RunOutcome o{t, false, cause.empty() ? death_cause(status) : cause, seconds, {}, {}};
  done_(std::move(o));
  if (const std::optional<RunTask> next = next_()) {
    spawn(w);
    assign(w, *next);
  }
}

/// Ends `w`: closes its pipes (it exits on its own) or sends `sig`, and reaps it.
void Pool::stop(Worker& w, int sig) {
  if (w.pid <= 0) return;
  if (sig) ::kill(w.pid, sig);
  ::close(w.to);
  ::close(w.from);
  ::waitpid(w.pid, nullptr, 0);
  w = Worker{};
}

void Pool::check_timeouts() {
  if (o_.timeout <= 0) return;
  for (auto& w : workers_)
    if (w.task && Clock::now() - w.started > std::chrono::duration<double>(o_.timeout)) {
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", o_.timeout);
      fail(w, std::string("timed out: still running after --timeout ") + limit + " s");
    }
}

void Pool::wait(const std::function<void()>& tick) {
  std::vector<pollfd> fds;
  std::vector<Worker*> who;
  for (auto& w : workers_)
    if (w.task) {
      fds.push_back({w.from, POLLIN, 0});
      who.push_back(&w);
    }
  const int ms = static_cast<int>(o_.tick_seconds * 1000);
  if (::poll(fds.data(), fds.size(), ms) < 0 && errno != EINTR)
    throw HostError(kExitStepFailed, std::string("batch: poll: ") + std::strerror(errno));
  for (std::size_t i = 0; i < fds.size(); ++i)
    if (fds[i].revents != 0 && who[i]->task) receive(*who[i]);
  check_timeouts();
  if (tick) tick();
}

}  // namespace

void limit_threads(unsigned n) {
  const std::string v = std::to_string(std::max(1u, n));
  ::setenv("KLASTER_THREADS", v.c_str(), 1);
  ::setenv("OPENBLAS_NUM_THREADS", v.c_str(), 1);
  ::setenv("OMP_NUM_THREADS", v.c_str(), 1);
  // OpenBLAS reads its variable once, when loaded: set the running library too. It is loaded
  // only with a plugin that needs it (RTLD_LOCAL, so not seen by RTLD_DEFAULT): found by name.
  using SetThreads = void (*)(int);
  void* blas = ::dlopen("libopenblas.so.0", RTLD_LAZY | RTLD_NOLOAD);
  if (auto* f = reinterpret_cast<SetThreads>(
          ::dlsym(blas ? blas : RTLD_DEFAULT, "openblas_set_num_threads")))
    f(static_cast<int>(std::max(1u, n)));
  if (blas) ::dlclose(blas);
}

void run_on_workers(const TaskSource& next, const WorkerOptions& options,
                    const std::function<RunOutcome(const RunTask&)>& run,
                    const std::function<void(RunOutcome&&)>& done,
                    const std::function<void()>& tick) {
  Pool pool(next, options, run, done);
  pool.start();
  while (pool.busy()) pool.wait(tick);
}

void run_on_workers(const std::vector<RunTask>& tasks, const WorkerOptions& options,
                    const std::function<RunOutcome(const RunTask&)>& run,
                    const std::function<void(RunOutcome&&)>& done,
                    const std::function<void()>& tick) {
  std::size_t i = 0;
  const TaskSource next = [&]() -> std::optional<RunTask> {
    if (i == tasks.size()) return std::nullopt;
    return tasks[i++];
  };
  run_on_workers(next, options, run, done, tick);
}

}  // namespace klaster
