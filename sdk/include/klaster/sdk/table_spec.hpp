// klaster SDK: the tables a plugin reads and writes, declared once as data.
//
// A plugin lists in PluginInfo::reads the columns it needs from each table parameter, and in
// PluginInfo::writes the columns of every table it writes. The same declaration is shown by
// `klaster describe`, checked against the pipeline's tables before any step runs, turned into
// each output table's schema (nothing to build by hand in bind()), and used by run() to fill an
// OutputTable column by column (see RunContext::output).
//
//   TableSpec::write("<output>", "one row per industry and year")
//       .column(ColumnSpec::of("year"))          // named by parameter `year`, its type as read
//       .column(ColumnSpec::of("industry"))
//       .column(ColumnSpec::floats("hhi", "the Herfindahl index"))
//       .column(ColumnSpec::ints("n", "units counted").when("count", "true"));
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/table.hpp"

namespace klaster::sdk {

/// \brief A condition on a step's parameters: `param` equals `value` (a string, int or bool
/// parameter compared as text: "true", "II", "3"), or, when `value` is empty, `param` is given
/// (for an if_present() column parameter: its column is in its table).
struct Condition {
  std::string param;
  std::string value;
};

/// \brief One column (or, for a list parameter, several) of a table a plugin reads or writes.
struct ColumnSpec {
  /// What the column's type is declared as. kSame: the type the named column has in the table its
  /// parameter refers to (a key copied from the input); kNumber: int or float (reads only).
  enum class Type : std::uint8_t { kString, kInt, kFloat, kNumber, kSame };

  std::string name;   // the column's name, or "" when `param` names it
  std::string param;  // a column (list) parameter naming the column(s), or a table parameter
                      // standing for all of that table's columns
  Type type = Type::kSame;
  std::vector<Condition> conditions;  // the column exists only when every one holds
  std::string doc;
  /// The unit of a written column ("ratio", "million KZT"), recorded in run.json and shown in
  /// exports; "" for none. "<param>": the unit of the column column parameter `param` names (a
  /// total of the input's values), or of the table table parameter `param` names when its columns
  /// have one unit. A column of()/like() a column of an input table without a unit of its own
  /// keeps that column's unit.
  std::string unit;

  static ColumnSpec floats(std::string name, std::string doc = {});
  static ColumnSpec ints(std::string name, std::string doc = {});
  static ColumnSpec strings(std::string name, std::string doc = {});
  /// \brief A column read that must hold numbers (int or float).
  static ColumnSpec numbers(std::string name, std::string doc = {});
  /// \brief The column(s) named by column or column-list parameter `param`, typed as in its table;
  /// for a kTable parameter, every column of that table. An if_present() column parameter whose
  /// column is absent gives no column.
  static ColumnSpec of(std::string param, std::string doc = {});
  /// \brief A column named `name` with the type of the column that column parameter `param` names
  /// (e.g. `from` and `to` columns holding region keys, whatever type those keys have).
  static ColumnSpec like(std::string name, std::string param, std::string doc = {});

  /// \brief The column exists only when parameter `param` equals `value` (several when() calls:
  /// all must hold). A column whose unit depends on a parameter is declared once per value, each
  /// with its when() and in(); should two such declarations hold together, the table has the
  /// column once, with the first one's unit.
  ColumnSpec& when(std::string param, std::string value) {
    conditions.push_back({std::move(param), std::move(value)});
    return *this;
  }
  /// \brief The column exists only when parameter `param` is given (see Condition).
  ColumnSpec& when_given(std::string param) {
    conditions.push_back({std::move(param), {}});
    return *this;
  }
  /// \brief The unit of a written column (see `unit`).
  ColumnSpec& in(std::string unit_text) {
    unit = std::move(unit_text);
    return *this;
  }
};

/// \brief A table a plugin reads (named by its table parameter) or writes (named "<output>" or
/// "<output>_<suffix>", where <output> is the step's output name).
struct TableSpec {
  std::string name;
  std::string doc;
  std::vector<ColumnSpec> columns;
  std::vector<Condition> conditions;  // the table is read / written only when all hold
  std::string hint;  // reads: appended to the message when the table lacks a declared column

  static TableSpec read(std::string table_param, std::string doc) {
    TableSpec t;
    t.name = std::move(table_param);
    t.doc = std::move(doc);
    return t;
  }
  static TableSpec write(std::string pattern, std::string doc) {
    return read(std::move(pattern), std::move(doc));
  }
  TableSpec& column(ColumnSpec c) {
    columns.push_back(std::move(c));
    return *this;
  }
  TableSpec& when(std::string param, std::string value) {
    conditions.push_back({std::move(param), std::move(value)});
    return *this;
  }
  TableSpec& when_given(std::string param) {
    conditions.push_back({std::move(param), {}});
    return *this;
  }
  /// \brief How to fix a table that lacks a declared column (reads), shown in the message.
  TableSpec& with_hint(std::string text) {
    hint = std::move(text);
    return *this;
  }
};

/// \brief "<output>_local" -> "lq_local" for output name "lq".
std::string output_table_name(const std::string& pattern, const std::string& output);

/// \brief An output table being filled by run(): created by RunContext::output() from the schema
/// derived from the plugin's TableSpec, so that a plugin only sets columns. Every declared column
/// must be set, with its declared type, before the table is written; all columns equally long.
class OutputTable {
 public:
  OutputTable(std::string name, Schema schema);

  const std::string& name() const { return name_; }
  const Schema& schema() const { return schema_; }
  /// \brief Whether the declared schema has column `column` (conditional columns may be absent).
  bool has(std::string_view column) const { return schema_.has(column); }

  OutputTable& set(std::string_view column, std::vector<double> values,
                   std::vector<std::uint8_t> valid = {});
  OutputTable& set(std::string_view column, std::vector<std::int64_t> values,
                   std::vector<std::uint8_t> valid = {});
  OutputTable& set(std::string_view column, std::shared_ptr<Dictionary> dict,
                   std::vector<std::int32_t> codes);
  OutputTable& set(std::string_view column, const std::vector<std::string>& values);
  /// \brief Sets the column named `column.name`; its type must be the declared one.
  OutputTable& set(Column column);
  /// \brief Uses `column` (e.g. an input's key column) as is, without copying it.
  OutputTable& set(ColumnPtr column);

  /// \brief The table, columns in declared order. Throws Error naming a column not set or of
  /// another length.
  Table build() &&;

 private:
  std::size_t index_of(std::string_view column, ColumnType type) const;
  std::string name_;
  Schema schema_;
  std::vector<ColumnPtr> columns_;
};

}  // namespace klaster::sdk
