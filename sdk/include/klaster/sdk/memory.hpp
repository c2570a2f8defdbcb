// klaster SDK: large arrays (tens of millions of rows) without a page fault every 4 KiB.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace klaster::sdk {

/// \brief Reserves room for `n` elements in `v` and, for large reservations, advises the kernel to
/// back it with transparent huge pages (where THP is in "madvise" mode): tens of millions of rows
/// then cost a few thousand page faults instead of a few hundred thousand. Only a hint.
template <class T>
void reserve_large(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  const std::size_t bytes = v.capacity() * sizeof(T);
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  if (bytes < 4 * kHuge) return;
  auto begin = reinterpret_cast<std::uintptr_t>(v.data());
  const std::uintptr_t aligned = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (begin + bytes) & ~(kHuge - 1);
  if (end > aligned) madvise(reinterpret_cast<void*>(aligned), end - aligned, MADV_HUGEPAGE);
}

}  // namespace klaster::sdk
