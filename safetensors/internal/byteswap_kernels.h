// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the kernels' entry points, one .cc file per family. Each family's
// Get*Kernel returns false when this build or CPU cannot run it.

#ifndef SAFETENSORS_INTERNAL_BYTESWAP_KERNELS_H_
#define SAFETENSORS_INTERNAL_BYTESWAP_KERNELS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {

using SwapFn = void (*)(const uint8_t* src, uint8_t* dst, size_t bytes);

struct Kernel {
  absl::string_view name;  // "scalar", "portable", "ssse3", "avx2", "avx512"
  SwapFn swap2;
  SwapFn swap4;
  SwapFn swap8;
};

// Every kernel usable on this CPU, in the order scalar, portable, ssse3,
// avx2, avx512. SwapCopy uses avx2 where present (measured faster than
// avx512 here), otherwise the last one, unless the environment variable
// SAFETENSORS_BYTESWAP_KERNEL names another.
const std::vector<Kernel>& AvailableKernels();
const Kernel& ActiveKernel();

// The scalar reference for one unit; also the tail of every vector kernel.
// (__builtin_memcpy: a fortified memcpy cannot inline into the vector
// kernels, which are compiled for another target.)
template <int kUnit>
inline void ScalarSwap(const uint8_t* src, uint8_t* dst, size_t bytes) {
  for (size_t i = 0; i + kUnit <= bytes; i += kUnit) {
    if constexpr (kUnit == 2) {
      uint16_t v;
      __builtin_memcpy(&v, src + i, 2);
      v = __builtin_bswap16(v);
      __builtin_memcpy(dst + i, &v, 2);
    } else if constexpr (kUnit == 4) {
      uint32_t v;
      __builtin_memcpy(&v, src + i, 4);
      v = __builtin_bswap32(v);
      __builtin_memcpy(dst + i, &v, 4);
    } else {
      uint64_t v;
      __builtin_memcpy(&v, src + i, 8);
      v = __builtin_bswap64(v);
      __builtin_memcpy(dst + i, &v, 8);
    }
  }
}

Kernel ScalarKernel();
bool GetPortableKernel(Kernel* kernel);
bool GetX86Kernels(std::vector<Kernel>* kernels);  // appends, slowest first

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_BYTESWAP_KERNELS_H_
