// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/filesystem.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"

#include "safetensors/status.h"

namespace safetensors {
namespace internal {
namespace {

absl::Status Errno(const char* what, const std::string& path) {
  return IoErrorFromErrno(errno, absl::StrCat(what, " \"", path, "\""));
}

class PosixFileSystem final : public FileSystem {
 public:
  absl::StatusOr<int> CreateExclusive(const std::string& path) override {
    int fd;
    do {
      fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return Errno("cannot create", path);
    return fd;
  }

  absl::Status WriteAll(int fd, const void* data, size_t size,
                        const std::string& path) override {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      // Linux writes at most 0x7ffff000 bytes per call.
      const size_t chunk = size < (size_t{1} << 30) ? size : (size_t{1} << 30);
      const ssize_t n = write(fd, p, chunk);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Errno("cannot write", path);
      }
      p += n;
      size -= static_cast<size_t>(n);
    }
    return absl::OkStatus();
  }

  absl::Status Sync(int fd, const std::string& path) override {
    if (fsync(fd) != 0) return Errno("cannot fsync", path);
    return absl::OkStatus();
  }

  absl::Status Close(int fd, const std::string& path) override {
    // Never retry close on EINTR: the descriptor is gone either way.
    if (close(fd) != 0 && errno != EINTR) return Errno("cannot close", path);
    return absl::OkStatus();
  }

  std::optional<mode_t> ExistingMode(const std::string& path) override {
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return std::nullopt;
    }
    return st.st_mode & 07777;
  }

  absl::Status SetMode(int fd, mode_t mode, const std::string& path) override {
    if (fchmod(fd, mode) != 0) return Errno("cannot set the mode of", path);
    return absl::OkStatus();
  }

  absl::Status Rename(const std::string& from, const std::string& to) override {
    if (rename(from.c_str(), to.c_str()) != 0) {
      return IoErrorFromErrno(
          errno, absl::StrCat("cannot rename \"", from, "\" to \"", to, "\""));
    }
    return absl::OkStatus();
  }

  absl::Status Unlink(const std::string& path) override {
    if (unlink(path.c_str()) != 0) return Errno("cannot remove", path);
    return absl::OkStatus();
  }

  absl::Status SyncDirectory(const std::string& dir) override {
    const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Errno("cannot open directory", dir);
    const int rc = fsync(fd);
    const int saved = errno;
    close(fd);
    if (rc != 0) {
      errno = saved;
      return Errno("cannot fsync directory", dir);
    }
    return absl::OkStatus();
  }
};

}  // namespace

FileSystem* FileSystem::Default() {
  static FileSystem* const fs = new PosixFileSystem;
  return fs;
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace internal
}  // namespace safetensors
