#include "report_page.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <fstream>
#include <sstream>

#include "errors.hpp"
#include "labels.hpp"
#include "output_folder.hpp"
#include "output_writer.hpp"
#include "placeholders.hpp"
#include "report.hpp"
#include "report_html.hpp"
#include "report_script.hpp"
#include "report_stats.hpp"
#include "report_views.hpp"

namespace klaster {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string kv_row(const std::string& key, const std::string& value_html) {
  return "<tr><th>" + key + "</th><td>" + value_html + "</td></tr>";
}

std::string note_html(const std::string& text) {
  return text.empty() ? "" : "<p class=\"note\">" + html_escape(text) + "</p>\n";
}

std::string chart_block(int n, const Chart& c, const std::string& kind, ReportLang lang,
                        const std::string& title_html) {
  std::string out = "<div class=\"chart-title\">" +
                    (title_html.empty() ? html_escape(c.title) : title_html) + "</div>\n";
  if (c.spec.is_null()) return out + note_html(c.note);
  out += fmt::format(
      "<div class=\"chart\" id=\"chart-{0}\" data-spec=\"spec-{0}\" data-kind=\"{1}\" "
      "data-failed=\"{2}\"><div class=\"vis\"></div></div>\n",
      n, kind, html_escape(tr(lang, "chart_failed")));
  out += "<script type=\"application/json\" id=\"spec-" + std::to_string(n) + "\">" +
         script_json(c.spec) + "</script>\n";
  return out + note_html(c.note);
}

std::string map_points_note(const RegionMap& map, ReportLang lang) {
  std::string codes;
  for (const auto& c : map.codes)
    if (!map.with_polygon.count(c)) codes += (codes.empty() ? "" : ", ") + map.name(c);
  return codes.empty() ? "" : fmt::format(fmt::runtime(tr(lang, "map_points_note")), codes);
}

std::string page_head(const std::string& title, ReportLang lang) {
  // No network: everything is inline; Vega compiles its expressions, hence 'unsafe-eval'.
  return std::string(kReportMarker) + "\n<html lang=\"" + lang_code(lang) +
         "\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
         "'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">"
         "<meta name=\"generator\" content=\"klaster " KLASTER_VERSION "\"><title>" +
         html_escape(title) + " — " + html_escape(tr(lang, "report")) + "</title><style>" +
         kReportStyle + "</style></head>\n<body>\n<h1>" + html_escape(title) + "</h1>\n";
}

std::string page_intro(ReportLang lang) {
  return "<p class=\"note\">" +
         html_escape(fmt::format(fmt::runtime(tr(lang, "generated")), KLASTER_VERSION, utc_now())) +
         " " + html_escape(tr(lang, "sort_hint")) +
         "</p><label><input type=\"checkbox\" id=\"full-precision\"> " +
         html_escape(tr(lang, "full_precision")) + "</label>\n";
}

std::string page_tail(const nlohmann::json& regions, const ChartLibraries& libs) {
  // The boundaries once for every map (they are most of a map's size).
  return "<script type=\"application/json\" id=\"klaster-regions\">" + script_json(regions) +
         "</script>\n<script>" + libs.vega + "</script>\n<script>" + libs.vega_lite +
         "</script>\n<script>" + kReportScript + "</script>\n</body></html>\n";
}

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// What every section needs: the run, its labels and map, the language, and the charts so far.
struct Page {
  const RunFolder& run;
  const PluginRegistry& plugins;
  const Labels& labels;
  const RegionMap& map;
  ReportLang lang;
  int charts = 0;
  std::string maps;  // the maps of every step, shown together after the summaries
  std::string t(const std::string& key) const { return html_escape(tr(lang, key)); }
};

std::string text_of(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  return j.is_null() ? "" : j.dump();
}

std::string manifest_section(const Page& p) {
  const json& r = p.run.record;
  const json pipeline = r.value("pipeline", json::object()),
             data = r.value("dataset", json::object());
  std::string overrides;
  for (const auto& o : pipeline.value("overrides", json::array()))
    overrides += (overrides.empty() ? "" : ", ") + text_of(o);
  std::string out = "<h2 id=\"manifest\">" + p.t("manifest") + "</h2><table class=\"kv\">";
  out += kv_row(p.t("pipeline"), html_escape(text_of(pipeline.value("name", json()))));
  out += kv_row(p.t("pipeline_file"),
                "<code>" + html_escape(text_of(pipeline.value("file", json()))) + "</code> <code>" +
                    html_escape(text_of(pipeline.value("sha256", json()))) + "</code>");
  out += kv_row(p.t("overrides"), html_escape(overrides.empty() ? tr(p.lang, "none") : overrides));
  out += kv_row(p.t("dataset"), html_escape(text_of(data.value("name", json()))));
  out += kv_row(p.t("source"), html_escape(text_of(data.value("source", json()))));
  out += kv_row(p.t("klaster_version"), html_escape(text_of(r.value("klaster_version", json()))));
  out += kv_row(p.t("sdk_abi"), html_escape(text_of(r.value("sdk_abi_version", json()))));
  out += kv_row(p.t("started"), html_escape(text_of(r.value("started_at", json()))));
  out += kv_row(p.t("wall"), html_escape(text_of(r.value("wall_seconds", json()))));
  return out + "</table>\n";
}

/// The input checksums, collapsed: a long table few readers open.
std::string inputs_section(const Page& p) {
  const json data = p.run.record.value("dataset", json::object());
  std::string out = "<details class=\"inputs\"><summary>" + p.t("inputs") +
                    "</summary><table class=\"kv\"><tr><th>" + p.t("table") + "</th><th>" +
                    p.t("file") + "</th><th>" + p.t("sha256") + "</th></tr>";
  out += "<tr><td>dataset.toml</td><td><code>" +
         html_escape(text_of(data.value("manifest", json()))) + "</code></td><td><code>" +
         html_escape(text_of(data.value("manifest_sha256", json()))) + "</code></td></tr>";
  for (const auto& f : data.value("files", json::array()))
    out += "<tr><td>" + html_escape(text_of(f.value("table", json()))) + "</td><td><code>" +
           html_escape(text_of(f.value("file", json()))) + "</code></td><td><code>" +
           html_escape(text_of(f.value("sha256", json()))) + "</code></td></tr>";
  return out + "</table></details>\n";
}

}  // namespace

namespace {

/// A placeholder key run.json holds no value for.
struct UnrecordedPlaceholder : PlaceholderError {
  using PlaceholderError::PlaceholderError;
};

/// The value run.json records for the placeholder key `STEP.PARAM`: the step's parameter, or for
/// `STEP.output` its output table. Throws PlaceholderError (the key) when it records none.
sdk::Value recorded_value(const json& record, const std::string& key) {
  const auto dot = key.find('.');
  const std::string step = key.substr(0, dot);
  const std::string param = dot == std::string::npos ? "" : key.substr(dot + 1);
  for (const auto& s : record.value("steps", json::array())) {
    if (text_of(s.value("id", json())) != step) continue;
    const json holder = param == sdk::kOutputParam ? s : s.value("params", json::object());
    const json value = holder.value(param, json());
    if (!value.is_null()) return value_of_json(value);
  }
  throw UnrecordedPlaceholder(key);
}

/// Replaces `{STEP.PARAM}` in the summaries' texts and `where` values by the values the run used,
/// as `klaster run` did when it printed them. Returns why it cannot, or "".
std::string resolve_recorded(const Page& p, std::vector<SummaryConfig>& summaries) {
  const PlaceholderLookup lookup = [&](const std::string& key) {
    return recorded_value(p.run.record, key);
  };
  try {
    for (auto& s : summaries) {
      for (std::string* t : {&s.title, &s.note, &s.title_ru, &s.note_ru})
        *t = substitute(*t, lookup);
      for (auto& c : s.where) c = substitute(c, lookup);
    }
  } catch (const UnrecordedPlaceholder& e) {
    return fmt::format(fmt::runtime(tr(p.lang, "placeholder_unrecorded")), e.what());
  } catch (const PlaceholderError& e) {  // a lone brace: the pipeline differs from the run's
    return e.what();
  }
  return "";
}

/// Why the pipeline's summaries cannot be shown, or "" when `config` holds them.
std::string read_summaries(const Page& p, PipelineConfig& config) {
  const json pipeline = p.run.record.value("pipeline", json::object());
  const fs::path file = text_of(pipeline.value("file", json()));
  std::error_code ec;
  if (file.empty() || !fs::is_regular_file(file, ec))
    return fmt::format(fmt::runtime(tr(p.lang, "pipeline_missing")), file.string());
  if (sha256_file(file) != text_of(pipeline.value("sha256", json())))
    return fmt::format(fmt::runtime(tr(p.lang, "pipeline_changed")), file.string());
  try {
    config = read_pipeline(file);
  } catch (const HostError&) {
    return fmt::format(fmt::runtime(tr(p.lang, "pipeline_missing")), file.string());
  }
  return resolve_recorded(p, config.summaries);
}

std::string summary_html(const Page& p, const SummaryConfig& s) {
  const auto it = p.run.tables.find(s.table);
  if (it == p.run.tables.end()) return "";  // a dataset table, or one too large to read
  const bool ru = p.lang == ReportLang::kRu;
  const std::string& title = ru && !s.title_ru.empty() ? s.title_ru : s.title;
  const std::string& note = ru && !s.note_ru.empty() ? s.note_ru : s.note;
  std::string out = "<h3>" + html_escape(title.empty() ? s.table : title) + "</h3>\n";
  try {
    const sdk::Table rows = summary_rows(s, *it->second);
    out += table_html(rows, kReportTableRows, s.table + ".csv", p.lang, &p.labels,
                      &p.run.units_of(s.table));
    if (rows.rows() == 0) out += note_html(tr(p.lang, "no_rows"));
  } catch (const std::exception& e) {  // a where clause of another type than the CSV's column
    out += note_html(e.what());
  }
  return out + (note.empty() ? "" : note_html(tr(p.lang, "note") + ": " + note));
}

std::string summaries_section(const Page& p) {
  std::string out = "<div class=\"summaries\"><h2 id=\"summaries\">" + p.t("summaries") + "</h2>\n";
  PipelineConfig config;
  if (const std::string why = read_summaries(p, config); !why.empty())
    out += note_html(fmt::format(fmt::runtime(tr(p.lang, "summaries_unavailable")), why));
  else
    for (const auto& s : config.summaries) out += summary_html(p, s);
  return out + "</div>\n";
}

std::string params_html(const Page& p, const json& params) {
  std::string out =
      "<table class=\"kv\"><tr><th>" + p.t("parameter") + "</th><th>" + p.t("value") + "</th></tr>";
  for (const auto& [k, v] : params.items())
    out += "<tr><td>" + html_escape(k) + "</td><td><code>" + html_escape(text_of(v)) +
           "</code></td></tr>";
  return out + "</table>\n";
}

/// A chart; `title_html` is its title in the report's language (plugin_text_html).
std::string chart_html(Page& p, const Chart& c, sdk::ViewKind kind, const std::string& title_html) {
  return chart_block(++p.charts, c, sdk::to_string(kind), p.lang, title_html);
}

std::string views_html(Page& p, const json& step, const LoadedPlugin& plugin) {
  const json params = step.value("params", json::object());
  const std::string output = params.contains("output") && params["output"].is_string()
                                 ? params["output"].get<std::string>()
                                 : text_of(step.value("id", json()));
  std::string out;
  for (const auto& v : plugin.info.views) {
    std::string name = v.table;
    if (name.rfind("<output>", 0) == 0) name = output + name.substr(8);
    const auto it = p.run.tables.find(name);
    if (it == p.run.tables.end()) continue;
    const ViewContext ctx{params, p.map, p.labels, p.lang, p.run.units_of(name)};
    auto chart = view_chart(v, name, *it->second, ctx);
    if (!chart) continue;
    const bool map = v.kind == sdk::ViewKind::kMap || v.kind == sdk::ViewKind::kPoints;
    if (map && !chart->spec.is_null() && chart->note.empty())
      chart->note = map_points_note(p.map, p.lang);
    const std::string title_html = plugin_text_html(plugin.info, p.lang, v.title);
    if (!map || chart->spec.is_null()) {
      out += chart_html(p, *chart, v.kind, title_html);
      continue;
    }
    // The maps lead the report (its main results); the step links to its map.
    const std::string step_id = html_escape(text_of(step.value("id", json())));
    const std::string html = chart_html(p, *chart, v.kind, step_id + ": " + title_html);
    p.maps += "<div id=\"map-" + std::to_string(p.charts) + "\">" + html +
              "<p class=\"note\"><a href=\"#step-" + step_id + "\">" + p.t("step") + " " + step_id +
              "</a></p></div>\n";
    out += "<p class=\"note\"><a href=\"#map-" + std::to_string(p.charts) + "\">" +
           p.t("map_above") + ": " + title_html + "</a></p>\n";
  }
  return out;
}

/// A table of the run: its first rows, and when it has more, every row summarised by column. A
/// table too large to read gets a note and, when run.json records its column types, the summary.
std::string table_section(const Page& p, const std::string& name, const std::string& file,
                          std::size_t rows) {
  const ColumnUnits& units = p.run.units_of(name);
  const auto it = p.run.tables.find(name);
  const auto large = p.run.large_stats.find(name);
  std::string out =
      it == p.run.tables.end()
          ? note_html(fmt::format(fmt::runtime(tr(p.lang, "not_inlined")), rows, file))
          : table_html(*it->second, kReportTableRows, file, p.lang, &p.labels, &units);
  const std::string stats_head = "<p>" + p.t("stats_title") + "</p>\n";
  if (large != p.run.large_stats.end())
    return out + stats_head + stats_html(large->second, p.lang, units);
  if (rows <= kReportTableRows || it == p.run.tables.end()) return out;
  return out + stats_head + stats_html(table_stats(*it->second), p.lang, units);
}

std::string tables_html(const Page& p, const json& step) {
  std::string out;
  for (const auto& t : step.value("tables_written", json::array())) {
    const std::string name = text_of(t.value("table", json())),
                      file = text_of(t.value("file", json()));
    const auto rows = t.value("rows", 0ull);
    out += "<h3>" + html_escape(name) + " <span class=\"name\">(" + std::to_string(rows) + " " +
           p.t("rows") + ")</span></h3>\n" + table_section(p, name, file, rows);
  }
  return out;
}

std::string step_section(Page& p, const json& step) {
  const std::string id = text_of(step.value("id", json())),
                    plugin = text_of(step.value("plugin", json()));
  std::string out = "<h2 id=\"step-" + html_escape(id) + "\">" + p.t("step") + " " +
                    html_escape(id) + ": " + html_escape(plugin) + " " +
                    html_escape(text_of(step.value("plugin_version", json()))) + "</h2>\n";
  const LoadedPlugin* lp = p.plugins.find(plugin);
  if (lp)
    out += "<p>" + plugin_text_html(lp->info, p.lang, lp->info.summary) +
           "</p><div class=\"desc\">" + plugin_text_html(lp->info, p.lang, lp->info.description) +
           "</div>\n";
  else
    out += note_html(fmt::format(fmt::runtime(tr(p.lang, "no_description")), plugin));
  out +=
      "<h3>" + p.t("parameters") + "</h3>\n" + params_html(p, step.value("params", json::object()));
  if (lp) out += views_html(p, step, *lp);
  return out + tables_html(p, step);
}

std::string contents_html(const Page& p) {
  std::string out = "<nav><h2>" + p.t("contents") + "</h2><ul><li><a href=\"#summaries\">" +
                    p.t("summaries") + "</a></li>" +
                    (p.maps.empty() ? "" : "<li><a href=\"#maps\">" + p.t("maps") + "</a></li>");
  for (const auto& s : p.run.record["steps"]) {
    const std::string id = html_escape(text_of(s.value("id", json())));
    out += "<li><a href=\"#step-" + id + "\">" + id + "</a></li>";
  }
  return out + "<li><a href=\"#manifest\">" + p.t("manifest") + "</a></li></ul></nav>\n";
}

std::string head_html(const Page& p) {
  return page_head(text_of(p.run.record.value("pipeline", json::object()).value("name", json())),
                   p.lang);
}

}  // namespace

ChartLibraries load_chart_libraries() {
  std::error_code ec;
  const fs::path dir =
      boost::dll::program_location(ec).parent_path() / ".." / "share" / "klaster" / "report";
  const fs::path vega = dir / "vega.min.js", lite = dir / "vega-lite.min.js";
  if (ec || !fs::is_regular_file(vega) || !fs::is_regular_file(lite))
    throw HostError(kExitPipeline, dir.lexically_normal().string() +
                                       ": vega.min.js and vega-lite.min.js not found (the build "
                                       "fetches them: scripts/fetch-vega.sh)");
  return {read_file(vega), read_file(lite)};
}

std::string report_page(const RunFolder& run, const PluginRegistry& plugins, ReportLang lang,
                        const ChartLibraries& libs) {
  const fs::path manifest =
      text_of(run.record.value("dataset", json::object()).value("manifest", json()));
  Labels labels(lang_code(lang));
  try {
    labels = load_labels(manifest, lang_code(lang));
  } catch (const HostError&) {  // no manifest any more: codes are shown without names
  }
  const RegionMap map = load_region_map(manifest, labels, lang);
  Page p{run, plugins, labels, map, lang, 0, ""};
  // The study's results first (summaries, maps), then the steps, the manifest last.
  const std::string summaries = summaries_section(p);
  std::string steps;
  for (const auto& step : run.record["steps"]) steps += step_section(p, step);
  const std::string maps =
      p.maps.empty() ? "" : "<h2 id=\"maps\">" + p.t("maps") + "</h2>\n" + p.maps;
  return head_html(p) + page_intro(p.lang) + contents_html(p) + summaries + maps + steps +
         manifest_section(p) + inputs_section(p) + page_tail(map.features, libs);
}

}  // namespace klaster

namespace klaster {

void write_report(const fs::path& out, const std::string& html) {
  std::error_code ec;
  if (fs::is_directory(out, ec))
    throw HostError(kExitPipeline, out.string() + ": is a folder; -o names the report's file");
  if (fs::exists(out, ec) && !is_klaster_report(out))
    throw HostError(kExitPipeline,
                    out.string() +
                        ": refusing to overwrite a file klaster did not write "
                        "(only a report klaster wrote is replaced); choose another -o");
  const fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  const fs::path tmp =
      parent / ("." + out.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << html;
    f.close();
    if (!f) {
      fs::remove(tmp, ec);
      throw HostError(kExitPipeline, out.string() + ": cannot write the report");
    }
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw HostError(kExitPipeline, out.string() + ": cannot write the report: " + ec.message());
  }
}

}  // namespace klaster
