// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// How the tool prints what the library computes: an Inspection (inspect.h)
// as an aligned table or as JSON, a DiffResult (diff.h) as TAB-separated
// lines, and a raw header re-indented. Pure functions of their arguments;
// thread-safe.
//
//   absl::StatusOr<Inspection> i = Inspect(*checkpoint);
//   std::cout << FormatInspectionTable(*i);

#ifndef SAFETENSORS_TOOLS_FORMAT_H_
#define SAFETENSORS_TOOLS_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/diff.h"
#include "safetensors/inspect.h"

namespace safetensors {
namespace tool {

// A table for people: a summary line, one row per tensor (name, dtype,
// shape, size, offset, and shard for an index), the totals per dtype, then
// the metadata. Names and values that hold control characters are written
// as JSON strings. Sizes are exact byte counts; the summary also gives them
// in KiB/MiB/GiB (human_bytes.h).
std::string FormatInspectionTable(const Inspection& inspection);

// The same as one JSON object (for machines), ending in '\n':
//   {"path": ..., "format": "file"|"index", "header_size": N (file),
//    "shards": [...] (index), "tensor_count": K, "data_size": M,
//    "metadata": {...}|null, "index_metadata": {...} (index),
//    "tensors": [{"name", "dtype", "shape", "elements", "size", "offset",
//                 "shard" (index)}, ...],
//    "totals": [{"dtype", "tensors", "elements", "bytes"}, ...],
//    "selected_elements": E, "selected_bytes": B}
// Strings are escaped as the reference writer escapes (valid JSON, UTF-8).
// Integers are exact (up to 2^64-1).
std::string FormatInspectionJson(const Inspection& inspection);

// One line per difference, TAB-separated, names and keys as JSON strings
// (as the canonical dump writes them):
//   only_a  "name"  DTYPE [shape]         only_b  "name"  DTYPE [shape]
//   dtype   "name"  A B                   shape   "name"  [a] [b]
//   content "name"  fnvA fnvB             meta    "key"   "a"|- "b"|-
// then a summary line: "summary<TAB>K in A, L in B: I identical, D differ,
// X only in A, Y only in B" (and ", M metadata keys differ" when any do).
// A difference with numeric statistics (DiffOptions::numeric) gets one more
// field, "max_abs=X max_rel=Y over=K/N" (%.6g; "inf" when infinite), and
// then the summary says how many values compared tensors are outside the
// tolerance `tolerance` ("atol=A rtol=R"; empty without numeric).
std::string FormatDiff(const DiffResult& result,
                       absl::string_view tolerance = "");

// The same as one JSON object: {"a": A, "b": B, "same": bool,
// "within_tolerance": bool (numeric only), "tensors_a", "tensors_b",
// "identical", "differences": [{"kind": "content", "name": ..., "a": ...,
// "b": ..., and with numeric statistics "elements", "over_tolerance",
// "max_abs", "max_rel" (numbers; the string "inf" when infinite)}, ...]}.
std::string FormatDiffJson(const DiffResult& result, absl::string_view a,
                           absl::string_view b, bool numeric);

// `text` (JSON) re-indented by 2 spaces per level, one member or element per
// line, arrays of scalars kept on one line ("[2, 3]"); strings, numbers and
// keys are copied byte for byte (escapes are not decoded), trailing
// whitespace dropped; ends in '\n'. Errors: InvalidHeader when `text` is not
// UTF-8, InvalidHeaderDeserialization when it is not JSON (the message gives
// the byte offset). Cost: one pass; nesting bounded by 128.
absl::StatusOr<std::string> PrettyPrintJson(absl::string_view text);

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_FORMAT_H_
