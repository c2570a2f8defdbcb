// klaster host: finds, loads and checks plugin libraries.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "klaster/sdk/plugin.hpp"

namespace klaster {

/// \brief A loaded, checked plugin. The library stays loaded for the life of the process.
struct LoadedPlugin {
  std::filesystem::path file;
  const sdk::PluginEntry* entry = nullptr;  // points into the library; never unloaded
  sdk::PluginInfo info;
};

/// \brief The folder of the built-in plugins, found relative to the executable: <build>/plugins in
/// a build tree, <prefix>/lib/klaster/plugins when installed; none when neither exists.
std::optional<std::filesystem::path> builtin_plugin_dir();

/// \brief The folders searched for plugins, in order: `extra` (--plugin-dir), then
/// KLASTER_PLUGIN_PATH (colon-separated), then the folder next to the executable
/// (<build>/plugins in a build tree, <prefix>/lib/klaster/plugins when installed).
/// Never the current directory.
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string>& extra);

/// \brief The plugins loaded: each library with RTLD_NOW | RTLD_LOCAL, its entry checked (ABI
/// version, struct size, build tag) and its metadata read. Throws HostError (exit 4) naming the
/// file on the first library that fails, or on a plugin name used twice.
class PluginRegistry {
 public:
  /// \brief Loads every `*.so` in `dirs` (non-recursive, sorted by name) not loaded yet.
  void load_dirs(const std::vector<std::filesystem::path>& dirs);
  /// \brief Loads what a pipeline of the plugins `names` needs (`run`, `validate`; README,
  /// "Plugin folders"): every library of the folders of `dirs` other than the built-in one, and of
  /// the built-in folder, whose files are named after their plugins, only `<name>.so` of `names`.
  /// Loads the rest too when a name is still not found (so the error can list every plugin).
  void load_named(const std::vector<std::filesystem::path>& dirs,
                  const std::set<std::string>& names);
  /// \brief Loads one library file.
  const LoadedPlugin& load_file(const std::filesystem::path& file);

  const LoadedPlugin* find(const std::string& name) const;
  std::vector<std::string> names() const;
  const std::map<std::string, LoadedPlugin>& plugins() const { return plugins_; }

 private:
  /// The folders that exist and may be trusted, each once. Throws HostError (exit 4).
  static std::vector<std::filesystem::path> checked_dirs(
      const std::vector<std::filesystem::path>& dirs);
  bool loaded(const std::filesystem::path& file) const;
  std::map<std::string, LoadedPlugin> plugins_;
};

}  // namespace klaster
