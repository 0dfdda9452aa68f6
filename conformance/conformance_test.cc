// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// This library against every reader vector of conformance/manifest.json, in
// both profiles (docs/specification.md §6, §15, §16): the accept/reject result,
// the error kind, and for accepted files the canonical dump, byte for byte
// against the golden .dump that gen.py computed from its own, independent
// model. The 100,000,000-byte vectors are generated here from their
// description.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "conformance/manifest.h"
#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"
#include "safetensors/status.h"

namespace safetensors {
namespace conformance {
namespace {

struct Case {
  const ReaderVector* vector;
  Profile profile;
};

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const ReaderVector& v : LoadManifest().vectors) {
    cases.push_back({&v, Profile::kStrict});
    cases.push_back({&v, Profile::kReference});
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return absl::StrCat(
      info.param.vector->id,
      info.param.profile == Profile::kStrict ? "_strict" : "_reference");
}

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, ResultKindAndDump) {
  const ReaderVector& v = *GetParam().vector;
  const Profile profile = GetParam().profile;
  const Expectation& expected =
      profile == Profile::kStrict ? v.strict : v.reference;
  SCOPED_TRACE(absl::StrCat(v.id, ": ", v.description));

  absl::StatusOr<std::string> bytes = VectorBytes(v);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_EQ(bytes->size(), v.size) << "the vector's bytes are not the "
                                      "manifest's (run gen.py --check)";

  ReadOptions options;
  options.profile = profile;
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(
      absl::string_view(bytes->data(), bytes->size()), options);
  if (!expected.accept) {
    ASSERT_FALSE(st.ok()) << "accepted; expected reject\t" << expected.kind
                          << "\n"
                          << Dump(*st);
    const std::optional<ErrorKind> kind = ErrorKindOf(st.status());
    ASSERT_TRUE(kind.has_value()) << st.status();
    EXPECT_EQ(ErrorKindName(*kind), expected.kind) << st.status();
    EXPECT_EQ(DumpRejection(st.status()),
              absl::StrCat("reject\t", expected.kind, "\n"));
    return;
  }
  ASSERT_TRUE(st.ok()) << "rejected; expected accept: " << st.status();
  absl::StatusOr<std::string> golden =
      ReadWholeFile(absl::StrCat(ConformanceDir(), "/", v.dump));
  ASSERT_TRUE(golden.ok()) << golden.status();
  EXPECT_EQ(Dump(*st), *golden);
}

INSTANTIATE_TEST_SUITE_P(Vectors, Conformance, ::testing::ValuesIn(AllCases()),
                         CaseName);

// The counts that issue 5 promises, so that a shrinking description fails.
TEST(ConformanceManifest, Counts) {
  int y = 0, n = 0, i = 0, write = 0;
  for (const ReaderVector& v : LoadManifest().vectors) {
    const absl::string_view id = v.id;
    if (id.substr(0, 2) == "y_") ++y;
    if (id.substr(0, 2) == "n_") ++n;
    if (id.substr(0, 2) == "i_") ++i;
    if (id.substr(0, 2) == "y_" || id.substr(0, 2) == "i_") {
      // Every vector that some profile accepts has a golden dump.
      EXPECT_FALSE(v.dump.empty()) << v.id;
    }
  }
  for (const WriterVector& w : LoadManifest().writes) {
    (void)w;
    ++write;
  }
  EXPECT_GE(y, 50);
  EXPECT_GE(n, 110);
  EXPECT_GE(i, 20);
  EXPECT_GE(write, 20);
  EXPECT_GE(y + n + i, 200);
}

}  // namespace
}  // namespace conformance
}  // namespace safetensors
