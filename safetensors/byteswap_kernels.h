// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the kernels' entry points, one .cc file per family. Each family's
// Get*Kernel returns false when this build or CPU cannot run it.

#ifndef SAFETENSORS_BYTESWAP_KERNELS_H_
#define SAFETENSORS_BYTESWAP_KERNELS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "safetensors/byteswap.h"

namespace safetensors {
namespace byteswap_internal {

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

}  // namespace byteswap_internal
}  // namespace safetensors

#endif  // SAFETENSORS_BYTESWAP_KERNELS_H_
