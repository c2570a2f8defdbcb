// `klaster export RUN_DIR --format xlsx`: the run's tables as sheets of one workbook, with a
// manifest sheet from run.json, units in the headers and names beside codes (docs/export.md).
#include "export.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "klaster/sdk/csv.hpp"
#include "labels.hpp"
#include "output_folder.hpp"
#include "zip_member.hpp"

namespace klaster {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

/// Rows of data a sheet holds below its header row.
constexpr std::size_t kMaxSheetRows = LXW_ROW_MAX - 1;

struct TableEntry {
  std::string name, file, sheet;
  std::size_t rows = 0;  // as run.json records it
  std::map<std::string, std::string> units;
};

/// run.json of `dir`, which must be a klaster output folder.
json read_run_record(const fs::path& dir) {
  const std::string shown = dir.string();
  if (!fs::is_directory(dir))
    throw HostError(kExitPipeline, shown + ": not a folder (expected a klaster run folder)");
  std::ifstream in(dir / "run.json", std::ios::binary);
  json j;
  try {
    if (in) j = json::parse(in);
  } catch (const json::exception&) {
    j = json();
  }
  const bool ours =
      j.is_object() && (j.value("written_by", "") == "klaster" || j.contains("klaster_version"));
  if (!ours || !j.contains("steps") || !j["steps"].is_array())
    throw HostError(kExitPipeline, shown + ": not a klaster run folder (no run.json written by " +
                                       "klaster); give the folder `klaster run` wrote");
  return j;
}

std::string text_of(const json& j, const std::string& key) {
  if (!j.contains(key)) return {};
  const json& v = j.at(key);
  return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string() : v.dump();
}

std::vector<TableEntry> written_tables(const json& run) {
  std::vector<TableEntry> out;
  for (const auto& step : run["steps"])
    for (const auto& t : step.value("tables_written", json::array())) {
      TableEntry e{
          text_of(t, "table"), text_of(t, "file"), "", t.value("rows", std::size_t{0}), {}};
      if (t.contains("units") && t["units"].is_object())
        e.units = t["units"].get<std::map<std::string, std::string>>();
      out.push_back(std::move(e));
    }
  return out;
}

/// The workbook's path: -o, else <RUN_DIR>.xlsx beside the folder (a file inside the run folder
/// would make it a folder holding a file `klaster run` did not write, which it refuses to replace).
fs::path output_path(const ExportRequest& r) {
  fs::path run = r.run_dir;
  if (!run.has_filename()) run = run.parent_path();
  const fs::path out = r.out.empty() ? fs::path(run.string() + ".xlsx") : r.out;
  const fs::path real_out = resolved_path(out), real_run = resolved_path(run);
  const auto rel = real_out.lexically_relative(real_run);
  if (!rel.empty() && *rel.begin() != "..")
    throw HostError(kExitPipeline, out.string() + ": refusing to write inside the run folder " +
                                       run.string() + " (klaster would not replace that folder " +
                                       "again); choose a file outside it");
  if (fs::is_directory(out))
    throw HostError(kExitPipeline, out.string() + ": is a folder; give -o a file name");
  // Checked here because libxlsxwriter would only fail at the end, printing its own line and
  // blaming permissions.
  if (const fs::path dir = out.parent_path(); !dir.empty() && !fs::is_directory(dir))
    throw HostError(kExitPipeline, out.string() + ": its folder " + dir.string() +
                                       " does not exist; create it or choose another -o");
  if (fs::exists(out) && !is_klaster_workbook(out))
    throw HostError(kExitPipeline, out.string() + ": refusing to replace this file: klaster " +
                                       "export did not write it; choose another -o FILE");
  return out;
}

/// A table file read with every column as text (numbers are recognised per column afterwards).
sdk::Table read_table(const fs::path& dir, const TableEntry& t) {
  const fs::path file = dir / t.file;
  try {
    std::vector<sdk::CsvColumnSpec> columns;
    for (const auto& name : sdk::read_csv_header(file, {}))
      columns.push_back({name, sdk::ColumnType::kString});
    return sdk::read_csv(file, columns, {});
  } catch (const std::exception& e) {
    throw HostError(kExitDataset, std::string(e.what()) + " (table '" + t.name + "' of the run)");
  }
}

/// A cell that reads whole as a finite number and has no leading zeros ("01" is a code).
bool is_number(std::string_view s, double& v) {
  if (s.empty() || s.front() == '+') return false;
  const std::size_t digit = s.front() == '-' ? 1 : 0;
  if (s.size() > digit + 1 && s[digit] == '0' &&
      std::isdigit(static_cast<unsigned char>(s[digit + 1])))
    return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(v);
}

/// Whether every cell of `c` is missing or a number (then it is written as numbers).
bool numeric_column(const sdk::Column& c) {
  double v = 0;
  for (std::size_t r = 0; r < c.size(); ++r)
    if (c.is_valid(r) && !is_number(c.str(r), v)) return false;
  return true;
}

/// The workbook being written: libxlsxwriter's handle, the bold header format, and the temporary
/// file, removed unless the workbook was closed and renamed into place.
class Workbook {
 public:
  explicit Workbook(const fs::path& tmp) : tmp_(tmp) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;  // rows go to disk as written: large tables fit
    wb_ = workbook_new_opt(tmp.c_str(), &options);
    if (wb_ == nullptr) throw HostError(kExitPipeline, tmp.string() + ": cannot create the file");
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    workbook_set_custom_property_string(wb_, "written_by", "klaster");
  }
  ~Workbook() {
    if (wb_ != nullptr) workbook_close(wb_);
    std::error_code ec;
    if (!done_) fs::remove(tmp_, ec);
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  lxw_worksheet* sheet(const std::string& name) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (ws == nullptr) throw HostError(kExitPipeline, "cannot add sheet '" + name + "'");
    return ws;
  }
  lxw_format* bold() const { return bold_; }
  /// Closes the workbook and renames it to `out` (atomic: `out` is the old file or the new one).
  void finish(const fs::path& out) {
    errno = 0;
    const lxw_error rc = workbook_close(wb_);
    const int err = errno;  // the system's reason (a full disk), which lxw_strerror does not give
    wb_ = nullptr;
    if (rc != LXW_NO_ERROR)
      throw HostError(kExitPipeline, out.string() + ": cannot write the workbook: " +
                                         (err ? std::string(std::strerror(err)) + " (" : "") +
                                         lxw_strerror(rc) + (err ? ")" : ""));
    std::error_code ec;
    fs::rename(tmp_, out, ec);
    if (ec) throw HostError(kExitPipeline, out.string() + ": cannot write: " + ec.message());
    done_ = true;
  }

 private:
  fs::path tmp_;
  lxw_workbook* wb_ = nullptr;
  lxw_format* bold_ = nullptr;
  bool done_ = false;
};

/// Writes `cells` as one row; bold when `header`.
void write_row(Workbook& wb, lxw_worksheet* ws, lxw_row_t row,
               const std::vector<std::string>& cells, bool header = false) {
  for (std::size_t c = 0; c < cells.size(); ++c)
    worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), cells[c].c_str(),
                           header ? wb.bold() : nullptr);
}

/// The header of a code column's names: "region name" (en), "region: название" (ru).
std::string name_header(const std::string& column, const std::string& lang) {
  return lang == "ru" ? column + ": название" : column + " name";
}

/// How the columns of one table go to its sheet.
struct SheetLayout {
  std::vector<const sdk::Column*> cols;
  std::vector<bool> numeric, named;  // per column: written as numbers; followed by its names
  std::vector<std::string> header;   // per sheet column
};

SheetLayout sheet_layout(const TableEntry& t, const sdk::Table& table, const Labels& labels) {
  SheetLayout l;
  for (const auto& c : table.columns()) {
    l.cols.push_back(&c);
    l.named.push_back(labels.covers(c.name));
    l.numeric.push_back(!l.named.back() && numeric_column(c));
    const auto unit = t.units.find(c.name);
    l.header.push_back(unit == t.units.end() ? c.name : c.name + " (" + unit->second + ")");
    if (l.named.back()) l.header.push_back(name_header(c.name, labels.lang()));
  }
  return l;
}

/// Writes one text cell; a text longer than Excel takes (32767 characters) is an error naming
/// the cell, not a silently empty cell.
void write_text(lxw_worksheet* ws, lxw_row_t y, lxw_col_t x, const std::string& text,
                const TableEntry& t, const std::string& column) {
  if (text.empty()) return;
  if (worksheet_write_string(ws, y, x, text.c_str(), nullptr) == LXW_NO_ERROR) return;
  throw HostError(kExitPipeline,
                  "table '" + t.name + "', column '" + column + "', row " + std::to_string(y) +
                      ": a text of " + std::to_string(text.size()) + " bytes does not fit an " +
                      "Excel cell (32767 characters): use its CSV file (" + t.file + ")");
}

/// One table as a sheet: header (names, units, name columns), then the rows, numbers as numbers.
void write_table_sheet(Workbook& wb, const TableEntry& t, const sdk::Table& table,
                       const Labels& labels) {
  lxw_worksheet* ws = wb.sheet(t.sheet);
  const SheetLayout l = sheet_layout(t, table, labels);
  write_row(wb, ws, 0, l.header, true);
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_set_column(ws, 0, static_cast<lxw_col_t>(l.header.size()), 16, nullptr);
  double v = 0;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const lxw_row_t y = static_cast<lxw_row_t>(r + 1);
    lxw_col_t x = 0;
    for (std::size_t c = 0; c < l.cols.size(); ++c, ++x) {
      const std::string& name = l.cols[c]->name;
      const std::string cell(l.cols[c]->is_valid(r) ? l.cols[c]->str(r) : std::string_view{});
      if (l.numeric[c] && is_number(cell, v))
        worksheet_write_number(ws, y, x, v, nullptr);
      else
        write_text(ws, y, x, cell, t, name);
      if (l.named[c]) write_text(ws, y, ++x, cell.empty() ? "" : labels.name(name, cell), t, name);
    }
  }
}

/// Key-value rows of the manifest sheet: the pipeline, the dataset, the versions.
std::vector<std::vector<std::string>> run_facts(const json& run, const std::string& labels) {
  const json p = run.value("pipeline", json::object()), d = run.value("dataset", json::object());
  std::string overrides;
  for (const auto& o : p.value("overrides", json::array()))
    overrides += (overrides.empty() ? "" : "; ") + o.get<std::string>();
  return {{"pipeline", text_of(p, "name")},
          {"pipeline file", text_of(p, "file")},
          {"pipeline sha256", text_of(p, "sha256")},
          {"overrides (--set)", overrides},
          {"dataset", text_of(d, "name")},
          {"dataset source", text_of(d, "source")},
          {"dataset manifest", text_of(d, "manifest")},
          {"dataset manifest sha256", text_of(d, "manifest_sha256")},
          {"klaster version", text_of(run, "klaster_version")},
          {"SDK ABI version", text_of(run, "sdk_abi_version")},
          {"started at (UTC)", text_of(run, "started_at")},
          {"wall seconds", text_of(run, "wall_seconds")},
          {"names of codes", labels}};
}

/// Writes a titled block (bold title and header row, then `rows`) from row `row` on; returns the
/// row after it and a blank row.
lxw_row_t write_block(Workbook& wb, lxw_worksheet* ws, lxw_row_t row, const std::string& title,
                      const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows) {
  write_row(wb, ws, row++, {title}, true);
  if (!header.empty()) write_row(wb, ws, row++, header, true);
  for (const auto& r : rows) write_row(wb, ws, row++, r);
  return row + 1;
}

std::vector<std::vector<std::string>> step_rows(const json& run) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : run["steps"]) {
    std::string tables;
    for (const auto& t : s.value("tables_written", json::array()))
      tables +=
          (tables.empty() ? "" : ", ") + text_of(t, "table") + " (" + text_of(t, "rows") + " rows)";
    rows.push_back({text_of(s, "id"), text_of(s, "plugin"), text_of(s, "plugin_version"),
                    text_of(s, "status"), text_of(s, "wall_seconds"),
                    s.value("params", json::object()).dump(), tables, text_of(s, "plugin_sha256")});
  }
  return rows;
}

void write_manifest_sheet(Workbook& wb, const json& run, const std::vector<TableEntry>& tables,
                          const std::string& labels) {
  lxw_worksheet* ws = wb.sheet("manifest");
  worksheet_set_column(ws, 0, 0, 26, nullptr);
  worksheet_set_column(ws, 1, 7, 30, nullptr);
  lxw_row_t row = write_block(wb, ws, 0, "klaster run", {}, run_facts(run, labels));
  row = write_block(wb, ws, row, "Steps",
                    {"step", "plugin", "version", "status", "wall seconds", "parameters",
                     "tables written", "plugin sha256"},
                    step_rows(run));
  std::vector<std::vector<std::string>> files, sheets;
  for (const auto& f : run.value("dataset", json::object()).value("files", json::array()))
    files.push_back({text_of(f, "table"), text_of(f, "file"), text_of(f, "sha256")});
  row = write_block(wb, ws, row, "Dataset files", {"table", "file", "sha256"}, files);
  for (const auto& t : tables) sheets.push_back({t.sheet, t.name, t.file});
  write_block(wb, ws, row, "Sheets (Excel cuts sheet names at 31 characters)",
              {"sheet", "table", "file"}, sheets);
}

/// The labels of the run's dataset, or none (with the reason for the manifest sheet) when its
/// manifest is gone.
Labels run_labels(const json& run, const std::string& lang, std::string& note) {
  const fs::path manifest = text_of(run.value("dataset", json::object()), "manifest");
  if (manifest.empty() || !fs::exists(manifest)) {
    note = "none: the dataset manifest " + manifest.string() + " was not found";
    return Labels(lang);
  }
  note = "from " + manifest.string() + " (" + lang + ")";
  return load_labels(manifest, lang);
}

}  // namespace

std::vector<std::string> sheet_names(const std::vector<std::string>& tables,
                                     const std::string& reserved) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  std::vector<std::string> taken{lower(reserved)}, out;
  auto free = [&](const std::string& s) {
    return std::find(taken.begin(), taken.end(), lower(s)) == taken.end();
  };
  for (const auto& t : tables) {
    std::string name = t.substr(0, LXW_SHEETNAME_MAX);
    for (int n = 1; !free(name); ++n) {
      const std::string suffix = "~" + std::to_string(n);
      name = t.substr(0, LXW_SHEETNAME_MAX - suffix.size()) + suffix;
    }
    taken.push_back(lower(name));
    out.push_back(name);
  }
  return out;
}

bool is_klaster_workbook(const fs::path& path) {
  const auto props = zip_member(path, "docProps/custom.xml");
  return props && props->find("name=\"written_by\"") != std::string::npos &&
         props->find(">klaster<") != std::string::npos;
}

}  // namespace klaster

namespace klaster {

fs::path export_run(const ExportRequest& r) {
  if (r.format != "xlsx")
    throw HostError(kExitPipeline, "--format " + r.format + ": unknown format; expected xlsx");
  if (r.lang != "en" && r.lang != "ru")
    throw HostError(kExitPipeline, "--lang " + r.lang + ": expected en or ru");
  const json run = read_run_record(r.run_dir);
  const fs::path out = output_path(r);
  std::vector<TableEntry> tables = written_tables(run);
  std::vector<std::string> names;
  for (const auto& t : tables) names.push_back(t.name);
  const auto sheets = sheet_names(names, "manifest");
  for (std::size_t i = 0; i < tables.size(); ++i) tables[i].sheet = sheets[i];
  for (const auto& t : tables)  // before anything is read or written
    if (t.rows > kMaxSheetRows)
      throw HostError(kExitPipeline, "table '" + t.name + "' has " + std::to_string(t.rows) +
                                         " rows; an Excel sheet holds at most 1048575 below its " +
                                         "header: use its CSV file (" + t.file + ")");
  std::vector<sdk::Table> data;
  for (const auto& t : tables) data.push_back(read_table(r.run_dir, t));
  std::string note;
  const Labels labels = run_labels(run, r.lang, note);
  const fs::path tmp =
      out.parent_path() / ("." + out.filename().string() + ".tmp-" + std::to_string(::getpid()));
  Workbook wb(tmp);
  write_manifest_sheet(wb, run, tables, note);
  for (std::size_t i = 0; i < tables.size(); ++i) write_table_sheet(wb, tables[i], data[i], labels);
  wb.finish(out);
  return out;
}

}  // namespace klaster
