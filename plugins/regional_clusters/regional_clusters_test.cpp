#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "regional_clusters_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace rc = klaster::plugins::regional_clusters;

namespace {

// Five regions on a line, A - B - C - D - E, three regional industries X, Y, Z, year 2024:
//   A: X 30, Y 10, Z  60 (total 100)      D: X 40, Y 0, Z 60 (total 100)
//   B: X 20, Y 20, Z  60 (total 100)      E: X  5, Y 5, Z 190 (total 200)
//   C: X  5, Y  5, Z  90 (total 100)      national total 600.
// Cluster "k1" = {X, Y}: sizes A 40, B 40, C 10, D 40, E 10, national 140, ratio 140/600 = 7/30:
//   LQ_A = LQ_B = LQ_D = (40/100)/(7/30) = 12/7, LQ_C = (10/100)/(7/30) = 3/7,
//   LQ_E = (10/200)/(7/30) = 3/14; shares 2/7 (A, B, D) and 1/14 (C, E).
// Cluster "k2" = {Z}: sizes 60, 60, 90, 60, 190, national 460, ratio 23/30:
//   LQ_A = LQ_B = LQ_D = 0.6/(23/30) = 18/23, LQ_C = 0.9/(23/30) = 27/23, LQ_E = 0.95/(23/30) =
//   57/46. All hand computations of LQ = (size_r / total_r) / (size_N / total_N).
Table output() {
  return long_table({"A", "A", "A", "B", "B", "B", "C", "C", "C", "D", "D", "D", "E", "E", "E"},
                    {"X", "Y", "Z", "X", "Y", "Z", "X", "Y", "Z", "X", "Y", "Z", "X", "Y", "Z"},
                    {30, 10, 60, 20, 20, 60, 5, 5, 90, 40, 0, 60, 5, 5, 190},
                    std::vector<std::int64_t>(15, 2024));
}

Table templates(std::vector<std::string> cluster, std::vector<std::string> industry,
                std::vector<std::string> role = {}) {
  std::vector<Column> cols{Column::make_strings("cluster", cluster),
                           Column::make_strings("industry", industry)};
  if (!role.empty()) cols.push_back(Column::make_strings("role", role));
  return Table(std::move(cols));
}

Table two_clusters() { return templates({"k1", "k1", "k2"}, {"X", "Y", "Z"}); }

// The line A - B - C - D - E, each pair listed once.
Table line() {
  return Table({Column::make_strings("from", std::vector<std::string>{"A", "B", "C", "D"}),
                Column::make_strings("to", std::vector<std::string>{"B", "C", "D", "E"})});
}

std::map<std::string, Value> params() {
  return {{"input", std::string("output")},
          {"templates", std::string("tpl")},
          {"neighbours", std::string("nb")}};
}

std::map<std::string, Table> tables(Table tpl = two_clusters()) {
  return {{"output", output()}, {"tpl", std::move(tpl)}, {"nb", line()}};
}

std::string text_at(const Table& t, const std::string& column,
                    const std::map<std::string, std::string>& keys) {
  for (std::size_t row = 0; row < t.rows(); ++row) {
    bool match = true;
    for (const auto& [k, v] : keys) match = match && t.column(k).to_text(row) == v;
    if (match) return t.column(column).to_text(row);
  }
  return "(no row)";
}

}  // namespace

// ---- kernel, on plain values ----

// size = sum_i w_i x_i: 0.5 * 30 + 1 * 10 + 0 * 60 = 25.
TEST(RegionalClustersKernel, SizeIsTheWeightedSum) {
  EXPECT_DOUBLE_EQ(rc::cluster_size({0.5, 1, 0}, {30, 10, 60}), 25);
}

// LQ = (40 / 100) / (140 / 600) = 12/7; undefined for a zero national cluster.
TEST(RegionalClustersKernel, LqIsIsardsQuotientOfTheClusterSize) {
  EXPECT_DOUBLE_EQ(*rc::cluster_lq(40, 100, 140, 600), 12.0 / 7.0);
  EXPECT_FALSE(rc::cluster_lq(0, 100, 0, 600).has_value());
}

// The four classes of the two criteria (LQ >= 1, share >= 0.05), and "absent" for size 0.
TEST(RegionalClustersKernel, StrengthClasses) {
  const rc::Thresholds t{1.0, 0.05};
  EXPECT_EQ(rc::strength(10, 1.0, 0.05, t), "strong");  // both at their threshold
  EXPECT_EQ(rc::strength(10, 2.0, 0.01, t), "specialised");
  EXPECT_EQ(rc::strength(10, 0.5, 0.30, t), "large");
  EXPECT_EQ(rc::strength(10, 0.5, 0.01, t), "weak");
  EXPECT_EQ(rc::strength(0, std::nullopt, std::nullopt, t), "absent");
}

// Line 0-1-2-3-4, qualifying 0, 1, 3: groups {0, 1} (size 80) and {3} (size 40); with
// min_regions = 2 only {0, 1}.
TEST(RegionalClustersKernel, ComponentsOfQualifyingRegions) {
  const std::vector<std::pair<std::size_t, std::size_t>> edges{{0, 1}, {1, 2}, {2, 3}, {3, 4}};
  const std::vector<std::uint8_t> q{1, 1, 0, 1, 0};
  const std::vector<double> size{40, 40, 10, 40, 10};
  using Groups = std::vector<std::vector<std::size_t>>;
  EXPECT_EQ(rc::spatial_groups(5, edges, q, size, 1), (Groups{{0, 1}, {3}}));
  EXPECT_EQ(rc::spatial_groups(5, edges, q, size, 2), (Groups{{0, 1}}));
}

// Equal sizes are ordered by their first region; a larger single region comes first.
TEST(RegionalClustersKernel, OrderBySizeThenFirstRegion) {
  const std::vector<std::pair<std::size_t, std::size_t>> none;
  using Groups = std::vector<std::vector<std::size_t>>;
  EXPECT_EQ(rc::spatial_groups(3, none, {1, 1, 1}, {5, 9, 5}, 1), (Groups{{1}, {0}, {2}}));
}

// ---- the plugin, through the testkit ----

// The cluster LQs, shares and classes of the five regions (numbers at the top of the file).
TEST(RegionalClusters, SizesSharesLqsByHand) {
  const Table t = run_step(params(), tables()).at("step");
  const auto at = [&](const char* col, const char* region, const char* cluster) {
    return value_at(t, col, {{"region", region}, {"cluster", cluster}});
  };
  EXPECT_DOUBLE_EQ(at("size", "A", "k1"), 40);
  EXPECT_DOUBLE_EQ(at("share", "A", "k1"), 2.0 / 7.0);
  EXPECT_DOUBLE_EQ(at("lq", "A", "k1"), 12.0 / 7.0);
  EXPECT_DOUBLE_EQ(at("lq", "C", "k1"), 3.0 / 7.0);
  EXPECT_DOUBLE_EQ(at("lq", "E", "k1"), 3.0 / 14.0);
  EXPECT_DOUBLE_EQ(at("share", "E", "k1"), 1.0 / 14.0);
  EXPECT_EQ(text_at(t, "strength", {{"region", "A"}, {"cluster", "k1"}}), "strong");
  EXPECT_EQ(text_at(t, "strength", {{"region", "C"}, {"cluster", "k1"}}), "large");  // 1/14
  EXPECT_EQ(t.schema().names(), (std::vector<std::string>{"region", "cluster", "year", "size",
                                                          "share", "lq", "strength"}));
  EXPECT_EQ(t.rows(), 10u);
}

// A one-industry cluster's LQ is that industry's location quotient LQ_ij = (e_ij / e_j) /
// (e_i / e) (Isard 1960; Miller & Blair 2009, 8.5.1): Z in C = (90 / 100) / (460 / 600) = 27/23.
TEST(RegionalClusters, OneIndustryClusterIsTheIndustrysLq) {
  const Table t = run_step(params(), tables()).at("step");
  EXPECT_DOUBLE_EQ(value_at(t, "lq", {{"region", "C"}, {"cluster", "k2"}}), 27.0 / 23.0);
  EXPECT_DOUBLE_EQ(value_at(t, "lq", {{"region", "E"}, {"cluster", "k2"}}), 57.0 / 46.0);
}

// k1 (LQ >= 1 in A, B, D): A+B adjacent form group 1 (size 80, total 200, LQ (80/200)/(7/30) =
// 12/7), D isolated is group 2. k2 (LQ >= 1 in C and E, not adjacent): E (190) before C (90).
TEST(RegionalClusters, SpatialGroupsOnTheLine) {
  const auto out = run_step(params(), tables());
  const Table& g = out.at("step_spatial");
  EXPECT_EQ(text_at(g, "regions", {{"cluster", "k1"}, {"group", "1"}}), "A+B");
  EXPECT_DOUBLE_EQ(value_at(g, "size", {{"cluster", "k1"}, {"group", "1"}}), 80);
  EXPECT_DOUBLE_EQ(value_at(g, "total", {{"cluster", "k1"}, {"group", "1"}}), 200);
  EXPECT_DOUBLE_EQ(value_at(g, "lq", {{"cluster", "k1"}, {"group", "1"}}), 12.0 / 7.0);
  EXPECT_EQ(text_at(g, "regions", {{"cluster", "k1"}, {"group", "2"}}), "D");
  EXPECT_EQ(text_at(g, "regions", {{"cluster", "k2"}, {"group", "1"}}), "E");
  EXPECT_EQ(text_at(g, "regions", {{"cluster", "k2"}, {"group", "2"}}), "C");
  EXPECT_EQ(g.rows(), 4u);
  EXPECT_EQ(g.schema().names(), (std::vector<std::string>{"group", "cluster", "year", "n_regions",
                                                          "regions", "size", "total", "lq"}));
  const Table& m = out.at("step_spatial_members");
  EXPECT_EQ(m.rows(), 5u);  // A, B, D; E; C
  EXPECT_EQ(text_at(m, "group", {{"cluster", "k1"}, {"region", "B"}}), "1");
  EXPECT_EQ(m.schema().names(), (std::vector<std::string>{"group", "cluster", "year", "region"}));
}

// min_regions = 2 drops the single-region groups; spatial_by = "share" with threshold 0.25
// qualifies the k1 regions with share 2/7 (A, B, D), the same groups as LQ >= 1.
TEST(RegionalClusters, MinRegionsAndShareIndicator) {
  auto p = params();
  p["min_regions"] = std::int64_t{2};
  EXPECT_EQ(run_step(p, tables()).at("step_spatial").rows(), 1u);
  p = params();
  p["spatial_by"] = std::string("share");
  p["spatial_threshold"] = 0.25;
  const Table g = run_step(p, tables()).at("step_spatial");
  EXPECT_EQ(text_at(g, "regions", {{"cluster", "k1"}, {"group", "1"}}), "A+B");
  EXPECT_EQ(text_at(g, "regions", {{"cluster", "k2"}, {"group", "1"}}), "E");  // 190/460
}

// Concordance: p1 -> X 0.5, p2 -> X 0.5, p3 -> Y 1. Cluster {p1, p3} has weights X 0.5, Y 1:
// sizes A 0.5*30+10 = 25, B 10+20 = 30, C 2.5+5 = 7.5, D 20, E 7.5, national 90;
// LQ_A = (25/100)/(90/600) = 5/3. p1 is taken by a share < 1: approximated = 1 and a warning.
TEST(RegionalClusters, ConcordanceSharesByHand) {
  const Table conc({Column::make_strings("from", std::vector<std::string>{"p1", "p2", "p3"}),
                    Column::make_strings("to", std::vector<std::string>{"X", "X", "Y"}),
                    Column::make_floats("share", {0.5, 0.5, 1.0})});
  auto p = params();
  p["concordance"] = std::string("conc");
  auto t = tables(templates({"m", "m"}, {"p1", "p3"}));
  t["conc"] = conc;
  std::vector<std::string> log;
  const Table out = run_step(p, t, "step", collect_log(log)).at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "size", {{"region", "A"}}), 25);
  EXPECT_DOUBLE_EQ(value_at(out, "size", {{"region", "C"}}), 7.5);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"region", "A"}}), 5.0 / 3.0);
  EXPECT_EQ(text_at(out, "approximated", {{"region", "A"}}), "1");
  EXPECT_EQ(log, (std::vector<std::string>{
                     "template industries taken from their regional industries by concordance "
                     "shares < 1 (approximated: the national share is assumed in every region): "
                     "p1"}));
}

// roles = ["primary"] keeps only X of k1: sizes A 30, B 20, C 5, D 40, E 5 (national 100);
// LQ_D = (40/100)/(100/600) = 2.4.
TEST(RegionalClusters, RolesFilter) {
  auto p = params();
  p["roles"] = std::vector<std::string>{"primary"};
  const Table out =
      run_step(p, tables(templates({"k1", "k1"}, {"X", "Y"}, {"primary", "secondary"}))).at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"region", "D"}}), 2.4);
  EXPECT_EQ(out.rows(), 5u);
}

// Without neighbours only the per-region table is written.
TEST(RegionalClusters, NoNeighboursNoSpatialTables) {
  auto p = params();
  p.erase("neighbours");
  const auto out = run_step(p, tables());
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(out.count("step"), 1u);
}

// ---- bad input ----

TEST(RegionalClusters, UnknownTemplateIndustry) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params(), tables(templates({"k1", "k1"}, {"X", "Q"})));
            }),
            "template cluster 'k1' of table 'tpl': industry 'Q' is not an industry of table "
            "'output' (give a concordance when the templates are finer)");
}

TEST(RegionalClusters, DuplicateTemplateIndustry) {
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params(), tables(templates({"k1", "k1"}, {"X", "X"})));
            }),
            "template cluster 'k1' lists industry 'X' twice");
}

namespace {
std::string concordance_error(std::vector<std::string> to, std::vector<double> share,
                              std::vector<std::string> from = {"p1", "p2"}) {
  const Table conc({Column::make_strings("from", from), Column::make_strings("to", to),
                    Column::make_floats("share", share)});
  auto p = params();
  p["concordance"] = std::string("conc");
  auto t = tables(templates({"m"}, {"p1"}));
  t["conc"] = conc;
  return error_message<DataError>([&] { run_step(p, t); });
}
}  // namespace

TEST(RegionalClusters, ConcordanceErrors) {
  EXPECT_EQ(concordance_error({"X", "W"}, {0.5, 0.5}, {"p2", "p1"}),
            "concordance maps template industry 'p1' to industry 'W', which is not in table "
            "'output'");
  // p2 is in no template: its row, into an industry without regional data, is ignored.
  EXPECT_EQ(concordance_error({"X", "W"}, {0.5, 0.5}), "(no exception)");
  EXPECT_EQ(concordance_error({"X", "Y"}, {1.5, 0.5}),
            "concordance share 1.5 of 'p1' -> 'X' is outside [0, 1]");
  EXPECT_EQ(concordance_error({"X", "X"}, {0.7, 0.5}),
            "concordance shares into industry 'X' sum to 1.2 > 1");
}

TEST(RegionalClusters, TemplateIndustryNotInConcordance) {
  const Table conc({Column::make_strings("from", std::vector<std::string>{"p1"}),
                    Column::make_strings("to", std::vector<std::string>{"X"}),
                    Column::make_floats("share", {0.5})});
  auto p = params();
  p["concordance"] = std::string("conc");
  auto t = tables(templates({"m", "m"}, {"p1", "p9"}));
  t["conc"] = conc;
  EXPECT_EQ(error_message<DataError>([&] { run_step(p, t); }),
            "template cluster 'm' of table 'tpl': industry 'p9' is not in the concordance "
            "('conc')");
}

TEST(RegionalClusters, ZeroRegionTotal) {
  const Table zero = long_table({"A", "A", "B"}, {"X", "Y", "X"}, {0, 0, 5}, {2024, 2024, 2024});
  auto t = tables(templates({"k1"}, {"X"}));
  t["output"] = zero;
  EXPECT_EQ(error_message<DataError>([&] { run_step(params(), t); }),
            "region 'A' has a zero total of 'value' in year 2024: its cluster LQs are undefined");
}

// A neighbour pair naming a region outside the input is ignored with one warning.
TEST(RegionalClusters, UnknownNeighbourRegionWarns) {
  auto t = tables();
  t["nb"] = Table({Column::make_strings("from", std::vector<std::string>{"A", "ZZ"}),
                   Column::make_strings("to", std::vector<std::string>{"B", "A"})});
  std::vector<std::string> log;
  const Table g = run_step(params(), t, "step", collect_log(log)).at("step_spatial");
  EXPECT_EQ(log, (std::vector<std::string>{"table 'nb' names region(s) 'ZZ' not in table "
                                           "'output': their pairs are ignored"}));
  EXPECT_EQ(text_at(g, "regions", {{"cluster", "k1"}, {"group", "1"}}), "A+B");
}

TEST(RegionalClusters, RolesWithoutRoleColumn) {
  auto p = params();
  p["roles"] = std::vector<std::string>{"primary"};
  EXPECT_EQ(param_error([&] { run_step(p, tables()); }).param, "roles");
}

// network_clusters' table (industry, community:int): the cluster column is named by
// template_cluster and written as `cluster` with the template's int type. Community 7 = {X, Y} is
// k1 above: LQ_A = 12/7.
TEST(RegionalClusters, IntClusterKeyNamedByParameter) {
  const Table tpl({Column::make_strings("industry", std::vector<std::string>{"X", "Y", "Z"}),
                   Column::make_ints("community", {7, 7, 3})});
  auto p = params();
  p["template_cluster"] = std::string("community");
  const auto out = run_step(p, tables(tpl));
  const Table& t = out.at("step");
  EXPECT_EQ(t.column("cluster").type, ColumnType::kInt);
  EXPECT_DOUBLE_EQ(value_at(t, "lq", {{"region", "A"}, {"cluster", "7"}}), 12.0 / 7.0);
  EXPECT_EQ(t.column("cluster").to_text(0), "3");  // rows by year, cluster (3 < 7), region
  EXPECT_EQ(out.at("step_spatial").column("cluster").type, ColumnType::kInt);
}

// template_weight: X counted in full, Y by half: sizes A 30 + 5 = 35, B 20 + 10 = 30, C 5 + 2.5 =
// 7.5, D 40, E 5 + 2.5 = 7.5; national 120; LQ_D = (40/100)/(120/600) = 2. A weight of 1.5 is an
// error naming the row.
TEST(RegionalClusters, TemplateWeights) {
  auto p = params();
  p["template_weight"] = std::string("weight");
  const auto tpl = [](double w) {
    return Table({Column::make_strings("cluster", std::vector<std::string>{"k1", "k1"}),
                  Column::make_strings("industry", std::vector<std::string>{"X", "Y"}),
                  Column::make_floats("weight", {1.0, w})});
  };
  const Table out = run_step(p, tables(tpl(0.5))).at("step");
  EXPECT_DOUBLE_EQ(value_at(out, "size", {{"region", "A"}}), 35);
  EXPECT_DOUBLE_EQ(value_at(out, "lq", {{"region", "D"}}), 2.0);
  EXPECT_EQ(error_message<DataError>([&] { run_step(p, tables(tpl(1.5))); }),
            "the row with cluster 'k1', industry 'Y': template weight '1.5' is not in [0, 1]");
}

TEST(RegionalClusters, FloatClusterKeyIsRefused) {
  const Table tpl({Column::make_floats("cluster", {1.0}),
                   Column::make_strings("industry", std::vector<std::string>{"X"})});
  const ThrownParamError e = param_error([&] { run_step(params(), tables(tpl)); });
  EXPECT_EQ(e.param, "template_cluster");
  EXPECT_EQ(e.message,
            "column 'cluster' of table 'tpl' is a float column; cluster keys are int or "
            "string");
}

// missing = "drop": D's Y (0 in the fixture) given as a missing value is read as 0 (the README's
// rule), so k1's LQ in D is still the hand value 12/7, and a warning names the cell.
TEST(RegionalClusters, DroppedValueIsReadAsZeroWithAWarning) {
  const Table full = output();
  std::vector<std::uint8_t> valid(full.rows(), 1);
  valid[10] = 0;  // D, Y
  std::vector<double> v = full.column("value").floats;
  Table in({full.column("region"), full.column("industry"), full.column("year"),
            Column::make_floats("value", std::move(v), std::move(valid))});
  auto p = params();
  p["missing"] = std::string("drop");
  std::vector<std::string> log;
  auto t = tables();
  t["output"] = in;
  const Table out = run_step(p, t, "step", collect_log(log)).at("step");
  EXPECT_NEAR(value_at(out, "lq", {{"region", "D"}, {"cluster", "k1"}}), 12.0 / 7, 1e-12);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log[0].find("region 'D', industry 'Y'"), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("read as 0"), std::string::npos) << log[0];
}
