// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/create_spec.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/utf8.h"

namespace safetensors {
namespace tool {
namespace {

namespace json = ::safetensors::internal::json;

// What a token is, for "expected X, got Y".
absl::string_view Describe(const json::Token& t) {
  switch (t.type) {
    case json::TokenType::kBeginObject:
      return "an object";
    case json::TokenType::kBeginArray:
      return "an array";
    case json::TokenType::kString:
      return "a string";
    case json::TokenType::kNumber:
      return "a number";
    case json::TokenType::kTrue:
      return "true";
    case json::TokenType::kFalse:
      return "false";
    case json::TokenType::kNull:
      return "null";
    default:
      return "the end";
  }
}

// A pull parser over the spec's text: each Read* takes the first token of a
// value (already read) and consumes the rest of it.
class SpecParser {
 public:
  explicit SpecParser(absl::string_view text)
      : text_(text), tokenizer_(text, json::Tokenizer::kMaxDepth) {}

  absl::StatusOr<CreateSpec> Parse();

 private:
  // "line L, column C" of byte `offset` (columns count bytes, from 1).
  std::string Position(size_t offset) const {
    const absl::string_view before = text_.substr(0, offset);
    const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
    const size_t last = before.rfind('\n');
    const size_t column =
        last == absl::string_view::npos ? offset + 1 : offset - last;
    return absl::StrCat("line ", line, ", column ", column);
  }

  static absl::Status Bad(absl::string_view where, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
  }

  static absl::Status Expected(absl::string_view where,
                               absl::string_view expected,
                               const json::Token& got) {
    return Bad(where,
               absl::StrCat("expected ", expected, ", got ", Describe(got)));
  }

  absl::Status Next(json::Token* token) {
    if (tokenizer_.Next(token)) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat(Position(tokenizer_.error_offset()), ": not valid JSON (",
                     json::ErrorName(tokenizer_.error()), ")"));
  }

  static std::string Decoded(const json::Token& t) {
    if (!t.has_escapes) return std::string(t.text);
    std::string out;
    json::UnescapeString(t.text, &out);
    return out;
  }

  // The members of the object whose '{' was just read: calls
  // member(key, first token of its value) for each, refusing keys not in
  // `keys` and keys given twice.
  template <typename F>
  absl::Status ReadObject(const std::string& where,
                          const std::vector<absl::string_view>& keys,
                          F member) {
    std::set<std::string> seen;
    json::Token token;
    while (true) {
      if (absl::Status s = Next(&token); !s.ok()) return s;
      if (token.type == json::TokenType::kEndObject) return absl::OkStatus();
      const std::string key = Decoded(token);
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        return Bad(where,
                   absl::StrCat("unknown key ", json::Quoted(key),
                                " (expected ", absl::StrJoin(keys, ", "), ")"));
      }
      if (!seen.insert(key).second) {
        return Bad(where,
                   absl::StrCat("key ", json::Quoted(key), " given twice"));
      }
      json::Token value;
      if (absl::Status s = Next(&value); !s.ok()) return s;
      if (absl::Status s = member(key, value); !s.ok()) return s;
    }
  }

  static absl::Status ReadString(const std::string& where,
                                 const json::Token& first, std::string* out) {
    if (first.type != json::TokenType::kString) {
      return Expected(where, "a string", first);
    }
    *out = Decoded(first);
    return absl::OkStatus();
  }

  static absl::Status ReadUint(const std::string& where,
                               const json::Token& first, uint64_t* out) {
    if (first.type != json::TokenType::kNumber || !first.is_uint) {
      return Bad(where, absl::StrCat(
                            "expected an unsigned integer (0 to 2^64-1), got ",
                            first.type == json::TokenType::kNumber
                                ? std::string(first.text)
                                : std::string(Describe(first))));
    }
    *out = first.uint_value;
    return absl::OkStatus();
  }

  // Hex digits (either case, two per byte) into bytes.
  static absl::Status ReadHex(const std::string& where,
                              const json::Token& first, std::string* out) {
    std::string hex;
    if (absl::Status s = ReadString(where, first, &hex); !s.ok()) return s;
    if (hex.size() % 2 != 0) {
      return Bad(where, absl::StrCat("an odd number of hex digits (",
                                     hex.size(), "); two make one byte"));
    }
    out->clear();
    out->reserve(hex.size() / 2);
    for (size_t i = 0; i < hex.size(); i += 2) {
      const int high = json::HexValue(hex[i]);
      const int low = json::HexValue(hex[i + 1]);
      if (high < 0 || low < 0) {
        const size_t at = high < 0 ? i : i + 1;
        const unsigned char c = static_cast<unsigned char>(hex[at]);
        return Bad(where,
                   absl::StrCat("character ", at + 1, " is not a hex digit (",
                                c >= 0x20 && c < 0x7F
                                    ? absl::StrCat("'", std::string(1, c), "'")
                                    : absl::StrFormat("byte 0x%02X", c),
                                ")"));
      }
      out->push_back(static_cast<char>(high * 16 + low));
    }
    return absl::OkStatus();
  }

  absl::Status ReadName(const std::string& where, const json::Token& first,
                        std::string* out);
  absl::Status ReadShape(const std::string& where, std::vector<uint64_t>* out);
  absl::Status ReadFill(const std::string& where, std::string* out);
  absl::Status ReadTensor(const std::string& where, CreateSpec::Tensor* out);
  absl::Status ReadMetadata(const json::Token& first,
                            std::optional<MetadataMap>* out);

  const absl::string_view text_;
  json::Tokenizer tokenizer_;
};

absl::Status SpecParser::ReadName(const std::string& where,
                                  const json::Token& first, std::string* out) {
  if (first.type == json::TokenType::kString) {
    *out = Decoded(first);
    return absl::OkStatus();
  }
  if (first.type != json::TokenType::kBeginObject) {
    return Expected(where, "a string or {\"repeat\": S, \"count\": N}", first);
  }
  std::optional<std::string> repeat;
  std::optional<uint64_t> count;
  absl::Status s = ReadObject(
      where, {"repeat", "count"},
      [&](const std::string& key, const json::Token& value) {
        if (key == "repeat") {
          repeat.emplace();
          return ReadString(absl::StrCat(where, ".repeat"), value, &*repeat);
        }
        count.emplace();
        return ReadUint(absl::StrCat(where, ".count"), value, &*count);
      });
  if (!s.ok()) return s;
  if (!repeat.has_value() || !count.has_value()) {
    return Bad(where, absl::StrCat("missing \"",
                                   repeat.has_value() ? "count" : "repeat",
                                   "\" (a name is {\"repeat\": S, \"count\": "
                                   "N}: S repeated N times)"));
  }
  if (!repeat->empty() && *count > kMaxRepeatedNameBytes / repeat->size()) {
    return Bad(where, absl::StrCat("the name would be longer than ",
                                   kMaxRepeatedNameBytes, " bytes"));
  }
  // By doubling: a name of 100 MB takes a few copies, not 10^8 appends.
  const size_t size = repeat->size() * *count;
  *out = std::move(*repeat);
  out->reserve(size);
  while (!out->empty() && out->size() < size) {
    out->append(*out, 0, std::min(out->size(), size - out->size()));
  }
  if (size == 0) out->clear();
  return absl::OkStatus();
}

absl::Status SpecParser::ReadShape(const std::string& where,
                                   std::vector<uint64_t>* out) {
  json::Token token;
  while (true) {
    if (absl::Status s = Next(&token); !s.ok()) return s;
    if (token.type == json::TokenType::kEndArray) return absl::OkStatus();
    uint64_t dim = 0;
    if (absl::Status s =
            ReadUint(absl::StrCat(where, "[", out->size(), "]"), token, &dim);
        !s.ok()) {
      return s;
    }
    out->push_back(dim);
  }
}

absl::Status SpecParser::ReadFill(const std::string& where, std::string* out) {
  bool given = false;
  absl::Status s = ReadObject(
      where, {"byte", "hex"},
      [&](const std::string& key, const json::Token& value) -> absl::Status {
        if (given) {
          return Bad(where, "give one of \"byte\" and \"hex\", not both");
        }
        given = true;
        if (key == "hex") {
          const std::string at = absl::StrCat(where, ".hex");
          if (absl::Status s = ReadHex(at, value, out); !s.ok()) return s;
          if (out->empty()) return Bad(at, "the pattern is empty");
          return absl::OkStatus();
        }
        uint64_t byte = 0;
        const std::string at = absl::StrCat(where, ".byte");
        if (absl::Status s = ReadUint(at, value, &byte); !s.ok()) return s;
        if (byte > 255) {
          return Bad(at, absl::StrCat("expected a byte value from 0 to 255, "
                                      "got ",
                                      byte));
        }
        *out = std::string(1, static_cast<char>(byte));
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  if (!given) {
    return Bad(where, "expected {\"byte\": B} or {\"hex\": \"PATTERN\"}");
  }
  return absl::OkStatus();
}

absl::Status SpecParser::ReadTensor(const std::string& where,
                                    CreateSpec::Tensor* out) {
  bool name = false, dtype = false, shape = false, data = false;
  absl::Status s = ReadObject(
      where, {"name", "dtype", "shape", "data_hex", "fill"},
      [&](const std::string& key, const json::Token& value) -> absl::Status {
        const std::string at = absl::StrCat(where, ".", key);
        if (key == "name") {
          name = true;
          return ReadName(at, value, &out->name);
        }
        if (key == "dtype") {
          dtype = true;
          std::string text;
          if (absl::Status s = ReadString(at, value, &text); !s.ok()) return s;
          const std::optional<Dtype> d = DtypeFromName(text);
          if (!d.has_value()) {
            std::vector<absl::string_view> names;
            for (int i = 0; i < kNumDtypes; ++i) {
              names.push_back(DtypeName(static_cast<Dtype>(i)));
            }
            return Bad(at, absl::StrCat("unknown dtype ", json::Quoted(text),
                                        " (the format's are ",
                                        absl::StrJoin(names, ", "), ")"));
          }
          out->dtype = *d;
          return absl::OkStatus();
        }
        if (key == "shape") {
          shape = true;
          if (value.type != json::TokenType::kBeginArray) {
            return Expected(at, "an array of unsigned integers", value);
          }
          return ReadShape(at, &out->shape);
        }
        if (data) {
          return Bad(where, "give one of \"data_hex\" and \"fill\", not both");
        }
        data = true;
        if (key == "data_hex") return ReadHex(at, value, &out->data);
        if (value.type != json::TokenType::kBeginObject) {
          return Expected(at, "{\"byte\": B} or {\"hex\": \"PATTERN\"}", value);
        }
        out->fill.emplace();
        return ReadFill(at, &*out->fill);
      });
  if (!s.ok()) return s;
  for (const auto& [given, key] : {std::pair<bool, const char*>{name, "name"},
                                   {dtype, "dtype"},
                                   {shape, "shape"}}) {
    if (!given) return Bad(where, absl::StrCat("missing \"", key, "\""));
  }
  if (!data) {
    return Bad(where, "missing the bytes: give \"data_hex\" or \"fill\"");
  }
  return absl::OkStatus();
}

absl::Status SpecParser::ReadMetadata(const json::Token& first,
                                      std::optional<MetadataMap>* out) {
  if (first.type == json::TokenType::kNull) {
    out->reset();
    return absl::OkStatus();
  }
  if (first.type != json::TokenType::kBeginObject) {
    return Expected("metadata", "an object of strings, or null", first);
  }
  out->emplace();
  std::set<std::string> seen;
  json::Token token;
  while (true) {
    if (absl::Status s = Next(&token); !s.ok()) return s;
    if (token.type == json::TokenType::kEndObject) return absl::OkStatus();
    const std::string key = Decoded(token);
    const std::string at = absl::StrCat("metadata.", json::Quoted(key));
    if (!seen.insert(key).second) return Bad(at, "given twice");
    json::Token value;
    if (absl::Status s = Next(&value); !s.ok()) return s;
    std::string text;
    if (absl::Status s = ReadString(at, value, &text); !s.ok()) return s;
    (**out)[key] = std::move(text);
  }
}

absl::StatusOr<CreateSpec> SpecParser::Parse() {
  if (const size_t valid = internal::ValidateUtf8(text_);
      valid != text_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Position(valid), ": not UTF-8"));
  }
  json::Token token;
  if (absl::Status s = Next(&token); !s.ok()) return s;
  if (token.type != json::TokenType::kBeginObject) {
    return Bad(Position(token.offset),
               absl::StrCat("expected the spec, an object "
                            "{\"tensors\": [...], ...}, got ",
                            Describe(token)));
  }
  CreateSpec spec;
  bool tensors = false;
  absl::Status s = ReadObject(
      "the spec", {"tensors", "metadata", "options"},
      [&](const std::string& key, const json::Token& value) -> absl::Status {
        if (key == "metadata") return ReadMetadata(value, &spec.metadata);
        if (key == "options") {
          if (value.type != json::TokenType::kBeginObject) {
            return Expected("options", "an object", value);
          }
          return ReadObject("options", {"alignment"},
                            [&](const std::string&, const json::Token& v) {
                              return ReadUint("options.alignment", v,
                                              &spec.alignment);
                            });
        }
        tensors = true;
        if (value.type != json::TokenType::kBeginArray) {
          return Expected("tensors", "an array", value);
        }
        json::Token t;
        while (true) {
          if (absl::Status s = Next(&t); !s.ok()) return s;
          if (t.type == json::TokenType::kEndArray) return absl::OkStatus();
          const std::string at =
              absl::StrCat("tensors[", spec.tensors.size(), "]");
          if (t.type != json::TokenType::kBeginObject) {
            return Expected(at, "an object", t);
          }
          spec.tensors.emplace_back();
          if (absl::Status s = ReadTensor(at, &spec.tensors.back()); !s.ok()) {
            return s;
          }
        }
      });
  if (!s.ok()) return s;
  if (!tensors) {
    return Bad("the spec", "missing \"tensors\" (an array; [] for none)");
  }
  if (absl::Status s = Next(&token); !s.ok()) return s;  // kEnd
  return spec;
}

}  // namespace

absl::StatusOr<CreateSpec> ParseCreateSpec(absl::string_view text) {
  return SpecParser(text).Parse();
}

}  // namespace tool
}  // namespace safetensors
