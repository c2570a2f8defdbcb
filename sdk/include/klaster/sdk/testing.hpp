// klaster SDK: run a plugin in-process, without the host, for unit tests. The namespace is
// klaster::sdk::testkit (not "testing"), so that `using namespace klaster::sdk;` in a GoogleTest
// file does not make `testing` ambiguous with GoogleTest's own namespace.
//
//   auto out = klaster::sdk::testkit::run_step({{"input", "t"}}, {{"t", table}});
//   const Table& lq = out.at("step");
//
// run_step does what the host does for one step: resolves parameters, checks table and column
// references and the declared columns of the tables read, derives the output schemas from
// PluginInfo::writes, binds, refuses empty inputs, runs, and checks that every written table was
// declared with that schema and holds no NaN or infinity. Errors are
// rethrown as sdk::ParamError / sdk::DataError / sdk::Error. To check an expected error:
//
//   EXPECT_EQ(error_message<DataError>([&] { run_step(params, tables); }), "negative value ...");
//   const ThrownParamError e = param_error([&] { run_step(params, tables); });
//   EXPECT_EQ(e.param, "value");
//
// Both say "(no exception)" or "(other exception: <what>)" when `fn` throws no such error, so a
// failed EXPECT_EQ shows what happened; a test that checks only parts of a message also checks
// !is_other_exception(message), as "(other exception: ...)" contains the other error's text.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/plugin.hpp"

extern "C" const klaster::sdk::PluginEntry* klaster_plugin_entry();

namespace klaster::sdk::testkit {

/// `log` receives the plugin's log lines (ctx.log); none are kept when it is empty.
std::map<std::string, Table> run_step(const PluginEntry& entry,
                                      const std::map<std::string, Value>& params,
                                      const std::map<std::string, Table>& tables,
                                      const std::string& step_id = "step", LogSink log = {});

/// \brief run_step on the plugin linked into this test (its klaster_plugin_entry()).
inline std::map<std::string, Table> run_step(const std::map<std::string, Value>& params,
                                             const std::map<std::string, Table>& tables,
                                             const std::string& step_id = "step",
                                             LogSink log = {}) {
  return run_step(*klaster_plugin_entry(), params, tables, step_id, std::move(log));
}

/// \brief A LogSink that appends each line to `lines`, for asserting on warnings.
inline LogSink collect_log(std::vector<std::string>& lines) {
  return [&lines](LogLevel, std::string_view message) { lines.emplace_back(message); };
}

/// \brief The value at `row` of float column `column`, found by key columns equal to `keys`.
/// Throws when no row or several rows match.
double value_at(const Table& table, const std::string& column,
                const std::map<std::string, std::string>& keys);

/// \brief A long-format test table: columns `region` and `industry` (strings), then `year` (ints)
/// when `years` is not empty, then `value_name` (floats). All given vectors are one entry per row.
Table long_table(const std::vector<std::string>& regions,
                 const std::vector<std::string>& industries, const std::vector<double>& values,
                 const std::vector<std::int64_t>& years = {},
                 const std::string& value_name = "value");

/// \brief The message of the `E` that `fn` throws; "(no exception)" when it throws nothing and
/// "(other exception: <what>)" when it throws something else, so that EXPECT_EQ shows what
/// happened. `E` is caught first: error_message<Error> also takes a ParamError or a DataError.
template <class E, class Fn>
std::string error_message(Fn&& fn) {
  try {
    std::forward<Fn>(fn)();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("(other exception: ") + e.what() + ")";
  } catch (...) {
    return "(other exception: not a std::exception)";
  }
  return "(no exception)";
}

/// \brief Whether `message`, from error_message, says that `fn` threw an exception of another type.
inline bool is_other_exception(const std::string& message) {
  return message.starts_with("(other exception: ");
}

/// \brief What param_error saw: the ParamError's parameter and message, or an empty `param` and
/// error_message's "(no exception)" / "(other exception: <what>)".
struct ThrownParamError {
  std::string param;
  std::string message;
};

/// \brief The parameter and message of the ParamError that `fn` throws (see ThrownParamError).
template <class Fn>
ThrownParamError param_error(Fn&& fn) {
  ThrownParamError thrown;
  thrown.message = error_message<ParamError>([&] {
    try {
      std::forward<Fn>(fn)();
    } catch (const ParamError& e) {
      thrown.param = e.param();
      throw;
    }
  });
  return thrown;
}

}  // namespace klaster::sdk::testkit
