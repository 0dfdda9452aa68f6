// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Recognises the files most often passed to a safetensors reader by mistake
// (a web page saved instead of a download, a PyTorch zip or pickle, a Git LFS
// pointer, GGUF, NumPy, HDF5, JSON, an empty file) from their first bytes, so
// that an error about an implausible length field or header can say what the
// file is and what to do. Only messages use this: it never changes a decision
// or an error kind. Pure functions; thread-safe.

#ifndef SAFETENSORS_INTERNAL_SNIFF_H_
#define SAFETENSORS_INTERNAL_SNIFF_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace safetensors {
namespace internal {

// How many of a file's first bytes the sniffer looks at; callers that read a
// file piecemeal read at least this many (or the whole file when shorter)
// before building an error.
inline constexpr size_t kSniffBytes = 64;

enum class ForeignFormat {
  kUnknown,  // nothing recognised: possibly a damaged safetensors file
  kEmpty,    // 0 bytes
  kHtml,     // "<!DOCTYPE" or "<html", any case, maybe after whitespace
  kZip,      // "PK\x03\x04": torch.save's format since PyTorch 1.6, or .npz
  kPickle,   // "\x80" then protocol 2 to 5: a legacy torch.save file
  kGitLfsPointer,  // "version https://git-lfs"
  kGguf,           // "GGUF"
  kNumpy,          // "\x93NUMPY"
  kHdf5,           // "\x89HDF\r\n\x1a\n"
  kJson,           // '{' or '[' maybe after whitespace: e.g. an index file
};

// What the file whose first bytes are `first_bytes` (the whole file when it
// has fewer than kSniffBytes) and whose size is `file_size` most likely is.
ForeignFormat SniffForeignFormat(absl::Span<const uint8_t> first_bytes,
                                 uint64_t file_size);

// A sentence for an error message saying what the file is and what to do,
// e.g. "this is a Git LFS pointer file, not the real file: ...". Empty for
// kUnknown.
std::string DescribeForeignFormat(ForeignFormat format,
                                  absl::Span<const uint8_t> first_bytes);

// `status` with "; " and the description of what the file is appended to its
// message when the sniffer recognises it; its code and payloads (so its error
// kind) are kept. Returns `status` unchanged when nothing is recognised, or
// when it is OK.
absl::Status WithForeignFileDiagnosis(const absl::Status& status,
                                      absl::Span<const uint8_t> first_bytes,
                                      uint64_t file_size);

// For an error from parsing the header text of the file whose first bytes
// (at least the 8 of the length field and some of the header, or the whole
// file) are `file_bytes`: when its kind is InvalidHeader or
// InvalidHeaderDeserialization and the header text, after JSON whitespace,
// does not start with '{' (so the bytes are not a safetensors header at
// all), WithForeignFileDiagnosis; otherwise `status` unchanged.
absl::Status WithHeaderTextDiagnosis(const absl::Status& status,
                                     absl::Span<const uint8_t> file_bytes,
                                     uint64_t file_size);

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_SNIFF_H_
