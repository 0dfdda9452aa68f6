// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/load.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

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
       {std::optional<Dtype>(), std::optional<Dtype>(Dtype::kBF16)}) {
    LoadOptions serial;
    serial.float_dtype = convert;
    absl::StatusOr<TensorMap> want = LoadFile(dir, serial);
    ASSERT_THAT(want, IsOk());
    ASSERT_EQ(want->size(), 60u);
    for (int threads : {2, 3, 8, 0}) {
      SCOPED_TRACE(threads);
      LoadOptions parallel = serial;
      parallel.threads = threads;
      absl::StatusOr<TensorMap> got = LoadFile(dir, parallel);
      ASSERT_THAT(got, IsOk());
      ExpectSameModel(*want, *got);
    }
  }
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
