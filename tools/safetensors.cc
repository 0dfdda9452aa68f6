// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `safetensors` command-line tool: a thin shell over the library. It only
// parses argv and prints; what it prints comes from the library (dump.h).
// For using the library itself, see the guide at the top of
// safetensors/safetensors.h.
//
//   safetensors dump [--profile=strict|reference] FILE
//   safetensors validate [--profile=strict|reference] FILE...
//   safetensors extract [--select=REGEX] [--metadata=KEY=VALUE]...
//                       [--drop-metadata] IN OUT
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
#include "re2/re2.h"

#include "safetensors/dump.h"
#include "safetensors/file.h"
#include "safetensors/header.h"
#include "safetensors/status.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace tool {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;  // also I/O errors

constexpr char kProgram[] = "safetensors";

// The options, and the positional arguments. Which options a command takes
// is in its Command entry.
struct Args {
  ReadOptions read;
  bool help = false;
  std::optional<std::string> select;                          // extract
  std::vector<std::pair<std::string, std::string>> metadata;  // extract
  bool drop_metadata = false;                                 // extract
  std::vector<std::string> files;
};

// Bits of Command::options.
enum Option : unsigned { kProfileOption = 1, kExtractOptions = 2 };

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

// Parses the options a command takes (`--name=value` or `--name value`),
// `--help`/`-h` and positional arguments; `--` ends the options. Returns an
// error message, or "" on success.
std::string ParseArgs(const std::vector<std::string>& argv, unsigned options,
                      Args* args) {
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      args->files.push_back(arg);
      continue;
    }
    // Splits --name=value; takes the next argument for --name value.
    std::string value;
    auto takes_value = [&](absl::string_view name, std::string* error) {
      const std::string flag = absl::StrCat("--", name);
      if (arg == flag) {
        if (i + 1 == argv.size()) {
          *error = absl::StrCat(flag, " needs a value");
          return true;
        }
        value = argv[++i];
        return true;
      }
      if (absl::StartsWith(arg, flag + "=")) {
        value = arg.substr(flag.size() + 1);
        return true;
      }
      return false;
    };
    std::string error;
    if (arg == "--") {
      options_done = true;
    } else if (arg == "--help" || arg == "-h") {
      args->help = true;
    } else if ((options & kExtractOptions) && takes_value("select", &error)) {
      if (!error.empty()) return error;
      args->select = value;
    } else if ((options & kExtractOptions) && takes_value("metadata", &error)) {
      if (!error.empty()) return error;
      const size_t eq = value.find('=');
      if (eq == std::string::npos) {
        return absl::StrCat("--metadata takes KEY=VALUE, not '", value, "'");
      }
      args->metadata.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if ((options & kExtractOptions) && arg == "--drop-metadata") {
      args->drop_metadata = true;
    } else if ((options & kProfileOption) && takes_value("profile", &error)) {
      if (!error.empty()) return error;
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

// Reports a file that could not be opened: the reason on stderr; returns
// the exit code (1 invalid, 2 I/O).
int OpenFailed(absl::string_view command, const absl::Status& status) {
  std::fputs(absl::StrCat(kProgram, " ", command, ": ", status.message(), "\n")
                 .c_str(),
             stderr);
  return IsIoError(status) ? kExitUsage : kExitRejected;
}

int RunExtract(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("extract", "expects IN and OUT");
  }
  std::optional<RE2> pattern;
  if (args.select.has_value()) {
    RE2::Options re_options;
    re_options.set_log_errors(false);
    pattern.emplace(*args.select, re_options);
    if (!pattern->ok()) {
      return UsageError("extract",
                        absl::StrCat("bad --select pattern '", *args.select,
                                     "': ", pattern->error()));
    }
  }
  OpenOptions open_options;
  open_options.read = args.read;
  absl::StatusOr<MappedFile> in =
      MappedFile::Open(ResolvePath(args.files[0]), open_options);
  if (!in.ok()) return OpenFailed("extract", in.status());
  const SafeTensors& file = in->file();

  std::vector<TensorDesc> descs;
  std::vector<TensorView> views;
  for (const TensorView& t : file.Tensors()) {
    if (pattern.has_value() &&
        !RE2::FullMatch(re2::StringPiece(t.name().data(), t.name().size()),
                        *pattern)) {
      continue;
    }
    descs.push_back({t.name(), t.dtype(), t.shape()});
    views.push_back(t);
  }
  std::optional<MetadataMap> metadata;
  if (!args.drop_metadata) metadata = file.metadata();
  if (!args.metadata.empty()) {
    if (!metadata.has_value()) metadata.emplace();
    for (const auto& [key, value] : args.metadata) (*metadata)[key] = value;
  }
  const std::string out_path = ResolvePath(args.files[1]);
  absl::StatusOr<std::unique_ptr<StreamWriter>> writer =
      StreamWriter::Open(out_path, descs, metadata, [] {
        WriteOptions o;
        o.data_order = ByteOrder::kLittleEndian;  // bytes straight from IN
        return o;
      }());
  absl::Status status = writer.status();
  if (status.ok()) {
    // Plan order; each tensor's bytes stream from the mapping in 64 MiB
    // chunks, so nothing but the mapping's pages is held.
    constexpr size_t kChunk = size_t{64} << 20;
    for (const WritePlan::Entry& e : (*writer)->plan().entries()) {
      const absl::Span<const uint8_t> data = views[e.input_index].data();
      for (size_t at = 0; at < data.size() && status.ok(); at += kChunk) {
        status = (*writer)->Append(data.subspan(at, kChunk));
      }
      if (!status.ok()) break;
    }
    if (status.ok()) status = (*writer)->Finish();
  }
  if (!status.ok()) {
    std::fputs(absl::StrCat(kProgram, " extract: cannot write \"",
                            args.files[1], "\": ", status.message(), "\n")
                   .c_str(),
               stderr);
    return kExitUsage;
  }
  return Print(absl::StrCat("wrote ", args.files[1], ": ", descs.size(), " of ",
                            file.size(), " tensors, ",
                            (*writer)->plan().file_size(), " bytes\n")) &&
                 FlushStdout()
             ? kExitOk
             : kExitUsage;
}

struct Command {
  const char* name;
  const char* summary;  // one line, for the command list
  const char* usage;    // the whole --help text, up to its options
  unsigned options;     // Option bits
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
     kProfileOption, RunDump},
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
     kProfileOption, RunValidate},
    {"extract", "write some tensors of a file to a new file",
     "Usage: safetensors extract [--select=REGEX] [--metadata=KEY=VALUE]...\n"
     "                           [--drop-metadata] IN OUT\n"
     "\n"
     "Writes the tensors of IN whose names fully match REGEX (RE2 syntax;\n"
     "all tensors by default) to OUT, byte for byte as the reference writer\n"
     "lays them out, streaming from IN. OUT is replaced atomically; IN and\n"
     "OUT may be the same file. IN's metadata is kept; --metadata sets one\n"
     "key (repeatable), --drop-metadata starts from none.\n"
     "\n"
     "Exit status: 0 written, 1 IN is invalid, 2 usage error (a bad REGEX)\n"
     "or I/O error.\n"
     "\n"
     "Options:\n"
     "  --select=REGEX\n"
     "      Keep the tensors whose whole name matches REGEX.\n"
     "  --metadata=KEY=VALUE\n"
     "      Set the metadata KEY to VALUE in OUT.\n"
     "  --drop-metadata\n"
     "      Do not copy IN's metadata.\n",
     kProfileOption | kExtractOptions, RunExtract},
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
  const std::string error = ParseArgs(rest, command->options, &args);
  if (!error.empty()) return UsageError(command->name, error);
  if (args.help) return PrintCommandHelp(*command);
  return command->run(args);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors

int main(int argc, char** argv) { return safetensors::tool::Main(argc, argv); }
