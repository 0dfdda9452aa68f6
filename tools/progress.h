// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The tool's progress bar: one line on standard error, redrawn in place with
// '\r', for commands that move more than kProgressThreshold bytes, and only
// when standard error is a terminal (so logs and pipes never see it). Not
// thread-safe; one bar at a time.

#ifndef SAFETENSORS_TOOLS_PROGRESS_H_
#define SAFETENSORS_TOOLS_PROGRESS_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace tool {

// 256 MiB: below this a command is quick enough to need no bar.
inline constexpr uint64_t kProgressThreshold = uint64_t{256} << 20;

// The bar's text for `done` of `total` bytes, e.g.
// "shard [#########...........]  45%  1.2 GiB / 2.7 GiB" (no '\r').
std::string RenderProgress(absl::string_view label, uint64_t done,
                           uint64_t total);

class ProgressBar {
 public:
  // Draws on `out` when `enabled`; otherwise every call does nothing.
  ProgressBar(absl::string_view label, uint64_t total, FILE* out, bool enabled);
  // A bar on stderr, enabled when stderr is a terminal and `total` is at
  // least kProgressThreshold.
  static ProgressBar ForStderr(absl::string_view label, uint64_t total);

  // Redraws when the whole percentage changed.
  void Update(uint64_t done);
  // Clears the line (after success or failure alike).
  void Finish();

 private:
  std::string label_;
  uint64_t total_;
  FILE* out_;
  bool enabled_;
  int last_percent_ = -1;
  bool drawn_ = false;
};

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_PROGRESS_H_
