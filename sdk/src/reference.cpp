#include "klaster/sdk/reference.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace klaster::sdk {

std::vector<ParamSpec> reference_params(const std::string& table_param, const std::string& doc) {
  const std::string of = "`" + table_param + "`";
  return {
      ParamSpec(table_param, ParamType::kTable).doc_(doc),
      ParamSpec("reference_industry", ParamType::kColumn)
          .of(table_param)
          .def("industry")
          .doc_("industry key column of " + of),
      ParamSpec("reference_year", ParamType::kColumn)
          .of(table_param)
          .def("year")
          .if_present()
          .doc_("year column of " + of + "; without it its rows serve every year"),
      ParamSpec("reference_value", ParamType::kColumn)
          .numeric()
          .of(table_param)
          .def("value")
          .doc_("total E_i column of " + of),
  };
}

TableSpec reference_read(const std::string& table_param) {
  return TableSpec::read(table_param, "external reference economy (optional)")
      .when_given(table_param)
      .column(ColumnSpec::of("reference_industry"))
      .column(ColumnSpec::of("reference_year"))
      .column(ColumnSpec::of("reference_value", "E_i, >= 0; one row per industry (and year)"));
}

std::vector<double> read_reference(const RunContext& ctx, const Cube& cube,
                                   const std::string& table_param) {
  const Params& params = ctx.params();
  const Table& ref = ctx.table_of_param(table_param);
  const std::string name = "the reference table '" + params.str(table_param) + "'";
  const Column& industry = ref.column(params.str("reference_industry"));
  const Column& value = ref.column(params.str("reference_value"));
  const Column* year = cube.has_year() ? ref.find(params.str("reference_year")) : nullptr;
  const std::size_t I = cube.n_industries();
  std::vector<double> e(cube.n_years() * I, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t row = 0; row < ref.rows(); ++row) {
    if (!industry.is_valid(row) || !value.is_valid(row) || (year && !year->is_valid(row)))
      throw DataError(ref.row_name(row) + " of " + name + " has a missing key or value");
    const std::int32_t i = cube.industries().find(industry.to_text(row));
    const std::int32_t y = year ? cube.years().find(year->to_text(row)) : -1;
    if (i < 0 || (year && y < 0)) continue;  // an industry or year the input does not have
    if (!(value.number(row) >= 0))
      throw DataError(ref.row_name(row) + " of " + name + ": negative value " +
                      format_number(value.number(row)) + " for industry '" + industry.to_text(row) +
                      "'");
    const std::size_t first = year ? static_cast<std::size_t>(y) : 0;
    const std::size_t last = year ? first + 1 : cube.n_years();
    for (std::size_t yy = first; yy < last; ++yy) {
      double& cell = e[yy * I + static_cast<std::size_t>(i)];
      if (!std::isnan(cell))
        throw DataError("industry '" + industry.to_text(row) + "' has more than one row in " +
                        name + (year ? " for " + cube.where_year(yy) : std::string()) + " (" +
                        ref.row_name(row) + ")");
      cell = value.number(row);
    }
  }
  return e;
}

}  // namespace klaster::sdk
