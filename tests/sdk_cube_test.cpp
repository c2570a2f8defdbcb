#include <gtest/gtest.h>

#include "klaster/sdk/cube.hpp"

using namespace klaster::sdk;

namespace {
Table small_table() {
  return Table({Column::make_ints("year", {2024, 2024, 2025}),
                Column::make_strings("region", {"A", "B", "A"}),
                Column::make_strings("industry", {"X", "X", "Y"}),
                Column::make_floats("value", {1, 2, 3})});
}
}  // namespace

TEST(Cube, SharedCubeIsReusedForTheSameColumnsAndOptions) {
  const Table t = small_table();
  CubeOptions o;
  o.year = "year";
  const auto a = Cube::shared(t, o);
  const auto b = Cube::shared(t, o);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->n_years(), 2u);
  EXPECT_DOUBLE_EQ(a->value(a->cell(1, 0, 1)), 3.0);

  CubeOptions no_year;  // other options: another cube
  const auto c = Cube::shared(t, no_year);
  EXPECT_NE(c.get(), a.get());
  EXPECT_FALSE(c->has_year());

  const Table copy = t;  // a copy shares the columns, so it is the same data
  EXPECT_EQ(Cube::shared(copy, no_year).get(), c.get());
}

TEST(Cube, SharedCubeIsNotReusedOnceItsTableIsGone) {
  CubeOptions o;
  const Cube* first = nullptr;
  std::shared_ptr<const Cube> keep;
  {
    const Table t = small_table();
    keep = Cube::shared(t, o);
    first = keep.get();
  }
  const Table other({Column::make_strings("region", {"C"}), Column::make_strings("industry", {"Z"}),
                     Column::make_floats("value", {7})});
  const auto next = Cube::shared(other, o);
  EXPECT_NE(next.get(), first);
  EXPECT_EQ(next->regions().labels, (std::vector<std::string>{"C"}));
}
