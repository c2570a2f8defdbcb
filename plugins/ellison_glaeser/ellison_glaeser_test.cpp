#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ellison_glaeser_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;

namespace {

Table plants(const std::vector<std::string>& regions, const std::vector<std::string>& industries,
             const std::vector<double>& employment) {
  std::vector<std::string> ids;
  for (std::size_t k = 0; k < regions.size(); ++k)
    ids.push_back(std::string("p").append(std::to_string(k + 1)));
  return Table({Column::make_strings("region", regions),
                Column::make_strings("industry", industries), Column::make_strings("plant", ids),
                Column::make_floats("employment", employment)});
}

Table totals(const std::vector<std::string>& regions, const std::vector<double>& employment) {
  return Table(
      {Column::make_strings("region", regions), Column::make_floats("employment", employment)});
}

// REAT (Wieland), documentation of ellison.a(): one industry with plants of 200, 650, 12000, 100
// and 50 employees in Wien, 16000, 13000, 1500 and 1500 in Linz and 25000 in Graz; aggregate
// employment 500000 (Wien), 400000 (Linz), 100000 (Graz). Published: gamma = 0.05990628,
// G = 0.16816, H = 0.24469.
Table reat_plants() {
  std::vector<std::string> r{"Wien", "Wien", "Wien", "Wien", "Wien",
                             "Linz", "Linz", "Linz", "Linz", "Graz"};
  return plants(r, std::vector<std::string>(r.size(), "C"),
                {200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000});
}
Table reat_totals() { return totals({"Wien", "Linz", "Graz"}, {500000, 400000, 100000}); }

std::map<std::string, Value> reat_params() {
  return {{"plants", std::string("p")}, {"totals", std::string("t")}};
}

// Hand-checkable three-industry example (regions A, B, C with aggregate employment 100, 100, 200,
// so x = (0.25, 0.25, 0.5), sum x^2 = 0.375):
//   X: plants 10, 5 in A and 5 in B   -> G = 0.5,      H = 0.375, gamma = 0.68
//   Y: plants 8 in A, 2 and 2 in C    -> G = 0.263889, H = 0.5,   gamma = -0.155556
//   Z: plants 3 in B, 7 in C
// Coagglomeration of {X, Y} by E&G (1997)'s gamma^c, computed from the paper's formula by hand
// and cross-checked with a short numpy script): pooled G = 0.369140625, H = 0.216796875,
// w = (20/32, 12/32), gamma_c = 7/15.
Table three_industries() {
  return plants({"A", "A", "B", "A", "C", "C", "B", "C"}, {"X", "X", "X", "Y", "Y", "Y", "Z", "Z"},
                {10, 5, 5, 8, 2, 2, 3, 7});
}
Table three_totals() { return totals({"A", "B", "C"}, {100, 100, 200}); }

}  // namespace

TEST(EllisonGlaeser, ReatEllisonADocumentedExample) {
  auto out = run_step(reat_params(), {{"p", reat_plants()}, {"t", reat_totals()}});
  const Table& eg = out.at("step");
  ASSERT_EQ(eg.rows(), 1u);
  EXPECT_NEAR(value_at(eg, "gamma", {{"industry", "C"}}), 0.05990628, 5e-9);
  EXPECT_NEAR(value_at(eg, "G", {{"industry", "C"}}), 0.16816, 5e-6);
  EXPECT_NEAR(value_at(eg, "H", {{"industry", "C"}}), 0.24469, 5e-6);
  EXPECT_EQ(value_at(eg, "plants", {{"industry", "C"}}), 10);
  EXPECT_EQ(value_at(eg, "employment", {{"industry", "C"}}), 70000);
}

// The variance is that of gamma under the null of random location: every plant independently in
// region r with probability x_r. Enumerating all R^N placements gives its exact mean and variance,
// which must equal E(gamma) = 0 and the E&G (1997) Var(G) formula scaled by the denominator.
// Same check for the Maurel-Sedillot variance derived in the README.
namespace {
void check_null_moments(const std::string& method) {
  const std::vector<double> emp{5, 3, 2};  // z = (0.5, 0.3, 0.2)
  const std::vector<double> x{0.5, 0.3, 0.2};
  auto out =
      run_step({{"plants", std::string("p")}, {"totals", std::string("t")}, {"method", method}},
               {{"p", plants({"A", "B", "C"}, {"X", "X", "X"}, emp)},
                {"t", totals({"A", "B", "C"}, {50, 30, 20})}});
  const double variance = value_at(out.at("step"), "variance", {{"industry", "X"}});
  double a = 0, h = 0;
  for (double v : x) a += v * v;
  for (double e : emp) h += (e / 10) * (e / 10);
  double mean = 0, second = 0;
  for (int p0 = 0; p0 < 3; ++p0)
    for (int p1 = 0; p1 < 3; ++p1)
      for (int p2 = 0; p2 < 3; ++p2) {
        const int where[3] = {p0, p1, p2};
        double s[3] = {0, 0, 0}, prob = 1;
        for (int k = 0; k < 3; ++k) {
          s[where[k]] += emp[static_cast<std::size_t>(k)] / 10;
          prob *= x[static_cast<std::size_t>(where[k])];
        }
        double g = 0, s2 = 0;
        for (int r = 0; r < 3; ++r) {
          g += (s[r] - x[static_cast<std::size_t>(r)]) * (s[r] - x[static_cast<std::size_t>(r)]);
          s2 += s[r] * s[r];
        }
        const double scaled = method == "maurel_sedillot" ? (s2 - a) / (1 - a) : g / (1 - a);
        const double gamma = (scaled - h) / (1 - h);
        mean += prob * gamma;
        second += prob * gamma * gamma;
      }
  EXPECT_NEAR(mean, 0.0, 1e-12) << method;
  EXPECT_NEAR(variance, second - mean * mean, 1e-12) << method;
}
}  // namespace

TEST(EllisonGlaeser, VarianceMatchesExactNullDistribution) {
  check_null_moments("ellison_glaeser");
}
TEST(EllisonGlaeser, MaurelSedillotVarianceMatchesExactNullDistribution) {
  check_null_moments("maurel_sedillot");
}

TEST(EllisonGlaeser, ZIsGammaOverStandardError) {
  auto out = run_step(reat_params(), {{"p", reat_plants()}, {"t", reat_totals()}});
  const Table& eg = out.at("step");
  const double gamma = value_at(eg, "gamma", {{"industry", "C"}});
  const double var = value_at(eg, "variance", {{"industry", "C"}});
  EXPECT_GT(var, 0);
  EXPECT_DOUBLE_EQ(value_at(eg, "z", {{"industry", "C"}}), gamma / std::sqrt(var));
}

// Maurel & Sedillot (1999) note their index equals E&G's when sum_r s_r x_r = sum_r x_r^2, which
// holds for any industry when the regions are equally large.
TEST(EllisonGlaeser, MaurelSedillotEqualsEllisonGlaeserWithEqualRegions) {
  const Table t = totals({"A", "B", "C"}, {100, 100, 100});
  auto eg = run_step({{"plants", std::string("p")}, {"totals", std::string("t")}},
                     {{"p", three_industries()}, {"t", t}});
  auto ms = run_step({{"plants", std::string("p")},
                      {"totals", std::string("t")},
                      {"method", std::string("maurel_sedillot")}},
                     {{"p", three_industries()}, {"t", t}});
  for (const char* i : {"X", "Y", "Z"})
    EXPECT_NEAR(value_at(eg.at("step"), "gamma", {{"industry", i}}),
                value_at(ms.at("step"), "gamma", {{"industry", i}}), 1e-12)
        << i;
  // and they differ when regions differ in size (REAT example: E&G 0.0599, M-S negative)
  auto ms_reat = run_step({{"plants", std::string("p")},
                           {"totals", std::string("t")},
                           {"method", std::string("maurel_sedillot")}},
                          {{"p", reat_plants()}, {"t", reat_totals()}});
  EXPECT_LT(value_at(ms_reat.at("step"), "gamma", {{"industry", "C"}}), 0);
}

// The hand-checkable three-industry example above: G, H, gamma of Ellison & Glaeser (1997).
TEST(EllisonGlaeser, HandCheckedThreeIndustries) {
  auto out = run_step({{"plants", std::string("p")}, {"totals", std::string("t")}},
                      {{"p", three_industries()}, {"t", three_totals()}});
  const Table& eg = out.at("step");
  EXPECT_NEAR(value_at(eg, "G", {{"industry", "X"}}), 0.5, 1e-12);
  EXPECT_NEAR(value_at(eg, "H", {{"industry", "X"}}), 0.375, 1e-12);
  EXPECT_NEAR(value_at(eg, "gamma", {{"industry", "X"}}), 0.68, 1e-12);
  EXPECT_NEAR(value_at(eg, "G", {{"industry", "Y"}}), 0.2638888888888889, 1e-12);
  EXPECT_NEAR(value_at(eg, "gamma", {{"industry", "Y"}}), -0.15555555555555556, 1e-12);
}

TEST(EllisonGlaeser, CoagglomerationPublishedFormula) {
  auto out = run_step({{"plants", std::string("p")},
                       {"totals", std::string("t")},
                       {"group", std::vector<std::string>{"X", "Y"}}},
                      {{"p", three_industries()}, {"t", three_totals()}});
  const Table& co = out.at("step_coagglomeration");
  ASSERT_EQ(co.rows(), 1u);
  EXPECT_EQ(co.column("group").to_text(0), "X+Y");
  EXPECT_NEAR(co.column("G").number(0), 0.369140625, 1e-12);
  EXPECT_NEAR(co.column("H").number(0), 0.216796875, 1e-12);
  EXPECT_NEAR(co.column("gamma_c").number(0), 7.0 / 15.0, 1e-12);
}

// Identity behind E&G's gamma^c: pooling the group into one industry gives gamma_pooled with
// gamma_pooled (1 - H) = sum_j w_j^2 gamma_j (1 - H_j) + gamma_c (1 - sum_j w_j^2).
TEST(EllisonGlaeser, CoagglomerationDecomposesPooledGamma) {
  auto out = run_step({{"plants", std::string("p")},
                       {"totals", std::string("t")},
                       {"group", std::vector<std::string>{"X", "Z"}}},
                      {{"p", three_industries()}, {"t", three_totals()}});
  // the same plants with X and Z relabelled as one industry
  auto pooled = run_step(
      {{"plants", std::string("p")}, {"totals", std::string("t")}},
      {{"p", plants({"A", "A", "B", "A", "C", "C", "B", "C"},
                    {"XZ", "XZ", "XZ", "Y", "Y", "Y", "XZ", "XZ"}, {10, 5, 5, 8, 2, 2, 3, 7})},
       {"t", three_totals()}});
  const Table& eg = out.at("step");
  const double gx = value_at(eg, "gamma", {{"industry", "X"}}),
               hx = value_at(eg, "H", {{"industry", "X"}});
  const double gz = value_at(eg, "gamma", {{"industry", "Z"}}),
               hz = value_at(eg, "H", {{"industry", "Z"}});
  const double wx = 20.0 / 30.0, wz = 10.0 / 30.0;
  const double gp = value_at(pooled.at("step"), "gamma", {{"industry", "XZ"}});
  const double hp = value_at(pooled.at("step"), "H", {{"industry", "XZ"}});
  const double gc = out.at("step_coagglomeration").column("gamma_c").number(0);
  EXPECT_NEAR(gp * (1 - hp),
              wx * wx * gx * (1 - hx) + wz * wz * gz * (1 - hz) + gc * (1 - wx * wx - wz * wz),
              1e-12);
  EXPECT_NEAR(out.at("step_coagglomeration").column("H").number(0), hp, 1e-12);
}

TEST(EllisonGlaeser, TotalsDefaultToSummedPlants) {
  // Without `totals`, x_r are the regions' shares of all plants: A 23, B 8, C 11 of 42.
  auto out = run_step({{"plants", std::string("p")}}, {{"p", three_industries()}});
  auto with = run_step({{"plants", std::string("p")}, {"totals", std::string("t")}},
                       {{"p", three_industries()}, {"t", totals({"A", "B", "C"}, {23, 8, 11})}});
  for (const char* i : {"X", "Y", "Z"})
    EXPECT_DOUBLE_EQ(value_at(out.at("step"), "gamma", {{"industry", i}}),
                     value_at(with.at("step"), "gamma", {{"industry", i}}));
}

TEST(EllisonGlaeser, PlantsWithoutRegionalTotalNameTheRegion) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(reat_params(),
                       {{"p", reat_plants()}, {"t", totals({"Wien", "Graz"}, {500000, 100000})}});
            }),
            "plants in region(s) 'Linz' have no regional total in table 't'; add them to the "
            "totals table");
}

TEST(EllisonGlaeser, NegativeEmploymentNamesThePlant) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(reat_params(), {{"p", plants({"Wien", "Linz"}, {"C", "C"}, {10, -3})},
                                       {"t", reat_totals()}});
            }),
            "negative employment -3 of plant in region 'Linz', industry 'C'");
}

TEST(EllisonGlaeser, SingleRegionIsAnError) {
  const std::string msg = error_message<DataError>([&] {
    run_step({{"plants", std::string("p")}}, {{"p", plants({"A", "A"}, {"X", "X"}, {1, 2})}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("one region ('A')"), std::string::npos) << msg;
}

TEST(EllisonGlaeser, TotalSmallerThanPlantsIsAnError) {
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(reat_params(), {{"p", reat_plants()},
                                 {"t", totals({"Wien", "Linz", "Graz"}, {500000, 400000, 100})}});
      }),
      "region 'Graz' has a regional total of 100, less than the employment of its plants (25000)");
}

TEST(EllisonGlaeser, SinglePlantIndustryHasMissingGamma) {
  auto out = run_step({{"plants", std::string("p")}},
                      {{"p", plants({"A", "B", "A"}, {"X", "X", "Y"}, {1, 2, 5})}});
  const Table& eg = out.at("step");
  ASSERT_EQ(eg.rows(), 2u);
  EXPECT_EQ(eg.column("industry").to_text(1), "Y");
  EXPECT_FALSE(eg.column("gamma").is_valid(1));
  EXPECT_TRUE(eg.column("gamma").is_valid(0));
}

TEST(EllisonGlaeser, MissingEmploymentErrorOrDrop) {
  Table t({Column::make_strings("region", {"A", "B", "A", "B"}),
           Column::make_strings("industry", {"X", "X", "X", "X"}),
           Column::make_floats("employment", {1, 0, 5, 4}, {1, 0, 1, 1})});
  EXPECT_THROW(run_step({{"plants", std::string("p")}}, {{"p", t}}), DataError);
  auto out = run_step({{"plants", std::string("p")}, {"missing", std::string("drop")}}, {{"p", t}});
  EXPECT_EQ(value_at(out.at("step"), "plants", {{"industry", "X"}}), 3);
}

TEST(EllisonGlaeser, GroupErrors) {
  EXPECT_THROW(run_step({{"plants", std::string("p")}, {"group", std::vector<std::string>{"X"}}},
                        {{"p", three_industries()}}),
               ParamError);
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(
                  {{"plants", std::string("p")}, {"group", std::vector<std::string>{"X", "Q"}}},
                  {{"p", three_industries()}});
            }),
            "industry 'Q' of `group` has no plants in table 'p'");
}

TEST(EllisonGlaeser, DuplicatePlantIsAnError) {
  Table t({Column::make_strings("region", {"A", "B"}), Column::make_strings("industry", {"X", "X"}),
           Column::make_strings("plant", {"p1", "p1"}), Column::make_floats("employment", {1, 2})});
  EXPECT_THROW(run_step({{"plants", std::string("p")}}, {{"p", t}}), DataError);
}

// The kernel on plain values.
namespace eg = klaster::plugins::ellison_glaeser;

// Ellison & Glaeser (1997)'s formulas by hand on industry X of three_industries(): plants 10, 5
// in region A and 5 in B; x = (0.25, 0.25, 0.5), so sum x^2 = 0.375; s = (0.75, 0.25, 0):
// G = 0.5^2 + 0 + 0.5^2 = 0.5, H = 0.5^2 + 0.25^2 + 0.25^2 = 0.375,
// gamma = (0.5 - 0.625 * 0.375) / (0.625 * 0.625) = 0.68.
TEST(EllisonGlaeserKernel, HandCheckedIndustry) {
  const eg::RegionShares rs = eg::region_shares({100, 100, 200});
  EXPECT_DOUBLE_EQ(rs.a, 0.375);
  const eg::Pattern x = eg::pattern_of({0, 0, 1}, {10, 5, 5}, 3);
  EXPECT_EQ(x.plants, 3u);
  EXPECT_DOUBLE_EQ(x.total, 20);
  EXPECT_DOUBLE_EQ(eg::raw_g(x, rs), 0.5);
  EXPECT_DOUBLE_EQ(x.h, 0.375);
  const auto g = eg::industry_gamma(x, rs, eg::Method::kEllisonGlaeser);
  ASSERT_TRUE(g.has_value());
  EXPECT_NEAR(g->gamma, 0.68, 1e-15);
}

// REAT (Wieland), documented example of ellison.a(): gamma = 0.05990628 (see reat_plants()).
TEST(EllisonGlaeserKernel, ReatPublishedGamma) {
  const eg::Pattern p =
      eg::pattern_of({0, 0, 0, 0, 0, 1, 1, 1, 1, 2},
                     {200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000}, 3);
  const eg::RegionShares rs = eg::region_shares({500000, 400000, 100000});
  EXPECT_NEAR(eg::industry_gamma(p, rs, eg::Method::kEllisonGlaeser)->gamma, 0.05990628, 5e-9);
}

// Two plants of equal size, two regions of equal size (a = 1/2, b = 1/4, H = 1/2, sum z^4 = 1/8):
// under random location both plants share a region with probability 1/2 (G = 1/2, gamma = 1) or
// not (G = 0, gamma = -1), so E gamma = 0 and Var gamma = 1 exactly. By the formulas:
// E&G Var(G) = 2 {1/4 (1/2 - 1/2 + 1/4) - 1/8 (1/2 - 1 + 3/4)} = 1/16, over [(1/2)(1/2)]^2 = 1;
// Maurel-Sedillot 4 [(1/4)(1/4 - 1/8)/2 + 0] = 1/16, likewise 1. A single plant has H = 1: no
// gamma.
TEST(EllisonGlaeserKernel, VarianceOfTwoEqualPlantsIsOne) {
  const eg::RegionShares rs = eg::region_shares({1, 1});
  const eg::Pattern split = eg::pattern_of({0, 1}, {3, 3}, 2);
  for (const auto method : {eg::Method::kEllisonGlaeser, eg::Method::kMaurelSedillot}) {
    EXPECT_DOUBLE_EQ(eg::gamma_variance(split, rs, method), 1.0);
    EXPECT_DOUBLE_EQ(eg::industry_gamma(split, rs, method)->gamma, -1.0);  // G = 0
    const eg::Pattern together = eg::pattern_of({1, 1}, {3, 3}, 2);
    EXPECT_DOUBLE_EQ(eg::industry_gamma(together, rs, method)->gamma, 1.0);  // G = 1/2
  }
  EXPECT_FALSE(
      eg::industry_gamma(eg::pattern_of({0}, {7}, 2), rs, eg::Method::kEllisonGlaeser).has_value());
}

// E&G (1997) coagglomeration by hand for {X, Y} of three_industries() (see the comment there):
// pooled s = (23, 5, 4) / 32, G = 0.369140625; w = (5/8, 3/8), H = (25/64) 0.375 + (9/64) 0.5
// = 0.216796875; own = (25/64)(0.8 - 0.375) + (9/64)(0.4222 - 0.5) = 0.155078125;
// gamma_c = (0.590625 - 0.216796875 - 0.155078125) / (1 - 34/64) = 0.21875 / 0.46875 = 7/15.
TEST(EllisonGlaeserKernel, CoagglomerationByHand) {
  const eg::RegionShares rs = eg::region_shares({100, 100, 200});
  const eg::Pattern x = eg::pattern_of({0, 0, 1}, {10, 5, 5}, 3);
  const eg::Pattern y = eg::pattern_of({0, 2, 2}, {8, 2, 2}, 3);
  const eg::Coagglomeration co = eg::coagglomeration({&x, &y}, rs, eg::Method::kEllisonGlaeser);
  EXPECT_NEAR(co.g, 0.369140625, 1e-15);
  EXPECT_NEAR(co.h, 0.216796875, 1e-15);
  EXPECT_NEAR(co.gamma_c, 7.0 / 15.0, 1e-14);
}
