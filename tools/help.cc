// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/help.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

#include "tools/args.h"
#include "tools/help_text.h"

namespace safetensors {
namespace tool {

namespace {

// `text`'s words wrapped so that no line passes 76 columns (unless one word
// does), `indent` spaces before every line, each line ending in '\n'.
std::string Wrap(absl::string_view text, int indent) {
  std::string out, line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && line.size() + 1 + word.size() + indent > 76) {
      absl::StrAppend(&out, std::string(indent, ' '), line, "\n");
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  if (!line.empty())
    absl::StrAppend(&out, std::string(indent, ' '), line, "\n");
  return out;
}

}  // namespace

std::string MainHelp() {
  std::string out = kMainHelpHead;
  for (const Command& command : Commands()) {
    absl::StrAppendFormat(&out, "  %-10s %s\n", command.name, command.summary);
  }
  absl::StrAppendFormat(&out, "  %-10s %s\n", "help", kHelpSummary);
  out += kMainHelpTail;
  return out;
}

std::string CommandHelp(const Command& command) {
  std::string out = absl::StrCat(command.usage, "\nOptions:\n");
  for (const OptionSpec& o : command.options) {
    absl::StrAppend(&out, "  ", o.display, "\n", Wrap(o.help, 6));
  }
  out += "  -h, --help\n      Print this help and exit.\n";
  return out;
}

}  // namespace tool
}  // namespace safetensors
