// klaster host: `klaster report RUN_DIR`: one self-contained HTML file of a run (docs/report.md).
#pragma once

#include <filesystem>
#include <string>

#include "plugin_loader.hpp"
#include "report_data.hpp"
#include "report_strings.hpp"

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

/// \brief Writes `html` to `out` through a temporary file beside it, renamed into place, so `out`
/// is never half-written. Throws HostError (exit 2) when `out` is a folder or a file klaster did
/// not write (is_klaster_report), or cannot be written.
void write_report(const std::filesystem::path& out, const std::string& html);

}  // namespace klaster
