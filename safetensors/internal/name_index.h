// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: the hash index from tensor name to position, built in one
// batched pass after parsing. Names are hashed first, then inserted with the
// slot of a later name prefetched, so that a header of a million tensors does
// not wait on a cache miss per insertion. Open addressing with linear probing
// in 8-byte slots (32 bits of hash, 32 bits of position), load at most 1/2.
// The names must outlive the index; it stores positions, not names.

#ifndef SAFETENSORS_INTERNAL_NAME_INDEX_H_
#define SAFETENSORS_INTERNAL_NAME_INDEX_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {

class NameIndex {
 public:
  NameIndex() = default;
  NameIndex(NameIndex&&) = default;
  NameIndex& operator=(NameIndex&&) = default;

  // Indexes names name(0) .. name(count - 1), replacing any previous content.
  // When a name occurs more than once, calls on_duplicate(earlier, later)
  // for each repeat and indexes the later position. Returns the number of
  // repeats. REQUIRES: count < 2^32 - 1.
  template <typename NameAt>
  size_t Build(size_t count, NameAt name,
               const std::function<void(uint32_t, uint32_t)>& on_duplicate);

  // The position of `name`, or -1. `name_at(position)` gives the indexed names.
  template <typename NameAt>
  int64_t Find(absl::string_view name, NameAt name_at) const;

  // The hash of `name` under this process's random key (name_index.cc):
  // the low bits pick the slot, the high 32 are the tag. Public for tests.
  static uint64_t Hash(absl::string_view name);

 private:
  void Reset(size_t count);

  std::vector<uint64_t> slots_;  // 0: empty; else hash32 << 32 | (pos + 1)
  uint64_t mask_ = 0;
};

inline void NameIndex::Reset(size_t count) {
  size_t capacity = 16;
  while (capacity < 2 * count) capacity *= 2;
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
}

template <typename NameAt>
size_t NameIndex::Build(
    size_t count, NameAt name,
    const std::function<void(uint32_t, uint32_t)>& on_duplicate) {
  Reset(count);
  // Hashes run kAhead names ahead of the insertions, in a ring, and each
  // one's slot is prefetched when it is computed.
  constexpr size_t kAhead = 16;
  uint64_t ring[kAhead];
  for (size_t i = 0; i < count && i < kAhead; ++i) {
    ring[i] = Hash(name(i));
    __builtin_prefetch(&slots_[ring[i] & mask_], 1);
  }
  size_t repeats = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t h = ring[i % kAhead];
    if (i + kAhead < count) {
      const uint64_t next = Hash(name(i + kAhead));
      ring[i % kAhead] = next;
      __builtin_prefetch(&slots_[next & mask_], 1);
    }
    const uint64_t tag = h >> 32;
    for (uint64_t s = h & mask_;; s = (s + 1) & mask_) {
      const uint64_t slot = slots_[s];
      if (slot == 0) {
        slots_[s] = (tag << 32) | (i + 1);
        break;
      }
      if ((slot >> 32) == tag) {
        const uint32_t earlier = static_cast<uint32_t>(slot) - 1;
        if (name(earlier) == name(i)) {
          on_duplicate(earlier, static_cast<uint32_t>(i));
          slots_[s] = (tag << 32) | (i + 1);
          ++repeats;
          break;
        }
      }
    }
  }
  return repeats;
}

template <typename NameAt>
int64_t NameIndex::Find(absl::string_view name, NameAt name_at) const {
  if (slots_.empty()) return -1;
  const uint64_t h = Hash(name);
  const uint64_t tag = h >> 32;
  for (uint64_t s = h & mask_;; s = (s + 1) & mask_) {
    const uint64_t slot = slots_[s];
    if (slot == 0) return -1;
    if ((slot >> 32) == tag) {
      const uint32_t pos = static_cast<uint32_t>(slot) - 1;
      if (name_at(pos) == name) return pos;
    }
  }
}

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_NAME_INDEX_H_
