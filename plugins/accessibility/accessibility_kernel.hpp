// accessibility's numeric kernels, on plain values (tested without tables): Hansen accessibility,
// Harris market potential and Huff choice probabilities over an origin x destination matrix of
// distances, and Reilly's law of retail gravitation for a pair of destinations.
#pragma once

#include <Eigen/Dense>
#include <optional>

namespace klaster::plugins::accessibility {

/// \brief Distance decay f(d): power f(d) = d^lambda or exponential f(d) = exp(lambda d); lambda
/// <= 0 is the decay (Huff's sign convention: the exponent is written with its minus sign).
struct Decay {
  bool exponential = false;
  double lambda = -2;
  double operator()(double d) const;
};

/// \brief The self-distance of a zone of area `area` (d_ii = factor sqrt(area / pi), the radius
/// of the circle of that area times `factor`).
double area_self_distance(double area, double factor);

/// \brief A_i = sum_j w_j f(d_ij) over the destinations j with a finite d_ij; a NaN d_ij is a
/// pair outside i's choice set (e.g. j = i with self_distance = "none") and is skipped. Hansen
/// (1959) with w_j = S_j^gamma; Harris (1954) with w_j = M_j and f(d) = d^-b.
Eigen::VectorXd potential(const Eigen::MatrixXd& d, const Eigen::VectorXd& w, const Decay& f);

/// \brief Huff (1963): P_ij = w_j f(d_ij) / sum_k w_k f(d_ik), w_j = S_j^gamma, NaN pairs
/// skipped (probability 0). nullopt names the first origin whose denominator is zero (no
/// destination with a positive attraction within reach): its probabilities are undefined.
struct HuffResult {
  Eigen::MatrixXd probability;            // origins x destinations
  std::optional<Eigen::Index> undefined;  // the first origin with sum_k w_k f(d_ik) = 0
};
HuffResult huff(const Eigen::MatrixXd& d, const Eigen::VectorXd& w, const Decay& f);

/// \brief Reilly (1931): the ratio B_a / B_b of the trade an intermediate town gives to a and to
/// b, (S_a / S_b)^gamma (d_a / d_b)^lambda, with d_a, d_b the town's distances to a and b
/// (Reilly's law: gamma = 1, lambda = -2). The share of a is B_a / (B_a + B_b).
double reilly_relation(double s_a, double s_b, double d_a, double d_b, double gamma, double lambda);

/// \brief The breaking point between a and b, d_ab apart: the point of the segment where
/// S_a^gamma x^lambda = S_b^gamma (d_ab - x)^lambda, as its distance x from a,
/// x = d_ab / (1 + (S_b / S_a)^(gamma / -lambda)); with gamma = 1, lambda = -2 Converse's (1949)
/// d_ab / (1 + sqrt(S_b / S_a)). An attraction of 0 puts the point at that destination; NaN
/// when both are 0 (no point divides nothing). lambda < 0.
double breaking_point(double d_ab, double s_a, double s_b, double gamma, double lambda);

}  // namespace klaster::plugins::accessibility
