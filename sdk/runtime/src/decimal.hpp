// klaster runtime, internal: decimal text of doubles, fast, for the CSV reader and writer
// (decimal.cpp).
#pragma once

#include <cstddef>
#include <string_view>

namespace klaster::sdk::detail {

/// put_shortest() may write this many bytes at its destination, past the end it returns.
constexpr std::size_t kShortestRoom = 48;

/// Writes the text std::to_chars(first, last, v) writes (the shortest that reads back as v, fixed
/// or scientific, whichever is shorter, fixed on a tie), byte for byte, and returns its end. `p`
/// must have kShortestRoom bytes of room: whole words are stored and the bytes after the text
/// are left undefined.
char* put_shortest(char* p, double v);

/// Reads `t` when it is a plain decimal, [-]digits[.digits] with at most 19 digits, whose
/// digits make an integer m <= 2^53, with k fractional digits (so k <= 19): then m and 10^k
/// are exact doubles and one IEEE division rounds m / 10^k correctly (Clinger's
/// fast path), so `v` is what std::from_chars gives. Returns false, `v` untouched, for any other
/// text (an exponent, more digits, no digit at all, anything else), which the caller parses in
/// full.
bool parse_plain_decimal(std::string_view t, double& v);

}  // namespace klaster::sdk::detail
