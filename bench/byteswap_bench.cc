// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Byte-swap kernels against memcpy of the same size, in the same run: every
// kernel this CPU runs, for units 2, 4 and 8, copying from one buffer to
// another (the shape of host-order reads), at 4 KiB (L1), 1 MiB (L2) and
// 256 MiB (memory).

#include <cstring>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

#include "safetensors/byteswap.h"
#include "safetensors/internal/byteswap_kernels.h"

namespace safetensors {
namespace bench {
namespace {

using internal::AvailableKernels;
using internal::Kernel;

struct Buffers {
  std::vector<uint8_t> src, dst;
  explicit Buffers(size_t n) : src(n), dst(n) {
    for (size_t i = 0; i < n; ++i) src[i] = static_cast<uint8_t>(i * 7);
    std::memset(dst.data(), 0, n);  // fault the pages in before timing
  }
};

Buffers& BuffersOf(size_t n) {
  static auto* small = new Buffers(4 << 10);
  static auto* medium = new Buffers(1 << 20);
  static Buffers* large = nullptr;
  if (n == (4u << 10)) return *small;
  if (n == (1u << 20)) return *medium;
  if (large == nullptr) large = new Buffers(size_t{256} << 20);
  return *large;
}

void BM_Memcpy(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  Buffers& b = BuffersOf(n);
  for (auto _ : state) {
    std::memcpy(b.dst.data(), b.src.data(), n);
    benchmark::DoNotOptimize(b.dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n);
}

void BM_Swap(benchmark::State& state, Kernel kernel, int unit) {
  const size_t n = static_cast<size_t>(state.range(0));
  Buffers& b = BuffersOf(n);
  const internal::SwapFn fn = unit == 2   ? kernel.swap2
                              : unit == 4 ? kernel.swap4
                                          : kernel.swap8;
  for (auto _ : state) {
    fn(b.src.data(), b.dst.data(), n);
    benchmark::DoNotOptimize(b.dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n);
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->Arg(4 << 10)->Arg(1 << 20)->Arg(256 << 20);
}

const bool registered = [] {
  benchmark::RegisterBenchmark("BM_Memcpy", BM_Memcpy)->Apply(Sizes);
  for (const Kernel& k : AvailableKernels()) {
    for (int unit : {2, 4, 8}) {
      benchmark::RegisterBenchmark(
          ("BM_Swap" + std::to_string(unit) + "/" + std::string(k.name))
              .c_str(),
          BM_Swap, k, unit)
          ->Apply(Sizes);
    }
  }
  return true;
}();

}  // namespace
}  // namespace bench
}  // namespace safetensors
