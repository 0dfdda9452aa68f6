// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Unit tests of JSON string escaping (the reference writer's bytes) and
// unescaping (json_escape.h).

#include "safetensors/internal/json_escape.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "safetensors/internal/json.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace internal {
namespace json {
namespace {

using ::safetensors::test::Hex;
using ::safetensors::test::Repeat;

using namespace std::string_literals;  // NOLINT: "..."s keeps embedded NULs

// ---------------------------------------------------------------------------
// UnescapeString.

TEST(UnescapeString, Table) {
  struct UnescapeCase {
    std::string raw;  // between the quotes, as accepted by the tokenizer
    std::string want;
  };
  const UnescapeCase kCases[] = {
      {"", ""},
      {"abc", "abc"},
      {"\\\"", "\""},
      {"\\\\", "\\"},
      {"\\/", "/"},
      {"\\b\\f\\n\\r\\t", "\b\f\n\r\t"},
      {"\\u0041", "A"},
      {"a\\u0062c", "abc"},
      {"\\u0000", "\0"s},
      {"a\\u0000b", "a\0b"s},
      {"\\u001f", "\x1f"},
      {"\\u007f", "\x7f"},
      {"\\u0080", "\xc2\x80"},
      {"\\u00e9", "\xc3\xa9"},
      {"\\u00E9", "\xc3\xa9"},
      {"\\u07ff", "\xdf\xbf"},
      {"\\u0800", "\xe0\xa0\x80"},
      {"\\u20ac", "\xe2\x82\xac"},
      {"\\u2028", "\xe2\x80\xa8"},
      {"\\ud7ff", "\xed\x9f\xbf"},
      {"\\ue000", "\xee\x80\x80"},
      {"\\ufffe", "\xef\xbf\xbe"},
      {"\\uffff", "\xef\xbf\xbf"},
      {"\\ud800\\udc00", "\xf0\x90\x80\x80"},
      {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},
      {"\\uD83D\\uDE00", "\xf0\x9f\x98\x80"},
      {"\\udbff\\udfff", "\xf4\x8f\xbf\xbf"},
      {"e\\u0301", "e\xcc\x81"},
      {"\xc3\xa9\\n\\\"x\\/", "\xc3\xa9\n\"x/"},
      {"\\u005f_metadata__", "__metadata__"},
      {"\xf0\x9f\x98\x80\x7f", "\xf0\x9f\x98\x80\x7f"},
      {Repeat("ab\\n", 50), Repeat("ab\n", 50)},
  };
  for (const UnescapeCase& c : kCases) {
    // The raw text is a valid string body.
    const std::string quoted = "\"" + c.raw + "\"";
    Tokenizer tokenizer(quoted, Tokenizer::kMaxDepth);
    Token token;
    ASSERT_TRUE(tokenizer.Next(&token)) << c.raw;
    ASSERT_EQ(token.type, TokenType::kString) << c.raw;
    std::string out;
    UnescapeString(c.raw, &out);
    EXPECT_EQ(Hex(out), Hex(c.want)) << "raw \"" << c.raw << "\"";
  }
}

TEST(UnescapeString, Appends) {
  std::string out = "x";
  UnescapeString("\\u00e9", &out);
  UnescapeString("y", &out);
  EXPECT_EQ(out, "x\xc3\xa9y");
}

// ---------------------------------------------------------------------------
// AppendQuoted: the reference writer's escapes, byte for byte.

TEST(AppendQuoted, Table) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"", "\"\""},
      {"abc", "\"abc\""},
      {"a\"b", "\"a\\\"b\""},
      {"a\\b", "\"a\\\\b\""},
      {"\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""},
      {std::string("\0\x01\x1f", 3), "\"\\u0000\\u0001\\u001f\""},
      {"\x7f\xc3\xa9/", "\"\x7f\xc3\xa9/\""},  // DEL, non-ASCII, '/' raw
  };
  for (const Case& c : cases) {
    std::string out = "x";
    AppendQuoted(c.in, &out);
    EXPECT_EQ(out, "x" + c.out) << c.in;
    EXPECT_EQ(Quoted(c.in), c.out) << c.in;
  }
}

TEST(Hex4, Values) {
  EXPECT_EQ(Hex4("0000"), 0);
  EXPECT_EQ(Hex4("00aF"), 0xAF);
  EXPECT_EQ(Hex4("FFFF"), 0xFFFF);
  EXPECT_EQ(Hex4("12g4"), -1);
  EXPECT_EQ(Hex4(" 123"), -1);
}

}  // namespace
}  // namespace json
}  // namespace internal
}  // namespace safetensors
