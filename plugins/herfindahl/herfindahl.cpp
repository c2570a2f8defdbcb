// herfindahl: H = sum_k s_k^2 over the shares s_k of the units k of one group, per year.
// Herfindahl (1950); Hirschman (1964); REAT's herf() (Wieland); normalised form
// H* = (H - 1/n) / (1 - 1/n); the equivalent number of equal-sized units is 1/H (Adelman 1969).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

class Herfindahl final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "herfindahl";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Computes Herfindahl-Hirschman concentration of industries across regions or of regions "
        "across industries";
    p.description =
        "H = sum_k s_k^2, where s_k = x_k / sum x is the share of unit k in its group's total.\n"
        "over = \"region\" (default): for every industry (and year), the shares are the regions' "
        "shares of that industry: geographic concentration. over = \"industry\": for every region "
        "(and year), the shares are the industries' shares of that region: specialisation.\n"
        "Outputs hhi = H (between 1/n and 1), hhi_normalized = (H - 1/n) / (1 - 1/n) (between 0 "
        "and "
        "1), equivalent_number = 1/H (the number of equal-sized units giving the same H) and n, "
        "the "
        "number of units in the group.\n"
        "n counts every unit with a row in the group, zero values included (as REAT's herf(), "
        "which "
        "takes the length of its vector); count_zeros = false counts only units with a positive "
        "value. Where n = 1 the normalised index is 0/0: hhi_normalized is written as a missing "
        "value and a warning is logged.\n"
        "Negative values are an error; a group whose total is zero is an error naming it; rows "
        "with "
        "a missing value are an error unless missing = \"drop\".\n"
        "Reference: Herfindahl (1950); Hirschman (1964); Adelman (1969) for 1/H; REAT herf().";
    p.params = cube_params("non-negative activity column (output, employment, ...)");
    p.params.insert(p.params.end(),
                    {
                        ParamSpec("over", ParamType::kString)
                            .def("region")
                            .one_of({"region", "industry"})
                            .doc_("the units whose shares are summed: \"region\" = concentration "
                                  "of each industry across regions, \"industry\" = specialisation "
                                  "of each region across industries"),
                        ParamSpec("count_zeros", ParamType::kBool)
                            .def(Value(true))
                            .doc_("n counts units with a zero value (true, as REAT herf) or only "
                                  "positive ones (false)"),
                        cube_missing_param(),
                    });
    p.reads = {{"input", "region, industry, [year], value",
                "non-negative activity by region and industry"}};
    p.writes = {
        {"<output>", "[year], industry | region, hhi, hhi_normalized, equivalent_number, n",
         "one row per industry (over = \"region\") or region (over = \"industry\") and year"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = cube_options(ctx.params(), in);
    const std::string& group = ctx.params().str("over") == "region" ? o.industry : o.region;
    Schema out;
    if (!o.year.empty()) out.add(o.year, *in.type_of(o.year));
    out.add(group, *in.type_of(group));
    out.add("hhi", ColumnType::kFloat);
    out.add("hhi_normalized", ColumnType::kFloat);
    out.add("equivalent_number", ColumnType::kFloat);
    out.add("n", ColumnType::kInt);
    ctx.declare_output(ctx.output_name(), out);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const auto shared_cube = Cube::shared(in, cube_options(params, in.schema()));
    const Cube& cube = *shared_cube;
    const bool over_regions = params.str("over") == "region";
    const bool count_zeros = params.boolean("count_zeros");
    const std::size_t Y = cube.n_years();
    // A group is an industry (over regions) or a region (over industries); units are the other
    // axis.
    const std::size_t G = over_regions ? cube.n_industries() : cube.n_regions();
    const std::size_t U = over_regions ? cube.n_regions() : cube.n_industries();
    const Levels& group_levels = over_regions ? cube.industries() : cube.regions();
    const char* group_kind = over_regions ? "industry" : "region";
    auto cell = [&](std::size_t y, std::size_t g, std::size_t u) {
      return over_regions ? cube.cell(y, u, g) : cube.cell(y, g, u);
    };

    // One slot per (year, group); each part stops at its first error and parallel_for rethrows the
    // lowest part's, so the error is the first in (year, group) order. Groups absent from a year
    // leave their slot unused and are dropped when the slots are gathered in order below.
    const std::size_t slots = Y * G;
    std::vector<std::uint8_t> occurs(slots, 0);
    std::vector<double> slot_hhi(slots);
    std::vector<std::int64_t> slot_n(slots);
    parallel_for(
        slots,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t k = begin; k < end; ++k) {
            const std::size_t y = k / G, g = k % G;
            double total = 0;
            std::int64_t n = 0;
            for (std::size_t u = 0; u < U; ++u) {
              const std::size_t c = cell(y, g, u);
              if (!cube.present(c)) continue;
              total += cube.value(c);
              if (count_zeros || cube.value(c) > 0) ++n;
            }
            if (n == 0 && total == 0) {
              bool any = false;
              for (std::size_t u = 0; u < U && !any; ++u) any = cube.present(cell(y, g, u));
              if (!any) continue;  // the group does not occur in this year
            }
            if (total <= 0)
              throw DataError(std::string(group_kind) + " '" + group_levels.labels[g] +
                              "' has a zero total of '" + cube.options().value + "' in " +
                              cube.where_year(y) + ": its shares, and so its HHI, are undefined");
            double h = 0;
            for (std::size_t u = 0; u < U; ++u) {
              const std::size_t c = cell(y, g, u);
              if (!cube.present(c)) continue;
              const double s = cube.value(c) / total;
              h += s * s;
            }
            occurs[k] = 1;
            slot_hhi[k] = h;
            slot_n[k] = n;
          }
        },
        std::max<std::size_t>(1, (std::size_t{1} << 15) / std::max<std::size_t>(1, U)));

    std::vector<std::int32_t> out_year, out_group;
    std::vector<double> hhi, normalized, equivalent;
    std::vector<std::uint8_t> normalized_valid;
    std::vector<std::int64_t> count;
    std::size_t single_unit_groups = 0;
    for (std::size_t k = 0; k < slots; ++k) {
      if (!occurs[k]) continue;
      const double h = slot_hhi[k];
      const std::int64_t n = slot_n[k];
      out_year.push_back(static_cast<std::int32_t>(k / G));
      out_group.push_back(static_cast<std::int32_t>(k % G));
      hhi.push_back(h);
      equivalent.push_back(1.0 / h);
      count.push_back(n);
      if (n > 1) {
        const double inv_n = 1.0 / static_cast<double>(n);
        normalized.push_back((h - inv_n) / (1.0 - inv_n));
        normalized_valid.push_back(1);
      } else {
        normalized.push_back(0.0);
        normalized_valid.push_back(0);
        ++single_unit_groups;
      }
    }
    if (single_unit_groups > 0)
      ctx.log(LogLevel::kWarn, std::to_string(single_unit_groups) +
                                   " group(s) have a single unit (n = 1): their "
                                   "hhi_normalized is undefined and written as missing");

    std::vector<Column> cols;
    const std::string& group_column =
        over_regions ? cube.options().industry : cube.options().region;
    if (cube.has_year()) cols.push_back(cube.years().make_column(cube.options().year, out_year));
    cols.push_back(group_levels.make_column(group_column, out_group));
    cols.push_back(Column::make_floats("hhi", std::move(hhi)));
    cols.push_back(
        Column::make_floats("hhi_normalized", std::move(normalized), std::move(normalized_valid)));
    cols.push_back(Column::make_floats("equivalent_number", std::move(equivalent)));
    cols.push_back(Column::make_ints("n", std::move(count)));
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Herfindahl)
