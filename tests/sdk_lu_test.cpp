// LeontiefSolver on every LU kernel this machine runs (io_table.hpp, lu_kernel_name()): the AVX2
// and AVX-512 kernels chosen at run time and the generic path they fall back to.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"

using namespace klaster::sdk;

namespace {

/// Sets KLASTER_LU_KERNEL for one scope.
struct KernelChoice {
  explicit KernelChoice(const char* kernel) { setenv("KLASTER_LU_KERNEL", kernel, 1); }
  ~KernelChoice() { unsetenv("KLASTER_LU_KERNEL"); }
};

/// The kernel KLASTER_LU_KERNEL=`kernel` must give here: itself if the CPU runs it, else generic.
std::string expected_kernel(const std::string& kernel) {
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") &&
                      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  if ((kernel == "avx2" && avx2) || (kernel == "avx512" && avx512)) return kernel;
  return "generic";
}

std::vector<std::string> names(Eigen::Index n) {
  std::vector<std::string> s;
  for (Eigen::Index i = 0; i < n; ++i) s.push_back("s" + std::to_string(i));
  return s;
}

/// A circulant coefficient matrix: a_ij = c[(j - i) mod n], c > 0 summing to `s`, so every row
/// and every column of A sums to s.
Eigen::MatrixXd circulant(Eigen::Index n, double s) {
  Eigen::VectorXd c(n);
  for (Eigen::Index k = 0; k < n; ++k) c(k) = 1.0 + static_cast<double>(k % 7);
  c *= s / c.sum();
  Eigen::MatrixXd a(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) a(i, j) = c((j - i + n) % n);
  return a;
}

const char* const kKernels[] = {"generic", "avx2", "avx512"};

}  // namespace

// Miller & Blair (2009), sec. 2.3 and 6.2: when every column of A sums to s, 1'(I - A) = (1 - s)1',
// so every output multiplier (column sum of L) is 1 / (1 - s); rows summing to s likewise give
// L 1 = 1 / (1 - s). n = 600 runs the blocked LU of the AVX kernels on one thread.
TEST(LeontiefSolverKernels, EqualColumnSumsGiveMultipliersOneOverOneMinusS) {
  const Eigen::MatrixXd a = circulant(600, 0.6);
  for (const char* kernel : kKernels) {
    const KernelChoice choice(kernel);
    EXPECT_EQ(lu_kernel_name(600), expected_kernel(kernel));
    const LeontiefSolver solver(a, names(600));
    EXPECT_LT((solver.output_multipliers().array() - 2.5).abs().maxCoeff(), 1e-12) << kernel;
    EXPECT_LT((solver.row_sums().array() - 2.5).abs().maxCoeff(), 1e-12) << kernel;
    // rcond() in the infinity norm, exact here: ||I - A|| = (1 - a_ii) + (s - a_ii), with
    // ||(I - A)^-1|| = 1 / (1 - s).
    const double norm = 1.0 - a(0, 0) + 0.6 - a(0, 0);
    EXPECT_NEAR(solver.rcond(), 0.4 / norm, 1e-14) << kernel;
  }
}

// The definition of the inverse: (I - M) x = b for b formed from a chosen x, on a dense matrix
// whose partial pivoting swaps rows in every block (entries of M in [-1, 1], so not productive:
// check_productive = false). Solving must give x back, and the transposed solve likewise.
// n = 1100: the AVX kernels' blocked LU with its updates split between threads.
TEST(LeontiefSolverKernels, PivotedSolveReturnsTheChosenVector) {
  const Eigen::Index n = 1100;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Eigen::MatrixXd m(n, n);
  Eigen::VectorXd x(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    x(j) = u(rng);
    for (Eigen::Index i = 0; i < n; ++i) m(i, j) = u(rng);
  }
  const Eigen::MatrixXd i_minus_m = Eigen::MatrixXd::Identity(n, n) - m;
  const Eigen::VectorXd b = i_minus_m * x, bt = i_minus_m.transpose() * x;
  for (const char* kernel : kKernels) {
    const KernelChoice choice(kernel);
    const LeontiefSolver solver(m, names(n), "test", false);
    EXPECT_LT((solver.solve(b) - x).lpNorm<Eigen::Infinity>(), 1e-9) << kernel;
    EXPECT_LT((solver.solve_transpose(bt) - x).lpNorm<Eigen::Infinity>(), 1e-9) << kernel;
  }
}

// A small system (n < 256: one call of Eigen's LU) on each kernel: Miller & Blair (2009), table
// 2.4, A = [0.15 0.25; 0.20 0.05], L = [1.2541 0.3300; 0.2640 1.1221] (eq. 2.14), output
// multipliers 1.51815 and 1.45215 as recorded with the example (plugins/leontief's test).
TEST(LeontiefSolverKernels, MillerBlairTwoSectorsOnEveryKernel) {
  Eigen::MatrixXd a(2, 2);
  a << 0.15, 0.25, 0.20, 0.05;
  for (const char* kernel : kKernels) {
    const KernelChoice choice(kernel);
    const LeontiefSolver solver(a, {"s1", "s2"});
    const Eigen::VectorXd m = solver.output_multipliers();
    EXPECT_NEAR(m(0), 1.51815, 5e-6) << kernel;
    EXPECT_NEAR(m(1), 1.45215, 5e-6) << kernel;
    // By hand: det(I - A) = 0.85 * 0.95 - 0.25 * 0.20 = 0.7575, L 1 = (1.20, 1.05) / 0.7575 and
    // ||I - A||_inf = 0.20 + 0.95 = 1.15, so rcond = 0.7575 / (1.15 * 1.20).
    EXPECT_NEAR(solver.rcond(), 0.7575 / (1.15 * 1.20), 1e-14) << kernel;
  }
}

// Unset (auto), a system below 1,000 sectors takes the widest kernel the CPU runs, whatever
// OpenBLAS's kernels (lu_kernel_name's contract).
TEST(LeontiefSolverKernels, AutoTakesTheWidestKernelBelowAThousandSectors) {
  unsetenv("KLASTER_LU_KERNEL");
  const std::string widest = expected_kernel("avx512") == "avx512" ? "avx512"
                             : expected_kernel("avx2") == "avx2"   ? "avx2"
                                                                   : "generic";
  EXPECT_EQ(lu_kernel_name(999), widest);
}

TEST(LeontiefSolverKernels, UnknownKernelIsAnError) {
  const KernelChoice choice("sse9");
  try {
    (void)lu_kernel_name(10);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "KLASTER_LU_KERNEL='sse9' is not one of auto, generic, avx2, avx512 "
                 "(environment variable)");
  }
}
