// klaster runtime (not installed; linked by the host and the test harness, never seen by plugin
// authors): parameter resolution, the contexts' implementations and the checks around one step.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

/// \brief The schema of a table in scope by name, or nullptr.
using SchemaLookup = std::function<const Schema*(std::string_view)>;
/// \brief A table in scope by name, or nullptr.
using TableLookup = std::function<TablePtr(std::string_view)>;
/// \brief The tables a run wrote, in order.
using Written = std::vector<std::pair<std::string, std::shared_ptr<Table>>>;

/// \brief Checks `given` against `info` (unknown names, types, bounds, allowed values), fills in
/// defaults and returns the resolved parameters. Throws ParamError naming the parameter; messages
/// for unknown names suggest the nearest declared name.
Params resolve_params(const PluginInfo& info, const std::map<std::string, Value>& given);

/// \brief The BindContext of one step: `derived` are the output schemas derive_outputs() gave.
class StepBindContext final : public BindContext {
 public:
  StepBindContext(std::string step_id, std::string output_name, const Params& params,
                  SchemaLookup lookup, Outputs derived)
      : step_id_(std::move(step_id)),
        output_(std::move(output_name)),
        params_(params),
        lookup_(std::move(lookup)),
        outputs_(std::move(derived)) {}

  const std::string& step_id() const override { return step_id_; }
  const std::string& output_name() const override { return output_; }
  const Params& params() const override { return params_; }
  const Schema* find_schema(std::string_view table) const override { return lookup_(table); }
  void declare_output(std::string name, Schema schema) override;
  /// \brief Every table the step will write, with its schema.
  const Outputs& outputs() const override { return outputs_; }

 private:
  std::string step_id_, output_;
  const Params& params_;
  SchemaLookup lookup_;
  Outputs outputs_;
  std::vector<std::string> hand_declared_;
};

/// \brief The RunContext of one step: `declared` are the outputs its bind gave.
class StepRunContext final : public RunContext {
 public:
  StepRunContext(std::string step_id, std::string output_name, const Params& params,
                 TableLookup lookup, LogSink log, Outputs declared)
      : step_id_(std::move(step_id)),
        output_(std::move(output_name)),
        params_(params),
        lookup_(std::move(lookup)),
        log_(std::move(log)),
        declared_(std::move(declared)) {}

  const std::string& step_id() const override { return step_id_; }
  const std::string& output_name() const override { return output_; }
  const Params& params() const override { return params_; }
  const Table& table_of_param(std::string_view table_param) const override;
  OutputTable output(std::string_view pattern) const override;
  using RunContext::output;
  using RunContext::write;
  void write(std::string name, Table table) override;
  void log(LogLevel level, std::string_view message) const override {
    if (log_) log_(level, message);
  }
  /// \brief The tables written so far, in order.
  Written& written() { return written_; }

 private:
  std::string step_id_, output_;
  const Params& params_;
  TableLookup lookup_;
  LogSink log_;
  Outputs declared_;
  mutable std::vector<TablePtr> held_;  // keeps looked-up tables alive for the step
  Written written_;
};

/// The names of the host's step keys.
inline constexpr std::string_view kOutputParam = "output";
inline constexpr std::string_view kWhereKey = "where";

/// \brief A key every step has, declared by the host rather than by its plugin.
struct HostParam {
  std::string name;
  std::string type;  // as `klaster describe` shows it
  std::string rule;  // its default, or "optional"
  std::string doc;   // one sentence; the README's "Pipeline format" quotes it word for word
};

/// \brief The host's step keys, `output` (a parameter) then `where` (a key of the step): the one
/// definition that validation, the test harness, `klaster describe` and the README use.
const std::vector<HostParam>& host_params();

/// \brief True for a usable table name: letters, digits, '_', '.' and '-', not starting with '.'
/// or '-'.
bool is_table_name(std::string_view name);

/// \brief Takes the host parameter `output` out of `given` and returns the name of the step's
/// primary output table: its value, or `step_id` when it is absent. Throws ParamError("output")
/// for a value that is not a table name.
std::string take_output(std::map<std::string, Value>& given, const std::string& step_id);

/// \brief Checks the rules of a plugin's metadata that the types cannot: at most one parameter is
/// primary() and it is a table; no parameter is named like a host parameter. Throws Error.
void check_info(const PluginInfo& info);

/// \brief Checks that every kTable parameter names a table in scope and every kColumn/kColumnList
/// parameter names a column of its table (optional columns may be absent). Throws ParamError.
void check_references(const PluginInfo& info, const Params& params, const SchemaLookup& lookup);

/// \brief Whether every condition holds for a step's parameters (see Condition).
bool conditions_hold(const std::vector<Condition>& when, const PluginInfo& info,
                     const Params& params, const SchemaLookup& lookup);

/// \brief The schemas of the tables a step writes, derived from `info.writes` for the step's
/// parameters and the tables in scope; tables whose conditions do not hold are left out. Throws
/// ParamError when two columns get the same name.
Outputs derive_outputs(const PluginInfo& info, const Params& params, const std::string& output,
                       const SchemaLookup& lookup);

/// \brief Checks the named columns of `info.reads` (row, column, value, ...) against the tables in
/// scope: present and of the declared type. Throws ParamError for the table parameter. Called by
/// check_references.
void check_reads(const PluginInfo& info, const Params& params, const SchemaLookup& lookup);

/// \brief Checks that the tables a run wrote are exactly the declared ones, with the declared
/// schemas. Throws Error naming the plugin and table.
void check_written(const std::string& plugin,
                   const std::vector<std::pair<std::string, Schema>>& declared,
                   const Written& written);

/// \brief Checks that every table parameter names a table with rows, unless the parameter is
/// declared empty_ok(). Throws DataError "table 'X' (parameter 'input') has no rows".
void check_not_empty(const PluginInfo& info, const Params& params,
                     const std::function<const Table&(const std::string&)>& table);
/// \brief The first table parameter (not declared empty_ok()) naming a table without rows, or
/// nullptr: what check_not_empty throws for, for callers that word the message themselves.
const ParamSpec* first_empty_input(const PluginInfo& info, const Params& params,
                                   const std::function<const Table&(const std::string&)>& table);

/// \brief Checks that every value of the float columns of a written table is finite (a missing cell
/// is fine: it is how a plugin writes "undefined"). Throws Error naming the table, column and the
/// first offending row's keys.
void check_finite(const std::string& table_name, const Table& table);

/// \brief Throws a DataError naming the first float column of `inputs` (a step's input tables by
/// name) whose absolute values add up past the largest double (about 1.8e308): any sum over it
/// overflows, so a NaN or infinity the step then writes comes from the data, not the plugin.
/// Called only after check_finite failed, so a run that writes finite values never pays for it.
void check_input_sums(const std::map<std::string, TablePtr>& inputs);

/// \brief Turns a non-ok Status back into the matching exception.
[[noreturn]] void rethrow(const Status& status);

}  // namespace klaster::sdk
