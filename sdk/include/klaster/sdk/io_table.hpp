// klaster SDK: input-output systems for IO plugins (indicators and measures).
//
// A symmetric input-output table arrives as a LabelledMatrix (sdk::matrix_from_long of a table
// declared `layout = "matrix"`). IoSystem picks the intermediate block Z of the sectors, total
// output x and final demand f out of it, checks them, and answers row and column look-ups
// (D1, B1G, EMP, P3_S14 ...) in sector order. LeontiefSolver holds the LU factors of (I - A) of a
// checked, productive system and solves with them instead of inverting.
//
//   const IoSystem io = io_system(ctx);                  // parameters io_table_params() declared
//   const Eigen::MatrixXd A = io.technical_coefficients();
//   const LeontiefSolver leontief(A, io.sectors());      // DataError unless productive
//   Eigen::VectorXd m = leontief.output_multipliers();   // column sums of L, one solve
//
// Notation follows Miller & Blair (2009), Input-Output Analysis, 2nd ed., ch. 2 and 12.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "klaster/sdk/matrix.hpp"
#include "klaster/sdk/plugin.hpp"
#include "klaster/sdk/table.hpp"

namespace klaster::sdk {

/// \brief How the intermediate block, output and final demand are found in a published table.
/// Field names are the parameter names io_table_params() declares.
struct IoOptions {
  /// Sector names (row or column labels) forming Z, in this order. Empty: every label that is both
  /// a row and a column (after the mapping), in row order, except the total-output row and the
  /// final-demand columns.
  std::vector<std::string> sectors;
  /// Sectors dropped from the default set (e.g. a "TOTAL" row and column).
  std::vector<std::string> exclude;
  /// Prefix stripped from row labels to find their column: "CPA_" matches row CPA_C29 to column
  /// C29.
  std::string row_prefix;
  /// Explicit row-to-column pairs "row=column" ("CPA_C29=C29"); checked before row_prefix.
  std::vector<std::string> mapping;
  /// Row holding total output x at the sector columns. Empty: x = Z 1 + f (row sums).
  std::string total_output = "P1";
  /// Columns summed into final demand f. Empty: f = x - Z 1 (needs total_output).
  std::vector<std::string> final_demand;
  /// Accept negative intermediate flows (then the Hawkins-Simon test only checks invertibility).
  bool allow_negative_flows = false;
};

/// \brief A checked input-output system: Z (n x n), x, f in sector order, plus the whole table for
/// look-ups. A sector is named by its row label; parameters may use its row or its column label.
class IoSystem {
 public:
  /// \brief Picks and checks the system. DataError for unlabelled or non-matching labels, negative
  /// flows, zero output with inputs, a missing total-output row or final-demand column; ParamError
  /// (naming the parameter) for sectors named in options that are not in the table.
  static IoSystem from_matrix(LabelledMatrix table, const IoOptions& options);

  std::size_t size() const { return sectors_.size(); }
  /// \brief Sector names (row labels), the order of every vector and matrix here.
  const std::vector<std::string>& sectors() const { return sectors_; }
  /// \brief The column label of each sector (equal to the row label unless mapped).
  const std::vector<std::string>& sector_columns() const { return sector_columns_; }
  const Eigen::MatrixXd& Z() const { return z_; }
  const Eigen::VectorXd& x() const { return x_; }
  const Eigen::VectorXd& f() const { return f_; }
  const LabelledMatrix& table() const { return table_; }

  /// \brief Position of a sector named by its row or column label.
  std::optional<std::size_t> find_sector(std::string_view name) const;
  /// \brief Positions of `names`; one ParamError for `param` listing every unknown name.
  std::vector<std::size_t> sector_indices(const std::vector<std::string>& names,
                                          const std::string& param) const;

  bool has_row(const std::string& name) const { return table_.row_index(name).has_value(); }
  bool has_column(const std::string& name) const { return table_.col_index(name).has_value(); }
  /// \brief Row `name` (D1, B1G, EMP ...) at the sector columns. ParamError for `param` if absent.
  Eigen::VectorXd row(const std::string& name, const std::string& param) const;
  /// \brief Column `name` (P3_S14, P6 ...) at the sector rows. ParamError for `param` if absent.
  Eigen::VectorXd column(const std::string& name, const std::string& param) const;

  /// \brief The same sector block out of another table with these labels (e.g. the import table
  /// next to the domestic one). DataError naming `what` and the first missing sectors.
  Eigen::MatrixXd block_of(const LabelledMatrix& other, const std::string& what) const;
  /// \brief The sum of columns `names` of another table at the sector rows.
  Eigen::VectorXd columns_of(const LabelledMatrix& other, const std::vector<std::string>& names,
                             const std::string& what) const;

  /// \brief A sector vector from a long table (key column, float value column). Keys may be row or
  /// column labels; keys that are not sectors are ignored. Sectors absent from the table are 0
  /// when `missing_is_zero`, else a DataError listing them. Repeated keys are a DataError.
  Eigen::VectorXd sector_vector(const Table& table, const std::string& key_column,
                                const std::string& value_column, bool missing_is_zero,
                                const std::string& what) const;

  /// \brief A = Z x^-1 (Miller & Blair eq. 2.4); columns of sectors with x = 0 are 0.
  Eigen::MatrixXd technical_coefficients() const;
  /// \brief Ghosh allocation coefficients B = x^-1 Z (Miller & Blair eq. 12.1); rows with x = 0 are
  /// 0.
  Eigen::MatrixXd allocation_coefficients() const;

 private:
  Eigen::VectorXd final_demand_sum(const IoOptions& o) const;
  Eigen::VectorXd total_output(const IoOptions& o);
  LabelledMatrix table_;
  std::vector<std::string> sectors_, sector_columns_;
  std::vector<std::size_t> row_pos_, col_pos_;  // positions in table_
  Eigen::MatrixXd z_;
  Eigen::VectorXd x_, f_;
};

namespace detail {
struct LuKernel;

/// \brief Eigen's PartialPivLU of (I - M), formed and factorised in place by LeontiefSolver: one
/// pass forms I - M and the norms, then the LU and the solves with one vector run on the kernel
/// lu_kernel_name() names.
class LeontiefLu : public Eigen::PartialPivLU<Eigen::MatrixXd> {
 public:
  /// \brief What forming I - M saw: every entry of M finite and non-negative, ||I - M||_inf.
  struct Formed {
    bool finite = true, nonnegative = true;
    double inf_norm = 0;
  };
  /// \brief Forms I - m in the factors' storage (m square).
  Formed form(const Eigen::MatrixXd& m);
  /// \brief Factorises the formed matrix in place.
  void factorise();
  /// \brief Sets ||I - m||_1, which rcond()'s estimate needs (form() leaves it out).
  void l1_norm_of(const Eigen::MatrixXd& m);
  /// \brief (I - M)^-1 v, or ((I - M)^-1)' v when `transpose`.
  Eigen::VectorXd solve_vector(const Eigen::VectorXd& v, bool transpose) const;

 private:
  const LuKernel* kernel_ = nullptr;  // nullptr: Eigen's generic path
};
}  // namespace detail

/// \brief The LU kernel LeontiefSolver uses for n sectors on this machine: "avx512" or "avx2"
/// (Eigen compiled for that instruction set, chosen at run time, blocked on two threads) or
/// "generic" (Eigen's PartialPivLU, over LAPACKE and OpenBLAS when the SDK is built with them).
/// Automatically the widest the CPU runs, except from n = 1000 on when OpenBLAS has AVX2 kernels
/// itself; the environment variable KLASTER_LU_KERNEL = generic, avx2 or avx512 forces one (one
/// the CPU lacks gives generic). Error for another value.
std::string_view lu_kernel_name(std::size_t n);

/// \brief LU factors of (I - M) for a coefficient matrix M (A for Leontief, B for Ghosh), checked:
/// the system is invertible and productive (Hawkins-Simon: (I - M) y = 1 has a positive solution,
/// which for M >= 0 holds iff the spectral radius is below 1). Otherwise a DataError that names the
/// sectors with column sums of M >= 1 (or, failing those, with a non-positive solution).
class LeontiefSolver {
 public:
  /// \brief `what` names the system in messages ("Leontief", "Ghosh", "Type II (households
  /// closed)"). `check_productive = false` only requires invertibility (for matrices with negative
  /// entries).
  LeontiefSolver(const Eigen::MatrixXd& coefficients, const std::vector<std::string>& sectors,
                 std::string what = "Leontief", bool check_productive = true);

  std::size_t size() const { return static_cast<std::size_t>(lu_.rows()); }
  /// \brief (I - M)^-1 v: output for final demand v (Leontief) or, Ghosh, the transpose use.
  Eigen::VectorXd solve(const Eigen::VectorXd& v) const { return lu_.solve_vector(v, false); }
  /// \brief (I - M)^-1 V for several right-hand sides (columns of V).
  Eigen::MatrixXd solve_many(const Eigen::MatrixXd& v) const { return lu_.solve(v); }
  /// \brief ((I - M)^-1)^T w, i.e. the row vector w^T L as a column: weighted column sums of L.
  Eigen::VectorXd solve_transpose(const Eigen::VectorXd& w) const {
    return lu_.solve_vector(w, true);
  }
  /// \brief Column sums of (I - M)^-1 (output multipliers), by one transposed solve.
  Eigen::VectorXd output_multipliers() const;
  /// \brief Row sums of (I - M)^-1 (total forward linkages for Ghosh G), by one solve.
  Eigen::VectorXd row_sums() const;
  /// \brief The full inverse (I - M)^-1 (n solves). Only when the matrix itself is wanted.
  Eigen::MatrixXd inverse() const;
  /// \brief Reciprocal condition number of (I - M). Exact in the infinity norm when M >= 0 and
  /// the system is productive: (I - M)^-1 >= 0, so its norm is the largest entry of (I - M)^-1 1,
  /// the Hawkins-Simon solve. Otherwise Eigen's (LAPACK's) estimate in the 1-norm.
  double rcond() const { return rcond_; }

 private:
  detail::LeontiefLu lu_;
  double rcond_ = 0;
};

/// \brief The Type II coefficient matrix with households as sector n+1 (Miller & Blair 2009,
/// eq. 6.20): A* = [A c; h' 0], c = household consumption / household income, h = income per unit
/// of output. Solve it with LeontiefSolver(closed, sectors + "households", ...).
Eigen::MatrixXd close_households(const Eigen::MatrixXd& A,
                                 const Eigen::VectorXd& income_coefficients,
                                 const Eigen::VectorXd& consumption_shares);

// ---------------------------------------------------------------------------------------------
// Plugin glue: the common parameters of IO plugins

/// \brief The parameters every IO plugin reading one matrix table takes: `input` (table, required),
/// `sectors`, `exclude`, `row_prefix`, `mapping`, `total_output` (default "P1"), `final_demand`.
/// `table_param` renames `input`; `prefix` prefixes the others (for a second table: "import_").
/// Without a prefix the table is the plugin's primary input (ParamSpec::primary()); with one it is
/// not. Declare the table itself in PluginInfo::reads with matrix_read() (matrix.hpp).
std::vector<ParamSpec> io_table_params(const std::string& table_param = "input",
                                       const std::string& prefix = "");
/// \brief IoOptions from parameters declared by io_table_params(`prefix`).
IoOptions io_options(const Params& params, const std::string& prefix = "");
/// \brief The table named by `table_param` as a matrix, then as an IoSystem with io_options().
IoSystem io_system(const RunContext& ctx, const std::string& table_param = "input",
                   const std::string& prefix = "");

/// \brief Writes `m` in matrix_to_long()'s form (row, column, value) to the output table that
/// PluginInfo::writes declares with matrix_write(pattern).
void write_matrix(RunContext& ctx, std::string_view pattern, const LabelledMatrix& m);

/// \brief ParamError for `param` unless 0 <= value <= 1 (a share).
void check_share(double value, const std::string& param);

}  // namespace klaster::sdk
