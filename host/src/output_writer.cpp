#include "output_writer.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "errors.hpp"
#include "klaster/sdk/csv.hpp"

namespace klaster {

namespace fs = std::filesystem;

OutputStage::OutputStage(fs::path out_dir) : out_(std::move(out_dir)) {
  const fs::path absolute = fs::absolute(out_).lexically_normal();
  fs::path parent = absolute.parent_path();
  std::error_code ec;
  if (fs::exists(absolute) && !fs::is_directory(absolute))
    throw HostError(kExitPipeline, out_.string() + ": output path exists and is not a folder");
  fs::create_directories(parent, ec);
  if (ec)
    throw HostError(kExitPipeline, out_.string() + ": cannot create the output folder's parent " +
                                       parent.string() + ": " + ec.message());
  stage_ = parent / ("." + absolute.filename().string() + ".staging-" + std::to_string(::getpid()));
  fs::remove_all(stage_, ec);
  if (!fs::create_directory(stage_, ec) || ec)
    throw HostError(kExitPipeline, out_.string() + ": output folder is not writable (cannot create " +
                                       stage_.string() + ": " + (ec ? ec.message() : "exists") + ")");
  // create_directory can succeed where files cannot be written (e.g. quota): probe once.
  const fs::path probe = stage_ / ".probe";
  std::ofstream(probe) << "ok";
  if (!fs::exists(probe))
    throw HostError(kExitPipeline, out_.string() + ": output folder is not writable (" + stage_.string() + ")");
  fs::remove(probe, ec);
}

OutputStage::~OutputStage() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(stage_, ec);
  }
}

void OutputStage::write_table(const std::string& name, const sdk::Table& table) {
  const fs::path p = stage_ / (name + ".csv");
  std::ofstream out(p, std::ios::binary);
  sdk::write_csv(table, out);
  out.close();
  if (!out) throw HostError(kExitStepFailed, p.string() + ": write failed: " + std::strerror(errno));
}

void OutputStage::write_text(const std::string& file_name, const std::string& text) {
  const fs::path p = stage_ / file_name;
  std::ofstream out(p, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw HostError(kExitStepFailed, p.string() + ": write failed: " + std::strerror(errno));
}

void OutputStage::commit() {
  const fs::path absolute = fs::absolute(out_).lexically_normal();
  const fs::path old = absolute.parent_path() / ("." + absolute.filename().string() + ".old-" + std::to_string(::getpid()));
  std::error_code ec;
  const bool had_old = fs::exists(absolute);
  if (had_old) {
    fs::rename(absolute, old, ec);
    if (ec) throw HostError(kExitStepFailed, out_.string() + ": cannot move the previous output aside: " + ec.message());
  }
  fs::rename(stage_, absolute, ec);
  if (ec) {
    std::error_code ec2;
    if (had_old) fs::rename(old, absolute, ec2);  // put the previous output back
    throw HostError(kExitStepFailed, out_.string() + ": cannot move the new output into place: " + ec.message());
  }
  committed_ = true;
  if (had_old) fs::remove_all(old, ec);
}

std::string sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HostError(kExitDataset, path.string() + ": cannot read for its checksum");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
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
