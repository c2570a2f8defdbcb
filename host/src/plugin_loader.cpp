// The only file of the host that includes Boost.DLL.
#include "plugin_loader.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "errors.hpp"
#include "klaster/sdk/step.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {

/// Refuses a plugin folder or library that someone else could have written code into, as ssh
/// refuses such key files: writable by anyone or by a group other than this user's or root's, or
/// owned by a user who is neither this one nor root.
void check_trusted(const fs::path& p, const char* what) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return;  // a missing path is reported by the caller
  const auto mode = st.st_mode & 07777;
  std::string why;
  // Group write is harmless when the group is this user's own (Debian's user private groups,
  // umask 002) or root's.
  const bool group_open = (st.st_mode & S_IWGRP) && st.st_gid != ::getegid() && st.st_gid != 0;
  if ((st.st_mode & S_IWOTH) || group_open) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    why = std::string("is writable by ") + (st.st_mode & S_IWOTH ? "anyone" : "its group") +
          " (mode " + octal + "): klaster loads no code others can change; chmod go-w it";
  } else if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    why = "is owned by user " + std::to_string(st.st_uid) +
          ", neither you nor root: klaster loads no code others can change; load it from a "
          "folder of your own";
  }
  if (!why.empty()) throw HostError(kExitPluginLoad, p.string() + ": " + what + " " + why);
}

}  // namespace

std::optional<fs::path> builtin_plugin_dir() {
  std::error_code ec;
  const fs::path exe_dir = boost::dll::program_location(ec).parent_path();
  if (ec) return std::nullopt;
  // The build tree has bin/klaster and plugins/; an installed tree bin/klaster and
  // lib/klaster/plugins/. The first that exists is the built-in folder.
  for (const fs::path& builtin :
       {exe_dir / ".." / "plugins", exe_dir / ".." / "lib" / "klaster" / "plugins"})
    if (fs::is_directory(builtin)) return fs::weakly_canonical(builtin);
  return std::nullopt;
}

std::vector<fs::path> plugin_search_path(const std::vector<std::string>& extra) {
  std::vector<fs::path> dirs;
  for (const auto& d : extra) dirs.emplace_back(d);
  if (const char* env = std::getenv("KLASTER_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string item;
    while (std::getline(ss, item, ':')) {
      if (item.empty()) continue;
      if (fs::path(item).is_relative())
        spdlog::warn("KLASTER_PLUGIN_PATH entry '{}' is relative: loading plugins from {}", item,
                     fs::absolute(item).lexically_normal().string());
      dirs.emplace_back(item);
    }
  }
  if (auto builtin = builtin_plugin_dir()) dirs.push_back(*builtin);
  return dirs;
}

std::vector<fs::path> PluginRegistry::checked_dirs(const std::vector<fs::path>& dirs) {
  std::vector<fs::path> out, seen;
  for (const auto& dir : dirs) {
    if (!fs::is_directory(dir))
      throw HostError(kExitPluginLoad, dir.string() + ": plugin folder not found");
    const fs::path canon = fs::weakly_canonical(dir);
    if (std::find(seen.begin(), seen.end(), canon) != seen.end()) continue;
    check_trusted(dir, "plugin folder");
    seen.push_back(canon);
    out.push_back(dir);
  }
  return out;
}

bool PluginRegistry::loaded(const fs::path& file) const {
  return std::any_of(plugins_.begin(), plugins_.end(),
                     [&](const auto& p) { return p.second.file == file; });
}

void PluginRegistry::load_dirs(const std::vector<fs::path>& dirs) {
  for (const auto& dir : checked_dirs(dirs)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".so") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (!loaded(f)) load_file(f);
  }
}

void PluginRegistry::load_named(const std::vector<fs::path>& dirs,
                                const std::set<std::string>& names) {
  const std::optional<fs::path> builtin = builtin_plugin_dir();
  const std::vector<fs::path> search = checked_dirs(dirs);
  std::vector<fs::path> others;
  for (const auto& dir : search)
    if (!builtin || fs::weakly_canonical(dir) != *builtin) others.push_back(dir);
  load_dirs(others);  // users' folders whole: a name they take twice is still reported
  if (builtin && others.size() < search.size())
    for (const auto& name : names) {
      std::error_code ec;
      if (const fs::path f = *builtin / (name + ".so"); fs::is_regular_file(f, ec)) load_file(f);
    }
  for (const auto& name : names)
    if (!find(name)) return load_dirs(search);  // for the message naming every plugin
}

const LoadedPlugin& PluginRegistry::load_file(const fs::path& file) {
  namespace dll = boost::dll;
  check_trusted(file, "plugin library");
  auto lib = std::make_shared<dll::shared_library>();
  boost::dll::fs::error_code ec;
  // RTLD_NOW: a missing symbol fails here, with a message, not at its first call.
  lib->load(file, dll::load_mode::rtld_now | dll::load_mode::rtld_local, ec);
  if (ec || !lib->is_loaded()) {
    // Boost.DLL keeps only an error code; ask the dynamic loader again for its reason
    // (an unresolved symbol, a missing dependency, a wrong architecture).
    std::string why = ec.message();
    if (void* h = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      dlclose(h);
    } else if (const char* e = dlerror()) {
      why = e;
    }
    throw HostError(kExitPluginLoad, file.string() + ": cannot load plugin library: " + why);
  }
  if (!lib->has(KLASTER_PLUGIN_ENTRY_SYMBOL))
    throw HostError(kExitPluginLoad, file.string() + ": not a klaster plugin: it exports no '" +
                                         KLASTER_PLUGIN_ENTRY_SYMBOL +
                                         "' (use KLASTER_PLUGIN(Class))");
  using EntryFn = const sdk::PluginEntry*();
  const sdk::PluginEntry* entry = lib->get<EntryFn>(KLASTER_PLUGIN_ENTRY_SYMBOL)();
  // Libraries are never unloaded, not even at exit: plugin objects, vtables and strings live in
  // them, and memory a plugin still points to at exit would look leaked to LeakSanitizer once its
  // library were unmapped (make test-sanitize). So the list is never destroyed.
  static auto* keep_loaded = new std::vector<std::shared_ptr<dll::shared_library>>;
  keep_loaded->push_back(lib);

  std::vector<std::string> problems;
  if (!entry)
    problems.push_back("its entry returned no descriptor");
  else {
    if (entry->abi_version != KLASTER_SDK_ABI_VERSION)
      problems.push_back("SDK ABI version " + std::to_string(entry->abi_version) +
                         ", host supports " + std::to_string(KLASTER_SDK_ABI_VERSION));
    if (entry->struct_size != sizeof(sdk::PluginEntry))
      problems.push_back("entry size " + std::to_string(entry->struct_size) +
                         " bytes, host expects " + std::to_string(sizeof(sdk::PluginEntry)));
    if (problems.empty() &&
        std::string(entry->build_tag ? entry->build_tag : "") != KLASTER_SDK_BUILD_TAG)
      problems.push_back(std::string("build tag '") + (entry->build_tag ? entry->build_tag : "") +
                         "', host is '" KLASTER_SDK_BUILD_TAG "'");
  }
  if (!problems.empty()) {
    std::string msg = file.string() + ": incompatible plugin: ";
    for (std::size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
    throw HostError(kExitPluginLoad, msg + " (rebuild it against this klaster SDK)");
  }
  LoadedPlugin p;
  p.file = file;
  p.entry = entry;
  if (sdk::Status s = entry->describe(&p.info); s.code != sdk::StatusCode::kOk)
    throw HostError(kExitPluginLoad,
                    file.string() + ": the plugin failed to describe itself: " + s.message);
  if (p.info.name.empty())
    throw HostError(kExitPluginLoad, file.string() + ": the plugin has an empty name");
  try {
    sdk::check_info(p.info);
  } catch (const sdk::Error& e) {
    throw HostError(kExitPluginLoad, file.string() + ": plugin '" + p.info.name + "': " + e.what());
  }
  if (auto it = plugins_.find(p.info.name); it != plugins_.end())
    throw HostError(kExitPluginLoad, file.string() + ": plugin name '" + p.info.name +
                                         "' is already taken by " + it->second.file.string());
  return plugins_.emplace(p.info.name, std::move(p)).first->second;
}

const LoadedPlugin* PluginRegistry::find(const std::string& name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : &it->second;
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, p] : plugins_) out.push_back(n);
  return out;
}

}  // namespace klaster
