// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/args.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace safetensors {
namespace tool {

std::string ParseProfile(absl::string_view text, Profile* profile) {
  if (text == "strict") {
    *profile = Profile::kStrict;
    return "";
  }
  if (text == "reference") {
    *profile = Profile::kReference;
    return "";
  }
  return "use strict or reference";
}

std::string ParseByteSize(absl::string_view text, ByteSize* size) {
  size_t digits = 0;
  while (digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
  uint64_t value = 0;
  if (digits == 0 || !absl::SimpleAtoi(text.substr(0, digits), &value)) {
    return "expected a number of bytes, e.g. 40, 500MB or 2GiB";
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
    if (value > UINT64_MAX / u.factor) return "too large";
    if (value == 0) return "must be at least 1 byte";
    size->bytes = value * u.factor;
    return "";
  }
  return absl::StrCat("unknown unit '", text.substr(digits),
                      "' (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)");
}

std::string ParseBool(absl::string_view text, bool* value) {
  static constexpr const char* kTrue[] = {"true", "t", "yes", "y", "1"};
  static constexpr const char* kFalse[] = {"false", "f", "no", "n", "0"};
  for (const char* word : kTrue) {
    if (absl::EqualsIgnoreCase(text, word)) {
      *value = true;
      return "";
    }
  }
  for (const char* word : kFalse) {
    if (absl::EqualsIgnoreCase(text, word)) {
      *value = false;
      return "";
    }
  }
  return "use true or false";
}

namespace {

std::string StoreProfile(absl::string_view value, Args* args) {
  return ParseProfile(value, &args->profile);
}

std::string StoreSelect(absl::string_view value, Args* args) {
  args->select = std::string(value);
  return "";
}

std::string StoreMetadata(absl::string_view value, Args* args) {
  const size_t kv = value.find('=');
  if (kv == absl::string_view::npos) {
    return "use KEY=VALUE";
  }
  args->metadata.emplace_back(value.substr(0, kv), value.substr(kv + 1));
  return "";
}

std::string StoreDropMetadata(absl::string_view value, Args* args) {
  return ParseBool(value, &args->drop_metadata);
}

std::string StoreJson(absl::string_view value, Args* args) {
  return ParseBool(value, &args->json);
}

std::string StoreMaxSize(absl::string_view value, Args* args) {
  return ParseByteSize(value, &args->max_size);
}

}  // namespace

const OptionSpec kProfile = {
    "profile",
    "--profile=strict|reference",
    "strict (the default): the format as its spec states it, hardened "
    "against parser differentials. reference: the reference (Rust) "
    "implementation's accept/reject decisions, quirks included.",
    true,
    false,
    StoreProfile};
const OptionSpec kSelect = {
    "select",
    "--select=REGEX",
    "Keep the tensors whose whole name matches REGEX (RE2 syntax).",
    true,
    false,
    StoreSelect};
const OptionSpec kMetadata = {
    "metadata",
    "--metadata=KEY=VALUE",
    "Set the metadata KEY to VALUE in OUT (repeatable).",
    true,
    true,
    StoreMetadata};
const OptionSpec kDropMetadata = {
    "drop-metadata", "--drop-metadata", "Do not copy IN's metadata.", false,
    false,           StoreDropMetadata};
const OptionSpec kJson = {
    "json",
    "--json",
    "Print one JSON object instead of the table (for machines).",
    false,
    false,
    StoreJson};
const OptionSpec kMaxSize = {
    "max-size",
    "--max-size=SIZE",
    "The most tensor data in one shard: bytes, or with a unit: KB, MB, GB, "
    "TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024). A tensor "
    "larger than this gets a shard of its own. Required.",
    true,
    false,
    StoreMaxSize};

bool Args::Has(absl::string_view name) const {
  for (const std::string& s : set) {
    if (s == name) return true;
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
        {{"_", "-"}});
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : options) {
      if (name == o.name) spec = &o;
    }
    if (spec == nullptr) return absl::StrCat("unknown option '", arg, "'");
    const std::string shown = absl::StrCat("--", spec->name);
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (!spec->takes_value) {
      value = "true";
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      return absl::StrCat(shown, " needs a value");
    }
    if (!spec->repeatable && args->Has(spec->name)) {
      return absl::StrCat(shown, " given twice");
    }
    const std::string error = spec->store(value, args);
    if (!error.empty()) {
      return absl::StrCat("bad value '", value, "' for ", shown, ": ", error);
    }
    args->set.push_back(spec->name);
  }
  return "";
}

OpenOptions ReadOptionsFromArgs(const Args& args) {
  OpenOptions options;
  options.read.profile = args.profile;
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
  const std::string& text = args.select;
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
