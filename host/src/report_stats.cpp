#include "report_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "report_html.hpp"

namespace klaster {

namespace {

/// A column's statistics as its cells come, with the distinct texts seen so far.
struct Accumulator {
  ColumnStats stats;
  std::unordered_set<std::string> seen;
  std::string last;  // the previous text: runs of one code (sorted tables) cost no lookup

  void add_number(double v) {
    auto& s = stats;
    s.min = s.given == 0 ? v : std::min(s.min, v);
    s.max = s.given == 0 ? v : std::max(s.max, v);
    s.sum += v;
  }
  void add_text(std::string_view text) {
    if (text == last || seen.size() >= kStatsMaxDistinct) return;
    last = text;
    seen.insert(last);
  }
  ColumnStats done() {
    stats.distinct = seen.size();
    return stats;
  }
};

std::vector<ColumnStats> finish(std::vector<Accumulator>& acc) {
  std::vector<ColumnStats> out;
  for (auto& a : acc) out.push_back(a.done());
  return out;
}

}  // namespace

std::vector<ColumnStats> table_stats(const sdk::Table& t) {
  std::vector<Accumulator> acc;
  for (const auto& c : t.columns()) {
    Accumulator a;
    a.stats.name = c.name;
    a.stats.numeric = c.type != sdk::ColumnType::kString;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (!c.is_valid(r)) {
        ++a.stats.missing;
        continue;
      }
      if (a.stats.numeric) a.add_number(c.number(r));
      if (!a.stats.numeric) a.add_text(c.str(r));
      ++a.stats.given;
    }
    acc.push_back(std::move(a));
  }
  return finish(acc);
}

namespace {

std::string number_cell(double v, ReportLang lang) {
  return "<td class=\"num\" title=\"" + fmt::format("{}", v) + "\">" + round_for_reading(v, lang) +
         "</td>";
}

std::string stats_row(const ColumnStats& s, ReportLang lang, const ColumnUnits& units) {
  const auto unit = units.find(s.name);
  std::string out =
      "<tr><td>" + html_escape(s.name) +
      (unit == units.end() ? ""
                           : " <span class=\"unit\">" + html_escape(unit->second) + "</span>") +
      "</td><td class=\"num\">" + std::to_string(s.given) + "</td><td class=\"num\">" +
      std::to_string(s.missing) + "</td>";
  if (s.numeric && s.given > 0)
    return out + number_cell(s.min, lang) + number_cell(s.sum / s.given, lang) +
           number_cell(s.max, lang) + "<td></td></tr>";
  const std::string distinct =
      (s.distinct >= kStatsMaxDistinct ? "≥ " : "") + std::to_string(s.distinct);
  return out + "<td></td><td></td><td></td><td class=\"num\">" + distinct + "</td></tr>";
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
