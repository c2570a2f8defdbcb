// location_quotient: LQ_ij = (e_ij / e_j) / (e_i / e), per year.
// Isard (1960); Miller & Blair (2009) sec. 8.5.1; REAT's locq(); O'Donoghue & Gleave (2004) for the
// standardised form.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/memory.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"
#include "klaster/sdk/reference.hpp"
#include "location_quotient_kernel.hpp"

namespace klaster::plugins::location_quotient {
namespace {

using namespace klaster::sdk;

/// The output rows: one per input row, in input order. Rows can only be missing from the cube when
/// missing = "drop" (otherwise the cube refused them); `kept` then lists the input rows kept.
struct OutputRows {
  OutputRows(const Cube& c, const Table& in) : cube(c) {
    if (cube.options().drop_missing)
      for (std::size_t row = 0; row < in.rows(); ++row)
        if (cube.cell_of_row(row) != SIZE_MAX) kept.push_back(row);
    dropped = cube.options().drop_missing && kept.size() != in.rows();
    count = dropped ? kept.size() : in.rows();
  }
  const Cube& cube;
  std::vector<std::size_t> kept;
  bool dropped = false;
  std::size_t count = 0;

  std::size_t cell(std::size_t k) const { return cube.cell_of_row(dropped ? kept[k] : k); }
  /// The keys of output row k, whose row the cube holds (a kept row, or every row).
  Cube::RowKeys keys(std::size_t k) const { return cube.keys_of_row(dropped ? kept[k] : k); }
  std::size_t year(std::size_t c) const { return c / (cube.n_industries() * cube.n_regions()); }
  std::size_t region(std::size_t c) const { return (c / cube.n_industries()) % cube.n_regions(); }
  std::size_t industry(std::size_t c) const { return c % cube.n_industries(); }
};

/// cube_params(), the method and the external reference.
std::vector<ParamSpec> parameters() {
  std::vector<ParamSpec> p = cube_params("activity column (output, employment, ...)");
  p.insert(p.end(),
           {
               ParamSpec("method", ParamType::kString)
                   .def("standard")
                   .one_of({"standard", "log", "standardized", "additive"})
                   .doc_("standard LQ, its natural log, the O'Donoghue-Gleave standardised LQ or "
                         "the Hoen-Oosterhaven additive LQ"),
               ParamSpec("additive_form", ParamType::kString)
                   .def("industry_share")
                   .one_of({"industry_share", "region_share"})
                   .doc_("method = additive: e_ij/e_j - e_i/e (Hoen & Oosterhaven 2006) or "
                         "e_ij/e_i - e_j/e (REAT locq, LQ.method = \"a\")"),
               ParamSpec("presence_threshold", ParamType::kFloat)
                   .at_least(0)
                   .doc_("if set, adds `present` = 1 where LQ >= threshold"),
               cube_missing_param(),
           });
  const std::vector<ParamSpec> ref = reference_params(
      "reference",
      "external reference economy (national totals E_i by industry [and year]); default: the "
      "sum of the table's regions");
  p.insert(p.end() - 1, ref.begin(), ref.end());  // before `missing`
  return p;
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary, "Вычисляет коэффициенты локализации каждой отрасли в каждом регионе (и году)"},
      {p.description,
       "LQ_ij = (e_ij / e_j) / (e_i / e): доля отрасли i в деятельности региона j "
       "относительно её доли в базовой экономике — по умолчанию в сумме по всем регионам"
       " таблицы (по годам, если в таблице есть столбец года). LQ > 1 означает, что "
       "регион j специализирован на отрасли i.\n"
       "method = \"standard\" записывает LQ; \"log\" — ln(LQ) (ячейки с LQ = 0 — ошибка); "
       "\"standardized\" — стандартизованный коэффициент локализации О'Донохью — Глива, "
       "(LQ - mean) / sd со средним и выборочным стандартным отклонением LQ этой отрасли"
       " по регионам (по годам).\n"
       "method = \"additive\" записывает аддитивный коэффициент локализации Хуна — "
       "Остерхавена (Hoen & Oosterhaven 2006), разность долей в [-1, 1] (0 = базовая "
       "доля): additive_form = \"industry_share\" (по умолчанию) e_ij / e_j - e_i / e — "
       "доля отрасли в регионе минус её доля в базовой экономике; \"region_share\" e_ij / "
       "e_i - e_j / e — доля региона в отрасли минус его доля во всей деятельности (locq"
       " в REAT с LQ.method = \"a\").\n"
       "reference = <таблица> (необязательно): внешняя базовая экономика, одна строка на"
       " отрасль (и год, если есть столбец `reference_year`; без него одна строка служит"
       " для всех лет) с её итогом E_i (`reference_value`). Тогда e_i = E_i, а e = сумма"
       " E_i по отраслям, у которых в этом году есть строка во входных данных (прочие "
       "строки базы игнорируются, поэтому обе доли охватывают одни и те же отрасли); так"
       " базой может быть страна, большая, чем регионы таблицы (или в других единицах: "
       "используются только её доли); собственные доли регионов e_ij / e_j не меняются. "
       "Отрасль входных данных без строки в базе — ошибка. По умолчанию таблицы нет, "
       "база — сумма регионов таблицы.\n"
       "presence_threshold = t добавляет столбец `present` = 1 там, где LQ >= t, иначе 0"
       " (по мультипликативному LQ при любом методе).\n"
       "Источники: Isard (1960); Miller & Blair (2009), разд. 8.5.1; O'Donoghue & Gleave"
       " (2004), Regional Studies 38(4); Hoen & Oosterhaven (2006), Annals of Regional "
       "Science 40(3); Wieland, руководство REAT (locq)."},
      {"Regions by LQ", "Регионы по коэффициенту локализации"},
      {"LQ by region", "Коэффициент локализации по регионам"},
  };
}

class LocationQuotient final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "location_quotient";
    p.version = "1.3.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes location quotients of every industry in every region (and year)";
    p.description =
        "LQ_ij = (e_ij / e_j) / (e_i / e): the share of industry i in region j's activity against "
        "its share in the reference economy, by default the sum over all regions in the table (per "
        "year "
        "when the table has a year column). LQ > 1 means region j is specialised in i.\n"
        "method = \"standard\" writes LQ; \"log\" writes ln(LQ) (cells with LQ = 0 are an error); "
        "\"standardized\" writes the O'Donoghue-Gleave standardised LQ, (LQ - mean) / sd with mean "
        "and sample sd of that industry's LQ across regions (per year).\n"
        "method = \"additive\" writes the additive LQ of Hoen & Oosterhaven (2006), a difference "
        "of shares in [-1, 1] (0 = the reference share): additive_form = \"industry_share\" "
        "(default) e_ij / e_j - e_i / e, the industry's share of the region minus its share of "
        "the reference; \"region_share\" e_ij / e_i - e_j / e, the region's share of the "
        "industry minus its share of all activity (REAT's locq with LQ.method = \"a\").\n"
        "reference = <table> (optional): an external reference economy, one row per industry "
        "(and year, when it has the `reference_year` column; without it the same row serves "
        "every year) with its total E_i (`reference_value`). Then e_i = E_i and e = the sum of "
        "E_i over the industries with a row in the input that year (other reference rows are "
        "ignored, so both shares cover the same industries), so the reference may be a nation "
        "larger than the table's regions (or in "
        "other units: only its shares are used); the regions' own shares e_ij / e_j are "
        "unchanged. An input industry with no reference row is an error. Default: no table, the "
        "reference is the sum of the table's regions.\n"
        "presence_threshold = t adds a column `present` = 1 where LQ >= t, else 0 (the "
        "multiplicative LQ, whatever the method).\n"
        "Reference: Isard (1960); Miller & Blair (2009), sec. 8.5.1; O'Donoghue & Gleave (2004), "
        "Regional Studies 38(4); Hoen & Oosterhaven (2006), Annals of Regional Science 40(3); "
        "Wieland, REAT manual (locq).";
    p.params = parameters();
    p.reads = {cube_read("non-negative activity by region and industry"),
               reference_read("reference")};
    p.writes = {
        TableSpec::write("<output>", "one row per input row, in the input's row order")
            .column(ColumnSpec::of("year"))
            .column(ColumnSpec::of("region"))
            .column(ColumnSpec::of("industry"))
            .column(ColumnSpec::floats(
                        "lq",
                        "LQ (>= 0, 1 = the reference share), ln LQ (method = log), the "
                        "standardised LQ, a z-score across regions (method = standardized) or "
                        "the additive LQ in [-1, 1] (method = additive)")
                        .in("dimensionless"))
            .column(ColumnSpec::ints("present",
                                     "1 where LQ >= presence_threshold (before any "
                                     "transformation), else 0")
                        .when_given("presence_threshold"))};
    p.views = {
        ViewSpec::of(ViewKind::kBars, "<output>", "Regions by LQ")
            .labels("region")
            .values("lq")
            .picks({"industry", "year"}),
        ViewSpec::of(ViewKind::kMap, "<output>", "LQ by region")
            .labels("region")
            .values("lq")
            .picks({"industry", "year"}),
    };
    p.translations["ru"] = russian(p);
    return p;
  }

  void run(RunContext& ctx) const override {
    const Table& in = ctx.table_of_param("input");
    const auto cube = Cube::shared(in, cube_options(ctx.params(), in.schema()));
    const OutputRows rows(*cube, in);
    if (const std::string note = cube->dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn,
              note +
                  ": no LQ is written for them, and the region, industry and overall totals "
                  "of their year lack the missing values");
    const Totals totals =
        ctx.params().has("reference") ? reference_totals(ctx, *cube) : Totals(*cube);
    std::vector<double> lq = quotients(rows, totals, std::nullopt);
    std::vector<std::int64_t> present = presence(ctx.params(), lq);
    const std::string method = ctx.params().str("method");
    if (method == "log") take_logs(rows, lq);
    if (method == "standardized") standardize_across_regions(rows, lq);
    if (method == "additive") lq = quotients(rows, totals, additive_form(ctx.params()));
    write_output(ctx, in, rows, std::move(lq), std::move(present));
  }

 private:
  /// e_j, e_i and e per year: e_i and e from the table's regions or from the reference table.
  struct Totals {
    explicit Totals(const Cube& cube)
        : Totals(cube_totals(cube.values(), cube.n_years(), cube.n_regions(), cube.n_industries()),
                 {}) {}
    Totals(CubeTotals t, std::string reference_table)
        : region(std::move(t.region)),
          industry(std::move(t.industry)),
          all(std::move(t.all)),
          reference(std::move(reference_table)) {}
    std::vector<double> region, industry, all;  // as CubeTotals; industry NaN = no reference row
    std::string reference;                      // the reference table's name, "" = none
  };

  /// The LQ of every output row (the additive LQ when `additive` is given). Throws DataError for a
  /// region or an industry whose total is zero, or an industry the reference has no row for.
  static std::vector<double> quotients(const OutputRows& rows, const Totals& totals,
                                       std::optional<AdditiveForm> additive) {
    const Cube& cube = rows.cube;
    const std::size_t R = cube.n_regions(), I = cube.n_industries();
    auto lq_of = [&](std::size_t y, std::size_t r, std::size_t i, double e_ij) {
      const double ej = totals.region[y * R + r], ei = totals.industry[y * I + i];
      if (!(ej > 0) || !(ei > 0)) check_totals(cube, totals, y, r, i);  // throws
      return additive ? additive_location_quotient(e_ij, ej, ei, totals.all[y], *additive)
                      : location_quotient(e_ij, ej, ei, totals.all[y]);
    };
    std::vector<double> lq;
    resize_large(lq, rows.count);
    if (cube.rows_in_cell_order()) {  // row k is cell k (none dropped): a pass over the cube
      parallel_for(rows.count, [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end;) {
          const std::size_t yr = k / I, y = yr / R, r = yr % R;  // (y, r) of the cube's row of I
          for (const std::size_t stop = std::min(end, (yr + 1) * I); k < stop; ++k)
            lq[k] = lq_of(y, r, k - yr * I, cube.value(k));
        }
      });
      return lq;
    }
    // Rows in any order read the cube's cells at random: the cell kAhead rows on is fetched
    // early, so that a shuffled table's cache misses overlap.
    constexpr std::size_t kAhead = 16;
    parallel_for(rows.count, [&](std::size_t begin, std::size_t end) {
      for (std::size_t k = begin; k < end; ++k) {
        if (k + kAhead < end)
          __builtin_prefetch(cube.values().data() + cube.cell(rows.keys(k + kAhead)));
        const Cube::RowKeys key = rows.keys(k);
        lq[k] = lq_of(static_cast<std::size_t>(key.y), static_cast<std::size_t>(key.r),
                      static_cast<std::size_t>(key.i), cube.value(cube.cell(key)));
      }
    });
    return lq;
  }

  /// Throws the DataError for row (y, r, i)'s totals when one is zero or missing.
  static void check_totals(const Cube& cube, const Totals& totals, std::size_t y, std::size_t r,
                           std::size_t i) {
    const std::string& industry = cube.industries().labels[i];
    const double ei = totals.industry[y * cube.n_industries() + i];
    if (totals.region[y * cube.n_regions() + r] <= 0)
      throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                      cube.options().value + "' in " + cube.where_year(y) +
                      ": its industry shares, and so its LQs, are undefined");
    if (std::isnan(ei))
      throw DataError("industry '" + industry + "' has no row in the reference table '" +
                      totals.reference + "'" +
                      (cube.has_year() ? " for " + cube.where_year(y) : std::string()) +
                      ": add its national total");
    if (ei <= 0)
      throw DataError(
          "industry '" + industry + "' has a zero total of '" + cube.options().value + "' " +
          (totals.reference.empty() ? "over all regions"
                                    : "in the reference table '" + totals.reference + "'") +
          " in " + cube.where_year(y) + ": its LQs are undefined");
  }

  static AdditiveForm additive_form(const Params& params) {
    return params.str("additive_form") == "region_share" ? AdditiveForm::kRegionShare
                                                         : AdditiveForm::kIndustryShare;
  }

  /// The regions' totals from the cube, e_i and e from the reference table.
  static Totals reference_totals(const RunContext& ctx, const Cube& cube) {
    CubeTotals t =
        cube_totals(cube.values(), cube.n_years(), cube.n_regions(), cube.n_industries());
    t.industry = read_reference(ctx, cube, "reference");
    // E sums the industries with a row in the year, as e_j does: both shares cover them alone.
    for (std::size_t y = 0; y < cube.n_years(); ++y)
      for (std::size_t i = 0; i < cube.n_industries(); ++i)
        if (!has_rows(cube, y, i))
          t.industry[y * cube.n_industries() + i] = std::numeric_limits<double>::quiet_NaN();
    t.all = reference_grand_totals(t.industry, cube.n_years(), cube.n_industries());
    return Totals(std::move(t), ctx.params().str("reference"));
  }

  static bool has_rows(const Cube& cube, std::size_t y, std::size_t i) {
    for (std::size_t r = 0; r < cube.n_regions(); ++r)
      if (cube.present(cube.cell(y, r, i))) return true;
    return false;
  }

  /// `present` per row (LQ >= presence_threshold), or nothing when the threshold is not given.
  static std::vector<std::int64_t> presence(const Params& params, const std::vector<double>& lq) {
    std::vector<std::int64_t> present;
    if (!params.has("presence_threshold")) return present;
    const double t = params.real("presence_threshold");
    present.reserve(lq.size());
    for (double v : lq) present.push_back(v >= t ? 1 : 0);
    return present;
  }

  static void take_logs(const OutputRows& rows, std::vector<double>& lq) {
    for (std::size_t k = 0; k < lq.size(); ++k) {
      if (lq[k] <= 0) {
        const std::size_t c = rows.cell(k);
        throw DataError("log LQ is undefined where LQ = 0: " +
                        rows.cube.where(rows.year(c), rows.region(c), rows.industry(c)));
      }
      lq[k] = std::log(lq[k]);
    }
  }

  /// O'Donoghue & Gleave (2004): each industry's LQs (per year) as z-scores across regions.
  static void standardize_across_regions(const OutputRows& rows, std::vector<double>& lq) {
    const Cube& cube = rows.cube;
    const std::size_t I = cube.n_industries();
    // (year, industry) of each row; 32 bits hold it: a cube of 2^32 cells would not fit in memory.
    std::vector<std::uint32_t> group(lq.size());
    for (std::size_t k = 0; k < lq.size(); ++k) {
      const std::size_t c = rows.cell(k);
      group[k] = static_cast<std::uint32_t>(rows.year(c) * I + rows.industry(c));
    }
    const GroupMoments moments = group_moments(lq, group, cube.n_years() * I);
    for (std::size_t g = 0; g < moments.count.size(); ++g) {
      if (moments.count[g] == 0) continue;
      if (moments.count[g] < 2)
        throw DataError("standardized LQ needs at least two regions for industry '" +
                        cube.industries().labels[g % I] + "' in " + cube.where_year(g / I));
      if (moments.sd[g] == 0)
        throw DataError("standardized LQ is undefined: industry '" +
                        cube.industries().labels[g % I] + "' has the same LQ in every region in " +
                        cube.where_year(g / I));
    }
    standardize(lq, group, moments);
  }

  /// Key columns are the input's own (shared, not copied) when every row is kept.
  static void write_output(RunContext& ctx, const Table& in, const OutputRows& rows,
                           std::vector<double> lq, std::vector<std::int64_t> present) {
    OutputTable out = ctx.output();
    const CubeOptions& o = rows.cube.options();
    std::vector<std::string> keys = {o.region, o.industry};
    if (rows.cube.has_year()) keys.insert(keys.begin(), o.year);
    for (const auto& key : keys)
      out.set(rows.dropped ? std::make_shared<const Column>(Column::take(in.column(key), rows.kept))
                           : in.column_ptr(key));
    out.set("lq", std::move(lq));
    if (out.has("present")) out.set("present", std::move(present));
    ctx.write(std::move(out));
  }
};

}  // namespace

double location_quotient(double e_ij, double e_j, double e_i, double e) {
  return (e_ij / e_j) / (e_i / e);
}

double additive_location_quotient(double e_ij, double e_j, double e_i, double e,
                                  AdditiveForm form) {
  return form == AdditiveForm::kIndustryShare ? e_ij / e_j - e_i / e : e_ij / e_i - e_j / e;
}

std::vector<double> reference_grand_totals(const std::vector<double>& industry_totals,
                                           std::size_t years, std::size_t industries) {
  std::vector<double> all(years, 0.0);
  for (std::size_t y = 0; y < years; ++y)
    for (std::size_t i = 0; i < industries; ++i)
      if (!std::isnan(industry_totals[y * industries + i]))
        all[y] += industry_totals[y * industries + i];
  return all;
}

CubeTotals cube_totals(const std::vector<double>& values, std::size_t years, std::size_t regions,
                       std::size_t industries) {
  CubeTotals t{std::vector<double>(years * regions, 0.0),
               std::vector<double>(years * industries, 0.0), std::vector<double>(years, 0.0)};
  // Years on every core; each year's sums add its cells in cell order, whatever the cores.
  parallel_for(
      years,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t y = begin; y < end; ++y)
          for (std::size_t r = 0; r < regions; ++r)
            for (std::size_t i = 0; i < industries; ++i) {
              const double v = values[(y * regions + r) * industries + i];
              t.region[y * regions + r] += v;
              t.industry[y * industries + i] += v;
              t.all[y] += v;
            }
      },
      items_per_part(regions * industries));
  return t;
}

GroupMoments group_moments(const std::vector<double>& values,
                           const std::vector<std::uint32_t>& group_of, std::size_t groups) {
  GroupMoments m{std::vector<double>(groups, 0.0), std::vector<double>(groups, 0.0),
                 std::vector<std::size_t>(groups, 0)};
  for (std::size_t k = 0; k < values.size(); ++k) {
    m.mean[group_of[k]] += values[k];
    ++m.count[group_of[k]];
  }
  for (std::size_t g = 0; g < groups; ++g)
    if (m.count[g]) m.mean[g] /= static_cast<double>(m.count[g]);
  std::vector<double> squares(groups, 0.0);  // sum of squared deviations from the mean
  for (std::size_t k = 0; k < values.size(); ++k) {
    const double d = values[k] - m.mean[group_of[k]];
    squares[group_of[k]] += d * d;
  }
  for (std::size_t g = 0; g < groups; ++g)
    m.sd[g] = m.count[g] < 2 ? std::numeric_limits<double>::quiet_NaN()
                             : std::sqrt(squares[g] / static_cast<double>(m.count[g] - 1));
  return m;
}

void standardize(std::vector<double>& values, const std::vector<std::uint32_t>& group_of,
                 const GroupMoments& moments) {
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::uint32_t g = group_of[k];
    values[k] = (values[k] - moments.mean[g]) / moments.sd[g];
  }
}

}  // namespace klaster::plugins::location_quotient

KLASTER_PLUGIN(klaster::plugins::location_quotient::LocationQuotient)
