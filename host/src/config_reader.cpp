// Reads pipeline files and dataset manifests. With batch_reader.cpp and labels.cpp, the only files
// of the host that include toml11 (their shared helpers: toml_support.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <toml.hpp>
#include <tuple>

#include "config.hpp"
#include "errors.hpp"
#include "toml_support.hpp"

namespace klaster {

namespace fs = std::filesystem;

std::string Location::prefix() const { return line ? file + ":" + std::to_string(line) : file; }

std::string Location::context() const {
  if (line_text.empty() || line == 0) return {};
  const std::string num = std::to_string(line);
  std::string out = "  " + num + " | " + line_text + "\n";
  out += "  " + std::string(num.size(), ' ') + " | ";
  if (column > 0)
    out += std::string(column - 1, ' ') + std::string(std::max<std::size_t>(1, width), '^');
  return out;
}

sdk::Schema TableManifest::schema() const {
  sdk::Schema s;
  if (layout == "matrix") {
    s.add("row", sdk::ColumnType::kString);
    s.add("column", sdk::ColumnType::kString);
    s.add("value", sdk::ColumnType::kFloat);
    if (!label_column.empty()) s.add("row_label", sdk::ColumnType::kString);
    return s;
  }
  for (const auto& c : columns) s.add(c.name, c.type);
  if (format == "geojson") s.add("geometry", sdk::ColumnType::kString);
  return s;
}

namespace detail {

namespace {

/// The line of `first` in `source`. toml11's source_location counts the newlines from the start
/// of the file on every call, which made reading a pipeline quadratic in its length (10,000 steps:
/// 47 s); the offsets of the last source's newlines are kept instead, and searched.
std::size_t line_number(const std::shared_ptr<const std::vector<char>>& source,
                        std::vector<char>::const_iterator first) {
  thread_local std::shared_ptr<const std::vector<char>> cached;  // kept alive: no address reuse
  thread_local std::vector<std::size_t> newlines;
  if (cached != source) {
    cached = source;
    newlines.clear();
    for (std::size_t i = 0; i < source->size(); ++i)
      if ((*source)[i] == '\n') newlines.push_back(i);
  }
  const auto offset = static_cast<std::size_t>(first - source->cbegin());
  return 1 + static_cast<std::size_t>(std::lower_bound(newlines.begin(), newlines.end(), offset) -
                                      newlines.begin());
}

}  // namespace

Location location_of(const toml::value& v, const std::string& file) {
  Location loc;
  loc.file = file;
  const auto* region = dynamic_cast<const toml::detail::region*>(toml::detail::get_region(v));
  if (!region) {  // a value built in code, not read from the file: toml11's own answer
    const toml::source_location l = v.location();
    loc.line = l.line();
    loc.column = l.column();
    loc.width = l.region();
    loc.line_text = l.line_str();
    return loc;
  }
  loc.line = line_number(region->source(), region->first());
  loc.column = region->before() + 1;
  loc.width = region->size();
  loc.line_text = region->line();
  return loc;
}

void fail(int code, const Location& loc, const std::string& message) {
  std::string text = loc.prefix() + ": " + message;
  if (auto ctx = loc.context(); !ctx.empty()) text += "\n" + ctx;
  throw HostError(code, text);
}

namespace {

/// toml11 parses arrays and inline tables recursively, so a value nested some thousands deep
/// overflows the stack (fuzz_pipeline, fuzz_set; docs/fuzzing.md). No pipeline, manifest, batch
/// file or --set value nests more than a few levels: deeper is refused before parsing.
constexpr int kMaxTomlNesting = 64;

/// The index of the last character of the TOML string opening at text[i] ('"', '\'', or three
/// of them); `line` counts the newlines inside it.
std::size_t string_end(std::string_view text, std::size_t i, std::size_t& line) {
  const char q = text[i];
  const bool multi = text.substr(i, 3) == std::string(3, q);
  const std::string_view close = text.substr(i, multi ? 3 : 1);
  for (std::size_t j = i + close.size(); j < text.size(); ++j) {
    if (text[j] == '\n') {
      if (!multi) return j - 1;  // an unclosed one-line string: toml11 names it
      ++line;
    } else if (text[j] == '\\' && q == '"' && j + 1 < text.size() && text[j + 1] != '\n') {
      ++j;  // an escaped character, maybe a quote
    } else if (text.substr(j, close.size()) == close) {
      return j + close.size() - 1;
    }
  }
  return text.size() - 1;
}

/// The line where `text` opens an array or inline table nested deeper than kMaxTomlNesting
/// (brackets in comments and strings not counted); 0 when there is none.
std::size_t too_deep_line(std::string_view text) {
  int depth = 0;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n')
      ++line;
    else if (c == '#')
      i = std::min(text.find('\n', i), text.size()) - 1;
    else if (c == '"' || c == '\'')
      i = string_end(text, i, line);
    else if ((c == '[' || c == '{') && ++depth > kMaxTomlNesting)
      return line;
    else if ((c == ']' || c == '}') && depth > 0)
      --depth;
  }
  return 0;
}

std::string too_deep_message() {
  return "arrays or inline tables nested more than " + std::to_string(kMaxTomlNesting) + " deep";
}

/// ": not valid UTF-8 (byte 0xE5)" for `text` whose byte `at` is the first bad one, after the
/// line it is on ("" for a one-line text). TOML is UTF-8, and toml11 reads past the end of its
/// buffer on some invalid sequences in multi-line strings (fuzz_set; docs/fuzzing.md), so a text
/// that is not UTF-8 never reaches it.
std::string not_utf8(std::string_view text, std::size_t at, bool with_line) {
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  return with_line ? ":" + std::to_string(line) + ": not valid UTF-8 (byte " + byte +
                         "); save the file as UTF-8"
                   : std::string(": not valid UTF-8 (byte ") + byte + ")";
}

}  // namespace

toml::value parse_file(const fs::path& path, int code, const std::string& what) {
  if (!fs::exists(path)) throw HostError(code, path.string() + ": " + what + " not found");
  if (fs::is_directory(path)) throw HostError(code, path.string() + ": is a folder, not a " + what);
  std::ifstream file(path, std::ios::binary);
  if (!file) throw HostError(code, path.string() + ": cannot open the " + what);
  std::stringstream in;
  in << file.rdbuf();
  if (const std::size_t at = sdk::invalid_utf8_at(in.view()); at != std::string_view::npos)
    throw HostError(code, path.string() + not_utf8(in.view(), at, true));
  if (const std::size_t line = too_deep_line(in.view()))
    throw HostError(code, path.string() + ":" + std::to_string(line) + ": " + too_deep_message());
  try {
    return toml::parse(in, path.string());
  } catch (const toml::syntax_error& e) {
    // toml11's message: "[error] <what>\n --> file\n   |\n 3 | line\n   |  ^--- here"
    std::string msg = e.what();
    std::string first = msg.substr(0, msg.find('\n'));
    if (first.rfind("[error] ", 0) == 0) first = first.substr(8);
    std::string rest;
    if (auto nl = msg.find('\n'); nl != std::string::npos) {
      // Keep toml11's caret picture, without its " --> file" line (we name the file up front).
      std::istringstream lines(msg.substr(nl + 1));
      std::string line;
      while (std::getline(lines, line))
        if (line.rfind(" --> ", 0) != 0) rest += "\n" + line;
    }
    throw HostError(code, path.string() + ":" + std::to_string(e.location().line()) +
                              ": TOML syntax error: " + first + rest);
  } catch (const std::exception& e) {
    throw HostError(code, path.string() + ": " + e.what());
  }
}

const char* type_name(const toml::value& v) {
  switch (v.type()) {
    case toml::value_t::boolean:
      return "a boolean";
    case toml::value_t::integer:
      return "an integer";
    case toml::value_t::floating:
      return "a float";
    case toml::value_t::string:
      return "a string";
    case toml::value_t::array:
      return "an array";
    case toml::value_t::table:
      return "a table";
    default:
      return "a date or time";
  }
}

/// Checks that a table holds only `allowed` keys; reports the first other one with a suggestion.
void check_keys(const toml::value& table, const std::vector<std::string>& allowed,
                const std::string& file, const std::string& where, int code) {
  for (const auto& [key, value] : table.as_table()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string msg = "unknown key '" + key + "'" + where;
    if (auto near = sdk::nearest(key, allowed); !near.empty())
      msg += " (did you mean '" + near + "'?)";
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    msg += "; allowed keys: " + list;
    fail(code, location_of(value, file), msg);
  }
}

std::string get_string(const toml::value& table, const std::string& key, const std::string& file,
                       const std::string& where, int code, bool required) {
  if (!table.contains(key)) {
    if (required) fail(code, location_of(table, file), "missing key '" + key + "'" + where);
    return {};
  }
  const toml::value& v = table.at(key);
  if (!v.is_string())
    fail(code, location_of(v, file),
         "'" + key + "'" + where + " must be a string, got " + type_name(v));
  return v.as_string().str;
}

/// A TOML float that must be finite. toml11 reads a literal beyond the range of a double (1e309) as
/// +-DBL_MAX, so that value is refused too: nobody means it, and products of it overflow.
double finite_float(const toml::value& v, const std::string& file, const std::string& what) {
  const double d = v.as_floating();
  if (!std::isfinite(d) || std::fabs(d) == std::numeric_limits<double>::max())
    fail(
        kExitPipeline, location_of(v, file),
        what +
            " must be a finite number within +-1.8e308 (nan, inf and larger literals are refused)");
  return d;
}

/// Converts a TOML parameter value to an sdk::Value.
sdk::Value to_value(const toml::value& v, const std::string& file, const std::string& what) {
  switch (v.type()) {
    case toml::value_t::boolean:
      return v.as_boolean();
    case toml::value_t::integer:
      return static_cast<std::int64_t>(v.as_integer());
    case toml::value_t::floating:
      return finite_float(v, file, what);
    case toml::value_t::string:
      return v.as_string().str;
    case toml::value_t::array: {
      const auto& a = v.as_array();
      bool all_str = true, all_int = true, all_num = true;
      for (const auto& e : a) {
        all_str = all_str && e.is_string();
        all_int = all_int && e.is_integer();
        all_num = all_num && (e.is_integer() || e.is_floating());
      }
      if (a.empty()) return std::vector<std::int64_t>{};
      if (all_str) {
        std::vector<std::string> out;
        for (const auto& e : a) out.push_back(e.as_string().str);
        return out;
      }
      if (all_int) {
        std::vector<std::int64_t> out;
        for (const auto& e : a) out.push_back(e.as_integer());
        return out;
      }
      if (all_num) {
        std::vector<double> out;
        for (const auto& e : a)
          out.push_back(e.is_integer() ? static_cast<double>(e.as_integer())
                                       : finite_float(e, file, what));
        return out;
      }
      fail(kExitPipeline, location_of(v, file),
           what + ": a list must hold only strings or only numbers");
    }
    default:
      fail(kExitPipeline, location_of(v, file), what + " cannot be " + type_name(v));
  }
}

}  // namespace detail

using namespace detail;

namespace {

bool before(const Location& a, const Location& b) {
  return std::tie(a.line, a.column) < std::tie(b.line, b.column);
}

/// One clause `column = value | [values]`; `path` is how the pipeline spells its key
/// ("where.region", "where.plants.region") and `where` says whose it is (" in step 'lq'").
WhereClause read_where_clause(const std::string& column, const toml::value& value,
                              const std::string& file, const std::string& path,
                              const std::string& where) {
  WhereClause c;
  c.column = column;
  c.loc = location_of(value, file);
  const std::string what = "'" + path + "'" + where;
  auto one = [&](const toml::value& e) -> sdk::Value {
    if (e.is_string()) return e.as_string().str;
    if (e.is_integer()) return static_cast<std::int64_t>(e.as_integer());
    if (e.is_floating()) return finite_float(e, file, what);
    fail(kExitPipeline, location_of(e, file),
         what + " must be a string, a number or a list of them, got " + type_name(e));
  };
  if (!value.is_array()) {
    c.values.push_back(one(value));
    return c;
  }
  for (const auto& e : value.as_array()) c.values.push_back(one(e));
  if (c.values.empty())
    fail(kExitPipeline, c.loc, what + " is an empty list: it would select no rows");
  return c;
}

void require_where_table(const toml::value& v, const std::string& file, const std::string& path,
                         const std::string& where) {
  if (!v.is_table())
    fail(kExitPipeline, location_of(v, file),
         "'" + path + "'" + where +
             " must be a table such as { industry = \"C\", year = [2024, 2025] }");
}

}  // namespace

std::vector<WhereClause> detail::read_where(const toml::value& v, const std::string& file,
                                            const std::string& where, const std::string& path) {
  require_where_table(v, file, path, where);
  std::vector<WhereClause> out;
  for (const auto& [column, value] : v.as_table())
    out.push_back(read_where_clause(column, value, file, path + "." + column, where));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return before(a.loc, b.loc); });
  return out;
}

namespace {

/// A step's `where`: a key holding a table names a table parameter and holds the clauses on its
/// table; any other key is a column of the plugin's primary input. Filters in file order.
std::vector<TableFilter> read_step_where(const toml::value& v, const std::string& file,
                                         const std::string& where) {
  require_where_table(v, file, "where", where);
  TableFilter primary;
  std::vector<TableFilter> out;
  for (const auto& [key, value] : v.as_table()) {
    if (value.is_table())
      out.push_back(
          {key, read_where(value, file, where, "where." + key), location_of(value, file)});
    else
      primary.clauses.push_back(read_where_clause(key, value, file, "where." + key, where));
  }
  if (!primary.clauses.empty()) {
    std::sort(primary.clauses.begin(), primary.clauses.end(),
              [](const auto& a, const auto& b) { return before(a.loc, b.loc); });
    primary.loc = primary.clauses.front().loc;
    out.push_back(std::move(primary));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return before(a.loc, b.loc); });
  return out;
}

StepConfig read_step(const toml::value& v, std::size_t index, const std::string& file) {
  const std::string where = " in step #" + std::to_string(index + 1);
  if (!v.is_table())
    fail(kExitPipeline, location_of(v, file),
         "step #" + std::to_string(index + 1) + " must be a table");
  StepConfig s;
  s.loc = location_of(v, file);
  s.id = get_string(v, "id", file, where, kExitPipeline, true);
  const std::string w = " in step '" + s.id + "'";
  check_keys(v, {"id", "plugin", "params", "where", "description"}, file, w, kExitPipeline);
  static const std::regex id_re("[a-z0-9_]+");
  if (!std::regex_match(s.id, id_re))
    fail(kExitPipeline, location_of(v.at("id"), file),
         "step id '" + s.id + "' must match [a-z0-9_]+");
  s.plugin = get_string(v, "plugin", file, w, kExitPipeline, true);
  s.plugin_loc = location_of(v.at("plugin"), file);
  if (v.contains("params")) {
    const toml::value& p = v.at("params");
    if (!p.is_table())
      fail(kExitPipeline, location_of(p, file), "'params'" + w + " must be a table");
    for (const auto& [key, value] : p.as_table()) {
      s.params[key] = to_value(value, file, "step '" + s.id + "': parameter '" + key + "'");
      s.param_locs[key] = location_of(value, file);
    }
  }
  if (v.contains("where")) s.where = read_step_where(v.at("where"), file, w);
  return s;
}

/// `names = { column = ["table", "key", "name"], ... }` of a [[summary]].
std::vector<SummaryName> read_summary_names(const toml::value& v, const std::string& file,
                                            const std::string& w) {
  const std::string form = " must be { column = [\"table\", \"key column\", \"name column\"] }";
  if (!v.is_table()) fail(kExitPipeline, location_of(v, file), "'names'" + w + form);
  std::vector<SummaryName> names;
  for (const auto& [column, spec] : v.as_table()) {
    const sdk::Value value = to_value(spec, file, "'names." + column + "'" + w);
    const auto* l = std::get_if<std::vector<std::string>>(&value);
    if (l == nullptr || l->size() != 3)
      fail(kExitPipeline, location_of(spec, file), "'names." + column + "'" + w + form);
    names.push_back({column, (*l)[0], (*l)[1], (*l)[2], location_of(spec, file)});
  }
  return names;
}

SummaryConfig read_summary(const toml::value& v, const std::string& file) {
  if (!v.is_table())
    fail(kExitPipeline, location_of(v, file), "a [[summary]] entry must be a table");
  SummaryConfig s;
  s.loc = location_of(v, file);
  const std::string w = " in [[summary]]";
  check_keys(v,
             {"title", "table", "where", "columns", "sort", "descending", "limit", "names", "note",
              "title_ru", "note_ru"},
             file, w, kExitPipeline);
  auto text = [&](const char* key, std::string& value, Location& loc) {
    value = get_string(v, key, file, w, kExitPipeline, false);
    if (v.contains(key)) loc = location_of(v.at(key), file);
  };
  text("title", s.title, s.title_loc);
  text("note", s.note, s.note_loc);
  text("title_ru", s.title_ru, s.title_ru_loc);
  text("note_ru", s.note_ru, s.note_ru_loc);
  if (v.contains("names")) s.names = read_summary_names(v.at("names"), file, w);
  s.table = get_string(v, "table", file, w, kExitPipeline, true);
  s.sort = get_string(v, "sort", file, w, kExitPipeline, false);
  if (v.contains("where")) s.where = read_where(v.at("where"), file, w);
  if (v.contains("columns")) {
    sdk::Value c = to_value(v.at("columns"), file, "'columns'" + w);
    if (auto* l = std::get_if<std::vector<std::string>>(&c))
      s.columns = *l;
    else
      fail(kExitPipeline, location_of(v.at("columns"), file),
           "'columns'" + w + " must be a list of column names");
  }
  if (v.contains("descending")) {
    if (!v.at("descending").is_boolean())
      fail(kExitPipeline, location_of(v.at("descending"), file),
           "'descending'" + w + " must be true or false");
    s.descending = v.at("descending").as_boolean();
  }
  if (v.contains("limit")) {
    if (!v.at("limit").is_integer() || v.at("limit").as_integer() < 0)
      fail(kExitPipeline, location_of(v.at("limit"), file),
           "'limit'" + w + " must be a non-negative integer");
    s.limit = v.at("limit").as_integer();
  }
  return s;
}

/// The CSV options of a [tables.NAME] section: separator, decimal, trim.
sdk::CsvOptions read_csv_options(const toml::value& t, const std::string& name,
                                 const std::string& file) {
  const std::string w = " in [tables." + name + "]";
  sdk::CsvOptions o;
  o.table = name;
  if (t.contains("trim")) {
    if (!t.at("trim").is_boolean())
      fail(kExitDataset, location_of(t.at("trim"), file), "'trim'" + w + " must be true or false");
    o.trim = t.at("trim").as_boolean();
  }
  if (t.contains("separator")) {
    const std::string sep = get_string(t, "separator", file, w, kExitDataset, false);
    if (sep.size() != 1 || sep == "\"" || sep == "\n" || sep == "\r")
      fail(kExitDataset, location_of(t.at("separator"), file),
           "separator \"" + sep + "\"" + w +
               " must be one character other than a quote or a line break, such as \";\" or "
               "\"\\t\"");
    o.separator = sep[0];
  }
  if (t.contains("decimal")) {
    const std::string dec = get_string(t, "decimal", file, w, kExitDataset, false);
    if (dec != "." && dec != ",")
      fail(kExitDataset, location_of(t.at("decimal"), file),
           "decimal \"" + dec + "\"" + w + " must be \".\" or \",\"");
    o.decimal = dec[0];
    if (o.decimal == o.separator)
      fail(kExitDataset, location_of(t.at("decimal"), file),
           "decimal = \"" + dec + "\"" + w + " needs another separator: set separator = \";\"");
  }
  return o;
}

/// `format`: "csv" (default) or "geojson". A .geojson file without it is refused: read as CSV it
/// would give a confusing header error.
std::string read_format(const toml::value& t, const fs::path& data_file, const std::string& file,
                        const std::string& w) {
  std::string format = get_string(t, "format", file, w, kExitDataset, false);
  if (format.empty()) {
    const std::string ext = data_file.extension().string();
    if (ext == ".geojson")
      fail(kExitDataset, location_of(t.at("file"), file),
           "file '" + data_file.filename().string() + "'" + w +
               " looks like GeoJSON: add format = \"geojson\" (tables are CSV by default)");
    return "csv";
  }
  if (format != "csv" && format != "geojson")
    fail(kExitDataset, location_of(t.at("format"), file),
         "format '" + format + "'" + w + " must be \"csv\" or \"geojson\"");
  return format;
}

/// A GeoJSON table: one row per feature, so no matrix layout and no CSV separator or decimal mark;
/// `geometry` is the reader's own column.
void check_geojson_manifest(const toml::value& t, const TableManifest& m, const std::string& file,
                            const std::string& w) {
  for (const char* key : {"layout", "label_column", "skip_columns", "separator", "decimal"})
    if (t.contains(key))
      fail(kExitDataset, location_of(t.at(key), file),
           "'" + std::string(key) + "'" + w +
               " does not apply to format = \"geojson\" (one row per feature)");
  for (const auto& c : m.columns)
    if (c.name == "geometry")
      fail(kExitDataset, location_of(t.at("columns"), file),
           "column 'geometry'" + w +
               " is added by the GeoJSON reader (each feature's geometry as JSON text); declare "
               "only properties in 'columns'");
}

}  // namespace

PipelineConfig read_pipeline(const fs::path& path) {
  const std::string file = path.string();
  const toml::value root = parse_file(path, kExitPipeline, "pipeline file");
  PipelineConfig p;
  p.path = path;
  check_keys(root, {"name", "description", "dataset", "output", "step", "summary"}, file,
             " at top level", kExitPipeline);
  p.name = get_string(root, "name", file, "", kExitPipeline, true);
  p.description = get_string(root, "description", file, "", kExitPipeline, false);
  const std::string dataset = get_string(root, "dataset", file, "", kExitPipeline, true);
  p.dataset_loc = location_of(root.at("dataset"), file);
  p.dataset_dir = (path.parent_path() / dataset).lexically_normal();
  p.output = get_string(root, "output", file, "", kExitPipeline, false);
  if (p.output.empty()) p.output = "out/" + path.stem().string();
  if (!root.contains("step"))
    fail(kExitPipeline, location_of(root, file), "the pipeline has no [[step]]");
  const toml::value& steps = root.at("step");
  if (!steps.is_array())
    fail(kExitPipeline, location_of(steps, file),
         "'step' must be an array of tables: write [[step]]");
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < steps.as_array().size(); ++i) {
    StepConfig s = read_step(steps.as_array()[i], i, file);
    if (auto it = seen.find(s.id); it != seen.end())
      fail(kExitPipeline, location_of(steps.as_array()[i].at("id"), file),
           "duplicate step id '" + s.id + "' (first used by step #" +
               std::to_string(it->second + 1) + ")");
    seen[s.id] = i;
    p.steps.push_back(std::move(s));
  }
  if (root.contains("summary")) {
    const toml::value& sums = root.at("summary");
    if (!sums.is_array())
      fail(kExitPipeline, location_of(sums, file),
           "'summary' must be an array of tables: write [[summary]]");
    for (const auto& s : sums.as_array()) p.summaries.push_back(read_summary(s, file));
  }
  return p;
}

namespace {

/// The declared columns of a long table, in the order of the manifest line: toml11 tables are
/// unordered, so they are ordered by position.
std::vector<sdk::CsvColumnSpec> read_columns(const toml::value& t, const TableManifest& m,
                                             const std::string& file, const std::string& w) {
  if (!t.contains("columns") || !t.at("columns").is_table())
    fail(
        kExitDataset, m.loc,
        "[tables." + m.name + "] needs columns = { name = \"string\" | \"int\" | \"float\", ... }");
  std::vector<std::pair<std::size_t, sdk::CsvColumnSpec>> cols;
  for (const auto& [cname, ctype] : t.at("columns").as_table()) {
    const Location l = location_of(ctype, file);
    if (!ctype.is_string())
      fail(kExitDataset, l,
           "type of column '" + cname + "'" + w + " must be \"string\", \"int\" or \"float\"");
    auto type = sdk::column_type_from_string(ctype.as_string().str);
    if (!type)
      fail(kExitDataset, l,
           "unknown type \"" + ctype.as_string().str + "\" of column '" + cname + "'" + w +
               ": use \"string\", \"int\" or \"float\"");
    cols.push_back({l.line * 100000 + l.column, {cname, *type}});
  }
  std::sort(cols.begin(), cols.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<sdk::CsvColumnSpec> out;
  for (auto& c : cols) out.push_back(c.second);
  return out;
}

/// `skip_columns` of a matrix table: an array of distinct column names other than label_column.
std::vector<std::string> read_skip_columns(const toml::value& t, const TableManifest& m,
                                           const std::string& file, const std::string& w) {
  if (!t.contains("skip_columns")) return {};
  const toml::value& v = t.at("skip_columns");
  if (m.layout != "matrix")
    fail(kExitDataset, location_of(v, file),
         "'skip_columns'" + w +
             " applies to layout = \"matrix\" only (a long table reads just "
             "its declared columns)");
  if (!v.is_array())
    fail(kExitDataset, location_of(v, file),
         "'skip_columns'" + w + " must be an array of column names, got " + type_name(v));
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_string())
      fail(kExitDataset, location_of(e, file),
           "'skip_columns'" + w + " must hold column names (strings), got " + type_name(e));
    const std::string& name = e.as_string().str;
    if (name == m.label_column || std::find(out.begin(), out.end(), name) != out.end())
      fail(kExitDataset, location_of(e, file),
           "column '" + name + "' is named twice in 'skip_columns'/'label_column'" + w);
    out.push_back(name);
  }
  return out;
}

/// One [tables.NAME] section.
TableManifest read_table_manifest(const std::string& name, const toml::value& t,
                                  const fs::path& dir, const std::string& file) {
  const std::string w = " in [tables." + name + "]";
  if (!t.is_table())
    fail(kExitDataset, location_of(t, file), "[tables." + name + "] must be a table");
  check_keys(t,
             {"file", "format", "columns", "layout", "label_column", "skip_columns", "unit",
              "description", "separator", "decimal", "trim"},
             file, w, kExitDataset);
  TableManifest m;
  m.name = name;
  m.loc = location_of(t, file);
  m.file = (dir / get_string(t, "file", file, w, kExitDataset, true)).lexically_normal();
  m.format = read_format(t, m.file, file, w);
  m.layout = get_string(t, "layout", file, w, kExitDataset, false);
  if (m.layout.empty()) m.layout = "long";
  if (m.layout != "long" && m.layout != "matrix")
    fail(kExitDataset, location_of(t.at("layout"), file),
         "layout '" + m.layout + "'" + w + " must be \"long\" or \"matrix\"");
  m.label_column = get_string(t, "label_column", file, w, kExitDataset, false);
  m.skip_columns = read_skip_columns(t, m, file, w);
  m.unit = get_string(t, "unit", file, w, kExitDataset, false);
  m.description = get_string(t, "description", file, w, kExitDataset, false);
  m.csv = read_csv_options(t, name, file);
  if (m.layout == "long")
    m.columns = read_columns(t, m, file, w);
  else if (t.contains("columns"))
    fail(kExitDataset, location_of(t.at("columns"), file),
         "a matrix table" + w + " takes no 'columns': its columns are row, column, value");
  if (m.format == "geojson") check_geojson_manifest(t, m, file, w);
  return m;
}

}  // namespace

DatasetManifest read_dataset_manifest(const fs::path& dir) {
  if (!fs::is_directory(dir))
    throw HostError(kExitDataset, dir.string() + ": dataset folder not found");
  const fs::path path = dir / "dataset.toml";
  const std::string file = path.string();
  const toml::value root = parse_file(path, kExitDataset, "dataset manifest (dataset.toml)");
  DatasetManifest d;
  d.path = path;
  check_keys(root, {"name", "source", "description", "tables", "labels"}, file, " at top level",
             kExitDataset);
  d.name = get_string(root, "name", file, "", kExitDataset, true);
  d.source = get_string(root, "source", file, "", kExitDataset, false);
  d.description = get_string(root, "description", file, "", kExitDataset, false);
  if (!root.contains("tables") || !root.at("tables").is_table())
    fail(kExitDataset, location_of(root, file), "missing [tables.NAME] sections");
  for (const auto& [name, t] : root.at("tables").as_table())
    d.tables.push_back(read_table_manifest(name, t, dir, file));
  std::sort(d.tables.begin(), d.tables.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  d.labels = read_label_manifests(root, d);
  return d;
}

namespace {

StepConfig& find_step(PipelineConfig& pipeline, const std::string& step, const std::string& who) {
  auto it = std::find_if(pipeline.steps.begin(), pipeline.steps.end(),
                         [&](const StepConfig& s) { return s.id == step; });
  if (it != pipeline.steps.end()) return *it;
  std::vector<std::string> ids;
  for (const auto& s : pipeline.steps) ids.push_back(s.id);
  std::string msg = who + ": the pipeline has no step '" + step + "'";
  if (auto near = sdk::nearest(step, ids); !near.empty()) msg += " (did you mean '" + near + "'?)";
  throw HostError(kExitPipeline, msg);
}

/// The values of a `where` clause given as a setting: a string, a number or a list of them.
std::vector<sdk::Value> where_values(const sdk::Value& value, const std::string& who) {
  std::vector<sdk::Value> out;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::int64_t> ||
                      std::is_same_v<T, double>)
          out.push_back(v);
        else if constexpr (std::is_same_v<T, std::vector<std::string>> ||
                           std::is_same_v<T, std::vector<std::int64_t>> ||
                           std::is_same_v<T, std::vector<double>>)
          out.assign(v.begin(), v.end());
      },
      value);
  if (out.empty())
    throw HostError(kExitPipeline,
                    who + ": a where value must be a string, a number or a non-empty list of them");
  return out;
}

/// Replaces (or adds) the clause on `column` of the step's filter on `table_param` ("" = primary).
void set_where(StepConfig& step, const std::string& table_param, const std::string& column,
               std::vector<sdk::Value> values, const Location& loc) {
  auto f = std::find_if(step.where.begin(), step.where.end(),
                        [&](const TableFilter& t) { return t.table_param == table_param; });
  if (f == step.where.end())
    f = step.where.insert(step.where.end(), TableFilter{table_param, {}, loc});
  auto c = std::find_if(f->clauses.begin(), f->clauses.end(),
                        [&](const WhereClause& w) { return w.column == column; });
  if (c == f->clauses.end()) c = f->clauses.insert(f->clauses.end(), WhereClause{column, {}, loc});
  c->values = std::move(values);
  c->loc = loc;
}

}  // namespace

void apply_setting(PipelineConfig& pipeline, const std::string& step, const std::string& param,
                   const sdk::Value& value, const Location& loc, const std::string& who) {
  StepConfig& s = find_step(pipeline, step, who);
  if (param.rfind("where.", 0) != 0) {
    s.params[param] = value;
    s.param_locs[param] = loc;
    return;
  }
  const std::string rest = param.substr(6);
  const auto dot = rest.find('.');
  if (rest.empty() || dot == 0 || (dot != std::string::npos && dot + 1 == rest.size()) ||
      (dot != std::string::npos && rest.find('.', dot + 1) != std::string::npos))
    throw HostError(kExitPipeline, who + ": expected " + step + ".where.COLUMN or " + step +
                                       ".where.TABLE_PARAMETER.COLUMN");
  const std::string table_param = dot == std::string::npos ? "" : rest.substr(0, dot);
  const std::string column = dot == std::string::npos ? rest : rest.substr(dot + 1);
  set_where(s, table_param, column, where_values(value, who), loc);
}

namespace {

/// to_value locates its errors in the line "v = VALUE" that apply_override parses, which the user
/// never wrote ("--set:1: ... \n  1 | v = ..."): the message alone already names the --set.
std::string without_parsed_line(std::string message) {
  message.erase(std::min(message.find('\n'), message.size()));
  const std::string parsed_at = "--set:1: ";
  if (message.rfind(parsed_at, 0) == 0) message.erase(0, parsed_at.size());
  return message;
}

}  // namespace

void apply_override(PipelineConfig& pipeline, const std::string& assignment) {
  const auto eq = assignment.find('=');
  const auto dot = assignment.find('.');
  if (eq == std::string::npos || dot == std::string::npos || dot > eq || dot == 0 || dot + 1 == eq)
    throw HostError(kExitPipeline, "--set " + assignment + ": expected STEP.PARAM=VALUE");
  const std::string who = "--set " + assignment;
  const std::string text = assignment.substr(eq + 1);
  sdk::Value value = text;
  if (const std::size_t at = sdk::invalid_utf8_at(text); at != std::string_view::npos)
    throw HostError(kExitPipeline, who + not_utf8(text, at, false));
  if (too_deep_line(text)) throw HostError(kExitPipeline, who + ": " + too_deep_message());
  try {
    std::istringstream in("v = " + text);
    const toml::value parsed = toml::parse(in, "--set");
    value = to_value(parsed.at("v"), "--set", who);
  } catch (const HostError& e) {
    throw HostError(e.code(), without_parsed_line(e.what()));
  } catch (const std::exception&) {
    value = text;  // not a TOML value: taken as a string
  }
  Location loc;
  loc.file = who;
  apply_setting(pipeline, assignment.substr(0, dot), assignment.substr(dot + 1, eq - dot - 1),
                value, loc, who);
}

}  // namespace klaster
