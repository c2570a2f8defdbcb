// regional_clusters' numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace klaster::plugins::regional_clusters {

/// \brief The size of a cluster in one region: sum_i w_i x_i over the regional industries i, where
/// w_i is the part of industry i's value taken as the cluster's (1 for a template industry that is
/// a regional industry; the concordance shares summed over the cluster's template industries
/// otherwise). `weights` and `values` are equally long.
double cluster_size(const std::vector<double>& weights, const std::vector<double>& values);

/// \brief The cluster location quotient LQ = (size_r / total_r) / (size_N / total_N) (Isard 1960;
/// Miller & Blair 2009, sec. 8.5.1, applied to the cluster's size). nullopt when size_N or a
/// total is not positive (the quotient is undefined).
std::optional<double> cluster_lq(double size_r, double total_r, double size_n, double total_n);

/// \brief The thresholds of the strength classes.
struct Thresholds {
  double lq = 1.0;      // specialisation: LQ >= lq
  double share = 0.05;  // size: share of the national cluster >= share
};

/// \brief The strength class of a region's cluster: "strong" (LQ >= t.lq and share >= t.share),
/// "specialised" (LQ only), "large" (share only), "weak" (neither, size > 0), "absent" (size 0).
/// An undefined LQ or share (std::nullopt) meets no threshold.
std::string strength(double size, std::optional<double> lq, std::optional<double> share,
                     const Thresholds& t);

/// \brief The spatial groups of one cluster and year: the connected components of the graph on
/// regions 0..n-1 with the undirected `edges`, restricted to the regions with qualifies[r] != 0,
/// that have at least `min_regions` regions. Each group lists its regions ascending; groups are
/// ordered by their summed `size` descending, then by their first region.
std::vector<std::vector<std::size_t>> spatial_groups(
    std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
    const std::vector<std::uint8_t>& qualifies, const std::vector<double>& size,
    std::size_t min_regions);

}  // namespace klaster::plugins::regional_clusters
