// Writes a synthetic region x industry x year CSV (year,region,industry,value) for the data-path
// benchmark: every combination once, values from a seeded generator, so runs are reproducible.
//   gen_regional_csv OUT.csv [regions=1000] [industries=1000] [years=30] [seed=42] [order=sorted]
// The default is 30 million rows, about 0.7 GB. With order `shuffled` the same rows (same values)
// come in a seeded random order instead of year-major.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace {

struct Shape {
  int regions, industries, years;
};

void append_row(std::string& buf, const Shape& s, std::size_t cell, double v) {
  const int i = static_cast<int>(cell % s.industries);
  const int r = static_cast<int>(cell / s.industries % s.regions);
  const int y = static_cast<int>(cell / s.industries / s.regions);
  buf += std::to_string(1995 + y);
  buf += ",R";
  buf += std::to_string(10000 + r).substr(1);
  buf += ",I";
  buf += std::to_string(10000 + i).substr(1);
  buf += ',';
  char num[32];
  auto res = std::to_chars(num, num + sizeof num, v, std::chars_format::fixed, 2);
  buf.append(num, res.ptr);
  buf += '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s OUT.csv [regions] [industries] [years] [seed] [sorted|shuffled]\n",
                 argv[0]);
    return 2;
  }
  const Shape s{argc > 2 ? std::atoi(argv[2]) : 1000, argc > 3 ? std::atoi(argv[3]) : 1000,
                argc > 4 ? std::atoi(argv[4]) : 30};
  const unsigned seed = argc > 5 ? static_cast<unsigned>(std::atoi(argv[5])) : 42u;
  const bool shuffled = argc > 6 && std::strcmp(argv[6], "shuffled") == 0;
  const std::size_t n = static_cast<std::size_t>(s.regions) * s.industries * s.years;
  // Log-uniform-ish activity in [0.01, 10^5) with two decimals, like published statistics; drawn
  // in year-major order whatever the row order, so both orders hold the same rows.
  std::mt19937_64 rng(seed);
  std::vector<double> values(n);
  for (double& v : values) v = static_cast<double>(rng() % 10000000) / 100.0;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (shuffled) std::shuffle(order.begin(), order.end(), std::mt19937_64(seed + 1));
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  std::string buf = "year,region,industry,value\n";
  for (std::size_t cell : order) {
    append_row(buf, s, cell, values[cell]);
    if (buf.size() > (1 << 22) - 128) {
      std::fwrite(buf.data(), 1, buf.size(), f);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  return std::fclose(f) == 0 ? 0 : 1;
}
