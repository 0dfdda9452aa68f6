// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Every byte-swap kernel this build and CPU have (scalar, portable, SSSE3,
// AVX2, AVX-512BW) against a byte-reversal written here, on every width (2,
// 4, 8), copying and in place, at the length and the source and destination
// misalignments the input gives (two bytes, then the payload). Also the
// public SwapCopy (the active kernel and unit 1) and CopyLittleEndianToHost.
// The bytes around the destination must stay untouched.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/types/span.h"

#include "fuzz/fuzz_util.h"
#include "safetensors/byteswap.h"
#include "safetensors/dtype.h"
#include "safetensors/internal/byteswap_kernels.h"

namespace safetensors {
namespace fuzz {
namespace {

constexpr size_t kGuard = 64;  // bytes checked on each side of the output
constexpr uint8_t kCanary = 0xA5;

// dst[i*unit + k] = src[i*unit + unit-1-k].
std::vector<uint8_t> Reversed(const uint8_t* src, size_t bytes, int unit) {
  std::vector<uint8_t> out(bytes);
  for (size_t i = 0; i < bytes; i += unit) {
    for (int k = 0; k < unit; ++k) out[i + k] = src[i + unit - 1 - k];
  }
  return out;
}

// A buffer whose payload starts `misalign` bytes past a 64-byte boundary,
// with canaries around it.
class Buffer {
 public:
  Buffer(size_t bytes, size_t misalign)
      : storage_(bytes + misalign + 2 * kGuard + 64, kCanary) {
    uintptr_t p = reinterpret_cast<uintptr_t>(storage_.data()) + kGuard;
    p = (p + 63) & ~uintptr_t{63};
    data_ = reinterpret_cast<uint8_t*>(p) + misalign;
    size_ = bytes;
  }
  uint8_t* data() { return data_; }
  void CheckGuards() const {
    for (const uint8_t* p = storage_.data(); p < data_; ++p) {
      FUZZ_CHECK(*p == kCanary);
    }
    for (const uint8_t* p = data_ + size_;
         p < storage_.data() + storage_.size(); ++p) {
      FUZZ_CHECK(*p == kCanary);
    }
  }

 private:
  std::vector<uint8_t> storage_;
  uint8_t* data_;
  size_t size_;
};

void CheckSwap(int unit, const uint8_t* payload, size_t bytes,
               size_t src_misalign, size_t dst_misalign) {
  const std::vector<uint8_t> expected = Reversed(payload, bytes, unit);
  for (const internal::Kernel& kernel : internal::AvailableKernels()) {
    const internal::SwapFn fn = unit == 2   ? kernel.swap2
                                : unit == 4 ? kernel.swap4
                                            : kernel.swap8;
    FUZZ_CHECK(fn != nullptr);
    Buffer src(bytes, src_misalign), dst(bytes, dst_misalign);
    if (bytes > 0) std::memcpy(src.data(), payload, bytes);
    fn(src.data(), dst.data(), bytes);
    FUZZ_CHECK(bytes == 0 ||
               std::memcmp(dst.data(), expected.data(), bytes) == 0);
    FUZZ_CHECK(bytes == 0 || std::memcmp(src.data(), payload, bytes) == 0);
    dst.CheckGuards();
    src.CheckGuards();
    // In place.
    fn(src.data(), src.data(), bytes);
    FUZZ_CHECK(bytes == 0 ||
               std::memcmp(src.data(), expected.data(), bytes) == 0);
    src.CheckGuards();
  }
  // The public entry point with the active kernel.
  Buffer src(bytes, src_misalign), dst(bytes, dst_misalign);
  if (bytes > 0) std::memcpy(src.data(), payload, bytes);
  SwapCopy(unit, src.data(), dst.data(), bytes);
  FUZZ_CHECK(bytes == 0 ||
             std::memcmp(dst.data(), expected.data(), bytes) == 0);
  dst.CheckGuards();
}

}  // namespace
}  // namespace fuzz
}  // namespace safetensors

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace safetensors;        // NOLINT
  using namespace safetensors::fuzz;  // NOLINT
  if (size < 2 || size > 4096 + 2) return 0;
  const size_t src_misalign = data[0] % 64;
  const size_t dst_misalign = data[1] % 64;
  const uint8_t* payload = data + 2;
  const size_t length = size - 2;
  for (int unit : {2, 4, 8}) {
    CheckSwap(unit, payload, length - length % unit, src_misalign,
              dst_misalign);
  }
  // Unit 1 is a copy; CopyLittleEndianToHost swaps only on big-endian hosts.
  std::vector<uint8_t> copy(length + 1);  // never a null pointer
  SwapCopy(1, payload, copy.data(), length);
  FUZZ_CHECK(length == 0 || std::memcmp(copy.data(), payload, length) == 0);
  const Dtype dtype = AllDtypes()[data[0] % kNumDtypes];
  const int unit = DtypeSwapUnit(dtype);
  const size_t n = length - length % unit;
  std::vector<uint8_t> host(n + 1);
  CopyLittleEndianToHost(dtype, absl::MakeConstSpan(payload, n),
                         absl::MakeSpan(host.data(), n));
  const std::vector<uint8_t> expected =
      kHostIsBigEndian ? Reversed(payload, n, unit)
                       : std::vector<uint8_t>(payload, payload + n);
  FUZZ_CHECK(std::vector<uint8_t>(host.begin(), host.begin() + n) == expected);
  return 0;
}
