// Every pipeline in configs/ validates, and kz_auto_cluster (the first demo) gives the numbers an
// independent computation gives.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "cli_support.hpp"
#include "klaster/sdk/csv.hpp"

using namespace klaster::test;
namespace sdk = klaster::sdk;

TEST(Configs, EveryPipelineValidates) {
  int count = 0;
  for (const auto& e : fs::directory_iterator(fs::path(KLASTER_SOURCE_DIR) / "configs")) {
    if (e.path().extension() != ".toml") continue;
    ++count;
    // *_batch.toml are batch files (docs/batch.md) over the pipelines here
    const std::string name = e.path().filename().string();
    const bool batch = name.ends_with("_batch.toml");
    auto r = run_klaster(std::string(batch ? "batch " : "") + "validate configs/" + name);
    EXPECT_EQ(r.code, 0) << e.path() << "\n" << r.err;
  }
  EXPECT_GE(count, 1);
}

// kz_auto_cluster on the embedded BNS data: the LQ of manufacturing (C) in Kostanay (KST) in 2025,
// recomputed here from data/kz/output.csv by the textbook definition (Miller & Blair 2009, 8.5.1),
// before and after the +15 % incentive written in the pipeline.
TEST(Configs, KzAutoClusterMatchesIndependentLq) {
  TempDir dir("kz_auto_cluster");
  auto r = run_klaster("run configs/kz_auto_cluster.toml --out " + (dir / "out").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Regions most specialised in manufacturing (section C) in 2025"));
  // the title states the incentive step's own values (factor 1.15, KST, C, 2025 in the pipeline)
  EXPECT_TRUE(contains(
      r.out, "LQ of section C in KST, 2025: baseline and with the incentive (output x1.15)\n"));

  const sdk::Table in = sdk::read_csv(fs::path(KLASTER_SOURCE_DIR) / "data/kz/output.csv",
                                      {{"year", sdk::ColumnType::kInt},
                                       {"region", sdk::ColumnType::kString},
                                       {"industry", sdk::ColumnType::kString},
                                       {"value", sdk::ColumnType::kFloat}});
  auto lq_of = [&](double factor) {
    double e_rc = 0, e_r = 0, e_c = 0, e = 0;
    for (std::size_t k = 0; k < in.rows(); ++k) {
      if (in.column("year").ints[k] != 2025) continue;
      const bool kst = in.column("region").str(k) == "KST", c = in.column("industry").str(k) == "C";
      const double v = in.column("value").floats[k] * (kst && c ? factor : 1.0);
      e += v;
      if (kst) e_r += v;
      if (c) e_c += v;
      if (kst && c) e_rc += v;
    }
    return (e_rc / e_r) / (e_c / e);
  };
  const sdk::Table cmp =
      sdk::read_csv(dir / "out/lq_compare.csv", {{"year", sdk::ColumnType::kInt},
                                                 {"region", sdk::ColumnType::kString},
                                                 {"industry", sdk::ColumnType::kString},
                                                 {"baseline", sdk::ColumnType::kFloat},
                                                 {"scenario", sdk::ColumnType::kFloat}});
  bool found = false;
  for (std::size_t k = 0; k < cmp.rows(); ++k) {
    if (cmp.column("year").ints[k] != 2025 || cmp.column("region").str(k) != "KST" ||
        cmp.column("industry").str(k) != "C")
      continue;
    found = true;
    EXPECT_NEAR(cmp.column("baseline").floats[k], lq_of(1.0), 1e-12);
    EXPECT_NEAR(cmp.column("scenario").floats[k], lq_of(1.15), 1e-12);
    EXPECT_GT(cmp.column("scenario").floats[k], cmp.column("baseline").floats[k]);
  }
  EXPECT_TRUE(found);
  for (const char* f :
       {"lq.csv", "hhi.csv", "incentive.csv", "lq_incentive.csv", "lq_compare.csv", "run.json"})
    EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
}
