// klaster host: GeoJSON (RFC 7946) FeatureCollections as dataset tables.
//
// One row per feature. The declared columns are read from each feature's `properties`; the
// feature's geometry is kept, as compact JSON text, in a string column `geometry`. Checks the
// structure and the coordinates at read time; every error is one line naming the file and the
// feature.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/table.hpp"

namespace klaster {

/// \brief The name of the column holding each feature's geometry.
inline constexpr const char* kGeometryColumn = "geometry";

/// \brief Reads a GeoJSON FeatureCollection: the declared columns from each feature's
/// `properties` (a JSON null, a property absent from the feature and an empty string are missing
/// values; undeclared properties are ignored), then `geometry` (string; missing for a null
/// geometry). Throws sdk::DataError ("path: features[i] (name 'x'): ...") for: a file that is not
/// JSON or not a FeatureCollection, a feature that is not a Feature, a property of the wrong type,
/// a non-finite number, a declared column no feature has, an unsupported geometry type (Point,
/// Polygon and MultiPolygon are read), a ring with fewer than 4 positions or whose first and last
/// positions differ, a coordinate that is not a number or is out of range (longitude -180..180,
/// latitude -90..90). `options.trim` trims spaces around string properties (else they are an error,
/// as in CSV). The table's origin() names the feature of each row ("path features[i]").
sdk::Table read_geojson(const std::filesystem::path& path,
                        const std::vector<sdk::CsvColumnSpec>& columns,
                        const sdk::CsvOptions& options = {});

}  // namespace klaster
