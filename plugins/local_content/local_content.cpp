// local_content: a local-content requirement moves a share s of the imports of named inputs i
// bought by named sectors j into domestic purchases: z'_ij = z_ij + s m_ij, m'_ij = (1 - s) m_ij.
// Each buyer's total use of each input (z + m) and its output x_j stay as they were, so the new
// domestic coefficients are a'_ij = z'_ij / x_j (domestic and import coefficients: Miller & Blair
// 2009, ch. 2; Eurostat Manual of Supply, Use and Input-Output Tables 2008, ch. 11).
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;
using Eigen::Index;

/// \brief Position of `label` among a matrix's row (or column) labels; DataError naming `what`.
std::size_t position(const std::optional<std::size_t>& found, const std::string& label,
                     const std::string& kind, const std::string& what) {
  if (!found) throw DataError(what + " has no " + kind + " '" + label + "'");
  return *found;
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
    p.description =
        "A local-content requirement: for every input i in `inputs` and buyer j in `buyers` "
        "(absent = every sector), z'_ij = z_ij + share * m_ij in the domestic table and m'_ij = "
        "(1 - share) * m_ij in the import table. Each buyer's total use of the input (z + m), its "
        "other inputs and its total output x_j are unchanged, so the buyer's column stays balanced "
        "and later steps (leontief, multipliers, linkages, io_impact) reading <output> see the new "
        "domestic coefficients a'_ij = z'_ij / x_j and the multipliers they imply. The output of "
        "the supplying sectors is not rebalanced here: the extra domestic output is what those "
        "steps compute; give them the final-demand columns explicitly (final_demand = [...]) "
        "rather "
        "than f = x - Z 1, which would absorb the moved flows.\n"
        "Aggregate rows and columns (a TOTAL column of intermediate use, a CPA_TOTAL row, TU) are "
        "updated when named in total_rows / total_columns; others are copied as they are.\n"
        "Writes <output> (the new domestic table) and <output>_imports (the new import table), "
        "both long (row, column, value) with every row and column of the inputs. share outside "
        "[0, 1] and sectors not in the table are errors naming them.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 2 (domestic and "
        "imported inputs); Eurostat Manual of Supply, Use and Input-Output Tables (2008), ch. 11.";
    p.params = io_table_params();
    const std::vector<ParamSpec> own = {
        ParamSpec("imports", ParamType::kTable)
            .req()
            .doc_(
                "import table with the same labels (layout = \"matrix\"), e.g. Croatia table 1900"),
        ParamSpec("inputs", ParamType::kStringList)
            .doc_("products whose imports are replaced; absent = every sector"),
        ParamSpec("buyers", ParamType::kStringList)
            .doc_("sectors bound by the requirement; absent = every sector"),
        ParamSpec("share", ParamType::kFloat)
            .req()
            .doc_("share of those imports moved to domestic purchases, in [0, 1]"),
        ParamSpec("total_rows", ParamType::kStringList)
            .doc_("aggregate rows (e.g. CPA_TOTAL) to update with the moved flows in both tables"),
        ParamSpec("total_columns", ParamType::kStringList)
            .doc_(
                "aggregate columns (e.g. TOTAL, TU) to update with the moved flows in both tables"),
    };
    p.params.insert(p.params.end(), own.begin(), own.end());
    p.reads = {{"input", "row, column, value", "domestic-use IO table (e.g. Croatia 1800)"},
               {"imports", "row, column, value", "import-use IO table (e.g. Croatia 1900)"}};
    p.writes = {{"<output>", "row, column, value", "new domestic table"},
                {"<output>_imports", "row, column, value", "new import table"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    check_matrix_schema(ctx, "imports");
    check_share(ctx.params().real("share"), "share");
    ctx.declare_output(ctx.output_name(), long_matrix_schema());
    ctx.declare_output(ctx.output_name() + "_imports", long_matrix_schema());
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const std::string imports_name = "import table '" + params.str("imports") + "'";
    LabelledMatrix domestic = io.table();
    LabelledMatrix imports = matrix_from_long(ctx.table_of_param("imports"));
    io.block_of(imports, imports_name);  // checks that every sector is there

    auto all_or = [&](const char* param) {
      std::vector<std::size_t> idx;
      if (params.strings(param).empty())
        for (std::size_t k = 0; k < io.size(); ++k) idx.push_back(k);
      else
        idx = io.sector_indices(params.strings(param), param);
      return idx;
    };
    const std::vector<std::size_t> inputs = all_or("inputs"), buyers = all_or("buyers");
    const double share = params.real("share");

    // Moved flows, at the sector positions of each table.
    Eigen::MatrixXd moved = Eigen::MatrixXd::Zero(ix(io.size()), ix(io.size()));
    for (auto i : inputs) {
      const std::string& row = io.sectors()[i];
      const std::size_t dr = position(domestic.row_index(row), row, "row", "the domestic table");
      const std::size_t mr = position(imports.row_index(row), row, "row", imports_name);
      for (auto j : buyers) {
        const std::string& col = io.sector_columns()[j];
        const std::size_t dc =
            position(domestic.col_index(col), col, "column", "the domestic table");
        const std::size_t mc = position(imports.col_index(col), col, "column", imports_name);
        const double m = imports.values(ix(mr), ix(mc));
        if (m < 0)
          throw DataError(imports_name + " has a negative import " + to_text(Value(m)) + " of '" +
                          row + "' by '" + col + "'");
        const double d = share * m;
        moved(ix(i), ix(j)) = d;
        domestic.values(ix(dr), ix(dc)) += d;
        imports.values(ix(mr), ix(mc)) -= d;
      }
    }
    // Aggregates: a total row gains (loses) the column sums, a total column the row sums.
    for (const auto& name : params.strings("total_rows")) {
      const auto dr = domestic.row_index(name), mr = imports.row_index(name);
      if (!dr && !mr) throw ParamError("total_rows", "row '" + name + "' is in neither table");
      for (std::size_t j = 0; j < io.size(); ++j) {
        const double d = moved.col(ix(j)).sum();
        if (dr) domestic.values(ix(*dr), ix(*domestic.col_index(io.sector_columns()[j]))) += d;
        if (mr) imports.values(ix(*mr), ix(*imports.col_index(io.sector_columns()[j]))) -= d;
      }
    }
    for (const auto& name : params.strings("total_columns")) {
      const auto dc = domestic.col_index(name), mc = imports.col_index(name);
      if (!dc && !mc)
        throw ParamError("total_columns", "column '" + name + "' is in neither table");
      for (std::size_t i = 0; i < io.size(); ++i) {
        const double d = moved.row(ix(i)).sum();
        if (dc) domestic.values(ix(*domestic.row_index(io.sectors()[i])), ix(*dc)) += d;
        if (mc) imports.values(ix(*imports.row_index(io.sectors()[i])), ix(*mc)) -= d;
      }
    }
    ctx.log(LogLevel::kInfo,
            "moved " + to_text(Value(moved.sum())) + " of imports to domestic purchases (" +
                std::to_string(inputs.size()) + " input(s) x " + std::to_string(buyers.size()) +
                " buyer(s), share " + to_text(Value(share)) + ")");
    ctx.write(ctx.output_name(), matrix_to_long(domestic));
    ctx.write(ctx.output_name() + "_imports", matrix_to_long(imports));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::LocalContent)
