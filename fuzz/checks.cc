// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "fuzz/checks.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

#include "fuzz/fuzz_util.h"
#include "safetensors/dtype.h"
#include "safetensors/dump.h"
#include "safetensors/slice.h"
#include "safetensors/status.h"

namespace safetensors {
namespace fuzz {
namespace {

constexpr Profile kProfiles[] = {Profile::kStrict, Profile::kReference};

ReadOptions Options(Profile profile) {
  ReadOptions options;
  options.profile = profile;
  return options;
}

absl::Span<const uint8_t> Bytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

void CheckKind(const absl::Status& status) {
  FUZZ_CHECK(!status.ok());
  FUZZ_CHECK(ErrorKindOf(status).has_value());
}

bool SameTensors(const Header& a, const Header& b) {
  if (a.tensors().size() != b.tensors().size()) return false;
  for (size_t i = 0; i < a.tensors().size(); ++i) {
    const TensorInfo& x = a.tensors()[i];
    const TensorInfo& y = b.tensors()[i];
    if (x.name != y.name || x.dtype != y.dtype || x.begin != y.begin ||
        x.end != y.end ||
        !std::equal(x.shape.begin(), x.shape.end(), y.shape.begin(),
                    y.shape.end())) {
      return false;
    }
  }
  return a.metadata() == b.metadata() && a.header_size() == b.header_size() &&
         a.data_size() == b.data_size();
}

// The slice specs tried on a tensor of `shape`: the whole tensor, and for
// each dimension an index, a head, a tail and a strided range, with
// positions from `salt` so that different tensors try different places.
std::vector<std::vector<SliceIndexer>> Specs(absl::Span<const uint64_t> shape,
                                             uint64_t salt) {
  std::vector<std::vector<SliceIndexer>> specs;
  specs.push_back({});
  std::vector<SliceIndexer> all;
  for (size_t d = 0; d < shape.size() && d < 4; ++d) {
    const uint64_t n = shape[d];
    const uint64_t k = n == 0 ? 0 : (salt >> (8 * d)) % n;
    const uint64_t step = 1 + (salt >> (4 * d)) % 3;
    for (const SliceIndexer& s :
         {Index(k), Range(0, k), RangeFrom(k), RangeFrom(k, step),
          Range(k, n, step), Range(k, k), Index(n)}) {
      std::vector<SliceIndexer> spec = all;
      spec.push_back(s);
      specs.push_back(spec);
    }
    all.push_back(All());
  }
  specs.push_back(all);
  return specs;
}

void CheckSlices(const TensorView& view, uint64_t salt) {
  for (const std::vector<SliceIndexer>& spec : Specs(view.shape(), salt)) {
    absl::StatusOr<SlicePlan> plan =
        PlanSlice(view.dtype(), view.shape(), spec);
    if (!plan.ok()) {
      CheckKind(plan.status());
      continue;
    }
    FUZZ_CHECK(plan->tensor_byte_size() == view.byte_size());
    FUZZ_CHECK(plan->byte_size() <= view.byte_size());
    if (plan->max_run_count() > (1u << 16)) continue;
    uint64_t total = 0;
    uint64_t next = 0;  // runs are ordered and never touch
    bool first = true;
    std::string expected;
    plan->ForEachRun([&](ByteRun run) {
      FUZZ_CHECK(run.length > 0);
      FUZZ_CHECK(first || run.offset > next);
      FUZZ_CHECK(run.offset <= view.byte_size());
      FUZZ_CHECK(run.length <= view.byte_size() - run.offset);
      first = false;
      next = run.offset + run.length;
      total += run.length;
      if (plan->byte_size() <= (1u << 20)) {
        expected.append(
            reinterpret_cast<const char*>(view.data().data()) + run.offset,
            run.length);
      }
    });
    FUZZ_CHECK(total == plan->byte_size());
    if (plan->byte_size() > (1u << 20)) continue;
    absl::StatusOr<std::vector<uint8_t>> copy = CopySliceToVector(view, spec);
    FUZZ_CHECK(copy.ok());
    FUZZ_CHECK(copy->size() == expected.size());
    FUZZ_CHECK(expected.empty() || std::memcmp(copy->data(), expected.data(),
                                               expected.size()) == 0);
    // The same through the caller's buffer, which must have the exact size.
    std::vector<uint8_t> out(expected.size() + 1);
    FUZZ_CHECK(
        CopySlice(view, spec, absl::MakeSpan(out.data(), expected.size()))
            .ok());
    FUZZ_CHECK(std::equal(out.begin(), out.end() - 1, copy->begin()));
    FUZZ_CHECK(ErrorKindOf(CopySlice(view, spec, absl::MakeSpan(out))) ==
               ErrorKind::kInvalidTensorView);
  }
}

}  // namespace

std::string DumpOf(const absl::StatusOr<SafeTensors>& parsed) {
  if (parsed.ok()) return Dump(*parsed);
  CheckKind(parsed.status());
  return DumpRejection(parsed.status());
}

void CheckHeaderProfiles(absl::string_view bytes) {
  std::string dumps[2];
  bool accepted[2];
  for (int p = 0; p < 2; ++p) {
    const ReadOptions options = Options(kProfiles[p]);
    absl::StatusOr<SafeTensors> file = SafeTensors::Parse(bytes, options);
    dumps[p] = DumpOf(file);
    accepted[p] = file.ok();

    // The same decision from the header parser over the header text.
    absl::StatusOr<uint64_t> n =
        ReadHeaderSize(Bytes(bytes), bytes.size(), options);
    if (!n.ok()) {
      CheckKind(n.status());
      FUZZ_CHECK(!file.ok());
      FUZZ_CHECK(ErrorKindOf(n.status()) == ErrorKindOf(file.status()));
    } else {
      FUZZ_CHECK(*n <= bytes.size() - 8);
      absl::StatusOr<Header> header =
          Header::Parse(bytes.substr(8, *n), bytes.size(), options);
      FUZZ_CHECK(header.ok() == file.ok());
      if (!header.ok()) {
        CheckKind(header.status());
        FUZZ_CHECK(ErrorKindOf(header.status()) == ErrorKindOf(file.status()));
      } else {
        FUZZ_CHECK(SameTensors(*header, file->header()));
      }
      // Range reads: the header from the prefix without the data decides
      // the same; one byte short is "need more bytes", not a kind.
      absl::StatusOr<Header> prefix = ParseHeaderPrefix(
          Bytes(bytes.substr(0, 8 + *n)), bytes.size(), options);
      FUZZ_CHECK(prefix.ok() == file.ok());
      if (prefix.ok()) {
        FUZZ_CHECK(SameTensors(*prefix, file->header()));
      } else {
        FUZZ_CHECK(ErrorKindOf(prefix.status()) == ErrorKindOf(file.status()));
      }
      if (*n > 0) {
        absl::StatusOr<Header> short_prefix = ParseHeaderPrefix(
            Bytes(bytes.substr(0, 8 + *n - 1)), bytes.size(), options);
        FUZZ_CHECK(!short_prefix.ok());
        FUZZ_CHECK(short_prefix.status().code() ==
                   absl::StatusCode::kOutOfRange);
        FUZZ_CHECK(!ErrorKindOf(short_prefix.status()).has_value());
      }
    }
  }
  // Strict accepts only what the reference accepts, and reads it the same.
  if (accepted[0]) {
    FUZZ_CHECK(accepted[1]);
    FUZZ_CHECK(dumps[0] == dumps[1]);
  }
}

void CheckFileViews(absl::string_view bytes) {
  const uint8_t* const lo = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* const hi = lo + bytes.size();
  for (Profile profile : kProfiles) {
    absl::StatusOr<SafeTensors> file =
        SafeTensors::Parse(bytes, Options(profile));
    if (!file.ok()) {
      CheckKind(file.status());
      continue;
    }
    const Header& header = file->header();
    const absl::Span<const uint8_t> data = file->data();
    FUZZ_CHECK(8 + header.header_size() + header.data_size() == bytes.size());
    FUZZ_CHECK(data.data() == lo + 8 + header.header_size());
    FUZZ_CHECK(data.size() == header.data_size());

    const std::vector<TensorView> views = file->Tensors();
    FUZZ_CHECK(views.size() == file->size());
    FUZZ_CHECK(file->empty() == views.empty());
    uint64_t cursor = 0;
    for (size_t i = 0; i < views.size(); ++i) {
      const TensorView& v = views[i];
      const TensorView at = file->at(i);
      FUZZ_CHECK(at.data().data() == v.data().data() && at.name() == v.name());
      // Inside the buffer, at its offsets, and tiling the data section.
      FUZZ_CHECK(v.data().data() >= lo && v.data().data() <= hi);
      FUZZ_CHECK(v.byte_size() <= static_cast<uint64_t>(hi - v.data().data()));
      FUZZ_CHECK(v.begin() == cursor);
      FUZZ_CHECK(v.end() >= v.begin());
      FUZZ_CHECK(v.byte_size() == v.end() - v.begin());
      FUZZ_CHECK(v.data().data() == data.data() + v.begin());
      cursor = v.end();
      // Its size is what dtype and shape say.
      absl::StatusOr<uint64_t> size = TensorByteSize(v.dtype(), v.shape());
      FUZZ_CHECK(size.ok() && *size == v.byte_size());
      absl::StatusOr<uint64_t> count = ElementCount(v.shape());
      FUZZ_CHECK(count.ok() && *count == v.element_count());
      // Found by name, as the same bytes.
      FUZZ_CHECK(file->Contains(v.name()));
      absl::StatusOr<TensorView> found = file->Tensor(v.name());
      FUZZ_CHECK(found.ok());
      FUZZ_CHECK(found->data().data() == v.data().data());
      FUZZ_CHECK(found->byte_size() == v.byte_size());
      uint64_t salt = v.begin() * 0x9E3779B97F4A7C15u + v.name().size();
      CheckSlices(v, salt);
    }
    FUZZ_CHECK(cursor == data.size());

    const std::vector<absl::string_view> names = file->SortedNames();
    FUZZ_CHECK(names.size() == views.size());
    FUZZ_CHECK(std::is_sorted(names.begin(), names.end()));
    FUZZ_CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
    // No tensor name is invalid UTF-8.
    absl::StatusOr<TensorView> missing = file->Tensor("\xff");
    FUZZ_CHECK(!missing.ok());
    FUZZ_CHECK(ErrorKindOf(missing.status()) == ErrorKind::kTensorNotFound);
  }
}

}  // namespace fuzz
}  // namespace safetensors
