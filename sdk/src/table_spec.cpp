#include "klaster/sdk/table_spec.hpp"

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

namespace {

ColumnSpec literal(std::string name, ColumnSpec::Type type, std::string doc) {
  ColumnSpec c;
  c.name = std::move(name);
  c.type = type;
  c.doc = std::move(doc);
  return c;
}

const char* type_text(ColumnSpec::Type type) {
  switch (type) {
    case ColumnSpec::Type::kString:
      return "string";
    case ColumnSpec::Type::kInt:
      return "int";
    case ColumnSpec::Type::kFloat:
      return "float";
    case ColumnSpec::Type::kNumber:
      return "number";
    case ColumnSpec::Type::kSame:
      break;
  }
  return "";
}

std::string conditions_text(const std::vector<Condition>& when) {
  std::string out;
  for (const auto& c : when)
    out += (out.empty() ? "" : " and ") +
           (c.value.empty() ? c.param + " given" : c.param + " = " + c.value);
  return out;
}

std::string column_text(const ColumnSpec& c, const PluginInfo& info) {
  std::string s = c.param.empty()  ? c.name + ":" + type_text(c.type)
                  : c.name.empty() ? "<" + c.param + ">"
                                   : c.name + ":as <" + c.param + ">";
  const ParamSpec* p = c.param.empty() || !c.name.empty() ? nullptr : info.find_param(c.param);
  if (!c.conditions.empty()) return "[" + s + " if " + conditions_text(c.conditions) + "]";
  if (p && (p->optional_column ||
            (!p->required && std::holds_alternative<std::monostate>(p->default_value))))
    return "[" + s + "]";
  return s;
}

}  // namespace

ColumnSpec ColumnSpec::floats(std::string name, std::string doc) {
  return literal(std::move(name), Type::kFloat, std::move(doc));
}
ColumnSpec ColumnSpec::ints(std::string name, std::string doc) {
  return literal(std::move(name), Type::kInt, std::move(doc));
}
ColumnSpec ColumnSpec::strings(std::string name, std::string doc) {
  return literal(std::move(name), Type::kString, std::move(doc));
}
ColumnSpec ColumnSpec::numbers(std::string name, std::string doc) {
  return literal(std::move(name), Type::kNumber, std::move(doc));
}
ColumnSpec ColumnSpec::of(std::string param, std::string doc) {
  ColumnSpec c;
  c.param = std::move(param);
  c.doc = std::move(doc);
  return c;
}

ColumnSpec ColumnSpec::like(std::string name, std::string param, std::string doc) {
  ColumnSpec c = of(std::move(param), std::move(doc));
  c.name = std::move(name);
  return c;
}

std::string output_table_name(const std::string& pattern, const std::string& output) {
  static const std::string token = "<output>";
  if (!pattern.starts_with(token)) return pattern;
  return output + pattern.substr(token.size());
}

std::string columns_text(const TableSpec& spec, const PluginInfo& info) {
  std::string out;
  for (const auto& c : spec.columns) out += (out.empty() ? "" : ", ") + column_text(c, info);
  if (!spec.conditions.empty()) out += " (only if " + conditions_text(spec.conditions) + ")";
  return out;
}

OutputTable::OutputTable(std::string name, Schema schema)
    : name_(std::move(name)), schema_(std::move(schema)), columns_(schema_.columns.size()) {}

std::size_t OutputTable::index_of(std::string_view column, ColumnType type) const {
  for (std::size_t i = 0; i < schema_.columns.size(); ++i) {
    const auto& [name, declared] = schema_.columns[i];
    if (name != column) continue;
    if (declared != type)
      throw Error("column '" + name + "' of table '" + name_ + "' is declared " +
                  to_string(declared) + " but set as " + to_string(type));
    return i;
  }
  throw Error("table '" + name_ + "' declares no column '" + std::string(column) +
              "'; its columns: " + [&] {
                std::string list;
                for (const auto& n : schema_.names()) list += (list.empty() ? "" : ", ") + n;
                return list;
              }());
}

OutputTable& OutputTable::set(std::string_view column, std::vector<double> values,
                              std::vector<std::uint8_t> valid) {
  return set(Column::make_floats(std::string(column), std::move(values), std::move(valid)));
}
OutputTable& OutputTable::set(std::string_view column, std::vector<std::int64_t> values,
                              std::vector<std::uint8_t> valid) {
  return set(Column::make_ints(std::string(column), std::move(values), std::move(valid)));
}
OutputTable& OutputTable::set(std::string_view column, std::shared_ptr<Dictionary> dict,
                              std::vector<std::int32_t> codes) {
  return set(Column::make_strings(std::string(column), std::move(dict), std::move(codes)));
}
OutputTable& OutputTable::set(std::string_view column, const std::vector<std::string>& values) {
  return set(Column::make_strings(std::string(column), values));
}
OutputTable& OutputTable::set(Column column) {
  return set(std::make_shared<const Column>(std::move(column)));
}
OutputTable& OutputTable::set(ColumnPtr column) {
  columns_[index_of(column->name, column->type)] = std::move(column);
  return *this;
}

Table OutputTable::build() && {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (!columns_[i])
      throw Error("column '" + schema_.columns[i].first + "' of table '" + name_ +
                  "' was declared but not set");
    if (columns_[i]->size() != columns_[0]->size())
      throw Error("column '" + schema_.columns[i].first + "' of table '" + name_ + "' has " +
                  std::to_string(columns_[i]->size()) + " rows, column '" +
                  schema_.columns[0].first + "' " + std::to_string(columns_[0]->size()));
  }
  return Table(std::move(columns_));
}

}  // namespace klaster::sdk
