// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Opening a large sharded checkpoint (issue 16): an index shaped like
// today's mixture-of-experts checkpoints, 163 shards and 125,184 tensors
// (768 per shard) named like DeepSeek-V3's
// ("model.layers.17.mlp.experts.123.gate_proj.weight_scale_inv"), written
// as Hugging Face writes it (json.dumps(indent=2, sort_keys=True)), about
// 12 MB of JSON. Each tensor is BF16 [2,2]; only the names and the index
// are realistic. Written once per process into $TMPDIR.
//
//   bazel run -c opt //bench:checkpoint_bench -- --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one line)
//   bazel run -c opt //bench:checkpoint_bench -- --write_checkpoint=DIR
//
// The second form only writes the checkpoint into DIR (for the
// whole-process timing of bench/whole_process.py) and exits.

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"

#include "safetensors/file.h"
#include "safetensors/index.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace bench {
namespace {

constexpr int kShards = 163;
constexpr int kTensors = 125'184;  // 768 per shard

// The tensor names in the order a model lists them: embeddings, then each
// layer's attention, norms, router, shared experts and 256 routed experts
// (FP8 weights with their scales), until kTensors.
std::vector<std::string> MoeNames() {
  std::vector<std::string> names = {"model.embed_tokens.weight"};
  auto add = [&](std::string name) {
    if (names.size() < kTensors - 2) names.push_back(std::move(name));
  };
  for (int layer = 0; names.size() < kTensors - 2; ++layer) {
    const std::string p = absl::StrCat("model.layers.", layer, ".");
    for (const char* proj : {"q_a_proj", "q_b_proj", "kv_a_proj_with_mqa",
                             "kv_b_proj", "o_proj"}) {
      add(absl::StrCat(p, "self_attn.", proj, ".weight"));
      add(absl::StrCat(p, "self_attn.", proj, ".weight_scale_inv"));
    }
    add(absl::StrCat(p, "self_attn.q_a_layernorm.weight"));
    add(absl::StrCat(p, "self_attn.kv_a_layernorm.weight"));
    add(absl::StrCat(p, "input_layernorm.weight"));
    add(absl::StrCat(p, "post_attention_layernorm.weight"));
    add(absl::StrCat(p, "mlp.gate.weight"));
    add(absl::StrCat(p, "mlp.gate.e_score_correction_bias"));
    for (const char* proj : {"gate_proj", "up_proj", "down_proj"}) {
      add(absl::StrCat(p, "mlp.shared_experts.", proj, ".weight"));
      add(absl::StrCat(p, "mlp.shared_experts.", proj, ".weight_scale_inv"));
    }
    for (int e = 0; e < 256; ++e) {
      for (const char* proj : {"gate_proj", "up_proj", "down_proj"}) {
        add(absl::StrCat(p, "mlp.experts.", e, ".", proj, ".weight"));
        add(absl::StrCat(p, "mlp.experts.", e, ".", proj, ".weight_scale_inv"));
      }
    }
  }
  names.push_back("model.norm.weight");
  names.push_back("lm_head.weight");
  return names;
}

std::string ShardName(int shard) {
  return absl::StrFormat("model-%05d-of-%05d.safetensors", shard + 1, kShards);
}

// Writes the checkpoint into `dir` (which must exist) and returns the index
// path; aborts on failure.
std::string WriteCheckpoint(const std::string& dir) {
  const std::vector<std::string> names = MoeNames();
  const uint8_t bytes[8] = {};
  const int per_shard = kTensors / kShards;
  std::vector<std::pair<std::string, int>> map;  // name, shard
  for (int s = 0; s < kShards; ++s) {
    std::vector<TensorRef> refs;
    for (int i = s * per_shard; i < (s + 1) * per_shard; ++i) {
      refs.emplace_back(names[i], Dtype::kBF16, Shape{2, 2},
                        absl::MakeConstSpan(bytes));
      map.emplace_back(names[i], s);
    }
    const absl::Status st =
        WriteFile(absl::StrCat(dir, "/", ShardName(s)), refs);
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", st.ToString().c_str());
      std::abort();
    }
  }
  std::sort(map.begin(), map.end());  // sort_keys=True
  std::string index = absl::StrCat(
      "{\n  \"metadata\": {\n    \"total_size\": ", uint64_t{8} * kTensors,
      "\n  },\n  \"weight_map\": {\n");
  for (size_t i = 0; i < map.size(); ++i) {
    absl::StrAppend(&index, "    \"", map[i].first, "\": \"",
                    ShardName(map[i].second), "\"",
                    i + 1 < map.size() ? ",\n" : "\n");
  }
  absl::StrAppend(&index, "  }\n}");
  const std::string path = absl::StrCat(dir, "/", kIndexFileName);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr ||
      std::fwrite(index.data(), 1, index.size(), f) != index.size() ||
      std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

// The checkpoint of this process, written on first use.
const std::string& IndexPath() {
  static const std::string* path = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = absl::StrCat(tmp ? tmp : "/tmp",
                                   "/safetensors_checkpoint_bench.XXXXXX");
    if (mkdtemp(dir.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    return new std::string(WriteCheckpoint(dir));
  }();
  return *path;
}

const std::string& IndexText() {
  static const std::string* text =
      new std::string(ReadSmallFile(IndexPath(), kMaxIndexSize).value());
  return *text;
}

void Check(const absl::Status& status, benchmark::State& state) {
  if (!status.ok()) state.SkipWithError(status.ToString().c_str());
}

// The index text parsed from memory (includes one copy of the text).
void BM_ParseIndex(benchmark::State& state) {
  const std::string& text = IndexText();
  for (auto _ : state) {
    absl::StatusOr<Checkpoint> c = Checkpoint::ParseIndex(text, IndexPath());
    Check(c.status(), state);
    benchmark::DoNotOptimize(c);
  }
  state.SetBytesProcessed(state.iterations() * text.size());
  state.counters["index_MB"] = text.size() / 1e6;
}
BENCHMARK(BM_ParseIndex)->Unit(benchmark::kMillisecond);

// Baseline: reading the index file (page cache) and nothing else.
void BM_ReadIndexFile(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<std::string> text =
        ReadSmallFile(IndexPath(), kMaxIndexSize);
    Check(text.status(), state);
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(state.iterations() * IndexText().size());
}
BENCHMARK(BM_ReadIndexFile)->Unit(benchmark::kMillisecond);

void BM_Open(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<Checkpoint> c = Checkpoint::Open(IndexPath());
    Check(c.status(), state);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_Open)->Unit(benchmark::kMillisecond)->UseRealTime();

// What `safetensors validate INDEX` does: open, then every shard opened and
// checked against the index, and their metadata merged.
void BM_OpenValidate(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<Checkpoint> c = Checkpoint::Open(IndexPath());
    Check(c.status(), state);
    if (c.ok()) Check(c->Metadata().status(), state);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_OpenValidate)->Unit(benchmark::kMillisecond)->UseRealTime();

// Tensors() on a freshly opened checkpoint (it opens every shard).
void BM_OpenTensors(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<Checkpoint> c = Checkpoint::Open(IndexPath());
    Check(c.status(), state);
    if (!c.ok()) continue;
    absl::StatusOr<std::vector<ShardTensor>> all = c->Tensors();
    Check(all.status(), state);
    benchmark::DoNotOptimize(all);
  }
}
BENCHMARK(BM_OpenTensors)->Unit(benchmark::kMillisecond)->UseRealTime();

// Tensors() alone, every shard already open.
void BM_TensorsOpened(benchmark::State& state) {
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(IndexPath());
  Check(c.status(), state);
  if (!c.ok()) return;
  Check(c->OpenAll(), state);
  for (auto _ : state) {
    absl::StatusOr<std::vector<ShardTensor>> all = c->Tensors();
    Check(all.status(), state);
    benchmark::DoNotOptimize(all);
  }
}
BENCHMARK(BM_TensorsOpened)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace safetensors

int main(int argc, char** argv) {
  constexpr char kWrite[] = "--write_checkpoint=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], kWrite, sizeof(kWrite) - 1) == 0) {
      std::printf("%s\n", safetensors::bench::WriteCheckpoint(
                              argv[i] + sizeof(kWrite) - 1)
                              .c_str());
      return 0;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
