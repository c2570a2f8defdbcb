// multipliers: Type I and Type II output, income, employment and GVA multipliers and effects.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 6.2-6.4 (Type I/II, households
// closed: eq. 6.20-6.26); Eurostat Manual of Supply, Use and Input-Output Tables (2008), sec. 15.2.
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

/// One quantity whose multipliers are computed: its name and its coefficient per unit of output.
struct Measure {
  std::string name;
  Eigen::VectorXd coefficient;  // initial effect of one unit of final demand for sector j
};

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
        "the sectors (the household row is not counted in output; its entry is the income effect).\n"
        "Columns per quantity q in output, income, employment, gva: q_initial (k_j), q_indirect "
        "(Type I effect - initial), q_induced (Type II only: Type II - Type I effect), q_effect "
        "(the total for the type), q_multiplier.\n"
        "convention = \"effect\" (default; Eurostat manual 2008, 15.2): q_multiplier = q_effect, the "
        "quantity generated per unit of final demand (GVA and employment multipliers as published "
        "there). convention = \"ratio\" (Miller & Blair 2009, 6.3): q_multiplier = q_effect / "
        "q_initial, e.g. the Type I income multiplier. Output multipliers are the same in both.\n"
        "All effects come from transposed solves with one LU factorisation per type; no inverse.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 6; Eurostat (2008), "
        "Manual of Supply, Use and Input-Output Tables, ch. 15.";
    p.params = io_table_params();
    p.params.push_back(ParamSpec("type", ParamType::kString).def("I").one_of({"I", "II"}).doc_(
        "\"I\": households exogenous; \"II\": households closed through compensation_row and household_column"));
    p.params.push_back(ParamSpec("convention", ParamType::kString).def("effect").one_of({"effect", "ratio"}).doc_(
        "q_multiplier as effect per unit of final demand (Eurostat) or as effect / initial (Miller & Blair)"));
    p.params.push_back(ParamSpec("compensation_row", ParamType::kString).def("D1").doc_(
        "row with compensation of employees (household income); \"\" skips income (type I only)"));
    p.params.push_back(ParamSpec("household_column", ParamType::kString).def("P3_S14").doc_(
        "column with household final consumption (closes households for type II)"));
    p.params.push_back(ParamSpec("household_income", ParamType::kFloat).above(0).doc_(
        "total household income dividing household_column; default: sum of compensation_row over the sectors"));
    p.params.push_back(ParamSpec("employment_row", ParamType::kString).def("EMP").doc_(
        "row with employment; \"\" for none (or use employment_table)"));
    p.params.push_back(ParamSpec("employment_table", ParamType::kTable).doc_(
        "long table with employment by sector; overrides employment_row"));
    p.params.push_back(ParamSpec("employment_key", ParamType::kColumn).of("employment_table").def("sector").doc_(
        "sector column of employment_table (row or column codes of the IO table)"));
    p.params.push_back(ParamSpec("employment_value", ParamType::kColumn).of("employment_table").def("employment").doc_(
        "employment column of employment_table"));
    p.params.push_back(ParamSpec("employment_scale", ParamType::kFloat).def(1.0).above(0).doc_(
        "factor applied to employment (e.g. 0.001 for thousand persons)"));
    p.params.push_back(ParamSpec("gva_row", ParamType::kString).def("B1G").doc_(
        "row with gross value added; \"\" for none"));
    p.reads = {{"input", "row, column, value", "symmetric input-output table (layout = \"matrix\")"},
               {"employment_table", "<employment_key>, <employment_value>", "optional employment by sector"}};
    p.writes = {{"<output>", "sector, then per quantity q: q_initial, q_indirect, [q_induced], q_effect, q_multiplier",
                 "one row per sector"}};
    return p;
  }

  static std::vector<std::string> quantities(const Params& params) {
    std::vector<std::string> q{"output"};
    if (!params.str("compensation_row").empty()) q.push_back("income");
    if (params.has("employment_table") || !params.str("employment_row").empty()) q.push_back("employment");
    if (!params.str("gva_row").empty()) q.push_back("gva");
    return q;
  }

  static std::vector<std::string> columns(const Params& params) {
    const bool type2 = params.str("type") == "II";
    std::vector<std::string> c;
    for (const auto& q : quantities(params)) {
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
    const Params& params = ctx.params();
    if (params.str("type") == "II") {
      if (params.str("compensation_row").empty())
        throw ParamError("compensation_row", "type = \"II\" closes households through compensation_row; it cannot be \"\"");
      if (params.str("household_column").empty())
        throw ParamError("household_column", "type = \"II\" needs the household consumption column");
    }
    if (params.has("employment_table")) {
      const Schema& s = ctx.schema_of_param("employment_table");
      if (*s.type_of(params.str("employment_value")) == ColumnType::kString)
        throw ParamError("employment_value", "column '" + params.str("employment_value") + "' holds text, not numbers");
    }
    ctx.declare_output(ctx.output_name(), sector_schema(columns(params)));
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const Eigen::Index n = static_cast<Eigen::Index>(io.size());
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Eigen::VectorXd x_inv = io.x().unaryExpr([](double v) { return v > 0 ? 1.0 / v : 0.0; });
    auto per_output = [&](const Eigen::VectorXd& v) -> Eigen::VectorXd { return v.cwiseProduct(x_inv); };

    std::vector<Measure> measures{{"output", Eigen::VectorXd::Ones(n)}};
    Eigen::VectorXd income;
    if (!params.str("compensation_row").empty()) {
      income = io.row(params.str("compensation_row"), "compensation_row");
      measures.push_back({"income", per_output(income)});
    }
    if (params.has("employment_table")) {
      const Eigen::VectorXd e = io.sector_vector(ctx.table_of_param("employment_table"),
                                                 params.str("employment_key"), params.str("employment_value"),
                                                 false, "employment table '" + params.str("employment_table") + "'");
      measures.push_back({"employment", per_output(e * params.real("employment_scale"))});
    } else if (!params.str("employment_row").empty()) {
      const Eigen::VectorXd e = io.row(params.str("employment_row"), "employment_row");
      measures.push_back({"employment", per_output(e * params.real("employment_scale"))});
    }
    if (!params.str("gva_row").empty())
      measures.push_back({"gva", per_output(io.row(params.str("gva_row"), "gva_row"))});
    for (const auto& m : measures)
      for (Eigen::Index j = 0; j < n; ++j)
        if (m.coefficient(j) < 0 && m.name != "gva")
          throw DataError("sector '" + io.sectors()[static_cast<std::size_t>(j)] + "' has a negative " +
                          m.name + " coefficient (" + std::to_string(m.coefficient(j)) + ")");

    // Type I: effects k' L by transposed solves.
    const LeontiefSolver type1(A, io.sectors(), "Leontief");
    std::vector<Eigen::VectorXd> effect1, effect2;
    for (const auto& m : measures) effect1.push_back(type1.solve_transpose(m.coefficient));

    const bool type2 = params.str("type") == "II";
    if (type2) {
      // Miller & Blair (2009) eq. 6.20: households as the (n+1)th sector.
      const Eigen::VectorXd consumption = io.column(params.str("household_column"), "household_column");
      const double total_income = params.has("household_income") ? params.real("household_income") : income.sum();
      if (!(total_income > 0))
        throw DataError("household income (sum of '" + params.str("compensation_row") +
                        "' over the sectors) is " + std::to_string(total_income) + "; Type II needs it positive");
      const Eigen::MatrixXd closed = close_households(A, measures[1].coefficient, consumption / total_income);
      std::vector<std::string> labels = io.sectors();
      labels.push_back("households");
      const LeontiefSolver solver(closed, labels, "Type II (households closed)");
      for (const auto& m : measures) {
        Eigen::VectorXd k = Eigen::VectorXd::Zero(n + 1);
        if (m.name == "income")
          k(n) = 1.0;  // the household row of L*: income generated (Miller & Blair eq. 6.23)
        else
          k.head(n) = m.coefficient;
        effect2.push_back(solver.solve_transpose(k).head(n));
      }
    }

    const bool ratio = params.str("convention") == "ratio";
    std::vector<std::pair<std::string, Eigen::VectorXd>> cols;
    for (std::size_t q = 0; q < measures.size(); ++q) {
      const Measure& m = measures[q];
      const Eigen::VectorXd& total = type2 ? effect2[q] : effect1[q];
      cols.emplace_back(m.name + "_initial", m.coefficient);
      cols.emplace_back(m.name + "_indirect", effect1[q] - m.coefficient);
      if (type2) cols.emplace_back(m.name + "_induced", effect2[q] - effect1[q]);
      cols.emplace_back(m.name + "_effect", total);
      Eigen::VectorXd multiplier = total;
      if (ratio) {
        for (Eigen::Index j = 0; j < n; ++j) {
          if (m.coefficient(j) == 0)
            throw DataError("sector '" + io.sectors()[static_cast<std::size_t>(j)] + "' has no " + m.name +
                            " per unit of output, so its " + m.name +
                            " multiplier as a ratio is undefined; use convention = \"effect\"");
          multiplier(j) = total(j) / m.coefficient(j);
        }
      }
      cols.emplace_back(m.name + "_multiplier", multiplier);
    }
    ctx.write(ctx.output_name(), sector_table(io.sectors(), cols));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Multipliers)
