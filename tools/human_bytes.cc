// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/human_bytes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace safetensors {
namespace tool {

std::string HumanBytes(uint64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024;
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  // Three significant digits at most, without trailing zeros.
  // (Three literal formats: StrFormat checks its format at compile time.)
  std::string text = value >= 100  ? absl::StrFormat("%.0f", value)
                     : value >= 10 ? absl::StrFormat("%.1f", value)
                                   : absl::StrFormat("%.2f", value);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return absl::StrCat(text, " ", units[unit]);
}

}  // namespace tool
}  // namespace safetensors
