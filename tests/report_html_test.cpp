// klaster report: the HTML pieces (escaping, rounding, tables, JSON in <script>), reading a run
// folder's tables back with their types, views, and the rule for overwriting a report.
#include "report_html.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "errors.hpp"
#include "output_folder.hpp"
#include "report_batch_data.hpp"
#include "report_data.hpp"
#include "report_page.hpp"
#include "report_stats.hpp"
#include "report_tree.hpp"
#include "report_views.hpp"

namespace klaster {
namespace {

namespace fs = std::filesystem;
const std::string kNarrowNbsp = "\u202F";

TEST(ReportHtml, EscapesTheFiveSpecialCharacters) {
  // The entities of HTML 5, section 13.5 (named character references): &amp; &lt; &gt; &quot;
  // and the numeric &#39; for the apostrophe.
  EXPECT_EQ(html_escape("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape("Костанай"), "Костанай");  // UTF-8 passes unchanged
}

TEST(ReportHtml, RoundsToThreeSignificantDigitsBelowAThousand) {
  // By hand: 3 significant digits; 1.23456 -> 1.23, 12.3456 -> 12.3, 123.456 -> 123,
  // 0.0123456 -> 0.0123, -0.5 -> -0.500.
  EXPECT_EQ(round_for_reading(1.23456, ReportLang::kEn), "1.23");
  EXPECT_EQ(round_for_reading(12.3456, ReportLang::kEn), "12.3");
  EXPECT_EQ(round_for_reading(123.456, ReportLang::kEn), "123");
  EXPECT_EQ(round_for_reading(0.0123456, ReportLang::kEn), "0.0123");
  EXPECT_EQ(round_for_reading(-0.5, ReportLang::kEn), "-0.500");
  EXPECT_EQ(round_for_reading(0.0, ReportLang::kEn), "0");
}

TEST(ReportHtml, GroupsThousandsAndWritesScientificForTinyValues) {
  // 1234567.8 rounds to 1234568; grouped by threes from the right: 1,234,568.
  EXPECT_EQ(round_for_reading(1234567.8, ReportLang::kEn), "1,234,568");
  EXPECT_EQ(round_for_reading(-48563323.22, ReportLang::kEn), "-48,563,323");
  EXPECT_EQ(round_for_reading(1000.0, ReportLang::kEn), "1,000");
  // Below 1e-4: mantissa with 2 decimals, as printf's %.2e writes it.
  EXPECT_EQ(round_for_reading(6.372459449011103e-09, ReportLang::kEn), "6.37e-09");
}

TEST(ReportHtml, RussianUsesADecimalCommaAndNarrowSpaces) {
  // Russian typography (GOST 8.417 and common usage): decimal comma, thousands separated by a
  // (narrow no-break) space.
  EXPECT_EQ(round_for_reading(1.23456, ReportLang::kRu), "1,23");
  EXPECT_EQ(round_for_reading(1234567.8, ReportLang::kRu),
            "1" + kNarrowNbsp + "234" + kNarrowNbsp + "568");
  EXPECT_EQ(round_for_reading(1.5e-5, ReportLang::kRu), "1,50e-05");
}

TEST(ReportHtml, ScriptJsonCannotCloseTheScriptElement) {
  const nlohmann::json j = {{"name", "</script><!-- x"}, {"n", 1.5}};
  const std::string text = script_json(j);
  EXPECT_EQ(text.find("</"), std::string::npos);
  EXPECT_EQ(text.find("<!--"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(text), j);  // still the same JSON
}

sdk::Table three_rows() {
  return sdk::Table(std::vector<sdk::Column>{
      sdk::Column::make_strings("region", std::vector<std::string>{"KST", "A<B", "ALA"}),
      sdk::Column::make_ints("year", {2024, 2024, 2025}),
      sdk::Column::make_floats("lq", {0.1 + 0.2, 1234.5, 0.0}, {1, 1, 0})});
}

TEST(ReportHtml, TableShowsRoundedNumbersWithFullPrecisionAndCutsLargeTables) {
  const std::string html = table_html(three_rows(), 2, "lq.csv", ReportLang::kEn);
  // 0.1 + 0.2 is 0.30000000000000004 in binary64 (its shortest round-trip text); shown as 0.300.
  EXPECT_NE(html.find("data-v=\"0.30000000000000004\" title=\"0.30000000000000004\">0.300</td>"),
            std::string::npos)
      << html;
  // 1234.5: llround rounds halfway cases away from zero (C11 7.12.9.7): 1235.
  EXPECT_NE(html.find(">1,235</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>A&lt;B</td>"), std::string::npos);
  EXPECT_EQ(html.find("ALA"), std::string::npos);  // the third row is cut
  EXPECT_NE(html.find("The first 2 of 3 rows; the whole table is lq.csv."), std::string::npos);
  std::size_t rows = 0;
  for (auto at = html.find("<tr>"); at != std::string::npos; at = html.find("<tr>", at + 1)) ++rows;
  EXPECT_EQ(rows, 3u);  // the header and two rows
}

TEST(ReportHtml, SmallTableHasNoNoteAndMissingCellsAreEmpty) {
  const std::string html = table_html(three_rows(), 200, "lq.csv", ReportLang::kRu);
  EXPECT_EQ(html.find("class=\"note\""), std::string::npos);
  EXPECT_NE(html.find("<td>ALA</td><td class=\"num\" data-v=\"2025\">2025</td><td></td>"),
            std::string::npos)
      << html;
}

TEST(ReportData, ColumnsReadAsTextGetTheirTypesBack) {
  const sdk::Table text(std::vector<sdk::Column>{
      sdk::Column::make_strings("code", std::vector<std::string>{"01", "29"}),
      sdk::Column::make_strings("sector", std::vector<std::string>{"05.1", "2"}),
      sdk::Column::make_strings("year", std::vector<std::string>{"2024", "-3"}),
      sdk::Column::make_strings("v", std::vector<std::string>{"1.5", "0.25"}),
      sdk::Column::make_strings("mixed", std::vector<std::string>{"KST", "2"})});
  const sdk::Table t = typed_from_text(text);
  EXPECT_EQ(t.column("code").type, sdk::ColumnType::kString);    // "01" is a code, not 1
  EXPECT_EQ(t.column("sector").type, sdk::ColumnType::kString);  // "05.1" too (a leading zero)
  EXPECT_EQ(t.column("year").type, sdk::ColumnType::kInt);
  EXPECT_EQ(t.column("year").ints[1], -3);
  EXPECT_EQ(t.column("v").type, sdk::ColumnType::kFloat);
  EXPECT_EQ(t.column("v").floats[0], 1.5);
  EXPECT_EQ(t.column("v").floats[1], 0.25);
  EXPECT_EQ(t.column("mixed").type, sdk::ColumnType::kString);
}

TEST(ReportStrings, LanguagesAreEnglishAndRussianOnly) {
  EXPECT_EQ(tr(ReportLang::kEn, "contents"), "Contents");
  EXPECT_EQ(tr(ReportLang::kRu, "contents"), "Содержание");
  try {
    parse_report_lang("de");
    FAIL() << "de accepted";
  } catch (const HostError& e) {
    EXPECT_EQ(e.code(), kExitPipeline);
    EXPECT_STREQ(e.what(), "--lang de: use en or ru");
  }
}

struct Fixture {
  nlohmann::json params = {{"value", "lq"}};
  RegionMap map;
  Labels labels;
  ColumnUnits units;
  ViewContext ctx() const { return ViewContext{params, map, labels, ReportLang::kEn, units}; }
};

TEST(ReportViews, AViewOfAColumnTheTableLacksIsNotDrawn) {
  Fixture f;
  f.map.codes = {"KST", "ALA"};
  const sdk::Table t = three_rows();
  const auto bars = sdk::ViewSpec::of(sdk::ViewKind::kBars, "<output>", "t").labels("region");
  EXPECT_FALSE(view_chart(sdk::ViewSpec(bars).values("share"), "lq", t, f.ctx()));
  const auto drawn = view_chart(sdk::ViewSpec(bars).values("<value>"), "lq", t, f.ctx());
  ASSERT_TRUE(drawn);
  EXPECT_EQ(drawn->spec["mark"], "bar");
  EXPECT_EQ(drawn->spec["data"]["values"].size(), 3u);
  EXPECT_EQ(drawn->spec["data"]["values"][0]["_name"], "KST");  // no labels: the code
}

TEST(ReportViews, AMapOfAColumnWithoutRegionCodesIsANote) {
  Fixture f;
  f.map.codes = {"AKM"};
  const auto map =
      sdk::ViewSpec::of(sdk::ViewKind::kMap, "<output>", "t").labels("region").values("lq");
  const auto chart = view_chart(map, "lq", three_rows(), f.ctx());
  ASSERT_TRUE(chart);
  EXPECT_TRUE(chart->spec.is_null());
  EXPECT_EQ(chart->note, "Map omitted: column 'region' of table 'lq' does not hold region codes.");
  f.map.missing = "no boundaries";
  EXPECT_EQ(view_chart(map, "lq", three_rows(), f.ctx())->note, "no boundaries");
}

TEST(ReportUnits, HeadingsAxesAndTooltipsCarryTheUnitsOfRunJson) {
  const ColumnUnits units = {{"lq", "dimensionless"}};
  const std::string html = table_html(three_rows(), 5, "lq.csv", ReportLang::kEn, nullptr, &units);
  EXPECT_NE(html.find("<th class=\"num\">lq<br><span class=\"unit\">dimensionless</span></th>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<th class=\"num\">year</th>"), std::string::npos);  // no unit, no span
  Fixture f;
  f.units = units;
  f.map.codes = {"KST"};
  const auto bars = sdk::ViewSpec::of(sdk::ViewKind::kBars, "<output>", "t").labels("region");
  const auto chart = view_chart(sdk::ViewSpec(bars).values("lq"), "lq", three_rows(), f.ctx());
  ASSERT_TRUE(chart);
  EXPECT_EQ(chart->spec["encoding"]["x"]["title"], "lq (dimensionless)");
  EXPECT_EQ(chart->spec["encoding"]["tooltip"][1]["title"], "lq (dimensionless)");
  auto m = sdk::ViewSpec::of(sdk::ViewKind::kMap, "<output>", "t").labels("region").values("lq");
  const auto drawn = view_chart(m, "lq", three_rows(), f.ctx());
  ASSERT_TRUE(drawn && !drawn->spec.is_null());
  const auto& polygons = drawn->spec["layer"][1]["encoding"];
  EXPECT_EQ(polygons["color"]["title"], "lq (dimensionless)");  // the legend
  EXPECT_EQ(polygons["tooltip"][1]["title"], "lq (dimensionless)");
  EXPECT_EQ(with_unit("year", units), "year");
}

/// A merge table as hierarchical_clusters writes one (R's hclust merge and height).
sdk::Table merges(std::vector<std::int64_t> a, std::vector<std::int64_t> b, std::vector<double> h) {
  std::vector<std::string> na, nb;
  const std::vector<std::string> items = {"A", "B", "C", "D"};
  for (std::size_t r = 0; r < a.size(); ++r) {
    na.push_back(a[r] < 0 ? items[-a[r] - 1] : "cluster " + std::to_string(a[r]));
    nb.push_back(b[r] < 0 ? items[-b[r] - 1] : "cluster " + std::to_string(b[r]));
  }
  return sdk::Table(std::vector<sdk::Column>{
      sdk::Column::make_strings("a", na), sdk::Column::make_strings("b", nb),
      sdk::Column::make_ints("a_id", a), sdk::Column::make_ints("b_id", b),
      sdk::Column::make_floats("height", h)});
}

const MergeColumns kMerges{"a", "b", "a_id", "b_id", "height"};

TEST(ReportTree, LeavesInRsOrderAndClustersAtTheMidpointOfTheirParts) {
  // A with C at 0.2, B with D at 0.5, the two at 0.9. R: hclust's order is c(1, 3, 2, 4) (each
  // merge's first part left of its second), so A C B D at positions 0..3; plot.hclust draws a
  // cluster at the midpoint of its parts: {A, C} at 0.5, {B, D} at 2.5.
  const TreeLayout tree = tree_layout(merges({-1, -2, 1}, {-3, -4, 2}, {0.2, 0.5, 0.9}), kMerges);
  ASSERT_EQ(tree.bad_row, 0u);
  ASSERT_EQ(tree.leaves.size(), 4u);
  EXPECT_EQ(tree.leaves[1], (nlohmann::json{{"y", 1}, {"name", "C"}}));
  EXPECT_EQ(tree.leaves[2]["name"], "B");
  ASSERT_EQ(tree.segments.size(), 9u);  // three lines per merge
  // Merge 3: from {A, C} (y 0.5, height 0.2) and {B, D} (y 2.5, height 0.5) up to 0.9, joined by
  // a line at 0.9 from y 0.5 to 2.5.
  EXPECT_EQ(tree.segments[6],
            (nlohmann::json{
                {"x", 0.2}, {"x2", 0.9}, {"y", 0.5}, {"y2", 0.5}, {"step", 3}, {"height", 0.9}}));
  EXPECT_EQ(tree.segments[7]["x"], 0.5);
  EXPECT_EQ(tree.segments[7]["y"], 2.5);
  EXPECT_EQ(tree.segments[8]["y2"], 2.5);
  EXPECT_EQ(tree.segments[0]["x"], 0.0);  // a leaf hangs from height 0
}

TEST(ReportTree, ATableThatIsNotATreeIsANoteNamingItsRow) {
  // Row 2 joins item 1 (A) a second time; row 1 names merge 1, which is not made yet.
  EXPECT_EQ(tree_layout(merges({-1, -1}, {-2, -3}, {0.1, 0.2}), kMerges).bad_row, 2u);
  EXPECT_EQ(tree_layout(merges({1, -1}, {-2, -3}, {0.1, 0.2}), kMerges).bad_row, 1u);
  Fixture f;
  const auto view = sdk::ViewSpec::of(sdk::ViewKind::kDendrogram, "<output>", "tree")
                        .values("height")
                        .merges("a", "b", "a_id", "b_id");
  const auto chart = view_chart(view, "tree", merges({-1, -1}, {-2, -3}, {0.1, 0.2}), f.ctx());
  ASSERT_TRUE(chart);
  EXPECT_EQ(chart->note,
            "Dendrogram omitted: row 2 of table 'tree' is not a merge as R's hclust writes one.");
  const auto good =
      view_chart(view, "tree", merges({-1, -2, 1}, {-3, -4, 2}, {.2, .5, .9}), f.ctx());
  ASSERT_TRUE(good && !good->spec.is_null());
  EXPECT_EQ(good->spec["layer"][0]["mark"]["type"], "rule");
  EXPECT_EQ(good->spec["layer"][0]["data"]["values"].size(), 9u);
  EXPECT_EQ(good->spec["layer"][1]["data"]["values"].size(), 4u);
}

TEST(ReportViews, TheTemplatesMatrixGroupsRowsByTheirStrongestColumn) {
  // Loadings: A 0.9 on factor 2; B 0.8 on 1; C -0.95 on 2 (|-0.95| is the strongest of C's).
  // Grouped by factor, strongest first: B (factor 1), then C (0.95) and A (0.9) on factor 2.
  const sdk::Table t(std::vector<sdk::Column>{
      sdk::Column::make_strings("industry", std::vector<std::string>{"A", "A", "B", "B", "C", "C"}),
      sdk::Column::make_ints("factor", {1, 2, 1, 2, 1, 2}),
      sdk::Column::make_floats("loading", {0.1, 0.9, 0.8, 0.2, 0.3, -0.95})});
  Fixture f;
  const auto view = sdk::ViewSpec::of(sdk::ViewKind::kMatrix, "<output>_loadings", "templates")
                        .labels("industry")
                        .values("loading")
                        .across("factor");
  const auto chart = view_chart(view, "fb_loadings", t, f.ctx());
  ASSERT_TRUE(chart && !chart->spec.is_null());
  EXPECT_EQ(chart->spec["mark"], "rect");
  const auto& rows = chart->spec["data"]["values"];
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0]["_order"], 2);  // A
  EXPECT_EQ(rows[2]["_order"], 0);  // B
  EXPECT_EQ(rows[4]["_order"], 1);  // C
  EXPECT_EQ(chart->spec["encoding"]["color"]["scale"]["domainMid"], 0);
}

TEST(ReportStats, ATableCutAtItsRowLimitIsSummarisedColumnByColumn) {
  // three_rows(): region KST, A<B, ALA (3 distinct); year 2024, 2024, 2025: min 2024, max 2025,
  // mean 6073 / 3 = 2024.33; lq 0.30000000000000004 and 1234.5 given, one missing.
  const auto stats = table_stats(three_rows());
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_FALSE(stats[0].numeric);
  EXPECT_EQ(stats[0].distinct, 3u);
  EXPECT_TRUE(stats[1].numeric);
  EXPECT_EQ(stats[1].min, 2024.0);
  EXPECT_EQ(stats[1].max, 2025.0);
  EXPECT_DOUBLE_EQ(stats[1].sum / stats[1].given, 6073.0 / 3.0);
  EXPECT_EQ(stats[2].given, 2u);
  EXPECT_EQ(stats[2].missing, 1u);
  EXPECT_EQ(stats[2].max, 1234.5);
  // The mean (0.30000000000000004 + 1234.5) / 2 = 617.4 rounds for reading to 617.
  const std::string html = stats_html(stats, ReportLang::kEn, {{"lq", "dimensionless"}});
  EXPECT_NE(html.find("lq <span class=\"unit\">dimensionless</span></td><td class=\"num\">2</td>"
                      "<td class=\"num\">1</td><td class=\"num\" title=\"0.30000000000000004\">"
                      "0.300</td><td class=\"num\" title=\"617.4\">617</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<td>region</td><td class=\"num\">3</td><td class=\"num\">0</td><td></td>"
                      "<td></td><td></td><td class=\"num\">3</td>"),
            std::string::npos)
      << html;
}

TEST(ReportStats, AnIntegerColumnIsWrittenWithoutThousandsSeparators) {
  // docs/report.md ("Sizes"): an integer column's min and max as written (year 2024, not 2,024),
  // its mean with one decimal: (2024 + 2024 + 2025) / 3 = 2024.333... -> 2024.3 (2024,3 in
  // Russian, with a decimal comma).
  const auto stats = table_stats(three_rows());
  EXPECT_TRUE(stats[1].integer);
  EXPECT_FALSE(stats[2].integer);
  const std::string en = stats_html(stats, ReportLang::kEn, {});
  EXPECT_NE(en.find("<td>year</td><td class=\"num\">3</td><td class=\"num\">0</td><td "
                    "class=\"num\" title=\"2024\">2024</td><td class=\"num\" "
                    "title=\"2024.3333333333333\">2024.3</td><td class=\"num\" "
                    "title=\"2025\">2025</td>"),
            std::string::npos)
      << en;
  EXPECT_EQ(en.find("2,02"), std::string::npos) << en;
  const std::string ru = stats_html(stats, ReportLang::kRu, {});
  EXPECT_NE(ru.find(">2024,3</td>"), std::string::npos) << ru;
}

TEST(ReportFile, OverwritesOnlyAReportKlasterWrote) {
  const fs::path dir =
      fs::temp_directory_path() / ("klaster_report_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path mine = dir / "thesis.html";
  std::ofstream(mine) << "<html>my work</html>\n";
  try {
    write_report(mine, std::string(kReportMarker) + "\nnew\n");
    FAIL() << "overwrote a file klaster did not write";
  } catch (const HostError& e) {
    EXPECT_EQ(e.code(), kExitPipeline);
    EXPECT_NE(std::string(e.what()).find("refusing to overwrite"), std::string::npos);
  }
  std::ifstream in(mine);
  std::string kept((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(kept, "<html>my work</html>\n");
  const fs::path ours = dir / "report.html";
  write_report(ours, std::string(kReportMarker) + "\nfirst\n");
  EXPECT_TRUE(is_klaster_report(ours));
  write_report(ours, std::string(kReportMarker) + "\nsecond\n");  // its own: replaced
  EXPECT_FALSE(is_klaster_report(mine));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);  // no temp
  fs::remove_all(dir);
}

TEST(ReportData, AFolderWithoutKlastersRunJsonIsRefused) {
  const fs::path dir =
      fs::temp_directory_path() / ("klaster_not_a_run_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "run.json") << "{\"steps\": []}\n";  // not marked as klaster's
  try {
    read_run_folder(dir);
    FAIL() << "accepted a run.json klaster did not write";
  } catch (const HostError& e) {
    EXPECT_EQ(e.code(), kExitPipeline);
    EXPECT_EQ(std::string(e.what()),
              dir.string() +
                  ": not a klaster run folder (no run.json written by klaster; `klaster run "
                  "PIPELINE --out DIR` writes one)");
  }
  fs::remove_all(dir);
}

// A table past kReportMaxReadRows (run.json says 2,000,000 rows; the CSV is cut to three) is not
// read into the report but summarised with the column types run.json records. By hand: region
// A, B, A (3 given, 2 distinct); year 2024, 2024, 2025 (min 2024, max 2025, sum 6073); v 1, 3
// and one missing (2 given, min 1, max 3, sum 4). Without recorded types: no summary.
TEST(ReportData, ATableTooLargeToReadIsSummarisedWithTheTypesRunJsonRecords) {
  const fs::path dir =
      fs::temp_directory_path() / ("klaster_large_table_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "big.csv") << "region,year,v\nA,2024,1\nB,2024,3\nA,2025,\n";
  const std::string table =
      R"({"table": "big", "rows": 2000000, "file": "big.csv", "columns": {"region": "string", )"
      R"("year": "int", "v": "float"}})";
  std::ofstream(dir / "run.json") << R"({"written_by": "klaster", "steps": [{"id": "s", )"
                                  << R"("tables_written": [)" << table << "]}]}\n";
  const RunFolder run = read_run_folder(dir);
  EXPECT_EQ(run.tables.count("big"), 0u);
  ASSERT_EQ(run.large_stats.count("big"), 1u);
  const auto& st = run.large_stats.at("big");
  ASSERT_EQ(st.size(), 3u);
  EXPECT_FALSE(st[0].numeric);
  EXPECT_EQ(st[0].given, 3u);
  EXPECT_EQ(st[0].distinct, 2u);
  EXPECT_EQ(st[1].given, 3u);
  EXPECT_EQ(st[1].min, 2024);
  EXPECT_EQ(st[1].max, 2025);
  EXPECT_EQ(st[1].sum, 6073);
  EXPECT_EQ(st[2].given, 2u);
  EXPECT_EQ(st[2].missing, 1u);
  EXPECT_EQ(st[2].min, 1);
  EXPECT_EQ(st[2].max, 3);
  EXPECT_EQ(st[2].sum, 4);
  std::ofstream(dir / "run.json") << R"({"written_by": "klaster", "steps": [{"id": "s", )"
                                  << R"("tables_written": [{"table": "big", "rows": 2000000, )"
                                  << R"("file": "big.csv"}]}]})"
                                  << "\n";
  EXPECT_EQ(read_run_folder(dir).large_stats.count("big"), 0u);
  fs::remove_all(dir);
}

/// A store as `klaster batch` lays it out (docs/batch.md, "The store"), written by hand: a grid key
/// x.factor (g0001 = 1, g0002 = 2), a failed named scenario setting it to 9, and table p__t with
/// two regions in one year per scenario.
std::string hand_store() {
  const std::string file =
      (fs::temp_directory_path() / ("klaster_store_" + std::to_string(::getpid()) + ".sqlite"))
          .string();
  fs::remove(file);
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  const char* sql =
      "CREATE TABLE batch (key TEXT PRIMARY KEY, value TEXT);"
      "INSERT INTO batch VALUES ('batch_sha256', 'abc'), ('batch_file', 'gone.toml');"
      "CREATE TABLE scenarios (id TEXT, pipeline TEXT, parameters TEXT, \"x.factor\" REAL, "
      "status TEXT, error TEXT, seconds REAL, plugins TEXT);"
      "INSERT INTO scenarios VALUES ('g0001', 'p.toml', '{}', 1.0, 'ok', NULL, 0.5, NULL),"
      "('g0002', 'p.toml', '{}', 2.0, 'ok', NULL, 0.5, NULL),"
      "('bad', 'p.toml', '{}', 9.0, 'failed', 'it broke', 0.1, NULL);"
      "CREATE TABLE p__t (scenario TEXT, region TEXT, year INTEGER, v REAL);"
      "INSERT INTO p__t VALUES ('g0001', 'A', 2025, 1.0), ('g0001', 'B', 2025, 3.0),"
      "('g0002', 'A', 2025, 2.0), ('g0002', 'B', 2025, 5.0);";
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  return file;
}

TEST(ReportBatch, ReadsAStoreIntoScenariosKeysValuesAndSummaries) {
  const std::string file = hand_store();
  const BatchStoreReport r = read_batch_store(file);
  EXPECT_EQ(r.ok, 2u);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(r.grid, std::vector<std::string>{"x.factor"});  // set by both g scenarios
  // The grid's values only: the named scenario's 9 is not one of them.
  EXPECT_EQ(r.grid_values.at("x.factor"),
            std::make_pair(std::size_t{2}, std::vector<std::string>{"1.0", "2.0"}));
  EXPECT_EQ(r.batch_file_note, "batch_file_missing");       // gone.toml does not exist
  EXPECT_EQ(r.scenarios.column("scenario").str(0), "bad");  // failed ones first
  EXPECT_EQ(r.scenarios.column("error").str(0), "it broke");
  ASSERT_EQ(r.tables.size(), 1u);
  const StoreTable& t = r.tables[0];
  EXPECT_EQ(t.rows, 4u);
  // region tells a scenario's rows apart; year is the same in both rows, so neither key nor value.
  EXPECT_EQ(t.keys, std::vector<std::string>{"region"});
  EXPECT_EQ(t.values, std::vector<std::string>{"v"});
  // By hand over the ok scenarios: A: 1 and 2 -> count 2, min 1, mean 1.5, max 2; B: 3 and 5 ->
  // 2, 3, 4, 5.
  ASSERT_EQ(t.summary.rows(), 2u);
  EXPECT_EQ(t.summary.column("region").str(0), "A");
  EXPECT_EQ(t.summary.column("scenarios").ints[0], 2);
  EXPECT_EQ(t.summary.column("v min").floats[0], 1.0);
  EXPECT_EQ(t.summary.column("v mean").floats[0], 1.5);
  EXPECT_EQ(t.summary.column("v max").floats[0], 2.0);
  EXPECT_EQ(t.summary.column("v mean").floats[1], 4.0);
  EXPECT_EQ(t.summary.column("v max").floats[1], 5.0);
  // The chart draws every row of the ok scenarios: 2 scenarios x 2 regions, with the grid value.
  EXPECT_EQ(t.chart.rows(), 4u);
  EXPECT_EQ(t.chart.column("x.factor").floats[3], 2.0);
  EXPECT_TRUE(t.units.empty());  // a store without the table `units` (written before it existed)
  fs::remove(file);
}

// docs/batch.md, `units`: a column's unit is shown when every scenario gave it the same one; v has
// one unit (km), year two (a grid over a parameter its unit depends on), so year shows none.
TEST(ReportBatch, UnitsOfAStoreWhereTheScenariosAgree) {
  const std::string file = hand_store();
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  EXPECT_EQ(sqlite3_exec(db,
                         "CREATE TABLE units (table_name TEXT, column_name TEXT, unit TEXT);"
                         "INSERT INTO units VALUES ('p__t', 'v', 'km'), ('p__t', 'year', 'a'), "
                         "('p__t', 'year', 'b'), ('other__t', 'v', 'h');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const BatchStoreReport r = read_batch_store(file);
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_EQ(r.tables[0].units, (std::map<std::string, std::string>{{"v", "km"}}));
  fs::remove(file);
}

TEST(ReportBatch, ASqliteFileKlasterBatchDidNotWriteIsRefused) {
  const std::string file = hand_store();
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_exec(db, "DROP TABLE batch", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_TRUE(is_sqlite_file(file));
  try {
    read_batch_store(file);
    FAIL() << "accepted a store without its table 'batch'";
  } catch (const HostError& e) {
    EXPECT_EQ(e.code(), kExitPipeline);
    EXPECT_EQ(std::string(e.what()),
              file + ": not a klaster batch store (it has no table 'batch')");
  }
  fs::remove(file);
}

}  // namespace
}  // namespace klaster
