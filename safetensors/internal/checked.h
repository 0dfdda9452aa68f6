// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Checked 64-bit unsigned arithmetic: the one place where sizes, products and
// offsets are combined. Every size computation in the library goes through
// these, never through a bare `+` or `*`. Pure functions; thread-safe.

#ifndef SAFETENSORS_INTERNAL_CHECKED_H_
#define SAFETENSORS_INTERNAL_CHECKED_H_

#include <cstdint>

namespace safetensors {

// Sets *out = a + b and returns true, or returns false (and leaves *out
// unspecified) when the sum does not fit in 64 bits.
[[nodiscard]] inline bool CheckedAdd(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

// Sets *out = a * b and returns true, or returns false (and leaves *out
// unspecified) when the product does not fit in 64 bits.
[[nodiscard]] inline bool CheckedMul(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

// True when [offset, offset + length) lies inside a buffer of `size` bytes,
// written so that nothing can overflow: length <= size && offset <= size -
// length.
[[nodiscard]] inline constexpr bool RangeInside(uint64_t offset,
                                                uint64_t length,
                                                uint64_t size) {
  return length <= size && offset <= size - length;
}

}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_CHECKED_H_
