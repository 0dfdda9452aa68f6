// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The kernel table and the choice of the active kernel (CPUID on x86-64,
// HWCAP on s390x, SAFETENSORS_BYTESWAP_KERNEL to override).

#include <cstdlib>
#include <vector>

#include "safetensors/internal/byteswap_kernels.h"

namespace safetensors {
namespace internal {

Kernel ScalarKernel() {
  return Kernel{"scalar", ScalarSwap<2>, ScalarSwap<4>, ScalarSwap<8>};
}

const std::vector<Kernel>& AvailableKernels() {
  static const std::vector<Kernel>* const kernels = [] {
    auto* k = new std::vector<Kernel>{ScalarKernel()};
    Kernel portable;
    if (GetPortableKernel(&portable)) k->push_back(portable);
    GetX86Kernels(k);
    return k;
  }();
  return *kernels;
}

const Kernel& ActiveKernel() {
  static const Kernel* const active = [] {
    const std::vector<Kernel>& all = AvailableKernels();
    const char* wanted = std::getenv("SAFETENSORS_BYTESWAP_KERNEL");
    if (wanted != nullptr) {
      for (const Kernel& k : all) {
        if (k.name == wanted) return &k;
      }
    }
    // AVX2 over AVX-512: on the AMD EPYC machines this project is measured
    // on, the 512-bit kernel ran at 0.85-0.92 of the 256-bit one from 1 MiB
    // up (bench/README.md); it stays available by name.
    for (const Kernel& k : all) {
      if (k.name == "avx2") return &k;
    }
    return &all.back();
  }();
  return *active;
}

}  // namespace internal

}  // namespace safetensors
