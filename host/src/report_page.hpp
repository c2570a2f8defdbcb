// klaster host: `klaster report RUN_DIR`: one self-contained HTML file of a run (docs/report.md).
#pragma once

#include <filesystem>
#include <string>

#include "plugin_loader.hpp"
#include "report_data.hpp"
#include "report_strings.hpp"
#include "report_views.hpp"

namespace klaster {

/// \brief Tables show at most this many rows in the report; a note gives the rest's count.
inline constexpr std::size_t kReportTableRows = 200;

/// \brief The chart libraries inlined into every report (scripts/fetch-vega.sh puts them in
/// `<build>/share/klaster/report`, the install in `<prefix>/share/klaster/report`).
struct ChartLibraries {
  std::string vega, vega_lite;
};

/// \brief Reads vega.min.js and vega-lite.min.js from the folder beside the executable
/// (`../share/klaster/report`). Throws HostError (exit 2) naming the folder when they are missing.
ChartLibraries load_chart_libraries();

/// \brief The report of `run`: manifest, summaries, a section per step (description, parameters,
/// charts, tables). `plugins` gives descriptions and views; `libs` is inlined.
std::string report_page(const RunFolder& run, const PluginRegistry& plugins, ReportLang lang,
                        const ChartLibraries& libs);

// The page's pieces, shared by the report of a run and that of a batch store (report_batch.cpp).

/// \brief The page up to its <h1>: the report marker, the CSP forbidding every network request,
/// the styles.
std::string page_head(const std::string& title, ReportLang lang);
/// \brief When and by what it was written, the sorting hint and the precision toggle.
std::string page_intro(ReportLang lang);
/// \brief The region boundaries (once for every map), the chart libraries and the page's script.
std::string page_tail(const nlohmann::json& regions, const ChartLibraries& libs);
/// \brief A row of a key-value table; `value_html` is inserted as it is.
std::string kv_row(const std::string& key, const std::string& value_html);
/// \brief A note paragraph, "" for an empty text.
std::string note_html(const std::string& text);
/// \brief Chart number `n` (ids chart-n, spec-n) of kind `kind` (data-kind), or its note.
std::string chart_block(int n, const Chart& c, const std::string& kind, ReportLang lang,
                        const std::string& title_html = "");

/// \brief The note under a map naming the regions drawn as circles ("" when every region has a
/// polygon).
std::string map_points_note(const RegionMap& map, ReportLang lang);

/// \brief Writes `html` to `out` through a temporary file beside it, renamed into place, so `out`
/// is never half-written. Throws HostError (exit 2) when `out` is a folder or a file klaster did
/// not write (is_klaster_report), or cannot be written.
void write_report(const std::filesystem::path& out, const std::string& html);

}  // namespace klaster
