// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/entries.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

#include "safetensors/internal/checked.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/status.h"

namespace safetensors {
namespace internal {

absl::Status CheckEntry(absl::string_view name, Dtype dtype,
                        absl::Span<const uint64_t> shape, uint64_t begin,
                        uint64_t end, uint64_t* cursor) {
  if (begin != *cursor || end < begin) {
    return MakeError(
        ErrorKind::kInvalidOffset,
        absl::StrCat("invalid offset for tensor ", json::Quoted(name),
                     ": data_offsets [", begin, ", ", end,
                     "] but the previous tensor ends at ", *cursor));
  }
  *cursor = end;
  absl::StatusOr<uint64_t> size = TensorByteSize(dtype, shape);
  if (!size.ok()) {
    return MakeError(*ErrorKindOf(size.status()),
                     absl::StrCat("tensor ", json::Quoted(name), ": ",
                                  size.status().message()));
  }
  if (end - begin != *size) {
    return MakeError(
        ErrorKind::kTensorInvalidInfo,
        absl::StrCat("tensor ", json::Quoted(name), ": data_offsets span ",
                     end - begin, " bytes but ", DtypeName(dtype),
                     " of this shape needs ", *size));
  }
  return absl::OkStatus();
}

absl::Status CheckCoverage(uint64_t data_size, uint64_t header_size,
                           uint64_t file_size) {
  uint64_t expected;
  if (!CheckedAdd(data_size, 8, &expected) ||
      !CheckedAdd(expected, header_size, &expected) || expected != file_size) {
    return MakeError(
        ErrorKind::kMetadataIncompleteBuffer,
        absl::StrCat("incomplete metadata, file not fully covered: the "
                     "tensors end at data byte ",
                     data_size, ", so the file should be 8 + ", header_size,
                     " + ", data_size, " bytes, but it is ", file_size));
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace safetensors
