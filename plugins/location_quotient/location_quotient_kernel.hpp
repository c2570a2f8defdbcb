// location_quotient's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace klaster::plugins::location_quotient {

/// \brief LQ_ij = (e_ij / e_j) / (e_i / e): industry i's share of region j's activity against its
/// share of the reference economy. Isard (1960); Miller & Blair (2009), sec. 8.5.1.
double location_quotient(double e_ij, double e_j, double e_i, double e);

/// \brief Which additive LQ (method = "additive"); the multiplicative LQ is the same either way.
enum class AdditiveForm {
  kIndustryShare,  // e_ij / e_j - e_i / e: Hoen & Oosterhaven (2006), the additive RCA / LQ
  kRegionShare,    // e_ij / e_i - e_j / e: REAT's locq(LQ.method = "a") (Wieland)
};
/// \brief The additive LQ: a difference of shares instead of their ratio, in [-1, 1], 0 = the
/// reference share. Hoen & Oosterhaven (2006), Annals of Regional Science 40(3), 677-691.
double additive_location_quotient(double e_ij, double e_j, double e_i, double e, AdditiveForm form);

/// \brief E per year from an external reference: the sum of E_i over the industries of each year
/// (industry_totals[y * I + i]); NaN entries (industries the reference has no row for) are skipped.
std::vector<double> reference_grand_totals(const std::vector<double>& industry_totals,
                                           std::size_t years, std::size_t industries);

/// \brief The sums of a dense year x region x industry cube, cell (y, r, i) at (y * R + r) * I + i.
struct CubeTotals {
  std::vector<double> region;    // e_j per (year, region), at y * R + r
  std::vector<double> industry;  // e_i per (year, industry), at y * I + i
  std::vector<double> all;       // e per year
};
CubeTotals cube_totals(const std::vector<double>& values, std::size_t years, std::size_t regions,
                       std::size_t industries);

/// \brief Mean and sample standard deviation (n - 1) of each group's values.
struct GroupMoments {
  std::vector<double> mean;
  std::vector<double> sd;  // 0/0 (NaN) for a group of fewer than two values
  std::vector<std::size_t> count;
};
/// \brief The moments of `values`, values[k] belonging to group group_of[k] < groups.
GroupMoments group_moments(const std::vector<double>& values,
                           const std::vector<std::uint32_t>& group_of, std::size_t groups);

/// \brief z = (v - mean) / sd of its group, in place: the standardised LQ of O'Donoghue & Gleave
/// (2004), eq. 2, when the groups are an industry's LQs across regions.
void standardize(std::vector<double>& values, const std::vector<std::uint32_t>& group_of,
                 const GroupMoments& moments);

}  // namespace klaster::plugins::location_quotient
