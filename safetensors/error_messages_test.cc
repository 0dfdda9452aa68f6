// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The error messages that tell a user what to do: files that are not
// safetensors at all, truncated and over-long files, and the wording of
// header errors (docs/specification.md §11). Each case checks the exact
// kind, which these messages never change, and the part of the message that
// carries the advice, through every read path: SafeTensors::Parse in both
// profiles, File::Open with both backends, ReadHeader and ParseHeaderPrefix.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/file.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace {

using ::safetensors::test::MakeFile;
using ::safetensors::test::MakeFileWithN;
using ::safetensors::test::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

absl::Span<const uint8_t> AsBytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

struct Foreign {
  std::string name;
  std::string bytes;
  ErrorKind kind;
  std::string advice;  // a substring every read path's message must hold
};

std::vector<Foreign> ForeignFiles() {
  const std::string html =
      "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
      "<body>Entry not found</body></html>\n";
  // torch.save since PyTorch 1.6: a zip whose first entry is archive/data.pkl.
  const std::string zip =
      std::string("PK\x03\x04\x00\x00\x08\x08\x00\x00", 10) +
      "archive/data.pklFB\x00\x00";
  // A legacy torch.save: the pickled magic number 0x1950a86a20f9469cfc6c.
  const std::string pickle(
      "\x80\x02\x8a\x0al\xfc\x9c"
      "F\xf9 j\xa8P\x19.\x80\x02",
      17);
  const std::string lfs =
      "version https://git-lfs.github.com/spec/v1\n"
      "oid sha256:4d7a2146d3a4b6f4f1d8e2a0a1b2c3d4e5f60718293a4b5c6d7e8f9"
      "012345678\nsize 498000000\n";
  const std::string gguf =
      std::string("GGUF\x03\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00", 16);
  const std::string npy =
      std::string("\x93NUMPY\x01\x00v\x00", 10) +
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n";
  const std::string hdf5 =
      std::string("\x89HDF\r\n\x1a\n\x00\x00\x00\x00\x00\x08\x08\x00", 16);
  const std::string index =
      "{\n  \"metadata\": {\"total_size\": 71},\n  \"weight_map\": {}\n}\n";
  return {
      {"html", html, ErrorKind::kHeaderTooLarge,
       "this is an HTML web page, not a safetensors file: the download most "
       "likely failed"},
      {"html, lower case after whitespace", "\r\n  <html><body>Sign in",
       ErrorKind::kHeaderTooLarge, "check the URL and the access token"},
      {"zip", zip, ErrorKind::kHeaderTooLarge,
       "this is a zip archive, most likely a PyTorch checkpoint saved with "
       "torch.save, not a safetensors file; convert it"},
      // N = 0x04034b50: under the limit, so it is the length check that
      // fails.
      {"zip, N under the limit", std::string("PK\x03\x04\0\0\0\0PK", 10),
       ErrorKind::kInvalidHeaderLength, "this is a zip archive"},
      {"pickle", pickle, ErrorKind::kHeaderTooLarge,
       "this is a Python pickle (protocol 2), e.g. a legacy PyTorch .bin or "
       ".pt checkpoint"},
      {"pickle, 5 bytes", "\x80\x04K\x01.", ErrorKind::kHeaderTooSmall,
       "this is a Python pickle (protocol 4)"},
      // N = 0x280 = 640 and a header that is not JSON.
      {"pickle, N plausible",
       std::string("\x80\x02\0\0\0\0\0\0", 8) + std::string(640, 'q'),
       ErrorKind::kInvalidHeaderDeserialization,
       "this is a Python pickle (protocol 2)"},
      {"git lfs pointer", lfs, ErrorKind::kHeaderTooLarge,
       "this is a Git LFS pointer file, not the real file: run 'git lfs pull'"},
      {"gguf", gguf, ErrorKind::kHeaderTooLarge,
       "this is a GGUF file (llama.cpp's format), not a safetensors file"},
      {"npy", npy, ErrorKind::kHeaderTooLarge,
       "this is a NumPy .npy array, not a safetensors file"},
      {"hdf5", hdf5, ErrorKind::kHeaderTooLarge,
       "this is an HDF5 file (e.g. a Keras .h5 model)"},
      {"json index", index, ErrorKind::kHeaderTooLarge,
       "this is JSON text, not a safetensors file"},
      {"empty", "", ErrorKind::kHeaderTooSmall,
       "header too small: the file is empty (0 bytes)"},
  };
}

// Every read path gives the same kind and the advice.
TEST(ErrorMessages, ForeignFilesSayWhatTheyAre) {
  for (const Foreign& f : ForeignFiles()) {
    SCOPED_TRACE(f.name);
    for (Profile profile : {Profile::kStrict, Profile::kReference}) {
      ReadOptions options;
      options.profile = profile;
      const absl::Status parsed =
          SafeTensors::Parse(absl::string_view(f.bytes), options).status();
      EXPECT_THAT(parsed, StatusIs(f.kind));
      EXPECT_THAT(std::string(parsed.message()), HasSubstr(f.advice));
    }
    const std::string path = test::WriteWholeFile(
        test::TempPath(absl::StrCat("foreign_", f.name.size(), "_",
                                    f.bytes.size(), ".safetensors")),
        f.bytes);
    for (Backend backend : {Backend::kMmap, Backend::kPread}) {
      OpenOptions options;
      options.backend = backend;
      const absl::Status opened = File::Open(path, options).status();
      EXPECT_THAT(opened, StatusIs(f.kind));
      EXPECT_THAT(std::string(opened.message()), HasSubstr(path + ": "));
      EXPECT_THAT(std::string(opened.message()), HasSubstr(f.advice));
    }
    const absl::Status header = ReadHeader(path).status();
    EXPECT_THAT(header, StatusIs(f.kind));
    EXPECT_THAT(std::string(header.message()), HasSubstr(f.advice));
  }
}

TEST(ErrorMessages, UnrecognisedImplausibleLengthSaysNotSafetensors) {
  const std::string file("\x01\x02\x03\x04\x05\x06\x07\x08rest", 12);
  const absl::Status s = SafeTensors::Parse(absl::string_view(file)).status();
  EXPECT_THAT(s, StatusIs(ErrorKind::kHeaderTooLarge));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("most likely not a safetensors file (its first 8 "
                        "bytes are 01 02 03 04 05 06 07 08)"));
  // Under the format's limit but over the caller's: name the option.
  ReadOptions low;
  low.max_header_size = 10;
  const std::string big = MakeFile("{\"__metadata__\":{\"k\":\"v\"}}");
  const absl::Status l =
      SafeTensors::Parse(absl::string_view(big), low).status();
  EXPECT_THAT(l, StatusIs(ErrorKind::kHeaderTooLarge));
  EXPECT_THAT(std::string(l.message()),
              HasSubstr("ReadOptions::max_header_size is 10"));
}

TEST(ErrorMessages, HeaderCutShortSaysTruncated) {
  std::string file = MakeFile(
      "{\"t\":{\"dtype\":\"U8\",\"shape\":[1],"
      "\"data_offsets\":[0,1]}}",
      "x");
  file.resize(20);
  const absl::Status s = SafeTensors::Parse(absl::string_view(file)).status();
  EXPECT_THAT(s, StatusIs(ErrorKind::kInvalidHeaderLength));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the header is cut short, so the file is truncated (41 "
                        "bytes of the header missing)"));
  const absl::Status small =
      SafeTensors::Parse(absl::string_view("abc")).status();
  EXPECT_THAT(small, StatusIs(ErrorKind::kHeaderTooSmall));
  EXPECT_THAT(std::string(small.message()),
              HasSubstr("the file is 3 bytes, under the 8 of the length field; "
                        "it is truncated, or not a safetensors file"));
}

// A header whose first byte is '{' is never taken for another format, even
// when the length field's bytes happen to look like a magic number.
TEST(ErrorMessages, SafetensorsHeadersAreNotSniffed) {
  const std::string header = "{\"t\":";  // truncated JSON
  const std::string file = MakeFile(header);
  const absl::Status s = SafeTensors::Parse(absl::string_view(file)).status();
  EXPECT_THAT(s, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(std::string(s.message()), Not(HasSubstr("this is")));
}

std::string U8Tensor(uint64_t size) {
  return absl::StrCat("{\"t\":{\"dtype\":\"U8\",\"shape\":[", size,
                      "],\"data_offsets\":[0,", size, "]}}");
}

TEST(ErrorMessages, TruncatedFileSaysByHowMuch) {
  // 4 GiB described, 1 GiB present: through the header-only paths, which
  // take the file's size rather than its bytes.
  const std::string header = U8Tensor(uint64_t{1} << 32);
  const uint64_t file_size = 8 + header.size() + (uint64_t{1} << 30);
  const std::string want =
      "the file is truncated: the header describes 4,294,967,296 bytes of "
      "tensor data but only 1,073,741,824 are present (3.00 GiB missing); an "
      "incomplete download or a full disk?";
  const absl::StatusOr<Header> h = Header::Parse(header, file_size);
  EXPECT_THAT(h.status(), StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_THAT(std::string(h.status().message()), HasSubstr(want));
  const std::string prefix = MakeFile(header);
  const absl::StatusOr<Header> p =
      ParseHeaderPrefix(AsBytes(prefix), file_size);
  EXPECT_THAT(p.status(), StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_THAT(std::string(p.status().message()), HasSubstr(want));

  // A small file, in memory and on disk.
  const std::string file = MakeFile(U8Tensor(4), "x");
  const absl::Status s = SafeTensors::Parse(absl::string_view(file)).status();
  EXPECT_THAT(s, StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the file is truncated: the header describes 4 bytes "
                        "of tensor data but only 1 are present (3 bytes "
                        "missing)"));
  const std::string path =
      test::WriteWholeFile(test::TempPath("truncated.safetensors"), file);
  EXPECT_THAT(std::string(File::Open(path).status().message()),
              HasSubstr("(3 bytes missing)"));
}

TEST(ErrorMessages, OverLongFileSaysHowManyTrailingBytes) {
  const std::string file = MakeFile(U8Tensor(4), "abcdef");
  const absl::Status s = SafeTensors::Parse(absl::string_view(file)).status();
  EXPECT_THAT(s, StatusIs(ErrorKind::kMetadataIncompleteBuffer));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the header describes 4 bytes of tensor data but 6 "
                        "follow the header: 2 bytes after the last tensor's "
                        "data"));
  const std::string one = MakeFile(U8Tensor(4), "abcde");
  EXPECT_THAT(
      std::string(
          SafeTensors::Parse(absl::string_view(one)).status().message()),
      HasSubstr(": 1 byte after the last tensor's data"));
  // Large counts get a unit too.
  const std::string header = U8Tensor(10);
  const absl::StatusOr<Header> h =
      Header::Parse(header, 8 + header.size() + 10 + (uint64_t{3} << 20));
  EXPECT_THAT(std::string(h.status().message()),
              HasSubstr("but 3,145,738 follow the header: 3.00 MiB after"));
}

TEST(ErrorMessages, EmptyHeaderSaysSo) {
  for (Profile profile : {Profile::kStrict, Profile::kReference}) {
    ReadOptions options;
    options.profile = profile;
    const std::string file = MakeFileWithN(0, "");
    const absl::Status s =
        SafeTensors::Parse(absl::string_view(file), options).status();
    EXPECT_THAT(s, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
    EXPECT_THAT(std::string(s.message()),
                HasSubstr("the header is empty (N = 0)"));
  }
}

// "invalid JSON" is for text that is not JSON; well-formed JSON that breaks
// the schema says so instead.
TEST(ErrorMessages, InvalidJsonOnlyForSyntaxErrors) {
  struct Case {
    std::string header;
    bool syntax;
  };
  const std::vector<Case> cases = {
      {"{\"t\":", true},
      {"{\"t\" 1}", true},
      {"{} x", true},
      {"{}\tx", true},
      {"[]", false},
      {"{\"t\":1}", false},
      {"{\"t\":{\"dtype\":\"F99\",\"shape\":[],\"data_offsets\":[0,0]}}",
       false},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}",
       false},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[]}}", false},
      {"{\"__metadata__\":{\"k\":1}}", false},
      {"{\"__metadata__\":{},\"__metadata__\":{}}", false},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[[1]],\"data_offsets\":[0,4]}}",
       false},
  };
  for (const Case& c : cases) {
    for (Profile profile : {Profile::kStrict, Profile::kReference}) {
      SCOPED_TRACE(absl::StrCat(c.header, profile == Profile::kStrict
                                              ? " [strict]"
                                              : " [reference]"));
      ReadOptions options;
      options.profile = profile;
      const std::string file = MakeFile(c.header);
      const absl::Status s =
          SafeTensors::Parse(absl::string_view(file), options).status();
      EXPECT_THAT(s, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
      const std::string message(s.message());
      if (c.syntax) {
        EXPECT_THAT(message, HasSubstr("invalid JSON in header at byte"));
      } else {
        EXPECT_THAT(message, Not(HasSubstr("invalid JSON")));
        EXPECT_THAT(message, HasSubstr("header schema error at byte"));
      }
      EXPECT_THAT(message, Not(HasSubstr("--profile=reference")));
    }
  }
}

}  // namespace
}  // namespace safetensors
