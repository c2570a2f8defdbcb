// Choosing an LU kernel at run time and the blocked LU that runs it on the cores parallel_for
// uses (lu_kernels.hpp).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"
#include "lu_kernels.hpp"

#ifdef KLASTER_OPENBLAS
extern "C" char* openblas_get_corename(void);
extern "C" int blas_thread_shutdown_(void);

namespace {
/// OpenBLAS starts its threads when it is loaded, and each idle one spins on sched_yield for 2^28
/// cycles (about 0.1 s) before it sleeps: on two cores, a core taken from the first 0.1 s of every
/// process that loads it (perf: 21 % of a 300,000-row run's CPU, when the host still linked it).
/// This library's constructor runs after OpenBLAS's (it depends on it) and stops them; OpenBLAS
/// starts them again at its first multithreaded call (a Leontief solve of 1,000 sectors or more),
/// as it does after fork(). (Its environment variables are read before any code of ours runs.)
[[gnu::constructor]] void stop_idle_openblas_threads() { blas_thread_shutdown_(); }
}  // namespace
#endif

namespace klaster::sdk::detail {

namespace {

#ifdef KLASTER_LU_KERNELS
constexpr LuKernel kAvx2{"avx2", avx2::lu_panel, avx2::lu_update, avx2::lu_solve};
constexpr LuKernel kAvx512{"avx512", avx512::lu_panel, avx512::lu_update, avx512::lu_solve};

bool cpu_has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
bool cpu_has_avx512() {
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}
#endif

/// True when the SDK's OpenBLAS runs AVX2 kernels itself (its multithreaded LU is then at least as
/// fast); false for older kernels, which it also picks on CPUs it does not know.
bool blas_has_avx2_kernels() {
#ifdef KLASTER_OPENBLAS
  std::string core = openblas_get_corename();
  std::transform(core.begin(), core.end(), core.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* good : {"haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"})
    if (core == good) return true;
#endif
  return false;
}

}  // namespace

const LuKernel* lu_kernel(std::ptrdiff_t n) {
  const char* env = std::getenv("KLASTER_LU_KERNEL");
  const std::string choice = env ? env : "auto";
  if (choice != "auto" && choice != "generic" && choice != "avx2" && choice != "avx512")
    throw Error("KLASTER_LU_KERNEL='" + choice +
                "' is not one of auto, generic, avx2, avx512 (environment variable)");
#ifdef KLASTER_LU_KERNELS
  // Measured on one loaded 2-core machine (bench/README.md, "Issue 14"): at 500 sectors these
  // kernels beat OpenBLAS's own AVX-512 kernels, at 2,000 they did not.
  const bool automatic = choice == "auto" && !(n >= 1000 && blas_has_avx2_kernels());
  if ((choice == "avx512" || automatic) && cpu_has_avx512()) return &kAvx512;
  if ((choice == "avx2" || automatic) && cpu_has_avx2()) return &kAvx2;
#else
  (void)n;
#endif
  return nullptr;
}

int lu_factorise(const LuKernel& kernel, double* a, std::ptrdiff_t n, int* piv) {
  if (n < 256) return kernel.panel(a, n, n, n, piv);  // Eigen's blocked LU, one thread
  const std::ptrdiff_t bs = n < 1000 ? 96 : 256;  // measured on 2 cores: larger blocks, faster GEMM
  int swaps = 0;
  for (std::ptrdiff_t k = 0; k < n; k += bs) {
    const std::ptrdiff_t b = std::min(bs, n - k);
    swaps += kernel.panel(a + k + k * n, n - k, b, n, piv + k);
    for (std::ptrdiff_t i = k; i < k + b; ++i) {
      piv[i] += static_cast<int>(k);
      if (piv[i] != i)
        for (std::ptrdiff_t c = 0; c < k; ++c) std::swap(a[i + c * n], a[piv[i] + c * n]);
    }
    const std::ptrdiff_t first = k + b, rows = n - k;
    // A part's columns should cost about a million flops (2 rows b each), a thread's start. Below
    // n = 1000 one thread: on a loaded 2-core machine each block's join waited for the scheduler
    // (n = 500: 3.0-4.5 ms on one thread, 4.1-14.6 ms on two; bench/README.md, "Issue 14").
    const auto min_cols =
        n < 1000 ? static_cast<std::size_t>(n)
                 : static_cast<std::size_t>(std::max<std::ptrdiff_t>(8, (1 << 19) / (rows * b)));
    parallel_for(
        static_cast<std::size_t>(n - first),
        [&](std::size_t c0, std::size_t c1) {
          kernel.update(a, n, k, b, first + static_cast<std::ptrdiff_t>(c0),
                        first + static_cast<std::ptrdiff_t>(c1), piv);
        },
        min_cols);
  }
  return swaps;
}

}  // namespace klaster::sdk::detail
