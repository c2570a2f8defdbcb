// multipliers: Type I and Type II output, income, employment and GVA multipliers and effects.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 6.2-6.4 (Type I/II, households
// closed: eq. 6.20-6.26); Eurostat Manual of Supply, Use and Input-Output Tables (2008), sec. 15.2.
#include <string>
#include <vector>

#include "klaster/sdk/io_satellites.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

/// DataError for a negative output, income or employment coefficient (GVA may be negative).
void check_non_negative(const Satellites& s, const IoSystem& io) {
  for (const auto& [name, k] : s.coefficients)
    for (Eigen::Index j = 0; j < k.size(); ++j)
      if (k(j) < 0 && name != "gva")
        throw DataError("sector '" + io.sectors()[static_cast<std::size_t>(j)] +
                        "' has a negative " + name + " coefficient (" + std::to_string(k(j)) + ")");
}

class Multipliers final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "multipliers";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes Type I and Type II output, income, employment and GVA multipliers";
    p.description =
        "Coefficients per unit of output: income h_j = D1_j / x_j (row compensation_row), "
        "employment w_j = EMP_j / x_j (employment_row, or employment_table), GVA v_j = B1G_j / x_j "
        "(gva_row); output has coefficient 1. The effect of one unit of final demand for j on a "
        "quantity with coefficients k is (k' L)_j: Type I with L = (I - A)^-1; Type II with "
        "households made endogenous: A* = [A c; h' 0], c_i = household_column_i / household income "
        "(default: the sum of compensation_row over the sectors), L* = (I - A*)^-1, restricted to "
        "the sectors (the household row is not counted in output; its entry is the income "
        "effect).\n"
        "Columns per quantity q in output, income, employment, gva: q_initial (k_j), q_indirect "
        "(Type I effect - initial), q_induced (Type II only: Type II - Type I effect), q_effect "
        "(the total for the type), q_multiplier.\n"
        "convention = \"effect\" (default; Eurostat manual 2008, 15.2): q_multiplier = q_effect, "
        "the "
        "quantity generated per unit of final demand (GVA and employment multipliers as published "
        "there). convention = \"ratio\" (Miller & Blair 2009, 6.3): q_multiplier = q_effect / "
        "q_initial, e.g. the Type I income multiplier. Output multipliers are the same in both.\n"
        "All effects come from transposed solves with one LU factorisation per type; no inverse.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 6; Eurostat (2008), "
        "Manual of Supply, Use and Input-Output Tables, ch. 15.";
    p.params = io_table_params();
    for (ParamSpec& spec : satellite_params()) p.params.push_back(std::move(spec));
    p.params.push_back(ParamSpec("convention", ParamType::kString)
                           .def("effect")
                           .one_of({"effect", "ratio"})
                           .doc_("q_multiplier as effect per unit of final demand (Eurostat) or as "
                                 "effect / initial (Miller & Blair)"));
    p.reads = {
        {"input", "row, column, value", "symmetric input-output table (layout = \"matrix\")"},
        {"employment_table", "<employment_key>, <employment_value>",
         "optional employment by sector"}};
    p.writes = {
        {"<output>",
         "sector, then per quantity q: q_initial, q_indirect, [q_induced], q_effect, q_multiplier",
         "one row per sector"}};
    return p;
  }

  static std::vector<std::string> columns(const Params& params) {
    const bool type2 = params.str("type") == "II";
    std::vector<std::string> c;
    for (const auto& q : satellite_quantities(params)) {
      c.push_back(q + "_initial");
      c.push_back(q + "_indirect");
      if (type2) c.push_back(q + "_induced");
      c.push_back(q + "_effect");
      c.push_back(q + "_multiplier");
    }
    return c;
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    check_satellite_params(ctx);
    ctx.declare_output(ctx.output_name(), sector_schema(columns(ctx.params())));
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Satellites sat = satellites(ctx, io);
    check_non_negative(sat, io);
    const Effects e = effects(params, io, A, sat);
    const bool ratio = params.str("convention") == "ratio";
    std::vector<std::pair<std::string, Eigen::VectorXd>> cols;
    for (std::size_t q = 0; q < sat.coefficients.size(); ++q) {
      const auto& [name, k] = sat.coefficients[q];
      const Eigen::VectorXd& total = sat.type2 ? e.type2[q] : e.type1[q];
      cols.emplace_back(name + "_initial", k);
      cols.emplace_back(name + "_indirect", e.type1[q] - k);
      if (sat.type2) cols.emplace_back(name + "_induced", e.type2[q] - e.type1[q]);
      cols.emplace_back(name + "_effect", total);
      cols.emplace_back(name + "_multiplier", ratio ? ratio_multiplier(name, total, k, io) : total);
    }
    ctx.write(ctx.output_name(), sector_table(io.sectors(), cols));
  }

 private:
  /// The effect of one unit of final demand per sector on each quantity, Type I and (when asked
  /// for) Type II, in the order of the satellites' coefficients.
  struct Effects {
    std::vector<Eigen::VectorXd> type1, type2;
  };

  /// Effects k' L by transposed solves, one LU factorisation per type. Type II closes households;
  /// its income effect is the household row of L* (Miller & Blair 2009, eq. 6.23).
  static Effects effects(const Params& params, const IoSystem& io, const Eigen::MatrixXd& A,
                         const Satellites& sat) {
    Effects e;
    const LeontiefSolver type1(A, io.sectors(), "Leontief");
    for (const auto& [name, k] : sat.coefficients) e.type1.push_back(type1.solve_transpose(k));
    if (!sat.type2) return e;
    const Eigen::Index n = A.rows();
    const LeontiefSolver type2 = type2_solver(params, io, A, sat);
    for (const auto& [name, k] : sat.coefficients) {
      Eigen::VectorXd k2 = Eigen::VectorXd::Zero(n + 1);
      if (name == "income")
        k2(n) = 1.0;
      else
        k2.head(n) = k;
      e.type2.push_back(type2.solve_transpose(k2).head(n));
    }
    return e;
  }

  /// effect / initial (Miller & Blair 2009, 6.3); DataError where the initial effect is 0.
  static Eigen::VectorXd ratio_multiplier(const std::string& name, const Eigen::VectorXd& total,
                                          const Eigen::VectorXd& k, const IoSystem& io) {
    Eigen::VectorXd m(total.size());
    for (Eigen::Index j = 0; j < total.size(); ++j) {
      if (k(j) == 0)
        throw DataError("sector '" + io.sectors()[static_cast<std::size_t>(j)] + "' has no " +
                        name + " per unit of output, so its " + name +
                        " multiplier as a ratio is undefined; use convention = \"effect\"");
      m(j) = total(j) / k(j);
    }
    return m;
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Multipliers)
