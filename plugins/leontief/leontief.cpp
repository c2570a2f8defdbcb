// leontief: technical coefficients A = Z x^-1, Leontief inverse L = (I - A)^-1, output multipliers
// (column sums of L) split into direct and indirect parts; Ghosh B = x^-1 Z and G = (I - B)^-1.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., eqs. 2.4, 2.11, 6.2 and 12.1-12.4;
// Eurostat Manual of Supply, Use and Input-Output Tables (2008), ch. 15.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"
#include "leontief_kernel.hpp"

namespace klaster::plugins::leontief {
namespace {

using namespace klaster::sdk;

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет обратную матрицу Леонтьева и мультипликаторы выпуска по таблице "
       "«затраты — выпуск»"},
      {p.description,
       "A = Z x^-1 (a_ij: затраты продукции i на единицу выпуска j), L = (I - A)^-1. "
       "Мультипликатор выпуска отрасли j — сумма столбца L, m_j = sum_i l_ij: выпуск "
       "всех отраслей, необходимый для единицы конечного спроса на продукцию j. Он "
       "раскладывается как m_j = 1 + direct_j + indirect_j, где direct_j = sum_i a_ij "
       "(закупки первого круга), а indirect_j — остальное; начальная единица не входит "
       "ни в одну часть (руководство Евростата 2008, 15.2; инструменты, относящие её к "
       "прямому эффекту, прибавляют 1).\n"
       "Мультипликаторы получаются одним решением (I - A)^T m = 1, без обращения "
       "матрицы; сама L строится только при write_inverse = true, которое записывает "
       "<output>_inverse (row, column, value). write_coefficients = true записывает A "
       "как <output>_coefficients. ghosh = true добавляет ghosh_multiplier — суммы строк"
       " обратной матрицы Гоша G = (I - B)^-1, где B = x^-1 Z (выпуск, порождаемый "
       "единицей первичных ресурсов в i), а вместе с write_inverse ещё и "
       "<output>_ghosh_inverse.\n"
       "Система должна быть продуктивной (условие Хокинса — Саймона): иначе шаг "
       "завершается ошибкой с названием отраслей, у которых затраты на единицу выпуска в"
       " сумме 1 или больше. Отрасли с нулевым выпуском и без затрат получают нулевой "
       "столбец в A.\n"
       "Источники: Miller & Blair (2009), Input-Output Analysis, 2nd ed., гл. 2, 6 и 12;"
       " Eurostat Manual of Supply, Use and Input-Output Tables (2008), гл. 15."},
  };
}

class Leontief final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "leontief";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes the Leontief inverse and output multipliers of an input-output table";
    p.description =
        "A = Z x^-1 (a_ij: input from i per unit of output of j), L = (I - A)^-1. The output "
        "multiplier of sector j is the column sum of L, m_j = sum_i l_ij: the output of all "
        "sectors "
        "needed for one unit of final demand for j. It is split as m_j = 1 + direct_j + indirect_j "
        "with direct_j = sum_i a_ij (first-round purchases) and indirect_j the rest; the initial "
        "unit is in neither part (Eurostat manual 2008, 15.2; tools that count it as direct add "
        "1).\n"
        "Multipliers come from one solve (I - A)^T m = 1, not from an inverse; L itself is formed "
        "only for write_inverse = true, which writes <output>_inverse (row, column, value). "
        "write_coefficients = true writes A as <output>_coefficients. ghosh = true adds "
        "ghosh_multiplier, the row sums of the Ghosh inverse G = (I - B)^-1 with B = x^-1 Z "
        "(output "
        "driven by one unit of primary input in i), and with write_inverse also "
        "<output>_ghosh_inverse.\n"
        "The system must be productive (Hawkins-Simon): otherwise the step fails naming the "
        "sectors "
        "whose inputs per unit of output sum to 1 or more. Zero-output sectors with no inputs get "
        "a "
        "zero column in A.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 2, 6 and 12; "
        "Eurostat Manual of Supply, Use and Input-Output Tables (2008), ch. 15.";
    p.params = params();
    p.reads = {matrix_read("input", "symmetric input-output table (layout = \"matrix\")")};
    p.writes = writes();
    p.translations["ru"] = russian(p);
    return p;
  }

  static std::vector<ParamSpec> params() {
    std::vector<ParamSpec> p = io_table_params();
    p.push_back(
        ParamSpec("write_inverse", ParamType::kBool)
            .def(false)
            .doc_("also write the Leontief inverse L as <output>_inverse (row, column, value)"));
    p.push_back(ParamSpec("write_coefficients", ParamType::kBool)
                    .def(false)
                    .doc_("also write the technical coefficients A as <output>_coefficients "
                          "(row, column, value)"));
    p.push_back(ParamSpec("ghosh", ParamType::kBool)
                    .def(false)
                    .doc_("add ghosh_multiplier (row sums of G = (I - B)^-1); with "
                          "write_inverse also <output>_ghosh_inverse"));
    return p;
  }

  static std::vector<TableSpec> writes() {
    return {
        TableSpec::write("<output>", "one row per sector of the intermediate block")
            .column(ColumnSpec::strings("sector", "the sector's row label in the input table"))
            .column(ColumnSpec::floats("output_multiplier",
                                       "m_j = sum_i l_ij: output of all sectors per unit of final "
                                       "demand for j (>= 1 for non-negative flows)")
                        .in("output per unit of final demand"))
            .column(ColumnSpec::floats("direct",
                                       "sum_i a_ij: first-round inputs per unit of "
                                       "output of j")
                        .in("input per unit of output"))
            .column(ColumnSpec::floats("indirect", "m_j - 1 - direct_j: the rounds after the first")
                        .in("output per unit of final demand"))
            .column(ColumnSpec::floats("ghosh_multiplier",
                                       "sum_j g_ij: output set in motion by one unit of primary "
                                       "input in i")
                        .when("ghosh", "true")
                        .in("output per unit of primary input")),
        matrix_write("<output>_inverse", "the Leontief inverse L = (I - A)^-1",
                     "output per unit of final demand")
            .when("write_inverse", "true"),
        matrix_write("<output>_coefficients", "the technical coefficients A = Z x^-1",
                     "input per unit of output")
            .when("write_coefficients", "true"),
        matrix_write("<output>_ghosh_inverse", "the Ghosh inverse G = (I - B)^-1, B = x^-1 Z",
                     "output per unit of primary input")
            .when("ghosh", "true")
            .when("write_inverse", "true"),
    };
  }

  void run(RunContext& ctx) const override {
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const LeontiefSolver leontief(A, io.sectors(), "Leontief");
    const OutputMultipliers multipliers = output_multipliers(A, leontief);
    std::optional<LeontiefSolver> ghosh;
    if (ctx.params().boolean("ghosh"))
      ghosh.emplace(io.allocation_coefficients(), io.sectors(), "Ghosh");
    write_multipliers(ctx, io, multipliers, ghosh);
    write_matrices(ctx, io, A, leontief, ghosh);
    ctx.log(LogLevel::kDebug, "leontief: " + std::to_string(io.size()) + " sectors, LU kernel " +
                                  std::string(lu_kernel_name(io.size())) +
                                  ", reciprocal condition of (I - A) " +
                                  std::to_string(leontief.rcond()));
  }

 private:
  static void write_multipliers(RunContext& ctx, const IoSystem& io, const OutputMultipliers& m,
                                const std::optional<LeontiefSolver>& ghosh) {
    OutputTable out = ctx.output();
    out.set("sector", io.sectors());
    out.set("output_multiplier", std::vector<double>(m.multiplier.begin(), m.multiplier.end()));
    out.set("direct", std::vector<double>(m.direct.begin(), m.direct.end()));
    out.set("indirect", std::vector<double>(m.indirect.begin(), m.indirect.end()));
    if (out.has("ghosh_multiplier")) {
      const Eigen::VectorXd g = ghosh->row_sums();
      out.set("ghosh_multiplier", std::vector<double>(g.begin(), g.end()));
    }
    ctx.write(std::move(out));
  }

  /// The matrices asked for by write_inverse, ghosh and write_coefficients; L and G are formed
  /// only here.
  static void write_matrices(RunContext& ctx, const IoSystem& io, const Eigen::MatrixXd& A,
                             const LeontiefSolver& leontief,
                             const std::optional<LeontiefSolver>& ghosh) {
    if (ctx.params().boolean("write_inverse")) {
      write_matrix(ctx, "<output>_inverse",
                   LabelledMatrix{io.sectors(), io.sectors(), leontief.inverse()});
      if (ghosh)
        write_matrix(ctx, "<output>_ghosh_inverse",
                     LabelledMatrix{io.sectors(), io.sectors(), ghosh->inverse()});
    }
    if (ctx.params().boolean("write_coefficients"))
      write_matrix(ctx, "<output>_coefficients", LabelledMatrix{io.sectors(), io.sectors(), A});
  }
};

}  // namespace

OutputMultipliers output_multipliers(const Eigen::MatrixXd& A, const LeontiefSolver& leontief) {
  OutputMultipliers m;
  m.multiplier = leontief.output_multipliers();
  m.direct = A.colwise().sum().transpose();
  m.indirect = m.multiplier - m.direct - Eigen::VectorXd::Ones(m.multiplier.size());
  return m;
}

}  // namespace klaster::plugins::leontief

KLASTER_PLUGIN(klaster::plugins::leontief::Leontief)
