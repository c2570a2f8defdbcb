// klaster SDK: the checks around one step that the host and the test harness share.
#pragma once

#include <functional>
#include <string>

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

/// \brief Checks that every kTable parameter names a table in scope and every kColumn/kColumnList
/// parameter names a column of its table (optional columns may be absent). Throws ParamError.
void check_references(const PluginInfo& info, const Params& params,
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

/// \brief Checks that every value of the float columns of a written table is finite (a missing cell
/// is fine: it is how a plugin writes "undefined"). Throws Error naming the table, column and the
/// first offending row's keys.
void check_finite(const std::string& table_name, const Table& table);

/// \brief Turns a non-ok Status back into the matching exception.
[[noreturn]] void rethrow(const Status& status);

}  // namespace klaster::sdk
