#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "distance_matrix_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace dm = klaster::plugins::distance_matrix;

namespace {

constexpr double kR = 6371.0088;  // IUGG mean Earth radius, the plugin's default

// The undirected 6-node example of Wikipedia's "Dijkstra's algorithm" article (its animation):
// links 1-2:7, 1-3:9, 1-6:14, 2-3:10, 2-4:15, 3-4:11, 3-6:2, 4-5:6, 5-6:9. From node 1 the
// distances are 0, 7, 9, 20, 20, 11 (also R igraph 2.x: distances(g, v = "1") on these links).
std::vector<dm::Link> wikipedia_links(double w36 = 2) {
  std::vector<dm::Link> l;
  const std::vector<std::vector<double>> e = {{1, 2, 7},   {1, 3, 9},  {1, 6, 14},
                                              {2, 3, 10},  {2, 4, 15}, {3, 4, 11},
                                              {3, 6, w36}, {4, 5, 6},  {5, 6, 9}};
  for (const auto& x : e)
    l.push_back(
        {static_cast<std::size_t>(x[0]) - 1, static_cast<std::size_t>(x[1]) - 1, x[2], x[2] / 10});
  return l;
}

Table links_table(const std::vector<std::string>& from, const std::vector<std::string>& to,
                  const std::vector<double>& km) {
  return Table({Column::make_strings("origin", from), Column::make_strings("destination", to),
                Column::make_floats("distance_km", km)});
}

Table wikipedia_table(double w36 = 2) {
  std::vector<std::string> from, to;
  std::vector<double> km;
  for (const dm::Link& l : wikipedia_links(w36)) {
    from.push_back(std::to_string(l.from + 1));
    to.push_back(std::to_string(l.to + 1));
    km.push_back(l.length);
  }
  return links_table(from, to, km);
}

std::map<std::string, Value> network(std::map<std::string, Value> extra = {}) {
  extra.emplace("mode", std::string("network"));
  extra.emplace("links", std::string("links"));
  return extra;
}

// Astana and Almaty as in data/kz/regions.csv.
Table two_cities() {
  return Table({Column::make_strings("region", {"AST", "ALA"}),
                Column::make_floats("lat", {51.1801, 43.25667}),
                Column::make_floats("lon", {71.44598, 76.92861})});
}

double at(const Table& t, const std::string& column, const std::string& o, const std::string& d) {
  return value_at(t, column, {{"origin", o}, {"destination", d}});
}

}  // namespace

// Haversine by hand: 1 degree of the equator is R pi / 180 = 111.19508 km; a quarter meridian is
// R pi / 2 = 10007.557 km; circuity multiplies.
TEST(DistanceMatrixKernel, HaversineArcsByHand) {
  EXPECT_NEAR(dm::road_km(0, 0, 0, 1, 1.0, kR), 111.1950802, 1e-6);
  EXPECT_NEAR(dm::road_km(0, 0, 90, 0, 1.0, kR), 10007.557221, 1e-5);
  EXPECT_NEAR(dm::road_km(0, 0, 0, 1, 1.3, kR), 1.3 * 111.1950802, 1e-6);
}

// Dijkstra on Wikipedia's 6-node example: distances 0, 7, 9, 20, 20, 11 from node 1, and the
// path to 5 is 1 - 3 - 6 - 5 (9 + 2 + 9).
TEST(DistanceMatrixKernel, WikipediaSixNodes) {
  const dm::Graph g = dm::make_graph(6, wikipedia_links(), false);
  const dm::Tree t = dm::shortest_paths(g, 0, false);
  EXPECT_EQ(t.length, (std::vector<double>{0, 7, 9, 20, 20, 11}));
  EXPECT_EQ(dm::path_to(t, 4), (std::vector<std::size_t>{0, 2, 5, 4}));
  // times are length / 10 on every link, so the time along the path is 2.0
  EXPECT_NEAR(t.time[4], 2.0, 1e-12);
}

// Raising link 3-6 from 2 to 20 changes every path through it: 1 -> 6 becomes the direct 14 and
// 1 -> 5 becomes 1 - 6 - 5 = 23 (R igraph distances() after E(g)$weight[7] <- 20: 0 7 9 20 23
// 14); 1 -> 4 (1 - 3 - 4 = 20) does not use it and stays.
TEST(DistanceMatrixKernel, ChangingOneLinkChangesThePathsThroughIt) {
  const dm::Tree t = dm::shortest_paths(dm::make_graph(6, wikipedia_links(20), false), 0, false);
  EXPECT_EQ(t.length, (std::vector<double>{0, 7, 9, 20, 23, 14}));
  EXPECT_EQ(dm::path_to(t, 4), (std::vector<std::size_t>{0, 5, 4}));
}

// Directed: only 1 -> 2; from 2 node 1 is unreached and has no path.
TEST(DistanceMatrixKernel, DirectedLinkIsOneWay) {
  const dm::Graph g = dm::make_graph(2, {{0, 1, 5, 1}}, true);
  EXPECT_TRUE(dm::shortest_paths(g, 0, false).reached(1));
  const dm::Tree back = dm::shortest_paths(g, 1, false);
  EXPECT_FALSE(back.reached(0));
  EXPECT_TRUE(dm::path_to(back, 0).empty());
}

// Points: Astana - Almaty by the spherical law of cosines, an independent formula,
// R acos(sin p1 sin p2 + cos p1 cos p2 cos dl) = 972.8289 km (python3 math); 1.2 x that at 60 km/h.
TEST(DistanceMatrix, PointsAstanaAlmaty) {
  const Table out =
      run_step({{"points", std::string("r")}, {"circuity", 1.2}}, {{"r", two_cities()}}).at("step");
  EXPECT_EQ(out.schema().names(),
            (std::vector<std::string>{"origin", "destination", "distance_km", "hours"}));
  ASSERT_EQ(out.rows(), 2u);  // AST -> ALA and ALA -> AST, no self rows
  EXPECT_NEAR(at(out, "distance_km", "AST", "ALA"), 1.2 * 972.8289088, 1e-5);
  EXPECT_NEAR(at(out, "distance_km", "ALA", "AST"), 1.2 * 972.8289088, 1e-5);
  EXPECT_NEAR(at(out, "hours", "AST", "ALA"), 1.2 * 972.8289088 / 60, 1e-6);
}

// include_self adds i -> i rows of distance 0; write_path adds the path column.
TEST(DistanceMatrix, PointsSelfRowsAndPath) {
  const Table out =
      run_step({{"points", std::string("r")}, {"include_self", true}, {"write_path", true}},
               {{"r", two_cities()}})
          .at("step");
  ASSERT_EQ(out.rows(), 4u);
  EXPECT_EQ(at(out, "distance_km", "AST", "AST"), 0.0);
  EXPECT_EQ(out.schema().names().back(), "path");
}

// A pairs table (spatial_weights' from/to) restricts the pairs; a row with a missing `to` (an
// island) is skipped.
TEST(DistanceMatrix, PointsOnlyTheGivenPairs) {
  Column to = Column::make_strings("to", {"ALA", ""});
  to.codes[1] = -1;  // missing
  const Table pairs({Column::make_strings("from", {"AST", "ALA"}), to});
  const Table out = run_step({{"points", std::string("r")}, {"pairs", std::string("p")}},
                             {{"r", two_cities()}, {"p", pairs}})
                        .at("step");
  ASSERT_EQ(out.rows(), 1u);
  EXPECT_NEAR(at(out, "distance_km", "AST", "ALA"), 972.8289088, 1e-5);
}

TEST(DistanceMatrix, PairWithAnUnknownPoint) {
  const Table pairs({Column::make_strings("from", {"AST"}), Column::make_strings("to", {"SHM"})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"points", std::string("r")}, {"pairs", std::string("p")}},
                       {{"r", two_cities()}, {"p", pairs}});
            }),
            "the row with from 'AST', to 'SHM' of table 'p': point 'SHM' is not in table 'r'");
}

// Network through the plugin: node 1 to all others as in the Wikipedia example; the path text.
TEST(DistanceMatrix, NetworkWikipediaFromNodeOne) {
  const Table out = run_step(network({{"origins", std::string("1")}, {"write_path", true}}),
                             {{"links", wikipedia_table()}})
                        .at("step");
  ASSERT_EQ(out.rows(), 5u);
  EXPECT_EQ(at(out, "distance_km", "1", "5"), 20);
  EXPECT_EQ(at(out, "distance_km", "1", "4"), 20);
  EXPECT_EQ(at(out, "distance_km", "1", "6"), 11);
  // no time column: hours = km / speed_kmh (60) summed along 1 - 3 - 6 - 5
  EXPECT_NEAR(at(out, "hours", "1", "5"), 20.0 / 60, 1e-12);
  const Column& dest = out.column("destination");
  for (std::size_t r = 0; r < out.rows(); ++r) {
    if (dest.str(r) == "5") {
      EXPECT_EQ(out.column("path").str(r), "1 > 3 > 6 > 5");
    }
  }
  // all pairs by default: 6 x 5 ordered pairs
  EXPECT_EQ(run_step(network(), {{"links", wikipedia_table()}}).at("step").rows(), 30u);
}

// weight = "time" vs "length" on a hand graph: A-B is a 10 km motorway taking 0.1 h; A-C-B is
// 5 + 4 = 9 km on slow roads taking 0.2 + 0.2 h. By length A -> B is 9 km and 0.4 h, by time
// 10 km and 0.1 h.
TEST(DistanceMatrix, NetworkMinimisesLengthOrTime) {
  const Table links({Column::make_strings("origin", {"A", "A", "C"}),
                     Column::make_strings("destination", {"B", "C", "B"}),
                     Column::make_floats("distance_km", {10, 5, 4}),
                     Column::make_floats("hours", {0.1, 0.2, 0.2})});
  const Table by_length = run_step(network(), {{"links", links}}).at("step");
  EXPECT_DOUBLE_EQ(at(by_length, "distance_km", "A", "B"), 9);
  EXPECT_DOUBLE_EQ(at(by_length, "hours", "A", "B"), 0.4);
  const Table by_time =
      run_step(network({{"weight", std::string("time")}}), {{"links", links}}).at("step");
  EXPECT_DOUBLE_EQ(at(by_time, "distance_km", "A", "B"), 10);
  EXPECT_DOUBLE_EQ(at(by_time, "hours", "A", "B"), 0.1);
}

// Two equally long paths A-B-D and A-C-D (2 + 2 km); the one through C is faster (0.5 h vs 1 h):
// the least time among the shortest paths is reported.
TEST(DistanceMatrix, NetworkEqualLengthsTakeTheFasterPath) {
  const Table links({Column::make_strings("origin", {"A", "B", "A", "C"}),
                     Column::make_strings("destination", {"B", "D", "C", "D"}),
                     Column::make_floats("distance_km", {1, 1, 1, 1}),
                     Column::make_floats("hours", {0.5, 0.5, 0.25, 0.25})});
  const Table out = run_step(network(), {{"links", links}}).at("step");
  EXPECT_DOUBLE_EQ(at(out, "distance_km", "A", "D"), 2);
  EXPECT_DOUBLE_EQ(at(out, "hours", "A", "D"), 0.5);
}

// Two components {1, 2} and {3, 4}: 8 of the 12 ordered pairs have no path.
TEST(DistanceMatrix, UnreachablePairsAreNamed) {
  const Table links = links_table({"1", "3"}, {"2", "4"}, {1, 1});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(network(), {{"links", links}});
            }),
            "8 origin-destination pair(s) have no path in the links of table 'links': 1 -> 3, "
            "1 -> 4, 2 -> 3, 2 -> 4, 3 -> 1, ... (set unreachable = \"drop\" to leave them out)");
  std::vector<std::string> log;
  const Table out = run_step(network({{"unreachable", std::string("drop")}}), {{"links", links}},
                             "step", collect_log(log))
                        .at("step");
  EXPECT_EQ(out.rows(), 4u);
  EXPECT_EQ(log.size(), 1u);
}

TEST(DistanceMatrix, DirectedNetworkHasNoWayBack) {
  const Table links = links_table({"1"}, {"2"}, {3});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(network({{"directed", true}}), {{"links", links}});
            }),
            "1 origin-destination pair(s) have no path in the links of table 'links' (directed): "
            "2 -> 1 (set unreachable = \"drop\" to leave them out)");
}

TEST(DistanceMatrix, NegativeOrMissingLengthNamesTheLink) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(network(), {{"links", links_table({"1", "2"}, {"2", "3"}, {1, -4})}});
            }),
            "the row with origin '2', destination '3': negative length -4 of a link in table "
            "'links'");
  const Table missing({Column::make_strings("origin", {"1"}),
                       Column::make_strings("destination", {"2"}),
                       Column::make_floats("distance_km", {1}, {0})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(network(), {{"links", missing}});
            }),
            "the row with origin '1', destination '2': missing or non-finite length "
            "'distance_km' in table 'links'");
}

TEST(DistanceMatrix, UnknownOriginIsAParamError) {
  const ThrownParamError e = param_error([&] {
    run_step(network({{"origins", std::vector<std::string>{"1", "9"}}}),
             {{"links", wikipedia_table()}});
  });
  EXPECT_EQ(e.param, "origins");
  EXPECT_EQ(e.message, "node(s) '9' are not in the links of table 'links'");
}

TEST(DistanceMatrix, EachModeNeedsItsTable) {
  EXPECT_EQ(param_error([&] {
              run_step({{"mode", std::string("network")}}, {{"links", wikipedia_table()}});
            }).param,
            "links");
  EXPECT_EQ(param_error([&] {
              run_step({{"points", std::string("r")}, {"origins", std::string("AST")}},
                       {{"r", two_cities()}});
            }).param,
            "origins");
}
