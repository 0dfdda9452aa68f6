// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/host_order.h"

#include "absl/strings/str_cat.h"

#include "safetensors/byteswap.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/status.h"

namespace safetensors {

namespace internal {
absl::Status CannotReadAs(Dtype dtype, const char* type_name) {
  return MakeError(ErrorKind::kInvalidTensorView,
                   absl::StrCat("a tensor of ", DtypeName(dtype),
                                " cannot be read as elements of C++ type ",
                                type_name, " (see CanReadAs)"));
}

std::vector<bool> BoolsOf(absl::Span<const uint8_t> bytes) {
  std::vector<bool> out(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) out[i] = bytes[i] != 0;
  return out;
}

absl::Status CannotViewAs(const TensorView& view, const char* type_name,
                          bool big_endian, size_t alignment) {
  if (big_endian) {
    return MakeError(
        ErrorKind::kInvalidTensorView,
        absl::StrCat("tensor ", json::Quoted(view.name()),
                     " cannot be viewed in place as ", type_name,
                     ": this host is big-endian and the file's bytes are "
                     "little-endian (ReadAs copies them into host order)"));
  }
  return MakeError(
      ErrorKind::kInvalidTensorView,
      absl::StrCat("tensor ", json::Quoted(view.name()),
                   " cannot be viewed in place as ", type_name,
                   ": its data is at an address that is not a multiple of ",
                   alignment, " (ReadAs copies it)"));
}
}  // namespace internal

absl::Status CopyToHost(const TensorView& view, absl::Span<uint8_t> out) {
  if (out.size() != view.byte_size()) {
    return MakeError(
        ErrorKind::kInvalidTensorView,
        absl::StrCat("tensor ", internal::json::Quoted(view.name()), " is ",
                     view.byte_size(), " bytes, the buffer ", out.size()));
  }
  CopyLittleEndianToHost(view.dtype(), view.data(), out);
  return absl::OkStatus();
}

absl::Status CopySliceToHost(const TensorView& view,
                             absl::Span<const SliceIndexer> indexers,
                             absl::Span<uint8_t> out) {
  SAFETENSORS_RETURN_IF_ERROR(CopySlice(view, indexers, out));
  // Slices of multi-byte dtypes consist of whole elements.
  if (kHostIsBigEndian)
    SwapInPlace(DtypeSwapUnit(view.dtype()), out.data(), out.size());
  return absl::OkStatus();
}

}  // namespace safetensors
