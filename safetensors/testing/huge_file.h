// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// A sparse safetensors file whose data section is 2^40 bytes, for tests of
// 64-bit sizes and offsets: "small" U8[16] at 0, "four_gib" U8[2^32],
// "above4g" U8[16] at an offset above 2^32, "gap" U8[...], and "tail"
// U8[4,16] ending at 2^40. "above4g" and "tail" hold real bytes (above_bytes,
// tail_bytes); everything else is a hole, so the file takes a few blocks.

#ifndef SAFETENSORS_TESTING_HUGE_FILE_H_
#define SAFETENSORS_TESTING_HUGE_FILE_H_

#include <cstdint>
#include <string>

namespace safetensors {
namespace test {

struct HugeSparseFile {
  static constexpr uint64_t kFourGiB = uint64_t{1} << 32;
  static constexpr uint64_t kDataSize = uint64_t{1} << 40;
  static constexpr uint64_t kAbove = 16 + kFourGiB;  // "above4g" begins here
  static constexpr uint64_t kTail = kDataSize - 64;  // "tail" begins here

  std::string path;
  uint64_t header_size = 0;  // N
  std::string above_bytes;   // "above4g"'s 16 bytes: 0xA0..0xAF
  std::string tail_bytes;    // "tail"'s 64 bytes: 0..63
};

// Writes the file at `path`. Fails the current test (and returns a result
// with an empty path) when the file system cannot hold a sparse file of
// 2^40 bytes.
HugeSparseFile WriteHugeSparseFile(const std::string& path);

}  // namespace test
}  // namespace safetensors

#endif  // SAFETENSORS_TESTING_HUGE_FILE_H_
