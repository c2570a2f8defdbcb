#include "run_guard.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "errors.hpp"

namespace klaster {

namespace {

// The step now running, readable from a signal handler: a fixed buffer and its length.
char g_step[512];
std::atomic<std::size_t> g_step_len{0};
// The crash message's end, composed before any crash (a handler may not allocate).
char g_crash_note[1024];
std::size_t g_crash_note_len = 0;
int g_wake[2] = {-1, -1};  // the interrupt handler's pipe to the watching thread

struct SignalName {
  int sig;
  const char* name;
};
constexpr SignalName kCrashSignals[] = {{SIGSEGV, "SIGSEGV (segmentation fault)"},
                                        {SIGABRT, "SIGABRT (aborted)"},
                                        {SIGBUS, "SIGBUS (bus error)"},
                                        {SIGFPE, "SIGFPE (arithmetic exception)"},
                                        {SIGILL, "SIGILL (illegal instruction)"}};
constexpr SignalName kInterrupts[] = {{SIGINT, "SIGINT"}, {SIGTERM, "SIGTERM"}, {SIGHUP, "SIGHUP"}};

void append(char* buf, std::size_t& n, std::size_t cap, const char* text, std::size_t len) {
  const std::size_t k = len < cap - n ? len : cap - n;
  std::memcpy(buf + n, text, k);
  n += k;
}

/// Async-signal-safe: only memcpy, write, signal and raise.
void on_crash(int sig) {
  char line[2048];
  std::size_t n = 0;
  const char* name = "a fatal signal";
  for (const auto& s : kCrashSignals)
    if (s.sig == sig) name = s.name;
  const char head[] = "error: klaster crashed with ";
  append(line, n, sizeof line, head, sizeof head - 1);
  append(line, n, sizeof line, name, std::strlen(name));
  if (const std::size_t len = g_step_len.load(); len > 0) {
    append(line, n, sizeof line, " in ", 4);
    append(line, n, sizeof line, g_step, len);
  }
  append(line, n, sizeof line, g_crash_note, g_crash_note_len);
  static_cast<void>(::write(STDERR_FILENO, line, n));
  ::signal(sig, SIG_DFL);  // the signal, blocked in here, ends the process when the handler returns
  ::raise(sig);
}

void on_interrupt_signal(int sig) {
  const unsigned char byte = static_cast<unsigned char>(sig);
  static_cast<void>(::write(g_wake[1], &byte, 1));
}

const char* interrupt_name(int sig) {
  for (const auto& s : kInterrupts)
    if (s.sig == sig) return s.name;
  return "a signal";
}

}  // namespace

void set_running_step(const std::string& who) {
  g_step_len.store(0);
  const std::size_t n = std::min(who.size(), sizeof g_step);
  std::memcpy(g_step, who.data(), n);
  g_step_len.store(n);
}

std::string running_step() { return std::string(g_step, g_step_len.load()); }

void report_crashes(const std::string& output_note) {
  const std::string note = "; " + output_note + "\n";
  g_crash_note_len = std::min(note.size(), sizeof g_crash_note);
  std::memcpy(g_crash_note, note.data(), g_crash_note_len);
  struct sigaction sa {};
  sa.sa_handler = on_crash;
  sigemptyset(&sa.sa_mask);
  for (const auto& s : kCrashSignals) ::sigaction(s.sig, &sa, nullptr);
}

void watch_interrupts(std::function<std::string(const std::string&)> on_interrupt) {
  if (::pipe2(g_wake, O_CLOEXEC) != 0) return;  // without it, a signal ends the run unannounced
  std::thread([on_interrupt = std::move(on_interrupt)] {
    unsigned char sig = 0;
    while (::read(g_wake[0], &sig, 1) < 0 && errno == EINTR) {
    }
    const std::string line = on_interrupt(interrupt_name(sig)) + "\n";
    static_cast<void>(::write(STDERR_FILENO, line.data(), line.size()));
    ::_exit(128 + sig);  // not exit(): the main thread may still be inside a plugin
  }).detach();
  struct sigaction sa {};
  sa.sa_handler = on_interrupt_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (const auto& s : kInterrupts) ::sigaction(s.sig, &sa, nullptr);
}

std::string out_of_memory_text() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return "out of memory (std::bad_alloc)";
  return "out of memory (std::bad_alloc): an allocation would pass the limit of " +
         std::to_string(limit.rlim_cur >> 20) + " MiB of address space (--max-memory)";
}

void limit_memory(double mib) {
  const auto bytes = static_cast<rlim_t>(mib * 1024 * 1024);
  const rlimit limit{bytes, bytes};
  if (::setrlimit(RLIMIT_AS, &limit) != 0)
    throw HostError(kExitPipeline,
                    "--max-memory " + std::to_string(static_cast<long long>(mib)) +
                        ": cannot set the address-space limit: " + std::strerror(errno));
}

}  // namespace klaster
