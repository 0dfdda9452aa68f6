// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/filesystem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

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
        // The kernel could not read the caller's bytes: in this library,
        // only a mapping of a file that has shrunk since (the tool copies
        // tensors straight from its input's mapping).
        if (errno == EFAULT) {
          absl::Status gone = MakeError(
              ErrorKind::kIoError, absl::StatusCode::kAborted,
              absl::StrCat("cannot write \"", path,
                           "\": the bytes to write are gone (EFAULT): the "
                           "input file shrank while being copied"));
          gone.SetPayload(kSourceGonePayloadUrl, absl::Cord());
          return gone;
        }
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
    const ScopedFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return Errno("cannot open directory", dir);
    // The error is built before `fd` is closed, so errno is fsync's.
    if (fsync(fd.get()) != 0) return Errno("cannot fsync directory", dir);
    return absl::OkStatus();
  }
};

// A name for the temporary file beside `path` that no other writer, in this
// process or another, will pick at the same time.
std::string TemporaryName(const std::string& path, int attempt) {
  static std::atomic<uint64_t> counter{0};
  const uint64_t tick = static_cast<uint64_t>(
      std::chrono::steady_clock::now().time_since_epoch().count());
  return absl::StrCat(DirectoryOf(path), "/.", BaseName(path), ".tmp-",
                      getpid(), "-", counter.fetch_add(1), "-",
                      (tick >> 4) % 1000000, "-", attempt);
}

// `status` with `message` instead of its own; code and payloads kept.
absl::Status Reworded(const absl::Status& status, absl::string_view message) {
  absl::Status out(status.code(), message);
  status.ForEachPayload(
      [&out](absl::string_view url, const absl::Cord& payload) {
        out.SetPayload(url, payload);
      });
  return out;
}

// `status`, an error of the FileSystem about the temporary `temp` (and, for
// a rename, `path`), reworded as `what` followed by the system's reason: the
// message names what the caller gave (the target path, its directory), not
// a name the caller never saw. The code and the payloads (the kind) are kept.
absl::Status AboutTarget(const absl::Status& status, const std::string& temp,
                         const std::string& path, absl::string_view what) {
  if (status.ok()) return status;
  absl::string_view reason = status.message();
  // The reason follows the last quoted path in the message.
  size_t end = 0;
  for (const std::string* name : {&temp, &path}) {
    const size_t at =
        name->empty() ? absl::string_view::npos : reason.rfind(*name);
    if (at != absl::string_view::npos) end = std::max(end, at + name->size());
  }
  if (end > 0) {
    reason.remove_prefix(end);
    absl::ConsumePrefix(&reason, "\"");
    absl::ConsumePrefix(&reason, ": ");
  }
  return Reworded(status, reason.empty() ? std::string(what)
                                         : absl::StrCat(what, ": ", reason));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AtomicFile>> AtomicFile::Create(
    FileSystem* fs, const std::string& path) {
  std::unique_ptr<AtomicFile> file(new AtomicFile(fs, path));
  absl::Status created;
  std::string temp;
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp = TemporaryName(path, attempt);
    // Registered before it exists: a signal between the two would leave
    // it. (Removing a name this process never created is harmless: the
    // names are unique to it.)
    UnfinishedFile unfinished(temp);
    absl::StatusOr<int> fd = fs->CreateExclusive(temp);
    if (fd.ok()) {
      file->temp_path_ = temp;
      file->unfinished_ = std::move(unfinished);
      file->fd_ = *fd;
      created = absl::OkStatus();
      break;
    }
    created = fd.status();
    if (created.code() != absl::StatusCode::kAlreadyExists) break;
  }
  if (!created.ok()) {  // nothing to remove
    const std::string dir = DirectoryOf(path);
    if (created.code() == absl::StatusCode::kNotFound) {  // ENOENT
      return Reworded(
          created, absl::StrCat("cannot write \"", path, "\": directory ", dir,
                                " does not exist"));
    }
    return AboutTarget(created, temp, path,
                       absl::StrCat("cannot write \"", path,
                                    "\": cannot create a file in ", dir));
  }
  // Replacing a file keeps its permissions; a new file has 0666 & ~umask.
  if (std::optional<mode_t> mode = fs->ExistingMode(path)) {
    const absl::Status set = fs->SetMode(file->fd_, *mode, path);
    if (!set.ok()) {
      file->Discard();
      return set;
    }
  }
  return file;
}

AtomicFile::~AtomicFile() { Discard(); }

absl::Status AtomicFile::Write(const void* data, size_t size) {
  return AboutTarget(fs_->WriteAll(fd_, data, size, temp_path_), temp_path_,
                     path_, absl::StrCat("cannot write \"", path_, "\""));
}

absl::Status AtomicFile::Commit(bool sync) {
  // Every failure before the rename leaves the path as it was.
  auto discarding = [this](absl::Status status) {
    if (!status.ok()) Discard();
    return status;
  };
  if (sync) {
    const absl::Status synced =
        discarding(AboutTarget(fs_->Sync(fd_, temp_path_), temp_path_, path_,
                               absl::StrCat("cannot fsync \"", path_, "\"")));
    if (!synced.ok()) return synced;
  }
  const int fd = std::exchange(fd_, -1);
  const absl::Status closed = discarding(
      AboutTarget(fs_->Close(fd, temp_path_), temp_path_, path_,
                  absl::StrCat("cannot write \"", path_, "\" (close)")));
  if (!closed.ok()) return closed;
  const absl::Status renamed = discarding(AboutTarget(
      fs_->Rename(temp_path_, path_), temp_path_, path_,
      absl::StrCat("cannot put the new \"", path_,
                   "\" in place; the previous file, if any, is unchanged")));
  if (!renamed.ok()) return renamed;
  temp_path_.clear();  // it is the target now
  unfinished_.Release();
  committed_ = true;
  // The file is in place; a failure here only weakens durability.
  if (sync) return fs_->SyncDirectory(DirectoryOf(path_));
  return absl::OkStatus();
}

void AtomicFile::Discard() {
  if (fd_ >= 0) {
    fs_->Close(fd_, temp_path_).IgnoreError();
    fd_ = -1;
  }
  if (!temp_path_.empty()) {
    fs_->Unlink(temp_path_).IgnoreError();
    temp_path_.clear();
  }
  unfinished_.Release();
}

absl::Status WriteFileAtomically(FileSystem* fs, const std::string& path,
                                 absl::string_view bytes, bool sync) {
  absl::StatusOr<std::unique_ptr<AtomicFile>> file =
      AtomicFile::Create(fs, path);
  if (!file.ok()) return file.status();
  const absl::Status written = (*file)->Write(bytes.data(), bytes.size());
  if (!written.ok()) return written;  // the destructor discards
  return (*file)->Commit(sync);
}

FileSystem* FileSystem::Default() {
  static FileSystem* const fs = new PosixFileSystem;
  return fs;
}

ScopedFd& ScopedFd::operator=(ScopedFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

void ScopedFd::reset(int fd) {
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
}

absl::StatusOr<std::vector<std::string>> ListNames(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return IoErrorFromErrno(errno, dir);
  std::vector<std::string> names;
  while (const struct dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
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

absl::string_view WithoutTrailingSlashes(absl::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace internal
}  // namespace safetensors
