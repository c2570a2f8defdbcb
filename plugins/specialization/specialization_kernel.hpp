// specialization's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace klaster::plugins::specialization {

/// \brief A region's industry shares s_i = e_ri / e_r and the reference shares t_i = E_i / E, over
/// the industries of one year.
struct Shares {
  std::vector<double> s, t;
};
/// \brief The shares of a region with activity `own` (per industry) and total `region_total`
/// against an economy with industry totals `industry_totals` and total `grand_total`; with `rest`
/// the reference is the economy without the region (E_i - e_ri over E - e_r). nullopt when the
/// reference total is not positive; `region_total` must be.
std::optional<Shares> region_shares(const std::vector<double>& own, double region_total,
                                    const std::vector<double>& industry_totals, double grand_total,
                                    bool rest);

/// \brief The shares of a region with activity `own` and total `region_total` against the
/// unweighted mean of the OTHER regions' shares, REAT's krugman.spec2 reference (Farhauer & Kroell
/// 2013): t_k = (share_sums[k] - s_k) / (regions - 1), where share_sums[k] = sum over all `regions`
/// regions (this one included) of their share of industry k. `regions` must be at least 2.
Shares others_mean_shares(const std::vector<double>& own, double region_total,
                          const std::vector<double>& share_sums, std::size_t regions);

/// \brief The Theil T index of a mix with shares `s` over n industries, (1/n) sum (x_i / m)
/// ln(x_i / m) with m the mean, computed as ln n + sum s_i ln s_i (Theil 1967, the "first" Theil
/// measure; terms with x_i = 0 are 0).
double absolute_theil(const std::vector<double>& s);

/// \brief The Theil L index (mean log deviation, Theil 1967's "second" measure) of a mix with
/// shares `s`: (1/n) sum ln(m / x_i) = -ln n - (1/n) sum ln s_i; REAT's theil(). nullopt when some
/// s_i = 0 (ln(m / 0) is infinite; REAT returns Inf).
std::optional<double> mean_log_deviation(const std::vector<double>& s);

/// \brief theil_form: against the reference, or Theil T / Theil L of the region's own mix.
enum class TheilForm { kRelative, kAbsolute, kMeanLogDeviation };

/// \brief Which form of each index (the plugin's parameters).
struct Forms {
  bool half_krugman = false;  // convention = "half": Krugman in [0, 1]
  TheilForm theil = TheilForm::kRelative;
  bool reat_gini = true;   // gini_convention = "reat" (else "krugman")
  bool normalize = false;  // Gini times n / (n - 1)
};

/// \brief The indices of one region (n >= 2 industries).
struct Indices {
  double krugman = 0;           // sum |s_i - t_i| (Krugman 1991), halved with half_krugman
  double hoover = 0;            // 1/2 sum |s_i - t_i| (Hoover 1936)
  std::optional<double> theil;  // relative: sum s_i ln(s_i / t_i); absolute: Theil T; mld: Theil L
  std::optional<double> gini;   // REAT: Gini of the LQs s_i / t_i; Krugman: half the Lorenz area
  std::size_t infinite = 0;     // industries with t_i = 0 < s_i (an infinite LQ)
  std::size_t first_infinite = 0;  // the first of them (position in s)
};
/// \brief Krugman, Hoover, Theil (Theil 1967) and Gini (REAT gini.spec, or Krugman 1991 via the
/// Lorenz curve) of shares `s` against `t`. Where t_i = 0 < s_i the LQ is infinite: the relative
/// Theil and the REAT Gini are then nullopt.
Indices specialization_indices(const Shares& shares, const Forms& forms);

}  // namespace klaster::plugins::specialization
