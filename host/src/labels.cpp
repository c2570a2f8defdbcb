// The [labels.NAME] sections of dataset.toml (checked when the manifest is read) and the names
// they give to codes. Includes toml11 through toml_support.hpp, like config_reader.cpp.
#include "labels.hpp"

#include <algorithm>
#include <toml.hpp>

#include "errors.hpp"
#include "pipeline.hpp"
#include "toml_support.hpp"

namespace klaster {

namespace fs = std::filesystem;

std::string Labels::name(const std::string& column, const std::string& code) const {
  const auto sets = sets_of_column_.find(column);
  if (sets == sets_of_column_.end()) return {};
  for (const auto& set : sets->second) {
    const auto& names = names_.at(set);
    if (const auto it = names.find(code); it != names.end()) return it->second;
  }
  return {};
}

bool Labels::covers(const std::string& column) const { return sets_of_column_.count(column) > 0; }

std::string Labels::label_set(const std::string& column, const std::string& code) const {
  const auto sets = sets_of_column_.find(column);
  if (sets == sets_of_column_.end()) return {};
  for (const auto& set : sets->second)
    if (names_.at(set).count(code) > 0) return set;
  return {};
}

void Labels::add(const std::string& set, const std::vector<std::string>& columns,
                 std::map<std::string, std::string> names) {
  // A column two sets name (an `industry` column holds OKED sections in one table and IO
  // products in another) must not find a code in both: its name would depend on the order.
  for (const auto& c : columns)
    for (const auto& other : sets_of_column_[c])
      for (const auto& [code, text] : names)
        if (names_.at(other).count(code) > 0)
          throw HostError(kExitDataset, "[labels." + other + "] and [labels." + set +
                                            "] both name column '" + c + "' and both list code '" +
                                            code + "': a code must have one name");
  for (const auto& c : columns) sets_of_column_[c].push_back(set);
  names_[set] = std::move(names);
}

namespace detail {
namespace {

const std::vector<std::string> kLanguages = {"en", "ru"};

const TableManifest& label_table(const toml::value& t, const DatasetManifest& dataset,
                                 const std::string& file, const std::string& w) {
  const std::string name = get_string(t, "table", file, w, kExitDataset, true);
  std::vector<std::string> names;
  for (const auto& m : dataset.tables) {
    if (m.name == name && m.layout == "long") return m;
    names.push_back(m.name);
  }
  std::string msg = "'table'" + w + ": the dataset has no table '" + name + "'";
  if (auto near = sdk::nearest(name, names); !near.empty())
    msg += " (did you mean '" + near + "'?)";
  for (const auto& m : dataset.tables)
    if (m.name == name)
      msg = "'table'" + w + ": table '" + name + "' is a matrix, not a list of codes";
  fail(kExitDataset, location_of(t.at("table"), file), msg);
}

/// The column `key` of `t` names, which must be a column of `table` (of type string when `text`).
std::string label_column(const toml::value& t, const std::string& key, const TableManifest& table,
                         bool text, const std::string& file, const std::string& w) {
  const std::string name = get_string(t, key, file, w, kExitDataset, true);
  const sdk::Schema schema = table.schema();
  const auto type = schema.type_of(name);
  std::string msg;
  if (!type) {
    msg = "'" + key + "'" + w + ": table '" + table.name + "' has no column '" + name + "'";
    if (auto near = sdk::nearest(name, schema.names()); !near.empty())
      msg += " (did you mean '" + near + "'?)";
  } else if (text && *type != sdk::ColumnType::kString) {
    msg = "'" + key + "'" + w + ": column '" + name + "' of table '" + table.name +
          "' must be declared \"string\"";
  } else if (*type == sdk::ColumnType::kFloat) {
    msg = "'" + key + "'" + w + ": codes cannot be floats (column '" + name + "' of table '" +
          table.name + "')";
  }
  if (!msg.empty()) fail(kExitDataset, location_of(t.at(key), file), msg);
  return name;
}

/// `columns = ["region", ...]`: a non-empty list of output column names, each named once.
std::vector<std::string> label_columns(const toml::value& t, const std::string& file,
                                       const std::string& w) {
  const std::string form = "'columns'" + w + " must be a non-empty list of column names";
  if (!t.contains("columns")) fail(kExitDataset, location_of(t, file), "missing " + form);
  const toml::value& v = t.at("columns");
  if (!v.is_array() || v.as_array().empty()) fail(kExitDataset, location_of(v, file), form);
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    const std::string c = e.is_string() ? std::string(e.as_string()) : std::string();
    if (c.empty()) fail(kExitDataset, location_of(e, file), form);
    if (std::find(out.begin(), out.end(), c) != out.end())
      fail(kExitDataset, location_of(e, file), "column '" + c + "' is named twice" + w);
    out.push_back(c);
  }
  return out;
}

LabelManifest read_label_manifest(const std::string& name, const toml::value& t,
                                  const DatasetManifest& dataset, const std::string& file) {
  const std::string w = " in [labels." + name + "]";
  if (!t.is_table())
    fail(kExitDataset, location_of(t, file), "[labels." + name + "] must be a table");
  check_keys(t, {"table", "key", "en", "ru", "columns", "description"}, file, w, kExitDataset);
  LabelManifest m;
  m.name = name;
  m.loc = location_of(t, file);
  const TableManifest& table = label_table(t, dataset, file, w);
  m.table = table.name;
  m.key = label_column(t, "key", table, false, file, w);
  for (const auto& lang : kLanguages)
    if (lang == "en" || t.contains(lang))
      m.languages[lang] = label_column(t, lang, table, true, file, w);
  m.columns = label_columns(t, file, w);
  m.description = get_string(t, "description", file, w, kExitDataset, false);
  return m;
}

}  // namespace

std::vector<LabelManifest> read_label_manifests(const toml::value& root,
                                                const DatasetManifest& dataset) {
  std::vector<LabelManifest> out;
  if (!root.contains("labels")) return out;
  const std::string file = dataset.path.string();
  const toml::value& labels = root.at("labels");
  if (!labels.is_table())
    fail(kExitDataset, location_of(labels, file), "'labels' must hold [labels.NAME] sections");
  for (const auto& [name, t] : labels.as_table())
    out.push_back(read_label_manifest(name, t, dataset, file));
  return out;
}

}  // namespace detail

namespace {

/// code -> name of one label set; a code listed twice is a dataset error naming both rows.
std::map<std::string, std::string> read_names(const LabelManifest& m, const TableManifest& table,
                                              const std::string& lang) {
  const sdk::TablePtr t = load_dataset_table(table);
  const auto lc = m.languages.find(lang);
  const sdk::Column& key = t->column(m.key);
  const sdk::Column& name = t->column(lc == m.languages.end() ? m.languages.at("en") : lc->second);
  std::map<std::string, std::size_t> first;
  std::map<std::string, std::string> names;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    if (!key.is_valid(r)) continue;
    const std::string code = key.to_text(r);
    if (auto [it, fresh] = first.emplace(code, r); !fresh)
      throw HostError(kExitDataset, "[labels." + m.name + "]: code '" + code +
                                        "' is listed twice in column '" + m.key + "'" +
                                        t->lines_note(it->second, r) + " of table '" + table.name +
                                        "'");
    names[code] = std::string(name.is_valid(r) ? name.str(r) : std::string_view{});
  }
  return names;
}

}  // namespace

Labels load_labels(const DatasetManifest& dataset, const std::string& lang) {
  if (lang != "en" && lang != "ru")
    throw HostError(kExitPipeline, "--lang " + lang + ": expected en or ru");
  Labels labels(lang);
  for (const auto& m : dataset.labels) {
    const auto table = std::find_if(dataset.tables.begin(), dataset.tables.end(),
                                    [&](const TableManifest& t) { return t.name == m.table; });
    labels.add(m.name, m.columns, read_names(m, *table, lang));
  }
  return labels;
}

Labels load_labels(const fs::path& dataset_manifest, const std::string& lang) {
  const fs::path dir =
      fs::is_directory(dataset_manifest) ? dataset_manifest : dataset_manifest.parent_path();
  return load_labels(read_dataset_manifest(dir), lang);
}

}  // namespace klaster
