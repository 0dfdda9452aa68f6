// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/diff.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

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

std::map<absl::string_view, TensorView> ByName(
    const std::vector<ShardTensor>& tensors) {
  std::map<absl::string_view, TensorView> out;
  for (const ShardTensor& t : tensors) out.emplace(t.view.name(), t.view);
  return out;
}

// A tensor's bytes that faulted: a mapped input file shrank meanwhile (with
// the tool's SIGBUS guard installed; without it, the fault kills).
absl::Status Vanished(absl::string_view name) {
  return internal::ShrankWhileBeing(
      "read", absl::StrCat("tensor ", Quoted(name)), "an input file");
}

}  // namespace

absl::StatusOr<DiffResult> Diff(const Checkpoint& a, const Checkpoint& b,
                                const ProgressCallback& progress) {
  SAFETENSORS_ASSIGN_OR_RETURN(std::vector<ShardTensor> all_a, a.Tensors());
  SAFETENSORS_ASSIGN_OR_RETURN(std::vector<ShardTensor> all_b, b.Tensors());
  SAFETENSORS_ASSIGN_OR_RETURN(std::optional<MetadataMap> meta_a, a.Metadata());
  SAFETENSORS_ASSIGN_OR_RETURN(std::optional<MetadataMap> meta_b, b.Metadata());
  const std::map<absl::string_view, TensorView> ta = ByName(all_a);
  const std::map<absl::string_view, TensorView> tb = ByName(all_b);

  DiffResult result;
  result.tensors_a = ta.size();
  result.tensors_b = tb.size();
  uint64_t total = 0;
  for (const auto& [name, t] : ta) {
    auto it = tb.find(name);
    if (it != tb.end() && t.dtype() == it->second.dtype() &&
        SameShape(t, it->second)) {
      total += t.byte_size();
    }
  }
  uint64_t done = 0;
  using Kind = Difference::Kind;
  auto ia = ta.begin();
  auto ib = tb.begin();
  while (ia != ta.end() || ib != tb.end()) {
    if (ib == tb.end() || (ia != ta.end() && ia->first < ib->first)) {
      result.differences.push_back(
          {Kind::kOnlyInA, std::string(ia->first), Describe(ia->second), ""});
      ++ia;
      continue;
    }
    if (ia == ta.end() || ib->first < ia->first) {
      result.differences.push_back(
          {Kind::kOnlyInB, std::string(ib->first), "", Describe(ib->second)});
      ++ib;
      continue;
    }
    const TensorView& x = ia->second;
    const TensorView& y = ib->second;
    const std::string name(ia->first);
    ++ia;
    ++ib;
    if (x.dtype() != y.dtype()) {
      result.differences.push_back({Kind::kDtype, name,
                                    std::string(DtypeName(x.dtype())),
                                    std::string(DtypeName(y.dtype()))});
      continue;
    }
    if (!SameShape(x, y)) {
      result.differences.push_back(
          {Kind::kShape, name, FormatShape(x.shape()), FormatShape(y.shape())});
      continue;
    }
    bool equal = true;
    for (size_t at = 0; at < x.byte_size(); at += kIoChunkBytes) {
      const size_t n = std::min<uint64_t>(kIoChunkBytes, x.byte_size() - at);
      const uint8_t* const px = x.data().data() + at;
      const uint8_t* const py = y.data().data() + at;
      if (!internal::Guarded([&] { equal = std::memcmp(px, py, n) == 0; })) {
        return Vanished(name);
      }
      done += n;
      if (progress) progress(done, total);
      if (!equal) {
        done += x.byte_size() - at - n;  // the rest is not compared
        if (progress) progress(done, total);
        break;
      }
    }
    if (equal) {
      ++result.identical;
    } else {
      uint64_t hx = 0;
      uint64_t hy = 0;
      if (!internal::Guarded([&] {
            hx = Fnv1a64(x.data());
            hy = Fnv1a64(y.data());
          })) {
        return Vanished(name);
      }
      result.differences.push_back({Kind::kContent, name,
                                    absl::StrFormat("%016x", hx),
                                    absl::StrFormat("%016x", hy)});
    }
  }

  const MetadataMap empty;
  const MetadataMap& ma = meta_a ? *meta_a : empty;
  const MetadataMap& mb = meta_b ? *meta_b : empty;
  std::map<std::string, std::pair<std::string, std::string>> keys;
  for (const auto& [k, v] : ma) keys[k].first = Quoted(v);
  for (const auto& [k, v] : mb) keys[k].second = Quoted(v);
  for (auto& [k, v] : keys) {
    if (v.first == v.second) continue;
    result.differences.push_back({Kind::kMetadata, k,
                                  v.first.empty() ? "-" : v.first,
                                  v.second.empty() ? "-" : v.second});
  }
  return result;
}

}  // namespace safetensors
