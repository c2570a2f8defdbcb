// ellison_glaeser: the Ellison-Glaeser (1997) agglomeration index per industry from plant-level
// employment, the Maurel-Sedillot (1999) variant, and the E&G coagglomeration index of a group.
// Ellison & Glaeser (1997), JPE 105(5): the index gamma, the variance of G under the null, and the
// coagglomeration index gamma^c; Maurel & Sedillot (1999), Regional Science and Urban Economics
// 29(5).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ellison_glaeser_kernel.hpp"
#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::ellison_glaeser {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// \brief The plant table and its columns.
std::vector<ParamSpec> plant_params() {
  return {
      ParamSpec("plants", ParamType::kTable)
          .req()
          .primary()
          .doc_("plant-level table: region, industry, [plant], employment"),
      ParamSpec("region", ParamType::kColumn)
          .of("plants")
          .def("region")
          .doc_("region key column of `plants`"),
      ParamSpec("industry", ParamType::kColumn)
          .of("plants")
          .def("industry")
          .doc_("industry key column of `plants`"),
      ParamSpec("plant", ParamType::kColumn)
          .of("plants")
          .def("plant")
          .if_present()
          .doc_("plant id column; when present, a repeated (industry, plant) is an error; "
                "otherwise every row is a plant"),
      ParamSpec("employment", ParamType::kColumn)
          .numeric()
          .of("plants")
          .def("employment")
          .doc_("plant employment column"),
  };
}

/// \brief The optional table of regional totals, the method and the group.
std::vector<ParamSpec> other_params() {
  return {
      ParamSpec("totals", ParamType::kTable)
          .doc_("aggregate employment by region; if absent, the plants are summed"),
      ParamSpec("totals_region", ParamType::kColumn)
          .of("totals")
          .def("region")
          .doc_("region key column of `totals`"),
      ParamSpec("total_value", ParamType::kColumn)
          .numeric()
          .of("totals")
          .def("employment")
          .doc_("aggregate employment column of `totals`"),
      ParamSpec("method", ParamType::kString)
          .def("ellison_glaeser")
          .one_of({"ellison_glaeser", "maurel_sedillot"})
          .doc_("agglomeration index: Ellison-Glaeser (1997) or Maurel-Sedillot (1999)"),
      ParamSpec("group", ParamType::kStringList)
          .doc_("industries whose coagglomeration gamma_c is written to <output>_coagglomeration "
                "(two or more)"),
      ParamSpec("missing", ParamType::kString)
          .def("error")
          .one_of({"error", "drop"})
          .doc_("plant rows with a missing key or employment: an error, or dropped"),
  };
}

std::vector<TableSpec> tables_read() {
  return {TableSpec::read("plants", "one row per plant")
              .column(ColumnSpec::of("region"))
              .column(ColumnSpec::of("industry"))
              .column(ColumnSpec::of("plant"))
              .column(ColumnSpec::of("employment", "plant employment, >= 0")),
          TableSpec::read("totals", "aggregate employment per region (optional)")
              .when_given("totals")
              .column(ColumnSpec::of("totals_region"))
              .column(ColumnSpec::of("total_value", "aggregate employment, >= its plants'"))};
}

std::vector<TableSpec> tables_written() {
  return {
      TableSpec::write("<output>", "one row per industry")
          .column(ColumnSpec::of("industry"))
          .column(ColumnSpec::ints("plants", "plants of the industry"))
          .column(ColumnSpec::floats("employment", "the industry's employment").in("<employment>"))
          .column(ColumnSpec::floats("G", "raw concentration sum_r (s_r - x_r)^2, in [0, 2)")
                      .in("index"))
          .column(
              ColumnSpec::floats("H", "plant Herfindahl sum_k z_k^2, in (0, 1]").in("index (0-1)"))
          .column(ColumnSpec::floats(
                      "gamma", "agglomeration index (E&G or Maurel-Sedillot); missing for H = 1")
                      .in("index"))
          .column(
              ColumnSpec::floats("variance",
                                 "variance of gamma under random plant location; missing for H = 1")
                  .in("dimensionless"))
          .column(
              ColumnSpec::floats(
                  "z",
                  "gamma / sqrt(variance); missing for H = 1 or a variance that is not positive")
                  .in("z-score")),
      TableSpec::write("<output>_coagglomeration", "one row for the group")
          .when_given("group")
          .column(ColumnSpec::strings("group", "the group's industries joined by '+'"))
          .column(ColumnSpec::ints("industries", "industries in the group"))
          .column(ColumnSpec::floats("G", "raw concentration of the pooled plants").in("index"))
          .column(
              ColumnSpec::floats("H", "plant Herfindahl of the pooled plants").in("index (0-1)"))
          .column(ColumnSpec::floats("gamma_c", "E&G (1997) coagglomeration index").in("index"))};
}

/// \brief The plant rows kept, validated, with the levels of their region and industry.
struct Plants {
  const Table& table;
  const Column& employment;
  Levels regions, industries;
  std::vector<std::size_t> rows;
  double employment_of(std::size_t row) const { return employment.number(row); }
  std::size_t region_level(std::size_t row) const {
    return static_cast<std::size_t>(regions.of_row[row]);
  }
};

/// \brief The regions of the shares x_r: those of `totals`, or of the plants without it.
struct Regions {
  std::vector<std::string> labels;
  std::vector<double> total;
  std::vector<std::size_t> of_plant_level;  // the region of each plant region level
};

/// \brief The columns of <output>, filled one industry at a time; gamma, variance and z are
/// missing (NaN, not valid) where undefined.
struct IndustryRows {
  std::vector<std::int32_t> levels;
  std::vector<std::int64_t> plants;
  std::vector<double> employment, g, h, gamma, variance, z;
  std::vector<std::uint8_t> valid, z_valid;

  void add(std::size_t industry, const Pattern& p, double raw_g,
           const std::optional<Gamma>& result) {
    levels.push_back(static_cast<std::int32_t>(industry));
    plants.push_back(static_cast<std::int64_t>(p.plants));
    employment.push_back(p.total);
    g.push_back(raw_g);
    h.push_back(p.h);
    gamma.push_back(result ? result->gamma : kNaN);
    variance.push_back(result ? result->variance : kNaN);
    z.push_back(result && result->z ? *result->z : kNaN);
    valid.push_back(result ? 1 : 0);
    z_valid.push_back(result && result->z ? 1 : 0);
  }
};

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет индекс агломерации Эллисона — Глейзера для каждой отрасли по данным о "
       "предприятиях"},
      {p.description,
       "Для отрасли i с предприятиями k (z_k — их доли в занятости отрасли) и регионами "
       "r (x_r — доля региона r в совокупной занятости, s_ir — его доля в отрасли i):\n"
       "  G_i = sum_r (s_ir - x_r)^2,  H_i = sum_k z_k^2,\n"
       "  gamma_i = [G_i - (1 - sum x_r^2) H_i] / [(1 - sum x_r^2)(1 - H_i)]   (Ellison "
       "& Glaeser 1997).\n"
       "method = \"ellison_glaeser\" (по умолчанию) — как выше; \"maurel_sedillot\" заменяет"
       " G_i / (1 - sum x^2) на (sum s_ir^2 - sum x_r^2) / (1 - sum x^2) (Maurel & "
       "Sedillot 1999). G всегда записывается как исходный G Эллисона — Глейзера.\n"
       "variance: дисперсия gamma при нулевой гипотезе случайного размещения предприятий"
       " (gamma = 0), по формуле Эллисона — Глейзера для Var(G) (или её аналогу Морель —"
       " Седийо); z = gamma / sqrt(variance).\n"
       "x_r берётся из таблицы `totals` (совокупная занятость по регионам, столбец "
       "`total_value`); если `totals` не задана, x_r — доля региона r среди всех "
       "предприятий таблицы (ellison.a в REAT без базы). Предприятия в регионе, которого"
       " нет в `totals`, — ошибка.\n"
       "group = [отрасли] добавляет <output>_coagglomeration с индексом коагломерации "
       "Эллисона — Глейзера (1997) gamma_c = [G/(1 - sum x^2) - H - sum_j w_j^2 gamma_j "
       "(1 - H_j)] / (1 - sum_j w_j^2), где G и H — по объединённым предприятиям группы,"
       " а w_j — доли отраслей в занятости группы (ellison.c в REAT возвращает значения "
       "вне диапазона формулы; здесь — по статье).\n"
       "Отрасль с единственным предприятием (H = 1) получает пропущенные gamma, "
       "дисперсию и z с предупреждением.\n"
       "Источники: Ellison & Glaeser (1997), JPE 105(5); Maurel & Sedillot (1999), RSUE "
       "29(5)."},
  };
}

class EllisonGlaeser final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "ellison_glaeser";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Computes the Ellison-Glaeser agglomeration index of every industry from plant data";
    p.description =
        "For industry i with plants k (employment shares z_k within the industry) and regions r "
        "(x_r = region r's share of aggregate employment, s_ir = its share of industry i):\n"
        "  G_i = sum_r (s_ir - x_r)^2,  H_i = sum_k z_k^2,\n"
        "  gamma_i = [G_i - (1 - sum x_r^2) H_i] / [(1 - sum x_r^2)(1 - H_i)]   (Ellison & Glaeser "
        "1997).\n"
        "method = \"ellison_glaeser\" (default) as above; \"maurel_sedillot\" replaces "
        "G_i / (1 - sum x^2) by (sum s_ir^2 - sum x_r^2) / (1 - sum x^2) (Maurel & Sedillot 1999). "
        "G is always written as the raw E&G G.\n"
        "variance: variance of gamma under the null of random plant location (gamma = 0), from the "
        "E&G formula for Var(G) (or its Maurel-Sedillot analogue); z = gamma / sqrt(variance).\n"
        "x_r comes from the `totals` table (aggregate employment by region, column `total_value`); "
        "when `totals` is not given, x_r is region r's share of all plants in the table (REAT's "
        "ellison.a with no reference). Plants in a region missing from `totals` are an error.\n"
        "group = [industries] adds <output>_coagglomeration with the E&G (1997) "
        "coagglomeration index gamma_c = [G/(1 - sum x^2) - H - sum_j w_j^2 gamma_j (1 - H_j)] / "
        "(1 - sum_j w_j^2), with G and H of the group's pooled plants and w_j the industries' "
        "shares "
        "of group employment (REAT's ellison.c returns values outside the formula's range; this "
        "follows the paper).\n"
        "An industry with a single plant (H = 1) gets a missing gamma, variance and z, with a "
        "warning.\n"
        "Reference: Ellison & Glaeser (1997), JPE 105(5); Maurel & Sedillot (1999), RSUE 29(5).";
    p.params = plant_params();
    const std::vector<ParamSpec> other = other_params();
    p.params.insert(p.params.end(), other.begin(), other.end());
    p.reads = tables_read();
    p.writes = tables_written();
    p.translations["ru"] = russian(p);
    return p;
  }

  /// Key types and the group: rules between parameters that the table specs cannot state.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& plants = ctx.schema_of_param("plants");
    for (const char* key : {"industry", "region"}) ctx.check_key_column("plants", key);
    if (params.has("totals")) {
      const Schema& totals = ctx.schema_of_param("totals");
      if (*totals.type_of(params.str("totals_region")) != *plants.type_of(params.str("region")))
        throw ParamError("totals_region",
                         "region columns of `plants` and `totals` have different types");
    }
    if (params.has("group")) check_group(params.strings("group"));
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Method method = params.str("method") == "maurel_sedillot" ? Method::kMaurelSedillot
                                                                    : Method::kEllisonGlaeser;
    const Plants plants = read_plants(ctx);
    const Regions regions =
        params.has("totals") ? regions_of_totals(ctx, plants) : regions_of_plants(plants);
    const RegionShares rs = shares(regions);
    const std::vector<Pattern> patterns = industry_patterns(plants, regions);
    write_industries(ctx, plants.industries, patterns, rs, method);
    if (params.has("group"))
      write_coagglomeration(ctx, params.strings("group"), plants.industries, patterns, rs, method);
  }

 private:
  static void check_group(const std::vector<std::string>& group) {
    if (group.size() < 2)
      throw ParamError("group", "coagglomeration needs at least two industries in `group`, got " +
                                    std::to_string(group.size()));
    std::set<std::string> seen;
    for (const auto& g : group)
      if (!seen.insert(g).second)
        throw ParamError("group", "industry '" + g + "' is listed twice in `group`");
  }

  /// Whether plant row `row` is complete; false for a row dropped with missing = "drop".
  static bool complete(const RunContext& ctx, const Plants& p, const Column* plant_col,
                       std::size_t row) {
    const bool ok = p.regions.of_row[row] >= 0 && p.industries.of_row[row] >= 0 &&
                    p.employment.is_valid(row) && std::isfinite(p.employment.number(row)) &&
                    (!plant_col || plant_col->is_valid(row));
    if (ok || ctx.params().str("missing") == "drop") return ok;
    throw DataError(p.table.row_name(row) +
                    " has a missing region, industry, plant or employment (set missing = "
                    "\"drop\" to skip such rows)");
  }

  /// The complete plant rows; negative employment and a repeated (industry, plant) are errors.
  static Plants read_plants(const RunContext& ctx) {
    const Params& params = ctx.params();
    const Table& table = ctx.table_of_param("plants");
    Plants p{table,
             table.column(params.str("employment")),
             levels_of(table.column(params.str("region"))),
             levels_of(table.column(params.str("industry"))),
             {}};
    const Column* plant_col = table.find(params.str("plant"));
    std::map<std::pair<std::int32_t, std::string>, std::size_t> plant_ids;  // -> first row
    for (std::size_t row = 0; row < table.rows(); ++row) {
      if (!complete(ctx, p, plant_col, row)) continue;
      const double e = p.employment_of(row);
      const std::string where =
          "plant in region '" + p.regions.labels[p.region_level(row)] + "', industry '" +
          p.industries.labels[static_cast<std::size_t>(p.industries.of_row[row])] + "'" +
          table.line_note(row);
      if (e < 0) throw DataError("negative employment " + format_number(e) + " of " + where);
      if (plant_col) {
        const auto [first, fresh] =
            plant_ids.emplace(std::pair(p.industries.of_row[row], plant_col->to_text(row)), row);
        if (!fresh)
          throw DataError("plant '" + plant_col->to_text(row) + "' appears twice: " + where +
                          table.lines_note(first->second, row));
      }
      p.rows.push_back(row);
    }
    return p;
  }

  /// Without `totals`: the plants' regions, each with its plants' employment.
  static Regions regions_of_plants(const Plants& p) {
    Regions r;
    r.labels = p.regions.labels;
    r.total.assign(r.labels.size(), 0.0);
    r.of_plant_level.resize(r.labels.size());
    for (std::size_t l = 0; l < r.labels.size(); ++l) r.of_plant_level[l] = l;
    for (const std::size_t row : p.rows) r.total[p.region_level(row)] += p.employment_of(row);
    return r;
  }

  /// The rows of `totals`: one non-negative total per region, in the table's order.
  static Regions read_totals(const RunContext& ctx, std::map<std::string, std::size_t>& index) {
    const Params& params = ctx.params();
    const Table& totals = ctx.table_of_param("totals");
    const Column& treg = totals.column(params.str("totals_region"));
    const Column& tval = totals.column(params.str("total_value"));
    Regions r;
    for (std::size_t row = 0; row < totals.rows(); ++row) {
      if (!treg.is_valid(row))
        throw DataError(totals.row_name(row) + " of the totals has a missing region");
      const std::string label = treg.to_text(row);
      if (!tval.is_valid(row) || !std::isfinite(tval.number(row)))
        throw DataError("region '" + label + "' has a missing regional total in column '" +
                        params.str("total_value") + "'");
      const double v = tval.number(row);
      if (v < 0)
        throw DataError("region '" + label + "' has a negative regional total " + format_number(v));
      if (!index.emplace(label, r.labels.size()).second)
        throw DataError("region '" + label + "' has more than one row in the totals table");
      r.labels.push_back(label);
      r.total.push_back(v);
    }
    return r;
  }

  /// With `totals`: its regions; every plant region must be one, with a total at least its
  /// plants' employment.
  static Regions regions_of_totals(const RunContext& ctx, const Plants& p) {
    std::map<std::string, std::size_t> index;
    Regions r = read_totals(ctx, index);
    r.of_plant_level.assign(p.regions.size(), 0);
    std::vector<std::uint8_t> used(p.regions.size(), 0);
    for (const std::size_t row : p.rows) used[p.region_level(row)] = 1;
    std::string unmatched;
    for (std::size_t l = 0; l < p.regions.size(); ++l) {
      if (!used[l]) continue;
      if (auto it = index.find(p.regions.labels[l]); it != index.end())
        r.of_plant_level[l] = it->second;
      else
        unmatched += (unmatched.empty() ? "'" : ", '") + p.regions.labels[l] + "'";
    }
    if (!unmatched.empty())
      throw DataError("plants in region(s) " + unmatched + " have no regional total in table '" +
                      ctx.params().str("totals") + "'; add them to the totals table");
    check_totals_cover_plants(p, r);
    return r;
  }

  static void check_totals_cover_plants(const Plants& p, const Regions& r) {
    std::vector<double> plant_sum(r.labels.size(), 0.0);
    for (const std::size_t row : p.rows)
      plant_sum[r.of_plant_level[p.region_level(row)]] += p.employment_of(row);
    for (std::size_t k = 0; k < r.labels.size(); ++k)
      if (plant_sum[k] > r.total[k] * (1 + 1e-12))
        throw DataError("region '" + r.labels[k] + "' has a regional total of " +
                        format_number(r.total[k]) + ", less than the employment of its plants (" +
                        format_number(plant_sum[k]) + ")");
  }

  /// The shares x_r; at least two regions must have employment.
  static RegionShares shares(const Regions& r) {
    RegionShares rs = region_shares(r.total);
    if (!(rs.total > 0))
      throw DataError("aggregate employment over all regions is zero; shares x_r are undefined");
    if (rs.a >= 1 - 1e-12) {
      const auto top = std::max_element(r.total.begin(), r.total.end()) - r.total.begin();
      throw DataError("all aggregate employment is in one region ('" +
                      r.labels[static_cast<std::size_t>(top)] +
                      "'); agglomeration needs at least two regions with employment");
    }
    return rs;
  }

  /// Each industry's pattern over the regions, its plants in row order.
  static std::vector<Pattern> industry_patterns(const Plants& p, const Regions& r) {
    const std::size_t I = p.industries.size();
    std::vector<std::vector<std::size_t>> region(I);
    std::vector<std::vector<double>> employment(I);
    for (const std::size_t row : p.rows) {
      const auto i = static_cast<std::size_t>(p.industries.of_row[row]);
      region[i].push_back(r.of_plant_level[p.region_level(row)]);
      employment[i].push_back(p.employment_of(row));
    }
    std::vector<Pattern> out;
    for (std::size_t i = 0; i < I; ++i)
      out.push_back(pattern_of(region[i], employment[i], r.labels.size()));
    return out;
  }

  static void write_industries(RunContext& ctx, const Levels& industries,
                               const std::vector<Pattern>& patterns, const RegionShares& rs,
                               Method method) {
    IndustryRows rows;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      const Pattern& p = patterns[i];
      if (p.plants == 0) continue;  // every row of the industry was dropped
      if (p.total <= 0)
        throw DataError("industry '" + industries.labels[i] +
                        "' has zero total employment; its shares are undefined");
      const std::optional<Gamma> gamma = industry_gamma(p, rs, method);
      if (!gamma)
        ctx.log(LogLevel::kWarn,
                "industry '" + industries.labels[i] +
                    "' has a single plant carrying all its employment (H = 1): gamma is undefined");
      rows.add(i, p, raw_g(p, rs), gamma);
    }
    OutputTable out = ctx.output();
    out.set(industries.make_column(ctx.params().str("industry"), rows.levels));
    out.set("plants", std::move(rows.plants));
    out.set("employment", std::move(rows.employment));
    out.set("G", std::move(rows.g));
    out.set("H", std::move(rows.h));
    out.set("gamma", std::move(rows.gamma), rows.valid);
    out.set("variance", std::move(rows.variance), rows.valid);
    out.set("z", std::move(rows.z), std::move(rows.z_valid));
    ctx.write(std::move(out));
  }

  static void write_coagglomeration(RunContext& ctx, const std::vector<std::string>& group,
                                    const Levels& industries, const std::vector<Pattern>& patterns,
                                    const RegionShares& rs, Method method) {
    std::vector<const Pattern*> members;
    for (const auto& name : group) {
      const auto i = industries.find(name);
      if (i < 0 || patterns[static_cast<std::size_t>(i)].plants == 0)
        throw DataError("industry '" + name + "' of `group` has no plants in table '" +
                        ctx.params().str("plants") + "'");
      const Pattern& p = patterns[static_cast<std::size_t>(i)];
      if (p.total <= 0) throw DataError("industry '" + name + "' of `group` has zero employment");
      members.push_back(&p);
    }
    const Coagglomeration co = coagglomeration(members, rs, method);
    std::string label;
    for (const auto& g : group) label += (label.empty() ? "" : "+") + g;
    OutputTable out = ctx.output("<output>_coagglomeration");
    out.set("group", std::vector<std::string>{label});
    out.set("industries", std::vector<std::int64_t>{static_cast<std::int64_t>(group.size())});
    out.set("G", std::vector<double>{co.g});
    out.set("H", std::vector<double>{co.h});
    out.set("gamma_c", std::vector<double>{co.gamma_c});
    ctx.write(std::move(out));
  }
};

}  // namespace

Pattern pattern_of(const std::vector<std::size_t>& region, const std::vector<double>& employment,
                   std::size_t regions) {
  Pattern p;
  p.employment.assign(regions, 0.0);
  for (std::size_t k = 0; k < employment.size(); ++k) {
    p.employment[region[k]] += employment[k];
    p.total += employment[k];
    ++p.plants;
  }
  if (p.total <= 0) return p;
  for (const double e : employment) {
    const double z = e / p.total;
    p.h += z * z;
    p.z3 += z * z * z;
    p.z4 += z * z * z * z;
  }
  return p;
}

RegionShares region_shares(const std::vector<double>& employment) {
  RegionShares rs;
  for (const double v : employment) rs.total += v;
  for (const double v : employment) {
    const double x = v / rs.total;
    rs.x.push_back(x);
    rs.a += x * x;
    rs.b += x * x * x;
  }
  return rs;
}

double raw_g(const Pattern& p, const RegionShares& rs) {
  double g = 0;
  for (std::size_t r = 0; r < rs.x.size(); ++r) {
    const double s = p.employment[r] / p.total;
    g += (s - rs.x[r]) * (s - rs.x[r]);
  }
  return g;
}

double scaled_g(const Pattern& p, const RegionShares& rs, Method method) {
  if (method == Method::kEllisonGlaeser) return raw_g(p, rs) / (1 - rs.a);
  double s2 = 0;
  for (std::size_t r = 0; r < rs.x.size(); ++r) {
    const double s = p.employment[r] / p.total;
    s2 += s * s;
  }
  return (s2 - rs.a) / (1 - rs.a);
}

double gamma_variance(const Pattern& p, const RegionShares& rs, Method method) {
  const double a = rs.a, b = rs.b, h = p.h;
  double var_stat;
  if (method == Method::kEllisonGlaeser) {
    var_stat = 2 * (h * h * (a - 2 * b + a * a) - p.z4 * (a - 4 * b + 3 * a * a));
  } else {
    var_stat =
        4 * ((a - a * a) * (h * h - p.z4) / 2 + (b - a * a) * (h - 2 * p.z3 + 2 * p.z4 - h * h));
  }
  const double den = (1 - a) * (1 - h);
  return var_stat / (den * den);
}

std::optional<Gamma> industry_gamma(const Pattern& p, const RegionShares& rs, Method method) {
  if (p.h >= 1 - 1e-12) return std::nullopt;
  Gamma out;
  out.gamma = (scaled_g(p, rs, method) - p.h) / (1 - p.h);
  out.variance = gamma_variance(p, rs, method);
  if (out.variance > 0) {
    const double z = out.gamma / std::sqrt(out.variance);
    if (!std::isnan(z)) out.z = z;
  }
  return out;
}

Coagglomeration coagglomeration(const std::vector<const Pattern*>& members, const RegionShares& rs,
                                Method method) {
  Pattern pooled;
  pooled.employment.assign(rs.x.size(), 0.0);
  for (const Pattern* p : members) {
    for (std::size_t r = 0; r < rs.x.size(); ++r) pooled.employment[r] += p->employment[r];
    pooled.total += p->total;
    pooled.plants += p->plants;
  }
  double sum_w2 = 0, own = 0;
  for (const Pattern* p : members) {
    const double w = p->total / pooled.total;
    sum_w2 += w * w;
    pooled.h += w * w * p->h;  // plant Herfindahl of the pooled group
    own += w * w * (scaled_g(*p, rs, method) - p->h);
  }
  Coagglomeration out;
  out.g = raw_g(pooled, rs);
  out.h = pooled.h;
  out.gamma_c = (scaled_g(pooled, rs, method) - pooled.h - own) / (1 - sum_w2);
  return out;
}

}  // namespace klaster::plugins::ellison_glaeser

KLASTER_PLUGIN(klaster::plugins::ellison_glaeser::EllisonGlaeser)
