// multipliers: Type I and Type II output, income, employment and GVA multipliers and effects.
// Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 6.2-6.4 (Type I/II, households
// closed: eq. 6.20-6.26); Eurostat Manual of Supply, Use and Input-Output Tables (2008), sec. 15.2.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "klaster/sdk/io_satellites.hpp"
#include "klaster/sdk/plugin.hpp"
#include "multipliers_kernel.hpp"

namespace klaster::plugins::multipliers {
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

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет мультипликаторы типа I и типа II для выпуска, доходов, занятости и ВДС"},
      {p.description,
       "Коэффициенты на единицу выпуска: доходы h_j = D1_j / x_j (строка "
       "compensation_row), занятость w_j = EMP_j / x_j (employment_row или "
       "employment_table), ВДС v_j = B1G_j / x_j (gva_row); у выпуска коэффициент 1. "
       "Эффект единицы конечного спроса на продукцию j для величины с коэффициентами k "
       "равен (k' L)_j: тип I с L = (I - A)^-1; тип II с эндогенными домохозяйствами: A*"
       " = [A c; h' 0], c_i = household_column_i / доходы домохозяйств (по умолчанию "
       "сумма compensation_row по отраслям), L* = (I - A*)^-1, ограниченная отраслями "
       "(строка домохозяйств не входит в выпуск; её элемент — эффект для доходов).\n"
       "Столбцы для каждой величины q из output, income, employment, gva: q_initial "
       "(k_j, начальный), q_indirect (эффект типа I минус начальный, косвенный), "
       "q_induced (только тип II: эффект типа II минус эффект типа I, индуцированный), "
       "q_effect (итог для данного типа), q_multiplier.\n"
       "convention = \"effect\" (по умолчанию; руководство Евростата 2008, 15.2): "
       "q_multiplier = q_effect, величина, создаваемая единицей конечного спроса "
       "(мультипликаторы ВДС и занятости в том виде, как они там публикуются). "
       "convention = \"ratio\" (Miller & Blair 2009, 6.3): q_multiplier = q_effect / "
       "q_initial, например мультипликатор доходов типа I; пропущен (с предупреждением) "
       "для отрасли с q_initial = 0. Мультипликаторы выпуска при обоих соглашениях "
       "одинаковы.\n"
       "Все эффекты получаются решением транспонированных систем с одним LU-разложением "
       "на тип; обратная матрица не строится.\n"
       "Источники: Miller & Blair (2009), Input-Output Analysis, 2nd ed., гл. 6; "
       "Eurostat (2008), Manual of Supply, Use and Input-Output Tables, гл. 15."},
      {"Output multipliers: initial, indirect, induced",
       "Мультипликаторы выпуска: начальный, косвенный, индуцированный эффекты"},
  };
}

class Multipliers final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "multipliers";
    p.version = "1.2.0";
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
        "q_initial, e.g. the Type I income multiplier; missing (with a warning) for a sector whose "
        "q_initial is 0. Output multipliers are the same in both.\n"
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
    p.reads = {matrix_read("input", "symmetric input-output table (layout = \"matrix\")"),
               satellite_employment_read()};
    p.writes = {writes()};
    p.views = {ViewSpec::of(ViewKind::kStacked, "<output>",
                            "Output multipliers: initial, indirect, induced")
                   .labels("sector")
                   .stacked({"output_initial", "output_indirect", "output_induced"})};
    p.translations["ru"] = russian(p);
    return p;
  }

  /// sector, then per quantity q: q_initial, q_indirect, [q_induced], q_effect, q_multiplier.
  static TableSpec writes() {
    TableSpec t = TableSpec::write("<output>", "one row per sector; " + satellite_quantities_doc());
    t.column(ColumnSpec::strings("sector", "the sector's row label in the input table"));
    for (const SatelliteQuantity& q : satellite_quantity_list()) {
      const std::string name = q.name;
      // Units: the quantity per unit of the IO table's money (a ratio of money for output,
      // income and gva; employment in its own unit per unit of money).
      const std::string per_demand = name + " per unit of final demand";
      t.column(ColumnSpec::floats(name + "_initial",
                                  std::string("k_j: ") + q.unit + " per unit of output of sector j")
                   .in(name + " per unit of output"));
      t.column(ColumnSpec::floats(name + "_indirect", "Type I effect - initial").in(per_demand));
      t.column(ColumnSpec::floats(name + "_induced", "Type II - Type I effect: household spending")
                   .when("type", "II")
                   .in(per_demand));
      t.column(ColumnSpec::floats(name + "_effect", "per unit of final demand for j, Type I or II")
                   .in(per_demand));
      const std::string multiplier_doc = name + "_effect (convention = effect) or " + name +
                                         "_effect / " + name + "_initial (ratio)";
      t.column(ColumnSpec::floats(name + "_multiplier", multiplier_doc)
                   .when("convention", "effect")
                   .in(per_demand));
      t.column(ColumnSpec::floats(name + "_multiplier", multiplier_doc)
                   .when("convention", "ratio")
                   .in("ratio"));
    }
    return t;
  }

  /// Type II needs its households (a rule between parameters), and the quantities' columns are
  /// those the parameters ask for (see keep_asked_quantities: a Condition cannot say which).
  void bind(BindContext& ctx) const override {
    check_satellite_params(ctx);
    keep_asked_quantities(ctx, "<output>");
  }

  void run(RunContext& ctx) const override {
    const IoSystem io = io_system(ctx);
    const Eigen::MatrixXd A = io.technical_coefficients();
    const Satellites sat = satellites(ctx, io);
    check_non_negative(sat, io);
    write_output(ctx, io, sat, quantity_effects(ctx.params(), io, A, sat));
  }

 private:
  /// The effects of each quantity in the order of the satellites' coefficients, by transposed
  /// solves with one LU factorisation per type.
  static std::vector<Effects> quantity_effects(const Params& params, const IoSystem& io,
                                               const Eigen::MatrixXd& A, const Satellites& sat) {
    const LeontiefSolver type1(A, io.sectors(), "Leontief");
    std::vector<Eigen::VectorXd> e1, e2(sat.coefficients.size());
    for (const auto& [name, k] : sat.coefficients) e1.push_back(type1_effect(type1, k));
    if (sat.type2) {
      const LeontiefSolver closed = type2_solver(params, io, A, sat);
      for (std::size_t q = 0; q < e2.size(); ++q)
        e2[q] =
            type2_effect(closed, sat.coefficients[q].second, sat.coefficients[q].first == "income");
    }
    std::vector<Effects> effects;
    for (std::size_t q = 0; q < e1.size(); ++q)
      effects.push_back(split_effects(sat.coefficients[q].second, e1[q], e2[q]));
    return effects;
  }

  static void write_output(RunContext& ctx, const IoSystem& io, const Satellites& sat,
                           const std::vector<Effects>& effects) {
    const bool ratio = ctx.params().str("convention") == "ratio";
    OutputTable out = ctx.output();
    out.set("sector", io.sectors());
    for (std::size_t q = 0; q < effects.size(); ++q) {
      const std::string& name = sat.coefficients[q].first;
      const Effects& e = effects[q];
      const Eigen::VectorXd multiplier = ratio ? ratio_multiplier(e) : e.effect;
      out.set(name + "_initial", std::vector<double>(e.initial.begin(), e.initial.end()));
      out.set(name + "_indirect", std::vector<double>(e.indirect.begin(), e.indirect.end()));
      if (out.has(name + "_induced"))
        out.set(name + "_induced", std::vector<double>(e.induced.begin(), e.induced.end()));
      out.set(name + "_effect", std::vector<double>(e.effect.begin(), e.effect.end()));
      out.set(name + "_multiplier", std::vector<double>(multiplier.begin(), multiplier.end()),
              ratio ? ratio_valid(ctx, name, e, io) : std::vector<std::uint8_t>{});
    }
    ctx.write(std::move(out));
  }

  /// Which ratio multipliers are defined: not where the initial effect is 0 (a sector without
  /// compensation, as the ONS tables publish for some); those are written missing, with a warning.
  static std::vector<std::uint8_t> ratio_valid(RunContext& ctx, const std::string& name,
                                               const Effects& e, const IoSystem& io) {
    std::vector<std::uint8_t> valid(static_cast<std::size_t>(e.initial.size()), 1);
    std::string undefined;
    for (Eigen::Index j = 0; j < e.initial.size(); ++j)
      if (e.initial(j) == 0) {
        valid[static_cast<std::size_t>(j)] = 0;
        undefined +=
            (undefined.empty() ? "'" : ", '") + io.sectors()[static_cast<std::size_t>(j)] + "'";
      }
    if (undefined.empty()) return {};
    ctx.log(LogLevel::kWarn, name + "_multiplier written as missing for " + undefined + ": no " +
                                 name + " per unit of output, so the ratio is undefined");
    return valid;
  }
};

}  // namespace

Eigen::VectorXd type1_effect(const LeontiefSolver& leontief, const Eigen::VectorXd& k) {
  return leontief.solve_transpose(k);
}

Eigen::VectorXd type2_effect(const LeontiefSolver& closed, const Eigen::VectorXd& k,
                             bool household_row) {
  const Eigen::Index n = k.size();
  Eigen::VectorXd k2 = Eigen::VectorXd::Zero(n + 1);
  if (household_row)
    k2(n) = 1.0;
  else
    k2.head(n) = k;
  return closed.solve_transpose(k2).head(n);
}

Effects split_effects(const Eigen::VectorXd& k, const Eigen::VectorXd& type1,
                      const Eigen::VectorXd& type2) {
  const bool closed = type2.size() > 0;
  return {k, type1 - k, closed ? Eigen::VectorXd(type2 - type1) : Eigen::VectorXd(),
          closed ? type2 : type1};
}

Eigen::VectorXd ratio_multiplier(const Effects& e) { return e.effect.cwiseQuotient(e.initial); }

}  // namespace klaster::plugins::multipliers

KLASTER_PLUGIN(klaster::plugins::multipliers::Multipliers)
