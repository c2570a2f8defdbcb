// io_impact: effects of a final-demand change, dx = L df, on output, employment, income and GVA,
// split into direct, indirect and (Type II) induced parts per sector, with totals.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 2.3 and 6.2-6.4.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "io_impact_kernel.hpp"
#include "klaster/sdk/io_satellites.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::io_impact {
namespace {

using namespace klaster::sdk;

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет эффекты изменения конечного спроса для выпуска, занятости, доходов и "
       "ВДС"},
      {p.description,
       "Для изменения конечного спроса df (таблица `demand_change`: sector, delta; "
       "повторяющиеся отрасли суммируются) изменение выпуска dx = L df, где L = (I - "
       "A)^-1 — обратная матрица Леонтьева (Miller & Blair 2009, 2.3). По отрасли i: "
       "output_direct = df_i (прямой эффект), output_indirect = (L df - df)_i "
       "(косвенный), а при type = \"II\" output_induced = (L* df - L df)_i "
       "(индуцированный) с эндогенными домохозяйствами, как в `multipliers` (A* = [A c; "
       "h' 0]); output_total — сумма частей. Части для занятости, доходов и ВДС — это "
       "части выпуска, умноженные на коэффициент отрасли на единицу выпуска (EMP/x, "
       "D1/x, B1G/x), так что каждый эффект относится к отрасли, где он возникает.\n"
       "<output>_totals содержит по одной строке на величину с суммами по отраслям.\n"
       "Единицы — те же, что в таблице: df в денежных единицах таблицы; занятость в "
       "единицах строки или таблицы занятости, умноженных на employment_scale.\n"
       "Источник: Miller & Blair (2009), Input-Output Analysis, 2nd ed., гл. 2 и 6."},
      {"Output effects: direct, indirect, induced",
       "Эффекты для выпуска: прямой, косвенный, индуцированный"},
  };
}

class IoImpact final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "io_impact";
    p.version = "1.1.0";
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
    p.params = params();
    p.reads = {matrix_read("input", "symmetric input-output table (layout = \"matrix\")"),
               TableSpec::read("demand_change", "final-demand change by sector")
                   .column(ColumnSpec::of("sector_column",
                                          "the sector: a row or column label of "
                                          "input (repeated sectors are summed)"))
                   .column(ColumnSpec::of("delta_column", "Δf in the table's units")),
               satellite_employment_read()};
    p.writes = writes();
    p.views = {
        ViewSpec::of(ViewKind::kStacked, "<output>", "Output effects: direct, indirect, induced")
            .labels("sector")
            .stacked({"output_direct", "output_indirect", "output_induced"})};
    p.translations["ru"] = russian(p);
    return p;
  }

  static std::vector<ParamSpec> params() {
    std::vector<ParamSpec> p = io_table_params();
    p.push_back(ParamSpec("demand_change", ParamType::kTable)
                    .req()
                    .doc_("long table of final-demand changes by sector"));
    p.push_back(ParamSpec("sector_column", ParamType::kColumn)
                    .of("demand_change")
                    .def("sector")
                    .doc_("sector column of demand_change (row or column codes of the IO table)"));
    p.push_back(ParamSpec("delta_column", ParamType::kColumn)
                    .numeric()
                    .of("demand_change")
                    .def("delta")
                    .doc_("change of final demand, in the table's units"));
    for (ParamSpec& spec : satellite_params()) p.push_back(std::move(spec));
    return p;
  }

  /// <output>: sector, then per quantity q: q_direct, q_indirect, [q_induced], q_total;
  /// <output>_totals: their sums, one row per quantity.
  static std::vector<TableSpec> writes() {
    TableSpec sectors =
        TableSpec::write("<output>", "one row per sector; " + satellite_quantities_doc());
    sectors.column(ColumnSpec::strings("sector", "the sector's row label in the input table"));
    for (const SatelliteQuantity& q : satellite_quantity_list()) {
      const std::string name = q.name;
      // Output, income and GVA are flows of the IO table, in its unit; employment is in the
      // unit of employment_table's column over employment_scale (a row of the IO table has
      // the table's money unit, not employment's: no unit then).
      const std::string unit =
          name == "employment" ? "{1/employment_scale} <employment_value>" : "<input>";
      sectors.column(ColumnSpec::floats(name + "_direct", std::string("change of ") + q.unit +
                                                              " in the sector: k_i Δf_i")
                         .in(unit));
      sectors.column(ColumnSpec::floats(name + "_indirect", "k_i (L Δf - Δf)_i").in(unit));
      sectors.column(ColumnSpec::floats(name + "_induced", "k_i (Δx* - L Δf)_i, households closed")
                         .when("type", "II")
                         .in(unit));
      sectors.column(ColumnSpec::floats(name + "_total", "the sum of the parts").in(unit));
    }
    return {sectors,
            TableSpec::write("<output>_totals", "one row per quantity of <output>")
                .column(ColumnSpec::strings("quantity", "output, income, employment or gva"))
                .column(ColumnSpec::floats("direct", "sum of q_direct over the sectors"))
                .column(ColumnSpec::floats("indirect", "sum of q_indirect"))
                .column(ColumnSpec::floats("induced", "sum of q_induced").when("type", "II"))
                .column(ColumnSpec::floats("total", "sum of q_total"))};
  }

  /// Type II needs its households (a rule between parameters), and the quantities' columns are
  /// those the parameters ask for (see keep_asked_quantities: a Condition cannot say which).
  void bind(BindContext& ctx) const override {
    check_satellite_params(ctx);
    keep_asked_quantities(ctx, "<output>");
  }

  void run(RunContext& ctx) const override {
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::VectorXd df = demand_change(ctx, io);
    const Satellites sat = satellites(ctx, io);
    // Miller & Blair (2009) eq. 2.11: dx = L df; Type II with households closed (eq. 6.20).
    const Eigen::VectorXd dx1 = LeontiefSolver(A, io.sectors(), "Leontief").solve(df);
    const Eigen::VectorXd dx2 =
        sat.type2 ? type2_output_change(type2_solver(ctx.params(), io, A, sat), df)
                  : Eigen::VectorXd();
    std::vector<ImpactParts> parts;
    for (const auto& [quantity, k] : sat.coefficients)
      parts.push_back(impact_parts(k, df, dx1, dx2));
    write_sectors(ctx, io, sat, parts);
    write_totals(ctx, sat, parts);
  }

 private:
  /// Δf in sector order; unknown sectors are a ParamError listing them, repeats are summed.
  static Eigen::VectorXd demand_change(const RunContext& ctx, const IoSystem& io) {
    const Params& params = ctx.params();
    const Table& t = ctx.table_of_param("demand_change");
    const Column& key = t.column(params.str("sector_column"));
    const Column& value = t.column(params.str("delta_column"));
    std::vector<std::string> names;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (!key.is_valid(r)) throw DataError(t.row_name(r) + " of demand_change has no sector");
      names.push_back(key.to_text(r));
    }
    const std::vector<std::size_t> index = io.sector_indices(names, "demand_change");
    std::vector<double> delta;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (!value.is_valid(r) || !std::isfinite(value.number(r)))
        throw DataError("demand_change: sector '" + names[r] + "' has no value in '" +
                        params.str("delta_column") + "'");
      delta.push_back(value.number(r));
    }
    return sum_by_sector(io.size(), index, delta);
  }

  static void write_sectors(RunContext& ctx, const IoSystem& io, const Satellites& sat,
                            const std::vector<ImpactParts>& parts) {
    OutputTable out = ctx.output();
    out.set("sector", io.sectors());
    for (std::size_t q = 0; q < parts.size(); ++q) {
      const std::string& name = sat.coefficients[q].first;
      const ImpactParts& p = parts[q];
      out.set(name + "_direct", std::vector<double>(p.direct.begin(), p.direct.end()));
      out.set(name + "_indirect", std::vector<double>(p.indirect.begin(), p.indirect.end()));
      if (out.has(name + "_induced"))
        out.set(name + "_induced", std::vector<double>(p.induced.begin(), p.induced.end()));
      out.set(name + "_total", std::vector<double>(p.total.begin(), p.total.end()));
    }
    ctx.write(std::move(out));
  }

  /// One row per quantity with the sums of its parts over the sectors.
  static void write_totals(RunContext& ctx, const Satellites& sat,
                           const std::vector<ImpactParts>& parts) {
    std::vector<std::string> quantity;
    std::vector<double> direct, indirect, induced, total;
    for (std::size_t q = 0; q < parts.size(); ++q) {
      quantity.push_back(sat.coefficients[q].first);
      direct.push_back(parts[q].direct.sum());
      indirect.push_back(parts[q].indirect.sum());
      induced.push_back(parts[q].induced.sum());
      total.push_back(parts[q].total.sum());
    }
    OutputTable out = ctx.output("<output>_totals");
    out.set("quantity", quantity);
    out.set("direct", std::move(direct));
    out.set("indirect", std::move(indirect));
    if (out.has("induced")) out.set("induced", std::move(induced));
    out.set("total", std::move(total));
    ctx.write(std::move(out));
  }
};

}  // namespace

Eigen::VectorXd sum_by_sector(std::size_t sectors, const std::vector<std::size_t>& sector_of,
                              const std::vector<double>& values) {
  Eigen::VectorXd df = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(sectors));
  for (std::size_t r = 0; r < values.size(); ++r)
    df(static_cast<Eigen::Index>(sector_of[r])) += values[r];
  return df;
}

Eigen::VectorXd type2_output_change(const LeontiefSolver& closed, const Eigen::VectorXd& df) {
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(df.size() + 1);
  rhs.head(df.size()) = df;
  return closed.solve(rhs).head(df.size());
}

ImpactParts impact_parts(const Eigen::VectorXd& k, const Eigen::VectorXd& df,
                         const Eigen::VectorXd& dx1, const Eigen::VectorXd& dx2) {
  const bool closed = dx2.size() > 0;
  return {k.cwiseProduct(df), k.cwiseProduct(dx1 - df),
          closed ? Eigen::VectorXd(k.cwiseProduct(dx2 - dx1)) : Eigen::VectorXd(),
          k.cwiseProduct(closed ? dx2 : dx1)};
}

}  // namespace klaster::plugins::io_impact

KLASTER_PLUGIN(klaster::plugins::io_impact::IoImpact)
