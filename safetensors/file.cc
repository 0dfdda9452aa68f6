// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/header.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/sniff.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/reader.h"
#include "safetensors/status.h"

namespace safetensors {
namespace {

// Opens `path` read-only and returns the descriptor and the file's size.
// Errors: IoError from open or fstat; IoError (EISDIR, so kFailedPrecondition)
// for a directory, which open() accepts read-only; IoError
// (kFailedPrecondition) for anything else that is not a regular file (a FIFO,
// a device, a socket), whose st_size is not its length: reading one would
// report HeaderTooSmall for a pipe, which is wrong. O_NONBLOCK keeps open()
// from waiting for a FIFO's writer; it changes nothing for a regular file.
struct OpenedFile {
  int fd;
  uint64_t size;
};
absl::StatusOr<OpenedFile> OpenForRead(const std::string& path) {
  int fd;
  do {
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return IoErrorFromErrno(errno, path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int error = errno;
    close(fd);
    return IoErrorFromErrno(error, absl::StrCat(path, ": fstat"));
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return IoErrorFromErrno(EISDIR, path);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorKind::kIoError, absl::StatusCode::kFailedPrecondition,
                     absl::StrCat(path, ": not a regular file"));
  }
  return OpenedFile{fd, static_cast<uint64_t>(st.st_size)};
}

// The file size as a size_t, or IoError (EFBIG) when it does not fit in the
// address space (only possible on 32-bit hosts).
absl::StatusOr<size_t> SizeInMemory(uint64_t size, const std::string& path) {
  if (size > std::numeric_limits<size_t>::max() ||
      size > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) {
    return IoErrorFromErrno(EFBIG, path);
  }
  return static_cast<size_t>(size);
}

// Reads up to `n` bytes at `offset` into `buf`, retrying on EINTR and short
// reads. Returns the number of bytes read, which is less than `n` only when
// the end of the file came first. Errors: IoError from pread.
absl::StatusOr<size_t> PreadFully(int fd, uint8_t* buf, size_t n,
                                  uint64_t offset, const std::string& path) {
  // One call reads at most 1 GiB: Linux caps a read near 2 GiB anyway.
  constexpr size_t kMaxChunk = size_t{1} << 30;
  size_t done = 0;
  while (done < n) {
    const size_t want = std::min(n - done, kMaxChunk);
    const ssize_t got =
        pread(fd, buf + done, want, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return IoErrorFromErrno(errno, absl::StrCat(path, ": pread"));
    }
    if (got == 0) break;  // end of file
    done += static_cast<size_t>(got);
  }
  return done;
}

// The error for a file that got shorter between fstat and the read.
absl::Status ShrankError(const std::string& path, uint64_t expected,
                         uint64_t got) {
  return MakeError(ErrorKind::kIoError, absl::StatusCode::kAborted,
                   absl::StrCat(path, ": file shrank while being read (",
                                expected, " bytes expected, ", got, " read)"));
}

// The first 8 + N bytes of an open file (the length field and the header
// text), after the length rules of docs/specification.md §3, in memory a
// Header can take; and its first bytes (up to kFirstRead, the whole file
// when shorter), so that an error can say what a file that is not
// safetensors is. One pread of up to kFirstRead bytes covers most headers; a
// longer one takes a second, straight into its final place.
struct HeaderBytes {
  std::unique_ptr<char[]> data;
  size_t size = 0;    // 8 + N
  std::string first;  // the file's first bytes
  // What an error may describe the file from: the longer of the two.
  absl::Span<const uint8_t> ForDiagnosis() const {
    return first.size() > size
               ? absl::Span<const uint8_t>(
                     reinterpret_cast<const uint8_t*>(first.data()),
                     first.size())
               : absl::Span<const uint8_t>(
                     reinterpret_cast<const uint8_t*>(data.get()), size);
  }
};
absl::StatusOr<HeaderBytes> ReadHeaderBytesAt(const internal::ScopedFd& fd,
                                              const OpenedFile& opened,
                                              const std::string& path,
                                              const ReadOptions& options) {
  constexpr uint64_t kFirstRead = 1024;
  static_assert(kFirstRead >= internal::kSniffBytes, "");
  HeaderBytes out;
  out.first.resize(
      static_cast<size_t>(std::min<uint64_t>(kFirstRead, opened.size)));
  SAFETENSORS_ASSIGN_OR_RETURN(
      size_t got,
      PreadFully(fd.get(), reinterpret_cast<uint8_t*>(&out.first[0]),
                 out.first.size(), 0, path));
  if (got != out.first.size()) return ShrankError(path, out.first.size(), got);
  absl::StatusOr<uint64_t> n = ReadHeaderSize(
      absl::Span<const uint8_t>(
          reinterpret_cast<const uint8_t*>(out.first.data()), got),
      opened.size, options);
  if (!n.ok()) return WithPrefix(n.status(), absl::StrCat(path, ": "));
  // ReadHeaderSize has checked N <= max_header_size (at most 1e8) and
  // 8 + N <= file_size, so this allocation is bounded and cannot overflow.
  out.size = static_cast<size_t>(8 + *n);
  out.data.reset(new char[out.size]);  // not zero-filled: every byte is read
  const size_t have = std::min(out.size, got);
  std::memcpy(out.data.get(), out.first.data(), have);
  if (out.size > have) {
    SAFETENSORS_ASSIGN_OR_RETURN(
        size_t more,
        PreadFully(fd.get(), reinterpret_cast<uint8_t*>(out.data.get() + have),
                   out.size - have, have, path));
    if (more != out.size - have) {
      return ShrankError(path, out.size, have + more);
    }
  }
  return out;
}

// The Header of the bytes read, the errors prefixed with the path.
absl::StatusOr<Header> ParseHeaderBytes(HeaderBytes bytes, uint64_t file_size,
                                        const std::string& path,
                                        const ReadOptions& options) {
  // The diagnosis runs inside ParseOwnedHeader, while `bytes.data` (moved
  // into its parameter) and `bytes.first` are both still alive.
  const absl::Span<const uint8_t> diagnosis = bytes.ForDiagnosis();
  absl::StatusOr<Header> header = internal::ParseOwnedHeader(
      std::move(bytes.data), bytes.size, diagnosis, file_size, options);
  if (!header.ok())
    return WithPrefix(header.status(), absl::StrCat(path, ": "));
  return header;
}

}  // namespace

absl::StatusOr<File> File::Open(const std::string& path,
                                const OpenOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(OpenedFile opened, OpenForRead(path));
  internal::ScopedFd fd(opened.fd);
  SAFETENSORS_ASSIGN_OR_RETURN(size_t size, SizeInMemory(opened.size, path));

  // Built first, so that its destructor releases the mapping or the buffer
  // on every error path below.
  File result;
  result.path_ = path;
  const bool copy_on_write = options.backend == Backend::kMmapCopyOnWrite;
  if ((options.backend == Backend::kMmap || copy_on_write) && size > 0) {
    // The header is read with pread and parsed from that copy, never from
    // the mapping: a file that shrinks meanwhile is then an IoError ("file
    // shrank while being read"), not SIGBUS in the parser. The mapping is
    // made only for a valid header, and only data views point into it.
    SAFETENSORS_ASSIGN_OR_RETURN(
        HeaderBytes prefix, ReadHeaderBytesAt(fd, opened, path, options.read));
    SAFETENSORS_ASSIGN_OR_RETURN(
        Header header,
        ParseHeaderBytes(std::move(prefix), opened.size, path, options.read));
    // MAP_PRIVATE: later writes by others to the file may or may not show
    // through (POSIX leaves it unspecified), and our own writes, with
    // kMmapCopyOnWrite, stay in this process. Only the pages that are
    // touched are read from disk. MAP_NORESERVE: a writable private mapping
    // would otherwise be charged in full against the commit limit, and a
    // checkpoint larger than memory plus swap would not map at all.
    const int prot = copy_on_write ? PROT_READ | PROT_WRITE : PROT_READ;
    const int flags = copy_on_write ? MAP_PRIVATE | MAP_NORESERVE : MAP_PRIVATE;
    void* mapping = mmap(nullptr, size, prot, flags, fd.get(), 0);
    if (mapping == MAP_FAILED) {
      return IoErrorFromErrno(errno, absl::StrCat(path, ": mmap"));
    }
    result.mapping_ = mapping;
    result.mapping_size_ = size;
    result.writable_ = copy_on_write;
    result.bytes_ =
        absl::Span<const uint8_t>(static_cast<const uint8_t*>(mapping), size);
    const uint64_t data_start = 8 + header.header_size();
    result.parsed_ = std::unique_ptr<SafeTensors>(
        new SafeTensors(std::move(header), result.bytes_.subspan(data_start)));
    return result;
  }
  if (size > 0) {
    result.heap_ = std::unique_ptr<uint8_t[]>(new uint8_t[size]);
    SAFETENSORS_ASSIGN_OR_RETURN(
        size_t got, PreadFully(fd.get(), result.heap_.get(), size, 0, path));
    if (got != size) return ShrankError(path, size, got);
    result.bytes_ = absl::Span<const uint8_t>(result.heap_.get(), size);
  }
  // An empty file (mmap of zero bytes fails with EINVAL) parses from an
  // empty span: HeaderTooSmall. The descriptor is closed when `fd` goes out
  // of scope; a mapping outlives the descriptor it was made from.
  absl::StatusOr<SafeTensors> parsed =
      SafeTensors::Parse(result.bytes_, options.read);
  if (!parsed.ok())
    return WithPrefix(parsed.status(), absl::StrCat(path, ": "));
  // On the heap, so that moving the File moves a pointer and every view
  // into the SafeTensors (names in its Header) stays where it is.
  result.parsed_ = std::make_unique<SafeTensors>(*std::move(parsed));
  return result;
}

File::File(File&& other) noexcept
    : path_(std::move(other.path_)),
      bytes_(other.bytes_),
      mapping_(other.mapping_),
      mapping_size_(other.mapping_size_),
      writable_(other.writable_),
      heap_(std::move(other.heap_)),
      parsed_(std::move(other.parsed_)) {
  other.bytes_ = {};
  other.mapping_ = nullptr;
  other.mapping_size_ = 0;
  other.writable_ = false;
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    Release();
    path_ = std::move(other.path_);
    bytes_ = other.bytes_;
    mapping_ = other.mapping_;
    mapping_size_ = other.mapping_size_;
    writable_ = other.writable_;
    heap_ = std::move(other.heap_);
    parsed_ = std::move(other.parsed_);
    other.bytes_ = {};
    other.mapping_ = nullptr;
    other.mapping_size_ = 0;
    other.writable_ = false;
  }
  return *this;
}

absl::Span<uint8_t> File::mutable_bytes() & {
  if (!writable_) return {};
  return absl::Span<uint8_t>(static_cast<uint8_t*>(mapping_), mapping_size_);
}

void File::ReleasePages(absl::Span<const uint8_t> range) const {
  if (mapping_ == nullptr || writable_ || range.empty()) return;
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t base = reinterpret_cast<uintptr_t>(mapping_);
  uintptr_t begin = reinterpret_cast<uintptr_t>(range.data());
  uintptr_t end = begin + range.size();
  // Only bytes of this mapping, and the whole pages inside the range
  // (madvise takes whole pages; the partial ones at either end stay).
  begin = std::max(begin, base);
  end = std::min(end, base + mapping_size_);
  begin = (begin + page - 1) / page * page;
  end = end / page * page;
  if (begin >= end) return;
  madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

File::~File() { Release(); }

// Drops the parsed view first (it points into the bytes), then the bytes.
void File::Release() {
  parsed_.reset();
  bytes_ = {};
  if (mapping_ != nullptr) {
    munmap(mapping_, mapping_size_);  // fails only for a bad range: never here
    mapping_ = nullptr;
    mapping_size_ = 0;
  }
  writable_ = false;
  heap_.reset();
}

absl::StatusOr<std::string> ReadHeaderBytes(const std::string& path,
                                            const ReadOptions& options,
                                            uint64_t* file_size) {
  SAFETENSORS_ASSIGN_OR_RETURN(OpenedFile opened, OpenForRead(path));
  internal::ScopedFd fd(opened.fd);
  *file_size = opened.size;
  SAFETENSORS_ASSIGN_OR_RETURN(HeaderBytes bytes,
                               ReadHeaderBytesAt(fd, opened, path, options));
  return std::string(bytes.data.get(), bytes.size);
}

absl::StatusOr<Header> ReadHeader(const std::string& path,
                                  const ReadOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(OpenedFile opened, OpenForRead(path));
  internal::ScopedFd fd(opened.fd);
  SAFETENSORS_ASSIGN_OR_RETURN(HeaderBytes bytes,
                               ReadHeaderBytesAt(fd, opened, path, options));
  return ParseHeaderBytes(std::move(bytes), opened.size, path, options);
}

// LazyFile

absl::StatusOr<LazyFile> LazyFile::Open(const std::string& path,
                                        const ReadOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(OpenedFile opened, OpenForRead(path));
  internal::ScopedFd fd(opened.fd);
  SAFETENSORS_ASSIGN_OR_RETURN(HeaderBytes bytes,
                               ReadHeaderBytesAt(fd, opened, path, options));
  SAFETENSORS_ASSIGN_OR_RETURN(
      Header header,
      ParseHeaderBytes(std::move(bytes), opened.size, path, options));
  LazyFile result;
  result.path_ = path;
  result.file_size_ = opened.size;
  result.header_ = std::make_unique<Header>(std::move(header));
  result.fd_ = fd.release();
  return result;
}

LazyFile::LazyFile(LazyFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(other.fd_),
      file_size_(other.file_size_),
      header_(std::move(other.header_)) {
  other.fd_ = -1;
}

LazyFile& LazyFile::operator=(LazyFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    file_size_ = other.file_size_;
    header_ = std::move(other.header_);
    other.fd_ = -1;
  }
  return *this;
}

LazyFile::~LazyFile() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<const TensorInfo*> LazyFile::Entry(
    absl::string_view name) const {
  const TensorInfo* info = header_->Find(name);
  if (info == nullptr) {
    return MakeError(ErrorKind::kTensorNotFound,
                     absl::StrCat(path_, ": no tensor named ",
                                  internal::json::Quoted(name)));
  }
  return info;
}

absl::Status LazyFile::ReadEntry(const TensorInfo& info,
                                 absl::Span<uint8_t> out,
                                 uint64_t offset) const {
  // The header was validated against the file's size at Open: this offset
  // and size stay inside it and cannot overflow.
  const uint64_t at = 8 + header_->header_size() + info.begin + offset;
  SAFETENSORS_ASSIGN_OR_RETURN(
      size_t got, PreadFully(fd_, out.data(), out.size(), at, path_));
  if (got != out.size()) return ShrankError(path_, out.size(), got);
  return absl::OkStatus();
}

absl::Status LazyFile::ReadInto(absl::string_view name,
                                absl::Span<uint8_t> out) const {
  SAFETENSORS_ASSIGN_OR_RETURN(const TensorInfo* info, Entry(name));
  const uint64_t size = info->end - info->begin;
  if (out.size() != size) {
    return MakeError(
        ErrorKind::kInvalidTensorView,
        absl::StrCat("tensor ", internal::json::Quoted(name), " is ", size,
                     " bytes, the buffer ", out.size()));
  }
  return ReadEntry(*info, out);
}

absl::Status LazyFile::ReadRangeInto(absl::string_view name, uint64_t offset,
                                     absl::Span<uint8_t> out) const {
  SAFETENSORS_ASSIGN_OR_RETURN(const TensorInfo* info, Entry(name));
  const uint64_t size = info->end - info->begin;
  if (offset > size || out.size() > size - offset) {
    return MakeError(ErrorKind::kInvalidTensorView,
                     absl::StrCat("tensor ", internal::json::Quoted(name),
                                  " is ", size, " bytes, too few for ",
                                  out.size(), " from byte ", offset));
  }
  return ReadEntry(*info, out, offset);
}

absl::StatusOr<std::vector<uint8_t>> LazyFile::Read(
    absl::string_view name) const {
  SAFETENSORS_ASSIGN_OR_RETURN(const TensorInfo* info, Entry(name));
  std::vector<uint8_t> out(info->end - info->begin);
  SAFETENSORS_RETURN_IF_ERROR(ReadEntry(*info, absl::MakeSpan(out)));
  return out;
}

absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          uint64_t limit) {
  const internal::ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoErrorFromErrno(errno, path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    return IoErrorFromErrno(errno, absl::StrCat(path, ": fstat"));
  }
  if (S_ISDIR(st.st_mode)) return IoErrorFromErrno(EISDIR, path);
  std::string out;
  // One allocation for a regular file that stays its size (a 12 MB index
  // would otherwise be copied on each doubling); a pipe's size is 0.
  if (st.st_size > 0) {
    out.reserve(static_cast<size_t>(
        std::min<uint64_t>(static_cast<uint64_t>(st.st_size), limit) + 1));
  }
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoErrorFromErrno(errno, absl::StrCat(path, ": read"));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > limit) {
      return MakeError(ErrorKind::kHeaderTooLarge,
                       absl::StrCat(path, ": larger than ", limit, " bytes"));
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace safetensors
