// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/progress.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

// Points file descriptor 2 at `fd` for the object's lifetime (stdio's
// stderr with it, flushed at both ends).
class StderrTo {
 public:
  explicit StderrTo(int fd) : saved_(dup(2)) {
    std::fflush(stderr);
    EXPECT_GE(saved_, 0);
    EXPECT_EQ(dup2(fd, 2), 2);
  }
  ~StderrTo() {
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
  }

 private:
  int saved_;
};

// Draws a bar with ForStderr, `total` bytes, fully updated and finished.
void RunStderrBar(uint64_t total) {
  ProgressBar bar = ProgressBar::ForStderr("big", total);
  bar.Update(total / 2);
  bar.Update(total);
  bar.Finish();
}

TEST(ProgressBar, NothingOnAStderrThatIsNoTerminal) {
  const std::string path = ::testing::TempDir() + "/progress_stderr.txt";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  {
    StderrTo redirect(fd);
    ASSERT_FALSE(isatty(2));
    RunStderrBar(uint64_t{1} << 40);  // however large the job
    std::fputs("end", stderr);        // proves the capture works
  }
  char buffer[256] = {};
  const ssize_t n = pread(fd, buffer, sizeof(buffer), 0);
  close(fd);
  EXPECT_EQ(std::string(buffer, n > 0 ? n : 0), "end");
}

TEST(ProgressBar, DrawsOnAStderrThatIsATerminal) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    GTEST_SKIP() << "no pseudo-terminal here: " << std::strerror(errno);
  }
  const int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(slave, 0) << std::strerror(errno);
  termios mode;
  ASSERT_EQ(tcgetattr(slave, &mode), 0);
  cfmakeraw(&mode);  // bytes through as written
  ASSERT_EQ(tcsetattr(slave, TCSANOW, &mode), 0);
  {
    StderrTo redirect(slave);
    ASSERT_TRUE(isatty(2));
    RunStderrBar(kProgressThreshold - 1);  // too small for a bar
    RunStderrBar(kProgressThreshold);
  }
  close(slave);
  std::string drawn;
  pollfd p = {master, POLLIN, 0};
  char buffer[1024];
  while (poll(&p, 1, 1000) > 0 && (p.revents & POLLIN)) {
    const ssize_t n = read(master, buffer, sizeof(buffer));
    if (n <= 0) break;
    drawn.append(buffer, static_cast<size_t>(n));
  }
  close(master);
  EXPECT_EQ(
      drawn,
      "\r" + RenderProgress("big", kProgressThreshold / 2, kProgressThreshold) +
          "\r" + RenderProgress("big", kProgressThreshold, kProgressThreshold) +
          "\r" + std::string(80, ' ') + "\r");
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
