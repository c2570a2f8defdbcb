// klaster SDK: data-parallel loops over row or group ranges, for plugins and the SDK itself.
#pragma once

#include <cstddef>
#include <functional>

namespace klaster::sdk {

/// \brief The number of parts parallel_for uses (the hardware threads, at least 1).
std::size_t parallel_parts();

/// \brief Calls fn(begin, end) on contiguous parts of [0, n), one part per hardware thread, in
/// parallel, and waits. Ranges smaller than `min_per_part` per part run on fewer threads (down to
/// one call on the calling thread). If parts throw, the exception of the lowest part is rethrown.
/// fn must only write to state owned by its range (or synchronise).
void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t)>& fn,
                  std::size_t min_per_part = 1 << 15);

}  // namespace klaster::sdk
