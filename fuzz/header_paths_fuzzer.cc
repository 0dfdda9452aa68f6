// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The header parser's compact-entry fast path against its general path
// (safetensors/internal/compact_entry.h), over any bytes taken as a file. In
// both profiles the header is parsed with the fast path allowed and with it
// off on this thread, and the results must be identical: accepted or not,
// status code, error kind, message and payloads, and for an accepted header
// every entry in order (name, dtype, shape, offsets), the lookups, the
// metadata, header_size and data_size (HeaderResultDifference, shared with
// safetensors/header_paths_test.cc). SafeTensors::Parse over the whole file
// must give the same status and the same canonical dump either way.
//
// The header is the file's own when the length rules let it through; when N
// is not exactly the rest of the file, the rest is parsed as a header too
// (file size 8 + rest), so that mutations which insert or erase bytes still
// reach the entry parser.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "fuzz/fuzz_util.h"
#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/internal/compact_entry.h"
#include "safetensors/internal/header_for_testing.h"
#include "safetensors/reader.h"
#include "safetensors/status.h"

namespace safetensors {
namespace fuzz {
namespace {

using internal::HeaderResultDifference;
using internal::ParseHeaderForTesting;

void CompareHeader(absl::string_view text, uint64_t file_size,
                   const ReadOptions& options) {
  const absl::StatusOr<Header> fast =
      ParseHeaderForTesting(text, file_size, options, true);
  const absl::StatusOr<Header> general =
      ParseHeaderForTesting(text, file_size, options, false);
  const std::string difference = HeaderResultDifference(fast, general);
  if (!difference.empty()) {
    std::fprintf(stderr, "fast and general paths differ: %s\n",
                 difference.c_str());
  }
  FUZZ_CHECK(difference.empty());
  if (!fast.ok()) FUZZ_CHECK(ErrorKindOf(fast.status()).has_value());
}

std::string FileResult(absl::string_view bytes, const ReadOptions& options,
                       bool allow_fast_path) {
  internal::ScopedCompactEntryFastPath scope(allow_fast_path);
  const absl::StatusOr<SafeTensors> file = SafeTensors::Parse(bytes, options);
  if (!file.ok()) return file.status().ToString();
  return Dump(*file);
}

}  // namespace
}  // namespace fuzz
}  // namespace safetensors

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace safetensors;        // NOLINT
  using namespace safetensors::fuzz;  // NOLINT
  if (size > (1 << 20)) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (Profile profile : {Profile::kStrict, Profile::kReference}) {
    ReadOptions options;
    options.profile = profile;
    const absl::StatusOr<uint64_t> n =
        ReadHeaderSize(absl::MakeConstSpan(data, size), size, options);
    if (n.ok()) CompareHeader(bytes.substr(8, *n), size, options);
    if (size >= 8 && (!n.ok() || *n != size - 8)) {
      CompareHeader(bytes.substr(8), size, options);
    }
    FUZZ_CHECK(FileResult(bytes, options, true) ==
               FileResult(bytes, options, false));
  }
  return 0;
}
