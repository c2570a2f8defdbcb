#include "klaster/sdk/step.hpp"

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

}  // namespace klaster::sdk
