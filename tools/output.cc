// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/output.h"

#include <cstdio>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "safetensors/status.h"

namespace safetensors {
namespace tool {

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  const std::optional<ErrorKind> kind = ErrorKindOf(status);
  if (!kind.has_value() || *kind == ErrorKind::kIoError) return kExitUsage;
  return kExitInvalid;
}

bool Print(absl::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    std::fprintf(stderr, "%s: error writing to standard output\n", kProgram);
    return false;
  }
  return true;
}

bool FlushStdout() {
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "%s: error writing to standard output\n", kProgram);
    return false;
  }
  return true;
}

int PrintAll(absl::string_view text, int exit_code) {
  return Print(text) && FlushStdout() ? exit_code : kExitUsage;
}

void Error(absl::string_view command, absl::string_view message) {
  std::fputs(absl::StrCat(kProgram, " ", command, ": ", message, "\n").c_str(),
             stderr);
}

int UsageError(absl::string_view command, absl::string_view message) {
  const std::string prefix = command.empty()
                                 ? std::string(kProgram)
                                 : absl::StrCat(kProgram, " ", command);
  std::fputs(absl::StrCat(prefix, ": ", message, "\nRun '", kProgram, " help",
                          command.empty() ? "" : " ", command, "' for usage.\n")
                 .c_str(),
             stderr);
  return kExitUsage;
}

int Failed(absl::string_view command, const absl::Status& status) {
  Error(command, status.message());
  return ExitCodeFor(status);
}

std::string OneLine(absl::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02x", u);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace tool
}  // namespace safetensors
