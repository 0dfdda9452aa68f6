// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The canonical dump of docs/specification.md §15: the conformance contract
// between this project's vectors and any implementation. One line per fact,
// TAB-separated,
// '\n' line ends; names, keys and values written as JSON strings the way the
// reference writer escapes them; each tensor's bytes as FNV-1a 64. Pure
// functions; thread-safe.

#ifndef SAFETENSORS_DUMP_H_
#define SAFETENSORS_DUMP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/reader.h"

namespace safetensors {

// The canonical dump of a parsed file:
//   header_len N / data_len M / ntensors K / metadata none|COUNT /
//   meta "k" "v" (sorted by key bytes) / tensor "name" DTYPE [d0,d1] START END
//   FNV (sorted by name bytes).
std::string Dump(const SafeTensors& file);

// Dump, for bytes that are a mapping of a file another process may truncate
// (a File with Backend::kMmap): where the command-line tool has installed
// its SIGBUS guard, hashing a page that has vanished returns IoError (code
// kAborted, "the file shrank while being read") instead of killing the
// process. Elsewhere the same as Dump.
absl::StatusOr<std::string> DumpChecked(const SafeTensors& file);

// The dump of a rejected file: "reject\t<Kind>\n", or "reject\n" when the
// status carries no kind.
std::string DumpRejection(const absl::Status& status);

// Appends `s` as a JSON string (with quotes), escaped as the reference writer
// escapes: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx (lowercase
// hex), everything else raw. The same as internal::json::AppendQuoted.
void AppendJsonString(absl::string_view s, std::string* out);

// FNV-1a 64 over `bytes` (offset basis 0xcbf29ce484222325, prime
// 0x100000001b3).
uint64_t Fnv1a64(absl::Span<const uint8_t> bytes);

// FNV-1a 64 continued over `bytes` from the hash of what came before them:
// Fnv1a64(x + y) == Fnv1a64(y, Fnv1a64(x)). For data hashed in pieces.
uint64_t Fnv1a64(absl::Span<const uint8_t> bytes, uint64_t previous);

}  // namespace safetensors

#endif  // SAFETENSORS_DUMP_H_
