// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Bulk load at the memory limit (issue 16): LoadFile of every tensor of a
// 2 GiB checkpoint, from the page cache, beside what the memory and the
// kernel can do in the same process:
//
//   * memcpy of resident (already touched) memory into a fresh destination
//     (operator new: 4 KiB pages, each faulted in and zeroed by the kernel
//     on first touch), into a fresh destination on huge pages (the
//     allocator LoadFile uses), and into an already-touched destination
//     (the copy alone: the best a copy can do);
//   * `cat FILE > /dev/null`: read() in 1 MiB pieces into one reused buffer
//     (and the same split over two threads with pread);
//   * LoadFile as it was before this suite (zero-filled std::vector
//     destinations, one tensor per claim; with kPread each file read whole
//     and then copied), rebuilt here from the public API.
//
// The checkpoint is shaped like a 1B-parameter Llama (BF16 matrices, F32
// norms, biases and rotary tables; 250 tensors, 2.06 GiB), written once
// into $TMPDIR/safetensors_load_bench as one file and as 4 shards with an
// index, and read into the page cache before the first benchmark.
//
//   bazel run -c opt //bench:load_bench -- --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one line)
//
// Counters per iteration: minflt (minor page faults), sys_ms and user_ms
// (CPU time of the whole process, every thread).

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <thread>  // NOLINT(build/c++11)
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"

#include "safetensors/file.h"
#include "safetensors/host_order.h"
#include "safetensors/index.h"
#include "safetensors/internal/host_memory.h"
#include "safetensors/load.h"
#include "safetensors/shard_writer.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace bench {
namespace {

constexpr uint64_t kTargetBytes = uint64_t{2} << 30;
constexpr int kShards = 4;

struct Spec {
  std::string name;
  Dtype dtype;
  Shape shape;
  uint64_t bytes;
};

// A Llama-shaped model: hidden 2048, intermediate 5632, vocabulary 32000,
// as many layers as make it at least kTargetBytes (19).
std::vector<Spec> ModelSpecs() {
  constexpr uint64_t kHidden = 2048, kInter = 5632, kVocab = 32000;
  std::vector<Spec> specs;
  uint64_t total = 0;
  auto add = [&](std::string name, Dtype dtype, Shape shape) {
    uint64_t bytes = DtypeBits(dtype) / 8;
    for (uint64_t d : shape) bytes *= d;
    total += bytes;
    specs.push_back({std::move(name), dtype, std::move(shape), bytes});
  };
  add("model.embed_tokens.weight", Dtype::kBF16, {kVocab, kHidden});
  add("lm_head.weight", Dtype::kBF16, {kVocab, kHidden});
  add("model.norm.weight", Dtype::kF32, {kHidden});
  for (int layer = 0; total < kTargetBytes; ++layer) {
    const std::string p = absl::StrCat("model.layers.", layer, ".");
    add(p + "input_layernorm.weight", Dtype::kF32, {kHidden});
    add(p + "post_attention_layernorm.weight", Dtype::kF32, {kHidden});
    add(p + "self_attn.rotary_emb.inv_freq", Dtype::kF32, {64});
    for (const char* proj : {"q_proj", "k_proj", "v_proj"}) {
      add(absl::StrCat(p, "self_attn.", proj, ".weight"), Dtype::kBF16,
          {kHidden, kHidden});
      add(absl::StrCat(p, "self_attn.", proj, ".bias"), Dtype::kF32, {kHidden});
    }
    add(p + "self_attn.o_proj.weight", Dtype::kBF16, {kHidden, kHidden});
    add(p + "mlp.gate_proj.weight", Dtype::kBF16, {kInter, kHidden});
    add(p + "mlp.up_proj.weight", Dtype::kBF16, {kInter, kHidden});
    add(p + "mlp.down_proj.weight", Dtype::kBF16, {kHidden, kInter});
  }
  return specs;
}

void Die(const std::string& what) {
  std::fprintf(stderr, "load_bench: %s\n", what.c_str());
  std::abort();
}

struct Model {
  std::string single;              // the one-file checkpoint
  std::string index;               // the sharded one's index
  std::vector<std::string> files;  // every file of both, for cat
  std::vector<std::string> shard_files;
  uint64_t data_bytes = 0;  // tensor bytes (what LoadFile copies)
  size_t tensors = 0;
};

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) Die(path + ": stat");
  return static_cast<uint64_t>(st.st_size);
}

// Reads `path` as cat does; returns the bytes read.
uint64_t Cat(const std::string& path, uint8_t* buffer, size_t chunk) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) Die(path + ": open");
  uint64_t total = 0;
  while (true) {
    const ssize_t n = read(fd, buffer, chunk);
    if (n < 0) Die(path + ": read");
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
  }
  close(fd);
  return total;
}

// Writes both checkpoints (unless a previous run has) and warms them.
const Model& TheModel() {
  static const Model* model = [] {
    const char* tmp = std::getenv("TMPDIR");
    const std::string dir =
        absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                     "/safetensors_load_bench");
    const std::string shards = dir + "/shards";
    const std::string done = dir + "/complete-v1";
    const std::vector<Spec> specs = ModelSpecs();
    auto* m = new Model;
    m->single = dir + "/model.safetensors";
    m->index = absl::StrCat(shards, "/", kIndexFileName);
    m->tensors = specs.size();
    for (const Spec& s : specs) m->data_bytes += s.bytes;
    if (!Exists(done)) {
      std::fprintf(stderr, "load_bench: writing %zu tensors, %.2f GiB, to %s\n",
                   specs.size(), m->data_bytes / 1073741824.0, dir.c_str());
      mkdir(dir.c_str(), 0755);
      mkdir(shards.c_str(), 0755);
      std::unique_ptr<uint64_t[]> data(new uint64_t[m->data_bytes / 8 + 1]);
      uint64_t x = 0x9E3779B97F4A7C15u;
      for (uint64_t i = 0; i < m->data_bytes / 8 + 1; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data[i] = x;
      }
      const uint8_t* bytes = reinterpret_cast<const uint8_t*>(data.get());
      std::vector<TensorRef> refs;
      uint64_t at = 0;
      for (const Spec& s : specs) {
        refs.emplace_back(s.name, s.dtype, s.shape,
                          absl::MakeConstSpan(bytes + at, s.bytes));
        at += s.bytes;
      }
      absl::Status st = WriteFile(m->single, refs);
      if (!st.ok()) Die(st.ToString());
      ShardWriteOptions options;
      options.max_shard_size = m->data_bytes / kShards + (64 << 20);
      absl::StatusOr<ShardLayout> layout =
          WriteShardedCheckpoint(shards, refs, std::nullopt, options);
      if (!layout.ok()) Die(layout.status().ToString());
      const int fd = open(done.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) Die(done + ": open");
      close(fd);
    }
    absl::StatusOr<Checkpoint> c = Checkpoint::Open(m->index);
    if (!c.ok()) Die(c.status().ToString());
    if (c->shard_names().size() != kShards) Die("not 4 shards");
    for (size_t s = 0; s < c->shard_names().size(); ++s) {
      m->shard_files.push_back(c->ShardPath(s));
    }
    m->files = m->shard_files;
    m->files.push_back(m->single);
    // Into the page cache.
    std::vector<uint8_t> buffer(1 << 20);
    for (const std::string& f : m->files) Cat(f, buffer.data(), buffer.size());
    return m;
  }();
  return *model;
}

const std::string& Path(int sharded) {
  return sharded ? TheModel().index : TheModel().single;
}

// CPU time and faults of the process over a benchmark's iterations.
class Usage {
 public:
  Usage() { getrusage(RUSAGE_SELF, &start_); }
  void Report(benchmark::State& state) const {
    struct rusage end;
    getrusage(RUSAGE_SELF, &end);
    const double n =
        static_cast<double>(std::max<int64_t>(state.iterations(), 1));
    auto ms = [](const timeval& a, const timeval& b) {
      return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_usec - a.tv_usec) / 1e3;
    };
    state.counters["minflt"] = (end.ru_minflt - start_.ru_minflt) / n;
    state.counters["sys_ms"] = ms(start_.ru_stime, end.ru_stime) / n;
    state.counters["user_ms"] = ms(start_.ru_utime, end.ru_utime) / n;
  }

 private:
  struct rusage start_;
};

// Runs fn(0) .. fn(threads - 1), one per thread, the caller among them.
template <typename F>
void OnThreads(int threads, F fn) {
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t) helpers.emplace_back(fn, t);
  fn(0);
  for (std::thread& t : helpers) t.join();
}

// Runs `fn` once, untimed. This VM hands memory that has been free for a
// couple of seconds back to the host (virtio-balloon free page reporting),
// and faulting it in again then costs 1.5-5 s per GiB in the host instead
// of about 0.1 s in the guest; every benchmark that writes fresh memory
// first does one untimed pass, so that each timed pass gets memory the
// guest freed a moment before (what a process that has just freed memory
// gets; a fresh process on a fresh VM pays more, in every row alike).
template <typename F>
void WarmUp(F fn) {
  fn();
}

// LoadFile. Args: sharded, threads, pread. The result is destroyed with
// the timer paused.
void BM_LoadFile(benchmark::State& state) {
  const Model& model = TheModel();
  LoadOptions options;
  options.threads = static_cast<int>(state.range(1));
  options.open.backend = state.range(2) ? Backend::kPread : Backend::kMmap;
  WarmUp([&] { LoadFile(Path(state.range(0)), options).IgnoreError(); });
  const Usage usage;
  for (auto _ : state) {
    std::optional<absl::StatusOr<TensorMap>> m(
        LoadFile(Path(state.range(0)), options));
    if (!m->ok()) state.SkipWithError(m->status().ToString().c_str());
    if (m->ok() && (*m)->size() != model.tensors) {
      state.SkipWithError("wrong tensor count");
    }
    state.PauseTiming();
    m.reset();
    state.ResumeTiming();
  }
  usage.Report(state);
  state.SetBytesProcessed(state.iterations() * model.data_bytes);
}

// LoadFile as it was: Checkpoint::Open (with kPread, each file read whole
// into memory), a zero-filled std::vector per tensor, CopyToHost; tensors
// claimed one at a time.
absl::StatusOr<TensorMap> LoadFileBefore(const std::string& path,
                                         const LoadOptions& options) {
  absl::StatusOr<Checkpoint> checkpoint = Checkpoint::Open(path, options.open);
  if (!checkpoint.ok()) return checkpoint.status();
  absl::StatusOr<std::vector<ShardTensor>> tensors = checkpoint->Tensors();
  if (!tensors.ok()) return tensors.status();
  const size_t n = tensors->size();
  std::vector<std::vector<uint8_t>> bytes(n);
  std::atomic<size_t> next{0};
  OnThreads(options.threads, [&](int) {
    for (size_t i; (i = next.fetch_add(1)) < n;) {
      bytes[i].resize((*tensors)[i].view.byte_size());
      absl::Status s = CopyToHost((*tensors)[i].view, absl::MakeSpan(bytes[i]));
      if (!s.ok()) std::abort();
    }
  });
  TensorMap out;
  for (size_t i = 0; i < n; ++i) {
    const TensorView& v = (*tensors)[i].view;
    std::string name(v.name());
    out.emplace(name, LoadedTensor(name, v.dtype(),
                                   {v.shape().begin(), v.shape().end()},
                                   std::move(bytes[i])));
  }
  return out;
}

void BM_LoadFileBefore(benchmark::State& state) {
  const Model& model = TheModel();
  LoadOptions options;
  options.threads = static_cast<int>(state.range(1));
  options.open.backend = state.range(2) ? Backend::kPread : Backend::kMmap;
  WarmUp([&] { LoadFileBefore(Path(state.range(0)), options).IgnoreError(); });
  const Usage usage;
  for (auto _ : state) {
    std::optional<absl::StatusOr<TensorMap>> m(
        LoadFileBefore(Path(state.range(0)), options));
    if (!m->ok()) state.SkipWithError(m->status().ToString().c_str());
    state.PauseTiming();
    m.reset();
    state.ResumeTiming();
  }
  usage.Report(state);
  state.SetBytesProcessed(state.iterations() * model.data_bytes);
}

// The resident source of the memcpy baselines: the model's size, touched.
uint8_t* Source() {
  static uint8_t* src = [] {
    const size_t n = TheModel().data_bytes;
    uint8_t* p = static_cast<uint8_t*>(std::malloc(n));
    if (p == nullptr) Die("malloc");
    for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(i * 131);
    return p;
  }();
  return src;
}

// memcpy of the source into `dst`, split into `threads` equal parts; with
// `prefault`, each thread faults in each 4 MiB of its part just before
// copying it (what LoadFile does).
void Copy(uint8_t* dst, int threads, bool prefault) {
  const size_t n = TheModel().data_bytes;
  const uint8_t* src = Source();
  OnThreads(threads, [&](int t) {
    const size_t begin = n / threads * t;
    const size_t end = t + 1 == threads ? n : n / threads * (t + 1);
    constexpr size_t kPiece = size_t{4} << 20;
    for (size_t at = begin; at < end; at += kPiece) {
      const size_t len = std::min(kPiece, end - at);
      if (prefault) internal::PrefaultForWrite(dst + at, len);
      std::memcpy(dst + at, src + at, len);
    }
  });
}

// Destinations: 0 fresh from operator new (4 KiB pages, as a program that
// allocates a buffer and copies gets); 1 fresh from AllocateHostBytes (huge
// pages where available); 2 as 1 with each piece prefaulted; 3 touched
// (allocated and written once, reused by every iteration).
void BM_Memcpy(benchmark::State& state) {
  const int kind = static_cast<int>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const size_t n = TheModel().data_bytes;
  Source();
  static std::shared_ptr<uint8_t> touched;
  if (kind == 3 && touched == nullptr) {
    touched = internal::AllocateHostBytes(n);
    std::memset(touched.get(), 1, n);
  }
  WarmUp([&] {
    if (kind == 0) {
      std::unique_ptr<uint8_t[]> dst(new uint8_t[n]);
      Copy(dst.get(), threads, false);
    } else if (kind != 3) {
      Copy(internal::AllocateHostBytes(n).get(), threads, kind == 2);
    }
  });
  const Usage usage;
  for (auto _ : state) {
    if (kind == 0) {
      std::unique_ptr<uint8_t[]> dst(new uint8_t[n]);
      Copy(dst.get(), threads, false);
      benchmark::DoNotOptimize(dst.get());
      state.PauseTiming();
      dst.reset();
      state.ResumeTiming();
    } else if (kind == 3) {
      Copy(touched.get(), threads, false);
      benchmark::DoNotOptimize(touched.get());
    } else {
      std::shared_ptr<uint8_t> dst = internal::AllocateHostBytes(n);
      Copy(dst.get(), threads, kind == 2);
      benchmark::DoNotOptimize(dst.get());
      state.PauseTiming();
      dst.reset();
      state.ResumeTiming();
    }
  }
  usage.Report(state);
  state.SetBytesProcessed(state.iterations() * n);
}

// `cat` of the checkpoint's files (sharded: the 4 shards; else the one
// file) into one reused 1 MiB buffer; with 2 threads, each file split in
// halves read with pread.
void BM_Cat(benchmark::State& state) {
  const Model& model = TheModel();
  const std::vector<std::string> files =
      state.range(0) ? model.shard_files
                     : std::vector<std::string>{model.single};
  const int threads = static_cast<int>(state.range(1));
  uint64_t bytes = 0;
  for (const std::string& f : files) bytes += FileSize(f);
  std::vector<std::vector<uint8_t>> buffers(threads,
                                            std::vector<uint8_t>(1 << 20));
  const Usage usage;
  for (auto _ : state) {
    if (threads == 1) {
      for (const std::string& f : files) Cat(f, buffers[0].data(), 1 << 20);
      continue;
    }
    OnThreads(threads, [&](int t) {
      for (const std::string& f : files) {
        const int fd = open(f.c_str(), O_RDONLY | O_CLOEXEC);
        const uint64_t size = FileSize(f);
        const uint64_t begin = size / threads * t;
        const uint64_t end = t + 1 == threads ? size : size / threads * (t + 1);
        for (uint64_t at = begin; at < end; at += 1 << 20) {
          const size_t len =
              static_cast<size_t>(std::min<uint64_t>(1 << 20, end - at));
          if (pread(fd, buffers[t].data(), len, static_cast<off_t>(at)) < 0) {
            Die(f + ": pread");
          }
        }
        close(fd);
      }
    });
  }
  usage.Report(state);
  state.SetBytesProcessed(state.iterations() * bytes);
}

BENCHMARK(BM_Memcpy)
    ->ArgNames({"dst", "threads"})
    ->ArgsProduct({{0, 1, 2, 3}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Cat)
    ->ArgNames({"sharded", "threads"})
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LoadFile)
    ->ArgNames({"sharded", "threads", "pread"})
    ->ArgsProduct({{0, 1}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LoadFileBefore)
    ->ArgNames({"sharded", "threads", "pread"})
    ->ArgsProduct({{0, 1}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace bench
}  // namespace safetensors

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  safetensors::bench::TheModel();  // written and warmed before any timing
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
