// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Converting element values to and from host floats: the 16-bit and 8-bit
// float types (BF16, F16, F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ,
// F8_E8M0), F32 and F64, and, towards float only, every integer type and
// BOOL. The semantics of each type (bias, largest value, subnormals, NaN and
// infinity codes, rounding, what happens to values out of range) follow
// ml_dtypes and are tabulated in docs/conversion.md.
//
//   absl::StatusOr<std::vector<float>> w = safetensors::ReadAsFloat(view);
//
// Encoded values are the file's bytes: little-endian, as TensorView::data()
// gives them, on every host; decoded values are host floats. Narrowing
// (float -> BF16, F16, F8) rounds to nearest, ties to even (F8_E8M0, which
// keeps no mantissa bits, sends ties up; see the docs).
//
// Not converted: F4 and F6_E2M3 / F6_E3M2 (the format does not fix how
// sub-byte elements pack inside bytes, docs/specification.md §8), and C64 (a
// complex value has no float; read it with ReadAs<std::complex<float>>).
//
// Pure functions of their arguments; thread-safe. The span functions are
// O(n); BF16 and F16 to and from float use vector instructions where the CPU
// has them (AVX2 and F16C on x86-64, chosen at run time).

#ifndef SAFETENSORS_CONVERT_H_
#define SAFETENSORS_CONVERT_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"
#include "safetensors/reader.h"

namespace safetensors {

// One value, as its bit pattern (a host integer: no byte order involved).
// Decoding is exact. Encoding rounds to nearest, ties to even. NaN stays NaN.
float Bf16BitsToFloat(uint16_t bits);
uint16_t FloatToBf16Bits(float value);  // overflow -> +-inf
float F16BitsToFloat(uint16_t bits);
uint16_t FloatToF16Bits(float value);  // |value| >= 65520 -> +-inf
float F8E4M3BitsToFloat(uint8_t bits);
uint8_t FloatToF8E4M3Bits(float value);  // |value| > 464, +-inf -> NaN
float F8E5M2BitsToFloat(uint8_t bits);
uint8_t FloatToF8E5M2Bits(float value);  // |value| >= 61440 -> +-inf
float F8E4M3FnuzBitsToFloat(uint8_t bits);
uint8_t FloatToF8E4M3FnuzBits(float value);  // |value| >= 248, inf -> NaN
float F8E5M2FnuzBitsToFloat(uint8_t bits);
uint8_t FloatToF8E5M2FnuzBits(float value);  // |value| >= 61440 -> NaN
float F8E8M0BitsToFloat(uint8_t bits);
uint8_t FloatToF8E8M0Bits(float value);  // <= 0, >= 1.5 x 2^127 -> NaN

// True when ConvertToFloat accepts `dtype`: every dtype except F4, F6_E2M3,
// F6_E3M2 and C64. Integers wider than 24 bits (and F64) round to nearest.
bool CanConvertToFloat(Dtype dtype);

// True when ConvertToDouble accepts `dtype`: the dtypes whose every value a
// double holds exactly, which is CanConvertToFloat without I64 and U64.
bool CanConvertToDouble(Dtype dtype);

// True when ConvertFromFloat accepts `dtype`: BF16, F16, the five F8 types,
// F32 and F64. (Float to integer or BOOL is not offered.)
bool CanConvertFromFloat(Dtype dtype);

// Decodes `le_bytes`, elements of `from` in the file's little-endian order,
// into host floats: out[i] is element i. BOOL: 0 is 0.0f and every other
// byte 1.0f.
// Errors (kind InvalidTensorView; nothing written):
//   - !CanConvertToFloat(from);
//   - le_bytes.size() is not a multiple of the element size;
//   - out.size() differs from the element count.
// REQUIRES: `out` does not overlap `le_bytes`.
// Cost: one pass; BF16 and F16 at about memcpy speed of `out` on AVX2.
absl::Status ConvertToFloat(Dtype from, absl::Span<const uint8_t> le_bytes,
                            absl::Span<float> out);

// As ConvertToFloat, into doubles, exactly. Errors as ConvertToFloat with
// CanConvertToDouble (so I64 and U64 are InvalidTensorView).
absl::Status ConvertToDouble(Dtype from, absl::Span<const uint8_t> le_bytes,
                             absl::Span<double> out);

// Encodes host floats as elements of `to` in little-endian order:
// le_out[k*i, k*(i+1)) is in[i], k the element size. F32 and F64 are exact;
// the narrow types round as described above.
// Errors (kind InvalidTensorView; nothing written):
//   - !CanConvertFromFloat(to);
//   - le_out.size() != in.size() x the element size.
// REQUIRES: `le_out` does not overlap `in`.
absl::Status ConvertFromFloat(absl::Span<const float> in, Dtype to,
                              absl::Span<uint8_t> le_out);

// The tensor's elements as host floats (ConvertToFloat of view.data()), in
// a new vector the caller owns. Errors: InvalidTensorView when
// !CanConvertToFloat(view.dtype()).
absl::StatusOr<std::vector<float>> ReadAsFloat(const TensorView& view);

// As ReadAsFloat, as doubles; InvalidTensorView when
// !CanConvertToDouble(view.dtype()).
absl::StatusOr<std::vector<double>> ReadAsDouble(const TensorView& view);

}  // namespace safetensors

#endif  // SAFETENSORS_CONVERT_H_
