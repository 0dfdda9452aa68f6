// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/commands.h"

#include "absl/strings/str_cat.h"

#include "safetensors/version.h"
#include "tools/help_text.h"
#include "tools/output.h"

namespace safetensors {
namespace tool {

const std::vector<Command>& Commands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
      {"inspect",
       kInspectSummary,
       kInspectUsage,
       {kJson, kSelect, kExclude, kProfile},
       RunInspect},
      {"header", kHeaderSummary, kHeaderUsage, {kProfile}, RunHeader},
      {"dump", kDumpSummary, kDumpUsage, {kProfile}, RunDump},
      {"validate", kValidateSummary, kValidateUsage, {kProfile}, RunValidate},
      {"diff",
       kDiffSummary,
       kDiffUsage,
       {kNumeric, kAtol, kRtol, kJson, kProfile},
       RunDiff},
      {"extract",
       kExtractSummary,
       kExtractUsage,
       {kSelect, kExclude, kMetadata, kDropMetadata, kProfile},
       RunExtract},
      {"convert",
       kConvertSummary,
       kConvertUsage,
       {kTo, kSelect, kExclude, kAllowIntegers, kRecord, kProfile},
       RunConvert},
      {"shard",
       kShardSummary,
       kShardUsage,
       {kMaxSize, kPrefix, kOrder, kForce, kProfile},
       RunShard},
      {"merge", kMergeSummary, kMergeUsage, {kProfile}, RunMerge},
      {"create", kCreateSummary, kCreateUsage, {}, RunCreate},
      {"version", kVersionSummary, kVersionUsage, {}, RunVersion},
  };
  return *commands;
}

const Command* FindCommand(absl::string_view name) {
  for (const Command& command : Commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

int RunVersion(const Args& args) {
  if (!args.files.empty()) {
    return UsageError("version", "takes no arguments");
  }
  return PrintAll(
      absl::StrCat(kProgram, " ", SAFETENSORS_VERSION_STRING, "\n"));
}

}  // namespace tool
}  // namespace safetensors
