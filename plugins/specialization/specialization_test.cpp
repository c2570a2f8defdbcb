#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "specialization_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace spec = klaster::plugins::specialization;

namespace {

/// \brief "I3" style labels (a helper, since GCC 12 warns falsely on "I" + std::to_string(k)).
std::string label(char prefix, std::size_t k) {
  std::string s(1, prefix);
  s.append(std::to_string(k));
  return s;
}

// REAT's documented gini.conc example, gini.conc(c(500,500,1000,7000,1000),
// c(20000,15000,20000,40000,5000)) = 0.4068966, read as a specialisation problem: region A has
// (500, 500, 1000, 7000, 1000) in industries I1..I5 and the whole economy (A + B) has
// (20000, 15000, 20000, 40000, 5000). REAT's gini.spec uses the same Gini-of-LQs form.
Table reat_example() {
  const std::vector<double> a = {500, 500, 1000, 7000, 1000};
  const std::vector<double> total = {20000, 15000, 20000, 40000, 5000};
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (std::size_t k = 0; k < a.size(); ++k) {
    r.push_back("A"), i.push_back(label('I', k + 1)), v.push_back(a[k]);
    r.push_back("B"), i.push_back(label('I', k + 1)), v.push_back(total[k] - a[k]);
  }
  return long_table(r, i, v);
}

std::map<std::string, Value> with(std::map<std::string, Value> extra) {
  extra["input"] = std::string("t");
  return extra;
}

}  // namespace

TEST(Specialization, ReatGiniConcExampleAsSpecialisationGini) {
  auto out = run_step(with({}), {{"t", reat_example()}}).at("step");
  // s = (.05, .05, .10, .70, .10), t = (.20, .15, .20, .40, .05)
  EXPECT_NEAR(value_at(out, "gini", {{"region", "A"}}), 0.4068966, 5e-8);
  // Krugman: .15 + .10 + .10 + .30 + .05 = 0.70; Hoover half of it.
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "A"}}), 0.70, 1e-12);
  EXPECT_NEAR(value_at(out, "hoover", {{"region", "A"}}), 0.35, 1e-12);
  // Relative Theil written out term by term.
  const double theil = 0.05 * std::log(0.25) + 0.05 * std::log(1.0 / 3) + 0.1 * std::log(0.5) +
                       0.7 * std::log(1.75) + 0.1 * std::log(2.0);
  EXPECT_NEAR(value_at(out, "theil", {{"region", "A"}}), theil, 1e-12);
  EXPECT_DOUBLE_EQ(value_at(out, "total", {{"region", "A"}}), 10000);
}

// EconGeo's locational.Gini form (half the Lorenz-area Gini, ordered by LQ) on the same data:
// Lorenz area Gini 0.3725 (hand computed: 1 - sum (T_k - T_k-1)(S_k + S_k-1)), halved 0.18625.
TEST(Specialization, KrugmanConventionGiniIsHalfTheLorenzArea) {
  auto out = run_step(with({{"gini_convention", std::string("krugman")}}), {{"t", reat_example()}})
                 .at("step");
  EXPECT_NEAR(value_at(out, "gini", {{"region", "A"}}), 0.18625, 1e-12);
}

// REAT's coefnorm: gini * n / (n - 1) with n = 5 industries.
TEST(Specialization, NormalizedGini) {
  auto out = run_step(with({{"normalize", true}}), {{"t", reat_example()}}).at("step");
  EXPECT_NEAR(value_at(out, "gini", {{"region", "A"}}), 0.4068966 * 5 / 4, 1e-7);
}

// Hand example (Miller & Blair style 2x2): A = (30, 70), B = (20, 80). Against the total
// (0.25, 0.75): K_A = |.3-.25| + |.7-.75| = 0.1. Against the rest (B's shares .2, .8): 0.2.
TEST(Specialization, ReferenceTotalVersusRest) {
  auto t = long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {30, 70, 20, 80});
  auto total = run_step(with({}), {{"t", t}}).at("step");
  auto rest = run_step(with({{"reference", std::string("rest")}}), {{"t", t}}).at("step");
  auto half =
      run_step(with({{"reference", std::string("rest")}, {"convention", std::string("half")}}),
               {{"t", t}})
          .at("step");
  EXPECT_NEAR(value_at(total, "krugman", {{"region", "A"}}), 0.1, 1e-12);
  EXPECT_NEAR(value_at(rest, "krugman", {{"region", "A"}}), 0.2, 1e-12);
  EXPECT_NEAR(value_at(rest, "krugman", {{"region", "B"}}), 0.2, 1e-12);
  EXPECT_NEAR(value_at(half, "krugman", {{"region", "A"}}), 0.1, 1e-12);
}

// Theil T of (20, 50, 20, 10) (REAT's gini() example vector): (1/n) sum (x/m) ln(x/m)
// with m = 25: (0.8 ln 0.8 * 2 + 2 ln 2 + 0.4 ln 0.4) / 4 (Theil 1967's first measure).
TEST(Specialization, AbsoluteTheil) {
  auto t = long_table({"A", "A", "A", "A", "B", "B", "B", "B"},
                      {"P", "Q", "R", "S", "P", "Q", "R", "S"}, {20, 50, 20, 10, 1, 1, 1, 1});
  auto out = run_step(with({{"theil_form", std::string("absolute")}}), {{"t", t}}).at("step");
  const double expected = (2 * 0.8 * std::log(0.8) + 2 * std::log(2.0) + 0.4 * std::log(0.4)) / 4;
  EXPECT_NEAR(value_at(out, "theil", {{"region", "A"}}), expected, 1e-12);
  EXPECT_NEAR(value_at(out, "theil", {{"region", "B"}}), 0.0, 1e-12);
}

// Krugman (1991) index by hand: 2024 as ReferenceTotalVersusRest (K_B = 0.1), 2025 even (0).
TEST(Specialization, PerYear) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y", "X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 70, 20, 80, 50, 50, 50, 50})});
  auto out = run_step(with({}), {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 4u);
  EXPECT_NEAR(value_at(out, "krugman", {{"year", "2024"}, {"region", "B"}}), 0.1, 1e-12);
  EXPECT_NEAR(value_at(out, "krugman", {{"year", "2025"}, {"region", "B"}}), 0.0, 1e-12);
}

// REAT's documented krugman.spec2 example (Farhauer & Kroell 2013): industry jobs of five
// countries in five industries; krugman.spec2(Sweden, data.frame(Norway, Denmark, Finland, Island))
// "returns ... 0.1595": Sweden's shares against the unweighted mean of the other four countries'
// shares. reference = "others_mean" gives every country that index against the other four.
TEST(Specialization, ReatKrugmanSpec2DocumentedExample) {
  const std::vector<std::string> countries = {"Sweden", "Norway", "Denmark", "Finland", "Island"};
  const std::vector<std::vector<double>> jobs = {{45000, 15000, 32000, 10000, 30000},
                                                 {35000, 12000, 30000, 8000, 22000},
                                                 {40000, 10000, 25000, 9000, 18000},
                                                 {30000, 11000, 18000, 3000, 13000},
                                                 {40000, 6000, 11000, 2000, 12000}};
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (std::size_t c = 0; c < countries.size(); ++c)
    for (std::size_t k = 0; k < 5; ++k)
      r.push_back(countries[c]), i.push_back(label('I', k + 1)), v.push_back(jobs[c][k]);
  auto out =
      run_step(with({{"reference", std::string("others_mean")}}), {{"t", long_table(r, i, v)}})
          .at("step");
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "Sweden"}}), 0.1595, 5e-5);
  EXPECT_NEAR(value_at(out, "hoover", {{"region", "Sweden"}}), 0.1595 / 2, 2.5e-5);
  EXPECT_EQ(out.rows(), 5u);
}

// others_mean by hand on three regions A (30, 70), B (20, 80), C (50, 50): for A the mean of
// B's and C's shares is (.35, .65), K_A = |.3 - .35| + |.7 - .65| = 0.1; for C the mean of A
// and B is (.25, .75), K_C = 0.25 + 0.25 = 0.5. (Against the total (100, 200)/300 K_C would be
// |.5 - 1/3| * 2 = 1/3.)
TEST(Specialization, OthersMeanByHand) {
  auto t = long_table({"A", "A", "B", "B", "C", "C"}, {"X", "Y", "X", "Y", "X", "Y"},
                      {30, 70, 20, 80, 50, 50});
  auto out = run_step(with({{"reference", std::string("others_mean")}}), {{"t", t}}).at("step");
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "A"}}), 0.1, 1e-12);
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "C"}}), 0.5, 1e-12);
}

TEST(Specialization, OthersMeanNeedsTwoRegions) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"reference", std::string("others_mean")}}),
                       {{"t", long_table({"A", "A"}, {"X", "Y"}, {1, 2})}});
            }),
            "reference = \"others_mean\" needs at least two regions; all rows has only region 'A'");
}

namespace {
/// One region R with `own` in industries I1..In and a reference table with `nation`.
std::map<std::string, Table> region_and_nation(const std::vector<double>& own,
                                               const std::vector<double>& nation) {
  std::vector<std::string> r, i;
  for (std::size_t k = 0; k < own.size(); ++k) r.push_back("R"), i.push_back(label('I', k + 1));
  return {
      {"t", long_table(r, i, own)},
      {"nat", Table({Column::make_strings("industry", i), Column::make_floats("value", nation)})}};
}
}  // namespace

// REAT's documented gini.spec example (Farhauer & Kroell 2013): gini.spec(c(700, 600, 500, 10000,
// 40000), c(30000, 15000, 10000, 60000, 50000)) = 0.6222222, the region against national totals
// that include it: the nation is the reference table. Krugman by hand over the same shares,
// s = e / 51800 and t = E / 165000.
TEST(Specialization, ReferenceTableReproducesReatGiniSpec) {
  const std::vector<double> e = {700, 600, 500, 10000, 40000};
  const std::vector<double> E = {30000, 15000, 10000, 60000, 50000};
  auto out =
      run_step(with({{"reference_table", std::string("nat")}}), region_and_nation(e, E)).at("step");
  EXPECT_NEAR(value_at(out, "gini", {{"region", "R"}}), 0.6222222, 5e-8);
  double krugman = 0;
  for (std::size_t k = 0; k < e.size(); ++k) krugman += std::fabs(e[k] / 51800 - E[k] / 165000);
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "R"}}), krugman, 1e-12);
}

// REAT's documented krugman.spec example (Farhauer & Kroell 2013, modified): krugman.spec(
// c(20, 10, 70, 0, 0), c(0, 0, 0, 60, 40)) = 2, complete specialisation against the reference;
// the LQs are infinite, so theil and the REAT gini are missing.
TEST(Specialization, ReferenceTableReproducesReatKrugmanSpec) {
  auto out = run_step(with({{"reference_table", std::string("nat")}}),
                      region_and_nation({20, 10, 70, 0, 0}, {0, 0, 0, 60, 40}))
                 .at("step");
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "R"}}), 2.0, 1e-12);
  EXPECT_NEAR(value_at(out, "hoover", {{"region", "R"}}), 1.0, 1e-12);
  EXPECT_FALSE(out.column("gini").is_valid(0));
}

// reference = "rest" with a reference table: the nation without the region. By hand: region A
// (30, 70), nation (100, 300): rest (70, 230) / 300, K = |.3 - 7/30| + |.7 - 23/30| = 2/15.
TEST(Specialization, RestOfTheReferenceTable) {
  auto data = region_and_nation({30, 70}, {100, 300});
  auto out =
      run_step(with({{"reference", std::string("rest")}, {"reference_table", std::string("nat")}}),
               data)
          .at("step");
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "R"}}), 2.0 / 15, 1e-12);
  const std::string msg = error_message<DataError>([&] {
    run_step(with({{"reference", std::string("rest")}, {"reference_table", std::string("nat")}}),
             region_and_nation({30, 70}, {20, 300}));
  });
  EXPECT_EQ(msg,
            "region 'R', industry 'I1' has 30 but the reference table 'nat' only 20: with "
            "reference = \"rest\" the rest of the reference would be negative");
}

TEST(Specialization, IndustryMissingFromTheReferenceTableIsNamed) {
  auto data = region_and_nation({30, 70}, {100, 300});
  data["nat"] =
      Table({Column::make_strings("industry", {"I2", "I9"}), Column::make_floats("value", {5, 6})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"reference_table", std::string("nat")}}), data);
            }),
            "industry 'I1' has no row in the reference table 'nat': add its national total");
}

TEST(Specialization, OthersMeanTakesNoReferenceTable) {
  const std::string msg = error_message<ParamError>([&] {
    run_step(
        with({{"reference", std::string("others_mean")}, {"reference_table", std::string("nat")}}),
        region_and_nation({30, 70}, {100, 300}));
  });
  EXPECT_NE(msg.find("takes no reference_table"), std::string::npos) << msg;
}

// Properties on seeded random data: hoover = krugman / 2, half convention equals hoover, ranges,
// and a region proportional to the reference has every index 0.
TEST(Specialization, PropertiesOnRandomData) {
  std::mt19937 rng(20240601);
  std::uniform_real_distribution<double> u(0.0, 1000.0);
  std::vector<std::string> r, i;
  std::vector<double> v;
  for (std::size_t reg = 0; reg < 6; ++reg)
    for (std::size_t ind = 0; ind < 7; ++ind) {
      r.push_back(label('R', reg)), i.push_back(label('I', ind));
      v.push_back(u(rng));
    }
  auto t = long_table(r, i, v);
  for (const char* ref : {"total", "rest"}) {
    auto full = run_step(with({{"reference", std::string(ref)}}), {{"t", t}}).at("step");
    auto half =
        run_step(with({{"reference", std::string(ref)}, {"convention", std::string("half")}}),
                 {{"t", t}})
            .at("step");
    for (std::size_t reg = 0; reg < 6; ++reg) {
      const std::map<std::string, std::string> key = {{"region", label('R', reg)}};
      const double k = value_at(full, "krugman", key);
      EXPECT_NEAR(value_at(full, "hoover", key), k / 2, 1e-12);
      EXPECT_NEAR(value_at(half, "krugman", key), k / 2, 1e-12);
      EXPECT_GT(k, 0);
      EXPECT_LT(k, 2);
      EXPECT_GE(value_at(full, "theil", key), 0);
      EXPECT_GT(value_at(full, "gini", key), 0);
      EXPECT_LT(value_at(full, "gini", key), 1);
    }
  }
  // C is 2 x the economy of A + B: against the total it matches the reference exactly.
  auto prop = long_table({"A", "A", "B", "B", "C", "C"}, {"X", "Y", "X", "Y", "X", "Y"},
                         {10, 30, 20, 40, 60, 140});
  auto out = run_step(with({}), {{"t", prop}}).at("step");
  for (const char* c : {"krugman", "hoover", "theil", "gini"})
    EXPECT_NEAR(value_at(out, c, {{"region", "C"}}), 0.0, 1e-12) << c;
}

TEST(Specialization, NegativeValueNamesTheCell) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}), {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"},
                                                   {30, -70, 20, 80})}});
            }),
            "negative value -70 in column 'value' at region 'A', industry 'Y'");
}

TEST(Specialization, ZeroRegionTotalIsAnError) {
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(with({}),
                 {{"t", long_table({"A", "A", "B", "B"}, {"X", "Y", "X", "Y"}, {0, 0, 20, 80})}});
      }),
      "region 'A' has a zero total of 'value' in all rows: its industry shares are undefined");
}

TEST(Specialization, RestNeedsTwoRegions) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"reference", std::string("rest")}}),
                       {{"t", long_table({"A", "A"}, {"X", "Y"}, {1, 2})}});
            }),
            "reference = \"rest\" needs at least two regions; all rows has only region 'A'");
}

TEST(Specialization, SingleIndustryIsAnError) {
  const std::string msg = error_message<DataError>([&] {
    run_step(with({}), {{"t", long_table({"A", "B"}, {"X", "X"}, {1, 2})}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("needs at least two industries"), std::string::npos) << msg;
}

TEST(Specialization, MissingValueErrorOrDrop) {
  Table t({Column::make_strings("region", {"A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 0, 20, 80}, {1, 0, 1, 1})});
  const std::string msg = error_message<DataError>([&] { run_step(with({}), {{"t", t}}); });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("region 'A', industry 'Y'"), std::string::npos) << msg;
  auto out = run_step(with({{"missing", std::string("drop")}}), {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 2u);
}

// With reference = "rest", A is the only region in X: t_X = 0 < s_X, the LQ is infinite, so the
// relative Theil and the REAT Gini are missing while Krugman (s = (2/3, 1/3) against t = (0, 1):
// 2/3 + 2/3) is defined. B and C (rest = (10, 10)) keep every index.
TEST(Specialization, InfiniteLqGivesMissingTheilAndGini) {
  auto t = long_table({"A", "A", "B", "B", "C", "C"}, {"X", "Y", "X", "Y", "X", "Y"},
                      {10, 5, 0, 5, 0, 5});
  auto out = run_step(with({{"reference", std::string("rest")}}), {{"t", t}}).at("step");
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "A"}}), 4.0 / 3, 1e-12);
  const auto& region = out.column("region");
  for (std::size_t row = 0; row < out.rows(); ++row) {
    const bool is_a = region.str(row) == "A";
    EXPECT_EQ(out.column("theil").is_valid(row), !is_a);
    EXPECT_EQ(out.column("gini").is_valid(row), !is_a);
  }
}

// BNS publishes OKED section T for 2025 only: in 2024 T has no row and is not one of that year's
// industries; in 2025 it is. 2024: A (30, 10) and B (10, 30) against (40, 40): K = 1/4 + 1/4.
TEST(Specialization, IndustryWithRowsOnlyInTheLastYearIsLeftOutOfEarlierYears) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025, 2025, 2025, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A", "A", "B", "B", "B"}),
           Column::make_strings("industry", {"C", "S", "C", "S", "C", "S", "T", "C", "S", "T"}),
           Column::make_floats("value", {30, 10, 10, 30, 30, 10, 0, 10, 30, 40})});
  auto out = run_step(with({}), {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 4u);
  EXPECT_NEAR(value_at(out, "krugman", {{"year", "2024"}, {"region", "A"}}), 0.5, 1e-12);
  // 2025: A (3/4, 1/4, 0) against (40, 40, 40)/120: K = 5/12 + 1/12 + 4/12.
  EXPECT_NEAR(value_at(out, "krugman", {{"year", "2025"}, {"region", "A"}}), 10.0 / 12, 1e-12);
}

// A region with no row in a year does not exist in it: no row for it, no zero-total error.
TEST(Specialization, RegionWithoutRowsInAYearIsLeftOutOfIt) {
  Table t({Column::make_ints("year", {2024, 2024, 2024, 2024, 2025, 2025}),
           Column::make_strings("region", {"A", "A", "B", "B", "A", "A"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 70, 20, 80, 50, 50})});
  auto out = run_step(with({}), {{"t", t}}).at("step");
  EXPECT_EQ(out.rows(), 3u);
  EXPECT_THROW(value_at(out, "krugman", {{"year", "2025"}, {"region", "B"}}), std::exception);
  EXPECT_NEAR(value_at(out, "krugman", {{"year", "2025"}, {"region", "A"}}), 0.0, 1e-12);
}

// An industry with rows that sum to zero exists but has no reference shares: an error naming it.
TEST(Specialization, ZeroIndustryTotalWithRowsIsAnError) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({}),
                       {{"t", long_table({"A", "A", "A", "B", "B", "B"},
                                         {"X", "Y", "Z", "X", "Y", "Z"}, {30, 70, 0, 20, 80, 0})}});
            }),
            "industry 'Z' has a zero total of 'value' over all regions in all rows: its reference "
            "shares are undefined");
}

// The kernel on plain values. Shares by hand (the 2x2 of ReferenceTotalVersusRest): region A
// (30, 70) in an economy (50, 150): s = (.3, .7), t = (.25, .75); against the rest (B: 20, 80),
// t = (.2, .8). A reference without activity has no shares.
TEST(SpecializationKernel, SharesAgainstTheTotalAndTheRest) {
  const auto total = spec::region_shares({30, 70}, 100, {50, 150}, 200, false);
  ASSERT_TRUE(total.has_value());
  EXPECT_DOUBLE_EQ(total->s[0], 0.3);
  EXPECT_DOUBLE_EQ(total->t[0], 0.25);
  EXPECT_DOUBLE_EQ(total->t[1], 0.75);
  const auto rest = spec::region_shares({30, 70}, 100, {50, 150}, 200, true);
  EXPECT_DOUBLE_EQ(rest->t[0], 0.2);
  EXPECT_DOUBLE_EQ(rest->t[1], 0.8);
  EXPECT_FALSE(spec::region_shares({30, 70}, 100, {30, 70}, 100, true).has_value());
}

// REAT's documented example gini.conc(c(500,500,1000,7000,1000), c(20000,15000,20000,40000,5000))
// = 0.4068966, as shares s = (.05, .05, .10, .70, .10), t = (.20, .15, .20, .40, .05). By hand:
// Krugman (1991) .15 + .10 + .10 + .30 + .05 = 0.70, Hoover half of it; relative Theil term by
// term; the Lorenz-area Gini ordered by LQ (0.25, 0.333, 0.5, 1.75, 2) is 0.3725, halved 0.18625.
TEST(SpecializationKernel, ReatGiniConcExample) {
  const spec::Shares shares{{.05, .05, .10, .70, .10}, {.20, .15, .20, .40, .05}};
  const spec::Indices reat = spec::specialization_indices(shares, {});
  EXPECT_NEAR(reat.krugman, 0.70, 1e-12);
  EXPECT_NEAR(reat.hoover, 0.35, 1e-12);
  EXPECT_NEAR(*reat.theil,
              0.05 * std::log(0.25) + 0.05 * std::log(1.0 / 3) + 0.1 * std::log(0.5) +
                  0.7 * std::log(1.75) + 0.1 * std::log(2.0),
              1e-12);
  EXPECT_NEAR(*reat.gini, 0.4068966, 5e-8);
  EXPECT_EQ(reat.infinite, 0u);
  spec::Forms forms;
  forms.half_krugman = true;
  forms.reat_gini = false;
  forms.normalize = true;  // REAT's coefnorm: n / (n - 1) = 5/4
  const spec::Indices lorenz = spec::specialization_indices(shares, forms);
  EXPECT_NEAR(lorenz.krugman, 0.35, 1e-12);
  EXPECT_NEAR(*lorenz.gini, 0.18625 * 5 / 4, 1e-12);
}

// Theil T (Theil 1967's first measure) of (20, 50, 20, 10): m = 25, so (1/4) (0.8 ln 0.8 +
// 2 ln 2 + 0.8 ln 0.8 + 0.4 ln 0.4); an even mix has 0.
TEST(SpecializationKernel, AbsoluteTheil) {
  EXPECT_NEAR(spec::absolute_theil({.2, .5, .2, .1}),
              (2 * 0.8 * std::log(0.8) + 2 * std::log(2.0) + 0.4 * std::log(0.4)) / 4, 1e-12);
  EXPECT_NEAR(spec::absolute_theil({.25, .25, .25, .25}), 0.0, 1e-15);
}

// Theil L = REAT's theil(): its documented example, theil(c(10,10,10,20,50)) = 0.2326302 (REAT
// manual, "Example from Stoermann (2009)"); by hand (1/5)(3 ln 2 + ln 1 + ln 0.4) = 0.2326302.
// A zero share makes ln(m/0) infinite: nullopt.
TEST(SpecializationKernel, MeanLogDeviationIsReatTheil) {
  EXPECT_NEAR(*spec::mean_log_deviation({.1, .1, .1, .2, .5}), 0.2326302, 5e-8);
  EXPECT_NEAR(*spec::mean_log_deviation({.1, .1, .1, .2, .5}),
              (3 * std::log(2.0) + std::log(0.4)) / 5, 1e-12);
  EXPECT_NEAR(*spec::mean_log_deviation({.5, .5}), 0.0, 1e-15);
  EXPECT_FALSE(spec::mean_log_deviation({.5, .5, 0}).has_value());
}

// theil_form = "mld" through the plugin: region A is REAT's example (10, 10, 10, 20, 50),
// 0.2326302; region B has a zero and gets a missing theil.
TEST(Specialization, MeanLogDeviationForm) {
  auto t = long_table({"A", "A", "A", "A", "A", "B", "B", "B", "B", "B"},
                      {"P", "Q", "R", "S", "T", "P", "Q", "R", "S", "T"},
                      {10, 10, 10, 20, 50, 1, 1, 1, 1, 0});
  auto out = run_step(with({{"theil_form", std::string("mld")}}), {{"t", t}}).at("step");
  EXPECT_NEAR(value_at(out, "theil", {{"region", "A"}}), 0.2326302, 5e-8);
  const auto& theil = out.column("theil");
  for (std::size_t r = 0; r < out.rows(); ++r)
    EXPECT_EQ(theil.is_valid(r), out.column("region").str(r) == "A");
}

// t = 0 < s makes the LQ infinite: s = (2/3, 1/3) against t = (0, 1) has Krugman 2/3 + 2/3, no
// relative Theil and no REAT Gini; the Lorenz Gini stays defined.
TEST(SpecializationKernel, InfiniteLqLeavesTheilAndReatGiniUndefined) {
  const spec::Shares shares{{2.0 / 3, 1.0 / 3}, {0, 1}};
  const spec::Indices x = spec::specialization_indices(shares, {});
  EXPECT_NEAR(x.krugman, 4.0 / 3, 1e-12);
  EXPECT_FALSE(x.theil.has_value());
  EXPECT_FALSE(x.gini.has_value());
  EXPECT_EQ(x.infinite, 1u);
  EXPECT_EQ(x.first_infinite, 0u);
  spec::Forms lorenz;
  lorenz.reat_gini = false;
  EXPECT_TRUE(spec::specialization_indices(shares, lorenz).gini.has_value());
}

// others_mean shares by hand: regions A (.3, .7), B (.2, .8), C (.5, .5), share sums (1, 2); for
// A, t = ((1 - .3) / 2, (2 - .7) / 2) = (.35, .65).
TEST(SpecializationKernel, OthersMeanShares) {
  const spec::Shares sh = spec::others_mean_shares({30, 70}, 100, {1.0, 2.0}, 3);
  EXPECT_DOUBLE_EQ(sh.s[0], 0.3);
  EXPECT_DOUBLE_EQ(sh.t[0], 0.35);
  EXPECT_DOUBLE_EQ(sh.t[1], 0.65);
}

// missing = "drop" (issue 10): A/Y is missing; the step warns that it is read as 0 in A's mix and
// in the reference. By hand (Krugman 1991 index, sum_i |s_i - t_i|, reference = "rest": t is the
// other regions' shares): A = (30, 0) -> s = (1, 0); B = (20, 80) -> t = (0.2, 0.8):
// K_A = 0.8 + 0.8 = 1.6.
TEST(Specialization, DroppedValueIsReadAsZeroWithAWarning) {
  Table t({Column::make_strings("region", {"A", "A", "B", "B"}),
           Column::make_strings("industry", {"X", "Y", "X", "Y"}),
           Column::make_floats("value", {30, 0, 20, 80}, {1, 0, 1, 1})});
  std::vector<std::string> log;
  auto out = run_step(with({{"missing", std::string("drop")}, {"reference", std::string("rest")}}),
                      {{"t", t}}, "step", collect_log(log))
                 .at("step");
  ASSERT_EQ(out.rows(), 2u);
  EXPECT_NEAR(value_at(out, "krugman", {{"region", "A"}}), 1.6, 1e-15);
  // The second line is the usual one on B's infinite LQ (B's reference, A, has no Y: t_Y = 0).
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0],
            "1 cell of 'value' with a missing value was dropped (region 'A', industry 'Y'): each "
            "is read as 0 in its region's mix and in the reference (the indices of those regions "
            "treat the industry as absent there)");
}
