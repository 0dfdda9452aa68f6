// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Structure-aware fuzzing of whole files: the checks of header_fuzzer and
// file_fuzzer (fuzz/checks.h), with a custom mutator that edits the header
// as JSON rather than as bytes. Byte mutation rarely gets past the length
// prefix and the offset checks; here each mutation tokenizes the header with
// the library's own tokenizer and changes one thing at token level (a number
// to an interesting value, a dtype name, a key, a value copied over another,
// a member or element duplicated or deleted, a new tensor entry, padding),
// then rewrites the 8-byte length to the new header's size and, usually,
// resizes the data section to the largest data_offsets end, so the file
// stays consistent enough to reach validation and the views.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

#include "fuzz/checks.h"
#include "safetensors/dtype.h"
#include "safetensors/internal/json.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace safetensors {
namespace fuzz {
namespace {

using internal::json::Token;
using internal::json::TokenType;

struct Piece {
  TokenType type;
  size_t begin;      // the token's first byte in the header
  size_t end;        // one past its last byte
  size_t value_end;  // for a value: one past its whole value (containers)
  int parent;        // index of the enclosing container's token, or -1
  bool is_uint;
  uint64_t uint_value;
  std::string text;  // raw token text (strings without quotes)
};

// The header's tokens up to the end or the first error.
std::vector<Piece> Tokens(const std::string& header) {
  std::vector<Piece> out;
  internal::json::Tokenizer tok(header, internal::json::Tokenizer::kMaxDepth);
  std::vector<int> open;
  Token t;
  while (tok.Next(&t) && t.type != TokenType::kEnd) {
    Piece p;
    p.type = t.type;
    p.begin = t.offset;
    const bool quoted =
        t.type == TokenType::kKey || t.type == TokenType::kString;
    p.end = quoted ? t.offset + t.text.size() + 2 : t.offset + t.text.size();
    p.value_end = p.end;
    p.parent = open.empty() ? -1 : open.back();
    p.is_uint = t.is_uint;
    p.uint_value = t.uint_value;
    p.text = std::string(t.text);
    if (t.type == TokenType::kEndObject || t.type == TokenType::kEndArray) {
      if (!open.empty()) {
        out[open.back()].value_end = p.end;
        open.pop_back();
      }
      p.parent = open.empty() ? -1 : open.back();
    }
    out.push_back(p);
    if (t.type == TokenType::kBeginObject || t.type == TokenType::kBeginArray) {
      open.push_back(static_cast<int>(out.size()) - 1);
    }
  }
  return out;
}

bool IsValueStart(const Piece& p) {
  return p.type != TokenType::kKey && p.type != TokenType::kEndObject &&
         p.type != TokenType::kEndArray;
}

std::string Interesting(std::mt19937_64& rng, const Piece& p,
                        uint64_t data_size) {
  static const char* const kFixed[] = {"0",
                                       "1",
                                       "2",
                                       "3",
                                       "4",
                                       "7",
                                       "8",
                                       "16",
                                       "255",
                                       "256",
                                       "65535",
                                       "2147483647",
                                       "4294967295",
                                       "4294967296",
                                       "9007199254740993",
                                       "9223372036854775808",
                                       "18446744073709551615",
                                       "18446744073709551616",
                                       "-1",
                                       "1.0",
                                       "1e2",
                                       "0.5",
                                       "-0",
                                       "1E400",
                                       "00"};
  const uint64_t v = p.is_uint ? p.uint_value : 0;
  switch (rng() % 4) {
    case 0:
      return kFixed[rng() % (sizeof(kFixed) / sizeof(kFixed[0]))];
    case 1:
      return absl::StrCat(v + 1 - 2 * (rng() % 2));
    case 2:
      return absl::StrCat(data_size + (rng() % 3) - 1);
    default:
      return absl::StrCat(rng() % 2 ? v * 2 : v / 2);
  }
}

std::string DtypeString(std::mt19937_64& rng) {
  static const char* const kOdd[] = {"F8_E4M3FN", "bool", "f32",
                                     "",          "F32 ", "U128"};
  if (rng() % 8 == 0) {
    return absl::StrCat("\"", kOdd[rng() % (sizeof(kOdd) / sizeof(kOdd[0]))],
                        "\"");
  }
  return absl::StrCat("\"", DtypeName(AllDtypes()[rng() % kNumDtypes]), "\"");
}

// Removes [begin, end) and one comma next to it (after, else before).
void Delete(std::string* h, size_t begin, size_t end) {
  size_t after = end;
  while (after < h->size() && (*h)[after] == ' ') ++after;
  if (after < h->size() && (*h)[after] == ',') {
    h->erase(begin, after + 1 - begin);
    return;
  }
  size_t before = begin;
  while (before > 0 && (*h)[before - 1] == ' ') --before;
  if (before > 0 && (*h)[before - 1] == ',') begin = before - 1;
  h->erase(begin, end - begin);
}

// One token-level edit of `header`; false when there was nothing to edit.
bool MutateJson(std::mt19937_64& rng, std::string* header, uint64_t data_size) {
  const std::vector<Piece> tokens = Tokens(*header);
  if (tokens.empty()) return false;
  const Piece& p = tokens[rng() % tokens.size()];
  switch (rng() % 9) {
    case 0: {  // a number (or any value) becomes an interesting number
      header->replace(p.begin, p.value_end - p.begin,
                      Interesting(rng, p, data_size));
      return true;
    }
    case 1: {  // a string value becomes a dtype name
      if (p.type != TokenType::kString) return false;
      header->replace(p.begin, p.end - p.begin, DtypeString(rng));
      return true;
    }
    case 2: {  // a key becomes a schema key or another key of the file
      if (p.type != TokenType::kKey) return false;
      static const char* const kKeys[] = {
          "dtype", "shape", "data_offsets", "__metadata__", "__METADATA__", ""};
      std::string key = kKeys[rng() % (sizeof(kKeys) / sizeof(kKeys[0]))];
      if (rng() % 2) key = tokens[rng() % tokens.size()].text;
      header->replace(p.begin, p.end - p.begin, absl::StrCat("\"", key, "\""));
      return true;
    }
    case 3: {  // a value copied over another
      const Piece& q = tokens[rng() % tokens.size()];
      if (!IsValueStart(p) || !IsValueStart(q)) return false;
      const std::string text = header->substr(q.begin, q.value_end - q.begin);
      header->replace(p.begin, p.value_end - p.begin, text);
      return true;
    }
    case 4:    // a member or element duplicated
    case 5: {  // or deleted
      if (p.parent < 0 || p.type == TokenType::kEndObject ||
          p.type == TokenType::kEndArray) {
        return false;
      }
      size_t end = p.value_end;
      if (p.type == TokenType::kKey) {  // the member: key and its value
        const size_t i = &p - tokens.data();
        if (i + 1 >= tokens.size()) return false;
        end = tokens[i + 1].value_end;
      } else if (tokens[p.parent].type == TokenType::kBeginObject) {
        return false;  // a member's value alone
      }
      if (rng() % 2) {
        header->insert(end, "," + header->substr(p.begin, end - p.begin));
      } else {
        Delete(header, p.begin, end);
      }
      return true;
    }
    case 6: {  // a new tensor entry first in the top object
      if (tokens[0].type != TokenType::kBeginObject) return false;
      const uint64_t a = rng() % 2 ? 0 : data_size;
      const uint64_t n = rng() % 9;
      header->insert(
          1, absl::StrCat(
                 "\"t", rng() % 100, "\":{\"dtype\":", DtypeString(rng),
                 ",\"shape\":[", n, "],\"data_offsets\":[", a, ",",
                 a + n * (1 + rng() % 8), "]}",
                 tokens.size() > 1 && tokens[1].type != TokenType::kEndObject
                     ? ","
                     : ""));
      return true;
    }
    case 7: {  // whitespace: trailing padding, or inside
      static const char* const kSpace[] = {" ", "  ", "\t", "\n", "\r", "\x0c"};
      const std::string s =
          kSpace[rng() % (sizeof(kSpace) / sizeof(kSpace[0]))];
      if (rng() % 2) {
        header->append(std::string(1 + rng() % 8, ' '));
      } else {
        header->insert(rng() % 2 ? p.begin : p.end, s);
      }
      return true;
    }
    default: {  // digits or letters changed inside one token
      if (p.end - p.begin < 1) return false;
      const size_t at = p.begin + rng() % (p.end - p.begin);
      static const char kBytes[] = "0123456789-+.eE\"\\u{}[],:";
      (*header)[at] = kBytes[rng() % (sizeof(kBytes) - 1)];
      return true;
    }
  }
}

// The largest data_offsets end in the header, or 0.
uint64_t DataEnd(const std::string& header) {
  const std::vector<Piece> t = Tokens(header);
  uint64_t end = 0;
  for (size_t i = 0; i + 3 < t.size(); ++i) {
    if (t[i].type == TokenType::kKey && t[i].text == "data_offsets" &&
        t[i + 1].type == TokenType::kBeginArray && t[i + 3].is_uint) {
      end = std::max(end, t[i + 3].uint_value);
    }
  }
  return end;
}

}  // namespace
}  // namespace fuzz
}  // namespace safetensors

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  safetensors::fuzz::CheckHeaderProfiles(bytes);
  safetensors::fuzz::CheckFileViews(bytes);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned int seed) {
  using namespace safetensors::fuzz;  // NOLINT
  std::mt19937_64 rng(seed);
  // Split: header (as the length says, clamped), data (the rest).
  std::string header, body;
  if (size >= 8) {
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t{data[i]} << (8 * i);
    n = std::min<uint64_t>(n, size - 8);
    header.assign(reinterpret_cast<const char*>(data) + 8, n);
    body.assign(reinterpret_cast<const char*>(data) + 8 + n, size - 8 - n);
  } else {
    header = "{}";
  }
  const int edits = 1 + rng() % 3;
  for (int i = 0; i < edits; ++i) {
    if (rng() % 8 == 0 || !MutateJson(rng, &header, body.size())) {
      // Plain byte mutation of the header now and then, and when the JSON
      // has nothing to edit.
      const size_t cap = header.size() + 64;
      header.resize(cap);
      header.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(&header[0]),
                                     cap - 64, cap));
    }
  }
  // Usually make the data section exactly as long as the header claims.
  if (rng() % 4 != 0) {
    const uint64_t end = DataEnd(header);
    if (end <= (1u << 16)) {
      const size_t old = body.size();
      body.resize(end);
      for (size_t i = old; i < body.size(); ++i) body[i] = static_cast<char>(i);
    }
  } else if (rng() % 2 && !body.empty()) {
    body.resize(rng() % body.size());
  }
  if (8 + header.size() > max_size) return size;  // leave it as it was
  body.resize(std::min(body.size(), max_size - 8 - header.size()));
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) data[i] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(data + 8, header.data(), header.size());
  if (!body.empty())
    std::memcpy(data + 8 + header.size(), body.data(), body.size());
  return 8 + header.size() + body.size();
}
