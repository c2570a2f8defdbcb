#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/testing.hpp"
#include "regionalize_io_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace regionalize_io = klaster::plugins::regionalize_io;

namespace {

// National table: Z = [[10, 60], [30, 30]], x = (100, 300), so A = [[0.1, 0.2], [0.3, 0.1]];
// compensation D1 = (20, 90); final demand F = x - Z 1.
Table national_table() {
  LabelledMatrix m;
  m.row_labels = {"A", "B", "D1", "P1"};
  m.col_labels = {"A", "B", "F"};
  m.values.resize(4, 3);
  m.values << 10, 60, 30, 30, 30, 240, 20, 90, 0, 100, 300, 0;
  return matrix_to_long(m);
}

// Activity: region R has A 30, B 20; region S has A 70, B 280 (2025). National A 100, B 300,
// TNE = 400, TRE = 50. Another year (2024) that must be ignored when year = 2025.
Table activity_table() {
  return Table({Column::make_ints("year", {2025, 2025, 2025, 2025, 2024, 2024}),
                Column::make_strings("region", {"R", "R", "S", "S", "R", "S"}),
                Column::make_strings("industry", {"A", "B", "A", "B", "A", "B"}),
                Column::make_floats("value", {30, 20, 70, 280, 1, 1})});
}

std::map<std::string, Value> params(const std::string& method) {
  return {{"input", std::string("io")},
          {"activity", std::string("act")},
          {"region", std::string("R")},
          {"year", std::int64_t{2025}},
          {"method", method}};
}

double r(const Table& coefficients, const std::string& row, const std::string& col) {
  return value_at(coefficients, "value", {{"row", row}, {"column", col}});
}

std::map<std::string, Table> run(const std::string& method,
                                 std::map<std::string, Value> extra = {}) {
  auto p = params(method);
  for (auto& [k, v] : extra) p[k] = v;
  return run_step(p, {{"io", national_table()}, {"act", activity_table()}}, "reg");
}

}  // namespace

// Hand-computed with the formulas of Miller & Blair (2009) sec. 8.5 and Flegg & Webber (1997,
// 2000): SLQ_A = (30/50)/(100/400) = 2.4, SLQ_B = (20/50)/(300/400) = 0.533333.
// SLQ: row A keeps a (2.4 > 1); row B is scaled by 0.533333: r_BA = 0.16, r_BB = 0.0533333.
TEST(RegionalizeIo, SimpleLocationQuotient) {
  const Table R = run("slq").at("reg_coefficients");
  EXPECT_NEAR(r(R, "A", "A"), 0.1, 1e-12);
  EXPECT_NEAR(r(R, "A", "B"), 0.2, 1e-12);
  EXPECT_NEAR(r(R, "B", "A"), 0.16, 1e-12);
  EXPECT_NEAR(r(R, "B", "B"), 0.0533333, 1e-7);
  const Table s = run("slq").at("reg_sectors");
  EXPECT_NEAR(value_at(s, "slq", {{"sector", "A"}}), 2.4, 1e-12);
  EXPECT_NEAR(value_at(s, "regional_output", {{"sector", "A"}}), 30, 1e-12);
}

// CILQ_BA = SLQ_B / SLQ_A = 0.222222 -> r_BA = 0.3 * 0.222222 = 0.0666667; CILQ_AB = 4.5 -> capped;
// the diagonal uses SLQ: r_BB = 0.0533333.
TEST(RegionalizeIo, CrossIndustryLocationQuotient) {
  const Table R = run("cilq").at("reg_coefficients");
  EXPECT_NEAR(r(R, "A", "B"), 0.2, 1e-12);
  EXPECT_NEAR(r(R, "B", "A"), 0.0666667, 1e-7);
  EXPECT_NEAR(r(R, "B", "B"), 0.0533333, 1e-7);
}

// FLQ, delta = 0.3: lambda = [log2(1 + 50/400)]^0.3 = 0.169925^0.3 = 0.587594.
// FLQ_BA = 0.222222 * 0.587594 = 0.130576 -> r_BA = 0.0391729;
// FLQ_BB = 0.533333 * 0.587594 = 0.313383 -> r_BB = 0.0313383; FLQ_AB = 4.5 * 0.587594 -> capped.
TEST(RegionalizeIo, FleggLocationQuotient) {
  const Table R = run("flq").at("reg_coefficients");
  EXPECT_NEAR(r(R, "A", "A"), 0.1, 1e-12);  // 2.4 * 0.587594 = 1.41 -> capped
  EXPECT_NEAR(r(R, "A", "B"), 0.2, 1e-12);
  EXPECT_NEAR(r(R, "B", "A"), 0.0391729, 1e-7);
  EXPECT_NEAR(r(R, "B", "B"), 0.0313383, 1e-7);
}

// AFLQ: column A has SLQ_A = 2.4 > 1, so FLQ_BA is raised by log2(3.4) = 1.765535:
// 0.130576 * 1.765535 = 0.230537 -> r_BA = 0.0691611; column B (SLQ < 1) stays FLQ.
TEST(RegionalizeIo, AugmentedFleggLocationQuotient) {
  const Table R = run("aflq").at("reg_coefficients");
  EXPECT_NEAR(r(R, "B", "A"), 0.0691611, 1e-7);
  EXPECT_NEAR(r(R, "B", "B"), 0.0313383, 1e-7);
}

// delta = 0 gives lambda = 1: FLQ equals CILQ (Flegg & Webber 1997).
TEST(RegionalizeIo, FlqWithDeltaZeroIsCilq) {
  const Table flq = run("flq", {{"delta", 0.0}}).at("reg_coefficients");
  const Table cilq = run("cilq").at("reg_coefficients");
  for (std::size_t k = 0; k < flq.rows(); ++k)
    EXPECT_DOUBLE_EQ(flq.column("value").floats[k], cilq.column("value").floats[k]);
}

// Contract with leontief/multipliers: <output> read as an IO table (default options: total output
// in P1, f = x - Z 1) gives back the regional coefficients, and x_r = x_n * E_r / E_n = (30, 20).
// Carried rows keep the national per-unit coefficient: D1_r = (20/100 * 30, 90/300 * 20) = (6, 6).
TEST(RegionalizeIo, RegionalTableReadsBackAsCoefficients) {
  auto out = run("flq", {{"carry_rows", std::vector<std::string>{"D1"}}});
  const IoSystem io = IoSystem::from_matrix(matrix_from_long(out.at("reg")), IoOptions{});
  const LabelledMatrix R = matrix_from_long(out.at("reg_coefficients"));
  ASSERT_EQ(io.sectors(), (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(io.technical_coefficients().isApprox(R.values, 1e-14));
  EXPECT_DOUBLE_EQ(io.x()(0), 30);
  EXPECT_DOUBLE_EQ(io.x()(1), 20);
  const Eigen::VectorXd d1 = io.row("D1", "test");
  EXPECT_DOUBLE_EQ(d1(0), 6);
  EXPECT_DOUBLE_EQ(d1(1), 6);
}

// Properties on the real Croatia 2010 domestic table (65 CPA products, sectors matched to NACE
// sections): a region with exactly 10 % of every section has SLQ = CILQ = 1, so SLQ and CILQ keep
// the national coefficients, FLQ scales all of them by lambda = [log2(1.1)]^0.3, and every method
// gives r_ij <= a_ij.
TEST(RegionalizeIo, CroatiaUniformRegionProperties) {
  const Table io = read_matrix_csv(
      std::string(KLASTER_SOURCE_DIR) + "/data/io/croatia_2010/croatia_2010_1800_wide.csv",
      "row_label");
  std::vector<std::string> regions, industries;
  std::vector<double> values;
  for (char s = 'A'; s <= 'U'; ++s) {
    for (const auto& [region, v] : {std::pair<std::string, double>{"R", 1}, {"S", 9}}) {
      regions.push_back(region);
      industries.push_back(std::string(1, s));
      values.push_back(v * (s - 'A' + 1));
    }
  }
  const Table act({Column::make_strings("region", regions),
                   Column::make_strings("industry", industries),
                   Column::make_floats("value", values)});
  std::map<std::string, Value> p = {{"input", std::string("io")},
                                    {"activity", std::string("act")},
                                    {"region", std::string("R")},
                                    {"row_prefix", std::string("CPA_")},
                                    {"exclude", std::vector<std::string>{"CPA_TOTAL"}},
                                    {"industry_of_sector", std::string("nace_section")}};
  std::map<std::string, LabelledMatrix> R;
  for (const std::string method : {"slq", "cilq", "flq", "aflq"}) {
    p["method"] = method;
    R[method] =
        matrix_from_long(run_step(p, {{"io", io}, {"act", act}}, "reg").at("reg_coefficients"));
  }
  const IoSystem national = IoSystem::from_matrix(
      matrix_from_long(io), IoOptions{{}, {"CPA_TOTAL"}, "CPA_", {}, "P1", {}, false});
  const Eigen::MatrixXd A = national.technical_coefficients();
  ASSERT_EQ(A.rows(), 65);
  const double lambda = std::pow(std::log2(1.1), 0.3);
  EXPECT_TRUE(R["slq"].values.isApprox(A, 1e-12));
  EXPECT_TRUE(R["cilq"].values.isApprox(A, 1e-12));
  EXPECT_TRUE(R["flq"].values.isApprox(lambda * A, 1e-12));
  EXPECT_TRUE(R["aflq"].values.isApprox(lambda * A, 1e-12));  // no SLQ > 1
  for (const auto& [method, m] : R) EXPECT_LE((m.values - A).maxCoeff(), 1e-15) << method;
}

TEST(RegionalizeIo, UnknownRegionAndYearAreNamed) {
  const ThrownParamError e = param_error([&] { run("flq", {{"region", std::string("Q")}}); });
  EXPECT_EQ(e.param, "region") << e.message;
  EXPECT_EQ(e.message, "region 'Q' is not in column 'region' of table 'act' (did you mean 'R'?)");
  auto p = params("flq");
  p.erase("year");
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step(p, {{"io", national_table()}, {"act", activity_table()}});
            }),
            "table 'act' has several years (2024, 2025); choose one with 'year'");
}

TEST(RegionalizeIo, SectorWithoutActivityIsAnError) {
  Table act({Column::make_strings("region", {"R", "S"}),
             Column::make_strings("industry", {"A", "A"}), Column::make_floats("value", {1, 3})});
  auto p = params("flq");
  p.erase("year");
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(p, {{"io", national_table()}, {"act", act}});
            }),
            "no national activity in table 'act' for sectors B (industry 'B'); map them with "
            "industry_map or set missing_industry = \"zero\"");
  p["missing_industry"] = std::string("zero");
  const Table s = run_step(p, {{"io", national_table()}, {"act", act}}).at("step_sectors");
  EXPECT_EQ(value_at(s, "regional_output", {{"sector", "B"}}), 0.0);
}

TEST(RegionalizeIo, DeltaOutOfRange) {
  EXPECT_THROW(run("flq", {{"delta", 1.0}}), ParamError);
  EXPECT_THROW(run("flq", {{"delta", -0.1}}), ParamError);
}

// A mapping table (here: a product list with a section column, as data/kz's io_products) gives
// each sector its industry; swapping A and B makes sector A take industry B's activity:
// x_r,A = x_n,A * E_r,B / E_n,B = 100 * 20/300 = 6.66667 and x_r,B = 300 * 30/100 = 90. Codes the
// IO table lacks (X) are ignored; an industry_map entry is checked first.
TEST(RegionalizeIo, IndustryMapTable) {
  const Table map({Column::make_strings("code", {"A", "B", "X"}),
                   Column::make_strings("section", {"B", "A", "C"})});
  std::map<std::string, Value> p = params("flq");
  p["industry_map_table"] = std::string("products");
  p["industry_map_sector"] = std::string("code");
  p["industry_map_industry"] = std::string("section");
  const std::map<std::string, Table> tables = {
      {"io", national_table()}, {"act", activity_table()}, {"products", map}};
  const Table s = run_step(p, tables, "reg").at("reg_sectors");
  EXPECT_EQ(s.column("industry").to_text(0), "B");
  EXPECT_NEAR(value_at(s, "regional_output", {{"sector", "A"}}), 100.0 * 20 / 300, 1e-12);
  EXPECT_NEAR(value_at(s, "regional_output", {{"sector", "B"}}), 90, 1e-12);

  p["industry_map"] = std::vector<std::string>{"A=A"};
  const Table inline_first = run_step(p, tables, "reg").at("reg_sectors");
  EXPECT_NEAR(value_at(inline_first, "regional_output", {{"sector", "A"}}), 30, 1e-12);
}

// Numeric product codes (BNS: 01, 29) have no NACE section letter; the table maps them.
TEST(RegionalizeIo, IndustryMapTableForNumericCodes) {
  LabelledMatrix m{{"01", "29", "P1"}, {"01", "29", "F"}, Eigen::MatrixXd(3, 3)};
  m.values << 10, 60, 30, 30, 30, 240, 100, 300, 0;
  const Table products({Column::make_strings("code", {"01", "29"}),
                        Column::make_strings("nace_section", {"A", "C"})});
  const Table act({Column::make_strings("region", {"R", "R", "S", "S"}),
                   Column::make_strings("industry", {"A", "C", "A", "C"}),
                   Column::make_floats("value", {30, 20, 70, 280})});
  std::map<std::string, Value> p = {{"input", std::string("io")},
                                    {"activity", std::string("act")},
                                    {"region", std::string("R")},
                                    {"industry_of_sector", std::string("nace_section")}};
  const std::map<std::string, Table> tables = {
      {"io", matrix_to_long(m)}, {"act", act}, {"products", products}};
  EXPECT_EQ(error_message<DataError>([&] { run_step(p, tables); }),
            "sector '01' has no NACE section letter; map it with industry_map");
  p["industry_map_table"] = std::string("products");
  p["industry_map_sector"] = std::string("code");
  p["industry_map_industry"] = std::string("nace_section");
  const Table s = run_step(p, tables, "reg").at("reg_sectors");
  // The 2 x 2 example above under other labels: SLQ = (2.4, 0.533333).
  EXPECT_NEAR(value_at(s, "slq", {{"sector", "01"}}), 2.4, 1e-12);
  EXPECT_NEAR(value_at(s, "slq", {{"sector", "29"}}), 0.8 / 1.5, 1e-12);
}

TEST(RegionalizeIo, IndustryMapTableErrors) {
  std::map<std::string, Value> p = params("flq");
  p["industry_map_table"] = std::string("products");
  auto tables = [](Table map) {
    return std::map<std::string, Table>{
        {"io", national_table()}, {"act", activity_table()}, {"products", std::move(map)}};
  };
  const Table twice(
      {Column::make_strings("sector", {"A", "A"}), Column::make_strings("industry", {"A", "B"})});
  EXPECT_EQ(error_message<DataError>([&] { run_step(p, tables(twice)); }),
            "table 'products' maps sector 'A' twice");
  const Table missing({Column::make_strings("sector", {"A"}),
                       Column::make_strings("industry", std::make_shared<Dictionary>(), {-1})});
  EXPECT_EQ(error_message<DataError>([&] { run_step(p, tables(missing)); }),
            "the row with sector 'A', industry (missing) of table 'products' has a missing sector "
            "or industry");
  const Table no_industry({Column::make_strings("sector", {"A"})});
  const ThrownParamError e = param_error([&] { run_step(p, tables(no_industry)); });
  EXPECT_EQ(e.param, "industry_map_industry") << e.message;
}

// ---------------------------------------------------------------------------------------------
// The kernel on plain values. Numbers hand-computed from the formulas of Miller & Blair (2009)
// sec. 8.5 and Flegg & Webber (1997, 2000) for the README's example: E_r = (30, 20), E_n = (100,
// 300), TRE = 50, TNE = 400.

// SLQ_A = (30/50)/(100/400) = 2.4, SLQ_B = (20/50)/(300/400) = 0.533333; shares 30/100 = 0.3 and
// 20/300 = 0.0666667; a sector without national activity gets 0 for both.
TEST(RegionalizeIoKernel, SimpleLocationQuotientsAndShares) {
  const auto q = regionalize_io::sector_quotients(Eigen::Vector3d(30, 20, 0),
                                                  Eigen::Vector3d(100, 300, 0), 50, 400);
  EXPECT_DOUBLE_EQ(q.slq(0), 2.4);
  EXPECT_NEAR(q.slq(1), 0.5333333333, 1e-10);
  EXPECT_DOUBLE_EQ(q.share(0), 0.3);
  EXPECT_NEAR(q.share(1), 0.0666666667, 1e-10);
  EXPECT_EQ(q.slq(2), 0.0);
  EXPECT_EQ(q.share(2), 0.0);
}

// lambda = [log2(1 + 50/400)]^0.3 = 0.169925^0.3 = 0.587594; delta = 0 gives 1 (FLQ = CILQ).
TEST(RegionalizeIoKernel, FleggLambda) {
  EXPECT_NEAR(regionalize_io::flegg_lambda(50, 400, 0.3), 0.587594, 1e-6);
  EXPECT_DOUBLE_EQ(regionalize_io::flegg_lambda(50, 400, 0.0), 1.0);
}

// q_BA for seller B (SLQ 0.533333) and buyer A (SLQ 2.4): SLQ_B = 0.533333; CILQ = 0.533333/2.4 =
// 0.222222; FLQ = 0.222222 * 0.587594 = 0.130576; AFLQ = 0.130576 * log2(1 + 2.4) = 0.230537. A
// buyer absent from the region (SLQ 0) gives CILQ 1; the diagonal takes SLQ_i.
TEST(RegionalizeIoKernel, LocationQuotientVariants) {
  using Q = regionalize_io::Quotient;
  const double sb = 0.8 / 1.5, lambda = 0.5875937729;
  EXPECT_NEAR(regionalize_io::location_quotient(sb, 2.4, false, Q::kSlq, lambda), sb, 1e-15);
  EXPECT_NEAR(regionalize_io::location_quotient(sb, 2.4, false, Q::kCilq, lambda), 0.222222, 1e-6);
  EXPECT_NEAR(regionalize_io::location_quotient(sb, 2.4, false, Q::kFlq, lambda), 0.130576, 1e-6);
  EXPECT_NEAR(regionalize_io::location_quotient(sb, 2.4, false, Q::kAflq, lambda), 0.230537, 1e-6);
  EXPECT_NEAR(regionalize_io::location_quotient(sb, sb, true, Q::kCilq, lambda), sb, 1e-15);
  EXPECT_NEAR(regionalize_io::location_quotient(sb, 0.0, false, Q::kCilq, lambda), 1.0, 1e-15);
}

// A = [[0.1, 0.2], [0.3, 0.1]] under FLQ: row A capped (2.4 lambda and 4.5 lambda > 1); r_BA = 0.3
// * 0.130576 = 0.0391729, r_BB = 0.1 * 0.533333 * 0.587594 = 0.0313383.
TEST(RegionalizeIoKernel, FleggCoefficients) {
  Eigen::Matrix2d A;
  A << 0.1, 0.2, 0.3, 0.1;
  const Eigen::MatrixXd R = regionalize_io::regional_coefficients(
      A, Eigen::Vector2d(2.4, 0.8 / 1.5), regionalize_io::Quotient::kFlq, 0.5875937729);
  EXPECT_DOUBLE_EQ(R(0, 0), 0.1);
  EXPECT_DOUBLE_EQ(R(0, 1), 0.2);
  EXPECT_NEAR(R(1, 0), 0.0391729, 1e-7);
  EXPECT_NEAR(R(1, 1), 0.0313383, 1e-7);
}

// D1_r = D1_n / x_n * x_r = (20/100 * 30, 90/300 * 20) = (6, 6); a sector without national output
// carries 0.
TEST(RegionalizeIoKernel, CarriedRowAtNationalPerUnitCoefficients) {
  const Eigen::VectorXd row = regionalize_io::carried_row(
      Eigen::Vector3d(20, 90, 5), Eigen::Vector3d(100, 300, 0), Eigen::Vector3d(30, 20, 0));
  EXPECT_DOUBLE_EQ(row(0), 6);
  EXPECT_DOUBLE_EQ(row(1), 6);
  EXPECT_EQ(row(2), 0.0);
}
