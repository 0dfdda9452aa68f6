// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Test-only gMock matchers for absl::Status and absl::StatusOr<T> results of
// this library. They compare the code and the error kind, never the message:
//
//   EXPECT_THAT(Parse(bytes), IsOk());
//   EXPECT_THAT(Parse(bytes), StatusIs(ErrorKind::kInvalidOffset));
//   EXPECT_THAT(Get(name), StatusIs(absl::StatusCode::kNotFound,
//                                   ErrorKind::kTensorNotFound));

#ifndef SAFETENSORS_TESTING_STATUS_MATCHERS_H_
#define SAFETENSORS_TESTING_STATUS_MATCHERS_H_

#include <optional>
#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

#include "safetensors/status.h"

namespace safetensors {
namespace test {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

inline std::string DescribeStatus(const absl::Status& status) {
  std::optional<ErrorKind> kind = ErrorKindOf(status);
  return std::string(absl::StatusCodeToString(status.code())) + " kind=" +
         (kind ? std::string(ErrorKindName(*kind)) : std::string("none")) +
         " message=\"" + std::string(status.message()) + "\"";
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  if (!status.ok()) *result_listener << DescribeStatus(status);
  return status.ok();
}

MATCHER_P(StatusIs, kind,
          std::string("fails with kind ") + std::string(ErrorKindName(kind))) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << DescribeStatus(status);
  return !status.ok() && ErrorKindOf(status) == kind &&
         status.code() == CanonicalCode(kind);
}

MATCHER_P2(StatusIs, code, kind,
           std::string("fails with code ") + absl::StatusCodeToString(code) +
               " and kind " + std::string(ErrorKindName(kind))) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << DescribeStatus(status);
  return status.code() == code && ErrorKindOf(status) == kind;
}

// A caller's mistake that is not about a file: a code and no error kind.
MATCHER_P(FailsWithoutKind, code,
          std::string("fails with code ") + absl::StatusCodeToString(code) +
              " and no kind") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << DescribeStatus(status);
  return status.code() == code && !ErrorKindOf(status).has_value();
}

}  // namespace test
}  // namespace safetensors

#endif  // SAFETENSORS_TESTING_STATUS_MATCHERS_H_
