// klaster SDK: data-parallel loops over row or group ranges, for plugins and the SDK itself.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <vector>

namespace klaster::sdk {

/// \brief The number of parts parallel_for uses: the hardware threads (at least 1), at most the
/// environment variable KLASTER_THREADS when it is a positive number.
std::size_t parallel_parts();

/// \brief Calls fn(begin, end) on contiguous parts of [0, n), one part per hardware thread, in
/// parallel, and waits. Ranges smaller than `min_per_part` per part run on fewer threads (down to
/// one call on the calling thread). If parts throw, the exception of the lowest part is rethrown.
/// fn must only write to state owned by its range (or synchronise).
void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t)>& fn,
                  std::size_t min_per_part = 1 << 15);

/// \brief A `min_per_part` for parallel_for over items that each cost about `cost_per_item`
/// elementary steps (e.g. the units summed for one group): about 2^15 steps per part.
inline std::size_t items_per_part(std::size_t cost_per_item) {
  return std::max<std::size_t>(1, (std::size_t{1} << 15) / std::max<std::size_t>(1, cost_per_item));
}

/// \brief slot(k) for every k in [0, n), computed in parallel with parallel_for and returned in
/// order. Each part stops at its first error and the lowest part's is rethrown, so the error is the
/// first in k order.
template <class T, class Fn>
std::vector<T> parallel_slots(std::size_t n, Fn&& slot, std::size_t min_per_part) {
  std::vector<T> out(n);
  parallel_for(
      n,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) out[k] = slot(k);
      },
      min_per_part);
  return out;
}

}  // namespace klaster::sdk
