#include "klaster/sdk/csv.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <thread>
#include <algorithm>

#include "klaster/sdk/memory.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

namespace {

constexpr std::size_t kBlock = 1 << 22;  // 4 MiB read blocks

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_file(const std::filesystem::path& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw DataError(path.string() + ": cannot open: " + std::strerror(errno));
  return f;
}

/// Streams a CSV file record by record. A record's fields are string_views into an internal
/// buffer, valid until the next call to next(); quoted fields are unescaped into a scratch buffer.
class CsvStream {
 public:
  /// Streams the records that start in [begin, limit) of the file; `begin` must be the start of a
  /// record (0: the file's start, where a BOM is skipped). Line numbers count from 1 at `begin`.
  explicit CsvStream(const std::filesystem::path& path, std::uint64_t begin = 0,
                     std::uint64_t limit = UINT64_MAX)
      : path_(path), file_(open_file(path)), base_(begin), limit_(limit) {
    if (begin > 0 && fseeko(file_.get(), static_cast<off_t>(begin), SEEK_SET) != 0)
      throw DataError(path_.string() + ": cannot seek: " + std::strerror(errno));
    buf_.resize(kBlock);
    fill();
    if (begin == 0 && end_ - pos_ >= 3 && std::memcmp(buf_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
    line_start_ = pos_;
  }

  /// Stops the stream at records starting at or after `limit` (absolute offset).
  void set_limit(std::uint64_t limit) { limit_ = limit; }

  /// Absolute file offset of the next unread byte (after next(): just past the record read).
  std::uint64_t offset() const { return base_ + pos_; }

  /// Reads the next record into fields(); false at end of file or of the range.
  bool next() {
    fields_.clear();
    if (base_ + pos_ >= limit_) return false;
    field_cols_.clear();
    scratch_used_ = 0;
    scratch_spans_.clear();
    if (!ensure(1)) return false;
    // A record is read only once it is complete in the buffer: find its end first.
    record_line_ = line_;
    if (fast_record()) return true;
    for (;;) {
      std::size_t p = pos_;
      bool complete = scan_record(p);
      if (complete) {
        split_record(pos_, p);
        pos_ = p;
        return true;
      }
      if (eof_) {  // last record without a trailing newline
        split_record(pos_, end_);
        pos_ = end_;
        return true;
      }
      grow();
    }
  }

  /// Splits an unquoted record at pos_ in one pass over its bytes (the common case). False, with
  /// nothing consumed, when the record holds a quote or is not complete in the buffer.
  bool fast_record() {
    const char* b = buf_.data();
    std::size_t field_start = pos_;
    for (std::size_t p = pos_; p < end_; ++p) {
      const char c = b[p];
      if (c == ',') {
        fields_.emplace_back(b + field_start, p - field_start);
        field_cols_.push_back(field_start - line_start_ + 1);
        field_start = p + 1;
      } else if (c == '\n') {
        std::size_t e = p;
        if (e > field_start && b[e - 1] == '\r') --e;
        fields_.emplace_back(b + field_start, e - field_start);
        field_cols_.push_back(field_start - line_start_ + 1);
        pos_ = p + 1;
        ++line_;
        line_start_ = pos_;
        return true;
      } else if (c == '"') {
        break;
      }
    }
    fields_.clear();
    field_cols_.clear();
    return false;
  }

  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return record_line_; }
  std::size_t column_of(std::size_t field) const { return field_cols_[field]; }
  std::string where(std::size_t field) const {
    return path_.string() + ":" + std::to_string(record_line_) + ":" + std::to_string(column_of(field));
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  /// Finds the end of the record starting at p (just past its newline). False if the buffer ends
  /// first.
  bool scan_record(std::size_t& p) {
    bool quoted = false;
    const char* b = buf_.data();
    while (p < end_) {
      const char c = b[p];
      if (quoted) {
        if (c == '"') {
          if (p + 1 >= end_ && !eof_) return false;
          if (p + 1 < end_ && b[p + 1] == '"') {
            p += 2;
            continue;
          }
          quoted = false;
        }
        ++p;
        continue;
      }
      if (c == '"') {
        quoted = true;
        ++p;
        continue;
      }
      if (c == '\n') {
        ++p;
        return true;
      }
      // Fast path: jump to the next quote or newline.
      const void* nl = std::memchr(b + p, '\n', end_ - p);
      const std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - b) : end_;
      const void* q = std::memchr(b + p, '"', stop - p);
      p = q ? static_cast<std::size_t>(static_cast<const char*>(q) - b) : stop;
    }
    if (quoted && eof_)
      throw DataError(path_.string() + ":" + std::to_string(line_) + ": unterminated quoted field");
    return false;
  }

  /// Splits the record [from, to) into fields, unescaping quoted ones.
  void split_record(std::size_t from, std::size_t to) {
    const char* b = buf_.data();
    std::size_t p = from;
    // Trim the record terminator.
    std::size_t stop = to;
    if (stop > from && b[stop - 1] == '\n') --stop;
    if (stop > from && b[stop - 1] == '\r') --stop;
    for (;;) {
      field_cols_.push_back(p - line_start_ + 1);
      if (p < stop && b[p] == '"') {
        ++p;
        const std::size_t start = scratch_used_;
        while (p < stop) {
          if (b[p] == '"') {
            if (p + 1 < stop && b[p + 1] == '"') {
              push_scratch('"');
              p += 2;
              continue;
            }
            ++p;
            break;
          }
          if (b[p] == '\n') {
            ++line_;
            line_start_ = p + 1;
          }
          push_scratch(b[p]);
          ++p;
        }
        scratch_spans_.emplace_back(fields_.size(), start, scratch_used_ - start);
        fields_.emplace_back();  // filled below, once the scratch buffer stops moving
        if (p < stop && b[p] != ',')
          throw DataError(path_.string() + ":" + std::to_string(line_) + ":" +
                          std::to_string(p - line_start_ + 1) +
                          ": unexpected character after a closing quote");
      } else {
        const void* comma = std::memchr(b + p, ',', stop - p);
        const std::size_t e = comma ? static_cast<std::size_t>(static_cast<const char*>(comma) - b) : stop;
        fields_.emplace_back(b + p, e - p);
        p = e;
      }
      if (p >= stop) break;
      ++p;  // the comma
    }
    for (const auto& [idx, start, len] : scratch_spans_) fields_[idx] = std::string_view(scratch_.data() + start, len);
    ++line_;
    line_start_ = to;
  }

  void push_scratch(char c) {
    if (scratch_used_ == scratch_.size()) scratch_.resize(scratch_.empty() ? 256 : scratch_.size() * 2);
    scratch_[scratch_used_++] = c;
  }

  bool ensure(std::size_t n) {
    if (end_ - pos_ >= n) return true;
    if (eof_) return false;
    grow();
    return end_ - pos_ >= n;
  }

  /// Moves the unread tail to the front and reads more, doubling the buffer if a record is huge.
  void grow() {
    const std::size_t tail = end_ - pos_;
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, tail);
      base_ += pos_;
      line_start_ = line_start_ >= pos_ ? line_start_ - pos_ : 0;
      pos_ = 0;
      end_ = tail;
    }
    if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    fill();
  }

  void fill() {
    const std::size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_.get());
    end_ += n;
    if (n == 0 || end_ < buf_.size()) {
      if (std::ferror(file_.get())) throw DataError(path_.string() + ": read error");
      if (std::feof(file_.get())) eof_ = true;
    }
  }

  std::filesystem::path path_;
  File file_;
  std::vector<char> buf_;
  std::uint64_t base_ = 0;   // file offset of buf_[0]
  std::uint64_t limit_ = UINT64_MAX;
  std::size_t pos_ = 0, end_ = 0, line_start_ = 0;
  bool eof_ = false;
  std::size_t line_ = 1, record_line_ = 1;
  std::vector<std::string_view> fields_;
  std::vector<std::size_t> field_cols_;
  std::vector<char> scratch_;
  std::size_t scratch_used_ = 0;
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> scratch_spans_;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Parses and appends one cell; builders hold a column under construction.
struct Builder {
  Column column;
  std::int32_t last_code = -1;  // the previous string cell's code: keys repeat in runs
  std::size_t rows = 0;
  // A small direct-mapped cache of recent strings' codes in front of the dictionary's hash map:
  // keys such as industry codes cycle through a few hundred values.
  static constexpr std::size_t kCacheSize = 4096;
  std::vector<std::int32_t> cache = std::vector<std::int32_t>(kCacheSize, -1);

  static std::size_t slot(std::string_view s) {
    std::uint64_t h = s.size() * 0x9E3779B97F4A7C15ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    return static_cast<std::size_t>(h >> 52) & (kCacheSize - 1);
  }
  std::int32_t code_of(std::string_view s) {
    std::int32_t& c = cache[slot(s)];
    if (c >= 0 && column.dict->at(c) == s) return c;
    c = column.dict->intern(s);
    return c;
  }

  void mark_missing() {
    if (column.valid.empty()) column.valid.assign(rows, 1);
    column.valid.push_back(0);
  }
  void mark_valid() {
    if (!column.valid.empty()) column.valid.push_back(1);
  }
};

[[noreturn]] void bad_number(const CsvStream& in, std::size_t field, std::string_view text,
                             const Builder& b, const char* what) {
  throw DataError(in.where(field) + ": cannot read '" + std::string(text) + "' as " + what +
                  " (column '" + b.column.name + "')");
}

void append(Builder& b, std::string_view text, const CsvStream& in, std::size_t field) {
  switch (b.column.type) {
    case ColumnType::kString: {
      if (text.empty()) {
        b.column.codes.push_back(-1);
        break;
      }
      if (b.last_code >= 0 && text == b.column.dict->at(b.last_code)) {
        b.column.codes.push_back(b.last_code);
        break;
      }
      b.last_code = b.code_of(text);
      b.column.codes.push_back(b.last_code);
      break;
    }
    case ColumnType::kInt: {
      std::string_view t = trim(text);
      if (t.empty()) {
        b.mark_missing();
        b.column.ints.push_back(0);
        break;
      }
      if (t.front() == '+') t.remove_prefix(1);
      std::int64_t v = 0;
      auto r = std::from_chars(t.data(), t.data() + t.size(), v);
      if (r.ec != std::errc() || r.ptr != t.data() + t.size()) bad_number(in, field, text, b, "an integer");
      b.mark_valid();
      b.column.ints.push_back(v);
      break;
    }
    case ColumnType::kFloat: {
      std::string_view t = trim(text);
      if (t.empty()) {
        b.mark_missing();
        b.column.floats.push_back(0.0);
        break;
      }
      if (t.front() == '+') t.remove_prefix(1);
      double v = 0;
      auto r = std::from_chars(t.data(), t.data() + t.size(), v);
      if (r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(v))
        bad_number(in, field, text, b, "a number");
      b.mark_valid();
      b.column.floats.push_back(v);
      break;
    }
  }
  ++b.rows;
}

}  // namespace

std::vector<std::string> read_csv_header(const std::filesystem::path& path) {
  CsvStream in(path);
  if (!in.next()) throw DataError(path.string() + ":1: the file is empty (a header row is needed)");
  std::vector<std::string> out;
  for (auto f : in.fields()) out.emplace_back(f);
  return out;
}

namespace {

/// Fresh builders for `columns`, each with room for `rows` rows (reserved, so a large file is not
/// copied by vector growth; untouched reserved pages cost no memory).
std::vector<Builder> make_builders(const std::vector<CsvColumnSpec>& columns, std::size_t rows) {
  std::vector<Builder> builders(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    Column& col = builders[c].column;
    col.name = columns[c].name;
    col.type = columns[c].type;
    switch (col.type) {
      case ColumnType::kString:
        col.dict = std::make_shared<Dictionary>();
        reserve_large(col.codes, rows);
        break;
      case ColumnType::kInt: reserve_large(col.ints, rows); break;
      case ColumnType::kFloat: reserve_large(col.floats, rows); break;
    }
  }
  return builders;
}

/// Parses every record `in` yields into `builders` (field k feeds builder target[k]).
void parse_records(CsvStream& in, const std::vector<int>& target, std::vector<Builder>& builders) {
  const std::size_t width = target.size();
  while (in.next()) {
    const auto& f = in.fields();
    if (f.size() == 1 && f[0].empty() && width > 1) continue;  // blank line
    if (f.size() != width)
      throw DataError(in.path().string() + ":" + std::to_string(in.line()) + ": expected " +
                      std::to_string(width) + " fields as in the header, found " +
                      std::to_string(f.size()));
    for (std::size_t k = 0; k < width; ++k)
      if (target[k] >= 0) append(builders[static_cast<std::size_t>(target[k])], f[k], in, k);
  }
}

/// Appends `from` (parsed from a later part of the file) to `to`, re-coding strings into `to`'s
/// dictionary, and frees `from`'s arrays as it goes.
void append_column(Builder& to, Builder& from) {
  Column& a = to.column;
  Column& b = from.column;
  const std::size_t na = a.size(), nb = b.size();
  if (!a.valid.empty() || !b.valid.empty()) {
    if (a.valid.empty()) a.valid.assign(na, 1);
    if (b.valid.empty()) b.valid.assign(nb, 1);
    a.valid.insert(a.valid.end(), b.valid.begin(), b.valid.end());
  }
  switch (a.type) {
    case ColumnType::kString: {
      std::vector<std::int32_t> remap(b.dict->size());
      for (std::size_t c = 0; c < remap.size(); ++c) remap[c] = a.dict->intern(b.dict->at(static_cast<std::int32_t>(c)));
      a.codes.reserve(na + nb);
      for (auto c : b.codes) a.codes.push_back(c < 0 ? -1 : remap[static_cast<std::size_t>(c)]);
      break;
    }
    case ColumnType::kInt: a.ints.insert(a.ints.end(), b.ints.begin(), b.ints.end()); break;
    case ColumnType::kFloat: a.floats.insert(a.floats.end(), b.floats.begin(), b.floats.end()); break;
  }
  b = Column{};
  to.rows += from.rows;
}

/// The offset just past the first '\n' at or after `from`, or UINT64_MAX when there is none.
std::uint64_t next_line_start(const std::filesystem::path& path, std::uint64_t from) {
  File f = open_file(path);
  if (fseeko(f.get(), static_cast<off_t>(from), SEEK_SET) != 0) return UINT64_MAX;
  std::vector<char> buf(1 << 16);
  std::uint64_t pos = from;
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
    if (n == 0) return UINT64_MAX;
    if (const void* nl = std::memchr(buf.data(), '\n', n))
      return pos + static_cast<std::uint64_t>(static_cast<const char*>(nl) - buf.data()) + 1;
    pos += n;
  }
}

/// Rows in the file after the header, estimated from the first megabyte's line lengths.
std::size_t estimate_rows(const std::filesystem::path& path, std::uint64_t begin, std::uint64_t end) {
  File f = open_file(path);
  if (end <= begin || fseeko(f.get(), static_cast<off_t>(begin), SEEK_SET) != 0) return 0;
  std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, end - begin)));
  const std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
  const auto lines = static_cast<std::size_t>(std::count(buf.data(), buf.data() + n, '\n'));
  if (lines == 0) return 16;
  return static_cast<std::size_t>(static_cast<double>(end - begin) / (static_cast<double>(n) / static_cast<double>(lines)) * 1.02) + 16;
}

constexpr std::uint64_t kParallelMinBytes = 32ull << 20;  // smaller files are read by one thread

}  // namespace

Table read_csv(const std::filesystem::path& path, const std::vector<CsvColumnSpec>& columns) {
  CsvStream in(path);
  if (!in.next()) throw DataError(path.string() + ":1: the file is empty (a header row is needed)");
  std::vector<std::string> header;
  for (auto f : in.fields()) header.emplace_back(f);

  // target[k] = index of the builder fed by field k, or -1 to skip it.
  std::vector<int> target(header.size(), -1);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::size_t found = header.size();
    for (std::size_t k = 0; k < header.size(); ++k)
      if (header[k] == columns[c].name) {
        if (found != header.size())
          throw DataError(path.string() + ":1: column '" + columns[c].name + "' appears twice in the header");
        found = k;
      }
    if (found == header.size()) {
      std::string list;
      for (const auto& h : header) list += (list.empty() ? "" : ", ") + h;
      throw DataError(path.string() + ":1: declared column '" + columns[c].name +
                      "' is not in the header (" + list + ")");
    }
    target[found] = static_cast<int>(c);
  }

  // Large files are cut into one part per core at line starts and parsed in parallel. A part
  // boundary inside a quoted field, or any error in a later part, makes the parts disagree; the
  // file is then read again by one thread, which also gives errors their exact line numbers.
  const std::uint64_t data_begin = in.offset();
  const std::uint64_t size = std::filesystem::file_size(path);
  const std::size_t total_rows = estimate_rows(path, data_begin, size);
  const unsigned cores = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  std::vector<std::uint64_t> starts{data_begin};
  if (cores > 1 && size - data_begin >= kParallelMinBytes) {
    for (unsigned k = 1; k < cores; ++k) {
      const std::uint64_t s = next_line_start(path, data_begin + (size - data_begin) * k / cores);
      if (s >= size || s <= starts.back()) break;
      starts.push_back(s);
    }
  }
  std::vector<Builder> builders = make_builders(columns, total_rows);
  if (starts.size() > 1) {
    const std::size_t parts = starts.size();
    std::vector<std::vector<Builder>> later(parts - 1);
    std::vector<std::uint64_t> ends(parts, 0);
    std::vector<char> failed(parts, 0);
    std::vector<std::thread> workers;
    for (std::size_t k = 1; k < parts; ++k) {
      const std::uint64_t limit = k + 1 < parts ? starts[k + 1] : UINT64_MAX;
      const std::size_t rows = total_rows / parts + total_rows / (parts * 10) + 16;
      workers.emplace_back([&, k, limit, rows] {
        try {
          later[k - 1] = make_builders(columns, rows);
          CsvStream part(path, starts[k], limit);
          parse_records(part, target, later[k - 1]);
          ends[k] = part.offset();
        } catch (...) {
          failed[k] = 1;
        }
      });
    }
    std::exception_ptr first_error;
    try {
      in.set_limit(starts[1]);
      parse_records(in, target, builders);
      ends[0] = in.offset();
    } catch (...) {
      first_error = std::current_exception();  // exact location: part 0 starts at the header
    }
    for (auto& w : workers) w.join();
    if (first_error) std::rethrow_exception(first_error);
    bool agree = true;
    for (std::size_t k = 0; k < parts; ++k) {
      if (failed[k]) agree = false;
      if (k + 1 < parts && ends[k] != starts[k + 1]) agree = false;
    }
    if (agree) {
      for (auto& part : later)
        for (std::size_t c = 0; c < builders.size(); ++c) append_column(builders[c], part[c]);
    } else {
      later.clear();
      CsvStream again(path);
      again.next();  // the header
      builders = make_builders(columns, total_rows);
      parse_records(again, target, builders);
    }
  } else {
    parse_records(in, target, builders);
  }
  std::vector<Column> cols;
  cols.reserve(builders.size());
  for (auto& b : builders) cols.push_back(std::move(b.column));
  return Table(std::move(cols));
}

Table read_matrix_csv(const std::filesystem::path& path, const std::string& label_column) {
  const std::vector<std::string> header = read_csv_header(path);
  if (header.size() < 2) throw DataError(path.string() + ":1: a matrix needs a row-code column and at least one value column");
  std::vector<CsvColumnSpec> specs{{header[0], ColumnType::kString}};
  if (!label_column.empty()) specs.push_back({label_column, ColumnType::kString});
  std::vector<std::string> value_names;
  for (std::size_t k = 1; k < header.size(); ++k) {
    if (header[k] == label_column) continue;
    specs.push_back({header[k], ColumnType::kFloat});
    value_names.push_back(header[k]);
  }
  const Table wide = read_csv(path, specs);
  const Column& codes = wide.columns()[0];
  for (std::size_t r = 0; r < wide.rows(); ++r)
    if (!codes.is_valid(r))
      throw DataError(path.string() + ":" + std::to_string(r + 2) + ":1: row code is empty");
  const std::size_t first_value = label_column.empty() ? 1 : 2;

  auto col_dict = std::make_shared<Dictionary>();
  for (const auto& n : value_names) col_dict->intern(n);
  std::vector<std::int32_t> row_codes, col_codes, label_codes;
  std::vector<double> values;
  for (std::size_t r = 0; r < wide.rows(); ++r)
    for (std::size_t k = 0; k < value_names.size(); ++k) {
      const Column& c = wide.columns()[first_value + k];
      if (!c.is_valid(r)) continue;
      row_codes.push_back(codes.codes[r]);
      col_codes.push_back(static_cast<std::int32_t>(k));
      if (!label_column.empty()) label_codes.push_back(wide.columns()[1].codes[r]);
      values.push_back(c.floats[r]);
    }
  std::vector<Column> cols;
  cols.push_back(Column::make_strings("row", codes.dict, std::move(row_codes)));
  cols.push_back(Column::make_strings("column", col_dict, std::move(col_codes)));
  cols.push_back(Column::make_floats("value", std::move(values)));
  if (!label_column.empty())
    cols.push_back(Column::make_strings("row_label", wide.columns()[1].dict, std::move(label_codes)));
  return Table(std::move(cols));
}

namespace {
void put_string(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}
}  // namespace

namespace {

/// How each column is written: string columns with a small dictionary get their cells escaped once
/// per dictionary entry instead of once per row.
struct ColumnFormat {
  const Column* column = nullptr;
  std::vector<std::string> escaped;  // by code; empty: escape each cell
  std::size_t max_width = 0;         // upper bound of one cell's text
};

std::vector<ColumnFormat> column_formats(const Table& table) {
  std::vector<ColumnFormat> out;
  for (const Column& c : table.columns()) {
    ColumnFormat f;
    f.column = &c;
    switch (c.type) {
      case ColumnType::kInt: f.max_width = 24; break;
      case ColumnType::kFloat: f.max_width = 32; break;
      case ColumnType::kString:
        if (c.dict->size() <= std::max<std::size_t>(1 << 16, table.rows() / 8)) {
          f.escaped.reserve(c.dict->size());
          for (std::size_t code = 0; code < c.dict->size(); ++code) {
            std::string e;
            put_string(e, c.dict->at(static_cast<std::int32_t>(code)));
            f.max_width = std::max(f.max_width, e.size());
            f.escaped.push_back(std::move(e));
          }
        }
        break;
    }
    out.push_back(std::move(f));
  }
  return out;
}

/// Appends rows [begin, end) of the table as CSV lines to `buf`.
void format_rows(const std::vector<ColumnFormat>& formats, std::size_t begin, std::size_t end,
                 std::string& buf) {
  // When every cell has a bounded width, a row is written through a pointer into room made up front.
  std::size_t room = formats.size() + 1;
  bool fixed = true;
  for (const auto& f : formats) {
    if (f.column->type == ColumnType::kString && f.escaped.empty()) fixed = false;
    room += f.max_width;
  }
  for (std::size_t r = begin; r < end; ++r) {
    if (!fixed) {
      for (std::size_t k = 0; k < formats.size(); ++k) {
        if (k) buf.push_back(',');
        const Column& c = *formats[k].column;
        if (!c.is_valid(r)) continue;
        char num[64];
        switch (c.type) {
          case ColumnType::kString: put_string(buf, c.str(r)); break;
          case ColumnType::kInt: buf.append(num, std::to_chars(num, num + sizeof num, c.ints[r]).ptr); break;
          case ColumnType::kFloat: buf.append(num, std::to_chars(num, num + sizeof num, c.floats[r]).ptr); break;
        }
      }
      buf.push_back('\n');
      continue;
    }
    const std::size_t used = buf.size();
    buf.resize(used + room);
    char* p = buf.data() + used;
    char* const limit = buf.data() + buf.size();
    for (std::size_t k = 0; k < formats.size(); ++k) {
      if (k) *p++ = ',';
      const ColumnFormat& f = formats[k];
      const Column& c = *f.column;
      if (!c.is_valid(r)) continue;
      switch (c.type) {
        case ColumnType::kString: {
          const std::string& e = f.escaped[static_cast<std::size_t>(c.codes[r])];
          std::memcpy(p, e.data(), e.size());
          p += e.size();
          break;
        }
        case ColumnType::kInt: p = std::to_chars(p, limit, c.ints[r]).ptr; break;
        case ColumnType::kFloat: p = std::to_chars(p, limit, c.floats[r]).ptr; break;  // shortest round trip
      }
    }
    *p++ = '\n';
    buf.resize(static_cast<std::size_t>(p - buf.data()));
  }
}

constexpr std::size_t kWriteBlockRows = 1 << 18;

}  // namespace

void write_csv(const Table& table, std::ostream& out) {
  std::string header;
  const auto cols = table.columns();
  for (std::size_t k = 0; k < cols.size(); ++k) {
    if (k) header.push_back(',');
    put_string(header, cols[k].name);
  }
  header.push_back('\n');
  out.write(header.data(), static_cast<std::streamsize>(header.size()));

  // Blocks of rows are formatted on every core and written in order.
  const std::vector<ColumnFormat> formats = column_formats(table);
  const std::size_t rows = table.rows();
  const std::size_t blocks = (rows + kWriteBlockRows - 1) / kWriteBlockRows;
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::deque<std::future<std::string>> pending;
  std::size_t next = 0;
  auto launch = [&] {
    const std::size_t b = next++;
    pending.push_back(std::async(blocks > 1 ? std::launch::async : std::launch::deferred, [&formats, b, rows] {
      std::string buf;
      const std::size_t begin = b * kWriteBlockRows, end = std::min(rows, begin + kWriteBlockRows);
      buf.reserve((end - begin) * 48);
      format_rows(formats, begin, end, buf);
      return buf;
    }));
  };
  while (next < blocks && pending.size() < cores + 1) launch();
  while (!pending.empty()) {
    const std::string buf = pending.front().get();
    pending.pop_front();
    if (next < blocks) launch();
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  }
}

}  // namespace klaster::sdk
