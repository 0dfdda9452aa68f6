// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/load.h"

#include <utility>

#include "safetensors/index.h"
#include "safetensors/internal/status_macros.h"

namespace safetensors {

absl::StatusOr<TensorMap> LoadFile(const std::string& path,
                                   const LoadOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(const Checkpoint checkpoint,
                               Checkpoint::Open(path, options.open));
  SAFETENSORS_ASSIGN_OR_RETURN(const std::vector<ShardTensor> tensors,
                               checkpoint.Tensors());
  TensorMap out;
  for (const ShardTensor& t : tensors) {
    std::vector<uint8_t> bytes(t.view.byte_size());
    SAFETENSORS_RETURN_IF_ERROR(CopyToHost(t.view, absl::MakeSpan(bytes)));
    std::string name(t.view.name());
    out.emplace(name, LoadedTensor(name, t.view.dtype(),
                                   std::vector<uint64_t>(t.view.shape().begin(),
                                                         t.view.shape().end()),
                                   std::move(bytes)));
  }
  return out;
}

}  // namespace safetensors
