#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "complexity_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;

namespace {

// A 5 x 5 region x industry table (rows r1..r5, columns i1..i5):
//   r1: 30 20 10 25 15      r2: 25 30  5  0 10      r3: 40  5  0 20  0
//   r4: 10 25 20 30 40      r5: 50  0 15 10  5
// Its presence matrix (RCA >= 1) is
//   r1: 0 1 0 1 0   r2: 1 1 0 0 0   r3: 1 0 0 1 0   r4: 0 1 1 1 1   r5: 1 0 1 0 0
// a connected network with distinct eigenvalues (1, 0.4072, 0.3333, 0.1667, 0.0512).
const double kX[5][5] = {{30, 20, 10, 25, 15},
                         {25, 30, 5, 0, 10},
                         {40, 5, 0, 20, 0},
                         {10, 25, 20, 30, 40},
                         {50, 0, 15, 10, 5}};

std::string label(const char* prefix, int k) {
  return std::string(prefix).append(std::to_string(k + 1));
}

Table example() {
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 5; ++b) {
      if (kX[a][b] == 0) continue;  // absent cells are zero
      r.push_back(label("r", a));
      i.push_back(label("i", b));
      v.push_back(kX[a][b]);
    }
  return klaster::sdk::testkit::long_table(r, i, v);
}

std::map<std::string, Value> base() { return {{"input", std::string("t")}}; }

}  // namespace

// Expected numbers were computed with numpy following py-ecomplexity's calc_eci_pci (np.linalg.eig
// of Mpp = U^-1 M' D^-1 M, second-largest eigenvalue, kc = D^-1 M kp, sign by corr(kc, diversity),
// z-scores with np.std) and Hidalgo et al. (2007)'s proximity and density; the definitions are
// Hidalgo & Hausmann (2009) and Hausmann et al. (2014), Technical Box 2.1.
TEST(Complexity, HandCheckableMatrixCrossCheckedWithNumpy) {
  auto out = run_step(base(), {{"t", example()}});
  const Table& reg = out.at("step");
  const double eci[5] = {1.27957422597351, -0.39774925601015165, -0.3977492560101517,
                         0.9681514279064234, -1.4522271418596298};
  const double diversity[5] = {2, 2, 2, 4, 2};
  for (int a = 0; a < 5; ++a) {
    EXPECT_NEAR(value_at(reg, "eci", {{"region", label("r", a)}}), eci[a], 1e-10) << a;
    EXPECT_EQ(value_at(reg, "diversity", {{"region", label("r", a)}}), diversity[a]) << a;
  }
  const Table& ind = out.at("step_industries");
  const double pci_own[5] = {-1.5576891307092238, 0.5886763801242538, -0.7606727409214186,
                             0.5886763801242537, 1.1410091113821348};
  const double ubiquity[5] = {3, 3, 2, 3, 1};
  for (int b = 0; b < 5; ++b) {
    EXPECT_NEAR(value_at(ind, "pci", {{"industry", label("i", b)}}), pci_own[b], 1e-10) << b;
    EXPECT_EQ(value_at(ind, "ubiquity", {{"industry", label("i", b)}}), ubiquity[b]) << b;
  }
  const Table& cells = out.at("step_cells");
  EXPECT_EQ(cells.rows(), 25u);
  // RCA of r1 in i1: (30 / 100) / (155 / 440) = 0.8516129..., r2 in i2: (30/70) / (80/440)
  EXPECT_NEAR(value_at(cells, "rca", {{"region", "r1"}, {"industry", "i1"}}), 0.8516129032258064,
              1e-14);
  EXPECT_NEAR(value_at(cells, "rca", {{"region", "r2"}, {"industry", "i2"}}), 2.3571428571428568,
              1e-14);
  EXPECT_EQ(value_at(cells, "present", {{"region", "r2"}, {"industry", "i4"}}), 0);
  EXPECT_EQ(value_at(cells, "rca", {{"region", "r2"}, {"industry", "i4"}}), 0);
  // density of r1 in i1: (phi_12 + phi_14) / sum_j phi_1j = (1/3 + 1/3) / (1 + 1/3 + 1/3 + 1/3 + 0)
  EXPECT_NEAR(value_at(cells, "density", {{"region", "r1"}, {"industry", "i1"}}), 1.0 / 3.0, 1e-14);
  EXPECT_NEAR(value_at(cells, "density", {{"region", "r5"}, {"industry", "i3"}}),
              0.5333333333333333, 1e-14);
  EXPECT_NEAR(value_at(cells, "density", {{"region", "r2"}, {"industry", "i5"}}),
              0.15384615384615385, 1e-14);
}

// py-ecomplexity (and the Stata package) standardise PCI with ECI's mean and sd.
TEST(Complexity, PciScaledByEciAsPyEcomplexity) {
  auto p = base();
  p["pci_scale"] = std::string("eci");
  auto out = run_step(p, {{"t", example()}});
  const double pci_eci[5] = {-2.075072737993813, 1.27957422597351, -0.8293815457254464,
                             1.2795742259735097, 2.1428388054041205};
  for (int b = 0; b < 5; ++b)
    EXPECT_NEAR(value_at(out.at("step_industries"), "pci", {{"industry", label("i", b)}}),
                pci_eci[b], 1e-10)
        << b;
  // Reflection identity (Hidalgo & Hausmann 2009): with a common scale, a region's ECI is the mean
  // PCI of the industries it is present in.
  for (int a = 0; a < 5; ++a) {
    double s = 0, k = 0;
    for (int b = 0; b < 5; ++b)
      if (value_at(out.at("step_cells"), "present",
                   {{"region", label("r", a)}, {"industry", label("i", b)}}) == 1) {
        s += pci_eci[b];
        k += 1;
      }
    EXPECT_NEAR(value_at(out.at("step"), "eci", {{"region", label("r", a)}}), s / k, 1e-10) << a;
  }
}

TEST(Complexity, PropertiesOfEciAndDensity) {
  auto out = run_step(base(), {{"t", example()}});
  const Table& reg = out.at("step");
  double m = 0, s2 = 0, cov = 0, md = 0;
  for (std::size_t r = 0; r < reg.rows(); ++r) {
    m += reg.column("eci").number(r);
    md += reg.column("diversity").number(r);
  }
  m /= 5;
  md /= 5;
  for (std::size_t r = 0; r < reg.rows(); ++r) {
    const double e = reg.column("eci").number(r) - m;
    s2 += e * e;
    cov += e * (reg.column("diversity").number(r) - md);
  }
  EXPECT_NEAR(m, 0, 1e-12);
  EXPECT_NEAR(s2 / 5, 1, 1e-12);  // population sd 1
  EXPECT_GT(cov, 0);              // sign: ECI rises with diversity
  const Table& cells = out.at("step_cells");
  for (std::size_t r = 0; r < cells.rows(); ++r) {
    EXPECT_GE(cells.column("density").number(r), 0);
    EXPECT_LE(cells.column("density").number(r), 1 + 1e-12);
  }
}

TEST(Complexity, ProximityIsMinimumConditionalProbability) {
  auto p = base();
  p["proximity"] = true;
  auto out = run_step(p, {{"t", example()}});
  const Table& prox = out.at("step_proximity");
  EXPECT_EQ(prox.rows(), 25u);
  // i2 and i4 are both present in r1 and r4; ubiquity 3 and 3: phi = 2/3
  EXPECT_NEAR(value_at(prox, "proximity", {{"from", "i2"}, {"to", "i4"}}), 2.0 / 3.0, 1e-15);
  // i3 (r4, r5) and i5 (r4): P(i3 | i5) = 1, P(i5 | i3) = 1/2 -> 1/2
  EXPECT_NEAR(value_at(prox, "proximity", {{"from", "i3"}, {"to", "i5"}}), 0.5, 1e-15);
  EXPECT_NEAR(value_at(prox, "proximity", {{"from", "i1"}, {"to", "i1"}}), 1.0, 1e-15);
  EXPECT_EQ(value_at(prox, "proximity", {{"from", "i1"}, {"to", "i5"}}), 0.0);
}

TEST(Complexity, DensityWithoutDiagonal) {
  auto p = base();
  p["density_diagonal"] = false;
  auto out = run_step(p, {{"t", example()}});
  // r1 in i1 without phi_11: (1/3 + 1/3) / (1/3 + 1/3 + 1/3) = 2/3
  EXPECT_NEAR(value_at(out.at("step_cells"), "density", {{"region", "r1"}, {"industry", "i1"}}),
              2.0 / 3.0, 1e-14);
}

// ECIs of r1 and r5 as in HandCheckableMatrixCrossCheckedWithNumpy (numpy, py-ecomplexity).
TEST(Complexity, PerYear) {
  Table t = example();
  // two identical years: identical results per year
  std::vector<std::string> r, i;
  std::vector<double> v;
  std::vector<std::int64_t> y;
  for (int year : {2024, 2025})
    for (std::size_t k = 0; k < t.rows(); ++k) {
      r.emplace_back(t.column("region").str(k));
      i.emplace_back(t.column("industry").str(k));
      v.push_back(t.column("value").number(k));
      y.push_back(year);
    }
  Table ty({Column::make_ints("year", y), Column::make_strings("region", r),
            Column::make_strings("industry", i), Column::make_floats("value", v)});
  auto out = run_step(base(), {{"t", ty}});
  EXPECT_EQ(out.at("step").rows(), 10u);
  EXPECT_NEAR(value_at(out.at("step"), "eci", {{"year", "2025"}, {"region", "r1"}}),
              1.27957422597351, 1e-10);
  EXPECT_NEAR(value_at(out.at("step"), "eci", {{"year", "2024"}, {"region", "r5"}}),
              -1.4522271418596298, 1e-10);
}

TEST(Complexity, BadInputNamesRegionOrIndustry) {
  Table neg({Column::make_strings("region", {"a", "a", "b", "b"}),
             Column::make_strings("industry", {"x", "y", "x", "y"}),
             Column::make_floats("value", {1, 2, -3, 4})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(base(), {{"t", neg}});
            }),
            "negative value -3 in column 'value' at region 'b', industry 'x'");
  Table zero({Column::make_strings("region", {"a", "a", "b", "b"}),
              Column::make_strings("industry", {"x", "y", "x", "y"}),
              Column::make_floats("value", {1, 0, 3, 0})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(base(), {{"t", zero}});
            }),
            "industry 'y' has a zero total of 'value' in all rows: its RCAs are undefined");
  Table one({Column::make_strings("region", {"a", "a"}),
             Column::make_strings("industry", {"x", "y"}), Column::make_floats("value", {1, 2})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(base(), {{"t", one}});
            }),
            "complexity needs at least two regions, but only region 'a' has data");
  Table missing({Column::make_strings("region", {"a", "a", "b", "b"}),
                 Column::make_strings("industry", {"x", "y", "x", "y"}),
                 Column::make_floats("value", {1, 2, 3, 4}, {1, 1, 0, 1})});
  EXPECT_THROW(run_step(base(), {{"t", missing}}), DataError);
}

// Integer industry keys stay ints in the proximity table's `from` and `to` (the spec declares
// them as strings; bind retypes them to the key's type).
TEST(Complexity, IntIndustryKeysStayIntsInProximity) {
  Table t = example();
  std::vector<std::int64_t> codes;
  for (std::size_t k = 0; k < t.rows(); ++k)
    codes.push_back(std::stoll(std::string(t.column("industry").str(k).substr(1))));
  Table ti({t.column("region"), Column::make_ints("industry", codes), t.column("value")});
  auto p = base();
  p["proximity"] = true;
  const Table prox = run_step(p, {{"t", ti}}).at("step_proximity");
  EXPECT_EQ(prox.column("from").type, ColumnType::kInt);
  EXPECT_EQ(prox.column("to").type, ColumnType::kInt);
  // as ProximityIsMinimumConditionalProbability: phi(i3, i5) = 1/2
  EXPECT_NEAR(value_at(prox, "proximity", {{"from", "3"}, {"to", "5"}}), 0.5, 1e-15);
}

// The kernel on plain values.
namespace cx = klaster::plugins::complexity;

// Balassa (1965) by hand: x = [[30, 20], [10, 40]], totals 50, 50 (regions), 40, 60 (industries),
// 100: RCA = (30/50)/(40/100) = 1.5, (20/50)/(60/100) = 2/3, (10/50)/0.4 = 0.5, (40/50)/0.6 = 4/3;
// presence is the diagonal, diversity and ubiquity 1 each.
TEST(ComplexityKernel, BalassaRcaByHand) {
  const std::vector<double> x{30, 20, 10, 40};
  const cx::Totals t = cx::totals_of(x, 2, 2);
  EXPECT_EQ(t.region, (std::vector<double>{50, 50}));
  EXPECT_EQ(t.industry, (std::vector<double>{40, 60}));
  EXPECT_EQ(t.all, 100);
  const cx::Presence p = cx::presence_of(x, t, 1.0);
  EXPECT_DOUBLE_EQ(p.rca[0], 1.5);
  EXPECT_DOUBLE_EQ(p.rca[1], 2.0 / 3);
  EXPECT_DOUBLE_EQ(p.rca[2], 0.5);
  EXPECT_DOUBLE_EQ(p.rca[3], 4.0 / 3);
  EXPECT_EQ(p.present, (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(p.diversity, (std::vector<double>{1, 1}));
}

// threshold = 0 (issue 10: it used to mark every cell present, since RCA >= 0 always): x = [[30,
// 0], [10, 40]] has RCA 0 for the empty cell, which is not present; the other three are.
TEST(ComplexityKernel, ZeroThresholdMarksOnlyCellsWithActivity) {
  const std::vector<double> x{30, 0, 10, 40};
  const cx::Presence p = cx::presence_of(x, cx::totals_of(x, 2, 2), 0.0);
  EXPECT_EQ(p.present, (std::vector<double>{1, 0, 1, 1}));
  EXPECT_EQ(p.diversity, (std::vector<double>{1, 2}));
  EXPECT_EQ(p.ubiquity, (std::vector<double>{2, 1}));
}

// Two regions, M = [[1, 1, 1], [0, 1, 0]]: D = diag(3, 1), U = diag(1, 2, 1) and
// M~ = D^-1 M U^-1 M' = [[5/6, 1/6], [1/2, 1/2]], eigenvalues 1 and 1/3 (trace 4/3); the
// eigenvector of 1/3 is (1, -3), signed to rise with diversity (Hausmann et al. 2014, Box 2.1).
// PCI_raw = U^-1 M' (1, -3) / (1/3) = (3, -3, 3). z-scores (ddof 0): eci = (1, -1); pci on its own
// scale = (2, -4, 2) / (2 sqrt 2) = (1/sqrt 2, -sqrt 2, 1/sqrt 2); on ECI's scale (mean -1, sd 2)
// = (2, -1, 2), so that a region's eci is the mean pci of its industries (reflection identity).
TEST(ComplexityKernel, TwoRegionEigenvectorByHand) {
  Eigen::MatrixXd m(2, 3);
  m << 1, 1, 1, 0, 1, 0;
  const auto raw = cx::raw_complexity(m);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->spectrum, cx::Spectrum::kDistinct);
  EXPECT_NEAR(raw->eci[1] / raw->eci[0], -3.0, 1e-12);
  const auto own = cx::standardise(*raw, true);
  ASSERT_TRUE(own.has_value());
  EXPECT_NEAR(own->eci[0], 1.0, 1e-12);
  EXPECT_NEAR(own->eci[1], -1.0, 1e-12);
  EXPECT_NEAR(own->pci[0], 1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(own->pci[1], -std::sqrt(2.0), 1e-12);
  const auto eci_scale = cx::standardise(*raw, false);
  EXPECT_NEAR(eci_scale->pci[0], 2.0, 1e-12);
  EXPECT_NEAR(eci_scale->pci[1], -1.0, 1e-12);
  EXPECT_NEAR(eci_scale->pci[2], 2.0, 1e-12);
}

// Two regions with nothing in common: M~ is the identity, eigenvalue 1 twice.
TEST(ComplexityKernel, DisconnectedNetworkIsReported) {
  Eigen::MatrixXd m(2, 2);
  m << 1, 0, 0, 1;
  EXPECT_EQ(cx::raw_complexity(m)->spectrum, cx::Spectrum::kDisconnected);
}

// Hidalgo et al. (2007) on the presence matrix of the 5 x 5 example (see kX): i2 and i4 are both
// present in r1 and r4, ubiquity 3 each: phi = 2/3; i3 (r4, r5) and i5 (r4): 1/2. Density of r1
// in i1 = (phi_12 + phi_14) / sum_j phi_1j = (1/3 + 1/3) / (1 + 1/3 + 1/3 + 1/3 + 0) = 1/3, and
// 2/3 without the diagonal.
TEST(ComplexityKernel, ProximityAndDensityByHand) {
  cx::Presence p;
  p.present = {0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0};
  p.diversity = {2, 2, 2, 4, 2};
  p.ubiquity = {3, 3, 2, 3, 1};
  const std::vector<double> phi = cx::proximity_of(p);
  EXPECT_DOUBLE_EQ(phi[1 * 5 + 3], 2.0 / 3);
  EXPECT_DOUBLE_EQ(phi[2 * 5 + 4], 0.5);
  EXPECT_DOUBLE_EQ(phi[0], 1.0);
  EXPECT_DOUBLE_EQ(phi[0 * 5 + 4], 0.0);
  EXPECT_NEAR(cx::density_of(p, phi, true)[0], 1.0 / 3, 1e-15);
  EXPECT_NEAR(cx::density_of(p, phi, false)[0], 2.0 / 3, 1e-15);
}

// ---- issue 10: variants ----

namespace {

// The presence matrix of the 5 x 5 example (kX, RCA >= 1), row-major.
const std::vector<double> kM5 = {0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0,
                                 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0};

cx::Presence presence5() {
  cx::Presence p;
  p.present = kM5;
  p.diversity = {2, 2, 2, 4, 2};
  p.ubiquity = {3, 3, 2, 3, 1};
  return p;
}

Eigen::MatrixXd matrix_of(const std::vector<double>& v, int rows, int cols) {
  Eigen::MatrixXd m(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m(r, c) = v[static_cast<std::size_t>(r * cols + c)];
  return m;
}

// The network of Hidalgo & Hausmann (2009), SI Fig. S4 (also EconGeo's kci()/morc() example):
// C1 makes P1..P4, C2 makes P2, C3 makes P3 and P4, C4 makes P4.
const std::vector<double> kS4 = {1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1};

std::vector<double> zscores(const std::vector<double>& v) {
  double m = 0, s = 0;
  for (const double x : v) m += x / static_cast<double>(v.size());
  for (const double x : v) s += (x - m) * (x - m) / static_cast<double>(v.size());
  std::vector<double> z;
  for (const double x : v) z.push_back((x - m) / std::sqrt(s));
  return z;
}

// The 0/1 presence of the 5 x 5 example as a long table (every cell, zeros included).
Table presence_table() {
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (int a = 0; a < 5; ++a)
    for (int b = 0; b < 5; ++b) {
      r.push_back(label("r", a));
      i.push_back(label("i", b));
      v.push_back(kM5[static_cast<std::size_t>(a * 5 + b)]);
    }
  return klaster::sdk::testkit::long_table(r, i, v);
}

}  // namespace

// Method of reflections by hand on the Fig. S4 network (Hidalgo & Hausmann 2009, eqs. 1-2):
// k_c,0 = (4, 1, 2, 1), k_p,0 = (1, 2, 2, 3); k_p,1 = mean diversity of the makers = (4, 5/2, 3,
// 7/3); k_c,2 = mean of k_p,1 over a country's products = (71/24, 5/2, 8/3, 7/3). With N = 2 the
// kernel returns eci ~ k_c,2 and pci ~ k_p,1 up to one common affine map, so their z-scores are
// those of the hand vectors.
TEST(ComplexityKernel, ReflectionsByHandOnHidalgoHausmannFigS4) {
  const cx::RawComplexity raw = cx::reflections(matrix_of(kS4, 4, 4), 2);
  const auto eci = zscores(raw.eci), pci = zscores(raw.pci);
  const auto eci_hand = zscores({71.0 / 24, 2.5, 8.0 / 3, 7.0 / 3});
  const auto pci_hand = zscores({4, 2.5, 3, 7.0 / 3});
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(eci[k], eci_hand[k], 1e-12) << k;
    EXPECT_NEAR(pci[k], pci_hand[k], 1e-12) << k;
  }
  // reflection identity on the returned pair: eci_c = mean pci over c's products (C3: P3, P4)
  EXPECT_NEAR(raw.eci[2], (raw.pci[2] + raw.pci[3]) / 2, 1e-12);
}

// As N grows the reflections converge to the eigenvector (Hausmann et al. 2014, Box 2.1): the
// error shrinks like (lambda_3 / lambda_2)^(N/2) = (0.3333 / 0.4072)^(N/2), 2e-9 at N = 200. The
// expected values are the numpy eigenvector ECIs of HandCheckableMatrixCrossCheckedWithNumpy.
TEST(ComplexityKernel, ReflectionsConvergeToTheEigenvector) {
  const auto raw = cx::reflections(matrix_of(kM5, 5, 5), 200);
  const auto z = cx::standardise(raw, true);
  ASSERT_TRUE(z.has_value());
  const double eci[5] = {1.27957422597351, -0.39774925601015165, -0.3977492560101517,
                         0.9681514279064234, -1.4522271418596298};
  for (int a = 0; a < 5; ++a) EXPECT_NEAR(z->eci[a], eci[a], 1e-7) << a;
}

// EconGeo kci()/tci()/morc()/mort() restated in base R 4 from the package's R sources
// (PABalland/EconGeo R/KCI.r, TCI.r, MORc.r, MORt.r; without its round(CC, 4)): eigen() of the
// row-stochastic CC = (M / rowSums) (M' / colSums), v / sum(v), signs as documented there; morc at
// 20 and mort at 19 steps min-max scaled to 0..100. Script and output: see README, "Verification".
TEST(ComplexityKernel, EconGeoScalesAsRestatedInR) {
  const Eigen::MatrixXd m = matrix_of(kM5, 5, 5);
  const auto e = cx::econgeo_eigen_scale(*cx::raw_complexity(m), m);
  ASSERT_TRUE(e.has_value());
  const double kci[5] = {1.386000936329383, -0.6930004681646902, -0.6930004681646899,
                         0.9999999999999997, -2.000000000000003};
  const double tci[5] = {-2.257333957552939, 1.12866697877647, -1.00000000000001, 1.12866697877647,
                         2.000000000000009};
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(e->eci[k], kci[k], 1e-9) << k;
    EXPECT_NEAR(e->pci[k], tci[k], 1e-9) << k;
  }
  const auto r = cx::econgeo_reflection_scale(cx::reflections(m, 20));
  const double morc[5] = {99.52201786949377, 30.22197115380422, 30.22197115380422, 100, 0};
  const double mort[5] = {0, 68.97038062111875, 38.89217790137394, 68.97038062111875, 100};
  for (int k = 0; k < 5; ++k) {
    EXPECT_NEAR(r->eci[k], morc[k], 1e-8) << k;
    EXPECT_NEAR(r->pci[k], mort[k], 1e-8) << k;
  }
  // Fig. S4 network, same R script: kci = (0.5389, 6.3946, -2.6166, -3.3169) (sum(v) is small
  // here, which inflates the values: EconGeo's normalisation, reproduced as is)
  const Eigen::MatrixXd s4 = matrix_of(kS4, 4, 4);
  const auto e4 = cx::econgeo_eigen_scale(*cx::raw_complexity(s4), s4);
  const double kci4[4] = {0.5388591524144982, 6.394631659050503, -2.616577457243502,
                          -3.316913354221499};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(e4->eci[k], kci4[k], 1e-8) << k;
}

// Spearman with ties (average ranks, as R's cor(method = "spearman")): ranks of (1, 2, 2, 3) are
// (1, 2.5, 2.5, 4); against (4, 3, 2, 1) the Pearson correlation of the ranks is -0.9486833
// (= -3 / sqrt(10), by hand: centred ranks (-1.5, 0, 0, 1.5) and (1.5, 0.5, -0.5, -1.5)).
TEST(ComplexityKernel, SpearmanWithTiesByHand) {
  EXPECT_NEAR(cx::spearman({1, 2, 2, 3}, {4, 3, 2, 1}), -3 / std::sqrt(10.0), 1e-14);
}

// Co-occurrences of the 5 x 5 presence (off the diagonal): C_12 = C_13 = C_14 = 1, C_23 = 1,
// C_24 = 2 (r1, r4), C_25 = C_34 = C_35 = C_45 = 1, C_15 = 0. Row sums s = (3, 5, 4, 5, 3), T = 20.
// EconGeo relatedness() / van Eck & Waltman (2009): cosine(2, 4) = 2 / sqrt(5 * 5) = 0.4,
// association(2, 4) = 2 * 20 / 25 = 1.6, Jaccard(2, 4) = 2 / (5 + 5 - 2) = 0.25,
// Jaccard(3, 5) = 1 / (4 + 3 - 1) = 1/6, association(3, 5) = 20 / 12; diagonal 0.
TEST(ComplexityKernel, ProximityMethodsByHand) {
  const cx::Presence p = presence5();
  const auto cos = cx::proximity_of(p, cx::ProximityMethod::kCosine);
  const auto as = cx::proximity_of(p, cx::ProximityMethod::kAssociation);
  const auto ja = cx::proximity_of(p, cx::ProximityMethod::kJaccard);
  EXPECT_DOUBLE_EQ(cos[1 * 5 + 3], 0.4);
  EXPECT_DOUBLE_EQ(as[1 * 5 + 3], 1.6);
  EXPECT_DOUBLE_EQ(ja[1 * 5 + 3], 0.25);
  EXPECT_DOUBLE_EQ(ja[2 * 5 + 4], 1.0 / 6);
  EXPECT_DOUBLE_EQ(as[2 * 5 + 4], 20.0 / 12);
  EXPECT_DOUBLE_EQ(cos[0 * 5 + 4], 0.0);
  EXPECT_DOUBLE_EQ(cos[3 * 5 + 1], cos[1 * 5 + 3]);  // symmetric
  for (int k = 0; k < 5; ++k) EXPECT_EQ(ja[k * 5 + k], 0.0);
  // the default stays Hidalgo et al. (2007)
  EXPECT_EQ(cx::proximity_of(p, cx::ProximityMethod::kMinConditional), cx::proximity_of(p));
}

// knn density (py-ecomplexity calc_density(knn = k)) by hand on the min-conditional phi of the
// 5 x 5 presence. Row i3: phi = (1/3, 1/3, -, 1/3, 1/2): its nearest is i5, so with k = 1 the
// density of r in i3 is M_r5 (1 for r4, else 0). Row i5: phi = (0, 1/3, 1/2, 1/3, -): k = 3 takes
// i3, i2, i4; r1 has i2 and i4: (1/3 + 1/3) / (1/2 + 1/3 + 1/3) = 4/7.
TEST(ComplexityKernel, KnnDensityByHand) {
  const cx::Presence p = presence5();
  const auto phi = cx::proximity_of(p);
  const auto d1 = cx::knn_density_of(p, phi, 1);
  for (int r = 0; r < 5; ++r) EXPECT_DOUBLE_EQ(d1[r * 5 + 2], r == 3 ? 1.0 : 0.0) << r;
  const auto d3 = cx::knn_density_of(p, phi, 3);
  EXPECT_NEAR(d3[0 * 5 + 4], 4.0 / 7, 1e-15);
  // k = I - 1: every other industry, i.e. the weighted density without the diagonal
  const auto all = cx::knn_density_of(p, phi, 4), nodiag = cx::density_of(p, phi, false);
  for (std::size_t k = 0; k < all.size(); ++k) EXPECT_NEAR(all[k], nodiag[k], 1e-15) << k;
}

// COI and COG (Hausmann et al. 2014, Atlas; py-ecomplexity / Stata ecomplexity) by hand for r1
// of the 5 x 5 example, with its PCI (own scale, HandCheckableMatrixCrossCheckedWithNumpy). r1
// lacks i1, i3, i5 with densities 1/3, 4/15 (= (1/3 + 1/3) / 2.5), 4/13 (= (2/3) / (13/6)), so
// COI_r1 = pci_1 / 3 + 4/15 pci_3 + 4/13 pci_5. Proximity row sums n = (2, 8/3, 5/2, 8/3, 13/6);
// COG_r1,i1 = (phi_11 / n_1) pci_1 + (phi_13 / n_3) pci_3 + (phi_15 / n_5) pci_5
// = pci_1 / 2 + (1/3) / 2.5 pci_3 + 0. Both agree with numpy on py-ecomplexity's formulas
// (coi -0.3709960479, cog -0.8802675975); present cells have COG 0.
TEST(ComplexityKernel, ComplexityOutlookByHand) {
  const cx::Presence p = presence5();
  const auto phi = cx::proximity_of(p);
  const auto d = cx::density_of(p, phi, true);
  const std::vector<double> pci{-1.5576891307092238, 0.5886763801242538, -0.7606727409214186,
                                0.5886763801242537, 1.1410091113821348};
  const cx::Outlook o = cx::outlook_of(p, d, phi, pci, true);
  EXPECT_NEAR(o.coi[0], pci[0] / 3 + 4.0 / 15 * pci[2] + 4.0 / 13 * pci[4], 1e-14);
  EXPECT_NEAR(o.coi[0], -0.37099604790300106, 1e-12);
  EXPECT_NEAR(o.cog[0], pci[0] / 2 + (1.0 / 3) / 2.5 * pci[2], 1e-14);
  EXPECT_EQ(o.cog[1], 0.0);  // r1 has i2
}

// RPOP (py-ecomplexity calculate_rpop) by hand: x = [[30, 20], [10, 40]], population (10, 40),
// pop. = 50, x_.1 = 40, x_.2 = 60: RPOP_11 = (30/10)/(40/50) = 3.75, RPOP_12 = (20/10)/(60/50) =
// 5/3, RPOP_21 = (10/40)/0.8 = 0.3125, RPOP_22 = (40/40)/1.2 = 5/6.
TEST(ComplexityKernel, RpopByHand) {
  const std::vector<double> x{30, 20, 10, 40};
  const cx::Totals t = cx::totals_of(x, 2, 2);
  const auto rpop = cx::rpop_of(x, t, {10, 40});
  EXPECT_DOUBLE_EQ(rpop[0], 3.75);
  EXPECT_DOUBLE_EQ(rpop[1], 5.0 / 3);
  EXPECT_DOUBLE_EQ(rpop[2], 0.3125);
  EXPECT_DOUBLE_EQ(rpop[3], 5.0 / 6);
  const cx::Presence p = cx::presence_from(x, 2, 2, cx::presence_of(x, t, 1).rca, rpop, 1.0);
  EXPECT_EQ(p.present, (std::vector<double>{1, 1, 0, 0}));
  EXPECT_EQ(p.diversity, (std::vector<double>{2, 0}));
}

// Through the plugin: the same 5 x 5 numbers (numpy / hand, above) for each variant.
TEST(Complexity, ReflectionsAndGivenPresenceThroughThePlugin) {
  auto p = base();
  p["method"] = std::string("reflections");
  p["iterations"] = std::int64_t{200};
  const double eci[5] = {1.27957422597351, -0.39774925601015165, -0.3977492560101517,
                         0.9681514279064234, -1.4522271418596298};
  auto out = run_step(p, {{"t", example()}});
  for (int a = 0; a < 5; ++a)
    EXPECT_NEAR(value_at(out.at("step"), "eci", {{"region", label("r", a)}}), eci[a], 1e-7) << a;
  // presence given as 0/1: the same M, so the eigenvector ECI of the RCA path; rca missing
  auto g = base();
  g["presence"] = std::string("given");
  auto given = run_step(g, {{"t", presence_table()}});
  for (int a = 0; a < 5; ++a)
    EXPECT_NEAR(value_at(given.at("step"), "eci", {{"region", label("r", a)}}), eci[a], 1e-10);
  const Table& cells = given.at("step_cells");
  EXPECT_FALSE(cells.column("rca").is_valid(0));
  EXPECT_EQ(value_at(cells, "present", {{"region", "r4"}, {"industry", "i5"}}), 1);
}

TEST(Complexity, EconGeoScaleThroughThePlugin) {
  auto p = base();
  p["scale"] = std::string("econgeo");
  auto out = run_step(p, {{"t", example()}});
  // R restatement of EconGeo kci() / tci() (EconGeoScalesAsRestatedInR)
  EXPECT_NEAR(value_at(out.at("step"), "eci", {{"region", "r5"}}), -2.000000000000003, 1e-9);
  EXPECT_NEAR(value_at(out.at("step_industries"), "pci", {{"industry", "i1"}}), -2.257333957552939,
              1e-9);
  p["method"] = std::string("reflections");
  out = run_step(p, {{"t", example()}});
  EXPECT_NEAR(value_at(out.at("step"), "eci", {{"region", "r1"}}), 99.52201786949377, 1e-8);
  EXPECT_NEAR(value_at(out.at("step_industries"), "pci", {{"industry", "i3"}}), 38.89217790137394,
              1e-8);
}

TEST(Complexity, ProximityMethodKnnAndOutlookThroughThePlugin) {
  auto p = base();
  p["proximity"] = true;
  p["proximity_method"] = std::string("jaccard");
  auto out = run_step(p, {{"t", example()}});
  // ProximityMethodsByHand: Jaccard(i2, i4) = 0.25
  EXPECT_DOUBLE_EQ(value_at(out.at("step_proximity"), "proximity", {{"from", "i2"}, {"to", "i4"}}),
                   0.25);
  auto k = base();
  k["knn"] = std::int64_t{3};
  out = run_step(k, {{"t", example()}});
  // KnnDensityByHand: r1 in i5 with k = 3 is 4/7
  EXPECT_NEAR(value_at(out.at("step_cells"), "density", {{"region", "r1"}, {"industry", "i5"}}),
              4.0 / 7, 1e-14);
  // defaults: COI/COG of ComplexityOutlookByHand
  out = run_step(base(), {{"t", example()}});
  EXPECT_NEAR(value_at(out.at("step"), "coi", {{"region", "r1"}}), -0.37099604790300106, 1e-10);
  EXPECT_NEAR(value_at(out.at("step_cells"), "cog", {{"region", "r1"}, {"industry", "i1"}}),
              -0.8802675974774676, 1e-10);
}

// RPOP through the plugin: populations r1..r5 = 100, 50, 20, 200, 30 (pop. = 400); i1 total 155:
// RPOP(r1, i1) = (30 / 100) / (155 / 400) = 0.7741935..., RPOP(r3, i1) = (40 / 20) / 0.3875 =
// 5.1612903... (present), RPOP(r4, i1) = (10 / 200) / 0.3875 = 0.1290322... (absent).
TEST(Complexity, RpopWithPopulationTable) {
  auto p = base();
  p["presence"] = std::string("rpop");
  p["population"] = std::string("pop");
  Table pop({Column::make_strings("region", {"r1", "r2", "r3", "r4", "r5"}),
             Column::make_floats("population", {100, 50, 20, 200, 30})});
  auto out = run_step(p, {{"t", example()}, {"pop", pop}});
  const Table& cells = out.at("step_cells");
  EXPECT_NEAR(value_at(cells, "rpop", {{"region", "r1"}, {"industry", "i1"}}), 0.3 / 0.3875, 1e-14);
  EXPECT_NEAR(value_at(cells, "rpop", {{"region", "r3"}, {"industry", "i1"}}), 2 / 0.3875, 1e-14);
  EXPECT_EQ(value_at(cells, "present", {{"region", "r3"}, {"industry", "i1"}}), 1);
  EXPECT_EQ(value_at(cells, "present", {{"region", "r4"}, {"industry", "i1"}}), 0);
  // the RCA column is still Balassa's
  EXPECT_NEAR(value_at(cells, "rca", {{"region", "r1"}, {"industry", "i1"}}), 0.8516129032258064,
              1e-14);
}

TEST(Complexity, VariantErrorsNameTheParameterOrCell) {
  auto odd = base();
  odd["method"] = std::string("reflections");
  odd["iterations"] = std::int64_t{19};
  EXPECT_EQ(param_error([&] { run_step(odd, {{"t", example()}}); }).param, "iterations");
  auto knn = base();
  knn["knn"] = std::int64_t{5};
  EXPECT_EQ(param_error([&] { run_step(knn, {{"t", example()}}); }).param, "knn");
  auto rpop = base();
  rpop["presence"] = std::string("rpop");
  EXPECT_EQ(param_error([&] { run_step(rpop, {{"t", example()}}); }).param, "population");
  rpop["population"] = std::string("pop");
  Table pop({Column::make_strings("region", {"r1", "r2", "r3", "r4"}),
             Column::make_floats("population", {100, 50, 20, 200})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(rpop, {{"t", example()}, {"pop", pop}});
            }),
            "population table 'pop' has no row for region 'r5'");
  auto g = base();
  g["presence"] = std::string("given");
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(g, {{"t", example()}});
            }),
            "presence = \"given\" needs 0 or 1 in 'value', but region 'r1', industry 'i1' has 30");
}

// ---- Published results: the Stata ecomplexity package on py-ecomplexity's test fixture ----
//
// Input: export values of 10 countries x 30 HS92 products in 1995, and expected values: the Stata
// `ecomplexity` package's output on them, both from py-ecomplexity's test fixtures
// (cid-harvard/py-ecomplexity, tests/fixtures/stata_ground_truth.csv: `ecomplexity export_val,
// i(origin) p(hs92) t(year)`, and stata_knn_5.csv: the same with `knn(5)`; rows of 1995).
namespace {

const char* const kStataCountries[10] = {"aut", "blx", "che", "deu", "dnk",
                                         "esp", "gbr", "ita", "pol", "svn"};
const char* const kStataProducts[30] = {
    "1704", "1806", "1905", "2007", "2105", "3208", "3402", "3917", "3922", "4008",
    "4010", "4905", "5602", "6804", "6810", "7010", "7307", "7308", "7309", "7310",
    "7325", "7604", "7608", "7612", "7616", "8309", "8431", "8474", "8530", "9403"};
const double kStataExports[10][30] = {
    {43653868,  132991888, 93940336,  15442491, 21642750, 76134480,  65827592, 154564960,
     34651856,  24073624,  10332865,  2782206,  31232472, 132463432, 22692706, 75284752,
     141388736, 376155040, 17640162,  35991724, 32208346, 159595072, 14098923, 48952400,
     77229536,  20479198,  340263520, 81467248, 22309942, 367287232},
    {231388160, 929206400, 570383744, 69670688,  160263152, 279532736, 843983808, 226288864,
     65388504,  138591456, 117398032, 5756672,   22048910,  86797000,  164040752, 160078640,
     95103904,  491062944, 29407234,  267034256, 95023832,  308980064, 59592396,  35216964,
     91908056,  52391328,  492536576, 131742688, 37052380,  717646016},
    {90164712,  297525568, 66012664,  18629452,  3765488,  130582728, 179427664, 248085232,
     118798704, 31392462,  78601296,  10994192,  3067354,  49049244,  11094866,  47834656,
     123430064, 180863024, 22533876,  35423012,  17288472, 154507696, 20885238,  46975904,
     152177392, 27329164,  341518400, 101077112, 54264820, 329887360},
    {391713408, 1208194432, 941689728,  74584784,   121151128, 1043267968, 1558214528, 1052984000,
     199052496, 295861344,  296765472,  22377944,   131061096, 299613088,  184332832,  514235552,
     756505088, 1353758976, 153427760,  441603840,  223090816, 560984576,  91523832,   278797376,
     414309088, 276977280,  2566851840, 1297443584, 185068112, 2773312256},
    {198693296, 74398880,  369668192, 34531688,  90624824, 129876288, 146586640, 97091696,
     29312366,  5636412.5, 38253496,  6717847.5, 43852844, 16016267,  91595200,  30162772,
     91954088,  184818304, 19373178,  54675300,  31539240, 53662808,  40816724,  51566964,
     51003180,  28469234,  162893536, 247542544, 10765437, 1462871808},
    {305514464, 133478928, 177213392, 19286494,  82557264, 99763624, 262820256, 114532632,
     30443346,  63557400,  53889296,  3698659,   23649406, 51453224, 33958168,  87365800,
     110040344, 140503104, 29588934,  67173416,  71846640, 87987808, 20209470,  45209156,
     102072968, 72336384,  188895840, 142529616, 16227357, 570153152},
    {338536704, 581402560, 612235840,  39911696,  71429928, 359832928, 680655808, 360013056,
     107101136, 90543224,  121536072,  30769266,  63665604, 44137504,  51393456,  87110056,
     362652864, 619878400, 68337888,   144177968, 99279976, 135930304, 35825092,  101962528,
     180733856, 113655376, 1044368576, 390631552, 53431552, 661859456},
    {94375328,  544141568, 568185280,  43776304,  87696472, 269417792, 462946400, 401821536,
     176664112, 133267744, 133769688,  18182282,  64880704, 167984992, 169029600, 341934400,
     607722880, 642083776, 129997760,  184638480, 70446968, 304317568, 54558856,  103185256,
     433422464, 207456832, 1163930496, 718739264, 25466040, 4259899904},
    {70817696,  79821568,  52775012,  5454616,  23654318, 8231241.5, 72893568,  25483566,
     5264228.5, 11933493,  6509875.5, 97911.18, 290903,   806821.19, 38103500,  36099232,
     60294924,  308876640, 27277314,  18388508, 90990568, 10710556,  1039137.6, 13150336,
     29780722,  14349379,  101177152, 23136562, 840440,   704726720},
    {15337200, 4953732,  4466307.5, 2763980.8, 2787990.8, 35253096, 20291862,  12826825,
     18716512, 11668232, 17027258,  447815.75, 3022974.3, 26051138, 12065689,  6788189,
     12878465, 37686860, 6115853,   4616069,   15332232,  60305920, 3776373.3, 4659735,
     35232020, 9605774,  73741080,  12467550,  1531334.4, 212774400}};

Table stata_table() {
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (int a = 0; a < 10; ++a)
    for (int b = 0; b < 30; ++b) {
      r.emplace_back(kStataCountries[a]);
      i.emplace_back(kStataProducts[b]);
      v.push_back(kStataExports[a][b]);
    }
  return klaster::sdk::testkit::long_table(r, i, v);
}

double cell(const Table& t, const std::string& column, const char* region, const char* industry) {
  return value_at(t, column, {{"region", region}, {"industry", industry}});
}

}  // namespace

// Stata ecomplexity (default: RCA > 1, discrete symmetric proximity with a zero diagonal) =
// klaster with scale = "stata" and density_diagonal = false (no RCA in the data is exactly 1).
TEST(Complexity, MatchesStataEcomplexityOnPyEcomplexityFixture) {
  auto p = base();
  p["scale"] = std::string("stata");
  p["density_diagonal"] = false;
  auto out = run_step(p, {{"t", stata_table()}});
  const double eci[10] = {1.073207217992253, -.3159764634559932, 1.06773721349865,
                          1.200861157616729, -.9777046345252988, .0180390442936879,
                          .5359206138129307, -.421184002398617,  -2.170709342895322,
                          -.0101908039390183};
  const double coi[10] = {-.9940121728867501, 1.073851078082253, -1.489194423334662,
                          -1.382249032555092, 1.155769407885882, .4207036089900156,
                          -.8461268439107059, .6531998940796336, .8628190011104738,
                          .5452394825389525};
  const double diversity[10] = {14, 16, 16, 15, 11, 16, 20, 9, 7, 14};
  for (int a = 0; a < 10; ++a) {
    const std::map<std::string, std::string> key{{"region", kStataCountries[a]}};
    EXPECT_NEAR(value_at(out.at("step"), "eci", key), eci[a], 1e-9) << kStataCountries[a];
    EXPECT_NEAR(value_at(out.at("step"), "coi", key), coi[a], 1e-9) << kStataCountries[a];
    EXPECT_EQ(value_at(out.at("step"), "diversity", key), diversity[a]) << kStataCountries[a];
  }
  const double pci[30] = {
      -1.470491886427003, .9898334389413032,  -1.28829614655021,  .3359789984244054,
      -3.323137535581785, 1.211838680172189,  .7575610835667231,  2.794806326517154,
      1.056227717927282,  .3013836399410316,  .9458555639215322,  .2528276298920076,
      .7921553064524651,  1.794091102846822,  -3.047699996853477, .5947683743763661,
      1.865519843983964,  -1.177374641095858, -1.81300391183786,  .5613061109624367,
      -.928657059139727,  1.071585041866113,  -.590077081819932,  1.180674892441301,
      .7101505141850155,  .4400665963872156,  2.140168306589086,  -.1620847904245116,
      2.794806326517154,  -3.434600369331548};
  for (int b = 0; b < 30; ++b)
    EXPECT_NEAR(value_at(out.at("step_industries"), "pci", {{"industry", kStataProducts[b]}}),
                pci[b], 1e-9)
        << kStataProducts[b];
  const Table& cells = out.at("step_cells");
  // Stata's RCA differs in the 12th digit (its order of operations)
  EXPECT_NEAR(cell(cells, "rca", "aut", "1704"), .5708342888507129, 1e-9);
  EXPECT_NEAR(cell(cells, "density", "aut", "1704"), .4624999999999999, 1e-12);
  EXPECT_NEAR(cell(cells, "density", "aut", "1806"), .483619344773791, 1e-12);
  EXPECT_NEAR(cell(cells, "density", "dnk", "4008"), .308885754583921, 1e-12);
  EXPECT_NEAR(cell(cells, "density", "pol", "9403"), .3698030634573304, 1e-12);
  EXPECT_NEAR(cell(cells, "cog", "aut", "1704"), -.6248181469470029, 1e-9);
  EXPECT_NEAR(cell(cells, "cog", "blx", "3917"), .5761814670034898, 1e-9);
  EXPECT_NEAR(cell(cells, "cog", "ita", "8431"), .5113819112248139, 1e-9);
  EXPECT_NEAR(cell(cells, "cog", "pol", "3208"), .7130309876166628, 1e-9);
  EXPECT_NEAR(cell(cells, "cog", "svn", "7310"), -.0668588680292927, 1e-9);
  EXPECT_EQ(cell(cells, "cog", "aut", "2007"), 0.0);  // present (M = 1)
}

// Stata ecomplexity knn(5): density from the 5 nearest products. Proximities are fractions with
// many ties; Stata takes min(P(i|j), P(j|i)) as (P1 + P2 - |P1 - P2|) / 2, whose rounding breaks
// exact ties arbitrarily, so where the 5th-largest proximity of a product is tied its knn set
// (and density, and so COI) depends on float noise. Products 7307, 7310 and 7325 have exactly
// five nearest (no tie at the 5th value, by hand from the presence matrix): there Stata's numbers
// are unambiguous and klaster must match them.
TEST(Complexity, MatchesStataEcomplexityKnn5OnPyEcomplexityFixture) {
  auto p = base();
  p["scale"] = std::string("stata");
  p["density_diagonal"] = false;
  p["knn"] = std::int64_t{5};
  auto out = run_step(p, {{"t", stata_table()}});
  const Table& cells = out.at("step_cells");
  const char* const products[3] = {"7307", "7310", "7325"};
  const double density[4][3] = {{1, .1935483870967742, .4},
                                {0, 1, .8},
                                {1, .1612903225806452, .6000000000000001},
                                {.7931034482758621, .8387096774193548, .2}};
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 3; ++b)
      EXPECT_NEAR(cell(cells, "density", kStataCountries[a], products[b]), density[a][b], 1e-12)
          << kStataCountries[a] << " " << products[b];
  // COG does not depend on the density: as without knn (stata_knn_5.csv has the same cog)
  EXPECT_NEAR(cell(cells, "cog", "aut", "1704"), -.6248181469470029, 1e-9);
}

// Stata ecomplexity with pop(population) rpop(1) on the same fixture (stata_rpop_default.csv,
// population_data_sample.csv): blx has no population and is dropped by Stata, so the table here
// has the other 9 countries. Stata keeps population as a float: the populations below are the
// fixture's WDI values rounded to float32 as Stata's output shows them (deu 81678051 -> 81678048,
// esp 39724050 -> 39724048; ita, pol, gbr likewise, computed with numpy.float32).
TEST(Complexity, MatchesStataEcomplexityRpopOnPyEcomplexityFixture) {
  std::vector<std::string> r, i, pr;
  std::vector<double> v;
  for (int a = 0; a < 10; ++a) {
    if (std::string(kStataCountries[a]) == "blx") continue;
    pr.emplace_back(kStataCountries[a]);
    for (int b = 0; b < 30; ++b) {
      r.emplace_back(kStataCountries[a]);
      i.emplace_back(kStataProducts[b]);
      v.push_back(kStataExports[a][b]);
    }
  }
  Table pop({Column::make_strings("region", pr),
             Column::make_floats("population", {7948278, 7040687, 81678048, 5233373, 39724048,
                                                58019032, 56844304, 38595000, 1989872})});
  auto p = base();
  p["scale"] = std::string("stata");
  p["density_diagonal"] = false;
  p["presence"] = std::string("rpop");
  p["population"] = std::string("pop");
  auto out = run_step(p, {{"t", klaster::sdk::testkit::long_table(r, i, v)}, {"pop", pop}});
  const Table& cells = out.at("step_cells");
  EXPECT_NEAR(cell(cells, "rpop", "aut", "1704"), 1.053452914290113, 1e-9);
  EXPECT_NEAR(cell(cells, "rpop", "deu", "1704"), .9198744025192669, 1e-9);
  EXPECT_NEAR(cell(cells, "rpop", "dnk", "4008"), .4790162311522755, 1e-9);
  EXPECT_EQ(cell(cells, "present", "aut", "8309"), 0);  // RPOP .993
  EXPECT_NEAR(cell(cells, "density", "deu", "1704"), .8910891089108915, 1e-12);
  EXPECT_NEAR(cell(cells, "cog", "deu", "9403"), -.255665403861252, 1e-9);
  const char* const countries[4] = {"aut", "che", "deu", "dnk"};
  const double eci[4] = {.2933641265128347, .4209100934177807, .538337855098751, .2763251139999851};
  const double coi[4] = {.6794802274909256, -.7739895867710503, -2.085090744583771,
                         .9646294661772713};
  for (int a = 0; a < 4; ++a) {
    EXPECT_NEAR(value_at(out.at("step"), "eci", {{"region", countries[a]}}), eci[a], 1e-9);
    EXPECT_NEAR(value_at(out.at("step"), "coi", {{"region", countries[a]}}), coi[a], 1e-9);
  }
  EXPECT_NEAR(value_at(out.at("step_industries"), "pci", {{"industry", "1704"}}),
              -1.945392724197698, 1e-9);
}

// missing = "drop" (issue 10): a row r2/i4 without a value is dropped; its cell is read as 0, which
// is what kX holds there, so the ECIs are HandCheckableMatrixCrossCheckedWithNumpy's numpy values,
// and the step warns that the missing value was read as 0.
TEST(Complexity, DroppedValueIsReadAsZeroWithAWarning) {
  const Table t0 = example();
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (std::size_t k = 0; k < t0.rows(); ++k) {
    r.emplace_back(t0.column("region").str(k));
    i.emplace_back(t0.column("industry").str(k));
    v.push_back(t0.column("value").floats[k]);
  }
  r.push_back("r2"), i.push_back("i4"), v.push_back(0);
  std::vector<std::uint8_t> valid(v.size(), 1);
  valid.back() = 0;
  const Table t({Column::make_strings("region", r), Column::make_strings("industry", i),
                 Column::make_floats("value", v, valid)});
  std::vector<std::string> log;
  auto p = base();
  p["missing"] = std::string("drop");
  const Table reg = run_step(p, {{"t", t}}, "step", collect_log(log)).at("step");
  EXPECT_NEAR(value_at(reg, "eci", {{"region", "r1"}}), 1.27957422597351, 1e-10);
  EXPECT_NEAR(value_at(reg, "eci", {{"region", "r5"}}), -1.4522271418596298, 1e-10);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(
      log[0],
      "1 cell of 'value' with a missing value was dropped (region 'r2', industry 'i4'): each "
      "is read as 0 (RCA 0, not present in M) and its region's and industry's totals lack it");
}
