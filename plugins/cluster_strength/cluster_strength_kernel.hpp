// cluster_strength's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace klaster::plugins::cluster_strength {

/// \brief Rank of every entry of `v` from the top: 1 for the largest, ties share the best rank.
std::vector<std::int64_t> ranks_from_top(const std::vector<double>& v);

/// \brief How many of n regions make the "top share": ceil(share * n), at least 1.
std::int64_t top_count(double share, std::size_t n);

/// \brief The p-quantile of `values` by linear interpolation between order statistics: R's
/// quantile(type = 7), the same as d3.quantile, which clustermapping.us uses. NaN when empty.
double quantile7(std::vector<double> values, double p);

/// \brief The thresholds of the tiers and stars (the plugin's parameters, same defaults).
struct Rules {
  // true: the tiers follow clustermapping.us's quartile rules (method = "cluster_mapping") and the
  // five threshold fields below are not used for them.
  bool cluster_mapping = false;
  double min_employment = 0, min_establishments = 0;  // qualifying
  double significant_lq = 1;
  double strong_top = 0.25, strong10_top = 0.10;
  bool strong_by_lq = true, strong_by_employment = false, strong_by_establishments = false;
  double eco_size_top = 0.10, eco_lq = 2, eco_focus_top = 0.10, eco_min_employment = 0;
};

/// \brief One cluster category in one year, over the year's n regions.
struct Category {
  std::vector<double> employment;      // e_rc per region
  std::vector<double> region_total;    // E_r, the region's employment in all categories (> 0)
  std::vector<double> establishments;  // per region; empty when the table has none
  double category_total = 0;           // E_c (> 0)
  double total = 0;                    // E
};

/// \brief The measures, ranks, US Cluster Mapping tiers and European Cluster Observatory stars of
/// one region in a category.
struct Rating {
  double lq = 0, share = 0;  // (e_rc / E_r) / (E_c / E), e_rc / E_r
  std::int64_t lq_rank = 0, employment_rank = 0, establishments_rank = 0, share_rank = 0;
  bool qualifying = false, significant = false, strong = false, strong10 = false;
  bool size_star = false, specialisation_star = false, focus_star = false;
  std::int64_t stars() const { return size_star + specialisation_star + focus_star; }
};

/// \brief The rating of every region of `category` (in its order). Porter (2003); Delgado, Porter
/// & Stern (2016) for the tiers; Ketels & Solvell (2006) for the stars.
std::vector<Rating> rate(const Category& category, const Rules& rules);

}  // namespace klaster::plugins::cluster_strength
