// klaster host: `klaster report STORE`: one self-contained HTML file of a batch store
// (docs/report.md, "Batch stores"): manifest, scenarios, and per collected table charts across
// the scenarios and a summary.
#pragma once

#include <string>

#include "report_batch_data.hpp"
#include "report_page.hpp"

namespace klaster {

/// \brief The report of `store`, with `libs` inlined.
std::string batch_report_page(const BatchStoreReport& store, ReportLang lang,
                              const ChartLibraries& libs);

/// \brief What the report says of the store's completeness, for the terminal too: "" when every
/// run of the batch file is stored, else one line (empty store, unfinished, batch file gone).
std::string batch_store_status(const BatchStoreReport& store, ReportLang lang);

}  // namespace klaster
