// klaster SDK: large arrays (tens of millions of rows) without a page fault every 4 KiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace klaster::sdk {

/// \brief Advises the kernel to back the 2 MiB pages inside [data, data + bytes) with
/// transparent huge pages; nothing for less than 8 MiB.
void advise_huge_pages(void* data, std::size_t bytes);

/// \brief Reserves room for `n` elements in `v` and, for large reservations, advises the kernel to
/// back it with transparent huge pages (where THP is in "madvise" mode): tens of millions of rows
/// then cost a few thousand page faults instead of a few hundred thousand. Only a hint.
template <class T>
void reserve_large(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace klaster::sdk
