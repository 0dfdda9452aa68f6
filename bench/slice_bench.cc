// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Slicing a 1 GiB tensor (F32 [16384, 16384]): planning a slice of rows, a
// slice of columns and a strided slice, and copying a block of rows out
// against memcpy of the same bytes in the same run.

#include <cstring>
#include <vector>

#include "benchmark/benchmark.h"

#include "safetensors/slice.h"

namespace safetensors {
namespace bench {
namespace {

constexpr uint64_t kRows = 16384, kCols = 16384;  // F32: 1 GiB
const std::vector<uint64_t> kShape = {kRows, kCols};

void BM_PlanRows(benchmark::State& state) {
  const SliceIndexer ix[] = {Range(1000, 9000)};
  for (auto _ : state) {
    absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF32, kShape, ix);
    benchmark::DoNotOptimize(plan->byte_size());
  }
}
BENCHMARK(BM_PlanRows);

void BM_PlanColumnsAndWalkRuns(benchmark::State& state) {
  const SliceIndexer ix[] = {All(), Range(100, 200)};
  uint64_t runs = 0;
  for (auto _ : state) {
    absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF32, kShape, ix);
    runs = 0;
    plan->ForEachRun([&](ByteRun) { ++runs; });
    benchmark::DoNotOptimize(runs);
  }
  state.counters["runs"] = static_cast<double>(runs);
}
BENCHMARK(BM_PlanColumnsAndWalkRuns)->Unit(benchmark::kMicrosecond);

// The bytes of the tensor, allocated once (1 GiB).
const std::vector<uint8_t>& Tensor() {
  static const auto* data = [] {
    auto* v = new std::vector<uint8_t>(kRows * kCols * 4);
    for (size_t i = 0; i < v->size(); i += 4096) (*v)[i] = 1;
    return v;
  }();
  return *data;
}

// Copying 1,024 rows (64 MiB) out of the 1 GiB tensor.
void BM_CopyRows64MiB(benchmark::State& state) {
  const SliceIndexer ix[] = {Range(8000, 9024)};
  absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF32, kShape, ix);
  std::vector<uint8_t> out(plan->byte_size(), 0);
  for (auto _ : state) {
    absl::Status s = CopySlice(*plan, Tensor(), absl::MakeSpan(out));
    benchmark::DoNotOptimize(out.data());
    if (!s.ok()) state.SkipWithError("copy failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          out.size());
}
BENCHMARK(BM_CopyRows64MiB)->Unit(benchmark::kMillisecond);

// The baseline: memcpy of the same 64 MiB from the same place.
void BM_MemcpySame64MiB(benchmark::State& state) {
  const size_t n = size_t{1024} * kCols * 4;
  std::vector<uint8_t> out(n, 0);
  const uint8_t* src = Tensor().data() + size_t{8000} * kCols * 4;
  for (auto _ : state) {
    std::memcpy(out.data(), src, n);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n);
}
BENCHMARK(BM_MemcpySame64MiB)->Unit(benchmark::kMillisecond);

// Copying 100 columns of every row: 16,384 runs of 400 bytes.
void BM_CopyColumns(benchmark::State& state) {
  const SliceIndexer ix[] = {All(), Range(100, 200)};
  absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF32, kShape, ix);
  std::vector<uint8_t> out(plan->byte_size(), 0);
  for (auto _ : state) {
    absl::Status s = CopySlice(*plan, Tensor(), absl::MakeSpan(out));
    benchmark::DoNotOptimize(out.data());
    if (!s.ok()) state.SkipWithError("copy failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          out.size());
}
BENCHMARK(BM_CopyColumns)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace safetensors
