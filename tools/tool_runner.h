// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// For tests that run the `safetensors` tool as a child process: its path in
// the runfiles, temporary files, and starting it (directly, or through
// qemu-s390x-static when the tool is a cross-built s390x binary the kernel
// cannot exec) with stdout and stderr captured in files.

#ifndef SAFETENSORS_TOOLS_TOOL_RUNNER_H_
#define SAFETENSORS_TOOLS_TOOL_RUNNER_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace tool_test {

// A path inside this test's runfiles, e.g. "tools/safetensors".
std::string Runfile(absl::string_view path);
// `name` inside the test's temporary directory.
std::string TempPath(absl::string_view name);
std::string ReadFile(const std::string& path);
// Writes `bytes` to TempPath(name) and returns that path.
std::string WriteFile(absl::string_view name, absl::string_view bytes);
// The names in directory `dir` (not "." or ".."), sorted; none when it
// cannot be read.
std::vector<std::string> ListDirectory(const std::string& dir);
// A file: the 8-byte little-endian length of `header`, then header and data.
std::string MakeFile(absl::string_view header, absl::string_view data = "");

struct Result {
  int exit_code = -1;      // -1 when the tool did not exit normally
  int term_signal = 0;     // the signal that ended it, if one did
  bool timed_out = false;  // killed by Wait after its timeout
  long peak_rss_kb = 0;    // the child's peak resident memory (ru_maxrss)
  std::string out;
  std::string err;
};

// A tool started in the background.
struct Child {
  pid_t pid = -1;
  std::string out_path;
  std::string err_path;
};

// Starts the tool with `args`, plus `extra_env` ("NAME=value") in its
// environment. `before_exec`, when set, runs in the child just before exec
// (it must only make system calls).
Child StartTool(const std::vector<std::string>& args,
                const std::vector<std::string>& extra_env = {},
                void (*before_exec)() = nullptr);
// Waits for `child` and collects its exit and output; after
// `timeout_seconds` it kills the child (SIGKILL) and sets timed_out.
Result Wait(const Child& child, int timeout_seconds = 300);
// StartTool, then Wait.
Result RunTool(const std::vector<std::string>& args,
               const std::vector<std::string>& extra_env = {});

}  // namespace tool_test
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_TOOL_RUNNER_H_
