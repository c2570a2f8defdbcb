// The page of a batch store's report: the run report's skeleton (report_page.hpp) with the
// store's manifest, its scenarios and, per collected table, charts of a value across the scenarios
// and a summary; the charts name their fields _s, _g0.., _k0.., _v0.. (a column name such as
// "incentive.factor" would be a nested field to Vega-Lite).
#include "report_batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "errors.hpp"
#include "labels.hpp"
#include "report_html.hpp"
#include "report_views.hpp"

namespace klaster {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct Page {
  const BatchStoreReport& store;
  const Labels& labels;
  const RegionMap& map;
  ReportLang lang;
  int charts = 0;
  bool drew_map = false;
  std::string t(const std::string& key) const { return html_escape(tr(lang, key)); }
  template <typename... A>
  std::string f(const std::string& key, A&&... a) const {
    return fmt::format(fmt::runtime(tr(lang, key)), std::forward<A>(a)...);
  }
};

std::string code(const std::string& text) { return "<code>" + html_escape(text) + "</code>"; }

std::string batch_value(const Page& p, const std::string& key) {
  const auto it = p.store.batch.find(key);
  return it == p.store.batch.end() ? "" : it->second;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

/// Each grid key with its values ("incentive.factor: 1.05, 1.15, 1.3"), the first few of many.
std::string grid_html(const Page& p) {
  if (p.store.grid.empty()) return p.t("none");
  std::string out;
  for (const auto& g : p.store.grid) {
    const auto& [count, values] = p.store.grid_values.at(g);
    out += (out.empty() ? "" : "<br>") + code(g) + ": " + html_escape(joined(values)) +
           (count > values.size() ? html_escape(p.f("more_values", count)) : "");
  }
  return out;
}

std::string manifest_section(const Page& p) {
  const BatchStoreReport& s = p.store;
  std::string out = "<h2 id=\"manifest\">" + p.t("manifest") + "</h2><table class=\"kv\">";
  out += kv_row(p.t("batch_file"),
                code(batch_value(p, "batch_file")) + " " + code(batch_value(p, "batch_sha256")));
  out += kv_row(p.t("store"), code(s.path));
  out += kv_row(p.t("pipelines"), html_escape(joined(s.pipelines)));
  out += kv_row(p.t("grid"), grid_html(p));
  out += kv_row(p.t("runs"), html_escape(p.f("runs_counts", s.ok + s.failed, s.ok, s.failed)));
  out += kv_row(p.t("klaster_version"), html_escape(batch_value(p, "klaster_version")));
  out += kv_row(p.t("created"), html_escape(batch_value(p, "created_at")));
  return out + "</table>\n";
}

/// Each pipeline's steps with their plugin and version, as the scenarios recorded them.
std::string plugins_section(const Page& p) {
  std::string out;
  for (const auto& [pipeline, text] : p.store.plugins) {
    out += "<h3>" + p.t("plugins") + ": " + html_escape(pipeline) + "</h3><table class=\"kv\">";
    const json steps = json::parse(text, nullptr, false);  // kept: items() refers into it
    if (steps.is_object())
      for (const auto& [step, plugin] : steps.items())
        out += kv_row(html_escape(step),
                      html_escape(plugin.is_string() ? plugin.get<std::string>() : plugin.dump()));
    out += "</table>\n";
  }
  return out;
}

/// The `batch` table's checksums: "sha256:<pipeline>:<file>" and "plugin_sha256:<library>".
std::string inputs_section(const Page& p) {
  std::string out = "<h3>" + p.t("inputs") + "</h3><table class=\"kv\"><tr><th>" + p.t("file") +
                    "</th><th>" + p.t("sha256") + "</th></tr>";
  for (const auto& [key, value] : p.store.batch)
    if (key.rfind("sha256:", 0) == 0 || key.rfind("plugin_sha256:", 0) == 0)
      out += "<tr><td>" + code(key.substr(key.find(':') + 1)) + "</td><td>" + code(value) +
             "</td></tr>";
  return out + "</table>\n";
}

std::string scenarios_section(const Page& p) {
  const BatchStoreReport& s = p.store;
  const std::size_t runs = s.ok + s.failed;
  std::string out = "<h2 id=\"scenarios\">" + p.t("scenarios") + "</h2>\n";
  out += table_html(s.scenarios, kBatchScenarioRows, "", p.lang, &p.labels);
  if (runs > s.scenarios.rows()) out += note_html(p.f("first_scenarios", s.scenarios.rows(), runs));
  return out;
}

/// The chart's fields: short names for the store's columns.
struct Fields {
  std::vector<std::pair<std::string, std::string>> all;  // field -> column
  std::vector<std::string> grid, keys, values;
};

/// The fields of rows holding the scenario, the grid keys `grid`, the keys and the values.
Fields fields_of(const StoreTable& t, const std::vector<std::string>& grid) {
  Fields f;
  f.all.emplace_back("_s", "scenario");
  auto add = [&](const std::vector<std::string>& cols, const std::string& prefix,
                 std::vector<std::string>& out) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      out.push_back(prefix + std::to_string(i));
      f.all.emplace_back(out.back(), cols[i]);
    }
  };
  add(grid, "_g", f.grid);
  add(t.keys, "_k", f.keys);
  add(t.values, "_v", f.values);
  return f;
}

/// The chart's rows of scenarios inside (`in_grid`) or outside the grid (without a grid: all are
/// outside), each chart holding only its own.
json rows_json(const sdk::Table& t, const Fields& f, bool in_grid) {
  json rows = json::array();
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if ((!f.grid.empty() && t.columns()[1].is_valid(r)) != in_grid) continue;
    json row = json::object();
    for (std::size_t i = 0; i < f.all.size(); ++i)
      row[f.all[i].first] = cell_json(t.columns()[i], r);
    rows.push_back(row);
  }
  return rows;
}

/// A drop-down of the values of column `c` (field `field`) in the chart's rows, named from the
/// dataset's labels where they name them.
json pick(const Page& p, const sdk::Column& c, const std::string& field) {
  const std::string title = field == "_s" ? tr(p.lang, "scenario") : c.name;
  json options = json::array(), labels = json::array();
  std::set<std::string> seen;
  for (std::size_t r = 0; r < c.size() && options.size() < 500; ++r) {
    if (!c.is_valid(r) || !seen.insert(c.to_text(r)).second) continue;
    options.push_back(cell_json(c, r));
    const std::string name = p.labels.name(c.name, c.to_text(r));
    labels.push_back(name.empty() ? c.to_text(r) : name + " (" + c.to_text(r) + ")");
  }
  return {{"name", "pick" + field},
          {"value", options.empty() ? json() : options.front()},
          {"bind",
           {{"input", "select"}, {"options", options}, {"labels", labels}, {"name", title + " "}}}};
}

/// The first value column of `rows` that differs between scenarios: two rows of one key
/// combination hold different values (a baseline column differs between keys only).
std::size_t varying_value(const StoreTable& t, const sdk::Table& rows, std::size_t first_value) {
  const std::size_t first_key = first_value - t.keys.size();
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    const sdk::Column& c = rows.columns()[first_value + i];
    std::map<std::string, std::string> seen;  // key combination -> its first value
    for (std::size_t r = 0; r < c.size(); ++r) {
      std::string key;
      for (std::size_t k = first_key; k < first_value; ++k)
        key += rows.columns()[k].to_text(r) + '\x1f';
      const std::string v = c.is_valid(r) ? c.to_text(r) : "";
      if (!seen.emplace(key, v).second && seen[key] != v) return i;
    }
  }
  return 0;
}

/// The unit of every value column when they share one, else "".
std::string common_unit(const StoreTable& t) {
  const std::string first = t.values.empty() ? "" : unit_of(t.values[0], t.units);
  for (const auto& v : t.values)
    if (unit_of(v, t.units) != first) return "";
  return first;
}

/// Field `_u`: the unit of the value picked (field `_c`), for the tooltip.
json unit_field(const StoreTable& t, const Fields& f) {
  std::string expr = "''";
  for (std::size_t i = t.values.size(); i-- > 0;)
    if (const std::string unit = unit_of(t.values[i], t.units); !unit.empty())
      expr = "datum._c == '" + f.values[i] + "' ? " + json(unit).dump() + " : " + expr;
  return {{"calculate", expr}, {"as", "_u"}};
}

/// The drop-downs of a chart (parameters) and the transforms that apply them.
struct Picks {
  json params, transforms;
};

/// The drop-downs of the value and of the fields `chosen` over `rows` (whose columns are those of
/// `f`), and the transforms that apply them.
Picks picks(const Page& p, const StoreTable& t, const sdk::Table& rows, const Fields& f,
            const std::vector<std::string>& chosen) {
  const std::size_t first_value = 1 + f.grid.size() + f.keys.size();
  const std::size_t start = varying_value(t, rows, first_value);
  json params = json::array(), tf = json::array(), labels = json::array();
  for (const auto& v : t.values) labels.push_back(with_unit(v, t.units));
  params.push_back({{"name", "pick_value"},
                    {"value", f.values[start]},
                    {"bind",
                     {{"input", "select"},
                      {"options", f.values},
                      {"labels", labels},
                      {"name", tr(p.lang, "value") + " "}}}});
  tf.push_back({{"fold", f.values}, {"as", {"_c", "_v"}}});
  tf.push_back({{"filter", "datum._c == pick_value && isValid(datum._v)"}});
  tf.push_back(unit_field(t, f));
  for (const auto& field : chosen) {
    std::size_t i = 0;
    while (f.all[i].first != field) ++i;
    params.push_back(pick(p, rows.columns()[i], field));
    tf.push_back({{"filter", "'' + datum." + field + " == '' + pick" + field}});
  }
  return {params, tf};
}

/// The drop-downs of a chart of `t.chart` (the value, the keys and `extra`), applied at its top.
void chart_picks(const Page& p, const StoreTable& t, const Fields& f, json& spec,
                 const std::vector<std::string>& extra) {
  std::vector<std::string> chosen = f.keys;
  chosen.insert(chosen.end(), extra.begin(), extra.end());
  Picks k = picks(p, t, t.chart, f, chosen);
  spec["params"] = std::move(k.params);
  spec["transform"] = std::move(k.transforms);
}

bool numeric(const StoreTable& t, std::size_t grid_index) {
  return t.chart.columns()[1 + grid_index].type != sdk::ColumnType::kString;
}

/// Scenario, grid values, the value (titled with its unit when the values share one) and the
/// unit of the value picked.
json tooltip(const Page& p, const StoreTable& t, const Fields& f) {
  json tips = json::array({{{"field", "_s"}, {"title", tr(p.lang, "scenarios")}}});
  for (const auto& g : f.grid) {
    std::size_t i = 0;
    while (f.all[i].first != g) ++i;
    tips.push_back({{"field", g}, {"title", f.all[i].second}});
  }
  tips.push_back({{"field", "_v"},
                  {"title", titled(tr(p.lang, "value"), common_unit(t))},
                  {"format", ",.6~g"}});
  if (!t.units.empty()) tips.push_back({{"field", "_u"}, {"title", tr(p.lang, "unit")}});
  return tips;
}

/// One grid key: the value against it (a line for numbers, bars otherwise); two or more: a
/// heatmap of the first two, drop-downs for the others.
json grid_spec(const Page& p, const StoreTable& t, const Fields& f, const json& rows) {
  json spec = {{"data", {{"values", rows}}}, {"width", 560}};
  std::vector<std::string> extra(f.grid.begin() + std::min<std::size_t>(2, f.grid.size()),
                                 f.grid.end());
  chart_picks(p, t, f, spec, extra);
  const std::string x_type = numeric(t, 0) ? "quantitative" : "ordinal";
  const json x = {{"field", "_g0"}, {"type", x_type}, {"title", p.store.grid[0]}};
  if (f.grid.size() == 1) {
    spec["mark"] = numeric(t, 0) ? json{{"type", "line"}, {"point", true}} : json("bar");
    spec["encoding"] = {
        {"x", x},
        {"y", {{"field", "_v"}, {"type", "quantitative"}, {"title", common_unit(t)}}},
        {"tooltip", tooltip(p, t, f)}};
    return spec;
  }
  spec["mark"] = "rect";
  spec["encoding"] = {
      {"x", {{"field", "_g0"}, {"type", "ordinal"}, {"title", p.store.grid[0]}}},
      {"y", {{"field", "_g1"}, {"type", "ordinal"}, {"title", p.store.grid[1]}}},
      {"color", {{"field", "_v"}, {"type", "quantitative"}, {"title", common_unit(t)}}},
      {"tooltip", tooltip(p, t, f)}};
  return spec;
}

constexpr std::size_t kScenarioBars = 100;

/// The scenarios outside the grid (all of them without a grid) as bars, the first kScenarioBars.
json scenario_spec(const Page& p, const StoreTable& t, const Fields& f, const json& rows) {
  json spec = {{"data", {{"values", rows}}}, {"width", 560}, {"mark", "bar"}};
  chart_picks(p, t, f, spec, {});
  spec["transform"].push_back({{"window", {{{"op", "row_number"}, {"as", "_rank"}}}}});
  spec["transform"].push_back({{"filter", fmt::format("datum._rank <= {}", kScenarioBars)}});
  spec["encoding"] = {
      {"y", {{"field", "_s"}, {"type", "nominal"}, {"sort", nullptr}, {"title", ""}}},
      {"x", {{"field", "_v"}, {"type", "quantitative"}, {"title", common_unit(t)}}},
      {"tooltip", tooltip(p, t, f)}};
  return spec;
}

std::size_t count_scenarios(const json& rows) {
  std::set<std::string> ids;
  for (const auto& r : rows) ids.insert(r["_s"].get<std::string>());
  return ids.size();
}

std::string charts_html(Page& p, const StoreTable& t) {
  if (t.values.empty() || t.chart.rows() == 0) return "";
  const Fields f = fields_of(t, p.store.grid);
  const json grid_rows = rows_json(t.chart, f, true), other_rows = rows_json(t.chart, f, false);
  std::string out;
  const std::string kind = "batch";
  if (!grid_rows.empty())
    out += chart_block(++p.charts, Chart{p.f("by_grid", t.name), grid_spec(p, t, f, grid_rows), ""},
                       kind, p.lang);
  if (const std::size_t n = count_scenarios(other_rows); n > 0)
    out += chart_block(++p.charts,
                       Chart{p.f("by_scenario", t.name), scenario_spec(p, t, f, other_rows),
                             n > kScenarioBars ? p.f("first_bars", kScenarioBars) : ""},
                       kind, p.lang);
  if (t.chart_combinations < t.combinations)
    out += note_html(p.f("chart_combinations", t.chart_combinations, t.combinations,
                         "(" + joined(t.keys) + ")"));
  return out;
}

/// The index of the first key holding a region of the map (t.keys.size() for none).
std::size_t region_key(const Page& p, const StoreTable& t) {
  std::size_t i = 0;
  while (i < t.keys.size() && !region_level(t.map, t.keys[i], p.map)) ++i;
  return i;
}

/// The rows of the map with `_name`: the region's name and code ("Kostanay Region (KST)").
json map_rows(const Page& p, const StoreTable& t, const Fields& f, std::size_t region) {
  const std::string& field = f.keys[region];
  json rows = rows_json(t.map, f, false);
  for (auto& row : rows) {
    const std::string code = row[field].is_string() ? row[field].get<std::string>() : "";
    const std::string name = p.labels.name(t.keys[region], code);
    row["_name"] = name.empty() ? code : name + " (" + code + ")";
  }
  return rows;
}

/// A choropleth of the value picked for the scenario and the other keys picked; the picks apply
/// in the map's layers, the grey base layer shows every region.
json map_spec_of(const Page& p, const StoreTable& t, const Fields& f, std::size_t region) {
  std::vector<std::string> chosen{"_s"};
  for (std::size_t i = 0; i < f.keys.size(); ++i)
    if (i != region) chosen.push_back(f.keys[i]);
  const Picks k = picks(p, t, t.map, f, chosen);
  const json color = {{"field", "_v"},
                      {"type", "quantitative"},
                      {"scale", {{"scheme", "viridis"}}},
                      {"title", titled(tr(p.lang, "value"), common_unit(t))}};
  json tips = tooltip(p, t, f);
  tips.insert(tips.begin(), json{{"field", "_name"}, {"title", tr(p.lang, "region")}});
  json spec = map_spec(map_rows(p, t, f, region),
                       choropleth_layers(p.map, f.keys[region], k.transforms, color, tips));
  spec["params"] = k.params;
  return spec;
}

/// The notes under a batch map: the scenarios it offers, its rows, the regions drawn as circles.
std::string map_notes(const Page& p, const StoreTable& t) {
  std::string out;
  if (t.map_scenarios < t.ok_scenarios) out = p.f("map_scenarios", t.map_scenarios, t.ok_scenarios);
  if (t.map_scenario_rows > t.map.rows())
    out += (out.empty() ? "" : " ") + p.f("chart_rows", t.map.rows(), t.map_scenario_rows);
  const std::string circles = map_points_note(p.map, p.lang);
  return out + (out.empty() || circles.empty() ? "" : " ") + circles;
}

/// The map of a table with a key of region codes; without the dataset's map, a note.
std::string map_html(Page& p, const StoreTable& t) {
  if (t.map.rows() == 0 || t.values.empty()) return "";
  const std::string title = p.f("on_map", t.name);
  if (!p.map.missing.empty())
    return chart_block(++p.charts, Chart{title, nullptr, p.map.missing}, "map", p.lang);
  const Fields f = fields_of(t, {});
  const std::size_t region = region_key(p, t);
  if (region == t.keys.size()) return "";
  p.drew_map = true;
  return chart_block(++p.charts, Chart{title, map_spec_of(p, t, f, region), map_notes(p, t)}, "map",
                     p.lang);
}

/// The summary's columns with a unit: keys as collected, "<value> min", "mean", "max" as the value.
ColumnUnits summary_units(const StoreTable& t) {
  ColumnUnits out = t.units;
  for (const auto& [column, unit] : t.units)
    for (const char* stat : {" min", " mean", " max"}) out[column + stat] = unit;
  return out;
}

std::string table_section(Page& p, const StoreTable& t) {
  std::string out = "<h2 id=\"table-" + html_escape(t.name) + "\">" + html_escape(t.name) +
                    " <span class=\"name\">(" + std::to_string(t.rows) + " " + p.t("rows") +
                    ")</span></h2>\n";
  if (t.summary.rows() == 0) return out + note_html(tr(p.lang, "no_ok_rows"));
  out += charts_html(p, t) + map_html(p, t);
  out += note_html(tr(p.lang, "table_summary"));
  const ColumnUnits units = summary_units(t);
  out += table_html(t.summary, kReportTableRows, "", p.lang, &p.labels, &units);
  if (t.summary_groups > t.summary.rows())
    out += note_html(p.f("first_groups", t.summary.rows(), t.summary_groups));
  return out;
}

std::string contents_html(const Page& p) {
  std::string out = "<nav><h2>" + p.t("contents") + "</h2><ul><li><a href=\"#manifest\">" +
                    p.t("manifest") + "</a></li><li><a href=\"#scenarios\">" + p.t("scenarios") +
                    "</a></li>";
  for (const auto& t : p.store.tables)
    out +=
        "<li><a href=\"#table-" + html_escape(t.name) + "\">" + html_escape(t.name) + "</a></li>";
  return out + "</ul></nav>\n";
}

Labels store_labels(const BatchStoreReport& s, ReportLang lang) {
  try {
    if (!s.dataset_manifest.empty()) return load_labels(s.dataset_manifest, lang_code(lang));
  } catch (const HostError&) {  // the dataset is gone: codes are shown without names
  }
  return Labels(lang_code(lang));
}

}  // namespace

std::string batch_store_status(const BatchStoreReport& s, ReportLang lang) {
  const std::string file = s.batch.count("batch_file") ? s.batch.at("batch_file") : "";
  if (s.ok + s.failed == 0) return tr(lang, "store_empty");
  if (!s.batch_file_note.empty())
    return fmt::format(fmt::runtime(tr(lang, s.batch_file_note)), file);
  if (s.ok + s.failed < s.expected)
    return fmt::format(fmt::runtime(tr(lang, "store_unfinished")), s.ok + s.failed, s.expected,
                       file);
  return "";
}

std::string batch_report_page(const BatchStoreReport& store, ReportLang lang,
                              const ChartLibraries& libs) {
  const Labels labels = store_labels(store, lang);
  const bool maps = std::any_of(store.tables.begin(), store.tables.end(),
                                [](const StoreTable& t) { return t.map.rows() > 0; });
  RegionMap no_map;
  const RegionMap map = maps ? load_region_map(store.dataset_manifest, labels, lang) : no_map;
  Page p{store, labels, map, lang};
  const std::string title = fmt::format(
      fmt::runtime(tr(lang, "batch_report")),
      fs::path(store.batch.count("batch_file") ? store.batch.at("batch_file") : store.path)
          .filename()
          .string());
  std::string out = page_head(title, lang) + page_intro(lang) +
                    note_html(batch_store_status(store, lang)) + contents_html(p) +
                    manifest_section(p) + plugins_section(p) + inputs_section(p) +
                    scenarios_section(p);
  for (const auto& t : store.tables) out += table_section(p, t);
  return out + page_tail(p.drew_map ? map.features : json::array(), libs);
}

}  // namespace klaster
