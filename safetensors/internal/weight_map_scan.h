// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the index parser's fast path for a "weight_map" object, read
// straight from the text without the tokenizer (docs/specification.md §17).
// It reads the one form every writer emits: an object of string members,
//   {"model.embed.weight": "model-00001-of-00002.safetensors", ...}
// with any JSON whitespace between tokens, whose strings have no escape.
// Anything else (an escape, a raw control character, a value that is not a
// string, a syntax error, the end of the text) makes it give up, and the
// general path then reads the object and reports any error; it checks no
// rule of the index's schema (duplicate names, unsafe shard names), which the
// caller applies. So what it accepts is a subset of what the general path
// accepts, with the same members. Stateless apart from the per-thread switch
// below.

#ifndef SAFETENSORS_INTERNAL_WEIGHT_MAP_SCAN_H_
#define SAFETENSORS_INTERNAL_WEIGHT_MAP_SCAN_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {

// One member of a weight_map: views of the bytes between the quotes.
struct WeightMapMember {
  absl::string_view name;
  absl::string_view file;
};

// Reads a weight_map object starting at text[pos]: optional JSON whitespace,
// '{', members, '}'. The text must be valid UTF-8 (ValidateUtf8). On success
// appends the members, in order, to *members, sets *end just past the '}'
// and returns true. Otherwise returns false; *members may then hold some of
// the members and must be discarded. Says nothing about what follows.
bool ScanWeightMap(absl::string_view text, size_t pos,
                   std::vector<WeightMapMember>* members, size_t* end);

// Whether the index parser may take the fast path on this thread: true
// unless a ScopedWeightMapFastPath(false) is alive on it. For tests that
// compare the two paths; never a reader option.
bool WeightMapFastPathAllowed();

// Sets WeightMapFastPathAllowed() on this thread for its lifetime.
class ScopedWeightMapFastPath {
 public:
  explicit ScopedWeightMapFastPath(bool allowed);
  ~ScopedWeightMapFastPath();
  ScopedWeightMapFastPath(const ScopedWeightMapFastPath&) = delete;
  ScopedWeightMapFastPath& operator=(const ScopedWeightMapFastPath&) = delete;

 private:
  const bool previous_;
};

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_WEIGHT_MAP_SCAN_H_
