// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `safetensors` command-line tool: a thin shell over the library. It only
// parses argv and prints; what it prints comes from the library (dump.h).
// For using the library itself, see the guide at the top of
// safetensors/safetensors.h.
//
//   safetensors dump [--profile=strict|reference] FILE
//   safetensors validate [--profile=strict|reference] FILE...
//   safetensors help [COMMAND]
//
// Exit status: 0 success; 1 a file was rejected; 2 a usage or I/O error.
// `dump` is an implementation adapter in the sense of SPEC.md §7: its stdout
// is the canonical dump, byte for byte, or `reject<TAB>Kind`.

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

#include "safetensors/dump.h"
#include "safetensors/file.h"
#include "safetensors/header.h"
#include "safetensors/status.h"

namespace safetensors {
namespace tool {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;  // also I/O errors

constexpr char kProgram[] = "safetensors";

// Options every command accepts, and its positional arguments.
struct Args {
  ReadOptions read;
  bool help = false;
  std::vector<std::string> files;
};

// Writes all of `text` to stdout. Returns false (and says so on stderr) when
// stdout fails, e.g. a full disk: a truncated dump must not exit 0.
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

// `bazel run` starts the tool in its runfiles tree; a relative path on the
// command line means the directory `bazel run` was called from, which Bazel
// passes in BUILD_WORKING_DIRECTORY.
std::string ResolvePath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (cwd == nullptr || *cwd == '\0' || path.empty() || path[0] == '/') {
    return path;
  }
  return absl::StrCat(cwd, "/", path);
}

// A message made safe for one TAB-separated line: bytes below 0x20 and DEL
// become \xNN. Non-ASCII bytes (names in UTF-8) are left alone.
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

bool IsIoError(const absl::Status& status) {
  return ErrorKindOf(status) == ErrorKind::kIoError;
}

// Parses `--profile=P` (or `--profile P`), `--help`/`-h` and positional
// arguments; `--` ends the options. Returns an error message, or "" on
// success.
std::string ParseArgs(const std::vector<std::string>& argv, Args* args) {
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      args->files.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
    } else if (arg == "--help" || arg == "-h") {
      args->help = true;
    } else if (arg == "--profile" || absl::StartsWith(arg, "--profile=")) {
      std::string value;
      if (arg == "--profile") {
        if (i + 1 == argv.size()) return "--profile needs a value";
        value = argv[++i];
      } else {
        value = arg.substr(std::string("--profile=").size());
      }
      if (value == "strict") {
        args->read.profile = Profile::kStrict;
      } else if (value == "reference") {
        args->read.profile = Profile::kReference;
      } else {
        return absl::StrCat("unknown profile '", value,
                            "' (use strict or reference)");
      }
    } else {
      return absl::StrCat("unknown option '", arg, "'");
    }
  }
  return "";
}

// --- Commands ---------------------------------------------------------------

int RunDump(const Args& args) {
  if (args.files.size() != 1) {
    return UsageError("dump", "expects exactly one FILE");
  }
  OpenOptions options;
  options.read = args.read;
  absl::StatusOr<MappedFile> file =
      MappedFile::Open(ResolvePath(args.files[0]), options);
  if (!file.ok()) {
    const std::string message =
        absl::StrCat(kProgram, " dump: ", file.status().message(), "\n");
    std::fwrite(message.data(), 1, message.size(), stderr);
    if (IsIoError(file.status())) return kExitUsage;
    if (!Print(DumpRejection(file.status())) || !FlushStdout()) {
      return kExitUsage;
    }
    return kExitRejected;
  }
  if (!Print(Dump(file->file())) || !FlushStdout()) return kExitUsage;
  return kExitOk;
}

int RunValidate(const Args& args) {
  if (args.files.empty()) {
    return UsageError("validate", "expects at least one FILE");
  }
  OpenOptions options;
  options.read = args.read;
  int exit_code = kExitOk;
  for (const std::string& path : args.files) {
    absl::StatusOr<MappedFile> file =
        MappedFile::Open(ResolvePath(path), options);
    std::string line;
    if (file.ok()) {
      line = absl::StrCat(path, "\tok\n");
    } else {
      const std::optional<ErrorKind> kind = ErrorKindOf(file.status());
      line = absl::StrCat(path, "\t", kind ? ErrorKindName(*kind) : "Unknown",
                          "\t", OneLine(file.status().message()), "\n");
      const int code = IsIoError(file.status()) || !kind.has_value()
                           ? kExitUsage
                           : kExitRejected;
      if (code > exit_code) exit_code = code;
    }
    if (!Print(line)) return kExitUsage;
  }
  if (!FlushStdout()) return kExitUsage;
  return exit_code;
}

struct Command {
  const char* name;
  const char* summary;  // one line, for the command list
  const char* usage;    // the whole --help text
  int (*run)(const Args& args);
};

constexpr char kProfileHelp[] =
    "  --profile=strict|reference\n"
    "      strict (the default): the format as its spec states it, hardened\n"
    "      against parser differentials. reference: the reference (Rust)\n"
    "      implementation's accept/reject decisions, quirks included.\n"
    "  -h, --help\n"
    "      Print this help and exit.\n";

const Command kCommands[] = {
    {"dump", "print a file's canonical dump (SPEC.md §7)",
     "Usage: safetensors dump [--profile=strict|reference] FILE\n"
     "\n"
     "Prints the canonical dump of FILE on standard output: one line per\n"
     "fact, TAB-separated (header_len, data_len, ntensors, metadata, meta\n"
     "lines, then one tensor line per tensor sorted by name, with its dtype,\n"
     "shape, data offsets and the FNV-1a 64 of its bytes). A file that is\n"
     "not valid prints 'reject<TAB>Kind' instead, Kind being the error kind\n"
     "(e.g. InvalidHeaderDeserialization), with the reason on standard error.\n"
     "\n"
     "Exit status: 0 dumped, 1 rejected, 2 usage or I/O error.\n"
     "\n"
     "Options:\n",
     RunDump},
    {"validate", "check files; one line per file",
     "Usage: safetensors validate [--profile=strict|reference] FILE...\n"
     "\n"
     "Validates each FILE and prints one line for it: 'FILE<TAB>ok', or\n"
     "'FILE<TAB>Kind<TAB>message' when it is rejected (Kind is the error\n"
     "kind, e.g. HeaderTooSmall) or cannot be read (Kind IoError).\n"
     "\n"
     "Exit status: 0 all valid, 1 some file invalid, 2 usage or I/O error.\n"
     "\n"
     "Options:\n",
     RunValidate},
};

const Command* FindCommand(absl::string_view name) {
  for (const Command& command : kCommands) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

std::string MainUsage() {
  std::string out =
      "Usage: safetensors COMMAND [OPTIONS] [ARGS]\n"
      "\n"
      "Reads safetensors files. Commands:\n";
  for (const Command& command : kCommands) {
    absl::StrAppendFormat(&out, "  %-10s %s\n", command.name, command.summary);
  }
  out +=
      "  help       print this help, or a command's: safetensors help COMMAND\n"
      "\n"
      "Exit status: 0 success, 1 a file was rejected, 2 usage or I/O error.\n";
  return out;
}

int PrintCommandHelp(const Command& command) {
  if (!Print(absl::StrCat(command.usage, kProfileHelp)) || !FlushStdout()) {
    return kExitUsage;
  }
  return kExitOk;
}

int Main(int argc, char** argv) {
  std::vector<std::string> rest(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (rest.empty()) {
    std::fputs(MainUsage().c_str(), stderr);
    return kExitUsage;
  }
  const std::string name = rest[0];
  rest.erase(rest.begin());
  if (name == "help" || name == "--help" || name == "-h") {
    if (rest.empty()) {
      return Print(MainUsage()) && FlushStdout() ? kExitOk : kExitUsage;
    }
    const Command* command = rest.size() == 1 ? FindCommand(rest[0]) : nullptr;
    if (command == nullptr) {
      return UsageError("help", absl::StrCat("unknown command '",
                                             absl::StrJoin(rest, " "), "'"));
    }
    return PrintCommandHelp(*command);
  }
  const Command* command = FindCommand(name);
  if (command == nullptr) {
    return UsageError("", absl::StrCat("unknown command '", name, "'"));
  }
  Args args;
  const std::string error = ParseArgs(rest, &args);
  if (!error.empty()) return UsageError(command->name, error);
  if (args.help) return PrintCommandHelp(*command);
  return command->run(args);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors

int main(int argc, char** argv) { return safetensors::tool::Main(argc, argv); }
