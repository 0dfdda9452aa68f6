// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Writing safetensors files, byte for byte as the reference writer does
// (docs/specification.md §13) for every input it writes validly, and with an
// error where it would write a broken file (docs/specification.md §13).
//
// The bytes: N as u64 little-endian; the header, compact JSON with
// "__metadata__" first (keys sorted by their bytes) and then the tensors
// ordered by dtype rank descending, then name bytes; the header padded with
// spaces so that the data section starts at a multiple of the alignment (8 by
// default), the padding counted in N; then each tensor's bytes in that order,
// with no gaps.
//
//   std::vector<safetensors::TensorRef> tensors = {
//       {"w", safetensors::Dtype::kF32, shape, bytes}};
//   absl::StatusOr<std::string> file = safetensors::Serialize(tensors);
//   absl::Status s = safetensors::WriteFile("/tmp/m.safetensors", tensors);
//
// Writing to a path is atomic: the bytes go to a temporary file in the same
// directory, which is renamed over the path only when complete; on any
// failure the previous file (if any) is untouched and the temporary removed.
// Tensor bytes are taken in the host's byte order by default and written
// little-endian, as the format stores them, so a big-endian and a
// little-endian host write the same file from the same values; bytes that
// are already little-endian (e.g. copied from another file) are written as
// given with WriteOptions::data_order = ByteOrder::kLittleEndian.
// All functions are thread-compatible; a StreamWriter is used by one thread.

#ifndef SAFETENSORS_WRITER_H_
#define SAFETENSORS_WRITER_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"

namespace safetensors {

// The byte order of the tensor bytes given to the writer.
enum class ByteOrder {
  kHost,          // the host's: swapped to little-endian on a big-endian host
  kLittleEndian,  // already the file's order: written as given
};

// A tensor's dimensions, outermost first (empty for a scalar). Owns them
// (up to 6 inline, more on the heap), so a descriptor built from a braced
// list, a temporary vector or another tensor's shape never dangles.
class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<uint64_t> dims) : dims_(dims) {}
  Shape(absl::Span<const uint64_t> dims) : dims_(dims.begin(), dims.end()) {}
  // Any contiguous container of uint64_t (std::vector, std::array, ...).
  template <typename C,
            typename = std::enable_if_t<
                std::is_convertible_v<const C&, absl::Span<const uint64_t>> &&
                !std::is_same_v<std::decay_t<C>, Shape>>>
  Shape(const C& dims) : Shape(absl::Span<const uint64_t>(dims)) {}

  operator absl::Span<const uint64_t>() const { return dims_; }
  const uint64_t* data() const { return dims_.data(); }
  size_t size() const { return dims_.size(); }
  bool empty() const { return dims_.empty(); }
  const uint64_t* begin() const { return dims_.data(); }
  const uint64_t* end() const { return dims_.data() + dims_.size(); }
  uint64_t operator[](size_t i) const { return dims_[i]; }
  friend bool operator==(const Shape& a, const Shape& b) {
    return a.dims_ == b.dims_;
  }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }

 private:
  absl::InlinedVector<uint64_t, 6> dims_;
};

// A tensor to declare for writing: its bytes come later (StreamWriter). Owns
// its name and shape.
struct TensorDesc {
  TensorDesc() = default;
  TensorDesc(absl::string_view name, Dtype dtype, Shape shape,
             std::optional<ByteOrder> data_order = std::nullopt)
      : name(name),
        dtype(dtype),
        shape(std::move(shape)),
        data_order(data_order) {}

  std::string name;
  Dtype dtype = Dtype::kU8;
  Shape shape;
  // The byte order of this tensor's bytes; unset: WriteOptions::data_order.
  std::optional<ByteOrder> data_order;
};

// A tensor to write: a TensorDesc and a view of its bytes (packed, row
// major; in the byte order data_order, or else WriteOptions::data_order,
// says). The name and shape are owned; the bytes are not, and must stay
// valid until the write call returns.
struct TensorRef : TensorDesc {
  TensorRef() = default;
  TensorRef(absl::string_view name, Dtype dtype, Shape shape,
            absl::Span<const uint8_t> data,
            std::optional<ByteOrder> data_order = std::nullopt)
      : TensorDesc(name, dtype, std::move(shape), data_order), data(data) {}
  // A tensor of an open file, to copy into another: its name, dtype, shape
  // and bytes, marked little-endian (the file's order), so that no host
  // swaps them.
  TensorRef(const TensorView& view)  // NOLINT: implicit on purpose
      : TensorRef(view.name(), view) {}
  // The same, written under another name.
  TensorRef(absl::string_view name, const TensorView& view)
      : TensorRef(name, view.dtype(), view.shape(), view.data(),
                  ByteOrder::kLittleEndian) {}

  absl::Span<const uint8_t> data;
};

// The declarations of `tensors` (copies of their names and shapes).
std::vector<TensorDesc> Describe(absl::Span<const TensorRef> tensors);

// The order of the tensors in a written file (header and data alike).
enum class TensorOrder {
  // The reference writer's: dtype rank descending (F64/I64/U64 ... BOOL),
  // then name bytes, so "layers.10" comes before "layers.2". Byte for byte
  // the file the reference writes.
  kReference,
  // The order the caller declared them in. A valid safetensors file that
  // every reader reads the same (offsets are what the reader follows), but
  // not the reference's bytes.
  kDeclared,
};

struct WriteOptions {
  // The data section starts at a multiple of this many bytes from the start
  // of the file, by padding the header with trailing spaces. A power of two
  // from 8 to 65536; default 8, which gives the reference's bytes exactly.
  // Part of the format's bytes: changing it changes the file (not its
  // meaning; every reader reads the same tensors).
  uint64_t alignment = 8;
  // For writes to a path: fsync the file before the rename and the directory
  // after it, so the new file survives a crash. Default false (as the
  // reference). Costs one or two disk flushes.
  bool fsync = false;
  // The byte order of the data given to Serialize, WriteFile and
  // StreamWriter::Append, for tensors whose own data_order is unset. Default
  // kHost; the two are the same on a little-endian host. On a big-endian host
  // kHost costs one swapping copy (StreamWriter swaps through its bounded
  // buffer).
  ByteOrder data_order = ByteOrder::kHost;
  // The order of the tensors in the file. Default kReference, the reference
  // writer's bytes exactly.
  TensorOrder tensor_order = TensorOrder::kReference;
};

// The layout of a file, computed from names, dtypes and shapes before any
// data moves: the order, every offset, and the header bytes.
class WritePlan {
 public:
  struct Entry {
    std::string name;
    Dtype dtype;
    std::vector<uint64_t> shape;
    uint64_t begin;  // data_offsets, relative to the data section
    uint64_t end;
    size_t input_index;    // position in the declared list
    ByteOrder data_order;  // of the bytes the caller gives for it
  };

  // Plans a file. Errors:
  //   InvalidHeaderDeserialization: a tensor named "__metadata__", or two
  //     tensors with the same name (the header would not read back);
  //   ValidationOverflow: a shape's element or bit count, or the data
  //     section's size, over 2^64-1;
  //   MisalignedSlice: a sub-byte tensor that is not a whole number of bytes;
  //   HeaderTooLarge: the padded header over kMaxHeaderSize bytes;
  //   kInvalidArgument without a kind: names or metadata not valid UTF-8, or
  //     an alignment that is not a power of two from 8 to 65536.
  // Cost: O(T log T + header bytes).
  static absl::StatusOr<WritePlan> Create(
      absl::Span<const TensorDesc> tensors,
      const std::optional<MetadataMap>& metadata,
      const WriteOptions& options = {});

  // Create() for tensors given with their bytes: also TensorInvalidInfo when
  // a tensor's data length differs from what its dtype and shape need,
  // checked in the reference's order (after that tensor's size errors).
  static absl::StatusOr<WritePlan> CreateForData(
      absl::Span<const TensorRef> tensors,
      const std::optional<MetadataMap>& metadata,
      const WriteOptions& options = {});

  // The first 8 + N bytes of the file: length prefix and padded header.
  const std::string& prefix() const { return prefix_; }
  // Tensors in write order (WriteOptions::tensor_order).
  const std::vector<Entry>& entries() const { return entries_; }
  // 8 + N + the data section's size.
  uint64_t file_size() const { return file_size_; }

 private:
  // Create(), also checking each tensor's byte length when `data_lengths`
  // (indexed like `tensors`) is not empty, in the reference's order.
  static absl::StatusOr<WritePlan> Build(
      absl::Span<const TensorDesc* const> tensors,
      absl::Span<const uint64_t> data_lengths,
      const std::optional<MetadataMap>& metadata, const WriteOptions& options);
  WritePlan() = default;
  std::string prefix_;
  std::vector<Entry> entries_;
  uint64_t file_size_ = 0;
};

// The whole file in memory. Errors: those of WritePlan::Create, and
// TensorInvalidInfo when a tensor's data length differs from what its dtype
// and shape need.
absl::StatusOr<std::string> Serialize(
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata = std::nullopt,
    const WriteOptions& options = {});

// Writes the file to `path` atomically (see the top of this file). Errors:
// those of Serialize, and IoError for anything the system refuses (creating
// the temporary, writing, fsync, rename); on error nothing at `path` changed
// and no temporary is left. The new file gets mode 0666 less the umask, or
// keeps the mode of the file it replaces.
absl::Status WriteFile(
    const std::string& path, absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata = std::nullopt,
    const WriteOptions& options = {});

// Called as bytes of tensor data are written: `done` of `total` so far.
using ProgressCallback = std::function<void(uint64_t done, uint64_t total)>;
// Called with each chunk of a tensor's input bytes once it is written, e.g.
// to release the pages of a mapped input behind the write
// (File::ReleasePages).
using ChunkWrittenCallback = std::function<void(absl::Span<const uint8_t>)>;

// Writes `tensors` to one file at `path`, as WriteFile does, streaming each
// tensor's bytes through a StreamWriter in bounded chunks and reporting
// progress after each (`total` is the data section's size): for bytes that
// are not in memory, e.g. mapped from the shards of a checkpoint being
// merged; `written`, when set, gets each chunk of those bytes once written
// (to release a mapping's pages behind the write). Returns the file's size.
// Errors: as WriteFile.
absl::StatusOr<uint64_t> WriteFileStreaming(
    const std::string& path, absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options,
    const ProgressCallback& progress = nullptr,
    const ChunkWrittenCallback& written = nullptr);

namespace internal {
class AtomicFile;
class FileSystem;

// WriteFileStreaming with every file-system call made through `fs`: the
// seam the shard writer and fault-injection tests write through.
absl::StatusOr<uint64_t> WriteFileStreaming(
    FileSystem* fs, const std::string& path,
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options,
    const ProgressCallback& progress, const ChunkWrittenCallback& written);
}  // namespace internal

// Writes a file to a path whose tensors arrive one chunk at a time, in the
// order the plan lays them out, so that memory stays bounded by the chunk
// size, not the file size:
//
//   auto w = StreamWriter::Open(path, descs, metadata);
//   while (const WritePlan::Entry* e = w->current()) {
//     ... w->Append(e->name, chunk) until e's bytes are all supplied ...
//   }
//   absl::Status s = w->Finish();   // renames into place
//
// The plan's order is the reference's (dtype rank, then name bytes) unless
// WriteOptions::tensor_order is kDeclared; every Append names its tensor and
// is refused when that is not the one expected.
//
// Nothing appears at `path` until Finish succeeds. Destroying the writer
// without a successful Finish removes the temporary file.
class StreamWriter {
 public:
  // Plans the file (errors as WritePlan::Create), creates the temporary file
  // beside `path` and writes the header (IoError).
  static absl::StatusOr<std::unique_ptr<StreamWriter>> Open(
      const std::string& path, absl::Span<const TensorDesc> tensors,
      const std::optional<MetadataMap>& metadata = std::nullopt,
      const WriteOptions& options = {});
  // The same with a plan already made (WritePlan::Create or CreateForData
  // with the same `options`, whose fsync the writer follows), so a caller
  // that planned to check the tensors does not plan twice. IoError only.
  static absl::StatusOr<std::unique_ptr<StreamWriter>> Open(
      const std::string& path, WritePlan plan, const WriteOptions& options);

  StreamWriter(const StreamWriter&) = delete;  // owns a temporary file
  StreamWriter& operator=(const StreamWriter&) = delete;
  ~StreamWriter();

  const WritePlan& plan() const { return plan_; }
  // The entry whose bytes are expected next, or nullptr when every tensor is
  // complete.
  const WritePlan::Entry* current() const;
  // Bytes of the current entry still expected.
  uint64_t remaining() const { return remaining_; }

  // Appends bytes of the tensor named `name`, which must be the current one
  // (current()->name: the plan's order, WriteOptions::tensor_order). Errors:
  // kInvalidArgument (no kind) when `name` is another tensor, naming both,
  // so that two same-size tensors can never be swapped silently;
  // TensorInvalidInfo when the chunk runs past the tensor's end; IoError
  // when the write fails. Nothing is written on error, and after any error
  // the writer is failed: every later call returns that error and Finish
  // renames nothing.
  absl::Status Append(absl::string_view name, absl::Span<const uint8_t> chunk);

  // Checks that every byte was supplied (TensorInvalidInfo otherwise), then
  // flushes, optionally fsyncs, and renames the temporary over `path`
  // (IoError). Call once.
  absl::Status Finish();

 private:
  friend class StreamWriterTestPeer;  // opens with a fault-injecting FileSystem
  static absl::StatusOr<std::unique_ptr<StreamWriter>> OpenWith(
      const std::string& path, absl::Span<const TensorDesc> tensors,
      const std::optional<MetadataMap>& metadata, const WriteOptions& options,
      internal::FileSystem* fs);
  static absl::StatusOr<std::unique_ptr<StreamWriter>> OpenPlanned(
      WritePlan plan, const std::string& path, const WriteOptions& options,
      internal::FileSystem* fs);
  friend absl::Status WriteFile(const std::string&, absl::Span<const TensorRef>,
                                const std::optional<MetadataMap>&,
                                const WriteOptions&);
  friend absl::StatusOr<uint64_t> internal::WriteFileStreaming(
      internal::FileSystem*, const std::string&, absl::Span<const TensorRef>,
      const std::optional<MetadataMap>&, const WriteOptions&,
      const ProgressCallback&, const ChunkWrittenCallback&);
  StreamWriter(WritePlan plan, WriteOptions options,
               std::unique_ptr<internal::AtomicFile> file);
  // Records the first error, closes and removes the temporary; returns status.
  absl::Status Fail(absl::Status status);
  absl::Status Flush();
  // Moves past entries with no bytes left (zero-size tensors).
  void SkipEmpty();
  // The swap unit for the current tensor's bytes: 1 when nothing is swapped.
  int SwapUnit() const;
  // IoError (kAborted) for bytes of the tensor `e` (or of none) that could
  // not be read: the caller's memory is a mapping of a file that shrank.
  absl::Status SourceGone(const WritePlan::Entry* e) const;
  // Appends `chunk` to `out`, or SourceGone when reading it faults (with
  // internal::InstallFaultGuard; without, the fault kills as before).
  absl::Status AppendCopy(absl::Span<const uint8_t> chunk,
                          std::string* out) const;
  // Append for data that must be swapped: through the buffer, keeping an
  // element split between chunks in carry_.
  absl::Status AppendSwapped(absl::Span<const uint8_t> chunk, int unit);

  WritePlan plan_;
  WriteOptions options_;
  std::unique_ptr<internal::AtomicFile> file_;  // the temporary, until Finish
  size_t entry_ = 0;
  uint64_t remaining_ = 0;
  std::string buffer_;  // pending bytes, flushed in large writes
  std::string carry_;   // the start of an element split between chunks
  absl::Status failed_;
  bool finished_ = false;
};

}  // namespace safetensors

#endif  // SAFETENSORS_WRITER_H_
