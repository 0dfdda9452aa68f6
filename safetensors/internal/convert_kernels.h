// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the arithmetic behind convert.h. The per-element functions below
// are branch-free where it matters (BF16 and F16, so that loops over them can
// vectorize) and work on the bit patterns of host floats; the loads and
// stores read and write the file's little-endian bytes on any host. The
// semantics of every function are written down in docs/conversion.md.
//
// The span kernels (BF16/F16 <-> F32) come in families, one .cc file each:
// "portable" (loops over the functions below, any host) and, on x86-64,
// "avx2" (AVX2 + F16C, used only when the CPU reports both). Every kernel
// gives the same bits as the functions below for every input.

#ifndef SAFETENSORS_INTERNAL_CONVERT_KERNELS_H_
#define SAFETENSORS_INTERNAL_CONVERT_KERNELS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {

inline constexpr bool kConvertHostIsBigEndian =
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    true;
#else
    false;
#endif

// (__builtin_memcpy throughout: these inline into kernels compiled for
// another target, where a fortified memcpy cannot.)
inline uint32_t FloatBits(float f) {
  uint32_t b;
  __builtin_memcpy(&b, &f, 4);
  return b;
}
inline float BitsFloat(uint32_t b) {
  float f;
  __builtin_memcpy(&f, &b, 4);
  return f;
}

inline uint16_t LoadLe16(const uint8_t* p) {
  uint16_t v;
  __builtin_memcpy(&v, p, 2);
  return kConvertHostIsBigEndian ? __builtin_bswap16(v) : v;
}
inline uint32_t LoadLe32(const uint8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return kConvertHostIsBigEndian ? __builtin_bswap32(v) : v;
}
inline uint64_t LoadLe64(const uint8_t* p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8);
  return kConvertHostIsBigEndian ? __builtin_bswap64(v) : v;
}
inline void StoreLe16(uint8_t* p, uint16_t v) {
  if (kConvertHostIsBigEndian) v = __builtin_bswap16(v);
  __builtin_memcpy(p, &v, 2);
}
inline void StoreLe64(uint8_t* p, uint64_t v) {
  if (kConvertHostIsBigEndian) v = __builtin_bswap64(v);
  __builtin_memcpy(p, &v, 8);
}

// BF16 is the upper half of an F32: widening is exact for every code, NaN
// payloads (signalling ones too) included.
inline uint32_t Bf16ToF32Bits(uint16_t h) { return uint32_t{h} << 16; }

// F32 -> BF16, round to nearest, ties to even; overflow rounds to infinity
// as in IEEE 754. A NaN keeps its sign and the upper 7 bits of its payload
// and is made quiet (bit 6 set), so it stays a NaN.
inline uint16_t F32BitsToBf16(uint32_t b) {
  const uint32_t rounded = (b + 0x7FFFu + ((b >> 16) & 1u)) >> 16;
  const uint32_t quiet_nan = (b >> 16) | 0x0040u;
  return static_cast<uint16_t>((b & 0x7FFFFFFFu) > 0x7F800000u ? quiet_nan
                                                               : rounded);
}

// F16 -> F32, exact. A NaN keeps its sign and payload and is made quiet
// (bit 22 set), as the F16C instruction VCVTPH2PS does.
inline uint32_t F16ToF32Bits(uint16_t h) {
  const uint32_t sign = (uint32_t{h} & 0x8000u) << 16;
  const uint32_t em = uint32_t{h} & 0x7FFFu;
  // Normal: move exponent and mantissa up and rebias the exponent (15->127).
  const uint32_t normal = (em << 13) + (uint32_t{127 - 15} << 23);
  // Infinity and NaN: all-ones exponent, mantissa kept.
  const uint32_t special =
      (em << 13) | 0x7F800000u | (em > 0x7C00u ? 0x00400000u : 0u);
  // Zero and subnormal: the mantissa times 2^-24, exact in float.
  const uint32_t sub =
      FloatBits(static_cast<float>(static_cast<int32_t>(em)) * 0x1p-24f);
  const uint32_t r = em >= 0x7C00u ? special : (em < 0x0400u ? sub : normal);
  return sign | r;
}

// F32 -> F16, round to nearest, ties to even; |x| >= 65520 (the midpoint
// above the largest finite 65504) becomes infinity. A NaN keeps its sign and
// the upper 10 bits of its payload and is made quiet (bit 9 set), as the F16C
// instruction VCVTPS2PH does.
inline uint16_t F32BitsToF16(uint32_t b) {
  const uint32_t sign = (b >> 16) & 0x8000u;
  const uint32_t a = b & 0x7FFFFFFFu;
  // Normal results: rebias, then round the 13 dropped bits to even. (For
  // a below the normal range this wraps; the value is not selected.)
  const uint32_t normal =
      (a - (uint32_t{127 - 15} << 23) + 0x0FFFu + ((a >> 13) & 1u)) >> 13;
  // Subnormal results (|x| < 2^-14): adding 0.5, whose unit in the last
  // place is 2^-24 (the F16 subnormal step), rounds |x| to a whole number of
  // steps in the FPU's round-to-nearest-even mode; the low bits of the sum
  // are that number (1024 when it rounds up to the smallest normal, 0x0400).
  const uint32_t sub = FloatBits(BitsFloat(a) + 0.5f) - 0x3F000000u;
  const uint32_t nan = 0x7E00u | ((a >> 13) & 0x03FFu);
  uint32_t r = a < 0x38800000u ? sub : normal;
  r = a >= 0x477FF000u ? 0x7C00u : r;
  r = a > 0x7F800000u ? nan : r;
  return static_cast<uint16_t>(sign | r);
}

// The three signed F8 families.
enum class F8Kind {
  kIeee,  // E5M2: infinities (exponent all ones, mantissa 0) and NaNs
  kFn,    // E4M3 ("FN"): no infinity; NaN is S.1111.111
  kFnuz,  // E4M3FNUZ, E5M2FNUZ: no infinity, no -0; NaN is 0x80 only
};

// A signed F8 code -> F32 bits, exact. NaN codes give the default quiet
// NaN with the code's sign bit.
template <int kMantissaBits, int kBias, F8Kind kKind>
inline uint32_t F8ToF32Bits(uint8_t c) {
  const uint32_t sign = uint32_t{c & 0x80u} << 24;
  const uint32_t mag = c & 0x7Fu;
  constexpr uint32_t kQuietNan = 0x7FC00000u;
  constexpr uint32_t kExpAllOnes = ((1u << (7 - kMantissaBits)) - 1)
                                   << kMantissaBits;
  if (kKind == F8Kind::kFnuz && c == 0x80) return sign | kQuietNan;
  if (kKind == F8Kind::kFn && mag == 0x7F) return sign | kQuietNan;
  if (kKind == F8Kind::kIeee && mag >= kExpAllOnes) {
    return sign | (mag == kExpAllOnes ? 0x7F800000u : kQuietNan);
  }
  const uint32_t e = mag >> kMantissaBits;
  const uint32_t m = mag & ((1u << kMantissaBits) - 1);
  if (e != 0) {
    return sign | ((e + 127 - kBias) << 23) | (m << (23 - kMantissaBits));
  }
  // Subnormal: m x 2^(1 - bias - mantissa bits), exact in float.
  constexpr uint32_t kStep = uint32_t{127 + 1 - kBias - kMantissaBits} << 23;
  return sign | FloatBits(static_cast<float>(m) * BitsFloat(kStep));
}

// F32 bits -> a signed F8 code, round to nearest, ties to even. Results
// beyond the largest finite value become infinity (kIeee) or NaN (kFn,
// kFnuz); infinities likewise. NaN becomes the type's NaN (sign kept where
// the type has a sign for NaN). kFnuz turns a result of -0 into +0.
template <int kMantissaBits, int kBias, F8Kind kKind>
inline uint8_t F32BitsToF8(uint32_t b) {
  const uint32_t sign = (b >> 24) & 0x80u;
  const uint32_t a = b & 0x7FFFFFFFu;
  constexpr bool kFnuz = kKind == F8Kind::kFnuz;
  constexpr uint32_t kNanCode =
      kKind == F8Kind::kIeee ? 0x7E : (kKind == F8Kind::kFn ? 0x7F : 0x80);
  constexpr uint32_t kMaxCode =
      kKind == F8Kind::kIeee
          ? (((1u << (7 - kMantissaBits)) - 1) << kMantissaBits) - 1
          : (kKind == F8Kind::kFn ? 0x7E : 0x7F);
  // What a value too large to round to kMaxCode becomes.
  constexpr uint32_t kOverflowCode =
      kKind == F8Kind::kIeee ? kMaxCode + 1 : kNanCode;
  if (a > 0x7F800000u)
    return static_cast<uint8_t>(kFnuz ? 0x80 : sign | kNanCode);
  if (a == 0x7F800000u) {
    return static_cast<uint8_t>(kFnuz ? 0x80 : sign | kOverflowCode);
  }
  constexpr int kShift = 23 - kMantissaBits;
  constexpr uint32_t kMinNormal = uint32_t{127 + 1 - kBias} << 23;
  uint32_t code;
  if (a >= kMinNormal) {
    const uint32_t rebased = a - (uint32_t{127 - kBias} << 23);
    code =
        (rebased + ((1u << (kShift - 1)) - 1) + ((a >> kShift) & 1u)) >> kShift;
  } else {
    // As in F32BitsToF16: a float whose last-place unit is the F8
    // subnormal step, 2^(1 - bias - mantissa bits), rounds |x| to steps.
    constexpr uint32_t kMagic = uint32_t{127 + 1 - kBias - kMantissaBits + 23}
                                << 23;
    code = FloatBits(BitsFloat(a) + BitsFloat(kMagic)) - kMagic;
  }
  if (code > kMaxCode) {
    return static_cast<uint8_t>(kFnuz ? 0x80 : sign | kOverflowCode);
  }
  if (kFnuz && code == 0) return 0;
  return static_cast<uint8_t>(sign | code);
}

// F8_E8M0 (unsigned, exponent only, bias 127): 0x00 is 2^-127, 0xFE is
// 2^127, 0xFF is NaN.
inline uint32_t E8M0ToF32Bits(uint8_t c) {
  if (c == 0xFF) return 0x7FC00000u;
  if (c == 0x00) return 0x00400000u;  // 2^-127, a float subnormal
  return uint32_t{c} << 23;
}

// F32 bits -> F8_E8M0: the nearest power of two, a tie (1.5 x 2^k) going
// up; below 2^-127 gives 0x00 (the smallest value; there is no zero). NaN,
// infinities, zero of either sign, negative values and results above 2^127
// give NaN (0xFF).
inline uint8_t F32BitsToE8M0(uint32_t b) {
  // b - 1 wraps +0 to the top; everything with the sign bit set, and +inf
  // and NaN, is at or above 0x7F800000.
  if (b - 1u >= 0x7F7FFFFFu) return 0xFF;
  const uint32_t e = b >> 23;
  if (e == 0) return b >= 0x00600000u ? 1 : 0;  // 1.5 x 2^-127 and up
  const uint32_t code = e + ((b >> 22) & 1u);   // mantissa >= 0.5 goes up
  return static_cast<uint8_t>(code > 0xFE ? 0xFF : code);
}

// The five F8 types by name.
inline uint32_t F8E4M3ToF32Bits(uint8_t c) {
  return F8ToF32Bits<3, 7, F8Kind::kFn>(c);
}
inline uint32_t F8E5M2ToF32Bits(uint8_t c) {
  return F8ToF32Bits<2, 15, F8Kind::kIeee>(c);
}
inline uint32_t F8E4M3FnuzToF32Bits(uint8_t c) {
  return F8ToF32Bits<3, 8, F8Kind::kFnuz>(c);
}
inline uint32_t F8E5M2FnuzToF32Bits(uint8_t c) {
  return F8ToF32Bits<2, 16, F8Kind::kFnuz>(c);
}
inline uint8_t F32BitsToF8E4M3(uint32_t b) {
  return F32BitsToF8<3, 7, F8Kind::kFn>(b);
}
inline uint8_t F32BitsToF8E5M2(uint32_t b) {
  return F32BitsToF8<2, 15, F8Kind::kIeee>(b);
}
inline uint8_t F32BitsToF8E4M3Fnuz(uint32_t b) {
  return F32BitsToF8<3, 8, F8Kind::kFnuz>(b);
}
inline uint8_t F32BitsToF8E5M2Fnuz(uint32_t b) {
  return F32BitsToF8<2, 16, F8Kind::kFnuz>(b);
}

// The span kernels: n elements, any alignment; the 16-bit side is the
// file's little-endian bytes (2n of them). Source and destination do not
// overlap.
using WidenFn = void (*)(const uint8_t* src, float* dst, size_t n);
using NarrowFn = void (*)(const float* src, uint8_t* dst, size_t n);

struct ConvertKernel {
  absl::string_view name;  // "portable", "avx2"
  WidenFn bf16_to_f32;
  WidenFn f16_to_f32;
  NarrowFn f32_to_bf16;
  NarrowFn f32_to_f16;
};

// Every kernel usable on this CPU: portable first, then avx2 where the CPU
// has AVX2 and F16C. The active one is avx2 where present, otherwise
// portable, unless the environment variable SAFETENSORS_CONVERT_KERNEL
// names another. Thread-safe; chosen once, on first use.
const std::vector<ConvertKernel>& AvailableConvertKernels();
const ConvertKernel& ActiveConvertKernel();

ConvertKernel PortableConvertKernel();
bool GetX86ConvertKernel(ConvertKernel* kernel);

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_CONVERT_KERNELS_H_
