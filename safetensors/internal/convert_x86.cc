// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The x86-64 kernel: AVX2 for BF16 (integer shifts, and the same rounding
// as F32BitsToBf16 in eight lanes), F16C for F16 (VCVTPH2PS, and VCVTPS2PH
// with round-to-nearest-even). Compiled for those instruction sets with a
// target attribute, whatever the build's flags, and used only when the CPU
// reports both (__builtin_cpu_supports). Tails go through the scalar
// functions, which give the same bits.

#include "safetensors/internal/convert_kernels.h"

#if defined(__x86_64__)
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

SAFETENSORS_AVX2_F16C void Avx2F32ToBf16(const float* src, uint8_t* dst,
                                         size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i a = Bf16Lanes(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i)));
    const __m256i b = Bf16Lanes(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 8)));
    // Every lane is in [0, 0xFFFF], so the saturating pack is exact; it
    // interleaves 128-bit halves (a0 b0 a1 b1), which the permute undoes.
    const __m256i packed =
        _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), 0xD8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 2 * i), packed);
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

}  // namespace

bool GetX86ConvertKernel(ConvertKernel* kernel) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("f16c")) {
    return false;
  }
  *kernel = ConvertKernel{"avx2", Avx2Bf16ToF32, Avx2F16ToF32, Avx2F32ToBf16,
                          Avx2F32ToF16};
  return true;
}

#else

bool GetX86ConvertKernel(ConvertKernel*) { return false; }

#endif

}  // namespace internal
}  // namespace safetensors
