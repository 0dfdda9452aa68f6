// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Invariants over whole files, shared by header_fuzzer, file_fuzzer and
// structured_fuzzer. Each aborts (FUZZ_CHECK) when one breaks.

#ifndef SAFETENSORS_FUZZ_CHECKS_H_
#define SAFETENSORS_FUZZ_CHECKS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/header.h"
#include "safetensors/reader.h"

namespace safetensors {
namespace fuzz {

// The canonical dump of a parse result; an error must carry a kind.
std::string DumpOf(const absl::StatusOr<SafeTensors>& parsed);

// The header parser in both profiles over the file `bytes`: every error has
// a kind; strict accepts implies reference accepts with an identical dump;
// Header::Parse over the header text and ParseHeaderPrefix over the file (and
// over a prefix without the data) decide as SafeTensors::Parse does; a prefix
// one byte short of the header is kOutOfRange without a kind.
void CheckHeaderProfiles(absl::string_view bytes);

// For each profile that accepts `bytes`: every view lies inside `bytes`, the
// views tile the data section exactly in offset order, lookups by name find
// the same bytes, and every slice of a few specs derived from each shape
// stays inside its tensor and copies exactly its runs.
void CheckFileViews(absl::string_view bytes);

}  // namespace fuzz
}  // namespace safetensors

#endif  // SAFETENSORS_FUZZ_CHECKS_H_
