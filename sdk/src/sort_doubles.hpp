// klaster SDK, internal: an ascending sort of doubles, vectorised where the CPU allows
// (sort_doubles.cpp).
#pragma once

#include <cstddef>

namespace klaster::sdk::detail {

/// Sorts keys[0, n) ascending. The values must be finite (no NaN); -0.0 and 0.0 may come in
/// either order.
void sort_doubles(double* keys, std::size_t n);

/// The ways sort_doubles() can sort; it takes the first the CPU runs.
enum class SortPath { vqsort_avx512, vqsort_avx2, pdqsort };

/// Sorts keys[0, n) on `path` if the CPU runs it and returns true; false (keys untouched) if not.
/// For tests of every path on one machine.
bool sort_doubles_on(SortPath path, double* keys, std::size_t n);

}  // namespace klaster::sdk::detail
