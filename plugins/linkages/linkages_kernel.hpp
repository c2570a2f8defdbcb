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

/// \brief Partial hypothetical extraction (Dietzenbacher, van der Linden & Steenge 1993; Miller &
/// Lahr 2001; Miller & Blair 2009, 12.2.6): the loss of total output when one column or one row of
/// a coefficient matrix is set to zero (diagonal included), all other coefficients and the
/// exogenous vector kept. Closed forms by the Sherman-Morrison identity, O(n^2) for all sectors;
/// each entry equals i'x - i'x(-k) of re-solving the system with the zeroed coefficients.
///
/// Leontief model (f fixed, x = L f, L = (I - A)^-1):
/// - column j of A zeroed (j buys nothing; backward): loss_j = x_j (colsum_j(L) - 1) / l_jj
/// - row i of A zeroed (nobody buys from i; forward): loss_i = (x_i - f_i) colsum_i(L) / l_ii
/// Ghosh model (v fixed, x' = v'G, G = (I - B)^-1):
/// - row i of B zeroed (i sells nothing; forward): loss_i = x_i (rowsum_i(G) - 1) / g_ii
/// - column j of B zeroed (j buys nothing; backward): loss_j = (x_j - v_j) rowsum_j(G) / g_jj
Eigen::VectorXd leontief_column_extraction(const Eigen::MatrixXd& L, const Eigen::VectorXd& x);
Eigen::VectorXd leontief_row_extraction(const Eigen::MatrixXd& L, const Eigen::VectorXd& x,
                                        const Eigen::VectorXd& f);
Eigen::VectorXd ghosh_row_extraction(const Eigen::MatrixXd& G, const Eigen::VectorXd& x);
Eigen::VectorXd ghosh_column_extraction(const Eigen::MatrixXd& G, const Eigen::VectorXd& x,
                                        const Eigen::VectorXd& v);

/// \brief First-order field of influence of a change in a_ij (Sonis & Hewings 1989, 1992):
/// F(i, j) = L_.i L_j. (column i times row j of L), so that (I - A - e E_ij)^-1 = L + e / (1 -
/// e l_ji) F(i, j) exactly (Sherman-Morrison).
Eigen::MatrixXd field_of_influence(const Eigen::MatrixXd& L, Eigen::Index i, Eigen::Index j);

/// \brief How a field of influence is summed into one number per coefficient a_ij.
enum class InfluenceMeasure {
  kSumSquares,  // S_ij = sum_kl f_kl(i,j)^2 (Sonis & Hewings 1989) = |L_.i|^2 |L_j.|^2
  kSumAbs,      // sum_kl |f_kl(i,j)| = |L_.i|_1 |L_j.|_1 (= colsum_i(L) rowsum_j(L) for L >= 0)
};
/// \brief The n x n matrix of total influence, (i, j) for the coefficient a_ij; separable, so
/// O(n^2) instead of summing n^2 fields of n^2 elements.
Eigen::MatrixXd total_influence(const Eigen::MatrixXd& L, InfluenceMeasure measure);

}  // namespace klaster::plugins::linkages
