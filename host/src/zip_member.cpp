// Reads one member of a zip archive with zlib: just enough to look inside an .xlsx that may be
// replaced (is_klaster_workbook), without a zip library. Anything unexpected reads as "absent".
#include "zip_member.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>

namespace klaster {

namespace {

std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

std::optional<std::string> read_at(std::ifstream& in, std::uint64_t at, std::uint64_t n) {
  std::string b(n, '\0');
  in.seekg(static_cast<std::streamoff>(at));
  if (!in.read(b.data(), static_cast<std::streamsize>(n))) return std::nullopt;
  return b;
}

/// The central directory (its bytes), found through the end-of-central-directory record.
std::optional<std::string> central_directory(std::ifstream& in) {
  in.seekg(0, std::ios::end);
  const std::uint64_t size = static_cast<std::uint64_t>(in.tellg());
  const std::uint64_t tail = std::min<std::uint64_t>(size, 65535 + 22);
  const auto end = read_at(in, size - tail, tail);
  if (!end || tail < 22) return std::nullopt;
  const std::size_t at = end->rfind(std::string("PK\x05\x06", 4));
  if (at == std::string::npos || at + 22 > end->size()) return std::nullopt;
  const std::uint64_t cd_size = le(*end, at + 12, 4), cd_at = le(*end, at + 16, 4);
  if (cd_at + cd_size > size || cd_size > (16u << 20)) return std::nullopt;
  return read_at(in, cd_at, cd_size);
}

std::optional<std::string> inflate_raw(const std::string& packed, std::size_t size) {
  std::string out(size, '\0');
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return std::nullopt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  zs.avail_in = static_cast<uInt>(packed.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

/// The data of the member whose central directory entry starts at `p`.
std::optional<std::string> member_data(std::ifstream& in, const std::string& cd, std::size_t p) {
  const std::uint32_t method = le(cd, p + 10, 2), packed = le(cd, p + 20, 4),
                      size = le(cd, p + 24, 4), local = le(cd, p + 42, 4);
  if (size > (16u << 20)) return std::nullopt;
  const auto header = read_at(in, local, 30);
  if (!header || header->compare(0, 4, "PK\x03\x04", 4) != 0) return std::nullopt;
  const auto data = read_at(in, local + 30 + le(*header, 26, 2) + le(*header, 28, 2), packed);
  if (!data) return std::nullopt;
  if (method == 0) return data;
  return method == 8 ? inflate_raw(*data, size) : std::nullopt;
}

}  // namespace

std::optional<std::string> zip_member(const std::filesystem::path& path, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const auto cd = central_directory(in);
  if (!cd) return std::nullopt;
  for (std::size_t p = 0; p + 46 <= cd->size();) {
    if (cd->compare(p, 4, "PK\x01\x02", 4) != 0) return std::nullopt;
    const std::size_t n = le(*cd, p + 28, 2), extra = le(*cd, p + 30, 2),
                      comment = le(*cd, p + 32, 2);
    if (p + 46 + n > cd->size()) return std::nullopt;
    if (cd->compare(p + 46, n, name) == 0) return member_data(in, *cd, p);
    p += 46 + n + extra + comment;
  }
  return std::nullopt;
}

}  // namespace klaster
