// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Test-only file helpers: a path in the test's temporary directory, and
// whole-file reads and writes. They report failures as gtest failures (and
// an empty result), so a test never needs its own copy of them.

#ifndef SAFETENSORS_TESTING_TEMP_FILE_H_
#define SAFETENSORS_TESTING_TEMP_FILE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace test {

// `name` inside the test's temporary directory ($TEST_TMPDIR under Bazel,
// ::testing::TempDir() otherwise). Creates nothing.
std::string TempPath(absl::string_view name);

// The whole file at `path`; an empty string and a test failure when it
// cannot be read.
std::string ReadWholeFile(const std::string& path);

// Writes `bytes` to `path`, replacing it; a test failure when it cannot.
// Returns `path`.
std::string WriteWholeFile(const std::string& path, absl::string_view bytes);

// The names in directory `dir` (without "." and ".."), sorted; empty when
// it cannot be opened.
std::vector<std::string> ListDir(const std::string& dir);

}  // namespace test
}  // namespace safetensors

#endif  // SAFETENSORS_TESTING_TEMP_FILE_H_
