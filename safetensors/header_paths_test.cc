// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The compact-entry fast path against the general path: every header is
// parsed twice, once with the fast path allowed and once with it off, in both
// profiles, and the two results must be identical: OK or not, status code,
// error kind and message, and for accepted headers every field (entries in
// order with names, dtypes, shapes and offsets, lookups, metadata,
// header_size, data_size). Inputs: every case of reader_cases_test.cc's
// tables (its table builders are compiled in here, its tests are not), every
// committed conformance vector, and generated compact headers.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/dtype.h"
#include "safetensors/header.h"
#include "safetensors/internal/header_for_testing.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/status.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/testing/test_util.h"

// reader_cases_test.cc's case tables, without its tests (they run in their
// own target): its TEST bodies become unused functions here.
#pragma push_macro("TEST")
#undef TEST
#define TEST(suite, name) \
  [[maybe_unused]] static void suite##_##name##_NotRunHere()
#include "safetensors/reader_cases_table.inc"
#undef TEST
#pragma pop_macro("TEST")

namespace safetensors {
namespace paths_test {
namespace {

using ::safetensors::internal::ParseHeaderForTesting;

// The number of headers compared per source, for the summary.
struct Counts {
  int compared = 0;
  int accepted = 0;
};

std::string Describe(const absl::StatusOr<Header>& h) {
  if (!h.ok()) return h.status().ToString();
  std::string out = absl::StrCat("ok header_size=", h->header_size(),
                                 " data_size=", h->data_size());
  for (const TensorInfo& t : h->tensors()) {
    absl::StrAppend(&out, "\n  ", internal::json::Quoted(t.name), " ",
                    DtypeName(t.dtype), " ", FormatShape(t.shape), " [",
                    t.begin, ",", t.end, "]");
  }
  if (h->metadata()) {
    absl::StrAppend(&out, "\n  metadata:");
    for (const auto& [k, v] : *h->metadata()) {
      absl::StrAppend(&out, " ", internal::json::Quoted(k), "=",
                      internal::json::Quoted(v));
    }
  } else {
    absl::StrAppend(&out, "\n  no metadata");
  }
  return out;
}

// Parses `text` both ways and expects identical results.
void Compare(absl::string_view text, uint64_t file_size, Profile profile,
             const std::string& label, Counts* counts) {
  ReadOptions options;
  options.profile = profile;
  const absl::StatusOr<Header> fast =
      ParseHeaderForTesting(text, file_size, options, true);
  const absl::StatusOr<Header> general =
      ParseHeaderForTesting(text, file_size, options, false);
  ++counts->compared;
  SCOPED_TRACE(absl::StrCat(
      label, profile == Profile::kStrict ? " (strict)" : " (reference)",
      "\nheader: ", text.substr(0, 400)));
  // One definition of "the same result", shared with
  // fuzz/header_paths_fuzzer.cc.
  EXPECT_EQ(internal::HeaderResultDifference(fast, general), "")
      << "fast: " << Describe(fast) << "\ngeneral: " << Describe(general);
  if (fast.ok()) ++counts->accepted;
}

// A whole file: its header text when the length rules let it through.
// Returns false when they do not (both paths are then never reached).
bool CompareFile(absl::string_view file, Profile profile,
                 const std::string& label, Counts* counts) {
  ReadOptions options;
  options.profile = profile;
  const absl::Span<const uint8_t> bytes(
      reinterpret_cast<const uint8_t*>(file.data()), file.size());
  const absl::StatusOr<uint64_t> n =
      ReadHeaderSize(bytes, file.size(), options);
  if (!n.ok()) return false;
  Compare(file.substr(8, *n), file.size(), profile, label, counts);
  return true;
}

const Profile kProfiles[] = {Profile::kStrict, Profile::kReference};

TEST(HeaderPaths, ReaderTableCases) {
  std::vector<::safetensors::Case> cases = ::safetensors::ReaderCases();
  for (auto* more :
       {&::safetensors::JsonLayerCases, &::safetensors::StrictOnlyCases}) {
    std::vector<::safetensors::Case> c = (*more)();
    cases.insert(cases.end(), c.begin(), c.end());
  }
  Counts counts;
  int unreachable = 0;
  for (const ::safetensors::Case& c : cases) {
    for (Profile p : kProfiles) {
      if (!CompareFile(c.file, p, c.name, &counts)) ++unreachable;
    }
  }
  std::printf(
      "reader table: %zu cases, %d header parses compared (%d accepted), "
      "%d stopped by the length rules\n",
      cases.size(), counts.compared, counts.accepted, unreachable);
  EXPECT_GT(counts.compared, 500);
}

std::string RunfilesDir(absl::string_view sub) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir ? srcdir : ".", "/",
                      workspace ? workspace : "safetensors_cpp", "/", sub);
}

TEST(HeaderPaths, ConformanceVectors) {
  const std::string dir = RunfilesDir("conformance/vectors");
  std::vector<std::string> files;
  for (const std::string& name : test::ListDir(dir)) {  // sorted
    if (absl::EndsWith(name, ".safetensors")) files.push_back(name);
  }
  ASSERT_FALSE(files.empty()) << dir;
  Counts counts;
  int unreachable = 0;
  for (const std::string& f : files) {
    const std::string bytes = test::ReadWholeFile(absl::StrCat(dir, "/", f));
    for (Profile p : kProfiles) {
      if (!CompareFile(bytes, p, f, &counts)) ++unreachable;
    }
  }
  std::printf(
      "conformance: %zu vector files, %d header parses compared (%d "
      "accepted), %d stopped by the length rules\n",
      files.size(), counts.compared, counts.accepted, unreachable);
  EXPECT_GT(files.size(), 300u);
}

// Random compact headers, mostly valid, with deliberate defects: escaped and
// repeated names, unknown dtypes, scalars and zero dimensions, overflowing
// shapes, sub-byte sizes, numbers the fast path declines (20 digits, leading
// zeros), broken offsets, entries in other forms, metadata, padding and
// wrong file sizes.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  struct Output {
    std::string header;
    uint64_t file_size;
  };

  Output Next() {
    const int count = Uniform(0, 6);
    std::vector<std::string> members;
    std::vector<std::string> names;
    uint64_t cursor = 0;
    for (int i = 0; i < count; ++i) {
      std::string name = Name(i);
      if (!names.empty() && Chance(0.08))
        name = names[Uniform(0, names.size() - 1)];
      names.push_back(name);
      members.push_back(absl::StrCat("\"", name, "\":", Entry(&cursor)));
    }
    // Text order differs from offset order now and then.
    if (Chance(0.3)) std::shuffle(members.begin(), members.end(), rng_);
    if (Chance(0.3)) {
      const size_t at = Uniform(0, members.size());
      members.insert(members.begin() + at, Metadata());
    }
    std::string header = "{";
    for (size_t i = 0; i < members.size(); ++i) {
      if (i > 0) header += ",";
      header += members[i];
    }
    header += "}";
    if (Chance(0.05)) header = " " + header;
    if (Chance(0.05)) header += "\n";
    header += std::string(Uniform(0, 3), ' ');
    uint64_t file_size = 8 + header.size() + cursor;
    if (Chance(0.05)) file_size += Chance(0.5) ? 1 : -1;
    return {header, file_size};
  }

 private:
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  size_t Uniform(size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng_);
  }

  // A name as JSON string content (escapes left as written).
  std::string Name(int i) {
    static const char* const kForms[] = {
        "t%d",        "layer.%d.weight",  "a\\nb%d",
        "\\u00e9%d",  "q\\\"%d",          "s\\\\%d",
        "\xc3\xa9%d", "\\ud83d\\ude00%d", "x\\/%d",
        "%d",
    };
    const size_t form = Chance(0.6) ? 0 : Uniform(0, 9);
    char buf[64];
    std::snprintf(buf, sizeof(buf), kForms[form], i);
    return buf;
  }

  // A number's text, sometimes one the fast path declines.
  std::string Number(uint64_t v) {
    if (Chance(0.02)) return absl::StrCat("0", v);  // leading zero: JSON error
    if (Chance(0.02)) return absl::StrCat(v, "0");  // often 20 digits
    return absl::StrCat(v);
  }

  std::string Entry(uint64_t* cursor) {
    const absl::Span<const Dtype> all = AllDtypes();
    const Dtype dtype = all[Uniform(0, all.size() - 1)];
    std::string dtype_text(DtypeName(dtype));
    if (Chance(0.02)) dtype_text = "F33";
    if (Chance(0.02)) dtype_text = "f32";
    std::vector<uint64_t> shape;
    const size_t rank = Uniform(0, 3);
    for (size_t i = 0; i < rank; ++i) {
      uint64_t dim = Uniform(0, 5);
      if (Chance(0.02)) dim = uint64_t{1} << Uniform(31, 63);
      if (Chance(0.01)) dim = 9999999999999999999u;
      if (Chance(0.01)) dim = ~uint64_t{0};
      shape.push_back(dim);
    }
    absl::StatusOr<uint64_t> size = TensorByteSize(dtype, shape);
    uint64_t span = size.ok() ? *size : Uniform(0, 3);
    uint64_t begin = *cursor;
    uint64_t end = begin + span;
    if (Chance(0.03)) begin += 1;
    if (Chance(0.03)) end = end > 0 ? end - 1 : 1;
    if (Chance(0.02)) std::swap(begin, end);
    if (Chance(0.01)) end = ~uint64_t{0};
    *cursor = std::max(*cursor, end == ~uint64_t{0} ? *cursor : end);
    std::string shape_text;
    for (size_t i = 0; i < shape.size(); ++i) {
      if (i > 0) shape_text += ",";
      shape_text += Number(shape[i]);
    }
    const std::string b = Number(begin), e = Number(end);
    switch (Chance(0.9) ? 0 : Uniform(1, 5)) {
      case 1:  // whitespace
        return absl::StrCat("{\"dtype\": \"", dtype_text, "\",\"shape\":[",
                            shape_text, "],\"data_offsets\":[", b, ",", e,
                            "]}");
      case 2:  // another field order
        return absl::StrCat("{\"shape\":[", shape_text, "],\"dtype\":\"",
                            dtype_text, "\",\"data_offsets\":[", b, ",", e,
                            "]}");
      case 3:  // an unknown field
        return absl::StrCat("{\"dtype\":\"", dtype_text, "\",\"shape\":[",
                            shape_text, "],\"data_offsets\":[", b, ",", e,
                            "],\"x\":1}");
      case 4:  // array form (reference only)
        return absl::StrCat("[\"", dtype_text, "\",[", shape_text, "],[", b,
                            ",", e, "]]");
      case 5:  // truncated offsets
        return absl::StrCat("{\"dtype\":\"", dtype_text, "\",\"shape\":[",
                            shape_text, "],\"data_offsets\":[", b, "]}");
      default:
        return absl::StrCat("{\"dtype\":\"", dtype_text, "\",\"shape\":[",
                            shape_text, "],\"data_offsets\":[", b, ",", e,
                            "]}");
    }
  }

  std::string Metadata() {
    if (Chance(0.1)) return "\"__metadata__\":null";
    std::string out = "\"__metadata__\":{";
    const size_t n = Uniform(0, 3);
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) out += ",";
      const size_t key = Chance(0.1) ? 0 : i;
      absl::StrAppend(&out, "\"k", key, "\":\"v\\n", Uniform(0, 9), "\"");
    }
    return out + "}";
  }

  std::mt19937_64 rng_;
};

TEST(HeaderPaths, GeneratedCompactHeaders) {
  constexpr int kHeaders = 4000;
  Generator gen(20260101);
  Counts counts;
  for (int i = 0; i < kHeaders; ++i) {
    const Generator::Output out = gen.Next();
    for (Profile p : kProfiles) {
      Compare(out.header, out.file_size, p, absl::StrCat("generated #", i),
              &counts);
      if (::testing::Test::HasFailure()) return;
    }
  }
  std::printf("generated: %d headers, %d parses compared (%d accepted)\n",
              kHeaders, counts.compared, counts.accepted);
  // The generator must exercise both outcomes.
  EXPECT_GT(counts.accepted, counts.compared / 4);
  EXPECT_LT(counts.accepted, counts.compared * 9 / 10);
}

}  // namespace
}  // namespace paths_test
}  // namespace safetensors
