// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// What ParseCreateSpec makes of a spec: the decoded names, bytes and fill
// patterns, and the defaults. Its error messages are checked through the
// tool (create_command_test), exactly as printed.

#include "tools/create_spec.h"

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace safetensors {
namespace tool {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseCreateSpec, Defaults) {
  absl::StatusOr<CreateSpec> spec = ParseCreateSpec(R"({"tensors": []})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_TRUE(spec->tensors.empty());
  EXPECT_FALSE(spec->metadata.has_value());
  EXPECT_EQ(spec->alignment, 8u);
}

TEST(ParseCreateSpec, MetadataNullEmptyAndKeys) {
  absl::StatusOr<CreateSpec> spec =
      ParseCreateSpec(R"({"tensors": [], "metadata": null})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_FALSE(spec->metadata.has_value());
  spec = ParseCreateSpec(R"({"metadata": {}, "tensors": []})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_TRUE(spec->metadata.has_value());
  EXPECT_TRUE(spec->metadata->empty());
  spec = ParseCreateSpec(
      R"({"tensors": [], "metadata": {"z": "1", "a\nb": "\u00e9"},
          "options": {"alignment": 4096}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(*spec->metadata, (MetadataMap{{"a\nb", "\xc3\xa9"}, {"z", "1"}}));
  EXPECT_EQ(spec->alignment, 4096u);
}

TEST(ParseCreateSpec, TensorsInOrderWithDecodedNamesAndBytes) {
  absl::StatusOr<CreateSpec> spec = ParseCreateSpec(
      R"({"tensors": [
            {"name": "q\"\u0000\ud83d\ude00", "dtype": "F32", "shape": [1, 2],
             "data_hex": "0000803FabCDef01"},
            {"fill": {"hex": "0102"}, "shape": [], "dtype": "BF16",
             "name": {"repeat": "ab", "count": 3}},
            {"name": "s", "dtype": "U8", "shape": [18446744073709551615],
             "fill": {"byte": 255}}]})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_EQ(spec->tensors.size(), 3u);
  const CreateSpec::Tensor& a = spec->tensors[0];
  EXPECT_EQ(a.name, std::string("q\"\0\xf0\x9f\x98\x80", 7));
  EXPECT_EQ(a.dtype, Dtype::kF32);
  EXPECT_THAT(a.shape, ElementsAre(1, 2));
  EXPECT_EQ(a.data, std::string("\x00\x00\x80\x3f\xab\xcd\xef\x01", 8));
  EXPECT_FALSE(a.fill.has_value());
  const CreateSpec::Tensor& b = spec->tensors[1];
  EXPECT_EQ(b.name, "ababab");
  EXPECT_EQ(b.dtype, Dtype::kBF16);
  EXPECT_TRUE(b.shape.empty());
  EXPECT_EQ(b.fill, std::string("\x01\x02"));
  EXPECT_TRUE(b.data.empty());
  const CreateSpec::Tensor& c = spec->tensors[2];
  EXPECT_THAT(c.shape, ElementsAre(UINT64_MAX));
  EXPECT_EQ(c.fill, std::string("\xff"));
}

TEST(ParseCreateSpec, RepeatedNames) {
  for (const auto& [repeat, count, want] :
       std::vector<std::tuple<std::string, int, std::string>>{
           {"a", 1, "a"},
           {"a", 0, ""},
           {"", 5, ""},
           {"xyz", 4, "xyzxyzxyzxyz"},
           {"\\u00e9", 3, "\xc3\xa9\xc3\xa9\xc3\xa9"}}) {
    SCOPED_TRACE(absl::StrCat(repeat, " x ", count));
    absl::StatusOr<CreateSpec> spec = ParseCreateSpec(absl::StrCat(
        R"({"tensors": [{"name": {"count": )", count, R"(, "repeat": ")",
        repeat, R"("}, "dtype": "U8", "shape": [0], "data_hex": ""}]})"));
    ASSERT_TRUE(spec.ok()) << spec.status();
    EXPECT_EQ(spec->tensors[0].name, want);
  }
  absl::StatusOr<CreateSpec> spec = ParseCreateSpec(
      R"({"tensors": [{"name": {"repeat": "ab", "count": 500000001},
                       "dtype": "U8", "shape": [0], "data_hex": ""}]})");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(spec.status().message(),
              HasSubstr("tensors[0].name: the name would be longer than "
                        "1000000000 bytes"));
}

// What the writer checks is left to it: the spec parser takes any name,
// any shape and any data length.
TEST(ParseCreateSpec, LeavesTheWritersChecksToTheWriter) {
  absl::StatusOr<CreateSpec> spec = ParseCreateSpec(
      R"({"tensors": [
            {"name": "__metadata__", "dtype": "F4", "shape": [3],
             "data_hex": "00"},
            {"name": "__metadata__", "dtype": "U8",
             "shape": [4294967296, 4294967296], "fill": {"byte": 0}}],
          "options": {"alignment": 3}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->tensors.size(), 2u);
  EXPECT_EQ(spec->alignment, 3u);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
