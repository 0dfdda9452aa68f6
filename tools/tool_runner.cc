// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/tool_runner.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>              // NOLINT(build/c++11)
#include <condition_variable>  // NOLINT(build/c++11)
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>  // NOLINT(build/c++11)
#include <sstream>
#include <thread>  // NOLINT(build/c++11)

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

#include "safetensors/testing/test_util.h"

extern char** environ;

namespace safetensors {
namespace tool_test {

namespace {
constexpr char kQemu[] = "/usr/bin/qemu-s390x-static";
}  // namespace

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

std::vector<std::string> ListDirectory(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::string MakeFile(absl::string_view header, absl::string_view data) {
  return absl::StrCat(test::LengthPrefix(header.size()), header, data);
}

Child StartTool(const std::vector<std::string>& args,
                const std::vector<std::string>& extra_env,
                void (*before_exec)()) {
  static int counter = 0;
  Child child;
  child.out_path = TempPath(absl::StrCat("out", counter, ".txt"));
  child.err_path = TempPath(absl::StrCat("err", counter, ".txt"));
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
  const char* out_path = child.out_path.c_str();
  const char* err_path = child.err_path.c_str();

  child.pid = fork();
  if (child.pid == 0) {
    const int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
    if (before_exec != nullptr) before_exec();
    execve(direct_argv[0], direct_argv.data(), envp.data());
    if (errno == ENOEXEC) {  // a cross-built tool: start it through qemu
      execve(emulated_argv[0], emulated_argv.data(), envp.data());
    }
    _exit(127);
  }
  EXPECT_GT(child.pid, 0) << std::strerror(errno);
  return child;
}

Result Wait(const Child& child, int timeout_seconds) {
  Result result;
  if (child.pid <= 0) return result;
  // A watchdog thread kills the child at the deadline while this thread
  // blocks until it exits. The wait leaves the child unreaped (WNOWAIT)
  // until the watchdog has finished, so the watchdog's kill cannot reach
  // another process that reused the pid.
  std::mutex mu;
  std::condition_variable exited_cv;
  bool exited = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mu);
    if (!exited_cv.wait_for(lock, std::chrono::seconds(timeout_seconds),
                            [&] { return exited; })) {
      result.timed_out = true;
      kill(child.pid, SIGKILL);
    }
  });
  const id_t id = static_cast<id_t>(child.pid);
  siginfo_t info;
  while (waitid(P_PID, id, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    exited = true;
  }
  exited_cv.notify_one();
  watchdog.join();
  int status = 0;
  struct rusage usage = {};
  while (wait4(child.pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  result.peak_rss_kb = usage.ru_maxrss;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  result.out = ReadFile(child.out_path);
  result.err = ReadFile(child.err_path);
  EXPECT_NE(result.exit_code, 127) << "could not start the tool";
  return result;
}

Result RunTool(const std::vector<std::string>& args,
               const std::vector<std::string>& extra_env) {
  return Wait(StartTool(args, extra_env));
}

}  // namespace tool_test
}  // namespace safetensors
