// Fuzz target: `--set` values (apply_override in host/src/config_reader.cpp, which parses VALUE as
// a TOML value and applies it by apply_setting). Each line of the input is one STEP.PARAM=VALUE,
// applied in turn to a copy of a fixed pipeline with a `where` clause and two steps.
#include <sstream>
#include <string>

#include "config.hpp"
#include "fuzz_support.hpp"

namespace {

const char kPipeline[] = R"(name = "fuzz"
dataset = "../data/kz"

[[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "output", value = "value" }
where = { year = 2024, region = ["KST", "ALA"] }

[[step]]
id = "incentive"
plugin = "sector_incentive"
params = { input = "output", regions = ["KST"], industries = ["C"], years = [2025], factor = 1.15 }
)";

const klaster::PipelineConfig& base() {
  static const klaster::PipelineConfig config = [] {
    const auto* text = reinterpret_cast<const std::uint8_t*>(kPipeline);
    return klaster::read_pipeline(
        klaster::fuzz::write_input("base.toml", text, sizeof(kPipeline) - 1));
  }();
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  klaster::PipelineConfig config = base();
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  klaster::fuzz::expect_documented_errors([&] {
    for (std::string line; std::getline(lines, line);) klaster::apply_override(config, line);
  });
  return 0;
}
