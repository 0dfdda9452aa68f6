// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Writer benchmarks: 1 GiB (4 tensors of 256 MiB) written to a file by
// WriteFile, by StreamWriter from a reused 1 MiB buffer, and by a plain loop
// of write() calls of the same bytes to the same directory (the in-run
// baseline); and serializing 10,000 small tensors to memory.

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"

#include "bench/bench_util.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace bench {
namespace {

constexpr uint64_t kTensorBytes = uint64_t{256} << 20;
constexpr int kTensors = 4;

std::string BenchDir() {
  const char* d = std::getenv("BENCH_DIR");
  if (d == nullptr) d = std::getenv("TMPDIR");
  return d ? d : "/tmp";
}

const std::vector<std::vector<uint8_t>>& Buffers() {
  static const auto* buffers = [] {
    auto* b = new std::vector<std::vector<uint8_t>>(kTensors);
    for (int i = 0; i < kTensors; ++i) {
      (*b)[i].resize(kTensorBytes);
      for (size_t j = 0; j < kTensorBytes; j += 4096) {
        (*b)[i][j] = static_cast<uint8_t>(i + j);
      }
    }
    return b;
  }();
  return *buffers;
}

const std::vector<uint64_t>& Shape() {
  static const std::vector<uint64_t> shape = {kTensorBytes / 4};
  return shape;
}

std::vector<TensorRef> Refs() {
  std::vector<TensorRef> refs;
  static const std::vector<std::string> names = {"t0", "t1", "t2", "t3"};
  for (int i = 0; i < kTensors; ++i) {
    refs.push_back({names[i], Dtype::kF32, Shape(), Buffers()[i]});
  }
  return refs;
}

void SetBytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kTensors *
                          kTensorBytes);
}

// The baseline: the same bytes with write() to a file in the same directory.
void BM_RawWriteLoop1GiB(benchmark::State& state) {
  const std::string path = BenchDir() + "/bench_raw.bin";
  Buffers();
  for (auto _ : state) {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (const auto& b : Buffers()) {
      size_t at = 0;
      while (at < b.size()) {
        const ssize_t n = write(fd, b.data() + at, b.size() - at);
        if (n <= 0) {
          state.SkipWithError("write failed");
          break;
        }
        at += static_cast<size_t>(n);
      }
    }
    close(fd);
    state.PauseTiming();
    unlink(path.c_str());
    state.ResumeTiming();
  }
  SetBytes(state);
}
BENCHMARK(BM_RawWriteLoop1GiB)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WriteFile1GiB(benchmark::State& state) {
  const std::string path = BenchDir() + "/bench_writer.safetensors";
  const std::vector<TensorRef> refs = Refs();
  for (auto _ : state) {
    absl::Status s = WriteFile(path, refs);
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      break;
    }
    state.PauseTiming();
    unlink(path.c_str());
    state.ResumeTiming();
  }
  SetBytes(state);
}
BENCHMARK(BM_WriteFile1GiB)->Unit(benchmark::kMillisecond)->UseRealTime();

// Streaming from one reused 1 MiB buffer: memory stays at the buffer's size
// whatever the file's size.
void BM_StreamWriter1GiB(benchmark::State& state) {
  const std::string path = BenchDir() + "/bench_stream.safetensors";
  std::vector<TensorDesc> descs;
  static const std::vector<std::string> names = {"t0", "t1", "t2", "t3"};
  for (int i = 0; i < kTensors; ++i) {
    descs.push_back({names[i], Dtype::kF32, Shape()});
  }
  std::vector<uint8_t> chunk(1 << 20, 0x5A);
  const int64_t rss_before = CurrentRssBytes();
  int64_t rss_growth = 0;
  for (auto _ : state) {
    auto w = StreamWriter::Open(path, descs);
    if (!w.ok()) {
      state.SkipWithError(std::string(w.status().message()).c_str());
      break;
    }
    while ((*w)->current() != nullptr) {
      const size_t n = std::min<uint64_t>(chunk.size(), (*w)->remaining());
      absl::Status s = (*w)->Append((*w)->current()->name,
                                    absl::MakeConstSpan(chunk.data(), n));
      if (!s.ok()) {
        state.SkipWithError(std::string(s.message()).c_str());
        break;
      }
    }
    absl::Status s = (*w)->Finish();
    if (!s.ok()) state.SkipWithError(std::string(s.message()).c_str());
    rss_growth = std::max(rss_growth, CurrentRssBytes() - rss_before);
    state.PauseTiming();
    unlink(path.c_str());
    state.ResumeTiming();
  }
  SetBytes(state);
  state.counters["rss_growth_MiB"] =
      static_cast<double>(rss_growth) / (1 << 20);
}
BENCHMARK(BM_StreamWriter1GiB)->Unit(benchmark::kMillisecond)->UseRealTime();

// 10,000 small tensors (F32 [16,16], transformer-like names) to memory.
void BM_Serialize10kSmall(benchmark::State& state) {
  std::vector<std::string> names;
  for (int i = 0; i < 10000; ++i) {
    names.push_back(
        absl::StrCat("model.layers.", i / 10, ".mlp.proj_", i % 10, ".weight"));
  }
  const std::vector<uint64_t> shape = {16, 16};
  const std::vector<uint8_t> data(16 * 16 * 4, 1);
  std::vector<TensorRef> refs;
  for (const std::string& n : names) {
    refs.push_back({n, Dtype::kF32, shape, data});
  }
  size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> out = Serialize(refs);
    if (!out.ok()) {
      state.SkipWithError(std::string(out.status().message()).c_str());
      break;
    }
    bytes = out->size();
    benchmark::DoNotOptimize(out->data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes);
  state.counters["time_per_tensor"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 10000,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Serialize10kSmall)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace safetensors
