// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The portable kernel, loops over the branch-free per-element functions of
// convert_kernels.h (which the compiler may vectorize), and the choice of
// the active kernel (SAFETENSORS_CONVERT_KERNEL to override).

#include <cstdlib>
#include <vector>

#include "safetensors/internal/convert_kernels.h"

namespace safetensors {
namespace internal {
namespace {

void PortableBf16ToF32(const uint8_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const uint32_t b = Bf16ToF32Bits(LoadLe16(src + 2 * i));
    __builtin_memcpy(dst + i, &b, 4);
  }
}

void PortableF16ToF32(const uint8_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const uint32_t b = F16ToF32Bits(LoadLe16(src + 2 * i));
    __builtin_memcpy(dst + i, &b, 4);
  }
}

void PortableF32ToBf16(const float* src, uint8_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t b;
    __builtin_memcpy(&b, src + i, 4);
    StoreLe16(dst + 2 * i, F32BitsToBf16(b));
  }
}

void PortableF32ToF16(const float* src, uint8_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t b;
    __builtin_memcpy(&b, src + i, 4);
    StoreLe16(dst + 2 * i, F32BitsToF16(b));
  }
}

}  // namespace

ConvertKernel PortableConvertKernel() {
  return ConvertKernel{"portable", PortableBf16ToF32, PortableF16ToF32,
                       PortableF32ToBf16, PortableF32ToF16};
}

const std::vector<ConvertKernel>& AvailableConvertKernels() {
  static const std::vector<ConvertKernel>* const kernels = [] {
    auto* k = new std::vector<ConvertKernel>{PortableConvertKernel()};
    ConvertKernel x86;
    if (GetX86ConvertKernel(&x86)) k->push_back(x86);
    return k;
  }();
  return *kernels;
}

const ConvertKernel& ActiveConvertKernel() {
  static const ConvertKernel* const active = [] {
    const std::vector<ConvertKernel>& all = AvailableConvertKernels();
    const char* wanted = std::getenv("SAFETENSORS_CONVERT_KERNEL");
    if (wanted != nullptr) {
      for (const ConvertKernel& k : all) {
        if (k.name == wanted) return &k;
      }
    }
    return &all.back();
  }();
  return *active;
}

}  // namespace internal
}  // namespace safetensors
