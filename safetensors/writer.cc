// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/writer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

#include "safetensors/byteswap.h"
#include "safetensors/internal/checked.h"
#include "safetensors/internal/fault_guard.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/internal/utf8.h"
#include "safetensors/status.h"

namespace safetensors {
namespace {

// Appends up to this many bytes before writing; larger chunks go straight
// to write().
constexpr size_t kBufferSize = size_t{1} << 20;

absl::Status InvalidUtf8(absl::string_view what, absl::string_view s) {
  return absl::InvalidArgumentError(absl::StrCat(
      what, " is not valid UTF-8 at byte ", internal::ValidateUtf8(s)));
}

// At most 64 bytes of a name, quoted, for messages.
std::string QuotedForMessage(absl::string_view s) {
  return internal::json::Quoted(s.substr(0, 64));
}

void AppendLittleEndian64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

std::vector<uint64_t> DataLengths(absl::Span<const TensorRef> tensors) {
  std::vector<uint64_t> lengths;
  lengths.reserve(tensors.size());
  for (const TensorRef& t : tensors) lengths.push_back(t.data.size());
  return lengths;
}

// The steps of WritePlan::Build, in the order the checks run.

absl::Status CheckAlignment(uint64_t align) {
  if (align < 8 || align > 65536 || (align & (align - 1)) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "alignment ", align, " is not a power of two from 8 to 65536"));
  }
  return absl::OkStatus();
}

// What the reference would write as a broken file (names not UTF-8, a
// tensor named "__metadata__", two tensors with one name).
absl::Status CheckNames(absl::Span<const TensorDesc* const> tensors) {
  absl::flat_hash_set<absl::string_view> names;
  names.reserve(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const absl::string_view name = tensors[i]->name;
    if (internal::ValidateUtf8(name) != name.size()) {
      return InvalidUtf8(absl::StrCat("the name of tensor #", i), name);
    }
    if (name == kMetadataKey) {
      return MakeError(ErrorKind::kInvalidHeaderDeserialization,
                       "a tensor may not be named \"__metadata__\": the "
                       "header would not read back");
    }
    if (!names.insert(name).second) {
      return MakeError(
          ErrorKind::kInvalidHeaderDeserialization,
          absl::StrCat("two tensors are named ", QuotedForMessage(name),
                       ": the header would not read back"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMetadata(const std::optional<MetadataMap>& metadata) {
  if (!metadata.has_value()) return absl::OkStatus();
  for (const auto& [key, value] : *metadata) {
    if (internal::ValidateUtf8(key) != key.size()) {
      return InvalidUtf8("a metadata key", key);
    }
    if (internal::ValidateUtf8(value) != value.size()) {
      return InvalidUtf8(
          absl::StrCat("the metadata value of ", QuotedForMessage(key)), value);
    }
  }
  return absl::OkStatus();
}

// The entries in write order: the reference's (dtype rank descending, then
// name bytes) or the declared one; offsets not yet assigned. (Sorted as
// positions, so the entries are built once, in place.)
std::vector<WritePlan::Entry> EntriesInWriteOrder(
    absl::Span<const TensorDesc* const> tensors, const WriteOptions& options) {
  std::vector<uint32_t> order(tensors.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  if (options.tensor_order == TensorOrder::kReference) {
    std::sort(order.begin(), order.end(), [&tensors](uint32_t a, uint32_t b) {
      if (tensors[a]->dtype != tensors[b]->dtype) {
        return DtypeRank(tensors[a]->dtype) > DtypeRank(tensors[b]->dtype);
      }
      return tensors[a]->name < tensors[b]->name;
    });
  }
  std::vector<WritePlan::Entry> entries;
  entries.reserve(tensors.size());
  for (uint32_t i : order) {
    const TensorDesc& t = *tensors[i];
    entries.push_back(WritePlan::Entry{
        t.name, t.dtype, std::vector<uint64_t>(t.shape.begin(), t.shape.end()),
        0, 0, i, t.data_order.value_or(options.data_order)});
  }
  return entries;
}

// The reference's validation, in its order: sizes from shapes
// (ValidationOverflow, MisalignedSlice), the given bytes against them
// (TensorInvalidInfo; only when `data_lengths` is not empty), offsets
// assigned with no gaps. Returns the data section's size.
absl::StatusOr<uint64_t> AssignOffsets(absl::Span<const uint64_t> data_lengths,
                                       std::vector<WritePlan::Entry>* entries) {
  uint64_t offset = 0;
  for (WritePlan::Entry& e : *entries) {
    absl::StatusOr<uint64_t> size = TensorByteSize(e.dtype, e.shape);
    if (!size.ok()) {
      return MakeError(*ErrorKindOf(size.status()),
                       absl::StrCat("tensor ", QuotedForMessage(e.name), ": ",
                                    size.status().message()));
    }
    if (!data_lengths.empty() && data_lengths[e.input_index] != *size) {
      return MakeError(ErrorKind::kTensorInvalidInfo,
                       absl::StrCat("tensor ", QuotedForMessage(e.name), ": ",
                                    data_lengths[e.input_index],
                                    " bytes given, but ", DtypeName(e.dtype),
                                    " of this shape is ", *size, " bytes"));
    }
    e.begin = offset;
    if (!CheckedAdd(offset, *size, &offset)) {
      return MakeError(ErrorKind::kValidationOverflow,
                       "the data section's size overflows 64 bits");
    }
    e.end = offset;
  }
  return offset;
}

// Appends the header: compact JSON, "__metadata__" first. Stops growing once
// over kMaxHeaderSize (PadHeader then fails).
void AppendHeaderJson(const std::optional<MetadataMap>& metadata,
                      const std::vector<WritePlan::Entry>& entries,
                      std::string* out) {
  *out += '{';
  bool first = true;
  if (metadata.has_value()) {
    *out += "\"__metadata__\":{";
    bool first_key = true;
    for (const auto& [key, value] : *metadata) {  // sorted by bytes
      if (!first_key) *out += ',';
      first_key = false;
      internal::json::AppendQuoted(key, out);
      *out += ':';
      internal::json::AppendQuoted(value, out);
    }
    *out += '}';
    first = false;
  }
  for (const WritePlan::Entry& e : entries) {
    if (!first) *out += ',';
    first = false;
    internal::json::AppendQuoted(e.name, out);
    absl::StrAppend(out, ":{\"dtype\":\"", DtypeName(e.dtype),
                    "\",\"shape\":[");
    for (size_t i = 0; i < e.shape.size(); ++i) {
      if (i > 0) *out += ',';
      absl::StrAppend(out, e.shape[i]);
    }
    absl::StrAppend(out, "],\"data_offsets\":[", e.begin, ",", e.end, "]}");
    if (out->size() > 8 + kMaxHeaderSize) break;  // fails below; stop growing
  }
  *out += '}';
}

// Pads `prefix` (8 placeholder bytes, then the header) with spaces until the
// data section starts at a multiple of `align`, and writes N into the first
// 8 bytes. Errors: HeaderTooLarge.
absl::Status PadHeader(uint64_t align, std::string* prefix) {
  const uint64_t padded = (prefix->size() + align - 1) / align * align;
  const uint64_t n = padded - 8;
  if (n > kMaxHeaderSize) {
    return MakeError(ErrorKind::kHeaderTooLarge,
                     absl::StrCat("header too large: ", n,
                                  " bytes after padding, over the limit of ",
                                  kMaxHeaderSize));
  }
  prefix->resize(padded, ' ');
  std::string length;
  AppendLittleEndian64(n, &length);
  std::memcpy(&(*prefix)[0], length.data(), 8);
  return absl::OkStatus();
}

// Streams the bytes of every entry of `writer`'s plan from `tensors`
// (indexed by the plan's input_index) in chunks of kIoChunkBytes, reporting
// progress after each, then finishes.
absl::Status StreamAll(StreamWriter& writer,
                       absl::Span<const TensorRef> tensors,
                       const ProgressCallback& progress,
                       const ChunkWrittenCallback& written) {
  const WritePlan& plan = writer.plan();
  const uint64_t total = plan.file_size() - plan.prefix().size();
  uint64_t done = 0;
  for (const WritePlan::Entry& e : plan.entries()) {
    const absl::Span<const uint8_t> data = tensors[e.input_index].data;
    for (size_t at = 0; at < data.size(); at += internal::kIoChunkBytes) {
      const absl::Span<const uint8_t> chunk =
          data.subspan(at, internal::kIoChunkBytes);
      SAFETENSORS_RETURN_IF_ERROR(writer.Append(e.name, chunk));
      if (written) written(chunk);
      done += chunk.size();
      if (progress) progress(done, total);
    }
  }
  return writer.Finish();
}

}  // namespace

std::vector<TensorDesc> Describe(absl::Span<const TensorRef> tensors) {
  return std::vector<TensorDesc>(tensors.begin(), tensors.end());
}

absl::StatusOr<WritePlan> WritePlan::Create(
    absl::Span<const TensorDesc> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options) {
  std::vector<const TensorDesc*> descs;
  descs.reserve(tensors.size());
  for (const TensorDesc& t : tensors) descs.push_back(&t);
  return Build(descs, {}, metadata, options);
}

absl::StatusOr<WritePlan> WritePlan::CreateForData(
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options) {
  std::vector<const TensorDesc*> descs;
  descs.reserve(tensors.size());
  for (const TensorRef& t : tensors) descs.push_back(&t);
  return Build(descs, DataLengths(tensors), metadata, options);
}

absl::StatusOr<WritePlan> WritePlan::Build(
    absl::Span<const TensorDesc* const> tensors,
    absl::Span<const uint64_t> data_lengths,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options) {
  SAFETENSORS_RETURN_IF_ERROR(CheckAlignment(options.alignment));
  SAFETENSORS_RETURN_IF_ERROR(CheckNames(tensors));
  SAFETENSORS_RETURN_IF_ERROR(CheckMetadata(metadata));
  WritePlan plan;
  plan.entries_ = EntriesInWriteOrder(tensors, options);
  SAFETENSORS_ASSIGN_OR_RETURN(const uint64_t data_size,
                               AssignOffsets(data_lengths, &plan.entries_));
  plan.prefix_.assign(8, '\0');  // N, once the padding is known
  AppendHeaderJson(metadata, plan.entries_, &plan.prefix_);
  SAFETENSORS_RETURN_IF_ERROR(PadHeader(options.alignment, &plan.prefix_));
  if (!CheckedAdd(static_cast<uint64_t>(plan.prefix_.size()), data_size,
                  &plan.file_size_)) {
    return MakeError(ErrorKind::kValidationOverflow,
                     "the file's size overflows 64 bits");
  }
  return plan;
}

absl::StatusOr<std::string> Serialize(
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(
      WritePlan plan, WritePlan::CreateForData(tensors, metadata, options));
  std::string out;
  out.reserve(plan.file_size());
  out = plan.prefix();
  for (const WritePlan::Entry& e : plan.entries()) {
    const absl::Span<const uint8_t> data = tensors[e.input_index].data;
    const size_t at = out.size();
    out.append(reinterpret_cast<const char*>(data.data()), data.size());
    if (kHostIsBigEndian && e.data_order == ByteOrder::kHost) {
      SwapInPlace(DtypeSwapUnit(e.dtype), &out[at], data.size());
    }
  }
  return out;
}

absl::Status WriteFile(const std::string& path,
                       absl::Span<const TensorRef> tensors,
                       const std::optional<MetadataMap>& metadata,
                       const WriteOptions& options) {
  // Every check runs before anything is created.
  SAFETENSORS_ASSIGN_OR_RETURN(
      WritePlan plan, WritePlan::CreateForData(tensors, metadata, options));
  SAFETENSORS_ASSIGN_OR_RETURN(
      std::unique_ptr<StreamWriter> writer,
      StreamWriter::OpenPlanned(std::move(plan), path, options,
                                internal::FileSystem::Default()));
  for (const WritePlan::Entry& e : writer->plan().entries()) {
    SAFETENSORS_RETURN_IF_ERROR(
        writer->Append(e.name, tensors[e.input_index].data));
  }
  return writer->Finish();
}

absl::StatusOr<uint64_t> WriteFileStreaming(
    const std::string& path, absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options,
    const ProgressCallback& progress, const ChunkWrittenCallback& written) {
  return internal::WriteFileStreaming(internal::FileSystem::Default(), path,
                                      tensors, metadata, options, progress,
                                      written);
}

namespace internal {

absl::StatusOr<uint64_t> WriteFileStreaming(
    FileSystem* fs, const std::string& path,
    absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options,
    const ProgressCallback& progress, const ChunkWrittenCallback& written) {
  // Planned once, every check (the data lengths too) before anything is
  // created.
  SAFETENSORS_ASSIGN_OR_RETURN(
      WritePlan plan, WritePlan::CreateForData(tensors, metadata, options));
  const uint64_t file_size = plan.file_size();
  SAFETENSORS_ASSIGN_OR_RETURN(
      std::unique_ptr<StreamWriter> writer,
      StreamWriter::OpenPlanned(std::move(plan), path, options, fs));
  SAFETENSORS_RETURN_IF_ERROR(StreamAll(*writer, tensors, progress, written));
  return file_size;
}

}  // namespace internal

// StreamWriter

absl::StatusOr<std::unique_ptr<StreamWriter>> StreamWriter::Open(
    const std::string& path, absl::Span<const TensorDesc> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options) {
  return OpenWith(path, tensors, metadata, options,
                  internal::FileSystem::Default());
}

absl::StatusOr<std::unique_ptr<StreamWriter>> StreamWriter::Open(
    const std::string& path, WritePlan plan, const WriteOptions& options) {
  return OpenPlanned(std::move(plan), path, options,
                     internal::FileSystem::Default());
}

absl::StatusOr<std::unique_ptr<StreamWriter>> StreamWriter::OpenWith(
    const std::string& path, absl::Span<const TensorDesc> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options,
    internal::FileSystem* fs) {
  SAFETENSORS_ASSIGN_OR_RETURN(WritePlan plan,
                               WritePlan::Create(tensors, metadata, options));
  return OpenPlanned(std::move(plan), path, options, fs);
}

absl::StatusOr<std::unique_ptr<StreamWriter>> StreamWriter::OpenPlanned(
    WritePlan plan, const std::string& path, const WriteOptions& options,
    internal::FileSystem* fs) {
  SAFETENSORS_ASSIGN_OR_RETURN(std::unique_ptr<internal::AtomicFile> file,
                               internal::AtomicFile::Create(fs, path));
  std::unique_ptr<StreamWriter> w(
      new StreamWriter(std::move(plan), options, std::move(file)));
  w->buffer_.reserve(kBufferSize);
  w->buffer_ = w->plan_.prefix();
  w->entry_ = 0;
  w->remaining_ = w->plan_.entries().empty()
                      ? 0
                      : w->plan_.entries()[0].end - w->plan_.entries()[0].begin;
  w->SkipEmpty();
  return w;
}

StreamWriter::StreamWriter(WritePlan plan, WriteOptions options,
                           std::unique_ptr<internal::AtomicFile> file)
    : plan_(std::move(plan)), options_(options), file_(std::move(file)) {}

// An uncommitted temporary is removed by the AtomicFile's destructor.
StreamWriter::~StreamWriter() = default;

absl::Status StreamWriter::Fail(absl::Status status) {
  if (!status.ok() && failed_.ok()) {
    failed_ = status;
    file_->Discard();
  }
  return status;
}

void StreamWriter::SkipEmpty() {
  const std::vector<WritePlan::Entry>& entries = plan_.entries();
  while (entry_ < entries.size() && remaining_ == 0) {
    ++entry_;
    if (entry_ < entries.size()) {
      remaining_ = entries[entry_].end - entries[entry_].begin;
    }
  }
}

const WritePlan::Entry* StreamWriter::current() const {
  if (entry_ >= plan_.entries().size()) return nullptr;
  return &plan_.entries()[entry_];
}

absl::Status StreamWriter::Flush() {
  if (buffer_.empty()) return absl::OkStatus();
  absl::Status s = file_->Write(buffer_.data(), buffer_.size());
  buffer_.clear();
  return s;
}

// The caller's bytes may be a mapping of a file that shrinks meanwhile (the
// tool copies tensors straight from its input's mapping): with the fault
// guard installed, touching a vanished page is this error, not SIGBUS.
absl::Status StreamWriter::SourceGone(const WritePlan::Entry* e) const {
  return internal::ShrankWhileBeing(
      "copied",
      e == nullptr ? std::string("the data")
                   : absl::StrCat("tensor ", QuotedForMessage(e->name)),
      "the input file");
}

absl::Status StreamWriter::AppendCopy(absl::Span<const uint8_t> chunk,
                                      std::string* out) const {
  const size_t old = out->size();
  out->resize(old + chunk.size());
  if (!internal::GuardedCopy(&(*out)[old], chunk.data(), chunk.size())) {
    out->resize(old);
    return SourceGone(current());
  }
  return absl::OkStatus();
}

int StreamWriter::SwapUnit() const {
  const WritePlan::Entry* e = current();
  if (!kHostIsBigEndian || e == nullptr || e->data_order != ByteOrder::kHost) {
    return 1;
  }
  return DtypeSwapUnit(e->dtype);
}

absl::Status StreamWriter::AppendSwapped(absl::Span<const uint8_t> chunk,
                                         int unit) {
  size_t at = 0;
  // First complete an element split by the previous chunk.
  while (!carry_.empty() && at < chunk.size()) {
    SAFETENSORS_RETURN_IF_ERROR(AppendCopy(chunk.subspan(at++, 1), &carry_));
    if (carry_.size() == static_cast<size_t>(unit)) {
      SwapInPlace(unit, &carry_[0], carry_.size());
      buffer_ += carry_;
      carry_.clear();
    }
  }
  // Then whole elements, swapped into the buffer in bounded pieces.
  while (chunk.size() - at >= static_cast<size_t>(unit)) {
    if (buffer_.size() + unit > kBufferSize) {
      SAFETENSORS_RETURN_IF_ERROR(Flush());
    }
    const size_t room = (kBufferSize - buffer_.size()) / unit * unit;
    const size_t whole = (chunk.size() - at) / unit * unit;
    const size_t n = std::min(room, whole);
    const size_t old = buffer_.size();
    buffer_.resize(old + n);
    char* const out = &buffer_[old];
    const uint8_t* const in = chunk.data() + at;
    if (!internal::Guarded([&] { SwapCopy(unit, in, out, n); })) {
      buffer_.resize(old);
      return SourceGone(current());
    }
    at += n;
  }
  return AppendCopy(chunk.subspan(at), &carry_);
}

absl::Status StreamWriter::Append(absl::string_view name,
                                  absl::Span<const uint8_t> chunk) {
  if (!failed_.ok()) return failed_;
  if (finished_) {
    return absl::FailedPreconditionError("Append after Finish");
  }
  // No bytes move, so no tensor can be swapped: zero-size tensors (which
  // the plan skips) may be "appended" in any order.
  if (chunk.empty()) return absl::OkStatus();
  const WritePlan::Entry* e = current();
  if (e != nullptr && name != e->name) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "Append(", QuotedForMessage(name), "): the writer expects tensor ",
        QuotedForMessage(e->name),
        " next (tensors are appended in the plan's order, current(); "
        "WriteOptions::tensor_order = TensorOrder::kDeclared keeps yours)")));
  }
  if (chunk.size() > remaining_) {
    return Fail(MakeError(
        ErrorKind::kTensorInvalidInfo,
        e == nullptr ? absl::StrCat(chunk.size(),
                                    " bytes appended after the last tensor")
                     : absl::StrCat("tensor ", QuotedForMessage(e->name), ": ",
                                    chunk.size(), " bytes appended but only ",
                                    remaining_, " remain")));
  }
  const int unit = SwapUnit();
  if (unit > 1) {
    SAFETENSORS_RETURN_IF_ERROR(Fail(AppendSwapped(chunk, unit)));
  } else if (buffer_.size() + chunk.size() <= kBufferSize) {
    SAFETENSORS_RETURN_IF_ERROR(Fail(AppendCopy(chunk, &buffer_)));
  } else {
    SAFETENSORS_RETURN_IF_ERROR(Fail(Flush()));
    if (chunk.size() >= kBufferSize) {
      absl::Status written = file_->Write(chunk.data(), chunk.size());
      if (written.GetPayload(internal::kSourceGonePayloadUrl).has_value()) {
        written = SourceGone(e);  // EFAULT: say which tensor
      }
      SAFETENSORS_RETURN_IF_ERROR(Fail(std::move(written)));
    } else {
      SAFETENSORS_RETURN_IF_ERROR(Fail(AppendCopy(chunk, &buffer_)));
    }
  }
  remaining_ -= chunk.size();
  SkipEmpty();
  return absl::OkStatus();
}

absl::Status StreamWriter::Finish() {
  if (!failed_.ok()) return failed_;
  if (finished_) return absl::FailedPreconditionError("Finish called twice");
  if (const WritePlan::Entry* e = current()) {
    return Fail(MakeError(
        ErrorKind::kTensorInvalidInfo,
        absl::StrCat("tensor ", QuotedForMessage(e->name), ": ", remaining_,
                     " of its bytes were never appended")));
  }
  SAFETENSORS_RETURN_IF_ERROR(Fail(Flush()));
  // Fsync, close, rename, fsync the directory. Only the last can fail with
  // the file in place (only its durability in doubt): not a failed writer.
  absl::Status committed = file_->Commit(options_.fsync);
  if (!file_->committed()) return Fail(std::move(committed));
  finished_ = true;
  return committed;
}

}  // namespace safetensors
