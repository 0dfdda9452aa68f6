// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// From header text to validated tensor entries (docs/specification.md §3-§9,
// docs/specification.md §1-§3). A Header is the parsed and validated form of a
// file's N header bytes: its metadata and one TensorInfo per tensor, with names
// as views into the header text (or into the Header itself when a name had
// escapes). The text it was parsed from must outlive it, except for a header
// returned by ParseHeaderPrefix, which owns a copy. After parsing a Header is
// immutable and safe for concurrent const use.
//
// Checks run in the reference's order, so the error kind is the reference's
// when a file has several defects: length rules (§2), then UTF-8
// (InvalidHeader), then every JSON and schema rule
// (InvalidHeaderDeserialization), then validation (§5: InvalidOffset,
// ValidationOverflow, MisalignedSlice, TensorInvalidInfo,
// MetadataIncompleteBuffer), with checked 64-bit arithmetic throughout.

#ifndef SAFETENSORS_HEADER_H_
#define SAFETENSORS_HEADER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"

namespace safetensors {
namespace internal {
class NameIndex;
}  // namespace internal

// The reserved top-level key of the header that holds the metadata.
inline constexpr absl::string_view kMetadataKey = "__metadata__";

// The largest header length N the format allows (decimal, not 100 MiB).
inline constexpr uint64_t kMaxHeaderSize = 100'000'000;

// Which decisions the reader makes where the format's text and the reference
// implementation differ (docs/specification.md §6). Part of the format
// contract: a file's accept/reject result depends on it.
enum class Profile {
  // The default. The format as its spec states it, hardened against parser
  // differentials: the header starts with '{' and is padded only with 0x20;
  // duplicate keys are rejected everywhere; a tensor entry is an object with
  // exactly dtype, shape and data_offsets; "__metadata__": null is rejected.
  kStrict,
  // The reference reader's accept/reject decision and error kind on every
  // input, quirks included: leading/trailing JSON whitespace, last-wins
  // duplicate tensor names and metadata keys, unknown fields ignored,
  // array-form entries, {"F32":null} dtypes, JSON nesting up to 127
  // containers.
  kReference,
};

struct ReadOptions {
  // Default kStrict. See Profile.
  Profile profile = Profile::kStrict;
  // The largest N accepted; a larger N is HeaderTooLarge. Default and maximum
  // kMaxHeaderSize (a larger value is treated as kMaxHeaderSize); lower it to
  // bound the memory an untrusted file can make the reader touch.
  uint64_t max_header_size = kMaxHeaderSize;
};

// One tensor's entry in the header.
struct TensorInfo {
  absl::string_view name;  // decoded (unescaped) UTF-8; may hold NUL
  Dtype dtype;
  absl::Span<const uint64_t> shape;  // empty for a scalar
  uint64_t begin = 0;  // data_offsets[0], relative to the data section
  uint64_t end = 0;    // data_offsets[1], exclusive
};

// A shape as the canonical dump and the tool write it: "[2,3]", "[]" for a
// scalar.
std::string FormatShape(absl::Span<const uint64_t> shape);

// Metadata keys and values, decoded, ordered by the keys' bytes.
using MetadataMap = std::map<std::string, std::string, std::less<>>;

class Header;

namespace internal {
// ParseHeaderPrefix over `bytes`, exactly the first 8 + N bytes of a file
// whose length field ReadHeaderSize has accepted, without a copy: the result
// owns `bytes`. `first_bytes` (the same bytes, or more of the file's first
// ones) is what an error may describe the file from. For File::Open.
absl::StatusOr<Header> ParseOwnedHeader(std::unique_ptr<char[]> bytes,
                                        size_t size,
                                        absl::Span<const uint8_t> first_bytes,
                                        uint64_t file_size,
                                        const ReadOptions& options);
}  // namespace internal

class Header {
 public:
  // Parses and validates header text: the N bytes after the length prefix.
  // `file_size` is the size of the whole file (8 + N + data), used for the
  // final coverage check; `text` must outlive the result.
  //
  // Returns the header, or an error of kind InvalidHeader (not UTF-8),
  // InvalidHeaderDeserialization (any JSON, schema or profile rule; the
  // message gives the byte offset in the header), InvalidOffset (the message
  // names the tensor), ValidationOverflow, MisalignedSlice, TensorInvalidInfo
  // or MetadataIncompleteBuffer. Does not check the length rules of §2.
  //
  // Cost: one pass over the text, O(N) plus O(T log T) when the T tensors are
  // not already listed in offset order; strings without escapes are not copied.
  static absl::StatusOr<Header> Parse(absl::string_view text,
                                      uint64_t file_size,
                                      const ReadOptions& options = {});

  Header(Header&&) noexcept;
  Header& operator=(Header&&) noexcept;
  ~Header();
  Header(const Header&) = delete;  // holds views into its own storage
  Header& operator=(const Header&) = delete;

  // Tensors in offset order (begin, then end). Lives as long as the Header.
  absl::Span<const TensorInfo> tensors() const ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return tensors_;
  }

  // The entry named `name`, or nullptr. O(1) expected.
  const TensorInfo* Find(absl::string_view name) const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // Names sorted by their bytes. O(T log T); allocates the vector.
  std::vector<absl::string_view> SortedNames() const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // nullopt when the header has no "__metadata__" (or, in the reference
  // profile, "__metadata__": null); an empty map for "__metadata__": {}.
  const std::optional<MetadataMap>& metadata() const
      ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return metadata_;
  }

  // N, the header's length in bytes (padding included).
  uint64_t header_size() const { return header_size_; }
  // The data section's length: the last tensor's end (0 without tensors).
  uint64_t data_size() const { return data_size_; }

 private:
  friend class HeaderBuilder;
  friend absl::StatusOr<Header> internal::ParseOwnedHeader(
      std::unique_ptr<char[]> bytes, size_t size,
      absl::Span<const uint8_t> first_bytes, uint64_t file_size,
      const ReadOptions& options);
  Header();

  std::vector<TensorInfo> tensors_;
  std::vector<uint64_t> dims_;                  // every shape, back to back
  std::deque<std::string> decoded_;             // names that had escapes
  std::unique_ptr<internal::NameIndex> index_;  // name -> position
  std::optional<MetadataMap> metadata_;
  uint64_t header_size_ = 0;
  uint64_t data_size_ = 0;
  // Set by ParseOwnedHeader (8 + N bytes), which ParseHeaderPrefix calls.
  std::unique_ptr<char[]> owned_text_;
};

// Applies the length rules of docs/specification.md §3 to a file of `file_size`
// bytes whose first bytes are `prefix` (at least 8 of them, unless the file is
// smaller). Returns N, or HeaderTooSmall (file under 8 bytes), HeaderTooLarge
// (N above the limit; checked before the file length), InvalidHeaderLength
// (8 + N past the end of the file).
absl::StatusOr<uint64_t> ReadHeaderSize(absl::Span<const uint8_t> prefix,
                                        uint64_t file_size,
                                        const ReadOptions& options = {});

// Parses a header from the first bytes of a file without its data, for range
// reads (e.g. over HTTP): `prefix` holds at least the first 8 + N bytes, and
// `file_size` is the whole file's size. Runs every check that
// SafeTensors::Parse runs, the coverage check included. The result owns a
// copy of the header text. Errors: as ReadHeaderSize and Header::Parse, and
// kOutOfRange without a kind when `prefix` is shorter than 8 + N (the message
// says how many bytes are needed).
absl::StatusOr<Header> ParseHeaderPrefix(absl::Span<const uint8_t> prefix,
                                         uint64_t file_size,
                                         const ReadOptions& options = {});

}  // namespace safetensors

#endif  // SAFETENSORS_HEADER_H_
