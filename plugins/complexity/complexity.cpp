// complexity: revealed comparative advantage, presence, diversity and ubiquity, the Economic and
// Product Complexity Indices (eigenvector form), proximity and relatedness density.
// Balassa (1965) for RCA; Hidalgo & Hausmann (2009), PNAS 106(26) for diversity, ubiquity and ECI;
// Hausmann et al. (2014), The Atlas of Economic Complexity, Technical Box 2.1 (eigenvector form);
// Hidalgo, Klinger, Barabasi & Hausmann (2007), Science 317 for proximity and density.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "complexity_kernel.hpp"
#include "klaster/sdk/cube.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::plugins::complexity {
namespace {

using namespace klaster::sdk;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<ParamSpec>& variant_params();

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
  p.insert(p.end(), variant_params().begin(), variant_params().end());
  return p;
}

/// \brief The issue-10 variants; every default keeps the 1.1.0 outputs.
const std::vector<ParamSpec>& variant_params() {
  static const std::vector<ParamSpec> p{
      ParamSpec("presence", ParamType::kString)
          .def("rca")
          .one_of({"rca", "rpop", "given"})
          .doc_("M from RCA >= threshold, from RPOP = (x_ri / pop_r) / (x_.i / pop_.) >= threshold "
                "(py-ecomplexity presence_test = \"rpop\", needs `population`), or the value "
                "itself, 0 or 1 (py-ecomplexity \"manual\", EconGeo's binary input)"),
      ParamSpec("population", ParamType::kTable)
          .doc_("one row per region with its population (presence = \"rpop\"); the same "
                "population is used in every year"),
      ParamSpec("population_region", ParamType::kColumn)
          .of("population")
          .def("region")
          .doc_("region column of `population` (keys as in input)"),
      ParamSpec("population_value", ParamType::kColumn)
          .of("population")
          .def("population")
          .numeric()
          .doc_("population column of `population` (> 0)"),
      ParamSpec("method", ParamType::kString)
          .def("eigenvector")
          .one_of({"eigenvector", "reflections"})
          .doc_("ECI/PCI from the eigenvector of M~ (Hausmann et al. 2014) or the method of "
                "reflections (Hidalgo & Hausmann 2009) run `iterations` steps"),
      ParamSpec("iterations", ParamType::kInt)
          .def(Value{std::int64_t{20}})
          .at_least(2)
          .doc_("reflections: N, even; eci = k_r,N, pci = k_i,N-1 (EconGeo morc() steps = 20, "
                "mort() steps = 19)"),
      ParamSpec("scale", ParamType::kString)
          .def("zscore")
          .one_of({"zscore", "econgeo", "stata"})
          .doc_("zscore: (v - mean) / sd (py-ecomplexity, Atlas); econgeo: eigenvector as "
                "EconGeo kci()/tci() (v / sum v, their sign rules), reflections as morc()/mort() "
                "(min-max to 0..100); stata: as Stata ecomplexity (sd with n - 1 over the region x "
                "industry rows, PCI on ECI's scale, COI z-scored, COG over ECI's sd, from the unit "
                "eigenvector; eigenvector only); pci_scale applies to zscore only"),
      ParamSpec("proximity_method", ParamType::kString)
          .def("min_conditional")
          .one_of({"min_conditional", "cosine", "association", "jaccard"})
          .doc_("phi: min of the conditional probabilities (Hidalgo et al. 2007), or EconGeo "
                "relatedness() of the co-occurrence matrix (van Eck & Waltman 2009)"),
      ParamSpec("knn", ParamType::kInt)
          .def(Value{std::int64_t{0}})
          .at_least(0)
          .doc_("0: density over every industry; k > 0: over the industries j != i whose phi_ij "
                "is at least the k-th largest (ties at the k-th value all kept), Stata / "
                "py-ecomplexity knn density"),
  };
  return p;
}

std::vector<TableSpec> tables_written() {
  return {
      TableSpec::write("<output>", "one row per region (and year)")
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::of("region"))
          .column(ColumnSpec::ints("diversity", "k_r: industries with RCA >= threshold"))
          .column(ColumnSpec::floats("eci",
                                     "Economic Complexity Index (scale); missing for "
                                     "diversity 0")
                      .in("index"))
          .column(ColumnSpec::floats("coi",
                                     "Complexity Outlook Index: sum over absent industries "
                                     "of density x pci")
                      .in("index")),
      TableSpec::write("<output>_industries", "one row per industry (and year)")
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::of("industry"))
          .column(ColumnSpec::ints("ubiquity", "k_i: regions with RCA >= threshold"))
          .column(ColumnSpec::floats("pci",
                                     "Product Complexity Index (scale, pci_scale); "
                                     "missing for ubiquity 0")
                      .in("index")),
      TableSpec::write("<output>_cells",
                       "one row per region x industry (and year), absent "
                       "cells as 0")
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::of("region"))
          .column(ColumnSpec::of("industry"))
          .column(ColumnSpec::floats("rca", "RCA (Balassa), >= 0; missing for presence = given")
                      .in("dimensionless"))
          .column(
              ColumnSpec::floats("rpop", "RPOP, >= 0").when("presence", "rpop").in("dimensionless"))
          .column(ColumnSpec::ints("present", "M: 1 where rca (rpop) >= threshold, else 0"))
          .column(ColumnSpec::floats("density",
                                     "relatedness density, in [0, 1]; missing where "
                                     "the industry has no proximity")
                      .in("index (0-1)"))
          .column(
              ColumnSpec::floats("cog", "Complexity Outlook Gain; 0 where present").in("index")),
      TableSpec::write("<output>_proximity", "one row per industry pair (and year)")
          .when("proximity", "true")
          .column(ColumnSpec::of("year"))
          .column(ColumnSpec::like("from", "industry",
                                   "an industry (typed as the industry "
                                   "column)"))
          .column(ColumnSpec::like("to", "industry", "another industry"))
          .column(
              ColumnSpec::floats(
                  "proximity",
                  "phi (proximity_method); min_conditional: in [0, 1], 1 on the diagonal (0 for "
                  "an industry present nowhere); others: 0 on the diagonal")
                  .in("index"))};
}

/// \brief 0/1 and count columns are computed as doubles and written as ints.
std::vector<std::int64_t> ints_of(const std::vector<double>& v) {
  std::vector<std::int64_t> out;
  for (const double x : v) out.push_back(static_cast<std::int64_t>(std::llround(x)));
  return out;
}

/// \brief A number as a message shows it: 30, 0.5.
std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
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
  std::vector<double> eci;          // R, NaN where left out of the eigenproblem
  std::vector<double> pci;          // I, likewise
  std::vector<double> proximity;    // I x I
  std::vector<double> density;      // R x I
  std::vector<double> rpop;         // R x I, presence = rpop only
  Outlook outlook;                  // coi (R) and cog (R x I)
  std::vector<double> outlook_pci;  // I: the PCI COI and COG use (scale = stata: raw kp)
  double cog_divisor = 1;           // scale = stata: ECI's sd
};

/// \brief The step's choices, read once.
struct Variant {
  std::string presence, method, scale;
  ProximityMethod proximity = ProximityMethod::kMinConditional;
  int iterations = 20;
  std::size_t knn = 0;
  std::vector<double> population;  // per cube region, presence = rpop
};

ProximityMethod proximity_method_of(const std::string& name) {
  if (name == "cosine") return ProximityMethod::kCosine;
  if (name == "association") return ProximityMethod::kAssociation;
  if (name == "jaccard") return ProximityMethod::kJaccard;
  return ProximityMethod::kMinConditional;
}

/// \brief Population per region of the cube from table `population` (presence = rpop): every
/// region needs one positive population, given once.
std::vector<double> population_of(const RunContext& ctx, const Cube& cube) {
  const Params& params = ctx.params();
  if (!params.has("population"))
    throw ParamError("population",
                     "presence = \"rpop\" needs parameter 'population' (a table "
                     "with a population per region)");
  const Table& t = ctx.table_of_param("population");
  const std::string name = params.str("population");
  const Column& key = t.column(params.str("population_region"));
  const Column& value = t.column(params.str("population_value"));
  std::vector<double> pop(cube.n_regions(), kNaN);
  std::vector<std::size_t> row_of(cube.n_regions(), 0);
  const auto& labels = cube.regions().labels;
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const auto it = std::find(labels.begin(), labels.end(), key.to_text(row));
    if (it == labels.end()) continue;  // a region without activity data
    const auto r = static_cast<std::size_t>(it - labels.begin());
    if (!std::isnan(pop[r]))
      throw DataError("population table '" + name + "' gives region '" + labels[r] + "' twice" +
                      t.lines_note(row_of[r], row));
    if (!value.is_valid(row) || !(value.number(row) > 0))
      throw DataError("population table '" + name + "': " + t.row_name(row) +
                      " has no positive population (region '" + labels[r] + "')");
    pop[r] = value.number(row);
    row_of[r] = row;
  }
  for (std::size_t r = 0; r < pop.size(); ++r)
    if (std::isnan(pop[r]))
      throw DataError("population table '" + name + "' has no row for region '" + labels[r] + "'");
  return pop;
}

Variant variant_of(const RunContext& ctx, const Cube& cube) {
  const Params& params = ctx.params();
  Variant v;
  v.presence = params.str("presence");
  v.method = params.str("method");
  v.scale = params.str("scale");
  v.proximity = proximity_method_of(params.str("proximity_method"));
  v.iterations = static_cast<int>(params.integer("iterations"));
  if (v.method == "reflections" && v.iterations % 2 != 0)
    throw ParamError("iterations", "parameter 'iterations' = " + std::to_string(v.iterations) +
                                       " must be even: ECI is k_r,N for an even N (odd region "
                                       "steps are average ubiquities, of the opposite sign)");
  v.knn = static_cast<std::size_t>(params.integer("knn"));
  if (v.knn >= cube.n_industries() && v.knn > 0)
    throw ParamError("knn", "parameter 'knn' = " + std::to_string(v.knn) + " must be below the " +
                                "number of industries (" + std::to_string(cube.n_industries()) +
                                "): the k nearest exclude the industry itself");
  if (v.scale == "stata" && v.method != "eigenvector")
    throw ParamError("scale",
                     "scale = \"stata\" is Stata ecomplexity's scaling of the "
                     "eigenvector: it needs method = \"eigenvector\"");
  if (v.presence == "rpop") v.population = population_of(ctx, cube);
  return v;
}

/// \brief info().description: every formula, convention and default, with its source.
std::string description() {
  return "RCA_ri = (x_ri / x_r.) / (x_.i / x..) (Balassa). presence = \"rca\" (default): M_ri = 1 "
         "where RCA_ri >= threshold and x_ri > 0 (threshold default 1, py-ecomplexity's "
         "rca_mcp_threshold); \"rpop\": where RPOP_ri = (x_ri / pop_r) / (x_.i / pop_.) >= "
         "threshold "
         "(py-ecomplexity presence_test = \"rpop\"; pop_. sums the regions of the data; table "
         "`population`, one population per region used in every year); \"given\": M = the value, "
         "which must be 0 or 1 (py-ecomplexity \"manual\", EconGeo's binary input; rca missing). "
         "diversity k_r = sum_i M_ri, ubiquity k_i = sum_r M_ri.\n"
         "method = \"eigenvector\" (default): ECI_raw is the eigenvector of the second-largest "
         "eigenvalue of M~ = D^-1 M U^-1 M' (D, U diagonal diversity and ubiquity), solved in its "
         "symmetric form D^-1/2 M U^-1 M' D^-1/2 with Eigen; PCI_raw = U^-1 M' ECI_raw / lambda, "
         "so "
         "that ECI_raw is the mean PCI_raw of a region's industries (Hausmann et al. 2014, "
         "Technical "
         "Box 2.1); both are negated when ECI correlates negatively with diversity "
         "(py-ecomplexity). "
         "\"reflections\": the method of reflections (Hidalgo & Hausmann 2009), k_r,0 = k_r, k_i,0 "
         "= "
         "k_i, k_r,N = (1 / k_r,0) sum_i M_ri k_i,N-1, k_i,N = (1 / k_i,0) sum_r M_ri k_r,N-1; "
         "ECI_raw = k_r,N and PCI_raw = k_i,N-1 for an even N = iterations (default 20; odd region "
         "steps are average ubiquities, of the opposite sign, so N must be even), no sign flip. It "
         "converges to the eigenvector result as N grows, at the rate (lambda_3 / "
         "lambda_2)^(N/2).\n"
         "scale = \"zscore\" (default): eci = (ECI_raw - mean) / sd; pci_scale = \"own\" (default) "
         "z-scores PCI with its own mean and sd, \"eci\" with ECI's (py-ecomplexity / Stata "
         "ecomplexity); population sd (ddof = 0, numpy). \"econgeo\": with the eigenvector, "
         "EconGeo "
         "kci() = ECI_raw / sum(ECI_raw), signed to correlate non-negatively with morc(steps = "
         "20), "
         "and tci() = PCI_raw / sum(PCI_raw), negated when its Spearman correlation with ubiquity "
         "is "
         "positive; with reflections, EconGeo morc()/mort(): (v - min) / (max - min) * 100. "
         "\"stata\" (eigenvector only): Stata ecomplexity (ecomplexity.ado): kp = PCI_raw / "
         "||PCI_raw||, kc = D^-1 M kp, eci = (kc - m) / sd and pci = (kp - m) / sd with ECI's mean "
         "and sd over the region x industry rows with n - 1; COI and COG from the raw kp, COI then "
         "z-scored the same way and COG divided by ECI's sd. With density_diagonal = false it "
         "reproduces Stata's output (its proximity has a zero diagonal), except that Stata marks "
         "presence at RCA > threshold, klaster at >=. Regions "
         "with diversity 0 and industries with ubiquity 0 are left out (missing eci/pci, warning), "
         "as "
         "py-ecomplexity does.\n"
         "proximity_method = \"min_conditional\" (default): phi_ij = C_ij / max(k_i, k_j), C_ij = "
         "sum_r M_ri M_rj (Hidalgo et al. 2007), phi_ii = 1; \"cosine\", \"association\", "
         "\"jaccard\": EconGeo relatedness() of C with its diagonal set to 0 (van Eck & Waltman "
         "2009), s_i = sum_{j != i} C_ij, T = sum s_i: C_ij / sqrt(s_i s_j), C_ij T / (s_i s_j), "
         "C_ij / (s_i + s_j - C_ij); phi_ii = 0. Density d_ri = sum_j M_rj phi_ij / sum_j phi_ij, "
         "in "
         "[0, 1]; density_diagonal = true (default) includes j = i, as py-ecomplexity. knn = k > "
         "0: "
         "only the industries j != i with phi_ij at least the k-th largest (ties at the k-th value "
         "all kept, Stata ecomplexity's rule in exact arithmetic), py-ecomplexity / Stata knn "
         "density; knn = 0 (default): all.\n"
         "COI_r = sum_i (1 - M_ri) d_ri pci_i; COG_ri = (1 - M_ri) sum_j (phi_ij / n_j) (1 - M_rj) "
         "pci_j, n_j = sum_k phi_jk (k != j without density_diagonal) (Hausmann et al. 2014; "
         "py-ecomplexity / Stata ecomplexity), with pci and density as written (pci_scale = "
         "\"eci\" "
         "reproduces py-ecomplexity); industries with missing pci are left out of the sums.\n"
         "Zero region or industry totals are errors (not for presence = \"given\"). With a year "
         "column everything is per year.\n"
         "Reference: Balassa (1965); Hidalgo & Hausmann (2009) PNAS 106(26); Hausmann, Hidalgo et "
         "al. (2014) The Atlas of Economic Complexity; Hidalgo et al. (2007) Science 317(5837); "
         "van "
         "Eck & Waltman (2009) JASIST 60(8); Balland & Rigby (2017) Economic Geography 93(1) "
         "(EconGeo).";
}

/// The texts of info() in Russian (PluginInfo::translations), keyed by their English as
/// written there; `klaster report --lang ru` shows them.
std::map<std::string, std::string> russian(const PluginInfo& p) {
  return {
      {p.summary,
       "Вычисляет RCA, диверсификацию, распространённость, ECI, PCI, близость и "
       "плотность родственности"},
      {p.description,
       "RCA_ri = (x_ri / x_r.) / (x_.i / x..) (выявленное сравнительное преимущество, "
       "Balassa). presence = \"rca\" (по умолчанию): M_ri = 1 там, где RCA_ri >= threshold"
       " и x_ri > 0 (threshold по умолчанию 1, rca_mcp_threshold в py-ecomplexity); "
       "\"rpop\": там, где RPOP_ri = (x_ri / pop_r) / (x_.i / pop_.) >= threshold "
       "(presence_test = \"rpop\" в py-ecomplexity; pop_. суммирует регионы данных; "
       "таблица `population`, одна численность населения на регион для всех лет); "
       "\"given\": M = значение, которое должно быть 0 или 1 (\"manual\" в py-ecomplexity, "
       "бинарный вход EconGeo; rca пропущен). Диверсификация k_r = sum_i M_ri, "
       "распространённость (ubiquity) k_i = sum_r M_ri.\n"
       "method = \"eigenvector\" (по умолчанию): ECI_raw — собственный вектор второго по "
       "величине собственного значения M~ = D^-1 M U^-1 M' (D, U — диагональные матрицы "
       "диверсификации и распространённости), вычисляемый в симметричной форме D^-1/2 M "
       "U^-1 M' D^-1/2 с помощью Eigen; PCI_raw = U^-1 M' ECI_raw / lambda, так что "
       "ECI_raw — среднее PCI_raw отраслей региона (Hausmann et al. 2014, Technical Box "
       "2.1); оба меняют знак, если ECI отрицательно коррелирует с диверсификацией (py-"
       "ecomplexity). \"reflections\": метод отражений (Hidalgo & Hausmann 2009), k_r,0 = "
       "k_r, k_i,0 = k_i, k_r,N = (1 / k_r,0) sum_i M_ri k_i,N-1, k_i,N = (1 / k_i,0) "
       "sum_r M_ri k_r,N-1; ECI_raw = k_r,N и PCI_raw = k_i,N-1 при чётном N = "
       "iterations (по умолчанию 20; нечётные шаги по регионам — средние "
       "распространённости противоположного знака, поэтому N должно быть чётным), без "
       "смены знака. С ростом N он сходится к результату по собственному вектору со "
       "скоростью (lambda_3 / lambda_2)^(N/2).\n"
       "scale = \"zscore\" (по умолчанию): eci = (ECI_raw - mean) / sd; pci_scale = \"own\" "
       "(по умолчанию) стандартизует PCI его собственными средним и sd, \"eci\" — средним "
       "и sd ECI (py-ecomplexity / ecomplexity для Stata); sd генеральной совокупности "
       "(ddof = 0, numpy). \"econgeo\": с собственным вектором kci() из EconGeo = ECI_raw "
       "/ sum(ECI_raw) со знаком, при котором корреляция с morc(steps = 20) "
       "неотрицательна, и tci() = PCI_raw / sum(PCI_raw), меняющий знак, если его "
       "корреляция Спирмена с распространённостью положительна; с отражениями — "
       "morc()/mort() из EconGeo: (v - min) / (max - min) * 100. \"stata\" (только с "
       "собственным вектором): ecomplexity для Stata (ecomplexity.ado): kp = PCI_raw / "
       "||PCI_raw||, kc = D^-1 M kp, eci = (kc - m) / sd и pci = (kp - m) / sd со "
       "средним и sd ECI по строкам «регион x отрасль» с n - 1; COI и COG — по исходному"
       " kp, затем COI стандартизуется так же, а COG делится на sd ECI. При "
       "density_diagonal = false воспроизводит результат Stata (её матрица близости "
       "имеет нулевую диагональ), за исключением того, что Stata отмечает присутствие "
       "при RCA > threshold, а klaster — при >=. Регионы с диверсификацией 0 и отрасли с"
       " распространённостью 0 исключаются (eci/pci пропущены, предупреждение), как в "
       "py-ecomplexity.\n"
       "proximity_method = \"min_conditional\" (по умолчанию): phi_ij = C_ij / max(k_i, "
       "k_j), C_ij = sum_r M_ri M_rj (Hidalgo et al. 2007), phi_ii = 1; \"cosine\", "
       "\"association\", \"jaccard\": relatedness() из EconGeo для C с обнулённой диагональю"
       " (van Eck & Waltman 2009), s_i = sum_{j != i} C_ij, T = sum s_i: C_ij / sqrt(s_i"
       " s_j), C_ij T / (s_i s_j), C_ij / (s_i + s_j - C_ij); phi_ii = 0. Плотность d_ri"
       " = sum_j M_rj phi_ij / sum_j phi_ij, в [0, 1]; density_diagonal = true (по "
       "умолчанию) включает j = i, как py-ecomplexity. knn = k > 0: только отрасли j != "
       "i с phi_ij не меньше k-го наибольшего (при равенстве с k-м значением сохраняются"
       " все, правило ecomplexity для Stata в точной арифметике), плотность knn из py-"
       "ecomplexity / Stata; knn = 0 (по умолчанию): все.\n"
       "COI_r = sum_i (1 - M_ri) d_ri pci_i; COG_ri = (1 - M_ri) sum_j (phi_ij / n_j) (1"
       " - M_rj) pci_j, n_j = sum_k phi_jk (k != j без density_diagonal) (Hausmann et "
       "al. 2014; py-ecomplexity / ecomplexity для Stata), с pci и плотностью в том "
       "виде, как они записаны (pci_scale = \"eci\" воспроизводит py-ecomplexity); отрасли"
       " с пропущенным pci в суммы не входят.\n"
       "Нулевые итоги региона или отрасли — ошибка (кроме presence = \"given\"). При "
       "наличии столбца года всё вычисляется по годам.\n"
       "Источники: Balassa (1965); Hidalgo & Hausmann (2009) PNAS 106(26); Hausmann, "
       "Hidalgo et al. (2014) The Atlas of Economic Complexity; Hidalgo et al. (2007) "
       "Science 317(5837); van Eck & Waltman (2009) JASIST 60(8); Balland & Rigby (2017)"
       " Economic Geography 93(1) (EconGeo)."},
  };
}

class Complexity final : public Plugin {
 public:
  PluginInfo info() const override {
    PluginInfo p;
    p.name = "complexity";
    p.version = "1.2.0";
    p.kind = PluginKind::kIndicator;
    p.summary = "Computes RCA, diversity, ubiquity, ECI, PCI, proximity and relatedness density";
    p.description = description();
    p.params = complexity_params();
    p.reads = {cube_read("non-negative activity by region and industry"),
               TableSpec::read("population", "population by region (presence = rpop)")
                   .when_given("population")
                   .column(ColumnSpec::of("population_region"))
                   .column(ColumnSpec::of("population_value"))};
    p.writes = tables_written();
    p.translations["ru"] = russian(p);
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
    const Variant variant = variant_of(ctx, *cube);
    std::vector<YearResult> results;
    for (std::size_t y = 0; y < cube->n_years(); ++y)
      results.push_back(compute_year(ctx, *cube, y, variant));
    write_regions(ctx, *cube, results);
    write_industries(ctx, *cube, results);
    write_cells(ctx, *cube, results);
    if (ctx.params().boolean("proximity")) write_proximity(ctx, *cube, results);
  }

 private:
  static YearResult compute_year(const RunContext& ctx, const Cube& cube, std::size_t y,
                                 const Variant& v) {
    const bool diagonal = ctx.params().boolean("density_diagonal");
    YearResult out;
    presence_for(ctx, cube, y, v, out);
    complexity_indices(ctx, cube, y, v, out);
    out.proximity = proximity_of(out.presence, v.proximity);
    out.density = v.knn > 0 ? knn_density_of(out.presence, out.proximity, v.knn)
                            : density_of(out.presence, out.proximity, diagonal);
    out.outlook = outlook_of(out.presence, out.density, out.proximity, out.outlook_pci, diagonal);
    if (v.scale == "stata") {  // Stata: COI z-scored over the long rows, COG over ECI's sd
      out.outlook.coi = stata_zscore(out.outlook.coi, cube.n_industries());
      for (double& g : out.outlook.cog) g /= out.cog_divisor;
    }
    return out;
  }

  /// M (and RCA, RPOP) of year y as `presence` says.
  static void presence_for(const RunContext& ctx, const Cube& cube, std::size_t y, const Variant& v,
                           YearResult& out) {
    const std::size_t R = cube.n_regions(), I = cube.n_industries();
    const auto first = cube.values().begin() + static_cast<std::ptrdiff_t>(cube.cell(y, 0, 0));
    const std::vector<double> x(first, first + static_cast<std::ptrdiff_t>(R * I));
    const double threshold = ctx.params().real("threshold");
    if (v.presence == "given") {
      check_binary(cube, y, x);
      out.presence = presence_given(x, R, I);
      return;
    }
    const Totals totals = totals_of(x, R, I);
    check_totals(cube, y, totals);
    out.presence = presence_of(x, totals, threshold);
    if (v.presence != "rpop") return;
    out.rpop = rpop_of(x, totals, v.population);
    out.presence = presence_from(x, R, I, out.presence.rca, out.rpop, threshold);
  }

  /// presence = given: every value 0 or 1, and two regions.
  static void check_binary(const Cube& cube, std::size_t y, const std::vector<double>& x) {
    const std::size_t I = cube.n_industries();
    for (std::size_t k = 0; k < x.size(); ++k)
      if (x[k] != 0 && x[k] != 1)
        throw DataError("presence = \"given\" needs 0 or 1 in '" + cube.options().value +
                        "', but " + cube.where(y, k / I, k % I) + " has " + number_text(x[k]));
    if (cube.n_regions() < 2)
      throw DataError("complexity needs at least two regions, but only region '" +
                      cube.regions().labels[0] + "' has data");
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
                                 const Variant& v, YearResult& out) {
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
    const StataScaled z = scaled(ctx, cube, y, v, m);
    for (std::size_t a = 0; a < rs.size(); ++a) out.eci[rs[a]] = z.z.eci[a];
    for (std::size_t b = 0; b < is.size(); ++b) out.pci[is[b]] = z.z.pci[b];
    out.outlook_pci = out.pci;
    if (z.kp.empty()) return;
    for (std::size_t b = 0; b < is.size(); ++b) out.outlook_pci[is[b]] = z.kp[b];
    out.cog_divisor = z.sd;
  }

  /// ECI and PCI of presence matrix `m` by `method`, scaled by `scale`; for scale = "stata" also
  /// the raw kp and ECI's sd that Stata's COI and COG use.
  static StataScaled scaled(const RunContext& ctx, const Cube& cube, std::size_t y,
                            const Variant& v, const Eigen::MatrixXd& m) {
    std::optional<RawComplexity> raw;
    if (v.method == "reflections") {
      raw = reflections(m, v.iterations);
    } else {
      raw = raw_complexity(m);
      if (!raw) throw Error("the ECI eigenproblem did not converge in " + cube.where_year(y));
      log_spectrum(ctx, cube, y, raw->spectrum);
    }
    std::optional<StataScaled> z;
    const auto wrap = [](std::optional<Standardised> s) {
      return s ? std::optional<StataScaled>(StataScaled{std::move(*s), {}, 1}) : std::nullopt;
    };
    if (v.scale == "zscore")
      z = wrap(standardise(*raw, ctx.params().str("pci_scale") == "own"));
    else if (v.scale == "stata")
      z = stata_scale(*raw, cube.n_industries());
    else
      z = wrap(v.method == "reflections" ? econgeo_reflection_scale(*raw)
                                         : econgeo_eigen_scale(*raw, m));
    if (!z)
      throw DataError("ECI is constant across regions (or sums to 0 for scale = \"econgeo\") in " +
                      cube.where_year(y) + "; it cannot be scaled");
    return std::move(*z);
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
    std::vector<double> diversity, eci, coi;
    for (std::size_t y = 0; y < results.size(); ++y)
      for (std::size_t r = 0; r < cube.n_regions(); ++r) {
        ys.push_back(static_cast<std::int32_t>(y));
        rs.push_back(static_cast<std::int32_t>(r));
        diversity.push_back(results[y].presence.diversity[r]);
        eci.push_back(results[y].eci[r]);
        coi.push_back(results[y].outlook.coi[r]);
      }
    OutputTable out = ctx.output();
    if (cube.has_year()) out.set(year_column(cube, ys));
    out.set(cube.regions().make_column(cube.options().region, rs));
    out.set("diversity", ints_of(diversity));
    out.set("eci", eci, valid_of(eci));
    out.set("coi", std::move(coi));
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
    std::vector<double> rca, rpop, present, density, cog;
    for (std::size_t y = 0; y < results.size(); ++y)
      for (std::size_t k = 0; k < cube.n_regions() * cube.n_industries(); ++k) {
        cells.push_back(cube.cell(y, 0, 0) + k);
        rca.push_back(results[y].presence.rca[k]);
        if (!results[y].rpop.empty()) rpop.push_back(results[y].rpop[k]);
        present.push_back(results[y].presence.present[k]);
        density.push_back(results[y].density[k]);
        cog.push_back(results[y].outlook.cog[k]);
      }
    OutputTable out = ctx.output("<output>_cells");
    for (Column& key : cube.key_columns(cells)) out.set(std::move(key));
    out.set("rca", rca, valid_of(rca));
    if (ctx.params().str("presence") == "rpop") out.set("rpop", std::move(rpop));
    out.set("present", ints_of(present));
    out.set("density", density, valid_of(density));
    out.set("cog", std::move(cog));
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

/// \brief Diversity and ubiquity from a filled `present`.
void count_presence(Presence& p, std::size_t regions, std::size_t industries) {
  p.diversity.assign(regions, 0.0);
  p.ubiquity.assign(industries, 0.0);
  for (std::size_t r = 0; r < regions; ++r)
    for (std::size_t i = 0; i < industries; ++i) {
      p.diversity[r] += p.present[r * industries + i];
      p.ubiquity[i] += p.present[r * industries + i];
    }
}

/// \brief z-scores `v` when it is not constant. The reflections are averaging operators (rows sum
/// to 1), so an affine map before a step is an affine map after it: this only keeps the spread,
/// which shrinks like lambda_2^(N/2), far above rounding.
void rescale_in_place(Eigen::VectorXd& v) {
  const double mean = v.mean();
  const double sd = std::sqrt((v.array() - mean).square().mean());
  if (sd > 0) v = (v.array() - mean) / sd;
}

std::vector<double> as_vector(const Eigen::VectorXd& v) {
  return std::vector<double>(v.data(), v.data() + v.size());
}

/// \brief Average ranks (1-based) with ties sharing their mean rank, as R's rank().
std::vector<double> ranks_of(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t a = 0; a < order.size();) {
    std::size_t b = a;
    while (b + 1 < order.size() && v[order[b + 1]] == v[order[a]]) ++b;
    for (std::size_t k = a; k <= b; ++k) rank[order[k]] = 0.5 * static_cast<double>(a + b) + 1;
    a = b + 1;
  }
  return rank;
}

/// \brief v / sum(v), or nullopt when the sum is 0 (EconGeo's normalisation is then undefined).
std::optional<std::vector<double>> over_sum(const std::vector<double>& v) {
  double sum = 0;
  for (const double x : v) sum += x;
  if (!(std::abs(sum) > 1e-12)) return std::nullopt;
  std::vector<double> out;
  for (const double x : v) out.push_back(x / sum);
  return out;
}

/// \brief (v - min) / (max - min) * 100, EconGeo's rescale() in morc()/mort().
std::optional<std::vector<double>> min_max_100(const std::vector<double>& v) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  const double range = *hi - *lo;
  if (!(range > 0)) return std::nullopt;
  std::vector<double> out;
  for (const double x : v) out.push_back((x - *lo) / range * 100);
  return out;
}

/// \brief The industries j != i with phi_ij at least the k-th largest of them (ties kept, as
/// Stata's calculate_density.ado: `simi = phi :* (phi :>= sorted[k])`).
std::vector<std::size_t> nearest(const std::vector<double>& proximity, std::size_t I, std::size_t i,
                                 std::size_t k) {
  std::vector<double> row;
  for (std::size_t j = 0; j < I; ++j)
    if (j != i) row.push_back(proximity[i * I + j]);
  std::nth_element(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(k - 1), row.end(),
                   std::greater<>());
  const double kth = row[k - 1];
  std::vector<std::size_t> out;
  for (std::size_t j = 0; j < I; ++j)
    if (j != i && proximity[i * I + j] >= kth) out.push_back(j);
  return out;
}

/// \brief Mean and Stata sd (n - 1) of the non-NaN entries of `v`, each counted `weight` times
/// (a region's value repeats on its `weight` rows of the long dataset).
std::pair<double, double> long_mean_sd(const std::vector<double>& v, std::size_t weight) {
  double n = 0, sum = 0;
  for (const double x : v)
    if (!std::isnan(x)) {
      n += 1;
      sum += x;
    }
  const double mean = sum / n;
  double ss = 0;
  for (const double x : v)
    if (!std::isnan(x)) ss += (x - mean) * (x - mean);
  const double w = static_cast<double>(weight);
  return {mean, std::sqrt(w * ss / (w * n - 1))};
}

/// \brief The co-occurrence matrix C = M'M of a presence (I x I).
Eigen::MatrixXd cooccurrence_of(const Presence& p) {
  const std::size_t R = p.diversity.size(), I = p.ubiquity.size();
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> m(
      p.present.data(), static_cast<Eigen::Index>(R), static_cast<Eigen::Index>(I));
  return m.transpose() * m;
}

/// \brief One of EconGeo's relatedness() normalisations of C_ij (diagonal excluded) from s_i, s_j
/// and T; 0 where the denominator is 0.
double normalised(ProximityMethod method, double c, double si, double sj, double total) {
  double denom = 0, num = c;
  switch (method) {
    case ProximityMethod::kCosine:
      denom = std::sqrt(si * sj);
      break;
    case ProximityMethod::kAssociation:
      denom = si * sj;
      num = c * total;
      break;
    case ProximityMethod::kJaccard:
      denom = si + sj - c;
      break;
    case ProximityMethod::kMinConditional:
      break;
  }
  return denom > 0 ? num / denom : 0.0;
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

std::vector<double> rpop_of(const std::vector<double>& x, const Totals& totals,
                            const std::vector<double>& population) {
  const std::size_t R = totals.region.size(), I = totals.industry.size();
  double pop_all = 0;
  for (const double v : population) pop_all += v;
  std::vector<double> rpop(R * I);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i)
      rpop[r * I + i] = (x[r * I + i] / population[r]) / (totals.industry[i] / pop_all);
  return rpop;
}

Presence presence_from(const std::vector<double>& x, std::size_t regions, std::size_t industries,
                       std::vector<double> rca, const std::vector<double>& relative,
                       double threshold) {
  Presence p;
  p.rca = std::move(rca);
  p.present.assign(x.size(), 0.0);
  for (std::size_t k = 0; k < x.size(); ++k)
    if (relative[k] >= threshold && x[k] > 0) p.present[k] = 1;  // a zero cell is never present
  count_presence(p, regions, industries);
  return p;
}

Presence presence_given(const std::vector<double>& x, std::size_t regions, std::size_t industries) {
  Presence p;
  p.rca.assign(regions * industries, kNaN);
  p.present = x;
  count_presence(p, regions, industries);
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
  return proximity_of(p, ProximityMethod::kMinConditional);
}

std::vector<double> proximity_of(const Presence& p, ProximityMethod method) {
  const std::size_t I = p.ubiquity.size();
  const Eigen::MatrixXd c = cooccurrence_of(p);
  std::vector<double> phi(I * I, 0.0);
  const auto at = [](std::size_t k) { return static_cast<Eigen::Index>(k); };
  if (method == ProximityMethod::kMinConditional) {
    for (std::size_t i = 0; i < I; ++i)
      for (std::size_t j = 0; j < I; ++j) {
        const double denom = std::max(p.ubiquity[i], p.ubiquity[j]);
        if (denom > 0) phi[i * I + j] = c(at(i), at(j)) / denom;
      }
    return phi;
  }
  // EconGeo relatedness(): totals of the co-occurrence matrix with its diagonal set to 0.
  const Eigen::VectorXd s = c.colwise().sum().transpose() - c.diagonal();
  const double total = s.sum();
  for (std::size_t i = 0; i < I; ++i)
    for (std::size_t j = 0; j < I; ++j)
      if (i != j) phi[i * I + j] = normalised(method, c(at(i), at(j)), s(at(i)), s(at(j)), total);
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

std::vector<double> knn_density_of(const Presence& p, const std::vector<double>& proximity,
                                   std::size_t k) {
  const std::size_t R = p.diversity.size(), I = p.ubiquity.size();
  std::vector<double> density(R * I, kNaN);
  for (std::size_t i = 0; i < I; ++i) {
    const std::vector<std::size_t> others = nearest(proximity, I, i, k);
    double norm = 0;
    for (const std::size_t j : others) norm += proximity[i * I + j];
    if (!(norm > 0)) continue;
    for (std::size_t r = 0; r < R; ++r) {
      double sum = 0;
      for (const std::size_t j : others) sum += p.present[r * I + j] * proximity[i * I + j];
      density[r * I + i] = sum / norm;
    }
  }
  return density;
}

Outlook outlook_of(const Presence& p, const std::vector<double>& density,
                   const std::vector<double>& proximity, const std::vector<double>& pci,
                   bool diagonal) {
  const std::size_t R = p.diversity.size(), I = p.ubiquity.size();
  // weight_ji = phi_ij / n_j: how much of j's proximity mass goes to i, times PCI_j
  std::vector<double> n(I, 0.0);
  for (std::size_t j = 0; j < I; ++j)
    for (std::size_t k = 0; k < I; ++k)
      if (diagonal || k != j) n[j] += proximity[j * I + k];
  Outlook out;
  out.coi.assign(R, 0.0);
  out.cog.assign(R * I, 0.0);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) {
      const double absent_i = 1 - p.present[r * I + i];
      if (!std::isnan(pci[i]) && !std::isnan(density[r * I + i]))
        out.coi[r] += absent_i * density[r * I + i] * pci[i];
      if (absent_i == 0) continue;
      double gain = 0;
      for (std::size_t j = 0; j < I; ++j) {
        if (std::isnan(pci[j]) || !(n[j] > 0) || (!diagonal && j == i)) continue;
        gain += proximity[i * I + j] / n[j] * (1 - p.present[r * I + j]) * pci[j];
      }
      out.cog[r * I + i] = gain;
    }
  return out;
}

RawComplexity reflections(const Eigen::MatrixXd& m, int iterations) {
  const Eigen::VectorXd d = m.rowwise().sum(), u = m.colwise().sum().transpose();
  const Eigen::MatrixXd to_regions = d.cwiseInverse().asDiagonal() * m;                 // D^-1 M
  const Eigen::MatrixXd to_industries = u.cwiseInverse().asDiagonal() * m.transpose();  // U^-1 M'
  Eigen::VectorXd kr = d, ki = u;  // k_r,0 and k_i,0
  for (int n = 1; n < iterations; ++n) {
    const Eigen::VectorXd next_r = to_regions * ki;
    ki = to_industries * kr;
    kr = next_r;
    rescale_in_place(kr);
    rescale_in_place(ki);
  }
  // Last step for the regions only, not rescaled: k_r,N = D^-1 M k_i,N-1 holds exactly for the
  // pair returned (the reflection identity behind pci_scale = "eci").
  RawComplexity out;
  out.eci = as_vector(to_regions * ki);
  out.pci = as_vector(ki);
  return out;
}

std::optional<Standardised> econgeo_eigen_scale(const RawComplexity& raw,
                                                const Eigen::MatrixXd& m) {
  auto kci = over_sum(raw.eci);
  auto tci = over_sum(raw.pci);
  if (!kci || !tci) return std::nullopt;
  // kci(): sign by Pearson correlation with morc(steps = 20); tci(): by Spearman with ubiquity.
  if (correlation(*kci, reflections(m, 20).eci) < 0)
    for (auto& v : *kci) v = -v;
  const Eigen::VectorXd u = m.colwise().sum().transpose();
  if (spearman(*tci, as_vector(u)) > 0)
    for (auto& v : *tci) v = -v;
  return Standardised{std::move(*kci), std::move(*tci)};
}

std::optional<Standardised> econgeo_reflection_scale(const RawComplexity& raw) {
  auto eci = min_max_100(raw.eci);
  if (!eci) return std::nullopt;
  auto pci = min_max_100(raw.pci);
  return Standardised{std::move(*eci),
                      pci ? std::move(*pci) : std::vector<double>(raw.pci.size(), kNaN)};
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  return correlation(ranks_of(a), ranks_of(b));
}

std::optional<StataScaled> stata_scale(const RawComplexity& raw, std::size_t industries) {
  double norm = 0;
  for (const double v : raw.pci) norm += v * v;
  norm = std::sqrt(norm);
  StataScaled out;
  std::vector<double> kc;
  for (const double v : raw.pci) out.kp.push_back(v / norm);
  for (const double v : raw.eci) kc.push_back(v / norm);  // D^-1 M kp = ECI_raw / ||PCI_raw||
  const auto [mean, sd] = long_mean_sd(kc, industries);
  if (!(sd > 0)) return std::nullopt;
  for (const double v : kc) out.z.eci.push_back((v - mean) / sd);
  for (const double v : out.kp) out.z.pci.push_back((v - mean) / sd);
  out.sd = sd;
  return out;
}

std::vector<double> stata_zscore(const std::vector<double>& v, std::size_t industries) {
  const auto [mean, sd] = long_mean_sd(v, industries);
  std::vector<double> out;
  for (const double x : v) out.push_back(std::isnan(x) || !(sd > 0) ? kNaN : (x - mean) / sd);
  return out;
}

}  // namespace klaster::plugins::complexity

KLASTER_PLUGIN(klaster::plugins::complexity::Complexity)
