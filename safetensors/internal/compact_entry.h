// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the header parser's fast path for the one entry form that writers
// emit, byte for byte,
//   {"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}
// read straight from the text without the tokenizer. Anything else (other
// whitespace or field order, an escape, a number of 20 digits or with a
// leading zero, an unknown dtype, any error) makes it give up, and the
// general path then reads the entry and reports any error, so what the fast
// path accepts is a subset of what the general path accepts, with the same
// result. Stateless apart from the per-thread switch below.

#ifndef SAFETENSORS_INTERNAL_COMPACT_ENTRY_H_
#define SAFETENSORS_INTERNAL_COMPACT_ENTRY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

#include "safetensors/dtype.h"

namespace safetensors {
namespace internal {

// One entry read by ParseCompactEntry.
struct CompactEntry {
  Dtype dtype = Dtype::kBool;
  uint64_t begin = 0;    // data_offsets[0]
  uint64_t end = 0;      // data_offsets[1]
  size_t value_end = 0;  // offset in the text just past the entry's '}'
};

// Reads an entry in exactly the compact form starting at text[pos]. On
// success appends the shape's dimensions to *dims, fills *entry and returns
// true. Otherwise returns false with *dims as it was. Says nothing about what
// follows the entry.
bool ParseCompactEntry(absl::string_view text, size_t pos,
                       std::vector<uint64_t>* dims, CompactEntry* entry);

// Whether the header parser may take the fast path on this thread: true
// unless a ScopedCompactEntryFastPath(false) is alive on it. For tests that
// compare the two paths; never a reader option.
bool CompactEntryFastPathAllowed();

// Sets CompactEntryFastPathAllowed() on this thread for its lifetime.
class ScopedCompactEntryFastPath {
 public:
  explicit ScopedCompactEntryFastPath(bool allowed);
  ~ScopedCompactEntryFastPath();
  ScopedCompactEntryFastPath(const ScopedCompactEntryFastPath&) = delete;
  ScopedCompactEntryFastPath& operator=(const ScopedCompactEntryFastPath&) =
      delete;

 private:
  const bool previous_;
};

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_COMPACT_ENTRY_H_
