#include "klaster/sdk/memory.hpp"

#include <sys/mman.h>

namespace klaster::sdk {

void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  if (bytes < 4 * kHuge) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t aligned = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (begin + bytes) & ~(kHuge - 1);
  if (end > aligned) madvise(reinterpret_cast<void*>(aligned), end - aligned, MADV_HUGEPAGE);
}

}  // namespace klaster::sdk
