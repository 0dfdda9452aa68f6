// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Test-only: a FileSystem that fails its Nth call, so that a test can fail
// every call of a write in turn and prove that each failure is reported and
// leaves the previous file in place and no temporary behind.

#ifndef SAFETENSORS_TESTING_FAULT_FS_H_
#define SAFETENSORS_TESTING_FAULT_FS_H_

#include <errno.h>
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "safetensors/internal/filesystem.h"
#include "safetensors/status.h"

namespace safetensors {
namespace test {

// Fails its Nth call (counting from 1) with an EIO IoError; every other call
// goes to the POSIX FileSystem. ExistingMode and Unlink are neither counted
// nor failed: the first only reads, and the cleanup that the promise rests
// on must work.
class FailingFileSystem : public internal::FileSystem {
 public:
  explicit FailingFileSystem(int fail_at) : fail_at_(fail_at) {}
  // The calls counted so far.
  int calls() const { return calls_; }

  absl::StatusOr<int> CreateExclusive(const std::string& path) override {
    if (Fails()) return Injected(path);
    return base_->CreateExclusive(path);
  }
  absl::Status WriteAll(int fd, const void* data, size_t size,
                        const std::string& path) override {
    if (Fails()) {
      // Part of the bytes reach the file first, as a full disk would do.
      base_->WriteAll(fd, data, size / 2, path).IgnoreError();
      return Injected(path);
    }
    return base_->WriteAll(fd, data, size, path);
  }
  absl::Status Sync(int fd, const std::string& path) override {
    if (Fails()) return Injected(path);
    return base_->Sync(fd, path);
  }
  absl::Status Close(int fd, const std::string& path) override {
    if (Fails()) {
      base_->Close(fd, path).IgnoreError();  // the descriptor is gone anyway
      return Injected(path);
    }
    return base_->Close(fd, path);
  }
  std::optional<mode_t> ExistingMode(const std::string& path) override {
    return base_->ExistingMode(path);
  }
  absl::Status SetMode(int fd, mode_t mode, const std::string& path) override {
    if (Fails()) return Injected(path);
    return base_->SetMode(fd, mode, path);
  }
  absl::Status Rename(const std::string& from, const std::string& to) override {
    if (Fails()) return Injected(from);
    return base_->Rename(from, to);
  }
  absl::Status Unlink(const std::string& path) override {
    return base_->Unlink(path);  // cleanup must work for the promise to hold
  }
  absl::Status SyncDirectory(const std::string& dir) override {
    if (Fails()) return Injected(dir);
    return base_->SyncDirectory(dir);
  }

 private:
  bool Fails() { return ++calls_ == fail_at_; }
  static absl::Status Injected(const std::string& path) {
    return IoErrorFromErrno(EIO, "injected failure at \"" + path + "\"");
  }
  internal::FileSystem* base_ = internal::FileSystem::Default();
  int fail_at_;
  int calls_ = 0;
};

}  // namespace test
}  // namespace safetensors

#endif  // SAFETENSORS_TESTING_FAULT_FS_H_
