// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/inspect.h"

#include <map>
#include <utility>

#include "safetensors/file.h"
#include "safetensors/internal/status_macros.h"

namespace safetensors {

absl::StatusOr<Inspection> Inspect(
    const Checkpoint& checkpoint,
    const std::function<bool(absl::string_view name)>& select) {
  SAFETENSORS_ASSIGN_OR_RETURN(std::vector<ShardTensor> all,
                               checkpoint.Tensors());
  Inspection out;
  out.path = checkpoint.path();
  out.is_index = checkpoint.is_index();
  if (out.is_index) out.shards = checkpoint.shard_names();
  out.index_metadata = checkpoint.index_metadata();
  SAFETENSORS_ASSIGN_OR_RETURN(out.metadata, checkpoint.Metadata());
  if (!out.is_index) {
    SAFETENSORS_ASSIGN_OR_RETURN(const File* file, checkpoint.Shard(0));
    out.header_size = file->parsed().header().header_size();
  }
  out.tensor_count = all.size();
  std::map<int, DtypeTotal> totals;  // by rank
  for (const ShardTensor& st : all) {
    const TensorView& t = st.view;
    out.data_size += t.byte_size();  // sums of valid files' sizes
    if (select && !select(t.name())) continue;
    InspectedTensor row;
    row.name = std::string(t.name());
    row.dtype = t.dtype();
    row.shape.assign(t.shape().begin(), t.shape().end());
    row.elements = t.element_count();
    row.size = t.byte_size();
    row.offset = t.begin();
    if (out.is_index) row.shard = checkpoint.shard_names()[st.shard];
    DtypeTotal& total = totals[-DtypeRank(t.dtype())];
    total.dtype = t.dtype();
    total.tensors += 1;
    total.elements += row.elements;
    total.bytes += row.size;
    out.selected_elements += row.elements;
    out.selected_bytes += row.size;
    out.tensors.push_back(std::move(row));
  }
  for (const auto& [rank, total] : totals) out.totals.push_back(total);
  return out;
}

absl::StatusOr<std::string> ReadRawHeader(const std::string& path,
                                          const ReadOptions& options) {
  uint64_t file_size = 0;
  SAFETENSORS_ASSIGN_OR_RETURN(std::string bytes,
                               ReadHeaderBytes(path, options, &file_size));
  return bytes.substr(8);
}

}  // namespace safetensors
