// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The 22 element types of the safetensors format (docs/specification.md §8):
// their header names, bit widths, byte-swap units, the writer's rank order, and
// the byte size of a tensor of a given shape. Values of Dtype are in the
// reference's rank order (its enum declaration order), which the writer sorts
// by; do not reorder them. Pure functions; thread-safe.

#ifndef SAFETENSORS_DTYPE_H_
#define SAFETENSORS_DTYPE_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace safetensors {

enum class Dtype : uint8_t {
  kBool = 0,
  kF4 = 1,
  kF6E2M3 = 2,
  kF6E3M2 = 3,
  kU8 = 4,
  kI8 = 5,
  kF8E5M2 = 6,
  kF8E4M3 = 7,
  kF8E8M0 = 8,
  kF8E4M3Fnuz = 9,
  kF8E5M2Fnuz = 10,
  kI16 = 11,
  kU16 = 12,
  kF16 = 13,
  kBF16 = 14,
  kI32 = 15,
  kU32 = 16,
  kF32 = 17,
  kC64 = 18,
  kF64 = 19,
  kI64 = 20,
  kU64 = 21,
};

inline constexpr int kNumDtypes = 22;

// Every dtype, in rank order (kBool first).
absl::Span<const Dtype> AllDtypes();

// The header name, exactly as the format spells it: "BOOL", "F8_E4M3", ...
absl::string_view DtypeName(Dtype dtype);

// The dtype whose header name is exactly `name`: case-sensitive, no trimming,
// no aliases ("F8_E4M3FN", "bool", "BF16 " are all nullopt).
// Cost: at most a few comparisons; no allocation.
std::optional<Dtype> DtypeFromName(absl::string_view name);

// The reference's rank: 0 for BOOL up to 21 for U64. The writer orders tensors
// by rank descending.
inline constexpr int DtypeRank(Dtype dtype) { return static_cast<int>(dtype); }

// Bits per element: 4 (F4), 6 (F6_*), 8, 16, 32 or 64.
int DtypeBits(Dtype dtype);

// The unit in bytes whose order a big-endian host must reverse
// (docs/specification.md §12): 1 for 8-bit and sub-byte types (nothing to
// swap), 2, 4 (also C64, whose two float halves are swapped separately) or 8.
int DtypeSwapUnit(Dtype dtype);

// The number of elements of `shape`: the product of its dimensions, taken
// left to right from 1 (so a scalar, shape {}, has one element).
// Errors: ValidationOverflow when a partial product exceeds 2^64-1 (left to
// right: {2^64-1, 2, 0} overflows before it reaches the 0).
absl::StatusOr<uint64_t> ElementCount(absl::Span<const uint64_t> shape);

// The byte size of a tensor of `dtype` and `shape`, computed exactly as the
// reference validates it: elements (ElementCount), then bits = elements x
// DtypeBits in 64 bits, then bytes = bits / 8.
// Errors: ValidationOverflow (element count or bit count over 2^64-1);
// MisalignedSlice (bit count not a multiple of 8: an odd number of F4
// elements, an F6 count that is not a multiple of 4, any sub-byte scalar).
absl::StatusOr<uint64_t> TensorByteSize(Dtype dtype,
                                        absl::Span<const uint64_t> shape);

}  // namespace safetensors

#endif  // SAFETENSORS_DTYPE_H_
