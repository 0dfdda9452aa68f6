// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Index texts that index_test checks one by one, shared with
// index_paths_test, which holds the weight_map fast path to the general
// path's result on each of them.

#ifndef SAFETENSORS_TESTING_INDEX_CASES_H_
#define SAFETENSORS_TESTING_INDEX_CASES_H_

#include <string>
#include <vector>

namespace safetensors {
namespace test {

struct IndexCase {
  const char* name;
  std::string text;
};

// Indexes that ParseIndex rejects with InvalidHeaderDeserialization.
inline std::vector<IndexCase> RejectedIndexCases() {
  return {
      {"empty", ""},
      {"not json", "weight_map"},
      {"array", "[]"},
      {"no weight_map", R"({"metadata": {}})"},
      {"weight_map array", R"({"weight_map": []})"},
      {"metadata string", R"({"metadata": "x", "weight_map": {}})"},
      {"value number", R"({"weight_map": {"a": 1}})"},
      {"value null", R"({"weight_map": {"a": null}})"},
      {"duplicate top key", R"({"weight_map": {}, "weight_map": {}})"},
      {"duplicate tensor", R"({"weight_map": {"a": "s", "a": "s"}})"},
      {"duplicate escaped tensor",
       R"({"weight_map": {"a": "s", "\u0061": "t"}})"},
      {"duplicate metadata key",
       R"({"metadata": {"k": 1, "k": 2}, "weight_map": {}})"},
      {"absolute path", R"({"weight_map": {"a": "/etc/passwd"}})"},
      {"dot dot", R"({"weight_map": {"a": "../x.safetensors"}})"},
      {"inner dot dot", R"({"weight_map": {"a": "d/../../x.safetensors"}})"},
      {"trailing dot dot", R"({"weight_map": {"a": "d/.."}})"},
      {"empty name", R"({"weight_map": {"a": ""}})"},
      {"nul in name", R"({"weight_map": {"a": "x\u0000.safetensors"}})"},
      {"trailing garbage", R"({"weight_map": {}} x)"},
      {"trailing comma", R"({"weight_map": {"a": "s",}})"},
      {"bad utf8", std::string("{\"weight_map\": {\"\xff\": \"s\"}}")},
  };
}

// Every other index text index_test parses (accepted or not).
inline std::vector<IndexCase> OtherIndexCases() {
  return {
      {"accepts",
       R"({"metadata": {"total_size": 12, "format": "pt", "nested": {"a": [1]}},
          "other": [1, {"x": null}],
          "weight_map": {"b": "s2.safetensors", "a": "s1.safetensors",
                         "c\u0041": "s1.safetensors"}})"},
      {"empty map", R"({"weight_map": {}})"},
      {"byte order mark", "\xEF\xBB\xBF{\"weight_map\": {}}"},
      {"metadata null",
       R"({"metadata": null, "weight_map": {"a": "s.safetensors"}})"},
      {"html", "<!DOCTYPE html><html><body>Access denied</body></html>"},
      {"lfs",
       "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n"},
      {"unsafe ../../", R"({"weight_map": {"w": "../../etc/x"}})"},
      {"unsafe d/..", R"({"weight_map": {"w": "d/.."}})"},
      {"unsafe absolute", R"({"weight_map": {"w": "/etc/passwd"}})"},
      {"unsafe empty", R"({"weight_map": {"w": ""}})"},
      {"unsafe nul", R"({"weight_map": {"w": "x\u0000.st"}})"},
      {"two shards",
       R"({"metadata": {"total_size": 9}, "weight_map": {"a": "s1.safetensors", "b": "s1.safetensors", "c": "s2.safetensors"}})"},
      {"tensor in two shards",
       R"({"metadata": {"total_size": 9}, "weight_map": {"a": "s1.safetensors", "b": "s2.safetensors", "c": "s2.safetensors"}})"},
      {"map before metadata",
       "{\"weight_map\":{\"a\":\"s1\",\n\t\"b\" : \"s2\"\r\n},"
       "\"metadata\":{\"x\":[]}}"},
      {"escaped file", R"({"weight_map": {"a": "s\u0031", "b": "s1"}})"},
      {"raw tab in name", "{\"weight_map\": {\"a\tb\": \"s1\"}}"},
      {"unterminated", R"({"weight_map": {"a": "s1")"},
      {"missing colon", R"({"weight_map": {"a" "s1"}})"},
      {"missing comma", R"({"weight_map": {"a": "s1" "b": "s2"}})"},
      {"unicode names", "{\"weight_map\": {\"\xC3\xA9t\xC3\xA9\": \"s1\"}}"},
  };
}

}  // namespace test
}  // namespace safetensors

#endif  // SAFETENSORS_TESTING_INDEX_CASES_H_
