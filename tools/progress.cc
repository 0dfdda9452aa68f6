// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/progress.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "tools/human_bytes.h"

namespace safetensors {
namespace tool {

namespace {
constexpr int kBarWidth = 30;

int Percent(uint64_t done, uint64_t total) {
  if (total == 0 || done >= total) return 100;
  return static_cast<int>(static_cast<double>(done) * 100 /
                          static_cast<double>(total));
}
}  // namespace

std::string RenderProgress(absl::string_view label, uint64_t done,
                           uint64_t total) {
  const int percent = Percent(done, total);
  const int filled = percent * kBarWidth / 100;
  return absl::StrFormat(
      "%s [%s%s] %3d%%  %s / %s", label, std::string(filled, '#'),
      std::string(kBarWidth - filled, '.'), percent,
      HumanBytes(done < total ? done : total), HumanBytes(total));
}

ProgressBar::ProgressBar(absl::string_view label, uint64_t total, FILE* out,
                         bool enabled)
    : label_(label), total_(total), out_(out), enabled_(enabled) {}

ProgressBar ProgressBar::ForStderr(absl::string_view label, uint64_t total) {
  return ProgressBar(label, total, stderr,
                     total >= kProgressThreshold && isatty(fileno(stderr)));
}

void ProgressBar::Update(uint64_t done) {
  if (!enabled_) return;
  const int percent = Percent(done, total_);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  const std::string line = RenderProgress(label_, done, total_);
  std::fprintf(out_, "\r%s", line.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!enabled_ || !drawn_) return;
  // Blank the line and return to its start, so later messages start clean.
  std::fprintf(out_, "\r%*s\r", 80, "");
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace tool
}  // namespace safetensors
