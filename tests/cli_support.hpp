// Test support: run the klaster executable and look at what it did.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace klaster::test {

namespace fs = std::filesystem;

struct CliResult {
  int code = -1;
  std::string out, err;
};

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_text(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

/// A fresh folder under the system temp folder, removed at destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = fs::temp_directory_path() / ("klaster_test_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& s) const { return path_ / s; }

 private:
  fs::path path_;
};

/// Runs `klaster ARGS` in `cwd` (default: the source tree) with KLASTER_PLUGIN_PATH cleared, then
/// set to `plugin_path` when that is given; `bin`: another copy of the executable.
inline CliResult run_klaster(const std::string& args, const fs::path& cwd = KLASTER_SOURCE_DIR,
                             const std::string& plugin_path = "",
                             const std::string& bin = KLASTER_BIN) {
  static int counter = 0;
  const fs::path err_file =
      fs::temp_directory_path() /
      ("klaster_cli_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string env = plugin_path.empty() ? "" : "KLASTER_PLUGIN_PATH='" + plugin_path + "' ";
  const std::string cmd = "cd '" + cwd.string() + "' && env -u KLASTER_PLUGIN_PATH " + env + "'" +
                          bin + "' " + args + " 2>'" + err_file.string() + "'";
  CliResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_text(err_file);
  fs::remove(err_file);
  return r;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A small dataset: two years, three regions, two industries.
inline const char* kDatasetToml = R"(name = "toy"
source = "written by cli_test"
[tables.output]
file = "output.csv"
columns = { year = "int", region = "string", industry = "string", value = "float" }
)";

inline const char* kOutputCsv =
    "year,region,industry,value\n"
    "2024,A,X,30\n2024,A,Y,70\n2024,B,X,20\n2024,B,Y,80\n2024,C,X,25\n2024,C,Y,75\n"
    "2025,A,X,40\n2025,A,Y,60\n2025,B,X,20\n2025,B,Y,80\n2025,C,X,25\n2025,C,Y,75\n";

inline const char* kLqStep = R"([[step]]
id = "lq"
plugin = "location_quotient"
params = { input = "output", value = "value" }
)";

/// A project folder with data/ and a pipeline p.toml holding `steps` after the header; in a fresh
/// temp folder, or in `root`/`name` when `root` is given (the caller removes it).
class Project {
 public:
  explicit Project(const std::string& name, const std::string& steps,
                   const std::string& csv = kOutputCsv,
                   const std::optional<fs::path>& root = std::nullopt) {
    if (!root) tmp_.emplace(name);
    dir_ = root ? *root / name : tmp_->path();
    write_text(dir_ / "data/dataset.toml", kDatasetToml);
    write_text(dir_ / "data/output.csv", csv);
    write_pipeline(steps);
  }
  void write_pipeline(const std::string& steps) const {
    write_text(dir_ / "p.toml",
               "name = \"test pipeline\"\ndataset = \"data\"\noutput = \"out\"\n\n" + steps);
  }
  CliResult run(const std::string& args = "") const {
    return run_klaster("run p.toml " + args, dir_);
  }
  CliResult validate(const std::string& args = "") const {
    return run_klaster("validate p.toml " + args, dir_);
  }
  fs::path path(const std::string& rel) const { return dir_ / rel; }
  const fs::path& dir() const { return dir_; }

 private:
  std::optional<TempDir> tmp_;
  fs::path dir_;
};

/// The first line of stderr.
inline std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace klaster::test
