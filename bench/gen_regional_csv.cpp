// Writes a synthetic region x industry x year CSV (year,region,industry,value) for the data-path
// benchmark: every combination once, values from a seeded generator, so runs are reproducible.
//   gen_regional_csv OUT.csv [regions=1000] [industries=1000] [years=30] [seed=42]
// The default is 30 million rows, about 0.7 GB.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT.csv [regions] [industries] [years] [seed]\n", argv[0]);
    return 2;
  }
  const int regions = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int industries = argc > 3 ? std::atoi(argv[3]) : 1000;
  const int years = argc > 4 ? std::atoi(argv[4]) : 30;
  const unsigned seed = argc > 5 ? static_cast<unsigned>(std::atoi(argv[5])) : 42u;
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  std::mt19937_64 rng(seed);
  std::string buf;
  buf.reserve(1 << 22);
  buf += "year,region,industry,value\n";
  char num[32];
  for (int y = 0; y < years; ++y)
    for (int r = 0; r < regions; ++r)
      for (int i = 0; i < industries; ++i) {
        buf += std::to_string(1995 + y);
        buf += ",R";
        buf += std::to_string(10000 + r).substr(1);
        buf += ",I";
        buf += std::to_string(10000 + i).substr(1);
        buf += ',';
        // Log-uniform-ish activity in [0.01, 10^5) with two decimals, like published statistics.
        const double v = static_cast<double>(rng() % 10000000) / 100.0;
        auto res = std::to_chars(num, num + sizeof num, v, std::chars_format::fixed, 2);
        buf.append(num, res.ptr);
        buf += '\n';
        if (buf.size() > (1 << 22) - 128) {
          std::fwrite(buf.data(), 1, buf.size(), f);
          buf.clear();
        }
      }
  std::fwrite(buf.data(), 1, buf.size(), f);
  return std::fclose(f) == 0 ? 0 : 1;
}
