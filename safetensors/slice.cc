// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/slice.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "absl/strings/str_cat.h"

#include "safetensors/internal/checked.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/status.h"

namespace safetensors {
namespace {

// One dimension's selection once checked: `count` positions from `start`,
// `step` apart.
struct Selection {
  uint64_t start;
  uint64_t count;
  uint64_t step;
};

absl::Status OutOfRange(size_t dim_index, uint64_t asked, uint64_t dim_size) {
  return MakeError(
      ErrorKind::kSliceOutOfRange,
      absl::StrCat("index ", asked, " out of bounds for tensor dimension #",
                   dim_index, " of size ", dim_size));
}

absl::Status Overflow(absl::string_view what) {
  return MakeError(ErrorKind::kValidationOverflow,
                   absl::StrCat("overflow computing the slice's ", what));
}

absl::Status Misaligned(size_t dim_index, absl::string_view what) {
  return MakeError(
      ErrorKind::kMisalignedSlice,
      absl::StrCat("the slice of a sub-byte dtype does not fall on byte "
                   "boundaries: in tensor dimension #",
                   dim_index, ", ", what));
}

// True when `n` positions of a dimension whose positions are `span_mod8`
// bits long (modulo 8) are a whole number of bytes.
bool WholeBytes(uint64_t n, uint64_t span_mod8) {
  return (n % 8) * span_mod8 % 8 == 0;
}

// The reference's alignment rule for dimension `dim_index`
// (docs/specification.md §14, "Byte ranges"), checked as the dimensions are
// walked from the last to the first. `span_mod8` is the bit size of one
// position of the dimension (the product of the inner dimensions times the
// dtype's bits) modulo 8: only divisibility by 8 matters, and kept modulo 8 it
// cannot overflow (the inner dimensions of an empty tensor may multiply past
// 2^64). `*narrowed` says whether an inner dimension has already been narrowed;
// it is updated.
//  * Until a dimension is narrowed, a dimension taken whole (every position,
//    start 0 and count == size, like the reference's Narrow(0, size) or an
//    index 0 of a dimension of 1) only enlarges the span.
//  * The first (innermost) narrowed dimension makes a run of bits
//    [start * span, (start + count) * span) whose bounds must be whole
//    bytes; with a step > 1 and at least two positions, each element is its
//    own run, so start * span, span and step * span must be.
//  * Every outer dimension, narrowed or not, repeats the runs at n * span
//    for each of its positions n: start * span, and step * span when it has
//    at least two positions, must be whole bytes.
// An empty selection is checked like any other (start * span).
absl::Status CheckAlignment(const Selection& s, size_t dim_index,
                            uint64_t dim_size, uint64_t span_mod8,
                            bool* narrowed) {
  if (!*narrowed) {
    if (s.start == 0 && s.count == dim_size) return absl::OkStatus();
    *narrowed = true;
    if (!WholeBytes(s.start, span_mod8)) {
      return Misaligned(dim_index, absl::StrCat("position ", s.start,
                                                " starts inside a byte"));
    }
    if (s.count >= 2 && s.step > 1) {
      if (!WholeBytes(1, span_mod8) || !WholeBytes(s.step, span_mod8)) {
        return Misaligned(dim_index,
                          absl::StrCat("its elements, taken ", s.step,
                                       " apart, are not whole bytes"));
      }
    } else if (!WholeBytes(s.start + s.count, span_mod8)) {
      return Misaligned(
          dim_index,
          absl::StrCat("the run ends inside a byte, before position ",
                       s.start + s.count));
    }
    return absl::OkStatus();
  }
  if (!WholeBytes(s.start, span_mod8)) {
    return Misaligned(
        dim_index, absl::StrCat("position ", s.start, " starts inside a byte"));
  }
  if (s.count >= 2 && !WholeBytes(s.step, span_mod8)) {
    return Misaligned(
        dim_index,
        absl::StrCat("positions ", s.step, " apart are not whole bytes apart"));
  }
  return absl::OkStatus();
}

// Checks `indexer` against dimension `dim_index` of size `dim_size`.
absl::StatusOr<Selection> Select(const SliceIndexer& indexer, size_t dim_index,
                                 uint64_t dim_size) {
  const uint64_t start = indexer.start();
  if (indexer.is_index()) {
    if (start >= dim_size) return OutOfRange(dim_index, start, dim_size);
    return Selection{start, 1, 1};
  }
  const uint64_t stop = indexer.stop(dim_size);
  // The reference's check is `start >= size || stop > size`; an empty range
  // ending at the end of the dimension is allowed here (docs/specification.md
  // §14).
  if (stop > dim_size || (start >= dim_size && start != stop)) {
    return OutOfRange(dim_index, start >= dim_size ? start : stop - 1,
                      dim_size);
  }
  if (start > stop) {
    return MakeError(ErrorKind::kInvalidSliceRange,
                     absl::StrCat("slice start ", start, " is after its stop ",
                                  stop, " in tensor dimension #", dim_index));
  }
  const uint64_t step = indexer.step();
  if (step == 0) {
    return MakeError(
        ErrorKind::kInvalidSliceRange,
        absl::StrCat("slice step is 0 in tensor dimension #", dim_index));
  }
  // stop > start here, so nothing can wrap.
  const uint64_t count = start == stop ? 0 : (stop - start - 1) / step + 1;
  return Selection{start, count, step};
}

}  // namespace

namespace {

// |v| for v < 0, without overflow at INT64_MIN.
uint64_t Magnitude(int64_t v) { return static_cast<uint64_t>(-(v + 1)) + 1; }

// A Python slice bound against a dimension of `size`: from the end when
// negative, then clamped to [0, size].
uint64_t PythonBound(int64_t b, uint64_t size) {
  if (b < 0) return Magnitude(b) >= size ? 0 : size - Magnitude(b);
  return std::min(static_cast<uint64_t>(b), size);
}

}  // namespace

absl::StatusOr<std::vector<SliceIndexer>> ResolvePython(
    absl::Span<const uint64_t> shape, absl::Span<const PyIndexer> items) {
  if (items.size() > shape.size()) {
    return MakeError(
        ErrorKind::kTooManySlices,
        absl::StrCat(items.size(), " slice indexers for a tensor of ",
                     shape.size(), " dimensions"));
  }
  std::vector<SliceIndexer> out;
  out.reserve(items.size());
  for (size_t d = 0; d < items.size(); ++d) {
    const PyIndexer& item = items[d];
    const uint64_t size = shape[d];
    if (item.is_index()) {
      const int64_t i = *item.start();
      const bool in_range =
          i < 0 ? Magnitude(i) <= size : static_cast<uint64_t>(i) < size;
      if (!in_range) {
        return MakeError(
            ErrorKind::kSliceOutOfRange,
            absl::StrCat("index ", i, " is out of range for tensor dimension #",
                         d, " of size ", size));
      }
      out.push_back(
          Index(i < 0 ? size - Magnitude(i) : static_cast<uint64_t>(i)));
      continue;
    }
    if (item.step() <= 0) {
      return MakeError(
          ErrorKind::kInvalidSliceRange,
          absl::StrCat("slice step ", item.step(), " in tensor dimension #", d,
                       item.step() == 0 ? ""
                                        : " (reversed slices are not "
                                          "byte runs of the file)",
                       ": a step must be at least 1"));
    }
    const uint64_t step = static_cast<uint64_t>(item.step());
    const uint64_t start = item.start() ? PythonBound(*item.start(), size) : 0;
    if (!item.stop().has_value()) {
      out.push_back(RangeFrom(start, step));
      continue;
    }
    const uint64_t stop = std::max(start, PythonBound(*item.stop(), size));
    out.push_back(Range(start, stop, step));
  }
  return out;
}

absl::StatusOr<SlicePlan> PlanSlice(Dtype dtype,
                                    absl::Span<const uint64_t> shape,
                                    absl::Span<const SliceIndexer> indexers) {
  SlicePlan plan;
  SAFETENSORS_ASSIGN_OR_RETURN(plan.tensor_byte_size_,
                               TensorByteSize(dtype, shape));
  const size_t rank = shape.size();
  if (indexers.size() > rank) {
    return MakeError(ErrorKind::kTooManySlices,
                     absl::StrCat("more slicing indexes (", indexers.size(),
                                  ") than dimensions in tensor (", rank, ")"));
  }

  // Check the indexers as the reference does, one dimension at a time from
  // the last to the first: the range, then the alignment, so that the same
  // dimension's error is reported when several are wrong, and a misaligned
  // inner dimension before an out-of-range outer one.
  std::vector<Selection> selections(rank);
  uint64_t span_mod8 = static_cast<uint64_t>(DtypeBits(dtype)) % 8;
  bool narrowed = false;
  for (size_t d = rank; d-- > 0;) {
    if (d >= indexers.size()) {
      selections[d] = Selection{0, shape[d], 1};
    } else {
      SAFETENSORS_ASSIGN_OR_RETURN(selections[d],
                                   Select(indexers[d], d, shape[d]));
    }
    SAFETENSORS_RETURN_IF_ERROR(
        CheckAlignment(selections[d], d, shape[d], span_mod8, &narrowed));
    span_mod8 = span_mod8 * (shape[d] % 8) % 8;
  }

  bool empty = false;
  plan.shape_.reserve(rank);
  for (size_t d = 0; d < rank; ++d) {
    if (selections[d].count == 0) empty = true;
    if (d < indexers.size() && indexers[d].is_index()) continue;
    plan.shape_.push_back(selections[d].count);
  }
  if (empty) return plan;  // no runs, 0 bytes

  // Every dimension has at least one position selected, so the tensor is not
  // empty and every partial size below is at most its bit count, which
  // TensorByteSize has checked; the checks below cannot fail, but every
  // product still goes through one.
  //
  // Walk from the last dimension, in bits. The runs selected so far, inside
  // one block of the inner dimensions (`inner_bits` long), are `length` bits
  // at `offset` + sum of i_k * loops[k].stride. While they cover the whole
  // block (`whole`), a dimension with step 1 (or one position) extends the
  // run instead of adding a loop, which is how runs merge.
  uint64_t inner_bits = static_cast<uint64_t>(DtypeBits(dtype));
  uint64_t offset = 0;
  uint64_t length = inner_bits;
  bool whole = true;
  std::vector<SlicePlan::Loop> loops;  // innermost first
  for (size_t d = rank; d-- > 0;) {
    const Selection& s = selections[d];
    uint64_t start_bits;
    if (!CheckedMul(s.start, inner_bits, &start_bits))
      return Overflow("offset");
    if (whole && (s.step == 1 || s.count == 1)) {
      offset = start_bits;
      if (!CheckedMul(s.count, inner_bits, &length)) return Overflow("length");
      whole = s.start == 0 && s.count == shape[d];
    } else {
      if (!CheckedAdd(offset, start_bits, &offset)) return Overflow("offset");
      if (s.count > 1) {
        uint64_t stride;
        if (!CheckedMul(s.step, inner_bits, &stride)) {
          return Overflow("stride");
        }
        loops.push_back(SlicePlan::Loop{s.count, stride});
      }
      whole = false;
    }
    if (!CheckedMul(inner_bits, shape[d], &inner_bits)) {
      return Overflow("stride");
    }
  }

  // CheckAlignment has put every one of these on a byte: `offset` is a sum
  // of start * span, `length` is (stop - start) * span of the innermost
  // narrowed dimension (or span, or the whole tensor), and every stride is a
  // step * span that it checked.
  assert(offset % 8 == 0 && length % 8 == 0);
  for (const SlicePlan::Loop& loop : loops) {
    assert(loop.stride % 8 == 0);
    (void)loop;
  }

  plan.block_offset_ = offset / 8;
  plan.block_length_ = length / 8;
  uint64_t runs = 1;
  plan.loops_.reserve(loops.size());
  for (size_t k = loops.size(); k-- > 0;) {
    if (!CheckedMul(runs, loops[k].count, &runs)) return Overflow("run count");
    plan.loops_.push_back(SlicePlan::Loop{loops[k].count, loops[k].stride / 8});
  }
  plan.max_run_count_ = runs;
  if (!CheckedMul(runs, plan.block_length_, &plan.byte_size_)) {
    return Overflow("byte size");
  }
  return plan;
}

void SlicePlan::ForEachRun(absl::FunctionRef<void(ByteRun)> fn) const {
  if (max_run_count_ == 0) return;
  // An odometer over the loops, the last (innermost) turning fastest.
  // Positions all lie inside the tensor (PlanSlice), so nothing wraps.
  std::vector<uint64_t> index(loops_.size(), 0);
  uint64_t offset = block_offset_;
  ByteRun pending{offset, block_length_};
  for (;;) {
    size_t k = loops_.size();
    for (;;) {
      if (k == 0) {
        fn(pending);
        return;
      }
      --k;
      if (++index[k] < loops_[k].count) {
        offset += loops_[k].stride;
        break;
      }
      index[k] = 0;
      offset -= (loops_[k].count - 1) * loops_[k].stride;
    }
    if (offset == pending.offset + pending.length) {
      pending.length += block_length_;
    } else {
      fn(pending);
      pending = ByteRun{offset, block_length_};
    }
  }
}

std::vector<ByteRun> SlicePlan::Runs() const {
  std::vector<ByteRun> runs;
  runs.reserve(max_run_count_);
  ForEachRun([&runs](ByteRun run) { runs.push_back(run); });
  return runs;
}

absl::Status CopySlice(const SlicePlan& plan, absl::Span<const uint8_t> data,
                       absl::Span<uint8_t> out) {
  if (data.size() != plan.tensor_byte_size()) {
    return MakeError(ErrorKind::kInvalidTensorView,
                     absl::StrCat("tensor data is ", data.size(),
                                  " bytes, its dtype and shape need ",
                                  plan.tensor_byte_size()));
  }
  if (out.size() != plan.byte_size()) {
    return MakeError(ErrorKind::kInvalidTensorView,
                     absl::StrCat("output buffer is ", out.size(),
                                  " bytes, the slice is ", plan.byte_size()));
  }
  assert(out.empty() || data.empty() ||
         reinterpret_cast<uintptr_t>(out.data()) + out.size() <=
             reinterpret_cast<uintptr_t>(data.data()) ||
         reinterpret_cast<uintptr_t>(data.data()) + data.size() <=
             reinterpret_cast<uintptr_t>(out.data()));
  uint8_t* cursor = out.data();
  plan.ForEachRun([&cursor, &data](ByteRun run) {
    std::memcpy(cursor, data.data() + run.offset, run.length);
    cursor += run.length;
  });
  return absl::OkStatus();
}

absl::Status CopySlice(const TensorView& view,
                       absl::Span<const SliceIndexer> indexers,
                       absl::Span<uint8_t> out) {
  SAFETENSORS_ASSIGN_OR_RETURN(SlicePlan plan,
                               PlanSlice(view.dtype(), view.shape(), indexers));
  return CopySlice(plan, view.data(), out);
}

absl::StatusOr<std::vector<uint8_t>> CopySliceToVector(
    const TensorView& view, absl::Span<const SliceIndexer> indexers) {
  SAFETENSORS_ASSIGN_OR_RETURN(SlicePlan plan,
                               PlanSlice(view.dtype(), view.shape(), indexers));
  if (view.data().size() != plan.tensor_byte_size()) {
    // Reported by CopySlice; checked first so that no buffer is allocated.
    return CopySlice(plan, view.data(), absl::Span<uint8_t>());
  }
  std::vector<uint8_t> bytes(plan.byte_size());
  SAFETENSORS_RETURN_IF_ERROR(
      CopySlice(plan, view.data(), absl::MakeSpan(bytes)));
  return bytes;
}

}  // namespace safetensors
