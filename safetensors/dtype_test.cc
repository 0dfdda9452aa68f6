// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "safetensors/testing/status_matchers.h"

namespace safetensors {
namespace {

using ::safetensors::test::StatusIs;

constexpr uint64_t kMax = UINT64_MAX;

struct Expected {
  const char* name;
  int bits;
  int swap_unit;
};

// docs/specification.md §8 in rank order, and docs/specification.md §12's swap
// units.
const Expected kTable[kNumDtypes] = {
    {"BOOL", 8, 1},        {"F4", 4, 1},          {"F6_E2M3", 6, 1},
    {"F6_E3M2", 6, 1},     {"U8", 8, 1},          {"I8", 8, 1},
    {"F8_E5M2", 8, 1},     {"F8_E4M3", 8, 1},     {"F8_E8M0", 8, 1},
    {"F8_E4M3FNUZ", 8, 1}, {"F8_E5M2FNUZ", 8, 1}, {"I16", 16, 2},
    {"U16", 16, 2},        {"F16", 16, 2},        {"BF16", 16, 2},
    {"I32", 32, 4},        {"U32", 32, 4},        {"F32", 32, 4},
    {"C64", 64, 4},        {"F64", 64, 8},        {"I64", 64, 8},
    {"U64", 64, 8},
};

TEST(Dtype, TableInRankOrder) {
  ASSERT_EQ(AllDtypes().size(), kNumDtypes);
  for (int rank = 0; rank < kNumDtypes; ++rank) {
    const Dtype d = AllDtypes()[rank];
    SCOPED_TRACE(kTable[rank].name);
    EXPECT_EQ(DtypeRank(d), rank);
    EXPECT_EQ(DtypeName(d), kTable[rank].name);
    EXPECT_EQ(DtypeBits(d), kTable[rank].bits);
    EXPECT_EQ(DtypeSwapUnit(d), kTable[rank].swap_unit);
    EXPECT_EQ(DtypeFromName(kTable[rank].name), d);
  }
}

TEST(Dtype, RejectedSpellingsStayRejected) {
  // docs/specification.md §8 and R33, plus near misses.
  for (const char* name :
       {"C128",  "F8_E4M3FN", "F8_E5M2FN", "I4",   "U4",  "FP4",
        "F8",    "STR",       "bool",      "Bool", "f32", "BF16 ",
        " BF16", "F128",      "F3",        "",     "F",   "F8_E4M3FNUZ2",
        "F6",    "F6_E2M3 ",  "c64",       "bf16", "17"}) {
    EXPECT_EQ(DtypeFromName(name), std::nullopt) << '"' << name << '"';
  }
  // Embedded NUL: "F32\0" is four bytes, not F32.
  EXPECT_EQ(DtypeFromName(absl::string_view("F32\0", 4)), std::nullopt);
}

TEST(Dtype, ByteSizeForShapeEight) {
  // docs/specification.md §8, "Bytes for shape [8]".
  const uint64_t shape[] = {8};
  for (int rank = 0; rank < kNumDtypes; ++rank) {
    EXPECT_EQ(*TensorByteSize(AllDtypes()[rank], shape),
              static_cast<uint64_t>(kTable[rank].bits))
        << kTable[rank].name;
  }
}

TEST(ElementCount, ScalarEmptyAndOrder) {
  EXPECT_EQ(*ElementCount({}), 1u);
  EXPECT_EQ(*ElementCount({2, 3, 4}), 24u);
  EXPECT_EQ(*ElementCount({0, kMax, 2}), 0u);  // R75: 0 first, no overflow
  EXPECT_THAT(ElementCount({kMax, 2, 0}),      // R74: overflows before the 0
              StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_EQ(*ElementCount({kMax}), kMax);
  EXPECT_EQ(*ElementCount({1ull << 32, 1ull << 31}), 1ull << 63);
  EXPECT_THAT(ElementCount({1ull << 32, 1ull << 32}),
              StatusIs(ErrorKind::kValidationOverflow));
}

TEST(TensorByteSize, ReferenceCases) {
  EXPECT_EQ(*TensorByteSize(Dtype::kI32, {}), 4u);      // R57
  EXPECT_EQ(*TensorByteSize(Dtype::kI32, {2, 0}), 0u);  // R59
  EXPECT_EQ(*TensorByteSize(Dtype::kI32, {2, 2}), 16u);
  EXPECT_EQ(*TensorByteSize(Dtype::kF32, {1, 2, 3}), 24u);
  EXPECT_EQ(*TensorByteSize(Dtype::kC64, {2, 2}), 32u);
  // R70, R71: element count and bit count overflow.
  EXPECT_THAT(TensorByteSize(Dtype::kI32, {2, 18446744073709551614ull}),
              StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_THAT(TensorByteSize(Dtype::kI32, {2, 9223372036854775807ull}),
              StatusIs(ErrorKind::kValidationOverflow));
  // R72: U8 [2^61] overflows the bit count although its byte count fits.
  EXPECT_THAT(TensorByteSize(Dtype::kU8, {1ull << 61}),
              StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_EQ(*TensorByteSize(Dtype::kU8, {(1ull << 61) - 1}), (1ull << 61) - 1);
  EXPECT_THAT(TensorByteSize(Dtype::kU8, {kMax, 2, 0}),  // R74
              StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_EQ(*TensorByteSize(Dtype::kU8, {0, kMax, 2}), 0u);  // R75
}

TEST(TensorByteSize, SubByte) {
  EXPECT_EQ(*TensorByteSize(Dtype::kF4, {2}), 1u);      // R78
  EXPECT_EQ(*TensorByteSize(Dtype::kF4, {1, 2}), 1u);   // R78, W8
  EXPECT_EQ(*TensorByteSize(Dtype::kF4, {0}), 0u);      // R78
  EXPECT_EQ(*TensorByteSize(Dtype::kF6E2M3, {4}), 3u);  // R80
  EXPECT_EQ(*TensorByteSize(Dtype::kF6E3M2, {2, 2}), 3u);
  EXPECT_THAT(TensorByteSize(Dtype::kF4, {3}),  // R77
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(TensorByteSize(Dtype::kF4, {}),  // R79: a sub-byte scalar
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(TensorByteSize(Dtype::kF6E2M3, {2}),  // R81
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(TensorByteSize(Dtype::kF6E3M2, {}),
              StatusIs(ErrorKind::kMisalignedSlice));
  // Overflow is reported before misalignment.
  EXPECT_THAT(TensorByteSize(Dtype::kF4, {kMax}),
              StatusIs(ErrorKind::kValidationOverflow));
  // The largest F4 count whose bit count fits: 2^62 - 1 elements (odd).
  EXPECT_THAT(TensorByteSize(Dtype::kF4, {(1ull << 62) - 1}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_EQ(*TensorByteSize(Dtype::kF4, {(1ull << 62) - 2}), (1ull << 61) - 1);
}

}  // namespace
}  // namespace safetensors
