// import_duty: an import duty or a fixed fee per imported unit (a recycling fee on vehicles) raises
// the buyers' price of imports; Armington (1969) CES demand turns that into the share of imported
// final demand switched to domestic production, the final-demand change io_impact takes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "import_duty_kernel.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::import_duty {
namespace {

using namespace klaster::sdk;

std::string description() {
  return "Armington (1969) CES demand for the domestic (D) and imported (M) variety of a product: "
         "M/D = (alpha / (1 - alpha))^sigma (P_D / P_M)^sigma. The measure raises P_M by "
         "g = 1 + pass_through * ((1 + duty_after) / (1 + duty_before) + fee / import_price - 1) "
         "with P_D unchanged, so for every product in `products` and final-demand column in "
         "`columns` (one buyer each) M'/D' = (M/D) g^-sigma. The total D + M (base prices) is held "
         "fixed (demand_elasticity = 0, default) or moves by (P'/P)^-demand_elasticity with the "
         "CES "
         "price index P'/P = (w_D + w_M g^(1 - sigma))^(1 / (1 - sigma)). A cell with D = 0 or "
         "M = 0 is unchanged.\n"
         "Writes <output> (sector, delta = D' - D summed over the columns: the domestic final-"
         "demand change io_impact reads; import_change = M' - M; the sums before and after) and "
         "<output>_cells (one row per product and column).\n"
         "Negative cells (an inventory decrease in P52: leave that column out), products or "
         "columns missing from either table, and a fee without import_price are errors naming "
         "them.\n"
         "Reference: Armington, P. S. (1969), A Theory of Demand for Products Distinguished by "
         "Place of Production, IMF Staff Papers 16(1), 159-178.";
}

/// \brief The tables, the cells they hold and the Armington elasticity.
std::vector<ParamSpec> param_specs() {
  return {
      ParamSpec("input", ParamType::kTable)
          .req()
          .primary()
          .doc_("use of domestic products (layout = \"matrix\"), e.g. io_domestic"),
      ParamSpec("imports", ParamType::kTable)
          .req()
          .doc_("use of imported products with the same labels (layout = \"matrix\")"),
      ParamSpec("products", ParamType::kStringList)
          .req()
          .doc_("products (row labels) on whose imports the duty or fee falls, e.g. [\"29\"]"),
      ParamSpec("columns", ParamType::kStringList)
          .req()
          .doc_("final-demand columns, one buyer each, e.g. [\"P3_S14\", \"P51G\"]"),
      ParamSpec("sigma", ParamType::kFloat)
          .req()
          .at_least(0)
          .doc_("Armington elasticity of substitution between domestic and imported variety "
                "(no default: choose it from the literature for the product; 0 = no switch)"),
  };
}

/// \brief How the measure moves the import price, and the total demand's response.
std::vector<ParamSpec> price_params() {
  return {
      ParamSpec("duty_before", ParamType::kFloat)
          .def(Value(0.0))
          .at_least(0)
          .doc_("ad valorem import duty before the measure (0.1 = 10 %)"),
      ParamSpec("duty_after", ParamType::kFloat)
          .def(Value(0.0))
          .at_least(0)
          .doc_("ad valorem import duty after the measure"),
      ParamSpec("fee", ParamType::kFloat)
          .def(Value(0.0))
          .at_least(0)
          .doc_("new fixed fee per imported unit (e.g. KZT per vehicle); needs import_price"),
      ParamSpec("import_price", ParamType::kFloat)
          .above(0)
          .doc_("average price per imported unit paid before the measure, in the fee's currency"),
      ParamSpec("pass_through", ParamType::kFloat)
          .def(Value(1.0))
          .at_least(0)
          .doc_("share of the import price increase passed on to buyers (1 = all)"),
      ParamSpec("demand_elasticity", ParamType::kFloat)
          .def(Value(0.0))
          .at_least(0)
          .doc_("price elasticity of the total demand D + M for the product (0 = total fixed)"),
  };
}

std::vector<TableSpec> writes() {
  return {
      TableSpec::write("<output>", "one row per product in `products`: the final-demand shock")
          .column(ColumnSpec::strings("sector", "the product (row label of the tables)"))
          .column(ColumnSpec::floats("delta",
                                     "D' - D summed over the columns: the change of "
                                     "domestic final demand (io_impact's delta)")
                      .in("<input>"))
          .column(
              ColumnSpec::floats("import_change", "M' - M summed over the columns").in("<imports>"))
          .column(ColumnSpec::floats("domestic", "D summed over the columns, before").in("<input>"))
          .column(
              ColumnSpec::floats("imports", "M summed over the columns, before").in("<imports>"))
          .column(ColumnSpec::floats("domestic_new", "D' summed over the columns").in("<input>"))
          .column(ColumnSpec::floats("imports_new", "M' summed over the columns").in("<imports>")),
      TableSpec::write("<output>_cells", "one row per product and final-demand column")
          .column(ColumnSpec::strings("product", "the product"))
          .column(ColumnSpec::strings("column", "the final-demand column (buyer)"))
          .column(ColumnSpec::floats("domestic", "D").in("<input>"))
          .column(ColumnSpec::floats("imports", "M").in("<imports>"))
          .column(ColumnSpec::floats("import_ratio", "M / D; missing where D = 0").in("ratio"))
          .column(
              ColumnSpec::floats("import_ratio_new", "M' / D'; missing where D' = 0").in("ratio"))
          .column(ColumnSpec::floats("delta", "D' - D").in("<input>"))
          .column(ColumnSpec::floats("import_change", "M' - M").in("<imports>")),
  };
}

PriceChange price_change(const Params& params) {
  PriceChange c;
  c.duty_before = params.real("duty_before");
  c.duty_after = params.real("duty_after");
  c.fee = params.real("fee");
  c.import_price = params.has("import_price") ? params.real("import_price") : 1.0;
  c.pass_through = params.real("pass_through");
  return c;
}

/// \brief The position of `label` among the rows or columns of `m`; ParamError for `param`.
std::size_t position(const std::optional<std::size_t>& found, const std::string& param,
                     const std::string& label, const std::string& what) {
  if (!found) throw ParamError(param, "'" + label + "' is not " + what);
  return *found;
}

/// \brief One cell of both tables, checked: a negative value is a DataError naming the cell.
Split base_cell(const LabelledMatrix& d, const LabelledMatrix& m, const Params& params,
                const std::string& product, const std::string& column) {
  const auto at = [&](const LabelledMatrix& t, const std::string& param) {
    const std::string name = "table '" + params.str(param) + "'";
    const std::size_t r = position(t.row_index(product), "products", product, "a row of " + name);
    const std::size_t c = position(t.col_index(column), "columns", column, "a column of " + name);
    const double v = t.values(ix(r), ix(c));
    if (v < 0)
      throw DataError(name + " has a negative value " + to_text(Value(v)) + " for product '" +
                      product + "' in column '" + column + "'; leave that column out of 'columns'");
    return v;
  };
  return {at(d, "input"), at(m, "imports")};
}

/// \brief The cells' results, product-major, and their sums per product.
struct Result {
  std::vector<std::string> product, column;
  std::vector<Split> before, after;
};

Result compute(const RunContext& ctx, double g) {
  const Params& params = ctx.params();
  const LabelledMatrix d = matrix_from_long(ctx.table_of_param("input"));
  const LabelledMatrix m = matrix_from_long(ctx.table_of_param("imports"));
  Result r;
  for (const std::string& p : params.strings("products"))
    for (const std::string& c : params.strings("columns")) {
      r.product.push_back(p);
      r.column.push_back(c);
      r.before.push_back(base_cell(d, m, params, p, c));
      r.after.push_back(armington_split(r.before.back(), g, params.real("sigma"),
                                        params.real("demand_elasticity")));
    }
  return r;
}

/// \brief x / y, valid only where y > 0.
std::pair<double, std::uint8_t> ratio(double x, double y) {
  return y > 0 ? std::pair<double, std::uint8_t>{x / y, 1} : std::pair<double, std::uint8_t>{0, 0};
}

void write_cells(RunContext& ctx, const Result& r) {
  std::vector<double> dom, imp, rat, rat_new, delta, dm;
  std::vector<std::uint8_t> rat_ok, rat_new_ok;
  for (std::size_t k = 0; k < r.before.size(); ++k) {
    const Split& b = r.before[k];
    const Split& a = r.after[k];
    dom.push_back(b.domestic);
    imp.push_back(b.imports);
    const auto [x, x_ok] = ratio(b.imports, b.domestic);
    const auto [y, y_ok] = ratio(a.imports, a.domestic);
    rat.push_back(x), rat_ok.push_back(x_ok), rat_new.push_back(y), rat_new_ok.push_back(y_ok);
    delta.push_back(a.domestic - b.domestic);
    dm.push_back(a.imports - b.imports);
  }
  OutputTable out = ctx.output("<output>_cells");
  out.set("product", r.product).set("column", r.column);
  out.set("domestic", std::move(dom)).set("imports", std::move(imp));
  out.set("import_ratio", std::move(rat), std::move(rat_ok));
  out.set("import_ratio_new", std::move(rat_new), std::move(rat_new_ok));
  out.set("delta", std::move(delta)).set("import_change", std::move(dm));
  ctx.write(std::move(out));
}

/// \brief Sums per product (in the order of `products`, each once) of the cells' values.
void write_shock(RunContext& ctx, const Result& r) {
  std::vector<std::string> sector;
  std::vector<Split> before, after;
  for (std::size_t k = 0; k < r.before.size(); ++k) {
    if (sector.empty() || sector.back() != r.product[k])
      sector.push_back(r.product[k]), before.emplace_back(), after.emplace_back();
    before.back().domestic += r.before[k].domestic, before.back().imports += r.before[k].imports;
    after.back().domestic += r.after[k].domestic, after.back().imports += r.after[k].imports;
  }
  std::vector<double> delta, dm, d0, m0, d1, m1;
  for (std::size_t i = 0; i < sector.size(); ++i) {
    delta.push_back(after[i].domestic - before[i].domestic);
    dm.push_back(after[i].imports - before[i].imports);
    d0.push_back(before[i].domestic), m0.push_back(before[i].imports);
    d1.push_back(after[i].domestic), m1.push_back(after[i].imports);
  }
  OutputTable out = ctx.output();
  out.set("sector", sector).set("delta", std::move(delta)).set("import_change", std::move(dm));
  out.set("domestic", std::move(d0)).set("imports", std::move(m0));
  out.set("domestic_new", std::move(d1)).set("imports_new", std::move(m1));
  ctx.write(std::move(out));
}

/// \brief ParamError for `param` naming the first label given twice.
void check_distinct(const Params& params, const std::string& param) {
  std::set<std::string> seen;
  for (const std::string& s : params.strings(param))
    if (!seen.insert(s).second) throw ParamError(param, "'" + s + "' is named twice");
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Ввозная пошлина или сбор на единицу импорта: переключение импортной части "
       "конечного спроса на отечественное производство по CES-замещению Армингтона"},
      {p.description,
       "CES-спрос Армингтона (Armington 1969) на отечественный (D) и импортный (M) "
       "варианты продукта: M/D = (alpha / (1 - alpha))^sigma (P_D / P_M)^sigma. Мера "
       "повышает P_M в g = 1 + pass_through * ((1 + duty_after) / (1 + duty_before) + "
       "fee / import_price - 1) раз при неизменной P_D, так что для каждого продукта из "
       "`products` и столбца конечного спроса из `columns` (по одному покупателю) M'/D' "
       "= (M/D) g^-sigma. Сумма D + M (в основных ценах) остаётся постоянной "
       "(demand_elasticity = 0, по умолчанию) или меняется в (P'/P)^-demand_elasticity "
       "раз с CES-индексом цен P'/P = (w_D + w_M g^(1 - sigma))^(1 / (1 - sigma)). "
       "Ячейка с D = 0 или M = 0 не меняется.\n"
       "Записывает <output> (sector, delta = D' - D, суммированное по столбцам: "
       "изменение отечественного конечного спроса, которое читает io_impact; "
       "import_change = M' - M; суммы до и после) и <output>_cells (одна строка на "
       "продукт и столбец).\n"
       "Отрицательные ячейки (уменьшение запасов в P52: исключите этот столбец), "
       "продукты или столбцы, которых нет в одной из таблиц, и сбор без import_price — "
       "ошибки с их названием.\n"
       "Источник: Armington, P. S. (1969), A Theory of Demand for Products Distinguished"
       " by Place of Production, IMF Staff Papers 16(1), 159-178."},
  };
}

class ImportDuty final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "import_duty";
    p.version = "0.1.0";
    p.kind = PluginKind::kMeasure;
    p.summary =
        "An import duty or a fee per imported unit: the imported final demand switched to "
        "domestic production by Armington CES substitution";
    p.description = description();
    p.params = param_specs();
    const std::vector<ParamSpec> price = price_params();
    p.params.insert(p.params.end(), price.begin(), price.end());
    p.reads = {matrix_read("input", "use of domestic products, e.g. io_domestic"),
               matrix_read("imports", "use of imported products, e.g. io_imports")};
    p.writes = writes();
    p.translations["ru"] = russian(p);
    return p;
  }

  /// A fee is a share of the import price only when that price is given; labels once each.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    if (params.real("fee") > 0 && !params.has("import_price"))
      throw ParamError("import_price",
                       "a fee per unit needs 'import_price' (the average price per imported unit "
                       "before the measure, in the fee's currency)");
    check_distinct(params, "products");
    check_distinct(params, "columns");
  }

  void run(RunContext& ctx) const override {
    const double g = import_price_factor(price_change(ctx.params()));
    const Result r = compute(ctx, g);
    double switched = 0;
    for (std::size_t k = 0; k < r.before.size(); ++k)
      switched += r.after[k].domestic - r.before[k].domestic;
    ctx.log(LogLevel::kInfo, "import price x " + to_text(Value(g)) + ": domestic final demand " +
                                 "changes by " + to_text(Value(switched)) + " over " +
                                 std::to_string(r.before.size()) + " product-column cell(s)");
    write_cells(ctx, r);
    write_shock(ctx, r);
  }
};

}  // namespace

double import_price_factor(const PriceChange& c) {
  const double raw = (1 + c.duty_after) / (1 + c.duty_before) + c.fee / c.import_price;
  return 1 + c.pass_through * (raw - 1);
}

double ces_price_index(double import_share, double price_factor, double sigma) {
  if (std::abs(sigma - 1) < 1e-12) return std::pow(price_factor, import_share);  // Cobb-Douglas
  const double e = 1 - sigma;
  return std::pow((1 - import_share) + import_share * std::pow(price_factor, e), 1 / e);
}

Split armington_split(const Split& base, double price_factor, double sigma,
                      double demand_elasticity) {
  if (!(base.domestic > 0) || !(base.imports > 0)) return base;  // one variety: no substitution
  if (price_factor == 1) return base;  // no price change: exactly nothing moves (no rounding)
  const double total = base.domestic + base.imports;
  const double ratio = base.imports / base.domestic * std::pow(price_factor, -sigma);
  const double index = ces_price_index(base.imports / total, price_factor, sigma);
  const double total_new = total * std::pow(index, -demand_elasticity);
  // D' + M' = total_new and M' / D' = ratio.
  return {total_new / (1 + ratio), total_new * ratio / (1 + ratio)};
}

}  // namespace klaster::plugins::import_duty

KLASTER_PLUGIN(klaster::plugins::import_duty::ImportDuty)
