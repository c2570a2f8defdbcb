// complexity's numeric kernel, on plain values (tested without tables). Matrices over regions r
// and industries i are dense and row-major: entry (r, i) of an R x I matrix is at r * I + i.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace klaster::plugins::complexity {

/// \brief Row, column and grand totals of an R x I activity matrix.
struct Totals {
  std::vector<double> region;    // x_r.
  std::vector<double> industry;  // x_.i
  double all = 0;                // x..
};
Totals totals_of(const std::vector<double>& x, std::size_t regions, std::size_t industries);

/// \brief RCA_ri = (x_ri / x_r.) / (x_.i / x..) (Balassa 1965), presence M_ri = 1 where RCA_ri >=
/// threshold, diversity k_r = sum_i M_ri and ubiquity k_i = sum_r M_ri (Hidalgo & Hausmann 2009).
struct Presence {
  std::vector<double> rca, present;  // R x I
  std::vector<double> diversity;     // R
  std::vector<double> ubiquity;      // I
};
/// \brief Requires positive region and industry totals.
Presence presence_of(const std::vector<double>& x, const Totals& totals, double threshold);

/// \brief How the eigenvalues of M~ = D^-1 M U^-1 M' sit: distinct, eigenvalue 1 repeated (a
/// disconnected region-industry network), or the second-largest repeated (ECI not unique).
enum class Spectrum : std::uint8_t { kDistinct, kDisconnected, kSecondRepeated };

/// \brief ECI_raw (per row of M) and PCI_raw = U^-1 M' ECI_raw / lambda (per column), signed so
/// that ECI correlates positively with diversity (Hausmann et al. 2014, Technical Box 2.1).
struct RawComplexity {
  std::vector<double> eci, pci;
  Spectrum spectrum = Spectrum::kDistinct;
};
/// \brief For a presence matrix `m` with at least two rows and no zero row or column: the
/// eigenvector of the second-largest eigenvalue, solved in the symmetric form
/// D^-1/2 M U^-1 M' D^-1/2. nullopt when the eigensolver does not converge.
std::optional<RawComplexity> raw_complexity(const Eigen::MatrixXd& m);

/// \brief eci = (ECI_raw - mean) / sd and pci = (PCI_raw - mean) / sd with PCI's own mean and sd
/// (`pci_own_scale`) or ECI's (py-ecomplexity); sd with ddof = 0 (numpy). A pci is NaN where its
/// sd is 0. nullopt when ECI is constant (sd 0).
struct Standardised {
  std::vector<double> eci, pci;
};
std::optional<Standardised> standardise(const RawComplexity& raw, bool pci_own_scale);

/// \brief Proximity phi_ij = sum_r M_ri M_rj / max(k_i, k_j) (Hidalgo et al. 2007), I x I; 0
/// where both ubiquities are 0.
std::vector<double> proximity_of(const Presence& p);

/// \brief Density d_ri = sum_j M_rj phi_ij / sum_j phi_ij, in [0, 1], with or without j = i
/// (`diagonal`); NaN where sum_j phi_ij = 0.
std::vector<double> density_of(const Presence& p, const std::vector<double>& proximity,
                               bool diagonal);

}  // namespace klaster::plugins::complexity
