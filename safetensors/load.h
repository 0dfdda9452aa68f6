// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Loading a whole model into memory in one call, as Python's
// safetensors.torch.load_file does: every tensor of a file, a sharded
// checkpoint or a model directory (anything Checkpoint::Open takes), copied
// into buffers the result owns, in the host's byte order. Nothing returned
// points into a file, so the result outlives every file it came from.
//
//   absl::StatusOr<safetensors::TensorMap> model =
//       safetensors::LoadFile("model_dir");
//   absl::StatusOr<absl::Span<const float>> w =
//       model->at("lm_head.weight").As<float>();
//
// Loaded tensors are immutable values; safe for concurrent const use.

#ifndef SAFETENSORS_LOAD_H_
#define SAFETENSORS_LOAD_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"
#include "safetensors/file.h"
#include "safetensors/host_order.h"

namespace safetensors {

// One tensor, owned: its name, dtype, shape and bytes in host order. Copies
// share the bytes (they are immutable), so a copy costs no copy of them.
class LoadedTensor {
 public:
  // Takes `bytes` (in host order; a whole number of elements) as they are.
  LoadedTensor(std::string name, Dtype dtype, std::vector<uint64_t> shape,
               std::vector<uint8_t> bytes);
  // The `size` bytes at bytes.get() (in host order; a whole number of
  // elements, aligned for the element type), kept alive by `bytes`, whose
  // deleter frees them. LoadFile's form: memory allocated uninitialized and
  // filled once.
  LoadedTensor(std::string name, Dtype dtype, std::vector<uint64_t> shape,
               std::shared_ptr<const uint8_t> bytes, size_t size)
      : name_(std::move(name)),
        dtype_(dtype),
        shape_(std::move(shape)),
        bytes_(std::move(bytes)),
        size_(size) {}

  const std::string& name() const { return name_; }
  Dtype dtype() const { return dtype_; }
  const std::vector<uint64_t>& shape() const { return shape_; }
  // The elements' bytes in host order (little-endian values swapped on a
  // big-endian host), packed row-major. Aligned for every element type (to
  // 64 bytes where LoadFile allocated them, to what operator new gives for
  // the vector form).
  absl::Span<const uint8_t> bytes() const { return {bytes_.get(), size_}; }

  // The elements as T, in place. Errors: InvalidTensorView when
  // !CanReadAs<T>(dtype()) (host_order.h). T may not be bool (a BOOL byte
  // may be other than 0 or 1): read uint8_t. Cost: O(1).
  template <typename T>
  absl::StatusOr<absl::Span<const T>> As() const;

 private:
  std::string name_;
  Dtype dtype_;
  std::vector<uint64_t> shape_;
  std::shared_ptr<const uint8_t> bytes_;  // null when size_ is 0
  size_t size_ = 0;
};

// Every tensor by name (sorted by the names' bytes).
using TensorMap = std::map<std::string, LoadedTensor, std::less<>>;

struct LoadOptions {
  OpenOptions open;  // profile, limits, backend
  // When set, every floating-point tensor (F64, F32, BF16, F16 and the five
  // F8 types) is converted to this dtype, which must be one of them
  // (convert.h: round to nearest even, the type's own overflow and NaN
  // rules; F64 narrower than F32 goes through F32). Integer, BOOL, complex
  // and sub-byte tensors are loaded as they are, as torch's Module.to(dtype)
  // leaves them. Unset (the default): every tensor keeps its dtype.
  std::optional<Dtype> float_dtype;
  // How many threads copy (or convert) tensors, the calling thread among
  // them; each takes the next tensor in offset order. 0 means
  // std::thread::hardware_concurrency(). Default 1: no thread is started.
  // The result, and which error is returned (the first failing tensor in
  // the order Checkpoint::Tensors lists them), do not depend on it.
  int threads = 1;
};

// Loads every tensor of the model at `path` (a file, an index, or a model
// directory: Checkpoint::Open) into owned host-order buffers. Errors: those
// of Checkpoint::Open and Checkpoint::Tensors (every shard is opened and
// checked), IoError when a pread fails or a file has shrunk (the pread
// backend), and InvalidTensorView when options.float_dtype is not a
// floating-point dtype.
//
// Cost: one copy of every tensor's bytes (a swapping copy on a big-endian
// host, a conversion where float_dtype asks for one) into memory that is
// not zero-filled first, in pieces of a few MiB spread over options.threads;
// each thread faults in the destination pages of its piece just before
// filling them, on transparent huge pages where the system offers them
// (bench/README.md, "Bulk load"). With Backend::kMmap (the default) the
// copy reads the mapping, advised sequential; with Backend::kPread no file
// is read whole: each piece is one pread straight into its destination.
// Memory: the model's size (converted); with float_dtype and kPread, also
// one source tensor at a time per thread.
absl::StatusOr<TensorMap> LoadFile(const std::string& path,
                                   const LoadOptions& options = {});

// Implementation details follow.

template <typename T>
absl::StatusOr<absl::Span<const T>> LoadedTensor::As() const {
  static_assert(std::is_trivially_copyable_v<T>, "T must be a plain value");
  static_assert(!std::is_same_v<T, bool>,
                "a BOOL byte may be other than 0 or 1: use As<uint8_t>");
  if (!CanReadAs<T>(dtype_)) {
    return internal::CannotReadAs(dtype_, internal::TypeName<T>());
  }
  return absl::Span<const T>(reinterpret_cast<const T*>(bytes_.get()),
                             size_ / sizeof(T));
}

}  // namespace safetensors

#endif  // SAFETENSORS_LOAD_H_
