// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/name_index.h"

#include "absl/hash/hash.h"

namespace safetensors {
namespace internal {

uint64_t NameIndex::Hash(absl::string_view name) {
  const uint64_t h = absl::Hash<absl::string_view>{}(name);
  // Mix so that the low bits (the slot) and the high bits (the tag) are
  // both well spread.
  return (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull;
}

}  // namespace internal
}  // namespace safetensors
