// feser_bergman's numeric kernel, on plain Eigen matrices (tested without tables).
// Feser & Bergman (2000), "National industry cluster templates: a framework for applied regional
// cluster analysis", Regional Studies 34(1), 1-19: linkage matrix L from an input-output table,
// principal components of L, varimax rotation, industries assigned to templates by their loadings.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <vector>

namespace klaster::plugins::feser_bergman {

/// \brief Purchase and sales coefficients of an intermediate block Z (z_ij: from i to j).
struct Coefficients {
  Eigen::MatrixXd purchase;  // x_ij = z_ij / purchases_j: share of j's purchases bought from i
  Eigen::MatrixXd sales;     // y_ij = z_ij / sales_i: share of i's sales sold to j
};

/// \brief x_ij = z_ij / purchases_j and y_ij = z_ij / sales_i; a zero denominator gives zeros
/// (its column / row of Z is then zero too when the denominators are intermediate totals).
Coefficients coefficients(const Eigen::MatrixXd& Z, const Eigen::VectorXd& purchases,
                          const Eigen::VectorXd& sales);

/// \brief R(i, j) = Pearson correlation of column i of `a` with column j of `b` (equally many
/// rows). NaN where a column has zero variance (the correlation is undefined); the caller names
/// the industry. One matrix product of the standardised columns: O(rows * cols^2).
Eigen::MatrixXd column_correlations(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

/// \brief The columns of `m` with zero variance (every entry equal, up to rounding): their
/// correlations are undefined.
std::vector<std::size_t> constant_columns(const Eigen::MatrixXd& m);

/// \brief The linkage measures L may take the maximum of; each is symmetric in (i, j).
enum class Measure {
  kPurchaseSimilarity,  // r(x_.i, x_.j): similar purchase patterns (columns of X)
  kSalesSimilarity,     // r(y_i., y_j.): similar sales patterns (rows of Y)
  kCrossSimilarity,     // r(x_.i, y_j.) and r(y_i., x_.j): i buys from whom j sells to, and back
  kDirectPurchases,     // x_ij and x_ji
  kDirectSales,         // y_ij and y_ji
};

/// \brief L_ij = max over `measures` (i != j), L_ii = 1. Undefined correlations (NaN) are skipped
/// when `skip_undefined`, else they make L_ij NaN (the caller reports the pattern). A pair whose
/// every measure is undefined is NaN either way.
Eigen::MatrixXd linkage_matrix(const Coefficients& c, const std::vector<Measure>& measures,
                               bool skip_undefined);

/// \brief Principal components of a symmetric matrix L (a correlation-like matrix, diagonal 1).
struct Components {
  Eigen::VectorXd eigenvalues;  // all n, descending
  Eigen::MatrixXd loadings;     // n x k: eigenvector_f * sqrt(eigenvalue_f), f = 1..k
};

/// \brief Eigen-decomposition of L (SelfAdjointEigenSolver); keeps `factors` components, or when
/// `factors` is 0 those with eigenvalue >= 1 (Kaiser criterion).
Components principal_components(const Eigen::MatrixXd& L, std::size_t factors);

/// \brief Varimax rotation exactly as R's stats::varimax(x, normalize, eps): Kaiser row
/// normalisation, then at most 1000 steps T <- U V' from the SVD of
/// B = x' (z^3 - z diag(1' z^2) / p), z = x T, until the sum of singular values grows by less
/// than the factor (1 + eps). One column is returned unchanged (as R does). A zero row (no
/// loading at all) is left at zero instead of R's NaN.
struct Rotation {
  Eigen::MatrixXd loadings;  // x T (times the row norms when normalised)
  Eigen::MatrixXd rotation;  // T
  int iterations = 0;
};
Rotation varimax(const Eigen::MatrixXd& loadings, bool normalize = true, double eps = 1e-5);

/// \brief Columns ordered by explained variance (sum of squared loadings), largest first, each
/// signed so that its entry of largest absolute value is positive. `variance` receives the sums.
Eigen::MatrixXd order_and_sign(const Eigen::MatrixXd& loadings, Eigen::VectorXd& variance);

/// \brief One industry in one template.
struct Member {
  std::size_t factor = 0;    // column of the loadings (0-based)
  std::size_t industry = 0;  // row of the loadings
  double loading = 0;
  bool primary = false;  // else secondary
};

/// \brief Feser & Bergman's assignment: an industry is a primary member of the template on which
/// it loads highest, if that loading is >= `primary`; it is a secondary member of every template
/// (its highest one included) on which it loads >= `secondary` without being primary there.
/// Ordered by factor, then loading (descending), then industry.
std::vector<Member> assign(const Eigen::MatrixXd& loadings, double primary, double secondary);

}  // namespace klaster::plugins::feser_bergman
