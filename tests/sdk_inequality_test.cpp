#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iostream>
#include <random>
#include <vector>

#include "klaster/sdk/inequality.hpp"
#include "sort_doubles.hpp"  // sdk/src: the sort plain_gini uses

using namespace klaster::sdk;

// REAT manual (Wieland), gini(): the documented example gini(c(20,50,20,10)) = 0.3.
TEST(PlainGini, ReatManualExample) {
  std::vector<double> v{20, 50, 20, 10};
  EXPECT_NEAR(plain_gini(v), 0.3, 1e-12);
}

// The sorted form equals the definition sum_j sum_k |v_j - v_k| / (2 n^2 mean).
TEST(PlainGini, EqualsPairwiseDefinition) {
  const std::vector<double> x{3.5, 0, 12, 7, 7, 1.25};
  double pairs = 0, sum = 0;
  for (double a : x) {
    sum += a;
    for (double b : x) pairs += std::abs(a - b);
  }
  const double n = static_cast<double>(x.size());
  std::vector<double> v = x;
  EXPECT_NEAR(plain_gini(v), pairs / (2 * n * n * (sum / n)), 1e-12);
}

// The same at the sizes the benchmark's Gini sorts (100 to 3,000 values), where the sort is no
// longer a sorting network: random values with ties, zeros of both signs and negatives.
TEST(PlainGini, EqualsPairwiseDefinitionOnLongInputs) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> value(5, 2);
  for (std::size_t n : {100, 300, 1000, 3000}) {
    std::vector<double> x(n);
    for (std::size_t k = 0; k < n; ++k)
      x[k] = k % 7 == 0 ? (k % 2 ? -0.0 : 0.0) : k % 5 == 0 ? x[k / 2] : value(rng);
    double pairs = 0, sum = 0;
    for (double a : x) {
      sum += a;
      for (double b : x) pairs += std::abs(a - b);
    }
    const double m = static_cast<double>(n);
    std::vector<double> v = x;
    EXPECT_NEAR(plain_gini(v), pairs / (2 * m * m * (sum / m)), 1e-12) << "n = " << n;
  }
}

// Every path of the Gini's sort gives std::sort's order (-0.0 and 0.0 compare equal) on lengths
// around the vector widths and the sorting networks' sizes, on values with ties and negatives.
// A path this CPU does not run is reported and skipped (under qemu as a Nehalem only pdqsort
// runs: tests/lu_without_avx_test.sh).
TEST(SortDoubles, EveryPathSortsLikeStdSort) {
  using klaster::sdk::detail::SortPath;
  std::mt19937_64 rng(11);
  std::normal_distribution<double> value(0, 1e3);
  for (auto path : {SortPath::vqsort_avx512, SortPath::vqsort_avx2, SortPath::pdqsort}) {
    for (std::size_t n : {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 64, 129, 256, 1000, 3001, 20000}) {
      std::vector<double> v(n);
      for (std::size_t k = 0; k < n; ++k)
        v[k] = k % 3 == 0 ? std::round(value(rng) / 100) : k % 11 == 0 ? -0.0 : value(rng);
      std::vector<double> expected = v;
      std::sort(expected.begin(), expected.end());
      if (!klaster::sdk::detail::sort_doubles_on(path, v.data(), n)) {
        std::cout << "sort path " << static_cast<int>(path) << " not run by this CPU\n";
        break;
      }
      EXPECT_TRUE(std::equal(v.begin(), v.end(), expected.begin()))
          << "path " << static_cast<int>(path) << ", n = " << n;
    }
  }
}

// Krugman (1991), ch. 2: shares identical to the reference lie on the diagonal, Gini 0.
TEST(LorenzGini, SameAsReferenceIsZero) {
  const std::vector<double> s{0.2, 0.3, 0.5}, t{0.2, 0.3, 0.5};
  std::vector<std::size_t> order;
  EXPECT_NEAR(lorenz_gini(s, t, order), 0.0, 1e-12);
}

// Everything in one of n equally weighted units: the largest area Gini, 1 - 1/n.
TEST(LorenzGini, AllInOneOfFourIsThreeQuarters) {
  const std::vector<double> s{0, 0, 1, 0}, t{0.25, 0.25, 0.25, 0.25};
  std::vector<std::size_t> order;
  EXPECT_NEAR(lorenz_gini(s, t, order), 0.75, 1e-12);
}

// A unit with reference share 0 but activity (s/t infinite) comes last on the curve.
TEST(LorenzGini, ZeroReferenceShareOrderedLast) {
  const std::vector<double> s{0.5, 0.5}, t{1.0, 0.0};
  std::vector<std::size_t> order;
  EXPECT_NEAR(lorenz_gini(s, t, order), 0.5, 1e-12);
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1}));
}
