// klaster host: every row of a large table summarised for `klaster report`: per column the count,
// missing cells, and min / mean / max of numbers or the number of distinct texts.
#pragma once

#include <string>
#include <vector>

#include "klaster/sdk/table.hpp"
#include "report_strings.hpp"
#include "units.hpp"

namespace klaster {

/// \brief One column of every row: numbers (ints or floats) or texts.
struct ColumnStats {
  std::string name;
  bool numeric = true;   // every cell given is a number
  bool integer = false;  // an integer column (a year, a count): no thousands separators
  std::size_t given = 0, missing = 0;
  double min = 0, max = 0, sum = 0;  // numbers: of the given cells
  std::size_t distinct = 0;          // texts: how many different ones
};

/// \brief The statistics of every row of `t`.
std::vector<ColumnStats> table_stats(const sdk::Table& t);

/// \brief A small table of `stats`: column (with its unit), cells given, missing, min, mean, max
/// (numbers rounded for reading; an integer column's min and max as written, without thousands
/// separators, its mean with one decimal: a year reads 1995, not 1,995) or distinct values.
std::string stats_html(const std::vector<ColumnStats>& stats, ReportLang lang,
                       const ColumnUnits& units);

}  // namespace klaster
