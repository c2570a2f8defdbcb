// End-to-end tests of the Kazakhstan pipelines configs/kz_specialization.toml and
// configs/kz_auto_value_chain.toml: each runs through the klaster executable into a temporary
// folder, and numbers of its output are recomputed here from the input CSVs (data/kz/output.csv,
// data/io/croatia_2010/*.csv) with the formulas of the plugin READMEs.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "klaster/sdk/csv.hpp"

namespace klaster::test {
namespace {

using sdk::ColumnType;

const fs::path kSource = KLASTER_SOURCE_DIR;

/// \brief Gross output (million KZT) by region and section for one year, from data/kz/output.csv.
std::map<std::string, std::map<std::string, double>> kz_output(std::int64_t year) {
  const sdk::Table t =
      sdk::read_csv(kSource / "data/kz/output.csv", {{"year", ColumnType::kInt},
                                                     {"region", ColumnType::kString},
                                                     {"industry", ColumnType::kString},
                                                     {"value", ColumnType::kFloat}});
  std::map<std::string, std::map<std::string, double>> out;
  const auto& y = t.column("year");
  const auto& r = t.column("region");
  const auto& i = t.column("industry");
  const auto& v = t.column("value");
  for (std::size_t k = 0; k < t.rows(); ++k)
    if (y.ints[k] == year) out[std::string(r.str(k))][std::string(i.str(k))] += v.floats[k];
  return out;
}

/// \brief The float in column `value` of the first row of `table` whose string columns match `keys`
/// (ints compared as text). Fails the test and returns NaN when there is no such row.
double lookup(const sdk::Table& table, const std::map<std::string, std::string>& keys,
              const std::string& value) {
  for (std::size_t k = 0; k < table.rows(); ++k) {
    bool match = true;
    for (const auto& [col, want] : keys) match = match && table.column(col).to_text(k) == want;
    if (match) return table.column(value).number(k);
  }
  ADD_FAILURE() << "no row with the given keys holding '" << value << "'";
  return std::nan("");
}

/// \brief Reads an output CSV of a run with the named columns (strings first, then floats).
sdk::Table read_out(const fs::path& file, const std::vector<std::string>& strings,
                    const std::vector<std::string>& floats,
                    const std::vector<std::string>& ints = {}) {
  std::vector<sdk::CsvColumnSpec> spec;
  for (const auto& s : strings) spec.push_back({s, ColumnType::kString});
  for (const auto& s : ints) spec.push_back({s, ColumnType::kInt});
  for (const auto& s : floats) spec.push_back({s, ColumnType::kFloat});
  return sdk::read_csv(file, spec);
}

/// \brief One pipeline run shared by the tests of a suite (running it takes a few seconds).
struct PipelineRun {
  explicit PipelineRun(const std::string& config, const std::string& name) : dir(name) {
    result = run_klaster("run configs/" + config + " --out '" + dir.path().string() + "'");
  }
  TempDir dir;
  CliResult result;
};

// ------------------------------------------------------------------------------------------------
// configs/kz_specialization.toml
// ------------------------------------------------------------------------------------------------

class KzSpecialization : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new PipelineRun("kz_specialization.toml", "kz_specialization");
  }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  static PipelineRun* run_;
};
PipelineRun* KzSpecialization::run_ = nullptr;

TEST_F(KzSpecialization, RunsAndPrintsSummaries) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  EXPECT_TRUE(contains(run_->result.out, "Krugman")) << run_->result.out;
  EXPECT_TRUE(contains(run_->result.out, "Moran")) << run_->result.out;
  for (const char* f :
       {"specialization.csv", "concentration.csv", "shift_share.csv", "lq_2025.csv", "knn4.csv",
        "moran_lq_c.csv", "moran_lq_c_local.csv", "cluster_strength.csv"})
    EXPECT_TRUE(fs::exists(run_->dir / f)) << f;
}

// Krugman (1991) K = sum_i |s_i - t_i| and Hoover = K / 2, region shares against the national mix
// (reference = "total"), recomputed for every region in 2025 from data/kz/output.csv.
TEST_F(KzSpecialization, KrugmanAndHooverMatchOutputCsv2025) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  const auto data = kz_output(2025);
  std::map<std::string, double> nation;
  double total = 0;
  for (const auto& [region, by_industry] : data)
    for (const auto& [industry, v] : by_industry) nation[industry] += v, total += v;
  const sdk::Table spec =
      read_out(run_->dir / "specialization.csv", {"region"}, {"krugman", "hoover"}, {"year"});
  ASSERT_EQ(data.size(), 20u);
  for (const auto& [region, by_industry] : data) {
    double region_total = 0;
    for (const auto& [industry, v] : by_industry) region_total += v;
    double krugman = 0;
    for (const auto& [industry, n] : nation) {
      const auto it = by_industry.find(industry);
      const double s = it == by_industry.end() ? 0.0 : it->second / region_total;
      krugman += std::abs(s - n / total);
    }
    EXPECT_NEAR(lookup(spec, {{"region", region}, {"year", "2025"}}, "krugman"), krugman, 1e-9)
        << region;
    EXPECT_NEAR(lookup(spec, {{"region", region}, {"year", "2025"}}, "hoover"), krugman / 2, 1e-9)
        << region;
  }
  // Kostanay, checked independently with pandas: 0.382930.
  EXPECT_NEAR(lookup(spec, {{"region", "KST"}, {"year", "2025"}}, "krugman"), 0.382930, 1e-6);
}

// The 2025 manufacturing LQ behind Moran's I is the ordinary LQ of section C (not 1 everywhere,
// which a filter on industry before the LQ step would give): (e_rC / e_r) / (E_C / E).
TEST_F(KzSpecialization, ManufacturingLqIsTheFullTableLq) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  const auto data = kz_output(2025);
  double c_total = 0, total = 0;
  for (const auto& [region, by_industry] : data)
    for (const auto& [industry, v] : by_industry) total += v, c_total += industry == "C" ? v : 0;
  double kst_total = 0;
  for (const auto& [industry, v] : data.at("KST")) kst_total += v;
  const double lq_kst = (data.at("KST").at("C") / kst_total) / (c_total / total);
  const sdk::Table local =
      read_out(run_->dir / "moran_lq_c_local.csv", {"region", "quadrant"}, {"value", "Ii"});
  EXPECT_EQ(local.rows(), 20u);
  EXPECT_NEAR(lookup(local, {{"region", "KST"}}, "value"), lq_kst, 1e-9);
  EXPECT_NEAR(lq_kst, 1.755281, 1e-6);  // pandas
  const sdk::Table global = read_out(run_->dir / "moran_lq_c.csv", {}, {"I", "expected"}, {"n"});
  ASSERT_EQ(global.rows(), 1u);
  EXPECT_EQ(global.column("n").ints[0], 20);
  EXPECT_NEAR(global.column("expected").floats[0], -1.0 / 19.0, 1e-12);
  // Row-standardised weights bound I by the extreme eigenvalues of W, which lie in [-1, 1].
  EXPECT_GE(global.column("I").floats[0], -1.0);
  EXPECT_LE(global.column("I").floats[0], 1.0);
}

// Dunn shift-share 2022 -> 2025: growth recomputed from the CSV, and the identity
// growth = national_share + industrial_mix + regional_share for every region.
TEST_F(KzSpecialization, ShiftShareGrowthAndIdentity) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  const auto from = kz_output(2022);
  const auto to = kz_output(2025);
  const sdk::Table ss = read_out(run_->dir / "shift_share.csv", {"region"},
                                 {"growth", "national_share", "industrial_mix", "regional_share"});
  ASSERT_EQ(ss.rows(), 20u);
  for (const auto& [region, by_industry] : to) {
    double growth = 0;
    for (const auto& [industry, v] : by_industry) growth += v;
    for (const auto& [industry, v] : from.at(region)) growth -= v;
    const double g = lookup(ss, {{"region", region}}, "growth");
    EXPECT_NEAR(g, growth, 1e-6 * std::abs(growth)) << region;
    const double parts = lookup(ss, {{"region", region}}, "national_share") +
                         lookup(ss, {{"region", region}}, "industrial_mix") +
                         lookup(ss, {{"region", region}}, "regional_share");
    EXPECT_NEAR(parts, g, 1e-6 * std::abs(g)) << region;
  }
}

// ------------------------------------------------------------------------------------------------
// configs/kz_auto_value_chain.toml
// ------------------------------------------------------------------------------------------------

class KzAutoValueChain : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new PipelineRun("kz_auto_value_chain.toml", "kz_auto_value_chain");
  }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  static PipelineRun* run_;

  /// The pipeline's stated demand shock: 70,000 cars x EUR 20,000 x HRK 7.29 per EUR, thousand HRK.
  static constexpr double kShock = 70000.0 * 20000.0 * 7.29 / 1000.0;
};
PipelineRun* KzAutoValueChain::run_ = nullptr;

/// \brief Cell (row code, column code) of a Croatian wide table, via the SDK's matrix reader.
double croatia_cell(const std::string& file, const std::string& row, const std::string& column) {
  const sdk::Table t = sdk::read_matrix_csv(kSource / "data/io/croatia_2010" / file, "row_label");
  return lookup(t, {{"row", row}, {"column", column}}, "value");
}

TEST_F(KzAutoValueChain, RunsAndPrintsSummaries) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  EXPECT_TRUE(contains(run_->result.out, "STAND-IN")) << run_->result.out;
  EXPECT_TRUE(contains(run_->result.out, "CPA_C29")) << run_->result.out;
}

// Local content (share 0.3 of imported CPA_C29 bought by C29): z' = z + 0.3 m, from tables
// 1800/1900.
TEST_F(KzAutoValueChain, LocalContentMovesThirtyPercentOfImportedParts) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  const double z = croatia_cell("croatia_2010_1800_wide.csv", "CPA_C29", "C29");
  const double m = croatia_cell("croatia_2010_1900_wide.csv", "CPA_C29", "C29");
  const sdk::Table lc = read_out(run_->dir / "local_content_30.csv", {"row", "column"}, {"value"});
  EXPECT_NEAR(lookup(lc, {{"row", "CPA_C29"}, {"column", "C29"}}, "value"), z + 0.3 * m, 1e-6);
}

// Direct backward linkage of C29 = sum_i a_i,C29 = sum_i z_i,C29 / x_C29 over the 63 products
// (CPA_TOTAL and CPA_U excluded), from table 1800.
TEST_F(KzAutoValueChain, DirectBackwardLinkageOfMotorVehicles) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  const sdk::Table t = sdk::read_matrix_csv(
      kSource / "data/io/croatia_2010/croatia_2010_1800_wide.csv", "row_label");
  const auto& row = t.column("row");
  const auto& col = t.column("column");
  const auto& val = t.column("value");
  double inputs = 0, x = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    if (col.str(k) != "C29") continue;
    const std::string_view r = row.str(k);
    if (r == "P1") x = val.floats[k];
    if (r.starts_with("CPA_") && r != "CPA_TOTAL" && r != "CPA_U") inputs += val.floats[k];
  }
  ASSERT_GT(x, 0);
  const sdk::Table links =
      read_out(run_->dir / "national_linkages.csv", {"sector"}, {"direct_backward"});
  EXPECT_NEAR(lookup(links, {{"sector", "CPA_C29"}}, "direct_backward"), inputs / x, 1e-9);
}

// FLQ regional output of C29 in Kostanay: x_r = x_n * E_KST,C / E_KZ,C (BNS 2025 manufacturing).
TEST_F(KzAutoValueChain, KostanayMotorVehicleOutputShare) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  const auto data = kz_output(2025);
  double c_total = 0;
  for (const auto& [region, by_industry] : data)
    c_total += by_industry.count("C") ? by_industry.at("C") : 0.0;
  const double share = data.at("KST").at("C") / c_total;
  const double x_n = croatia_cell("croatia_2010_1800_wide.csv", "P1", "C29");
  const sdk::Table sectors =
      read_out(run_->dir / "kst_io_sectors.csv", {"sector"}, {"regional_share", "regional_output"});
  EXPECT_NEAR(lookup(sectors, {{"sector", "CPA_C29"}}, "regional_share"), share, 1e-12);
  EXPECT_NEAR(lookup(sectors, {{"sector", "CPA_C29"}}, "regional_output"), x_n * share, 1e-6 * x_n);
}

// Properties of the scenario: the rule cannot lower C29's output multiplier; the shock's total
// output effect is at least the shock (L >= I); the rule raises output and employment effects.
TEST_F(KzAutoValueChain, ScenarioProperties) {
  ASSERT_EQ(run_->result.code, 0) << run_->result.err;
  const sdk::Table mult =
      read_out(run_->dir / "output_multiplier_change.csv", {"sector"}, {"baseline", "scenario"});
  const double base = lookup(mult, {{"sector", "CPA_C29"}}, "baseline");
  const double rule = lookup(mult, {{"sector", "CPA_C29"}}, "scenario");
  EXPECT_GT(base, 1.0);
  EXPECT_GE(rule, base);

  const sdk::Table shock = read_out(run_->dir / "kia_shock.csv", {"sector"}, {"delta"});
  EXPECT_NEAR(lookup(shock, {{"sector", "CPA_C29"}}, "delta"), kShock, 1e-6);
  EXPECT_NEAR(kShock, 10206000.0, 1e-6);

  const sdk::Table change =
      read_out(run_->dir / "impact_change.csv", {"quantity"}, {"baseline", "scenario"});
  EXPECT_GE(lookup(change, {{"quantity", "output"}}, "baseline"), kShock);
  EXPECT_GE(lookup(change, {{"quantity", "output"}}, "scenario"),
            lookup(change, {{"quantity", "output"}}, "baseline"));
  EXPECT_GE(lookup(change, {{"quantity", "employment"}}, "scenario"),
            lookup(change, {{"quantity", "employment"}}, "baseline"));
  EXPECT_GT(lookup(change, {{"quantity", "employment"}}, "baseline"), 0.0);

  // A region buys less from itself than the nation: Kostanay's output effect lies between the
  // shock and the national one.
  const sdk::Table kst =
      read_out(run_->dir / "kst_impact_change.csv", {"quantity"}, {"baseline", "scenario"});
  const double kst_out = lookup(kst, {{"quantity", "output"}}, "baseline");
  EXPECT_GE(kst_out, kShock);
  EXPECT_LE(kst_out, lookup(change, {{"quantity", "output"}}, "baseline"));
  EXPECT_GE(lookup(kst, {{"quantity", "output"}}, "scenario"), kst_out);
}

}  // namespace
}  // namespace klaster::test
