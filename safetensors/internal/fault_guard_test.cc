// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The SIGBUS guard over a real vanished mapping: a file mapped at three
// pages and truncated to one, so that its second and third pages raise
// SIGBUS when touched.

#include "safetensors/internal/fault_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "safetensors/status.h"

namespace safetensors {
namespace internal {
namespace {

class ShrunkMapping {
 public:
  ShrunkMapping() {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const char* dir = std::getenv("TEST_TMPDIR");
    std::string path =
        std::string(dir != nullptr ? dir : "/tmp") + "/fault_guard_XXXXXX";
    const int fd = mkstemp(&path[0]);
    EXPECT_GE(fd, 0);
    unlink(path.c_str());
    std::vector<uint8_t> bytes(3 * page_);
    for (size_t i = 0; i < bytes.size(); ++i)
      bytes[i] = static_cast<uint8_t>(i);
    EXPECT_EQ(write(fd, bytes.data(), bytes.size()),
              static_cast<ssize_t>(bytes.size()));
    void* m = mmap(nullptr, bytes.size(), PROT_READ, MAP_PRIVATE, fd, 0);
    EXPECT_NE(m, MAP_FAILED);
    bytes_ = static_cast<const uint8_t*>(m);
    EXPECT_EQ(ftruncate(fd, static_cast<off_t>(page_)), 0);
    close(fd);
  }
  ~ShrunkMapping() { munmap(const_cast<uint8_t*>(bytes_), 3 * page_); }

  const uint8_t* bytes() const { return bytes_; }
  size_t page() const { return page_; }

 private:
  size_t page_;
  const uint8_t* bytes_;
};

// How a process dies of an unhandled SIGBUS: by the signal itself, or, under
// AddressSanitizer (whose handler is the one in place before ours), by
// ASan's report and abort.
#if defined(__SANITIZE_ADDRESS__)
#define SAFETENSORS_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SAFETENSORS_UNDER_ASAN 1
#endif
#endif
#ifdef SAFETENSORS_UNDER_ASAN
bool DiedOfSigbus(int status) {
  return (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) ||
         (WIFEXITED(status) && WEXITSTATUS(status) != 0);
}
constexpr char kSigbusReport[] = "AddressSanitizer: BUS";
#else
bool DiedOfSigbus(int status) {
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS;
}
constexpr char kSigbusReport[] = "";
#endif

// Death tests re-execute the test binary for a fresh process, except on
// s390x, where the tests run under qemu-user, which cannot re-execute it:
// there they fork, and the child inherits the guard if an earlier test
// installed it.
#if defined(__s390x__)
constexpr char kDeathTestStyle[] = "fast";
#else
constexpr char kDeathTestStyle[] = "threadsafe";
#endif

// Reads one byte the compiler cannot drop.
uint8_t Touch(const uint8_t* p) {
  return *static_cast<const volatile uint8_t*>(p);
}

TEST(FaultGuardTest, WithoutTheGuardAVanishedPageKills) {
  GTEST_FLAG_SET(death_test_style, kDeathTestStyle);
  ShrunkMapping m;
  EXPECT_EXIT(
      {
        if (FaultGuardInstalled()) std::_Exit(3);
        std::_Exit(Touch(m.bytes() + m.page()));
      },
      DiedOfSigbus, kSigbusReport);
}

TEST(FaultGuardTest, GuardedCopyReportsTheFault) {
  InstallFaultGuard();
  ASSERT_TRUE(FaultGuardInstalled());
  ShrunkMapping m;
  std::vector<uint8_t> out(2 * m.page(), 0xEE);
  // The page that is still there copies.
  ASSERT_TRUE(GuardedCopy(out.data(), m.bytes(), m.page()));
  for (size_t i = 0; i < m.page(); ++i) {
    ASSERT_EQ(out[i], static_cast<uint8_t>(i)) << i;
  }
  // A copy that runs into the vanished page, and one wholly inside it.
  EXPECT_FALSE(GuardedCopy(out.data(), m.bytes() + m.page() / 2, m.page()));
  EXPECT_FALSE(GuardedCopy(out.data(), m.bytes() + 2 * m.page(), 16));
  // The guard is left as it was: the next guarded copy works again.
  EXPECT_TRUE(GuardedCopy(out.data(), m.bytes() + 8, 8));
  EXPECT_EQ(out[0], 8);
}

TEST(FaultGuardTest, ShrankWhileBeingSaysWhatAndHow) {
  const absl::Status s =
      ShrankWhileBeing("copied", "tensor \"w\"", "the input file");
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorKindOf(s), ErrorKind::kIoError);
  EXPECT_EQ(s.message(),
            "tensor \"w\": its bytes cannot be read: the input file shrank "
            "while being copied");
}

TEST(FaultGuardTest, RegionsNest) {
  InstallFaultGuard();
  ShrunkMapping m;
  bool inner_ok = true;
  uint8_t after = 0;
  const bool outer_ok = Guarded([&] {
    inner_ok = Guarded([&] { after = Touch(m.bytes() + m.page() + 1); });
    after = Touch(m.bytes() + 5);  // the outer region goes on
  });
  EXPECT_TRUE(outer_ok);
  EXPECT_FALSE(inner_ok);
  EXPECT_EQ(after, 5);
  // An inner region that succeeds leaves the outer one in charge.
  const bool outer_faulted = !Guarded([&] {
    inner_ok = Guarded([&] { after = Touch(m.bytes() + 7); });
    after = Touch(m.bytes() + 2 * m.page());
  });
  EXPECT_TRUE(inner_ok);
  EXPECT_TRUE(outer_faulted);
}

TEST(FaultGuardTest, OutsideARegionTheSignalKeepsItsMeaning) {
  GTEST_FLAG_SET(death_test_style, kDeathTestStyle);
  ShrunkMapping m;
  // What it did before: the default action (killed by SIGBUS), as without
  // the guard.
  EXPECT_EXIT(
      {
        InstallFaultGuard();
        std::_Exit(Touch(m.bytes() + m.page()));
      },
      DiedOfSigbus, kSigbusReport);
  // A handler installed before the guard still gets the faults that are not
  // the guard's.
  EXPECT_EXIT(
      {
        struct sigaction action;
        std::memset(&action, 0, sizeof(action));
        action.sa_handler = [](int) { std::_Exit(42); };
        sigaction(SIGBUS, &action, nullptr);
        InstallFaultGuard();
        if (!GuardedCopy(&action, m.bytes() + 2 * m.page(), 1)) {
          std::_Exit(Touch(m.bytes() + m.page()));
        }
        std::_Exit(4);
      },
      testing::ExitedWithCode(42), "");
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
