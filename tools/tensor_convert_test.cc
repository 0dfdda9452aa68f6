// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The chunked conversion behind `safetensors convert`: the bytes it writes
// (compared with known bit patterns, built as little-endian bytes on every
// host), the values it counts as rounded or out of range, and that chunks
// join into the bytes of one conversion.

#include "tools/tensor_convert.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/convert.h"
#include "safetensors/status.h"

namespace safetensors {
namespace tool {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

std::vector<uint8_t> Le(uint64_t bits, int bytes) {
  std::vector<uint8_t> out;
  for (int i = 0; i < bytes; ++i) out.push_back(bits >> (8 * i));
  return out;
}

template <typename T>
uint64_t Bits(T v) {
  if constexpr (sizeof(T) == 4) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return b;
  } else {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return b;
  }
}

template <typename T>
std::vector<uint8_t> LeFloats(const std::vector<T>& values) {
  std::vector<uint8_t> out;
  for (T v : values) {
    const std::vector<uint8_t> e = Le(Bits(v), sizeof(T));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

std::vector<uint8_t> LeCodes(const std::vector<uint64_t>& codes, int bytes) {
  std::vector<uint8_t> out;
  for (uint64_t c : codes) {
    const std::vector<uint8_t> e = Le(c, bytes);
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

std::vector<uint8_t> Convert(Dtype from, Dtype to,
                             const std::vector<uint8_t>& in,
                             ValueChanges* changes) {
  ChunkConverter c(from, to);
  absl::StatusOr<absl::Span<const uint8_t>> out = c.Convert("t", in, changes);
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok()) return {};
  return std::vector<uint8_t>(out->begin(), out->end());
}

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

TEST(ChooseConversion, FloatsConvertIntegersOnlyWhenAllowed) {
  EXPECT_EQ(ChooseConversion(Dtype::kF32, Dtype::kBF16, false),
            ConvertChoice::kConvert);
  EXPECT_EQ(ChooseConversion(Dtype::kF8E4M3, Dtype::kF32, false),
            ConvertChoice::kConvert);
  EXPECT_EQ(ChooseConversion(Dtype::kF64, Dtype::kF16, false),
            ConvertChoice::kConvert);
  EXPECT_EQ(ChooseConversion(Dtype::kBF16, Dtype::kBF16, true),
            ConvertChoice::kAlready);
  for (Dtype d : {Dtype::kBool, Dtype::kU8, Dtype::kI16, Dtype::kI32,
                  Dtype::kU64, Dtype::kI64}) {
    EXPECT_EQ(ChooseConversion(d, Dtype::kBF16, false),
              ConvertChoice::kInteger);
    EXPECT_EQ(ChooseConversion(d, Dtype::kBF16, true), ConvertChoice::kConvert);
  }
  for (Dtype d : {Dtype::kC64, Dtype::kF4, Dtype::kF6E2M3, Dtype::kF6E3M2}) {
    EXPECT_EQ(ChooseConversion(d, Dtype::kF32, true),
              ConvertChoice::kNotConvertible);
  }
  EXPECT_TRUE(IsConvertibleFloat(Dtype::kF8E8M0));
  EXPECT_FALSE(IsConvertibleFloat(Dtype::kC64));
  EXPECT_FALSE(IsConvertibleFloat(Dtype::kI8));
}

TEST(ChunkConverter, F32ToBf16) {
  ValueChanges changes;
  const std::vector<float> in = {1.5f, 1.1f,    -0.0f, kInf,
                                 kNan, 3.4e38f, 1e-41f};
  const std::vector<uint8_t> out =
      Convert(Dtype::kF32, Dtype::kBF16, LeFloats(in), &changes);
  // 1.1 = 0x3F8CCCCD rounds to 0x3F8D; 3.4e38 (0x7F7FC99E) is past the
  // midpoint above the largest BF16 (0x7F7F8000), so inf; 1e-41
  // (0x00001BE0) keeps no bit of the top 16, so +0.
  EXPECT_THAT(
      out, ElementsAreArray(LeCodes(
               {0x3FC0, 0x3F8D, 0x8000, 0x7F80, 0x7FC0, 0x7F80, 0x0000}, 2)));
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[2 * i] | (out[2 * i + 1] << 8), FloatToBf16Bits(in[i])) << i;
  }
  EXPECT_EQ(changes.rounded, 2u);       // 1.1, 1e-41
  EXPECT_EQ(changes.out_of_range, 1u);  // 3.4e38
}

TEST(ChunkConverter, Bf16ToF32IsExactAndCountsNothing) {
  ValueChanges changes;
  const std::vector<uint64_t> codes = {0x3FC0, 0x3F8D, 0x8000, 0x7F80,
                                       0xFFC1, 0x0001, 0x7F7F};
  const std::vector<uint8_t> out =
      Convert(Dtype::kBF16, Dtype::kF32, LeCodes(codes, 2), &changes);
  std::vector<uint64_t> want;
  for (uint64_t c : codes) want.push_back(c << 16);
  EXPECT_THAT(out, ElementsAreArray(LeCodes(want, 4)));
  EXPECT_EQ(changes.total(), 0u);
}

TEST(ChunkConverter, F32ToF16AndF8CountOverflow) {
  ValueChanges changes;
  Convert(Dtype::kF32, Dtype::kF16, LeFloats<float>({65504, 70000, 1e-9f, 2}),
          &changes);
  EXPECT_EQ(changes.out_of_range, 1u);  // 70000 -> inf
  EXPECT_EQ(changes.rounded, 1u);       // 1e-9 -> 0
  // F8_E4M3 has no infinity: inf becomes NaN (0x7F), out of range.
  changes = {};
  const std::vector<uint8_t> out = Convert(
      Dtype::kF32, Dtype::kF8E4M3, LeFloats<float>({kInf, 448, 1}), &changes);
  EXPECT_THAT(out, ElementsAreArray({0x7F, 0x7E, 0x38}));
  EXPECT_EQ(changes.out_of_range, 1u);
  EXPECT_EQ(changes.rounded, 0u);
}

TEST(ChunkConverter, F8ToF32) {
  ValueChanges changes;
  // E4M3: 0x38 = 1, 0x7E = 448, 0x01 = 2^-9, 0xFF = NaN.
  const std::vector<uint8_t> out =
      Convert(Dtype::kF8E4M3, Dtype::kF32, {0x38, 0x7E, 0x01, 0xB8}, &changes);
  EXPECT_THAT(out, ElementsAreArray(LeFloats<float>(
                       {1.0f, 448.0f, std::ldexp(1.0f, -9), -1.0f})));
  EXPECT_EQ(changes.total(), 0u);
}

TEST(ChunkConverter, F64ToF32RoundsOnceAndF32ToF64IsExact) {
  ValueChanges changes;
  const std::vector<double> in = {0.5, 0.1, 1e300, -1e-50};
  const std::vector<uint8_t> out =
      Convert(Dtype::kF64, Dtype::kF32, LeFloats(in), &changes);
  EXPECT_THAT(out,
              ElementsAreArray(LeFloats<float>({0.5f, 0.1f, kInf, -0.0f})));
  EXPECT_EQ(changes.rounded, 2u);       // 0.1, -1e-50
  EXPECT_EQ(changes.out_of_range, 1u);  // 1e300
  changes = {};
  const std::vector<float> f = {0.1f, -kInf, 3.0f};
  EXPECT_THAT(Convert(Dtype::kF32, Dtype::kF64, LeFloats(f), &changes),
              ElementsAreArray(LeFloats<double>({0.1f, -kInf, 3.0})));
  EXPECT_EQ(changes.total(), 0u);
}

TEST(ChunkConverter, IntegersRoundAboveTheMantissa) {
  ValueChanges changes;
  // I64 -> F32: 2^24 exact, 2^24 + 1 rounds to 2^24, INT64_MAX to 2^63
  // (not an I64), INT64_MIN = -2^63 exact.
  const std::vector<uint64_t> i64 = {
      1u << 24, (1u << 24) + 1, uint64_t{INT64_MAX},
      static_cast<uint64_t>(INT64_MIN), static_cast<uint64_t>(-3)};
  EXPECT_THAT(Convert(Dtype::kI64, Dtype::kF32, LeCodes(i64, 8), &changes),
              ElementsAreArray(LeFloats<float>(
                  {16777216.0f, 16777216.0f, 9223372036854775808.0f,
                   -9223372036854775808.0f, -3.0f})));
  EXPECT_EQ(changes.rounded, 2u);
  EXPECT_EQ(changes.out_of_range, 0u);
  // U64 -> F64 (exact below 2^53): 2^53 + 1 and UINT64_MAX round.
  changes = {};
  const std::vector<uint64_t> u64 = {uint64_t{1} << 53, (uint64_t{1} << 53) + 1,
                                     UINT64_MAX, 7};
  EXPECT_THAT(
      Convert(Dtype::kU64, Dtype::kF64, LeCodes(u64, 8), &changes),
      ElementsAreArray(LeFloats<double>({9007199254740992.0, 9007199254740992.0,
                                         18446744073709551616.0, 7.0})));
  EXPECT_EQ(changes.rounded, 2u);
  // I32 -> F64 is exact; I32 -> BF16 is exact to 256 (257 ties to 256).
  changes = {};
  const std::vector<uint64_t> i32 = {0x7FFFFFFF, 256, 257, 0xFFFFFFFF};
  EXPECT_THAT(
      Convert(Dtype::kI32, Dtype::kF64, LeCodes(i32, 4), &changes),
      ElementsAreArray(LeFloats<double>({2147483647.0, 256.0, 257.0, -1.0})));
  EXPECT_EQ(changes.total(), 0u);
  EXPECT_THAT(Convert(Dtype::kI32, Dtype::kBF16, LeCodes(i32, 4), &changes),
              ElementsAreArray(LeCodes({0x4F00, 0x4380, 0x4380, 0xBF80}, 2)));
  EXPECT_EQ(changes.rounded, 2u);  // 2^31 - 1 -> 2^31, 257 -> 256
  // BOOL: any nonzero byte is 1.0, and that counts as its value.
  changes = {};
  EXPECT_THAT(Convert(Dtype::kBool, Dtype::kF16, {0, 1, 2}, &changes),
              ElementsAreArray(LeCodes({0x0000, 0x3C00, 0x3C00}, 2)));
  EXPECT_EQ(changes.total(), 0u);
}

TEST(ChunkConverter, ChunksJoinIntoOneConversion) {
  std::vector<float> values;
  for (int i = 0; i < 1000; ++i) values.push_back(std::sin(i) * 1e5f);
  const std::vector<uint8_t> in = LeFloats(values);
  ValueChanges whole_changes;
  const std::vector<uint8_t> whole =
      Convert(Dtype::kF32, Dtype::kF16, in, &whole_changes);
  ChunkConverter c(Dtype::kF32, Dtype::kF16);
  ValueChanges changes;
  std::vector<uint8_t> joined;
  // Chunks of 1, 7 and 333 elements, and a tail that is none of them.
  size_t at = 0;
  for (size_t elements : {1, 7, 333, 333, 326}) {
    absl::StatusOr<absl::Span<const uint8_t>> out = c.Convert(
        "t", absl::MakeConstSpan(in).subspan(at, 4 * elements), &changes);
    ASSERT_TRUE(out.ok()) << out.status();
    joined.insert(joined.end(), out->begin(), out->end());
    at += 4 * elements;
  }
  ASSERT_EQ(at, in.size());
  EXPECT_EQ(joined, whole);
  EXPECT_EQ(changes.rounded, whole_changes.rounded);
  EXPECT_EQ(changes.out_of_range, whole_changes.out_of_range);
  EXPECT_GT(changes.out_of_range, 0u);  // |x| >= 65520 of 1e5
  EXPECT_GT(changes.rounded, 0u);
}

TEST(ChunkConverter, APartialElementIsAnError) {
  ChunkConverter c(Dtype::kF32, Dtype::kBF16);
  ValueChanges changes;
  const std::vector<uint8_t> in = {0, 0, 0x80, 0x3F, 0};
  absl::StatusOr<absl::Span<const uint8_t>> out = c.Convert("w", in, &changes);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(ErrorKindOf(out.status()), ErrorKind::kInvalidTensorView);
  EXPECT_EQ(out.status().message(),
            "tensor \"w\": 5 bytes are not whole F32 elements");
  EXPECT_EQ(changes.total(), 0u);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
