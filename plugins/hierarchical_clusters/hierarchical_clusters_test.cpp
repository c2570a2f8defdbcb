#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hierarchical_clusters_kernel.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;
namespace hc = klaster::plugins::hierarchical_clusters;

namespace {

/// One R hclust result: merge[, 1], merge[, 2], height, order (1-based, as R prints them).
struct RTree {
  std::vector<std::int64_t> a, b;
  std::vector<double> height;
  std::vector<std::size_t> order;
};

// kStates, kMurder, kAssault, kUrbanPop, kRape (R's USArrests) and R's results on them and on
// small tie cases, written by reference.R (see there for every R call).
#include "r_reference.inc"

/// USArrests as a 50 x 4 row-major matrix (Murder, Assault, UrbanPop, Rape).
std::vector<double> usarrests_matrix() {
  std::vector<double> x;
  for (std::size_t i = 0; i < kStates.size(); ++i)
    x.insert(x.end(), {kMurder[i], kAssault[i], kUrbanPop[i], kRape[i]});
  return x;
}

/// USArrests as the plugin's long features table (item, feature, value).
Table usarrests_long() {
  std::vector<std::string> item, feature;
  std::vector<double> value;
  const std::vector<std::pair<std::string, const std::vector<double>*>> columns = {
      {"Murder", &kMurder}, {"Assault", &kAssault}, {"UrbanPop", &kUrbanPop}, {"Rape", &kRape}};
  for (std::size_t i = 0; i < kStates.size(); ++i)
    for (const auto& [name, values] : columns) {
      item.push_back(kStates[i]);
      feature.push_back(name);
      value.push_back((*values)[i]);
    }
  return Table({Column::make_strings("item", item), Column::make_strings("feature", feature),
                Column::make_floats("value", value)});
}

/// Points on a line as an n x 1 matrix's dissimilarities.
hc::Dissimilarity line(const std::vector<double>& x) { return hc::euclidean(x, x.size(), 1); }

/// Expects `tree` to be R's: merges and order exactly, heights to 1e-12 relative.
void expect_r_tree(const hc::Dendrogram& tree, const RTree& r, const std::string& what) {
  ASSERT_EQ(tree.merge.size(), r.a.size()) << what;
  for (std::size_t s = 0; s < r.a.size(); ++s) {
    EXPECT_EQ(tree.merge[s][0], r.a[s]) << what << " step " << s + 1;
    EXPECT_EQ(tree.merge[s][1], r.b[s]) << what << " step " << s + 1;
    EXPECT_NEAR(tree.height[s], r.height[s], 1e-12 * std::max(1.0, r.height[s]))
        << what << " step " << s + 1;
  }
  ASSERT_EQ(tree.order.size(), r.order.size()) << what;
  for (std::size_t i = 0; i < r.order.size(); ++i)
    EXPECT_EQ(tree.order[i] + 1, r.order[i]) << what << " position " << i + 1;
}

/// A long pairs table (item_a, item_b, value).
Table pairs_table(const std::vector<std::string>& a, const std::vector<std::string>& b,
                  const std::vector<double>& v) {
  return Table({Column::make_strings("item_a", a), Column::make_strings("item_b", b),
                Column::make_floats("value", v)});
}

/// Four industries' similarities: AB .9, AC .4, AD .1, BC .5, BD .2, CD .7 (AB given both ways,
/// with the diagonal s = 1 as a correlation table has it).
Table similarity_pairs() {
  return pairs_table({"A", "A", "A", "A", "B", "B", "C", "B", "D"},
                     {"A", "B", "C", "D", "C", "D", "D", "A", "D"},
                     {1, 0.9, 0.4, 0.1, 0.5, 0.2, 0.7, 0.9, 1});
}

std::map<std::string, Value> features_params(const std::string& method) {
  return {{"features", std::string("t")}, {"method", method}};
}

std::string text_at(const Table& t, const std::string& column, std::size_t row) {
  return t.column(column).to_text(row);
}

}  // namespace

// ---- kernel, against R --------------------------------------------------------------------

// R's documented example, example(hclust): hclust(dist(USArrests), "ave"), and the same data for
// every other method R has (reference.R prints R's merge, height and order for each).
TEST(HierarchicalClustersKernel, USArrestsEveryMethodAsR) {
  const hc::Dissimilarity d = hc::euclidean(usarrests_matrix(), kStates.size(), 4);
  for (std::size_t m = 0; m < kMethodNames.size(); ++m)
    expect_r_tree(hc::hclust(d, *hc::method_from_name(kMethodNames[m])), kUSArrestsTrees[m],
                  kMethodNames[m]);
}

// R: hclust(as.dist(1 - cor(t(USArrests))), "average").
TEST(HierarchicalClustersKernel, CorrelationDistanceAsR) {
  std::size_t constant = 0;
  const auto d = hc::correlation_distance(usarrests_matrix(), kStates.size(), 4, constant);
  ASSERT_TRUE(d.has_value());
  const hc::Dendrogram tree = hc::hclust(*d, hc::Method::kAverage);
  for (std::size_t s = 0; s < tree.height.size(); ++s)  // heights near 1e-5: absolute tolerance
    EXPECT_NEAR(tree.height[s], kCorrelationAverage.height[s], 1e-13) << "step " << s + 1;
  EXPECT_EQ(tree.merge.front()[0], kCorrelationAverage.a.front());
  EXPECT_EQ(tree.merge.back()[1], kCorrelationAverage.b.back());
}

// Ties, R's way: on the unit square's corners (4 sides of 1) and on 0..4 (4 gaps of 1), R's
// Fortran joins the first minimal pair of its scan; merges, heights and order are R's.
TEST(HierarchicalClustersKernel, TiesBrokenAsR) {
  const hc::Dissimilarity square = hc::euclidean({0, 0, 1, 0, 0, 1, 1, 1}, 4, 2);
  const hc::Dissimilarity points = line({0, 1, 2, 3, 4});
  const std::vector<hc::Method> methods = {hc::Method::kSingle, hc::Method::kComplete,
                                           hc::Method::kAverage, hc::Method::kWardD2};
  for (std::size_t m = 0; m < methods.size(); ++m) {
    expect_r_tree(hc::hclust(square, methods[m]), kSquareTrees[m], "square " + std::to_string(m));
    expect_r_tree(hc::hclust(points, methods[m]), kLineTrees[m], "0:4 " + std::to_string(m));
  }
}

// ---- kernel, by hand ----------------------------------------------------------------------

// Points 0, 1, 3, 7, 15 on a line (distances all different). By the Lance-Williams definitions:
// single: 1, then min(3, 2) = 2, then min(7, 6, 4) = 4, then min(15, 14, 12, 8) = 8;
// complete: 1, max(3, 2) = 3, max(7, 6, 4) = 7, 15;
// average (UPGMA): 1, (3 + 2)/2 = 2.5, (7 + 6 + 4)/3 = 17/3, (15 + 14 + 12 + 8)/4 = 49/4;
// ward.D2: sqrt(2 nA nB / (nA + nB)) |cA - cB| (Murtagh and Legendre 2014): {0}{1}: 1;
// {0,1}{3}: sqrt(4/3) 2.5; {0,1,3}{7}: sqrt(3/2) (7 - 4/3); {0,1,3,7}{15}: sqrt(8/5) (15 - 11/4).
// Each joins the next point to the cluster of the previous ones: merge (-1,-2), (-3,1), (-4,2),
// (-5,3) (a singleton first, R's convention).
TEST(HierarchicalClustersKernel, FivePointsByHand) {
  const hc::Dissimilarity d = line({0, 1, 3, 7, 15});
  const std::map<hc::Method, std::vector<double>> heights = {
      {hc::Method::kSingle, {1, 2, 4, 8}},
      {hc::Method::kComplete, {1, 3, 7, 15}},
      {hc::Method::kAverage, {1, 2.5, 17.0 / 3, 12.25}},
      {hc::Method::kWardD2,
       {1, 2.5 * std::sqrt(4.0 / 3), (17.0 / 3) * std::sqrt(1.5), 12.25 * std::sqrt(1.6)}}};
  for (const auto& [method, h] : heights) {
    const hc::Dendrogram tree = hc::hclust(d, method);
    for (std::size_t s = 0; s < 4; ++s) EXPECT_NEAR(tree.height[s], h[s], 1e-12);
    EXPECT_EQ(tree.merge,
              (std::vector<std::array<std::int64_t, 2>>{{-1, -2}, {-3, 1}, {-4, 2}, {-5, 3}}));
    EXPECT_EQ(tree.size, (std::vector<std::int64_t>{2, 3, 4, 5}));
    EXPECT_EQ(tree.order, (std::vector<std::size_t>{4, 3, 2, 0, 1}));  // R: 5 4 3 1 2
  }
}

// cutree numbers clusters by first appearance of their items: 0, 1, 3, 7, 15 (single) cut in 3
// leaves {0, 1, 3}, {7}, {15} = 1 1 1 2 3; cut at height 3.5 makes the merges at 1 and 2 only
// (R's cutree(h =): merges at heights <= h) = 3 clusters; at 4 also the merge at 4.
TEST(HierarchicalClustersKernel, CutreeByKAndHeight) {
  const hc::Dendrogram tree = hc::hclust(line({0, 1, 3, 7, 15}), hc::Method::kSingle);
  EXPECT_EQ(hc::cutree(tree, 3), (std::vector<std::int64_t>{1, 1, 1, 2, 3}));
  EXPECT_EQ(hc::cutree(tree, 5), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(hc::cutree(tree, 1), (std::vector<std::int64_t>{1, 1, 1, 1, 1}));
  EXPECT_EQ(hc::clusters_at_height(tree, 3.5), 3u);
  EXPECT_EQ(hc::clusters_at_height(tree, 4), 2u);
  EXPECT_EQ(hc::clusters_at_height(tree, 0.5), 5u);
  // Item order matters: 15, 7, 0, 1, 3 puts {15} first.
  EXPECT_EQ(hc::cutree(hc::hclust(line({15, 7, 0, 1, 3}), hc::Method::kSingle), 3),
            (std::vector<std::int64_t>{1, 2, 3, 3, 3}));
}

// R's centroid tree on USArrests has an inversion (a height lower than the one before): R's
// cutree(h =) stops ("the 'height' component of 'tree' is not sorted"), and so does this.
TEST(HierarchicalClustersKernel, NoHeightCutOfANonMonotoneTree) {
  const hc::Dissimilarity d = hc::euclidean(usarrests_matrix(), kStates.size(), 4);
  EXPECT_FALSE(hc::clusters_at_height(hc::hclust(d, hc::Method::kCentroid), 10).has_value());
}

// cluster::silhouette(cutree(hclust(dist(USArrests), "average"), k = 4), dist(USArrests)).
TEST(HierarchicalClustersKernel, SilhouetteAsClusterPackage) {
  const hc::Dissimilarity d = hc::euclidean(usarrests_matrix(), kStates.size(), 4);
  const std::vector<std::int64_t> cut = hc::cutree(hc::hclust(d, hc::Method::kAverage), 4);
  EXPECT_EQ(cut, kSilCluster);
  const hc::Silhouette s = hc::silhouette(d, cut, 4);
  EXPECT_EQ(s.neighbor, kSilNeighbor);
  for (std::size_t i = 0; i < kStates.size(); ++i)
    EXPECT_NEAR(s.width[i], kSilWidth[i], 1e-12) << kStates[i];
}

// Rousseeuw (1987) by hand on 0, 1, 3, 7, 15 cut as {0, 1, 3}, {7}, {15}: item 0 has
// a = (1 + 3)/2 = 2, b = min(7, 15) = 7 (neighbour cluster 2), s = 5/7; the singletons {7} and
// {15} have s = 0 (their neighbours: 7 is nearer {0, 1, 3} (mean 14/3) than 15 (8)).
TEST(HierarchicalClustersKernel, SilhouetteByHand) {
  const hc::Silhouette s = hc::silhouette(line({0, 1, 3, 7, 15}), {1, 1, 1, 2, 3}, 3);
  EXPECT_NEAR(s.width[0], 5.0 / 7, 1e-15);
  EXPECT_EQ(s.neighbor[0], 2);
  EXPECT_EQ(s.width[3], 0.0);
  EXPECT_EQ(s.neighbor[3], 1);
  EXPECT_EQ(s.width[4], 0.0);
}

TEST(HierarchicalClustersKernel, ConstantRowHasNoCorrelation) {
  std::size_t constant = 9;
  EXPECT_FALSE(hc::correlation_distance({1, 2, 3, 0.1, 0.1, 0.1}, 2, 3, constant).has_value());
  EXPECT_EQ(constant, 1u);
}

// ---- plugin -------------------------------------------------------------------------------

// example(hclust): hclust(dist(USArrests), "ave") through the features table: R's merge,
// heights and order, with names. R: merge[1, ] = (-15, -29) = Iowa, New Hampshire at 2.2913;
// the last merge (R's step 49) joins clusters 46 and 48 at 152.314 (R's height[49]).
TEST(HierarchicalClusters, USArrestsAverageAsR) {
  const auto out = run_step(features_params("average"), {{"t", usarrests_long()}});
  const Table& m = out.at("step");
  const RTree& r = kUSArrestsTrees[2];
  ASSERT_EQ(m.rows(), 49u);
  for (std::size_t s = 0; s < 49; ++s) {
    EXPECT_EQ(m.column("a_id").ints[s], r.a[s]);
    EXPECT_EQ(m.column("b_id").ints[s], r.b[s]);
    EXPECT_NEAR(m.column("height").floats[s], r.height[s], 1e-12 * r.height[s]);
  }
  EXPECT_EQ(text_at(m, "a", 0), "Iowa");
  EXPECT_EQ(text_at(m, "b", 0), "New Hampshire");
  EXPECT_EQ(text_at(m, "a", 48), "cluster " + std::to_string(r.a[48]));
  EXPECT_EQ(m.column("size").ints[48], 50);
  EXPECT_EQ(m.schema().names(),
            (std::vector<std::string>{"step", "a", "b", "a_id", "b_id", "height", "size"}));
  const Table& order = out.at("step_order");
  for (std::size_t i = 0; i < 50; ++i)
    EXPECT_EQ(text_at(order, "item", i), kStates[r.order[i] - 1]);
  EXPECT_EQ(out.size(), 2u);  // no cut asked for: no members, no silhouette
}

// k = 4 on the same tree: R's cutree(, 4) and cluster::silhouette (reference.R).
TEST(HierarchicalClusters, MembersAndSilhouetteAsR) {
  auto params = features_params("average");
  params["k"] = std::int64_t{4};
  const auto out = run_step(params, {{"t", usarrests_long()}});
  const Table &members = out.at("step_members"), &sil = out.at("step_silhouette");
  EXPECT_EQ(sil.schema().names(),
            (std::vector<std::string>{"item", "cluster", "neighbor", "width"}));
  for (std::size_t i = 0; i < kStates.size(); ++i) {
    EXPECT_EQ(text_at(members, "item", i), kStates[i]);
    EXPECT_EQ(members.column("cluster").ints[i], kSilCluster[i]);
    EXPECT_EQ(sil.column("neighbor").ints[i], kSilNeighbor[i]);
    EXPECT_NEAR(sil.column("width").floats[i], kSilWidth[i], 1e-12);
  }
}

// R: cutree(hclust(dist(USArrests), "ward.D2"), h = 50).
TEST(HierarchicalClusters, CutAtHeightAsR) {
  auto params = features_params("ward.D2");
  params["height"] = 50.0;
  const Table members = run_step(params, {{"t", usarrests_long()}}).at("step_members");
  for (std::size_t i = 0; i < kStates.size(); ++i)
    EXPECT_EQ(members.column("cluster").ints[i], kWardCutAt50[i]) << kStates[i];
}

// Similarities turned into d = 1 - s: AB .1, AC .6, AD .9, BC .5, BD .8, CD .3. Average by hand:
// AB at .1; d(AB, C) = .55, d(AB, D) = .85, CD = .3, so CD at .3; d(AB, CD) = (.6 + .9 + .5 +
// .8)/4 = .7. Silhouette of the cut {A, B}, {C, D}: A: a = .1, b = (.6 + .9)/2 = .75,
// s = .65/.75; D: a = .3, b = (.9 + .8)/2 = .85, s = .55/.85.
TEST(HierarchicalClusters, SimilarityPairsByHand) {
  const auto out = run_step({{"pairs", std::string("l")},
                             {"kind", std::string("similarity")},
                             {"method", std::string("average")},
                             {"k", std::int64_t{2}}},
                            {{"l", similarity_pairs()}});
  const Table& m = out.at("step");
  EXPECT_EQ(m.column("a_id").ints, (std::vector<std::int64_t>{-1, -3, 1}));
  EXPECT_EQ(m.column("b_id").ints, (std::vector<std::int64_t>{-2, -4, 2}));
  EXPECT_EQ(text_at(m, "a", 2), "cluster 1");
  EXPECT_EQ(text_at(m, "b", 2), "cluster 2");
  const std::vector<double> h = {0.1, 0.3, 0.7};
  for (std::size_t s = 0; s < 3; ++s) EXPECT_NEAR(m.column("height").floats[s], h[s], 1e-12);
  const Table& sil = out.at("step_silhouette");
  EXPECT_NEAR(value_at(sil, "width", {{"item", "A"}}), 0.65 / 0.75, 1e-12);
  EXPECT_NEAR(value_at(sil, "width", {{"item", "D"}}), 0.55 / 0.85, 1e-12);
  EXPECT_EQ(out.at("step_members").column("cluster").ints, (std::vector<std::int64_t>{1, 1, 2, 2}));
}

// A distance table in other column names, each pair once in either order: the same tree as the
// 0, 1, 3, 7, 15 hand case (single: heights 1, 2, 4, 8).
TEST(HierarchicalClusters, DistancePairsWithOwnColumnNames) {
  Table t(
      {Column::make_strings("from", {"p0", "p1", "p3", "p0", "p7", "p1", "p0", "p3", "p15", "p7"}),
       Column::make_strings("to", {"p1", "p3", "p0", "p7", "p1", "p15", "p15", "p7", "p3", "p15"}),
       Column::make_ints("km", {1, 2, 3, 7, 6, 14, 15, 4, 12, 8})});
  const Table m = run_step({{"pairs", std::string("t")},
                            {"item_a", std::string("from")},
                            {"item_b", std::string("to")},
                            {"pair_value", std::string("km")},
                            {"method", std::string("single")}},
                           {{"t", t}})
                      .at("step");
  EXPECT_EQ(m.column("height").floats, (std::vector<double>{1, 2, 4, 8}));
  EXPECT_EQ(text_at(m, "a", 3), "p15");
}

// The correlation distance through the table: R's hclust(as.dist(1 - cor(t(USArrests))),
// "average") first merge, (-13, -32) = Illinois, New York at 1.288e-05.
TEST(HierarchicalClusters, CorrelationFeatures) {
  auto params = features_params("average");
  params["distance"] = std::string("correlation");
  const Table m = run_step(params, {{"t", usarrests_long()}}).at("step");
  EXPECT_EQ(text_at(m, "a", 0), "Illinois");
  EXPECT_EQ(text_at(m, "b", 0), "New York");
  EXPECT_NEAR(m.column("height").floats[0], kCorrelationAverage.height[0], 1e-15);
}

// ---- plugin: bad input --------------------------------------------------------------------

TEST(HierarchicalClusters, ExactlyOneInput) {
  EXPECT_EQ(param_error([&] { run_step({}, {{"t", usarrests_long()}}); }).param, "features");
  EXPECT_EQ(param_error([&] {
              run_step({{"features", std::string("t")}, {"pairs", std::string("l")}},
                       {{"t", usarrests_long()}, {"l", similarity_pairs()}});
            }).param,
            "features");
}

TEST(HierarchicalClusters, AtMostOneCut) {
  auto params = features_params("average");
  params["k"] = std::int64_t{2};
  params["height"] = 3.0;
  EXPECT_EQ(param_error([&] { run_step(params, {{"t", usarrests_long()}}); }).param, "height");
}

TEST(HierarchicalClusters, KAboveItemsIsAParamError) {
  auto params = features_params("average");
  params["k"] = std::int64_t{51};
  const ThrownParamError e = param_error([&] { run_step(params, {{"t", usarrests_long()}}); });
  EXPECT_EQ(e.param, "k");
  EXPECT_EQ(e.message, "k = 51 is more than the 50 items clustered");
}

TEST(HierarchicalClusters, HeightCutOfCentroidInversionIsAParamError) {
  auto params = features_params("centroid");
  params["height"] = 10.0;
  EXPECT_EQ(param_error([&] { run_step(params, {{"t", usarrests_long()}}); }).param, "height");
}

TEST(HierarchicalClusters, MissingPairNamesIt) {
  const Table t = pairs_table({"A", "A"}, {"B", "C"}, {1, 2});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"pairs", std::string("t")}}, {{"t", t}});
            }),
            "pair 'B', 'C' has no row in table 't' (parameter 'pairs'); every pair of items needs "
            "a value");
}

TEST(HierarchicalClusters, NegativeDistanceNamesThePair) {
  const Table t = pairs_table({"A", "A", "B"}, {"B", "C", "C"}, {1, -2, 1});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"pairs", std::string("t")}}, {{"t", t}});
            }),
            "pair 'A', 'C': negative distance -2");
}

TEST(HierarchicalClusters, SimilarityAboveOneNamesThePair) {
  const Table t = pairs_table({"A", "A", "B"}, {"B", "C", "C"}, {0.5, 1.5, 0.2});
  EXPECT_EQ(
      error_message<DataError>([&] {
        run_step({{"pairs", std::string("t")}, {"kind", std::string("similarity")}}, {{"t", t}});
      }),
      "pair 'A', 'C': similarity 1.5 gives distance 1 - s = -0.5 < 0");
}

TEST(HierarchicalClusters, NonFiniteDistanceNamesThePair) {
  const Table t = pairs_table({"A", "A", "B"}, {"B", "C", "C"}, {1, INFINITY, 1});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"pairs", std::string("t")}}, {{"t", t}});
            }),
            "pair 'A', 'C' has a non-finite 'value' (inf)");
}

TEST(HierarchicalClusters, DisagreeingBothWaysNamesThePair) {
  const Table t = pairs_table({"A", "A", "B", "C"}, {"B", "C", "C", "A"}, {1, 2, 1, 2.5});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"pairs", std::string("t")}}, {{"t", t}});
            }),
            "pair 'C', 'A' is given twice with different distances (2 and 2.5)");
}

TEST(HierarchicalClusters, SelfDistanceMustBeZero) {
  const Table t = pairs_table({"A", "A"}, {"A", "B"}, {0.5, 1});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step({{"pairs", std::string("t")}}, {{"t", t}});
            }),
            "pair 'A', 'A': an item's distance to itself must be 0, not 0.5");
}

TEST(HierarchicalClusters, MissingFeatureNamesItemAndFeature) {
  Table t({Column::make_strings("item", {"A", "A", "B"}),
           Column::make_strings("feature", {"x", "y", "x"}),
           Column::make_floats("value", {1, 2, 3})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(features_params("average"), {{"t", t}});
            }),
            "item 'B' has no value of feature 'y' in table 't' (parameter 'features'); every item "
            "needs every feature");
}

TEST(HierarchicalClusters, DuplicateFeatureNamesIt) {
  Table t({Column::make_strings("item", {"A", "B", "A"}),
           Column::make_strings("feature", {"x", "x", "x"}),
           Column::make_floats("value", {1, 2, 3})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(features_params("average"), {{"t", t}});
            }),
            "duplicate item 'A', feature 'x' in table 't' (parameter 'features')");
}

TEST(HierarchicalClusters, ConstantItemUnderCorrelationNamesIt) {
  Table t({Column::make_strings("item", {"A", "A", "B", "B"}),
           Column::make_strings("feature", {"x", "y", "x", "y"}),
           Column::make_floats("value", {1, 2, 3, 3})});
  auto params = features_params("average");
  params["distance"] = std::string("correlation");
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(params, {{"t", t}});
            }),
            "item 'B' has the same value for every feature in table 't' (parameter 'features'): "
            "its correlation with other items, and so distance = \"correlation\", is undefined");
}

TEST(HierarchicalClusters, OneItemIsAnError) {
  Table t({Column::make_strings("item", {"A"}), Column::make_strings("feature", {"x"}),
           Column::make_floats("value", {1})});
  EXPECT_EQ(error_message<DataError>([&] {
              run_step(features_params("average"), {{"t", t}});
            }),
            "hierarchical clustering needs at least 2 items; table 't' (parameter 'features') has "
            "1 ('A')");
}

// k = 1 (and k = n): cluster::silhouette is NA; widths and neighbours are missing, with a warning.
TEST(HierarchicalClusters, SilhouetteUndefinedForOneCluster) {
  std::vector<std::string> log;
  const auto out = run_step(
      {{"pairs", std::string("l")}, {"kind", std::string("similarity")}, {"k", std::int64_t{1}}},
      {{"l", similarity_pairs()}}, "step", collect_log(log));
  const Table& sil = out.at("step_silhouette");
  for (std::size_t i = 0; i < 4; ++i) EXPECT_FALSE(sil.column("width").is_valid(i));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0],
            "the cut has 1 cluster(s) of 4 items: silhouette widths are undefined (written as "
            "missing)");
  const Table all_apart = run_step({{"pairs", std::string("l")},
                                    {"kind", std::string("similarity")},
                                    {"k", std::int64_t{4}}},
                                   {{"l", similarity_pairs()}})
                              .at("step_silhouette");
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_FALSE(all_apart.column("neighbor").is_valid(i));
    EXPECT_EQ(all_apart.column("cluster").ints[i], static_cast<std::int64_t>(i + 1));
  }
}
