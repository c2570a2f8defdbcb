#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "hub_location_kernel.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/geo.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace hl = klaster::plugins::hub_location;

namespace {

using Matrix = std::vector<std::vector<double>>;

hl::Problem problem(const Matrix& d, std::vector<double> w, std::size_t p,
                    hl::Objective objective = hl::Objective::kMedian,
                    std::vector<std::size_t> fixed = {}) {
  hl::Problem pr;
  pr.distance.resize(static_cast<Eigen::Index>(d.size()), static_cast<Eigen::Index>(d[0].size()));
  for (std::size_t i = 0; i < d.size(); ++i)
    for (std::size_t j = 0; j < d[i].size(); ++j)
      pr.distance(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = d[i][j];
  pr.demand = std::move(w);
  pr.p = p;
  pr.objective = objective;
  pr.fixed = std::move(fixed);
  return pr;
}

/// The reference: exact p-median / p-center by enumeration of every p-subset of the candidates
/// that holds the fixed ones, each node at its nearest open candidate. Written out plainly,
/// independently of the kernel. Center ties go to the least sum_i w_i d_i (the plugin's rule).
struct Best {
  double value = std::numeric_limits<double>::infinity();
  double median = std::numeric_limits<double>::infinity();  // sum_i w_i d_i, the center's tie rule
  std::vector<std::size_t> hubs;
};
Best enumerate(const Matrix& d, const std::vector<double>& w, std::size_t p, bool center,
               bool weighted, const std::vector<std::size_t>& fixed) {
  const std::size_t n = d.size(), m = d[0].size();
  Best best;
  std::vector<char> pick(m, 0);
  std::fill(pick.end() - static_cast<std::ptrdiff_t>(p), pick.end(), 1);
  do {  // every arrangement of p ones among m places
    std::vector<std::size_t> hubs;
    for (std::size_t j = 0; j < m; ++j)
      if (pick[j]) hubs.push_back(j);
    bool has_fixed = true;
    for (const std::size_t f : fixed) has_fixed = has_fixed && pick[f];
    if (!has_fixed) continue;
    double value = 0, median = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double nearest = std::numeric_limits<double>::infinity();
      for (const std::size_t j : hubs) nearest = std::min(nearest, d[i][j]);
      median += w[i] * nearest;
      value = center ? std::max(value, (weighted ? w[i] : 1.0) * nearest) : median;
    }
    if (value < best.value || (value == best.value && median < best.median))
      best = {value, median, hubs};
  } while (std::next_permutation(pick.begin(), pick.end()));
  return best;
}

/// Fixed pseudo-random numbers in [0, 1) (Knuth's MMIX LCG, seed given): the random test data.
struct Lcg {
  std::uint64_t state;
  double next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  }
};

/// n nodes, m candidates: planar points in a 100 x 100 square (Euclidean distances, candidates =
/// the first m nodes) when `planar`, else an asymmetric matrix of uniform distances in [0, 100);
/// demands uniform in [1, 10).
struct Instance {
  Matrix d;
  std::vector<double> w;
};
Instance random_instance(std::uint64_t seed, std::size_t n, std::size_t m, bool planar) {
  Lcg g{seed};
  Instance in;
  std::vector<double> x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 100 * g.next(), y[i] = 100 * g.next();
  in.d.assign(n, std::vector<double>(m));
  for (std::size_t i = 0; i < n; ++i) {
    in.w.push_back(1 + 9 * g.next());
    for (std::size_t j = 0; j < m; ++j)
      in.d[i][j] = planar ? std::hypot(x[i] - x[j], y[i] - y[j]) : 100 * g.next();
  }
  return in;
}

// A line of five towns: A at km 0, B 4, C 7, D 10, E 20, demands 3, 1, 2, 2, 1; every town a
// candidate. Distances |x_i - x_j|.
const std::vector<double> kLineKm = {0, 4, 7, 10, 20};
const std::vector<double> kLineDemand = {3, 1, 2, 2, 1};
Matrix line_distances() {
  Matrix d(5, std::vector<double>(5));
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 5; ++j) d[i][j] = std::abs(kLineKm[i] - kLineKm[j]);
  return d;
}

hl::Solution solve(const hl::Problem& pr, hl::Method method) {
  return hl::solve(pr, method, 300, 60.0);
}

}  // namespace

// Hand computation, 1-median: the weighted median of the line (Hakimi 1964: an optimum at a
// node). Total demand 9; cumulative 3, 4, 6 reaches 4.5 at C. Cost at C: 3*7 + 1*3 + 0 + 2*3 +
// 1*13 = 43 (at B: 12 + 6 + 12 + 16 = 46; at D: 30 + 6 + 6 + 10 = 52).
// 2-median: {A, D}: B 1*4 + C 2*3 + E 1*10 = 20 ({A, C}: 3 + 6 + 13 = 22; {B, D}: 12 + 6 + 10 =
// 28).
TEST(HubLocationKernel, LineOfFiveTownsMedianByHand) {
  for (const hl::Method method : {hl::Method::kExact, hl::Method::kHeuristic}) {
    const hl::Solution one = solve(problem(line_distances(), kLineDemand, 1), method);
    EXPECT_EQ(one.hubs, (std::vector<std::size_t>{2}));
    EXPECT_DOUBLE_EQ(one.value, 43);
    const hl::Solution two = solve(problem(line_distances(), kLineDemand, 2), method);
    EXPECT_EQ(two.hubs, (std::vector<std::size_t>{0, 3}));
    EXPECT_DOUBLE_EQ(two.value, 20);
    EXPECT_EQ(two.assignment, (std::vector<std::size_t>{0, 0, 3, 3, 3}));  // B: 4 < 6; C: 3 < 7
    EXPECT_TRUE(two.optimal);
    EXPECT_NEAR(two.bound, 20, 1e-9);
  }
}

// Hand computation, vertex p-center (Hakimi 1965), demand ignored: 1-center D, max(10, 10) = 10
// (C: max(7, 13) = 13). 2-center {B, E} = 6: below 10, E must be open (D-E is 10), and one other
// hub must reach A and D: B reaches them within max(4, 6) = 6, C within max(7, 3) = 7.
// Weighted (max_i w_i d_i), p = 1: at B max(3*4, 2*3, 2*6, 1*16) = 16; A 20, C 21, D 30, E 60.
// The heuristic reaches the 1-centers; for p = 2 see CenterHeuristicStallsWithItsGap.
TEST(HubLocationKernel, LineOfFiveTownsCenterByHand) {
  const auto center = hl::Objective::kCenter;
  const hl::Solution two =
      solve(problem(line_distances(), kLineDemand, 2, center), hl::Method::kExact);
  EXPECT_EQ(two.hubs, (std::vector<std::size_t>{1, 4}));
  EXPECT_DOUBLE_EQ(two.value, 6);
  EXPECT_TRUE(two.optimal);
  for (const hl::Method method : {hl::Method::kExact, hl::Method::kHeuristic}) {
    const hl::Solution one = solve(problem(line_distances(), kLineDemand, 1, center), method);
    EXPECT_EQ(one.hubs, (std::vector<std::size_t>{3}));
    EXPECT_DOUBLE_EQ(one.value, 10);
    hl::Problem weighted = problem(line_distances(), kLineDemand, 1, center);
    weighted.weighted_center = true;
    const hl::Solution w = solve(weighted, method);
    EXPECT_EQ(w.hubs, (std::vector<std::size_t>{1}));
    EXPECT_DOUBLE_EQ(w.value, 16);
  }
}

// The 2-center of the line by the heuristic, by hand: greedy opens D (the 1-center), then A (every
// second hub leaves E at 10; A has the least sum w d, 20). No single swap of {A, D} lowers the
// maximum below 10 (E must open, and then one hub must reach A and D), so Teitz-Bart stops at 10
// while the optimum is {B, E} = 6 (two swaps away). Its bound: the covering LP at radius 4 needs
// y_E = 1 plus (y_A + y_B >= 1) and (y_C + y_D >= 1), 3 > 2 hubs; at radius 6, y_B = y_E = 1 covers
// every town. So bound 6, gap (10 - 6) / 10 = 0.4.
TEST(HubLocationKernel, CenterHeuristicStallsWithItsGap) {
  const hl::Solution h = solve(problem(line_distances(), kLineDemand, 2, hl::Objective::kCenter),
                               hl::Method::kHeuristic);
  EXPECT_EQ(h.hubs, (std::vector<std::size_t>{0, 3}));
  EXPECT_DOUBLE_EQ(h.value, 10);
  EXPECT_DOUBLE_EQ(h.bound, 6);
  EXPECT_DOUBLE_EQ(hl::relative_gap(h.value, h.bound), 0.4);
  EXPECT_FALSE(h.optimal);
}

// Hand computation with C forced open, p = 2: {A, C}: B 1*3 + D 2*3 + E 1*13 = 22; {B, C}:
// 12 + 6 + 13 = 31; {C, D}: 21 + 3 + 10 = 34; {C, E}: 21 + 3 + 6 = 30. So A joins C.
TEST(HubLocationKernel, FixedHubIsKept) {
  for (const hl::Method method : {hl::Method::kExact, hl::Method::kHeuristic}) {
    const hl::Solution s =
        solve(problem(line_distances(), kLineDemand, 2, hl::Objective::kMedian, {2}), method);
    EXPECT_EQ(s.hubs, (std::vector<std::size_t>{0, 2}));
    EXPECT_DOUBLE_EQ(s.value, 22);
  }
}

// Against the enumeration of all C(m, p) subsets: the exact method equals it; the heuristic is no
// better than it, its bound no higher, and its distance to it within its reported gap. p = 1 is an
// easy case (greedy tries every candidate), where the heuristic must equal it.
/// Returns whether the heuristic missed the optimum.
bool check_against_enumeration(const Instance& in, std::size_t p, hl::Objective objective,
                               bool weighted, const std::vector<std::size_t>& fixed,
                               const std::string& what) {
  const bool center = objective == hl::Objective::kCenter;
  const Best ref = enumerate(in.d, in.w, p, center, weighted, fixed);
  hl::Problem pr = problem(in.d, in.w, p, objective, fixed);
  pr.weighted_center = weighted;
  const hl::Solution exact = solve(pr, hl::Method::kExact);
  EXPECT_TRUE(exact.optimal) << what;
  EXPECT_NEAR(exact.value, ref.value, 1e-9 * ref.value) << what;
  EXPECT_EQ(exact.hubs, ref.hubs) << what;
  const hl::Solution h = solve(pr, hl::Method::kHeuristic);
  const double tol = 1e-9 * ref.value;
  EXPECT_GE(h.value, ref.value - tol) << what;
  EXPECT_LE(h.bound, ref.value + tol) << what;
  EXPECT_LE((h.value - ref.value) / h.value, hl::relative_gap(h.value, h.bound) + 1e-9) << what;
  if (p == 1 && fixed.empty()) {
    EXPECT_NEAR(h.value, ref.value, tol) << what;
  }
  for (const std::size_t f : fixed)
    EXPECT_NE(std::find(h.hubs.begin(), h.hubs.end(), f), h.hubs.end()) << what;
  return h.value > ref.value + tol;
}

TEST(HubLocationKernel, ExactEqualsEnumerationHeuristicWithinGap) {
  std::uint64_t seed = 1;
  int cases = 0, missed = 0;
  for (const std::size_t n : {8, 10, 12})
    for (const bool planar : {true, false})
      for (const std::size_t p : {1, 2, 3, 4}) {
        const std::size_t m = planar ? n : n - 2;  // asymmetric: fewer candidates than nodes
        const Instance in = random_instance(seed++, n, m, planar);
        const std::string what = "n = " + std::to_string(n) + ", p = " + std::to_string(p) +
                                 (planar ? ", planar" : ", asymmetric");
        for (const auto& [objective, weighted, name] :
             {std::tuple{hl::Objective::kMedian, false, ", median"},
              std::tuple{hl::Objective::kCenter, false, ", center"},
              std::tuple{hl::Objective::kCenter, true, ", w-center"}}) {
          missed += check_against_enumeration(in, p, objective, weighted, {}, what + name);
          ++cases;
        }
        if (p >= 2) {
          missed += check_against_enumeration(in, p, hl::Objective::kMedian, false, {m - 1},
                                              what + ", fixed");
          ++cases;
        }
      }
  std::cout << "heuristic above the optimum in " << missed << " of " << cases << " cases\n";
}

// cluster::pam (Kaufman & Rousseeuw 1990) on the Ruspini data (R: data(ruspini); pam(ruspini, 4)):
// medoids rows 10, 32, 52, 70 and objective 11.48637 per point, i.e. sum 861.478111093295 (R:
// pam(ruspini, 4)$objective * 75). k-medoids with Euclidean dissimilarities is the unweighted
// p-median with every point a candidate.
const std::vector<std::pair<int, int>> kRuspini = {
    {4, 53},    {5, 63},    {10, 59},   {9, 77},    {13, 49},  {13, 69},   {12, 88},   {15, 75},
    {18, 61},   {19, 65},   {22, 74},   {27, 72},   {28, 76},  {24, 58},   {27, 55},   {28, 60},
    {30, 52},   {31, 60},   {32, 61},   {36, 72},   {28, 147}, {32, 149},  {35, 153},  {33, 154},
    {38, 151},  {41, 150},  {38, 145},  {38, 143},  {32, 143}, {34, 141},  {44, 156},  {44, 149},
    {44, 143},  {46, 142},  {47, 149},  {49, 152},  {50, 142}, {53, 144},  {52, 152},  {55, 155},
    {54, 124},  {60, 136},  {63, 139},  {86, 132},  {85, 115}, {85, 96},   {78, 94},   {74, 96},
    {97, 122},  {98, 116},  {98, 124},  {99, 119},  {99, 128}, {101, 115}, {108, 111}, {110, 111},
    {108, 116}, {111, 126}, {115, 117}, {117, 115}, {70, 4},   {77, 12},   {83, 21},   {61, 15},
    {69, 15},   {78, 16},   {66, 18},   {58, 13},   {64, 20},  {69, 21},   {66, 23},   {61, 25},
    {76, 27},   {72, 31},   {64, 30}};

TEST(HubLocationKernel, RuspiniAsRClusterPam) {
  Matrix d(75, std::vector<double>(75));
  for (std::size_t i = 0; i < 75; ++i)
    for (std::size_t j = 0; j < 75; ++j)
      d[i][j] = std::hypot(kRuspini[i].first - kRuspini[j].first,
                           kRuspini[i].second - kRuspini[j].second);
  for (const hl::Method method : {hl::Method::kExact, hl::Method::kHeuristic}) {
    const hl::Solution s = solve(problem(d, std::vector<double>(75, 1.0), 4), method);
    EXPECT_EQ(s.hubs, (std::vector<std::size_t>{9, 31, 51, 69}));  // R's rows 10, 32, 52, 70
    EXPECT_NEAR(s.value, 861.478111093295, 1e-9);
  }
}

// A time limit GLPK cannot meet (0.1 ms for the 75 x 75 Ruspini MIP): the exact method gives way
// to the heuristic, with a valid bound (<= the optimum 861.478111093295).
TEST(HubLocationKernel, TimeLimitFallsBackToTheHeuristic) {
  Matrix d(75, std::vector<double>(75));
  for (std::size_t i = 0; i < 75; ++i)
    for (std::size_t j = 0; j < 75; ++j)
      d[i][j] = std::hypot(kRuspini[i].first - kRuspini[j].first,
                           kRuspini[i].second - kRuspini[j].second);
  const hl::Solution s =
      hl::solve(problem(d, std::vector<double>(75, 1.0), 4), hl::Method::kExact, 300, 1e-4);
  EXPECT_FALSE(s.exact);
  EXPECT_LE(s.bound, 861.478111093295);
  EXPECT_GE(s.value, 861.478111093295 - 1e-9);
}

// ---- through the plugin ------------------------------------------------------------------------

namespace {

Table line_distance_table(double negative_at = 0) {
  const std::vector<std::string> town = {"A", "B", "C", "D", "E"};
  std::vector<std::string> from, to;
  std::vector<double> km;
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 5; ++j) {
      from.push_back(town[i]), to.push_back(town[j]);
      km.push_back(std::abs(kLineKm[i] - kLineKm[j]));
    }
  if (negative_at != 0) km[1] = negative_at;  // A -> B
  return Table({Column::make_strings("origin", from), Column::make_strings("destination", to),
                Column::make_floats("distance_km", km)});
}
Table line_demand() {
  return Table({Column::make_strings("region", {"A", "B", "C", "D", "E"}),
                Column::make_floats("value", kLineDemand)});
}
std::map<std::string, Value> line_params(std::int64_t p) {
  return {{"distances", std::string("d")}, {"demand", std::string("w")}, {"p", p}};
}
std::map<std::string, Table> run_line(const std::map<std::string, Value>& params,
                                      const Table& d = line_distance_table(),
                                      const Table& w = line_demand()) {
  return run_step(params, {{"d", d}, {"w", w}}, "hubs");
}

}  // namespace

// The 2-median of the line (hand numbers above): A serves A, B (demand 3 + 1), D serves C, D, E
// (2 + 2 + 1); value 20; the LP bound of ReVelle-Swain is tight here.
TEST(HubLocation, LineOfFiveTownsTables) {
  const auto out = run_line(line_params(2));
  const Table& hubs = out.at("hubs");
  EXPECT_EQ(hubs.schema().names(),
            (std::vector<std::string>{"hub", "demand_served", "nodes_served", "is_fixed"}));
  EXPECT_EQ(hubs.rows(), 2u);
  EXPECT_DOUBLE_EQ(value_at(hubs, "demand_served", {{"hub", "A"}}), 4);
  EXPECT_DOUBLE_EQ(value_at(hubs, "demand_served", {{"hub", "D"}}), 5);
  EXPECT_EQ(hubs.column("nodes_served").ints, (std::vector<std::int64_t>{2, 3}));
  const Table& a = out.at("hubs_assignment");
  EXPECT_EQ(a.schema().names(), (std::vector<std::string>{"node", "hub", "distance", "demand"}));
  EXPECT_EQ(a.column("hub").str(2), "D");
  EXPECT_DOUBLE_EQ(value_at(a, "distance", {{"node", "C"}}), 3);
  EXPECT_DOUBLE_EQ(value_at(a, "demand", {{"node", "C"}}), 2);
  const Table& o = out.at("hubs_objective");
  EXPECT_EQ(o.schema().names(), (std::vector<std::string>{"objective", "method", "p", "value",
                                                          "bound", "gap", "optimal"}));
  EXPECT_EQ(o.column("method").str(0), "exact");
  EXPECT_DOUBLE_EQ(o.column("value").floats[0], 20);
  EXPECT_DOUBLE_EQ(o.column("gap").floats[0], 0);
  EXPECT_EQ(o.column("optimal").ints[0], 1);
}

// 2-center (hand numbers above): exact {B, E} = 6; the heuristic stalls at {A, D} = 10 and says
// so: bound 6, gap 0.4, optimal 0.
TEST(HubLocation, CenterExactHeuristicAndFixedHub) {
  auto params = line_params(2);
  params["objective"] = std::string("center");
  const auto exact = run_line(params);
  EXPECT_EQ(exact.at("hubs").column("hub").str(0), "B");
  EXPECT_EQ(exact.at("hubs").column("hub").str(1), "E");
  EXPECT_DOUBLE_EQ(exact.at("hubs_objective").column("value").floats[0], 6);
  params["method"] = std::string("heuristic");
  const Table o = run_line(params).at("hubs_objective");
  EXPECT_EQ(o.column("method").str(0), "heuristic");
  EXPECT_DOUBLE_EQ(o.column("value").floats[0], 10);
  EXPECT_DOUBLE_EQ(o.column("bound").floats[0], 6);
  EXPECT_DOUBLE_EQ(o.column("gap").floats[0], 0.4);
  EXPECT_EQ(o.column("optimal").ints[0], 0);
  // Fixed C with the median (hand numbers above): A joins it; C is marked fixed.
  auto fixed = line_params(2);
  fixed["fixed"] = std::vector<std::string>{"C"};
  const Table hubs = run_line(fixed).at("hubs");
  EXPECT_EQ(hubs.column("hub").str(0), "A");
  EXPECT_EQ(hubs.column("is_fixed").ints, (std::vector<std::int64_t>{0, 1}));
}

// Candidates given as a list: only B and D may open; 1-median over them: B 46 < D 52.
TEST(HubLocation, CandidateList) {
  auto params = line_params(1);
  params["candidates"] = std::vector<std::string>{"D", "B"};
  const auto out = run_line(params);
  EXPECT_EQ(out.at("hubs").column("hub").str(0), "B");
  EXPECT_DOUBLE_EQ(out.at("hubs_objective").column("value").floats[0], 46);
}

TEST(HubLocation, PAboveCandidates) {
  auto params = line_params(3);
  params["candidates"] = std::vector<std::string>{"D", "B"};
  const ThrownParamError e = param_error([&] { run_line(params); });
  EXPECT_EQ(e.param, "p");
  EXPECT_EQ(e.message, "p = 3 is more than the 2 candidates");
}

TEST(HubLocation, BadFixedHubs) {
  auto params = line_params(1);
  params["fixed"] = std::vector<std::string>{"X"};
  EXPECT_EQ(param_error([&] { run_line(params); }).message, "fixed hub 'X' is not a candidate");
  params["fixed"] = std::vector<std::string>{"A", "B"};
  EXPECT_EQ(param_error([&] { run_line(params); }).message, "2 fixed hubs are more than p = 1");
}

TEST(HubLocation, MissingPairIsNamed) {
  const Table full = line_distance_table();
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < full.rows(); ++r)
    if (r != 7) rows.push_back(r);  // B -> C
  EXPECT_EQ(error_message<DataError>([&] { run_line(line_params(1), full.take(rows)); }),
            "table 'd' has no distance from node 'B' to candidate 'C'");
}

TEST(HubLocation, NegativeDistance) {
  EXPECT_EQ(error_message<DataError>([&] { run_line(line_params(1), line_distance_table(-4)); }),
            "the distance from 'A' to 'B' in table 'd' is negative (-4)");
}

// A pair listed twice, and a pair with an empty distance cell.
TEST(HubLocation, DuplicateOrMissingDistance) {
  const Table full = line_distance_table();
  std::vector<std::size_t> rows(full.rows());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  rows.push_back(7);  // B -> C again
  EXPECT_EQ(error_message<DataError>([&] { run_line(line_params(1), full.take(rows)); }),
            "the distance from 'B' to 'C' appears twice in table 'd'");
  std::vector<std::uint8_t> valid(25, 1);
  valid[7] = 0;
  const Table holed =
      Table({full.column("origin"), full.column("destination"),
             Column::make_floats("distance_km", full.column("distance_km").floats, valid)});
  EXPECT_EQ(error_message<DataError>([&] { run_line(line_params(1), holed); }),
            "the distance from 'B' to 'C' in table 'd' is missing");
}

TEST(HubLocation, CandidateTwiceOrNoDestination) {
  auto params = line_params(1);
  params["candidates"] = std::vector<std::string>{"B", "B"};
  EXPECT_EQ(param_error([&] { run_line(params); }).message, "candidate 'B' is listed twice");
  params["candidates"] = std::vector<std::string>{"B", "Q"};
  const ThrownParamError e = param_error([&] { run_line(params); });
  EXPECT_EQ(e.param, "candidates");
  EXPECT_EQ(e.message, "candidate 'Q' is not a destination in table 'd'");
}

TEST(HubLocation, DemandNodeWithoutDistances) {
  const Table w = Table(
      {Column::make_strings("region", {"A", "B", "Z"}), Column::make_floats("value", {1, 1, 1})});
  EXPECT_EQ(error_message<DataError>([&] { run_line(line_params(1), line_distance_table(), w); }),
            "demand node 'Z' (table 'w') is not an origin in table 'd'");
}

TEST(HubLocation, NegativeAndDuplicateDemand) {
  const Table neg =
      Table({Column::make_strings("region", {"A", "B"}), Column::make_floats("value", {1, -2})});
  EXPECT_EQ(error_message<DataError>([&] { run_line(line_params(1), line_distance_table(), neg); }),
            "node 'B' has a negative demand -2 in table 'w'");
  const Table dup =
      Table({Column::make_strings("region", {"A", "A"}), Column::make_floats("value", {1, 2})});
  EXPECT_EQ(error_message<DataError>([&] { run_line(line_params(1), line_distance_table(), dup); }),
            "node 'A' appears twice in table 'w'");
}

// The same time-out through the plugin: the heuristic's hubs and a warning.
TEST(HubLocation, TimeLimitWarns) {
  std::vector<std::string> from, to, node;
  std::vector<double> km;
  for (std::size_t i = 0; i < 75; ++i) {
    node.push_back("P" + std::to_string(100 + i));
    for (std::size_t j = 0; j < 75; ++j) {
      from.push_back("P" + std::to_string(100 + i)), to.push_back("P" + std::to_string(100 + j));
      km.push_back(std::hypot(kRuspini[i].first - kRuspini[j].first,
                              kRuspini[i].second - kRuspini[j].second));
    }
  }
  const Table d({Column::make_strings("origin", from), Column::make_strings("destination", to),
                 Column::make_floats("distance_km", km)});
  const Table w({Column::make_strings("region", node),
                 Column::make_floats("value", std::vector<double>(75, 1.0))});
  auto params = line_params(4);
  params["method"] = std::string("exact");
  params["time_limit"] = 1e-4;
  std::vector<std::string> log;
  const auto out = run_step(params, {{"d", d}, {"w", w}}, "hubs", collect_log(log));
  const Table& o = out.at("hubs_objective");
  EXPECT_EQ(o.column("method").str(0), "heuristic");
  EXPECT_GE(o.column("value").floats[0], 861.478111093295 - 1e-9);
  EXPECT_NE(std::find(log.begin(), log.end(),
                      "GLPK hit time_limit = 1e-04 s; the hubs are the heuristic's, with a lower "
                      "bound"),
            log.end());
}

// ---- Kazakhstan: 20 regions, haversine distances, demand = 2024 manufacturing output ----------

namespace {

struct Kz {
  Table distances, demand;
  Matrix d;
  std::vector<double> w;
  std::vector<std::string> codes;  // sorted, as the plugin orders them
};

Kz kazakhstan() {
  const std::string dir = std::string(KLASTER_SOURCE_DIR) + "/data/kz/";
  const Table regions = read_csv(
      dir + "regions.csv",
      {{"code", ColumnType::kString}, {"lat", ColumnType::kFloat}, {"lon", ColumnType::kFloat}});
  const Table output = read_csv(dir + "output.csv", {{"year", ColumnType::kInt},
                                                     {"region", ColumnType::kString},
                                                     {"industry", ColumnType::kString},
                                                     {"value", ColumnType::kFloat}});
  std::map<std::string, std::pair<double, double>> at;
  for (std::size_t r = 0; r < regions.rows(); ++r)
    at[std::string(regions.column("code").str(r))] = {regions.column("lat").floats[r],
                                                      regions.column("lon").floats[r]};
  std::map<std::string, double> manufacturing;
  for (std::size_t r = 0; r < output.rows(); ++r)
    if (output.column("year").ints[r] == 2024 && output.column("industry").str(r) == "C")
      manufacturing[std::string(output.column("region").str(r))] = output.column("value").floats[r];
  Kz kz;
  std::vector<std::string> from, to;
  std::vector<double> km;
  for (const auto& [a, pa] : at) {
    kz.codes.push_back(a);
    kz.w.push_back(manufacturing.at(a));
    kz.d.emplace_back();
    for (const auto& [b, pb] : at) {
      from.push_back(a), to.push_back(b);
      km.push_back(haversine_km(pa.first, pa.second, pb.first, pb.second));
      kz.d.back().push_back(km.back());
    }
  }
  kz.distances =
      Table({Column::make_strings("origin", from), Column::make_strings("destination", to),
             Column::make_floats("distance_km", km)});
  kz.demand = Table({Column::make_strings("region", kz.codes), Column::make_floats("value", kz.w)});
  return kz;
}

}  // namespace

// The best 1, 2 and 3 hubs for Kazakhstan's manufacturing (section C output 2024, million KZT)
// with great-circle distances between the regional centres: the plugin equals the enumeration
// of all C(20, p) subsets, for the median and the (unweighted) center.
TEST(HubLocation, KazakhstanManufacturingHubsAsEnumeration) {
  const Kz kz = kazakhstan();
  ASSERT_EQ(kz.codes.size(), 20u);
  for (const std::string objective : {"median", "center"})
    for (const std::int64_t p : {1, 2, 3}) {
      std::map<std::string, Value> params = {{"distances", std::string("d")},
                                             {"demand", std::string("w")},
                                             {"p", p},
                                             {"objective", objective}};
      const auto out = run_step(params, {{"d", kz.distances}, {"w", kz.demand}}, "kz");
      const Best ref =
          enumerate(kz.d, kz.w, static_cast<std::size_t>(p), objective == "center", false, {});
      std::vector<std::string> expected;
      for (const std::size_t j : ref.hubs) expected.push_back(kz.codes[j]);
      std::vector<std::string> got;
      const Table& hubs = out.at("kz");
      for (std::size_t r = 0; r < hubs.rows(); ++r) got.emplace_back(hubs.column("hub").str(r));
      EXPECT_EQ(got, expected) << objective << " p = " << p;
      EXPECT_NEAR(out.at("kz_objective").column("value").floats[0], ref.value, 1e-9 * ref.value);
    }
}
