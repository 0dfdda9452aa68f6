// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the few file-system calls the writers make, behind an interface
// so that tests can make the Nth call fail and prove that a failed write
// leaves nothing behind. Default() is the POSIX implementation. Every error
// is an IoError whose message names the path and the system's reason.
// AtomicFile is the one temporary-and-rename write built on it; ScopedFd
// closes a descriptor that needs no reporting; DirectoryOf and BaseName
// split paths.

#ifndef SAFETENSORS_INTERNAL_FILESYSTEM_H_
#define SAFETENSORS_INTERNAL_FILESYSTEM_H_

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/internal/cleanup.h"

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

// A file written under a temporary name beside `path` and renamed over it
// when complete: the library's one atomic-write path (StreamWriter, and
// through WriteFileAtomically the shard writer's index). Until Commit renames
// it, nothing at `path` changes; discarding it, or destroying it uncommitted,
// closes and removes the temporary. Every call goes through the FileSystem.
// The temporary is registered as unfinished (cleanup.h) while it exists, so
// a program that installed InstallInterruptCleanup removes it on SIGINT.
class AtomicFile {
 public:
  // Creates the temporary (O_EXCL, under a name unique to this process and
  // call, retried on a collision: kAlreadyExists) in the directory of
  // `path`, so that the rename is atomic. When a regular file already exists
  // at `path` the temporary takes its mode; otherwise it has 0666 less the
  // umask. `fs` must outlive the result. Errors: IoError; on error nothing
  // is left behind.
  static absl::StatusOr<std::unique_ptr<AtomicFile>> Create(
      FileSystem* fs, const std::string& path);

  AtomicFile(const AtomicFile&) = delete;  // owns a temporary file
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // Appends bytes to the temporary (FileSystem::WriteAll). An error leaves
  // the temporary in place: Discard it (or destroy this object).
  absl::Status Write(const void* data, size_t size);

  // When `sync`, fsyncs the temporary; then closes it and renames it over
  // the path; when `sync`, then fsyncs the directory. Any error before the
  // rename discards the temporary and leaves the path untouched; an error of
  // the directory's fsync comes after it (committed() is true: the new file
  // is in place, only its durability is in doubt). Call once.
  absl::Status Commit(bool sync);

  // Closes and removes the temporary, ignoring errors (nothing to report:
  // the write is abandoned). Does nothing after a rename, or a second time.
  void Discard();

  // True once the temporary has been renamed over the path.
  bool committed() const { return committed_; }
  const std::string& path() const { return path_; }
  // The temporary's path; empty once committed or discarded.
  const std::string& temp_path() const { return temp_path_; }

 private:
  AtomicFile(FileSystem* fs, std::string path)
      : fs_(fs), path_(std::move(path)) {}

  FileSystem* fs_;
  std::string path_;
  std::string temp_path_;
  UnfinishedFile unfinished_;  // temp_path_, for an interrupt (cleanup.h)
  int fd_ = -1;
  bool committed_ = false;
};

// Writes `bytes` to `path` through an AtomicFile (see its contract): the
// previous file, if any, survives any failure and no temporary is left.
absl::Status WriteFileAtomically(FileSystem* fs, const std::string& path,
                                 absl::string_view bytes, bool sync);

// Owns a file descriptor and closes it when it goes out of scope. For
// descriptors whose close() carries no information (read-only ones, or those
// of a failed operation): its result is ignored. Descriptors of files being
// written are closed through FileSystem::Close instead, which reports.
class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ScopedFd(ScopedFd&& other) noexcept : fd_(other.release()) {}
  ScopedFd& operator=(ScopedFd&& other) noexcept;
  ScopedFd(const ScopedFd&) = delete;  // owns the descriptor
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() { reset(); }

  int get() const { return fd_; }
  // Gives up ownership: returns the descriptor and holds none.
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the descriptor held, if any, and holds `fd` instead.
  void reset(int fd = -1);

 private:
  int fd_;
};

// The names in directory `dir` (no "." or ".."), sorted by their bytes.
// Errors: IoError (opendir's errno, naming `dir`).
absl::StatusOr<std::vector<std::string>> ListNames(const std::string& dir);

// The directory part of `path` ("." when it has none, "/" for "/x").
std::string DirectoryOf(const std::string& path);

// The last component of `path` (all of it when it has no '/').
std::string BaseName(const std::string& path);

// `path` without its trailing '/' characters, but "/" stays "/": the same
// directory written without them ("a/b//" is "a/b").
absl::string_view WithoutTrailingSlashes(absl::string_view path);

// How many bytes the library moves per read, write or comparison when it
// streams tensor data (bounded memory whatever the tensor's size).
inline constexpr size_t kIoChunkBytes = size_t{64} << 20;

// The payload FileSystem::WriteAll sets on an error for bytes the kernel
// could not read (EFAULT): the caller's memory is a mapping of a file that
// shrank since. The writer names the tensor they came from.
inline constexpr absl::string_view kSourceGonePayloadUrl =
    "type.safetensors/source-gone";

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_FILESYSTEM_H_
