// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/progress.h"

#include <cstdio>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace safetensors {
namespace tool {
namespace {

TEST(RenderProgress, Text) {
  EXPECT_EQ(RenderProgress("shard", 0, uint64_t{1} << 30),
            "shard [..............................]   0%  0 B / 1 GiB");
  EXPECT_EQ(RenderProgress("merge", uint64_t{512} << 20, uint64_t{1} << 30),
            "merge [###############...............]  50%  512 MiB / 1 GiB");
  EXPECT_EQ(RenderProgress("diff", 7, 7),
            "diff [##############################] 100%  7 B / 7 B");
  EXPECT_EQ(RenderProgress("x", 0, 0),
            "x [##############################] 100%  0 B / 0 B");
}

std::string Drawn(bool enabled) {
  char buffer[4096] = {};
  FILE* f = fmemopen(buffer, sizeof(buffer) - 1, "w");
  ProgressBar bar("copy", 100, f, enabled);
  bar.Update(10);
  bar.Update(10);  // same percentage: not redrawn
  bar.Update(100);
  bar.Finish();
  std::fclose(f);
  return buffer;
}

TEST(ProgressBar, DrawsOnlyWhenEnabled) {
  EXPECT_EQ(Drawn(false), "");
  const std::string drawn = Drawn(true);
  EXPECT_EQ(drawn, "\r" + RenderProgress("copy", 10, 100) + "\r" +
                       RenderProgress("copy", 100, 100) + "\r" +
                       std::string(80, ' ') + "\r");
}

TEST(ProgressBar, StderrIsNoTerminalInTests) {
  // Under Bazel stderr is a file: the bar stays off, however large the job.
  ProgressBar bar = ProgressBar::ForStderr("big", uint64_t{1} << 40);
  bar.Update(1);
  bar.Finish();
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
