// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The tool against hostile inputs and processes (docs/robustness.md): a file
// truncated by another process while a command reads it, inputs that are not
// regular files, and sparse files past 4 GiB and up to 2^40 bytes. In every
// case the tool exits with a code and a message, never by a signal or a hang.
// Also the runner's own timeout, which would end such a hang.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>  // NOLINT(build/c++11)
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>  // NOLINT(build/c++11)
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/testing/huge_file.h"
#include "safetensors/testing/test_util.h"
#include "tools/tool_runner.h"

namespace safetensors {
namespace tool_test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The 8-byte length, then the header padded with spaces to a multiple of 8.
std::string Prefix(absl::string_view header) {
  std::string h(header);
  while (h.size() % 8 != 0) h += ' ';
  return test::LengthPrefix(h.size()) + h;
}

// Writes `prefix` and extends the file to `size` bytes (the rest a hole).
void WriteSparse(const std::string& path, const std::string& prefix,
                 uint64_t size) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  ASSERT_EQ(write(fd, prefix.data(), prefix.size()),
            static_cast<ssize_t>(prefix.size()));
  ASSERT_EQ(ftruncate(fd, static_cast<off_t>(size)), 0) << std::strerror(errno);
  close(fd);
}

// A file of `count` U8 tensors of `each` bytes (t00000, t00001, ...), the data
// a hole; returns its path.
std::string ManyTensors(absl::string_view name, int count, uint64_t each) {
  std::string header = "{";
  for (int i = 0; i < count; ++i) {
    absl::StrAppend(&header, i > 0 ? "," : "", "\"t",
                    absl::Dec(i, absl::kZeroPad5), "\":{\"dtype\":\"U8\",",
                    "\"shape\":[", each, "],\"data_offsets\":[", i * each, ",",
                    (i + 1) * each, "]}");
  }
  header += "}";
  const std::string path = TempPath(name);
  const std::string prefix = Prefix(header);
  WriteSparse(path, prefix, prefix.size() + count * each);
  return path;
}

// Whether `pid` has `path` mapped (the tool maps its inputs).
bool HasMapped(pid_t pid, const std::string& path) {
  std::ifstream maps(absl::StrCat("/proc/", pid, "/maps"));
  std::string line;
  while (std::getline(maps, line)) {
    if (absl::EndsWith(line, path)) return true;
  }
  return false;
}

std::string RealPath(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  std::string out = resolved != nullptr ? resolved : path;
  std::free(resolved);
  return out;
}

// Starts the tool (in `args`, "IN" is `input` and "OTHER" is `input` +
// ".other"), waits until it has mapped the input, truncates the input to
// `keep` bytes, and returns how the tool ended. `hit` says whether the
// truncation came while it still ran.
Result TruncateUnder(std::vector<std::string> args, const std::string& input,
                     uint64_t keep, bool* hit) {
  for (std::string& a : args) {
    if (a == "IN") a = input;
    if (a == "OTHER") a = input + ".other";
  }
  const std::string real = RealPath(input);
  const Child child = StartTool(args);
  *hit = false;
  for (int i = 0; i < 20000; ++i) {  // up to about 20 s
    if (HasMapped(child.pid, real)) {
      *hit = truncate(input.c_str(), static_cast<off_t>(keep)) == 0;
      break;
    }
    usleep(1000);
  }
  return Wait(child, 600);
}

// Not a signal, not a hang: an exit code.
void ExpectExited(const Result& r) {
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.term_signal, 0)
      << "killed by signal " << r.term_signal << "; stderr: " << r.err;
  EXPECT_GE(r.exit_code, 0);
}

constexpr uint64_t kBig = uint64_t{256} << 20;  // long enough to catch

// Each command that reads tensor bytes, on a file that is truncated after
// the command has mapped it: exit 2 with a message that says so, and the
// target of a write left as it was (absent here), with no temporary.
TEST(ShrinkingInput, IsAnIoErrorNeverASignal) {
  struct Case {
    std::string what;
    std::vector<std::string> args;  // "IN" is the input
    int tensors;                    // of kBig / tensors bytes each
    std::string message;
  };
  const std::string out_dir = TempPath("shrink_out");
  ASSERT_EQ(mkdir(out_dir.c_str(), 0755), 0);
  const std::string out = out_dir + "/out.safetensors";
  const std::vector<Case> cases = {
      {"dump hashes from the mapping",
       {"dump", "IN"},
       1,
       "the file shrank while being read"},
      // One tensor: written with write() straight from the mapping (EFAULT).
      {"extract, one large tensor",
       {"extract", "IN", out},
       1,
       "the input file shrank while being copied"},
      // Many small tensors: copied into the writer's buffer (SIGBUS).
      {"extract, many small tensors",
       {"extract", "IN", out},
       4096,
       "the input file shrank while being copied"},
      {"shard",
       {"shard", "--max-size=64MiB", "IN", out_dir + "/sharded"},
       16,
       "the input file shrank while being copied"},
      // Against a second, intact copy: IN is opened (and truncated) first.
      {"diff", {"diff", "IN", "OTHER"}, 1, "shrank while being read"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    int hits = 0;
    for (int attempt = 0; attempt < 3 && hits == 0; ++attempt) {
      const std::string name = absl::StrCat("shrink", attempt, ".safetensors");
      const std::string input = ManyTensors(name, c.tensors, kBig / c.tensors);
      ManyTensors(name + ".other", c.tensors, kBig / c.tensors);
      bool hit = false;
      // Keep the header and one page of data: the rest vanishes.
      const Result r = TruncateUnder(c.args, input, 64 * 1024, &hit);
      ExpectExited(r);
      if (!hit || r.exit_code == 0) continue;  // it finished first
      ++hits;
      EXPECT_EQ(r.exit_code, 2) << r.err;
      EXPECT_THAT(r.err, HasSubstr(c.message));
      EXPECT_THAT(r.err, HasSubstr("tensor \"t0")) << "names the tensor";
    }
    EXPECT_GT(hits, 0) << "the command always finished before the truncation";
    // Nothing was committed and nothing was left behind.
    EXPECT_NE(access(out.c_str(), F_OK), 0);
    std::vector<std::string> left;
    for (const std::string& dir : {out_dir, out_dir + "/sharded"}) {
      for (const std::string& name : ListDirectory(dir)) {
        if (name != "sharded") left.push_back(name);
      }
    }
    EXPECT_THAT(left, IsEmpty()) << absl::StrJoin(left, " ");
  }
}

// validate and dump while another thread truncates the file and writes it
// again, many times: every run is a clean verdict (valid, invalid as it was
// seen, or an I/O error that the file shrank), never a signal.
TEST(ShrinkingInput, CommandsRacingATruncationLoop) {
  const std::string path = TempPath("racing.safetensors");
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[4096],"data_offsets":[0,16384]},)"
      R"("b":{"dtype":"F32","shape":[4096],"data_offsets":[16384,32768]}})";
  const std::string prefix = Prefix(header);
  const uint64_t full = prefix.size() + 32768;
  WriteSparse(path, prefix, full);
  std::atomic<bool> stop{false};
  std::thread shrinker([&] {
    const int fd = open(path.c_str(), O_WRONLY);
    while (!stop.load()) {
      // Cut inside the header, then at one page of data, then whole again.
      for (uint64_t size : {uint64_t{20}, uint64_t{prefix.size() + 4096}}) {
        if (ftruncate(fd, static_cast<off_t>(size)) != 0) return;
        usleep(300);
      }
      if (pwrite(fd, prefix.data(), prefix.size(), 0) !=
              static_cast<ssize_t>(prefix.size()) ||
          ftruncate(fd, static_cast<off_t>(full)) != 0) {
        return;
      }
      usleep(300);
    }
    close(fd);
  });
  int verdicts[3] = {0, 0, 0};
  for (int i = 0; i < 60; ++i) {
    const std::vector<std::string> args =
        i % 2 == 0 ? std::vector<std::string>{"validate", path}
                   : std::vector<std::string>{"dump", path};
    SCOPED_TRACE(absl::StrJoin(args, " "));
    const Result r = Wait(StartTool(args), 120);
    ExpectExited(r);
    ASSERT_LE(r.exit_code, 2);
    ++verdicts[r.exit_code];
    if (r.exit_code == 2) {
      EXPECT_THAT(r.out + r.err, HasSubstr("shrank while being read"));
    }
  }
  stop.store(true);
  shrinker.join();
  // Which verdicts come depends on timing; each run had one.
  EXPECT_EQ(verdicts[0] + verdicts[1] + verdicts[2], 60);
}

// Drops the capabilities that let root read any file, for the life of the
// child and the program it execs (the bounding set survives exec).
void DropFileReadCapabilities() {
  prctl(PR_CAPBSET_DROP, 1 /* CAP_DAC_OVERRIDE */, 0, 0, 0);
  prctl(PR_CAPBSET_DROP, 2 /* CAP_DAC_READ_SEARCH */, 0, 0, 0);
}

// Inputs that are not regular files: an I/O error naming the path, exit 2,
// and no wait for a FIFO's writer or an endless device.
TEST(NotARegularFile, IsAnIoErrorNamingThePath) {
  const std::string fifo = TempPath("fifo.safetensors");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0) << std::strerror(errno);
  const std::string loop_a = TempPath("loop_a.safetensors");
  const std::string loop_b = TempPath("loop_b.safetensors");
  ASSERT_EQ(symlink(loop_b.c_str(), loop_a.c_str()), 0);
  ASSERT_EQ(symlink(loop_a.c_str(), loop_b.c_str()), 0);
  const std::string dir = TempPath("a_directory.safetensors");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const std::string secret = WriteFile(
      "secret.safetensors", MakeFile(R"({"__metadata__":{"k":"v"}})"));
  ASSERT_EQ(chmod(secret.c_str(), 0), 0);

  struct Input {
    std::string path;
    std::string reason;  // in the message
  };
  const std::vector<Input> inputs = {
      {fifo, "not a regular file"},
      {"/dev/zero", "not a regular file"},
      {"/dev/urandom", "not a regular file"},
      {loop_a, "Too many levels of symbolic links"},
      {secret, "Permission denied"},
  };
  const std::string out = TempPath("never_written.safetensors");
  for (const Input& in : inputs) {
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"dump", in.path},
                                               {"validate", in.path},
                                               {"inspect", in.path},
                                               {"header", in.path},
                                               {"extract", in.path, out},
                                               {"diff", in.path, in.path}}) {
      SCOPED_TRACE(absl::StrJoin(args, " "));
      const Result r = Wait(StartTool(args, {}, DropFileReadCapabilities), 60);
      ExpectExited(r);
      EXPECT_EQ(r.exit_code, 2);
      // validate reports on stdout, one line per input; the others on stderr.
      const std::string& said = args[0] == "validate" ? r.out : r.err;
      EXPECT_THAT(said, HasSubstr(in.path));
      EXPECT_THAT(said, HasSubstr(in.reason));
      if (args[0] == "validate") {
        EXPECT_THAT(said, HasSubstr("\tIoError\t"));
      }
    }
  }
  EXPECT_NE(access(out.c_str(), F_OK), 0);

  // A directory: a FILE is expected (dump, header), or a directory holding a
  // model, which this one does not (validate, inspect).
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"dump", dir},
                                             {"header", dir},
                                             {"validate", dir},
                                             {"inspect", dir}}) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    const Result r = Wait(StartTool(args), 60);
    ExpectExited(r);
    EXPECT_EQ(r.exit_code, 2);
    const std::string& said = args[0] == "validate" ? r.out : r.err;
    EXPECT_THAT(said, HasSubstr(dir));
    EXPECT_TRUE(absl::StrContains(said, "Is a directory") ||
                absl::StrContains(said, "no safetensors model here"))
        << said;
  }
}

// A sparse file of 2^40 bytes of data (safetensors/testing/huge_file.h): a
// 4 GiB tensor, a tensor above 2^32 and one ending at 2^40. validate and
// inspect read only the header; extract copies one tensor from far into the
// file.
TEST(HugeSparseFile, OffsetsPast4GiBAndNear2To40) {
  using H = test::HugeSparseFile;
  const H huge = test::WriteHugeSparseFile(TempPath("huge.safetensors"));
  ASSERT_FALSE(huge.path.empty());
  const std::string& path = huge.path;
  const uint64_t kEnd = H::kDataSize;
  const uint64_t above = H::kAbove;
  const uint64_t tail = H::kTail;
  const std::string& above_bytes = huge.above_bytes;
  const std::string& tail_bytes = huge.tail_bytes;

  Result r = RunTool({"validate", path});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, absl::StrCat(path, "\tok\n"));

  r = RunTool({"inspect", "--json", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"data_size\": ", kEnd, ",")));
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(
                         "\"name\": \"tail\", \"dtype\": \"U8\", "
                         "\"shape\": [4, 16], \"elements\": 64, \"size\": 64, "
                         "\"offset\": ",
                         tail, "}")));
  EXPECT_THAT(
      r.out, HasSubstr(absl::StrCat("\"size\": 16, \"offset\": ", above, "}")));

  for (const std::string name : {"tail", "above4g"}) {
    SCOPED_TRACE(name);
    const std::string out = TempPath(absl::StrCat(name, ".safetensors"));
    r = RunTool({"extract", absl::StrCat("--select=", name), path, out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The one tensor, byte for byte, at offset 0 of a small file.
    const std::string got = ReadFile(out);
    const std::string& want = name == "tail" ? tail_bytes : above_bytes;
    ASSERT_GE(got.size(), want.size());
    EXPECT_EQ(got.substr(got.size() - want.size()), want);
    EXPECT_LT(got.size(), 256u);
    r = RunTool({"dump", out});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("ntensors\t1\n"));
  }
}

// shard of a file with metadata and no tensors: refused, since no shard
// would carry the metadata and merge would give {} (it once said "0 tensors
// in 0 shards" and exited 0). Without metadata, nothing is lost.
TEST(ShardWithoutTensors, RefusesToDropTheMetadata) {
  const std::string in =
      WriteFile("no_tensors.safetensors",
                MakeFile(R"({"__metadata__":{"format":"pt"}})"));
  const std::string out = TempPath("no_tensors_sharded");
  Result r = RunTool({"shard", "--max-size=1MB", in, out});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("no shard to carry the metadata"));
  EXPECT_THAT(ListDirectory(out), IsEmpty());

  // extract keeps it, as the message says.
  const std::string copy = TempPath("no_tensors_copy.safetensors");
  r = RunTool({"extract", in, copy});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunTool({"dump", copy});
  EXPECT_EQ(r.out,
            "header_len\t32\ndata_len\t0\nntensors\t0\nmetadata\t1\n"
            "meta\t\"format\"\t\"pt\"\n");

  const std::string empty =
      WriteFile("empty_header.safetensors", MakeFile("{}"));
  r = RunTool({"shard", "--max-size=1MB", empty, out + "2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunTool({"merge", out + "2", TempPath("merged_empty.safetensors")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunTool({"dump", TempPath("merged_empty.safetensors")});
  EXPECT_EQ(r.out, "header_len\t8\ndata_len\t0\nntensors\t0\nmetadata\tnone\n");
}

// A hang this file's tests rely on Wait to end: the child stops before exec.
void Hang() {
  for (;;) pause();
}

TEST(ToolRunner, WaitKillsAChildAtItsTimeout) {
  const auto start = std::chrono::steady_clock::now();
  const Result r = Wait(StartTool({"--version"}, {}, Hang), 1);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_GE(waited, std::chrono::seconds(1));
  EXPECT_LT(waited, std::chrono::seconds(30));
}

TEST(ToolRunner, WaitReturnsWhenTheChildExits) {
  const auto start = std::chrono::steady_clock::now();
  const Result r = Wait(StartTool({"--version"}), 300);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60))
      << "waited for the timeout, not for the exit";
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace tool_test
}  // namespace safetensors
