// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// PlanSlice and CopySlice against a slow reference written here. The input
// gives a dtype, a shape (small dimensions, or any 64-bit value after a 0xF0+
// tag byte), slice indexers and tensor bytes (ByteReader, fuzz/fuzz_util.h).
// The reference walks every selected element in row-major order and lists
// its bits; the plan's runs, as bit intervals, must be exactly those, and
// CopySlice must gather exactly those bytes. The reference also decides
// which specs are valid: for whole-byte dtypes the plan succeeds exactly
// then; for sub-byte dtypes a valid spec may only fail as MisalignedSlice.
// Every error has one of the kinds the reference saw.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "fuzz/fuzz_util.h"
#include "safetensors/dtype.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"
#include "safetensors/slice.h"
#include "safetensors/status.h"

namespace safetensors {
namespace fuzz {
namespace {

using Interval = std::pair<uint64_t, uint64_t>;  // [first, second) in bits

void AddMerged(std::vector<Interval>* out, uint64_t begin, uint64_t end) {
  if (begin == end) return;
  if (!out->empty() && out->back().second == begin) {
    out->back().second = end;
  } else {
    out->push_back({begin, end});
  }
}

struct Model {
  bool valid = true;
  std::set<ErrorKind> kinds;    // every rule the spec breaks
  std::vector<uint64_t> shape;  // the result's, when valid
  // Per dimension: first position, step and count of selected positions.
  std::vector<uint64_t> start, step, count;
};

void Invalid(Model* m, ErrorKind kind) {
  m->valid = false;
  m->kinds.insert(kind);
}

Model Reference(Dtype dtype, const std::vector<uint64_t>& shape,
                const std::vector<SliceIndexer>& spec) {
  Model m;
  unsigned __int128 elements = 1;
  bool overflow = false;
  for (uint64_t d : shape) {
    elements *= d;
    if (elements > UINT64_MAX) {
      overflow = true;
      break;
    }
  }
  if (!overflow && elements * DtypeBits(dtype) > UINT64_MAX) overflow = true;
  if (overflow) {
    Invalid(&m, ErrorKind::kValidationOverflow);
    return m;
  }
  if (elements * DtypeBits(dtype) % 8 != 0) {
    Invalid(&m, ErrorKind::kMisalignedSlice);
    return m;
  }
  if (spec.size() > shape.size()) {
    Invalid(&m, ErrorKind::kTooManySlices);
    return m;
  }
  for (size_t d = 0; d < shape.size(); ++d) {
    const uint64_t n = shape[d];
    const SliceIndexer s = d < spec.size() ? spec[d] : All();
    if (s.is_index()) {
      if (s.start() >= n) Invalid(&m, ErrorKind::kSliceOutOfRange);
      m.start.push_back(s.start());
      m.step.push_back(1);
      m.count.push_back(1);
      continue;
    }
    const uint64_t start = s.start(), stop = s.stop(n), step = s.step();
    if (stop > n || (start >= n && !(start == n && stop == n))) {
      Invalid(&m, ErrorKind::kSliceOutOfRange);
    }
    if (start > stop || step == 0) Invalid(&m, ErrorKind::kInvalidSliceRange);
    const uint64_t count =
        (stop > start && step > 0) ? (stop - start - 1) / step + 1 : 0;
    m.start.push_back(start);
    m.step.push_back(step);
    m.count.push_back(count);
    m.shape.push_back(count);
  }
  return m;
}

// The selected elements' bits, in row-major order of the result, merged.
std::vector<Interval> SlowBits(Dtype dtype, const std::vector<uint64_t>& shape,
                               const Model& m) {
  std::vector<Interval> out;
  const uint64_t bits = DtypeBits(dtype);
  for (uint64_t c : m.count) {
    if (c == 0) return out;
  }
  std::vector<uint64_t> pos(shape.size(), 0);
  for (;;) {
    uint64_t linear = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      linear = linear * shape[d] + m.start[d] + pos[d] * m.step[d];
    }
    AddMerged(&out, linear * bits, (linear + 1) * bits);
    size_t d = shape.size();
    while (d > 0) {
      --d;
      if (++pos[d] < m.count[d]) break;
      pos[d] = 0;
      if (d == 0) return out;
    }
    if (shape.empty()) return out;
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace safetensors

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace safetensors;        // NOLINT
  using namespace safetensors::fuzz;  // NOLINT
  if (size > 4096) return 0;
  ByteReader in(data, size);
  const Dtype dtype = AllDtypes()[in.Byte() % kNumDtypes];
  std::vector<uint64_t> shape(in.Byte() % 5);
  for (uint64_t& d : shape) d = in.SmallOrBig(8);
  std::vector<SliceIndexer> spec(in.Byte() % (shape.size() + 2), All());
  for (SliceIndexer& s : spec) {
    switch (in.Byte() % 4) {
      case 0:
        s = Index(in.SmallOrBig(9));
        break;
      case 1: {
        const uint64_t start = in.SmallOrBig(9);
        const uint64_t stop = in.SmallOrBig(9);
        s = Range(start, stop, in.SmallOrBig(4));
        break;
      }
      case 2: {
        const uint64_t start = in.SmallOrBig(9);
        s = RangeFrom(start, in.SmallOrBig(4));
        break;
      }
      default:
        s = All();
    }
  }
  const bool wrong_sizes = in.Bool();
  const absl::string_view fill = in.Rest();

  const Model model = Reference(dtype, shape, spec);
  absl::StatusOr<SlicePlan> plan = PlanSlice(dtype, shape, spec);
  const bool sub_byte = DtypeBits(dtype) % 8 != 0;
  if (!plan.ok()) {
    const std::optional<ErrorKind> kind = ErrorKindOf(plan.status());
    FUZZ_CHECK(kind.has_value());
    if (model.valid) {
      FUZZ_CHECK(sub_byte && *kind == ErrorKind::kMisalignedSlice);
    } else {
      FUZZ_CHECK(model.kinds.count(*kind) == 1 ||
                 (sub_byte && *kind == ErrorKind::kMisalignedSlice));
    }
    return 0;
  }
  FUZZ_CHECK(model.valid);
  FUZZ_CHECK(std::vector<uint64_t>(plan->shape().begin(),
                                   plan->shape().end()) == model.shape);
  absl::StatusOr<uint64_t> tensor_bytes = TensorByteSize(dtype, shape);
  FUZZ_CHECK(tensor_bytes.ok() && *tensor_bytes == plan->tensor_byte_size());
  absl::StatusOr<uint64_t> result_bytes = TensorByteSize(dtype, model.shape);
  FUZZ_CHECK(result_bytes.ok() && *result_bytes == plan->byte_size());
  FUZZ_CHECK(plan->empty() == (plan->byte_size() == 0));
  if (plan->max_run_count() > (1u << 16)) return 0;

  // The runs: ordered, non-empty, never touching, inside the tensor.
  std::vector<ByteRun> runs = plan->Runs();
  FUZZ_CHECK(runs.size() <= plan->max_run_count());
  std::vector<Interval> planned;
  uint64_t total = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    FUZZ_CHECK(runs[i].length > 0);
    FUZZ_CHECK(runs[i].offset <= plan->tensor_byte_size());
    FUZZ_CHECK(runs[i].length <= plan->tensor_byte_size() - runs[i].offset);
    if (i > 0) {
      FUZZ_CHECK(runs[i].offset > runs[i - 1].offset + runs[i - 1].length);
    }
    total += runs[i].length;
    planned.push_back(
        {runs[i].offset * 8, (runs[i].offset + runs[i].length) * 8});
  }
  FUZZ_CHECK(total == plan->byte_size());

  absl::StatusOr<uint64_t> elements = ElementCount(shape);
  if (!elements.ok() || *elements > (1u << 16)) return 0;
  FUZZ_CHECK(planned == SlowBits(dtype, shape, model));

  // CopySlice gathers exactly the runs' bytes.
  std::string tensor(plan->tensor_byte_size(), '\0');
  for (size_t i = 0; i < tensor.size(); ++i) {
    tensor[i] =
        fill.empty() ? static_cast<char>(i * 131 + 7) : fill[i % fill.size()];
  }
  std::string expected;
  for (const ByteRun& r : runs) expected.append(tensor, r.offset, r.length);
  std::vector<uint8_t> out(plan->byte_size());
  const absl::Span<const uint8_t> src(
      reinterpret_cast<const uint8_t*>(tensor.data()), tensor.size());
  FUZZ_CHECK(CopySlice(*plan, src, absl::MakeSpan(out)).ok());
  FUZZ_CHECK(std::string(out.begin(), out.end()) == expected);
  // Through a view of those bytes (as a reader hands out), and a view built
  // by hand whose bytes do not match its dtype and shape.
  TensorInfo info;
  info.dtype = dtype;
  info.shape = shape;
  const TensorView view(info, src);
  absl::StatusOr<std::vector<uint8_t>> vec = CopySliceToVector(view, spec);
  FUZZ_CHECK(vec.ok() && std::string(vec->begin(), vec->end()) == expected);
  FUZZ_CHECK(CopySlice(view, spec, absl::MakeSpan(out)).ok());
  if (wrong_sizes) {
    const std::string longer = tensor + "x";
    const TensorView bad(
        info,
        absl::Span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(longer.data()), longer.size()));
    FUZZ_CHECK(ErrorKindOf(CopySliceToVector(bad, spec).status()) ==
               ErrorKind::kInvalidTensorView);
    FUZZ_CHECK(ErrorKindOf(CopySlice(bad, spec, absl::MakeSpan(out))) ==
               ErrorKind::kInvalidTensorView);
    std::vector<uint8_t> bigger(out.size() + 1);
    absl::Status s = CopySlice(*plan, src, absl::MakeSpan(bigger));
    FUZZ_CHECK(ErrorKindOf(s) == ErrorKind::kInvalidTensorView);
    if (!tensor.empty()) {
      s = CopySlice(*plan, src.subspan(1), absl::MakeSpan(out));
      FUZZ_CHECK(ErrorKindOf(s) == ErrorKind::kInvalidTensorView);
    }
  }
  return 0;
}
