// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// What a checkpoint holds, as data, for the `safetensors inspect` and
// `header` commands (the tool formats it for printing). Inspect() summarizes
// a Checkpoint (a file or an index; index.h): one row per tensor and totals
// per dtype; it opens (maps and checks) every shard that the checkpoint has
// not opened yet. ReadRawHeader() opens a file and reads its header bytes,
// checking only their length. An Inspection is a plain value that owns its
// strings. Thread-safe (a Checkpoint serializes its lazy opening), but both
// do file I/O: the results depend on the files, not only on the arguments.
//
//   absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
//   absl::StatusOr<Inspection> i = Inspect(*c);
//   for (const InspectedTensor& t : i->tensors) { ... }

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

// The N header bytes of the file at `path`, read without the data (two
// preads) and checked only by the length rules of docs/specification.md §3, so
// that the header of a file that fails validation can still be shown. Errors:
// IoError; HeaderTooSmall, HeaderTooLarge, InvalidHeaderLength.
absl::StatusOr<std::string> ReadRawHeader(const std::string& path,
                                          const ReadOptions& options = {});

}  // namespace safetensors

#endif  // SAFETENSORS_INSPECT_H_
