// klaster host: the HTML pieces of `klaster report`: escaping, numbers rounded for reading, tables
// (sortable, full precision on hover, large ones cut), JSON safe inside a <script> element.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "klaster/sdk/table.hpp"
#include "labels.hpp"
#include "report_strings.hpp"

namespace klaster {

/// \brief `text` with &, <, >, " and ' escaped, for element content and quoted attributes.
std::string html_escape(std::string_view text);

/// \brief `v` rounded for reading: 3 significant digits below 1000 (0.0123, 1.23, 12.3, 123), whole
/// numbers from 1000 on with thousands grouped ("1,234,567" in English, "1 234 567" with narrow
/// no-break spaces and a decimal comma in Russian), scientific notation below 1e-4 ("1.23e-05").
std::string round_for_reading(double v, ReportLang lang);

/// \brief JSON text that may stand inside <script>: "</" and "<!--" cannot end or open anything.
std::string script_json(const nlohmann::json& j);

/// \brief An HTML <table class="data"> of `t`: a header per column (sortable by the page's script),
/// at most `max_rows` rows; a float cell shows round_for_reading() with its full precision (the
/// shortest text that reads back to the same double) in `title` and `data-v`; a missing cell is
/// empty; a code that `labels` (when given) names shows its name beside it; a column with a unit
/// in `units` (column -> unit, when given) shows it under its name. When the table has more rows,
/// a note under it says how many are shown, of how many, and names `file`.
std::string table_html(const sdk::Table& t, std::size_t max_rows, const std::string& file,
                       ReportLang lang, const Labels* labels = nullptr,
                       const std::map<std::string, std::string>* units = nullptr);

}  // namespace klaster
