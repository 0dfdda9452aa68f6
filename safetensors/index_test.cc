// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/index.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/status.h"
#include "safetensors/testing/index_cases.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::safetensors::test::WriteWholeFile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

// A directory under the test's temporary directory, created if needed.
std::string NewDir(absl::string_view name) {
  const std::string dir = test::TempPath(name);
  mkdir(dir.c_str(), 0755);
  return dir;
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
  for (const test::IndexCase& c : test::RejectedIndexCases()) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Checkpoint> r =
        Checkpoint::ParseIndex(c.text, "dir/model.safetensors.index.json");
    EXPECT_THAT(r, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
    EXPECT_THAT(r.status().message(),
                HasSubstr("dir/model.safetensors.index.json"));
    // An index has no safetensors header: its errors never speak of one.
    EXPECT_THAT(std::string(r.status().message()), Not(HasSubstr("header")));
  }
}

// Python's json.load rejects a byte order mark, and so does this reader,
// saying what it is and what to do.
TEST(ParseIndex, ByteOrderMarkSaysSo) {
  absl::StatusOr<Checkpoint> r = Checkpoint::ParseIndex(
      "\xEF\xBB\xBF{\"weight_map\": {}}", "m.index.json");
  EXPECT_THAT(r, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_EQ(r.status().message(),
            "index m.index.json: the file starts with a UTF-8 byte order mark "
            "(EF BB BF), which JSON does not allow and Python's json.load "
            "rejects; save the index as UTF-8 without a BOM");
}

// Hugging Face's loader ignores "metadata"; null reads as no metadata.
TEST(ParseIndex, MetadataNullIsNoMetadata) {
  absl::StatusOr<Checkpoint> c = Checkpoint::ParseIndex(
      R"({"metadata": null, "weight_map": {"a": "s.safetensors"}})", "i.json");
  ASSERT_THAT(c, IsOk());
  EXPECT_TRUE(c->index_metadata().empty());
  EXPECT_EQ(c->total_size(), std::nullopt);
  EXPECT_EQ(c->size(), 1u);
}

// An index that is not JSON at all says what it is.
TEST(ParseIndex, ForeignFilesSayWhatTheyAre) {
  absl::StatusOr<Checkpoint> html = Checkpoint::ParseIndex(
      "<!DOCTYPE html><html><body>Access denied</body></html>", "i.json");
  EXPECT_THAT(html, StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(std::string(html.status().message()),
              HasSubstr("index i.json: invalid JSON at byte 0: expected value; "
                        "this is an HTML web page"));
  absl::StatusOr<Checkpoint> lfs = Checkpoint::ParseIndex(
      "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n",
      "i.json");
  EXPECT_THAT(std::string(lfs.status().message()), HasSubstr("git lfs pull"));
  // JSON that is not an index's is not called something else.
  absl::StatusOr<Checkpoint> array = Checkpoint::ParseIndex("[]", "i.json");
  EXPECT_EQ(array.status().message(),
            "index i.json: the top level is not a JSON object");
}

TEST(ParseIndex, UnsafeNamesSaySo) {
  struct Case {
    const char* text;
    const char* quoted_file;  // the shard name as the message quotes it
    const char* why;
  };
  const Case cases[] = {
      {R"({"weight_map": {"w": "../../etc/x"}})", R"("../../etc/x")",
       "has a '..' component"},
      {R"({"weight_map": {"w": "d/.."}})", R"("d/..")", "has a '..' component"},
      {R"({"weight_map": {"w": "/etc/passwd"}})", R"("/etc/passwd")",
       "is an absolute path"},
      {R"({"weight_map": {"w": ""}})", R"("")", "is empty"},
      {R"({"weight_map": {"w": "x\u0000.st"}})", R"("x\u0000.st")",
       "contains NUL"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<Checkpoint> r = Checkpoint::ParseIndex(c.text, "i.json");
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument,
                            ErrorKind::kInvalidHeaderDeserialization));
    EXPECT_THAT(r.status().message(), HasSubstr("index i.json: "));
    EXPECT_THAT(r.status().message(),
                HasSubstr(absl::StrCat("the shard file name ", c.quoted_file,
                                       " of tensor \"w\" ", c.why)));
    EXPECT_THAT(r.status().message(), HasSubstr("relative paths inside"));
  }
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
    test::WriteWholeFile(index(),
                         absl::StrCat(R"({"metadata": {"total_size": 9}, )",
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
  test::WriteWholeFile(dir_ + "/s2.safetensors", "abc");
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

// A shard opened as a LazyFile is checked against the index as Shard()
// checks the File: the same status for every shard of every layout, and on
// success the same tensors.
TEST_F(TwoShards, OpenShardLazilyChecksAsShardDoes) {
  const char* const maps[] = {
      R"({"a": "s1.safetensors", "b": "s1.safetensors",
          "c": "s2.safetensors"})",
      R"({"a": "s1.safetensors", "b": "s1.safetensors",
          "c": "s3.safetensors"})",
      R"({"a": "s1.safetensors", "b": "s1.safetensors",
          "c": "s2.safetensors", "ghost": "s2.safetensors"})",
      R"({"a": "s1.safetensors", "c": "s2.safetensors"})",
      R"({"a": "s1.safetensors", "b": "s2.safetensors",
          "c": "s2.safetensors"})",
  };
  int failures = 0;
  for (int round = 0; round < 2; ++round) {
    // The second round with s2 not a safetensors file at all.
    if (round == 1) test::WriteWholeFile(dir_ + "/s2.safetensors", "abc");
    for (const char* map : maps) {
      SCOPED_TRACE(absl::StrCat(round, ": ", map));
      WriteIndex(map);
      absl::StatusOr<Checkpoint> c = Checkpoint::Open(index());
      ASSERT_THAT(c, IsOk());
      for (size_t s = 0; s < c->shard_names().size(); ++s) {
        SCOPED_TRACE(c->shard_names()[s]);
        absl::StatusOr<LazyFile> lazy = c->OpenShardLazily(s);
        absl::StatusOr<const File*> file = c->Shard(s);
        EXPECT_EQ(lazy.status(), file.status());
        if (!file.ok()) {
          ++failures;
          continue;
        }
        ASSERT_THAT(lazy, IsOk());
        EXPECT_EQ(lazy->path(), c->ShardPath(s));
        ASSERT_EQ(lazy->header().tensors().size(), (*file)->size());
        for (size_t i = 0; i < (*file)->size(); ++i) {
          EXPECT_EQ(lazy->header().tensors()[i].name,
                    (*file)->parsed().at(i).name());
        }
      }
    }
  }
  EXPECT_EQ(failures, 12);  // every bad shard of the bad layouts
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

// ResolveModelPath's answer, or its error as text.
std::string Resolved(const std::string& path) {
  absl::StatusOr<std::string> r = ResolveModelPath(path);
  return r.ok() ? *r : r.status().ToString();
}

// Model directories: which file Open picks, and the errors that list what a
// directory holds.
TEST(ResolveModelPath, PicksTheModelOfADirectory) {
  NewDir("model_dirs");
  // An index wins over everything else.
  const std::string sharded = NewDir("model_dirs/sharded");
  WriteU8File(sharded + "/model-00001-of-00001.safetensors", {{"a", 2, 1}});
  WriteWholeFile(
      sharded + "/model.safetensors.index.json",
      R"({"weight_map": {"a": "model-00001-of-00001.safetensors"}})");
  WriteU8File(sharded + "/model.safetensors", {{"b", 2, 2}});
  EXPECT_EQ(Resolved(sharded), sharded + "/model.safetensors.index.json");
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(sharded + "/");
  ASSERT_THAT(c, IsOk());
  EXPECT_TRUE(c->is_index());
  EXPECT_THAT(c->Tensor("a"), IsOk());
  // Then model.safetensors, beside other files.
  const std::string single = NewDir("model_dirs/single");
  WriteU8File(single + "/model.safetensors", {{"b", 2, 2}});
  WriteU8File(single + "/other.safetensors", {{"c", 2, 3}});
  EXPECT_EQ(Resolved(single), single + "/model.safetensors");
  // Then the one *.safetensors.index.json (diffusers' names).
  const std::string diffusers = NewDir("model_dirs/diffusers");
  WriteU8File(diffusers + "/diffusion_pytorch_model-00001-of-00002.safetensors",
              {{"a", 2, 1}});
  WriteU8File(diffusers + "/diffusion_pytorch_model-00002-of-00002.safetensors",
              {{"b", 2, 1}});
  WriteWholeFile(
      diffusers + "/diffusion_pytorch_model.safetensors.index.json",
      R"({"weight_map": {"a": "diffusion_pytorch_model-00001-of-00002.safetensors",)"
      R"( "b": "diffusion_pytorch_model-00002-of-00002.safetensors"}})");
  c = Checkpoint::Open(diffusers);
  ASSERT_THAT(c, IsOk());
  EXPECT_TRUE(c->is_index());
  EXPECT_THAT(c->Tensor("b"), IsOk());
  // Then the only *.safetensors file, whatever its name.
  const std::string one = NewDir("model_dirs/one");
  WriteU8File(one + "/weights.safetensors", {{"w", 2, 4}});
  WriteWholeFile(one + "/config.json", "{}");
  c = Checkpoint::Open(one);
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->path(), one + "/weights.safetensors");
  // A file path is returned as given.
  EXPECT_EQ(Resolved(one + "/weights.safetensors"),
            one + "/weights.safetensors");
}

TEST(ResolveModelPath, SaysWhatADirectoryHoldsWhenItCannotChoose) {
  const std::string two = NewDir("model_dirs_two");
  WriteU8File(two + "/a.safetensors", {{"a", 1, 1}});
  WriteU8File(two + "/b.safetensors", {{"b", 1, 1}});
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(two);
  EXPECT_THAT(
      c, StatusIs(absl::StatusCode::kFailedPrecondition, ErrorKind::kIoError));
  EXPECT_THAT(std::string(c.status().message()),
              AllOf(HasSubstr("\"a.safetensors\", \"b.safetensors\""),
                    HasSubstr("give the path")));
  const std::string none = NewDir("model_dirs_none");
  WriteWholeFile(none + "/pytorch_model.bin", "x");
  c = Checkpoint::Open(none);
  EXPECT_THAT(c, StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_THAT(std::string(c.status().message()),
              AllOf(HasSubstr("no safetensors model"),
                    HasSubstr("\"pytorch_model.bin\"")));
  EXPECT_THAT(Checkpoint::Open(none + "/missing"),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
}

// models--ORG--NAME/{refs/main, snapshots/COMMIT/FILE -> ../../blobs/SHA}.
TEST(ResolveModelPath, HuggingFaceCacheLayout) {
  // From nothing: a second snapshot left by an earlier run would change the
  // answers below.
  std::filesystem::remove_all(test::TempPath("models--org--tiny"));
  const std::string repo = NewDir("models--org--tiny");
  NewDir("models--org--tiny/blobs");
  NewDir("models--org--tiny/refs");
  NewDir("models--org--tiny/snapshots");
  const std::string snap = NewDir("models--org--tiny/snapshots/abc123");
  WriteU8File(repo + "/blobs/5f1e", {{"w", 3, 7}});
  unlink((snap + "/model.safetensors").c_str());
  ASSERT_EQ(symlink("../../blobs/5f1e", (snap + "/model.safetensors").c_str()),
            0);
  WriteWholeFile(repo + "/refs/main", "abc123\n");
  for (const std::string& path : {repo, snap}) {
    SCOPED_TRACE(path);
    absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
    ASSERT_THAT(c, IsOk());
    EXPECT_EQ(c->path(), snap + "/model.safetensors");
    absl::StatusOr<TensorView> w = c->Tensor("w");
    ASSERT_THAT(w, IsOk());
    EXPECT_EQ(w->data()[0], 7);
  }
  // Without refs/main, the only snapshot; with two, an error naming them.
  unlink((repo + "/refs/main").c_str());
  EXPECT_THAT(Checkpoint::Open(repo), IsOk());
  NewDir("models--org--tiny/snapshots/def456");
  EXPECT_THAT(
      Checkpoint::Open(repo),
      StatusIs(absl::StatusCode::kFailedPrecondition, ErrorKind::kIoError));
}

}  // namespace
}  // namespace safetensors
