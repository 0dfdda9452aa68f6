// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Unit tests of the generic JSON tokenizer and the unsigned integer parser
// (json.h). The grammar is RFC 8259
// with the reference JSON library's whitespace set and number range rule
// (docs/specification.md §7.1-§7.3). Most tests are tables
// of {text, expected error, expected offset}; one loop per table streams the
// case into every assertion.

#include "safetensors/internal/json.h"

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
namespace json {
namespace {

using ::safetensors::test::Hex;
using ::safetensors::test::Repeat;

using namespace std::string_literals;  // NOLINT: "..."s keeps embedded NULs

// An offset that the test does not pin (the docs leave it open, e.g. which
// byte of a bad surrogate escape is reported).
constexpr size_t kAnyOffset = static_cast<size_t>(-1);

constexpr int kDepth = Tokenizer::kMaxDepth;

// What tokenizing a whole text gave: the tokens up to and including kEnd, or
// the error and its offset.
struct Outcome {
  std::vector<Token> tokens;
  Error error = Error::kNone;
  size_t offset = 0;
};

Outcome TokenizeAll(absl::string_view text, int max_depth = kDepth) {
  Outcome out;
  Tokenizer tokenizer(text, max_depth);
  Token token;
  // Every token consumes at least one byte, so text.size() + 2 calls suffice.
  for (size_t i = 0; i < text.size() + 2; ++i) {
    if (!tokenizer.Next(&token)) {
      out.error = tokenizer.error();
      out.offset = tokenizer.error_offset();
      return out;
    }
    out.tokens.push_back(token);
    if (token.type == TokenType::kEnd) return out;
  }
  ADD_FAILURE() << "no kEnd after " << text.size() + 2 << " tokens";
  return out;
}

// ---------------------------------------------------------------------------
// Accepted texts.

TEST(Tokenizer, AcceptTable) {
  const std::string kAccepted[] = {
      // Every kind of top-level value.
      "{}",
      "[]",
      "0",
      "-0",
      "1",
      "\"\"",
      "\"x\"",
      "true",
      "false",
      "null",
      // Whitespace is exactly 20 09 0A 0D, anywhere between tokens.
      " {} ",
      "\t\n\r {}\r\n\t ",
      "{ }",
      "[ ]",
      "[\t1\n,\r2 ]",
      "{\r\n\"a\"\t:\n1\r,\t\"b\" : [ ] }",
      Repeat(" \t\n\r", 250) + "{}",
      "{}" + Repeat("\r\n\t ", 250),
      // Nested values and every literal in a container.
      "{\"a\":{\"b\":[1,[2,{\"c\":null}]]},\"d\":[true,false,\"e\"]}",
      "[[],{},[[]],{\"\":{}}]",
      // Duplicate keys are not the tokenizer's business.
      "{\"a\":1,\"a\":2}",
      // Strings: every escape, both hex cases, pairs, raw DEL, U+2028,
      // U+00A0, U+FEFF, non-characters, and escaped U+0000.
      "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
      "\"\\u0041\\u00e9\\u00E9\"",
      "\"\\ud83d\\ude00\"",
      "\"\\uD83D\\uDE00\"",
      "\"\\udbff\\udfff\"",
      "\"\\ud800\\udc00\"",
      "\"\\u0000\"",
      "\"\\uffff\\ufffe\"",
      "\"\x7f\"",
      "\"\xe2\x80\xa8\xe2\x80\xa9\"",
      "\"\xc2\xa0\"",
      "\"\xef\xbb\xbf\"",
      "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\"",
      "\"\xf0\x9f\x98\x80 \xc3\xa9\xe6\x97\xa5\"",
      // A long string (the 8-byte scanning path) with specials at the end.
      "\"" + Repeat("abcdefgh", 40) + "\\n\"",
      // Numbers (§18.7 matrix rows that pass the lexer).
      "1.0",
      "1e0",
      "1E0",
      "1e+0",
      "1e-0",
      "0.0",
      "0e0",
      "-0.0",
      "-1",
      "18446744073709551615",
      "18446744073709551616",
      "-9223372036854775808",
      "-9223372036854775809",
      "1000000000000000000000000",
      "1.5e300",
      "[0,1,-1,0.5,1e5,1E-5,-0e-0]",
  };
  for (const std::string& text : kAccepted) {
    const Outcome out = TokenizeAll(text);
    EXPECT_EQ(out.error, Error::kNone)
        << "text \"" << text << "\" (" << Hex(text.substr(0, 40)) << ")"
        << " failed with " << ErrorName(out.error) << " at " << out.offset;
    if (!out.tokens.empty()) {
      EXPECT_EQ(out.tokens.back().type, TokenType::kEnd) << text;
      EXPECT_EQ(out.tokens.back().offset, text.size()) << text;
    }
  }
}

// ---------------------------------------------------------------------------
// Rejected texts: the exact error, and the offset where it is meaningful.

struct RejectCase {
  const char* name;
  std::string text;
  Error error;
  size_t offset;  // kAnyOffset: not pinned
};

TEST(Tokenizer, RejectTable) {
  const RejectCase kRejected[] = {
      // Empty input and EOF inside a value: offset = text size.
      {"empty", "", Error::kUnexpectedEnd, 0},
      {"only_ws", "   \t", Error::kUnexpectedEnd, 4},
      {"open_obj", "{", Error::kUnexpectedEnd, 1},
      {"open_arr", "[1,", Error::kUnexpectedEnd, 3},
      {"after_key", "{\"a\"", Error::kUnexpectedEnd, 4},
      {"after_colon", "{\"a\":", Error::kUnexpectedEnd, 5},
      {"after_member", "{\"a\":1", Error::kUnexpectedEnd, 6},
      {"unterminated_string", "\"abc", Error::kUnexpectedEnd, 4},
      {"unterminated_key", "{\"t", Error::kUnexpectedEnd, 3},
      {"string_ends_in_backslash", "\"ab\\", Error::kUnexpectedEnd, 4},
      {"truncated_literal", "tru", Error::kUnexpectedEnd, 3},
      // Bytes that cannot start a value.
      {"plus", "+1", Error::kExpectedValue, 0},
      {"dot", ".1", Error::kExpectedValue, 0},
      {"nan", "NaN", Error::kExpectedValue, 0},
      {"infinity", "Infinity", Error::kExpectedValue, 0},
      {"arr_plus", "[+1]", Error::kExpectedValue, 1},
      {"arr_dot", "[.1]", Error::kExpectedValue, 1},
      {"arr_nan", "[NaN]", Error::kExpectedValue, 1},
      {"bom", "\xef\xbb\xbf{}", Error::kExpectedValue, 0},
      {"comment_lead", "/*c*/{}", Error::kExpectedValue, 0},
      {"single_quote", "'a'", Error::kExpectedValue, 0},
      {"upper_true", "True", Error::kExpectedValue, 0},
      {"bad_literal", "[trux]", Error::kExpectedValue, kAnyOffset},
      {"nul_lead", "\0{}"s, Error::kExpectedValue, 0},
      {"ff_lead", "\x0c{}", Error::kExpectedValue, 0},
      {"vt_lead", "\x0b{}", Error::kExpectedValue, 0},
      {"nbsp_lead", "\xc2\xa0{}", Error::kExpectedValue, 0},
      {"u2028_lead", "\xe2\x80\xa8{}", Error::kExpectedValue, 0},
      {"ff_after_colon", "{\"a\":\x0c 1}", Error::kExpectedValue, 5},
      {"ff_in_array", "[\x0c 1]", Error::kExpectedValue, 1},
      {"comma_first_in_array", "[,1]", Error::kExpectedValue, 1},
      {"double_comma", "[1,,2]", Error::kExpectedValue, 3},
      // Object structure.
      {"key_not_string", "{1:2}", Error::kKeyMustBeString, 1},
      {"key_single_quote", "{'a':1}", Error::kKeyMustBeString, 1},
      {"ff_after_lbrace", "{\x0c\"a\":1}", Error::kKeyMustBeString, 1},
      {"comma_first_in_object", "{,}", Error::kKeyMustBeString, 1},
      {"missing_colon", "{\"a\" 1}", Error::kExpectedColon, 5},
      {"ff_before_colon", "{\"a\"\x0c:1}", Error::kExpectedColon, 4},
      {"missing_comma_obj", "{\"a\":1 \"b\":2}", Error::kExpectedCommaOrEnd, 7},
      {"missing_comma_arr", "[1 2]", Error::kExpectedCommaOrEnd, 3},
      {"ff_before_comma", "[1\x0c,2]", Error::kExpectedCommaOrEnd, 2},
      {"vt_before_rbrace", "{\"a\":1\x0b}", Error::kExpectedCommaOrEnd, 6},
      {"mismatched_close_arr", "[1}", Error::kExpectedCommaOrEnd, 2},
      {"mismatched_close_obj", "{\"a\":1]", Error::kExpectedCommaOrEnd, 6},
      {"hex_number", "[0x1]", Error::kExpectedCommaOrEnd, 2},
      // Trailing commas.
      {"trailing_comma_arr", "[1,]", Error::kTrailingComma, 3},
      {"trailing_comma_obj", "{\"a\":1,}", Error::kTrailingComma, 7},
      {"trailing_comma_ws", "[1 , ]", Error::kTrailingComma, 5},
      // Trailing characters after the top-level value.
      {"two_objects", "{}{}", Error::kTrailingCharacters, 2},
      {"trailing_x", "{} x", Error::kTrailingCharacters, 3},
      {"trailing_nul", "{}\0\0"s, Error::kTrailingCharacters, 2},
      {"trailing_ff", "{}\x0c", Error::kTrailingCharacters, 2},
      {"trailing_vt", "{} \x0b", Error::kTrailingCharacters, 3},
      {"trailing_nbsp", "{}\xc2\xa0", Error::kTrailingCharacters, 2},
      {"trailing_comment", "{}//", Error::kTrailingCharacters, 2},
      {"trailing_comma_top", "1,", Error::kTrailingCharacters, 1},
      {"two_numbers", "1 2", Error::kTrailingCharacters, 2},
      // Numbers: bad tokens (offset = the first byte that breaks the grammar).
      {"leading_zero", "[01]", Error::kInvalidNumber, 2},
      {"double_zero", "[00]", Error::kInvalidNumber, 2},
      {"neg_leading_zero", "[-01]", Error::kInvalidNumber, 3},
      {"dot_no_digit", "[1.]", Error::kInvalidNumber, 3},
      {"dot_then_exp", "[1.e5]", Error::kInvalidNumber, 3},
      {"exp_no_digit", "[1e]", Error::kInvalidNumber, 3},
      {"exp_sign_no_digit", "[1e+]", Error::kInvalidNumber, 4},
      {"minus_alone", "[-]", Error::kInvalidNumber, 2},
      {"double_minus", "[--1]", Error::kInvalidNumber, 2},
      {"minus_infinity", "[-Infinity]", Error::kInvalidNumber, 2},
      {"minus_dot", "[-.5]", Error::kInvalidNumber, 2},
      // The fixed lexer (serde_json >= 1.0.89, docs/specification.md §7.3): a
      // '.' needs a
      // digit after it even when the integer part overflows u64.
      {"dot_long_int", "[18446744073709551616.]", Error::kInvalidNumber, 22},
      {"dot_long_int9", "[99999999999999999999.]", Error::kInvalidNumber, 22},
      {"dot_long_int_exp", "[99999999999999999999.e5]", Error::kInvalidNumber,
       22},
      {"dot_u64max", "[18446744073709551615.]", Error::kInvalidNumber, 22},
      // Strings.
      {"raw_nul", "\"a\0b\""s, Error::kControlCharacter, 2},
      {"raw_tab", "\"a\tb\"", Error::kControlCharacter, 2},
      {"raw_lf", "[\"\n\"]", Error::kControlCharacter, 2},
      {"raw_01", "{\"\x01\":1}", Error::kControlCharacter, 2},
      {"raw_1f", "\"\x1f\"", Error::kControlCharacter, 1},
      {"raw_ff", "\"\x0c\"", Error::kControlCharacter, 1},
      {"raw_ctl_late", "\"" + Repeat("abcdefgh", 4) + "\x1c\"",
       Error::kControlCharacter, 33},
      {"esc_x", "\"\\x41\"", Error::kInvalidEscape, 2},
      {"esc_U", "\"\\U0041\"", Error::kInvalidEscape, 2},
      {"esc_a", "\"\\a\"", Error::kInvalidEscape, 2},
      {"esc_0", "\"\\0\"", Error::kInvalidEscape, 2},
      {"esc_apos", "\"\\'\"", Error::kInvalidEscape, 2},
      {"esc_v", "\"\\v\"", Error::kInvalidEscape, 2},
      {"esc_space", "\"\\ \"", Error::kInvalidEscape, 2},
      {"esc_u_short_quote", "\"\\u12\"", Error::kInvalidEscape, 5},
      {"esc_u_nonhex", "\"\\u12g4\"", Error::kInvalidEscape, 5},
      {"esc_u_none", "\"\\u\"", Error::kInvalidEscape, 3},
      {"esc_u_at_end", "\"\\u12", Error::kUnexpectedEnd, 5},
      // Surrogates: a high one must be followed at once by a \u low one.
      {"lone_high_quote", "\"\\ud800\"", Error::kLoneSurrogate, kAnyOffset},
      {"lone_high_text", "\"\\ud800abc\"", Error::kLoneSurrogate, kAnyOffset},
      {"high_then_esc_n", "\"\\ud800\\n\"", Error::kLoneSurrogate, kAnyOffset},
      {"high_then_high", "\"\\ud800\\ud800\"", Error::kLoneSurrogate,
       kAnyOffset},
      {"high_then_nonsurrogate", "\"\\ud800\\u0041\"", Error::kLoneSurrogate,
       kAnyOffset},
      {"lone_low", "\"\\udc00\"", Error::kLoneSurrogate, kAnyOffset},
      {"lone_low_upper", "\"\\uDFFF\"", Error::kLoneSurrogate, kAnyOffset},
      {"reversed_pair", "\"\\udc00\\ud800\"", Error::kLoneSurrogate,
       kAnyOffset},
      {"lone_high_in_key", "{\"\\ud800\":1}", Error::kLoneSurrogate,
       kAnyOffset},
  };
  for (const RejectCase& c : kRejected) {
    const Outcome out = TokenizeAll(c.text);
    EXPECT_EQ(out.error, c.error)
        << c.name << ": text \"" << c.text << "\" (" << Hex(c.text) << ") gave "
        << ErrorName(out.error) << " at " << out.offset << ", want "
        << ErrorName(c.error);
    if (c.offset != kAnyOffset && out.error == c.error) {
      EXPECT_EQ(out.offset, c.offset) << c.name << ": " << ErrorName(c.error);
    }
  }
}

// A failure is sticky: every later call fails with the same error.
TEST(Tokenizer, FailureIsSticky) {
  Tokenizer tokenizer("[1,]", kDepth);
  Token token;
  ASSERT_TRUE(tokenizer.Next(&token));  // [
  ASSERT_TRUE(tokenizer.Next(&token));  // 1
  EXPECT_FALSE(tokenizer.Next(&token));
  EXPECT_EQ(tokenizer.error(), Error::kTrailingComma);
  EXPECT_EQ(tokenizer.error_offset(), 3u);
  EXPECT_FALSE(tokenizer.Next(&token));
  EXPECT_FALSE(tokenizer.Next(&token));
  EXPECT_EQ(tokenizer.error(), Error::kTrailingComma);
  EXPECT_EQ(tokenizer.error_offset(), 3u);
}

// After the top-level value, kEnd repeats.
TEST(Tokenizer, EndRepeats) {
  Tokenizer tokenizer("{} \t", kDepth);
  Token token;
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(token.type, TokenType::kBeginObject);
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(token.type, TokenType::kEndObject);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(tokenizer.Next(&token)) << i;
    EXPECT_EQ(token.type, TokenType::kEnd) << i;
    EXPECT_EQ(tokenizer.position(), 4u) << i;
  }
  EXPECT_EQ(tokenizer.error(), Error::kNone);
}

TEST(Tokenizer, ErrorNamesAreDistinctAndNonEmpty) {
  const Error kAll[] = {
      Error::kNone,
      Error::kUnexpectedEnd,
      Error::kExpectedValue,
      Error::kInvalidNumber,
      Error::kNumberOutOfRange,
      Error::kInvalidEscape,
      Error::kLoneSurrogate,
      Error::kControlCharacter,
      Error::kExpectedColon,
      Error::kExpectedCommaOrEnd,
      Error::kKeyMustBeString,
      Error::kTrailingComma,
      Error::kTrailingCharacters,
      Error::kDepthExceeded,
  };
  for (Error a : kAll) {
    EXPECT_FALSE(ErrorName(a).empty()) << static_cast<int>(a);
    for (Error b : kAll) {
      if (a != b) {
        EXPECT_NE(ErrorName(a), ErrorName(b))
            << static_cast<int>(a) << " vs " << static_cast<int>(b);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Token sequences: types, text views, offsets, has_escapes, depth.

struct ExpectedToken {
  TokenType type;
  std::string text;
  size_t offset;
  bool has_escapes;
  int depth_after;
};

void ExpectTokens(absl::string_view text,
                  const std::vector<ExpectedToken>& expected) {
  SCOPED_TRACE(std::string(text));
  Tokenizer tokenizer(text, kDepth);
  Token token;
  for (size_t i = 0; i < expected.size(); ++i) {
    const ExpectedToken& e = expected[i];
    ASSERT_TRUE(tokenizer.Next(&token))
        << "token " << i << ": " << ErrorName(tokenizer.error()) << " at "
        << tokenizer.error_offset();
    EXPECT_EQ(static_cast<int>(token.type), static_cast<int>(e.type))
        << "token " << i;
    EXPECT_EQ(token.text, e.text) << "token " << i;
    EXPECT_EQ(token.offset, e.offset) << "token " << i;
    EXPECT_EQ(token.has_escapes, e.has_escapes) << "token " << i;
    EXPECT_EQ(tokenizer.depth(), e.depth_after) << "token " << i;
    // Views point into the input text itself.
    if (!token.text.empty()) {
      EXPECT_GE(token.text.data(), text.data()) << "token " << i;
      EXPECT_LE(token.text.data() + token.text.size(),
                text.data() + text.size())
          << "token " << i;
    }
  }
}

TEST(Tokenizer, TokenSequenceMixed) {
  //                   0         1         2         3
  //                   0123456789012345678901234567890123456789
  const std::string text = "{\"a\":[1,-2.5e3,true,false,null,\"x\\ny\"]}";
  ExpectTokens(text, {
                         {TokenType::kBeginObject, "{", 0, false, 1},
                         {TokenType::kKey, "a", 1, false, 1},
                         {TokenType::kBeginArray, "[", 5, false, 2},
                         {TokenType::kNumber, "1", 6, false, 2},
                         {TokenType::kNumber, "-2.5e3", 8, false, 2},
                         {TokenType::kTrue, "true", 15, false, 2},
                         {TokenType::kFalse, "false", 20, false, 2},
                         {TokenType::kNull, "null", 26, false, 2},
                         {TokenType::kString, "x\\ny", 31, true, 2},
                         {TokenType::kEndArray, "]", 37, false, 1},
                         {TokenType::kEndObject, "}", 38, false, 0},
                         {TokenType::kEnd, "", 39, false, 0},
                     });
}

TEST(Tokenizer, TokenSequenceWhitespaceAndEscapedKeys) {
  const std::string text = " {\t\"\\u0061\" : \"b\" ,\n\"\" :{}} \r\n";
  ExpectTokens(text, {
                         {TokenType::kBeginObject, "{", 1, false, 1},
                         {TokenType::kKey, "\\u0061", 3, true, 1},
                         {TokenType::kString, "b", 14, false, 1},
                         {TokenType::kKey, "", 20, false, 1},
                         {TokenType::kBeginObject, "{", 24, false, 2},
                         {TokenType::kEndObject, "}", 25, false, 1},
                         {TokenType::kEndObject, "}", 26, false, 0},
                         {TokenType::kEnd, "", 30, false, 0},
                     });
}

TEST(Tokenizer, TokenSequenceScalars) {
  ExpectTokens("  -0.5E+7 ", {{TokenType::kNumber, "-0.5E+7", 2, false, 0},
                              {TokenType::kEnd, "", 10, false, 0}});
  ExpectTokens("\"\"", {{TokenType::kString, "", 0, false, 0},
                        {TokenType::kEnd, "", 2, false, 0}});
  ExpectTokens("\"\\/\"", {{TokenType::kString, "\\/", 0, true, 0},
                           {TokenType::kEnd, "", 4, false, 0}});
  // Raw non-ASCII needs no decoding.
  ExpectTokens("[\"\xc3\xa9\x7f\"]",
               {{TokenType::kBeginArray, "[", 0, false, 1},
                {TokenType::kString, "\xc3\xa9\x7f", 1, false, 1},
                {TokenType::kEndArray, "]", 6, false, 0},
                {TokenType::kEnd, "", 7, false, 0}});
}

TEST(Tokenizer, PositionTracksTokens) {
  const std::string text = "[10, \"ab\"]  ";
  Tokenizer tokenizer(text, kDepth);
  Token token;
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(tokenizer.position(), 1u);
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(tokenizer.position(), 3u);  // just past "10"
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(tokenizer.position(), 9u);  // just past "ab" with its quotes
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(tokenizer.position(), 10u);
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(token.type, TokenType::kEnd);
  EXPECT_EQ(tokenizer.position(), text.size());
}

// ---------------------------------------------------------------------------
// Depth: max_depth N accepts N open containers and rejects N+1, at the byte
// of the container that would be one too many.

TEST(Tokenizer, DepthLimit) {
  for (int n : {1, 2, 3, 10, 126, 127, 128}) {
    const std::string arrays_ok = Repeat("[", n) + Repeat("]", n);
    const std::string arrays_bad = Repeat("[", n + 1) + Repeat("]", n + 1);
    const std::string objects_ok =
        Repeat("{\"a\":", n - 1) + "{}" + Repeat("}", n - 1);
    const std::string objects_bad =
        Repeat("{\"a\":", n) + "{}" + Repeat("}", n);
    const std::string mixed_bad =
        Repeat("[{\"k\":", (n + 2) / 2) + "1" + Repeat("}]", (n + 2) / 2);
    EXPECT_EQ(TokenizeAll(arrays_ok, n).error, Error::kNone) << "n=" << n;
    EXPECT_EQ(TokenizeAll(objects_ok, n).error, Error::kNone) << "n=" << n;
    const Outcome a = TokenizeAll(arrays_bad, n);
    EXPECT_EQ(a.error, Error::kDepthExceeded) << "n=" << n;
    EXPECT_EQ(a.offset, static_cast<size_t>(n)) << "n=" << n;
    const Outcome o = TokenizeAll(objects_bad, n);
    EXPECT_EQ(o.error, Error::kDepthExceeded) << "n=" << n;
    EXPECT_EQ(o.offset, static_cast<size_t>(5 * n)) << "n=" << n;
    // n+1 or n+2 containers alternate [ and {.
    EXPECT_EQ(TokenizeAll(mixed_bad, n).error, Error::kDepthExceeded)
        << "n=" << n;
  }
}

TEST(Tokenizer, DepthIsNotCumulativeAcrossSiblings) {
  const std::string deep = Repeat("[", 5) + Repeat("]", 5);
  EXPECT_EQ(TokenizeAll("[" + deep + "," + deep + "," + deep + "]", 6).error,
            Error::kNone);
  EXPECT_EQ(TokenizeAll("[" + deep + ",[" + deep + "]]", 6).error,
            Error::kDepthExceeded);
}

TEST(Tokenizer, MaxDepthIsClamped) {
  // Clamped to [1, kMaxDepth].
  EXPECT_EQ(TokenizeAll("[]", 0).error, Error::kNone);
  EXPECT_EQ(TokenizeAll("[[]]", 0).error, Error::kDepthExceeded);
  EXPECT_EQ(TokenizeAll("[]", -5).error, Error::kNone);
  EXPECT_EQ(TokenizeAll("[[]]", -5).error, Error::kDepthExceeded);
  const std::string ok = Repeat("[", kDepth) + Repeat("]", kDepth);
  const std::string bad = Repeat("[", kDepth + 1) + Repeat("]", kDepth + 1);
  EXPECT_EQ(TokenizeAll(ok, 100000).error, Error::kNone);
  const Outcome out = TokenizeAll(bad, 100000);
  EXPECT_EQ(out.error, Error::kDepthExceeded);
  EXPECT_EQ(out.offset, static_cast<size_t>(kDepth));
  // Scalars need no container at all.
  EXPECT_EQ(TokenizeAll("1", 1).error, Error::kNone);
}

TEST(Tokenizer, DepthCountsOnlyOpenContainers) {
  Tokenizer tokenizer("[[1],{\"a\":[]}]", kDepth);
  Token token;
  const int kDepths[] = {1, 2, 2, 1, 2, 2, 3, 2, 1, 0, 0};
  for (size_t i = 0; i < sizeof(kDepths) / sizeof(kDepths[0]); ++i) {
    ASSERT_TRUE(tokenizer.Next(&token)) << i;
    EXPECT_EQ(tokenizer.depth(), kDepths[i]) << "after token " << i;
  }
  EXPECT_EQ(token.type, TokenType::kEnd);
}

// ---------------------------------------------------------------------------
// Numbers: the range rule of docs/specification.md §7.3 (not IEEE overflow).

struct NumberCase {
  std::string token;
  Error error;  // kNone, kNumberOutOfRange or kInvalidNumber
};

TEST(Tokenizer, NumberMatrix) {
  const std::string k309 = "1" + std::string(308, '0');  // 1e308
  const std::string k310 = "1" + std::string(309, '0');  // 1e309
  const NumberCase kNumbers[] = {
      // Accepted by the lexer.
      {"0", Error::kNone},
      {"-0", Error::kNone},
      {"1.0", Error::kNone},
      {"1e0", Error::kNone},
      {"1E0", Error::kNone},
      {"1e+0", Error::kNone},
      {"0.0", Error::kNone},
      {"0e0", Error::kNone},
      {"-0.0", Error::kNone},
      {"-1", Error::kNone},
      {"18446744073709551615", Error::kNone},
      {"18446744073709551616", Error::kNone},
      {"-9223372036854775808", Error::kNone},
      {"-9223372036854775809", Error::kNone},
      {"1000000000000000000000000", Error::kNone},
      {k309, Error::kNone},
      {"-" + k309, Error::kNone},
      {"0." + std::string(1001, '0'), Error::kNone},
      {"1e-400", Error::kNone},
      {"0e400", Error::kNone},
      {"0e99999999999999999999", Error::kNone},
      {"1e-99999999999999999999", Error::kNone},
      {"1e308", Error::kNone},
      {"0.1e309", Error::kNone},
      {"1.7976931348623157e308", Error::kNone},
      // Not IEEE: +inf under correct rounding, accepted by the rule.
      {"1.79769313486231581e308", Error::kNone},
      {"0e2147483648", Error::kNone},
      {"1e-2147483649", Error::kNone},
      {"4.9e-324", Error::kNone},
      {"1.5e300", Error::kNone},
      // The fixed lexer accepts these valid RFC numbers (§18.7 b is not
      // reproduced).
      {"18446744073709551616.5", Error::kNone},
      {"18446744073709551616.0", Error::kNone},
      {"18446744073709551616.5e3", Error::kNone},
      {"-18446744073709551619.3", Error::kNone},
      {"18446744073709551616.6", Error::kNone},
      {"18446744073709551616.55", Error::kNone},
      {"184467440737095516160.5", Error::kNone},
      {"18446744073709551615.5", Error::kNone},
      // Out of range.
      {k310, Error::kNumberOutOfRange},
      {"-" + k310, Error::kNumberOutOfRange},
      {std::string(1000, '9'), Error::kNumberOutOfRange},
      {"1e400", Error::kNumberOutOfRange},
      {"1E400", Error::kNumberOutOfRange},
      {"-1e400", Error::kNumberOutOfRange},
      {"1e309", Error::kNumberOutOfRange},
      {"1e99999999999999999999", Error::kNumberOutOfRange},
      // Not IEEE: these round to DBL_MAX, but the rule rejects them.
      {"1.7976931348623158e308", Error::kNumberOutOfRange},
      {"1.7976931348623159e308", Error::kNumberOutOfRange},
      {"17976931348623158e292", Error::kNumberOutOfRange},
      {"1e2147483647", Error::kNumberOutOfRange},
      {"1e2147483648", Error::kNumberOutOfRange},
      // Bad tokens.
      {"00", Error::kInvalidNumber},
      {"01", Error::kInvalidNumber},
      {"-01", Error::kInvalidNumber},
      {"1.", Error::kInvalidNumber},
      {"1.e5", Error::kInvalidNumber},
      {"1e", Error::kInvalidNumber},
      {"1e+", Error::kInvalidNumber},
      {"1E-", Error::kInvalidNumber},
      {"-", Error::kInvalidNumber},
      {"--1", Error::kInvalidNumber},
      {"18446744073709551616.", Error::kInvalidNumber},
      {"99999999999999999999.", Error::kInvalidNumber},
      {"99999999999999999999.e5", Error::kInvalidNumber},
      {"18446744073709551615.", Error::kInvalidNumber},
  };
  for (const NumberCase& c : kNumbers) {
    // In an array (a byte follows the token) and as a member value; the
    // out-of-range and valid cases also at the top level.
    const std::string contexts[] = {"[" + c.token + "]",
                                    "{\"x\":" + c.token + "}",
                                    "[1, " + c.token + " ,2]"};
    for (const std::string& text : contexts) {
      const Outcome out = TokenizeAll(text);
      EXPECT_EQ(out.error, c.error)
          << "token " << c.token.substr(0, 60) << " (" << c.token.size()
          << " bytes) in " << text.substr(0, 10) << ": got "
          << ErrorName(out.error) << " at " << out.offset;
      if (c.error == Error::kNone && out.error == Error::kNone) {
        // The kNumber token's text is exactly the number's bytes.
        bool found = false;
        for (const Token& t : out.tokens) {
          if (t.type == TokenType::kNumber && t.text == c.token) found = true;
        }
        EXPECT_TRUE(found) << c.token.substr(0, 60);
      }
    }
    if (c.error != Error::kInvalidNumber) {
      EXPECT_EQ(TokenizeAll(c.token).error, c.error)
          << "top-level " << c.token.substr(0, 60);
    }
  }
}

// ---------------------------------------------------------------------------
// SkipValue.

TEST(Tokenizer, SkipValueOverNestedValue) {
  const std::string text =
      "{\"skip\":{\"a\":[1,{\"b\":[[],{}]},\"\\u00e9\"],\"c\":null},"
      "\"keep\":[2],\"s\":\"x\"}";
  Tokenizer tokenizer(text, kDepth);
  Token token;
  ASSERT_TRUE(tokenizer.Next(&token));  // {
  ASSERT_TRUE(tokenizer.Next(&token));
  ASSERT_EQ(token.type, TokenType::kKey);
  EXPECT_EQ(token.text, "skip");
  ASSERT_TRUE(tokenizer.Next(&token));
  ASSERT_EQ(token.type, TokenType::kBeginObject);
  EXPECT_EQ(tokenizer.depth(), 2);
  ASSERT_TRUE(tokenizer.SkipValue(token));
  EXPECT_EQ(tokenizer.depth(), 1);
  ASSERT_TRUE(tokenizer.Next(&token));
  ASSERT_EQ(token.type, TokenType::kKey);
  EXPECT_EQ(token.text, "keep");
  ASSERT_TRUE(tokenizer.Next(&token));
  ASSERT_EQ(token.type, TokenType::kBeginArray);
  ASSERT_TRUE(tokenizer.SkipValue(token));
  ASSERT_TRUE(tokenizer.Next(&token));
  ASSERT_EQ(token.type, TokenType::kKey);
  EXPECT_EQ(token.text, "s");
  // Skipping a scalar that was already read is a no-op.
  ASSERT_TRUE(tokenizer.Next(&token));
  ASSERT_EQ(token.type, TokenType::kString);
  ASSERT_TRUE(tokenizer.SkipValue(token));
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(token.type, TokenType::kEndObject);
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(token.type, TokenType::kEnd);
}

TEST(Tokenizer, SkipValueValidatesWhatItSkips) {
  struct SkipCase {
    const char* text;
    Error error;
  };
  const SkipCase kCases[] = {
      {"[[1,01]]", Error::kInvalidNumber},
      {"[{\"a\":1e400}]", Error::kNumberOutOfRange},
      {"[[\"\\ud800\"]]", Error::kLoneSurrogate},
      {"[[\"\\x\"]]", Error::kInvalidEscape},
      {"[[1,]]", Error::kTrailingComma},
      {"[{\"a\" 1}]", Error::kExpectedColon},
      {"[[1 2]]", Error::kExpectedCommaOrEnd},
      {"[[[[[]]]]]", Error::kDepthExceeded},  // with max_depth 4
      {"[[1", Error::kUnexpectedEnd},
  };
  for (const SkipCase& c : kCases) {
    Tokenizer tokenizer(c.text, 4);
    Token token;
    ASSERT_TRUE(tokenizer.Next(&token)) << c.text;  // outer [
    ASSERT_TRUE(tokenizer.Next(&token)) << c.text;  // inner container
    EXPECT_FALSE(tokenizer.SkipValue(token)) << c.text;
    EXPECT_EQ(tokenizer.error(), c.error)
        << c.text << ": " << ErrorName(tokenizer.error());
    EXPECT_FALSE(tokenizer.Next(&token)) << c.text;
  }
}

TEST(Tokenizer, SkipValueOfTopLevelContainer) {
  Tokenizer tokenizer("[1,[2,[3]],{\"a\":{}}]  ", kDepth);
  Token token;
  ASSERT_TRUE(tokenizer.Next(&token));
  ASSERT_TRUE(tokenizer.SkipValue(token));
  EXPECT_EQ(tokenizer.depth(), 0);
  ASSERT_TRUE(tokenizer.Next(&token));
  EXPECT_EQ(token.type, TokenType::kEnd);

  Tokenizer trailing("[1] x", kDepth);
  ASSERT_TRUE(trailing.Next(&token));
  ASSERT_TRUE(trailing.SkipValue(token));
  EXPECT_FALSE(trailing.Next(&token));
  EXPECT_EQ(trailing.error(), Error::kTrailingCharacters);
  EXPECT_EQ(trailing.error_offset(), 4u);
}

// ---------------------------------------------------------------------------
// ParseUint64.

TEST(ParseUint64, Accepts) {
  struct Good {
    const char* text;
    uint64_t value;
  };
  const Good kGood[] = {
      {"0", 0},
      {"1", 1},
      {"10", 10},
      {"4294967296", 4294967296u},
      {"9223372036854775808", 9223372036854775808u},
      {"18446744073709551614", 18446744073709551614u},
      {"18446744073709551615", 18446744073709551615u},
  };
  for (const Good& g : kGood) {
    uint64_t value = 12345;
    EXPECT_TRUE(ParseUint64(g.text, &value)) << g.text;
    EXPECT_EQ(value, g.value) << g.text;
  }
}

TEST(ParseUint64, Rejects) {
  for (const char* text : {"",
                           "-0",
                           "-1",
                           "01",
                           "00",
                           "1.0",
                           "0.0",
                           "1e0",
                           "1E0",
                           "0e0",
                           "18446744073709551616",
                           "18446744073709551625",
                           "20000000000000000000",
                           "99999999999999999999",
                           "184467440737095516150",
                           "+1",
                           " 1",
                           "1 ",
                           "1a",
                           "0x1"}) {
    uint64_t value = 0;
    EXPECT_FALSE(ParseUint64(text, &value)) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace json
}  // namespace internal
}  // namespace safetensors
