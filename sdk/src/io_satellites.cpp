#include "klaster/sdk/io_satellites.hpp"

#include <algorithm>

namespace klaster::sdk {

std::vector<ParamSpec> satellite_params() {
  return {
      ParamSpec("type", ParamType::kString)
          .def("I")
          .one_of({"I", "II"})
          .doc_(
              "\"I\": households exogenous; \"II\": households closed through compensation_row and "
              "household_column (adds effects induced by household spending)"),
      ParamSpec("compensation_row", ParamType::kString)
          .def("D1")
          .doc_("row with compensation of employees (household income); \"\" skips income (type I "
                "only)"),
      ParamSpec("household_column", ParamType::kString)
          .def("P3_S14")
          .doc_("column with household final consumption (closes households for type II)"),
      ParamSpec("household_income", ParamType::kFloat)
          .above(0)
          .doc_("total household income dividing household_column; default: sum of "
                "compensation_row over "
                "the sectors"),
      ParamSpec("employment_row", ParamType::kString)
          .def("EMP")
          .doc_("row with employment; \"\" for none (or use employment_table)"),
      ParamSpec("employment_table", ParamType::kTable)
          .doc_("long table with employment by sector; overrides employment_row"),
      ParamSpec("employment_key", ParamType::kColumn)
          .of("employment_table")
          .def("sector")
          .doc_("sector column of employment_table (row or column codes of the IO table)"),
      ParamSpec("employment_value", ParamType::kColumn)
          .numeric()
          .of("employment_table")
          .def("employment")
          .doc_("employment column of employment_table"),
      ParamSpec("employment_scale", ParamType::kFloat)
          .def(1.0)
          .above(0)
          .doc_("factor applied to employment (e.g. 0.001 for thousand persons)"),
      ParamSpec("gva_row", ParamType::kString)
          .def("B1G")
          .doc_("row with gross value added; \"\" for none"),
  };
}

void check_satellite_params(const BindContext& ctx) {
  const Params& params = ctx.params();
  if (params.str("type") == "II") {
    if (params.str("compensation_row").empty())
      throw ParamError(
          "compensation_row",
          "type = \"II\" closes households through compensation_row; it cannot be \"\"");
    if (params.str("household_column").empty())
      throw ParamError("household_column", "type = \"II\" needs the household consumption column");
  }
}

std::vector<std::string> satellite_quantities(const Params& params) {
  std::vector<std::string> q{"output"};
  if (!params.str("compensation_row").empty()) q.push_back("income");
  if (params.has("employment_table") || !params.str("employment_row").empty())
    q.push_back("employment");
  if (!params.str("gva_row").empty()) q.push_back("gva");
  return q;
}

namespace {

/// Employment by sector from employment_table or employment_row, times employment_scale.
Eigen::VectorXd employment(const RunContext& ctx, const IoSystem& io) {
  const Params& params = ctx.params();
  const double scale = params.real("employment_scale");
  if (!params.has("employment_table"))
    return io.row(params.str("employment_row"), "employment_row") * scale;
  return io.sector_vector(ctx.table_of_param("employment_table"), params.str("employment_key"),
                          params.str("employment_value"), false,
                          "employment table '" + params.str("employment_table") + "'") *
         scale;
}

}  // namespace

Satellites satellites(const RunContext& ctx, const IoSystem& io) {
  const Params& params = ctx.params();
  const Eigen::VectorXd x_inv = io.x().unaryExpr([](double v) { return v > 0 ? 1.0 / v : 0.0; });
  Satellites s;
  s.type2 = params.str("type") == "II";
  for (const std::string& q : satellite_quantities(params)) {
    Eigen::VectorXd per_output;
    if (q == "output") {
      per_output = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(io.size()));
    } else if (q == "income") {
      s.income = io.row(params.str("compensation_row"), "compensation_row");
      per_output = s.income.cwiseProduct(x_inv);
    } else if (q == "employment") {
      per_output = employment(ctx, io).cwiseProduct(x_inv);
    } else {
      per_output = io.row(params.str("gva_row"), "gva_row").cwiseProduct(x_inv);
    }
    s.coefficients.emplace_back(q, std::move(per_output));
  }
  return s;
}

LeontiefSolver type2_solver(const Params& params, const IoSystem& io, const Eigen::MatrixXd& A,
                            const Satellites& s) {
  const double income =
      params.has("household_income") ? params.real("household_income") : s.income.sum();
  if (!(income > 0))
    throw DataError("household income (sum of '" + params.str("compensation_row") +
                    "' over the sectors) is " + format_number(income) +
                    "; Type II needs it positive");
  const Eigen::VectorXd consumption = io.column(params.str("household_column"), "household_column");
  // Miller & Blair (2009) eq. 6.20: households as the (n+1)th sector.
  const Eigen::MatrixXd closed =
      close_households(A, s.coefficients.at(1).second, consumption / income);
  std::vector<std::string> labels = io.sectors();
  labels.push_back("households");
  return LeontiefSolver(closed, labels, "Type II (households closed)");
}

const std::vector<SatelliteQuantity>& satellite_quantity_list() {
  static const std::vector<SatelliteQuantity> all{
      {"output", "output", "always"},
      {"income", "compensation of employees (compensation_row)", "unless compensation_row = \"\""},
      {"employment", "employment (employment_row or employment_table) x employment_scale",
       "when employment_table is given or employment_row is not \"\""},
      {"gva", "gross value added (gva_row)", "unless gva_row = \"\""}};
  return all;
}

std::string satellite_quantities_doc() {
  std::string doc = "columns per quantity:";
  const auto& all = satellite_quantity_list();
  for (std::size_t k = 0; k < all.size(); ++k)
    doc += std::string(k == 0 ? " " : "; ") + all[k].name + " " + all[k].when;
  return doc;
}

TableSpec satellite_employment_read() {
  return TableSpec::read("employment_table", "employment by sector (it overrides employment_row)")
      .when_given("employment_table")
      .column(ColumnSpec::of("employment_key", "the sector: a row or column label of input"))
      .column(ColumnSpec::of("employment_value", "its employment, times employment_scale"));
}

void keep_asked_quantities(BindContext& ctx, const std::string& pattern) {
  const std::string name = output_table_name(pattern, ctx.output_name());
  const std::vector<std::string> asked = satellite_quantities(ctx.params());
  const auto unasked = [&](const std::string& column) {
    return std::any_of(satellite_quantity_list().begin(), satellite_quantity_list().end(),
                       [&](const SatelliteQuantity& q) {
                         return column.starts_with(std::string(q.name) + "_") &&
                                std::find(asked.begin(), asked.end(), q.name) == asked.end();
                       });
  };
  for (const auto& [table, derived] : ctx.outputs()) {
    if (table != name) continue;
    Schema schema;
    for (const auto& [column, type] : derived.columns)
      if (!unasked(column)) schema.add(column, type);
    ctx.declare_output(name, std::move(schema));
    return;
  }
}

}  // namespace klaster::sdk
