#include "klaster/sdk/inequality.hpp"

#include <algorithm>
#include <numeric>

#include "sort_doubles.hpp"

namespace klaster::sdk {

double plain_gini(std::vector<double>& v) {
  // Highway's vqsort where the CPU has AVX2 or AVX-512: 5-7 times Boost's float_sort on the
  // 300-3,000 values of one Gini (bench/README.md, "Issue 14"). The values are finite, so the
  // order is std::sort's up to -0.0 and 0.0, which sum the same.
  detail::sort_doubles(v.data(), v.size());
  const double n = static_cast<double>(v.size());
  double sum = 0, weighted = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    sum += v[k];
    weighted += (2.0 * static_cast<double>(k + 1) - n - 1.0) * v[k];
  }
  return weighted / (n * sum);
}

double lorenz_gini(const std::vector<double>& s, std::span<const double> t,
                   std::vector<std::size_t>& order) {
  order.resize(s.size());
  std::iota(order.begin(), order.end(), 0);
  // s_a/t_a < s_b/t_b without dividing (t may be 0, the ratio then being +inf).
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return s[a] * t[b] < s[b] * t[a]; });
  double area = 0, cum_s = 0, cum_t = 0;
  for (auto k : order) {
    const double next_s = cum_s + s[k], next_t = cum_t + t[k];
    area += (next_t - cum_t) * (next_s + cum_s);
    cum_s = next_s;
    cum_t = next_t;
  }
  return 1.0 - area;
}

}  // namespace klaster::sdk
