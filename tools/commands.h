// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The tool's commands: the table of them (name, help, options, and the
// function that runs one), and those functions. Each takes the parsed
// arguments, does its work through the library, prints, and returns the
// exit code (output.h). One command per process, on one thread.

#ifndef SAFETENSORS_TOOLS_COMMANDS_H_
#define SAFETENSORS_TOOLS_COMMANDS_H_

#include <vector>

#include "absl/strings/string_view.h"

#include "tools/args.h"

namespace safetensors {
namespace tool {

struct Command {
  const char* name;
  const char* summary;  // one line, for the command list
  const char* usage;    // the --help text before its options
  std::vector<OptionSpec> options;
  int (*run)(const Args& args);
};

// Every command but `help`, in the order the help lists them.
const std::vector<Command>& Commands();

// The command named `name`, or null.
const Command* FindCommand(absl::string_view name);

// Reading commands (read_commands.cc).
int RunInspect(const Args& args);
int RunHeader(const Args& args);
int RunDump(const Args& args);
int RunValidate(const Args& args);
int RunDiff(const Args& args);

// Writing commands (write_commands.cc).
int RunExtract(const Args& args);
int RunShard(const Args& args);
int RunMerge(const Args& args);
int RunConvert(const Args& args);
int RunCreate(const Args& args);

// `version` (commands.cc): "safetensors VERSION".
int RunVersion(const Args& args);

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_COMMANDS_H_
