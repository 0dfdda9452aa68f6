// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the few file-system calls the writer makes, behind an interface
// so that tests can make the Nth call fail and prove that a failed write
// leaves nothing behind. Default() is the POSIX implementation. Every error
// is an IoError whose message names the path and the system's reason.

#ifndef SAFETENSORS_INTERNAL_FILESYSTEM_H_
#define SAFETENSORS_INTERNAL_FILESYSTEM_H_

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace safetensors {
namespace internal {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates `path`, which must not exist, for writing (O_EXCL), with mode
  // 0666 less the umask. Returns the descriptor.
  virtual absl::StatusOr<int> CreateExclusive(const std::string& path) = 0;
  // Writes all of [data, data + size), retrying short writes and EINTR.
  virtual absl::Status WriteAll(int fd, const void* data, size_t size,
                                const std::string& path) = 0;
  virtual absl::Status Sync(int fd, const std::string& path) = 0;
  virtual absl::Status Close(int fd, const std::string& path) = 0;
  // The permission bits of an existing regular file at `path`, or nullopt.
  virtual std::optional<mode_t> ExistingMode(const std::string& path) = 0;
  virtual absl::Status SetMode(int fd, mode_t mode,
                               const std::string& path) = 0;
  virtual absl::Status Rename(const std::string& from,
                              const std::string& to) = 0;
  virtual absl::Status Unlink(const std::string& path) = 0;
  // fsyncs the directory `dir`, so that a rename inside it is durable.
  virtual absl::Status SyncDirectory(const std::string& dir) = 0;

  // The process-wide POSIX implementation (never null, never destroyed).
  static FileSystem* Default();
};

// The directory part of `path` ("." when it has none, "/" for "/x").
std::string DirectoryOf(const std::string& path);

// The last component of `path` (all of it when it has no '/').
std::string BaseName(const std::string& path);

// How many bytes the library moves per read, write or comparison when it
// streams tensor data (bounded memory whatever the tensor's size).
inline constexpr size_t kIoChunkBytes = size_t{64} << 20;

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_FILESYSTEM_H_
