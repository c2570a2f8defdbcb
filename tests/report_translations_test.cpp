// klaster report --lang ru: a plugin's own texts in the report's language (PluginInfo::translations
// and plugin_text_html), and every built-in plugin giving Russian texts for what the report shows.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "klaster/sdk/plugin.hpp"
#include "plugin_loader.hpp"
#include "report_strings.hpp"

namespace klaster {
namespace {

sdk::PluginInfo sample_info() {
  sdk::PluginInfo info;
  info.summary = "Computes <shares>";
  info.description = "x / y";
  info.views = {sdk::ViewSpec::of(sdk::ViewKind::kBars, "<output>", "Regions by share")};
  info.translations["ru"] = {{info.summary, "Вычисляет <доли>"}};
  return info;
}

TEST(ReportTranslations, LooksUpTheEnglishTextInTheLanguage) {
  const sdk::PluginInfo info = sample_info();
  ASSERT_NE(info.translation("ru", "Computes <shares>"), nullptr);
  EXPECT_EQ(*info.translation("ru", "Computes <shares>"), "Вычисляет <доли>");
  EXPECT_EQ(info.translation("ru", "x / y"), nullptr);              // not given
  EXPECT_EQ(info.translation("kk", "Computes <shares>"), nullptr);  // no such language
  EXPECT_EQ(info.translation("ru", ""), nullptr);
}

TEST(ReportTranslations, RussianTextIsEscapedAndUnmarked) {
  // The translation given above, with < and > escaped as HTML 5 names them.
  EXPECT_EQ(plugin_text_html(sample_info(), ReportLang::kRu, "Computes <shares>"),
            "Вычисляет &lt;доли&gt;");
}

TEST(ReportTranslations, MissingTranslationShowsTheEnglishMarked) {
  const std::string html = plugin_text_html(sample_info(), ReportLang::kRu, "Regions by share");
  EXPECT_EQ(html.rfind("<span lang=\"en\">Regions by share</span> <span class=\"untranslated\"", 0),
            0u)
      << html;
  EXPECT_NE(html.find(">" + tr(ReportLang::kRu, "untranslated_mark") + "</span>"),
            std::string::npos);
}

TEST(ReportTranslations, EnglishReportIsNeverMarked) {
  EXPECT_EQ(plugin_text_html(sample_info(), ReportLang::kEn, "Regions by share"),
            "Regions by share");
  EXPECT_EQ(plugin_text_html(sample_info(), ReportLang::kEn, "Computes <shares>"),
            "Computes &lt;shares&gt;");
}

/// Every English text of `info` a translation may be keyed by.
std::set<std::string> english_texts(const sdk::PluginInfo& info) {
  std::set<std::string> out = {info.summary, info.description};
  for (const auto& v : info.views) out.insert(v.title);
  for (const auto& p : info.params) out.insert(p.doc);
  for (const auto* specs : {&info.reads, &info.writes})
    for (const auto& t : *specs) {
      out.insert(t.doc);
      for (const auto& c : t.columns) out.insert(c.doc);
    }
  return out;
}

class BuiltInPlugins : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { registry().load_dirs({KLASTER_PLUGIN_DIR}); }
  static PluginRegistry& registry() {
    static PluginRegistry r;
    return r;
  }
};

TEST_F(BuiltInPlugins, GiveRussianForEverythingTheReportShows) {
  // What step_section shows of a plugin: its summary, its description and its views' titles.
  ASSERT_GE(registry().plugins().size(), 30u);  // the plugins/ folder holds 30
  for (const auto& [name, p] : registry().plugins()) {
    std::vector<std::string> shown = {p.info.summary, p.info.description};
    for (const auto& v : p.info.views) shown.push_back(v.title);
    for (const auto& text : shown)
      EXPECT_NE(p.info.translation("ru", text), nullptr) << name << ": no Russian for\n" << text;
  }
}

TEST_F(BuiltInPlugins, TranslateOnlyTheirOwnCurrentTexts) {
  // A key that is none of the plugin's English texts is a stale translation: its English changed.
  for (const auto& [name, p] : registry().plugins()) {
    const std::set<std::string> texts = english_texts(p.info);
    for (const auto& [lang, table] : p.info.translations)
      for (const auto& [english, text] : table) {
        EXPECT_TRUE(texts.count(english)) << name << " (" << lang << "): stale key\n" << english;
        EXPECT_FALSE(text.empty()) << name << ": empty translation of\n" << english;
      }
  }
}

}  // namespace
}  // namespace klaster
