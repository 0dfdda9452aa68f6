// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The tool's options: what each command accepts, their help text, how each
// value is parsed and stored, and the walk over argv that fills an Args.
// Each command accepts only its own options. Nothing here runs before main
// (no flag registry to build at start-up: a command on a small file spends
// most of its time starting), and the values live in the Args of the run,
// not in process-wide state.

#ifndef SAFETENSORS_TOOLS_ARGS_H_
#define SAFETENSORS_TOOLS_ARGS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "re2/re2.h"

#include "safetensors/dtype.h"
#include "safetensors/file.h"
#include "safetensors/header.h"
#include "safetensors/shard_writer.h"

namespace safetensors {
namespace tool {

// --max-size: a byte count, "5000000", "40B", "5GB" (10^9) or "5GiB" (2^30).
struct ByteSize {
  uint64_t bytes = 0;
};

// What the options of one run say. Each field keeps its default unless its
// option was given.
struct Args {
  bool help = false;                                          // -h, --help
  Profile profile = Profile::kStrict;                         // --profile
  std::vector<std::string> select;                            // --select
  std::vector<std::string> exclude;                           // --exclude
  std::vector<std::pair<std::string, std::string>> metadata;  // --metadata
  bool drop_metadata = false;                                 // --drop-metadata
  bool json = false;                                          // --json
  ByteSize max_size;                                          // --max-size
  std::string prefix = "model";                               // --prefix
  bool force = false;                                         // --force
  ShardOrder order = ShardOrder::kWriter;                     // --order
  bool numeric = false;                                       // --numeric
  double atol = 0;                                            // --atol
  double rtol = 0;                                            // --rtol
  Dtype to = Dtype::kF32;                                     // --to
  bool allow_integers = false;     // --allow-integers
  bool record = false;             // --record
  std::vector<std::string> set;    // the options given, by name
  std::vector<std::string> files;  // the positional arguments
  // Whether the option `name` (as in OptionSpec::name) was given.
  bool Has(absl::string_view name) const;
};

// One option a command takes: its name (after "--"), how its help shows
// it, its help text, and how its value is stored into an Args.
struct OptionSpec {
  const char* name;
  const char* display;
  const char* help;
  // Whether the option takes a value; one that does not may still be given
  // `--name=true|false` (or 1/0, yes/no, t/f, y/n; any case).
  bool takes_value;
  bool repeatable;
  // Stores `value` into *args; returns an error message, or "".
  std::string (*store)(absl::string_view value, Args* args);
};

// Value parsers, exposed for tests. Each returns an error message, or "".
std::string ParseProfile(absl::string_view text, Profile* profile);
std::string ParseByteSize(absl::string_view text, ByteSize* size);
std::string ParseBool(absl::string_view text, bool* value);
// A finite tolerance, at least 0 ("1e-3", "0.01").
std::string ParseTolerance(absl::string_view text, double* value);
// A floating-point dtype convert writes: its header name in any case
// ("BF16", "bf16") or torch's ("bfloat16", "torch.float16", "half").
std::string ParseFloatDtype(absl::string_view text, Dtype* dtype);

extern const OptionSpec kProfile;       // --profile=strict|reference
extern const OptionSpec kSelect;        // --select=REGEX (repeatable)
extern const OptionSpec kExclude;       // --exclude=REGEX (repeatable)
extern const OptionSpec kMetadata;      // --metadata=KEY=VALUE (repeatable)
extern const OptionSpec kDropMetadata;  // --drop-metadata
extern const OptionSpec kJson;          // --json
extern const OptionSpec kMaxSize;       // --max-size=SIZE
extern const OptionSpec kPrefix;        // --prefix=NAME
extern const OptionSpec kForce;         // --force
extern const OptionSpec kOrder;         // --order=writer|natural|input
extern const OptionSpec kNumeric;       // --numeric
extern const OptionSpec kAtol;          // --atol=X
extern const OptionSpec kRtol;          // --rtol=X

// convert's.
extern const OptionSpec kTo;             // --to=DTYPE
extern const OptionSpec kAllowIntegers;  // --allow-integers
extern const OptionSpec kRecord;         // --record

// Walks the arguments after the command: `--name=value`, `--name value`,
// `--flag`, `-h`/`--help`, positional arguments; `--` ends the options.
// A name may use '-' or '_'; only the options in `options` are accepted.
// Returns an error message, or "" on success.
std::string ParseArgs(const std::vector<std::string>& argv,
                      const std::vector<OptionSpec>& options, Args* args);

// The read options the arguments ask for (--profile).
OpenOptions ReadOptionsFromArgs(const Args& args);

// `bazel run` starts the tool in its runfiles tree; a relative path on the
// command line means the directory `bazel run` was called from, which Bazel
// passes in BUILD_WORKING_DIRECTORY.
std::string ResolvePath(const std::string& path);

// The --select and --exclude patterns of a run (RE2 syntax, each matching
// whole names): a name is kept when it matches some --select (or no
// --select is given) and no --exclude.
class NameFilter {
 public:
  NameFilter();
  ~NameFilter();
  NameFilter(NameFilter&&) noexcept;
  NameFilter& operator=(NameFilter&&) noexcept;

  // Compiles the patterns of `args`. Returns an error message for an
  // invalid one (a usage error), or "".
  std::string Compile(const Args& args);

  bool Keeps(absl::string_view name) const;

  // Whether any pattern was given.
  bool active() const { return !select_.empty() || !exclude_.empty(); }

  // The error for a filter that kept none of `names` (all the input's
  // names): what was asked, how many names there are, and, when a
  // --select pattern would match inside names, the pattern that does and
  // how many it keeps (patterns match whole names, unlike grep's).
  std::string NothingKept(const std::vector<absl::string_view>& names) const;

 private:
  std::vector<std::unique_ptr<RE2>> select_;
  std::vector<std::unique_ptr<RE2>> exclude_;
};
}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_ARGS_H_
