// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/byteswap.h"

#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "safetensors/internal/byteswap_kernels.h"

namespace safetensors {
namespace {

using internal::AvailableKernels;
using internal::Kernel;
using internal::SwapFn;

// The slowest possible reference: byte i of each element goes to the mirror
// position.
std::vector<uint8_t> Reference(int unit, const uint8_t* src, size_t bytes) {
  std::vector<uint8_t> out(bytes);
  for (size_t e = 0; e < bytes; e += unit) {
    for (int k = 0; k < unit; ++k) out[e + k] = src[e + unit - 1 - k];
  }
  return out;
}

// memcmp, defined for n == 0 with null pointers too.
bool Same(const uint8_t* a, const uint8_t* b, size_t n) {
  return n == 0 || std::memcmp(a, b, n) == 0;
}

SwapFn Fn(const Kernel& k, int unit) {
  return unit == 2 ? k.swap2 : unit == 4 ? k.swap4 : k.swap8;
}

TEST(Byteswap, KernelsArePresent) {
  const std::vector<Kernel>& all = AvailableKernels();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().name, "scalar");
  std::cout << "byteswap kernels:";
  for (const Kernel& k : all) std::cout << " " << k.name;
  std::cout << "; active: " << internal::ActiveKernel().name << std::endl;
#if defined(__s390x__)
  // The vector facility is there under qemu (and on any z13 or later), so
  // the vector kernel must be in use.
  EXPECT_EQ(internal::ActiveKernel().name, "portable");
#elif defined(__x86_64__)
  EXPECT_GE(all.size(), 2u);  // every x86-64 CPU here has at least SSSE3
#endif
}

// Every kernel, every unit, every length 0..300, every misalignment of the
// source and of the destination up to 64 bytes, copying and in place.
TEST(Byteswap, EveryKernelMatchesTheReference) {
  std::mt19937 rng(42);
  std::vector<uint8_t> pool(300 + 128);
  for (uint8_t& b : pool) b = static_cast<uint8_t>(rng());
  std::vector<uint8_t> dst_buf(300 + 128);
  for (const Kernel& k : AvailableKernels()) {
    for (int unit : {2, 4, 8}) {
      const SwapFn fn = Fn(k, unit);
      for (size_t len = 0; len <= 300; len += unit) {
        for (size_t mis = 0; mis < 64; ++mis) {
          // (mis, 0), (0, mis) and (mis, 63 - mis).
          const size_t pairs[3][2] = {{mis, 0}, {0, mis}, {mis, 63 - mis}};
          for (const auto& p : pairs) {
            const uint8_t* src = pool.data() + p[0];
            const std::vector<uint8_t> want = Reference(unit, src, len);
            std::memset(dst_buf.data(), 0xEE, dst_buf.size());
            uint8_t* dst = dst_buf.data() + p[1];
            fn(src, dst, len);
            ASSERT_TRUE(Same(dst, want.data(), len))
                << k.name << " unit " << unit << " len " << len << " src+"
                << p[0] << " dst+" << p[1];
            // Nothing outside [dst, dst + len) was touched.
            for (size_t i = 0; i < dst_buf.size(); ++i) {
              if (i < p[1] || i >= p[1] + len) {
                ASSERT_EQ(dst_buf[i], 0xEE) << k.name << " wrote byte " << i;
              }
            }
            // In place.
            std::vector<uint8_t> inplace(pool.begin(), pool.end());
            fn(inplace.data() + p[0], inplace.data() + p[0], len);
            ASSERT_TRUE(Same(inplace.data() + p[0], want.data(), len))
                << k.name << " in place, unit " << unit << " len " << len;
          }
        }
      }
    }
  }
}

TEST(Byteswap, LargeBuffers) {
  for (size_t len : {size_t{4096}, size_t{65536} + 8, size_t{1} << 20,
                     (size_t{3} << 20) + 24}) {
    std::vector<uint8_t> src(len + 3);
    std::mt19937 rng(static_cast<unsigned>(len));
    for (uint8_t& b : src) b = static_cast<uint8_t>(rng());
    for (const Kernel& k : AvailableKernels()) {
      for (int unit : {2, 4, 8}) {
        const std::vector<uint8_t> want = Reference(unit, src.data() + 3, len);
        std::vector<uint8_t> dst(len + 1);
        Fn(k, unit)(src.data() + 3, dst.data() + 1, len);
        ASSERT_EQ(std::memcmp(dst.data() + 1, want.data(), len), 0)
            << k.name << " unit " << unit << " len " << len;
      }
    }
  }
}

TEST(SwapCopy, UnitOneCopiesAndOthersSwap) {
  const uint8_t src[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  uint8_t dst[8];
  SwapCopy(1, src, dst, 8);
  EXPECT_EQ(std::memcmp(dst, src, 8), 0);
  SwapCopy(2, src, dst, 8);
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 8),
            (std::vector<uint8_t>{2, 1, 4, 3, 6, 5, 8, 7}));
  SwapCopy(4, src, dst, 8);
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 8),
            (std::vector<uint8_t>{4, 3, 2, 1, 8, 7, 6, 5}));
  SwapCopy(8, src, dst, 8);
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 8),
            (std::vector<uint8_t>{8, 7, 6, 5, 4, 3, 2, 1}));
  uint8_t data[4] = {1, 2, 3, 4};
  SwapInPlace(4, data, 4);
  EXPECT_EQ(std::vector<uint8_t>(data, data + 4),
            (std::vector<uint8_t>{4, 3, 2, 1}));
  SwapCopy(1, data, data, 4);  // copying onto itself is a no-op
  EXPECT_EQ(data[0], 4);
}

// Little-endian file bytes become the host's values, on either host.
TEST(HostOrder, KnownValuesReadBackOnThisHost) {
  // 1.5f, -2.0f as F32; 0x0102 as U16; 1 as I64; -1+1j as C64.
  const uint8_t f32[] = {0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0};
  float floats[2];
  CopyLittleEndianToHost(Dtype::kF32, f32,
                         absl::MakeSpan(reinterpret_cast<uint8_t*>(floats), 8));
  EXPECT_EQ(floats[0], 1.5f);
  EXPECT_EQ(floats[1], -2.0f);

  const uint8_t u16[] = {0x02, 0x01};
  uint16_t half;
  CopyLittleEndianToHost(Dtype::kU16, u16,
                         absl::MakeSpan(reinterpret_cast<uint8_t*>(&half), 2));
  EXPECT_EQ(half, 0x0102);

  const uint8_t i64[] = {1, 0, 0, 0, 0, 0, 0, 0};
  int64_t one;
  CopyLittleEndianToHost(Dtype::kI64, i64,
                         absl::MakeSpan(reinterpret_cast<uint8_t*>(&one), 8));
  EXPECT_EQ(one, 1);

  const uint8_t c64[] = {0, 0, 0x80, 0xBF, 0, 0, 0x80, 0x3F};
  float complex_parts[2];
  CopyLittleEndianToHost(
      Dtype::kC64, c64,
      absl::MakeSpan(reinterpret_cast<uint8_t*>(complex_parts), 8));
  EXPECT_EQ(complex_parts[0], -1.0f);
  EXPECT_EQ(complex_parts[1], 1.0f);

  // One-byte and sub-byte types are never swapped.
  const uint8_t bytes[] = {1, 2, 3, 4};
  uint8_t out[4];
  for (Dtype d : {Dtype::kU8, Dtype::kBool, Dtype::kF8E4M3, Dtype::kF4}) {
    CopyLittleEndianToHost(d, bytes, out);
    EXPECT_EQ(std::memcmp(out, bytes, 4), 0) << DtypeName(d);
  }

  // And back: host values give the file's bytes.
  uint8_t back[8];
  CopyHostToLittleEndian(
      Dtype::kF32, absl::MakeSpan(reinterpret_cast<uint8_t*>(floats), 8), back);
  EXPECT_EQ(std::memcmp(back, f32, 8), 0);
}

}  // namespace
}  // namespace safetensors
