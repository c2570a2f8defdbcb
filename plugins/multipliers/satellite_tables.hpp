// The tables of the satellite quantities of klaster/sdk/io_satellites.hpp (output, income,
// employment, gva) that multipliers and io_impact both declare: the employment table they may read,
// and the columns of the quantities a step asks for. Header-only and included by io_impact from
// here so that it is written once; its place is io_satellites.hpp, next to satellite_params().
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "klaster/sdk/io_satellites.hpp"

namespace klaster::plugins::satellite_tables {

/// \brief A quantity satellite_quantities() may ask for: its name (the prefix of its columns),
/// what one unit of it is, and when a step asks for it.
struct Quantity {
  const char* name;
  const char* unit;
  const char* when;
};

/// \brief Every quantity, in satellite_quantities() order.
inline const std::vector<Quantity>& quantities() {
  static const std::vector<Quantity> all{
      {"output", "output", "always"},
      {"income", "compensation of employees (compensation_row)", "unless compensation_row = \"\""},
      {"employment", "employment (employment_row or employment_table) x employment_scale",
       "when employment_table is given or employment_row is not \"\""},
      {"gva", "gross value added (gva_row)", "unless gva_row = \"\""}};
  return all;
}

/// \brief "columns per quantity: output always; income unless ...": for a written table's doc.
inline std::string quantities_doc() {
  std::string doc = "columns per quantity:";
  for (std::size_t k = 0; k < quantities().size(); ++k)
    doc += std::string(k == 0 ? " " : "; ") + quantities()[k].name + " " + quantities()[k].when;
  return doc;
}

/// \brief The optional employment table of satellite_params(), read when given.
inline sdk::TableSpec employment_read() {
  return sdk::TableSpec::read("employment_table",
                              "employment by sector (it overrides employment_row)")
      .when_given("employment_table")
      .column(sdk::ColumnSpec::of("employment_key", "the sector: a row or column label of input"))
      .column(sdk::ColumnSpec::of("employment_value", "its employment, times employment_scale"));
}

/// \brief Replaces the derived schema of the step's <output> by the same columns less those
/// ("<quantity>_...") of the quantities the step does not ask for. PluginInfo::writes declares the
/// columns of every quantity because a Condition can say neither "compensation_row is not \"\""
/// nor "employment_table is given or employment_row is not \"\"".
inline void declare_asked_columns(sdk::BindContext& ctx) {
  const std::vector<std::string> asked = sdk::satellite_quantities(ctx.params());
  const auto unasked = [&](const std::string& column) {
    return std::any_of(quantities().begin(), quantities().end(), [&](const Quantity& q) {
      return column.starts_with(std::string(q.name) + "_") &&
             std::find(asked.begin(), asked.end(), q.name) == asked.end();
    });
  };
  const auto& outputs = ctx.outputs();
  const auto derived = std::find_if(outputs.begin(), outputs.end(),
                                    [&](const auto& o) { return o.first == ctx.output_name(); });
  sdk::Schema kept;
  for (const auto& [column, type] : derived->second.columns)
    if (!unasked(column)) kept.add(column, type);
  ctx.declare_output(ctx.output_name(), std::move(kept));
}

}  // namespace klaster::plugins::satellite_tables
