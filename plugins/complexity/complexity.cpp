// complexity: revealed comparative advantage, presence, diversity and ubiquity, the Economic and
// Product Complexity Indices (eigenvector form), proximity and relatedness density.
// Balassa (1965) for RCA; Hidalgo & Hausmann (2009), PNAS 106(26) for diversity, ubiquity and ECI;
// Hausmann et al. (2014), The Atlas of Economic Complexity, Technical Box 2.1 (eigenvector form);
// Hidalgo, Klinger, Barabasi & Hausmann (2007), Science 317 for proximity and density.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "complexity_kernel.hpp"
#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::complexity {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<ParamSpec> complexity_params() {
  std::vector<ParamSpec> p = cube_params("activity column (exports, employment, ...)");
  p.insert(p.end(),
           {
               ParamSpec("threshold", ParamType::kFloat)
                   .def(1.0)
                   .at_least(0)
                   .doc_("presence M = 1 where RCA >= threshold and the activity is positive "
                         "(threshold = 0: every cell with any activity)"),
               ParamSpec("pci_scale", ParamType::kString)
                   .def("own")
                   .one_of({"own", "eci"})
                   .doc_("z-score PCI with its own mean and sd, or with ECI's (py-ecomplexity)"),
               ParamSpec("density_diagonal", ParamType::kBool)
                   .def(true)
                   .doc_("include phi_ii = 1 in the density sums"),
               ParamSpec("proximity", ParamType::kBool)
                   .def(false)
                   .doc_("also write <output>_proximity (industry x industry)"),
               cube_missing_param(),
           });
  return p;
}

std::vector<TableSpec> tables_written() {
  return {TableSpec::write("<output>", "one row per region (and year)")
              .column(ColumnSpec::of("year"))
              .column(ColumnSpec::of("region"))
              .column(ColumnSpec::ints("diversity", "k_r: industries with RCA >= threshold"))
              .column(ColumnSpec::floats("eci",
                                         "Economic Complexity Index, z-score; missing for "
                                         "diversity 0")),
          TableSpec::write("<output>_industries", "one row per industry (and year)")
              .column(ColumnSpec::of("year"))
              .column(ColumnSpec::of("industry"))
              .column(ColumnSpec::ints("ubiquity", "k_i: regions with RCA >= threshold"))
              .column(ColumnSpec::floats("pci",
                                         "Product Complexity Index, z-score (pci_scale); "
                                         "missing for ubiquity 0")),
          TableSpec::write("<output>_cells",
                           "one row per region x industry (and year), absent "
                           "cells as 0")
              .column(ColumnSpec::of("year"))
              .column(ColumnSpec::of("region"))
              .column(ColumnSpec::of("industry"))
              .column(ColumnSpec::floats("rca", "RCA (Balassa), >= 0"))
              .column(ColumnSpec::ints("present", "M: 1 where rca >= threshold, else 0"))
              .column(ColumnSpec::floats("density",
                                         "relatedness density, in [0, 1]; missing where "
                                         "the industry has no proximity")),
          TableSpec::write("<output>_proximity", "one row per industry pair (and year)")
              .when("proximity", "true")
              .column(ColumnSpec::of("year"))
              .column(ColumnSpec::like("from", "industry",
                                       "an industry (typed as the industry "
                                       "column)"))
              .column(ColumnSpec::like("to", "industry", "another industry"))
              .column(ColumnSpec::floats(
                  "proximity",
                  "phi, in [0, 1]; 1 on the diagonal (0 for an industry present nowhere)"))};
}

/// \brief 0/1 and count columns are computed as doubles and written as ints.
std::vector<std::int64_t> ints_of(const std::vector<double>& v) {
  std::vector<std::int64_t> out;
  for (const double x : v) out.push_back(static_cast<std::int64_t>(std::llround(x)));
  return out;
}

/// \brief Missing where NaN.
std::vector<std::uint8_t> valid_of(const std::vector<double>& v) {
  std::vector<std::uint8_t> ok(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) ok[k] = std::isnan(v[k]) ? 0 : 1;
  return ok;
}

/// \brief Results for one year, dense over all regions (R) and industries (I) of the cube.
struct YearResult {
  Presence presence;
  std::vector<double> eci;        // R, NaN where left out of the eigenproblem
  std::vector<double> pci;        // I, likewise
  std::vector<double> proximity;  // I x I
  std::vector<double> density;    // R x I
};

class Complexity final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "complexity";
    p.version = "1.1.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes RCA, diversity, ubiquity, ECI, PCI, proximity and relatedness density";
    p.description =
        "RCA_ri = (x_ri / x_r.) / (x_.i / x..) (Balassa); M_ri = 1 where RCA_ri >= threshold "
        "and x_ri > 0 "
        "(default 1, as py-ecomplexity's rca_mcp_threshold). diversity k_r = sum_i M_ri, ubiquity "
        "k_i = sum_r M_ri.\n"
        "ECI: the eigenvector of the second-largest eigenvalue of M~ = D^-1 M U^-1 M' (D, U "
        "diagonal "
        "diversity and ubiquity), solved in its symmetric form D^-1/2 M U^-1 M' D^-1/2 with Eigen; "
        "PCI_raw = U^-1 M' ECI_raw / lambda, so that ECI_raw is the mean PCI_raw of a region's "
        "industries (Hausmann et al. 2014, Technical Box 2.1). Both signs are flipped when ECI "
        "correlates negatively with diversity (as py-ecomplexity). eci = (ECI_raw - mean) / sd; "
        "pci_scale = \"own\" (default) z-scores PCI with its own mean and sd, \"eci\" with ECI's "
        "(py-ecomplexity / Stata ecomplexity). sd is the population sd (ddof = 0, numpy). Regions "
        "with diversity 0 and industries with ubiquity 0 are left out of the eigenproblem (missing "
        "eci/pci, warning), as py-ecomplexity does.\n"
        "Proximity phi_ij = sum_r M_ri M_rj / max(k_i, k_j), the minimum of the two conditional "
        "probabilities (Hidalgo et al. 2007). Density d_ri = sum_j M_rj phi_ij / sum_j phi_ij, "
        "weighted by proximity, in [0, 1]; density_diagonal = true (default) includes j = i "
        "(phi_ii = 1), as py-ecomplexity; false excludes it. py-ecomplexity's knn density variant, "
        "which drops the weights, is not offered.\n"
        "Zero region or industry totals are errors. With a year column everything is per year.\n"
        "Reference: Balassa (1965); Hidalgo & Hausmann (2009) PNAS 106(26); Hausmann, Hidalgo et "
        "al. (2014) The Atlas of Economic Complexity; Hidalgo et al. (2007) Science 317(5837).";
    p.params = complexity_params();
    p.reads = {cube_read("non-negative activity by region and industry")};
    p.writes = tables_written();
    return p;
  }

  void run(RunContext& ctx) const override {
    const Table& in = ctx.table_of_param("input");
    const auto cube = Cube::shared(in, cube_options(ctx.params(), in.schema()));
    if (const std::string note = cube->dropped_note(); !note.empty())
      ctx.log(LogLevel::kWarn,
              note +
                  ": each is read as 0 (RCA 0, not present in M) and its region's and "
                  "industry's totals lack it");
    std::vector<YearResult> results;
    for (std::size_t y = 0; y < cube->n_years(); ++y)
      results.push_back(compute_year(ctx, *cube, y));
    write_regions(ctx, *cube, results);
    write_industries(ctx, *cube, results);
    write_cells(ctx, *cube, results);
    if (ctx.params().boolean("proximity")) write_proximity(ctx, *cube, results);
  }

 private:
  static YearResult compute_year(const RunContext& ctx, const Cube& cube, std::size_t y) {
    const Params& params = ctx.params();
    const std::size_t R = cube.n_regions(), I = cube.n_industries();
    const auto first = cube.values().begin() + static_cast<std::ptrdiff_t>(cube.cell(y, 0, 0));
    const std::vector<double> x(first, first + static_cast<std::ptrdiff_t>(R * I));
    const Totals totals = totals_of(x, R, I);
    check_totals(cube, y, totals);
    YearResult out;
    out.presence = presence_of(x, totals, params.real("threshold"));
    complexity_indices(ctx, cube, y, out);
    out.proximity = proximity_of(out.presence);
    out.density = density_of(out.presence, out.proximity, params.boolean("density_diagonal"));
    return out;
  }

  /// Every region and industry needs a positive total, and there must be two regions.
  static void check_totals(const Cube& cube, std::size_t y, const Totals& t) {
    const auto& rl = cube.regions().labels;
    const auto& il = cube.industries().labels;
    for (std::size_t r = 0; r < rl.size(); ++r)
      if (!(t.region[r] > 0))
        throw DataError("region '" + rl[r] + "' has a zero total of '" + cube.options().value +
                        "' in " + cube.where_year(y) + ": its RCAs are undefined");
    for (std::size_t i = 0; i < il.size(); ++i)
      if (!(t.industry[i] > 0))
        throw DataError("industry '" + il[i] + "' has a zero total of '" + cube.options().value +
                        "' in " + cube.where_year(y) + ": its RCAs are undefined");
    if (rl.size() < 2)
      throw DataError("complexity needs at least two regions, but only region '" + rl[0] +
                      "' has data" +
                      (cube.has_year() ? " in " + cube.where_year(y) : std::string()));
  }

  /// The regions with diversity > 0 and the industries with ubiquity > 0: those in the
  /// eigenproblem. The others are named in a warning.
  static std::pair<std::vector<std::size_t>, std::vector<std::size_t>> kept(const RunContext& ctx,
                                                                            const Cube& cube,
                                                                            std::size_t y,
                                                                            const Presence& p) {
    std::vector<std::size_t> rs, is;
    std::string left_out;
    auto leave_out = [&](const char* kind, const std::string& label) {
      left_out += (left_out.empty() ? "" : ", ") + std::string(kind) + " '" + label + "'";
    };
    for (std::size_t r = 0; r < p.diversity.size(); ++r) {
      if (p.diversity[r] > 0)
        rs.push_back(r);
      else
        leave_out("region", cube.regions().labels[r]);
    }
    for (std::size_t i = 0; i < p.ubiquity.size(); ++i) {
      if (p.ubiquity[i] > 0)
        is.push_back(i);
      else
        leave_out("industry", cube.industries().labels[i]);
    }
    if (!left_out.empty())
      ctx.log(LogLevel::kWarn, "no RCA >= " + std::to_string(ctx.params().real("threshold")) +
                                   " in " + cube.where_year(y) + " for " + left_out +
                                   ": left out of ECI/PCI (missing values)");
    return {rs, is};
  }

  /// ECI and PCI of year y into `out` (NaN for the regions and industries left out).
  static void complexity_indices(const RunContext& ctx, const Cube& cube, std::size_t y,
                                 YearResult& out) {
    const Presence& p = out.presence;
    const auto [rs, is] = kept(ctx, cube, y, p);
    out.eci.assign(p.diversity.size(), kNaN);
    out.pci.assign(p.ubiquity.size(), kNaN);
    if (rs.size() < 2)
      throw DataError("ECI needs at least two regions with an RCA >= threshold in " +
                      cube.where_year(y));
    const std::size_t I = p.ubiquity.size();
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rs.size()), static_cast<Eigen::Index>(is.size()));
    for (std::size_t a = 0; a < rs.size(); ++a)
      for (std::size_t b = 0; b < is.size(); ++b)
        m(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) =
            p.present[rs[a] * I + is[b]];
    const std::optional<RawComplexity> raw = raw_complexity(m);
    if (!raw) throw Error("the ECI eigenproblem did not converge in " + cube.where_year(y));
    log_spectrum(ctx, cube, y, raw->spectrum);
    const auto z = standardise(*raw, ctx.params().str("pci_scale") == "own");
    if (!z)
      throw DataError("ECI is constant across regions in " + cube.where_year(y) +
                      "; it cannot be standardised");
    for (std::size_t a = 0; a < rs.size(); ++a) out.eci[rs[a]] = z->eci[a];
    for (std::size_t b = 0; b < is.size(); ++b) out.pci[is[b]] = z->pci[b];
  }

  static void log_spectrum(const RunContext& ctx, const Cube& cube, std::size_t y,
                           Spectrum spectrum) {
    if (spectrum == Spectrum::kDisconnected)
      ctx.log(LogLevel::kWarn,
              "the region-industry network of " + cube.where_year(y) +
                  " is disconnected (eigenvalue 1 is repeated): ECI mixes its components");
    else if (spectrum == Spectrum::kSecondRepeated)
      ctx.log(LogLevel::kWarn,
              "the second eigenvalue is repeated in " + cube.where_year(y) + ": ECI is not unique");
  }

  /// The year column of rows whose years are `years` (cube year positions).
  static Column year_column(const Cube& cube, const std::vector<std::int32_t>& years) {
    return cube.years().make_column(cube.options().year, years);
  }

  static void write_regions(RunContext& ctx, const Cube& cube,
                            const std::vector<YearResult>& results) {
    std::vector<std::int32_t> ys, rs;
    std::vector<double> diversity, eci;
    for (std::size_t y = 0; y < results.size(); ++y)
      for (std::size_t r = 0; r < cube.n_regions(); ++r) {
        ys.push_back(static_cast<std::int32_t>(y));
        rs.push_back(static_cast<std::int32_t>(r));
        diversity.push_back(results[y].presence.diversity[r]);
        eci.push_back(results[y].eci[r]);
      }
    OutputTable out = ctx.output();
    if (cube.has_year()) out.set(year_column(cube, ys));
    out.set(cube.regions().make_column(cube.options().region, rs));
    out.set("diversity", ints_of(diversity));
    out.set("eci", eci, valid_of(eci));
    ctx.write(std::move(out));
  }

  static void write_industries(RunContext& ctx, const Cube& cube,
                               const std::vector<YearResult>& results) {
    std::vector<std::int32_t> ys, is;
    std::vector<double> ubiquity, pci;
    for (std::size_t y = 0; y < results.size(); ++y)
      for (std::size_t i = 0; i < cube.n_industries(); ++i) {
        ys.push_back(static_cast<std::int32_t>(y));
        is.push_back(static_cast<std::int32_t>(i));
        ubiquity.push_back(results[y].presence.ubiquity[i]);
        pci.push_back(results[y].pci[i]);
      }
    OutputTable out = ctx.output("<output>_industries");
    if (cube.has_year()) out.set(year_column(cube, ys));
    out.set(cube.industries().make_column(cube.options().industry, is));
    out.set("ubiquity", ints_of(ubiquity));
    out.set("pci", pci, valid_of(pci));
    ctx.write(std::move(out));
  }

  /// Every region x industry, absent cells as 0.
  static void write_cells(RunContext& ctx, const Cube& cube,
                          const std::vector<YearResult>& results) {
    std::vector<std::size_t> cells;
    std::vector<double> rca, present, density;
    for (std::size_t y = 0; y < results.size(); ++y)
      for (std::size_t k = 0; k < cube.n_regions() * cube.n_industries(); ++k) {
        cells.push_back(cube.cell(y, 0, 0) + k);
        rca.push_back(results[y].presence.rca[k]);
        present.push_back(results[y].presence.present[k]);
        density.push_back(results[y].density[k]);
      }
    OutputTable out = ctx.output("<output>_cells");
    for (Column& key : cube.key_columns(cells)) out.set(std::move(key));
    out.set("rca", std::move(rca));
    out.set("present", ints_of(present));
    out.set("density", density, valid_of(density));
    ctx.write(std::move(out));
  }

  static void write_proximity(RunContext& ctx, const Cube& cube,
                              const std::vector<YearResult>& results) {
    const std::size_t I = cube.n_industries();
    std::vector<std::int32_t> ys, from, to;
    std::vector<double> proximity;
    for (std::size_t y = 0; y < results.size(); ++y)
      for (std::size_t i = 0; i < I; ++i)
        for (std::size_t j = 0; j < I; ++j) {
          ys.push_back(static_cast<std::int32_t>(y));
          from.push_back(static_cast<std::int32_t>(i));
          to.push_back(static_cast<std::int32_t>(j));
          proximity.push_back(results[y].proximity[i * I + j]);
        }
    OutputTable out = ctx.output("<output>_proximity");
    if (cube.has_year()) out.set(year_column(cube, ys));
    out.set(cube.industries().make_column("from", from));
    out.set(cube.industries().make_column("to", to));
    out.set("proximity", std::move(proximity));
    ctx.write(std::move(out));
  }
};

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (const double x : v) s += x;
  return s / static_cast<double>(v.size());
}

/// \brief Population standard deviation (ddof = 0, as numpy's std used by py-ecomplexity).
double sd_of(const std::vector<double>& v, double mean) {
  double s = 0;
  for (const double x : v) s += (x - mean) * (x - mean);
  return std::sqrt(s / static_cast<double>(v.size()));
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double ma = mean_of(a), mb = mean_of(b);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) * (a[k] - ma);
    sbb += (b[k] - mb) * (b[k] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

/// \brief How the top eigenvalues (ascending `lambda`) sit; 1e-10 separates equal ones.
Spectrum spectrum_of(const Eigen::VectorXd& lambda) {
  const Eigen::Index second = lambda.size() - 2;
  if (lambda(second + 1) - lambda(second) < 1e-10) return Spectrum::kDisconnected;
  if (second > 0 && lambda(second) - lambda(second - 1) < 1e-10) return Spectrum::kSecondRepeated;
  return Spectrum::kDistinct;
}

}  // namespace

Totals totals_of(const std::vector<double>& x, std::size_t regions, std::size_t industries) {
  Totals t;
  t.region.assign(regions, 0.0);
  t.industry.assign(industries, 0.0);
  for (std::size_t r = 0; r < regions; ++r)
    for (std::size_t i = 0; i < industries; ++i) {
      const double v = x[r * industries + i];
      t.region[r] += v;
      t.industry[i] += v;
      t.all += v;
    }
  return t;
}

Presence presence_of(const std::vector<double>& x, const Totals& totals, double threshold) {
  const std::size_t R = totals.region.size(), I = totals.industry.size();
  Presence p;
  p.rca.assign(R * I, 0.0);
  p.present.assign(R * I, 0.0);
  p.diversity.assign(R, 0.0);
  p.ubiquity.assign(I, 0.0);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) {
      const double rca = (x[r * I + i] / totals.region[r]) / (totals.industry[i] / totals.all);
      p.rca[r * I + i] = rca;
      if (rca >= threshold && x[r * I + i] > 0) {  // a zero cell is never present
        p.present[r * I + i] = 1;
        p.diversity[r] += 1;
        p.ubiquity[i] += 1;
      }
    }
  return p;
}

std::optional<RawComplexity> raw_complexity(const Eigen::MatrixXd& m) {
  const Eigen::VectorXd d = m.rowwise().sum(), u = m.colwise().sum().transpose();
  // Symmetric form: S = D^-1/2 M U^-1 M' D^-1/2 has the eigenvalues of D^-1 M U^-1 M'.
  const Eigen::VectorXd d_isqrt = d.array().rsqrt();
  const Eigen::MatrixXd a = d_isqrt.asDiagonal() * m * u.cwiseInverse().cwiseSqrt().asDiagonal();
  const Eigen::MatrixXd s = a * a.transpose();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(s);
  if (solver.info() != Eigen::Success) return std::nullopt;
  const Eigen::VectorXd& lambda = solver.eigenvalues();  // ascending
  const Eigen::Index second = m.rows() - 2;
  const Eigen::VectorXd eci = d_isqrt.asDiagonal() * solver.eigenvectors().col(second);
  const Eigen::VectorXd pci =
      (u.cwiseInverse().asDiagonal() * m.transpose() * eci) / lambda(second);
  RawComplexity out;
  out.spectrum = spectrum_of(lambda);
  out.eci.assign(eci.data(), eci.data() + eci.size());
  out.pci.assign(pci.data(), pci.data() + pci.size());
  const std::vector<double> diversity(d.data(), d.data() + d.size());
  if (correlation(out.eci, diversity) < 0) {
    for (auto& v : out.eci) v = -v;
    for (auto& v : out.pci) v = -v;
  }
  return out;
}

std::optional<Standardised> standardise(const RawComplexity& raw, bool pci_own_scale) {
  const double me = mean_of(raw.eci), se = sd_of(raw.eci, me);
  if (!(se > 0)) return std::nullopt;
  const double mp = pci_own_scale ? mean_of(raw.pci) : me;
  const double sp = pci_own_scale ? sd_of(raw.pci, mean_of(raw.pci)) : se;
  Standardised out;
  for (const double e : raw.eci) out.eci.push_back((e - me) / se);
  for (const double p : raw.pci) out.pci.push_back(sp > 0 ? (p - mp) / sp : kNaN);
  return out;
}

std::vector<double> proximity_of(const Presence& p) {
  const std::size_t R = p.diversity.size(), I = p.ubiquity.size();
  std::vector<double> phi(I * I, 0.0);
  for (std::size_t i = 0; i < I; ++i)
    for (std::size_t j = 0; j < I; ++j) {
      const double denom = std::max(p.ubiquity[i], p.ubiquity[j]);
      if (denom <= 0) continue;
      double both = 0;
      for (std::size_t r = 0; r < R; ++r) both += p.present[r * I + i] * p.present[r * I + j];
      phi[i * I + j] = both / denom;
    }
  return phi;
}

std::vector<double> density_of(const Presence& p, const std::vector<double>& proximity,
                               bool diagonal) {
  const std::size_t R = p.diversity.size(), I = p.ubiquity.size();
  std::vector<double> density(R * I, kNaN);
  for (std::size_t i = 0; i < I; ++i) {
    double norm = 0;
    for (std::size_t j = 0; j < I; ++j)
      if (diagonal || j != i) norm += proximity[i * I + j];
    if (norm <= 0) continue;
    for (std::size_t r = 0; r < R; ++r) {
      double s = 0;
      for (std::size_t j = 0; j < I; ++j)
        if (diagonal || j != i) s += p.present[r * I + j] * proximity[i * I + j];
      density[r * I + i] = s / norm;
    }
  }
  return density;
}

}  // namespace klaster::plugins::complexity

KLASTER_PLUGIN(klaster::plugins::complexity::Complexity)
