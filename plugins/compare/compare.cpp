// compare: baseline against scenario, row by row on key columns: change = s - b,
// relative_change = (s - b) / b.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compare_kernel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::compare {
namespace {

using namespace klaster::sdk;

const std::vector<std::string> kResultColumns = {"baseline", "scenario", "change",
                                                 "relative_change"};

/// \brief The key columns: the `keys` parameter, or every string and int column that both tables
/// have (in the baseline's order), the value column excepted.
std::vector<std::string> key_names(const Params& params, const Schema& base, const Schema& scen) {
  std::vector<std::string> keys = params.strings("keys");
  if (!keys.empty()) return keys;
  for (const auto& [name, type] : base.columns)
    if (type != ColumnType::kFloat && name != params.str("value") && scen.has(name))
      keys.push_back(name);
  return keys;
}

std::vector<ParamSpec> compare_params() {
  return {
      ParamSpec("baseline", ParamType::kTable).req().doc_("the reference table"),
      ParamSpec("scenario", ParamType::kTable)
          .req()
          .doc_("the table to compare with it (e.g. written by a measure)"),
      ParamSpec("value", ParamType::kColumn)
          .numeric()
          .of("baseline")
          .def("value")
          .doc_("numeric column to compare; must be in both tables (e.g. \"lq\" to compare LQ "
                "results)"),
      ParamSpec("keys", ParamType::kColumnList)
          .of("baseline")
          .doc_("key columns to join on; default: every string and int column both tables have, "
                "except `value`"),
      ParamSpec("unmatched", ParamType::kString)
          .def("error")
          .one_of({"error", "keep"})
          .doc_("a key in only one table: an error, or kept with the other side missing"),
  };
}

std::vector<TableSpec> tables_read() {
  return {TableSpec::read("baseline", "reference results, one row per key")
              .column(ColumnSpec::of("keys"))
              .column(ColumnSpec::of("value", "b")),
          TableSpec::read("scenario",
                          "results to compare, with the baseline's keys and value "
                          "column")
              .column(ColumnSpec::of("keys"))
              .column(ColumnSpec::of("value", "s"))};
}

TableSpec table_written() {
  return TableSpec::write("<output>",
                          "one row per key: the baseline's rows in order, then (unmatched = "
                          "\"keep\") the scenario-only rows")
      .column(ColumnSpec::of("keys",
                             "the key columns; by default every string and int column "
                             "both tables have, except value"))
      .column(
          ColumnSpec::floats("baseline", "b; missing where the baseline lacks the key or its value")
              .in("<value>"))
      .column(
          ColumnSpec::floats("scenario", "s; missing where the scenario lacks the key or its value")
              .in("<value>"))
      .column(ColumnSpec::floats("change", "s - b; missing where b or s is").in("<value>"))
      .column(
          ColumnSpec::floats("relative_change", "(s - b) / b; missing where b or s is, or b = 0")
              .in("ratio"));
}

/// \brief The key of each row of both tables as a dense number (below the number of distinct
/// keys, `count`): equal key cells give equal numbers across the two tables (their string columns
/// may use different dictionaries).
struct KeyIds {
  std::vector<std::uint64_t> base, scen;
  std::uint64_t count = 1;
};

/// \brief Dense ids of one key column's values, shared by both tables.
class ValueIds {
 public:
  std::vector<std::uint64_t> of(const Column& c) {
    std::vector<std::uint64_t> ids(c.size());
    if (c.type != ColumnType::kString) {
      for (std::size_t r = 0; r < ids.size(); ++r)
        ids[r] = ints_.try_emplace(c.ints[r], count()).first->second;
      return ids;
    }
    std::vector<std::int64_t> code_ids(c.dict->size(), -1);  // each string hashed once
    for (std::size_t r = 0; r < ids.size(); ++r) {
      auto& id = code_ids[static_cast<std::size_t>(c.codes[r])];
      if (id < 0)
        id = static_cast<std::int64_t>(strings_.try_emplace(c.str(r), count()).first->second);
      ids[r] = static_cast<std::uint64_t>(id);
    }
    return ids;
  }
  std::uint64_t count() const { return ints_.size() + strings_.size(); }

 private:
  std::unordered_map<std::int64_t, std::uint64_t> ints_;
  std::unordered_map<std::string_view, std::uint64_t> strings_;  // views into the dictionaries
};

/// \brief Numbers the pairs (key so far, value id) densely, in a table when the pairs are few
/// enough and in a hash map otherwise, so keys stay dense whatever the number of key columns.
class KeyPairs {
 public:
  KeyPairs(std::uint64_t keys, std::uint64_t values, std::size_t rows)
      : values_(values), dense_(keys * values <= std::max<std::uint64_t>(1u << 20, 4 * rows)) {
    if (dense_) table_.assign(keys * values, kNone);
  }
  void extend(std::vector<std::uint64_t>& ids, const std::vector<std::uint64_t>& values) {
    for (std::size_t r = 0; r < ids.size(); ++r) ids[r] = id(ids[r] * values_ + values[r]);
  }
  std::uint64_t count() const { return count_; }

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  std::uint64_t id(std::uint64_t pair) {
    if (!dense_) {
      const auto [it, fresh] = hashed_.try_emplace(pair, count_);
      if (fresh) ++count_;
      return it->second;
    }
    std::uint64_t& slot = table_[pair];
    if (slot == kNone) slot = count_++;
    return slot;
  }
  std::uint64_t values_;
  bool dense_;
  std::vector<std::uint64_t> table_;
  std::unordered_map<std::uint64_t, std::uint64_t> hashed_;
  std::uint64_t count_ = 0;
};

/// \brief "region 'KST', year 2025": how messages name a row by its keys.
std::string key_text(const Table& t, std::size_t row, const std::vector<std::string>& keys) {
  std::string text;
  for (const auto& name : keys) {
    const Column& c = t.column(name);
    if (!text.empty()) text += ", ";
    text += c.type == ColumnType::kString ? name + " '" + c.to_text(row) + "'"
                                          : name + " " + c.to_text(row);
  }
  return text;
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Сравнивает столбец значений таблицы сценария с базовой таблицей построчно по "
       "ключевым столбцам"},
      {p.description,
       "Соединяет `baseline` и `scenario` по ключевым столбцам и записывает для каждого "
       "ключа baseline = b, scenario = s, change = s - b и relative_change = (s - b) / "
       "b.\n"
       "keys: ключевые столбцы; по умолчанию все строковые и целочисленные столбцы, "
       "общие для обеих таблиц, кроме столбца значений (поэтому целочисленный столбец "
       "результата, например `n` или `present`, считается ключом, если `keys` не задан)."
       " Типы ключей в таблицах должны совпадать; каждый ключ встречается в таблице не "
       "более одного раза.\n"
       "relative_change пропущено там, где b = 0 (не определено), а все результаты "
       "пропущены там, где пропущено b или s.\n"
       "unmatched = \"error\" (по умолчанию): ключ, который есть только в одной таблице, —"
       " ошибка с его названием; \"keep\": такие строки записываются с пропущенной другой "
       "стороной (а значит, и с пропущенными change и relative_change).\n"
       "Строки идут в порядке базовой таблицы, затем строки только из сценария — в "
       "порядке сценария."},
      {"Baseline and scenario: the largest changes",
       "Базовый вариант и сценарий: наибольшие изменения"},
      {"Relative change by region", "Относительное изменение по регионам"},
  };
}

class Compare final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "compare";
    p.version = "1.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary =
        "Compares a value column of a scenario table with a baseline table, row by row on key "
        "columns";
    p.description =
        "Joins `baseline` and `scenario` on the key columns and writes, per key, baseline = b, "
        "scenario = s, change = s - b and relative_change = (s - b) / b.\n"
        "keys: the key columns; by default every string and int column that both tables have, "
        "except the value column (so an int result column such as `n` or `present` is a key unless "
        "`keys` is given). Key types must agree between the tables; each key must occur at most "
        "once "
        "per table.\n"
        "relative_change is missing where b = 0 (undefined), and every result is missing where b "
        "or "
        "s is missing.\n"
        "unmatched = \"error\" (default): a key in only one table is an error naming it; \"keep\": "
        "such rows are written with the other side missing (and so change and relative_change "
        "missing).\n"
        "Rows come in the baseline's order, then scenario-only rows in the scenario's order.";
    p.params = compare_params();
    p.reads = tables_read();
    p.writes = {table_written()};
    // "*": one value of every other key column at a time (the keys vary with the tables compared).
    p.views = {
        ViewSpec::of(ViewKind::kCompare, "<output>", "Baseline and scenario: the largest changes")
            .values("baseline", "scenario")
            .picks({"*"}),
        ViewSpec::of(ViewKind::kMap, "<output>", "Relative change by region")
            .values("relative_change")
            .picks({"*"}),
    };
    p.translations["ru"] = russian(p);
    return p;
  }

  /// The scenario's value and the keys of both tables: rules between two tables that the specs
  /// cannot state.
  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& base = ctx.schema_of_param("baseline");
    const Schema& scen = ctx.schema_of_param("scenario");
    check_scenario_value(params, scen);
    const std::vector<std::string> keys = key_names(params, base, scen);
    if (keys.empty())
      throw ParamError("keys", "tables '" + params.str("baseline") + "' and '" +
                                   params.str("scenario") +
                                   "' have no string or int column in common to join on; name "
                                   "them in 'keys'");
    for (const auto& k : keys) check_key(params, base, scen, k);
    if (params.strings("keys").empty()) declare_default_keys(ctx, base, keys);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& base = ctx.table_of_param("baseline");
    const Table& scen = ctx.table_of_param("scenario");
    const std::vector<std::string> keys = key_names(params, base.schema(), scen.schema());
    check_keys_present(base, params.str("baseline"), keys);
    check_keys_present(scen, params.str("scenario"), keys);
    const KeyIds ids = key_ids(base, scen, keys);
    const auto base_at = rows_by_key(base, params.str("baseline"), keys, ids.base, ids.count);
    const auto scen_at = rows_by_key(scen, params.str("scenario"), keys, ids.scen, ids.count);
    const std::vector<RowPair> pairs = join_rows(ids.base, ids.scen, base_at, scen_at);
    report_unmatched(ctx, pairs, base, scen, keys);
    write_output(ctx, keys, base, scen, pairs);
  }

 private:
  /// The SDK checks the baseline's value column (numeric()); the scenario's is checked here.
  static void check_scenario_value(const Params& params, const Schema& scen) {
    const std::string& value = params.str("value");
    const std::string& scen_name = params.str("scenario");
    if (!scen.has(value))
      throw ParamError("value", "column '" + value +
                                    "' (parameter 'value') is not in scenario table '" + scen_name +
                                    "'");
    if (*scen.type_of(value) == ColumnType::kString)
      throw ParamError("value", "column '" + value + "' (parameter 'value') of table '" +
                                    scen_name + "' holds text; it must hold numbers");
  }

  /// A key must be in both tables, with one string or int type, and not be a result column.
  static void check_key(const Params& params, const Schema& base, const Schema& scen,
                        const std::string& k) {
    const std::string& scen_name = params.str("scenario");
    if (!scen.has(k))
      throw ParamError("keys",
                       "key column '" + k + "' is not in scenario table '" + scen_name + "'");
    const ColumnType bt = *base.type_of(k), st = *scen.type_of(k);
    if (bt == ColumnType::kFloat)
      throw ParamError("keys",
                       "key column '" + k + "' is a float column; keys must be string or int");
    if (bt != st)
      throw ParamError("keys", "key column '" + k + "' is " + to_string(bt) + " in '" +
                                   params.str("baseline") + "' but " + to_string(st) + " in '" +
                                   scen_name + "'");
    if (k == params.str("value"))
      throw ParamError("keys", "column '" + k + "' cannot be both a key and the value");
    for (const auto& r : kResultColumns)
      if (k == r)
        throw ParamError("keys",
                         "key column '" + k + "' clashes with the output column of the same name");
  }

  /// Without `keys`, the key columns are those both tables share: no ColumnSpec can name
  /// columns found by comparing two schemas, so they are put before the derived result columns
  /// here.
  static void declare_default_keys(BindContext& ctx, const Schema& base,
                                   const std::vector<std::string>& keys) {
    Schema out;
    for (const auto& k : keys) out.add(k, *base.type_of(k));
    for (const auto& [name, type] : ctx.outputs().front().second.columns) out.add(name, type);
    ctx.declare_output(ctx.output_name(), std::move(out));
  }

  /// A missing key cell is an error naming the row.
  static void check_keys_present(const Table& t, const std::string& table_name,
                                 const std::vector<std::string>& keys) {
    for (const auto& name : keys) {
      const Column& c = t.column(name);
      for (std::size_t r = 0; r < t.rows(); ++r)
        if (!c.is_valid(r))
          throw DataError(t.row_name(r) + " of table '" + table_name +
                          "' has a missing key in column '" + name + "'");
    }
  }

  static KeyIds key_ids(const Table& base, const Table& scen,
                        const std::vector<std::string>& keys) {
    KeyIds ids{std::vector<std::uint64_t>(base.rows(), 0),
               std::vector<std::uint64_t>(scen.rows(), 0)};
    for (const auto& name : keys) {
      ValueIds values;
      const std::vector<std::uint64_t> vb = values.of(base.column(name));
      const std::vector<std::uint64_t> vs = values.of(scen.column(name));
      KeyPairs pairs(ids.count, values.count(), base.rows() + scen.rows());
      pairs.extend(ids.base, vb);
      pairs.extend(ids.scen, vs);
      ids.count = pairs.count();
    }
    return ids;
  }

  /// Each key's row (kNoRow where the table lacks the key); a key on two rows is an error
  /// naming both.
  static std::vector<std::size_t> rows_by_key(const Table& t, const std::string& table_name,
                                              const std::vector<std::string>& keys,
                                              const std::vector<std::uint64_t>& ids,
                                              std::uint64_t count) {
    std::vector<std::size_t> at(count, kNoRow);
    for (std::size_t r = 0; r < ids.size(); ++r) {
      std::size_t& first = at[ids[r]];
      if (first != kNoRow)
        throw DataError("table '" + table_name + "' has several rows for " + key_text(t, r, keys) +
                        t.lines_note(first, r) + "; the keys must identify one row");
      first = r;
    }
    return at;
  }

  /// Keys in only one table: an error naming the first three unless unmatched = "keep".
  static void report_unmatched(const RunContext& ctx, const std::vector<RowPair>& pairs,
                               const Table& base, const Table& scen,
                               const std::vector<std::string>& keys) {
    const std::string& base_name = ctx.params().str("baseline");
    const std::string& scen_name = ctx.params().str("scenario");
    std::vector<std::string> named;
    std::size_t count = 0;
    for (const RowPair& p : pairs) {
      if (p.baseline != kNoRow && p.scenario != kNoRow) continue;
      if (++count > 3) continue;
      named.push_back(p.scenario == kNoRow
                          ? key_text(base, p.baseline, keys) + " is in baseline '" + base_name +
                                "' but not in scenario '" + scen_name + "'"
                          : key_text(scen, p.scenario, keys) + " is in scenario '" + scen_name +
                                "' but not in baseline '" + base_name + "'");
    }
    if (count == 0) return;
    if (ctx.params().str("unmatched") == "keep") {
      ctx.log(LogLevel::kInfo, std::to_string(count) + " row(s) are in only one table");
      return;
    }
    std::string msg;
    for (const auto& u : named) msg += (msg.empty() ? "" : "; ") + u;
    if (count > named.size()) msg += "; and " + std::to_string(count - named.size()) + " more";
    throw DataError(msg + " (set unmatched = \"keep\" to keep such rows)");
  }

  /// Key column `name` of the output rows, from the baseline or, for scenario-only rows, the
  /// scenario.
  static Column key_column(const std::string& name, const Column& bc, const Column& sc,
                           const std::vector<RowPair>& pairs) {
    if (bc.type == ColumnType::kString) {
      // The baseline's dictionary, copied only when scenario-only rows add strings to it.
      bool scenario_only = false;
      for (const RowPair& p : pairs) scenario_only |= p.baseline == kNoRow;
      auto dict = scenario_only ? std::make_shared<Dictionary>(*bc.dict) : bc.dict;
      std::vector<std::int32_t> codes;
      codes.reserve(pairs.size());
      for (const RowPair& p : pairs)
        codes.push_back(p.baseline != kNoRow ? bc.codes[p.baseline]
                                             : dict->intern(sc.str(p.scenario)));
      return Column::make_strings(name, std::move(dict), std::move(codes));
    }
    std::vector<std::int64_t> v;
    v.reserve(pairs.size());
    for (const RowPair& p : pairs)
      v.push_back(p.baseline != kNoRow ? bc.ints[p.baseline] : sc.ints[p.scenario]);
    return Column::make_ints(name, std::move(v));
  }

  /// The value of `column` at `row`, nullopt for no row or a missing value.
  static std::optional<double> value(const Column& column, std::size_t row) {
    if (row == kNoRow || !column.is_valid(row)) return std::nullopt;
    return column.number(row);
  }

  /// A float column of `values`, missing where nullopt.
  static void set_optional(OutputTable& out, std::string_view name,
                           const std::vector<std::optional<double>>& values) {
    std::vector<double> v(values.size(), 0);
    std::vector<std::uint8_t> ok(values.size(), 0);
    for (std::size_t k = 0; k < values.size(); ++k)
      if (values[k]) v[k] = *values[k], ok[k] = 1;
    out.set(name, std::move(v), std::move(ok));
  }

  static void write_output(RunContext& ctx, const std::vector<std::string>& keys, const Table& base,
                           const Table& scen, const std::vector<RowPair>& pairs) {
    OutputTable out = ctx.output();
    for (const auto& name : keys)
      out.set(key_column(name, base.column(name), scen.column(name), pairs));
    const Column& bv = base.column(ctx.params().str("value"));
    const Column& sv = scen.column(ctx.params().str("value"));
    std::vector<std::optional<double>> b, s, change, relative;
    for (const RowPair& p : pairs) {
      b.push_back(value(bv, p.baseline));
      s.push_back(value(sv, p.scenario));
      const Comparison c = compare::compare(b.back(), s.back());
      change.push_back(c.change);
      relative.push_back(c.relative_change);
    }
    set_optional(out, "baseline", b);
    set_optional(out, "scenario", s);
    set_optional(out, "change", change);
    set_optional(out, "relative_change", relative);
    ctx.write(std::move(out));
  }
};

}  // namespace

std::vector<RowPair> join_rows(const std::vector<std::uint64_t>& baseline_keys,
                               const std::vector<std::uint64_t>& scenario_keys,
                               const std::vector<std::size_t>& baseline_at,
                               const std::vector<std::size_t>& scenario_at) {
  std::vector<RowPair> pairs;
  pairs.reserve(baseline_keys.size());
  for (std::size_t r = 0; r < baseline_keys.size(); ++r)
    pairs.push_back({r, scenario_at[baseline_keys[r]]});
  for (std::size_t r = 0; r < scenario_keys.size(); ++r)
    if (baseline_at[scenario_keys[r]] == kNoRow) pairs.push_back({kNoRow, r});
  return pairs;
}

Comparison compare(std::optional<double> baseline, std::optional<double> scenario) {
  Comparison c;
  if (!baseline || !scenario) return c;
  c.change = *scenario - *baseline;
  if (*baseline != 0) c.relative_change = *c.change / *baseline;
  return c;
}

}  // namespace klaster::plugins::compare

KLASTER_PLUGIN(klaster::plugins::compare::Compare)
