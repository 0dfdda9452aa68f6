// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// This project's side of the differential campaign (fuzz/README.md,
// "Differential campaign"): a conformance adapter (docs/conformance.md) that
// reads in-process with SafeTensors::Parse and prints the canonical dump of
// docs/specification.md §15, exactly as `safetensors dump --profile=P FILE`.
//
//   batch_dump --profile=strict|reference FILE    one file, the contract
//   batch_dump --profile=strict|reference --batch one path per stdin line;
//       each answered with the per-file output, then "end\t<EXIT>\n"
//
// The batch form is the optional extension of the contract documented in
// fuzz/README.md: a million mutants then cost no million process starts.

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "absl/status/statusor.h"

#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"

namespace safetensors {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;

// The contract's answer for the file at `path`: stdout text and exit status.
int Answer(const std::string& path, const ReadOptions& options,
           std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return kExitUsage;
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  absl::StatusOr<SafeTensors> st =
      SafeTensors::Parse(absl::string_view(bytes), options);
  if (!st.ok()) {
    *out = DumpRejection(st.status());
    return kExitRejected;
  }
  *out = Dump(*st);
  return kExitOk;
}

int Main(int argc, char** argv) {
  ReadOptions options;
  bool have_profile = false;
  bool batch = false;
  const char* file = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--profile=strict") == 0) {
      options.profile = Profile::kStrict;
      have_profile = true;
    } else if (std::strcmp(argv[i], "--profile=reference") == 0) {
      options.profile = Profile::kReference;
      have_profile = true;
    } else if (std::strcmp(argv[i], "--batch") == 0) {
      batch = true;
    } else if (file == nullptr && argv[i][0] != '-') {
      file = argv[i];
    } else {
      file = nullptr;
      batch = false;
      break;
    }
  }
  if (!have_profile || batch == (file != nullptr)) {
    std::fputs(
        "usage: batch_dump --profile=strict|reference FILE\n"
        "       batch_dump --profile=strict|reference --batch  (paths on "
        "stdin)\n",
        stderr);
    return kExitUsage;
  }
  std::string out;
  if (!batch) {
    const int code = Answer(file, options, &out);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::fflush(stdout) == 0 ? code : kExitUsage;
  }
  std::string path;
  while (std::getline(std::cin, path)) {
    out.clear();
    const int code = Answer(path, options, &out);
    out += "end\t";
    out += std::to_string(code);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (std::fflush(stdout) != 0) return kExitUsage;
  }
  return kExitOk;
}

}  // namespace
}  // namespace safetensors

int main(int argc, char** argv) { return safetensors::Main(argc, argv); }
