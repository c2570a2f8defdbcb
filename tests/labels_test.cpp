// Labels: the [labels.NAME] sections of dataset.toml, their checks and the names they give.
// Every expected name is copied by hand from the CSV written in the test (or, for data/kz, from
// the line of regions.csv, industries.csv or kz_io_2024_products.csv quoted beside it).
#include "labels.hpp"

#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "errors.hpp"

namespace klaster {
namespace {

using test::contains;
using test::TempDir;
using test::write_text;
namespace fs = std::filesystem;

constexpr const char* kTables = R"(name = "toy"
[tables.regions]
file = "regions.csv"
columns = { code = "string", name_en = "string", name_ru = "string", pop = "float" }
[tables.products]
file = "products.csv"
columns = { code = "string", name = "string" }
)";

constexpr const char* kRegionsLabels = R"(
[labels.regions]
table = "regions"
key = "code"
en = "name_en"
ru = "name_ru"
columns = ["region", "origin", "from"]
)";

constexpr const char* kProductsLabels = R"(
[labels.products]
table = "products"
key = "code"
en = "name"
columns = ["product", "from"]
)";

/// A dataset folder with the toy tables and `labels` appended to its dataset.toml.
fs::path toy_dataset(const TempDir& dir, const std::string& labels,
                     const std::string& regions =
                         "code,name_en,name_ru,pop\n"
                         "KST,Kostanay Region,Костанайская,1\n"
                         "ALA,Almaty,Алматы,2\n") {
  write_text(dir / "d/dataset.toml", std::string(kTables) + labels);
  write_text(dir / "d/regions.csv", regions);
  write_text(dir / "d/products.csv", "code,name\n29,Motor vehicles\n01,Agriculture\n");
  return dir / "d";
}

/// The HostError load_labels throws (code and message), or code -1 when it throws none.
std::pair<int, std::string> load_error(const fs::path& dataset, const std::string& lang = "en") {
  try {
    load_labels(dataset / "dataset.toml", lang);
  } catch (const HostError& e) {
    return {e.code(), e.what()};
  }
  return {-1, ""};
}

TEST(Labels, NamesInEachLanguage) {
  TempDir dir("labels_lang");
  const fs::path d = toy_dataset(dir, std::string(kRegionsLabels) + kProductsLabels);
  const Labels en = load_labels(d / "dataset.toml", "en");
  EXPECT_EQ(en.name("region", "KST"), "Kostanay Region");
  EXPECT_EQ(en.name("origin", "ALA"), "Almaty");
  EXPECT_EQ(en.name("region", "XXX"), "");  // no such code
  EXPECT_EQ(en.name("year", "KST"), "");    // a column no set names
  EXPECT_TRUE(en.covers("region"));
  EXPECT_FALSE(en.covers("value"));
  // `from` is named by both sets; their codes do not overlap, so each code finds its own name.
  EXPECT_EQ(en.name("from", "KST"), "Kostanay Region");
  EXPECT_EQ(en.name("from", "29"), "Motor vehicles");
  EXPECT_EQ(en.label_set("from", "29"), "products");

  const Labels ru = load_labels(d, "ru");  // the folder is accepted too
  EXPECT_EQ(ru.name("region", "KST"), "Костанайская");
  EXPECT_EQ(ru.name("product", "29"), "Motor vehicles");  // no `ru` column: English names
}

TEST(Labels, ManifestWithoutLabelsCoversNothing) {
  TempDir dir("labels_none");
  const Labels l = load_labels(toy_dataset(dir, ""), "en");
  EXPECT_FALSE(l.covers("region"));
  EXPECT_EQ(l.name("region", "KST"), "");
}

TEST(Labels, UnknownLanguageIsAUsageError) {
  TempDir dir("labels_bad_lang");
  const auto [code, msg] = load_error(toy_dataset(dir, kRegionsLabels), "kk");
  EXPECT_EQ(code, kExitPipeline);
  EXPECT_EQ(msg, "--lang kk: expected en or ru");
}

/// Each bad section: the line of dataset.toml it points at (counted in kTables + the section)
/// and the message.
struct BadSection {
  std::string section;
  int line;
  std::string message;
};

TEST(Labels, BadSectionsNameTheLineOfDatasetToml) {
  // kTables has 7 lines; the section starts with a blank line, so its first key is line 10.
  const std::vector<BadSection> cases = {
      {"\n[labels.r]\ntable = \"regoins\"\nkey = \"code\"\nen = \"name_en\"\ncolumns = "
       "[\"region\"]\n",
       10, "'table' in [labels.r]: the dataset has no table 'regoins' (did you mean 'regions'?)"},
      {"\n[labels.r]\ntable = \"regions\"\nkey = \"cod\"\nen = \"name_en\"\ncolumns = "
       "[\"region\"]\n",
       11, "'key' in [labels.r]: table 'regions' has no column 'cod' (did you mean 'code'?)"},
      {"\n[labels.r]\ntable = \"regions\"\nkey = \"code\"\nen = \"pop\"\ncolumns = [\"region\"]\n",
       12, "'en' in [labels.r]: column 'pop' of table 'regions' must be declared \"string\""},
      {"\n[labels.r]\ntable = \"regions\"\nkey = \"code\"\nen = \"name_en\"\ncolumns = []\n", 13,
       "'columns' in [labels.r] must be a non-empty list of column names"},
      {"\n[labels.r]\ntable = \"regions\"\nkey = \"code\"\nen = \"name_en\"\nlang = \"kk\"\n"
       "columns = [\"region\"]\n",
       13, "unknown key 'lang' in [labels.r]"},
  };
  for (const auto& c : cases) {
    TempDir dir("labels_bad");
    const fs::path d = toy_dataset(dir, c.section);
    const auto [code, msg] = load_error(d);
    EXPECT_EQ(code, kExitDataset) << c.section;
    const std::string where = (d / "dataset.toml").string() + ":" + std::to_string(c.line) + ": ";
    EXPECT_TRUE(contains(msg, where + c.message)) << msg;
  }
}

TEST(Labels, ACodeInTwoSetsOfOneColumnIsRefused) {
  TempDir dir("labels_overlap");
  const fs::path d = toy_dataset(dir, std::string(kRegionsLabels) + kProductsLabels,
                                 "code,name_en,name_ru,pop\n29,Twenty-nine,x,1\n");
  const auto [code, msg] = load_error(d);
  EXPECT_EQ(code, kExitDataset);
  EXPECT_EQ(msg,
            "[labels.products] and [labels.regions] both name column 'from' and both list code "
            "'29': a code must have one name");
}

TEST(Labels, ACodeListedTwiceNamesBothLines) {
  TempDir dir("labels_dup");
  const fs::path d = toy_dataset(dir, kRegionsLabels,
                                 "code,name_en,name_ru,pop\nKST,a,b,1\nALA,c,d,2\nKST,e,f,3\n");
  const auto [code, msg] = load_error(d);
  EXPECT_EQ(code, kExitDataset);
  const std::string csv = (d / "regions.csv").string();
  EXPECT_TRUE(contains(
      msg, "code 'KST' is listed twice in column 'code' (" + csv + ":2 and " + csv + ":4)"))
      << msg;
}

TEST(Labels, KazakhstanDatasetNamesRegionsSectionsAndProducts) {
  const fs::path kz = fs::path(KLASTER_SOURCE_DIR) / "data/kz";
  const Labels en = load_labels(kz / "dataset.toml", "en");
  const Labels ru = load_labels(kz / "dataset.toml", "ru");
  // regions.csv: KST,Kostanay Region,Костанайская,Kostanay,...
  EXPECT_EQ(en.name("region", "KST"), "Kostanay Region");
  EXPECT_EQ(ru.name("hub", "KST"), "Костанайская");
  // industries.csv: C,Manufacturing,Обрабатывающая промышленность
  EXPECT_EQ(en.name("industry", "C"), "Manufacturing");
  EXPECT_EQ(ru.name("industry", "C"), "Обрабатывающая промышленность");
  // kz_io_2024_products.csv: 29,29,C,"Motor vehicles, trailers and semi-trailers","Автомобили, ..."
  EXPECT_EQ(en.name("industry", "29"), "Motor vehicles, trailers and semi-trailers");
  EXPECT_EQ(ru.name("sector", "29"), "Автомобили, прицепы и полуприцепы");
}

}  // namespace
}  // namespace klaster
