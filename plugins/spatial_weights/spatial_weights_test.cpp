#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "spatial_weights_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace sw = klaster::plugins::spatial_weights;

namespace {

Table centres(const std::vector<std::string>& r, const std::vector<double>& lat,
              const std::vector<double>& lon) {
  return Table({Column::make_strings("region", r), Column::make_floats("lat", lat),
                Column::make_floats("lon", lon)});
}

// Four points on the equator at longitudes 0, 1, 2 and 4 degrees: neighbouring distances are
// multiples of one degree of arc, R * pi / 180 = 111.19508 km with the mean radius 6371.0088 km.
Table equator() { return centres({"a", "b", "c", "d"}, {0, 0, 0, 0}, {0, 1, 2, 4}); }
const double kDegree = 6371.0088 * std::numbers::pi / 180.0;

std::map<std::string, Value> with(std::map<std::string, Value> extra) {
  extra["input"] = std::string("c");
  return extra;
}

/// \brief run_step keeping the plugin's log lines (all warnings) in `log`.
std::map<std::string, Table> run_logged(const std::map<std::string, Value>& given, const Table& t,
                                        std::vector<std::string>& log) {
  return run_step(given, {{"c", t}}, "step", collect_log(log));
}

}  // namespace

// Rosetta Code, "Haversine formula": Nashville BNA (N 36 deg 7.2', W 86 deg 40.2') to Los Angeles
// LAX (N 33 deg 56.4', W 118 deg 24.0') is 2887.2599506071106 km with R = 6372.8 km.
TEST(SpatialWeights, HaversineRosettaCodeNashvilleToLosAngeles) {
  auto out = run_step(
      with({{"method", std::string("knn")}, {"k", std::int64_t{1}}, {"radius_km", 6372.8}}),
      {{"c", centres({"BNA", "LAX"}, {36.12, 33.94}, {-86.67, -118.40})}});
  EXPECT_NEAR(value_at(out.at("step"), "distance_km", {{"from", "BNA"}, {"to", "LAX"}}),
              2887.2599506071106, 1e-9);
  EXPECT_NEAR(value_at(out.at("step"), "distance_km", {{"from", "LAX"}, {"to", "BNA"}}),
              2887.2599506071106, 1e-9);
}

TEST(SpatialWeights, DefaultRadiusIsTheMeanEarthRadius) {
  // One degree of latitude along a meridian: 6371.0088 * pi / 180 km.
  auto out =
      run_step(with({{"k", std::int64_t{1}}}), {{"c", centres({"s", "n"}, {10, 11}, {30, 30})}});
  EXPECT_NEAR(value_at(out.at("step"), "distance_km", {{"from", "s"}}), kDegree, 1e-9);
}

// k = 1 on the equator points: b is 1 degree from both a and c, the tie goes to the first region
// in label order (a); d's nearest is c (2 degrees).
TEST(SpatialWeights, KnnOnTheEquator) {
  auto out = run_step(with({{"k", std::int64_t{1}}}), {{"c", equator()}});
  const Table& w = out.at("step");
  ASSERT_EQ(w.rows(), 4u);
  EXPECT_EQ(value_at(w, "weight", {{"from", "b"}, {"to", "a"}}), 1.0);
  EXPECT_NEAR(value_at(w, "distance_km", {{"from", "d"}, {"to", "c"}}), 2 * kDegree, 1e-9);
  auto two =
      run_step(with({{"k", std::int64_t{2}}, {"row_standardize", true}}), {{"c", equator()}});
  EXPECT_EQ(two.at("step").rows(), 8u);
  EXPECT_DOUBLE_EQ(value_at(two.at("step"), "weight", {{"from", "a"}, {"to", "c"}}), 0.5);
}

TEST(SpatialWeights, KAtLeastTheNumberOfRegionsIsAnError) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"k", std::int64_t{4}}}), {{"c", equator()}});
            }),
            "k = 4 nearest neighbours need more than k regions; the table has 4 (use k <= 3)");
}

// Band of 150 km: a-b and b-c are 111 km apart, d is 222 km from c: d has no neighbour. It is
// reported (warning line and error), and with allow_islands kept as a row with a missing `to`.
TEST(SpatialWeights, DistanceBandReportsIslands) {
  std::vector<std::string> log;
  auto p = with({{"method", std::string("distance_band")}, {"threshold", 150.0}});
  const std::string msg = error_message<DataError>([&] { run_logged(p, equator(), log); });
  EXPECT_FALSE(is_other_exception(msg)) << msg;
  EXPECT_NE(msg.find("1 region(s) without neighbours: 'd' (no other region within 150 km)"),
            std::string::npos)
      << msg;
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0], "1 region(s) without neighbours: 'd' (no other region within 150 km)");
  log.clear();
  p["allow_islands"] = true;
  auto out = run_logged(p, equator(), log);
  EXPECT_EQ(log.size(), 1u);
  const Table& w = out.at("step");
  ASSERT_EQ(w.rows(), 5u);  // a-b, b-a, b-c, c-b, d-(none)
  EXPECT_EQ(w.column("from").to_text(4), "d");
  EXPECT_FALSE(w.column("to").is_valid(4));
  EXPECT_FALSE(w.column("distance_km").is_valid(4));
  EXPECT_EQ(w.column("weight").number(4), 0.0);
}

// Inverse distance, power 2, no band: from a, weights 1/d^2 to b, c, d at 1, 2, 4 degrees, so
// w_ab : w_ac : w_ad = 1 : 1/4 : 1/16; row-standardised they are 16/21, 4/21, 1/21.
TEST(SpatialWeights, InverseDistance) {
  auto out = run_step(with({{"method", std::string("inverse_distance")}, {"power", 2.0}}),
                      {{"c", equator()}});
  const Table& w = out.at("step");
  EXPECT_EQ(w.rows(), 12u);
  EXPECT_NEAR(value_at(w, "weight", {{"from", "a"}, {"to", "b"}}), 1 / (kDegree * kDegree), 1e-15);
  EXPECT_NEAR(value_at(w, "weight", {{"from", "a"}, {"to", "d"}}), 1 / (16 * kDegree * kDegree),
              1e-15);
  auto rs = run_step(
      with(
          {{"method", std::string("inverse_distance")}, {"power", 2.0}, {"row_standardize", true}}),
      {{"c", equator()}});
  EXPECT_NEAR(value_at(rs.at("step"), "weight", {{"from", "a"}, {"to", "b"}}), 16.0 / 21.0, 1e-12);
  EXPECT_NEAR(value_at(rs.at("step"), "weight", {{"from", "a"}, {"to", "d"}}), 1.0 / 21.0, 1e-12);
  // with a band of 300 km, a keeps b and c only
  auto band = run_step(with({{"method", std::string("inverse_distance")}, {"threshold", 300.0}}),
                       {{"c", equator()}});
  EXPECT_THROW(value_at(band.at("step"), "weight", {{"from", "a"}, {"to", "d"}}),
               klaster::sdk::Error);
  EXPECT_NEAR(value_at(band.at("step"), "weight", {{"from", "a"}, {"to", "c"}}), 1 / (2 * kDegree),
              1e-15);
}

// Property: distances are symmetric and every row of a row-standardised matrix sums to 1.
TEST(SpatialWeights, SymmetricDistancesAndUnitRowSums) {
  Table t = centres({"Almaty", "Astana", "Shymkent", "Aktobe", "Oral"},
                    {43.24, 51.17, 42.32, 50.28, 51.23}, {76.89, 71.45, 69.59, 57.17, 51.37});
  auto out = run_step(
      with({{"method", std::string("inverse_distance")}, {"row_standardize", true}}), {{"c", t}});
  const Table& w = out.at("step");
  std::map<std::string, double> sums;
  for (std::size_t r = 0; r < w.rows(); ++r) {
    sums[w.column("from").to_text(r)] += w.column("weight").number(r);
    const double back =
        value_at(w, "distance_km",
                 {{"from", w.column("to").to_text(r)}, {"to", w.column("from").to_text(r)}});
    EXPECT_DOUBLE_EQ(w.column("distance_km").number(r), back);
  }
  ASSERT_EQ(sums.size(), 5u);
  for (const auto& [region, s] : sums) EXPECT_NEAR(s, 1.0, 1e-12) << region;
}

TEST(SpatialWeights, BadInput) {
  EXPECT_THROW(run_step(with({{"method", std::string("knn")}}), {{"c", equator()}}),
               ParamError);  // no k
  EXPECT_THROW(run_step(with({{"method", std::string("distance_band")}}), {{"c", equator()}}),
               ParamError);
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step(with({{"k", std::int64_t{1}}}), {{"c", centres({"a", "b"}, {0, 95}, {0, 0})}});
      }),
      "region 'b' has latitude 95, outside -90..90");
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(with({{"method", std::string("inverse_distance")}}),
                       {{"c", centres({"a", "b", "c"}, {0, 0, 1}, {0, 0, 0})}});
            }),
            "regions 'a' and 'b' have the same coordinates: inverse-distance weights are infinite");
  Table missing({Column::make_strings("region", {"a", "b", "c"}),
                 Column::make_floats("lat", {0, 0, 1}, {1, 0, 1}),
                 Column::make_floats("lon", {0, 1, 0})});
  EXPECT_THROW(run_step(with({{"k", std::int64_t{1}}}), {{"c", missing}}), DataError);
  std::vector<std::string> log;
  auto out =
      run_logged(with({{"k", std::int64_t{1}}, {"missing", std::string("drop")}}), missing, log);
  EXPECT_EQ(out.at("step").rows(), 2u);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0], "region 'b' has no coordinates and is left out of the weights");
}

// Integer region keys stay ints in `from` and `to` (the spec declares them as strings; bind
// retypes them to the key's type).
TEST(SpatialWeights, IntRegionKeysStayInts) {
  Table t({Column::make_ints("region", {3, 1, 2}), Column::make_floats("lat", {0, 0, 0}),
           Column::make_floats("lon", {2, 0, 1})});
  const Table w = run_step(with({{"k", std::int64_t{1}}}), {{"c", t}}).at("step");
  EXPECT_EQ(w.column("from").type, ColumnType::kInt);
  EXPECT_EQ(w.column("to").type, ColumnType::kInt);
  EXPECT_EQ(w.column("from").to_text(0), "1");  // regions in numeric order
  EXPECT_EQ(w.column("to").to_text(0), "2");
}

// The kernel on plain values. Haversine (Sinnott 1984): along the equator or a meridian the
// central angle is the difference in degrees, so 90 degrees is a quarter of the circumference,
// R * pi / 2; from the pole to any point on the equator likewise.
TEST(SpatialWeightsKernel, HaversineQuarterCircle) {
  EXPECT_NEAR(sw::haversine_km(0, 0, 0, 90, 6371.0), 6371.0 * std::numbers::pi / 2, 1e-9);
  EXPECT_NEAR(sw::haversine_km(90, 0, 0, 37, 6371.0), 6371.0 * std::numbers::pi / 2, 1e-9);
  EXPECT_NEAR(sw::haversine_km(0, 179.5, 0, -179.5, 1.0), std::numbers::pi / 180, 1e-12);
}

// Points at 0, 1, 2, 4 on a line (distances by hand): knn k = 1 gives b -> a (the tie with c goes
// to the first point), d -> c; a band of 1.5 leaves d alone; inverse distance with power 2 from a
// gives 1, 1/4, 1/16, row-standardised 16/21, 4/21, 1/21 (PySAL transform "r": w / row sum).
namespace {
sw::Distances line_points() {
  const double x[4] = {0, 1, 2, 4};
  sw::Distances d;
  d.n = 4;
  for (double xi : x)
    for (double xj : x) d.km.push_back(std::abs(xi - xj));
  return d;
}
}  // namespace

TEST(SpatialWeightsKernel, NeighbourRulesOnALine) {
  const sw::Distances d = line_points();
  const sw::Links knn = sw::knn_links(d, 1);
  EXPECT_EQ(knn[1][0].to, 0u);
  EXPECT_EQ(knn[3][0].to, 2u);
  EXPECT_EQ(knn[3][0].distance, 2.0);
  const sw::Links band = sw::band_links(d, 1.5);
  EXPECT_EQ(band[1].size(), 2u);
  EXPECT_TRUE(band[3].empty());
  sw::Links inv = sw::inverse_distance_links(d, 2.0, std::nullopt);
  ASSERT_EQ(inv[0].size(), 3u);
  EXPECT_DOUBLE_EQ(inv[0][0].weight, 1.0);
  EXPECT_DOUBLE_EQ(inv[0][1].weight, 0.25);
  EXPECT_DOUBLE_EQ(inv[0][2].weight, 1.0 / 16);
  sw::row_standardize(inv);
  EXPECT_DOUBLE_EQ(inv[0][0].weight, 16.0 / 21);
  EXPECT_DOUBLE_EQ(inv[0][2].weight, 1.0 / 21);
  EXPECT_EQ(sw::inverse_distance_links(d, 1.0, 2.5)[0].size(), 2u);  // d at 4 > 2.5
  EXPECT_FALSE(sw::coincident_pair(d).has_value());
}

TEST(SpatialWeightsKernel, CoincidentPointsAreFound) {
  sw::Distances d;
  d.n = 3;
  d.km = {0, 1, 1, 1, 0, 0, 1, 0, 0};  // points 1 and 2 coincide
  const auto pair = sw::coincident_pair(d);
  ASSERT_TRUE(pair.has_value());
  EXPECT_EQ(*pair, std::make_pair(std::size_t{1}, std::size_t{2}));
}
