// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The library's version: the one place it is written. The build files, the
// tool's `--version` and CHANGELOG.md follow it. Constants only; safe to use
// from any thread.

#ifndef SAFETENSORS_VERSION_H_
#define SAFETENSORS_VERSION_H_

#define SAFETENSORS_VERSION_MAJOR 0
#define SAFETENSORS_VERSION_MINOR 1
#define SAFETENSORS_VERSION_PATCH 0

#define SAFETENSORS_VERSION_STRINGIFY_(x) #x
#define SAFETENSORS_VERSION_STRINGIFY(x) SAFETENSORS_VERSION_STRINGIFY_(x)

// "MAJOR.MINOR.PATCH", e.g. "0.1.0".
#define SAFETENSORS_VERSION_STRING                         \
  SAFETENSORS_VERSION_STRINGIFY(SAFETENSORS_VERSION_MAJOR) \
  "." SAFETENSORS_VERSION_STRINGIFY(                       \
      SAFETENSORS_VERSION_MINOR) "." SAFETENSORS_VERSION_STRINGIFY(SAFETENSORS_VERSION_PATCH)

namespace safetensors {

// The version of the library that the program was compiled against, as
// major * 10000 + minor * 100 + patch (0.1.0 is 100).
inline constexpr int kVersionNumber = SAFETENSORS_VERSION_MAJOR * 10000 +
                                      SAFETENSORS_VERSION_MINOR * 100 +
                                      SAFETENSORS_VERSION_PATCH;

// "MAJOR.MINOR.PATCH".
inline constexpr char kVersionString[] = SAFETENSORS_VERSION_STRING;

}  // namespace safetensors

#endif  // SAFETENSORS_VERSION_H_
