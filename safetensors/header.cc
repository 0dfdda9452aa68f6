// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/header.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "safetensors/internal/compact_entry.h"
#include "safetensors/internal/entries.h"
#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/name_index.h"
#include "safetensors/internal/sniff.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/internal/utf8.h"
#include "safetensors/status.h"

namespace safetensors {

namespace {

// serde_json's default recursion limit: 128 open containers are an error.
constexpr int kReferenceMaxDepth = 127;
// The deepest a strict header can be: top object > tensor or metadata
// object > shape or data_offsets array.
constexpr int kStrictMaxDepth = 3;

// Bit flags of the three known fields of a tensor entry.
enum Field : uint8_t { kDtype = 1, kShape = 2, kOffsets = 4 };

using internal::json::Quoted;

// What a strict-only rejection adds when the reference profile reads the
// whole file: how to read it.
constexpr absl::string_view kStrictOnlyHint =
    "; only the strict profile rejects this: the reference profile (and so "
    "the Python library) reads this file; to read it, set "
    "ReadOptions::profile = Profile::kReference (the tool: "
    "--profile=reference)";

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

// Builds a Header from text in one pass. The JSON layer and the profile's
// decisions live here; validation (§5) follows in Validate().
class HeaderBuilder {
 public:
  HeaderBuilder(absl::string_view text, uint64_t file_size,
                const ReadOptions& options, Header* header)
      : text_(text),
        file_size_(file_size),
        strict_(options.profile == Profile::kStrict),
        fast_path_(internal::CompactEntryFastPathAllowed()),
        tok_(text, strict_ ? kStrictMaxDepth : kReferenceMaxDepth),
        h_(header) {}

  absl::Status Build() {
    absl::Status status = BuildInProfile();
    if (!strict_only_) return status;
    // A strict-only rule failed (§6). Whether the reference profile reads
    // the file decides the advice: never suggest a profile that would reject
    // the file anyway. Costs a second parse, on this error path only.
    Header reference;
    ReadOptions options;
    options.profile = Profile::kReference;
    HeaderBuilder builder(text_, file_size_, options, &reference);
    const absl::Status other = builder.Build();
    const std::string advice =
        other.ok()
            ? std::string(kStrictOnlyHint)
            : absl::StrCat("; the reference profile rejects this file too (",
                           ErrorKindName(*ErrorKindOf(other)), ": ",
                           other.message(), ")");
    return MakeError(ErrorKind::kInvalidHeaderDeserialization,
                     absl::StrCat(status.message(), advice));
  }

 private:
  absl::Status BuildInProfile() {
    const size_t bad = internal::ValidateUtf8(text_);
    if (bad != text_.size()) {
      return MakeError(ErrorKind::kInvalidHeader,
                       absl::StrCat("invalid UTF-8 in header at byte ", bad));
    }
    SAFETENSORS_RETURN_IF_ERROR(ParseTopLevel());
    FinishShapes();
    SAFETENSORS_RETURN_IF_ERROR(BuildIndex());
    return Validate();
  }

  struct Pending {
    uint32_t dims_at = 0;
    uint32_t rank = 0;
    uint64_t key_offset = 0;  // for messages
  };

  // A JSON syntax error (RFC 8259): the text is not JSON at all.
  absl::Status JsonError(size_t offset, absl::string_view what) {
    return MakeError(
        ErrorKind::kInvalidHeaderDeserialization,
        absl::StrCat("invalid JSON in header at byte ", offset, ": ", what));
  }

  // Well-formed JSON that breaks a rule of the header's schema (§5), in
  // both profiles.
  absl::Status SchemaError(size_t offset, absl::string_view what) {
    return MakeError(
        ErrorKind::kInvalidHeaderDeserialization,
        absl::StrCat("header schema error at byte ", offset, ": ", what));
  }

  // A rule that only the strict profile enforces (§6): the reference
  // profile accepts what is at `offset`. Build() adds the advice.
  absl::Status StrictOnlyError(size_t offset, absl::string_view what) {
    strict_only_ = true;
    return MakeError(ErrorKind::kInvalidHeaderDeserialization,
                     absl::StrCat("header rejected by the strict profile at "
                                  "byte ",
                                  offset, ": ", what));
  }

  absl::Status TokenizerError() {
    if (tok_.error() == internal::json::Error::kDepthExceeded) {
      // Not a syntax error: a limit. In strict, the schema's own depth
      // (nothing deeper is ever valid there); in reference, serde_json's.
      return strict_ ? SchemaError(tok_.error_offset(),
                                   "nested deeper than the header's schema "
                                   "allows (3 levels)")
                     : SchemaError(tok_.error_offset(),
                                   "JSON nested deeper than the limit of 127 "
                                   "open arrays and objects");
    }
    return JsonError(tok_.error_offset(),
                     internal::json::ErrorName(tok_.error()));
  }

  // Reads the next token into t_, or returns the tokenizer's error.
  absl::Status Next() {
    if (!tok_.Next(&t_)) return TokenizerError();
    return absl::OkStatus();
  }

  // The decoded text of the current key or string token. Valid until the
  // next call (it may live in scratch_).
  absl::string_view Decoded() {
    if (!t_.has_escapes) return t_.text;
    scratch_.clear();
    internal::json::UnescapeString(t_.text, &scratch_);
    return scratch_;
  }

  absl::Status ParseTopLevel() {
    if (text_.empty()) {
      return SchemaError(0,
                         "the header is empty (N = 0): it must be a JSON "
                         "object, at least {}");
    }
    if (strict_ && text_[0] != '{') {
      size_t i = 0;
      while (i < text_.size() && IsJsonSpace(text_[i])) ++i;
      if (i < text_.size() && text_[i] == '{') {
        return StrictOnlyError(
            0, absl::StrCat("the header must start with '{', but ", i,
                            " whitespace byte", i == 1 ? " comes" : "s come",
                            " first"));
      }
      // Otherwise the reference rejects it too, and the tokenizer says why.
    }
    SAFETENSORS_RETURN_IF_ERROR(Next());
    if (t_.type != internal::json::TokenType::kBeginObject) {
      return SchemaError(t_.offset, "the header must be a JSON object");
    }
    for (;;) {
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type == internal::json::TokenType::kEndObject) break;
      // t_ is a key.
      const size_t key_offset = t_.offset;
      if (Decoded() == kMetadataKey) {
        SAFETENSORS_RETURN_IF_ERROR(ParseMetadata(key_offset));
      } else {
        SAFETENSORS_RETURN_IF_ERROR(ParseTensor(key_offset));
      }
    }
    const size_t end = tok_.position();
    if (strict_) {
      size_t first_other = text_.size();  // the first byte that is not 0x20
      for (size_t i = end; i < text_.size(); ++i) {
        if (!IsJsonSpace(text_[i])) {
          return JsonError(i, internal::json::ErrorName(
                                  internal::json::Error::kTrailingCharacters));
        }
        if (text_[i] != ' ' && first_other == text_.size()) first_other = i;
      }
      if (first_other != text_.size()) {
        return StrictOnlyError(first_other,
                               "only spaces (0x20) may follow the header's "
                               "JSON object, not tabs, line feeds or "
                               "carriage returns");
      }
      return absl::OkStatus();
    }
    SAFETENSORS_RETURN_IF_ERROR(Next());  // kEnd or trailing characters
    return absl::OkStatus();
  }

  absl::Status ParseMetadata(size_t key_offset) {
    if (metadata_seen_) {
      return SchemaError(key_offset, "duplicate __metadata__");
    }
    metadata_seen_ = true;
    SAFETENSORS_RETURN_IF_ERROR(Next());
    if (t_.type == internal::json::TokenType::kNull) {
      if (strict_) {
        return StrictOnlyError(t_.offset,
                               "\"__metadata__\": null (the reference reads "
                               "it as no metadata)");
      }
      return absl::OkStatus();  // the reference reads null as absent
    }
    if (t_.type != internal::json::TokenType::kBeginObject) {
      return SchemaError(t_.offset,
                         "__metadata__ must be an object of strings");
    }
    MetadataMap& map = h_->metadata_.emplace();
    for (;;) {
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type == internal::json::TokenType::kEndObject)
        return absl::OkStatus();
      const size_t offset = t_.offset;
      std::string key(Decoded());
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type != internal::json::TokenType::kString) {
        return SchemaError(t_.offset,
                           absl::StrCat("metadata value of ", Quoted(key),
                                        " must be a string"));
      }
      std::string value(Decoded());
      auto it = map.find(key);
      if (it != map.end()) {
        if (strict_) {
          return StrictOnlyError(
              offset, absl::StrCat("duplicate metadata key ", Quoted(key),
                                   " (the reference keeps the last value)"));
        }
        it->second = std::move(value);  // last one wins
      } else {
        map.emplace(std::move(key), std::move(value));
      }
    }
  }

  // Stores the name of the current key token, returning a view that lives as
  // long as the Header.
  absl::string_view StoreName() {
    if (!t_.has_escapes) return t_.text;
    std::string& s = h_->decoded_.emplace_back();
    internal::json::UnescapeString(t_.text, &s);
    return s;
  }

  absl::Status ParseTensor(size_t key_offset) {
    const absl::string_view name = StoreName();
    TensorInfo info;
    info.name = name;
    Pending pending;
    if (!FastTensorEntry(&info, &pending)) {
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type == internal::json::TokenType::kBeginObject) {
        SAFETENSORS_RETURN_IF_ERROR(ParseTensorObject(name, &info, &pending));
      } else if (t_.type == internal::json::TokenType::kBeginArray) {
        // Read as the reference reads it, so that strict rejects the form
        // only where the reference would accept the entry.
        const size_t offset = t_.offset;
        SAFETENSORS_RETURN_IF_ERROR(ParseTensorArray(name, &info, &pending));
        if (strict_) {
          return StrictOnlyError(
              offset, absl::StrCat("tensor ", Quoted(name),
                                   " is in array form [dtype, shape, "
                                   "data_offsets]; strict reads only the "
                                   "object form"));
        }
      } else {
        return SchemaError(t_.offset,
                           absl::StrCat("tensor ", Quoted(name),
                                        " must be an object with dtype, shape "
                                        "and data_offsets"));
      }
    }
    // Every occurrence is kept for now; BuildIndex() resolves repeats.
    pending.key_offset = key_offset;
    h_->tensors_.push_back(info);
    pending_.push_back(pending);
    if (h_->tensors_.size() == kSampleTensors) ReserveForEstimate();
    return absl::OkStatus();
  }

  // The compact form that writers emit (internal/compact_entry.h), read
  // straight from the text after the key's ':'. Returns false, having changed
  // nothing that matters, when the entry is in any other form (or the fast
  // path is off on this thread), and the general path then reads the entry.
  bool FastTensorEntry(TensorInfo* info, Pending* pending) {
    if (!fast_path_) return false;
    const size_t dims_at = h_->dims_.size();
    internal::CompactEntry entry;
    if (!internal::ParseCompactEntry(text_, tok_.position(), &h_->dims_,
                                     &entry)) {
      return false;
    }
    if (!tok_.SkipValidatedValue(entry.value_end, 2)) {
      h_->dims_.resize(dims_at);
      return false;
    }
    info->dtype = entry.dtype;
    info->begin = entry.begin;
    info->end = entry.end;
    pending->dims_at = static_cast<uint32_t>(dims_at);
    pending->rank = static_cast<uint32_t>(h_->dims_.size() - dims_at);
    return true;
  }

  absl::Status ParseTensorObject(absl::string_view name, TensorInfo* info,
                                 Pending* pending) {
    uint8_t seen = 0;
    for (;;) {
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type == internal::json::TokenType::kEndObject) break;
      const size_t offset = t_.offset;
      const absl::string_view field = Decoded();
      Field which;
      if (field == "dtype") {
        which = kDtype;
      } else if (field == "shape") {
        which = kShape;
      } else if (field == "data_offsets") {
        which = kOffsets;
      } else {
        if (strict_) {
          return StrictOnlyError(
              offset,
              absl::StrCat("tensor ", Quoted(name), ": unknown field ",
                           Quoted(field),
                           " (an entry has exactly dtype, shape and "
                           "data_offsets; the reference ignores others)"));
        }
        SAFETENSORS_RETURN_IF_ERROR(Next());
        if (!tok_.SkipValue(t_)) return TokenizerError();
        continue;
      }
      if (seen & which) {
        return SchemaError(
            offset, absl::StrCat("tensor ", Quoted(name), ": duplicate field ",
                                 Quoted(field)));
      }
      seen |= which;
      SAFETENSORS_RETURN_IF_ERROR(Next());
      SAFETENSORS_RETURN_IF_ERROR(ParseField(which, name, info, pending));
    }
    for (Field f : {kDtype, kShape, kOffsets}) {
      if (!(seen & f)) {
        return SchemaError(
            t_.offset, absl::StrCat("tensor ", Quoted(name), ": missing field ",
                                    f == kDtype   ? "dtype"
                                    : f == kShape ? "shape"
                                                  : "data_offsets"));
      }
    }
    return absl::OkStatus();
  }

  // The reference's positional form: ["F32", [1], [0, 4]].
  absl::Status ParseTensorArray(absl::string_view name, TensorInfo* info,
                                Pending* pending) {
    for (Field f : {kDtype, kShape, kOffsets}) {
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type == internal::json::TokenType::kEndArray) {
        return SchemaError(t_.offset,
                           absl::StrCat("tensor ", Quoted(name),
                                        ": array form needs 3 elements"));
      }
      SAFETENSORS_RETURN_IF_ERROR(ParseField(f, name, info, pending));
    }
    SAFETENSORS_RETURN_IF_ERROR(Next());
    if (t_.type != internal::json::TokenType::kEndArray) {
      return SchemaError(t_.offset,
                         absl::StrCat("tensor ", Quoted(name),
                                      ": array form has more than 3 elements"));
    }
    return absl::OkStatus();
  }

  // Parses one field's value, whose first token is t_.
  absl::Status ParseField(Field which, absl::string_view name, TensorInfo* info,
                          Pending* pending) {
    switch (which) {
      case kDtype:
        return ParseDtype(name, &info->dtype);
      case kShape:
        return ParseShape(name, pending);
      case kOffsets:
        return ParseOffsets(name, info);
    }
    return absl::OkStatus();
  }

  // The dtype named by the current string or key token.
  absl::Status DtypeOfToken(absl::string_view name, Dtype* dtype) {
    const absl::string_view text = Decoded();
    std::optional<Dtype> d = DtypeFromName(text);
    if (!d) {
      return SchemaError(
          t_.offset, absl::StrCat("tensor ", Quoted(name), ": unknown dtype ",
                                  Quoted(text)));
    }
    *dtype = *d;
    return absl::OkStatus();
  }

  absl::Status ParseDtype(absl::string_view name, Dtype* dtype) {
    if (t_.type == internal::json::TokenType::kString)
      return DtypeOfToken(name, dtype);
    if (t_.type == internal::json::TokenType::kBeginObject) {
      // serde's externally tagged form: exactly {"F32": null}. Read in both
      // profiles, so that strict rejects it only where the reference would
      // accept it.
      const size_t offset = t_.offset;
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type != internal::json::TokenType::kKey) {
        return SchemaError(offset, "dtype map must have a single key");
      }
      SAFETENSORS_RETURN_IF_ERROR(DtypeOfToken(name, dtype));
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type != internal::json::TokenType::kNull) {
        return SchemaError(t_.offset, "dtype map value must be null");
      }
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type != internal::json::TokenType::kEndObject) {
        return SchemaError(offset, "dtype map must have a single key");
      }
      if (strict_) {
        return StrictOnlyError(
            offset, absl::StrCat("tensor ", Quoted(name), ": dtype as {\"",
                                 DtypeName(*dtype),
                                 "\": null}; strict reads only a string"));
      }
      return absl::OkStatus();
    }
    return SchemaError(t_.offset, absl::StrCat("tensor ", Quoted(name),
                                               ": dtype must be a string"));
  }

  absl::Status ExpectUint(absl::string_view name, absl::string_view field,
                          uint64_t* value) {
    if (t_.type != internal::json::TokenType::kNumber || !t_.is_uint) {
      return SchemaError(t_.offset,
                         absl::StrCat("tensor ", Quoted(name), ": ", field,
                                      " must hold integers from 0 to "
                                      "18446744073709551615"));
    }
    *value = t_.uint_value;
    return absl::OkStatus();
  }

  absl::Status ParseShape(absl::string_view name, Pending* pending) {
    if (t_.type != internal::json::TokenType::kBeginArray) {
      return SchemaError(t_.offset, absl::StrCat("tensor ", Quoted(name),
                                                 ": shape must be an array"));
    }
    pending->dims_at = static_cast<uint32_t>(h_->dims_.size());
    for (;;) {
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type == internal::json::TokenType::kEndArray) break;
      uint64_t dim;
      SAFETENSORS_RETURN_IF_ERROR(ExpectUint(name, "shape", &dim));
      h_->dims_.push_back(dim);
    }
    pending->rank = static_cast<uint32_t>(h_->dims_.size()) - pending->dims_at;
    return absl::OkStatus();
  }

  absl::Status ParseOffsets(absl::string_view name, TensorInfo* info) {
    if (t_.type != internal::json::TokenType::kBeginArray) {
      return SchemaError(t_.offset,
                         absl::StrCat("tensor ", Quoted(name),
                                      ": data_offsets must be an array"));
    }
    uint64_t values[2];
    for (uint64_t& v : values) {
      SAFETENSORS_RETURN_IF_ERROR(Next());
      if (t_.type == internal::json::TokenType::kEndArray) {
        return SchemaError(t_.offset,
                           absl::StrCat("tensor ", Quoted(name),
                                        ": data_offsets must have 2 elements"));
      }
      SAFETENSORS_RETURN_IF_ERROR(ExpectUint(name, "data_offsets", &v));
    }
    SAFETENSORS_RETURN_IF_ERROR(Next());
    if (t_.type != internal::json::TokenType::kEndArray) {
      return SchemaError(t_.offset,
                         absl::StrCat("tensor ", Quoted(name),
                                      ": data_offsets must have 2 elements"));
    }
    info->begin = values[0];
    info->end = values[1];
    return absl::OkStatus();
  }

  // After the first kSampleTensors entries, sizes the containers for the
  // whole header from the bytes those took, so that a large header is not
  // rehashed and copied as it grows. The estimate is capped by the smallest
  // possible entry, so no input can make it allocate more than a constant
  // factor of its own size.
  static constexpr size_t kSampleTensors = 64;
  void ReserveForEstimate() {
    const size_t used = std::max<size_t>(tok_.position(), 1);
    size_t estimate = text_.size() / used * kSampleTensors * 9 / 8;
    estimate = std::min(estimate, text_.size() / 16);
    if (estimate <= kSampleTensors) return;
    h_->tensors_.reserve(estimate);
    pending_.reserve(estimate);
    h_->dims_.reserve(h_->dims_.size() * estimate / kSampleTensors);
  }

  // Points each entry's shape into the (now final) dims pool.
  void FinishShapes() {
    const uint64_t* base = h_->dims_.data();
    for (size_t i = 0; i < h_->tensors_.size(); ++i) {
      h_->tensors_[i].shape = absl::Span<const uint64_t>(
          base + pending_[i].dims_at, pending_[i].rank);
    }
  }

  // Resolves repeated names by the profile (strict: a JSON error at the
  // first repeat; reference: the last occurrence wins, as its map does),
  // puts the entries in offset order and indexes them.
  absl::Status BuildIndex() {
    const int64_t repeat =
        internal::IndexEntries(&h_->tensors_,
                               strict_ ? internal::RepeatedNames::kReject
                                       : internal::RepeatedNames::kLastWins,
                               h_->index_.get());
    if (repeat >= 0) {
      return StrictOnlyError(
          pending_[repeat].key_offset,
          absl::StrCat("duplicate tensor name ",
                       Quoted(h_->tensors_[repeat].name),
                       " (the reference keeps the last entry)"));
    }
    return absl::OkStatus();
  }

  // The format's validation, in the reference's exact order.
  absl::Status Validate() {
    h_->header_size_ = text_.size();
    return internal::ValidateEntries(absl::Span<const TensorInfo>(h_->tensors_),
                                     text_.size(), file_size_, &h_->data_size_);
  }

  const absl::string_view text_;
  const uint64_t file_size_;
  const bool strict_;
  const bool fast_path_;
  internal::json::Tokenizer tok_;
  Header* const h_;
  internal::json::Token t_;
  std::string scratch_;
  std::vector<Pending> pending_;
  bool metadata_seen_ = false;
  bool strict_only_ = false;  // the error is a strict-only rule's
};

std::string FormatShape(absl::Span<const uint64_t> shape) {
  return absl::StrCat("[", absl::StrJoin(shape, ","), "]");
}

Header::Header() : index_(std::make_unique<internal::NameIndex>()) {}
Header::Header(Header&&) noexcept = default;
Header& Header::operator=(Header&&) noexcept = default;
Header::~Header() = default;

absl::StatusOr<Header> Header::Parse(absl::string_view text, uint64_t file_size,
                                     const ReadOptions& options) {
  Header header;
  HeaderBuilder builder(text, file_size, options, &header);
  SAFETENSORS_RETURN_IF_ERROR(builder.Build());
  return header;
}

const TensorInfo* Header::Find(absl::string_view name) const {
  const int64_t i =
      index_->Find(name, [this](uint32_t i) { return tensors_[i].name; });
  return i < 0 ? nullptr : &tensors_[i];
}

std::vector<absl::string_view> Header::SortedNames() const {
  std::vector<absl::string_view> names;
  names.reserve(tensors_.size());
  for (const TensorInfo& t : tensors_) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

// The first 8 bytes as hex, for a message about an implausible length field.
std::string HexOfLengthField(absl::Span<const uint8_t> prefix) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 8 && i < prefix.size(); ++i) {
    if (i > 0) out += ' ';
    out += kHex[prefix[i] >> 4];
    out += kHex[prefix[i] & 15];
  }
  return out;
}

// `message` with "; " and what the file is appended when the sniffer knows,
// else with `otherwise` (which may be empty) appended.
std::string Diagnosed(std::string message, absl::Span<const uint8_t> prefix,
                      uint64_t file_size, absl::string_view otherwise) {
  const std::string what = internal::DescribeForeignFormat(
      internal::SniffForeignFormat(prefix, file_size), prefix);
  if (!what.empty()) return absl::StrCat(message, "; ", what);
  if (!otherwise.empty()) return absl::StrCat(message, "; ", otherwise);
  return message;
}

}  // namespace

absl::StatusOr<uint64_t> ReadHeaderSize(absl::Span<const uint8_t> prefix,
                                        uint64_t file_size,
                                        const ReadOptions& options) {
  if (file_size == 0) {
    return MakeError(
        ErrorKind::kHeaderTooSmall,
        absl::StrCat("header too small: ",
                     internal::DescribeForeignFormat(
                         internal::ForeignFormat::kEmpty, prefix)));
  }
  if (file_size < 8 || prefix.size() < 8) {
    return MakeError(
        ErrorKind::kHeaderTooSmall,
        Diagnosed(absl::StrCat("header too small: the file is ", file_size,
                               " byte", file_size == 1 ? "" : "s",
                               ", under the 8 of the length field"),
                  prefix, file_size,
                  "it is truncated, or not a safetensors file"));
  }
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | prefix[i];  // little-endian
  const uint64_t limit = std::min(options.max_header_size, kMaxHeaderSize);
  if (n > limit) {
    const std::string otherwise =
        n > kMaxHeaderSize
            ? absl::StrCat(
                  "no safetensors header is that large, so this is "
                  "most likely not a safetensors file (its first 8 "
                  "bytes are ",
                  HexOfLengthField(prefix), ")")
            : absl::StrCat("ReadOptions::max_header_size is ", limit,
                           "; the format allows up to ", kMaxHeaderSize);
    return MakeError(
        ErrorKind::kHeaderTooLarge,
        Diagnosed(absl::StrCat("header too large: N = ", n,
                               " exceeds the limit of ", limit, " bytes"),
                  prefix, file_size, otherwise));
  }
  if (n > file_size - 8) {
    return MakeError(
        ErrorKind::kInvalidHeaderLength,
        Diagnosed(
            absl::StrCat("invalid header length: N = ", n, " but only ",
                         file_size - 8, " bytes follow the length field"),
            prefix, file_size,
            absl::StrCat("the header is cut short, so the file is truncated "
                         "(",
                         internal::FormatByteSize(n - (file_size - 8)),
                         " of the header missing); an incomplete download "
                         "or a full disk?")));
  }
  return n;
}

absl::StatusOr<Header> ParseHeaderPrefix(absl::Span<const uint8_t> prefix,
                                         uint64_t file_size,
                                         const ReadOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(const uint64_t n,
                               ReadHeaderSize(prefix, file_size, options));
  if (prefix.size() - 8 < n) {
    return absl::OutOfRangeError(
        absl::StrCat("the prefix holds ", prefix.size(),
                     " bytes but the header needs ", 8 + n));
  }
  // One parse path for both entry points: the copy is exactly what File::Open
  // reads (8 + N bytes), and errors describe the file from all of `prefix`.
  const size_t size = 8 + static_cast<size_t>(n);
  auto owned = std::make_unique<char[]>(size);
  std::memcpy(owned.get(), prefix.data(), size);
  return internal::ParseOwnedHeader(std::move(owned), size, prefix, file_size,
                                    options);
}

namespace internal {

absl::StatusOr<Header> ParseOwnedHeader(std::unique_ptr<char[]> bytes,
                                        size_t size,
                                        absl::Span<const uint8_t> first_bytes,
                                        uint64_t file_size,
                                        const ReadOptions& options) {
  assert(size >= 8);
  absl::StatusOr<Header> header = Header::Parse(
      absl::string_view(bytes.get() + 8, size - 8), file_size, options);
  if (!header.ok()) {
    return internal::WithHeaderTextDiagnosis(header.status(), first_bytes,
                                             file_size);
  }
  header->owned_text_ = std::move(bytes);
  return header;
}

}  // namespace internal
}  // namespace safetensors
