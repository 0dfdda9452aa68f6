// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// A SafeTensors is a parsed, validated view over the bytes of a whole
// safetensors file that the caller owns. It never copies or frees those
// bytes: they must outlive it and every TensorView it hands out. After Parse
// it is immutable and safe for concurrent const use.
//
// The usage guide is at the top of safetensors.h; to open a file by path,
// see file.h.

#ifndef SAFETENSORS_READER_H_
#define SAFETENSORS_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/dtype.h"
#include "safetensors/header.h"

namespace safetensors {

// One tensor: its name, dtype, shape and bytes (little-endian, packed, row
// major). A view: it owns nothing and lives as long as the bytes and the
// SafeTensors (or Header) it came from. Cheap to copy.
class TensorView {
 public:
  TensorView(const TensorInfo& info, absl::Span<const uint8_t> data)
      : info_(&info), data_(data) {}

  absl::string_view name() const { return info_->name; }
  Dtype dtype() const { return info_->dtype; }
  absl::Span<const uint64_t> shape() const { return info_->shape; }
  // The product of the shape (1 for a scalar). Validated not to overflow.
  uint64_t element_count() const;
  uint64_t byte_size() const { return data_.size(); }
  // The tensor's bytes inside the file's buffer (zero-copy).
  absl::Span<const uint8_t> data() const { return data_; }
  // data_offsets of the entry, relative to the data section.
  uint64_t begin() const { return info_->begin; }
  uint64_t end() const { return info_->end; }
  const TensorInfo& info() const { return *info_; }

 private:
  const TensorInfo* info_;
  absl::Span<const uint8_t> data_;
};

class SafeTensors {
 public:
  // Parses and validates a whole file held in `bytes` (8-byte length, header,
  // data). Returns the parsed view, or an error whose kind is one of
  // HeaderTooSmall, HeaderTooLarge, InvalidHeaderLength (docs/specification.md
  // §3), InvalidHeader, InvalidHeaderDeserialization, InvalidOffset,
  // ValidationOverflow, MisalignedSlice, TensorInvalidInfo,
  // MetadataIncompleteBuffer (Header::Parse). `bytes` must outlive the result.
  // Cost: O(N) over the header only; the data is never read.
  static absl::StatusOr<SafeTensors> Parse(absl::Span<const uint8_t> bytes,
                                           const ReadOptions& options = {});
  static absl::StatusOr<SafeTensors> Parse(absl::string_view bytes,
                                           const ReadOptions& options = {});
  // A temporary string would leave the result dangling.
  static absl::StatusOr<SafeTensors> Parse(
      std::string&& bytes, const ReadOptions& options = {}) = delete;

  SafeTensors(SafeTensors&&) = default;
  SafeTensors& operator=(SafeTensors&&) = default;

  // The tensor named `name`, or TensorNotFound (code kNotFound). O(1).
  absl::StatusOr<TensorView> Tensor(absl::string_view name) const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;
  bool Contains(absl::string_view name) const {
    return header_.Find(name) != nullptr;
  }

  // Every tensor in offset order. Allocates the vector; O(T).
  std::vector<TensorView> Tensors() const ABSL_ATTRIBUTE_LIFETIME_BOUND;
  // The tensor at `i` in offset order. REQUIRES: i < size().
  TensorView at(size_t i) const ABSL_ATTRIBUTE_LIFETIME_BOUND;
  size_t size() const { return header_.tensors().size(); }
  bool empty() const { return header_.tensors().empty(); }

  // Names sorted by their bytes. O(T log T).
  std::vector<absl::string_view> SortedNames() const
      ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return header_.SortedNames();
  }
  // nullopt when the file has no metadata; see Header::metadata().
  const std::optional<MetadataMap>& metadata() const
      ABSL_ATTRIBUTE_LIFETIME_BOUND {
    return header_.metadata();
  }
  const Header& header() const ABSL_ATTRIBUTE_LIFETIME_BOUND { return header_; }
  // The data section: the bytes after the header.
  absl::Span<const uint8_t> data() const { return data_; }

 private:
  friend class File;  // parses the header from a copy, maps the data
  SafeTensors(Header header, absl::Span<const uint8_t> data)
      : header_(std::move(header)), data_(data) {}

  Header header_;
  absl::Span<const uint8_t> data_;
};

}  // namespace safetensors

#endif  // SAFETENSORS_READER_H_
