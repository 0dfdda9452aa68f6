// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Comparing two checkpoints (files or indexes; index.h), as data, for
// `safetensors diff` (the tool formats it for printing): tensors only in
// one, dtype or shape differences, content differences, and "__metadata__"
// differences. Diff() opens (maps and checks) every shard of both
// checkpoints that is not open yet and reads the bytes of the tensors it
// compares, byte for byte (exact); a differing tensor is reported with the
// FNV-1a 64 of each side (dump.h), so that it can be matched with a
// canonical dump. A DiffResult is a plain value that owns its strings.
// Thread-safe (a Checkpoint serializes its lazy opening), but it does file
// I/O: the result depends on the files, not only on the arguments.
//
//   absl::StatusOr<DiffResult> d = Diff(*a, *b);
//   for (const Difference& x : d->differences) { ... }

#ifndef SAFETENSORS_DIFF_H_
#define SAFETENSORS_DIFF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "safetensors/index.h"
#include "safetensors/writer.h"  // ProgressCallback

namespace safetensors {

struct Difference {
  enum class Kind {
    kOnlyInA,   // a: "DTYPE [shape]"; b empty
    kOnlyInB,   // b: "DTYPE [shape]"; a empty
    kDtype,     // a, b: the dtypes (the shapes may differ too)
    kShape,     // a, b: the shapes, e.g. "[2,3]"
    kContent,   // a, b: FNV-1a 64 of the bytes, 16 hex digits
    kMetadata,  // name is the key; a, b: the values as JSON strings, or "-"
  };
  Kind kind;
  std::string name;  // the tensor's name, or the metadata key
  std::string a;
  std::string b;
};

struct DiffResult {
  // Tensor differences sorted by name (bytes), then metadata differences
  // sorted by key.
  std::vector<Difference> differences;
  uint64_t tensors_a = 0;
  uint64_t tensors_b = 0;
  uint64_t identical = 0;  // tensors in both with equal dtype, shape, bytes
  bool same() const { return differences.empty(); }
};

// Compares `a` and `b`. Opens every shard of both. `progress`, when given,
// is called as tensor bytes are compared (done, total: the bytes of the
// tensors present in both with equal dtype and shape, counted once). Errors:
// those of Checkpoint::Tensors and Checkpoint::Metadata. Cost: O(T log T)
// plus one pass over the compared bytes, and a second (hashing) pass over
// the tensors that differ.
absl::StatusOr<DiffResult> Diff(const Checkpoint& a, const Checkpoint& b,
                                const ProgressCallback& progress = nullptr);

}  // namespace safetensors

#endif  // SAFETENSORS_DIFF_H_
