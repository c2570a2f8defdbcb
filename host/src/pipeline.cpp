#include "pipeline.hpp"

#include <algorithm>
#include <regex>
#include <spdlog/spdlog.h>

#include "errors.hpp"
#include "klaster/sdk/step.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

/// "file:line: step 'id': message" with the caret context of `loc` (or of the step).
[[noreturn]] void step_fail(int code, const StepConfig& step, const Location* loc, const std::string& message) {
  const Location& at = loc && loc->line ? *loc : step.loc;
  std::string text;
  if (loc && loc->line == 0 && !loc->file.empty()) text = loc->file + ": step '" + step.id + "': " + message;  // --set
  else text = at.prefix() + ": step '" + step.id + "': " + message;
  if (auto ctx = at.context(); !ctx.empty() && !(loc && loc->line == 0 && !loc->file.empty())) text += "\n" + ctx;
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
    case sdk::ColumnType::kString: return std::holds_alternative<std::string>(v);
    case sdk::ColumnType::kInt: return std::holds_alternative<std::int64_t>(v);
    case sdk::ColumnType::kFloat:
      return std::holds_alternative<double>(v) || std::holds_alternative<std::int64_t>(v);
  }
  return false;
}

/// Checks where clauses against a schema; returns an error message or "".
void check_where(const std::vector<WhereClause>& where, const sdk::Schema& schema,
                 const std::string& table, const std::function<void(const WhereClause&, const std::string&)>& fail) {
  for (const auto& c : where) {
    auto type = schema.type_of(c.column);
    if (!type) {
      std::string msg = "where: column '" + c.column + "' is not in table '" + table + "'";
      if (auto near = sdk::nearest(c.column, schema.names()); !near.empty()) msg += " (did you mean '" + near + "'?)";
      fail(c, msg);
    }
    for (const auto& v : c.values)
      if (!value_matches_type(v, *type))
        fail(c, "where: column '" + c.column + "' of table '" + table + "' holds " + sdk::to_string(*type) +
                    " values; " + sdk::to_text(v) + " cannot match");
  }
}

/// Names where an empty input table came from: its file, or the `where` that emptied it.
std::string empty_input_message(const ValidatedPipeline& vp, const StepConfig& step,
                                const std::string& input, const std::string& message) {
  if (!step.where.empty() && message.find("table '" + input + "'") == 0)
    return message + " after the step's 'where' filter (" + step.where.front().loc.prefix() + ")";
  for (const auto& [name, origin] : vp.tables)
    if (origin.manifest && message.find("table '" + name + "'") == 0)
      return origin.manifest->file.string() + ": " + message + " (only a header)";
  return message;
}

}  // namespace

sdk::TablePtr load_dataset_table(const TableManifest& m) {
  try {
    auto table = std::make_shared<sdk::Table>(
        m.layout == "matrix" ? sdk::read_matrix_csv(m.file, m.label_column, m.csv)
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
          const double want = std::holds_alternative<double>(v) ? std::get<double>(v)
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

ValidatedPipeline validate_pipeline(PipelineConfig config, const PluginRegistry& plugins) {
  ValidatedPipeline vp;
  vp.config = std::move(config);
  const PipelineConfig& cfg = vp.config;

  try {
    vp.dataset = read_dataset_manifest(cfg.dataset_dir);
  } catch (const HostError& e) {
    // Say which pipeline line pointed at the dataset.
    throw HostError(e.code(), std::string(e.what()) + "\n  (dataset named at " + cfg.dataset_loc.prefix() + ")");
  }
  for (const auto& t : vp.dataset.tables) {
    if (!fs::exists(t.file))
      throw HostError(kExitDataset, t.loc.prefix() + ": file of table '" + t.name + "' not found: " + t.file.string());
    if (t.layout == "long") {
      // Check the header now, so validate finds a missing declared column without reading data.
      try {
        sdk::check_csv_header(t.file, t.columns, t.csv);
      } catch (const sdk::DataError& e) {
        throw HostError(kExitDataset, e.what());
      }
    }
    vp.tables[t.name] = TableOrigin{t.schema(), "", &t};
  }

  static const std::regex table_name_re("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  for (const auto& step : cfg.steps) {
    const LoadedPlugin* plugin = plugins.find(step.plugin);
    if (!plugin) {
      std::string msg = "unknown plugin '" + step.plugin + "'";
      if (auto near = sdk::nearest(step.plugin, plugins.names()); !near.empty()) msg += " (did you mean '" + near + "'?)";
      std::string list;
      for (const auto& n : plugins.names()) list += (list.empty() ? "" : ", ") + n;
      msg += "; available: " + (list.empty() ? std::string("none found") : list);
      step_fail(kExitPipeline, step, &step.plugin_loc, msg);
    }
    ValidatedStep vs;
    vs.config = &step;
    vs.plugin = plugin;
    std::map<std::string, sdk::Value> given = step.params;
    vs.output = step.id;
    if (auto it = given.find("output"); it != given.end()) {
      const auto* s = std::get_if<std::string>(&it->second);
      if (!s || !std::regex_match(*s, table_name_re))
        step_fail(kExitPipeline, step, param_location(step, "output"),
                  "parameter 'output' must be a table name made of letters, digits, '_', '.', '-'");
      vs.output = *s;
      given.erase(it);
    }
    try {
      vs.params = sdk::resolve_params(plugin->info, given);
    } catch (const sdk::ParamError& e) {
      step_fail(kExitPipeline, step, param_location(step, e.param()), e.what());
    }

    auto lookup = [&](std::string_view name) -> const sdk::Schema* {
      auto it = vp.tables.find(std::string(name));
      return it == vp.tables.end() ? nullptr : &it->second.schema;
    };
    try {
      sdk::check_references(plugin->info, vs.params, lookup);
    } catch (const sdk::ParamError& e) {
      std::string msg = e.what();
      const auto* spec = plugin->info.find_param(e.param());
      if (spec && spec->type == sdk::ParamType::kTable) {
        const std::string& name = vs.params.str(e.param());
        if (auto near = sdk::nearest(name, table_names(vp.tables)); !near.empty()) msg += " (did you mean '" + near + "'?)";
        msg += "; tables at this step: " + table_list(vp.tables);
      }
      step_fail(kExitPipeline, step, param_location(step, e.param()), msg);
    }

    if (!step.where.empty()) {
      if (!plugin->info.find_param("input") || !vs.params.has("input"))
        step_fail(kExitPipeline, step, &step.where.front().loc,
                  "'where' filters the table named by parameter 'input', and plugin '" + step.plugin + "' has none");
      const std::string& input = vs.params.str("input");
      check_where(step.where, vp.tables.at(input).schema, input,
                  [&](const WhereClause& c, const std::string& msg) { step_fail(kExitPipeline, step, &c.loc, msg); });
    }

    sdk::BindContext bind(step.id, vs.output, vs.params, lookup);
    if (sdk::Status s = plugin->entry->bind(&bind); s.code != sdk::StatusCode::kOk) {
      const int code = s.code == sdk::StatusCode::kDataError ? kExitDataset : kExitPipeline;
      step_fail(code, step, param_location(step, s.param), "plugin '" + step.plugin + "': " + s.message);
    }
    vs.outputs = bind.outputs();
    for (const auto& spec : plugin->info.params)
      if (spec.type == sdk::ParamType::kTable && vs.params.has(spec.name))
        vp.last_use[vs.params.str(spec.name)] = vp.steps.size();
    for (const auto& [name, schema] : vs.outputs) {
      if (!std::regex_match(name, table_name_re))
        step_fail(kExitPipeline, step, nullptr, "plugin '" + step.plugin + "' declared an output table with an unusable name '" + name + "'");
      if (auto it = vp.tables.find(name); it != vp.tables.end()) {
        const std::string owner = it->second.written_by.empty() ? "the dataset" : "step '" + it->second.written_by + "'";
        step_fail(kExitPipeline, step, param_location(step, "output"),
                  "table '" + name + "' already exists (from " + owner +
                      "); tables are immutable: give this step another id or set params.output");
      }
      vp.tables[name] = TableOrigin{schema, step.id, nullptr};
    }
    vp.steps.push_back(std::move(vs));
  }

  for (const auto& s : cfg.summaries) {
    auto fail = [&](const Location& loc, const std::string& msg) {
      std::string text = loc.prefix() + ": summary '" + (s.title.empty() ? s.table : s.title) + "': " + msg;
      if (auto ctx = loc.context(); !ctx.empty()) text += "\n" + ctx;
      throw HostError(kExitPipeline, text);
    };
    auto it = vp.tables.find(s.table);
    if (it == vp.tables.end()) fail(s.loc, "table '" + s.table + "' does not exist; tables: " + table_list(vp.tables));
    const sdk::Schema& schema = it->second.schema;
    check_where(s.where, schema, s.table, [&](const WhereClause& c, const std::string& msg) { fail(c.loc, msg); });
    for (const auto& c : s.columns)
      if (!schema.has(c)) fail(s.loc, "column '" + c + "' is not in table '" + s.table + "'");
    if (!s.sort.empty() && !schema.has(s.sort)) fail(s.loc, "sort column '" + s.sort + "' is not in table '" + s.table + "'");
    vp.last_use[s.table] = SIZE_MAX;
  }
  return vp;
}

RunResult run_pipeline(const ValidatedPipeline& vp,
                       const std::function<void(const std::string&, const sdk::Table&)>& on_table) {
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
    spdlog::debug("loading dataset table '{}' from {}", name, o->second.manifest->file.string());
    const auto start = std::chrono::steady_clock::now();
    sdk::TablePtr t = load_dataset_table(*o->second.manifest);
    spdlog::info("loaded table '{}': {} rows in {:.3f} s", name, t->rows(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    result.tables[name] = t;
    return t;
  };

  for (std::size_t k = 0; k < vp.steps.size(); ++k) {
    const ValidatedStep& s = vp.steps[k];
    const StepConfig& step = *s.config;
    StepRecord& rec = result.steps[k];
    const std::string who = "step '" + step.id + "' (plugin " + s.plugin->info.name + " " + s.plugin->info.version + ")";
    auto fail = [&](int code, const std::string& msg) {
      throw HostError(code, step.loc.prefix() + ": " + who + ": " + msg);
    };

    // Load inputs first, so a dataset problem is reported as such (exit 3) before the step starts.
    std::map<std::string, sdk::TablePtr> inputs;
    const std::string input_name = s.params.has("input") && s.plugin->info.find_param("input") ? s.params.str("input") : "";
    for (const auto& spec : s.plugin->info.params) {
      if (spec.type != sdk::ParamType::kTable || !s.params.has(spec.name)) continue;
      const std::string& name = s.params.str(spec.name);
      inputs[name] = get_table(name);
    }
    if (!step.where.empty() && !input_name.empty()) {
      auto filtered = std::make_shared<sdk::Table>(apply_where(*inputs.at(input_name), step.where));
      spdlog::debug("{}: where keeps {} of {} rows of '{}'", who, filtered->rows(), inputs.at(input_name)->rows(), input_name);
      inputs[input_name] = filtered;
    }
    try {
      sdk::check_not_empty(
          s.plugin->info, s.params,
          [&](const std::string& n) -> const sdk::Table& { return *inputs.at(n); });
    } catch (const sdk::DataError& e) {
      fail(kExitDataset, empty_input_message(vp, step, input_name, e.what()));
    }

    sdk::RunContext ctx(
        step.id, s.output, s.params,
        [&](std::string_view name) -> sdk::TablePtr {
          auto it = inputs.find(std::string(name));
          if (it != inputs.end()) return it->second;
          return get_table(std::string(name));
        },
        [id = step.id](sdk::LogLevel level, std::string_view msg) {
          switch (level) {
            case sdk::LogLevel::kDebug: spdlog::debug("[{}] {}", id, msg); break;
            case sdk::LogLevel::kInfo: spdlog::info("[{}] {}", id, msg); break;
            case sdk::LogLevel::kWarn: spdlog::warn("[{}] {}", id, msg); break;
          }
        });
    spdlog::info("running {}", who);
    const auto start = std::chrono::steady_clock::now();
    const sdk::Status status = s.plugin->entry->run(&ctx);
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (status.code == sdk::StatusCode::kDataError) {
      std::string msg = status.message;
      if (!input_name.empty()) {
        auto o = vp.tables.find(input_name);
        std::string origin = o != vp.tables.end() && o->second.manifest ? " (" + o->second.manifest->file.string() + ")"
                             : o != vp.tables.end() ? " (written by step '" + o->second.written_by + "')" : "";
        msg += "; input table '" + input_name + "'" + origin;
      }
      fail(kExitDataset, msg);
    }
    if (status.code == sdk::StatusCode::kParamError) fail(kExitPipeline, status.message);
    if (status.code != sdk::StatusCode::kOk) fail(kExitStepFailed, status.message);
    try {
      sdk::check_written(s.plugin->info.name, s.outputs, ctx.written());
      for (const auto& [name, table] : ctx.written()) sdk::check_finite(name, *table);
    } catch (const sdk::Error& e) {
      fail(kExitStepFailed, e.what());
    }
    const auto write_start = std::chrono::steady_clock::now();
    for (auto& [name, table] : ctx.written()) {
      rec.tables_written.emplace_back(name, table->rows());
      result.tables[name] = table;
      on_table(name, *table);
    }
    spdlog::debug("{}: outputs saved in {:.3f} s", who,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count());
    rec.status = "ok";
    // Free what no later step or summary reads: written tables are on disk already.
    for (auto it = result.tables.begin(); it != result.tables.end();) {
      auto use = vp.last_use.find(it->first);
      if (use == vp.last_use.end() || use->second <= k) it = result.tables.erase(it);
      else ++it;
    }
    spdlog::info("{} wrote {} in {:.3f} s", who,
                 [&] {
                   std::string w;
                   for (const auto& [n, rows] : rec.tables_written) w += (w.empty() ? "" : ", ") + n + " (" + std::to_string(rows) + " rows)";
                   return w;
                 }(),
                 rec.seconds);
  }
  return result;
}

}  // namespace klaster
