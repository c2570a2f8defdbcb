#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "colocation_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace co = klaster::plugins::colocation;

namespace {

// REAT's documented example of howard.cl / howard.xcl ("example from Howard et al. (2016)"):
// firms 1..6, industries A B A B A B, locations X X X Y Y X.
Table reat_firms() {
  return Table({Column::make_strings("firm", {"1", "2", "3", "4", "5", "6"}),
                Column::make_strings("industry", {"A", "B", "A", "B", "A", "B"}),
                Column::make_strings("region", {"X", "X", "X", "Y", "Y", "X"})});
}

std::map<std::string, Value> with(std::map<std::string, Value> extra) {
  extra["plants"] = std::string("p");
  return extra;
}

double pair_value(const Table& t, const char* column, const char* i, const char* j) {
  return value_at(t, column, {{"industry1", i}, {"industry2", j}});
}

/// The mean CL over every equally likely relabelling of the pooled plants (locations fixed), by
/// enumeration: the null of Howard et al. (2016) that REAT's howard.xcl samples.
double enumerated_expected_cl(const std::vector<int>& location, std::size_t n_i) {
  const std::size_t k = location.size();
  std::vector<int> is_i(k, 0);
  std::fill(is_i.begin(), is_i.begin() + static_cast<std::ptrdiff_t>(n_i), 1);
  std::sort(is_i.begin(), is_i.end());
  double sum = 0, draws = 0;
  do {
    double same = 0;
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b)
        if (is_i[a] && !is_i[b] && location[a] == location[b]) ++same;
    sum += same / (static_cast<double>(n_i) * static_cast<double>(k - n_i)), ++draws;
  } while (std::next_permutation(is_i.begin(), is_i.end()));
  return sum / draws;
}

}  // namespace

// REAT's howard.cl on its documented example returns 0.555555555555556 (REAT 3.0 code run in
// R 4.x): A has 2 plants in X and 1 in Y, B the same; colocated cross pairs 2 * 2 + 1 * 1 = 5 of
// 3 * 3 = 9. Expected CL, Howard et al.'s permutation null, pooled m = (4, 2) over K = 6:
// (4 * 3 + 2 * 1) / (6 * 5) = 7/15; XCL = 5/9 - 7/15 = 4/45 = 0.08889. REAT's howard.xcl, a Monte
// Carlo mean of 50 permutations, gave 0.0904 +- 0.0025 (mean of 40 runs, set.seed(1)).
TEST(ColocationKernel, ReatHowardExample) {
  const co::Colocation c = co::colocation({2, 1}, {2, 1});
  EXPECT_DOUBLE_EQ(c.colocated, 5.0);
  EXPECT_NEAR(c.cl, 5.0 / 9, 1e-15);
  EXPECT_NEAR(c.expected, 7.0 / 15, 1e-15);
  EXPECT_NEAR(c.xcl, 4.0 / 45, 1e-15);
}

// The closed-form expectation against enumerating all C(K, N_i) relabellings of the plants
// (the REAT example: 20 of them; a three-location case with 8 plants: 56).
TEST(ColocationKernel, ExpectationEqualsEnumeratedPermutations) {
  EXPECT_NEAR(co::colocation({2, 1}, {2, 1}).expected,
              enumerated_expected_cl({0, 0, 0, 0, 1, 1}, 3), 1e-15);
  // i: 1 plant in L0, 2 in L2; j: 2 in L0, 1 in L1, 2 in L2.
  EXPECT_NEAR(co::colocation({1, 0, 2}, {2, 1, 2}).expected,
              enumerated_expected_cl({0, 2, 2, 0, 0, 1, 2, 2}, 3), 1e-15);
}

// Industries in disjoint locations: CL = 0; i (3 plants in L0) and j (2 in L1) pooled give
// m = (3, 2), E[CL] = (3 * 2 + 2 * 1) / (5 * 4) = 0.4, XCL = -0.4.
TEST(ColocationKernel, DisjointLocations) {
  const co::Colocation c = co::colocation({3, 0}, {0, 2});
  EXPECT_DOUBLE_EQ(c.cl, 0.0);
  EXPECT_NEAR(c.expected, 0.4, 1e-15);
  EXPECT_NEAR(c.xcl, -0.4, 1e-15);
}

// Gram matrix of counts [[1, 2], [0, 3], [4, 0]] (industries x locations), by hand:
// (0, 1) = 1 * 0 + 2 * 3 = 6, (0, 2) = 4, (1, 2) = 0, diagonal 5, 9, 16.
TEST(ColocationKernel, ColocatedPairsIsTheGramMatrix) {
  Eigen::MatrixXd n(3, 2);
  n << 1, 2, 0, 3, 4, 0;
  const Eigen::MatrixXd s = co::colocated_pairs(n);
  EXPECT_DOUBLE_EQ(s(0, 1), 6);
  EXPECT_DOUBLE_EQ(s(1, 0), 6);
  EXPECT_DOUBLE_EQ(s(0, 2), 4);
  EXPECT_DOUBLE_EQ(s(1, 2), 0);
  EXPECT_DOUBLE_EQ(s(0, 0), 5);
  EXPECT_DOUBLE_EQ(s(1, 1), 9);
  EXPECT_DOUBLE_EQ(s(2, 2), 16);
}

// REAT's documented example of litzenberger (from Farhauer & Kroell 2014): e_ij = 1743,
// e_i = 5740, a_j = 50, a = 576, p_j = 488, p = 4621, b_ij = 35, b_i = 53 -> 21.87491. Parts by
// hand: IDI = 34.86 / 9.965278 = 3.498146, IS = 3.571721 / 1.242156 = 2.875422, SBR = 49.8 /
// 108.3019 = 0.4598258.
TEST(ColocationKernel, ReatLitzenbergerExample) {
  const co::ClusterIndex x = co::litzenberger_sternberg(1743, 5740, 50, 576, 488, 4621, 35, 53);
  EXPECT_NEAR(x.ci, 21.87491, 5e-6);
  EXPECT_NEAR(x.density, 3.498146, 1e-6);
  EXPECT_NEAR(x.stock, 2.875422, 1e-6);
  EXPECT_NEAR(x.firm_size, 0.4598258, 1e-7);
  EXPECT_NEAR(x.ci, x.density * x.stock / x.firm_size, 1e-12);
  // No employment: IDI = IS = 0 and the reduced form gives CI = 0 (REAT's IDI * IS / SBR: 0/0).
  const co::ClusterIndex none = co::litzenberger_sternberg(0, 5740, 50, 576, 488, 4621, 2, 53);
  EXPECT_DOUBLE_EQ(none.ci, 0.0);
  EXPECT_DOUBLE_EQ(none.firm_size, 0.0);
}
