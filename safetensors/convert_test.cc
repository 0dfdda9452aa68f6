// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The conversions against a model of each format written here from its
// parameters (sign, exponent and mantissa widths, bias, special codes), not
// from the code under test: every 8- and 16-bit code decoded, every
// non-NaN code round-tripped, every rounding midpoint (and the floats
// either side of it) encoded, a sweep of float bit patterns encoded, each
// kernel against the scalar functions, and every error.

#include "safetensors/convert.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/internal/convert_kernels.h"
#include "safetensors/reader.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::testing::ElementsAre;

uint32_t Bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
float FromBits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// ---------------------------------------------------------------------------
// The model.

enum class Kind { kIeee, kFn, kFnuz, kE8M0 };

struct Format {
  Dtype dtype;
  int bits;      // 8 or 16
  int exponent;  // exponent field width
  int mantissa;  // mantissa field width
  int bias;
  Kind kind;
};

const Format kBf16{Dtype::kBF16, 16, 8, 7, 127, Kind::kIeee};
const Format kF16{Dtype::kF16, 16, 5, 10, 15, Kind::kIeee};
const Format kE4M3{Dtype::kF8E4M3, 8, 4, 3, 7, Kind::kFn};
const Format kE5M2{Dtype::kF8E5M2, 8, 5, 2, 15, Kind::kIeee};
const Format kE4M3Fnuz{Dtype::kF8E4M3Fnuz, 8, 4, 3, 8, Kind::kFnuz};
const Format kE5M2Fnuz{Dtype::kF8E5M2Fnuz, 8, 5, 2, 16, Kind::kFnuz};
const Format kE8M0{Dtype::kF8E8M0, 8, 8, 0, 127, Kind::kE8M0};

void PrintTo(const Format& f, std::ostream* os) { *os << DtypeName(f.dtype); }

const Format kAll[] = {kBf16, kF16, kE4M3, kE5M2, kE4M3Fnuz, kE5M2Fnuz, kE8M0};

uint32_t SignBit(const Format& f) { return 1u << (f.bits - 1); }

bool ModelIsNan(const Format& f, uint32_t code) {
  const uint32_t mag = code & (SignBit(f) - 1);
  const uint32_t e = mag >> f.mantissa;
  const uint32_t m = mag & ((1u << f.mantissa) - 1);
  const uint32_t e_max = (1u << f.exponent) - 1;
  switch (f.kind) {
    case Kind::kIeee:
      return e == e_max && m != 0;
    case Kind::kFn:
      return e == e_max && m == (1u << f.mantissa) - 1;
    case Kind::kFnuz:
      return code == SignBit(f);
    case Kind::kE8M0:
      return code == 0xFF;
  }
  return false;
}

// The value of a non-NaN code, as a double (every value is exact there).
double ModelValue(const Format& f, uint32_t code) {
  if (f.kind == Kind::kE8M0)
    return std::ldexp(1.0, static_cast<int>(code) - 127);
  const bool negative = (code & SignBit(f)) != 0;
  const uint32_t mag = code & (SignBit(f) - 1);
  const int e = static_cast<int>(mag >> f.mantissa);
  const int m = static_cast<int>(mag & ((1u << f.mantissa) - 1));
  double v;
  if (f.kind == Kind::kIeee && e == (1 << f.exponent) - 1) {
    v = std::numeric_limits<double>::infinity();
  } else if (e == 0) {
    v = std::ldexp(m, 1 - f.bias - f.mantissa);
  } else {
    v = std::ldexp((1 << f.mantissa) + m, e - f.bias - f.mantissa);
  }
  return negative ? -v : v;
}

// The largest finite magnitude code.
uint32_t MaxCode(const Format& f) {
  switch (f.kind) {
    case Kind::kIeee:
      return (((1u << f.exponent) - 1) << f.mantissa) - 1;
    case Kind::kFn:
      return SignBit(f) - 2;
    case Kind::kFnuz:
      return SignBit(f) - 1;
    case Kind::kE8M0:
      return 0xFE;
  }
  return 0;
}

// The float bits decoding gives for a NaN code (docs/conversion.md): BF16
// widens exactly; F16 keeps sign and payload and sets the quiet bit; the F8
// types give the default quiet NaN with the code's sign bit (E8M0: none).
uint32_t ModelNanBits(const Format& f, uint32_t code) {
  if (f.dtype == Dtype::kBF16) return code << 16;
  const uint32_t sign = (code & SignBit(f)) != 0 ? 0x80000000u : 0u;
  if (f.dtype == Dtype::kF16) {
    return sign | 0x7FC00000u | ((code & 0x3FFu) << 13);
  }
  return (f.kind == Kind::kE8M0 ? 0u : sign) | 0x7FC00000u;
}

// The code NaN input encodes to (docs/conversion.md).
uint32_t ModelNanCode(const Format& f, float x) {
  const uint32_t b = Bits(x);
  const uint32_t sign = b >> 31;
  switch (f.dtype) {
    case Dtype::kBF16:
      return (b >> 16) | 0x40;
    case Dtype::kF16:
      return (sign << 15) | 0x7E00 | ((b >> 13) & 0x3FF);
    case Dtype::kF8E4M3:
      return (sign << 7) | 0x7F;
    case Dtype::kF8E5M2:
      return (sign << 7) | 0x7E;
    default:  // FNUZ: 0x80; E8M0: 0xFF
      return f.kind == Kind::kFnuz ? 0x80 : 0xFF;
  }
}

// What a finite value too large for the type becomes, and infinity too.
uint32_t ModelOverflowCode(const Format& f, bool negative) {
  const uint32_t sign = negative ? SignBit(f) : 0;
  switch (f.kind) {
    case Kind::kIeee:
      return sign | (MaxCode(f) + 1);  // infinity
    case Kind::kFn:
      return sign | (MaxCode(f) + 1);  // S.1111.111, NaN
    case Kind::kFnuz:
      return SignBit(f);  // the one NaN
    case Kind::kE8M0:
      return 0xFF;
  }
  return 0;
}

// Encoding by search: the nearest magnitude code, a tie going to the even
// code (E8M0: going up), beyond the largest finite value (one more step at
// the top exponent) overflowing.
uint32_t ModelEncode(const Format& f, float x) {
  if (std::isnan(x)) return ModelNanCode(f, x);
  const bool negative = std::signbit(x);
  if (f.kind == Kind::kE8M0 && (negative || x == 0)) return 0xFF;
  if (std::isinf(x)) return ModelOverflowCode(f, negative);
  const double ax = std::fabs(static_cast<double>(x));
  // Largest code lo with value(lo) <= ax (lo = 0 when ax is below them all).
  uint32_t lo = 0, hi = MaxCode(f);
  if (ModelValue(f, hi) <= ax) {
    lo = hi;
  } else {
    while (hi - lo > 1) {
      const uint32_t mid = lo + (hi - lo) / 2;
      (ModelValue(f, mid) <= ax ? lo : hi) = mid;
    }
  }
  const double v_lo = ModelValue(f, lo);
  uint32_t code;
  if (v_lo == ax || (f.kind == Kind::kE8M0 && ax < v_lo)) {
    code = lo;
  } else {
    const uint32_t next = lo + 1;
    const double v_next =
        lo < MaxCode(f)
            ? ModelValue(f, next)
            : (f.kind == Kind::kE8M0
                   ? 2 * v_lo
                   : v_lo + std::ldexp(1.0, static_cast<int>(lo >> f.mantissa) -
                                                f.bias - f.mantissa));
    const double midpoint = (v_lo + v_next) / 2;  // exact
    const bool tie_up = f.kind == Kind::kE8M0 || (lo & 1) != 0;
    code = ax > midpoint || (ax == midpoint && tie_up) ? next : lo;
  }
  if (code > MaxCode(f)) return ModelOverflowCode(f, negative);
  if (f.kind == Kind::kFnuz && code == 0) return 0;
  return (negative && f.kind != Kind::kE8M0 ? SignBit(f) : 0) | code;
}

// ---------------------------------------------------------------------------
// The code under test, one value at a time and through the span API.

float Decode(const Format& f, uint32_t code) {
  switch (f.dtype) {
    case Dtype::kBF16:
      return Bf16BitsToFloat(static_cast<uint16_t>(code));
    case Dtype::kF16:
      return F16BitsToFloat(static_cast<uint16_t>(code));
    case Dtype::kF8E4M3:
      return F8E4M3BitsToFloat(static_cast<uint8_t>(code));
    case Dtype::kF8E5M2:
      return F8E5M2BitsToFloat(static_cast<uint8_t>(code));
    case Dtype::kF8E4M3Fnuz:
      return F8E4M3FnuzBitsToFloat(static_cast<uint8_t>(code));
    case Dtype::kF8E5M2Fnuz:
      return F8E5M2FnuzBitsToFloat(static_cast<uint8_t>(code));
    default:
      return F8E8M0BitsToFloat(static_cast<uint8_t>(code));
  }
}

uint32_t Encode(const Format& f, float x) {
  switch (f.dtype) {
    case Dtype::kBF16:
      return FloatToBf16Bits(x);
    case Dtype::kF16:
      return FloatToF16Bits(x);
    case Dtype::kF8E4M3:
      return FloatToF8E4M3Bits(x);
    case Dtype::kF8E5M2:
      return FloatToF8E5M2Bits(x);
    case Dtype::kF8E4M3Fnuz:
      return FloatToF8E4M3FnuzBits(x);
    case Dtype::kF8E5M2Fnuz:
      return FloatToF8E5M2FnuzBits(x);
    default:
      return FloatToF8E8M0Bits(x);
  }
}

// Codes as the file's little-endian bytes.
std::vector<uint8_t> LeBytes(const Format& f,
                             const std::vector<uint32_t>& codes) {
  std::vector<uint8_t> out;
  for (uint32_t c : codes) {
    out.push_back(static_cast<uint8_t>(c));
    if (f.bits == 16) out.push_back(static_cast<uint8_t>(c >> 8));
  }
  return out;
}

std::vector<uint32_t> FromLeBytes(const Format& f,
                                  const std::vector<uint8_t>& bytes) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < bytes.size(); i += f.bits / 8) {
    out.push_back(f.bits == 16 ? bytes[i] | (uint32_t{bytes[i + 1]} << 8)
                               : bytes[i]);
  }
  return out;
}

std::vector<uint32_t> AllCodes(const Format& f) {
  std::vector<uint32_t> codes(size_t{1} << f.bits);
  for (size_t c = 0; c < codes.size(); ++c) codes[c] = static_cast<uint32_t>(c);
  return codes;
}

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%x", v);
  return buf;
}

class PerFormat : public ::testing::TestWithParam<Format> {};

// Every code: scalar and span decode against the model, bit for bit.
TEST_P(PerFormat, DecodesEveryCodeAsTheModel) {
  const Format& f = GetParam();
  const std::vector<uint32_t> codes = AllCodes(f);
  const std::vector<uint8_t> bytes = LeBytes(f, codes);
  std::vector<float> out(codes.size());
  ASSERT_THAT(ConvertToFloat(f.dtype, bytes, absl::MakeSpan(out)), IsOk());
  std::vector<double> out_d(codes.size());
  ASSERT_THAT(ConvertToDouble(f.dtype, bytes, absl::MakeSpan(out_d)), IsOk());
  int failures = 0;
  for (uint32_t c : codes) {
    const uint32_t want = ModelIsNan(f, c)
                              ? ModelNanBits(f, c)
                              : Bits(static_cast<float>(ModelValue(f, c)));
    const uint32_t scalar = Bits(Decode(f, c));
    const uint32_t span = Bits(out[c]);
    const bool double_ok = ModelIsNan(f, c)
                               ? std::isnan(out_d[c])
                               : Bits(static_cast<float>(out_d[c])) == want &&
                                     out_d[c] == ModelValue(f, c);
    if ((scalar != want || span != want || !double_ok) && ++failures <= 10) {
      ADD_FAILURE() << DtypeName(f.dtype) << " code " << Hex(c) << ": want "
                    << Hex(want) << ", scalar " << Hex(scalar) << ", span "
                    << Hex(span) << ", double " << out_d[c];
    }
  }
  EXPECT_EQ(failures, 0);
}

// Decode then encode gives the code back for every non-NaN code; NaN codes
// give the type's NaN.
TEST_P(PerFormat, RoundTripsEveryCode) {
  const Format& f = GetParam();
  int failures = 0;
  std::vector<float> values;
  std::vector<uint32_t> want;
  for (uint32_t c : AllCodes(f)) {
    const float v = Decode(f, c);
    const uint32_t expect = ModelIsNan(f, c) ? ModelNanCode(f, v) : c;
    values.push_back(v);
    want.push_back(expect);
    const uint32_t got = Encode(f, v);
    if (got != expect && ++failures <= 10) {
      ADD_FAILURE() << DtypeName(f.dtype) << " code " << Hex(c) << " -> "
                    << Hex(got) << ", want " << Hex(expect);
    }
    if (ModelIsNan(f, c)) {
      EXPECT_TRUE(ModelIsNan(f, got)) << Hex(c);
    }
  }
  EXPECT_EQ(failures, 0);
  std::vector<uint8_t> bytes(values.size() * f.bits / 8);
  ASSERT_THAT(ConvertFromFloat(values, f.dtype, absl::MakeSpan(bytes)), IsOk());
  EXPECT_EQ(FromLeBytes(f, bytes), want);
}

// The floats that decide rounding: for every pair of neighbouring codes
// (and the step above the largest finite one), the midpoint and the floats
// just below and above it, both signs; then the model decides.
std::vector<float> BoundaryFloats(const Format& f) {
  std::vector<float> xs;
  const float inf = std::numeric_limits<float>::infinity();
  for (uint32_t c = 0; c <= MaxCode(f); ++c) {
    const double lo = ModelValue(f, c);
    double hi;
    if (c < MaxCode(f)) {
      hi = ModelValue(f, c + 1);
    } else if (f.kind == Kind::kE8M0) {
      hi = 2 * lo;
    } else {
      hi = lo + std::ldexp(1.0, static_cast<int>(c >> f.mantissa) - f.bias -
                                    f.mantissa);
    }
    const double mid = (lo + hi) / 2;
    if (mid > std::numeric_limits<float>::max()) continue;
    const float m = static_cast<float>(mid);
    if (static_cast<double>(m) != mid) {
      ADD_FAILURE() << "midpoint not a float";
      continue;
    }
    for (float x : {m, std::nextafter(m, 0.0f), std::nextafter(m, inf),
                    static_cast<float>(lo)}) {
      xs.push_back(x);
      xs.push_back(-x);
    }
  }
  return xs;
}

// A sweep of float bit patterns (both signs, every exponent), plus the
// specials.
std::vector<float> SweepFloats() {
  std::vector<float> xs;
  for (uint64_t b = 0; b <= 0xFFFFFFFFu; b += 0x10001u) {
    xs.push_back(FromBits(static_cast<uint32_t>(b)));
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (float x : {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::max(),
                  -std::numeric_limits<float>::max(),
                  std::numeric_limits<float>::denorm_min(),
                  std::numeric_limits<float>::min(), FromBits(0x7F800001u),
                  FromBits(0xFFBFFFFFu), FromBits(0x7FC00000u),
                  FromBits(0x7FFFFFFFu), FromBits(0xFF812345u)}) {
    xs.push_back(x);
  }
  return xs;
}

void ExpectEncodesAsModel(const Format& f, const std::vector<float>& xs) {
  int failures = 0;
  std::vector<uint32_t> want;
  for (float x : xs) {
    const uint32_t expect = ModelEncode(f, x);
    want.push_back(expect);
    const uint32_t got = Encode(f, x);
    if (got != expect && ++failures <= 10) {
      ADD_FAILURE() << DtypeName(f.dtype) << " of " << x << " (" << Hex(Bits(x))
                    << "): got " << Hex(got) << ", want " << Hex(expect);
    }
  }
  EXPECT_EQ(failures, 0);
  std::vector<uint8_t> bytes(xs.size() * f.bits / 8);
  ASSERT_THAT(ConvertFromFloat(xs, f.dtype, absl::MakeSpan(bytes)), IsOk());
  EXPECT_EQ(FromLeBytes(f, bytes), want);
}

TEST_P(PerFormat, EncodesEveryRoundingBoundaryAsTheModel) {
  ExpectEncodesAsModel(GetParam(), BoundaryFloats(GetParam()));
}

TEST_P(PerFormat, EncodesASweepOfFloatsAsTheModel) {
  ExpectEncodesAsModel(GetParam(), SweepFloats());
}

INSTANTIATE_TEST_SUITE_P(AllNarrowTypes, PerFormat, ::testing::ValuesIn(kAll),
                         [](const ::testing::TestParamInfo<Format>& info) {
                           std::string name(DtypeName(info.param.dtype));
                           name.erase(
                               std::remove(name.begin(), name.end(), '_'),
                               name.end());
                           return name;
                         });

// ---------------------------------------------------------------------------
// The boundaries, written out (the model above decides the same).

TEST(Boundaries, Bf16) {
  EXPECT_EQ(FloatToBf16Bits(1.0f), 0x3F80);
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x3F808000)), 0x3F80);  // tie, even down
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x3F818000)), 0x3F82);  // tie, even up
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x3F808001)), 0x3F81);  // above half
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x3F807FFF)), 0x3F80);  // below half
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x7F7F7FFF)), 0x7F7F);  // largest finite
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x7F7F8000)), 0x7F80);  // tie -> inf
  EXPECT_EQ(FloatToBf16Bits(-std::numeric_limits<float>::infinity()), 0xFF80);
  EXPECT_EQ(FloatToBf16Bits(-0.0f), 0x8000);
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x00008000)), 0x0000);  // tie -> 0
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x00018000)), 0x0002);  // subnormal tie
  EXPECT_EQ(FloatToBf16Bits(FromBits(0x7F800001)), 0x7FC0);  // sNaN quieted
  EXPECT_EQ(FloatToBf16Bits(FromBits(0xFFFFFFFF)), 0xFFFF);
}

TEST(Boundaries, F16) {
  EXPECT_EQ(FloatToF16Bits(65504.0f), 0x7BFF);
  EXPECT_EQ(FloatToF16Bits(65519.996f), 0x7BFF);  // just below the midpoint
  EXPECT_EQ(FloatToF16Bits(65520.0f), 0x7C00);    // tie, odd -> inf
  EXPECT_EQ(FloatToF16Bits(1.0f + 0x1p-11f), 0x3C00);      // tie, even down
  EXPECT_EQ(FloatToF16Bits(1.0f + 3 * 0x1p-11f), 0x3C02);  // tie, even up
  EXPECT_EQ(FloatToF16Bits(0x1p-24f), 0x0001);             // smallest subnormal
  EXPECT_EQ(FloatToF16Bits(0x1p-25f), 0x0000);  // half of it: tie -> 0
  EXPECT_EQ(FloatToF16Bits(std::nextafter(0x1p-25f, 1.0f)), 0x0001);
  EXPECT_EQ(FloatToF16Bits(-0x1p-25f), 0x8000);
  EXPECT_EQ(FloatToF16Bits(1023 * 0x1p-24f), 0x03FF);     // largest subnormal
  EXPECT_EQ(FloatToF16Bits(1023.5f * 0x1p-24f), 0x0400);  // tie up to normal
  EXPECT_EQ(FloatToF16Bits(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(FloatToF16Bits(FromBits(0xFF812345)), 0xFE09);  // quiet, sign kept
}

TEST(Boundaries, F8E4M3) {
  EXPECT_EQ(FloatToF8E4M3Bits(448.0f), 0x7E);
  EXPECT_EQ(FloatToF8E4M3Bits(464.0f), 0x7E);  // tie, even down
  EXPECT_EQ(FloatToF8E4M3Bits(std::nextafter(464.0f, 1e9f)), 0x7F);  // NaN
  EXPECT_EQ(FloatToF8E4M3Bits(-1e9f), 0xFF);
  EXPECT_EQ(FloatToF8E4M3Bits(std::numeric_limits<float>::infinity()), 0x7F);
  EXPECT_EQ(FloatToF8E4M3Bits(-std::numeric_limits<float>::infinity()), 0xFF);
  EXPECT_EQ(FloatToF8E4M3Bits(std::nanf("")), 0x7F);
  EXPECT_EQ(FloatToF8E4M3Bits(-0.0f), 0x80);
  EXPECT_EQ(FloatToF8E4M3Bits(0x1p-9f), 0x01);        // smallest subnormal
  EXPECT_EQ(FloatToF8E4M3Bits(0x1p-10f), 0x00);       // half of it: tie -> 0
  EXPECT_EQ(FloatToF8E4M3Bits(3 * 0x1p-10f), 0x02);   // tie, even up
  EXPECT_EQ(FloatToF8E4M3Bits(7 * 0x1p-9f), 0x07);    // largest subnormal
  EXPECT_EQ(FloatToF8E4M3Bits(15 * 0x1p-10f), 0x08);  // tie up to normal
  EXPECT_TRUE(std::isnan(F8E4M3BitsToFloat(0x7F)));
  EXPECT_EQ(F8E4M3BitsToFloat(0x7E), 448.0f);
}

TEST(Boundaries, F8E5M2) {
  EXPECT_EQ(FloatToF8E5M2Bits(57344.0f), 0x7B);
  EXPECT_EQ(FloatToF8E5M2Bits(61439.996f), 0x7B);
  EXPECT_EQ(FloatToF8E5M2Bits(61440.0f), 0x7C);  // tie, odd -> inf
  EXPECT_EQ(FloatToF8E5M2Bits(-std::numeric_limits<float>::infinity()), 0xFC);
  EXPECT_EQ(FloatToF8E5M2Bits(-std::nanf("")), 0xFE);
  EXPECT_EQ(FloatToF8E5M2Bits(0x1p-16f), 0x01);
  EXPECT_EQ(FloatToF8E5M2Bits(0x1p-17f), 0x00);
  EXPECT_EQ(FloatToF8E5M2Bits(-0.0f), 0x80);
  EXPECT_EQ(F8E5M2BitsToFloat(0x7C), std::numeric_limits<float>::infinity());
}

TEST(Boundaries, F8E4M3Fnuz) {
  EXPECT_EQ(FloatToF8E4M3FnuzBits(240.0f), 0x7F);
  EXPECT_EQ(FloatToF8E4M3FnuzBits(247.99998f), 0x7F);
  EXPECT_EQ(FloatToF8E4M3FnuzBits(248.0f), 0x80);  // tie, odd -> NaN
  EXPECT_EQ(FloatToF8E4M3FnuzBits(-1e9f), 0x80);
  EXPECT_EQ(FloatToF8E4M3FnuzBits(std::numeric_limits<float>::infinity()),
            0x80);
  EXPECT_EQ(FloatToF8E4M3FnuzBits(-0.0f), 0x00);      // no -0
  EXPECT_EQ(FloatToF8E4M3FnuzBits(-0x1p-12f), 0x00);  // rounds to -0 -> +0
  EXPECT_EQ(FloatToF8E4M3FnuzBits(-0x1p-10f), 0x81);
  EXPECT_TRUE(std::isnan(F8E4M3FnuzBitsToFloat(0x80)));
}

TEST(Boundaries, F8E5M2Fnuz) {
  EXPECT_EQ(FloatToF8E5M2FnuzBits(57344.0f), 0x7F);
  EXPECT_EQ(FloatToF8E5M2FnuzBits(61440.0f), 0x80);  // tie, odd -> NaN
  EXPECT_EQ(FloatToF8E5M2FnuzBits(-0.0f), 0x00);
  EXPECT_EQ(FloatToF8E5M2FnuzBits(0x1p-17f), 0x01);
  EXPECT_EQ(FloatToF8E5M2FnuzBits(0x1p-18f), 0x00);
  EXPECT_EQ(FloatToF8E5M2FnuzBits(std::nanf("")), 0x80);
}

TEST(Boundaries, F8E8M0) {
  EXPECT_EQ(FloatToF8E8M0Bits(1.0f), 0x7F);
  EXPECT_EQ(FloatToF8E8M0Bits(1.4999999f), 0x7F);
  EXPECT_EQ(FloatToF8E8M0Bits(1.5f), 0x80);  // tie goes up
  EXPECT_EQ(FloatToF8E8M0Bits(3.0f), 0x81);  // tie goes up (odd exponent)
  EXPECT_EQ(FloatToF8E8M0Bits(0x1p127f), 0xFE);
  EXPECT_EQ(FloatToF8E8M0Bits(0x1.8p127f), 0xFF);  // 2^128 does not exist
  EXPECT_EQ(FloatToF8E8M0Bits(0x1p-127f), 0x00);
  EXPECT_EQ(FloatToF8E8M0Bits(0x1p-149f), 0x00);  // no zero: the smallest
  EXPECT_EQ(FloatToF8E8M0Bits(0x1.8p-127f), 0x01);
  EXPECT_EQ(FloatToF8E8M0Bits(0.0f), 0xFF);
  EXPECT_EQ(FloatToF8E8M0Bits(-0.0f), 0xFF);
  EXPECT_EQ(FloatToF8E8M0Bits(-1.0f), 0xFF);
  EXPECT_EQ(FloatToF8E8M0Bits(std::numeric_limits<float>::infinity()), 0xFF);
  EXPECT_EQ(F8E8M0BitsToFloat(0x00), 0x1p-127f);
  EXPECT_EQ(F8E8M0BitsToFloat(0xFE), 0x1p127f);
}

// ---------------------------------------------------------------------------
// Each kernel gives the scalar functions' bits, at every length up to 40
// (the vector bodies and their tails) and over every code / many floats.

TEST(Kernels, EveryKernelMatchesTheScalarFunctions) {
  std::vector<uint8_t> codes(2 * 65536 + 2);
  for (uint32_t c = 0; c < 65536; ++c) {
    codes[2 * c + 1] = static_cast<uint8_t>(c);  // odd offset: unaligned
    codes[2 * c + 2] = static_cast<uint8_t>(c >> 8);
  }
  std::vector<float> floats = SweepFloats();
  for (const Format& f : {kBf16, kF16}) {
    for (float x : BoundaryFloats(f)) floats.push_back(x);
  }
  for (const internal::ConvertKernel& k : internal::AvailableConvertKernels()) {
    SCOPED_TRACE(std::string(k.name));
    for (bool bf16 : {true, false}) {
      SCOPED_TRACE(bf16 ? "BF16" : "F16");
      auto widen = bf16 ? k.bf16_to_f32 : k.f16_to_f32;
      auto narrow = bf16 ? k.f32_to_bf16 : k.f32_to_f16;
      std::vector<float> out(65536 + 1);
      widen(codes.data() + 1, out.data() + 1, 65536);
      int failures = 0;
      for (uint32_t c = 0; c < 65536; ++c) {
        const float want = bf16 ? Bf16BitsToFloat(c) : F16BitsToFloat(c);
        if (Bits(out[c + 1]) != Bits(want) && ++failures <= 5) {
          ADD_FAILURE() << "widen " << Hex(c) << ": " << Hex(Bits(out[c + 1]))
                        << ", want " << Hex(Bits(want));
        }
      }
      std::vector<uint8_t> bytes(2 * floats.size() + 1);
      narrow(floats.data(), bytes.data() + 1, floats.size());
      for (size_t i = 0; i < floats.size(); ++i) {
        const uint32_t got = bytes[2 * i + 1] | (bytes[2 * i + 2] << 8);
        const uint32_t want =
            bf16 ? FloatToBf16Bits(floats[i]) : FloatToF16Bits(floats[i]);
        if (got != want && ++failures <= 10) {
          ADD_FAILURE() << "narrow " << Hex(Bits(floats[i])) << ": " << Hex(got)
                        << ", want " << Hex(want);
        }
      }
      // Every length up to 40, nothing written past the end.
      for (size_t n = 0; n <= 40; ++n) {
        std::vector<float> w(n + 1, -7.0f);
        widen(codes.data() + 1 + 2 * 1000, w.data(), n);
        EXPECT_EQ(w[n], -7.0f);
        for (size_t i = 0; i < n; ++i) {
          const uint16_t c = static_cast<uint16_t>(1000 + i);
          EXPECT_EQ(Bits(w[i]),
                    Bits(bf16 ? Bf16BitsToFloat(c) : F16BitsToFloat(c)));
        }
        std::vector<uint8_t> nb(2 * n + 1, 0xA5);
        narrow(floats.data() + 123, nb.data(), n);
        EXPECT_EQ(nb[2 * n], 0xA5);
        for (size_t i = 0; i < n; ++i) {
          const float x = floats[123 + i];
          EXPECT_EQ(nb[2 * i] | (nb[2 * i + 1] << 8),
                    bf16 ? FloatToBf16Bits(x) : FloatToF16Bits(x));
        }
      }
      EXPECT_EQ(failures, 0);
    }
  }
}

// ---------------------------------------------------------------------------
// Integers, BOOL, F32 and F64, from explicit little-endian bytes.

std::vector<float> ToFloat(Dtype d, std::vector<uint8_t> bytes) {
  std::vector<float> out(bytes.size() / (DtypeBits(d) / 8));
  EXPECT_THAT(ConvertToFloat(d, bytes, absl::MakeSpan(out)), IsOk());
  return out;
}

TEST(Integers, ToFloat) {
  EXPECT_THAT(ToFloat(Dtype::kBool, {0, 1, 2, 255}), ElementsAre(0, 1, 1, 1));
  EXPECT_THAT(ToFloat(Dtype::kU8, {0, 1, 255}), ElementsAre(0, 1, 255));
  EXPECT_THAT(ToFloat(Dtype::kI8, {0x80, 0xFF, 0, 0x7F}),
              ElementsAre(-128, -1, 0, 127));
  EXPECT_THAT(ToFloat(Dtype::kU16, {0x34, 0x12, 0xFF, 0xFF}),
              ElementsAre(0x1234, 65535));
  EXPECT_THAT(ToFloat(Dtype::kI16, {0x00, 0x80, 0xFE, 0xFF}),
              ElementsAre(-32768, -2));
  // 2^24 + 1 rounds to even (2^24); 2^24 + 3 up to 2^24 + 4.
  EXPECT_THAT(
      ToFloat(Dtype::kI32, {0x01, 0, 0, 0x01, 0x03, 0, 0, 0x01, 0, 0, 0, 0x80}),
      ElementsAre(16777216.0f, 16777220.0f, -2147483648.0f));
  EXPECT_THAT(ToFloat(Dtype::kU32, {0xFF, 0xFF, 0xFF, 0xFF}),
              ElementsAre(4294967296.0f));
  EXPECT_THAT(ToFloat(Dtype::kI64, {0, 0, 0, 0, 0, 0, 0, 0x80, 0xFE, 0xFF, 0xFF,
                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
              ElementsAre(-9223372036854775808.0f, -2.0f));
  EXPECT_THAT(
      ToFloat(Dtype::kU64, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
      ElementsAre(18446744073709551616.0f));
}

TEST(Integers, ToDoubleExactly) {
  const std::vector<uint8_t> bytes = {0x01, 0, 0, 0x01, 0xFF, 0xFF, 0xFF, 0xFF};
  std::vector<double> out(2);
  ASSERT_THAT(ConvertToDouble(Dtype::kI32, bytes, absl::MakeSpan(out)), IsOk());
  EXPECT_THAT(out, ElementsAre(16777217.0, -1.0));
  ASSERT_THAT(ConvertToDouble(Dtype::kU32, bytes, absl::MakeSpan(out)), IsOk());
  EXPECT_THAT(out, ElementsAre(16777217.0, 4294967295.0));
}

TEST(Floats, F32AndF64) {
  // 1.0f, -2.5f; 1.0 (rounded from 1 + 2^-52), 1e300 (overflows to inf).
  EXPECT_THAT(ToFloat(Dtype::kF32, {0, 0, 0x80, 0x3F, 0, 0, 0x20, 0xC0}),
              ElementsAre(1.0f, -2.5f));
  const std::vector<float> f64 =
      ToFloat(Dtype::kF64, {1, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x9C, 0x75, 0x00,
                            0x88, 0x3C, 0xE4, 0x37, 0x7E});
  EXPECT_THAT(f64, ElementsAre(1.0f, std::numeric_limits<float>::infinity()));
  std::vector<uint8_t> out(12);
  ASSERT_THAT(ConvertFromFloat({1.0f, -2.5f}, Dtype::kF32,
                               absl::MakeSpan(out).subspan(0, 8)),
              IsOk());
  EXPECT_THAT(std::vector<uint8_t>(out.begin(), out.begin() + 8),
              ElementsAre(0, 0, 0x80, 0x3F, 0, 0, 0x20, 0xC0));
  std::vector<uint8_t> out64(8);
  ASSERT_THAT(ConvertFromFloat({-2.5f}, Dtype::kF64, absl::MakeSpan(out64)),
              IsOk());
  EXPECT_THAT(out64, ElementsAre(0, 0, 0, 0, 0, 0, 0x04, 0xC0));
  std::vector<double> d(1);
  ASSERT_THAT(ConvertToDouble(Dtype::kF64, out64, absl::MakeSpan(d)), IsOk());
  EXPECT_EQ(d[0], -2.5);
}

// ---------------------------------------------------------------------------
// Errors: every one InvalidTensorView, and nothing written.

TEST(Errors, UnconvertibleDtypes) {
  std::vector<uint8_t> bytes(8, 0x11);
  std::vector<float> out(4, -7.0f);
  std::vector<double> out_d(1, -7.0);
  for (Dtype d : {Dtype::kF4, Dtype::kF6E2M3, Dtype::kF6E3M2, Dtype::kC64}) {
    SCOPED_TRACE(std::string(DtypeName(d)));
    EXPECT_FALSE(CanConvertToFloat(d));
    EXPECT_FALSE(CanConvertToDouble(d));
    EXPECT_FALSE(CanConvertFromFloat(d));
    EXPECT_THAT(ConvertToFloat(d, absl::MakeSpan(bytes).subspan(0, 1),
                               absl::MakeSpan(out).subspan(0, 1)),
                StatusIs(ErrorKind::kInvalidTensorView));
    EXPECT_THAT(ConvertToDouble(d, bytes, absl::MakeSpan(out_d)),
                StatusIs(ErrorKind::kInvalidTensorView));
    EXPECT_THAT(ConvertFromFloat(absl::MakeConstSpan(out).subspan(0, 1), d,
                                 absl::MakeSpan(bytes)),
                StatusIs(ErrorKind::kInvalidTensorView));
  }
  for (Dtype d : {Dtype::kI64, Dtype::kU64}) {
    EXPECT_TRUE(CanConvertToFloat(d));
    EXPECT_FALSE(CanConvertToDouble(d));
    EXPECT_THAT(ConvertToDouble(d, bytes, absl::MakeSpan(out_d)),
                StatusIs(ErrorKind::kInvalidTensorView));
  }
  for (Dtype d :
       {Dtype::kBool, Dtype::kU8, Dtype::kI8, Dtype::kI16, Dtype::kU16,
        Dtype::kI32, Dtype::kU32, Dtype::kI64, Dtype::kU64}) {
    EXPECT_FALSE(CanConvertFromFloat(d));
    EXPECT_THAT(
        ConvertFromFloat(absl::MakeConstSpan(out).subspan(0, 1), d,
                         absl::MakeSpan(bytes).subspan(0, DtypeBits(d) / 8)),
        StatusIs(ErrorKind::kInvalidTensorView));
  }
  EXPECT_THAT(out, ElementsAre(-7, -7, -7, -7));
  EXPECT_THAT(out_d, ElementsAre(-7));
  EXPECT_THAT(bytes,
              ElementsAre(0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11));
}

TEST(Errors, SizeMismatches) {
  std::vector<uint8_t> bytes(6, 0x11);
  std::vector<float> out(4, -7.0f);
  std::vector<double> out_d(4, -7.0);
  // 3 bytes are not whole BF16 elements; 6 bytes are 3, not 4 or 2.
  EXPECT_THAT(ConvertToFloat(Dtype::kBF16, absl::MakeSpan(bytes).subspan(0, 3),
                             absl::MakeSpan(out).subspan(0, 1)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ConvertToFloat(Dtype::kBF16, bytes, absl::MakeSpan(out)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ConvertToFloat(Dtype::kF8E4M3, bytes, absl::MakeSpan(out)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ConvertToFloat(Dtype::kF64, bytes, absl::MakeSpan(out)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ConvertToDouble(Dtype::kF16, bytes, absl::MakeSpan(out_d)),
              StatusIs(ErrorKind::kInvalidTensorView));
  // 4 floats as F16 are 8 bytes, not 6; as F8 4 bytes, not 6; 7 bytes for
  // 2 floats as F32 is neither.
  EXPECT_THAT(ConvertFromFloat(out, Dtype::kF16, absl::MakeSpan(bytes)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ConvertFromFloat(out, Dtype::kF8E5M2, absl::MakeSpan(bytes)),
              StatusIs(ErrorKind::kInvalidTensorView));
  std::vector<uint8_t> seven(7, 0x11);
  EXPECT_THAT(ConvertFromFloat(absl::MakeConstSpan(out).subspan(0, 2),
                               Dtype::kF32, absl::MakeSpan(seven)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(out, ElementsAre(-7, -7, -7, -7));
  EXPECT_THAT(out_d, ElementsAre(-7, -7, -7, -7));
  EXPECT_THAT(bytes, ElementsAre(0x11, 0x11, 0x11, 0x11, 0x11, 0x11));
  EXPECT_EQ(seven, std::vector<uint8_t>(7, 0x11));
  // Empty spans are fine.
  EXPECT_THAT(ConvertToFloat(Dtype::kBF16, {}, {}), IsOk());
  EXPECT_THAT(ConvertFromFloat({}, Dtype::kF16, {}), IsOk());
}

// ---------------------------------------------------------------------------
// ReadAsFloat / ReadAsDouble on parsed tensors.

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

// BF16 [2] = {1, -2}, C64 [1], F4 [2], I64 [1] = -3.
const std::string& File() {
  static const std::string* const file = new std::string(test::MakeFile(
      "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
      "\"c\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[4,12]},"
      "\"f\":{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[12,13]},"
      "\"i\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[13,21]}}",
      Bytes({0x80, 0x3F, 0x00, 0xC0}) + std::string(8, '\0') + Bytes({0x21}) +
          Bytes({0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})));
  return *file;
}

TEST(ReadAsFloat, ConvertsAndRejects) {
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(File());
  ASSERT_THAT(st, IsOk());
  EXPECT_THAT(*ReadAsFloat(*st->Tensor("b")), ElementsAre(1.0f, -2.0f));
  EXPECT_THAT(*ReadAsDouble(*st->Tensor("b")), ElementsAre(1.0, -2.0));
  EXPECT_THAT(*ReadAsFloat(*st->Tensor("i")), ElementsAre(-3.0f));
  EXPECT_THAT(ReadAsDouble(*st->Tensor("i")),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ReadAsFloat(*st->Tensor("c")),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ReadAsFloat(*st->Tensor("f")),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ReadAsDouble(*st->Tensor("f")),
              StatusIs(ErrorKind::kInvalidTensorView));
}

}  // namespace
}  // namespace safetensors
