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

/// \brief Maps the pages of [data, data + bytes) in, written and zeroed by the kernel, with
/// every core taking a share (MADV_POPULATE_WRITE, Linux 5.14 and later): a fresh array's page
/// faults and zeroing, otherwise paid by the one thread that first writes it, are split between
/// the cores. Nothing for less than 8 MiB; only a hint (a kernel without it ignores it).
void populate_pages(void* data, std::size_t bytes);

/// \brief `v.resize(n)` for a large array that is about to be filled in parallel: reserve_large,
/// then populate_pages on every core, then the resize, whose zeroing no longer faults.
template <class T>
void resize_large(std::vector<T>& v, std::size_t n) {
  reserve_large(v, n);
  if (n > v.size()) populate_pages(v.data() + v.size(), (n - v.size()) * sizeof(T));
  v.resize(n);
}

}  // namespace klaster::sdk
