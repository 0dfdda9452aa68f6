// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/dump.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "safetensors/internal/fault_guard.h"
#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/status.h"

namespace safetensors {

void AppendJsonString(absl::string_view s, std::string* out) {
  internal::json::AppendQuoted(s, out);
}

uint64_t Fnv1a64(absl::Span<const uint8_t> bytes, uint64_t previous) {
  uint64_t h = previous;
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t Fnv1a64(absl::Span<const uint8_t> bytes) {
  return Fnv1a64(bytes, 0xcbf29ce484222325ull);
}

namespace {

// The dump, each tensor's hash from `hash(view, &h)`, which may fail.
template <typename Hash>
absl::StatusOr<std::string> DumpWith(const SafeTensors& file, Hash hash) {
  std::string out;
  absl::StrAppend(&out, "header_len\t", file.header().header_size(), "\n",
                  "data_len\t", file.data().size(), "\n", "ntensors\t",
                  file.size(), "\n");
  const std::optional<MetadataMap>& metadata = file.metadata();
  if (!metadata.has_value()) {
    out += "metadata\tnone\n";
  } else {
    absl::StrAppend(&out, "metadata\t", metadata->size(), "\n");
    for (const auto& [key, value] : *metadata) {  // std::map: sorted by bytes
      out += "meta\t";
      AppendJsonString(key, &out);
      out += '\t';
      AppendJsonString(value, &out);
      out += '\n';
    }
  }
  for (absl::string_view name : file.SortedNames()) {
    const TensorView t = *file.Tensor(name);
    out += "tensor\t";
    AppendJsonString(name, &out);
    absl::StrAppend(&out, "\t", DtypeName(t.dtype()), "\t[");
    for (size_t i = 0; i < t.shape().size(); ++i) {
      if (i > 0) out += ',';
      absl::StrAppend(&out, t.shape()[i]);
    }
    uint64_t h = 0;
    SAFETENSORS_RETURN_IF_ERROR(hash(t, &h));
    absl::StrAppendFormat(&out, "]\t%d\t%d\t%016x\n", t.begin(), t.end(), h);
  }
  return out;
}

}  // namespace

std::string Dump(const SafeTensors& file) {
  return *DumpWith(file, [](const TensorView& t, uint64_t* h) {
    *h = Fnv1a64(t.data());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::string> DumpChecked(const SafeTensors& file) {
  return DumpWith(file, [](const TensorView& t, uint64_t* h) {
    const absl::Span<const uint8_t> data = t.data();
    if (!internal::Guarded([&] { *h = Fnv1a64(data); })) {
      return internal::ShrankWhileBeing(
          "read", absl::StrCat("tensor ", internal::json::Quoted(t.name())),
          "the file");
    }
    return absl::OkStatus();
  });
}

std::string DumpRejection(const absl::Status& status) {
  std::optional<ErrorKind> kind = ErrorKindOf(status);
  if (!kind.has_value()) return "reject\n";
  return absl::StrCat("reject\t", ErrorKindName(*kind), "\n");
}

}  // namespace safetensors
