// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The one error vocabulary of this library. Every failure is an absl::Status
// whose code is a canonical Abseil code and which carries a safetensors
// ErrorKind as a payload. The kinds are named exactly as the reference
// implementation's (the Rust crate's) error variants, so results compare
// name for name across implementations; the kind, not the message, is the
// contract. Thread-safe: everything here is a pure function.
//
// Codes, chosen once here (docs/specification.md §11) and not reopened per
// file:
//
//   malformed input (every header, offset, size, dtype error) kInvalidArgument
//   TensorNotFound                                             kNotFound
//   SliceOutOfRange                                            kOutOfRange
//   TooManySlices, InvalidSliceRange, MisalignedSlice          kInvalidArgument
//   IoError                                the code errno maps to
//                                          (absl::ErrnoToStatus)
//
// kDataLoss would also fit a corrupt file; kInvalidArgument was chosen, as
// a corrupt file and a malformed one cannot be told apart.

#ifndef SAFETENSORS_STATUS_H_
#define SAFETENSORS_STATUS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace safetensors {

// The error kinds. The string form (ErrorKindName) is the reference's variant
// name, e.g. "InvalidHeaderDeserialization". Do not renumber: the values are
// stable for the life of the library.
enum class ErrorKind {
  kHeaderTooSmall = 0,  // the buffer is shorter than 8 bytes
  // N > the limit (read), or the padded header > the limit (write).
  kHeaderTooLarge = 1,
  kInvalidHeaderLength = 2,           // 8 + N runs past the end of the buffer
  kInvalidHeader = 3,                 // the N header bytes are not valid UTF-8
  kInvalidHeaderDeserialization = 4,  // any JSON or schema error
  kInvalidOffset = 5,       // a tensor does not start at the running cursor
  kTensorInvalidInfo = 6,   // byte length differs from shape x dtype
  kValidationOverflow = 7,  // a shape product or bit count overflows 64 bits
  kMisalignedSlice = 8,     // a sub-byte bit count is not whole bytes
  kMetadataIncompleteBuffer = 9,  // the tensors do not cover the data exactly
  kTensorNotFound = 10,           // lookup of a name that is not there
  kInvalidTensorView = 11,        // a view's bytes do not match dtype and shape
  kIoError = 12,                  // the operating system said no
  kTooManySlices = 13,            // more slice indexers than dimensions
  kSliceOutOfRange = 14,          // an index or bound past a dimension
  kInvalidSliceRange = 15,  // start > stop, or step 0 (this project's own kind)
};

inline constexpr int kNumErrorKinds = 16;

// The reference's variant name of `kind`, e.g. "MisalignedSlice": a view of
// a string literal, so its data() is NUL-terminated.
absl::string_view ErrorKindName(ErrorKind kind);

// The kind whose name is exactly `name` (case-sensitive), or nullopt.
std::optional<ErrorKind> ErrorKindFromName(absl::string_view name);

// The canonical code used for `kind` (table above). kIoError maps to kUnknown
// here; real I/O errors take their code from errno (see IoErrorFromErrno).
absl::StatusCode CanonicalCode(ErrorKind kind);

// The payload URL under which the kind's name is stored on a Status.
inline constexpr absl::string_view kErrorKindPayloadUrl =
    "type.googleapis.com/safetensors.ErrorKind";

// Builds an error of `kind` with status code `code` and `message`.
// REQUIRES: code != absl::StatusCode::kOk.
absl::Status MakeError(ErrorKind kind, absl::StatusCode code,
                       absl::string_view message);

// As above with CanonicalCode(kind).
inline absl::Status MakeError(ErrorKind kind, absl::string_view message) {
  return MakeError(kind, CanonicalCode(kind), message);
}

// An IoError for a failed system call: the code errno maps to, and a message
// "<context>: <strerror(errno_value)>". REQUIRES: errno_value != 0.
absl::Status IoErrorFromErrno(int errno_value, absl::string_view context);

// The kind carried by `status`, or nullopt when it carries none (an OK status,
// or a status not built by this library).
std::optional<ErrorKind> ErrorKindOf(const absl::Status& status);

// `status` with `prefix` in front of its message (e.g. "model.safetensors: "),
// its code and every payload (so its error kind) kept. OK stays OK.
absl::Status WithPrefix(const absl::Status& status, absl::string_view prefix);

// `status` for a log line or a person: "Kind: message" (e.g.
// "HeaderTooLarge: model.safetensors: header too large: ..."), just the
// message for a status without a kind, and "OK" for an OK status. Unlike
// absl::Status::ToString, it prints neither the code nor the payload's URL.
std::string FormatError(const absl::Status& status);

}  // namespace safetensors

#endif  // SAFETENSORS_STATUS_H_
