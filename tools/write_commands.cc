// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The commands that write: extract, shard, merge. Each copies tensor bytes
// straight from the input's mapping to the writer, streaming.

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

#include "safetensors/header.h"
#include "safetensors/index.h"
#include "safetensors/shard_writer.h"
#include "safetensors/writer.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/output.h"
#include "tools/progress.h"

namespace safetensors {
namespace tool {
namespace {

// Every tensor of `checkpoint` that `filter` keeps (all without one), as
// writer input with its bytes straight from the mapping (little-endian as
// stored).
struct Selection {
  std::vector<TensorRef> refs;
  uint64_t bytes = 0;
};
Selection Select(const std::vector<ShardTensor>& tensors,
                 const NameFilter* filter) {
  Selection s;
  for (const ShardTensor& t : tensors) {
    if (filter != nullptr && !filter->Keeps(t.view.name())) continue;
    s.refs.push_back(
        {t.view.name(), t.view.dtype(), t.view.shape(), t.view.data()});
    s.bytes += t.view.byte_size();
  }
  return s;
}

// Reports a failed write of `out`. The writer's own I/O errors already say
// "cannot write \"<path>\": why"; others (a plan that fails its checks) get
// `what` in front.
int WriteFailed(absl::string_view command, absl::string_view what,
                const absl::Status& status) {
  if (absl::StartsWith(status.message(), "cannot write \"")) {
    Error(command, status.message());
  } else {
    Error(command, absl::StrCat(what, ": ", status.message()));
  }
  return kExitUsage;
}

WriteOptions CopyWriteOptions() {
  WriteOptions o;
  o.data_order = ByteOrder::kLittleEndian;  // bytes copied from a file
  return o;
}

}  // namespace

int RunExtract(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("extract", "expects IN and OUT");
  }
  NameFilter filter;
  const std::string bad_pattern = filter.Compile(args);
  if (!bad_pattern.empty()) return UsageError("extract", bad_pattern);
  absl::StatusOr<Checkpoint> in =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromArgs(args));
  if (!in.ok()) return Failed("extract", in.status());
  absl::StatusOr<std::vector<ShardTensor>> tensors = in->Tensors();
  if (!tensors.ok()) return Failed("extract", tensors.status());
  absl::StatusOr<std::optional<MetadataMap>> metadata = in->Metadata();
  if (!metadata.ok()) return Failed("extract", metadata.status());
  if (args.drop_metadata) metadata->reset();
  if (!args.metadata.empty()) {
    if (!metadata->has_value()) metadata->emplace();
    for (const auto& [key, value] : args.metadata) (**metadata)[key] = value;
  }
  const Selection s = Select(*tensors, &filter);
  if (filter.active() && s.refs.empty()) {
    std::vector<absl::string_view> names;
    for (const ShardTensor& t : *tensors) names.push_back(t.view.name());
    Error("extract", filter.NothingKept(names));
    return kExitInvalid;
  }
  ProgressBar bar = ProgressBar::ForStderr("extract", s.bytes);
  absl::StatusOr<uint64_t> size = WriteFileStreaming(
      ResolvePath(args.files[1]), s.refs, *metadata, CopyWriteOptions(),
      [&](uint64_t done, uint64_t) { bar.Update(done); });
  bar.Finish();
  if (!size.ok()) {
    return WriteFailed("extract",
                       absl::StrCat("cannot write \"", args.files[1], "\""),
                       size.status());
  }
  return PrintAll(absl::StrCat("wrote ", args.files[1], ": ", s.refs.size(),
                               " of ", tensors->size(), " tensors, ", *size,
                               " bytes\n"));
}

int RunShard(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("shard", "expects IN and OUTDIR");
  }
  if (!args.Has("max-size")) {
    return UsageError("shard", "--max-size=SIZE is required");
  }
  absl::StatusOr<Checkpoint> in =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromArgs(args));
  if (!in.ok()) return Failed("shard", in.status());
  absl::StatusOr<std::vector<ShardTensor>> tensors = in->Tensors();
  if (!tensors.ok()) return Failed("shard", tensors.status());
  absl::StatusOr<std::optional<MetadataMap>> metadata = in->Metadata();
  if (!metadata.ok()) return Failed("shard", metadata.status());
  const Selection s = Select(*tensors, nullptr);

  const std::string dir = ResolvePath(args.files[1]);
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    Error("shard", absl::StrCat("cannot create \"", args.files[1],
                                "\": ", std::strerror(errno)));
    return kExitUsage;
  }
  ShardWriteOptions options;
  options.max_shard_size = args.max_size.bytes;
  options.prefix = args.prefix;
  options.write = CopyWriteOptions();
  ProgressBar bar = ProgressBar::ForStderr("shard", s.bytes);
  options.progress = [&](uint64_t done, uint64_t) { bar.Update(done); };
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(dir, s.refs, *metadata, options);
  bar.Finish();
  if (!layout.ok()) {
    return WriteFailed(
        "shard", absl::StrCat("cannot write into \"", args.files[1], "\""),
        layout.status());
  }
  std::string out =
      absl::StrCat("wrote ", args.files[1], "/", options.prefix,
                   ".safetensors.index.json: ", s.refs.size(),
                   s.refs.size() == 1 ? " tensor, " : " tensors, ",
                   layout->total_size, " bytes in ", layout->shard_names.size(),
                   layout->shard_names.size() == 1 ? " shard\n" : " shards\n");
  for (size_t i = 0; i < layout->shard_names.size(); ++i) {
    uint64_t bytes = 0;
    for (size_t t : layout->shard_tensors[i]) bytes += s.refs[t].data.size();
    absl::StrAppend(
        &out, "  ", layout->shard_names[i], "  ",
        layout->shard_tensors[i].size(),
        layout->shard_tensors[i].size() == 1 ? " tensor, " : " tensors, ",
        bytes, " bytes\n");
  }
  return PrintAll(out);
}

int RunMerge(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("merge", "expects INDEX and OUT");
  }
  absl::StatusOr<Checkpoint> in =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromArgs(args));
  if (!in.ok()) return Failed("merge", in.status());
  absl::StatusOr<std::vector<ShardTensor>> tensors = in->Tensors();
  if (!tensors.ok()) return Failed("merge", tensors.status());
  absl::StatusOr<std::optional<MetadataMap>> metadata = in->Metadata();
  if (!metadata.ok()) return Failed("merge", metadata.status());
  const Selection s = Select(*tensors, nullptr);
  ProgressBar bar = ProgressBar::ForStderr("merge", s.bytes);
  absl::StatusOr<uint64_t> size = WriteFileStreaming(
      ResolvePath(args.files[1]), s.refs, *metadata, CopyWriteOptions(),
      [&](uint64_t done, uint64_t) { bar.Update(done); });
  bar.Finish();
  if (!size.ok()) {
    return WriteFailed("merge",
                       absl::StrCat("cannot write \"", args.files[1], "\""),
                       size.status());
  }
  const size_t shards = in->shard_names().size();
  return PrintAll(absl::StrCat(
      "wrote ", args.files[1], ": ", s.refs.size(), " tensors from ", shards,
      shards == 1 ? " shard, " : " shards, ", *size, " bytes\n"));
}

}  // namespace tool
}  // namespace safetensors
