// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// What `safetensors convert` does with each tensor, and the conversion of
// its bytes a chunk at a time (through safetensors/convert.h), counting the
// values that did not survive it. Bounded memory: a converter holds buffers
// of one chunk, whatever the tensor's size. One converter per thread.

#ifndef SAFETENSORS_TOOLS_TENSOR_CONVERT_H_
#define SAFETENSORS_TOOLS_TENSOR_CONVERT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"

namespace safetensors {
namespace tool {

// Whether `dtype` is one of the floating-point types convert changes by
// default: F64, F32, BF16, F16 and the five F8 types (not C64, F4, F6_*).
bool IsConvertibleFloat(Dtype dtype);

// What convert does with a selected tensor of dtype `from` for --to=`to`.
enum class ConvertChoice {
  kConvert,         // converted to `to`
  kAlready,         // already `to`: copied
  kInteger,         // an integer or BOOL, copied (without --allow-integers)
  kNotConvertible,  // F4, F6_E2M3, F6_E3M2, C64: copied (no float value)
};

// REQUIRES: IsConvertibleFloat(to).
ConvertChoice ChooseConversion(Dtype from, Dtype to, bool allow_integers);

// How many converted values changed. A value is unchanged when the
// converted one equals it (NaN staying NaN, whatever its payload, and -0
// becoming +0 where the type has no -0, count as unchanged).
struct ValueChanges {
  uint64_t rounded = 0;       // now another finite value (or zero)
  uint64_t out_of_range = 0;  // now +-inf or NaN (from a finite value, or inf
                              // to NaN where the type has no infinity)
  uint64_t total() const { return rounded + out_of_range; }
};

// Converts the little-endian elements of one dtype to another, chunk by
// chunk, the way ChooseConversion's kConvert does: through host floats
// (ConvertToFloat, then ConvertFromFloat), except into F64, which is exact
// from every type but I64 and U64 (decoded as doubles; those two rounded
// to nearest above 2^53). So F64, I32, U32, I64 and U64 into a type
// narrower than F32 round twice, as torch's `.to()` does (through float).
class ChunkConverter {
 public:
  // REQUIRES: CanConvertToFloat(from), IsConvertibleFloat(to).
  ChunkConverter(Dtype from, Dtype to);

  // Converts `le_in`, whole elements of `from` (e.g. a range of a mapped
  // file), into elements of `to`, and adds the values that changed to
  // *changes. The result is valid until the next call. Errors:
  // InvalidTensorView when `le_in` ends inside an element; IoError (code
  // kAborted) when reading `le_in` faults because the mapped file shrank
  // (with internal::InstallFaultGuard; `name` names the tensor then).
  absl::StatusOr<absl::Span<const uint8_t>> Convert(
      absl::string_view name, absl::Span<const uint8_t> le_in,
      ValueChanges* changes);

 private:
  void CountChanges(size_t n, ValueChanges* changes);
  void ToDouble(size_t n, ValueChanges* changes);

  Dtype from_;
  Dtype to_;
  // Whether every value of `from_` is a value of `to_`: nothing to count.
  bool exact_;
  std::vector<uint8_t> in_;  // the chunk, copied out of the mapping
  std::vector<uint8_t> out_;
  std::vector<float> floats_;
  std::vector<float> back_;  // out_ decoded again, to compare
  std::vector<double> doubles_;
};

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_TENSOR_CONVERT_H_
