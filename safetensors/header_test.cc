// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/header.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::LengthPrefix;
using ::safetensors::test::MakeFile;
using ::safetensors::test::StatusIs;
using ::testing::ElementsAre;

absl::Span<const uint8_t> Bytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

ReadOptions Reference() {
  ReadOptions o;
  o.profile = Profile::kReference;
  return o;
}

const char kTwo[] =
    "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]},"
    "\"a\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}";

TEST(Header, EntriesInOffsetOrderAndLookup) {
  const std::string text = kTwo;
  absl::StatusOr<Header> h = Header::Parse(text, 8 + text.size() + 12);
  ASSERT_THAT(h, IsOk());
  ASSERT_EQ(h->tensors().size(), 2u);
  EXPECT_EQ(h->tensors()[0].name, "a");
  EXPECT_EQ(h->tensors()[0].dtype, Dtype::kI32);
  EXPECT_TRUE(h->tensors()[0].shape.empty());
  EXPECT_EQ(h->tensors()[1].name, "b");
  EXPECT_THAT(h->tensors()[1].shape, ElementsAre(2u));
  EXPECT_EQ(h->tensors()[1].begin, 4u);
  EXPECT_EQ(h->tensors()[1].end, 12u);
  ASSERT_NE(h->Find("b"), nullptr);
  EXPECT_EQ(h->Find("b")->dtype, Dtype::kF32);
  EXPECT_EQ(h->Find("c"), nullptr);
  EXPECT_THAT(h->SortedNames(), ElementsAre("a", "b"));
  EXPECT_EQ(h->header_size(), text.size());
  EXPECT_EQ(h->data_size(), 12u);
  EXPECT_FALSE(h->metadata().has_value());
}

TEST(Header, EscapedNamesAreDecodedAndFound) {
  const std::string text =
      "{\"\\u00e9\\n\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}"
      "}";
  absl::StatusOr<Header> h = Header::Parse(text, 8 + text.size() + 1);
  ASSERT_THAT(h, IsOk());
  EXPECT_NE(h->Find("\xc3\xa9\n"), nullptr);
  // The names survive a move of the Header.
  Header moved = std::move(*h);
  EXPECT_EQ(moved.tensors()[0].name, "\xc3\xa9\n");
  EXPECT_NE(moved.Find("\xc3\xa9\n"), nullptr);
}

TEST(Header, MetadataAbsentEmptyAndPresent) {
  std::string text = "{\"__metadata__\":{}}";
  absl::StatusOr<Header> h = Header::Parse(text, 8 + text.size());
  ASSERT_THAT(h, IsOk());
  ASSERT_TRUE(h->metadata().has_value());
  EXPECT_TRUE(h->metadata()->empty());

  text = "{\"__metadata__\":{\"b\":\"2\",\"a\":\"1\"}}";
  h = Header::Parse(text, 8 + text.size());
  ASSERT_THAT(h, IsOk());
  ASSERT_TRUE(h->metadata().has_value());
  EXPECT_THAT(*h->metadata(),
              ElementsAre(std::pair<const std::string, std::string>("a", "1"),
                          std::pair<const std::string, std::string>("b", "2")));

  text = "{\"__metadata__\":null}";
  EXPECT_THAT(Header::Parse(text, 8 + text.size()),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  h = Header::Parse(text, 8 + text.size(), Reference());
  ASSERT_THAT(h, IsOk());
  EXPECT_FALSE(h->metadata().has_value());
}

TEST(Header, ReferenceLastWinsKeepsOneEntry) {
  const std::string text =
      "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
      "\"\\u0061\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
  EXPECT_THAT(Header::Parse(text, 8 + text.size() + 4),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  absl::StatusOr<Header> h =
      Header::Parse(text, 8 + text.size() + 4, Reference());
  ASSERT_THAT(h, IsOk());
  ASSERT_EQ(h->tensors().size(), 1u);
  EXPECT_EQ(h->tensors()[0].dtype, Dtype::kF32);
  EXPECT_EQ(h->Find("a")->dtype, Dtype::kF32);
}

TEST(ReadHeaderSize, LengthRulesInOrder) {
  EXPECT_THAT(ReadHeaderSize(Bytes(""), 0),
              StatusIs(ErrorKind::kHeaderTooSmall));
  EXPECT_THAT(ReadHeaderSize(Bytes("1234567"), 7),
              StatusIs(ErrorKind::kHeaderTooSmall));
  std::string f = LengthPrefix(100'000'001) + "{}";
  EXPECT_THAT(ReadHeaderSize(Bytes(f), f.size()),
              StatusIs(ErrorKind::kHeaderTooLarge));
  f = LengthPrefix(100'000'000) + "{}";
  EXPECT_THAT(ReadHeaderSize(Bytes(f), f.size()),
              StatusIs(ErrorKind::kInvalidHeaderLength));
  f = LengthPrefix(~uint64_t{0});
  EXPECT_THAT(ReadHeaderSize(Bytes(f), f.size()),
              StatusIs(ErrorKind::kHeaderTooLarge));
  f = LengthPrefix(2) + "{}";
  EXPECT_EQ(*ReadHeaderSize(Bytes(f), f.size()), 2u);
  // The length is little-endian whatever the host.
  f = std::string("\x02\x01\0\0\0\0\0\0", 8);
  EXPECT_EQ(*ReadHeaderSize(Bytes(f), 8 + 258), 258u);
}

TEST(ReadHeaderSize, LowerLimitOption) {
  ReadOptions o;
  o.max_header_size = 10;
  std::string f = MakeFile("{}         ");  // N = 11
  EXPECT_THAT(ReadHeaderSize(Bytes(f), f.size(), o),
              StatusIs(ErrorKind::kHeaderTooLarge));
  o.max_header_size = 11;
  EXPECT_THAT(ReadHeaderSize(Bytes(f), f.size(), o), IsOk());
  o.max_header_size = ~uint64_t{0};  // never above the format's limit
  f = LengthPrefix(100'000'001);
  EXPECT_THAT(ReadHeaderSize(Bytes(f), 1ull << 40, o),
              StatusIs(ErrorKind::kHeaderTooLarge));
}

TEST(ParseHeaderPrefix, ChecksCoverageAgainstFileSize) {
  const std::string file = MakeFile(kTwo, std::string(12, '\0'));
  const std::string prefix = file.substr(0, 8 + std::string(kTwo).size());
  absl::StatusOr<Header> h = ParseHeaderPrefix(Bytes(prefix), file.size());
  ASSERT_THAT(h, IsOk());
  EXPECT_EQ(h->tensors().size(), 2u);
  // It owns its text: the prefix may go away.
  std::string copy = prefix;
  h = ParseHeaderPrefix(Bytes(copy), file.size());
  copy.assign(copy.size(), 'x');
  ASSERT_THAT(h, IsOk());
  EXPECT_EQ(h->tensors()[1].name, "b");
  EXPECT_THAT(ParseHeaderPrefix(Bytes(prefix), file.size() + 1),
              StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_THAT(ParseHeaderPrefix(Bytes(prefix), file.size() - 1),
              StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_EQ(ParseHeaderPrefix(Bytes(prefix.substr(0, 20)), file.size())
                .status()
                .code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace safetensors
