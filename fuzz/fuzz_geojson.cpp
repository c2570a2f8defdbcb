// Fuzz target: the GeoJSON reader (host/src/geojson.cpp). The first byte's low bit is the table's
// trim option; the rest is the file, read with a fixed set of declared properties.
#include <vector>

#include "fuzz_support.hpp"
#include "geojson.hpp"

namespace {

using klaster::sdk::ColumnType;

// Declared properties of every type, as tests/fixtures/geo/good.geojson has them.
const std::vector<klaster::sdk::CsvColumnSpec> kColumns = {
    {"name", ColumnType::kString}, {"code", ColumnType::kInt}, {"share", ColumnType::kFloat}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  klaster::sdk::CsvOptions options;
  options.trim = (data[0] & 1) != 0;
  options.table = "fuzzed";
  const auto path = klaster::fuzz::write_input("input.geojson", data + 1, size - 1);
  klaster::fuzz::expect_documented_errors([&] { klaster::read_geojson(path, kColumns, options); });
  return 0;
}
