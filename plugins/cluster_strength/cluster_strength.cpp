// cluster_strength: rule-based strength flags of every region x cluster category.
// US Cluster Mapping style tiers (Porter 2003; Delgado, Porter & Stern 2014/2016) from ranks of LQ,
// employment and establishments; European Cluster Observatory stars (Ketels & Solvell 2006).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "cluster_strength_kernel.hpp"
#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::cluster_strength {
namespace {

using namespace klaster::sdk;

/// The long table's columns.
std::vector<ParamSpec> table_params() {
  return {
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
  };
}

/// The thresholds of the US Cluster Mapping tiers.
std::vector<ParamSpec> tier_params() {
  return {
      ParamSpec("method", ParamType::kString)
          .def("rank")
          .one_of({"rank", "cluster_mapping"})
          .doc_("US tiers: \"rank\" (default) by the thresholds below; \"cluster_mapping\" by "
                "the quartile rules of clustermapping.us (needs establishments; the thresholds "
                "below are then not used)"),
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
  };
}

/// The thresholds of the European Cluster Observatory stars.
std::vector<ParamSpec> star_params() {
  return {
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
  };
}

std::vector<ParamSpec> parameters() {
  std::vector<ParamSpec> params = table_params();
  for (auto&& more : {tier_params(), star_params(), std::vector<ParamSpec>{cube_missing_param()}})
    params.insert(params.end(), more.begin(), more.end());
  return params;
}

/// The table written: one row per region and category (and year).
TableSpec rating_table() {
  const auto rank = [](const char* name, const char* measure) {
    return ColumnSpec::ints(name, std::string("rank by ") + measure +
                                      " among the year's regions (1 = highest, ties share the "
                                      "best rank)");
  };
  const auto flag = [](const char* name, const char* rule) {
    return ColumnSpec::ints(name, std::string("1 if ") + rule + ", else 0");
  };
  return TableSpec::write("<output>",
                          "one row per region and category (and year) with a row in that year")
      .column(ColumnSpec::of("year"))
      .column(ColumnSpec::of("region"))
      .column(ColumnSpec::of("industry"))
      .column(ColumnSpec::floats("employment", "e_rc, the <value> column").in("<value>"))
      .column(ColumnSpec::floats("establishments", "the <establishments> column")
                  .when_given("establishments")
                  .in("<establishments>"))
      .column(ColumnSpec::floats("lq", "(e_rc / E_r) / (E_c / E), > 1 = specialised")
                  .in("dimensionless"))
      .column(ColumnSpec::floats("share",
                                 "focus e_rc / E_r, the category's share of the region, "
                                 "in [0, 1]")
                  .in("share (0-1)"))
      .column(rank("lq_rank", "lq"))
      .column(rank("employment_rank", "employment"))
      .column(rank("establishments_rank", "establishments").when_given("establishments"))
      .column(rank("share_rank", "share"))
      .column(
          flag("qualifying",
               "rank: e_rc > 0 and at least min_employment (and min_establishments); "
               "cluster_mapping: lq, employment and establishments above their bottom quartile"))
      .column(flag("significant",
                   "rank: qualifying and lq >= significant_lq; cluster_mapping: lq above its "
                   "median, employment and establishments above their bottom quartile"))
      .column(flag("strong",
                   "rank: qualifying and in the top strong_top on every strong_by measure; "
                   "cluster_mapping: lq >= its top quartile and >= 1, employment and "
                   "establishments above their bottom quartile"))
      .column(flag("strong10",
                   "as strong with strong10_top (rank) or the top decile of lq "
                   "(cluster_mapping)"))
      .column(flag("size_star", "employment is in the top eco_size_top (ECO)"))
      .column(flag("specialisation_star", "lq >= eco_lq (ECO)"))
      .column(flag("focus_star", "share is in the top eco_focus_top (ECO)"))
      .column(ColumnSpec::ints("stars", "size_star + specialisation_star + focus_star, 0-3"));
}

/// Employment and, when the table has the column, establishments as cubes of one layout.
struct Cubes {
  Cubes(const Table& in, const Params& params)
      : emp(Cube::from_table(in, cube_options(params, in.schema()))),
        has_est(in.find(params.str("establishments")) != nullptr),
        est(has_est ? Cube::from_table(in, establishments_options(params, in)) : Cube{}) {}
  static CubeOptions establishments_options(const Params& params, const Table& in) {
    CubeOptions o = cube_options(params, in.schema());
    o.value = params.str("establishments");
    return o;
  }
  Cube emp;
  bool has_est;
  Cube est;
  /// A cell exists when either column has a row for it.
  bool present(std::size_t c) const { return emp.present(c) || (has_est && est.present(c)); }
  /// A cell whose employment or establishments value was dropped (missing = "drop"): unknown.
  bool dropped(std::size_t c) const { return emp.dropped(c) || (has_est && est.dropped(c)); }
  /// The cubes' notes on dropped cells, or "".
  std::string dropped_note() const {
    const std::string e = emp.dropped_note(), s = has_est ? est.dropped_note() : "";
    return e.empty() || s.empty() ? e + s : e + "; " + s;
  }
};

/// One year's totals; regions and categories with no row in the year do not exist in it.
struct YearTotals {
  std::vector<double> region, category;
  std::vector<std::uint8_t> category_exists;
  std::vector<std::size_t> regions;  // the regions that exist, in order
  double grand = 0;
};

/// One output row: a cell of the cube and its rating.
struct Row {
  std::size_t cell;
  double employment, establishments;
  Rating rating;
};

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Отмечает сильные региональные кластеры по уровням US Cluster Mapping и звёздам "
       "Европейской кластерной обсерватории"},
      {p.description,
       "Вход: занятость по регионам и категориям кластеров (столбец `industry`), при "
       "желании — число предприятий. Для каждой категории (и года) все регионы, у "
       "которых есть строка в этом году, ранжируются (1 = наибольшее значение, равные "
       "делят лучший ранг) по LQ = (e_rc/E_r)/(E_c/E), по занятости e_rc, по числу "
       "предприятий и по доле фокуса e_rc/E_r (E_r — итог региона по всем категориям "
       "таблицы, поэтому таблица должна охватывать всю занятость). «Верхние p» из n "
       "регионов — это ранг <= ceil(p n).\n"
       "Уровни US Cluster Mapping: qualifying = e_rc > 0, e_rc >= min_employment и (при "
       "числе предприятий) предприятий >= min_establishments; significant = qualifying и"
       " LQ >= significant_lq (1); strong = qualifying и в верхних strong_top (0,25) по "
       "каждой мере из strong_by ([\"lq\"]); strong10 — то же с strong10_top (0,10). Это "
       "method = \"rank\" (по умолчанию). method = \"cluster_mapping\" применяет вместо "
       "этого правила сборки данных US Cluster Mapping Project (clustermapping/cmp, "
       "data/processing/cluster_calcs_reducer.js): для каждой категории и года — "
       "квантили Q_p (тип 7 в R = d3.quantile) LQ, занятости и числа предприятий по "
       "регионам с занятостью > 0; при size = e_rc > Q25(e) и предприятий > Q25(est): "
       "qualifying = size и LQ > Q25(LQ); significant = size и LQ > Q50(LQ); strong = "
       "size и LQ >= Q75(LQ) и LQ >= 1; strong10 = size и LQ >= Q90(LQ) и LQ >= 1. Этому"
       " методу нужен столбец числа предприятий, а min_employment, min_establishments, "
       "significant_lq, strong_top, strong10_top и strong_by он игнорирует.\n"
       "Звёзды Европейской кластерной обсерватории (каждая 0/1, stars — их сумма, 0–3) "
       "для пар «регион — категория» с e_rc >= eco_min_employment: size_star — верхние "
       "eco_size_top (0,10) регионов по занятости в категории; specialisation_star — LQ "
       ">= eco_lq (2); focus_star — верхние eco_focus_top (0,10) регионов по доле "
       "категории в занятости региона.\n"
       "Источники: Porter (2003) Regional Studies 37(6-7); Delgado, Porter & Stern "
       "(2016) J. Econ. Geography 16(1); методология clustermapping.us; Ketels & Solvell"
       " (2006) Innovation Clusters in the 10 New Member States, Europe INNOVA; звёздный"
       " рейтинг Европейской кластерной обсерватории."},
  };
}

class ClusterStrength final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "cluster_strength";
    p.version = "1.2.0";
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
        "measure in strong_by ([\"lq\"]); strong10 = the same with strong10_top (0.10). These are "
        "method = \"rank\" (default). method = \"cluster_mapping\" applies instead the rules of "
        "the US Cluster Mapping Project's data build (clustermapping/cmp, "
        "data/processing/cluster_calcs_reducer.js): per category and year, quantiles Q_p (R type "
        "7 = d3.quantile) of LQ, employment and establishments over the regions with employment "
        "> 0; with size = e_rc > Q25(e) and establishments > Q25(est): qualifying = size and LQ > "
        "Q25(LQ); significant = size and LQ > Q50(LQ); strong = size and LQ >= Q75(LQ) and LQ >= "
        "1; strong10 = size and LQ >= Q90(LQ) and LQ >= 1. It needs the establishments column "
        "and ignores min_employment, min_establishments, significant_lq, strong_top, "
        "strong10_top and strong_by.\n"
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
    p.params = parameters();
    p.reads = {cube_read("employment (and establishments) by region and cluster category")
                   .column(ColumnSpec::of("establishments"))};
    p.writes = {rating_table()};
    p.translations["ru"] = russian(p);
    return p;
  }

  /// strong_by names known measures, and "establishments" only when the table has the column.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const bool est = ctx.schema_of_param("input").has(params.str("establishments"));
    if (params.str("method") == "cluster_mapping" && !est)
      throw ParamError("method", "method = \"cluster_mapping\" ranks establishments, but table '" +
                                     params.str("input") + "' has no column '" +
                                     params.str("establishments") + "'");
    for (const auto& m : params.strings("strong_by")) {
      if (m != "lq" && m != "employment" && m != "establishments")
        throw ParamError("strong_by", "strong_by has '" + m +
                                          "'; use \"lq\", \"employment\" or \"establishments\"");
      if (m == "establishments" && !est)
        throw ParamError("strong_by", "strong_by has \"establishments\" but table '" +
                                          params.str("input") + "' has no column '" +
                                          params.str("establishments") + "'");
    }
  }

  void run(RunContext& ctx) const override {
    const Cubes cubes(ctx.table_of_param("input"), ctx.params());
    if (cubes.emp.n_regions() == 0)
      throw DataError(
          "ranking regions needs at least two regions; no row is left (every row has a missing "
          "value or key, and missing = \"drop\" dropped it)");
    if (cubes.emp.n_regions() < 2)
      throw DataError("ranking regions needs at least two regions; the table has only region '" +
                      cubes.emp.regions().labels[0] + "'");
    const Rules rules = rules_of(ctx.params());
    if (const std::string note = cubes.dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn,
              note +
                  ": such a cell is not rated (no output row), and the totals its LQ and "
                  "shares would use lack the missing value");
    std::vector<Row> rows;
    for (std::size_t y = 0; y < cubes.emp.n_years(); ++y) rate_year(cubes, y, rules, rows);
    // Rows ordered by year, region, category like the input cube.
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.cell < b.cell; });
    write_output(ctx, cubes, rows);
  }

 private:
  static Rules rules_of(const Params& params) {
    const std::vector<std::string> by = params.strings("strong_by");
    const auto uses = [&](const char* m) { return std::find(by.begin(), by.end(), m) != by.end(); };
    Rules r;
    r.cluster_mapping = params.str("method") == "cluster_mapping";
    r.min_employment = params.real("min_employment");
    r.min_establishments = params.real("min_establishments");
    r.significant_lq = params.real("significant_lq");
    r.strong_top = params.real("strong_top");
    r.strong10_top = params.real("strong10_top");
    r.strong_by_lq = uses("lq");
    r.strong_by_employment = uses("employment");
    r.strong_by_establishments = uses("establishments");
    r.eco_size_top = params.real("eco_size_top");
    r.eco_lq = params.real("eco_lq");
    r.eco_focus_top = params.real("eco_focus_top");
    r.eco_min_employment = params.real("eco_min_employment");
    return r;
  }

  /// Rates every category of year `y`, appending a row for each cell with a row in the table.
  static void rate_year(const Cubes& cubes, std::size_t y, const Rules& rules,
                        std::vector<Row>& rows) {
    const Cube& emp = cubes.emp;
    const YearTotals t = year_totals(cubes, y);
    for (std::size_t i = 0; i < emp.n_industries(); ++i) {
      if (!t.category_exists[i]) continue;
      if (t.category[i] <= 0)
        throw DataError("cluster category '" + emp.industries().labels[i] +
                        "' has a zero total of '" + emp.options().value + "' over all regions in " +
                        emp.where_year(y) + ": its LQs are undefined");
      const Category category = category_of(cubes, t, y, i);
      const std::vector<Rating> ratings = rate(category, rules);
      for (std::size_t k = 0; k < t.regions.size(); ++k) {
        const std::size_t c = emp.cell(y, t.regions[k], i);
        if (!cubes.present(c) || cubes.dropped(c)) continue;  // a missing value is not rated
        rows.push_back({c, category.employment[k], cubes.has_est ? category.establishments[k] : 0.0,
                        ratings[k]});
      }
    }
  }

  /// The year's totals. Throws DataError when fewer than two regions exist in the year or one has
  /// a zero total.
  static YearTotals year_totals(const Cubes& cubes, std::size_t y) {
    const Cube& emp = cubes.emp;
    const std::size_t R = emp.n_regions(), I = emp.n_industries();
    YearTotals t{std::vector<double>(R, 0.0),
                 std::vector<double>(I, 0.0),
                 std::vector<std::uint8_t>(I, 0),
                 {},
                 0.0};
    std::vector<std::uint8_t> region_exists(R, 0);
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < I; ++i) {
        const std::size_t c = emp.cell(y, r, i);
        t.region[r] += emp.value(c);
        t.category[i] += emp.value(c);
        t.grand += emp.value(c);
        if (cubes.present(c)) region_exists[r] = t.category_exists[i] = 1;
      }
    for (std::size_t r = 0; r < R; ++r)
      if (region_exists[r]) t.regions.push_back(r);
    if (t.regions.size() == 1)
      throw DataError("ranking regions needs at least two regions; " + emp.where_year(y) +
                      " has only region '" + emp.regions().labels[t.regions[0]] + "'");
    for (const std::size_t r : t.regions)
      if (t.region[r] <= 0)
        throw DataError("region '" + emp.regions().labels[r] + "' has a zero total of '" +
                        emp.options().value + "' in " + emp.where_year(y) +
                        ": its LQs and focus shares are undefined");
    return t;
  }

  static Category category_of(const Cubes& cubes, const YearTotals& t, std::size_t y,
                              std::size_t i) {
    Category c;
    c.category_total = t.category[i];
    c.total = t.grand;
    for (const std::size_t r : t.regions) {
      c.employment.push_back(cubes.emp.value(cubes.emp.cell(y, r, i)));
      c.region_total.push_back(t.region[r]);
      if (cubes.has_est) c.establishments.push_back(cubes.est.value(cubes.est.cell(y, r, i)));
    }
    return c;
  }

  static void write_output(RunContext& ctx, const Cubes& cubes, const std::vector<Row>& rows) {
    OutputTable out = ctx.output();
    std::vector<std::size_t> cells;
    for (const Row& row : rows) cells.push_back(row.cell);
    for (Column& key : cubes.emp.key_columns(cells)) out.set(std::move(key));
    const auto floats = [&](const char* name, auto get) {
      std::vector<double> v;
      for (const Row& row : rows) v.push_back(get(row));
      out.set(name, std::move(v));
    };
    const auto ints = [&](const char* name, auto get) {
      std::vector<std::int64_t> v;
      for (const Row& row : rows) v.push_back(static_cast<std::int64_t>(get(row.rating)));
      out.set(name, std::move(v));
    };
    floats("employment", [](const Row& r) { return r.employment; });
    if (out.has("establishments"))
      floats("establishments", [](const Row& r) { return r.establishments; });
    floats("lq", [](const Row& r) { return r.rating.lq; });
    floats("share", [](const Row& r) { return r.rating.share; });
    ints("lq_rank", [](const Rating& r) { return r.lq_rank; });
    ints("employment_rank", [](const Rating& r) { return r.employment_rank; });
    if (out.has("establishments_rank"))
      ints("establishments_rank", [](const Rating& r) { return r.establishments_rank; });
    ints("share_rank", [](const Rating& r) { return r.share_rank; });
    ints("qualifying", [](const Rating& r) { return r.qualifying; });
    ints("significant", [](const Rating& r) { return r.significant; });
    ints("strong", [](const Rating& r) { return r.strong; });
    ints("strong10", [](const Rating& r) { return r.strong10; });
    ints("size_star", [](const Rating& r) { return r.size_star; });
    ints("specialisation_star", [](const Rating& r) { return r.specialisation_star; });
    ints("focus_star", [](const Rating& r) { return r.focus_star; });
    ints("stars", [](const Rating& r) { return r.stars(); });
    ctx.write(std::move(out));
  }
};

}  // namespace

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

std::int64_t top_count(double share, std::size_t n) {
  const double k = std::ceil(share * static_cast<double>(n) - 1e-9);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(k));
}

double quantile7(std::vector<double> values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= values.size()) return values[lo];
  return values[lo] + (h - static_cast<double>(lo)) * (values[lo + 1] - values[lo]);
}

namespace {

/// The rank-based tiers (method = "rank"): size screens, LQ threshold, top shares by rank.
void rank_tiers(const Category& category, const Rules& rules, std::vector<Rating>& out) {
  const std::size_t n = out.size();
  const std::vector<double>& e = category.employment;
  const bool has_est = !category.establishments.empty();
  // Without establishments every region ties on them (rank 1): only the other measures decide.
  const auto in_top = [&](const Rating& r, double top_share) {
    const std::int64_t top = top_count(top_share, n);
    return (!rules.strong_by_lq || r.lq_rank <= top) &&
           (!rules.strong_by_employment || r.employment_rank <= top) &&
           (!rules.strong_by_establishments || !has_est || r.establishments_rank <= top);
  };
  for (std::size_t k = 0; k < n; ++k) {
    Rating& r = out[k];
    r.qualifying = e[k] > 0 && e[k] >= rules.min_employment &&
                   (!has_est || category.establishments[k] >= rules.min_establishments);
    r.significant = r.qualifying && r.lq >= rules.significant_lq;
    r.strong = r.qualifying && in_top(r, rules.strong_top);
    r.strong10 = r.qualifying && in_top(r, rules.strong10_top);
  }
}

/// The clustermapping.us tiers (method = "cluster_mapping"), as its cluster_calcs_reducer.js
/// computes them: quantiles (type 7) over the regions with employment > 0; employment and
/// establishments above their bottom quartile; LQ above its bottom quartile (qualifying), above
/// its median (significant), at least its top quartile / decile and at least 1 (strong /
/// strong10).
void cluster_mapping_tiers(const Category& category, std::vector<Rating>& out) {
  const std::vector<double>& e = category.employment;
  const std::vector<double>& est = category.establishments;
  std::vector<double> pe, pn, pl;  // over the regions with employment
  for (std::size_t k = 0; k < out.size(); ++k)
    if (e[k] > 0) pe.push_back(e[k]), pn.push_back(est[k]), pl.push_back(out[k].lq);
  const double e25 = quantile7(pe, 0.25), n25 = quantile7(pn, 0.25);
  const double l25 = quantile7(pl, 0.25), l50 = quantile7(pl, 0.5), l75 = quantile7(pl, 0.75),
               l90 = quantile7(pl, 0.9);
  for (std::size_t k = 0; k < out.size(); ++k) {
    Rating& r = out[k];
    const bool size = e[k] > e25 && est[k] > n25;
    r.qualifying = size && r.lq > l25;
    r.significant = size && r.lq > l50;
    r.strong = size && r.lq >= l75 && r.lq >= 1;
    r.strong10 = size && r.lq >= l90 && r.lq >= 1;
  }
}

}  // namespace

std::vector<Rating> rate(const Category& category, const Rules& rules) {
  const std::size_t n = category.employment.size();
  const std::vector<double>& e = category.employment;
  const bool has_est = !category.establishments.empty();
  std::vector<double> lq(n), share(n);
  for (std::size_t k = 0; k < n; ++k) {
    share[k] = e[k] / category.region_total[k];
    lq[k] = share[k] / (category.category_total / category.total);
  }
  const auto rl = ranks_from_top(lq), re = ranks_from_top(e), rs = ranks_from_top(share),
             rn = ranks_from_top(category.establishments);
  std::vector<Rating> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    Rating& r = out[k];
    r.lq = lq[k], r.share = share[k];
    r.lq_rank = rl[k], r.employment_rank = re[k], r.share_rank = rs[k];
    r.establishments_rank = has_est ? rn[k] : 0;
    const bool eco = e[k] > 0 && e[k] >= rules.eco_min_employment;
    r.size_star = eco && re[k] <= top_count(rules.eco_size_top, n);
    r.specialisation_star = eco && lq[k] >= rules.eco_lq;
    r.focus_star = eco && rs[k] <= top_count(rules.eco_focus_top, n);
  }
  if (rules.cluster_mapping)
    cluster_mapping_tiers(category, out);
  else
    rank_tiers(category, rules, out);
  return out;
}

}  // namespace klaster::plugins::cluster_strength

KLASTER_PLUGIN(klaster::plugins::cluster_strength::ClusterStrength)
