// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/slice.h"

#include <climits>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/reader.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {

// For readable failures.
void PrintTo(const ByteRun& run, std::ostream* os) {
  *os << "[" << run.offset << "," << run.offset + run.length << ")";
}

namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// Runs given as half-open [begin, end) byte ranges, as the reference's tests
// write them (`&data[4..12]`).
ByteRun R(uint64_t begin, uint64_t end) { return ByteRun{begin, end - begin}; }

// A hand-built tensor: its shape, bytes 0, 1, 2, ... and a TensorView over
// them. Not copyable: the view points into it.
class Tensor {
 public:
  Tensor(Dtype dtype, std::vector<uint64_t> shape, uint64_t bytes)
      : shape_(std::move(shape)), data_(bytes) {
    for (uint64_t i = 0; i < bytes; ++i) data_[i] = static_cast<uint8_t>(i);
    info_.name = "t";
    info_.dtype = dtype;
    info_.shape = shape_;
    info_.begin = 0;
    info_.end = bytes;
  }
  Tensor(const Tensor&) = delete;
  Tensor& operator=(const Tensor&) = delete;

  TensorView view() const { return TensorView(info_, data_); }
  const std::vector<uint8_t>& data() const { return data_; }
  // The bytes of `runs`, concatenated.
  std::vector<uint8_t> Gather(const std::vector<ByteRun>& runs) const {
    std::vector<uint8_t> out;
    for (const ByteRun& run : runs) {
      out.insert(out.end(), data_.begin() + run.offset,
                 data_.begin() + run.offset + run.length);
    }
    return out;
  }

 private:
  std::vector<uint64_t> shape_;
  std::vector<uint8_t> data_;
  TensorInfo info_;
};

// The reference's fixture: F32 0.0 .. 5.0, 24 bytes. Its bytes are not the
// floats' (the runs are what is compared), but every byte is distinct.
constexpr uint64_t kF32x6 = 24;

// Plans, copies, and checks that the copy is the concatenation of the runs
// and that Runs(), ForEachRun and max_run_count agree.
std::vector<ByteRun> RunsOf(const Tensor& t,
                            std::vector<SliceIndexer> indexers) {
  TensorView v = t.view();
  absl::StatusOr<SlicePlan> plan = PlanSlice(v.dtype(), v.shape(), indexers);
  EXPECT_THAT(plan, IsOk());
  if (!plan.ok()) return {};
  std::vector<ByteRun> runs = plan->Runs();
  std::vector<ByteRun> walked;
  plan->ForEachRun([&walked](ByteRun run) { walked.push_back(run); });
  EXPECT_EQ(walked, runs);
  EXPECT_LE(runs.size(), plan->max_run_count());
  uint64_t total = 0;
  for (const ByteRun& run : runs) total += run.length;
  EXPECT_EQ(total, plan->byte_size());
  absl::StatusOr<std::vector<uint8_t>> copy = CopySliceToVector(v, indexers);
  EXPECT_THAT(copy, IsOk());
  if (copy.ok()) {
    EXPECT_EQ(*copy, t.Gather(runs));
  }
  return runs;
}

std::vector<uint64_t> ShapeOf(Dtype dtype, std::vector<uint64_t> shape,
                              std::vector<SliceIndexer> indexers) {
  absl::StatusOr<SlicePlan> plan = PlanSlice(dtype, shape, indexers);
  EXPECT_THAT(plan, IsOk());
  if (!plan.ok()) return {kMax};
  return std::vector<uint64_t>(plan->shape().begin(), plan->shape().end());
}

// --- docs/specification.md §14: the reference's slice.rs tests, translated.
// -------

TEST(ReferenceSlice, Helpers) {
  absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF32, {1, 2, 3}, {All()});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->byte_size(), 24u);
  EXPECT_THAT(plan->shape(), ElementsAre(1, 2, 3));

  plan = PlanSlice(Dtype::kF32, {1, 2, 3}, {All(), Range(0, 1)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->byte_size(), 12u);
  EXPECT_THAT(plan->shape(), ElementsAre(1, 1, 3));
}

TEST(ReferenceSlice, Fp4Simple) {
  Tensor t(Dtype::kF4, {1, 2, 2}, 2);
  absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF4, {1, 2, 2}, {All()});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->byte_size(), 2u);
  EXPECT_THAT(plan->shape(), ElementsAre(1, 2, 2));

  plan = PlanSlice(Dtype::kF4, {1, 2, 2}, {All(), Range(0, 1)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->byte_size(), 1u);
  EXPECT_THAT(plan->shape(), ElementsAre(1, 1, 2));
  EXPECT_THAT(RunsOf(t, {All(), Range(0, 1)}), ElementsAre(R(0, 1)));
}

TEST(ReferenceSlice, Fp4Misaligned) {
  absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF4, {1, 2}, {All()});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->byte_size(), 1u);
  EXPECT_THAT(plan->shape(), ElementsAre(1, 2));

  EXPECT_THAT(PlanSlice(Dtype::kF4, {1, 2}, {All(), Range(0, 1)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kMisalignedSlice));
}

TEST(ReferenceSlice, Dummy) {
  Tensor t(Dtype::kF32, {1, 2, 3}, kF32x6);
  EXPECT_THAT(RunsOf(t, {All()}), ElementsAre(R(0, 24)));
  EXPECT_THAT(RunsOf(t, {All(), All()}), ElementsAre(R(0, 24)));
  EXPECT_THAT(RunsOf(t, {All(), All(), All()}), ElementsAre(R(0, 24)));
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, {1, 2, 3}, {All(), All(), All(), All()}),
      StatusIs(absl::StatusCode::kInvalidArgument, ErrorKind::kTooManySlices));
}

TEST(ReferenceSlice, SliceVariety) {
  Tensor t(Dtype::kF32, {1, 2, 3}, kF32x6);
  EXPECT_THAT(RunsOf(t, {Range(0, 1)}), ElementsAre(R(0, 24)));
  EXPECT_THAT(RunsOf(t, {All(), Range(0, 1)}), ElementsAre(R(0, 12)));
  EXPECT_THAT(RunsOf(t, {All(), All(), Range(0, 1)}),
              ElementsAre(R(0, 4), R(12, 16)));
  EXPECT_THAT(RunsOf(t, {All(), Range(1, 2), Range(0, 1)}),
              ElementsAre(R(12, 16)));
}

TEST(ReferenceSlice, SliceVariety2) {
  Tensor t(Dtype::kF32, {2, 3}, kF32x6);
  EXPECT_THAT(RunsOf(t, {All(), Range(1, 3)}),
              ElementsAre(R(4, 12), R(16, 24)));
}

TEST(ReferenceSlice, SliceSelect) {
  Tensor t(Dtype::kF32, {2, 3}, kF32x6);
  EXPECT_THAT(RunsOf(t, {Index(1), Range(1, 3)}), ElementsAre(R(16, 24)));
  EXPECT_THAT(RunsOf(t, {Index(0), Range(1, 3)}), ElementsAre(R(4, 12)));
  EXPECT_THAT(RunsOf(t, {Range(1, 2), Index(0)}), ElementsAre(R(12, 16)));
  EXPECT_THAT(ShapeOf(Dtype::kF32, {2, 3}, {Index(1), Range(1, 3)}),
              ElementsAre(2));
  EXPECT_THAT(ShapeOf(Dtype::kF32, {2, 3}, {Range(1, 2), Index(0)}),
              ElementsAre(1));
}

TEST(ReferenceSlice, InvalidRange) {
  // 1..4 on the dimension of 3: stop past the end, asked 3. Unchanged.
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, {2, 3}, {Index(1), Range(1, 4)}),
      StatusIs(absl::StatusCode::kOutOfRange, ErrorKind::kSliceOutOfRange));
  // 3..2: start > stop, but the reference reports SliceOutOfRange (asked 3)
  // because start 3 is past the last position of the dimension of 3, and it
  // checks that first. docs/specification.md §14 only replaces the reference's
  // *panic* for start > stop (when both bounds are in range) with
  // InvalidSliceRange, so this expectation still holds; 2..1 below is the case
  // docs/specification.md changes.
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, {2, 3}, {Index(1), Range(3, 2)}),
      StatusIs(absl::StatusCode::kOutOfRange, ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, {2, 3}, {Index(1), Index(1), Index(1)}),
      StatusIs(absl::StatusCode::kInvalidArgument, ErrorKind::kTooManySlices));
}

// The reference (0.8.x after the snapshot) fixed an empty strided range
// returning the whole tensor (#855).
TEST(ReferenceSlice, EmptyStridedSliceHasNoBytes) {
  Tensor t(Dtype::kF32, {2, 3}, kF32x6);
  EXPECT_THAT(RunsOf(t, {Range(0, 0, 2)}), IsEmpty());
  EXPECT_THAT(ShapeOf(Dtype::kF32, {2, 3}, {Range(0, 0, 2)}),
              ElementsAre(0, 3));
  EXPECT_THAT(RunsOf(t, {Range(0, 0, 2), All()}), IsEmpty());
}

// --- docs/specification.md §14: this project's decisions.
// ---------------------------------

TEST(Slice, StartAfterStopIsInvalidSliceRange) {
  // The reference panics ("subtract with overflow").
  EXPECT_THAT(PlanSlice(Dtype::kF32, {2, 3}, {Index(1), Range(2, 1)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidSliceRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {2, 3}, {Range(1, 0)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidSliceRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {2, 3}, {Range(1, 0, 3)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidSliceRange));
}

TEST(Slice, StepZeroIsInvalidSliceRange) {
  EXPECT_THAT(PlanSlice(Dtype::kF32, {6}, {Range(0, 6, 0)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidSliceRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {6}, {RangeFrom(0, 0)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidSliceRange));
  // Even an empty range needs a step.
  EXPECT_THAT(PlanSlice(Dtype::kF32, {6}, {Range(2, 2, 0)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidSliceRange));
}

// Several defects: the last dimension's is reported, as the reference walks
// the dimensions from the last.
TEST(Slice, ErrorPrecedence) {
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, {3, 3}, {Range(2, 1), Range(0, 9)}),
      StatusIs(absl::StatusCode::kOutOfRange, ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {3, 3}, {Range(0, 9), Range(2, 1)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidSliceRange));
  // The tensor's own validity comes before the indexers.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {3}, {All(), All()}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kU8, {kMax, 2}, {All(), All(), All()}),
              StatusIs(ErrorKind::kValidationOverflow));
  // TooManySlices comes before any dimension's check.
  EXPECT_THAT(PlanSlice(Dtype::kU8, {2}, {Index(5), Index(5)}),
              StatusIs(ErrorKind::kTooManySlices));
  // Range and alignment are checked per dimension, from the last: a
  // misaligned inner dimension before an out-of-range (or reversed) outer
  // one, and the other way round.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {Range(0, 9), Range(1, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {Index(4), Range(1, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {Range(2, 1), Range(1, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Index(1), Range(0, 9)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Index(1), Range(2, 1)}),
              StatusIs(ErrorKind::kInvalidSliceRange));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Index(1), Range(0, 2, 0)}),
              StatusIs(ErrorKind::kInvalidSliceRange));
  // Within one dimension, the range comes first.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {All(), Range(1, 9)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {All(), Range(3, 1)}),
              StatusIs(ErrorKind::kInvalidSliceRange));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {All(), Range(1, 3, 0)}),
              StatusIs(ErrorKind::kInvalidSliceRange));
}

TEST(Slice, SizeZeroDimensions) {
  // The reference rejects any explicit indexer on a size-0 dimension.
  Tensor empty(Dtype::kF32, {0}, 0);
  EXPECT_THAT(RunsOf(empty, {All()}), IsEmpty());
  EXPECT_THAT(RunsOf(empty, {Range(0, 0)}), IsEmpty());
  EXPECT_THAT(RunsOf(empty, {}), IsEmpty());
  EXPECT_THAT(ShapeOf(Dtype::kF32, {0}, {All()}), ElementsAre(0));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {0}, {Index(0)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {0}, {Range(0, 1)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {0}, {RangeFrom(1)}),
              StatusIs(ErrorKind::kSliceOutOfRange));

  Tensor t(Dtype::kF32, {2, 0, 3}, 0);
  EXPECT_THAT(RunsOf(t, {Index(1), All(), Range(1, 3)}), IsEmpty());
  EXPECT_THAT(ShapeOf(Dtype::kF32, {2, 0, 3}, {Index(1), All(), Range(1, 3)}),
              ElementsAre(0, 2));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {2, 0, 3}, {Index(2)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {2, 0, 3}, {All(), All(), Index(3)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
}

TEST(Slice, EmptyRanges) {
  Tensor t(Dtype::kF32, {2, 3}, kF32x6);
  EXPECT_THAT(RunsOf(t, {Range(1, 1)}), IsEmpty());
  EXPECT_THAT(RunsOf(t, {All(), Range(2, 2)}), IsEmpty());
  EXPECT_THAT(ShapeOf(Dtype::kF32, {2, 3}, {All(), Range(2, 2)}),
              ElementsAre(2, 0));
  // At the end of the dimension: allowed here, SliceOutOfRange in the
  // reference (Python's x[3:3] and x[3:] are empty).
  EXPECT_THAT(RunsOf(t, {All(), Range(3, 3)}), IsEmpty());
  EXPECT_THAT(RunsOf(t, {All(), RangeFrom(3)}), IsEmpty());
  EXPECT_THAT(RunsOf(t, {RangeFrom(2, 5)}), IsEmpty());
  // Past the end, even when empty.
  EXPECT_THAT(PlanSlice(Dtype::kF32, {2, 3}, {All(), Range(4, 4)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {2, 3}, {All(), RangeFrom(4)}),
              StatusIs(ErrorKind::kSliceOutOfRange));

  absl::StatusOr<SlicePlan> plan =
      PlanSlice(Dtype::kF32, {2, 3}, {Range(1, 1)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->empty());
  EXPECT_EQ(plan->byte_size(), 0u);
  EXPECT_EQ(plan->max_run_count(), 0u);
}

TEST(Slice, Steps) {
  Tensor t(Dtype::kF32, {6}, 24);
  EXPECT_THAT(RunsOf(t, {Range(0, 6, 2)}),
              ElementsAre(R(0, 4), R(8, 12), R(16, 20)));
  EXPECT_THAT(ShapeOf(Dtype::kF32, {6}, {Range(0, 6, 2)}), ElementsAre(3));
  EXPECT_THAT(RunsOf(t, {Range(1, 6, 4)}), ElementsAre(R(4, 8), R(20, 24)));
  EXPECT_THAT(ShapeOf(Dtype::kF32, {6}, {Range(1, 6, 4)}), ElementsAre(2));
  EXPECT_THAT(RunsOf(t, {RangeFrom(1, 2)}),
              ElementsAre(R(4, 8), R(12, 16), R(20, 24)));
  EXPECT_THAT(RunsOf(t, {Range(0, 6, 1)}), ElementsAre(R(0, 24)));
  // slice.h's usage example.
  Tensor bytes(Dtype::kU8, {6}, 6);
  EXPECT_THAT(RunsOf(bytes, {RangeFrom(1, 4)}), ElementsAre(R(1, 2), R(5, 6)));
  EXPECT_THAT(RunsOf(t, {Range(5, 6, 9)}), ElementsAre(R(20, 24)));
  EXPECT_THAT(RunsOf(t, {Range(0, 6, kMax)}), ElementsAre(R(0, 4)));

  // Strided rows stay whole rows.
  Tensor m(Dtype::kF32, {4, 3}, 48);
  EXPECT_THAT(RunsOf(m, {Range(0, 4, 2)}), ElementsAre(R(0, 12), R(24, 36)));
  EXPECT_THAT(RunsOf(m, {Range(1, 4, 2), Range(1, 3)}),
              ElementsAre(R(16, 24), R(40, 48)));

  // Elements that touch across rows merge: [:, ::2] of a [2,3] tensor
  // selects elements 0, 2, 3, 5.
  Tensor u(Dtype::kF32, {2, 3}, kF32x6);
  EXPECT_THAT(RunsOf(u, {All(), RangeFrom(0, 2)}),
              ElementsAre(R(0, 4), R(8, 16), R(20, 24)));
  absl::StatusOr<SlicePlan> plan =
      PlanSlice(Dtype::kF32, {2, 3}, {All(), RangeFrom(0, 2)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->max_run_count(), 4u);
  EXPECT_THAT(plan->shape(), ElementsAre(2, 2));
}

// docs/specification.md §8 (sub-byte rule; sub-byte slicing is §14).
TEST(Slice, SubByte) {
  Tensor f4(Dtype::kF4, {4, 4}, 8);
  EXPECT_THAT(RunsOf(f4, {All(), Range(0, 2)}),
              ElementsAre(R(0, 1), R(2, 3), R(4, 5), R(6, 7)));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {All(), Range(1, 3)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {All(), Range(0, 1)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(RunsOf(f4, {Range(1, 3)}), ElementsAre(R(2, 6)));
  EXPECT_THAT(RunsOf(f4, {Index(3), Range(2, 4)}), ElementsAre(R(7, 8)));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {Index(3), Range(1, 3)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  // A step of 2 over F4 puts every element in the low or the high half.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 4}, {All(), RangeFrom(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(RunsOf(f4, {RangeFrom(0, 2)}), ElementsAre(R(0, 2), R(4, 6)));

  Tensor f6(Dtype::kF6E2M3, {4, 4}, 12);
  EXPECT_THAT(RunsOf(f6, {Range(1, 2)}), ElementsAre(R(3, 6)));
  EXPECT_THAT(PlanSlice(Dtype::kF6E2M3, {4, 4}, {All(), Range(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF6E3M2, {4, 4}, {All(), Range(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(RunsOf(f6, {All(), Range(0, 4)}), ElementsAre(R(0, 12)));

  // Empty ranges are checked at their start, as the reference checks
  // [start * span, stop * span).
  Tensor f4_1d(Dtype::kF4, {4}, 2);
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4}, {Range(1, 1)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4}, {Range(3, 3, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(RunsOf(f4_1d, {Range(2, 2)}), IsEmpty());
  EXPECT_THAT(RunsOf(f4_1d, {Range(2, 2, 3)}), IsEmpty());
  EXPECT_THAT(RunsOf(f4_1d, {RangeFrom(4)}), IsEmpty());
  // The tensor itself must be whole bytes.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {}, {}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF6E2M3, {2, 3}, {}),
              StatusIs(ErrorKind::kMisalignedSlice));
  // Every position of a dimension is the dimension taken whole, whatever the
  // indexer, as Narrow(0, size) and an index 0 of a dimension of 1 are in the
  // reference: only the span grows.
  Tensor f4_col(Dtype::kF4, {2, 1}, 1);
  EXPECT_THAT(RunsOf(f4_col, {All(), Range(0, 1, 2)}), ElementsAre(R(0, 1)));
  EXPECT_THAT(RunsOf(f4_col, {All(), Index(0)}), ElementsAre(R(0, 1)));
  EXPECT_THAT(RunsOf(f4_col, {All(), RangeFrom(0, 5)}), ElementsAre(R(0, 1)));
  EXPECT_THAT(RunsOf(f4_col, {Range(0, 2), Range(0, 1)}), ElementsAre(R(0, 1)));
  // Narrowing the outer dimension of it leaves half a byte.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 1}, {Index(0), All()}),
              StatusIs(ErrorKind::kMisalignedSlice));
  // Whole bytes in the tensor, misaligned within the row: elements 4 and 5
  // are exactly byte 2, but row 1 starts at bit 12.
  Tensor f4_odd(Dtype::kF4, {2, 3}, 3);
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Index(1), Range(1, 3)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Index(1), Range(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(RunsOf(f4_odd, {Index(0), Range(0, 2)}), ElementsAre(R(0, 1)));
  // An outer dimension is checked even when it selects nothing, and an outer
  // dimension after an inner empty one.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Range(1, 1), Range(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Range(1, 1)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {Index(1), Range(2, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(RunsOf(f4_odd, {Range(0, 0), Range(0, 2)}), IsEmpty());
  EXPECT_THAT(RunsOf(f4_odd, {Range(2, 2), Range(0, 2)}), IsEmpty());
  EXPECT_THAT(RunsOf(f4_odd, {Index(0), Range(2, 2)}), IsEmpty());
  // An outer whole dimension repeats the runs a row (12 bits) apart.
  EXPECT_THAT(PlanSlice(Dtype::kF4, {2, 3}, {All(), Range(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  // Outer steps: each repeat must start on a byte. Rows of 3 are 12 bits, so
  // every other row, each its own run of a row, is misaligned.
  Tensor f4_rows(Dtype::kF4, {4, 3}, 6);
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 3}, {RangeFrom(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(RunsOf(f4_rows, {RangeFrom(0, 2), Range(0, 2)}),
              ElementsAre(R(0, 1), R(3, 4)));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 3}, {RangeFrom(1, 2), Range(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {4, 3}, {RangeFrom(0, 3), Range(0, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
  // One position: the step does not matter.
  EXPECT_THAT(RunsOf(f4_rows, {Range(2, 4, 3), Range(0, 2)}),
              ElementsAre(R(3, 4)));
  // F6 rows of 4 are 3 bytes; two elements are 12 bits.
  EXPECT_THAT(RunsOf(f6, {RangeFrom(1, 2), Range(0, 4)}),
              ElementsAre(R(3, 6), R(9, 12)));
  EXPECT_THAT(PlanSlice(Dtype::kF6E3M2, {4, 4}, {Index(1), Range(0, 4, 2)}),
              StatusIs(ErrorKind::kMisalignedSlice));
}

// docs/specification.md §14, test_numpy_slice / test_torch_slice over a [10, 5]
// tensor (negative indices and lists are the Python binding's; the empty
// list `[[]]` is the empty range 0..0).
TEST(Slice, PythonExpectations) {
  const std::vector<uint64_t> shape = {10, 5};
  Tensor t(Dtype::kF32, shape, 200);
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {All()}), ElementsAre(10, 5));
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {}), ElementsAre(10, 5));
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {Range(0, 2)}), ElementsAre(2, 5));
  EXPECT_THAT(RunsOf(t, {Range(0, 2)}), ElementsAre(R(0, 40)));
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {All(), Range(0, 2)}),
              ElementsAre(10, 2));
  EXPECT_EQ(RunsOf(t, {All(), Range(0, 2)}).size(), 10u);
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {Index(0), Range(0, 2)}),
              ElementsAre(2));
  EXPECT_THAT(RunsOf(t, {Index(0), Range(0, 2)}), ElementsAre(R(0, 8)));
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {RangeFrom(2), Index(0)}),
              ElementsAre(8));
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {RangeFrom(2), Index(1)}),
              ElementsAre(8));
  EXPECT_THAT(RunsOf(t, {RangeFrom(2), Index(1)}).front(), R(44, 48));
  EXPECT_THAT(ShapeOf(Dtype::kF32, shape, {Range(0, 0)}), ElementsAre(0, 5));
  // Asked 20, 19 and 19 in the reference's message.
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, shape, {RangeFrom(2), Index(20)}),
      StatusIs(absl::StatusCode::kOutOfRange, ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, shape, {Range(0, 20)}),
      StatusIs(absl::StatusCode::kOutOfRange, ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(
      PlanSlice(Dtype::kF32, shape, {All(), Range(0, 20)}),
      StatusIs(absl::StatusCode::kOutOfRange, ErrorKind::kSliceOutOfRange));
}

TEST(Slice, HugeValuesInIndexers) {
  EXPECT_THAT(PlanSlice(Dtype::kU8, {5}, {Index(kMax)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kU8, {5}, {Range(0, kMax)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kU8, {5}, {Range(kMax, kMax)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kU8, {5}, {RangeFrom(kMax)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(PlanSlice(Dtype::kU8, {5}, {Range(kMax, 2)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  // The largest U8 tensor whose bit count fits in 64 bits.
  EXPECT_THAT(
      PlanSlice(Dtype::kU8, {kMax / 8}, {Range(kMax / 8 - 1, kMax / 8)}),
      IsOk());
}

TEST(Slice, Overflow) {
  // Element count over 2^64 - 1.
  EXPECT_THAT(PlanSlice(Dtype::kU8, {uint64_t{1} << 63, 2}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kValidationOverflow));
  EXPECT_THAT(PlanSlice(Dtype::kF32, {kMax / 2 + 1, 2}, {Index(0)}),
              StatusIs(ErrorKind::kValidationOverflow));
  // Element count fits, bit count does not.
  EXPECT_THAT(PlanSlice(Dtype::kF64, {uint64_t{1} << 61}, {All()}),
              StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_THAT(PlanSlice(Dtype::kF4, {uint64_t{1} << 62}, {}),
              StatusIs(ErrorKind::kValidationOverflow));
  // The reference's test_validation_overflow shapes.
  EXPECT_THAT(PlanSlice(Dtype::kI32, {2, kMax - 1}, {}),
              StatusIs(ErrorKind::kValidationOverflow));
  EXPECT_THAT(PlanSlice(Dtype::kI32, {2, kMax / 2}, {}),
              StatusIs(ErrorKind::kValidationOverflow));
  // An empty tensor whose inner dimensions alone would overflow: fine, the
  // element count is 0 from the left (TensorByteSize's rule).
  absl::StatusOr<SlicePlan> plan =
      PlanSlice(Dtype::kF64, {0, uint64_t{1} << 40, uint64_t{1} << 40},
                {All(), Index(5), Range(1, 3)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(plan->shape(), ElementsAre(0, 2));
  EXPECT_EQ(plan->byte_size(), 0u);
  EXPECT_THAT(plan->Runs(), IsEmpty());
}

// Planning is O(rank) however many runs there are; the runs are few when the
// inner dimensions are taken whole.
TEST(Slice, LargeTensors) {
  // Rows 10..19 of a 1 GiB F32 [262144, 1024] tensor: one run.
  absl::StatusOr<SlicePlan> plan =
      PlanSlice(Dtype::kF32, {262144, 1024}, {Range(10, 20)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->max_run_count(), 1u);
  EXPECT_THAT(plan->Runs(), ElementsAre(R(10 * 4096, 20 * 4096)));
  // Every other row: 131072 runs of a row each.
  plan = PlanSlice(Dtype::kF32, {262144, 1024}, {RangeFrom(0, 2)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->max_run_count(), 131072u);
  EXPECT_EQ(plan->byte_size(), uint64_t{1} << 29);

  // A 1 EiB tensor, planned without touching a run.
  const uint64_t rows = uint64_t{1} << 30;
  const uint64_t cols = uint64_t{1} << 30;
  plan = PlanSlice(Dtype::kU8, {rows, cols}, {All(), RangeFrom(0, 2)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->max_run_count(), uint64_t{1} << 59);
  EXPECT_EQ(plan->byte_size(), uint64_t{1} << 59);
  EXPECT_THAT(plan->shape(), ElementsAre(rows, cols / 2));
  plan = PlanSlice(Dtype::kU8, {rows, cols}, {Range(1, rows), Range(8, 16)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->max_run_count(), rows - 1);
  EXPECT_EQ(plan->byte_size(), (rows - 1) * 8);
  plan =
      PlanSlice(Dtype::kU8, {rows, cols}, {Index(rows - 1), Index(cols - 1)});
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(plan->shape(), IsEmpty());
  EXPECT_THAT(plan->Runs(),
              ElementsAre(R((uint64_t{1} << 60) - 1, uint64_t{1} << 60)));
}

TEST(Slice, Scalars) {
  Tensor t(Dtype::kF64, {}, 8);
  EXPECT_THAT(RunsOf(t, {}), ElementsAre(R(0, 8)));
  EXPECT_THAT(ShapeOf(Dtype::kF64, {}, {}), IsEmpty());
  EXPECT_THAT(PlanSlice(Dtype::kF64, {}, {All()}),
              StatusIs(ErrorKind::kTooManySlices));
  Tensor one(Dtype::kI16, {3}, 6);
  EXPECT_THAT(RunsOf(one, {Index(2)}), ElementsAre(R(4, 6)));
  EXPECT_THAT(ShapeOf(Dtype::kI16, {3}, {Index(2)}), IsEmpty());
}

TEST(CopySlice, CopiesIntoTheBuffer) {
  Tensor t(Dtype::kF32, {2, 3}, kF32x6);
  std::vector<uint8_t> out(16, 0xAA);
  ASSERT_THAT(CopySlice(t.view(), {All(), Range(1, 3)}, absl::MakeSpan(out)),
              IsOk());
  EXPECT_THAT(out, ElementsAre(4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21,
                               22, 23));

  absl::StatusOr<SlicePlan> plan =
      PlanSlice(Dtype::kF32, {2, 3}, {Range(1, 2), Index(0)});
  ASSERT_THAT(plan, IsOk());
  std::vector<uint8_t> small(4);
  ASSERT_THAT(CopySlice(*plan, t.data(), absl::MakeSpan(small)), IsOk());
  EXPECT_THAT(small, ElementsAre(12, 13, 14, 15));

  std::vector<uint8_t> none;
  EXPECT_THAT(CopySlice(t.view(), {Range(2, 2)}, absl::MakeSpan(none)), IsOk());
}

TEST(CopySlice, Errors) {
  Tensor t(Dtype::kF32, {2, 3}, kF32x6);
  std::vector<uint8_t> out(15, 0xAA);
  // The buffer is one byte short: nothing is written.
  EXPECT_THAT(CopySlice(t.view(), {All(), Range(1, 3)}, absl::MakeSpan(out)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ErrorKind::kInvalidTensorView));
  EXPECT_THAT(out, ::testing::Each(0xAA));
  out.resize(17, 0xAA);
  EXPECT_THAT(CopySlice(t.view(), {All(), Range(1, 3)}, absl::MakeSpan(out)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(out, ::testing::Each(0xAA));
  // PlanSlice's errors come first.
  EXPECT_THAT(CopySlice(t.view(), {Index(2)}, absl::MakeSpan(out)),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(CopySliceToVector(t.view(), {All(), All(), All()}),
              StatusIs(ErrorKind::kTooManySlices));

  // A view built by hand whose bytes do not match its dtype and shape.
  std::vector<uint64_t> shape = {2, 3};
  std::vector<uint8_t> data(20);
  TensorInfo info;
  info.name = "short";
  info.dtype = Dtype::kF32;
  info.shape = shape;
  TensorView bad(info, data);
  std::vector<uint8_t> out8(8, 0xAA);
  EXPECT_THAT(CopySlice(bad, {Index(0), Range(0, 2)}, absl::MakeSpan(out8)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(out8, ::testing::Each(0xAA));
  EXPECT_THAT(CopySliceToVector(bad, {Index(0)}),
              StatusIs(ErrorKind::kInvalidTensorView));

  absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kF32, {2, 3}, {Index(0)});
  ASSERT_THAT(plan, IsOk());
  std::vector<uint8_t> out12(12);
  EXPECT_THAT(CopySlice(*plan, data, absl::MakeSpan(out12)),
              StatusIs(ErrorKind::kInvalidTensorView));
}

// Through the parser: a file's tensor, sliced.
TEST(CopySlice, FromAParsedFile) {
  std::string data;
  for (int i = 0; i < 24; ++i) data.push_back(static_cast<char>(100 + i));
  const std::string file = safetensors::test::MakeFile(
      R"({"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}})", data);
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(absl::string_view(file));
  ASSERT_THAT(st, IsOk());
  absl::StatusOr<TensorView> w = st->Tensor("w");
  ASSERT_THAT(w, IsOk());
  absl::StatusOr<std::vector<uint8_t>> col =
      CopySliceToVector(*w, {All(), Index(2)});
  ASSERT_THAT(col, IsOk());
  EXPECT_THAT(*col, ElementsAre(108, 109, 110, 111, 120, 121, 122, 123));
}

// --- A randomized comparison against a slow element-by-element model. -----

struct Expected {
  std::optional<ErrorKind> error;
  std::vector<uint64_t> shape;
  std::vector<ByteRun> runs;
};

using BitRange = std::pair<uint64_t, uint64_t>;  // [begin, end) in bits

// Concatenates the bit ranges that touch.
std::vector<BitRange> Merge(const std::vector<BitRange>& ranges) {
  std::vector<BitRange> merged;
  for (const BitRange& r : ranges) {
    if (!merged.empty() && merged.back().second == r.first) {
      merged.back().second = r.second;
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

// The model. Range checks and the reference's alignment rule
// (docs/specification.md §14, "Alignment rule", with this project's steps and
// empty ranges) dimension by dimension from the last, as the reference walks
// them: it keeps the reference's list of bit runs, starts it at the innermost
// dimension that does not select every position, and checks every bit position
// it computes, one selected position at a time. The result is then listed
// element by element (every selected element's bit range in row-major
// order, merged where they touch), independently of that walk, and the two
// are compared. Errors in the order PlanSlice documents.
Expected Model(Dtype dtype, const std::vector<uint64_t>& shape,
               const std::vector<SliceIndexer>& indexers) {
  Expected e;
  const uint64_t bits = DtypeBits(dtype);
  uint64_t elements = 1;
  for (uint64_t d : shape) {
    if (__builtin_mul_overflow(elements, d, &elements)) {
      e.error = ErrorKind::kValidationOverflow;
      return e;
    }
  }
  uint64_t total_bits;
  if (__builtin_mul_overflow(elements, bits, &total_bits)) {
    e.error = ErrorKind::kValidationOverflow;
    return e;
  }
  if (total_bits % 8 != 0) {
    e.error = ErrorKind::kMisalignedSlice;
    return e;
  }
  if (indexers.size() > shape.size()) {
    e.error = ErrorKind::kTooManySlices;
    return e;
  }
  const size_t rank = shape.size();
  std::vector<std::vector<uint64_t>> positions(rank);
  // The reference's walk: `span` is the bits of one position of dimension
  // d; `ref_runs` the runs so far, once `sliced`. The test shapes are small,
  // so nothing here overflows.
  uint64_t span = bits;
  bool sliced = false;
  std::vector<BitRange> ref_runs;
  for (size_t d = rank; d-- > 0;) {
    const uint64_t n = shape[d];
    uint64_t first;  // the first position asked for, even if none is taken
    if (d >= indexers.size()) {
      first = 0;
      for (uint64_t i = 0; i < n; ++i) positions[d].push_back(i);
    } else if (indexers[d].is_index()) {
      const SliceIndexer& ix = indexers[d];
      if (ix.start() >= n) {
        e.error = ErrorKind::kSliceOutOfRange;
        return e;
      }
      first = ix.start();
      positions[d].push_back(ix.start());
    } else {
      const SliceIndexer& ix = indexers[d];
      const uint64_t start = ix.start();
      const uint64_t stop = ix.stop(n);
      const bool empty = start == stop;
      if (stop > n || (start >= n && !empty)) {
        e.error = ErrorKind::kSliceOutOfRange;
        return e;
      }
      if (start > stop || ix.step() == 0) {
        e.error = ErrorKind::kInvalidSliceRange;
        return e;
      }
      first = start;
      for (uint64_t i = start; i < stop; i += ix.step()) {
        positions[d].push_back(i);
      }
    }

    const std::vector<uint64_t>& p = positions[d];
    std::vector<uint64_t> every(n);
    for (uint64_t i = 0; i < n; ++i) every[i] = i;
    bool consecutive = true;
    for (size_t i = 1; i < p.size(); ++i) {
      if (p[i] != p[i - 1] + 1) consecutive = false;
    }
    auto on_byte = [](uint64_t bit) { return bit % 8 == 0; };
    bool aligned = true;
    if (!sliced) {
      if (p != every) {
        sliced = true;
        if (consecutive) {
          // One run, [first, first + count) positions.
          const uint64_t begin = first * span;
          const uint64_t end = (first + p.size()) * span;
          aligned = on_byte(begin) && on_byte(end);
          ref_runs.push_back({begin, end});
        } else {
          // A step: every element its own run.
          for (uint64_t i : p) {
            aligned = aligned && on_byte(i * span) && on_byte((i + 1) * span);
            ref_runs.push_back({i * span, (i + 1) * span});
          }
        }
      }
    } else {
      aligned = on_byte(first * span);
      std::vector<BitRange> repeated;
      for (uint64_t i : p) {
        aligned = aligned && on_byte(i * span);
        for (const BitRange& r : ref_runs) {
          repeated.push_back({r.first + i * span, r.second + i * span});
        }
      }
      ref_runs = repeated;
    }
    if (!aligned) {
      e.error = ErrorKind::kMisalignedSlice;
      return e;
    }
    span *= n;
  }
  if (!sliced) ref_runs = {{0, total_bits}};

  for (size_t d = 0; d < rank; ++d) {
    if (d < indexers.size() && indexers[d].is_index()) continue;
    e.shape.push_back(positions[d].size());
  }
  for (const auto& p : positions) {
    if (p.empty()) return e;  // no element
  }
  // Bit ranges of the elements, merged.
  std::vector<BitRange> element_runs;
  std::vector<size_t> odometer(rank, 0);
  for (;;) {
    uint64_t flat = 0;
    for (size_t d = 0; d < rank; ++d) {
      flat = flat * shape[d] + positions[d][odometer[d]];
    }
    element_runs.push_back({flat * bits, (flat + 1) * bits});
    bool done = true;
    for (size_t d = rank; d-- > 0;) {
      if (++odometer[d] < positions[d].size()) {
        done = false;
        break;
      }
      odometer[d] = 0;
    }
    if (done) break;
  }
  const std::vector<BitRange> merged = Merge(element_runs);
  // The model's own consistency: the reference's runs are the same bits,
  // and a slice that passes the per-dimension rule has byte-aligned runs.
  EXPECT_EQ(Merge(ref_runs), merged) << "model inconsistent";
  for (const auto& [begin, end] : merged) {
    EXPECT_TRUE(begin % 8 == 0 && end % 8 == 0) << "model inconsistent";
    e.runs.push_back(ByteRun{begin / 8, (end - begin) / 8});
  }
  return e;
}

std::string Describe(Dtype dtype, const std::vector<uint64_t>& shape,
                     const std::vector<SliceIndexer>& indexers) {
  std::string s =
      absl::StrCat(DtypeName(dtype), " [", absl::StrJoin(shape, ","), "] [");
  for (size_t i = 0; i < indexers.size(); ++i) {
    const SliceIndexer& ix = indexers[i];
    if (i > 0) s += ", ";
    if (ix.is_index()) {
      absl::StrAppend(&s, ix.start());
    } else {
      absl::StrAppend(
          &s, ix.start(), ":",
          ix.stop_is_end() ? std::string() : absl::StrCat(ix.stop(0)), ":",
          ix.step());
    }
  }
  return s + "]";
}

TEST(SliceProperty, MatchesElementByElementModel) {
  std::mt19937_64 rng(20260101);
  auto below = [&rng](uint64_t n) { return n == 0 ? 0 : rng() % n; };
  const absl::Span<const Dtype> dtypes = AllDtypes();
  const Dtype sub_byte[] = {Dtype::kF4, Dtype::kF6E2M3, Dtype::kF6E3M2};
  int ok = 0, sub_byte_ok = 0, errors = 0, empty = 0;
  std::vector<int> kinds(kNumErrorKinds, 0);
  constexpr int kCases = 20000;
  for (int c = 0; c < kCases; ++c) {
    const Dtype dtype =
        below(3) == 0 ? sub_byte[below(3)] : dtypes[below(dtypes.size())];
    const size_t rank = below(5);
    std::vector<uint64_t> shape(rank);
    for (uint64_t& d : shape) d = below(8) == 0 ? 0 : 1 + below(5);
    // Mostly whole-byte tensors: round a sub-byte tensor's last dimension
    // up so that its bit count is a multiple of 8.
    if (rank > 0 && DtypeBits(dtype) < 8 && below(8) != 0) {
      const uint64_t unit = DtypeBits(dtype) == 4 ? 2 : 4;
      shape.back() = (shape.back() + unit - 1) / unit * unit;
    }
    const size_t count = below(10) == 0 ? rank + 1 : below(rank + 1);
    std::vector<SliceIndexer> indexers;
    for (size_t i = 0; i < count; ++i) {
      const uint64_t n = i < rank ? shape[i] : 3;
      const uint64_t step = below(12) == 0 ? 0 : 1 + below(3);
      switch (below(6)) {
        case 0:
          indexers.push_back(Index(below(n + 2)));
          break;
        case 1:
          indexers.push_back(All());
          break;
        case 2:
          indexers.push_back(RangeFrom(below(n + 2), step));
          break;
        default: {
          // Mostly ordered, in range; sometimes anything.
          uint64_t a = below(n + 1), b = below(n + 1);
          if (below(8) != 0 && a > b) std::swap(a, b);
          if (below(10) == 0) b = n + 1 + below(2);
          indexers.push_back(Range(a, b, step));
        }
      }
    }
    SCOPED_TRACE(Describe(dtype, shape, indexers));

    const Expected want = Model(dtype, shape, indexers);
    absl::StatusOr<SlicePlan> plan = PlanSlice(dtype, shape, indexers);
    if (want.error.has_value()) {
      ++errors;
      ++kinds[static_cast<int>(*want.error)];
      ASSERT_THAT(plan, StatusIs(*want.error));
      continue;
    }
    ASSERT_THAT(plan, IsOk());
    ++ok;
    if (DtypeBits(dtype) < 8) ++sub_byte_ok;
    if (want.runs.empty()) ++empty;
    ASSERT_THAT(plan->shape(), ElementsAreArray(want.shape));
    ASSERT_EQ(plan->Runs(), want.runs);
    uint64_t bytes = 0;
    for (const ByteRun& run : want.runs) bytes += run.length;
    ASSERT_EQ(plan->byte_size(), bytes);
    ASSERT_GE(plan->max_run_count(), want.runs.size());

    Tensor t(dtype, shape, plan->tensor_byte_size());
    absl::StatusOr<std::vector<uint8_t>> copy =
        CopySliceToVector(t.view(), indexers);
    ASSERT_THAT(copy, IsOk());
    ASSERT_EQ(*copy, t.Gather(want.runs));
  }
  // The generator reaches every outcome.
  EXPECT_GT(ok, kCases / 4);
  EXPECT_GT(sub_byte_ok, kCases / 20);
  EXPECT_GT(empty, kCases / 50);
  EXPECT_GT(kinds[static_cast<int>(ErrorKind::kSliceOutOfRange)], 100);
  EXPECT_GT(kinds[static_cast<int>(ErrorKind::kInvalidSliceRange)], 100);
  EXPECT_GT(kinds[static_cast<int>(ErrorKind::kTooManySlices)], 100);
  EXPECT_GT(kinds[static_cast<int>(ErrorKind::kMisalignedSlice)], 100);
}

// Every sub-byte slice of small shapes, exhaustively, against the model: the
// plan checks alignment per dimension from start, count and step, the model
// position by position on the reference's list of runs.
TEST(SliceProperty, SubByteAlignmentIsExact) {
  const Dtype sub_byte[] = {Dtype::kF4, Dtype::kF6E2M3};
  // Ranges over a dimension of n: all start < stop <= n with steps 1 and 2,
  // every empty one (start == stop <= n), and an index for each position.
  auto choices = [](uint64_t n) {
    std::vector<SliceIndexer> out;
    for (uint64_t i = 0; i < n; ++i) out.push_back(Index(i));
    for (uint64_t a = 0; a <= n; ++a) {
      out.push_back(Range(a, a));
      for (uint64_t b = a + 1; b <= n; ++b) {
        for (uint64_t step = 1; step <= 2; ++step) {
          out.push_back(Range(a, b, step));
        }
      }
    }
    return out;
  };
  int cases = 0;
  for (Dtype dtype : sub_byte) {
    for (uint64_t a = 1; a <= 3; ++a) {
      for (uint64_t b = 1; b <= 3; ++b) {
        for (uint64_t c = 1; c <= 4; ++c) {
          const std::vector<uint64_t> shape = {a, b, c};
          if (a * b * c * DtypeBits(dtype) % 8 != 0) continue;
          for (const SliceIndexer& i0 : choices(a)) {
            for (const SliceIndexer& i1 : choices(b)) {
              for (const SliceIndexer& i2 : choices(c)) {
                const std::vector<SliceIndexer> indexers = {i0, i1, i2};
                const Expected want = Model(dtype, shape, indexers);
                ASSERT_FALSE(HasFailure()) << Describe(dtype, shape, indexers);
                absl::StatusOr<SlicePlan> plan =
                    PlanSlice(dtype, shape, indexers);
                ++cases;
                if (want.error.has_value()) {
                  ASSERT_THAT(plan, StatusIs(*want.error))
                      << Describe(dtype, shape, indexers);
                } else {
                  ASSERT_THAT(plan, IsOk()) << Describe(dtype, shape, indexers);
                  ASSERT_EQ(plan->Runs(), want.runs)
                      << Describe(dtype, shape, indexers);
                }
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 10000);
}

// The SliceIndexers of a resolved Python selection, as text.
std::string Resolved(absl::Span<const uint64_t> shape,
                     std::initializer_list<PyIndexer> items) {
  absl::StatusOr<std::vector<SliceIndexer>> r = ResolvePython(shape, items);
  if (!r.ok()) return std::string(ErrorKindName(*ErrorKindOf(r.status())));
  std::string out;
  for (const SliceIndexer& s : *r) {
    if (!out.empty()) out += " ";
    if (s.is_index()) {
      absl::StrAppend(&out, "[", s.start(), "]");
    } else {
      absl::StrAppend(
          &out, s.start(), ":",
          s.stop_is_end() ? std::string("end") : absl::StrCat(s.stop(0)), ":",
          s.step());
    }
  }
  return out;
}

TEST(ResolvePython, NegativePositionsClampingAndErrors) {
  using P = PyIndexer;
  const std::vector<uint64_t> shape = {5, 4};
  EXPECT_EQ(Resolved(shape, {P::Index(-1)}), "[4]");
  EXPECT_EQ(Resolved(shape, {P::Index(-5)}), "[0]");
  EXPECT_EQ(Resolved(shape, {P::Index(4), P::Index(-4)}), "[4] [0]");
  EXPECT_EQ(Resolved(shape, {P::Index(-6)}), "SliceOutOfRange");
  EXPECT_EQ(Resolved(shape, {P::Index(5)}), "SliceOutOfRange");
  EXPECT_EQ(Resolved(shape, {P::Index(INT64_MIN)}), "SliceOutOfRange");
  EXPECT_EQ(Resolved(shape, {P::All()}), "0:end:1");
  EXPECT_EQ(Resolved(shape, {P::Slice(-3, std::nullopt)}), "2:end:1");
  EXPECT_EQ(Resolved(shape, {P::Slice(std::nullopt, -1)}), "0:4:1");
  EXPECT_EQ(Resolved(shape, {P::Slice(-100, 100)}), "0:5:1");  // clamped
  EXPECT_EQ(Resolved(shape, {P::Slice(4, 2)}), "4:4:1");       // empty
  EXPECT_EQ(Resolved(shape, {P::Slice(9, std::nullopt, 2)}), "5:end:2");
  EXPECT_EQ(Resolved(shape, {P::Slice(INT64_MIN, INT64_MAX)}), "0:5:1");
  EXPECT_EQ(Resolved(shape, {P::All(), P::Slice(1, -1, 2)}), "0:end:1 1:3:2");
  EXPECT_EQ(Resolved(shape, {P::Slice(0, 1, 0)}), "InvalidSliceRange");
  EXPECT_EQ(Resolved(shape, {P::Slice(3, 0, -1)}), "InvalidSliceRange");
  EXPECT_EQ(Resolved(shape, {P::All(), P::All(), P::All()}), "TooManySlices");
  // A resolved selection always plans (whole-byte dtypes): x[-2:, ::3].
  absl::StatusOr<std::vector<SliceIndexer>> r = ResolvePython(
      shape,
      {P::Slice(-2, std::nullopt), P::Slice(std::nullopt, std::nullopt, 3)});
  ASSERT_THAT(r, IsOk());
  absl::StatusOr<SlicePlan> plan = PlanSlice(Dtype::kU8, shape, *r);
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(plan->shape(), ElementsAre(2, 2));
  EXPECT_THAT(plan->Runs(),
              ElementsAre(ByteRun{12, 1}, ByteRun{15, 2}, ByteRun{19, 1}));
}

}  // namespace
}  // namespace safetensors
