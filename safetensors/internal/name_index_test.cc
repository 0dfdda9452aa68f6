// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Unit tests of the name index: every name is found at its position, absent
// names are not, repeats are reported in order and the later one wins, and
// the index is rebuilt from scratch by a second Build.

#include "safetensors/internal/name_index.h"

#include <cstdint>
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
