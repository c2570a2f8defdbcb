// hierarchical_clusters' numeric kernel, on plain values (tested without tables).
//
// Agglomerative hierarchical clustering with the definitions of R's stats::hclust (Murtagh's
// Fortran HCLUST + HCASS2 as modified for R): the same Lance-Williams updates, the same
// nearest-neighbour list and scan order (so ties are broken as R breaks them), the same `merge`
// sign convention, heights and leaf order. cutree() and silhouette() follow stats::cutree and
// cluster::silhouette.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace klaster::plugins::hierarchical_clusters {

/// \brief The agglomeration criteria of R's hclust, in R's order (iOpt = position + 1).
enum class Method : std::uint8_t {
  kWardD,     // "ward.D": Ward's update on the dissimilarities as given
  kSingle,    // "single": nearest neighbour
  kComplete,  // "complete": furthest neighbour (R's default)
  kAverage,   // "average": UPGMA
  kMcquitty,  // "mcquitty": WPGMA
  kMedian,    // "median": Gower's weighted centroid (meant for squared Euclidean input)
  kCentroid,  // "centroid": unweighted centroid (meant for squared Euclidean input)
  kWardD2,    // "ward.D2": Ward's update on squared dissimilarities, heights = sqrt
};

/// \brief The method called `name` as in R ("ward.D2", "average", ...), or nullopt.
std::optional<Method> method_from_name(std::string_view name);

/// \brief A symmetric dissimilarity matrix of n items stored as R's `dist` object: the pairs
/// (i, j), i < j, in the order (0,1), (0,2), ..., (0,n-1), (1,2), ... (n (n - 1) / 2 values).
struct Dissimilarity {
  std::size_t n = 0;
  std::vector<double> values;

  Dissimilarity() = default;
  explicit Dissimilarity(std::size_t items)
      : n(items), values(items < 2 ? 0 : items * (items - 1) / 2, 0.0) {}
  /// \brief Position of pair (i, j), i < j, in `values` (Fortran IOFFST, 0-based).
  std::size_t index(std::size_t i, std::size_t j) const {
    return j + i * n - (i + 1) * (i + 2) / 2;
  }
  /// \brief d(i, j) for any i != j.
  double at(std::size_t i, std::size_t j) const {
    return i < j ? values[index(i, j)] : values[index(j, i)];
  }
};

/// \brief An hclust result. Items are 0-based here; `merge` uses R's convention: -(i + 1) is
/// item i, a positive s is the cluster formed at step s (1-based).
struct Dendrogram {
  std::vector<std::array<std::int64_t, 2>> merge;  // n - 1 rows
  std::vector<double> height;                      // n - 1 merge heights
  std::vector<std::int64_t> size;                  // items in the cluster formed at each step
  std::vector<std::size_t> order;                  // the n items in dendrogram order (R's order)
};

/// \brief R's hclust(d, method) for n >= 2 items. O(n^2) memory; each of the n - 1 steps scans
/// the nearest-neighbour list (O(n)), updates one row (O(n)) and rescans the rows whose nearest
/// neighbour was merged (O(n) each): O(n^2) per step at worst, O(n^3) in all, and in practice
/// close to O(n^2) since few rows point at the merged pair.
Dendrogram hclust(Dissimilarity d, Method method);

/// \brief R's cutree(tree, k): the cluster (1..k) of every item after the first n - k merges,
/// clusters numbered in order of first appearance of their items. Requires 1 <= k <= n.
std::vector<std::int64_t> cutree(const Dendrogram& tree, std::size_t k);

/// \brief R's cutree(tree, h = height) as a number of clusters: n minus the number of merges at
/// heights <= `height`. nullopt when the heights are not increasing (R stops: a non-monotone
/// tree, possible with "centroid" and "median", has no cut at a height).
std::optional<std::size_t> clusters_at_height(const Dendrogram& tree, double height);

/// \brief Rousseeuw (1987) silhouette of a partition, as cluster::silhouette (sildist.c).
struct Silhouette {
  std::vector<std::int64_t> neighbor;  // the cluster with the least mean dissimilarity b(i)
  std::vector<double> width;           // (b - a) / max(a, b); 0 in a singleton cluster or a = b
};

/// \brief Silhouette widths of `clusters` (1..k, k >= 2) over dissimilarities `d`. a(i) is the
/// mean dissimilarity of i to the other members of its cluster, b(i) the least mean
/// dissimilarity to another cluster (the first such cluster in number order on ties).
Silhouette silhouette(const Dissimilarity& d, const std::vector<std::int64_t>& clusters,
                      std::size_t k);

/// \brief Euclidean distances between the rows of the n x p row-major matrix `x` (R's
/// dist(x, "euclidean")).
Dissimilarity euclidean(const std::vector<double>& x, std::size_t n, std::size_t p);

/// \brief 1 - r(i, j), r the Pearson correlation of rows i and j of the n x p row-major matrix
/// `x` (R's as.dist(1 - cor(t(x)))). Writes into `constant` the first row whose values are all
/// equal (r undefined) and returns nullopt for it.
std::optional<Dissimilarity> correlation_distance(const std::vector<double>& x, std::size_t n,
                                                  std::size_t p, std::size_t& constant);

}  // namespace klaster::plugins::hierarchical_clusters
