// spatial_weights's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
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
  bool same_polygon = false;  // contiguity with members: the two regions share one polygon
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

// ---- Contiguity (rook / queen) ----
// Polygons are compared in the plane of their coordinates (longitude x, latitude y, degrees), with
// a tolerance `tol` in degrees for "the same point" and "on the segment".

struct Point {
  double x, y;  // longitude, latitude
};
using Ring = std::vector<Point>;  // closed: the last point equals the first
/// \brief A feature's rings (outer rings and holes of every part of a MultiPolygon): the point
/// inside test counts crossings of all of them (even-odd rule).
using Shape = std::vector<Ring>;

/// \brief The rings of a GeoJSON Polygon or MultiPolygon geometry given as JSON text. Throws
/// std::invalid_argument saying what is wrong (not JSON, another geometry type, a ring of fewer
/// than 4 positions or that does not close, a coordinate that is not a number).
Shape parse_shape(std::string_view geojson);

/// \brief Two shapes that touch: `border` when they share a boundary stretch longer than tol
/// (rook), otherwise only one or more points (queen only).
struct ShapeContact {
  std::size_t a, b;  // a < b
  bool border;
};
/// \brief Two shapes whose interiors overlap, and a point showing it: where their edges cross
/// properly (`crossing`), or a vertex or edge midpoint of `a` that lies inside `b`.
struct ShapeOverlap {
  std::size_t a, b;
  Point at;
  bool crossing;
};
struct ContactResult {
  std::vector<ShapeContact> contacts;   // by (a, b)
  std::optional<ShapeOverlap> overlap;  // the first overlap found; contacts are then incomplete
};
/// \brief The pairs of shapes that touch (a vertex of one within tol of the other's boundary, or
/// collinear edges sharing more than tol), and the first pair that overlaps. Two shapes with
/// identical outlines are not detected as overlapping (every vertex and midpoint is on the
/// other's boundary).
ContactResult shape_contacts(const std::vector<Shape>& shapes, double tol);

/// \brief Contiguity between regions, each covering the shapes `region_shapes[i]`: regions i and
/// j are neighbours when they share a shape (Link::same_polygon) or a shape of one touches a shape
/// of the other: along a border for rook (`rook` true), at any point for queen. Weights 1,
/// distance 0 (to be filled by the caller), each region's neighbours in index order.
Links contiguity_links(const std::vector<std::vector<std::size_t>>& region_shapes,
                       const std::vector<ShapeContact>& contacts, bool rook);

}  // namespace klaster::plugins::spatial_weights
