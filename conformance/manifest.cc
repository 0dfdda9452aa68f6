// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "conformance/manifest.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"

namespace safetensors {
namespace conformance {
namespace {

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("manifest: ", what));
}

// Reads the value that starts with `first` (already returned by the
// tokenizer) into *out. The manifest nests a few levels only.
bool ReadValue(internal::json::Tokenizer& tokenizer,
               const internal::json::Token& first, JsonValue* out) {
  switch (first.type) {
    case internal::json::TokenType::kNull:
      out->type = JsonValue::Type::kNull;
      return true;
    case internal::json::TokenType::kTrue:
    case internal::json::TokenType::kFalse:
      out->type = JsonValue::Type::kBool;
      out->boolean = first.type == internal::json::TokenType::kTrue;
      return true;
    case internal::json::TokenType::kNumber:
      out->type = JsonValue::Type::kNumber;
      out->text = std::string(first.text);
      out->uint = first.uint_value;
      return first.is_uint;  // the manifest holds unsigned integers only
    case internal::json::TokenType::kString:
      out->type = JsonValue::Type::kString;
      internal::json::UnescapeString(first.text, &out->text);
      return true;
    case internal::json::TokenType::kBeginArray: {
      out->type = JsonValue::Type::kArray;
      internal::json::Token token;
      while (tokenizer.Next(&token)) {
        if (token.type == internal::json::TokenType::kEndArray) return true;
        out->array.emplace_back();
        if (!ReadValue(tokenizer, token, &out->array.back())) return false;
      }
      return false;
    }
    case internal::json::TokenType::kBeginObject: {
      out->type = JsonValue::Type::kObject;
      internal::json::Token token;
      while (tokenizer.Next(&token)) {
        if (token.type == internal::json::TokenType::kEndObject) return true;
        if (token.type != internal::json::TokenType::kKey) return false;
        std::string key;
        internal::json::UnescapeString(token.text, &key);
        internal::json::Token value;
        if (!tokenizer.Next(&value)) return false;
        out->object.emplace_back(std::move(key), JsonValue());
        if (!ReadValue(tokenizer, value, &out->object.back().second)) {
          return false;
        }
      }
      return false;
    }
    default:
      return false;
  }
}

absl::StatusOr<std::string> GetString(const JsonValue& object,
                                      absl::string_view key) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr || v->type != JsonValue::Type::kString) {
    return Invalid(absl::StrCat("missing string '", key, "'"));
  }
  return v->text;
}

absl::StatusOr<uint64_t> GetUint(const JsonValue& object,
                                 absl::string_view key) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr || v->type != JsonValue::Type::kNumber) {
    return Invalid(absl::StrCat("missing number '", key, "'"));
  }
  return v->uint;
}

absl::StatusOr<std::string> FromHex(absl::string_view hex) {
  if (hex.size() % 2 != 0) return Invalid("odd hex length");
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Invalid("bad hex digit");
    }
  }
  return absl::HexStringToBytes(hex);
}

absl::StatusOr<Expectation> GetExpectation(const JsonValue& expected,
                                           absl::string_view profile) {
  const JsonValue* e = expected.Find(profile);
  if (e == nullptr) return Invalid(absl::StrCat("no expectation ", profile));
  absl::StatusOr<std::string> result = GetString(*e, "result");
  if (!result.ok()) return result.status();
  Expectation out;
  out.accept = *result == "accept";
  if (!out.accept) {
    absl::StatusOr<std::string> kind = GetString(*e, "kind");
    if (!kind.ok()) return kind.status();
    out.kind = *kind;
  }
  return out;
}

absl::StatusOr<ReaderVector> GetReaderVector(const JsonValue& v) {
  ReaderVector out;
  absl::StatusOr<std::string> id = GetString(v, "id");
  if (!id.ok()) return id.status();
  out.id = *id;
  if (const JsonValue* d = v.Find("description"); d != nullptr) {
    out.description = d->text;
  }
  if (const JsonValue* g = v.Find("generate"); g != nullptr) {
    out.generated = true;
    absl::StatusOr<uint64_t> n = GetUint(*g, "length_field");
    absl::StatusOr<std::string> prefix = GetString(*g, "header_prefix");
    absl::StatusOr<std::string> pad = GetString(*g, "pad");
    absl::StatusOr<uint64_t> bytes = GetUint(*g, "header_bytes");
    absl::StatusOr<std::string> data_hex = GetString(*g, "data_hex");
    if (!n.ok() || !prefix.ok() || !pad.ok() || !bytes.ok() || !data_hex.ok() ||
        pad->empty()) {
      return Invalid(absl::StrCat(out.id, ": bad 'generate'"));
    }
    absl::StatusOr<std::string> data = FromHex(*data_hex);
    if (!data.ok()) return data.status();
    out.length_field = *n;
    out.header_prefix = *prefix;
    out.pad = *pad;
    out.header_bytes = *bytes;
    out.data = *data;
  } else {
    absl::StatusOr<std::string> file = GetString(v, "file");
    if (!file.ok()) return file.status();
    out.file = *file;
  }
  absl::StatusOr<uint64_t> size = GetUint(v, "size");
  if (!size.ok()) return size.status();
  out.size = *size;
  if (const JsonValue* d = v.Find("dump"); d != nullptr && !d->is_null()) {
    out.dump = d->text;
  }
  if (const JsonValue* f = v.Find("flags"); f != nullptr) {
    for (const JsonValue& flag : f->array) out.flags.push_back(flag.text);
  }
  const JsonValue* expected = v.Find("expected");
  if (expected == nullptr) return Invalid(out.id + ": no 'expected'");
  absl::StatusOr<Expectation> strict = GetExpectation(*expected, "strict");
  absl::StatusOr<Expectation> reference =
      GetExpectation(*expected, "reference");
  if (!strict.ok()) return strict.status();
  if (!reference.ok()) return reference.status();
  out.strict = *strict;
  out.reference = *reference;
  return out;
}

absl::StatusOr<WriterVector> GetWriterVector(const JsonValue& v) {
  WriterVector out;
  absl::StatusOr<std::string> id = GetString(v, "id");
  if (!id.ok()) return id.status();
  out.id = *id;
  if (const JsonValue* d = v.Find("description"); d != nullptr) {
    out.description = d->text;
  }
  const JsonValue* tensors = v.Find("tensors");
  if (tensors == nullptr) return Invalid(out.id + ": no 'tensors'");
  for (const JsonValue& t : tensors->array) {
    WriterVector::Tensor tensor;
    const JsonValue* name = t.Find("name");
    if (name == nullptr) return Invalid(out.id + ": tensor without name");
    if (name->type == JsonValue::Type::kString) {
      tensor.name = name->text;
    } else {  // {"repeat": s, "count": n}
      absl::StatusOr<std::string> repeat = GetString(*name, "repeat");
      absl::StatusOr<uint64_t> count = GetUint(*name, "count");
      if (!repeat.ok() || !count.ok()) {
        return Invalid(out.id + ": bad name rule");
      }
      tensor.name.reserve(repeat->size() * *count);
      for (uint64_t i = 0; i < *count; ++i) tensor.name += *repeat;
    }
    absl::StatusOr<std::string> dtype = GetString(t, "dtype");
    absl::StatusOr<std::string> data_hex = GetString(t, "data_hex");
    const JsonValue* shape = t.Find("shape");
    if (!dtype.ok() || !data_hex.ok() || shape == nullptr) {
      return Invalid(out.id + ": bad tensor");
    }
    tensor.dtype = *dtype;
    for (const JsonValue& d : shape->array) tensor.shape.push_back(d.uint);
    absl::StatusOr<std::string> data = FromHex(*data_hex);
    if (!data.ok()) return data.status();
    tensor.data = *data;
    out.tensors.push_back(std::move(tensor));
  }
  if (const JsonValue* m = v.Find("metadata"); m != nullptr && !m->is_null()) {
    out.metadata.emplace();
    for (const auto& [key, value] : m->object) {
      (*out.metadata)[key] = value.text;
    }
  }
  if (const JsonValue* o = v.Find("options"); o != nullptr) {
    if (const JsonValue* a = o->Find("alignment"); a != nullptr) {
      out.alignment = a->uint;
    }
  }
  const JsonValue* expected = v.Find("expected");
  if (expected == nullptr) return Invalid(out.id + ": no 'expected'");
  absl::StatusOr<std::string> result = GetString(*expected, "result");
  if (!result.ok()) return result.status();
  if (*result == "error") {
    absl::StatusOr<std::string> kind = GetString(*expected, "kind");
    if (!kind.ok()) return kind.status();
    out.expect_error = true;
    out.kind = *kind;
  } else {
    absl::StatusOr<std::string> file = GetString(*expected, "file");
    if (!file.ok()) return file.status();
    out.expected_file = *file;
  }
  return out;
}

}  // namespace

const JsonValue* JsonValue::Find(absl::string_view key) const {
  for (const auto& [k, v] : object) {
    if (k == key) return &v;
  }
  return nullptr;
}

absl::StatusOr<JsonValue> ParseJson(absl::string_view text) {
  internal::json::Tokenizer tokenizer(text,
                                      internal::json::Tokenizer::kMaxDepth);
  internal::json::Token token;
  JsonValue root;
  if (!tokenizer.Next(&token) || !ReadValue(tokenizer, token, &root) ||
      !tokenizer.Next(&token) ||
      token.type != internal::json::TokenType::kEnd) {
    return Invalid(absl::StrCat("not JSON near byte ", tokenizer.error_offset(),
                                ": ",
                                internal::json::ErrorName(tokenizer.error())));
  }
  return root;
}

absl::StatusOr<Manifest> ParseManifest(absl::string_view text) {
  absl::StatusOr<JsonValue> root = ParseJson(text);
  if (!root.ok()) return root.status();
  Manifest manifest;
  const JsonValue* vectors = root->Find("vectors");
  const JsonValue* writes = root->Find("writes");
  if (vectors == nullptr || writes == nullptr) {
    return Invalid("no 'vectors' or 'writes'");
  }
  for (const JsonValue& v : vectors->array) {
    absl::StatusOr<ReaderVector> vector = GetReaderVector(v);
    if (!vector.ok()) return vector.status();
    manifest.vectors.push_back(*std::move(vector));
  }
  for (const JsonValue& w : writes->array) {
    absl::StatusOr<WriterVector> vector = GetWriterVector(w);
    if (!vector.ok()) return vector.status();
    manifest.writes.push_back(*std::move(vector));
  }
  return manifest;
}

std::string ConformanceDir() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir ? srcdir : ".", "/",
                      workspace ? workspace : "safetensors_cpp",
                      "/conformance");
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.good())
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<std::string> VectorBytes(const ReaderVector& vector) {
  if (!vector.generated) {
    return ReadWholeFile(absl::StrCat(ConformanceDir(), "/", vector.file));
  }
  std::string out;
  out.reserve(8 + vector.header_bytes + vector.data.size());
  for (int i = 0; i < 8; ++i) {
    out += static_cast<char>((vector.length_field >> (8 * i)) & 0xFF);
  }
  out += vector.header_prefix;
  if (vector.pad.size() == 1) {
    out.append(8 + vector.header_bytes -
                   std::min<uint64_t>(out.size(), 8 + vector.header_bytes),
               vector.pad[0]);
  }
  while (out.size() < 8 + vector.header_bytes) out += vector.pad;
  out.resize(8 + vector.header_bytes);
  out += vector.data;
  return out;
}

const Manifest& LoadManifest() {
  static const Manifest* const manifest = [] {
    const std::string path = ConformanceDir() + "/manifest.json";
    absl::StatusOr<std::string> text = ReadWholeFile(path);
    absl::StatusOr<Manifest> parsed =
        text.ok() ? ParseManifest(*text) : text.status();
    if (!parsed.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(),
                   parsed.status().ToString().c_str());
      std::abort();
    }
    return new Manifest(*std::move(parsed));
  }();
  return *manifest;
}

}  // namespace conformance
}  // namespace safetensors
