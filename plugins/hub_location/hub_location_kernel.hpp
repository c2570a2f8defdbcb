// hub_location's numeric kernel, on plain values (tested without tables): the p-median and
// p-center problems on a node x candidate distance matrix, solved exactly with GLPK or by
// greedy + Teitz-Bart interchange with a lower bound.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <vector>

namespace klaster::plugins::hub_location {

enum class Objective {
  kMedian,  // min sum_i w_i d_i,hub(i)   (Hakimi 1964; ReVelle & Swain 1970)
  kCenter,  // min max_i c_i d_i,hub(i), c_i = 1 (Hakimi 1965) or w_i (weighted_center)
};

enum class Method { kExact, kHeuristic, kAuto };

/// \brief One location problem. Candidates and nodes are indices; their order breaks ties.
struct Problem {
  Eigen::MatrixXd distance;        // nodes x candidates, finite and >= 0
  std::vector<double> demand;      // per node, finite and >= 0
  std::size_t p = 1;               // hubs to open: fixed.size() <= p <= candidates
  std::vector<std::size_t> fixed;  // candidates forced open (existing hubs)
  Objective objective = Objective::kMedian;
  bool weighted_center = false;  // center only: weigh each node's distance by its demand

  std::size_t nodes() const { return static_cast<std::size_t>(distance.rows()); }
  std::size_t candidates() const { return static_cast<std::size_t>(distance.cols()); }
  /// \brief What node i's distance to candidate j costs in the objective: w_i d_ij for the
  /// median and the weighted center, d_ij for the (unweighted) center.
  double cost(std::size_t i, std::size_t j) const;
};

/// \brief A set of open hubs, each node assigned to its nearest one.
struct Solution {
  std::vector<std::size_t> hubs;        // open candidates, ascending
  std::vector<std::size_t> assignment;  // per node: its hub, a candidate index
  double value = 0;                     // the objective
  double bound = 0;                     // a lower bound on the optimum (= value when optimal)
  bool optimal = false;                 // proven: exact, or a bound within 1e-9 of the value
  bool exact = false;                   // produced by the exact method (not timed out)
};

/// \brief Each node's nearest hub among `hubs`; a tie goes to the lowest candidate index.
std::vector<std::size_t> nearest_hubs(const Problem& problem, const std::vector<std::size_t>& hubs);

/// \brief The objective of opening `hubs` (not empty), each node served by its nearest hub.
double objective_value(const Problem& problem, const std::vector<std::size_t>& hubs);

/// \brief Greedy add (Kuehn & Hamburger 1963) from the fixed hubs up to p, then the vertex
/// substitution of Teitz & Bart (1968): candidates not open are tried in index order, each swapped
/// for the non-fixed open hub whose replacement lowers the objective most, until a whole pass finds
/// no improvement. Deterministic; `bound` is left 0.
Solution greedy_interchange(const Problem& problem);

/// \brief A lower bound on the optimum: median, the Lagrangian bound of the ReVelle & Swain (1970)
/// MIP with its assignment constraints relaxed (subgradient optimisation, with `upper` a known
/// objective value); center, the smallest radius whose set-covering LP needs at most p hubs. At
/// least the trivial bound (each node at its nearest candidate), also when time runs out.
double lower_bound(const Problem& problem, double upper, double seconds);

/// \brief The optimum by GLPK (median: ReVelle-Swain MIP; center: a binary search over the sorted
/// costs with one set-covering MIP per radius). `incumbent` is a feasible solution (a
/// starting upper bound for the center). Returns `incumbent` with exact = false when GLPK hits
/// the time limit.
Solution solve_exact(const Problem& problem, const Solution& incumbent, double seconds);

/// \brief The whole method: exact (MIP), heuristic (greedy + interchange, with lower_bound), or
/// auto (exact when candidates <= max_exact). Problem must satisfy the bounds stated above.
Solution solve(const Problem& problem, Method method, std::size_t max_exact, double seconds);

/// \brief (value - bound) / value; 0 when value is 0.
double relative_gap(double value, double bound);

}  // namespace klaster::plugins::hub_location
