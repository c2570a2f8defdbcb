// network_clusters' numeric kernel, on plain values and Eigen (tested without tables): the
// undirected weighted graph of an input-output table and its communities by igraph.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace klaster::plugins::network_clusters {

/// \brief How the symmetric weight w_ij of two industries is formed from the flows Z.
enum class Weights {
  kFlows,         // w_ij = z_ij + z_ji
  kShares,        // w_ij = max(x_ij, x_ji, y_ij, y_ji), Feser & Bergman (2000)
  kCoefficients,  // w_ij = a_ij + a_ji, a_ij = z_ij / output_j
};

/// \brief The symmetric weight matrix W of the industries (diagonal included; whether it becomes
/// a self-loop is build_graph's choice). `output` is total output x, used by kCoefficients only
/// (a column with x_j = 0 has a_ij = 0). For kShares: x_ij = z_ij / sum_k z_kj (share of j's
/// intermediate purchases bought from i), y_ij = z_ij / sum_k z_ik (share of i's intermediate
/// sales sold to j); a zero total gives shares 0.
Eigen::MatrixXd weight_matrix(const Eigen::MatrixXd& Z, const Eigen::VectorXd& output, Weights w);

/// \brief One undirected edge; a self-loop has from == to.
struct Edge {
  std::size_t from = 0, to = 0;
  double weight = 0;
};

/// \brief An undirected weighted graph on n vertices.
struct Graph {
  std::size_t n = 0;
  std::vector<Edge> edges;
};

/// \brief The graph whose adjacency matrix is W: one edge i < j where w_ij > 0 and w_ij >=
/// min_weight; with self_loops, one loop edge of weight w_ii / 2 where w_ii > 0 and w_ii >=
/// min_weight (igraph counts a loop twice in strength and modularity, so A_ii = w_ii).
Graph build_graph(const Eigen::MatrixXd& W, bool self_loops, double min_weight);

/// \brief k_i = sum_j A_ij, the weighted degree (a loop counts twice, as in igraph_strength).
std::vector<double> strengths(const Graph& g);

/// \brief Vertices with no edge (strength 0).
std::vector<std::size_t> isolated(const Graph& g);

enum class Method { kLeiden, kLouvain };

/// \brief What the community search is asked to do.
struct Options {
  Method method = Method::kLeiden;
  double resolution = 1;   // gamma in Q = (1/2m) sum_ij (A_ij - gamma k_i k_j / 2m) d(c_i, c_j)
  std::uint64_t seed = 1;  // seeds igraph's default RNG before the search
  std::int64_t iterations = -1;  // Leiden only: passes; negative = until a pass changes nothing
  double beta = 0.01;            // Leiden only: randomness of the refinement step
  std::int64_t restarts = 1;     // searches with seeds seed, seed + 1, ...; the best Q is kept
};

/// \brief An igraph function failed; the message is igraph's reason.
class IgraphError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// \brief The communities of g (0-based labels as igraph returns them): o.restarts searches, the
/// r-th after seeding igraph's default RNG with o.seed + r, keeping the one of highest modularity
/// (the first on ties); its seed is stored in `best_seed` when given. igraph's warnings are
/// appended to `warnings` when given. Throws IgraphError.
std::vector<std::int64_t> communities(const Graph& g, const Options& o,
                                      std::vector<std::string>* warnings = nullptr,
                                      std::uint64_t* best_seed = nullptr);

/// \brief Newman-Girvan modularity with resolution gamma, by igraph_modularity. Throws IgraphError
/// (e.g. for a graph without weight).
double modularity(const Graph& g, const std::vector<std::int64_t>& membership, double resolution);

/// \brief Labels 1, 2, ... by decreasing total strength of the community; ties by the smallest
/// vertex in the community. Returns the new label of every vertex.
std::vector<std::int64_t> renumber_by_strength(const std::vector<std::int64_t>& membership,
                                               const std::vector<double>& strength);

/// \brief One community of a 1-based membership.
struct Community {
  std::int64_t size = 0;
  double strength = 0;               // sum of k_i of its members
  double internal_weight = 0;        // sum of the weights of edges (and loops) inside it
  std::vector<std::size_t> members;  // vertices, ascending
};

/// \brief Communities 1..K of a membership labelled 1..K (renumber_by_strength's output).
std::vector<Community> summarize(const Graph& g, const std::vector<std::int64_t>& membership);

}  // namespace klaster::plugins::network_clusters
