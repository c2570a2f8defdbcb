// Units of output columns: declared by plugins, or carried from the input column a column copies.
#include "units.hpp"

namespace klaster {

ColumnUnits dataset_units(const TableManifest& table) {
  ColumnUnits out;
  if (table.unit.empty()) return out;
  for (const auto& [name, type] : table.schema().columns)
    if (type == sdk::ColumnType::kFloat) out[name] = table.unit;
  return out;
}

namespace {

/// The input table a parameter-named ColumnSpec refers to ("" when it is not given).
std::string source_table(const sdk::ColumnSpec& c, const sdk::PluginInfo& info,
                         const sdk::Params& params) {
  const sdk::ParamSpec* spec = info.find_param(c.param);
  if (spec == nullptr) return {};
  const std::string& table = spec->type == sdk::ParamType::kTable ? c.param : spec->table_param;
  return params.has(table) ? params.str(table) : std::string();
}

/// Output column -> the input column it copies, for one parameter-named ColumnSpec.
std::map<std::string, std::string> copied_columns(const sdk::ColumnSpec& c,
                                                  const sdk::PluginInfo& info,
                                                  const sdk::Params& params,
                                                  const sdk::SchemaLookup& schemas) {
  std::map<std::string, std::string> out;
  const sdk::ParamSpec* spec = info.find_param(c.param);
  if (spec == nullptr) return out;
  if (spec->type == sdk::ParamType::kTable) {
    if (const sdk::Schema* s = params.has(c.param) ? schemas(params.str(c.param)) : nullptr)
      for (const auto& name : s->names()) out[name] = name;
    return out;
  }
  if (!params.has(c.param)) return out;
  if (!c.name.empty()) {  // like(): a named column typed (and measured) as the parameter's column
    out[c.name] = params.str(c.param);
    return out;
  }
  for (const auto& name : params.strings(c.param)) out[name] = name;
  return out;
}

/// A declared unit: the text, or for "<param>" the unit of the column that column parameter names
/// (or of the table that table parameter names, when its columns have one unit); "" if unknown.
std::string declared_unit(const std::string& unit, const sdk::PluginInfo& info,
                          const sdk::Params& params, const UnitsLookup& units) {
  if (unit.size() < 3 || unit.front() != '<' || unit.back() != '>') return unit;
  const std::string param = unit.substr(1, unit.size() - 2);
  const sdk::ParamSpec* spec = info.find_param(param);
  if (spec == nullptr) return {};
  const bool table = spec->type == sdk::ParamType::kTable;
  const std::string& table_param = table ? param : spec->table_param;
  if (!params.has(table_param) || !params.has(param)) return {};
  const ColumnUnits* in = units(params.str(table_param));
  if (in == nullptr || in->empty()) return {};
  if (table) {
    for (const auto& [column, u] : *in)
      if (u != in->begin()->second) return {};
    return in->begin()->second;
  }
  const auto it = in->find(params.str(param));
  return it == in->end() ? std::string() : it->second;
}

/// Adds the units one ColumnSpec gives to the columns of a written table.
void add_column_units(ColumnUnits& out, const sdk::ColumnSpec& c, const sdk::PluginInfo& info,
                      const sdk::Params& params, const sdk::SchemaLookup& schemas,
                      const UnitsLookup& units) {
  const std::string unit = declared_unit(c.unit, info, params, units);
  if (c.param.empty()) {
    if (!unit.empty()) out[c.name] = unit;
    return;
  }
  const std::string table = source_table(c, info, params);
  const ColumnUnits* in = table.empty() ? nullptr : units(table);
  for (const auto& [column, source] : copied_columns(c, info, params, schemas)) {
    if (!c.unit.empty()) {
      if (!unit.empty()) out[column] = unit;
    } else if (in != nullptr) {
      if (auto it = in->find(source); it != in->end()) out[column] = it->second;
    }
  }
}

}  // namespace

std::map<std::string, ColumnUnits> step_units(const sdk::PluginInfo& info,
                                              const sdk::Params& params, const std::string& output,
                                              const sdk::Outputs& outputs,
                                              const sdk::SchemaLookup& schemas,
                                              const UnitsLookup& units) {
  std::map<std::string, ColumnUnits> out;
  for (const auto& t : info.writes) {
    if (!sdk::conditions_hold(t.conditions, info, params, schemas)) continue;
    ColumnUnits& u = out[sdk::output_table_name(t.name, output)];
    for (const auto& c : t.columns)
      if (sdk::conditions_hold(c.conditions, info, params, schemas))
        add_column_units(u, c, info, params, schemas, units);
  }
  // Keep only what the step will write (bind() may drop or add columns).
  std::map<std::string, ColumnUnits> kept;
  for (const auto& [name, schema] : outputs)
    for (const auto& [column, unit] : out[name])
      if (schema.has(column)) kept[name][column] = unit;
  return kept;
}

}  // namespace klaster
