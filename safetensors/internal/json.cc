// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/json.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "safetensors/internal/json_escape.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace safetensors {
namespace internal {
namespace json {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Nonzero when some byte of `x` is zero (exact as a boolean).
inline uint64_t HasZeroByte(uint64_t x) { return (x - kOnes) & ~x & kHighs; }

// Nonzero when some byte of `x` is below `n` (n <= 128; exact as a boolean).
inline uint64_t HasByteBelow(uint64_t x, uint8_t n) {
  return (x - kOnes * n) & ~x & kHighs;
}

// Nonzero when some byte of x is '"', '\\' or a control character: the bytes
// at which the string scanner must stop. Borrows can only set bits above a
// true match, so on a little-endian load the lowest set bit is exact.
inline uint64_t HasStringSpecial(uint64_t x) {
  return HasByteBelow(x, 0x20) | HasZeroByte(x ^ (kOnes * '"')) |
         HasZeroByte(x ^ (kOnes * '\\'));
}

// Loads 8 bytes so that the byte at p is the least significant.
inline uint64_t Load8Le(const char* p) {
  uint64_t v = Load8(p);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

// The offset of the first '"', '\\' or control byte at or after p, or end.
inline size_t ScanString(const char* data, size_t p, size_t end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i slash = _mm_set1_epi8('\\');
  const __m128i ctrl = _mm_set1_epi8(0x1F);
  while (p + 16 <= end) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + p));
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, slash)),
        _mm_cmpeq_epi8(_mm_max_epu8(v, ctrl), ctrl));  // v <= 0x1F
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p + 8 <= end) {
    const uint64_t m = HasStringSpecial(Load8Le(data + p));
    if (m != 0) return p + (__builtin_ctzll(m) >> 3);
    p += 8;
  }
  while (p < end) {
    const unsigned char c = static_cast<unsigned char>(data[p]);
    if (c == '"' || c == '\\' || c < 0x20) return p;
    ++p;
  }
  return end;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The doubles nearest to 10^0 .. 10^308 (strtod rounds correctly).
const std::array<double, 309>& Pow10Table() {
  static const std::array<double, 309> table = [] {
    std::array<double, 309> t{};
    char buf[16];  // "1e" and any int: gcc checks the whole range of k
    for (int k = 0; k <= 308; ++k) {
      std::snprintf(buf, sizeof(buf), "1e%d", k);
      t[k] = std::strtod(buf, nullptr);
    }
    return t;
  }();
  return table;
}

inline bool WouldOverflow(uint64_t acc, int digit, uint64_t limit) {
  return acc >= limit / 10 &&
         (acc > limit / 10 || static_cast<uint64_t>(digit) > limit % 10);
}

// The reference JSON library's range rule for a number token that already
// matched the RFC grammar (docs/specification.md §7.3): true when it would
// report "number out of range". This is not IEEE overflow: the significand is
// gathered in 64 bits and scaled once by the double nearest to 10^e.
bool NumberOutOfRange(absl::string_view tok) {
  size_t i = 0;
  const size_t n = tok.size();
  if (tok[i] == '-') ++i;
  uint64_t sig = 0;
  int64_t e = 0;
  bool saturated = false;
  while (i < n && IsDigit(tok[i])) {
    const int d = tok[i] - '0';
    if (saturated || WouldOverflow(sig, d, UINT64_MAX)) {
      saturated = true;
      ++e;
    } else {
      sig = sig * 10 + d;
    }
    ++i;
  }
  if (i < n && tok[i] == '.') {
    ++i;
    bool stop = false;
    while (i < n && IsDigit(tok[i])) {
      const int d = tok[i] - '0';
      if (!stop) {
        if (WouldOverflow(sig, d, UINT64_MAX)) {
          stop = true;
        } else {
          sig = sig * 10 + d;
          --e;
        }
      }
      ++i;
    }
  }
  if (i < n && (tok[i] == 'e' || tok[i] == 'E')) {
    ++i;
    bool positive = true;
    if (tok[i] == '+' || tok[i] == '-') {
      positive = tok[i] == '+';
      ++i;
    }
    uint64_t x = 0;
    while (i < n && IsDigit(tok[i])) {
      const int d = tok[i] - '0';
      if (WouldOverflow(x, d, 2147483647)) return sig != 0 && positive;
      x = x * 10 + d;
      ++i;
    }
    e = positive ? e + static_cast<int64_t>(x) : e - static_cast<int64_t>(x);
    e = std::clamp<int64_t>(e, INT32_MIN, INT32_MAX);
  }
  if (e < 0) return false;  // dividing never fails
  if (e > 308) return sig != 0;
  const double f = static_cast<double>(sig) * Pow10Table()[e];
  return std::isinf(f);
}

}  // namespace

absl::string_view ErrorName(Error error) {
  switch (error) {
    case Error::kNone:
      return "no error";
    case Error::kUnexpectedEnd:
      return "unexpected end of input";
    case Error::kExpectedValue:
      return "expected value";
    case Error::kInvalidNumber:
      return "invalid number";
    case Error::kNumberOutOfRange:
      return "number out of range";
    case Error::kInvalidEscape:
      return "invalid escape";
    case Error::kLoneSurrogate:
      return "lone surrogate in \\u escape";
    case Error::kControlCharacter:
      return "control character (U+0000 to U+001F) in a string";
    case Error::kExpectedColon:
      return "expected ':'";
    case Error::kExpectedCommaOrEnd:
      return "expected ',' or the end of the object or array";
    case Error::kKeyMustBeString:
      return "key must be a string";
    case Error::kTrailingComma:
      return "trailing comma";
    case Error::kTrailingCharacters:
      return "trailing characters";
    case Error::kDepthExceeded:
      return "nesting depth limit exceeded";
  }
  return "unknown error";
}

Tokenizer::Tokenizer(absl::string_view text, int max_depth)
    : data_(text.data()),
      size_(text.size()),
      max_depth_(std::clamp(max_depth, 1, kMaxDepth)) {}

bool Tokenizer::Fail(Error error, size_t offset) {
  state_ = State::kFailed;
  error_ = error;
  error_offset_ = offset;
  return false;
}

inline void Tokenizer::SkipWhitespace() {
  while (pos_ < size_) {
    const char c = data_[pos_];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
    ++pos_;
  }
}

inline void Tokenizer::AfterValue() {
  if (depth_ == 0) {
    state_ = State::kDone;
    return;
  }
  const int bit = depth_ - 1;
  const bool is_array = (kinds_[bit >> 6] >> (bit & 63)) & 1;
  state_ = is_array ? State::kArrayNext : State::kObjectNext;
}

bool Tokenizer::OpenContainer(Token* token, TokenType type, State next) {
  if (depth_ >= max_depth_) return Fail(Error::kDepthExceeded, pos_);
  const int bit = depth_;
  const uint64_t mask = uint64_t{1} << (bit & 63);
  if (type == TokenType::kBeginArray) {
    kinds_[bit >> 6] |= mask;
  } else {
    kinds_[bit >> 6] &= ~mask;
  }
  ++depth_;
  token->type = type;
  token->text = absl::string_view(data_ + pos_, 1);
  token->offset = pos_;
  token->has_escapes = false;
  ++pos_;
  state_ = next;
  return true;
}

bool Tokenizer::ReadHexEscape(size_t p, int* unit) {
  if (p + 6 > size_) {
    for (size_t q = p + 2; q < size_; ++q) {
      if (HexValue(data_[q]) < 0) return Fail(Error::kInvalidEscape, q);
    }
    return Fail(Error::kUnexpectedEnd, size_);
  }
  *unit = Hex4(data_ + p + 2);
  if (*unit < 0) {
    size_t q = p + 2;
    while (HexValue(data_[q]) >= 0) ++q;
    return Fail(Error::kInvalidEscape, q);
  }
  return true;
}

bool Tokenizer::ReadString(Token* token, TokenType type) {
  const size_t start = pos_;  // the opening quote
  size_t p = pos_ + 1;
  bool escapes = false;
  for (;;) {
    p = ScanString(data_, p, size_);
    if (p >= size_) return Fail(Error::kUnexpectedEnd, size_);
    const unsigned char c = static_cast<unsigned char>(data_[p]);
    if (c == '"') break;
    if (c < 0x20) return Fail(Error::kControlCharacter, p);
    escapes = true;
    if (p + 1 >= size_) return Fail(Error::kUnexpectedEnd, size_);
    const char e = data_[p + 1];
    if (e != 'u') {
      switch (e) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          p += 2;
          continue;
        default:
          return Fail(Error::kInvalidEscape, p + 1);
      }
    }
    // \uXXXX
    int unit;
    if (!ReadHexEscape(p, &unit)) return false;
    p += 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return Fail(Error::kLoneSurrogate, p);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      // Must be followed at once by a \u escape of a low surrogate.
      if (p >= size_) return Fail(Error::kUnexpectedEnd, size_);
      if (data_[p] != '\\') return Fail(Error::kLoneSurrogate, p);
      if (p + 1 >= size_) return Fail(Error::kUnexpectedEnd, size_);
      if (data_[p + 1] != 'u') return Fail(Error::kLoneSurrogate, p + 1);
      int low;
      if (!ReadHexEscape(p, &low)) return false;
      if (low < 0xDC00 || low > 0xDFFF)
        return Fail(Error::kLoneSurrogate, p + 6);
      p += 6;
    }
  }
  token->type = type;
  token->text = absl::string_view(data_ + start + 1, p - start - 1);
  token->offset = start;
  token->has_escapes = escapes;
  pos_ = p + 1;
  return true;
}

bool Tokenizer::ReadNumber(Token* token) {
  const size_t start = pos_;
  size_t p = pos_;
  const bool negative = data_[p] == '-';
  if (negative) ++p;
  if (p >= size_) return Fail(Error::kUnexpectedEnd, size_);
  uint64_t value = 0;
  bool fits = true;
  if (data_[p] == '0') {
    ++p;
    if (p < size_ && IsDigit(data_[p])) return Fail(Error::kInvalidNumber, p);
  } else if (IsDigit(data_[p])) {
    // Up to 19 digits cannot overflow 64 bits; only the 20th is checked.
    const size_t first = p;
    while (p < size_ && IsDigit(data_[p]) && p - first < 19) {
      value = value * 10 + (data_[p] - '0');
      ++p;
    }
    while (p < size_ && IsDigit(data_[p])) {
      const int d = data_[p] - '0';
      if (fits && WouldOverflow(value, d, UINT64_MAX)) fits = false;
      value = value * 10 + d;
      ++p;
    }
  } else {
    return Fail(Error::kInvalidNumber, p);
  }
  bool plain = true;
  if (p < size_ && data_[p] == '.') {
    plain = false;
    ++p;
    if (p >= size_) return Fail(Error::kUnexpectedEnd, size_);
    if (!IsDigit(data_[p])) return Fail(Error::kInvalidNumber, p);
    while (p < size_ && IsDigit(data_[p])) ++p;
  }
  if (p < size_ && (data_[p] == 'e' || data_[p] == 'E')) {
    plain = false;
    ++p;
    if (p < size_ && (data_[p] == '+' || data_[p] == '-')) ++p;
    if (p >= size_) return Fail(Error::kUnexpectedEnd, size_);
    if (!IsDigit(data_[p])) return Fail(Error::kInvalidNumber, p);
    while (p < size_ && IsDigit(data_[p])) ++p;
  }
  const absl::string_view text(data_ + start, p - start);
  // A plain integer of up to 300 digits always fits a double's range.
  if ((!plain || text.size() > 300) && NumberOutOfRange(text)) {
    return Fail(Error::kNumberOutOfRange, start);
  }
  token->type = TokenType::kNumber;
  token->text = text;
  token->offset = start;
  token->has_escapes = false;
  token->is_uint = plain && !negative && fits;
  token->uint_value = token->is_uint ? value : 0;
  pos_ = p;
  AfterValue();
  return true;
}

bool Tokenizer::ReadLiteral(Token* token, absl::string_view word,
                            TokenType type) {
  for (size_t i = 0; i < word.size(); ++i) {
    if (pos_ + i >= size_) return Fail(Error::kUnexpectedEnd, size_);
    if (data_[pos_ + i] != word[i])
      return Fail(Error::kExpectedValue, pos_ + i);
  }
  token->type = type;
  token->text = absl::string_view(data_ + pos_, word.size());
  token->offset = pos_;
  token->has_escapes = false;
  pos_ += word.size();
  AfterValue();
  return true;
}

bool Tokenizer::ReadValue(Token* token) {
  if (pos_ >= size_) return Fail(Error::kUnexpectedEnd, size_);
  switch (data_[pos_]) {
    case '{':
      return OpenContainer(token, TokenType::kBeginObject, State::kObjectFirst);
    case '[':
      return OpenContainer(token, TokenType::kBeginArray, State::kArrayFirst);
    case '"':
      if (!ReadString(token, TokenType::kString)) return false;
      AfterValue();
      return true;
    case 't':
      return ReadLiteral(token, "true", TokenType::kTrue);
    case 'f':
      return ReadLiteral(token, "false", TokenType::kFalse);
    case 'n':
      return ReadLiteral(token, "null", TokenType::kNull);
    default:
      if (data_[pos_] == '-' || IsDigit(data_[pos_])) return ReadNumber(token);
      return Fail(Error::kExpectedValue, pos_);
  }
}

bool Tokenizer::Next(Token* token) {
  for (;;) {
    if (state_ == State::kFailed) return false;
    SkipWhitespace();
    switch (state_) {
      case State::kValue:
      case State::kMemberValue:
      case State::kArrayValue:
        if (state_ == State::kArrayValue && pos_ < size_ &&
            data_[pos_] == ']') {
          return Fail(Error::kTrailingComma, pos_);
        }
        return ReadValue(token);
      case State::kArrayFirst:
        if (pos_ < size_ && data_[pos_] == ']') break;  // close below
        return ReadValue(token);
      case State::kObjectFirst:
      case State::kObjectKey:
        if (pos_ >= size_) return Fail(Error::kUnexpectedEnd, size_);
        if (data_[pos_] == '"') {
          if (!ReadString(token, TokenType::kKey)) return false;
          SkipWhitespace();
          if (pos_ >= size_) return Fail(Error::kUnexpectedEnd, size_);
          if (data_[pos_] != ':') return Fail(Error::kExpectedColon, pos_);
          ++pos_;
          state_ = State::kMemberValue;
          return true;
        }
        if (data_[pos_] == '}') {
          if (state_ == State::kObjectKey) {
            return Fail(Error::kTrailingComma, pos_);
          }
          break;  // close below
        }
        return Fail(Error::kKeyMustBeString, pos_);
      case State::kObjectNext:
      case State::kArrayNext: {
        if (pos_ >= size_) return Fail(Error::kUnexpectedEnd, size_);
        const char c = data_[pos_];
        if (c == ',') {
          ++pos_;
          state_ = state_ == State::kObjectNext ? State::kObjectKey
                                                : State::kArrayValue;
          continue;
        }
        const char close = state_ == State::kObjectNext ? '}' : ']';
        if (c != close) return Fail(Error::kExpectedCommaOrEnd, pos_);
        break;  // close below
      }
      case State::kDone:
        if (pos_ < size_) return Fail(Error::kTrailingCharacters, pos_);
        token->type = TokenType::kEnd;
        token->text = absl::string_view(data_ + pos_, 0);
        token->offset = pos_;
        token->has_escapes = false;
        return true;
      case State::kFailed:
        return false;
    }
    // Close the innermost container at pos_.
    token->type =
        data_[pos_] == '}' ? TokenType::kEndObject : TokenType::kEndArray;
    token->text = absl::string_view(data_ + pos_, 1);
    token->offset = pos_;
    token->has_escapes = false;
    ++pos_;
    --depth_;
    AfterValue();
    return true;
  }
}

bool Tokenizer::SkipValue(const Token& first) {
  if (first.type != TokenType::kBeginObject &&
      first.type != TokenType::kBeginArray) {
    return true;
  }
  const int target = depth_ - 1;
  Token t;
  while (depth_ > target) {
    if (!Next(&t)) return false;
  }
  return true;
}

bool Tokenizer::SkipValidatedValue(size_t end, int value_depth) {
  if (state_ != State::kValue && state_ != State::kMemberValue &&
      state_ != State::kArrayValue && state_ != State::kArrayFirst) {
    return false;
  }
  if (depth_ + value_depth > max_depth_ || end <= pos_ || end > size_) {
    return false;
  }
  pos_ = end;
  AfterValue();
  return true;
}

bool ParseUint64(absl::string_view number, uint64_t* value) {
  if (number.empty() || number.size() > 20) return false;
  if (number.size() > 1 && number[0] == '0') return false;
  uint64_t v = 0;
  for (char c : number) {
    if (!IsDigit(c)) return false;
    const int d = c - '0';
    if (WouldOverflow(v, d, UINT64_MAX)) return false;
    v = v * 10 + d;
  }
  *value = v;
  return true;
}

}  // namespace json
}  // namespace internal
}  // namespace safetensors
