// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/cleanup.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace safetensors {
namespace internal {
namespace {

constexpr int kSlots = 64;
// Each slot holds a malloc'ed copy of a path, or null, owned by the
// UnfinishedFile that put it there; the handler only reads it.
std::atomic<char*> slots[kSlots];

void OnInterrupt(int sig) {
  const int saved = errno;
  RemoveUnfinishedFiles();
  // Die of the signal itself: default action, unblocked (it is blocked
  // while its handler runs), raised again.
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  raise(sig);
  errno = saved;  // not reached unless the signal is ignored elsewhere
}

}  // namespace

UnfinishedFile::UnfinishedFile(const std::string& path) {
  char* copy = static_cast<char*>(std::malloc(path.size() + 1));
  if (copy == nullptr) return;
  std::memcpy(copy, path.c_str(), path.size() + 1);
  for (int i = 0; i < kSlots; ++i) {
    char* expected = nullptr;
    if (slots[i].compare_exchange_strong(expected, copy)) {
      slot_ = i;
      return;
    }
  }
  std::free(copy);  // the table is full
}

UnfinishedFile::UnfinishedFile(UnfinishedFile&& other) noexcept
    : slot_(std::exchange(other.slot_, -1)) {}

UnfinishedFile& UnfinishedFile::operator=(UnfinishedFile&& other) noexcept {
  if (this != &other) {
    Release();
    slot_ = std::exchange(other.slot_, -1);
  }
  return *this;
}

void UnfinishedFile::Release() {
  if (slot_ < 0) return;
  std::free(slots[slot_].exchange(nullptr));
  slot_ = -1;
}

int RemoveUnfinishedFiles() {
  int removed = 0;
  // Files first, then directories (empty by then, if they hold only what
  // this process registered). The table is left as it is: the handler
  // cannot free, and the registrations free their own copies when they go.
  for (int i = 0; i < kSlots; ++i) {
    const char* path = slots[i].load();
    if (path != nullptr && unlink(path) == 0) ++removed;
  }
  for (int i = 0; i < kSlots; ++i) {
    const char* path = slots[i].load();
    if (path != nullptr && rmdir(path) == 0) ++removed;
  }
  return removed;
}

void InstallInterruptCleanup() {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  // The other two wait while one is handled.
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&action.sa_mask, sig);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction previous;
    // A signal ignored when the tool started (nohup's SIGHUP, a shell's
    // background SIGINT) stays ignored.
    if (sigaction(sig, nullptr, &previous) == 0 &&
        previous.sa_handler == SIG_IGN) {
      continue;
    }
    sigaction(sig, &action, nullptr);
  }
}

}  // namespace internal
}  // namespace safetensors
