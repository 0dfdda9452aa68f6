// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Slicing a tensor without reading it: PlanSlice turns a dtype, a shape and
// one SliceIndexer per leading dimension into the result's shape, its byte
// size, and the contiguous byte runs of the tensor's data that make up the
// result, in row-major order (docs/specification.md §14). CopySlice then
// gathers those runs into a caller's buffer. A SlicePlan is a small value
// (O(rank) memory) that owns nothing and refers to no tensor; it is immutable
// and safe for concurrent const use. Everything else here is a pure function.
//
// Usage:
//
//   // F32 [2,3], columns 1..2 of every row: runs [4,12) and [16,24).
//   absl::StatusOr<SlicePlan> plan = PlanSlice(
//       Dtype::kF32, {2, 3}, {All(), Range(1, 3)});
//   plan->shape();         // {2, 2}
//   plan->byte_size();     // 16
//   plan->Runs();          // {{4, 8}, {16, 8}}  (offset, length)
//
//   // Row 1 of a tensor read from a file, copied out (Index drops the dim):
//   absl::StatusOr<std::vector<uint8_t>> row =
//       CopySliceToVector(view, {Index(1)});
//
//   // Every 4th element from 1 (Python's x[1::4]): with a step, each element
//   // is its own run unless elements touch:
//   PlanSlice(Dtype::kU8, {6}, {RangeFrom(1, 4)});   // runs [1,2), [5,6)
//
// Differences from the reference (all deliberate, see docs/specification.md §14
// and the comments at each function): start > stop is InvalidSliceRange instead
// of a panic; an empty range at the end of a dimension (start == stop == size,
// including `All()` over a size-0 dimension) is allowed; a step > 1 is
// supported (checked for sub-byte alignment as described at PlanSlice); runs
// are merged wherever they touch and empty runs are never produced.

#ifndef SAFETENSORS_SLICE_H_
#define SAFETENSORS_SLICE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"
#include "safetensors/reader.h"

namespace safetensors {

// What to take from one dimension: either one position (an index, which
// drops the dimension from the result's shape, like Python's x[i]) or the
// positions start, start+step, ... below stop (a range, which keeps the
// dimension, like Python's x[start:stop:step] with non-negative values).
// Build one with Index, Range, RangeFrom or All below. A plain value; cheap to
// copy. The indexer is checked against a dimension only by PlanSlice, so any
// values can be stored here (a step of 0 is rejected there, not here).
class SliceIndexer {
 public:
  enum class Kind : uint8_t {
    kIndex,  // position start()
    kRange,  // positions [start(), stop) with step()
  };

  static constexpr SliceIndexer Index(uint64_t index) {
    return SliceIndexer(Kind::kIndex, index, 0, 1, false);
  }
  static constexpr SliceIndexer Range(uint64_t start, uint64_t stop,
                                      uint64_t step = 1) {
    return SliceIndexer(Kind::kRange, start, stop, step, false);
  }
  static constexpr SliceIndexer RangeFrom(uint64_t start, uint64_t step = 1) {
    return SliceIndexer(Kind::kRange, start, 0, step, true);
  }
  static constexpr SliceIndexer All() { return RangeFrom(0, 1); }

  Kind kind() const { return kind_; }
  bool is_index() const { return kind_ == Kind::kIndex; }
  // The index (kIndex) or the first position (kRange).
  uint64_t start() const { return start_; }
  // One past the last position of a range over a dimension of `dim_size`:
  // the stop given to Range, or dim_size for RangeFrom and All.
  // Meaningless for an index.
  uint64_t stop(uint64_t dim_size) const {
    return stop_is_end_ ? dim_size : stop_;
  }
  // True for RangeFrom and All: the range runs to the end of the dimension.
  bool stop_is_end() const { return stop_is_end_; }
  // 1 for an index.
  uint64_t step() const { return step_; }

 private:
  constexpr SliceIndexer(Kind kind, uint64_t start, uint64_t stop,
                         uint64_t step, bool stop_is_end)
      : kind_(kind),
        stop_is_end_(stop_is_end),
        start_(start),
        stop_(stop),
        step_(step) {}

  Kind kind_;
  bool stop_is_end_;
  uint64_t start_;
  uint64_t stop_;  // unused for kIndex and when stop_is_end_
  uint64_t step_;
};

// Position `index` of its dimension; the dimension is dropped (x[i]).
constexpr SliceIndexer Index(uint64_t index) {
  return SliceIndexer::Index(index);
}
// Positions start, start+step, ... below stop (x[start:stop:step]).
constexpr SliceIndexer Range(uint64_t start, uint64_t stop, uint64_t step = 1) {
  return SliceIndexer::Range(start, stop, step);
}
// Positions start, start+step, ... to the end of the dimension
// (x[start::step]).
constexpr SliceIndexer RangeFrom(uint64_t start, uint64_t step = 1) {
  return SliceIndexer::RangeFrom(start, step);
}
// The whole dimension (x[:]); valid on a size-0 dimension too.
constexpr SliceIndexer All() { return SliceIndexer::All(); }

// One dimension's selection as Python writes it (the get_slice of Python's
// safetensors, NumPy, PyTorch), where negative positions count from the end
// and slice bounds may be left out:
//   x[-1]        PyIndexer::Index(-1)
//   x[-3:]       PyIndexer::Slice(-3, std::nullopt)
//   x[:, 2:]     PyIndexer::All(), PyIndexer::Slice(2, std::nullopt)
//   x[::2]       PyIndexer::Slice(std::nullopt, std::nullopt, 2)
// ResolvePython turns them into SliceIndexers against a shape. A plain value.
class PyIndexer {
 public:
  static PyIndexer Index(int64_t index) {
    return PyIndexer(true, index, std::nullopt, 1);
  }
  static PyIndexer Slice(std::optional<int64_t> start,
                         std::optional<int64_t> stop, int64_t step = 1) {
    return PyIndexer(false, start, stop, step);
  }
  static PyIndexer All() { return Slice(std::nullopt, std::nullopt); }

  bool is_index() const { return is_index_; }
  std::optional<int64_t> start() const { return start_; }
  std::optional<int64_t> stop() const { return stop_; }
  int64_t step() const { return step_; }

 private:
  PyIndexer(bool is_index, std::optional<int64_t> start,
            std::optional<int64_t> stop, int64_t step)
      : is_index_(is_index), start_(start), stop_(stop), step_(step) {}
  bool is_index_;
  std::optional<int64_t> start_;
  std::optional<int64_t> stop_;
  int64_t step_;
};

// The SliceIndexers that Python's `x[items]` means for a tensor of `shape`,
// with Python's rules: an index i < 0 is i + size, and must then be in
// [0, size) (SliceOutOfRange otherwise, code kOutOfRange, as Python's
// IndexError); a slice bound b < 0 is b + size; bounds are then clamped to
// [0, size], and a start past its stop selects nothing (an empty range),
// as Python does. Errors: TooManySlices when items.size() > shape.size();
// SliceOutOfRange as above; InvalidSliceRange for a step of 0 or a negative
// step (reversed slices are not byte runs of the file). The result goes to
// PlanSlice, ReadSliceAs or CopySlice, whose own checks then always pass
// except the sub-byte alignment rule.
// Cost: O(items.size()).
absl::StatusOr<std::vector<SliceIndexer>> ResolvePython(
    absl::Span<const uint64_t> shape, absl::Span<const PyIndexer> items);

// One contiguous piece of a tensor's data: `length` bytes from `offset`,
// relative to the first byte of the tensor's data (not of the file).
struct ByteRun {
  uint64_t offset = 0;
  uint64_t length = 0;

  friend bool operator==(const ByteRun& a, const ByteRun& b) {
    return a.offset == b.offset && a.length == b.length;
  }
  friend bool operator!=(const ByteRun& a, const ByteRun& b) {
    return !(a == b);
  }
};

// The result of PlanSlice: the slice's shape and size and, in a compact form,
// the byte runs that make it up. The runs are in increasing offset order
// (which is the row-major order of the result), never empty, never touching
// (two runs that would touch are one run), and their lengths add up to
// byte_size(); concatenated, they are the result's bytes, packed row-major.
class SlicePlan {
 public:
  // The result's shape: the tensor's shape with every Index dimension
  // dropped and every range dimension replaced by its element count.
  absl::Span<const uint64_t> shape() const { return shape_; }
  // Bytes in the result: the sum of the runs' lengths.
  uint64_t byte_size() const { return byte_size_; }
  // Bytes in the whole tensor the plan was made for (TensorByteSize).
  uint64_t tensor_byte_size() const { return tensor_byte_size_; }
  // True when the slice selects no element (byte_size() == 0, no runs).
  bool empty() const { return byte_size_ == 0; }

  // An upper bound on the number of runs, exact unless runs merge across
  // rows (which only a step > 1 can cause, e.g. [:, ::2] of a [2,3] tensor).
  // It is 0 for an empty slice and 1 when the slice is one block of the data
  // (any slice of the outermost dimension with step 1, the whole tensor).
  // It is at most the result's element count. O(1).
  uint64_t max_run_count() const { return max_run_count_; }

  // Calls `fn` once per run, in order. Cost: O(max_run_count() + rank) time;
  // O(rank) memory (one allocation, none when max_run_count() <= 1).
  void ForEachRun(absl::FunctionRef<void(ByteRun)> fn) const;

  // Every run, in order. Cost: O(max_run_count()) time and memory (16 bytes
  // a run): a strided slice of a large tensor can mean one run per element,
  // so prefer ForEachRun or CopySlice when max_run_count() may be large.
  std::vector<ByteRun> Runs() const;

 private:
  friend absl::StatusOr<SlicePlan> PlanSlice(
      Dtype dtype, absl::Span<const uint64_t> shape,
      absl::Span<const SliceIndexer> indexers);

  // One level of the nested loop that generates the runs: `count` >= 2
  // positions, `stride` bytes apart.
  struct Loop {
    uint64_t count;
    uint64_t stride;
  };

  SlicePlan() = default;

  std::vector<uint64_t> shape_;
  uint64_t byte_size_ = 0;
  uint64_t tensor_byte_size_ = 0;
  uint64_t max_run_count_ = 0;
  // Unmerged runs: `block_length_` bytes at
  // block_offset_ + sum over loops_ of i_k * loops_[k].stride,
  // i_k in [0, loops_[k].count), the outermost loop first.
  uint64_t block_offset_ = 0;
  uint64_t block_length_ = 0;
  std::vector<Loop> loops_;
};

// Plans the slice `indexers` of a tensor of `dtype` and `shape` (row-major,
// packed): indexers[i] applies to dimension i, and the dimensions past
// indexers.size() are taken whole (so no indexers means the whole tensor).
//
// Returns the plan (see SlicePlan), or an error of kind, checked in this
// order:
//   ValidationOverflow  the tensor's element or bit count exceeds 2^64-1
//                       (TensorByteSize); code kInvalidArgument.
//   MisalignedSlice     the tensor itself is not whole bytes (an odd F4
//                       count, an F6 count not a multiple of 4, a sub-byte
//                       scalar; TensorByteSize); code kInvalidArgument.
//   TooManySlices       indexers.size() > shape.size(); kInvalidArgument.
// then per dimension, from the last dimension to the first (the reference's
// order), for the first dimension that fails, in this order within it:
//   SliceOutOfRange     code kOutOfRange. An index i >= size; a range whose
//                       stop > size; a range whose start >= size, unless it
//                       is empty with start == stop == size. The message
//                       names the dimension, its size and the asked value
//                       (the index, the start when start >= size, otherwise
//                       stop - 1), as the reference's does.
//   InvalidSliceRange   a range with start > stop (the reference panics), or
//                       a step of 0; code kInvalidArgument.
//   MisalignedSlice     sub-byte dtypes (F4, F6_*) only: the dimension breaks
//                       the alignment rule below; code kInvalidArgument.
// So a misaligned inner dimension is reported before an out-of-range outer
// one, and an out-of-range inner one before a misaligned outer one.
//
// The alignment rule is the reference's (docs/specification.md §14, "Alignment
// rule"), applied to each dimension separately during that walk, not to the
// final runs. `span` is the bit size of one position of the dimension: the
// product of the inner dimensions' sizes times the dtype's bits. A dimension is
// taken whole when every position is selected (start 0 and as many positions
// as its size: no indexer, All(), Range(0, size), Index(0) of a dimension of
// 1, any step over a dimension of 1).
//  * Dimensions taken whole inside the innermost narrowed (not whole)
//    dimension only enlarge the span; if none is narrowed, nothing is checked.
//  * The innermost narrowed dimension, with step 1 or at most one position,
//    makes the run [start * span, (start + count) * span) bits, whose both
//    bounds must be multiples of 8; with a step > 1 and two or more
//    positions, every element is its own run of span bits, so start * span,
//    span and step * span must be.
//  * Every dimension outside it (narrowed or taken whole) repeats the runs at
//    n * span for each selected position n: start * span and, with two or
//    more positions, step * span must be multiples of 8.
//  * Empty ranges are checked too (start * span): `1:1` of an F4 [4] tensor
//    is MisalignedSlice, `2:2` is an empty plan.
// Whole-byte dtypes always pass. A plan that passes has byte-aligned runs,
// merged as SlicePlan describes.
//
// Conformance notes (the reference is the Rust crate with steps, 0.8.x):
//  * Range checks give the reference's kind, in its order across dimensions,
//    wherever it does not panic: `3..2` on a dimension of 3 stays
//    SliceOutOfRange (its start is past the last position), while `2..1`,
//    where the reference panics, is InvalidSliceRange.
//  * An empty range at the end (`3..3` or `3..` on a dimension of 3, All()
//    on a size-0 dimension) is allowed here, SliceOutOfRange there.
//  * MisalignedSlice is the reference's per-dimension rule, so it rejects
//    some slices whose merged runs would be whole bytes: `[1, 1:3]` of an F4
//    [2,3] tensor (elements 4 and 5, exactly byte 2, but 4 bits into row 1)
//    and `1:1` of an F4 [4] tensor (nothing, but at bit 4). `[:, 0:1:2]` of
//    an F4 [2,1] tensor takes dimension 1 whole (one position of one) and is
//    the whole tensor, as `[:, 0:1]` is in the reference.
//
// Cost: O(rank) time and memory; the runs are not materialized. All size
// arithmetic is overflow-checked.
absl::StatusOr<SlicePlan> PlanSlice(Dtype dtype,
                                    absl::Span<const uint64_t> shape,
                                    absl::Span<const SliceIndexer> indexers);

// Copies the bytes of `plan`'s slice of `data` (the whole tensor's bytes)
// into `out`, packed in row-major order. The bytes are copied as they are
// (little-endian); nothing is swapped on a big-endian host.
//
// Errors (nothing is written to `out` on error):
//   InvalidTensorView  data.size() != plan.tensor_byte_size(), or
//                      out.size() != plan.byte_size(); code kInvalidArgument.
// REQUIRES: `out` does not overlap `data`.
// Cost: O(plan.max_run_count() + rank) time, one memcpy per run, O(rank)
// memory (ForEachRun).
absl::Status CopySlice(const SlicePlan& plan, absl::Span<const uint8_t> data,
                       absl::Span<uint8_t> out);

// Plans the slice `indexers` of `view` (PlanSlice with its dtype and shape)
// and copies its bytes into `out`.
//
// Errors (nothing is written to `out` on error): every error of PlanSlice,
// then InvalidTensorView (code kInvalidArgument) when the view's byte size
// does not match its dtype and shape (possible only for a TensorView built by
// hand), or when out.size() differs from the slice's byte size (take it from
// PlanSlice(...)->byte_size() to size the buffer).
// Cost: PlanSlice plus CopySlice above: O(rank) memory, never O(runs).
absl::Status CopySlice(const TensorView& view,
                       absl::Span<const SliceIndexer> indexers,
                       absl::Span<uint8_t> out);

// As above, into a new vector of exactly the slice's byte size, owned by the
// caller. Errors: those of the CopySlice above except the `out` size check.
// Cost: as above, plus one allocation of the slice's byte size.
absl::StatusOr<std::vector<uint8_t>> CopySliceToVector(
    const TensorView& view, absl::Span<const SliceIndexer> indexers);

}  // namespace safetensors

#endif  // SAFETENSORS_SLICE_H_
