// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the files a write has started and not finished, so that a
// process interrupted by a signal can remove them before it dies. The
// library registers them (AtomicFile's temporaries, and the shards a sharded
// write has put in place before its index); it installs no signal handler
// itself, since that is a process-wide act. The tool does
// (InstallInterruptCleanup), so Ctrl-C during a write leaves nothing behind.
//
// Registration takes a free slot of a fixed table (no allocation in the
// handler, no lock): RemoveUnfinishedFiles is async-signal-safe. Thread-safe.

#ifndef SAFETENSORS_INTERNAL_CLEANUP_H_
#define SAFETENSORS_INTERNAL_CLEANUP_H_

#include <string>

namespace safetensors {
namespace internal {

// A registered path (a file, or a directory the write created), removed
// from the table when it goes out of scope (the file itself is left alone:
// the write finished, or removed it itself).
// When the table is full (more than 64 writes at once) nothing is
// registered, and the file would survive an interrupt.
class UnfinishedFile {
 public:
  UnfinishedFile() = default;
  explicit UnfinishedFile(const std::string& path);
  UnfinishedFile(UnfinishedFile&& other) noexcept;
  UnfinishedFile& operator=(UnfinishedFile&& other) noexcept;
  UnfinishedFile(const UnfinishedFile&) = delete;
  UnfinishedFile& operator=(const UnfinishedFile&) = delete;
  ~UnfinishedFile() { Release(); }

  // Unregisters now.
  void Release();

 private:
  int slot_ = -1;
};

// Removes every registered path (files first, then directories, which go
// only if empty); the registrations stay until their UnfinishedFile goes.
// Async-signal-safe. Returns how many paths it removed.
int RemoveUnfinishedFiles();

// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the
// unfinished files, then die of the same signal (its default action, so the
// exit status is the conventional one: 130 for SIGINT in a shell). Once per
// process; for programs, like the tool, that own their signals.
void InstallInterruptCleanup();

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_CLEANUP_H_
