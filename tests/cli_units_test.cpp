// Units whose text depends on parameters and input columns (issue 12; README "Outputs", Units):
// the convention's rules on a plugin declared here (step_units), then run.json's units of every
// column united in issue 12, from one pipeline over data/kz, each expected text derived by hand
// from the formula in the plugin's README and the dataset's units (data/kz/dataset.toml:
// output "million KZT, current prices", employment "thousand persons", io_domestic and io_imports
// "thousand KZT, basic prices, 2024", io_employment "persons, 2024"; distance_matrix's
// distance_km is "km" by plugins/distance_matrix/README.md).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "klaster/sdk/plugin.hpp"
#include "units.hpp"

namespace klaster::test {
namespace {

using nlohmann::json;
using sdk::ColumnSpec;
using sdk::ParamSpec;
using sdk::ParamType;

/// A plugin reading `input` (columns `value`, `weight`) and writing one column per unit text.
sdk::PluginInfo info_with_units(const std::map<std::string, std::string>& units) {
  sdk::PluginInfo p;
  p.name = "units_probe";
  p.params = {ParamSpec("input", ParamType::kTable),
              ParamSpec("value", ParamType::kColumn).of("input").def("value"),
              ParamSpec("weight", ParamType::kColumn).of("input").def("weight"),
              ParamSpec("gamma", ParamType::kFloat).def(1.0),
              ParamSpec("lambda", ParamType::kFloat),
              ParamSpec("scale", ParamType::kFloat).def(1.0)};
  sdk::TableSpec t = sdk::TableSpec::write("<output>", "probe");
  for (const auto& [column, unit] : units) t.column(ColumnSpec::floats(column).in(unit));
  p.writes = {t};
  return p;
}

/// The units step_units gives the probe's columns, with `params` set over the defaults and the
/// input's value in "million KZT", its weight in "km".
ColumnUnits probe(const std::map<std::string, std::string>& units,
                  std::map<std::string, sdk::Value> params) {
  const sdk::PluginInfo info = info_with_units(units);
  params.emplace("input", std::string("in"));
  params.emplace("value", std::string("value"));
  params.emplace("weight", std::string("weight"));
  params.emplace("gamma", 1.0);
  params.emplace("scale", 1.0);
  sdk::Schema in, out;
  in.add("value", sdk::ColumnType::kFloat);
  in.add("weight", sdk::ColumnType::kFloat);
  for (const auto& [column, unit] : units) out.add(column, sdk::ColumnType::kFloat);
  const ColumnUnits in_units = {{"value", "million KZT"}, {"weight", "km"}};
  auto schemas = [&](std::string_view t) { return t == "in" ? &in : nullptr; };
  auto lookup = [&](const std::string& t) { return t == "in" ? &in_units : nullptr; };
  return step_units(info, sdk::Params(params), "o", {{"o", out}}, schemas, lookup)["o"];
}

// The rules as README.md states them ("Units"): <param> anywhere in the text, {param} a
// parameter's value, {param|text} its fallback, {1/param} the reciprocal, "^1" and a leading "1 "
// dropped, a unit holding a space put in parentheses before an exponent, dimensionless factors of
// a product dropped, and no unit at all when a part is unknown.
TEST(Units, TextsFromParametersAndInputColumns) {
  const std::map<std::string, std::string> declared = {
      {"potential", "<value>^{gamma} · <weight>^{lambda|-2}"},
      {"per_scale", "{1/scale} <value>"},
      {"lag", "<value> · dimensionless"},
      {"unknown", "<value> · {lambda}"}};
  ColumnUnits u = probe(declared, {});
  EXPECT_EQ(u["potential"], "million KZT · km^-2");
  EXPECT_EQ(u["per_scale"], "million KZT");
  EXPECT_EQ(u["lag"], "million KZT");
  EXPECT_FALSE(u.count("unknown"));  // lambda not given, no fallback
  u = probe(declared, {{"gamma", 0.5}, {"lambda", -1.5}, {"scale", 0.001}});
  EXPECT_EQ(u["potential"], "(million KZT)^0.5 · km^-1.5");
  EXPECT_EQ(u["per_scale"], "1000 million KZT");  // 1 / 0.001
  EXPECT_EQ(u["unknown"], "million KZT · -1.5");
  // {1/param} as README.md states it: the decimal when short (1 / 4 = 0.25), else the fraction
  // 1/N: 1 / 1e6 = 1e-06 (exponent notation), 1 / 3 = 0.3333333333333333 (16 digits).
  EXPECT_EQ(probe(declared, {{"scale", 4.0}})["per_scale"], "0.25 million KZT");
  EXPECT_EQ(probe(declared, {{"scale", 1e6}})["per_scale"], "1/1000000 million KZT");
  EXPECT_EQ(probe(declared, {{"scale", 3.0}})["per_scale"], "1/3 million KZT");
}

/// run.json's units of every table of the run in `dir`, by table name.
std::map<std::string, json> run_units(const fs::path& dir) {
  const json run = json::parse(read_text(dir / "out/run.json"));
  std::map<std::string, json> units;
  for (const auto& s : run["steps"])
    for (const auto& t : s["tables_written"]) units[t["table"]] = t.value("units", json::object());
  return units;
}

constexpr const char* kRegionSteps = R"(
[[step]]
id = "dist"
plugin = "distance_matrix"
params = { points = "regions", id = "code" }

[[step]]
id = "dist_self"
plugin = "distance_matrix"
params = { points = "regions", id = "code", include_self = true }

[[step]]
id = "w_inverse"
plugin = "spatial_weights"
params = { input = "regions", region = "code", method = "inverse_distance", power = 2.0 }

[[step]]
id = "w_knn"
plugin = "spatial_weights"
params = { input = "regions", region = "code", method = "knn", k = 3, row_standardize = true }

[[step]]
id = "w_band"
plugin = "spatial_weights"
params = { input = "regions", region = "code", method = "distance_band", threshold = 800.0 }

[[step]]
id = "moran"
plugin = "morans_i"
params = { input = "output", weights = "w_inverse", local = true, permutations = 0, missing = "drop" }
where = { input = { year = 2024, industry = "C" } }

[[step]]
id = "moran_row"
plugin = "morans_i"
params = { input = "output", weights = "w_band", local = true, permutations = 0, transform = "row", missing = "drop" }
where = { input = { year = 2024, industry = "C" } }

[[step]]
id = "hansen"
plugin = "accessibility"
params = { distances = "dist", destinations = "output", attraction = "value", duplicates = "sum" }
where = { destinations = { year = 2024 } }

[[step]]
id = "hansen_half"
plugin = "accessibility"
params = { distances = "dist", destinations = "output", attraction = "value", duplicates = "sum", gamma = 0.5 }
where = { destinations = { year = 2024 } }

[[step]]
id = "hansen_exp"
plugin = "accessibility"
params = { distances = "dist", destinations = "output", attraction = "value", duplicates = "sum", decay = "exponential", lambda = -0.01 }
where = { destinations = { year = 2024 } }

[[step]]
id = "harris"
plugin = "accessibility"
params = { distances = "dist", destinations = "output", attraction = "value", duplicates = "sum", method = "harris" }
where = { destinations = { year = 2024 } }

[[step]]
id = "hub_median"
plugin = "hub_location"
params = { distances = "dist_self", demand = "employment", weight = "employed", p = 2 }
where = { demand = { year = 2024 } }

[[step]]
id = "hub_center"
plugin = "hub_location"
params = { distances = "dist_self", demand = "employment", weight = "employed", p = 2, objective = "center" }
where = { demand = { year = 2024 } }

[[step]]
id = "hub_wcenter"
plugin = "hub_location"
params = { distances = "dist_self", demand = "employment", weight = "employed", p = 2, objective = "center", weighted_center = true }
where = { demand = { year = 2024 } }

[[step]]
id = "tree_km"
plugin = "hierarchical_clusters"
params = { pairs = "dist", item_a = "origin", item_b = "destination", pair_value = "distance_km", k = 3 }

[[step]]
id = "tree_output"
plugin = "hierarchical_clusters"
params = { features = "output", item = "region", feature = "industry", value = "value", k = 3 }
where = { features = { year = 2024 } }
)";

constexpr const char* kIoSteps = R"(
[[step]]
id = "leo"
plugin = "leontief"
params = { input = "io_domestic", write_inverse = true, write_coefficients = true, ghosh = true }

[[step]]
id = "mult"
plugin = "multipliers"
params = { input = "io_domestic", type = "I", employment_table = "io_employment", employment_key = "code", employment_value = "employed" }

[[step]]
id = "mult_ratio"
plugin = "multipliers"
params = { input = "io_domestic", type = "I", convention = "ratio", employment_table = "io_employment", employment_key = "code", employment_value = "employed" }

[[step]]
id = "fee"
plugin = "import_duty"
params = { input = "io_domestic", imports = "io_imports", products = ["29"], columns = ["P3_S14", "P51G"], sigma = 2.8, fee = 1200000.0, import_price = 12000000.0 }

[[step]]
id = "impact"
plugin = "io_impact"
params = { input = "io_domestic", demand_change = "fee", type = "I", employment_table = "io_employment", employment_key = "code", employment_value = "employed" }

[[step]]
id = "impact_k"
plugin = "io_impact"
params = { input = "io_domestic", demand_change = "fee", type = "I", employment_table = "io_employment", employment_key = "code", employment_value = "employed", employment_scale = 0.001 }

[[step]]
id = "net"
plugin = "network_clusters"
params = { input = "io_domestic", exclude = ["97-98"], restarts = 2 }

[[step]]
id = "net_shares"
plugin = "network_clusters"
params = { input = "io_domestic", exclude = ["97-98"], restarts = 2, weights = "shares" }

[[step]]
id = "templates"
plugin = "feser_bergman"
params = { input = "io_total", exclude = ["84", "87-88", "97-98"] }

[[step]]
id = "tree_l"
plugin = "hierarchical_clusters"
params = { pairs = "templates_l", item_a = "industry_a", item_b = "industry_b", pair_value = "l", kind = "similarity", method = "average", k = 12 }

[[step]]
id = "lc"
plugin = "local_content"
params = { input = "io_domestic", imports = "io_imports", inputs = ["29"], buyers = ["29"], share = 0.3, total_rows = ["TOTAL"], total_columns = ["TOTAL_INT", "TU"] }

[[step]]
id = "subst"
plugin = "import_substitution"
params = { input = "io_domestic", imports = "io_imports", products = ["29"], share = 0.3, columns = ["P3_S14"] }

[[step]]
id = "kst_io"
plugin = "regionalize_io"
params = { input = "io_domestic", activity = "output", year = 2024, region = "KST", method = "flq", delta = 0.3, missing_industry = "zero", carry_rows = ["D1", "B1G"], industry_map_table = "io_products", industry_map_sector = "code", industry_map_industry = "nace_section" }
)";

/// One run of `steps` over data/kz in a fresh folder, shared by the tests of one suite.
class KzUnits {
 public:
  explicit KzUnits(const std::string& name, const std::string& steps) : dir_(name) {
    write_text(dir_.path() / "p.toml", "name = \"units\"\ndataset = \"" KLASTER_SOURCE_DIR
                                       "/data/kz\"\noutput = \"out\"\n" +
                                           steps);
    result_ = run_klaster("run p.toml --quiet", dir_.path());
    if (result_.code == 0) units_ = run_units(dir_.path());
  }
  const CliResult& result() const { return result_; }
  std::map<std::string, json>& units() { return units_; }

 private:
  TempDir dir_;
  CliResult result_;
  std::map<std::string, json> units_;
};

constexpr const char* kMoney = "million KZT, current prices";
constexpr const char* kIo = "thousand KZT, basic prices, 2024";

// spatial_weights, morans_i, accessibility, hub_location, hierarchical_clusters: the "Units"
// lines of their READMEs.
TEST(Units, RegionPluginsInRunJson) {
  KzUnits run("units_regions", kRegionSteps);
  ASSERT_EQ(run.result().code, 0) << run.result().err;
  auto& u = run.units();
  // w = d^-power (inverse_distance), 1 (distance_band), w / sum (row_standardize).
  EXPECT_EQ(u["w_inverse"]["weight"], "km^-2");
  EXPECT_EQ(u["w_knn"]["weight"], "share");
  EXPECT_EQ(u["w_band"]["weight"], "dimensionless");
  // lag = sum_j w_ij z_j: the value's unit times w's; row-standardised, the value's.
  EXPECT_EQ(u["moran_local"]["lag"], std::string(kMoney) + " · km^-2");
  EXPECT_EQ(u["moran_row_local"]["lag"], kMoney);
  // A_i = sum_j S_j^gamma d_ij^lambda (lambda = -2 by default; -1 for harris); exponential:
  // S^gamma.
  EXPECT_EQ(u["hansen"]["accessibility"], std::string(kMoney) + " · km^-2");
  EXPECT_EQ(u["hansen_half"]["accessibility"], "(" + std::string(kMoney) + ")^0.5 · km^-2");
  EXPECT_EQ(u["hansen_exp"]["accessibility"], kMoney);
  EXPECT_EQ(u["harris"]["market_potential"], std::string(kMoney) + " · km^-1");
  // median sum_i w_i d_i and weighted center max_i w_i d_i: weight times distance; center: km.
  for (const char* t : {"hub_median_objective", "hub_wcenter_objective"}) {
    EXPECT_EQ(u[t]["value"], "thousand persons · km") << t;
    EXPECT_EQ(u[t]["bound"], "thousand persons · km") << t;
  }
  EXPECT_EQ(u["hub_center_objective"]["value"], "km");
  // Merge heights in the dissimilarity's unit: km, the features' (euclidean) money.
  EXPECT_EQ(u["tree_km"]["height"], "km");
  EXPECT_EQ(u["tree_output"]["height"], kMoney);
  EXPECT_EQ(u["tree_km_silhouette"]["width"], "index (-1..1)");
}

// leontief, multipliers, io_impact, network_clusters, feser_bergman, local_content,
// import_substitution, regionalize_io: the "Units" lines of their READMEs.
TEST(Units, IoPluginsInRunJson) {
  KzUnits run("units_io", kIoSteps);
  ASSERT_EQ(run.result().code, 0) << run.result().err;
  auto& u = run.units();
  EXPECT_EQ(u["leo_inverse"]["value"], "output per unit of final demand");
  EXPECT_EQ(u["leo_coefficients"]["value"], "input per unit of output");
  EXPECT_EQ(u["leo_ghosh_inverse"]["value"], "output per unit of primary input");
  EXPECT_EQ(u["mult"]["output_multiplier"], "output per unit of final demand");
  EXPECT_EQ(u["mult_ratio"]["output_multiplier"], "ratio");
  // employment = employed x employment_scale: persons; with 0.001, units of 1000 persons.
  EXPECT_EQ(u["impact"]["employment_total"], "persons, 2024");
  EXPECT_EQ(u["impact_k"]["employment_direct"], "1000 persons, 2024");
  EXPECT_EQ(u["impact"]["output_total"], kIo);
  // strengths: sums of flows (the table's unit) or of shares (numbers).
  EXPECT_EQ(u["net"]["strength"], kIo);
  EXPECT_EQ(u["net_summary"]["internal_weight"], kIo);
  EXPECT_EQ(u["net_quality"]["total_weight"], kIo);
  EXPECT_EQ(u["net_shares"]["strength"], "dimensionless");
  EXPECT_EQ(u["templates_l"]["l"], "correlation (-1..1)");
  EXPECT_EQ(u["templates_factors"]["variance_share"], "share (0-1)");
  EXPECT_EQ(u["templates"]["loading"], "dimensionless");
  EXPECT_EQ(u["tree_l"]["height"], "dimensionless");  // d = 1 - s
  EXPECT_EQ(u["lc"]["value"], kIo);
  EXPECT_EQ(u["lc_imports"]["value"], kIo);
  EXPECT_EQ(u["subst"]["value"], kIo);
  EXPECT_EQ(u["subst_imports"]["value"], kIo);
  EXPECT_EQ(u["kst_io"]["value"], kIo);
  EXPECT_EQ(u["kst_io_coefficients"]["value"], "input per unit of output");
}

}  // namespace
}  // namespace klaster::test
