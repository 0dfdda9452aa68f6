// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The C++ example of README.md, compiled and run (STYLE.md habit 3): the code
// between the README markers below is the README's C++ block, character for
// character, which the second test checks, so the two cannot drift apart.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
