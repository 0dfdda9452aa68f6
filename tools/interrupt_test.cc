// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The writing commands interrupted mid-write by SIGINT, SIGTERM or SIGHUP:
// they leave no temporary, no shard without its index, no directory they
// created, and die of the signal (a shell's 128 + N). The next write into a
// directory removes what a killed run (SIGKILL) left there. Each run is
// caught in the act: the test waits until the write has begun, stops the
// tool (SIGSTOP), sends the signal, and lets it go on, so the signal always
// lands mid-write however fast the machine is.

#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>  // NOLINT(build/c++11)
#include <cstdint>
#include <string>
#include <thread>  // NOLINT(build/c++11)
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "tools/tool_runner.h"

namespace safetensors {
namespace tool_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int kTensors = 8;
constexpr uint64_t kEach = uint64_t{32} << 20;  // 32 MiB, 256 MiB in all

// A file of kTensors U8 tensors of kEach bytes, its data a hole (written at
// page-cache speed, read as zeros).
std::string BigFile() {
  static const std::string* path = [] {
    std::string header = "{";
    for (int i = 0; i < kTensors; ++i) {
      absl::StrAppend(&header, i > 0 ? "," : "", "\"t", i,
                      "\":{\"dtype\":\"U8\",\"shape\":[", kEach,
                      "],\"data_offsets\":[", i * kEach, ",", (i + 1) * kEach,
                      "]}");
    }
    header += "}";
    auto* p = new std::string(
        WriteFile("interrupt_big.safetensors", MakeFile(header)));
    const off_t size =
        static_cast<off_t>(ReadFile(*p).size() + kTensors * kEach);
    EXPECT_EQ(truncate(p->c_str(), size), 0);
    return p;
  }();
  return *path;
}

// BigFile's tensors as a two-shard checkpoint of holes; returns the index.
std::string BigShards() {
  static const std::string* index = [] {
    std::string weight_map;
    for (int shard = 0; shard < 2; ++shard) {
      const std::string name = absl::StrCat("interrupt_big-0000", shard + 1,
                                            "-of-00002.safetensors");
      std::string header = "{";
      const int first = shard * (kTensors / 2);
      for (int i = first; i < first + kTensors / 2; ++i) {
        const uint64_t at = static_cast<uint64_t>(i - first) * kEach;
        absl::StrAppend(&header, i > first ? "," : "", "\"t", i,
                        "\":{\"dtype\":\"U8\",\"shape\":[", kEach,
                        "],\"data_offsets\":[", at, ",", at + kEach, "]}");
        absl::StrAppend(&weight_map, weight_map.empty() ? "" : ",", "\"t", i,
                        "\":\"", name, "\"");
      }
      header += "}";
      const std::string path = WriteFile(name, MakeFile(header));
      const off_t size = static_cast<off_t>(ReadFile(path).size() +
                                            (kTensors / 2) * uint64_t{kEach});
      EXPECT_EQ(truncate(path.c_str(), size), 0);
    }
    return new std::string(
        WriteFile("interrupt_big.safetensors.index.json",
                  absl::StrCat("{\"weight_map\":{", weight_map, "}}")));
  }();
  return *index;
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// Waits (up to a minute) until `ready()`, then stops `child`. False when
// the child ended first or the time ran out.
template <typename Ready>
bool StopWhen(const Child& child, Ready ready) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return kill(child.pid, SIGSTOP) == 0;
    // Ended already? (Left unreaped, for Wait.)
    siginfo_t info = {};
    if (waitid(P_PID, child.pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == child.pid) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return false;
}

// Whether a name in `dir` starts with '.' and holds ".tmp-": a temporary.
bool HasTemporary(const std::string& dir) {
  for (const std::string& name : ListDirectory(dir)) {
    if (name[0] == '.' && absl::StrContains(name, ".tmp-")) return true;
  }
  return false;
}

// Sends `sig` to the stopped child, lets it go on, and collects it.
Result Interrupt(const Child& child, int sig) {
  EXPECT_EQ(kill(child.pid, sig), 0);
  EXPECT_EQ(kill(child.pid, SIGCONT), 0);
  return Wait(child, 120);
}

class Interrupted : public ::testing::TestWithParam<int> {};

TEST_P(Interrupted, ExtractLeavesNoTemporary) {
  const int sig = GetParam();
  const std::string dir = TempPath(absl::StrCat("int_extract_", sig));
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const std::string out = dir + "/out.safetensors";
  const Child child = StartTool({"extract", BigFile(), out});
  ASSERT_TRUE(StopWhen(child, [&] { return HasTemporary(dir); }))
      << "the write never began, or ended first";
  const Result r = Interrupt(child, sig);
  EXPECT_EQ(r.term_signal, sig) << r.err;
  EXPECT_THAT(ListDirectory(dir), IsEmpty());  // no temporary, no OUT
}

TEST_P(Interrupted, CreateLeavesNoTemporary) {
  const int sig = GetParam();
  const std::string dir = TempPath(absl::StrCat("int_create_", sig));
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  std::string spec = "{\"tensors\": [";
  for (int i = 0; i < kTensors; ++i) {
    absl::StrAppend(&spec, i > 0 ? ", " : "", "{\"name\": \"t", i,
                    "\", \"dtype\": \"U8\", \"shape\": [", kEach,
                    "], \"fill\": {\"byte\": 0}}");
  }
  spec += "]}";
  const std::string spec_path = WriteFile("interrupt_create.json", spec);
  const std::string out = dir + "/out.safetensors";
  const Child child = StartTool({"create", spec_path, out});
  ASSERT_TRUE(StopWhen(child, [&] { return HasTemporary(dir); }))
      << "the write never began, or ended first";
  const Result r = Interrupt(child, sig);
  EXPECT_EQ(r.term_signal, sig) << r.err;
  EXPECT_THAT(ListDirectory(dir), IsEmpty());  // no temporary, no OUT
}

TEST_P(Interrupted, ConvertLeavesNoTemporary) {
  const int sig = GetParam();
  const std::string dir = TempPath(absl::StrCat("int_convert_", sig));
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const Child child = StartTool({"convert", "--to=BF16", "--allow-integers",
                                 BigFile(), dir + "/out.safetensors"});
  ASSERT_TRUE(StopWhen(child, [&] { return HasTemporary(dir); }))
      << "the write never began, or ended first";
  const Result r = Interrupt(child, sig);
  EXPECT_EQ(r.term_signal, sig) << r.err;
  EXPECT_THAT(ListDirectory(dir), IsEmpty());
}

TEST_P(Interrupted, MergeLeavesNoTemporary) {
  const int sig = GetParam();
  const std::string dir = TempPath(absl::StrCat("int_merge_", sig));
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const Child child =
      StartTool({"merge", BigShards(), dir + "/out.safetensors"});
  ASSERT_TRUE(StopWhen(child, [&] { return HasTemporary(dir); }))
      << "the write never began, or ended first";
  const Result r = Interrupt(child, sig);
  EXPECT_EQ(r.term_signal, sig) << r.err;
  EXPECT_THAT(ListDirectory(dir), IsEmpty());
}

TEST_P(Interrupted, ShardLeavesNoShardsAndNoDirectoryItMade) {
  const int sig = GetParam();
  const std::string dir = TempPath(absl::StrCat("int_shard_", sig));
  const Child child = StartTool({"shard", "--max-size=32MiB", BigFile(), dir});
  // Two shards in place and the third being written.
  ASSERT_TRUE(StopWhen(child, [&] {
    return Exists(dir + "/model-00002-of-00008.safetensors") &&
           HasTemporary(dir);
  })) << "the write never got that far, or ended first";
  const Result r = Interrupt(child, sig);
  EXPECT_EQ(r.term_signal, sig) << r.err;
  EXPECT_FALSE(Exists(dir)) << "left: " << ListDirectory(dir).size();
}

TEST_P(Interrupted, ShardIntoAnExistingDirectoryKeepsWhatWasThere) {
  const int sig = GetParam();
  const std::string dir = TempPath(absl::StrCat("int_shard_existing_", sig));
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  WriteFile(absl::StrCat("int_shard_existing_", sig, "/notes.txt"), "mine");
  const Child child = StartTool({"shard", "--max-size=32MiB", BigFile(), dir});
  ASSERT_TRUE(StopWhen(child, [&] {
    return Exists(dir + "/model-00001-of-00008.safetensors") &&
           HasTemporary(dir);
  }));
  const Result r = Interrupt(child, sig);
  EXPECT_EQ(r.term_signal, sig) << r.err;
  EXPECT_THAT(ListDirectory(dir), ElementsAre("notes.txt"));
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupted,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGINT    ? "INT"
                                              : info.param == SIGTERM ? "TERM"
                                                                      : "HUP");
                         });

// SIGKILL cannot be caught: the temporary stays. The next write into the
// directory removes it, once it has been left alone for 10 s, and says so;
// a younger one is only reported.
TEST(KilledRun, NextWriteRemovesItsTemporary) {
  const std::string dir = TempPath("int_killed");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const Child child = StartTool({"extract", BigFile(), dir + "/a.safetensors"});
  ASSERT_TRUE(StopWhen(child, [&] { return HasTemporary(dir); }));
  ASSERT_EQ(kill(child.pid, SIGKILL), 0);
  const Result killed = Wait(child, 120);
  ASSERT_EQ(killed.term_signal, SIGKILL);
  std::vector<std::string> left = ListDirectory(dir);
  ASSERT_EQ(left.size(), 1u);
  const std::string stale = dir + "/" + left[0];
  // A second, younger temporary of a process that is gone.
  const pid_t gone = fork();
  ASSERT_GE(gone, 0);
  if (gone == 0) _exit(0);
  ASSERT_EQ(waitpid(gone, nullptr, 0), gone);
  const std::string young =
      absl::StrCat(dir, "/.b.safetensors.tmp-", gone, "-0-0-0");
  WriteFile(absl::StrCat("int_killed/.b.safetensors.tmp-", gone, "-0-0-0"),
            "partial");
  // The killed run's temporary, 11 s old.
  const struct timeval old[2] = {{time(nullptr) - 11, 0},
                                 {time(nullptr) - 11, 0}};
  ASSERT_EQ(utimes(stale.c_str(), old), 0);

  const Result r =
      RunTool({"extract", "--select=t0", BigFile(), dir + "/c.safetensors"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("removed ", stale,
                                            ": a temporary of process ")));
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat("note: ", young)));
  EXPECT_FALSE(Exists(stale));
  EXPECT_TRUE(Exists(young));
  EXPECT_TRUE(Exists(dir + "/c.safetensors"));
}

}  // namespace
}  // namespace tool_test
}  // namespace safetensors
