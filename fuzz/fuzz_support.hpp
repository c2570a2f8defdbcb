// klaster fuzz targets: what every target shares. The readers take paths, so each input is written
// to a file in a folder of this process's own (made once, removed at exit) and read from there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "errors.hpp"
#include "klaster/sdk/plugin.hpp"

namespace klaster::fuzz {

/// \brief This process's scratch folder (mkdtemp under TMPDIR or /tmp). libFuzzer usually ends
/// with _exit, which skips the atexit removal: scripts/fuzz-check.sh points TMPDIR at a folder it
/// removes.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path base = std::filesystem::temp_directory_path();
    std::string pattern = (base / "klaster-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    std::atexit([] { std::filesystem::remove_all(scratch()); });
    return std::filesystem::path(pattern);
  }();
  return dir;
}

/// \brief Writes `size` bytes to `name` in the scratch folder, replacing what it held.
inline std::filesystem::path write_input(const std::string& name, const std::uint8_t* data,
                                         std::size_t size) {
  const std::filesystem::path path = scratch() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out.flush()) std::abort();
  return path;
}

/// \brief Runs `read`. The errors a reader documents (HostError with an exit code of the README,
/// sdk::Error) are expected answers to bad input; any other exception reaches the user as an
/// unlocated message with exit code 1 (main's catch-all), so it is a finding: abort, which
/// libFuzzer records as a crash with the input.
template <class F>
void expect_documented_errors(F&& read) {
  try {
    read();
  } catch (const HostError& e) {
    if (e.code() < kExitStepFailed || e.code() > kExitPluginLoad) {
      std::fprintf(stderr, "HostError with exit code %d: %s\n", e.code(), e.what());
      std::abort();
    }
  } catch (const sdk::Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "undocumented exception: %s\n", e.what());
    std::abort();
  }
}

}  // namespace klaster::fuzz
