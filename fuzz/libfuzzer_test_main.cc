// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Turns a fuzz target linked with libFuzzer into a Bazel test (only under
// --config=fuzz; see fuzz/fuzz.bzl). libFuzzer calls LLVMFuzzerInitialize
// before it parses its flags, so this rewrites the command line when the
// binary runs under `bazel test` (TEST_TMPDIR is set):
//
//   <target> -max_total_time=$FUZZ_SECONDS (default 10) -print_final_stats=1
//            -artifact_prefix=$TEST_UNDECLARED_OUTPUTS_DIR/
//            $TEST_TMPDIR/corpus <the test's flags and corpus directories>
//
// The seed directories are read-only build outputs, so new inputs go to the
// writable first directory; input files given as arguments (the regression
// cases) are copied into it, because libFuzzer treats a command line of
// files as "run these" rather than "fuzz". A crash, a leak or a broken
// invariant fails the test, and the input is left in the test's undeclared
// outputs (bazel-testlogs/.../test.outputs/). Outside Bazel the command line
// is left alone: the binary is a plain libFuzzer target.

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  if (tmp == nullptr) return 0;
  const std::string corpus = std::string(tmp) + "/corpus";
  mkdir(corpus.c_str(), 0755);

  static std::vector<std::string> args;
  args.push_back((*argv)[0]);
  const char* seconds = std::getenv("FUZZ_SECONDS");
  args.push_back(std::string("-max_total_time=") +
                 (seconds != nullptr ? seconds : "10"));
  args.push_back("-print_final_stats=1");
  if (const char* out = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    args.push_back(std::string("-artifact_prefix=") + out + "/");
  }
  args.push_back(corpus);
  int copied = 0;
  for (int i = 1; i < *argc; ++i) {
    const std::string arg = (*argv)[i];
    struct stat st;
    if (arg[0] != '-' && stat(arg.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
      std::ifstream in(arg, std::ios::binary);
      std::ofstream out(corpus + "/input-" + std::to_string(copied++),
                        std::ios::binary);
      out << in.rdbuf();
      continue;
    }
    args.push_back(arg);
  }
  static std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(&a[0]);
  pointers.push_back(nullptr);
  *argc = static_cast<int>(args.size());
  *argv = pointers.data();
  return 0;
}
