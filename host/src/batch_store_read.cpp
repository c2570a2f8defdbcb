// Reading a batch store back: shared by `klaster batch export` and `klaster report STORE`.
#include "batch_store_read.hpp"

#include <filesystem>

#include "errors.hpp"
#include "klaster/sdk/csv.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const std::string& what) { throw HostError(kExitPipeline, what); }

}  // namespace

std::string quoted(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

Stmt prepare(sqlite3* db, const std::string& sql, const std::string& store) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    refuse(store + ": not a klaster batch store (" + sqlite3_errmsg(db) + ")");
  }
  return Stmt(st, sqlite3_finalize);
}

/// The first column of every row of `sql`, as text.
std::vector<std::string> first_column(sqlite3* db, const std::string& sql,
                                      const std::string& store) {
  Stmt st = prepare(db, sql, store);
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    const auto* t = sqlite3_column_text(st.get(), 0);
    out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
  }
  if (rc != SQLITE_DONE) refuse(store + ": " + sqlite3_errmsg(db));
  return out;
}

/// Opens the store read-only; refuses a missing file, a file that is not SQLite and a SQLite file
/// that no `klaster batch` wrote (no batch_sha256 in a `batch` table).
Db open_store(const std::string& store) {
  std::error_code ec;
  if (!fs::is_regular_file(store, ec))
    refuse(store + ": " + (fs::exists(store, ec) ? "not a file" : "no such file") +
           " (expected the SQLite store of a `klaster batch` run)");
  // Opened for writing where allowed, only so that closing the last connection removes the -wal
  // and -shm files (a read-only connection leaves them beside the store); query_only forbids
  // every write.
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(store.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(raw);
    rc = sqlite3_open_v2(store.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  }
  Db db(raw, sqlite3_close);
  if (rc != SQLITE_OK) refuse(store + ": cannot open: " + sqlite3_errmsg(raw));
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_exec(raw, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw, "SELECT value FROM batch WHERE key = 'batch_sha256'", -1, &st,
                         nullptr) != SQLITE_OK) {
    const bool sqlite = sqlite3_errcode(raw) != SQLITE_NOTADB;
    sqlite3_finalize(st);
    refuse(store + (sqlite ? ": not a klaster batch store (it has no table 'batch')"
                           : ": not a SQLite database, so not a klaster batch store"));
  }
  const bool marked = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  if (!marked)
    refuse(store + ": not a klaster batch store (its table 'batch' has no batch_sha256)");
  return db;
}

/// Output tables are named `<pipeline file stem>__<table>` (docs/batch.md#the-store).
Layout read_layout(sqlite3* db, const std::string& store) {
  Layout l;
  l.pipelines = first_column(db, "SELECT DISTINCT pipeline FROM scenarios ORDER BY 1", store);
  for (const auto& c : first_column(db, "SELECT name FROM pragma_table_info('scenarios')", store))
    if (c.find('.') != std::string::npos) l.params.push_back(c);  // setting keys hold a dot
  const auto names =
      first_column(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", store);
  for (const auto& p : l.pipelines) {
    const std::string prefix = fs::path(p).stem().string() + "__";
    for (const auto& n : names)
      if (n.rfind(prefix, 0) == 0) l.tables[n].push_back(p);
  }
  return l;
}

std::string literal(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

sdk::Table query_table(sqlite3* db, const std::string& sql, const std::string& store) {
  Stmt st = prepare(db, sql, store);
  const int n = sqlite3_column_count(st.get());
  std::vector<BlockColumn> cols(static_cast<std::size_t>(n));
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
    for (int i = 0; i < n; ++i) cols[static_cast<std::size_t>(i)].add(st.get(), i);
  if (rc != SQLITE_DONE) refuse(store + ": " + sqlite3_errmsg(db));
  std::vector<sdk::Column> built;
  for (int i = 0; i < n; ++i)
    built.push_back(cols[static_cast<std::size_t>(i)].build(sqlite3_column_name(st.get(), i)));
  return sdk::Table(std::move(built));
}

StoreUnits store_units(sqlite3* db, const std::string& store) {
  StoreUnits units;
  if (first_column(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'units'",
                   store)
          .empty())
    return units;
  Stmt st = prepare(db,
                    "SELECT table_name, column_name, min(unit) FROM units GROUP BY table_name, "
                    "column_name HAVING count(*) = 1",
                    store);
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    auto text = [&](int i) {
      return reinterpret_cast<const char*>(sqlite3_column_text(st.get(), i));
    };
    units[text(0)][text(1)] = text(2);
  }
  return units;
}

}  // namespace klaster
