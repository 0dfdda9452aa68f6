// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/args.h"

#include <cstdlib>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/marshalling.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

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

bool Args::Has(absl::string_view flag) const {
  for (const std::string& s : set) {
    if (s == flag) return true;
  }
  return false;
}

std::string ParseArgs(const std::vector<std::string>& argv,
                      const std::vector<OptionSpec>& options, Args* args) {
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
    for (const OptionSpec& o : options) {
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

OpenOptions ReadOptionsFromFlags() {
  OpenOptions options;
  options.read.profile = absl::GetFlag(FLAGS_profile);
  return options;
}

std::string ResolvePath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (cwd == nullptr || *cwd == '\0' || path.empty() || path[0] == '/') {
    return path;
  }
  return absl::StrCat(cwd, "/", path);
}

std::string CompileSelect(const Args& args, std::optional<RE2>* pattern) {
  if (!args.Has("select")) return "";
  const std::string text = absl::GetFlag(FLAGS_select);
  RE2::Options options;
  options.set_log_errors(false);
  pattern->emplace(text, options);
  if (!(*pattern)->ok()) {
    return absl::StrCat("bad --select pattern '", text,
                        "': ", (*pattern)->error());
  }
  return "";
}

bool Selected(const std::optional<RE2>& pattern, absl::string_view name) {
  return !pattern.has_value() ||
         RE2::FullMatch(re2::StringPiece(name.data(), name.size()), *pattern);
}

}  // namespace tool
}  // namespace safetensors
