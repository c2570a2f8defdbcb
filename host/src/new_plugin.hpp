// klaster host: `klaster new-plugin`, a plugin folder written from the templates in
// host/templates/.
#pragma once

#include <string>

namespace klaster {

/// \brief What `klaster new-plugin NAME [--kind KIND] [--dir DIR]` asks for.
struct NewPluginRequest {
  std::string name;
  std::string kind = "indicator";  // "indicator" or "measure"
  std::string dir = ".";           // the folder NAME/ is created in (created if missing)
};

/// \brief Writes DIR/NAME/ with NAME.cpp, NAME_test.cpp, README.md and CMakeLists.txt, a plugin
/// that builds in the klaster tree (under plugins/) and out of tree and passes its test unedited.
/// Refuses (HostError, exit 2) a name not matching [a-z][a-z0-9_]*, the name of a built-in plugin,
/// an unknown kind and an existing DIR/NAME; never overwrites anything. Returns what to print: the
/// folder, its files and how to build them.
std::string new_plugin(const NewPluginRequest& request);

}  // namespace klaster
