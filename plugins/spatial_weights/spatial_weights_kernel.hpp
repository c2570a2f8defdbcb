// spatial_weights's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "klaster/sdk/geo.hpp"

namespace klaster::plugins::spatial_weights {

using sdk::haversine_km;  // klaster/sdk/geo.hpp

/// \brief The distances between n points, row-major n x n, zero on the diagonal.
struct Distances {
  std::size_t n = 0;
  std::vector<double> km;
  double at(std::size_t i, std::size_t j) const { return km[i * n + j]; }
};

/// \brief Haversine distances between the points (lat[k], lon[k]).
Distances distance_matrix(const std::vector<double>& lat, const std::vector<double>& lon,
                          double radius_km);

/// \brief A weight from one point to point `to`, `distance` km away.
struct Link {
  std::size_t to;
  double distance;
  double weight;
};
/// \brief Per point, its links, nearest first (equal distances in point order).
using Links = std::vector<std::vector<Link>>;

/// \brief w_ij = 1 for the k nearest other points (PySAL KNN). Requires k < n.
Links knn_links(const Distances& d, std::size_t k);
/// \brief w_ij = 1 where d_ij <= threshold (PySAL DistanceBand, binary).
Links band_links(const Distances& d, double threshold);
/// \brief w_ij = d_ij^-power for every other point, or only where d_ij <= threshold when given
/// (PySAL DistanceBand(binary=False), alpha = -power). Requires no coincident points
/// (coincident_pair() is nullopt): their weight would be infinite.
Links inverse_distance_links(const Distances& d, double power, std::optional<double> threshold);
/// \brief The first pair (i, j), i != j, in (i, j) order, of points at distance 0, or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> coincident_pair(const Distances& d);

/// \brief Divides each point's weights by their sum (PySAL transform "r", spdep style "W"); a
/// point without links keeps none.
void row_standardize(Links& links);

}  // namespace klaster::plugins::spatial_weights
