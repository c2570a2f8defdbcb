// ellison_glaeser's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace klaster::plugins::ellison_glaeser {

/// \brief The agglomeration index: Ellison & Glaeser (1997) or Maurel & Sedillot (1999).
enum class Method : std::uint8_t { kEllisonGlaeser, kMaurelSedillot };

/// \brief The regional pattern of one industry (or of a group): employment by region and the
/// plant Herfindahl H = sum of squared plant shares z_k, plus the moments the variance needs.
struct Pattern {
  std::vector<double> employment;  // by region
  double total = 0;
  double h = 0;   // sum z_k^2
  double z3 = 0;  // sum z_k^3
  double z4 = 0;  // sum z_k^4
  std::size_t plants = 0;
};

/// \brief The pattern of plants k with employment `employment[k]` in region `region[k]` (an index
/// below `regions`). H and its moments stay 0 when the total is not positive.
Pattern pattern_of(const std::vector<std::size_t>& region, const std::vector<double>& employment,
                   std::size_t regions);

/// \brief The regions' shares x_r of aggregate employment and the sums of their powers.
struct RegionShares {
  std::vector<double> x;
  double total = 0;  // aggregate employment; the shares are undefined unless it is positive
  double a = 0;      // sum x^2
  double b = 0;      // sum x^3
};
RegionShares region_shares(const std::vector<double>& employment);

/// \brief Raw geographic concentration G = sum_r (s_r - x_r)^2 (Ellison & Glaeser 1997).
double raw_g(const Pattern& p, const RegionShares& rs);

/// \brief The concentration term of gamma: E&G G / (1 - sum x^2); Maurel-Sedillot
/// (sum s^2 - sum x^2) / (1 - sum x^2).
double scaled_g(const Pattern& p, const RegionShares& rs, Method method);

/// \brief Variance of gamma under the null of random plant location (gamma = 0): E&G (1997)
/// Var(G) = 2{H^2[a - 2b + a^2] - sum z^4 [a - 4b + 3a^2]}, a = sum x^2, b = sum x^3;
/// Maurel-Sedillot Var(sum s^2) = 4[(a - a^2)(H^2 - sum z^4)/2 + (b - a^2)(H - 2 sum z^3
/// + 2 sum z^4 - H^2)] (README); both divided by [(1 - a)(1 - H)]^2.
double gamma_variance(const Pattern& p, const RegionShares& rs, Method method);

/// \brief gamma = (scaled G - H) / (1 - H), its variance and z = gamma / sqrt(variance) (nullopt
/// where the variance is not positive).
struct Gamma {
  double gamma = 0;
  double variance = 0;
  std::optional<double> z;
};
/// \brief nullopt when one plant carries all the employment (H = 1): gamma is 0/0.
std::optional<Gamma> industry_gamma(const Pattern& p, const RegionShares& rs, Method method);

/// \brief The E&G (1997) coagglomeration of a group: G and H of its pooled plants and
/// gamma_c = [scaled G - H - sum_j w_j^2 gamma_j (1 - H_j)] / (1 - sum_j w_j^2).
struct Coagglomeration {
  double g = 0;
  double h = 0;
  double gamma_c = 0;
};
/// \brief `members` are the group's industries, each with a positive total; gamma_j (1 - H_j) is
/// evaluated as scaled G_j - H_j, defined for single-plant industries too.
Coagglomeration coagglomeration(const std::vector<const Pattern*>& members, const RegionShares& rs,
                                Method method);

}  // namespace klaster::plugins::ellison_glaeser
