#include "klaster/sdk/io_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "lu_kernels.hpp"

namespace klaster::sdk {

namespace {

using Eigen::Index;

/// "a, b, c, ... (n in all)" for messages: at most `shown` items.
std::string list_some(const std::vector<std::string>& items, std::size_t shown = 8) {
  std::string out;
  for (std::size_t k = 0; k < items.size() && k < shown; ++k) out += (k ? ", " : "") + items[k];
  if (items.size() > shown) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

/// The value of `name` among `labels`, or a ParamError naming `param` with a suggestion.
std::size_t require_label(const std::vector<std::string>& labels, const std::string& name,
                          const std::string& param, const char* kind) {
  for (std::size_t k = 0; k < labels.size(); ++k)
    if (labels[k] == name) return k;
  std::string msg =
      std::string(kind) + " '" + name + "' (parameter '" + param + "') is not in the table";
  const std::string near = nearest(name, labels);
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
  msg += "; its " + std::string(kind) + "s are: " + list_some(labels, 30);
  throw ParamError(param, msg);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// IoSystem::from_matrix, in parts

namespace {

using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;  // (row, column) positions

void check_labelled(const LabelledMatrix& table) {
  const std::size_t R = table.row_labels.size(), C = table.col_labels.size();
  if (R == 0 || C == 0 || ix(R) != table.values.rows() || ix(C) != table.values.cols())
    throw DataError("the input-output table is unlabelled or empty: " + std::to_string(R) +
                    " row labels and " + std::to_string(C) + " column labels for a " +
                    std::to_string(table.values.rows()) + " x " +
                    std::to_string(table.values.cols()) + " matrix");
  for (const auto& l : table.row_labels)
    if (l.empty()) throw DataError("the input-output table has a row without a label");
  for (const auto& l : table.col_labels)
    if (l.empty()) throw DataError("the input-output table has a column without a label");
}

/// The `mapping` option's "row=column" pairs, each label checked.
std::vector<std::pair<std::string, std::string>> parse_mapping(const LabelledMatrix& table,
                                                               const IoOptions& o) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& m : o.mapping) {
    const auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
      throw ParamError("mapping", "mapping entry '" + m + "' is not of the form \"row=column\"");
    pairs.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    require_label(table.row_labels, pairs.back().first, "mapping", "row");
    require_label(table.col_labels, pairs.back().second, "mapping", "column");
  }
  return pairs;
}

/// Every row whose label names a column: explicit pairs first, then the prefix, then the label.
Pairs match_rows(const LabelledMatrix& table, const IoOptions& o) {
  const auto pairs = parse_mapping(table, o);
  auto column_of_row = [&](const std::string& label) -> std::optional<std::size_t> {
    for (const auto& [row, col] : pairs)
      if (row == label) return table.col_index(col);
    if (!o.row_prefix.empty() && label.rfind(o.row_prefix, 0) == 0)
      if (auto c = table.col_index(label.substr(o.row_prefix.size()))) return c;
    return table.col_index(label);
  };
  Pairs matched;
  for (std::size_t r = 0; r < table.row_labels.size(); ++r)
    if (auto c = column_of_row(table.row_labels[r])) matched.emplace_back(r, *c);
  if (matched.empty())
    throw DataError(
        "no row label of the input-output table matches a column label, so there is no square "
        "intermediate block (rows: " +
        list_some(table.row_labels) + "; columns: " + list_some(table.col_labels) +
        "). If the codes differ, set row_prefix (e.g. \"CPA_\") or "
        "mapping (\"row=column\" pairs); or name the sectors");
  return matched;
}

/// The position in `matched` of the pair whose row or column label is `name`.
std::optional<std::size_t> find_matched(const LabelledMatrix& table, const Pairs& matched,
                                        const std::string& name) {
  for (std::size_t k = 0; k < matched.size(); ++k)
    if (table.row_labels[matched[k].first] == name || table.col_labels[matched[k].second] == name)
      return k;
  return std::nullopt;
}

/// The pairs the `sectors` option names, in its order.
std::vector<std::size_t> named_sectors(const LabelledMatrix& table, const Pairs& matched,
                                       const IoOptions& o) {
  std::vector<std::size_t> chosen;
  std::vector<std::string> unknown;
  for (const auto& s : o.sectors) {
    const auto k = find_matched(table, matched, s);
    if (!k) {
      unknown.push_back(s);
    } else if (std::find(chosen.begin(), chosen.end(), *k) != chosen.end()) {
      throw ParamError("sectors", "sector '" + s + "' is named twice in 'sectors'");
    } else {
      chosen.push_back(*k);
    }
  }
  if (unknown.empty()) return chosen;
  std::vector<std::string> known;
  for (const auto& [r, c] : matched) known.push_back(table.row_labels[r]);
  std::string msg = "sectors not in the table (as a label that is both a row and a column): " +
                    list_some(unknown, 30);
  const std::string near = nearest(unknown.front(), known);
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
  throw ParamError("sectors", msg + "; sectors available: " + list_some(known, 30));
}

/// Every matched pair but the output row and the final-demand columns, which are never sectors
/// even when their labels match.
std::vector<std::size_t> default_sectors(const LabelledMatrix& table, const Pairs& matched,
                                         const IoOptions& o) {
  std::vector<std::size_t> chosen;
  for (std::size_t k = 0; k < matched.size(); ++k) {
    const std::string& row = table.row_labels[matched[k].first];
    const std::string& col = table.col_labels[matched[k].second];
    const bool is_fd =
        std::find(o.final_demand.begin(), o.final_demand.end(), col) != o.final_demand.end();
    if (row != o.total_output && col != o.total_output && !is_fd) chosen.push_back(k);
  }
  return chosen;
}

void apply_exclude(const LabelledMatrix& table, const Pairs& matched, const IoOptions& o,
                   std::vector<std::size_t>& chosen) {
  std::vector<std::string> unknown;
  for (const auto& e : o.exclude) {
    const auto k = find_matched(table, matched, e);
    const auto pos = k ? std::find(chosen.begin(), chosen.end(), *k) : chosen.end();
    if (pos == chosen.end())
      unknown.push_back(e);
    else
      chosen.erase(pos);
  }
  if (!unknown.empty())
    throw ParamError("exclude",
                     "sectors to exclude are not among the sectors: " + list_some(unknown, 30));
  if (chosen.empty()) throw ParamError("exclude", "every sector is excluded");
}

/// The sectors' (row, column) positions: named, or all matched; less the excluded; one column each.
Pairs choose_sectors(const LabelledMatrix& table, const IoOptions& o) {
  const Pairs matched = match_rows(table, o);
  std::vector<std::size_t> chosen =
      o.sectors.empty() ? default_sectors(table, matched, o) : named_sectors(table, matched, o);
  apply_exclude(table, matched, o, chosen);
  Pairs out;
  for (const auto k : chosen) out.push_back(matched[k]);
  for (std::size_t a = 0; a < out.size(); ++a)
    for (std::size_t b = a + 1; b < out.size(); ++b)
      if (out[a].second == out[b].second)
        throw DataError("rows '" + table.row_labels[out[a].first] + "' and '" +
                        table.row_labels[out[b].first] + "' both map to column '" +
                        table.col_labels[out[a].second] + "'");
  return out;
}

void check_flows(const Eigen::MatrixXd& z, const std::vector<std::string>& sectors,
                 const IoOptions& o) {
  std::vector<std::string> bad;
  for (Index i = 0; i < z.rows(); ++i)
    for (Index j = 0; j < z.cols(); ++j) {
      if (!std::isfinite(z(i, j)))
        throw DataError("intermediate flow from '" + sectors[static_cast<std::size_t>(i)] +
                        "' to '" + sectors[static_cast<std::size_t>(j)] +
                        "' is not a finite number");
      if (z(i, j) < 0 && !o.allow_negative_flows)
        bad.push_back("(" + sectors[static_cast<std::size_t>(i)] + ", " +
                      sectors[static_cast<std::size_t>(j)] + ") = " + number(z(i, j)));
    }
  if (!bad.empty())
    throw DataError("negative intermediate flows: " + list_some(bad, 10) +
                    ". Intermediate use cannot be negative; fix the table, or set "
                    "allow_negative_flows = true if the negatives are intended");
}

/// A "sector" whose row is the sum of the other rows is a total row and column that matched.
void check_no_total_sector(const Eigen::MatrixXd& z, const std::vector<std::string>& sectors) {
  const Index n = z.rows();
  if (n < 3) return;
  const Eigen::RowVectorXd column_sums = z.colwise().sum();
  for (Index k = 0; k < n; ++k) {
    double diff = 0, size = 0;
    for (Index j = 0; j < n; ++j) {
      if (j == k) continue;
      diff += std::abs(column_sums(j) - z(k, j) - z(k, j));
      size += std::abs(z(k, j));
    }
    if (size > 0 && diff <= 1e-4 * size)
      throw DataError("sector '" + sectors[static_cast<std::size_t>(k)] +
                      "': its row is the sum of the other sectors' "
                      "rows, so it looks like a total; add it to exclude (or name the sectors)");
  }
}

/// Output must be non-negative, and a sector without output can neither buy nor sell.
void check_outputs(const Eigen::MatrixXd& z, const Eigen::VectorXd& x,
                   const std::vector<std::string>& sectors) {
  for (Index j = 0; j < x.size(); ++j) {
    const std::string& sector = sectors[static_cast<std::size_t>(j)];
    if (!std::isfinite(x(j)) || x(j) < 0)
      throw DataError("sector '" + sector + "' has total output " + number(x(j)) +
                      "; output must be a non-negative number");
    if (x(j) != 0) continue;
    if (const double inputs = z.col(j).cwiseAbs().sum(); inputs > 0)
      throw DataError("sector '" + sector + "' has zero total output but buys inputs worth " +
                      number(inputs) + ": its input coefficients are undefined");
    if (const double sales = z.row(j).cwiseAbs().sum(); sales > 0)
      throw DataError("sector '" + sector + "' has zero total output but sells " + number(sales) +
                      " to other sectors");
  }
}

}  // namespace

IoSystem IoSystem::from_matrix(LabelledMatrix table, const IoOptions& o) {
  check_labelled(table);
  IoSystem io;
  for (const auto& [row, col] : choose_sectors(table, o)) {
    io.row_pos_.push_back(row);
    io.col_pos_.push_back(col);
    io.sectors_.push_back(table.row_labels[row]);
    io.sector_columns_.push_back(table.col_labels[col]);
  }
  const std::size_t n = io.sectors_.size();
  io.z_.resize(ix(n), ix(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      io.z_(ix(i), ix(j)) = table.values(ix(io.row_pos_[i]), ix(io.col_pos_[j]));
  io.table_ = std::move(table);
  check_flows(io.z_, io.sectors_, o);
  check_no_total_sector(io.z_, io.sectors_);
  io.f_ = io.final_demand_sum(o);
  io.x_ = io.total_output(o);
  check_outputs(io.z_, io.x_, io.sectors_);
  return io;
}

Eigen::VectorXd IoSystem::final_demand_sum(const IoOptions& o) const {
  Eigen::VectorXd f = Eigen::VectorXd::Zero(z_.rows());
  for (const auto& name : o.final_demand) {
    const std::size_t c = require_label(table_.col_labels, name, "final_demand", "column");
    if (std::find(col_pos_.begin(), col_pos_.end(), c) != col_pos_.end())
      throw ParamError("final_demand",
                       "column '" + name + "' is a sector's column, not final demand");
    for (std::size_t i = 0; i < row_pos_.size(); ++i)
      f(ix(i)) += table_.values(ix(row_pos_[i]), ix(c));
  }
  return f;
}

/// Output from the total_output row, or intermediate sales plus final demand; without final-demand
/// columns, final demand is then output less intermediate sales (f_ is set here).
Eigen::VectorXd IoSystem::total_output(const IoOptions& o) {
  const Eigen::VectorXd intermediate_sales = z_.rowwise().sum();
  if (o.total_output.empty()) {
    if (o.final_demand.empty())
      throw ParamError("total_output",
                       "neither total_output nor final_demand is given: name the "
                       "row with total output (e.g. \"P1\") or the final-demand columns");
    return intermediate_sales + f_;
  }
  const std::size_t r = require_label(table_.row_labels, o.total_output, "total_output", "row");
  if (std::find(row_pos_.begin(), row_pos_.end(), r) != row_pos_.end())
    throw ParamError("total_output", "row '" + o.total_output + "' is a sector's row, not output");
  Eigen::VectorXd x(z_.rows());
  for (std::size_t j = 0; j < col_pos_.size(); ++j)
    x(ix(j)) = table_.values(ix(r), ix(col_pos_[j]));
  if (o.final_demand.empty()) f_ = x - intermediate_sales;
  return x;
}

std::optional<std::size_t> IoSystem::find_sector(std::string_view name) const {
  for (std::size_t k = 0; k < sectors_.size(); ++k)
    if (sectors_[k] == name || sector_columns_[k] == name) return k;
  return std::nullopt;
}

std::vector<std::size_t> IoSystem::sector_indices(const std::vector<std::string>& names,
                                                  const std::string& param) const {
  std::vector<std::size_t> out;
  std::vector<std::string> unknown;
  for (const auto& s : names) {
    if (auto k = find_sector(s))
      out.push_back(*k);
    else
      unknown.push_back(s);
  }
  if (!unknown.empty()) {
    std::string msg = "not a sector of the input-output table: " + list_some(unknown, 30);
    const std::string near = nearest(unknown.front(), sectors_);
    if (!near.empty()) msg += " (did you mean '" + near + "'?)";
    throw ParamError(param, msg + "; sectors: " + list_some(sectors_, 30));
  }
  return out;
}

Eigen::VectorXd IoSystem::row(const std::string& name, const std::string& param) const {
  const std::size_t r = require_label(table_.row_labels, name, param, "row");
  Eigen::VectorXd v(ix(size()));
  for (std::size_t j = 0; j < size(); ++j) v(ix(j)) = table_.values(ix(r), ix(col_pos_[j]));
  return v;
}

Eigen::VectorXd IoSystem::column(const std::string& name, const std::string& param) const {
  const std::size_t c = require_label(table_.col_labels, name, param, "column");
  Eigen::VectorXd v(ix(size()));
  for (std::size_t i = 0; i < size(); ++i) v(ix(i)) = table_.values(ix(row_pos_[i]), ix(c));
  return v;
}

Eigen::MatrixXd IoSystem::block_of(const LabelledMatrix& other, const std::string& what) const {
  const std::size_t n = size();
  std::vector<std::size_t> rows(n), cols(n);
  std::vector<std::string> missing;
  for (std::size_t k = 0; k < n; ++k) {
    auto r = other.row_index(sectors_[k]);
    auto c = other.col_index(sector_columns_[k]);
    if (!r) missing.push_back("row " + sectors_[k]);
    if (!c) missing.push_back("column " + sector_columns_[k]);
    if (r && c) {
      rows[k] = *r;
      cols[k] = *c;
    }
  }
  if (!missing.empty())
    throw DataError(what + " lacks sectors of the input-output table: " + list_some(missing, 10));
  Eigen::MatrixXd out(ix(n), ix(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) out(ix(i), ix(j)) = other.values(ix(rows[i]), ix(cols[j]));
  return out;
}

Eigen::VectorXd IoSystem::columns_of(const LabelledMatrix& other,
                                     const std::vector<std::string>& names,
                                     const std::string& what) const {
  const std::size_t n = size();
  Eigen::VectorXd out = Eigen::VectorXd::Zero(ix(n));
  for (const auto& name : names) {
    auto c = other.col_index(name);
    if (!c) throw DataError(what + " has no column '" + name + "'");
    for (std::size_t i = 0; i < n; ++i) {
      auto r = other.row_index(sectors_[i]);
      if (!r) throw DataError(what + " has no row for sector '" + sectors_[i] + "'");
      out(ix(i)) += other.values(ix(*r), ix(*c));
    }
  }
  return out;
}

Eigen::VectorXd IoSystem::sector_vector(const Table& table, const std::string& key_column,
                                        const std::string& value_column, bool missing_is_zero,
                                        const std::string& what) const {
  const Column& key = table.column(key_column);
  const Column& value = table.column(value_column);
  if (value.type == ColumnType::kString)
    throw DataError(what + ": column '" + value_column + "' holds text, not numbers");
  const std::size_t n = size();
  Eigen::VectorXd out = Eigen::VectorXd::Zero(ix(n));
  std::vector<bool> seen(n, false);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (!key.is_valid(r)) continue;
    auto k = find_sector(key.to_text(r));
    if (!k) continue;
    if (seen[*k]) throw DataError(what + ": sector '" + sectors_[*k] + "' appears twice");
    if (!value.is_valid(r) || !std::isfinite(value.number(r)))
      throw DataError(what + ": sector '" + sectors_[*k] + "' has no value in '" + value_column +
                      "'");
    seen[*k] = true;
    out(ix(*k)) = value.number(r);
  }
  if (!missing_is_zero) {
    std::vector<std::string> missing;
    for (std::size_t k = 0; k < n; ++k)
      if (!seen[k]) missing.push_back(sectors_[k]);
    if (!missing.empty())
      throw DataError(what + " has no value for sectors: " + list_some(missing, 20));
  }
  return out;
}

Eigen::MatrixXd IoSystem::technical_coefficients() const {
  Eigen::VectorXd inv = x_;
  for (Index j = 0; j < inv.size(); ++j) inv(j) = x_(j) > 0 ? 1.0 / x_(j) : 0.0;
  return z_ * inv.asDiagonal();
}

Eigen::MatrixXd IoSystem::allocation_coefficients() const {
  Eigen::VectorXd inv = x_;
  for (Index i = 0; i < inv.size(); ++i) inv(i) = x_(i) > 0 ? 1.0 / x_(i) : 0.0;
  return inv.asDiagonal() * z_;
}

// ---------------------------------------------------------------------------------------------
// LeontiefSolver

namespace detail {

LeontiefLu::Formed LeontiefLu::form(const Eigen::MatrixXd& m) {
  const Index n = m.rows();
  m_lu.resize(n, n);
  std::vector<double> row_norms(static_cast<std::size_t>(n), 0.0);
  std::vector<double> row_lows(static_cast<std::size_t>(n), 0.0);  // smallest entry of each row
  double* const rows = row_norms.data();
  double* const lows = row_lows.data();
  for (Index j = 0; j < n; ++j) {  // no sum over i: GCC vectorises no such sum without -ffast-math
    const double* source = m.col(j).data();
    double* column = m_lu.col(j).data();
    for (Index i = 0; i < n; ++i) {
      column[i] = -source[i];
      lows[i] = source[i] < lows[i] ? source[i] : lows[i];
      rows[i] += std::abs(source[i]);
    }
    column[j] += 1.0;  // the diagonal: |1 - m_jj| instead of |m_jj|
    rows[j] += std::abs(column[j]) - std::abs(source[j]);
  }
  Formed formed;
  formed.finite =
      std::all_of(row_norms.begin(), row_norms.end(), [](double r) { return std::isfinite(r); });
  formed.nonnegative =
      std::all_of(row_lows.begin(), row_lows.end(), [](double l) { return l >= 0; });
  formed.inf_norm = n ? *std::max_element(row_norms.begin(), row_norms.end()) : 0.0;
  m_l1_norm = -1;  // set by l1_norm_of() when rcond() is needed
  return formed;
}

void LeontiefLu::l1_norm_of(const Eigen::MatrixXd& m) {
  Eigen::MatrixXd i_minus_m = -m;
  i_minus_m.diagonal().array() += 1.0;
  m_l1_norm = i_minus_m.cwiseAbs().colwise().sum().maxCoeff();
}

void LeontiefLu::factorise() {
  m_rowsTranspositions.resize(m_lu.rows());
  int swaps = 0;
  kernel_ = lu_kernel(m_lu.rows());
  if (kernel_)
    swaps = lu_factorise(*kernel_, m_lu.data(), m_lu.rows(), m_rowsTranspositions.indices().data());
  else
    Eigen::internal::partial_lu_inplace(m_lu, m_rowsTranspositions, swaps);
  m_det_p = swaps % 2 ? -1 : 1;
  m_p = m_rowsTranspositions;
  m_isInitialized = true;
}

Eigen::VectorXd LeontiefLu::solve_vector(const Eigen::VectorXd& v, bool transpose) const {
  if (!kernel_ && transpose) return this->transpose().solve(v);
  if (!kernel_) return solve(v);
  Eigen::VectorXd x = v;
  kernel_->solve(m_lu.data(), m_lu.rows(), m_rowsTranspositions.indices().data(), x.data(),
                 transpose);
  return x;
}

}  // namespace detail

std::string_view lu_kernel_name(std::size_t n) {
  const detail::LuKernel* kernel = detail::lu_kernel(static_cast<Eigen::Index>(n));
  return kernel ? kernel->name : "generic";
}

LeontiefSolver::LeontiefSolver(const Eigen::MatrixXd& m, const std::vector<std::string>& sectors,
                               std::string what, bool check_productive) {
  const Index n = m.rows();
  if (m.cols() != n || static_cast<std::size_t>(n) != sectors.size() || n == 0)
    throw DataError(what + " system: coefficient matrix is " + std::to_string(m.rows()) + " x " +
                    std::to_string(m.cols()) + " for " + std::to_string(sectors.size()) +
                    " sectors; it must be square with one row per sector");
  const detail::LeontiefLu::Formed formed = lu_.form(m);
  lu_.factorise();
  const Eigen::VectorXd y = lu_.solve(Eigen::VectorXd::Ones(n));
  // M >= 0 and y > 0: (I - M)^-1 >= 0, so ||(I - M)^-1||_inf = max y exactly (rcond()).
  const bool exact = formed.finite && formed.nonnegative && y.allFinite() && (y.array() > 0).all();
  if (exact) {
    rcond_ = 1.0 / (formed.inf_norm * y.maxCoeff());
  } else {
    lu_.l1_norm_of(m);
    rcond_ = lu_.rcond();
  }
  const bool singular = !(rcond_ > 64 * std::numeric_limits<double>::epsilon()) || !y.allFinite();
  const bool productive = !singular && (!check_productive || (y.array() > 0).all());
  if (productive) return;

  // Name the sectors that make it so: inputs worth at least the output (column sums >= 1).
  std::vector<std::string> culprits;
  const Eigen::RowVectorXd column_sums = m.colwise().sum();
  for (Index j = 0; j < n; ++j)
    if (column_sums(j) >= 1.0)
      culprits.push_back(sectors[static_cast<std::size_t>(j)] + " (" + number(column_sums(j)) +
                         ")");
  std::string msg = what + " system ";
  msg += singular ? "is singular: (I - A) cannot be inverted" +
                        (std::isfinite(rcond_) ? " (reciprocal condition " + number(rcond_) + ")"
                                               : std::string())
                  : "is not productive (Hawkins-Simon condition fails: the spectral radius of A is "
                    "at least 1, so some output cannot be produced)";
  if (!culprits.empty()) {
    msg += "; sectors whose inputs per unit of output sum to 1 or more (column sums of A): " +
           list_some(culprits, 20);
  } else {
    for (Index j = 0; j < n; ++j)
      if (!(y(j) > 0)) culprits.push_back(sectors[static_cast<std::size_t>(j)]);
    if (!culprits.empty())
      msg += "; sectors with no positive gross output for a unit of every final demand: " +
             list_some(culprits, 20);
  }
  throw DataError(msg +
                  ". Check the units of total output against the flows, and that total "
                  "rows or columns are excluded");
}

Eigen::VectorXd LeontiefSolver::output_multipliers() const {
  return solve_transpose(Eigen::VectorXd::Ones(lu_.rows()));
}

Eigen::VectorXd LeontiefSolver::row_sums() const {
  return lu_.solve(Eigen::VectorXd::Ones(lu_.rows()));
}

Eigen::MatrixXd LeontiefSolver::inverse() const { return lu_.inverse(); }

Eigen::MatrixXd close_households(const Eigen::MatrixXd& A,
                                 const Eigen::VectorXd& income_coefficients,
                                 const Eigen::VectorXd& consumption_shares) {
  const Index n = A.rows();
  if (A.cols() != n || income_coefficients.size() != n || consumption_shares.size() != n)
    throw Error("close_households: A is " + std::to_string(A.rows()) + " x " +
                std::to_string(A.cols()) + ", the household row has " +
                std::to_string(income_coefficients.size()) + " and the household column " +
                std::to_string(consumption_shares.size()) + " entries");
  Eigen::MatrixXd closed = Eigen::MatrixXd::Zero(n + 1, n + 1);
  closed.topLeftCorner(n, n) = A;
  closed.topRightCorner(n, 1) = consumption_shares;
  closed.bottomLeftCorner(1, n) = income_coefficients.transpose();
  return closed;
}

// ---------------------------------------------------------------------------------------------
// Plugin glue

std::vector<ParamSpec> io_table_params(const std::string& table_param, const std::string& prefix) {
  std::vector<ParamSpec> params = {
      ParamSpec(table_param, ParamType::kTable)
          .req()
          .doc_("input-output table declared layout = \"matrix\" (long: row, column, value)"),
      ParamSpec(prefix + "sectors", ParamType::kStringList)
          .doc_("sectors forming the intermediate block, in this order (row or column labels); "
                "default: "
                "every label that is both a row and a column after the mapping"),
      ParamSpec(prefix + "exclude", ParamType::kStringList)
          .doc_("sectors dropped from the default set, e.g. a TOTAL row and column"),
      ParamSpec(prefix + "row_prefix", ParamType::kString)
          .def("")
          .doc_("prefix stripped from row codes to find their column, e.g. \"CPA_\" (row CPA_C29 "
                "-> column C29)"),
      ParamSpec(prefix + "mapping", ParamType::kStringList)
          .doc_("explicit \"row=column\" pairs where row and column codes differ, e.g. "
                "[\"CPA_C29=C29\"]"),
      ParamSpec(prefix + "total_output", ParamType::kString)
          .def("P1")
          .doc_("row with total output x; \"\" computes x = Z 1 + f from final_demand"),
      ParamSpec(prefix + "final_demand", ParamType::kStringList)
          .doc_("final-demand columns summed into f; default: f = x - Z 1"),
      ParamSpec(prefix + "allow_negative_flows", ParamType::kBool)
          .def(false)
          .doc_("accept negative intermediate flows (otherwise an error naming the cells)"),
  };
  if (prefix.empty())
    params.front().primary();  // a second, prefixed table is not the primary input
  return params;
}

IoOptions io_options(const Params& params, const std::string& prefix) {
  IoOptions o;
  auto list = [&](const std::string& name) {
    return params.has(prefix + name) ? params.strings(prefix + name) : std::vector<std::string>{};
  };
  o.sectors = list("sectors");
  o.exclude = list("exclude");
  o.mapping = list("mapping");
  o.final_demand = list("final_demand");
  if (params.has(prefix + "row_prefix")) o.row_prefix = params.str(prefix + "row_prefix");
  if (params.has(prefix + "total_output")) o.total_output = params.str(prefix + "total_output");
  if (params.has(prefix + "allow_negative_flows"))
    o.allow_negative_flows = params.boolean(prefix + "allow_negative_flows");
  return o;
}

IoSystem io_system(const RunContext& ctx, const std::string& table_param,
                   const std::string& prefix) {
  const std::string& name = ctx.params().str(table_param);
  try {
    return IoSystem::from_matrix(matrix_from_long(ctx.table_of_param(table_param)),
                                 io_options(ctx.params(), prefix));
  } catch (const ParamError&) {
    throw;
  } catch (const DataError& e) {
    throw DataError("table '" + name + "': " + e.what());
  }
}

void write_matrix(RunContext& ctx, std::string_view pattern, const LabelledMatrix& m) {
  OutputTable out = ctx.output(pattern);
  const Table long_form = matrix_to_long(m);
  for (const ColumnPtr& c : long_form.column_ptrs()) out.set(c);
  ctx.write(std::move(out));
}

void check_share(double value, const std::string& param) {
  if (!(value >= 0.0 && value <= 1.0))
    throw ParamError(param,
                     "'" + param + "' = " + number(value) + " is a share and must lie in [0, 1]");
}

}  // namespace klaster::sdk
