// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `safetensors` command-line tool: a thin shell over the library. It only
// parses argv and prints; what it prints comes from the library (dump.h,
// inspect.h, diff.h, index.h). For using the library itself, see the guide
// at the top of safetensors/safetensors.h.
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
//   safetensors help     [COMMAND]
//
// Every reading command takes --profile=strict|reference. Exit status: 0
// success; 1 the input is invalid, or (diff) the inputs differ; 2 a usage or
// I/O error. `dump` is an implementation adapter in the sense of SPEC.md §7:
// its stdout is the canonical dump, byte for byte, or `reject<TAB>Kind`.
//
// Options are Abseil flags (ABSL_FLAG below: their types, defaults, value
// parsing and help text), but argv is walked here rather than by
// absl::ParseCommandLine, because each command accepts only its own options
// and the exit codes above must hold: ParseCommandLine knows no commands,
// accepts every flag everywhere, and exits 1 on --help or on a bad flag.

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/marshalling.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"

#include "safetensors/diff.h"
#include "safetensors/dump.h"
#include "safetensors/file.h"
#include "safetensors/header.h"
#include "safetensors/index.h"
#include "safetensors/inspect.h"
#include "safetensors/shard_writer.h"
#include "safetensors/status.h"
#include "safetensors/writer.h"
#include "tools/progress.h"

// --- Flag types ----------------------------------------------------------

namespace safetensors {

// --profile=strict|reference
bool AbslParseFlag(absl::string_view text, Profile* profile,
                   std::string* error) {
  if (text == "strict") {
    *profile = Profile::kStrict;
    return true;
  }
  if (text == "reference") {
    *profile = Profile::kReference;
    return true;
  }
  *error = "use strict or reference";
  return false;
}

std::string AbslUnparseFlag(Profile profile) {
  return profile == Profile::kStrict ? "strict" : "reference";
}

namespace tool {

// --max-size: a byte count, "5000000", "40B", "5GB" (10^9) or "5GiB" (2^30).
struct ByteSize {
  uint64_t bytes = 0;
};

bool AbslParseFlag(absl::string_view text, ByteSize* size, std::string* error) {
  size_t digits = 0;
  while (digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
  uint64_t value = 0;
  if (digits == 0 || !absl::SimpleAtoi(text.substr(0, digits), &value)) {
    *error = "expected a number of bytes, e.g. 40, 500MB or 2GiB";
    return false;
  }
  const std::string unit = absl::AsciiStrToLower(text.substr(digits));
  struct Unit {
    const char* name;
    uint64_t factor;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},
      {"b", 1},
      {"kb", 1000},
      {"mb", 1000 * 1000},
      {"gb", 1000 * 1000 * 1000},
      {"tb", uint64_t{1000} * 1000 * 1000 * 1000},
      {"kib", uint64_t{1} << 10},
      {"mib", uint64_t{1} << 20},
      {"gib", uint64_t{1} << 30},
      {"tib", uint64_t{1} << 40},
  };
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (value > UINT64_MAX / u.factor) {
      *error = "too large";
      return false;
    }
    size->bytes = value * u.factor;
    if (size->bytes == 0) {
      *error = "must be at least 1 byte";
      return false;
    }
    return true;
  }
  *error = absl::StrCat("unknown unit '", text.substr(digits),
                        "' (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)");
  return false;
}

std::string AbslUnparseFlag(ByteSize size) { return absl::StrCat(size.bytes); }

}  // namespace tool
}  // namespace safetensors

ABSL_FLAG(safetensors::Profile, profile, safetensors::Profile::kStrict,
          "strict (the default): the format as its spec states it, hardened "
          "against parser differentials. reference: the reference (Rust) "
          "implementation's accept/reject decisions, quirks included.");
ABSL_FLAG(std::string, select, "",
          "Keep the tensors whose whole name matches REGEX (RE2 syntax).");
ABSL_FLAG(std::string, metadata, "",
          "Set the metadata KEY to VALUE in OUT (repeatable).");
ABSL_FLAG(bool, drop_metadata, false, "Do not copy IN's metadata.");
ABSL_FLAG(bool, json, false,
          "Print one JSON object instead of the table (for machines).");
ABSL_FLAG(safetensors::tool::ByteSize, max_size, safetensors::tool::ByteSize{},
          "The most tensor data in one shard: bytes, or with a unit: KB, MB, "
          "GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024). A "
          "tensor larger than this gets a shard of its own. Required.");

namespace safetensors {
namespace tool {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;  // also: diff found differences
constexpr int kExitUsage = 2;    // also I/O errors

constexpr char kProgram[] = "safetensors";

// What the options of one run say, beyond the flags themselves.
struct Args {
  bool help = false;
  std::vector<std::string> set;  // flags given, by name
  std::vector<std::pair<std::string, std::string>> metadata;  // --metadata
  std::vector<std::string> files;
  bool Has(absl::string_view flag) const {
    for (const std::string& s : set) {
      if (s == flag) return true;
    }
    return false;
  }
};

// Writes all of `text` to stdout. Returns false (and says so on stderr) when
// stdout fails, e.g. a full disk: a truncated output must not exit 0.
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

int PrintAll(absl::string_view text, int exit_code = kExitOk) {
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

// Reports a failure on stderr; returns the exit code (2 for I/O and errors
// without a kind, 1 for invalid input).
int Failed(absl::string_view command, const absl::Status& status) {
  Error(command, status.message());
  return IsIoError(status) || !ErrorKindOf(status).has_value() ? kExitUsage
                                                               : kExitInvalid;
}

OpenOptions ReadOptionsFromFlags() {
  OpenOptions options;
  options.read.profile = absl::GetFlag(FLAGS_profile);
  return options;
}

// --- Options -------------------------------------------------------------

// One option a command takes: the flag's name (as in ABSL_FLAG) and how its
// help shows it.
struct OptionSpec {
  const char* flag;
  const char* display;
  bool repeatable;
};

constexpr OptionSpec kProfile = {"profile", "--profile=strict|reference",
                                 false};
constexpr OptionSpec kSelect = {"select", "--select=REGEX", false};
constexpr OptionSpec kMetadata = {"metadata", "--metadata=KEY=VALUE", true};
constexpr OptionSpec kDropMetadata = {"drop_metadata", "--drop-metadata",
                                      false};
constexpr OptionSpec kJson = {"json", "--json", false};
constexpr OptionSpec kMaxSize = {"max_size", "--max-size=SIZE", false};

struct Command {
  const char* name;
  const char* summary;  // one line, for the command list
  const char* usage;    // the --help text before its options
  std::vector<OptionSpec> options;
  int (*run)(const Args& args);
};

// Walks the arguments after the command: `--name=value`, `--name value`,
// `--bool-flag`, `-h`/`--help`, positional arguments; `--` ends the options.
// A name may use '-' or '_'. Each value is parsed by its Abseil flag.
// Returns an error message, or "" on success.
std::string ParseArgs(const std::vector<std::string>& argv,
                      const Command& command, Args* args) {
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      args->files.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      args->help = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::StrCat("unknown option '", arg, "'");
    }
    const size_t eq = arg.find('=');
    const std::string name = absl::StrReplaceAll(
        arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2),
        {{"-", "_"}});
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : command.options) {
      if (name == o.flag) spec = &o;
    }
    absl::CommandLineFlag* flag =
        spec == nullptr ? nullptr : absl::FindCommandLineFlag(spec->flag);
    if (flag == nullptr) return absl::StrCat("unknown option '", arg, "'");
    const std::string shown =
        absl::StrCat("--", absl::StrReplaceAll(spec->flag, {{"_", "-"}}));
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (flag->IsOfType<bool>()) {
      value = "true";
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      return absl::StrCat(shown, " needs a value");
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::StrCat("bad value '", value, "' for ", shown, ": ", error);
    }
    if (!spec->repeatable && args->Has(spec->flag)) {
      return absl::StrCat(shown, " given twice");
    }
    args->set.push_back(spec->flag);
    if (name == "metadata") {
      const size_t kv = value.find('=');
      if (kv == std::string::npos) {
        return absl::StrCat("--metadata takes KEY=VALUE, not '", value, "'");
      }
      args->metadata.emplace_back(value.substr(0, kv), value.substr(kv + 1));
    }
  }
  return "";
}

// The compiled --select pattern, or nullopt without one. An invalid pattern
// is a usage error: returns false after reporting it.
bool CompileSelect(absl::string_view command, const Args& args,
                   std::optional<RE2>* pattern) {
  if (!args.Has("select")) return true;
  const std::string text = absl::GetFlag(FLAGS_select);
  RE2::Options options;
  options.set_log_errors(false);
  pattern->emplace(text, options);
  if (!(*pattern)->ok()) {
    UsageError(command, absl::StrCat("bad --select pattern '", text,
                                     "': ", (*pattern)->error()));
    return false;
  }
  return true;
}

bool Selected(const std::optional<RE2>& pattern, absl::string_view name) {
  return !pattern.has_value() ||
         RE2::FullMatch(re2::StringPiece(name.data(), name.size()), *pattern);
}

// Every tensor of `checkpoint` that `pattern` selects, as writer input with
// its bytes straight from the mapping (little-endian as stored).
struct Selection {
  std::vector<TensorRef> refs;
  uint64_t bytes = 0;
};
Selection Select(const std::vector<ShardTensor>& tensors,
                 const std::optional<RE2>& pattern) {
  Selection s;
  for (const ShardTensor& t : tensors) {
    if (!Selected(pattern, t.view.name())) continue;
    s.refs.push_back(
        {t.view.name(), t.view.dtype(), t.view.shape(), t.view.data()});
    s.bytes += t.view.byte_size();
  }
  return s;
}

WriteOptions CopyWriteOptions() {
  WriteOptions o;
  o.data_order = ByteOrder::kLittleEndian;  // bytes copied from a file
  return o;
}

// --- Commands ------------------------------------------------------------

int RunDump(const Args& args) {
  if (args.files.size() != 1) {
    return UsageError("dump", "expects exactly one FILE");
  }
  absl::StatusOr<File> file =
      File::Open(ResolvePath(args.files[0]), ReadOptionsFromFlags());
  if (!file.ok()) {
    Error("dump", file.status().message());
    if (IsIoError(file.status())) return kExitUsage;
    return PrintAll(DumpRejection(file.status()), kExitInvalid);
  }
  return PrintAll(Dump(file->parsed()));
}

int RunValidate(const Args& args) {
  if (args.files.empty()) {
    return UsageError("validate", "expects at least one FILE or INDEX");
  }
  int exit_code = kExitOk;
  for (const std::string& path : args.files) {
    absl::Status status;
    absl::StatusOr<Checkpoint> c =
        Checkpoint::Open(ResolvePath(path), ReadOptionsFromFlags());
    status = c.ok() ? c->Metadata().status() : c.status();  // every shard
    std::string line;
    if (status.ok()) {
      line = absl::StrCat(path, "\tok\n");
    } else {
      const std::optional<ErrorKind> kind = ErrorKindOf(status);
      line = absl::StrCat(path, "\t", kind ? ErrorKindName(*kind) : "Unknown",
                          "\t", OneLine(status.message()), "\n");
      const int code =
          IsIoError(status) || !kind.has_value() ? kExitUsage : kExitInvalid;
      if (code > exit_code) exit_code = code;
    }
    if (!Print(line)) return kExitUsage;
  }
  if (!FlushStdout()) return kExitUsage;
  return exit_code;
}

int RunInspect(const Args& args) {
  if (args.files.size() != 1) {
    return UsageError("inspect", "expects exactly one FILE or INDEX");
  }
  std::optional<RE2> pattern;
  if (!CompileSelect("inspect", args, &pattern)) return kExitUsage;
  absl::StatusOr<Checkpoint> c =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromFlags());
  if (!c.ok()) return Failed("inspect", c.status());
  absl::StatusOr<Inspection> inspection = Inspect(
      *c, [&](absl::string_view name) { return Selected(pattern, name); });
  if (!inspection.ok()) return Failed("inspect", inspection.status());
  inspection->path = args.files[0];  // as given, not as resolved
  return PrintAll(absl::GetFlag(FLAGS_json)
                      ? FormatInspectionJson(*inspection)
                      : FormatInspectionTable(*inspection));
}

int RunHeader(const Args& args) {
  if (args.files.size() != 1) {
    return UsageError("header", "expects exactly one FILE");
  }
  if (IsIndexPath(args.files[0])) {
    return UsageError("header",
                      "reads a safetensors FILE; an index is JSON already "
                      "(use inspect for what it holds)");
  }
  absl::StatusOr<std::string> raw =
      ReadRawHeader(ResolvePath(args.files[0]), ReadOptionsFromFlags().read);
  if (!raw.ok()) return Failed("header", raw.status());
  absl::StatusOr<std::string> pretty = PrettyPrintJson(*raw);
  if (!pretty.ok()) {  // InvalidHeader or InvalidHeaderDeserialization
    Error("header", absl::StrCat(args.files[0],
                                 ": the header: ", pretty.status().message()));
    return kExitInvalid;
  }
  return PrintAll(*pretty);
}

int RunDiff(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("diff", "expects two FILEs or INDEXes, A and B");
  }
  const OpenOptions options = ReadOptionsFromFlags();
  absl::StatusOr<Checkpoint> a =
      Checkpoint::Open(ResolvePath(args.files[0]), options);
  if (!a.ok()) return Failed("diff", a.status());
  absl::StatusOr<Checkpoint> b =
      Checkpoint::Open(ResolvePath(args.files[1]), options);
  if (!b.ok()) return Failed("diff", b.status());
  std::optional<ProgressBar> bar;
  absl::StatusOr<DiffResult> d =
      Diff(*a, *b, [&](uint64_t done, uint64_t total) {
        if (!bar) bar.emplace(ProgressBar::ForStderr("diff", total));
        bar->Update(done);
      });
  if (bar) bar->Finish();
  if (!d.ok()) return Failed("diff", d.status());
  return PrintAll(absl::StrCat("--- ", args.files[0], "\n+++ ", args.files[1],
                               "\n", FormatDiff(*d)),
                  d->same() ? kExitOk : kExitInvalid);
}

int RunExtract(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("extract", "expects IN and OUT");
  }
  std::optional<RE2> pattern;
  if (!CompileSelect("extract", args, &pattern)) return kExitUsage;
  absl::StatusOr<Checkpoint> in =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromFlags());
  if (!in.ok()) return Failed("extract", in.status());
  absl::StatusOr<std::vector<ShardTensor>> tensors = in->Tensors();
  if (!tensors.ok()) return Failed("extract", tensors.status());
  absl::StatusOr<std::optional<MetadataMap>> metadata = in->Metadata();
  if (!metadata.ok()) return Failed("extract", metadata.status());
  if (absl::GetFlag(FLAGS_drop_metadata)) metadata->reset();
  if (!args.metadata.empty()) {
    if (!metadata->has_value()) metadata->emplace();
    for (const auto& [key, value] : args.metadata) (**metadata)[key] = value;
  }
  const Selection s = Select(*tensors, pattern);
  ProgressBar bar = ProgressBar::ForStderr("extract", s.bytes);
  absl::StatusOr<uint64_t> size = WriteFileStreaming(
      ResolvePath(args.files[1]), s.refs, *metadata, CopyWriteOptions(),
      [&](uint64_t done, uint64_t) { bar.Update(done); });
  bar.Finish();
  if (!size.ok()) {
    Error("extract", absl::StrCat("cannot write \"", args.files[1],
                                  "\": ", size.status().message()));
    return kExitUsage;
  }
  return PrintAll(absl::StrCat("wrote ", args.files[1], ": ", s.refs.size(),
                               " of ", tensors->size(), " tensors, ", *size,
                               " bytes\n"));
}

int RunShard(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("shard", "expects IN and OUTDIR");
  }
  if (!args.Has("max_size")) {
    return UsageError("shard", "--max-size=SIZE is required");
  }
  absl::StatusOr<Checkpoint> in =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromFlags());
  if (!in.ok()) return Failed("shard", in.status());
  absl::StatusOr<std::vector<ShardTensor>> tensors = in->Tensors();
  if (!tensors.ok()) return Failed("shard", tensors.status());
  absl::StatusOr<std::optional<MetadataMap>> metadata = in->Metadata();
  if (!metadata.ok()) return Failed("shard", metadata.status());
  const Selection s = Select(*tensors, std::nullopt);

  const std::string dir = ResolvePath(args.files[1]);
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    Error("shard", absl::StrCat("cannot create \"", args.files[1],
                                "\": ", std::strerror(errno)));
    return kExitUsage;
  }
  ShardWriteOptions options;
  options.max_shard_size = absl::GetFlag(FLAGS_max_size).bytes;
  options.write = CopyWriteOptions();
  ProgressBar bar = ProgressBar::ForStderr("shard", s.bytes);
  options.progress = [&](uint64_t done, uint64_t) { bar.Update(done); };
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(dir, s.refs, *metadata, options);
  bar.Finish();
  if (!layout.ok()) {
    Error("shard", absl::StrCat("cannot write into \"", args.files[1],
                                "\": ", layout.status().message()));
    return kExitUsage;
  }
  std::string out =
      absl::StrCat("wrote ", args.files[1], "/", options.prefix,
                   ".safetensors.index.json: ", s.refs.size(),
                   s.refs.size() == 1 ? " tensor, " : " tensors, ",
                   layout->total_size, " bytes in ", layout->shard_names.size(),
                   layout->shard_names.size() == 1 ? " shard\n" : " shards\n");
  for (size_t i = 0; i < layout->shard_names.size(); ++i) {
    uint64_t bytes = 0;
    for (size_t t : layout->shard_tensors[i]) bytes += s.refs[t].data.size();
    absl::StrAppend(
        &out, "  ", layout->shard_names[i], "  ",
        layout->shard_tensors[i].size(),
        layout->shard_tensors[i].size() == 1 ? " tensor, " : " tensors, ",
        bytes, " bytes\n");
  }
  return PrintAll(out);
}

int RunMerge(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("merge", "expects INDEX and OUT");
  }
  absl::StatusOr<Checkpoint> in =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromFlags());
  if (!in.ok()) return Failed("merge", in.status());
  absl::StatusOr<std::vector<ShardTensor>> tensors = in->Tensors();
  if (!tensors.ok()) return Failed("merge", tensors.status());
  absl::StatusOr<std::optional<MetadataMap>> metadata = in->Metadata();
  if (!metadata.ok()) return Failed("merge", metadata.status());
  const Selection s = Select(*tensors, std::nullopt);
  ProgressBar bar = ProgressBar::ForStderr("merge", s.bytes);
  absl::StatusOr<uint64_t> size = WriteFileStreaming(
      ResolvePath(args.files[1]), s.refs, *metadata, CopyWriteOptions(),
      [&](uint64_t done, uint64_t) { bar.Update(done); });
  bar.Finish();
  if (!size.ok()) {
    Error("merge", absl::StrCat("cannot write \"", args.files[1],
                                "\": ", size.status().message()));
    return kExitUsage;
  }
  const size_t shards = in->shard_names().size();
  return PrintAll(absl::StrCat(
      "wrote ", args.files[1], ": ", s.refs.size(), " tensors from ", shards,
      shards == 1 ? " shard, " : " shards, ", *size, " bytes\n"));
}

const std::vector<Command>& Commands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
      {"inspect",
       "a table of a file's or index's tensors, totals, metadata",
       "Usage: safetensors inspect [--json] [--select=REGEX] FILE|INDEX\n"
       "\n"
       "Prints a summary of FILE, or of the sharded checkpoint INDEX (a\n"
       "model.safetensors.index.json; every shard is opened and checked):\n"
       "one row per tensor (name, dtype, shape, size in bytes, offset in\n"
       "its file's data section, and the shard), the totals per dtype, and\n"
       "the metadata. Rows are in file order, shard by shard.\n"
       "\n"
       "Exit status: 0 printed, 1 the input is invalid, 2 usage or I/O\n"
       "error (a bad REGEX is a usage error).\n",
       {kJson, kSelect, kProfile},
       RunInspect},
      {"header",
       "a file's raw JSON header, pretty-printed",
       "Usage: safetensors header FILE\n"
       "\n"
       "Prints the N header bytes of FILE as they are, indented: escapes,\n"
       "numbers and member order untouched. Only the length rules and the\n"
       "JSON grammar are checked, so this shows the header of a file that\n"
       "validate rejects for its offsets or dtypes.\n"
       "\n"
       "Exit status: 0 printed, 1 the header is not UTF-8 JSON or its length\n"
       "is invalid, 2 usage or I/O error.\n",
       {kProfile},
       RunHeader},
      {"dump",
       "print a file's canonical dump (SPEC.md §7)",
       "Usage: safetensors dump [--profile=strict|reference] FILE\n"
       "\n"
       "Prints the canonical dump of FILE on standard output: one line per\n"
       "fact, TAB-separated (header_len, data_len, ntensors, metadata, meta\n"
       "lines, then one tensor line per tensor sorted by name, with its "
       "dtype,\n"
       "shape, data offsets and the FNV-1a 64 of its bytes). A file that is\n"
       "not valid prints 'reject<TAB>Kind' instead, Kind being the error kind\n"
       "(e.g. InvalidHeaderDeserialization), with the reason on standard "
       "error.\n"
       "\n"
       "Exit status: 0 dumped, 1 rejected, 2 usage or I/O error.\n",
       {kProfile},
       RunDump},
      {"validate",
       "check files or indexes; one line each",
       "Usage: safetensors validate [--profile=strict|reference] "
       "FILE|INDEX...\n"
       "\n"
       "Validates each FILE, or each INDEX and every shard it names, and\n"
       "prints one line for it: 'PATH<TAB>ok', or 'PATH<TAB>Kind<TAB>message'\n"
       "when it is rejected (Kind is the error kind, e.g. HeaderTooSmall) or\n"
       "cannot be read (Kind IoError).\n"
       "\n"
       "Exit status: 0 all valid, 1 some input invalid, 2 usage or I/O "
       "error.\n",
       {kProfile},
       RunValidate},
      {"diff",
       "compare two files or indexes tensor by tensor",
       "Usage: safetensors diff A B\n"
       "\n"
       "Compares A and B (each a FILE or an INDEX): tensors only in one\n"
       "(only_a, only_b), dtype or shape differences, content differences\n"
       "(the bytes compared exactly; the FNV-1a 64 of each side printed),\n"
       "and metadata differences (meta), one TAB-separated line each, sorted\n"
       "by name, then a summary line.\n"
       "\n"
       "Exit status: 0 the same, 1 they differ or an input is invalid, 2\n"
       "usage or I/O error.\n",
       {kProfile},
       RunDiff},
      {"extract",
       "write some tensors of a file or index to a new file",
       "Usage: safetensors extract [--select=REGEX] [--metadata=KEY=VALUE]...\n"
       "                           [--drop-metadata] IN OUT\n"
       "\n"
       "Writes the tensors of IN (a FILE or an INDEX) whose names fully match\n"
       "REGEX (RE2 syntax; all tensors by default) to OUT, byte for byte as\n"
       "the reference writer lays them out, streaming from IN. OUT is\n"
       "replaced atomically; IN and OUT may be the same file. IN's metadata\n"
       "is kept; --metadata sets one key (repeatable), --drop-metadata\n"
       "starts from none.\n"
       "\n"
       "Exit status: 0 written, 1 IN is invalid, 2 usage error (a bad REGEX)\n"
       "or I/O error.\n",
       {kSelect, kMetadata, kDropMetadata, kProfile},
       RunExtract},
      {"shard",
       "split a file (or index) into shards of a maximum size",
       "Usage: safetensors shard --max-size=SIZE IN OUTDIR\n"
       "\n"
       "Writes the tensors of IN (a FILE or an INDEX) as a sharded checkpoint\n"
       "into OUTDIR (created if missing): model-00001-of-0000N.safetensors,\n"
       "each with at most SIZE bytes of tensor data (filled greedily in the\n"
       "writer's order: dtype rank descending, then name) and IN's metadata,\n"
       "then model.safetensors.index.json, whose metadata.total_size is the\n"
       "sum of the tensors' bytes. Each file is replaced atomically; the "
       "index\n"
       "is written last.\n"
       "\n"
       "Exit status: 0 written, 1 IN is invalid, 2 usage or I/O error.\n",
       {kMaxSize, kProfile},
       RunShard},
      {"merge",
       "write the tensors of an index's shards into one file",
       "Usage: safetensors merge INDEX OUT\n"
       "\n"
       "Writes every tensor of the sharded checkpoint INDEX into the single\n"
       "file OUT (replaced atomically), with the shards' metadata (which must\n"
       "agree where keys repeat), streaming from the shards.\n"
       "\n"
       "Exit status: 0 written, 1 INDEX or a shard is invalid, 2 usage or I/O\n"
       "error.\n",
       {kProfile},
       RunMerge},
  };
  return *commands;
}

const Command* FindCommand(absl::string_view name) {
  for (const Command& command : Commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

std::string MainUsage() {
  std::string out =
      "Usage: safetensors COMMAND [OPTIONS] [ARGS]\n"
      "\n"
      "Reads, checks, compares and rewrites safetensors files and sharded\n"
      "checkpoints (model.safetensors.index.json). Commands:\n";
  for (const Command& command : Commands()) {
    absl::StrAppendFormat(&out, "  %-10s %s\n", command.name, command.summary);
  }
  out +=
      "  help       print this help, or a command's: safetensors help COMMAND\n"
      "\n"
      "Exit status: 0 success; 1 the input is invalid (or, for diff, the\n"
      "inputs differ); 2 usage or I/O error.\n";
  return out;
}

// Wraps `text` at 72 columns with `indent` spaces before every line.
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

int PrintCommandHelp(const Command& command) {
  std::string out = absl::StrCat(command.usage, "\nOptions:\n");
  for (const OptionSpec& o : command.options) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(o.flag);
    absl::StrAppend(&out, "  ", o.display, "\n",
                    Wrap(flag != nullptr ? flag->Help() : "", 6));
  }
  out += "  -h, --help\n      Print this help and exit.\n";
  return PrintAll(out);
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
    if (rest.empty()) return PrintAll(MainUsage());
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
  const std::string error = ParseArgs(rest, *command, &args);
  if (!error.empty()) return UsageError(command->name, error);
  if (args.help) return PrintCommandHelp(*command);
  return command->run(args);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors

int main(int argc, char** argv) { return safetensors::tool::Main(argc, argv); }
