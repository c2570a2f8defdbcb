#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "klaster/sdk/inequality.hpp"

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
