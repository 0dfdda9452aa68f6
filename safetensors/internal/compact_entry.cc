// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/compact_entry.h"

#include <cstring>
#include <optional>

namespace safetensors {
namespace internal {
namespace {

thread_local bool fast_path_allowed = true;

// A cursor over [p, end) for the compact form.
class Reader {
 public:
  Reader(const char* p, const char* end) : p_(p), end_(end) {}

  const char* position() const { return p_; }

  // Consumes `lit` when the text continues with it.
  bool Literal(absl::string_view lit) {
    if (static_cast<size_t>(end_ - p_) < lit.size() ||
        std::memcmp(p_, lit.data(), lit.size()) != 0) {
      return false;
    }
    p_ += lit.size();
    return true;
  }

  // Consumes `c` when it is the next byte.
  bool Byte(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // A plain unsigned integer of at most 19 digits (so it cannot overflow),
  // without a leading zero.
  bool Number(uint64_t* value) {
    const char* const first = p_;
    uint64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      v = v * 10 + static_cast<uint64_t>(*p_ - '0');
      ++p_;
    }
    const size_t digits = static_cast<size_t>(p_ - first);
    if (digits == 0 || digits > 19 || (*first == '0' && digits > 1)) {
      return false;
    }
    *value = v;
    return true;
  }

  // A dtype name up to its closing quote, without escapes.
  bool DtypeName(Dtype* dtype) {
    const char* const first = p_;
    while (p_ < end_ && *p_ != '"' && *p_ != '\\') ++p_;
    if (p_ == end_ || *p_ != '"') return false;
    const std::optional<Dtype> d =
        DtypeFromName(absl::string_view(first, p_ - first));
    if (!d) return false;
    ++p_;
    *dtype = *d;
    return true;
  }

 private:
  const char* p_;
  const char* const end_;
};

// The shape's dimensions, after its '['.
bool Dims(Reader& r, std::vector<uint64_t>* dims) {
  if (r.Byte(']')) return true;
  for (;;) {
    uint64_t dim;
    if (!r.Number(&dim)) return false;
    dims->push_back(dim);
    if (r.Byte(']')) return true;
    if (!r.Byte(',')) return false;
  }
}

}  // namespace

bool ParseCompactEntry(absl::string_view text, size_t pos,
                       std::vector<uint64_t>* dims, CompactEntry* entry) {
  if (pos > text.size()) return false;
  Reader r(text.data() + pos, text.data() + text.size());
  Dtype dtype;
  if (!r.Literal("{\"dtype\":\"") || !r.DtypeName(&dtype) ||
      !r.Literal(",\"shape\":[")) {
    return false;
  }
  const size_t dims_at = dims->size();
  uint64_t begin, end;
  if (!Dims(r, dims) || !r.Literal(",\"data_offsets\":[") ||
      !r.Number(&begin) || !r.Byte(',') || !r.Number(&end) ||
      !r.Literal("]}")) {
    dims->resize(dims_at);
    return false;
  }
  entry->dtype = dtype;
  entry->begin = begin;
  entry->end = end;
  entry->value_end = static_cast<size_t>(r.position() - text.data());
  return true;
}

bool CompactEntryFastPathAllowed() { return fast_path_allowed; }

ScopedCompactEntryFastPath::ScopedCompactEntryFastPath(bool allowed)
    : previous_(fast_path_allowed) {
  fast_path_allowed = allowed;
}

ScopedCompactEntryFastPath::~ScopedCompactEntryFastPath() {
  fast_path_allowed = previous_;
}

}  // namespace internal
}  // namespace safetensors
