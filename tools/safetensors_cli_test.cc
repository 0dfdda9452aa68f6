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

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

extern char** environ;

namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kQemu[] = "/usr/bin/qemu-s390x-static";

// A path inside this test's runfiles, e.g. "tools/safetensors".
std::string Runfile(absl::string_view path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir ? srcdir : ".", "/",
                      workspace ? workspace : "safetensors_cpp", "/", path);
}

std::string TempPath(absl::string_view name) {
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  return absl::StrCat(dir, name);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string WriteFile(absl::string_view name, absl::string_view bytes) {
  const std::string path = TempPath(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(out.good()) << path;
  return path;
}

// A file: the 8-byte little-endian length of `header`, then header and data.
std::string MakeFile(absl::string_view header, absl::string_view data = "") {
  std::string out;
  for (int i = 0; i < 8; ++i) {
    out += static_cast<char>((uint64_t{header.size()} >> (8 * i)) & 0xFF);
  }
  return absl::StrCat(out, header, data);
}

struct Result {
  int exit_code = -1;  // -1 when the tool did not exit normally
  std::string out;
  std::string err;
};

// Runs the tool with `args`, plus `extra_env` ("NAME=value") in its
// environment; stdout and stderr are captured in files.
Result RunTool(const std::vector<std::string>& args,
               const std::vector<std::string>& extra_env = {}) {
  static int counter = 0;
  const std::string out_path = TempPath(absl::StrCat("out", counter, ".txt"));
  const std::string err_path = TempPath(absl::StrCat("err", counter, ".txt"));
  ++counter;
  const std::string tool = Runfile("tools/safetensors");

  // Everything the child needs is built before fork: no allocation after it.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.push_back(*e);
  for (const std::string& e : extra_env) env_strings.push_back(e);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(&e[0]);
  envp.push_back(nullptr);

  std::vector<std::string> direct = {tool};
  direct.insert(direct.end(), args.begin(), args.end());
  std::vector<std::string> emulated = {kQemu, tool};
  emulated.insert(emulated.end(), args.begin(), args.end());
  std::vector<char*> direct_argv, emulated_argv;
  for (std::string& a : direct) direct_argv.push_back(&a[0]);
  direct_argv.push_back(nullptr);
  for (std::string& a : emulated) emulated_argv.push_back(&a[0]);
  emulated_argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
    execve(direct_argv[0], direct_argv.data(), envp.data());
    if (errno == ENOEXEC) {  // a cross-built tool: start it through qemu
      execve(emulated_argv[0], emulated_argv.data(), envp.data());
    }
    _exit(127);
  }
  Result result;
  EXPECT_GT(pid, 0) << std::strerror(errno);
  if (pid <= 0) return result;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  EXPECT_NE(result.exit_code, 127) << "could not start " << tool;
  return result;
}

std::string Tiny() { return Runfile("examples/tiny.safetensors"); }
std::string TinyDump() {
  return ReadFile(Runfile("examples/tiny.safetensors.dump"));
}

TEST(SafetensorsCliTest, DumpsAValidFileExactly) {
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

TEST(SafetensorsCliTest, RelativePathsFollowBuildWorkingDirectory) {
  // As `bazel run` sets it: relative to the directory it was called from.
  Result r = RunTool({"dump", "examples/tiny.safetensors"},
                     {absl::StrCat("BUILD_WORKING_DIRECTORY=", Runfile(""))});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, TinyDump());
}

TEST(SafetensorsCliTest, DumpRejectsAnInvalidFile) {
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

TEST(SafetensorsCliTest, ProfileChangesTheDecision) {
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

TEST(SafetensorsCliTest, MissingFileIsAnIoError) {
  const std::string missing = TempPath("missing.safetensors");
  Result r = RunTool({"dump", missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr(missing));
}

TEST(SafetensorsCliTest, BadUsageExitsTwo) {
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
           {"help", "frobnicate"}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_THAT(r.err, Not(IsEmpty()));
  }
}

TEST(SafetensorsCliTest, Help) {
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

TEST(SafetensorsCliTest, ValidateReportsEachFile) {
  const std::string bad = WriteFile("v_bad.safetensors", MakeFile("[]"));
  const std::string small = WriteFile("v_small.safetensors", "");
  Result r = RunTool({"validate", Tiny(), bad, small});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> lines = absl::StrSplit(r.out, '\n');
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], Tiny() + "\tok");
  EXPECT_THAT(lines[1], StartsWith(bad + "\tInvalidHeaderDeserialization\t"));
  EXPECT_THAT(lines[2], StartsWith(small + "\tHeaderTooSmall\t"));
  EXPECT_EQ(lines[3], "");

  r = RunTool({"validate", Tiny(), Tiny()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, absl::StrCat(Tiny(), "\tok\n", Tiny(), "\tok\n"));

  const std::string missing = TempPath("v_missing.safetensors");
  r = RunTool({"validate", bad, missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr(missing + "\tIoError\t"));
}

}  // namespace

namespace {

TEST(SafetensorsCliTest, ExtractAllRecreatesAReferenceWrittenFileByteForByte) {
  // examples/tiny.safetensors is laid out as the reference writer does.
  const std::string in = Runfile("examples/tiny.safetensors");
  const std::string out = TempPath("extract_all.safetensors");
  const Result r = RunTool({"extract", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("wrote "));
  EXPECT_EQ(ReadFile(out), ReadFile(in));
}

TEST(SafetensorsCliTest, ExtractSelectsByFullMatch) {
  const std::string in = Runfile("examples/tiny.safetensors");
  const std::string out = TempPath("extract_some.safetensors");
  // "embed" alone matches no whole name: full match, not search.
  Result r = RunTool({"extract", "--select=embed", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ReadFile(out), Not(HasSubstr("embed.weight")));
  r = RunTool({"extract", "--select", "embed\\..*", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Result dump = RunTool({"dump", out});
  ASSERT_EQ(dump.exit_code, 0);
  EXPECT_THAT(dump.out, HasSubstr("ntensors\t1\n"));
  EXPECT_THAT(dump.out,
              HasSubstr("tensor\t\"embed.weight\"\tF32\t[2,3]\t0\t24"));
  EXPECT_THAT(dump.out, HasSubstr("meta\t\"format\"\t\"pt\"\n"));
}

TEST(SafetensorsCliTest, ExtractMetadataOptions) {
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

TEST(SafetensorsCliTest, ExtractOverItsOwnInput) {
  const std::string path =
      WriteFile("extract_same.safetensors",
                ReadFile(Runfile("examples/tiny.safetensors")));
  const Result r = RunTool({"extract", "--select=embed\\.weight", path, path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Result dump = RunTool({"dump", path});
  ASSERT_EQ(dump.exit_code, 0);
  EXPECT_THAT(dump.out, HasSubstr("ntensors\t1\n"));
}

TEST(SafetensorsCliTest, ExtractErrors) {
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
