// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Byte counts for people ("71 B", "1.5 KiB", "13.5 GiB"), as the tool's
// inspect summary and its progress bar show them. Its own tiny library so
// that the progress bar needs nothing of the checkpoint reader. Pure;
// thread-safe.

#ifndef SAFETENSORS_TOOLS_HUMAN_BYTES_H_
#define SAFETENSORS_TOOLS_HUMAN_BYTES_H_

#include <cstdint>
#include <string>

namespace safetensors {
namespace tool {

// `bytes` below 1024 exactly ("1023 B"); otherwise in the largest binary
// unit (KiB .. EiB) that keeps the value at least 1, with at most three
// significant digits and no trailing zeros ("1.5 KiB", "256 MiB").
std::string HumanBytes(uint64_t bytes);

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_HUMAN_BYTES_H_
