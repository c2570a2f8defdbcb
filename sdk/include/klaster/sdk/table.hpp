// klaster SDK: columnar tables shared between the host and plugins.
//
// A Table is an immutable set of equally long, typed columns. Numbers live in contiguous arrays;
// strings are dictionary-encoded (an int32 code per row into a shared Dictionary), so keys such as
// region and industry cost four bytes a row and can be grouped by code without hashing strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace klaster::sdk {

enum class ColumnType : std::uint8_t { kString, kInt, kFloat };

/// \brief "string", "int" or "float": the names used in dataset.toml and in messages.
const char* to_string(ColumnType type);
/// \brief Parses "string" | "int" | "float"; nullopt for anything else.
std::optional<ColumnType> column_type_from_string(std::string_view name);

/// \brief The shortest text that reads back as `v` (std::to_chars), as CSV output and messages
/// write numbers: 0.1 -> "0.1", 2.0 -> "2", 1e21 -> "1e+21".
std::string format_number(double v);

/// \brief The distinct strings of one or more string columns; a code is an index into it.
/// Append-only: codes handed out stay valid. Not thread-safe while being written.
class Dictionary {
 public:
  /// \brief The code of `s`, adding it when new.
  std::int32_t intern(std::string_view s);
  /// \brief The code of `s`, or -1 when absent.
  std::int32_t find(std::string_view s) const;
  const std::string& at(std::int32_t code) const { return values_[static_cast<std::size_t>(code)]; }
  std::size_t size() const { return values_.size(); }
  void reserve(std::size_t n);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::vector<std::string> values_;
  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index_;
};

/// \brief One typed column. Exactly one of the value arrays is used, chosen by `type`.
/// Missing values: string code -1; for int and float a false entry in `valid` (an empty `valid`
/// means every row has a value).
struct Column {
  std::string name;
  ColumnType type = ColumnType::kFloat;
  std::vector<double> floats;
  std::vector<std::int64_t> ints;
  std::vector<std::int32_t> codes;
  std::shared_ptr<Dictionary> dict;  // shared with other columns and tables holding the same keys
  std::vector<std::uint8_t> valid;

  std::size_t size() const;
  bool is_valid(std::size_t row) const {
    if (type == ColumnType::kString) return codes[row] >= 0;
    return valid.empty() || valid[row] != 0;
  }
  /// \brief The string at `row` ("" when missing). Only for string columns.
  std::string_view str(std::size_t row) const {
    const std::int32_t c = codes[row];
    return c < 0 ? std::string_view{} : std::string_view{dict->at(c)};
  }
  /// \brief The cell as text for messages and CSV output ("" when missing).
  std::string to_text(std::size_t row) const;
  /// \brief The value of a numeric column as double (int converted). Undefined when missing.
  double number(std::size_t row) const {
    return type == ColumnType::kFloat ? floats[row] : static_cast<double>(ints[row]);
  }

  static Column make_floats(std::string name, std::vector<double> values,
                            std::vector<std::uint8_t> valid = {});
  static Column make_ints(std::string name, std::vector<std::int64_t> values,
                          std::vector<std::uint8_t> valid = {});
  static Column make_strings(std::string name, std::shared_ptr<Dictionary> dict,
                             std::vector<std::int32_t> codes);
  /// \brief Builds a string column with a new dictionary from plain strings ("" stays a value).
  static Column make_strings(std::string name, const std::vector<std::string>& values);
  /// \brief A column with the rows of `source` picked by `rows` (in that order).
  static Column take(const Column& source, const std::vector<std::size_t>& rows);
};

/// \brief Column names and types of a table, known before any data exists (used in validation).
struct Schema {
  std::vector<std::pair<std::string, ColumnType>> columns;

  bool has(std::string_view name) const;
  std::optional<ColumnType> type_of(std::string_view name) const;
  std::vector<std::string> names() const;
  void add(std::string name, ColumnType type) { columns.emplace_back(std::move(name), type); }
  bool operator==(const Schema&) const = default;
};

using ColumnPtr = std::shared_ptr<const Column>;

/// \brief Where the rows of a table read from a file came from. A dataset reader attaches one to
/// the tables it reads, so that a message about a row can name the file and the line the row
/// starts on; lines are found on demand (only when a message needs them), so reading costs nothing.
class RowOrigin {
 public:
  virtual ~RowOrigin() = default;
  /// \brief "path:line" of the line row `row` starts on (row 0 is the first row after the header).
  virtual std::string locate(std::size_t row) const = 0;
};

/// \brief The columns of a table, seen as `const Column&` (they are held by shared pointers so that
/// tables can share columns without copying them).
class ColumnRange {
 public:
  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Column;
    using difference_type = std::ptrdiff_t;
    using pointer = const Column*;
    using reference = const Column&;
    explicit iterator(const ColumnPtr* p) : p_(p) {}
    const Column& operator*() const { return **p_; }
    const Column* operator->() const { return p_->get(); }
    iterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator==(const iterator& o) const { return p_ == o.p_; }
    bool operator!=(const iterator& o) const { return p_ != o.p_; }

   private:
    const ColumnPtr* p_;
  };
  explicit ColumnRange(const std::vector<ColumnPtr>& cols) : cols_(&cols) {}
  std::size_t size() const { return cols_->size(); }
  bool empty() const { return cols_->empty(); }
  const Column& operator[](std::size_t i) const { return *(*cols_)[i]; }
  iterator begin() const { return iterator(cols_->data()); }
  iterator end() const { return iterator(cols_->data() + cols_->size()); }

 private:
  const std::vector<ColumnPtr>* cols_;
};

/// \brief An immutable table once handed to the host. Columns are shared, never copied, between
/// tables built from the same columns (a measure that changes one column shares all the others).
class Table {
 public:
  Table() = default;
  explicit Table(std::vector<Column> columns);
  explicit Table(std::vector<ColumnPtr> columns);

  std::size_t rows() const { return rows_; }
  ColumnRange columns() const { return ColumnRange(columns_); }
  const std::vector<ColumnPtr>& column_ptrs() const { return columns_; }
  /// \brief The column named `name`, or nullptr.
  const Column* find(std::string_view name) const;
  /// \brief The column named `name`; throws sdk::Error naming the missing column otherwise.
  const Column& column(std::string_view name) const;
  /// \brief A shared handle on the column named `name` (to reuse it in another table); throws.
  ColumnPtr column_ptr(std::string_view name) const;
  Schema schema() const;
  /// \brief A table with the rows picked by `rows`, all columns kept (and their origin).
  Table take(const std::vector<std::size_t>& rows) const;

  /// \brief Where the rows came from: set by the dataset reader; null for computed tables.
  const std::shared_ptr<const RowOrigin>& origin() const { return origin_; }
  void set_origin(std::shared_ptr<const RowOrigin> origin) { origin_ = std::move(origin); }
  /// \brief "path:line" of row `row` when the table was read from a file, else "".
  std::string locate(std::size_t row) const {
    return origin_ ? origin_->locate(row) : std::string();
  }
  /// \brief " (path:line)" for a row of a table read from a file, else "": appended to a message
  /// that already names the row by its keys.
  std::string line_note(std::size_t row) const;
  /// \brief " (path:3 and path:9)" for two rows of a table read from a file (a duplicate and its
  /// first copy), else "".
  std::string lines_note(std::size_t first, std::size_t second) const;
  /// \brief The key cells of row `row` (its string and int columns) for messages:
  /// "region 'KST', industry 'C', year 2024"; a missing cell shows as (missing).
  std::string keys_text(std::size_t row) const;
  /// \brief How a message names row `row`: "path:line" for a table read from a file, else
  /// "the row with <keys_text>" (rows of computed tables are named by their keys).
  std::string row_name(std::size_t row) const;

 private:
  void check();
  std::vector<ColumnPtr> columns_;
  std::size_t rows_ = 0;
  std::shared_ptr<const RowOrigin> origin_;
};

using TablePtr = std::shared_ptr<const Table>;

}  // namespace klaster::sdk
