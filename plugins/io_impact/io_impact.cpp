// io_impact: effects of a final-demand change, dx = L df, on output, employment, income and GVA,
// split into direct, indirect and (Type II) induced parts per sector, with totals.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 2.3 and 6.2-6.4.
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
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
        "Per sector i: output_direct = df_i, output_indirect = (L df - df)_i, and for type = \"II\" "
        "output_induced = (L* df - L df)_i with households closed as in `multipliers` (A* = [A c; "
        "h' 0]); output_total is the sum of the parts. Employment, income and GVA parts are the "
        "output parts times the sector's coefficient per unit of output (EMP/x, D1/x, B1G/x), so "
        "each effect is located in the sector where it occurs.\n"
        "<output>_totals has one row per quantity with the sums over the sectors.\n"
        "Units are those of the table: df in the table's money unit; employment in the unit of the "
        "employment row or table times employment_scale.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 2 and 6.";
    p.params = io_table_params();
    p.params.push_back(ParamSpec("demand_change", ParamType::kTable).req().doc_(
        "long table of final-demand changes by sector"));
    p.params.push_back(ParamSpec("sector_column", ParamType::kColumn).of("demand_change").def("sector").doc_(
        "sector column of demand_change (row or column codes of the IO table)"));
    p.params.push_back(ParamSpec("delta_column", ParamType::kColumn).of("demand_change").def("delta").doc_(
        "change of final demand, in the table's units"));
    p.params.push_back(ParamSpec("type", ParamType::kString).def("I").one_of({"I", "II"}).doc_(
        "\"II\" adds effects induced by household spending"));
    p.params.push_back(ParamSpec("compensation_row", ParamType::kString).def("D1").doc_(
        "row with compensation of employees; \"\" skips income (type I only)"));
    p.params.push_back(ParamSpec("household_column", ParamType::kString).def("P3_S14").doc_(
        "household consumption column (type II)"));
    p.params.push_back(ParamSpec("household_income", ParamType::kFloat).above(0).doc_(
        "total household income dividing household_column; default: sum of compensation_row over the sectors"));
    p.params.push_back(ParamSpec("employment_row", ParamType::kString).def("EMP").doc_(
        "row with employment; \"\" for none (or use employment_table)"));
    p.params.push_back(ParamSpec("employment_table", ParamType::kTable).doc_(
        "long table with employment by sector; overrides employment_row"));
    p.params.push_back(ParamSpec("employment_key", ParamType::kColumn).of("employment_table").def("sector").doc_(
        "sector column of employment_table"));
    p.params.push_back(ParamSpec("employment_value", ParamType::kColumn).of("employment_table").def("employment").doc_(
        "employment column of employment_table"));
    p.params.push_back(ParamSpec("employment_scale", ParamType::kFloat).def(1.0).above(0).doc_(
        "factor applied to employment"));
    p.params.push_back(ParamSpec("gva_row", ParamType::kString).def("B1G").doc_("gross value added row; \"\" for none"));
    p.reads = {{"input", "row, column, value", "symmetric input-output table (layout = \"matrix\")"},
               {"demand_change", "<sector_column>, <delta_column>", "final-demand change"},
               {"employment_table", "<employment_key>, <employment_value>", "optional employment by sector"}};
    p.writes = {{"<output>", "sector, per quantity q: q_direct, q_indirect, [q_induced], q_total", "one row per sector"},
                {"<output>_totals", "quantity, direct, indirect, [induced], total", "sums over the sectors"}};
    return p;
  }

  static std::vector<std::string> quantities(const Params& params) {
    std::vector<std::string> q{"output"};
    if (!params.str("compensation_row").empty()) q.push_back("income");
    if (params.has("employment_table") || !params.str("employment_row").empty()) q.push_back("employment");
    if (!params.str("gva_row").empty()) q.push_back("gva");
    return q;
  }
  static std::vector<std::string> parts(const Params& params) {
    if (params.str("type") == "II") return {"direct", "indirect", "induced", "total"};
    return {"direct", "indirect", "total"};
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    const Params& params = ctx.params();
    const Schema& dc = ctx.schema_of_param("demand_change");
    if (*dc.type_of(params.str("delta_column")) == ColumnType::kString)
      throw ParamError("delta_column", "column '" + params.str("delta_column") + "' holds text, not numbers");
    if (params.str("type") == "II" && params.str("compensation_row").empty())
      throw ParamError("compensation_row", "type = \"II\" closes households through compensation_row; it cannot be \"\"");
    std::vector<std::string> cols;
    for (const auto& q : quantities(params))
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
        throw DataError("demand_change: sector '" + names[r] + "' has no value in '" + params.str("delta_column") + "'");
      df(static_cast<Eigen::Index>(index[r])) += value.number(r);
    }
    return df;
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::Index n = static_cast<Eigen::Index>(io.size());
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::VectorXd x_inv = io.x().unaryExpr([](double v) { return v > 0 ? 1.0 / v : 0.0; });
    const Eigen::VectorXd df = demand_change(ctx, io);

    std::vector<std::pair<std::string, Eigen::VectorXd>> coefficient{{"output", Eigen::VectorXd::Ones(n)}};
    Eigen::VectorXd income;
    if (!params.str("compensation_row").empty()) {
      income = io.row(params.str("compensation_row"), "compensation_row");
      coefficient.emplace_back("income", income.cwiseProduct(x_inv));
    }
    if (params.has("employment_table")) {
      const Eigen::VectorXd e = io.sector_vector(ctx.table_of_param("employment_table"), params.str("employment_key"),
                                                 params.str("employment_value"), false,
                                                 "employment table '" + params.str("employment_table") + "'");
      coefficient.emplace_back("employment", (e * params.real("employment_scale")).cwiseProduct(x_inv));
    } else if (!params.str("employment_row").empty()) {
      const Eigen::VectorXd e = io.row(params.str("employment_row"), "employment_row");
      coefficient.emplace_back("employment", (e * params.real("employment_scale")).cwiseProduct(x_inv));
    }
    if (!params.str("gva_row").empty())
      coefficient.emplace_back("gva", io.row(params.str("gva_row"), "gva_row").cwiseProduct(x_inv));

    // Miller & Blair (2009) eq. 2.11: dx = L df.
    const Eigen::VectorXd dx1 = LeontiefSolver(A, io.sectors(), "Leontief").solve(df);
    const bool type2 = params.str("type") == "II";
    Eigen::VectorXd dx2 = dx1;
    if (type2) {
      const double total_income = params.has("household_income") ? params.real("household_income") : income.sum();
      if (!(total_income > 0))
        throw DataError("household income (sum of '" + params.str("compensation_row") + "' over the sectors) is " +
                        std::to_string(total_income) + "; Type II needs it positive");
      const Eigen::MatrixXd closed = close_households(
          A, coefficient[1].second, io.column(params.str("household_column"), "household_column") / total_income);
      std::vector<std::string> labels = io.sectors();
      labels.push_back("households");
      Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n + 1);
      rhs.head(n) = df;
      dx2 = LeontiefSolver(closed, labels, "Type II (households closed)").solve(rhs).head(n);
    }

    std::vector<std::pair<std::string, Eigen::VectorXd>> cols;
    std::vector<std::string> quantity;
    std::vector<std::vector<double>> total_parts(parts(params).size());
    for (const auto& [name, k] : coefficient) {
      std::vector<Eigen::VectorXd> part{k.cwiseProduct(df), k.cwiseProduct(dx1 - df)};
      if (type2) part.push_back(k.cwiseProduct(dx2 - dx1));
      part.push_back(k.cwiseProduct(type2 ? dx2 : dx1));
      const auto names = parts(params);
      quantity.push_back(name);
      for (std::size_t p = 0; p < part.size(); ++p) {
        cols.emplace_back(name + "_" + names[p], part[p]);
        total_parts[p].push_back(part[p].sum());
      }
    }
    ctx.write(ctx.output_name(), sector_table(io.sectors(), cols));
    std::vector<Column> totals{Column::make_strings("quantity", quantity)};
    const auto names = parts(params);
    for (std::size_t p = 0; p < names.size(); ++p) totals.push_back(Column::make_floats(names[p], total_parts[p]));
    ctx.write(ctx.output_name() + "_totals", Table(std::move(totals)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::IoImpact)
