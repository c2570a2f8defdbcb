// colocation: the Howard-Newman-Tarp (2016) colocation index CL and excess colocation XCL of every
// pair of industries from plant locations, and the Litzenberger-Sternberg (2006) cluster index of
// every region and industry.
// Howard, Newman & Tarp (2016), Measuring industry coagglomeration and identifying the driving
// forces, J. Econ. Geogr. 16(5); Litzenberger & Sternberg (2006), Der Clusterindex,
// Geographische Zeitschrift 94(2). REAT's howard.cl, howard.xcl, litzenberger, litzenberger2.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "colocation_kernel.hpp"
#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::colocation {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// \brief The plant table and its columns.
std::vector<ParamSpec> plant_params() {
  return {
      ParamSpec("plants", ParamType::kTable)
          .req()
          .primary()
          .doc_("plant table: one row per plant (or per group of plants with `count`): region, "
                "industry, [count], [employment]"),
      ParamSpec("region", ParamType::kColumn)
          .of("plants")
          .def("region")
          .doc_("location (region) key column of `plants`: plants with the same key are colocated"),
      ParamSpec("industry", ParamType::kColumn)
          .of("plants")
          .def("industry")
          .doc_("industry key column of `plants`"),
      ParamSpec("count", ParamType::kColumn)
          .numeric()
          .of("plants")
          .def("count")
          .if_present()
          .doc_("number of plants the row stands for (a whole number >= 0); when the table has no "
                "such column every row is one plant"),
      ParamSpec("employment", ParamType::kColumn)
          .numeric()
          .of("plants")
          .def("employment")
          .if_present()
          .doc_("employment of the row's plants; needed for the cluster index (with `regions`)"),
  };
}

/// \brief The pairs to write, the region table of the cluster index, and missing rows.
std::vector<ParamSpec> other_params() {
  return {
      ParamSpec("industries", ParamType::kStringList)
          .doc_("industries whose pairs are written (two or more); default every industry"),
      ParamSpec("regions", ParamType::kTable)
          .doc_("area and population of every region; when given, the Litzenberger-Sternberg "
                "cluster index is written to <output>_cluster_index"),
      ParamSpec("regions_region", ParamType::kColumn)
          .of("regions")
          .def("region")
          .doc_("region key column of `regions`"),
      ParamSpec("area", ParamType::kColumn)
          .numeric()
          .of("regions")
          .def("area")
          .doc_("area column of `regions` (> 0)"),
      ParamSpec("population", ParamType::kColumn)
          .numeric()
          .of("regions")
          .def("population")
          .doc_("population column of `regions` (> 0)"),
      ParamSpec("missing", ParamType::kString)
          .def("error")
          .one_of({"error", "drop"})
          .doc_("plant rows with a missing key, count or employment: an error, or dropped"),
  };
}

std::vector<TableSpec> tables_read() {
  return {TableSpec::read("plants", "one row per plant or group of plants")
              .column(ColumnSpec::of("region"))
              .column(ColumnSpec::of("industry"))
              .column(ColumnSpec::of("count", "plants in the row, a whole number >= 0"))
              .column(ColumnSpec::of("employment", "employment of the row's plants, >= 0")),
          TableSpec::read("regions", "area and population per region (optional)")
              .when_given("regions")
              .column(ColumnSpec::of("regions_region"))
              .column(ColumnSpec::of("area", "area, > 0"))
              .column(ColumnSpec::of("population", "population, > 0"))};
}

std::vector<TableSpec> tables_written() {
  return {
      TableSpec::write("<output>", "one row per pair of industries")
          .column(ColumnSpec::like("industry1", "industry", "the first industry i"))
          .column(ColumnSpec::like("industry2", "industry", "the second industry j"))
          .column(ColumnSpec::ints("plants1", "N_i, plants of industry i"))
          .column(ColumnSpec::ints("plants2", "N_j, plants of industry j"))
          .column(ColumnSpec::ints("colocated_pairs",
                                   "pairs (plant of i, plant of j) in the same region"))
          .column(
              ColumnSpec::floats("CL", "colocated_pairs / (N_i N_j), in [0, 1]").in("share (0-1)"))
          .column(ColumnSpec::floats("expected_CL",
                                     "E[CL] with the industry labels of the N_i + N_j plants "
                                     "permuted at random, locations fixed")
                      .in("share (0-1)"))
          .column(ColumnSpec::floats("XCL", "CL - expected_CL, > 0 = colocated beyond chance")
                      .in("share (0-1)")),
      TableSpec::write("<output>_cluster_index",
                       "one row per region and industry with a row in `plants`")
          .when_given("regions")
          .column(ColumnSpec::of("region"))
          .column(ColumnSpec::of("industry"))
          .column(ColumnSpec::floats("employment", "e_ij").in("<employment>"))
          .column(ColumnSpec::ints("plants", "b_ij, firms (plants)"))
          .column(
              ColumnSpec::floats("density", "IDI = (e_ij / a_j) / (e_i / a)").in("dimensionless"))
          .column(ColumnSpec::floats("stock", "IS = (e_ij / p_j) / (e_i / p)").in("dimensionless"))
          .column(ColumnSpec::floats("firm_size",
                                     "SBR = (e_ij / b_ij) / (e_i / b_i); missing for b_ij = 0")
                      .in("dimensionless"))
          .column(ColumnSpec::floats("CI", "IDI * IS / SBR, Litzenberger-Sternberg cluster index")
                      .in("dimensionless"))};
}

/// \brief The plant rows kept, with their region and industry levels, counts and employment.
struct Plants {
  Levels regions, industries;
  std::vector<std::size_t> region, industry;  // per kept row: levels
  std::vector<double> count, employment;      // per kept row (employment only with `regions`)
  std::vector<std::uint8_t> industry_used;    // per industry level: has a kept row
};

/// \brief The columns of <output>, one pair at a time.
struct PairRows {
  std::vector<std::int32_t> first, second;
  std::vector<std::int64_t> plants1, plants2, colocated;
  std::vector<double> cl, expected, xcl;
  std::vector<std::uint8_t> valid;
};

/// \brief The columns of <output>_cluster_index, one region-industry at a time.
struct IndexRows {
  std::vector<std::int32_t> region, industry;
  std::vector<double> employment, density, stock, firm_size, ci;
  std::vector<std::int64_t> plants;
  std::vector<std::uint8_t> valid, size_valid;
};

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет коллокацию пар отраслей по Говарду — Ньюману — Тарпу и кластерный "
       "индекс Литценбергера — Штернберга по размещению предприятий"},
      {p.description,
       "Пары (<output>): отрасли i и j с N_i и N_j предприятиями, n_ir из которых "
       "находятся в регионе r. Howard, Newman & Tarp (2016): CL_ij = sum_r n_ir n_jr / "
       "(N_i N_j) — доля из N_i N_j перекрёстных пар предприятий, находящихся в одном "
       "месте (howard.cl в REAT). При их нулевой гипотезе отраслевые метки N_i + N_j "
       "предприятий случайно переставляются при фиксированных местах; математическое "
       "ожидание вычисляется точно, E[CL] = sum_r m_r (m_r - 1) / (K (K - 1)), где m_r ="
       " n_ir + n_jr и K = N_i + N_j, и XCL = CL - E[CL] (howard.xcl в REAT усредняет CL"
       " по no.samples = 50 случайным перестановкам, что сходится к этому). Предприятия "
       "считаются штуками, без взвешивания по занятости (как в статье). Записываются все"
       " пары отраслей или пары из `industries`.\n"
       "Кластерный индекс (<output>_cluster_index, при заданной `regions`): Litzenberger"
       " & Sternberg (2006), для отрасли i в регионе j с занятостью e_ij, числом фирм "
       "b_ij (предприятий), площадью a_j и населением p_j: IDI = (e_ij/a_j)/(e_i/a), IS "
       "= (e_ij/p_j)/(e_i/p), SBR = (e_ij/b_ij)/(e_i/b_i), CI = IDI * IS / SBR "
       "(litzenberger / litzenberger2 в REAT). e_i и b_i — итоги отрасли по `plants`; a "
       "и p — итоги по таблице `regions` (REAT суммирует регионы, имеющиеся в его "
       "данных: чтобы совпасть, задайте таблицу `regions` с этими регионами). CI "
       "вычисляется как e_ij b_ij a p / (a_j p_j e_i b_i), 0 при e_ij = 0 (в REAT — "
       "NaN).\n"
       "Источники: Howard, E., Newman, C. & Tarp, F. (2016), J. Econ. Geogr. 16(5), "
       "1055-1078; Litzenberger, T. & Sternberg, R. (2006), Geographische Zeitschrift "
       "94(2), 209-224; Farhauer & Kroell (2014), Standorttheorien (разобранный пример)."},
  };
}

class ColocationPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "colocation";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Computes the Howard-Newman-Tarp colocation of industry pairs and the "
        "Litzenberger-Sternberg cluster index from plant locations";
    p.description =
        "Pairs (<output>): industries i and j with N_i and N_j plants, n_ir of them in region r. "
        "Howard, Newman & Tarp (2016): CL_ij = sum_r n_ir n_jr / (N_i N_j), the share of the "
        "N_i N_j cross pairs of plants that are in the same location (REAT's howard.cl). Under "
        "their null the industry labels of the N_i + N_j plants are reassigned at random with the "
        "locations fixed; the expectation is computed exactly, E[CL] = sum_r m_r (m_r - 1) / "
        "(K (K - 1)) with m_r = n_ir + n_jr and K = N_i + N_j, and XCL = CL - E[CL] (REAT's "
        "howard.xcl averages CL over no.samples = 50 random permutations, which converges to "
        "this). Plants are counted, not weighted by employment (as in the paper). Every pair of "
        "industries is written, or the pairs of `industries`.\n"
        "Cluster index (<output>_cluster_index, with `regions`): Litzenberger & Sternberg (2006), "
        "for industry i in region j with employment e_ij, firms b_ij (plants), area a_j and "
        "population p_j: IDI = (e_ij/a_j)/(e_i/a), IS = (e_ij/p_j)/(e_i/p), SBR = "
        "(e_ij/b_ij)/(e_i/b_i), CI = IDI * IS / SBR (REAT's litzenberger / litzenberger2). e_i and "
        "b_i are the industry's totals over `plants`; a and p the totals over the `regions` table "
        "(REAT sums the regions present in its data: give a `regions` table with those regions to "
        "match). CI is evaluated as e_ij b_ij a p / (a_j p_j e_i b_i), 0 for e_ij = 0 (REAT: "
        "NaN).\n"
        "References: Howard, E., Newman, C. & Tarp, F. (2016), J. Econ. Geogr. 16(5), 1055-1078; "
        "Litzenberger, T. & Sternberg, R. (2006), Geographische Zeitschrift 94(2), 209-224; "
        "Farhauer & Kroell (2014), Standorttheorien (the worked example).";
    p.params = plant_params();
    const std::vector<ParamSpec> other = other_params();
    p.params.insert(p.params.end(), other.begin(), other.end());
    p.reads = tables_read();
    p.writes = tables_written();
    p.translations["ru"] = russian(p);
    return p;
  }

  /// Key types, the industry list and the employment the cluster index needs.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& plants = ctx.schema_of_param("plants");
    for (const char* key : {"industry", "region"}) ctx.check_key_column("plants", key);
    if (params.has("industries")) check_industries(params.strings("industries"));
    if (!params.has("regions")) return;
    if (!plants.has(params.str("employment")))
      throw ParamError("employment",
                       "the cluster index (parameter `regions`) needs employment, "
                       "but table '" +
                           params.str("plants") + "' has no column '" + params.str("employment") +
                           "'");
    const Schema& regions = ctx.schema_of_param("regions");
    if (*regions.type_of(params.str("regions_region")) != *plants.type_of(params.str("region")))
      throw ParamError("regions_region",
                       "region columns of `plants` and `regions` have different types");
  }

  void run(RunContext& ctx) const override {
    const Plants plants = read_plants(ctx);
    write_pairs(ctx, plants);
    if (ctx.params().has("regions")) write_cluster_index(ctx, plants);
  }

 private:
  static void check_industries(const std::vector<std::string>& industries) {
    if (industries.size() < 2)
      throw ParamError("industries",
                       "colocation needs at least two industries in `industries`, "
                       "got " +
                           std::to_string(industries.size()));
    std::set<std::string> seen;
    for (const auto& i : industries)
      if (!seen.insert(i).second)
        throw ParamError("industries", "industry '" + i + "' is listed twice in `industries`");
  }

  /// Whether plant row `row` is complete; false for a row dropped with missing = "drop".
  static bool complete(const RunContext& ctx, const Plants& p, const Column* count,
                       const Column* emp, std::size_t row) {
    const auto ok_number = [row](const Column* c) {
      return !c || (c->is_valid(row) && std::isfinite(c->number(row)));
    };
    const bool ok = p.regions.of_row[row] >= 0 && p.industries.of_row[row] >= 0 &&
                    ok_number(count) && ok_number(emp);
    if (ok || ctx.params().str("missing") == "drop") return ok;
    const Table& table = ctx.table_of_param("plants");
    throw DataError(table.row_name(row) + " of table '" + ctx.params().str("plants") +
                    "' has a missing region, industry, count or employment (set missing = "
                    "\"drop\" to skip such rows)");
  }

  /// The complete plant rows; a count that is not a whole number >= 0 and negative employment
  /// are errors.
  static Plants read_plants(const RunContext& ctx) {
    const Params& params = ctx.params();
    const Table& table = ctx.table_of_param("plants");
    Plants p{levels_of(table.column(params.str("region"))),
             levels_of(table.column(params.str("industry"))),
             {},
             {},
             {},
             {},
             {}};
    p.industry_used.assign(p.industries.size(), 0);
    const Column* count = table.find(params.str("count"));
    const Column* emp = params.has("regions") ? table.find(params.str("employment")) : nullptr;
    for (std::size_t row = 0; row < table.rows(); ++row) {
      if (!complete(ctx, p, count, emp, row)) continue;
      const auto r = static_cast<std::size_t>(p.regions.of_row[row]);
      const auto i = static_cast<std::size_t>(p.industries.of_row[row]);
      const std::string where = "region '" + p.regions.labels[r] + "', industry '" +
                                p.industries.labels[i] + "'" + table.line_note(row);
      const double n = count ? count->number(row) : 1.0;
      if (n < 0 || n != std::floor(n) || n > 9e15)
        throw DataError("plant count " + format_number(n) + " of " + where +
                        " is not a whole number >= 0");
      const double e = emp ? emp->number(row) : 0.0;
      if (e < 0) throw DataError("negative employment " + format_number(e) + " of " + where);
      p.region.push_back(r), p.industry.push_back(i), p.count.push_back(n);
      p.employment.push_back(e);
      p.industry_used[i] = 1;
    }
    return p;
  }

  /// The industries whose pairs are written: `industries` in its order, or every industry with
  /// plants in level order.
  static std::vector<std::size_t> selected(const RunContext& ctx, const Plants& p) {
    const Params& params = ctx.params();
    std::vector<std::size_t> out;
    if (!params.has("industries")) {
      for (std::size_t i = 0; i < p.industries.size(); ++i)
        if (p.industry_used[i]) out.push_back(i);
      if (out.size() < 2)
        throw DataError("colocation needs plants of at least two industries; table '" +
                        params.str("plants") + "' has " + std::to_string(out.size()));
      return out;
    }
    for (const auto& name : params.strings("industries")) {
      const std::int32_t l = p.industries.find(name);
      if (l < 0 || !p.industry_used[static_cast<std::size_t>(l)])
        throw DataError("industry '" + name + "' of `industries` has no plants in table '" +
                        params.str("plants") + "'");
      out.push_back(static_cast<std::size_t>(l));
    }
    return out;
  }

  /// Plant counts n_ir of the selected industries (rows, in their order) by region (columns).
  static Eigen::MatrixXd count_matrix(const Plants& p, const std::vector<std::size_t>& sel) {
    std::vector<std::ptrdiff_t> pos(p.industries.size(), -1);
    for (std::size_t k = 0; k < sel.size(); ++k) pos[sel[k]] = static_cast<std::ptrdiff_t>(k);
    Eigen::MatrixXd n = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(sel.size()),
                                              static_cast<Eigen::Index>(p.regions.size()));
    for (std::size_t k = 0; k < p.count.size(); ++k)
      if (pos[p.industry[k]] >= 0)
        n(pos[p.industry[k]], static_cast<Eigen::Index>(p.region[k])) += p.count[k];
    return n;
  }

  /// One row per pair a < b of the selected industries (`sel`), from the Gram matrix `s` of
  /// their plant counts and their totals; a pair with an industry of zero plants is missing.
  static PairRows pair_rows(const std::vector<std::size_t>& sel, const Eigen::MatrixXd& s,
                            const Eigen::VectorXd& total) {
    PairRows rows;
    for (Eigen::Index a = 0; a < total.size(); ++a)
      for (Eigen::Index b = a + 1; b < total.size(); ++b) {
        const bool ok = total(a) > 0 && total(b) > 0;
        const Colocation c =
            ok ? colocation_of_counts(s(a, b), s(a, a), s(b, b), total(a), total(b))
               : Colocation{total(a), total(b), s(a, b), kNaN, kNaN, kNaN};
        rows.first.push_back(static_cast<std::int32_t>(sel[static_cast<std::size_t>(a)]));
        rows.second.push_back(static_cast<std::int32_t>(sel[static_cast<std::size_t>(b)]));
        rows.plants1.push_back(std::llround(c.plants_i));
        rows.plants2.push_back(std::llround(c.plants_j));
        rows.colocated.push_back(std::llround(c.colocated));
        rows.cl.push_back(c.cl), rows.expected.push_back(c.expected), rows.xcl.push_back(c.xcl);
        rows.valid.push_back(ok ? 1 : 0);
      }
    return rows;
  }

  static void write_pairs(RunContext& ctx, const Plants& p) {
    const std::vector<std::size_t> sel = selected(ctx, p);
    const Eigen::MatrixXd n = count_matrix(p, sel);
    const Eigen::VectorXd total = n.rowwise().sum();
    for (Eigen::Index a = 0; a < total.size(); ++a)
      if (total(a) == 0)
        ctx.log(LogLevel::kWarn, "industry '" +
                                     p.industries.labels[sel[static_cast<std::size_t>(a)]] +
                                     "' has zero plants (every count is 0): its CL is missing");
    PairRows rows = pair_rows(sel, colocated_pairs(n), total);
    OutputTable out = ctx.output();
    out.set(p.industries.make_column("industry1", rows.first));
    out.set(p.industries.make_column("industry2", rows.second));
    out.set("plants1", std::move(rows.plants1));
    out.set("plants2", std::move(rows.plants2));
    out.set("colocated_pairs", std::move(rows.colocated));
    out.set("CL", std::move(rows.cl), rows.valid);
    out.set("expected_CL", std::move(rows.expected), rows.valid);
    out.set("XCL", std::move(rows.xcl), std::move(rows.valid));
    ctx.write(std::move(out));
  }

  /// Area and population of every plant region (by region level) and their totals a, p over
  /// the `regions` table.
  struct RegionData {
    std::vector<double> area, population;
    double a = 0, p = 0;
  };

  /// The rows of `regions`: one positive area and population per region, summed into a and p.
  static std::map<std::string, std::pair<double, double>> read_regions(const RunContext& ctx,
                                                                       RegionData& d) {
    const Params& params = ctx.params();
    const Table& t = ctx.table_of_param("regions");
    const Column& key = t.column(params.str("regions_region"));
    std::map<std::string, std::pair<double, double>> out;
    for (std::size_t row = 0; row < t.rows(); ++row) {
      if (!key.is_valid(row))
        throw DataError(t.row_name(row) + " of table '" + params.str("regions") +
                        "' has a missing region");
      const std::string label = key.to_text(row);
      double v[2];
      const char* names[2] = {"area", "population"};
      for (int k = 0; k < 2; ++k) {
        const Column& c = t.column(params.str(names[k]));
        v[k] = c.is_valid(row) ? c.number(row) : kNaN;
        if (!(v[k] > 0) || !std::isfinite(v[k]))
          throw DataError("region '" + label + "' has " + std::string(names[k]) + " " +
                          (c.is_valid(row) ? format_number(v[k]) : "missing") + t.line_note(row) +
                          "; the cluster index needs a positive " + names[k]);
      }
      if (!out.emplace(label, std::pair(v[0], v[1])).second)
        throw DataError("region '" + label + "' has more than one row in table '" +
                        params.str("regions") + "'" + t.line_note(row));
      d.a += v[0], d.p += v[1];
    }
    return out;
  }

  /// Area and population of each plant region; a plant region missing from `regions` is an error.
  static RegionData region_data(const RunContext& ctx, const Plants& p) {
    RegionData d;
    const auto table = read_regions(ctx, d);
    std::vector<std::uint8_t> used(p.regions.size(), 0);
    for (const std::size_t r : p.region) used[r] = 1;
    d.area.assign(p.regions.size(), kNaN), d.population.assign(p.regions.size(), kNaN);
    std::string unmatched;
    for (std::size_t r = 0; r < p.regions.size(); ++r) {
      if (!used[r]) continue;
      const auto it = table.find(p.regions.labels[r]);
      if (it == table.end())
        unmatched += (unmatched.empty() ? "'" : ", '") + p.regions.labels[r] + "'";
      else
        d.area[r] = it->second.first, d.population[r] = it->second.second;
    }
    if (!unmatched.empty())
      throw DataError("plants in region(s) " + unmatched +
                      " have no area and population in "
                      "table '" +
                      ctx.params().str("regions") + "'; add them to it");
    return d;
  }

  /// e_ij and b_ij per region x industry cell (r * I + i), which cells have rows, and the
  /// industries' totals e_i, b_i.
  struct Cells {
    std::vector<double> e, b, e_i, b_i;
    std::vector<std::uint8_t> present;
  };

  static Cells cells_of(const Plants& p) {
    const std::size_t I = p.industries.size(), cells = p.regions.size() * I;
    Cells c{std::vector<double>(cells, 0.0), std::vector<double>(cells, 0.0),
            std::vector<double>(I, 0.0), std::vector<double>(I, 0.0),
            std::vector<std::uint8_t>(cells, 0)};
    for (std::size_t k = 0; k < p.count.size(); ++k) {
      const std::size_t cell = p.region[k] * I + p.industry[k];
      c.e[cell] += p.employment[k], c.b[cell] += p.count[k], c.present[cell] = 1;
      c.e_i[p.industry[k]] += p.employment[k], c.b_i[p.industry[k]] += p.count[k];
    }
    return c;
  }

  /// The index of every cell with rows. Employment without plants is an error; an industry
  /// without employment has no index (missing, with a warning).
  static IndexRows index_rows(RunContext& ctx, const Plants& p, const RegionData& d,
                              const Cells& c) {
    const std::size_t I = p.industries.size();
    for (std::size_t i = 0; i < I; ++i)
      if (p.industry_used[i] && c.e_i[i] == 0)
        ctx.log(LogLevel::kWarn, "industry '" + p.industries.labels[i] +
                                     "' has zero employment: its cluster index is missing");
    IndexRows rows;
    for (std::size_t cell = 0; cell < c.present.size(); ++cell) {
      if (!c.present[cell]) continue;
      const std::size_t r = cell / I, i = cell % I;
      if (c.b[cell] == 0 && c.e[cell] > 0)
        throw DataError("region '" + p.regions.labels[r] + "', industry '" +
                        p.industries.labels[i] + "' has employment " + format_number(c.e[cell]) +
                        " but zero plants");
      const bool ok = c.e_i[i] > 0;
      const ClusterIndex x = litzenberger_sternberg(c.e[cell], c.e_i[i], d.area[r], d.a,
                                                    d.population[r], d.p, c.b[cell], c.b_i[i]);
      rows.region.push_back(static_cast<std::int32_t>(r));
      rows.industry.push_back(static_cast<std::int32_t>(i));
      rows.employment.push_back(c.e[cell]), rows.plants.push_back(std::llround(c.b[cell]));
      rows.density.push_back(x.density), rows.stock.push_back(x.stock);
      rows.firm_size.push_back(x.firm_size), rows.ci.push_back(x.ci);
      rows.valid.push_back(ok ? 1 : 0), rows.size_valid.push_back(ok && c.b[cell] > 0 ? 1 : 0);
    }
    return rows;
  }

  static void write_cluster_index(RunContext& ctx, const Plants& p) {
    const RegionData d = region_data(ctx, p);
    IndexRows rows = index_rows(ctx, p, d, cells_of(p));
    const Params& params = ctx.params();
    OutputTable out = ctx.output("<output>_cluster_index");
    out.set(p.regions.make_column(params.str("region"), rows.region));
    out.set(p.industries.make_column(params.str("industry"), rows.industry));
    out.set("employment", std::move(rows.employment));
    out.set("plants", std::move(rows.plants));
    out.set("density", std::move(rows.density), rows.valid);
    out.set("stock", std::move(rows.stock), rows.valid);
    out.set("firm_size", std::move(rows.firm_size), std::move(rows.size_valid));
    out.set("CI", std::move(rows.ci), std::move(rows.valid));
    ctx.write(std::move(out));
  }
};

}  // namespace

Colocation colocation_of_counts(double s_ij, double s_ii, double s_jj, double n_i, double n_j) {
  const double k = n_i + n_j;
  Colocation c;
  c.plants_i = n_i, c.plants_j = n_j, c.colocated = s_ij;
  c.cl = s_ij / (n_i * n_j);
  // sum_r m_r (m_r - 1) with m_r = n_ir + n_jr, expanded in the Gram entries.
  c.expected = (s_ii + s_jj + 2 * s_ij - k) / (k * (k - 1));
  c.xcl = c.cl - c.expected;
  return c;
}

Colocation colocation(const std::vector<double>& n_i, const std::vector<double>& n_j) {
  double s_ij = 0, s_ii = 0, s_jj = 0, t_i = 0, t_j = 0;
  for (std::size_t r = 0; r < n_i.size(); ++r) {
    s_ij += n_i[r] * n_j[r], s_ii += n_i[r] * n_i[r], s_jj += n_j[r] * n_j[r];
    t_i += n_i[r], t_j += n_j[r];
  }
  return colocation_of_counts(s_ij, s_ii, s_jj, t_i, t_j);
}

Eigen::MatrixXd colocated_pairs(const Eigen::MatrixXd& counts) {
  return counts * counts.transpose();
}

ClusterIndex litzenberger_sternberg(double e_ij, double e_i, double a_j, double a, double p_j,
                                    double p, double b_ij, double b_i) {
  ClusterIndex x;
  x.density = (e_ij / a_j) / (e_i / a);
  x.stock = (e_ij / p_j) / (e_i / p);
  x.firm_size = b_ij > 0 ? (e_ij / b_ij) / (e_i / b_i) : std::numeric_limits<double>::quiet_NaN();
  x.ci = (e_ij * b_ij / (a_j * p_j)) / (e_i * b_i / (a * p));
  return x;
}

}  // namespace klaster::plugins::colocation

KLASTER_PLUGIN(klaster::plugins::colocation::ColocationPlugin)
