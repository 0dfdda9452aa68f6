// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/shard_writer.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

#include "safetensors/internal/cleanup.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/status_macros.h"

namespace safetensors {
namespace {

absl::Status CheckOptions(const ShardWriteOptions& options) {
  if (options.max_shard_size == 0) {
    return absl::InvalidArgumentError("the maximum shard size must be >= 1");
  }
  // The prefix starts file names inside the directory; it must not lead out
  // of it, or be no name at all.
  const std::string& p = options.prefix;
  if (p.empty() || p == "." || p == ".." ||
      p.find_first_of(std::string("/\0", 2)) != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the shard file prefix \"", absl::CHexEscape(p),
        "\" must be a file name's start: not empty, '.' or '..', and "
        "without '/' or NUL"));
  }
  return absl::OkStatus();
}

// The index lists shards only through their tensors: metadata in a shard
// without tensors would be written but never found again.
absl::Status CheckMetadataHasAShard(
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata) {
  if (tensors.empty() && metadata.has_value()) {
    return absl::InvalidArgumentError(
        "there are no tensors, so there would be no shard to carry the "
        "metadata (an index names shards only through their tensors): "
        "write a single file instead");
  }
  return absl::OkStatus();
}

// The shards of a plan of the whole set, taken greedily in its order.
// The plan's entries in the order they fill the shards.
std::vector<const WritePlan::Entry*> FillOrder(const WritePlan& plan,
                                               ShardOrder order) {
  std::vector<const WritePlan::Entry*> entries;
  entries.reserve(plan.entries().size());
  for (const WritePlan::Entry& e : plan.entries()) entries.push_back(&e);
  switch (order) {
    case ShardOrder::kWriter:
      break;  // the plan's own order
    case ShardOrder::kNatural:
      std::sort(entries.begin(), entries.end(),
                [](const WritePlan::Entry* a, const WritePlan::Entry* b) {
                  return NaturalNameLess(a->name, b->name);
                });
      break;
    case ShardOrder::kGiven:
      std::sort(entries.begin(), entries.end(),
                [](const WritePlan::Entry* a, const WritePlan::Entry* b) {
                  return a->input_index < b->input_index;
                });
      break;
  }
  return entries;
}

ShardLayout LayoutOf(const WritePlan& plan, const ShardWriteOptions& options) {
  ShardLayout layout;
  uint64_t current = 0;
  for (const WritePlan::Entry* entry : FillOrder(plan, options.order)) {
    const WritePlan::Entry& e = *entry;
    const uint64_t size = e.end - e.begin;
    // A new shard when the next tensor would take a non-empty one over the
    // maximum; written so that nothing wraps (current <= the data size,
    // which WritePlan checked, so the sum below cannot overflow).
    const uint64_t max = options.max_shard_size;
    if (layout.shard_tensors.empty() ||
        (current > 0 && (size > max || current > max - size))) {
      layout.shard_tensors.emplace_back();
      current = 0;
    }
    layout.shard_tensors.back().push_back(e.input_index);
    current += size;
    layout.total_size += size;  // WritePlan checked the sum
  }
  const size_t n = layout.shard_tensors.size();
  for (size_t i = 0; i < n; ++i) {
    layout.shard_names.push_back(absl::StrFormat("%s-%05d-of-%05d.safetensors",
                                                 options.prefix, i + 1, n));
  }
  return layout;
}

}  // namespace

bool NaturalNameLess(absl::string_view a, absl::string_view b) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      // Two digit runs: by value (without leading zeros, the longer is
      // larger; equal lengths compare digit by digit), then the shorter run.
      const size_t a_start = i, b_start = j;
      while (i < a.size() && digit(a[i])) ++i;
      while (j < b.size() && digit(b[j])) ++j;
      absl::string_view x = a.substr(a_start, i - a_start);
      absl::string_view y = b.substr(b_start, j - b_start);
      const absl::string_view x_full = x, y_full = y;
      while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
      while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      if (x_full.size() != y_full.size()) {
        return x_full.size() < y_full.size();
      }
      continue;
    }
    const unsigned char ca = static_cast<unsigned char>(a[i]);
    const unsigned char cb = static_cast<unsigned char>(b[j]);
    if (ca != cb) return ca < cb;
    ++i;
    ++j;
  }
  if (i < a.size() || j < b.size()) return j < b.size();  // a prefix first
  return a < b;  // equal naturally ("1" and "01" handled above): by bytes
}

absl::StatusOr<ShardLayout> PlanShards(absl::Span<const TensorDesc> tensors,
                                       const ShardWriteOptions& options) {
  SAFETENSORS_RETURN_IF_ERROR(CheckOptions(options));
  SAFETENSORS_ASSIGN_OR_RETURN(
      WritePlan plan, WritePlan::Create(tensors, std::nullopt, options.write));
  return LayoutOf(plan, options);
}

std::string FormatIndex(const ShardLayout& layout,
                        absl::Span<const TensorDesc> tensors) {
  std::map<absl::string_view, absl::string_view> map;  // sorted by bytes
  for (size_t s = 0; s < layout.shard_tensors.size(); ++s) {
    for (size_t i : layout.shard_tensors[s]) {
      map.emplace(tensors[i].name, layout.shard_names[s]);
    }
  }
  std::string out = absl::StrCat(
      "{\n  \"metadata\": {\n    \"total_size\": ", layout.total_size,
      "\n  },\n  \"weight_map\": ");
  if (map.empty()) {
    out += "{}\n}\n";
    return out;
  }
  out += "{\n";
  size_t i = 0;
  for (const auto& [name, file] : map) {
    out += "    ";
    internal::json::AppendQuoted(name, &out);
    out += ": ";
    internal::json::AppendQuoted(file, &out);
    out += ++i < map.size() ? ",\n" : "\n";
  }
  out += "  }\n}\n";
  return out;
}

absl::StatusOr<ShardLayout> WriteShardedCheckpoint(
    const std::string& directory, absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata,
    const ShardWriteOptions& options) {
  return internal::WriteShardedCheckpoint(
      internal::FileSystem::Default(), directory, tensors, metadata, options);
}

namespace internal {

absl::StatusOr<ShardLayout> WriteShardedCheckpoint(
    FileSystem* fs, const std::string& directory,
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata,
    const ShardWriteOptions& options) {
  // Every check, the data lengths too, before any file is created.
  SAFETENSORS_RETURN_IF_ERROR(CheckOptions(options));
  SAFETENSORS_RETURN_IF_ERROR(CheckMetadataHasAShard(tensors, metadata));
  SAFETENSORS_ASSIGN_OR_RETURN(
      WritePlan plan,
      WritePlan::CreateForData(tensors, std::nullopt, options.write));
  const ShardLayout layout = LayoutOf(plan, options);
  uint64_t before = 0;  // data bytes of the shards already written
  // The shards in place before the index: what an interrupt removes (when
  // the program installed InstallInterruptCleanup), so that it leaves no
  // shards without an index. An error leaves them, as documented.
  std::vector<UnfinishedFile> written;
  for (size_t s = 0; s < layout.shard_tensors.size(); ++s) {
    std::vector<TensorRef> shard;
    uint64_t shard_bytes = 0;
    for (size_t i : layout.shard_tensors[s]) {
      shard.push_back(tensors[i]);
      shard_bytes += tensors[i].data.size();
    }
    ProgressCallback progress;
    if (options.progress) {
      progress = [&](uint64_t done, uint64_t) {
        options.progress(before + done, layout.total_size);
      };
    }
    const std::string path =
        absl::StrCat(directory, "/", layout.shard_names[s]);
    SAFETENSORS_RETURN_IF_ERROR(WriteFileStreaming(fs, path, shard, metadata,
                                                   options.write, progress,
                                                   options.written)
                                    .status());
    // Only once it is this run's file: until the rename, `path` may be an
    // earlier run's shard, which an interrupt must not remove. (A signal in
    // the instant between the rename and this line leaves the shard.)
    written.emplace_back(path);
    before += shard_bytes;
  }
  SAFETENSORS_RETURN_IF_ERROR(WriteFileAtomically(
      fs,
      absl::StrCat(directory, "/", options.prefix, ".safetensors.index.json"),
      FormatIndex(layout, Describe(tensors)), options.write.fsync));
  return layout;
}

}  // namespace internal
}  // namespace safetensors
