// klaster SDK: an external reference economy for indicators that compare regions with a whole
// (location_quotient, specialization): national totals E_i by industry [and year] that may exceed
// the sum of the table's regions, the usual case with regional statistics.
#pragma once

#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"
#include "klaster/sdk/table_spec.hpp"

namespace klaster::sdk {

/// \brief The table parameter `table_param` (documented by `doc`) and its columns
/// reference_industry (default "industry"), reference_year (default "year", used if present)
/// and reference_value (default "value").
std::vector<ParamSpec> reference_params(const std::string& table_param, const std::string& doc);

/// \brief The read spec of that table, when the parameter is given.
TableSpec reference_read(const std::string& table_param);

/// \brief E_i per (year, industry) of `cube`, flattened year-major, from the table named by
/// `table_param`; NaN where it has no row. Rows of industries or years the cube does not have are
/// ignored. DataError for a row with a missing key or value, a negative value, or an industry
/// given twice for a year.
std::vector<double> read_reference(const RunContext& ctx, const Cube& cube,
                                   const std::string& table_param);

}  // namespace klaster::sdk
