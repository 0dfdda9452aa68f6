// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "bench/bench_util.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace safetensors {
namespace bench {

std::string TransformerHeader(int tensors, uint64_t* data_size) {
  static const struct {
    const char* name;
    uint64_t rows, cols;
  } kPerLayer[] = {
      {"input_layernorm.weight", 4096, 0},
      {"mlp.down_proj.weight", 4096, 11008},
      {"mlp.gate_proj.weight", 11008, 4096},
      {"mlp.up_proj.weight", 11008, 4096},
      {"post_attention_layernorm.weight", 4096, 0},
      {"self_attn.k_proj.weight", 4096, 4096},
      {"self_attn.o_proj.weight", 4096, 4096},
      {"self_attn.q_proj.weight", 4096, 4096},
      {"self_attn.v_proj.weight", 4096, 4096},
      {"self_attn.rotary_emb.inv_freq", 64, 0},
  };
  std::string out = "{\"__metadata__\":{\"format\":\"pt\"}";
  out.reserve(static_cast<size_t>(tensors) * 110 + 64);
  uint64_t offset = 0;
  for (int i = 0; i < tensors; ++i) {
    const auto& t = kPerLayer[i % 10];
    const uint64_t elements = t.cols ? t.rows * t.cols : t.rows;
    const uint64_t end = offset + elements * 2;
    absl::StrAppend(&out, ",\"model.layers.", i / 10, ".", t.name,
                    "\":{\"dtype\":\"BF16\",\"shape\":[", t.rows);
    if (t.cols) absl::StrAppend(&out, ",", t.cols);
    absl::StrAppend(&out, "],\"data_offsets\":[", offset, ",", end, "]}");
    offset = end;
  }
  out += "}";
  while (out.size() % 8 != 0) out += ' ';
  *data_size = offset;
  return out;
}

std::string LengthPrefix(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return out;
}

int64_t PeakRssBytes() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

int64_t CurrentRssBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return -1;
  long size = 0, resident = 0;
  const int n = std::fscanf(f, "%ld %ld", &size, &resident);
  std::fclose(f);
  if (n != 2) return -1;
  return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

}  // namespace bench
}  // namespace safetensors
