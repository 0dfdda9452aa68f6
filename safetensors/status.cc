// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/status.h"

#include <cassert>
#include <cstring>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace safetensors {
namespace {

struct KindInfo {
  absl::string_view name;
  absl::StatusCode code;
};

// Indexed by the enum's value.
constexpr KindInfo kKinds[kNumErrorKinds] = {
    {"HeaderTooSmall", absl::StatusCode::kInvalidArgument},
    {"HeaderTooLarge", absl::StatusCode::kInvalidArgument},
    {"InvalidHeaderLength", absl::StatusCode::kInvalidArgument},
    {"InvalidHeader", absl::StatusCode::kInvalidArgument},
    {"InvalidHeaderDeserialization", absl::StatusCode::kInvalidArgument},
    {"InvalidOffset", absl::StatusCode::kInvalidArgument},
    {"TensorInvalidInfo", absl::StatusCode::kInvalidArgument},
    {"ValidationOverflow", absl::StatusCode::kInvalidArgument},
    {"MisalignedSlice", absl::StatusCode::kInvalidArgument},
    {"MetadataIncompleteBuffer", absl::StatusCode::kInvalidArgument},
    {"TensorNotFound", absl::StatusCode::kNotFound},
    {"InvalidTensorView", absl::StatusCode::kInvalidArgument},
    {"IoError", absl::StatusCode::kUnknown},
    {"TooManySlices", absl::StatusCode::kInvalidArgument},
    {"SliceOutOfRange", absl::StatusCode::kOutOfRange},
    {"InvalidSliceRange", absl::StatusCode::kInvalidArgument},
};

}  // namespace

absl::string_view ErrorKindName(ErrorKind kind) {
  return kKinds[static_cast<int>(kind)].name;
}

std::optional<ErrorKind> ErrorKindFromName(absl::string_view name) {
  for (int i = 0; i < kNumErrorKinds; ++i) {
    if (kKinds[i].name == name) return static_cast<ErrorKind>(i);
  }
  return std::nullopt;
}

absl::StatusCode CanonicalCode(ErrorKind kind) {
  return kKinds[static_cast<int>(kind)].code;
}

absl::Status MakeError(ErrorKind kind, absl::StatusCode code,
                       absl::string_view message) {
  assert(code != absl::StatusCode::kOk);
  absl::Status status(code, message);
  status.SetPayload(kErrorKindPayloadUrl, absl::Cord(ErrorKindName(kind)));
  return status;
}

absl::Status IoErrorFromErrno(int errno_value, absl::string_view context) {
  assert(errno_value != 0);
  absl::Status base = absl::ErrnoToStatus(errno_value, context);
  return MakeError(ErrorKind::kIoError, base.code(), base.message());
}

std::optional<ErrorKind> ErrorKindOf(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  auto payload = status.GetPayload(kErrorKindPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  return ErrorKindFromName(std::string(*payload));
}

absl::Status WithPrefix(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  absl::Status out(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload(
      [&out](absl::string_view url, const absl::Cord& payload) {
        out.SetPayload(url, payload);
      });
  return out;
}

std::string FormatError(const absl::Status& status) {
  if (status.ok()) return "OK";
  const std::optional<ErrorKind> kind = ErrorKindOf(status);
  if (!kind.has_value()) return std::string(status.message());
  return absl::StrCat(ErrorKindName(*kind), ": ", status.message());
}

}  // namespace safetensors
