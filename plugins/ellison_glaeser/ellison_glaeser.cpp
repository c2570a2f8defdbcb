// ellison_glaeser: the Ellison-Glaeser (1997) agglomeration index per industry from plant-level
// employment, the Maurel-Sedillot (1999) variant, and the E&G coagglomeration index of a group.
// Ellison & Glaeser (1997), JPE 105(5): the index gamma, the variance of G under the null, and the
// coagglomeration index gamma^c; Maurel & Sedillot (1999), Regional Science and Urban Economics
// 29(5).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// \brief The regional pattern of one industry (or of a group): employment by region and the
/// plant Herfindahl H = sum of squared plant shares, plus the moments the variance needs.
struct Pattern {
  std::vector<double> employment;  // by region (index into the regions of x)
  double total = 0;
  double h = 0;   // sum z_k^2
  double z3 = 0;  // sum z_k^3
  double z4 = 0;  // sum z_k^4
  std::size_t plants = 0;
};

/// \brief Sums of powers of the regions' shares of aggregate employment.
struct RegionShares {
  std::vector<double> x;
  double a = 0;  // sum x^2
  double b = 0;  // sum x^3
};

/// \brief Raw geographic concentration G = sum_r (s_r - x_r)^2; Ellison & Glaeser (1997).
double raw_g(const Pattern& p, const RegionShares& rs) {
  double g = 0;
  for (std::size_t r = 0; r < rs.x.size(); ++r) {
    const double s = p.employment[r] / p.total;
    g += (s - rs.x[r]) * (s - rs.x[r]);
  }
  return g;
}

/// \brief The concentration term that replaces G / (1 - sum x^2) in gamma:
/// E&G: G / (1 - sum x^2); Maurel-Sedillot: (sum s^2 - sum x^2) / (1 - sum x^2).
double scaled_g(const Pattern& p, const RegionShares& rs, bool maurel_sedillot) {
  if (!maurel_sedillot) return raw_g(p, rs) / (1 - rs.a);
  double s2 = 0;
  for (std::size_t r = 0; r < rs.x.size(); ++r) {
    const double s = p.employment[r] / p.total;
    s2 += s * s;
  }
  return (s2 - rs.a) / (1 - rs.a);
}

/// \brief Variance of gamma under the null of random plant location (gamma = 0).
/// Ellison & Glaeser (1997): Var(G) = 2{H^2[a - 2b + a^2] - sum z^4 [a - 4b + 3a^2]}, a = sum x^2,
/// b = sum x^3. Maurel-Sedillot: Var(sum s^2) = 4[(a - a^2)(H^2 - sum z^4)/2
/// + (b - a^2)(H - 2 sum z^3 + 2 sum z^4 - H^2)], derived from the same null (plants placed
/// independently with probabilities x; see README). Both divided by the squared denominator of
/// gamma.
double gamma_variance(const Pattern& p, const RegionShares& rs, bool maurel_sedillot) {
  const double a = rs.a, b = rs.b, h = p.h;
  double var_stat;
  if (!maurel_sedillot) {
    var_stat = 2 * (h * h * (a - 2 * b + a * a) - p.z4 * (a - 4 * b + 3 * a * a));
  } else {
    var_stat =
        4 * ((a - a * a) * (h * h - p.z4) / 2 + (b - a * a) * (h - 2 * p.z3 + 2 * p.z4 - h * h));
  }
  const double den = (1 - a) * (1 - h);
  return var_stat / (den * den);
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
    p.params = {
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
    p.reads = {{"plants", "region, industry, [plant], employment", "one row per plant"},
               {"totals", "region, employment", "aggregate employment per region (optional)"}};
    p.writes = {
        {"<output>", "industry, plants, employment, G, H, gamma, variance, z",
         "one row per industry"},
        {"<output>_coagglomeration", "group, industries, G, H, gamma_c", "with `group`: one row"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& plants = ctx.schema_of_param("plants");
    if (*plants.type_of(params.str("industry")) == ColumnType::kFloat)
      throw ParamError("industry", "column '" + params.str("industry") +
                                       "' is a float column; use a string or int key");
    if (*plants.type_of(params.str("region")) == ColumnType::kFloat)
      throw ParamError("region", "column '" + params.str("region") +
                                     "' is a float column; use a string or int key");
    if (params.has("totals")) {
      const Schema& totals = ctx.schema_of_param("totals");
      if (*totals.type_of(params.str("totals_region")) != *plants.type_of(params.str("region")))
        throw ParamError("totals_region",
                         "region columns of `plants` and `totals` have different types");
    }
    Schema out;
    out.add(params.str("industry"), *plants.type_of(params.str("industry")));
    out.add("plants", ColumnType::kInt);
    out.add("employment", ColumnType::kFloat);
    for (const char* c : {"G", "H", "gamma", "variance", "z"}) out.add(c, ColumnType::kFloat);
    ctx.declare_output(ctx.output_name(), out);

    if (params.has("group")) {
      const auto group = params.strings("group");
      if (group.size() < 2)
        throw ParamError("group", "coagglomeration needs at least two industries in `group`, got " +
                                      std::to_string(group.size()));
      std::set<std::string> seen;
      for (const auto& g : group)
        if (!seen.insert(g).second)
          throw ParamError("group", "industry '" + g + "' is listed twice in `group`");
      Schema co;
      co.add("group", ColumnType::kString);
      co.add("industries", ColumnType::kInt);
      for (const char* c : {"G", "H", "gamma_c"}) co.add(c, ColumnType::kFloat);
      ctx.declare_output(ctx.output_name() + "_coagglomeration", co);
    }
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& plants = ctx.table_of_param("plants");
    const bool drop = params.str("missing") == "drop";
    const bool ms = params.str("method") == "maurel_sedillot";

    const Column& region_col = plants.column(params.str("region"));
    const Column& industry_col = plants.column(params.str("industry"));
    const Column& emp_col = plants.column(params.str("employment"));
    const Column* plant_col = plants.find(params.str("plant"));
    const Levels plant_regions = levels_of(region_col);
    const Levels industries = levels_of(industry_col);

    // Rows kept, validated.
    std::vector<std::size_t> rows;
    std::map<std::pair<std::int32_t, std::string>, std::size_t> plant_ids;  // -> first row
    for (std::size_t row = 0; row < plants.rows(); ++row) {
      const auto r = plant_regions.of_row[row];
      const auto i = industries.of_row[row];
      const bool ok = r >= 0 && i >= 0 && emp_col.is_valid(row) &&
                      std::isfinite(emp_col.number(row)) &&
                      (!plant_col || plant_col->is_valid(row));
      if (!ok) {
        if (drop) continue;
        throw DataError(plants.row_name(row) +
                        " has a missing region, industry, plant or employment (set missing = "
                        "\"drop\" to skip such rows)");
      }
      const double e = emp_col.number(row);
      const std::string where = "plant in region '" +
                                plant_regions.labels[static_cast<std::size_t>(r)] +
                                "', industry '" + industries.labels[static_cast<std::size_t>(i)] +
                                "'" + plants.line_note(row);
      if (e < 0) throw DataError("negative employment " + format_number(e) + " of " + where);
      if (plant_col) {
        const auto [first, fresh] = plant_ids.emplace(std::pair(i, plant_col->to_text(row)), row);
        if (!fresh)
          throw DataError("plant '" + plant_col->to_text(row) + "' appears twice: " + where +
                          plants.lines_note(first->second, row));
      }
      rows.push_back(row);
    }

    // Regions and their shares x_r.
    std::vector<std::string> region_labels;
    std::vector<double> region_total;
    std::vector<std::size_t> region_of_plant_level(plant_regions.size(), 0);
    if (params.has("totals")) {
      const Table& totals = ctx.table_of_param("totals");
      const Column& treg = totals.column(params.str("totals_region"));
      const Column& tval = totals.column(params.str("total_value"));
      std::map<std::string, std::size_t> index;
      for (std::size_t row = 0; row < totals.rows(); ++row) {
        if (!treg.is_valid(row))
          throw DataError(totals.row_name(row) + " of the totals has a missing region");
        const std::string label = treg.to_text(row);
        if (!tval.is_valid(row) || !std::isfinite(tval.number(row)))
          throw DataError("region '" + label + "' has a missing regional total in column '" +
                          params.str("total_value") + "'");
        const double v = tval.number(row);
        if (v < 0)
          throw DataError("region '" + label + "' has a negative regional total " +
                          format_number(v));
        if (!index.emplace(label, region_labels.size()).second)
          throw DataError("region '" + label + "' has more than one row in the totals table");
        region_labels.push_back(label);
        region_total.push_back(v);
      }
      std::vector<double> plant_sum(region_labels.size(), 0.0);
      std::vector<std::uint8_t> used(plant_regions.size(), 0);
      for (auto row : rows) used[static_cast<std::size_t>(plant_regions.of_row[row])] = 1;
      std::string unmatched;
      for (std::size_t l = 0; l < plant_regions.size(); ++l) {
        if (!used[l]) continue;
        auto it = index.find(plant_regions.labels[l]);
        if (it == index.end()) {
          unmatched += (unmatched.empty() ? "'" : ", '") + plant_regions.labels[l] + "'";
          continue;
        }
        region_of_plant_level[l] = it->second;
      }
      if (!unmatched.empty())
        throw DataError("plants in region(s) " + unmatched + " have no regional total in table '" +
                        params.str("totals") + "'; add them to the totals table");
      for (auto row : rows)
        plant_sum[region_of_plant_level[static_cast<std::size_t>(plant_regions.of_row[row])]] +=
            emp_col.number(row);
      for (std::size_t r = 0; r < region_labels.size(); ++r)
        if (plant_sum[r] > region_total[r] * (1 + 1e-12))
          throw DataError("region '" + region_labels[r] + "' has a regional total of " +
                          format_number(region_total[r]) +
                          ", less than the employment of its plants (" +
                          format_number(plant_sum[r]) + ")");
    } else {
      region_labels = plant_regions.labels;
      region_total.assign(region_labels.size(), 0.0);
      for (std::size_t l = 0; l < plant_regions.size(); ++l) region_of_plant_level[l] = l;
      for (auto row : rows)
        region_total[static_cast<std::size_t>(plant_regions.of_row[row])] += emp_col.number(row);
    }
    const std::size_t R = region_labels.size();
    double grand = 0;
    for (double v : region_total) grand += v;
    if (!(grand > 0))
      throw DataError("aggregate employment over all regions is zero; shares x_r are undefined");
    RegionShares rs;
    for (double v : region_total) {
      const double x = v / grand;
      rs.x.push_back(x);
      rs.a += x * x;
      rs.b += x * x * x;
    }
    if (rs.a >= 1 - 1e-12)
      throw DataError(
          "all aggregate employment is in one region ('" +
          region_labels[static_cast<std::size_t>(
              std::max_element(region_total.begin(), region_total.end()) - region_total.begin())] +
          "'); agglomeration needs at least two regions with employment");

    // Per-industry patterns.
    const std::size_t I = industries.size();
    std::vector<Pattern> pattern(I);
    for (auto& p : pattern) p.employment.assign(R, 0.0);
    for (auto row : rows) {
      Pattern& p = pattern[static_cast<std::size_t>(industries.of_row[row])];
      const double e = emp_col.number(row);
      p.employment[region_of_plant_level[static_cast<std::size_t>(plant_regions.of_row[row])]] += e;
      p.total += e;
      ++p.plants;
    }
    for (auto row : rows) {
      Pattern& p = pattern[static_cast<std::size_t>(industries.of_row[row])];
      if (p.total <= 0) continue;
      const double z = emp_col.number(row) / p.total;
      p.h += z * z;
      p.z3 += z * z * z;
      p.z4 += z * z * z * z;
    }

    std::vector<std::int32_t> out_levels;
    std::vector<std::int64_t> n_plants;
    std::vector<double> emp, g_out, h_out, gamma_out, var_out, z_out;
    std::vector<std::uint8_t> valid;
    for (std::size_t i = 0; i < I; ++i) {
      const Pattern& p = pattern[i];
      if (p.plants == 0) continue;  // every row of the industry was dropped
      if (p.total <= 0)
        throw DataError("industry '" + industries.labels[i] +
                        "' has zero total employment; its shares are undefined");
      out_levels.push_back(static_cast<std::int32_t>(i));
      n_plants.push_back(static_cast<std::int64_t>(p.plants));
      emp.push_back(p.total);
      g_out.push_back(raw_g(p, rs));
      h_out.push_back(p.h);
      if (p.h >= 1 - 1e-12) {
        ctx.log(LogLevel::kWarn,
                "industry '" + industries.labels[i] +
                    "' has a single plant carrying all its employment (H = 1): gamma is undefined");
        gamma_out.push_back(kNaN);
        var_out.push_back(kNaN);
        z_out.push_back(kNaN);
        valid.push_back(0);
        continue;
      }
      const double gamma = (scaled_g(p, rs, ms) - p.h) / (1 - p.h);
      const double var = gamma_variance(p, rs, ms);
      gamma_out.push_back(gamma);
      var_out.push_back(var);
      z_out.push_back(var > 0 ? gamma / std::sqrt(var) : kNaN);
      valid.push_back(1);
    }
    std::vector<std::uint8_t> z_valid = valid;
    for (std::size_t k = 0; k < z_out.size(); ++k)
      if (std::isnan(z_out[k])) z_valid[k] = 0;
    std::vector<Column> cols;
    cols.push_back(industries.make_column(params.str("industry"), out_levels));
    cols.push_back(Column::make_ints("plants", std::move(n_plants)));
    cols.push_back(Column::make_floats("employment", std::move(emp)));
    cols.push_back(Column::make_floats("G", std::move(g_out)));
    cols.push_back(Column::make_floats("H", std::move(h_out)));
    cols.push_back(Column::make_floats("gamma", std::move(gamma_out), valid));
    cols.push_back(Column::make_floats("variance", std::move(var_out), valid));
    cols.push_back(Column::make_floats("z", std::move(z_out), z_valid));
    ctx.write(ctx.output_name(), Table(std::move(cols)));

    if (params.has("group"))
      write_coagglomeration(ctx, params.strings("group"), industries, pattern, rs, ms, R);
  }

 private:
  /// \brief Ellison & Glaeser (1997), coagglomeration: gamma_c of the pooled group. gamma_j (1 -
  /// H_j) is written as G_j / (1 - sum x^2) - H_j, which stays defined for single-plant industries
  /// (H_j = 1).
  static void write_coagglomeration(RunContext& ctx, const std::vector<std::string>& group,
                                    const Levels& industries, const std::vector<Pattern>& pattern,
                                    const RegionShares& rs, bool ms, std::size_t R) {
    Pattern pooled;
    pooled.employment.assign(R, 0.0);
    std::vector<const Pattern*> members;
    for (const auto& name : group) {
      const auto i = industries.find(name);
      if (i < 0 || pattern[static_cast<std::size_t>(i)].plants == 0)
        throw DataError("industry '" + name + "' of `group` has no plants in table '" +
                        ctx.params().str("plants") + "'");
      const Pattern& p = pattern[static_cast<std::size_t>(i)];
      if (p.total <= 0) throw DataError("industry '" + name + "' of `group` has zero employment");
      members.push_back(&p);
      for (std::size_t r = 0; r < R; ++r) pooled.employment[r] += p.employment[r];
      pooled.total += p.total;
      pooled.plants += p.plants;
    }
    double sum_w2 = 0, own = 0;
    for (const Pattern* p : members) {
      const double w = p->total / pooled.total;
      sum_w2 += w * w;
      pooled.h += w * w * p->h;  // plant Herfindahl of the pooled group
      own += w * w * (scaled_g(*p, rs, ms) - p->h);
    }
    const double gamma_c = (scaled_g(pooled, rs, ms) - pooled.h - own) / (1 - sum_w2);
    std::string label;
    for (const auto& g : group) label += (label.empty() ? "" : "+") + g;
    std::vector<Column> cols;
    cols.push_back(Column::make_strings("group", std::vector<std::string>{label}));
    cols.push_back(Column::make_ints("industries", {static_cast<std::int64_t>(group.size())}));
    cols.push_back(Column::make_floats("G", {raw_g(pooled, rs)}));
    cols.push_back(Column::make_floats("H", {pooled.h}));
    cols.push_back(Column::make_floats("gamma_c", {gamma_c}));
    ctx.write(ctx.output_name() + "_coagglomeration", Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::EllisonGlaeser)
