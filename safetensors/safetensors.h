// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The safetensors library: one include and one Bazel dep (//safetensors).
// Every public header follows; each says what its types own and promise. Every
// object is immutable after it is built and safe for concurrent const use
// unless its header says otherwise; distinct objects are independent.
//
// Usage guide (safetensors/usage_test.cc compiles and runs this function, and
// fails when this comment differs from it):
//
//   #include "safetensors/safetensors.h"
//
//   absl::Status Guide(const std::string& path, const std::string& out) {
//     // Open a file: mapped read-only, header parsed and validated. Views
//     // point into `file`: keep it alive while they are used.
//     absl::StatusOr<safetensors::File> file = safetensors::File::Open(path);
//     if (!file.ok()) return file.status();  // ErrorKindOf: status.h's kinds
//
//     // Look a tensor up (O(1)): a view of its little-endian bytes, no copy.
//     absl::StatusOr<safetensors::TensorView> w = file->Tensor("embed.weight");
//     if (!w.ok()) return w.status();
//
//     // Values in host order (a swapping copy on big-endian hosts), or in
//     // place where the bytes already are floats (else InvalidTensorView,
//     // saying why).
//     absl::StatusOr<std::vector<float>> values =
//         safetensors::ReadAs<float>(*w);
//     absl::StatusOr<absl::Span<const float>> in_place =
//         safetensors::ViewAs<float>(*w);
//
//     // Any of BF16, F16, the F8 types, integers and BOOL as floats
//     // (convert.h).
//     absl::StatusOr<std::vector<float>> as_float =
//         safetensors::ReadAsFloat(*w);
//
//     // A slice in host order: row 1, and Python's x[-1, 1:].
//     absl::StatusOr<std::vector<float>> row =
//         safetensors::ReadSliceAs<float>(*w, {safetensors::Index(1)});
//     absl::StatusOr<std::vector<float>> last =
//         safetensors::ReadSliceAs<float>(
//             *w, {safetensors::PyIndexer::Index(-1),
//                  safetensors::PyIndexer::Slice(1, std::nullopt)});
//
//     // Every tensor, in the order of their bytes in the file.
//     uint64_t bytes = 0;
//     for (const safetensors::TensorView& t : file->Tensors()) {
//       bytes += t.byte_size();
//     }
//
//     // Lazy: only the header now; each tensor read with pread when asked.
//     absl::StatusOr<safetensors::LazyFile> lazy =
//         safetensors::LazyFile::Open(path);
//     if (!lazy.ok()) return lazy.status();
//     absl::StatusOr<std::vector<float>> read =
//         lazy->ReadAs<float>("embed.weight");
//
//     // A whole model (a file, an index or a directory) into owned buffers.
//     absl::StatusOr<safetensors::TensorMap> model =
//         safetensors::LoadFile(path);
//
//     // Write atomically. Descriptors own their name and shape; the bytes must
//     // outlive the call. TensorRef(view) copies a tensor as it is in the
//     // file.
//     if (!values.ok()) return values.status();
//     const std::vector<safetensors::TensorRef> tensors = {
//         *w,
//         {"embed.copy", safetensors::Dtype::kF32, w->shape(),
//          absl::Span<const uint8_t>(
//              reinterpret_cast<const uint8_t*>(values->data()),
//              values->size() * sizeof(float))}};
//     const safetensors::MetadataMap metadata = {
//         {"source_bytes", std::to_string(bytes)}};
//     return safetensors::WriteFile(out, tensors, metadata);
//   }
//
// The format, the two profiles and every rule the reader checks are in
// docs/specification.md; the layers of the library in docs/design.md.

#ifndef SAFETENSORS_SAFETENSORS_H_
#define SAFETENSORS_SAFETENSORS_H_

#include "safetensors/byteswap.h"      // IWYU pragma: export
#include "safetensors/convert.h"       // IWYU pragma: export
#include "safetensors/diff.h"          // IWYU pragma: export
#include "safetensors/dtype.h"         // IWYU pragma: export
#include "safetensors/dump.h"          // IWYU pragma: export
#include "safetensors/file.h"          // IWYU pragma: export
#include "safetensors/header.h"        // IWYU pragma: export
#include "safetensors/host_order.h"    // IWYU pragma: export
#include "safetensors/index.h"         // IWYU pragma: export
#include "safetensors/inspect.h"       // IWYU pragma: export
#include "safetensors/load.h"          // IWYU pragma: export
#include "safetensors/reader.h"        // IWYU pragma: export
#include "safetensors/shard_writer.h"  // IWYU pragma: export
#include "safetensors/slice.h"         // IWYU pragma: export
#include "safetensors/status.h"        // IWYU pragma: export
#include "safetensors/version.h"       // IWYU pragma: export
#include "safetensors/writer.h"        // IWYU pragma: export

#endif  // SAFETENSORS_SAFETENSORS_H_
