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

// ---- Contiguity (rook, queen) ----

namespace {

/// GeoJSON text of the axis-parallel rectangle [x0, x1] x [y0, y1] (degrees), counter-clockwise.
std::string rectangle(double x0, double y0, double x1, double y1) {
  auto p = [](double x, double y) { return "[" + format_number(x) + "," + format_number(y) + "]"; };
  return R"({"type":"Polygon","coordinates":[[)" + p(x0, y0) + "," + p(x1, y0) + "," + p(x1, y1) +
         "," + p(x0, y1) + "," + p(x0, y0) + "]]}";
}

/// The unit squares of a 3 x 3 grid, cell k = 3 * row + column at [column, column+1] x [row,
/// row+1], as shapes for the kernel and as a table (region "c<k>", centre, geometry) for the
/// plugin.
std::vector<sw::Shape> grid_shapes() {
  std::vector<sw::Shape> out;
  for (int k = 0; k < 9; ++k)
    out.push_back(sw::parse_shape(rectangle(k % 3, k / 3, k % 3 + 1, k / 3 + 1)));
  return out;
}

Table grid_table() {
  std::vector<std::string> region, geometry;
  std::vector<double> lat, lon;
  for (int k = 0; k < 9; ++k) {
    region.push_back("c" + std::to_string(k));
    lon.push_back(k % 3 + 0.5);
    lat.push_back(k / 3 + 0.5);
    geometry.push_back(rectangle(k % 3, k / 3, k % 3 + 1, k / 3 + 1));
  }
  return Table({Column::make_strings("region", region), Column::make_floats("lat", lat),
                Column::make_floats("lon", lon), Column::make_strings("geometry", geometry)});
}

std::size_t count_border(const sw::ContactResult& r) {
  return static_cast<std::size_t>(
      std::count_if(r.contacts.begin(), r.contacts.end(), [](const auto& c) { return c.border; }));
}

std::map<std::string, Value> grid_params(const std::string& method) {
  return {{"input", std::string("g")}, {"polygons", std::string("g")}, {"method", method}};
}

}  // namespace

// 3 x 3 lattice: rook pairs = r(c-1) + c(r-1) = 3*2 + 3*2 = 12 (24 directed links), queen adds the
// 2(r-1)(c-1) = 8 diagonal pairs: 20 pairs (40 links); the same counts as PySAL lat2W(3, 3) and
// spdep cell2nb(3, 3) (rook / queen), and lctools lat2w's tests: a corner cell has 2 rook and 3
// queen neighbours, the centre 4 and 8.
TEST(SpatialWeightsKernel, GridOfSquaresRookAndQueen) {
  const sw::ContactResult r = sw::shape_contacts(grid_shapes(), 1e-6);
  ASSERT_FALSE(r.overlap.has_value());
  EXPECT_EQ(r.contacts.size(), 20u);
  EXPECT_EQ(count_border(r), 12u);
  const std::vector<std::vector<std::size_t>> own = {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}};
  const sw::Links rook = sw::contiguity_links(own, r.contacts, true);
  const sw::Links queen = sw::contiguity_links(own, r.contacts, false);
  EXPECT_EQ(rook[0].size(), 2u);
  EXPECT_EQ(rook[4].size(), 4u);
  EXPECT_EQ(queen[0].size(), 3u);
  EXPECT_EQ(queen[4].size(), 8u);
  EXPECT_EQ(rook[0][0].to, 1u);  // cell 0's rook neighbours: 1 (east) and 3 (north)
  EXPECT_EQ(rook[0][1].to, 3u);
}

// Borders that do not share vertices: a 2 x 1 rectangle on top of two unit squares touches each
// along a stretch of length 1 whose ends are not vertices of both (a T-junction at (1, 1)); a
// square shifted by 5e-7 degrees (under the tolerance 1e-6) still shares its border.
TEST(SpatialWeightsKernel, SharedStretchesWithoutCommonVerticesAndTolerance) {
  std::vector<sw::Shape> shapes = {
      sw::parse_shape(rectangle(0, 0, 1, 1)), sw::parse_shape(rectangle(1, 0, 2, 1)),
      sw::parse_shape(rectangle(0, 1, 2, 2)), sw::parse_shape(rectangle(2 + 5e-7, 0, 3, 1))};
  const sw::ContactResult r = sw::shape_contacts(shapes, 1e-6);
  ASSERT_FALSE(r.overlap.has_value());
  // pairs (0,1) border, (0,2) border, (1,2) border, (1,3) border, (2,3) point at (2, 1)
  ASSERT_EQ(r.contacts.size(), 5u);
  EXPECT_EQ(count_border(r), 4u);
  EXPECT_FALSE(r.contacts.back().border);
  EXPECT_EQ(r.contacts.back().a, 2u);
  EXPECT_EQ(r.contacts.back().b, 3u);
  // with tolerance 1e-8 the shifted square no longer touches 1 (gap 5e-7) nor 2
  EXPECT_EQ(sw::shape_contacts(shapes, 1e-8).contacts.size(), 3u);
}

// A polygon with a hole and the polygon filling it (as Astana city inside Akmola region): rook
// neighbours, no overlap. A square inside another without a hole, or two squares crossing, overlap.
TEST(SpatialWeightsKernel, HolesNeighboursAndOverlaps) {
  const sw::Shape ring =
      sw::parse_shape(R"({"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[0,3],[0,0]],)"
                      R"([[1,1],[1,2],[2,2],[2,1],[1,1]]]})");
  const sw::Shape inner = sw::parse_shape(rectangle(1, 1, 2, 2));
  sw::ContactResult r = sw::shape_contacts({ring, inner}, 1e-6);
  ASSERT_FALSE(r.overlap.has_value());
  ASSERT_EQ(r.contacts.size(), 1u);
  EXPECT_TRUE(r.contacts[0].border);
  // without the hole, the inner square lies inside: its vertex (1, 1) is inside the big square
  r = sw::shape_contacts({sw::parse_shape(rectangle(0, 0, 3, 3)), inner}, 1e-6);
  ASSERT_TRUE(r.overlap.has_value());
  EXPECT_FALSE(r.overlap->crossing);
  EXPECT_EQ(r.overlap->a, 1u);
  EXPECT_EQ(r.overlap->at.x, 1.0);
  EXPECT_EQ(r.overlap->at.y, 1.0);
  // [0,2]^2 and [1,3]x[-1,1]: the first edge of the first, y = 0 from (0,0) to (2,0), crosses the
  // last edge of the second, x = 1 from (1,1) to (1,-1), at (1, 0) (no end within 1 of the other).
  r = sw::shape_contacts(
      {sw::parse_shape(rectangle(0, 0, 2, 2)), sw::parse_shape(rectangle(1, -1, 3, 1))}, 1e-6);
  ASSERT_TRUE(r.overlap.has_value());
  EXPECT_TRUE(r.overlap->crossing);
  EXPECT_DOUBLE_EQ(r.overlap->at.x, 1.0);
  EXPECT_DOUBLE_EQ(r.overlap->at.y, 0.0);
}

// Regions sharing a polygon are neighbours "same_polygon" (and inherit its border neighbours).
TEST(SpatialWeightsKernel, RegionsSharingAPolygon) {
  // shapes 0 and 1 touch along a border; regions: A = {0}, B = {0}, C = {1}, D = {} (none)
  const std::vector<sw::ShapeContact> contacts = {{0, 1, true}};
  const sw::Links l = sw::contiguity_links({{0}, {0}, {1}, {}}, contacts, true);
  ASSERT_EQ(l[0].size(), 2u);
  EXPECT_EQ(l[0][0].to, 1u);
  EXPECT_TRUE(l[0][0].same_polygon);
  EXPECT_EQ(l[0][1].to, 2u);
  EXPECT_FALSE(l[0][1].same_polygon);
  EXPECT_EQ(l[2].size(), 2u);  // C borders A and B
  EXPECT_TRUE(l[3].empty());
}

TEST(SpatialWeightsKernel, ParseShapeErrors) {
  EXPECT_THROW(sw::parse_shape("{"), std::invalid_argument);
  EXPECT_THROW(sw::parse_shape(R"({"type":"Point","coordinates":[1,2]})"), std::invalid_argument);
  EXPECT_THROW(sw::parse_shape(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]})"),
               std::invalid_argument);
  EXPECT_EQ(sw::parse_shape(R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],)"
                            R"([[[2,0],[3,0],[3,1],[2,0]]]]})")
                .size(),
            2u);
}

// The plugin on the 3 x 3 grid (input and polygons the same table): 24 rook and 40 queen rows
// (see GridOfSquaresRookAndQueen); distances between the cell centres: 0.5 degrees apart in
// longitude and latitude from (0.5, 0.5) to (1.5, 0.5) is one degree of arc along the parallel
// 0.5 N, haversine = 2 R asin(cos(0.5 deg) sin(0.5 deg)).
TEST(SpatialWeights, RookAndQueenOnAGrid) {
  const Table g = grid_table();
  const Table rook = run_step(grid_params("rook"), {{"g", g}}).at("step");
  EXPECT_EQ(rook.rows(), 24u);
  EXPECT_FALSE(rook.find("via"));  // no members: no via column
  const double rad = std::numbers::pi / 180;
  EXPECT_NEAR(value_at(rook, "distance_km", {{"from", "c0"}, {"to", "c1"}}),
              2 * 6371.0088 * std::asin(std::cos(0.5 * rad) * std::sin(0.5 * rad)), 1e-9);
  auto queen_params = grid_params("queen");
  queen_params["row_standardize"] = true;
  const Table queen = run_step(queen_params, {{"g", g}}).at("step");
  EXPECT_EQ(queen.rows(), 40u);
  // row-standardised: the centre cell c4 has 8 neighbours, 1/8 each; the corner c0 has 3
  EXPECT_DOUBLE_EQ(value_at(queen, "weight", {{"from", "c4"}, {"to", "c0"}}), 1.0 / 8);
  EXPECT_DOUBLE_EQ(value_at(queen, "weight", {{"from", "c0"}, {"to", "c4"}}), 1.0 / 3);
}

namespace {

/// Regions A and B share polygon P (id 1); C covers Q (id 2), the square east of P; D covers R (id
/// 3) far away. Centres on the equator at longitudes 0.5, 0.6, 1.5, 10.5.
std::map<std::string, Table> member_tables() {
  Table points = centres({"A", "B", "C", "D"}, {0, 0, 0, 0}, {0.5, 0.6, 1.5, 10.5});
  Table polygons({Column::make_ints("id", {1, 2, 3}),
                  Column::make_strings("geometry", {rectangle(0, -1, 1, 1), rectangle(1, -1, 2, 1),
                                                    rectangle(10, -1, 11, 1)})});
  Table members({Column::make_strings("region", {"A", "B", "C", "D"}),
                 Column::make_ints("id", {1, 1, 2, 3})});
  return {{"c", points}, {"p", polygons}, {"m", members}};
}

std::map<std::string, Value> member_params() {
  return {{"input", std::string("c")},    {"method", std::string("rook")},
          {"polygons", std::string("p")}, {"polygon_id", std::string("id")},
          {"members", std::string("m")},  {"allow_islands", true}};
}

}  // namespace

TEST(SpatialWeights, MembersSharingAPolygonAndVia) {
  std::vector<std::string> log;
  const Table w = run_step(member_params(), member_tables(), "step", collect_log(log)).at("step");
  // A-B same polygon, A-C, B-C border, D an island: 6 rows + 1
  ASSERT_EQ(w.rows(), 7u);
  auto via_of = [&](const std::string& from, const std::string& to) {
    for (std::size_t r = 0; r < w.rows(); ++r)
      if (w.column("from").to_text(r) == from && w.column("to").to_text(r) == to)
        return w.column("via").to_text(r);
    return std::string("(no row)");
  };
  EXPECT_EQ(via_of("A", "B"), "same_polygon");
  EXPECT_EQ(via_of("B", "C"), "border");
  EXPECT_EQ(via_of("C", "A"), "border");
  EXPECT_EQ(w.column("from").to_text(6), "D");
  EXPECT_FALSE(w.column("via").is_valid(6));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0],
            "1 region(s) without neighbours: 'D' (no rook-contiguous polygon of another "
            "region)");
}

TEST(SpatialWeights, ContiguityErrors) {
  auto tables = member_tables();
  // rook needs polygons; polygons and members belong to rook/queen only
  auto p = member_params();
  p.erase("polygons");
  EXPECT_EQ(param_error([&] { run_step(p, tables); }).param, "polygons");
  p = member_params();
  p["method"] = std::string("knn");
  p["k"] = std::int64_t{1};
  EXPECT_EQ(param_error([&] { run_step(p, tables); }).param, "polygons");
  // a members row naming an unknown polygon
  tables["m"] = Table({Column::make_strings("region", {"A", "B", "C", "D"}),
                       Column::make_ints("id", {1, 1, 2, 4})});
  EXPECT_EQ(error_message<DataError>([&] { run_step(member_params(), tables); }),
            "the row with region 'D', id 4 of table 'm': polygon '4' is not in table 'p' (column "
            "'id')");
  // without members, a region key must be a polygon id
  p = member_params();
  p.erase("members");
  EXPECT_EQ(error_message<DataError>([&] { run_step(p, member_tables()); }),
            "region 'A' has no polygon: no row of table 'p' has id 'A' (give a members table to "
            "map regions to polygons)");
}

// Overlapping polygons are a DataError naming both and a point: [0,2]^2 and [1,3]x[-1,1] cross at
// (1, 0) (see HolesNeighboursAndOverlaps).
TEST(SpatialWeights, OverlappingPolygonsAreADataError) {
  Table g({Column::make_strings("region", {"a", "b"}), Column::make_floats("lat", {1, 0}),
           Column::make_floats("lon", {1, 2}),
           Column::make_strings("geometry", {rectangle(0, 0, 2, 2), rectangle(1, -1, 3, 1)})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(grid_params("queen"), {{"g", g}});
            }),
            "polygons 'a' and 'b' of table 'g' overlap: their borders cross at (1, 0)");
}
