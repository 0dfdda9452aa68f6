// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/sniff.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

#include "safetensors/status.h"

namespace safetensors {
namespace internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// `text` after leading whitespace and, for text files saved by editors on
// Windows, a UTF-8 byte order mark.
absl::string_view SkipSpace(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  return text.substr(i);
}

}  // namespace

ForeignFormat SniffForeignFormat(absl::Span<const uint8_t> first_bytes,
                                 uint64_t file_size) {
  if (file_size == 0) return ForeignFormat::kEmpty;
  const absl::string_view bytes(
      reinterpret_cast<const char*>(first_bytes.data()), first_bytes.size());
  if (absl::StartsWith(bytes, "PK\x03\x04")) return ForeignFormat::kZip;
  if (bytes.size() >= 2 && bytes[0] == '\x80' && bytes[1] >= 2 &&
      bytes[1] <= 5) {
    return ForeignFormat::kPickle;
  }
  if (absl::StartsWith(bytes, "version https://git-lfs")) {
    return ForeignFormat::kGitLfsPointer;
  }
  if (absl::StartsWith(bytes, "GGUF")) return ForeignFormat::kGguf;
  if (absl::StartsWith(bytes, "\x93NUMPY")) return ForeignFormat::kNumpy;
  if (absl::StartsWith(bytes, "\x89HDF\r\n\x1a\n")) return ForeignFormat::kHdf5;
  const absl::string_view text = SkipSpace(bytes);
  if (absl::StartsWithIgnoreCase(text, "<!DOCTYPE") ||
      absl::StartsWithIgnoreCase(text, "<html")) {
    return ForeignFormat::kHtml;
  }
  if (!text.empty() && (text[0] == '{' || text[0] == '[')) {
    return ForeignFormat::kJson;
  }
  return ForeignFormat::kUnknown;
}

std::string DescribeForeignFormat(ForeignFormat format,
                                  absl::Span<const uint8_t> first_bytes) {
  switch (format) {
    case ForeignFormat::kUnknown:
      return "";
    case ForeignFormat::kEmpty:
      return "the file is empty (0 bytes): an interrupted download or copy, "
             "or a full disk?";
    case ForeignFormat::kHtml:
      return "this is an HTML web page, not a safetensors file: the download "
             "most likely failed (an error or login page was saved instead); "
             "check the URL and the access token, then download it again";
    case ForeignFormat::kZip:
      return "this is a zip archive, most likely a PyTorch checkpoint saved "
             "with torch.save, not a safetensors file; convert it: load it "
             "with torch.load and save the tensors with "
             "safetensors.torch.save_file";
    case ForeignFormat::kPickle:
      return absl::StrCat(
          "this is a Python pickle (protocol ",
          static_cast<int>(first_bytes[1]),
          "), e.g. a legacy PyTorch .bin or .pt checkpoint, not a safetensors "
          "file; convert it: load it with torch.load and save the tensors "
          "with safetensors.torch.save_file");
    case ForeignFormat::kGitLfsPointer:
      return "this is a Git LFS pointer file, not the real file: run "
             "'git lfs pull' in the repository, or download the file itself";
    case ForeignFormat::kGguf:
      return "this is a GGUF file (llama.cpp's format), not a safetensors "
             "file; read it with llama.cpp or the gguf package";
    case ForeignFormat::kNumpy:
      return "this is a NumPy .npy array, not a safetensors file; load it "
             "with numpy.load and save it with safetensors.numpy.save_file";
    case ForeignFormat::kHdf5:
      return "this is an HDF5 file (e.g. a Keras .h5 model), not a "
             "safetensors file; load it with h5py or Keras and save the "
             "tensors with safetensors";
    case ForeignFormat::kJson:
      return "this is JSON text, not a safetensors file; if it is a sharded "
             "checkpoint's index (model.safetensors.index.json), open it "
             "with Checkpoint::Open, which reads a path ending in .json as "
             "an index";
  }
  return "";
}

absl::Status WithForeignFileDiagnosis(const absl::Status& status,
                                      absl::Span<const uint8_t> first_bytes,
                                      uint64_t file_size) {
  if (status.ok()) return status;
  const std::string what = DescribeForeignFormat(
      SniffForeignFormat(first_bytes, file_size), first_bytes);
  if (what.empty()) return status;
  absl::Status out(status.code(), absl::StrCat(status.message(), "; ", what));
  status.ForEachPayload(
      [&out](absl::string_view url, const absl::Cord& payload) {
        out.SetPayload(url, payload);
      });
  return out;
}

absl::Status WithHeaderTextDiagnosis(const absl::Status& status,
                                     absl::Span<const uint8_t> file_bytes,
                                     uint64_t file_size) {
  const std::optional<ErrorKind> kind = ErrorKindOf(status);
  if (kind != ErrorKind::kInvalidHeader &&
      kind != ErrorKind::kInvalidHeaderDeserialization) {
    return status;
  }
  for (size_t i = 8; i < file_bytes.size(); ++i) {
    const uint8_t c = file_bytes[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '{') return status;  // a header, with some other defect
    break;
  }
  return WithForeignFileDiagnosis(status, file_bytes, file_size);
}

}  // namespace internal
}  // namespace safetensors
