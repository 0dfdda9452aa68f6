// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/byteswap.h"

#include <cassert>
#include <cstring>

#include "safetensors/internal/byteswap_kernels.h"

namespace safetensors {
void SwapCopy(int unit, const void* src, void* dst, size_t bytes) {
  assert(bytes % unit == 0);
  const auto* s = static_cast<const uint8_t*>(src);
  auto* d = static_cast<uint8_t*>(dst);
  const internal::Kernel& k = internal::ActiveKernel();
  switch (unit) {
    case 1:
      if (s != d && bytes > 0) std::memcpy(d, s, bytes);
      return;
    case 2:
      k.swap2(s, d, bytes);
      return;
    case 4:
      k.swap4(s, d, bytes);
      return;
    case 8:
      k.swap8(s, d, bytes);
      return;
    default:
      assert(false && "unit must be 1, 2, 4 or 8");
  }
}

void CopyLittleEndianToHost(Dtype dtype, absl::Span<const uint8_t> src,
                            absl::Span<uint8_t> dst) {
  assert(src.size() == dst.size());
  const int unit = kHostIsBigEndian ? DtypeSwapUnit(dtype) : 1;
  SwapCopy(unit, src.data(), dst.data(), src.size());
}

}  // namespace safetensors
