// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/dump.h"

#include <string>

#include "gtest/gtest.h"

#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace {

using ::safetensors::test::MakeFile;

absl::Span<const uint8_t> Bytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

std::string Json(absl::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

TEST(AppendJsonString, EscapesAsTheReferenceWriter) {
  // docs/specification.md §19, W14.
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(Json("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(Json("\x01"), "\"\\u0001\"");
  EXPECT_EQ(Json("\x1f"), "\"\\u001f\"");
  EXPECT_EQ(Json("\t\n\b\f\r"), "\"\\t\\n\\b\\f\\r\"");
  EXPECT_EQ(Json("\x7f"), "\"\x7f\"");  // DEL raw
  EXPECT_EQ(Json("/"), "\"/\"");
  EXPECT_EQ(Json("\xe2\x80\xa8"), "\"\xe2\x80\xa8\"");          // U+2028 raw
  EXPECT_EQ(Json("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");  // emoji raw
  EXPECT_EQ(Json(absl::string_view("a\0b", 3)), "\"a\\u0000b\"");
  EXPECT_EQ(Json(""), "\"\"");
  EXPECT_EQ(Json("\x0b\x0e"), "\"\\u000b\\u000e\"");
}

TEST(Fnv1a64, KnownValues) {
  EXPECT_EQ(Fnv1a64(Bytes("")), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64(Bytes("a")), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64(Bytes("foobar")), 0x85944171f73967e8ull);
}

TEST(Dump, ExactText) {
  const std::string header =
      "{\"__metadata__\":{\"z\":\"1\",\"a\\n\":\"x\\u0000\"},"
      "\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},"
      "\"b\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[8,9]},"
      "\"e\":{\"dtype\":\"BF16\",\"shape\":[0],\"data_offsets\":[9,9]}}";
  const std::string file = MakeFile(header, std::string("abcdefgh") + "a");
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(file);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(
      Dump(*st), "header_len\t" + std::to_string(header.size()) +
                     "\n"
                     "data_len\t9\n"
                     "ntensors\t3\n"
                     "metadata\t2\n"
                     "meta\t\"a\\n\"\t\"x\\u0000\"\n"
                     "meta\t\"z\"\t\"1\"\n"
                     "tensor\t\"b\"\tU8\t[]\t8\t9\taf63dc4c8601ec8c\n"
                     "tensor\t\"e\"\tBF16\t[0]\t9\t9\tcbf29ce484222325\n"
                     "tensor\t\"w\"\tF32\t[1,2]\t0\t8\t" +
                     [] {
                       char buf[17];
                       snprintf(buf, sizeof(buf), "%016llx",
                                static_cast<unsigned long long>(
                                    Fnv1a64(Bytes("abcdefgh"))));
                       return std::string(buf);
                     }() +
                     "\n");
}

TEST(Dump, NoMetadataAndEmptyMetadata) {
  const std::string none_file = MakeFile("{}");
  absl::StatusOr<SafeTensors> none = SafeTensors::Parse(none_file);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(Dump(*none),
            "header_len\t2\ndata_len\t0\nntensors\t0\nmetadata\tnone\n");
  const std::string empty_file = MakeFile("{\"__metadata__\":{}}     ");
  absl::StatusOr<SafeTensors> empty = SafeTensors::Parse(empty_file);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(Dump(*empty),
            "header_len\t24\ndata_len\t0\nntensors\t0\nmetadata\t0\n");
}

TEST(DumpRejection, KindOrBare) {
  EXPECT_EQ(DumpRejection(MakeError(ErrorKind::kInvalidOffset, "m")),
            "reject\tInvalidOffset\n");
  EXPECT_EQ(DumpRejection(absl::InternalError("x")), "reject\n");
}

}  // namespace
}  // namespace safetensors
