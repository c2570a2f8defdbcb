// import_substitution's numeric kernel, on plain values (tested without tables).
#pragma once

#include <Eigen/Dense>

namespace klaster::plugins::import_substitution {

/// \brief Imported final demand switched to domestic production by a share s (Miller & Blair
/// 2009, sec. 2.4 and ch. 2): for products i (rows) and final-demand categories k (columns) of the
/// imported final demand m, moved_ik = s m_ik, so d'_ik = d_ik + moved_ik and m'_ik = (1 - s) m_ik.
struct Switch {
  Eigen::MatrixXd moved;
  Eigen::VectorXd delta;      // Δf_i = sum_k moved_ik: the increase of domestic final demand
  Eigen::VectorXd by_column;  // sum_i moved_ik: what each category switched
};
Switch switch_final_demand(const Eigen::MatrixXd& imported, double share);

}  // namespace klaster::plugins::import_substitution
