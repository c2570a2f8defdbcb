// Reads batch files (docs/batch.md) and expands their grids into scenarios.
#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <toml.hpp>
#include <unordered_map>

#include "batch.hpp"
#include "errors.hpp"
#include "report.hpp"
#include "toml_support.hpp"

namespace klaster {

namespace fs = std::filesystem;
using namespace detail;

std::string Scenario::label() const {
  std::string values;
  for (const auto& s : settings)
    values += (values.empty() ? "" : ", ") + s.key + "=" + sdk::to_text(s.value);
  return "scenario '" + id + "'" + (values.empty() ? "" : " (" + values + ")");
}

namespace {

/// Where `v` is written, without the caret context: batch errors are one line. Read from the
/// value's region rather than location_of: toml11 copies the whole line for that, and a grid of
/// 10,000 values on one line would copy it 10,000 times.
Location line_of(const toml::value& v, const std::string& file) {
  Location loc;
  loc.file = file;
  if (const auto* r = toml::detail::get_region(v)) {
    const std::string line = r->line_num();
    loc.line =
        std::all_of(line.begin(), line.end(), ::isdigit) && !line.empty() ? std::stoul(line) : 0;
    loc.column = r->before() + 1;
    loc.width = r->size();
  }
  return loc;
}

/// The whole file, for messages about a key it lacks.
Location whole(const std::string& file) {
  Location loc;
  loc.file = file;
  return loc;
}

/// A "step.param" key with its value, flattened from dotted or nested TOML keys.
struct RawSetting {
  std::string key;
  const toml::value* value;
};

void flatten(const toml::value& t, const std::string& prefix, std::vector<RawSetting>& out) {
  for (const auto& [key, value] : t.as_table()) {
    if (value.is_table())
      flatten(value, prefix + key + ".", out);
    else
      out.push_back({prefix + key, &value});
  }
}

/// The settings of a table such as [baseline], in file order.
std::vector<RawSetting> settings_of(const toml::value& t, const std::string& file,
                                    const std::string& what) {
  if (!t.is_table())
    fail(kExitPipeline, location_of(t, file),
         what + " must be a table such as { \"incentive.factor\" = 1.1 }");
  std::vector<RawSetting> out;
  flatten(t, "", out);
  std::sort(out.begin(), out.end(), [&](const RawSetting& a, const RawSetting& b) {
    const auto la = a.value->location(), lb = b.value->location();
    return std::make_pair(la.line(), la.column()) < std::make_pair(lb.line(), lb.column());
  });
  return out;
}

BatchSetting make_setting(const std::string& key, const toml::value& v, const std::string& file,
                          const std::string& what) {
  BatchSetting s;
  s.key = key;
  s.loc = line_of(v, file);
  const auto dot = key.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
    fail(kExitPipeline, location_of(v, file),
         what + " '" + key + "': expected \"STEP.PARAM\" (or \"STEP.where.COLUMN\")");
  s.step = key.substr(0, dot);
  s.param = key.substr(dot + 1);
  s.value = to_value(v, file, what + " '" + key + "'");
  return s;
}

std::vector<BatchSetting> read_settings(const toml::value& t, const std::string& file,
                                        const std::string& what) {
  std::vector<BatchSetting> out;
  for (const auto& r : settings_of(t, file, what))
    out.push_back(make_setting(r.key, *r.value, file, what));
  return out;
}

std::vector<std::string> read_strings(const toml::value& root, const std::string& key,
                                      const std::string& file, std::vector<Location>& locs) {
  const toml::value& v = root.at(key);
  if (!v.is_array())
    fail(kExitPipeline, location_of(v, file), "'" + key + "' must be a list of strings");
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_string())
      fail(kExitPipeline, location_of(e, file),
           "'" + key + "' must be a list of strings, got " + type_name(e));
    out.push_back(e.as_string().str);
    locs.push_back(line_of(e, file));
  }
  return out;
}

/// `collect = ["hhi", { table = "lq_compare", where = { industry = "C" } }]`: a table's name, or
/// a table with the rows to keep.
void read_collect(const toml::value& v, BatchConfig& b, const std::string& file) {
  const char* shape =
      "'collect' must be a list of table names or { table = \"...\", where = { ... } }";
  if (!v.is_array()) fail(kExitPipeline, location_of(v, file), shape);
  for (const auto& e : v.as_array()) {
    if (!e.is_string() && !e.is_table())
      fail(kExitPipeline, location_of(e, file), std::string(shape) + ", got " + type_name(e));
    b.collect_locs.push_back(line_of(e, file));
    if (e.is_string()) {
      b.collect.push_back(e.as_string().str);
      b.collect_where.emplace_back();
      continue;
    }
    check_keys(e, {"table", "where"}, file, " in 'collect'", kExitPipeline);
    b.collect.push_back(get_string(e, "table", file, " in 'collect'", kExitPipeline, true));
    b.collect_where.push_back(e.contains("where") ? read_where(e.at("where"), file, " in 'collect'")
                                                  : std::vector<WhereClause>{});
  }
}

void read_pipelines(const toml::value& root, BatchConfig& b, const std::string& file) {
  if (!root.contains("pipelines"))
    fail(kExitPipeline, whole(file), "missing key 'pipelines' (a list of files)");
  const auto names = read_strings(root, "pipelines", file, b.pipeline_locs);
  if (names.empty())
    fail(kExitPipeline, location_of(root.at("pipelines"), file), "'pipelines' is empty");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const fs::path p = (b.path.parent_path() / names[i]).lexically_normal();
    if (!fs::is_regular_file(p))
      fail(kExitPipeline, b.pipeline_locs[i],
           "pipeline '" + names[i] + "' not found (looked for " + p.string() +
               "; paths are relative to the batch file)");
    if (std::find(b.pipelines.begin(), b.pipelines.end(), p) != b.pipelines.end())
      fail(kExitPipeline, b.pipeline_locs[i], "pipeline '" + names[i] + "' is listed twice");
    b.pipelines.push_back(p);
  }
}

Scenario read_scenario(const toml::value& v, const std::string& file) {
  if (!v.is_table()) fail(kExitPipeline, location_of(v, file), "each [[scenario]] must be a table");
  check_keys(v, {"id", "set"}, file, " in a [[scenario]]", kExitPipeline);
  Scenario s;
  s.id = get_string(v, "id", file, " in a [[scenario]]", kExitPipeline, true);
  s.loc = line_of(v.at("id"), file);
  static const std::regex id_re("[A-Za-z0-9_.-]+");
  if (!std::regex_match(s.id, id_re))
    fail(kExitPipeline, s.loc, "scenario id '" + s.id + "' must match [A-Za-z0-9_.-]+");
  if (v.contains("set"))
    s.settings = read_settings(v.at("set"), file, "scenario '" + s.id + "': setting");
  return s;
}

/// One axis of the grid: a key and its list of values.
struct Axis {
  std::string key;
  std::vector<const toml::value*> values;
};

/// A text equal for values a plugin cannot tell apart: 1.1 and 1.10, and 2 and 2.0 (an integer
/// is taken as a number).
std::string canonical(const sdk::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return "n" + sdk::format_number(*i);
  if (const auto* d = std::get_if<double>(&v)) return "n" + sdk::format_number(*d);
  return "v" + to_json(v).dump();
}

/// A value listed twice on one axis would make two identical scenarios under different ids.
void check_repeats(const Axis& a, const std::string& file) {
  std::unordered_map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const sdk::Value v = to_value(*a.values[i], file, "grid '" + a.key + "'");
    const auto [it, fresh] = first.emplace(canonical(v), i);
    if (!fresh)
      fail(kExitPipeline, line_of(*a.values[i], file),
           "grid '" + a.key + "' lists " + sdk::to_text(v) + " twice (also at " +
               line_of(*a.values[it->second], file).prefix() +
               "): the scenarios would be identical");
  }
}

std::vector<Axis> read_axes(const toml::value& grid, const std::string& file) {
  std::vector<Axis> axes;
  for (const auto& r : settings_of(grid, file, "[grid]")) {
    if (!r.value->is_array() || r.value->as_array().empty())
      fail(kExitPipeline, line_of(*r.value, file),
           "grid '" + r.key + "' must be a non-empty list of values, as in [1.05, 1.15]");
    Axis a{r.key, {}};
    for (const auto& e : r.value->as_array()) a.values.push_back(&e);
    check_repeats(a, file);
    axes.push_back(std::move(a));
  }
  return axes;
}

/// The most scenarios a grid may make: each is held in memory (with its settings) until the batch
/// ends, and a few keys of a few dozen values each would otherwise ask for terabytes at once (7
/// keys of 30 values: fuzz_batch stopped on a 3 TB allocation; docs/fuzzing.md).
constexpr std::size_t kMaxGridScenarios = 100000;

/// The number of cells of the grid; a grid of more than kMaxGridScenarios is an error, checked
/// before the product can overflow.
std::size_t grid_size(const std::vector<Axis>& axes, const toml::value& grid,
                      const std::string& file) {
  std::size_t n = axes.empty() ? 0 : 1;
  bool over = false;
  std::string product;  // "30 x 30 x 30": the number of values of each key
  for (const auto& a : axes) {
    product += (product.empty() ? "" : " x ") + std::to_string(a.values.size());
    over = over || a.values.size() > kMaxGridScenarios / n;
    if (!over) n *= a.values.size();
  }
  if (over)
    fail(kExitPipeline, line_of(grid, file),
         "the grid makes more than " + std::to_string(kMaxGridScenarios) + " scenarios (" +
             product + "): split it into several batch files");
  return n;
}

/// The cells of the grid, the first key varying slowest; ids g0001, g0002, ... in that order.
/// Each value's setting is read once and copied into the cells that use it.
std::vector<Scenario> expand_grid(const toml::value& grid, const std::string& file) {
  const std::vector<Axis> axes = read_axes(grid, file);
  const std::size_t n = grid_size(axes, grid, file);
  std::vector<std::vector<BatchSetting>> settings;
  for (const auto& a : axes) {
    settings.emplace_back();
    for (const toml::value* v : a.values)
      settings.back().push_back(make_setting(a.key, *v, file, "grid"));
  }
  const std::size_t width = std::max<std::size_t>(4, std::to_string(n).size());
  const Location at = line_of(grid, file);
  std::vector<Scenario> out;
  out.reserve(n);
  for (std::size_t cell = 0; cell < n; ++cell) {
    Scenario s;
    const std::string num = std::to_string(cell + 1);
    s.id = "g" + std::string(width - num.size(), '0') + num;
    s.loc = at;
    s.settings.resize(axes.size());
    for (std::size_t i = axes.size(), rest = cell; i-- > 0; rest /= settings[i].size())
      s.settings[i] = settings[i][rest % settings[i].size()];
    out.push_back(std::move(s));
  }
  return out;
}

void read_scenarios(const toml::value& root, BatchConfig& b, const std::string& file) {
  if (root.contains("scenario")) {
    const toml::value& list = root.at("scenario");
    if (!list.is_array())
      fail(kExitPipeline, location_of(list, file), "'scenario' must be a list: write [[scenario]]");
    for (const auto& v : list.as_array()) b.scenarios.push_back(read_scenario(v, file));
  }
  if (root.contains("grid"))
    for (auto& s : expand_grid(root.at("grid"), file)) b.scenarios.push_back(std::move(s));
  if (b.scenarios.empty())
    fail(kExitPipeline, whole(file),
         "the batch has no scenarios: add a [grid] or [[scenario]] entries");
  std::map<std::string, const Scenario*> seen;
  for (const auto& s : b.scenarios) {
    auto [it, fresh] = seen.emplace(s.id, &s);
    if (!fresh)
      fail(kExitPipeline, s.loc,
           "two scenarios have the id '" + s.id + "' (the first at " + it->second->loc.prefix() +
               (std::regex_match(s.id, std::regex("g[0-9]+")) ? "; the grid's are g0001, g0002, ..."
                                                              : "") +
               ")");
  }
}

}  // namespace

BatchConfig read_batch(const fs::path& path) {
  const std::string file = path.string();
  const toml::value root = parse_file(path, kExitPipeline, "batch file");
  check_keys(root, {"pipelines", "baseline", "grid", "scenario", "collect", "store"}, file,
             " at top level", kExitPipeline);
  BatchConfig b;
  b.path = path;
  read_pipelines(root, b, file);
  if (root.contains("baseline")) b.baseline = read_settings(root.at("baseline"), file, "baseline");
  read_scenarios(root, b, file);
  if (root.contains("collect")) read_collect(root.at("collect"), b, file);
  b.store = get_string(root, "store", file, "", kExitPipeline, false);
  if (root.contains("store")) b.store_loc = line_of(root.at("store"), file);
  if (b.store.empty()) b.store = "out/" + path.stem().string() + ".sqlite";
  return b;
}

}  // namespace klaster
