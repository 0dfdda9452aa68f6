// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/diff.h"

#include <string>
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
  EXPECT_EQ(FormatDiff(*d),
            "summary\t2 in A, 2 in B: 2 identical, 0 differ, 0 only in A, 0 "
            "only in B\n");
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
  EXPECT_EQ(FormatDiff(*d),
            "content\t\"co\"\t089c4407b545986a\t089c2a07b5456c3c\n"
            "dtype\t\"dt\"\tU8\tI8\n"
            "only_b\t\"new\\n\"\tF32 []\n"
            "only_a\t\"only_a\"\tU8 [1]\n"
            "shape\t\"sh\"\t[2]\t[1,2]\n"
            "meta\t\"gone\"\t\"1\"\t-\n"
            "meta\t\"k\"\t\"v\"\t\"w\"\n"
            "summary\t5 in A, 5 in B: 1 identical, 3 differ, 1 only in A, 1 "
            "only in B, 2 metadata keys differ\n");
}

}  // namespace
}  // namespace safetensors
