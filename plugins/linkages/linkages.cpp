// linkages: Rasmussen-Hirschman backward and forward linkages, their coefficients of variation,
// key sectors, direct linkages and hypothetical extraction.
// Rasmussen (1956); Hirschman (1958); Miller & Blair (2009), Input-Output Analysis, 2nd ed.,
// sec. 12.2 (eqs. 12.17-12.22) and 12.2.6 (hypothetical extraction, eq. 12.26).
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"
#include "linkages_kernel.hpp"

namespace klaster::plugins::linkages {
namespace {

using namespace klaster::sdk;

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
    p.params = params();
    p.reads = {matrix_read("input", "symmetric input-output table (layout = \"matrix\")")};
    p.writes = writes();
    return p;
  }

  static std::vector<ParamSpec> params() {
    std::vector<ParamSpec> p = io_table_params();
    p.push_back(ParamSpec("forward", ParamType::kString)
                    .def("ghosh")
                    .one_of({"ghosh", "leontief"})
                    .doc_("forward linkages from the rows of the Ghosh inverse G (default) "
                          "or of the Leontief inverse L"));
    p.push_back(ParamSpec("write_extraction", ParamType::kBool)
                    .def(false)
                    .doc_("write <output>_extraction: loss of output in each sector when "
                          "each sector is extracted"));
    return p;
  }

  static std::vector<TableSpec> writes() {
    return {
        TableSpec::write("<output>", "one row per sector of the intermediate block")
            .column(ColumnSpec::strings("sector", "the sector's row label in the input table"))
            .column(ColumnSpec::floats("backward",
                                       "power of dispersion: n colsum_j(L) / sum(L); "
                                       "average 1, above 1 = pulls more than average"))
            .column(ColumnSpec::floats("forward",
                                       "n rowsum_i(G) / sum(G), or of L with forward = "
                                       "\"leontief\"; average 1"))
            .column(ColumnSpec::floats("cv_backward",
                                       "sd / mean of column j of L (sd with n - 1); "
                                       "low = the pull spreads evenly"))
            .column(ColumnSpec::floats("cv_forward", "sd / mean of row i of G (or L)"))
            .column(ColumnSpec::floats("key_sector", "1 when backward > 1 and forward > 1, else 0"))
            .column(ColumnSpec::floats("direct_backward", "sum_i a_ij: column sum of A"))
            .column(ColumnSpec::floats("direct_forward", "sum_j b_ij: row sum of B = x^-1 Z"))
            .column(ColumnSpec::floats("extraction_loss",
                                       "1'x - 1'x(-k): total output lost when the sector is "
                                       "extracted, in the table's units"))
            .column(ColumnSpec::floats("extraction_share", "extraction_loss / 1'x"))
            .column(ColumnSpec::strings("linkage_class",
                                        "key, backward (only backward > 1), forward (only "
                                        "forward > 1) or weak")),
        TableSpec::write("<output>_extraction", "one row per extracted sector and sector")
            .column(ColumnSpec::strings("extracted", "the sector taken out of the economy"))
            .column(ColumnSpec::strings("sector", "the sector whose output falls"))
            .column(ColumnSpec::floats("loss",
                                       "x_i - x_i(-k): its lost output, in the table's "
                                       "units (all of x_k for the extracted sector)"))
            .when("write_extraction", "true"),
    };
  }

  void run(RunContext& ctx) const override {
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::MatrixXd B = io.allocation_coefficients();
    const Eigen::MatrixXd L = LeontiefSolver(A, io.sectors(), "Leontief").inverse();
    const Dispersion indices =
        ctx.params().str("forward") == "ghosh"
            ? dispersion(L, LeontiefSolver(B, io.sectors(), "Ghosh").inverse())
            : dispersion(L, L);
    const Extraction extraction = hypothetical_extraction(L, io.f());
    write_linkages(ctx, io.sectors(), indices, direct_linkages(A, B), extraction);
    if (ctx.params().boolean("write_extraction"))
      write_extraction(ctx, io.sectors(), extraction.loss);
  }

 private:
  static void write_linkages(RunContext& ctx, const std::vector<std::string>& sectors,
                             const Dispersion& d, const DirectLinkages& direct,
                             const Extraction& extraction) {
    std::vector<double> key;
    std::vector<std::string> cls;
    for (Eigen::Index j = 0; j < d.backward.size(); ++j) {
      cls.emplace_back(linkage_class(d.backward(j), d.forward(j)));
      key.push_back(cls.back() == "key" ? 1.0 : 0.0);
    }
    OutputTable out = ctx.output();
    out.set("sector", sectors);
    out.set("backward", std::vector<double>(d.backward.begin(), d.backward.end()));
    out.set("forward", std::vector<double>(d.forward.begin(), d.forward.end()));
    out.set("cv_backward", std::vector<double>(d.cv_backward.begin(), d.cv_backward.end()));
    out.set("cv_forward", std::vector<double>(d.cv_forward.begin(), d.cv_forward.end()));
    out.set("key_sector", std::move(key));
    out.set("direct_backward", std::vector<double>(direct.backward.begin(), direct.backward.end()));
    out.set("direct_forward", std::vector<double>(direct.forward.begin(), direct.forward.end()));
    out.set("extraction_loss",
            std::vector<double>(extraction.total.begin(), extraction.total.end()));
    out.set("extraction_share",
            std::vector<double>(extraction.share.begin(), extraction.share.end()));
    out.set("linkage_class", cls);
    ctx.write(std::move(out));
  }

  /// loss(i, k) in long form, extracted sector k by sector i.
  static void write_extraction(RunContext& ctx, const std::vector<std::string>& sectors,
                               const Eigen::MatrixXd& loss) {
    std::vector<std::string> extracted, sector;
    std::vector<double> value;
    for (Eigen::Index k = 0; k < loss.cols(); ++k)
      for (Eigen::Index i = 0; i < loss.rows(); ++i) {
        extracted.push_back(sectors[static_cast<std::size_t>(k)]);
        sector.push_back(sectors[static_cast<std::size_t>(i)]);
        value.push_back(loss(i, k));
      }
    OutputTable out = ctx.output("<output>_extraction");
    out.set("extracted", extracted);
    out.set("sector", sector);
    out.set("loss", std::move(value));
    ctx.write(std::move(out));
  }
};

}  // namespace

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

Dispersion dispersion(const Eigen::MatrixXd& L, const Eigen::MatrixXd& forward_inverse) {
  const double n = static_cast<double>(L.rows());
  Dispersion d;
  d.backward = L.colwise().sum().transpose() * (n / L.sum());
  d.forward = forward_inverse.rowwise().sum() * (n / forward_inverse.sum());
  d.cv_backward = column_cv(L);
  d.cv_forward = column_cv(forward_inverse.transpose());
  return d;
}

DirectLinkages direct_linkages(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) {
  return {A.colwise().sum().transpose(), B.rowwise().sum()};
}

const char* linkage_class(double backward, double forward) {
  const bool b = backward > 1, f = forward > 1;
  return b && f ? "key" : b ? "backward" : f ? "forward" : "weak";
}

// Complete extraction of k: (I - A_{-k,-k})^-1 = L_{-k,-k} - L_{-k,k} L_{k,-k} / l_kk, so the
// output without k for final demand f without f_k is y_{-k} - L_{-k,k} y_k / l_kk, y = L (f -
// f_k e_k).
Extraction hypothetical_extraction(const Eigen::MatrixXd& L, const Eigen::VectorXd& f) {
  const Eigen::Index n = L.rows();
  const Eigen::VectorXd x = L * f;
  Extraction e{Eigen::MatrixXd(n, n), Eigen::VectorXd(n), Eigen::VectorXd()};
  for (Eigen::Index k = 0; k < n; ++k) {
    const Eigen::VectorXd y = x - f(k) * L.col(k);
    Eigen::VectorXd without = y - L.col(k) * (y(k) / L(k, k));
    without(k) = 0.0;
    e.loss.col(k) = x - without;
    e.total(k) = e.loss.col(k).sum();
  }
  const double x_total = x.sum();
  e.share = x_total != 0 ? Eigen::VectorXd(e.total / x_total) : Eigen::VectorXd::Zero(n);
  return e;
}

}  // namespace klaster::plugins::linkages

KLASTER_PLUGIN(klaster::plugins::linkages::Linkages)
