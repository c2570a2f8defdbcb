// klaster host: every interface string of `klaster report`, in English and Russian.
#pragma once

#include <string>

namespace klaster {

/// \brief The report's languages.
enum class ReportLang { kEn, kRu };

/// \brief "en" -> kEn, "ru" -> kRu. Throws HostError (exit 2) naming --lang for anything else.
ReportLang parse_report_lang(const std::string& text);
const char* lang_code(ReportLang lang);

/// \brief The interface string `key` in `lang`; "{}" marks where fmt::format puts a value.
/// Throws std::out_of_range for an unknown key (a bug, caught by the unit tests).
const std::string& tr(ReportLang lang, const std::string& key);

}  // namespace klaster
