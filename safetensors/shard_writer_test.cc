// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/shard_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/index.h"
#include "safetensors/status.h"
#include "safetensors/testing/fault_fs.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::FailingFileSystem;
using ::safetensors::test::IsOk;
using ::safetensors::test::ListDir;
using ::safetensors::test::ReadWholeFile;
using ::safetensors::test::StatusIs;
using ::safetensors::test::WriteWholeFile;
using ::testing::ElementsAre;

// An empty directory under the test's temporary directory.
std::string NewDir(absl::string_view name) {
  const std::string dir = test::TempPath(name);
  mkdir(dir.c_str(), 0755);
  for (const std::string& f : ListDir(dir)) unlink((dir + "/" + f).c_str());
  return dir;
}

struct Model {
  std::vector<std::string> names;
  std::vector<Dtype> dtypes;
  std::vector<std::vector<uint64_t>> shapes;
  std::vector<std::string> data;
  std::vector<TensorRef> Refs() const {
    std::vector<TensorRef> refs;
    for (size_t i = 0; i < names.size(); ++i) {
      refs.push_back({names[i], dtypes[i], shapes[i],
                      absl::Span<const uint8_t>(
                          reinterpret_cast<const uint8_t*>(data[i].data()),
                          data[i].size())});
    }
    return refs;
  }
  std::vector<TensorDesc> Descs() const {
    std::vector<TensorDesc> d;
    for (size_t i = 0; i < names.size(); ++i) {
      d.push_back({names[i], dtypes[i], shapes[i]});
    }
    return d;
  }
  void Add(std::string name, Dtype dtype, std::vector<uint64_t> shape,
           size_t bytes) {
    names.push_back(std::move(name));
    dtypes.push_back(dtype);
    shapes.push_back(std::move(shape));
    std::string d(bytes, '\0');
    for (size_t i = 0; i < bytes; ++i) d[i] = static_cast<char>(i * 7 + bytes);
    data.push_back(std::move(d));
  }
};

// The tensors of examples/tiny.safetensors (dtypes, shapes, sizes).
Model Tiny() {
  Model m;
  m.Add("embed.weight", Dtype::kF32, {2, 3}, 24);
  m.Add("positions", Dtype::kI64, {3}, 24);
  m.Add("norm.scale", Dtype::kBF16, {2, 2}, 8);
  m.Add("tokens", Dtype::kU8, {4}, 4);
  m.Add("mask", Dtype::kBool, {3}, 3);
  m.Add("temperature", Dtype::kF64, {}, 8);
  return m;
}

TEST(PlanShards, GreedyInWriterOrder) {
  const Model m = Tiny();
  ShardWriteOptions options;
  options.max_shard_size = 40;
  absl::StatusOr<ShardLayout> layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  // Writer order: positions (I64, 24), temperature (F64, 8), embed.weight
  // (F32, 24), norm.scale (BF16, 8), tokens (U8, 4), mask (BOOL, 3).
  EXPECT_THAT(layout->shard_tensors,
              ElementsAre(ElementsAre(1, 5), ElementsAre(0, 2, 3, 4)));
  EXPECT_THAT(layout->shard_names,
              ElementsAre("model-00001-of-00002.safetensors",
                          "model-00002-of-00002.safetensors"));
  EXPECT_EQ(layout->total_size, 71u);

  options.max_shard_size = 1;  // every tensor larger than the max: one each
  layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->shard_tensors.size(), 6u);
  EXPECT_EQ(layout->shard_names[5], "model-00006-of-00006.safetensors");

  options.max_shard_size = 71;  // exactly everything
  layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->shard_tensors.size(), 1u);
  options.max_shard_size = 70;
  layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->shard_tensors.size(), 2u);

  options.max_shard_size = 0;
  EXPECT_EQ(PlanShards(m.Descs(), options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.max_shard_size = 10;
  options.prefix = "x";
  std::vector<TensorDesc> dup = m.Descs();
  dup.push_back(dup[0]);
  EXPECT_THAT(PlanShards(dup, options),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  layout = PlanShards({}, options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_TRUE(layout->shard_names.empty());
}

TEST(PlanShards, LargeTensorAloneThenContinues) {
  Model m;
  m.Add("a", Dtype::kU8, {3}, 3);
  m.Add("b", Dtype::kU8, {20}, 20);
  m.Add("c", Dtype::kU8, {3}, 3);
  m.Add("d", Dtype::kU8, {4}, 4);
  ShardWriteOptions options;
  options.max_shard_size = 10;
  absl::StatusOr<ShardLayout> layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_THAT(layout->shard_tensors,
              ElementsAre(ElementsAre(0), ElementsAre(1), ElementsAre(2, 3)));
}

TEST(NaturalNameLess, DigitRunsCompareAsNumbers) {
  // Each before the next.
  const std::vector<std::string> ordered = {
      "",
      "a",
      "a.",
      "layers.1.w",
      "layers.2.w",
      "layers.02.w",  // the same number, the longer run after
      "layers.10.w",
      "layers.10.x",
      "layers.010.w",
      "layers.99999999999999999999999.w",  // past 64 bits
      "layers.100000000000000000000000.w",
      "layersA",
      "m",
      std::string("m\xff", 2),
  };
  for (size_t i = 0; i < ordered.size(); ++i) {
    EXPECT_FALSE(NaturalNameLess(ordered[i], ordered[i])) << ordered[i];
    for (size_t j = i + 1; j < ordered.size(); ++j) {
      EXPECT_TRUE(NaturalNameLess(ordered[i], ordered[j]))
          << ordered[i] << " < " << ordered[j];
      EXPECT_FALSE(NaturalNameLess(ordered[j], ordered[i]))
          << ordered[j] << " !< " << ordered[i];
    }
  }
}

// The orders decide which tensors share a shard; every shard file is still
// laid out in the writer's order.
TEST(PlanShards, NaturalAndGivenOrders) {
  Model m;
  for (const char* name : {"layers.10.b", "layers.2.a", "layers.10.a",
                           "layers.2.b", "layers.1.a"}) {
    m.Add(name, Dtype::kU8, {4}, 4);
  }
  m.Add("layers.2.norm", Dtype::kF32, {1}, 4);  // first in writer order
  ShardWriteOptions options;
  options.max_shard_size = 8;
  absl::StatusOr<ShardLayout> layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  // Writer: the F32 first, then U8 by bytes ("layers.10" before "layers.2").
  EXPECT_THAT(
      layout->shard_tensors,
      ElementsAre(ElementsAre(5, 4), ElementsAre(2, 0), ElementsAre(1, 3)));
  options.order = ShardOrder::kNatural;
  layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_THAT(
      layout->shard_tensors,
      ElementsAre(ElementsAre(4, 1), ElementsAre(3, 5), ElementsAre(2, 0)));
  options.order = ShardOrder::kGiven;
  layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_THAT(
      layout->shard_tensors,
      ElementsAre(ElementsAre(0, 1), ElementsAre(2, 3), ElementsAre(4, 5)));
  // Written and read back: each shard holds what the plan says.
  const std::string dir = NewDir("natural_order");
  options.order = ShardOrder::kNatural;
  absl::StatusOr<ShardLayout> written =
      WriteShardedCheckpoint(dir, m.Refs(), std::nullopt, options);
  ASSERT_THAT(written, IsOk());
  absl::StatusOr<Checkpoint> c =
      Checkpoint::Open(dir + "/model.safetensors.index.json");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->shard_names()[c->weight_map().at("layers.2.a")],
            "model-00001-of-00003.safetensors");
  EXPECT_EQ(c->shard_names()[c->weight_map().at("layers.2.norm")],
            "model-00002-of-00003.safetensors");
}

TEST(FormatIndex, AsHuggingFaceWritesIt) {
  const Model m = Tiny();
  ShardWriteOptions options;
  options.max_shard_size = 40;
  absl::StatusOr<ShardLayout> layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(FormatIndex(*layout, m.Descs()),
            R"({
  "metadata": {
    "total_size": 71
  },
  "weight_map": {
    "embed.weight": "model-00002-of-00002.safetensors",
    "mask": "model-00002-of-00002.safetensors",
    "norm.scale": "model-00002-of-00002.safetensors",
    "positions": "model-00001-of-00002.safetensors",
    "temperature": "model-00001-of-00002.safetensors",
    "tokens": "model-00002-of-00002.safetensors"
  }
}
)");
  EXPECT_EQ(FormatIndex(ShardLayout{}, {}),
            "{\n  \"metadata\": {\n    \"total_size\": 0\n  },\n"
            "  \"weight_map\": {}\n}\n");
}

TEST(WriteShardedCheckpoint, RoundTrip) {
  const std::string dir = NewDir("write_round_trip");
  const Model m = Tiny();
  const std::vector<TensorRef> refs = m.Refs();
  ShardWriteOptions options;
  options.max_shard_size = 40;
  options.write.data_order = ByteOrder::kLittleEndian;  // bytes as given
  uint64_t last_done = 0, last_total = 0;
  options.progress = [&](uint64_t done, uint64_t total) {
    EXPECT_GE(done, last_done);
    last_done = done;
    last_total = total;
  };
  // Every input byte is handed to `written` once, in the input's own
  // memory, after it is written.
  std::map<const uint8_t*, size_t> chunks;
  options.written = [&](absl::Span<const uint8_t> chunk) {
    EXPECT_TRUE(chunks.emplace(chunk.data(), chunk.size()).second);
  };
  const MetadataMap metadata = {{"format", "pt"}};
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(dir, refs, metadata, options);
  ASSERT_THAT(layout, IsOk());
  std::map<const uint8_t*, size_t> want_chunks;
  for (const TensorRef& r : refs) want_chunks[r.data.data()] = r.data.size();
  EXPECT_EQ(chunks, want_chunks);
  EXPECT_EQ(last_done, 71u);
  EXPECT_EQ(last_total, 71u);
  EXPECT_EQ(ReadWholeFile(dir + "/model.safetensors.index.json"),
            FormatIndex(*layout, m.Descs()));

  absl::StatusOr<Checkpoint> c =
      Checkpoint::Open(dir + "/model.safetensors.index.json");
  ASSERT_THAT(c, IsOk());
  ASSERT_THAT(c->OpenAll(), IsOk());
  EXPECT_EQ(c->size(), 6u);
  for (size_t i = 0; i < m.names.size(); ++i) {
    absl::StatusOr<TensorView> t = c->Tensor(m.names[i]);
    ASSERT_THAT(t, IsOk());
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(t->data().data()),
                          t->data().size()),
              m.data[i]);
    EXPECT_EQ(t->dtype(), m.dtypes[i]);
  }
  // Each shard is a plain file with the metadata, laid out by the writer.
  for (size_t s = 0; s < 2; ++s) {
    absl::StatusOr<const File*> f = c->Shard(s);
    ASSERT_THAT(f, IsOk());
    ASSERT_TRUE((*f)->parsed().metadata().has_value());
    EXPECT_EQ(*(*f)->parsed().metadata(), metadata);
    std::vector<TensorRef> subset;
    for (size_t i : layout->shard_tensors[s]) subset.push_back(refs[i]);
    absl::StatusOr<std::string> want =
        Serialize(subset, metadata, options.write);
    ASSERT_THAT(want, IsOk());
    EXPECT_EQ(ReadWholeFile(c->ShardPath(s)), *want);
  }
  absl::StatusOr<std::optional<MetadataMap>> merged = c->Metadata();
  ASSERT_THAT(merged, IsOk());
  EXPECT_EQ(**merged, metadata);
}

TEST(WriteShardedCheckpoint, Errors) {
  const std::string dir = NewDir("write_errors");
  Model m = Tiny();
  m.data[2].pop_back();  // norm.scale one byte short
  ShardWriteOptions options;
  options.max_shard_size = 40;
  EXPECT_THAT(WriteShardedCheckpoint(dir, m.Refs(), std::nullopt, options),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  // Nothing was written.
  EXPECT_NE(access((dir + "/model-00001-of-00002.safetensors").c_str(), F_OK),
            0);
  EXPECT_THAT(WriteShardedCheckpoint(dir + "/no/such/dir", Tiny().Refs(),
                                     std::nullopt, options),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
}

// The prefix starts file names in the directory: one that would leave it, or
// name nothing, is refused before anything is written; any other is used.
TEST(WriteShardedCheckpoint, PrefixIsAFileNameStart) {
  const std::string dir = NewDir("write_prefix");
  ShardWriteOptions options;
  options.max_shard_size = 40;
  for (const std::string& bad :
       {std::string(""), std::string("."), std::string(".."),
        std::string("../model"), std::string("a/b"), std::string("a\0b", 3)}) {
    options.prefix = bad;
    absl::StatusOr<ShardLayout> layout =
        WriteShardedCheckpoint(dir, Tiny().Refs(), std::nullopt, options);
    EXPECT_EQ(layout.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_FALSE(ErrorKindOf(layout.status()).has_value());
  }
  EXPECT_EQ(rmdir(dir.c_str()), 0) << "something was written";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  options.prefix = "diffusion_pytorch_model";
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(dir, Tiny().Refs(), std::nullopt, options);
  ASSERT_TRUE(layout.ok()) << layout.status();
  EXPECT_EQ(layout->shard_names[0],
            "diffusion_pytorch_model-00001-of-00002.safetensors");
  EXPECT_EQ(
      access((dir + "/diffusion_pytorch_model.safetensors.index.json").c_str(),
             F_OK),
      0);
}

// A shard is named in the index only through its tensors, so metadata
// without tensors could not be read back: refused, before anything is
// written. Without metadata either, nothing is lost: no shard, an empty map.
TEST(WriteShardedCheckpoint, NoTensorsKeepsNothingOrRefuses) {
  const std::string dir = NewDir("write_no_tensors");
  for (const MetadataMap& metadata :
       {MetadataMap{{"format", "pt"}}, MetadataMap{}}) {
    absl::StatusOr<ShardLayout> refused =
        WriteShardedCheckpoint(dir, {}, metadata);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(ErrorKindOf(refused.status()).has_value());
    EXPECT_THAT(refused.status().message(),
                ::testing::HasSubstr("no shard to carry the metadata"));
    EXPECT_THAT(ListDir(dir), ::testing::IsEmpty());
  }
  absl::StatusOr<ShardLayout> none =
      WriteShardedCheckpoint(dir, {}, std::nullopt);
  ASSERT_THAT(none, IsOk());
  EXPECT_THAT(none->shard_names, ::testing::IsEmpty());
  absl::StatusOr<Checkpoint> c =
      Checkpoint::Open(dir + "/model.safetensors.index.json");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->size(), 0u);
  absl::StatusOr<std::optional<MetadataMap>> metadata = c->Metadata();
  ASSERT_THAT(metadata, IsOk());
  EXPECT_FALSE(metadata->has_value());
}

constexpr absl::string_view kIndex = "model.safetensors.index.json";

// Every file-system call of a sharded write fails in turn, the index's
// (the last calls) included; each time the old index is intact, or, when
// only the directory's fsync after the index's rename failed, the new one is
// in place, and no temporary is left behind.
TEST(WriteShardedCheckpoint, AnyFailureLeavesTheOldIndexAndNoTemporary) {
  const std::string dir = NewDir("sharded_atomic");
  const std::string index = absl::StrCat(dir, "/", kIndex);
  const Model m = Tiny();
  ShardWriteOptions options;
  options.max_shard_size = 40;
  options.write.fsync = true;  // the Sync and SyncDirectory calls too
  absl::StatusOr<ShardLayout> layout = PlanShards(m.Descs(), options);
  ASSERT_THAT(layout, IsOk());
  const std::string new_index = FormatIndex(*layout, m.Descs());
  std::vector<std::string> files = layout->shard_names;
  files.push_back(std::string(kIndex));
  std::sort(files.begin(), files.end());
  int failures = 0;
  int calls = 0;
  for (int fail_at = 1; fail_at < 100; ++fail_at) {
    SCOPED_TRACE(fail_at);
    WriteWholeFile(index, "the old index");
    FailingFileSystem fs(fail_at);
    const absl::Status status = internal::WriteShardedCheckpoint(
                                    &fs, dir, m.Refs(), std::nullopt, options)
                                    .status();
    calls = fs.calls();
    if (fail_at > fs.calls()) {
      // Every call succeeded: the write went through.
      ASSERT_THAT(status, IsOk());
      EXPECT_EQ(ReadWholeFile(index), new_index);
      EXPECT_EQ(ListDir(dir), files);
      break;
    }
    ++failures;
    ASSERT_FALSE(status.ok())
        << "the failure of call " << fail_at << " was not reported";
    EXPECT_EQ(ErrorKindOf(status), ErrorKind::kIoError) << status;
    if (ReadWholeFile(index) != "the old index") {
      // Only the directory's fsync, the last call, comes after the index's
      // rename.
      EXPECT_EQ(ReadWholeFile(index), new_index);
      EXPECT_EQ(fail_at, fs.calls());
    } else {
      EXPECT_EQ(ReadWholeFile(index), "the old index");
    }
    for (const std::string& name : ListDir(dir)) {
      EXPECT_THAT(files, ::testing::Contains(name)) << "left behind: " << name;
    }
  }
  // Every call of the successful run was failed once: for each of the two
  // shards and the index at least create, write, fsync, close, rename and
  // the directory's fsync.
  EXPECT_EQ(failures, calls);
  EXPECT_GE(failures, 3 * 6);
}

// The index goes through the one atomic write: replacing it keeps its mode,
// as replacing a shard does.
TEST(WriteShardedCheckpoint, ReshardingKeepsTheIndexMode) {
  const std::string dir = NewDir("sharded_mode");
  const std::string index = absl::StrCat(dir, "/", kIndex);
  const Model m = Tiny();
  ShardWriteOptions options;
  options.max_shard_size = 40;
  ASSERT_THAT(WriteShardedCheckpoint(dir, m.Refs(), std::nullopt, options),
              IsOk());
  ASSERT_EQ(chmod(index.c_str(), 0640), 0);
  const std::string shard = dir + "/model-00001-of-00002.safetensors";
  ASSERT_EQ(chmod(shard.c_str(), 0600), 0);
  options.max_shard_size = 50;  // a different layout, the same file names
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(dir, m.Refs(), std::nullopt, options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(ReadWholeFile(index), FormatIndex(*layout, m.Descs()));
  struct stat st;
  ASSERT_EQ(stat(index.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  ASSERT_EQ(stat(shard.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

}  // namespace
}  // namespace safetensors
