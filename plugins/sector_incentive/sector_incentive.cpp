// sector_incentive: the direct effect of a targeted state incentive, x'_rit = factor * x_rit for
// the chosen regions r, industries i and years t; every other cell unchanged. A first-round
// (direct) effect only: no multiplier or displacement, which the IO plugins add.
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

/// \brief Which levels of a key column are selected: all when `names` is empty, else the named
/// ones. Names that are not levels of the column are collected into `unknown`.
std::vector<std::uint8_t> select_levels(const Levels& levels, const std::vector<std::string>& names,
                                        std::vector<std::string>& unknown) {
  std::vector<std::uint8_t> chosen(levels.size(), names.empty() ? 1 : 0);
  for (const auto& n : names) {
    const std::int32_t l = levels.find(n);
    if (l < 0)
      unknown.push_back(n);
    else
      chosen[static_cast<std::size_t>(l)] = 1;
  }
  return chosen;
}

/// \brief "regions 'X', 'Y' named in 'regions' do not occur in column 'region' of table 't'
/// (did you mean 'Z'?); it has: A, B": one message for every unknown name of one parameter.
[[noreturn]] void throw_unknown(const std::string& param, const std::string& kind,
                                const std::string& kinds, const std::vector<std::string>& unknown,
                                const Levels& levels, const std::string& column,
                                const std::string& table) {
  std::string names, hints;
  for (const auto& u : unknown) {
    names += (names.empty() ? "'" : ", '") + u + "'";
    if (auto near = nearest(u, levels.labels); !near.empty())
      hints += (hints.empty() ? "" : ", ") + ("'" + near + "' for '" + u + "'");
  }
  std::string list;
  for (const auto& l : levels.labels) list += (list.empty() ? "" : ", ") + l;
  std::string msg = (unknown.size() > 1 ? kinds : kind) + " " + names + " named in '" + param +
                    "' " + (unknown.size() > 1 ? "do" : "does") + " not occur in column '" +
                    column + "' of table '" + table + "'";
  if (!hints.empty()) msg += " (did you mean " + hints + "?)";
  msg += "; it has: " + list;
  throw ParamError(param, msg);
}

/// \brief factor * value of row `row` of column `c`; a DataError naming the row when the product
/// leaves the range of a double (1e200 x 1e200) or, for an int column, of a 64-bit integer.
double scaled(const Column& c, double factor, const Table& in, std::size_t row) {
  const double v = c.number(row) * factor;
  const double limit = c.type == ColumnType::kInt ? 9.2e18 : std::numeric_limits<double>::max();
  if (std::fabs(v) <= limit) return v;
  const std::string at = in.locate(row);
  throw DataError((at.empty() ? "" : at + ": ") + "value " + c.to_text(row) + " x factor " +
                  format_number(factor) + " is out of the range of " +
                  (c.type == ColumnType::kInt ? "a 64-bit integer" : "a double") + " at " +
                  in.keys_text(row));
}

class SectorIncentive final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "sector_incentive";
    p.version = "1.0.0";
    p.kind = PluginKind::kMeasure;
    p.summary =
        "Scales the value of chosen industries in chosen regions and years by a factor (a targeted "
        "incentive)";
    p.description =
        "The direct effect of a targeted state incentive (subsidy, tax relief, special economic "
        "zone): x' = factor * x for every row whose region is in `regions`, industry in "
        "`industries` and year in `years`; every other row is copied unchanged. An absent or empty "
        "list selects all values of that key. The output has the same columns and rows as the "
        "input, in the same order (all columns are copied, not only the keys).\n"
        "factor = 1.15 is +15 %. Only the first-round effect is modelled: no multiplier, "
        "displacement or crowding-out (the input-output plugins add those).\n"
        "A name in `regions`, `industries` or `years` that does not occur in the table is an "
        "error naming it. Missing values stay missing and are not counted as changed. An int "
        "value column is rounded to the nearest integer after scaling. The number of changed rows "
        "is logged.\n"
        "Note: the step's `where` filter shrinks the table the measure writes; select the cells "
        "with `regions`, `industries` and `years` instead to keep the whole table.";
    p.params = {
        ParamSpec("input", ParamType::kTable)
            .req()
            .primary()
            .doc_("long table with region, industry, [year], value and any other columns"),
        ParamSpec("value", ParamType::kColumn)
            .numeric()
            .of("input")
            .def("value")
            .doc_("numeric column to scale"),
        ParamSpec("region", ParamType::kColumn).of("input").def("region").doc_("region key column"),
        ParamSpec("industry", ParamType::kColumn)
            .of("input")
            .def("industry")
            .doc_("industry key column"),
        ParamSpec("year", ParamType::kColumn)
            .of("input")
            .def("year")
            .if_present()
            .doc_("year key column; used when the table has it"),
        ParamSpec("regions", ParamType::kStringList)
            .doc_("regions to which the incentive applies; absent or empty = all"),
        ParamSpec("industries", ParamType::kStringList)
            .doc_("industries to which the incentive applies; absent or empty = all"),
        ParamSpec("years", ParamType::kIntList)
            .doc_("years in which the incentive applies; absent or empty = all (needs a year "
                  "column when given)"),
        ParamSpec("factor", ParamType::kFloat)
            .req()
            .above(0)
            .doc_("multiplier of the value, > 0 (1.15 = +15 %)"),
    };
    p.reads = {
        {"input", "region, industry, [year], value, ...", "activity by region and industry"}};
    p.writes = {
        {"<output>", "the columns of input", "input with the selected values scaled by factor"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    for (const char* key : {"region", "industry", "year"})
      if (in.has(params.str(key)) && *in.type_of(params.str(key)) == ColumnType::kFloat)
        throw ParamError(key,
                         "column '" + params.str(key) + "' is a float column and cannot be a key");
    if (!params.ints("years").empty() && !in.has(params.str("year")))
      throw ParamError("years", "'years' is given but table '" + params.str("input") +
                                    "' has no column '" + params.str("year") + "'");
    ctx.declare_output(ctx.output_name(), in);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const std::string& table_name = params.str("input");
    const std::string& value_name = params.str("value");
    const double factor = params.real("factor");

    const Column& region = in.column(params.str("region"));
    const Column& industry = in.column(params.str("industry"));
    const Column* year = in.find(params.str("year"));
    const Levels region_levels = levels_of(region);
    const Levels industry_levels = levels_of(industry);

    std::vector<std::string> unknown;
    const auto region_chosen = select_levels(region_levels, params.strings("regions"), unknown);
    if (!unknown.empty())
      throw_unknown("regions", "region", "regions", unknown, region_levels, region.name,
                    table_name);
    const auto industry_chosen =
        select_levels(industry_levels, params.strings("industries"), unknown);
    if (!unknown.empty())
      throw_unknown("industries", "industry", "industries", unknown, industry_levels, industry.name,
                    table_name);
    Levels year_levels;
    std::vector<std::uint8_t> year_chosen;
    if (year) {
      year_levels = levels_of(*year);
      std::vector<std::string> names;
      for (auto y : params.ints("years")) names.push_back(std::to_string(y));
      year_chosen = select_levels(year_levels, names, unknown);
      if (!unknown.empty())
        throw_unknown("years", "year", "years", unknown, year_levels, year->name, table_name);
    }

    auto chosen = [](const std::vector<std::uint8_t>& sel, const Levels& levels, std::size_t row) {
      const std::int32_t l = levels.of_row[row];
      return l >= 0 && sel[static_cast<std::size_t>(l)] != 0;
    };

    // Every column but the value is shared with the input table, not copied.
    std::vector<ColumnPtr> cols = in.column_ptrs();
    std::size_t changed = 0;
    for (ColumnPtr& ptr : cols) {
      if (ptr->name != value_name) continue;
      Column c = *ptr;
      for (std::size_t row = 0; row < in.rows(); ++row) {
        if (!c.is_valid(row) || !chosen(region_chosen, region_levels, row) ||
            !chosen(industry_chosen, industry_levels, row) ||
            (year && !chosen(year_chosen, year_levels, row)))
          continue;
        const double v = scaled(c, factor, in, row);
        if (c.type == ColumnType::kFloat)
          c.floats[row] = v;
        else
          c.ints[row] = std::llround(v);
        ++changed;
      }
      ptr = std::make_shared<const Column>(std::move(c));
    }
    ctx.log(changed ? LogLevel::kInfo : LogLevel::kWarn,
            "changed " + std::to_string(changed) + " of " + std::to_string(in.rows()) +
                " rows of '" + value_name + "' in table '" + table_name + "' (x " +
                to_text(Value(factor)) + ")");
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::SectorIncentive)
