#include "klaster/sdk/parallel.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

namespace klaster::sdk {

// KLASTER_THREADS caps the parts (a batch's worker processes each take their share of the cores).
std::size_t parallel_parts() {
  // Read once: glibc reads /sys/devices/system/cpu/online on every call.
  static const std::size_t cores = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  const char* limit = std::getenv("KLASTER_THREADS");
  const long n = limit ? std::strtol(limit, nullptr, 10) : 0;
  return n > 0 ? std::min(cores, static_cast<std::size_t>(n)) : cores;
}

void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t)>& fn,
                  std::size_t min_per_part) {
  if (n == 0) return;
  const std::size_t parts = std::max<std::size_t>(
      1, std::min(parallel_parts(), n / std::max<std::size_t>(1, min_per_part)));
  if (parts == 1) {
    fn(0, n);
    return;
  }
  std::vector<std::exception_ptr> errors(parts);
  std::vector<std::thread> threads;
  threads.reserve(parts - 1);
  auto part = [&](std::size_t k) {
    try {
      fn(n * k / parts, n * (k + 1) / parts);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  };
  for (std::size_t k = 1; k < parts; ++k) threads.emplace_back(part, k);
  part(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace klaster::sdk
