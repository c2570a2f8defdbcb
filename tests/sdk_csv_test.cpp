#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"
#include "klaster/sdk/testing.hpp"

namespace fs = std::filesystem;
using namespace klaster::sdk;

namespace {
/// This process's folder for test files, removed at exit: two builds' test runs at once must not
/// write each other's files.
const fs::path& test_dir() {
  static const struct Dir {
    fs::path path;
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } dir{fs::temp_directory_path() / ("klaster_sdk_csv_test_" + std::to_string(::getpid()))};
  return dir.path;
}

fs::path write_file(const std::string& name, const std::string& text) {
  fs::create_directories(test_dir());
  fs::path p = test_dir() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string error_of(const fs::path& p, const std::vector<CsvColumnSpec>& spec,
                     const CsvOptions& options = {}) {
  try {
    read_csv(p, spec, options);
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
  Table t = read_csv(
      p,
      {{"region", ColumnType::kString}, {"year", ColumnType::kInt}, {"value", ColumnType::kFloat}});
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
            fields.string() +
                ":3: expected 2 fields as in the header, found 3; numbers such as "
                "'2,3' look written with a decimal comma: save the file with ';' as "
                "separator and set separator = \";\" and decimal = \",\" in CsvOptions");
  auto extra = write_file("c2.csv", "region,value\nA,1\nB,x,3\n");
  EXPECT_EQ(error_of(extra, {{"value", ColumnType::kFloat}}),
            extra.string() + ":3: expected 2 fields as in the header, found 3");
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
    text +=
        std::to_string(i) + ",\"n" + std::to_string(i % 7) + "\"," + std::to_string(i * 0.5) + "\n";
  auto p = write_file("big.csv", text);
  Table t = read_csv(
      p, {{"id", ColumnType::kInt}, {"name", ColumnType::kString}, {"value", ColumnType::kFloat}});
  ASSERT_EQ(t.rows(), 300000u);
  EXPECT_EQ(t.column("id").ints[299999], 299999);
  EXPECT_EQ(t.column("name").dict->size(), 7u);
  EXPECT_DOUBLE_EQ(t.column("value").floats[123457], 123457 * 0.5);
}

// A header-only read starts with 64 KiB (csv.cpp, kHeaderBlock): a header longer than that, 20,000
// columns of about 7 bytes (136 KB), is still read whole, and a column at its end is found.
TEST(Csv, HeaderLongerThanTheFirstReadBlock) {
  std::string header, row;
  for (int k = 0; k < 20000; ++k) {
    header += (k ? "," : "") + ("col" + std::to_string(k));
    row += k ? ",1" : "1";
  }
  ASSERT_GT(header.size(), std::size_t{1} << 16);
  auto p = write_file("wide_header.csv", header + "\n" + row + "\n");
  const std::vector<std::string> names = read_csv_header(p);
  ASSERT_EQ(names.size(), 20000u);
  EXPECT_EQ(names.back(), "col19999");
  EXPECT_NO_THROW(check_csv_header(p, {{"col19999", ColumnType::kInt}}));
}

TEST(Csv, WritesShortestRoundTripFloats) {
  Table t({Column::make_strings("k", {"a,b", "c"}),
           Column::make_floats("v", {0.1 + 0.2, 1e300}, {1, 1}),
           Column::make_ints("n", {1, 2}, {1, 0})});
  std::ostringstream out;
  write_csv(t, out);
  EXPECT_EQ(out.str(), "k,v,n\n\"a,b\",0.30000000000000004,1\nc,1e+300,\n");
}

// One text for missing: the writer writes missing cells of every type as empty cells, and the
// reader reads them back as missing; an empty string is written the same way and reads back as
// missing.
TEST(Csv, MissingValuesRoundTripAsEmptyCells) {
  Table t({Column::make_strings("k", {"a", ""}), Column::make_floats("v", {1.5, 0}, {1, 0}),
           Column::make_ints("n", {0, 7}, {0, 1})});
  std::ostringstream out;
  write_csv(t, out);
  EXPECT_EQ(out.str(), "k,v,n\na,1.5,\n,,7\n");
  const Table back =
      read_csv(write_file("missing.csv", out.str()),
               {{"k", ColumnType::kString}, {"v", ColumnType::kFloat}, {"n", ColumnType::kInt}});
  ASSERT_EQ(back.rows(), 2u);
  EXPECT_FALSE(back.column("k").is_valid(1));
  EXPECT_FALSE(back.column("v").is_valid(1));
  EXPECT_FALSE(back.column("n").is_valid(0));
  EXPECT_EQ(back.column("n").ints[1], 7);
}

/// A cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, a quote
/// inside doubled.
std::string rfc4180(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

/// The CSV text of string and int columns written cell by cell with rfc4180 and std::to_string,
/// against which write_csv's block formats are checked.
std::string expected_csv(const std::vector<std::vector<std::string>>& strings,
                         const std::vector<std::vector<std::int64_t>>& ints,
                         const std::vector<std::uint8_t>& int_valid, std::size_t rows) {
  std::string out;
  for (std::size_t k = 0; k < strings.size() + ints.size(); ++k)
    out += (k ? ",c" : "c") + std::to_string(k);
  out += "\n";
  for (std::size_t r = 0; r < rows; ++r) {
    std::string line;
    for (const auto& s : strings) line += rfc4180(s[r]) + ",";
    for (const auto& v : ints) line += (int_valid[r] ? std::to_string(v[r]) : "") + ",";
    line.back() = '\n';
    out += line;
  }
  return out;
}

/// "" when the texts are equal, else the first line where they differ, both ways (a failing
/// EXPECT_EQ on texts of megabytes would diff them whole).
std::string first_difference(const std::string& got, const std::string& want) {
  std::istringstream a(got), b(want);
  std::string la, lb;
  for (std::size_t line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return "";
    if (more_a != more_b || la != lb)
      return "line " + std::to_string(line) + ": '" + la + "', expected '" + lb + "'";
  }
}

// write_csv keeps a column's texts in a table when they are few and short (strings of up to 15
// bytes, ints spanning up to 4,096 values of up to 14 digits) and writes other cells one by one:
// each kind, on both sides of each limit, in tables of several blocks (2^14 rows each at least),
// against the text written cell by cell (RFC 4180 quoting, std::to_string).
TEST(Csv, WriterTextsOfEveryColumnKind) {
  const std::size_t rows = 70000;  // over 2^16 distinct strings: the row-by-row writer
  std::vector<std::vector<std::string>> strings(5, std::vector<std::string>(rows));
  std::vector<std::vector<std::int64_t>> ints(6, std::vector<std::int64_t>(rows));
  std::vector<std::uint8_t> valid(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    strings[0][r] = std::string(r % 16, static_cast<char>('a' + r % 7));  // 0..15 bytes
    strings[1][r] = std::string(r % 17, static_cast<char>('a' + r % 7));  // 0..16 bytes
    strings[2][r] = std::string(r % 18, 'x') + (r % 5 == 0 ? "," : "");   // up to 20, quoted
    strings[3][r] = r % 3 ? "q\"" + std::to_string(r % 9) : "";           // quotes, missing
    strings[4][r] = "distinct" + std::to_string(r);  // a large dictionary, last
    const auto k = static_cast<std::int64_t>(r);
    ints[0][r] = 1990 + k % 40;                // years
    ints[1][r] = -2048 + k % 4096;             // a span of 4,096 values
    ints[2][r] = -2048 + k % 4097;             // 4,097 values
    ints[3][r] = -99'999'999'999'999 + k % 7;  // 14 digits and a sign: 15 bytes
    ints[4][r] = 100'000'000'000'000 + k % 7;  // 15 digits
    ints[5][r] = r % 2 ? std::numeric_limits<std::int64_t>::min() + k
                       : std::numeric_limits<std::int64_t>::max() - k;
    valid[r] = r % 11 != 3;
  }
  // Without and with the large dictionary, which makes the whole table written row by row.
  for (const std::size_t n_strings : {strings.size() - 1, strings.size()}) {
    const std::vector<std::vector<std::string>> these(strings.begin(), strings.begin() + n_strings);
    std::vector<Column> cols;
    for (std::size_t k = 0; k < these.size(); ++k)
      cols.push_back(Column::make_strings("c" + std::to_string(k), these[k]));
    for (std::size_t k = 0; k < ints.size(); ++k)
      cols.push_back(Column::make_ints("c" + std::to_string(these.size() + k), ints[k], valid));
    std::ostringstream out;
    write_csv(Table(std::move(cols)), out);
    EXPECT_EQ(first_difference(out.str(), expected_csv(these, ints, valid, rows)), "")
        << n_strings << " string columns";
  }
}

// NaN and infinities have no CSV text read_csv accepts back: write_csv refuses them, naming the
// cell.
TEST(Csv, WriterRefusesNonFiniteValues) {
  const std::pair<double, const char*> cases[] = {{std::numeric_limits<double>::infinity(), "inf"},
                                                  {std::nan(""), "nan"}};
  for (const auto& [bad, text] : cases) {
    Table t({Column::make_floats("v", {1, bad})});
    std::ostringstream out;
    EXPECT_EQ(klaster::sdk::testkit::error_message<Error>([&] { write_csv(t, out); }),
              std::string("column 'v', row 2 holds ") + text +
                  ", which CSV cannot hold: write an undefined value as missing");
  }
  Table missing({Column::make_floats("v", {1, std::nan("")}, {1, 0})});  // NaN under a missing mask
  std::ostringstream out;
  write_csv(missing, out);
  EXPECT_EQ(out.str(), "v\n1\n\n");
}

// Miller & Blair (2009), Table 2.3: Z = [[150, 500], [200, 100]].
TEST(Matrix, ReadsWideCsvInPublicationOrder) {
  auto p =
      write_file("mb.csv",
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
  Table t = read_csv(
      p, {{"id", ColumnType::kInt}, {"note", ColumnType::kString}, {"value", ColumnType::kFloat}});
  ASSERT_EQ(t.rows(), rows);
  for (std::size_t i : {std::size_t{0}, rows / 2 - 1, rows / 2, rows / 2 + 1, rows - 1}) {
    EXPECT_EQ(t.column("id").ints[i], static_cast<std::int64_t>(i));
    EXPECT_EQ(t.column("note").str(i),
              "line one, with comma\nline \"two\" of record " + std::to_string(i));
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
            p.string() + ":" + std::to_string(rows - 8) +
                ":9: cannot read 'oops' as a number (column 'value')");
  fs::remove(p);
}

// ---- Dirty keys and text (issue 7, part 4) ----

namespace {
const std::vector<CsvColumnSpec> kRegionValue{{"region", ColumnType::kString},
                                              {"value", ColumnType::kFloat}};
}  // namespace

TEST(CsvKeys, LeadingOrTrailingSpaceIsAnErrorAtItsCell) {
  // "2024," is five characters: the region cell of line 3 starts in column 6.
  auto p = write_file("space.csv", "year,region,value\n2024,KST,1\n2024,KST ,2\n");
  const std::vector<CsvColumnSpec> spec{{"year", ColumnType::kInt},
                                        {"region", ColumnType::kString}};
  EXPECT_EQ(error_of(p, spec),
            p.string() +
                ":3:6: value 'KST ' in column 'region' has leading or trailing spaces "
                "(set trim = true in CsvOptions to trim them)");
  CsvOptions named;
  named.table = "output";
  EXPECT_EQ(error_of(p, spec, named),
            p.string() +
                ":3:6: value 'KST ' in column 'region' has leading or trailing spaces "
                "(set trim = true for table 'output' in dataset.toml to trim them)");
  auto lead = write_file("lead.csv", "region,value\n\" ALA\",1\n");
  EXPECT_EQ(error_of(lead, kRegionValue),
            lead.string() +
                ":2:1: value ' ALA' in column 'region' has leading or trailing spaces "
                "(set trim = true in CsvOptions to trim them)");
  auto tab = write_file("tab.csv", "region,value\nALA,1\nALA\t,1\n");
  EXPECT_EQ(error_of(tab, kRegionValue),
            tab.string() +
                ":3:1: value 'ALA\t' in column 'region' has leading or trailing spaces "
                "(set trim = true in CsvOptions to trim them)");
  // Numbers may have surrounding spaces; inner spaces of a string are fine.
  auto fine = write_file("fine.csv", "region,value\nNorth Kazakhstan, 1.5 \n");
  EXPECT_EQ(read_csv(fine, kRegionValue).column("value").floats[0], 1.5);
}

TEST(CsvKeys, TrimOptionTrimsSpacesAndTabs) {
  auto p = write_file("trim.csv", "region,value\nKST,1\nKST ,2\n\" KST\",3\n\tKST\t,4\n  ,5\n");
  CsvOptions o;
  o.trim = true;
  Table t = read_csv(p, kRegionValue, o);
  ASSERT_EQ(t.rows(), 5u);
  const Column& region = t.column("region");
  EXPECT_EQ(region.dict->size(), 1u);
  for (std::size_t r = 0; r < 4; ++r) EXPECT_EQ(region.str(r), "KST") << r;
  EXPECT_FALSE(region.is_valid(4));  // only spaces: empty once trimmed, a missing value
}

// The reader compares a key cell with the ones it has seen by its size and first 8 bytes (and in
// full past 8), and predicts each key from the one before it. Keys of 1 to 10 bytes that differ
// from another key of their size at exactly one position (first, middle, last), listed in an order
// that keeps the predictions right for a while and then breaks them, must come back as written.
// Int cells of up to 18 digits are read by a short loop, longer ones by std::from_chars: both
// give the integer written (the int64 limits included), and a cell that is not an integer, or
// is out of range, is an error at its line. A '+' is read before digits only ("+-5" was once
// read as -5).
TEST(Csv, IntCellsOfEveryLengthAndTheirErrors) {
  const std::vector<CsvColumnSpec> spec{{"n", ColumnType::kInt}};
  const auto p = write_file("ints.csv",
                            "n\n-7\n+5\n0\n-0\n123456789012345678\n-123456789012345678\n"
                            "9223372036854775807\n-9223372036854775808\n007\n");
  EXPECT_EQ(read_csv(p, spec).column("n").ints,
            (std::vector<std::int64_t>{-7, 5, 0, 0, 123456789012345678, -123456789012345678,
                                       std::numeric_limits<std::int64_t>::max(),
                                       std::numeric_limits<std::int64_t>::min(), 7}));
  for (const char* cell : {"12a", "-", "+", "+-5", "-+5", "1-2", "9223372036854775808", "1.5"}) {
    const auto bad = write_file("bad_int.csv", std::string("n\n1\n") + cell + "\n");
    EXPECT_EQ(error_of(bad, spec),
              bad.string() + ":3:1: cannot read '" + cell + "' as an integer (column 'n')")
        << cell;
  }
}

// A float cell takes a '+' before its digits too, and a sign twice is refused.
TEST(Csv, FloatCellWithTwoSignsIsAnError) {
  const std::vector<CsvColumnSpec> spec{{"x", ColumnType::kFloat}};
  EXPECT_EQ(read_csv(write_file("plus.csv", "x\n+2.5\n-0.5\n"), spec).column("x").floats,
            (std::vector<double>{2.5, -0.5}));
  const auto bad = write_file("two_signs.csv", "x\n1\n+-5.5\n");
  EXPECT_EQ(error_of(bad, spec),
            bad.string() + ":3:1: cannot read '+-5.5' as a number (column 'x')");
}

TEST(CsvKeys, KeysDifferingAtOnePositionReadBackAsWritten) {
  std::vector<std::string> keys;
  for (std::size_t n = 1; n <= 10; ++n) {
    const std::string base(n, 'a');
    keys.push_back(base);
    for (std::size_t at : {std::size_t{0}, n / 2, n - 1}) {
      std::string k = base;
      k[at] = 'b';
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
  }
  std::string text = "region,value\n";
  std::vector<std::string> expected;
  for (int round = 0; round < 6; ++round)  // rounds 0-2 in order, 3 reversed, 4-5 in pairs swapped
    for (std::size_t j = 0; j < keys.size(); ++j) {
      std::size_t k = round == 3 ? keys.size() - 1 - j : j;
      if (round >= 4) k = (j ^ 1) < keys.size() ? j ^ 1 : j;
      expected.push_back(keys[k]);
      text += keys[k] + "," + std::to_string(expected.size()) + "\n";
    }
  const Table t = read_csv(write_file("keys.csv", text), kRegionValue);
  ASSERT_EQ(t.rows(), expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r)
    EXPECT_EQ(t.column("region").str(r), expected[r]) << "row " << r;
  EXPECT_EQ(t.column("region").dict->size(), keys.size());
}

TEST(CsvKeys, CaseConflictsNameBothValuesAndTheirFirstLines) {
  // Lines: 1 header, 2 KST, 3 ALA, 4 blank, 5 kst, 6 KST again, 7 Ala.
  auto p = write_file("case.csv", "region,value\nKST,1\nALA,2\n\nkst,3\nKST,4\nAla,5\n");
  Table t = read_csv(p, kRegionValue);
  EXPECT_EQ(case_conflicts(t),
            (std::vector<std::string>{p.string() + ": column 'region' holds 'KST' (line 2) and "
                                                   "'kst' (line 5), which differ only by case",
                                      p.string() + ": column 'region' holds 'ALA' (line 3) and "
                                                   "'Ala' (line 7), which differ only by case"}));
  // Cyrillic, Kazakh letters included: Алматы / АЛМАТЫ, Қостанай / қостанай.
  auto cyr = write_file("case_cyr.csv",
                        "region,value\nАлматы,1\nҚостанай,2\nАЛМАТЫ,3\nқостанай,4\nАстана,5\n");
  EXPECT_EQ(
      case_conflicts(read_csv(cyr, kRegionValue)),
      (std::vector<std::string>{cyr.string() + ": column 'region' holds 'Алматы' (line 2) and "
                                               "'АЛМАТЫ' (line 4), which differ only by case",
                                cyr.string() + ": column 'region' holds 'Қостанай' (line 3) and "
                                               "'қостанай' (line 5), which differ only by case"}));
  // A table not read from a file has no lines to name.
  Table computed({Column::make_strings("industry", {"C", "c", "D"})});
  EXPECT_EQ(
      case_conflicts(computed),
      (std::vector<std::string>{"column 'industry' holds 'C' and 'c', which differ only by case"}));
  EXPECT_TRUE(
      case_conflicts(read_csv(write_file("nocase.csv", "region,value\nA,1\nB,2\n"), kRegionValue))
          .empty());
}

TEST(CsvText, InvalidUtf8IsAnErrorWithLineAndColumn) {
  auto p = write_file("utf8.csv", "region,value\nA,1\nB\xFF,2\n");
  EXPECT_EQ(error_of(p, kRegionValue),
            p.string() +
                ":3:1: value 'B\\xFF' in column 'region' is not valid UTF-8 (byte 0xFF at "
                "offset 1; save the file as UTF-8)");
  // Overlong '/' and a UTF-16 surrogate are not UTF-8 either.
  auto overlong = write_file("overlong.csv", "value,region\n1,x\xC0\xAF\n");
  EXPECT_EQ(error_of(overlong, kRegionValue),
            overlong.string() +
                ":2:3: value 'x\\xC0\\xAF' in column 'region' is not valid UTF-8 "
                "(byte 0xC0 at offset 1; save the file as UTF-8)");
  // Latin-1 "Zürich" is not taken for Windows-1251.
  auto latin1 = write_file("latin1.csv", "region,value\nZ\xFCrich,1\n");
  EXPECT_EQ(error_of(latin1, kRegionValue),
            latin1.string() +
                ":2:1: value 'Z\\xFCrich' in column 'region' is not valid UTF-8 "
                "(byte 0xFC at offset 1; save the file as UTF-8)");
  auto surrogate = write_file("surrogate.csv", "region,value\n\xED\xA0\x80,1\n");
  EXPECT_NE(error_of(surrogate, kRegionValue)
                .find(":2:1: value '\\xED\\xA0\\x80' in column 'region' is not valid UTF-8"),
            std::string::npos);
}

TEST(CsvText, Windows1251BytesGetAHint) {
  // "Алматы" in Windows-1251: C0 EB EC E0 F2 FB.
  auto p = write_file("cp1251.csv", "region,value\nKST,1\n\xC0\xEB\xEC\xE0\xF2\xFB,2\n");
  EXPECT_EQ(error_of(p, kRegionValue),
            p.string() +
                ":3:1: value '\\xC0\\xEB\\xEC\\xE0\\xF2\\xFB' in column 'region' is not valid "
                "UTF-8 (looks like Windows-1251; save the file as UTF-8)");
  // "год" (year) in Windows-1251 in the header.
  auto header = write_file("cp1251_header.csv", "region,\xE3\xEE\xE4\n");
  std::string error;
  try {
    read_csv_header(header);
  } catch (const DataError& e) {
    error = e.what();
  }
  EXPECT_EQ(error, header.string() +
                       ":1:8: header field '\\xE3\\xEE\\xE4' is not valid UTF-8 "
                       "(looks like Windows-1251; save the file as UTF-8)");
}

TEST(CsvText, ValidMultiByteUtf8IsRead) {
  auto p = write_file("utf8_ok.csv",
                      "регион,value\nАлматы,1\nҚостанай,2\nZürich,3\n東京,4\n\xF0\x9F\x9A\x97,5\n");
  Table t = read_csv(p, {{"регион", ColumnType::kString}, {"value", ColumnType::kFloat}});
  ASSERT_EQ(t.rows(), 5u);
  EXPECT_EQ(t.column("регион").str(1), "Қостанай");
  EXPECT_EQ(t.column("регион").str(4), "\xF0\x9F\x9A\x97");  // U+1F697, four bytes
}

// ---- Separators and decimal commas (issue 7, part 5) ----

namespace {
// What Excel writes in a Russian locale: ';' separators and decimal commas.
const char* kSemicolonCsv = "year;region;industry;value\n2024;KST;C;1,5\n2024;ALA;C;-2,25\n";
const std::vector<CsvColumnSpec> kLong{{"year", ColumnType::kInt},
                                       {"region", ColumnType::kString},
                                       {"industry", ColumnType::kString},
                                       {"value", ColumnType::kFloat}};
}  // namespace

TEST(CsvSeparators, SemicolonFileGetsAHintAndReadsWithOptions) {
  auto p = write_file("semicolon.csv", kSemicolonCsv);
  EXPECT_EQ(error_of(p, kLong),
            p.string() +
                ":1: declared column 'year' is not in the header "
                "(year;region;industry;value); the file looks ';'-separated: set "
                "separator = \";\" in CsvOptions");
  CsvOptions o;
  o.table = "output";
  EXPECT_EQ(error_of(p, kLong, o),
            p.string() +
                ":1: declared column 'year' (table 'output') is not in the header "
                "(year;region;industry;value); the file looks ';'-separated: set "
                "separator = \";\" for table 'output' in dataset.toml");
  std::string header_error;
  try {
    check_csv_header(p, kLong, o);
  } catch (const DataError& e) {
    header_error = e.what();
  }
  EXPECT_EQ(header_error, error_of(p, kLong, o));
  // "2024;KST;C;" is eleven characters: the value starts in column 12.
  o.separator = ';';
  EXPECT_EQ(error_of(p, kLong, o),
            p.string() +
                ":2:12: cannot read '1,5' as a number (column 'value'); it looks written "
                "with a decimal comma: set decimal = \",\" for table 'output' in dataset.toml");
  o.decimal = ',';
  Table t = read_csv(p, kLong, o);
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.column("value").floats[0], 1.5);
  EXPECT_EQ(t.column("value").floats[1], -2.25);
  EXPECT_EQ(t.column("region").str(1), "ALA");
  EXPECT_EQ(t.column("year").ints[1], 2024);
}

TEST(CsvSeparators, TabSeparatedFileGetsAHint) {
  auto p = write_file("tabs.csv", "year\tregion\tindustry\tvalue\n2024\tKST\tC\t1.5\n");
  EXPECT_EQ(error_of(p, kLong),
            p.string() +
                ":1: declared column 'year' is not in the header (year\tregion\tindustry\t"
                "value); the file looks '\\t'-separated: set separator = \"\\t\" in CsvOptions");
  CsvOptions o;
  o.separator = '\t';
  EXPECT_EQ(read_csv(p, kLong, o).column("value").floats[0], 1.5);
}

TEST(CsvSeparators, DecimalCommaOptionRejectsDecimalPoints) {
  auto p = write_file("points.csv", "year;region;industry;value\n2024;KST;C;1.5\n");
  CsvOptions o;
  o.separator = ';';
  o.decimal = ',';
  EXPECT_EQ(error_of(p, kLong, o),
            p.string() +
                ":2:12: cannot read '1.5' as a number (column 'value'); the table is read "
                "with decimal = \",\" in CsvOptions");
  o.separator = ',';  // a decimal comma needs another separator
  EXPECT_EQ(error_of(p, kLong, o), p.string() + ": decimal mark and separator are both ','");
}

TEST(CsvSeparators, CommaFileWithDecimalCommasGetsAHint) {
  auto p = write_file("commas.csv", "year,region,industry,value\n2024,KST,C,2\n2024,ALA,C,1,5\n");
  EXPECT_EQ(error_of(p, kLong),
            p.string() +
                ":3: expected 4 fields as in the header, found 5; numbers such as '1,5' "
                "look written with a decimal comma: save the file with ';' as separator "
                "and set separator = \";\" and decimal = \",\" in CsvOptions");
}

TEST(CsvSeparators, MatrixReadsWithOptionsAndHints) {
  auto p = write_file("matrix_semicolon.csv", "row;a;b\nr1;1,5;2\nr2;;3,25\n");
  std::string error;
  try {
    read_matrix_csv(p);
  } catch (const DataError& e) {
    error = e.what();
  }
  EXPECT_EQ(error, p.string() +
                       ":1: a matrix needs a row-code column and at least one value "
                       "column; the file looks ';'-separated: set separator = \";\" in "
                       "CsvOptions");
  CsvOptions o;
  o.separator = ';';
  o.decimal = ',';
  Table t = read_matrix_csv(p, "", o);
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.column("value").floats[0], 1.5);
  EXPECT_EQ(t.column("value").floats[2], 3.25);
}

// ---- Row locations (issue 7, part 5) ----

TEST(CsvOrigin, LocateNamesTheLineARecordStartsOn) {
  // Lines: 1 header (after a BOM), 2 blank, 3-4 record 0 (quoted newline), 5-6 blank,
  // 7 record 1, 8 record 2, 9-11 record 3 (two quoted newlines), 12 record 4.
  auto p = write_file("origin.csv",
                      "\xEF\xBB\xBFid,note\r\n\r\n1,\"a\r\nb\"\r\n\r\n\n2,x\n3,\"\"\"q\"\"\"\n"
                      "4,\"one\ntwo\nthree\"\n5,y");
  Table t = read_csv(p, {{"id", ColumnType::kInt}, {"note", ColumnType::kString}});
  ASSERT_EQ(t.rows(), 5u);
  EXPECT_EQ(t.locate(0), p.string() + ":3");
  EXPECT_EQ(t.locate(1), p.string() + ":7");
  EXPECT_EQ(t.locate(2), p.string() + ":8");
  EXPECT_EQ(t.locate(3), p.string() + ":9");
  EXPECT_EQ(t.locate(4), p.string() + ":12");
  const Table taken = t.take({4, 0});
  EXPECT_EQ(taken.locate(0), p.string() + ":12");
  EXPECT_EQ(taken.locate(1), p.string() + ":3");
  EXPECT_EQ(Table({Column::make_ints("n", {1})}).locate(0), "");  // computed: no origin
}

TEST(CsvOrigin, SemicolonFileLocatesRows) {
  auto p = write_file("origin_semicolon.csv", "a;b\n\n1;2\n\n3;4\n");
  CsvOptions o;
  o.separator = ';';
  Table t = read_csv(p, {{"a", ColumnType::kInt}}, o);
  EXPECT_EQ(t.locate(1), p.string() + ":5");
}

TEST(CsvOrigin, MatrixLongRowsLocateTheirWideRow) {
  // Long rows: (r1, a) from line 2; (r2, b) from line 4; (r3, a), (r3, b) from line 5.
  auto p = write_file("matrix_origin.csv", "row,a,b\nr1,1,\n\nr2,,2\nr3,3,4\n");
  Table t = read_matrix_csv(p);
  ASSERT_EQ(t.rows(), 4u);
  EXPECT_EQ(t.locate(0), p.string() + ":2");
  EXPECT_EQ(t.locate(1), p.string() + ":4");
  EXPECT_EQ(t.locate(2), p.string() + ":5");
  EXPECT_EQ(t.locate(3), p.string() + ":5");
  auto empty_code = write_file("matrix_empty_code.csv", "row,a\n\n\"\",1\n");
  std::string error;
  try {
    read_matrix_csv(empty_code);
  } catch (const DataError& e) {
    error = e.what();
  }
  EXPECT_EQ(error, empty_code.string() + ":3:1: row code is empty");
}

// Large files are read in parallel parts; lines are found by one scan of the whole file.
TEST(CsvOrigin, LocateInALargeFileReadInParts) {
  const std::size_t rows = 600000;  // about 40 MB; record i spans lines 2 + 2i and 3 + 2i
  auto p = write_file("big_origin.csv", big_quoted_csv(rows));
  ASSERT_GT(fs::file_size(p), 32u << 20);
  Table t = read_csv(p, {{"id", ColumnType::kInt}, {"value", ColumnType::kFloat}});
  ASSERT_EQ(t.rows(), rows);
  for (std::size_t i : {std::size_t{0}, rows / 2, rows - 1})
    EXPECT_EQ(t.locate(i), p.string() + ":" + std::to_string(2 + 2 * i));
  fs::remove(p);
}

TEST(CsvKeys, LateDirtyKeyInALargeFileHasItsExactLine) {
  std::string text = "id,region\n";
  const std::size_t rows = 3000000;  // about 40 MB
  text.reserve(rows * 14);
  for (std::size_t i = 0; i < rows; ++i) {
    text += std::to_string(i);
    text += i == rows - 10 ? ",KST \n" : ",KST\n";
  }
  auto p = write_file("big_space.csv", text);
  ASSERT_GT(fs::file_size(p), 32u << 20);
  // Record rows-10 is on line rows-8; its id "2999990," takes eight columns.
  EXPECT_EQ(error_of(p, {{"id", ColumnType::kInt}, {"region", ColumnType::kString}}),
            p.string() + ":" + std::to_string(rows - 8) +
                ":9: value 'KST ' in column 'region' has leading or trailing spaces (set trim = "
                "true in CsvOptions to trim them)");
  fs::remove(p);
}

// ---- Text columns of a matrix (issue 10): label_column and skip_columns ----

namespace {
// The layout of iotables' raw CSVs (rOpenGov/iotables data-raw, germany_2009.csv: prod_na,
// prod_na_lab, numeric_label, quadrant, iotables_row, then the value columns); the values are the
// first two rows and columns of data/io/germany_1995 (Eurostat Manual 2008, table 15.4).
const char* kIotablesCsv =
    "prod_na,prod_na_lab,numeric_label,quadrant,iotables_row,CPA_A,CPA_B-E\n"
    "CPA_A,\"Products of agriculture, forestry and fishing\",1,1,agriculture_group,1131,25480\n"
    "CPA_B-E,Industrial products (except construction works),2,1,industry_group,7930,304584\n";

std::string matrix_error(const fs::path& p, const std::string& label,
                         const std::vector<std::string>& skip) {
  try {
    read_matrix_csv(p, label, {}, skip);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(CsvMatrixText, SkipColumnsLeaveIotablesTextColumnsOut) {
  auto p = write_file("iotables.csv", kIotablesCsv);
  Table t = read_matrix_csv(p, "prod_na_lab", {}, {"numeric_label", "quadrant", "iotables_row"});
  ASSERT_EQ(t.rows(), 4u);  // 2 x 2 values; numeric_label (numbers) is skipped too
  EXPECT_EQ(t.column("row").str(0), "CPA_A");
  EXPECT_EQ(t.column("column").str(1), "CPA_B-E");
  EXPECT_EQ(t.column("value").floats[1], 25480.0);
  EXPECT_EQ(t.column("value").floats[3], 304584.0);
  EXPECT_EQ(t.column("row_label").str(2), "Industrial products (except construction works)");
  EXPECT_EQ(t.schema().names().size(), 4u);  // row, column, value, row_label
}

TEST(CsvMatrixText, TextColumnNotDeclaredNamesFileLineColumnAndTheOption) {
  auto p = write_file("iotables_undeclared.csv", kIotablesCsv);
  // quadrant holds numbers here, so the first text cell met is iotables_row's: line 2, character
  // 59 (the field after "CPA_A," (6), the quoted label with its comma (49) and "1,1," (4)).
  EXPECT_EQ(matrix_error(p, "prod_na_lab", {"numeric_label"}),
            p.string() +
                ":2:59: cannot read 'agriculture_group' as a number (column 'iotables_row'); a "
                "text column of a matrix is named in label_column or skip_columns");
  EXPECT_EQ(matrix_error(p, "prod_na_lab", {"numeric_label", "quadrant", "iotables_rows"}),
            p.string() + ":1: skip_columns names 'iotables_rows', which is not in the header");
  EXPECT_EQ(matrix_error(p, "", {"prod_na"}),
            p.string() +
                ":1: skip_columns names 'prod_na', the row-code column (the first column is "
                "always the row codes)");
  auto only_text = write_file("matrix_only_text.csv", "row,label\nr1,x\n");
  EXPECT_EQ(matrix_error(only_text, "", {"label"}),
            only_text.string() +
                ":1: a matrix needs at least one value column; every column after the row codes "
                "is label_column or in skip_columns");
}
