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

/// \brief Declares the table of `spec` (literal string and float columns, conditions comparing a
/// string parameter with a value) with only the columns of the quantities the step asks for,
/// replacing its derived schema. PluginInfo::writes declares the columns ("<quantity>_...") of
/// every quantity because a Condition can say neither "compensation_row is not \"\"" nor
/// "employment_table is given or employment_row is not \"\"". The schema is read off `spec` so
/// that bind() needs nothing from the context but the parameters.
inline void declare_asked_columns(sdk::BindContext& ctx, const sdk::TableSpec& spec) {
  const sdk::Params& params = ctx.params();
  const std::vector<std::string> asked = sdk::satellite_quantities(params);
  const auto wanted = [&](const sdk::ColumnSpec& c) {
    for (const sdk::Condition& when : c.conditions)
      if (params.str(when.param) != when.value) return false;
    return std::none_of(quantities().begin(), quantities().end(), [&](const Quantity& q) {
      return c.name.starts_with(std::string(q.name) + "_") &&
             std::find(asked.begin(), asked.end(), q.name) == asked.end();
    });
  };
  sdk::Schema schema;
  for (const sdk::ColumnSpec& c : spec.columns) {
    if (!c.param.empty() ||
        (c.type != sdk::ColumnSpec::Type::kString && c.type != sdk::ColumnSpec::Type::kFloat))
      throw sdk::Error("declare_asked_columns: column '" + c.name + c.param +
                       "' is not a literal string or float column");
    if (wanted(c))
      schema.add(c.name, c.type == sdk::ColumnSpec::Type::kString ? sdk::ColumnType::kString
                                                                  : sdk::ColumnType::kFloat);
  }
  ctx.declare_output(sdk::output_table_name(spec.name, ctx.output_name()), std::move(schema));
}

}  // namespace klaster::plugins::satellite_tables
