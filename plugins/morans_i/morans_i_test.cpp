#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "morans_i_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;

namespace {

std::string cell(int i) { return std::string("c").append(std::to_string(i)); }

// The 3x3 lattice, cells named c1..c9 row by row, y = 1..9.
Table lattice_values() {
  std::vector<std::string> r;
  std::vector<double> y;
  for (int i = 1; i <= 9; ++i) {
    r.push_back(cell(i));
    y.push_back(i);
  }
  return Table({Column::make_strings("region", r), Column::make_floats("value", y)});
}

// Rook contiguity (shared edge), binary weights w_ij = 1, both directions listed: S0 = 24.
Table rook_weights() {
  std::vector<std::string> from, to;
  std::vector<double> w;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      const int d[4][2] = {{0, 1}, {1, 0}, {0, -1}, {-1, 0}};
      for (const auto& step : d) {
        const int rr = r + step[0], cc = c + step[1];
        if (rr < 0 || rr > 2 || cc < 0 || cc > 2) continue;
        from.push_back(cell(r * 3 + c + 1));
        to.push_back(cell(rr * 3 + cc + 1));
        w.push_back(1);
      }
    }
  return Table({Column::make_strings("from", from), Column::make_strings("to", to),
                Column::make_floats("weight", w)});
}

std::map<std::string, Value> base() {
  return {{"input", std::string("y")}, {"weights", std::string("w")}};
}
std::map<std::string, Table> lattice() { return {{"y", lattice_values()}, {"w", rook_weights()}}; }

}  // namespace

// Issue 3's check (the classic rook-lattice example): y = 1..9 on a 3x3 lattice with binary,
// unstandardised rook weights (12 shared edges, each listed both ways, S0 = 24, S1 = 48, S2 = 272):
// I = 0.5, E[I] = -1/8, Var_N = 0.053125, Var_R = 0.0596875. By hand: sum over edges of z_i z_j
// = 40, sum z^2 = 60, so I = (9/24) * 80/60 = 0.5.
TEST(MoransI, RookLatticeBinaryWeights) {
  auto out = run_step(base(), lattice());
  const Table& m = out.at("step");
  ASSERT_EQ(m.rows(), 1u);
  EXPECT_NEAR(m.column("I").number(0), 0.5, 1e-12);
  EXPECT_NEAR(m.column("expected").number(0), -0.125, 1e-15);
  EXPECT_NEAR(m.column("variance_normal").number(0), 0.053125, 1e-12);
  EXPECT_NEAR(m.column("variance_random").number(0), 0.0596875, 1e-12);
  EXPECT_NEAR(m.column("z_normal").number(0), 0.625 / std::sqrt(0.053125), 1e-10);
  EXPECT_NEAR(m.column("z_random").number(0), 0.625 / std::sqrt(0.0596875), 1e-10);
  EXPECT_EQ(m.column("n").ints[0], 9);
}

// Same lattice with row-standardised weights (transform = "row", PySAL esda.Moran's default):
// computed with numpy from the PySAL/Cliff-Ord formulas quoted in the plugin description:
// I = 5/9, Var_N = 0.05721450617283948, Var_R = 0.06465663580246912.
TEST(MoransI, RookLatticeRowStandardisedCrossCheckedWithPySalFormulas) {
  auto p = base();
  p["transform"] = std::string("row");
  auto out = run_step(p, lattice());
  const Table& m = out.at("step");
  EXPECT_NEAR(m.column("I").number(0), 5.0 / 9.0, 1e-12);
  EXPECT_NEAR(m.column("variance_normal").number(0), 0.05721450617283948, 1e-12);
  EXPECT_NEAR(m.column("variance_random").number(0), 0.06465663580246912, 1e-12);
}

// Local Moran (Anselin 1995) on the lattice, scale n: corner c1 has z = -4 and neighbours with z
// -3 and -1, so I_1 = 9 * (-4) * (-4) / 60 = 2.4; the centre (z = 0) has I_5 = 0. Anselin's
// identity: sum_i I_i = S0 * I = 24 * 0.5 = 12.
TEST(MoransI, LocalMoranOnLattice) {
  auto p = base();
  p["local"] = true;
  p["permutations"] = std::int64_t{199};
  auto out = run_step(p, lattice());
  const Table& l = out.at("step_local");
  ASSERT_EQ(l.rows(), 9u);
  EXPECT_NEAR(value_at(l, "Ii", {{"region", "c1"}}), 2.4, 1e-12);
  EXPECT_NEAR(value_at(l, "Ii", {{"region", "c2"}}), 2.7, 1e-12);
  EXPECT_NEAR(value_at(l, "Ii", {{"region", "c5"}}), 0.0, 1e-12);
  double sum = 0;
  for (std::size_t r = 0; r < l.rows(); ++r) sum += l.column("Ii").number(r);
  EXPECT_NEAR(sum, 24 * 0.5, 1e-12);
  const Column& q = l.column("quadrant");
  EXPECT_EQ(q.to_text(0), "LL");  // c1: low value, low neighbours
  EXPECT_EQ(q.to_text(8), "HH");  // c9
  EXPECT_EQ(q.to_text(4), "LL");  // c5: z = 0 and lag = 0 both count as Low (PySAL's rule)
}

// Chain a - b - c - d with values 10, 0, 0, 0 (z = 7.5, -2.5, -2.5, -2.5): a is High among Low
// neighbours (HL), b is Low next to a (lag 7.5 - 2.5 = 5 > 0: LH), c and d are LL.
TEST(MoransI, QuadrantsOnAChain) {
  Table y({Column::make_strings("region", {"a", "b", "c", "d"}),
           Column::make_floats("value", {10, 0, 0, 0})});
  Table w({Column::make_strings("from", {"a", "b", "b", "c", "c", "d"}),
           Column::make_strings("to", {"b", "a", "c", "b", "d", "c"}),
           Column::make_floats("weight", {1, 1, 1, 1, 1, 1})});
  auto p = base();
  p["local"] = true;
  auto out = run_step(p, {{"y", y}, {"w", w}});
  const Column& q = out.at("step_local").column("quadrant");
  EXPECT_EQ(q.to_text(0), "HL");
  EXPECT_EQ(q.to_text(1), "LH");
  EXPECT_EQ(q.to_text(2), "LL");
  EXPECT_EQ(q.to_text(3), "LL");
}

// Local Moran, PySAL Moran_Local scale n - 1: I_1 = 8 * (-4) * (-4) / 60 (cf. LocalMoranOnLattice).
TEST(MoransI, LocalScalePySal) {
  auto p = base();
  p["local"] = true;
  p["local_scale"] = std::string("n_minus_1");
  p["permutations"] = std::int64_t{0};
  auto out = run_step(p, lattice());
  EXPECT_NEAR(value_at(out.at("step_local"), "Ii", {{"region", "c1"}}), 8 * 16.0 / 60, 1e-12);
  EXPECT_FALSE(out.at("step_local").column("p_permutation").is_valid(0));
}

// Exact permutation distribution: all 9! = 362880 arrangements of y on the lattice. Its variance
// is the randomisation variance (Cliff & Ord), and the seeded Monte Carlo p-value must be close to
// the exact tail probability (240 / 362880 arrangements give I >= 0.5, cross-checked with numpy).
TEST(MoransI, PermutationsAreSeededAndMatchExactPermutationDistribution) {
  const Table w = rook_weights();
  std::vector<std::pair<int, int>> edges;  // ordered pairs (i, j) with w_ij = 1, 0-based
  for (std::size_t r = 0; r < w.rows(); ++r)
    edges.emplace_back(std::stoi(w.column("from").to_text(r).substr(1)) - 1,
                       std::stoi(w.column("to").to_text(r).substr(1)) - 1);
  std::vector<int> perm{0, 1, 2, 3, 4, 5, 6, 7, 8};
  std::size_t total = 0, at_least = 0;
  double sum = 0, sum2 = 0;
  do {
    double cross = 0;
    for (const auto& [i, j] : edges)
      cross +=
          (perm[static_cast<std::size_t>(i)] - 4.0) * (perm[static_cast<std::size_t>(j)] - 4.0);
    const double I = 9.0 / 24.0 * cross / 60.0;
    ++total;
    if (I >= 0.5 - 1e-12) ++at_least;
    sum += I;
    sum2 += I * I;
  } while (std::next_permutation(perm.begin(), perm.end()));
  ASSERT_EQ(total, 362880u);
  EXPECT_EQ(at_least, 240u);
  const double mean = sum / 362880, var = sum2 / 362880 - mean * mean;
  EXPECT_NEAR(mean, -0.125, 1e-12);

  auto p = base();
  p["permutations"] = std::int64_t{9999};
  p["seed"] = std::int64_t{7};
  auto a = run_step(p, lattice());
  EXPECT_NEAR(a.at("step").column("variance_random").number(0), var, 1e-12);
  const double pa = a.at("step").column("p_permutation").number(0);
  EXPECT_EQ(pa,
            run_step(p, lattice()).at("step").column("p_permutation").number(0));  // reproducible
  const double exact = 240.0 / 362880.0, se = std::sqrt(exact * (1 - exact) / 9999);
  EXPECT_NEAR(pa, (exact * 9999 + 1) / 10000, 4 * se);
  EXPECT_GE(pa, 1.0 / 10000);
}

TEST(MoransI, IslandIsAnErrorUnlessAllowed) {
  // c10 has a value but no weights row with a neighbour: spatial_weights writes it with a missing
  // `to`.
  Table y({Column::make_strings("region", {"a", "b", "c", "d", "e"}),
           Column::make_floats("value", {1, 2, 3, 4, 5})});
  Table w({Column::make_strings("from", {"a", "b", "b", "c", "c", "d", "e"}),
           Column::make_strings("to", {"b", "a", "c", "b", "d", "c", ""}),
           Column::make_floats("weight", {1, 1, 1, 1, 1, 1, 0})});
  // an empty string is a value, not missing: "" is not a region
  EXPECT_THROW(run_step(base(), {{"y", y}, {"w", w}}), DataError);
  std::vector<std::int32_t> codes;
  auto dict = std::make_shared<klaster::sdk::Dictionary>();
  for (const char* s : {"b", "a", "c", "b", "d", "c"}) codes.push_back(dict->intern(s));
  codes.push_back(-1);
  Table w2({w.column("from"), Column::make_strings("to", dict, codes), w.column("weight")});
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(base(), {{"y", y}, {"w", w2}});
      }),
      "1 region(s) without neighbours: 'e'; give them neighbours (e.g. a wider distance band) "
      "or set allow_islands = true");
  auto p = base();
  p["allow_islands"] = true;
  auto out = run_step(p, {{"y", y}, {"w", w2}});
  EXPECT_EQ(out.at("step").column("n").ints[0], 5);
}

TEST(MoransI, BadInputNamesTheRegion) {
  Table w = rook_weights();
  Table y8 = lattice_values().take({0, 1, 2, 3, 4, 5, 6, 7});
  const std::string msg = error_message<DataError>([&] {
    run_step(base(), {{"y", y8}, {"w", w}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("region 'c9' of table 'w'"), std::string::npos) << msg;
  Table flat({Column::make_strings("region", {"a", "b", "c", "d"}),
              Column::make_floats("value", {2, 2, 2, 2})});
  Table w4({Column::make_strings("from", {"a", "b", "c", "d"}),
            Column::make_strings("to", {"b", "a", "d", "c"}),
            Column::make_floats("weight", {1, 1, 1, 1})});
  EXPECT_THROW(run_step(base(), {{"y", flat}, {"w", w4}}), DataError);
  Table three = lattice_values().take({0, 1, 2});
  EXPECT_THROW(run_step(base(), {{"y", three}, {"w", w4}}), DataError);
  Table neg({Column::make_strings("from", {"a", "b", "c", "d"}),
             Column::make_strings("to", {"b", "a", "d", "c"}),
             Column::make_floats("weight", {1, -1, 1, 1})});
  Table y4({Column::make_strings("region", {"a", "b", "c", "d"}),
            Column::make_floats("value", {1, 2, 3, 5})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(base(), {{"y", y4}, {"w", neg}});
            }),
            "table 'w': negative weight -1 from 'b' to 'a'");
}

TEST(MoransI, MissingValueDropsRegionAndItsWeights) {
  Table y({Column::make_strings("region", {"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"}),
           Column::make_floats("value", {1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 1, 1, 0, 1, 1, 1, 1})});
  EXPECT_THROW(run_step(base(), {{"y", y}, {"w", rook_weights()}}), DataError);
  auto p = base();
  p["missing"] = std::string("drop");
  auto out = run_step(p, {{"y", y}, {"w", rook_weights()}});
  EXPECT_EQ(out.at("step").column("n").ints[0], 8);
}

// The kernel on plain values.
namespace {

namespace mi = klaster::plugins::morans_i;

// The rook lattice of rook_weights() as adjacency lists over positions 0..8.
mi::Neighbours rook_neighbours() {
  mi::Neighbours nb(9);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      for (const auto& [dr, dc] : {std::pair{0, 1}, {1, 0}, {0, -1}, {-1, 0}})
        if (r + dr >= 0 && r + dr <= 2 && c + dc >= 0 && c + dc <= 2)
          nb[static_cast<std::size_t>(r * 3 + c)].push_back(
              {static_cast<std::size_t>((r + dr) * 3 + c + dc), 1.0});
  return nb;
}

}  // namespace

// Cliff & Ord (1981) sums by hand (README worked example): 24 ordered rook pairs, so S0 = 24 and
// S1 = 1/2 * 24 * 2^2 = 48; S2 = sum_i (2 k_i)^2 over 4 corners (k = 2), 4 edges (3), 1 centre
// (4) = 4*16 + 4*36 + 64 = 272. With y = 1..9: I = 0.5, E = -1/8, Var_N = 0.053125,
// Var_R = 0.0596875 (the README's hand computation from the Cliff-Ord formulas).
TEST(MoransIKernel, RookLatticeMomentsByHand) {
  const mi::Neighbours nb = rook_neighbours();
  const mi::WeightSums s = mi::weight_sums(nb);
  EXPECT_DOUBLE_EQ(s.s0, 24);
  EXPECT_DOUBLE_EQ(s.s1, 48);
  EXPECT_DOUBLE_EQ(s.s2, 272);
  const mi::Deviations dev = mi::deviations({1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_DOUBLE_EQ(dev.m2, 60);   // 2 * (16 + 9 + 4 + 1)
  EXPECT_DOUBLE_EQ(dev.m4, 708);  // 2 * (256 + 81 + 16 + 1)
  const mi::GlobalMoran m = mi::global_moran(nb, dev);
  EXPECT_NEAR(m.i, 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(m.expected, -0.125);
  EXPECT_NEAR(m.variance_normal, 0.053125, 1e-15);
  EXPECT_NEAR(m.variance_random, 0.0596875, 1e-15);
  ASSERT_TRUE(m.z_normal.has_value());
  EXPECT_NEAR(*m.z_normal, 0.625 / std::sqrt(0.053125), 1e-12);
}

// Anselin (1995)'s local Moran by hand on the chain a - b - c - d with y = 10, 0, 0, 0: z = 7.5,
// -2.5, -2.5, -2.5, sum z^2 = 75, lags -2.5, 5, -5, -2.5, so with c = n = 4: Ii = 4 z_i lag_i / 75
// = -1, -2/3, 2/3, 1/3, quadrants HL, LH, LL, LL. Their sum -2/3 is S0 * I = 6 * (-1/9).
TEST(MoransIKernel, LocalMoranOnAChainByHand) {
  mi::Neighbours nb{{{1, 1.0}}, {{0, 1.0}, {2, 1.0}}, {{1, 1.0}, {3, 1.0}}, {{2, 1.0}}};
  const mi::Deviations dev = mi::deviations({10, 0, 0, 0});
  const mi::LocalMoran local = mi::local_moran(nb, dev, 4);
  EXPECT_EQ(local.lag, (std::vector<double>{-2.5, 5, -5, -2.5}));
  EXPECT_DOUBLE_EQ(local.ii[0], -1.0);
  EXPECT_DOUBLE_EQ(local.ii[1], -2.0 / 3);
  EXPECT_DOUBLE_EQ(local.ii[2], 2.0 / 3);
  EXPECT_DOUBLE_EQ(local.ii[3], 1.0 / 3);
  EXPECT_EQ(local.quadrant, (std::vector<std::string>{"HL", "LH", "LL", "LL"}));
  EXPECT_NEAR(mi::global_moran(nb, dev).i, -1.0 / 9, 1e-15);
  // Row standardisation (PySAL "r"): b's two weights become 1/2 each.
  mi::row_standardize(nb);
  EXPECT_DOUBLE_EQ(nb[1][0].w, 0.5);
  EXPECT_DOUBLE_EQ(nb[0][0].w, 1.0);
}

// p = (m + 1) / (permutations + 1) (Hope 1968; PySAL p_sim, spdep moran.mc): of 9 permutations
// 3 are >= the observed and 7 <= it: folded min(3, 6) -> 4/10, greater 4/10, less 8/10.
TEST(MoransIKernel, PseudoPValues) {
  EXPECT_DOUBLE_EQ(mi::pseudo_p(3, 7, 9, mi::Alternative::kFolded), 0.4);
  EXPECT_DOUBLE_EQ(mi::pseudo_p(3, 7, 9, mi::Alternative::kGreater), 0.4);
  EXPECT_DOUBLE_EQ(mi::pseudo_p(3, 7, 9, mi::Alternative::kLess), 0.8);
  EXPECT_DOUBLE_EQ(mi::pseudo_p(8, 2, 9, mi::Alternative::kFolded), 0.2);  // min(8, 1) = 1
}
