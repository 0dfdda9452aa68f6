// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>  // NOLINT(build/c++11)
#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "tools/human_bytes.h"

namespace safetensors {
namespace tool {

namespace {

constexpr int kMinBar = 10;         // narrower than this: no bar
constexpr double kRedraw = 0.1;     // seconds between draws
constexpr double kRateAfter = 0.5;  // seconds before a rate means anything
constexpr char kEraseToEnd[] = "\x1b[K";

int Percent(uint64_t done, uint64_t total) {
  if (total == 0 || done >= total) return 100;
  return static_cast<int>(static_cast<double>(done) * 100 /
                          static_cast<double>(total));
}

// "0:07", "12:34", "1:02:03".
std::string Duration(double seconds) {
  const uint64_t s = static_cast<uint64_t>(seconds + 0.5);
  if (s >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

double MonotonicSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int TerminalWidth(int fd) {
  winsize size;
  if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  int columns = 0;
  const char* env = std::getenv("COLUMNS");
  if (env != nullptr && absl::SimpleAtoi(env, &columns) && columns > 0) {
    return columns;
  }
  return 80;
}

}  // namespace

std::string RenderProgress(absl::string_view label, uint64_t done,
                           uint64_t total, double seconds, int width) {
  const int percent = Percent(done, total);
  const uint64_t shown = done < total ? done : total;
  const std::string pct = absl::StrFormat(" %3d%%", percent);
  const std::string sizes =
      absl::StrCat("  ", HumanBytes(shown), " / ", HumanBytes(total));
  std::string speed;
  if (seconds >= kRateAfter && shown > 0) {
    const double rate = static_cast<double>(shown) / seconds;
    absl::StrAppend(&speed, "  ", HumanBytes(static_cast<uint64_t>(rate)),
                    "/s");
    if (shown < total) {
      absl::StrAppend(&speed, "  ",
                      Duration(static_cast<double>(total - shown) / rate),
                      " left");
    }
  }
  // What fits in width - 1 columns: the label and percentage always; then
  // the sizes, the rate and time left, and the bar, dropped in the reverse
  // of that order.
  const int room = width - 1;
  const auto length = [](const std::string& s) {
    return static_cast<int>(s.size());
  };
  const std::string head(label);
  int fixed = length(head) + length(pct);
  std::string tail;
  if (fixed + length(sizes) + length(speed) + kMinBar + 3 <= room) {
    tail = sizes + speed;
  } else if (fixed + length(sizes) + kMinBar + 3 <= room) {
    tail = sizes;
  }
  fixed += length(tail);
  const int bar = room - fixed - 3;  // " [" and "]"
  std::string line = head;
  if (bar >= kMinBar) {
    const int filled = percent * bar / 100;
    absl::StrAppend(&line, " [", std::string(filled, '#'),
                    std::string(bar - filled, '.'), "]");
  }
  absl::StrAppend(&line, pct, tail);
  if (room <= 0) return "";
  if (length(line) > room) line.resize(room);
  return line;
}

ProgressBar::ProgressBar(absl::string_view label, uint64_t total, FILE* out,
                         bool enabled, int width, Clock clock)
    : label_(label),
      total_(total),
      out_(out),
      enabled_(enabled),
      width_(width),
      clock_(clock ? std::move(clock) : Clock(MonotonicSeconds)),
      start_(enabled ? clock_() : 0) {}

ProgressBar ProgressBar::ForStderr(absl::string_view label, uint64_t total) {
  const bool enabled = total >= kProgressThreshold && isatty(fileno(stderr));
  return ProgressBar(label, total, stderr, enabled,
                     enabled ? TerminalWidth(fileno(stderr)) : 80);
}

void ProgressBar::Update(uint64_t done) {
  if (!enabled_ || drawn_complete_) return;
  const double now = clock_();
  const bool complete = done >= total_;
  if (!complete && last_draw_ >= 0 && now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  const std::string line =
      RenderProgress(label_, done, total_, now - start_, width_);
  std::fprintf(out_, "\r%s%s", line.c_str(), kEraseToEnd);
  std::fflush(out_);
  drawn_ = true;
  drawn_complete_ = complete;
}

void ProgressBar::Finish() {
  if (!enabled_ || !drawn_) return;
  // Erase the line and return to its start, so later messages start clean.
  std::fprintf(out_, "\r%s", kEraseToEnd);
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace tool
}  // namespace safetensors
