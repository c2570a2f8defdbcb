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
