// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/convert.h"

#include <array>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"

#include "safetensors/byteswap.h"
#include "safetensors/internal/convert_kernels.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/status.h"

namespace safetensors {

namespace ik = internal;

float Bf16BitsToFloat(uint16_t bits) {
  return ik::BitsFloat(ik::Bf16ToF32Bits(bits));
}
uint16_t FloatToBf16Bits(float value) {
  return ik::F32BitsToBf16(ik::FloatBits(value));
}
float F16BitsToFloat(uint16_t bits) {
  return ik::BitsFloat(ik::F16ToF32Bits(bits));
}
uint16_t FloatToF16Bits(float value) {
  return ik::F32BitsToF16(ik::FloatBits(value));
}
float F8E4M3BitsToFloat(uint8_t bits) {
  return ik::BitsFloat(ik::F8E4M3ToF32Bits(bits));
}
uint8_t FloatToF8E4M3Bits(float value) {
  return ik::F32BitsToF8E4M3(ik::FloatBits(value));
}
float F8E5M2BitsToFloat(uint8_t bits) {
  return ik::BitsFloat(ik::F8E5M2ToF32Bits(bits));
}
uint8_t FloatToF8E5M2Bits(float value) {
  return ik::F32BitsToF8E5M2(ik::FloatBits(value));
}
float F8E4M3FnuzBitsToFloat(uint8_t bits) {
  return ik::BitsFloat(ik::F8E4M3FnuzToF32Bits(bits));
}
uint8_t FloatToF8E4M3FnuzBits(float value) {
  return ik::F32BitsToF8E4M3Fnuz(ik::FloatBits(value));
}
float F8E5M2FnuzBitsToFloat(uint8_t bits) {
  return ik::BitsFloat(ik::F8E5M2FnuzToF32Bits(bits));
}
uint8_t FloatToF8E5M2FnuzBits(float value) {
  return ik::F32BitsToF8E5M2Fnuz(ik::FloatBits(value));
}
float F8E8M0BitsToFloat(uint8_t bits) {
  return ik::BitsFloat(ik::E8M0ToF32Bits(bits));
}
uint8_t FloatToF8E8M0Bits(float value) {
  return ik::F32BitsToE8M0(ik::FloatBits(value));
}

namespace {

bool IsSubByte(Dtype d) {
  return d == Dtype::kF4 || d == Dtype::kF6E2M3 || d == Dtype::kF6E3M2;
}

bool IsF8(Dtype d) {
  return d == Dtype::kF8E4M3 || d == Dtype::kF8E5M2 ||
         d == Dtype::kF8E4M3Fnuz || d == Dtype::kF8E5M2Fnuz ||
         d == Dtype::kF8E8M0;
}

// Why `dtype` cannot be converted (to "float" / "double", or from "float").
absl::Status Unconvertible(Dtype dtype, absl::string_view direction) {
  std::string why;
  if (IsSubByte(dtype)) {
    why =
        "the format does not fix how sub-byte elements pack inside bytes "
        "(docs/conversion.md)";
  } else if (dtype == Dtype::kC64) {
    why = "it is complex; read it with ReadAs<std::complex<float>>";
  } else if (dtype == Dtype::kI64 || dtype == Dtype::kU64) {
    why =
        "a double does not hold every 64-bit integer exactly; use "
        "ConvertToFloat or ReadAs";
  } else {
    why = "ConvertFromFloat writes only BF16, F16, the F8 types, F32 and F64";
  }
  return MakeError(ErrorKind::kInvalidTensorView,
                   absl::StrCat(DtypeName(dtype), " cannot be converted ",
                                direction, ": ", why));
}

// The element count of `bytes` of `dtype`, checked against `out_count`.
absl::Status CheckSizes(Dtype dtype, size_t bytes, size_t out_count,
                        absl::string_view out_what) {
  const size_t unit = static_cast<size_t>(DtypeBits(dtype) / 8);
  if (bytes % unit != 0) {
    return MakeError(
        ErrorKind::kInvalidTensorView,
        absl::StrCat(bytes, " bytes are not a whole number of ",
                     DtypeName(dtype), " elements (", unit, " bytes each)"));
  }
  if (bytes / unit != out_count) {
    return MakeError(ErrorKind::kInvalidTensorView,
                     absl::StrCat(bytes / unit, " ", DtypeName(dtype),
                                  " elements, but the output holds ", out_count,
                                  " ", out_what));
  }
  return absl::OkStatus();
}

using Table = std::array<float, 256>;

template <uint32_t (*kDecode)(uint8_t)>
const Table& MakeTable() {
  static const Table table = [] {
    Table t;
    for (int c = 0; c < 256; ++c) {
      t[c] = ik::BitsFloat(kDecode(static_cast<uint8_t>(c)));
    }
    return t;
  }();
  return table;
}

// The decode table of an F8 dtype.
const Table& F8Table(Dtype d) {
  switch (d) {
    case Dtype::kF8E4M3:
      return MakeTable<ik::F8E4M3ToF32Bits>();
    case Dtype::kF8E5M2:
      return MakeTable<ik::F8E5M2ToF32Bits>();
    case Dtype::kF8E4M3Fnuz:
      return MakeTable<ik::F8E4M3FnuzToF32Bits>();
    case Dtype::kF8E5M2Fnuz:
      return MakeTable<ik::F8E5M2FnuzToF32Bits>();
    default:
      return MakeTable<ik::E8M0ToF32Bits>();
  }
}

template <typename Int, typename Out>
void IntsTo(const uint8_t* src, Out* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = src + i * sizeof(Int);
    std::make_unsigned_t<Int> u;
    if constexpr (sizeof(Int) == 1) {
      u = *p;
    } else if constexpr (sizeof(Int) == 2) {
      u = ik::LoadLe16(p);
    } else if constexpr (sizeof(Int) == 4) {
      u = ik::LoadLe32(p);
    } else {
      u = ik::LoadLe64(p);
    }
    dst[i] = static_cast<Out>(static_cast<Int>(u));
  }
}

// Decodes n elements of `from` (already checked convertible) into Out.
template <typename Out>
void Decode(Dtype from, const uint8_t* src, Out* dst, size_t n) {
  switch (from) {
    case Dtype::kBool:
      for (size_t i = 0; i < n; ++i) dst[i] = src[i] != 0 ? 1 : 0;
      return;
    case Dtype::kU8:
      return IntsTo<uint8_t>(src, dst, n);
    case Dtype::kI8:
      return IntsTo<int8_t>(src, dst, n);
    case Dtype::kU16:
      return IntsTo<uint16_t>(src, dst, n);
    case Dtype::kI16:
      return IntsTo<int16_t>(src, dst, n);
    case Dtype::kU32:
      return IntsTo<uint32_t>(src, dst, n);
    case Dtype::kI32:
      return IntsTo<int32_t>(src, dst, n);
    case Dtype::kU64:
      return IntsTo<uint64_t>(src, dst, n);
    case Dtype::kI64:
      return IntsTo<int64_t>(src, dst, n);
    case Dtype::kF64:
      for (size_t i = 0; i < n; ++i) {
        const uint64_t b = ik::LoadLe64(src + 8 * i);
        double d;
        std::memcpy(&d, &b, 8);
        dst[i] = static_cast<Out>(d);
      }
      return;
    default:
      break;
  }
  if constexpr (std::is_same_v<Out, float>) {
    const ik::ConvertKernel& k = ik::ActiveConvertKernel();
    switch (from) {
      case Dtype::kF32:
        CopyLittleEndianToHost(
            Dtype::kF32, absl::MakeConstSpan(src, 4 * n),
            absl::MakeSpan(reinterpret_cast<uint8_t*>(dst), 4 * n));
        return;
      case Dtype::kBF16:
        return k.bf16_to_f32(src, dst, n);
      case Dtype::kF16:
        return k.f16_to_f32(src, dst, n);
      default:
        break;
    }
  } else {
    switch (from) {
      case Dtype::kF32:
        for (size_t i = 0; i < n; ++i) {
          dst[i] = ik::BitsFloat(ik::LoadLe32(src + 4 * i));
        }
        return;
      case Dtype::kBF16:
        for (size_t i = 0; i < n; ++i) {
          dst[i] = ik::BitsFloat(ik::Bf16ToF32Bits(ik::LoadLe16(src + 2 * i)));
        }
        return;
      case Dtype::kF16:
        for (size_t i = 0; i < n; ++i) {
          dst[i] = ik::BitsFloat(ik::F16ToF32Bits(ik::LoadLe16(src + 2 * i)));
        }
        return;
      default:
        break;
    }
  }
  // The F8 types.
  const Table& table = F8Table(from);
  for (size_t i = 0; i < n; ++i) dst[i] = table[src[i]];
}

template <typename Out>
absl::Status ConvertTo(Dtype from, absl::Span<const uint8_t> le_bytes,
                       absl::Span<Out> out) {
  constexpr bool kDouble = std::is_same_v<Out, double>;
  if (kDouble ? !CanConvertToDouble(from) : !CanConvertToFloat(from)) {
    return Unconvertible(from, kDouble ? "to double" : "to float");
  }
  absl::Status s = CheckSizes(from, le_bytes.size(), out.size(),
                              kDouble ? "doubles" : "floats");
  if (!s.ok()) return s;
  Decode<Out>(from, le_bytes.data(), out.data(), out.size());
  return absl::OkStatus();
}

template <typename Out>
absl::StatusOr<std::vector<Out>> ReadAsImpl(const TensorView& view) {
  constexpr bool kDouble = std::is_same_v<Out, double>;
  if (kDouble ? !CanConvertToDouble(view.dtype())
              : !CanConvertToFloat(view.dtype())) {
    return WithPrefix(
        Unconvertible(view.dtype(), kDouble ? "to double" : "to float"),
        absl::StrCat("tensor ", internal::json::Quoted(view.name()), ": "));
  }
  std::vector<Out> out(view.byte_size() / (DtypeBits(view.dtype()) / 8));
  absl::Status s =
      ConvertTo<Out>(view.dtype(), view.data(), absl::MakeSpan(out));
  if (!s.ok()) return s;
  return out;
}

}  // namespace

bool CanConvertToFloat(Dtype dtype) {
  return !IsSubByte(dtype) && dtype != Dtype::kC64;
}

bool CanConvertToDouble(Dtype dtype) {
  return CanConvertToFloat(dtype) && dtype != Dtype::kI64 &&
         dtype != Dtype::kU64;
}

bool CanConvertFromFloat(Dtype dtype) {
  return dtype == Dtype::kBF16 || dtype == Dtype::kF16 || IsF8(dtype) ||
         dtype == Dtype::kF32 || dtype == Dtype::kF64;
}

absl::Status ConvertToFloat(Dtype from, absl::Span<const uint8_t> le_bytes,
                            absl::Span<float> out) {
  return ConvertTo<float>(from, le_bytes, out);
}

absl::Status ConvertToDouble(Dtype from, absl::Span<const uint8_t> le_bytes,
                             absl::Span<double> out) {
  return ConvertTo<double>(from, le_bytes, out);
}

absl::Status ConvertFromFloat(absl::Span<const float> in, Dtype to,
                              absl::Span<uint8_t> le_out) {
  if (!CanConvertFromFloat(to)) return Unconvertible(to, "from float");
  const size_t unit = static_cast<size_t>(DtypeBits(to) / 8);
  if (le_out.size() / unit != in.size() || le_out.size() % unit != 0) {
    return MakeError(
        ErrorKind::kInvalidTensorView,
        absl::StrCat(in.size(), " floats as ", DtypeName(to), " take ",
                     in.size() * unit, " bytes, but the output holds ",
                     le_out.size()));
  }
  const size_t n = in.size();
  const float* src = in.data();
  uint8_t* dst = le_out.data();
  const ik::ConvertKernel& k = ik::ActiveConvertKernel();
  switch (to) {
    case Dtype::kBF16:
      k.f32_to_bf16(src, dst, n);
      break;
    case Dtype::kF16:
      k.f32_to_f16(src, dst, n);
      break;
    case Dtype::kF32:
      CopyHostToLittleEndian(
          Dtype::kF32,
          absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(src), 4 * n),
          le_out);
      break;
    case Dtype::kF64:
      for (size_t i = 0; i < n; ++i) {
        const double d = src[i];
        uint64_t b;
        std::memcpy(&b, &d, 8);
        ik::StoreLe64(dst + 8 * i, b);
      }
      break;
    default: {
      uint8_t (*encode)(uint32_t) =
          to == Dtype::kF8E4M3       ? ik::F32BitsToF8E4M3
          : to == Dtype::kF8E5M2     ? ik::F32BitsToF8E5M2
          : to == Dtype::kF8E4M3Fnuz ? ik::F32BitsToF8E4M3Fnuz
          : to == Dtype::kF8E5M2Fnuz ? ik::F32BitsToF8E5M2Fnuz
                                     : ik::F32BitsToE8M0;
      for (size_t i = 0; i < n; ++i) dst[i] = encode(ik::FloatBits(src[i]));
      break;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<float>> ReadAsFloat(const TensorView& view) {
  return ReadAsImpl<float>(view);
}

absl::StatusOr<std::vector<double>> ReadAsDouble(const TensorView& view) {
  return ReadAsImpl<double>(view);
}

}  // namespace safetensors
