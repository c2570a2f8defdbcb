// klaster host: every interface string of `klaster report`, in English and Russian.
#pragma once

#include <string>

namespace klaster::sdk {
struct PluginInfo;
}

namespace klaster {

/// \brief The report's languages.
enum class ReportLang { kEn, kRu };

/// \brief "en" -> kEn, "ru" -> kRu. Throws HostError (exit 2) naming --lang for anything else.
ReportLang parse_report_lang(const std::string& text);
const char* lang_code(ReportLang lang);

/// \brief The interface string `key` in `lang`; "{}" marks where fmt::format puts a value.
/// Throws std::out_of_range for an unknown key (a bug, caught by the unit tests).
const std::string& tr(ReportLang lang, const std::string& key);

/// \brief A plugin's own text (its summary, description, a view's title) in `lang`, as HTML: the
/// plugin's translation (PluginInfo::translations) escaped, or, when it gives none, the English
/// escaped in <span lang="en"> followed by a visible mark <span class="untranslated"> saying so.
/// English needs no translation and gets no mark.
std::string plugin_text_html(const sdk::PluginInfo& info, ReportLang lang,
                             const std::string& english);

}  // namespace klaster
