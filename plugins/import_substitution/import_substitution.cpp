// import_substitution: a tariff or assembly agreement switches a share s of the imported final
// demand for named products i to domestic production: d'_ik = d_ik + s m_ik, m'_ik = (1 - s) m_ik
// for the final-demand columns k; the increase of domestic final demand Δf_i = s sum_k m_ik is the
// shock whose output effect is Δx = L Δf (Miller & Blair 2009, sec. 2.4).
#include <map>
#include <string>
#include <vector>

#include "../local_content/import_shift.hpp"
#include "import_substitution_kernel.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::import_substitution {
namespace {

using namespace klaster::sdk;
using import_shift::Shift;
using import_shift::UseTables;

std::string description() {
  return "A tariff or an assembly agreement: for every product i in `products` and final-demand "
         "column k in `columns` (default: the `final_demand` columns), d'_ik = d_ik + share * m_ik "
         "in the domestic table and m'_ik = (1 - share) * m_ik in the import table; total final "
         "use of each product by each category is unchanged. The intermediate block is not "
         "touched (see local_content for inputs).\n"
         "Writes <output> (new domestic table), <output>_imports (new import table), both long "
         "(row, column, value) with every row and column of the inputs, and <output>_delta "
         "(sector, delta): Δf_i = share * sum_k m_ik, the increase of domestic final demand, which "
         "io_impact turns into output, employment and income effects. Aggregate rows and columns "
         "(CPA_TOTAL, P3, TFINU, TU) are updated when named in total_rows / total_columns.\n"
         "share outside [0, 1], products or columns not in the tables, and negative imports in a "
         "switched cell (e.g. an inventory decrease in P52: leave such columns out) are errors "
         "naming them.\n"
         "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 2.4 and ch. 2 "
         "(domestic and imported final demand); Eurostat Manual of Supply, Use and Input-Output "
         "Tables (2008), ch. 11.";
}

std::vector<ParamSpec> own_params() {
  return {
      ParamSpec("imports", ParamType::kTable)
          .req()
          .doc_("import table with the same labels (layout = \"matrix\"), e.g. Croatia table 1900"),
      ParamSpec("products", ParamType::kStringList)
          .req()
          .doc_("products whose imported final demand is switched"),
      ParamSpec("share", ParamType::kFloat)
          .req()
          .at_least(0)
          .at_most(1)
          .doc_("share of that imported final demand produced domestically instead, in [0, 1]"),
      ParamSpec("columns", ParamType::kStringList)
          .doc_("final-demand columns affected (e.g. [\"P3_S14\", \"P51\"]); default: the "
                "final_demand columns"),
      ParamSpec("total_rows", ParamType::kStringList)
          .doc_("aggregate rows (e.g. CPA_TOTAL) to update in both tables"),
      ParamSpec("total_columns", ParamType::kStringList)
          .doc_("aggregate columns (e.g. P3, TFINU, TU) to update in both tables"),
  };
}

std::vector<TableSpec> writes() {
  return {matrix_write("<output>",
                       "new domestic table: d' = d + share * m at the products and "
                       "final-demand columns, aggregates updated; otherwise the input",
                       "<input>"),
          matrix_write("<output>_imports",
                       "new import table: m' = (1 - share) * m there, "
                       "aggregates updated",
                       "<imports>"),
          TableSpec::write("<output>_delta", "one row per sector of the IO table")
              .column(ColumnSpec::strings("sector", "the sector (row label of the input)"))
              .column(ColumnSpec::floats("delta",
                                         "Δf = share * sum_k m_ik, the increase of "
                                         "domestic final demand in the table's units, "
                                         ">= 0; 0 for other sectors")
                          .in("<input>"))};
}

std::vector<std::string> final_demand_columns(const Params& params) {
  std::vector<std::string> c = params.strings("columns");
  return c.empty() ? params.strings("final_demand") : c;
}

/// \brief ParamError listing every final-demand column that either table lacks.
void check_columns(const UseTables& t, const std::vector<std::string>& columns) {
  std::string missing;
  for (const auto& c : columns) {
    if (!t.domestic.col_index(c))
      missing += (missing.empty() ? "" : "; ") + ("'" + c + "' is not in the domestic table");
    if (!t.imports.col_index(c))
      missing += (missing.empty() ? "" : "; ") + ("'" + c + "' is not in " + t.imports_name);
  }
  if (!missing.empty()) throw ParamError("columns", "final-demand column " + missing);
}

/// \brief The imported final demand m_ik at the products' rows and the columns; DataError for a
/// product the import table lacks or a negative value (an inventory decrease: leave it out).
Eigen::MatrixXd imported_final_demand(const UseTables& t, const std::vector<std::string>& products,
                                      const std::vector<std::string>& columns) {
  const auto cols = import_shift::column_positions(t, columns);
  Eigen::MatrixXd m(ix(products.size()), ix(columns.size()));
  for (std::size_t a = 0; a < products.size(); ++a) {
    const std::size_t r = import_shift::position(t.imports.row_index(products[a]), products[a],
                                                 "row", t.imports_name);
    for (std::size_t k = 0; k < columns.size(); ++k) {
      m(ix(a), ix(k)) = t.imports.values(ix(r), ix(cols[k].second));
      if (m(ix(a), ix(k)) < 0)
        throw DataError(t.imports_name + " has a negative value " +
                        to_text(Value(m(ix(a), ix(k)))) + " for '" + products[a] + "' in column '" +
                        columns[k] + "'; leave that column out of 'columns'");
    }
  }
  return m;
}

/// \brief Δf at every sector of the IO table: the switched products' delta, 0 elsewhere.
Eigen::VectorXd delta_by_sector(const IoSystem& io, const std::vector<std::size_t>& products,
                                const Eigen::VectorXd& delta) {
  Eigen::VectorXd out = Eigen::VectorXd::Zero(ix(io.size()));
  for (std::size_t a = 0; a < products.size(); ++a) out(ix(products[a])) = delta(ix(a));
  return out;
}

void write_delta(RunContext& ctx, const IoSystem& io, const Eigen::VectorXd& delta) {
  OutputTable out = ctx.output("<output>_delta");
  out.set("sector", io.sectors());
  out.set("delta", std::vector<double>(delta.data(), delta.data() + delta.size()));
  ctx.write(std::move(out));
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Переключает долю импортной части конечного спроса на указанные продукты на "
       "отечественное производство"},
      {p.description,
       "Тариф или соглашение о промышленной сборке: для каждого продукта i из `products`"
       " и столбца конечного спроса k из `columns` (по умолчанию столбцы `final_demand`)"
       " d'_ik = d_ik + share * m_ik в отечественной таблице и m'_ik = (1 - share) * "
       "m_ik в таблице импорта; общее конечное использование каждого продукта каждой "
       "категорией не меняется. Блок промежуточного потребления не затрагивается (для "
       "затрат см. local_content).\n"
       "Записывает <output> (новая отечественная таблица), <output>_imports (новая "
       "таблица импорта), обе в длинном формате (row, column, value) со всеми строками и"
       " столбцами исходных таблиц, и <output>_delta (sector, delta): Δf_i = share * "
       "sum_k m_ik — прирост отечественного конечного спроса, который io_impact "
       "переводит в эффекты для выпуска, занятости и доходов. Итоговые строки и столбцы "
       "(CPA_TOTAL, P3, TFINU, TU) пересчитываются, если названы в total_rows / "
       "total_columns.\n"
       "share вне [0, 1], продукты или столбцы, которых нет в таблицах, и отрицательный "
       "импорт в переключаемой ячейке (например, уменьшение запасов в P52: исключите "
       "такие столбцы) — ошибки с их названием.\n"
       "Источники: Miller & Blair (2009), Input-Output Analysis, 2nd ed., разд. 2.4 и "
       "гл. 2 (отечественный и импортный конечный спрос); Eurostat Manual of Supply, Use"
       " and Input-Output Tables (2008), гл. 11."},
  };
}

class ImportSubstitution final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "import_substitution";
    p.version = "1.0.0";
    p.kind = PluginKind::kMeasure;
    p.summary =
        "Switches a share of the imported final demand for named products to domestic production";
    p.description = description();
    p.params = io_table_params();
    const std::vector<ParamSpec> own = own_params();
    p.params.insert(p.params.end(), own.begin(), own.end());
    p.reads = {matrix_read("input", "domestic-use IO table (e.g. Croatia 1800)"),
               matrix_read("imports", "import-use IO table (e.g. Croatia 1900)")};
    p.writes = writes();
    p.translations["ru"] = russian(p);
    return p;
  }

  /// `columns` defaults to `final_demand`: one of the two must name columns.
  void bind(BindContext& ctx) const override {
    if (final_demand_columns(ctx.params()).empty())
      throw ParamError("columns",
                       "name the final-demand columns to switch in 'columns' (or 'final_demand')");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    UseTables tables = import_shift::read_use_tables(ctx, io.table());
    const std::vector<std::size_t> products =
        import_shift::distinct(io.sector_indices(params.strings("products"), "products"));
    std::vector<std::string> rows;
    for (const auto i : products) rows.push_back(io.sectors()[i]);
    const std::vector<std::string> columns = final_demand_columns(params);
    check_columns(tables, columns);

    const Switch s =
        switch_final_demand(imported_final_demand(tables, rows, columns), params.real("share"));
    import_shift::apply(Shift{rows, columns, s.moved}, tables);
    // A total column adds up a row of switched demand; a total row a column.
    import_shift::shift_total_columns(params, rows, s.delta, tables);
    import_shift::shift_total_rows(params, columns, s.by_column, tables);
    const Eigen::VectorXd delta = delta_by_sector(io, products, s.delta);
    ctx.log(LogLevel::kInfo, "switched " + to_text(Value(delta.sum())) +
                                 " of imported final demand to domestic production (" +
                                 std::to_string(products.size()) + " product(s), share " +
                                 to_text(Value(params.real("share"))) + ")");
    import_shift::write_use_tables(ctx, tables);
    write_delta(ctx, io, delta);
  }
};

}  // namespace

Switch switch_final_demand(const Eigen::MatrixXd& imported, double share) {
  Switch s{share * imported, Eigen::VectorXd::Zero(imported.rows()),
           Eigen::VectorXd::Zero(imported.cols())};
  // Sums in the order products x columns, one cell at a time, as the shares are moved.
  for (Eigen::Index i = 0; i < imported.rows(); ++i)
    for (Eigen::Index k = 0; k < imported.cols(); ++k) {
      s.delta(i) += s.moved(i, k);
      s.by_column(k) += s.moved(i, k);
    }
  return s;
}

}  // namespace klaster::plugins::import_substitution

KLASTER_PLUGIN(klaster::plugins::import_substitution::ImportSubstitution)
