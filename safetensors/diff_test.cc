// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/diff.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/dump.h"
#include "safetensors/index.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;

// A Difference with these fields.
::testing::Matcher<const Difference&> Diffed(Difference::Kind kind,
                                             const std::string& name,
                                             const std::string& a,
                                             const std::string& b) {
  return AllOf(Field(&Difference::kind, kind), Field(&Difference::name, name),
               Field(&Difference::a, a), Field(&Difference::b, b));
}

struct T {
  std::string name;
  Dtype dtype;
  std::vector<uint64_t> shape;
  std::string data;
};

// Writes the tensors (their bytes as the file holds them: little-endian) to
// a file in the test's temporary directory and opens it as a checkpoint.
Checkpoint Write(absl::string_view name, const std::vector<T>& tensors,
                 const std::optional<MetadataMap>& metadata = std::nullopt) {
  std::vector<TensorRef> refs;
  for (const T& t : tensors) {
    refs.push_back(
        {t.name, t.dtype, t.shape,
         absl::Span<const uint8_t>(
             reinterpret_cast<const uint8_t*>(t.data.data()), t.data.size())});
  }
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  const std::string path = absl::StrCat(dir, name);
  WriteOptions options;
  options.data_order = ByteOrder::kLittleEndian;  // the bytes as given
  EXPECT_THAT(WriteFile(path, refs, metadata, options), IsOk());
  absl::StatusOr<Checkpoint> c = Checkpoint::Open(path);
  EXPECT_THAT(c, IsOk());
  return *std::move(c);
}

TEST(Diff, Identical) {
  const std::vector<T> ts = {{"a", Dtype::kU8, {2}, "xy"},
                             {"b", Dtype::kU16, {1}, "zz"}};
  Checkpoint a = Write("same_a.safetensors", ts, MetadataMap{{"k", "v"}});
  Checkpoint b = Write("same_b.safetensors", ts, MetadataMap{{"k", "v"}});
  uint64_t done = 0, total = 0;
  absl::StatusOr<DiffResult> d = Diff(a, b, [&](uint64_t x, uint64_t y) {
    done = x;
    total = y;
  });
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->same());
  EXPECT_EQ(d->identical, 2u);
  EXPECT_EQ(done, 4u);
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(d->tensors_a, 2u);
  EXPECT_EQ(d->tensors_b, 2u);
}

TEST(Diff, EveryKind) {
  Checkpoint a = Write("kinds_a.safetensors",
                       {{"only_a", Dtype::kU8, {1}, "a"},
                        {"dt", Dtype::kU8, {2}, "ab"},
                        {"sh", Dtype::kU8, {2}, "ab"},
                        {"co", Dtype::kU8, {2}, "ab"},
                        {"eq", Dtype::kU8, {2}, "ab"}},
                       MetadataMap{{"k", "v"}, {"gone", "1"}});
  Checkpoint b = Write("kinds_b.safetensors",
                       {{"dt", Dtype::kI8, {2}, "ab"},
                        {"sh", Dtype::kU8, {1, 2}, "ab"},
                        {"co", Dtype::kU8, {2}, "aX"},
                        {"eq", Dtype::kU8, {2}, "ab"},
                        {"new\n", Dtype::kF32, {}, "abcd"}},
                       MetadataMap{{"k", "w"}});
  absl::StatusOr<DiffResult> d = Diff(a, b);
  ASSERT_THAT(d, IsOk());
  EXPECT_FALSE(d->same());
  EXPECT_EQ(d->tensors_a, 5u);
  EXPECT_EQ(d->tensors_b, 5u);
  EXPECT_EQ(d->identical, 1u);
  using Kind = Difference::Kind;
  EXPECT_THAT(d->differences,
              ElementsAre(Diffed(Kind::kContent, "co", "089c4407b545986a",
                                 "089c2a07b5456c3c"),
                          Diffed(Kind::kDtype, "dt", "U8", "I8"),
                          Diffed(Kind::kOnlyInB, "new\n", "", "F32 []"),
                          Diffed(Kind::kOnlyInA, "only_a", "U8 [1]", ""),
                          Diffed(Kind::kShape, "sh", "[2]", "[1,2]"),
                          Diffed(Kind::kMetadata, "gone", "\"1\"", "-"),
                          Diffed(Kind::kMetadata, "k", "\"v\"", "\"w\"")));
}

// The little-endian bytes of `values` as F32, and as BF16 (truncated: the
// high halves).
std::string F32Bytes(const std::vector<float>& values) {
  std::string out;
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int i = 0; i < 4; ++i) out += static_cast<char>(bits >> (8 * i));
  }
  return out;
}
std::string Bf16Bytes(const std::vector<float>& values) {
  std::string out;
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    out += static_cast<char>(bits >> 16);
    out += static_cast<char>(bits >> 24);
  }
  return out;
}

const float kNan = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

TEST(DiffNumeric, AcrossDtypesWithTolerances) {
  // 3.0f and 1.5f are exact in BF16; 1.01f is not (BF16: 1.0078125).
  const std::vector<float> values = {3.0f, 1.5f, 1.01f, -0.0f, kNan, kInf};
  Checkpoint a = Write("num_a.safetensors",
                       {{"w", Dtype::kF32, {6}, F32Bytes(values)},
                        {"i", Dtype::kI32, {1}, std::string(4, '\1')}},
                       MetadataMap{{"k", "1"}});
  std::vector<float> bvalues = values;
  bvalues[3] = 0.0f;  // -0 and +0 are equal
  Checkpoint b = Write("num_b.safetensors",
                       {{"w", Dtype::kBF16, {6}, Bf16Bytes(bvalues)},
                        {"i", Dtype::kI32, {1}, std::string(4, '\1')}},
                       MetadataMap{{"k", "2"}});
  const double lost = 1.01f - 1.0078125;
  DiffOptions options;
  options.numeric = true;
  absl::StatusOr<DiffResult> d = Diff(a, b, options);
  ASSERT_THAT(d, IsOk());
  ASSERT_EQ(d->differences.size(), 2u);  // w's dtype, k's metadata
  const Difference& w = d->differences[0];
  EXPECT_THAT(w, Diffed(Difference::Kind::kDtype, "w", "F32", "BF16"));
  ASSERT_TRUE(w.numeric.has_value());
  EXPECT_EQ(w.numeric->elements, 6u);
  EXPECT_EQ(w.numeric->over_tolerance, 1u);  // 1.01 only
  EXPECT_DOUBLE_EQ(w.numeric->max_abs, lost);
  EXPECT_DOUBLE_EQ(w.numeric->max_rel, lost / 1.0078125);
  EXPECT_FALSE(d->within_tolerance);
  // Within an absolute tolerance just above what BF16 lost: metadata
  // differences do not count.
  options.atol = lost * 1.001;
  d = Diff(a, b, options);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->differences[0].numeric->over_tolerance, 0u);
  EXPECT_TRUE(d->within_tolerance);
  // Or a relative one.
  options.atol = 0;
  options.rtol = 0.003;
  d = Diff(a, b, options);
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->within_tolerance);
  options.rtol = 0.002;
  d = Diff(a, b, options);
  ASSERT_THAT(d, IsOk());
  EXPECT_FALSE(d->within_tolerance);
  // Without numeric: no statistics, and dtype differences just differ.
  d = Diff(a, b);
  ASSERT_THAT(d, IsOk());
  EXPECT_FALSE(d->differences[0].numeric.has_value());
  EXPECT_FALSE(d->within_tolerance);
}

TEST(DiffNumeric, NansInfinitiesAndZeros) {
  struct Case {
    float a, b;
    uint64_t over;
    double max_abs, max_rel;
  };
  for (const Case& c :
       std::vector<Case>{{kNan, kNan, 0, 0, 0},
                         {kNan, 1.0f, 1, 0, 0},
                         {1.0f, kNan, 1, 0, 0},
                         {kInf, kInf, 0, 0, 0},
                         {kInf, -kInf, 1, kInf, kInf},
                         {kInf, 1.0f, 1, kInf, kInf},
                         {0.5f, 0.0f, 1, 0.5, kInf},  // relative to 0: infinite
                         {-0.0f, 0.0f, 0, 0, 0},
                         {2.0f, 4.0f, 1, 2, 0.5}}) {
    SCOPED_TRACE(absl::StrCat(c.a, " vs ", c.b));
    Checkpoint a = Write("nan_a.safetensors",
                         {{"w", Dtype::kF32, {2}, F32Bytes({7.0f, c.a})}});
    Checkpoint b = Write("nan_b.safetensors",
                         {{"w", Dtype::kF32, {2}, F32Bytes({7.0f, c.b})}});
    DiffOptions options;
    options.numeric = true;
    options.atol = 0.25;
    absl::StatusOr<DiffResult> d = Diff(a, b, options);
    ASSERT_THAT(d, IsOk());
    if (d->identical == 1) {  // the same bytes (NaN vs the same NaN)
      EXPECT_TRUE(d->within_tolerance);
      continue;
    }
    ASSERT_EQ(d->differences.size(), 1u);
    ASSERT_TRUE(d->differences[0].numeric.has_value());
    const NumericStats& n = *d->differences[0].numeric;
    EXPECT_EQ(n.over_tolerance, c.over);
    EXPECT_EQ(n.max_abs, c.max_abs);
    EXPECT_EQ(n.max_rel, c.max_rel);
    EXPECT_EQ(d->within_tolerance, c.over == 0);
  }
}

// Only in one side, another shape, or non-floating tensors that differ: not
// within tolerance, whatever the tolerance.
TEST(DiffNumeric, StructureAndIntegersAreNeverWithinTolerance) {
  const std::string w = F32Bytes({1.0f, 2.0f});
  DiffOptions options;
  options.numeric = true;
  options.atol = 1e9;
  for (const std::vector<T>& other : std::vector<std::vector<T>>{
           {{"w", Dtype::kF32, {2}, w}, {"extra", Dtype::kU8, {1}, "x"}},
           {{"w", Dtype::kF32, {2, 1}, w}},
           {{"w", Dtype::kI32, {2}, w}},
       }) {
    Checkpoint a = Write("st_a.safetensors", {{"w", Dtype::kF32, {2}, w}});
    Checkpoint b = Write("st_b.safetensors", other);
    absl::StatusOr<DiffResult> d = Diff(a, b, options);
    ASSERT_THAT(d, IsOk());
    EXPECT_FALSE(d->within_tolerance);
  }
  Checkpoint a = Write("int_a.safetensors", {{"i", Dtype::kI32, {1}, "aaaa"}});
  Checkpoint b = Write("int_b.safetensors", {{"i", Dtype::kI32, {1}, "aaab"}});
  absl::StatusOr<DiffResult> d = Diff(a, b, options);
  ASSERT_THAT(d, IsOk());
  EXPECT_FALSE(d->differences[0].numeric.has_value());
  EXPECT_FALSE(d->within_tolerance);
}

// Tensors larger than the windows (64 MiB bytes, 1 Mi elements), differing
// only in their last element: the hash and the statistics see every byte.
TEST(DiffNumeric, LargeTensorsInWindows) {
  const size_t n = (size_t{1} << 24) + 3;  // 64 MiB + 12 bytes of F32
  std::vector<float> values(n, 1.0f);
  const std::string x = F32Bytes(values);
  values.back() = 1.5f;
  const std::string y = F32Bytes(values);
  Checkpoint a = Write("big_a.safetensors", {{"w", Dtype::kF32, {n}, x}});
  Checkpoint b = Write("big_b.safetensors", {{"w", Dtype::kF32, {n}, y}});
  DiffOptions options;
  options.numeric = true;
  absl::StatusOr<DiffResult> d = Diff(a, b, options);
  ASSERT_THAT(d, IsOk());
  ASSERT_EQ(d->differences.size(), 1u);
  const Difference& diff = d->differences[0];
  EXPECT_EQ(
      diff.a,
      absl::StrFormat(
          "%016x", Fnv1a64(absl::Span<const uint8_t>(
                       reinterpret_cast<const uint8_t*>(x.data()), x.size()))));
  EXPECT_EQ(
      diff.b,
      absl::StrFormat(
          "%016x", Fnv1a64(absl::Span<const uint8_t>(
                       reinterpret_cast<const uint8_t*>(y.data()), y.size()))));
  ASSERT_TRUE(diff.numeric.has_value());
  EXPECT_EQ(diff.numeric->elements, n);
  EXPECT_EQ(diff.numeric->over_tolerance, 1u);
  EXPECT_EQ(diff.numeric->max_abs, 0.5);
}

}  // namespace
}  // namespace safetensors
