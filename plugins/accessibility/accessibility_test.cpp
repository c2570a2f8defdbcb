#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "accessibility_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace acc = klaster::plugins::accessibility;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// The 3-zone example used throughout: d_AB = 1, d_AC = 2, d_BC = 4 (symmetric), attractions
// S = (10, 20, 40), masses C = (100, 50, 30); j = i left out (NaN).
Eigen::MatrixXd three_zones() {
  Eigen::MatrixXd d(3, 3);
  d << kNaN, 1, 2, 1, kNaN, 4, 2, 4, kNaN;
  return d;
}

Table distances_table() {
  return Table({Column::make_strings("origin", {"A", "A", "B", "B", "C", "C"}),
                Column::make_strings("destination", {"B", "C", "A", "C", "A", "B"}),
                Column::make_floats("distance_km", {1, 2, 1, 4, 2, 4})});
}

Table zones(const std::vector<double>& value, const std::string& name,
            const std::vector<std::string>& ids = {"A", "B", "C"}) {
  return Table({Column::make_strings("region", ids), Column::make_floats(name, value)});
}

std::map<std::string, Table> tables() {
  return {{"d", distances_table()},
          {"s", zones({10, 20, 40}, "attraction")},
          {"c", zones({100, 50, 30}, "mass")}};
}

std::map<std::string, Value> params(std::map<std::string, Value> extra = {}) {
  extra.emplace("distances", std::string("d"));
  extra.emplace("destinations", std::string("s"));
  return extra;
}

double pair_value(const Table& t, const std::string& column, const std::string& o,
                  const std::string& d) {
  return value_at(t, column, {{"origin", o}, {"destination", d}});
}

}  // namespace

// Hansen with lambda = -2 by hand: A_A = 20/1^2 + 40/2^2 = 30, A_B = 10/1 + 40/16 = 12.5,
// A_C = 10/4 + 20/16 = 3.75.
TEST(AccessibilityKernel, HansenPowerByHand) {
  const Eigen::VectorXd w = Eigen::Vector3d(10, 20, 40);
  const Eigen::VectorXd a = acc::potential(three_zones(), w, {false, -2});
  EXPECT_DOUBLE_EQ(a(0), 30);
  EXPECT_DOUBLE_EQ(a(1), 12.5);
  EXPECT_DOUBLE_EQ(a(2), 3.75);
}

// Exponential decay exp(-0.5 d): A_A = 20 e^-0.5 + 40 e^-1 = 26.845791 (python3 math).
TEST(AccessibilityKernel, HansenExponentialByHand) {
  const Eigen::VectorXd a =
      acc::potential(three_zones(), Eigen::Vector3d(10, 20, 40), {true, -0.5});
  EXPECT_NEAR(a(0), 26.84579084, 1e-8);
}

// Huff by hand with lambda = -2: from A the weights are 20/1 = 20 (B) and 40/4 = 10 (C), so
// P_AB = 2/3, P_AC = 1/3; from B 10 (A) and 2.5 (C): 0.8 and 0.2.
TEST(AccessibilityKernel, HuffByHand) {
  const acc::HuffResult h = acc::huff(three_zones(), Eigen::Vector3d(10, 20, 40), {false, -2});
  EXPECT_FALSE(h.undefined.has_value());
  EXPECT_DOUBLE_EQ(h.probability(0, 1), 2.0 / 3);
  EXPECT_DOUBLE_EQ(h.probability(0, 2), 1.0 / 3);
  EXPECT_DOUBLE_EQ(h.probability(1, 0), 0.8);
  EXPECT_DOUBLE_EQ(h.probability(1, 2), 0.2);
  EXPECT_EQ(h.probability(0, 0), 0.0);  // outside A's choice set
}

// Reilly's law of retail gravitation (Reilly 1931): between J (attraction 400) and K (100),
// 30 km apart, the breaking point lies D / (1 + sqrt(S_K / S_J)) = 30 / 1.5 = 20 km from J. A
// customer there splits evenly under the inverse-square decay: 400/20^2 = 100/10^2 = 1.
TEST(AccessibilityKernel, ReillyBreakingPointSplitsEvenly) {
  Eigen::MatrixXd d(1, 2);
  d << 20, 10;
  const acc::HuffResult h = acc::huff(d, Eigen::Vector2d(400, 100), {false, -2});
  EXPECT_DOUBLE_EQ(h.probability(0, 0), 0.5);
  EXPECT_DOUBLE_EQ(h.probability(0, 1), 0.5);
  // one km nearer J tips the balance to J
  d << 19, 11;
  EXPECT_GT(acc::huff(d, Eigen::Vector2d(400, 100), {false, -2}).probability(0, 0), 0.5);
}

// Converse's (1949) breaking point by hand: S_a = 400, S_b = 100, 30 km apart:
// 30 / (1 + sqrt(100 / 400)) = 20 km from a, 10 from b; there 400 / 20^2 = 100 / 10^2.
TEST(AccessibilityKernel, ConverseBreakingPointByHand) {
  EXPECT_DOUBLE_EQ(acc::breaking_point(30, 400, 100, 1, -2), 20);
  EXPECT_DOUBLE_EQ(acc::breaking_point(30, 100, 400, 1, -2), 10);
  // lambda = -1 by hand: 30 / (1 + 100/400) = 24, where 400 / 24 = 100 / 6
  EXPECT_DOUBLE_EQ(acc::breaking_point(30, 400, 100, 1, -1), 24);
  // gamma = 2, lambda = -2: 30 / (1 + 100/400) = 24 too ((S_b / S_a)^(2/2))
  EXPECT_DOUBLE_EQ(acc::breaking_point(30, 400, 100, 2, -2), 24);
}

// An attraction of 0 gives the whole segment to the other destination; both 0 is undefined.
TEST(AccessibilityKernel, BreakingPointZeroAttraction) {
  EXPECT_EQ(acc::breaking_point(30, 0, 100, 1, -2), 0);
  EXPECT_EQ(acc::breaking_point(30, 100, 0, 1, -2), 30);
  EXPECT_TRUE(std::isnan(acc::breaking_point(30, 0, 0, 1, -2)));
}

// REAT's documented reilly() example (Converse 1949: towns of 39,851 and 37,366 people, 27 and 25
// miles from an intermediate town), rdrr.io/cran/REAT/man/reilly.html: the trade relation
// B_a / B_b with gamma = 1 and squared distances is 0.9143555 (the example passes it back as
// `relation` and gets lambda = 2).
TEST(AccessibilityKernel, ReillyRelationMatchesReatExample) {
  EXPECT_NEAR(acc::reilly_relation(39851, 37366, 27, 25, 1, -2), 0.9143555, 5e-8);
}

// No destination with a positive attraction: 0 / 0, reported for the first such origin.
TEST(AccessibilityKernel, HuffUndefinedOrigin) {
  const acc::HuffResult h = acc::huff(three_zones(), Eigen::Vector3d(5, 0, 0), {false, -2});
  ASSERT_TRUE(h.undefined.has_value());
  EXPECT_EQ(*h.undefined, 0);
}

// d_ii = factor sqrt(area / pi): a zone of area 9 pi has radius 3, one third of it is 1.
TEST(AccessibilityKernel, AreaSelfDistance) {
  EXPECT_DOUBLE_EQ(acc::area_self_distance(9 * std::numbers::pi, 1.0 / 3), 1.0);
  EXPECT_DOUBLE_EQ(acc::area_self_distance(9 * std::numbers::pi, 2.0 / 3), 2.0);
}

TEST(Accessibility, HansenThroughThePlugin) {
  const Table out = run_step(params(), tables()).at("step");
  EXPECT_EQ(out.schema().names(), (std::vector<std::string>{"origin", "accessibility"}));
  EXPECT_DOUBLE_EQ(value_at(out, "accessibility", {{"origin", "A"}}), 30);
  EXPECT_DOUBLE_EQ(value_at(out, "accessibility", {{"origin", "C"}}), 3.75);
}

// gamma = 2: A_A = 20^2 / 1 + 40^2 / 4 = 400 + 400 = 800.
TEST(Accessibility, HansenGamma) {
  const Table out = run_step(params({{"gamma", 2.0}}), tables()).at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "accessibility", {{"origin", "A"}}), 800);
}

// Harris (default lambda = -1, M_j / d_ij): MP_A = 20/1 + 40/2 = 40, MP_B = 10/1 + 40/4 = 20,
// MP_C = 10/2 + 20/4 = 10.
TEST(Accessibility, HarrisMarketPotentialByHand) {
  const Table out = run_step(params({{"method", std::string("harris")}}), tables()).at("step");
  EXPECT_EQ(out.schema().names(), (std::vector<std::string>{"origin", "market_potential"}));
  EXPECT_DOUBLE_EQ(value_at(out, "market_potential", {{"origin", "A"}}), 40);
  EXPECT_DOUBLE_EQ(value_at(out, "market_potential", {{"origin", "B"}}), 20);
  EXPECT_DOUBLE_EQ(value_at(out, "market_potential", {{"origin", "C"}}), 10);
}

// Self-potential with self_distance = "area": zone A of area 9 pi gets d_AA = 1/3 * 3 = 1, so
// Harris MP_A = 10/1 + 40 = 50; B and C (area 36 pi: d = 2) get 20/2 + 20 = 30 and 40/2 + 10 =
// 30.
TEST(Accessibility, HarrisWithAreaSelfDistance) {
  auto t = tables();
  const double pi = std::numbers::pi;
  t["s"] = Table({Column::make_strings("region", {"A", "B", "C"}),
                  Column::make_floats("attraction", {10, 20, 40}),
                  Column::make_floats("area_km2", {9 * pi, 36 * pi, 36 * pi})});
  const Table out =
      run_step(params({{"method", std::string("harris")}, {"self_distance", std::string("area")}}),
               t)
          .at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "market_potential", {{"origin", "A"}}), 50);
  EXPECT_DOUBLE_EQ(value_at(out, "market_potential", {{"origin", "B"}}), 30);
  EXPECT_DOUBLE_EQ(value_at(out, "market_potential", {{"origin", "C"}}), 30);
}

// Huff flows and market shares by hand (masses 100, 50, 30; probabilities as in HuffByHand, and
// from C: 2.5 (A) and 1.25 (B) -> 2/3, 1/3): E_A = 50 * 0.8 + 30 * 2/3 = 60,
// E_B = 100 * 2/3 + 30 * 1/3 = 76.667, E_C = 100/3 + 10 = 43.333; shares E_j / 180.
TEST(Accessibility, HuffFlowsAndMarketShares) {
  const auto out =
      run_step(params({{"method", std::string("huff")}, {"origins", std::string("c")}}), tables());
  const Table& pairs = out.at("step");
  EXPECT_EQ(pairs.schema().names(),
            (std::vector<std::string>{"origin", "destination", "probability", "flow"}));
  EXPECT_EQ(pairs.rows(), 6u);
  EXPECT_DOUBLE_EQ(pair_value(pairs, "flow", "A", "B"), 100.0 * 2 / 3);
  EXPECT_DOUBLE_EQ(pair_value(pairs, "probability", "C", "B"), 1.0 / 3);
  const Table& dest = out.at("step_destinations");
  EXPECT_NEAR(value_at(dest, "expected_flow", {{"destination", "A"}}), 60, 1e-12);
  EXPECT_NEAR(value_at(dest, "expected_flow", {{"destination", "B"}}), 230.0 / 3, 1e-12);
  EXPECT_NEAR(value_at(dest, "market_share", {{"destination", "C"}}), 130.0 / 3 / 180, 1e-12);
}

// A textbook exercise of the Huff retail location model (service operations management: a
// 6-pump station and a new 12-pump competitor; travel times 5, 10, 9, 15 and 20, 8, 12, 6
// minutes from four areas of 100, 150, 80, 50 customers; lambda = 2). By hand, the old station's
// probabilities are (6/25) / (6/25 + 12/400) = 8/9, then 8/33, 8/17, 2/27, and it keeps
// 100 * 8/9 + 150 * 8/33 + 80 * 8/17 + 50 * 2/27 = 166.603 of the 380 customers.
TEST(Accessibility, HuffGasStationExercise) {
  const Table d({Column::make_strings("origin", {"1", "1", "2", "2", "3", "3", "4", "4"}),
                 Column::make_strings("destination",
                                      {"old", "new", "old", "new", "old", "new", "old", "new"}),
                 Column::make_floats("minutes", {5, 20, 10, 8, 9, 12, 15, 6})});
  const auto out = run_step(params({{"method", std::string("huff")},
                                    {"origins", std::string("c")},
                                    {"distance", std::string("minutes")}}),
                            {{"d", d},
                             {"s", zones({6, 12}, "attraction", {"old", "new"})},
                             {"c", zones({100, 150, 80, 50}, "mass", {"1", "2", "3", "4"})}});
  const Table& p = out.at("step");
  EXPECT_NEAR(pair_value(p, "probability", "1", "old"), 8.0 / 9, 1e-12);
  EXPECT_NEAR(pair_value(p, "probability", "2", "old"), 8.0 / 33, 1e-12);
  EXPECT_NEAR(pair_value(p, "probability", "3", "old"), 8.0 / 17, 1e-12);
  EXPECT_NEAR(pair_value(p, "probability", "4", "new"), 25.0 / 27, 1e-12);
  const double kept = 100 * 8.0 / 9 + 150 * 8.0 / 33 + 80 * 8.0 / 17 + 50 * 2.0 / 27;
  const Table& dest = out.at("step_destinations");
  EXPECT_NEAR(value_at(dest, "expected_flow", {{"destination", "old"}}), kept, 1e-9);
  EXPECT_NEAR(kept, 166.603, 5e-4);
  EXPECT_NEAR(value_at(dest, "market_share", {{"destination", "new"}}), 1 - kept / 380, 1e-12);
}

// Output summed over duplicate ids (a year's sections of output.csv per region).
TEST(Accessibility, DuplicatesSummedOrRefused) {
  auto t = tables();
  t["s"] = zones({4, 6, 20, 40}, "attraction", {"A", "A", "B", "C"});
  const Table out = run_step(params({{"duplicates", std::string("sum")}}), t).at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "accessibility", {{"origin", "B"}}), 12.5);
  EXPECT_EQ(error_message<DataError>([&] { run_step(params(), t); }),
            "id 'A' appears twice in table 's' (set duplicates = \"sum\" to add its values)");
}

TEST(Accessibility, MissingPairIsNamed) {
  auto t = tables();
  t["d"] = distances_table().take({0, 1, 2, 4, 5});  // no B -> C
  EXPECT_EQ(error_message<DataError>([&] { run_step(params(), t); }),
            "1 origin-destination pair(s) have no distance in table 'd': B -> C");
}

TEST(Accessibility, ZeroDistanceWithPowerDecay) {
  auto t = tables();
  t["d"] = Table({Column::make_strings("origin", {"A", "A", "B", "B", "C", "C"}),
                  Column::make_strings("destination", {"B", "C", "A", "C", "A", "B"}),
                  Column::make_floats("distance_km", {1, 0, 1, 4, 2, 4})});
  EXPECT_EQ(error_message<DataError>([&] { run_step(params(), t); }),
            "distance 0 from 'A' to 'C' in table 'd': the power decay d^-2 is infinite (use "
            "self_distance = \"none\" or \"area\" for i = i, or decay = \"exponential\")");
  // exponential decay is finite at 0: f(0) = 1, A_A = 20 e^-1 + 40
  const Table out =
      run_step(params({{"decay", std::string("exponential")}, {"lambda", -1.0}}), t).at("step");
  EXPECT_NEAR(value_at(out, "accessibility", {{"origin", "A"}}), 20 * std::exp(-1.0) + 40, 1e-12);
}

TEST(Accessibility, NegativeAttractionNamesTheRow) {
  auto t = tables();
  t["s"] = zones({10, -20, 40}, "attraction");
  EXPECT_EQ(error_message<DataError>([&] { run_step(params(), t); }),
            "the row with region 'B': negative attraction -20 in table 's'");
}

// self_distance = "given" needs the i -> i rows.
TEST(Accessibility, GivenSelfDistanceNeedsTheRows) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params({{"self_distance", std::string("given")}}), tables());
            }),
            "3 origin-destination pair(s) have no distance in table 'd': A -> A, B -> B, C -> C "
            "(self_distance = \"given\" needs the i -> i rows too)");
}

// reilly through the plugin, the 3-zone example (S = 10, 20, 40; d_AB = 1, d_AC = 2, d_BC = 4)
// by hand: A-B 1 / (1 + sqrt(2)) = 0.41421356 from A; A-C 2 / (1 + sqrt(4)) = 2/3;
// B-C 4 / (1 + sqrt(2)) = 1.65685425 from B.
TEST(Accessibility, ReillyBreakingPointsByHand) {
  const Table out = run_step(params({{"method", std::string("reilly")}}), tables()).at("step");
  EXPECT_EQ(out.schema().names(),
            (std::vector<std::string>{"a", "b", "distance", "breaking_point_from_a",
                                      "breaking_point_from_b"}));
  ASSERT_EQ(out.rows(), 3u);
  const auto at = [&](const std::string& column, const std::string& a, const std::string& b) {
    return value_at(out, column, {{"a", a}, {"b", b}});
  };
  EXPECT_NEAR(at("breaking_point_from_a", "A", "B"), 1 / (1 + std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(at("breaking_point_from_b", "A", "B"), 1 - 1 / (1 + std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(at("breaking_point_from_a", "A", "C"), 2.0 / 3, 1e-12);
  EXPECT_NEAR(at("breaking_point_from_a", "B", "C"), 4 / (1 + std::sqrt(2.0)), 1e-12);
  EXPECT_DOUBLE_EQ(at("distance", "B", "C"), 4);
}

// d_ab from the b -> a row when a -> b is absent; a pair with neither is named.
TEST(Accessibility, ReillyPairDistances) {
  auto t = tables();
  t["d"] = distances_table().take({2, 4, 5});  // B -> A, C -> A, C -> B only
  const Table out = run_step(params({{"method", std::string("reilly")}}), t).at("step");
  EXPECT_NEAR(value_at(out, "breaking_point_from_a", {{"a", "B"}, {"b", "C"}}),
              4 / (1 + std::sqrt(2.0)), 1e-12);
  t["d"] = distances_table().take({0, 2, 4});  // no B -- C in either direction
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params({{"method", std::string("reilly")}}), t);
            }),
            "1 pair(s) of destinations have no distance in table 'd' (in either direction): "
            "B -- C");
  t = tables();
  t["s"] = zones({0, 20, 0}, "attraction");
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params({{"method", std::string("reilly")}}), t);
            }),
            "destinations 'A' and 'C' both have attraction 0 in table 's': their breaking point "
            "is undefined");
}

// REAT's reilly() proportion prop_A = relation / (1 + relation) is Huff with one origin (the
// intermediate town) and the two cities: REAT's documented relation 0.9143555 (Converse 1949
// example, see ReillyRelationMatchesReatExample) gives prop_A = 0.9143555 / 1.9143555.
TEST(Accessibility, ReatReillyProportionIsHuffOfTwo) {
  const Table d({Column::make_strings("origin", {"town", "town"}),
                 Column::make_strings("destination", {"a", "b"}),
                 Column::make_floats("distance_km", {27, 25})});
  const auto out =
      run_step(params({{"method", std::string("huff")}, {"origins", std::string("c")}}),
               {{"d", d},
                {"s", zones({39851, 37366}, "attraction", {"a", "b"})},
                {"c", zones({1}, "mass", {"town"})}});
  EXPECT_NEAR(pair_value(out.at("step"), "probability", "town", "a"), 0.9143555 / 1.9143555, 3e-8);
}

TEST(Accessibility, ReillyParameterRules) {
  const auto reilly = [](std::map<std::string, Value> extra) {
    extra.emplace("method", std::string("reilly"));
    return params(std::move(extra));
  };
  EXPECT_EQ(param_error([&] {
              run_step(reilly({{"origins", std::string("c")}}), tables());
            }).param,
            "origins");
  EXPECT_EQ(param_error([&] {
              run_step(reilly({{"decay", std::string("exponential")}, {"lambda", -1.0}}), tables());
            }).param,
            "decay");
  EXPECT_EQ(param_error([&] { run_step(reilly({{"lambda", 0.0}}), tables()); }).param, "lambda");
}

TEST(Accessibility, ParameterRules) {
  EXPECT_EQ(param_error([&] {
              run_step(params({{"method", std::string("huff")}}), tables());
            }).param,
            "origins");
  EXPECT_EQ(param_error([&] {
              run_step(params({{"method", std::string("harris")},
                               {"decay", std::string("exponential")},
                               {"lambda", -1.0}}),
                       tables());
            }).param,
            "decay");
  EXPECT_EQ(param_error([&] {
              run_step(params({{"decay", std::string("exponential")}}), tables());
            }).param,
            "lambda");
  EXPECT_EQ(param_error([&] {
              run_step(params({{"self_distance", std::string("area")}}), tables());
            }).param,
            "area");
  EXPECT_EQ(param_error([&] { run_step(params({{"lambda", 2.0}}), tables()); }).param, "lambda");
}
