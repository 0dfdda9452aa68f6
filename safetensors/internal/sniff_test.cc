// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/sniff.h"

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/status.h"

namespace safetensors {
namespace internal {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Span<const uint8_t> Bytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

ForeignFormat Sniff(absl::string_view s) {
  return SniffForeignFormat(Bytes(s), s.size());
}

TEST(Sniff, RecognisesEachFormat) {
  using F = ForeignFormat;
  EXPECT_EQ(Sniff(""), F::kEmpty);
  EXPECT_EQ(Sniff("<!DOCTYPE html><html>"), F::kHtml);
  EXPECT_EQ(Sniff("<!doctype html>"), F::kHtml);
  EXPECT_EQ(Sniff("\r\n  \t<HTML lang=en>"), F::kHtml);
  EXPECT_EQ(Sniff("<html><head>"), F::kHtml);
  EXPECT_EQ(Sniff("\xEF\xBB\xBF<!DOCTYPE html>"), F::kHtml);
  EXPECT_EQ(Sniff(std::string("PK\x03\x04\x14\x00\x00\x00", 8)), F::kZip);
  for (char protocol : {'\x02', '\x03', '\x04', '\x05'}) {
    EXPECT_EQ(Sniff(std::string("\x80") + protocol + "K\x01."), F::kPickle);
  }
  EXPECT_EQ(Sniff("version https://git-lfs.github.com/spec/v1\noid sha256:"),
            F::kGitLfsPointer);
  EXPECT_EQ(Sniff(std::string("GGUF\x03\x00\x00\x00", 8)), F::kGguf);
  EXPECT_EQ(Sniff("\x93NUMPY\x01\x00v\x00{'descr'"), F::kNumpy);
  EXPECT_EQ(Sniff("\x89HDF\r\n\x1a\n"), F::kHdf5);
  EXPECT_EQ(Sniff("{\n  \"metadata\": {}"), F::kJson);
  EXPECT_EQ(Sniff("  [1, 2]"), F::kJson);
}

TEST(Sniff, LeavesEverythingElseUnknown) {
  using F = ForeignFormat;
  // A plausible safetensors prefix: N = 2, then "{}".
  EXPECT_EQ(Sniff(std::string("\x02\0\0\0\0\0\0\0{}", 10)), F::kUnknown);
  EXPECT_EQ(Sniff("PK\x03"), F::kUnknown);         // too short for the magic
  EXPECT_EQ(Sniff("\x80\x01stuff"), F::kUnknown);  // protocol 1 has no marker
  EXPECT_EQ(Sniff("\x80\x06stuff"), F::kUnknown);  // no protocol 6 (yet)
  EXPECT_EQ(Sniff("version 1.0"), F::kUnknown);
  EXPECT_EQ(Sniff("gguf"), F::kUnknown);  // the magic is case-sensitive
  EXPECT_EQ(Sniff("<htm"), F::kUnknown);
  EXPECT_EQ(Sniff("   "), F::kUnknown);
  // A non-empty file whose first bytes the caller does not have.
  EXPECT_EQ(SniffForeignFormat({}, 100), F::kUnknown);
}

TEST(Sniff, DescribesWhatToDo) {
  const auto describe = [](absl::string_view s) {
    return DescribeForeignFormat(Sniff(s), Bytes(s));
  };
  EXPECT_THAT(describe(""), HasSubstr("the file is empty"));
  EXPECT_THAT(describe("<html>"), HasSubstr("check the URL"));
  EXPECT_THAT(describe("<html>"), HasSubstr("access token"));
  EXPECT_THAT(describe("PK\x03\x04"), HasSubstr("torch.save"));
  EXPECT_THAT(describe("PK\x03\x04"), HasSubstr("safetensors.torch.save_file"));
  EXPECT_THAT(describe("\x80\x04\x95"),
              HasSubstr("Python pickle (protocol 4)"));
  EXPECT_THAT(describe("version https://git-lfs"), HasSubstr("git lfs pull"));
  EXPECT_THAT(describe("GGUF"), HasSubstr("llama.cpp"));
  EXPECT_THAT(describe("\x93NUMPY"), HasSubstr("NumPy .npy"));
  EXPECT_THAT(describe("\x89HDF\r\n\x1a\n"), HasSubstr("HDF5"));
  EXPECT_THAT(describe("{}"), HasSubstr("Checkpoint::Open"));
  EXPECT_THAT(DescribeForeignFormat(ForeignFormat::kUnknown, {}), IsEmpty());
}

TEST(Sniff, DiagnosisKeepsCodeAndKind) {
  const absl::Status base =
      MakeError(ErrorKind::kHeaderTooLarge, "header too large: N = 1");
  const absl::Status got =
      WithForeignFileDiagnosis(base, Bytes("GGUF\x03"), 1000);
  EXPECT_EQ(got.code(), base.code());
  EXPECT_EQ(ErrorKindOf(got), ErrorKind::kHeaderTooLarge);
  EXPECT_THAT(std::string(got.message()),
              ::testing::StartsWith("header too large: N = 1; this is a GGUF"));
  // Unrecognised bytes and OK statuses pass through unchanged.
  EXPECT_EQ(WithForeignFileDiagnosis(base, Bytes("\x01\x02"), 1000), base);
  EXPECT_TRUE(WithForeignFileDiagnosis(absl::OkStatus(), Bytes(""), 0).ok());
}

TEST(Sniff, HeaderTextDiagnosisOnlyWhenTheHeaderIsNotAnObject) {
  const absl::Status json = MakeError(ErrorKind::kInvalidHeaderDeserialization,
                                      "invalid JSON in header at byte 0");
  // "\x80\x02" and then zeros: N = 0x280 with a header that is not JSON.
  std::string pickle("\x80\x02\0\0\0\0\0\0", 8);
  pickle += "q\x00}q\x01";
  EXPECT_THAT(
      std::string(WithHeaderTextDiagnosis(json, Bytes(pickle), 648).message()),
      HasSubstr("Python pickle (protocol 2)"));
  // A header that starts with '{' (after whitespace) is a safetensors
  // header with some other defect: nothing is added.
  std::string header("\x80\x02\0\0\0\0\0\0", 8);
  header += " \n{\"a\":";
  EXPECT_EQ(WithHeaderTextDiagnosis(json, Bytes(header), 648), json);
  // Kinds other than the header text's are left alone.
  const absl::Status offset = MakeError(ErrorKind::kInvalidOffset, "offset");
  EXPECT_EQ(WithHeaderTextDiagnosis(offset, Bytes(pickle), 648), offset);
  EXPECT_THAT(std::string(WithHeaderTextDiagnosis(
                              MakeError(ErrorKind::kInvalidHeader, "utf-8"),
                              Bytes(pickle), 648)
                              .message()),
              EndsWith("safetensors.torch.save_file"));
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
