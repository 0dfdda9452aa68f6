// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The tool's progress bar: one line on standard error, redrawn in place
// ('\r', then the line, then "erase to the end of the line"), for commands
// that move more than kProgressThreshold bytes, and only when standard error
// is a terminal (so logs and pipes never see it). It fits the terminal's
// width (a narrow one loses the rate and time left, then the sizes, then the
// bar, never wrapping), shows the rate and the time left, and redraws at most
// ten times a second. Not thread-safe; one bar at a time.

#ifndef SAFETENSORS_TOOLS_PROGRESS_H_
#define SAFETENSORS_TOOLS_PROGRESS_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "absl/strings/string_view.h"

namespace safetensors {
namespace tool {

// 256 MiB: below this a command is quick enough to need no bar.
inline constexpr uint64_t kProgressThreshold = uint64_t{256} << 20;

// The bar's text for `done` of `total` bytes after `seconds`, at most
// `width` - 1 columns (the last column of a terminal line wraps on some
// terminals), e.g.
// "shard [#########........]  45%  1.2 GiB / 2.7 GiB  850 MiB/s  0:02 left".
// The rate and the time left appear once half a second has passed.
std::string RenderProgress(absl::string_view label, uint64_t done,
                           uint64_t total, double seconds, int width);

class ProgressBar {
 public:
  // Seconds since some fixed point, increasing.
  using Clock = std::function<double()>;

  // Draws on `out` when `enabled`, `width` columns wide, timed by `clock`
  // (a monotonic clock when null); otherwise every call does nothing.
  ProgressBar(absl::string_view label, uint64_t total, FILE* out, bool enabled,
              int width = 80, Clock clock = nullptr);
  // A bar on stderr, enabled when stderr is a terminal and `total` is at
  // least kProgressThreshold, as wide as the terminal (COLUMNS, or 80, when
  // it does not say).
  static ProgressBar ForStderr(absl::string_view label, uint64_t total);

  // Redraws, unless the last draw was less than 0.1 s ago (the first and
  // the last, `done` == total, are always drawn).
  void Update(uint64_t done);
  // Clears the line (after success or failure alike).
  void Finish();

 private:
  std::string label_;
  uint64_t total_;
  FILE* out_;
  bool enabled_;
  int width_;
  Clock clock_;
  double start_;
  double last_draw_ = -1;
  bool drawn_ = false;
  bool drawn_complete_ = false;
};

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_PROGRESS_H_
