// The CSV reader's and writer's decimal text (sdk/runtime/src/decimal.hpp) against the C++
// standard library's definitions: put_shortest() must write what std::to_chars writes, byte for
// byte, and parse_plain_decimal() must read what std::from_chars reads, bit for bit.
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "decimal.hpp"  // sdk/runtime/src

using klaster::sdk::detail::kShortestRoom;
using klaster::sdk::detail::parse_plain_decimal;
using klaster::sdk::detail::put_shortest;

namespace {

/// Counts the doubles whose put_shortest() text differs from std::to_chars', printing the first.
struct ShortestCheck {
  long checked = 0, different = 0;
  void operator()(double v) {
    char want[64], got[kShortestRoom + 8];
    const std::string expected(want, std::to_chars(want, want + sizeof want, v).ptr);
    const std::string actual(got, put_shortest(got, v));
    ++checked;
    if (actual != expected && different++ == 0)
      ADD_FAILURE() << "bits " << std::bit_cast<std::uint64_t>(v) << ": std::to_chars '" << expected
                    << "', put_shortest '" << actual << "'";
  }
};

double from_bits(std::uint64_t bits) { return std::bit_cast<double>(bits); }

}  // namespace

// Every exponent and bit pattern: uniformly random bits (subnormals, huge and tiny values).
TEST(PutShortest, WritesWhatToCharsWritesForRandomBits) {
  ShortestCheck check;
  std::mt19937_64 rng(1);
  while (check.checked < 2'000'000) {
    const double v = from_bits(rng());
    if (std::isfinite(v)) check(v);
  }
  EXPECT_EQ(check.different, 0);
}

// Values like the ones klaster writes: ratios and shares (16-17 digits), short decimals, integers,
// and numbers on both sides of each switch between fixed and scientific form (1e-05 vs 0.0001,
// 1e+05 vs 123000, 1.5e+16 vs 12345678901234567).
TEST(PutShortest, WritesWhatToCharsWritesForTypicalValues) {
  ShortestCheck check;
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 300'000; ++i) {
    const double x = std::pow(10.0, unit(rng) * 60 - 30) * (i % 2 ? 1 : -1);
    check(x);
    check(std::round(x));
    check(std::round(x * 100) / 100);
    check(unit(rng) * 1e5 / (unit(rng) * 1e5 + 1));
  }
  for (int e = -30; e <= 30; ++e)
    for (int m = 1; m < 2000; ++m) {
      const double v = m * std::pow(10.0, e);
      check(v);
      check(std::nextafter(v, 0.0));
      check(std::nextafter(v, HUGE_VAL));
    }
  for (std::int64_t k = 1; k < 200'000; ++k) {
    check(static_cast<double>(k));
    check(static_cast<double>((std::int64_t{1} << 53) - k));
    check(static_cast<double>((std::int64_t{1} << 53) + 2 * k));
    check(static_cast<double>(k) / 1000);
  }
  EXPECT_EQ(check.different, 0);
}

// The edges of the double range and of the digit counts, and every power of two.
TEST(PutShortest, WritesWhatToCharsWritesAtTheEdges) {
  ShortestCheck check;
  const double edges[] = {std::numeric_limits<double>::denorm_min(),
                          std::numeric_limits<double>::min(),
                          std::numeric_limits<double>::max(),
                          std::numeric_limits<double>::epsilon(),
                          0.1,
                          0.3,
                          1.0 / 3,
                          2.0 / 3,
                          5e-324,
                          1.7976931348623157e308,
                          123456789012345678.0,
                          1e22,
                          1e23,
                          9007199254740993.0,
                          0.0001,
                          0.00001,
                          100000.0,
                          123000.0};
  for (double v : edges) check(v), check(-v);
  for (int e = -1074; e <= 1023; ++e) {
    const double v = std::ldexp(1.0, e);
    check(v);
    check(std::nextafter(v, 0.0));
    check(std::nextafter(v, HUGE_VAL));
  }
  EXPECT_EQ(check.different, 0);
}

// Zero, negative zero, and an infinity (the CSV writer refuses infinities before, but the function
// still writes what std::to_chars writes).
TEST(PutShortest, WritesZerosAndInfinitiesAsToCharsDoes) {
  ShortestCheck check;
  for (double v : {0.0, -0.0, HUGE_VAL, -HUGE_VAL}) check(v);
  EXPECT_EQ(check.different, 0);
  char buf[kShortestRoom];
  EXPECT_EQ(std::string(buf, put_shortest(buf, -0.0)), "-0");
}

// Nothing is written past kShortestRoom bytes: the longest forms, with a sign, in a buffer whose
// bytes after the room must stay as they were.
TEST(PutShortest, StaysWithinItsRoom) {
  for (double v : {-1.2345678901234567e-300, -0.00012345678901234567, -1234567890123456.7,
                   -1.2345678901234567e+20, -0.1234567890123456, -2.2250738585072014e-308}) {
    char buf[kShortestRoom + 16];
    std::memset(buf, '#', sizeof buf);
    const char* end = put_shortest(buf, v);
    EXPECT_LE(end - buf, 25) << v;
    for (std::size_t i = kShortestRoom; i < sizeof buf; ++i) EXPECT_EQ(buf[i], '#') << v;
  }
}

namespace {

/// Checks one text: where parse_plain_decimal() reads it, std::from_chars must read all of it
/// to the same bits. Returns whether the fast path took it.
bool reads_as_from_chars(const std::string& text) {
  double fast = -1;
  if (!parse_plain_decimal(text, fast)) return false;
  double full = -2;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), full);
  EXPECT_TRUE(r.ec == std::errc() && r.ptr == text.data() + text.size()) << "'" << text << "'";
  EXPECT_EQ(std::bit_cast<std::uint64_t>(fast), std::bit_cast<std::uint64_t>(full))
      << "'" << text << "': " << fast << " against " << full;
  return true;
}

std::string random_decimal(std::mt19937_64& rng) {
  std::string s = rng() % 4 == 0 ? "-" : "";
  const int int_digits = static_cast<int>(rng() % 18);
  const int frac_digits = static_cast<int>(rng() % 24) - 1;  // -1: no point
  for (int i = 0; i < int_digits; ++i) s += static_cast<char>('0' + rng() % 10);
  if (frac_digits >= 0) s += '.';
  for (int i = 0; i < frac_digits; ++i) s += static_cast<char>('0' + rng() % 10);
  return s;
}

}  // namespace

// Random plain decimals of 0 to 40 digits: the fast path must give std::from_chars' double, and it
// must take most of the short ones.
TEST(ParsePlainDecimal, ReadsWhatFromCharsReads) {
  std::mt19937_64 rng(3);
  int taken = 0, tried = 0;
  for (int i = 0; i < 500'000; ++i) {
    const std::string text = random_decimal(rng);
    taken += reads_as_from_chars(text);
    ++tried;
  }
  EXPECT_GT(taken, tried / 3);
  // The benchmark's and the demo data's cells.
  for (const char* text : {"81204.06", "34948.24", "0.5", "-0", "-0.0", "5.", ".5", "0",
                           "9007199254740992", "0.000000000000000001", ".0000000000000000001"})
    EXPECT_TRUE(reads_as_from_chars(text)) << text;
}

namespace {

/// Whether `text` is what parse_plain_decimal() takes, by its grammar: [-]digits[.digits] with at
/// least one digit and at most 19 (the values of short texts are below 2^53).
bool is_plain(const std::string& text) {
  std::size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
  int digits = 0, points = 0;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9')
      ++digits;
    else if (text[i] == '.')
      ++points;
    else
      return false;
  }
  return digits >= 1 && digits <= 19 && points <= 1;
}

}  // namespace

// Short texts are read a word at a time (eight bytes): every text of one to five characters over
// digits, the point, the minus and the bytes beside '0'-'9' and '.' ('/', ':', '-', 0x80), and
// random ones of six to nine, must be taken exactly when the grammar says so, and read as
// std::from_chars reads them.
TEST(ParsePlainDecimal, ShortTextsByGrammar) {
  const std::string alphabet = "0159./:-\x80";
  auto check = [](const std::string& text) {
    double v = 42;
    if (is_plain(text)) {
      EXPECT_TRUE(reads_as_from_chars(text)) << "'" << text << "'";
    } else {
      EXPECT_FALSE(parse_plain_decimal(text, v)) << "'" << text << "'";
      EXPECT_EQ(v, 42) << "'" << text << "'";
    }
  };
  std::vector<std::string> texts = {""};
  for (int length = 1; length <= 5; ++length) {
    std::vector<std::string> longer;
    for (const auto& t : texts)
      for (char c : alphabet) longer.push_back(t + c);
    for (const auto& t : longer) check(t);
    texts = std::move(longer);
  }
  std::mt19937_64 rng(5);
  const std::string digits_and_point = "0123456789.";
  for (int i = 0; i < 300'000; ++i) {
    std::string text = rng() % 4 == 0 ? "-" : "";
    const std::size_t length = 6 + rng() % 4;
    const std::string& from = rng() % 8 == 0 ? alphabet : digits_and_point;
    for (std::size_t k = 0; k < length; ++k) text += from[rng() % from.size()];
    check(text);
  }
}

// What the fast path leaves to std::from_chars: texts it must not take.
TEST(ParsePlainDecimal, LeavesOtherTextsToTheFullParser) {
  for (const char* text :
       {"", "-", ".", "-.", "1e5", "1E5", "inf", "nan", "1.2.3", "--1", " 1", "1 ", "+1", "0x10",
        "9007199254740993", "12345678901234567890", "0.00000000000000000000001", "1,5"}) {
    double v = 42;
    EXPECT_FALSE(parse_plain_decimal(text, v)) << "'" << text << "'";
    EXPECT_EQ(v, 42) << "'" << text << "'";
  }
}
