// local_content: a local-content requirement moves a share s of the imports of named inputs i
// bought by named sectors j into domestic purchases: z'_ij = z_ij + s m_ij, m'_ij = (1 - s) m_ij.
// Each buyer's total use of each input (z + m) and its output x_j stay as they were, so the new
// domestic coefficients are a'_ij = z'_ij / x_j (domestic and import coefficients: Miller & Blair
// 2009, ch. 2; Eurostat Manual of Supply, Use and Input-Output Tables 2008, ch. 11).
#include <map>
#include <string>
#include <vector>

#include "import_shift.hpp"
#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"
#include "local_content_kernel.hpp"

namespace klaster::plugins::local_content {
namespace {

using namespace klaster::sdk;
using import_shift::Shift;
using import_shift::UseTables;

std::string description() {
  return "A local-content requirement: for every input i in `inputs` and buyer j in `buyers` "
         "(absent = every sector), z'_ij = z_ij + share * m_ij in the domestic table and m'_ij = "
         "(1 - share) * m_ij in the import table. Each buyer's total use of the input (z + m), its "
         "other inputs and its total output x_j are unchanged, so the buyer's column stays "
         "balanced and later steps (leontief, multipliers, linkages, io_impact) reading <output> "
         "see the new domestic coefficients a'_ij = z'_ij / x_j and the multipliers they imply. "
         "The output of the supplying sectors is not rebalanced here: the extra domestic output is "
         "what those steps compute; give them the final-demand columns explicitly (final_demand = "
         "[...]) rather than f = x - Z 1, which would absorb the moved flows.\n"
         "Aggregate rows and columns (a TOTAL column of intermediate use, a CPA_TOTAL row, TU) are "
         "updated when named in total_rows / total_columns; others are copied as they are.\n"
         "Writes <output> (the new domestic table) and <output>_imports (the new import table), "
         "both long (row, column, value) with every row and column of the inputs. share outside "
         "[0, 1] and sectors not in the table are errors naming them.\n"
         "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 2 (domestic and "
         "imported inputs); Eurostat Manual of Supply, Use and Input-Output Tables (2008), ch. 11.";
}

std::vector<ParamSpec> own_params() {
  return {
      ParamSpec("imports", ParamType::kTable)
          .req()
          .doc_("import table with the same labels (layout = \"matrix\"), e.g. Croatia table 1900"),
      ParamSpec("inputs", ParamType::kStringList)
          .doc_("products whose imports are replaced; absent = every sector"),
      ParamSpec("buyers", ParamType::kStringList)
          .doc_("sectors bound by the requirement; absent = every sector"),
      ParamSpec("share", ParamType::kFloat)
          .req()
          .at_least(0)
          .at_most(1)
          .doc_("share of those imports moved to domestic purchases, in [0, 1]"),
      ParamSpec("total_rows", ParamType::kStringList)
          .doc_("aggregate rows (e.g. CPA_TOTAL) to update with the moved flows in both tables"),
      ParamSpec("total_columns", ParamType::kStringList)
          .doc_("aggregate columns (e.g. TOTAL, TU) to update with the moved flows in both tables"),
  };
}

/// \brief The sectors named by list parameter `param`, each once; every sector when it is empty.
std::vector<std::size_t> sector_selection(const IoSystem& io, const Params& params,
                                          const char* param) {
  if (!params.strings(param).empty())
    return import_shift::distinct(io.sector_indices(params.strings(param), param));
  std::vector<std::size_t> all(io.size());
  for (std::size_t k = 0; k < io.size(); ++k) all[k] = k;
  return all;
}

/// \brief DataError for the first negative import of a selected input by a selected buyer.
void check_no_negative_import(const Eigen::MatrixXd& imports,
                              const std::vector<std::size_t>& inputs,
                              const std::vector<std::size_t>& buyers, const IoSystem& io,
                              const std::string& imports_name) {
  for (const auto i : inputs)
    for (const auto j : buyers)
      if (const double m = imports(ix(i), ix(j)); m < 0)
        throw DataError(imports_name + " has a negative import " + to_text(Value(m)) + " of '" +
                        io.sectors()[i] + "' by '" + io.sector_columns()[j] + "'");
}

/// \brief The moved flows at the sector rows and columns, with the row and column sums that the
/// aggregate columns and rows take.
struct SectorShift {
  Shift cells;
  Eigen::VectorXd row_sums, column_sums;
};

SectorShift sector_shift(const IoSystem& io, Eigen::MatrixXd moved) {
  SectorShift s{{io.sectors(), io.sector_columns(), std::move(moved)}, {}, {}};
  const Eigen::MatrixXd& m = s.cells.moved;
  s.row_sums.resize(m.rows());
  s.column_sums.resize(m.cols());
  for (Eigen::Index i = 0; i < m.rows(); ++i) s.row_sums(i) = m.row(i).sum();
  for (Eigen::Index j = 0; j < m.cols(); ++j) s.column_sums(j) = m.col(j).sum();
  return s;
}

void log_moved(const RunContext& ctx, const Eigen::MatrixXd& moved, std::size_t inputs,
               std::size_t buyers) {
  ctx.log(LogLevel::kInfo, "moved " + to_text(Value(moved.sum())) +
                               " of imports to domestic purchases (" + std::to_string(inputs) +
                               " input(s) x " + std::to_string(buyers) + " buyer(s), share " +
                               to_text(Value(ctx.params().real("share"))) + ")");
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Переводит долю импорта указанных ресурсов, закупаемых указанными отраслями, в "
       "отечественные закупки"},
      {p.description,
       "Требование о местном содержании: для каждого ресурса i из `inputs` и покупателя "
       "j из `buyers` (если не задан — каждая отрасль) z'_ij = z_ij + share * m_ij в "
       "отечественной таблице и m'_ij = (1 - share) * m_ij в таблице импорта. Общее "
       "потребление ресурса покупателем (z + m), его прочие затраты и его валовой выпуск"
       " x_j не меняются, поэтому столбец покупателя остаётся сбалансированным, а "
       "последующие шаги (leontief, multipliers, linkages, io_impact), читающие "
       "<output>, видят новые отечественные коэффициенты a'_ij = z'_ij / x_j и "
       "вытекающие из них мультипликаторы. Выпуск отраслей-поставщиков здесь не "
       "пересчитывается: дополнительный отечественный выпуск вычисляют эти шаги; задайте"
       " им столбцы конечного спроса явно (final_demand = [...]), а не f = x - Z 1, "
       "которое поглотило бы перенесённые потоки.\n"
       "Итоговые строки и столбцы (столбец TOTAL промежуточного потребления, строка "
       "CPA_TOTAL, TU) пересчитываются, если названы в total_rows / total_columns; "
       "остальные копируются как есть.\n"
       "Записывает <output> (новая отечественная таблица) и <output>_imports (новая "
       "таблица импорта), обе в длинном формате (row, column, value) со всеми строками и"
       " столбцами исходных таблиц. share вне [0, 1] и отрасли, которых нет в таблице, —"
       " ошибки с их названием.\n"
       "Источники: Miller & Blair (2009), Input-Output Analysis, 2nd ed., гл. 2 "
       "(отечественные и импортные затраты); Eurostat Manual of Supply, Use and Input-"
       "Output Tables (2008), гл. 11."},
  };
}

class LocalContent final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "local_content";
    p.version = "1.0.0";
    p.kind = PluginKind::kMeasure;
    p.summary =
        "Moves a share of the imports of named inputs bought by named sectors into domestic "
        "purchases";
    p.description = description();
    p.params = io_table_params();
    const std::vector<ParamSpec> own = own_params();
    p.params.insert(p.params.end(), own.begin(), own.end());
    p.reads = {matrix_read("input", "domestic-use IO table (e.g. Croatia 1800)"),
               matrix_read("imports", "import-use IO table (e.g. Croatia 1900)")};
    p.writes = {matrix_write("<output>",
                             "new domestic table: z' = z + share * m at the inputs "
                             "and buyers, aggregates updated; otherwise the input",
                             "<input>"),
                matrix_write("<output>_imports",
                             "new import table: m' = (1 - share) * m at the "
                             "inputs and buyers, aggregates updated",
                             "<imports>")};
    p.translations["ru"] = russian(p);
    return p;
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    UseTables tables = import_shift::read_use_tables(ctx, io.table());
    const Eigen::MatrixXd imports = io.block_of(tables.imports, tables.imports_name);
    const std::vector<std::size_t> inputs = sector_selection(io, params, "inputs");
    const std::vector<std::size_t> buyers = sector_selection(io, params, "buyers");
    check_no_negative_import(imports, inputs, buyers, io, tables.imports_name);

    const SectorShift shift =
        sector_shift(io, moved_imports(imports, inputs, buyers, params.real("share")));
    import_shift::apply(shift.cells, tables);
    // A total row adds up a column of moved flows; a total column a row.
    import_shift::shift_total_rows(params, io.sector_columns(), shift.column_sums, tables);
    import_shift::shift_total_columns(params, io.sectors(), shift.row_sums, tables);
    log_moved(ctx, shift.cells.moved, inputs.size(), buyers.size());
    import_shift::write_use_tables(ctx, tables);
  }
};

}  // namespace

Eigen::MatrixXd moved_imports(const Eigen::MatrixXd& imports,
                              const std::vector<std::size_t>& inputs,
                              const std::vector<std::size_t>& buyers, double share) {
  Eigen::MatrixXd moved = Eigen::MatrixXd::Zero(imports.rows(), imports.cols());
  for (const auto i : inputs)
    for (const auto j : buyers) moved(ix(i), ix(j)) = share * imports(ix(i), ix(j));
  return moved;
}

}  // namespace klaster::plugins::local_content

KLASTER_PLUGIN(klaster::plugins::local_content::LocalContent)
