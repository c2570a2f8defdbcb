// demand_shock: a subsidy, public procurement or export programme as a final-demand change
// Δf for named sectors, absolute (Δf_j = amount_j) or relative (Δf_j = amount_j * f_j).
// The change in output it causes, Δx = L Δf, is io_impact's job: Miller & Blair (2009), sec. 2.4.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "demand_shock_kernel.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::demand_shock {
namespace {

using namespace klaster::sdk;

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Переводит программу субсидий, госзакупок или экспорта в изменение конечного "
       "спроса на указанные отрасли"},
      {p.description,
       "Записывает изменение конечного спроса Δf от программы, направленной на отрасли "
       "из `targets`: mode = \"absolute\" (по умолчанию): Δf_j = amount_j в единицах "
       "таблицы «затраты — выпуск» (например, 70 000 автомобилей, умноженные на принятую"
       " стоимость единицы); mode = \"relative\": Δf_j = amount_j * f_j — доля конечного "
       "спроса отрасли (0.1 = +10 %), где f — конечный спрос таблицы (столбцы "
       "`final_demand` или x - Z 1) либо, при relative_to, один столбец конечного "
       "спроса, например экспорт P6. `amounts` содержит по одному значению на цель или "
       "одно значение для всех целей. Отрицательные суммы — сокращения; относительная "
       "сумма меньше -1 (отрицательный конечный спрос) — ошибка.\n"
       "Записывает <output> с одной строкой на отрасль таблицы: sector, delta (Δf, 0 для"
       " отраслей вне программы; его читает io_impact), final_demand (f) и "
       "final_demand_new (f + Δf).\n"
       "Отрасли из targets, которых нет в таблице, — ошибка с их названием.\n"
       "Источник: Miller & Blair (2009), Input-Output Analysis, 2nd ed., разд. 2.4 "
       "(анализ последствий изменения конечного спроса)."},
  };
}

class DemandShock final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "demand_shock";
    p.version = "1.0.0";
    p.kind = PluginKind::kMeasure;
    p.summary =
        "Turns a subsidy, procurement or export programme into a final-demand change for named "
        "sectors";
    p.description =
        "Writes the final-demand change Δf of a programme aimed at the sectors named in `targets`: "
        "mode = \"absolute\" (default): Δf_j = amount_j in the IO table's units (e.g. 70,000 cars "
        "times an assumed unit value); mode = \"relative\": Δf_j = amount_j * f_j, a share of the "
        "sector's final demand (0.1 = +10 %), where f is the table's final demand (the "
        "`final_demand` columns, or x - Z 1) or, with relative_to, one final-demand column such as "
        "exports P6. `amounts` holds one value per target, or one value for all targets. Negative "
        "amounts are cuts; a relative amount below -1 (a negative final demand) is an error.\n"
        "Writes <output> with one row per sector of the table: sector, delta (Δf, 0 for untargeted "
        "sectors; read by io_impact), final_demand (f) and final_demand_new (f + Δf).\n"
        "Sectors named in targets that are not in the table are an error naming them.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 2.4 (impact "
        "analysis "
        "of a final-demand change).";
    p.params = params();
    p.reads = {matrix_read("input", "symmetric IO table (layout = \"matrix\")")};
    p.writes = {
        TableSpec::write("<output>", "one row per sector of the table")
            .column(ColumnSpec::strings("sector", "the sector's row label in the input table"))
            .column(ColumnSpec::floats("delta",
                                       "Δf in the table's units, 0 for untargeted "
                                       "sectors (the column io_impact reads)")
                        .in("<input>"))
            .column(ColumnSpec::floats("final_demand", "f, the table's final demand").in("<input>"))
            .column(ColumnSpec::floats("final_demand_new", "f + Δf").in("<input>"))};
    p.translations["ru"] = russian(p);
    return p;
  }

  static std::vector<ParamSpec> params() {
    std::vector<ParamSpec> p = io_table_params();
    const std::vector<ParamSpec> own = {
        ParamSpec("targets", ParamType::kStringList)
            .req()
            .doc_("sectors whose final demand changes (row or column labels)"),
        ParamSpec("amounts", ParamType::kFloatList)
            .req()
            .doc_("change per target (one value, or one per target): table units (absolute) or a "
                  "share of f (relative)"),
        ParamSpec("mode", ParamType::kString)
            .def("absolute")
            .one_of({"absolute", "relative"})
            .doc_("absolute change, or relative to the sector's final demand"),
        ParamSpec("relative_to", ParamType::kString)
            .def("")
            .doc_("mode = relative: a final-demand column (e.g. \"P6\" exports) instead of total "
                  "final demand f"),
    };
    p.insert(p.end(), own.begin(), own.end());
    return p;
  }

  /// The rules between parameters that their declarations cannot state.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const std::size_t targets = params.strings("targets").size(),
                      amounts = params.reals("amounts").size();
    if (targets == 0) throw ParamError("targets", "'targets' names no sector");
    if (amounts != 1 && amounts != targets)
      throw ParamError("amounts", "'amounts' has " + std::to_string(amounts) + " values for " +
                                      std::to_string(targets) +
                                      " targets; give one value or one per target");
    if (!params.str("relative_to").empty() && params.str("mode") != "relative")
      throw ParamError("relative_to", "'relative_to' applies only with mode = \"relative\"");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const std::vector<std::size_t> targets = target_indices(params, io);
    const std::vector<double> amounts = amounts_per_target(params);
    const std::string& relative_to = params.str("relative_to");
    const Eigen::VectorXd base =
        relative_to.empty() ? io.f() : io.column(relative_to, "relative_to");
    const bool relative = params.str("mode") == "relative";
    if (relative) check_relative_amounts(params.strings("targets"), amounts);
    const Eigen::VectorXd delta = final_demand_change(io.size(), targets, amounts, base, relative);
    ctx.log(LogLevel::kInfo, "final demand changed for " + std::to_string(targets.size()) +
                                 " sector(s), total change " + to_text(Value(delta.sum())));
    write_output(ctx, io, delta);
  }

 private:
  /// Positions of the targets; ParamError for an unknown sector or one named twice.
  static std::vector<std::size_t> target_indices(const Params& params, const IoSystem& io) {
    const std::vector<std::string> targets = params.strings("targets");
    const std::vector<std::size_t> idx = io.sector_indices(targets, "targets");
    std::set<std::size_t> seen;
    for (std::size_t k = 0; k < idx.size(); ++k)
      if (!seen.insert(idx[k]).second)
        throw ParamError("targets", "sector '" + targets[k] + "' is named twice in 'targets'");
    return idx;
  }

  /// One amount per target (a single amount applies to every target).
  static std::vector<double> amounts_per_target(const Params& params) {
    std::vector<double> amounts = params.reals("amounts");
    if (amounts.size() == 1) amounts.assign(params.strings("targets").size(), amounts[0]);
    return amounts;
  }

  /// A relative amount below -1 would make final demand negative.
  static void check_relative_amounts(const std::vector<std::string>& targets,
                                     const std::vector<double>& amounts) {
    for (std::size_t k = 0; k < targets.size(); ++k)
      if (amounts[k] < -1)
        throw ParamError("amounts", "relative amount " + to_text(Value(amounts[k])) +
                                        " for sector '" + targets[k] +
                                        "' would make its final demand negative (below -1)");
  }

  static void write_output(RunContext& ctx, const IoSystem& io, const Eigen::VectorXd& delta) {
    const Eigen::VectorXd f_new = io.f() + delta;
    OutputTable out = ctx.output();
    out.set("sector", io.sectors());
    out.set("delta", std::vector<double>(delta.begin(), delta.end()));
    out.set("final_demand", std::vector<double>(io.f().begin(), io.f().end()));
    out.set("final_demand_new", std::vector<double>(f_new.begin(), f_new.end()));
    ctx.write(std::move(out));
  }
};

}  // namespace

Eigen::VectorXd final_demand_change(std::size_t sectors, const std::vector<std::size_t>& targets,
                                    const std::vector<double>& amounts, const Eigen::VectorXd& base,
                                    bool relative) {
  Eigen::VectorXd delta = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(sectors));
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const auto j = static_cast<Eigen::Index>(targets[k]);
    delta(j) = relative ? amounts[k] * base(j) : amounts[k];
  }
  return delta;
}

}  // namespace klaster::plugins::demand_shock

KLASTER_PLUGIN(klaster::plugins::demand_shock::DemandShock)
