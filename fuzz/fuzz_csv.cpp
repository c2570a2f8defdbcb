// Fuzz target: the CSV reader (sdk/runtime csv.cpp). The first byte chooses the reader and the
// dataset options (separator, decimal mark, trim); the rest is the file.
#include <vector>

#include "fuzz_support.hpp"
#include "klaster/sdk/csv.hpp"

namespace {

using klaster::sdk::ColumnType;

// The separators dataset.toml's users write; ',' as decimal mark only beside another separator,
// as the manifest reader requires.
klaster::sdk::CsvOptions options_of(std::uint8_t b) {
  static const char separators[] = {',', ';', '\t', '|'};
  klaster::sdk::CsvOptions o;
  o.separator = separators[b & 3];
  o.decimal = (b & 4) && o.separator != ',' ? ',' : '.';
  o.trim = (b & 8) != 0;
  o.table = "fuzzed";
  return o;
}

// A fixed schema of every column type, as a dataset table declares it.
const std::vector<klaster::sdk::CsvColumnSpec> kColumns = {
    {"year", ColumnType::kInt}, {"region", ColumnType::kString}, {"value", ColumnType::kFloat}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const klaster::sdk::CsvOptions options = options_of(data[0]);
  const auto path = klaster::fuzz::write_input("input.csv", data + 1, size - 1);
  // Bits 4-5 choose the reader: the long table, the wide matrix (with and without a label and
  // skipped text columns), or the header alone.
  klaster::fuzz::expect_documented_errors([&] {
    switch ((data[0] >> 4) & 3) {
      case 0:
        klaster::sdk::read_csv(path, kColumns, options);
        break;
      case 1:
        klaster::sdk::read_matrix_csv(path, "", options);
        break;
      case 2:
        klaster::sdk::read_matrix_csv(path, "label", options, {"unit"});
        break;
      default:
        klaster::sdk::read_csv_header(path, options);
        break;
    }
  });
  return 0;
}
