// morans_i: global Moran's I with its moments under normality and randomisation and a seeded
// permutation test; optionally local Moran (LISA) with conditional-permutation p-values.
// Cliff & Ord (1981), Spatial Processes, ch. 1-2 (moments); Anselin (1995), Geographical Analysis
// 27(2) (local Moran and conditional randomisation). Formulas as in PySAL esda.Moran / Moran_Local.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "klaster/sdk/plugin.hpp"
#include "morans_i_kernel.hpp"

namespace klaster::plugins::morans_i {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// \brief The values and the weights tables and their columns.
std::vector<ParamSpec> table_params() {
  return {
      ParamSpec("input", ParamType::kTable)
          .req()
          .primary()
          .doc_("one row per region: region, value"),
      ParamSpec("value", ParamType::kColumn)
          .numeric()
          .of("input")
          .def("value")
          .doc_("the variable"),
      ParamSpec("region", ParamType::kColumn).of("input").def("region").doc_("region key column"),
      ParamSpec("weights", ParamType::kTable)
          .req()
          .doc_("spatial weights (from, to, weight), e.g. written by spatial_weights"),
      ParamSpec("from", ParamType::kColumn)
          .of("weights")
          .def("from")
          .doc_("origin region column of `weights`"),
      ParamSpec("to", ParamType::kColumn)
          .of("weights")
          .def("to")
          .doc_("neighbour region column of `weights` (missing: a region without neighbours)"),
      ParamSpec("weight", ParamType::kColumn)
          .numeric()
          .of("weights")
          .def("weight")
          .doc_("weight column of `weights`"),
  };
}

/// \brief How the weights are used and how the statistics are tested.
std::vector<ParamSpec> test_params() {
  return {
      ParamSpec("transform", ParamType::kString)
          .def("none")
          .one_of({"none", "row"})
          .doc_("use the weights as given, or row-standardise them"),
      ParamSpec("permutations", ParamType::kInt)
          .def(std::int64_t{999})
          .at_least(0)
          .at_most(1e7)
          .doc_("number of random permutations (0: no permutation test)"),
      ParamSpec("seed", ParamType::kInt)
          .def(std::int64_t{12345})
          .doc_("seed of the std::mt19937_64 generator"),
      ParamSpec("alternative", ParamType::kString)
          .def("folded")
          .one_of({"folded", "greater", "less"})
          .doc_("tail of the permutation p-value"),
      ParamSpec("local", ParamType::kBool)
          .def(false)
          .doc_("also write local Moran (LISA) to <output>_local"),
      ParamSpec("local_scale", ParamType::kString)
          .def("n")
          .one_of({"n", "n_minus_1"})
          .doc_("Ii scale: n (Anselin 1995) or n - 1 (PySAL)"),
      ParamSpec("allow_islands", ParamType::kBool)
          .def(false)
          .doc_("keep regions without neighbours (warning) instead of an error"),
      ParamSpec("missing", ParamType::kString)
          .def("error")
          .one_of({"error", "drop"})
          .doc_("regions with a missing value: an error, or dropped (with their weights)"),
  };
}

std::vector<TableSpec> tables_read() {
  return {TableSpec::read("input", "one value per region")
              .column(ColumnSpec::of("region"))
              .column(ColumnSpec::of("value", "the variable y")),
          TableSpec::read("weights",
                          "spatial weights, one row per (from, to) pair (e.g. written by "
                          "spatial_weights); a row with a missing `to` and weight 0 marks a region "
                          "without neighbours")
              .column(ColumnSpec::of("from"))
              .column(ColumnSpec::of("to"))
              .column(ColumnSpec::of("weight", "w_ij >= 0"))};
}

std::vector<TableSpec> tables_written() {
  return {
      TableSpec::write("<output>", "global Moran's I: one row")
          .column(ColumnSpec::ints("n", "regions with a value"))
          .column(ColumnSpec::floats("I", "Moran's I").in("index"))
          .column(ColumnSpec::floats("expected", "E[I] = -1/(n-1)").in("index"))
          .column(
              ColumnSpec::floats("variance_normal", "Var(I) under normality").in("dimensionless"))
          .column(ColumnSpec::floats("variance_random",
                                     "Var(I) under randomisation; missing where not positive")
                      .in("dimensionless"))
          .column(
              ColumnSpec::floats(
                  "z_normal",
                  "(I - E[I]) / sqrt(variance_normal); missing where the variance is not positive")
                  .in("z-score"))
          .column(
              ColumnSpec::floats(
                  "z_random",
                  "(I - E[I]) / sqrt(variance_random); missing where the variance is not positive")
                  .in("z-score"))
          .column(ColumnSpec::floats("p_permutation",
                                     "pseudo p-value (m + 1) / (permutations + 1), in (0, 1]; "
                                     "missing with permutations = 0")
                      .in("probability (0-1)"))
          .column(ColumnSpec::ints("permutations", "random permutations drawn")),
      TableSpec::write("<output>_local", "local Moran (LISA): one row per region")
          .when("local", "true")
          .column(ColumnSpec::of("region"))
          .column(ColumnSpec::floats("value", "y_i").in("<value>"))
          .column(ColumnSpec::floats("Ii", "local Moran c z_i lag_i / sum z^2 (c = n or n - 1)")
                      .in("index"))
          // The lag sum_j w_ij z_j: y's unit times w's (row-standardised w: a share).
          .column(ColumnSpec::floats("lag", "spatial lag sum_j w_ij z_j of the deviations")
                      .when("transform", "none")
                      .in("<value> · <weight>"))
          .column(ColumnSpec::floats("lag", "spatial lag sum_j w_ij z_j of the deviations")
                      .when("transform", "row")
                      .in("<value>"))
          .column(ColumnSpec::floats("p_permutation",
                                     "conditional-permutation pseudo p-value; missing with "
                                     "permutations = 0")
                      .in("probability (0-1)"))
          .column(ColumnSpec::strings("quadrant", "HH, LH, LL or HL (value, lag; zero is Low)"))};
}

Alternative alternative_of(const std::string& text) {
  if (text == "greater") return Alternative::kGreater;
  if (text == "less") return Alternative::kLess;
  return Alternative::kFolded;
}

/// \brief The regions with a value, by position in input order.
struct Values {
  std::map<std::string, std::size_t> index;  // region label -> position
  std::set<std::string> dropped;             // regions left out for a missing value
  std::vector<std::size_t> rows;             // input row per position
  std::vector<double> y;

  std::vector<std::string> labels() const {
    std::vector<std::string> out(y.size());
    for (const auto& [label, i] : index) out[i] = label;
    return out;
  }
};

/// \brief Reads the weights table into adjacency lists over the regions of Values.
class WeightsReader {
 public:
  WeightsReader(const Params& params, const Table& weights, const Values& values)
      : params_(params),
        wt_(weights),
        values_(values),
        from_(weights.column(params.str("from"))),
        to_(weights.column(params.str("to"))),
        w_(weights.column(params.str("weight"))),
        nb_(values.y.size()) {}

  /// The adjacency lists; `skipped` counts rows naming a region dropped for a missing value.
  Neighbours read(std::size_t& skipped) {
    for (std::size_t row = 0; row < wt_.rows(); ++row) add_row(row);
    skipped = skipped_;
    return std::move(nb_);
  }

 private:
  std::string where(std::size_t row) const {
    return "table '" + params_.str("weights") + "'" + wt_.line_note(row);
  }

  /// The position of region `label` of `row`, nullopt (counted) when it was dropped.
  std::optional<std::size_t> position(const std::string& label, std::size_t row) {
    if (auto it = values_.index.find(label); it != values_.index.end()) return it->second;
    if (values_.dropped.count(label)) {
      ++skipped_;
      return std::nullopt;
    }
    throw DataError("region '" + label + "' of " + where(row) + " has no value in table '" +
                    params_.str("input") + "'");
  }

  void add_row(std::size_t row) {
    if (!from_.is_valid(row))
      throw DataError(wt_.row_name(row) + " of table '" + params_.str("weights") +
                      "' has a missing '" + params_.str("from") + "' region");
    const std::string from = from_.to_text(row);
    const auto fi = position(from, row);
    if (!fi) return;
    const bool has_weight = w_.is_valid(row) && std::isfinite(w_.number(row));
    if (!to_.is_valid(row)) {  // an island marker written by spatial_weights
      if (has_weight && w_.number(row) != 0)
        throw DataError(where(row) + ": region '" + from +
                        "' has no neighbour but a non-zero weight");
      return;
    }
    const std::string to = to_.to_text(row);
    const auto ti = position(to, row);
    if (!ti) return;
    if (!has_weight)
      throw DataError(where(row) + ": missing weight from '" + from + "' to '" + to + "'");
    const double w = w_.number(row);
    if (w < 0)
      throw DataError(where(row) + ": negative weight " + format_number(w) + " from '" + from +
                      "' to '" + to + "'");
    if (const auto [first, fresh] = seen_.emplace(std::make_pair(*fi, *ti), row); !fresh)
      throw DataError("table '" + params_.str("weights") + "' has two rows from '" + from +
                      "' to '" + to + "'" + wt_.lines_note(first->second, row));
    if (w > 0) nb_[*fi].push_back({*ti, w});
  }

  const Params& params_;
  const Table& wt_;
  const Values& values_;
  const Column &from_, &to_, &w_;
  Neighbours nb_;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> seen_;  // (from, to) -> first row
  std::size_t skipped_ = 0;
};

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет глобальный (и локальный) индекс Морана для показателя по регионам с "
       "таблицей весов"},
      {p.description,
       "I = (n / S0) sum_ij w_ij z_i z_j / sum_i z_i^2, z = y - mean(y), S0 = sum_ij "
       "w_ij.\n"
       "expected = -1/(n-1). variance_normal = (n^2 S1 - n S2 + 3 S0^2) / ((n^2-1) S0^2)"
       " - E^2; variance_random = [n((n^2-3n+3) S1 - n S2 + 3 S0^2) - k((n^2-n) S1 - 2n "
       "S2 + 6 S0^2)] / ((n-1)(n-2)(n-3) S0^2) - E^2, где S1 = 1/2 sum_ij (w_ij + "
       "w_ji)^2, S2 = sum_i (w_i. + w_.i)^2, а эксцесс k = n sum z^4 / (sum z^2)^2 "
       "(Cliff & Ord 1981; esda.Moran в PySAL).\n"
       "p_permutation: `permutations` случайных перестановок значений (std::mt19937_64 с"
       " начальным значением `seed`, алгоритм Фишера — Йетса), p = (m + 1) / "
       "(permutations + 1), m — число перестановочных I, не менее экстремальных; "
       "`alternative` = \"folded\" (по умолчанию, p_sim в PySAL: меньший хвост), \"greater\""
       " (по умолчанию в moran.mc из spdep) или \"less\".\n"
       "Веса используются как заданы (transform = \"none\", по умолчанию, как spdep с "
       "заданным listw); transform = \"row\" сначала нормирует их по строкам "
       "(преобразование \"r\" по умолчанию в esda.Moran из PySAL). Регионы без соседей — "
       "ошибка, если не задано allow_islands = true (тогда они остаются в n с нулевым "
       "лагом, как в PySAL, и в журнал пишется предупреждение).\n"
       "local = true добавляет <output>_local: Ii = c z_i sum_j w_ij z_j / sum z^2, где "
       "c = n (local_scale = \"n\", по умолчанию, Anselin 1995 с m2 = sum z^2 / n) или c ="
       " n - 1 (\"n_minus_1\", esda.Moran_Local в PySAL); p_permutation — условными "
       "перестановками (z_i фиксировано, соседи выбираются из остальных n-1 значений); "
       "квадранты HH, LH, LL, HL как в PySAL (z_i > 0 — High, лаг > 0 — High; ноль "
       "считается Low).\n"
       "Источники: Cliff & Ord (1981) Spatial Processes; Anselin (1995) Geographical "
       "Analysis 27(2)."},
  };
}

class MoransI final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "morans_i";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes global (and local) Moran's I of a value per region with a weights table";
    p.description =
        "I = (n / S0) sum_ij w_ij z_i z_j / sum_i z_i^2, z = y - mean(y), S0 = sum_ij w_ij.\n"
        "expected = -1/(n-1). variance_normal = (n^2 S1 - n S2 + 3 S0^2) / ((n^2-1) S0^2) - E^2; "
        "variance_random = [n((n^2-3n+3) S1 - n S2 + 3 S0^2) - k((n^2-n) S1 - 2n S2 + 6 S0^2)] / "
        "((n-1)(n-2)(n-3) S0^2) - E^2, with S1 = 1/2 sum_ij (w_ij + w_ji)^2, S2 = sum_i (w_i. + "
        "w_.i)^2 and kurtosis k = n sum z^4 / (sum z^2)^2 (Cliff & Ord 1981; PySAL esda.Moran).\n"
        "p_permutation: `permutations` random permutations of the values (std::mt19937_64 seeded "
        "with `seed`, Fisher-Yates), p = (m + 1) / (permutations + 1), m = permuted I at least as "
        "extreme; `alternative` = \"folded\" (default, PySAL's p_sim: the smaller tail), "
        "\"greater\" (spdep moran.mc default) or \"less\".\n"
        "Weights are used as given (transform = \"none\", default, as spdep with the listw given); "
        "transform = \"row\" row-standardises them first (PySAL esda.Moran's default "
        "transformation \"r\"). Regions without neighbours are an error unless allow_islands = "
        "true (then they stay in n with a zero lag, as in PySAL, and a warning is logged).\n"
        "local = true adds <output>_local: Ii = c z_i sum_j w_ij z_j / sum z^2 with c = n "
        "(local_scale = \"n\", default, Anselin 1995 with m2 = sum z^2 / n) or c = n - 1 "
        "(\"n_minus_1\", PySAL esda.Moran_Local); p_permutation by conditional permutation "
        "(z_i fixed, the neighbours drawn from the other n-1 values); quadrant HH, LH, LL, HL as "
        "in PySAL (z_i > 0 is High, the lag > 0 is High; zero counts as Low).\n"
        "Reference: Cliff & Ord (1981) Spatial Processes; Anselin (1995) Geographical Analysis "
        "27(2).";
    p.params = table_params();
    const std::vector<ParamSpec> test = test_params();
    p.params.insert(p.params.end(), test.begin(), test.end());
    p.reads = tables_read();
    p.writes = tables_written();
    p.translations["ru"] = russian(p);
    return p;
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const Values values = read_values(ctx, in);
    Neighbours nb = read_weights(ctx, values);
    report_islands(ctx, nb, values);
    if (params.str("transform") == "row") row_standardize(nb);
    const Deviations dev = deviations(values.y);
    if (!(dev.m2 > 0))
      throw DataError("every region has the same value of '" + params.str("value") +
                      "'; Moran's I is undefined");
    // One generator for both tests, global first: the local p-values continue its sequence.
    std::mt19937_64 gen(static_cast<std::uint64_t>(params.integer("seed")));
    write_global(ctx, nb, dev, gen);
    if (params.boolean("local")) write_local(ctx, in, values, nb, dev, gen);
  }

 private:
  /// Whether `row` has a region and a finite value. False for a row left out with missing =
  /// "drop" (a region with a missing value is remembered in `dropped`); DataError otherwise.
  static bool has_value(const RunContext& ctx, const Table& in, std::size_t row, Values& v) {
    const Params& params = ctx.params();
    const Column& region = in.column(params.str("region"));
    const Column& value = in.column(params.str("value"));
    const bool drop = params.str("missing") == "drop";
    if (!region.is_valid(row)) {
      if (drop) return false;
      throw DataError(in.row_name(row) +
                      " has a missing region (set missing = \"drop\" to skip it)");
    }
    if (value.is_valid(row) && std::isfinite(value.number(row))) return true;
    const std::string label = region.to_text(row);
    if (!drop)
      throw DataError("region '" + label + "' has a missing value in column '" +
                      params.str("value") + "' (set missing = \"drop\" to leave it out)");
    v.dropped.insert(label);
    return false;
  }

  /// The regions of `input` with their values, each once, at least four.
  static Values read_values(const RunContext& ctx, const Table& in) {
    const Params& params = ctx.params();
    const Column& region = in.column(params.str("region"));
    Values v;
    for (std::size_t row = 0; row < in.rows(); ++row) {
      if (!has_value(ctx, in, row, v)) continue;
      const std::string label = region.to_text(row);
      if (const auto [first, fresh] = v.index.emplace(label, v.y.size()); !fresh)
        throw DataError("region '" + label + "' appears twice in table '" + params.str("input") +
                        "'" + in.lines_note(v.rows[first->second], row));
      v.rows.push_back(row);
      v.y.push_back(in.column(params.str("value")).number(row));
    }
    if (v.y.size() < 4)
      throw DataError(
          "Moran's I needs at least 4 regions with values (the randomisation variance divides by "
          "(n-1)(n-2)(n-3)); got " +
          std::to_string(v.y.size()));
    return v;
  }

  static Neighbours read_weights(const RunContext& ctx, const Values& values) {
    std::size_t skipped = 0;
    Neighbours nb =
        WeightsReader(ctx.params(), ctx.table_of_param("weights"), values).read(skipped);
    if (skipped)
      ctx.log(LogLevel::kWarn, std::to_string(skipped) +
                                   " weights rows refer to regions dropped for missing values");
    return nb;
  }

  /// Regions without neighbours: a warning naming them, and an error unless allow_islands.
  static void report_islands(const RunContext& ctx, const Neighbours& nb, const Values& values) {
    const std::vector<std::string> labels = values.labels();
    std::string islands;
    std::size_t n_islands = 0;
    for (std::size_t i = 0; i < nb.size(); ++i)
      if (nb[i].empty()) {
        islands += (islands.empty() ? "'" : ", '") + labels[i] + "'";
        ++n_islands;
      }
    if (!n_islands) return;
    const std::string msg = std::to_string(n_islands) + " region(s) without neighbours: " + islands;
    ctx.log(LogLevel::kWarn, msg);
    if (!ctx.params().boolean("allow_islands"))
      throw DataError(
          msg + "; give them neighbours (e.g. a wider distance band) or set allow_islands = true");
  }

  static std::size_t permutations(const Params& params) {
    return static_cast<std::size_t>(params.integer("permutations"));
  }

  /// A one-row float column, missing where `valid` is false.
  static void set_single(OutputTable& out, std::string_view column, double value, bool valid) {
    out.set(column, std::vector<double>{value},
            std::vector<std::uint8_t>{static_cast<std::uint8_t>(valid)});
  }

  static void write_global(RunContext& ctx, const Neighbours& nb, const Deviations& dev,
                           std::mt19937_64& gen) {
    const Params& params = ctx.params();
    const GlobalMoran m = global_moran(nb, dev);
    const std::size_t draws = permutations(params);
    const double p = draws > 0
                         ? global_permutation_p(nb, dev, m.i, draws,
                                                alternative_of(params.str("alternative")), gen)
                         : kNaN;
    OutputTable out = ctx.output();
    out.set("n", std::vector<std::int64_t>{static_cast<std::int64_t>(dev.z.size())});
    out.set("I", std::vector<double>{m.i});
    out.set("expected", std::vector<double>{m.expected});
    out.set("variance_normal", std::vector<double>{m.variance_normal});
    set_single(out, "variance_random", m.variance_random, m.variance_random > 0);
    set_single(out, "z_normal", m.z_normal.value_or(kNaN), m.z_normal.has_value());
    set_single(out, "z_random", m.z_random.value_or(kNaN), m.z_random.has_value());
    set_single(out, "p_permutation", p, draws > 0);
    out.set("permutations", std::vector<std::int64_t>{static_cast<std::int64_t>(draws)});
    ctx.write(std::move(out));
  }

  static void write_local(RunContext& ctx, const Table& in, const Values& values,
                          const Neighbours& nb, const Deviations& dev, std::mt19937_64& gen) {
    const Params& params = ctx.params();
    const auto n = static_cast<double>(values.y.size());
    const double scale = params.str("local_scale") == "n" ? n : n - 1;
    LocalMoran local = local_moran(nb, dev, scale);
    const std::size_t draws = permutations(params);
    std::vector<double> p(values.y.size(), kNaN);
    if (draws > 0)
      p = local_permutation_p(nb, dev, scale, local.ii, draws,
                              alternative_of(params.str("alternative")), gen);
    OutputTable out = ctx.output("<output>_local");
    out.set(Column::take(in.column(params.str("region")), values.rows));
    out.set("value", values.y);
    out.set("Ii", std::move(local.ii));
    out.set("lag", std::move(local.lag));
    out.set("p_permutation", std::move(p),
            std::vector<std::uint8_t>(values.y.size(), static_cast<std::uint8_t>(draws > 0)));
    out.set("quadrant", local.quadrant);
    ctx.write(std::move(out));
  }
};

}  // namespace

void row_standardize(Neighbours& nb) {
  for (auto& list : nb) {
    double s = 0;
    for (const auto& e : list) s += e.w;
    for (auto& e : list) e.w /= s;
  }
}

Deviations deviations(const std::vector<double>& y) {
  const auto n = static_cast<double>(y.size());
  double mean = 0;
  for (const double v : y) mean += v;
  mean /= n;
  Deviations d;
  d.z.resize(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    d.z[i] = y[i] - mean;
    d.m2 += d.z[i] * d.z[i];
    d.m4 += d.z[i] * d.z[i] * d.z[i] * d.z[i];
  }
  return d;
}

WeightSums weight_sums(const Neighbours& nb) {
  const std::size_t n = nb.size();
  std::map<std::pair<std::size_t, std::size_t>, double> w;
  std::vector<double> row_sum(n, 0.0), col_sum(n, 0.0);
  WeightSums s;
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& e : nb[i]) {
      w[{i, e.j}] += e.w;
      row_sum[i] += e.w;
      col_sum[e.j] += e.w;
      s.s0 += e.w;
    }
  // S1 over every ordered pair where either weight is non-zero.
  std::set<std::pair<std::size_t, std::size_t>> pairs;
  for (const auto& [ij, wij] : w) {
    pairs.insert(ij);
    pairs.insert({ij.second, ij.first});
  }
  auto weight_of = [&](std::size_t i, std::size_t j) {
    auto it = w.find({i, j});
    return it == w.end() ? 0.0 : it->second;
  };
  for (const auto& [i, j] : pairs) {
    const double sym = weight_of(i, j) + weight_of(j, i);
    s.s1 += sym * sym;
  }
  s.s1 /= 2;
  for (std::size_t i = 0; i < n; ++i) s.s2 += (row_sum[i] + col_sum[i]) * (row_sum[i] + col_sum[i]);
  return s;
}

double moran_i(const Neighbours& nb, const std::vector<double>& v, double s0, double m2) {
  double cross = 0;
  for (std::size_t i = 0; i < nb.size(); ++i) {
    double lag = 0;
    for (const auto& e : nb[i]) lag += e.w * v[e.j];
    cross += v[i] * lag;
  }
  return static_cast<double>(nb.size()) / s0 * cross / m2;
}

GlobalMoran global_moran(const Neighbours& nb, const Deviations& dev) {
  const WeightSums ws = weight_sums(nb);
  const double n = static_cast<double>(nb.size()), s0 = ws.s0, s1 = ws.s1, s2 = ws.s2;
  GlobalMoran m;
  m.i = moran_i(nb, dev.z, s0, dev.m2);
  m.expected = -1.0 / (n - 1);
  const double e2 = m.expected * m.expected;
  m.variance_normal = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - e2;
  const double k = n * dev.m4 / (dev.m2 * dev.m2);
  m.variance_random = (n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0) -
                       k * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)) /
                          ((n - 1) * (n - 2) * (n - 3) * s0 * s0) -
                      e2;
  if (m.variance_normal > 0) m.z_normal = (m.i - m.expected) / std::sqrt(m.variance_normal);
  if (m.variance_random > 0) m.z_random = (m.i - m.expected) / std::sqrt(m.variance_random);
  return m;
}

double pseudo_p(std::size_t greater_eq, std::size_t less_eq, std::size_t permutations,
                Alternative alternative) {
  std::size_t extreme;
  if (alternative == Alternative::kGreater) {
    extreme = greater_eq;
  } else if (alternative == Alternative::kLess) {
    extreme = less_eq;
  } else {  // folded: the smaller tail, as esda's p_sim
    extreme = std::min(greater_eq, permutations - greater_eq);
  }
  return static_cast<double>(extreme + 1) / static_cast<double>(permutations + 1);
}

std::uint64_t uniform_below(std::mt19937_64& gen, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
  for (;;) {
    const std::uint64_t r = gen();
    if (r >= threshold) return r % n;
  }
}

double global_permutation_p(const Neighbours& nb, const Deviations& dev, double i,
                            std::size_t permutations, Alternative alternative,
                            std::mt19937_64& gen) {
  const double s0 = weight_sums(nb).s0;
  std::vector<double> perm = dev.z;
  std::size_t ge = 0, le = 0;
  for (std::size_t s = 0; s < permutations; ++s) {
    partial_shuffle(perm, perm.size(), gen);
    const double sim = moran_i(nb, perm, s0, dev.m2);
    if (sim >= i) ++ge;
    if (sim <= i) ++le;
  }
  return pseudo_p(ge, le, permutations, alternative);
}

LocalMoran local_moran(const Neighbours& nb, const Deviations& dev, double scale) {
  const std::size_t n = nb.size();
  LocalMoran out;
  out.ii.resize(n);
  out.lag.assign(n, 0.0);
  out.quadrant.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& e : nb[i]) out.lag[i] += e.w * dev.z[e.j];
    out.ii[i] = scale * dev.z[i] * out.lag[i] / dev.m2;
    const bool high = dev.z[i] > 0, high_lag = out.lag[i] > 0;
    out.quadrant[i] = high ? (high_lag ? "HH" : "HL") : (high_lag ? "LH" : "LL");
  }
  return out;
}

namespace {

/// The conditional-permutation p of region i: its self-weight stays on z_i, its other
/// neighbours draw their values from the other n - 1 regions.
double local_p(const Neighbours& nb, const Deviations& dev, double scale, std::size_t i, double ii,
               std::size_t permutations, Alternative alternative, std::mt19937_64& gen) {
  const std::size_t n = nb.size();
  double self = 0;
  std::vector<Neighbour> others;
  for (const auto& e : nb[i]) {
    if (e.j == i)
      self += e.w;
    else
      others.push_back(e);
  }
  std::vector<std::size_t> pool;
  for (std::size_t j = 0; j < n; ++j)
    if (j != i) pool.push_back(j);
  std::size_t ge = 0, le = 0;
  for (std::size_t s = 0; s < permutations; ++s) {
    partial_shuffle(pool, others.size(), gen);
    double l = self * dev.z[i];
    for (std::size_t m = 0; m < others.size(); ++m) l += others[m].w * dev.z[pool[m]];
    const double sim = scale * dev.z[i] * l / dev.m2;
    if (sim >= ii) ++ge;
    if (sim <= ii) ++le;
  }
  return pseudo_p(ge, le, permutations, alternative);
}

}  // namespace

std::vector<double> local_permutation_p(const Neighbours& nb, const Deviations& dev, double scale,
                                        const std::vector<double>& ii, std::size_t permutations,
                                        Alternative alternative, std::mt19937_64& gen) {
  std::vector<double> p(nb.size());
  for (std::size_t i = 0; i < nb.size(); ++i)
    p[i] = local_p(nb, dev, scale, i, ii[i], permutations, alternative, gen);
  return p;
}

}  // namespace klaster::plugins::morans_i

KLASTER_PLUGIN(klaster::plugins::morans_i::MoransI)
