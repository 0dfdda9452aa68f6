// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/fault_guard.h"

#include <setjmp.h>
#include <signal.h>

#include <atomic>
#include <cstring>
#include <mutex>  // NOLINT(build/c++11): std::call_once

#include "absl/strings/str_cat.h"

#include "safetensors/status.h"

namespace safetensors {
namespace internal {
namespace {

// The innermost guarded region of this thread, or null. Read by the handler
// on the thread that faulted (SIGBUS from a memory access is delivered to
// the thread that made it).
thread_local sigjmp_buf* active_region = nullptr;

std::atomic<bool> installed{false};
struct sigaction previous_action;

void OnSigbus(int signal_number, siginfo_t* info, void* ucontext) {
  sigjmp_buf* region = active_region;
  if (region != nullptr) {
    // SA_NODEFER: SIGBUS is not blocked here, so the jump need not restore
    // a signal mask (and sigsetjmp need not save one: no system call).
    siglongjmp(*region, 1);
  }
  // Not a guarded access: what it meant before.
  if ((previous_action.sa_flags & SA_SIGINFO) != 0 &&
      previous_action.sa_sigaction != nullptr) {
    previous_action.sa_sigaction(signal_number, info, ucontext);
    return;
  }
  if (previous_action.sa_handler != SIG_DFL &&
      previous_action.sa_handler != SIG_IGN) {
    previous_action.sa_handler(signal_number);
    return;
  }
  // Default (an ignored fault would repeat forever, so default too): the
  // faulting instruction runs again on return, and now the signal kills.
  signal(signal_number, SIG_DFL);
}

}  // namespace

void InstallFaultGuard() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_sigaction = OnSigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGBUS, &action, &previous_action) == 0) {
      installed.store(true, std::memory_order_release);
    }
  });
}

bool FaultGuardInstalled() { return installed.load(std::memory_order_acquire); }

bool RunGuarded(void (*fn)(void*), void* context) {
  if (!installed.load(std::memory_order_relaxed)) {
    fn(context);
    return true;
  }
  sigjmp_buf region;
  sigjmp_buf* const outer = active_region;
  if (sigsetjmp(region, 0) != 0) {
    active_region = outer;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    return false;
  }
  active_region = &region;
  // The handler must see the region before the first access, and the
  // accesses must not move past its end.
  std::atomic_signal_fence(std::memory_order_seq_cst);
  fn(context);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  active_region = outer;
  return true;
}

bool GuardedCopy(void* dst, const void* src, size_t n) {
  struct Copy {
    void* dst;
    const void* src;
    size_t n;
  } copy{dst, src, n};
  return RunGuarded(
      [](void* c) {
        const Copy* p = static_cast<const Copy*>(c);
        std::memcpy(p->dst, p->src, p->n);
      },
      &copy);
}

absl::Status ShrankWhileBeing(absl::string_view verb, absl::string_view what,
                              absl::string_view file) {
  return MakeError(ErrorKind::kIoError, absl::StatusCode::kAborted,
                   absl::StrCat(what, ": its bytes cannot be read: ", file,
                                " shrank while being ", verb));
}

}  // namespace internal
}  // namespace safetensors
