// klaster SDK: what a plugin author includes. A plugin is one indicator or one regulation measure.
//
// A plugin declares its metadata as data (PluginInfo): parameters, and the tables it reads and
// writes with their columns (TableSpec, table_spec.hpp). The host derives each output table's
// schema from those declarations, checks every pipeline against them (and against bind(), which
// is optional and checks only what the declarations cannot say) before any run() is called; run()
// computes, best through a kernel on plain values, and fills `ctx.output()` for `ctx.write()`.
//
//   class MyIndicator final : public klaster::sdk::Plugin {
//     klaster::sdk::PluginInfo info() const override;
//     void run(klaster::sdk::RunContext& ctx) const override;
//   };
//   KLASTER_PLUGIN(MyIndicator)
//
// docs/writing-plugins.md is the guide.
//
// Errors: throw sdk::ParamError (bad parameters, exit 2), sdk::DataError (values the plugin cannot
// take, exit 3) or any other exception (a failed step, exit 1). The KLASTER_PLUGIN entry catches
// every exception; none crosses into the host.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "klaster/sdk/table.hpp"
#include "klaster/sdk/table_spec.hpp"
#include "klaster/sdk/version.hpp"
#include "klaster/sdk/view.hpp"

namespace klaster::sdk {

// ---------------------------------------------------------------------------------------------
// Errors

/// \brief A failure inside a plugin or the SDK. The host maps the kind to an exit code.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
/// \brief A parameter the plugin cannot accept (a pipeline error, exit code 2).
class ParamError : public Error {
 public:
  ParamError(std::string param, const std::string& message)
      : Error(message), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};
/// \brief Values in a table that the plugin cannot take: negative, missing, zero totals (exit 3).
class DataError : public Error {
 public:
  using Error::Error;
};

/// \brief The nearest of `candidates` to `word` by edit distance, or "" when none is close: for
/// "did you mean" in messages.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// ---------------------------------------------------------------------------------------------
// Parameters

enum class ParamType : std::uint8_t {
  kString,
  kInt,
  kFloat,
  kBool,
  kStringList,
  kIntList,
  kFloatList,
  kTable,       // the name of a table (dataset table or one written by an earlier step)
  kColumn,      // the name of a column of the table named by another parameter (`table_param`)
  kColumnList,  // several column names of that table
};
const char* to_string(ParamType type);

/// \brief A parameter value as given in a pipeline. monostate = not given.
using Value =
    std::variant<std::monostate, bool, std::int64_t, double, std::string, std::vector<std::string>,
                 std::vector<std::int64_t>, std::vector<double>>;
/// \brief A value in TOML-like notation for messages and `klaster describe`: 3, 0.5, "C", ["A",
/// "B"].
std::string to_text(const Value& value);

/// \brief One declared parameter. Build with the fluent setters:
///   ParamSpec("value", ParamType::kColumn).of("input").def("value").doc_("...")
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  Value default_value;  // monostate: no default
  bool required = false;
  std::optional<double> min, max;  // numeric bounds, inclusive unless *_exclusive
  bool min_exclusive = false, max_exclusive = false;
  std::vector<std::string> allowed;  // for kString: the only accepted values
  std::string table_param;           // for kColumn/kColumnList: the table parameter it refers to
  bool optional_column = false;      // kColumn: the column is used only when the table has it
  bool may_be_empty = false;         // kTable: a table without rows is accepted (else a DataError)
  bool numeric_column = false;  // kColumn/kColumnList: the column must hold numbers (int or float)
  bool primary_input = false;   // kTable: the table a step's plain `where` filters (see primary())
  std::string doc;

  ParamSpec() = default;
  ParamSpec(std::string n, ParamType t) : name(std::move(n)), type(t) {}
  ParamSpec& def(Value v) {
    default_value = std::move(v);
    return *this;
  }
  ParamSpec& def(const char* s) {
    default_value = std::string(s);
    return *this;
  }
  ParamSpec& req() {
    required = true;
    return *this;
  }
  ParamSpec& at_least(double v) {
    min = v;
    min_exclusive = false;
    return *this;
  }
  ParamSpec& above(double v) {
    min = v;
    min_exclusive = true;
    return *this;
  }
  ParamSpec& at_most(double v) {
    max = v;
    max_exclusive = false;
    return *this;
  }
  ParamSpec& below(double v) {
    max = v;
    max_exclusive = true;
    return *this;
  }
  ParamSpec& one_of(std::vector<std::string> v) {
    allowed = std::move(v);
    return *this;
  }
  ParamSpec& of(std::string table) {
    table_param = std::move(table);
    return *this;
  }
  ParamSpec& if_present() {
    optional_column = true;
    return *this;
  }
  ParamSpec& empty_ok() {
    may_be_empty = true;
    return *this;
  }
  /// \brief A column parameter whose column must hold numbers: checked at validation by the SDK
  /// (a ParamError naming the column and table), shown by `describe`.
  ParamSpec& numeric() {
    numeric_column = true;
    return *this;
  }
  /// Marks a kTable parameter as the plugin's primary input: the table a step's `where = { column =
  /// ... }` filters. At most one per plugin; a plugin that marks none takes only per-table filters
  /// (`where = { <table parameter> = { column = ... } }`). The host checks this when loading.
  ParamSpec& primary() {
    primary_input = true;
    return *this;
  }
  ParamSpec& doc_(std::string d) {
    doc = std::move(d);
    return *this;
  }
};

enum class PluginKind : std::uint8_t { kIndicator, kMeasure };
const char* to_string(PluginKind kind);

/// \brief Everything the host and the user know about a plugin before it runs.
struct PluginInfo {
  std::string name;     // unique snake_case
  std::string version;  // semver
  PluginKind kind = PluginKind::kIndicator;
  std::string summary;      // one line, starting with a verb
  std::string description;  // paragraphs; formula and reference
  std::vector<ParamSpec> params;
  std::vector<TableSpec> reads;   // per table parameter: the columns the plugin needs
  std::vector<TableSpec> writes;  // every table the plugin writes, with its columns
  std::vector<ViewSpec> views;    // charts of those tables for `klaster report` (view.hpp)
  /// The texts above in other languages, for `klaster report --lang` and `klaster describe
  /// --lang`: language code ("ru") -> the English text exactly as written above (summary,
  /// description, a view's title, a parameter's or a column's doc) -> that text in the language.
  /// Keyed by the English text, as gettext does: when an author changes the English and not its
  /// translation, the reader gets the current English, marked, never a stale translation.
  ///   p.translations["ru"] = {{p.summary, "Вычисляет ..."}, {"Regions by LQ", "Регионы ..."}};
  std::map<std::string, std::map<std::string, std::string>> translations;

  const ParamSpec* find_param(std::string_view name) const;
  /// \brief `english` in language `lang`: its translation, or nullptr when the plugin gives none
  /// (the caller shows the English, marked). An empty `english` needs none and gets nullptr.
  const std::string* translation(std::string_view lang, const std::string& english) const;
  /// \brief The parameter marked primary(), or nullptr when the plugin has no primary input.
  const ParamSpec* primary_input() const;
};

/// \brief The columns of `spec` as `klaster describe` shows them: "[<year>], <industry>,
/// hhi:float, [n:int if count = true]" (a column named by an if_present() parameter in brackets).
std::string columns_text(const TableSpec& spec, const PluginInfo& info);

/// \brief Resolved parameters of one step: every declared parameter with a value or a default.
class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, Value> values) : values_(std::move(values)) {}

  bool has(std::string_view name) const;  // given or defaulted, not monostate
  const Value& get(std::string_view name) const;
  const std::string& str(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  double real(std::string_view name) const;  // an int parameter converts
  bool boolean(std::string_view name) const;
  std::vector<std::string> strings(std::string_view name) const;  // a single string -> one element
  std::vector<std::int64_t> ints(std::string_view name) const;    // a single int -> one element
  std::vector<double> reals(std::string_view name) const;
  const std::map<std::string, Value>& all() const { return values_; }

 private:
  std::map<std::string, Value> values_;
};

// ---------------------------------------------------------------------------------------------
// Contexts handed to a plugin

enum class LogLevel : std::uint8_t { kDebug, kInfo, kWarn };
/// \brief Where plugin log lines go; set by the host (spdlog) or by the test harness.
using LogSink = std::function<void(LogLevel, std::string_view)>;

/// \brief The tables a step writes, by name, with their schemas.
using Outputs = std::vector<std::pair<std::string, Schema>>;

/// \brief Validation-time view of a step: parameters and the schemas of the tables in scope.
/// The schemas of the tables the step writes are already derived from PluginInfo::writes; bind()
/// checks what the declarations cannot say. Implemented by the host and the test harness.
class BindContext {
 public:
  virtual ~BindContext() = default;
  virtual const std::string& step_id() const = 0;
  /// \brief The primary output table name: the `output` parameter, by default the step id.
  virtual const std::string& output_name() const = 0;
  virtual const Params& params() const = 0;
  /// \brief The schema of a table in scope, or nullptr.
  virtual const Schema* find_schema(std::string_view table) const = 0;
  /// \brief The schema of the table a table parameter names; throws ParamError (for `param`)
  /// when there is none.
  const Schema& schema_of_param(std::string_view table_param) const;
  /// \brief Throws ParamError (for `column_param`) when the column that parameter names in the
  /// table `table_param` names is a float column: keys group rows by equal values, which strings
  /// and ints have exactly. A column the table lacks is left to the table specs' own check.
  void check_key_column(std::string_view table_param, std::string_view column_param) const;
  /// \brief Declares (or, for a table in PluginInfo::writes, replaces the derived schema of) a
  /// table this step will write, for schemas the declarations cannot express.
  virtual void declare_output(std::string name, Schema schema) = 0;
  /// \brief The tables the step will write, with their schemas (derived, or declared above).
  virtual const Outputs& outputs() const = 0;
};

/// \brief Run-time view of a step: parameters, the tables it reads, and where it writes.
/// Implemented by the host and the test harness.
class RunContext {
 public:
  virtual ~RunContext() = default;
  virtual const std::string& step_id() const = 0;
  virtual const std::string& output_name() const = 0;
  virtual const Params& params() const = 0;
  /// \brief The table named by a table parameter, after the step's `where` filter of that table.
  virtual const Table& table_of_param(std::string_view table_param) const = 0;
  /// \brief An empty output table with the declared schema of `pattern` ("<output>",
  /// "<output>_local"), to be filled column by column and passed to write(). Throws Error when the
  /// step declares no such table.
  virtual OutputTable output(std::string_view pattern) const = 0;
  OutputTable output() const { return output("<output>"); }
  /// \brief Writes a filled output table (see output()).
  void write(OutputTable table);
  /// \brief Writes a declared output table. The host checks its schema against the declaration.
  virtual void write(std::string name, Table table) = 0;
  /// \brief A line in the run's log (the host's log, or the test harness's sink).
  virtual void log(LogLevel level, std::string_view message) const = 0;
};

/// \brief The interface a plugin implements. One instance per library, used read-only.
class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo info() const = 0;
  /// \brief Checks what the declarations in info() cannot (e.g. that two parameters agree); the
  /// output schemas are derived from PluginInfo::writes. The default checks nothing.
  virtual void bind(BindContext& ctx) const { (void)ctx; }
  virtual void run(RunContext& ctx) const = 0;
};

}  // namespace klaster::sdk

#include "klaster/sdk/detail/abi.hpp"
