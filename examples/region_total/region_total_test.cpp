#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "klaster/sdk/testing.hpp"
#include "region_total_kernel.hpp"

using namespace klaster::sdk;
using namespace klaster::sdk::testkit;

// The kernel on plain values: regions of 1 + 2 and 3 + 4.
TEST(RegionTotalKernel, SumsEachRegionsIndustries) {
  EXPECT_EQ(klaster::plugins::region_total::totals({1, 2, 3, 4}, 2), (std::vector<double>{3, 7}));
}

// The plugin, in-process: region A has 1 + 2 = 3.
TEST(RegionTotal, Sums) {
  Table t({Column::make_strings("region", {"A", "A"}), Column::make_strings("industry", {"X", "Y"}),
           Column::make_floats("value", {1, 2})});
  const Table out = run_step({{"input", std::string("t")}}, {{"t", t}}).at("step");
  EXPECT_EQ(value_at(out, "total", {{"region", "A"}}), 3.0);
}

// The declared read columns are checked before the plugin runs: region must hold strings.
TEST(RegionTotal, IntRegionColumnFailsValidation) {
  Table t({Column::make_ints("region", {1}), Column::make_strings("industry", {"X"}),
           Column::make_floats("value", {1})});
  EXPECT_EQ(param_error([&] {
              run_step({{"input", std::string("t")}}, {{"t", t}});
            }).param,
            "input");
}
