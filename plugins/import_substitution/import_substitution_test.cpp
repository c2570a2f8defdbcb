#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "import_substitution_kernel.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace import_substitution = klaster::plugins::import_substitution;

namespace {

// Domestic: Z = [[10, 20], [5, 15]], households HH = (40, 60), exports EXP = (20, 100), P1 = (100,
// 200). Imports: M = [[4, 8], [2, 6]], HH = (8, 12), EXP = (0, 2), and an aggregate TFU = HH + EXP.
Table domestic() {
  LabelledMatrix m{{"A", "B", "P1"}, {"A", "B", "HH", "EXP"}, Eigen::MatrixXd(3, 4)};
  m.values << 10, 20, 40, 20, 5, 15, 60, 100, 100, 200, 0, 0;
  return matrix_to_long(m);
}
Table imports() {
  LabelledMatrix m{{"A", "B"}, {"A", "B", "HH", "EXP", "TFU"}, Eigen::MatrixXd(2, 5)};
  m.values << 4, 8, 8, 0, 8, 2, 6, 12, 2, 14;
  return matrix_to_long(m);
}

double cell(const Table& t, const std::string& row, const std::string& col) {
  return klaster::sdk::testkit::value_at(t, "value", {{"row", row}, {"column", col}});
}

std::map<std::string, Value> params(std::map<std::string, Value> extra) {
  std::map<std::string, Value> p = {{"input", std::string("d")},
                                    {"imports", std::string("m")},
                                    {"final_demand", std::vector<std::string>{"HH", "EXP"}}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

}  // namespace

// Hand-computed from d' = d + s m, m' = (1 - s) m: a quarter of the households' imported A (8)
// switches to domestic production: d'_A,HH = 40 + 2 = 42, m'_A,HH = 6, Δf_A = 2, Δf_B = 0; the
// aggregate TFU of the import table falls by 2.
TEST(ImportSubstitution, HandComputedHouseholdDemand) {
  auto out = run_step(params({{"products", std::vector<std::string>{"A"}},
                              {"share", 0.25},
                              {"columns", std::vector<std::string>{"HH"}},
                              {"total_columns", std::vector<std::string>{"TFU"}}}),
                      {{"d", domestic()}, {"m", imports()}}, "is");
  EXPECT_DOUBLE_EQ(cell(out.at("is"), "A", "HH"), 42);
  EXPECT_DOUBLE_EQ(cell(out.at("is_imports"), "A", "HH"), 6);
  EXPECT_DOUBLE_EQ(cell(out.at("is_imports"), "A", "TFU"), 6);
  EXPECT_DOUBLE_EQ(klaster::sdk::testkit::value_at(out.at("is_delta"), "delta", {{"sector", "A"}}),
                   2);
  EXPECT_EQ(klaster::sdk::testkit::value_at(out.at("is_delta"), "delta", {{"sector", "B"}}), 0.0);
}

// Properties with the default columns (the final_demand columns HH and EXP): d + m conserved in
// every switched cell, the intermediate block and P1 untouched, sum of delta = share * imported
// final demand of the products.
TEST(ImportSubstitution, ConservationAndUntouchedCells) {
  auto out = run_step(params({{"products", std::vector<std::string>{"A", "B"}}, {"share", 0.5}}),
                      {{"d", domestic()}, {"m", imports()}}, "is");
  const Table d0 = domestic(), m0 = imports();
  for (const std::string r : {"A", "B"}) {
    for (const std::string c : {"HH", "EXP"})
      EXPECT_DOUBLE_EQ(cell(out.at("is"), r, c) + cell(out.at("is_imports"), r, c),
                       cell(d0, r, c) + cell(m0, r, c));
    for (const std::string c : {"A", "B"}) {
      EXPECT_EQ(cell(out.at("is"), r, c), cell(d0, r, c));
      EXPECT_EQ(cell(out.at("is_imports"), r, c), cell(m0, r, c));
    }
  }
  EXPECT_EQ(cell(out.at("is"), "P1", "A"), 100);
  double total = 0;
  for (double v : out.at("is_delta").column("delta").floats) total += v;
  EXPECT_DOUBLE_EQ(total, 0.5 * (8 + 0 + 12 + 2));
}

// Croatia 2010 (1800 domestic, 1900 imports): half of the households' imported motor vehicles
// (CPA_C29, column P3_S14) assembled at home.
TEST(ImportSubstitution, CroatiaMotorVehicles) {
  const std::string dir = std::string(KLASTER_SOURCE_DIR) + "/data/io/croatia_2010/";
  const Table d = read_matrix_csv(dir + "croatia_2010_1800_wide.csv", "row_label");
  const Table m = read_matrix_csv(dir + "croatia_2010_1900_wide.csv", "row_label");
  auto out = run_step({{"input", std::string("d")},
                       {"imports", std::string("m")},
                       {"row_prefix", std::string("CPA_")},
                       {"exclude", std::vector<std::string>{"CPA_TOTAL"}},
                       {"products", std::vector<std::string>{"CPA_C29"}},
                       {"share", 0.5},
                       {"columns", std::vector<std::string>{"P3_S14"}}},
                      {{"d", d}, {"m", m}}, "is");
  const double imported = cell(m, "CPA_C29", "P3_S14");
  EXPECT_GT(imported, 0);
  EXPECT_NEAR(cell(out.at("is"), "CPA_C29", "P3_S14"),
              cell(d, "CPA_C29", "P3_S14") + 0.5 * imported, 1e-6);
  EXPECT_NEAR(klaster::sdk::testkit::value_at(out.at("is_delta"), "delta", {{"sector", "CPA_C29"}}),
              0.5 * imported, 1e-6);
}

TEST(ImportSubstitution, BadInputIsNamed) {
  const std::map<std::string, Table> tables = {{"d", domestic()}, {"m", imports()}};
  EXPECT_EQ(
      error_message<ParamError>([&] {
        run_step(params({{"products", std::vector<std::string>{"A"}}, {"share", -0.1}}), tables);
      }),
      "parameter 'share' = -0.1 is out of range: must be >= 0.0");
  const ThrownParamError e = param_error([&] {
    run_step(params({{"products", std::vector<std::string>{"Z"}}, {"share", 0.1}}), tables);
  });
  EXPECT_EQ(e.param, "products") << e.message;
  EXPECT_NE(e.message.find("not a sector of the input-output table: Z"), std::string::npos)
      << e.message;
  EXPECT_EQ(error_message<ParamError>([&] {
              run_step(params({{"products", std::vector<std::string>{"A"}},
                               {"share", 0.1},
                               {"columns", std::vector<std::string>{"TFU"}}}),
                       tables);
            }),
            "final-demand column 'TFU' is not in the domestic table");
}

// A product named twice is switched once: the same tables and delta as naming it once.
TEST(ImportSubstitution, RepeatedProductIsSwitchedOnce) {
  const std::map<std::string, Table> tables = {{"d", domestic()}, {"m", imports()}};
  auto once =
      run_step(params({{"products", std::vector<std::string>{"A"}}, {"share", 0.5}}), tables);
  auto twice =
      run_step(params({{"products", std::vector<std::string>{"A", "A"}}, {"share", 0.5}}), tables);
  for (const std::string t : {"step", "step_imports", "step_delta"})
    EXPECT_EQ(twice.at(t).column(t == "step_delta" ? "delta" : "value").floats,
              once.at(t).column(t == "step_delta" ? "delta" : "value").floats)
        << t;
}

// The kernel on plain values, by d' = d + s m, m' = (1 - s) m, Δf_i = s sum_k m_ik (Miller & Blair
// 2009, sec. 2.4): the imported final demand of the example above, products A, B x columns HH, EXP
// = [[8, 0], [12, 2]], with s = 0.25 moves [[2, 0], [3, 0.5]]: Δf = (2, 3.5), by column (5, 0.5).
TEST(ImportSubstitutionKernel, QuarterOfImportedFinalDemand) {
  Eigen::Matrix2d m;
  m << 8, 0, 12, 2;
  const auto s = import_substitution::switch_final_demand(m, 0.25);
  EXPECT_EQ(s.moved(0, 0), 2.0);
  EXPECT_EQ(s.moved(0, 1), 0.0);
  EXPECT_EQ(s.moved(1, 0), 3.0);
  EXPECT_EQ(s.moved(1, 1), 0.5);
  EXPECT_EQ(s.delta(0), 2.0);
  EXPECT_EQ(s.delta(1), 3.5);
  EXPECT_EQ(s.by_column(0), 5.0);
  EXPECT_EQ(s.by_column(1), 0.5);
}

// s = 0 switches nothing; s = 1 switches all: Δf = the row sums of m.
TEST(ImportSubstitutionKernel, NoneOrAll) {
  Eigen::Matrix2d m;
  m << 8, 0, 12, 2;
  EXPECT_TRUE(import_substitution::switch_final_demand(m, 0.0).moved.isZero());
  const auto all = import_substitution::switch_final_demand(m, 1.0);
  EXPECT_EQ(all.delta(0), 8.0);
  EXPECT_EQ(all.delta(1), 14.0);
}
