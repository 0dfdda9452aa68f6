// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Writer -> reader over random writer specs. The input (ByteReader,
// fuzz/fuzz_util.h; seeds from make_corpus.py --kind=writer) gives the
// options (alignment, valid or not; byte order; tensor order; which of the
// writers to a path run), optional
// metadata, and 0..8 tensors: a name (fragments with quotes, backslashes,
// control bytes, NUL, non-ASCII, invalid UTF-8, "__metadata__"; raw bytes; a
// copy of an earlier name; a long repetition), any of the 22 dtypes, a shape
// (small dimensions, or any 64-bit value after a 0xF0+ tag), its own byte
// order or none, and its data: the right length, one byte more or less, or
// none. A model written here from docs/specification.md §8 and §13 (its own
// dtype table, UTF-8 check, sizes in 128-bit arithmetic, JSON escaping,
// order and padding) decides what the writer must do:
//
//  * WritePlan::Create (no data) and CreateForData, Serialize, WriteFile,
//    WriteFileStreaming and StreamWriter accept exactly when the model does,
//    otherwise fail with the model's kind (or kInvalidArgument without a
//    kind for bad UTF-8 and alignments), all with the same status;
//  * accepted, the bytes are the model's, byte for byte (prefix, order,
//    offsets, padding, data made little-endian per the data order), the
//    plan's prefix and file size are the model's, and 8 + N is a multiple
//    of the alignment;
//  * the writers to a path (one or all three per input) leave exactly those
//    bytes there, and on failure nothing at all in the directory (no
//    temporaries);
//  * the bytes parse in the strict profile (and the reference one, with the
//    same dump) to the spec's tensors (names, dtypes, shapes, bytes) and
//    metadata; written again from what was read, they are identical.
//
// Nothing depends on the host's byte order: the model swaps for kHost only
// when the host is big-endian, as the writer must.

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "fuzz/fuzz_util.h"
#include "safetensors/dtype.h"
#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"
#include "safetensors/status.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace fuzz {
namespace {

// docs/specification.md §8, in rank order (the numeric value of Dtype).
struct DtypeRow {
  const char* name;
  int bits;
  int swap_unit;
};
constexpr DtypeRow kDtypes[22] = {
    {"BOOL", 8, 1},        {"F4", 4, 1},          {"F6_E2M3", 6, 1},
    {"F6_E3M2", 6, 1},     {"U8", 8, 1},          {"I8", 8, 1},
    {"F8_E5M2", 8, 1},     {"F8_E4M3", 8, 1},     {"F8_E8M0", 8, 1},
    {"F8_E4M3FNUZ", 8, 1}, {"F8_E5M2FNUZ", 8, 1}, {"I16", 16, 2},
    {"U16", 16, 2},        {"F16", 16, 2},        {"BF16", 16, 2},
    {"I32", 32, 4},        {"U32", 32, 4},        {"F32", 32, 4},
    {"C64", 64, 4},        {"F64", 64, 8},        {"I64", 64, 8},
    {"U64", 64, 8},
};

bool HostIsBigEndian() {
  const uint16_t one = 1;
  uint8_t first;
  std::memcpy(&first, &one, 1);
  return first == 0;
}

// Well-formed UTF-8 (RFC 3629): no overlongs, surrogates or values past
// U+10FFFF.
bool ValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = s[i];
    int n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= static_cast<size_t>(n)) return false;
    for (int k = 1; k <= n; ++k) {
      const uint8_t d = s[i + k];
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// §13.2 rule 4.
void AppendJsonString(absl::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char ch : s) {
    const uint8_t c = ch;
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case 0x08:
        *out += "\\b";
        break;
      case 0x0C:
        *out += "\\f";
        break;
      case 0x0A:
        *out += "\\n";
        break;
      case 0x0D:
        *out += "\\r";
        break;
      case 0x09:
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

bool ByteLess(const std::string& a, const std::string& b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  return c < 0 || (c == 0 && a.size() < b.size());
}

struct SpecTensor {
  std::string name;
  int dtype;  // rank
  std::vector<uint64_t> shape;
  std::optional<ByteOrder> order;
  std::string data;
};

struct Spec {
  WriteOptions options;
  std::optional<MetadataMap> metadata;
  std::vector<SpecTensor> tensors;
  size_t chunk = 0;  // StreamWriter chunk size; 0: whole tensors
  int writers = 0;   // which writers to a path run (bits below)
};

constexpr int kWriteFile = 1, kWriteFileStreaming = 2, kStreamWriter = 4;
// Flag bits 6-7: one of them, or all three.
constexpr int kWriters[4] = {kWriteFile, kWriteFileStreaming, kStreamWriter,
                             kWriteFile | kWriteFileStreaming | kStreamWriter};

// What the writer must do with a spec (§13.1), and the bytes (§13.2).
struct Expected {
  bool ok = false;
  absl::StatusCode code = absl::StatusCode::kOk;
  std::optional<ErrorKind> kind;
  std::string prefix;             // 8-byte N and the padded header
  std::vector<size_t> order;      // input indices in write order
  std::vector<uint64_t> offsets;  // begin of each, in write order
  uint64_t data_size = 0;
};

Expected Fail(std::optional<ErrorKind> kind) {
  Expected e;
  e.code = kind.has_value() ? CanonicalCode(*kind)
                            : absl::StatusCode::kInvalidArgument;
  e.kind = kind;
  return e;
}

// The byte size from dtype and shape (§8), or the error's kind.
std::optional<ErrorKind> ByteSize(const SpecTensor& t, uint64_t* size) {
  unsigned __int128 elements = 1;
  for (uint64_t d : t.shape) {
    elements *= d;
    if (elements > UINT64_MAX) return ErrorKind::kValidationOverflow;
  }
  const unsigned __int128 bits = elements * kDtypes[t.dtype].bits;
  if (bits > UINT64_MAX) return ErrorKind::kValidationOverflow;
  if (bits % 8 != 0) return ErrorKind::kMisalignedSlice;
  *size = static_cast<uint64_t>(bits / 8);
  return std::nullopt;
}

Expected Model(const Spec& spec, bool with_data) {
  const uint64_t align = spec.options.alignment;
  if (align < 8 || align > 65536 || (align & (align - 1)) != 0) {
    return Fail(std::nullopt);
  }
  for (size_t i = 0; i < spec.tensors.size(); ++i) {
    const std::string& name = spec.tensors[i].name;
    if (!ValidUtf8(name)) return Fail(std::nullopt);
    if (name == "__metadata__") {
      return Fail(ErrorKind::kInvalidHeaderDeserialization);
    }
    for (size_t j = 0; j < i; ++j) {
      if (spec.tensors[j].name == name) {
        return Fail(ErrorKind::kInvalidHeaderDeserialization);
      }
    }
  }
  if (spec.metadata.has_value()) {
    for (const auto& [k, v] : *spec.metadata) {
      if (!ValidUtf8(k) || !ValidUtf8(v)) return Fail(std::nullopt);
    }
  }
  Expected e;
  for (size_t i = 0; i < spec.tensors.size(); ++i) e.order.push_back(i);
  if (spec.options.tensor_order == TensorOrder::kReference) {
    std::sort(e.order.begin(), e.order.end(), [&](size_t a, size_t b) {
      const SpecTensor& x = spec.tensors[a];
      const SpecTensor& y = spec.tensors[b];
      if (x.dtype != y.dtype) return x.dtype > y.dtype;
      return ByteLess(x.name, y.name);
    });
  }
  unsigned __int128 offset = 0;
  std::vector<uint64_t> ends;
  for (size_t i : e.order) {
    const SpecTensor& t = spec.tensors[i];
    uint64_t size = 0;
    if (const std::optional<ErrorKind> kind = ByteSize(t, &size)) {
      return Fail(kind);
    }
    if (with_data && t.data.size() != size) {
      return Fail(ErrorKind::kTensorInvalidInfo);
    }
    e.offsets.push_back(static_cast<uint64_t>(offset));
    offset += size;
    if (offset > UINT64_MAX) return Fail(ErrorKind::kValidationOverflow);
    ends.push_back(static_cast<uint64_t>(offset));
  }
  e.data_size = static_cast<uint64_t>(offset);
  std::string json = "{";
  bool first = true;
  if (spec.metadata.has_value()) {
    json += "\"__metadata__\":{";
    bool first_key = true;
    for (const auto& [k, v] : *spec.metadata) {  // std::string: byte order
      if (!first_key) json += ',';
      first_key = false;
      AppendJsonString(k, &json);
      json += ':';
      AppendJsonString(v, &json);
    }
    json += '}';
    first = false;
  }
  for (size_t w = 0; w < e.order.size(); ++w) {
    const SpecTensor& t = spec.tensors[e.order[w]];
    if (!first) json += ',';
    first = false;
    AppendJsonString(t.name, &json);
    absl::StrAppend(&json, ":{\"dtype\":\"", kDtypes[t.dtype].name,
                    "\",\"shape\":[");
    for (size_t d = 0; d < t.shape.size(); ++d) {
      if (d > 0) json += ',';
      absl::StrAppend(&json, t.shape[d]);
    }
    absl::StrAppend(&json, "],\"data_offsets\":[", e.offsets[w], ",", ends[w],
                    "]}");
  }
  json += '}';
  const uint64_t padded = (8 + json.size() + align - 1) / align * align;
  const uint64_t n = padded - 8;
  if (n > kMaxHeaderSize) return Fail(ErrorKind::kHeaderTooLarge);
  if (static_cast<unsigned __int128>(padded) + offset > UINT64_MAX) {
    return Fail(ErrorKind::kValidationOverflow);
  }
  json.resize(n, ' ');
  for (int i = 0; i < 8; ++i) e.prefix.push_back(static_cast<char>(n >> 8 * i));
  e.prefix += json;
  e.ok = true;
  e.code = absl::StatusCode::kOk;
  return e;
}

// A tensor's bytes as the file holds them (little-endian).
std::string FileBytes(const Spec& spec, const SpecTensor& t) {
  std::string out = t.data;
  const ByteOrder order = t.order.value_or(spec.options.data_order);
  const int unit = kDtypes[t.dtype].swap_unit;
  if (order == ByteOrder::kHost && HostIsBigEndian() && unit > 1) {
    for (size_t i = 0; i + unit <= out.size(); i += unit) {
      std::reverse(out.begin() + i, out.begin() + i + unit);
    }
  }
  return out;
}

void CheckStatus(const absl::Status& s, const Expected& e) {
  if (e.ok != s.ok()) {
    std::fprintf(stderr, "writer: %s, model: %s\n", s.ToString().c_str(),
                 e.ok ? "accept"
                      : (e.kind ? std::string(ErrorKindName(*e.kind)).c_str()
                                : "error without a kind"));
  }
  FUZZ_CHECK(s.ok() == e.ok);
  if (s.ok()) return;
  FUZZ_CHECK(s.code() == e.code);
  FUZZ_CHECK(ErrorKindOf(s) == e.kind);
}

bool SameStatus(const absl::Status& a, const absl::Status& b) {
  return a.code() == b.code() && ErrorKindOf(a) == ErrorKindOf(b) &&
         a.message() == b.message();
}

// The fragments names and metadata strings are made of.
const absl::string_view kFragments[] = {
    "a",
    "b",
    "B",
    "layer.",
    "10",
    "9",
    ".",
    "\"",
    "\\",
    "/",
    "\b",
    "\f",
    "\n",
    "\r",
    "\t",
    absl::string_view("\0", 1),
    "\x01",
    "\x1f",
    "\x7f",
    " ",
    "\xc3\xa9",          // é
    "\xe2\x80\xa8",      // U+2028
    "\xf0\x9f\x98\x80",  // U+1F600
    "\xef\xbf\xbf",      // U+FFFF
    "\xf4\x8f\xbf\xbf",  // U+10FFFF
    "__metadata__",
    "\\u0000",
    "\xff",              // invalid from here on
    "\xed\xa0\x80",      // a surrogate
    "\xc0\xaf",          // overlong
    "\xe2\x82",          // truncated
    "\xf4\x90\x80\x80",  // past U+10FFFF
};
constexpr size_t kNumFragments = sizeof(kFragments) / sizeof(kFragments[0]);
constexpr size_t kValidFragments = kNumFragments - 5;

std::string Text(ByteReader& in, const std::vector<std::string>& earlier) {
  const uint8_t mode = in.Byte();
  std::string out;
  switch (mode % 8) {
    case 5: {  // raw bytes
      const size_t n = in.Byte() % 24;
      for (size_t i = 0; i < n; ++i)
        out.push_back(static_cast<char>(in.Byte()));
      return out;
    }
    case 6:  // an earlier name
      if (!earlier.empty()) return earlier[in.Byte() % earlier.size()];
      return out;
    case 7: {  // long: one valid fragment, many times
      const absl::string_view f = kFragments[in.Byte() % kValidFragments];
      const size_t times = 64 + size_t{in.Byte()} * 8;
      for (size_t i = 0; i < times; ++i) out.append(f.data(), f.size());
      return out;
    }
    default: {  // fragments
      const size_t n = in.Byte() % 6;
      for (size_t i = 0; i < n; ++i) {
        const uint8_t b = in.Byte();
        // Mostly valid ones: invalid UTF-8 ends the write early.
        const absl::string_view f =
            kFragments[b < 0xF8 ? b % kValidFragments
                                : kValidFragments + b % 5];
        out.append(f.data(), f.size());
      }
      return out;
    }
  }
}

constexpr uint64_t kAlignments[] = {8, 8, 8, 16, 64, 4096, 65536, 0};
constexpr uint64_t kBadAlignments[] = {
    0, 1, 4, 12, 24, 131072, uint64_t{1} << 63, UINT64_MAX};
// Tensors bigger than this get the wrong length (a few bytes).
constexpr uint64_t kMaxTensorBytes = 1 << 14;

Spec Decode(ByteReader& in) {
  Spec spec;
  const uint8_t flags = in.Byte();
  spec.options.alignment = kAlignments[flags & 7];
  if (spec.options.alignment == 0) {
    spec.options.alignment = kBadAlignments[in.Byte() % 8];
  }
  spec.options.data_order =
      flags & 8 ? ByteOrder::kLittleEndian : ByteOrder::kHost;
  spec.options.tensor_order =
      flags & 16 ? TensorOrder::kDeclared : TensorOrder::kReference;
  spec.writers = kWriters[flags >> 6];
  const uint8_t chunk = in.Byte();
  spec.chunk = chunk >= 0xF0 ? 0 : 1 + chunk % 13;
  if (flags & 32) {
    spec.metadata.emplace();
    const size_t n = in.Byte() % 5;
    for (size_t i = 0; i < n; ++i) {
      std::string key = Text(in, {});
      (*spec.metadata)[key] = Text(in, {});  // a repeated key: the last
    }
  }
  const size_t count = in.Byte() % 9;
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) {
    SpecTensor t;
    t.name = Text(in, names);
    names.push_back(t.name);
    t.dtype = in.Byte() % 22;
    t.shape.resize(in.Byte() % 5);
    for (uint64_t& d : t.shape) d = in.SmallOrBig(6);
    const uint8_t data = in.Byte();
    static constexpr std::optional<ByteOrder> kOrders[] = {
        std::nullopt, std::nullopt, ByteOrder::kHost, ByteOrder::kLittleEndian};
    t.order = kOrders[data & 3];
    uint64_t size = 0;
    uint64_t length;
    if (!ByteSize(t, &size).has_value() && size <= kMaxTensorBytes) {
      switch ((data >> 2) & 7) {
        case 5:
          length = size + 1;
          break;
        case 6:
          length = size > 0 ? size - 1 : 2;
          break;
        case 7:
          length = size > 0 ? 0 : 1;
          break;
        default:
          length = size;
      }
    } else {
      length = data >> 5;
    }
    const uint8_t seed = in.Byte();
    t.data.resize(length);
    for (uint64_t k = 0; k < length; ++k) {
      t.data[k] = static_cast<char>(seed + k * 131 + (k >> 8) * 7 + i * 29);
    }
    spec.tensors.push_back(std::move(t));
  }
  return spec;
}

absl::Span<const uint8_t> Bytes(absl::string_view s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

// A directory of this process's own, emptied between inputs.
const std::string& Dir() {
  static const std::string* dir = [] {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string templ =
        absl::StrCat(base != nullptr ? base : "/tmp", "/writer_spec.XXXXXX");
    FUZZ_CHECK(mkdtemp(&templ[0]) != nullptr);
    std::atexit([] {
      unlink(absl::StrCat(Dir(), "/out.safetensors").c_str());
      rmdir(Dir().c_str());
    });
    return new std::string(templ);
  }();
  return *dir;
}

std::vector<std::string> DirEntries() {
  std::vector<std::string> out;
  DIR* d = opendir(Dir().c_str());
  FUZZ_CHECK(d != nullptr);
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") out.push_back(name);
  }
  closedir(d);
  return out;
}

// After a write to `path` that returned `status`: exactly `expected` there,
// and nothing else in the directory; after a failure nothing at all.
void CheckWritten(const std::string& path, const absl::Status& status,
                  const std::string& expected) {
  const std::vector<std::string> entries = DirEntries();
  if (!status.ok()) {
    FUZZ_CHECK(entries.empty());
    return;
  }
  FUZZ_CHECK(entries.size() == 1 && entries[0] == "out.safetensors");
  std::ifstream f(path, std::ios::binary);
  const std::string got((std::istreambuf_iterator<char>(f)),
                        std::istreambuf_iterator<char>());
  FUZZ_CHECK(got == expected);
  FUZZ_CHECK(unlink(path.c_str()) == 0);
}

// StreamWriter: open from the declarations, append each tensor's bytes in
// chunks in the plan's order, finish. The first error, or OK.
absl::Status Stream(const Spec& spec, const std::vector<TensorDesc>& descs,
                    const std::string& path, const Expected& plan_model) {
  absl::StatusOr<std::unique_ptr<StreamWriter>> w =
      StreamWriter::Open(path, descs, spec.metadata, spec.options);
  CheckStatus(w.status(), plan_model);
  if (!w.ok()) return w.status();
  for (const WritePlan::Entry& e : (*w)->plan().entries()) {
    const absl::string_view data = spec.tensors[e.input_index].data;
    const size_t step = spec.chunk == 0 ? data.size() : spec.chunk;
    for (size_t at = 0; at < data.size(); at += step) {
      const absl::Status s = (*w)->Append(e.name, Bytes(data.substr(at, step)));
      if (!s.ok()) return s;
    }
  }
  return (*w)->Finish();
}

}  // namespace
}  // namespace fuzz
}  // namespace safetensors

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace safetensors;        // NOLINT
  using namespace safetensors::fuzz;  // NOLINT
  if (size > 8192) return 0;
  ByteReader in(data, size);
  const Spec spec = Decode(in);

  std::vector<TensorRef> refs;
  for (const SpecTensor& t : spec.tensors) {
    refs.emplace_back(t.name, static_cast<Dtype>(t.dtype), Shape(t.shape),
                      Bytes(t.data), t.order);
  }
  const std::vector<TensorDesc> descs = Describe(refs);

  // The plan from declarations alone, and with the data's lengths.
  const Expected plan_model = Model(spec, /*with_data=*/false);
  const absl::StatusOr<WritePlan> plan =
      WritePlan::Create(descs, spec.metadata, spec.options);
  CheckStatus(plan.status(), plan_model);
  if (plan.ok()) {
    FUZZ_CHECK(plan->prefix() == plan_model.prefix);
    FUZZ_CHECK(plan->file_size() ==
               plan_model.prefix.size() + plan_model.data_size);
    FUZZ_CHECK(plan->entries().size() == plan_model.order.size());
    for (size_t w = 0; w < plan_model.order.size(); ++w) {
      FUZZ_CHECK(plan->entries()[w].input_index == plan_model.order[w]);
      FUZZ_CHECK(plan->entries()[w].begin == plan_model.offsets[w]);
    }
  }
  const Expected model = Model(spec, /*with_data=*/true);
  const absl::StatusOr<WritePlan> data_plan =
      WritePlan::CreateForData(refs, spec.metadata, spec.options);
  CheckStatus(data_plan.status(), model);

  // Serialize: the model's bytes.
  const absl::StatusOr<std::string> bytes =
      Serialize(refs, spec.metadata, spec.options);
  CheckStatus(bytes.status(), model);
  FUZZ_CHECK(SameStatus(bytes.status(), data_plan.status()));
  std::string expected;
  if (model.ok) {
    expected = model.prefix;
    for (size_t i : model.order) {
      expected += FileBytes(spec, spec.tensors[i]);
    }
    FUZZ_CHECK(*bytes == expected);
    FUZZ_CHECK(data_plan->prefix() == model.prefix);
  }

  // The writers to a path: the same status, the same bytes, no leftovers.
  // (The input picks which: files cost more than everything else here.)
  const std::string path = absl::StrCat(Dir(), "/out.safetensors");
  if (spec.writers & kWriteFile) {
    const absl::Status written =
        WriteFile(path, refs, spec.metadata, spec.options);
    FUZZ_CHECK(SameStatus(written, bytes.status()));
    CheckWritten(path, written, expected);
  }
  if (spec.writers & kWriteFileStreaming) {
    const absl::StatusOr<uint64_t> streamed =
        WriteFileStreaming(path, refs, spec.metadata, spec.options);
    FUZZ_CHECK(SameStatus(streamed.status(), bytes.status()));
    if (streamed.ok()) FUZZ_CHECK(*streamed == expected.size());
    CheckWritten(path, streamed.status(), expected);
  }
  if (spec.writers & kStreamWriter) {
    const absl::Status stream = Stream(spec, descs, path, plan_model);
    FUZZ_CHECK(stream.ok() == model.ok);
    if (!stream.ok() && plan_model.ok) {
      // Only the data can be wrong: too much for a tensor, too little before
      // the next one's name or at Finish.
      FUZZ_CHECK(ErrorKindOf(stream) == ErrorKind::kTensorInvalidInfo ||
                 (stream.code() == absl::StatusCode::kInvalidArgument &&
                  !ErrorKindOf(stream).has_value()));
    }
    CheckWritten(path, stream, expected);
  }
  if (!model.ok) return 0;

  // Read back (strict): the spec's tensors and metadata.
  absl::StatusOr<SafeTensors> file = SafeTensors::Parse(*bytes);
  FUZZ_CHECK(file.ok());
  FUZZ_CHECK(file->header().header_size() % 8 == 0);
  FUZZ_CHECK((8 + file->header().header_size()) % spec.options.alignment == 0);
  FUZZ_CHECK(file->size() == spec.tensors.size());
  FUZZ_CHECK(file->metadata() == spec.metadata);
  for (size_t w = 0; w < model.order.size(); ++w) {
    const SpecTensor& t = spec.tensors[model.order[w]];
    const TensorView at = file->at(w);  // offset order is write order
    FUZZ_CHECK(at.name() == t.name);
    absl::StatusOr<TensorView> v = file->Tensor(t.name);
    FUZZ_CHECK(v.ok());
    FUZZ_CHECK(v->data().data() == at.data().data());
    FUZZ_CHECK(DtypeName(v->dtype()) == kDtypes[t.dtype].name);
    FUZZ_CHECK(std::equal(v->shape().begin(), v->shape().end(), t.shape.begin(),
                          t.shape.end()));
    const std::string got(reinterpret_cast<const char*>(v->data().data()),
                          v->data().size());
    FUZZ_CHECK(got == FileBytes(spec, t));
  }
  ReadOptions reference;
  reference.profile = Profile::kReference;
  absl::StatusOr<SafeTensors> lenient = SafeTensors::Parse(*bytes, reference);
  FUZZ_CHECK(lenient.ok());
  FUZZ_CHECK(Dump(*lenient) == Dump(*file));

  // What was read, written again (little-endian, as read): the same bytes.
  std::vector<TensorRef> again;
  for (const TensorView& v : file->Tensors()) again.emplace_back(v);
  const absl::StatusOr<std::string> twice =
      Serialize(again, file->metadata(), spec.options);
  FUZZ_CHECK(twice.ok());
  FUZZ_CHECK(*twice == *bytes);
  return 0;
}
