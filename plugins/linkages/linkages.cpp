// linkages: Rasmussen-Hirschman backward and forward linkages, their coefficients of variation,
// key sectors, direct linkages and hypothetical extraction.
// Rasmussen (1956); Hirschman (1958); Miller & Blair (2009), Input-Output Analysis, 2nd ed.,
// sec. 12.2 (eqs. 12.17-12.22) and 12.2.6 (hypothetical extraction, eq. 12.26).
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

const std::vector<std::string> kColumns{"backward",       "forward",         "cv_backward",
                                        "cv_forward",     "key_sector",      "direct_backward",
                                        "direct_forward", "extraction_loss", "extraction_share"};

/// Coefficient of variation of each column of M: sample sd (n - 1) over the mean (Rasmussen 1956).
Eigen::VectorXd column_cv(const Eigen::MatrixXd& m) {
  const Eigen::Index n = m.rows();
  Eigen::VectorXd cv(m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    const double mean = m.col(j).mean();
    const double ss = (m.col(j).array() - mean).square().sum();
    cv(j) = n > 1 && mean != 0 ? std::sqrt(ss / static_cast<double>(n - 1)) / mean : 0.0;
  }
  return cv;
}

class Linkages final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "linkages";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes backward and forward linkages, key sectors and hypothetical extraction";
    p.description =
        "Rasmussen-Hirschman indices (Miller & Blair 2009, 12.2): backward_j = (sum_i l_ij / n) / "
        "(sum_ij l_ij / n^2), the power of dispersion from the columns of L = (I - A)^-1; "
        "forward_i "
        "the same from the rows of G = (I - B)^-1 (forward = \"ghosh\", default, as Miller & Blair "
        "recommend) or of L (forward = \"leontief\", Rasmussen's sensitivity of dispersion). Both "
        "average 1 over the sectors. cv_backward / cv_forward: coefficient of variation of the "
        "column / row (sample sd with n - 1, over the mean); low means the pull spreads evenly.\n"
        "key_sector = 1 where backward > 1 and forward > 1; linkage_class is \"key\", \"backward\" "
        "(only backward > 1), \"forward\" (only forward > 1) or \"weak\".\n"
        "direct_backward = column sums of A; direct_forward = row sums of B = x^-1 Z.\n"
        "Hypothetical extraction (complete: row and column removed; Miller & Blair 12.2.6): "
        "extraction_loss_k = 1'x - 1'x(-k), with x = L f and x(-k) the output of the economy "
        "without sector k for the remaining final demand; extraction_share = loss / 1'x. "
        "write_extraction = true writes the loss in each sector i for each extracted k as "
        "<output>_extraction (extracted, sector, loss). Computed from L by the block-inverse "
        "formula, O(n^3) in all.\n"
        "Reference: Rasmussen (1956), Studies in Inter-Sectoral Relations; Hirschman (1958); "
        "Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 12.2.";
    p.params = io_table_params();
    p.params.push_back(ParamSpec("forward", ParamType::kString)
                           .def("ghosh")
                           .one_of({"ghosh", "leontief"})
                           .doc_("forward linkages from the rows of the Ghosh inverse G (default) "
                                 "or of the Leontief inverse L"));
    p.params.push_back(ParamSpec("write_extraction", ParamType::kBool)
                           .def(false)
                           .doc_("write <output>_extraction: loss of output in each sector when "
                                 "each sector is extracted"));
    p.reads = {
        {"input", "row, column, value", "symmetric input-output table (layout = \"matrix\")"}};
    p.writes = {{"<output>",
                 "sector, backward, forward, cv_backward, cv_forward, key_sector, direct_backward, "
                 "direct_forward, extraction_loss, extraction_share, linkage_class",
                 "one row per sector"},
                {"<output>_extraction", "extracted, sector, loss", "when write_extraction = true"}};
    return p;
  }

  static Schema main_schema() {
    Schema s = sector_schema(kColumns);
    s.add("linkage_class", ColumnType::kString);
    return s;
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    ctx.declare_output(ctx.output_name(), main_schema());
    if (ctx.params().boolean("write_extraction")) {
      Schema s;
      s.add("extracted", ColumnType::kString);
      s.add("sector", ColumnType::kString);
      s.add("loss", ColumnType::kFloat);
      ctx.declare_output(ctx.output_name() + "_extraction", s);
    }
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::Index n = static_cast<Eigen::Index>(io.size());
    const double nn = static_cast<double>(n);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::MatrixXd B = io.allocation_coefficients();
    const Eigen::MatrixXd L = LeontiefSolver(A, io.sectors(), "Leontief").inverse();

    // Miller & Blair (2009) eq. 12.17-12.18 (power and sensitivity of dispersion).
    const double l_total = L.sum();
    const Eigen::VectorXd backward = L.colwise().sum().transpose() * (nn / l_total);
    Eigen::VectorXd forward, cv_forward;
    if (params.str("forward") == "ghosh") {
      const Eigen::MatrixXd G = LeontiefSolver(B, io.sectors(), "Ghosh").inverse();
      forward = G.rowwise().sum() * (nn / G.sum());
      cv_forward = column_cv(G.transpose());
    } else {
      forward = L.rowwise().sum() * (nn / l_total);
      cv_forward = column_cv(L.transpose());
    }
    const Eigen::VectorXd cv_backward = column_cv(L);

    Eigen::VectorXd key(n);
    std::vector<std::string> cls(static_cast<std::size_t>(n));
    for (Eigen::Index j = 0; j < n; ++j) {
      const bool b = backward(j) > 1, f = forward(j) > 1;
      key(j) = b && f ? 1.0 : 0.0;
      cls[static_cast<std::size_t>(j)] = b && f ? "key" : b ? "backward" : f ? "forward" : "weak";
    }

    // Complete extraction of k: (I - A_{-k,-k})^-1 = L_{-k,-k} - L_{-k,k} L_{k,-k} / l_kk, so the
    // output without k for final demand f without f_k is y_{-k} - L_{-k,k} y_k / l_kk, y = L (f -
    // f_k e_k).
    const Eigen::VectorXd& f = io.f();
    const Eigen::VectorXd x = L * f;
    const double x_total = x.sum();
    Eigen::VectorXd loss_total(n);
    Eigen::MatrixXd loss(n, n);  // loss(i, k): sector i's output lost when k is extracted
    for (Eigen::Index k = 0; k < n; ++k) {
      const Eigen::VectorXd y = x - f(k) * L.col(k);
      Eigen::VectorXd without = y - L.col(k) * (y(k) / L(k, k));
      without(k) = 0.0;
      loss.col(k) = x - without;
      loss_total(k) = loss.col(k).sum();
    }
    const Eigen::VectorXd share =
        x_total != 0 ? Eigen::VectorXd(loss_total / x_total) : Eigen::VectorXd::Zero(n);

    Table main = sector_table(io.sectors(), {{"backward", backward},
                                             {"forward", forward},
                                             {"cv_backward", cv_backward},
                                             {"cv_forward", cv_forward},
                                             {"key_sector", key},
                                             {"direct_backward", A.colwise().sum().transpose()},
                                             {"direct_forward", B.rowwise().sum()},
                                             {"extraction_loss", loss_total},
                                             {"extraction_share", share}});
    std::vector<ColumnPtr> cols = main.column_ptrs();
    cols.push_back(std::make_shared<const Column>(Column::make_strings("linkage_class", cls)));
    ctx.write(ctx.output_name(), Table(std::move(cols)));

    if (params.boolean("write_extraction")) {
      std::vector<std::string> extracted, sector;
      std::vector<double> value;
      for (Eigen::Index k = 0; k < n; ++k)
        for (Eigen::Index i = 0; i < n; ++i) {
          extracted.push_back(io.sectors()[static_cast<std::size_t>(k)]);
          sector.push_back(io.sectors()[static_cast<std::size_t>(i)]);
          value.push_back(loss(i, k));
        }
      ctx.write(ctx.output_name() + "_extraction",
                Table({Column::make_strings("extracted", extracted),
                       Column::make_strings("sector", sector),
                       Column::make_floats("loss", std::move(value))}));
    }
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Linkages)
