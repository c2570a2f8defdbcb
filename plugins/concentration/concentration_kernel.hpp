// concentration's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace klaster::plugins::concentration {

/// \brief Base shares b_j = w_j / sum w of positive weights (activity, 1 each, or a base column).
std::vector<double> base_shares(const std::vector<double>& weights);

/// \brief base = "others_mean" (REAT krugman.conc2): per region j, the unweighted mean over the
/// other industries k of their regional shares s_jk. `share_sums` holds sum_k s_jk over the
/// `industries` industries with activity (the industry itself included when it has activity),
/// `own` the industry's activity per region.
std::vector<double> others_mean_base(const std::vector<double>& share_sums,
                                     const std::vector<double>& own, std::size_t industries);

/// \brief Which form of each index (the plugin's parameters).
struct Forms {
  bool reat_gini = true;   // gini_convention = "reat" (else "krugman")
  bool normalize = false;  // Gini times n / (n - 1)
  bool sample_sd = true;   // cv_sd = "sample" (n - 1), else "population" (n)
};

/// \brief The indices of one industry over n regions.
struct Indices {
  double gini = 0;    // REAT gini.conc: Gini of the LQs s_j / b_j; Krugman: half the Lorenz area
  double hoover = 0;  // 1/2 sum |s_j - b_j| (Hoover 1936)
  double cv = 0;      // sd(s) / mean(s), mean(s) = 1/n
  double total = 0;   // sum x_j
  std::size_t regions = 0;  // n, the regions the indices are over
};
/// \brief The concentration of an industry with activity `x` in n regions (n >= 2) whose base
/// shares are `b`: regional shares s_j = x_j / sum x against b. nullopt when sum x is not positive.
/// Krugman (1991) ch. 2; Hoover (1936); REAT gini(), gini.conc(); EconGeo locational.Gini().
std::optional<Indices> concentration_indices(const std::vector<double>& x,
                                             const std::vector<double>& b, const Forms& forms);

}  // namespace klaster::plugins::concentration
