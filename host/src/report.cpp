#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "klaster/sdk/step.hpp"
#include "output_writer.hpp"

namespace klaster {

namespace {

nlohmann::json to_json(const sdk::Value& v) {
  struct Visitor {
    nlohmann::json operator()(std::monostate) const { return nullptr; }
    nlohmann::json operator()(bool b) const { return b; }
    nlohmann::json operator()(std::int64_t i) const { return i; }
    nlohmann::json operator()(double d) const { return d; }
    nlohmann::json operator()(const std::string& s) const { return s; }
    nlohmann::json operator()(const std::vector<std::string>& l) const { return l; }
    nlohmann::json operator()(const std::vector<std::int64_t>& l) const { return l; }
    nlohmann::json operator()(const std::vector<double>& l) const { return l; }
  };
  return std::visit(Visitor{}, v);
}

std::string cell_text(const sdk::Column& c, std::size_t r) {
  if (!c.is_valid(r)) return "";
  if (c.type == sdk::ColumnType::kFloat) {
    const double v = c.floats[r];
    if (std::abs(v) >= 1e5) return fmt::format("{:.0f}", v);
    if (std::abs(v) >= 100) return fmt::format("{:.2f}", v);
    return fmt::format("{:.4f}", v);
  }
  return c.to_text(r);
}

/// `text` as lines of at most `width` characters (words longer than that stand alone), each
/// indented.
std::string wrap(const std::string& text, std::size_t indent, std::size_t width) {
  std::string out, line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    if (!word.empty()) line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return out + std::string(indent, ' ') + line + "\n";
}

}  // namespace

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::map<std::string, std::string> checksum_inputs(const ValidatedPipeline& vp) {
  std::map<std::string, std::string> out;
  out[vp.config.path.string()] = sha256_file(vp.config.path);
  out[vp.dataset.path.string()] = sha256_file(vp.dataset.path);
  for (const auto& t : vp.dataset.tables)
    if (!out.count(t.file.string())) out[t.file.string()] = sha256_file(t.file);
  for (const auto& s : vp.steps)
    if (!out.count(s.plugin->file.string()))
      out[s.plugin->file.string()] = sha256_file(s.plugin->file);
  return out;
}

std::string run_record_json(const ValidatedPipeline& vp, const RunResult& result,
                            const std::map<std::string, std::string>& checksums,
                            const std::vector<std::string>& overrides, double wall_seconds,
                            const std::string& started_at) {
  auto sha = [&](const std::filesystem::path& p) { return checksums.at(p.string()); };
  nlohmann::ordered_json j;
  j["written_by"] = "klaster";  // how a later run recognises a folder it may replace
  j["klaster_version"] = KLASTER_VERSION;
  j["sdk_abi_version"] = KLASTER_SDK_ABI_VERSION;
  j["started_at"] = started_at;
  j["wall_seconds"] = wall_seconds;
  j["pipeline"] = {{"name", vp.config.name},
                   {"file", vp.config.path.string()},
                   {"sha256", sha(vp.config.path)},
                   {"overrides", overrides}};
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& t : vp.dataset.tables)
    files.push_back({{"table", t.name}, {"file", t.file.string()}, {"sha256", sha(t.file)}});
  j["dataset"] = {{"name", vp.dataset.name},
                  {"source", vp.dataset.source},
                  {"manifest", vp.dataset.path.string()},
                  {"manifest_sha256", sha(vp.dataset.path)},
                  {"files", files}};
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < result.steps.size(); ++k) {
    const StepRecord& s = result.steps[k];
    const std::filesystem::path& library = vp.steps[k].plugin->file;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [k, v] : s.params.all()) params[k] = to_json(v);
    nlohmann::ordered_json written = nlohmann::ordered_json::array();
    for (const auto& [name, rows] : s.tables_written)
      written.push_back({{"table", name}, {"rows", rows}, {"file", name + ".csv"}});
    steps.push_back({{"id", s.id},
                     {"plugin", s.plugin},
                     {"plugin_version", s.plugin_version},
                     {"plugin_library", library.string()},
                     {"plugin_sha256", sha(library)},
                     {"params", params},
                     {"tables_written", written},
                     {"wall_seconds", s.seconds},
                     {"status", s.status}});
  }
  j["steps"] = steps;
  return j.dump(2) + "\n";
}

std::string format_summaries(const ValidatedPipeline& vp, const RunResult& result) {
  std::string out;
  for (const auto& s : vp.config.summaries) {
    const sdk::TablePtr table = result.tables.at(s.table);
    const sdk::Table rows = apply_where(*table, s.where);
    std::vector<std::size_t> order(rows.rows());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (!s.sort.empty()) {
      const sdk::Column& key = rows.column(s.sort);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (key.type == sdk::ColumnType::kString)
          return s.descending ? key.str(a) > key.str(b) : key.str(a) < key.str(b);
        return s.descending ? key.number(a) > key.number(b) : key.number(a) < key.number(b);
      });
    }
    if (s.limit > 0 && order.size() > static_cast<std::size_t>(s.limit))
      order.resize(static_cast<std::size_t>(s.limit));
    std::vector<const sdk::Column*> cols;
    if (s.columns.empty())
      for (const auto& c : rows.columns()) cols.push_back(&c);
    else
      for (const auto& n : s.columns) cols.push_back(&rows.column(n));
    std::vector<std::vector<std::string>> cells(order.size() + 1);
    for (const auto* c : cols) cells[0].push_back(c->name);
    for (std::size_t i = 0; i < order.size(); ++i)
      for (const auto* c : cols) cells[i + 1].push_back(cell_text(*c, order[i]));
    std::vector<std::size_t> width(cols.size(), 0);
    for (const auto& row : cells)
      for (std::size_t k = 0; k < row.size(); ++k) width[k] = std::max(width[k], row[k].size());
    out += "\n" + (s.title.empty() ? s.table : s.title) + "\n";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string line = " ";
      for (std::size_t k = 0; k < cols.size(); ++k) {
        const bool numeric = cols[k]->type != sdk::ColumnType::kString;
        line += " " + (numeric ? fmt::format("{:>{}}", cells[i][k], width[k])
                               : fmt::format("{:<{}}", cells[i][k], width[k]));
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
      if (i == 0) {
        std::string rule = " ";
        for (std::size_t k = 0; k < cols.size(); ++k) rule += " " + std::string(width[k], '-');
        out += rule + "\n";
      }
    }
    if (order.empty()) out += "  (no rows)\n";
  }
  return out;
}

namespace {

/// "required", "default 0.5", "optional", with bounds, allowed values and the primary-input mark.
std::string param_rule(const sdk::ParamSpec& s) {
  std::string rule;
  if (s.required)
    rule = "required";
  else if (!std::holds_alternative<std::monostate>(s.default_value))
    rule = "default " + sdk::to_text(s.default_value);
  else
    rule = "optional";
  if (s.primary_input) rule += ", primary input";
  if (s.optional_column) rule += ", used if present";
  if (s.numeric_column) rule += ", numeric";
  if (s.min) rule += fmt::format(", {} {}", s.min_exclusive ? ">" : ">=", sdk::to_text(*s.min));
  if (s.max) rule += fmt::format(", {} {}", s.max_exclusive ? "<" : "<=", sdk::to_text(*s.max));
  if (!s.allowed.empty()) {
    std::string list;
    for (const auto& a : s.allowed) list += (list.empty() ? "" : " | ") + ("\"" + a + "\"");
    rule += ", one of " + list;
  }
  return rule;
}

std::string param_entry(const std::string& name, const std::string& type, const std::string& rule,
                        const std::string& doc) {
  return fmt::format("  {:<20} {:<22} {}\n", name, type, rule) + wrap(doc, 23, 100);
}

/// The host's step keys, as sdk::host_params() declares them, and which table a plain `where`
/// filters for this plugin.
std::string host_params_text(const sdk::PluginInfo& info) {
  std::string out = "\nHost parameters (every step, declared by klaster):\n";
  for (const auto& h : sdk::host_params()) out += param_entry(h.name, h.type, h.rule, h.doc);
  const sdk::ParamSpec* primary = info.primary_input();
  out +=
      wrap(primary ? "Primary input: '" + primary->name + "'; where = { column = ... } filters it."
                   : "Primary input: none; name the table in where = { <table parameter> = { "
                     "column = ... } }.",
           2, 100);
  return out;
}

/// A table of PluginInfo::reads or ::writes: its name, columns and doc, then each documented
/// column.
std::string table_entry(const sdk::TableSpec& t, const sdk::PluginInfo& info) {
  std::string out = wrap(t.name + ": " + sdk::columns_text(t, info), 2, 100) + wrap(t.doc, 6, 100);
  for (const auto& c : t.columns)
    if (!c.doc.empty())
      out += wrap((c.param.empty() ? c.name : "<" + c.param + ">") + ": " + c.doc, 8, 100);
  return out;
}

}  // namespace

std::string describe_plugin(const LoadedPlugin& p) {
  const sdk::PluginInfo& i = p.info;
  std::string out =
      fmt::format("{} {} ({})\n  {}\n\n", i.name, i.version, sdk::to_string(i.kind), i.summary);
  out += "Description:\n";
  std::string para;
  for (char c : i.description + "\n") {
    if (c == '\n') {
      out += wrap(para, 2, 100);
      para.clear();
    } else {
      para += c;
    }
  }
  out += "\nParameters:\n";
  for (const auto& s : i.params) {
    std::string type = sdk::to_string(s.type);
    if (!s.table_param.empty()) type += " of " + s.table_param;
    out += param_entry(s.name, type, param_rule(s), s.doc);
  }
  out += host_params_text(i);
  out += "\nReads:\n";
  for (const auto& t : i.reads) out += table_entry(t, i);
  out += "\nWrites:\n";
  for (const auto& t : i.writes) out += table_entry(t, i);
  out += "\nLibrary: " + p.file.string() + "\n";
  return out;
}

std::string list_plugins(const PluginRegistry& registry) {
  std::size_t w = 4;
  for (const auto& [n, p] : registry.plugins()) w = std::max(w, n.size());
  std::string out =
      fmt::format("{:<{}}  {:<9}  {:<7}  {}\n", "NAME", w, "KIND", "VERSION", "SUMMARY");
  for (const auto& [n, p] : registry.plugins())
    out += fmt::format("{:<{}}  {:<9}  {:<7}  {}\n", n, w, sdk::to_string(p.info.kind),
                       p.info.version, p.info.summary);
  return out;
}

}  // namespace klaster
