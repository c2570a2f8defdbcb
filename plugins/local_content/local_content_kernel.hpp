// local_content's numeric kernel, on plain values (tested without tables).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

namespace klaster::plugins::local_content {

/// \brief The imports moved to domestic purchases by a local-content share s: moved_ij = s m_ij for
/// the inputs i and buyers j named, 0 elsewhere, so that z'_ij = z_ij + moved_ij and m'_ij = m_ij -
/// moved_ij = (1 - s) m_ij (domestic and imported use: Miller & Blair 2009, ch. 2). `imports` is
/// the import block at the sectors; a sector named twice counts once.
Eigen::MatrixXd moved_imports(const Eigen::MatrixXd& imports,
                              const std::vector<std::size_t>& inputs,
                              const std::vector<std::size_t>& buyers, double share);

}  // namespace klaster::plugins::local_content
