// shift_share: decomposition of each region's growth between two years into a national share, an
// industrial-mix effect and a regional (competitive) share.
// Dunn (1960); Esteban-Marquillas (1972); Gerfin (1964) index form; Barff & Knight (1988) dynamic.
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

/// \brief Additive components of one region x industry cell (or their sums over industries/years).
struct Components {
  double from = 0, to = 0, national = 0, mix = 0, regional = 0, competitive = 0, allocation = 0;
  Components& operator+=(const Components& o) {
    from += o.from, to += o.to, national += o.national, mix += o.mix, regional += o.regional;
    competitive += o.competitive, allocation += o.allocation;
    return *this;
  }
};

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
    p.params = {
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
    p.reads = {{"input", "region, industry, year, value",
                "non-negative activity by region, industry and year"}};
    p.writes = {{"<output>",
                 "region, value_from, value_to, growth, national_share, industrial_mix, "
                 "regional_share, net_shift, [competitive_effect, allocation_effect], [mix_index, "
                 "regional_index, total_index]",
                 "one row per region"},
                {"<output>_detail",
                 "region, industry, value_from, value_to, growth, national_share, industrial_mix, "
                 "regional_share, net_shift, [competitive_effect, allocation_effect]",
                 "one row per region and industry"}};
    return p;
  }

  static CubeOptions options(const Params& params) {
    CubeOptions o;
    o.region = params.str("region");
    o.industry = params.str("industry");
    o.value = params.str("value");
    o.year = params.str("year");
    o.drop_missing = params.str("missing") == "drop";
    return o;
  }

  static const char* const* additive_names() {
    static const char* const names[] = {"value_from",     "value_to",       "growth",
                                        "national_share", "industrial_mix", "regional_share",
                                        "net_shift",      nullptr};
    return names;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = options(params);
    if (params.integer("to_year") <= params.integer("from_year"))
      throw ParamError("to_year", "to_year (" + std::to_string(params.integer("to_year")) +
                                      ") must be after from_year (" +
                                      std::to_string(params.integer("from_year")) + ")");
    const std::string method = params.str("method");
    Schema out;
    out.add(o.region, *in.type_of(o.region));
    for (auto n = additive_names(); *n; ++n) out.add(*n, ColumnType::kFloat);
    if (method == "esteban_marquillas") {
      out.add("competitive_effect", ColumnType::kFloat);
      out.add("allocation_effect", ColumnType::kFloat);
    }
    Schema detail = out;
    detail.columns.insert(detail.columns.begin() + 1, {o.industry, *in.type_of(o.industry)});
    if (method == "gerfin")
      for (const char* c : {"mix_index", "regional_index", "total_index"})
        out.add(c, ColumnType::kFloat);
    ctx.declare_output(ctx.output_name(), out);
    if (params.boolean("detail")) ctx.declare_output(ctx.output_name() + "_detail", detail);
  }

  static std::size_t year_index(const Cube& cube, std::int64_t year, const char* param) {
    const std::int32_t y = cube.years().find(std::to_string(year));
    if (y >= 0) return static_cast<std::size_t>(y);
    std::string have;
    for (const auto& l : cube.years().labels) have += (have.empty() ? "" : ", ") + l;
    throw DataError(std::string(param) + " " + std::to_string(year) +
                    " is not in the table (column '" + cube.options().year + "' has " + have + ")");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Cube cube = Cube::from_table(ctx.table_of_param("input"), options(params));
    const std::size_t R = cube.n_regions(), I = cube.n_industries();
    const std::string method = params.str("method");
    const bool em = method == "esteban_marquillas";
    const std::size_t first = year_index(cube, params.integer("from_year"), "from_year");
    const std::size_t last = year_index(cube, params.integer("to_year"), "to_year");
    const std::string& value_name = cube.options().value;

    std::int32_t reference = -1;
    if (params.has("reference_region")) {
      reference = cube.regions().find(params.str("reference_region"));
      if (reference < 0)
        throw DataError("reference_region '" + params.str("reference_region") +
                        "' is not a region of the table");
    }

    // Year steps: one (first, last) pair, or every consecutive pair of table years for "dynamic".
    std::vector<std::pair<std::size_t, std::size_t>> steps;
    if (method == "dynamic") {
      for (std::size_t y = first; y < last; ++y) steps.emplace_back(y, y + 1);
    } else {
      steps.emplace_back(first, last);
    }

    // Esteban-Marquillas needs r_i = e_i'/e_i - 1: an industry or a region with no row in from_year
    // or to_year does not exist in that year and is left out of its whole decomposition (reference
    // totals included), so the components still add up to growth. The other methods are defined
    // there with absent = 0 (a new industry takes g_i = G) and keep it.
    std::vector<std::uint8_t> keep_industry(I, 1), keep_region(R, 1);
    for (std::size_t y : {first, last}) {
      if (!em) break;
      std::vector<std::uint8_t> ind(I, 0), reg(R, 0);
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < I; ++i)
          if (cube.present(cube.cell(y, r, i))) ind[i] = reg[r] = 1;
      for (std::size_t i = 0; i < I; ++i) keep_industry[i] = keep_industry[i] && ind[i];
      for (std::size_t r = 0; r < R; ++r) keep_region[r] = keep_region[r] && reg[r];
    }
    if (reference >= 0 && !keep_region[static_cast<std::size_t>(reference)])
      throw DataError("reference_region '" + params.str("reference_region") + "' has no rows in " +
                      cube.where_year(first) + " or " + cube.where_year(last));
    const auto left_out = [&](const std::vector<std::uint8_t>& keep, const Levels& levels,
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
                  cube.where_year(first) + " or " + cube.where_year(last) +
                  "; left out of the Esteban-Marquillas decomposition (reference totals included)");
    };
    left_out(keep_industry, cube.industries(), "industry");
    left_out(keep_region, cube.regions(), "region");
    // The cell's value, or 0 when its industry or region is left out.
    const auto value = [&](std::size_t y, std::size_t r, std::size_t i) {
      return keep_industry[i] && keep_region[r] ? cube.value(cube.cell(y, r, i)) : 0.0;
    };

    std::vector<Components> cells(R * I);
    std::vector<std::uint8_t> seen(R * I, 0);
    for (const auto& [y0, y1] : steps) {
      std::vector<double> n0(I, 0.0), n1(I, 0.0);
      for (std::size_t r = 0; r < R; ++r) {
        if (reference >= 0 && r != static_cast<std::size_t>(reference)) continue;
        for (std::size_t i = 0; i < I; ++i) {
          n0[i] += value(y0, r, i);
          n1[i] += value(y1, r, i);
        }
      }
      const double total0 = std::accumulate(n0.begin(), n0.end(), 0.0);
      const double total1 = std::accumulate(n1.begin(), n1.end(), 0.0);
      if (total0 <= 0)
        throw DataError("the reference economy has a zero total of '" + value_name + "' in " +
                        cube.where_year(y0) + ": its growth rate is undefined");
      const double G = total1 / total0 - 1;
      std::vector<double> g(I);
      for (std::size_t i = 0; i < I; ++i) g[i] = n0[i] > 0 ? n1[i] / n0[i] - 1 : G;

      for (std::size_t r = 0; r < R; ++r) {
        if (static_cast<std::int32_t>(r) == reference || !keep_region[r]) continue;
        double region0 = 0;
        for (std::size_t i = 0; i < I; ++i) region0 += value(y0, r, i);
        for (std::size_t i = 0; i < I; ++i) {
          if (!keep_industry[i]) continue;
          const std::size_t c0 = cube.cell(y0, r, i), c1 = cube.cell(y1, r, i);
          if (cube.present(c0) || cube.present(c1)) seen[r * I + i] = 1;
          Components c;
          c.from = cube.value(c0);
          c.to = cube.value(c1);
          if (n0[i] <= 0 && c.from > 0)
            throw DataError("the reference economy has no '" + value_name + "' in industry '" +
                            cube.industries().labels[i] + "' in " + cube.where_year(y0) + " but " +
                            cube.where(y0, r, i) + " has " + format_number(c.from) +
                            "; reference_region must include every region's activity");
          c.national = c.from * G;
          c.mix = c.from * (g[i] - G);
          c.regional = c.to - c.from * (1 + g[i]);
          if (em) {
            // Esteban-Marquillas (1972): homothetic employment e* = E_r N_i / N.
            const double homothetic = region0 * n0[i] / total0;
            if (c.from > 0) {
              const double diff = c.to / c.from - 1 - g[i];
              c.competitive = homothetic * diff;
              c.allocation = (c.from - homothetic) * diff;
            } else if (c.to > 0) {
              throw DataError(
                  "Esteban-Marquillas needs the region's growth rate, undefined at " +
                  cube.where(y0, r, i) + " (" + (cube.present(c0) ? "0 in " : "no row, so 0, in ") +
                  cube.years().labels[y0] + ", " + format_number(c.to) + " in " +
                  cube.years().labels[y1] + "); use method = \"dunn\" or drop the industry");
            }
          }
          cells[r * I + i] += c;
        }
      }
    }

    // Levels at the ends (the dynamic method summed them per step; its growth telescopes).
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < I; ++i) {
        cells[r * I + i].from = value(first, r, i);
        cells[r * I + i].to = value(last, r, i);
      }

    // Region rows.
    std::vector<std::int32_t> regions;
    std::vector<Components> sums;
    for (std::size_t r = 0; r < R; ++r) {
      if (static_cast<std::int32_t>(r) == reference || !keep_region[r]) continue;
      Components s;
      for (std::size_t i = 0; i < I; ++i) s += cells[r * I + i];
      regions.push_back(static_cast<std::int32_t>(r));
      sums.push_back(s);
    }
    std::vector<Column> cols;
    cols.push_back(cube.regions().make_column(cube.options().region, regions));
    append_components(cols, sums, em);
    if (method == "gerfin") {
      // Gerfin (1964) index form, from_year -> to_year directly.
      std::vector<double> n0(I, 0.0), n1(I, 0.0);
      for (std::size_t r = 0; r < R; ++r) {
        if (reference >= 0 && r != static_cast<std::size_t>(reference)) continue;
        for (std::size_t i = 0; i < I; ++i) {
          n0[i] += value(first, r, i);
          n1[i] += value(last, r, i);
        }
      }
      const double growth_factor =
          std::accumulate(n1.begin(), n1.end(), 0.0) / std::accumulate(n0.begin(), n0.end(), 0.0);
      std::vector<double> mix_index, regional_index, total_index;
      for (std::size_t k = 0; k < regions.size(); ++k) {
        const auto r = static_cast<std::size_t>(regions[k]);
        if (sums[k].from <= 0)
          throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                          value_name + "' in " + cube.where_year(first) +
                          ": Gerfin's indices are undefined");
        double expected = 0;  // sum e_i (1 + g_i)
        for (std::size_t i = 0; i < I; ++i)
          if (n0[i] > 0) expected += value(first, r, i) * n1[i] / n0[i];
        mix_index.push_back(expected / (sums[k].from * growth_factor));
        regional_index.push_back(sums[k].to / expected);
        total_index.push_back(sums[k].to / sums[k].from / growth_factor);
      }
      cols.push_back(Column::make_floats("mix_index", std::move(mix_index)));
      cols.push_back(Column::make_floats("regional_index", std::move(regional_index)));
      cols.push_back(Column::make_floats("total_index", std::move(total_index)));
    }
    ctx.write(ctx.output_name(), Table(std::move(cols)));

    if (params.boolean("detail")) {
      std::vector<std::int32_t> rs, is;
      std::vector<Components> detail;
      for (std::size_t r = 0; r < R; ++r) {
        if (static_cast<std::int32_t>(r) == reference) continue;
        for (std::size_t i = 0; i < I; ++i) {
          if (!seen[r * I + i]) continue;
          rs.push_back(static_cast<std::int32_t>(r));
          is.push_back(static_cast<std::int32_t>(i));
          detail.push_back(cells[r * I + i]);
        }
      }
      std::vector<Column> dcols;
      dcols.push_back(cube.regions().make_column(cube.options().region, rs));
      dcols.push_back(cube.industries().make_column(cube.options().industry, is));
      append_components(dcols, detail, em);
      ctx.write(ctx.output_name() + "_detail", Table(std::move(dcols)));
    }
  }

  static void append_components(std::vector<Column>& cols, const std::vector<Components>& v,
                                bool em) {
    auto column = [&](const char* name, auto get) {
      std::vector<double> x;
      x.reserve(v.size());
      for (const auto& c : v) x.push_back(get(c));
      cols.push_back(Column::make_floats(name, std::move(x)));
    };
    column("value_from", [](const Components& c) { return c.from; });
    column("value_to", [](const Components& c) { return c.to; });
    column("growth", [](const Components& c) { return c.to - c.from; });
    column("national_share", [](const Components& c) { return c.national; });
    column("industrial_mix", [](const Components& c) { return c.mix; });
    column("regional_share", [](const Components& c) { return c.regional; });
    column("net_shift", [](const Components& c) { return c.mix + c.regional; });
    if (em) {
      column("competitive_effect", [](const Components& c) { return c.competitive; });
      column("allocation_effect", [](const Components& c) { return c.allocation; });
    }
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::ShiftShare)
