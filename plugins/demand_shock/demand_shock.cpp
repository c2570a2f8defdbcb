// demand_shock: a subsidy, public procurement or export programme as a final-demand change
// Δf for named sectors, absolute (Δf_j = amount_j) or relative (Δf_j = amount_j * f_j).
// The change in output it causes, Δx = L Δf, is io_impact's job: Miller & Blair (2009), sec. 2.4.
#include <set>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;
using Eigen::Index;

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
    p.params = io_table_params();
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
    p.params.insert(p.params.end(), own.begin(), own.end());
    p.reads = {{"input", "row, column, value", "symmetric IO table (layout = \"matrix\")"}};
    p.writes = {
        {"<output>", "sector, delta, final_demand, final_demand_new", "one row per sector"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
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
    ctx.declare_output(ctx.output_name(),
                       sector_schema({"delta", "final_demand", "final_demand_new"}));
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const std::vector<std::string> targets = params.strings("targets");
    const std::vector<std::size_t> idx = io.sector_indices(targets, "targets");
    std::set<std::size_t> seen;
    for (std::size_t k = 0; k < idx.size(); ++k)
      if (!seen.insert(idx[k]).second)
        throw ParamError("targets", "sector '" + targets[k] + "' is named twice in 'targets'");
    std::vector<double> amounts = params.reals("amounts");
    if (amounts.size() == 1) amounts.assign(targets.size(), amounts[0]);

    const bool relative = params.str("mode") == "relative";
    const std::string& relative_to = params.str("relative_to");
    const Eigen::VectorXd base =
        relative_to.empty() ? io.f() : io.column(relative_to, "relative_to");
    Eigen::VectorXd delta = Eigen::VectorXd::Zero(static_cast<Index>(io.size()));
    for (std::size_t k = 0; k < idx.size(); ++k) {
      const Index j = static_cast<Index>(idx[k]);
      if (relative && amounts[k] < -1)
        throw ParamError("amounts", "relative amount " + to_text(Value(amounts[k])) +
                                        " for sector '" + targets[k] +
                                        "' would make its final demand negative (below -1)");
      delta(j) = relative ? amounts[k] * base(j) : amounts[k];
    }
    ctx.log(LogLevel::kInfo, "final demand changed for " + std::to_string(idx.size()) +
                                 " sector(s), total change " + to_text(Value(delta.sum())));
    ctx.write(ctx.output_name(),
              sector_table(io.sectors(), {{"delta", delta},
                                          {"final_demand", io.f()},
                                          {"final_demand_new", io.f() + delta}}));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::DemandShock)
