// location_quotient: LQ_ij = (e_ij / e_j) / (e_i / e), per year.
// Isard (1960); Miller & Blair (2009) sec. 8.5.1; REAT's locq(); O'Donoghue & Gleave (2004) for the
// standardised form.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/memory.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"
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
  std::size_t year(std::size_t c) const { return c / (cube.n_industries() * cube.n_regions()); }
  std::size_t region(std::size_t c) const { return (c / cube.n_industries()) % cube.n_regions(); }
  std::size_t industry(std::size_t c) const { return c % cube.n_industries(); }
};

class LocationQuotient final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "location_quotient";
    p.version = "1.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes location quotients of every industry in every region (and year)";
    p.description =
        "LQ_ij = (e_ij / e_j) / (e_i / e): the share of industry i in region j's activity against "
        "its share in the reference economy, here the sum over all regions in the table (per year "
        "when the table has a year column). LQ > 1 means region j is specialised in i.\n"
        "method = \"standard\" writes LQ; \"log\" writes ln(LQ) (cells with LQ = 0 are an error); "
        "\"standardized\" writes the O'Donoghue-Gleave standardised LQ, (LQ - mean) / sd with mean "
        "and sample sd of that industry's LQ across regions (per year).\n"
        "presence_threshold = t adds a column `present` = 1 where LQ >= t, else 0.\n"
        "Reference: Isard (1960); Miller & Blair (2009), sec. 8.5.1; O'Donoghue & Gleave (2004), "
        "Regional Studies 38(4).";
    p.params = cube_params("activity column (output, employment, ...)");
    p.params.insert(
        p.params.end(),
        {
            ParamSpec("method", ParamType::kString)
                .def("standard")
                .one_of({"standard", "log", "standardized"})
                .doc_("standard LQ, its natural log, or the O'Donoghue-Gleave standardised LQ"),
            ParamSpec("presence_threshold", ParamType::kFloat)
                .at_least(0)
                .doc_("if set, adds `present` = 1 where LQ >= threshold"),
            cube_missing_param(),
        });
    p.reads = {cube_read("non-negative activity by region and industry")};
    p.writes = {TableSpec::write("<output>", "one row per input row, in the input's row order")
                    .column(ColumnSpec::of("year"))
                    .column(ColumnSpec::of("region"))
                    .column(ColumnSpec::of("industry"))
                    .column(ColumnSpec::floats(
                        "lq",
                        "LQ (>= 0, 1 = the reference share), ln LQ (method = log) or the "
                        "standardised LQ, a z-score across regions (method = standardized)"))
                    .column(ColumnSpec::ints("present",
                                             "1 where LQ >= presence_threshold (before any "
                                             "transformation), else 0")
                                .when_given("presence_threshold"))};
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
    std::vector<double> lq = quotients(rows);
    std::vector<std::int64_t> present = presence(ctx.params(), lq);
    const std::string method = ctx.params().str("method");
    if (method == "log") take_logs(rows, lq);
    if (method == "standardized") standardize_across_regions(rows, lq);
    write_output(ctx, in, rows, std::move(lq), std::move(present));
  }

 private:
  /// The LQ of every output row. Throws DataError for a region or an industry whose total is zero.
  static std::vector<double> quotients(const OutputRows& rows) {
    const Cube& cube = rows.cube;
    const CubeTotals totals =
        cube_totals(cube.values(), cube.n_years(), cube.n_regions(), cube.n_industries());
    std::vector<double> lq;
    reserve_large(lq, rows.count);
    lq.resize(rows.count);
    parallel_for(rows.count, [&](std::size_t begin, std::size_t end) {
      for (std::size_t k = begin; k < end; ++k) {
        const std::size_t c = rows.cell(k);
        const std::size_t y = rows.year(c), r = rows.region(c), i = rows.industry(c);
        const double ej = totals.region[y * cube.n_regions() + r];
        const double ei = totals.industry[y * cube.n_industries() + i];
        if (ej <= 0)
          throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                          cube.options().value + "' in " + cube.where_year(y) +
                          ": its industry shares, and so its LQs, are undefined");
        if (ei <= 0)
          throw DataError("industry '" + cube.industries().labels[i] + "' has a zero total of '" +
                          cube.options().value + "' over all regions in " + cube.where_year(y) +
                          ": its LQs are undefined");
        lq[k] = location_quotient(cube.value(c), ej, ei, totals.all[y]);
      }
    });
    return lq;
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

CubeTotals cube_totals(const std::vector<double>& values, std::size_t years, std::size_t regions,
                       std::size_t industries) {
  CubeTotals t{std::vector<double>(years * regions, 0.0),
               std::vector<double>(years * industries, 0.0), std::vector<double>(years, 0.0)};
  for (std::size_t y = 0; y < years; ++y)
    for (std::size_t r = 0; r < regions; ++r)
      for (std::size_t i = 0; i < industries; ++i) {
        const double v = values[(y * regions + r) * industries + i];
        t.region[y * regions + r] += v;
        t.industry[y * industries + i] += v;
        t.all[y] += v;
      }
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
