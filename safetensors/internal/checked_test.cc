// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/checked.h"

#include <cstdint>
#include <cstring>
#include <iostream>

#include "gtest/gtest.h"

namespace safetensors {
namespace {

constexpr uint64_t kMax = UINT64_MAX;

TEST(CheckedAdd, Boundaries) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedAdd(kMax - 1, 1, &out));
  EXPECT_EQ(out, kMax);
  EXPECT_FALSE(CheckedAdd(kMax, 1, &out));
  EXPECT_FALSE(CheckedAdd(1ull << 63, 1ull << 63, &out));
  EXPECT_TRUE(CheckedAdd(0, 0, &out));
  EXPECT_EQ(out, 0u);
}

TEST(CheckedMul, Boundaries) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedMul(1ull << 32, (1ull << 32) - 1, &out));
  EXPECT_EQ(out, (1ull << 32) * ((1ull << 32) - 1));
  EXPECT_FALSE(CheckedMul(1ull << 32, 1ull << 32, &out));
  EXPECT_FALSE(CheckedMul(kMax, 2, &out));
  EXPECT_TRUE(CheckedMul(kMax, 1, &out));
  EXPECT_EQ(out, kMax);
  EXPECT_TRUE(CheckedMul(kMax, 0, &out));
  EXPECT_EQ(out, 0u);
  EXPECT_FALSE(CheckedMul(3, 6148914691236517206ull, &out));  // ceil(2^64/3)
  EXPECT_TRUE(CheckedMul(3, 6148914691236517205ull, &out));
  EXPECT_EQ(out, kMax);
}

TEST(RangeInside, NeverOverflows) {
  EXPECT_TRUE(RangeInside(0, 0, 0));
  EXPECT_TRUE(RangeInside(0, 10, 10));
  EXPECT_TRUE(RangeInside(10, 0, 10));
  EXPECT_FALSE(RangeInside(11, 0, 10));
  EXPECT_FALSE(RangeInside(1, 10, 10));
  EXPECT_FALSE(RangeInside(kMax, 2, 10));  // offset + length would wrap to 1
  EXPECT_FALSE(RangeInside(2, kMax, 10));
  EXPECT_TRUE(RangeInside(kMax - 1, 1, kMax));
}

// The host's byte order, printed into the test log and checked against the
// compiler's: under --config=s390x this must say big-endian, which .ci/run
// checks, proving that the tests really ran a big-endian binary under qemu.
TEST(Host, ByteOrderMatchesTheCompiler) {
  const uint32_t probe = 0x01020304;
  unsigned char bytes[4];
  std::memcpy(bytes, &probe, 4);
  const bool big = bytes[0] == 0x01;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  EXPECT_TRUE(big);
#else
  EXPECT_FALSE(big);
  EXPECT_EQ(bytes[0], 0x04);
#endif
  std::cout << "host byte order: " << (big ? "big-endian" : "little-endian")
            << std::endl;
}

}  // namespace
}  // namespace safetensors
