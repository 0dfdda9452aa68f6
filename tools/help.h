// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The help the tool prints: the general help (the command list) and one
// command's (its usage, then its options with their help, wrapped).
// Pure functions of the command table.

#ifndef SAFETENSORS_TOOLS_HELP_H_
#define SAFETENSORS_TOOLS_HELP_H_

#include <string>

#include "tools/commands.h"

namespace safetensors {
namespace tool {

// `safetensors help`: what the tool does, every command with its summary,
// and the exit codes.
std::string MainHelp();

// `safetensors help COMMAND` (and `COMMAND --help`).
std::string CommandHelp(const Command& command);

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_HELP_H_
