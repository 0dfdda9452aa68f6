// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Turning the SIGBUS of a vanished mapped page into an error. When a mapped
// file is truncated by another process, touching a page past its new end
// raises SIGBUS, which kills the process without a message. Code that copies
// or reads the bytes of a mapping (the writer, the dump, the diff) runs that
// work through GuardedCopy or Guarded: once InstallFaultGuard has run, a
// SIGBUS inside such a region returns false instead, and the caller reports
// an IoError. Outside a guarded region, or before InstallFaultGuard, SIGBUS
// keeps its old meaning: the handler passes it on to the handler it replaced
// (or to the default action, which kills the process).
//
// Installing a signal handler is a process-wide act, so the library never
// does it on its own: the command-line tool does, first thing in main.
// Guarded regions are per thread and may nest. Thread-safe.

#ifndef SAFETENSORS_INTERNAL_FAULT_GUARD_H_
#define SAFETENSORS_INTERNAL_FAULT_GUARD_H_

#include <cstddef>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {

// Installs the SIGBUS handler (SA_SIGINFO | SA_NODEFER | SA_ONSTACK), once;
// later calls do nothing.
void InstallFaultGuard();

// Whether InstallFaultGuard has run.
bool FaultGuardInstalled();

// memcpy(dst, src, n). Returns false when reading `src` raised SIGBUS (then
// `dst` holds some prefix of the bytes, or none); true otherwise.
bool GuardedCopy(void* dst, const void* src, size_t n);

// Calls fn(context). Returns false when it raised SIGBUS, true otherwise.
// The fault leaves `fn` by siglongjmp: it must not allocate, take locks or
// own objects with destructors (a loop over bytes, a memcmp or a copy into
// memory reserved beforehand).
bool RunGuarded(void (*fn)(void*), void* context);

// RunGuarded over a callable, with the same rules.
template <typename F>
bool Guarded(F&& f) {
  return RunGuarded(
      [](void* c) { (*static_cast<std::remove_reference_t<F>*>(c))(); },
      static_cast<void*>(&f));
}

// The error a caller reports when a guarded region over a mapping's bytes
// returned false: IoError (code kAborted) with the message "<what>: its bytes
// cannot be read: <file> shrank while being <verb>", e.g. what `tensor "w"`,
// file "the input file", verb "copied" or "read".
absl::Status ShrankWhileBeing(absl::string_view verb, absl::string_view what,
                              absl::string_view file);

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_FAULT_GUARD_H_
