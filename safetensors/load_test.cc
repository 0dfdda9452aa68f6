// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/load.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/byteswap.h"
#include "safetensors/shard_writer.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::testing::ElementsAre;

template <typename T>
absl::Span<const uint8_t> Bytes(const std::vector<T>& v) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()),
                                   v.size() * sizeof(T));
}

const std::vector<float> kWeights = {1.5f, -2.0f, 3.25f, 0.0f};
const std::vector<int64_t> kPositions = {7, -8, 1LL << 40};
const std::vector<uint8_t> kMask = {1, 0, 2};

std::vector<TensorRef> Model() {
  return {{"w", Dtype::kF32, {2, 2}, Bytes(kWeights)},
          {"pos", Dtype::kI64, {3}, Bytes(kPositions)},
          {"mask", Dtype::kBool, {3}, Bytes(kMask)}};
}

void ExpectTheModel(const TensorMap& m) {
  ASSERT_EQ(m.size(), 3u);
  const LoadedTensor& w = m.at("w");
  EXPECT_EQ(w.dtype(), Dtype::kF32);
  EXPECT_THAT(w.shape(), ElementsAre(2, 2));
  absl::StatusOr<absl::Span<const float>> wv = w.As<float>();
  ASSERT_THAT(wv, IsOk());
  EXPECT_THAT(*wv, ElementsAre(1.5f, -2.0f, 3.25f, 0.0f));
  EXPECT_THAT(*m.at("pos").As<int64_t>(), ElementsAre(7, -8, 1LL << 40));
  EXPECT_THAT(*m.at("mask").As<uint8_t>(), ElementsAre(1, 0, 2));
  EXPECT_THAT(w.As<double>(), StatusIs(ErrorKind::kInvalidTensorView));
}

// Host-order values out, whatever the host: the file is little-endian, the
// loaded bytes are the host's (the same values the writer was given).
TEST(LoadFile, OneFile) {
  const std::string path = test::TempPath("load_one.safetensors");
  ASSERT_THAT(WriteFile(path, Model()), IsOk());
  absl::StatusOr<TensorMap> m = LoadFile(path);
  ASSERT_THAT(m, IsOk());
  ExpectTheModel(*m);
  EXPECT_EQ(std::memcmp(m->at("w").bytes().data(), kWeights.data(), 16), 0);
}

// The result owns its bytes: nothing points into the (closed) files.
TEST(LoadFile, ShardedCheckpointAndDirectoryOutliveTheFiles) {
  const std::string dir = test::TempPath("load_sharded");
  mkdir(dir.c_str(), 0755);
  ShardWriteOptions options;
  options.max_shard_size = 24;
  ASSERT_THAT(WriteShardedCheckpoint(dir, Model(), std::nullopt, options),
              IsOk());
  for (const std::string& path : {dir + "/model.safetensors.index.json", dir}) {
    SCOPED_TRACE(path);
    absl::StatusOr<TensorMap> m = LoadFile(path);
    ASSERT_THAT(m, IsOk());
    ExpectTheModel(*m);
  }
  absl::StatusOr<TensorMap> m = LoadFile(dir);
  ASSERT_THAT(m, IsOk());
  const std::vector<std::string> files = test::ListDir(dir);
  EXPECT_GE(files.size(), 3u);  // the index and at least two shards
  for (const std::string& f : files) unlink((dir + "/" + f).c_str());
  ExpectTheModel(*m);
}

// Floating-point tensors converted, the others as they are (torch's
// Module.to(dtype)).
TEST(LoadFile, ConvertsFloatingPointTensors) {
  const std::string path = test::TempPath("load_convert.safetensors");
  ASSERT_THAT(WriteFile(path, Model()), IsOk());
  LoadOptions options;
  options.float_dtype = Dtype::kBF16;
  absl::StatusOr<TensorMap> m = LoadFile(path, options);
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->at("w").dtype(), Dtype::kBF16);
  EXPECT_THAT(m->at("w").shape(), ElementsAre(2, 2));
  EXPECT_THAT(*m->at("w").As<uint16_t>(),
              ElementsAre(0x3FC0, 0xC000, 0x4050, 0x0000));  // host order
  EXPECT_EQ(m->at("pos").dtype(), Dtype::kI64);
  EXPECT_THAT(*m->at("pos").As<int64_t>(), ElementsAre(7, -8, 1LL << 40));
  EXPECT_EQ(m->at("mask").dtype(), Dtype::kBool);

  options.float_dtype = Dtype::kF64;
  m = LoadFile(path, options);
  ASSERT_THAT(m, IsOk());
  EXPECT_THAT(*m->at("w").As<double>(), ElementsAre(1.5, -2.0, 3.25, 0.0));

  options.float_dtype = Dtype::kF32;  // already F32: the same bytes
  m = LoadFile(path, options);
  ASSERT_THAT(m, IsOk());
  ExpectTheModel(*m);

  options.float_dtype = Dtype::kI32;
  EXPECT_THAT(LoadFile(path, options), StatusIs(ErrorKind::kInvalidTensorView));
}

// Every tensor's name, dtype, shape and bytes.
void ExpectSameModel(const TensorMap& a, const TensorMap& b) {
  ASSERT_EQ(a.size(), b.size());
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
    SCOPED_TRACE(ia->first);
    ASSERT_EQ(ia->first, ib->first);
    EXPECT_EQ(ia->second.name(), ib->second.name());
    EXPECT_EQ(ia->second.dtype(), ib->second.dtype());
    EXPECT_EQ(ia->second.shape(), ib->second.shape());
    EXPECT_EQ(std::vector<uint8_t>(ia->second.bytes().begin(),
                                   ia->second.bytes().end()),
              std::vector<uint8_t>(ib->second.bytes().begin(),
                                   ib->second.bytes().end()));
  }
}

// The thread count changes who copies, not what: 60 tensors of several
// dtypes and sizes over several shards, loaded (and converted) with 1 to 8
// threads and with 0 (one per core).
TEST(LoadFile, AnyThreadCountGivesTheSameModel) {
  const std::string dir = test::TempPath("load_threads");
  mkdir(dir.c_str(), 0755);
  std::vector<std::vector<uint8_t>> data;
  data.reserve(60);  // the refs point into it
  std::vector<TensorRef> refs;
  const Dtype dtypes[] = {Dtype::kF32, Dtype::kBF16, Dtype::kI64, Dtype::kU8,
                          Dtype::kF16};
  for (int i = 0; i < 60; ++i) {
    const Dtype dtype = dtypes[i % 5];
    const uint64_t elements = 1 + (i * 37) % 300;
    std::vector<uint8_t> bytes(elements * DtypeBits(dtype) / 8);
    for (size_t b = 0; b < bytes.size(); ++b) {
      bytes[b] = static_cast<uint8_t>((b * 13 + i) & 0x7F);  // finite floats
    }
    data.push_back(std::move(bytes));
    refs.push_back({"t" + std::to_string(i),
                    dtype,
                    {elements},
                    absl::MakeConstSpan(data.back())});
  }
  ShardWriteOptions options;
  options.max_shard_size = 4096;
  ASSERT_THAT(WriteShardedCheckpoint(dir, refs, std::nullopt, options), IsOk());
  for (std::optional<Dtype> convert :
       {std::optional<Dtype>(), std::optional<Dtype>(Dtype::kBF16),
        std::optional<Dtype>(Dtype::kF64)}) {
    LoadOptions serial;
    serial.float_dtype = convert;
    absl::StatusOr<TensorMap> want = LoadFile(dir, serial);
    ASSERT_THAT(want, IsOk());
    ASSERT_EQ(want->size(), 60u);
    for (Backend backend : {Backend::kMmap, Backend::kPread}) {
      for (int threads : {1, 2, 3, 8, 0}) {
        SCOPED_TRACE(
            absl::StrCat(backend == Backend::kPread ? "pread " : "", threads));
        LoadOptions parallel = serial;
        parallel.threads = threads;
        parallel.open.backend = backend;
        absl::StatusOr<TensorMap> got = LoadFile(dir, parallel);
        ASSERT_THAT(got, IsOk());
        ExpectSameModel(*want, *got);
      }
    }
  }
}

// Writes `refs` to `path` and expects every loaded tensor's bytes to be the
// file's (in host order), with each backend and several thread counts
// (more threads than tensors and than pieces among them), at an alignment
// fit for any element.
void ExpectLoadsExactly(const std::string& path,
                        const std::vector<TensorRef>& refs) {
  ASSERT_THAT(WriteFile(path, refs), IsOk());
  for (Backend backend : {Backend::kMmap, Backend::kPread}) {
    for (int threads : {1, 2, 7, 64}) {
      SCOPED_TRACE(absl::StrCat(backend == Backend::kPread ? "pread " : "mmap ",
                                threads));
      LoadOptions options;
      options.open.backend = backend;
      options.threads = threads;
      absl::StatusOr<TensorMap> m = LoadFile(path, options);
      ASSERT_THAT(m, IsOk());
      ASSERT_EQ(m->size(), refs.size());
      for (const TensorRef& ref : refs) {
        SCOPED_TRACE(ref.name);
        const LoadedTensor& t = m->at(ref.name);
        EXPECT_EQ(t.name(), ref.name);
        EXPECT_EQ(t.dtype(), ref.dtype);
        EXPECT_EQ(t.shape(), ref.shape);
        ASSERT_EQ(t.bytes().size(), ref.data.size());
        EXPECT_TRUE(
            std::equal(t.bytes().begin(), t.bytes().end(), ref.data.begin()));
        if (!t.bytes().empty()) {
          EXPECT_EQ(reinterpret_cast<uintptr_t>(t.bytes().data()) %
                        alignof(std::max_align_t),
                    0u);
        }
      }
    }
  }
}

// Sizes that are no multiple of anything (1, 3, 5, 7 bytes; 4 MiB pieces
// and a tail), zero-size tensors between the others and a scalar, several
// dtypes; the values differ from tensor to tensor and byte to byte.
TEST(LoadFile, BytesAreExactlyTheFilesForOddSizes) {
  struct Spec {
    const char* name;
    Dtype dtype;
    Shape shape;
  };
  const std::vector<Spec> specs = {
      {"a.u8", Dtype::kU8, {1}},
      {"b.empty", Dtype::kF32, {0}},
      {"c.i16", Dtype::kI16, {3}},
      {"d.u8", Dtype::kU8, {7}},
      {"e.empty2d", Dtype::kBF16, {3, 0}},
      {"f.scalar", Dtype::kF64, {}},
      {"g.f32", Dtype::kF32, {5}},
      // 3 pieces and a tail; huge-page sized (own mapping).
      {"h.big", Dtype::kU8, {(uint64_t{12} << 20) + 12345}},
      {"i.u8", Dtype::kU8, {3}},
      // just under and just over one huge page.
      {"j.bf16", Dtype::kBF16, {(uint64_t{1} << 20) - 1}},
      {"k.f32", Dtype::kF32, {(uint64_t{1} << 19) + 1}},
      {"l.i64", Dtype::kI64, {9}},
  };
  std::vector<std::vector<uint8_t>> data;
  data.reserve(specs.size());  // the refs point into it
  std::vector<TensorRef> refs;
  for (size_t i = 0; i < specs.size(); ++i) {
    uint64_t n = DtypeBits(specs[i].dtype) / 8;
    for (uint64_t d : specs[i].shape) n *= d;
    std::vector<uint8_t> bytes(n);
    uint32_t x = 0x9E3779B9u * static_cast<uint32_t>(i + 1);
    for (uint8_t& b : bytes) {
      x = x * 1664525u + 1013904223u;
      b = static_cast<uint8_t>(x >> 24);
    }
    data.push_back(std::move(bytes));
    refs.push_back({specs[i].name, specs[i].dtype, specs[i].shape,
                    absl::MakeConstSpan(data.back())});
  }
  ExpectLoadsExactly(test::TempPath("load_odd.safetensors"), refs);
}

// A file without tensors loads as an empty model, whatever the threads.
TEST(LoadFile, NoTensors) {
  ExpectLoadsExactly(test::TempPath("load_none.safetensors"), {});
}

// Zero-size tensors have no bytes and read as empty spans.
TEST(LoadFile, ZeroSizeTensorsReadAsEmpty) {
  const std::string path = test::TempPath("load_empty.safetensors");
  ASSERT_THAT(WriteFile(path, {{"e", Dtype::kF32, {0, 4}, {}}}), IsOk());
  for (Backend backend : {Backend::kMmap, Backend::kPread}) {
    LoadOptions options;
    options.open.backend = backend;
    absl::StatusOr<TensorMap> m = LoadFile(path, options);
    ASSERT_THAT(m, IsOk());
    EXPECT_TRUE(m->at("e").bytes().empty());
    absl::StatusOr<absl::Span<const float>> f = m->at("e").As<float>();
    ASSERT_THAT(f, IsOk());
    EXPECT_TRUE(f->empty());
    EXPECT_THAT(m->at("e").shape(), ElementsAre(0, 4));
  }
}

// Both backends fail alike, with the same first error, for a missing file,
// a bad one, and a checkpoint whose index disagrees with its shards.
TEST(LoadFile, PreadBackendFailsAsTheMappingDoes) {
  const std::string dir = test::TempPath("load_bad_index");
  mkdir(dir.c_str(), 0755);
  ASSERT_THAT(WriteFile(dir + "/a.safetensors", {Model()[0]}), IsOk());
  ASSERT_THAT(WriteFile(dir + "/b.safetensors", {Model()[1], Model()[2]}),
              IsOk());
  const std::string index = dir + "/model.safetensors.index.json";
  test::WriteWholeFile(index, R"({"weight_map": {"w": "b.safetensors",
      "pos": "b.safetensors", "mask": "b.safetensors"}})");
  const std::string bad = test::TempPath("load_bad_pread.safetensors");
  test::WriteWholeFile(bad, "abc");
  int failures = 0;
  for (const std::string& path :
       {index, dir, bad, test::TempPath("load_missing_pread.safetensors"),
        dir + "/a.safetensors"}) {
    SCOPED_TRACE(path);
    LoadOptions pread;
    pread.open.backend = Backend::kPread;
    pread.threads = 3;
    absl::StatusOr<TensorMap> mapped = LoadFile(path);
    absl::StatusOr<TensorMap> read = LoadFile(path, pread);
    EXPECT_EQ(mapped.status(), read.status());
    if (!mapped.ok()) ++failures;
    if (mapped.ok() && read.ok()) ExpectSameModel(*mapped, *read);
  }
  EXPECT_EQ(failures, 4);
}

// The vector form takes the vector's bytes; copies share them.
TEST(LoadedTensor, ConstructedAndCopied) {
  const LoadedTensor t("v", Dtype::kI16, {2}, std::vector<uint8_t>{1, 2, 3, 4});
  EXPECT_THAT(t.bytes(), ElementsAre(1, 2, 3, 4));
  const LoadedTensor copy = t;  // NOLINT(performance-unnecessary-copy-...)
  EXPECT_EQ(copy.bytes().data(), t.bytes().data());
  EXPECT_EQ(copy.name(), "v");
  EXPECT_THAT(copy.shape(), ElementsAre(2));
  EXPECT_EQ(copy.As<int16_t>()->size(), 2u);
  const LoadedTensor empty("e", Dtype::kU8, {0}, std::vector<uint8_t>{});
  EXPECT_TRUE(empty.bytes().empty());

  // The shared form frees its bytes with its deleter, once, after the last
  // copy.
  int freed = 0;
  {
    const uint8_t* bytes = new uint8_t[2]{9, 8};
    LoadedTensor a("a", Dtype::kU8, {2},
                   std::shared_ptr<const uint8_t>(bytes,
                                                  [&freed](const uint8_t* p) {
                                                    ++freed;
                                                    delete[] p;
                                                  }),
                   2);
    LoadedTensor b = a;
    EXPECT_THAT(b.bytes(), ElementsAre(9, 8));
    a = LoadedTensor("x", Dtype::kU8, {}, std::vector<uint8_t>{0});
    EXPECT_EQ(freed, 0);
  }
  EXPECT_EQ(freed, 1);
}

TEST(LoadFile, Errors) {
  EXPECT_THAT(LoadFile(test::TempPath("load_missing.safetensors")),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  const std::string bad = test::TempPath("load_bad.safetensors");
  test::WriteWholeFile(bad, "abc");
  EXPECT_THAT(LoadFile(bad), StatusIs(ErrorKind::kHeaderTooSmall));
}

}  // namespace
}  // namespace safetensors
