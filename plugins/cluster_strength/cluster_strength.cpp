// cluster_strength: rule-based strength flags of every region x cluster category.
// US Cluster Mapping style tiers (Porter 2003; Delgado, Porter & Stern 2014/2016) from ranks of LQ,
// employment and establishments; European Cluster Observatory stars (Ketels & Solvell 2006).
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

/// \brief Rank of every entry of `v` from the top: 1 for the largest, ties share the best rank.
std::vector<std::int64_t> ranks_from_top(const std::vector<double>& v) {
  std::vector<double> sorted = v;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  std::vector<std::int64_t> out;
  out.reserve(v.size());
  for (double x : v) {
    const auto first = std::lower_bound(sorted.begin(), sorted.end(), x, std::greater<>());
    out.push_back(static_cast<std::int64_t>(first - sorted.begin()) + 1);
  }
  return out;
}

/// \brief How many of n regions make the "top share": ceil(share * n), at least 1.
std::int64_t top_count(double share, std::size_t n) {
  const double k = std::ceil(share * static_cast<double>(n) - 1e-9);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(k));
}

class ClusterStrength final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "cluster_strength";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Flags strong regional clusters by US Cluster Mapping tiers and European Cluster "
        "Observatory stars";
    p.description =
        "Input: employment by region and cluster category (the `industry` column), optionally "
        "establishments. Per category (and year) every region with a row in that year is ranked (1 "
        "= highest, "
        "ties share the best rank) by LQ = (e_rc/E_r)/(E_c/E), by employment e_rc, by "
        "establishments "
        "and by focus share e_rc/E_r (E_r: the region's total over all categories in the table, so "
        "the table should cover all employment). \"Top p\" of n regions means rank <= ceil(p n).\n"
        "US Cluster Mapping tiers: qualifying = e_rc > 0, e_rc >= min_employment and (with "
        "establishments) establishments >= min_establishments; significant = qualifying and "
        "LQ >= significant_lq (1); strong = qualifying and in the top strong_top (0.25) on every "
        "measure in strong_by ([\"lq\"]); strong10 = the same with strong10_top (0.10).\n"
        "European Cluster Observatory stars (each 0/1, stars = their sum, 0-3), for region-"
        "categories with e_rc >= eco_min_employment: size_star = top eco_size_top (0.10) of "
        "regions "
        "by employment in the category; specialisation_star = LQ >= eco_lq (2); focus_star = top "
        "eco_focus_top (0.10) of regions by the category's share of the region's employment.\n"
        "References: Porter (2003) Regional Studies 37(6-7); Delgado, Porter & Stern (2016) J. "
        "Econ. "
        "Geography 16(1); clustermapping.us methodology; Ketels & Solvell (2006) Innovation "
        "Clusters "
        "in the 10 New Member States, Europe INNOVA; European Cluster Observatory star rating.";
    p.params = {
        ParamSpec("input", ParamType::kTable)
            .req()
            .primary()
            .doc_("long table with region, industry (cluster category), [year], value, "
                  "[establishments]"),
        ParamSpec("value", ParamType::kColumn)
            .numeric()
            .of("input")
            .def("value")
            .doc_("employment column"),
        ParamSpec("establishments", ParamType::kColumn)
            .numeric()
            .of("input")
            .def("establishments")
            .if_present()
            .doc_("establishments column; used when the table has it"),
        ParamSpec("region", ParamType::kColumn).of("input").def("region").doc_("region key column"),
        ParamSpec("industry", ParamType::kColumn)
            .of("input")
            .def("industry")
            .doc_("cluster category key column"),
        ParamSpec("year", ParamType::kColumn)
            .of("input")
            .def("year")
            .if_present()
            .doc_("year key column; used when the table has it"),
        ParamSpec("min_employment", ParamType::kFloat)
            .def(Value(0.0))
            .at_least(0)
            .doc_("qualifying: minimum employment"),
        ParamSpec("min_establishments", ParamType::kFloat)
            .def(Value(0.0))
            .at_least(0)
            .doc_("qualifying: minimum establishments (when the column is present)"),
        ParamSpec("significant_lq", ParamType::kFloat)
            .def(Value(1.0))
            .at_least(0)
            .doc_("significant: minimum LQ"),
        ParamSpec("strong_top", ParamType::kFloat)
            .def(Value(0.25))
            .above(0)
            .at_most(1)
            .doc_("strong: top share of regions"),
        ParamSpec("strong10_top", ParamType::kFloat)
            .def(Value(0.10))
            .above(0)
            .at_most(1)
            .doc_("strong10: top share of regions"),
        ParamSpec("strong_by", ParamType::kStringList)
            .def(Value(std::vector<std::string>{"lq"}))
            .doc_("measures that must all be in the top share: lq, employment, establishments"),
        ParamSpec("eco_size_top", ParamType::kFloat)
            .def(Value(0.10))
            .above(0)
            .at_most(1)
            .doc_("ECO size star: top share of regions by employment"),
        ParamSpec("eco_lq", ParamType::kFloat)
            .def(Value(2.0))
            .at_least(0)
            .doc_("ECO specialisation star: minimum LQ"),
        ParamSpec("eco_focus_top", ParamType::kFloat)
            .def(Value(0.10))
            .above(0)
            .at_most(1)
            .doc_("ECO focus star: top share of regions by share of the region's employment"),
        ParamSpec("eco_min_employment", ParamType::kFloat)
            .def(Value(0.0))
            .at_least(0)
            .doc_("ECO: no stars below this employment"),
        cube_missing_param(),
    };
    p.reads = {{"input", "region, industry, [year], value, [establishments]",
                "employment (and establishments) by region and cluster category"}};
    p.writes = {
        {"<output>",
         "[year], region, industry, employment, [establishments], lq, share, lq_rank, "
         "employment_rank, [establishments_rank], share_rank, qualifying, significant, strong, "
         "strong10, size_star, specialisation_star, focus_star, stars",
         "one row per region and category (and year)"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = cube_options(params, in);
    const bool est = in.has(params.str("establishments"));
    for (const auto& m : params.strings("strong_by")) {
      if (m != "lq" && m != "employment" && m != "establishments")
        throw ParamError("strong_by", "strong_by has '" + m +
                                          "'; use \"lq\", \"employment\" or \"establishments\"");
      if (m == "establishments" && !est)
        throw ParamError("strong_by", "strong_by has \"establishments\" but table '" +
                                          params.str("input") + "' has no column '" +
                                          params.str("establishments") + "'");
    }
    Schema out;
    if (!o.year.empty()) out.add(o.year, *in.type_of(o.year));
    out.add(o.region, *in.type_of(o.region));
    out.add(o.industry, *in.type_of(o.industry));
    out.add("employment", ColumnType::kFloat);
    if (est) out.add("establishments", ColumnType::kFloat);
    out.add("lq", ColumnType::kFloat);
    out.add("share", ColumnType::kFloat);
    out.add("lq_rank", ColumnType::kInt);
    out.add("employment_rank", ColumnType::kInt);
    if (est) out.add("establishments_rank", ColumnType::kInt);
    out.add("share_rank", ColumnType::kInt);
    for (const char* c : {"qualifying", "significant", "strong", "strong10", "size_star",
                          "specialisation_star", "focus_star", "stars"})
      out.add(c, ColumnType::kInt);
    ctx.declare_output(ctx.output_name(), out);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const CubeOptions o = cube_options(params, in.schema());
    const Cube emp = Cube::from_table(in, o);
    const bool has_est = in.find(params.str("establishments")) != nullptr;
    CubeOptions oe = o;
    oe.value = params.str("establishments");
    const Cube est = has_est ? Cube::from_table(in, oe) : Cube{};
    const std::size_t Y = emp.n_years(), R = emp.n_regions(), I = emp.n_industries();
    if (R < 2)
      throw DataError("ranking regions needs at least two regions; the table has only region '" +
                      emp.regions().labels[0] + "'");

    std::vector<std::string> strong_by = params.strings("strong_by");
    const auto uses = [&](const char* m) {
      return std::find(strong_by.begin(), strong_by.end(), m) != strong_by.end();
    };
    const double min_emp = params.real("min_employment"),
                 min_est = params.real("min_establishments");
    const double significant_lq = params.real("significant_lq"), eco_lq = params.real("eco_lq");
    const double eco_min = params.real("eco_min_employment");

    std::vector<std::size_t> cells;
    std::vector<double> employment, establishments, lq_out, share_out;
    std::vector<std::int64_t> lq_rank, emp_rank, est_rank, share_rank, qualifying, significant,
        strong, strong10, size_star, spec_star, focus_star, stars;

    const auto present = [&](std::size_t c) {
      return emp.present(c) || (has_est && est.present(c));
    };
    for (std::size_t y = 0; y < Y; ++y) {
      // Regions and categories with no row in the year do not exist in it and are left out.
      std::vector<double> region_total(R, 0.0), category_total(I, 0.0);
      std::vector<std::uint8_t> region_exists(R, 0), category_exists(I, 0);
      double grand = 0;
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < I; ++i) {
          const std::size_t c = emp.cell(y, r, i);
          const double v = emp.value(c);
          region_total[r] += v;
          category_total[i] += v;
          grand += v;
          if (present(c)) region_exists[r] = category_exists[i] = 1;
        }
      std::vector<std::size_t> live;  // the year's regions
      for (std::size_t r = 0; r < R; ++r)
        if (region_exists[r]) live.push_back(r);
      if (live.size() == 1)
        throw DataError("ranking regions needs at least two regions; " + emp.where_year(y) +
                        " has only region '" + emp.regions().labels[live[0]] + "'");
      for (auto r : live)
        if (region_total[r] <= 0)
          throw DataError("region '" + emp.regions().labels[r] + "' has a zero total of '" +
                          o.value + "' in " + emp.where_year(y) +
                          ": its LQs and focus shares are undefined");
      const std::size_t n = live.size();
      const std::int64_t strong_k = top_count(params.real("strong_top"), n);
      const std::int64_t strong10_k = top_count(params.real("strong10_top"), n);
      const std::int64_t size_k = top_count(params.real("eco_size_top"), n);
      const std::int64_t focus_k = top_count(params.real("eco_focus_top"), n);
      for (std::size_t i = 0; i < I; ++i) {
        if (!category_exists[i]) continue;
        if (category_total[i] <= 0)
          throw DataError("cluster category '" + emp.industries().labels[i] +
                          "' has a zero total of '" + o.value + "' over all regions in " +
                          emp.where_year(y) + ": its LQs are undefined");
        std::vector<double> e(n), lq(n), share(n), n_est(n, 0.0);
        for (std::size_t k = 0; k < n; ++k) {
          const std::size_t r = live[k];
          e[k] = emp.value(emp.cell(y, r, i));
          share[k] = e[k] / region_total[r];
          lq[k] = share[k] / (category_total[i] / grand);
          if (has_est) n_est[k] = est.value(est.cell(y, r, i));
        }
        const auto rl = ranks_from_top(lq), re = ranks_from_top(e), rs = ranks_from_top(share),
                   rn = ranks_from_top(n_est);
        for (std::size_t k = 0; k < n; ++k) {
          const std::size_t c = emp.cell(y, live[k], i);
          if (!present(c)) continue;
          const bool qual = e[k] > 0 && e[k] >= min_emp && (!has_est || n_est[k] >= min_est);
          const auto in_top = [&](std::int64_t top) {
            return (!uses("lq") || rl[k] <= top) && (!uses("employment") || re[k] <= top) &&
                   (!uses("establishments") || rn[k] <= top);
          };
          const bool eco = e[k] > 0 && e[k] >= eco_min;
          const int s1 = eco && re[k] <= size_k, s2 = eco && lq[k] >= eco_lq,
                    s3 = eco && rs[k] <= focus_k;
          cells.push_back(c);
          employment.push_back(e[k]);
          if (has_est) establishments.push_back(n_est[k]);
          lq_out.push_back(lq[k]);
          share_out.push_back(share[k]);
          lq_rank.push_back(rl[k]);
          emp_rank.push_back(re[k]);
          if (has_est) est_rank.push_back(rn[k]);
          share_rank.push_back(rs[k]);
          qualifying.push_back(qual);
          significant.push_back(qual && lq[k] >= significant_lq);
          strong.push_back(qual && in_top(strong_k));
          strong10.push_back(qual && in_top(strong10_k));
          size_star.push_back(s1);
          spec_star.push_back(s2);
          focus_star.push_back(s3);
          stars.push_back(s1 + s2 + s3);
        }
      }
    }
    // Rows ordered by year, region, category like the input cube.
    std::vector<std::size_t> order(cells.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return cells[a] < cells[b]; });
    const auto pick = [&](const auto& v) {
      std::remove_cvref_t<decltype(v)> out;
      out.reserve(v.size());
      for (auto k : order) out.push_back(v[k]);
      return out;
    };

    std::vector<Column> cols = emp.key_columns(pick(cells));
    cols.push_back(Column::make_floats("employment", pick(employment)));
    if (has_est) cols.push_back(Column::make_floats("establishments", pick(establishments)));
    cols.push_back(Column::make_floats("lq", pick(lq_out)));
    cols.push_back(Column::make_floats("share", pick(share_out)));
    cols.push_back(Column::make_ints("lq_rank", pick(lq_rank)));
    cols.push_back(Column::make_ints("employment_rank", pick(emp_rank)));
    if (has_est) cols.push_back(Column::make_ints("establishments_rank", pick(est_rank)));
    cols.push_back(Column::make_ints("share_rank", pick(share_rank)));
    cols.push_back(Column::make_ints("qualifying", pick(qualifying)));
    cols.push_back(Column::make_ints("significant", pick(significant)));
    cols.push_back(Column::make_ints("strong", pick(strong)));
    cols.push_back(Column::make_ints("strong10", pick(strong10)));
    cols.push_back(Column::make_ints("size_star", pick(size_star)));
    cols.push_back(Column::make_ints("specialisation_star", pick(spec_star)));
    cols.push_back(Column::make_ints("focus_star", pick(focus_star)));
    cols.push_back(Column::make_ints("stars", pick(stars)));
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::ClusterStrength)
