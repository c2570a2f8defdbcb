// klaster host: reading a batch store back (docs/batch.md#the-store), for `klaster batch export`
// and `klaster report STORE`: opening it read-only, its layout, queries as typed tables.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/table.hpp"

namespace klaster {

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

/// \brief `name` as an SQL identifier ("incentive.factor" needs quotes: it holds a dot).
std::string quoted(const std::string& name);
/// \brief `text` as an SQL string literal.
std::string literal(const std::string& text);

/// \brief A prepared statement; throws HostError (exit 2) naming the store when `sql` fails (a
/// table or column a klaster store would have is missing).
Stmt prepare(sqlite3* db, const std::string& sql, const std::string& store);

/// \brief The first column of every row of `sql`, as text.
std::vector<std::string> first_column(sqlite3* db, const std::string& sql,
                                      const std::string& store);

/// \brief One column of a block of rows, typed by its values as SQLite holds them: integers only ->
/// int, numbers -> float, else text (a number in it written as the CSV writer writes numbers).
class BlockColumn {
 public:
  void add(sqlite3_stmt* st, int i) {
    const int kind = sqlite3_column_type(st, i);
    kinds_.push_back(kind);
    ints_.push_back(kind == SQLITE_INTEGER ? sqlite3_column_int64(st, i) : 0);
    floats_.push_back(kind == SQLITE_FLOAT ? sqlite3_column_double(st, i) : 0);
    const auto* t = kind == SQLITE_TEXT ? sqlite3_column_text(st, i) : nullptr;
    texts_.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    has_text_ |= kind == SQLITE_TEXT || kind == SQLITE_BLOB;
    has_float_ |= kind == SQLITE_FLOAT;
  }
  sdk::Column build(const std::string& name) const {
    std::vector<std::uint8_t> valid;
    for (int k : kinds_) valid.push_back(k != SQLITE_NULL);
    if (!has_text_ && !has_float_) return sdk::Column::make_ints(name, ints_, valid);
    if (!has_text_) {
      std::vector<double> v(floats_);
      for (std::size_t r = 0; r < v.size(); ++r)
        if (kinds_[r] == SQLITE_INTEGER) v[r] = static_cast<double>(ints_[r]);
      return sdk::Column::make_floats(name, std::move(v), valid);
    }
    std::vector<std::string> v(texts_);  // a missing value stays "", an empty CSV cell
    for (std::size_t r = 0; r < v.size(); ++r)
      if (kinds_[r] == SQLITE_INTEGER)
        v[r] = std::to_string(ints_[r]);
      else if (kinds_[r] == SQLITE_FLOAT)
        v[r] = sdk::format_number(floats_[r]);
    return sdk::Column::make_strings(name, v);
  }
  void clear() { *this = BlockColumn(); }

 private:
  std::vector<int> kinds_;
  std::vector<std::int64_t> ints_;
  std::vector<double> floats_;
  std::vector<std::string> texts_;
  bool has_text_ = false, has_float_ = false;
};

/// \brief Every row of `sql` as a table; a column is int when it holds integers only, float when
/// numbers only, else text (numbers written as the CSV writer writes them); NULL is a missing cell.
sdk::Table query_table(sqlite3* db, const std::string& sql, const std::string& store);

/// \brief Table -> column -> unit of the collected columns every scenario gave one unit (the
/// `units` table); none for a store written before units were recorded.
using StoreUnits = std::map<std::string, std::map<std::string, std::string>>;
StoreUnits store_units(sqlite3* db, const std::string& store);

/// \brief Opens the store read-only; throws HostError (exit 2) for a missing file, a file that is
/// not SQLite and a SQLite file that no `klaster batch` wrote (no batch_sha256 in a `batch` table).
Db open_store(const std::string& store);

/// \brief What a reader needs to know of a store.
struct Layout {
  std::vector<std::string> pipelines;  // as the scenarios table names them
  std::vector<std::string> params;     // the setting columns of `scenarios` ("STEP.PARAM")
  std::map<std::string, std::vector<std::string>> tables;  // output table -> its pipelines
};

/// \brief The store's pipelines, setting columns and output tables.
Layout read_layout(sqlite3* db, const std::string& store);

}  // namespace klaster
