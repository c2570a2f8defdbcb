// One instruction set's LU kernels (lu_kernels.hpp), compiled with its flags and
// -DKLASTER_LU_ISA=<namespace> (sdk/CMakeLists.txt). Eigen is renamed here: its inline functions,
// compiled for this instruction set, must not be merged with the generic ones the rest of the SDK
// instantiates. It runs on Eigen's own kernels (no BLAS: those are what this replaces).
#ifndef KLASTER_LU_ISA
#error "compile with -DKLASTER_LU_ISA=avx2 or avx512 (sdk/CMakeLists.txt)"
#endif
#undef EIGEN_USE_BLAS
#undef EIGEN_USE_LAPACKE
#define KLASTER_LU_CAT2(a, b) a##b
#define KLASTER_LU_CAT(a, b) KLASTER_LU_CAT2(a, b)
#define Eigen KLASTER_LU_CAT(klaster_eigen_, KLASTER_LU_ISA)
#include <Eigen/Core>
#include <Eigen/LU>

#include "lu_kernels.hpp"

namespace klaster::sdk::detail::KLASTER_LU_ISA {

namespace {
using Block = Eigen::Map<Eigen::MatrixXd, 0, Eigen::OuterStride<>>;
Block block(double* a, std::ptrdiff_t lda, std::ptrdiff_t row, std::ptrdiff_t col,
            std::ptrdiff_t rows, std::ptrdiff_t cols) {
  return Block(a + row + col * lda, rows, cols, Eigen::OuterStride<>(lda));
}
}  // namespace

int lu_panel(double* a, std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t lda, int* piv) {
  int swaps = 0;
  Eigen::internal::partial_lu_impl<double, Eigen::ColMajor, int>::blocked_lu(rows, cols, a, lda,
                                                                             piv, swaps);
  return swaps;
}

void lu_update(double* a, std::ptrdiff_t n, std::ptrdiff_t k, std::ptrdiff_t b, std::ptrdiff_t c0,
               std::ptrdiff_t c1, const int* piv) {
  for (std::ptrdiff_t c = c0; c < c1; ++c) {
    double* col = a + c * n;
    for (std::ptrdiff_t i = k; i < k + b; ++i) {
      const double t = col[i];
      col[i] = col[piv[i]];
      col[piv[i]] = t;
    }
  }
  Block a12 = block(a, n, k, c0, b, c1 - c0);
  block(a, n, k, k, b, b).triangularView<Eigen::UnitLower>().solveInPlace(a12);
  block(a, n, k + b, c0, n - k - b, c1 - c0).noalias() -= block(a, n, k + b, k, n - k - b, b) * a12;
}

void lu_solve(const double* a, std::ptrdiff_t n, const int* piv, double* x, bool transpose) {
  const Eigen::Map<const Eigen::MatrixXd> lu(a, n, n);
  Eigen::Map<Eigen::VectorXd> v(x, n);
  auto swap = [&](std::ptrdiff_t i) {
    const double t = x[i];
    x[i] = x[piv[i]];
    x[piv[i]] = t;
  };
  if (!transpose) {  // P A = L U: x = U^-1 L^-1 P x
    for (std::ptrdiff_t i = 0; i < n; ++i) swap(i);
    lu.triangularView<Eigen::UnitLower>().solveInPlace(v);
    lu.triangularView<Eigen::Upper>().solveInPlace(v);
  } else {  // A' = U' L' P: x = P^-1 L'^-1 U'^-1 x
    lu.triangularView<Eigen::Upper>().transpose().solveInPlace(v);
    lu.triangularView<Eigen::UnitLower>().transpose().solveInPlace(v);
    for (std::ptrdiff_t i = n - 1; i >= 0; --i) swap(i);
  }
}

}  // namespace klaster::sdk::detail::KLASTER_LU_ISA
