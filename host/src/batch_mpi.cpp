// `klaster batch --mpi`: rank 0 owns the store and hands out runs in small batches as ranks ask
// for them (dynamic scheduling); each rank runs them on its own worker pool, so a crashing plugin
// still loses only its scenario (docs/batch.md, "MPI").
#include "batch_mpi.hpp"

#include "errors.hpp"

#ifndef KLASTER_WITH_MPI

#include <unistd.h>

namespace klaster {

void exec_mpi_build(const std::vector<std::string>& batch_args) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return;
  const std::string mpi = (self.parent_path() / "klaster-mpi").string();
  if (::access(mpi.c_str(), X_OK) != 0) return;
  std::vector<std::string> args{mpi, "batch"};
  args.insert(args.end(), batch_args.begin(), batch_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(mpi.c_str(), argv.data());  // returns only if it failed: then "built without MPI"
}

MpiBatchResult run_batch_mpi(const std::filesystem::path&, const PluginRegistry&,
                             const BatchRunOptions&) {
  throw HostError(kExitPipeline,
                  "batch: --mpi: this klaster was built without MPI (install Open MPI, Debian "
                  "libopenmpi-dev, and build it again)");
}

}  // namespace klaster

#else

#include <mpi.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <exception>
#include <iostream>
#include <list>
#include <optional>
#include <thread>

#include "batch_run.hpp"
#include "output_writer.hpp"

namespace klaster {

void exec_mpi_build(const std::vector<std::string>&) {}  // this is klaster-mpi

namespace {

enum Tag : int { kHello = 1, kStart, kRequest, kTasks, kOutcome };

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int n = 0;
  MPI_Error_string(rc, text, &n);
  throw HostError(kExitStepFailed,
                  std::string("batch --mpi: ") + what + " failed: " + std::string(text, n));
}

/// Open MPI's blocking calls poll without pause: waiting in them would take the core a local
/// worker needs, so every wait here tests and sleeps.
void nap() { std::this_thread::sleep_for(std::chrono::microseconds(200)); }

MPI_Status wait_message(int source, int tag) {
  MPI_Status st;
  int flag = 0;
  for (;;) {
    check(MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
    if (flag) return st;
    nap();
  }
}

/// The message `st` announces, received.
std::string receive(const MPI_Status& st) {
  int n = 0;
  check(MPI_Get_count(&st, MPI_BYTE, &n), "MPI_Get_count");
  std::string bytes(static_cast<std::size_t>(n), '\0');
  MPI_Request req;
  check(MPI_Irecv(bytes.data(), n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, &req),
        "MPI_Irecv");
  // A large message comes in pieces as its sender gets to them: wait without spinning.
  for (int done = 0;;) {
    check(MPI_Test(&req, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (done) return bytes;
    nap();
  }
}

/// A short message (it goes out eagerly: the send does not wait for the receiver).
void send(const std::string& bytes, int dest, int tag) {
  check(MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD),
        "MPI_Send");
}

/// MPI_Init .. MPI_Finalize, and who we are.
struct MpiSession {
  int rank = 0, size = 1, local = 1;  // local: ranks on this machine
  std::string host;
  MpiSession() {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SINGLE, &provided), "MPI_Init");
    // Errors come back as codes (and so as HostErrors), not as an abort of the whole job.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &local);
    MPI_Comm_free(&node);
    char name[MPI_MAX_PROCESSOR_NAME];
    int n = 0;
    MPI_Get_processor_name(name, &n);
    host.assign(name, n);
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

/// What a rank has ready before any run: the batch, its pipelines, the dataset loaded once.
struct RankSetup {
  BatchConfig batch;
  std::string sha;
  std::vector<PipelineRun> runs;
  DatasetCache cache;
};

/// Rank 0 validates every scenario (as `klaster batch` does); the others validate each run they
/// are given, when they run it.
void load(RankSetup& s, const std::filesystem::path& file, const PluginRegistry& plugins,
          bool root) {
  s.batch = read_batch(file);
  s.sha = sha256_file(s.batch.path);
  if (root) validate_batch(s.batch, plugins);
  for (std::size_t i = 0; i < s.batch.pipelines.size(); ++i) {
    s.runs.push_back(prepare_pipeline(s.batch, i, plugins));
    preload_dataset(s.runs.back().checked, s.cache);  // before forking: the workers share it
  }
}

/// The exit code and message of an error.
std::pair<int, std::string> describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const HostError& e) {
    return {e.code(), e.what()};
  } catch (const std::exception& e) {
    return {kExitStepFailed, e.what()};
  }
}

/// A rank's report to rank 0 after loading: "CODE\nHOST\nSHA\nMESSAGE" (code 0: ready).
std::string hello(const MpiSession& mpi, const RankSetup& s, const std::exception_ptr& error) {
  if (!error) return "0\n" + mpi.host + "\n" + s.sha + "\n";
  const auto [code, message] = describe(error);
  return std::to_string(code) + "\n" + mpi.host + "\n\n" + message;
}

/// Rank 0's reading of rank `rank`'s hello: nothing when it is ready with the same batch file.
std::optional<HostError> hello_error(const std::string& h, int rank, const RankSetup& root) {
  std::vector<std::string> part(3);
  std::size_t at = 0;
  for (auto& p : part) {
    const std::size_t end = h.find('\n', at);
    p = h.substr(at, end - at);
    at = end + 1;
  }
  const std::string who = "batch --mpi: rank " + std::to_string(rank) + " on " + part[1] + ": ";
  if (part[0] != "0") return HostError(std::stoi(part[0]), who + h.substr(at));
  if (part[2] != root.sha)
    return HostError(kExitPipeline, who + "its batch file " + root.batch.path.string() +
                                        " differs from rank 0's (SHA-256 " + part[2] +
                                        ", rank 0's " + root.sha +
                                        "): every machine needs the same files at the same paths");
  return std::nullopt;
}

/// Runs `f`, keeping what it throws.
template <class F>
std::exception_ptr attempt(F&& f) {
  try {
    f();
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

}  // namespace

// The protocol. Every other rank sends kHello (ready with its batch file's SHA-256, or its error)
// and waits for kStart ("go" or "stop"); then it sends kRequest (how many runs it wants) and
// receives kTasks (that many RunTasks or fewer; none: nothing left), and sends a kOutcome
// (encode_outcome's bytes) for each run as it finishes.
namespace {

/// Rank 0 during the runs: hands out tasks on request, records every outcome.
class Root {
 public:
  Root(const MpiSession& mpi, RankSetup& s, BatchStore& store, std::vector<RunTask> tasks,
       BatchCounts counts, const BatchRunOptions& o)
      : mpi_(mpi),
        s_(s),
        store_(store),
        queue_(tasks.begin(), tasks.end()),
        runs_(tasks.size()),
        counts_(counts),
        o_(o),
        in_flight_(mpi.size, 0),
        ended_(mpi.size, false) {}
  BatchCounts run(const PluginRegistry& plugins);

 private:
  std::optional<RunTask> next();
  void done(RunOutcome&& r);
  void fail(std::exception_ptr e);
  void service();
  void hand_out(int rank, const std::string& request);
  bool others_busy() const;
  void report() const {
    if (o_.progress) o_.progress(counts_, runs_);
  }

  const MpiSession& mpi_;
  RankSetup& s_;
  BatchStore& store_;
  std::deque<RunTask> queue_;
  std::size_t runs_;
  BatchCounts counts_;
  const BatchRunOptions& o_;
  std::vector<int> in_flight_;  // per rank: tasks handed out, outcome not yet back
  std::vector<bool> ended_;     // per rank: told there is nothing left
  std::exception_ptr error_;
};

std::optional<RunTask> Root::next() {
  if (queue_.empty()) return std::nullopt;
  const RunTask t = queue_.front();
  queue_.pop_front();
  return t;
}

/// After an error (a store that cannot be written) nothing more is recorded or handed out; the
/// other ranks finish what they hold, and the error is thrown once they have.
void Root::fail(std::exception_ptr e) {
  if (!error_) error_ = e;
  queue_.clear();
}

void Root::done(RunOutcome&& r) {
  if (error_) return;
  if (auto e = attempt([&] { record_outcome(store_, s_.batch, s_.runs, std::move(r), counts_); }))
    return fail(e);
  report();
}

/// Answers every message that has arrived: requests for tasks, outcomes.
void Root::service() {
  for (;;) {
    MPI_Status st;
    int flag = 0;
    check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
    if (!flag) return;
    const std::string bytes = receive(st);
    if (st.MPI_TAG == kRequest) {
      hand_out(st.MPI_SOURCE, bytes);
      continue;
    }
    --in_flight_[st.MPI_SOURCE];
    RunOutcome r;
    if (auto e = attempt([&] { r = decode_outcome(bytes); })) fail(e);
    done(std::move(r));
  }
}

/// Up to the number asked for (an int), as RunTasks; none: the rank is done once its outcomes
/// are back.
void Root::hand_out(int rank, const std::string& request) {
  int want = 1;
  if (request.size() == sizeof want) std::memcpy(&want, request.data(), sizeof want);
  std::string reply;
  for (int i = 0; i < want && !queue_.empty(); ++i) {
    const RunTask t = *next();
    reply.append(reinterpret_cast<const char*>(&t), sizeof t);
    ++in_flight_[rank];
  }
  if (reply.empty()) ended_[rank] = true;
  send(reply, rank, kTasks);
}

bool Root::others_busy() const {
  for (int r = 1; r < mpi_.size; ++r)
    if (!ended_[r] || in_flight_[r] > 0) return true;
  return false;
}

BatchCounts Root::run(const PluginRegistry& plugins) {
  WorkerOptions w = worker_options(o_, static_cast<unsigned>(mpi_.local));
  w.tick_seconds = 0.001;  // the other ranks' requests wait for the tick
  auto run = [&](const RunTask& t) {
    return run_scenario(s_.batch, s_.runs[t.pipeline], t, plugins, s_.cache);
  };
  auto tick = [&] {
    if (auto e = attempt([&] { service(); })) fail(e);
  };
  if (auto e = attempt([&] {
        run_on_workers([&] { return next(); }, w, run, [&](RunOutcome&& r) { done(std::move(r)); },
                       tick);
      }))
    fail(e);
  while (others_busy()) {
    tick();
    nap();
  }
  if (error_) std::rethrow_exception(error_);
  return counts_;
}

/// Any other rank during the runs: asks rank 0 for tasks ahead of need, runs them on its pool,
/// sends every outcome back without waiting for rank 0 to take it.
class Remote {
 public:
  explicit Remote(unsigned jobs) : ahead_(static_cast<int>(2 * jobs)), reply_(ahead_) {}
  std::optional<RunTask> next();
  void done(RunOutcome&& r);
  void tick();
  void finish();

 private:
  void ask();
  void take(const MPI_Status& st);

  int ahead_;  // tasks to hold ready: two per worker, so none waits for rank 0's answer
  std::vector<RunTask> reply_;
  std::deque<RunTask> queue_;
  bool asked_ = false, ended_ = false;
  MPI_Request reply_req_ = MPI_REQUEST_NULL;
  std::list<std::pair<std::string, MPI_Request> > sending_;
};

void Remote::ask() {
  if (asked_ || ended_) return;
  send(std::string(reinterpret_cast<const char*>(&ahead_), sizeof ahead_), 0, kRequest);
  check(MPI_Irecv(reply_.data(), static_cast<int>(reply_.size() * sizeof(RunTask)), MPI_BYTE, 0,
                  kTasks, MPI_COMM_WORLD, &reply_req_),
        "MPI_Irecv");
  asked_ = true;
}

void Remote::take(const MPI_Status& st) {
  int n = 0;
  check(MPI_Get_count(&st, MPI_BYTE, &n), "MPI_Get_count");
  const std::size_t count = static_cast<std::size_t>(n) / sizeof(RunTask);
  queue_.insert(queue_.end(), reply_.begin(), reply_.begin() + static_cast<long>(count));
  ended_ = count == 0;
  asked_ = false;
}

void Remote::tick() {
  int flag = 0;
  MPI_Status st;
  if (asked_) {
    check(MPI_Test(&reply_req_, &flag, &st), "MPI_Test");
    if (flag) take(st);
  }
  for (auto it = sending_.begin(); it != sending_.end();) {
    check(MPI_Test(&it->second, &flag, MPI_STATUS_IGNORE), "MPI_Test");
    it = flag ? sending_.erase(it) : std::next(it);
  }
}

std::optional<RunTask> Remote::next() {
  tick();
  while (queue_.empty() && !ended_) {
    ask();
    nap();
    tick();
  }
  if (queue_.empty()) return std::nullopt;
  const RunTask t = queue_.front();
  queue_.pop_front();
  if (static_cast<int>(queue_.size()) < ahead_ / 2) ask();
  return t;
}

void Remote::done(RunOutcome&& r) {
  auto& [bytes, req] = sending_.emplace_back(encode_outcome(r), MPI_REQUEST_NULL);
  check(MPI_Isend(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, kOutcome,
                  MPI_COMM_WORLD, &req),
        "MPI_Isend");
}

void Remote::finish() {
  while (!sending_.empty()) {
    tick();
    if (!sending_.empty()) nap();
  }
}

/// Rank 0 before any run: hears from every rank (even after an error of its own, so none waits
/// for ever), opens the store, then tells every rank to start or to stop. Throws on stop.
std::vector<RunTask> start_root(const MpiSession& mpi, RankSetup& s, std::exception_ptr error,
                                std::optional<BatchStore>& store, BatchCounts& counts,
                                const BatchRunOptions& o) {
  for (int r = 1; r < mpi.size; ++r) {
    const std::string h = receive(wait_message(r, kHello));
    if (error) continue;
    if (auto e = hello_error(h, r, s)) error = std::make_exception_ptr(*e);
  }
  std::vector<RunTask> tasks;
  if (!error)
    error = attempt([&] {
      store.emplace(s.batch, s.sha, o.resume);
      tasks = pending_runs(s.batch, s.runs, *store, counts);
    });
  for (int r = 1; r < mpi.size; ++r) send(error ? "stop" : "go", r, kStart);
  if (error) std::rethrow_exception(error);
  return tasks;
}

/// A rank other than 0: reports how its loading went, runs tasks when rank 0 says go.
void run_remote(const MpiSession& mpi, RankSetup& s, const std::exception_ptr& error,
                const PluginRegistry& plugins, const BatchRunOptions& o) {
  send(hello(mpi, s, error), 0, kHello);
  if (receive(wait_message(0, kStart)) != "go") return;
  WorkerOptions w = worker_options(o, static_cast<unsigned>(mpi.local));
  w.tick_seconds = 0.001;  // outcomes on their way out progress at each tick
  Remote remote(w.jobs);
  auto run = [&](const RunTask& t) {
    return run_scenario(s.batch, s.runs[t.pipeline], t, plugins, s.cache);
  };
  run_on_workers([&] { return remote.next(); }, w, run,
                 [&](RunOutcome&& r) { remote.done(std::move(r)); }, [&] { remote.tick(); });
  remote.finish();
}

}  // namespace

MpiBatchResult run_batch_mpi(const std::filesystem::path& file, const PluginRegistry& plugins,
                             const BatchRunOptions& o) {
  MpiSession mpi;
  MpiBatchResult result;
  result.root = mpi.rank == 0;
  RankSetup s;
  const std::exception_ptr error = attempt([&] { load(s, file, plugins, result.root); });
  if (!result.root) {
    // A failure here cannot reach rank 0 any more: say it, and end the whole job.
    if (auto e = attempt([&] { run_remote(mpi, s, error, plugins, o); })) {
      const auto [code, message] = describe(e);
      std::cerr << "error: batch --mpi: rank " << mpi.rank << " on " << mpi.host << ": " << message
                << "\n";
      MPI_Abort(MPI_COMM_WORLD, code);
    }
    return result;
  }
  std::optional<BatchStore> store;
  std::vector<RunTask> tasks = start_root(mpi, s, error, store, result.counts, o);
  result.counts = Root(mpi, s, *store, std::move(tasks), result.counts, o).run(plugins);
  result.batch = std::move(s.batch);
  return result;
}

}  // namespace klaster

#endif
