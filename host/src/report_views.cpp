#include "report_views.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report_tree.hpp"

namespace klaster {

std::string unit_of(const std::string& column, const ColumnUnits& units) {
  const auto it = units.find(column);
  return it == units.end() ? "" : it->second;
}

std::string titled(const std::string& text, const std::string& unit) {
  return unit.empty() ? text : text + " (" + unit + ")";
}

nlohmann::json cell_json(const sdk::Column& c, std::size_t r) {
  if (!c.is_valid(r)) return nullptr;
  if (c.type == sdk::ColumnType::kString) return std::string(c.str(r));
  if (c.type == sdk::ColumnType::kInt) return c.ints[r];
  return c.floats[r];
}

namespace {

using json = nlohmann::json;

/// The columns a view draws, resolved; empty when the table lacks one (the view does not apply).
struct Columns {
  std::string label;
  std::vector<std::string> values;  // value [, value2] or the stacked columns present
  std::vector<std::string> picks;
};

std::string first_string_column(const sdk::Table& t) {
  for (const auto& c : t.columns())
    if (c.type == sdk::ColumnType::kString) return c.name;
  return "";
}

std::vector<std::string> resolve_picks(const sdk::ViewSpec& v, const sdk::Table& t,
                                       const Columns& cols, const json& params) {
  std::vector<std::string> out;
  for (const auto& p : v.pick) {
    if (p == "*") {  // every other key column: a string or int column not drawn
      for (const auto& c : t.columns())
        if (c.type != sdk::ColumnType::kFloat && c.name != cols.label &&
            std::find(cols.values.begin(), cols.values.end(), c.name) == cols.values.end())
          out.push_back(c.name);
    } else if (const std::string name = view_column(p, params); t.find(name)) {
      out.push_back(name);
    }
  }
  return out;
}

std::optional<Columns> resolve(const sdk::ViewSpec& v, const sdk::Table& t, const json& params) {
  Columns cols;
  cols.label = v.label.empty() ? first_string_column(t) : view_column(v.label, params);
  if (cols.label.empty() || !t.find(cols.label)) return std::nullopt;
  if (v.kind == sdk::ViewKind::kStacked) {
    for (const auto& s : v.stack)
      if (t.find(view_column(s, params))) cols.values.push_back(view_column(s, params));
    if (cols.values.empty()) return std::nullopt;
  } else {
    for (const auto& name : {v.value, v.value2}) {
      if (name.empty()) continue;
      if (!t.find(view_column(name, params))) return std::nullopt;
      cols.values.push_back(view_column(name, params));
    }
  }
  cols.picks = resolve_picks(v, t, cols, params);
  return cols;
}

/// The rows a chart draws, as objects of the columns it uses, with `_name`: the label's name.
json rows_json(const sdk::Table& t, const Columns& cols, const ViewContext& ctx) {
  std::vector<std::string> used = cols.values;
  used.push_back(cols.label);
  used.insert(used.end(), cols.picks.begin(), cols.picks.end());
  const sdk::Column& label = t.column(cols.label);
  json rows = json::array();
  for (std::size_t r = 0; r < std::min(t.rows(), kChartMaxRows); ++r) {
    json row = json::object();
    for (const auto& name : used) row[name] = cell_json(t.column(name), r);
    const std::string code = label.is_valid(r) ? label.to_text(r) : "";
    const std::string name = ctx.labels.name(cols.label, code);
    row["_name"] = name.empty() ? code : name + " (" + code + ")";
    rows.push_back(row);
  }
  return rows;
}

/// A choice of one value of column `c` (a Vega-Lite parameter bound to a select): its values in
/// table order; it starts at the latest year, else the first value.
json pick_param(const sdk::Table& t, const std::string& c) {
  const sdk::Column& col = t.column(c);
  json options = json::array();
  std::set<std::string> seen;
  for (std::size_t r = 0; r < t.rows() && options.size() < 500; ++r)
    if (col.is_valid(r) && seen.insert(col.to_text(r)).second) options.push_back(cell_json(col, r));
  json start = options.empty() ? json() : options.front();
  if (c == "year" && !options.empty()) start = *std::max_element(options.begin(), options.end());
  return {{"name", "pick_" + c},
          {"value", start},
          {"bind", {{"input", "select"}, {"options", options}, {"name", c + " "}}}};
}

json pick_params(const sdk::Table& t, const Columns& cols) {
  json params = json::array();
  for (const auto& c : cols.picks) params.push_back(pick_param(t, c));
  return params;
}

/// Keeps the rows of the picked values (compared as text: a select may hand back text).
json pick_filters(const Columns& cols) {
  json out = json::array();
  for (const auto& c : cols.picks)
    out.push_back({{"filter", "'' + datum['" + c + "'] == '' + pick_" + c}});
  return out;
}

json with_picks(json spec, const sdk::Table& t, const Columns& cols) {
  if (!cols.picks.empty()) spec["params"] = pick_params(t, cols);
  return spec;
}

/// The `top` rows by `field` (descending), after the picks.
json top_rows(const Columns& cols, const std::string& field, std::size_t top) {
  json tf = pick_filters(cols);
  tf.push_back({{"filter", "isValid(datum['" + field + "'])"}});
  tf.push_back({{"window", {{{"op", "row_number"}, {"as", "_rank"}}}},
                {"sort", {{{"field", field}, {"order", "descending"}}}}});
  tf.push_back({{"filter", fmt::format("datum._rank <= {}", top)}});
  return tf;
}

json name_axis(const Columns& cols) {
  return {{"field", "_name"}, {"type", "nominal"}, {"sort", "-x"}, {"title", cols.label}};
}

/// The tooltip line of a number: its column and unit, 6 significant digits.
json number_tip(const std::string& field, const std::string& title) {
  return {{"field", field}, {"title", title}, {"format", ",.6~g"}};
}

json bars(const sdk::ViewSpec& v, const sdk::Table& t, const Columns& cols, const json& rows,
          const ViewContext& ctx) {
  const std::string& value = cols.values[0];
  const std::string title = with_unit(value, ctx.units);
  return with_picks(
      {{"data", {{"values", rows}}},
       {"transform", top_rows(cols, value, v.top)},
       {"mark", "bar"},
       {"width", 560},
       {"encoding",
        {{"y", name_axis(cols)},
         {"x", {{"field", value}, {"type", "quantitative"}, {"title", title}}},
         {"tooltip", {{{"field", "_name"}, {"title", cols.label}}, number_tip(value, title)}}}}},
      t, cols);
}

json compare(const sdk::ViewSpec& v, const sdk::Table& t, const Columns& cols, const json& rows,
             const ViewContext& ctx) {
  const std::string &b = cols.values[0], &s = cols.values[1];
  const ReportLang lang = ctx.lang;
  const std::string value = titled(b + " / " + s, unit_of(b, ctx.units));
  json tf = pick_filters(cols);
  tf.push_back({{"filter", "isValid(datum['" + b + "']) && isValid(datum['" + s + "'])"}});
  tf.push_back({{"calculate", "abs(datum['" + s + "'] - datum['" + b + "'])"}, {"as", "_d"}});
  tf.push_back({{"window", {{{"op", "row_number"}, {"as", "_rank"}}}},
                {"sort", {{{"field", "_d"}, {"order", "descending"}}}}});
  tf.push_back({{"filter", fmt::format("datum._rank <= {}", v.top)}});
  tf.push_back({{"fold", {b, s}}, {"as", {"_series", "_v"}}});
  return with_picks({{"data", {{"values", rows}}},
                     {"transform", tf},
                     {"mark", "bar"},
                     {"width", 560},
                     {"encoding",
                      {{"y", {{"field", "_name"}, {"type", "nominal"}, {"title", cols.label}}},
                       {"yOffset", {{"field", "_series"}}},
                       {"x", {{"field", "_v"}, {"type", "quantitative"}, {"title", value}}},
                       {"color", {{"field", "_series"}, {"type", "nominal"}, {"title", ""}}},
                       {"tooltip",
                        {{{"field", "_name"}},
                         {{"field", "_series"}, {"title", tr(lang, "series")}},
                         number_tip("_v", titled(tr(lang, "value"), unit_of(b, ctx.units)))}}}}},
                    t, cols);
}

json stacked(const sdk::ViewSpec& v, const sdk::Table& t, const Columns& cols, const json& rows,
             const ViewContext& ctx) {
  const ReportLang lang = ctx.lang;
  const std::string unit = unit_of(cols.values[0], ctx.units);
  std::string total;
  for (const auto& c : cols.values) total += (total.empty() ? "" : " + ") + ("datum['" + c + "']");
  json tf = pick_filters(cols);
  tf.push_back({{"calculate", total}, {"as", "_total"}});
  for (auto& step : top_rows(Columns{}, "_total", v.top)) tf.push_back(step);
  tf.push_back({{"fold", cols.values}, {"as", {"_part", "_v"}}});
  return with_picks(
      {{"data", {{"values", rows}}},
       {"transform", tf},
       {"mark", "bar"},
       {"width", 560},
       {"encoding",
        {{"y", name_axis(cols)},
         {"x", {{"field", "_v"}, {"type", "quantitative"}, {"stack", "zero"}, {"title", unit}}},
         {"color", {{"field", "_part"}, {"type", "nominal"}, {"sort", cols.values}, {"title", ""}}},
         {"tooltip",
          {{{"field", "_name"}, {"title", cols.label}},
           {{"field", "_part"}, {"title", tr(lang, "series")}},
           number_tip("_v", titled(tr(lang, "value"), unit))}}}}},
      t, cols);
}

json scatter(const sdk::ViewSpec& v, const sdk::Table& t, const Columns& cols, const json& rows,
             const ViewContext& ctx) {
  const std::string &x = cols.values[0], &y = cols.values[1];
  const std::string xt = with_unit(x, ctx.units), yt = with_unit(y, ctx.units);
  const json enc = {
      {"x", {{"field", x}, {"type", "quantitative"}, {"scale", {{"zero", false}}}, {"title", xt}}},
      {"y", {{"field", y}, {"type", "quantitative"}, {"scale", {{"zero", false}}}, {"title", yt}}}};
  json points = {{"mark", {{"type", "circle"}, {"size", 60}}}, {"encoding", enc}};
  points["encoding"]["tooltip"] = {{{"field", "_name"}},
                                   {{"field", x}, {"title", xt}, {"format", ".4~g"}},
                                   {{"field", y}, {"title", yt}, {"format", ".4~g"}}};
  json labels = {{"transform",
                  {{{"filter", fmt::format("datum['{}'] > {} && datum['{}'] > {}", x, v.reference,
                                           y, v.reference)}}}},
                 {"mark", {{"type", "text"}, {"align", "left"}, {"dx", 5}, {"fontSize", 10}}},
                 {"encoding", enc}};
  labels["encoding"]["text"] = {{"field", cols.label}};
  const json rule = {{"type", "rule"}, {"strokeDash", {4, 4}}, {"color", "#888"}};
  json xrule = {{"data", {{"values", {{{"r", v.reference}}}}}},
                {"mark", rule},
                {"encoding", {{"x", {{"field", "r"}, {"type", "quantitative"}}}}}};
  json yrule = xrule;
  yrule["encoding"] = {{"y", {{"field", "r"}, {"type", "quantitative"}}}};
  return with_picks({{"data", {{"values", rows}}},
                     {"width", 480},
                     {"height", 360},
                     {"transform", pick_filters(cols)},
                     {"layer", {points, labels, xrule, yrule}}},
                    t, cols);
}

json base_layer() {
  return {{"data", {{"name", kRegionsDataset}}},
          {"mark", {{"type", "geoshape"}, {"fill", "#eeeeee"}, {"stroke", "#999999"}}},
          {"encoding", {{"tooltip", {{{"field", "name"}}}}}}};
}

json choropleth(const Columns& cols, const sdk::Table& t, const json& rows,
                const ViewContext& ctx) {
  const std::string& value = cols.values[0];
  const bool numeric = t.column(value).type != sdk::ColumnType::kString;
  const std::string title = with_unit(value, ctx.units);
  const json color = {{"field", value},
                      {"type", numeric ? "quantitative" : "nominal"},
                      {"scale", {{"scheme", numeric ? "viridis" : "tableau10"}}},
                      {"title", title}};
  const json tooltip = {{{"field", "_name"}, {"title", tr(ctx.lang, "region")}},
                        {{"field", value}, {"title", title}, {"format", numeric ? ",.6~g" : ""}}};
  return with_picks(
      map_spec(rows, choropleth_layers(ctx.map, cols.label, pick_filters(cols), color, tooltip)), t,
      cols);
}

json points_on_map(const Columns& cols, const sdk::Table& t, const json& rows,
                   const ViewContext& ctx) {
  const std::string& value = cols.values[0];
  json tf = pick_filters(cols);
  tf.push_back(
      {{"lookup", cols.label},
       {"from",
        {{"data", {{"values", ctx.map.centres}}}, {"key", "region"}, {"fields", {"lon", "lat"}}}}});
  tf.push_back({{"filter", "isValid(datum.lon)"}});
  const json pos = {{"longitude", {{"field", "lon"}, {"type", "quantitative"}}},
                    {"latitude", {{"field", "lat"}, {"type", "quantitative"}}}};
  json circles = {{"transform", tf},
                  {"mark", {{"type", "circle"}, {"color", "#d62728"}, {"opacity", 0.85}}},
                  {"encoding", pos}};
  const std::string title = with_unit(value, ctx.units);
  circles["encoding"]["size"] = {{"field", value},
                                 {"type", "quantitative"},
                                 {"scale", {{"range", {80, 800}}}},
                                 {"title", title}};
  circles["encoding"]["tooltip"] = {{{"field", "_name"}}, number_tip(value, title)};
  json text = {{"transform", tf},
               {"mark", {{"type", "text"}, {"dy", -14}, {"fontSize", 11}}},
               {"encoding", pos}};
  text["encoding"]["text"] = {{"field", "_name"}};
  return with_picks(map_spec(rows, {base_layer(), circles, text}), t, cols);
}

/// Rows of a matrix grouped by the column where each loads most (in |value|), strongest first:
/// a template's members stand together. `_order` of every row of `rows` is its row's rank.
void matrix_order(json& rows, const Columns& cols) {
  const std::string &value = cols.values[0], &across = cols.values[1];
  std::map<std::string, std::pair<std::string, double>> best;  // label -> (column, |value|)
  for (const auto& r : rows) {
    if (!r[value].is_number()) continue;
    const double a = std::abs(r[value].get<double>());
    auto [it, added] = best.try_emplace(r["_name"].get<std::string>(), r[across].dump(), a);
    if (!added && a > it->second.second) it->second = {r[across].dump(), a};
  }
  std::vector<std::pair<std::string, std::pair<std::string, double>>> order(best.begin(),
                                                                            best.end());
  std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
    const bool numbers = !x.second.first.empty() && x.second.first[0] != '"';
    if (x.second.first != y.second.first)
      return numbers ? std::stod(x.second.first) < std::stod(y.second.first)
                     : x.second.first < y.second.first;
    return x.second.second > y.second.second;
  });
  std::map<std::string, std::size_t> rank;
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k].first] = k;
  for (auto& r : rows) r["_order"] = rank.count(r["_name"]) ? rank[r["_name"]] : order.size();
}

json matrix(const Columns& cols, const sdk::Table& t, json rows, const ViewContext& ctx) {
  const std::string &value = cols.values[0], &across = cols.values[1];
  const std::string title = with_unit(value, ctx.units);
  matrix_order(rows, cols);
  return with_picks(
      {{"data", {{"values", rows}}},
       {"transform", pick_filters(cols)},
       {"mark", "rect"},
       {"width", {{"step", 32}}},
       {"height", {{"step", 14}}},
       {"encoding",
        {{"y",
          {{"field", "_name"},
           {"type", "nominal"},
           {"sort", {{"field", "_order"}, {"op", "min"}}},
           {"title", cols.label}}},
         {"x", {{"field", across}, {"type", "ordinal"}, {"title", with_unit(across, ctx.units)}}},
         {"color",
          {{"field", value},
           {"type", "quantitative"},
           {"scale", {{"scheme", "blueorange"}, {"domainMid", 0}}},
           {"title", title}}},
         {"tooltip",
          {{{"field", "_name"}, {"title", cols.label}},
           {{"field", across}},
           number_tip(value, title)}}}}},
      t, cols);
}

json spec_of(const sdk::ViewSpec& v, const sdk::Table& t, const Columns& cols, const json& rows,
             const ViewContext& ctx) {
  switch (v.kind) {
    case sdk::ViewKind::kBars:
      return bars(v, t, cols, rows, ctx);
    case sdk::ViewKind::kCompare:
      return compare(v, t, cols, rows, ctx);
    case sdk::ViewKind::kStacked:
      return stacked(v, t, cols, rows, ctx);
    case sdk::ViewKind::kScatter:
      return scatter(v, t, cols, rows, ctx);
    case sdk::ViewKind::kMatrix:
      return matrix(cols, t, rows, ctx);
    case sdk::ViewKind::kDendrogram:  // drawn by dendrogram_chart()
    case sdk::ViewKind::kMap:
      return choropleth(cols, t, rows, ctx);
    case sdk::ViewKind::kPoints:
      return points_on_map(cols, t, rows, ctx);
  }
  return nullptr;
}

/// The merge table's columns, resolved; nothing when the table lacks one.
std::optional<MergeColumns> merge_columns(const sdk::ViewSpec& v, const sdk::Table& t,
                                          const json& params) {
  if (v.stack.size() != 4) return std::nullopt;
  MergeColumns c{view_column(v.stack[0], params), view_column(v.stack[1], params),
                 view_column(v.stack[2], params), view_column(v.stack[3], params),
                 view_column(v.value, params)};
  for (const auto* name : {&c.first, &c.second, &c.first_id, &c.second_id, &c.height})
    if (!t.find(*name)) return std::nullopt;
  return c;
}

/// The tree as rules (x: height, y: leaf position, the first leaf on top) and the leaves' names
/// left of height 0.
json dendrogram_spec(const TreeLayout& tree, const std::string& height, const ViewContext& ctx) {
  const std::string title = with_unit(height, ctx.units);
  const json y = {{"field", "y"},
                  {"type", "quantitative"},
                  {"axis", nullptr},
                  {"scale", {{"reverse", true}, {"nice", false}}}};
  json rules = {
      {"data", {{"values", tree.segments}}},
      {"mark", {{"type", "rule"}, {"color", "#4c78a8"}}},
      {"encoding",
       {{"x", {{"field", "x"}, {"type", "quantitative"}, {"title", title}}},
        {"x2", {{"field", "x2"}}},
        {"y", y},
        {"y2", {{"field", "y2"}}},
        {"tooltip",
         {{{"field", "step"}, {"title", tr(ctx.lang, "step")}}, number_tip("height", title)}}}}};
  json names = {
      {"data", {{"values", tree.leaves}}},
      {"mark", {{"type", "text"}, {"align", "right"}, {"dx", -4}, {"fontSize", 10}}},
      {"encoding",
       {{"x", {{"datum", 0}, {"type", "quantitative"}}}, {"y", y}, {"text", {{"field", "name"}}}}}};
  const std::size_t leaves = tree.leaves.size();
  return {{"width", 520},
          {"height", std::max<std::size_t>(120, 13 * leaves)},
          {"layer", {rules, names}}};
}

std::optional<Chart> dendrogram_chart(const sdk::ViewSpec& v, const std::string& table_name,
                                      const sdk::Table& t, const ViewContext& ctx) {
  const auto cols = merge_columns(v, t, ctx.params);
  if (!cols || t.rows() == 0) return std::nullopt;
  Chart chart{v.title, nullptr, ""};
  if (t.rows() + 1 > kDendrogramMaxLeaves) {
    chart.note = fmt::format(fmt::runtime(tr(ctx.lang, "tree_too_large")), t.rows() + 1,
                             kDendrogramMaxLeaves, table_name);
    return chart;
  }
  const TreeLayout tree = tree_layout(t, *cols);
  if (tree.bad_row != 0)
    chart.note = fmt::format(fmt::runtime(tr(ctx.lang, "tree_bad")), tree.bad_row, table_name);
  else
    chart.spec = dendrogram_spec(tree, cols->height, ctx);
  return chart;
}

}  // namespace

bool region_level(const sdk::Table& t, const std::string& column, const RegionMap& map) {
  const sdk::Column& c = t.column(column);
  if (c.type != sdk::ColumnType::kString) return false;
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (c.is_valid(r) && map.codes.count(std::string(c.str(r)))) return true;
  return false;
}

json choropleth_layers(const RegionMap& map, const std::string& region_field, const json& filters,
                       const json& color, const json& tooltip) {
  json centres = json::array();  // of the regions without a polygon of their own
  for (const auto& c : map.centres)
    if (!map.with_polygon.count(c["region"].get<std::string>())) centres.push_back(c);
  json polygons_tf = filters, points_tf = filters;
  polygons_tf.push_back({{"lookup", region_field},
                         {"from", {{"data", {{"name", kRegionsDataset}}}, {"key", "region"}}},
                         {"as", "_geo"}});
  polygons_tf.push_back({{"filter", "isValid(datum._geo)"}});
  points_tf.push_back(
      {{"lookup", region_field},
       {"from", {{"data", {{"values", centres}}}, {"key", "region"}, {"fields", {"lon", "lat"}}}}});
  points_tf.push_back({{"filter", "isValid(datum.lon)"}});
  const json polygons = {
      {"transform", polygons_tf},
      {"mark", {{"type", "geoshape"}, {"stroke", "#ffffff"}, {"strokeWidth", 0.5}}},
      {"encoding",
       {{"shape", {{"field", "_geo"}, {"type", "geojson"}}},
        {"color", color},
        {"tooltip", tooltip}}}};
  const json points = {
      {"transform", points_tf},
      {"mark", {{"type", "circle"}, {"size", 160}, {"stroke", "#333333"}, {"opacity", 1}}},
      {"encoding",
       {{"longitude", {{"field", "lon"}, {"type", "quantitative"}}},
        {"latitude", {{"field", "lat"}, {"type", "quantitative"}}},
        {"color", color},
        {"tooltip", tooltip}}}};
  return {base_layer(), polygons, points};
}

json map_spec(const json& rows, const json& layers) {
  return {{"width", 640},
          {"height", 380},
          {"projection", {{"type", "mercator"}}},
          {"data", {{"values", rows}}},
          {"layer", layers}};
}

std::string with_unit(const std::string& column, const ColumnUnits& units) {
  return titled(column, unit_of(column, units));
}

std::string view_column(const std::string& name, const json& params) {
  if (name.size() < 3 || name.front() != '<' || name.back() != '>') return name;
  const std::string param = name.substr(1, name.size() - 2);
  return params.contains(param) && params[param].is_string() ? params[param].get<std::string>()
                                                             : name;
}

std::optional<Chart> view_chart(const sdk::ViewSpec& v, const std::string& table_name,
                                const sdk::Table& t, const ViewContext& ctx) {
  if (v.kind == sdk::ViewKind::kDendrogram) return dendrogram_chart(v, table_name, t, ctx);
  const auto cols = resolve(v, t, ctx.params);
  if (!cols) return std::nullopt;
  Chart chart{v.title, nullptr, ""};
  const bool on_map = v.kind == sdk::ViewKind::kMap || v.kind == sdk::ViewKind::kPoints;
  if (on_map && !ctx.map.missing.empty()) return chart.note = ctx.map.missing, chart;
  if (on_map && !region_level(t, cols->label, ctx.map)) {
    chart.note =
        fmt::format(fmt::runtime(tr(ctx.lang, "map_not_regions")), cols->label, table_name);
    return chart;
  }
  chart.spec = spec_of(v, t, *cols, rows_json(t, *cols, ctx), ctx);
  if (t.rows() > kChartMaxRows)
    chart.note = fmt::format(fmt::runtime(tr(ctx.lang, "chart_rows")), kChartMaxRows, t.rows());
  return chart;
}

}  // namespace klaster
