// klaster SDK, internal: the LU kernels LeontiefSolver factorises (I - M) with (io_table.cpp).
//
// lu_kernel.cpp is compiled once per instruction set (sdk/CMakeLists.txt: AVX2+FMA, AVX-512),
// each copy in its own namespace and with Eigen renamed, so no function compiled for one of them
// can be picked by the linker for generic code. lu.cpp chooses one at run time
// (__builtin_cpu_supports) and runs a blocked LU with it in parallel; the generic path is
// Eigen's PartialPivLU (over LAPACKE and OpenBLAS when the SDK is built with them).
#pragma once

#include <cstddef>
#include <string_view>

namespace klaster::sdk::detail {

/// LU with partial pivoting of the rows x cols panel at `a` (column-major, leading dimension lda),
/// in place, rows >= cols; piv[i] gets the row swapped with row i, counted from the panel's first
/// row. Returns the number of swaps (piv[i] != i).
using LuPanelFn = int (*)(double* a, std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t lda,
                          int* piv);
/// Applies a factorised panel (columns [k, k + b) of the n x n matrix at `a`, pivots piv[k..k+b)
/// absolute) to the columns [c0, c1) right of it: row swaps, U12 = L11^-1 A12, A22 -= L21 U12.
using LuUpdateFn = void (*)(double* a, std::ptrdiff_t n, std::ptrdiff_t k, std::ptrdiff_t b,
                            std::ptrdiff_t c0, std::ptrdiff_t c1, const int* piv);

/// Solves with the factors of lu_factorise (a, n, piv): x = A^-1 x, or A^-T x when `transpose`.
using LuSolveFn = void (*)(const double* a, std::ptrdiff_t n, const int* piv, double* x,
                           bool transpose);

struct LuKernel {
  std::string_view name;
  LuPanelFn panel;
  LuUpdateFn update;
  LuSolveFn solve;
};

#define KLASTER_LU_KERNEL_DECLARE(isa)                                                             \
  namespace isa {                                                                                  \
  int lu_panel(double* a, std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t lda, int* piv); \
  void lu_update(double* a, std::ptrdiff_t n, std::ptrdiff_t k, std::ptrdiff_t b,                  \
                 std::ptrdiff_t c0, std::ptrdiff_t c1, const int* piv);                            \
  void lu_solve(const double* a, std::ptrdiff_t n, const int* piv, double* x, bool transpose);     \
  }
KLASTER_LU_KERNEL_DECLARE(avx2)
KLASTER_LU_KERNEL_DECLARE(avx512)
#undef KLASTER_LU_KERNEL_DECLARE

/// The kernel for an n x n system on this machine, or nullptr for the generic path:
/// KLASTER_LU_KERNEL = auto (or unset), generic, avx2 or avx512 (an instruction set the CPU lacks
/// falls back to generic). Auto takes the widest kernel the CPU runs, except from n = 1000 on when
/// the SDK's OpenBLAS has AVX2 kernels itself.
const LuKernel* lu_kernel(std::ptrdiff_t n);

/// Blocked LU with partial pivoting of the n x n column-major matrix at `a`, in place, with
/// `kernel`; piv as LAPACK's (0-based). Returns the number of row swaps.
int lu_factorise(const LuKernel& kernel, double* a, std::ptrdiff_t n, int* piv);

}  // namespace klaster::sdk::detail
