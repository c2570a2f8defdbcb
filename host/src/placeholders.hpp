// klaster host: `{STEP.PARAM}` in summary titles, notes and `where` values, replaced by the value
// the run actually uses (after --set and a batch's settings), so a title reads right in every
// scenario.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config.hpp"
#include "pipeline.hpp"

namespace klaster {

/// \brief A placeholder that names no step or parameter, or a brace without its pair. The caller
/// adds where it is written.
class PlaceholderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// \brief The value of the parameter a placeholder's key (`STEP.PARAM`) names, or a
/// PlaceholderError saying why there is none.
using PlaceholderLookup = std::function<sdk::Value(const std::string& key)>;

/// \brief `text` with each `{STEP.PARAM}` replaced by `lookup`'s value for it (a list as
/// "KST, ALA", a float in its shortest exact form); `{{` and `}}` are literal braces. Throws
/// PlaceholderError.
std::string substitute(const std::string& text, const PlaceholderLookup& lookup);

/// \brief The clause with placeholders replaced by `lookup`'s values in its string values (see the
/// overload on steps).
WhereClause substitute(const WhereClause& clause, const PlaceholderLookup& lookup);

/// \brief `text` with each `{STEP.PARAM}` replaced by the resolved value of parameter PARAM of the
/// step STEP among `steps` (a list as "KST, ALA", a float in its shortest exact form); `{{` and
/// `}}` are literal braces. Throws PlaceholderError.
std::string substitute(const std::string& text, const std::vector<const ValidatedStep*>& steps);

/// \brief The clause with placeholders replaced in its string values. A value that is one
/// placeholder and nothing else takes the parameter's value with its type, a list giving one value
/// per element (`region = "{incentive.regions}"` keeps each region of the incentive). Throws
/// PlaceholderError.
WhereClause substitute(const WhereClause& clause, const std::vector<const ValidatedStep*>& steps);

}  // namespace klaster
