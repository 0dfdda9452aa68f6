// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Unit tests of strict UTF-8 validation (utf8.h).

#include "safetensors/internal/utf8.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace internal {
namespace {

using namespace std::string_literals;  // NOLINT: "..."s keeps embedded NULs

using ::safetensors::test::Hex;
using ::safetensors::test::Repeat;

// ---------------------------------------------------------------------------
// ValidateUtf8: text.size() when valid, else the offset of the first byte of
// the first bad sequence.

TEST(ValidateUtf8, Valid) {
  const std::string kValid[] = {
      "",
      "a",
      "{}",
      "\x7f",
      "\0"s,
      "\xc2\x80",
      "\xc3\xa9",
      "\xdf\xbf",
      "\xe0\xa0\x80",
      "\xe2\x82\xac",
      "\xed\x9f\xbf",  // U+D7FF, just below the surrogates
      "\xee\x80\x80",  // U+E000, just above
      "\xef\xbb\xbf",  // BOM (valid UTF-8)
      "\xef\xbf\xbf",
      "\xf0\x90\x80\x80",
      "\xf0\x9f\x98\x80",
      "\xf4\x8f\xbf\xbf",  // U+10FFFF
      "\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80",
      Repeat("abcdefgh", 9) + "\xc3\xa9" + Repeat("x", 13),
      "{\"t\":{\"dtype\":\"F32\"}}  \t\n\r",
  };
  for (const std::string& text : kValid) {
    EXPECT_EQ(ValidateUtf8(text), text.size()) << Hex(text);
  }
}

TEST(ValidateUtf8, Invalid) {
  struct BadCase {
    std::string text;
    size_t offset;
  };
  const BadCase kInvalid[] = {
      // Overlong forms.
      {"\xc0\xaf", 0},
      {"\xc0\x80", 0},
      {"a\xc1\xbf", 1},
      {"\xe0\x80\x80", 0},
      {"\xe0\x9f\xbf", 0},
      {"\xf0\x80\x80\x80", 0},
      {"\xf0\x8f\xbf\xbf", 0},
      // Encoded surrogates.
      {"\xed\xa0\x80", 0},
      {"ab\xed\xbf\xbf", 2},
      // Above U+10FFFF, and bytes that never occur.
      {"\xf4\x90\x80\x80", 0},
      {"\xf5\x80\x80\x80", 0},
      {"\xf7\xbf\xbf\xbf", 0},
      {"\xf8\x88\x80\x80\x80", 0},
      {"\xfe", 0},
      {"\xff", 0},
      {"{}\xff", 2},
      // Lone continuation bytes.
      {"\x80", 0},
      {"ab\x80", 2},
      {"\xbf", 0},
      {"\xc3\xa9\xa9", 2},
      // Truncated sequences at the end.
      {"\xc2", 0},
      {"ab\xc2", 2},
      {"ab\xe0\xa0", 2},
      {"ab\xe2\x82", 2},
      {"ab\xf0\x90\x80", 2},
      {"ab\xf0\x9f", 2},
      {"ab\xf4", 2},
      // Truncated sequences before another byte.
      {"\xc2"
       "A",
       0},
      {"\xe2\x82"
       "A",
       0},
      {"\xf0\x9f\x98"
       "A",
       0},
      {"\xe2"
       "A\x82\xac",
       0},
      // Raw A0 (not UTF-8 on its own).
      {"{\xa0}", 1},
      // The first bad sequence wins; after long ASCII runs.
      {Repeat("abcdefgh", 2) + "\x80" + "\xff", 16},
      {Repeat("abcdefgh", 3) + "\xc3\xa9" + "abcdefg" + "\xed\xa0\x80", 33},
      {"\xc3\xa9\x80", 2},
  };
  for (const BadCase& c : kInvalid) {
    EXPECT_EQ(ValidateUtf8(c.text), c.offset) << Hex(c.text);
  }
}

// Found by fuzz/json_fuzzer: a text whose length is a multiple of 16 and
// that is all ASCII made the vector loop stop exactly at the end, and the
// byte loop then read one byte past it (caught by ASan on an exact-size
// heap buffer).
TEST(ValidateUtf8, StopsAtTheEndOfAnAsciiTextOfSixteenBytes) {
  for (size_t n : {16u, 32u, 48u, 8u, 24u}) {
    auto buffer = std::make_unique<char[]>(n);
    std::memset(buffer.get(), 'a', n);
    EXPECT_EQ(ValidateUtf8(absl::string_view(buffer.get(), n)), n);
  }
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
