// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/entries.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

#include "safetensors/internal/checked.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/status.h"

namespace safetensors {
namespace internal {

absl::Status CheckEntry(absl::string_view name, Dtype dtype,
                        absl::Span<const uint64_t> shape, uint64_t begin,
                        uint64_t end, uint64_t* cursor) {
  if (begin != *cursor || end < begin) {
    return MakeError(
        ErrorKind::kInvalidOffset,
        absl::StrCat("invalid offset for tensor ", json::Quoted(name),
                     ": data_offsets [", begin, ", ", end,
                     "] but the previous tensor ends at ", *cursor));
  }
  *cursor = end;
  absl::StatusOr<uint64_t> size = TensorByteSize(dtype, shape);
  if (!size.ok()) {
    return MakeError(*ErrorKindOf(size.status()),
                     absl::StrCat("tensor ", json::Quoted(name), ": ",
                                  size.status().message()));
  }
  if (end - begin != *size) {
    return MakeError(
        ErrorKind::kTensorInvalidInfo,
        absl::StrCat("tensor ", json::Quoted(name), ": data_offsets span ",
                     end - begin, " bytes but ", DtypeName(dtype),
                     " of this shape needs ", *size));
  }
  return absl::OkStatus();
}

std::string FormatByteCount(uint64_t n) {
  std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatByteSize(uint64_t n) {
  if (n == 1) return "1 byte";
  if (n < 1024) return absl::StrCat(n, " bytes");
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB",
                                           "TiB", "PiB", "EiB"};
  double value = static_cast<double>(n) / 1024;
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  // Two decimals, rounded half up, without <cstdio> formatting.
  const uint64_t hundredths = static_cast<uint64_t>(value * 100 + 0.5);
  const uint64_t cents = hundredths % 100;
  const std::string human = absl::StrCat(
      hundredths / 100, ".", cents < 10 ? "0" : "", cents, " ", kUnits[unit]);
  if (n < (uint64_t{1} << 20)) {
    return absl::StrCat(FormatByteCount(n), " bytes (", human, ")");
  }
  return human;
}

absl::Status CheckCoverage(uint64_t data_size, uint64_t header_size,
                           uint64_t file_size) {
  uint64_t expected;
  if (!CheckedAdd(data_size, 8, &expected) ||
      !CheckedAdd(expected, header_size, &expected)) {
    return MakeError(
        ErrorKind::kMetadataIncompleteBuffer,
        absl::StrCat("incomplete metadata, file not fully covered: the "
                     "tensors end at data byte ",
                     FormatByteCount(data_size),
                     ", so the file would be larger than 2^64 bytes; it is ",
                     FormatByteCount(file_size)));
  }
  if (expected == file_size) return absl::OkStatus();
  // The bytes after the header; Header::Parse's caller may pass a file_size
  // below 8 + N, which the length rules would have rejected.
  const uint64_t present =
      file_size > 8 + header_size ? file_size - 8 - header_size : 0;
  if (file_size < expected) {
    return MakeError(
        ErrorKind::kMetadataIncompleteBuffer,
        absl::StrCat("incomplete metadata: the file is truncated: the header "
                     "describes ",
                     FormatByteCount(data_size),
                     " bytes of tensor data but only ",
                     FormatByteCount(present), " are present (",
                     FormatByteSize(data_size - present),
                     " missing); an incomplete download or a full disk?"));
  }
  return MakeError(
      ErrorKind::kMetadataIncompleteBuffer,
      absl::StrCat("incomplete metadata, file not fully covered: the header "
                   "describes ",
                   FormatByteCount(data_size), " bytes of tensor data but ",
                   FormatByteCount(present),
                   " follow the header: ", FormatByteSize(present - data_size),
                   " after the last tensor's data; was the file appended "
                   "to, or its header replaced?"));
}

}  // namespace internal
}  // namespace safetensors
