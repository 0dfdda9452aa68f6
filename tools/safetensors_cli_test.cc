// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Runs the `safetensors` tool as a child process and checks its exit codes
// and the exact bytes it writes. The dump of examples/tiny.safetensors is
// compared with examples/tiny.safetensors.dump, which make_examples.py
// computes independently, in Python.
//
// Under --config=s390x this test itself runs under qemu-s390x-static, and so
// does not know the host's architecture; the kernel has no binfmt entry for
// s390x, so exec of the tool fails with ENOEXEC, and the child then starts it
// through qemu-s390x-static instead.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/version.h"
#include "tools/tool_runner.h"

namespace {

using ::safetensors::tool_test::ListDirectory;
using ::safetensors::tool_test::MakeFile;
using ::safetensors::tool_test::ReadFile;
using ::safetensors::tool_test::Result;
using ::safetensors::tool_test::Runfile;
using ::safetensors::tool_test::RunTool;
using ::safetensors::tool_test::TempPath;
using ::safetensors::tool_test::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

std::string Tiny() { return Runfile("examples/tiny.safetensors"); }
std::string TinyDump() {
  return ReadFile(Runfile("examples/tiny.safetensors.dump"));
}

TEST(SafetensorsCli, DumpsAValidFileExactly) {
  const std::string want = TinyDump();
  ASSERT_THAT(want, StartsWith("header_len\t448\n"));
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"dump", Tiny()},
           {"dump", "--profile=strict", Tiny()},
           {"dump", "--profile=reference", Tiny()},
           {"dump", "--profile", "reference", Tiny()},
           {"dump", "--", Tiny()}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, want);
    EXPECT_THAT(r.err, IsEmpty());
  }
}

TEST(SafetensorsCli, RelativePathsFollowBuildWorkingDirectory) {
  // As `bazel run` sets it: relative to the directory it was called from.
  Result r = RunTool({"dump", "examples/tiny.safetensors"},
                     {absl::StrCat("BUILD_WORKING_DIRECTORY=", Runfile(""))});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, TinyDump());
}

TEST(SafetensorsCli, DumpRejectsAnInvalidFile) {
  const std::string bad = WriteFile("bad.safetensors", MakeFile("{\"t\":"));
  Result r = RunTool({"dump", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "reject\tInvalidHeaderDeserialization\n");
  EXPECT_THAT(r.err, HasSubstr(bad));

  const std::string small = WriteFile("small.safetensors", "abc");
  r = RunTool({"dump", small});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "reject\tHeaderTooSmall\n");
}

TEST(SafetensorsCli, ProfileChangesTheDecision) {
  // Leading whitespace: the reference reader accepts it, strict does not.
  const std::string path =
      WriteFile("leading_space.safetensors", MakeFile(" {}"));
  Result strict = RunTool({"dump", path});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(strict.out, "reject\tInvalidHeaderDeserialization\n");
  Result reference = RunTool({"dump", "--profile=reference", path});
  EXPECT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_EQ(reference.out,
            "header_len\t3\ndata_len\t0\nntensors\t0\nmetadata\tnone\n");
}

TEST(SafetensorsCli, MissingFileIsAnIoError) {
  const std::string missing = TempPath("missing.safetensors");
  Result r = RunTool({"dump", missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr(missing));
}

TEST(SafetensorsCli, BadUsageExitsTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"dump"},
           {"dump", Tiny(), Tiny()},
           {"dump", "--profile=lenient", Tiny()},
           {"dump", "--profile"},
           {"dump", "--verbose", Tiny()},
           {"validate"},
           {"create"},
           {"create", "spec.json"},
           {"help", "frobnicate"}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_THAT(r.err, Not(IsEmpty()));
  }
}

TEST(SafetensorsCli, Help) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"}, {"help"}, {"-h"}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.out, HasSubstr("dump"));
    EXPECT_THAT(r.out, HasSubstr("validate"));
  }
  for (const std::string command : {"dump", "validate"}) {
    Result a = RunTool({command, "--help"});
    Result b = RunTool({"help", command});
    EXPECT_EQ(a.exit_code, 0);
    EXPECT_THAT(a.out, StartsWith("Usage: safetensors " + command));
    EXPECT_THAT(a.out, HasSubstr("--profile"));
    EXPECT_EQ(a.out, b.out);
  }
}

// help's own help, rather than "unknown command".
TEST(SafetensorsCli, HelpOfHelp) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"help", "help"}, {"help", "--help"}, {"help", "-h"}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, StartsWith("Usage: safetensors help [COMMAND]\n"));
    EXPECT_THAT(r.err, IsEmpty());
  }
  Result r = RunTool({"help", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'nope'"));
}

TEST(SafetensorsCli, Version) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--version"}, {"version"}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "safetensors " SAFETENSORS_VERSION_STRING "\n");
    EXPECT_THAT(r.err, IsEmpty());
  }
  EXPECT_THAT(RunTool({"help"}).out,
              HasSubstr("\n  version    print the tool's version\n"));
  Result r = RunTool({"version", "extra"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  r = RunTool({"version", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, StartsWith("Usage: safetensors version\n"));
}

TEST(SafetensorsCli, ValidateReportsEachFile) {
  const std::string bad = WriteFile("v_bad.safetensors", MakeFile("[]"));
  const std::string small = WriteFile("v_small.safetensors", "");
  Result r = RunTool({"validate", Tiny(), bad, small});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> lines = absl::StrSplit(r.out, '\n');
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], Tiny() + "\tok");
  EXPECT_THAT(lines[1], StartsWith(bad + "\tInvalidHeaderDeserialization\t"));
  EXPECT_THAT(lines[2], StartsWith(small + "\tHeaderTooSmall\t"));
  // The line starts with the path; the message does not repeat it.
  EXPECT_THAT(lines[1], Not(HasSubstr(bad + ": ")));
  EXPECT_THAT(lines[2], Not(HasSubstr(small + ": ")));
  EXPECT_EQ(lines[3], "");

  r = RunTool({"validate", Tiny(), Tiny()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, absl::StrCat(Tiny(), "\tok\n", Tiny(), "\tok\n"));

  const std::string missing = TempPath("v_missing.safetensors");
  r = RunTool({"validate", bad, missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out,
              HasSubstr(missing + "\tIoError\tNo such file or directory\n"));
}

}  // namespace

namespace {

TEST(SafetensorsCli, ExtractAllRecreatesAReferenceWrittenFileByteForByte) {
  // examples/tiny.safetensors is laid out as the reference writer does.
  const std::string in = Runfile("examples/tiny.safetensors");
  const std::string out = TempPath("extract_all.safetensors");
  const Result r = RunTool({"extract", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("wrote "));
  EXPECT_EQ(ReadFile(out), ReadFile(in));
}

TEST(SafetensorsCli, ExtractSelectsByFullMatch) {
  const std::string in = Runfile("examples/tiny.safetensors");
  const std::string out = TempPath("extract_some.safetensors");
  // "embed" alone matches no whole name: full match, not search. Keeping
  // nothing is an error that says what would match, and writes nothing.
  Result r = RunTool({"extract", "--select=embed", in, out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "safetensors extract: no tensor is kept by --select='embed' (of 6 "
            "tensors); patterns match whole names: --select='.*embed.*' "
            "keeps 1\n");
  EXPECT_NE(access(out.c_str(), F_OK), 0);
  r = RunTool({"extract", "--select", "embed\\..*", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Result dump = RunTool({"dump", out});
  ASSERT_EQ(dump.exit_code, 0);
  EXPECT_THAT(dump.out, HasSubstr("ntensors\t1\n"));
  EXPECT_THAT(dump.out,
              HasSubstr("tensor\t\"embed.weight\"\tF32\t[2,3]\t0\t24"));
  EXPECT_THAT(dump.out, HasSubstr("meta\t\"format\"\t\"pt\"\n"));
}

// --select repeats (a name matching any is kept), --exclude drops after it.
TEST(SafetensorsCli, ExtractSelectRepeatsAndExcludeDrops) {
  const std::string in = Runfile("examples/tiny.safetensors");
  const std::string out = TempPath("extract_exclude.safetensors");
  Result r = RunTool({"extract", "--select=embed\\..*", "--select=mask",
                      "--select=temperature", "--exclude=mask", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            absl::StrCat("wrote ", out, ": 2 of 6 tensors, 240 bytes\n"));
  const Result dump = RunTool({"dump", out});
  ASSERT_EQ(dump.exit_code, 0);
  EXPECT_THAT(dump.out, HasSubstr("ntensors\t2\n"));
  EXPECT_THAT(dump.out, HasSubstr("tensor\t\"embed.weight\""));
  EXPECT_THAT(dump.out, HasSubstr("tensor\t\"temperature\""));
  r = RunTool({"extract", "--exclude=.*", in, TempPath("extract_none")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "safetensors extract: no tensor is kept by --exclude='.*' (of 6 "
            "tensors)\n");
  r = RunTool({"extract", "--exclude=(", in, TempPath("extract_bad")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad --exclude pattern '('"));
}

TEST(SafetensorsCli, ExtractMetadataOptions) {
  const std::string in = Runfile("examples/tiny.safetensors");
  const std::string out = TempPath("extract_meta.safetensors");
  Result r = RunTool({"extract", "--drop-metadata", "--metadata=k=v=w",
                      "--metadata", "a=", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Result dump = RunTool({"dump", out});
  EXPECT_THAT(dump.out, HasSubstr("metadata\t2\nmeta\t\"a\"\t\"\"\n"
                                  "meta\t\"k\"\t\"v=w\"\n"));
  r = RunTool({"extract", "--drop-metadata", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(RunTool({"dump", out}).out, HasSubstr("metadata\tnone\n"));
}

TEST(SafetensorsCli, ExtractOverItsOwnInput) {
  const std::string path =
      WriteFile("extract_same.safetensors",
                ReadFile(Runfile("examples/tiny.safetensors")));
  const Result r = RunTool({"extract", "--select=embed\\.weight", path, path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Result dump = RunTool({"dump", path});
  ASSERT_EQ(dump.exit_code, 0);
  EXPECT_THAT(dump.out, HasSubstr("ntensors\t1\n"));
}

TEST(SafetensorsCli, ExtractErrors) {
  const std::string in = Runfile("examples/tiny.safetensors");
  const std::string out = TempPath("extract_err.safetensors");
  Result r = RunTool({"extract", "--select=(", in, out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad --select pattern"));
  r = RunTool({"extract", in});
  EXPECT_EQ(r.exit_code, 2);
  r = RunTool({"extract", "--metadata=novalue", in, out});
  EXPECT_EQ(r.exit_code, 2);
  r = RunTool({"extract", TempPath("no_such_input"), out});
  EXPECT_EQ(r.exit_code, 2);
  const std::string bad = WriteFile("extract_bad.safetensors", MakeFile("{"));
  r = RunTool({"extract", bad, out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(bad));
  r = RunTool({"extract", in, TempPath("no/such/dir/out.safetensors")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot write"));
  // --select is not an option of dump.
  r = RunTool({"dump", "--select=x", in});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace

// --- inspect, header, diff, shard, merge, and indexes -----------------------

namespace {

std::string ShardedIndex() {
  return Runfile("examples/sharded/model.safetensors.index.json");
}

// A copy of examples/sharded in a fresh temporary directory; returns the
// directory.
std::string CopySharded(absl::string_view name) {
  const std::string dir = TempPath(name);
  mkdir(dir.c_str(), 0755);
  for (const char* file :
       {"model.safetensors.index.json", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors"}) {
    const std::string bytes =
        ReadFile(Runfile(absl::StrCat("examples/sharded/", file)));
    std::ofstream out(absl::StrCat(dir, "/", file),
                      std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  return dir;
}

TEST(SafetensorsCli, InspectFileAndIndex) {
  Result r = RunTool({"inspect", Tiny()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith(absl::StrCat("file: ", Tiny(), "\n6 tensors")));
  EXPECT_THAT(r.out, HasSubstr("embed.weight  F32    [2,3]    24      32\n"));
  EXPECT_THAT(r.out, HasSubstr("total        6        21     71\n"));
  EXPECT_THAT(r.out, HasSubstr("  source  safetensors-cpp example\n"));
  EXPECT_THAT(r.err, IsEmpty());

  r = RunTool({"inspect", ShardedIndex()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 shards, 6 tensors"));
  EXPECT_THAT(r.out, HasSubstr("mask          BOOL   [3]       3      36  "
                               "model-00002-of-00002.safetensors\n"));
  EXPECT_THAT(r.out, HasSubstr("  total_size  71\n"));
}

TEST(SafetensorsCli, InspectJsonAndSelect) {
  Result r =
      RunTool({"inspect", "--json", "--select", "(mask|tokens)", Tiny()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("{\n"));
  EXPECT_THAT(r.out, HasSubstr("\"tensor_count\": 6,"));
  EXPECT_THAT(r.out, HasSubstr("{\"name\": \"mask\", \"dtype\": \"BOOL\", "
                               "\"shape\": [3], \"elements\": 3, \"size\": 3, "
                               "\"offset\": 68}"));
  EXPECT_THAT(r.out, Not(HasSubstr("embed.weight")));
  EXPECT_THAT(r.out, HasSubstr("\"selected_bytes\": 7\n}\n"));
  // A selection of nothing is an error, as for extract.
  r = RunTool({"inspect", "--select=nothing", Tiny()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "safetensors inspect: no tensor is kept by --select='nothing' (of "
            "6 tensors)\n");
  r = RunTool({"inspect", "--exclude=.*\\.weight", "--select=.*e.*", Tiny()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("3 of 6 tensors selected"));  // no .weight
  EXPECT_THAT(r.out, Not(HasSubstr("embed.weight")));
}

TEST(SafetensorsCli, InspectErrors) {
  Result r = RunTool({"inspect", "--select=(", Tiny()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad --select pattern"));
  EXPECT_THAT(r.out, IsEmpty());

  const std::string missing = TempPath("inspect_missing.safetensors");
  r = RunTool({"inspect", missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(missing));

  const std::string bad = WriteFile("inspect_bad.safetensors", MakeFile("{"));
  r = RunTool({"inspect", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(bad));

  // A broken index: not JSON, or a shard path leaving its directory.
  const std::string broken =
      WriteFile("broken.index.json", "{\"weight_map\": {\"a\": ");
  r = RunTool({"inspect", broken});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(broken));
  const std::string escape = WriteFile(
      "escape.index.json", R"({"weight_map": {"a": "../x.safetensors"}})");
  r = RunTool({"inspect", escape});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("'..'"));

  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"inspect"},
           {"inspect", Tiny(), Tiny()},
           {"inspect", "--max-size=1", Tiny()},
           {"inspect", "--json=maybe", Tiny()}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    r = RunTool(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.out, IsEmpty());
  }
}

// A model directory: the index (or the one file) in it is opened.
TEST(SafetensorsCli, ModelDirectories) {
  const std::string dir = CopySharded("cli_model_dir");
  Result r = RunTool({"inspect", dir + "/"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              StartsWith("index: " + dir + "/model.safetensors.index.json\n"));
  r = RunTool({"validate", dir});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, dir + "\tok\n");
  // And wherever an INDEX is taken: merge, extract, convert, shard, diff.
  const std::string merged = TempPath("cli_model_dir_merged.safetensors");
  r = RunTool({"merge", dir, merged});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(merged), ReadFile(Tiny()));
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"extract", dir, TempPath("cli_model_dir_e.safetensors")},
           {"convert", "--to=F16", dir,
            TempPath("cli_model_dir_c.safetensors")},
           {"shard", "--max-size=40", dir, TempPath("cli_model_dir_shards")},
           {"diff", dir, Tiny()}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    r = RunTool(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  // Two single files and no index: the tool says which it found.
  const std::string two = TempPath("cli_two_files");
  mkdir(two.c_str(), 0755);
  WriteFile("cli_two_files/a.safetensors", ReadFile(Tiny()));
  WriteFile("cli_two_files/b.safetensors", ReadFile(Tiny()));
  r = RunTool({"inspect", two});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("\"a.safetensors\", \"b.safetensors\""));
  r = RunTool({"dump", two});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("\"a.safetensors\", \"b.safetensors\""));

  // header and dump read one FILE: a directory holding one model file is
  // that file; a sharded one is refused, naming its index.
  const std::string one = TempPath("cli_one_file");
  mkdir(one.c_str(), 0755);
  WriteFile("cli_one_file/model.safetensors", ReadFile(Tiny()));
  r = RunTool({"dump", one});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, TinyDump());
  const Result header_of_file = RunTool({"header", Tiny()});
  r = RunTool({"header", one});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, header_of_file.out);
  for (const char* command : {"header", "dump"}) {
    SCOPED_TRACE(command);
    r = RunTool({command, dir});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("is a sharded checkpoint (" + dir +
                                 "/model.safetensors.index.json): give one "
                                 "of its shards"));
  }
}

// extract, merge, shard and convert stream a mapped input and release its pages
// behind each chunk: their peak resident memory stays near one chunk (64
// MiB) plus the program, not the input's size.
TEST(SafetensorsCli, CopyingCommandsReleaseTheirInput) {
#if defined(__s390x__)
  GTEST_SKIP() << "qemu-user does not pass madvise(MADV_DONTNEED) on";
#endif
  const uint64_t kMiB = 1 << 20;
  const std::string spec = TempPath("cli_rss_spec.json");
  WriteFile("cli_rss_spec.json",
            absl::StrCat(R"({"tensors": [)",
                         R"({"name": "a", "dtype": "F32", "shape": [)",
                         32 * kMiB, R"(], "fill": {"hex": "0000803f"}},)",
                         R"({"name": "b", "dtype": "U8", "shape": [)",
                         128 * kMiB, R"(], "fill": {"byte": 7}}]})"));
  const std::string big = TempPath("cli_rss.safetensors");
  Result r = RunTool({"create", spec, big});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string shards = TempPath("cli_rss_shards");
  r = RunTool({"shard", "--max-size=100MiB", big, shards});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"extract", big, TempPath("cli_rss_e.safetensors")},
           {"merge", shards, TempPath("cli_rss_m.safetensors")},
           {"shard", "--max-size=100MiB", big, TempPath("cli_rss_shards2")},
           {"convert", "--to=BF16", big, TempPath("cli_rss_c.safetensors")}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    r = RunTool(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The input is 256 MiB; a copy that kept it resident peaks above that.
    EXPECT_LT(r.peak_rss_kb, 160 * 1024);
    EXPECT_GT(r.peak_rss_kb, 0);
  }
  EXPECT_EQ(ReadFile(TempPath("cli_rss_e.safetensors")), ReadFile(big));
  EXPECT_EQ(ReadFile(TempPath("cli_rss_m.safetensors")), ReadFile(big));
  for (const char* name : {"cli_rss.safetensors", "cli_rss_e.safetensors",
                           "cli_rss_m.safetensors", "cli_rss_c.safetensors"}) {
    unlink(TempPath(name).c_str());
  }
}

TEST(SafetensorsCli, ShardMissingOrTensorInTwoShards) {
  const std::string dir = CopySharded("cli_missing_shard");
  ASSERT_EQ(unlink((dir + "/model-00002-of-00002.safetensors").c_str()), 0);
  const std::string index = dir + "/model.safetensors.index.json";
  Result r = RunTool({"inspect", index});
  EXPECT_EQ(r.exit_code, 2);  // an I/O error
  EXPECT_THAT(r.err, HasSubstr("shard model-00002-of-00002.safetensors"));
  r = RunTool({"validate", index});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("\tIoError\t"));

  // Shard 2 also holds "positions", which the index puts in shard 1.
  const std::string two = CopySharded("cli_two_shards");
  WriteFile("cli_two_shards/model-00002-of-00002.safetensors",
            ReadFile(Tiny()));
  r = RunTool({"validate", two + "/model.safetensors.index.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("\tInvalidHeaderDeserialization\t"));
  EXPECT_THAT(r.out, HasSubstr("a tensor may be in one shard only"));
  r = RunTool({"inspect", two + "/model.safetensors.index.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("shard model-00002-of-00002.safetensors"));

  // A tensor the index maps to a shard that does not hold it.
  const std::string ghost = CopySharded("cli_ghost");
  WriteFile("cli_ghost/model.safetensors.index.json",
            R"({"weight_map": {"positions": "model-00001-of-00002.safetensors",
                "temperature": "model-00001-of-00002.safetensors",
                "ghost": "model-00001-of-00002.safetensors"}})");
  r = RunTool({"validate", ghost + "/model.safetensors.index.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("\tTensorNotFound\t"));
  EXPECT_THAT(r.out, HasSubstr("\"ghost\""));
}

TEST(SafetensorsCli, Header) {
  Result r = RunTool({"header", Tiny()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("{\n  \"__metadata__\": {\n    \"format\": "
                                "\"pt\",\n"));
  EXPECT_THAT(r.out, HasSubstr("  \"mask\": {\n    \"dtype\": \"BOOL\",\n"
                               "    \"shape\": [3],\n"
                               "    \"data_offsets\": [68, 71]\n  }\n}\n"));
  // Offsets past the data: validate rejects it, header still shows it.
  const std::string bad = WriteFile(
      "header_bad.safetensors",
      MakeFile(R"({"t":{"dtype":"U8","shape":[9],"data_offsets":[0,9]}})"));
  r = RunTool({"header", bad});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"data_offsets\": [0, 9]"));
  r = RunTool({"header", WriteFile("header_json.safetensors", MakeFile("{"))});
  EXPECT_EQ(r.exit_code, 1);
  r = RunTool({"header", WriteFile("header_small.safetensors", "ab")});
  EXPECT_EQ(r.exit_code, 1);
  r = RunTool({"header", TempPath("header_missing.safetensors")});
  EXPECT_EQ(r.exit_code, 2);
  r = RunTool({"header", ShardedIndex()});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(SafetensorsCli, DiffFilesAndIndexes) {
  Result r = RunTool({"diff", Tiny(), ShardedIndex()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("--- ", Tiny(), "\n+++ ", ShardedIndex(),
                                "\nsummary\t6 in A, 6 in B: 6 identical, 0 "
                                "differ, 0 only in A, 0 only in B\n"));
  const std::string some = TempPath("diff_some.safetensors");
  ASSERT_EQ(RunTool({"extract", "--select=(mask|tokens)", "--metadata=k=v",
                     Tiny(), some})
                .exit_code,
            0);
  r = RunTool({"diff", some, ShardedIndex()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("only_b\t\"embed.weight\"\tF32 [2,3]\n"));
  EXPECT_THAT(r.out, HasSubstr("meta\t\"k\"\t\"v\"\t-\n"));
  EXPECT_THAT(r.out, HasSubstr("summary\t2 in A, 6 in B: 2 identical, 0 "
                               "differ, 0 only in A, 4 only in B, 1 metadata "
                               "keys differ\n"));
  r = RunTool({"diff", Tiny(), TempPath("diff_missing.safetensors")});
  EXPECT_EQ(r.exit_code, 2);
  r = RunTool({"diff", Tiny()});
  EXPECT_EQ(r.exit_code, 2);
}

// A file of one F32 tensor "w" holding `values` (as raw little-endian bits)
// and one I32 "i".
std::string FloatFile(absl::string_view name, const std::string& dtype,
                      const std::string& w_bytes, size_t count) {
  const std::string header = absl::StrCat(
      "{\"i\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},"
      "\"w\":{\"dtype\":\"",
      dtype, "\",\"shape\":[", count, "],\"data_offsets\":[4,",
      4 + w_bytes.size(), "]}}");
  return WriteFile(name,
                   MakeFile(header, std::string("\1\0\0\0", 4) + w_bytes));
}

// --numeric, --atol/--rtol and --json: F32 against its BF16 rounding.
TEST(SafetensorsCli, DiffNumericWithTolerances) {
  // 1.0, 3.0 and 1.0121875 as F32; as BF16 1.0, 3.0 and 1.0078125.
  const std::string f32("\x00\x00\x80\x3f\x00\x00\x40\x40\x5c\x8f\x81\x3f", 12);
  const std::string bf16("\x80\x3f\x40\x40\x81\x3f", 6);
  const std::string a = FloatFile("num_a.safetensors", "F32", f32, 3);
  const std::string b = FloatFile("num_b.safetensors", "BF16", bf16, 3);
  Result r = RunTool({"diff", a, b});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("dtype\t\"w\"\tF32\tBF16\n"));
  r = RunTool({"diff", "--numeric", a, b});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("dtype\t\"w\"\tF32\tBF16\tmax_abs=0.00437498 "
                               "max_rel=0.00434107 over=1/3\n"));
  EXPECT_THAT(r.out, HasSubstr("; values of 1 tensor compared, 1 outside "
                               "atol=0 rtol=0; not within tolerance\n"));
  r = RunTool({"diff", "--rtol=1e-2", a, b});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("over=0/3\n"));
  EXPECT_THAT(r.out, HasSubstr("0 outside atol=0 rtol=0.01; within tolerance"));
  r = RunTool({"diff", "--atol=0.005", "--json", a, b});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            absl::StrCat("{\n  \"a\": \"", a, "\",\n  \"b\": \"", b,
                         "\",\n  \"same\": false,\n  \"within_tolerance\": "
                         "true,\n  \"tensors_a\": 2,\n  \"tensors_b\": 2,\n  "
                         "\"identical\": 1,\n  \"differences\": [\n    "
                         "{\"kind\": \"dtype\", \"name\": \"w\", \"a\": "
                         "\"F32\", \"b\": \"BF16\", \"elements\": 3, "
                         "\"over_tolerance\": 0, \"max_abs\": 0.00437498, "
                         "\"max_rel\": 0.00434107}\n  ]\n}\n"));
  r = RunTool({"diff", "--json", Tiny(), Tiny()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("\"same\": true,"));
  EXPECT_THAT(r.out, HasSubstr("\"differences\": []\n}\n"));
  for (const char* bad : {"--atol=-1", "--rtol=x", "--atol=inf"}) {
    r = RunTool({"diff", bad, a, b});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_THAT(r.err, HasSubstr("expected a number at least 0")) << bad;
  }
}

TEST(SafetensorsCli, ShardThenMergeRoundTrips) {
  const std::string dir = TempPath("cli_shards");
  Result r = RunTool({"shard", "--max-size=40B", Tiny(), dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("wrote ", dir,
                                "/model.safetensors.index.json: 6 tensors, 71 "
                                "bytes in 2 shards, filled in writer order\n"
                                "  model-00001-of-00002.safetensors  2 "
                                "tensors, 32 bytes\n"
                                "  model-00002-of-00002.safetensors  4 "
                                "tensors, 39 bytes\n"));
  // The same bytes as examples/sharded, which make_examples.py writes.
  for (const char* file :
       {"model.safetensors.index.json", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors"}) {
    EXPECT_EQ(ReadFile(absl::StrCat(dir, "/", file)),
              ReadFile(Runfile(absl::StrCat("examples/sharded/", file))))
        << file;
  }
  const std::string merged = TempPath("cli_merged.safetensors");
  r = RunTool({"merge", dir + "/model.safetensors.index.json", merged});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("wrote ", merged,
                                ": 6 tensors from 2 shards, 527 bytes\n"));
  EXPECT_EQ(ReadFile(merged), ReadFile(Tiny()));

  r = RunTool({"shard", "--max-size", "1KiB", Tiny(), TempPath("cli_one")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("in 1 shard, filled in writer order\n"));

  // --prefix names the files, as diffusers does; sizes take fractions.
  const std::string named = TempPath("cli_prefix");
  r = RunTool({"shard", "--max-size=1.5KB", "--prefix=diffusion_pytorch_model",
               Tiny(), named});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat(
                       "wrote ", named,
                       "/diffusion_pytorch_model.safetensors.index.json: 6 "
                       "tensors, 71 bytes in 1 shard, filled in writer order\n"
                       "  diffusion_pytorch_model-00001-of-00001.safetensors"
                       "  6 tensors, 71 bytes\n"));
  r = RunTool(
      {"validate", named + "/diffusion_pytorch_model.safetensors.index.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  // Extract from an index.
  const std::string part = TempPath("cli_part.safetensors");
  r = RunTool({"extract", "--select=temperature|mask", ShardedIndex(), part});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            absl::StrCat("wrote ", part, ": 2 of 6 tensors, 211 bytes\n"));
}

// shard refuses an OUTDIR holding another checkpoint's files, which the new
// index would not name; --force removes exactly those once it is written.
// validate warns of such files beside an index.
TEST(SafetensorsCli, ShardIntoADirectoryWithAnotherCheckpoint) {
  const std::string dir = TempPath("cli_stale");
  Result r = RunTool({"shard", "--max-size=20B", Tiny(), dir});  // 4 shards
  ASSERT_EQ(r.exit_code, 0) << r.err;
  WriteFile("cli_stale/notes.txt", "kept");
  const std::vector<std::string> before = ListDirectory(dir);
  r = RunTool({"shard", "--max-size=40B", Tiny(), dir});  // 2 shards
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            absl::StrCat("safetensors shard: ", dir,
                         " holds 4 files of another checkpoint, which the new "
                         "index would not name "
                         "(model-00001-of-00004.safetensors, "
                         "model-00002-of-00004.safetensors, "
                         "model-00003-of-00004.safetensors, "
                         "model-00004-of-00004.safetensors); loaders that "
                         "read every *.safetensors file of a directory would "
                         "load them too. Write into another OUTDIR, or give "
                         "--force to remove them once the new index is "
                         "written\n"));
  EXPECT_EQ(ListDirectory(dir), before);  // nothing written
  // The same names are this run's own: rewriting them needs no --force.
  r = RunTool({"shard", "--max-size=20B", Tiny(), dir});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  r = RunTool({"shard", "--max-size=40B", "--force", Tiny(), dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr(absl::StrCat("removed ", dir,
                                     "/model-00001-of-00004.safetensors\n")));
  EXPECT_THAT(r.out,
              HasSubstr(absl::StrCat("removed ", dir,
                                     "/model-00004-of-00004.safetensors\n")));
  EXPECT_THAT(ListDirectory(dir),
              ElementsAre("model-00001-of-00002.safetensors",
                          "model-00002-of-00002.safetensors",
                          "model.safetensors.index.json", "notes.txt"));
  const std::string index = dir + "/model.safetensors.index.json";
  r = RunTool({"validate", index});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());

  // A stray shard beside the index: still valid, with a warning.
  WriteFile("cli_stale/model-00003-of-00003.safetensors", ReadFile(Tiny()));
  r = RunTool({"validate", index});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, index + "\tok\n");
  EXPECT_EQ(r.err, absl::StrCat("safetensors validate: warning: ", dir,
                                "/model-00003-of-00003.safetensors is not "
                                "named by ",
                                index,
                                "; a loader that reads every *.safetensors "
                                "file of the directory would load it too\n"));
}

// --order=natural fills shards layer by layer, numbers as numbers; the
// output says which order it used.
TEST(SafetensorsCli, ShardOrders) {
  std::string header = "{";
  uint64_t at = 0;
  for (const char* name : {"layers.10.w", "layers.2.w", "layers.1.w",
                           "layers.2.b", "layers.10.b", "layers.1.b"}) {
    absl::StrAppend(&header, at > 0 ? "," : "", "\"", name,
                    "\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[", at,
                    ",", at + 4, "]}");
    at += 4;
  }
  header += "}";
  const std::string in = WriteFile("cli_layers.safetensors",
                                   MakeFile(header, std::string(24, 'x')));
  const std::string dir = TempPath("cli_natural");
  Result r = RunTool({"shard", "--max-size=8", "--order=natural", in, dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("in 3 shards, filled in natural name order\n"));
  const std::string index = ReadFile(dir + "/model.safetensors.index.json");
  for (const auto& [name, shard] :
       std::vector<std::pair<std::string, int>>{{"layers.1.b", 1},
                                                {"layers.1.w", 1},
                                                {"layers.2.b", 2},
                                                {"layers.2.w", 2},
                                                {"layers.10.b", 3},
                                                {"layers.10.w", 3}}) {
    EXPECT_THAT(index,
                HasSubstr(absl::StrCat("\"", name, "\": \"model-0000", shard,
                                       "-of-00003.safetensors\"")));
  }
  r = RunTool({"shard", "--max-size=8", "--order=input", in,
               TempPath("cli_input_order")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("filled in input order\n"));
  EXPECT_THAT(
      ReadFile(TempPath("cli_input_order") + "/model.safetensors.index.json"),
      HasSubstr("\"layers.10.w\": \"model-00001-of-00003"));
  r = RunTool({"shard", "--max-size=8", "--order=random", in,
               TempPath("cli_bad_order")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad value 'random' for --order: use writer, "
                               "natural or input"));
}

// An index's metadata.total_size that is not the tensors' sum, and an empty
// weight_map, are warnings: the checkpoint is still valid.
TEST(SafetensorsCli, ValidateWarnsOfIndexTotals) {
  const std::string dir = CopySharded("cli_totals");
  const std::string index = dir + "/model.safetensors.index.json";
  const std::string text = ReadFile(index);
  ASSERT_THAT(text, HasSubstr("\"total_size\": 71"));
  struct Case {
    std::string total;
    std::string warning;  // "" for none
  };
  for (const Case& c : std::vector<Case>{
           {"71", ""},
           {"70", "metadata.total_size is 70, but the tensors hold 71 bytes"},
           {"0", "metadata.total_size is 0, but the tensors hold 71 bytes"},
           {"\"71\"",
            "metadata.total_size is \"71\", not a byte count; the "
            "tensors hold 71 bytes"}}) {
    SCOPED_TRACE(c.total);
    WriteFile("cli_totals/model.safetensors.index.json",
              absl::StrReplaceAll(text, {{"\"total_size\": 71",
                                          "\"total_size\": " + c.total}}));
    const Result r = RunTool({"validate", index});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, index + "\tok\n");
    EXPECT_EQ(r.err, c.warning.empty()
                         ? ""
                         : absl::StrCat("safetensors validate: warning: ",
                                        index, ": ", c.warning, "\n"));
  }
  const std::string empty = TempPath("cli_totals_empty");
  mkdir(empty.c_str(), 0755);
  WriteFile("cli_totals_empty/model.safetensors.index.json",
            R"({"metadata": {"total_size": 0}, "weight_map": {}})");
  const Result r = RunTool({"validate", empty});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, absl::StrCat("safetensors validate: warning: ", empty,
                                "/model.safetensors.index.json names no "
                                "tensor (its weight_map is empty)\n"));
}

TEST(SafetensorsCli, ShardAndMergeErrors) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"shard", Tiny(), TempPath("e1")},
           {"shard", "--max-size=0", Tiny(), TempPath("e2")},
           {"shard", "--max-size=12XB", Tiny(), TempPath("e3")},
           {"shard", "--max-size=99999999999999999999", Tiny(), TempPath("e4")},
           {"shard", "--max-size=1", Tiny()},
           {"shard", "--max-size=1.", Tiny(), TempPath("e8")},
           {"shard", "--max-size=1", "--prefix=../up", Tiny(), TempPath("e9")},
           {"shard", "--max-size=1", "--prefix=", Tiny(), TempPath("e10")},
           {"merge", ShardedIndex()},
           {"merge", "--json", ShardedIndex(), TempPath("e5")}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_THAT(r.err, Not(IsEmpty()));
  }
  Result r =
      RunTool({"shard", "--max-size=1", Tiny(), TempPath("no/such/dir/out")});
  EXPECT_EQ(r.exit_code, 2);
  r = RunTool({"merge", WriteFile("merge_bad.index.json", "[]"),
               TempPath("e6.safetensors")});
  EXPECT_EQ(r.exit_code, 1);
  r = RunTool({"merge", TempPath("merge_missing.index.json"),
               TempPath("e7.safetensors")});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(SafetensorsCli, HelpForEveryCommand) {
  for (const std::string command :
       {"inspect", "header", "dump", "validate", "diff", "extract", "shard",
        "merge", "convert"}) {
    SCOPED_TRACE(command);
    Result a = RunTool({command, "--help"});
    Result b = RunTool({"help", command});
    EXPECT_EQ(a.exit_code, 0);
    EXPECT_THAT(a.out, StartsWith("Usage: safetensors " + command));
    EXPECT_THAT(a.out, HasSubstr("Exit status: 0"));
    EXPECT_THAT(a.out, HasSubstr("--profile=strict|reference"));
    EXPECT_EQ(a.out, b.out);
    EXPECT_THAT(RunTool({"help"}).out, HasSubstr("  " + command + " "));
  }
}

}  // namespace

// --- README.md ---------------------------------------------------------------

namespace {

// Splits a command line as a shell does for the forms README.md uses: words
// separated by spaces, with '...' quoting.
std::vector<std::string> ShellWords(absl::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : line) {
    if (c == '\'') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// Every ```console block of README.md that starts with `$ safetensors ...`
// is run, in order, from the repository's root, and its output must be
// exactly the rest of the block. Paths under /tmp/ go to this test's
// temporary directory.
TEST(SafetensorsCli, ReadmeExamplesAreTrue) {
  const std::string readme = ReadFile(Runfile("README.md"));
  const std::string tmp = TempPath("readme");
  mkdir(tmp.c_str(), 0755);
  auto local = [&](const std::string& s) {
    return absl::StrReplaceAll(s, {{"/tmp/", tmp + "/"}});
  };
  const std::vector<std::string> lines = absl::StrSplit(readme, '\n');
  int blocks = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i] != "```console" || !absl::StartsWith(lines[i + 1], "$ ")) {
      continue;
    }
    const std::string command = lines[i + 1].substr(2);
    std::string want;
    size_t j = i + 2;
    for (; j < lines.size() && lines[j] != "```"; ++j) {
      absl::StrAppend(&want, lines[j], "\n");
    }
    i = j;
    SCOPED_TRACE(command);
    std::vector<std::string> words = ShellWords(command);
    ASSERT_GE(words.size(), 2u);
    ASSERT_EQ(words[0], "safetensors");
    words.erase(words.begin());
    for (std::string& w : words) w = local(w);
    const Result r =
        RunTool(words, {absl::StrCat("BUILD_WORKING_DIRECTORY=", Runfile(""))});
    EXPECT_THAT(r.exit_code, ::testing::AnyOf(0, 1)) << r.err;
    EXPECT_EQ(r.out, local(want));
    ++blocks;
  }
  EXPECT_GE(blocks, 9);
}

}  // namespace
