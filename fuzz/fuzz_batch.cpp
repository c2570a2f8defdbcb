// Fuzz target: the batch file reader (read_batch in host/src/batch_reader.cpp), grid expansion
// included; the input is the batch file.
#include "batch.hpp"
#include "fuzz_support.hpp"

// read_batch refuses a pipeline that is not a file before it reads the scenarios, so the pipelines
// the seeds name exist (empty: read_batch does not read them) beside the batch file.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (const char* name :
       {"a.toml", "b.toml", "kz_auto_cluster.toml", "kz_auto_cluster_formation.toml"})
    klaster::fuzz::write_input(name, nullptr, 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = klaster::fuzz::write_input("batch.toml", data, size);
  klaster::fuzz::expect_documented_errors([&] { klaster::read_batch(path); });
  return 0;
}
