// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/tensor_convert.h"

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"

#include "safetensors/convert.h"
#include "safetensors/internal/fault_guard.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/status.h"

namespace safetensors {
namespace tool {
namespace {

bool IsInteger(Dtype dtype) {
  switch (dtype) {
    case Dtype::kBool:
    case Dtype::kU8:
    case Dtype::kI8:
    case Dtype::kU16:
    case Dtype::kI16:
    case Dtype::kU32:
    case Dtype::kI32:
    case Dtype::kU64:
    case Dtype::kI64:
      return true;
    default:
      return false;
  }
}

// Whether every value of `from` is exactly a float: the types narrower
// than 32 bits, and F32.
bool ExactInFloat(Dtype from) {
  return from != Dtype::kF64 && from != Dtype::kI32 && from != Dtype::kU32 &&
         from != Dtype::kI64 && from != Dtype::kU64;
}

uint64_t LoadLittleEndian64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void StoreLittleEndian64(uint64_t v, uint8_t* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// Adds `after`, the converted value of `before`, to *changes.
template <typename T>
void Tally(T before, T after, ValueChanges* changes) {
  if (before == after || (std::isnan(before) && std::isnan(after))) return;
  if (std::isfinite(after)) {
    ++changes->rounded;
  } else {
    ++changes->out_of_range;
  }
}

// The same for an integer (I64 when `is_signed`, else U64; its bits in
// `bits`) converted to `after`.
template <typename T>
void TallyInteger(uint64_t bits, bool is_signed, T after,
                  ValueChanges* changes) {
  if (!std::isfinite(after)) {
    ++changes->out_of_range;
    return;
  }
  // 2^63 and 2^64 are exact in every float type, and the integer of a
  // float in range is exact.
  const T two63 = static_cast<T>(9223372036854775808.0);
  bool same;
  if (is_signed) {
    same = after >= -two63 && after < two63 && std::trunc(after) == after &&
           static_cast<int64_t>(after) == static_cast<int64_t>(bits);
  } else {
    same = after >= 0 && after < 2 * two63 && std::trunc(after) == after &&
           static_cast<uint64_t>(after) == bits;
  }
  if (!same) ++changes->rounded;
}

}  // namespace

bool IsConvertibleFloat(Dtype dtype) { return CanConvertFromFloat(dtype); }

ConvertChoice ChooseConversion(Dtype from, Dtype to, bool allow_integers) {
  if (from == to) return ConvertChoice::kAlready;
  if (IsConvertibleFloat(from)) return ConvertChoice::kConvert;
  if (IsInteger(from)) {
    return allow_integers ? ConvertChoice::kConvert : ConvertChoice::kInteger;
  }
  return ConvertChoice::kNotConvertible;
}

ChunkConverter::ChunkConverter(Dtype from, Dtype to)
    : from_(from),
      to_(to),
      exact_(
          (to == Dtype::kF64 && from != Dtype::kI64 && from != Dtype::kU64) ||
          (to == Dtype::kF32 && ExactInFloat(from))) {}

absl::StatusOr<absl::Span<const uint8_t>> ChunkConverter::Convert(
    absl::string_view name, absl::Span<const uint8_t> le_in,
    ValueChanges* changes) {
  const size_t in_size = DtypeBits(from_) / 8;
  if (le_in.size() % in_size != 0) {
    return MakeError(ErrorKind::kInvalidTensorView,
                     absl::StrCat("tensor ", internal::json::Quoted(name), ": ",
                                  le_in.size(), " bytes are not whole ",
                                  DtypeName(from_), " elements"));
  }
  const size_t n = le_in.size() / in_size;
  // Copied first: the bytes may be a mapping of a file that shrinks, and
  // the conversion functions must not fault.
  in_.resize(le_in.size());
  if (!internal::GuardedCopy(in_.data(), le_in.data(), le_in.size())) {
    return internal::ShrankWhileBeing(
        "converted", absl::StrCat("tensor ", internal::json::Quoted(name)),
        "the input file");
  }
  out_.resize(n * (DtypeBits(to_) / 8));
  if (to_ == Dtype::kF64) {
    ToDouble(n, changes);
    return absl::Span<const uint8_t>(out_);
  }
  floats_.resize(n);
  absl::Status s = ConvertToFloat(from_, in_, absl::MakeSpan(floats_));
  if (s.ok()) s = ConvertFromFloat(floats_, to_, absl::MakeSpan(out_));
  if (!s.ok()) return s;
  if (!exact_) CountChanges(n, changes);
  return absl::Span<const uint8_t>(out_);
}

void ChunkConverter::CountChanges(size_t n, ValueChanges* changes) {
  back_.resize(n);
  // Cannot fail: to_ converts, and the sizes match.
  ConvertToFloat(to_, out_, absl::MakeSpan(back_)).IgnoreError();
  if (ExactInFloat(from_)) {
    for (size_t i = 0; i < n; ++i) Tally(floats_[i], back_[i], changes);
  } else if (from_ == Dtype::kI64 || from_ == Dtype::kU64) {
    const bool is_signed = from_ == Dtype::kI64;
    for (size_t i = 0; i < n; ++i) {
      TallyInteger(LoadLittleEndian64(&in_[8 * i]), is_signed, back_[i],
                   changes);
    }
  } else {  // F64, I32, U32: exact as doubles
    doubles_.resize(n);
    ConvertToDouble(from_, in_, absl::MakeSpan(doubles_)).IgnoreError();
    for (size_t i = 0; i < n; ++i) {
      Tally(doubles_[i], static_cast<double>(back_[i]), changes);
    }
  }
}

void ChunkConverter::ToDouble(size_t n, ValueChanges* changes) {
  doubles_.resize(n);
  if (from_ == Dtype::kI64 || from_ == Dtype::kU64) {
    const bool is_signed = from_ == Dtype::kI64;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t bits = LoadLittleEndian64(&in_[8 * i]);
      doubles_[i] = is_signed ? static_cast<double>(static_cast<int64_t>(bits))
                              : static_cast<double>(bits);
      TallyInteger(bits, is_signed, doubles_[i], changes);
    }
  } else {
    // Cannot fail: every other convertible type is exact as a double.
    ConvertToDouble(from_, in_, absl::MakeSpan(doubles_)).IgnoreError();
  }
  for (size_t i = 0; i < n; ++i) {
    uint64_t bits;
    std::memcpy(&bits, &doubles_[i], 8);
    StoreLittleEndian64(bits, &out_[8 * i]);
  }
}

}  // namespace tool
}  // namespace safetensors
