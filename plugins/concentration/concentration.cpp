// concentration: how unevenly each industry is spread over regions, against a base distribution.
// Locational Gini (REAT's gini.conc form, or Krugman's Lorenz form as in EconGeo's
// locational.Gini), Hoover (1936) localisation coefficient, coefficient of variation of regional
// shares.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/inequality.hpp"
#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

class Concentration final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "concentration";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Measures how concentrated each industry is across regions against a base distribution";
    p.description =
        "For industry i (per year when the table has a year column) with regional shares "
        "s_j = e_ij / e_i and base shares b_j (base = \"total\": the regions' total activity in "
        "the "
        "table, default; \"equal\": every region weighs 1/n; \"table\": a column `base_value` of "
        "`base_table` keyed by region (and year), e.g. population):\n"
        "  gini   gini_convention = \"reat\" (default): Gini of the LQs q_j = s_j / b_j across the "
        "n "
        "regions, sum_j sum_k |q_j - q_k| / (2 n^2 mean(q)) (REAT's gini.conc; with base = "
        "\"equal\" "
        "REAT's gini()); \"krugman\": half the area Gini of the Lorenz curve of s against b with "
        "regions ordered by q (Krugman 1991; EconGeo's locational.Gini, range [0, 0.5)). "
        "normalize = true multiplies by n/(n-1) (REAT's coefnorm).\n"
        "  hoover = 1/2 sum_j |s_j - b_j| (Hoover 1936; [0, 1); EconGeo reports it x100 rounded, "
        "we do not round).\n"
        "  cv     = sd(s) / mean(s) over the n regions, sd with n - 1 (cv_sd = \"sample\", "
        "default, as "
        "R's sd()) or n (\"population\").\n"
        "Every region with a row in the year counts (an industry absent from such a region is 0 "
        "there); a region or an industry with no row in a year does not exist in that year and is "
        "left out of it (no output row for such an industry; `regions` is the year's count). "
        "`industries` restricts the output to some industries while base = \"total\" still sums "
        "all industries (filter with it, not with `where`, to keep the base whole).\n"
        "References: Krugman (1991) Geography and Trade, ch. 2; Hoover (1936) REStat 18(4); "
        "Wieland, REAT manual (gini, gini.conc); Balland, EconGeo (locational.Gini).";
    p.params = {
        ParamSpec("input", ParamType::kTable)
            .req()
            .primary()
            .doc_("long table with region, industry, [year], value"),
        ParamSpec("value", ParamType::kColumn)
            .numeric()
            .of("input")
            .def("value")
            .doc_("activity column (employment, output, ...)"),
        ParamSpec("region", ParamType::kColumn)
            .of("input")
            .def("region")
            .doc_("region key column (also the key of base_table)"),
        ParamSpec("industry", ParamType::kColumn)
            .of("input")
            .def("industry")
            .doc_("industry key column"),
        ParamSpec("year", ParamType::kColumn)
            .of("input")
            .def("year")
            .if_present()
            .doc_("year key column; used when the table has it"),
        ParamSpec("industries", ParamType::kStringList)
            .doc_("only these industries (default: all)"),
        ParamSpec("base", ParamType::kString)
            .def("total")
            .one_of({"total", "equal", "table"})
            .doc_("base distribution over regions: total activity, equal weights, or base_table"),
        ParamSpec("base_table", ParamType::kTable)
            .doc_("table with region, [year], base_value (for base = \"table\")"),
        ParamSpec("base_value", ParamType::kColumn)
            .numeric()
            .of("base_table")
            .def("value")
            .doc_("base column of base_table, e.g. population"),
        ParamSpec("gini_convention", ParamType::kString)
            .def("reat")
            .one_of({"reat", "krugman"})
            .doc_("Gini of LQs (REAT) or half the Lorenz-area Gini (Krugman/EconGeo)"),
        ParamSpec("normalize", ParamType::kBool)
            .def(Value(false))
            .doc_("multiply the Gini by n/(n-1), n the number of regions"),
        ParamSpec("cv_sd", ParamType::kString)
            .def("sample")
            .one_of({"sample", "population"})
            .doc_("standard deviation in cv with n - 1 (sample) or n"),
        cube_missing_param(),
    };
    p.reads = {{"input", "region, industry, [year], value",
                "non-negative activity by region and industry"},
               {"base_table", "region, [year], base_value",
                "positive base per region (base = \"table\")"}};
    p.writes = {{"<output>", "[year], industry, gini, hoover, cv, total, regions",
                 "one row per industry (and year)"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = cube_options(params, in);
    const bool table_base = params.str("base") == "table";
    if (table_base && !params.has("base_table"))
      throw ParamError("base_table", "base = \"table\" needs base_table (a table with '" +
                                         o.region + "' and '" + params.str("base_value") + "')");
    if (!table_base && params.has("base_table"))
      throw ParamError("base", "base_table is given but base = \"" + params.str("base") +
                                   "\"; set base = \"table\" to use it");
    if (table_base) {
      const Schema& b = ctx.schema_of_param("base_table");
      if (!b.has(o.region))
        throw ParamError("base_table", "base_table '" + params.str("base_table") +
                                           "' has no region column '" + o.region + "'");
    }
    Schema out;
    if (!o.year.empty()) out.add(o.year, *in.type_of(o.year));
    out.add(o.industry, *in.type_of(o.industry));
    for (const char* c : {"gini", "hoover", "cv", "total"}) out.add(c, ColumnType::kFloat);
    out.add("regions", ColumnType::kInt);
    ctx.declare_output(ctx.output_name(), out);
  }

  /// \brief Base values per (year, region) from base_table; DataError for a region that exists in
  /// the year (`exists`, per (year, region)) without one. Regions absent from a year get 0.
  static std::vector<double> table_base(const RunContext& ctx, const Cube& cube,
                                        const std::vector<std::uint8_t>& exists) {
    const Params& params = ctx.params();
    const Table& t = ctx.table_of_param("base_table");
    const std::string& region_name = cube.options().region;
    const Levels regions = levels_of(t.column(region_name));
    const Column& value = t.column(params.str("base_value"));
    const Column* year = cube.has_year() ? t.find(cube.options().year) : nullptr;
    const Levels years = year ? levels_of(*year) : Levels{};
    const std::size_t Y = cube.n_years(), R = cube.n_regions();
    std::vector<double> base(Y * R, 0.0);
    std::vector<std::uint8_t> seen(Y * R, 0);
    for (std::size_t row = 0; row < t.rows(); ++row) {
      if (regions.of_row[row] < 0) continue;
      const std::int32_t r =
          cube.regions().find(regions.labels[static_cast<std::size_t>(regions.of_row[row])]);
      if (r < 0) continue;  // a region the input does not have
      std::vector<std::size_t> ys;
      if (year) {
        if (years.of_row[row] < 0) continue;
        const std::int32_t y =
            cube.years().find(years.labels[static_cast<std::size_t>(years.of_row[row])]);
        if (y < 0) continue;
        ys.push_back(static_cast<std::size_t>(y));
      } else {
        for (std::size_t y = 0; y < Y; ++y) ys.push_back(y);
      }
      const std::string where =
          "region '" + cube.regions().labels[static_cast<std::size_t>(r)] + "'" + t.line_note(row);
      if (!value.is_valid(row) || !std::isfinite(value.number(row)))
        throw DataError("base_table has a missing '" + params.str("base_value") + "' for " + where);
      if (value.number(row) <= 0)
        throw DataError("base_table has a non-positive '" + params.str("base_value") + "' (" +
                        value.to_text(row) + ") for " + where + "; base shares must be positive");
      for (auto y : ys) {
        const std::size_t k = y * R + static_cast<std::size_t>(r);
        if (seen[k])
          throw DataError("base_table has two rows for " + where +
                          (year ? " in " + cube.where_year(y) : ""));
        seen[k] = 1;
        base[k] = value.number(row);
      }
    }
    for (std::size_t y = 0; y < Y; ++y)
      for (std::size_t r = 0; r < R; ++r)
        if (!seen[y * R + r] && exists[y * R + r])
          throw DataError("base_table '" + params.str("base_table") + "' has no '" +
                          params.str("base_value") + "' for region '" + cube.regions().labels[r] +
                          "'" + (year ? " in " + cube.where_year(y) : ""));
    return base;
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const auto shared_cube = Cube::shared(in, cube_options(params, in.schema()));
    const Cube& cube = *shared_cube;
    const std::size_t Y = cube.n_years(), R = cube.n_regions(), I = cube.n_industries();
    const std::string base_kind = params.str("base");
    const bool reat = params.str("gini_convention") == "reat";
    const bool normalize = params.boolean("normalize");
    const bool sample_sd = params.str("cv_sd") == "sample";
    const std::string& value_name = cube.options().value;

    std::vector<std::size_t> chosen;
    if (params.has("industries")) {
      for (const auto& name : params.strings("industries")) {
        const std::int32_t i = cube.industries().find(name);
        if (i < 0)
          throw DataError("industry '" + name + "' (parameter 'industries') is not in the table");
        chosen.push_back(static_cast<std::size_t>(i));
      }
    } else {
      for (std::size_t i = 0; i < I; ++i) chosen.push_back(i);
    }
    if (R < 2)
      throw DataError(
          "concentration across regions needs at least two regions; the table has only region '" +
          cube.regions().labels[0] + "'");

    // Regions with at least one row in a year exist in that year; the others are left out of it
    // (not counted in n, no base share). Base totals (base = "total") come from the same pass.
    std::vector<std::uint8_t> exists(Y * R, 0);
    std::vector<double> row_total(Y * R, 0.0);
    parallel_for(
        Y * R,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t k = begin; k < end; ++k) {
            const std::size_t y = k / R, r = k % R;
            double sum = 0;
            bool any = false;
            for (std::size_t i = 0; i < I; ++i) {
              const std::size_t c = cube.cell(y, r, i);
              sum += cube.value(c);
              any = any || cube.present(c);
            }
            exists[k] = any ? 1 : 0;
            row_total[k] = sum;
          }
        },
        std::max<std::size_t>(1, (std::size_t{1} << 15) / std::max<std::size_t>(1, I)));
    std::vector<std::vector<std::size_t>> live(Y);  // existing regions per year, in order
    for (std::size_t y = 0; y < Y; ++y) {
      for (std::size_t r = 0; r < R; ++r)
        if (exists[y * R + r]) live[y].push_back(r);
      if (live[y].size() == 1)
        throw DataError("concentration across regions needs at least two regions; " +
                        cube.where_year(y) + " has only region '" +
                        cube.regions().labels[live[y][0]] + "'");
    }

    std::vector<double> base;  // (y, r); 0 for regions absent from the year
    if (base_kind == "table") {
      base = table_base(ctx, cube, exists);
    } else {
      base.assign(Y * R, 0.0);
      for (std::size_t y = 0; y < Y; ++y)
        for (auto r : live[y]) {
          const std::size_t k = y * R + r;
          if (base_kind == "equal") {
            base[k] = 1.0;
          } else if (row_total[k] <= 0) {
            throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                            value_name + "' in " + cube.where_year(y) +
                            ": its base share is 0, so LQs against it are undefined");
          } else {
            base[k] = row_total[k];
          }
        }
    }

    // Base shares b per (year, region).
    std::vector<double> shares(Y * R, 0.0);
    for (std::size_t y = 0; y < Y; ++y) {
      double base_total = 0;
      for (auto r : live[y]) base_total += base[y * R + r];
      for (auto r : live[y]) shares[y * R + r] = base[y * R + r] / base_total;
    }

    // One slot per (year, chosen industry); each part stops at its first error and parallel_for
    // rethrows the lowest part's, so the error is the first in that order. An industry with no row
    // in a year does not exist in it: its slot stays unused and is dropped when gathering below.
    const std::size_t C = chosen.size(), slots = Y * C;
    std::vector<std::uint8_t> occurs(slots, 0);
    std::vector<double> slot_gini(slots), slot_hoover(slots), slot_cv(slots), slot_total(slots);
    parallel_for(
        slots,
        [&](std::size_t g_begin, std::size_t g_end) {
          std::vector<double> s, q, b;  // scratch reused across this part's groups
          std::vector<std::size_t> order;
          for (std::size_t g = g_begin; g < g_end; ++g) {
            const std::size_t y = g / C, i = chosen[g % C];
            const std::vector<std::size_t>& regs = live[y];
            const std::size_t m = regs.size();
            // One strided pass over the cube: the values go to s, turned into shares below.
            s.resize(m);
            q.resize(m);
            b.resize(m);
            double total = 0;
            bool any = false;
            for (std::size_t k = 0; k < m; ++k) {
              const std::size_t c = cube.cell(y, regs[k], i);
              s[k] = cube.value(c);
              b[k] = shares[y * R + regs[k]];
              any = any || cube.present(c);
              total += s[k];
            }
            if (!any) continue;  // the industry does not exist in this year
            if (total <= 0)
              throw DataError("industry '" + cube.industries().labels[i] +
                              "' has a zero total of '" + value_name + "' over all regions in " +
                              cube.where_year(y) + ": its regional shares are undefined");
            const double n = static_cast<double>(m);
            double abs_diff = 0, mean = 1.0 / n, ss = 0;
            for (std::size_t k = 0; k < m; ++k) {
              s[k] = s[k] / total;
              q[k] = s[k] / b[k];
              abs_diff += std::fabs(s[k] - b[k]);
              ss += (s[k] - mean) * (s[k] - mean);
            }
            const double norm = normalize ? n / (n - 1) : 1.0;
            occurs[g] = 1;
            slot_gini[g] = (reat ? plain_gini(q) : lorenz_gini(s, b, order) / 2) * norm;
            slot_hoover[g] = abs_diff / 2;
            slot_cv[g] = std::sqrt(ss / (sample_sd ? n - 1 : n)) / mean;
            slot_total[g] = total;
          }
        },
        std::max<std::size_t>(1, (std::size_t{1} << 15) / std::max<std::size_t>(1, R)));

    std::vector<std::int32_t> out_years, out_industries;
    std::vector<double> gini, hoover, cv, totals;
    std::vector<std::int64_t> regions;
    for (std::size_t g = 0; g < slots; ++g) {
      if (!occurs[g]) continue;
      const std::size_t y = g / C;
      out_years.push_back(static_cast<std::int32_t>(y));
      out_industries.push_back(static_cast<std::int32_t>(chosen[g % C]));
      gini.push_back(slot_gini[g]);
      hoover.push_back(slot_hoover[g]);
      cv.push_back(slot_cv[g]);
      totals.push_back(slot_total[g]);
      regions.push_back(static_cast<std::int64_t>(live[y].size()));
    }

    std::vector<Column> cols;
    if (cube.has_year()) cols.push_back(cube.years().make_column(cube.options().year, out_years));
    cols.push_back(cube.industries().make_column(cube.options().industry, out_industries));
    cols.push_back(Column::make_floats("gini", std::move(gini)));
    cols.push_back(Column::make_floats("hoover", std::move(hoover)));
    cols.push_back(Column::make_floats("cv", std::move(cv)));
    cols.push_back(Column::make_floats("total", std::move(totals)));
    cols.push_back(Column::make_ints("regions", std::move(regions)));
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Concentration)
