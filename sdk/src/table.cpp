#include "klaster/sdk/table.hpp"

#include <charconv>
#include <stdexcept>

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

std::string format_number(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return std::string(buf, r.ptr);
}

const char* to_string(ColumnType type) {
  switch (type) {
    case ColumnType::kString:
      return "string";
    case ColumnType::kInt:
      return "int";
    case ColumnType::kFloat:
      return "float";
  }
  return "?";
}

std::optional<ColumnType> column_type_from_string(std::string_view name) {
  if (name == "string") return ColumnType::kString;
  if (name == "int") return ColumnType::kInt;
  if (name == "float") return ColumnType::kFloat;
  return std::nullopt;
}

std::int32_t Dictionary::intern(std::string_view s) {
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  const auto code = static_cast<std::int32_t>(values_.size());
  values_.emplace_back(s);
  index_.emplace(values_.back(), code);
  return code;
}

std::int32_t Dictionary::find(std::string_view s) const {
  auto it = index_.find(s);
  return it == index_.end() ? -1 : it->second;
}

void Dictionary::reserve(std::size_t n) {
  values_.reserve(n);
  index_.reserve(n);
}

std::size_t Column::size() const {
  switch (type) {
    case ColumnType::kString:
      return codes.size();
    case ColumnType::kInt:
      return ints.size();
    case ColumnType::kFloat:
      return floats.size();
  }
  return 0;
}

std::string Column::to_text(std::size_t row) const {
  if (!is_valid(row)) return {};
  char buf[64];
  switch (type) {
    case ColumnType::kString:
      return std::string(str(row));
    case ColumnType::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, ints[row]);
      return std::string(buf, r.ptr);
    }
    case ColumnType::kFloat:
      return format_number(floats[row]);
  }
  return {};
}

Column Column::make_floats(std::string name, std::vector<double> values,
                           std::vector<std::uint8_t> valid) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::kFloat;
  c.floats = std::move(values);
  c.valid = std::move(valid);
  return c;
}

Column Column::make_ints(std::string name, std::vector<std::int64_t> values,
                         std::vector<std::uint8_t> valid) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::kInt;
  c.ints = std::move(values);
  c.valid = std::move(valid);
  return c;
}

Column Column::make_strings(std::string name, std::shared_ptr<Dictionary> dict,
                            std::vector<std::int32_t> codes) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::kString;
  c.dict = std::move(dict);
  c.codes = std::move(codes);
  return c;
}

Column Column::make_strings(std::string name, const std::vector<std::string>& values) {
  auto dict = std::make_shared<Dictionary>();
  std::vector<std::int32_t> codes;
  codes.reserve(values.size());
  for (const auto& v : values) codes.push_back(dict->intern(v));
  return make_strings(std::move(name), std::move(dict), std::move(codes));
}

Column Column::take(const Column& source, const std::vector<std::size_t>& rows) {
  Column c;
  c.name = source.name;
  c.type = source.type;
  c.dict = source.dict;
  switch (source.type) {
    case ColumnType::kString:
      c.codes.reserve(rows.size());
      for (auto r : rows) c.codes.push_back(source.codes[r]);
      break;
    case ColumnType::kInt:
      c.ints.reserve(rows.size());
      for (auto r : rows) c.ints.push_back(source.ints[r]);
      break;
    case ColumnType::kFloat:
      c.floats.reserve(rows.size());
      for (auto r : rows) c.floats.push_back(source.floats[r]);
      break;
  }
  if (!source.valid.empty()) {
    c.valid.reserve(rows.size());
    for (auto r : rows) c.valid.push_back(source.valid[r]);
  }
  return c;
}

bool Schema::has(std::string_view name) const { return type_of(name).has_value(); }

std::optional<ColumnType> Schema::type_of(std::string_view name) const {
  for (const auto& [n, t] : columns)
    if (n == name) return t;
  return std::nullopt;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.first);
  return out;
}

Table::Table(std::vector<Column> columns) {
  columns_.reserve(columns.size());
  for (auto& c : columns) columns_.push_back(std::make_shared<const Column>(std::move(c)));
  check();
}

Table::Table(std::vector<ColumnPtr> columns) : columns_(std::move(columns)) { check(); }

void Table::check() {
  for (const auto& c : columns_)
    if (!c) throw Error("table has a null column");
  rows_ = columns_.empty() ? 0 : columns_.front()->size();
  for (const auto& c : columns_) {
    if (c->size() != rows_)
      throw Error("table column '" + c->name + "' has " + std::to_string(c->size()) +
                  " rows, expected " + std::to_string(rows_));
    if (c->type == ColumnType::kString && !c->dict)
      throw Error("string column '" + c->name + "' has no dictionary");
    if (!c->valid.empty() && c->valid.size() != rows_)
      throw Error("column '" + c->name + "' has a validity mask of the wrong length");
  }
  for (std::size_t i = 0; i < columns_.size(); ++i)
    for (std::size_t j = i + 1; j < columns_.size(); ++j)
      if (columns_[i]->name == columns_[j]->name)
        throw Error("table has two columns named '" + columns_[i]->name + "'");
}

const Column* Table::find(std::string_view name) const {
  for (const auto& c : columns_)
    if (c->name == name) return c.get();
  return nullptr;
}

const Column& Table::column(std::string_view name) const {
  if (const Column* c = find(name)) return *c;
  throw Error("table has no column '" + std::string(name) + "'");
}

ColumnPtr Table::column_ptr(std::string_view name) const {
  for (const auto& c : columns_)
    if (c->name == name) return c;
  throw Error("table has no column '" + std::string(name) + "'");
}

Schema Table::schema() const {
  Schema s;
  for (const auto& c : columns_) s.add(c->name, c->type);
  return s;
}

namespace {

/// The origin of a subset of another table's rows.
class TakenOrigin final : public RowOrigin {
 public:
  TakenOrigin(std::shared_ptr<const RowOrigin> base, std::vector<std::size_t> rows)
      : base_(std::move(base)), rows_(std::move(rows)) {}
  std::string locate(std::size_t row) const override { return base_->locate(rows_.at(row)); }

 private:
  std::shared_ptr<const RowOrigin> base_;
  std::vector<std::size_t> rows_;
};

}  // namespace

std::string Table::keys_text(std::size_t row) const {
  std::string out;
  for (const auto& c : columns_) {
    if (c->type == ColumnType::kFloat) continue;
    out += out.empty() ? "" : ", ";
    if (!c->is_valid(row))
      out += c->name + " (missing)";
    else if (c->type == ColumnType::kString)
      out += c->name + " '" + std::string(c->str(row)) + "'";
    else
      out += c->name + " " + c->to_text(row);
  }
  return out;
}

std::string Table::line_note(std::size_t row) const {
  const std::string at = locate(row);
  return at.empty() ? at : " (" + at + ")";
}

std::string Table::lines_note(std::size_t first, std::size_t second) const {
  const std::string a = locate(first);
  return a.empty() ? a : " (" + a + " and " + locate(second) + ")";
}

std::string Table::row_name(std::size_t row) const {
  std::string at = locate(row);
  if (!at.empty()) return at;
  const std::string keys = keys_text(row);
  return keys.empty() ? "row " + std::to_string(row + 1) : "the row with " + keys;
}

Table Table::take(const std::vector<std::size_t>& rows) const {
  std::vector<Column> cols;
  cols.reserve(columns_.size());
  for (const auto& c : columns_) cols.push_back(Column::take(*c, rows));
  Table out(std::move(cols));
  if (origin_) out.set_origin(std::make_shared<TakenOrigin>(origin_, rows));
  return out;
}

}  // namespace klaster::sdk
