// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The JSON description of a file that `safetensors create` writes: its
// tensors (name, dtype, shape, and the bytes, in hex or as a repeated fill),
// its metadata and the writer's options. The same shape as a writer case of
// conformance/manifest.json without id, description, flags and expected, so
// that the conformance runner can hand such a case to `create` as it is.
// Read with the library's own tokenizer (safetensors/internal/json.h),
// strictly: an unknown or repeated key, a value of the wrong type or a bad
// hex digit is an error naming where it is. Only what the spec itself says
// is checked here; what the writer refuses (a tensor named "__metadata__",
// data of the wrong length, ...) is left to the writer, which names the
// error kind. Thread-compatible; everything returned owns its data.

#ifndef SAFETENSORS_TOOLS_CREATE_SPEC_H_
#define SAFETENSORS_TOOLS_CREATE_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/dtype.h"
#include "safetensors/header.h"

namespace safetensors {
namespace tool {

// The longest name {"repeat": S, "count": N} may make: a name of more than
// kMaxHeaderSize bytes already makes the header too large, and one this long
// still fits in memory a few times over.
inline constexpr uint64_t kMaxRepeatedNameBytes = 1000 * 1000 * 1000;

struct CreateSpec {
  struct Tensor {
    std::string name;
    Dtype dtype = Dtype::kU8;
    std::vector<uint64_t> shape;
    // "data_hex": the tensor's bytes as they stand in the file (so
    // little-endian), decoded. Empty when `fill` is set.
    std::string data;
    // "fill": these bytes (one for {"byte": B}, the decoded pattern for
    // {"hex": P}) repeated over the tensor's whole byte size.
    std::optional<std::string> fill;
  };
  std::vector<Tensor> tensors;  // in the order given
  std::optional<MetadataMap> metadata;
  uint64_t alignment = 8;  // "options": {"alignment": N}
};

// Parses the text of a spec. Errors: kInvalidArgument (no error kind), its
// message saying where, e.g. `tensors[1].dtype: unknown dtype "f32" (...)`,
// `tensors[0]: unknown key "date_hex" (...)` or `line 3, column 7: invalid
// number`.
absl::StatusOr<CreateSpec> ParseCreateSpec(absl::string_view text);

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_CREATE_SPEC_H_
