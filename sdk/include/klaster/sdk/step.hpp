// klaster SDK: the checks around one step that the host and the test harness share.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

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
void check_references(const PluginInfo& info, const Params& params,
                      const BindContext::SchemaLookup& lookup);

/// \brief Whether every condition holds for a step's parameters (see Condition).
bool conditions_hold(const std::vector<Condition>& when, const PluginInfo& info,
                     const Params& params, const BindContext::SchemaLookup& lookup);

/// \brief The schemas of the tables a step writes, derived from `info.writes` for the step's
/// parameters and the tables in scope; tables whose conditions do not hold are left out. Throws
/// ParamError when two columns get the same name.
Outputs derive_outputs(const PluginInfo& info, const Params& params, const std::string& output,
                       const BindContext::SchemaLookup& lookup);

/// \brief Checks the named columns of `info.reads` (row, column, value, ...) against the tables in
/// scope: present and of the declared type. Throws ParamError for the table parameter. Called by
/// check_references.
void check_reads(const PluginInfo& info, const Params& params,
                 const BindContext::SchemaLookup& lookup);

/// \brief Checks that the tables a run wrote are exactly the declared ones, with the declared
/// schemas. Throws Error naming the plugin and table.
void check_written(const std::string& plugin,
                   const std::vector<std::pair<std::string, Schema>>& declared,
                   const std::vector<std::pair<std::string, std::shared_ptr<Table>>>& written);

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

/// \brief Turns a non-ok Status back into the matching exception.
[[noreturn]] void rethrow(const Status& status);

}  // namespace klaster::sdk
