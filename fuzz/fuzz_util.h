// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// What every fuzz target shares: FUZZ_CHECK, which aborts on a broken
// invariant (the abort is the finding, with the condition and the line), and
// ByteReader, which takes typed values from the front of a fuzz input. A plain
// front-to-back reader rather than FuzzedDataProvider (which reads integers
// from the back and lives in clang's resource directory, not on gcc's path):
// fuzz/make_corpus.py writes seeds in exactly this encoding, and the targets
// build with any compiler.

#ifndef SAFETENSORS_FUZZ_FUZZ_UTIL_H_
#define SAFETENSORS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/string_view.h"

#define FUZZ_CHECK(cond)                                              \
  do {                                                                \
    if (!(cond)) {                                                    \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, \
                   __LINE__, #cond);                                  \
      std::abort();                                                   \
    }                                                                 \
  } while (0)

namespace safetensors {
namespace fuzz {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // One byte, or 0 when the input is used up.
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool Bool() { return Byte() & 1; }
  // Little-endian, zero-filled past the end.
  uint64_t U64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{Byte()} << (8 * i);
    return v;
  }
  // A tag byte: below 0xF0 it is the value modulo `small_mod`; from 0xF0 an
  // 8-byte little-endian value follows (so huge values are reachable, small
  // ones cheap).
  uint64_t SmallOrBig(uint64_t small_mod) {
    const uint8_t tag = Byte();
    if (tag >= 0xF0) return U64();
    return tag % small_mod;
  }
  // Everything not read yet.
  absl::string_view Rest() {
    absl::string_view r(reinterpret_cast<const char*>(data_) + pos_,
                        size_ - pos_);
    pos_ = size_;
    return r;
  }
  size_t remaining() const { return size_ - pos_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace fuzz
}  // namespace safetensors

#endif  // SAFETENSORS_FUZZ_FUZZ_UTIL_H_
