#include "klaster/sdk/plugin.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>

#include "klaster/sdk/parallel.hpp"

namespace klaster::sdk {

const char* to_string(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "string";
    case ParamType::kInt:
      return "int";
    case ParamType::kFloat:
      return "float";
    case ParamType::kBool:
      return "bool";
    case ParamType::kStringList:
      return "string list";
    case ParamType::kIntList:
      return "int list";
    case ParamType::kFloatList:
      return "float list";
    case ParamType::kTable:
      return "table";
    case ParamType::kColumn:
      return "column";
    case ParamType::kColumnList:
      return "column list";
  }
  return "?";
}

const char* to_string(PluginKind kind) {
  return kind == PluginKind::kMeasure ? "measure" : "indicator";
}

namespace {

std::string number_text(double v) {
  std::string s = format_number(v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep it a TOML float
  return s;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

template <class T, class F>
std::string list_text(const std::vector<T>& v, F f) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + f(v[i]);
  return out + "]";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string to_text(const Value& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "(none)"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return number_text(d); }
    std::string operator()(const std::string& s) const { return quoted(s); }
    std::string operator()(const std::vector<std::string>& v) const { return list_text(v, quoted); }
    std::string operator()(const std::vector<std::int64_t>& v) const {
      return list_text(v, [](std::int64_t i) { return std::to_string(i); });
    }
    std::string operator()(const std::vector<double>& v) const { return list_text(v, number_text); }
  };
  return std::visit(Visitor{}, value);
}

const ParamSpec* PluginInfo::find_param(std::string_view n) const {
  for (const auto& p : params)
    if (p.name == n) return &p;
  return nullptr;
}

const std::string* PluginInfo::translation(std::string_view lang,
                                           const std::string& english) const {
  const auto texts = translations.find(std::string(lang));
  if (english.empty() || texts == translations.end()) return nullptr;
  const auto it = texts->second.find(english);
  return it == texts->second.end() ? nullptr : &it->second;
}

const ParamSpec* PluginInfo::primary_input() const {
  for (const auto& p : params)
    if (p.primary_input) return &p;
  return nullptr;
}

bool Params::has(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it != values_.end() && !std::holds_alternative<std::monostate>(it->second);
}

const Value& Params::get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || std::holds_alternative<std::monostate>(it->second))
    throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not set");
  return it->second;
}

const std::string& Params::str(std::string_view name) const {
  const Value& v = get(name);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not a string");
}

std::int64_t Params::integer(std::string_view name) const {
  const Value& v = get(name);
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not an integer");
}

double Params::real(std::string_view name) const {
  const Value& v = get(name);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not a number");
}

bool Params::boolean(std::string_view name) const {
  const Value& v = get(name);
  if (auto* b = std::get_if<bool>(&v)) return *b;
  throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not a boolean");
}

std::vector<std::string> Params::strings(std::string_view name) const {
  if (!has(name)) return {};
  const Value& v = get(name);
  if (auto* l = std::get_if<std::vector<std::string>>(&v)) return *l;
  if (auto* s = std::get_if<std::string>(&v)) return {*s};
  throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not a string list");
}

std::vector<std::int64_t> Params::ints(std::string_view name) const {
  if (!has(name)) return {};
  const Value& v = get(name);
  if (auto* l = std::get_if<std::vector<std::int64_t>>(&v)) return *l;
  if (auto* i = std::get_if<std::int64_t>(&v)) return {*i};
  throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not an int list");
}

std::vector<double> Params::reals(std::string_view name) const {
  if (!has(name)) return {};
  const Value& v = get(name);
  if (auto* l = std::get_if<std::vector<double>>(&v)) return *l;
  if (auto* d = std::get_if<double>(&v)) return {*d};
  throw ParamError(std::string(name), "parameter '" + std::string(name) + "' is not a float list");
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  // Close enough to be a typo: at most a third of the longer word, and at least 1 edit allowed.
  const std::size_t limit = std::max<std::size_t>(2, std::max(word.size(), best.size()) / 3);
  return best_d <= limit ? best : std::string{};
}

const Schema& BindContext::schema_of_param(std::string_view table_param) const {
  const std::string& name = params().str(table_param);
  if (const Schema* s = find_schema(name)) return *s;
  throw ParamError(std::string(table_param), "table '" + name + "' (parameter '" +
                                                 std::string(table_param) + "') does not exist");
}

void BindContext::check_key_column(std::string_view table_param,
                                   std::string_view column_param) const {
  const std::string& column = params().str(column_param);
  const std::optional<ColumnType> type = schema_of_param(table_param).type_of(column);
  if (type == ColumnType::kFloat)
    throw ParamError(std::string(column_param),
                     "column '" + column + "' is a float column; use a string or int key");
}

void RunContext::write(OutputTable table) {
  std::string name = table.name();
  write(std::move(name), std::move(table).build());
}

}  // namespace klaster::sdk
