// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The writer against every writer vector of conformance/manifest.json
// (docs/specification.md §13 and §19): Serialize and WriteFile must give
// exactly the committed bytes, or the expected error kind. The expected bytes
// come from gen.py's own model of the reference writer.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "conformance/manifest.h"
#include "safetensors/dtype.h"
#include "safetensors/header.h"
#include "safetensors/status.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace conformance {
namespace {

std::vector<const WriterVector*> AllWrites() {
  std::vector<const WriterVector*> out;
  for (const WriterVector& w : LoadManifest().writes) out.push_back(&w);
  return out;
}

std::string WriteName(
    const ::testing::TestParamInfo<const WriterVector*>& info) {
  return info.param->id;
}

// The inputs of one vector as the writer's argument types; views into `w`.
struct Inputs {
  std::vector<TensorRef> tensors;
  std::optional<MetadataMap> metadata;
  WriteOptions options;
};

Inputs MakeInputs(const WriterVector& w) {
  Inputs in;
  for (const WriterVector::Tensor& t : w.tensors) {
    const std::optional<Dtype> dtype = DtypeFromName(t.dtype);
    EXPECT_TRUE(dtype.has_value()) << t.dtype;
    TensorRef ref;
    ref.name = t.name;
    ref.dtype = dtype.value_or(Dtype::kU8);
    ref.shape = t.shape;
    ref.data = absl::MakeConstSpan(
        reinterpret_cast<const uint8_t*>(t.data.data()), t.data.size());
    in.tensors.push_back(ref);
  }
  if (w.metadata.has_value()) {
    in.metadata.emplace();
    for (const auto& [key, value] : *w.metadata) (*in.metadata)[key] = value;
  }
  in.options.alignment = w.alignment;
  // The vectors give each tensor's bytes as they stand in the file.
  in.options.data_order = ByteOrder::kLittleEndian;
  return in;
}

std::string TempPath(absl::string_view name) {
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  return absl::StrCat(dir, name);
}

class ConformanceWriter : public ::testing::TestWithParam<const WriterVector*> {
};

TEST_P(ConformanceWriter, SerializeAndWriteFile) {
  const WriterVector& w = *GetParam();
  SCOPED_TRACE(absl::StrCat(w.id, ": ", w.description));
  const Inputs in = MakeInputs(w);

  absl::StatusOr<std::string> bytes =
      Serialize(in.tensors, in.metadata, in.options);
  const std::string path = TempPath(w.id + ".safetensors");
  const absl::Status written =
      WriteFile(path, in.tensors, in.metadata, in.options);

  if (w.expect_error) {
    ASSERT_FALSE(bytes.ok())
        << "wrote " << bytes->size() << " bytes; expected " << w.kind;
    const std::optional<ErrorKind> kind = ErrorKindOf(bytes.status());
    ASSERT_TRUE(kind.has_value()) << bytes.status();
    EXPECT_EQ(ErrorKindName(*kind), w.kind) << bytes.status();
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(ErrorKindOf(written), kind) << written;
    EXPECT_FALSE(ReadWholeFile(path).ok()) << "a failed write left " << path;
    return;
  }
  absl::StatusOr<std::string> expected =
      ReadWholeFile(absl::StrCat(ConformanceDir(), "/", w.expected_file));
  ASSERT_TRUE(expected.ok()) << expected.status();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, *expected);
  ASSERT_TRUE(written.ok()) << written;
  absl::StatusOr<std::string> on_disk = ReadWholeFile(path);
  ASSERT_TRUE(on_disk.ok()) << on_disk.status();
  EXPECT_EQ(*on_disk, *expected);
}

INSTANTIATE_TEST_SUITE_P(Writes, ConformanceWriter,
                         ::testing::ValuesIn(AllWrites()), WriteName);

}  // namespace
}  // namespace conformance
}  // namespace safetensors
