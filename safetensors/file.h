// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Opening a safetensors file by path. A File owns the file's bytes,
// either as a read-only memory mapping (the default: zero-copy, and only the
// pages that are touched are read) or as a heap copy read with pread (for
// files that may change underneath, or filesystems where mmap is poor), and
// the SafeTensors parsed over them. It is move-only; after Open it is
// immutable and safe for concurrent const use. Every TensorView it hands out
// lives as long as the File.
//
// Truncation. Open reads the header with pread and parses that copy, so a
// file that shrinks while it is being opened is an IoError, never a fault.
// But the data views of a mapped File point into the mapping: when another
// process truncates the file later, touching a page that is gone raises
// SIGBUS (the kernel has nothing to map there), as in every mmap-based
// reader. Backend::kPread, which reads into memory the File owns, and
// LazyFile, which reads each tensor with pread into the caller's buffer, are
// immune: there a shrunken file is an IoError. Replacing a file by rename,
// as every writer here does, is safe: the mapping keeps the old file's
// pages.
//
//   absl::StatusOr<safetensors::File> f =
//       safetensors::File::Open("model.safetensors");
//   if (!f.ok()) return f.status();
//   absl::StatusOr<safetensors::TensorView> w = f->Tensor("w");

#ifndef SAFETENSORS_FILE_H_
#define SAFETENSORS_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/byteswap.h"
#include "safetensors/header.h"
#include "safetensors/host_order.h"
#include "safetensors/reader.h"

namespace safetensors {

enum class Backend {
  kMmap,   // map the file read-only; opening touches only the header's pages
  kPread,  // read the whole file into memory with pread
  // Map the file readable and writable, private: a write copies the page it
  // touches into this process's memory (copy-on-write) and never reaches the
  // file or another process's mapping. File::mutable_bytes() gives the bytes
  // to write; no swap space is reserved for them (MAP_NORESERVE), so a file
  // larger than memory maps as with kMmap. For callers that hand the file's
  // tensors out as writable, zero-copy arrays (the Python package does).
  kMmapCopyOnWrite,
};

struct OpenOptions {
  ReadOptions read;                  // profile and limits
  Backend backend = Backend::kMmap;  // default kMmap
};

class File {
 public:
  // Opens, maps (or reads) and parses the file at `path`. Errors: IoError
  // (with the path and the system's message, and the code errno maps to:
  // kNotFound for a missing file, kPermissionDenied, kFailedPrecondition for a
  // directory) and every kind SafeTensors::Parse returns.
  static absl::StatusOr<File> Open(const std::string& path,
                                   const OpenOptions& options = {});

  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;  // owns a mapping
  File& operator=(const File&) = delete;
  ~File();

  // The parsed file: every lookup and iteration of SafeTensors.
  //
  // Views point into this File, so these accessors exist only on an lvalue:
  // `std::move(f).Tensor("w")` and `File::Open(p).value().Tensor("w")` do
  // not compile (the File would die at the end of the statement). One form
  // cannot be caught that way: `File::Open(p)->Tensor("w")` dangles the same
  // way, as operator-> of the temporary StatusOr yields an lvalue. Keep the
  // StatusOr<File> (or the File) in a variable for as long as its views live.
  const SafeTensors& parsed() const& ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return *parsed_;
  }
  const SafeTensors& parsed() const&& = delete;

  // Shorthands for the most common calls on parsed(); the same contracts.
  absl::StatusOr<TensorView> Tensor(
      absl::string_view name) const& ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return parsed_->Tensor(name);
  }
  absl::StatusOr<TensorView> Tensor(absl::string_view name) const&& = delete;
  std::vector<TensorView> Tensors() const& ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return parsed_->Tensors();
  }
  std::vector<TensorView> Tensors() const&& = delete;
  bool Contains(absl::string_view name) const {
    return parsed_->Contains(name);
  }
  size_t size() const { return parsed_->size(); }
  const std::optional<MetadataMap>& metadata()
      const& ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return parsed_->metadata();
  }
  const std::optional<MetadataMap>& metadata() const&& = delete;

  // The whole file's bytes.
  absl::Span<const uint8_t> bytes() const& ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return bytes_;
  }
  absl::Span<const uint8_t> bytes() const&& = delete;
  // The whole file's bytes, writable, for Backend::kMmapCopyOnWrite (empty
  // with the other backends). Writes change this process's copy of the
  // pages only; the File's own views (Tensor(), Tensors()) see them too, as
  // they point into the same memory. Parsing is done by then (from a copy
  // of the header), so a write cannot change names, dtypes or offsets. Not
  // synchronized: the caller orders its writes against concurrent reads.
  absl::Span<uint8_t> mutable_bytes() & ABSL_ATTRIBUTE_LIFETIME_BOUND;
  absl::Span<uint8_t> mutable_bytes() && = delete;
  const std::string& path() const { return path_; }

  // Lets the pages of `range` (bytes of this File, e.g. part of a tensor's
  // data) leave this process's resident memory: with the default
  // Backend::kMmap, the whole pages inside `range` are dropped from the
  // mapping (madvise MADV_DONTNEED) and read again, from the page cache or
  // the disk, when next touched; views stay valid and see the same bytes.
  // Does nothing with Backend::kPread, whose bytes are the only copy, nor
  // with kMmapCopyOnWrite, where dropping a written page would undo the
  // write. For passes over files larger than memory: drop what is behind.
  // Thread-safe.
  void ReleasePages(absl::Span<const uint8_t> range) const;

 private:
  File() = default;
  void Release();

  std::string path_;
  absl::Span<const uint8_t> bytes_;
  void* mapping_ = nullptr;  // non-null when mmapped
  size_t mapping_size_ = 0;
  bool writable_ = false;            // mapped with Backend::kMmapCopyOnWrite
  std::unique_ptr<uint8_t[]> heap_;  // set by the pread backend
  std::unique_ptr<SafeTensors> parsed_;
};

// A file read on demand, without mmap: Open reads and validates only the
// header (one or two preads, whatever the file's size); each tensor's bytes are
// read with pread when asked, into the caller's buffer or a new vector. For
// network and FUSE filesystems where mapping or reading the whole file is
// wrong, and for files that may be truncated while open (a read then fails
// with IoError instead of SIGBUS). It keeps the file open (one descriptor)
// until destroyed; move-only. Every method is const and safe to call from
// several threads at once (pread has no shared file position).
//
//   absl::StatusOr<safetensors::LazyFile> f =
//       safetensors::LazyFile::Open("model.safetensors");
//   absl::StatusOr<std::vector<float>> w = f->ReadAs<float>("model.weight");
class LazyFile {
 public:
  // Opens the file at `path`, reads its header and validates it against the
  // file's size, as ReadHeader does. Errors: IoError (as File::Open) and the
  // kinds of ParseHeaderPrefix.
  static absl::StatusOr<LazyFile> Open(const std::string& path,
                                       const ReadOptions& options = {});

  LazyFile(LazyFile&& other) noexcept;
  LazyFile& operator=(LazyFile&& other) noexcept;
  LazyFile(const LazyFile&) = delete;  // owns a descriptor
  LazyFile& operator=(const LazyFile&) = delete;
  ~LazyFile();

  // Names, dtypes, shapes, offsets and metadata; lives as long as this.
  const Header& header() const& ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return *header_;
  }
  const Header& header() const&& = delete;
  const std::string& path() const { return path_; }
  // The file's size when it was opened.
  uint64_t file_size() const { return file_size_; }

  // Reads the bytes of tensor `name`, little-endian as stored, into `out`.
  // Errors: TensorNotFound; InvalidTensorView when out.size() is not the
  // tensor's byte size; IoError from pread, or (code kAborted) when the file
  // has become shorter than its header says. Nothing is promised of `out`
  // after an error. Cost: one pread of the tensor's bytes.
  absl::Status ReadInto(absl::string_view name, absl::Span<uint8_t> out) const;
  // Reads out.size() bytes of tensor `name`, from `offset` bytes into its
  // data, little-endian as stored, into `out`: part of a large tensor, or a
  // tensor read in pieces. Errors: TensorNotFound; InvalidTensorView when
  // [offset, offset + out.size()) is not inside the tensor's bytes; IoError
  // as ReadInto. Cost: one pread of out.size() bytes.
  absl::Status ReadRangeInto(absl::string_view name, uint64_t offset,
                             absl::Span<uint8_t> out) const;
  // ReadInto a new vector of the tensor's byte size.
  absl::StatusOr<std::vector<uint8_t>> Read(absl::string_view name) const;
  // The tensor's elements as T in host order (see host_order.h's CanReadAs;
  // bool reads BOOL as byte != 0). Errors: those of ReadInto, and
  // InvalidTensorView when !CanReadAs<T>(dtype). Cost: one pread, and a
  // byte swap in place on a big-endian host.
  template <typename T>
  absl::StatusOr<std::vector<T>> ReadAs(absl::string_view name) const;

 private:
  LazyFile() = default;
  // The entry named `name`, or TensorNotFound.
  absl::StatusOr<const TensorInfo*> Entry(absl::string_view name) const;
  // Preads the bytes of `info`, one of this file's entries, from `offset`
  // into it, into `out`; offset + out.size() is at most the entry's byte
  // size. Errors: IoError as ReadInto.
  absl::Status ReadEntry(const TensorInfo& info, absl::Span<uint8_t> out,
                         uint64_t offset = 0) const;

  std::string path_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  std::unique_ptr<Header> header_;  // on the heap: moves keep its views
};

// Reads only the header of the file at `path` (the first 8 + N bytes) and
// validates it against the file's size, as ParseHeaderPrefix does. Cost: one or
// two small preads, whatever the file's size. Errors: IoError, and the kinds of
// ParseHeaderPrefix.
absl::StatusOr<Header> ReadHeader(const std::string& path,
                                  const ReadOptions& options = {});

// The first 8 + N bytes of the file at `path` (length field and header
// text), after the length rules of docs/specification.md §3 against the file's
// size, which goes to *file_size; the header itself is not parsed. Errors:
// IoError, HeaderTooSmall, HeaderTooLarge, InvalidHeaderLength (messages
// start with the path). Cost: one or two preads.
absl::StatusOr<std::string> ReadHeaderBytes(const std::string& path,
                                            const ReadOptions& options,
                                            uint64_t* file_size);

// The whole file at `path`, for small text files such as a checkpoint's
// index. Errors: IoError (the code errno maps to; kFailedPrecondition for a
// directory), and HeaderTooLarge when the file holds more than `limit` bytes
// (the message "<path>: larger than <limit> bytes"), found as soon as the
// bytes read pass `limit`, so memory stays bounded whatever the file's size.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          uint64_t limit);

// Implementation details follow.

template <typename T>
absl::StatusOr<std::vector<T>> LazyFile::ReadAs(absl::string_view name) const {
  absl::StatusOr<const TensorInfo*> info = Entry(name);
  if (!info.ok()) return info.status();
  if (!CanReadAs<T>((*info)->dtype)) {
    return internal::CannotReadAs((*info)->dtype, internal::TypeName<T>());
  }
  const uint64_t size = (*info)->end - (*info)->begin;
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<uint8_t> bytes(size);
    absl::Status s = ReadEntry(**info, absl::MakeSpan(bytes));
    if (!s.ok()) return s;
    return internal::BoolsOf(bytes);
  } else {
    std::vector<T> out(size / sizeof(T));
    const absl::Span<uint8_t> bytes(reinterpret_cast<uint8_t*>(out.data()),
                                    out.size() * sizeof(T));
    absl::Status s = ReadEntry(**info, bytes);
    if (!s.ok()) return s;
    if (kHostIsBigEndian) {
      SwapInPlace(DtypeSwapUnit((*info)->dtype), bytes.data(), bytes.size());
    }
    return out;
  }
}

}  // namespace safetensors

#endif  // SAFETENSORS_FILE_H_
