// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/diff.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/index.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;

// A Difference with these fields.
::testing::Matcher<const Difference&> Diffed(Difference::Kind kind,
                                             const std::string& name,
                                             const std::string& a,
                                             const std::string& b) {
  return AllOf(Field(&Difference::kind, kind), Field(&Difference::name, name),
               Field(&Difference::a, a), Field(&Difference::b, b));
}

struct T {
  std::string name;
  Dtype dtype;
  std::vector<uint64_t> shape;
  std::string data;
};

// Writes the tensors to a file in the test's temporary directory and opens
// it as a checkpoint.
Checkpoint Write(absl::string_view name, const std::vector<T>& tensors,
                 const std::optional<MetadataMap>& metadata = std::nullopt) {
  std::vector<TensorRef> refs;
  for (const T& t : tensors) {
    refs.push_back(
        {t.name, t.dtype, t.shape,
         absl::Span<const uint8_t>(
             reinterpret_cast<const uint8_t*>(t.data.data()), t.data.size())});
  }
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  const std::string path = absl::StrCat(dir, name);
  EXPECT_THAT(WriteFile(path, refs, metadata), IsOk());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  EXPECT_THAT(c, IsOk());
  return *std::move(c);
}

TEST(Diff, Identical) {
  const std::vector<T> ts = {{"a", Dtype::kU8, {2}, "xy"},
                             {"b", Dtype::kU16, {1}, "zz"}};
  Checkpoint a = Write("same_a.safetensors", ts, MetadataMap{{"k", "v"}});
  Checkpoint b = Write("same_b.safetensors", ts, MetadataMap{{"k", "v"}});
  uint64_t done = 0, total = 0;
  absl::StatusOr<DiffResult> d = Diff(a, b, [&](uint64_t x, uint64_t y) {
    done = x;
    total = y;
  });
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->same());
  EXPECT_EQ(d->identical, 2u);
  EXPECT_EQ(done, 4u);
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(d->tensors_a, 2u);
  EXPECT_EQ(d->tensors_b, 2u);
}

TEST(Diff, EveryKind) {
  Checkpoint a = Write("kinds_a.safetensors",
                       {{"only_a", Dtype::kU8, {1}, "a"},
                        {"dt", Dtype::kU8, {2}, "ab"},
                        {"sh", Dtype::kU8, {2}, "ab"},
                        {"co", Dtype::kU8, {2}, "ab"},
                        {"eq", Dtype::kU8, {2}, "ab"}},
                       MetadataMap{{"k", "v"}, {"gone", "1"}});
  Checkpoint b = Write("kinds_b.safetensors",
                       {{"dt", Dtype::kI8, {2}, "ab"},
                        {"sh", Dtype::kU8, {1, 2}, "ab"},
                        {"co", Dtype::kU8, {2}, "aX"},
                        {"eq", Dtype::kU8, {2}, "ab"},
                        {"new\n", Dtype::kF32, {}, "abcd"}},
                       MetadataMap{{"k", "w"}});
  absl::StatusOr<DiffResult> d = Diff(a, b);
  ASSERT_THAT(d, IsOk());
  EXPECT_FALSE(d->same());
  EXPECT_EQ(d->tensors_a, 5u);
  EXPECT_EQ(d->tensors_b, 5u);
  EXPECT_EQ(d->identical, 1u);
  using Kind = Difference::Kind;
  EXPECT_THAT(d->differences,
              ElementsAre(Diffed(Kind::kContent, "co", "089c4407b545986a",
                                 "089c2a07b5456c3c"),
                          Diffed(Kind::kDtype, "dt", "U8", "I8"),
                          Diffed(Kind::kOnlyInB, "new\n", "", "F32 []"),
                          Diffed(Kind::kOnlyInA, "only_a", "U8 [1]", ""),
                          Diffed(Kind::kShape, "sh", "[2]", "[1,2]"),
                          Diffed(Kind::kMetadata, "gone", "\"1\"", "-"),
                          Diffed(Kind::kMetadata, "k", "\"v\"", "\"w\"")));
}

}  // namespace
}  // namespace safetensors
