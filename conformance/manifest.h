// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Test-only: reads conformance/manifest.json (written by gen.py) into plain
// structs, and builds the bytes of each vector, including the ones that are
// generated at test time. The JSON is read with the library's own tokenizer
// (safetensors/json.h) into a small tree. Everything returned owns its data;
// functions are thread-compatible.

#ifndef CONFORMANCE_MANIFEST_H_
#define CONFORMANCE_MANIFEST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace safetensors {
namespace conformance {

// A JSON value as a tree. Numbers keep their text; unsigned integers (all
// that the manifest holds) also their value.
struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;   // kString: decoded; kNumber: the token
  uint64_t uint = 0;  // kNumber when an unsigned integer
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  // The member `key` of an object, or nullptr (also for a non-object).
  const JsonValue* Find(absl::string_view key) const;
  bool is_null() const { return type == Type::kNull; }
};

// Parses one JSON document. Errors: kInvalidArgument with the byte offset.
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

// The expected outcome of one reader vector in one profile.
struct Expectation {
  bool accept = false;
  std::string kind;  // the error kind's name when !accept
};

// A reader vector (y_, n_, i_).
struct ReaderVector {
  std::string id;
  std::string description;
  std::string file;  // relative to conformance/, "" when generated
  // For generated vectors: the 8-byte N, then header_prefix, then `pad`
  // repeated until header_bytes header bytes, then data.
  bool generated = false;
  uint64_t length_field = 0;
  std::string header_prefix;
  std::string pad;
  uint64_t header_bytes = 0;
  std::string data;
  uint64_t size = 0;
  std::string dump;  // relative path of the golden dump, or ""
  std::vector<std::string> flags;
  Expectation strict;
  Expectation reference;
};

// A writer vector (y_write_, n_write_).
struct WriterVector {
  struct Tensor {
    std::string name;
    std::string dtype;
    std::vector<uint64_t> shape;
    std::string data;  // the bytes, decoded from data_hex
  };
  std::string id;
  std::string description;
  std::vector<Tensor> tensors;
  std::optional<std::map<std::string, std::string>> metadata;
  uint64_t alignment = 8;
  bool expect_error = false;
  std::string kind;           // when expect_error
  std::string expected_file;  // relative path, when !expect_error
};

struct Manifest {
  std::vector<ReaderVector> vectors;
  std::vector<WriterVector> writes;
};

// Reads and interprets manifest.json's text. Errors: kInvalidArgument.
absl::StatusOr<Manifest> ParseManifest(absl::string_view text);

// The directory holding manifest.json in this test's runfiles.
std::string ConformanceDir();

// The whole content of `path`. Errors: kNotFound when it cannot be read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// The vector's bytes: read from its file, or generated.
absl::StatusOr<std::string> VectorBytes(const ReaderVector& vector);

// The manifest of this test's runfiles; aborts the test binary when it cannot
// be read (nothing can run without it). Loaded once.
const Manifest& LoadManifest();

}  // namespace conformance
}  // namespace safetensors

#endif  // CONFORMANCE_MANIFEST_H_
