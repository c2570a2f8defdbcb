// distance_matrix's numeric kernels, on plain values (tested without tables): road distance
// estimated from great-circle distance, and shortest paths over a network of links.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace klaster::plugins::distance_matrix {

/// \brief Estimated road distance in km: circuity * haversine great-circle distance between two
/// points in decimal degrees (Sinnott 1984; circuity after Ballou, Rahardja & Sakai 2002).
double road_km(double lat1, double lon1, double lat2, double lon2, double circuity,
               double radius_km);

/// \brief One link of a network, between nodes numbered 0..n-1, with its length and time.
struct Link {
  std::size_t from = 0, to = 0;
  double length = 0, time = 0;  // non-negative
};

/// \brief Adjacency lists: out[v] holds the links leaving v (both directions of an undirected
/// link).
struct Graph {
  struct Arc {
    std::size_t to;
    double length, time;
  };
  std::vector<std::vector<Arc>> out;
};

Graph make_graph(std::size_t n_nodes, const std::vector<Link>& links, bool directed);

/// \brief Shortest paths from one source: per node the length and time of the chosen path and its
/// predecessor (`kNone` for the source and unreached nodes; an unreached node has infinite
/// length and time).
struct Tree {
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<double> length, time;
  std::vector<std::size_t> parent;
  bool reached(std::size_t v) const { return length[v] < std::numeric_limits<double>::infinity(); }
};

/// \brief Dijkstra (1959) with a binary heap from `source`, minimising time (by_time) or length.
/// Paths equal in the minimised quantity are ranked by the other one (lexicographic order of
/// (primary, secondary), which keeps Dijkstra exact because both sums are non-negative), so the
/// reported other quantity is the least one among the shortest paths.
Tree shortest_paths(const Graph& g, std::size_t source, bool by_time);

/// \brief The nodes of the chosen path from the tree's source to `target` (source first); empty
/// when `target` is unreached.
std::vector<std::size_t> path_to(const Tree& tree, std::size_t target);

}  // namespace klaster::plugins::distance_matrix
