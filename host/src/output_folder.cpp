#include "output_folder.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "errors.hpp"

namespace klaster {

namespace fs = std::filesystem;

fs::path resolved_path(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p), ec);
  if (ec) r = fs::absolute(p).lexically_normal();
  if (r.filename().empty() && r != r.root_path()) r = r.parent_path();  // "dir/" -> "dir"
  return r;
}

namespace {

fs::path resolved(const fs::path& p) { return resolved_path(p); }

/// \brief Whether `inner` is `outer` or lies below it (both resolved).
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
    if (i == inner.end() || *i != *o) return false;
  return true;
}

/// \brief A path the output folder must not be or contain: as shown to the user, and its role.
struct Protected {
  fs::path real;
  std::string shown, role;
};

std::vector<Protected> protected_list(const ProtectedPaths& p) {
  const std::string pipeline = p.pipeline_file.string();
  const fs::path pipeline_dir =
      p.pipeline_file.parent_path().empty() ? fs::path(".") : p.pipeline_file.parent_path();
  std::vector<Protected> list;
  list.push_back(
      {resolved(fs::current_path()), fs::current_path().string(), "the working directory"});
  if (const char* home = std::getenv("HOME"); home && *home)
    list.push_back({resolved(home), home, "the home folder ($HOME)"});
  list.push_back({fs::path("/"), "/", "the root folder"});
  list.push_back(
      {resolved(p.dataset_dir), p.dataset_dir.string(), "the dataset folder of " + pipeline});
  list.push_back(
      {resolved(pipeline_dir), pipeline_dir.string(), "the folder of the pipeline " + pipeline});
  for (const auto& f : p.input_files)
    list.push_back({resolved(f), f.string(), "an input file of " + pipeline});
  return list;
}

/// \brief Why `real` may not be an output folder, or "" when it may.
std::string forbidden_reason(const fs::path& real, const ProtectedPaths& paths) {
  const auto list = protected_list(paths);
  for (const auto& p : list)
    if (real == p.real) return "it is " + p.role;
  for (const auto& p : list)
    if (is_within(p.real, real)) return "it contains " + p.shown + ", " + p.role;
  if (is_within(real, resolved(paths.dataset_dir)))
    return "it is inside " + paths.dataset_dir.string() + ", the dataset folder of " +
           paths.pipeline_file.string();
  return "";
}

/// \brief "choose a new folder (e.g. out/<pipeline>)", without the example when it is `real`.
std::string new_folder_hint(const fs::path& real, const ProtectedPaths& paths) {
  const fs::path example = fs::path("out") / paths.pipeline_file.stem();
  if (resolved(example) == real || !forbidden_reason(resolved(example), paths).empty())
    return "choose a new folder";
  return "choose a new folder (e.g. " + example.string() + ")";
}

/// \brief The names klaster wrote into an output folder according to its run.json, run.json
/// included; nothing when run.json is missing, not JSON, or not written by klaster.
std::optional<std::set<std::string>> files_written_by_klaster(const fs::path& run_json) {
  std::ifstream in(run_json, std::ios::binary);
  if (!in) return std::nullopt;
  const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("steps") || !j["steps"].is_array()) return std::nullopt;
  const bool marked = (j.contains("written_by") && j["written_by"] == "klaster") ||
                      (j.contains("klaster_version") && j["klaster_version"].is_string());
  if (!marked) return std::nullopt;
  std::set<std::string> files{"run.json"};
  for (const auto& step : j["steps"]) {
    if (!step.is_object() || !step.contains("tables_written") || !step["tables_written"].is_array())
      continue;
    for (const auto& t : step["tables_written"])
      if (t.is_object() && t.contains("file") && t["file"].is_string())
        files.insert(t["file"].get<std::string>());
  }
  return files;
}

/// \brief The entries of `dir` in sorted order. Throws HostError (exit 2) when it cannot be read.
std::vector<fs::directory_entry> sorted_entries(const fs::path& dir, const fs::path& shown) {
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(*it);
  if (ec)
    throw HostError(kExitPipeline, shown.string() + ": cannot read the folder: " + ec.message());
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  return entries;
}

/// \brief Whether `name` is `prefix` followed by one or more digits (a pid).
bool is_prefix_and_pid(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                     [](unsigned char c) { return std::isdigit(c); });
}

bool is_real_folder(const fs::directory_entry& e) {
  std::error_code ec;
  return e.symlink_status(ec).type() == fs::file_type::directory;
}

std::string pid_text(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string s(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  const bool digits = !s.empty() && std::all_of(s.begin(), s.end(),
                                                [](unsigned char c) { return std::isdigit(c); });
  return digits ? s : "";
}

/// \brief Whether `fd` is still the file at `path` (a holder that finished may have removed it
/// between our open() and flock()).
bool still_linked(int fd, const fs::path& path) {
  struct stat by_fd {
  }, by_path{};
  if (::fstat(fd, &by_fd) != 0 || ::stat(path.c_str(), &by_path) != 0) return false;
  return by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino;
}

/// \brief Opens `path` (creating it) and takes an exclusive flock on it without waiting; returns
/// the descriptor. Throws HostError (exit 2) naming the holder's pid when another run holds it.
int open_locked(const fs::path& path, const fs::path& shown) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw HostError(kExitPipeline, shown.string() +
                                       ": output folder is not writable (cannot create " +
                                       path.string() + ": " + std::strerror(errno) + ")");
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
  const int err = errno;
  const std::string holder = pid_text(fd);
  ::close(fd);
  if (err != EWOULDBLOCK)
    throw HostError(kExitPipeline, path.string() + ": cannot lock: " + std::strerror(err));
  throw HostError(kExitPipeline,
                  shown.string() + ": another klaster run" +
                      (holder.empty() ? "" : " (pid " + holder + ")") +
                      " is writing this folder; wait for it or choose another --out");
}

/// \brief Replaces the lock file's content by this process's pid, for a second run's message.
/// Without it the lock still holds; a second run then names no pid.
void write_pid(int fd) {
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0) return;
  const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
  static_cast<void>(written);
}

/// \brief The two-rename replacement for file systems without RENAME_EXCHANGE: `real` goes to
/// `.<name>.old-<pid>`, `stage` to `real`, the old folder to `stage`. A run killed between the
/// renames leaves `.old-<pid>`, which remove_stale_stages() puts back.
void replace_by_renames(const fs::path& stage, const fs::path& real) {
  const fs::path old =
      real.parent_path() / ("." + real.filename().string() + ".old-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::rename(real, old, ec);
  if (ec)
    throw HostError(kExitStepFailed,
                    real.string() + ": cannot move the previous output aside: " + ec.message());
  fs::rename(stage, real, ec);
  if (ec) {
    std::error_code ignored;
    fs::rename(old, real, ignored);
    throw HostError(kExitStepFailed,
                    real.string() + ": cannot move the new output into place: " + ec.message());
  }
  fs::rename(old, stage, ec);
}

}  // namespace

void check_output_target(const fs::path& shown, const fs::path& real, const ProtectedPaths& paths) {
  const std::string reason = forbidden_reason(real, paths);
  if (reason.empty()) return;
  throw HostError(kExitPipeline, shown.string() + ": refusing to write output here: " + reason +
                                     "; " + new_folder_hint(real, paths));
}

std::optional<std::string> first_foreign_entry(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  const auto entries = sorted_entries(dir, dir);
  if (entries.empty()) return std::nullopt;
  const auto written = files_written_by_klaster(dir / "run.json");
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    const bool regular = e.symlink_status(ec).type() == fs::file_type::regular;
    const bool report = regular && written && is_klaster_report(e.path());
    if (!report && (!regular || !written || !written->count(name)))
      return is_real_folder(e) ? name + "/" : name;
  }
  return std::nullopt;
}

bool is_klaster_report(const fs::path& file) {
  std::error_code ec;
  if (fs::symlink_status(file, ec).type() != fs::file_type::regular) return false;
  std::ifstream in(file, std::ios::binary);
  std::string first;
  std::getline(in, first);
  return first == kReportMarker;
}

void check_replaceable(const fs::path& shown, const fs::path& real, const ProtectedPaths& paths) {
  const auto foreign = first_foreign_entry(real);
  if (!foreign) return;
  throw HostError(kExitPipeline,
                  shown.string() + ": refusing to replace this folder: it holds " + *foreign +
                      ", which klaster did not write (only an empty folder or a previous "
                      "klaster output is replaced); " +
                      new_folder_hint(real, paths));
}

OutputLock::OutputLock(const fs::path& lock_file, const fs::path& shown) : path_(lock_file) {
  // A holder that finished may remove the file between our open() and flock(): lock the new one.
  for (fd_ = open_locked(path_, shown); !still_linked(fd_, path_); fd_ = open_locked(path_, shown))
    ::close(fd_);
  write_pid(fd_);
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());  // while still locked, so no one locks the removed file unnoticed
  ::close(fd_);
}

fs::path lock_path(const fs::path& real) {
  return real.parent_path() / ("." + real.filename().string() + ".lock");
}

fs::path stage_path(const fs::path& real, long pid) {
  return real.parent_path() / ("." + real.filename().string() + ".staging-" + std::to_string(pid));
}

void remove_stale_stages(const fs::path& real) {
  const std::string name = real.filename().string();
  std::error_code ec;
  for (const auto& e : sorted_entries(real.parent_path(), real.parent_path())) {
    const std::string entry = e.path().filename().string();
    const bool staging = is_prefix_and_pid(entry, "." + name + ".staging-");
    const bool old = !staging && is_prefix_and_pid(entry, "." + name + ".old-");
    // The names first: only those entries are looked at (stat), not every file beside them.
    if ((!staging && !old) || !is_real_folder(e)) continue;
    // Said at warn level: the user should know that an earlier run did not finish.
    if (staging) {
      fs::remove_all(e.path(), ec);
      spdlog::warn("removed {}, the unfinished output of a klaster run that was killed or crashed",
                   e.path().string());
    } else if (fs::exists(real, ec)) {  // an .old- folder
      fs::remove_all(e.path(), ec);
      spdlog::warn("removed {}, an output a killed klaster run had already replaced",
                   e.path().string());
    } else {
      fs::rename(e.path(), real, ec);
      spdlog::warn("restored {} from {}, where a klaster run killed while replacing it left it",
                   real.string(), e.path().string());
    }
  }
}

void move_into_place(const fs::path& stage, const fs::path& real) {
  std::error_code ec;
  if (!fs::exists(real, ec)) {
    fs::rename(stage, real, ec);
    if (ec)
      throw HostError(kExitStepFailed,
                      real.string() + ": cannot move the new output into place: " + ec.message());
    return;
  }
  if (::renameat2(AT_FDCWD, stage.c_str(), AT_FDCWD, real.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS)
    throw HostError(kExitStepFailed, real.string() + ": cannot swap the new output into place: " +
                                         std::strerror(errno));
  replace_by_renames(stage, real);
}

}  // namespace klaster
