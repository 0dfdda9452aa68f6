// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/weight_map_scan.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace safetensors {
namespace internal {

namespace {

thread_local bool fast_path_allowed = true;

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t SkipSpace(const char* p, size_t i, size_t n) {
  while (i < n && IsJsonSpace(p[i])) ++i;
  return i;
}

// The first byte at or after i that ends or breaks an unescaped string: '"',
// '\\' or a control character (below 0x20); n when there is none.
size_t StringStop(const char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i max_control = _mm_set1_epi8(0x1F);
  while (i + 16 <= n) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // x <= 0x1F (unsigned) exactly when max(x, 0x1F) == 0x1F.
    const __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
        _mm_cmpeq_epi8(_mm_max_epu8(x, max_control), max_control));
    const int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return i + __builtin_ctz(static_cast<unsigned>(mask));
    i += 16;
  }
#endif
  for (; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == '"' || c == '\\' || c < 0x20) return i;
  }
  return n;
}

// Reads a string without escapes whose opening quote is at p[i]: sets *out
// to its contents and returns the offset past the closing quote, or 0.
size_t ReadPlainString(const char* p, size_t i, size_t n,
                       absl::string_view* out) {
  if (i >= n || p[i] != '"') return 0;
  const size_t stop = StringStop(p, i + 1, n);
  if (stop >= n || p[stop] != '"') return 0;
  *out = absl::string_view(p + i + 1, stop - i - 1);
  return stop + 1;
}

}  // namespace

bool ScanWeightMap(absl::string_view text, size_t pos,
                   std::vector<WeightMapMember>* members, size_t* end) {
  const char* p = text.data();
  const size_t n = text.size();
  size_t i = SkipSpace(p, pos, n);
  if (i >= n || p[i] != '{') return false;
  i = SkipSpace(p, i + 1, n);
  if (i < n && p[i] == '}') {
    *end = i + 1;
    return true;
  }
  for (;;) {
    WeightMapMember m;
    i = ReadPlainString(p, i, n, &m.name);
    if (i == 0) return false;
    i = SkipSpace(p, i, n);
    if (i >= n || p[i] != ':') return false;
    i = ReadPlainString(p, SkipSpace(p, i + 1, n), n, &m.file);
    if (i == 0) return false;
    members->push_back(m);
    i = SkipSpace(p, i, n);
    if (i >= n) return false;
    if (p[i] == '}') {
      *end = i + 1;
      return true;
    }
    if (p[i] != ',') return false;
    i = SkipSpace(p, i + 1, n);
  }
}

bool WeightMapFastPathAllowed() { return fast_path_allowed; }

ScopedWeightMapFastPath::ScopedWeightMapFastPath(bool allowed)
    : previous_(fast_path_allowed) {
  fast_path_allowed = allowed;
}

ScopedWeightMapFastPath::~ScopedWeightMapFastPath() {
  fast_path_allowed = previous_;
}

}  // namespace internal
}  // namespace safetensors
