// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/inspect.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/index.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/testing/test_util.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::MakeFile;
using ::safetensors::test::StatusIs;
using ::testing::HasSubstr;

std::string TempFile(absl::string_view name, absl::string_view bytes) {
  return test::WriteWholeFile(test::TempPath(name), bytes);
}

// Two F32 tensors and one U8, metadata with a newline in a value.
std::string SmallFile() {
  const std::vector<uint64_t> s2 = {2}, s13 = {1, 3}, s4 = {4};
  const std::string f(8, '\1'), g(12, '\2'), u(4, '\3');
  auto span = [](const std::string& s) {
    return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                     s.size());
  };
  const std::vector<TensorRef> refs = {{"w", Dtype::kF32, s2, span(f)},
                                       {"layer.b", Dtype::kF32, s13, span(g)},
                                       {"ids", Dtype::kU8, s4, span(u)}};
  absl::StatusOr<std::string> bytes =
      Serialize(refs, MetadataMap{{"note", "a\nb"}, {"x", "y"}});
  EXPECT_THAT(bytes, IsOk());
  return *bytes;
}

TEST(Inspect, TableAndTotals) {
  const std::string path = TempFile("inspect.safetensors", SmallFile());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<Inspection> in = Inspect(*c);
  ASSERT_THAT(in, IsOk());
  EXPECT_EQ(in->tensor_count, 3u);
  EXPECT_EQ(in->data_size, 24u);
  ASSERT_EQ(in->totals.size(), 2u);
  EXPECT_EQ(in->totals[0].dtype, Dtype::kF32);
  EXPECT_EQ(in->totals[0].elements, 5u);
  EXPECT_EQ(in->totals[1].dtype, Dtype::kU8);
  ASSERT_EQ(in->tensors.size(), 3u);  // file (offset) order
  EXPECT_EQ(in->tensors[0].name, "layer.b");
  EXPECT_EQ(in->tensors[0].shape, (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(in->tensors[0].size, 12u);
  EXPECT_EQ(in->tensors[0].offset, 0u);
  EXPECT_EQ(in->tensors[1].name, "w");
  EXPECT_EQ(in->tensors[1].elements, 2u);
  EXPECT_EQ(in->tensors[1].offset, 12u);
  EXPECT_EQ(in->tensors[2].name, "ids");
  EXPECT_EQ(in->tensors[2].dtype, Dtype::kU8);
  EXPECT_EQ(in->tensors[2].offset, 20u);
  EXPECT_EQ(in->totals[0].tensors, 2u);
  EXPECT_EQ(in->totals[0].bytes, 20u);
  EXPECT_EQ(in->totals[1].tensors, 1u);
  EXPECT_EQ(in->selected_elements, 9u);
  EXPECT_EQ(in->selected_bytes, 24u);
  EXPECT_FALSE(in->is_index);
  EXPECT_EQ(in->path, path);
  EXPECT_GT(in->header_size, 0u);
  EXPECT_EQ(in->metadata,
            (std::optional<MetadataMap>{{{"note", "a\nb"}, {"x", "y"}}}));

  absl::StatusOr<Inspection> some =
      Inspect(*c, [](absl::string_view name) { return name != "w"; });
  ASSERT_THAT(some, IsOk());
  EXPECT_EQ(some->tensors.size(), 2u);
  EXPECT_EQ(some->selected_bytes, 16u);
  EXPECT_EQ(some->tensor_count, 3u);  // every tensor, selected or not
  EXPECT_EQ(some->data_size, 24u);
  ASSERT_EQ(some->totals.size(), 2u);
  EXPECT_EQ(some->totals[0].tensors + some->totals[1].tensors, 2u);
}

TEST(Inspect, EmptySelection) {
  const std::string path = TempFile("inspect_none.safetensors", SmallFile());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<Inspection> in =
      Inspect(*c, [](absl::string_view) { return false; });
  ASSERT_THAT(in, IsOk());
  EXPECT_EQ(in->tensor_count, 3u);
  EXPECT_TRUE(in->tensors.empty());
  EXPECT_TRUE(in->totals.empty());
  EXPECT_EQ(in->selected_bytes, 0u);
}

TEST(ReadRawHeader, LengthRulesOnly) {
  // Valid JSON that fails validation (an offset past the data) still reads.
  const std::string header =
      R"({"t":{"dtype":"U8","shape":[9],"data_offsets":[0,9]}})";
  absl::StatusOr<std::string> h =
      ReadRawHeader(TempFile("raw_bad_offsets.safetensors", MakeFile(header)));
  ASSERT_THAT(h, IsOk());
  EXPECT_EQ(*h, header);
  const std::string small = TempFile("raw_small.safetensors", "abc");
  absl::StatusOr<std::string> r = ReadRawHeader(small);
  EXPECT_THAT(r, StatusIs(ErrorKind::kHeaderTooSmall));
  EXPECT_THAT(r.status().message(), HasSubstr(small));
  EXPECT_THAT(ReadRawHeader(TempFile("raw_long.safetensors",
                                     MakeFile("{}").substr(0, 9))),
              StatusIs(ErrorKind::kInvalidHeaderLength));
  EXPECT_THAT(ReadRawHeader(small + ".missing"),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
}

}  // namespace
}  // namespace safetensors
