// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// JSON string escaping and unescaping, shared by the tokenizer's callers (the
// header parser), the writer, the canonical dump, the index reader and the
// tool. Escaping follows the reference writer byte for byte; unescaping takes
// a string token that the Tokenizer already accepted. Stateless; safe to call
// from any thread.

#ifndef SAFETENSORS_INTERNAL_JSON_ESCAPE_H_
#define SAFETENSORS_INTERNAL_JSON_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {
namespace json {

// Appends `s` as a JSON string with its quotes, escaped as the reference
// writer (serde_json) escapes: \" \\ \b \f \n \r \t, every other byte below
// 0x20 as \u00xx with lowercase hex, everything else (DEL, non-ASCII) raw.
void AppendQuoted(absl::string_view s, std::string* out);

// AppendQuoted into a new string. This is also the one way a tensor name,
// key or path is quoted into an error message: a name holding a newline or a
// quote stays on one line and reads unambiguously.
inline std::string Quoted(absl::string_view s) {
  std::string out;
  AppendQuoted(s, &out);
  return out;
}

// Decodes the text of a kKey or kString token that the Tokenizer accepted
// (so its escapes are valid) and appends the UTF-8 result to *out.
void UnescapeString(absl::string_view raw, std::string* out);

// The value of hex digit `c` (0-9, a-f, A-F), or -1.
int HexValue(char c);

// The value of the four hex digits at p (all four present), or -1 when one
// is not a hex digit.
int Hex4(const char* p);

}  // namespace json
}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_JSON_ESCAPE_H_
