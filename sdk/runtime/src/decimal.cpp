// klaster runtime, internal: decimal text of doubles (decimal.hpp).
//
// Writing: libstdc++'s std::to_chars(double) took about 75 ns a value on the benchmark VM, the
// largest CPU cost of writing a 30M-row LQ table. put_shortest() gets the same shortest digits
// from fmt's Dragonbox (fmt::detail::dragonbox::to_decimal, in Debian's libfmt, which spdlog
// already loads), turns them into ASCII eight at a time in a 64-bit word, and lays them out in
// std::to_chars' form with fixed-size stores. The tests compare it with std::to_chars byte for
// byte over millions of doubles.
//
// Reading: parse_plain_decimal() is Clinger's fast path (W. D. Clinger, "How to read floating
// point numbers accurately", PLDI 1990): for the common cell such as 81204.06 it costs reading
// the digits (a cell of up to 8 bytes a word at a time) and one division, where std::from_chars
// costs about 22 ns.
#include "decimal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace klaster::sdk::detail {

namespace {

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

constexpr std::uint64_t kPow10[] = {1ull,
                                    10ull,
                                    100ull,
                                    1000ull,
                                    10000ull,
                                    100000ull,
                                    1000000ull,
                                    10000000ull,
                                    100000000ull,
                                    1000000000ull,
                                    10000000000ull,
                                    100000000000ull,
                                    1000000000000ull,
                                    10000000000000ull,
                                    100000000000000ull,
                                    1000000000000000ull,
                                    10000000000000000ull,
                                    100000000000000000ull,
                                    1000000000000000000ull,
                                    10000000000000000000ull};

constexpr std::uint64_t kSixteenDigits = 10000000000000000ull;  // 10^16

#if !defined(__SSE2__)
/// The eight decimal digits of x < 10^8, leading zeros kept, as ASCII with the first digit in the
/// lowest byte: x splits into two 4-digit lanes, each lane into two 2-digit lanes, each of those
/// into two digits, all lanes at once (the multiply-shifts are exact division by 100 below 10^4
/// and by 10 below 100).
std::uint64_t eight_digits(std::uint32_t x) {
  std::uint64_t v = x / 10000 | static_cast<std::uint64_t>(x % 10000) << 32;
  const std::uint64_t hundreds = (v * 5243 >> 19) & 0x0000007F0000007Full;
  v = hundreds | (v - hundreds * 100) << 16;
  const std::uint64_t tens = (v * 103 >> 10) & 0x000F000F000F000Full;
  v = tens | (v - tens * 10) << 8;
  return v + 0x3030303030303030ull;  // '0' in every byte
}
#endif

__extension__ typedef unsigned __int128 Word128;  // GCC's and clang's 128-bit integer

/// The sixteen decimal digits of x < 10^16 as ASCII, the first in the lowest byte: eight_digits()
/// of both halves, at once in the lanes of an SSE2 register where there is one.
Word128 sixteen_digits(std::uint64_t x) {
  const std::uint64_t first = x / 100000000, second = x % 100000000;
#if defined(__SSE2__)
  const __m128i halves =
      _mm_set_epi64x(static_cast<long long>(second), static_cast<long long>(first));
  // Each 64-bit lane / 10^4: (h * 3518437209) >> 45, exact below 10^8 (2^45 / 10^4 =
  // 3518437208.9); the quotient to the lane's low half, the remainder to its high half.
  const __m128i q4 = _mm_srli_epi64(_mm_mul_epu32(halves, _mm_set1_epi64x(3518437209)), 45);
  const __m128i r4 = _mm_sub_epi64(halves, _mm_mul_epu32(q4, _mm_set1_epi64x(10000)));
  const __m128i fours = _mm_or_si128(q4, _mm_slli_epi64(r4, 32));
  // Each 32-bit lane (below 10^4) / 100 in its low 16 bits: (v * 5243) >> 19, as eight_digits().
  const __m128i q2 = _mm_srli_epi16(_mm_mulhi_epu16(fours, _mm_set1_epi16(5243)), 3);
  const __m128i r2 = _mm_sub_epi16(fours, _mm_mullo_epi16(q2, _mm_set1_epi16(100)));
  const __m128i twos = _mm_or_si128(q2, _mm_slli_epi32(r2, 16));
  // Each 16-bit lane (below 100) / 10 in its low byte: (v * 103) >> 10.
  const __m128i q1 = _mm_srli_epi16(_mm_mullo_epi16(twos, _mm_set1_epi16(103)), 10);
  const __m128i r1 = _mm_sub_epi16(twos, _mm_mullo_epi16(q1, _mm_set1_epi16(10)));
  const __m128i ascii = _mm_add_epi8(_mm_or_si128(q1, _mm_slli_epi16(r1, 8)), _mm_set1_epi8('0'));
  Word128 out;
  std::memcpy(&out, &ascii, sizeof out);
  return out;
#else
  return eight_digits(static_cast<std::uint32_t>(first)) |
         static_cast<Word128>(eight_digits(static_cast<std::uint32_t>(second))) << 64;
#endif
}

/// Decimal digits of n, 1 <= n < 10^18: floor(log10) from the bit length, then one comparison.
int digit_count(std::uint64_t n) {
  const int approx = (64 - std::countl_zero(n)) * 1233 >> 12;  // 1233 / 4096 ~ log10(2)
  return approx + (n >= kPow10[approx]);
}

void store8(char* p, std::uint64_t v) { std::memcpy(p, &v, sizeof v); }
void store16(char* p, Word128 v) { std::memcpy(p, &v, sizeof v); }

/// A double's shortest digits: v = digits x 10^(e10 - n + 1), n digits, the first nonzero.
struct Shortest {
  std::uint64_t digits;
  int n;
  int e10;  // exponent of the first digit, as in d.ddd x 10^e10
};

Shortest shortest_of(double v) {
  const auto dec = fmt::detail::dragonbox::to_decimal(v);
  std::uint64_t digits = dec.significand;
  int exp = dec.exponent;
  while (digits % 10 == 0) digits /= 10, ++exp;
  const int n = digit_count(digits);
  return {digits, n, exp + n - 1};
}

/// The n digits of `s` left-aligned in 17: the first as a char, the next sixteen as 16 ASCII bytes
/// (first in the lowest byte; past the n-th, '0's).
struct Ascii17 {
  char first;
  Word128 rest;
};

Ascii17 ascii_of(const Shortest& s) {
  const std::uint64_t m = s.digits * kPow10[17 - s.n];  // 10^16 <= m < 10^17
  return {static_cast<char>('0' + m / kSixteenDigits), sixteen_digits(m % kSixteenDigits)};
}

char* put_fixed(char* p, const Shortest& s, const Ascii17& a, int length) {
  if (s.e10 < 0) {  // 0.000ddd: at most four zeros, or the scientific form would be shorter
    store8(p, 0x3030303030302E30ull);  // "0.000000"
    p[1 - s.e10] = a.first;
    store16(p + 2 - s.e10, a.rest);
  } else {  // ddd, or ddd.ddd with the point after e10 + 1 digits
    p[0] = a.first;
    store16(p + 1, a.rest);
    if (s.n > s.e10 + 1) {
      p[s.e10 + 1] = '.';
      store16(p + s.e10 + 2, a.rest >> (8 * s.e10));
    }
  }
  return p + length;
}

char* put_scientific(char* p, const Shortest& s, const Ascii17& a) {
  p[0] = a.first;
  p[1] = '.';
  store16(p + 2, a.rest);
  p += s.n > 1 ? s.n + 1 : 1;
  *p++ = 'e';
  *p++ = s.e10 < 0 ? '-' : '+';
  const int e = s.e10 < 0 ? -s.e10 : s.e10;
  if (e >= 100) *p++ = static_cast<char>('0' + e / 100);
  std::memcpy(p, kDigitPairs + 2 * (e % 100), 2);
  return p + 2;
}

}  // namespace

char* put_shortest(char* p, double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  const bool finite = (bits & 0x7FF0000000000000ull) != 0x7FF0000000000000ull;
  if (!finite || (bits << 1) == 0) return std::to_chars(p, p + kShortestRoom, v).ptr;  // 0, inf
  const Shortest s = shortest_of(v);
  const int e = s.e10 < 0 ? -s.e10 : s.e10;
  const int scientific = s.n + (s.n > 1) + 2 + (e >= 100 ? 3 : 2);
  const int fixed = s.e10 < 0 ? s.n + 1 - s.e10 : std::max(s.n + (s.n > s.e10 + 1), s.e10 + 1);
  // A fixed form with zeros after the shortest digits (123000, 2000): std::to_chars writes the
  // value's exact integer there, which above 2^53 is not those digits and zeros; it writes these.
  if (fixed <= scientific && s.n < s.e10 + 1) return std::to_chars(p, p + kShortestRoom, v).ptr;
  if (bits >> 63) *p++ = '-';
  const Ascii17 a = ascii_of(s);
  return fixed <= scientific ? put_fixed(p, s, a, fixed) : put_scientific(p, s, a);
}

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;  // 1 in every byte

constexpr double kExact10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9, 1e10,
                               1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};  // exact

/// The n <= 8 bytes at p as a little-endian number, zero above them, without reading past p + n
/// (two overlapping loads for 4 to 8 bytes).
std::uint64_t load_short(const char* p, std::size_t n) {
  auto load32 = [](const char* q) {
    std::uint32_t v;
    std::memcpy(&v, q, sizeof v);
    return std::uint64_t{v};
  };
  if (n >= 4) return load32(p) | load32(p + n - 4) << (8 * (n - 4));
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i)
    v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}

/// 0x80 in each byte of x that is zero, 0 in the others (exact: no borrow crosses bytes).
std::uint64_t zero_bytes(std::uint64_t x) {
  const std::uint64_t low7 = 0x7F * kOnes;
  return ~(((x & low7) + low7) | x | low7);
}

/// The value of the eight decimal digits 0-9 in the bytes of d, the first (most significant) in
/// the lowest byte: pairs, then fours, then all eight, by multiply-shifts.
std::uint64_t eight_digit_value(std::uint64_t d) {
  d = (d * (10 * 256 + 1)) >> 8;
  d = ((d & 0x00FF00FF00FF00FFull) * (100 * 65536 + 1)) >> 16;
  return ((d & 0x0000FFFF0000FFFFull) * (10000 * (1ull << 32) + 1)) >> 32;
}

/// parse_plain_decimal() for a text of 1 to 8 bytes, all at once: the digits and at most one '.'
/// are checked in a 64-bit word, the point is taken out and the digits read by
/// eight_digit_value(). Returns false, `x` untouched, for any other text.
bool parse_short_decimal(const char* p, std::size_t n, double& x) {
  const std::uint64_t text = load_short(p, n);
  const std::uint64_t used = n == 8 ? ~0ull : (std::uint64_t{1} << (8 * n)) - 1;
  const std::uint64_t dots = zero_bytes(text ^ ('.' * kOnes)) & used;
  if (dots & (dots - 1)) return false;                       // two points
  const std::uint64_t blank = ((dots >> 7) * 0xFF) | ~used;  // the point and past the end
  const std::uint64_t digits = (text & ~blank) | ('0' * kOnes & blank);  // those as '0'
  if ((digits & 0xF0 * kOnes) != '0' * kOnes ||
      ((digits + 6 * kOnes) & 0xF0 * kOnes) != '0' * kOnes)
    return false;  // a byte that is not 0x30-0x39
  std::uint64_t d = digits - '0' * kOnes;
  std::size_t count = n, fraction = 0;
  if (dots) {
    const auto at = static_cast<std::size_t>(std::countr_zero(dots)) / 8;
    const std::uint64_t before = at == 0 ? 0 : d & ((std::uint64_t{1} << (8 * at)) - 1);
    d = before | (at + 1 < 8 ? d >> (8 * (at + 1)) << (8 * at) : 0);
    count = n - 1;
    fraction = n - 1 - at;
  }
  if (count == 0) return false;
  x = static_cast<double>(eight_digit_value(d << (8 * (8 - count)))) / kExact10[fraction];
  return true;
}

}  // namespace

bool parse_plain_decimal(std::string_view t, double& v) {
  const char* p = t.data();
  const char* const end = p + t.size();
  const bool negative = p != end && *p == '-';
  p += negative;
  if (const auto n = static_cast<std::size_t>(end - p); n >= 1 && n <= 8) {
    double x;
    if (!parse_short_decimal(p, n, x)) return false;
    v = negative ? -x : x;
    return true;
  }
  std::uint64_t m = 0;
  int digits = 0, fraction = -1;  // fraction: digits after the point, -1 before it
  for (; p != end; ++p) {
    const auto d = static_cast<unsigned>(*p - '0');
    if (d < 10) {
      if (++digits > 19) return false;  // m could overflow; std::from_chars reads it
      m = m * 10 + d;
      fraction += fraction >= 0;
    } else if (*p == '.' && fraction < 0) {
      fraction = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || m > (std::uint64_t{1} << 53)) return false;  // fraction <= digits <= 19
  const double x = static_cast<double>(m) / kExact10[fraction < 0 ? 0 : fraction];
  v = negative ? -x : x;
  return true;
}

}  // namespace klaster::sdk::detail
