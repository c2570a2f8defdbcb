// klaster SDK, internal: sorting doubles with Highway's vectorised quicksort (vqsort), from the
// headers of Debian's libhwy-dev alone.
//
// Why not libhwy_contrib's hwy::Sorter: linking libhwy runs its static initialiser, which measures
// the timer for about 8 ms of CPU in every klaster process, more than the sort saves at 300k rows.
// So this file is compiled for each of Highway's x86 targets (hwy/foreach_target.h: each target's
// code in its own namespace, hwy::N_AVX3, hwy::N_AVX2, ..., compiled with `#pragma GCC target`,
// so none of it can be picked by the linker for generic code) and sort_doubles() chooses one by
// the CPU (__builtin_cpu_supports), with Boost's pdqsort where neither AVX2 nor AVX-512 is
// there. (Not Boost's float_sort, a radix sort on the doubles' bits: UBSan finds a signed
// overflow in its arithmetic when the values hold -0.0.) vqsort's pivots are sampled with a
// generator seeded here from the length (Highway's own seed reads the address and the clock): the
// order it produces is the same, only its speed on a crafted input could differ, and its depth
// limit then turns to heapsort (N log N at worst).

// Only the two targets sort_doubles() chooses are compiled; SSE4 and SSSE3 sort two doubles at a
// time and are left to pdqsort.
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_SSE4)
// Highway turns its debug assertions on under a sanitizer or without optimisation; they call
// hwy::Abort, which lives in libhwy, not linked here (the clang fuzz build would not link).
#define HWY_IS_DEBUG_BUILD 0
// foreach_target.h must come first, and then highway.h.
// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sort_doubles.cpp"  // found through sdk/src on the include path
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>
#include <hwy/contrib/sort/traits-inl.h>
#include <hwy/contrib/sort/vqsort-inl.h>
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace hwy::HWY_NAMESPACE::klaster_sort {
namespace {

#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX2  // the targets sort_doubles() chooses
void sort_ascending(double* keys, std::size_t n) {
  const SortTag<double> d;
  const detail::SharedTraits<detail::TraitsLane<detail::OrderAscending<double>>> st;
  if (detail::HandleSpecialCases(d, st, keys, n)) return;  // n < 2, or small enough for a network
  // Scratch for the partitions and the sorting networks: several KiB for 512-bit vectors.
  HWY_ALIGN double buf[SortConstants::BufNum<double>(HWY_LANES(double))];
  detail::Generator rng(0x9E3779B97F4A7C15ull ^ n);
  const std::size_t max_levels = 2 * CeilLog2(n) + 4;  // deeper than this: heapsort
  detail::Recurse(d, st, keys, keys + n, n, buf, rng, max_levels);
}
#endif

}  // namespace
}  // namespace hwy::HWY_NAMESPACE::klaster_sort
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "sort_doubles.hpp"

#include <boost/sort/pdqsort/pdqsort.hpp>
#if HWY_ARCH_X86
#include <cpuid.h>
#endif

namespace klaster::sdk::detail {

namespace {

using SortFn = void (*)(double*, std::size_t);

void pdqsort(double* keys, std::size_t n) { boost::sort::pdqsort_branchless(keys, keys + n); }

#if HWY_ARCH_X86 && (HWY_TARGETS & HWY_AVX3) && (HWY_TARGETS & HWY_AVX2)
#define KLASTER_SORT_VQSORT 1
/// F16C (CPUID leaf 1, ECX bit 29), which clang's __builtin_cpu_supports does not name.
bool cpu_has_f16c() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & bit_F16C) != 0;
}

/// The features of Highway's AVX2 and AVX3 targets (hwy/ops/set_macros-inl.h, HWY_TARGET_STR_*).
bool cpu_has_hwy_avx2() {
  return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul") &&
         __builtin_cpu_supports("aes") && __builtin_cpu_supports("avx2") &&
         __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("fma") && cpu_has_f16c();
}
bool cpu_has_hwy_avx3() {
  return cpu_has_hwy_avx2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512bw");
}
#endif

/// The sort of `path`, or nullptr if this CPU (or this build) cannot run it.
SortFn sort_of(SortPath path) {
  switch (path) {
#ifdef KLASTER_SORT_VQSORT
    case SortPath::vqsort_avx512:
      return cpu_has_hwy_avx3() ? hwy::N_AVX3::klaster_sort::sort_ascending : nullptr;
    case SortPath::vqsort_avx2:
      return cpu_has_hwy_avx2() ? hwy::N_AVX2::klaster_sort::sort_ascending : nullptr;
#endif
    case SortPath::pdqsort:
      return pdqsort;
    default:
      return nullptr;
  }
}

SortFn choose() {
  for (auto path : {SortPath::vqsort_avx512, SortPath::vqsort_avx2})
    if (auto sort = sort_of(path)) return sort;
  return pdqsort;
}

}  // namespace

void sort_doubles(double* keys, std::size_t n) {
  static const SortFn sort = choose();
  sort(keys, n);
}

bool sort_doubles_on(SortPath path, double* keys, std::size_t n) {
  const SortFn sort = sort_of(path);
  if (sort) sort(keys, n);
  return sort != nullptr;
}

}  // namespace klaster::sdk::detail
#endif  // HWY_ONCE
