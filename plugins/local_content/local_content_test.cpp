#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/testing.hpp"
#include "local_content_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace local_content = klaster::plugins::local_content;

namespace {

// Domestic Z_d = [[10, 20], [5, 15]], x = (100, 200); imports M = [[4, 8], [2, 6]]; a TOTAL column
// of intermediate use in both tables.
Table domestic() {
  LabelledMatrix m{{"A", "B", "P1"}, {"A", "B", "TOTAL", "F"}, Eigen::MatrixXd(3, 4)};
  m.values << 10, 20, 30, 70, 5, 15, 20, 180, 100, 200, 0, 0;
  return matrix_to_long(m);
}
Table imports() {
  LabelledMatrix m{{"A", "B"}, {"A", "B", "TOTAL", "F"}, Eigen::MatrixXd(2, 4)};
  m.values << 4, 8, 12, 1, 2, 6, 8, 3;
  return matrix_to_long(m);
}

double cell(const Table& t, const std::string& row, const std::string& col) {
  return klaster::sdk::testkit::value_at(t, "value", {{"row", row}, {"column", col}});
}

std::map<std::string, Value> params(std::map<std::string, Value> extra) {
  std::map<std::string, Value> p = {{"input", std::string("d")},
                                    {"imports", std::string("m")},
                                    {"final_demand", std::vector<std::string>{"F"}}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

}  // namespace

// Hand-computed from z' = z + s m, m' = (1 - s) m: half of B's imported A (8) goes domestic:
// z'_AB = 20 + 4 = 24, m'_AB = 4, so a'_AB = 24 / 200 = 0.12 (was 0.1). TOTAL columns follow.
TEST(LocalContent, HandComputedHalfOfOneFlow) {
  auto out = run_step(params({{"inputs", std::vector<std::string>{"A"}},
                              {"buyers", std::vector<std::string>{"B"}},
                              {"share", 0.5},
                              {"total_columns", std::vector<std::string>{"TOTAL"}}}),
                      {{"d", domestic()}, {"m", imports()}}, "lc");
  const Table& d = out.at("lc");
  const Table& m = out.at("lc_imports");
  EXPECT_DOUBLE_EQ(cell(d, "A", "B"), 24);
  EXPECT_DOUBLE_EQ(cell(m, "A", "B"), 4);
  EXPECT_DOUBLE_EQ(cell(d, "A", "TOTAL"), 34);
  EXPECT_DOUBLE_EQ(cell(m, "A", "TOTAL"), 8);
  const IoSystem io =
      IoSystem::from_matrix(matrix_from_long(d), IoOptions{{}, {}, "", {}, "P1", {"F"}, false});
  EXPECT_DOUBLE_EQ(io.technical_coefficients()(0, 1), 0.12);
}

// Properties: z + m is conserved cell by cell, untouched cells and P1 are identical, and with
// share = 0 nothing changes.
TEST(LocalContent, UseIsConservedAndOtherCellsUntouched) {
  auto out = run_step(params({{"share", 0.3}}), {{"d", domestic()}, {"m", imports()}}, "lc");
  const Table d0 = domestic(), m0 = imports();
  for (const std::string r : {"A", "B"})
    for (const std::string c : {"A", "B"})
      EXPECT_NEAR(cell(out.at("lc"), r, c) + cell(out.at("lc_imports"), r, c),
                  cell(d0, r, c) + cell(m0, r, c), 1e-12);
  EXPECT_DOUBLE_EQ(cell(out.at("lc"), "P1", "B"), 200);
  EXPECT_DOUBLE_EQ(cell(out.at("lc"), "A", "F"), 70);  // final demand untouched
  EXPECT_DOUBLE_EQ(cell(out.at("lc_imports"), "B", "F"), 3);
  EXPECT_DOUBLE_EQ(cell(out.at("lc"), "A", "TOTAL"), 30);  // not named in total_columns

  auto none = run_step(params({{"share", 0.0}}), {{"d", domestic()}, {"m", imports()}}, "lc");
  for (std::size_t k = 0; k < d0.rows(); ++k)
    EXPECT_EQ(cell(none.at("lc"), d0.column("row").to_text(k), d0.column("column").to_text(k)),
              d0.column("value").floats[k]);
}

// Croatia 2010 (tables 1800 domestic, 1900 imports, DZS via Eurostat): 30 % of the imported motor
// vehicle parts (CPA_C29) bought by the motor-vehicle industry move to domestic suppliers. The new
// domestic flow is 1800[C29, C29] + 0.3 * 1900[C29, C29], and since A only grows, no output
// multiplier falls and C29's own multiplier rises.
TEST(LocalContent, CroatiaMotorVehicleParts) {
  const std::string dir = std::string(KLASTER_SOURCE_DIR) + "/data/io/croatia_2010/";
  const Table d = read_matrix_csv(dir + "croatia_2010_1800_wide.csv", "row_label");
  const Table m = read_matrix_csv(dir + "croatia_2010_1900_wide.csv", "row_label");
  std::map<std::string, Value> p = {{"input", std::string("d")},
                                    {"imports", std::string("m")},
                                    {"row_prefix", std::string("CPA_")},
                                    {"exclude", std::vector<std::string>{"CPA_TOTAL"}},
                                    {"inputs", std::vector<std::string>{"CPA_C29"}},
                                    {"buyers", std::vector<std::string>{"CPA_C29"}},
                                    {"share", 0.3}};
  auto out = run_step(p, {{"d", d}, {"m", m}}, "lc");
  EXPECT_NEAR(cell(out.at("lc"), "CPA_C29", "C29"),
              cell(d, "CPA_C29", "C29") + 0.3 * cell(m, "CPA_C29", "C29"), 1e-6);
  EXPECT_GT(cell(m, "CPA_C29", "C29"), 0);

  const IoOptions o{{}, {"CPA_TOTAL", "CPA_U"}, "CPA_", {}, "P1", {}, false};  // CPA_U: no output
  const IoSystem before = IoSystem::from_matrix(matrix_from_long(d), o);
  const IoSystem after = IoSystem::from_matrix(matrix_from_long(out.at("lc")), o);
  const Eigen::VectorXd m0 =
      LeontiefSolver(before.technical_coefficients(), before.sectors()).output_multipliers();
  const Eigen::VectorXd m1 =
      LeontiefSolver(after.technical_coefficients(), after.sectors()).output_multipliers();
  EXPECT_GE((m1 - m0).minCoeff(), -1e-12);
  const auto c29 = static_cast<Eigen::Index>(*before.find_sector("CPA_C29"));
  EXPECT_GT(m1(c29), m0(c29));
}

TEST(LocalContent, ShareOutsideUnitInterval) {
  const ThrownParamError e = param_error([&] {
    run_step(params({{"share", 1.2}}), {{"d", domestic()}, {"m", imports()}});
  });
  EXPECT_EQ(e.param, "share") << e.message;
  EXPECT_EQ(e.message, "parameter 'share' = 1.2 is out of range: must be <= 1.0");
}

TEST(LocalContent, UnknownSectorsAreNamed) {
  const ThrownParamError e = param_error([&] {
    run_step(params({{"share", 0.2}, {"buyers", std::vector<std::string>{"C29"}}}),
             {{"d", domestic()}, {"m", imports()}});
  });
  EXPECT_EQ(e.param, "buyers") << e.message;
  EXPECT_NE(e.message.find("C29"), std::string::npos) << e.message;
}

// A sector named twice is moved once: the same as naming it once.
TEST(LocalContent, RepeatedSectorIsMovedOnce) {
  const std::map<std::string, Table> tables = {{"d", domestic()}, {"m", imports()}};
  auto once = run_step(params({{"inputs", std::vector<std::string>{"A"}}, {"share", 0.5}}), tables);
  auto twice =
      run_step(params({{"inputs", std::vector<std::string>{"A", "A"}}, {"share", 0.5}}), tables);
  EXPECT_EQ(twice.at("step").column("value").floats, once.at("step").column("value").floats);
  EXPECT_DOUBLE_EQ(cell(twice.at("step_imports"), "A", "B"), 4);
}

// The kernel on plain values, by z' = z + s m, m' = (1 - s) m (Miller & Blair 2009, ch. 2): half of
// the import block M = [[4, 8], [2, 6]] at input A and buyer B moves 0.5 * 8 = 4; every other cell
// moves nothing.
TEST(LocalContentKernel, HalfOfOneFlow) {
  Eigen::Matrix2d m;
  m << 4, 8, 2, 6;
  const Eigen::MatrixXd moved = local_content::moved_imports(m, {0}, {1}, 0.5);
  EXPECT_EQ(moved(0, 1), 4.0);
  EXPECT_EQ(moved(0, 0), 0.0);
  EXPECT_EQ(moved(1, 0), 0.0);
  EXPECT_EQ(moved(1, 1), 0.0);
}

// Every input and buyer with s = 0.3: moved = 0.3 M = [[1.2, 2.4], [0.6, 1.8]]; M - moved = 0.7 M.
TEST(LocalContentKernel, EverySectorMovesTheShare) {
  Eigen::Matrix2d m;
  m << 4, 8, 2, 6;
  const Eigen::MatrixXd moved = local_content::moved_imports(m, {0, 1}, {0, 1}, 0.3);
  EXPECT_DOUBLE_EQ(moved(0, 0), 1.2);
  EXPECT_DOUBLE_EQ(moved(0, 1), 2.4);
  EXPECT_DOUBLE_EQ(moved(1, 0), 0.6);
  EXPECT_DOUBLE_EQ(moved(1, 1), 1.8);
  EXPECT_TRUE((m - moved).isApprox(0.7 * m, 1e-15));
}
