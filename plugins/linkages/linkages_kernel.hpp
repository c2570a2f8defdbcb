// linkages' numeric kernel, on plain matrices (tested without tables).
#pragma once

#include <Eigen/Dense>

namespace klaster::plugins::linkages {

/// \brief Coefficient of variation of each column of `m`: the sample standard deviation (n - 1)
/// over the mean (Rasmussen 1956); 0 for a single row or a zero mean.
Eigen::VectorXd column_cv(const Eigen::MatrixXd& m);

/// \brief Rasmussen-Hirschman indices (Miller & Blair 2009, eqs. 12.17-12.18), each averaging 1
/// over the sectors, and how evenly each sector's pull spreads.
struct Dispersion {
  Eigen::VectorXd backward;     // n colsum_j(L) / sum(L): power of dispersion
  Eigen::VectorXd forward;      // n rowsum_i(M) / sum(M), M = G or L
  Eigen::VectorXd cv_backward;  // column_cv of L
  Eigen::VectorXd cv_forward;   // column_cv of M^T (the rows of M)
};
/// \brief The indices of the Leontief inverse `L`, with forward linkages from the rows of
/// `forward_inverse`: the Ghosh inverse G (Miller & Blair's choice) or L itself (Rasmussen's).
Dispersion dispersion(const Eigen::MatrixXd& L, const Eigen::MatrixXd& forward_inverse);

/// \brief Direct linkages (Miller & Blair 2009, 12.2.1): column sums of A and row sums of B.
struct DirectLinkages {
  Eigen::VectorXd backward;  // sum_i a_ij
  Eigen::VectorXd forward;   // sum_j b_ij, B = x^-1 Z
};
DirectLinkages direct_linkages(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B);

/// \brief "key" (both indices above 1), "backward" or "forward" (only that one above 1), "weak".
const char* linkage_class(double backward, double forward);

/// \brief Complete hypothetical extraction of each sector k (Miller & Blair 2009, 12.2.6).
struct Extraction {
  Eigen::MatrixXd loss;   // loss(i, k): output of sector i lost when k is extracted
  Eigen::VectorXd total;  // 1'x - 1'x(-k): column sums of `loss`
  Eigen::VectorXd share;  // total / 1'x (0 when 1'x = 0)
};
/// \brief The losses for final demand `f` with Leontief inverse `L`: x = L f against the output of
/// the economy without k for the remaining final demand, from L by the block-inverse formula
/// (O(n^3) for all k together).
Extraction hypothetical_extraction(const Eigen::MatrixXd& L, const Eigen::VectorXd& f);

}  // namespace klaster::plugins::linkages
