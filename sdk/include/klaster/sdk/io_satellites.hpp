// klaster SDK: satellite accounts of an input-output table (income, employment, gross value added
// per unit of output) and the Type II closure with households, shared by the IO plugins that turn
// output effects into these quantities (multipliers, io_impact).
//
//   p.params = io_table_params();
//   append(p.params, satellite_params());          // type, compensation_row, household_column, ...
//   bind:  check_satellite_params(ctx);             // Type II needs income and consumption
//   run:   const Satellites s = satellites(ctx, io);  // coefficient vectors, "output" first
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/io_table.hpp"

namespace klaster::sdk {

/// \brief The parameters: `type` ("I" | "II"), `compensation_row`, `household_column`,
/// `household_income`, `employment_row`, `employment_table`, `employment_key`, `employment_value`,
/// `employment_scale`, `gva_row`.
std::vector<ParamSpec> satellite_params();

/// \brief Bind-time checks: type "II" needs compensation_row and household_column; the employment
/// value column must hold numbers. ParamError naming the parameter.
void check_satellite_params(const BindContext& ctx);

/// \brief The quantities the parameters ask for, in order: output, [income], [employment], [gva].
std::vector<std::string> satellite_quantities(const Params& params);

/// \brief A quantity satellite_quantities() may ask for: its name (the prefix of its columns,
/// "<name>_..."), what one unit of it is, and when a step asks for it.
struct SatelliteQuantity {
  const char* name;
  const char* unit;
  const char* when;
};
/// \brief Every quantity, in satellite_quantities() order.
const std::vector<SatelliteQuantity>& satellite_quantity_list();
/// \brief "columns per quantity: output always; income unless ...", for a written table's doc.
std::string satellite_quantities_doc();
/// \brief The optional employment table of satellite_params(), read when given.
TableSpec satellite_employment_read();
/// \brief Drops from the derived schema of output table `pattern` the columns ("<quantity>_...")
/// of the quantities the step does not ask for. A plugin's writes declare every quantity's
/// columns, since a Condition can say neither "compensation_row is not \"\"" nor "employment_table
/// is given or employment_row is not \"\"". Call it from bind().
void keep_asked_quantities(BindContext& ctx, const std::string& pattern);

/// \brief Per unit of output: the coefficient vector of each quantity (output: ones), in the order
/// of satellite_quantities(); `income` is compensation by sector (empty when not asked for).
struct Satellites {
  std::vector<std::pair<std::string, Eigen::VectorXd>> coefficients;
  Eigen::VectorXd income;
  bool type2 = false;
};
/// \brief Reads the satellite rows (or employment table) of `io` as the parameters say.
Satellites satellites(const RunContext& ctx, const IoSystem& io);

/// \brief The Type II system (Miller & Blair 2009, eq. 6.20): households closed through the
/// income coefficients and household_column / household income (household_income, by default the
/// sum of compensation over the sectors), solved once. DataError when that income is not positive.
LeontiefSolver type2_solver(const Params& params, const IoSystem& io, const Eigen::MatrixXd& A,
                            const Satellites& s);

}  // namespace klaster::sdk
