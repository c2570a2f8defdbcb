// GeoJSON dataset tables (issue 9): the reader on the fixtures under tests/fixtures/geo/ (a good
// file, and one file per error the reader must name), dataset.toml's `format = "geojson"`, what
// `klaster validate` reports, and the embedded table data/kz region_polygons.
//
// Expected values are read off the fixture files by hand; geometry text is the feature's geometry
// object written compactly with its keys in alphabetical order (nlohmann-json's dump()).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli_support.hpp"
#include "config.hpp"
#include "geojson.hpp"
#include "klaster/sdk/plugin.hpp"
#include "pipeline.hpp"

using namespace klaster::test;
namespace sdk = klaster::sdk;

namespace {

const fs::path kFixtures = fs::path(KLASTER_SOURCE_DIR) / "tests/fixtures/geo";

const std::vector<sdk::CsvColumnSpec> kColumns = {{"name", sdk::ColumnType::kString},
                                                  {"code", sdk::ColumnType::kInt},
                                                  {"share", sdk::ColumnType::kFloat},
                                                  {"note", sdk::ColumnType::kString}};

/// The DataError message of reading fixture `file` with kColumns.
std::string read_error(const std::string& file) {
  try {
    klaster::read_geojson(kFixtures / file, kColumns);
  } catch (const sdk::DataError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string path_of(const std::string& file) { return (kFixtures / file).string(); }

}  // namespace

// good.geojson: four features; properties declared name, code, share, note (its `extra` property
// and the features' `id` are not declared, so not read).
TEST(GeoJson, ReadsPropertiesAndGeometry) {
  const sdk::Table t = klaster::read_geojson(kFixtures / "good.geojson", kColumns);
  ASSERT_EQ(t.rows(), 4u);
  ASSERT_EQ(t.schema().names(),
            (std::vector<std::string>{"name", "code", "share", "note", "geometry"}));
  EXPECT_EQ(t.column("name").str(0), "square");
  EXPECT_EQ(t.column("code").ints[1], 2);
  EXPECT_EQ(t.column("share").number(0), 0.25);
  EXPECT_EQ(t.column("share").number(1), 3.0);     // a JSON integer in a float column
  EXPECT_EQ(t.column("share").number(2), 1.5e-3);  // 1.5e-3
  EXPECT_EQ(t.column("note").str(2), "a point, no code");
  EXPECT_EQ(t.column("geometry").str(0),
            R"({"coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"type":"Polygon"})");
  EXPECT_EQ(t.column("geometry").str(2), R"({"coordinates":[76.9424,43.2709,800],"type":"Point"})");
  EXPECT_NE(t.column("geometry").str(1).find(R"("type":"MultiPolygon")"), std::string::npos);
}

// Missing values: JSON null (note of feature 1), an absent property (code of feature 2), an empty
// string (name of feature 2), null properties and a null geometry (feature 3).
TEST(GeoJson, NullAbsentAndEmptyAreMissing) {
  const sdk::Table t = klaster::read_geojson(kFixtures / "good.geojson", kColumns);
  EXPECT_FALSE(t.column("note").is_valid(1));
  EXPECT_FALSE(t.column("code").is_valid(2));
  EXPECT_FALSE(t.column("name").is_valid(2));
  for (const char* c : {"name", "code", "share", "note", "geometry"})
    EXPECT_FALSE(t.column(c).is_valid(3)) << c;
  EXPECT_EQ(t.row_name(1), path_of("good.geojson") + " features[1]");
}

// Each error of the reader: one line naming the file, the feature (index and first declared
// string property `name`) and what is wrong.
TEST(GeoJson, NotJsonOrNotAFeatureCollection) {
  const std::string json = read_error("bad_not_json.geojson");
  EXPECT_EQ(
      json.rfind(path_of("bad_not_json.geojson") + ": not valid JSON: parse error at line 1", 0),
      0u)
      << json;
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_EQ(read_error("bad_not_collection.geojson"),
            path_of("bad_not_collection.geojson") +
                ": not a GeoJSON FeatureCollection (the top-level object needs \"type\": "
                "\"FeatureCollection\")");
}

// Found by fuzz_geojson (issue 13): a number beyond a double's range is valid JSON syntax, and
// nlohmann-json threw out_of_range.406 for it, which reached the user as an unlocated message.
TEST(GeoJson, NumberBeyondADoubleIsOneLocatedLine) {
  EXPECT_EQ(read_error("bad_number_overflow.geojson"),
            path_of("bad_number_overflow.geojson") +
                ": JSON that cannot be read: number overflow parsing '1e400'");
}

TEST(GeoJson, RingsMustCloseAndHaveFourPositions) {
  EXPECT_EQ(read_error("bad_ring_open.geojson"),
            path_of("bad_ring_open.geojson") +
                ": features[1] (name 'open'): ring geometry.coordinates[0] does not close: first "
                "position [0,0], last [0,1]");
  EXPECT_EQ(read_error("bad_ring_short.geojson"),
            path_of("bad_ring_short.geojson") +
                ": features[0] (name 'short'): ring geometry.coordinates[1][0] has 3 positions; a "
                "closed ring needs at least 4");
}

TEST(GeoJson, CoordinatesMustBeNumbersInRange) {
  EXPECT_EQ(read_error("bad_coordinate_text.geojson"),
            path_of("bad_coordinate_text.geojson") +
                ": features[0] (name 'text'): geometry.coordinates[0][1] = [\"1\",0] holds a "
                "coordinate that is not a number");
  EXPECT_EQ(read_error("bad_longitude.geojson"),
            path_of("bad_longitude.geojson") +
                ": features[0] (name 'east'): geometry.coordinates[0][1] has longitude 181, "
                "outside -180..180");
  // No name property: the feature is named by its index only.
  EXPECT_EQ(read_error("bad_latitude.geojson"),
            path_of("bad_latitude.geojson") +
                ": features[0]: geometry.coordinates has latitude -90.5, outside -90..90");
}

TEST(GeoJson, UnsupportedGeometryAndWrongPropertyType) {
  EXPECT_EQ(read_error("bad_linestring.geojson"),
            path_of("bad_linestring.geojson") +
                ": features[0] (name 'road'): unsupported geometry type 'LineString' (klaster "
                "reads Point, Polygon and MultiPolygon)");
  EXPECT_EQ(read_error("bad_property_type.geojson"),
            path_of("bad_property_type.geojson") +
                ": features[0] (name 'a'): property 'code' is a number (1.5); column 'code' is "
                "declared int in dataset.toml");
}

TEST(GeoJson, DeclaredPropertyThatNoFeatureHasIsAnError) {
  std::vector<sdk::CsvColumnSpec> cols = kColumns;
  cols.push_back({"nmae", sdk::ColumnType::kString});
  try {
    klaster::read_geojson(kFixtures / "good.geojson", cols, {.table = "shapes"});
    ADD_FAILURE() << "no error";
  } catch (const sdk::DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              path_of("good.geojson") +
                  ": no feature has a property 'nmae' (declared in dataset.toml for table "
                  "'shapes')");
  }
}

// ---- Through dataset.toml and the CLI ----

namespace {

/// data/dataset.toml with the toy `output` table and a GeoJSON table `shapes` (file `geo`, with the
/// manifest lines `extra`), and a pipeline p.toml running location quotients on `output`.
class GeoDataset {
 public:
  GeoDataset(const std::string& name, const std::string& geo, const std::string& extra = "")
      : dir_(name) {
    write_text(dir_ / "data/dataset.toml",
               "name = \"toy\"\n"
               "[tables.output]\nfile = \"output.csv\"\n"
               "columns = { year = \"int\", region = \"string\", industry = \"string\", value = "
               "\"float\" }\n"
               "[tables.shapes]\nfile = \"" +
                   geo + "\"\n" + extra);
    write_text(dir_ / "data/output.csv",
               "year,region,industry,value\n2024,A,X,30\n2024,A,Y,70\n2024,B,X,20\n2024,B,Y,80\n");
    fs::copy_file(kFixtures / geo, dir_ / ("data/" + geo));
    write_text(dir_ / "p.toml",
               "name = \"geo\"\ndataset = \"data\"\noutput = \"out\"\n\n"
               "[[step]]\nid = \"lq\"\nplugin = \"location_quotient\"\n"
               "params = { input = \"output\", value = \"value\" }\n");
  }
  CliResult validate() const { return run_klaster("validate p.toml", dir_.path()); }
  fs::path data() const { return dir_ / "data"; }

 private:
  TempDir dir_;
};

const std::string kGeoTable =
    "format = \"geojson\"\ncolumns = { name = \"string\", code = \"int\", share = \"float\" }\n";

}  // namespace

TEST(GeoJsonDataset, ManifestDeclaresPropertiesAndTheReaderAddsGeometry) {
  GeoDataset d("geo_ok", "good.geojson", kGeoTable);
  const auto r = d.validate();
  EXPECT_EQ(r.code, 0) << r.err;
  const klaster::DatasetManifest m = klaster::read_dataset_manifest(d.data());
  const auto& shapes = m.tables.back();
  ASSERT_EQ(shapes.name, "shapes");
  EXPECT_EQ(shapes.format, "geojson");
  EXPECT_EQ(shapes.schema().names(),
            (std::vector<std::string>{"name", "code", "share", "geometry"}));
  EXPECT_EQ(klaster::load_dataset_table(shapes)->rows(), 4u);
}

// validate reads a GeoJSON table whole: a bad ring is a dataset error (exit 3), one line.
TEST(GeoJsonDataset, ValidateFindsABadRing) {
  GeoDataset d("geo_open", "bad_ring_open.geojson", kGeoTable);
  const auto r = d.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(r.err,
                       "bad_ring_open.geojson: features[1] (name 'open'): ring "
                       "geometry.coordinates[0] does not close: first position [0,0], "
                       "last [0,1] (dataset table 'shapes')\n"))
      << r.err;
}

TEST(GeoJsonDataset, ManifestMistakesAreNamed) {
  GeoDataset no_format("geo_noformat", "good.geojson",
                       "columns = { name = \"string\" }\n");  // format forgotten
  auto r = no_format.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(r.err,
                       "dataset.toml:6: file 'good.geojson' in [tables.shapes] looks like "
                       "GeoJSON: add format = \"geojson\""))
      << r.err;
  GeoDataset geometry("geo_geometry", "good.geojson",
                      "format = \"geojson\"\ncolumns = { name = \"string\", geometry = \"string\" "
                      "}\n");
  r = geometry.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(
      contains(r.err, "column 'geometry' in [tables.shapes] is added by the GeoJSON reader"))
      << r.err;
  GeoDataset sep("geo_sep", "good.geojson", kGeoTable + "separator = \";\"\n");
  r = sep.validate();
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(contains(r.err,
                       "'separator' in [tables.shapes] does not apply to format = "
                       "\"geojson\""))
      << r.err;
}

// data/kz region_polygons: the 17 features of geo/kz_admin1_klaster.geojson (16 Natural Earth
// admin-1 polygons of Kazakhstan + the Baikonur lease, whose `region` is null; geo/SOURCE.txt).
TEST(GeoJsonDataset, KazakhRegionPolygons) {
  const klaster::DatasetManifest m =
      klaster::read_dataset_manifest(fs::path(KLASTER_SOURCE_DIR) / "data/kz");
  const auto it = std::find_if(m.tables.begin(), m.tables.end(),
                               [](const auto& t) { return t.name == "region_polygons"; });
  ASSERT_NE(it, m.tables.end());
  const sdk::TablePtr t = klaster::load_dataset_table(*it);
  ASSERT_EQ(t->rows(), 17u);
  const sdk::Column& region = t->column("region");
  std::size_t missing = 0, multi = 0;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    if (!region.is_valid(r)) {
      ++missing;
      EXPECT_EQ(t->column("ne_id").ints[r], 1159308537);  // "Baykonur lease in Qyzylorda"
    }
    if (t->column("geometry").str(r).find("MultiPolygon") != std::string::npos) ++multi;
  }
  EXPECT_EQ(missing, 1u);
  EXPECT_EQ(multi, 2u);  // Mangystau and Atyrau (Caspian islands)
}

// ---- Contiguity on the Kazakh polygons (spatial_weights, method = "rook") ----

namespace {

/// Runs spatial_weights rook contiguity on data/kz (20 regions of regions.csv, polygons of
/// region_polygons joined by ne_id through region_geo) and returns each region's neighbours, a
/// neighbour sharing the region's polygon marked "*".
std::map<std::string, std::set<std::string>> kz_rook(const std::string& method = "rook") {
  TempDir dir("geo_kz_" + method);
  write_text(dir / "p.toml",
             "name = \"kz contiguity\"\ndataset = \"" KLASTER_SOURCE_DIR
             "/data/kz\"\n"
             "output = \"out\"\n\n[[step]]\nid = \"w\"\nplugin = \"spatial_weights\"\n"
             "params = { input = \"regions\", region = \"code\", method = \"" +
                 method +
                 "\", polygons = \"region_polygons\", polygon_id = \"ne_id\", members = "
                 "\"region_geo\" }\n");
  const CliResult r = run_klaster("run p.toml --quiet", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  const sdk::Table w = sdk::read_csv(dir / "out/w.csv", {{"from", sdk::ColumnType::kString},
                                                         {"to", sdk::ColumnType::kString},
                                                         {"via", sdk::ColumnType::kString}});
  std::map<std::string, std::set<std::string>> out;
  for (std::size_t i = 0; i < w.rows(); ++i)
    out[std::string(w.column("from").str(i))].insert(
        std::string(w.column("to").str(i)) + (w.column("via").str(i) == "same_polygon" ? "*" : ""));
  return out;
}

using Names = std::set<std::string>;

}  // namespace

// Expected neighbours: the Natural Earth polygons themselves (their shared edges, listed
// independently by a Python script comparing the features' edge sets of
// data/kz/geo/kz_admin1_klaster.geojson, identical vertices on shared borders per geo/SOURCE.txt)
// agree with an atlas of the oblasts: Kostanay borders Aktobe, Karaganda (the pre-2022 polygon,
// KRG + ULT), Akmola and North Kazakhstan; Astana city is an enclave in Akmola; Almaty city an
// enclave in the pre-2022 Almaty region (ALM + ZHT). Mangystau borders only Aktobe and Atyrau.
TEST(GeoJsonDataset, KazakhRookContiguity) {
  const auto nb = kz_rook();
  ASSERT_EQ(nb.size(), 20u);
  EXPECT_EQ(nb.at("KST"), (Names{"AKM", "AKT", "KRG", "SKO", "ULT"}));
  EXPECT_EQ(nb.at("AST"), (Names{"AKM"}));
  EXPECT_EQ(nb.at("ALA"), (Names{"ALM", "ZHT"}));
  EXPECT_EQ(nb.at("MNG"), (Names{"AKT", "ATY"}));
  EXPECT_EQ(nb.at("SKO"), (Names{"AKM", "KST", "PVL"}));
  // regions without a polygon of their own: the same polygon as their parent, and its neighbours
  EXPECT_EQ(nb.at("ULT"), (Names{"ABY", "AKM", "AKT", "ALM", "KRG*", "KST", "KZL", "PVL", "SHM",
                                 "TRK", "VKO", "ZHM", "ZHT"}));
  EXPECT_EQ(nb.at("SHM"), (Names{"KRG", "KZL", "TRK*", "ULT", "ZHM"}));
  std::size_t links = 0;
  for (const auto& [region, names] : nb) links += names.size();
  EXPECT_EQ(links, 110u);
  EXPECT_EQ(kz_rook("queen"), nb);  // no two polygons meet at a point only
}
