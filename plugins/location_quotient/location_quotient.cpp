// location_quotient: LQ_ij = (e_ij / e_j) / (e_i / e), per year.
// Isard (1960); Miller & Blair (2009) sec. 8.5.1; REAT's locq(); O'Donoghue & Gleave (2004) for the
// standardised form.
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/memory.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

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
    p.reads = {{"input", "region, industry, [year], value",
                "non-negative activity by region and industry"}};
    p.writes = {{"<output>", "[year], region, industry, lq, [present]", "one row per input row"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = cube_options(ctx.params(), in);
    Schema out;
    if (!o.year.empty()) out.add(o.year, *in.type_of(o.year));
    out.add(o.region, *in.type_of(o.region));
    out.add(o.industry, *in.type_of(o.industry));
    out.add("lq", ColumnType::kFloat);
    if (ctx.params().has("presence_threshold")) out.add("present", ColumnType::kInt);
    ctx.declare_output(ctx.output_name(), out);
  }

  void run(RunContext& ctx) const override {
    const Table& in = ctx.table_of_param("input");
    const Params& params = ctx.params();
    const auto shared_cube = Cube::shared(in, cube_options(params, in.schema()));
    const Cube& cube = *shared_cube;
    const std::size_t Y = cube.n_years(), R = cube.n_regions(), I = cube.n_industries();

    // Totals per year: e_j (region), e_i (industry), e.
    std::vector<double> region_total(Y * R, 0.0), industry_total(Y * I, 0.0), total(Y, 0.0);
    for (std::size_t y = 0; y < Y; ++y)
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < I; ++i) {
          const double v = cube.value(cube.cell(y, r, i));
          region_total[y * R + r] += v;
          industry_total[y * I + i] += v;
          total[y] += v;
        }

    // One output row per input row, in input order. Rows can only be missing from the cube when
    // missing = "drop" (otherwise the cube refused them); `kept` then lists the rows kept.
    std::vector<std::size_t> kept;
    const bool dropped = [&] {
      if (!cube.options().drop_missing) return false;
      for (std::size_t row = 0; row < in.rows(); ++row)
        if (cube.cell_of_row(row) != SIZE_MAX) kept.push_back(row);
      return kept.size() != in.rows();
    }();
    const std::size_t n_out = dropped ? kept.size() : in.rows();
    auto cell_at = [&](std::size_t k) { return cube.cell_of_row(dropped ? kept[k] : k); };

    std::vector<double> lq;
    reserve_large(lq, n_out);
    lq.resize(n_out);
    parallel_for(n_out, [&](std::size_t begin, std::size_t end) {
      for (std::size_t k = begin; k < end; ++k) {
        const std::size_t c = cell_at(k);
        const std::size_t i = c % I, r = (c / I) % R, y = c / (I * R);
        const double ej = region_total[y * R + r], ei = industry_total[y * I + i];
        if (ej <= 0)
          throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                          cube.options().value + "' in " + cube.where_year(y) +
                          ": its industry shares, and so its LQs, are undefined");
        if (ei <= 0)
          throw DataError("industry '" + cube.industries().labels[i] + "' has a zero total of '" +
                          cube.options().value + "' over all regions in " + cube.where_year(y) +
                          ": its LQs are undefined");
        lq[k] = (cube.value(c) / ej) / (ei / total[y]);
      }
    });

    std::vector<std::int64_t> present;
    if (params.has("presence_threshold")) {
      const double t = params.real("presence_threshold");
      present.reserve(lq.size());
      for (double v : lq) present.push_back(v >= t ? 1 : 0);
    }

    const std::string method = params.str("method");
    if (method == "log") {
      for (std::size_t k = 0; k < lq.size(); ++k) {
        if (lq[k] <= 0) {
          const std::size_t c = cell_at(k);
          throw DataError("log LQ is undefined where LQ = 0: " +
                          cube.where(c / (I * R), (c / I) % R, c % I));
        }
        lq[k] = std::log(lq[k]);
      }
    } else if (method == "standardized") {
      // O'Donoghue & Gleave (2004): per industry and year, across regions.
      std::vector<double> mean(Y * I, 0.0), ss(Y * I, 0.0);
      std::vector<std::size_t> count(Y * I, 0);
      auto group = [&](std::size_t k) {
        const std::size_t c = cell_at(k);
        return (c / (I * R)) * I + c % I;
      };
      for (std::size_t k = 0; k < lq.size(); ++k) {
        mean[group(k)] += lq[k];
        ++count[group(k)];
      }
      for (std::size_t g = 0; g < mean.size(); ++g)
        if (count[g]) mean[g] /= static_cast<double>(count[g]);
      for (std::size_t k = 0; k < lq.size(); ++k) {
        const std::size_t g = group(k);
        ss[g] += (lq[k] - mean[g]) * (lq[k] - mean[g]);
      }
      for (std::size_t g = 0; g < ss.size(); ++g) {
        if (count[g] == 0) continue;
        if (count[g] < 2)
          throw DataError("standardized LQ needs at least two regions for industry '" +
                          cube.industries().labels[g % I] + "' in " + cube.where_year(g / I));
        const double sd = std::sqrt(ss[g] / static_cast<double>(count[g] - 1));
        if (sd == 0)
          throw DataError("standardized LQ is undefined: industry '" +
                          cube.industries().labels[g % I] +
                          "' has the same LQ in every region in " + cube.where_year(g / I));
        ss[g] = sd;
      }
      for (std::size_t k = 0; k < lq.size(); ++k) {
        const std::size_t g = group(k);
        lq[k] = (lq[k] - mean[g]) / ss[g];
      }
    }
    const bool all_rows = !dropped;

    // Key columns are the input's own (shared, not copied) when every row is kept.
    std::vector<ColumnPtr> cols;
    const CubeOptions& o = cube.options();
    std::vector<std::string> keys;
    if (cube.has_year()) keys.push_back(o.year);
    keys.push_back(o.region);
    keys.push_back(o.industry);
    for (const auto& k : keys)
      cols.push_back(all_rows ? in.column_ptr(k)
                              : std::make_shared<const Column>(Column::take(in.column(k), kept)));
    cols.push_back(std::make_shared<const Column>(Column::make_floats("lq", std::move(lq))));
    if (!present.empty() || params.has("presence_threshold"))
      cols.push_back(
          std::make_shared<const Column>(Column::make_ints("present", std::move(present))));
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::LocationQuotient)
