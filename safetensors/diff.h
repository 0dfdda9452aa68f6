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
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "safetensors/index.h"
#include "safetensors/writer.h"  // ProgressCallback

namespace safetensors {

// How the values of two floating-point tensors of one shape compare, after
// both are converted to double (exactly: every floating dtype fits).
struct NumericStats {
  uint64_t elements = 0;
  // Elements where |a - b| > atol + rtol * |b| (numpy.isclose's rule), or
  // where one side is NaN and the other not, or infinities differ. NaN
  // against NaN, and -0 against +0, are equal.
  uint64_t over_tolerance = 0;
  // The largest |a - b| and |a - b| / |b| over the elements (b == 0 with a
  // != 0 gives an infinite relative difference); pairs with a NaN are left
  // out of both, unequal infinities make them infinite.
  double max_abs = 0;
  double max_rel = 0;
};

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
  // With DiffOptions::numeric, for kContent and kDtype differences of
  // tensors of one shape whose dtypes are both floating (BF16, F16, the F8
  // types, F32, F64): how their values compare.
  std::optional<NumericStats> numeric;
};

struct DiffResult {
  // Tensor differences sorted by name (bytes), then metadata differences
  // sorted by key.
  std::vector<Difference> differences;
  uint64_t tensors_a = 0;
  uint64_t tensors_b = 0;
  uint64_t identical = 0;  // tensors in both with equal dtype, shape, bytes
  bool same() const { return differences.empty(); }
  // With DiffOptions::numeric: whether every tensor in either is in both,
  // with one shape, and identical or (both floating) within the tolerance.
  // Metadata differences do not count.
  bool within_tolerance = false;
};

struct DiffOptions {
  // Compare the values of floating-point tensors that differ (in bytes or
  // in dtype) too, and set Difference::numeric and within_tolerance.
  bool numeric = false;
  double atol = 0;  // the tolerance: |a - b| <= atol + rtol * |b|
  double rtol = 0;
  // When given, called as tensor bytes are compared (done, total).
  ProgressCallback progress;
};

// Compares `a` and `b`. Opens every shard of both. `progress`, when given,
// is called as tensor bytes are compared (done, total: the bytes of the
// tensors present in both with equal dtype and shape, counted once, plus,
// with options.numeric, those of floating tensors of one shape whose dtypes
// differ). Errors:
// those of Checkpoint::Tensors and Checkpoint::Metadata. Cost: O(T log T)
// plus one pass over the compared bytes, and a second (hashing) pass over
// the tensors that differ.
//
// Memory: the bytes are read in windows, and each window's pages are
// released (File::ReleasePages) once compared, so resident memory stays
// bounded (about 2 x 64 MiB plus 16 MiB for numeric comparison) however
// large the files are.
absl::StatusOr<DiffResult> Diff(const Checkpoint& a, const Checkpoint& b,
                                const DiffOptions& options);
absl::StatusOr<DiffResult> Diff(const Checkpoint& a, const Checkpoint& b,
                                const ProgressCallback& progress = nullptr);

}  // namespace safetensors

#endif  // SAFETENSORS_DIFF_H_
