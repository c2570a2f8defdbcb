// Units of output columns: declared by plugins, or carried from the input column a column copies.
#include "units.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <optional>
#include <vector>

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

/// The unit of the column (or one-unit table) that parameter `param` names; "" if unknown.
std::string param_unit(const std::string& param, const sdk::PluginInfo& info,
                       const sdk::Params& params, const UnitsLookup& units) {
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

/// A reciprocal 1/v for a unit: the decimal when it is short (at most 6 significant digits, no
/// exponent: "1000", "0.5", "0.001"), else the fraction "1/v" with v in full digits when whole
/// ("1/1000000" for v = 1e6 rather than "1e-06"; "1/3" rather than "0.3333333333333333").
std::string reciprocal_text(double v) {
  const std::string r = sdk::format_number(1.0 / v);
  std::size_t digits = 0, first = r.find_first_of("123456789");
  for (std::size_t i = first; i < r.size(); ++i) digits += std::isdigit(r[i]) ? 1 : 0;
  if (r.find_first_of("eE") == std::string::npos && digits <= 6) return r;
  const bool whole = std::fabs(v) < 1e15 && v == std::round(v);
  return "1/" + (whole ? fmt::format("{:.0f}", v) : sdk::format_number(v));
}

/// "{name}", "{name|fallback}", "{1/name}": a number parameter's value (its reciprocal,
/// reciprocal_text) in the shortest form ("-2", "1000"), or the fallback when it is not given; ""
/// if neither.
std::string param_value(const std::string& field, const sdk::Params& params) {
  const bool reciprocal = field.rfind("1/", 0) == 0;
  const std::string rest = reciprocal ? field.substr(2) : field;
  const std::size_t bar = rest.find('|');
  const std::string name = rest.substr(0, bar);
  if (!params.has(name)) return bar == std::string::npos ? std::string() : rest.substr(bar + 1);
  const double value = params.real(name);
  return reciprocal ? reciprocal_text(value) : sdk::format_number(value);
}

/// `text` with each field open...close replaced by fill(field, what follows it); nullopt when a
/// fill is "" (unknown).
template <typename Fill>
std::optional<std::string> filled(const std::string& text, char open, char close, Fill fill) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text[at] == open ? text.find(close, at) : std::string::npos;
    if (end == std::string::npos) {
      out += text[at++];
      continue;
    }
    const std::string value = fill(text.substr(at + 1, end - at - 1), text.substr(end + 1));
    if (value.empty()) return std::nullopt;
    out += value;
    at = end + 1;
  }
  return out;
}

/// Without the exponents "^1" (a number's value of 1) and a leading factor "1 ".
std::string without_ones(std::string unit) {
  for (std::size_t at = unit.find("^1"); at != std::string::npos; at = unit.find("^1", at + 1)) {
    const std::size_t end = at + 2;
    if (end == unit.size() || unit[end] == ' ' || unit[end] == ')') unit.erase(at, 2);
  }
  if (unit.rfind("1 ", 0) == 0) unit.erase(0, 2);
  return unit;
}

/// The factors of a product (" · ") without the dimensionless ones ("dimensionless", "share",
/// "ratio"); "dimensionless" when none is left.
std::string without_numbers(const std::string& unit) {
  const std::string dot = " · ";
  if (unit.find(dot) == std::string::npos) return unit;
  std::string out;
  for (std::size_t from = 0, at = 0; at != std::string::npos; from = at + dot.size()) {
    at = unit.find(dot, from);
    const std::string factor = unit.substr(from, at == std::string::npos ? at : at - from);
    if (factor != "dimensionless" && factor != "share" && factor != "ratio")
      out += (out.empty() ? "" : dot) + factor;
  }
  return out.empty() ? "dimensionless" : out;
}

/// A declared unit: "{param}" parts replaced by parameter values (param_value) and "^1" dropped,
/// then "<param>" parts by the units parameters name (param_unit; in parentheses before an
/// exponent when they hold a space), then dimensionless factors dropped; "" when a part is
/// unknown.
std::string declared_unit(const std::string& unit, const sdk::PluginInfo& info,
                          const sdk::Params& params, const UnitsLookup& units) {
  const auto values = filled(unit, '{', '}', [&](const std::string& field, const std::string&) {
    return param_value(field, params);
  });
  if (!values) return {};
  const auto out = filled(
      without_ones(*values), '<', '>', [&](const std::string& field, const std::string& after) {
        const std::string u = param_unit(field, info, params, units);
        const bool wrap =
            !u.empty() && after.rfind('^', 0) == 0 && u.find(' ') != std::string::npos;
        return wrap ? "(" + u + ")" : u;
      });
  return out ? without_numbers(*out) : std::string();
}

/// Adds the units one ColumnSpec gives to the columns of a written table.
void add_column_units(ColumnUnits& out, const sdk::ColumnSpec& c, const sdk::PluginInfo& info,
                      const sdk::Params& params, const sdk::SchemaLookup& schemas,
                      const UnitsLookup& units) {
  const std::string unit = declared_unit(c.unit, info, params, units);
  if (c.param.empty()) {  // the first declaration of a column declared once per condition
    if (!unit.empty()) out.emplace(c.name, unit);
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
