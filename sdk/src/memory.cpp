#include "klaster/sdk/memory.hpp"

#include <sys/mman.h>

#include "klaster/sdk/parallel.hpp"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14 (glibc's headers may predate it)
#endif

namespace klaster::sdk {

namespace {
constexpr std::size_t kHuge = std::size_t{2} << 20;
}  // namespace

void advise_huge_pages(void* data, std::size_t bytes) {
  if (bytes < 4 * kHuge) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t aligned = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (begin + bytes) & ~(kHuge - 1);
  if (end > aligned) madvise(reinterpret_cast<void*>(aligned), end - aligned, MADV_HUGEPAGE);
}

void populate_pages(void* data, std::size_t bytes) {
  if (bytes < 4 * kHuge) return;
  // Page-aligned inside the range: the pages at its two ends fault in when first written.
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + 4095) & ~std::uintptr_t{4095};
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~std::uintptr_t{4095};
  const std::size_t pages = (end - begin) / 4096;
  parallel_for(
      pages,
      [&](std::size_t first, std::size_t last) {
        madvise(reinterpret_cast<void*>(begin + first * 4096), (last - first) * 4096,
                MADV_POPULATE_WRITE);
      },
      kHuge / 4096);
}

}  // namespace klaster::sdk
