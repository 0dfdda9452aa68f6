// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/load.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>  // NOLINT(build/c++11)
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

#include "safetensors/byteswap.h"
#include "safetensors/convert.h"
#include "safetensors/index.h"
#include "safetensors/internal/host_memory.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/status.h"

namespace safetensors {

LoadedTensor::LoadedTensor(std::string name, Dtype dtype,
                           std::vector<uint64_t> shape,
                           std::vector<uint8_t> bytes)
    : name_(std::move(name)), dtype_(dtype), shape_(std::move(shape)) {
  if (bytes.empty()) return;
  auto owned = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  size_ = owned->size();
  bytes_ = std::shared_ptr<const uint8_t>(owned, owned->data());
}

namespace {

// The pieces a tensor's copy is cut into, so that threads share a large
// tensor and each one's destination pages are faulted in just before they
// are filled, while the zeroed lines are still in cache. A multiple of the
// huge page and of every element size.
constexpr uint64_t kPieceBytes = uint64_t{4} << 20;

// The dtypes float_dtype may name, and the tensors it converts, are those
// ConvertFromFloat writes: F64, F32, BF16, F16 and the five F8 types.

// The tensor's elements as `to`, in host order, into `out` (of the size
// count * DtypeBits(to) / 8).
absl::Status ConvertInto(const TensorView& view, Dtype to,
                         absl::Span<uint8_t> out) {
  const size_t count = out.size() / static_cast<size_t>(DtypeBits(to) / 8);
  if (to == Dtype::kF64) {
    return ConvertToDouble(
        view.dtype(), view.data(),
        absl::MakeSpan(reinterpret_cast<double*>(out.data()), count));
  }
  if (to == Dtype::kF32) {
    return ConvertToFloat(
        view.dtype(), view.data(),
        absl::MakeSpan(reinterpret_cast<float*>(out.data()), count));
  }
  SAFETENSORS_ASSIGN_OR_RETURN(const std::vector<float> values,
                               ReadAsFloat(view));
  SAFETENSORS_RETURN_IF_ERROR(ConvertFromFloat(values, to, out));
  if (kHostIsBigEndian) SwapInPlace(DtypeSwapUnit(to), out.data(), out.size());
  return absl::OkStatus();
}

// One tensor to load: where its bytes come from and where they go.
struct Job {
  const TensorInfo* info = nullptr;
  absl::Span<const uint8_t> mapped;  // the source, for Backend::kMmap
  const LazyFile* lazy = nullptr;    // the source, for Backend::kPread
  Dtype dtype = Dtype::kU8;          // as loaded
  bool convert = false;              // dtype != info->dtype
  size_t size = 0;                   // bytes as loaded
  std::shared_ptr<uint8_t> bytes;    // allocated before any piece runs
  absl::Status setup;                // an error found while planning
};

// Bytes [begin, end) of job `job`'s destination; a conversion is one piece.
struct Piece {
  size_t job;
  uint64_t begin;
  uint64_t end;
};

// Fills one piece. Errors: a conversion's (prefixed with the tensor), or a
// pread's.
absl::Status RunPiece(const Job& job, const Piece& piece) {
  if (!job.setup.ok()) return job.setup;
  uint8_t* const out = job.bytes.get() + piece.begin;
  const size_t n = static_cast<size_t>(piece.end - piece.begin);
  if (job.size >= internal::kHugePageSize) internal::PrefaultForWrite(out, n);
  if (job.convert) {
    std::vector<uint8_t> read;  // the source, for the pread backend
    TensorView view(*job.info, job.mapped);
    if (job.lazy != nullptr) {
      read.resize(job.info->end - job.info->begin);
      SAFETENSORS_RETURN_IF_ERROR(
          job.lazy->ReadInto(job.info->name, absl::MakeSpan(read)));
      view = TensorView(*job.info, read);
    }
    const absl::Status s = ConvertInto(view, job.dtype, {out, n});
    if (!s.ok()) {
      return WithPrefix(s, absl::StrCat("tensor ", job.info->name, ": "));
    }
    return absl::OkStatus();
  }
  if (job.lazy != nullptr) {
    SAFETENSORS_RETURN_IF_ERROR(
        job.lazy->ReadRangeInto(job.info->name, piece.begin, {out, n}));
    if (kHostIsBigEndian) SwapInPlace(DtypeSwapUnit(job.dtype), out, n);
    return absl::OkStatus();
  }
  CopyLittleEndianToHost(job.dtype, job.mapped.subspan(piece.begin, n),
                         {out, n});
  return absl::OkStatus();
}

// The plan's destinations: what each tensor becomes, and its memory
// (allocated here, uninitialized: only virtual until a piece faults it in).
void Plan(const std::optional<Dtype>& float_dtype, std::vector<Job>* jobs,
          std::vector<Piece>* pieces) {
  for (size_t i = 0; i < jobs->size(); ++i) {
    Job& job = (*jobs)[i];
    job.dtype = job.info->dtype;
    job.size = static_cast<size_t>(job.info->end - job.info->begin);
    if (float_dtype.has_value() && CanConvertFromFloat(job.dtype) &&
        job.dtype != *float_dtype) {
      absl::StatusOr<uint64_t> count = ElementCount(job.info->shape);
      if (!count.ok()) {
        job.setup = WithPrefix(count.status(),
                               absl::StrCat("tensor ", job.info->name, ": "));
        pieces->push_back({i, 0, 0});
        continue;
      }
      job.convert = true;
      job.dtype = *float_dtype;
      job.size = static_cast<size_t>(
          *count * static_cast<uint64_t>(DtypeBits(job.dtype) / 8));
      job.bytes = internal::AllocateHostBytes(job.size);
      pieces->push_back({i, 0, job.size});
      continue;
    }
    job.bytes = internal::AllocateHostBytes(job.size);
    for (uint64_t at = 0; at < job.size; at += kPieceBytes) {
      pieces->push_back(
          {i, at, std::min<uint64_t>(job.size, at + kPieceBytes)});
    }
  }
}

}  // namespace

absl::StatusOr<TensorMap> LoadFile(const std::string& path,
                                   const LoadOptions& options) {
  if (options.float_dtype.has_value() &&
      !CanConvertFromFloat(*options.float_dtype)) {
    return MakeError(
        ErrorKind::kInvalidTensorView,
        absl::StrCat("LoadOptions::float_dtype is ",
                     DtypeName(*options.float_dtype),
                     ", not a floating-point dtype (F64, F32, BF16, F16 or an "
                     "F8 type)"));
  }
  // The sources, in the order Checkpoint::Tensors lists them: shard by
  // shard, each in offset order. With kPread the shards are opened as
  // LazyFiles (the header only), so that no file is read whole into memory
  // and then copied again.
  std::optional<Checkpoint> checkpoint;
  std::vector<LazyFile> lazy;
  std::vector<Job> jobs;
  if (options.open.backend == Backend::kPread) {
    SAFETENSORS_ASSIGN_OR_RETURN(const std::string resolved,
                                 ResolveModelPath(path));
    if (IsIndexPath(resolved)) {
      SAFETENSORS_ASSIGN_OR_RETURN(
          checkpoint, Checkpoint::OpenIndex(resolved, options.open));
      lazy.reserve(checkpoint->shard_names().size());
      for (size_t s = 0; s < checkpoint->shard_names().size(); ++s) {
        SAFETENSORS_ASSIGN_OR_RETURN(LazyFile file,
                                     checkpoint->OpenShardLazily(s));
        lazy.push_back(std::move(file));
      }
    } else {
      SAFETENSORS_ASSIGN_OR_RETURN(LazyFile file,
                                   LazyFile::Open(resolved, options.open.read));
      lazy.push_back(std::move(file));
    }
    for (const LazyFile& file : lazy) {
      for (const TensorInfo& info : file.header().tensors()) {
        Job job;
        job.info = &info;
        job.lazy = &file;
        jobs.push_back(std::move(job));
      }
    }
  } else {
    SAFETENSORS_ASSIGN_OR_RETURN(checkpoint,
                                 Checkpoint::Open(path, options.open));
    SAFETENSORS_ASSIGN_OR_RETURN(const std::vector<ShardTensor> tensors,
                                 checkpoint->Tensors());
    for (size_t s = 0; s < checkpoint->shard_names().size(); ++s) {
      SAFETENSORS_ASSIGN_OR_RETURN(const File* file, checkpoint->Shard(s));
      internal::AdviseSequentialRead(file->bytes().data(),
                                     file->bytes().size());
    }
    jobs.reserve(tensors.size());
    for (const ShardTensor& t : tensors) {
      Job job;
      job.info = &t.view.info();
      job.mapped = t.view.data();
      jobs.push_back(std::move(job));
    }
  }
  std::vector<Piece> pieces;
  Plan(options.float_dtype, &jobs, &pieces);

  const size_t n = pieces.size();
  std::vector<absl::Status> status(n);
  size_t threads = options.threads > 0
                       ? static_cast<size_t>(options.threads)
                       : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max<size_t>(n, 1));
  // Pieces are claimed in order, and a worker finishes the one it claimed
  // before it stops; so once a piece fails, every piece before it has been
  // done or has failed, and the first failure in order (that of the first
  // failing tensor) is the same whatever the thread count.
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n) return;
      status[i] = RunPiece(jobs[pieces[i].job], pieces[i]);
      if (!status[i].ok()) failed.store(true);
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  for (const absl::Status& s : status) SAFETENSORS_RETURN_IF_ERROR(s);

  TensorMap out;
  for (Job& job : jobs) {
    std::string name(job.info->name);
    out.emplace(name,
                LoadedTensor(name, job.dtype,
                             std::vector<uint64_t>(job.info->shape.begin(),
                                                   job.info->shape.end()),
                             std::move(job.bytes), job.size));
  }
  return out;
}

}  // namespace safetensors
