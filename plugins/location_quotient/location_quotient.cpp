// location_quotient: LQ_ij = (e_ij / e_j) / (e_i / e), per year.
// Isard (1960); Miller & Blair (2009) sec. 8.5.1; REAT's locq(); O'Donoghue & Gleave (2004) for the
// standardised form.
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
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
    p.params = {
        ParamSpec("input", ParamType::kTable).req().doc_("long table with region, industry, [year], value"),
        ParamSpec("value", ParamType::kColumn).of("input").def("value").doc_("activity column (output, employment, ...)"),
        ParamSpec("region", ParamType::kColumn).of("input").def("region").doc_("region key column"),
        ParamSpec("industry", ParamType::kColumn).of("input").def("industry").doc_("industry key column"),
        ParamSpec("year", ParamType::kColumn).of("input").def("year").if_present().doc_("year key column; used when the table has it"),
        ParamSpec("method", ParamType::kString).def("standard").one_of({"standard", "log", "standardized"}).doc_("standard LQ, its natural log, or the O'Donoghue-Gleave standardised LQ"),
        ParamSpec("presence_threshold", ParamType::kFloat).at_least(0).doc_("if set, adds `present` = 1 where LQ >= threshold"),
        ParamSpec("missing", ParamType::kString).def("error").one_of({"error", "drop"}).doc_("rows with a missing value: an error, or dropped"),
    };
    p.reads = {{"input", "region, industry, [year], value", "non-negative activity by region and industry"}};
    p.writes = {{"<output>", "[year], region, industry, lq, [present]", "one row per input row"}};
    return p;
  }

  static CubeOptions options(const Params& params, const Schema& input) {
    CubeOptions o;
    o.region = params.str("region");
    o.industry = params.str("industry");
    o.value = params.str("value");
    o.year = input.has(params.str("year")) ? params.str("year") : "";
    o.drop_missing = params.str("missing") == "drop";
    return o;
  }

  void bind(BindContext& ctx) const override {
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = options(ctx.params(), in);
    if (*in.type_of(o.value) == ColumnType::kString)
      throw ParamError("value", "column '" + o.value + "' is a string column; LQ needs numbers");
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
    const Cube cube = Cube::from_table(in, options(params, in.schema()));
    const std::size_t Y = cube.n_years(), R = cube.n_regions(), I = cube.n_industries();

    std::vector<std::size_t> cells = cube.present_cells();
    std::vector<double> lq(Y * R * I, 0.0);
    std::vector<double> region_total(R), industry_total(I);
    for (std::size_t y = 0; y < Y; ++y) {
      std::fill(region_total.begin(), region_total.end(), 0.0);
      std::fill(industry_total.begin(), industry_total.end(), 0.0);
      double total = 0;
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < I; ++i) {
          const double v = cube.value(cube.cell(y, r, i));
          region_total[r] += v;
          industry_total[i] += v;
        }
      for (double v : region_total) total += v;
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < I; ++i) {
          const std::size_t c = cube.cell(y, r, i);
          if (!cube.present(c)) continue;
          if (region_total[r] <= 0)
            throw DataError("region '" + cube.regions().labels[r] + "' has a zero total of '" +
                            cube.options().value + "' in " + cube.where_year(y) +
                            ": its industry shares, and so its LQs, are undefined");
          if (industry_total[i] <= 0)
            throw DataError("industry '" + cube.industries().labels[i] + "' has a zero total of '" +
                            cube.options().value + "' over all regions in " + cube.where_year(y) +
                            ": its LQs are undefined");
          lq[c] = (cube.value(c) / region_total[r]) / (industry_total[i] / total);
        }
    }

    const std::string method = params.str("method");
    std::vector<double> result;
    result.reserve(cells.size());
    if (method == "standard") {
      for (auto c : cells) result.push_back(lq[c]);
    } else if (method == "log") {
      for (auto c : cells) {
        if (lq[c] <= 0) {
          const std::size_t I_ = I, R_ = R;
          throw DataError("log LQ is undefined where LQ = 0: " +
                          cube.where(c / (I_ * R_), (c / I_) % R_, c % I_));
        }
        result.push_back(std::log(lq[c]));
      }
    } else {  // standardized: O'Donoghue & Gleave (2004), per industry and year across regions
      std::vector<double> mean(Y * I, 0.0), sd(Y * I, 0.0);
      std::vector<std::size_t> count(Y * I, 0);
      for (auto c : cells) {
        const std::size_t k = (c / (I * R)) * I + c % I;
        mean[k] += lq[c];
        ++count[k];
      }
      for (std::size_t k = 0; k < mean.size(); ++k)
        if (count[k]) mean[k] /= static_cast<double>(count[k]);
      for (auto c : cells) {
        const std::size_t k = (c / (I * R)) * I + c % I;
        sd[k] += (lq[c] - mean[k]) * (lq[c] - mean[k]);
      }
      for (std::size_t k = 0; k < sd.size(); ++k) {
        if (count[k] < 2)
          throw DataError("standardized LQ needs at least two regions for industry '" +
                          cube.industries().labels[k % I] + "' in " + cube.where_year(k / I));
        sd[k] = std::sqrt(sd[k] / static_cast<double>(count[k] - 1));
      }
      for (auto c : cells) {
        const std::size_t k = (c / (I * R)) * I + c % I;
        if (sd[k] == 0)
          throw DataError("standardized LQ is undefined: industry '" +
                          cube.industries().labels[k % I] + "' has the same LQ in every region in " +
                          cube.where_year(k / I));
        result.push_back((lq[c] - mean[k]) / sd[k]);
      }
    }

    std::vector<Column> cols = cube.key_columns(cells);
    if (params.has("presence_threshold")) {
      const double t = params.real("presence_threshold");
      std::vector<std::int64_t> present;
      present.reserve(cells.size());
      for (auto c : cells) present.push_back(lq[c] >= t ? 1 : 0);
      cols.push_back(Column::make_floats("lq", std::move(result)));
      cols.push_back(Column::make_ints("present", std::move(present)));
    } else {
      cols.push_back(Column::make_floats("lq", std::move(result)));
    }
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::LocationQuotient)
