#include "batch_progress.hpp"

#include <cstdio>

namespace klaster {

namespace {

using Clock = std::chrono::steady_clock;

std::string duration_text(double s) {
  char b[32];
  if (s < 60)
    std::snprintf(b, sizeof b, "%.0f s", s);
  else if (s < 3600)
    std::snprintf(b, sizeof b, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(b, sizeof b, "%d h %02d min", static_cast<int>(s) / 3600,
                  static_cast<int>(s) % 3600 / 60);
  return b;
}

std::string bar(std::size_t done, std::size_t runs) {
  constexpr std::size_t kWidth = 24;
  const std::size_t full = runs ? done * kWidth / runs : kWidth;
  return "[" + std::string(full, '#') + std::string(kWidth - full, '.') + "] ";
}

}  // namespace

BatchProgress::BatchProgress(bool terminal, double log_seconds)
    : terminal_(terminal),
      every_(terminal ? 0.1 : log_seconds),
      start_(Clock::now()),
      last_(start_) {}

std::string BatchProgress::text(const BatchCounts& c, std::size_t runs, double seconds) {
  const std::size_t done = c.ok + c.failed;
  char b[160];
  std::snprintf(b, sizeof b, "%zu/%zu runs (ok %zu, failed %zu)", done, runs, c.ok, c.failed);
  std::string t = b;
  if (seconds > 0 && done > 0) {
    const double rate = done / seconds;
    std::snprintf(b, sizeof b, ", %.*f runs/s", rate < 10 ? 1 : 0, rate);
    t += b;
    if (done < runs) t += ", ETA " + duration_text((runs - done) / rate);
  }
  return t;
}

void BatchProgress::show(const BatchCounts& c, std::size_t runs) {
  const double s = std::chrono::duration<double>(Clock::now() - start_).count();
  if (terminal_)
    std::fprintf(stderr, "\r%s%s\033[K", bar(c.ok + c.failed, runs).c_str(),
                 text(c, runs, s).c_str());
  else
    std::fprintf(stderr, "batch: %s\n", text(c, runs, s).c_str());
  std::fflush(stderr);
  shown_ = true;
}

void BatchProgress::update(const BatchCounts& c, std::size_t runs) {
  const auto now = Clock::now();
  if (std::chrono::duration<double>(now - last_).count() < every_) return;
  last_ = now;
  show(c, runs);
}

void BatchProgress::finish(const BatchCounts& c, std::size_t runs) {
  if (!shown_) return;  // a short batch: the summary line says it all
  show(c, runs);
  if (terminal_) std::fputc('\n', stderr);
}

}  // namespace klaster
