// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The safetensors library: one include and one Bazel dep (//safetensors).
// Every public header follows; each says what its types own and promise. Every
// object is immutable after it is built and safe for concurrent const use
// unless its header says otherwise; distinct objects are independent.
//
// Usage guide (safetensors/usage_test.cc compiles and runs these snippets):
//
//   #include "safetensors/safetensors.h"
//
//   // Open a file by path: mapped read-only, header parsed and validated.
//   // An error's kind (ErrorKindOf) is one of status.h's ErrorKind values.
//   absl::StatusOr<safetensors::File> file =
//       safetensors::File::Open("model.safetensors");
//   if (!file.ok()) return file.status();
//
//   // Look a tensor up (O(1)); the view's bytes are the file's own,
//   // little-endian, valid while `file` lives.
//   absl::StatusOr<safetensors::TensorView> w = file->Tensor("model.weight");
//
//   // Every tensor, in the order of their bytes in the file:
//   for (const safetensors::TensorView& t : file->Tensors()) { ... }
//
//   // Typed values in the host's byte order (a swapping copy on big-endian
//   // hosts): ReadAs<float> for F32, ReadAs<uint16_t> for BF16/F16 bits.
//   absl::StatusOr<std::vector<float>> values = safetensors::ReadAs<float>(*w);
//
//   // Bytes already in memory: parse them in place (no copy).
//   absl::StatusOr<safetensors::SafeTensors> st =
//       safetensors::SafeTensors::Parse(bytes);
//
//   // The reference implementation's decisions instead of the strict ones:
//   safetensors::ReadOptions options;
//   options.profile = safetensors::Profile::kReference;
//   auto lenient = safetensors::SafeTensors::Parse(bytes, options);
//
//   // A slice (rows 10..20 of a matrix) as byte runs, copied into host order:
//   // see slice.h (PlanSlice) and host_order.h (CopySliceToHost).
//
//   // Write host-order tensors to a file, atomically (temporary + rename):
//   std::vector<safetensors::TensorRef> tensors = {
//       {"w", safetensors::Dtype::kF32, shape, bytes}};
//   absl::Status s = safetensors::WriteFile("out.safetensors", tensors);
//
//   // A sharded checkpoint (model.safetensors.index.json) as one model:
//   absl::StatusOr<safetensors::Checkpoint> ckpt =
//       safetensors::Checkpoint::Open("model.safetensors.index.json");
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
