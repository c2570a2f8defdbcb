// herfindahl: H = sum_k s_k^2 over the shares s_k of the units k of one group, per year.
// Herfindahl (1950); Hirschman (1964); REAT's herf() (Wieland); normalised form
// H* = (H - 1/n) / (1 - 1/n); the equivalent number of equal-sized units is 1/H (Adelman 1969).
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "herfindahl_kernel.hpp"
#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::herfindahl {
namespace {

using namespace klaster::sdk;

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет индекс концентрации Херфиндаля — Хиршмана для отраслей по регионам или"
       " для регионов по отраслям"},
      {p.description,
       "H = sum_k s_k^2, где s_k = x_k / sum x — доля единицы k в итоге её группы.\n"
       "over = \"region\" (по умолчанию): для каждой отрасли (и года) доли — доли регионов"
       " в этой отрасли: географическая концентрация. over = \"industry\": для каждого "
       "региона (и года) доли — доли отраслей в этом регионе: специализация.\n"
       "Записывает hhi = H (от 1/n до 1), hhi_normalized = (H - 1/n) / (1 - 1/n) (от 0 "
       "до 1), equivalent_number = 1/H (число равных единиц, дающих тот же H) и n — "
       "число единиц в группе.\n"
       "n считает каждую единицу, у которой есть строка в группе, включая нулевые "
       "значения (как herf() в REAT, который берёт длину своего вектора); count_zeros = "
       "false считает только единицы с положительным значением. При n = 1 нормированный "
       "индекс равен 0/0: hhi_normalized записывается как пропуск, и в журнал пишется "
       "предупреждение.\n"
       "Отрицательные значения — ошибка; группа с нулевым итогом — ошибка с её "
       "названием; строки с пропущенным значением — ошибка, если не задано missing = "
       "\"drop\".\n"
       "Источники: Herfindahl (1950); Hirschman (1964); Adelman (1969) о 1/H; herf() в "
       "REAT."},
  };
}

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
    p.reads = {cube_read("non-negative activity by region and industry")};
    p.writes = {
        TableSpec::write("<output>", "one row per group (industry or region) and year")
            .column(ColumnSpec::of("year"))
            .column(ColumnSpec::of("industry").when("over", "region"))
            .column(ColumnSpec::of("region").when("over", "industry"))
            .column(ColumnSpec::floats("hhi", "H, between 1/n and 1").in("index (0-1)"))
            .column(ColumnSpec::floats("hhi_normalized", "(H - 1/n) / (1 - 1/n); missing for n = 1")
                        .in("index (0-1)"))
            .column(ColumnSpec::floats("equivalent_number", "1/H").in("number of units"))
            .column(ColumnSpec::ints("n", "units in the group"))};
    p.translations["ru"] = russian(p);
    return p;
  }

  void run(RunContext& ctx) const override {
    const Table& in = ctx.table_of_param("input");
    const auto cube = Cube::shared(in, cube_options(ctx.params(), in.schema()));
    const Groups groups(*cube, ctx.params().str("over") == "region");
    // A dropped cell is not present, so slot() already leaves it out of its group's shares and n.
    if (const std::string note = cube->dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn, note + ": each is left out of its group's shares, total and n");
    const std::vector<std::optional<GroupHhi>> slots =
        compute(*cube, groups, ctx.params().boolean("count_zeros"));
    write_output(ctx, *cube, groups, slots);
  }

 private:
  /// A group is an industry (over regions) or a region (over industries); its units are the
  /// other axis.
  struct Groups {
    Groups(const Cube& c, bool regions) : cube(c), over_regions(regions) {}
    const Cube& cube;
    bool over_regions;
    std::size_t count() const { return over_regions ? cube.n_industries() : cube.n_regions(); }
    std::size_t units() const { return over_regions ? cube.n_regions() : cube.n_industries(); }
    const Levels& levels() const { return over_regions ? cube.industries() : cube.regions(); }
    const char* kind() const { return over_regions ? "industry" : "region"; }
    std::size_t cell(std::size_t y, std::size_t g, std::size_t u) const {
      return over_regions ? cube.cell(y, u, g) : cube.cell(y, g, u);
    }
  };

  /// H of group g in year y; nullopt when the group has no unit in that year. Throws DataError
  /// for a zero total.
  static std::optional<GroupHhi> slot(const Groups& groups, std::size_t y, std::size_t g,
                                      bool count_zeros) {
    const Cube& cube = groups.cube;
    std::vector<double> values;
    values.reserve(groups.units());
    for (std::size_t u = 0; u < groups.units(); ++u)
      if (const std::size_t c = groups.cell(y, g, u); cube.present(c))
        values.push_back(cube.value(c));
    if (values.empty()) return std::nullopt;
    if (auto h = group_hhi(values, count_zeros)) return h;
    throw DataError(std::string(groups.kind()) + " '" + groups.levels().labels[g] +
                    "' has a zero total of '" + cube.options().value + "' in " +
                    cube.where_year(y) + ": its shares, and so its HHI, are undefined");
  }

  /// One slot per (year, group), in that order; the first error in that order is thrown.
  static std::vector<std::optional<GroupHhi>> compute(const Cube& cube, const Groups& groups,
                                                      bool count_zeros) {
    const std::size_t G = groups.count();
    return parallel_slots<std::optional<GroupHhi>>(
        cube.n_years() * G, [&](std::size_t k) { return slot(groups, k / G, k % G, count_zeros); },
        items_per_part(groups.units()));
  }

  static void write_output(RunContext& ctx, const Cube& cube, const Groups& groups,
                           const std::vector<std::optional<GroupHhi>>& slots) {
    std::vector<std::int32_t> year, group;
    std::vector<double> hhi, normalized, equivalent;
    std::vector<std::uint8_t> normalized_valid;
    std::vector<std::int64_t> n;
    for (std::size_t k = 0; k < slots.size(); ++k) {
      if (!slots[k]) continue;  // the group does not occur in this year
      year.push_back(static_cast<std::int32_t>(k / groups.count()));
      group.push_back(static_cast<std::int32_t>(k % groups.count()));
      hhi.push_back(slots[k]->hhi);
      equivalent.push_back(1.0 / slots[k]->hhi);
      n.push_back(slots[k]->n);
      const std::optional<double> h = normalized_hhi(slots[k]->hhi, slots[k]->n);
      normalized.push_back(h.value_or(0.0));
      normalized_valid.push_back(h ? 1 : 0);
    }
    if (const auto single = std::count(normalized_valid.begin(), normalized_valid.end(), 0))
      ctx.log(LogLevel::kWarn, std::to_string(single) +
                                   " group(s) have a single unit (n = 1): their "
                                   "hhi_normalized is undefined and written as missing");
    OutputTable out = ctx.output();
    const CubeOptions& o = cube.options();
    if (cube.has_year()) out.set(cube.years().make_column(o.year, year));
    out.set(groups.levels().make_column(groups.over_regions ? o.industry : o.region, group));
    out.set("hhi", std::move(hhi));
    out.set("hhi_normalized", std::move(normalized), std::move(normalized_valid));
    out.set("equivalent_number", std::move(equivalent));
    out.set("n", std::move(n));
    ctx.write(std::move(out));
  }
};

}  // namespace

std::optional<GroupHhi> group_hhi(const std::vector<double>& values, bool count_zeros) {
  double total = 0;
  GroupHhi out;
  for (const double v : values) {
    total += v;
    if (count_zeros || v > 0) ++out.n;
  }
  if (!(total > 0)) return std::nullopt;
  for (const double v : values) out.hhi += (v / total) * (v / total);
  return out;
}

std::optional<double> normalized_hhi(double hhi, std::int64_t n) {
  if (n <= 1) return std::nullopt;
  const double inv_n = 1.0 / static_cast<double>(n);
  return (hhi - inv_n) / (1.0 - inv_n);
}

}  // namespace klaster::plugins::herfindahl

KLASTER_PLUGIN(klaster::plugins::herfindahl::Herfindahl)
