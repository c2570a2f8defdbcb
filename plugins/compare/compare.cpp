// compare: baseline against scenario, row by row on key columns: change = s - b,
// relative_change = (s - b) / b.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
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

/// \brief One row's key as text, for hashing and messages.
struct RowKey {
  std::string joined;  // cells joined by '\x1f'
  std::string text;    // "region 'KST', year 2025"
};

class Compare final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "compare";
    p.version = "1.0.0";
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
    p.params = {
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
    p.reads = {{"baseline", "keys..., value", "reference results"},
               {"scenario", "keys..., value", "scenario results with the same keys"}};
    p.writes = {
        {"<output>", "keys..., baseline, scenario, change, relative_change", "one row per key"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& base = ctx.schema_of_param("baseline");
    const Schema& scen = ctx.schema_of_param("scenario");
    const std::string& value = params.str("value");
    const std::string& scen_name = params.str("scenario");
    if (!scen.has(value))
      throw ParamError("value", "column '" + value +
                                    "' (parameter 'value') is not in scenario table '" + scen_name +
                                    "'");
    if (*scen.type_of(value) == ColumnType::kString)  // the SDK checks the baseline's (numeric())
      throw ParamError("value", "column '" + value + "' (parameter 'value') of table '" +
                                    scen_name + "' holds text; it must hold numbers");
    const std::vector<std::string> keys = key_names(params, base, scen);
    if (keys.empty())
      throw ParamError(
          "keys", "tables '" + params.str("baseline") + "' and '" + scen_name +
                      "' have no string or int column in common to join on; name them in 'keys'");
    Schema out;
    for (const auto& k : keys) {
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
      if (k == value)
        throw ParamError("keys", "column '" + k + "' cannot be both a key and the value");
      for (const auto& r : kResultColumns)
        if (k == r)
          throw ParamError(
              "keys", "key column '" + k + "' clashes with the output column of the same name");
      out.add(k, bt);
    }
    for (const auto& r : kResultColumns) out.add(r, ColumnType::kFloat);
    ctx.declare_output(ctx.output_name(), out);
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& base = ctx.table_of_param("baseline");
    const Table& scen = ctx.table_of_param("scenario");
    const std::string& base_name = params.str("baseline");
    const std::string& scen_name = params.str("scenario");
    const std::vector<std::string> keys = key_names(params, base.schema(), scen.schema());
    const bool keep = params.str("unmatched") == "keep";

    auto row_key = [&](const Table& t, const std::string& table_name, std::size_t row) {
      RowKey k;
      for (const auto& name : keys) {
        const Column& c = t.column(name);
        if (!c.is_valid(row))
          throw DataError(t.row_name(row) + " of table '" + table_name +
                          "' has a missing key in column '" + name + "'");
        const std::string cell = c.to_text(row);
        k.joined += cell;
        k.joined += '\x1f';
        if (!k.text.empty()) k.text += ", ";
        k.text += c.type == ColumnType::kString ? name + " '" + cell + "'" : name + " " + cell;
      }
      return k;
    };
    auto index = [&](const Table& t, const std::string& table_name, std::vector<RowKey>& row_keys) {
      std::unordered_map<std::string, std::size_t> at;
      at.reserve(t.rows());
      row_keys.reserve(t.rows());
      for (std::size_t r = 0; r < t.rows(); ++r) {
        row_keys.push_back(row_key(t, table_name, r));
        if (!at.emplace(row_keys.back().joined, r).second)
          throw DataError("table '" + table_name + "' has several rows for " +
                          row_keys.back().text + t.lines_note(at[row_keys.back().joined], r) +
                          "; the keys must identify one row");
      }
      return at;
    };
    std::vector<RowKey> base_keys, scen_keys;
    const auto base_at = index(base, base_name, base_keys);
    const auto scen_at = index(scen, scen_name, scen_keys);

    // Output rows: (baseline row or -1, scenario row or -1).
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    pairs.reserve(base.rows());
    std::vector<std::string> unmatched;
    std::size_t unmatched_count = 0;
    for (std::size_t r = 0; r < base.rows(); ++r) {
      auto it = scen_at.find(base_keys[r].joined);
      if (it == scen_at.end()) {
        ++unmatched_count;
        if (unmatched.size() < 3)
          unmatched.push_back(base_keys[r].text + " is in baseline '" + base_name +
                              "' but not in scenario '" + scen_name + "'");
      }
      pairs.emplace_back(r, it == scen_at.end() ? kNone : it->second);
    }
    for (std::size_t r = 0; r < scen.rows(); ++r) {
      if (base_at.count(scen_keys[r].joined)) continue;
      ++unmatched_count;
      if (unmatched.size() < 3)
        unmatched.push_back(scen_keys[r].text + " is in scenario '" + scen_name +
                            "' but not in baseline '" + base_name + "'");
      pairs.emplace_back(kNone, r);
    }
    if (unmatched_count > 0 && !keep) {
      std::string msg;
      for (const auto& u : unmatched) msg += (msg.empty() ? "" : "; ") + u;
      if (unmatched_count > unmatched.size())
        msg += "; and " + std::to_string(unmatched_count - unmatched.size()) + " more";
      throw DataError(msg + " (set unmatched = \"keep\" to keep such rows)");
    }
    if (unmatched_count > 0)
      ctx.log(LogLevel::kInfo, std::to_string(unmatched_count) + " row(s) are in only one table");

    std::vector<Column> cols;
    for (const auto& name : keys) {
      const Column& bc = base.column(name);
      const Column& sc = scen.column(name);
      if (bc.type == ColumnType::kString) {
        std::vector<std::string> v;
        v.reserve(pairs.size());
        for (auto [b, s] : pairs) v.emplace_back(b != kNone ? bc.str(b) : sc.str(s));
        cols.push_back(Column::make_strings(name, v));
      } else {
        std::vector<std::int64_t> v;
        v.reserve(pairs.size());
        for (auto [b, s] : pairs) v.push_back(b != kNone ? bc.ints[b] : sc.ints[s]);
        cols.push_back(Column::make_ints(name, std::move(v)));
      }
    }
    const Column& bv = base.column(params.str("value"));
    const Column& sv = scen.column(params.str("value"));
    const std::size_t n = pairs.size();
    std::vector<double> b_out(n, 0), s_out(n, 0), change(n, 0), rel(n, 0);
    std::vector<std::uint8_t> b_ok(n, 0), s_ok(n, 0), change_ok(n, 0), rel_ok(n, 0);
    for (std::size_t k = 0; k < n; ++k) {
      const auto [b, s] = pairs[k];
      if (b != kNone && bv.is_valid(b)) b_out[k] = bv.number(b), b_ok[k] = 1;
      if (s != kNone && sv.is_valid(s)) s_out[k] = sv.number(s), s_ok[k] = 1;
      if (b_ok[k] && s_ok[k]) {
        change[k] = s_out[k] - b_out[k];
        change_ok[k] = 1;
        if (b_out[k] != 0) rel[k] = change[k] / b_out[k], rel_ok[k] = 1;
      }
    }
    cols.push_back(Column::make_floats("baseline", std::move(b_out), std::move(b_ok)));
    cols.push_back(Column::make_floats("scenario", std::move(s_out), std::move(s_ok)));
    cols.push_back(Column::make_floats("change", std::move(change), std::move(change_ok)));
    cols.push_back(Column::make_floats("relative_change", std::move(rel), std::move(rel_ok)));
    ctx.write(ctx.output_name(), Table(std::move(cols)));
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Compare)
