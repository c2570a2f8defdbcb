// sector_incentive: the direct effect of a targeted state incentive, x'_rit = factor * x_rit for
// the chosen regions r, industries i and years t; every other cell unchanged. A first-round
// (direct) effect only: no multiplier or displacement, which the IO plugins add.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/keys.hpp"
#include "klaster/sdk/plugin.hpp"
#include "sector_incentive_kernel.hpp"

namespace klaster::plugins::sector_incentive {
namespace {

using namespace klaster::sdk;

std::string description() {
  return "The direct effect of a targeted state incentive (subsidy, tax relief, special economic "
         "zone): x' = factor * x for every row whose region is in `regions`, industry in "
         "`industries` and year in `years`; every other row is copied unchanged. An absent or "
         "empty list selects all values of that key. The output has the same columns and rows as "
         "the input, in the same order (all columns are copied, not only the keys).\n"
         "factor = 1.15 is +15 %. Only the first-round effect is modelled: no multiplier, "
         "displacement or crowding-out (the input-output plugins add those).\n"
         "A name in `regions`, `industries` or `years` that does not occur in the table is an "
         "error naming it. Missing values stay missing and are not counted as changed. An int "
         "value column is rounded to the nearest integer after scaling. The number of changed "
         "rows is logged.\n"
         "Note: the step's `where` filter shrinks the table the measure writes; select the cells "
         "with `regions`, `industries` and `years` instead to keep the whole table.";
}

std::vector<ParamSpec> param_specs() {
  std::vector<ParamSpec> params = {
      ParamSpec("input", ParamType::kTable)
          .req()
          .primary()
          .doc_("long table with region, industry, [year], value and any other columns"),
      ParamSpec("value", ParamType::kColumn)
          .numeric()
          .of("input")
          .def("value")
          .doc_("numeric column to scale"),
  };
  for (ParamSpec& key : cube_key_params()) params.push_back(std::move(key));
  params.insert(
      params.end(),
      {
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
      });
  return params;
}

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

/// \brief How one key column is selected: by list parameter `list` (its names `kind`/`kinds` in
/// messages); ParamError naming every name that does not occur in the column.
KeySelection key_selection(const Column& column, const std::vector<std::string>& names,
                           const std::string& list, const std::string& kind,
                           const std::string& kinds, const std::string& table) {
  Levels levels = levels_of(column);
  std::vector<std::string> unknown;
  std::vector<std::uint8_t> chosen = select_levels(levels, names, unknown);
  if (!unknown.empty()) throw_unknown(list, kind, kinds, unknown, levels, column.name, table);
  return {std::move(levels.of_row), std::move(chosen)};
}

/// \brief The rows the incentive applies to: chosen region, industry and (with a year column)
/// year.
std::vector<std::uint8_t> rows_to_scale(const Params& params, const Table& in) {
  const std::string& table = params.str("input");
  std::vector<KeySelection> keys;
  keys.push_back(key_selection(in.column(params.str("region")), params.strings("regions"),
                               "regions", "region", "regions", table));
  keys.push_back(key_selection(in.column(params.str("industry")), params.strings("industries"),
                               "industries", "industry", "industries", table));
  if (const Column* year = in.find(params.str("year"))) {
    std::vector<std::string> names;
    for (auto y : params.ints("years")) names.push_back(std::to_string(y));
    keys.push_back(key_selection(*year, names, "years", "year", "years", table));
  }
  return selected_rows(keys, in.rows());
}

/// \brief The DataError for a value whose product with the factor leaves its type's range.
[[noreturn]] void throw_out_of_range(const Column& c, double factor, const Table& in,
                                     std::size_t row) {
  const std::string at = in.locate(row);
  throw DataError((at.empty() ? "" : at + ": ") + "value " + c.to_text(row) + " x factor " +
                  format_number(factor) + " is out of the range of " +
                  (c.type == ColumnType::kInt ? "a 64-bit integer" : "a double") + " at " +
                  in.keys_text(row));
}

/// \brief The value column with its selected, present values scaled; `changed` counts them.
Column scaled_column(const Column& value, const std::vector<std::uint8_t>& rows, double factor,
                     const Table& in, std::size_t& changed) {
  Column c = value;
  for (std::size_t row = 0; row < in.rows(); ++row) {
    if (!rows[row] || !c.is_valid(row)) continue;
    if (c.type == ColumnType::kFloat) {
      const auto v = scaled(c.floats[row], factor);
      if (!v) throw_out_of_range(c, factor, in, row);
      c.floats[row] = *v;
    } else {
      const auto v = scaled(c.ints[row], factor);
      if (!v) throw_out_of_range(c, factor, in, row);
      c.ints[row] = *v;
    }
    ++changed;
  }
  return c;
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Умножает значение выбранных отраслей в выбранных регионах и годах на коэффициент"
       " (адресная мера поддержки)"},
      {p.description,
       "Прямой эффект адресной государственной поддержки (субсидия, налоговая льгота, "
       "специальная экономическая зона): x' = factor * x для каждой строки, регион "
       "которой входит в `regions`, отрасль — в `industries`, а год — в `years`; "
       "остальные строки копируются без изменений. Отсутствующий или пустой список "
       "выбирает все значения этого ключа. У результата те же столбцы и строки, что у "
       "входной таблицы, в том же порядке (копируются все столбцы, а не только ключи).\n"
       "factor = 1.15 — это +15 %. Моделируется только эффект первого круга: без "
       "мультипликатора, замещения и вытеснения (их добавляют модули «затраты — "
       "выпуск»).\n"
       "Название в `regions`, `industries` или `years`, которого нет в таблице, — ошибка"
       " с этим названием. Пропущенные значения остаются пропущенными и не считаются "
       "изменёнными. Целочисленный столбец значений после умножения округляется до "
       "ближайшего целого. Число изменённых строк пишется в журнал.\n"
       "Примечание: фильтр `where` шага сокращает таблицу, которую записывает мера; "
       "чтобы сохранить всю таблицу, выбирайте ячейки через `regions`, `industries` и "
       "`years`."},
  };
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
    p.description = description();
    p.params = param_specs();
    p.reads = {TableSpec::read("input", "activity by region and industry; other columns are copied")
                   .column(ColumnSpec::of("region"))
                   .column(ColumnSpec::of("industry"))
                   .column(ColumnSpec::of("year"))
                   .column(ColumnSpec::of("value"))};
    p.writes = {TableSpec::write("<output>", "input with the selected values scaled by factor")
                    .column(ColumnSpec::of("input",
                                           "every column, row and order of input; <value> = "
                                           "factor * value in the selected rows, ints rounded"))};
    p.translations["ru"] = russian(p);
    return p;
  }

  /// Rules across parameters that the declarations cannot state: keys are strings or ints, and
  /// `years` needs the year column.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    for (const char* key : {"region", "industry", "year"}) ctx.check_key_column("input", key);
    if (!params.ints("years").empty() && !in.has(params.str("year")))
      throw ParamError("years", "'years' is given but table '" + params.str("input") +
                                    "' has no column '" + params.str("year") + "'");
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const std::vector<std::uint8_t> rows = rows_to_scale(params, in);
    std::size_t changed = 0;
    // Every column but the value is the input's own, shared rather than copied.
    OutputTable out = ctx.output();
    for (const ColumnPtr& c : in.column_ptrs())
      if (c->name == params.str("value"))
        out.set(scaled_column(*c, rows, params.real("factor"), in, changed));
      else
        out.set(c);
    ctx.log(changed ? LogLevel::kInfo : LogLevel::kWarn,
            "changed " + std::to_string(changed) + " of " + std::to_string(in.rows()) +
                " rows of '" + params.str("value") + "' in table '" + params.str("input") +
                "' (x " + to_text(Value(params.real("factor"))) + ")");
    ctx.write(std::move(out));
  }
};

}  // namespace

std::vector<std::uint8_t> selected_rows(const std::vector<KeySelection>& keys, std::size_t rows) {
  std::vector<std::uint8_t> out(rows, 1);
  for (const KeySelection& key : keys)
    for (std::size_t row = 0; row < rows; ++row) {
      const std::int32_t l = key.level_of_row[row];
      if (l < 0 || !key.chosen[static_cast<std::size_t>(l)]) out[row] = 0;
    }
  return out;
}

std::optional<double> scaled(double value, double factor) {
  const double v = value * factor;
  if (std::fabs(v) <= std::numeric_limits<double>::max()) return v;
  return std::nullopt;
}

std::optional<std::int64_t> scaled(std::int64_t value, double factor) {
  const double v = static_cast<double>(value) * factor;
  if (std::fabs(v) <= 9.2e18) return std::llround(v);  // 9.2e18 < 2^63 - 1 = 9.22e18
  return std::nullopt;
}

}  // namespace klaster::plugins::sector_incentive

KLASTER_PLUGIN(klaster::plugins::sector_incentive::SectorIncentive)
