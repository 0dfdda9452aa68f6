// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Test-only: Header::Parse with the compact-entry fast path allowed or not,
// so that tests can hold the fast path to the general path's results, and
// the comparison they share (header_paths_test, fuzz/header_paths_fuzzer).
// Not a reader option: the switch is per thread and exists only for tests.

#ifndef SAFETENSORS_INTERNAL_HEADER_FOR_TESTING_H_
#define SAFETENSORS_INTERNAL_HEADER_FOR_TESTING_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

#include "safetensors/dtype.h"
#include "safetensors/header.h"
#include "safetensors/internal/compact_entry.h"
#include "safetensors/status.h"

namespace safetensors {
namespace internal {

// Header::Parse(text, file_size, options), on the general path for every
// entry when !allow_fast_path.
inline absl::StatusOr<Header> ParseHeaderForTesting(absl::string_view text,
                                                    uint64_t file_size,
                                                    const ReadOptions& options,
                                                    bool allow_fast_path) {
  ScopedCompactEntryFastPath scope(allow_fast_path);
  return Header::Parse(text, file_size, options);
}

// "" when `a` and `b` are the same result: both errors with the same code,
// kind, message and payloads, or both headers with the same header_size,
// data_size and metadata, the same entries in the same order (name, dtype,
// shape, offsets), every name found at the same position, and the same
// sorted names. Otherwise what differs first.
inline std::string HeaderResultDifference(const absl::StatusOr<Header>& a,
                                          const absl::StatusOr<Header>& b) {
  if (a.ok() != b.ok()) {
    return absl::StrCat("one accepts, one rejects: ",
                        a.ok() ? b.status().ToString() : a.status().ToString());
  }
  if (!a.ok()) {
    const absl::Status& x = a.status();
    const absl::Status& y = b.status();
    if (x.code() != y.code()) return "status codes differ";
    if (ErrorKindOf(x) != ErrorKindOf(y)) return "error kinds differ";
    if (x.message() != y.message()) {
      return absl::StrCat("messages differ: ", x.message(), " | ", y.message());
    }
    if (x != y) return "status payloads differ";
    return "";
  }
  if (a->header_size() != b->header_size()) return "header_size differs";
  if (a->data_size() != b->data_size()) return "data_size differs";
  if (a->metadata() != b->metadata()) return "metadata differs";
  const absl::Span<const TensorInfo> ta = a->tensors();
  const absl::Span<const TensorInfo> tb = b->tensors();
  if (ta.size() != tb.size()) return "tensor counts differ";
  for (size_t i = 0; i < ta.size(); ++i) {
    const TensorInfo& x = ta[i];
    const TensorInfo& y = tb[i];
    const std::string at = absl::StrCat("entry #", i, ": ");
    if (x.name != y.name) return at + "names differ";
    if (x.dtype != y.dtype) return at + "dtypes differ";
    if (!std::equal(x.shape.begin(), x.shape.end(), y.shape.begin(),
                    y.shape.end())) {
      return at + "shapes differ";
    }
    if (x.begin != y.begin || x.end != y.end) return at + "offsets differ";
    const TensorInfo* fx = a->Find(x.name);
    const TensorInfo* fy = b->Find(x.name);
    if (fx == nullptr || fy == nullptr) return at + "name not found";
    if (fx - ta.data() != fy - tb.data()) return at + "lookups differ";
  }
  if (a->SortedNames() != b->SortedNames()) return "sorted names differ";
  return "";
}

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_HEADER_FOR_TESTING_H_
