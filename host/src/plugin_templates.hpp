// klaster host: the templates of `klaster new-plugin` (host/templates/), compiled into the
// executable.
#pragma once

#include <string_view>

namespace klaster {

/// \brief The text of template `path` (relative to host/templates/, without `.in`, e.g.
/// "indicator/plugin.cpp"). Throws std::logic_error for a path that is not a template. The text
/// lives in static storage for the life of the process.
std::string_view plugin_template(std::string_view path);

}  // namespace klaster
