// The plugin shown in the README's "Writing a plugin" (kept identical; built and run by the tests).
#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"

using namespace klaster::sdk;

class RegionTotal final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "region_total";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Sums the value of each region";
    p.description = "total_j = sum_i e_ij, over the industries of region j.";
    p.params = {
        ParamSpec("input", ParamType::kTable)
            .req()
            .primary()
            .doc_("long table: region, industry, value"),
        ParamSpec("value", ParamType::kColumn).of("input").def("value").doc_("column to sum"),
    };
    p.reads = {{"input", "region, industry, value", "non-negative values"}};
    p.writes = {{"<output>", "region, total", "one row per region"}};
    return p;
  }
  void bind(BindContext& ctx) const override {
    ctx.declare_output(ctx.output_name(),
                       Schema{{{"region", ColumnType::kString}, {"total", ColumnType::kFloat}}});
  }
  void run(RunContext& ctx) const override {
    CubeOptions o;
    o.value = ctx.params().str("value");
    const Cube cube = Cube::from_table(ctx.table_of_param("input"), o);  // validates values
    std::vector<double> total(cube.n_regions(), 0.0);
    std::vector<std::int32_t> region(cube.n_regions());
    for (std::size_t r = 0; r < cube.n_regions(); ++r) {
      region[r] = static_cast<std::int32_t>(r);
      for (std::size_t i = 0; i < cube.n_industries(); ++i)
        total[r] += cube.value(cube.cell(0, r, i));
    }
    ctx.write(ctx.output_name(), Table({cube.regions().make_column("region", region),
                                        Column::make_floats("total", std::move(total))}));
  }
};

KLASTER_PLUGIN(RegionTotal)
