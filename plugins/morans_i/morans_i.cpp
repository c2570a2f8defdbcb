// morans_i: global Moran's I with its moments under normality and randomisation and a seeded
// permutation test; optionally local Moran (LISA) with conditional-permutation p-values.
// Cliff & Ord (1981), Spatial Processes, ch. 1-2 (moments); Anselin (1995), Geographical Analysis
// 27(2) (local Moran and conditional randomisation). Formulas as in PySAL esda.Moran / Moran_Local.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// \brief A uniform integer in [0, n) from a 64-bit engine by rejection (no modulo bias). Written
/// out because std::uniform_int_distribution is implementation-defined; mt19937_64 is not.
std::uint64_t uniform_below(std::mt19937_64& gen, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
  for (;;) {
    const std::uint64_t r = gen();
    if (r >= threshold) return r % n;
  }
}

/// \brief Fisher-Yates: shuffles the first `k` positions of `v` into a uniform sample of `v`.
template <class T>
void partial_shuffle(std::vector<T>& v, std::size_t k, std::mt19937_64& gen) {
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < k && i + 1 < n; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(uniform_below(gen, n - i));
    std::swap(v[i], v[j]);
  }
}

/// \brief Pseudo p-value from `count` permutations at least as extreme, PySAL/spdep style.
double pseudo_p(std::size_t greater_eq, std::size_t less_eq, std::size_t permutations,
                const std::string& alternative) {
  std::size_t extreme;
  if (alternative == "greater") {
    extreme = greater_eq;
  } else if (alternative == "less") {
    extreme = less_eq;
  } else {  // folded: the smaller tail, as esda's p_sim
    extreme = std::min(greater_eq, permutations - greater_eq);
  }
  return static_cast<double>(extreme + 1) / static_cast<double>(permutations + 1);
}

struct Neighbour {
  std::size_t j;
  double w;
};

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
    p.params = {
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
    p.reads = {{"input", "region, value", "one value per region"},
               {"weights", "from, to, weight", "spatial weights"}};
    p.writes = {{"<output>",
                 "n, I, expected, variance_normal, variance_random, z_normal, z_random, "
                 "p_permutation, permutations",
                 "one row"},
                {"<output>_local", "region, value, Ii, lag, p_permutation, quadrant",
                 "with local = true: one row per region"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    Schema out;
    out.add("n", ColumnType::kInt);
    for (const char* c : {"I", "expected", "variance_normal", "variance_random", "z_normal",
                          "z_random", "p_permutation"})
      out.add(c, ColumnType::kFloat);
    out.add("permutations", ColumnType::kInt);
    ctx.declare_output(ctx.output_name(), out);
    if (params.boolean("local")) {
      Schema local;
      local.add(params.str("region"), *in.type_of(params.str("region")));
      for (const char* c : {"value", "Ii", "lag", "p_permutation"})
        local.add(c, ColumnType::kFloat);
      local.add("quadrant", ColumnType::kString);
      ctx.declare_output(ctx.output_name() + "_local", local);
    }
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const Table& wt = ctx.table_of_param("weights");
    const bool drop = params.str("missing") == "drop";

    // Values per region, in input order.
    const Column& region_col = in.column(params.str("region"));
    const Column& value_col = in.column(params.str("value"));
    std::map<std::string, std::size_t> index;
    std::map<std::string, std::size_t> dropped;
    std::vector<std::size_t> rows;
    std::vector<double> y;
    for (std::size_t row = 0; row < in.rows(); ++row) {
      if (!region_col.is_valid(row)) {
        if (drop) continue;
        throw DataError(in.row_name(row) +
                        " has a missing region (set missing = \"drop\" to skip it)");
      }
      const std::string label = region_col.to_text(row);
      if (!value_col.is_valid(row) || !std::isfinite(value_col.number(row))) {
        if (drop) {
          dropped.emplace(label, row);
          continue;
        }
        throw DataError("region '" + label + "' has a missing value in column '" +
                        params.str("value") + "' (set missing = \"drop\" to leave it out)");
      }
      if (const auto [first, fresh] = index.emplace(label, y.size()); !fresh)
        throw DataError("region '" + label + "' appears twice in table '" + params.str("input") +
                        "'" + in.lines_note(rows[first->second], row));
      rows.push_back(row);
      y.push_back(value_col.number(row));
    }
    const std::size_t n = y.size();
    if (n < 4)
      throw DataError(
          "Moran's I needs at least 4 regions with values (the randomisation variance divides by "
          "(n-1)(n-2)(n-3)); got " +
          std::to_string(n));

    // Weights as adjacency lists.
    const Column& from_col = wt.column(params.str("from"));
    const Column& to_col = wt.column(params.str("to"));
    const Column& w_col = wt.column(params.str("weight"));
    std::vector<std::vector<Neighbour>> nb(n);
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> seen;
    std::size_t skipped = 0;
    for (std::size_t row = 0; row < wt.rows(); ++row) {
      const auto where = [&] {
        return "table '" + params.str("weights") + "'" + wt.line_note(row);
      };
      if (!from_col.is_valid(row))
        throw DataError(wt.row_name(row) + " of table '" + params.str("weights") +
                        "' has a missing '" + params.str("from") + "' region");
      const std::string from = from_col.to_text(row);
      auto fi = index.find(from);
      if (fi == index.end()) {
        if (dropped.count(from)) {
          ++skipped;
          continue;
        }
        throw DataError("region '" + from + "' of " + where() + " has no value in table '" +
                        params.str("input") + "'");
      }
      const bool has_weight = w_col.is_valid(row) && std::isfinite(w_col.number(row));
      if (!to_col.is_valid(row)) {  // an island marker written by spatial_weights
        if (has_weight && w_col.number(row) != 0)
          throw DataError(where() + ": region '" + from +
                          "' has no neighbour but a non-zero weight");
        continue;
      }
      const std::string to = to_col.to_text(row);
      auto ti = index.find(to);
      if (ti == index.end()) {
        if (dropped.count(to)) {
          ++skipped;
          continue;
        }
        throw DataError("region '" + to + "' of " + where() + " has no value in table '" +
                        params.str("input") + "'");
      }
      if (!has_weight)
        throw DataError(where() + ": missing weight from '" + from + "' to '" + to + "'");
      const double w = w_col.number(row);
      if (w < 0)
        throw DataError(where() + ": negative weight " + format_number(w) + " from '" + from +
                        "' to '" + to + "'");
      if (const auto [first, fresh] = seen.emplace(std::make_pair(fi->second, ti->second), row);
          !fresh)
        throw DataError("table '" + params.str("weights") + "' has two rows from '" + from +
                        "' to '" + to + "'" + wt.lines_note(first->second, row));
      if (w > 0) nb[fi->second].push_back({ti->second, w});
    }
    if (skipped)
      ctx.log(LogLevel::kWarn, std::to_string(skipped) +
                                   " weights rows refer to regions dropped for missing values");

    std::vector<std::string> labels(n);
    for (const auto& [label, i] : index) labels[i] = label;
    std::string islands;
    std::size_t n_islands = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (nb[i].empty()) {
        islands += (islands.empty() ? "'" : ", '") + labels[i] + "'";
        ++n_islands;
      }
    if (n_islands) {
      const std::string msg =
          std::to_string(n_islands) + " region(s) without neighbours: " + islands;
      ctx.log(LogLevel::kWarn, msg);
      if (!params.boolean("allow_islands"))
        throw DataError(
            msg +
            "; give them neighbours (e.g. a wider distance band) or set allow_islands = true");
    }
    if (params.str("transform") == "row")
      for (auto& list : nb) {
        double s = 0;
        for (const auto& e : list) s += e.w;
        for (auto& e : list) e.w /= s;
      }

    // Moments. Cliff & Ord (1981); PySAL esda.Moran.
    const double nd = static_cast<double>(n);
    double mean = 0;
    for (double v : y) mean += v;
    mean /= nd;
    std::vector<double> z(n);
    double m2 = 0, m4 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      z[i] = y[i] - mean;
      m2 += z[i] * z[i];
      m4 += z[i] * z[i] * z[i] * z[i];
    }
    if (!(m2 > 0))
      throw DataError("every region has the same value of '" + params.str("value") +
                      "'; Moran's I is undefined");

    std::map<std::pair<std::size_t, std::size_t>, double> wmap;
    std::vector<double> row_sum(n, 0.0), col_sum(n, 0.0);
    double s0 = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (const auto& e : nb[i]) {
        wmap[{i, e.j}] += e.w;
        row_sum[i] += e.w;
        col_sum[e.j] += e.w;
        s0 += e.w;
      }
    // S1 = 1/2 sum_ij (w_ij + w_ji)^2 over every ordered pair where either weight is non-zero.
    std::map<std::pair<std::size_t, std::size_t>, double> pairs;
    for (const auto& [ij, w] : wmap) {
      pairs[ij];
      pairs[{ij.second, ij.first}];
    }
    auto weight_of = [&](std::size_t i, std::size_t j) {
      auto it = wmap.find({i, j});
      return it == wmap.end() ? 0.0 : it->second;
    };
    double s1 = 0;
    for (const auto& entry : pairs) {
      const double sym = weight_of(entry.first.first, entry.first.second) +
                         weight_of(entry.first.second, entry.first.first);
      s1 += sym * sym;
    }
    s1 /= 2;
    double s2 = 0;
    for (std::size_t i = 0; i < n; ++i) s2 += (row_sum[i] + col_sum[i]) * (row_sum[i] + col_sum[i]);

    auto moran = [&](const std::vector<double>& v) {
      double cross = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double lag = 0;
        for (const auto& e : nb[i]) lag += e.w * v[e.j];
        cross += v[i] * lag;
      }
      return nd / s0 * cross / m2;
    };
    const double I = moran(z);
    const double e_i = -1.0 / (nd - 1);
    const double var_norm =
        (nd * nd * s1 - nd * s2 + 3 * s0 * s0) / ((nd * nd - 1) * s0 * s0) - e_i * e_i;
    const double k = nd * m4 / (m2 * m2);
    const double var_rand = (nd * ((nd * nd - 3 * nd + 3) * s1 - nd * s2 + 3 * s0 * s0) -
                             k * ((nd * nd - nd) * s1 - 2 * nd * s2 + 6 * s0 * s0)) /
                                ((nd - 1) * (nd - 2) * (nd - 3) * s0 * s0) -
                            e_i * e_i;

    const auto permutations = static_cast<std::size_t>(params.integer("permutations"));
    const std::string alternative = params.str("alternative");
    std::mt19937_64 gen(static_cast<std::uint64_t>(params.integer("seed")));
    double p_perm = kNaN;
    if (permutations > 0) {
      std::vector<double> perm = z;
      std::size_t ge = 0, le = 0;
      for (std::size_t s = 0; s < permutations; ++s) {
        partial_shuffle(perm, n, gen);
        const double sim = moran(perm);
        if (sim >= I) ++ge;
        if (sim <= I) ++le;
      }
      p_perm = pseudo_p(ge, le, permutations, alternative);
    }
    auto sqrt_or_nan = [](double v) { return v > 0 ? std::sqrt(v) : kNaN; };
    std::vector<Column> cols;
    cols.push_back(Column::make_ints("n", {static_cast<std::int64_t>(n)}));
    cols.push_back(Column::make_floats("I", {I}));
    cols.push_back(Column::make_floats("expected", {e_i}));
    cols.push_back(Column::make_floats("variance_normal", {var_norm}));
    cols.push_back(Column::make_floats("variance_random", {var_rand},
                                       {static_cast<std::uint8_t>(var_rand > 0)}));
    cols.push_back(Column::make_floats("z_normal", {(I - e_i) / sqrt_or_nan(var_norm)},
                                       {static_cast<std::uint8_t>(var_norm > 0)}));
    cols.push_back(Column::make_floats("z_random", {(I - e_i) / sqrt_or_nan(var_rand)},
                                       {static_cast<std::uint8_t>(var_rand > 0)}));
    cols.push_back(Column::make_floats("p_permutation", {p_perm},
                                       {static_cast<std::uint8_t>(permutations > 0)}));
    cols.push_back(Column::make_ints("permutations", {static_cast<std::int64_t>(permutations)}));
    ctx.write(ctx.output_name(), Table(std::move(cols)));

    if (params.boolean("local")) {
      const double scale = params.str("local_scale") == "n" ? nd : nd - 1;
      std::vector<double> ii(n), lag(n), p_local(n, kNaN);
      std::vector<std::string> quadrant(n);
      for (std::size_t i = 0; i < n; ++i) {
        for (const auto& e : nb[i]) lag[i] += e.w * z[e.j];
        ii[i] = scale * z[i] * lag[i] / m2;
        const bool high = z[i] > 0, high_lag = lag[i] > 0;
        quadrant[i] = high ? (high_lag ? "HH" : "HL") : (high_lag ? "LH" : "LL");
      }
      // Conditional permutation (Anselin 1995): z_i stays, its neighbours' values are drawn
      // without replacement from the other n - 1 regions.
      if (permutations > 0) {
        std::vector<std::size_t> pool;
        for (std::size_t i = 0; i < n; ++i) {
          pool.clear();
          double self = 0;
          std::vector<Neighbour> others;
          for (const auto& e : nb[i]) {
            if (e.j == i)
              self += e.w;
            else
              others.push_back(e);
          }
          for (std::size_t j = 0; j < n; ++j)
            if (j != i) pool.push_back(j);
          std::size_t ge = 0, le = 0;
          for (std::size_t s = 0; s < permutations; ++s) {
            partial_shuffle(pool, others.size(), gen);
            double l = self * z[i];
            for (std::size_t m = 0; m < others.size(); ++m) l += others[m].w * z[pool[m]];
            const double sim = scale * z[i] * l / m2;
            if (sim >= ii[i]) ++ge;
            if (sim <= ii[i]) ++le;
          }
          p_local[i] = pseudo_p(ge, le, permutations, alternative);
        }
      }
      std::vector<Column> lc;
      lc.push_back(Column::take(region_col, rows));
      lc.back().name = params.str("region");
      lc.push_back(Column::make_floats("value", y));
      lc.push_back(Column::make_floats("Ii", ii));
      lc.push_back(Column::make_floats("lag", lag));
      lc.push_back(Column::make_floats(
          "p_permutation", p_local,
          std::vector<std::uint8_t>(n, static_cast<std::uint8_t>(permutations > 0))));
      lc.push_back(Column::make_strings("quadrant", quadrant));
      ctx.write(ctx.output_name() + "_local", Table(std::move(lc)));
    }
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::MoransI)
