// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/inspect.h"

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/index.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::MakeFile;
using ::safetensors::test::StatusIs;
using ::testing::HasSubstr;

std::string TempFile(absl::string_view name, absl::string_view bytes) {
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  const std::string path = absl::StrCat(dir, name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
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
  EXPECT_EQ(some->tensors.size(), 2u);
  EXPECT_EQ(some->selected_bytes, 16u);
  EXPECT_THAT(FormatInspectionTable(*some),
              HasSubstr("2 of 3 tensors selected"));
  EXPECT_THAT(FormatInspectionTable(*some), HasSubstr("total        2"));
}

TEST(Inspect, EmptySelection) {
  const std::string path = TempFile("inspect_none.safetensors", SmallFile());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<Inspection> in =
      Inspect(*c, [](absl::string_view) { return false; });
  ASSERT_THAT(in, IsOk());
  EXPECT_THAT(FormatInspectionTable(*in), HasSubstr("0 of 3 tensors"));
  EXPECT_THAT(FormatInspectionJson(*in), HasSubstr("\"tensors\": [],"));
}

TEST(HumanBytes, Units) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1024), "1 KiB");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(uint64_t{256} << 20), "256 MiB");
  EXPECT_EQ(HumanBytes(14483464192), "13.5 GiB");
  EXPECT_EQ(HumanBytes(UINT64_MAX), "16 EiB");
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
