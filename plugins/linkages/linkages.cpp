// linkages: Rasmussen-Hirschman backward and forward linkages, their coefficients of variation,
// key sectors, direct linkages and hypothetical extraction.
// Rasmussen (1956); Hirschman (1958); Miller & Blair (2009), Input-Output Analysis, 2nd ed.,
// sec. 12.2 (eqs. 12.17-12.22) and 12.2.6 (hypothetical extraction, eq. 12.26).
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"
#include "linkages_kernel.hpp"

namespace klaster::plugins::linkages {
namespace {

using namespace klaster::sdk;

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет обратные и прямые межотраслевые связи, ключевые отрасли, "
       "гипотетическое исключение и поля влияния"},
      {p.description,
       "Индексы Расмуссена — Хиршмана (Miller & Blair 2009, 12.2): backward_j = (sum_i "
       "l_ij / n) / (sum_ij l_ij / n^2) — сила рассеяния по столбцам L = (I - A)^-1; "
       "forward_i — то же по строкам G = (I - B)^-1 (forward = \"ghosh\", по умолчанию, "
       "как рекомендуют Miller & Blair) или по строкам L (forward = \"leontief\", "
       "чувствительность рассеяния Расмуссена). Оба в среднем по отраслям равны 1. "
       "cv_backward / cv_forward: коэффициент вариации столбца / строки (выборочное "
       "стандартное отклонение с n - 1, делённое на среднее); малое значение означает, "
       "что воздействие распределяется равномерно.\n"
       "key_sector = 1 там, где backward > 1 и forward > 1; linkage_class равен \"key\" "
       "(ключевая), \"backward\" (только backward > 1), \"forward\" (только forward > 1) или"
       " \"weak\" (слабая).\n"
       "direct_backward = суммы столбцов A; direct_forward = суммы строк B = x^-1 Z.\n"
       "Гипотетическое исключение (полное: удаляются строка и столбец; Miller & Blair "
       "12.2.6): extraction_loss_k = 1'x - 1'x(-k), где x = L f, а x(-k) — выпуск "
       "экономики без отрасли k при оставшемся конечном спросе; extraction_share = loss "
       "/ 1'x. write_extraction = true записывает потерю в каждой отрасли i для каждой "
       "исключённой k в <output>_extraction (extracted, sector, loss). Вычисляется из L "
       "по формуле обращения блочной матрицы, всего за O(n^3).\n"
       "Частичное исключение (Dietzenbacher, van der Linden & Steenge 1993; Miller & "
       "Lahr 2001; Miller & Blair 2009, 12.2.6): backward_extraction_loss_j = 1'x - "
       "1'x(-cj) при обнулении столбца j (с диагональю) матрицы A при фиксированном f "
       "(extraction_backward = \"leontief\", по умолчанию) или матрицы B при фиксированном"
       " v (\"ghosh\"); forward_extraction_loss_i = 1'x - 1'x(-ri) при обнулении строки i "
       "матрицы B при фиксированном v = x - Z'1 (extraction_forward = \"ghosh\", по "
       "умолчанию) или матрицы A при фиксированном f (\"leontief\"); доли делятся на 1'x. "
       "Замкнутые формулы (Шерман — Моррисон): x_j (colsum_j(L) - 1) / l_jj, (x_i - f_i)"
       " colsum_i(L) / l_ii, x_i (rowsum_i(G) - 1) / g_ii, (x_j - v_j) rowsum_j(G) / "
       "g_jj.\n"
       "Поле влияния (Sonis & Hewings 1989, 1992): F(i,j) = L_.i L_j. (столбец i, "
       "умноженный на строку j матрицы L) — изменение L первого порядка при изменении "
       "a_ij: (I - A - e E_ij)^-1 = L + e / (1 - e l_ji) F(i,j). field_of_influence = "
       "true записывает <output>_influence (from = i, to = j, influence), где influence "
       "= sum_kl f_kl(i,j)^2 (influence_measure = \"sum_squares\", по умолчанию, Sonis & "
       "Hewings 1989) или sum_kl |f_kl(i,j)| (\"sum_abs\"; = colsum_i(L) rowsum_j(L) при L"
       " >= 0).\n"
       "Источники: Rasmussen (1956), Studies in Inter-Sectoral Relations; Hirschman "
       "(1958); Miller & Blair (2009), Input-Output Analysis, 2nd ed., разд. 12.2; "
       "Dietzenbacher, van der Linden & Steenge (1993), Economic Systems Research 5(2); "
       "Miller & Lahr (2001), in Lahr & Dietzenbacher (eds.), Input-Output Analysis: "
       "Frontiers and Extensions; Sonis & Hewings (1989), in Miller, Polenske & Rose "
       "(eds.), Frontiers of Input-Output Analysis; Sonis & Hewings (1992), Economic "
       "Systems Research 4(2), 143-158."},
      {"Backward vs forward linkages; key sectors above 1 on both",
       "Обратные и прямые связи; ключевые отрасли — выше 1 по обоим индексам"},
  };
}

class Linkages final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "linkages";
    p.version = "1.2.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Computes backward and forward linkages, key sectors, hypothetical extraction and fields "
        "of influence";
    p.description = description();
    p.params = params();
    p.reads = {matrix_read("input", "symmetric input-output table (layout = \"matrix\")")};
    p.writes = writes();
    p.views = {ViewSpec::of(ViewKind::kScatter, "<output>",
                            "Backward vs forward linkages; key sectors above 1 on both")
                   .labels("sector")
                   .values("backward", "forward")
                   .at(1.0)};
    p.translations["ru"] = russian(p);
    return p;
  }

  static const char* description() {
    return "Rasmussen-Hirschman indices (Miller & Blair 2009, 12.2): backward_j = (sum_i l_ij / n) "
           "/ "
           "(sum_ij l_ij / n^2), the power of dispersion from the columns of L = (I - A)^-1; "
           "forward_i "
           "the same from the rows of G = (I - B)^-1 (forward = \"ghosh\", default, as Miller & "
           "Blair "
           "recommend) or of L (forward = \"leontief\", Rasmussen's sensitivity of dispersion). "
           "Both "
           "average 1 over the sectors. cv_backward / cv_forward: coefficient of variation of the "
           "column / row (sample sd with n - 1, over the mean); low means the pull spreads "
           "evenly.\n"
           "key_sector = 1 where backward > 1 and forward > 1; linkage_class is \"key\", "
           "\"backward\" "
           "(only backward > 1), \"forward\" (only forward > 1) or \"weak\".\n"
           "direct_backward = column sums of A; direct_forward = row sums of B = x^-1 Z.\n"
           "Hypothetical extraction (complete: row and column removed; Miller & Blair 12.2.6): "
           "extraction_loss_k = 1'x - 1'x(-k), with x = L f and x(-k) the output of the economy "
           "without sector k for the remaining final demand; extraction_share = loss / 1'x. "
           "write_extraction = true writes the loss in each sector i for each extracted k as "
           "<output>_extraction (extracted, sector, loss). Computed from L by the block-inverse "
           "formula, O(n^3) in all.\n"
           "Partial extraction (Dietzenbacher, van der Linden & Steenge 1993; Miller & Lahr 2001; "
           "Miller & Blair 2009, 12.2.6): backward_extraction_loss_j = 1'x - 1'x(-cj) when column "
           "j "
           "(diagonal included) of A is zeroed, f fixed (extraction_backward = \"leontief\", "
           "default) or of B, v fixed (\"ghosh\"); forward_extraction_loss_i = 1'x - 1'x(-ri) when "
           "row i of B is zeroed, v = x - Z'1 fixed (extraction_forward = \"ghosh\", default) or "
           "of "
           "A, f fixed (\"leontief\"); the shares divide by 1'x. Closed forms (Sherman-Morrison): "
           "x_j (colsum_j(L) - 1) / l_jj, (x_i - f_i) colsum_i(L) / l_ii, x_i (rowsum_i(G) - 1) / "
           "g_ii, (x_j - v_j) rowsum_j(G) / g_jj.\n"
           "Field of influence (Sonis & Hewings 1989, 1992): F(i,j) = L_.i L_j. (column i times "
           "row "
           "j of L), the first-order change of L for a change in a_ij: (I - A - e E_ij)^-1 = L + e "
           "/ "
           "(1 - e l_ji) F(i,j). field_of_influence = true writes <output>_influence (from = i, to "
           "= "
           "j, influence) with influence = sum_kl f_kl(i,j)^2 (influence_measure = "
           "\"sum_squares\", "
           "default, Sonis & Hewings 1989) or sum_kl |f_kl(i,j)| (\"sum_abs\"; = colsum_i(L) "
           "rowsum_j(L) for L >= 0).\n"
           "Reference: Rasmussen (1956), Studies in Inter-Sectoral Relations; Hirschman (1958); "
           "Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 12.2; Dietzenbacher, van "
           "der "
           "Linden & Steenge (1993), Economic Systems Research 5(2); Miller & Lahr (2001), in Lahr "
           "& "
           "Dietzenbacher (eds.), Input-Output Analysis: Frontiers and Extensions; Sonis & Hewings "
           "(1989), in Miller, Polenske & Rose (eds.), Frontiers of Input-Output Analysis; Sonis & "
           "Hewings (1992), Economic Systems Research 4(2), 143-158.";
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
    p.push_back(ParamSpec("extraction_backward", ParamType::kString)
                    .def("leontief")
                    .one_of({"leontief", "ghosh"})
                    .doc_("backward extraction: zero column j of A, final demand fixed (default; "
                          "Dietzenbacher et al. 1993) or column j of B, value added fixed"));
    p.push_back(ParamSpec("extraction_forward", ParamType::kString)
                    .def("ghosh")
                    .one_of({"ghosh", "leontief"})
                    .doc_("forward extraction: zero row i of B, value added fixed (default; "
                          "Dietzenbacher et al. 1993) or row i of A, final demand fixed"));
    p.push_back(ParamSpec("field_of_influence", ParamType::kBool)
                    .def(false)
                    .doc_("write <output>_influence: total field of influence of each "
                          "coefficient a_ij (Sonis & Hewings 1989)"));
    p.push_back(ParamSpec("influence_measure", ParamType::kString)
                    .def("sum_squares")
                    .one_of({"sum_squares", "sum_abs"})
                    .doc_("sum over k, l of f_kl(i,j)^2 (default, Sonis & Hewings 1989) or of "
                          "|f_kl(i,j)|"));
    return p;
  }

  static std::vector<TableSpec> writes() {
    return {linkages_table(), extraction_table(), influence_table()};
  }
  static TableSpec linkages_table() {
    return TableSpec::write("<output>", "one row per sector of the intermediate block")
        .column(ColumnSpec::strings("sector", "the sector's row label in the input table"))
        .column(ColumnSpec::floats("backward",
                                   "power of dispersion: n colsum_j(L) / sum(L); "
                                   "average 1, above 1 = pulls more than average")
                    .in("index (mean 1)"))
        .column(ColumnSpec::floats("forward",
                                   "n rowsum_i(G) / sum(G), or of L with forward = "
                                   "\"leontief\"; average 1")
                    .in("index (mean 1)"))
        .column(ColumnSpec::floats("cv_backward",
                                   "sd / mean of column j of L (sd with n - 1); "
                                   "low = the pull spreads evenly"))
        .column(ColumnSpec::floats("cv_forward", "sd / mean of row i of G (or L)"))
        .column(ColumnSpec::floats("key_sector", "1 when backward > 1 and forward > 1, else 0"))
        .column(ColumnSpec::floats("direct_backward", "sum_i a_ij: column sum of A")
                    .in("input per unit of output"))
        .column(ColumnSpec::floats("direct_forward", "sum_j b_ij: row sum of B = x^-1 Z")
                    .in("sales per unit of output"))
        .column(ColumnSpec::floats("extraction_loss",
                                   "1'x - 1'x(-k): total output lost when the sector is "
                                   "extracted, in the table's units")
                    .in("<input>"))
        .column(ColumnSpec::floats("extraction_share", "extraction_loss / 1'x").in("share"))
        .column(ColumnSpec::floats("backward_extraction_loss",
                                   "1'x - 1'x(-cj): total output lost when the sector's "
                                   "column of A (or B, extraction_backward) is zeroed")
                    .in("<input>"))
        .column(ColumnSpec::floats("backward_extraction_share", "backward_extraction_loss / 1'x")
                    .in("share"))
        .column(ColumnSpec::floats("forward_extraction_loss",
                                   "1'x - 1'x(-ri): total output lost when the sector's row "
                                   "of B (or A, extraction_forward) is zeroed")
                    .in("<input>"))
        .column(ColumnSpec::floats("forward_extraction_share", "forward_extraction_loss / 1'x")
                    .in("share"))
        .column(ColumnSpec::strings("linkage_class",
                                    "key, backward (only backward > 1), forward (only "
                                    "forward > 1) or weak"));
  }
  static TableSpec extraction_table() {
    return TableSpec::write("<output>_extraction", "one row per extracted sector and sector")
        .column(ColumnSpec::strings("extracted", "the sector taken out of the economy"))
        .column(ColumnSpec::strings("sector", "the sector whose output falls"))
        .column(ColumnSpec::floats("loss",
                                   "x_i - x_i(-k): its lost output, in the table's "
                                   "units (all of x_k for the extracted sector)")
                    .in("<input>"))
        .when("write_extraction", "true");
  }
  static TableSpec influence_table() {
    return TableSpec::write("<output>_influence", "one row per coefficient a_ij of the sectors")
        .column(ColumnSpec::strings("from", "i: the selling sector (row of A)"))
        .column(ColumnSpec::strings("to", "j: the buying sector (column of A)"))
        .column(ColumnSpec::floats("influence",
                                   "total field of influence of a_ij: sum_kl f_kl(i,j)^2 "
                                   "(or |f_kl(i,j)|), F(i,j) = L_.i L_j."))
        .when("field_of_influence", "true");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::MatrixXd B = io.allocation_coefficients();
    const Eigen::MatrixXd L = LeontiefSolver(A, io.sectors(), "Leontief").inverse();
    const Eigen::MatrixXd G = needs_ghosh(params)
                                  ? LeontiefSolver(B, io.sectors(), "Ghosh").inverse()
                                  : Eigen::MatrixXd();
    const Dispersion indices = dispersion(L, params.str("forward") == "ghosh" ? G : L);
    const Extraction extraction = hypothetical_extraction(L, io.f());
    write_linkages(ctx, io.sectors(), indices, direct_linkages(A, B), extraction,
                   partial_extraction(params, io, L, G));
    if (params.boolean("write_extraction")) write_extraction(ctx, io.sectors(), extraction.loss);
    if (params.boolean("field_of_influence"))
      write_influence(ctx, io.sectors(),
                      total_influence(L, params.str("influence_measure") == "sum_abs"
                                             ? InfluenceMeasure::kSumAbs
                                             : InfluenceMeasure::kSumSquares));
  }

 private:
  static bool needs_ghosh(const Params& params) {
    return params.str("forward") == "ghosh" || params.str("extraction_forward") == "ghosh" ||
           params.str("extraction_backward") == "ghosh";
  }

  /// Backward and forward partial extraction losses, each with its share of total output.
  struct Partial {
    Eigen::VectorXd backward, backward_share, forward, forward_share;
  };
  // Each model's own output: x = L f in the Leontief model (as the complete extraction), the
  // table's x in the Ghosh model, whose value added v = x - Z'1 reproduces it (x' = v'G).
  static Partial partial_extraction(const Params& params, const IoSystem& io,
                                    const Eigen::MatrixXd& L, const Eigen::MatrixXd& G) {
    const Eigen::VectorXd x_leontief = L * io.f();
    const Eigen::VectorXd& x_ghosh = io.x();
    const Eigen::VectorXd v = io.x() - io.Z().colwise().sum().transpose();
    Partial p;
    const bool backward_ghosh = params.str("extraction_backward") == "ghosh";
    p.backward = backward_ghosh ? ghosh_column_extraction(G, x_ghosh, v)
                                : leontief_column_extraction(L, x_leontief);
    p.backward_share = share(p.backward, backward_ghosh ? x_ghosh.sum() : x_leontief.sum());
    const bool forward_ghosh = params.str("extraction_forward") == "ghosh";
    p.forward = forward_ghosh ? ghosh_row_extraction(G, x_ghosh)
                              : leontief_row_extraction(L, x_leontief, io.f());
    p.forward_share = share(p.forward, forward_ghosh ? x_ghosh.sum() : x_leontief.sum());
    return p;
  }
  static Eigen::VectorXd share(const Eigen::VectorXd& loss, double total) {
    return total != 0 ? Eigen::VectorXd(loss / total) : Eigen::VectorXd::Zero(loss.size());
  }
  static std::vector<double> vec(const Eigen::VectorXd& v) {
    return std::vector<double>(v.begin(), v.end());
  }

  static void write_linkages(RunContext& ctx, const std::vector<std::string>& sectors,
                             const Dispersion& d, const DirectLinkages& direct,
                             const Extraction& extraction, const Partial& partial) {
    std::vector<double> key;
    std::vector<std::string> cls;
    for (Eigen::Index j = 0; j < d.backward.size(); ++j) {
      cls.emplace_back(linkage_class(d.backward(j), d.forward(j)));
      key.push_back(cls.back() == "key" ? 1.0 : 0.0);
    }
    OutputTable out = ctx.output();
    out.set("sector", sectors);
    out.set("backward", vec(d.backward));
    out.set("forward", vec(d.forward));
    out.set("cv_backward", vec(d.cv_backward));
    out.set("cv_forward", vec(d.cv_forward));
    out.set("key_sector", std::move(key));
    out.set("direct_backward", vec(direct.backward));
    out.set("direct_forward", vec(direct.forward));
    out.set("extraction_loss", vec(extraction.total));
    out.set("extraction_share", vec(extraction.share));
    out.set("backward_extraction_loss", vec(partial.backward));
    out.set("backward_extraction_share", vec(partial.backward_share));
    out.set("forward_extraction_loss", vec(partial.forward));
    out.set("forward_extraction_share", vec(partial.forward_share));
    out.set("linkage_class", cls);
    ctx.write(std::move(out));
  }

  /// S(i, j) in long form: coefficient a_ij from sector i to sector j.
  static void write_influence(RunContext& ctx, const std::vector<std::string>& sectors,
                              const Eigen::MatrixXd& influence) {
    std::vector<std::string> from, to;
    std::vector<double> value;
    for (Eigen::Index i = 0; i < influence.rows(); ++i)
      for (Eigen::Index j = 0; j < influence.cols(); ++j) {
        from.push_back(sectors[static_cast<std::size_t>(i)]);
        to.push_back(sectors[static_cast<std::size_t>(j)]);
        value.push_back(influence(i, j));
      }
    OutputTable out = ctx.output("<output>_influence");
    out.set("from", from);
    out.set("to", to);
    out.set("influence", std::move(value));
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

// Zeroing column j of A is the rank-one update (I - A) + A e_j e_j'. Since L A = L - I, L A e_j =
// L_.j - e_j and the Sherman-Morrison denominator is 1 + l_jj - 1 = l_jj, so x(-j) = x - (L_.j -
// e_j) x_j / l_jj and the total loss is x_j (colsum_j(L) - 1) / l_jj.
Eigen::VectorXd leontief_column_extraction(const Eigen::MatrixXd& L, const Eigen::VectorXd& x) {
  const Eigen::VectorXd colsum = L.colwise().sum().transpose();
  return x.cwiseProduct(colsum - Eigen::VectorXd::Ones(x.size())).cwiseQuotient(L.diagonal());
}

// Zeroing row i of A: (I - A) + e_i A_i., with A_i. L = L_i. - e_i', so x(-i) = x - L_.i (L_i. f -
// f_i) / l_ii = x - L_.i (x_i - f_i) / l_ii.
Eigen::VectorXd leontief_row_extraction(const Eigen::MatrixXd& L, const Eigen::VectorXd& x,
                                        const Eigen::VectorXd& f) {
  const Eigen::VectorXd colsum = L.colwise().sum().transpose();
  return (x - f).cwiseProduct(colsum).cwiseQuotient(L.diagonal());
}

// The Ghosh model is the Leontief one transposed (x' = v'G, B G = G - I): zeroing row i of B gives
// x(-i)' = x' - x_i (G_i. - e_i') / g_ii, zeroing column j gives x' - (x_j - v_j) G_j. / g_jj.
Eigen::VectorXd ghosh_row_extraction(const Eigen::MatrixXd& G, const Eigen::VectorXd& x) {
  return leontief_column_extraction(G.transpose(), x);
}

Eigen::VectorXd ghosh_column_extraction(const Eigen::MatrixXd& G, const Eigen::VectorXd& x,
                                        const Eigen::VectorXd& v) {
  return leontief_row_extraction(G.transpose(), x, v);
}

Eigen::MatrixXd field_of_influence(const Eigen::MatrixXd& L, Eigen::Index i, Eigen::Index j) {
  return L.col(i) * L.row(j);
}

// sum_kl g(l_ki l_jl) factorises for g = square and g = abs: (sum_k g(l_ki)) (sum_l g(l_jl)).
Eigen::MatrixXd total_influence(const Eigen::MatrixXd& L, InfluenceMeasure measure) {
  const Eigen::MatrixXd g = measure == InfluenceMeasure::kSumSquares
                                ? Eigen::MatrixXd(L.array().square())
                                : Eigen::MatrixXd(L.array().abs());
  const Eigen::VectorXd column_part = g.colwise().sum().transpose();  // over k of g(l_ki)
  const Eigen::VectorXd row_part = g.rowwise().sum();                 // over l of g(l_jl)
  return column_part * row_part.transpose();
}

}  // namespace klaster::plugins::linkages

KLASTER_PLUGIN(klaster::plugins::linkages::Linkages)
