// `{STEP.PARAM}` placeholders (README "Pipeline format"): replaced by resolved parameter values.
#include "placeholders.hpp"

#include <klaster/sdk/step.hpp>
#include <optional>

namespace klaster {

namespace {

std::string step_list(const std::vector<const ValidatedStep*>& steps) {
  std::string list;
  for (const auto* s : steps) list += (list.empty() ? "" : ", ") + s->config->id;
  return list;
}

std::vector<std::string> param_names(const ValidatedStep& s) {
  std::vector<std::string> names{std::string(sdk::kOutputParam)};
  for (const auto& p : s.plugin->info.params) names.push_back(p.name);
  return names;
}

/// The value of `{key}`: the step and its resolved parameter, or a PlaceholderError saying why not.
sdk::Value lookup(const std::string& key, const std::vector<const ValidatedStep*>& steps) {
  const auto dot = key.find('.');
  if (dot == std::string::npos)
    throw PlaceholderError("placeholder {" + key +
                           "} must name a step and a parameter, as in {incentive.factor} (write "
                           "{{ and }} for literal braces)");
  const std::string step = key.substr(0, dot), param = key.substr(dot + 1);
  const ValidatedStep* found = nullptr;
  std::vector<std::string> ids;
  for (const auto* s : steps) {
    ids.push_back(s->config->id);
    if (s->config->id == step) found = s;
  }
  if (!found) {
    std::string msg = "placeholder {" + key + "}: no step '" + step + "'";
    if (auto near = sdk::nearest(step, ids); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    throw PlaceholderError(msg + "; steps: " + step_list(steps));
  }
  if (param == sdk::kOutputParam) return found->output;
  if (found->plugin->info.find_param(param) == nullptr) {
    std::string msg = "placeholder {" + key + "}: step '" + step + "' (plugin '" +
                      found->plugin->info.name + "') has no parameter '" + param + "'";
    if (auto near = sdk::nearest(param, param_names(*found)); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    throw PlaceholderError(msg);
  }
  if (!found->params.has(param))
    throw PlaceholderError("placeholder {" + key + "}: parameter '" + param + "' of step '" + step +
                           "' is not set and has no default");
  return found->params.get(param);
}

/// A value as a title shows it: strings bare, lists joined by ", ", floats shortest exact.
struct TextOf {
  std::string operator()(std::monostate) const { return ""; }
  std::string operator()(bool b) const { return b ? "true" : "false"; }
  std::string operator()(std::int64_t i) const { return std::to_string(i); }
  std::string operator()(double d) const { return sdk::format_number(d); }
  std::string operator()(const std::string& s) const { return s; }
  template <typename T>
  std::string operator()(const std::vector<T>& v) const {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ", ") + (*this)(e);
    return out;
  }
};

std::string text_of(const sdk::Value& v) { return std::visit(TextOf{}, v); }

/// The key of a `{KEY}` that is all of `text`, if it is one.
std::optional<std::string> whole_placeholder(const std::string& text) {
  if (text.size() < 3 || text.front() != '{' || text.back() != '}' || text[1] == '{') return {};
  const std::string key = text.substr(1, text.size() - 2);
  if (key.find_first_of("{}") != std::string::npos) return {};
  return key;
}

/// A parameter's value as `where` values: a list gives one value per element.
std::vector<sdk::Value> where_values(const std::string& key, const sdk::Value& v) {
  if (std::holds_alternative<bool>(v))
    throw PlaceholderError("placeholder {" + key + "} is a true/false parameter; a where value " +
                           "must be a string or a number");
  std::vector<sdk::Value> out;
  auto add = [&](const auto& list) {
    for (const auto& e : list) out.push_back(e);
  };
  if (const auto* l = std::get_if<std::vector<std::string>>(&v))
    add(*l);
  else if (const auto* l = std::get_if<std::vector<std::int64_t>>(&v))
    add(*l);
  else if (const auto* l = std::get_if<std::vector<double>>(&v))
    add(*l);
  else
    out.push_back(v);
  return out;
}

}  // namespace

std::string substitute(const std::string& text, const PlaceholderLookup& lookup) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;  // {{ or }}: a literal brace
      ++i;
    } else if (c == '}') {
      throw PlaceholderError("'}' without '{' (write }} for a literal brace)");
    } else if (c == '{') {
      const auto close = text.find('}', i);
      if (close == std::string::npos)
        throw PlaceholderError("'{' without '}' (write {{ for a literal brace)");
      out += text_of(lookup(text.substr(i + 1, close - i - 1)));
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

WhereClause substitute(const WhereClause& clause, const PlaceholderLookup& lookup) {
  WhereClause out = clause;
  out.values.clear();
  for (const auto& v : clause.values) {
    const auto* s = std::get_if<std::string>(&v);
    if (s == nullptr) {
      out.values.push_back(v);
    } else if (auto key = whole_placeholder(*s)) {
      for (auto& e : where_values(*key, lookup(*key))) out.values.push_back(std::move(e));
    } else {
      out.values.push_back(substitute(*s, lookup));
    }
  }
  return out;
}

std::string substitute(const std::string& text, const std::vector<const ValidatedStep*>& steps) {
  return substitute(text, [&](const std::string& key) { return lookup(key, steps); });
}

WhereClause substitute(const WhereClause& clause, const std::vector<const ValidatedStep*>& steps) {
  return substitute(clause, [&](const std::string& key) { return lookup(key, steps); });
}

}  // namespace klaster
