// leontief: technical coefficients A = Z x^-1, Leontief inverse L = (I - A)^-1, output multipliers
// (column sums of L) split into direct and indirect parts; Ghosh B = x^-1 Z and G = (I - B)^-1.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., eqs. 2.4, 2.11, 6.2 and 12.1-12.4;
// Eurostat Manual of Supply, Use and Input-Output Tables (2008), ch. 15.
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

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
    p.params = io_table_params();
    p.params.push_back(
        ParamSpec("write_inverse", ParamType::kBool)
            .def(false)
            .doc_("also write the Leontief inverse L as <output>_inverse (row, column, value)"));
    p.params.push_back(ParamSpec("write_coefficients", ParamType::kBool)
                           .def(false)
                           .doc_("also write the technical coefficients A as <output>_coefficients "
                                 "(row, column, value)"));
    p.params.push_back(ParamSpec("ghosh", ParamType::kBool)
                           .def(false)
                           .doc_("add ghosh_multiplier (row sums of G = (I - B)^-1); with "
                                 "write_inverse also <output>_ghosh_inverse"));
    p.reads = {
        {"input", "row, column, value", "symmetric input-output table (layout = \"matrix\")"}};
    p.writes = {
        {"<output>", "sector, output_multiplier, direct, indirect, [ghosh_multiplier]",
         "one row per sector"},
        {"<output>_inverse", "row, column, value", "L, when write_inverse = true"},
        {"<output>_coefficients", "row, column, value", "A, when write_coefficients = true"},
        {"<output>_ghosh_inverse", "row, column, value",
         "G, when ghosh and write_inverse are true"},
    };
    return p;
  }

  static std::vector<std::string> columns(const Params& params) {
    std::vector<std::string> c{"output_multiplier", "direct", "indirect"};
    if (params.boolean("ghosh")) c.push_back("ghosh_multiplier");
    return c;
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    const Params& params = ctx.params();
    ctx.declare_output(ctx.output_name(), sector_schema(columns(params)));
    if (params.boolean("write_inverse"))
      ctx.declare_output(ctx.output_name() + "_inverse", long_matrix_schema());
    if (params.boolean("write_coefficients"))
      ctx.declare_output(ctx.output_name() + "_coefficients", long_matrix_schema());
    if (params.boolean("ghosh") && params.boolean("write_inverse"))
      ctx.declare_output(ctx.output_name() + "_ghosh_inverse", long_matrix_schema());
  }

  static LabelledMatrix labelled(const IoSystem& io, Eigen::MatrixXd values) {
    return LabelledMatrix{io.sectors(), io.sectors(), std::move(values)};
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const LeontiefSolver leontief(A, io.sectors(), "Leontief");

    const Eigen::VectorXd multiplier = leontief.output_multipliers();
    const Eigen::VectorXd direct = A.colwise().sum().transpose();
    const Eigen::VectorXd indirect = multiplier - direct - Eigen::VectorXd::Ones(multiplier.size());
    std::vector<std::pair<std::string, Eigen::VectorXd>> cols{
        {"output_multiplier", multiplier}, {"direct", direct}, {"indirect", indirect}};

    std::optional<LeontiefSolver> ghosh;
    if (params.boolean("ghosh")) {
      ghosh.emplace(io.allocation_coefficients(), io.sectors(), "Ghosh");
      cols.emplace_back("ghosh_multiplier", ghosh->row_sums());
    }
    ctx.write(ctx.output_name(), sector_table(io.sectors(), cols));

    if (params.boolean("write_inverse")) {
      ctx.write(ctx.output_name() + "_inverse", matrix_to_long(labelled(io, leontief.inverse())));
      if (ghosh)
        ctx.write(ctx.output_name() + "_ghosh_inverse",
                  matrix_to_long(labelled(io, ghosh->inverse())));
    }
    if (params.boolean("write_coefficients"))
      ctx.write(ctx.output_name() + "_coefficients", matrix_to_long(labelled(io, A)));
    ctx.log(LogLevel::kDebug, "leontief: " + std::to_string(io.size()) +
                                  " sectors, reciprocal condition of (I - A) " +
                                  std::to_string(leontief.rcond()));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Leontief)
