// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Sharded checkpoints (docs/specification.md §17): a model split over several
// safetensors files, described by `model.safetensors.index.json` (the Hugging
// Face convention):
//
//   {"metadata": {"total_size": 71},
//    "weight_map": {"embed.weight": "model-00002-of-00002.safetensors", ...}}
//
// A Checkpoint is one model read either from such an index and the shards it
// names, or from a single safetensors file (one shard, no index), so that a
// caller treats both alike. It owns the index's contents and every shard it
// has opened (each a File); every TensorView it hands out lives as long
// as the Checkpoint. Shards are opened lazily, on first use, and checked
// against the index when they are: the Checkpoint is safe for concurrent
// const use (each shard is opened once, under its own lock, so threads that
// first touch different shards open them in parallel).
//
//   absl::StatusOr<safetensors::Checkpoint> model =
//       safetensors::Checkpoint::Open("model/model.safetensors.index.json");
//   absl::StatusOr<safetensors::TensorView> w =
//       model->Tensor("lm_head.weight");
//   absl::StatusOr<std::vector<safetensors::ShardTensor>> all =
//       model->Tensors();
//
// Writing a sharded checkpoint: shard_writer.h.
//
// Errors, and the kinds chosen for what a single file cannot express:
//   * the index file cannot be read: IoError (the code errno maps to);
//   * the index is larger than kMaxIndexSize: HeaderTooLarge;
//   * the index is not UTF-8 or not JSON, has a duplicate key, lacks
//     "weight_map", has a value of the wrong type, or names a shard file by an
//     absolute path or with a ".." component: InvalidHeaderDeserialization
//     (kInvalidArgument), the message naming the index file (and the byte
//     offset or the tensor). Absolute paths and ".." are refused as a
//     security measure, so that an index cannot make a reader open files
//     outside the index's directory (symbolic links inside it are followed);
//   * a shard cannot be opened or is not a valid file: the shard's own error
//     (IoError, or the kind SafeTensors::Parse gives), its message prefixed
//     with the index and naming the shard;
//   * a tensor the index maps to a shard that does not hold it: TensorNotFound
//     (kNotFound), naming the shard and the tensor;
//   * a shard holding a tensor that the index maps to another shard (so the
//     tensor is in two shards, or is not where the map says) or does not list
//     at all: InvalidHeaderDeserialization (kInvalidArgument), naming the
//     shard, the tensor and the shard the map names. This is the kind a
//     single file gives for a duplicate tensor name (docs/specification.md §6,
//     strict), which is what a tensor in two shards is; no new kind is
//     introduced.

#ifndef SAFETENSORS_INDEX_H_
#define SAFETENSORS_INDEX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/file.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"

namespace safetensors {

// The file name Hugging Face gives the index of a sharded checkpoint.
inline constexpr absl::string_view kIndexFileName =
    "model.safetensors.index.json";

// The largest index file read (1 GiB); a larger one is HeaderTooLarge. An
// index spends about 100 bytes per tensor.
inline constexpr uint64_t kMaxIndexSize = uint64_t{1} << 30;

// True when `path` names an index rather than a safetensors file: it ends in
// ".json". The tool and Checkpoint::Open decide by name alone.
bool IsIndexPath(absl::string_view path);

// The model file a path names. A path that is not a directory is returned
// as given. For a directory, the first that exists of:
//   1. DIR/model.safetensors.index.json (a sharded checkpoint);
//   2. DIR/model.safetensors;
//   3. the one *.safetensors.index.json in DIR (e.g. diffusers'
//      diffusion_pytorch_model.safetensors.index.json);
//   4. the one *.safetensors file in DIR.
// A Hugging Face cache entry (models--ORG--NAME, holding snapshots/ and
// refs/) resolves to the snapshot refs/main names (or the only snapshot),
// then as above; its files are symbolic links into blobs/, which are
// followed. Errors: IoError (the code errno maps to) when the path or a
// directory cannot be read; IoError (kNotFound) when the directory holds no
// model file, or (kFailedPrecondition) several candidates at one step: the
// message lists what the directory holds and says how to choose.
// Cost: one stat, and one directory listing per level.
absl::StatusOr<std::string> ResolveModelPath(const std::string& path);

// One tensor of a checkpoint and the shard that holds it.
struct ShardTensor {
  size_t shard;  // position in Checkpoint::shard_names()
  TensorView view;
};

// The index's "metadata" object: each key with its value as JSON text,
// exactly as written in the index (e.g. "71" or "\"fp16\"").
using IndexMetadata = std::map<std::string, std::string, std::less<>>;

class Checkpoint {
 public:
  // Reads and checks the index at `index_path` (see the errors at the top of
  // this file); opens no shard. Shard file names are relative to the index's
  // directory. `options` applies to every shard when it is opened.
  // Cost: one read of the index, O(index bytes + S log S) for S shards; the
  // names are not copied (the Checkpoint keeps the index text).
  static absl::StatusOr<Checkpoint> OpenIndex(const std::string& index_path,
                                              const OpenOptions& options = {});

  // A single safetensors file as a one-shard checkpoint, opened at once
  // (File::Open and its errors). Its shard name is the file's base
  // name; it has no index metadata.
  static absl::StatusOr<Checkpoint> OpenFile(const std::string& path,
                                             const OpenOptions& options = {});

  // A model by path: a directory is resolved with ResolveModelPath (and its
  // errors); then OpenIndex when IsIndexPath, OpenFile otherwise.
  static absl::StatusOr<Checkpoint> Open(const std::string& path,
                                         const OpenOptions& options = {});

  // An index held in memory, as if read from a file named `index_path`
  // (whose directory the shard names are relative to). For tests and for
  // indexes that come from elsewhere. Errors as OpenIndex, less IoError.
  static absl::StatusOr<Checkpoint> ParseIndex(absl::string_view text,
                                               const std::string& index_path,
                                               const OpenOptions& options = {});

  Checkpoint(Checkpoint&&) noexcept;
  Checkpoint& operator=(Checkpoint&&) noexcept;
  Checkpoint(const Checkpoint&) = delete;  // owns mappings
  Checkpoint& operator=(const Checkpoint&) = delete;
  ~Checkpoint();

  // The index's path, or the single file's (for a directory given to Open,
  // the file ResolveModelPath chose).
  const std::string& path() const { return path_; }
  bool is_index() const { return is_index_; }

  // The shard file names, as the index writes them, sorted by their bytes
  // (for a single file, its base name).
  const std::vector<std::string>& shard_names() const { return shard_names_; }
  // The path a shard is opened from: the index's directory joined with the
  // shard's name. REQUIRES: shard < shard_names().size().
  std::string ShardPath(size_t shard) const;

  // The number of tensors the index lists (for a file, that it holds).
  size_t size() const;
  // Every tensor name, sorted by its bytes, with the shard the index maps it
  // to. Needs no shard to be open. Built on the first call (O(T log T), a copy
  // of every name), which opening and lookups never need; thread-safe.
  const std::map<std::string, size_t, std::less<>>& weight_map() const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;
  // Whether the index lists `name` (for a file, whether it holds it). O(1)
  // expected.
  bool Contains(absl::string_view name) const;

  // The index's "metadata" object (empty for a single file or an index
  // without one or with "metadata": null), and its "total_size" when that is an
  // unsigned integer.
  const IndexMetadata& index_metadata() const { return index_metadata_; }
  std::optional<uint64_t> total_size() const;

  // The shard, opened and checked against the index on first use; later
  // calls return the same file, or the same error. Errors: see the top of
  // this file. REQUIRES: shard < shard_names().size().
  absl::StatusOr<const File*> Shard(size_t shard) const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // The shard as a LazyFile (only its header is read; tensors are read with
  // pread when asked), checked against the index as Shard() checks it, with
  // Shard()'s errors. Not cached, and independent of Shard(): each call
  // opens the file again, and the open options' backend is not used.
  // REQUIRES: shard < shard_names().size().
  absl::StatusOr<LazyFile> OpenShardLazily(size_t shard) const;

  // The tensor named `name`, from the shard the index maps it to (opened if
  // needed). Errors: TensorNotFound when the index does not list `name`
  // (the message names the index), and those of Shard(). O(1) expected once
  // the shard is open.
  absl::StatusOr<TensorView> Tensor(absl::string_view name) const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // Opens and checks every shard: afterwards every tensor is known to be in
  // exactly the shard the index names. The first error, in shard order (the
  // same as opening them one by one). From 4 shards on, opens them on two
  // threads (this one and one it starts); after an error, shards past the
  // failing one may have been opened too.
  absl::Status OpenAll() const;

  // Every tensor, shard by shard (in shard_names() order), each shard's in
  // the order of their bytes in the file. Opens every shard (OpenAll's
  // errors). Allocates the vector; O(T).
  absl::StatusOr<std::vector<ShardTensor>> Tensors() const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // The safetensors "__metadata__" of the model: the union of every shard's
  // (nullopt when no shard has any). Opens every shard. Errors: OpenAll's,
  // and InvalidHeaderDeserialization when two shards give one key different
  // values (the message names the key and both shards).
  absl::StatusOr<std::optional<MetadataMap>> Metadata() const;

 private:
  struct Lazy;   // the opened shards, behind a mutex
  struct Names;  // the index's tensor names, their shards, the name index
  Checkpoint();
  static absl::StatusOr<Checkpoint> FromIndexText(std::string text,
                                                  const std::string& index_path,
                                                  const OpenOptions& options);
  // The shard the index maps `name` to (for a file: 0 when it holds it), or
  // -1.
  int64_t ShardOf(absl::string_view name) const;
  absl::Status CheckShard(size_t shard, const Header& header) const;
  absl::Status ShardMismatch(size_t shard, const Header& header) const;

  std::string path_;
  std::string directory_;  // shard names are relative to it
  bool is_index_ = false;
  OpenOptions options_;
  std::vector<std::string> shard_names_;
  IndexMetadata index_metadata_;
  std::unique_ptr<Names> names_;
  std::unique_ptr<Lazy> lazy_;
};

}  // namespace safetensors

#endif  // SAFETENSORS_INDEX_H_
