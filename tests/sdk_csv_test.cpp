#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"

namespace fs = std::filesystem;
using namespace klaster::sdk;

namespace {
fs::path write_file(const std::string& name, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / "klaster_sdk_csv_test";
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string error_of(const fs::path& p, const std::vector<CsvColumnSpec>& spec) {
  try {
    read_csv(p, spec);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Csv, ReadsTypedColumnsQuotesBomAndCrlf) {
  auto p = write_file("a.csv",
                      "\xEF\xBB\xBFyear,region,note,value\r\n"
                      "2024,KST,\"plain, with comma\",1.5\r\n"
                      "2025,\"KST\",\"say \"\"hi\"\"\nnext line\",\r\n"
                      "2025,ALA,x,-2e3\r\n");
  Table t = read_csv(p, {{"region", ColumnType::kString}, {"year", ColumnType::kInt},
                         {"value", ColumnType::kFloat}});
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.columns()[0].name, "region");
  EXPECT_EQ(t.column("region").str(1), "KST");
  EXPECT_EQ(t.column("region").codes[0], t.column("region").codes[1]);  // dictionary-encoded
  EXPECT_EQ(t.column("year").ints[2], 2025);
  EXPECT_DOUBLE_EQ(t.column("value").floats[0], 1.5);
  EXPECT_FALSE(t.column("value").is_valid(1));  // empty cell = missing
  EXPECT_DOUBLE_EQ(t.column("value").floats[2], -2000.0);
  Table notes = read_csv(p, {{"note", ColumnType::kString}});
  EXPECT_EQ(notes.column("note").str(1), "say \"hi\"\nnext line");
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
  auto missing = write_file("b.csv", "region,value\nA,1\n");
  EXPECT_EQ(error_of(missing, {{"year", ColumnType::kInt}}),
            missing.string() + ":1: declared column 'year' is not in the header (region, value)");
  auto fields = write_file("c.csv", "region,value\nA,1\nB,2,3\n");
  EXPECT_EQ(error_of(fields, {{"value", ColumnType::kFloat}}),
            fields.string() + ":3: expected 2 fields as in the header, found 3");
  auto bad = write_file("d.csv", "region,value\nA,1\nBB,1.2.3\n");
  EXPECT_EQ(error_of(bad, {{"value", ColumnType::kFloat}}),
            bad.string() + ":3:4: cannot read '1.2.3' as a number (column 'value')");
  auto multi = write_file("e.csv", "region,value\n\"A\nA\",1\nB,x\n");
  EXPECT_EQ(error_of(multi, {{"value", ColumnType::kFloat}}),
            multi.string() + ":4:3: cannot read 'x' as a number (column 'value')");
}

TEST(Csv, LargeFileAcrossReadBlocks) {
  std::string text = "id,name,value\n";
  for (int i = 0; i < 300000; ++i)
    text += std::to_string(i) + ",\"n" + std::to_string(i % 7) + "\"," + std::to_string(i * 0.5) + "\n";
  auto p = write_file("big.csv", text);
  Table t = read_csv(p, {{"id", ColumnType::kInt}, {"name", ColumnType::kString}, {"value", ColumnType::kFloat}});
  ASSERT_EQ(t.rows(), 300000u);
  EXPECT_EQ(t.column("id").ints[299999], 299999);
  EXPECT_EQ(t.column("name").dict->size(), 7u);
  EXPECT_DOUBLE_EQ(t.column("value").floats[123457], 123457 * 0.5);
}

TEST(Csv, WritesShortestRoundTripFloats) {
  Table t({Column::make_strings("k", {"a,b", "c"}), Column::make_floats("v", {0.1 + 0.2, 1e300}, {1, 1}),
           Column::make_ints("n", {1, 2}, {1, 0})});
  std::ostringstream out;
  write_csv(t, out);
  EXPECT_EQ(out.str(), "k,v,n\n\"a,b\",0.30000000000000004,1\nc,1e+300,\n");
}

// Miller & Blair (2009), Table 2.3: Z = [[150, 500], [200, 100]].
TEST(Matrix, ReadsWideCsvInPublicationOrder) {
  auto p = write_file("mb.csv",
                      "row,sector1,sector2,final_demand\nsector1,150,500,350\nsector2,200,100,1700\n"
                      "value_added,650,1400,\n");
  LabelledMatrix m = matrix_from_long(read_matrix_csv(p));
  ASSERT_EQ(m.row_labels, (std::vector<std::string>{"sector1", "sector2", "value_added"}));
  ASSERT_EQ(m.col_labels, (std::vector<std::string>{"sector1", "sector2", "final_demand"}));
  EXPECT_EQ(m.values(0, 1), 500);
  EXPECT_EQ(m.values(2, 2), 0);  // empty cell: absent, read as 0
  Table back = matrix_to_long(m);
  EXPECT_EQ(back.rows(), 9u);
}

// Files over 32 MiB are parsed in parallel parts cut at line starts. These check that the result
// does not depend on where the cuts fall: quoted fields with newlines and commas (a cut may land
// inside one), and an error late in the file (its line number must be exact).
namespace {
std::string big_quoted_csv(std::size_t rows) {
  std::string text = "id,note,value\n";
  text.reserve(rows * 80);
  for (std::size_t i = 0; i < rows; ++i) {
    text += std::to_string(i);
    text += ",\"line one, with comma\nline \"\"two\"\" of record ";
    text += std::to_string(i);
    text += "\",";
    text += std::to_string(i % 1000);
    text += ".5\n";
  }
  return text;
}
}  // namespace

TEST(Csv, ParallelPartsAgreeWithQuotedNewlines) {
  const std::size_t rows = 600000;  // about 40 MB
  auto p = write_file("big_quoted.csv", big_quoted_csv(rows));
  ASSERT_GT(fs::file_size(p), 32u << 20);
  Table t = read_csv(p, {{"id", ColumnType::kInt}, {"note", ColumnType::kString}, {"value", ColumnType::kFloat}});
  ASSERT_EQ(t.rows(), rows);
  for (std::size_t i : {std::size_t{0}, rows / 2 - 1, rows / 2, rows / 2 + 1, rows - 1}) {
    EXPECT_EQ(t.column("id").ints[i], static_cast<std::int64_t>(i));
    EXPECT_EQ(t.column("note").str(i), "line one, with comma\nline \"two\" of record " + std::to_string(i));
    EXPECT_EQ(t.column("value").floats[i], static_cast<double>(i % 1000) + 0.5);
  }
  fs::remove(p);
}

TEST(Csv, ParallelPartsReportExactLineOfALateError) {
  std::string text = "id,value\n";
  const std::size_t rows = 3000000;  // about 40 MB
  text.reserve(rows * 14);
  for (std::size_t i = 0; i < rows; ++i) {
    text += std::to_string(i);
    text += i == rows - 10 ? ",oops\n" : ",1.25\n";
  }
  auto p = write_file("big_error.csv", text);
  ASSERT_GT(fs::file_size(p), 32u << 20);
  // Record rows-10 is on line rows-10+2 (the header is line 1).
  EXPECT_EQ(error_of(p, {{"id", ColumnType::kInt}, {"value", ColumnType::kFloat}}),
            p.string() + ":" + std::to_string(rows - 8) + ":9: cannot read 'oops' as a number (column 'value')");
  fs::remove(p);
}
