#include "report_stats.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report_html.hpp"

namespace klaster {

namespace {

/// Counts, min, mean and max of a numeric column.
ColumnStats number_stats(const sdk::Column& c) {
  ColumnStats s{c.name};
  s.integer = c.type == sdk::ColumnType::kInt;
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (!c.is_valid(r)) {
      ++s.missing;
      continue;
    }
    const double v = c.number(r);
    s.min = s.given == 0 ? v : std::min(s.min, v);
    s.max = s.given == 0 ? v : std::max(s.max, v);
    s.sum += v;
    ++s.given;
  }
  return s;
}

/// Counts and distinct texts of a string column, by its dictionary codes (no text compared).
ColumnStats text_stats(const sdk::Column& c) {
  ColumnStats s{c.name, false};
  std::vector<std::uint8_t> seen(c.dict ? c.dict->size() : 0, 0);
  for (const std::int32_t code : c.codes) {
    if (code < 0) {
      ++s.missing;
      continue;
    }
    ++s.given;
    auto& mark = seen[static_cast<std::size_t>(code)];
    s.distinct += mark == 0;
    mark = 1;
  }
  return s;
}

}  // namespace

std::vector<ColumnStats> table_stats(const sdk::Table& t) {
  std::vector<ColumnStats> out;
  for (const auto& c : t.columns())
    out.push_back(c.type == sdk::ColumnType::kString ? text_stats(c) : number_stats(c));
  return out;
}

namespace {

std::string number_cell(double v, ReportLang lang) {
  return "<td class=\"num\" title=\"" + fmt::format("{}", v) + "\">" + round_for_reading(v, lang) +
         "</td>";
}

/// An integer column's statistic: its digits without separators (the mean with one decimal,
/// a decimal comma in Russian).
std::string integer_cell(double v, bool mean, ReportLang lang) {
  std::string text = fmt::format("{:.{}f}", v, mean ? 1 : 0);
  if (lang == ReportLang::kRu) std::replace(text.begin(), text.end(), '.', ',');
  return "<td class=\"num\" title=\"" + fmt::format("{}", v) + "\">" + text + "</td>";
}

std::string stats_row(const ColumnStats& s, ReportLang lang, const ColumnUnits& units) {
  const auto unit = units.find(s.name);
  std::string out =
      "<tr><td>" + html_escape(s.name) +
      (unit == units.end() ? ""
                           : " <span class=\"unit\">" + html_escape(unit->second) + "</span>") +
      "</td><td class=\"num\">" + std::to_string(s.given) + "</td><td class=\"num\">" +
      std::to_string(s.missing) + "</td>";
  if (s.numeric && s.given > 0 && s.integer)
    return out + integer_cell(s.min, false, lang) + integer_cell(s.sum / s.given, true, lang) +
           integer_cell(s.max, false, lang) + "<td></td></tr>";
  if (s.numeric && s.given > 0)
    return out + number_cell(s.min, lang) + number_cell(s.sum / s.given, lang) +
           number_cell(s.max, lang) + "<td></td></tr>";
  return out + "<td></td><td></td><td></td><td class=\"num\">" + std::to_string(s.distinct) +
         "</td></tr>";
}

}  // namespace

std::string stats_html(const std::vector<ColumnStats>& stats, ReportLang lang,
                       const ColumnUnits& units) {
  std::string out = "<table class=\"kv stats\"><tr>";
  for (const char* key : {"column", "stats_given", "stats_missing", "stats_min", "stats_mean",
                          "stats_max", "stats_distinct"})
    out += "<th>" + html_escape(tr(lang, key)) + "</th>";
  out += "</tr>";
  for (const auto& s : stats) out += stats_row(s, lang, units);
  return out + "</table>\n";
}

}  // namespace klaster
