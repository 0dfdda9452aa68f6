// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The portable vector kernel: 16-byte GCC/Clang vector extensions, which the
// compiler turns into NEON on aarch64 and into VPERM on s390x. On s390x the
// vector facility (z13) is not in the Debian baseline, so these functions
// are compiled for arch=z13 and used only when the kernel reports the
// facility (HWCAP_S390_VX).

#include <cstring>

#include "safetensors/internal/byteswap_kernels.h"

#if defined(__s390x__)
#include <sys/auxv.h>
#define SAFETENSORS_VECTOR_TARGET __attribute__((target("arch=z13")))
#else
#define SAFETENSORS_VECTOR_TARGET
#endif

namespace safetensors {
namespace internal {
namespace {

typedef uint8_t V16 __attribute__((vector_size(16)));

template <int kUnit>
SAFETENSORS_VECTOR_TARGET inline V16 Reverse(V16 v) {
#if defined(__clang__)
  if constexpr (kUnit == 2) {
    return __builtin_shufflevector(v, v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10,
                                   13, 12, 15, 14);
  } else if constexpr (kUnit == 4) {
    return __builtin_shufflevector(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8,
                                   15, 14, 13, 12);
  } else {
    return __builtin_shufflevector(v, v, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12,
                                   11, 10, 9, 8);
  }
#else
  if constexpr (kUnit == 2) {
    const V16 m = {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14};
    return __builtin_shuffle(v, m);
  } else if constexpr (kUnit == 4) {
    const V16 m = {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};
    return __builtin_shuffle(v, m);
  } else {
    const V16 m = {7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8};
    return __builtin_shuffle(v, m);
  }
#endif
}

template <int kUnit>
SAFETENSORS_VECTOR_TARGET void PortableSwap(const uint8_t* src, uint8_t* dst,
                                            size_t bytes) {
  size_t i = 0;
  for (; i + 64 <= bytes; i += 64) {
    V16 a, b, c, d;
    __builtin_memcpy(&a, src + i, 16);
    __builtin_memcpy(&b, src + i + 16, 16);
    __builtin_memcpy(&c, src + i + 32, 16);
    __builtin_memcpy(&d, src + i + 48, 16);
    a = Reverse<kUnit>(a);
    b = Reverse<kUnit>(b);
    c = Reverse<kUnit>(c);
    d = Reverse<kUnit>(d);
    __builtin_memcpy(dst + i, &a, 16);
    __builtin_memcpy(dst + i + 16, &b, 16);
    __builtin_memcpy(dst + i + 32, &c, 16);
    __builtin_memcpy(dst + i + 48, &d, 16);
  }
  for (; i + 16 <= bytes; i += 16) {
    V16 a;
    __builtin_memcpy(&a, src + i, 16);
    a = Reverse<kUnit>(a);
    __builtin_memcpy(dst + i, &a, 16);
  }
  ScalarSwap<kUnit>(src + i, dst + i, bytes - i);
}

}  // namespace

bool GetPortableKernel(Kernel* kernel) {
#if defined(__s390x__)
  // HWCAP_S390_VX (bit 11): the z13 vector facility, enabled by the kernel.
  if ((getauxval(AT_HWCAP) & (1ul << 11)) == 0) return false;
#endif
  *kernel =
      Kernel{"portable", PortableSwap<2>, PortableSwap<4>, PortableSwap<8>};
  return true;
}

}  // namespace internal
}  // namespace safetensors
