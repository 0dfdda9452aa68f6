// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Reader -> writer -> reader. Whatever parses (in either profile) is written
// again with Serialize (bytes taken as little-endian, as read from the file,
// so the test means the same on any host); the result must parse in the
// strict profile to the same tensors, metadata and bytes (the canonical dump
// without the layout: header_len and data offsets change, the writer orders
// tensors its own way), and writing that a second time gives identical bytes.
// One bool from the input picks the alignment, 8 (the reference's bytes) or
// a larger power of two.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

#include "fuzz/checks.h"
#include "fuzz/fuzz_util.h"
#include "safetensors/dump.h"
#include "safetensors/reader.h"
#include "safetensors/status.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace fuzz {
namespace {

// The dump without header_len and without each tensor's START and END.
std::string Content(const SafeTensors& file) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(Dump(file), '\n')) {
    if (absl::StartsWith(line, "header_len\t")) continue;
    if (absl::StartsWith(line, "tensor\t")) {
      std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
      FUZZ_CHECK(f.size() == 7);
      out.append(absl::StrCat(f[0], "\t", f[1], "\t", f[2], "\t", f[3], "\t",
                              f[6], "\n"));
      continue;
    }
    out.append(line.data(), line.size());
    out.push_back('\n');
  }
  return out;
}

absl::StatusOr<std::string> Rewrite(const SafeTensors& file,
                                    uint64_t alignment) {
  std::vector<TensorRef> refs;
  for (const TensorView& v : file.Tensors()) {
    refs.push_back({v.name(), v.dtype(), v.shape(), v.data()});
  }
  WriteOptions options;
  options.alignment = alignment;
  options.data_order = ByteOrder::kLittleEndian;
  return Serialize(refs, file.metadata(), options);
}

}  // namespace
}  // namespace fuzz
}  // namespace safetensors

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace safetensors;        // NOLINT
  using namespace safetensors::fuzz;  // NOLINT
  if (size < 1 || size > (1 << 20)) return 0;
  // The last byte picks the alignment, so a conformance vector is a valid
  // input as it is (its last byte is data or header padding).
  const uint64_t alignment = data[size - 1] & 1 ? 64 : 8;
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (Profile profile : {Profile::kStrict, Profile::kReference}) {
    ReadOptions options;
    options.profile = profile;
    absl::StatusOr<SafeTensors> file = SafeTensors::Parse(bytes, options);
    if (!file.ok()) {
      FUZZ_CHECK(ErrorKindOf(file.status()).has_value());
      continue;
    }
    absl::StatusOr<std::string> once = Rewrite(*file, alignment);
    FUZZ_CHECK(once.ok());
    absl::StatusOr<SafeTensors> again = SafeTensors::Parse(*once);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(Content(*again) == Content(*file));
    FUZZ_CHECK((8 + again->header().header_size()) % alignment == 0);
    absl::StatusOr<std::string> twice = Rewrite(*again, alignment);
    FUZZ_CHECK(twice.ok());
    FUZZ_CHECK(*twice == *once);
  }
  return 0;
}
