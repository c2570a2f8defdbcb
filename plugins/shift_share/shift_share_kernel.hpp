// shift_share's numeric kernel, on plain values (tested without tables).
#pragma once

#include <optional>
#include <vector>

namespace klaster::plugins::shift_share {

/// \brief Additive components of one region x industry cell (or their sums over industries/years).
struct Components {
  double from = 0, to = 0;                     // e_i, e_i'
  double national = 0, mix = 0, regional = 0;  // Dunn (1960)
  double competitive = 0, allocation = 0;      // Esteban-Marquillas (1972)
  Components& operator+=(const Components& o) {
    from += o.from, to += o.to, national += o.national, mix += o.mix, regional += o.regional;
    competitive += o.competitive, allocation += o.allocation;
    return *this;
  }
};

/// \brief The reference economy's growth: G = N'/N - 1 overall, g_i = N_i'/N_i - 1 by industry (G
/// where N_i = 0: such an industry has no weight in any component).
struct Growth {
  double base_total = 0;            // N
  double overall = 0;               // G
  std::vector<double> by_industry;  // g_i
};
/// \brief The growth from the reference values `base` (N_i) to `final` (N_i'); nullopt when N is
/// not positive.
std::optional<Growth> reference_growth(const std::vector<double>& base,
                                       const std::vector<double>& final);

/// \brief Dunn's (1960) components of a cell growing from e to e' where the reference grows by
/// g_i in its industry and G overall: national share e G, industrial mix e (g_i - G), regional
/// share e' - e (1 + g_i). They sum to e' - e.
Components dunn(double from, double to, double g_i, double overall);

/// \brief Homothetic value e*_i = E_r N_i / N: the region's total E_r spread like the reference.
double homothetic(double region_total, double reference_i, double reference_total);

/// \brief Adds Esteban-Marquillas' (1972) competitive effect e*_i (r_i - g_i) and allocation
/// effect (e_i - e*_i)(r_i - g_i), r_i = e_i'/e_i - 1, to `c` (needs c.from > 0). They sum to
/// the regional share.
void add_esteban_marquillas(Components& c, double homothetic_value, double g_i);

/// \brief Gerfin's (1964) index form of a region's growth.
struct GerfinIndices {
  double mix = 0;       // sum e_i (1 + g_i) / (E_r (1 + G))
  double regional = 0;  // E_r' / sum e_i (1 + g_i)
  double total = 0;     // (E_r' / E_r) / (1 + G) = mix x regional
};
/// \brief The indices of a region with values `base` (e_i) per industry and totals E_r, E_r',
/// against reference values N_i (`reference_base`) and N_i' (`reference_final`).
GerfinIndices gerfin(const std::vector<double>& base, double region_base, double region_final,
                     const std::vector<double>& reference_base,
                     const std::vector<double>& reference_final);

}  // namespace klaster::plugins::shift_share
