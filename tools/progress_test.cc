// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/progress.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
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

constexpr uint64_t kGiB = uint64_t{1} << 30;

TEST(RenderProgress, TextRateAndTimeLeft) {
  // Before half a second: no rate yet.
  EXPECT_EQ(
      RenderProgress("shard", 0, kGiB, 0.1, 80),
      "shard [.....................................................]   0%  "
      "0 B / 1 GiB");
  EXPECT_EQ(RenderProgress("merge", kGiB / 2, kGiB, 2.0, 80),
            "merge [#############..............]  50%  512 MiB / 1 GiB  "
            "256 MiB/s  0:02 left");
  EXPECT_EQ(RenderProgress("diff", 7, 7, 1.0, 60),
            "diff [#############################] 100%  7 B / 7 B  7 B/s");
  EXPECT_EQ(RenderProgress("x", 0, 0, 0, 40),
            "x [###################] 100%  0 B / 0 B");
  // Hours.
  EXPECT_THAT(RenderProgress("c", 1, uint64_t{3600} * 2 + 1, 1.0, 80),
              ::testing::EndsWith("  1 B/s  2:00:00 left"));
}

// Every width from 1 to 120 gets a line of at most width - 1 columns; a
// narrow one drops the rate, then the sizes, then the bar.
TEST(RenderProgress, FitsEveryWidth) {
  for (int width = 1; width <= 120; ++width) {
    const std::string line =
        RenderProgress("extract", kGiB / 4, kGiB, 3.0, width);
    EXPECT_LE(static_cast<int>(line.size()), std::max(width - 1, 0)) << width;
  }
  EXPECT_EQ(RenderProgress("extract", kGiB / 4, kGiB, 3.0, 50),
            "extract [####.............]  25%  256 MiB / 1 GiB");
  EXPECT_EQ(RenderProgress("extract", kGiB / 4, kGiB, 3.0, 30),
            "extract [###...........]  25%");
  EXPECT_EQ(RenderProgress("extract", kGiB / 4, kGiB, 3.0, 20), "extract  25%");
}

// A clock the test moves.
struct FakeClock {
  double now = 100;
  ProgressBar::Clock Get() {
    return [this] { return now; };
  }
};

std::string Drawn(bool enabled) {
  char buffer[4096] = {};
  FILE* f = fmemopen(buffer, sizeof(buffer) - 1, "w");
  FakeClock clock;
  ProgressBar bar("copy", 100, f, enabled, 60, clock.Get());
  bar.Update(10);  // the first draw
  clock.now += 0.05;
  bar.Update(20);  // too soon: not drawn
  clock.now += 0.06;
  bar.Update(30);  // 0.11 s after the first
  clock.now += 0.01;
  bar.Update(100);  // the last is always drawn
  bar.Update(100);  // but once
  bar.Finish();
  std::fclose(f);
  return buffer;
}

TEST(ProgressBar, DrawsOnlyWhenEnabledAtMostTenTimesASecond) {
  EXPECT_EQ(Drawn(false), "");
  const std::string erase = "\x1b[K";
  EXPECT_EQ(Drawn(true), "\r" + RenderProgress("copy", 10, 100, 0, 60) + erase +
                             "\r" + RenderProgress("copy", 30, 100, 0.11, 60) +
                             erase + "\r" +
                             RenderProgress("copy", 100, 100, 0.12, 60) +
                             erase + "\r" + erase);
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
  // The first update and the last (the second comes within 0.1 s of the
  // first, unless the machine stalls: then it is drawn too), each erasing
  // to the end of the line, and the line erased at the end.
  EXPECT_THAT(drawn, ::testing::StartsWith("\rbig ["));
  EXPECT_THAT(drawn,
              ::testing::EndsWith("100%  256 MiB / 256 MiB\x1b[K\r\x1b[K"));
  EXPECT_EQ(drawn.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
