// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Tests of file.h: every way of reading a file (span, mmap, pread, header
// only) is compared against one model, the canonical dump of the same bytes
// parsed from memory; then the errors of each path.

#include "safetensors/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/host_order.h"
#include "safetensors/reader.h"
#include "safetensors/slice.h"
#include "safetensors/status.h"
#include "safetensors/testing/huge_file.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::MakeFile;
using ::safetensors::test::MakeFileWithN;
using ::safetensors::test::StatusIs;
using ::testing::HasSubstr;

constexpr Backend kBackends[] = {Backend::kMmap, Backend::kPread,
                                 Backend::kMmapCopyOnWrite};
constexpr Profile kProfiles[] = {Profile::kStrict, Profile::kReference};

const char* BackendName(Backend backend) {
  switch (backend) {
    case Backend::kMmap:
      return "mmap";
    case Backend::kPread:
      return "pread";
    case Backend::kMmapCopyOnWrite:
      return "mmap copy-on-write";
  }
  return "?";
}

// A path for `name` in the test's private temporary directory.
std::string TempPath(absl::string_view name) {
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  return absl::StrCat(dir, name);
}

// Writes `bytes` to `path`, replacing any file there, and returns the path.
std::string WriteFile(const std::string& path, absl::string_view bytes) {
  unlink(path.c_str());
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_GE(fd, 0) << path << ": " << std::strerror(errno);
  if (fd < 0) return path;
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    EXPECT_GT(n, 0) << path << ": " << std::strerror(errno);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  EXPECT_EQ(close(fd), 0);
  return path;
}

absl::Span<const uint8_t> AsBytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

// Every fact a Header holds, one per line, for comparing a header read alone
// (ReadHeader) with the header of a full parse.
std::string Summary(const Header& header) {
  std::string out = absl::StrCat("header_size ", header.header_size(),
                                 "\ndata_size ", header.data_size(), "\n");
  if (header.metadata().has_value()) {
    for (const auto& [key, value] : *header.metadata()) {
      out += "meta ";
      AppendJsonString(key, &out);
      out += ' ';
      AppendJsonString(value, &out);
      out += '\n';
    }
  } else {
    out += "no metadata\n";
  }
  for (const TensorInfo& info : header.tensors()) {
    out += "tensor ";
    AppendJsonString(info.name, &out);
    absl::StrAppend(&out, " ", DtypeName(info.dtype), " [");
    for (size_t i = 0; i < info.shape.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : ",", info.shape[i]);
    }
    absl::StrAppend(&out, "] ", info.begin, " ", info.end, "\n");
    const TensorInfo* found = header.Find(info.name);
    EXPECT_EQ(found, &info) << info.name;
  }
  return out;
}

// A valid file with metadata, several dtypes, a scalar, an empty tensor and a
// name with an escape, so that every field of the dump is exercised.
std::string ModelFile() {
  const std::string header =
      R"({"__metadata__":{"format":"pt","k\tey":"v"},)"
      R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("s":{"dtype":"F64","shape":[],"data_offsets":[8,16]},)"
      R"("e":{"dtype":"I32","shape":[0,3],"data_offsets":[16,16]},)"
      R"("b\n":{"dtype":"U8","shape":[3],"data_offsets":[16,19]}})";
  std::string data;
  for (int i = 0; i < 19; ++i) data += static_cast<char>(i * 13 + 1);
  return MakeFile(header, data);
}

// Views point into the File: the accessors that hand them out exist only on
// lvalues, so a File that would die at the end of the statement cannot give
// out a view. (Detected here without compiling the bad code.)
template <typename F, typename = void>
struct CanGetTensor : std::false_type {};
template <typename F>
struct CanGetTensor<F, std::void_t<decltype(std::declval<F>().Tensor("w"))>>
    : std::true_type {};
template <typename F, typename = void>
struct CanGetTensors : std::false_type {};
template <typename F>
struct CanGetTensors<F, std::void_t<decltype(std::declval<F>().Tensors())>>
    : std::true_type {};
template <typename F, typename = void>
struct CanGetBytes : std::false_type {};
template <typename F>
struct CanGetBytes<F, std::void_t<decltype(std::declval<F>().bytes())>>
    : std::true_type {};
template <typename F, typename = void>
struct CanGetParsed : std::false_type {};
template <typename F>
struct CanGetParsed<F, std::void_t<decltype(std::declval<F>().parsed())>>
    : std::true_type {};

TEST(MappedFileTest, ViewsComeOnlyFromALivingFile) {
  static_assert(CanGetTensor<const File&>::value);
  static_assert(CanGetTensor<File&>::value);
  static_assert(!CanGetTensor<File&&>::value);
  static_assert(!CanGetTensor<const File&&>::value);
  static_assert(CanGetTensors<const File&>::value);
  static_assert(!CanGetTensors<File&&>::value);
  static_assert(CanGetBytes<const File&>::value);
  static_assert(!CanGetBytes<File&&>::value);
  static_assert(CanGetParsed<const File&>::value);
  static_assert(!CanGetParsed<File&&>::value);
  // What does not hand out a view works on a temporary too.
  const std::string path =
      WriteFile(TempPath("rvalue.safetensors"), ModelFile());
  EXPECT_EQ(File::Open(path).value().size(), 4u);
  EXPECT_TRUE(File::Open(path).value().Contains("w"));
}

// Bytes this process has read through read/pread so far (/proc/self/io
// "rchar"; reading that file itself adds its own few hundred bytes).
uint64_t BytesReadSoFar() {
  std::ifstream io("/proc/self/io");
  std::string key;
  uint64_t value = 0;
  while (io >> key >> value) {
    if (key == "rchar:") return value;
  }
  ADD_FAILURE() << "no rchar in /proc/self/io";
  return 0;
}

TEST(LazyFileTest, ReadsTensorsOnDemand) {
  const std::string path = WriteFile(TempPath("lazy.safetensors"), ModelFile());
  absl::StatusOr<LazyFile> lazy = LazyFile::Open(path);
  ASSERT_THAT(lazy, IsOk());
  absl::StatusOr<File> mapped = File::Open(path);
  ASSERT_THAT(mapped, IsOk());
  EXPECT_EQ(lazy->header().tensors().size(), 4u);
  EXPECT_EQ(lazy->file_size(), mapped->bytes().size());
  ASSERT_TRUE(lazy->header().metadata().has_value());
  for (const TensorView& t : mapped->Tensors()) {
    SCOPED_TRACE(t.name());
    absl::StatusOr<std::vector<uint8_t>> bytes = lazy->Read(t.name());
    ASSERT_THAT(bytes, IsOk());
    EXPECT_EQ(*bytes, std::vector<uint8_t>(t.data().begin(), t.data().end()));
  }
  absl::StatusOr<std::vector<double>> s = lazy->ReadAs<double>("s");
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(*s, *ReadAs<double>(*mapped->Tensor("s")));
  absl::StatusOr<std::vector<uint8_t>> b = lazy->ReadAs<uint8_t>("b\n");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->size(), 3u);
  // Errors: a missing name, another type, a buffer of the wrong size.
  EXPECT_THAT(lazy->Read("nope"), StatusIs(ErrorKind::kTensorNotFound));
  EXPECT_THAT(lazy->ReadAs<float>("s"),
              StatusIs(ErrorKind::kInvalidTensorView));
  std::vector<uint8_t> small(7);
  EXPECT_THAT(lazy->ReadInto("w", absl::MakeSpan(small)),
              StatusIs(ErrorKind::kInvalidTensorView));
  // Moving keeps the header and the descriptor.
  LazyFile moved = *std::move(lazy);
  EXPECT_THAT(moved.ReadAs<double>("s"), IsOk());
  EXPECT_EQ(moved.header().Find("w")->dtype, Dtype::kF32);
}

// Any part of a tensor, and nothing outside it.
TEST(LazyFileTest, ReadRangeIntoReadsPartOfATensor) {
  const std::string path =
      WriteFile(TempPath("lazy_range.safetensors"), ModelFile());
  absl::StatusOr<LazyFile> lazy = LazyFile::Open(path);
  ASSERT_THAT(lazy, IsOk());
  absl::StatusOr<File> mapped = File::Open(path);
  ASSERT_THAT(mapped, IsOk());
  for (const TensorView& t : mapped->Tensors()) {
    SCOPED_TRACE(t.name());
    const size_t size = t.byte_size();
    for (size_t begin = 0; begin <= size; ++begin) {
      for (size_t end = begin; end <= size; ++end) {
        std::vector<uint8_t> part(end - begin, 0xEE);
        ASSERT_THAT(lazy->ReadRangeInto(t.name(), begin, absl::MakeSpan(part)),
                    IsOk());
        ASSERT_EQ(part, std::vector<uint8_t>(t.data().begin() + begin,
                                             t.data().begin() + end))
            << begin << ".." << end;
      }
    }
    std::vector<uint8_t> one(1);
    EXPECT_THAT(lazy->ReadRangeInto(t.name(), size, absl::MakeSpan(one)),
                StatusIs(ErrorKind::kInvalidTensorView));
    std::vector<uint8_t> all(size + 1);
    EXPECT_THAT(lazy->ReadRangeInto(t.name(), 0, absl::MakeSpan(all)),
                StatusIs(ErrorKind::kInvalidTensorView));
    EXPECT_THAT(
        lazy->ReadRangeInto(t.name(), ~uint64_t{0}, absl::MakeSpan(one)),
        StatusIs(ErrorKind::kInvalidTensorView));
    EXPECT_THAT(lazy->ReadRangeInto(t.name(), size + 1, {}),
                StatusIs(ErrorKind::kInvalidTensorView));
  }
  EXPECT_THAT(lazy->ReadRangeInto("nope", 0, {}),
              StatusIs(ErrorKind::kTensorNotFound));
}

TEST(LazyFileTest, OpenFailsAsFileOpenDoes) {
  EXPECT_THAT(LazyFile::Open(TempPath("no-such.safetensors")),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  const std::string bad =
      WriteFile(TempPath("lazy-bad.safetensors"), MakeFile("{\"a\":1}", ""));
  EXPECT_THAT(LazyFile::Open(bad),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  const std::string shortfile =
      WriteFile(TempPath("lazy-short.safetensors"), "abc");
  EXPECT_THAT(LazyFile::Open(shortfile), StatusIs(ErrorKind::kHeaderTooSmall));
}

// A 1 GiB file (sparse: its data is a hole) opened lazily reads only the
// header; reading one small tensor reads that tensor, not the file.
TEST(LazyFileTest, OpeningAGibibyteFileReadsOnlyItsHeader) {
  const uint64_t big = uint64_t{1} << 30;
  const std::string header = absl::StrCat(
      R"({"small":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)",
      R"("big":{"dtype":"U8","shape":[)", big, R"(],"data_offsets":[16,)",
      16 + big, "]}}");
  std::string small;
  for (float v : {1.0f, 2.0f, 3.0f, 4.0f}) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int i = 0; i < 4; ++i)
      small.push_back(static_cast<char>(bits >> (8 * i)));
  }
  const std::string path =
      WriteFile(TempPath("lazy-big.safetensors"), MakeFile(header, small));
  const uint64_t total = 8 + header.size() + 16 + big;
  ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(total)), 0);

  const uint64_t before_open = BytesReadSoFar();
  absl::StatusOr<LazyFile> lazy = LazyFile::Open(path);
  const uint64_t after_open = BytesReadSoFar();
  ASSERT_THAT(lazy, IsOk());
  EXPECT_EQ(lazy->file_size(), total);
  // The header (8 + N bytes) and /proc/self/io's own text, nothing more.
  EXPECT_LT(after_open - before_open, 8 + header.size() + 4096);

  absl::StatusOr<std::vector<float>> values = lazy->ReadAs<float>("small");
  const uint64_t after_read = BytesReadSoFar();
  ASSERT_THAT(values, IsOk());
  EXPECT_EQ(*values, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_LT(after_read - after_open, 16 + 4096);

  // Truncated by someone else after Open: an error, not SIGBUS.
  ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(8 + header.size() + 8)),
            0);
  EXPECT_THAT(lazy->ReadAs<float>("small"),
              StatusIs(absl::StatusCode::kAborted, ErrorKind::kIoError));
  unlink(path.c_str());
}

// A sparse file whose data section is 2^40 bytes (testing/huge_file.h):
// mapped, read lazily and sliced, a tensor above 2^32 and one ending at
// 2^40 give their bytes, and only those pages are touched.
TEST(HugeSparseFileTest, OffsetsAbove4GiBAndNear2To40) {
  using H = test::HugeSparseFile;
  const H huge = test::WriteHugeSparseFile(TempPath("huge_sparse.safetensors"));
  ASSERT_FALSE(huge.path.empty());

  absl::StatusOr<File> file = File::Open(huge.path);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->parsed().data().size(), H::kDataSize);
  absl::StatusOr<TensorView> t = file->Tensor("tail");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->begin(), H::kTail);
  EXPECT_EQ(absl::string_view(reinterpret_cast<const char*>(t->data().data()),
                              t->data().size()),
            huge.tail_bytes);
  absl::StatusOr<TensorView> a = file->Tensor("above4g");
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->begin(), H::kAbove);
  EXPECT_EQ(a->data()[15], 0xAF);
  // Row 2, columns 3..6, of the tensor that ends at 2^40.
  absl::StatusOr<std::vector<uint8_t>> slice =
      CopySliceToVector(*t, {Index(2), Range(3, 7)});
  ASSERT_THAT(slice, IsOk());
  EXPECT_EQ(*slice, (std::vector<uint8_t>{35, 36, 37, 38}));
  absl::StatusOr<TensorView> big = file->Tensor("four_gib");
  ASSERT_THAT(big, IsOk());
  EXPECT_EQ(big->byte_size(), H::kFourGiB);

  absl::StatusOr<LazyFile> lazy = LazyFile::Open(huge.path);
  ASSERT_THAT(lazy, IsOk());
  absl::StatusOr<std::vector<uint8_t>> read = lazy->Read("tail");
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(std::string(read->begin(), read->end()), huge.tail_bytes);
  read = lazy->Read("above4g");
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(std::string(read->begin(), read->end()), huge.above_bytes);
  unlink(huge.path.c_str());
}

TEST(MappedFileTest, OneModelManyPaths) {
  const std::string bytes = ModelFile();
  const std::string path = WriteFile(TempPath("model.safetensors"), bytes);
  for (Profile profile : kProfiles) {
    SCOPED_TRACE(profile == Profile::kStrict ? "strict" : "reference");
    ReadOptions read;
    read.profile = profile;

    // The model: the same bytes parsed from memory.
    absl::StatusOr<SafeTensors> model =
        SafeTensors::Parse(AsBytes(bytes), read);
    ASSERT_THAT(model, IsOk());
    const std::string want_dump = Dump(*model);
    const std::string want_summary = Summary(model->header());
    ASSERT_THAT(want_dump, HasSubstr("tensor\t\"b\\n\"\tU8\t[3]\t16\t19\t"));

    for (Backend backend : kBackends) {
      SCOPED_TRACE(BackendName(backend));
      OpenOptions options;
      options.read = read;
      options.backend = backend;
      absl::StatusOr<File> file = File::Open(path, options);
      ASSERT_THAT(file, IsOk());
      EXPECT_EQ(file->path(), path);
      EXPECT_EQ(Dump(file->parsed()), want_dump);
      EXPECT_EQ(Summary(file->parsed().header()), want_summary);
      ASSERT_EQ(file->bytes().size(), bytes.size());
      EXPECT_EQ(0,
                std::memcmp(file->bytes().data(), bytes.data(), bytes.size()));
      // Zero-copy: a tensor's bytes are inside the file's bytes.
      absl::StatusOr<TensorView> w = file->parsed().Tensor("w");
      ASSERT_THAT(w, IsOk());
      EXPECT_EQ(w->data().data(), file->bytes().data() + 8 +
                                      file->parsed().header().header_size());
      EXPECT_THAT(
          file->parsed().Tensor("missing"),
          StatusIs(absl::StatusCode::kNotFound, ErrorKind::kTensorNotFound));
    }

    absl::StatusOr<Header> header = ReadHeader(path, read);
    ASSERT_THAT(header, IsOk());
    EXPECT_EQ(Summary(*header), want_summary);
  }
}

TEST(MappedFileTest, MissingFileIsNotFound) {
  const std::string path = TempPath("does-not-exist.safetensors");
  for (Backend backend : kBackends) {
    SCOPED_TRACE(BackendName(backend));
    OpenOptions options;
    options.backend = backend;
    absl::StatusOr<File> file = File::Open(path, options);
    EXPECT_THAT(file,
                StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
    EXPECT_THAT(file.status().message(), HasSubstr(path));
  }
  absl::StatusOr<Header> header = ReadHeader(path);
  EXPECT_THAT(header,
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_THAT(header.status().message(), HasSubstr(path));
}

TEST(MappedFileTest, DirectoryIsFailedPrecondition) {
  const std::string path = TempPath("a-directory");
  ASSERT_TRUE(mkdir(path.c_str(), 0755) == 0 || errno == EEXIST);
  for (Backend backend : kBackends) {
    SCOPED_TRACE(BackendName(backend));
    OpenOptions options;
    options.backend = backend;
    absl::StatusOr<File> file = File::Open(path, options);
    EXPECT_THAT(file, StatusIs(absl::StatusCode::kFailedPrecondition,
                               ErrorKind::kIoError));
    EXPECT_THAT(file.status().message(), HasSubstr(path));
  }
  absl::StatusOr<Header> header = ReadHeader(path);
  EXPECT_THAT(header, StatusIs(absl::StatusCode::kFailedPrecondition,
                               ErrorKind::kIoError));
  EXPECT_THAT(header.status().message(), HasSubstr(path));
}

TEST(MappedFileTest, FifoIsFailedPreconditionWithoutWaiting) {
  // A FIFO with no writer: open() must not block, and a pipe's st_size is
  // not its length, so it is refused rather than read as an empty file.
  const std::string path = TempPath("a-fifo");
  unlink(path.c_str());
  ASSERT_EQ(mkfifo(path.c_str(), 0644), 0) << std::strerror(errno);
  for (Backend backend : kBackends) {
    SCOPED_TRACE(BackendName(backend));
    OpenOptions options;
    options.backend = backend;
    absl::StatusOr<File> file = File::Open(path, options);
    EXPECT_THAT(file, StatusIs(absl::StatusCode::kFailedPrecondition,
                               ErrorKind::kIoError));
    EXPECT_THAT(file.status().message(), HasSubstr(path));
  }
  EXPECT_THAT(ReadHeader(path), StatusIs(absl::StatusCode::kFailedPrecondition,
                                         ErrorKind::kIoError));
}

TEST(MappedFileTest, UnreadableFileIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores file permissions";
  const std::string path =
      WriteFile(TempPath("unreadable.safetensors"), ModelFile());
  ASSERT_EQ(chmod(path.c_str(), 0), 0) << std::strerror(errno);
  for (Backend backend : kBackends) {
    SCOPED_TRACE(BackendName(backend));
    OpenOptions options;
    options.backend = backend;
    absl::StatusOr<File> file = File::Open(path, options);
    EXPECT_THAT(file, StatusIs(absl::StatusCode::kPermissionDenied,
                               ErrorKind::kIoError));
    EXPECT_THAT(file.status().message(), HasSubstr(path));
  }
  EXPECT_THAT(ReadHeader(path), StatusIs(absl::StatusCode::kPermissionDenied,
                                         ErrorKind::kIoError));
  chmod(path.c_str(), 0644);
}

// One reject case: the bytes of a file and the kind every path must report.
struct RejectCase {
  const char* name;
  std::string bytes;
  ErrorKind kind;
};

std::vector<RejectCase> RejectCases() {
  const std::string tensor =
      R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})";
  return {
      {"empty file", "", ErrorKind::kHeaderTooSmall},
      {"seven bytes", std::string(7, '\0'), ErrorKind::kHeaderTooSmall},
      {"N above the limit", MakeFileWithN(kMaxHeaderSize + 1, "{}"),
       ErrorKind::kHeaderTooLarge},
      {"N past the end", MakeFileWithN(64, "{}"),
       ErrorKind::kInvalidHeaderLength},
      {"N is zero", MakeFileWithN(0, ""),
       ErrorKind::kInvalidHeaderDeserialization},
      {"not UTF-8", MakeFile("{\"\xff\":1}"), ErrorKind::kInvalidHeader},
      {"not JSON", MakeFile("{\"t\":"),
       ErrorKind::kInvalidHeaderDeserialization},
      {"bad dtype",
       MakeFile(R"({"t":{"dtype":"X","shape":[],"data_offsets":[0,0]}})"),
       ErrorKind::kInvalidHeaderDeserialization},
      {"gap before a tensor",
       MakeFile(R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[1,5]}})",
                std::string(5, 'x')),
       ErrorKind::kInvalidOffset},
      {"size differs from shape",
       MakeFile(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})",
                std::string(4, 'x')),
       ErrorKind::kTensorInvalidInfo},
      {"data too short", MakeFile(tensor, "abc"),
       ErrorKind::kMetadataIncompleteBuffer},
      {"data too long", MakeFile(tensor, "abcde"),
       ErrorKind::kMetadataIncompleteBuffer},
  };
}

TEST(MappedFileTest, RejectsCorruptFilesThroughEveryPath) {
  int i = 0;
  for (const RejectCase& c : RejectCases()) {
    SCOPED_TRACE(c.name);
    const std::string path = WriteFile(
        TempPath(absl::StrCat("reject", i++, ".safetensors")), c.bytes);
    // The model: the same bytes from memory.
    ASSERT_THAT(SafeTensors::Parse(AsBytes(c.bytes)), StatusIs(c.kind));
    for (Backend backend : kBackends) {
      SCOPED_TRACE(BackendName(backend));
      OpenOptions options;
      options.backend = backend;
      absl::StatusOr<File> file = File::Open(path, options);
      EXPECT_THAT(file, StatusIs(c.kind));
      EXPECT_THAT(file.status().message(), HasSubstr(path));
    }
    absl::StatusOr<Header> header = ReadHeader(path);
    EXPECT_THAT(header, StatusIs(c.kind));
    EXPECT_THAT(header.status().message(), HasSubstr(path));
  }
}

// A file whose header is small and whose data section is 64 MiB of holes:
// ReadHeader reads only the header, and opening it with mmap touches only the
// header's pages.
TEST(MappedFileTest, BigSparseFileReadsOnlyTheHeader) {
  constexpr uint64_t kDataSize = uint64_t{64} << 20;
  const std::string header = absl::StrCat(
      R"({"__metadata__":{"size":"64MiB"},"big":{"dtype":"U8","shape":[)",
      kDataSize, R"(],"data_offsets":[0,)", kDataSize, "]}}");
  const std::string path =
      WriteFile(TempPath("big.safetensors"), MakeFile(header));
  const uint64_t file_size = 8 + header.size() + kDataSize;
  ASSERT_EQ(truncate(path.c_str(), static_cast<off_t>(file_size)), 0)
      << std::strerror(errno);

  absl::StatusOr<Header> alone = ReadHeader(path);
  ASSERT_THAT(alone, IsOk());
  EXPECT_EQ(alone->data_size(), kDataSize);
  ASSERT_EQ(alone->tensors().size(), 1u);
  EXPECT_EQ(alone->tensors()[0].name, "big");

  absl::StatusOr<File> file = File::Open(path);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(Summary(*alone), Summary(file->parsed().header()));
  EXPECT_EQ(file->bytes().size(), file_size);

  // The last page of the mapping must not be in memory: nothing read it.
  // (The data is holes that nothing else reads, so its pages can only be
  // resident if Open touched them.) mincore is skipped where unsupported.
  const long page = sysconf(_SC_PAGESIZE);
  ASSERT_GT(page, 0);
  const uintptr_t start = reinterpret_cast<uintptr_t>(file->bytes().data());
  const uintptr_t last = (start + file_size - 1) & ~(uintptr_t(page) - 1);
  unsigned char resident = 0;
  if (mincore(reinterpret_cast<void*>(last), 1, &resident) == 0) {
    EXPECT_EQ(resident & 1, 0) << "Open read the data section";
  } else {
    std::cerr << "mincore unavailable: " << std::strerror(errno) << "\n";
  }
}

TEST(MappedFileTest, MoveConstructAndAssign) {
  const std::string bytes_a = ModelFile();
  const std::string bytes_b = MakeFile(
      R"({"x":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})", "xy");
  const std::string path_a = WriteFile(TempPath("move_a.safetensors"), bytes_a);
  const std::string path_b = WriteFile(TempPath("move_b.safetensors"), bytes_b);
  absl::StatusOr<SafeTensors> model_a = SafeTensors::Parse(AsBytes(bytes_a));
  ASSERT_THAT(model_a, IsOk());
  const std::string want_a = Dump(*model_a);

  for (Backend backend : kBackends) {
    SCOPED_TRACE(BackendName(backend));
    OpenOptions options;
    options.backend = backend;
    absl::StatusOr<File> a = File::Open(path_a, options);
    ASSERT_THAT(a, IsOk());
    // A view taken before the move stays valid: the bytes do not move.
    absl::StatusOr<TensorView> before = a->parsed().Tensor("w");
    ASSERT_THAT(before, IsOk());

    File moved(*std::move(a));
    EXPECT_EQ(moved.path(), path_a);
    EXPECT_EQ(Dump(moved.parsed()), want_a);
    absl::StatusOr<TensorView> after = moved.parsed().Tensor("w");
    ASSERT_THAT(after, IsOk());
    EXPECT_EQ(after->data().data(), before->data().data());
    EXPECT_EQ(before->name(), "w");

    // Move-assign over a file that holds another mapping or buffer: the old
    // one is released (ASan and munmap keep us honest), the new one is used.
    for (Backend other : kBackends) {
      SCOPED_TRACE(absl::StrCat("over ", BackendName(other)));
      OpenOptions other_options;
      other_options.backend = other;
      absl::StatusOr<File> b = File::Open(path_b, other_options);
      ASSERT_THAT(b, IsOk());
      File target = *std::move(b);
      EXPECT_TRUE(target.parsed().Contains("x"));
      target = std::move(moved);
      EXPECT_EQ(target.path(), path_a);
      EXPECT_EQ(Dump(target.parsed()), want_a);
      EXPECT_FALSE(target.parsed().Contains("x"));
      absl::StatusOr<TensorView> b_n = target.parsed().Tensor("b\n");
      ASSERT_THAT(b_n, IsOk());
      ASSERT_EQ(b_n->data().size(), 3u);
      EXPECT_EQ(b_n->data()[0], 16 * 13 + 1);
      moved = std::move(target);  // and back, for the next round
    }
  }
}

// The resident kilobytes of the mapping that holds `address`, from
// /proc/self/smaps; -1 when it does not describe one (e.g. under qemu).
long MappingRssKb(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const uintptr_t at = reinterpret_cast<uintptr_t>(address);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long begin = 0, end = 0;
    // A mapping's first line: "BEGIN-END perms offset dev inode path".
    if (std::sscanf(line.c_str(), "%lx-%lx ", &begin, &end) == 2) {
      inside = begin <= at && at < end;
      continue;
    }
    long kb = 0;
    if (inside && std::sscanf(line.c_str(), "Rss: %ld kB", &kb) == 1) {
      return kb;
    }
  }
  return -1;
}

// Released pages leave the process's resident memory (mmap) and read back
// the same bytes; with pread (the only copy) nothing is released.
TEST(FileReleasePages, DropsMappedPagesAndKeepsTheBytes) {
  const size_t size = size_t{4} << 20;
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 7 + 3);
  const std::string path =
      WriteFile(TempPath("release_pages.safetensors"),
                MakeFile(absl::StrCat(R"({"t":{"dtype":"U8","shape":[)", size,
                                      R"(],"data_offsets":[0,)", size, "]}}"),
                         data));
  for (Backend backend : kBackends) {
    SCOPED_TRACE(BackendName(backend));
    OpenOptions options;
    options.backend = backend;
    absl::StatusOr<File> f = File::Open(path, options);
    ASSERT_THAT(f, IsOk());
    absl::StatusOr<TensorView> t = f->Tensor("t");
    ASSERT_THAT(t, IsOk());
    volatile uint64_t sum = 0;
    for (uint8_t b : t->data()) sum = sum + b;  // touch every page
    const long before = MappingRssKb(t->data().data());
    f->ReleasePages(t->data());
    const long after = MappingRssKb(t->data().data());
    EXPECT_EQ(absl::string_view(reinterpret_cast<const char*>(t->data().data()),
                                size),
              data);
    if (backend == Backend::kMmap && before >= 0) {
      EXPECT_GE(before, 4096);
      EXPECT_LE(after, 16);  // the partial pages at the ends stay
    }
    f->ReleasePages({});                        // nothing
    f->ReleasePages(t->data().subspan(1, 10));  // no whole page
    EXPECT_EQ(t->data()[5], static_cast<uint8_t>(5 * 7 + 3));
  }
}

// kMmapCopyOnWrite: the bytes are writable, the File's views see a write,
// and the file on disk and a second File of it do not; ReleasePages keeps
// the written page. The other backends hand out no writable bytes.
TEST(FileCopyOnWrite, WritesStayInThisMapping) {
  const size_t size = size_t{3} << 12;  // three pages
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 5 + 1);
  const std::string bytes =
      MakeFile(absl::StrCat(R"({"t":{"dtype":"U8","shape":[)", size,
                            R"(],"data_offsets":[0,)", size, "]}}"),
               data);
  const std::string path = WriteFile(TempPath("cow.safetensors"), bytes);
  OpenOptions options;
  options.backend = Backend::kMmapCopyOnWrite;
  absl::StatusOr<File> f = File::Open(path, options);
  ASSERT_THAT(f, IsOk());
  absl::StatusOr<File> other = File::Open(path, options);
  ASSERT_THAT(other, IsOk());
  const absl::Span<uint8_t> mutable_bytes = f->mutable_bytes();
  ASSERT_EQ(mutable_bytes.size(), bytes.size());
  EXPECT_EQ(mutable_bytes.data(), f->bytes().data());

  absl::StatusOr<TensorView> t = f->Tensor("t");
  ASSERT_THAT(t, IsOk());
  const size_t offset = t->data().data() - f->bytes().data();
  for (size_t i = 0; i < size; i += 4096) mutable_bytes[offset + i] = 0xAB;
  EXPECT_EQ(t->data()[0], 0xAB);
  EXPECT_EQ(t->data()[4096], 0xAB);
  EXPECT_EQ(t->data()[1], static_cast<uint8_t>(1 * 5 + 1));

  f->ReleasePages(t->data());  // would undo the writes: does nothing
  EXPECT_EQ(t->data()[4096], 0xAB);

  absl::StatusOr<TensorView> u = other->Tensor("t");
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->data()[0], static_cast<uint8_t>(1));
  std::ifstream in(path, std::ios::binary);
  const std::string on_disk((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
  EXPECT_EQ(on_disk, bytes);

  for (Backend backend : {Backend::kMmap, Backend::kPread}) {
    SCOPED_TRACE(BackendName(backend));
    OpenOptions read_only;
    read_only.backend = backend;
    absl::StatusOr<File> g = File::Open(path, read_only);
    ASSERT_THAT(g, IsOk());
    EXPECT_TRUE(g->mutable_bytes().empty());
  }
  File moved = *std::move(f);
  EXPECT_EQ(moved.mutable_bytes().size(), bytes.size());
}

}  // namespace
}  // namespace safetensors
