// regional_clusters: applies cluster templates (sets of industries) to regional data: per region,
// cluster and year the cluster's size, its share of the national cluster, the cluster LQ
// (Isard 1960; Miller & Blair 2009, sec. 8.5.1) and a strength class; then the spatial clusters
// that cross regional borders: connected groups of adjacent regions above a threshold.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/plugin.hpp"
#include "regional_clusters_kernel.hpp"

namespace klaster::plugins::regional_clusters {
namespace {

using namespace klaster::sdk;

// Shares into one regional industry may exceed 1 by rounding of published data only.
constexpr double kShareTolerance = 1e-9;

std::vector<ParamSpec> template_params() {
  return {
      ParamSpec("templates", ParamType::kTable)
          .req()
          .doc_("cluster templates: one row per cluster and industry (feser_bergman, "
                "network_clusters, hierarchical_clusters' members or a user's table)"),
      ParamSpec("template_cluster", ParamType::kColumn)
          .of("templates")
          .def("cluster")
          .doc_("cluster key column of templates (int or string; e.g. \"community\")"),
      ParamSpec("template_industry", ParamType::kColumn)
          .of("templates")
          .def("industry")
          .doc_("industry column of templates (e.g. \"item\"): cube industries, or the "
                "concordance's template industries when a concordance is given"),
      ParamSpec("template_role", ParamType::kColumn)
          .of("templates")
          .def("role")
          .if_present()
          .doc_("role column of templates (feser_bergman: primary/secondary), used by `roles`"),
      ParamSpec("template_weight", ParamType::kColumn)
          .of("templates")
          .numeric()
          .doc_("optional weight column of templates, in [0, 1]: the part of the industry counted "
                "in the cluster (not given: 1 for every row; feser_bergman's loadings are not "
                "such weights)"),
      ParamSpec("roles", ParamType::kStringList)
          .doc_("keep only template rows whose role is one of these (default: all rows)"),
  };
}

std::vector<ParamSpec> concordance_params() {
  return {
      ParamSpec("concordance", ParamType::kTable)
          .doc_("optional: template industry -> regional (cube) industry with the share of the "
                "regional industry's value taken as the template industry's"),
      ParamSpec("concordance_from", ParamType::kColumn)
          .of("concordance")
          .def("from")
          .doc_("template industry column of concordance"),
      ParamSpec("concordance_to", ParamType::kColumn)
          .of("concordance")
          .def("to")
          .doc_("regional (cube) industry column of concordance"),
      ParamSpec("concordance_share", ParamType::kColumn)
          .of("concordance")
          .def("share")
          .numeric()
          .doc_("share column of concordance, in [0, 1]; the shares into one regional industry "
                "sum to at most 1"),
  };
}

std::vector<ParamSpec> class_params() {
  return {
      ParamSpec("lq_threshold", ParamType::kFloat)
          .def(Value(1.0))
          .at_least(0)
          .doc_("specialisation criterion of the strength class: cluster LQ >= lq_threshold"),
      ParamSpec("share_threshold", ParamType::kFloat)
          .def(Value(0.05))
          .at_least(0)
          .at_most(1)
          .doc_("size criterion of the strength class: share of the national cluster >= "
                "share_threshold (0.05 = the mean share of 20 regions)"),
  };
}

std::vector<ParamSpec> spatial_params() {
  return {
      ParamSpec("neighbours", ParamType::kTable)
          .doc_("optional: adjacent regions, one row per pair (from, to; either direction, "
                "e.g. a contiguity table); without it no spatial tables are written"),
      ParamSpec("neighbour_from", ParamType::kColumn)
          .of("neighbours")
          .def("from")
          .doc_("first region column of neighbours"),
      ParamSpec("neighbour_to", ParamType::kColumn)
          .of("neighbours")
          .def("to")
          .doc_("second region column of neighbours"),
      ParamSpec("spatial_by", ParamType::kString)
          .def("lq")
          .one_of({"lq", "share", "size"})
          .doc_("the indicator a region must reach to join a spatial cluster"),
      ParamSpec("spatial_threshold", ParamType::kFloat)
          .def(Value(1.0))
          .at_least(0)
          .doc_("a region qualifies where its spatial_by indicator >= spatial_threshold"),
      ParamSpec("min_regions", ParamType::kInt)
          .def(Value(std::int64_t{1}))
          .at_least(1)
          .doc_("smallest group reported (1: single qualifying regions are groups too)"),
  };
}

std::vector<ParamSpec> all_params() {
  std::vector<ParamSpec> p = cube_params("non-negative activity (output, employment, ...)");
  p.push_back(cube_missing_param());
  for (auto part : {template_params(), concordance_params(), class_params(), spatial_params()})
    p.insert(p.end(), part.begin(), part.end());
  return p;
}

std::vector<TableSpec> reads() {
  return {
      cube_read("non-negative activity by region, (regional) industry and year"),
      TableSpec::read("templates", "one row per cluster and industry")
          .column(ColumnSpec::of("template_cluster"))
          .column(ColumnSpec::of("template_industry"))
          .column(ColumnSpec::of("template_role"))
          .column(ColumnSpec::of("template_weight")),
      TableSpec::read("concordance", "template industry -> regional industry, share")
          .column(ColumnSpec::of("concordance_from"))
          .column(ColumnSpec::of("concordance_to"))
          .column(ColumnSpec::of("concordance_share"))
          .when_given("concordance"),
      TableSpec::read("neighbours", "pairs of adjacent regions")
          .column(ColumnSpec::of("neighbour_from"))
          .column(ColumnSpec::of("neighbour_to"))
          .when_given("neighbours"),
  };
}

std::vector<TableSpec> writes() {
  const auto cluster = [] {
    return ColumnSpec::like("cluster", "template_cluster", "cluster key (typed as in templates)");
  };
  return {
      TableSpec::write("<output>", "one row per region, cluster and year (year, cluster, region)")
          .column(ColumnSpec::of("region"))
          .column(cluster())
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::floats("size", "sum over the cluster's industries (x shares)")
                      .in("<value>"))
          .column(ColumnSpec::floats("share", "size / national cluster size; missing if that is 0")
                      .in("share (0-1)"))
          .column(ColumnSpec::floats("lq",
                                     "(size / region total) / (national size / national "
                                     "total); missing if the national size is 0")
                      .in("dimensionless"))
          .column(ColumnSpec::strings("strength", "strong, specialised, large, weak or absent"))
          .column(ColumnSpec::ints("approximated",
                                   "1 where a template industry was taken by a "
                                   "concordance share < 1, else 0")
                      .when_given("concordance")),
      TableSpec::write("<output>_spatial", "one row per spatial cluster (group)")
          .column(ColumnSpec::ints("group", "1, 2, ... per cluster and year, by size descending"))
          .column(cluster())
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::ints("n_regions", "regions in the group"))
          .column(ColumnSpec::strings("regions", "the regions joined by '+', e.g. KST+AKT"))
          .column(ColumnSpec::floats("size", "the group's cluster size").in("<value>"))
          .column(
              ColumnSpec::floats("total", "the group's total over all industries").in("<value>"))
          .column(ColumnSpec::floats("lq", "(size / total) / (national size / national total)")
                      .in("dimensionless"))
          .when_given("neighbours"),
      TableSpec::write("<output>_spatial_members", "one row per region of each group")
          .column(ColumnSpec::ints("group"))
          .column(cluster())
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::of("region"))
          .when_given("neighbours"),
  };
}

// ---------------------------------------------------------------------------------------------
// Templates

/// The clusters kept (at least one template row after the roles filter), in key order.
struct Templates {
  const Table* table = nullptr;     // the templates table, for messages naming its rows
  Levels levels;                    // of the cluster column
  std::vector<std::int32_t> level;  // per kept cluster: its level
  std::vector<std::string> name;    // per kept cluster: its key as text
  std::vector<std::vector<std::string>> industries;  // per kept cluster
  std::vector<std::vector<std::size_t>> rows;        // per kept cluster: the row of each industry
};

/// Whether template row `row` passes the `roles` filter.
bool role_kept(const Table& t, const Params& p, std::size_t row) {
  if (!p.has("roles")) return true;
  const Column* role = t.find(p.str("template_role"));
  if (!role)
    throw ParamError("roles", "table '" + p.str("templates") + "' has no role column '" +
                                  p.str("template_role") + "' to filter by");
  const std::vector<std::string> roles = p.strings("roles");
  return std::find(roles.begin(), roles.end(), role->to_text(row)) != roles.end();
}

/// Per cluster level: its industries and their rows. Missing keys and duplicates are DataErrors.
void collect_templates(const Table& t, const Params& p, Templates& out,
                       std::vector<std::vector<std::string>>& ind,
                       std::vector<std::vector<std::size_t>>& rows) {
  const Column& cluster = t.column(p.str("template_cluster"));
  const Column& industry = t.column(p.str("template_industry"));
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (!cluster.is_valid(row) || !industry.is_valid(row))
      throw DataError(t.row_name(row) + ": template row without a cluster or an industry");
    if (!role_kept(t, p, row)) continue;
    const auto l = static_cast<std::size_t>(out.levels.level(cluster, row));
    const std::string name = industry.to_text(row);
    const auto& seen = ind[l];
    if (const auto at = std::find(seen.begin(), seen.end(), name); at != seen.end())
      throw DataError("template cluster '" + out.levels.labels[l] + "' lists industry '" + name +
                      "' twice" + t.lines_note(rows[l][at - seen.begin()], row));
    ind[l].push_back(name);
    rows[l].push_back(row);
  }
}

Templates read_templates(const Table& t, const Params& p) {
  Templates out;
  out.table = &t;
  out.levels = levels_of(t.column(p.str("template_cluster")), false);
  std::vector<std::vector<std::string>> ind(out.levels.size());
  std::vector<std::vector<std::size_t>> rows(out.levels.size());
  collect_templates(t, p, out, ind, rows);
  for (std::size_t l = 0; l < ind.size(); ++l) {
    if (ind[l].empty()) continue;  // every row filtered out by roles
    out.level.push_back(static_cast<std::int32_t>(l));
    out.name.push_back(out.levels.labels[l]);
    out.industries.push_back(std::move(ind[l]));
    out.rows.push_back(std::move(rows[l]));
  }
  if (out.level.empty())
    throw DataError("table '" + p.str("templates") +
                    "' has no template row with one of the roles given in parameter 'roles'");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Concordance and cluster weights

/// Template industry -> (cube industry, share).
using Concordance = std::map<std::string, std::vector<std::pair<std::size_t, double>>>;

/// One concordance row, checked: its share in [0, 1] and, when a template uses its template
/// industry (`used`), its regional industry in the cube. The industry is -1 for an unused row
/// whose regional industry is not in the cube (e.g. a section without regional data): ignored.
std::pair<std::int32_t, double> concordance_row(const Table& t, const Params& p, const Cube& cube,
                                                const std::set<std::string>& used,
                                                std::size_t row) {
  const Column& to = t.column(p.str("concordance_to"));
  const Column& share = t.column(p.str("concordance_share"));
  const Column& from = t.column(p.str("concordance_from"));
  if (!from.is_valid(row) || !to.is_valid(row) || !share.is_valid(row))
    throw DataError(t.row_name(row) + ": concordance row with a missing cell");
  const double s = share.number(row);
  if (!(s >= 0 && s <= 1))
    throw DataError("concordance share " + format_number(s) + " of '" + from.to_text(row) +
                    "' -> '" + to.to_text(row) + "' is outside [0, 1]" + t.line_note(row));
  const std::int32_t i = cube.industries().find(to.to_text(row));
  if (i < 0 && used.count(from.to_text(row)))
    throw DataError("concordance maps template industry '" + from.to_text(row) + "' to industry '" +
                    to.to_text(row) + "', which is not in table '" + p.str("input") + "'" +
                    t.line_note(row));
  return {i, s};
}

/// The concordance rows with a regional industry in the cube; their shares into one regional
/// industry may not sum to more than 1 (the industry would be counted more than once).
Concordance read_concordance(const Table& t, const Params& p, const Cube& cube,
                             const std::set<std::string>& used) {
  Concordance c;
  std::vector<double> into(cube.n_industries(), 0.0);
  const Column& from = t.column(p.str("concordance_from"));
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const auto [i, s] = concordance_row(t, p, cube, used, row);
    if (i < 0) continue;
    auto& targets = c[from.to_text(row)];
    for (const auto& target : targets)
      if (target.first == static_cast<std::size_t>(i))
        throw DataError("concordance maps '" + from.to_text(row) + "' to industry '" +
                        cube.industries().labels[i] + "' twice" + t.line_note(row));
    targets.emplace_back(static_cast<std::size_t>(i), s);
    into[i] += s;
  }
  for (std::size_t i = 0; i < into.size(); ++i)
    if (into[i] > 1 + kShareTolerance)
      throw DataError("concordance shares into industry '" + cube.industries().labels[i] +
                      "' sum to " + format_number(into[i]) + " > 1");
  return c;
}

/// Every template industry of the kept clusters.
std::set<std::string> used_industries(const Templates& tpl) {
  std::set<std::string> used;
  for (const auto& list : tpl.industries) used.insert(list.begin(), list.end());
  return used;
}

/// Per cluster: the weight w_i of every cube industry, whether shares < 1 were used, and which
/// template industries were taken by shares < 1.
struct Weights {
  std::vector<std::vector<double>> w;
  std::vector<std::int64_t> approximated;
  std::set<std::string> by_share;
};

/// The (cube industry, share) pairs of the j-th template industry of cluster k.
std::vector<std::pair<std::size_t, double>> targets_of(const Templates& tpl, std::size_t k,
                                                       std::size_t j, const Cube& cube,
                                                       const Concordance* conc, const Params& p) {
  const std::string& name = tpl.industries[k][j];
  const std::string where = "template cluster '" + tpl.name[k] + "' of table '" +
                            p.str("templates") + "'" + tpl.table->line_note(tpl.rows[k][j]);
  if (conc) {
    const auto at = conc->find(name);
    if (at == conc->end())
      throw DataError(where + ": industry '" + name + "' is not in the concordance ('" +
                      p.str("concordance") + "')");
    return at->second;
  }
  const std::int32_t i = cube.industries().find(name);
  if (i < 0)
    throw DataError(where + ": industry '" + name + "' is not an industry of table '" +
                    p.str("input") + "' (give a concordance when the templates are finer)");
  return {{static_cast<std::size_t>(i), 1.0}};
}

/// The template weight of row `row` (1 without template_weight); outside [0, 1] a DataError.
double template_weight(const Table& t, const Params& p, std::size_t row) {
  if (!p.has("template_weight")) return 1.0;
  const Column& weight = t.column(p.str("template_weight"));
  const double v = weight.is_valid(row) ? weight.number(row) : -1.0;
  if (!(v >= 0 && v <= 1))
    throw DataError(t.row_name(row) + ": template weight '" + weight.to_text(row) +
                    "' is not in [0, 1]");
  return v;
}

/// Adds cluster k's template industries to its weights `w`; true when a share < 1 was used.
bool add_cluster(const Templates& tpl, std::size_t k, const Cube& cube, const Concordance* conc,
                 const Params& p, std::vector<double>& w, std::set<std::string>& by_share) {
  bool approx = false;
  for (std::size_t j = 0; j < tpl.industries[k].size(); ++j) {
    const double tw = template_weight(*tpl.table, p, tpl.rows[k][j]);
    for (const auto& [i, s] : targets_of(tpl, k, j, cube, conc, p)) {
      w[i] += tw * s;
      if (s < 1) {
        approx = true;
        by_share.insert(tpl.industries[k][j]);
      }
    }
  }
  return approx;
}

Weights cluster_weights(const Templates& tpl, const Cube& cube, const Concordance* conc,
                        const Params& p) {
  Weights out;
  for (std::size_t k = 0; k < tpl.name.size(); ++k) {
    std::vector<double> w(cube.n_industries(), 0.0);
    out.approximated.push_back(add_cluster(tpl, k, cube, conc, p, w, out.by_share) ? 1 : 0);
    out.w.push_back(std::move(w));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sizes, totals, the per-region table

/// Dense results: region totals per (y, r), cluster sizes per (y, k, r), national sums.
struct Sizes {
  std::size_t R = 0, K = 0;
  std::vector<double> total;          // y * R + r
  std::vector<std::uint8_t> present;  // y * R + r: the region has a row in year y
  std::vector<double> total_n;        // y
  std::vector<double> size;           // (y * K + k) * R + r
  std::vector<double> size_n;         // y * K + k
};

/// Region totals; a region with rows but a zero total in a year is a DataError.
void region_totals(const Cube& cube, Sizes& s) {
  const std::size_t R = cube.n_regions(), I = cube.n_industries();
  s.total.assign(cube.n_years() * R, 0.0);
  s.present.assign(cube.n_years() * R, 0);
  s.total_n.assign(cube.n_years(), 0.0);
  for (std::size_t y = 0; y < cube.n_years(); ++y)
    for (std::size_t r = 0; r < R; ++r) {
      for (std::size_t i = 0; i < I; ++i) {
        s.total[y * R + r] += cube.value(cube.cell(y, r, i));
        if (cube.present(cube.cell(y, r, i))) s.present[y * R + r] = 1;
      }
      if (s.present[y * R + r] && !(s.total[y * R + r] > 0))
        throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                        cube.options().value + "' in " + cube.where_year(y) +
                        ": its cluster LQs are undefined");
      s.total_n[y] += s.total[y * R + r];
    }
}

Sizes cluster_sizes(const Cube& cube, const Weights& w) {
  Sizes s;
  s.R = cube.n_regions();
  s.K = w.w.size();
  region_totals(cube, s);
  s.size.assign(cube.n_years() * s.K * s.R, 0.0);
  s.size_n.assign(cube.n_years() * s.K, 0.0);
  std::vector<double> values(cube.n_industries());
  for (std::size_t y = 0; y < cube.n_years(); ++y)
    for (std::size_t r = 0; r < s.R; ++r) {
      if (!s.present[y * s.R + r]) continue;
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = cube.value(cube.cell(y, r, i));
      for (std::size_t k = 0; k < s.K; ++k) {
        const double v = cluster_size(w.w[k], values);
        s.size[(y * s.K + k) * s.R + r] = v;
        s.size_n[y * s.K + k] += v;
      }
    }
  return s;
}

/// The share of region r in the national cluster, undefined where the national size is 0.
std::optional<double> share_of(const Sizes& s, std::size_t y, std::size_t k, std::size_t r) {
  const double n = s.size_n[y * s.K + k];
  if (!(n > 0)) return std::nullopt;
  return s.size[(y * s.K + k) * s.R + r] / n;
}

std::optional<double> lq_of(const Sizes& s, std::size_t y, std::size_t k, std::size_t r) {
  return cluster_lq(s.size[(y * s.K + k) * s.R + r], s.total[y * s.R + r], s.size_n[y * s.K + k],
                    s.total_n[y]);
}

/// A float column with validity from optionals.
struct Floats {
  std::vector<double> v;
  std::vector<std::uint8_t> valid;
  void push(std::optional<double> x) {
    v.push_back(x.value_or(0.0));
    valid.push_back(x ? 1 : 0);
  }
};

void write_regions(RunContext& ctx, const Cube& cube, const Templates& tpl, const Weights& w,
                   const Sizes& s, const Thresholds& t) {
  std::vector<std::int32_t> year, cluster, region;
  std::vector<double> size;
  Floats share, lq;
  std::vector<std::string> strong;
  std::vector<std::int64_t> approx;
  for (std::size_t y = 0; y < cube.n_years(); ++y)
    for (std::size_t k = 0; k < s.K; ++k)
      for (std::size_t r = 0; r < s.R; ++r) {
        if (!s.present[y * s.R + r]) continue;  // the region has no row in this year
        year.push_back(static_cast<std::int32_t>(y));
        cluster.push_back(tpl.level[k]);
        region.push_back(static_cast<std::int32_t>(r));
        size.push_back(s.size[(y * s.K + k) * s.R + r]);
        share.push(share_of(s, y, k, r));
        lq.push(lq_of(s, y, k, r));
        strong.push_back(strength(size.back(), lq_of(s, y, k, r), share_of(s, y, k, r), t));
        approx.push_back(w.approximated[k]);
      }
  OutputTable out = ctx.output();
  out.set(cube.regions().make_column(cube.options().region, region));
  out.set(tpl.levels.make_column("cluster", cluster));
  if (cube.has_year()) out.set(cube.years().make_column(cube.options().year, year));
  out.set("size", std::move(size));
  out.set("share", std::move(share.v), std::move(share.valid));
  out.set("lq", std::move(lq.v), std::move(lq.valid));
  out.set("strength", strong);
  if (out.has("approximated")) out.set("approximated", std::move(approx));
  ctx.write(std::move(out));
}

// ---------------------------------------------------------------------------------------------
// Spatial clusters

using Edges = std::vector<std::pair<std::size_t, std::size_t>>;

/// The neighbour pairs as cube region indexes; pairs naming a region that is not in the cube are
/// skipped with one warning naming those regions (neighbour lists often cover more regions).
Edges read_neighbours(RunContext& ctx, const Table& t, const Params& p, const Cube& cube) {
  const Column& from = t.column(p.str("neighbour_from"));
  const Column& to = t.column(p.str("neighbour_to"));
  Edges edges;
  std::set<std::string> unknown;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (!from.is_valid(row) || !to.is_valid(row))
      throw DataError(t.row_name(row) + ": neighbour pair with a missing region");
    const std::int32_t a = cube.regions().find(from.to_text(row));
    const std::int32_t b = cube.regions().find(to.to_text(row));
    if (a < 0) unknown.insert(from.to_text(row));
    if (b < 0) unknown.insert(to.to_text(row));
    if (a >= 0 && b >= 0 && a != b)
      edges.emplace_back(static_cast<std::size_t>(a), static_cast<std::size_t>(b));
  }
  if (!unknown.empty()) {
    std::string names;
    for (const std::string& u : unknown) names += (names.empty() ? "'" : ", '") + u + "'";
    ctx.log(LogLevel::kWarn, "table '" + p.str("neighbours") + "' names region(s) " + names +
                                 " not in table '" + p.str("input") + "': their pairs are ignored");
  }
  return edges;
}

/// The spatial_by indicator of region r, or nullopt where it is undefined.
std::optional<double> indicator(const std::string& by, const Sizes& s, std::size_t y, std::size_t k,
                                std::size_t r) {
  if (by == "lq") return lq_of(s, y, k, r);
  if (by == "share") return share_of(s, y, k, r);
  return s.size[(y * s.K + k) * s.R + r];
}

/// The rows of the two spatial tables.
struct SpatialRows {
  std::vector<std::int64_t> group, n_regions, m_group;
  std::vector<std::int32_t> cluster, year, m_cluster, m_year, m_region;
  std::vector<std::string> regions;
  std::vector<double> size, total;
  Floats lq;
};

void add_group(SpatialRows& o, const std::vector<std::size_t>& g, std::int64_t id,
               std::int32_t cluster, std::size_t y, std::size_t k, const Sizes& s,
               const Cube& cube) {
  double size = 0, total = 0;
  std::string names;
  for (const std::size_t r : g) {
    size += s.size[(y * s.K + k) * s.R + r];
    total += s.total[y * s.R + r];
    names += (names.empty() ? "" : "+") + cube.regions().labels[r];
    o.m_group.push_back(id);
    o.m_cluster.push_back(cluster);
    o.m_year.push_back(static_cast<std::int32_t>(y));
    o.m_region.push_back(static_cast<std::int32_t>(r));
  }
  o.group.push_back(id);
  o.cluster.push_back(cluster);
  o.year.push_back(static_cast<std::int32_t>(y));
  o.n_regions.push_back(static_cast<std::int64_t>(g.size()));
  o.regions.push_back(names);
  o.size.push_back(size);
  o.total.push_back(total);
  o.lq.push(cluster_lq(size, total, s.size_n[y * s.K + k], s.total_n[y]));
}

SpatialRows spatial_rows(const Params& p, const Cube& cube, const Templates& tpl, const Sizes& s,
                         const Edges& edges) {
  SpatialRows o;
  const std::string by = p.str("spatial_by");
  const double threshold = p.real("spatial_threshold");
  const auto min_regions = static_cast<std::size_t>(p.integer("min_regions"));
  for (std::size_t y = 0; y < cube.n_years(); ++y)
    for (std::size_t k = 0; k < s.K; ++k) {
      std::vector<std::uint8_t> qualifies(s.R, 0);
      for (std::size_t r = 0; r < s.R; ++r) {
        const std::optional<double> v = indicator(by, s, y, k, r);
        qualifies[r] = s.present[y * s.R + r] && v && *v >= threshold;
      }
      const std::vector<double> size(s.size.begin() + (y * s.K + k) * s.R,
                                     s.size.begin() + (y * s.K + k + 1) * s.R);
      std::int64_t id = 0;
      for (const auto& g : spatial_groups(s.R, edges, qualifies, size, min_regions))
        add_group(o, g, ++id, tpl.level[k], y, k, s, cube);
    }
  return o;
}

void write_spatial(RunContext& ctx, const Cube& cube, const Templates& tpl, SpatialRows o) {
  const CubeOptions& opt = cube.options();
  OutputTable groups = ctx.output("<output>_spatial");
  groups.set("group", std::move(o.group));
  groups.set(tpl.levels.make_column("cluster", o.cluster));
  if (cube.has_year()) groups.set(cube.years().make_column(opt.year, o.year));
  groups.set("n_regions", std::move(o.n_regions));
  groups.set("regions", o.regions);
  groups.set("size", std::move(o.size)).set("total", std::move(o.total));
  groups.set("lq", std::move(o.lq.v), std::move(o.lq.valid));
  ctx.write(std::move(groups));
  OutputTable members = ctx.output("<output>_spatial_members");
  members.set("group", std::move(o.m_group));
  members.set(tpl.levels.make_column("cluster", o.m_cluster));
  if (cube.has_year()) members.set(cube.years().make_column(opt.year, o.m_year));
  members.set(cube.regions().make_column(opt.region, o.m_region));
  ctx.write(std::move(members));
}

// ---------------------------------------------------------------------------------------------

void log_approximations(RunContext& ctx, const Weights& w) {
  if (w.by_share.empty()) return;
  std::string names;
  for (const std::string& n : w.by_share) names += (names.empty() ? "" : ", ") + n;
  ctx.log(LogLevel::kWarn,
          "template industries taken from their regional industries by concordance shares < 1 "
          "(approximated: the national share is assumed in every region): " +
              names);
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Применяет шаблоны кластеров к региональным данным и находит пространственные "
       "кластеры, пересекающие границы регионов"},
      {p.description,
       "Для региона r, кластера c и года: size_rc = сумма по отраслям p шаблона кластера"
       " от sum_i s_pi x_ri, где x_ri — значение региональной отрасли i в регионе, а "
       "s_pi — доля по таблице соответствия (без неё 1 и i = p); share = size_rc / "
       "size_Nc, где национальный размер size_Nc — сумма по регионам таблицы (без "
       "внешней базы); lq = (size_rc / total_r) / (size_Nc / total_N) — коэффициент "
       "локализации кластера, где total_r — итог региона по всем отраслям таблицы, а "
       "total_N — их сумма (Isard 1960; Miller & Blair 2009, разд. 8.5.1, применительно "
       "к размеру кластера).\n"
       "strength: \"strong\" (сильный) там, где lq >= lq_threshold (1,0) и share >= "
       "share_threshold (0,05), \"specialised\" (специализированный: только lq), \"large\" "
       "(крупный: только share), \"weak\" (слабый: ни то ни другое, size > 0), \"absent\" "
       "(отсутствует: size 0) — критерии специализации и размера Европейской кластерной "
       "обсерватории (Ketels & Soelvell 2006) и US Cluster Mapping (Delgado, Porter & "
       "Stern 2014) с порогами в виде параметров.\n"
       "Пространственные кластеры (при заданных соседях): для каждого кластера и года — "
       "компоненты связности графа соседства (ненаправленного), ограниченного регионами,"
       " у которых показатель spatial_by >= spatial_threshold, не менее чем из "
       "min_regions регионов; нумеруются 1, 2, ... по убыванию размера, затем по первому"
       " региону; lq группы = (размер группы / итог группы) / (size_Nc / total_N). Пары "
       "соседей с регионами, которых нет во входных данных, игнорируются с "
       "предупреждением.\n"
       "Каждая строка соседей — ребро (задавайте таблицу смежности, а не k ближайших).\n"
       "Ошибки: отрасль шаблона, которой нет во входных данных (или, при таблице "
       "соответствия, в ней), строка соответствия отрасли шаблона в отрасль, которой нет"
       " во входных данных (прочие такие строки игнорируются), доля вне [0, 1], доли в "
       "одну региональную отрасль с суммой больше 1, отрасль шаблона, указанная в "
       "кластере дважды, регион со строками, но нулевым итогом. У кластера с нулевым "
       "национальным размером share и lq пропущены."},
      {"Cluster LQ by region", "Коэффициент локализации кластера по регионам"},
      {"Regions by cluster LQ", "Регионы по коэффициенту локализации кластера"},
  };
}

class RegionalClusters final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "regional_clusters";
    p.version = "1.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Applies cluster templates to regional data and finds spatial clusters that "
        "cross regional borders";
    p.description = description();
    p.params = all_params();
    p.reads = reads();
    p.writes = writes();
    p.views = {
        ViewSpec::of(ViewKind::kMap, "<output>", "Cluster LQ by region")
            .labels("region")
            .values("lq")
            .picks({"cluster", "year"}),
        ViewSpec::of(ViewKind::kBars, "<output>", "Regions by cluster LQ")
            .labels("region")
            .values("lq")
            .picks({"cluster", "year"}),
    };
    p.translations["ru"] = russian(p);
    return p;
  }

  /// Cluster keys are grouped by value: a float column is refused (ints and strings are exact).
  void bind(BindContext& ctx) const override {
    const Params& p = ctx.params();
    if (ctx.schema_of_param("templates").type_of(p.str("template_cluster")) == ColumnType::kFloat)
      throw ParamError("template_cluster", "column '" + p.str("template_cluster") + "' of table '" +
                                               p.str("templates") +
                                               "' is a float column; cluster keys are int or "
                                               "string");
  }

  void run(RunContext& ctx) const override {
    const Params& p = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const auto cube = Cube::shared(in, cube_options(p, in.schema()));
    if (const std::string note = cube->dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn, note +
                                   ": each is read as 0 in its cluster's size and its region's "
                                   "total");
    const Templates tpl = read_templates(ctx.table_of_param("templates"), p);
    std::optional<Concordance> conc;
    if (p.has("concordance"))
      conc = read_concordance(ctx.table_of_param("concordance"), p, *cube, used_industries(tpl));
    const Weights w = cluster_weights(tpl, *cube, conc ? &*conc : nullptr, p);
    log_approximations(ctx, w);
    const Sizes s = cluster_sizes(*cube, w);
    write_regions(ctx, *cube, tpl, w, s, {p.real("lq_threshold"), p.real("share_threshold")});
    if (!p.has("neighbours")) return;
    const Edges edges = read_neighbours(ctx, ctx.table_of_param("neighbours"), p, *cube);
    write_spatial(ctx, *cube, tpl, spatial_rows(p, *cube, tpl, s, edges));
  }

 private:
  static std::string description() {
    return "Per region r, cluster c and year: size_rc = sum over the cluster's template "
           "industries p of sum_i s_pi x_ri, where x_ri is the region's value of regional "
           "industry i and s_pi the concordance share (1 and i = p without a concordance); "
           "share = size_rc / size_Nc with the national size size_Nc = the sum over the regions "
           "in the table (no external reference); lq = (size_rc / total_r) / (size_Nc / total_N) "
           "with total_r the region's total over all industries of the table and total_N their "
           "sum (Isard 1960; Miller & Blair 2009, sec. 8.5.1, on the cluster's size).\n"
           "strength: \"strong\" where lq >= lq_threshold (1.0) and share >= share_threshold "
           "(0.05), \"specialised\" (lq only), \"large\" (share only), \"weak\" (neither, size > "
           "0), \"absent\" (size 0): the specialisation and size criteria of the European Cluster "
           "Observatory (Ketels & Soelvell 2006) and the US Cluster Mapping (Delgado, Porter & "
           "Stern 2014) with thresholds as parameters.\n"
           "Spatial clusters (with neighbours): per cluster and year, the connected components "
           "of the neighbour graph (undirected) restricted to the regions whose spatial_by "
           "indicator >= spatial_threshold, with at least min_regions regions; numbered 1, 2, ... "
           "by size descending, then first region; lq of a group = (group size / group total) / "
           "(size_Nc / total_N). Neighbour pairs naming regions not in the input are ignored "
           "with a warning.\n"
           "Every row of neighbours is an edge (give a contiguity table, not k-nearest).\n"
           "Errors: a template industry not in the input (or, with a concordance, not in it), a "
           "concordance row of a template industry into an industry not in the input (other "
           "such rows are ignored), a share outside [0, 1], shares into one regional industry "
           "summing to more than 1, a template industry listed twice in a cluster, a region with "
           "rows but a zero total. A cluster with national size 0 has missing share and lq.";
  }
};

}  // namespace

double cluster_size(const std::vector<double>& weights, const std::vector<double>& values) {
  double size = 0;
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] != 0) size += weights[i] * values[i];
  return size;
}

std::optional<double> cluster_lq(double size_r, double total_r, double size_n, double total_n) {
  if (!(size_n > 0) || !(total_r > 0) || !(total_n > 0)) return std::nullopt;
  return (size_r / total_r) / (size_n / total_n);
}

std::string strength(double size, std::optional<double> lq, std::optional<double> share,
                     const Thresholds& t) {
  if (!(size > 0)) return "absent";
  const bool specialised = lq && *lq >= t.lq;
  const bool large = share && *share >= t.share;
  if (specialised && large) return "strong";
  if (specialised) return "specialised";
  if (large) return "large";
  return "weak";
}

namespace {

/// The component of `start` among the qualifying regions (breadth-first), ascending.
std::vector<std::size_t> component(std::size_t start,
                                   const std::vector<std::vector<std::size_t>>& adjacent,
                                   const std::vector<std::uint8_t>& qualifies,
                                   std::vector<std::uint8_t>& seen) {
  std::vector<std::size_t> members;
  std::queue<std::size_t> next;
  next.push(start);
  seen[start] = 1;
  while (!next.empty()) {
    const std::size_t r = next.front();
    next.pop();
    members.push_back(r);
    for (const std::size_t q : adjacent[r])
      if (qualifies[q] && !seen[q]) {
        seen[q] = 1;
        next.push(q);
      }
  }
  std::sort(members.begin(), members.end());
  return members;
}

}  // namespace

std::vector<std::vector<std::size_t>> spatial_groups(
    std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
    const std::vector<std::uint8_t>& qualifies, const std::vector<double>& size,
    std::size_t min_regions) {
  std::vector<std::vector<std::size_t>> adjacent(n);
  for (const auto& [a, b] : edges) {  // undirected: a pair listed once or both ways is one edge
    adjacent[a].push_back(b);
    adjacent[b].push_back(a);
  }
  std::vector<std::uint8_t> seen(n, 0);
  std::vector<std::pair<double, std::vector<std::size_t>>> groups;
  for (std::size_t r = 0; r < n; ++r) {
    if (!qualifies[r] || seen[r]) continue;
    std::vector<std::size_t> g = component(r, adjacent, qualifies, seen);
    if (g.size() < min_regions) continue;
    double total = 0;
    for (const std::size_t q : g) total += size[q];
    groups.emplace_back(total, std::move(g));
  }
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second.front() < b.second.front();
  });
  std::vector<std::vector<std::size_t>> out;
  for (auto& g : groups) out.push_back(std::move(g.second));
  return out;
}

}  // namespace klaster::plugins::regional_clusters

KLASTER_PLUGIN(klaster::plugins::regional_clusters::RegionalClusters)
