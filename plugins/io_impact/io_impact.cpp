// io_impact: effects of a final-demand change, dx = L df, on output, employment, income and GVA,
// split into direct, indirect and (Type II) induced parts per sector, with totals.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 2.3 and 6.2-6.4.
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/io_satellites.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

class IoImpact final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "io_impact";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes the output, employment, income and GVA effects of a final-demand change";
    p.description =
        "For a final-demand change df (table `demand_change`: sector, delta; repeated sectors are "
        "summed), the output change is dx = L df with L = (I - A)^-1 (Miller & Blair 2009, 2.3). "
        "Per sector i: output_direct = df_i, output_indirect = (L df - df)_i, and for type = "
        "\"II\" "
        "output_induced = (L* df - L df)_i with households closed as in `multipliers` (A* = [A c; "
        "h' 0]); output_total is the sum of the parts. Employment, income and GVA parts are the "
        "output parts times the sector's coefficient per unit of output (EMP/x, D1/x, B1G/x), so "
        "each effect is located in the sector where it occurs.\n"
        "<output>_totals has one row per quantity with the sums over the sectors.\n"
        "Units are those of the table: df in the table's money unit; employment in the unit of the "
        "employment row or table times employment_scale.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 2 and 6.";
    p.params = io_table_params();
    p.params.push_back(ParamSpec("demand_change", ParamType::kTable)
                           .req()
                           .doc_("long table of final-demand changes by sector"));
    p.params.push_back(
        ParamSpec("sector_column", ParamType::kColumn)
            .of("demand_change")
            .def("sector")
            .doc_("sector column of demand_change (row or column codes of the IO table)"));
    p.params.push_back(ParamSpec("delta_column", ParamType::kColumn)
                           .numeric()
                           .of("demand_change")
                           .def("delta")
                           .doc_("change of final demand, in the table's units"));
    for (ParamSpec& spec : satellite_params()) p.params.push_back(std::move(spec));
    p.reads = {
        {"input", "row, column, value", "symmetric input-output table (layout = \"matrix\")"},
        {"demand_change", "<sector_column>, <delta_column>", "final-demand change"},
        {"employment_table", "<employment_key>, <employment_value>",
         "optional employment by sector"}};
    p.writes = {{"<output>", "sector, per quantity q: q_direct, q_indirect, [q_induced], q_total",
                 "one row per sector"},
                {"<output>_totals", "quantity, direct, indirect, [induced], total",
                 "sums over the sectors"}};
    return p;
  }

  static std::vector<std::string> parts(const Params& params) {
    if (params.str("type") == "II") return {"direct", "indirect", "induced", "total"};
    return {"direct", "indirect", "total"};
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    check_satellite_params(ctx);
    const Params& params = ctx.params();
    std::vector<std::string> cols;
    for (const auto& q : satellite_quantities(params))
      for (const auto& part : parts(params)) cols.push_back(q + "_" + part);
    ctx.declare_output(ctx.output_name(), sector_schema(cols));
    Schema totals;
    totals.add("quantity", ColumnType::kString);
    for (const auto& part : parts(params)) totals.add(part, ColumnType::kFloat);
    ctx.declare_output(ctx.output_name() + "_totals", totals);
  }

  /// df in sector order; unknown sectors are a ParamError listing them, repeats are summed.
  static Eigen::VectorXd demand_change(const RunContext& ctx, const IoSystem& io) {
    const Params& params = ctx.params();
    const Table& t = ctx.table_of_param("demand_change");
    const Column& key = t.column(params.str("sector_column"));
    const Column& value = t.column(params.str("delta_column"));
    Eigen::VectorXd df = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(io.size()));
    std::vector<std::string> names;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (!key.is_valid(r)) throw DataError(t.row_name(r) + " of demand_change has no sector");
      names.push_back(key.to_text(r));
    }
    const std::vector<std::size_t> index = io.sector_indices(names, "demand_change");
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (!value.is_valid(r) || !std::isfinite(value.number(r)))
        throw DataError("demand_change: sector '" + names[r] + "' has no value in '" +
                        params.str("delta_column") + "'");
      df(static_cast<Eigen::Index>(index[r])) += value.number(r);
    }
    return df;
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::VectorXd df = demand_change(ctx, io);
    const Satellites sat = satellites(ctx, io);
    // Miller & Blair (2009) eq. 2.11: dx = L df; Type II with households closed (eq. 6.20).
    const Eigen::VectorXd dx1 = LeontiefSolver(A, io.sectors(), "Leontief").solve(df);
    Eigen::VectorXd dx2 = dx1;
    if (sat.type2) {
      Eigen::VectorXd rhs = Eigen::VectorXd::Zero(A.rows() + 1);
      rhs.head(A.rows()) = df;
      dx2 = type2_solver(params, io, A, sat).solve(rhs).head(A.rows());
    }
    const std::vector<std::string> names = parts(params);
    std::vector<std::pair<std::string, Eigen::VectorXd>> cols;
    std::vector<std::vector<double>> sums(names.size());
    for (const auto& [quantity, k] : sat.coefficients) {
      std::vector<Eigen::VectorXd> part{k.cwiseProduct(df), k.cwiseProduct(dx1 - df)};
      if (sat.type2) part.push_back(k.cwiseProduct(dx2 - dx1));
      part.push_back(k.cwiseProduct(dx2));  // dx2 = dx1 for Type I
      for (std::size_t p = 0; p < part.size(); ++p) {
        cols.emplace_back(quantity + "_" + names[p], part[p]);
        sums[p].push_back(part[p].sum());
      }
    }
    ctx.write(ctx.output_name(), sector_table(io.sectors(), cols));
    ctx.write(ctx.output_name() + "_totals", totals_table(sat, names, sums));
  }

 private:
  /// One row per quantity with the sums of its parts over the sectors.
  static Table totals_table(const Satellites& sat, const std::vector<std::string>& names,
                            const std::vector<std::vector<double>>& sums) {
    std::vector<std::string> quantity;
    for (const auto& [name, k] : sat.coefficients) quantity.push_back(name);
    std::vector<Column> cols{Column::make_strings("quantity", quantity)};
    for (std::size_t p = 0; p < names.size(); ++p)
      cols.push_back(Column::make_floats(names[p], sums[p]));
    return Table(std::move(cols));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::IoImpact)
