// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/diff.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "safetensors/convert.h"
#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/internal/fault_guard.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/status_macros.h"

namespace safetensors {

namespace {

using internal::kIoChunkBytes;
using internal::json::Quoted;

std::string Describe(const TensorView& t) {
  return absl::StrCat(DtypeName(t.dtype()), " ", FormatShape(t.shape()));
}

bool SameShape(const TensorView& a, const TensorView& b) {
  return a.shape().size() == b.shape().size() &&
         std::equal(a.shape().begin(), a.shape().end(), b.shape().begin());
}

// Every tensor by name, with the File it lives in.
struct Located {
  TensorView view;
  const File* file;
};

absl::StatusOr<std::map<absl::string_view, Located>> ByName(
    const Checkpoint& c, const std::vector<ShardTensor>& tensors) {
  std::map<absl::string_view, Located> out;
  for (const ShardTensor& t : tensors) {
    SAFETENSORS_ASSIGN_OR_RETURN(const File* file, c.Shard(t.shard));
    out.emplace(t.view.name(), Located{t.view, file});
  }
  return out;
}

// A tensor's bytes that faulted: a mapped input file shrank meanwhile (with
// the tool's SIGBUS guard installed; without it, the fault kills).
absl::Status Vanished(absl::string_view name) {
  return internal::ShrankWhileBeing(
      "read", absl::StrCat("tensor ", Quoted(name)), "an input file");
}

bool Floating(Dtype d) { return CanConvertFromFloat(d); }

// Elements converted per step of a numeric comparison: 1 Mi, so two buffers
// of doubles take 16 MiB.
constexpr size_t kNumericChunk = size_t{1} << 20;

// Folds one pair of values into `stats`.
void Compare(double x, double y, const DiffOptions& o, NumericStats* stats) {
  const bool nan_x = std::isnan(x), nan_y = std::isnan(y);
  if (nan_x || nan_y) {
    if (nan_x != nan_y) ++stats->over_tolerance;
    return;
  }
  if (x == y) return;                    // -0 == +0, and equal infinities
  const double diff = std::fabs(x - y);  // inf for unequal infinities
  const double rel = y == 0 || std::isinf(diff)
                         ? std::numeric_limits<double>::infinity()
                         : diff / std::fabs(y);
  stats->max_abs = std::max(stats->max_abs, diff);
  stats->max_rel = std::max(stats->max_rel, rel);
  if (std::isinf(diff) || diff > o.atol + o.rtol * std::fabs(y)) {
    ++stats->over_tolerance;
  }
}

// Walks both tensors in windows of `window` units, releasing each window's
// pages behind it; a unit is `ux` bytes of x and `uy` bytes of y (an element
// of each, or a byte of both). `step(first, count)` compares units [first,
// first + count) and returns false to stop early. False when the bytes
// faulted (a file shrank).
template <typename Step>
bool Windows(const Located& x, const Located& y, size_t ux, size_t uy,
             uint64_t window, Step step) {
  const uint64_t units = x.view.byte_size() / ux;
  for (uint64_t first = 0; first < units; first += window) {
    const uint64_t count = std::min<uint64_t>(window, units - first);
    bool more = true;
    if (!internal::Guarded([&] { more = step(first, count); })) return false;
    x.file->ReleasePages(x.view.data().subspan(first * ux, count * ux));
    y.file->ReleasePages(y.view.data().subspan(first * uy, count * uy));
    if (!more) break;
  }
  return true;
}

// Both tensors' values, of one shape and floating dtypes, compared. False
// when the bytes faulted.
bool NumericCompare(const Located& x, const Located& y, const DiffOptions& o,
                    NumericStats* stats) {
  // Floating dtypes: whole bytes per element.
  const size_t ex = DtypeBits(x.view.dtype()) / 8;
  const size_t ey = DtypeBits(y.view.dtype()) / 8;
  const uint64_t elements = x.view.byte_size() / ex;
  stats->elements = elements;
  std::vector<double> a(std::min<uint64_t>(kNumericChunk, elements));
  std::vector<double> b(a.size());
  return Windows(
      x, y, ex, ey, kNumericChunk, [&](uint64_t first, uint64_t count) {
        const absl::Span<double> da(a.data(), count), db(b.data(), count);
        // The dtypes and sizes were checked: these cannot fail.
        ConvertToDouble(x.view.dtype(),
                        x.view.data().subspan(first * ex, count * ex), da)
            .IgnoreError();
        ConvertToDouble(y.view.dtype(),
                        y.view.data().subspan(first * ey, count * ey), db)
            .IgnoreError();
        for (size_t i = 0; i < count; ++i) Compare(a[i], b[i], o, stats);
        return true;
      });
}

}  // namespace

absl::StatusOr<DiffResult> Diff(const Checkpoint& a, const Checkpoint& b,
                                const ProgressCallback& progress) {
  DiffOptions options;
  options.progress = progress;
  return Diff(a, b, options);
}

absl::StatusOr<DiffResult> Diff(const Checkpoint& a, const Checkpoint& b,
                                const DiffOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(std::vector<ShardTensor> all_a, a.Tensors());
  SAFETENSORS_ASSIGN_OR_RETURN(std::vector<ShardTensor> all_b, b.Tensors());
  SAFETENSORS_ASSIGN_OR_RETURN(std::optional<MetadataMap> meta_a, a.Metadata());
  SAFETENSORS_ASSIGN_OR_RETURN(std::optional<MetadataMap> meta_b, b.Metadata());
  SAFETENSORS_ASSIGN_OR_RETURN(const auto ta, ByName(a, all_a));
  SAFETENSORS_ASSIGN_OR_RETURN(const auto tb, ByName(b, all_b));
  const ProgressCallback& progress = options.progress;

  DiffResult result;
  result.tensors_a = ta.size();
  result.tensors_b = tb.size();
  result.within_tolerance = options.numeric;
  auto numeric_pair = [&](const TensorView& x, const TensorView& y) {
    return options.numeric && Floating(x.dtype()) && Floating(y.dtype()) &&
           SameShape(x, y);
  };
  uint64_t total = 0;
  for (const auto& [name, t] : ta) {
    auto it = tb.find(name);
    if (it == tb.end()) continue;
    const TensorView& y = it->second.view;
    if ((t.view.dtype() == y.dtype() && SameShape(t.view, y)) ||
        numeric_pair(t.view, y)) {
      total += t.view.byte_size();
    }
  }
  uint64_t done = 0;
  auto advance = [&](uint64_t n) {
    done += n;
    if (progress) progress(done, total);
  };
  using Kind = Difference::Kind;
  auto ia = ta.begin();
  auto ib = tb.begin();
  while (ia != ta.end() || ib != tb.end()) {
    if (ib == tb.end() || (ia != ta.end() && ia->first < ib->first)) {
      result.differences.push_back({Kind::kOnlyInA, std::string(ia->first),
                                    Describe(ia->second.view), "",
                                    std::nullopt});
      result.within_tolerance = false;
      ++ia;
      continue;
    }
    if (ia == ta.end() || ib->first < ia->first) {
      result.differences.push_back({Kind::kOnlyInB, std::string(ib->first), "",
                                    Describe(ib->second.view), std::nullopt});
      result.within_tolerance = false;
      ++ib;
      continue;
    }
    const Located& x = ia->second;
    const Located& y = ib->second;
    const std::string name(ia->first);
    ++ia;
    ++ib;
    if (x.view.dtype() != y.view.dtype()) {
      Difference d{Kind::kDtype, name, std::string(DtypeName(x.view.dtype())),
                   std::string(DtypeName(y.view.dtype())), std::nullopt};
      if (numeric_pair(x.view, y.view)) {
        NumericStats stats;
        if (!NumericCompare(x, y, options, &stats)) return Vanished(name);
        advance(x.view.byte_size());
        if (stats.over_tolerance > 0) result.within_tolerance = false;
        d.numeric = stats;
      } else {
        result.within_tolerance = false;
      }
      result.differences.push_back(std::move(d));
      continue;
    }
    if (!SameShape(x.view, y.view)) {
      result.differences.push_back({Kind::kShape, name,
                                    FormatShape(x.view.shape()),
                                    FormatShape(y.view.shape()), std::nullopt});
      result.within_tolerance = false;
      continue;
    }
    bool equal = true;
    uint64_t compared = 0;
    if (!Windows(x, y, 1, 1, kIoChunkBytes, [&](uint64_t at, uint64_t n) {
          equal = std::memcmp(x.view.data().data() + at,
                              y.view.data().data() + at, n) == 0;
          compared += n;
          advance(n);
          return equal;
        })) {
      return Vanished(name);
    }
    if (equal) {
      ++result.identical;
      continue;
    }
    advance(x.view.byte_size() - compared);  // the rest is not compared
    uint64_t hx = Fnv1a64({}), hy = Fnv1a64({});
    if (!Windows(x, y, 1, 1, kIoChunkBytes, [&](uint64_t at, uint64_t n) {
          hx = Fnv1a64(x.view.data().subspan(at, n), hx);
          hy = Fnv1a64(y.view.data().subspan(at, n), hy);
          return true;
        })) {
      return Vanished(name);
    }
    Difference d{Kind::kContent, name, absl::StrFormat("%016x", hx),
                 absl::StrFormat("%016x", hy), std::nullopt};
    if (numeric_pair(x.view, y.view)) {
      NumericStats stats;
      if (!NumericCompare(x, y, options, &stats)) return Vanished(name);
      if (stats.over_tolerance > 0) result.within_tolerance = false;
      d.numeric = stats;
    } else {
      result.within_tolerance = false;
    }
    result.differences.push_back(std::move(d));
  }

  const MetadataMap empty;
  const MetadataMap& ma = meta_a ? *meta_a : empty;
  const MetadataMap& mb = meta_b ? *meta_b : empty;
  std::map<std::string, std::pair<std::string, std::string>> keys;
  for (const auto& [k, v] : ma) keys[k].first = Quoted(v);
  for (const auto& [k, v] : mb) keys[k].second = Quoted(v);
  for (auto& [k, v] : keys) {
    if (v.first == v.second) continue;
    result.differences.push_back(
        {Kind::kMetadata, k, v.first.empty() ? "-" : v.first,
         v.second.empty() ? "-" : v.second, std::nullopt});
  }
  return result;
}

}  // namespace safetensors
