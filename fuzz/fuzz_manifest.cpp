// Fuzz target: the dataset manifest reader (read_dataset_manifest in host/src/config_reader.cpp);
// the input is dataset.toml.
#include "config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  klaster::fuzz::write_input("dataset.toml", data, size);
  klaster::fuzz::expect_documented_errors(
      [] { klaster::read_dataset_manifest(klaster::fuzz::scratch()); });
  return 0;
}
