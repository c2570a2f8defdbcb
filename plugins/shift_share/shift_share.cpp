// shift_share: decomposition of each region's growth between two years into a national share, an
// industrial-mix effect and a regional (competitive) share.
// Dunn (1960); Esteban-Marquillas (1972); Gerfin (1964) index form; Barff & Knight (1988) dynamic.
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"
#include "shift_share_kernel.hpp"

namespace klaster::plugins::shift_share {
namespace {

using namespace klaster::sdk;

/// The long table's columns, the years, the method and the reference economy.
std::vector<ParamSpec> parameters() {
  return {
      ParamSpec("input", ParamType::kTable)
          .req()
          .primary()
          .doc_("long table with region, industry, year, value"),
      ParamSpec("value", ParamType::kColumn)
          .numeric()
          .of("input")
          .def("value")
          .doc_("activity column (employment, output, ...)"),
      ParamSpec("region", ParamType::kColumn).of("input").def("region").doc_("region key column"),
      ParamSpec("industry", ParamType::kColumn)
          .of("input")
          .def("industry")
          .doc_("industry key column"),
      ParamSpec("year", ParamType::kColumn).of("input").def("year").doc_("year key column"),
      ParamSpec("from_year", ParamType::kInt).req().doc_("base year"),
      ParamSpec("to_year", ParamType::kInt).req().doc_("final year (after from_year)"),
      ParamSpec("method", ParamType::kString)
          .def("dunn")
          .one_of({"dunn", "esteban_marquillas", "gerfin", "dynamic"})
          .doc_("decomposition: Dunn, Esteban-Marquillas, Gerfin index form, or Barff-Knight "
                "dynamic"),
      ParamSpec("reference_region", ParamType::kString)
          .doc_("region label whose rows are the reference economy (default: the sum of all "
                "regions)"),
      ParamSpec("detail", ParamType::kBool)
          .def(Value(true))
          .doc_("also write <output>_detail per region and industry"),
      cube_missing_param(),
  };
}

/// Appends the additive components, written per region and per region and industry. They are
/// values or changes of the input's value column, so they keep its unit.
TableSpec with_components(TableSpec t) {
  const auto part = [](const char* name, const char* doc) {
    return ColumnSpec::floats(name, doc).in("<value>");
  };
  return t.column(part("value_from", "e, the value in from_year"))
      .column(part("value_to", "e', the value in to_year"))
      .column(part("growth", "e' - e = national_share + industrial_mix + regional_share"))
      .column(part("national_share", "e G: growth at the reference's overall rate"))
      .column(part("industrial_mix", "e (g_i - G): the effect of the industry mix"))
      .column(part("regional_share",
                   "e' - e (1 + g_i): growth beyond the reference's rate in the industry"))
      .column(part("net_shift", "industrial_mix + regional_share"))
      .column(part("competitive_effect", "e* (r_i - g_i), e* = E_r N_i / N the homothetic value")
                  .when("method", "esteban_marquillas"))
      .column(part("allocation_effect",
                   "(e - e*)(r_i - g_i); with competitive_effect it sums to regional_share")
                  .when("method", "esteban_marquillas"));
}

/// The tables written: per region (sums over industries), and per region and industry.
std::vector<TableSpec> written_tables() {
  return {
      with_components(
          TableSpec::write("<output>",
                           "one row per region (its industries summed), reference_region left out")
              .column(ColumnSpec::of("region")))
          .column(ColumnSpec::floats("mix_index", "sum e_i (1 + g_i) / (E_r (1 + G))")
                      .when("method", "gerfin")
                      .in("index (1 = reference)"))
          .column(ColumnSpec::floats("regional_index", "E_r' / sum e_i (1 + g_i)")
                      .when("method", "gerfin")
                      .in("index (1 = reference)"))
          .column(ColumnSpec::floats("total_index",
                                     "(E_r' / E_r) / (1 + G) = mix_index x "
                                     "regional_index")
                      .when("method", "gerfin")
                      .in("index (1 = reference)")),
      with_components(TableSpec::write("<output>_detail",
                                       "one row per region and industry with a row in a year "
                                       "of the decomposition")
                          .column(ColumnSpec::of("region"))
                          .column(ColumnSpec::of("industry")))
          .when("detail", "true"),
  };
}

/// The cube between from_year and to_year, and what the decomposition leaves out of it.
struct Panel {
  explicit Panel(Cube c) : cube(std::move(c)) {}
  Cube cube;
  std::size_t first = 0, last = 0;  // from_year, to_year
  std::int32_t reference = -1;      // reference_region, or -1: the sum of all regions
  std::vector<std::pair<std::size_t, std::size_t>> steps;  // (from, to) year pairs decomposed
  std::vector<std::uint8_t> keep_industry, keep_region;

  /// The cell's value, or 0 when its industry or region is left out.
  double value(std::size_t y, std::size_t r, std::size_t i) const {
    return keep_industry[i] && keep_region[r] ? cube.value(cube.cell(y, r, i)) : 0.0;
  }
  /// Whether region r has a row of the output (the reference region and regions left out do not).
  bool reported(std::size_t r) const {
    return static_cast<std::int32_t>(r) != reference && keep_region[r];
  }
  /// N_i of year y: the reference region's values, or the sum over all regions.
  std::vector<double> reference_values(std::size_t y) const {
    std::vector<double> n(cube.n_industries(), 0.0);
    for (std::size_t r = 0; r < cube.n_regions(); ++r) {
      if (reference >= 0 && r != static_cast<std::size_t>(reference)) continue;
      for (std::size_t i = 0; i < n.size(); ++i) n[i] += value(y, r, i);
    }
    return n;
  }
};

/// The components of every (region, industry) cell, summed over the steps, and which cells have a
/// row in a year of a step.
struct Decomposition {
  std::vector<Components> cells;  // at r * I + i
  std::vector<std::uint8_t> seen;
};

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Раскладывает прирост каждого региона между двумя годами на национальную, "
       "структурную и региональную составляющие (shift-share)"},
      {p.description,
       "Для региона r, отрасли i, значений e_i в from_year и e_i' в to_year, темпов "
       "прироста базовой экономики g_i = N_i'/N_i - 1 по отраслям и G = N'/N - 1 в целом"
       " (Dunn 1960):\n"
       "  growth = sum e_i' - e_i = national_share + industrial_mix + regional_share\n"
       "  national_share = sum e_i G;  industrial_mix = sum e_i (g_i - G);\n"
       "  regional_share = sum e_i' - e_i (1 + g_i);  net_shift = industrial_mix + "
       "regional_share.\n"
       "method = \"dunn\" (по умолчанию) записывает эти составляющие (национальную, "
       "структурную, региональную и чистый сдвиг). \"esteban_marquillas\" добавляет при "
       "гомотетической занятости e*_i = E_r N_i / N (итог региона, распределённый как в "
       "стране) конкурентный эффект competitive_effect = sum e*_i (r_i - g_i) и эффект "
       "размещения allocation_effect = sum (e_i - e*_i)(r_i - g_i), r_i = e_i'/e_i - 1; "
       "в сумме они дают regional_share (Esteban-Marquillas 1972). \"gerfin\" добавляет "
       "индексную форму: mix_index = sum e_i (1 + g_i) / (E_r (1 + G)), regional_index ="
       " E_r' / sum e_i (1 + g_i), total_index = (E_r'/E_r) / (1 + G) = mix_index x "
       "regional_index (Gerfin 1964). \"dynamic\" суммирует составляющие Данна по всем "
       "парам соседних лет таблицы между from_year и to_year, пересчитывая темпы базы "
       "каждый год (Barff & Knight 1988).\n"
       "Базовая экономика — сумма всех регионов таблицы (по умолчанию) или, при "
       "reference_region = \"X\", строки региона X (например, итоги по стране), который "
       "тогда не выводится как регион. Отсутствующие строки считаются нулём (отрасль с "
       "N_i = 0 получает g_i = G). Для \"esteban_marquillas\" отрасль или регион, у "
       "которых нет ни одной строки в from_year или to_year, в этом году не существуют: "
       "они исключаются из разложения, включая итоги базы, с предупреждением. Таблица "
       "`<output>_detail` даёт те же составляющие по регионам и отраслям (detail = "
       "false, чтобы её не писать).\n"
       "Источники: Dunn (1960) Papers RSA 6; Esteban-Marquillas (1972) Regional and "
       "Urban Economics 2(3); Gerfin (1964) Gesamtwirtschaftliches Wachstum und "
       "regionale Entwicklung, Kyklos 17; Barff & Knight (1988) Growth and Change 19(2)."},
  };
}

class ShiftShare final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "shift_share";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Decomposes each region's growth between two years into national, industry-mix and "
        "regional shares";
    p.description =
        "For region r, industry i, values e_i in from_year and e_i' in to_year, reference-economy "
        "growth rates g_i = N_i'/N_i - 1 by industry and G = N'/N - 1 overall (Dunn 1960):\n"
        "  growth = sum e_i' - e_i = national_share + industrial_mix + regional_share\n"
        "  national_share = sum e_i G;  industrial_mix = sum e_i (g_i - G);\n"
        "  regional_share = sum e_i' - e_i (1 + g_i);  net_shift = industrial_mix + "
        "regional_share.\n"
        "method = \"dunn\" (default) writes these. \"esteban_marquillas\" adds, with homothetic "
        "employment e*_i = E_r N_i / N (the region's total spread like the nation), "
        "competitive_effect = sum e*_i (r_i - g_i) and allocation_effect = sum (e_i - e*_i)(r_i - "
        "g_i), "
        "r_i = e_i'/e_i - 1; they sum to regional_share (Esteban-Marquillas 1972). \"gerfin\" adds "
        "the "
        "index form: mix_index = sum e_i (1 + g_i) / (E_r (1 + G)), regional_index = E_r' / sum "
        "e_i (1 + g_i), "
        "total_index = (E_r'/E_r) / (1 + G) = mix_index x regional_index (Gerfin 1964). "
        "\"dynamic\" "
        "sums the Dunn components over every consecutive pair of table years between from_year and "
        "to_year, the reference rates recomputed each year (Barff & Knight 1988).\n"
        "The reference economy is the sum of all regions in the table (default), or, with "
        "reference_region = \"X\", the rows of region X (e.g. national totals), which is then not "
        "reported as a region. Absent rows count as 0 (an industry with N_i = 0 takes g_i = G). "
        "For "
        "\"esteban_marquillas\" an industry or a region with no row at all in from_year or "
        "to_year does not exist in that year: it is left out of the decomposition, reference "
        "totals included, with a warning. "
        "A table `<output>_detail` gives the same components per region and industry (detail = "
        "false to skip it).\n"
        "References: Dunn (1960) Papers RSA 6; Esteban-Marquillas (1972) Regional and Urban "
        "Economics 2(3); Gerfin (1964) Gesamtwirtschaftliches Wachstum und regionale Entwicklung, "
        "Kyklos 17; Barff & Knight (1988) Growth and Change 19(2).";
    p.params = parameters();
    p.reads = {cube_read("non-negative activity by region, industry and year")};
    p.writes = written_tables();
    p.translations["ru"] = russian(p);
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    if (params.integer("to_year") <= params.integer("from_year"))
      throw ParamError("to_year", "to_year (" + std::to_string(params.integer("to_year")) +
                                      ") must be after from_year (" +
                                      std::to_string(params.integer("from_year")) + ")");
  }

  void run(RunContext& ctx) const override {
    const std::string method = ctx.params().str("method");
    const Panel panel = panel_of(ctx, method);
    if (const std::string note = panel.cube.dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn, note +
                                   ": each is read as 0 in its region's and the nation's "
                                   "totals of that year (so its growth is from or to 0)");
    const Decomposition d = decompose(panel, method == "esteban_marquillas");
    std::vector<std::int32_t> regions;
    std::vector<Components> sums;
    for (std::size_t r = 0; r < panel.cube.n_regions(); ++r) {
      if (!panel.reported(r)) continue;
      regions.push_back(static_cast<std::int32_t>(r));
      sums.push_back(region_sum(panel, d, r));
    }
    write_regions(ctx, panel, regions, sums);
    if (ctx.params().boolean("detail")) write_detail(ctx, panel, d);
  }

 private:
  static CubeOptions options(const Params& params) {
    CubeOptions o;
    o.region = params.str("region");
    o.industry = params.str("industry");
    o.value = params.str("value");
    o.year = params.str("year");
    o.drop_missing = params.str("missing") == "drop";
    return o;
  }

  static std::size_t year_index(const Cube& cube, std::int64_t year, const char* param) {
    const std::int32_t y = cube.years().find(std::to_string(year));
    if (y >= 0) return static_cast<std::size_t>(y);
    std::string have;
    for (const auto& l : cube.years().labels) have += (have.empty() ? "" : ", ") + l;
    throw DataError(std::string(param) + " " + std::to_string(year) +
                    " is not in the table (column '" + cube.options().year + "' has " + have + ")");
  }

  static Panel panel_of(const RunContext& ctx, const std::string& method) {
    const Params& params = ctx.params();
    Panel p(Cube::from_table(ctx.table_of_param("input"), options(params)));
    p.first = year_index(p.cube, params.integer("from_year"), "from_year");
    p.last = year_index(p.cube, params.integer("to_year"), "to_year");
    if (params.has("reference_region")) {
      p.reference = p.cube.regions().find(params.str("reference_region"));
      if (p.reference < 0)
        throw DataError("reference_region '" + params.str("reference_region") +
                        "' is not a region of the table");
    }
    // One (first, last) step, or every consecutive pair of table years for "dynamic".
    if (method == "dynamic")
      for (std::size_t y = p.first; y < p.last; ++y) p.steps.emplace_back(y, y + 1);
    else
      p.steps.emplace_back(p.first, p.last);
    p.keep_industry.assign(p.cube.n_industries(), 1);
    p.keep_region.assign(p.cube.n_regions(), 1);
    if (method == "esteban_marquillas") keep_existing(ctx, p);
    return p;
  }

  /// Esteban-Marquillas needs r_i = e_i'/e_i - 1: an industry or a region with no row in from_year
  /// or to_year does not exist in that year and is left out of its whole decomposition (reference
  /// totals included), so the components still add up to growth. The other methods are defined
  /// there with absent = 0 (a new industry takes g_i = G) and keep it.
  static void keep_existing(const RunContext& ctx, Panel& p) {
    const Cube& cube = p.cube;
    for (const std::size_t y : {p.first, p.last}) {
      std::vector<std::uint8_t> industry(cube.n_industries(), 0), region(cube.n_regions(), 0);
      for (std::size_t r = 0; r < region.size(); ++r)
        for (std::size_t i = 0; i < industry.size(); ++i)
          if (cube.present(cube.cell(y, r, i))) industry[i] = region[r] = 1;
      for (std::size_t i = 0; i < industry.size(); ++i)
        p.keep_industry[i] = p.keep_industry[i] && industry[i];
      for (std::size_t r = 0; r < region.size(); ++r)
        p.keep_region[r] = p.keep_region[r] && region[r];
    }
    if (p.reference >= 0 && !p.keep_region[static_cast<std::size_t>(p.reference)])
      throw DataError("reference_region '" + ctx.params().str("reference_region") +
                      "' has no rows in " + cube.where_year(p.first) + " or " +
                      cube.where_year(p.last));
    warn_left_out(ctx, p, p.keep_industry, cube.industries(), "industry");
    warn_left_out(ctx, p, p.keep_region, cube.regions(), "region");
  }

  static void warn_left_out(const RunContext& ctx, const Panel& p,
                            const std::vector<std::uint8_t>& keep, const Levels& levels,
                            const char* kind) {
    std::vector<std::string> names;
    for (std::size_t k = 0; k < keep.size(); ++k)
      if (!keep[k]) names.push_back(levels.labels[k]);
    if (names.empty()) return;
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "'" : ", '") + n + "'";
    ctx.log(LogLevel::kWarn,
            "step '" + ctx.step_id() + "': " + kind + (names.size() > 1 ? "s " : " ") + list +
                " ha" + (names.size() > 1 ? "ve" : "s") + " no rows in " +
                p.cube.where_year(p.first) + " or " + p.cube.where_year(p.last) +
                "; left out of the Esteban-Marquillas decomposition (reference totals included)");
  }

  /// The components of every cell summed over the steps (the dynamic method has several), with
  /// the levels of the end years.
  static Decomposition decompose(const Panel& p, bool em) {
    const std::size_t R = p.cube.n_regions(), I = p.cube.n_industries();
    Decomposition d{std::vector<Components>(R * I), std::vector<std::uint8_t>(R * I, 0)};
    for (const auto& [y0, y1] : p.steps) {
      const Step step = step_of(p, y0, y1);
      for (std::size_t r = 0; r < R; ++r)
        if (p.reported(r)) decompose_region(p, step, r, em, d);
    }
    // Levels at the ends (the dynamic method summed them per step; its growth telescopes).
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < I; ++i) {
        d.cells[r * I + i].from = p.value(p.first, r, i);
        d.cells[r * I + i].to = p.value(p.last, r, i);
      }
    return d;
  }

  /// One step of the decomposition: its years, the reference's values N_i in the first and its
  /// growth to the second.
  struct Step {
    std::size_t from, to;
    std::vector<double> reference_base;
    Growth growth;
  };

  static Step step_of(const Panel& p, std::size_t y0, std::size_t y1) {
    std::vector<double> n0 = p.reference_values(y0);
    auto growth = reference_growth(n0, p.reference_values(y1));
    if (!growth)
      throw DataError("the reference economy has a zero total of '" + p.cube.options().value +
                      "' in " + p.cube.where_year(y0) + ": its growth rate is undefined");
    return {y0, y1, std::move(n0), std::move(*growth)};
  }

  /// Adds one step's components of region r's cells to `d`.
  static void decompose_region(const Panel& p, const Step& step, std::size_t r, bool em,
                               Decomposition& d) {
    const Cube& cube = p.cube;
    const std::size_t I = cube.n_industries();
    double region0 = 0;
    for (std::size_t i = 0; i < I; ++i) region0 += p.value(step.from, r, i);
    for (std::size_t i = 0; i < I; ++i) {
      if (!p.keep_industry[i]) continue;
      const std::size_t c0 = cube.cell(step.from, r, i), c1 = cube.cell(step.to, r, i);
      if (cube.present(c0) || cube.present(c1)) d.seen[r * I + i] = 1;
      const double from = cube.value(c0), to = cube.value(c1), n0 = step.reference_base[i];
      if (n0 <= 0 && from > 0)
        throw DataError("the reference economy has no '" + cube.options().value +
                        "' in industry '" + cube.industries().labels[i] + "' in " +
                        cube.where_year(step.from) + " but " + cube.where(step.from, r, i) +
                        " has " + format_number(from) +
                        "; reference_region must include every region's activity");
      const double g_i = step.growth.by_industry[i];
      Components c = dunn(from, to, g_i, step.growth.overall);
      if (em && from > 0)
        add_esteban_marquillas(c, homothetic(region0, n0, step.growth.base_total), g_i);
      else if (em && to > 0)
        throw DataError("Esteban-Marquillas needs the region's growth rate, undefined at " +
                        cube.where(step.from, r, i) + " (" +
                        (cube.present(c0) ? "0 in " : "no row, so 0, in ") +
                        cube.years().labels[step.from] + ", " + format_number(to) + " in " +
                        cube.years().labels[step.to] +
                        "); use method = \"dunn\" or drop the industry");
      d.cells[r * I + i] += c;
    }
  }

  static Components region_sum(const Panel& p, const Decomposition& d, std::size_t r) {
    const std::size_t I = p.cube.n_industries();
    Components s;
    for (std::size_t i = 0; i < I; ++i) s += d.cells[r * I + i];
    return s;
  }

  /// Gerfin's (1964) indices of every reported region, from_year -> to_year directly.
  static std::vector<GerfinIndices> gerfin_indices(const Panel& p,
                                                   const std::vector<std::int32_t>& regions,
                                                   const std::vector<Components>& sums) {
    const std::vector<double> n0 = p.reference_values(p.first), n1 = p.reference_values(p.last);
    std::vector<GerfinIndices> out;
    for (std::size_t k = 0; k < regions.size(); ++k) {
      const auto r = static_cast<std::size_t>(regions[k]);
      if (sums[k].from <= 0)
        throw DataError("region '" + p.cube.regions().labels[r] + "' has a zero total of '" +
                        p.cube.options().value + "' in " + p.cube.where_year(p.first) +
                        ": Gerfin's indices are undefined");
      std::vector<double> base;
      for (std::size_t i = 0; i < p.cube.n_industries(); ++i)
        base.push_back(p.value(p.first, r, i));
      out.push_back(gerfin(base, sums[k].from, sums[k].to, n0, n1));
    }
    return out;
  }

  static void write_regions(RunContext& ctx, const Panel& p,
                            const std::vector<std::int32_t>& regions,
                            const std::vector<Components>& sums) {
    OutputTable out = ctx.output();
    out.set(p.cube.regions().make_column(p.cube.options().region, regions));
    set_components(out, sums);
    if (out.has("mix_index")) {
      const std::vector<GerfinIndices> g = gerfin_indices(p, regions, sums);
      const auto column = [&](const char* name, double GerfinIndices::*field) {
        std::vector<double> v;
        for (const auto& x : g) v.push_back(x.*field);
        out.set(name, std::move(v));
      };
      column("mix_index", &GerfinIndices::mix);
      column("regional_index", &GerfinIndices::regional);
      column("total_index", &GerfinIndices::total);
    }
    ctx.write(std::move(out));
  }

  /// One row per cell with a row in a year of a step, the reference region left out.
  static void write_detail(RunContext& ctx, const Panel& p, const Decomposition& d) {
    const std::size_t I = p.cube.n_industries();
    std::vector<std::int32_t> rs, is;
    std::vector<Components> cells;
    for (std::size_t r = 0; r < p.cube.n_regions(); ++r) {
      if (static_cast<std::int32_t>(r) == p.reference) continue;
      for (std::size_t i = 0; i < I; ++i) {
        if (!d.seen[r * I + i]) continue;
        rs.push_back(static_cast<std::int32_t>(r));
        is.push_back(static_cast<std::int32_t>(i));
        cells.push_back(d.cells[r * I + i]);
      }
    }
    OutputTable out = ctx.output("<output>_detail");
    out.set(p.cube.regions().make_column(p.cube.options().region, rs));
    out.set(p.cube.industries().make_column(p.cube.options().industry, is));
    set_components(out, cells);
    ctx.write(std::move(out));
  }

  /// The columns of with_components(); the Esteban-Marquillas ones when the table declares them.
  static void set_components(OutputTable& out, const std::vector<Components>& v) {
    const auto column = [&](const char* name, auto get) {
      std::vector<double> x;
      x.reserve(v.size());
      for (const auto& c : v) x.push_back(get(c));
      out.set(name, std::move(x));
    };
    column("value_from", [](const Components& c) { return c.from; });
    column("value_to", [](const Components& c) { return c.to; });
    column("growth", [](const Components& c) { return c.to - c.from; });
    column("national_share", [](const Components& c) { return c.national; });
    column("industrial_mix", [](const Components& c) { return c.mix; });
    column("regional_share", [](const Components& c) { return c.regional; });
    column("net_shift", [](const Components& c) { return c.mix + c.regional; });
    if (!out.has("competitive_effect")) return;
    column("competitive_effect", [](const Components& c) { return c.competitive; });
    column("allocation_effect", [](const Components& c) { return c.allocation; });
  }
};

}  // namespace

std::optional<Growth> reference_growth(const std::vector<double>& base,
                                       const std::vector<double>& final) {
  const double total0 = std::accumulate(base.begin(), base.end(), 0.0);
  const double total1 = std::accumulate(final.begin(), final.end(), 0.0);
  if (total0 <= 0) return std::nullopt;
  Growth g{total0, total1 / total0 - 1, std::vector<double>(base.size())};
  for (std::size_t i = 0; i < base.size(); ++i)
    g.by_industry[i] = base[i] > 0 ? final[i] / base[i] - 1 : g.overall;
  return g;
}

Components dunn(double from, double to, double g_i, double overall) {
  Components c;
  c.from = from;
  c.to = to;
  c.national = from * overall;
  c.mix = from * (g_i - overall);
  c.regional = to - from * (1 + g_i);
  return c;
}

double homothetic(double region_total, double reference_i, double reference_total) {
  return region_total * reference_i / reference_total;
}

void add_esteban_marquillas(Components& c, double homothetic_value, double g_i) {
  const double diff = c.to / c.from - 1 - g_i;
  c.competitive = homothetic_value * diff;
  c.allocation = (c.from - homothetic_value) * diff;
}

GerfinIndices gerfin(const std::vector<double>& base, double region_base, double region_final,
                     const std::vector<double>& reference_base,
                     const std::vector<double>& reference_final) {
  const double growth_factor =
      std::accumulate(reference_final.begin(), reference_final.end(), 0.0) /
      std::accumulate(reference_base.begin(), reference_base.end(), 0.0);
  double expected = 0;  // sum e_i (1 + g_i)
  for (std::size_t i = 0; i < base.size(); ++i)
    if (reference_base[i] > 0) expected += base[i] * reference_final[i] / reference_base[i];
  return {expected / (region_base * growth_factor), region_final / expected,
          region_final / region_base / growth_factor};
}

}  // namespace klaster::plugins::shift_share

KLASTER_PLUGIN(klaster::plugins::shift_share::ShiftShare)
