#include <gtest/gtest.h>

#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;

TEST(RegionTotal, Sums) {
  Table t({Column::make_strings("region", {"A", "A"}), Column::make_strings("industry", {"X", "Y"}),
           Column::make_floats("value", {1, 2})});
  auto out = klaster::sdk::testkit::run_step({{"input", std::string("t")}}, {{"t", t}});
  EXPECT_EQ(klaster::sdk::testkit::value_at(out.at("step"), "total", {{"region", "A"}}), 3.0);
}
