// klaster host: progress of `klaster batch` on stderr: a bar on a terminal, a line every few
// seconds in a log (docs/batch.md, "Progress").
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "batch.hpp"

namespace klaster {

class BatchProgress {
 public:
  /// \brief `terminal`: redraw one line in place (at most 10 times a second); else print a line
  /// every `log_seconds`.
  explicit BatchProgress(bool terminal, double log_seconds = 5.0);
  /// \brief Shows the counts when it is time to (cheap to call after every run).
  void update(const BatchCounts& counts, std::size_t runs);
  /// \brief The last state, and a line end after the bar.
  void finish(const BatchCounts& counts, std::size_t runs);

  /// \brief "523/1000 runs (ok 520, failed 3), 812 runs/s, ETA 1 s", for tests as well.
  static std::string text(const BatchCounts& counts, std::size_t runs, double seconds);

 private:
  void show(const BatchCounts& counts, std::size_t runs);
  bool terminal_;
  double every_;
  std::chrono::steady_clock::time_point start_, last_;
  bool shown_ = false;
};

}  // namespace klaster
