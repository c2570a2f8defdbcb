// `klaster new-plugin`: checks the name, then instantiates the compiled-in templates.
#include "new_plugin.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <string_view>
#include <vector>

#include "errors.hpp"
#include "plugin_loader.hpp"
#include "plugin_templates.hpp"

namespace klaster {
namespace {

namespace fs = std::filesystem;

/// \brief One file of a new plugin: its name in the folder and the template it is written from.
struct ScaffoldFile {
  std::string name;
  std::string template_path;
};

std::vector<ScaffoldFile> scaffold_files(const std::string& name, const std::string& kind) {
  return {{name + ".cpp", kind + "/plugin.cpp"},
          {name + "_test.cpp", kind + "/plugin_test.cpp"},
          {"README.md", kind + "/README.md"},
          {"CMakeLists.txt", "CMakeLists.txt"}};
}

void check_name(const std::string& name) {
  static const std::regex kName("[a-z][a-z0-9_]*");
  if (!std::regex_match(name, kName))
    throw HostError(kExitPipeline,
                    "plugin name '" + name +
                        "' must match [a-z][a-z0-9_]*: lower-case letters, digits and "
                        "'_', starting with a letter (e.g. 'regional_share')");
  // CMake reserves these target names; klaster is the host's.
  for (const char* reserved :
       {"all", "clean", "depend", "help", "install", "package", "test", "klaster"})
    if (name == reserved)
      throw HostError(kExitPipeline, "plugin name '" + name +
                                         "' is reserved as a build target name; choose another");
}

void check_kind(const std::string& kind) {
  if (kind != "indicator" && kind != "measure")
    throw HostError(kExitPipeline, "--kind " + kind + ": use indicator or measure");
}

/// \brief Refuses the name of a plugin in the built-in folder: the two would clash when loaded.
void check_not_builtin(const std::string& name) {
  const auto dir = builtin_plugin_dir();
  if (!dir) return;
  PluginRegistry builtin;
  builtin.load_dirs({*dir});
  if (builtin.find(name))
    throw HostError(kExitPipeline, "'" + name + "' is the name of a built-in plugin (in " +
                                       dir->string() + "); choose another name");
}

/// \brief The PascalCase of plugin `name`: its words capitalised, underscores dropped
/// (regional_share -> RegionalShare). The templates name the class {{Class}}Plugin, which no SDK
/// type is.
std::string pascal_case(const std::string& name) {
  std::string out;
  bool word_start = true;
  for (char c : name) {
    if (c != '_') out += word_start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    word_start = c == '_';
  }
  return out;
}

/// \brief `text` with every {{name}} and {{Class}} replaced.
std::string instantiate(std::string_view text, const std::string& name) {
  const std::string cls = pascal_case(name);
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.substr(pos, 8) == "{{name}}") {
      out += name;
      pos += 8;
    } else if (text.substr(pos, 9) == "{{Class}}") {
      out += cls;
      pos += 9;
    } else {
      out += text[pos++];
    }
  }
  return out;
}

/// \brief Creates `folder`, which must not exist (nor anything at its path); its parents are
/// created.
void create_new_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(folder, ec)))
    throw HostError(kExitPipeline, folder.string() +
                                       ": already exists; klaster new-plugin never overwrites "
                                       "anything: choose another name or --dir");
  fs::create_directories(folder.parent_path(), ec);
  if (ec || !fs::create_directory(folder, ec))
    throw HostError(kExitPipeline,
                    folder.string() + ": cannot create this folder" +
                        (ec ? ": " + ec.message() : std::string(" (it appeared meanwhile)")));
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw HostError(kExitPipeline, file.string() + ": cannot write this file");
}

/// \brief How to build, test and load the plugin written to `folder`.
std::string next_steps(const fs::path& folder, const std::string& name) {
  return "Build and test it on its own: cmake -S " + folder.string() +
         " -B <build> -DCMAKE_PREFIX_PATH=<klaster prefix> && cmake --build <build> && ctest "
         "--test-dir <build>\n"
         "(or move the folder under plugins/ of a klaster checkout); then: klaster describe " +
         name + " --plugin-dir <build>/plugins\n";
}

}  // namespace

std::string new_plugin(const NewPluginRequest& request) {
  check_name(request.name);
  check_kind(request.kind);
  check_not_builtin(request.name);
  const fs::path folder = fs::path(request.dir.empty() ? "." : request.dir) / request.name;
  create_new_folder(folder);
  std::string listing;
  for (const auto& f : scaffold_files(request.name, request.kind)) {
    write_file(folder / f.name, instantiate(plugin_template(f.template_path), request.name));
    listing += "  " + (folder / f.name).string() + "\n";
  }
  return "wrote " + request.kind + " plugin '" + request.name + "' to " + folder.string() + "/:\n" +
         listing + next_steps(folder, request.name);
}

}  // namespace klaster
