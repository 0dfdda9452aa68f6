// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The weight_map fast path (internal/weight_map_scan.h) against the general
// path: every index is parsed twice, once with the fast path allowed and
// once with it off, and the two results must be identical: OK or not,
// status code, error kind and message, and for accepted indexes the shard
// names, the weight map, the lookups and the metadata. Inputs: every index
// text of index_test (testing/index_cases.h) and randomly generated indexes
// (names with and without escapes, any JSON whitespace, repeated names,
// unsafe shard names, values that are not strings, truncations).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/index.h"
#include "safetensors/internal/weight_map_scan.h"
#include "safetensors/status.h"
#include "safetensors/testing/index_cases.h"

namespace safetensors {
namespace {

absl::StatusOr<Checkpoint> Parse(absl::string_view text, bool fast) {
  internal::ScopedWeightMapFastPath scope(fast);
  return Checkpoint::ParseIndex(text, "d/model.safetensors.index.json");
}

// "" when both results are the same, else what differs first.
std::string Difference(const absl::StatusOr<Checkpoint>& a,
                       const absl::StatusOr<Checkpoint>& b) {
  if (a.ok() != b.ok()) {
    return absl::StrCat("one accepts, one rejects: ",
                        a.ok() ? b.status().ToString() : a.status().ToString());
  }
  if (!a.ok()) {
    if (a.status().code() != b.status().code()) return "codes differ";
    if (ErrorKindOf(a.status()) != ErrorKindOf(b.status())) {
      return "kinds differ";
    }
    if (a.status().message() != b.status().message()) {
      return absl::StrCat("messages differ: ", a.status().message(), " | ",
                          b.status().message());
    }
    if (a.status() != b.status()) return "payloads differ";
    return "";
  }
  if (a->shard_names() != b->shard_names()) return "shard names differ";
  if (a->size() != b->size()) return "sizes differ";
  if (a->weight_map() != b->weight_map()) return "weight maps differ";
  if (a->index_metadata() != b->index_metadata()) return "metadata differs";
  if (a->total_size() != b->total_size()) return "total sizes differ";
  for (const auto& [name, shard] : a->weight_map()) {
    if (!a->Contains(name) || !b->Contains(name)) {
      return absl::StrCat("lookup of ", name, " fails");
    }
    if (a->Contains(name + "\x01") || b->Contains(name + "\x01")) {
      return absl::StrCat("lookup of a name not listed succeeds");
    }
  }
  if (a->size() != a->weight_map().size()) return "size is not the map's";
  return "";
}

void Compare(absl::string_view text, const std::string& label) {
  const absl::StatusOr<Checkpoint> fast = Parse(text, true);
  const absl::StatusOr<Checkpoint> general = Parse(text, false);
  EXPECT_EQ(Difference(fast, general), "") << label << "\n" << text;
}

TEST(IndexPaths, EveryIndexTestInput) {
  for (const test::IndexCase& c : test::RejectedIndexCases()) {
    Compare(c.text, c.name);
    EXPECT_THAT(Parse(c.text, true).status().ok(), false) << c.name;
  }
  for (const test::IndexCase& c : test::OtherIndexCases()) {
    Compare(c.text, c.name);
  }
}

TEST(IndexPaths, RealisticIndexTakesTheFastPathAndAgrees) {
  std::string text =
      "{\n  \"metadata\": {\"total_size\": 4},\n"
      "  \"weight_map\": {\n";
  for (int i = 0; i < 1000; ++i) {
    absl::StrAppend(&text, i == 0 ? "" : ",\n", "    \"model.layers.", i,
                    ".mlp.experts.", i % 7, ".up_proj.weight\": \"model-",
                    i % 13, "-of-00013.safetensors\"");
  }
  absl::StrAppend(&text, "\n  }\n}\n");
  Compare(text, "realistic");
  const absl::StatusOr<Checkpoint> c = Parse(text, true);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->size(), 1000u);
  EXPECT_EQ(c->shard_names().size(), 13u);
}

// A random index: mostly well formed, with random whitespace, escapes,
// repeats, unsafe or odd shard names and the occasional defect.
std::string RandomIndex(std::mt19937* rng) {
  auto pick = [rng](int n) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(*rng));
  };
  auto space = [&]() -> std::string {
    static const char* const kSpaces[] = {"",       "",   "",     " ",
                                          "\n    ", "\t", "\r\n", "  "};
    return kSpaces[pick(8)];
  };
  const char* const kNames[] = {"a",       "b",   "model.w",     "x.y.z",
                                "\\u0061", "\\n", "caf\xC3\xA9", "\\\"q",
                                "a/b",     ""};
  const char* const kFiles[] = {"s1.safetensors",
                                "s2.safetensors",
                                "model-00001-of-00002.safetensors",
                                "d/s3.safetensors",
                                "s\\u0031.safetensors",
                                "../x",
                                "/abs",
                                "",
                                "\\u0000",
                                "d/..",
                                "s1.safetensors"};
  const int members = pick(12);
  std::string map = "{" + space();
  for (int i = 0; i < members; ++i) {
    if (i > 0) map += "," + space();
    std::string name = kNames[pick(10)];
    if (pick(2)) absl::StrAppend(&name, ".", pick(50));
    absl::StrAppend(&map, "\"", name, "\"", space(), ":", space());
    switch (pick(40)) {
      case 0:
        map += "1";
        break;
      case 1:
        map += "null";
        break;
      case 2:
        map += "[\"s1\"]";
        break;
      default:
        // Mostly safe shard names, sometimes not.
        absl::StrAppend(&map, "\"", kFiles[pick(8) ? pick(4) : pick(11)], "\"");
    }
    map += space();
  }
  if (pick(30) == 0) map += ",";
  map += "}";
  std::string text = "{" + space();
  const int order = pick(3);
  const std::string metadata =
      absl::StrCat("\"metadata\"", space(), ":", space(),
                   pick(5) == 0 ? "null" : "{\"total_size\": 3}");
  if (order == 0) text += metadata + "," + space();
  absl::StrAppend(&text, "\"weight_map\"", space(), ":", space(), map, space());
  if (order == 1) text += "," + space() + metadata;
  if (pick(20) == 0) text += ", \"weight_map\": {}";
  text += "}" + space();
  if (pick(25) == 0) text += "x";
  if (pick(20) == 0) text.resize(pick(static_cast<int>(text.size()) + 1));
  return text;
}

TEST(IndexPaths, RandomIndexes) {
  std::mt19937 rng(20261201);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string text = RandomIndex(&rng);
    Compare(text, absl::StrCat("random #", i));
    if (Parse(text, true).ok()) ++accepted;
    if (HasFailure()) break;
  }
  // Both outcomes are exercised.
  EXPECT_GT(accepted, 2000);
  EXPECT_LT(accepted, 18000);
}

}  // namespace
}  // namespace safetensors
