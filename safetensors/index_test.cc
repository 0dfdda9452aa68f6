// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/index.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/dump.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// A fresh directory under the test's temporary directory.
std::string NewDir(absl::string_view name) {
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  dir = absl::StrCat(dir, name);
  mkdir(dir.c_str(), 0755);
  return dir;
}

void WriteText(const std::string& path, absl::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  ASSERT_TRUE(out.good()) << path;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes a safetensors file of U8 tensors, each named tensor holding
// `size` bytes of value `fill`.
struct U8Tensor {
  std::string name;
  uint64_t size;
  uint8_t fill;
};
void WriteU8File(const std::string& path, const std::vector<U8Tensor>& ts,
                 const std::optional<MetadataMap>& metadata = std::nullopt) {
  std::vector<std::vector<uint64_t>> shapes;
  std::vector<std::string> data;
  for (const U8Tensor& t : ts) {
    shapes.push_back({t.size});
    data.push_back(std::string(t.size, static_cast<char>(t.fill)));
  }
  std::vector<TensorRef> refs;
  for (size_t i = 0; i < ts.size(); ++i) {
    refs.push_back({ts[i].name, Dtype::kU8, shapes[i],
                    absl::Span<const uint8_t>(
                        reinterpret_cast<const uint8_t*>(data[i].data()),
                        data[i].size())});
  }
  ASSERT_THAT(WriteFile(path, refs, metadata), IsOk());
}

TEST(IsIndexPath, ByName) {
  EXPECT_TRUE(IsIndexPath("model.safetensors.index.json"));
  EXPECT_TRUE(IsIndexPath("a/b.json"));
  EXPECT_FALSE(IsIndexPath("model.safetensors"));
  EXPECT_FALSE(IsIndexPath("json"));
}

TEST(ParseIndex, Accepts) {
  absl::StatusOr<Checkpoint> c = Checkpoint::ParseIndex(
      R"({"metadata": {"total_size": 12, "format": "pt", "nested": {"a": [1]}},
          "other": [1, {"x": null}],
          "weight_map": {"b": "s2.safetensors", "a": "s1.safetensors",
                         "c\u0041": "s1.safetensors"}})",
      "/models/x/model.safetensors.index.json");
  ASSERT_THAT(c, IsOk());
  EXPECT_TRUE(c->is_index());
  EXPECT_THAT(c->shard_names(),
              ElementsAre("s1.safetensors", "s2.safetensors"));
  EXPECT_EQ(c->ShardPath(1), "/models/x/s2.safetensors");
  EXPECT_THAT(c->weight_map(),
              ElementsAre(Pair("a", 0), Pair("b", 1), Pair("cA", 0)));
  EXPECT_EQ(c->size(), 3u);
  EXPECT_TRUE(c->Contains("cA"));
  EXPECT_FALSE(c->Contains("c"));
  EXPECT_THAT(c->index_metadata(), ElementsAre(Pair("format", "\"pt\""),
                                               Pair("nested", "{\"a\": [1]}"),
                                               Pair("total_size", "12")));
  EXPECT_EQ(c->total_size(), 12u);

  absl::StatusOr<Checkpoint> empty =
      Checkpoint::ParseIndex(R"({"weight_map": {}})", "i.json");
  ASSERT_THAT(empty, IsOk());
  EXPECT_EQ(empty->size(), 0u);
  EXPECT_TRUE(empty->shard_names().empty());
  EXPECT_EQ(empty->total_size(), std::nullopt);
}

TEST(ParseIndex, Rejects) {
  struct Case {
    const char* name;
    std::string text;
  };
  const Case cases[] = {
      {"empty", ""},
      {"not json", "weight_map"},
      {"array", "[]"},
      {"no weight_map", R"({"metadata": {}})"},
      {"weight_map array", R"({"weight_map": []})"},
      {"metadata string", R"({"metadata": "x", "weight_map": {}})"},
      {"value number", R"({"weight_map": {"a": 1}})"},
      {"value null", R"({"weight_map": {"a": null}})"},
      {"duplicate top key", R"({"weight_map": {}, "weight_map": {}})"},
      {"duplicate tensor", R"({"weight_map": {"a": "s", "a": "s"}})"},
      {"duplicate escaped tensor",
       R"({"weight_map": {"a": "s", "\u0061": "t"}})"},
      {"duplicate metadata key",
       R"({"metadata": {"k": 1, "k": 2}, "weight_map": {}})"},
      {"absolute path", R"({"weight_map": {"a": "/etc/passwd"}})"},
      {"dot dot", R"({"weight_map": {"a": "../x.safetensors"}})"},
      {"inner dot dot", R"({"weight_map": {"a": "d/../../x.safetensors"}})"},
      {"trailing dot dot", R"({"weight_map": {"a": "d/.."}})"},
      {"empty name", R"({"weight_map": {"a": ""}})"},
      {"nul in name", R"({"weight_map": {"a": "x\u0000.safetensors"}})"},
      {"trailing garbage", R"({"weight_map": {}} x)"},
      {"trailing comma", R"({"weight_map": {"a": "s",}})"},
      {"bad utf8", std::string("{\"weight_map\": {\"\xff\": \"s\"}}")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Checkpoint> r =
        Checkpoint::ParseIndex(c.text, "dir/model.safetensors.index.json");
    EXPECT_THAT(r, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
    EXPECT_THAT(r.status().message(),
                HasSubstr("dir/model.safetensors.index.json"));
  }
}

TEST(ParseIndex, UnsafeNamesSaySo) {
  absl::StatusOr<Checkpoint> r = Checkpoint::ParseIndex(
      R"({"weight_map": {"w": "../../etc/x"}})", "i.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("\"../../etc/x\""));
  EXPECT_THAT(r.status().message(), HasSubstr("\"w\""));
  EXPECT_THAT(r.status().message(), HasSubstr("'..'"));
}

TEST(OpenIndex, MissingIndexIsIoError) {
  const std::string path = NewDir("missing_index") + "/nope.json";
  absl::StatusOr<Checkpoint> c = Checkpoint::OpenIndex(path);
  EXPECT_THAT(c, StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_THAT(c.status().message(), HasSubstr(path));
  EXPECT_THAT(Checkpoint::Open(NewDir("index_is_dir") + "/d.json"),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
}

// A directory with two shards and an index, written by hand.
class TwoShards : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        NewDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    WriteU8File(dir_ + "/s1.safetensors", {{"a", 2, 1}, {"b", 3, 2}},
                MetadataMap{{"format", "pt"}});
    WriteU8File(dir_ + "/s2.safetensors", {{"c", 4, 3}},
                MetadataMap{{"format", "pt"}, {"extra", "1"}});
  }
  void WriteIndex(absl::string_view weight_map) {
    WriteText(index(), absl::StrCat(R"({"metadata": {"total_size": 9}, )",
                                    R"("weight_map": )", weight_map, "}"));
  }
  std::string index() const { return dir_ + "/model.safetensors.index.json"; }
  std::string dir_;
};

TEST_F(TwoShards, LooksUpAndIterates) {
  WriteIndex(R"({"a": "s1.safetensors", "b": "s1.safetensors",
                 "c": "s2.safetensors"})");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<TensorView> t = c->Tensor("c");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->byte_size(), 4u);
  EXPECT_EQ(t->data()[0], 3);
  EXPECT_THAT(c->Tensor("zz"), StatusIs(absl::StatusCode::kNotFound,
                                        ErrorKind::kTensorNotFound));
  absl::StatusOr<std::vector<ShardTensor>> all = c->Tensors();
  ASSERT_THAT(all, IsOk());
  std::vector<std::string> names;
  for (const ShardTensor& st : *all) {
    names.push_back(absl::StrCat(st.shard, ":", st.view.name()));
  }
  EXPECT_THAT(names, ElementsAre("0:a", "0:b", "1:c"));
  absl::StatusOr<std::optional<MetadataMap>> meta = c->Metadata();
  ASSERT_THAT(meta, IsOk());
  ASSERT_TRUE(meta->has_value());
  EXPECT_THAT(**meta, ElementsAre(Pair("extra", "1"), Pair("format", "pt")));
  EXPECT_EQ(c->total_size(), 9u);
}

TEST_F(TwoShards, OpensShardsLazily) {
  WriteIndex(R"({"a": "s1.safetensors", "c": "s3.safetensors",
                 "b": "s1.safetensors"})");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
  ASSERT_THAT(c, IsOk());  // s3 does not exist, but it is not opened yet
  EXPECT_THAT(c->Tensor("a"), IsOk());
  absl::StatusOr<TensorView> missing = c->Tensor("c");
  EXPECT_THAT(missing,
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_THAT(missing.status().message(), HasSubstr("shard s3.safetensors"));
  EXPECT_THAT(missing.status().message(), HasSubstr(index()));
  // The same error again, and from OpenAll.
  EXPECT_THAT(c->Tensor("c"),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_THAT(c->OpenAll(),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_THAT(c->Tensor("b"), IsOk());
}

TEST_F(TwoShards, TensorMissingFromItsShard) {
  WriteIndex(R"({"a": "s1.safetensors", "b": "s1.safetensors",
                 "c": "s2.safetensors", "ghost": "s2.safetensors"})");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(c->Tensor("a"), IsOk());
  absl::StatusOr<TensorView> t = c->Tensor("c");
  EXPECT_THAT(
      t, StatusIs(absl::StatusCode::kNotFound, ErrorKind::kTensorNotFound));
  EXPECT_THAT(t.status().message(), HasSubstr("s2.safetensors"));
  EXPECT_THAT(t.status().message(), HasSubstr("\"ghost\""));
  EXPECT_THAT(c->Tensors(), StatusIs(ErrorKind::kTensorNotFound));
}

TEST_F(TwoShards, TensorInTwoShards) {
  // s1 holds a and b; the map says b is in s2, which holds b as well.
  WriteU8File(dir_ + "/s2.safetensors", {{"b", 3, 2}, {"c", 4, 3}});
  WriteIndex(R"({"a": "s1.safetensors", "b": "s2.safetensors",
                 "c": "s2.safetensors"})");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(c->Tensor("c"), IsOk());
  absl::StatusOr<TensorView> t = c->Tensor("a");
  EXPECT_THAT(t, StatusIs(absl::StatusCode::kInvalidArgument,
                          ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(t.status().message(), HasSubstr("\"b\""));
  EXPECT_THAT(t.status().message(), HasSubstr("shard s1.safetensors"));
  EXPECT_THAT(t.status().message(), HasSubstr("shard s2.safetensors"));
  EXPECT_THAT(c->OpenAll(), StatusIs(ErrorKind::kInvalidHeaderDeserialization));
}

TEST_F(TwoShards, TensorTheIndexDoesNotList) {
  WriteIndex(R"({"a": "s1.safetensors", "c": "s2.safetensors"})");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(c->Tensor("c"), IsOk());
  absl::StatusOr<TensorView> t = c->Tensor("a");
  EXPECT_THAT(t, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(t.status().message(), HasSubstr("\"b\""));
  EXPECT_THAT(t.status().message(), HasSubstr("does not list"));
}

TEST_F(TwoShards, InvalidShardKeepsItsKind) {
  WriteText(dir_ + "/s2.safetensors", "abc");
  WriteIndex(R"({"a": "s1.safetensors", "b": "s1.safetensors",
                 "c": "s2.safetensors"})");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<TensorView> t = c->Tensor("c");
  EXPECT_THAT(t, StatusIs(ErrorKind::kHeaderTooSmall));
  EXPECT_THAT(t.status().message(), HasSubstr("shard s2.safetensors"));
}

TEST_F(TwoShards, ConflictingMetadata) {
  WriteU8File(dir_ + "/s2.safetensors", {{"c", 4, 3}},
              MetadataMap{{"format", "tf"}});
  WriteIndex(R"({"a": "s1.safetensors", "b": "s1.safetensors",
                 "c": "s2.safetensors"})");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<std::optional<MetadataMap>> m = c->Metadata();
  EXPECT_THAT(m, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(m.status().message(), HasSubstr("\"format\""));
}

TEST(OpenFile, IsOneShard) {
  const std::string path = NewDir("single") + "/one.safetensors";
  WriteU8File(path, {{"x", 1, 7}, {"y", 2, 8}});
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  ASSERT_THAT(c, IsOk());
  EXPECT_FALSE(c->is_index());
  EXPECT_THAT(c->shard_names(), ElementsAre("one.safetensors"));
  EXPECT_EQ(c->ShardPath(0), path);
  EXPECT_EQ(c->size(), 2u);
  EXPECT_TRUE(c->index_metadata().empty());
  EXPECT_THAT(c->Tensor("y"), IsOk());
  EXPECT_THAT(c->Tensor("z"), StatusIs(ErrorKind::kTensorNotFound));
  absl::StatusOr<std::optional<MetadataMap>> m = c->Metadata();
  ASSERT_THAT(m, IsOk());
  EXPECT_FALSE(m->has_value());
  EXPECT_THAT(Checkpoint::Open(path + ".missing"),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
}

// --- Writing -----------------------------------------------------------------

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
  const MetadataMap metadata = {{"format", "pt"}};
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(dir, refs, metadata, options);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(last_done, 71u);
  EXPECT_EQ(last_total, 71u);
  EXPECT_EQ(ReadText(dir + "/model.safetensors.index.json"),
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
    EXPECT_EQ(ReadText(c->ShardPath(s)), *want);
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

TEST(WriteFileStreaming, SameBytesAsSerialize) {
  const std::string path = NewDir("streaming") + "/out.safetensors";
  const Model m = Tiny();
  const MetadataMap metadata = {{"k", "v"}};
  uint64_t done = 0;
  absl::StatusOr<uint64_t> size =
      WriteFileStreaming(path, m.Refs(), metadata, WriteOptions{},
                         [&](uint64_t d, uint64_t total) {
                           done = d;
                           EXPECT_EQ(total, 71u);
                         });
  ASSERT_THAT(size, IsOk());
  absl::StatusOr<std::string> want = Serialize(m.Refs(), metadata);
  ASSERT_THAT(want, IsOk());
  EXPECT_EQ(*size, want->size());
  EXPECT_EQ(ReadText(path), *want);
  EXPECT_EQ(done, 71u);
  Model bad = Tiny();
  bad.data[0] += "x";
  EXPECT_THAT(WriteFileStreaming(path, bad.Refs(), std::nullopt, {}),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_EQ(ReadText(path), *want);  // untouched
}

}  // namespace
}  // namespace safetensors
