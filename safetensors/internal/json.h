// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// A strict, pull-based JSON tokenizer (RFC 8259) and the UTF-8 validator.
// Generic: it knows nothing of safetensors.
//
// The Tokenizer reads a text that the caller owns and hands out one Token at
// a time; tokens are views into that text, so the text must outlive them. It
// checks the whole grammar as it goes: whitespace is exactly 20 09 0A 0D; no
// comments, trailing commas, NaN or leading '+'/'0'; strings with every
// escape, surrogate pairs joined and lone surrogates rejected, raw control
// characters rejected; numbers by the RFC grammar plus the range rule of the
// reference's JSON library (a number whose magnitude it cannot represent as a
// double is "out of range": docs/specification.md §7.3). Nesting is bounded by
// an explicit depth counter; nothing recurses. Errors carry a byte offset. It
// does not check UTF-8: run ValidateUtf8 over the text first.
//
// Cost: one pass, O(text bytes), no allocation. Not thread-safe per object;
// distinct objects are independent.

#ifndef SAFETENSORS_INTERNAL_JSON_H_
#define SAFETENSORS_INTERNAL_JSON_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {
namespace json {

enum class TokenType : uint8_t {
  kBeginObject,  // {
  kEndObject,    // }
  kBeginArray,   // [
  kEndArray,     // ]
  kKey,          // a string in key position (the ':' after it is consumed)
  kString,       // a string value
  kNumber,       // a number value (text holds the number's bytes)
  kTrue,
  kFalse,
  kNull,
  kEnd,  // the top-level value is complete; only whitespace was skipped after
         // it
};

struct Token {
  TokenType type = TokenType::kEnd;
  // For kKey and kString: the bytes between the quotes, escapes not decoded.
  // For kNumber: the number's bytes. Otherwise the token's own bytes.
  absl::string_view text;
  // Byte offset of the token's first byte ('"' for strings) in the input.
  size_t offset = 0;
  // For kKey and kString: the text contains at least one backslash escape,
  // so it must be decoded (UnescapeString) before use.
  bool has_escapes = false;
  // For kNumber: the number is an unsigned integer (digits only, no sign,
  // fraction or exponent, at most 2^64-1), and uint_value holds it.
  bool is_uint = false;
  uint64_t uint_value = 0;
};

enum class Error : uint8_t {
  kNone = 0,
  kUnexpectedEnd,     // EOF inside a value, string, object or array
  kExpectedValue,     // a byte that cannot start a value (incl. '+', '.', BOM)
  kInvalidNumber,     // '01', '1.', '1e', '-', ...
  kNumberOutOfRange,  // e.g. 1e400
  kInvalidEscape,     // \x, \U, short \u
  kLoneSurrogate,     // a surrogate escape that is not half of a pair
  kControlCharacter,  // raw U+0000..U+001F inside a string
  kExpectedColon,     // after a key
  kExpectedCommaOrEnd,  // between members or elements
  kKeyMustBeString,     // where an object key must start
  kTrailingComma,       // ",}" or ",]"
  kTrailingCharacters,  // non-whitespace after the top-level value
  kDepthExceeded,       // more than max_depth containers open
};

// A short fixed phrase for `error`, e.g. "invalid number".
absl::string_view ErrorName(Error error);

class Tokenizer {
 public:
  static constexpr int kMaxDepth = 128;

  // `text` must outlive the tokenizer and every token it returns.
  // `max_depth` is the most containers that may be open at once, clamped to
  // [1, kMaxDepth]; opening one more is kDepthExceeded.
  Tokenizer(absl::string_view text, int max_depth);

  Tokenizer(const Tokenizer&) = delete;  // tokens point into one position
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Reads the next token into *token and returns true, or returns false with
  // error() and error_offset() set. After the top-level value, the next call
  // skips whitespace and returns kEnd, or fails with kTrailingCharacters; a
  // call after kEnd returns kEnd again. After a failure every call fails.
  [[nodiscard]] bool Next(Token* token);

  // Skips the value that starts with `first` (a token just returned by Next),
  // validating it fully: for a container, everything up to and including its
  // matching end. Returns false on error, as Next does.
  [[nodiscard]] bool SkipValue(const Token& first);

  // Continues after a value that the caller read and checked itself, for a
  // caller's fast path over text it knows well. [position(), end) must hold
  // exactly one complete value, optionally preceded by JSON whitespace, that
  // this tokenizer would accept, and whose containers nest `value_depth` deep.
  // Returns false and changes nothing when the tokenizer is not expecting a
  // value or the value would exceed the depth limit.
  [[nodiscard]] bool SkipValidatedValue(size_t end, int value_depth);

  Error error() const { return error_; }
  size_t error_offset() const { return error_offset_; }
  // Containers open right now.
  int depth() const { return depth_; }
  // Byte offset just past the last token returned (for kEnd: the text size).
  size_t position() const { return pos_; }

 private:
  enum class State : uint8_t {
    kValue,        // expecting the top-level value
    kObjectFirst,  // after '{': a key or '}'
    kObjectNext,   // after a member: ',' or '}'
    kObjectKey,    // after ',': a key
    kMemberValue,  // after key ':': a value
    kArrayFirst,   // after '[': a value or ']'
    kArrayNext,    // after an element: ',' or ']'
    kArrayValue,   // after ',': a value
    kDone,         // top-level value complete
    kFailed,
  };

  bool Fail(Error error, size_t offset);
  bool ReadValue(Token* token);
  bool ReadString(Token* token, TokenType type);
  // Reads the four hex digits of the \u escape whose backslash is at p into
  // *unit, or fails (kInvalidEscape, or kUnexpectedEnd at the end).
  bool ReadHexEscape(size_t p, int* unit);
  bool ReadNumber(Token* token);
  bool ReadLiteral(Token* token, absl::string_view word, TokenType type);
  bool OpenContainer(Token* token, TokenType type, State next);
  void AfterValue();
  void SkipWhitespace();

  const char* const data_;
  const size_t size_;
  const int max_depth_;
  size_t pos_ = 0;
  int depth_ = 0;
  State state_ = State::kValue;
  Error error_ = Error::kNone;
  size_t error_offset_ = 0;
  // One bit per open container, 1 for an array (depth d uses bit d-1).
  uint64_t kinds_[2] = {0, 0};
};

// True when `number` (a kNumber token's text) is an unsigned integer: digits
// only, no sign, fraction or exponent, value at most 2^64-1. Sets *value.
[[nodiscard]] bool ParseUint64(absl::string_view number, uint64_t* value);

}  // namespace json
}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_JSON_H_
