// Timings of the IO engine on synthetic, seeded tables: the LU solve behind `leontief` and
// `multipliers`, at n = 65 (Croatia-sized), 500, 2000 and 5000, and at n = 2, where the flops are
// negligible and the time is the per-call overhead.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"

namespace {

/// A productive coefficient matrix: uniform entries scaled so every column sums to 0.6.
Eigen::MatrixXd synthetic_a(Eigen::Index n, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Eigen::MatrixXd a(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = 0; i < n; ++i) a(i, j) = u(rng);
    a.col(j) *= 0.6 / a.col(j).sum();
  }
  return a;
}

std::vector<std::string> labels(Eigen::Index n) {
  std::vector<std::string> s;
  for (Eigen::Index i = 0; i < n; ++i) s.push_back("s" + std::to_string(i));
  return s;
}

/// The plain solve numpy.linalg.solve does: LU of (I - A) and one right-hand side, with Eigen's
/// PartialPivLU as the SDK is built (over LAPACKE and OpenBLAS): LeontiefSolver's generic path.
void BM_Solve(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Eigen::MatrixXd a = synthetic_a(n);
  const Eigen::VectorXd f = Eigen::VectorXd::Ones(n);
  for (auto _ : state) {
    Eigen::MatrixXd m = -a;
    m.diagonal().array() += 1.0;
    Eigen::VectorXd x = m.partialPivLu().solve(f);
    benchmark::DoNotOptimize(x.data());
  }
}

/// `leontief`: checked LU (Hawkins-Simon solve included) and output multipliers by a transposed
/// solve, on the LU kernel LeontiefSolver chooses (its name is the benchmark's label).
void BM_LeontiefMultipliers(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Eigen::MatrixXd a = synthetic_a(n);
  const auto names = labels(n);
  state.SetLabel(std::string(klaster::sdk::lu_kernel_name(static_cast<std::size_t>(n))));
  for (auto _ : state) {
    const klaster::sdk::LeontiefSolver solver(a, names);
    Eigen::VectorXd m = solver.output_multipliers();
    benchmark::DoNotOptimize(m.data());
  }
}

/// `multipliers`, Type I: one checked LU, four transposed solves (output, income, employment, GVA).
void BM_MultipliersTypeI(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Eigen::MatrixXd a = synthetic_a(n);
  const auto names = labels(n);
  const Eigen::VectorXd h = Eigen::VectorXd::Constant(n, 0.2),
                        w = Eigen::VectorXd::Constant(n, 0.01),
                        v = Eigen::VectorXd::Constant(n, 0.4);
  for (auto _ : state) {
    const klaster::sdk::LeontiefSolver solver(a, names);
    Eigen::VectorXd m = solver.output_multipliers();
    Eigen::VectorXd mh = solver.solve_transpose(h), mw = solver.solve_transpose(w),
                    mv = solver.solve_transpose(v);
    benchmark::DoNotOptimize(m.data());
    benchmark::DoNotOptimize(mh.data());
    benchmark::DoNotOptimize(mw.data());
    benchmark::DoNotOptimize(mv.data());
  }
}

void sizes(benchmark::internal::Benchmark* b) { b->Unit(benchmark::kMillisecond)->UseRealTime(); }

}  // namespace

BENCHMARK(BM_Solve)->Apply(sizes)->Arg(2)->Arg(65)->Arg(500)->Arg(2000);
BENCHMARK(BM_Solve)->Apply(sizes)->Arg(5000)->Iterations(2);
BENCHMARK(BM_LeontiefMultipliers)->Apply(sizes)->Arg(2)->Arg(65)->Arg(500)->Arg(2000);
BENCHMARK(BM_LeontiefMultipliers)->Apply(sizes)->Arg(5000)->Iterations(2);
BENCHMARK(BM_MultipliersTypeI)->Apply(sizes)->Arg(65)->Arg(500)->Arg(2000);
BENCHMARK(BM_MultipliersTypeI)->Apply(sizes)->Arg(5000)->Iterations(2);

BENCHMARK_MAIN();
