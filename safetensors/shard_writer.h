// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Writing a sharded checkpoint: tensors split greedily into shard files of at
// most a given data size, then the index (model.safetensors.index.json) that
// names them, as Hugging Face writes it. Checkpoint (index.h) reads the
// result back as one model.
//
//   safetensors::ShardWriteOptions options;
//   options.max_shard_size = 2'000'000'000;
//   absl::StatusOr<safetensors::ShardLayout> layout =
//       safetensors::WriteShardedCheckpoint("out", tensors, metadata,
//                                           options);
//
// Every file is written atomically (temporary + rename, as writer.h
// describes), the index last. All functions are thread-compatible.

#ifndef SAFETENSORS_SHARD_WRITER_H_
#define SAFETENSORS_SHARD_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/header.h"
#include "safetensors/writer.h"

namespace safetensors {

// The order in which tensors fill the shards (each shard file itself is laid
// out in the writer's order, as every file is).
enum class ShardOrder {
  // The writer's order: dtype rank descending, then name bytes (writer.h).
  // All of one dtype together; "layers.10" before "layers.2".
  kWriter,
  // Names in natural order: runs of digits compare as numbers, the rest as
  // bytes ("layers.2" before "layers.10"), so each layer's tensors are
  // together and layers come in order, as Hugging Face's save_pretrained
  // writes a model's state dict (which pipeline-parallel and streaming
  // loaders rely on).
  kNatural,
  // The order of the tensors as given.
  kGiven,
};

// Whether `a` comes before `b` in natural order (ShardOrder::kNatural):
// digit runs by numeric value (then the shorter run, "2" before "02"), other
// bytes by value; names equal that way by their bytes. A strict total order.
bool NaturalNameLess(absl::string_view a, absl::string_view b);

struct ShardWriteOptions {
  // The most tensor data bytes in one shard (the header not counted). A
  // tensor larger than this gets a shard of its own. Must be at least 1.
  // Default 5,000,000,000 (Hugging Face's "5GB").
  uint64_t max_shard_size = 5'000'000'000;
  // How each shard is written (alignment, fsync, the data's byte order).
  // Use data_order = ByteOrder::kLittleEndian for bytes copied from a file.
  // The index is fsynced when `write.fsync` is set.
  WriteOptions write;
  // Shard files are named "<prefix>-00001-of-0000N.safetensors" and the
  // index "<prefix>.safetensors.index.json". Default "model".
  std::string prefix = "model";
  // The order in which tensors fill the shards. Default kWriter.
  ShardOrder order = ShardOrder::kWriter;
  // Optional; called after each chunk of tensor data is written, with the
  // bytes done so far over all shards and the total.
  ProgressCallback progress;
  // Optional; called with each chunk of the input tensors' bytes once it is
  // written, e.g. to release the pages of mapped inputs behind the write
  // (File::ReleasePages), so that resident memory stays bounded.
  ChunkWrittenCallback written;
};

// Where WriteShardedCheckpoint put each tensor.
struct ShardLayout {
  std::vector<std::string> shard_names;
  // For each shard, the positions in the input of its tensors, in the order
  // they filled it (options.order).
  std::vector<std::vector<size_t>> shard_tensors;
  uint64_t total_size = 0;  // the sum of the tensors' data bytes
};

// Splits tensors into shards: in options.order (by default the writer's:
// dtype rank descending, then name bytes; writer.h), greedily, a new shard
// starting when the next tensor would take the current one over
// options.max_shard_size. Errors:
// those of WritePlan::Create for the whole set, and kInvalidArgument (no
// kind) when max_shard_size is 0 or the prefix is empty, "." or "..", or
// holds '/' or NUL. Cost: O(T log T + header bytes).
absl::StatusOr<ShardLayout> PlanShards(absl::Span<const TensorDesc> tensors,
                                       const ShardWriteOptions& options);

// The index text for a layout: {"metadata": {"total_size": N}, "weight_map":
// {...}}, keys sorted, indented by 2 as Hugging Face writes it (Python's
// json.dumps(indent=2, sort_keys=True, ensure_ascii=False)), ending in '\n'.
std::string FormatIndex(const ShardLayout& layout,
                        absl::Span<const TensorDesc> tensors);

// Writes `tensors` as a sharded checkpoint into the existing directory
// `directory`: the shards of PlanShards, each through a StreamWriter with
// `metadata` as its "__metadata__" (memory stays bounded by the writer's
// buffer whatever the sizes), then the index. Each file is written
// atomically and a file replaced keeps its mode; the index comes last, so a
// failed run leaves the previous index (or none) in place (shards already
// written stay). Files already in `directory` with other names are left
// alone. Errors: PlanShards', TensorInvalidInfo when a tensor's data length
// differs from its dtype and shape (checked before anything is written),
// kInvalidArgument (no kind) for metadata without any tensor (a sharded
// checkpoint keeps its metadata in its shards, and with no tensor there is
// no shard: write one file instead), IoError. No tensors and no metadata
// give no shard and an index with an empty weight_map.
absl::StatusOr<ShardLayout> WriteShardedCheckpoint(
    const std::string& directory, absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata,
    const ShardWriteOptions& options = {});

namespace internal {
class FileSystem;

// WriteShardedCheckpoint with every file-system call (shards and index) made
// through `fs`: the seam fault-injection tests write through.
absl::StatusOr<ShardLayout> WriteShardedCheckpoint(
    FileSystem* fs, const std::string& directory,
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata,
    const ShardWriteOptions& options);
}  // namespace internal

}  // namespace safetensors

#endif  // SAFETENSORS_SHARD_WRITER_H_
