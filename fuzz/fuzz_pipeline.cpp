// Fuzz target: the pipeline reader (read_pipeline in host/src/config_reader.cpp) alone: validating
// against plugins would load the plugins' libraries (built with the sanitizers) in every fuzzing
// process, and validate_pipeline checks what a read pipeline holds, not the file's text.
#include "config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = klaster::fuzz::write_input("pipeline.toml", data, size);
  klaster::fuzz::expect_documented_errors([&] { klaster::read_pipeline(path); });
  return 0;
}
