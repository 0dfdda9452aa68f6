// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/entries.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/internal/name_index.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"

namespace safetensors {
namespace internal {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::testing::HasSubstr;

// An entry as the parser keeps one; the shape points into `dims`.
struct E {
  absl::string_view name;
  Dtype dtype = Dtype::kU8;
  absl::Span<const uint64_t> shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

const uint64_t kFour[] = {4};
const uint64_t kTwo[] = {2};
const uint64_t kThree[] = {3};
const uint64_t kZero[] = {0};
const uint64_t kHuge[] = {1ull << 32, 1ull << 32};
const uint64_t kOdd[] = {3};

E U8(absl::string_view name, absl::Span<const uint64_t> shape, uint64_t begin,
     uint64_t end) {
  return {name, Dtype::kU8, shape, begin, end};
}

absl::Status Validate(const std::vector<E>& entries, uint64_t file_size,
                      uint64_t header_size = 2) {
  uint64_t data_size = 12345;
  return ValidateEntries(absl::Span<const E>(entries), header_size, file_size,
                         &data_size);
}

std::vector<std::string> Names(const std::vector<E>& entries) {
  std::vector<std::string> out;
  for (const E& e : entries) out.emplace_back(e.name);
  return out;
}

TEST(ValidateEntries, AcceptsContiguousEntriesThatCoverTheFile) {
  const std::vector<E> entries = {U8("a", kFour, 0, 4), U8("b", kTwo, 4, 6)};
  uint64_t data_size = 0;
  EXPECT_THAT(
      ValidateEntries(absl::Span<const E>(entries), 10, 8 + 10 + 6, &data_size),
      IsOk());
  EXPECT_EQ(data_size, 6u);
}

TEST(ValidateEntries, NoEntries) {
  uint64_t data_size = 7;
  EXPECT_THAT(ValidateEntries(absl::Span<const E>(), 2, 10, &data_size),
              IsOk());
  EXPECT_EQ(data_size, 0u);
  EXPECT_THAT(ValidateEntries(absl::Span<const E>(), 2, 11, &data_size),
              StatusIs(ErrorKind::kMetadataIncompleteBuffer));
}

TEST(ValidateEntries, Gap) {
  const absl::Status s =
      Validate({U8("a", kFour, 0, 4), U8("b", kTwo, 5, 7)}, 8 + 2 + 7);
  EXPECT_THAT(s, StatusIs(ErrorKind::kInvalidOffset));
  EXPECT_THAT(s.message(), HasSubstr("\"b\""));
}

TEST(ValidateEntries, FirstEntryNotAtZero) {
  EXPECT_THAT(Validate({U8("a", kFour, 1, 5)}, 8 + 2 + 5),
              StatusIs(ErrorKind::kInvalidOffset));
}

TEST(ValidateEntries, ZeroSizedEntriesMayShareAnOffset) {
  EXPECT_THAT(Validate({U8("a", kZero, 0, 0), U8("b", kZero, 0, 0)}, 8 + 2),
              IsOk());
}

// Sorted input never has end < begin at the cursor, but a caller's may.
TEST(ValidateEntries, EndBeforeBegin) {
  EXPECT_THAT(Validate({U8("a", kFour, 4, 0)}, 8 + 2),
              StatusIs(ErrorKind::kInvalidOffset));
  EXPECT_THAT(Validate({U8("a", kFour, 0, 4), U8("b", kFour, 4, 3)}, 8 + 2),
              StatusIs(ErrorKind::kInvalidOffset));
}

TEST(ValidateEntries, OverflowingShape) {
  const absl::Status s = Validate({U8("big", kHuge, 0, 4)}, 8 + 2 + 4);
  EXPECT_THAT(s, StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_THAT(s.message(), HasSubstr("\"big\""));
}

TEST(ValidateEntries, OverflowingBitSize) {
  const uint64_t dims[] = {1ull << 62};
  EXPECT_THAT(Validate({{"f32", Dtype::kF32, dims, 0, 4}}, 8 + 2 + 4),
              StatusIs(ErrorKind::kValidationOverflow));
}

TEST(ValidateEntries, SubByteSizeNotWholeBytes) {
  EXPECT_THAT(Validate({{"f4", Dtype::kF4, kOdd, 0, 2}}, 8 + 2 + 2),
              StatusIs(ErrorKind::kMisalignedSlice));
}

TEST(ValidateEntries, SpanDiffersFromSize) {
  const absl::Status s = Validate({U8("a", kThree, 0, 4)}, 8 + 2 + 4);
  EXPECT_THAT(s, StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_EQ(s.message(),
            "tensor \"a\": data_offsets span 4 bytes but U8 of this shape "
            "needs 3");
}

TEST(ValidateEntries, FileLongerOrShorterThanCovered) {
  const std::vector<E> entries = {U8("a", kFour, 0, 4)};
  EXPECT_THAT(Validate(entries, 8 + 2 + 4), IsOk());
  EXPECT_THAT(Validate(entries, 8 + 2 + 5),
              StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_THAT(Validate(entries, 8 + 2 + 3),
              StatusIs(ErrorKind::kMetadataIncompleteBuffer));
}

TEST(ValidateEntries, CoverageSumOverflows) {
  const uint64_t max = ~uint64_t{0};
  EXPECT_THAT(CheckCoverage(max - 8, 1, max),
              StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_THAT(CheckCoverage(max - 9, 1, max), IsOk());
}

// Offsets are checked before sizes, entry by entry: the first failing entry
// decides the kind.
TEST(ValidateEntries, CheckOrder) {
  // a's span is wrong, b's offset too: a is reported.
  EXPECT_THAT(Validate({U8("a", kThree, 0, 4), U8("b", kFour, 9, 13)}, 100),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  // a's offset is wrong and its size overflows: the offset is reported.
  EXPECT_THAT(Validate({U8("a", kHuge, 1, 4)}, 100),
              StatusIs(ErrorKind::kInvalidOffset));
  // Every entry is fine but the file is too long: coverage comes last.
  EXPECT_THAT(Validate({U8("a", kFour, 0, 4)}, 100),
              StatusIs(ErrorKind::kMetadataIncompleteBuffer));
}

TEST(IndexEntries, SortsStablyAndIndexes) {
  std::vector<E> entries = {U8("c", kTwo, 4, 6), U8("a", kFour, 0, 4),
                            U8("z", kZero, 6, 6), U8("y", kZero, 6, 6)};
  NameIndex index;
  EXPECT_EQ(IndexEntries(&entries, RepeatedNames::kReject, &index), -1);
  EXPECT_EQ(Names(entries), (std::vector<std::string>{"a", "c", "z", "y"}));
  auto name_at = [&](uint32_t i) { return entries[i].name; };
  EXPECT_EQ(index.Find("c", name_at), 1);
  EXPECT_EQ(index.Find("y", name_at), 3);
  EXPECT_EQ(index.Find("b", name_at), -1);
}

TEST(IndexEntries, StrictReportsTheFirstRepeatAndKeepsTheOrder) {
  std::vector<E> entries = {U8("a", kFour, 4, 8), U8("b", kFour, 0, 4),
                            U8("b", kFour, 8, 12), U8("a", kFour, 12, 16)};
  NameIndex index;
  EXPECT_EQ(IndexEntries(&entries, RepeatedNames::kReject, &index), 2);
  EXPECT_EQ(Names(entries), (std::vector<std::string>{"a", "b", "b", "a"}));
}

TEST(IndexEntries, ReferenceKeepsTheLastOccurrence) {
  std::vector<E> entries = {U8("a", kFour, 0, 4), U8("b", kFour, 4, 8),
                            U8("a", kTwo, 8, 10)};
  NameIndex index;
  EXPECT_EQ(IndexEntries(&entries, RepeatedNames::kLastWins, &index), -1);
  ASSERT_EQ(Names(entries), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(entries[1].begin, 8u);
  auto name_at = [&](uint32_t i) { return entries[i].name; };
  EXPECT_EQ(index.Find("a", name_at), 1);
  EXPECT_EQ(index.Find("b", name_at), 0);
  // ...which then fails validation: b does not start at 0.
  EXPECT_THAT(Validate(entries, 100), StatusIs(ErrorKind::kInvalidOffset));
}

// Two entries claiming the same range: after the stable sort the one first
// in text order is checked first, so its kind and name are reported.
TEST(IndexEntries, TieReportsTheFirstInTextOrder) {
  for (bool wrong_first : {true, false}) {
    SCOPED_TRACE(wrong_first);
    const E wrong = U8("wrong", kThree, 0, 4);  // TensorInvalidInfo
    const E right = U8("right", kFour, 0, 4);
    std::vector<E> entries = {U8("tail", kFour, 4, 8)};
    if (wrong_first) {
      entries.insert(entries.begin(), {wrong, right});
    } else {
      entries.insert(entries.begin(), {right, wrong});
    }
    NameIndex index;
    ASSERT_EQ(IndexEntries(&entries, RepeatedNames::kReject, &index), -1);
    const absl::Status s = Validate(entries, 8 + 2 + 8);
    if (wrong_first) {
      EXPECT_THAT(s, StatusIs(ErrorKind::kTensorInvalidInfo));
      EXPECT_THAT(s.message(), HasSubstr("\"wrong\""));
    } else {
      EXPECT_THAT(s, StatusIs(ErrorKind::kInvalidOffset));
      EXPECT_THAT(s.message(), HasSubstr("\"wrong\""));
    }
  }
  // Same range, both with an overflowing shape, and names in reverse byte
  // order: the first in text order is named.
  std::vector<E> entries = {U8("z", kHuge, 0, 4), U8("a", kHuge, 0, 4)};
  NameIndex index;
  ASSERT_EQ(IndexEntries(&entries, RepeatedNames::kReject, &index), -1);
  const absl::Status s = Validate(entries, 100);
  EXPECT_THAT(s, StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_THAT(s.message(), HasSubstr("\"z\""));
}

TEST(CheckEntry, MessagesQuoteNamesAsJson) {
  uint64_t cursor = 0;
  const absl::Status s = CheckEntry("a\"b\n", Dtype::kU8, kFour, 1, 5, &cursor);
  EXPECT_EQ(s.message(),
            "invalid offset for tensor \"a\\\"b\\n\": data_offsets [1, 5] but "
            "the previous tensor ends at 0");
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
