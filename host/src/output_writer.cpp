#include "output_writer.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>

#include "errors.hpp"
#include "klaster/sdk/csv.hpp"

namespace klaster {

namespace fs = std::filesystem;

namespace {
// The stage of this process and the lock of its folder, shared with abandon_active(), which an
// interrupt calls from another thread: it must not remove a stage while a file is written into it
// or while commit() swaps it into place.
std::mutex g_stage_mutex;
OutputStage* g_active_stage = nullptr;
}  // namespace

OutputStage::OutputStage(fs::path out_dir, ProtectedPaths protected_paths)
    : out_(std::move(out_dir)), real_(resolved_path(out_)), protected_(std::move(protected_paths)) {
  check_output_target(out_, real_, protected_);
  std::error_code ec;
  const auto type = fs::symlink_status(real_, ec).type();
  if (type != fs::file_type::not_found && type != fs::file_type::directory)
    throw HostError(kExitPipeline, out_.string() + ": output path exists and is not a folder");
  create_parent();
  lock_ = std::make_unique<OutputLock>(lock_path(real_), out_);
  check_replaceable(out_, real_, protected_);
  remove_stale_stages(real_);
  create_stage();
  const std::lock_guard<std::mutex> guard(g_stage_mutex);
  g_active_stage = this;
}

OutputStage::~OutputStage() {
  const std::lock_guard<std::mutex> guard(g_stage_mutex);
  g_active_stage = nullptr;
  if (!committed_) remove_stage();
}

void OutputStage::remove_stage() const {
  std::error_code ec;
  fs::remove_all(stage_, ec);
}

OutputStage::Abandoned OutputStage::abandon_active() {
  g_stage_mutex.lock();  // never unlocked: the process ends without another write
  if (!g_active_stage) return Abandoned::kNoStage;
  const OutputStage& s = *g_active_stage;
  ::unlink(lock_path(s.real_).c_str());  // as ~OutputLock does, while the lock is still held
  if (s.committed_) return Abandoned::kCommitted;
  s.remove_stage();
  return Abandoned::kRemoved;
}

void OutputStage::create_parent() const {
  const fs::path parent = real_.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec)
    throw HostError(kExitPipeline, out_.string() + ": cannot create the output folder's parent " +
                                       parent.string() + ": " + ec.message());
}

void OutputStage::create_stage() {
  stage_ = stage_path(real_, ::getpid());
  std::error_code ec;
  if (!fs::create_directory(stage_, ec) || ec)
    throw HostError(kExitPipeline,
                    out_.string() + ": output folder is not writable (cannot create " +
                        stage_.string() + ": " + (ec ? ec.message() : "exists") + ")");
  // create_directory can succeed where files cannot be written (e.g. quota): probe once.
  const fs::path probe = stage_ / ".probe";
  std::ofstream(probe) << "ok";
  const bool writable = fs::exists(probe, ec);
  fs::remove(probe, ec);
  if (!writable) {
    fs::remove_all(stage_, ec);
    throw HostError(kExitPipeline,
                    out_.string() + ": output folder is not writable (" + stage_.string() + ")");
  }
}

void OutputStage::write_table(const std::string& name, const sdk::Table& table) {
  const std::lock_guard<std::mutex> guard(g_stage_mutex);
  const fs::path p = stage_ / (name + ".csv");
  std::ofstream out(p, std::ios::binary);
  sdk::write_csv(table, out);
  out.close();
  if (!out)
    throw HostError(kExitStepFailed, p.string() + ": write failed: " + std::strerror(errno));
}

void OutputStage::write_text(const std::string& file_name, const std::string& text) {
  const std::lock_guard<std::mutex> guard(g_stage_mutex);
  const fs::path p = stage_ / file_name;
  std::ofstream out(p, std::ios::binary);
  out << text;
  out.close();
  if (!out)
    throw HostError(kExitStepFailed, p.string() + ": write failed: " + std::strerror(errno));
}

void OutputStage::commit() {
  const std::lock_guard<std::mutex> guard(g_stage_mutex);
  check_replaceable(out_, real_, protected_);  // the folder may have changed while the steps ran
  move_into_place(stage_, real_);
  committed_ = true;
  dispose_previous_output();
}

/// After the swap the stage path holds the previous output (or nothing). It is removed when it is
/// still a klaster output; should a file have appeared in it since commit()'s check, the folder is
/// kept as `<name>.kept-<pid>` instead, so a user's file is never deleted.
void OutputStage::dispose_previous_output() const {
  std::error_code ec;
  if (!fs::exists(stage_, ec)) return;
  if (!first_foreign_entry(stage_)) {
    fs::remove_all(stage_, ec);
    return;
  }
  const fs::path kept =
      real_.parent_path() / (real_.filename().string() + ".kept-" + std::to_string(::getpid()));
  fs::rename(stage_, kept, ec);
  spdlog::warn("{}: the previous output gained files during the run; kept as {}", out_.string(),
               (ec ? stage_ : kept).string());
}

std::string sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HostError(kExitDataset, path.string() + ": cannot read for its checksum");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0)
      EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

}  // namespace klaster
