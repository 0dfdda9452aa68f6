// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/format.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/diff.h"
#include "safetensors/index.h"
#include "safetensors/inspect.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace tool {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::safetensors::test::TempPath;
using ::safetensors::test::WriteWholeFile;
using ::testing::HasSubstr;

absl::Span<const uint8_t> Bytes(const std::string& s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

// Two F32 tensors and one U8, metadata with a newline in a value.
std::string SmallFile() {
  const std::vector<uint64_t> s2 = {2}, s13 = {1, 3}, s4 = {4};
  const std::string f(8, '\1'), g(12, '\2'), u(4, '\3');
  const std::vector<TensorRef> refs = {{"w", Dtype::kF32, s2, Bytes(f)},
                                       {"layer.b", Dtype::kF32, s13, Bytes(g)},
                                       {"ids", Dtype::kU8, s4, Bytes(u)}};
  absl::StatusOr<std::string> bytes =
      Serialize(refs, MetadataMap{{"note", "a\nb"}, {"x", "y"}});
  EXPECT_THAT(bytes, IsOk());
  return *bytes;
}

TEST(Format, InspectionTableAndJson) {
  const std::string path =
      WriteWholeFile(TempPath("format.safetensors"), SmallFile());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<Inspection> in = Inspect(*c);
  ASSERT_THAT(in, IsOk());
  const std::string header_len = absl::StrCat(in->header_size);
  EXPECT_EQ(FormatInspectionTable(*in),
            absl::StrCat("file: ", path, "\n3 tensors, header ", header_len,
                         " bytes, data 24 bytes (24 B)\n"
                         "\n"
                         "name     dtype  shape  size  offset\n"
                         "layer.b  F32    [1,3]    12       0\n"
                         "w        F32    [2]       8      12\n"
                         "ids      U8     [4]       4      20\n"
                         "\n"
                         "dtype  tensors  elements  bytes\n"
                         "F32          2         5     20\n"
                         "U8           1         4      4\n"
                         "total        3         9     24\n"
                         "\n"
                         "metadata: 2 keys\n"
                         "  note  \"a\\nb\"\n"
                         "  x     y\n"));
  const std::string json = FormatInspectionJson(*in);
  EXPECT_THAT(json, HasSubstr("\"format\": \"file\""));
  EXPECT_THAT(json, HasSubstr("{\"name\": \"w\", \"dtype\": \"F32\", "
                              "\"shape\": [2], \"elements\": 2, \"size\": 8, "
                              "\"offset\": 12}"));
  EXPECT_THAT(json, HasSubstr("\"metadata\": {\"note\": \"a\\nb\", "
                              "\"x\": \"y\"}"));

  absl::StatusOr<Inspection> some =
      Inspect(*c, [](absl::string_view name) { return name != "w"; });
  ASSERT_THAT(some, IsOk());
  EXPECT_THAT(FormatInspectionTable(*some),
              HasSubstr("2 of 3 tensors selected"));
  EXPECT_THAT(FormatInspectionTable(*some), HasSubstr("total        2"));
}

TEST(Format, InspectionEmptySelection) {
  const std::string path =
      WriteWholeFile(TempPath("format_none.safetensors"), SmallFile());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<Inspection> in =
      Inspect(*c, [](absl::string_view) { return false; });
  ASSERT_THAT(in, IsOk());
  EXPECT_THAT(FormatInspectionTable(*in), HasSubstr("0 of 3 tensors"));
  EXPECT_THAT(FormatInspectionJson(*in), HasSubstr("\"tensors\": [],"));
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
    refs.push_back({t.name, t.dtype, t.shape, Bytes(t.data)});
  }
  const std::string path = TempPath(name);
  EXPECT_THAT(WriteFile(path, refs, metadata), IsOk());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  EXPECT_THAT(c, IsOk());
  return *std::move(c);
}

TEST(Format, DiffIdentical) {
  const std::vector<T> ts = {{"a", Dtype::kU8, {2}, "xy"},
                             {"b", Dtype::kU16, {1}, "zz"}};
  Checkpoint a = Write("fsame_a.safetensors", ts, MetadataMap{{"k", "v"}});
  Checkpoint b = Write("fsame_b.safetensors", ts, MetadataMap{{"k", "v"}});
  absl::StatusOr<DiffResult> d = Diff(a, b);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(FormatDiff(*d),
            "summary\t2 in A, 2 in B: 2 identical, 0 differ, 0 only in A, 0 "
            "only in B\n");
}

TEST(Format, DiffEveryKind) {
  Checkpoint a = Write("fkinds_a.safetensors",
                       {{"only_a", Dtype::kU8, {1}, "a"},
                        {"dt", Dtype::kU8, {2}, "ab"},
                        {"sh", Dtype::kU8, {2}, "ab"},
                        {"co", Dtype::kU8, {2}, "ab"},
                        {"eq", Dtype::kU8, {2}, "ab"}},
                       MetadataMap{{"k", "v"}, {"gone", "1"}});
  Checkpoint b = Write("fkinds_b.safetensors",
                       {{"dt", Dtype::kI8, {2}, "ab"},
                        {"sh", Dtype::kU8, {1, 2}, "ab"},
                        {"co", Dtype::kU8, {2}, "aX"},
                        {"eq", Dtype::kU8, {2}, "ab"},
                        {"new\n", Dtype::kF32, {}, "abcd"}},
                       MetadataMap{{"k", "w"}});
  absl::StatusOr<DiffResult> d = Diff(a, b);
  ASSERT_THAT(d, IsOk());
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

TEST(PrettyPrintJson, Indents) {
  absl::StatusOr<std::string> p = PrettyPrintJson(
      R"({"__metadata__":{"k":"v\n"},"t":{"dtype":"F32","shape":[2,3],)"
      R"("data_offsets":[0,24]},"e":{},"a":[],"n":[1,[2,{"x":null}],true]})"
      "    ");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(*p, R"({
  "__metadata__": {
    "k": "v\n"
  },
  "t": {
    "dtype": "F32",
    "shape": [2, 3],
    "data_offsets": [0, 24]
  },
  "e": {},
  "a": [],
  "n": [
    1,
    [
      2,
      {
        "x": null
      }
    ],
    true
  ]
}
)");
}

TEST(PrettyPrintJson, Rejects) {
  EXPECT_THAT(PrettyPrintJson("{\"a\":}"),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(PrettyPrintJson("{} x"),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(PrettyPrintJson("\"\xff\""), StatusIs(ErrorKind::kInvalidHeader));
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
