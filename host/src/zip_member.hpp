// klaster host: one member of a zip archive (an .xlsx), read with zlib.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace klaster {

/// \brief The uncompressed bytes of member `name` of the zip archive at `path` (stored or
/// deflated, at most 16 MiB), or nothing when the file is not such an archive or lacks it.
std::optional<std::string> zip_member(const std::filesystem::path& path, const std::string& name);

}  // namespace klaster
