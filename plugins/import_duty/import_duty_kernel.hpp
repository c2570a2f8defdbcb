// import_duty's numeric kernel, on plain values (tested without tables).
#pragma once

namespace klaster::plugins::import_duty {

/// \brief How a duty or fee changes the buyers' price of the imported variety.
struct PriceChange {
  double duty_before = 0;   // ad valorem rate t0 before the measure (0.1 = 10 %)
  double duty_after = 0;    // ad valorem rate t1 after it
  double fee = 0;           // a fixed fee per unit (e.g. a recycling fee per vehicle)
  double import_price = 1;  // average price per unit paid before the measure, same currency as fee
  double pass_through = 1;  // share of the price increase passed on to buyers
};

/// \brief P_M' / P_M = 1 + pass_through * ((1 + t1) / (1 + t0) + fee / import_price - 1): the duty
/// moves the price by the ratio of the gross rates, the fee adds its share of the average import
/// price, and buyers see `pass_through` of the increase (1 = all of it).
double import_price_factor(const PriceChange& change);

/// \brief One buyer's demand for one product, domestic and imported, at base prices.
struct Split {
  double domestic = 0;
  double imports = 0;
};

/// \brief Armington (1969) CES demand after the import price moves by `price_factor` g with the
/// domestic price unchanged: the import ratio M/D falls to (M/D) g^-sigma, and the total D + M
/// changes by (P'/P)^-demand_elasticity, where P'/P = (w_D + w_M g^(1 - sigma))^(1 / (1 - sigma))
/// is the CES price index in value-share form (g^w_M at sigma = 1) with w = the base shares of D +
/// M. With demand_elasticity = 0 the total D + M is held fixed, so the domestic gain equals the
/// import loss. A buyer with D = 0 or M = 0 has a single variety and is unchanged (no substitution
/// from or to a variety it does not buy). D and M must be >= 0 (the table side checks them).
Split armington_split(const Split& base, double price_factor, double sigma,
                      double demand_elasticity);

/// \brief The CES price index ratio P'/P above, for base value shares w_M = imported share.
double ces_price_index(double import_share, double price_factor, double sigma);

}  // namespace klaster::plugins::import_duty
