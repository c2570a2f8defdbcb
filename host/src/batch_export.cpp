// `klaster batch export` (docs/batch.md#export): joins each output table of a store with the
// scenarios table and writes it through the SDK's CSV writer, so numbers read as in `klaster run`'s
// CSV files.
#include "batch_export.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "batch_store_read.hpp"
#include "errors.hpp"
#include "klaster/sdk/csv.hpp"
#include "klaster/sdk/plugin.hpp"
#include "output_folder.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const std::string& what) { throw HostError(kExitPipeline, what); }

/// The tables asked for (all by default), each checked to be an output table of the store.
std::vector<std::string> chosen_tables(const Layout& l, const ExportOptions& o) {
  std::vector<std::string> all;
  for (const auto& [name, pipelines] : l.tables) all.push_back(name);
  if (o.tables.empty()) return all;
  for (const auto& t : o.tables) {
    if (l.tables.count(t)) continue;
    std::string msg = o.store + ": --table '" + t + "' is not an output table of the store";
    std::string near = sdk::nearest(t, all);
    for (const auto& a : all)  // a table named without its "<pipeline>__" prefix
      if (a.size() > t.size() + 2 && a.ends_with("__" + t)) near = a;
    if (!near.empty()) msg += " (did you mean '" + near + "'?)";
    std::string list;
    for (const auto& a : all) list += (list.empty() ? "" : ", ") + a;
    refuse(msg + "; its output tables: " + (list.empty() ? "none" : list));
  }
  return o.tables;
}

/// The query of one exported table and its column names: the scenario's columns, then the table's.
struct Query {
  std::string sql;
  std::vector<std::string> names;
};

/// The header of column `c` of `table`: with its unit when every scenario gave it one.
std::string header(const StoreUnits& units, const std::string& table, const std::string& c) {
  const auto t = units.find(table);
  if (t == units.end() || !t->second.count(c)) return c;
  return c + " (" + t->second.at(c) + ")";
}

/// Rows by scenario id, then pipeline, each scenario's in the order its run wrote them: the same
/// file whatever order the workers finished in. A column of the table every scenario gave one unit
/// is headed with it, as in `klaster export`'s sheets: "lq (dimensionless)".
Query export_query(sqlite3* db, const Layout& l, const std::string& table, const std::string& store,
                   const StoreUnits& units) {
  Query q{"s.id", {"scenario"}};
  if (l.pipelines.size() > 1) {
    q.sql += ", s.pipeline";
    q.names.push_back("pipeline");
  }
  for (const auto& p : l.params) {
    q.sql += ", s." + quoted(p);
    q.names.push_back(p);
  }
  const std::string info = "SELECT name FROM pragma_table_info(" + literal(table) + ")";
  for (const auto& c : first_column(db, info, store))
    if (c != "scenario") {  // the id column; the scenario's own columns come first
      q.sql += ", t." + quoted(c);
      q.names.push_back(header(units, table, c));
    }
  std::string in;
  for (const auto& p : l.tables.at(table)) in += (in.empty() ? "" : ", ") + literal(p);
  q.sql = "SELECT " + q.sql + " FROM " + quoted(table) +
          " AS t JOIN scenarios AS s ON s.id = t.scenario AND s.pipeline IN (" + in +
          ") WHERE s.status = 'ok' ORDER BY s.id, s.pipeline, t.rowid";
  return q;
}

std::string csv_text(const std::vector<std::string>& names, const std::vector<BlockColumn>& cols) {
  std::vector<sdk::Column> built;
  for (std::size_t i = 0; i < cols.size(); ++i) built.push_back(cols[i].build(names[i]));
  std::ostringstream out;
  sdk::write_csv(sdk::Table(std::move(built)), out);
  return out.str();
}

/// Writes the query's rows as CSV, a block of rows at a time (memory stays bounded however many
/// scenarios the store holds); returns the number of rows.
std::size_t write_rows(sqlite3* db, const Query& q, std::ostream& out, const std::string& store) {
  constexpr std::size_t kBlockRows = 1 << 16;
  Stmt st = prepare(db, q.sql, store);
  std::vector<BlockColumn> cols(q.names.size());
  const std::size_t header = csv_text(q.names, cols).size();  // a block's text starts with it
  out << csv_text(q.names, cols);
  std::size_t rows = 0, in_block = 0;
  auto flush = [&] {
    const std::string text = csv_text(q.names, cols);
    out.write(text.data() + header, static_cast<std::streamsize>(text.size() - header));
    for (auto& c : cols) c.clear();
    in_block = 0;
  };
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    for (std::size_t i = 0; i < cols.size(); ++i) cols[i].add(st.get(), static_cast<int>(i));
    ++rows;
    if (++in_block == kBlockRows) flush();
  }
  if (rc != SQLITE_DONE) refuse(store + ": " + sqlite3_errmsg(db));
  if (in_block) flush();
  return rows;
}

[[noreturn]] void exists_error(const fs::path& target, const std::string& what) {
  refuse(target.string() + ": exists; klaster batch export writes only a new " + what +
         " and never replaces one: remove it or name another with -o");
}

fs::path beside(const fs::path& target, const std::string& suffix) {
  return target.parent_path() /
         ("." + target.filename().string() + suffix + std::to_string(::getpid()));
}

void create_parent(const fs::path& target) {
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) refuse(target.string() + ": cannot create its folder: " + ec.message());
}

using Writer = std::function<std::size_t(std::ostream&)>;

/// Writes `file` completely, or throws with nothing left of it.
std::size_t write_whole(const fs::path& file, const Writer& write) {
  std::ofstream f(file, std::ios::binary);
  if (!f) refuse(file.string() + ": cannot write: " + std::strerror(errno));
  const std::size_t rows = write(f);
  f.close();
  if (!f) refuse(file.string() + ": write failed: " + std::strerror(errno));
  return rows;
}

/// A new file: written beside the target, then hard-linked into place, which fails rather than
/// replace a file that appeared meanwhile.
std::size_t write_new_file(const fs::path& target, const Writer& write) {
  std::error_code ec;
  if (fs::symlink_status(target, ec).type() != fs::file_type::not_found)
    exists_error(target, "file");
  create_parent(target);
  const fs::path tmp = beside(target, ".tmp-");
  std::size_t rows = 0;
  try {
    rows = write_whole(tmp, write);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  const int rc = ::link(tmp.c_str(), target.c_str()), err = errno;
  fs::remove(tmp, ec);
  if (rc != 0 && err == EEXIST) exists_error(target, "file");
  if (rc != 0) refuse(target.string() + ": cannot write: " + std::strerror(err));
  return rows;
}

bool is_empty_folder(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() == fs::file_type::directory && fs::is_empty(p, ec);
}

/// A new (or empty) folder: the files are written into a stage beside it, which is renamed into
/// place; rename(2) fails rather than replace a folder that is not empty. The folder's lock is held
/// as `klaster run --out` holds it (output_folder.hpp), so what a killed export or run left beside
/// it can be removed.
std::vector<std::size_t> write_new_folder(
    const fs::path& target, const std::vector<std::pair<std::string, Writer>>& files) {
  create_parent(target);
  const fs::path real = resolved_path(target);  // a link to a folder is followed, as by run --out
  const OutputLock lock(lock_path(real), target);
  remove_stale_stages(real);
  std::error_code ec;
  if (fs::symlink_status(real, ec).type() != fs::file_type::not_found && !is_empty_folder(real))
    exists_error(target, "folder (or fills an empty one)");
  const fs::path stage = stage_path(real, ::getpid());
  if (!fs::create_directory(stage, ec) || ec)
    refuse(target.string() + ": cannot create " + stage.string() + ": " + ec.message());
  std::vector<std::size_t> rows;
  try {
    for (const auto& [name, write] : files) rows.push_back(write_whole(stage / name, write));
  } catch (...) {
    fs::remove_all(stage, ec);
    throw;
  }
  const int rc = ::rename(stage.c_str(), real.c_str()), err = errno;
  if (rc == 0) return rows;
  fs::remove_all(stage, ec);
  if (err == ENOTEMPTY || err == EEXIST || err == ENOTDIR) exists_error(target, "folder");
  refuse(target.string() + ": cannot write: " + std::strerror(err));
}

std::string rows_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

}  // namespace

std::string export_store(const ExportOptions& o) {
  if (o.format != "csv") refuse("--format '" + o.format + "': only csv is written");
  const bool one_file = o.tables.size() == 1 && !o.out.empty();
  if (!one_file && (o.out == "-" || fs::path(o.out).extension() == ".csv"))
    refuse("-o " + o.out +
           ": name exactly one --table to write one CSV file; several go to a folder");
  const Db db = open_store(o.store);
  const Layout l = read_layout(db.get(), o.store);
  const std::vector<std::string> tables = chosen_tables(l, o);
  const StoreUnits units = store_units(db.get(), o.store);
  if (tables.empty()) refuse(o.store + ": no output tables yet (no scenario has been stored)");
  auto writer = [&](const std::string& t) -> Writer {
    return [&, t](std::ostream& out) {
      return write_rows(db.get(), export_query(db.get(), l, t, o.store, units), out, o.store);
    };
  };
  if (o.out == "-") {
    writer(tables[0])(std::cout);
    std::cout.flush();
    return "";
  }
  if (one_file)
    return o.store + ": " + tables[0] + " (" + rows_text(write_new_file(o.out, writer(tables[0]))) +
           " of ok scenarios) written to " + o.out + "\n";
  const fs::path store(o.store);
  const fs::path dir =
      o.out.empty() ? store.parent_path() / (store.stem().string() + "_export") : fs::path(o.out);
  std::vector<std::pair<std::string, Writer>> files;
  for (const auto& t : tables) files.emplace_back(t + ".csv", writer(t));
  const std::vector<std::size_t> rows = write_new_folder(dir, files);
  std::string list;
  for (std::size_t i = 0; i < files.size(); ++i)
    list += (i ? ", " : "") + files[i].first + " (" + rows_text(rows[i]) + ")";
  return o.store + ": rows of ok scenarios written to " + dir.string() + "/: " + list + "\n";
}

}  // namespace klaster
