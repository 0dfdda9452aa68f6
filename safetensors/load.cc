// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/load.h"

#include <utility>

#include "absl/strings/str_cat.h"

#include "safetensors/byteswap.h"
#include "safetensors/convert.h"
#include "safetensors/index.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/status.h"

namespace safetensors {
namespace {

// The dtypes float_dtype may name, and the tensors it converts, are those
// ConvertFromFloat writes: F64, F32, BF16, F16 and the five F8 types.

// The tensor's elements as `to`, in host order.
absl::StatusOr<std::vector<uint8_t>> Converted(const TensorView& view,
                                               Dtype to) {
  SAFETENSORS_ASSIGN_OR_RETURN(const uint64_t count,
                               ElementCount(view.shape()));
  if (to == Dtype::kF64) {
    std::vector<uint8_t> out(count * sizeof(double));
    SAFETENSORS_RETURN_IF_ERROR(ConvertToDouble(
        view.dtype(), view.data(),
        absl::MakeSpan(reinterpret_cast<double*>(out.data()), count)));
    return out;
  }
  if (to == Dtype::kF32) {
    std::vector<uint8_t> out(count * sizeof(float));
    SAFETENSORS_RETURN_IF_ERROR(ConvertToFloat(
        view.dtype(), view.data(),
        absl::MakeSpan(reinterpret_cast<float*>(out.data()), count)));
    return out;
  }
  SAFETENSORS_ASSIGN_OR_RETURN(const std::vector<float> values,
                               ReadAsFloat(view));
  std::vector<uint8_t> out(count * static_cast<size_t>(DtypeBits(to) / 8));
  SAFETENSORS_RETURN_IF_ERROR(
      ConvertFromFloat(values, to, absl::MakeSpan(out)));
  if (kHostIsBigEndian) SwapInPlace(DtypeSwapUnit(to), out.data(), out.size());
  return out;
}

}  // namespace

absl::StatusOr<TensorMap> LoadFile(const std::string& path,
                                   const LoadOptions& options) {
  if (options.float_dtype.has_value() &&
      !CanConvertFromFloat(*options.float_dtype)) {
    return MakeError(
        ErrorKind::kInvalidTensorView,
        absl::StrCat("LoadOptions::float_dtype is ",
                     DtypeName(*options.float_dtype),
                     ", not a floating-point dtype (F64, F32, BF16, F16 or an "
                     "F8 type)"));
  }
  SAFETENSORS_ASSIGN_OR_RETURN(const Checkpoint checkpoint,
                               Checkpoint::Open(path, options.open));
  SAFETENSORS_ASSIGN_OR_RETURN(const std::vector<ShardTensor> tensors,
                               checkpoint.Tensors());
  TensorMap out;
  for (const ShardTensor& t : tensors) {
    Dtype dtype = t.view.dtype();
    std::vector<uint8_t> bytes;
    if (options.float_dtype.has_value() && CanConvertFromFloat(dtype) &&
        dtype != *options.float_dtype) {
      absl::StatusOr<std::vector<uint8_t>> converted =
          Converted(t.view, *options.float_dtype);
      if (!converted.ok()) {
        return WithPrefix(converted.status(),
                          absl::StrCat("tensor ", t.view.name(), ": "));
      }
      bytes = *std::move(converted);
      dtype = *options.float_dtype;
    } else {
      bytes.resize(t.view.byte_size());
      SAFETENSORS_RETURN_IF_ERROR(CopyToHost(t.view, absl::MakeSpan(bytes)));
    }
    std::string name(t.view.name());
    out.emplace(name, LoadedTensor(name, dtype,
                                   std::vector<uint64_t>(t.view.shape().begin(),
                                                         t.view.shape().end()),
                                   std::move(bytes)));
  }
  return out;
}

}  // namespace safetensors
