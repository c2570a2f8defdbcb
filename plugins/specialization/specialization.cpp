// specialization: how far each region's industry mix departs from a reference economy.
// Krugman (1991) dissimilarity index, Hoover (1936) coefficient, Theil (1967) entropy index and the
// specialisation Gini (REAT's gini.spec form, or the Lorenz-curve form of Krugman / EconGeo).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/inequality.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

std::string quoted_list(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "'" : ", '") + x + "'";
  return s;
}

class Specialization final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "specialization";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Measures how specialised each region's industry mix is against a reference economy";
    p.description =
        "For region r (per year when the table has a year column) with industry shares "
        "s_i = e_ri / e_r and reference shares t_i = E_i / E:\n"
        "  krugman = sum_i |s_i - t_i|            (Krugman 1991; range [0, 2])\n"
        "  hoover  = 1/2 sum_i |s_i - t_i|        (Hoover 1936 coefficient of specialisation; [0, "
        "1))\n"
        "  theil   = sum_i s_i ln(s_i / t_i)      (relative Theil / Kullback-Leibler, theil_form = "
        "\"relative\", default) or (1/n) sum_i (e_ri/m) ln(e_ri/m), m the mean over the n "
        "industries "
        "(absolute Theil of the region's own mix, REAT's theil(); theil_form = \"absolute\")\n"
        "  gini    = gini_convention \"reat\" (default): unweighted Gini of the industry LQs "
        "q_i = s_i / t_i, sum_i sum_k |q_i - q_k| / (2 n^2 mean(q)) as REAT's gini.spec/gini.conc; "
        "\"krugman\": half the area Gini of the Lorenz curve of s against t with industries "
        "ordered by "
        "q (the [0, 0.5) range EconGeo's locational.Gini uses). normalize = true multiplies by "
        "n/(n-1) (REAT's coefnorm).\n"
        "reference = \"total\" (default): t from the sum of all regions in the table; \"rest\": "
        "from "
        "all regions except r. convention = \"full\" (default) reports krugman in [0, 2], \"half\" "
        "in "
        "[0, 1] (then equal to hoover). An industry or a region with no row in a year does not "
        "exist "
        "in that year and is left out of it (no output row for such a region); one whose rows sum "
        "to zero is an error. Where t_i = 0 but s_i > 0 (possible with reference = \"rest\"), q_i "
        "is "
        "infinite: the relative theil and the \"reat\" gini are written as missing values with a "
        "warning.\n"
        "References: Krugman (1991) Geography and Trade, MIT Press; Hoover (1936) REStat 18(4); "
        "Theil (1967) Economics and Information Theory; Wieland, REAT manual (gini.spec).";
    p.params = cube_params("activity column (employment, output, ...)");
    p.params.insert(
        p.params.end(),
        {
            ParamSpec("reference", ParamType::kString)
                .def("total")
                .one_of({"total", "rest"})
                .doc_("reference economy: all regions, or all other regions"),
            ParamSpec("convention", ParamType::kString)
                .def("full")
                .one_of({"full", "half"})
                .doc_("Krugman index range: [0, 2] (full) or [0, 1] (half)"),
            ParamSpec("theil_form", ParamType::kString)
                .def("relative")
                .one_of({"relative", "absolute"})
                .doc_("Theil index against the reference (relative) or of the region's own mix "
                      "(absolute)"),
            ParamSpec("gini_convention", ParamType::kString)
                .def("reat")
                .one_of({"reat", "krugman"})
                .doc_("Gini of LQs (REAT) or half the Lorenz-area Gini (Krugman/EconGeo)"),
            ParamSpec("normalize", ParamType::kBool)
                .def(Value(false))
                .doc_("multiply the Gini by n/(n-1), n the number of industries"),
            cube_missing_param(),
        });
    p.reads = {{"input", "region, industry, [year], value",
                "non-negative activity by region and industry"}};
    p.writes = {{"<output>", "[year], region, krugman, hoover, theil, gini, total",
                 "one row per region (and year)"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = cube_options(ctx.params(), in);
    Schema out;
    if (!o.year.empty()) out.add(o.year, *in.type_of(o.year));
    out.add(o.region, *in.type_of(o.region));
    for (const char* c : {"krugman", "hoover", "theil", "gini", "total"})
      out.add(c, ColumnType::kFloat);
    ctx.declare_output(ctx.output_name(), out);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const auto shared_cube = Cube::shared(
        ctx.table_of_param("input"), cube_options(params, ctx.table_of_param("input").schema()));
    const Cube& cube = *shared_cube;
    const std::size_t Y = cube.n_years(), R = cube.n_regions(), I = cube.n_industries();
    const bool rest = params.str("reference") == "rest";
    const bool half = params.str("convention") == "half";
    const bool relative_theil = params.str("theil_form") == "relative";
    const bool reat_gini = params.str("gini_convention") == "reat";
    const bool normalize = params.boolean("normalize");
    const std::string& value_name = cube.options().value;

    // Per year: industry and region totals, the active industries, and the year's own error (thrown
    // when the group loop reaches that year, so the first error is the one a serial loop would
    // meet). An industry or a region with no row in a year does not exist in that year and is left
    // out of it; one with rows summing to zero is an error.
    std::vector<double> industry_total(Y * I, 0.0), region_total(Y * R, 0.0), grand(Y, 0.0);
    std::vector<std::uint8_t> region_exists(Y * R, 0);
    std::vector<std::vector<std::size_t>> active(Y);
    std::vector<std::string> year_error(Y);
    parallel_for(
        Y,
        [&](std::size_t y_begin, std::size_t y_end) {
          for (std::size_t y = y_begin; y < y_end; ++y) {
            double* ind = industry_total.data() + y * I;
            double* reg = region_total.data() + y * R;
            std::uint8_t* reg_exists = region_exists.data() + y * R;
            std::vector<std::uint8_t> ind_exists(I, 0);
            for (std::size_t r = 0; r < R; ++r)
              for (std::size_t i = 0; i < I; ++i) {
                const std::size_t c = cube.cell(y, r, i);
                const double v = cube.value(c);
                ind[i] += v;
                reg[r] += v;
                if (cube.present(c)) reg_exists[r] = ind_exists[i] = 1;
              }
            for (std::size_t i = 0; i < I; ++i)
              if (ind_exists[i]) active[y].push_back(i);
            grand[y] = std::accumulate(reg, reg + R, 0.0);
            const auto regions_in_year = std::count(reg_exists, reg_exists + R, std::uint8_t{1});
            std::size_t zero = I;
            for (auto i : active[y])
              if (ind[i] <= 0 && zero == I) zero = i;
            if (zero < I)
              year_error[y] = "industry '" + cube.industries().labels[zero] +
                              "' has a zero total of '" + value_name + "' over all regions in " +
                              cube.where_year(y) + ": its reference shares are undefined";
            else if (active[y].size() < 2)
              year_error[y] = "specialisation needs at least two industries with activity; " +
                              cube.where_year(y) + " has " + std::to_string(active[y].size()) +
                              " (industries " + quoted_list(cube.industries().labels) + ")";
            else if (rest && regions_in_year < 2)
              year_error[y] =
                  "reference = \"rest\" needs at least two regions; " + cube.where_year(y) +
                  " has only region '" +
                  cube.regions().labels[static_cast<std::size_t>(
                      std::find(reg_exists, reg_exists + R, std::uint8_t{1}) - reg_exists)] +
                  "'";
          }
        },
        1);
    if (R == 0)  // no groups to reach the year errors below
      for (const auto& e : year_error)
        if (!e.empty()) throw DataError(e);

    // One group per (year, region), written to its own slot; each part stops at its first error and
    // parallel_for rethrows the lowest part's, so the error is the first in (year, region) order.
    const std::size_t groups = Y * R;
    std::vector<std::int32_t> out_years(groups), out_regions(groups);
    std::vector<double> krugman(groups), hoover(groups), theil(groups), gini(groups),
        totals(groups);
    std::vector<std::uint8_t> theil_ok(groups), gini_ok(groups), occurs(groups, 0);
    // Industries where t_i = 0 < s_i: how many per group, and the first one (for the warning).
    std::vector<std::uint32_t> infinite_count(groups, 0);
    std::vector<std::size_t> first_infinite(groups, 0);
    const std::size_t min_groups =
        std::max<std::size_t>(1, (std::size_t{1} << 15) / std::max<std::size_t>(1, I));
    parallel_for(
        groups,
        [&](std::size_t g_begin, std::size_t g_end) {
          std::vector<double> s, t, q;  // scratch reused across this part's groups
          std::vector<std::size_t> order;
          for (std::size_t g = g_begin; g < g_end; ++g) {
            const std::size_t y = g / R, r = g % R;
            if (!year_error[y].empty()) throw DataError(year_error[y]);
            if (!region_exists[g]) continue;  // the region does not exist in this year
            const std::vector<std::size_t>& act = active[y];
            const double* ind = industry_total.data() + y * I;
            const double reg = region_total[y * R + r];
            if (reg <= 0)
              throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                              value_name + "' in " + cube.where_year(y) +
                              ": its industry shares are undefined");
            const double ref_total = rest ? grand[y] - reg : grand[y];
            if (ref_total <= 0)
              throw DataError("the reference economy for region '" + cube.regions().labels[r] +
                              "' (all other regions) has a zero total of '" + value_name + "' in " +
                              cube.where_year(y));
            const std::size_t n = act.size();
            s.resize(n);
            t.resize(n);
            q.resize(n);
            bool finite = true;
            double abs_diff = 0, rel_theil = 0;
            for (std::size_t k = 0; k < n; ++k) {
              const std::size_t i = act[k];
              const double own = cube.value(cube.cell(y, r, i));
              s[k] = own / reg;
              t[k] = (rest ? ind[i] - own : ind[i]) / ref_total;
              abs_diff += std::fabs(s[k] - t[k]);
              if (t[k] > 0) {
                q[k] = s[k] / t[k];
                if (s[k] > 0) rel_theil += s[k] * std::log(q[k]);
              } else if (s[k] > 0) {
                if (finite) first_infinite[g] = i;
                finite = false;
                ++infinite_count[g];
              } else {
                q[k] = 0;
              }
            }
            const double norm =
                normalize ? static_cast<double>(n) / static_cast<double>(n - 1) : 1.0;

            occurs[g] = 1;
            out_years[g] = static_cast<std::int32_t>(y);
            out_regions[g] = static_cast<std::int32_t>(r);
            totals[g] = reg;
            krugman[g] = half ? abs_diff / 2 : abs_diff;
            hoover[g] = abs_diff / 2;
            if (relative_theil) {
              theil[g] = finite ? rel_theil : 0.0;
              theil_ok[g] = finite ? 1 : 0;
            } else {
              // Theil (1967) absolute form: (1/n) sum (x/m) ln(x/m) = ln n + sum s ln s.
              double ent = std::log(static_cast<double>(n));
              for (double v : s)
                if (v > 0) ent += v * std::log(v);
              theil[g] = ent;
              theil_ok[g] = 1;
            }
            if (reat_gini) {
              gini[g] = finite ? plain_gini(q) * norm : 0.0;
              gini_ok[g] = finite ? 1 : 0;
            } else {
              gini[g] = lorenz_gini(s, t, order) / 2 * norm;
              gini_ok[g] = 1;
            }
          }
        },
        min_groups);

    std::size_t infinite_total = 0, first_group = groups;
    for (std::size_t g = 0; g < groups; ++g) {
      if (infinite_count[g] > 0 && first_group == groups) first_group = g;
      infinite_total += infinite_count[g];
    }
    if (infinite_total > 0) {
      const std::string first =
          cube.where(first_group / R, first_group % R, first_infinite[first_group]);
      ctx.log(
          LogLevel::kWarn,
          "step '" + ctx.step_id() + "': the reference share is zero where the region is active (" +
              first +
              (infinite_total > 1 ? " and " + std::to_string(infinite_total - 1) + " more" : "") +
              "); theil/gini written as missing there");
    }

    // Drop the slots of regions absent from a year, keeping (year, region) order.
    std::size_t kept = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      if (!occurs[g]) continue;
      out_years[kept] = out_years[g];
      out_regions[kept] = out_regions[g];
      krugman[kept] = krugman[g];
      hoover[kept] = hoover[g];
      theil[kept] = theil[g];
      gini[kept] = gini[g];
      totals[kept] = totals[g];
      theil_ok[kept] = theil_ok[g];
      gini_ok[kept] = gini_ok[g];
      ++kept;
    }
    for (auto* v : {&krugman, &hoover, &theil, &gini, &totals}) v->resize(kept);
    out_years.resize(kept);
    out_regions.resize(kept);
    theil_ok.resize(kept);
    gini_ok.resize(kept);

    std::vector<Column> cols;
    if (cube.has_year()) cols.push_back(cube.years().make_column(cube.options().year, out_years));
    cols.push_back(cube.regions().make_column(cube.options().region, out_regions));
    cols.push_back(Column::make_floats("krugman", std::move(krugman)));
    cols.push_back(Column::make_floats("hoover", std::move(hoover)));
    const bool all_theil =
        std::all_of(theil_ok.begin(), theil_ok.end(), [](auto v) { return v != 0; });
    const bool all_gini =
        std::all_of(gini_ok.begin(), gini_ok.end(), [](auto v) { return v != 0; });
    cols.push_back(Column::make_floats("theil", std::move(theil),
                                       all_theil ? std::vector<std::uint8_t>{} : theil_ok));
    cols.push_back(Column::make_floats("gini", std::move(gini),
                                       all_gini ? std::vector<std::uint8_t>{} : gini_ok));
    cols.push_back(Column::make_floats("total", std::move(totals)));
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Specialization)
