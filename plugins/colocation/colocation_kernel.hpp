// colocation's numeric kernel, on plain values (tested without tables).
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace klaster::plugins::colocation {

/// \brief The Howard-Newman-Tarp colocation of two industries i and j.
struct Colocation {
  double plants_i = 0, plants_j = 0;  // N_i, N_j
  double colocated = 0;               // pairs (k in i, l in j) in the same location
  double cl = 0;                      // CL = colocated / (N_i N_j)
  double expected = 0;                // E[CL] when the N_i + N_j plants' labels are permuted
  double xcl = 0;                     // XCL = CL - E[CL]
};

/// \brief Colocation from the pair counts: s_ij = sum_r n_ir n_jr, s_ii = sum_r n_ir^2 (the Gram
/// matrix of the plant counts) and N_i, N_j (both > 0). Howard, Newman & Tarp (2016), JEG 16(5):
/// CL = s_ij / (N_i N_j). Under their null, industry labels are reassigned at random among the
/// K = N_i + N_j plants with locations fixed; a given cross pair is then any two distinct plants,
/// so E[CL] = sum_r m_r (m_r - 1) / (K (K - 1)) with m_r = n_ir + n_jr, i.e.
/// (s_ii + s_jj + 2 s_ij - K) / (K (K - 1)), exactly (REAT's howard.xcl estimates it by sampling).
Colocation colocation_of_counts(double s_ij, double s_ii, double s_jj, double n_i, double n_j);

/// \brief Colocation of two industries from their plant counts per location (same length).
Colocation colocation(const std::vector<double>& n_i, const std::vector<double>& n_j);

/// \brief Gram matrix N N^T of the industry x location plant counts: entry (i, j) is the number
/// of colocated plant pairs of i and j, the diagonal sum_r n_ir^2.
Eigen::MatrixXd colocated_pairs(const Eigen::MatrixXd& counts);

/// \brief The Litzenberger-Sternberg cluster index of industry i in region j and its parts.
struct ClusterIndex {
  double density = 0;    // IDI = (e_ij / a_j) / (e_i / a), industry density
  double stock = 0;      // IS = (e_ij / p_j) / (e_i / p), industry stock (per inhabitant)
  double firm_size = 0;  // SBR = (e_ij / b_ij) / (e_i / b_i), relative size of business (NaN if
                         // b_ij = 0)
  double ci = 0;         // CI = IDI * IS / SBR = e_ij b_ij a p / (a_j p_j e_i b_i)
};

/// \brief Litzenberger & Sternberg (2006), Geographische Zeitschrift 94(2): employment e_ij of
/// industry i in region j and e_i in all regions, area a_j of a, population p_j of p, firms b_ij of
/// b_i (REAT's litzenberger has the same arguments). CI is evaluated in its reduced form, which
/// equals IDI * IS / SBR whenever SBR > 0 and is 0 (not 0/0) for a region without employment.
ClusterIndex litzenberger_sternberg(double e_ij, double e_i, double a_j, double a, double p_j,
                                    double p, double b_ij, double b_i);

}  // namespace klaster::plugins::colocation
