// morans_i's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace klaster::plugins::morans_i {

/// \brief A neighbour j of a region with weight w_ij > 0.
struct Neighbour {
  std::size_t j;
  double w;
};
/// \brief Per region (by position), its neighbours: the spatial weights as adjacency lists.
using Neighbours = std::vector<std::vector<Neighbour>>;

/// \brief Divides each region's weights by their sum (PySAL transformation "r").
void row_standardize(Neighbours& nb);

/// \brief The deviations z = y - mean(y) and their sums m2 = sum z^2 and m4 = sum z^4.
struct Deviations {
  std::vector<double> z;
  double m2 = 0;
  double m4 = 0;
};
Deviations deviations(const std::vector<double>& y);

/// \brief S0 = sum_ij w_ij, S1 = 1/2 sum_ij (w_ij + w_ji)^2, S2 = sum_i (w_i. + w_.i)^2
/// (Cliff & Ord 1981).
struct WeightSums {
  double s0 = 0;
  double s1 = 0;
  double s2 = 0;
};
WeightSums weight_sums(const Neighbours& nb);

/// \brief I = (n / S0) sum_ij w_ij v_i v_j / m2 for deviations v (z, or a permutation of z).
double moran_i(const Neighbours& nb, const std::vector<double>& v, double s0, double m2);

/// \brief Global Moran's I and its moments under normality and randomisation (Cliff & Ord 1981;
/// PySAL esda.Moran). A z-score is nullopt where its variance is not positive.
struct GlobalMoran {
  double i = 0;
  double expected = 0;         // -1 / (n - 1)
  double variance_normal = 0;  // (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2) - E^2
  double variance_random = 0;  // with kurtosis k = n m4 / m2^2; see the README
  std::optional<double> z_normal, z_random;
};
/// \brief Requires m2 > 0 and n >= 4 (Var_R divides by (n-1)(n-2)(n-3)).
GlobalMoran global_moran(const Neighbours& nb, const Deviations& dev);

/// \brief The tail of a permutation p-value: folded (PySAL p_sim, the smaller tail), greater
/// (spdep moran.mc) or less.
enum class Alternative : std::uint8_t { kFolded, kGreater, kLess };

/// \brief p = (m + 1) / (permutations + 1), m = permuted statistics at least as extreme.
double pseudo_p(std::size_t greater_eq, std::size_t less_eq, std::size_t permutations,
                Alternative alternative);

/// \brief A uniform integer in [0, n) from a 64-bit engine by rejection (no modulo bias). Written
/// out because std::uniform_int_distribution is implementation-defined; mt19937_64 is not.
std::uint64_t uniform_below(std::mt19937_64& gen, std::uint64_t n);

/// \brief Fisher-Yates: shuffles the first `k` positions of `v` into a uniform sample of `v`.
template <class T>
void partial_shuffle(std::vector<T>& v, std::size_t k, std::mt19937_64& gen) {
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < k && i + 1 < n; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(uniform_below(gen, n - i));
    std::swap(v[i], v[j]);
  }
}

/// \brief The permutation p-value of the global I: `permutations` random permutations of z.
double global_permutation_p(const Neighbours& nb, const Deviations& dev, double i,
                            std::size_t permutations, Alternative alternative,
                            std::mt19937_64& gen);

/// \brief Local Moran per region (Anselin 1995): lag_i = sum_j w_ij z_j, Ii = c z_i lag_i / m2,
/// and the quadrant HH, LH, LL, HL (z_i > 0 is High, lag_i > 0 is High; zero counts as Low, as in
/// PySAL).
struct LocalMoran {
  std::vector<double> ii, lag;
  std::vector<std::string> quadrant;
};
LocalMoran local_moran(const Neighbours& nb, const Deviations& dev, double scale);

/// \brief Conditional-permutation p-values of the Ii (Anselin 1995): z_i stays, its neighbours'
/// values are drawn without replacement from the other n - 1 regions.
std::vector<double> local_permutation_p(const Neighbours& nb, const Deviations& dev, double scale,
                                        const std::vector<double>& ii, std::size_t permutations,
                                        Alternative alternative, std::mt19937_64& gen);

}  // namespace klaster::plugins::morans_i
