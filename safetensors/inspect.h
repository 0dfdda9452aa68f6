// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// What the `safetensors inspect` and `header` commands show, computed here so
// that the tool only prints (as dump.h does for `dump`): a summary of a
// checkpoint (a file or an index; index.h) with one row per tensor and
// totals per dtype, formatted as an aligned table or as JSON; and a file's
// raw header, pretty-printed. An Inspection is a plain value that owns its
// strings. Pure functions of their arguments; thread-safe.
//
//   absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
//   absl::StatusOr<Inspection> i = Inspect(*c);
//   std::cout << FormatInspectionTable(*i);

#ifndef SAFETENSORS_INSPECT_H_
#define SAFETENSORS_INSPECT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/dtype.h"
#include "safetensors/header.h"
#include "safetensors/index.h"

namespace safetensors {

struct InspectedTensor {
  std::string name;
  Dtype dtype;
  std::vector<uint64_t> shape;
  uint64_t elements = 0;
  uint64_t size = 0;    // bytes
  uint64_t offset = 0;  // data_offsets[0], in its shard's data section
  std::string shard;    // the shard's file name (an index only)
};

struct DtypeTotal {
  Dtype dtype;
  uint64_t tensors = 0;
  uint64_t elements = 0;
  uint64_t bytes = 0;
};

struct Inspection {
  std::string path;
  bool is_index = false;
  std::vector<std::string> shards;  // shard file names (an index only)
  uint64_t header_size = 0;         // N (a single file only)
  uint64_t tensor_count = 0;        // every tensor, selected or not
  uint64_t data_size = 0;           // every tensor's bytes, selected or not
  // The selected tensors, shard by shard, each in file (offset) order.
  std::vector<InspectedTensor> tensors;
  // Totals over the selected tensors, by dtype rank descending (the writer's
  // order), and their sums.
  std::vector<DtypeTotal> totals;
  uint64_t selected_elements = 0;
  uint64_t selected_bytes = 0;
  std::optional<MetadataMap> metadata;  // the "__metadata__" (merged)
  IndexMetadata index_metadata;         // the index's "metadata" (raw JSON)
};

// Summarizes `checkpoint`, keeping the tensors for which `select` (when
// given) returns true; totals count only those. Opens every shard. Errors:
// those of Checkpoint::Tensors and Checkpoint::Metadata. O(T).
absl::StatusOr<Inspection> Inspect(
    const Checkpoint& checkpoint,
    const std::function<bool(absl::string_view name)>& select = nullptr);

// A table for people: a summary line, one row per tensor (name, dtype,
// shape, size, offset, and shard for an index), the totals per dtype, then
// the metadata. Names and values that hold control characters are written
// as JSON strings. Sizes are exact byte counts; the summary also gives them
// in KiB/MiB/GiB.
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

// "71 B", "1.5 KiB", "13.49 GiB": a byte count for people.
std::string HumanBytes(uint64_t bytes);

// The N header bytes of the file at `path`, read without the data (two
// preads) and checked only by the length rules of REFERENCE.md §2, so that
// the header of a file that fails validation can still be shown. Errors:
// IoError; HeaderTooSmall, HeaderTooLarge, InvalidHeaderLength.
absl::StatusOr<std::string> ReadRawHeader(const std::string& path,
                                          const ReadOptions& options = {});

// `text` (JSON) re-indented by 2 spaces per level, one member or element per
// line, arrays of scalars kept on one line ("[2, 3]"); strings, numbers and
// keys are copied byte for byte (escapes are not decoded), trailing
// whitespace dropped; ends in '\n'. Errors: InvalidHeader when `text` is not
// UTF-8, InvalidHeaderDeserialization when it is not JSON (the message gives
// the byte offset). Cost: one pass; nesting bounded by 128.
absl::StatusOr<std::string> PrettyPrintJson(absl::string_view text);

}  // namespace safetensors

#endif  // SAFETENSORS_INSPECT_H_
