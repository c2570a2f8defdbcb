#include "klaster/sdk/matrix.hpp"

#include <cmath>

#include "klaster/sdk/plugin.hpp"

namespace klaster::sdk {

namespace {
std::optional<std::size_t> index_of(const std::vector<std::string>& v, const std::string& s) {
  for (std::size_t k = 0; k < v.size(); ++k)
    if (v[k] == s) return k;
  return std::nullopt;
}

/// Labels of a key column in order of first appearance, and the position of each row's label.
std::vector<std::string> first_seen(const Column& c, std::vector<std::int32_t>& pos_of_row) {
  std::vector<std::string> labels;
  pos_of_row.assign(c.size(), -1);
  if (c.type == ColumnType::kString) {
    std::vector<std::int32_t> pos_of_code(c.dict->size(), -1);
    for (std::size_t r = 0; r < c.size(); ++r) {
      const auto code = c.codes[r];
      if (code < 0) continue;
      auto& p = pos_of_code[static_cast<std::size_t>(code)];
      if (p < 0) {
        p = static_cast<std::int32_t>(labels.size());
        labels.push_back(c.dict->at(code));
      }
      pos_of_row[r] = p;
    }
    return labels;
  }
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (!c.is_valid(r)) continue;
    const std::string s = c.to_text(r);
    auto p = index_of(labels, s);
    if (!p) {
      p = labels.size();
      labels.push_back(s);
    }
    pos_of_row[r] = static_cast<std::int32_t>(*p);
  }
  return labels;
}
}  // namespace

std::optional<std::size_t> LabelledMatrix::row_index(const std::string& label) const {
  return index_of(row_labels, label);
}
std::optional<std::size_t> LabelledMatrix::col_index(const std::string& label) const {
  return index_of(col_labels, label);
}

LabelledMatrix matrix_from_long(const Table& table, const std::string& row_column,
                                const std::string& col_column, const std::string& value_column) {
  const Column& rc = table.column(row_column);
  const Column& cc = table.column(col_column);
  const Column& vc = table.column(value_column);
  if (vc.type == ColumnType::kString)
    throw DataError("matrix value column '" + value_column + "' holds text, not numbers");
  LabelledMatrix m;
  std::vector<std::int32_t> ri, ci;
  m.row_labels = first_seen(rc, ri);
  m.col_labels = first_seen(cc, ci);
  m.values = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(m.row_labels.size()),
                                   static_cast<Eigen::Index>(m.col_labels.size()));
  std::vector<std::uint8_t> seen(m.row_labels.size() * m.col_labels.size(), 0);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (ri[r] < 0 || ci[r] < 0)
      throw DataError("matrix row " + std::to_string(r + 1) + " has an empty row or column label");
    if (!vc.is_valid(r) || !std::isfinite(vc.number(r)))
      throw DataError("matrix cell (" + m.row_labels[static_cast<std::size_t>(ri[r])] + ", " +
                      m.col_labels[static_cast<std::size_t>(ci[r])] + ") has no value");
    auto& s = seen[static_cast<std::size_t>(ri[r]) * m.col_labels.size() +
                   static_cast<std::size_t>(ci[r])];
    if (s)
      throw DataError("matrix cell (" + m.row_labels[static_cast<std::size_t>(ri[r])] + ", " +
                      m.col_labels[static_cast<std::size_t>(ci[r])] + ") is given twice");
    s = 1;
    m.values(ri[r], ci[r]) = vc.number(r);
  }
  return m;
}

Schema long_matrix_schema() {
  Schema s;
  s.add("row", ColumnType::kString);
  s.add("column", ColumnType::kString);
  s.add("value", ColumnType::kFloat);
  return s;
}

Table matrix_to_long(const LabelledMatrix& m, const std::string& row_column,
                     const std::string& col_column, const std::string& value_column) {
  auto rd = std::make_shared<Dictionary>(), cd = std::make_shared<Dictionary>();
  for (const auto& l : m.row_labels) rd->intern(l);
  for (const auto& l : m.col_labels) cd->intern(l);
  const std::size_t R = m.row_labels.size(), C = m.col_labels.size();
  std::vector<std::int32_t> rows, cols;
  std::vector<double> vals;
  rows.reserve(R * C);
  cols.reserve(R * C);
  vals.reserve(R * C);
  for (std::size_t i = 0; i < R; ++i)
    for (std::size_t j = 0; j < C; ++j) {
      rows.push_back(rd->find(m.row_labels[i]));
      cols.push_back(cd->find(m.col_labels[j]));
      vals.push_back(m.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
    }
  return Table({Column::make_strings(row_column, rd, std::move(rows)),
                Column::make_strings(col_column, cd, std::move(cols)),
                Column::make_floats(value_column, std::move(vals))});
}

TableSpec matrix_read(std::string table_param, std::string doc) {
  return TableSpec::read(std::move(table_param), std::move(doc))
      .column(ColumnSpec::strings("row"))
      .column(ColumnSpec::strings("column"))
      .column(ColumnSpec::numbers("value"))
      .with_hint(
          "declare it with layout = \"matrix\" in dataset.toml, or give long columns row, column, "
          "value");
}

TableSpec matrix_write(std::string pattern, std::string doc) {
  return matrix_write(std::move(pattern), std::move(doc), {});
}

TableSpec matrix_write(std::string pattern, std::string doc, std::string unit) {
  return TableSpec::write(std::move(pattern), std::move(doc))
      .column(ColumnSpec::strings("row"))
      .column(ColumnSpec::strings("column"))
      .column(ColumnSpec::floats("value").in(std::move(unit)));
}

}  // namespace klaster::sdk
