// regionalize_io's numeric kernel, on plain values (tested without tables).
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 8.5 (SLQ, CILQ, FLQ); Flegg & Webber
// (1997), Regional Studies 31(8) (FLQ's lambda); Flegg & Webber (2000), Regional Studies 34(6)
// (AFLQ).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>

namespace klaster::plugins::regionalize_io {

/// \brief The location quotient q_ij that scales the national coefficient a_ij.
enum class Quotient : std::uint8_t { kSlq, kCilq, kFlq, kAflq };

/// \brief "slq", "cilq", "flq" or "aflq" (the `method` parameter's values).
Quotient quotient_of(const std::string& method);

/// \brief lambda = [log2(1 + TRE/TNE)]^delta, Flegg's regional-size factor (Flegg & Webber 1997).
double flegg_lambda(double regional_total, double national_total, double delta);

/// \brief Each sector's simple location quotient and regional share, from the activity of its
/// industry in the region (E_r) and the nation (E_n) and the totals TRE and TNE.
struct SectorQuotients {
  Eigen::VectorXd slq;    // SLQ_j = (E_r,j / TRE) / (E_n,j / TNE); 0 where E_n,j <= 0
  Eigen::VectorXd share;  // E_r,j / E_n,j, in [0, 1]; 0 where E_n,j <= 0
};
SectorQuotients sector_quotients(const Eigen::VectorXd& regional, const Eigen::VectorXd& national,
                                 double regional_total, double national_total);

/// \brief q_ij from SLQ_i (seller) and SLQ_j (buyer): SLQ_i for slq and on the diagonal; SLQ_i /
/// SLQ_j off it for cilq (1 when SLQ_j = 0: the buyer is absent from the region); times lambda for
/// flq and aflq; times log2(1 + SLQ_j) for aflq where SLQ_j > 1.
double location_quotient(double slq_i, double slq_j, bool diagonal, Quotient method, double lambda);

/// \brief R with r_ij = a_ij * min(1, q_ij) (Miller & Blair 2009, sec. 8.5).
Eigen::MatrixXd regional_coefficients(const Eigen::MatrixXd& national, const Eigen::VectorXd& slq,
                                      Quotient method, double lambda);

/// \brief A national row (D1, B1G, EMP) at its per-unit coefficient applied to regional output:
/// row_r,j = row_n,j / x_n,j * x_r,j; 0 where x_n,j = 0.
Eigen::VectorXd carried_row(const Eigen::VectorXd& national_row, const Eigen::VectorXd& x_national,
                            const Eigen::VectorXd& x_regional);

}  // namespace klaster::plugins::regionalize_io
