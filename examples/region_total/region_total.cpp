// The plugin shown in the README's "Writing a plugin" (kept identical; built and run by the tests).
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"
#include "region_total_kernel.hpp"

namespace klaster::plugins::region_total {
namespace {

using namespace klaster::sdk;

class RegionTotal final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "region_total";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Sums the value of each region";
    p.description = "total_r = sum_i x_ri, over the industries i of region r.";
    p.params = {
        ParamSpec("input", ParamType::kTable)
            .req()
            .primary()
            .doc_("long table: region, industry, value"),
        ParamSpec("value", ParamType::kColumn)
            .of("input")
            .def("value")
            .numeric()
            .doc_("column to sum"),
    };
    p.reads = {TableSpec::read("input", "non-negative values, one row per region and industry")
                   .column(ColumnSpec::strings("region"))
                   .column(ColumnSpec::strings("industry"))
                   .column(ColumnSpec::of("value"))};
    p.writes = {TableSpec::write("<output>", "one row per region")
                    .column(ColumnSpec::strings("region"))
                    .column(ColumnSpec::floats("total", "the sum over the region's industries"))};
    return p;
  }

  void run(RunContext& ctx) const override {
    CubeOptions o;
    o.value = ctx.params().str("value");
    const Cube cube = Cube::from_table(ctx.table_of_param("input"), o);  // validates the values
    std::vector<std::int32_t> region(cube.n_regions());
    std::iota(region.begin(), region.end(), 0);
    OutputTable out = ctx.output();  // region and total, as p.writes declares
    out.set(cube.regions().make_column("region", region));
    out.set("total", totals(cube.values(), cube.n_regions()));
    ctx.write(std::move(out));
  }
};

}  // namespace

std::vector<double> totals(const std::vector<double>& values, std::size_t n_regions) {
  std::vector<double> total(n_regions, 0.0);
  const std::size_t n_industries = n_regions == 0 ? 0 : values.size() / n_regions;
  for (std::size_t r = 0; r < n_regions; ++r)
    for (std::size_t i = 0; i < n_industries; ++i) total[r] += values[r * n_industries + i];
  return total;
}

}  // namespace klaster::plugins::region_total

KLASTER_PLUGIN(klaster::plugins::region_total::RegionTotal)
