// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/name_index.h"

#include <sys/random.h>

#include <chrono>
#include <cstring>

namespace safetensors {
namespace internal {
namespace {

// Odd 64-bit constants with about half their bits set (digits of pi).
constexpr uint64_t kK0 = 0x243f6a8885a308d3ull;
constexpr uint64_t kK1 = 0x13198a2e03707345ull;
constexpr uint64_t kK2 = 0xa4093822299f31d1ull;

// The 128-bit product of a and b, its halves folded together.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(p) ^ static_cast<uint64_t>(p >> 64);
}

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The process's key: names an attacker chose cannot be made to collide
// without knowing it (the table's probes stay short on hostile headers).
uint64_t ProcessKey() {
  static const uint64_t key = [] {
    uint64_t k = 0;
    if (getrandom(&k, sizeof(k), GRND_NONBLOCK) != sizeof(k)) {
      // No entropy yet (early boot): the clock and an address, which ASLR
      // varies.
      int local;
      k = static_cast<uint64_t>(
              std::chrono::steady_clock::now().time_since_epoch().count()) ^
          reinterpret_cast<uintptr_t>(&local);
    }
    return k | 1;
  }();
  return key;
}

}  // namespace

// A keyed multiply-fold hash over 16 bytes per step: about a third of the
// instructions of absl::Hash on tensor-name lengths (30-80 bytes), which a
// checkpoint open hashes three times per tensor (the index, each shard's
// header, the lookup between them). The bytes are read in the host's order:
// the values differ between hosts, and nothing depends on them but the
// table's layout.
uint64_t NameIndex::Hash(absl::string_view name) {
  const char* p = name.data();
  size_t n = name.size();
  // The key is in both factors of every product: with a public constant
  // alone in one, a block equal to that constant would zero the product and
  // wipe the key from the state.
  const uint64_t key = ProcessKey();
  const uint64_t k1 = kK1 ^ key;
  uint64_t seed = key ^ Fold(n ^ kK0, k1);
  uint64_t a, b;
  if (n <= 16) {
    if (n >= 8) {
      a = Load64(p);
      b = Load64(p + n - 8);
    } else if (n >= 4) {
      a = Load32(p);
      b = Load32(p + n - 4);
    } else if (n > 0) {
      a = (static_cast<uint64_t>(static_cast<uint8_t>(p[0])) << 16) |
          (static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2])) << 8) |
          static_cast<uint8_t>(p[n - 1]);
      b = 0;
    } else {
      a = b = 0;
    }
  } else {
    while (n > 16) {
      seed = Fold(Load64(p) ^ k1, Load64(p + 8) ^ seed);
      p += 16;
      n -= 16;
    }
    // The last 16 bytes, overlapping the previous step's when n < 16.
    a = Load64(p + n - 16);
    b = Load64(p + n - 8);
  }
  const uint64_t h = Fold(a ^ k1, b ^ seed);
  // Both the low bits (the slot) and the high bits (the tag) are used.
  return Fold(h ^ kK2, name.size() ^ kK0);
}

}  // namespace internal
}  // namespace safetensors
