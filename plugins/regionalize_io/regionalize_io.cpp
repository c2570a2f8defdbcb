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
#include "regionalize_io_kernel.hpp"

namespace klaster::plugins::regionalize_io {
namespace {

using namespace klaster::sdk;

/// \brief Activity of one region and of the nation by industry (one year), and their totals.
struct Activity {
  std::map<std::string, double> regional, national;
  double regional_total = 0, national_total = 0;
};

/// \brief The activity of each sector's industry in the region and in the nation (0 where the
/// industry has none), in sector order.
struct SectorActivity {
  Eigen::VectorXd regional, national;
};

std::string description() {
  return "Regional coefficients r_ij = a_ij * min(1, q_ij), with a = Z x^-1 of the national table "
         "and, for the region's activity E_r,i against the national E_n,i (totals TRE, TNE):\n"
         "  slq:  q_ij = SLQ_i = (E_r,i / TRE) / (E_n,i / TNE)\n"
         "  cilq: q_ij = CILQ_ij = SLQ_i / SLQ_j (i != j), SLQ_i on the diagonal\n"
         "  flq:  q_ij = CILQ_ij * lambda, lambda = [log2(1 + TRE/TNE)]^delta (Flegg & Webber "
         "1997)\n"
         "  aflq: q_ij = FLQ_ij * log2(1 + SLQ_j) where SLQ_j > 1, else FLQ_ij (Flegg & Webber "
         "2000)\n"
         "Activity is read from a long table (region, industry, [year], value; e.g. gross output "
         "by "
         "OKED section); national activity is the sum over all regions of that table, or the table "
         "`national` (same column names, no region) when given. Each IO sector takes the activity "
         "of its industry: an explicit industry_map entry \"sector=industry\", else a row of the "
         "table industry_map_table (sector and industry columns), else the same code "
         "(industry_of_sector = \"same\") or its NACE section letter (\"nace_section\": CPA_C29 -> "
         "C).\n"
         "Regional output of sector j is x_r,j = x_n,j * E_r,i(j) / E_n,i(j) (in the IO table's "
         "units). Writes <output>: a regional IO table (row, column, value) that leontief, "
         "multipliers and io_impact read like the national one: Z_r = R diag(x_r) at the sector "
         "rows and columns (labelled by the sector names, i.e. the national row labels, so no "
         "mapping is needed downstream), a total-output row named like `total_output` (P1 when "
         "that is \"\") holding x_r, and each row in carry_rows (D1, B1G, EMP, ...) scaled as "
         "row_n,j / x_n,j * x_r,j (national per-unit coefficients). Regional final demand is "
         "implicit: f_r = x_r - Z_r 1 (give no final_demand downstream). Also writes "
         "<output>_coefficients (R as row, column, value) and <output>_sectors (sector, industry, "
         "regional_share, regional_output, slq).\n"
         "Reference: Miller & Blair (2009), sec. 8.5; Flegg, Webber & Elliott (1995); Flegg & "
         "Webber (1997, 2000).";
}

std::vector<ParamSpec> activity_params() {
  return {
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
  };
}

std::vector<ParamSpec> industry_params() {
  return {
      ParamSpec("industry_of_sector", ParamType::kString)
          .def("same")
          .one_of({"same", "nace_section"})
          .doc_("how IO sectors without a mapping find their activity industry: the same code, or "
                "the NACE section letter of a CPA/NACE code (CPA_C29 -> C)"),
      ParamSpec("industry_map", ParamType::kStringList)
          .doc_("explicit \"sector=industry\" pairs, checked first"),
      ParamSpec("industry_map_table", ParamType::kTable)
          .doc_("table mapping sectors to activity industries (e.g. a product list with a NACE "
                "section column), checked after industry_map; its sectors that are not in the IO "
                "table are ignored"),
      ParamSpec("industry_map_sector", ParamType::kColumn)
          .of("industry_map_table")
          .def("sector")
          .doc_("sector column of industry_map_table (row labels of the IO table)"),
      ParamSpec("industry_map_industry", ParamType::kColumn)
          .of("industry_map_table")
          .def("industry")
          .doc_("industry column of industry_map_table (industries of activity)"),
      ParamSpec("missing_industry", ParamType::kString)
          .def("error")
          .one_of({"error", "zero"})
          .doc_("a sector whose industry has no national activity: an error, or regional output 0"),
  };
}

std::vector<ParamSpec> method_params() {
  return {
      ParamSpec("method", ParamType::kString)
          .def("flq")
          .one_of({"slq", "cilq", "flq", "aflq"})
          .doc_("location quotient: simple, cross-industry, Flegg, augmented Flegg"),
      ParamSpec("delta", ParamType::kFloat)
          .def(0.3)
          .at_least(0)
          .below(1)
          .doc_("Flegg's delta for flq and aflq, in [0, 1); 0.3 after Flegg & Webber (1997)"),
      ParamSpec("carry_rows", ParamType::kStringList)
          .doc_("rows of the national table (D1, B1G, EMP, ...) carried to the regional table at "
                "national per-unit coefficients"),
  };
}

std::vector<TableSpec> reads() {
  return {
      matrix_read("input", "national symmetric IO table (layout = \"matrix\")"),
      TableSpec::read("activity", "regional activity, one row per region, industry and year")
          .column(ColumnSpec::of("activity_region"))
          .column(ColumnSpec::of("activity_industry"))
          .column(ColumnSpec::of("activity_year"))
          .column(ColumnSpec::of("activity_value")),
      TableSpec::read("national", "national activity, under the column names of activity")
          .column(ColumnSpec::of("activity_industry"))
          .column(ColumnSpec::of("activity_year"))
          .column(ColumnSpec::of("activity_value"))
          .when_given("national"),
      TableSpec::read("industry_map_table", "the activity industry of each sector")
          .column(ColumnSpec::of("industry_map_sector"))
          .column(ColumnSpec::of("industry_map_industry"))
          .when_given("industry_map_table"),
  };
}

std::vector<TableSpec> writes() {
  return {
      matrix_write("<output>",
                   "regional IO table in the national table's units: Z_r = R diag(x_r) at the "
                   "sectors, the total-output row x_r and the carried rows",
                   "<input>"),
      matrix_write("<output>_coefficients",
                   "regional technical coefficients r_ij (per unit of the buyer's output, "
                   "0 <= r_ij <= a_ij)",
                   "input per unit of output"),
      TableSpec::write("<output>_sectors", "one row per sector")
          .column(ColumnSpec::strings("sector", "the sector (row label of the national table)"))
          .column(ColumnSpec::strings("industry", "the activity industry it takes"))
          .column(ColumnSpec::floats("regional_share",
                                     "E_r / E_n of its industry, in [0, 1]; 0 without activity")
                      .in("share (0-1)"))
          .column(ColumnSpec::floats("regional_output",
                                     "x_r = x_n * regional_share, in the IO table's units")
                      .in("<input>"))
          .column(ColumnSpec::floats("slq", "SLQ of its industry, >= 0; 0 without activity")
                      .in("dimensionless")),
  };
}

// ---------------------------------------------------------------------------------------------
// Activity

std::string joined(const std::vector<std::string>& labels) {
  std::string list;
  for (const auto& l : labels) list += (list.empty() ? "" : ", ") + l;
  return list;
}

/// \brief The year index to use in a cube of activity; the only year, or the `year` parameter.
std::size_t pick_year(const Cube& cube, const Params& params, const std::string& table) {
  if (!cube.has_year()) return 0;
  if (!params.has("year")) {
    if (cube.n_years() == 1) return 0;
    throw ParamError("year", "table '" + table + "' has several years (" +
                                 joined(cube.years().labels) + "); choose one with 'year'");
  }
  const std::int32_t y = cube.years().find(std::to_string(params.integer("year")));
  if (y < 0)
    throw ParamError("year", "year " + std::to_string(params.integer("year")) +
                                 " is not in table '" + table +
                                 "'; it has: " + joined(cube.years().labels));
  return static_cast<std::size_t>(y);
}

CubeOptions activity_options(const Params& params, const Table& table) {
  CubeOptions o;
  o.region = params.str("activity_region");
  o.industry = params.str("activity_industry");
  o.value = params.str("activity_value");
  o.year = table.find(params.str("activity_year")) ? params.str("activity_year") : "";
  return o;
}

/// \brief The position of the `region` parameter among the cube's regions; ParamError naming the
/// nearest region otherwise.
std::size_t region_index(const Cube& cube, const Params& params) {
  const std::string& region = params.str("region");
  const std::int32_t r = cube.regions().find(region);
  if (r >= 0) return static_cast<std::size_t>(r);
  std::string msg = "region '" + region + "' is not in column '" + cube.options().region +
                    "' of table '" + params.str("activity") + "'";
  if (auto near = nearest(region, cube.regions().labels); !near.empty())
    msg += " (did you mean '" + near + "'?)";
  throw ParamError("region", msg);
}

/// \brief Region r's activity by industry in year y, and the nation's as the sum over regions.
Activity cube_activity(const Cube& cube, std::size_t y, std::size_t r) {
  Activity a;
  for (std::size_t i = 0; i < cube.n_industries(); ++i) {
    const std::string& ind = cube.industries().labels[i];
    double nat = 0;
    for (std::size_t rr = 0; rr < cube.n_regions(); ++rr) nat += cube.value(cube.cell(y, rr, i));
    a.regional[ind] = cube.value(cube.cell(y, r, i));
    a.national[ind] = nat;
  }
  return a;
}

/// \brief National activity by industry from table `national` (the year `year` when it has a
/// year column and activity has years): one row per industry, no missing or negative value.
std::map<std::string, double> national_table_activity(const RunContext& ctx, const CubeOptions& o,
                                                      const std::string& year) {
  const std::string& name = ctx.params().str("national");
  const Table& nt = ctx.table_of_param("national");
  const Column& ind = nt.column(o.industry);
  const Column& val = nt.column(o.value);
  const Column* year_col = o.year.empty() || year.empty() ? nullptr : nt.find(o.year);
  std::map<std::string, double> national;
  std::map<std::string, std::size_t> first_row;
  for (std::size_t row = 0; row < nt.rows(); ++row) {
    if (year_col && year_col->to_text(row) != year) continue;
    if (!ind.is_valid(row) || !val.is_valid(row) || val.number(row) < 0)
      throw DataError(nt.row_name(row) + " of table '" + name +
                      "' has a missing key or a missing or negative value");
    if (const auto [first, fresh] = first_row.emplace(ind.to_text(row), row); !fresh)
      throw DataError("table '" + name + "' has several rows for industry '" + ind.to_text(row) +
                      "'" + nt.lines_note(first->second, row));
    national.emplace(ind.to_text(row), val.number(row));
  }
  return national;
}

/// \brief Adds the totals TRE and TNE and checks them: the region has activity, no more than the
/// nation.
void add_totals(Activity& a, const Params& params) {
  for (const auto& [k, v] : a.regional) a.regional_total += v;
  for (const auto& [k, v] : a.national) a.national_total += v;
  const std::string& region = params.str("region");
  if (!(a.regional_total > 0))
    throw DataError("region '" + region + "' has no activity in table '" + params.str("activity") +
                    "'");
  if (a.regional_total > a.national_total * (1 + 1e-12))
    throw DataError("region '" + region + "' has more activity (" +
                    std::to_string(a.regional_total) + ") than the nation (" +
                    std::to_string(a.national_total) + ")");
}

Activity read_activity(const RunContext& ctx) {
  const Params& params = ctx.params();
  const Table& table = ctx.table_of_param("activity");
  const CubeOptions o = activity_options(params, table);
  const Cube cube = Cube::from_table(table, o);
  const std::size_t y = pick_year(cube, params, params.str("activity"));
  Activity a = cube_activity(cube, y, region_index(cube, params));
  if (params.has("national")) {
    a.national = national_table_activity(ctx, o, cube.has_year() ? cube.years().labels[y] : "");
    for (const auto& [k, v] : a.regional)
      if (v > 0 && !a.national.count(k))
        throw DataError("industry '" + k + "' has activity in region '" + params.str("region") +
                        "' but no row in national table '" + params.str("national") + "'");
  }
  add_totals(a, params);
  return a;
}

// ---------------------------------------------------------------------------------------------
// The industry of each sector

/// \brief The "sector=industry" pairs of `industry_map`, by sector name.
std::map<std::string, std::string> inline_map(const IoSystem& io, const Params& params) {
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
  return map;
}

/// \brief Adds the rows of industry_map_table to `map`, by sector name, where industry_map has
/// none. Rows whose sector is not in the IO table are ignored (a classification may list more
/// codes); a missing cell or a sector listed twice is a DataError.
void add_table_map(const RunContext& ctx, const IoSystem& io,
                   std::map<std::string, std::string>& map) {
  const Params& params = ctx.params();
  const std::string& name = params.str("industry_map_table");
  const Table& t = ctx.table_of_param("industry_map_table");
  const Column& sector = t.column(params.str("industry_map_sector"));
  const Column& industry = t.column(params.str("industry_map_industry"));
  std::map<std::string, std::size_t> first_row;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (!sector.is_valid(row) || !industry.is_valid(row))
      throw DataError(t.row_name(row) + " of table '" + name +
                      "' has a missing sector or industry");
    if (const auto [first, fresh] = first_row.emplace(sector.to_text(row), row); !fresh)
      throw DataError("table '" + name + "' maps sector '" + sector.to_text(row) + "' twice" +
                      t.lines_note(first->second, row));
    if (const auto k = io.find_sector(sector.to_text(row)))
      map.emplace(io.sectors()[*k], industry.to_text(row));
  }
}

/// \brief The industry of a sector without a mapping: its code, or its NACE section letter.
std::string industry_by_rule(const std::string& sector, bool nace) {
  if (!nace) return sector;
  const std::string code = sector.rfind("CPA_", 0) == 0 ? sector.substr(4) : sector;
  if (code.empty() || code[0] < 'A' || code[0] > 'Z')
    throw DataError("sector '" + sector + "' has no NACE section letter; map it with industry_map");
  return code.substr(0, 1);
}

/// \brief The activity industry of each sector: industry_map, then industry_map_table, then
/// industry_of_sector.
std::vector<std::string> industries_of(const RunContext& ctx, const IoSystem& io) {
  const Params& params = ctx.params();
  std::map<std::string, std::string> map = inline_map(io, params);
  if (params.has("industry_map_table")) add_table_map(ctx, io, map);
  const bool nace = params.str("industry_of_sector") == "nace_section";
  std::vector<std::string> out;
  for (const auto& s : io.sectors()) {
    const auto it = map.find(s);
    out.push_back(it != map.end() ? it->second : industry_by_rule(s, nace));
  }
  return out;
}

/// \brief E_r and E_n of each sector's industry.
SectorActivity sector_activity(const Activity& act, const std::vector<std::string>& industry) {
  const auto n = static_cast<Eigen::Index>(industry.size());
  SectorActivity e{Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n)};
  for (std::size_t j = 0; j < industry.size(); ++j) {
    if (auto it = act.regional.find(industry[j]); it != act.regional.end())
      e.regional(ix(j)) = it->second;
    if (auto it = act.national.find(industry[j]); it != act.national.end())
      e.national(ix(j)) = it->second;
  }
  return e;
}

/// \brief DataError for a sector whose region has more activity than the nation, then (unless
/// missing_industry = "zero") for the sectors without national activity, listed.
void check_sector_activity(const SectorActivity& e, const IoSystem& io,
                           const std::vector<std::string>& industry, const Params& params) {
  std::vector<std::string> unknown;
  for (std::size_t j = 0; j < industry.size(); ++j) {
    const double en = e.national(ix(j)), er = e.regional(ix(j));
    if (!(en > 0))
      unknown.push_back(io.sectors()[j] + " (industry '" + industry[j] + "')");
    else if (er > en * (1 + 1e-12))
      throw DataError("industry '" + industry[j] + "': region '" + params.str("region") +
                      "' has more activity than the nation");
  }
  if (unknown.empty() || params.str("missing_industry") == "zero") return;
  std::string list;
  for (std::size_t k = 0; k < unknown.size() && k < 12; ++k) list += (k ? ", " : "") + unknown[k];
  if (unknown.size() > 12) list += ", ... (" + std::to_string(unknown.size()) + " in all)";
  throw DataError("no national activity in table '" + params.str("activity") + "' for sectors " +
                  list + "; map them with industry_map or set missing_industry = \"zero\"");
}

// ---------------------------------------------------------------------------------------------
// Outputs

/// \brief The carried rows, checked: extra rows of the table, not sectors nor the total row.
std::vector<std::string> carry_rows(const IoSystem& io, const Params& params,
                                    const std::string& total_row) {
  const std::vector<std::string> carry = params.strings("carry_rows");
  for (const auto& c : carry) {
    if (io.find_sector(c))
      throw ParamError("carry_rows", "'" + c + "' is a sector, not an extra row");
    if (c == total_row)
      throw ParamError("carry_rows", "'" + c + "' is the total-output row; it is written anyway");
  }
  return carry;
}

/// \brief Z_r = R diag(x_r), the total-output row x_r and the carried rows, labelled by sector.
LabelledMatrix regional_table(const IoSystem& io, const Eigen::MatrixXd& R,
                              const Eigen::VectorXd& x_r, const Params& params) {
  const std::string& total_output = io_options(params).total_output;
  const std::string total_row = total_output.empty() ? "P1" : total_output;
  const std::vector<std::string> carry = carry_rows(io, params, total_row);
  const auto n = static_cast<Eigen::Index>(io.size());
  LabelledMatrix regional{io.sectors(), io.sectors(), {}};
  regional.row_labels.push_back(total_row);
  regional.row_labels.insert(regional.row_labels.end(), carry.begin(), carry.end());
  regional.values = Eigen::MatrixXd::Zero(n + 1 + ix(carry.size()), n);
  regional.values.topRows(n) = R * x_r.asDiagonal();
  regional.values.row(n) = x_r.transpose();
  for (std::size_t k = 0; k < carry.size(); ++k)
    regional.values.row(n + 1 + ix(k)) =
        carried_row(io.row(carry[k], "carry_rows"), io.x(), x_r).transpose();
  return regional;
}

std::vector<double> values(const Eigen::VectorXd& v) {
  return std::vector<double>(v.data(), v.data() + v.size());
}

void write_sectors(RunContext& ctx, const IoSystem& io, const std::vector<std::string>& industry,
                   const SectorQuotients& q, const Eigen::VectorXd& x_r) {
  OutputTable out = ctx.output("<output>_sectors");
  out.set("sector", io.sectors());
  out.set("industry", industry);
  out.set("regional_share", values(q.share));
  out.set("regional_output", values(x_r));
  out.set("slq", values(q.slq));
  ctx.write(std::move(out));
}

void log_totals(const RunContext& ctx, const Activity& act, Quotient method, double lambda) {
  const bool flegg = method == Quotient::kFlq || method == Quotient::kAflq;
  ctx.log(LogLevel::kInfo, "region '" + ctx.params().str("region") + "': TRE/TNE = " +
                               std::to_string(act.regional_total / act.national_total) +
                               (flegg ? ", lambda = " + std::to_string(lambda) : ""));
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Регионализирует национальную таблицу «затраты — выпуск» коэффициентами "
       "локализации SLQ, CILQ, FLQ или AFLQ"},
      {p.description,
       "Региональные коэффициенты r_ij = a_ij * min(1, q_ij), где a = Z x^-1 "
       "национальной таблицы, а для деятельности региона E_r,i относительно национальной"
       " E_n,i (итоги TRE, TNE):\n"
       "  slq:  q_ij = SLQ_i = (E_r,i / TRE) / (E_n,i / TNE)\n"
       "  cilq: q_ij = CILQ_ij = SLQ_i / SLQ_j (i != j), SLQ_i на диагонали\n"
       "  flq:  q_ij = CILQ_ij * lambda, lambda = [log2(1 + TRE/TNE)]^delta (Flegg & "
       "Webber 1997)\n"
       "  aflq: q_ij = FLQ_ij * log2(1 + SLQ_j) там, где SLQ_j > 1, иначе FLQ_ij (Flegg "
       "& Webber 2000)\n"
       "Деятельность читается из длинной таблицы (region, industry, [year], value; "
       "например, валовой выпуск по секциям ОКЭД); национальная деятельность — сумма по "
       "всем регионам этой таблицы или таблица `national` (те же названия столбцов, без "
       "региона), если она задана. Каждая отрасль таблицы «затраты — выпуск» берёт "
       "деятельность своей отрасли: явная запись industry_map \"sector=industry\", иначе "
       "строка таблицы industry_map_table (столбцы sector и industry), иначе тот же код "
       "(industry_of_sector = \"same\") или буква его секции NACE (\"nace_section\": CPA_C29"
       " -> C).\n"
       "Региональный выпуск отрасли j равен x_r,j = x_n,j * E_r,i(j) / E_n,i(j) (в "
       "единицах таблицы «затраты — выпуск»). Записывает <output>: региональную таблицу "
       "«затраты — выпуск» (row, column, value), которую leontief, multipliers и "
       "io_impact читают так же, как национальную: Z_r = R diag(x_r) в строках и "
       "столбцах отраслей (с названиями отраслей, т. е. метками строк национальной "
       "таблицы, поэтому дальше сопоставление не нужно), строку валового выпуска с тем "
       "же именем, что `total_output` (P1, если он \"\"), содержащую x_r, и каждую строку "
       "из carry_rows (D1, B1G, EMP, ...), пересчитанную как row_n,j / x_n,j * x_r,j "
       "(национальные коэффициенты на единицу выпуска). Региональный конечный спрос "
       "задан неявно: f_r = x_r - Z_r 1 (дальше не задавайте final_demand). Также "
       "записывает <output>_coefficients (R как row, column, value) и <output>_sectors "
       "(sector, industry, regional_share, regional_output, slq).\n"
       "Источники: Miller & Blair (2009), разд. 8.5; Flegg, Webber & Elliott (1995); "
       "Flegg & Webber (1997, 2000)."},
  };
}

class RegionalizeIo final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "regionalize_io";
    p.version = "1.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Regionalises a national input-output table with SLQ, CILQ, FLQ or AFLQ location quotients";
    p.description = description();
    p.params = io_table_params();
    for (auto&& group : {activity_params(), industry_params(), method_params()})
      p.params.insert(p.params.end(), group.begin(), group.end());
    p.reads = reads();
    p.writes = writes();
    p.translations["ru"] = russian(p);
    return p;
  }

  /// National activity takes the column names of `activity`: a rule across two table
  /// parameters that the read declarations cannot check.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    if (!params.has("national")) return;
    const Schema& national = ctx.schema_of_param("national");
    for (const char* p : {"activity_industry", "activity_value"})
      if (!national.has(params.str(p)))
        throw ParamError("national", "table '" + params.str("national") + "' has no column '" +
                                         params.str(p) +
                                         "' (it uses the column names of activity)");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Activity act = read_activity(ctx);
    const std::vector<std::string> industry = industries_of(ctx, io);
    const SectorActivity e = sector_activity(act, industry);
    check_sector_activity(e, io, industry, params);

    const SectorQuotients q =
        sector_quotients(e.regional, e.national, act.regional_total, act.national_total);
    const Quotient method = quotient_of(params.str("method"));
    const double lambda =
        flegg_lambda(act.regional_total, act.national_total, params.real("delta"));
    const Eigen::MatrixXd R =
        regional_coefficients(io.technical_coefficients(), q.slq, method, lambda);
    const Eigen::VectorXd x_r = io.x().cwiseProduct(q.share);
    log_totals(ctx, act, method, lambda);

    write_matrix(ctx, "<output>", regional_table(io, R, x_r, params));
    write_matrix(ctx, "<output>_coefficients", {io.sectors(), io.sectors(), R});
    write_sectors(ctx, io, industry, q, x_r);
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Kernel (regionalize_io_kernel.hpp)

Quotient quotient_of(const std::string& method) {
  if (method == "slq") return Quotient::kSlq;
  if (method == "cilq") return Quotient::kCilq;
  if (method == "aflq") return Quotient::kAflq;
  return Quotient::kFlq;
}

double flegg_lambda(double regional_total, double national_total, double delta) {
  return std::pow(std::log2(1 + regional_total / national_total), delta);
}

SectorQuotients sector_quotients(const Eigen::VectorXd& regional, const Eigen::VectorXd& national,
                                 double regional_total, double national_total) {
  SectorQuotients q{Eigen::VectorXd::Zero(regional.size()), Eigen::VectorXd::Zero(regional.size())};
  for (Eigen::Index j = 0; j < regional.size(); ++j) {
    const double er = regional(j), en = national(j);
    if (!(en > 0)) continue;
    q.share(j) = er / en;
    q.slq(j) = (er / regional_total) / (en / national_total);
  }
  return q;
}

double location_quotient(double slq_i, double slq_j, bool diagonal, Quotient method,
                         double lambda) {
  double q;
  if (method == Quotient::kSlq || diagonal)
    q = slq_i;
  else
    q = slq_j > 0 ? slq_i / slq_j : 1.0;  // a sector absent from the region: its column is 0 in Z_r
  if (method == Quotient::kFlq || method == Quotient::kAflq) q *= lambda;
  if (method == Quotient::kAflq && slq_j > 1) q *= std::log2(1 + slq_j);
  return q;
}

Eigen::MatrixXd regional_coefficients(const Eigen::MatrixXd& national, const Eigen::VectorXd& slq,
                                      Quotient method, double lambda) {
  const Eigen::Index n = national.rows();
  Eigen::MatrixXd R(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      R(i, j) =
          national(i, j) * std::min(1.0, location_quotient(slq(i), slq(j), i == j, method, lambda));
  return R;
}

Eigen::VectorXd carried_row(const Eigen::VectorXd& national_row, const Eigen::VectorXd& x_national,
                            const Eigen::VectorXd& x_regional) {
  Eigen::VectorXd out(national_row.size());
  for (Eigen::Index j = 0; j < national_row.size(); ++j) {
    const double xn = x_national(j);
    out(j) = xn != 0 ? national_row(j) / xn * x_regional(j) : 0.0;
  }
  return out;
}

}  // namespace klaster::plugins::regionalize_io

KLASTER_PLUGIN(klaster::plugins::regionalize_io::RegionalizeIo)
