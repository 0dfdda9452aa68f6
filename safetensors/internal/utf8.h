// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Strict UTF-8 validation, run over a header before it is tokenized (a header
// that is not UTF-8 is InvalidHeader, before any JSON error). Stateless; safe
// to call from any thread.

#ifndef SAFETENSORS_INTERNAL_UTF8_H_
#define SAFETENSORS_INTERNAL_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace internal {

// Checks that `text` is strict UTF-8: no overlong forms, no encoded
// surrogates (ED A0..BF xx), nothing above U+10FFFF, no truncated sequence.
// Returns text.size() when valid, otherwise the offset of the first byte of
// the first invalid sequence. Cost: O(n), ASCII runs 8 bytes at a time.
size_t ValidateUtf8(absl::string_view text);

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_UTF8_H_
