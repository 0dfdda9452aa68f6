// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Builds realistic headers and files for the benchmarks.

#ifndef SAFETENSORS_BENCH_BENCH_UTIL_H_
#define SAFETENSORS_BENCH_BENCH_UTIL_H_

#include <cstdint>
#include <string>

namespace safetensors {
namespace bench {

// Header text for `tensors` BF16 tensors named like a transformer's weights
// ("model.layers.17.self_attn.q_proj.weight"), listed in offset order with
// contiguous offsets, as the reference writer lays them out; about 100 bytes
// per tensor. *data_size receives the data section's length.
std::string TransformerHeader(int tensors, uint64_t* data_size);

// The 8-byte little-endian length prefix of `n`.
std::string LengthPrefix(uint64_t n);

// Peak resident set size of this process in bytes (getrusage).
int64_t PeakRssBytes();

// Current resident set size of this process in bytes (/proc/self/statm), or
// -1 where that file is missing.
int64_t CurrentRssBytes();

}  // namespace bench
}  // namespace safetensors

#endif  // SAFETENSORS_BENCH_BENCH_UTIL_H_
