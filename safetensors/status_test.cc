// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/status.h"

#include <cerrno>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

#include "safetensors/testing/status_matchers.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::StatusIs;

TEST(ErrorKind, NamesAreTheReferenceVariantNames) {
  // docs/specification.md §11, spelled out once more here so that a typo in the
  // table fails.
  const char* const kExpected[kNumErrorKinds] = {
      "HeaderTooSmall",
      "HeaderTooLarge",
      "InvalidHeaderLength",
      "InvalidHeader",
      "InvalidHeaderDeserialization",
      "InvalidOffset",
      "TensorInvalidInfo",
      "ValidationOverflow",
      "MisalignedSlice",
      "MetadataIncompleteBuffer",
      "TensorNotFound",
      "InvalidTensorView",
      "IoError",
      "TooManySlices",
      "SliceOutOfRange",
      "InvalidSliceRange",
  };
  for (int i = 0; i < kNumErrorKinds; ++i) {
    const ErrorKind kind = static_cast<ErrorKind>(i);
    EXPECT_EQ(ErrorKindName(kind), kExpected[i]) << i;
    EXPECT_EQ(ErrorKindFromName(kExpected[i]), kind) << kExpected[i];
  }
}

TEST(ErrorKind, FromNameIsExact) {
  EXPECT_EQ(ErrorKindFromName("invalidoffset"), std::nullopt);
  EXPECT_EQ(ErrorKindFromName("InvalidOffset "), std::nullopt);
  EXPECT_EQ(ErrorKindFromName(""), std::nullopt);
  EXPECT_EQ(ErrorKindFromName("InvalidHeaderStart"), std::nullopt);  // removed
}

TEST(ErrorKind, CanonicalCodes) {
  EXPECT_EQ(CanonicalCode(ErrorKind::kInvalidOffset),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalCode(ErrorKind::kInvalidHeaderDeserialization),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalCode(ErrorKind::kTensorNotFound),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CanonicalCode(ErrorKind::kSliceOutOfRange),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(CanonicalCode(ErrorKind::kInvalidSliceRange),
            absl::StatusCode::kInvalidArgument);
}

TEST(MakeError, CarriesKindCodeAndMessage) {
  for (int i = 0; i < kNumErrorKinds; ++i) {
    const ErrorKind kind = static_cast<ErrorKind>(i);
    absl::Status s = MakeError(kind, "what went wrong");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), CanonicalCode(kind));
    EXPECT_EQ(s.message(), "what went wrong");
    EXPECT_EQ(ErrorKindOf(s), kind);
  }
  absl::Status s =
      MakeError(ErrorKind::kInvalidOffset, absl::StatusCode::kDataLoss, "m");
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(ErrorKindOf(s), ErrorKind::kInvalidOffset);
}

TEST(ErrorKindOf, NoKindOnForeignOrOkStatus) {
  EXPECT_EQ(ErrorKindOf(absl::OkStatus()), std::nullopt);
  EXPECT_EQ(ErrorKindOf(absl::InvalidArgumentError("x")), std::nullopt);
  absl::Status garbage = absl::InternalError("x");
  garbage.SetPayload(kErrorKindPayloadUrl, absl::Cord("NoSuchKind"));
  EXPECT_EQ(ErrorKindOf(garbage), std::nullopt);
}

TEST(ErrorKindOf, SurvivesCopyAndMessageChanges) {
  absl::Status s = MakeError(ErrorKind::kMisalignedSlice, "a");
  absl::Status copy = s;
  EXPECT_EQ(ErrorKindOf(copy), ErrorKind::kMisalignedSlice);
  absl::StatusOr<int> as_statusor = s;
  EXPECT_THAT(as_statusor, StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(absl::StatusOr<int>(3), IsOk());
}

TEST(IoErrorFromErrno, CodeFromErrnoAndSystemMessage) {
  absl::Status s = IoErrorFromErrno(ENOENT, "open \"/nope\"");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_NE(std::string(s.message()).find("open \"/nope\""), std::string::npos);
  EXPECT_NE(std::string(s.message()).find("No such file"), std::string::npos);
  EXPECT_THAT(
      IoErrorFromErrno(EACCES, "x"),
      StatusIs(absl::StatusCode::kPermissionDenied, ErrorKind::kIoError));
}

TEST(FormatError, KindThenMessageWithoutThePayloadUrl) {
  const absl::Status s =
      MakeError(ErrorKind::kHeaderTooLarge, "m.safetensors: header too large");
  EXPECT_EQ(FormatError(s), "HeaderTooLarge: m.safetensors: header too large");
  // ToString, by contrast, carries the code and the payload's URL.
  EXPECT_NE(s.ToString().find(std::string(kErrorKindPayloadUrl)),
            std::string::npos);
  EXPECT_EQ(FormatError(s).find("type.googleapis.com"), std::string::npos);
  // The kind survives WithPrefix and a code other than the canonical one.
  EXPECT_EQ(FormatError(WithPrefix(IoErrorFromErrno(ENOENT, "open"), "f: ")),
            "IoError: f: open: No such file or directory");
  // No kind: just the message (not "UNKNOWN: ..."); OK is "OK".
  EXPECT_EQ(FormatError(absl::InvalidArgumentError("bad alignment")),
            "bad alignment");
  EXPECT_EQ(FormatError(absl::OkStatus()), "OK");
}

}  // namespace
}  // namespace safetensors
