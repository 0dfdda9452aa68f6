// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Unit tests of the name index: every name is found at its position, absent
// names are not, repeats are reported in order and the later one wins, and
// the index is rebuilt from scratch by a second Build.

#include "safetensors/internal/name_index.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace safetensors {
namespace internal {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

struct Names {
  std::vector<std::string> names;
  absl::string_view operator()(uint32_t i) const { return names[i]; }
};

TEST(NameIndex, EmptyIndexFindsNothing) {
  NameIndex index;
  Names names;
  EXPECT_EQ(index.Find("a", names), -1);
  EXPECT_EQ(index.Build(0, names, [](uint32_t, uint32_t) {}), 0u);
  EXPECT_EQ(index.Find("", names), -1);
}

TEST(NameIndex, FindsEveryNameAtItsPosition) {
  Names names;
  for (int i = 0; i < 5000; ++i) {
    names.names.push_back(absl::StrCat("model.layers.", i, ".weight"));
  }
  names.names.push_back("");                      // the empty name
  names.names.push_back(std::string("a\0b", 3));  // a NUL inside
  NameIndex index;
  ASSERT_EQ(index.Build(names.names.size(), names,
                        [](uint32_t, uint32_t) { FAIL() << "no repeats"; }),
            0u);
  for (size_t i = 0; i < names.names.size(); ++i) {
    EXPECT_EQ(index.Find(names.names[i], names), static_cast<int64_t>(i));
  }
  EXPECT_EQ(index.Find("model.layers.5000.weight", names), -1);
  EXPECT_EQ(index.Find("a", names), -1);  // a prefix of "a\0b"
  EXPECT_EQ(index.Find(std::string("a\0c", 3), names), -1);
}

// One byte changed anywhere, in names of every length up to 80 (each of the
// hash's load widths and block counts), gives another hash.
TEST(NameIndex, HashSeesEveryByte) {
  for (size_t n = 0; n <= 80; ++n) {
    const std::string base(n, 'w');
    std::set<uint64_t> seen = {NameIndex::Hash(base)};
    for (size_t i = 0; i < n; ++i) {
      for (char c : {'x', '\0', '\xff'}) {
        std::string other = base;
        other[i] = c;
        EXPECT_TRUE(seen.insert(NameIndex::Hash(other)).second)
            << "length " << n << ", byte " << i;
      }
    }
    if (n > 0) {  // a longer name of the same bytes
      EXPECT_NE(NameIndex::Hash(base), NameIndex::Hash(base + 'w'));
    }
  }
}

// 10^5 names shaped like a mixture-of-experts checkpoint's spread over the
// slots as random values would, and almost never share a tag.
TEST(NameIndex, HashSpreadsCheckpointNames) {
  constexpr int kBits = 18;  // a 2^18-slot table
  std::vector<std::string> names;
  for (int layer = 0; names.size() < 100000; ++layer) {
    for (int expert = 0; expert < 256; ++expert) {
      for (const char* p : {"down_proj", "gate_proj", "up_proj"}) {
        for (const char* w : {"weight", "weight_scale_inv"}) {
          names.push_back(absl::StrCat("model.layers.", layer, ".mlp.experts.",
                                       expert, ".", p, ".", w));
        }
      }
    }
  }
  names.resize(100000);
  std::set<uint64_t> slots, tags;
  for (const std::string& name : names) {
    const uint64_t h = NameIndex::Hash(name);
    slots.insert(h & ((uint64_t{1} << kBits) - 1));
    tags.insert(h >> 32);
  }
  // Random values would fill 2^18 * (1 - e^(-10^5 / 2^18)) = 83,080 slots
  // (standard deviation about 170), and share about 1.2 of 2^32 tags.
  EXPECT_GT(slots.size(), 82000u);
  EXPECT_GT(tags.size(), 100000u - 10);
}

TEST(NameIndex, RepeatsAreReportedAndTheLaterOneWins) {
  Names names{{"x", "y", "x", "z", "x", "y"}};
  std::vector<std::pair<uint32_t, uint32_t>> repeats;
  NameIndex index;
  EXPECT_EQ(index.Build(names.names.size(), names,
                        [&](uint32_t earlier, uint32_t later) {
                          repeats.emplace_back(earlier, later);
                        }),
            3u);
  EXPECT_THAT(repeats, ElementsAre(Pair(0u, 2u), Pair(2u, 4u), Pair(1u, 5u)));
  EXPECT_EQ(index.Find("x", names), 4);
  EXPECT_EQ(index.Find("y", names), 5);
  EXPECT_EQ(index.Find("z", names), 3);
}

TEST(NameIndex, BuildReplacesThePreviousContent) {
  Names first{{"a", "b", "c"}};
  Names second{{"c", "d"}};
  NameIndex index;
  ASSERT_EQ(index.Build(3, first, [](uint32_t, uint32_t) {}), 0u);
  ASSERT_EQ(index.Build(2, second, [](uint32_t, uint32_t) {}), 0u);
  EXPECT_EQ(index.Find("a", second), -1);
  EXPECT_EQ(index.Find("c", second), 0);
  EXPECT_EQ(index.Find("d", second), 1);
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
