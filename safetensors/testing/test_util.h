// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Test-only helpers that build safetensors files as bytes, and small text
// helpers for test tables.

#ifndef SAFETENSORS_TESTING_TEST_UTIL_H_
#define SAFETENSORS_TESTING_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace test {

// The 8-byte little-endian encoding of `n`.
inline std::string LengthPrefix(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return out;
}

// A file: N = header.size(), then the header, then `data`.
inline std::string MakeFile(const std::string& header,
                            const std::string& data = std::string()) {
  return LengthPrefix(header.size()) + header + data;
}

// A file whose length field says `n` whatever the header's real size.
inline std::string MakeFileWithN(uint64_t n, const std::string& header,
                                 const std::string& data = std::string()) {
  return LengthPrefix(n) + header + data;
}

// `s` repeated `n` times.
inline std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

// The bytes of `s` as space-separated lowercase hex pairs, for failure
// messages of texts with raw bytes.
inline std::string Hex(absl::string_view s) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace test
}  // namespace safetensors

#endif  // SAFETENSORS_TESTING_TEST_UTIL_H_
