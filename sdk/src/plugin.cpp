#include "klaster/sdk/plugin.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>

#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/step.hpp"

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

/// The type name of a given value, for messages.
const char* value_kind(const Value& v) {
  switch (v.index()) {
    case 0:
      return "nothing";
    case 1:
      return "a boolean";
    case 2:
      return "an integer";
    case 3:
      return "a float";
    case 4:
      return "a string";
    case 5:
      return "a list of strings";
    case 6:
      return "a list of integers";
    case 7:
      return "a list of floats";
  }
  return "?";
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

void check_bounds(const ParamSpec& spec, double v) {
  auto fail = [&](const std::string& rule) {
    throw ParamError(spec.name, "parameter '" + spec.name + "' = " + number_text(v) +
                                    " is out of range: must be " + rule);
  };
  if (!std::isfinite(v)) fail("a finite number");
  if (spec.min) {
    if (spec.min_exclusive ? !(v > *spec.min) : !(v >= *spec.min))
      fail(std::string(spec.min_exclusive ? "> " : ">= ") + number_text(*spec.min));
  }
  if (spec.max) {
    if (spec.max_exclusive ? !(v < *spec.max) : !(v <= *spec.max))
      fail(std::string(spec.max_exclusive ? "< " : "<= ") + number_text(*spec.max));
  }
}

/// Converts `v` to the representation of `spec.type`, or throws ParamError.
Value coerce(const ParamSpec& spec, const Value& v) {
  auto wrong = [&]() -> ParamError {
    return ParamError(spec.name, "parameter '" + spec.name + "' must be " +
                                     (spec.type == ParamType::kInt ? "an " : "a ") +
                                     to_string(spec.type) + ", got " + value_kind(v) + " " +
                                     to_text(v));
  };
  switch (spec.type) {
    case ParamType::kString:
    case ParamType::kTable:
    case ParamType::kColumn: {
      if (!std::holds_alternative<std::string>(v)) throw wrong();
      const auto& s = std::get<std::string>(v);
      if (spec.type != ParamType::kString && s.empty())
        throw ParamError(spec.name, "parameter '" + spec.name + "' must not be empty");
      if (!spec.allowed.empty() &&
          std::find(spec.allowed.begin(), spec.allowed.end(), s) == spec.allowed.end()) {
        std::string list;
        for (const auto& a : spec.allowed) list += (list.empty() ? "" : ", ") + quoted(a);
        throw ParamError(spec.name, "parameter '" + spec.name + "' = " + quoted(s) +
                                        " is not allowed: use one of " + list);
      }
      return v;
    }
    case ParamType::kInt: {
      if (!std::holds_alternative<std::int64_t>(v)) throw wrong();
      check_bounds(spec, static_cast<double>(std::get<std::int64_t>(v)));
      return v;
    }
    case ParamType::kFloat: {
      double d;
      if (auto* i = std::get_if<std::int64_t>(&v))
        d = static_cast<double>(*i);
      else if (auto* f = std::get_if<double>(&v))
        d = *f;
      else
        throw wrong();
      check_bounds(spec, d);
      return d;
    }
    case ParamType::kBool:
      if (!std::holds_alternative<bool>(v)) throw wrong();
      return v;
    case ParamType::kStringList:
    case ParamType::kColumnList: {
      if (auto* s = std::get_if<std::string>(&v)) return std::vector<std::string>{*s};
      if (!std::holds_alternative<std::vector<std::string>>(v)) {
        // An empty TOML array arrives as an empty list of some type.
        if (auto* e = std::get_if<std::vector<std::int64_t>>(&v); e && e->empty())
          return std::vector<std::string>{};
        throw wrong();
      }
      return v;
    }
    case ParamType::kIntList: {
      if (auto* i = std::get_if<std::int64_t>(&v)) return std::vector<std::int64_t>{*i};
      if (!std::holds_alternative<std::vector<std::int64_t>>(v)) throw wrong();
      for (auto x : std::get<std::vector<std::int64_t>>(v))
        check_bounds(spec, static_cast<double>(x));
      return v;
    }
    case ParamType::kFloatList: {
      std::vector<double> out;
      if (auto* i = std::get_if<std::int64_t>(&v))
        out = {static_cast<double>(*i)};
      else if (auto* f = std::get_if<double>(&v))
        out = {*f};
      else if (auto* li = std::get_if<std::vector<std::int64_t>>(&v))
        for (auto x : *li) out.push_back(static_cast<double>(x));
      else if (auto* lf = std::get_if<std::vector<double>>(&v))
        out = *lf;
      else
        throw wrong();
      for (double x : out) check_bounds(spec, x);
      return out;
    }
  }
  throw wrong();
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

Params resolve_params(const PluginInfo& info, const std::map<std::string, Value>& given) {
  std::vector<std::string> names;
  for (const auto& p : info.params) names.push_back(p.name);
  for (const auto& [name, value] : given) {
    if (!info.find_param(name)) {
      std::string msg = "plugin '" + info.name + "' has no parameter '" + name + "'";
      if (auto near = nearest(name, names); !near.empty()) msg += " (did you mean '" + near + "'?)";
      throw ParamError(name, msg);
    }
  }
  std::map<std::string, Value> out;
  for (const auto& spec : info.params) {
    auto it = given.find(spec.name);
    if (it != given.end() && !std::holds_alternative<std::monostate>(it->second)) {
      out[spec.name] = coerce(spec, it->second);
    } else if (!std::holds_alternative<std::monostate>(spec.default_value)) {
      out[spec.name] = coerce(spec, spec.default_value);
    } else if (spec.required) {
      throw ParamError(spec.name, "plugin '" + info.name + "' needs parameter '" + spec.name +
                                      "' (" + to_string(spec.type) + "): " + spec.doc);
    } else {
      out[spec.name] = std::monostate{};
    }
  }
  return Params(std::move(out));
}

const Schema& BindContext::schema_of_param(std::string_view table_param) const {
  const std::string& name = params_.str(table_param);
  if (const Schema* s = lookup_(name)) return *s;
  throw ParamError(std::string(table_param), "table '" + name + "' (parameter '" +
                                                 std::string(table_param) + "') does not exist");
}

void BindContext::declare_output(std::string name, Schema schema) {
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

const Table& RunContext::table_of_param(std::string_view table_param) const {
  const std::string& name = params_.str(table_param);
  TablePtr t = lookup_(name);
  if (!t)
    throw Error("table '" + name + "' (parameter '" + std::string(table_param) +
                "') does not exist");
  held_.push_back(t);
  return *t;
}

OutputTable RunContext::output(std::string_view pattern) const {
  const std::string name = output_table_name(std::string(pattern), output_);
  for (const auto& [n, schema] : declared_)
    if (n == name) return OutputTable(name, schema);
  throw Error("step '" + step_id_ + "' declares no output table '" + name + "' (" +
              std::string(pattern) + ")");
}

void RunContext::write(OutputTable table) {
  std::string name = table.name();
  write(std::move(name), std::move(table).build());
}

void RunContext::write(std::string name, Table table) {
  for (const auto& w : written_)
    if (w.first == name) throw Error("output table '" + name + "' written twice");
  written_.emplace_back(std::move(name), std::make_shared<Table>(std::move(table)));
}

void check_references(const PluginInfo& info, const Params& params,
                      const BindContext::SchemaLookup& lookup) {
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
                   const std::vector<std::pair<std::string, std::shared_ptr<Table>>>& written) {
  for (const auto& [name, table] : written) {
    auto it = std::find_if(declared.begin(), declared.end(),
                           [&](const auto& d) { return d.first == name; });
    if (it == declared.end())
      throw Error("plugin '" + plugin + "' wrote table '" + name + "' that it did not declare");
    if (!(table->schema() == it->second))
      throw Error("plugin '" + plugin + "' wrote table '" + name +
                  "' with other columns than it declared");
  }
  for (const auto& [name, schema] : declared) {
    auto it = std::find_if(written.begin(), written.end(),
                           [&](const auto& w) { return w.first == name; });
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
                std::string(std::isnan(c.floats[row]) ? "nan" : "inf") + ") in table '" +
                table_name + "', column '" + c.name + "'" +
                (keys.empty() ? ", row " + std::to_string(row + 1) : " at " + keys) +
                "; a plugin writes an undefined result as a missing value");
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
