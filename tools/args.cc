// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/args.h"

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

#include "safetensors/convert.h"

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
  // Digits, an optional fraction, then the unit.
  size_t i = 0;
  while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
  const absl::string_view whole = text.substr(0, i);
  absl::string_view fraction;
  bool point = false;
  if (i < text.size() && text[i] == '.') {
    point = true;
    const size_t start = ++i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
    fraction = text.substr(start, i - start);
  }
  uint64_t value = 0;
  if (whole.empty() || !absl::SimpleAtoi(whole, &value) ||
      (point && fraction.empty()) || fraction.size() > 18) {
    return "expected a number of bytes, e.g. 40, 500MB, 1.5GB or 2GiB";
  }
  const std::string unit = absl::AsciiStrToLower(text.substr(i));
  struct Unit {
    const char* name;
    uint64_t factor;
  };
  // As GNU coreutils reads sizes: KB, MB, ... are powers of 1000; KiB,
  // MiB, ... and the single letters K, M, G, T are powers of 1024.
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
      {"k", uint64_t{1} << 10},
      {"m", uint64_t{1} << 20},
      {"g", uint64_t{1} << 30},
      {"t", uint64_t{1} << 40},
  };
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (value > UINT64_MAX / u.factor) return "too large";
    uint64_t bytes = value * u.factor;
    // The fraction's share, rounded down to a whole byte: digits * factor /
    // 10^digits, in 128 bits (at most 18 digits times 2^40 fits).
    if (!fraction.empty()) {
      uint64_t digits = 0;
      absl::SimpleAtoi(fraction, &digits);
      unsigned __int128 scale = 1;
      for (size_t d = 0; d < fraction.size(); ++d) scale *= 10;
      const uint64_t part = static_cast<uint64_t>(
          static_cast<unsigned __int128>(digits) * u.factor / scale);
      if (bytes > UINT64_MAX - part) return "too large";
      bytes += part;
    }
    if (bytes == 0) return "must be at least 1 byte";
    size->bytes = bytes;
    return "";
  }
  return absl::StrCat("unknown unit '", text.substr(i),
                      "' (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, or K, M, "
                      "G, T for KiB, MiB, GiB, TiB)");
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

std::string ParseTolerance(absl::string_view text, double* value) {
  double v = 0;
  if (!absl::SimpleAtod(text, &v) || !std::isfinite(v) || v < 0) {
    return "expected a number at least 0, e.g. 1e-3";
  }
  *value = v;
  return "";
}

std::string ParseFloatDtype(absl::string_view text, Dtype* dtype) {
  // torch's names (torch.float8_e4m3fn is the format's F8_E4M3, and
  // torch.float8_e8m0fnu its F8_E8M0).
  static constexpr struct {
    const char* name;
    Dtype dtype;
  } kTorchNames[] = {
      {"float64", Dtype::kF64},
      {"double", Dtype::kF64},
      {"float32", Dtype::kF32},
      {"float", Dtype::kF32},
      {"bfloat16", Dtype::kBF16},
      {"float16", Dtype::kF16},
      {"half", Dtype::kF16},
      {"float8_e4m3fn", Dtype::kF8E4M3},
      {"float8_e5m2", Dtype::kF8E5M2},
      {"float8_e4m3fnuz", Dtype::kF8E4M3Fnuz},
      {"float8_e5m2fnuz", Dtype::kF8E5M2Fnuz},
      {"float8_e8m0fnu", Dtype::kF8E8M0},
  };
  absl::string_view name = text;
  absl::ConsumePrefix(&name, "torch.");
  std::optional<Dtype> found;
  for (const auto& t : kTorchNames) {
    if (name == t.name) found = t.dtype;
  }
  if (!found.has_value()) found = DtypeFromName(absl::AsciiStrToUpper(text));
  const absl::string_view choices =
      "use BF16, F16, F32, F64, F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ or "
      "F8_E8M0 (any case), or torch's name (bfloat16, float16, ...)";
  if (!found.has_value()) return absl::StrCat("unknown dtype; ", choices);
  if (!CanConvertFromFloat(*found)) {
    return absl::StrCat(DtypeName(*found), " is not a floating-point type; ",
                        choices);
  }
  *dtype = *found;
  return "";
}

namespace {

std::string StoreProfile(absl::string_view value, Args* args) {
  return ParseProfile(value, &args->profile);
}

std::string StoreSelect(absl::string_view value, Args* args) {
  args->select.emplace_back(value);
  return "";
}

std::string StoreExclude(absl::string_view value, Args* args) {
  args->exclude.emplace_back(value);
  return "";
}

std::string StorePrefix(absl::string_view value, Args* args) {
  if (value.empty() || value == "." || value == ".." ||
      value.find_first_of(std::string("/\0", 2)) != absl::string_view::npos) {
    return "a prefix is a file name's start: not empty, '.' or '..', and "
           "without '/'";
  }
  args->prefix = std::string(value);
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

std::string StoreForce(absl::string_view value, Args* args) {
  return ParseBool(value, &args->force);
}

std::string StoreOrder(absl::string_view value, Args* args) {
  if (value == "writer") {
    args->order = ShardOrder::kWriter;
  } else if (value == "natural") {
    args->order = ShardOrder::kNatural;
  } else if (value == "input") {
    args->order = ShardOrder::kGiven;
  } else {
    return "use writer, natural or input";
  }
  return "";
}

std::string StoreNumeric(absl::string_view value, Args* args) {
  return ParseBool(value, &args->numeric);
}

std::string StoreAtol(absl::string_view value, Args* args) {
  args->numeric = true;
  return ParseTolerance(value, &args->atol);
}

std::string StoreRtol(absl::string_view value, Args* args) {
  args->numeric = true;
  return ParseTolerance(value, &args->rtol);
}

std::string StoreTo(absl::string_view value, Args* args) {
  return ParseFloatDtype(value, &args->to);
}

std::string StoreAllowIntegers(absl::string_view value, Args* args) {
  return ParseBool(value, &args->allow_integers);
}

std::string StoreRecord(absl::string_view value, Args* args) {
  return ParseBool(value, &args->record);
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
    "Keep the tensors whose whole name matches REGEX (RE2 syntax; "
    "repeatable: a name matching any is kept). The whole name, unlike grep: "
    "'.*layers\\.0\\..*' keeps the tensors of layer 0.",
    true,
    true,
    StoreSelect};
const OptionSpec kExclude = {
    "exclude",
    "--exclude=REGEX",
    "Drop the tensors whose whole name matches REGEX (repeatable), after "
    "--select: --exclude='lm_head\\..*' keeps all but the head.",
    true,
    true,
    StoreExclude};
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
    "TB (powers of 1000) or KiB, MiB, GiB, TiB and the letters K, M, G, T "
    "(powers of 1024, as coreutils reads them); any case, fractions allowed "
    "(1.5GB, 2g). A tensor larger than this gets a shard of its own. "
    "Required.",
    true,
    false,
    StoreMaxSize};
const OptionSpec kPrefix = {
    "prefix",
    "--prefix=NAME",
    "Name the files NAME-00001-of-0000N.safetensors and "
    "NAME.safetensors.index.json (default model; diffusers uses "
    "diffusion_pytorch_model).",
    true,
    false,
    StorePrefix};
const OptionSpec kForce = {
    "force",
    "--force",
    "Write into an OUTDIR that holds other .safetensors files or indexes "
    "(an earlier checkpoint's), and remove them once the new index is "
    "written: loaders that read every *.safetensors file of a directory "
    "would load them too.",
    false,
    false,
    StoreForce};
const OptionSpec kOrder = {
    "order",
    "--order=writer|natural|input",
    "The order in which tensors fill the shards. writer (the default): "
    "dtype, widest first, then name bytes, as each file is laid out. "
    "natural: by name, numbers as numbers (layers.2 before layers.10), so "
    "each layer is in one or few shards, in layer order, as Hugging Face "
    "writes a state dict. input: as IN lists them (shard by shard, each in "
    "file order).",
    true,
    false,
    StoreOrder};
const OptionSpec kNumeric = {
    "numeric",
    "--numeric",
    "Compare the values of floating-point tensors (BF16, F16, F8, F32, F64) "
    "that differ, in bytes or in dtype, after converting both to double: "
    "each such line gets max_abs=, max_rel= and over=K/N, the values outside "
    "the tolerance. The exit status is then 0 only when every tensor is in "
    "both, of one shape, and identical or within the tolerance (metadata "
    "differences do not count).",
    false,
    false,
    StoreNumeric};
const OptionSpec kAtol = {
    "atol",
    "--atol=X",
    "The absolute tolerance (default 0); implies --numeric. A value is "
    "within it when |a - b| <= atol + rtol * |b|, as numpy.isclose has it; "
    "NaN equals NaN.",
    true,
    false,
    StoreAtol};
const OptionSpec kRtol = {
    "rtol",
    "--rtol=X",
    "The relative tolerance (default 0); implies --numeric.",
    true,
    false,
    StoreRtol};

const OptionSpec kTo = {
    "to",
    "--to=DTYPE",
    "The dtype to write the converted tensors in: BF16, F16, F32, F64 or an "
    "F8 type (F8_E4M3, F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0); any "
    "case, or torch's name (bfloat16, float16, half, float32, float8_e4m3fn, "
    "...). Required.",
    true,
    false,
    StoreTo};
const OptionSpec kAllowIntegers = {
    "allow-integers",
    "--allow-integers",
    "Convert the selected integer and BOOL tensors too (as torch's "
    "Tensor.to does; model.to leaves them alone, and so does convert by "
    "default). Through float: integers round beyond the type's mantissa, "
    "above 2^24 in F32, 256 in BF16, 2048 in F16 (2^53 in F64).",
    false,
    false,
    StoreAllowIntegers};
const OptionSpec kRecord = {
    "record",
    "--record",
    "Record the conversion in OUT's metadata: the key safetensors.convert, "
    "e.g. \"F32->BF16\", appended after '; ' to a value already there.",
    false,
    false,
    StoreRecord};

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

NameFilter::NameFilter() = default;
NameFilter::~NameFilter() = default;
NameFilter::NameFilter(NameFilter&&) noexcept = default;
NameFilter& NameFilter::operator=(NameFilter&&) noexcept = default;

std::string NameFilter::Compile(const Args& args) {
  select_.clear();
  exclude_.clear();
  RE2::Options options;
  options.set_log_errors(false);
  for (const auto& [patterns, into, option] :
       {std::make_tuple(&args.select, &select_, "--select"),
        std::make_tuple(&args.exclude, &exclude_, "--exclude")}) {
    for (const std::string& text : *patterns) {
      auto re = std::make_unique<RE2>(text, options);
      if (!re->ok()) {
        return absl::StrCat("bad ", option, " pattern '", text,
                            "': ", re->error());
      }
      into->push_back(std::move(re));
    }
  }
  return "";
}

namespace {

bool AnyFullMatch(const std::vector<std::unique_ptr<RE2>>& patterns,
                  absl::string_view name) {
  for (const std::unique_ptr<RE2>& re : patterns) {
    if (RE2::FullMatch(re2::StringPiece(name.data(), name.size()), *re)) {
      return true;
    }
  }
  return false;
}

// A pattern that matches where `pattern` occurs inside a name: with grep's
// habit of writing '.' for a literal dot, those dots escaped when nothing
// else in it is special ("layers.0" -> ".*layers\.0.*").
std::string InsidePattern(const std::string& pattern) {
  bool only_dots = true;
  for (char c : pattern) {
    if (c != '.' && !absl::ascii_isalnum(c) && c != '_' && c != '-') {
      only_dots = false;
    }
  }
  if (only_dots) {
    return absl::StrCat(".*", absl::StrReplaceAll(pattern, {{".", "\\."}}),
                        ".*");
  }
  return absl::StrCat(".*(", pattern, ").*");
}

}  // namespace

bool NameFilter::Keeps(absl::string_view name) const {
  if (!select_.empty() && !AnyFullMatch(select_, name)) return false;
  return !AnyFullMatch(exclude_, name);
}

std::string NameFilter::NothingKept(
    const std::vector<absl::string_view>& names) const {
  std::vector<std::string> asked;
  for (const std::unique_ptr<RE2>& re : select_) {
    asked.push_back(absl::StrCat("--select='", re->pattern(), "'"));
  }
  for (const std::unique_ptr<RE2>& re : exclude_) {
    asked.push_back(absl::StrCat("--exclude='", re->pattern(), "'"));
  }
  std::string message =
      absl::StrCat("no tensor is kept by ", absl::StrJoin(asked, " "), " (of ",
                   names.size(), names.size() == 1 ? " tensor)" : " tensors)");
  if (names.empty() || select_.empty()) return message;
  // Patterns match whole names. Would matching inside them keep some?
  NameFilter inside;
  RE2::Options options;
  options.set_log_errors(false);
  std::vector<std::string> suggested;
  for (const std::unique_ptr<RE2>& re : select_) {
    suggested.push_back(InsidePattern(re->pattern()));
    inside.select_.push_back(std::make_unique<RE2>(suggested.back(), options));
    if (!inside.select_.back()->ok()) return message;
  }
  for (const std::unique_ptr<RE2>& re : exclude_) {
    inside.exclude_.push_back(std::make_unique<RE2>(re->pattern(), options));
  }
  size_t kept = 0;
  for (absl::string_view name : names) kept += inside.Keeps(name) ? 1 : 0;
  if (kept == 0) return message;
  absl::StrAppend(&message, "; patterns match whole names: --select='",
                  absl::StrJoin(suggested, "' --select='"), "' keeps ", kept);
  return message;
}

}  // namespace tool
}  // namespace safetensors
