// klaster SDK: geographic helpers shared by the spatial plugins (spatial_weights,
// distance_matrix, ...).
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

namespace klaster::sdk {

/// \brief The IUGG mean Earth radius R1 in km (Moritz 2000, Geodetic Reference System 1980).
inline constexpr double kEarthMeanRadiusKm = 6371.0088;

/// \brief Great-circle distance in km between two points given in decimal degrees: the haversine
/// formula d = 2 R asin(sqrt(sin^2(dphi/2) + cos phi1 cos phi2 sin^2(dlambda/2))) (Sinnott 1984).
inline double haversine_km(double lat1, double lon1, double lat2, double lon2,
                           double radius_km = kEarthMeanRadiusKm) {
  constexpr double rad = std::numbers::pi / 180.0;
  const double dphi = (lat2 - lat1) * rad, dlambda = (lon2 - lon1) * rad;
  const double s = std::sin(dphi / 2), t = std::sin(dlambda / 2);
  const double h = s * s + std::cos(lat1 * rad) * std::cos(lat2 * rad) * t * t;
  return 2 * radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace klaster::sdk
