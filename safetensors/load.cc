// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/load.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>  // NOLINT(build/c++11)
#include <utility>
#include <vector>

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

// One tensor's bytes in host order, converted where `float_dtype` asks;
// or why not.
struct Loaded {
  absl::Status status;
  Dtype dtype = Dtype::kU8;
  std::vector<uint8_t> bytes;
};
Loaded LoadOne(const TensorView& view,
               const std::optional<Dtype>& float_dtype) {
  Loaded out;
  out.dtype = view.dtype();
  if (float_dtype.has_value() && CanConvertFromFloat(out.dtype) &&
      out.dtype != *float_dtype) {
    absl::StatusOr<std::vector<uint8_t>> converted =
        Converted(view, *float_dtype);
    if (!converted.ok()) {
      out.status = WithPrefix(converted.status(),
                              absl::StrCat("tensor ", view.name(), ": "));
      return out;
    }
    out.bytes = *std::move(converted);
    out.dtype = *float_dtype;
    return out;
  }
  out.bytes.resize(view.byte_size());
  out.status = CopyToHost(view, absl::MakeSpan(out.bytes));
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
  std::vector<Loaded> loaded(tensors.size());
  const size_t n = tensors.size();
  size_t threads = options.threads > 0
                       ? static_cast<size_t>(options.threads)
                       : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max<size_t>(n, 1));
  // Tensors are claimed in order, and a worker finishes the one it claimed
  // before it stops; so once a tensor fails, every tensor before it has been
  // loaded or has failed, and the first failure in order is the same
  // whatever the thread count.
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n) return;
      loaded[i] = LoadOne(tensors[i].view, options.float_dtype);
      if (!loaded[i].status.ok()) failed.store(true);
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();

  TensorMap out;
  for (size_t i = 0; i < n; ++i) {
    if (!loaded[i].status.ok()) return loaded[i].status;
    const TensorView& view = tensors[i].view;
    std::string name(view.name());
    out.emplace(name, LoadedTensor(name, loaded[i].dtype,
                                   std::vector<uint64_t>(view.shape().begin(),
                                                         view.shape().end()),
                                   std::move(loaded[i].bytes)));
  }
  return out;
}

}  // namespace safetensors
