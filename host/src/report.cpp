#include "report.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "errors.hpp"
#include "klaster/sdk/step.hpp"
#include "labels.hpp"
#include "output_writer.hpp"

namespace klaster {

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

sdk::Value value_of_json(const nlohmann::json& j) {
  using nlohmann::json;
  auto list = [&]<typename T>(T) {
    std::vector<T> out;
    for (const auto& e : j) out.push_back(e.get<T>());
    return sdk::Value(std::move(out));
  };
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  if (!j.is_array() || j.empty()) return std::monostate{};
  if (j.front().is_number_integer()) return list(std::int64_t{});
  if (j.front().is_number()) return list(double{});
  if (j.front().is_string()) return list(std::string{});
  return std::monostate{};
}

namespace {

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

/// The number of characters (UTF-8 code points) of `s`, for aligning columns of Russian names.
std::size_t utf8_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

/// `text` as lines of at most `width` characters (words longer than that stand alone), each
/// indented.
/// The characters of UTF-8 `text` (its bytes less the continuation bytes), so that Russian
/// text wraps at the same width as English.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string wrap(const std::string& text, std::size_t indent, std::size_t width) {
  std::string out, line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && indent + display_width(line) + 1 + display_width(word) > width) {
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

namespace {

/// A table's columns and their types as run.json records them: {"region": "string", ...}.
nlohmann::ordered_json column_types(const sdk::Schema& schema) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [name, type] : schema.columns) out[name] = sdk::to_string(type);
  return out;
}

}  // namespace

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
      written.push_back({{"table", name},
                         {"rows", rows},
                         {"file", name + ".csv"},
                         {"units", vp.tables.at(name).units},
                         {"columns", column_types(vp.tables.at(name).schema)}});
    steps.push_back({{"id", s.id},
                     {"plugin", s.plugin},
                     {"output", vp.steps[k].output},
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

namespace {

/// The rows of `rows` a summary shows, in its order: sorted by its sort column, cut at its limit.
std::vector<std::size_t> summary_order(const SummaryConfig& s, const sdk::Table& rows) {
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
  return order;
}

/// One printed column: a column of the table, or the names looked up for one.
struct SummaryColumn {
  std::string header;
  bool numeric = false;
  std::vector<std::string> cells;
};

/// code -> name from `names.table` (the first row of each code wins).
std::map<std::string, std::string> name_lookup(const SummaryName& n, const RunResult& result) {
  const sdk::Table& t = *result.tables.at(n.table);
  const sdk::Column &key = t.column(n.key), &name = t.column(n.name);
  std::map<std::string, std::string> out;
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (key.is_valid(r)) out.emplace(key.to_text(r), name.is_valid(r) ? name.to_text(r) : "");
  return out;
}

/// The names the dataset's labels give to a code column (for a summary without `names`).
SummaryColumn label_column(const std::string& column, const SummaryColumn& codes,
                           const Labels& labels) {
  SummaryColumn named{column + " name", false, {}};
  for (const auto& code : codes.cells) named.cells.push_back(labels.name(column, code));
  return named;
}

std::vector<SummaryColumn> summary_columns(const SummaryConfig& s, const sdk::Table& rows,
                                           const std::vector<std::size_t>& order,
                                           const RunResult& result, const Labels& labels) {
  std::vector<std::string> names = s.columns;
  if (names.empty())
    for (const auto& c : rows.columns()) names.push_back(c.name);
  std::vector<SummaryColumn> out;
  for (const auto& n : names) {
    const sdk::Column& c = rows.column(n);
    SummaryColumn col{c.name, c.type != sdk::ColumnType::kString, {}};
    for (std::size_t r : order) col.cells.push_back(cell_text(c, r));
    out.push_back(col);
    if (s.names.empty() && labels.covers(n)) out.push_back(label_column(n, col, labels));
    for (const auto& sn : s.names) {
      if (sn.column != n) continue;
      const auto lookup = name_lookup(sn, result);
      SummaryColumn named{sn.name, false, {}};
      for (const auto& code : out.back().cells) {
        auto it = lookup.find(code);
        named.cells.push_back(it == lookup.end() ? "" : it->second);
      }
      out.push_back(named);
    }
  }
  return out;
}

/// The columns as an aligned text table: header, a rule, a line per row.
std::string render_columns(const std::vector<SummaryColumn>& cols, std::size_t rows) {
  std::vector<std::size_t> width;
  for (const auto& c : cols) {
    std::size_t w = utf8_width(c.header);
    for (const auto& cell : c.cells) w = std::max(w, utf8_width(cell));
    width.push_back(w);
  }
  auto line = [&](const std::function<std::string(std::size_t)>& cell) {
    std::string text = " ";
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const std::string v = cell(k);
      text += " " + (cols[k].numeric ? std::string(width[k] - utf8_width(v), ' ') + v
                                     : v + std::string(width[k] - utf8_width(v), ' '));
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out = line([&](std::size_t k) { return cols[k].header; });
  out += line([&](std::size_t k) { return std::string(width[k], '-'); });
  for (std::size_t i = 0; i < rows; ++i)
    out += line([&](std::size_t k) { return cols[k].cells[i]; });
  return out;
}

/// The dataset's names of codes in English; none (with a warning) when a label table cannot be
/// read, so that a finished run still prints its summaries.
Labels summary_labels(const ValidatedPipeline& vp) {
  if (vp.dataset.labels.empty() || vp.config.summaries.empty()) return Labels("en");
  try {
    return load_labels(vp.dataset, "en");
  } catch (const HostError& e) {
    spdlog::warn("names of codes left out of the summaries: {}", e.what());
    return Labels("en");
  }
}

}  // namespace

sdk::Table summary_rows(const SummaryConfig& s, const sdk::Table& table) {
  const sdk::Table rows = apply_where(table, s.where);
  const std::vector<std::size_t> order = summary_order(s, rows);
  std::vector<sdk::Column> columns;
  if (s.columns.empty())
    for (const auto& c : rows.columns()) columns.push_back(sdk::Column::take(c, order));
  for (const auto& n : s.columns) columns.push_back(sdk::Column::take(rows.column(n), order));
  return sdk::Table(std::move(columns));
}

std::string format_summaries(const ValidatedPipeline& vp, const RunResult& result) {
  std::string out;
  const Labels labels = summary_labels(vp);
  for (const auto& s : vp.config.summaries) {
    const sdk::Table rows = apply_where(*result.tables.at(s.table), s.where);
    const std::vector<std::size_t> order = summary_order(s, rows);
    out += "\n" + (s.title.empty() ? s.table : s.title) + "\n";
    out += render_columns(summary_columns(s, rows, order, result, labels), order.size());
    if (order.empty()) out += "  (no rows)\n";
    if (!s.note.empty()) out += wrap("Note: " + s.note, 2, 100);
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

/// `english` (a text of `info`) in `lang`: the plugin's translation, else the English; with
/// `mark`, an untranslated text in another language than English ends with " [EN]".
std::string text_in(const sdk::PluginInfo& info, const std::string& lang,
                    const std::string& english, bool mark = false) {
  if (lang == "en") return english;
  if (const std::string* text = info.translation(lang, english)) return *text;
  return english + (mark && !english.empty() ? " [EN]" : "");
}

/// A table of PluginInfo::reads or ::writes: its name, columns and doc, then each documented
/// column (once: a column declared per condition, e.g. per unit, repeats its doc).
std::string table_entry(const sdk::TableSpec& t, const sdk::PluginInfo& info,
                        const std::string& lang) {
  std::string out = wrap(t.name + ": " + sdk::columns_text(t, info), 2, 100) +
                    wrap(text_in(info, lang, t.doc), 6, 100);
  std::set<std::string> shown;
  for (const auto& c : t.columns) {
    const std::string line =
        (!c.name.empty() ? c.name : "<" + c.param + ">") + ": " + text_in(info, lang, c.doc);
    if (!c.doc.empty() && shown.insert(line).second) out += wrap(line, 8, 100);
  }
  return out;
}

}  // namespace

std::string describe_plugin(const LoadedPlugin& p, const std::string& lang) {
  const sdk::PluginInfo& i = p.info;
  std::string out = fmt::format("{} {} ({})\n  {}\n\n", i.name, i.version, sdk::to_string(i.kind),
                                text_in(i, lang, i.summary, true));
  out += "Description:\n";
  std::string para;
  for (char c : text_in(i, lang, i.description, true) + "\n") {
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
    out += param_entry(s.name, type, param_rule(s), text_in(i, lang, s.doc));
  }
  out += host_params_text(i);
  out += "\nReads:\n";
  for (const auto& t : i.reads) out += table_entry(t, i, lang);
  out += "\nWrites:\n";
  for (const auto& t : i.writes) out += table_entry(t, i, lang);
  out += "\nLibrary: " + p.file.string() + "\n";
  return out;
}

std::string list_plugins(const PluginRegistry& registry) {
  std::size_t w = 4;
  for (const auto& [n, p] : registry.plugins()) w = std::max(w, n.size());
  std::string out =
      fmt::format("{:<{}}  {:<9}  {:<7}  {}\n", "NAME", w, "KIND", "VERSION", "SUMMARY");
  for (const auto& [n, p] : registry.plugins())
    out += fmt::format("{:<{}}  {:<9}  {:<7}  {}\n{:<{}}  {}  sha256 {}\n", n, w,
                       sdk::to_string(p.info.kind), p.info.version, p.info.summary, "", w,
                       p.file.string(), sha256_file(p.file));
  return out;
}

}  // namespace klaster
