#include "pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "errors.hpp"
#include "geojson.hpp"
#include "klaster/sdk/step.hpp"
#include "placeholders.hpp"
#include "run_guard.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

/// "file:line: step 'id': message" with the caret context of `loc` (or of the step).
[[noreturn]] void step_fail(int code, const StepConfig& step, const Location* loc,
                            const std::string& message) {
  const Location& at = loc && loc->line ? *loc : step.loc;
  std::string text;
  if (loc && loc->line == 0 && !loc->file.empty())
    text = loc->file + ": step '" + step.id + "': " + message;  // --set
  else
    text = at.prefix() + ": step '" + step.id + "': " + message;
  if (auto ctx = at.context(); !ctx.empty() && !(loc && loc->line == 0 && !loc->file.empty()))
    text += "\n" + ctx;
  throw HostError(code, text);
}

const Location* param_location(const StepConfig& step, const std::string& param) {
  auto it = step.param_locs.find(param);
  return it == step.param_locs.end() ? nullptr : &it->second;
}

std::string table_list(const std::map<std::string, TableOrigin>& tables) {
  std::string out;
  for (const auto& [name, o] : tables) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::vector<std::string> table_names(const std::map<std::string, TableOrigin>& tables) {
  std::vector<std::string> out;
  for (const auto& [name, o] : tables) out.push_back(name);
  return out;
}

bool value_matches_type(const sdk::Value& v, sdk::ColumnType t) {
  switch (t) {
    case sdk::ColumnType::kString:
      return std::holds_alternative<std::string>(v);
    case sdk::ColumnType::kInt:
      return std::holds_alternative<std::int64_t>(v);
    case sdk::ColumnType::kFloat:
      return std::holds_alternative<double>(v) || std::holds_alternative<std::int64_t>(v);
  }
  return false;
}

}  // namespace

sdk::TablePtr load_dataset_table(const TableManifest& m) {
  try {
    auto table = std::make_shared<sdk::Table>(
        m.format == "geojson"  ? read_geojson(m.file, m.columns, m.csv)
        : m.layout == "matrix" ? sdk::read_matrix_csv(m.file, m.label_column, m.csv, m.skip_columns)
                               : sdk::read_csv(m.file, m.columns, m.csv));
    for (const auto& warning : sdk::case_conflicts(*table)) spdlog::warn("{}", warning);
    return table;
  } catch (const sdk::DataError& e) {
    std::string text = e.what();
    if (text.find("table '" + m.name + "'") == std::string::npos)
      text += " (dataset table '" + m.name + "')";
    throw HostError(kExitDataset, text);
  }
}

void check_where(const std::vector<WhereClause>& where, const sdk::Schema& schema,
                 const std::string& table,
                 const std::function<void(const WhereClause&, const std::string&)>& fail) {
  for (const auto& c : where) {
    auto type = schema.type_of(c.column);
    if (!type) {
      std::string msg = "where: column '" + c.column + "' is not in table '" + table + "'";
      if (auto near = sdk::nearest(c.column, schema.names()); !near.empty())
        msg += " (did you mean '" + near + "'?)";
      fail(c, msg);
    }
    for (const auto& v : c.values)
      if (!value_matches_type(v, *type))
        fail(c, "where: column '" + c.column + "' of table '" + table + "' holds " +
                    sdk::to_string(*type) + " values; " + sdk::to_text(v) + " cannot match");
  }
}

sdk::Table apply_where(const sdk::Table& table, const std::vector<WhereClause>& where) {
  if (where.empty()) return table;
  std::vector<std::uint8_t> keep(table.rows(), 1);
  for (const auto& c : where) {
    const sdk::Column& col = table.column(c.column);
    if (col.type == sdk::ColumnType::kString) {
      std::vector<std::uint8_t> code_ok(col.dict->size(), 0);
      for (const auto& v : c.values) {
        auto code = col.dict->find(std::get<std::string>(v));
        if (code >= 0) code_ok[static_cast<std::size_t>(code)] = 1;
      }
      for (std::size_t r = 0; r < table.rows(); ++r)
        if (col.codes[r] < 0 || !code_ok[static_cast<std::size_t>(col.codes[r])]) keep[r] = 0;
    } else {
      for (std::size_t r = 0; r < table.rows(); ++r) {
        if (!keep[r]) continue;
        if (!col.is_valid(r)) {
          keep[r] = 0;
          continue;
        }
        bool any = false;
        for (const auto& v : c.values) {
          const double want = std::holds_alternative<double>(v)
                                  ? std::get<double>(v)
                                  : static_cast<double>(std::get<std::int64_t>(v));
          if (col.type == sdk::ColumnType::kInt && std::holds_alternative<std::int64_t>(v))
            any = any || col.ints[r] == std::get<std::int64_t>(v);
          else
            any = any || col.number(r) == want;
        }
        if (!any) keep[r] = 0;
      }
    }
  }
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < keep.size(); ++r)
    if (keep[r]) rows.push_back(r);
  return table.take(rows);
}

namespace {

// ---- Validation, in named parts ----

void put_dataset_tables_in_scope(ValidatedPipeline& vp) {
  for (const auto& t : vp.dataset.tables)
    vp.tables[t.name] = TableOrigin{t.schema(), "", &t, dataset_units(t)};
}

/// Reads the dataset manifest, checks its files' headers and puts its tables in scope.
void add_dataset_tables(ValidatedPipeline& vp) {
  const PipelineConfig& cfg = vp.config;
  try {
    vp.dataset = read_dataset_manifest(cfg.dataset_dir);
  } catch (const HostError& e) {
    // Say which pipeline line pointed at the dataset.
    throw HostError(e.code(), std::string(e.what()) + "\n  (dataset named at " +
                                  cfg.dataset_loc.prefix() + ")");
  }
  for (const auto& t : vp.dataset.tables) {
    if (!fs::exists(t.file))
      throw HostError(kExitDataset, t.loc.prefix() + ": file of table '" + t.name +
                                        "' not found: " + t.file.string());
    if (t.format == "geojson") {
      // GeoJSON has no header to look at: read it whole (structure, geometries, property types).
      load_dataset_table(t);
    } else {
      // Check the header now, so validate finds a missing declared column without reading data.
      try {
        if (t.layout == "long")
          sdk::check_csv_header(t.file, t.columns, t.csv);
        else
          sdk::check_matrix_header(t.file, t.label_column, t.csv, t.skip_columns);
      } catch (const sdk::DataError& e) {
        throw HostError(kExitDataset, e.what());
      }
    }
  }
  put_dataset_tables_in_scope(vp);
}

/// The plugin a step names; fails listing the available ones when there is none.
const LoadedPlugin& find_plugin(const StepConfig& step, const PluginRegistry& plugins) {
  if (const LoadedPlugin* plugin = plugins.find(step.plugin)) return *plugin;
  std::string msg = "unknown plugin '" + step.plugin + "'";
  if (auto near = sdk::nearest(step.plugin, plugins.names()); !near.empty())
    msg += " (did you mean '" + near + "'?)";
  std::string list;
  for (const auto& n : plugins.names()) list += (list.empty() ? "" : ", ") + n;
  msg += "; available: " + (list.empty() ? std::string("none found") : list);
  step_fail(kExitPipeline, step, &step.plugin_loc, msg);
}

/// Takes the host parameter `output` out of the step's parameters and resolves the others against
/// the plugin's declaration.
void resolve_step_params(ValidatedStep& vs) {
  const StepConfig& step = *vs.config;
  std::map<std::string, sdk::Value> given = step.params;
  try {
    vs.output = sdk::take_output(given, step.id);
    vs.params = sdk::resolve_params(vs.plugin->info, given);
  } catch (const sdk::ParamError& e) {
    step_fail(kExitPipeline, step, param_location(step, e.param()), e.what());
  }
}

sdk::SchemaLookup schema_lookup(const ValidatedPipeline& vp) {
  return [&vp](std::string_view name) -> const sdk::Schema* {
    auto it = vp.tables.find(std::string(name));
    return it == vp.tables.end() ? nullptr : &it->second.schema;
  };
}

/// Checks that the step's table parameters name tables in scope and its column parameters columns.
void check_step_references(const ValidatedPipeline& vp, const ValidatedStep& vs) {
  const sdk::PluginInfo& info = vs.plugin->info;
  try {
    sdk::check_references(info, vs.params, schema_lookup(vp));
  } catch (const sdk::ParamError& e) {
    std::string msg = e.what();
    const auto* spec = info.find_param(e.param());
    if (spec && spec->type == sdk::ParamType::kTable) {
      const std::string& name = vs.params.str(e.param());
      if (auto near = sdk::nearest(name, table_names(vp.tables)); !near.empty())
        msg += " (did you mean '" + near + "'?)";
      msg += "; tables at this step: " + table_list(vp.tables);
    }
    step_fail(kExitPipeline, *vs.config, param_location(*vs.config, e.param()), msg);
  }
}

std::vector<std::string> table_params(const sdk::PluginInfo& info) {
  std::vector<std::string> out;
  for (const auto& spec : info.params)
    if (spec.type == sdk::ParamType::kTable) out.push_back(spec.name);
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

/// The table parameter a filter applies to: the plugin's primary input, or the one it names.
const sdk::ParamSpec& filtered_param(const ValidatedStep& vs, const TableFilter& f) {
  const sdk::PluginInfo& info = vs.plugin->info;
  const std::vector<std::string> tables = table_params(info);
  if (f.table_param.empty()) {
    if (const sdk::ParamSpec* primary = info.primary_input()) return *primary;
    step_fail(kExitPipeline, *vs.config, &f.loc,
              "where: plugin '" + info.name +
                  "' has no primary input, so a column = value filter has no table; " +
                  "name the table parameter, as in where = { <table parameter> = { " +
                  f.clauses.front().column + " = ... } } (table parameters: " + joined(tables) +
                  ")");
  }
  const sdk::ParamSpec* spec = info.find_param(f.table_param);
  if (spec && spec->type == sdk::ParamType::kTable) return *spec;
  std::string msg =
      "where: '" + f.table_param + "' is not a table parameter of plugin '" + info.name + "'";
  if (auto near = sdk::nearest(f.table_param, tables); !near.empty())
    msg += " (did you mean '" + near + "'?)";
  step_fail(kExitPipeline, *vs.config, &f.loc, msg + "; its table parameters: " + joined(tables));
}

/// Fails when another table parameter of the step names the filtered table: a step sees one copy of
/// each table, so filtering it for one parameter would filter it for both.
void check_filtered_table_not_shared(const ValidatedStep& vs, const TableFilter& f,
                                     const std::string& param) {
  const std::string& table = vs.params.str(param);
  for (const auto& other : table_params(vs.plugin->info))
    if (other != param && vs.params.has(other) && vs.params.str(other) == table)
      step_fail(
          kExitPipeline, *vs.config, &f.loc,
          "where: table '" + table + "' is named by both parameters '" + other + "' and '" + param +
              "'; a step reads one copy of a table, so it cannot filter it for one of them only");
}

/// The steps whose parameters `{STEP.PARAM}` may name: those validated so far, and `current`.
std::vector<const ValidatedStep*> steps_in_scope(const ValidatedPipeline& vp,
                                                 const ValidatedStep* current = nullptr) {
  std::vector<const ValidatedStep*> steps;
  for (const auto& s : vp.steps) steps.push_back(&s);
  if (current) steps.push_back(current);
  return steps;
}

/// The filter with `{STEP.PARAM}` in its values replaced (this step's and earlier steps' values).
TableFilter resolve_placeholders(const ValidatedPipeline& vp, const ValidatedStep& vs,
                                 const TableFilter& f) {
  TableFilter out = f;
  const auto steps = steps_in_scope(vp, &vs);
  for (auto& c : out.clauses) try {
      c = substitute(c, steps);
    } catch (const PlaceholderError& e) {
      step_fail(kExitPipeline, *vs.config, &c.loc, std::string("where: ") + e.what());
    }
  return out;
}

/// Resolves a step's `where` to the table parameters it filters and checks every clause against the
/// schema of its table. Clauses on the same table (plain ones and `where.<primary>`) are merged.
std::vector<StepFilter> resolve_filters(const ValidatedPipeline& vp, const ValidatedStep& vs) {
  const StepConfig& step = *vs.config;
  std::vector<StepFilter> out;
  for (const TableFilter& written : step.where) {
    const TableFilter f = resolve_placeholders(vp, vs, written);
    const std::string& param = filtered_param(vs, f).name;
    if (!vs.params.has(param))
      step_fail(kExitPipeline, step, &f.loc,
                "where: parameter '" + param + "' is not set, so there is no table to filter");
    const std::string& table = vs.params.str(param);
    check_where(f.clauses, vp.tables.at(table).schema, table,
                [&](const WhereClause& c, const std::string& msg) {
                  step_fail(kExitPipeline, step, &c.loc, msg);
                });
    if (f.clauses.empty()) continue;
    check_filtered_table_not_shared(vs, f, param);
    auto same =
        std::find_if(out.begin(), out.end(), [&](const StepFilter& s) { return s.param == param; });
    if (same == out.end()) same = out.insert(out.end(), StepFilter{param, table, {}});
    same->clauses.insert(same->clauses.end(), f.clauses.begin(), f.clauses.end());
  }
  return out;
}

/// Derives the step's output schemas from the plugin's writes, runs its bind() and keeps the tables
/// it will write.
void bind_step(const ValidatedPipeline& vp, ValidatedStep& vs) {
  const StepConfig& step = *vs.config;
  const auto lookup = schema_lookup(vp);
  sdk::Outputs derived;
  try {
    derived = sdk::derive_outputs(vs.plugin->info, vs.params, vs.output, lookup);
  } catch (const sdk::ParamError& e) {
    step_fail(kExitPipeline, step, param_location(step, e.param()),
              "plugin '" + step.plugin + "': " + e.what());
  }
  sdk::StepBindContext bind(step.id, vs.output, vs.params, lookup, std::move(derived));
  if (sdk::Status s = vs.plugin->entry->bind(&bind); s.code != sdk::StatusCode::kOk) {
    const int code = s.code == sdk::StatusCode::kDataError ? kExitDataset : kExitPipeline;
    step_fail(code, step, param_location(step, s.param),
              "plugin '" + step.plugin + "': " + s.message);
  }
  vs.outputs = bind.outputs();
}

/// Puts the step's declared outputs in scope; they must be new, usable names.
void add_step_outputs(ValidatedPipeline& vp, const ValidatedStep& vs) {
  const StepConfig& step = *vs.config;
  auto units = step_units(vs.plugin->info, vs.params, vs.output, vs.outputs, schema_lookup(vp),
                          [&](const std::string& t) -> const ColumnUnits* {
                            auto it = vp.tables.find(t);
                            return it == vp.tables.end() ? nullptr : &it->second.units;
                          });
  for (const auto& [name, schema] : vs.outputs) {
    if (!sdk::is_table_name(name))
      step_fail(kExitPipeline, step, nullptr,
                "plugin '" + step.plugin + "' declared an output table with an unusable name '" +
                    name + "'");
    if (auto it = vp.tables.find(name); it != vp.tables.end()) {
      const std::string owner =
          it->second.written_by.empty() ? "the dataset" : "step '" + it->second.written_by + "'";
      step_fail(kExitPipeline, step, param_location(step, std::string(sdk::kOutputParam)),
                "table '" + name + "' already exists (from " + owner +
                    "); tables are immutable: give this step another id or set params.output");
    }
    vp.tables[name] = TableOrigin{schema, step.id, nullptr, std::move(units[name])};
  }
}

ValidatedStep validate_step(ValidatedPipeline& vp, const StepConfig& step,
                            const PluginRegistry& plugins) {
  ValidatedStep vs;
  vs.config = &step;
  vs.plugin = &find_plugin(step, plugins);
  resolve_step_params(vs);
  check_step_references(vp, vs);
  vs.filters = resolve_filters(vp, vs);
  bind_step(vp, vs);
  for (const auto& spec : table_params(vs.plugin->info))
    if (vs.params.has(spec)) vp.last_use[vs.params.str(spec)] = vp.steps.size();
  add_step_outputs(vp, vs);
  return vs;
}

template <typename Fail>
void validate_summary_name(ValidatedPipeline& vp, const SummaryConfig& s, const SummaryName& n,
                           const Fail& fail) {
  if (!vp.tables.at(s.table).schema.has(n.column))
    fail(n.loc, "names: column '" + n.column + "' is not in table '" + s.table + "'");
  auto it = vp.tables.find(n.table);
  if (it == vp.tables.end())
    fail(n.loc, "names: table '" + n.table + "' does not exist; tables: " + table_list(vp.tables));
  for (const std::string& c : {n.key, n.name})
    if (!it->second.schema.has(c))
      fail(n.loc, "names: column '" + c + "' is not in table '" + n.table + "'");
  vp.last_use[n.table] = SIZE_MAX;
}

void validate_summary(ValidatedPipeline& vp, const SummaryConfig& s) {
  auto fail = [&](const Location& loc, const std::string& msg) {
    std::string text =
        loc.prefix() + ": summary '" + (s.title.empty() ? s.table : s.title) + "': " + msg;
    if (auto ctx = loc.context(); !ctx.empty()) text += "\n" + ctx;
    throw HostError(kExitPipeline, text);
  };
  auto it = vp.tables.find(s.table);
  if (it == vp.tables.end())
    fail(s.loc, "table '" + s.table + "' does not exist; tables: " + table_list(vp.tables));
  const sdk::Schema& schema = it->second.schema;
  check_where(s.where, schema, s.table,
              [&](const WhereClause& c, const std::string& msg) { fail(c.loc, msg); });
  for (const auto& c : s.columns)
    if (!schema.has(c)) fail(s.loc, "column '" + c + "' is not in table '" + s.table + "'");
  if (!s.sort.empty() && !schema.has(s.sort))
    fail(s.loc, "sort column '" + s.sort + "' is not in table '" + s.table + "'");
  for (const auto& n : s.names) validate_summary_name(vp, s, n, fail);
  vp.last_use[s.table] = SIZE_MAX;
}

/// Replaces `{STEP.PARAM}` in the summary's titles, notes and `where` values by the values the
/// steps use, so the summary printed after the run states them.
void resolve_placeholders(const ValidatedPipeline& vp, SummaryConfig& s) {
  const auto steps = steps_in_scope(vp);
  auto fail = [&](const Location& loc, const PlaceholderError& e) {
    const std::string& name = s.title.empty() ? s.table : s.title;  // substituted once it could be
    std::string text = (loc.line ? loc : s.loc).prefix() + ": summary '" + name + "': " + e.what();
    if (auto ctx = loc.context(); !ctx.empty()) text += "\n" + ctx;
    throw HostError(kExitPipeline, text);
  };
  auto text = [&](std::string& value, const Location& loc) {
    try {
      value = substitute(value, steps);
    } catch (const PlaceholderError& e) {
      fail(loc, e);
    }
  };
  text(s.title, s.title_loc);
  text(s.note, s.note_loc);
  text(s.title_ru, s.title_ru_loc);
  text(s.note_ru, s.note_ru_loc);
  for (auto& c : s.where) try {
      c = substitute(c, steps);
    } catch (const PlaceholderError& e) {
      fail(c.loc, e);
    }
}

/// Validates the steps and summaries of `vp`, whose dataset tables are in scope.
void validate_steps(ValidatedPipeline& vp, const PluginRegistry& plugins) {
  for (const auto& step : vp.config.steps) vp.steps.push_back(validate_step(vp, step, plugins));
  for (auto& s : vp.config.summaries) {
    resolve_placeholders(vp, s);
    validate_summary(vp, s);
  }
}

}  // namespace

ValidatedPipeline validate_pipeline(PipelineConfig config, const PluginRegistry& plugins) {
  ValidatedPipeline vp;
  vp.config = std::move(config);
  add_dataset_tables(vp);
  validate_steps(vp, plugins);
  return vp;
}

ValidatedPipeline validate_pipeline(PipelineConfig config, const PluginRegistry& plugins,
                                    const DatasetManifest& checked) {
  ValidatedPipeline vp;
  vp.config = std::move(config);
  vp.dataset = checked;
  put_dataset_tables_in_scope(vp);
  validate_steps(vp, plugins);
  return vp;
}

namespace {

// ---- Running, in named parts ----

using TableGetter = std::function<sdk::TablePtr(const std::string&)>;

/// The name of the table the step's primary input names, or "" when it has none.
std::string primary_table(const ValidatedStep& s) {
  const sdk::ParamSpec* primary = s.plugin->info.primary_input();
  return primary && s.params.has(primary->name) ? s.params.str(primary->name) : "";
}

/// Every table the step reads, by name, with the step's filters applied. Loading them before the
/// step starts reports a dataset problem as such (exit 3).
std::map<std::string, sdk::TablePtr> step_inputs(const ValidatedStep& s,
                                                 const TableGetter& get_table,
                                                 const std::string& who) {
  std::map<std::string, sdk::TablePtr> inputs;
  for (const auto& param : table_params(s.plugin->info))
    if (s.params.has(param)) inputs[s.params.str(param)] = get_table(s.params.str(param));
  for (const StepFilter& f : s.filters) {
    const sdk::TablePtr& all = inputs.at(f.table);
    auto kept = std::make_shared<sdk::Table>(apply_where(*all, f.clauses));
    spdlog::debug("{}: where keeps {} of {} rows of '{}'", who, kept->rows(), all->rows(), f.table);
    inputs[f.table] = kept;
  }
  return inputs;
}

/// "table 'X' (parameter 'p') has no rows", naming where the table came from: the `where` that
/// emptied it, or its file.
std::string empty_input_message(const ValidatedPipeline& vp, const ValidatedStep& s,
                                const sdk::ParamSpec& spec) {
  const std::string& table = s.params.str(spec.name);
  const std::string message = "table '" + table + "' (parameter '" + spec.name + "') has no rows";
  for (const StepFilter& f : s.filters)
    if (f.table == table)
      return message + " after the step's 'where' filter (" + f.clauses.front().loc.prefix() + ")";
  const auto origin = vp.tables.find(table);
  if (origin != vp.tables.end() && origin->second.manifest)
    return origin->second.manifest->file.string() + ": " + message + " (only a header)";
  return message;
}

/// A plugin's DataError message, followed by where its primary input came from.
/// The input table a plugin's DataError is about: the first of the step's tables its message
/// names as 'T' (an employment or reference table, say), else the primary input.
std::string table_of_message(const ValidatedStep& s, const std::string& message) {
  std::string first;
  std::size_t at = std::string::npos;
  for (const auto& param : table_params(s.plugin->info)) {
    if (!s.params.has(param)) continue;
    const auto pos = message.find("'" + s.params.str(param) + "'");
    if (pos < at) at = pos, first = s.params.str(param);
  }
  return first.empty() ? primary_table(s) : first;
}

std::string data_error_message(const ValidatedPipeline& vp, const ValidatedStep& s,
                               const std::string& message) {
  const std::string input = table_of_message(s, message);
  if (input.empty()) return message;
  auto o = vp.tables.find(input);
  std::string origin = o != vp.tables.end() && o->second.manifest
                           ? " (" + o->second.manifest->file.string() + ")"
                       : o != vp.tables.end() ? " (written by step '" + o->second.written_by + "')"
                                              : "";
  return message + "; input table '" + input + "'" + origin;
}

sdk::LogSink step_log(const std::string& id) {
  return [id](sdk::LogLevel level, std::string_view msg) {
    switch (level) {
      case sdk::LogLevel::kDebug:
        spdlog::debug("[{}] {}", id, msg);
        break;
      case sdk::LogLevel::kInfo:
        spdlog::info("[{}] {}", id, msg);
        break;
      case sdk::LogLevel::kWarn:
        spdlog::warn("[{}] {}", id, msg);
        break;
    }
  };
}

std::string written_text(const StepRecord& rec) {
  std::string w;
  for (const auto& [n, rows] : rec.tables_written)
    w += (w.empty() ? "" : ", ") + n + " (" + std::to_string(rows) + " rows)";
  return w;
}

/// Frees what no step after step `k` and no summary reads: written tables are on disk already.
void free_unused_tables(RunResult& result, const ValidatedPipeline& vp, std::size_t k) {
  for (auto it = result.tables.begin(); it != result.tables.end();) {
    auto use = vp.last_use.find(it->first);
    if (use == vp.last_use.end() || use->second <= k)
      it = result.tables.erase(it);
    else
      ++it;
  }
}

/// Fails (`fail(code, message)`) as the plugin's status says: a DataError is exit 3 naming the
/// input, a ParamError exit 2, anything else exit 1; a failed allocation says so plainly.
template <typename Fail>
void check_status(const ValidatedPipeline& vp, const ValidatedStep& s, const sdk::Status& status,
                  const Fail& fail) {
  if (status.code == sdk::StatusCode::kDataError)
    fail(kExitDataset, data_error_message(vp, s, status.message));
  if (status.code == sdk::StatusCode::kParamError) fail(kExitPipeline, status.message);
  if (status.code != sdk::StatusCode::kOk)
    fail(kExitStepFailed,
         status.message == "std::bad_alloc" ? out_of_memory_text() : status.message);
}

/// Fails the step when it wrote a NaN or an infinity: as a dataset error (exit 3) naming the input
/// column whose values add up past the largest double, when there is one, else as the plugin's.
template <typename Fail>
void check_results_finite(const std::map<std::string, sdk::TablePtr>& inputs,
                          const sdk::Written& written, const Fail& fail) {
  try {
    for (const auto& [name, table] : written) sdk::check_finite(name, *table);
  } catch (const sdk::Error& e) {
    try {
      sdk::check_input_sums(inputs);
    } catch (const sdk::DataError& overflow) {
      fail(kExitDataset, overflow.what());
    }
    fail(kExitStepFailed, e.what());
  }
}

/// Runs step `k`: loads and filters its inputs, runs the plugin, checks and hands on what it wrote.
void run_step(const ValidatedPipeline& vp, std::size_t k, RunResult& result,
              const TableGetter& get_table,
              const std::function<void(const std::string&, const sdk::Table&)>& on_table) {
  const ValidatedStep& s = vp.steps[k];
  const StepConfig& step = *s.config;
  StepRecord& rec = result.steps[k];
  const std::string who =
      "step '" + step.id + "' (plugin " + s.plugin->info.name + " " + s.plugin->info.version + ")";
  auto fail = [&](int code, const std::string& msg) {
    throw HostError(code, step.loc.prefix() + ": " + who + ": " + msg);
  };

  std::map<std::string, sdk::TablePtr> inputs = step_inputs(s, get_table, who);
  if (const sdk::ParamSpec* empty = sdk::first_empty_input(
          s.plugin->info, s.params,
          [&](const std::string& n) -> const sdk::Table& { return *inputs.at(n); }))
    fail(kExitDataset, empty_input_message(vp, s, *empty));

  sdk::StepRunContext ctx(
      step.id, s.output, s.params,
      [&](std::string_view name) -> sdk::TablePtr {
        auto it = inputs.find(std::string(name));
        return it != inputs.end() ? it->second : get_table(std::string(name));
      },
      step_log(step.id), s.outputs);
  spdlog::info("running {}", who);
  const auto start = std::chrono::steady_clock::now();
  set_running_step(who);  // for the message of a crash or an interrupt in the plugin
  const sdk::Status status = s.plugin->entry->run(&ctx);
  set_running_step("");
  rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check_status(vp, s, status, fail);
  try {
    sdk::check_written(s.plugin->info.name, s.outputs, ctx.written());
  } catch (const sdk::Error& e) {
    fail(kExitStepFailed, e.what());
  }
  check_results_finite(inputs, ctx.written(), fail);
  const auto write_start = std::chrono::steady_clock::now();
  for (auto& [name, table] : ctx.written()) {
    rec.tables_written.emplace_back(name, table->rows());
    result.tables[name] = table;
    on_table(name, *table);
  }
  spdlog::debug(
      "{}: outputs saved in {:.3f} s", who,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count());
  rec.status = "ok";
  free_unused_tables(result, vp, k);
  spdlog::info("{} wrote {} in {:.3f} s", who, written_text(rec), rec.seconds);
}

}  // namespace

namespace {

/// Dataset table `name`, from `cache` when it holds it, else loaded (and kept there).
sdk::TablePtr dataset_table(const std::string& name, const TableManifest& manifest,
                            DatasetCache* cache) {
  if (cache)
    if (auto c = cache->find({manifest.file, name}); c != cache->end()) return c->second;
  spdlog::debug("loading dataset table '{}' from {}", name, manifest.file.string());
  const auto start = std::chrono::steady_clock::now();
  sdk::TablePtr t = load_dataset_table(manifest);
  spdlog::info("loaded table '{}': {} rows in {:.3f} s", name, t->rows(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (cache) (*cache)[{manifest.file, name}] = t;
  return t;
}

}  // namespace

void preload_dataset(const ValidatedPipeline& vp, DatasetCache& cache) {
  for (const auto& [name, last] : vp.last_use)
    if (auto o = vp.tables.find(name); o != vp.tables.end() && o->second.manifest)
      dataset_table(name, *o->second.manifest, &cache);
}

RunResult run_pipeline(const ValidatedPipeline& vp,
                       const std::function<void(const std::string&, const sdk::Table&)>& on_table,
                       DatasetCache* cache) {
  RunResult result;
  for (const auto& s : vp.steps) {
    StepRecord rec;
    rec.id = s.config->id;
    rec.plugin = s.plugin->info.name;
    rec.plugin_version = s.plugin->info.version;
    rec.params = s.params;
    rec.status = "not run";
    result.steps.push_back(rec);
  }

  auto get_table = [&](const std::string& name) -> sdk::TablePtr {
    if (auto it = result.tables.find(name); it != result.tables.end()) return it->second;
    auto o = vp.tables.find(name);
    if (o == vp.tables.end() || !o->second.manifest) return nullptr;
    return result.tables[name] = dataset_table(name, *o->second.manifest, cache);
  };

  for (std::size_t k = 0; k < vp.steps.size(); ++k) run_step(vp, k, result, get_table, on_table);
  // Summaries may show dataset tables no step read, and look names up in them.
  for (const auto& s : vp.config.summaries) {
    get_table(s.table);
    for (const auto& n : s.names) get_table(n.table);
  }
  return result;
}

}  // namespace klaster
