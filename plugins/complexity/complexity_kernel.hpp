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

/// \brief RPOP_ri = (x_ri / pop_r) / (x_.i / pop_.), pop_. = sum_r pop_r (py-ecomplexity
/// `presence_test = "rpop"`), R x I. Requires positive populations and industry totals.
std::vector<double> rpop_of(const std::vector<double>& x, const Totals& totals,
                            const std::vector<double>& population);

/// \brief Presence M_ri = 1 where `relative`_ri >= threshold and x_ri > 0 (relative: RCA or
/// RPOP), with diversity and ubiquity; `rca` is kept as given.
Presence presence_from(const std::vector<double>& x, std::size_t regions, std::size_t industries,
                       std::vector<double> rca, const std::vector<double>& relative,
                       double threshold);

/// \brief Presence taken as given: M_ri = x_ri, which must be 0 or 1 (checked by the caller);
/// rca is NaN (not defined for a given presence).
Presence presence_given(const std::vector<double>& x, std::size_t regions, std::size_t industries);

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

/// \brief The method of reflections (Hidalgo & Hausmann 2009): k_r,0 = diversity, k_i,0 =
/// ubiquity, k_r,N = (1 / k_r,0) sum_i M_ri k_i,N-1 and k_i,N = (1 / k_i,0) sum_r M_ri k_r,N-1.
/// Returns eci = k_r,N and pci = k_i,N-1 for an even `iterations` N >= 2 (so that k_r,N is the
/// mean of k_i,N-1 over the region's industries). No sign flip: even region steps are generalised
/// diversity, odd industry steps generalised "made by diverse regions". Each step is z-scored to
/// keep the shrinking spread above rounding; the operators are averages, so affine rescaling
/// commutes with them and the result equals the raw iteration up to an affine map.
/// Requires no zero row or column in `m`.
RawComplexity reflections(const Eigen::MatrixXd& m, int iterations);

/// \brief EconGeo's eigenvector scaling (kci(), tci()): kci = v / sum(v) for v = ECI_raw, signed
/// so that it correlates non-negatively (Pearson) with morc(steps = 20), the reflections at N =
/// 20; tci = w / sum(w) for w = PCI_raw, negated when its Spearman correlation with ubiquity is
/// positive. nullopt when a sum is 0 (the normalisation is undefined).
std::optional<Standardised> econgeo_eigen_scale(const RawComplexity& raw, const Eigen::MatrixXd& m);

/// \brief Stata ecomplexity's scaling (cid-harvard/ecomplexity, ecipci.ado and ecomplexity.ado):
/// kp = PCI_raw / ||PCI_raw||_2 (Mata's unit eigenvector, signed by diversity), kc = D^-1 M kp;
/// eci = (kc - m) / sd and pci = (kp - m) / sd with ECI's mean m and sd, both taken over the
/// regions x `industries` rows of the long dataset with n - 1 (Stata's summarize):
/// sd^2 = industries * sum_r (kc_r - m)^2 / (regions * industries - 1). `kp` (raw) and `sd` are
/// kept for COI and COG, which Stata computes from the raw kp. nullopt when ECI is constant.
struct StataScaled {
  Standardised z;
  std::vector<double> kp;
  double sd = 1;
};
std::optional<StataScaled> stata_scale(const RawComplexity& raw, std::size_t industries);

/// \brief Stata's COI: (coi - mean) / sd over the regions x `industries` rows with n - 1, the
/// NaN entries left out (and left NaN).
std::vector<double> stata_zscore(const std::vector<double>& v, std::size_t industries);

/// \brief EconGeo's morc()/mort() scaling of reflections: (v - min) / (max - min) * 100 of each.
/// nullopt when ECI is constant.
std::optional<Standardised> econgeo_reflection_scale(const RawComplexity& raw);

/// \brief Spearman rank correlation (average ranks for ties); 0 when a side is constant.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

/// \brief How industries are related from their co-occurrence C_ij = sum_r M_ri M_rj.
/// kMinConditional: C_ij / max(k_i, k_j) (Hidalgo et al. 2007), phi_ii = 1 for k_i > 0. The
/// others follow EconGeo's relatedness() on C with its diagonal set to 0 (van Eck & Waltman 2009):
/// s_i = sum_{j != i} C_ij, T = sum_{i != j} C_ij; cosine C_ij / sqrt(s_i s_j); association
/// strength C_ij T / (s_i s_j); Jaccard C_ij / (s_i + s_j - C_ij); phi_ii = 0 and 0 where a
/// denominator is 0.
enum class ProximityMethod : std::uint8_t { kMinConditional, kCosine, kAssociation, kJaccard };
std::vector<double> proximity_of(const Presence& p, ProximityMethod method);

/// \brief knn density (Stata ecomplexity / py-ecomplexity `knn`): N_k(i) = the industries j != i
/// whose phi_ij is at least the k-th largest phi_ij over j != i (so ties at the k-th value are all
/// kept, as Stata's calculate_density.ado does); d_ri = sum_{j in N_k(i)} M_rj phi_ij /
/// sum_{j in N_k(i)} phi_ij; NaN where that sum is 0. Requires 1 <= k < I.
std::vector<double> knn_density_of(const Presence& p, const std::vector<double>& proximity,
                                   std::size_t k);

/// \brief Complexity outlook (Hausmann et al. 2014, Atlas, Technical Box 2.1):
/// COI_r = sum_i (1 - M_ri) d_ri PCI_i and COG_ri = (1 - M_ri) sum_j (phi_ij / n_j) (1 - M_rj)
/// PCI_j, n_j = sum_k phi_jk (over k != j when `diagonal` is false), as py-ecomplexity / Stata
/// ecomplexity. Industries with NaN pci (or n_j = 0) are left out of the sums.
struct Outlook {
  std::vector<double> coi;  // R
  std::vector<double> cog;  // R x I
};
Outlook outlook_of(const Presence& p, const std::vector<double>& density,
                   const std::vector<double>& proximity, const std::vector<double>& pci,
                   bool diagonal);

/// \brief Proximity phi_ij = sum_r M_ri M_rj / max(k_i, k_j) (Hidalgo et al. 2007), I x I; 0
/// where both ubiquities are 0.
std::vector<double> proximity_of(const Presence& p);

/// \brief Density d_ri = sum_j M_rj phi_ij / sum_j phi_ij, in [0, 1], with or without j = i
/// (`diagonal`); NaN where sum_j phi_ij = 0.
std::vector<double> density_of(const Presence& p, const std::vector<double>& proximity,
                               bool diagonal);

}  // namespace klaster::plugins::complexity
