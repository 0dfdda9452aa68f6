// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The header parser in both profiles, over a whole file (8-byte length,
// header, data) as bytes: every error has a kind; strict accepts implies
// reference accepts with an identical dump; Header::Parse and
// ParseHeaderPrefix decide as SafeTensors::Parse does (fuzz/checks.h).

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

#include "fuzz/checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  safetensors::fuzz::CheckHeaderProfiles(
      absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
