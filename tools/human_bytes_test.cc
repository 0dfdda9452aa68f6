// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/human_bytes.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace safetensors {
namespace tool {
namespace {

TEST(HumanBytes, Units) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1024), "1 KiB");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(uint64_t{256} << 20), "256 MiB");
  EXPECT_EQ(HumanBytes(14483464192), "13.5 GiB");
  EXPECT_EQ(HumanBytes(UINT64_MAX), "16 EiB");
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
