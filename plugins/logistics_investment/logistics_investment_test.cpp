#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "logistics_investment_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace li = klaster::plugins::logistics_investment;

namespace {

// A 4-node network, km and hours made up for the hand computations below: A-B 100 km 1 h,
// B-C 200 km 2.5 h, C-D 150 km 2 h (each stored in both directions), A->C 250 km 3 h (one
// direction only). `mode` is an extra column a measure must carry along.
Table network() {
  return Table(
      {Column::make_strings("origin", {"A", "B", "B", "C", "C", "D", "A"}),
       Column::make_strings("destination", {"B", "A", "C", "B", "D", "C", "C"}),
       Column::make_floats("distance_km", {100, 100, 200, 200, 150, 150, 250}),
       Column::make_floats("hours", {1, 1, 2.5, 2.5, 2, 2, 3}),
       Column::make_strings("mode", {"road", "road", "road", "road", "rail", "rail", "road"})});
}

std::map<std::string, Value> params(std::map<std::string, Value> extra) {
  std::map<std::string, Value> p = {{"input", std::string("net")}};
  for (auto& [k, v] : extra) p[k] = v;
  return p;
}

using Strings = std::vector<std::string>;

Table run(const std::map<std::string, Value>& p, std::vector<std::string>* log = nullptr,
          const Table* add = nullptr) {
  std::map<std::string, Table> tables = {{"net", network()}};
  if (add) tables.emplace("add", *add);
  std::vector<std::string> ignored;
  return run_step(p, tables, "inv", collect_log(log ? *log : ignored)).at("inv");
}

double at(const Table& t, const std::string& column, const std::string& o, const std::string& d) {
  return value_at(t, column, {{"origin", o}, {"destination", d}});
}

}  // namespace

TEST(LogisticsInvestmentKernel, ParseAndCorridor) {
  EXPECT_EQ(li::parse_link("KST-AKM", "-"), (li::Pair{"KST", "AKM"}));
  EXPECT_FALSE(li::parse_link("KST", "-").has_value());
  EXPECT_FALSE(li::parse_link("-AKM", "-").has_value());
  EXPECT_EQ(li::corridor_pairs({"KST", "AKM", "AST"}),
            (std::vector<li::Pair>{{"KST", "AKM"}, {"AKM", "AST"}}));
}

// Both stored directions of an undirected link; a one-way link by itself; none for a missing one.
TEST(LogisticsInvestmentKernel, RowsOfLinkBothDirections) {
  const li::LinkIndex index = li::index_links({"A", "B", "A"}, {"B", "A", "C"});
  EXPECT_EQ(li::rows_of_link(index, {"A", "B"}), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(li::rows_of_link(index, {"C", "A"}), (std::vector<std::size_t>{2}));
  EXPECT_TRUE(li::rows_of_link(index, {"A", "D"}).empty());
  EXPECT_FALSE(index.duplicate.has_value());
  EXPECT_EQ(li::index_links({"A", "A"}, {"B", "B"}).duplicate,
            (std::pair<std::size_t, std::size_t>{0, 1}));
}

// 2 h and 4 h halved save 1 h and 2 h: mean 1.5 h; an unselected or missing row does not count.
TEST(LogisticsInvestmentKernel, ScaledAndMeanSaved) {
  const auto after = li::scaled({2, 4, 6, 8}, {1, 1, 0, 1}, 0.5);
  EXPECT_EQ(after, (std::vector<double>{1, 2, 6, 4}));
  EXPECT_DOUBLE_EQ(li::mean_saved({2, 4, 6, 8}, after, {1, 1, 0, 1}, {1, 1, 1, 0}), 1.5);
}

// A-B 25 % faster: 1 h / 1.25 = 0.8 h in both directions; length and other links unchanged.
TEST(LogisticsInvestment, FasterLinkBothDirections) {
  std::vector<std::string> log;
  const Table t = run(params({{"links", Strings{"A-B"}}, {"speed_factor", 1.25}}), &log);
  EXPECT_DOUBLE_EQ(at(t, "hours", "A", "B"), 0.8);
  EXPECT_DOUBLE_EQ(at(t, "hours", "B", "A"), 0.8);
  EXPECT_DOUBLE_EQ(at(t, "distance_km", "A", "B"), 100);
  EXPECT_DOUBLE_EQ(at(t, "hours", "B", "C"), 2.5);
  EXPECT_DOUBLE_EQ(at(t, "hours", "A", "C"), 3);
  EXPECT_EQ(t.schema(), network().schema());
  EXPECT_EQ(t.rows(), 7u);
  EXPECT_EQ(log, (Strings{"changed 2 link row(s), mean time saved 0.2 h; 0 link row(s) added or "
                          "set by new_links (0 new)"}));
}

// Corridor A-B-C with travel times halved: A-B 0.5 h, B-C 1.25 h, both directions (4 rows, mean
// saving (0.5 + 0.5 + 1.25 + 1.25) / 4 = 0.875 h); A->C, C-D untouched.
TEST(LogisticsInvestment, CorridorHalvesTime) {
  std::vector<std::string> log;
  const Table t = run(params({{"corridor", Strings{"A", "B", "C"}}, {"time_factor", 0.5}}), &log);
  EXPECT_DOUBLE_EQ(at(t, "hours", "B", "A"), 0.5);
  EXPECT_DOUBLE_EQ(at(t, "hours", "C", "B"), 1.25);
  EXPECT_DOUBLE_EQ(at(t, "hours", "A", "C"), 3);
  EXPECT_DOUBLE_EQ(at(t, "hours", "C", "D"), 2);
  EXPECT_EQ(log.at(0).substr(0, 48), "changed 4 link row(s), mean time saved 0.875 h; ");
}

// Every link touching D 10 % shorter: 150 km -> 135 km; from/to selects the one-way A->C.
TEST(LogisticsInvestment, RegionsAndFromTo) {
  const Table t = run(params({{"regions", Strings{"D"}}, {"length_factor", 0.9}}));
  EXPECT_DOUBLE_EQ(at(t, "distance_km", "C", "D"), 135);
  EXPECT_DOUBLE_EQ(at(t, "distance_km", "D", "C"), 135);
  EXPECT_DOUBLE_EQ(at(t, "distance_km", "B", "C"), 200);
  const Table u =
      run(params({{"from", Strings{"C"}}, {"to", Strings{"A"}}, {"speed_factor", 2.0}}));
  EXPECT_DOUBLE_EQ(at(u, "hours", "A", "C"), 1.5);
}

// A new link B-D (120 km, 1.5 h both ways) completes the corridor A-B-D; halving the corridor's
// time halves A-B (0.5 h) and takes the new link as given (1.5 h). Its `mode` is missing.
TEST(LogisticsInvestment, NewLinksCompleteACorridor) {
  const Table add(
      {Column::make_strings("origin", {"B", "D"}), Column::make_strings("destination", {"D", "B"}),
       Column::make_floats("distance_km", {120, 120}), Column::make_floats("hours", {1.5, 1.5})});
  auto p = params({{"corridor", Strings{"A", "B", "D"}}, {"time_factor", 0.5}});
  const ThrownParamError missing = param_error([&] { run(p); });
  EXPECT_EQ(missing.param, "corridor");
  EXPECT_EQ(missing.message,
            "link 'B-D' is not in table 'net' (in either direction); add it with new_links");
  p["new_links"] = std::string("add");
  const Table t = run(p, nullptr, &add);
  EXPECT_EQ(t.rows(), 9u);
  EXPECT_DOUBLE_EQ(at(t, "hours", "A", "B"), 0.5);
  EXPECT_DOUBLE_EQ(at(t, "hours", "D", "B"), 1.5);
  EXPECT_DOUBLE_EQ(at(t, "distance_km", "B", "D"), 120);
  EXPECT_FALSE(t.column("mode").is_valid(8));
  EXPECT_EQ(t.column("mode").str(0), "road");
}

// A new A->B (120 km, 0.9 h) that exists: an error by default; "replace" takes it; "min" keeps
// the shorter old 100 km and the faster new 0.9 h.
TEST(LogisticsInvestment, ExistingNewLink) {
  const Table add({Column::make_strings("origin", {"A"}),
                   Column::make_strings("destination", {"B"}),
                   Column::make_floats("distance_km", {120}), Column::make_floats("hours", {0.9})});
  auto p = params({{"new_links", std::string("add")}});
  EXPECT_EQ(error_message<DataError>([&] { run(p, nullptr, &add); }),
            "the row with origin 'A', destination 'B': link 'A' -> 'B' is already in table 'net'; "
            "set on_existing = \"replace\" or \"min\", or change it with a factor");
  p["on_existing"] = std::string("replace");
  const Table r = run(p, nullptr, &add);
  EXPECT_DOUBLE_EQ(at(r, "distance_km", "A", "B"), 120);
  EXPECT_DOUBLE_EQ(at(r, "hours", "A", "B"), 0.9);
  EXPECT_DOUBLE_EQ(at(r, "hours", "B", "A"), 1);
  p["on_existing"] = std::string("min");
  const Table m = run(p, nullptr, &add);
  EXPECT_DOUBLE_EQ(at(m, "distance_km", "A", "B"), 100);
  EXPECT_DOUBLE_EQ(at(m, "hours", "A", "B"), 0.9);
  EXPECT_EQ(m.rows(), 7u);
}

TEST(LogisticsInvestment, BadSelections) {
  const ThrownParamError link = param_error([&] {
    run(params({{"links", Strings{"A-D"}}, {"speed_factor", 2.0}}));
  });
  EXPECT_EQ(link.param, "links");
  EXPECT_EQ(link.message, "link 'A-D' is not in table 'net' (in either direction)");
  EXPECT_EQ(param_error([&] {
              run(params({{"regions", Strings{"E"}}, {"speed_factor", 2.0}}));
            }).message,
            "region 'E' has no link in table 'net'");
  EXPECT_EQ(param_error([&] {
              run(params({{"links", Strings{"AB"}}, {"speed_factor", 2.0}}));
            }).message,
            "'AB' is not a link 'A-B' (or set 'separator', or use from/to)");
  EXPECT_EQ(param_error([&] { run(params({{"links", Strings{"A-B"}}})); }).param, "speed_factor");
  EXPECT_EQ(param_error([&] { run(params({{"speed_factor", 2.0}})); }).param, "links");
  EXPECT_EQ(param_error([&] { run(params({})); }).param, "new_links");
}

// A link stored twice and a negative travel time are data errors naming the rows.
TEST(LogisticsInvestment, BadData) {
  const Table twice({Column::make_strings("origin", {"A", "A"}),
                     Column::make_strings("destination", {"B", "B"}),
                     Column::make_floats("hours", {1, 2})});
  const auto p = params({{"links", Strings{"A-B"}}, {"speed_factor", 2.0}});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(p, {{"net", twice}});
            }),
            "table 'net' has link 'A' -> 'B' twice");
  const Table negative({Column::make_strings("origin", {"A"}),
                        Column::make_strings("destination", {"B"}),
                        Column::make_floats("hours", {-1})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(p, {{"net", negative}});
            }),
            "the row with origin 'A', destination 'B': 'hours' is negative (-1)");
}
