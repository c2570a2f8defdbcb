#include "klaster/sdk/testing.hpp"

#include <utility>

#include "klaster/sdk/step.hpp"

namespace klaster::sdk::testkit {

std::map<std::string, Table> run_step(const PluginEntry& entry,
                                      const std::map<std::string, Value>& given,
                                      const std::map<std::string, Table>& tables,
                                      const std::string& step_id, LogSink log) {
  PluginInfo info;
  if (Status s = entry.describe(&info); s.code != StatusCode::kOk) rethrow(s);

  check_info(info);

  std::map<std::string, Value> params = given;
  const std::string output = take_output(params, step_id);
  const Params resolved = resolve_params(info, params);

  std::map<std::string, Schema> schemas;
  for (const auto& [name, t] : tables) schemas[name] = t.schema();
  SchemaLookup schema_lookup = [&](std::string_view n) -> const Schema* {
    auto it = schemas.find(std::string(n));
    return it == schemas.end() ? nullptr : &it->second;
  };
  check_references(info, resolved, schema_lookup);
  StepBindContext bind(step_id, output, resolved, schema_lookup,
                       derive_outputs(info, resolved, output, schema_lookup));
  if (Status s = entry.bind(&bind); s.code != StatusCode::kOk) rethrow(s);

  StepRunContext run(
      step_id, output, resolved,
      [&](std::string_view n) -> TablePtr {
        auto it = tables.find(std::string(n));
        return it == tables.end() ? nullptr : std::make_shared<Table>(it->second);
      },
      std::move(log), bind.outputs());
  check_not_empty(info, resolved,
                  [&](const std::string& n) -> const Table& { return tables.at(n); });
  if (Status s = entry.run(&run); s.code != StatusCode::kOk) rethrow(s);
  check_written(info.name, bind.outputs(), run.written());
  try {
    for (const auto& [name, t] : run.written()) check_finite(name, *t);
  } catch (const Error&) {  // the data's fault when an input's sums overflow, as the host says
    std::map<std::string, TablePtr> inputs;
    for (const auto& [name, t] : tables) inputs[name] = std::make_shared<Table>(t);
    check_input_sums(inputs);
    throw;
  }

  std::map<std::string, Table> out;
  for (auto& [name, t] : run.written()) out.emplace(name, *t);
  return out;
}

double value_at(const Table& table, const std::string& column,
                const std::map<std::string, std::string>& keys) {
  const Column& value = table.column(column);
  std::optional<std::size_t> found;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    bool match = true;
    for (const auto& [k, v] : keys) {
      if (table.column(k).to_text(r) != v) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    if (found) throw Error("value_at: several rows match in column '" + column + "'");
    found = r;
  }
  if (!found) throw Error("value_at: no row matches for column '" + column + "'");
  return value.number(*found);
}

Table long_table(const std::vector<std::string>& regions,
                 const std::vector<std::string>& industries, const std::vector<double>& values,
                 const std::vector<std::int64_t>& years, const std::string& value_name) {
  std::vector<Column> columns = {Column::make_strings("region", regions),
                                 Column::make_strings("industry", industries)};
  if (!years.empty()) columns.push_back(Column::make_ints("year", years));
  columns.push_back(Column::make_floats(value_name, values));
  return Table(std::move(columns));
}

}  // namespace klaster::sdk::testkit
