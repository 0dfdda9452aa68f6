// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `safetensors` command-line tool: a thin shell over the library. It
// parses argv (args.h), runs one command (commands.h) and prints; what it
// prints comes from the library (dump.h, inspect.h, diff.h, index.h), put
// into words by format.h. For using the library itself, see the guide at
// the top of safetensors/safetensors.h.
//
//   safetensors inspect  [--json] [--select=REGEX] FILE|INDEX
//   safetensors header   FILE
//   safetensors dump     FILE
//   safetensors validate FILE|INDEX...
//   safetensors diff     A B
//   safetensors extract  [--select=REGEX] [--metadata=KEY=VALUE]...
//                        [--drop-metadata] IN OUT
//   safetensors shard    --max-size=SIZE IN OUTDIR
//   safetensors merge    INDEX OUT
//   safetensors convert  --to=DTYPE IN OUT
//   safetensors create   SPEC OUT
//   safetensors version  (or --version)
//   safetensors help     [COMMAND]
//
// Every reading command takes --profile=strict|reference. Exit status
// (output.h): 0 success; 1 the input is invalid, or (diff) the inputs
// differ; 2 a usage or I/O error. `dump` is the implementation adapter of
// the conformance suite: its stdout is the canonical dump, byte for byte,
// or `reject<TAB>Kind`; `create` is its writer adapter, writing the file a
// JSON spec (a writer case of the manifest) describes, or printing
// `reject<TAB>Kind`.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "safetensors/internal/fault_guard.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/help.h"
#include "tools/help_text.h"
#include "tools/output.h"

namespace safetensors {
namespace tool {
namespace {

int Main(int argc, char** argv) {
  // An input that another process truncates while a command copies or
  // hashes it from its mapping is then an I/O error (exit 2), not SIGBUS.
  internal::InstallFaultGuard();
  std::vector<std::string> rest(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (rest.empty()) {
    std::fputs(MainHelp().c_str(), stderr);
    return kExitUsage;
  }
  std::string name = rest[0];
  rest.erase(rest.begin());
  if (name == "help" || name == "--help" || name == "-h") {
    if (rest.empty()) return PrintAll(MainHelp());
    if (rest.size() == 1 &&
        (rest[0] == "help" || rest[0] == "--help" || rest[0] == "-h")) {
      return PrintAll(kHelpUsage);
    }
    const Command* command = rest.size() == 1 ? FindCommand(rest[0]) : nullptr;
    if (command == nullptr) {
      return UsageError("help", absl::StrCat("unknown command '",
                                             absl::StrJoin(rest, " "), "'"));
    }
    return PrintAll(CommandHelp(*command));
  }
  if (name == "--version") name = "version";
  const Command* command = FindCommand(name);
  if (command == nullptr) {
    return UsageError("", absl::StrCat("unknown command '", name, "'"));
  }
  Args args;
  const std::string error = ParseArgs(rest, command->options, &args);
  if (!error.empty()) return UsageError(command->name, error);
  if (args.help) return PrintAll(CommandHelp(*command));
  return command->run(args);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors

int main(int argc, char** argv) { return safetensors::tool::Main(argc, argv); }
