// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The JSON tokenizer over arbitrary bytes. Invariants: every token and every
// error offset lies inside the input; a token's text is the input's bytes at
// its offset; an unsigned integer token round-trips to the same digits and
// ParseUint64 agrees with a slow reference on any text; a string's decoded
// value quotes and re-tokenizes to itself; depth never passes the limit;
// SkipValue reaches the same verdict as reading every token; ValidateUtf8
// agrees with a slow reference decoder.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

#include "fuzz/fuzz_util.h"
#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/utf8.h"

namespace safetensors {
namespace fuzz {
namespace {

using internal::json::Token;
using internal::json::Tokenizer;
using internal::json::TokenType;

// Strict UTF-8 by the Unicode table (no overlongs, no surrogates, at most
// U+10FFFF): the offset of the first bad sequence, or text.size().
size_t SlowValidateUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = text[i];
    int len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return i;
    }
    if (text.size() - i < static_cast<size_t>(len)) return i;
    for (int k = 1; k < len; ++k) {
      const unsigned char t = text[i + k];
      if ((t & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (t & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return text.size();
}

bool SlowParseUint64(absl::string_view s, uint64_t* value) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  unsigned __int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
    if (v > UINT64_MAX) return false;
  }
  *value = static_cast<uint64_t>(v);
  return true;
}

// Reads every token; returns whether the text was accepted.
bool ReadAll(absl::string_view text, int max_depth,
             internal::json::Error* error, size_t* error_offset) {
  Tokenizer tok(text, max_depth);
  Token t;
  const char* const lo = text.data();
  for (;;) {
    if (!tok.Next(&t)) break;
    FUZZ_CHECK(tok.depth() >= 0 && tok.depth() <= max_depth);
    FUZZ_CHECK(tok.position() <= text.size());
    if (t.type == TokenType::kEnd) {
      FUZZ_CHECK(tok.depth() == 0);
      FUZZ_CHECK(tok.position() == text.size());
      Token again;
      FUZZ_CHECK(tok.Next(&again) && again.type == TokenType::kEnd);
      *error = internal::json::Error::kNone;
      return true;
    }
    // The token is inside the input, where its offset says.
    FUZZ_CHECK(t.offset < text.size());
    FUZZ_CHECK(t.text.data() >= lo);
    FUZZ_CHECK(t.text.size() <= text.size());
    FUZZ_CHECK(static_cast<size_t>(t.text.data() - lo) <=
               text.size() - t.text.size());
    switch (t.type) {
      case TokenType::kKey:
      case TokenType::kString: {
        FUZZ_CHECK(text[t.offset] == '"');
        FUZZ_CHECK(t.text.data() == lo + t.offset + 1);
        FUZZ_CHECK(t.offset + 1 + t.text.size() < text.size());
        FUZZ_CHECK(text[t.offset + 1 + t.text.size()] == '"');
        FUZZ_CHECK(t.has_escapes ==
                   (t.text.find('\\') != absl::string_view::npos));
        std::string value;
        internal::json::UnescapeString(t.text, &value);
        if (!t.has_escapes) FUZZ_CHECK(value == t.text);
        // Quoting the value and reading it back gives the value again.
        std::string quoted;
        internal::json::AppendQuoted(value, &quoted);
        Tokenizer again(quoted, 1);
        Token q;
        FUZZ_CHECK(again.Next(&q) && q.type == TokenType::kString);
        std::string back;
        internal::json::UnescapeString(q.text, &back);
        FUZZ_CHECK(back == value);
        break;
      }
      case TokenType::kNumber: {
        FUZZ_CHECK(t.text.data() == lo + t.offset);
        uint64_t v = 0;
        FUZZ_CHECK(internal::json::ParseUint64(t.text, &v) == t.is_uint);
        if (t.is_uint) {
          FUZZ_CHECK(v == t.uint_value);
          FUZZ_CHECK(std::to_string(t.uint_value) == t.text);
        }
        break;
      }
      case TokenType::kTrue:
        FUZZ_CHECK(t.text == "true");
        break;
      case TokenType::kFalse:
        FUZZ_CHECK(t.text == "false");
        break;
      case TokenType::kNull:
        FUZZ_CHECK(t.text == "null");
        break;
      default:
        FUZZ_CHECK(t.text.size() == 1 && t.text.data() == lo + t.offset);
        break;
    }
  }
  *error = tok.error();
  *error_offset = tok.error_offset();
  FUZZ_CHECK(*error != internal::json::Error::kNone);
  FUZZ_CHECK(*error_offset <= text.size());
  FUZZ_CHECK(!internal::json::ErrorName(*error).empty());
  // After a failure every call fails, with the same error.
  FUZZ_CHECK(!tok.Next(&t) && tok.error() == *error);
  return false;
}

// The same text, skipping each top-level container with SkipValue.
bool SkipAll(absl::string_view text, int max_depth,
             internal::json::Error* error) {
  Tokenizer tok(text, max_depth);
  Token t;
  for (;;) {
    if (!tok.Next(&t) || !tok.SkipValue(t)) break;
    if (t.type == TokenType::kEnd) return true;
  }
  *error = tok.error();
  return false;
}

}  // namespace
}  // namespace fuzz
}  // namespace safetensors

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace safetensors::fuzz;  // NOLINT
  if (size > (1 << 16)) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);

  // Every error has a phrase, unknown values too.
  for (int e = 0; e <= 14; ++e) {
    FUZZ_CHECK(!safetensors::internal::json::ErrorName(
                    static_cast<safetensors::internal::json::Error>(e))
                    .empty());
  }
  FUZZ_CHECK(safetensors::internal::ValidateUtf8(text) ==
             SlowValidateUtf8(text));
  uint64_t a = 0, b = 0;
  const bool fast = safetensors::internal::json::ParseUint64(text, &a);
  FUZZ_CHECK(fast == SlowParseUint64(text, &b));
  FUZZ_CHECK(!fast || a == b);

  // The depth limit from the input's length, so both small and full limits
  // are seen.
  const int depth = size % 7 == 0
                        ? 1 + static_cast<int>(size % 5)
                        : safetensors::internal::json::Tokenizer::kMaxDepth;
  safetensors::internal::json::Error e1, e2;
  size_t offset = 0;
  const bool ok = ReadAll(text, depth, &e1, &offset);
  FUZZ_CHECK(SkipAll(text, depth, &e2) == ok);
  if (!ok) FUZZ_CHECK(e1 == e2);
  return 0;
}
