// klaster SDK: the checks around one step that the host and the test harness share.
#pragma once

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

/// \brief Turns a non-ok Status back into the matching exception.
[[noreturn]] void rethrow(const Status& status);

}  // namespace klaster::sdk
