#include "klaster/sdk/step.hpp"

#include <algorithm>

namespace klaster::sdk {

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
const Schema* table_of(const std::string& param, const Params& params,
                       const BindContext::SchemaLookup& lookup) {
  return params.has(param) ? lookup(params.str(param)) : nullptr;
}

bool holds(const Condition& c, const PluginInfo& info, const Params& params,
           const BindContext::SchemaLookup& lookup) {
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
                       const Params& params, const BindContext::SchemaLookup& lookup) {
  const ParamSpec& spec = spec_of(info, c.param);
  if (spec.type == ParamType::kTable) {
    if (const Schema* schema = table_of(c.param, params, lookup))
      for (const auto& [name, type] : schema->columns) out.add(name, type);
    return;
  }
  if (!params.has(c.param)) return;
  const Schema* schema = table_of(spec.table_param, params, lookup);
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
                     const BindContext::SchemaLookup& lookup) {
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
                     const Params& params, const BindContext::SchemaLookup& lookup) {
  return std::all_of(when.begin(), when.end(),
                     [&](const Condition& c) { return holds(c, info, params, lookup); });
}

Outputs derive_outputs(const PluginInfo& info, const Params& params, const std::string& output,
                       const BindContext::SchemaLookup& lookup) {
  Outputs out;
  for (const auto& t : info.writes) {
    if (t.columns.empty() || !conditions_hold(t.conditions, info, params, lookup)) continue;
    const std::string name = output_table_name(t.name, output);
    Schema schema = derive_schema(t, info, params, lookup);
    if (const std::string twice = repeated_name(schema); !twice.empty())
      throw ParamError("", "table '" + name + "' would have two columns named '" + twice +
                               "'; rename one with the step's column parameters");
    out.emplace_back(name, std::move(schema));
  }
  return out;
}

void check_reads(const PluginInfo& info, const Params& params,
                 const BindContext::SchemaLookup& lookup) {
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

}  // namespace klaster::sdk
