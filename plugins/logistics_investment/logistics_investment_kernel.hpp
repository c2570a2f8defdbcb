// logistics_investment's numeric kernel, on plain values (tested without tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace klaster::plugins::logistics_investment {

/// \brief A link from one node to another (directed as stored; selections match both directions).
using Pair = std::pair<std::string, std::string>;

/// \brief "A-B" split at the first `separator` into (A, B); nullopt when either side is empty or
/// the separator is absent.
std::optional<Pair> parse_link(const std::string& text, const std::string& separator);

/// \brief Every consecutive pair of a node sequence: [a, b, c] -> (a, b), (b, c).
std::vector<Pair> corridor_pairs(const std::vector<std::string>& nodes);

/// \brief Rows by (origin, destination), and the first repeated row if any (with its first copy).
/// Nodes are numbered and a link is keyed by its two numbers: a million links index in a fraction
/// of a second, where a map keyed by string pairs takes seconds.
struct LinkIndex {
  std::unordered_map<std::string, std::uint64_t> node;
  std::unordered_map<std::uint64_t, std::size_t> row;            // key: origin << 32 | destination
  std::optional<std::pair<std::size_t, std::size_t>> duplicate;  // (first, repeated)

  /// \brief The row of the directed link, if stored.
  std::optional<std::size_t> find(const Pair& link) const;
};
LinkIndex index_links(const std::vector<std::string>& origin,
                      const std::vector<std::string>& destination);

/// \brief The rows of link A-B in either direction (A->B and B->A, those that exist; an undirected
/// link selects both stored directions). Empty when neither exists.
std::vector<std::size_t> rows_of_link(const LinkIndex& index, const Pair& link);

/// \brief The rows whose origin or destination is one of `nodes`.
std::vector<std::size_t> rows_touching(const std::vector<std::string>& origin,
                                       const std::vector<std::string>& destination,
                                       const std::set<std::string>& nodes);

/// \brief values[k] * factor where selected[k], unchanged elsewhere.
std::vector<double> scaled(const std::vector<double>& values,
                           const std::vector<std::uint8_t>& selected, double factor);

/// \brief The mean of before - after over the rows that are selected and valid; 0 when none.
double mean_saved(const std::vector<double>& before, const std::vector<double>& after,
                  const std::vector<std::uint8_t>& selected,
                  const std::vector<std::uint8_t>& valid);

}  // namespace klaster::plugins::logistics_investment
