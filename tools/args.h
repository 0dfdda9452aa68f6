// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The tool's options: the Abseil flags (their types, defaults, value parsing
// and help text), what each command accepts, and the walk over argv that
// fills an Args. argv is walked here rather than by absl::ParseCommandLine
// because each command accepts only its own options and the tool's exit
// codes must hold: ParseCommandLine knows no commands, accepts every flag
// everywhere, and exits 1 on --help or on a bad flag. Flags are process-wide
// state: one command per process, on one thread.

#ifndef SAFETENSORS_TOOLS_ARGS_H_
#define SAFETENSORS_TOOLS_ARGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"

#include "safetensors/file.h"
#include "safetensors/header.h"

namespace safetensors {

// --profile=strict|reference
bool AbslParseFlag(absl::string_view text, Profile* profile,
                   std::string* error);
std::string AbslUnparseFlag(Profile profile);

namespace tool {

// --max-size: a byte count, "5000000", "40B", "5GB" (10^9) or "5GiB" (2^30).
struct ByteSize {
  uint64_t bytes = 0;
};
bool AbslParseFlag(absl::string_view text, ByteSize* size, std::string* error);
std::string AbslUnparseFlag(ByteSize size);

}  // namespace tool
}  // namespace safetensors

ABSL_DECLARE_FLAG(safetensors::Profile, profile);
ABSL_DECLARE_FLAG(std::string, select);
ABSL_DECLARE_FLAG(std::string, metadata);
ABSL_DECLARE_FLAG(bool, drop_metadata);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(safetensors::tool::ByteSize, max_size);

namespace safetensors {
namespace tool {

// One option a command takes: the flag's name (as in ABSL_FLAG) and how its
// help shows it.
struct OptionSpec {
  const char* flag;
  const char* display;
  bool repeatable;
};

inline constexpr OptionSpec kProfile = {"profile", "--profile=strict|reference",
                                        false};
inline constexpr OptionSpec kSelect = {"select", "--select=REGEX", false};
inline constexpr OptionSpec kMetadata = {"metadata", "--metadata=KEY=VALUE",
                                         true};
inline constexpr OptionSpec kDropMetadata = {"drop_metadata", "--drop-metadata",
                                             false};
inline constexpr OptionSpec kJson = {"json", "--json", false};
inline constexpr OptionSpec kMaxSize = {"max_size", "--max-size=SIZE", false};

// What the options of one run say, beyond the flags themselves.
struct Args {
  bool help = false;
  std::vector<std::string> set;  // flags given, by name
  std::vector<std::pair<std::string, std::string>> metadata;  // --metadata
  std::vector<std::string> files;
  bool Has(absl::string_view flag) const;
};

// Walks the arguments after the command: `--name=value`, `--name value`,
// `--bool-flag`, `-h`/`--help`, positional arguments; `--` ends the options.
// A name may use '-' or '_'; only the flags in `options` are accepted. Each
// value is parsed by its Abseil flag (which keeps it). Returns an error
// message, or "" on success.
std::string ParseArgs(const std::vector<std::string>& argv,
                      const std::vector<OptionSpec>& options, Args* args);

// The read options the flags ask for (--profile).
OpenOptions ReadOptionsFromFlags();

// `bazel run` starts the tool in its runfiles tree; a relative path on the
// command line means the directory `bazel run` was called from, which Bazel
// passes in BUILD_WORKING_DIRECTORY.
std::string ResolvePath(const std::string& path);

// The compiled --select pattern into *pattern (left empty without one).
// Returns an error message for an invalid pattern (a usage error), or "".
std::string CompileSelect(const Args& args, std::optional<RE2>* pattern);

// Whether `name` fully matches `pattern`; true without a pattern.
bool Selected(const std::optional<RE2>& pattern, absl::string_view name);

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_ARGS_H_
