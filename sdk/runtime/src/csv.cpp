#include "klaster/sdk/csv.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "decimal.hpp"
#include "klaster/sdk/memory.hpp"
#include "klaster/sdk/parallel.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

namespace {

constexpr std::size_t kBlock = 1 << 22;        // 4 MiB read blocks at most
constexpr std::size_t kHeaderBlock = 1 << 16;  // what a header-only read starts with
// A smaller file is read in blocks of a 32nd of its size, from 256 KiB: each block's pages are
// fresh memory, whose faults cost a 300k-row file (7.8 MB) about 7 ms in 4 MiB blocks, while a
// 780 MB file read in 1 MiB blocks was slower (more reads, more tails moved).
constexpr std::size_t kBlocksPerFile = 32;
constexpr std::size_t kMinBlock = 1 << 18;

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
  /// The first read is at most `block` bytes (a longer record grows the buffer).
  CsvStream(const std::filesystem::path& path, char separator, std::uint64_t begin = 0,
            std::uint64_t limit = UINT64_MAX, std::size_t block = kBlock)
      : path_(path), file_(open_file(path)), base_(begin), limit_(limit), sep_(separator) {
    if (begin > 0 && fseeko(file_.get(), static_cast<off_t>(begin), SEEK_SET) != 0)
      throw DataError(path_.string() + ": cannot seek: " + std::strerror(errno));
    buf_.resize(first_block(begin, block));
    fill();
    if (begin == 0 && end_ - pos_ >= 3 && std::memcmp(buf_.data() + pos_, "\xEF\xBB\xBF", 3) == 0)
      pos_ += 3;
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
    fast_start_ = kNoFastRecord;
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
  /// nothing consumed, when the record holds a quote or is not complete in the buffer. The bytes
  /// that matter (separator, newline, quote) are found 16 at a time where SSE2 is there (every
  /// x86-64), then one by one.
  bool fast_record() {
    std::size_t field_start = pos_, p = pos_;
#if defined(__SSE2__)
    for (; p + 16 <= end_; p += 16)
      for (unsigned m = special_bytes(p); m != 0; m &= m - 1)
        if (const int r = at_special(p + static_cast<std::size_t>(__builtin_ctz(m)), field_start);
            r >= 0)
          return r == 1;
#endif
    for (const char* b = buf_.data(); p < end_; ++p)
      if (b[p] == sep_ || b[p] == '\n' || b[p] == '"')
        if (const int r = at_special(p, field_start); r >= 0) return r == 1;
    fields_.clear();  // the record goes on past the buffer
    return false;
  }

#if defined(__SSE2__)
  /// Bit k set: byte p + k is the separator, a newline or a quote.
  unsigned special_bytes(std::size_t p) const {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf_.data() + p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(sep_)),
                                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
    return static_cast<unsigned>(_mm_movemask_epi8(hit));
  }
#endif

  /// fast_record() at byte q, a separator, newline or quote: ends a field (-1: go on), ends the
  /// record (1), or is a quote (0: the record is left to the quoting-aware path).
  int at_special(std::size_t q, std::size_t& field_start) {
    const char* b = buf_.data();
    if (b[q] == sep_) {
      fields_.emplace_back(b + field_start, q - field_start);
      field_start = q + 1;
      return -1;
    }
    if (b[q] == '\n') {
      std::size_t e = q;
      if (e > field_start && b[e - 1] == '\r') --e;
      fields_.emplace_back(b + field_start, e - field_start);
      fast_start_ = line_start_;
      pos_ = q + 1;
      ++line_;
      line_start_ = pos_;
      return 1;
    }
    fields_.clear();
    return 0;
  }

  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return record_line_; }
  /// The 1-based column where field `field` of the record starts.
  std::size_t column_of(std::size_t field) const {
    if (fast_start_ == kNoFastRecord) return field_cols_[field];
    return static_cast<std::size_t>(fields_[field].data() - (buf_.data() + fast_start_)) + 1;
  }
  std::string where(std::size_t field) const {
    return path_.string() + ":" + std::to_string(record_line_) + ":" +
           std::to_string(column_of(field));
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
      const std::size_t stop =
          nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - b) : end_;
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
        p = split_quoted(p + 1, stop);
      } else {
        const void* sep = std::memchr(b + p, sep_, stop - p);
        const std::size_t e =
            sep ? static_cast<std::size_t>(static_cast<const char*>(sep) - b) : stop;
        fields_.emplace_back(b + p, e - p);
        p = e;
      }
      if (p >= stop) break;
      ++p;  // the separator
    }
    for (const auto& [idx, start, len] : scratch_spans_)
      fields_[idx] = std::string_view(scratch_.data() + start, len);
    ++line_;
    line_start_ = to;
  }

  /// Unescapes the quoted field whose text starts at p into the scratch buffer; returns the offset
  /// just past its closing quote.
  std::size_t split_quoted(std::size_t p, std::size_t stop) {
    const char* b = buf_.data();
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
    fields_.emplace_back();  // filled by split_record, once the scratch buffer stops moving
    if (p < stop && b[p] != sep_)
      throw DataError(path_.string() + ":" + std::to_string(line_) + ":" +
                      std::to_string(p - line_start_ + 1) +
                      ": unexpected character after a closing quote");
    return p;
  }

  void push_scratch(char c) {
    if (scratch_used_ == scratch_.size())
      scratch_.resize(scratch_.empty() ? 256 : scratch_.size() * 2);
    scratch_[scratch_used_++] = c;
  }

  bool ensure(std::size_t n) {
    if (end_ - pos_ >= n) return true;
    if (eof_) return false;
    grow();
    return end_ - pos_ >= n;
  }

  /// The first buffer: what the file holds after `begin` and one byte more (so the first read
  /// already sees the end of a small file), at most `block`. A small file thus costs no 4 MiB of
  /// zeroed memory, which under AddressSanitizer (fresh pages on every allocation) made the CSV
  /// fuzzer run at 11-21 inputs a second (docs/fuzzing.md). grow() still doubles it for a file that
  /// grew since.
  std::size_t first_block(std::uint64_t begin, std::size_t block) const {
    struct stat st {};
    if (::fstat(::fileno(file_.get()), &st) != 0 || !S_ISREG(st.st_mode)) return block;
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::uint64_t left = size > begin ? size - begin : 0;
    const std::uint64_t scaled = std::max<std::uint64_t>(size / kBlocksPerFile, kMinBlock);
    return static_cast<std::size_t>(
        std::clamp<std::uint64_t>(left + 1, 4096, std::min<std::uint64_t>(block, scaled)));
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
      // errno says why (e.g. "Is a directory" for a folder named as a table's file).
      if (std::ferror(file_.get()))
        throw DataError(path_.string() + ": read error: " + std::strerror(errno));
      if (std::feof(file_.get())) eof_ = true;
    }
  }

  std::filesystem::path path_;
  File file_;
  std::vector<char> buf_;
  std::uint64_t base_ = 0;  // file offset of buf_[0]
  std::uint64_t limit_ = UINT64_MAX;
  char sep_ = ',';
  std::size_t pos_ = 0, end_ = 0, line_start_ = 0;
  bool eof_ = false;
  std::size_t line_ = 1, record_line_ = 1;
  std::vector<std::string_view> fields_;
  // Where each field starts (1-based column): for a record fast_record() split, from fields_ and
  // the record's start fast_start_ (its fields point into buf_); else kept in field_cols_.
  static constexpr std::size_t kNoFastRecord = SIZE_MAX;
  std::size_t fast_start_ = kNoFastRecord;
  std::vector<std::size_t> field_cols_;
  std::vector<char> scratch_;
  std::size_t scratch_used_ = 0;
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> scratch_spans_;
};

/// A line holding nothing, which the reader skips (unless the file has a single column, where it
/// is an empty cell).
bool is_blank(const std::vector<std::string_view>& fields, std::size_t width) {
  return fields.size() == 1 && fields[0].empty() && width > 1;
}

bool is_space_or_tab(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ends(std::string_view s) {
  while (!s.empty() && is_space_or_tab(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space_or_tab(s.back())) s.remove_suffix(1);
  return s;
}

/// `s` without leading and trailing spaces and tabs; inline for the common cell that has none.
inline std::string_view trim(std::string_view s) {
  return s.empty() || (!is_space_or_tab(s.front()) && !is_space_or_tab(s.back())) ? s
                                                                                  : trim_ends(s);
}

// ---------------------------------------------------------------------------------------------
// Text checks and hints: run once per distinct string or only when a message is written.

}  // namespace

std::size_t invalid_utf8_at(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
      return i;
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

namespace {

/// True when `s` reads as Windows-1251 Cyrillic: most of its non-ASCII bytes are in 0xC0-0xFF,
/// where that code page puts the letters А-я (UTF-8 Cyrillic is half continuation bytes
/// 0x80-0xBF), and they outnumber its ASCII letters (Latin-1 "Zürich" has one among five).
bool looks_like_cp1251(std::string_view s) {
  std::size_t high = 0, letters = 0, ascii_letters = 0;
  for (unsigned char c : s) {
    high += c >= 0x80;
    letters += c >= 0xC0;
    ascii_letters += (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
  return high > 0 && letters * 4 >= high * 3 && letters > ascii_letters;
}

/// `s` for a message: as is when valid UTF-8, else with every non-ASCII byte written as \xHH.
std::string printable(std::string_view s) {
  // A message stays one readable line even for a megabyte cell: its start and its length.
  if (constexpr std::size_t kShown = 60; s.size() > 4 * kShown) {
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole chars
    return printable(s.substr(0, cut)) + "... (" + std::to_string(s.size()) + " bytes)";
  }
  if (invalid_utf8_at(s) == std::string_view::npos) return std::string(s);
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02X", c);
    out += hex;
  }
  return out;
}

/// " is not valid UTF-8 (...)" for a text whose byte `at` is the first bad one.
std::string not_utf8(std::string_view s, std::size_t at) {
  if (looks_like_cp1251(s))
    return " is not valid UTF-8 (looks like Windows-1251; save the file as UTF-8)";
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(s[at]));
  return std::string(" is not valid UTF-8 (byte ") + byte + " at offset " + std::to_string(at) +
         "; save the file as UTF-8)";
}

/// Where a reader option is set: " for table 'X' in dataset.toml", or " in CsvOptions".
std::string option_place(const CsvOptions& o) {
  return o.table.empty() ? std::string(" in CsvOptions")
                         : " for table '" + o.table + "' in dataset.toml";
}

/// A separator as written in a message and in TOML: ';' or \t.
std::string separator_text(char c) { return c == '\t' ? std::string("\\t") : std::string(1, c); }

/// For a header read as one field: "; the file looks ';'-separated: set separator = ..." when the
/// field holds another likely separator; "" otherwise.
std::string separator_hint(const std::vector<std::string>& header, const CsvOptions& o) {
  if (header.size() != 1) return {};
  for (char c : {';', '\t', ',', '|'}) {
    if (c == o.separator || header[0].find(c) == std::string::npos) continue;
    const std::string s = separator_text(c);
    return "; the file looks '" + s + "'-separated: set separator = \"" + s + "\"" +
           option_place(o);
  }
  return {};
}

bool is_digits(std::string_view s, bool sign_allowed) {
  s = trim(s);
  if (sign_allowed && !s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// For a ','-separated row with too many fields: a hint when joining neighbouring fields that look
/// like the halves of a number written with a decimal comma (1,5) gives the header's width.
std::string decimal_comma_fields_hint(const std::vector<std::string_view>& f, std::size_t width,
                                      const CsvOptions& o) {
  if (o.separator != ',') return {};
  std::size_t joined = 0, first = f.size();
  for (std::size_t k = 0; k + 1 < f.size(); ++k) {
    if (!is_digits(f[k], true) || !is_digits(f[k + 1], false)) continue;
    if (first == f.size()) first = k;
    ++joined;
    ++k;
  }
  if (joined == 0 || f.size() - joined != width) return {};
  return "; numbers such as '" + std::string(trim(f[first])) + "," +
         std::string(trim(f[first + 1])) +
         "' look written with a decimal comma: save the file with ';' as separator and set "
         "separator = \";\" and decimal = \",\"" +
         option_place(o);
}

void check_options(const std::filesystem::path& path, const CsvOptions& o) {
  if (o.separator == '"' || o.separator == '\n' || o.separator == '\r' || o.separator == '\0')
    throw DataError(path.string() + ": separator '" + separator_text(o.separator) +
                    "' cannot be used");
  if (o.decimal != '.' && o.decimal != ',')
    throw DataError(path.string() + ": decimal mark must be '.' or ','");
  if (o.decimal == o.separator)
    throw DataError(path.string() + ": decimal mark and separator are both '" +
                    std::string(1, o.separator) + "'");
}

/// A number cell without its leading '+', which std::from_chars does not read; a '+' before a
/// '-' (or alone) is kept, so that the cell is refused rather than read as its negative.
inline std::string_view without_plus(std::string_view t) {
  return t.size() > 1 && t[0] == '+' && t[1] != '-' ? t.substr(1) : t;
}

/// Reads an int cell (already trimmed, a leading '+' removed) of at most 18 digits, [-]digits,
/// which cannot overflow; false for any other text, which std::from_chars then reads or refuses.
inline bool parse_short_int(std::string_view t, std::int64_t& v) {
  if (t.empty()) return false;  // the caller passes none (an empty cell is missing)
  const bool negative = t.front() == '-';
  if (t.size() - negative == 0 || t.size() - negative > 18) return false;
  std::int64_t m = 0;
  for (std::size_t i = negative; i < t.size(); ++i) {
    const auto d = static_cast<unsigned>(t[i] - '0');
    if (d > 9) return false;
    m = m * 10 + d;
  }
  v = negative ? -m : m;
  return true;
}

/// Parses a float cell (already trimmed, a leading '+' removed) written with a decimal point.
inline bool parse_float(std::string_view t, double& v) {
  if (detail::parse_plain_decimal(t, v)) return true;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  return r.ec == std::errc() && r.ptr == t.data() + t.size() && std::isfinite(v);
}

/// Parses a float cell written with a decimal comma; a '.' makes it unreadable.
bool parse_float_decimal_comma(std::string_view t, double& v) {
  char buf[64];
  if (t.size() > sizeof buf) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '.') return false;
    buf[i] = t[i] == ',' ? '.' : t[i];
  }
  return parse_float(std::string_view(buf, t.size()), v);
}

/// For a float cell that did not parse: a hint about the decimal mark, or "".
std::string decimal_hint(std::string_view text, const CsvOptions& o) {
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  double v = 0;
  if (o.decimal == '.' && t.find(',') != std::string_view::npos && parse_float_decimal_comma(t, v))
    return "; it looks written with a decimal comma: set decimal = \",\"" + option_place(o);
  if (o.decimal == ',' && t.find('.') != std::string_view::npos && parse_float(t, v))
    return "; the table is read with decimal = \",\"" + option_place(o);
  return {};
}

// ---------------------------------------------------------------------------------------------
// Building columns.

/// Parses and appends one cell; builders hold a column under construction.
struct Builder {
  Column column;
  const CsvOptions* options = nullptr;  // owned by the read_csv call
  bool trim = false, decimal_comma = false;
  std::size_t rows = 0;

  /// A string cell as the code cache compares it: its size, its first 8 bytes as a number
  /// (zero-padded) and its code. Keys such as region and industry codes are at most 8 bytes, so
  /// they compare as two integers, without memcmp; a longer one is compared in full as well.
  struct Seen {
    std::uint64_t head = 0;
    std::uint32_t size = UINT32_MAX;
    std::int32_t code = -1;
    bool same(std::string_view s, std::uint64_t h, const Dictionary& d) const {
      return size == s.size() && head == h && (s.size() <= 8 || d.at(code) == s);
    }
  };
  Seen last;  // the previous string cell: keys repeat in runs
  // The code that followed each code last time (-1: none yet), with each code's Seen: a table
  // sorted by its keys lists an industry after the same one every time, so the prediction is read
  // from two arrays walked in order, where a cache set is a load from anywhere in 128 KiB.
  std::vector<std::int32_t> successor;
  std::vector<Seen> seen_of_code;
  // A two-way cache of recent strings' codes in front of the dictionary's hash map: keys such as
  // industry codes cycle through a few hundred or thousand values. Made at a string column's
  // first cell: a wide matrix of numbers (thousands of columns) would otherwise fill 128 KiB per
  // column.
  static constexpr std::size_t kCacheSets = 4096;
  std::vector<Seen> cache;

  /// The first 8 bytes of s as a little-endian number, zero-padded: two overlapping loads within
  /// s (no byte past it is read).
  static std::uint64_t head_of(std::string_view s) {
    const char* p = s.data();
    const std::size_t n = s.size();
    if (n >= 8) return load<std::uint64_t>(p);
    if (n >= 4)  // bytes [0, 4) and [n - 4, n): the overlap holds the same bytes
      return load<std::uint32_t>(p) | std::uint64_t{load<std::uint32_t>(p + n - 4)}
                                          << (8 * (n - 4));
    if (n == 0) return 0;
    return std::uint64_t{static_cast<unsigned char>(p[0])} |
           std::uint64_t{static_cast<unsigned char>(p[n / 2])} << (8 * (n / 2)) |
           std::uint64_t{static_cast<unsigned char>(p[n - 1])} << (8 * (n - 1));
  }
  template <class T>
  static T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static std::size_t set_of(std::string_view s, std::uint64_t head) {
    std::uint64_t h = (head ^ s.size()) * 0x9E3779B97F4A7C15ull;
    for (std::size_t i = 8; i < s.size(); ++i)
      h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001B3ull;
    return static_cast<std::size_t>(h >> 52) & (kCacheSets - 1);
  }
  /// The code of `s`; a string new to the dictionary is checked first (UTF-8, spaces).
  std::int32_t code_of(std::string_view s, const CsvStream& in, std::size_t field) {
    const std::uint64_t head = head_of(s);
    if (last.same(s, head, *column.dict)) return last.code;
    const std::int32_t previous = last.code;
    if (previous >= 0) {
      const std::int32_t next = successor[static_cast<std::size_t>(previous)];
      if (next >= 0 && seen_of_code[static_cast<std::size_t>(next)].same(s, head, *column.dict))
        return (last = seen_of_code[static_cast<std::size_t>(next)]).code;
    }
    last = lookup(s, head, in, field);
    if (previous >= 0) successor[static_cast<std::size_t>(previous)] = last.code;
    return last.code;
  }
  /// The Seen of `s` from the cache, or from the dictionary (interning it when new).
  Seen lookup(std::string_view s, std::uint64_t head, const CsvStream& in, std::size_t field) {
    if (cache.empty()) cache.assign(2 * kCacheSets, Seen{});
    Seen* way = &cache[2 * set_of(s, head)];
    if (way[0].same(s, head, *column.dict)) return way[0];
    if (way[1].same(s, head, *column.dict)) return way[1];
    const std::size_t known = column.dict->size();
    const std::int32_t c = column.dict->intern(s);
    const Seen seen{head, static_cast<std::uint32_t>(s.size()), c};
    if (column.dict->size() != known) {
      check_new_string(s, in, field);
      successor.resize(column.dict->size(), -1);
      seen_of_code.resize(column.dict->size());
      seen_of_code[static_cast<std::size_t>(c)] = seen;
    }
    way[1] = way[0];
    way[0] = seen;
    return seen;
  }
  void check_new_string(std::string_view s, const CsvStream& in, std::size_t field) const {
    if (const std::size_t at = invalid_utf8_at(s); at != std::string_view::npos)
      throw DataError(in.where(field) + ": value '" + printable(s) + "' in column '" + column.name +
                      "'" + not_utf8(s, at));
    if (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t')
      throw DataError(in.where(field) + ": value '" + std::string(s) + "' in column '" +
                      column.name + "' has leading or trailing spaces (set trim = true" +
                      option_place(*options) + " to trim them)");
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
  const std::string hint =
      b.column.type == ColumnType::kFloat ? decimal_hint(text, *b.options) : std::string();
  throw DataError(in.where(field) + ": cannot read '" + printable(text) + "' as " + what +
                  " (column '" + b.column.name + "')" + hint);
}

void append_string(Builder& b, std::string_view text, const CsvStream& in, std::size_t field) {
  if (b.trim) text = trim(text);
  if (text.empty()) {
    b.column.codes.push_back(-1);
    return;
  }
  b.column.codes.push_back(b.code_of(text, in, field));
}

void append(Builder& b, std::string_view text, const CsvStream& in, std::size_t field) {
  switch (b.column.type) {
    case ColumnType::kString:
      append_string(b, text, in, field);
      break;
    case ColumnType::kInt: {
      std::string_view t = trim(text);
      if (t.empty()) {
        b.mark_missing();
        b.column.ints.push_back(0);
        break;
      }
      t = without_plus(t);
      std::int64_t v = 0;
      if (!parse_short_int(t, v)) {
        auto r = std::from_chars(t.data(), t.data() + t.size(), v);
        if (r.ec != std::errc() || r.ptr != t.data() + t.size())
          bad_number(in, field, text, b, "an integer");
      }
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
      t = without_plus(t);
      double v = 0;
      if (b.decimal_comma ? !parse_float_decimal_comma(t, v) : !parse_float(t, v))
        bad_number(in, field, text, b, "a number");
      b.mark_valid();
      b.column.floats.push_back(v);
      break;
    }
  }
  ++b.rows;
}

/// The header record `in` has just read, checked to be valid UTF-8.
std::vector<std::string> header_fields(const CsvStream& in) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < in.fields().size(); ++k) {
    const std::string_view f = in.fields()[k];
    if (const std::size_t at = invalid_utf8_at(f); at != std::string_view::npos)
      throw DataError(in.where(k) + ": header field '" + printable(f) + "'" + not_utf8(f, at));
    out.emplace_back(f);
  }
  return out;
}

/// Reads the header record of a stream at the file's start.
std::vector<std::string> read_header(CsvStream& in) {
  if (!in.next())
    throw DataError(in.path().string() + ":1: the file is empty (a header row is needed)");
  return header_fields(in);
}

/// target[k] = index in `columns` of the column read from header field k, or -1 to skip it.
std::vector<int> column_targets(const std::vector<std::string>& header,
                                const std::vector<CsvColumnSpec>& columns,
                                const std::filesystem::path& path, const CsvOptions& options) {
  std::vector<int> target(header.size(), -1);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto first = std::find(header.begin(), header.end(), columns[c].name);
    if (first == header.end()) {
      std::string list;
      for (const auto& h : header) list += (list.empty() ? "" : ", ") + h;
      const std::string table = options.table.empty() ? "" : " (table '" + options.table + "')";
      throw DataError(path.string() + ":1: declared column '" + columns[c].name + "'" + table +
                      " is not in the header (" + list + ")" + separator_hint(header, options));
    }
    if (std::find(first + 1, header.end(), columns[c].name) != header.end())
      throw DataError(path.string() + ":1: column '" + columns[c].name +
                      "' appears twice in the header");
    target[static_cast<std::size_t>(first - header.begin())] = static_cast<int>(c);
  }
  return target;
}

}  // namespace

std::vector<std::string> read_csv_header(const std::filesystem::path& path,
                                         const CsvOptions& options) {
  check_options(path, options);
  // Validation reads only the header: 64 KiB, not the 4 MiB (read and zeroed) a body read starts
  // with, which was a third of `klaster validate`'s CPU time on a 7.7 MB table.
  CsvStream in(path, options.separator, 0, UINT64_MAX, kHeaderBlock);
  return read_header(in);
}

void check_csv_header(const std::filesystem::path& path, const std::vector<CsvColumnSpec>& columns,
                      const CsvOptions& options) {
  column_targets(read_csv_header(path, options), columns, path, options);
}

namespace {

/// Fresh builders for `columns`, each with room for `rows` rows (reserved, so a large file is not
/// copied by vector growth; untouched reserved pages cost no memory).
std::vector<Builder> make_builders(const std::vector<CsvColumnSpec>& columns, std::size_t rows,
                                   const CsvOptions& options) {
  std::vector<Builder> builders(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    Builder& b = builders[c];
    b.options = &options;
    b.trim = options.trim;
    b.decimal_comma = options.decimal == ',';
    Column& col = b.column;
    col.name = columns[c].name;
    col.type = columns[c].type;
    switch (col.type) {
      case ColumnType::kString:
        col.dict = std::make_shared<Dictionary>();
        reserve_large(col.codes, rows);
        break;
      case ColumnType::kInt:
        reserve_large(col.ints, rows);
        break;
      case ColumnType::kFloat:
        reserve_large(col.floats, rows);
        break;
    }
  }
  return builders;
}

[[noreturn]] void field_count_error(const CsvStream& in, std::size_t width,
                                    const CsvOptions& options) {
  const auto& f = in.fields();
  const std::string hint = f.size() > width ? decimal_comma_fields_hint(f, width, options) : "";
  throw DataError(in.path().string() + ":" + std::to_string(in.line()) + ": expected " +
                  std::to_string(width) + " fields as in the header, found " +
                  std::to_string(f.size()) + hint);
}

/// Parses every record `in` yields into `builders` (field k feeds builder target[k]).
void parse_records(CsvStream& in, const std::vector<int>& target, std::vector<Builder>& builders,
                   const CsvOptions& options) {
  const std::size_t width = target.size();
  while (in.next()) {
    const auto& f = in.fields();
    if (is_blank(f, width)) continue;
    if (f.size() != width) field_count_error(in, width, options);
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
      for (std::size_t c = 0; c < remap.size(); ++c)
        remap[c] = a.dict->intern(b.dict->at(static_cast<std::int32_t>(c)));
      a.codes.reserve(na + nb);
      for (auto c : b.codes) a.codes.push_back(c < 0 ? -1 : remap[static_cast<std::size_t>(c)]);
      break;
    }
    case ColumnType::kInt:
      a.ints.insert(a.ints.end(), b.ints.begin(), b.ints.end());
      break;
    case ColumnType::kFloat:
      a.floats.insert(a.floats.end(), b.floats.begin(), b.floats.end());
      break;
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
std::size_t estimate_rows(const std::filesystem::path& path, std::uint64_t begin,
                          std::uint64_t end) {
  File f = open_file(path);
  if (end <= begin || fseeko(f.get(), static_cast<off_t>(begin), SEEK_SET) != 0) return 0;
  std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, end - begin)));
  const std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
  const auto lines = static_cast<std::size_t>(std::count(buf.data(), buf.data() + n, '\n'));
  if (lines == 0) return 16;
  const double line_bytes = static_cast<double>(n) / static_cast<double>(lines);
  return static_cast<std::size_t>(static_cast<double>(end - begin) / line_bytes * 1.02) + 16;
}

constexpr std::uint64_t kParallelMinBytes = 1ull << 20;  // smaller files are read by one thread

/// Reads the rows after the header into builders; large files are cut into one part per core at
/// line starts and parsed in parallel. A part boundary inside a quoted field, or any error in a
/// later part, makes the parts disagree; the file is then read again by one thread, which also
/// gives errors their exact line numbers.
class BodyReader {
 public:
  BodyReader(const std::filesystem::path& path, const std::vector<int>& target,
             const std::vector<CsvColumnSpec>& columns, const CsvOptions& options)
      : path_(path), target_(target), columns_(columns), options_(options) {}

  /// Reads the rows of `in`, positioned just after the header.
  std::vector<Builder> read(CsvStream& in) {
    const std::uint64_t size = std::filesystem::file_size(path_);
    total_rows_ = estimate_rows(path_, in.offset(), size);
    const std::vector<std::uint64_t> starts = part_starts(in.offset(), size);
    std::vector<Builder> builders = fresh(total_rows_);
    if (starts.size() == 1) {
      parse_records(in, target_, builders, options_);
      return builders;
    }
    if (read_parts(in, starts, builders)) return builders;
    CsvStream again(path_, options_.separator);
    again.next();  // the header
    builders = fresh(total_rows_);
    parse_records(again, target_, builders, options_);
    return builders;
  }

 private:
  std::vector<Builder> fresh(std::size_t rows) const {
    return make_builders(columns_, rows, options_);
  }

  std::vector<std::uint64_t> part_starts(std::uint64_t data_begin, std::uint64_t size) const {
    const auto cores = static_cast<unsigned>(std::min<std::size_t>(8, parallel_parts()));
    std::vector<std::uint64_t> starts{data_begin};
    if (cores == 1 || size - data_begin < kParallelMinBytes) return starts;
    for (unsigned k = 1; k < cores; ++k) {
      const std::uint64_t s = next_line_start(path_, data_begin + (size - data_begin) * k / cores);
      if (s >= size || s <= starts.back()) break;
      starts.push_back(s);
    }
    return starts;
  }

  /// Parses part 0 (from `in`) here and the others on threads; appends them to `builders` and
  /// returns true when the parts agree. An error in part 0 is thrown as it is.
  bool read_parts(CsvStream& in, const std::vector<std::uint64_t>& starts,
                  std::vector<Builder>& builders) const {
    const std::size_t parts = starts.size();
    std::vector<std::vector<Builder>> later(parts - 1);
    std::vector<std::uint64_t> ends(parts, 0);
    std::vector<char> failed(parts, 0);
    std::vector<std::thread> workers;
    for (std::size_t k = 1; k < parts; ++k)
      workers.emplace_back([&, k] {
        try {
          ends[k] = parse_part(starts, k, later[k - 1]);
        } catch (...) {
          failed[k] = 1;
        }
      });
    std::exception_ptr first_error;
    try {
      in.set_limit(starts[1]);
      parse_records(in, target_, builders, options_);
      ends[0] = in.offset();
    } catch (...) {
      first_error = std::current_exception();  // exact location: part 0 starts at the header
    }
    for (auto& w : workers) w.join();
    if (first_error) std::rethrow_exception(first_error);
    for (std::size_t k = 0; k < parts; ++k)
      if (failed[k] || (k + 1 < parts && ends[k] != starts[k + 1])) return false;
    // Column by column on every core: each column and its dictionary belong to one thread.
    parallel_for(
        builders.size(),
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t c = begin; c < end; ++c)
            for (auto& part : later) append_column(builders[c], part[c]);
        },
        1);
    return true;
  }

  /// Parses part k into `out`; returns the offset where it stopped.
  std::uint64_t parse_part(const std::vector<std::uint64_t>& starts, std::size_t k,
                           std::vector<Builder>& out) const {
    const std::size_t parts = starts.size();
    const std::uint64_t limit = k + 1 < parts ? starts[k + 1] : UINT64_MAX;
    out = fresh(total_rows_ / parts + total_rows_ / (parts * 10) + 16);
    CsvStream part(path_, options_.separator, starts[k], limit);
    parse_records(part, target_, out, options_);
    return part.offset();
  }

  const std::filesystem::path& path_;
  const std::vector<int>& target_;
  const std::vector<CsvColumnSpec>& columns_;
  const CsvOptions& options_;
  std::size_t total_rows_ = 0;
};

/// The origin of a table read by read_csv: row k is the k-th non-blank record after the header.
/// The lines records start on are found by reading the file again at the first locate() (only
/// messages need them), then kept.
class CsvRowOrigin final : public RowOrigin {
 public:
  CsvRowOrigin(std::filesystem::path path, char separator, std::size_t width)
      : path_(std::move(path)), separator_(separator), width_(width) {}

  std::string locate(std::size_t row) const override {
    std::call_once(scanned_, [this] { scan(); });
    if (row >= lines_.size()) return path_.string();
    return path_.string() + ":" + std::to_string(lines_[row]);
  }

 private:
  void scan() const {
    try {
      CsvStream in(path_, separator_);
      in.next();  // the header
      while (in.next())
        if (!is_blank(in.fields(), width_)) lines_.push_back(static_cast<std::uint32_t>(in.line()));
    } catch (const std::exception&) {
      lines_.clear();  // the file changed or went away: name the file alone
    }
  }

  std::filesystem::path path_;
  char separator_;
  std::size_t width_;
  mutable std::once_flag scanned_;
  mutable std::vector<std::uint32_t> lines_;  // by row: line its record starts on
};

}  // namespace

Table read_csv(const std::filesystem::path& path, const std::vector<CsvColumnSpec>& columns,
               const CsvOptions& options) {
  check_options(path, options);
  CsvStream in(path, options.separator);
  const std::vector<std::string> header = read_header(in);
  const std::vector<int> target = column_targets(header, columns, path, options);
  std::vector<Builder> builders = BodyReader(path, target, columns, options).read(in);
  std::vector<Column> cols;
  cols.reserve(builders.size());
  for (auto& b : builders) cols.push_back(std::move(b.column));
  Table table(std::move(cols));
  table.set_origin(std::make_shared<CsvRowOrigin>(path, options.separator, header.size()));
  return table;
}

namespace {

/// The origin of a matrix's long table: each long row comes from one row of the wide table.
class MatrixRowOrigin final : public RowOrigin {
 public:
  MatrixRowOrigin(std::shared_ptr<const RowOrigin> wide, std::vector<std::size_t> first_long_row)
      : wide_(std::move(wide)), first_long_row_(std::move(first_long_row)) {}

  std::string locate(std::size_t row) const override {
    const auto it = std::upper_bound(first_long_row_.begin(), first_long_row_.end(), row);
    return wide_->locate(static_cast<std::size_t>(it - first_long_row_.begin()) - 1);
  }

 private:
  std::shared_ptr<const RowOrigin> wide_;
  std::vector<std::size_t> first_long_row_;  // by wide row: its first row in the long table
};

/// The long table of a wide matrix table: a row per non-empty value cell.
Table long_from_wide(const Table& wide, const std::vector<std::string>& value_names,
                     bool has_label) {
  const Column& codes = wide.columns()[0];
  const std::size_t first_value = has_label ? 2 : 1;
  auto col_dict = std::make_shared<Dictionary>();
  for (const auto& n : value_names) col_dict->intern(n);
  std::vector<std::int32_t> row_codes, col_codes, label_codes;
  std::vector<double> values;
  std::vector<std::size_t> first_long_row;
  for (std::size_t r = 0; r < wide.rows(); ++r) {
    first_long_row.push_back(values.size());
    for (std::size_t k = 0; k < value_names.size(); ++k) {
      const Column& c = wide.columns()[first_value + k];
      if (!c.is_valid(r)) continue;
      row_codes.push_back(codes.codes[r]);
      col_codes.push_back(static_cast<std::int32_t>(k));
      if (has_label) label_codes.push_back(wide.columns()[1].codes[r]);
      values.push_back(c.floats[r]);
    }
  }
  std::vector<Column> cols;
  cols.push_back(Column::make_strings("row", codes.dict, std::move(row_codes)));
  cols.push_back(Column::make_strings("column", col_dict, std::move(col_codes)));
  cols.push_back(Column::make_floats("value", std::move(values)));
  if (has_label)
    cols.push_back(
        Column::make_strings("row_label", wide.columns()[1].dict, std::move(label_codes)));
  Table out(std::move(cols));
  out.set_origin(std::make_shared<MatrixRowOrigin>(wide.origin(), std::move(first_long_row)));
  return out;
}

}  // namespace

namespace {

/// Checks skip_columns against the header: each is in it, and none is the row-code column.
void check_skip_columns(const std::filesystem::path& path, const std::vector<std::string>& header,
                        const std::vector<std::string>& skip, const CsvOptions& options) {
  const std::string table = options.table.empty() ? "" : " (table '" + options.table + "')";
  for (const auto& name : skip) {
    if (name == header[0])
      throw DataError(path.string() + ":1: skip_columns" + table + " names '" + name +
                      "', the row-code column (the first column is always the row codes)");
    if (std::find(header.begin(), header.end(), name) == header.end())
      throw DataError(path.string() + ":1: skip_columns" + table + " names '" + name +
                      "', which is not in the header");
  }
}

/// A text cell read as a number in a value column: the usual message, plus where to declare the
/// column as text. Other messages (and those with a decimal hint) are kept as they are.
[[noreturn]] void rethrow_with_skip_hint(const DataError& e, const CsvOptions& options) {
  const std::string text = e.what();
  if (text.find(" as a number (column '") == std::string::npos || text.back() != ')') throw e;
  const std::string where =
      options.table.empty() ? "" : " of table '" + options.table + "' in dataset.toml";
  throw DataError(text + "; a text column of a matrix is named in label_column or skip_columns" +
                  where);
}

/// The columns read_csv reads of a matrix (row codes, label, values) and the value columns' names.
struct MatrixColumns {
  std::vector<CsvColumnSpec> specs;
  std::vector<std::string> value_names;
};

MatrixColumns matrix_columns(const std::filesystem::path& path, const std::string& label_column,
                             const CsvOptions& options,
                             const std::vector<std::string>& skip_columns) {
  const std::vector<std::string> header = read_csv_header(path, options);
  if (header.size() < 2)
    throw DataError(path.string() +
                    ":1: a matrix needs a row-code column and at least one value column" +
                    separator_hint(header, options));
  check_skip_columns(path, header, skip_columns, options);
  MatrixColumns m;
  m.specs.push_back({header[0], ColumnType::kString});
  if (!label_column.empty()) m.specs.push_back({label_column, ColumnType::kString});
  for (std::size_t k = 1; k < header.size(); ++k) {
    if (header[k] == label_column ||
        std::find(skip_columns.begin(), skip_columns.end(), header[k]) != skip_columns.end())
      continue;  // undeclared columns are not read by read_csv
    m.specs.push_back({header[k], ColumnType::kFloat});
    m.value_names.push_back(header[k]);
  }
  if (m.value_names.empty())
    throw DataError(path.string() +
                    ":1: a matrix needs at least one value column; every column after the row "
                    "codes is label_column or in skip_columns");
  column_targets(header, m.specs, path, options);  // label_column is in the header
  return m;
}

}  // namespace

void check_matrix_header(const std::filesystem::path& path, const std::string& label_column,
                         const CsvOptions& options, const std::vector<std::string>& skip_columns) {
  matrix_columns(path, label_column, options, skip_columns);
}

Table read_matrix_csv(const std::filesystem::path& path, const std::string& label_column,
                      const CsvOptions& options, const std::vector<std::string>& skip_columns) {
  const MatrixColumns m = matrix_columns(path, label_column, options, skip_columns);
  const std::vector<CsvColumnSpec>& specs = m.specs;
  const std::vector<std::string>& value_names = m.value_names;
  Table wide;
  try {
    wide = read_csv(path, specs, options);
  } catch (const DataError& e) {
    rethrow_with_skip_hint(e, options);
  }
  const Column& codes = wide.columns()[0];
  for (std::size_t r = 0; r < wide.rows(); ++r)
    if (!codes.is_valid(r)) throw DataError(wide.locate(r) + ":1: row code is empty");
  return long_from_wide(wide, value_names, !label_column.empty());
}

// ---------------------------------------------------------------------------------------------
// Keys that differ only by case.

namespace {

/// The lower-case form of a Cyrillic code point in U+0400-U+04FF (Russian and Kazakh letters).
std::uint32_t lower_cyrillic(std::uint32_t cp) {
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp == 0x4C0) return 0x4CF;
  if (cp >= 0x4C1 && cp <= 0x4CE) return cp % 2 == 1 ? cp + 1 : cp;
  const bool paired =
      (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) || (cp >= 0x4D0 && cp <= 0x4FF);
  return paired && cp % 2 == 0 ? cp + 1 : cp;
}

/// `s` with ASCII and Cyrillic letters in lower case (other text unchanged).
std::string fold_case(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') out[i] = static_cast<char>(c + ('a' - 'A'));
    if (c < 0xD0 || c > 0xD3 || i + 1 >= out.size()) continue;
    const auto t = static_cast<unsigned char>(out[i + 1]);
    const std::uint32_t lower = lower_cyrillic(((c & 0x1Fu) << 6) | (t & 0x3Fu));
    out[i] = static_cast<char>(0xC0 | (lower >> 6));
    out[i + 1] = static_cast<char>(0x80 | (lower & 0x3F));
    ++i;
  }
  return out;
}

/// Pairs of codes (earlier, later) of dictionary values with the same folded form.
std::vector<std::pair<std::int32_t, std::int32_t>> same_but_case(const Dictionary& dict) {
  std::vector<std::pair<std::int32_t, std::int32_t>> out;
  std::unordered_map<std::string, std::int32_t> seen;
  for (std::size_t code = 0; code < dict.size(); ++code) {
    const auto c = static_cast<std::int32_t>(code);
    const auto [it, added] = seen.emplace(fold_case(dict.at(c)), c);
    if (!added) out.emplace_back(it->second, c);
  }
  return out;
}

/// The first row of `column` holding each code of `pairs`.
std::unordered_map<std::int32_t, std::size_t> first_rows(
    const Column& column, const std::vector<std::pair<std::int32_t, std::int32_t>>& pairs) {
  std::unordered_map<std::int32_t, std::size_t> wanted;
  for (const auto& [a, b] : pairs) wanted[a] = wanted[b] = SIZE_MAX;
  std::size_t left = wanted.size();
  for (std::size_t r = 0; r < column.codes.size() && left > 0; ++r) {
    auto it = wanted.find(column.codes[r]);
    if (it == wanted.end() || it->second != SIZE_MAX) continue;
    it->second = r;
    --left;
  }
  return wanted;
}

/// Messages about one string column of `table`.
std::vector<std::string> column_case_conflicts(const Table& table, const Column& column) {
  const auto pairs = same_but_case(*column.dict);
  if (pairs.empty()) return {};
  const auto rows = first_rows(column, pairs);
  std::string path;  // from the table's origin; the line follows its last ':'
  auto line_of = [&](std::int32_t code) -> std::string {
    const std::size_t row = rows.at(code);
    const std::string loc = row == SIZE_MAX ? std::string() : table.locate(row);
    const std::size_t colon = loc.rfind(':');
    if (colon == std::string::npos) return {};
    path = loc.substr(0, colon);
    return " (line " + loc.substr(colon + 1) + ")";
  };
  std::vector<std::string> out;
  for (const auto& [a, b] : pairs) {
    const std::string la = line_of(a), lb = line_of(b);
    out.push_back((path.empty() ? "" : path + ": ") + "column '" + column.name + "' holds '" +
                  column.dict->at(a) + "'" + la + " and '" + column.dict->at(b) + "'" + lb +
                  ", which differ only by case");
  }
  return out;
}

}  // namespace

std::vector<std::string> case_conflicts(const Table& table) {
  std::vector<std::string> out;
  for (const Column& c : table.columns()) {
    if (c.type != ColumnType::kString || !c.dict) continue;
    for (auto& m : column_case_conflicts(table, c)) out.push_back(std::move(m));
  }
  return out;
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

/// A cell's text of at most 15 bytes with its length in the 16th: put_cell() copies all 16 bytes
/// with one store and moves on by the length (the bytes past the text are overwritten by what
/// follows, inside the row's room).
struct ShortText {
  char text[15];
  std::uint8_t size;
};
static_assert(sizeof(ShortText) == 16);

ShortText short_text(std::string_view s) {
  ShortText t{};
  std::memcpy(t.text, s.data(), s.size());
  t.size = static_cast<std::uint8_t>(s.size());
  return t;
}

/// How each column is written. A string column with a small dictionary has its cells escaped
/// once per dictionary entry instead of once per row; a larger one is written row by row.
struct ColumnFormat {
  enum class Kind : std::uint8_t { kShortText, kText, kRowByRow, kSmallInt, kInt, kFloat };
  const Column* column = nullptr;
  Kind kind = Kind::kFloat;
  // kShortText: [0] a missing cell, [code + 1] a dictionary entry's text;
  // kSmallInt: [0] a missing cell, [value - int_base + 1] a value's text.
  std::vector<ShortText> short_texts;
  std::int64_t int_base = 0;
  std::vector<std::string> escaped;  // kText: by code
  std::size_t max_width = 0;         // upper bound of the bytes one cell writes
};

/// A string column's format: every dictionary entry escaped up front, kept as ShortText when
/// each fits, else as strings; row by row when the dictionary is large against the table.
ColumnFormat string_format(const Column& c, std::size_t rows) {
  ColumnFormat f;
  f.column = &c;
  f.kind = ColumnFormat::Kind::kRowByRow;
  if (c.dict->size() > std::max<std::size_t>(1 << 16, rows / 8)) return f;
  f.kind = ColumnFormat::Kind::kText;
  f.escaped.reserve(c.dict->size());
  for (std::size_t code = 0; code < c.dict->size(); ++code) {
    std::string e;
    put_string(e, c.dict->at(static_cast<std::int32_t>(code)));
    f.max_width = std::max(f.max_width, e.size());
    f.escaped.push_back(std::move(e));
  }
  if (f.max_width >= sizeof(ShortText)) return f;
  f.kind = ColumnFormat::Kind::kShortText;
  f.max_width = sizeof(ShortText);
  f.short_texts.reserve(f.escaped.size() + 1);
  f.short_texts.push_back(short_text(""));
  for (const std::string& e : f.escaped) f.short_texts.push_back(short_text(e));
  f.escaped.clear();
  return f;
}

/// The smallest and the largest value of an int column's valid cells, on every core ({1, 0}
/// when it has none).
std::pair<std::int64_t, std::int64_t> int_range(const Column& c) {
  std::mutex mutex;
  std::int64_t lo = INT64_MAX, hi = INT64_MIN;
  parallel_for(c.ints.size(), [&](std::size_t begin, std::size_t end) {
    std::int64_t part_lo = INT64_MAX, part_hi = INT64_MIN;
    for (std::size_t r = begin; r < end; ++r)
      if (c.is_valid(r))
        part_lo = std::min(part_lo, c.ints[r]), part_hi = std::max(part_hi, c.ints[r]);
    const std::lock_guard<std::mutex> lock(mutex);
    lo = std::min(lo, part_lo), hi = std::max(hi, part_hi);
  });
  return lo <= hi ? std::pair{lo, hi} : std::pair<std::int64_t, std::int64_t>{1, 0};
}

/// An int column's format: its values' texts from a table when they span at most 4,096 values
/// (years, codes), each of at most 15 characters; std::to_chars per cell otherwise.
ColumnFormat int_format(const Column& c) {
  ColumnFormat f;
  f.column = &c;
  f.kind = ColumnFormat::Kind::kInt;
  f.max_width = 24;  // an int64 takes at most 20 characters
  constexpr std::int64_t kMaxSpan = 4096, kMaxMagnitude = 99'999'999'999'999;  // 14 digits
  const auto [lo, hi] = int_range(c);
  if (lo > hi || lo < -kMaxMagnitude || hi > kMaxMagnitude || hi - lo >= kMaxSpan) return f;
  f.kind = ColumnFormat::Kind::kSmallInt;
  f.max_width = sizeof(ShortText);
  f.int_base = lo;
  f.short_texts.push_back(short_text(""));
  for (std::int64_t v = lo; v <= hi; ++v) {
    char text[24];
    f.short_texts.push_back(short_text({text, std::to_chars(text, text + sizeof text, v).ptr}));
  }
  return f;
}

std::vector<ColumnFormat> column_formats(const Table& table) {
  std::vector<ColumnFormat> out;
  for (const Column& c : table.columns()) {
    if (c.type == ColumnType::kString) {
      out.push_back(string_format(c, table.rows()));
    } else if (c.type == ColumnType::kInt) {
      out.push_back(int_format(c));
    } else {
      ColumnFormat f;
      f.column = &c;
      f.max_width = detail::kShortestRoom;  // put_shortest() stores whole words past its text
      out.push_back(std::move(f));
    }
  }
  return out;
}

/// CSV has no text for NaN or an infinity that read_csv accepts back: writing one is an error (the
/// host refuses such tables before they get here; this guards other users of write_csv).
void check_writable(const Column& c, std::size_t row) {
  if (!std::isfinite(c.floats[row]))
    throw Error("column '" + c.name + "', row " + std::to_string(row + 1) + " holds " +
                format_number(c.floats[row]) +
                ", which CSV cannot hold: write an undefined value as missing");
}

/// Appends row `r` to `buf` cell by cell: for tables with a string column too large to escape up
/// front.
void append_row(const std::vector<ColumnFormat>& formats, std::size_t r, std::string& buf) {
  for (std::size_t k = 0; k < formats.size(); ++k) {
    if (k) buf.push_back(',');
    const Column& c = *formats[k].column;
    if (!c.is_valid(r)) continue;
    char num[64];
    static_assert(sizeof num >= detail::kShortestRoom);
    switch (c.type) {
      case ColumnType::kString:
        put_string(buf, c.str(r));
        break;
      case ColumnType::kInt:
        buf.append(num, std::to_chars(num, num + sizeof num, c.ints[r]).ptr);
        break;
      case ColumnType::kFloat:
        check_writable(c, r);
        buf.append(num, detail::put_shortest(num, c.floats[r]));
        break;
    }
  }
  buf.push_back('\n');
}

/// Writes cell `r` of a column whose cells have a bounded width at `p`; returns the cell's end.
char* put_cell(const ColumnFormat& f, std::size_t r, char* p) {
  const Column& c = *f.column;
  switch (f.kind) {
    case ColumnFormat::Kind::kShortText: {
      const ShortText& t = f.short_texts[static_cast<std::size_t>(c.codes[r] + 1)];
      std::memcpy(p, &t, sizeof t);
      return p + t.size;
    }
    case ColumnFormat::Kind::kText: {
      if (c.codes[r] < 0) return p;
      const std::string& e = f.escaped[static_cast<std::size_t>(c.codes[r])];
      std::memcpy(p, e.data(), e.size());
      return p + e.size();
    }
    case ColumnFormat::Kind::kSmallInt: {
      const std::size_t k =
          c.is_valid(r) ? static_cast<std::size_t>(c.ints[r] - f.int_base) + 1 : 0;
      std::memcpy(p, &f.short_texts[k], sizeof(ShortText));
      return p + f.short_texts[k].size;
    }
    case ColumnFormat::Kind::kInt:
      return c.is_valid(r) ? std::to_chars(p, p + f.max_width, c.ints[r]).ptr : p;
    case ColumnFormat::Kind::kFloat:
      if (!c.is_valid(r)) return p;
      check_writable(c, r);
      return detail::put_shortest(p, c.floats[r]);  // shortest round trip
    case ColumnFormat::Kind::kRowByRow:
      break;
  }
  return p;  // not reached: such tables are written by append_row()
}

/// The text of a block of rows: a buffer that grows without zero-filling. A std::string's resize
/// zeroes the room each row reserves (the widest row's) ahead of the cursor: as much memory
/// written again as the text itself.
class TextBuffer {
 public:
  const char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  void clear() { size_ = 0; }
  /// Where the next `n` bytes go: the buffer at least doubles when it must grow.
  char* room(std::size_t n) {
    if (capacity_ - size_ < n) grow(size_ + n);
    return data_.get() + size_;
  }
  /// Ends the text at `end`, which room() returned plus what was written there.
  void set_end(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }
  void append(std::string_view s) {
    std::memcpy(room(s.size()), s.data(), s.size());
    size_ += s.size();
  }

 private:
  void grow(std::size_t need) {
    const std::size_t capacity = std::max(need, 2 * capacity_);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0, capacity_ = 0;
};

/// Appends rows [begin, end) of the table as CSV lines to `buf`.
void format_rows(const std::vector<ColumnFormat>& formats, std::size_t begin, std::size_t end,
                 TextBuffer& buf) {
  std::size_t room = formats.size();  // the separators and the newline
  bool bounded = true;
  for (const auto& f : formats) {
    bounded = bounded && f.kind != ColumnFormat::Kind::kRowByRow;
    room += f.max_width;
  }
  if (!bounded) {
    std::string line;
    for (std::size_t r = begin; r < end; ++r) {
      line.clear();
      append_row(formats, r, line);
      buf.append(line);
    }
    return;
  }
  for (std::size_t r = begin; r < end; ++r) {
    char* p = buf.room(room);
    for (const ColumnFormat& f : formats) {
      p = put_cell(f, r, p);
      *p++ = ',';
    }
    p[-1] = '\n';
    buf.set_end(p);
  }
}

/// Rows per block of write_csv: about eight blocks per core, so that writing the first blocks
/// overlaps formatting the next ones, between 2^14 and 2^18 rows (a 300,000-row table: 16 blocks of
/// 18,750 rows on two cores, where two blocks of 2^18 wrote one after the other, 34 ms).
std::size_t write_block_rows(std::size_t rows, std::size_t cores) {
  return std::clamp<std::size_t>(rows / (8 * cores), std::size_t{1} << 14, std::size_t{1} << 18);
}

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

  // Blocks of rows are formatted on every core and written in order. A written block's buffer is
  // reused for a later block: its pages are mapped already, where a fresh buffer would fault in
  // each page again.
  const std::vector<ColumnFormat> formats = column_formats(table);
  const std::size_t rows = table.rows();
  const std::size_t cores = parallel_parts();
  const std::size_t block = write_block_rows(rows, cores);
  const std::size_t blocks = (rows + block - 1) / block;
  const auto policy = blocks > 1 ? std::launch::async : std::launch::deferred;
  std::deque<std::future<TextBuffer>> pending;
  std::vector<TextBuffer> spare;
  std::size_t next = 0;
  auto launch = [&] {
    const std::size_t b = next++;
    TextBuffer buf;
    if (!spare.empty()) buf = std::move(spare.back()), spare.pop_back();
    pending.push_back(
        std::async(policy, [&formats, b, rows, block, buf = std::move(buf)]() mutable {
          const std::size_t begin = b * block, end = std::min(rows, begin + block);
          buf.clear();
          buf.room((end - begin) * 48);
          format_rows(formats, begin, end, buf);
          return std::move(buf);
        }));
  };
  while (next < blocks && pending.size() < cores + 1) launch();
  while (!pending.empty()) {
    TextBuffer buf = pending.front().get();
    pending.pop_front();
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    spare.push_back(std::move(buf));
    if (next < blocks) launch();
  }
}

}  // namespace klaster::sdk
