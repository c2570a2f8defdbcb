#include "report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace klaster {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

/// Digits of a whole number with a separator every three, from the right.
std::string grouped(long long whole, const std::string& separator) {
  const std::string digits = std::to_string(std::llabs(whole));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return (whole < 0 ? "-" : "") + out;
}

/// Russian writes a decimal comma.
std::string localised(std::string text, ReportLang lang) {
  if (lang == ReportLang::kRu) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

}  // namespace

std::string round_for_reading(double v, ReportLang lang) {
  if (!std::isfinite(v)) return "";
  const double a = std::fabs(v);
  if (a == 0) return "0";
  if (a < 1e-4 || a >= 9e18) return localised(fmt::format("{:.2e}", v), lang);
  if (a >= 1000) {
    const std::string thin_nbsp = "\u202F";  // what Russian typography groups thousands with
    return grouped(std::llround(v), lang == ReportLang::kRu ? thin_nbsp : ",");
  }
  const int digits = static_cast<int>(std::floor(std::log10(a))) + 1;
  return localised(fmt::format("{:.{}f}", v, std::max(0, 3 - digits)), lang);
}

std::string script_json(const nlohmann::json& j) {
  // Escaping every '<' as \u003c keeps the JSON valid and leaves no "</script" or "<!--".
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return out;
}

namespace {

std::string header_html(const sdk::Table& t, const std::map<std::string, std::string>* units) {
  std::string out = "<thead><tr>";
  for (const auto& c : t.columns()) {
    const bool numeric = c.type != sdk::ColumnType::kString;
    const auto unit =
        units ? units->find(c.name) : std::map<std::string, std::string>::const_iterator();
    const bool has_unit = units && unit != units->end() && !unit->second.empty();
    out += std::string("<th") + (numeric ? " class=\"num\"" : "") + ">" + html_escape(c.name) +
           (has_unit ? "<br><span class=\"unit\">" + html_escape(unit->second) + "</span>" : "") +
           "</th>";
  }
  return out + "</tr></thead>";
}

std::string cell_html(const sdk::Column& c, std::size_t r, ReportLang lang, const Labels* labels) {
  if (!c.is_valid(r)) return "<td></td>";
  if (c.type == sdk::ColumnType::kString) {
    const std::string code(c.str(r));
    const std::string name = labels ? labels->name(c.name, code) : "";
    return "<td>" + html_escape(code) +
           (name.empty() ? "" : " <span class=\"name\">" + html_escape(name) + "</span>") + "</td>";
  }
  const std::string full = c.to_text(r);
  if (c.type == sdk::ColumnType::kInt)
    return "<td class=\"num\" data-v=\"" + full + "\">" + full + "</td>";
  return "<td class=\"num\" data-v=\"" + full + "\" title=\"" + full + "\">" +
         round_for_reading(c.floats[r], lang) + "</td>";
}

}  // namespace

std::string table_html(const sdk::Table& t, std::size_t max_rows, const std::string& file,
                       ReportLang lang, const Labels* labels,
                       const std::map<std::string, std::string>* units) {
  const std::size_t shown = std::min(t.rows(), max_rows);
  std::string out =
      "<div class=\"scroll\"><table class=\"data\">" + header_html(t, units) + "<tbody>";
  for (std::size_t r = 0; r < shown; ++r) {
    out += "<tr>";
    for (const auto& c : t.columns()) out += cell_html(c, r, lang, labels);
    out += "</tr>";
  }
  out += "</tbody></table></div>\n";
  if (shown < t.rows())
    out += "<p class=\"note\">" +
           html_escape(fmt::format(fmt::runtime(tr(lang, "first_rows")), shown, t.rows(), file)) +
           "</p>\n";
  return out;
}

}  // namespace klaster
