// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/compact_entry.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace safetensors {
namespace internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(CompactEntry, ReadsTheWritersForm) {
  const std::string text =
      "xx{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},";
  std::vector<uint64_t> dims = {7};
  CompactEntry e;
  ASSERT_TRUE(ParseCompactEntry(text, 2, &dims, &e));
  EXPECT_EQ(e.dtype, Dtype::kF32);
  EXPECT_EQ(e.begin, 0u);
  EXPECT_EQ(e.end, 24u);
  EXPECT_EQ(e.value_end, text.size() - 1);
  EXPECT_THAT(dims, ElementsAre(7u, 2u, 3u));
}

TEST(CompactEntry, ScalarAndZeroDims) {
  std::vector<uint64_t> dims;
  CompactEntry e;
  ASSERT_TRUE(ParseCompactEntry(
      "{\"dtype\":\"I8\",\"shape\":[],\"data_offsets\":[5,6]}", 0, &dims, &e));
  EXPECT_THAT(dims, IsEmpty());
  EXPECT_EQ(e.begin, 5u);
  ASSERT_TRUE(ParseCompactEntry(
      "{\"dtype\":\"BF16\",\"shape\":[0,9],\"data_offsets\":[0,0]}", 0, &dims,
      &e));
  EXPECT_THAT(dims, ElementsAre(0u, 9u));
  EXPECT_EQ(e.dtype, Dtype::kBF16);
}

TEST(CompactEntry, NineteenDigitsButNotTwenty) {
  std::vector<uint64_t> dims;
  CompactEntry e;
  ASSERT_TRUE(
      ParseCompactEntry("{\"dtype\":\"U8\",\"shape\":[9999999999999999999],"
                        "\"data_offsets\":[0,1]}",
                        0, &dims, &e));
  EXPECT_THAT(dims, ElementsAre(9999999999999999999u));
  dims.clear();
  EXPECT_FALSE(
      ParseCompactEntry("{\"dtype\":\"U8\",\"shape\":[1],"
                        "\"data_offsets\":[0,10000000000000000000]}",
                        0, &dims, &e));
  EXPECT_THAT(dims, IsEmpty());
}

// Each of these is left to the general path, with *dims untouched.
TEST(CompactEntry, GivesUpOnAnyOtherForm) {
  const char* const kOthers[] = {
      "{ \"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}",
      "{\"dtype\": \"F32\",\"shape\":[1],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F32\",\"shape\":[1 ],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4] }",
      "{\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F\\u0033\",\"shape\":[1],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F32\",\"shape\":[1,],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}",
      "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}",
      "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}",
      "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}",
      "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]",
      "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,",
      "{\"dtype\":\"F32",
      "[\"F32\",[1],[0,4]]",
      "",
  };
  for (const char* text : kOthers) {
    SCOPED_TRACE(text);
    std::vector<uint64_t> dims = {42};
    CompactEntry e;
    EXPECT_FALSE(ParseCompactEntry(text, 0, &dims, &e));
    EXPECT_THAT(dims, ElementsAre(42u));
  }
}

TEST(CompactEntry, PositionPastTheEnd) {
  std::vector<uint64_t> dims;
  CompactEntry e;
  EXPECT_FALSE(ParseCompactEntry("{}", 3, &dims, &e));
}

TEST(CompactEntry, SwitchIsScopedAndNests) {
  EXPECT_TRUE(CompactEntryFastPathAllowed());
  {
    ScopedCompactEntryFastPath off(false);
    EXPECT_FALSE(CompactEntryFastPathAllowed());
    {
      ScopedCompactEntryFastPath on(true);
      EXPECT_TRUE(CompactEntryFastPathAllowed());
    }
    EXPECT_FALSE(CompactEntryFastPathAllowed());
  }
  EXPECT_TRUE(CompactEntryFastPathAllowed());
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
