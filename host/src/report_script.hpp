// klaster host: the style sheet and the script inlined into every report.
#pragma once

namespace klaster {

/// \brief The report's CSS.
extern const char* const kReportStyle;
/// \brief The report's own script: sortable tables, the precision toggle, and drawing each
/// `div.chart` from the Vega-Lite spec in the <script type="application/json"> its data-spec
/// names, with the region boundaries (script#klaster-regions) as dataset klaster_regions. A drawn
/// chart gets `data-marks` = its number of data marks; one that fails gets `data-error` and its
/// message, and the error goes to the console.
extern const char* const kReportScript;

}  // namespace klaster
