// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier:
// Apache-2.0
//
// Test-only helpers that build safetensors files as bytes.

#ifndef SAFETENSORS_TEST_UTIL_H_
#define SAFETENSORS_TEST_UTIL_H_

#include <cstdint>
#include <string>

namespace safetensors {
namespace testing {

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

}  // namespace testing
}  // namespace safetensors

#endif  // SAFETENSORS_TEST_UTIL_H_
