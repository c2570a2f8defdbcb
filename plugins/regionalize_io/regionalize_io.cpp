// regionalize_io: regional technical coefficients r_ij = a_ij * min(1, q_ij) from a national table
// and regional activity, with q the simple (SLQ), cross-industry (CILQ), Flegg (FLQ) or augmented
// Flegg (AFLQ) location quotient.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 8.5 (SLQ, CILQ, FLQ);
// Flegg, Webber & Elliott (1995), Regional Studies 29(6) (FLQ); Flegg & Webber (1997), Regional
// Studies 31(8) (FLQ, delta); Flegg & Webber (2000), Regional Studies 34(6) (AFLQ).
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;
using Eigen::Index;

Schema sectors_schema() {
  Schema s;
  s.add("sector", ColumnType::kString);
  s.add("industry", ColumnType::kString);
  s.add("regional_share", ColumnType::kFloat);
  s.add("regional_output", ColumnType::kFloat);
  s.add("slq", ColumnType::kFloat);
  return s;
}

/// \brief Activity of one region and of the nation by industry (one year), and their totals.
struct Activity {
  std::map<std::string, double> regional, national;
  double regional_total = 0, national_total = 0;
};

class RegionalizeIo final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "regionalize_io";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Regionalises a national input-output table with SLQ, CILQ, FLQ or AFLQ location quotients";
    p.description =
        "Regional coefficients r_ij = a_ij * min(1, q_ij), with a = Z x^-1 of the national table "
        "and, for the region's activity E_r,i against the national E_n,i (totals TRE, TNE):\n"
        "  slq:  q_ij = SLQ_i = (E_r,i / TRE) / (E_n,i / TNE)\n"
        "  cilq: q_ij = CILQ_ij = SLQ_i / SLQ_j (i != j), SLQ_i on the diagonal\n"
        "  flq:  q_ij = CILQ_ij * lambda, lambda = [log2(1 + TRE/TNE)]^delta (Flegg & Webber "
        "1997)\n"
        "  aflq: q_ij = FLQ_ij * log2(1 + SLQ_j) where SLQ_j > 1, else FLQ_ij (Flegg & Webber "
        "2000)\n"
        "Activity is read from a long table (region, industry, [year], value; e.g. gross output by "
        "OKED section); national activity is the sum over all regions of that table, or the table "
        "`national` (same column names, no region) when given. Each IO sector takes the activity "
        "of "
        "its industry: the same code (industry_of_sector = \"same\"), its NACE section letter "
        "(\"nace_section\": CPA_C29 -> C), or an explicit industry_map entry \"sector=industry\".\n"
        "Regional output of sector j is x_r,j = x_n,j * E_r,i(j) / E_n,i(j) (in the IO table's "
        "units). Writes <output>: a regional IO table (row, column, value) that leontief, "
        "multipliers and io_impact read like the national one: Z_r = R diag(x_r) at the sector "
        "rows "
        "and columns (labelled by the sector names, i.e. the national row labels, so no mapping is "
        "needed downstream), a total-output row named like `total_output` (P1 when that is \"\") "
        "holding x_r, and each row in carry_rows (D1, B1G, EMP, ...) scaled as row_n,j / x_n,j * "
        "x_r,j (national per-unit coefficients). Regional final demand is implicit: f_r = x_r - "
        "Z_r 1 "
        "(give no final_demand downstream). Also writes <output>_coefficients (R as row, column, "
        "value) and <output>_sectors (sector, industry, regional_share, regional_output, slq).\n"
        "Reference: Miller & Blair (2009), sec. 8.5; Flegg, Webber & Elliott (1995); Flegg & "
        "Webber "
        "(1997, 2000).";
    p.params = io_table_params();
    const std::vector<ParamSpec> own = {
        ParamSpec("activity", ParamType::kTable)
            .req()
            .doc_("long table of regional activity: region, industry, [year], value"),
        ParamSpec("activity_value", ParamType::kColumn)
            .numeric()
            .of("activity")
            .def("value")
            .doc_("activity column (output, employment)"),
        ParamSpec("activity_region", ParamType::kColumn)
            .of("activity")
            .def("region")
            .doc_("region key column of activity"),
        ParamSpec("activity_industry", ParamType::kColumn)
            .of("activity")
            .def("industry")
            .doc_("industry key column of activity"),
        ParamSpec("activity_year", ParamType::kColumn)
            .of("activity")
            .def("year")
            .if_present()
            .doc_("year column of activity; used when present"),
        ParamSpec("year", ParamType::kInt)
            .doc_("the year of activity to use; required when activity has several years"),
        ParamSpec("region", ParamType::kString)
            .req()
            .doc_("the region to regionalise to, as in the activity table (e.g. \"KST\")"),
        ParamSpec("national", ParamType::kTable)
            .doc_("national activity by industry (same column names as activity, no region); "
                  "default: the sum over the regions of activity"),
        ParamSpec("method", ParamType::kString)
            .def("flq")
            .one_of({"slq", "cilq", "flq", "aflq"})
            .doc_("location quotient: simple, cross-industry, Flegg, augmented Flegg"),
        ParamSpec("delta", ParamType::kFloat)
            .def(0.3)
            .at_least(0)
            .below(1)
            .doc_("Flegg's delta for flq and aflq, in [0, 1); 0.3 after Flegg & Webber (1997)"),
        ParamSpec("industry_of_sector", ParamType::kString)
            .def("same")
            .one_of({"same", "nace_section"})
            .doc_("how IO sectors find their activity industry: the same code, or the NACE section "
                  "letter of a CPA/NACE code (CPA_C29 -> C)"),
        ParamSpec("industry_map", ParamType::kStringList)
            .doc_("explicit \"sector=industry\" pairs, checked first"),
        ParamSpec("missing_industry", ParamType::kString)
            .def("error")
            .one_of({"error", "zero"})
            .doc_(
                "a sector whose industry has no national activity: an error, or regional output 0"),
        ParamSpec("carry_rows", ParamType::kStringList)
            .doc_("rows of the national table (D1, B1G, EMP, ...) carried to the regional table at "
                  "national per-unit coefficients"),
    };
    p.params.insert(p.params.end(), own.begin(), own.end());
    p.reads = {{"input", "row, column, value", "national symmetric IO table (layout = \"matrix\")"},
               {"activity", "region, industry, [year], value", "regional activity"},
               {"national", "industry, [year], value", "optional national activity"}};
    p.writes = {
        {"<output>", "row, column, value",
         "regional IO table: Z_r, total-output row, carried rows"},
        {"<output>_coefficients", "row, column, value", "regional technical coefficients R"},
        {"<output>_sectors", "sector, industry, regional_share, regional_output, slq",
         "per sector"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    const Params& params = ctx.params();
    if (params.has("national")) {
      const Schema& national = ctx.schema_of_param("national");
      for (const char* p : {"activity_industry", "activity_value"})
        if (!national.has(params.str(p)))
          throw ParamError("national", "table '" + params.str("national") + "' has no column '" +
                                           params.str(p) +
                                           "' (it uses the column names of activity)");
    }
    ctx.declare_output(ctx.output_name(), long_matrix_schema());
    ctx.declare_output(ctx.output_name() + "_coefficients", long_matrix_schema());
    ctx.declare_output(ctx.output_name() + "_sectors", sectors_schema());
  }

  /// \brief The year index to use in a cube of activity; the only year, or the `year` parameter.
  static std::size_t pick_year(const Cube& cube, const Params& params, const std::string& table) {
    if (!cube.has_year()) return 0;
    if (!params.has("year")) {
      if (cube.n_years() == 1) return 0;
      std::string list;
      for (const auto& y : cube.years().labels) list += (list.empty() ? "" : ", ") + y;
      throw ParamError(
          "year", "table '" + table + "' has several years (" + list + "); choose one with 'year'");
    }
    const std::int32_t y = cube.years().find(std::to_string(params.integer("year")));
    if (y < 0) {
      std::string list;
      for (const auto& l : cube.years().labels) list += (list.empty() ? "" : ", ") + l;
      throw ParamError("year", "year " + std::to_string(params.integer("year")) +
                                   " is not in table '" + table + "'; it has: " + list);
    }
    return static_cast<std::size_t>(y);
  }

  static Activity read_activity(const RunContext& ctx) {
    const Params& params = ctx.params();
    const std::string& name = params.str("activity");
    const Table& table = ctx.table_of_param("activity");
    CubeOptions o;
    o.region = params.str("activity_region");
    o.industry = params.str("activity_industry");
    o.value = params.str("activity_value");
    o.year = table.find(params.str("activity_year")) ? params.str("activity_year") : "";
    const Cube cube = Cube::from_table(table, o);
    const std::size_t y = pick_year(cube, params, name);
    const std::string& region = params.str("region");
    const std::int32_t r = cube.regions().find(region);
    if (r < 0) {
      std::string msg =
          "region '" + region + "' is not in column '" + o.region + "' of table '" + name + "'";
      if (auto near = nearest(region, cube.regions().labels); !near.empty())
        msg += " (did you mean '" + near + "'?)";
      throw ParamError("region", msg);
    }
    Activity a;
    for (std::size_t i = 0; i < cube.n_industries(); ++i) {
      const std::string& ind = cube.industries().labels[i];
      double nat = 0;
      for (std::size_t rr = 0; rr < cube.n_regions(); ++rr) nat += cube.value(cube.cell(y, rr, i));
      a.regional[ind] = cube.value(cube.cell(y, static_cast<std::size_t>(r), i));
      a.national[ind] = nat;
    }
    if (params.has("national")) {
      const Table& nt = ctx.table_of_param("national");
      const Column& ind = nt.column(o.industry);
      const Column& val = nt.column(o.value);
      const Column* year = o.year.empty() ? nullptr : nt.find(o.year);
      a.national.clear();
      std::map<std::string, std::size_t> first_row;
      for (std::size_t row = 0; row < nt.rows(); ++row) {
        if (year && cube.has_year() && year->to_text(row) != cube.years().labels[y]) continue;
        if (!ind.is_valid(row) || !val.is_valid(row) || val.number(row) < 0)
          throw DataError(nt.row_name(row) + " of table '" + params.str("national") +
                          "' has a missing key or a missing or negative value");
        if (const auto [first, fresh] = first_row.emplace(ind.to_text(row), row); !fresh)
          throw DataError("table '" + params.str("national") + "' has several rows for industry '" +
                          ind.to_text(row) + "'" + nt.lines_note(first->second, row));
        a.national.emplace(ind.to_text(row), val.number(row));
      }
      for (const auto& [k, v] : a.regional)
        if (v > 0 && !a.national.count(k))
          throw DataError("industry '" + k + "' has activity in region '" + region +
                          "' but no row in national table '" + params.str("national") + "'");
    }
    for (const auto& [k, v] : a.regional) a.regional_total += v;
    for (const auto& [k, v] : a.national) a.national_total += v;
    if (!(a.regional_total > 0))
      throw DataError("region '" + region + "' has no activity in table '" + name + "'");
    if (a.regional_total > a.national_total * (1 + 1e-12))
      throw DataError("region '" + region + "' has more activity (" +
                      std::to_string(a.regional_total) + ") than the nation (" +
                      std::to_string(a.national_total) + ")");
    return a;
  }

  /// \brief The activity industry of each sector (industry_map, then industry_of_sector).
  static std::vector<std::string> industries_of(const IoSystem& io, const Params& params) {
    std::map<std::string, std::string> map;
    for (const auto& m : params.strings("industry_map")) {
      const auto eq = m.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
        throw ParamError("industry_map",
                         "industry_map entry '" + m + "' is not of the form \"sector=industry\"");
      const std::string sector = m.substr(0, eq);
      const auto k = io.find_sector(sector);
      if (!k)
        throw ParamError("industry_map",
                         "sector '" + sector + "' (industry_map) is not a sector of the table");
      map[io.sectors()[*k]] = m.substr(eq + 1);
    }
    const bool nace = params.str("industry_of_sector") == "nace_section";
    std::vector<std::string> out;
    for (const auto& s : io.sectors()) {
      if (auto it = map.find(s); it != map.end()) {
        out.push_back(it->second);
      } else if (nace) {
        std::string code = s.rfind("CPA_", 0) == 0 ? s.substr(4) : s;
        if (code.empty() || code[0] < 'A' || code[0] > 'Z')
          throw DataError("sector '" + s +
                          "' has no NACE section letter; map it with industry_map");
        out.push_back(code.substr(0, 1));
      } else {
        out.push_back(s);
      }
    }
    return out;
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Activity act = read_activity(ctx);
    const std::size_t n = io.size();
    const std::vector<std::string> industry = industries_of(io, params);
    const bool zero_missing = params.str("missing_industry") == "zero";

    // SLQ and regional share of each sector's industry.
    Eigen::VectorXd slq(ix(n)), share(ix(n));
    std::vector<std::string> unknown;
    for (std::size_t j = 0; j < n; ++j) {
      auto nat = act.national.find(industry[j]);
      auto reg = act.regional.find(industry[j]);
      const double en = nat == act.national.end() ? 0 : nat->second;
      const double er = reg == act.regional.end() ? 0 : reg->second;
      if (!(en > 0)) {
        if (!zero_missing) unknown.push_back(io.sectors()[j] + " (industry '" + industry[j] + "')");
        slq(ix(j)) = 0;
        share(ix(j)) = 0;
        continue;
      }
      if (er > en * (1 + 1e-12))
        throw DataError("industry '" + industry[j] + "': region '" + params.str("region") +
                        "' has more activity than the nation");
      share(ix(j)) = er / en;
      slq(ix(j)) = (er / act.regional_total) / (en / act.national_total);
    }
    if (!unknown.empty()) {
      std::string list;
      for (std::size_t k = 0; k < unknown.size() && k < 12; ++k)
        list += (k ? ", " : "") + unknown[k];
      if (unknown.size() > 12) list += ", ... (" + std::to_string(unknown.size()) + " in all)";
      throw DataError("no national activity in table '" + params.str("activity") +
                      "' for sectors " + list +
                      "; map them with industry_map or set missing_industry = \"zero\"");
    }

    // Quotients q_ij; Miller & Blair (2009) sec. 8.5, Flegg & Webber (1997, 2000).
    const std::string method = params.str("method");
    const double lambda =
        std::pow(std::log2(1 + act.regional_total / act.national_total), params.real("delta"));
    const Eigen::MatrixXd A = io.technical_coefficients();
    Eigen::MatrixXd R(ix(n), ix(n));
    for (std::size_t j = 0; j < n; ++j) {
      const double sj = slq(ix(j));
      const double augment = (method == "aflq" && sj > 1) ? std::log2(1 + sj) : 1.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double si = slq(ix(i));
        double q;
        if (method == "slq" || i == j)
          q = si;
        else
          q = sj > 0 ? si / sj : 1.0;  // a sector absent from the region: its column is 0 in Z_r
        if (method == "flq" || method == "aflq") q *= lambda;
        q *= augment;
        R(ix(i), ix(j)) = A(ix(i), ix(j)) * std::min(1.0, q);
      }
    }
    const Eigen::VectorXd x_r = io.x().cwiseProduct(share);
    const Eigen::MatrixXd Z_r = R * x_r.asDiagonal();

    ctx.log(
        LogLevel::kInfo,
        "region '" + params.str("region") +
            "': TRE/TNE = " + std::to_string(act.regional_total / act.national_total) +
            (method == "flq" || method == "aflq" ? ", lambda = " + std::to_string(lambda) : ""));

    // <output>: Z_r, the total-output row and the carried rows, labelled by sector names.
    const std::string total_row =
        io_options(params).total_output.empty() ? "P1" : io_options(params).total_output;
    LabelledMatrix regional;
    regional.col_labels = io.sectors();
    regional.row_labels = io.sectors();
    const std::vector<std::string> carry = params.strings("carry_rows");
    for (const auto& c : carry) {
      if (io.find_sector(c))
        throw ParamError("carry_rows", "'" + c + "' is a sector, not an extra row");
      if (c == total_row)
        throw ParamError("carry_rows", "'" + c + "' is the total-output row; it is written anyway");
    }
    regional.row_labels.push_back(total_row);
    for (const auto& c : carry) regional.row_labels.push_back(c);
    regional.values = Eigen::MatrixXd::Zero(ix(n + 1 + carry.size()), ix(n));
    regional.values.topRows(ix(n)) = Z_r;
    regional.values.row(ix(n)) = x_r.transpose();
    for (std::size_t k = 0; k < carry.size(); ++k) {
      const Eigen::VectorXd row = io.row(carry[k], "carry_rows");
      for (std::size_t j = 0; j < n; ++j) {
        const double xn = io.x()(ix(j));
        regional.values(ix(n + 1 + k), ix(j)) = xn != 0 ? row(ix(j)) / xn * x_r(ix(j)) : 0.0;
      }
    }
    ctx.write(ctx.output_name(), matrix_to_long(regional));

    LabelledMatrix coefficients{io.sectors(), io.sectors(), R};
    ctx.write(ctx.output_name() + "_coefficients", matrix_to_long(coefficients));

    std::vector<Column> cols;
    cols.push_back(Column::make_strings("sector", io.sectors()));
    cols.push_back(Column::make_strings("industry", industry));
    cols.push_back(
        Column::make_floats("regional_share", std::vector<double>(share.data(), share.data() + n)));
    cols.push_back(
        Column::make_floats("regional_output", std::vector<double>(x_r.data(), x_r.data() + n)));
    cols.push_back(Column::make_floats("slq", std::vector<double>(slq.data(), slq.data() + n)));
    ctx.write(ctx.output_name() + "_sectors", Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::RegionalizeIo)
