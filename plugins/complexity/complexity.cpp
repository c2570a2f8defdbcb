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
#include <string>
#include <vector>

#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}
/// \brief Population standard deviation (ddof = 0, as numpy's std used by py-ecomplexity).
double sd_of(const std::vector<double>& v, double mean) {
  double s = 0;
  for (double x : v) s += (x - mean) * (x - mean);
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

/// \brief Results for one year, dense over all regions (R) and industries (I) of the cube.
struct YearResult {
  std::vector<double> rca, present, density;  // R * I
  std::vector<double> diversity, eci;         // R
  std::vector<double> ubiquity, pci;          // I
  std::vector<double> proximity;              // I * I
};

class Complexity final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "complexity";
    p.version = "1.0.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes RCA, diversity, ubiquity, ECI, PCI, proximity and relatedness density";
    p.description =
        "RCA_ri = (x_ri / x_r.) / (x_.i / x..) (Balassa); M_ri = 1 where RCA_ri >= threshold "
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
    p.params = cube_params("activity column (exports, employment, ...)");
    p.params.insert(
        p.params.end(),
        {
            ParamSpec("threshold", ParamType::kFloat)
                .def(1.0)
                .at_least(0)
                .doc_("presence M = 1 where RCA >= threshold"),
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
    p.reads = {{"input", "region, industry, [year], value", "non-negative activity"}};
    p.writes = {{"<output>", "[year], region, diversity, eci", "one row per region"},
                {"<output>_industries", "[year], industry, ubiquity, pci", "one row per industry"},
                {"<output>_cells", "[year], region, industry, rca, present, density",
                 "one row per region x industry"},
                {"<output>_proximity", "[year], from, to, proximity", "with proximity = true"}};
    return p;
  }

  void bind(BindContext& ctx) const override {
    const Params& params = ctx.params();
    const Schema& in = ctx.schema_of_param("input");
    const CubeOptions o = cube_options(params, in);
    auto with_year = [&] {
      Schema s;
      if (!o.year.empty()) s.add(o.year, *in.type_of(o.year));
      return s;
    };
    Schema regions = with_year();
    regions.add(o.region, *in.type_of(o.region));
    regions.add("diversity", ColumnType::kInt);
    regions.add("eci", ColumnType::kFloat);
    ctx.declare_output(ctx.output_name(), regions);
    Schema industries = with_year();
    industries.add(o.industry, *in.type_of(o.industry));
    industries.add("ubiquity", ColumnType::kInt);
    industries.add("pci", ColumnType::kFloat);
    ctx.declare_output(ctx.output_name() + "_industries", industries);
    Schema cells = with_year();
    cells.add(o.region, *in.type_of(o.region));
    cells.add(o.industry, *in.type_of(o.industry));
    cells.add("rca", ColumnType::kFloat);
    cells.add("present", ColumnType::kInt);
    cells.add("density", ColumnType::kFloat);
    ctx.declare_output(ctx.output_name() + "_cells", cells);
    if (params.boolean("proximity")) {
      Schema prox = with_year();
      prox.add("from", *in.type_of(o.industry));
      prox.add("to", *in.type_of(o.industry));
      prox.add("proximity", ColumnType::kFloat);
      ctx.declare_output(ctx.output_name() + "_proximity", prox);
    }
  }

  void run(RunContext& ctx) const override {
    const Params& params = ctx.params();
    const Table& in = ctx.table_of_param("input");
    const auto shared_cube = Cube::shared(in, cube_options(params, in.schema()));
    const Cube& cube = *shared_cube;
    const std::size_t Y = cube.n_years(), R = cube.n_regions(), I = cube.n_industries();
    std::vector<YearResult> results;
    for (std::size_t y = 0; y < Y; ++y) results.push_back(compute_year(ctx, cube, y));

    const auto& years = cube.years();
    auto year_column = [&](std::vector<std::int32_t> ys) {
      return years.make_column(cube.options().year, ys);
    };
    auto valid_of = [](const std::vector<double>& v) {
      std::vector<std::uint8_t> ok(v.size());
      for (std::size_t k = 0; k < v.size(); ++k) ok[k] = std::isnan(v[k]) ? 0 : 1;
      return ok;
    };
    auto ints_of = [](const std::vector<double>& v) {
      std::vector<std::int64_t> out;
      for (double x : v) out.push_back(static_cast<std::int64_t>(std::llround(x)));
      return out;
    };

    {  // regions
      std::vector<std::int32_t> ys, rs;
      std::vector<double> div, eci;
      for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t r = 0; r < R; ++r) {
          ys.push_back(static_cast<std::int32_t>(y));
          rs.push_back(static_cast<std::int32_t>(r));
          div.push_back(results[y].diversity[r]);
          eci.push_back(results[y].eci[r]);
        }
      std::vector<Column> cols;
      if (cube.has_year()) cols.push_back(year_column(ys));
      cols.push_back(cube.regions().make_column(cube.options().region, rs));
      cols.push_back(Column::make_ints("diversity", ints_of(div)));
      cols.push_back(Column::make_floats("eci", eci, valid_of(eci)));
      ctx.write(ctx.output_name(), Table(std::move(cols)));
    }
    {  // industries
      std::vector<std::int32_t> ys, is;
      std::vector<double> ubi, pci;
      for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t i = 0; i < I; ++i) {
          ys.push_back(static_cast<std::int32_t>(y));
          is.push_back(static_cast<std::int32_t>(i));
          ubi.push_back(results[y].ubiquity[i]);
          pci.push_back(results[y].pci[i]);
        }
      std::vector<Column> cols;
      if (cube.has_year()) cols.push_back(year_column(ys));
      cols.push_back(cube.industries().make_column(cube.options().industry, is));
      cols.push_back(Column::make_ints("ubiquity", ints_of(ubi)));
      cols.push_back(Column::make_floats("pci", pci, valid_of(pci)));
      ctx.write(ctx.output_name() + "_industries", Table(std::move(cols)));
    }
    {  // cells: every region x industry, absent cells as 0
      std::vector<std::size_t> cells;
      std::vector<double> rca, present, density;
      for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t r = 0; r < R; ++r)
          for (std::size_t i = 0; i < I; ++i) {
            cells.push_back(cube.cell(y, r, i));
            rca.push_back(results[y].rca[r * I + i]);
            present.push_back(results[y].present[r * I + i]);
            density.push_back(results[y].density[r * I + i]);
          }
      std::vector<Column> cols = cube.key_columns(cells);
      cols.push_back(Column::make_floats("rca", rca));
      cols.push_back(Column::make_ints("present", ints_of(present)));
      cols.push_back(Column::make_floats("density", density, valid_of(density)));
      ctx.write(ctx.output_name() + "_cells", Table(std::move(cols)));
    }
    if (params.boolean("proximity")) {
      std::vector<std::int32_t> ys, from, to;
      std::vector<double> prox;
      for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t i = 0; i < I; ++i)
          for (std::size_t j = 0; j < I; ++j) {
            ys.push_back(static_cast<std::int32_t>(y));
            from.push_back(static_cast<std::int32_t>(i));
            to.push_back(static_cast<std::int32_t>(j));
            prox.push_back(results[y].proximity[i * I + j]);
          }
      std::vector<Column> cols;
      if (cube.has_year()) cols.push_back(year_column(ys));
      cols.push_back(cube.industries().make_column("from", from));
      cols.push_back(cube.industries().make_column("to", to));
      cols.push_back(Column::make_floats("proximity", prox));
      ctx.write(ctx.output_name() + "_proximity", Table(std::move(cols)));
    }
  }

 private:
  static YearResult compute_year(RunContext& ctx, const Cube& cube, std::size_t y) {
    const Params& params = ctx.params();
    const std::size_t R = cube.n_regions(), I = cube.n_industries();
    const auto& rl = cube.regions().labels;
    const auto& il = cube.industries().labels;
    std::vector<double> region_total(R, 0.0), industry_total(I, 0.0);
    double total = 0;
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < I; ++i) {
        const double v = cube.value(cube.cell(y, r, i));
        region_total[r] += v;
        industry_total[i] += v;
        total += v;
      }
    for (std::size_t r = 0; r < R; ++r)
      if (!(region_total[r] > 0))
        throw DataError("region '" + rl[r] + "' has a zero total of '" + cube.options().value +
                        "' in " + cube.where_year(y) + ": its RCAs are undefined");
    for (std::size_t i = 0; i < I; ++i)
      if (!(industry_total[i] > 0))
        throw DataError("industry '" + il[i] + "' has a zero total of '" + cube.options().value +
                        "' in " + cube.where_year(y) + ": its RCAs are undefined");
    if (R < 2)
      throw DataError("complexity needs at least two regions, but only region '" + rl[0] +
                      "' has data" +
                      (cube.has_year() ? " in " + cube.where_year(y) : std::string()));

    YearResult out;
    const double threshold = params.real("threshold");
    out.rca.assign(R * I, 0.0);
    out.present.assign(R * I, 0.0);
    out.diversity.assign(R, 0.0);
    out.ubiquity.assign(I, 0.0);
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < I; ++i) {
        // Balassa (1965)
        const double rca =
            (cube.value(cube.cell(y, r, i)) / region_total[r]) / (industry_total[i] / total);
        out.rca[r * I + i] = rca;
        if (rca >= threshold) {
          out.present[r * I + i] = 1;
          out.diversity[r] += 1;
          out.ubiquity[i] += 1;
        }
      }

    // ECI / PCI over regions with diversity > 0 and industries with ubiquity > 0.
    std::vector<std::size_t> rs, is;
    std::string left_out;
    for (std::size_t r = 0; r < R; ++r) {
      if (out.diversity[r] > 0)
        rs.push_back(r);
      else
        left_out += (left_out.empty() ? "" : ", ") + std::string("region '") + rl[r] + "'";
    }
    for (std::size_t i = 0; i < I; ++i) {
      if (out.ubiquity[i] > 0)
        is.push_back(i);
      else
        left_out += (left_out.empty() ? "" : ", ") + std::string("industry '") + il[i] + "'";
    }
    if (!left_out.empty())
      ctx.log(LogLevel::kWarn, "no RCA >= " + std::to_string(threshold) + " in " +
                                   cube.where_year(y) + " for " + left_out +
                                   ": left out of ECI/PCI (missing values)");
    out.eci.assign(R, kNaN);
    out.pci.assign(I, kNaN);
    if (rs.size() < 2)
      throw DataError("ECI needs at least two regions with an RCA >= threshold in " +
                      cube.where_year(y));
    const auto Rn = static_cast<Eigen::Index>(rs.size()), In = static_cast<Eigen::Index>(is.size());
    Eigen::MatrixXd M(Rn, In);
    for (Eigen::Index a = 0; a < Rn; ++a)
      for (Eigen::Index b = 0; b < In; ++b)
        M(a, b) =
            out.present[rs[static_cast<std::size_t>(a)] * I + is[static_cast<std::size_t>(b)]];
    Eigen::VectorXd d = M.rowwise().sum(), u = M.colwise().sum().transpose();
    // Symmetric form: S = D^-1/2 M U^-1 M' D^-1/2 has the eigenvalues of D^-1 M U^-1 M'.
    const Eigen::VectorXd d_isqrt = d.array().rsqrt();
    const Eigen::MatrixXd A = d_isqrt.asDiagonal() * M * u.cwiseInverse().cwiseSqrt().asDiagonal();
    const Eigen::MatrixXd S = A * A.transpose();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(S);
    if (solver.info() != Eigen::Success)
      throw Error("the ECI eigenproblem did not converge in " + cube.where_year(y));
    const Eigen::VectorXd& lambda = solver.eigenvalues();  // ascending
    const Eigen::Index second = Rn - 2;
    if (lambda(Rn - 1) - lambda(second) < 1e-10)
      ctx.log(LogLevel::kWarn,
              "the region-industry network of " + cube.where_year(y) +
                  " is disconnected (eigenvalue 1 is repeated): ECI mixes its components");
    else if (second > 0 && lambda(second) - lambda(second - 1) < 1e-10)
      ctx.log(LogLevel::kWarn,
              "the second eigenvalue is repeated in " + cube.where_year(y) + ": ECI is not unique");
    Eigen::VectorXd eci_raw = d_isqrt.asDiagonal() * solver.eigenvectors().col(second);
    Eigen::VectorXd pci_raw =
        (u.cwiseInverse().asDiagonal() * M.transpose() * eci_raw) / lambda(second);

    std::vector<double> e(eci_raw.data(), eci_raw.data() + Rn),
        p(pci_raw.data(), pci_raw.data() + In), div;
    for (auto r : rs) div.push_back(out.diversity[r]);
    if (correlation(e, div) < 0) {
      for (auto& v : e) v = -v;
      for (auto& v : p) v = -v;
    }
    const double me = mean_of(e), se = sd_of(e, me);
    if (!(se > 0))
      throw DataError("ECI is constant across regions in " + cube.where_year(y) +
                      "; it cannot be standardised");
    const bool own = params.str("pci_scale") == "own";
    const double mp = own ? mean_of(p) : me, sp = own ? sd_of(p, mean_of(p)) : se;
    for (std::size_t a = 0; a < rs.size(); ++a) out.eci[rs[a]] = (e[a] - me) / se;
    for (std::size_t b = 0; b < is.size(); ++b) out.pci[is[b]] = sp > 0 ? (p[b] - mp) / sp : kNaN;

    // Proximity (Hidalgo et al. 2007): min of P(i | j), P(j | i) = co-occurrence / max ubiquity.
    out.proximity.assign(I * I, 0.0);
    for (std::size_t i = 0; i < I; ++i)
      for (std::size_t j = 0; j < I; ++j) {
        const double denom = std::max(out.ubiquity[i], out.ubiquity[j]);
        if (denom <= 0) continue;
        double both = 0;
        for (std::size_t r = 0; r < R; ++r) both += out.present[r * I + i] * out.present[r * I + j];
        out.proximity[i * I + j] = both / denom;
      }
    // Density: sum_j M_rj phi_ij / sum_j phi_ij.
    const bool diagonal = params.boolean("density_diagonal");
    out.density.assign(R * I, kNaN);
    for (std::size_t i = 0; i < I; ++i) {
      double norm = 0;
      for (std::size_t j = 0; j < I; ++j)
        if (diagonal || j != i) norm += out.proximity[i * I + j];
      if (norm <= 0) continue;
      for (std::size_t r = 0; r < R; ++r) {
        double s = 0;
        for (std::size_t j = 0; j < I; ++j)
          if (diagonal || j != i) s += out.present[r * I + j] * out.proximity[i * I + j];
        out.density[r * I + i] = s / norm;
      }
    }
    return out;
  }
};

}  // namespace
}  // namespace klaster::plugins

KLASTER_PLUGIN(klaster::plugins::Complexity)
