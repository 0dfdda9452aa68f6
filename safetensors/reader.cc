// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/reader.h"

#include <cassert>
#include <utility>

#include "absl/strings/str_cat.h"

#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/sniff.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/status.h"

namespace safetensors {

uint64_t TensorView::element_count() const {
  // Validated at parse time, so the product cannot overflow.
  uint64_t count = 1;
  for (uint64_t d : info_->shape) count *= d;
  return count;
}

absl::StatusOr<SafeTensors> SafeTensors::Parse(absl::Span<const uint8_t> bytes,
                                               const ReadOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(const uint64_t n,
                               ReadHeaderSize(bytes, bytes.size(), options));
  const absl::string_view text(reinterpret_cast<const char*>(bytes.data()) + 8,
                               n);
  absl::StatusOr<Header> header = Header::Parse(text, bytes.size(), options);
  if (!header.ok()) {
    return internal::WithHeaderTextDiagnosis(header.status(), bytes,
                                             bytes.size());
  }
  const absl::Span<const uint8_t> data = bytes.subspan(8 + n);
  return SafeTensors(*std::move(header), data);
}

absl::StatusOr<SafeTensors> SafeTensors::Parse(absl::string_view bytes,
                                               const ReadOptions& options) {
  return Parse(
      absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                bytes.size()),
      options);
}

absl::StatusOr<TensorView> SafeTensors::Tensor(absl::string_view name) const {
  const TensorInfo* info = header_.Find(name);
  if (info == nullptr) {
    return MakeError(
        ErrorKind::kTensorNotFound,
        absl::StrCat("tensor ", internal::json::Quoted(name), " not found"));
  }
  return TensorView(*info, data_.subspan(info->begin, info->end - info->begin));
}

TensorView SafeTensors::at(size_t i) const {
  assert(i < size());
  const TensorInfo& info = header_.tensors()[i];
  return TensorView(info, data_.subspan(info.begin, info.end - info.begin));
}

std::vector<TensorView> SafeTensors::Tensors() const {
  std::vector<TensorView> views;
  views.reserve(size());
  for (size_t i = 0; i < size(); ++i) views.push_back(at(i));
  return views;
}

}  // namespace safetensors
