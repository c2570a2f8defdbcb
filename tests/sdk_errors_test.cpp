// SDK messages of the error catalogue (docs/errors.md) that only a plugin's own use of the SDK can
// raise, each checked in full: PLG-03 (matrices from long tables) and DEV-03 (test helpers). The
// expected texts are the entries' patterns filled in by hand for the tables built here.
#include <gtest/gtest.h>

#include <memory>

#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/testing.hpp"

using namespace klaster::sdk;
using testkit::error_message;

namespace {

/// A long matrix table of two cells, (A, X) = 1 and (`row2`, `col2`) = 2, the second one missing
/// when `second_valid` is false.
Table cells(const std::string& row2, const std::string& col2, bool second_valid = true) {
  return Table(
      {Column::make_strings("row", {"A", row2}), Column::make_strings("column", {"X", col2}),
       Column::make_floats("value", {1, 2}, {1, static_cast<std::uint8_t>(second_valid)})});
}

}  // namespace

// PLG-03
TEST(SdkErrorCatalogue, MatrixCellsAreCheckedOneByOne) {
  EXPECT_EQ(error_message<DataError>([] { matrix_from_long(cells("A", "X")); }),
            "matrix cell (A, X) is given twice");
  EXPECT_EQ(error_message<DataError>([] { matrix_from_long(cells("B", "Y", false)); }),
            "matrix cell (B, Y) has no value");
  // Row 2's row label is missing (string code -1), not "" (which is a label).
  auto dict = std::make_shared<Dictionary>();
  const std::int32_t a = dict->intern("A");
  const Table unlabelled({Column::make_strings("row", dict, {a, -1}),
                          Column::make_strings("column", {"X", "Y"}),
                          Column::make_floats("value", {1, 2})});
  EXPECT_EQ(error_message<DataError>([&] { matrix_from_long(unlabelled); }),
            "matrix row 2 has an empty row or column label");
  const Table text({Column::make_strings("row", {"A"}), Column::make_strings("column", {"X"}),
                    Column::make_strings("value", {"1"})});
  EXPECT_EQ(error_message<DataError>([&] { matrix_from_long(text); }),
            "matrix value column 'value' holds text, not numbers");
}

// DEV-03
TEST(SdkErrorCatalogue, ValueAtNeedsExactlyOneRow) {
  const Table t = testkit::long_table({"A", "A"}, {"X", "X"}, {1, 2});
  EXPECT_EQ(error_message<Error>([&] {
              testkit::value_at(t, "value", {{"region", "A"}});
            }),
            "value_at: several rows match in column 'value'");
  EXPECT_EQ(error_message<Error>([&] {
              testkit::value_at(t, "value", {{"region", "B"}});
            }),
            "value_at: no row matches for column 'value'");
}
