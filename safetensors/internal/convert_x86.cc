// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The x86-64 kernel: AVX2 for BF16 (a shift to widen; to narrow, the
// rounding of F32BitsToBf16 done in 16-bit lanes, with a 32-bit-lane path
// for steps that hold a NaN), F16C for F16 (VCVTPH2PS, and VCVTPS2PH with
// round-to-nearest-even). Compiled for those instruction sets with a
// target attribute, whatever the build's flags, and used only when the CPU
// reports both (__builtin_cpu_supports). Tails go through the scalar
// functions, which give the same bits.

#include "safetensors/internal/convert_kernels.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace safetensors {
namespace internal {

#if defined(__x86_64__)
namespace {

#define SAFETENSORS_AVX2_F16C __attribute__((target("avx2,f16c")))

SAFETENSORS_AVX2_F16C void Avx2Bf16ToF32(const uint8_t* src, float* dst,
                                         size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i a = _mm256_cvtepu16_epi32(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 2 * i)));
    const __m256i b = _mm256_cvtepu16_epi32(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 2 * i + 16)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i),
                        _mm256_slli_epi32(a, 16));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i + 8),
                        _mm256_slli_epi32(b, 16));
  }
  for (; i < n; ++i) {
    const uint32_t b = Bf16ToF32Bits(LoadLe16(src + 2 * i));
    __builtin_memcpy(dst + i, &b, 4);
  }
}

SAFETENSORS_AVX2_F16C void Avx2F16ToF32(const uint8_t* src, float* dst,
                                        size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256 a = _mm256_cvtph_ps(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 2 * i)));
    const __m256 b = _mm256_cvtph_ps(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 2 * i + 16)));
    _mm256_storeu_ps(dst + i, a);
    _mm256_storeu_ps(dst + i + 8, b);
  }
  for (; i < n; ++i) {
    const uint32_t b = F16ToF32Bits(LoadLe16(src + 2 * i));
    __builtin_memcpy(dst + i, &b, 4);
  }
}

// Eight lanes of F32BitsToBf16, each result in the low half of its lane.
SAFETENSORS_AVX2_F16C inline __m256i Bf16Lanes(__m256i b) {
  const __m256i upper = _mm256_srli_epi32(b, 16);
  const __m256i lsb = _mm256_and_si256(upper, _mm256_set1_epi32(1));
  const __m256i rounded = _mm256_srli_epi32(
      _mm256_add_epi32(_mm256_add_epi32(b, _mm256_set1_epi32(0x7FFF)), lsb),
      16);
  const __m256i quiet_nan = _mm256_or_si256(upper, _mm256_set1_epi32(0x0040));
  // |b| > infinity as signed integers (both sides are non-negative).
  const __m256i is_nan =
      _mm256_cmpgt_epi32(_mm256_and_si256(b, _mm256_set1_epi32(0x7FFFFFFF)),
                         _mm256_set1_epi32(0x7F800000));
  return _mm256_blendv_epi8(rounded, quiet_nan, is_nan);
}

// Sixteen floats a, b without NaN to sixteen BF16 in order, given a as
// elements 0-3 | 8-11 and b as 4-7 | 12-15 (see LoadSplit), so that the
// in-lane shuffles below leave every result where it belongs and no
// cross-lane permute is needed. Each float is split into its upper and
// lower 16 bits and rounded in 16-bit lanes, up when the dropped half with
// the kept half's low bit ORed in is over 0x8000 (over half, or exactly
// half with an odd kept half).
SAFETENSORS_AVX2_F16C inline __m256i FiniteBf16x16(__m256 fa, __m256 fb) {
  // Per 128-bit lane: the low halves of the four floats, then the high ones.
  const __m256i split =
      _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15,  //
                       0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15);
  const __m256i sa = _mm256_shuffle_epi8(_mm256_castps_si256(fa), split);
  const __m256i sb = _mm256_shuffle_epi8(_mm256_castps_si256(fb), split);
  const __m256i lo = _mm256_unpacklo_epi64(sa, sb);
  const __m256i hi = _mm256_unpackhi_epi64(sa, sb);
  // (lo | lsb) > 0x8000 unsigned, as a signed compare after flipping bit 15;
  // the mask is -1 where the kept half goes up by one (a carry into the
  // exponent is right: it reaches the next binade, or infinity).
  const __m256i t = _mm256_xor_si256(
      _mm256_or_si256(lo, _mm256_and_si256(hi, _mm256_set1_epi16(1))),
      _mm256_set1_epi16(static_cast<int16_t>(0x8000)));
  return _mm256_sub_epi16(hi, _mm256_cmpgt_epi16(t, _mm256_setzero_si256()));
}

// The same for any sixteen floats, NaN included, through the 32-bit lanes
// of Bf16Lanes. Every lane is in [0, 0xFFFF], so the saturating pack is
// exact, and it interleaves the 128-bit lanes of a and b the same way.
SAFETENSORS_AVX2_F16C inline __m256i AnyBf16x16(__m256 fa, __m256 fb) {
  return _mm256_packus_epi32(Bf16Lanes(_mm256_castps_si256(fa)),
                             Bf16Lanes(_mm256_castps_si256(fb)));
}

// Floats p[0..4) in the low 128-bit lane and p[8..12) in the high one: two
// 16-byte loads, the second inserted from memory. Loading the split this way
// costs about what two 32-byte loads do and saves the cross-lane permute
// per sixteen results that the shuffle ports would otherwise run (about 10%
// at 1 MiB in bench/convert_bench).
SAFETENSORS_AVX2_F16C inline __m256 LoadSplit(const float* p) {
  return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(p)),
                              _mm_loadu_ps(p + 8), 1);
}

SAFETENSORS_AVX2_F16C inline void StoreBf16x16(uint8_t* dst, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), v);
}

// Thirty-two elements per step; a step with no NaN (the common case, one
// test for all 32) takes FiniteBf16x16, any other AnyBf16x16.
SAFETENSORS_AVX2_F16C void Avx2F32ToBf16(const float* src, uint8_t* dst,
                                         size_t n) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 fa = LoadSplit(src + i);
    const __m256 fb = LoadSplit(src + i + 4);
    const __m256 fc = LoadSplit(src + i + 16);
    const __m256 fd = LoadSplit(src + i + 20);
    const __m256 unordered = _mm256_or_ps(_mm256_cmp_ps(fa, fb, _CMP_UNORD_Q),
                                          _mm256_cmp_ps(fc, fd, _CMP_UNORD_Q));
    if (_mm256_movemask_ps(unordered) == 0) {
      StoreBf16x16(dst + 2 * i, FiniteBf16x16(fa, fb));
      StoreBf16x16(dst + 2 * i + 32, FiniteBf16x16(fc, fd));
    } else {
      StoreBf16x16(dst + 2 * i, AnyBf16x16(fa, fb));
      StoreBf16x16(dst + 2 * i + 32, AnyBf16x16(fc, fd));
    }
  }
  for (; i + 16 <= n; i += 16) {
    StoreBf16x16(dst + 2 * i,
                 AnyBf16x16(LoadSplit(src + i), LoadSplit(src + i + 4)));
  }
  for (; i < n; ++i) {
    uint32_t b;
    __builtin_memcpy(&b, src + i, 4);
    StoreLe16(dst + 2 * i, F32BitsToBf16(b));
  }
}

SAFETENSORS_AVX2_F16C void Avx2F32ToF16(const float* src, uint8_t* dst,
                                        size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i a =
        _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
    const __m128i b = _mm256_cvtps_ph(_mm256_loadu_ps(src + i + 8),
                                      _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 2 * i), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 2 * i + 16), b);
  }
  for (; i < n; ++i) {
    uint32_t b;
    __builtin_memcpy(&b, src + i, 4);
    StoreLe16(dst + 2 * i, F32BitsToF16(b));
  }
}

// F16C, from CPUID leaf 1 (ECX bit 29): clang 14's __builtin_cpu_supports
// does not know "f16c". Asked only after AVX2, which implies the OS saves
// the YMM registers.
bool HasF16c() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (ecx & (1u << 29)) != 0;
}

}  // namespace

bool GetX86ConvertKernel(ConvertKernel* kernel) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !HasF16c()) return false;
  *kernel = ConvertKernel{"avx2", Avx2Bf16ToF32, Avx2F16ToF32, Avx2F32ToBf16,
                          Avx2F32ToF16};
  return true;
}

#else

bool GetX86ConvertKernel(ConvertKernel*) { return false; }

#endif

}  // namespace internal
}  // namespace safetensors
