#include "klaster/sdk/step.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "klaster/sdk/parallel.hpp"

namespace klaster::sdk {

void StepBindContext::declare_output(std::string name, Schema schema) {
  if (std::find(hand_declared_.begin(), hand_declared_.end(), name) != hand_declared_.end())
    throw Error("output table '" + name + "' declared twice");
  hand_declared_.push_back(name);
  for (auto& o : outputs_)
    if (o.first == name) {
      o.second = std::move(schema);
      return;
    }
  outputs_.emplace_back(std::move(name), std::move(schema));
}

const Table& StepRunContext::table_of_param(std::string_view table_param) const {
  const std::string& name = params_.str(table_param);
  TablePtr t = lookup_(name);
  if (!t)
    throw Error("table '" + name + "' (parameter '" + std::string(table_param) +
                "') does not exist");
  held_.push_back(t);
  return *t;
}

OutputTable StepRunContext::output(std::string_view pattern) const {
  const std::string name = output_table_name(std::string(pattern), output_);
  for (const auto& [n, schema] : declared_)
    if (n == name) return OutputTable(name, schema);
  throw Error("step '" + step_id_ + "' declares no output table '" + name + "' (" +
              std::string(pattern) + ")");
}

void StepRunContext::write(std::string name, Table table) {
  for (const auto& w : written_)
    if (w.first == name) throw Error("output table '" + name + "' written twice");
  written_.emplace_back(std::move(name), std::make_shared<Table>(std::move(table)));
}

const std::vector<HostParam>& host_params() {
  static const std::vector<HostParam> params = {
      {std::string(kOutputParam), "string", "default: the step id",
       "the name of the table the step writes; a plugin that writes several tables names the "
       "others `<output>_<suffix>`."},
      {std::string(kWhereKey), "table (step key)", "optional",
       "keeps only the matching rows of tables the step reads: `{ column = value | [values] }` "
       "filters the plugin's primary input, `{ <table parameter> = { column = value | [values] } "
       "}` "
       "filters the table that parameter names; every clause must hold."},
  };
  return params;
}

bool is_table_name(std::string_view name) {
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  };
  if (name.empty() || name.front() == '.' || name.front() == '-') return false;
  for (char c : name)
    if (!ok(c)) return false;
  return true;
}

std::string take_output(std::map<std::string, Value>& given, const std::string& step_id) {
  const std::string key(kOutputParam);
  auto it = given.find(key);
  if (it == given.end()) return step_id;
  const auto* name = std::get_if<std::string>(&it->second);
  if (!name || !is_table_name(*name))
    throw ParamError(
        key, "parameter '" + key + "' must be a table name made of letters, digits, '_', '.', '-'");
  std::string output = *name;
  given.erase(it);
  return output;
}

void check_info(const PluginInfo& info) {
  for (const auto& t : info.writes)
    if (t.columns.empty()) throw Error("table '" + t.name + "' in writes declares no columns");
  const ParamSpec* primary = nullptr;
  for (const auto& spec : info.params) {
    for (const auto& host : host_params())
      if (spec.name == host.name)
        throw Error("parameter '" + spec.name +
                    "' is declared by the host for every step; "
                    "a plugin may not declare it");
    if (!spec.primary_input) continue;
    if (spec.type != ParamType::kTable)
      throw Error("parameter '" + spec.name + "' is marked primary() but is a " +
                  to_string(spec.type) + ", not a table");
    if (primary)
      throw Error("parameters '" + primary->name + "' and '" + spec.name +
                  "' are both marked primary(); a plugin has at most one primary input");
    primary = &spec;
  }
}

namespace {

std::string value_text(const Value& v) {
  if (const auto* str = std::get_if<std::string>(&v)) return *str;
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return to_text(v);
}

const ParamSpec& spec_of(const PluginInfo& info, const std::string& param) {
  if (const ParamSpec* spec = info.find_param(param)) return *spec;
  throw Error("plugin '" + info.name + "' declares a table column by parameter '" + param +
              "', which it does not have");
}

/// The schema of the table that table parameter `param` names, or nullptr.
const Schema* table_of(const std::string& param, const Params& params, const SchemaLookup& lookup) {
  return params.has(param) ? lookup(params.str(param)) : nullptr;
}

bool holds(const Condition& c, const PluginInfo& info, const Params& params,
           const SchemaLookup& lookup) {
  const ParamSpec& spec = spec_of(info, c.param);
  if (!params.has(c.param)) return false;
  if (!c.value.empty()) return value_text(params.get(c.param)) == c.value;
  if (spec.type != ParamType::kColumn || !spec.optional_column) return true;
  const Schema* schema = table_of(spec.table_param, params, lookup);
  return schema && schema->has(params.str(c.param));
}

std::optional<ColumnType> declared_type(ColumnSpec::Type t) {
  switch (t) {
    case ColumnSpec::Type::kString:
      return ColumnType::kString;
    case ColumnSpec::Type::kInt:
      return ColumnType::kInt;
    case ColumnSpec::Type::kFloat:
      return ColumnType::kFloat;
    default:
      return std::nullopt;
  }
}

/// Adds the columns a parameter-named ColumnSpec stands for.
void add_param_columns(Schema& out, const ColumnSpec& c, const PluginInfo& info,
                       const Params& params, const SchemaLookup& lookup) {
  const ParamSpec& spec = spec_of(info, c.param);
  if (spec.type == ParamType::kTable) {
    if (const Schema* schema = table_of(c.param, params, lookup))
      for (const auto& [name, type] : schema->columns) out.add(name, type);
    return;
  }
  if (!params.has(c.param)) return;
  const Schema* schema = table_of(spec.table_param, params, lookup);
  if (!c.name.empty()) {  // like(): a named column typed as the parameter's column
    const auto type = schema ? schema->type_of(params.str(c.param)) : std::nullopt;
    out.add(c.name, type.value_or(ColumnType::kString));
    return;
  }
  for (const auto& name : params.strings(c.param)) {
    const auto type = schema ? schema->type_of(name) : std::nullopt;
    if (!type) continue;  // an if_present() column that is absent
    out.add(name, declared_type(c.type).value_or(*type));
  }
}

/// The first column name that occurs twice in `schema`, or "".
std::string repeated_name(const Schema& schema) {
  std::vector<std::string> names = schema.names();
  std::sort(names.begin(), names.end());
  auto it = std::adjacent_find(names.begin(), names.end());
  return it == names.end() ? std::string() : *it;
}

Schema derive_schema(const TableSpec& t, const PluginInfo& info, const Params& params,
                     const SchemaLookup& lookup) {
  Schema out;
  for (const auto& c : t.columns) {
    if (!conditions_hold(c.conditions, info, params, lookup)) continue;
    if (!c.param.empty()) {
      add_param_columns(out, c, info, params, lookup);
      continue;
    }
    const auto type = declared_type(c.type);
    if (!type)
      throw Error("plugin '" + info.name + "' declares written column '" + c.name +
                  "' without a type");
    // A column declared once per condition (per unit) whose conditions hold together (inputs
    // that bind() refuses together) stays one column.
    if (out.type_of(c.name) == type) continue;
    out.add(c.name, *type);
  }
  return out;
}

bool type_fits(ColumnSpec::Type want, ColumnType have) {
  if (want == ColumnSpec::Type::kNumber) return have != ColumnType::kString;
  const auto type = declared_type(want);
  return !type || *type == have;
}

}  // namespace

bool conditions_hold(const std::vector<Condition>& when, const PluginInfo& info,
                     const Params& params, const SchemaLookup& lookup) {
  return std::all_of(when.begin(), when.end(),
                     [&](const Condition& c) { return holds(c, info, params, lookup); });
}

Outputs derive_outputs(const PluginInfo& info, const Params& params, const std::string& output,
                       const SchemaLookup& lookup) {
  Outputs out;
  for (const auto& t : info.writes) {
    if (!conditions_hold(t.conditions, info, params, lookup)) continue;
    const std::string name = output_table_name(t.name, output);
    Schema schema = derive_schema(t, info, params, lookup);
    if (const std::string twice = repeated_name(schema); !twice.empty())
      throw ParamError("", "table '" + name + "' would have two columns named '" + twice +
                               "'; rename one with the step's column parameters");
    out.emplace_back(name, std::move(schema));
  }
  return out;
}

void check_reads(const PluginInfo& info, const Params& params, const SchemaLookup& lookup) {
  for (const auto& t : info.reads) {
    const Schema* schema = table_of(t.name, params, lookup);
    if (!schema || !conditions_hold(t.conditions, info, params, lookup)) continue;
    for (const auto& c : t.columns) {
      if (!c.param.empty() || !conditions_hold(c.conditions, info, params, lookup)) continue;
      const auto type = schema->type_of(c.name);
      if (type && type_fits(c.type, *type)) continue;
      const std::string what = "table '" + params.str(t.name) + "' (parameter '" + t.name + "')";
      const std::string hint = t.hint.empty() ? "" : " (" + t.hint + ")";
      throw ParamError(
          t.name, (type ? "column '" + c.name + "' of " + what + " holds " + to_string(*type) +
                              "; plugin '" + info.name + "' reads it as " + columns_text(t, info)
                        : what + " has no column '" + c.name + "'; plugin '" + info.name +
                              "' reads " + columns_text(t, info)) +
                      hint);
    }
  }
}

void check_references(const PluginInfo& info, const Params& params, const SchemaLookup& lookup) {
  for (const auto& spec : info.params) {
    if (spec.type != ParamType::kTable || !params.has(spec.name)) continue;
    const std::string& table = params.str(spec.name);
    if (!lookup(table))
      throw ParamError(spec.name, "table '" + table + "' (parameter '" + spec.name +
                                      "') does not exist at this step");
  }
  for (const auto& spec : info.params) {
    if ((spec.type != ParamType::kColumn && spec.type != ParamType::kColumnList) ||
        !params.has(spec.name))
      continue;
    if (!params.has(spec.table_param)) continue;  // the table itself is optional and not given
    const std::string& table = params.str(spec.table_param);
    const Schema* schema = lookup(table);
    if (!schema) continue;  // reported above
    std::vector<std::string> cols = params.strings(spec.name);
    for (const auto& col : cols) {
      if (schema->has(col)) {
        if (spec.numeric_column && schema->type_of(col) == ColumnType::kString)
          throw ParamError(spec.name, "column '" + col + "' (parameter '" + spec.name +
                                          "') of table '" + table +
                                          "' holds text; it must hold numbers");
        continue;
      }
      if (spec.optional_column && spec.type == ParamType::kColumn) continue;
      std::string msg =
          "column '" + col + "' (parameter '" + spec.name + "') is not in table '" + table + "'";
      if (auto near = nearest(col, schema->names()); !near.empty())
        msg += " (did you mean '" + near + "'?)";
      std::string list;
      for (const auto& n : schema->names()) list += (list.empty() ? "" : ", ") + n;
      msg += "; it has: " + list;
      throw ParamError(spec.name, msg);
    }
  }
  check_reads(info, params, lookup);
}

void check_written(const std::string& plugin,
                   const std::vector<std::pair<std::string, Schema>>& declared,
                   const Written& written) {
  // Structured bindings are not captured by lambdas in clang 14 (the fuzz build): find by key.
  for (const auto& [name, table] : written) {
    auto it = std::find_if(declared.begin(), declared.end(),
                           [&key = name](const auto& d) { return d.first == key; });
    if (it == declared.end())
      throw Error("plugin '" + plugin + "' wrote table '" + name + "' that it did not declare");
    if (!(table->schema() == it->second))
      throw Error("plugin '" + plugin + "' wrote table '" + name +
                  "' with other columns than it declared");
  }
  for (const auto& [name, schema] : declared) {
    auto it = std::find_if(written.begin(), written.end(),
                           [&key = name](const auto& w) { return w.first == key; });
    if (it == written.end())
      throw Error("plugin '" + plugin + "' declared table '" + name + "' but did not write it");
  }
}

const ParamSpec* first_empty_input(const PluginInfo& info, const Params& params,
                                   const std::function<const Table&(const std::string&)>& table) {
  for (const auto& spec : info.params)
    if (spec.type == ParamType::kTable && !spec.may_be_empty && params.has(spec.name) &&
        table(params.str(spec.name)).rows() == 0)
      return &spec;
  return nullptr;
}

void check_not_empty(const PluginInfo& info, const Params& params,
                     const std::function<const Table&(const std::string&)>& table) {
  if (const ParamSpec* spec = first_empty_input(info, params, table))
    throw DataError("table '" + params.str(spec->name) + "' (parameter '" + spec->name +
                    "') has no rows");
}

namespace {

/// The first row of `c` holding a NaN or an infinity, or SIZE_MAX.
std::size_t first_non_finite(const Column& c) {
  std::atomic<std::size_t> first{SIZE_MAX};
  parallel_for(
      c.floats.size(),
      [&](std::size_t b, std::size_t e) {
        for (std::size_t r = b; r < e && r < first.load(std::memory_order_relaxed); ++r)
          if (!std::isfinite(c.floats[r]) && c.is_valid(r)) {
            std::size_t seen = first.load();
            while (r < seen && !first.compare_exchange_weak(seen, r)) {
            }
            return;
          }
      },
      1 << 16);
  return first.load();
}

}  // namespace

void check_finite(const std::string& table_name, const Table& table) {
  for (const Column& c : table.columns()) {
    if (c.type != ColumnType::kFloat) continue;
    const std::size_t row = first_non_finite(c);
    if (row == SIZE_MAX) continue;
    const std::string keys = table.keys_text(row);
    throw Error("wrote a non-finite value (" +
                std::string(std::isnan(c.floats[row]) ? "nan"
                            : c.floats[row] > 0       ? "inf"
                                                      : "-inf") +
                ") in table '" + table_name + "', column '" + c.name + "'" +
                (keys.empty() ? ", row " + std::to_string(row + 1) : " at " + keys) +
                "; a plugin writes an undefined result as a missing value");
  }
}

void check_input_sums(const std::map<std::string, TablePtr>& inputs) {
  for (const auto& [name, table] : inputs)
    for (const Column& c : table->columns()) {
      if (c.type != ColumnType::kFloat) continue;
      double sum = 0;
      for (std::size_t r = 0; r < c.floats.size(); ++r)
        if (c.is_valid(r)) sum += std::fabs(c.floats[r]);
      if (!std::isfinite(sum))
        throw DataError("table '" + name + "', column '" + c.name +
                        "': its values add up past the largest number a double holds (about "
                        "1.8e308), so sums over them overflow; rescale the column (e.g. to "
                        "thousands)");
    }
}

void rethrow(const Status& status) {
  switch (status.code) {
    case StatusCode::kParamError:
      throw ParamError(status.param, status.message);
    case StatusCode::kDataError:
      throw DataError(status.message);
    default:
      throw Error(status.message);
  }
}

}  // namespace klaster::sdk
