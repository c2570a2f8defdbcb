// concentration: how unevenly each industry is spread over regions, against a base distribution.
// Locational Gini (REAT's gini.conc form, or Krugman's Lorenz form as in EconGeo's
// locational.Gini), Hoover (1936) localisation coefficient, coefficient of variation of regional
// shares.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "concentration_kernel.hpp"
#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/inequality.hpp"
#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::concentration {
namespace {

using namespace klaster::sdk;

/// The long table's columns, the industries reported, the base and the index forms.
std::vector<ParamSpec> parameters() {
  std::vector<ParamSpec> params = {
      ParamSpec("input", ParamType::kTable)
          .req()
          .primary()
          .doc_("long table with region, industry, [year], value"),
      ParamSpec("value", ParamType::kColumn)
          .numeric()
          .of("input")
          .def("value")
          .doc_("activity column (employment, output, ...)"),
  };
  for (ParamSpec& key : cube_key_params()) params.push_back(std::move(key));
  params[2].doc_("region key column (also the key of base_table)");  // region: first key
  params.insert(
      params.end(),
      {
          ParamSpec("industries", ParamType::kStringList)
              .doc_("only these industries (default: all)"),
          ParamSpec("base", ParamType::kString)
              .def("total")
              .one_of({"total", "equal", "table", "others_mean"})
              .doc_("base distribution over regions: total activity, equal weights, base_table, "
                    "or the unweighted mean of the other industries' regional shares (REAT "
                    "krugman.conc2)"),
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
      });
  return params;
}

/// The table written: one row per industry (and year).
TableSpec industry_table() {
  return TableSpec::write("<output>", "one row per industry (and year) with a row in that year")
      .column(ColumnSpec::of("year"))
      .column(ColumnSpec::of("industry"))
      .column(ColumnSpec::floats("gini",
                                 "Gini of the LQs s_j / b_j in [0, 1), or half the "
                                 "Lorenz-area Gini in [0, 0.5) (gini_convention = krugman); "
                                 "x n/(n-1) with normalize")
                  .in("index (0-1)"))
      .column(ColumnSpec::floats("hoover",
                                 "Hoover localisation coefficient 1/2 sum |s_j - b_j|, "
                                 "in [0, 1)")
                  .in("index (0-1)"))
      .column(ColumnSpec::floats("cv",
                                 "coefficient of variation sd(s) / mean(s) of the regional "
                                 "shares, in [0, sqrt(n)]")
                  .in("ratio"))
      .column(ColumnSpec::floats("total", "the industry's total activity e_i over the regions")
                  .in("<value>"))
      .column(ColumnSpec::ints("regions",
                               "n, the regions with a row in the year, less those whose value of "
                               "the industry is missing (missing = \"drop\")"));
}

/// One year: the regions with a row in it (in order) and their base shares b_j. With base =
/// "others_mean" the base differs by industry: `share_sums` holds, per region, the sum of the
/// regional shares of the `industries_with_activity` industries with a positive total that year.
struct Year {
  std::vector<std::size_t> regions;
  std::vector<double> base_shares;
  std::vector<double> share_sums;  // empty unless base = "others_mean"
  std::size_t industries_with_activity = 0;
};

/// Whether each (year, region) has a row, and its total over all industries; at y * R + r.
struct RegionTotals {
  std::vector<std::uint8_t> exists;
  std::vector<double> total;
};

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Измеряет, насколько каждая отрасль сконцентрирована по регионам относительно "
       "базового распределения"},
      {p.description,
       "Для отрасли i (по годам, если в таблице есть столбец года) с региональными "
       "долями s_j = e_ij / e_i и базовыми долями b_j (base = \"total\": общая "
       "деятельность регионов в таблице, по умолчанию; \"equal\": вес каждого региона 1/n;"
       " \"table\": столбец `base_value` таблицы `base_table` по региону (и году), "
       "например население; \"others_mean\": b_j = невзвешенное среднее региональных долей"
       " остальных отраслей с ненулевой деятельностью, для каждой отрасли, как "
       "krugman.conc2 в REAT, значение которого равно 2 x hoover):\n"
       "  gini   gini_convention = \"reat\" (по умолчанию): коэффициент Джини "
       "коэффициентов локализации q_j = s_j / b_j по n регионам, sum_j sum_k |q_j - q_k|"
       " / (2 n^2 mean(q)) (gini.conc в REAT; при base = \"equal\" — gini() в REAT); "
       "\"krugman\": половина площадного коэффициента Джини кривой Лоренца s относительно "
       "b с регионами, упорядоченными по q (Krugman 1991; locational.Gini в EconGeo, "
       "диапазон [0, 0.5)). normalize = true умножает на n/(n-1) (coefnorm в REAT).\n"
       "  hoover = 1/2 sum_j |s_j - b_j| (Hoover 1936; [0, 1); EconGeo приводит его x100"
       " с округлением, здесь без округления).\n"
       "  cv     = sd(s) / mean(s) по n регионам, sd с n - 1 (cv_sd = \"sample\", по "
       "умолчанию, как sd() в R) или с n (\"population\").\n"
       "Учитывается каждый регион, у которого есть строка в этом году (отрасль, "
       "отсутствующая в таком регионе, считается там нулём); регион или отрасль без "
       "строк в году в этом году не существует и в нём не учитывается (для такой отрасли"
       " нет строки результата; `regions` — число регионов года за вычетом регионов с "
       "пропущенным значением этой отрасли). `industries` ограничивает результат "
       "некоторыми отраслями, а base = \"total\" по-прежнему суммирует все отрасли "
       "(фильтруйте им, а не `where`, чтобы база осталась полной).\n"
       "missing = \"drop\" (по умолчанию \"error\"): строка с пропущенным значением "
       "отбрасывается, и её ячейка — ПРОПУСК, а не 0: этот регион исключается из "
       "индексов этой отрасли (n, доли и базовые доли перенормируются по остальным "
       "регионам) с предупреждением; в его итоге, а значит и в базе при base = \"total\", "
       "пропущенного значения нет. Если ничего не отброшено, результаты не меняются.\n"
       "Источники: Krugman (1991) Geography and Trade, гл. 2; Hoover (1936) REStat "
       "18(4); Wieland, руководство REAT (gini, gini.conc); Balland, EconGeo "
       "(locational.Gini)."},
  };
}

class Concentration final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "concentration";
    p.version = "1.2.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Measures how concentrated each industry is across regions against a base distribution";
    p.description =
        "For industry i (per year when the table has a year column) with regional shares "
        "s_j = e_ij / e_i and base shares b_j (base = \"total\": the regions' total activity in "
        "the "
        "table, default; \"equal\": every region weighs 1/n; \"table\": a column `base_value` of "
        "`base_table` keyed by region (and year), e.g. population; \"others_mean\": b_j = the "
        "unweighted mean over the other industries with activity of their regional shares, per "
        "industry, as REAT's krugman.conc2, whose value is 2 x hoover):\n"
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
        "left out of it (no output row for such an industry; `regions` is the year's count, less "
        "the regions whose value of the industry is missing). "
        "`industries` restricts the output to some industries while base = \"total\" still sums "
        "all industries (filter with it, not with `where`, to keep the base whole).\n"
        "missing = \"drop\" (default \"error\"): a row with a missing value is dropped, and its "
        "cell is MISSING, not 0: that region is left out of that industry's indices (n, shares and "
        "base shares renormalised over the other regions), with a warning; its total, the base "
        "with base = \"total\", lacks the missing value. Outputs are unchanged when nothing is "
        "dropped.\n"
        "References: Krugman (1991) Geography and Trade, ch. 2; Hoover (1936) REStat 18(4); "
        "Wieland, REAT manual (gini, gini.conc); Balland, EconGeo (locational.Gini).";
    p.params = parameters();
    p.reads = {cube_read("non-negative activity by region and industry"),
               TableSpec::read("base_table",
                               "positive base per region, e.g. population, keyed by the input's "
                               "region column (and year column, when both tables have one)")
                   .column(ColumnSpec::of("region"))
                   .column(ColumnSpec::of("year"))
                   .column(ColumnSpec::of("base_value"))
                   .when("base", "table")};
    p.writes = {industry_table()};
    p.translations["ru"] = russian(p);
    return p;
  }

  /// The base parameters agree, and base_table is keyed like the input (the declarations check
  /// the input's columns and base_value, not that another table has the input's region column).
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const std::string& region = params.str("region");
    const bool table_base = params.str("base") == "table";
    if (table_base && !params.has("base_table"))
      throw ParamError("base_table", "base = \"table\" needs base_table (a table with '" + region +
                                         "' and '" + params.str("base_value") + "')");
    if (!table_base && params.has("base_table"))
      throw ParamError("base", "base_table is given but base = \"" + params.str("base") +
                                   "\"; set base = \"table\" to use it");
    if (table_base && !ctx.schema_of_param("base_table").has(region))
      throw ParamError("base_table", "base_table '" + params.str("base_table") +
                                         "' has no region column '" + region + "'");
  }

  void run(RunContext& ctx) const override {
    const Table& in = ctx.table_of_param("input");
    const auto cube = Cube::shared(in, cube_options(ctx.params(), in.schema()));
    const std::vector<std::size_t> chosen = chosen_industries(ctx.params(), *cube);
    const RegionTotals totals = region_totals(*cube);
    std::vector<Year> years = years_of(*cube, totals);
    const std::vector<double> base = ctx.params().str("base") == "table"
                                         ? table_base(ctx, *cube, totals.exists)
                                         : activity_base(ctx.params(), *cube, totals, years);
    for (std::size_t y = 0; y < years.size(); ++y) set_base_shares(years[y], base, y, *cube);
    if (ctx.params().str("base") == "others_mean")
      for (std::size_t y = 0; y < years.size(); ++y) set_share_sums(years[y], y, *cube);
    const Forms forms{ctx.params().str("gini_convention") == "reat",
                      ctx.params().boolean("normalize"), ctx.params().str("cv_sd") == "sample"};
    if (const std::string note = cube->dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn,
              note +
                  ": each such region is left out of that industry's indices (shares and base "
                  "shares over the other regions; `regions` counts them)" +
                  (ctx.params().str("base") == "total"
                       ? "; the region's total activity (its base) lacks the missing value"
                       : ""));
    write_output(ctx, *cube, chosen, compute(*cube, chosen, years, forms));
  }

 private:
  /// The cube's indices of the `industries` parameter, or of every industry. Also refuses a table
  /// of fewer than two regions.
  static std::vector<std::size_t> chosen_industries(const Params& params, const Cube& cube) {
    std::vector<std::size_t> chosen;
    if (params.has("industries")) {
      for (const auto& name : params.strings("industries")) {
        const std::int32_t i = cube.industries().find(name);
        if (i < 0)
          throw DataError("industry '" + name + "' (parameter 'industries') is not in the table");
        chosen.push_back(static_cast<std::size_t>(i));
      }
    } else {
      for (std::size_t i = 0; i < cube.n_industries(); ++i) chosen.push_back(i);
    }
    if (cube.n_regions() == 0)
      throw DataError(
          "concentration across regions needs at least two regions; no row is left (every row "
          "has a missing value or key, and missing = \"drop\" dropped it)");
    if (cube.n_regions() < 2)
      throw DataError(
          "concentration across regions needs at least two regions; the table has only region '" +
          cube.regions().labels[0] + "'");
    return chosen;
  }

  static RegionTotals region_totals(const Cube& cube) {
    const std::size_t R = cube.n_regions(), I = cube.n_industries();
    RegionTotals t{std::vector<std::uint8_t>(cube.n_years() * R, 0),
                   std::vector<double>(cube.n_years() * R, 0.0)};
    parallel_for(
        t.total.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t k = begin; k < end; ++k) {
            double sum = 0;
            bool any = false;
            for (std::size_t i = 0; i < I; ++i) {
              const std::size_t c = cube.cell(k / R, k % R, i);
              sum += cube.value(c);
              any = any || cube.present(c);
            }
            t.exists[k] = any ? 1 : 0;
            t.total[k] = sum;
          }
        },
        std::max<std::size_t>(1, (std::size_t{1} << 15) / std::max<std::size_t>(1, I)));
    return t;
  }

  /// Regions with at least one row in a year exist in that year; the others are left out of it
  /// (not counted in n, no base share). A year needs two of them.
  static std::vector<Year> years_of(const Cube& cube, const RegionTotals& totals) {
    const std::size_t R = cube.n_regions();
    std::vector<Year> years(cube.n_years());
    for (std::size_t y = 0; y < years.size(); ++y) {
      for (std::size_t r = 0; r < R; ++r)
        if (totals.exists[y * R + r]) years[y].regions.push_back(r);
      if (years[y].regions.size() == 1)
        throw DataError("concentration across regions needs at least two regions; " +
                        cube.where_year(y) + " has only region '" +
                        cube.regions().labels[years[y].regions[0]] + "'");
    }
    return years;
  }

  /// Base weights per (year, region) for base = "total" (the region's activity) or "equal" (1); 0
  /// for regions absent from the year.
  static std::vector<double> activity_base(const Params& params, const Cube& cube,
                                           const RegionTotals& totals,
                                           const std::vector<Year>& years) {
    const std::size_t R = cube.n_regions();
    const bool equal = params.str("base") == "equal";
    std::vector<double> base(totals.total.size(), 0.0);
    for (std::size_t y = 0; y < years.size(); ++y)
      for (const std::size_t r : years[y].regions) {
        const std::size_t k = y * R + r;
        if (!equal && totals.total[k] <= 0)
          throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                          cube.options().value + "' in " + cube.where_year(y) +
                          ": its base share is 0, so LQs against it are undefined");
        base[k] = equal ? 1.0 : totals.total[k];
      }
    return base;
  }

  /// Base values per (year, region) from base_table; DataError for a region that exists in the
  /// year (`exists`, per (year, region)) without one. Regions absent from a year get 0.
  static std::vector<double> table_base(const RunContext& ctx, const Cube& cube,
                                        const std::vector<std::uint8_t>& exists) {
    const BaseTable t(ctx, cube);
    std::vector<double> base(exists.size(), 0.0);
    std::vector<std::uint8_t> seen(exists.size(), 0);
    for (std::size_t row = 0; row < t.table.rows(); ++row) {
      const std::vector<std::size_t> slots = t.slots_of_row(row);
      if (slots.empty()) continue;
      const double value = t.value_of_row(row);
      for (const std::size_t k : slots) {
        if (seen[k])
          throw DataError("base_table has two rows for " + t.where(row) +
                          (t.year ? " in " + cube.where_year(k / cube.n_regions()) : ""));
        seen[k] = 1;
        base[k] = value;
      }
    }
    for (std::size_t k = 0; k < exists.size(); ++k)
      if (!seen[k] && exists[k])
        throw DataError("base_table '" + ctx.params().str("base_table") + "' has no '" +
                        t.value_name + "' for region '" +
                        cube.regions().labels[k % cube.n_regions()] + "'" +
                        (t.year ? " in " + cube.where_year(k / cube.n_regions()) : ""));
    return base;
  }

  /// base_table, read against the input's cube: it is keyed by the input's region column, and by
  /// its year column when both tables have one.
  struct BaseTable {
    BaseTable(const RunContext& ctx, const Cube& c)
        : cube(c),
          table(ctx.table_of_param("base_table")),
          value_name(ctx.params().str("base_value")),
          value(table.column(value_name)),
          year(cube.has_year() ? table.find(cube.options().year) : nullptr),
          regions(levels_of(table.column(cube.options().region))),
          years(year ? levels_of(*year) : Levels{}) {}
    const Cube& cube;
    const Table& table;
    std::string value_name;
    const Column& value;
    const Column* year;  // nullptr: the base holds for every year
    Levels regions, years;

    /// The (year, region) slots row `row` gives a base for, at y * R + r: none when its region or
    /// year is missing or not in the input.
    std::vector<std::size_t> slots_of_row(std::size_t row) const {
      const std::int32_t r =
          regions.of_row[row] < 0 ? -1 : cube.regions().find(label(regions, row));
      if (r < 0) return {};
      const auto slot = [&](std::size_t y) {
        return y * cube.n_regions() + static_cast<std::size_t>(r);
      };
      if (!year) {
        std::vector<std::size_t> all;
        for (std::size_t y = 0; y < cube.n_years(); ++y) all.push_back(slot(y));
        return all;
      }
      const std::int32_t y = years.of_row[row] < 0 ? -1 : cube.years().find(label(years, row));
      if (y < 0) return {};
      return {slot(static_cast<std::size_t>(y))};
    }

    /// The base of row `row`: positive, else a DataError.
    double value_of_row(std::size_t row) const {
      if (!value.is_valid(row) || !std::isfinite(value.number(row)))
        throw DataError("base_table has a missing '" + value_name + "' for " + where(row));
      if (value.number(row) <= 0)
        throw DataError("base_table has a non-positive '" + value_name + "' (" +
                        value.to_text(row) + ") for " + where(row) +
                        "; base shares must be positive");
      return value.number(row);
    }

    std::string where(std::size_t row) const {
      return "region '" + label(regions, row) + "'" + table.line_note(row);
    }
    static const std::string& label(const Levels& levels, std::size_t row) {
      return levels.labels[static_cast<std::size_t>(levels.of_row[row])];
    }
  };

  static void set_base_shares(Year& year, const std::vector<double>& base, std::size_t y,
                              const Cube& cube) {
    std::vector<double> weights;
    for (const std::size_t r : year.regions) weights.push_back(base[y * cube.n_regions() + r]);
    year.base_shares = base_shares(weights);
  }

  /// For base = "others_mean": per region of the year, the sum over the industries with a positive
  /// total of their regional shares s_jk = x_jk / x_k (dropped cells count as 0).
  static void set_share_sums(Year& year, std::size_t y, const Cube& cube) {
    year.share_sums.assign(year.regions.size(), 0.0);
    for (std::size_t i = 0; i < cube.n_industries(); ++i) {
      double total = 0;
      for (const std::size_t r : year.regions) total += cube.value(cube.cell(y, r, i));
      if (total <= 0) continue;
      ++year.industries_with_activity;
      for (std::size_t k = 0; k < year.regions.size(); ++k)
        year.share_sums[k] += cube.value(cube.cell(y, year.regions[k], i)) / total;
    }
  }

  /// The base shares of industry i: the year's base, or the mean of the other industries' shares.
  static std::vector<double> industry_base(const Cube& cube, const Year& year, std::size_t y,
                                           std::size_t i) {
    if (year.share_sums.empty()) return year.base_shares;
    std::vector<double> own;
    for (const std::size_t r : year.regions) own.push_back(cube.value(cube.cell(y, r, i)));
    if (year.industries_with_activity < 2)
      throw DataError("base = \"others_mean\" needs another industry with activity in " +
                      cube.where_year(y) + " than '" + cube.industries().labels[i] + "'");
    return others_mean_base(year.share_sums, own, year.industries_with_activity);
  }

  /// One slot per (year, chosen industry), in that order; nullopt where the industry has no row in
  /// the year (it does not exist then). Each part stops at its first error and parallel_for
  /// rethrows the lowest part's, so the error is the first in that order.
  static std::vector<std::optional<Indices>> compute(const Cube& cube,
                                                     const std::vector<std::size_t>& chosen,
                                                     const std::vector<Year>& years,
                                                     const Forms& forms) {
    const std::size_t C = chosen.size();
    return parallel_slots<std::optional<Indices>>(
        cube.n_years() * C,
        [&](std::size_t g) {
          return industry_slot(cube, years[g / C], g / C, chosen[g % C], forms);
        },
        items_per_part(cube.n_regions()));
  }

  /// The industry's indices over the year's regions. A region whose value of the industry was
  /// dropped (missing = "drop") is unknown there, not 0: it is left out of this industry's indices,
  /// and the base shares are renormalised over the regions kept (n counts them).
  static std::optional<Indices> industry_slot(const Cube& cube, const Year& year, std::size_t y,
                                              std::size_t i, const Forms& forms) {
    std::vector<double> x, b;  // the industry's activity and base shares in the regions kept
    bool any = false;
    const std::vector<double> base = industry_base(cube, year, y, i);
    for (std::size_t k = 0; k < year.regions.size(); ++k) {
      const std::size_t c = cube.cell(y, year.regions[k], i);
      if (cube.dropped(c)) continue;
      x.push_back(cube.value(c));
      b.push_back(base[k]);
      any = any || cube.present(c);
    }
    if (!any) return std::nullopt;
    if (x.size() < 2)
      throw DataError("industry '" + cube.industries().labels[i] + "' has a value in only " +
                      std::to_string(x.size()) + " region in " + cube.where_year(y) +
                      " once the regions with a missing value are left out; its concentration "
                      "needs two");
    if (x.size() < year.regions.size()) b = base_shares(b);
    if (auto indices = concentration_indices(x, b, forms)) return indices;
    throw DataError("industry '" + cube.industries().labels[i] + "' has a zero total of '" +
                    cube.options().value + "' over all regions in " + cube.where_year(y) +
                    ": its regional shares are undefined");
  }

  static void write_output(RunContext& ctx, const Cube& cube,
                           const std::vector<std::size_t>& chosen,
                           const std::vector<std::optional<Indices>>& slots) {
    const std::size_t C = chosen.size();
    std::vector<std::int32_t> year, industry;
    std::vector<double> gini, hoover, cv, total;
    std::vector<std::int64_t> regions;
    for (std::size_t g = 0; g < slots.size(); ++g) {
      if (!slots[g]) continue;
      year.push_back(static_cast<std::int32_t>(g / C));
      industry.push_back(static_cast<std::int32_t>(chosen[g % C]));
      gini.push_back(slots[g]->gini);
      hoover.push_back(slots[g]->hoover);
      cv.push_back(slots[g]->cv);
      total.push_back(slots[g]->total);
      regions.push_back(static_cast<std::int64_t>(slots[g]->regions));
    }
    OutputTable out = ctx.output();
    if (cube.has_year()) out.set(cube.years().make_column(cube.options().year, year));
    out.set(cube.industries().make_column(cube.options().industry, industry));
    out.set("gini", std::move(gini));
    out.set("hoover", std::move(hoover));
    out.set("cv", std::move(cv));
    out.set("total", std::move(total));
    out.set("regions", std::move(regions));
    ctx.write(std::move(out));
  }
};

}  // namespace

std::vector<double> base_shares(const std::vector<double>& weights) {
  double total = 0;
  for (const double w : weights) total += w;
  std::vector<double> shares;
  for (const double w : weights) shares.push_back(w / total);
  return shares;
}

std::vector<double> others_mean_base(const std::vector<double>& share_sums,
                                     const std::vector<double>& own, std::size_t industries) {
  double total = 0;
  for (const double v : own) total += v;
  std::vector<double> b;
  // An industry without activity is not among the `industries` summed, so it subtracts nothing.
  const double counted = total > 0 ? 1.0 : 0.0;
  const double others = static_cast<double>(industries) - counted;
  for (std::size_t k = 0; k < own.size(); ++k)
    b.push_back((share_sums[k] - (total > 0 ? own[k] / total : 0.0)) / others);
  return b;
}

std::optional<Indices> concentration_indices(const std::vector<double>& x,
                                             const std::vector<double>& b, const Forms& forms) {
  Indices out;
  out.regions = x.size();
  for (const double v : x) out.total += v;
  if (out.total <= 0) return std::nullopt;
  const std::size_t m = x.size();
  const double n = static_cast<double>(m);
  std::vector<double> s(m), q(m);
  double abs_diff = 0, mean = 1.0 / n, ss = 0;
  for (std::size_t k = 0; k < m; ++k) {
    s[k] = x[k] / out.total;
    q[k] = s[k] / b[k];
    abs_diff += std::fabs(s[k] - b[k]);
    ss += (s[k] - mean) * (s[k] - mean);
  }
  const double norm = forms.normalize ? n / (n - 1) : 1.0;
  std::vector<std::size_t> order;
  out.gini = (forms.reat_gini ? plain_gini(q) : lorenz_gini(s, b, order) / 2) * norm;
  out.hoover = abs_diff / 2;
  out.cv = std::sqrt(ss / (forms.sample_sd ? n - 1 : n)) / mean;
  return out;
}

}  // namespace klaster::plugins::concentration

KLASTER_PLUGIN(klaster::plugins::concentration::Concentration)
