// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// x86-64 kernels: SSSE3 (PSHUFB, 16 bytes), AVX2 (VPSHUFB, 32 bytes) and
// AVX-512BW (VPSHUFB, 64 bytes, masked tails). Each function is compiled for
// its instruction set with a target attribute, whatever the build's flags,
// and used only when the CPU reports that set (__builtin_cpu_supports).

#include "safetensors/internal/byteswap_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace safetensors {
namespace internal {

#if defined(__x86_64__)
namespace {

// The PSHUFB control that reverses each kUnit-byte group of 16 bytes.
template <int kUnit>
constexpr int8_t kShuffle[16] = {};
template <>
constexpr int8_t kShuffle<2>[16] = {1, 0, 3,  2,  5,  4,  7,  6,
                                    9, 8, 11, 10, 13, 12, 15, 14};
template <>
constexpr int8_t kShuffle<4>[16] = {3,  2,  1, 0, 7,  6,  5,  4,
                                    11, 10, 9, 8, 15, 14, 13, 12};
template <>
constexpr int8_t kShuffle<8>[16] = {7,  6,  5,  4,  3,  2,  1, 0,
                                    15, 14, 13, 12, 11, 10, 9, 8};

template <int kUnit>
__attribute__((target("ssse3"))) void Ssse3Swap(const uint8_t* src,
                                                uint8_t* dst, size_t bytes) {
  const __m128i m =
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(kShuffle<kUnit>));
  size_t i = 0;
  for (; i + 64 <= bytes; i += 64) {
    const auto* s = reinterpret_cast<const __m128i*>(src + i);
    auto* d = reinterpret_cast<__m128i*>(dst + i);
    const __m128i a = _mm_loadu_si128(s);
    const __m128i b = _mm_loadu_si128(s + 1);
    const __m128i c = _mm_loadu_si128(s + 2);
    const __m128i e = _mm_loadu_si128(s + 3);
    _mm_storeu_si128(d, _mm_shuffle_epi8(a, m));
    _mm_storeu_si128(d + 1, _mm_shuffle_epi8(b, m));
    _mm_storeu_si128(d + 2, _mm_shuffle_epi8(c, m));
    _mm_storeu_si128(d + 3, _mm_shuffle_epi8(e, m));
  }
  for (; i + 16 <= bytes; i += 16) {
    const __m128i a =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                     _mm_shuffle_epi8(a, m));
  }
  ScalarSwap<kUnit>(src + i, dst + i, bytes - i);
}

template <int kUnit>
__attribute__((target("avx2"))) void Avx2Swap(const uint8_t* src, uint8_t* dst,
                                              size_t bytes) {
  const __m256i m = _mm256_broadcastsi128_si256(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(kShuffle<kUnit>)));
  size_t i = 0;
  for (; i + 128 <= bytes; i += 128) {
    const auto* s = reinterpret_cast<const __m256i*>(src + i);
    auto* d = reinterpret_cast<__m256i*>(dst + i);
    const __m256i a = _mm256_loadu_si256(s);
    const __m256i b = _mm256_loadu_si256(s + 1);
    const __m256i c = _mm256_loadu_si256(s + 2);
    const __m256i e = _mm256_loadu_si256(s + 3);
    _mm256_storeu_si256(d, _mm256_shuffle_epi8(a, m));
    _mm256_storeu_si256(d + 1, _mm256_shuffle_epi8(b, m));
    _mm256_storeu_si256(d + 2, _mm256_shuffle_epi8(c, m));
    _mm256_storeu_si256(d + 3, _mm256_shuffle_epi8(e, m));
  }
  for (; i + 32 <= bytes; i += 32) {
    const __m256i a =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i),
                        _mm256_shuffle_epi8(a, m));
  }
  ScalarSwap<kUnit>(src + i, dst + i, bytes - i);
}

template <int kUnit>
__attribute__((target("avx512f,avx512bw"))) void Avx512Swap(const uint8_t* src,
                                                            uint8_t* dst,
                                                            size_t bytes) {
  // The zero-masked broadcast with every lane selected is the same
  // instruction; the plain one's header passes an "undefined" vector that
  // gcc 12 warns of (-Wuninitialized) wherever it is inlined.
  const __m512i m = _mm512_maskz_broadcast_i32x4(
      static_cast<__mmask16>(0xFFFF),
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(kShuffle<kUnit>)));
  size_t i = 0;
  for (; i + 256 <= bytes; i += 256) {
    const auto* s = src + i;
    auto* d = dst + i;
    const __m512i a = _mm512_loadu_si512(s);
    const __m512i b = _mm512_loadu_si512(s + 64);
    const __m512i c = _mm512_loadu_si512(s + 128);
    const __m512i e = _mm512_loadu_si512(s + 192);
    _mm512_storeu_si512(d, _mm512_shuffle_epi8(a, m));
    _mm512_storeu_si512(d + 64, _mm512_shuffle_epi8(b, m));
    _mm512_storeu_si512(d + 128, _mm512_shuffle_epi8(c, m));
    _mm512_storeu_si512(d + 192, _mm512_shuffle_epi8(e, m));
  }
  for (; i + 64 <= bytes; i += 64) {
    const __m512i a = _mm512_loadu_si512(src + i);
    _mm512_storeu_si512(dst + i, _mm512_shuffle_epi8(a, m));
  }
  if (i < bytes) {
    // The tail (< 64 bytes, whole elements): masked load and store.
    const __mmask64 k = (~uint64_t{0}) >> (64 - (bytes - i));
    const __m512i a = _mm512_maskz_loadu_epi8(k, src + i);
    _mm512_mask_storeu_epi8(dst + i, k, _mm512_shuffle_epi8(a, m));
  }
}

}  // namespace

bool GetX86Kernels(std::vector<Kernel>* kernels) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("ssse3")) {
    kernels->push_back(
        Kernel{"ssse3", Ssse3Swap<2>, Ssse3Swap<4>, Ssse3Swap<8>});
  }
  if (__builtin_cpu_supports("avx2")) {
    kernels->push_back(Kernel{"avx2", Avx2Swap<2>, Avx2Swap<4>, Avx2Swap<8>});
  }
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
    kernels->push_back(
        Kernel{"avx512", Avx512Swap<2>, Avx512Swap<4>, Avx512Swap<8>});
  }
  return true;
}

#else  // !__x86_64__

bool GetX86Kernels(std::vector<Kernel>*) { return false; }

#endif

}  // namespace internal
}  // namespace safetensors
