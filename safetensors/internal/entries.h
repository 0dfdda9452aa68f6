// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: what the header parser does with its tensor entries once the
// JSON is read, as free functions over a plain vector of entries, so they can
// be tested without JSON. An entry is any struct with the members of
// TensorInfo (name, dtype, shape, begin, end); the parser passes TensorInfo
// itself. IndexEntries resolves repeated names, puts the entries in offset
// order and indexes them; ValidateEntries then runs the validation of the
// format (docs/specification.md) in the reference's exact order: offsets in
// order and contiguous (InvalidOffset), the byte size of dtype and shape
// (ValidationOverflow, MisalignedSlice), that size against the entry's span
// (TensorInvalidInfo), and finally coverage of the file
// (MetadataIncompleteBuffer), with checked 64-bit arithmetic throughout.

#ifndef SAFETENSORS_INTERNAL_ENTRIES_H_
#define SAFETENSORS_INTERNAL_ENTRIES_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"
#include "safetensors/internal/name_index.h"

namespace safetensors {
namespace internal {

// What IndexEntries does when a name occurs more than once.
enum class RepeatedNames {
  kReject,    // the strict profile: leave the entries and report the repeat
  kLastWins,  // the reference profile: keep only each name's last entry
};

// Indexes (*entries)[i].name into *index, resolves repeated names by
// `repeats`, and sorts the entries by (begin, end), stably, so entries with
// the same offsets keep their order (the header's text order when *entries
// is in that order), re-indexing when anything moved.
//
// Returns -1, or, with kReject, the position of the first entry whose name
// repeats an earlier entry's, leaving *entries in their order (*index is then
// unspecified).
template <typename Entry>
int64_t IndexEntries(std::vector<Entry>* entries, RepeatedNames repeats,
                     NameIndex* index);

// Checks one entry, the next in offset order, against the end of the
// previous one, *cursor (0 for the first), and advances *cursor to its end.
// Errors: InvalidOffset, ValidationOverflow, MisalignedSlice,
// TensorInvalidInfo; the message names the tensor.
absl::Status CheckEntry(absl::string_view name, Dtype dtype,
                        absl::Span<const uint64_t> shape, uint64_t begin,
                        uint64_t end, uint64_t* cursor);

// Checks that a file of `file_size` bytes is exactly 8 + `header_size` +
// `data_size`. Error: MetadataIncompleteBuffer, whose message says whether
// the file is truncated (and by how much) or has bytes after the last
// tensor's data (and how many).
// `n` in decimal with thousands separators: "4,294,967,296".
std::string FormatByteCount(uint64_t n);

// `n` bytes for a person: "1 byte", "512 bytes", "1,536 bytes (1.50 KiB)",
// "3.00 GiB" from 1 MiB on.
std::string FormatByteSize(uint64_t n);

absl::Status CheckCoverage(uint64_t data_size, uint64_t header_size,
                           uint64_t file_size);

// Validates entries in offset order (as IndexEntries leaves them): CheckEntry
// on each, in order, so the first failing entry is reported, then
// CheckCoverage. Sets *data_size to the last entry's end (0 without entries)
// before the coverage check.
template <typename Entry>
absl::Status ValidateEntries(absl::Span<const Entry> entries,
                             uint64_t header_size, uint64_t file_size,
                             uint64_t* data_size);

// Implementation details follow.

template <typename Entry>
int64_t IndexEntries(std::vector<Entry>* entries, RepeatedNames repeats,
                     NameIndex* index) {
  std::vector<Entry>& e = *entries;
  auto name_at = [&e](uint32_t i) { return e[i].name; };
  std::vector<bool> dead;
  int64_t first_repeat = -1;
  const size_t repeated =
      index->Build(e.size(), name_at, [&](uint32_t earlier, uint32_t later) {
        if (first_repeat < 0) first_repeat = later;
        if (dead.empty()) dead.resize(e.size());
        dead[earlier] = true;
      });
  bool moved = false;
  if (repeated > 0) {
    if (repeats == RepeatedNames::kReject) return first_repeat;
    size_t kept = 0;
    for (size_t i = 0; i < e.size(); ++i) {
      if (!dead[i]) e[kept++] = e[i];
    }
    e.resize(kept);
    moved = true;
  }
  auto by_offsets = [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  };
  if (!std::is_sorted(e.begin(), e.end(), by_offsets)) {
    std::stable_sort(e.begin(), e.end(), by_offsets);
    moved = true;
  }
  if (moved) {
    index->Build(e.size(), name_at,
                 [](uint32_t, uint32_t) {});  // no repeats are left
  }
  return -1;
}

template <typename Entry>
absl::Status ValidateEntries(absl::Span<const Entry> entries,
                             uint64_t header_size, uint64_t file_size,
                             uint64_t* data_size) {
  uint64_t cursor = 0;
  for (const Entry& t : entries) {
    absl::Status s =
        CheckEntry(t.name, t.dtype, t.shape, t.begin, t.end, &cursor);
    if (!s.ok()) return s;
  }
  *data_size = cursor;
  return CheckCoverage(cursor, header_size, file_size);
}

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_ENTRIES_H_
