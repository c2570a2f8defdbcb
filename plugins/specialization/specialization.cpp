// specialization: how far each region's industry mix departs from a reference economy.
// Krugman (1991) dissimilarity index, Hoover (1936) coefficient, Theil (1967) entropy index and the
// specialisation Gini (REAT's gini.spec form, or the Lorenz-curve form of Krugman / EconGeo).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/inequality.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"
#include "klaster/sdk/reference.hpp"
#include "specialization_kernel.hpp"

namespace klaster::plugins::specialization {
namespace {

using namespace klaster::sdk;

std::string quoted_list(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "'" : ", '") + x + "'";
  return s;
}

/// cube_params() and the choices of reference and index forms.
std::vector<ParamSpec> parameters() {
  std::vector<ParamSpec> params = cube_params("activity column (employment, output, ...)");
  params.insert(
      params.end(),
      {
          ParamSpec("reference", ParamType::kString)
              .def("total")
              .one_of({"total", "rest", "others_mean"})
              .doc_("reference shares: of the whole economy, of the economy without the region, or "
                    "the unweighted mean of the other regions' shares (REAT krugman.spec2)"),
          ParamSpec("convention", ParamType::kString)
              .def("full")
              .one_of({"full", "half"})
              .doc_("Krugman index range: [0, 2] (full) or [0, 1] (half)"),
          ParamSpec("theil_form", ParamType::kString)
              .def("relative")
              .one_of({"relative", "absolute", "mld"})
              .doc_("Theil index against the reference (relative), or of the region's own mix: "
                    "Theil T (absolute) or Theil L, the mean log deviation (mld, REAT's theil())"),
          ParamSpec("gini_convention", ParamType::kString)
              .def("reat")
              .one_of({"reat", "krugman"})
              .doc_("Gini of LQs (REAT) or half the Lorenz-area Gini (Krugman/EconGeo)"),
          ParamSpec("normalize", ParamType::kBool)
              .def(Value(false))
              .doc_("multiply the Gini by n/(n-1), n the number of industries"),
          cube_missing_param(),
      });
  const std::vector<ParamSpec> ref = reference_params(
      "reference_table",
      "external economy (national totals E_i by industry [and year]) for reference = total or "
      "rest; default: the sum of the table's regions");
  params.insert(params.end() - 1, ref.begin(), ref.end());  // before `missing`
  return params;
}

/// The table written: one row per region (and year).
TableSpec region_table() {
  return TableSpec::write("<output>", "one row per region (and year) with a row in that year")
      .column(ColumnSpec::of("year"))
      .column(ColumnSpec::of("region"))
      .column(ColumnSpec::floats("krugman",
                                 "Krugman dissimilarity sum |s_i - t_i|, in [0, 2] ([0, 1] with "
                                 "convention = half); 0 = the reference mix")
                  .in("index"))
      .column(ColumnSpec::floats("hoover", "Hoover coefficient 1/2 sum |s_i - t_i|, in [0, 1)")
                  .in("index (0-1)"))
      .column(ColumnSpec::floats(
          "theil",
          "relative Theil sum s_i ln(s_i / t_i) >= 0 (missing where some t_i = 0 "
          "< s_i), or Theil T (theil_form = absolute) or Theil L (mld; missing where an industry "
          "has no activity) of the region's own mix"))
      .column(ColumnSpec::floats(
                  "gini",
                  "Gini of the LQs s_i / t_i in [0, 1) (missing where some t_i = 0 < s_i), "
                  "or half the Lorenz-area Gini in [0, 0.5) (gini_convention = krugman)")
                  .in("index (0-1)"))
      .column(ColumnSpec::floats("total", "the region's total activity e_r").in("<value>"));
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Измеряет, насколько специализирована отраслевая структура каждого региона "
       "относительно базовой экономики"},
      {p.description,
       "Для региона r (по годам, если в таблице есть столбец года) с отраслевыми долями "
       "s_i = e_ri / e_r и базовыми долями t_i = E_i / E:\n"
       "  krugman = sum_i |s_i - t_i|            (Krugman 1991; диапазон [0, 2])\n"
       "  hoover  = 1/2 sum_i |s_i - t_i|        (коэффициент специализации Гувера 1936;"
       " [0, 1))\n"
       "  theil   = sum_i s_i ln(s_i / t_i)      (относительный индекс Тейла / "
       "расхождение Кульбака — Лейблера, theil_form = \"relative\", по умолчанию) или "
       "(1/n) sum_i (e_ri/m) ln(e_ri/m), m — среднее по n отраслям (индекс Тейла T "
       "собственной структуры региона; theil_form = \"absolute\"), или (1/n) sum_i "
       "ln(m/e_ri) (индекс Тейла L, среднее логарифмическое отклонение, theil() в REAT; "
       "theil_form = \"mld\"; пропуск, если какое-либо e_ri = 0)\n"
       "  gini    = gini_convention \"reat\" (по умолчанию): невзвешенный коэффициент "
       "Джини отраслевых коэффициентов локализации q_i = s_i / t_i, sum_i sum_k |q_i - "
       "q_k| / (2 n^2 mean(q)), как gini.spec/gini.conc в REAT; \"krugman\": половина "
       "площадного коэффициента Джини кривой Лоренца s относительно t с отраслями, "
       "упорядоченными по q (диапазон [0, 0.5), как в locational.Gini из EconGeo). "
       "normalize = true умножает на n/(n-1) (coefnorm в REAT).\n"
       "reference = \"total\" (по умолчанию): t_i = E_i / E по сумме всех регионов "
       "таблицы; \"rest\": по всем регионам, кроме r, (E_i - e_ri) / (E - e_r); "
       "\"others_mean\": невзвешенное среднее долей остальных регионов, t_i = 1/(m-1) "
       "sum_{l != r} e_li / e_l по m регионам года (krugman.spec2 в REAT, Farhauer & "
       "Kroell 2013). reference_table = <таблица> (вместе с total или rest) берёт E_i из"
       " внешней экономики (итоги по стране по отраслям, и по годам, если есть "
       "`reference_year`; без него её строки служат для всех лет) вместо суммы регионов "
       "таблицы, E = сумма E_i по отраслям, активным в этом году (прочие строки "
       "игнорируются); активная отрасль без строки там — ошибка. convention = \"full\" (по"
       " умолчанию) даёт krugman в [0, 2], \"half\" — в [0, 1] (тогда он равен hoover). "
       "Отрасль или регион без строк в году в этом году не существует и в нём не "
       "учитывается (для такого региона нет строки результата); если их строки в сумме "
       "дают ноль, это ошибка. Там, где t_i = 0, но s_i > 0 (возможно при reference = "
       "\"rest\"), q_i бесконечен: относительный theil и gini \"reat\" записываются как "
       "пропуски с предупреждением.\n"
       "Источники: Krugman (1991) Geography and Trade, MIT Press; Hoover (1936) REStat "
       "18(4); Theil (1967) Economics and Information Theory; Wieland, руководство REAT "
       "(gini.spec, krugman.spec, krugman.spec2); Farhauer & Kroell (2013) "
       "Standorttheorien, Springer."},
  };
}

class Specialization final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "specialization";
    p.version = "1.2.0";
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
        "(Theil T of the region's own mix; theil_form = \"absolute\") or (1/n) sum_i ln(m/e_ri) "
        "(Theil L, the mean log deviation, REAT's theil(); theil_form = \"mld\"; missing where "
        "some e_ri = 0)\n"
        "  gini    = gini_convention \"reat\" (default): unweighted Gini of the industry LQs "
        "q_i = s_i / t_i, sum_i sum_k |q_i - q_k| / (2 n^2 mean(q)) as REAT's gini.spec/gini.conc; "
        "\"krugman\": half the area Gini of the Lorenz curve of s against t with industries "
        "ordered by "
        "q (the [0, 0.5) range EconGeo's locational.Gini uses). normalize = true multiplies by "
        "n/(n-1) (REAT's coefnorm).\n"
        "reference = \"total\" (default): t_i = E_i / E from the sum of all regions in the table; "
        "\"rest\": from all regions except r, (E_i - e_ri) / (E - e_r); \"others_mean\": the "
        "unweighted mean of the other regions' shares, t_i = 1/(m-1) sum_{l != r} e_li / e_l over "
        "the m regions of the year (REAT's krugman.spec2, Farhauer & Kroell 2013). "
        "reference_table = <table> (with total or rest) takes E_i from an external economy "
        "(national "
        "totals by industry, and year when it has `reference_year`; without it its rows serve "
        "every "
        "year) instead of the sum of the table's regions, E = the sum of E_i over the industries "
        "active in the year (other rows are ignored); an active industry with no row there is an "
        "error. convention = \"full\" (default) reports krugman in [0, 2], \"half\" "
        "in "
        "[0, 1] (then equal to hoover). An industry or a region with no row in a year does not "
        "exist "
        "in that year and is left out of it (no output row for such a region); one whose rows sum "
        "to zero is an error. Where t_i = 0 but s_i > 0 (possible with reference = \"rest\"), q_i "
        "is "
        "infinite: the relative theil and the \"reat\" gini are written as missing values with a "
        "warning.\n"
        "References: Krugman (1991) Geography and Trade, MIT Press; Hoover (1936) REStat 18(4); "
        "Theil (1967) Economics and Information Theory; Wieland, REAT manual (gini.spec, "
        "krugman.spec, krugman.spec2); Farhauer & Kroell (2013) Standorttheorien, Springer.";
    p.params = parameters();
    p.reads = {cube_read("non-negative activity by region and industry"),
               reference_read("reference_table")};
    p.writes = {region_table()};
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    if (params.has("reference_table") && params.str("reference") == "others_mean")
      throw ParamError("reference_table",
                       "reference = \"others_mean\" averages the other regions' own shares and "
                       "takes no reference_table; give reference = \"total\" or \"rest\" with it");
  }

  void run(RunContext& ctx) const override {
    const Table& in = ctx.table_of_param("input");
    const auto cube = Cube::shared(in, cube_options(ctx.params(), in.schema()));
    const Settings settings(ctx.params());
    if (const std::string note = cube->dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn,
              note +
                  ": each is read as 0 in its region's mix and in the reference (the indices "
                  "of those regions treat the industry as absent there)");
    const std::vector<double> external =
        settings.external() ? read_reference(ctx, *cube, "reference_table") : std::vector<double>{};
    const std::vector<Year> years = tally_years(*cube, settings, external);
    const std::vector<std::optional<RegionRow>> rows = compute(*cube, years, settings);
    warn_infinite_lqs(ctx, *cube, years, rows);
    write_output(ctx, *cube, rows);
  }

 private:
  static TheilForm theil_form(const std::string& name) {
    if (name == "absolute") return TheilForm::kAbsolute;
    return name == "mld" ? TheilForm::kMeanLogDeviation : TheilForm::kRelative;
  }
  enum class Reference { kTotal, kRest, kOthersMean };
  static Reference reference_kind(const std::string& name) {
    if (name == "rest") return Reference::kRest;
    return name == "others_mean" ? Reference::kOthersMean : Reference::kTotal;
  }
  struct Settings {
    explicit Settings(const Params& params)
        : name(params.str("reference")),
          reference(reference_kind(name)),
          table(params.has("reference_table") ? params.str("reference_table") : ""),
          forms{params.str("convention") == "half", theil_form(params.str("theil_form")),
                params.str("gini_convention") == "reat", params.boolean("normalize")} {}
    std::string name;  // the `reference` parameter
    Reference reference;
    std::string table;  // the external reference table, "" = the sum of the table's regions
    Forms forms;
    bool external() const { return !table.empty(); }
    bool rest() const { return reference == Reference::kRest; }
    bool others_mean() const { return reference == Reference::kOthersMean; }
    /// The reference is built from the other regions of the table.
    bool needs_two_regions() const { return others_mean() || (rest() && !external()); }
  };

  /// One year of the cube. An industry or a region with no row in a year does not exist in that
  /// year and is left out of it; one with rows summing to zero is an error.
  struct Year {
    std::vector<double> industry_total, region_total;  // by the cube's industry / region index;
                                                       // industry_total is E_i when external
    std::vector<double> share_sum;  // others_mean: sum over the regions of e_ri / e_r
    std::vector<std::uint8_t> region_exists;
    std::vector<std::size_t> active;  // the industries with a row in the year
    std::size_t regions = 0;          // the regions with a row in the year
    double grand = 0;
    std::string error;  // the year's own error, thrown when the region loop reaches the year
  };

  /// One region in one year.
  struct RegionRow {
    double total;
    Indices indices;
  };

  /// Every year's totals and error. The errors are thrown when the region loop reaches their year,
  /// so the first error is the one a serial loop would meet.
  static std::vector<Year> tally_years(const Cube& cube, const Settings& settings,
                                       const std::vector<double>& external) {
    std::vector<Year> years(cube.n_years());
    parallel_for(
        years.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t y = begin; y < end; ++y) {
            Year& year = years[y];
            year = year_totals(cube, y);
            if (settings.external())
              year.error = apply_reference(cube, y, external, settings, year);
            if (year.error.empty()) year.error = year_error(cube, y, year, settings);
            if (settings.others_mean()) add_share_sums(cube, y, year);
          }
        },
        1);
    if (cube.n_regions() == 0)  // no regions to reach the year errors
      for (const auto& year : years)
        if (!year.error.empty()) throw DataError(year.error);
    return years;
  }

  static Year year_totals(const Cube& cube, std::size_t y) {
    const std::size_t R = cube.n_regions(), I = cube.n_industries();
    Year t{std::vector<double>(I, 0.0),
           std::vector<double>(R, 0.0),
           {},
           std::vector<std::uint8_t>(R, 0),
           {},
           0,
           0.0,
           {}};
    std::vector<std::uint8_t> industry_exists(I, 0);
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < I; ++i) {
        const std::size_t c = cube.cell(y, r, i);
        t.industry_total[i] += cube.value(c);
        t.region_total[r] += cube.value(c);
        if (cube.present(c)) t.region_exists[r] = industry_exists[i] = 1;
      }
    for (std::size_t i = 0; i < I; ++i)
      if (industry_exists[i]) t.active.push_back(i);
    t.regions = static_cast<std::size_t>(
        std::count(t.region_exists.begin(), t.region_exists.end(), std::uint8_t{1}));
    t.grand = std::accumulate(t.region_total.begin(), t.region_total.end(), 0.0);
    return t;
  }

  /// Replaces the year's industry totals and grand total by the reference table's; returns the
  /// year's error ("" if none).
  static std::string apply_reference(const Cube& cube, std::size_t y,
                                     const std::vector<double>& external, const Settings& settings,
                                     Year& t) {
    t.grand = 0;
    for (const std::size_t i : t.active) {
      const double e = external[y * cube.n_industries() + i];
      if (std::isnan(e))
        return "industry '" + cube.industries().labels[i] +
               "' has no row in the reference table '" + settings.table + "'" +
               (cube.has_year() ? " for " + cube.where_year(y) : std::string()) +
               ": add its national total";
      t.industry_total[i] = e;
      t.grand += e;
    }
    if (t.grand <= 0)
      return "the reference table '" + settings.table +
             "' has a zero total over the industries of " + cube.where_year(y);
    return {};
  }

  /// What makes year `y` unusable as a whole, or "".
  static std::string year_error(const Cube& cube, std::size_t y, const Year& t,
                                const Settings& settings) {
    if (!settings.external())
      for (auto i : t.active)
        if (t.industry_total[i] <= 0)
          return "industry '" + cube.industries().labels[i] + "' has a zero total of '" +
                 cube.options().value + "' over all regions in " + cube.where_year(y) +
                 ": its reference shares are undefined";
    if (t.active.size() < 2)
      return "specialisation needs at least two industries with activity; " + cube.where_year(y) +
             " has " + std::to_string(t.active.size()) + " (industries " +
             quoted_list(cube.industries().labels) + ")";
    const auto& exists = t.region_exists;
    if (settings.needs_two_regions() && t.regions < 2)
      return "reference = \"" + settings.name + "\" needs at least two regions; " +
             cube.where_year(y) + " has only region '" +
             cube.regions().labels[static_cast<std::size_t>(
                 std::find(exists.begin(), exists.end(), std::uint8_t{1}) - exists.begin())] +
             "'";
    return {};
  }

  /// others_mean: the sum over the year's regions of their shares e_ri / e_r. A region with a zero
  /// total is left out here; it is an error when the region loop reaches it.
  static void add_share_sums(const Cube& cube, std::size_t y, Year& t) {
    t.share_sum.assign(cube.n_industries(), 0.0);
    for (std::size_t r = 0; r < cube.n_regions(); ++r) {
      if (!t.region_exists[r] || t.region_total[r] <= 0) continue;
      for (const std::size_t i : t.active)
        t.share_sum[i] += cube.value(cube.cell(y, r, i)) / t.region_total[r];
    }
  }

  /// One slot per (year, region), in that order; nullopt where the region has no row in the year.
  /// Each part stops at its first error and parallel_for rethrows the lowest part's, so the error
  /// is the first in (year, region) order.
  static std::vector<std::optional<RegionRow>> compute(const Cube& cube,
                                                       const std::vector<Year>& years,
                                                       const Settings& settings) {
    const std::size_t R = cube.n_regions();
    return parallel_slots<std::optional<RegionRow>>(
        cube.n_years() * R,
        [&](std::size_t g) { return region_row(cube, years[g / R], g / R, g % R, settings); },
        items_per_part(cube.n_industries()));
  }

  static std::optional<RegionRow> region_row(const Cube& cube, const Year& year, std::size_t y,
                                             std::size_t r, const Settings& settings) {
    if (!year.error.empty()) throw DataError(year.error);
    if (!year.region_exists[r]) return std::nullopt;
    const double total = year.region_total[r];
    if (total <= 0)
      throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                      cube.options().value + "' in " + cube.where_year(y) +
                      ": its industry shares are undefined");
    return RegionRow{total,
                     specialization_indices(shares_of(cube, year, y, r, settings), settings.forms)};
  }

  /// Region r's shares s and the reference shares t over the year's active industries.
  static Shares shares_of(const Cube& cube, const Year& year, std::size_t y, std::size_t r,
                          const Settings& settings) {
    std::vector<double> own, reference;
    for (const std::size_t i : year.active) {
      own.push_back(cube.value(cube.cell(y, r, i)));
      reference.push_back(settings.others_mean() ? year.share_sum[i] : year.industry_total[i]);
      if (settings.rest() && settings.external() && reference.back() < own.back())
        throw DataError(cube.where(y, r, i) + " has " + format_number(own.back()) +
                        " but the reference table '" + settings.table + "' only " +
                        format_number(reference.back()) +
                        ": with reference = \"rest\" the rest of the reference would be negative");
    }
    const double total = year.region_total[r];
    if (settings.others_mean()) return others_mean_shares(own, total, reference, year.regions);
    const auto shares = region_shares(own, total, reference, year.grand, settings.rest());
    if (!shares)
      throw DataError(
          "the reference economy for region '" + cube.regions().labels[r] + "' (" +
          (settings.external() ? "the reference table '" + settings.table + "' without the region"
                               : std::string("all other regions")) +
          ") has a zero total of '" + cube.options().value + "' in " + cube.where_year(y));
    return *shares;
  }

  /// One warning for every industry whose reference share is zero where a region is active.
  static void warn_infinite_lqs(const RunContext& ctx, const Cube& cube,
                                const std::vector<Year>& years,
                                const std::vector<std::optional<RegionRow>>& rows) {
    const std::size_t R = cube.n_regions();
    std::size_t count = 0;
    std::string first;
    for (std::size_t g = 0; g < rows.size(); ++g) {
      if (!rows[g] || rows[g]->indices.infinite == 0) continue;
      if (first.empty())
        first = cube.where(g / R, g % R, years[g / R].active[rows[g]->indices.first_infinite]);
      count += rows[g]->indices.infinite;
    }
    if (count == 0) return;
    ctx.log(LogLevel::kWarn, "step '" + ctx.step_id() +
                                 "': the reference share is zero where the region is active (" +
                                 first +
                                 (count > 1 ? " and " + std::to_string(count - 1) + " more" : "") +
                                 "); theil/gini written as missing there");
  }

  /// The rows of the regions present in each year, in (year, region) order.
  static void write_output(RunContext& ctx, const Cube& cube,
                           const std::vector<std::optional<RegionRow>>& rows) {
    std::vector<std::int32_t> year, region;
    std::vector<double> krugman, hoover, theil, gini, total;
    std::vector<std::uint8_t> theil_valid, gini_valid;
    for (std::size_t g = 0; g < rows.size(); ++g) {
      if (!rows[g]) continue;
      const Indices& x = rows[g]->indices;
      year.push_back(static_cast<std::int32_t>(g / cube.n_regions()));
      region.push_back(static_cast<std::int32_t>(g % cube.n_regions()));
      krugman.push_back(x.krugman);
      hoover.push_back(x.hoover);
      theil.push_back(x.theil.value_or(0.0));
      theil_valid.push_back(x.theil ? 1 : 0);
      gini.push_back(x.gini.value_or(0.0));
      gini_valid.push_back(x.gini ? 1 : 0);
      total.push_back(rows[g]->total);
    }
    OutputTable out = ctx.output();
    if (cube.has_year()) out.set(cube.years().make_column(cube.options().year, year));
    out.set(cube.regions().make_column(cube.options().region, region));
    out.set("krugman", std::move(krugman));
    out.set("hoover", std::move(hoover));
    out.set("theil", std::move(theil),
            all_valid(theil_valid) ? std::vector<std::uint8_t>{} : theil_valid);
    out.set("gini", std::move(gini),
            all_valid(gini_valid) ? std::vector<std::uint8_t>{} : gini_valid);
    out.set("total", std::move(total));
    ctx.write(std::move(out));
  }

  static bool all_valid(const std::vector<std::uint8_t>& valid) {
    return std::all_of(valid.begin(), valid.end(), [](std::uint8_t v) { return v != 0; });
  }
};

}  // namespace

std::optional<Shares> region_shares(const std::vector<double>& own, double region_total,
                                    const std::vector<double>& industry_totals, double grand_total,
                                    bool rest) {
  const double reference_total = rest ? grand_total - region_total : grand_total;
  if (reference_total <= 0) return std::nullopt;
  Shares out{std::vector<double>(own.size()), std::vector<double>(own.size())};
  for (std::size_t k = 0; k < own.size(); ++k) {
    out.s[k] = own[k] / region_total;
    out.t[k] = (rest ? industry_totals[k] - own[k] : industry_totals[k]) / reference_total;
  }
  return out;
}

Shares others_mean_shares(const std::vector<double>& own, double region_total,
                          const std::vector<double>& share_sums, std::size_t regions) {
  Shares out{std::vector<double>(own.size()), std::vector<double>(own.size())};
  const double others = static_cast<double>(regions - 1);
  for (std::size_t k = 0; k < own.size(); ++k) {
    out.s[k] = own[k] / region_total;
    // The sum runs over all regions, r included: take r's own share out before averaging.
    out.t[k] = (share_sums[k] - out.s[k]) / others;
  }
  return out;
}

double absolute_theil(const std::vector<double>& s) {
  double entropy = std::log(static_cast<double>(s.size()));
  for (const double v : s)
    if (v > 0) entropy += v * std::log(v);
  return entropy;
}

std::optional<double> mean_log_deviation(const std::vector<double>& s) {
  const double n = static_cast<double>(s.size());
  double sum_log = 0;
  for (const double v : s) {
    if (v <= 0) return std::nullopt;
    sum_log += std::log(v);
  }
  return -std::log(n) - sum_log / n;
}

Indices specialization_indices(const Shares& shares, const Forms& forms) {
  const std::vector<double>& s = shares.s;
  const std::vector<double>& t = shares.t;
  const std::size_t n = s.size();
  Indices out;
  std::vector<double> q(n, 0.0);  // the LQs s_i / t_i, 0 where t_i = s_i = 0
  double abs_diff = 0, relative_theil = 0;
  for (std::size_t k = 0; k < n; ++k) {
    abs_diff += std::fabs(s[k] - t[k]);
    if (t[k] > 0) {
      q[k] = s[k] / t[k];
      if (s[k] > 0) relative_theil += s[k] * std::log(q[k]);
    } else if (s[k] > 0 && out.infinite++ == 0) {
      out.first_infinite = k;
    }
  }
  const double norm = forms.normalize ? static_cast<double>(n) / static_cast<double>(n - 1) : 1.0;
  out.krugman = forms.half_krugman ? abs_diff / 2 : abs_diff;
  out.hoover = abs_diff / 2;
  if (forms.theil == TheilForm::kAbsolute)
    out.theil = absolute_theil(s);
  else if (forms.theil == TheilForm::kMeanLogDeviation)
    out.theil = mean_log_deviation(s);
  else if (out.infinite == 0)
    out.theil = relative_theil;
  if (!forms.reat_gini) {
    std::vector<std::size_t> order;
    out.gini = lorenz_gini(s, t, order) / 2 * norm;
  } else if (out.infinite == 0) {
    out.gini = plain_gini(q) * norm;
  }
  return out;
}

}  // namespace klaster::plugins::specialization

KLASTER_PLUGIN(klaster::plugins::specialization::Specialization)
