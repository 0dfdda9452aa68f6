// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Float conversion kernels against memcpy of the same output size, in the
// same run: BF16 -> F32, F16 -> F32, F32 -> BF16, F32 -> F16 for every
// kernel this CPU runs, and the public span API (the active kernel, or the
// F8 table) for the same and for F8_E4M3 both ways. Sizes are of the output
// buffer: 64 KiB (L2), 1 MiB, 16 MiB (memory); bytes_per_second counts
// output bytes, so each rate compares directly with BM_Memcpy's. The
// BM_Paired rows time each kernel beside memcpy call by call and report the
// ratio itself (x_memcpy).

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

#include "safetensors/convert.h"
#include "safetensors/internal/convert_kernels.h"

namespace safetensors {
namespace bench {
namespace {

using internal::AvailableConvertKernels;
using internal::ConvertKernel;

// Weights-like values: normally distributed, scale 0.05.
std::vector<float> Floats(size_t n) {
  std::mt19937 rng(42);
  std::normal_distribution<float> dist(0.0f, 0.05f);
  std::vector<float> out(n);
  for (float& x : out) x = dist(rng);
  return out;
}

// The same values as little-endian BF16 or F16 bytes.
std::vector<uint8_t> Halves(size_t n, bool bf16) {
  const std::vector<float> f = Floats(n);
  std::vector<uint8_t> out(2 * n);
  (void)ConvertFromFloat(f, bf16 ? Dtype::kBF16 : Dtype::kF16,
                         absl::MakeSpan(out));
  return out;
}

void BM_Memcpy(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<uint8_t> src(n, 1), dst(n, 0);
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), n);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n);
}

// One call of `convert` and one memcpy of the same output size, alternately,
// each timed on its own; the counter `x_memcpy` is the median over the pairs
// of memcpy's time over the kernel's, i.e. the kernel's throughput as a
// fraction of memcpy's. On a shared machine, where neighbours move both
// figures by 15% or more between runs, pairing the two cancels most of that
// drift; the separate BM_Memcpy and kernel rows remain the plain figures.
template <typename Convert>
void PairedWithMemcpy(benchmark::State& state, size_t out_bytes,
                      Convert convert) {
  using Clock = std::chrono::steady_clock;
  std::vector<uint8_t> msrc(out_bytes, 1), mdst(out_bytes, 0);
  std::vector<double> ratios;
  for (auto _ : state) {
    const Clock::time_point t0 = Clock::now();
    std::memcpy(mdst.data(), msrc.data(), out_bytes);
    benchmark::ClobberMemory();
    const Clock::time_point t1 = Clock::now();
    convert();
    benchmark::ClobberMemory();
    const Clock::time_point t2 = Clock::now();
    ratios.push_back(std::chrono::duration<double>(t1 - t0).count() /
                     std::chrono::duration<double>(t2 - t1).count());
  }
  std::sort(ratios.begin(), ratios.end());
  state.counters["x_memcpy"] = ratios.empty() ? 0 : ratios[ratios.size() / 2];
}

// Times `convert` (which writes out_bytes): alone, counting output bytes, or
// paired with memcpy (PairedWithMemcpy).
template <typename Convert>
void TimeKernel(benchmark::State& state, size_t out_bytes, bool paired,
                Convert convert) {
  if (paired) {
    PairedWithMemcpy(state, out_bytes, convert);
    return;
  }
  for (auto _ : state) {
    convert();
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * out_bytes);
}

// Widening: out_bytes / 4 elements.
void BM_Widen(benchmark::State& state, internal::WidenFn fn, bool bf16,
              bool paired) {
  const size_t out_bytes = static_cast<size_t>(state.range(0));
  const size_t n = out_bytes / 4;
  const std::vector<uint8_t> src = Halves(n, bf16);
  std::vector<float> dst(n, 0.0f);
  TimeKernel(state, out_bytes, paired, [&] {
    fn(src.data(), dst.data(), n);
    benchmark::DoNotOptimize(dst.data());
  });
}

// Narrowing: out_bytes / 2 elements.
void BM_Narrow(benchmark::State& state, internal::NarrowFn fn, bool paired) {
  const size_t out_bytes = static_cast<size_t>(state.range(0));
  const size_t n = out_bytes / 2;
  const std::vector<float> src = Floats(n);
  std::vector<uint8_t> dst(out_bytes, 0);
  TimeKernel(state, out_bytes, paired, [&] {
    fn(src.data(), dst.data(), n);
    benchmark::DoNotOptimize(dst.data());
  });
}

// The public API, to float: out_bytes / 4 elements of `from`.
void BM_ConvertToFloat(benchmark::State& state, Dtype from) {
  const size_t out_bytes = static_cast<size_t>(state.range(0));
  const size_t n = out_bytes / 4;
  const size_t unit = static_cast<size_t>(DtypeBits(from) / 8);
  std::vector<uint8_t> src(n * unit);
  (void)ConvertFromFloat(Floats(n), from, absl::MakeSpan(src));
  std::vector<float> dst(n, 0.0f);
  for (auto _ : state) {
    if (!ConvertToFloat(from, src, absl::MakeSpan(dst)).ok()) {
      state.SkipWithError("ConvertToFloat failed");
    }
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * out_bytes);
}

// The public API, from float: out_bytes of `to`.
void BM_ConvertFromFloat(benchmark::State& state, Dtype to) {
  const size_t out_bytes = static_cast<size_t>(state.range(0));
  const size_t unit = static_cast<size_t>(DtypeBits(to) / 8);
  const size_t n = out_bytes / unit;
  const std::vector<float> src = Floats(n);
  std::vector<uint8_t> dst(out_bytes, 0);
  for (auto _ : state) {
    if (!ConvertFromFloat(src, to, absl::MakeSpan(dst)).ok()) {
      state.SkipWithError("ConvertFromFloat failed");
    }
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * out_bytes);
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->Arg(64 << 10)->Arg(1 << 20)->Arg(16 << 20);
}

// The sizes the 0.5-of-memcpy target applies to: 1 MiB and up.
void PairedSizes(benchmark::internal::Benchmark* b) {
  b->Arg(1 << 20)->Arg(16 << 20);
}

const bool registered = [] {
  benchmark::RegisterBenchmark("BM_Memcpy", BM_Memcpy)->Apply(Sizes);
  // Each kernel at every size, then paired with memcpy (PairedSizes).
  for (const ConvertKernel& k : AvailableConvertKernels()) {
    const std::string name(k.name);
    for (bool paired : {false, true}) {
      const std::string prefix = paired ? "BM_Paired/" : "BM_";
      const auto sizes = paired ? PairedSizes : Sizes;
      benchmark::RegisterBenchmark((prefix + "Bf16ToF32/" + name).c_str(),
                                   BM_Widen, k.bf16_to_f32, true, paired)
          ->Apply(sizes);
      benchmark::RegisterBenchmark((prefix + "F16ToF32/" + name).c_str(),
                                   BM_Widen, k.f16_to_f32, false, paired)
          ->Apply(sizes);
      benchmark::RegisterBenchmark((prefix + "F32ToBf16/" + name).c_str(),
                                   BM_Narrow, k.f32_to_bf16, paired)
          ->Apply(sizes);
      benchmark::RegisterBenchmark((prefix + "F32ToF16/" + name).c_str(),
                                   BM_Narrow, k.f32_to_f16, paired)
          ->Apply(sizes);
    }
  }
  for (Dtype d : {Dtype::kBF16, Dtype::kF16, Dtype::kF8E4M3}) {
    const std::string name(DtypeName(d));
    benchmark::RegisterBenchmark(("BM_ConvertToFloat/" + name).c_str(),
                                 BM_ConvertToFloat, d)
        ->Apply(Sizes);
    benchmark::RegisterBenchmark(("BM_ConvertFromFloat/" + name).c_str(),
                                 BM_ConvertFromFloat, d)
        ->Apply(Sizes);
  }
  return true;
}();

}  // namespace
}  // namespace bench
}  // namespace safetensors
