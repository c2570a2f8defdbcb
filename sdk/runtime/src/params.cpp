// Parameter resolution: what a step's `params` become before bind() sees them.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "klaster/sdk/step.hpp"

namespace klaster::sdk {
namespace {

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

void check_bounds(const ParamSpec& spec, double v) {
  auto fail = [&](const std::string& rule) {
    throw ParamError(spec.name, "parameter '" + spec.name + "' = " + to_text(Value(v)) +
                                    " is out of range: must be " + rule);
  };
  if (!std::isfinite(v)) fail("a finite number");
  if (spec.min) {
    if (spec.min_exclusive ? !(v > *spec.min) : !(v >= *spec.min))
      fail(std::string(spec.min_exclusive ? "> " : ">= ") + to_text(Value(*spec.min)));
  }
  if (spec.max) {
    if (spec.max_exclusive ? !(v < *spec.max) : !(v <= *spec.max))
      fail(std::string(spec.max_exclusive ? "< " : "<= ") + to_text(Value(*spec.max)));
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
        for (const auto& a : spec.allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
        throw ParamError(spec.name, "parameter '" + spec.name + "' = " + ("\"" + s + "\"") +
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

}  // namespace klaster::sdk
