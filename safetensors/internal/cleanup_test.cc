// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The table of unfinished files: what is registered is removed (files, then
// directories if empty), what is released is not, and an interrupt of a
// process that installed the cleanup removes them and dies of its signal.

#include "safetensors/internal/cleanup.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

#include "safetensors/testing/temp_file.h"

namespace safetensors {
namespace internal {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

std::string NewFile(const std::string& name) {
  const std::string path = test::TempPath(name);
  test::WriteWholeFile(path, "x");
  return path;
}

TEST(UnfinishedFile, RegisteredFilesAreRemovedReleasedOnesKept) {
  const std::string a = NewFile("cleanup_a");
  const std::string b = NewFile("cleanup_b");
  const std::string kept = NewFile("cleanup_kept");
  const std::string dir = test::TempPath("cleanup_dir");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const std::string inside = dir + "/f";
  test::WriteWholeFile(inside, "y");
  // The directory registered before the file in it: still removed, after.
  UnfinishedFile d(dir), ua(a), ub(b), uk(kept), ui(inside);
  uk.Release();
  UnfinishedFile moved = std::move(ub);  // the move keeps the registration
  EXPECT_EQ(RemoveUnfinishedFiles(), 4);
  EXPECT_FALSE(Exists(a));
  EXPECT_FALSE(Exists(b));
  EXPECT_FALSE(Exists(inside));
  EXPECT_FALSE(Exists(dir));
  EXPECT_TRUE(Exists(kept));
  EXPECT_EQ(RemoveUnfinishedFiles(), 0);  // nothing left to remove
}

TEST(UnfinishedFile, DestroyedRegistrationsAreForgotten) {
  const std::string a = NewFile("cleanup_scoped");
  { UnfinishedFile scoped(a); }
  EXPECT_EQ(RemoveUnfinishedFiles(), 0);
  EXPECT_TRUE(Exists(a));
}

TEST(UnfinishedFile, ANonEmptyDirectoryStays) {
  const std::string dir = test::TempPath("cleanup_full_dir");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  test::WriteWholeFile(dir + "/other", "z");  // not registered
  UnfinishedFile d(dir);
  EXPECT_EQ(RemoveUnfinishedFiles(), 0);
  EXPECT_TRUE(Exists(dir + "/other"));
}

// More than the table's 64 slots: the rest are not registered (and so not
// removed), and nothing breaks.
TEST(UnfinishedFile, AFullTableRegistersNoMore) {
  std::vector<std::string> paths;
  std::vector<UnfinishedFile> registered;
  for (int i = 0; i < 70; ++i) {
    paths.push_back(NewFile("cleanup_many_" + std::to_string(i)));
    registered.emplace_back(paths.back());
  }
  EXPECT_EQ(RemoveUnfinishedFiles(), 64);
  for (int i = 0; i < 70; ++i) EXPECT_EQ(Exists(paths[i]), i >= 64) << i;
}

// In a child: the handlers remove the registered file, and the process dies
// of the signal it got (so a shell sees 128 + the signal). A signal ignored
// when the cleanup was installed stays ignored.
TEST(InterruptCleanup, RemovesThenDiesOfTheSignal) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    const std::string path = NewFile("cleanup_signal_" + std::to_string(sig));
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      InstallInterruptCleanup();
      UnfinishedFile f(path);
      raise(sig);
      _exit(0);  // not reached
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status)) << sig;
    if (WIFSIGNALED(status)) {
      EXPECT_EQ(WTERMSIG(status), sig);
    }
    EXPECT_FALSE(Exists(path)) << sig;
  }
  const std::string path = NewFile("cleanup_ignored");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGHUP, SIG_IGN);  // as nohup starts a program
    InstallInterruptCleanup();
    UnfinishedFile f(path);
    raise(SIGHUP);
    f.Release();
    _exit(7);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_TRUE(Exists(path));
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
