// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// A whole file from memory, in both profiles: every tensor's view lies inside
// the buffer, the views tile the data section exactly, lookups agree, and
// every slice of a few specs generated from each shape stays inside its
// tensor and copies exactly its runs (fuzz/checks.h).

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

#include "fuzz/checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  safetensors::fuzz::CheckFileViews(
      absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
