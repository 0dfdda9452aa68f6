// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The C++ example of README.md, compiled and run: the code between the
// README markers below is the README's C++ block, character for character,
// which the second test checks, so the two cannot drift apart.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/safetensors.h"
#include "safetensors/testing/status_matchers.h"

namespace {

// README begin
// Reads "embed.weight" from a file, doubles it, and writes it to a new file.
absl::Status DoubleEmbedding(const std::string& in, const std::string& out) {
  // Open: the file is memory-mapped, its header parsed and validated.
  absl::StatusOr<safetensors::File> file = safetensors::File::Open(in);
  if (!file.ok()) return file.status();  // IoError, InvalidHeader..., etc.

  // Look up: a view of the tensor's little-endian bytes, no copy.
  absl::StatusOr<safetensors::TensorView> embed = file->Tensor("embed.weight");
  if (!embed.ok()) return embed.status();  // TensorNotFound

  // Read in host order: a copy, byte-swapped on a big-endian host.
  absl::StatusOr<std::vector<float>> values =
      safetensors::ReadAs<float>(*embed);
  if (!values.ok()) return values.status();  // not F32
  for (float& v : *values) v *= 2;

  // Write: host-order values in, little-endian file out, atomically. The
  // descriptor owns its name and shape; the bytes must outlive the call.
  const std::vector<safetensors::TensorRef> tensors = {
      {"embed.weight", safetensors::Dtype::kF32, embed->shape(),
       absl::Span<const uint8_t>(
           reinterpret_cast<const uint8_t*>(values->data()),
           values->size() * sizeof(float))}};
  return safetensors::WriteFile(out, tensors);
}
// README end

// safetensors/safetensors.h shows this code, formatted for 75 columns
// (UmbrellaHeaderShowsTheGuide).
// clang-format off
// guide begin
absl::Status Guide(const std::string& path, const std::string& out) {
  // Open a file: mapped read-only, header parsed and validated. Views
  // point into `file`: keep it alive while they are used.
  absl::StatusOr<safetensors::File> file = safetensors::File::Open(path);
  if (!file.ok()) return file.status();  // ErrorKindOf: status.h's kinds

  // Look a tensor up (O(1)): a view of its little-endian bytes, no copy.
  absl::StatusOr<safetensors::TensorView> w = file->Tensor("embed.weight");
  if (!w.ok()) return w.status();

  // Values in host order (a swapping copy on big-endian hosts), or in
  // place where the bytes already are floats (else InvalidTensorView,
  // saying why).
  absl::StatusOr<std::vector<float>> values =
      safetensors::ReadAs<float>(*w);
  absl::StatusOr<absl::Span<const float>> in_place =
      safetensors::ViewAs<float>(*w);

  // Any of BF16, F16, the F8 types, integers and BOOL as floats
  // (convert.h).
  absl::StatusOr<std::vector<float>> as_float =
      safetensors::ReadAsFloat(*w);

  // A slice in host order: row 1, and Python's x[-1, 1:].
  absl::StatusOr<std::vector<float>> row =
      safetensors::ReadSliceAs<float>(*w, {safetensors::Index(1)});
  absl::StatusOr<std::vector<float>> last =
      safetensors::ReadSliceAs<float>(
          *w, {safetensors::PyIndexer::Index(-1),
               safetensors::PyIndexer::Slice(1, std::nullopt)});

  // Every tensor, in the order of their bytes in the file.
  uint64_t bytes = 0;
  for (const safetensors::TensorView& t : file->Tensors()) {
    bytes += t.byte_size();
  }

  // Lazy: only the header now; each tensor read with pread when asked.
  absl::StatusOr<safetensors::LazyFile> lazy =
      safetensors::LazyFile::Open(path);
  if (!lazy.ok()) return lazy.status();
  absl::StatusOr<std::vector<float>> read =
      lazy->ReadAs<float>("embed.weight");

  // A whole model (a file, an index or a directory) into owned buffers.
  absl::StatusOr<safetensors::TensorMap> model =
      safetensors::LoadFile(path);

  // Write atomically. Descriptors own their name and shape; the bytes must
  // outlive the call. TensorRef(view) copies a tensor as it is in the
  // file.
  if (!values.ok()) return values.status();
  const std::vector<safetensors::TensorRef> tensors = {
      *w,
      {"embed.copy", safetensors::Dtype::kF32, w->shape(),
       absl::Span<const uint8_t>(
           reinterpret_cast<const uint8_t*>(values->data()),
           values->size() * sizeof(float))}};
  const safetensors::MetadataMap metadata = {
      {"source_bytes", std::to_string(bytes)}};
  return safetensors::WriteFile(out, tensors, metadata);
}
// guide end
// clang-format on

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::testing::ElementsAre;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Usage, ReadmeExampleRuns) {
  const std::string out = ::testing::TempDir() + "/doubled.safetensors";
  ASSERT_THAT(DoubleEmbedding("examples/tiny.safetensors", out), IsOk());
  absl::StatusOr<safetensors::File> file = safetensors::File::Open(out);
  ASSERT_THAT(file, IsOk());
  absl::StatusOr<safetensors::TensorView> t = file->Tensor("embed.weight");
  ASSERT_THAT(t, IsOk());
  EXPECT_THAT(t->shape(), ElementsAre(2, 3));
  absl::StatusOr<std::vector<float>> v = safetensors::ReadAs<float>(*t);
  ASSERT_THAT(v, IsOk());
  EXPECT_THAT(*v, ElementsAre(0, 1, 2, 3, 4, 5));
  // The file's bytes are little-endian on every host: 1.0f is 00 00 80 3f.
  EXPECT_EQ(t->data()[4], 0x00);
  EXPECT_EQ(t->data()[7], 0x3f);

  EXPECT_THAT(
      DoubleEmbedding("examples/missing.safetensors", out),
      StatusIs(absl::StatusCode::kNotFound, safetensors::ErrorKind::kIoError));
  EXPECT_THAT(
      DoubleEmbedding(out + ".none", out),
      StatusIs(absl::StatusCode::kNotFound, safetensors::ErrorKind::kIoError));
}

// The usage guide at the top of safetensors/safetensors.h, run.
TEST(Usage, GuideRuns) {
  const std::string out = ::testing::TempDir() + "/guide.safetensors";
  ASSERT_THAT(Guide("examples/tiny.safetensors", out), IsOk());
  absl::StatusOr<safetensors::File> file = safetensors::File::Open(out);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->size(), 2u);
  absl::StatusOr<std::vector<float>> copy =
      safetensors::ReadAs<float>(*file->Tensor("embed.copy"));
  ASSERT_THAT(copy, IsOk());
  absl::StatusOr<safetensors::File> in =
      safetensors::File::Open("examples/tiny.safetensors");
  ASSERT_THAT(in, IsOk());
  EXPECT_EQ(*copy, *safetensors::ReadAs<float>(*in->Tensor("embed.weight")));
  // The tensor copied by TensorRef(view) has the source's bytes.
  EXPECT_EQ(file->Tensor("embed.weight")->data(),
            in->Tensor("embed.weight")->data());
  ASSERT_TRUE(file->metadata().has_value());
  EXPECT_EQ(file->metadata()->at("source_bytes"), "71");
  EXPECT_THAT(
      Guide("examples/missing.safetensors", out),
      StatusIs(absl::StatusCode::kNotFound, safetensors::ErrorKind::kIoError));
}

// The umbrella header shows exactly the code of Guide above, as a comment.
TEST(Usage, UmbrellaHeaderShowsTheGuide) {
  const std::string source = ReadText("safetensors/usage_test.cc");
  const std::string begin = "// guide begin\n", end = "// guide end\n";
  const size_t from = source.find(begin);
  const size_t to = source.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  std::string comment;
  for (absl::string_view line : absl::StrSplit(
           source.substr(from + begin.size(), to - from - begin.size()),
           '\n')) {
    if (line.empty()) {
      comment += "//\n";
    } else {
      absl::StrAppend(&comment, "//   ", line, "\n");
    }
  }
  comment.resize(comment.size() - 3);  // the split's last, empty piece
  const std::string header = ReadText("safetensors/safetensors.h");
  EXPECT_NE(header.find(comment), std::string::npos)
      << "safetensors/safetensors.h's usage guide differs from Guide() in "
         "safetensors/usage_test.cc; it should read:\n"
      << comment;
}

// The README's C++ block is the code between the markers above.
TEST(Usage, ReadmeShowsThisCode) {
  const std::string source = ReadText("safetensors/usage_test.cc");
  const std::string begin = "// README begin\n", end = "// README end\n";
  const size_t from = source.find(begin);
  const size_t to = source.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const std::string code =
      source.substr(from + begin.size(), to - from - begin.size());
  const std::string readme = ReadText("README.md");
  EXPECT_NE(readme.find("```cpp\n" + code + "```\n"), std::string::npos)
      << "README.md's C++ block differs from safetensors/usage_test.cc:\n"
      << code;
}

}  // namespace
