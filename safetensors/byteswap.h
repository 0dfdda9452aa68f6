// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Byte-order kernels. The format stores every element little-endian; a
// big-endian host must reverse each element's bytes (docs/specification.md
// §12): units of 2 (I16, U16, F16, BF16), 4 (I32, U32, F32, and each half of
// C64) or 8 (F64, I64, U64); 1-byte and sub-byte dtypes are never swapped. One
// entry point, SwapCopy, serves every case: unit 1 is a plain copy (memcpy).
//
// Kernels: a scalar reference; on x86-64 SSSE3, AVX2 and AVX-512BW chosen at
// run time from what the CPU reports (never from the build's flags); a
// portable vector kernel (GCC/Clang vector extensions) that becomes NEON on
// aarch64 and z13 vector instructions on s390x, used there when the CPU has
// the vector facility. Any length, any alignment of either pointer; source
// and destination either do not overlap or are the same (in place).
// Thread-safe: the kernel is chosen once, on first use.

#ifndef SAFETENSORS_BYTESWAP_H_
#define SAFETENSORS_BYTESWAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"

namespace safetensors {

// True when this host stores integers big-endian (s390x, big-endian POWER).
inline constexpr bool kHostIsBigEndian =
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    true;
#else
    false;
#endif

// Reverses the bytes of each `unit`-byte element of src[0, bytes) into dst:
// unit 1 copies, 2/4/8 swap. dst may equal src (in place) but may not
// otherwise overlap it. REQUIRES: unit is 1, 2, 4 or 8; bytes % unit == 0.
// Cost: about that of memcpy of `bytes` (see bench/README.md).
void SwapCopy(int unit, const void* src, void* dst, size_t bytes);

// SwapCopy(unit, data, data, bytes).
inline void SwapInPlace(int unit, void* data, size_t bytes) {
  SwapCopy(unit, data, data, bytes);
}

// Copies elements of `dtype` between the file's byte order (little-endian)
// and the host's: a plain copy on a little-endian host, a swapping copy with
// DtypeSwapUnit(dtype) on a big-endian one. The same operation serves both
// directions. REQUIRES: dst.size() == src.size(), a whole number of
// elements; dst and src are equal or disjoint.
void CopyLittleEndianToHost(Dtype dtype, absl::Span<const uint8_t> src,
                            absl::Span<uint8_t> dst);
inline void CopyHostToLittleEndian(Dtype dtype, absl::Span<const uint8_t> src,
                                   absl::Span<uint8_t> dst) {
  CopyLittleEndianToHost(dtype, src, dst);
}

}  // namespace safetensors

#endif  // SAFETENSORS_BYTESWAP_H_
