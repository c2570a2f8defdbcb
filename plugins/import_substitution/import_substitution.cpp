// import_substitution: a tariff or assembly agreement switches a share s of the imported final
// demand for named products i to domestic production: d'_ik = d_ik + s m_ik, m'_ik = (1 - s) m_ik
// for the final-demand columns k; the increase of domestic final demand Δf_i = s sum_k m_ik is the
// shock whose output effect is Δx = L Δf (Miller & Blair 2009, sec. 2.4).
#include <string>
#include <vector>

#include "klaster/sdk/io_table.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;
using Eigen::Index;

class ImportSubstitution final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "import_substitution";
    p.version = "1.0.0";
    p.kind = PluginKind::kMeasure;
    p.summary =
        "Switches a share of the imported final demand for named products to domestic production";
    p.description =
        "A tariff or an assembly agreement: for every product i in `products` and final-demand "
        "column k in `columns` (default: the `final_demand` columns), d'_ik = d_ik + share * m_ik "
        "in "
        "the domestic table and m'_ik = (1 - share) * m_ik in the import table; total final use of "
        "each product by each category is unchanged. The intermediate block is not touched (see "
        "local_content for inputs).\n"
        "Writes <output> (new domestic table), <output>_imports (new import table), both long "
        "(row, "
        "column, value) with every row and column of the inputs, and <output>_delta (sector, "
        "delta): "
        "Δf_i = share * sum_k m_ik, the increase of domestic final demand, which io_impact turns "
        "into "
        "output, employment and income effects. Aggregate rows and columns (CPA_TOTAL, P3, TFINU, "
        "TU) are updated when named in total_rows / total_columns.\n"
        "share outside [0, 1], products or columns not in the tables, and negative imports in a "
        "switched cell (e.g. an inventory decrease in P52: leave such columns out) are errors "
        "naming "
        "them.\n"
        "Reference: Miller & Blair (2009), Input-Output Analysis, 2nd ed., sec. 2.4 and ch. 2 "
        "(domestic and imported final demand); Eurostat Manual of Supply, Use and Input-Output "
        "Tables (2008), ch. 11.";
    p.params = io_table_params();
    const std::vector<ParamSpec> own = {
        ParamSpec("imports", ParamType::kTable)
            .req()
            .doc_(
                "import table with the same labels (layout = \"matrix\"), e.g. Croatia table 1900"),
        ParamSpec("products", ParamType::kStringList)
            .req()
            .doc_("products whose imported final demand is switched"),
        ParamSpec("share", ParamType::kFloat)
            .req()
            .doc_("share of that imported final demand produced domestically instead, in [0, 1]"),
        ParamSpec("columns", ParamType::kStringList)
            .doc_("final-demand columns affected (e.g. [\"P3_S14\", \"P51\"]); default: the "
                  "final_demand columns"),
        ParamSpec("total_rows", ParamType::kStringList)
            .doc_("aggregate rows (e.g. CPA_TOTAL) to update in both tables"),
        ParamSpec("total_columns", ParamType::kStringList)
            .doc_("aggregate columns (e.g. P3, TFINU, TU) to update in both tables"),
    };
    p.params.insert(p.params.end(), own.begin(), own.end());
    p.reads = {{"input", "row, column, value", "domestic-use IO table (e.g. Croatia 1800)"},
               {"imports", "row, column, value", "import-use IO table (e.g. Croatia 1900)"}};
    p.writes = {
        {"<output>", "row, column, value", "new domestic table"},
        {"<output>_imports", "row, column, value", "new import table"},
        {"<output>_delta", "sector, delta", "increase of domestic final demand per sector"}};
    return p;
  }

  static std::vector<std::string> columns(const Params& params) {
    std::vector<std::string> c = params.strings("columns");
    return c.empty() ? params.strings("final_demand") : c;
  }

  void bind(BindContext& ctx) const override {
    check_matrix_schema(ctx);
    check_matrix_schema(ctx, "imports");
    check_share(ctx.params().real("share"), "share");
    if (columns(ctx.params()).empty())
      throw ParamError("columns",
                       "name the final-demand columns to switch in 'columns' (or 'final_demand')");
    ctx.declare_output(ctx.output_name(), long_matrix_schema());
    ctx.declare_output(ctx.output_name() + "_imports", long_matrix_schema());
    ctx.declare_output(ctx.output_name() + "_delta", sector_schema({"delta"}));
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const IoSystem io = io_system(ctx);
    const std::string imports_name = "import table '" + params.str("imports") + "'";
    LabelledMatrix domestic = io.table();
    LabelledMatrix imports = matrix_from_long(ctx.table_of_param("imports"));
    const std::vector<std::size_t> products =
        io.sector_indices(params.strings("products"), "products");
    const double share = params.real("share");

    // Column positions in both tables, with one error listing every missing column.
    const std::vector<std::string> cols = columns(params);
    std::vector<std::pair<std::size_t, std::size_t>> col_pos;
    std::string missing;
    for (const auto& c : cols) {
      const auto dc = domestic.col_index(c), mc = imports.col_index(c);
      if (!dc)
        missing += (missing.empty() ? "" : "; ") + ("'" + c + "' is not in the domestic table");
      if (!mc) missing += (missing.empty() ? "" : "; ") + ("'" + c + "' is not in " + imports_name);
      if (dc && mc) col_pos.emplace_back(*dc, *mc);
    }
    if (!missing.empty()) throw ParamError("columns", "final-demand column " + missing);

    Eigen::VectorXd delta = Eigen::VectorXd::Zero(ix(io.size()));
    std::vector<double> moved_by_column(cols.size(), 0.0);
    for (auto i : products) {
      const std::string& row = io.sectors()[i];
      const auto dr = domestic.row_index(row), mr = imports.row_index(row);
      if (!mr) throw DataError(imports_name + " has no row '" + row + "'");
      for (std::size_t k = 0; k < cols.size(); ++k) {
        const double m = imports.values(ix(*mr), ix(col_pos[k].second));
        if (m < 0)
          throw DataError(imports_name + " has a negative value " + to_text(Value(m)) + " for '" +
                          row + "' in column '" + cols[k] +
                          "'; leave that column out of 'columns'");
        const double d = share * m;
        domestic.values(ix(*dr), ix(col_pos[k].first)) += d;
        imports.values(ix(*mr), ix(col_pos[k].second)) -= d;
        delta(ix(i)) += d;
        moved_by_column[k] += d;
      }
    }
    for (const auto& name : params.strings("total_columns")) {
      const auto dc = domestic.col_index(name), mc = imports.col_index(name);
      if (!dc && !mc)
        throw ParamError("total_columns", "column '" + name + "' is in neither table");
      for (auto i : products) {
        if (dc) domestic.values(ix(*domestic.row_index(io.sectors()[i])), ix(*dc)) += delta(ix(i));
        if (mc) imports.values(ix(*imports.row_index(io.sectors()[i])), ix(*mc)) -= delta(ix(i));
      }
    }
    for (const auto& name : params.strings("total_rows")) {
      const auto dr = domestic.row_index(name), mr = imports.row_index(name);
      if (!dr && !mr) throw ParamError("total_rows", "row '" + name + "' is in neither table");
      for (std::size_t k = 0; k < cols.size(); ++k) {
        if (dr) domestic.values(ix(*dr), ix(col_pos[k].first)) += moved_by_column[k];
        if (mr) imports.values(ix(*mr), ix(col_pos[k].second)) -= moved_by_column[k];
      }
    }
    ctx.log(LogLevel::kInfo, "switched " + to_text(Value(delta.sum())) +
                                 " of imported final demand to domestic "
                                 "production (" +
                                 std::to_string(products.size()) + " product(s), share " +
                                 to_text(Value(share)) + ")");
    ctx.write(ctx.output_name(), matrix_to_long(domestic));
    ctx.write(ctx.output_name() + "_imports", matrix_to_long(imports));
    ctx.write(ctx.output_name() + "_delta", sector_table(io.sectors(), {{"delta", delta}}));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::ImportSubstitution)
