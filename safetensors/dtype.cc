// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/dtype.h"

#include <cstring>

#include "absl/strings/str_cat.h"

#include "safetensors/internal/checked.h"
#include "safetensors/status.h"

namespace safetensors {
namespace {

struct DtypeInfo {
  absl::string_view name;
  uint8_t bits;
  uint8_t swap_unit;
};

// Indexed by rank (the enum's value).
constexpr DtypeInfo kDtypes[kNumDtypes] = {
    {"BOOL", 8, 1},        {"F4", 4, 1},          {"F6_E2M3", 6, 1},
    {"F6_E3M2", 6, 1},     {"U8", 8, 1},          {"I8", 8, 1},
    {"F8_E5M2", 8, 1},     {"F8_E4M3", 8, 1},     {"F8_E8M0", 8, 1},
    {"F8_E4M3FNUZ", 8, 1}, {"F8_E5M2FNUZ", 8, 1}, {"I16", 16, 2},
    {"U16", 16, 2},        {"F16", 16, 2},        {"BF16", 16, 2},
    {"I32", 32, 4},        {"U32", 32, 4},        {"F32", 32, 4},
    {"C64", 64, 4},        {"F64", 64, 8},        {"I64", 64, 8},
    {"U64", 64, 8},
};

constexpr Dtype kAll[kNumDtypes] = {
    Dtype::kBool,   Dtype::kF4,         Dtype::kF6E2M3,     Dtype::kF6E3M2,
    Dtype::kU8,     Dtype::kI8,         Dtype::kF8E5M2,     Dtype::kF8E4M3,
    Dtype::kF8E8M0, Dtype::kF8E4M3Fnuz, Dtype::kF8E5M2Fnuz, Dtype::kI16,
    Dtype::kU16,    Dtype::kF16,        Dtype::kBF16,       Dtype::kI32,
    Dtype::kU32,    Dtype::kF32,        Dtype::kC64,        Dtype::kF64,
    Dtype::kI64,    Dtype::kU64,
};

}  // namespace

absl::Span<const Dtype> AllDtypes() { return kAll; }

absl::string_view DtypeName(Dtype dtype) {
  return kDtypes[DtypeRank(dtype)].name;
}

std::optional<Dtype> DtypeFromName(absl::string_view name) {
  // Names are 2 to 11 bytes; the length and the second byte leave at most
  // two candidates, each confirmed with one comparison.
  if (name.size() < 2 || name.size() > 11) return std::nullopt;
  auto is = [&](Dtype d) -> std::optional<Dtype> {
    const absl::string_view candidate = kDtypes[DtypeRank(d)].name;
    if (candidate == name) return d;
    return std::nullopt;
  };
  switch (name.size()) {
    case 2:
      if (name[0] == 'U') return is(Dtype::kU8);
      if (name[0] == 'I') return is(Dtype::kI8);
      return is(Dtype::kF4);
    case 3:
      switch (name[0]) {
        case 'F':
          if (name[1] == '3') return is(Dtype::kF32);
          if (name[1] == '6') return is(Dtype::kF64);
          return is(Dtype::kF16);
        case 'I':
          if (name[1] == '3') return is(Dtype::kI32);
          if (name[1] == '6') return is(Dtype::kI64);
          return is(Dtype::kI16);
        case 'U':
          if (name[1] == '3') return is(Dtype::kU32);
          if (name[1] == '6') return is(Dtype::kU64);
          return is(Dtype::kU16);
        default:
          return is(Dtype::kC64);
      }
    case 4:
      if (name[0] == 'B' && name[1] == 'F') return is(Dtype::kBF16);
      return is(Dtype::kBool);
    case 7:
      if (name[1] == '6') {
        return name[4] == '2' ? is(Dtype::kF6E2M3) : is(Dtype::kF6E3M2);
      }
      if (name[4] == '5') return is(Dtype::kF8E5M2);
      if (name[4] == '4') return is(Dtype::kF8E4M3);
      return is(Dtype::kF8E8M0);
    case 11:
      return name[4] == '4' ? is(Dtype::kF8E4M3Fnuz) : is(Dtype::kF8E5M2Fnuz);
    default:
      return std::nullopt;
  }
}

int DtypeBits(Dtype dtype) { return kDtypes[DtypeRank(dtype)].bits; }

int DtypeSwapUnit(Dtype dtype) { return kDtypes[DtypeRank(dtype)].swap_unit; }

absl::StatusOr<uint64_t> ElementCount(absl::Span<const uint64_t> shape) {
  uint64_t count = 1;
  for (uint64_t dim : shape) {
    if (!CheckedMul(count, dim, &count)) {
      return MakeError(ErrorKind::kValidationOverflow,
                       "overflow computing the element count of a shape");
    }
  }
  return count;
}

absl::StatusOr<uint64_t> TensorByteSize(Dtype dtype,
                                        absl::Span<const uint64_t> shape) {
  absl::StatusOr<uint64_t> count = ElementCount(shape);
  if (!count.ok()) return count.status();
  uint64_t bits;
  if (!CheckedMul(*count, static_cast<uint64_t>(DtypeBits(dtype)), &bits)) {
    return MakeError(ErrorKind::kValidationOverflow,
                     absl::StrCat("overflow computing the bit size of ", *count,
                                  " elements of ", DtypeName(dtype)));
  }
  if (bits % 8 != 0) {
    return MakeError(
        ErrorKind::kMisalignedSlice,
        absl::StrCat(*count, " elements of ", DtypeName(dtype), " are ", bits,
                     " bits, not a whole number of bytes"));
  }
  return bits / 8;
}

}  // namespace safetensors
