// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Test-only: Header::Parse with the compact-entry fast path allowed or not,
// so that tests can hold the fast path to the general path's results. Not a
// reader option: the switch is per thread and exists only for tests.

#ifndef SAFETENSORS_INTERNAL_HEADER_FOR_TESTING_H_
#define SAFETENSORS_INTERNAL_HEADER_FOR_TESTING_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "safetensors/header.h"
#include "safetensors/internal/compact_entry.h"

namespace safetensors {
namespace internal {

// Header::Parse(text, file_size, options), on the general path for every
// entry when !allow_fast_path.
inline absl::StatusOr<Header> ParseHeaderForTesting(absl::string_view text,
                                                    uint64_t file_size,
                                                    const ReadOptions& options,
                                                    bool allow_fast_path) {
  ScopedCompactEntryFastPath scope(allow_fast_path);
  return Header::Parse(text, file_size, options);
}

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_HEADER_FOR_TESTING_H_
