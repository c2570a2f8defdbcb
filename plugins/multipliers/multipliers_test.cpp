#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/testing.hpp"
#include "multipliers_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace multipliers = klaster::plugins::multipliers;

namespace {

std::string data(const std::string& rel) {
  return std::string(KLASTER_SOURCE_DIR) + "/data/io/" + rel;
}
Table germany() {
  return klaster::sdk::read_matrix_csv(data("germany_1995/germany_1995_siot_wide.csv"),
                                       "row_label");
}
const std::vector<std::string> kGermanSectors{"CPA_A",   "CPA_B-E", "CPA_F",
                                              "CPA_G-I", "CPA_J-N", "CPA_O-T"};

std::map<std::string, Table> with_germany() { return {{"de", germany()}}; }
std::map<std::string, Value> de(std::map<std::string, Value> extra = {}) {
  extra["input"] = std::string("de");
  return extra;
}

}  // namespace

// Eurostat Manual of Supply, Use and Input-Output Tables (2008), Table 15.4 and sec. 15.2 (Germany
// 1995): GVA multipliers 0.8450 0.7647 0.8615 0.9019 0.9393 0.9199 and employment multipliers
// 0.0326 0.0162 0.0207 0.0237 0.0112 0.0242 thousand persons per million EUR (Type I, per unit of
// final demand). The shipped CSV holds the same published numbers.
TEST(Multipliers, Germany1995PublishedGvaAndEmployment) {
  const Table m = run_step(de(), with_germany()).at("step");
  const std::vector<double> gva{0.8450, 0.7647, 0.8615, 0.9019, 0.9393, 0.9199};
  const std::vector<double> emp{0.0326, 0.0162, 0.0207, 0.0237, 0.0112, 0.0242};
  const Table published =
      klaster::sdk::read_csv(data("germany_1995/germany_1995_published_multipliers.csv"),
                             {{"sector", ColumnType::kString},
                              {"gva_multiplier_published", ColumnType::kFloat},
                              {"employment_multiplier_published", ColumnType::kFloat}});
  for (std::size_t k = 0; k < kGermanSectors.size(); ++k) {
    const std::map<std::string, std::string> key{{"sector", kGermanSectors[k]}};
    EXPECT_NEAR(value_at(m, "gva_multiplier", key), gva[k], 5e-5) << kGermanSectors[k];
    EXPECT_NEAR(value_at(m, "employment_multiplier", key), emp[k], 5e-5) << kGermanSectors[k];
    EXPECT_NEAR(value_at(m, "gva_multiplier", key),
                value_at(published, "gva_multiplier_published", key), 5e-5);
    EXPECT_NEAR(value_at(m, "employment_multiplier", key),
                value_at(published, "employment_multiplier_published", key), 5e-5);
  }
  // Output multipliers as in the same table (1.7048 for CPA_A).
  EXPECT_NEAR(value_at(m, "output_multiplier", {{"sector", "CPA_A"}}), 1.7048, 5e-5);
}

// Every unit of final demand ends up as value added, imports or product taxes (the columns of the
// German table add up: intermediate + P7 + D21X31 + B1G = P1), so the Type I "effects" of the
// three primary-input rows sum to 1 for every sector (Miller & Blair 2009, sec. 6.2.3).
TEST(Multipliers, PrimaryInputEffectsSumToOne) {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(6);
  for (std::string row : {"B1G", "P7", "D21X31"}) {
    const Table m = run_step(de({{"gva_row", row}}), with_germany()).at("step");
    for (std::size_t k = 0; k < 6; ++k)
      sum(static_cast<Eigen::Index>(k)) +=
          value_at(m, "gva_effect", {{"sector", kGermanSectors[k]}});
  }
  for (Eigen::Index k = 0; k < 6; ++k) EXPECT_NEAR(sum(k), 1.0, 1e-12);
}

// Miller & Blair (2009), sec. 6.4: the ratio of Type II to Type I income multipliers is the same
// for every sector. Also: effects decompose as initial + indirect + induced, and induced > 0.
TEST(Multipliers, TypeIIOverTypeIIncomeRatioIsEqualAcrossSectors) {
  const Table m1 = run_step(de({{"convention", std::string("ratio")}}), with_germany()).at("step");
  const Table m2 = run_step(de({{"type", std::string("II")}, {"convention", std::string("ratio")}}),
                            with_germany())
                       .at("step");
  const std::map<std::string, std::string> first{{"sector", kGermanSectors[0]}};
  const double ratio0 =
      value_at(m2, "income_multiplier", first) / value_at(m1, "income_multiplier", first);
  EXPECT_GT(ratio0, 1.0);
  for (const auto& s : kGermanSectors) {
    const std::map<std::string, std::string> key{{"sector", s}};
    EXPECT_NEAR(value_at(m2, "income_multiplier", key) / value_at(m1, "income_multiplier", key),
                ratio0, 1e-12)
        << s;
    for (std::string q : {"output", "income", "employment", "gva"}) {
      EXPECT_GT(value_at(m2, q + "_induced", key), 0) << s << q;
      EXPECT_NEAR(value_at(m2, q + "_effect", key),
                  value_at(m2, q + "_initial", key) + value_at(m2, q + "_indirect", key) +
                      value_at(m2, q + "_induced", key),
                  1e-12);
      EXPECT_NEAR(value_at(m1, q + "_effect", key),
                  value_at(m2, q + "_effect", key) - value_at(m2, q + "_induced", key), 1e-12);
    }
    // Ratio convention: multiplier = effect / initial; output's initial is 1.
    EXPECT_NEAR(value_at(m1, "income_multiplier", key),
                value_at(m1, "income_effect", key) / value_at(m1, "income_initial", key), 1e-12);
    EXPECT_DOUBLE_EQ(value_at(m1, "output_initial", key), 1.0);
  }
}

// Type II with households closed by hand: A* = [A c; h' 0] inverted densely; the plugin's output
// and income effects are the column sums over the sectors and the household row of (I - A*)^-1.
TEST(Multipliers, TypeIIMatchesExplicitClosedInverse) {
  klaster::sdk::IoOptions o;
  const auto io = klaster::sdk::IoSystem::from_matrix(klaster::sdk::matrix_from_long(germany()), o);
  const Eigen::VectorXd h = io.row("D1", "compensation_row").cwiseQuotient(io.x());
  Eigen::MatrixXd closed = Eigen::MatrixXd::Zero(7, 7);
  closed.topLeftCorner(6, 6) = io.technical_coefficients();
  closed.topRightCorner(6, 1) =
      io.column("P3_S14", "household_column") / io.row("D1", "compensation_row").sum();
  closed.bottomLeftCorner(1, 6) = h.transpose();
  const Eigen::MatrixXd Lstar = (Eigen::MatrixXd::Identity(7, 7) - closed).inverse();
  const Table m = run_step(de({{"type", std::string("II")}}), with_germany()).at("step");
  for (std::size_t k = 0; k < 6; ++k) {
    const std::map<std::string, std::string> key{{"sector", io.sectors()[k]}};
    const auto j = static_cast<Eigen::Index>(k);
    EXPECT_NEAR(value_at(m, "output_multiplier", key), Lstar.col(j).head(6).sum(), 1e-10);
    EXPECT_NEAR(value_at(m, "income_multiplier", key), Lstar(6, j), 1e-10);
  }
}

// Croatia 2010 with employment from a table keyed by CPA code (persons, 2013) and a row prefix.
TEST(Multipliers, Croatia2010EmploymentFromTable) {
  const Table hr =
      klaster::sdk::read_matrix_csv(data("croatia_2010/croatia_2010_1700_wide.csv"), "row_label");
  const Table emp =
      klaster::sdk::read_csv(data("croatia_2010/croatia_employment_2013.csv"),
                             {{"code", ColumnType::kString}, {"employment", ColumnType::kFloat}});
  auto params =
      std::map<std::string, Value>{{"input", std::string("hr")},
                                   {"row_prefix", std::string("CPA_")},
                                   {"exclude", std::vector<std::string>{"CPA_TOTAL", "CPA_U"}},
                                   {"employment_table", std::string("emp")},
                                   {"employment_key", std::string("code")},
                                   {"type", std::string("II")}};
  const Table m = run_step(params, {{"hr", hr}, {"emp", emp}}).at("step");
  ASSERT_EQ(m.rows(), 64u);
  const std::map<std::string, std::string> c29{{"sector", "CPA_C29"}};
  EXPECT_GT(value_at(m, "employment_effect", c29), value_at(m, "employment_initial", c29));
  EXPECT_GT(value_at(m, "employment_induced", c29), 0);
}

TEST(Multipliers, MissingRowsAndColumnsAreNamed) {
  const ThrownParamError employment_row = param_error([&] {
    run_step(de({{"employment_row", std::string("EMPL")}}), with_germany());
  });
  EXPECT_EQ(employment_row.param, "employment_row") << employment_row.message;
  EXPECT_NE(employment_row.message.find("did you mean 'EMP'"), std::string::npos)
      << employment_row.message;
  const ThrownParamError household_column = param_error([&] {
    run_step(de({{"type", std::string("II")}, {"household_column", std::string("P3_S15")}}),
             with_germany());
  });
  EXPECT_EQ(household_column.param, "household_column") << household_column.message;
  EXPECT_NE(household_column.message.find("column 'P3_S15'"), std::string::npos)
      << household_column.message;
  EXPECT_THROW(run_step(de({{"type", std::string("II")}, {"compensation_row", std::string("")}}),
                        with_germany()),
               ParamError);
  // Without employment, the employment columns are not written.
  const Table m = run_step(de({{"employment_row", std::string("")}}), with_germany()).at("step");
  EXPECT_EQ(m.find("employment_multiplier"), nullptr);
}

// The columns of a quantity are written only when the parameters ask for it (README, "Reads and
// writes"): with no income, employment or GVA row only sector and the output columns remain.
TEST(Multipliers, OnlyTheQuantitiesAskedForAreWritten) {
  const Table m = run_step(de({{"compensation_row", std::string("")},
                               {"employment_row", std::string("")},
                               {"gva_row", std::string("")}}),
                           with_germany())
                      .at("step");
  EXPECT_EQ(m.schema().names(),
            (std::vector<std::string>{"sector", "output_initial", "output_indirect",
                                      "output_effect", "output_multiplier"}));
}

TEST(Multipliers, EmploymentTableMissingASectorIsAnError) {
  klaster::sdk::Table emp({klaster::sdk::Column::make_strings("sector", {"CPA_A", "CPA_F"}),
                           klaster::sdk::Column::make_floats("employment", {1, 2})});
  const std::string msg = error_message<DataError>([&] {
    run_step(de({{"employment_table", std::string("emp")}}), {{"de", germany()}, {"emp", emp}});
  });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("CPA_B-E"), std::string::npos) << msg;
}

// ---------------------------------------------------------------------------------------------
// The kernel on plain vectors.

// Type I on Miller & Blair (2009) Table 2.4, A = [0.15 0.25; 0.20 0.05]: by hand L = [0.95 0.25;
// 0.20 0.85] / 0.7575. Output (k = 1): column sums 1.15 / 0.7575 and 1.10 / 0.7575. Income with
// h = (0.3, 0.25) per unit of output: h'L = (0.3 * 0.95 + 0.25 * 0.20, 0.3 * 0.25 + 0.25 * 0.85) /
// 0.7575 = (0.335, 0.2875) / 0.7575; as ratios (sec. 6.3) divided by 0.3 and 0.25.
TEST(MultipliersKernel, TypeIMillerBlairByHand) {
  Eigen::MatrixXd A(2, 2);
  A << 0.15, 0.25, 0.20, 0.05;
  const LeontiefSolver leontief(A, {"s1", "s2"});
  const Eigen::VectorXd output = multipliers::type1_effect(leontief, Eigen::Vector2d(1, 1));
  EXPECT_NEAR(output(0), 1.15 / 0.7575, 1e-12);
  EXPECT_NEAR(output(1), 1.10 / 0.7575, 1e-12);
  const Eigen::Vector2d h(0.3, 0.25);
  const auto income = multipliers::split_effects(h, multipliers::type1_effect(leontief, h), {});
  EXPECT_NEAR(income.effect(0), 0.335 / 0.7575, 1e-12);
  EXPECT_NEAR(income.effect(1), 0.2875 / 0.7575, 1e-12);
  EXPECT_NEAR(income.indirect(0), 0.335 / 0.7575 - 0.3, 1e-12);
  EXPECT_EQ(income.induced.size(), 0);
  const Eigen::VectorXd ratio = multipliers::ratio_multiplier(income);
  EXPECT_NEAR(ratio(0), 0.335 / 0.7575 / 0.3, 1e-12);
  EXPECT_NEAR(ratio(1), 0.2875 / 0.7575 / 0.25, 1e-12);
}

// Type II with one sector (Miller & Blair 2009, eq. 6.20): a = 0.2, income per unit of output
// h = 0.3, household consumption share c = 0.5. I - A* = [0.8 -0.5; -0.3 1] has determinant
// 0.8 - 0.15 = 0.65 and inverse [1 0.5; 0.3 0.8] / 0.65: the Type II output effect is 1 / 0.65
// (Type I: 1 / 0.8) and the income effect, the household row, 0.3 / 0.65 (Type I: 0.3 / 0.8).
TEST(MultipliersKernel, TypeIIOneSectorByHand) {
  const Eigen::MatrixXd A = Eigen::MatrixXd::Constant(1, 1, 0.2);
  const Eigen::VectorXd h = Eigen::VectorXd::Constant(1, 0.3);
  const LeontiefSolver type1(A, {"s"});
  const LeontiefSolver closed(close_households(A, h, Eigen::VectorXd::Constant(1, 0.5)),
                              {"s", "households"});
  const Eigen::VectorXd one = Eigen::VectorXd::Ones(1);
  const auto output = multipliers::split_effects(one, multipliers::type1_effect(type1, one),
                                                 multipliers::type2_effect(closed, one, false));
  EXPECT_NEAR(output.effect(0), 1 / 0.65, 1e-12);
  EXPECT_NEAR(output.indirect(0), 1 / 0.8 - 1, 1e-12);
  EXPECT_NEAR(output.induced(0), 1 / 0.65 - 1 / 0.8, 1e-12);
  const auto income = multipliers::split_effects(h, multipliers::type1_effect(type1, h),
                                                 multipliers::type2_effect(closed, h, true));
  EXPECT_NEAR(income.effect(0), 0.3 / 0.65, 1e-12);
  EXPECT_NEAR(income.induced(0), 0.3 / 0.65 - 0.3 / 0.8, 1e-12);
  // Type II / Type I income multipliers as ratios: (0.3 / 0.65 / 0.3) / (0.3 / 0.8 / 0.3).
  EXPECT_NEAR(multipliers::ratio_multiplier(income)(0) / (1 / 0.8), 0.8 / 0.65, 1e-12);
}

// convention = "ratio" where a sector has no compensation (the ONS tables publish 0 there): Miller
// & Blair (2009) Table 2.4 flows (x = 1000, 2000) with income (300, 0). By hand h = (0.3, 0) and
// h'L = (0.3 * 0.95, 0.3 * 0.25) / 0.7575, so s1's ratio is 0.95 / 0.7575; s2's ratio 0/0 is
// written missing with a warning naming s2, and the other columns are unaffected.
TEST(Multipliers, RatioMissingWhereNoCompensation) {
  const std::string file = ::testing::TempDir() + "/mb_no_income.csv";
  std::ofstream(file) << "code,s1,s2\ns1,150,500\ns2,200,100\nD1,300,0\nP1,1000,2000\n";
  std::vector<std::string> log;
  const Table m = run_step({{"input", std::string("t")},
                            {"convention", std::string("ratio")},
                            {"employment_row", std::string("")},
                            {"gva_row", std::string("")}},
                           {{"t", read_matrix_csv(file)}}, "step", collect_log(log))
                      .at("step");
  EXPECT_NEAR(value_at(m, "income_multiplier", {{"sector", "s1"}}), 0.95 / 0.7575, 1e-12);
  EXPECT_NEAR(value_at(m, "income_effect", {{"sector", "s2"}}), 0.3 * 0.25 / 0.7575, 1e-12);
  const Column& ratio = m.column("income_multiplier");
  for (std::size_t r = 0; r < m.rows(); ++r)
    EXPECT_EQ(ratio.is_valid(r), m.column("sector").str(r) == "s1");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("income_multiplier written as missing for 's2'"), std::string::npos)
      << log[0];
}
