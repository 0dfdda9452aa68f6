// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The reader cases of docs/specification.md §18 (R01-R88), a sample of the JSON
// layer's tables (docs/specification.md §5 and §7) and every strict-only
// rejection of docs/specification.md §6, each read in both profiles through
// SafeTensors::Parse. kReference must give the reference's result exactly;
// kStrict the same, except where docs/specification.md §6 makes strict reject
// (always InvalidHeaderDeserialization). Rejections are compared by error kind,
// never by message; acceptances by their entries and by the canonical dump of
// docs/specification.md §15, built here from an independent model.

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/dtype.h"
#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/reader.h"
#include "safetensors/status.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace {

using namespace std::string_literals;  // NOLINT: "..."s keeps embedded NULs
using ::safetensors::test::IsOk;
using ::safetensors::test::LengthPrefix;
using ::safetensors::test::MakeFile;
using ::safetensors::test::MakeFileWithN;
using ::safetensors::test::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// ---------------------------------------------------------------------------
// The expected result of one case in one profile.

struct Expect {
  bool ok;
  ErrorKind kind;  // when !ok
};
constexpr Expect kOk{true, ErrorKind::kHeaderTooSmall};
constexpr Expect Err(ErrorKind kind) { return {false, kind}; }
// "JSON" in the docs.
constexpr Expect kJ = Err(ErrorKind::kInvalidHeaderDeserialization);
constexpr Expect kSmall = Err(ErrorKind::kHeaderTooSmall);
constexpr Expect kLarge = Err(ErrorKind::kHeaderTooLarge);
constexpr Expect kLength = Err(ErrorKind::kInvalidHeaderLength);
constexpr Expect kUtf8 = Err(ErrorKind::kInvalidHeader);
constexpr Expect kOffset = Err(ErrorKind::kInvalidOffset);
constexpr Expect kInfo = Err(ErrorKind::kTensorInvalidInfo);
constexpr Expect kOverflow = Err(ErrorKind::kValidationOverflow);
constexpr Expect kMisaligned = Err(ErrorKind::kMisalignedSlice);
constexpr Expect kIncomplete = Err(ErrorKind::kMetadataIncompleteBuffer);

// One tensor as an accepting profile must read it.
struct Entry {
  std::string name;  // decoded bytes
  std::string dtype;
  std::vector<uint64_t> shape;
  uint64_t begin;
  uint64_t end;
};

// Metadata as read: nullopt for none, else the final key/value pairs.
using Meta = std::optional<std::vector<std::pair<std::string, std::string>>>;
const Meta kNoMeta = std::nullopt;

struct Case {
  std::string name;
  std::string file;
  Expect reference;
  Expect strict;
  std::vector<Entry> tensors;  // when accepted (both profiles read the same)
  Meta metadata;
};

class Table {
 public:
  // A file given whole.
  void File(std::string name, std::string file, Expect reference, Expect strict,
            std::vector<Entry> tensors = {}, Meta metadata = kNoMeta) {
    cases_.push_back({std::move(name), std::move(file), reference, strict,
                      std::move(tensors), std::move(metadata)});
  }
  // N = header.size(), then the header, then `data`.
  void Add(std::string name, const std::string& header, const std::string& data,
           Expect reference, Expect strict, std::vector<Entry> tensors = {},
           Meta metadata = kNoMeta) {
    File(std::move(name), MakeFile(header, data), reference, strict,
         std::move(tensors), std::move(metadata));
  }
  // Same result in both profiles.
  void Both(std::string name, const std::string& header,
            const std::string& data, Expect both,
            std::vector<Entry> tensors = {}, Meta metadata = kNoMeta) {
    Add(std::move(name), header, data, both, both, std::move(tensors),
        std::move(metadata));
  }
  // Accepted by the reference, rejected by strict (docs/specification.md §6).
  void RefOnly(std::string name, const std::string& header,
               const std::string& data, std::vector<Entry> tensors,
               Meta metadata = kNoMeta) {
    Add(std::move(name), header, data, kOk, kJ, std::move(tensors),
        std::move(metadata));
  }

  std::vector<Case>& cases() { return cases_; }

 private:
  std::vector<Case> cases_;
};

// ---------------------------------------------------------------------------
// The model: the canonical dump of docs/specification.md §15, computed from the
// file bytes and the expected entries, independently of dump.cc.

std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

uint64_t Fnv(const std::string& bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string Hex16(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, v);
  return buf;
}

uint64_t HeaderLen(const std::string& file) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) {
    n = (n << 8) | static_cast<unsigned char>(file[i]);
  }
  return n;
}

std::string ExpectedDump(const Case& c) {
  const uint64_t n = HeaderLen(c.file);
  const uint64_t data_start = 8 + n;
  std::string out = "header_len\t" + std::to_string(n) + "\n";
  out += "data_len\t" + std::to_string(c.file.size() - data_start) + "\n";
  out += "ntensors\t" + std::to_string(c.tensors.size()) + "\n";
  if (!c.metadata) {
    out += "metadata\tnone\n";
  } else {
    std::vector<std::pair<std::string, std::string>> meta = *c.metadata;
    std::sort(meta.begin(), meta.end());
    out += "metadata\t" + std::to_string(meta.size()) + "\n";
    for (const auto& kv : meta) {
      out +=
          "meta\t" + JsonQuote(kv.first) + "\t" + JsonQuote(kv.second) + "\n";
    }
  }
  std::vector<Entry> tensors = c.tensors;
  std::sort(tensors.begin(), tensors.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  for (const Entry& t : tensors) {
    std::string shape = "[";
    for (size_t i = 0; i < t.shape.size(); ++i) {
      if (i > 0) shape += ",";
      shape += std::to_string(t.shape[i]);
    }
    shape += "]";
    const std::string bytes =
        c.file.substr(data_start + t.begin, t.end - t.begin);
    out += "tensor\t" + JsonQuote(t.name) + "\t" + t.dtype + "\t" + shape +
           "\t" + std::to_string(t.begin) + "\t" + std::to_string(t.end) +
           "\t" + Hex16(Fnv(bytes)) + "\n";
  }
  return out;
}

const char* ProfileName(Profile profile) {
  return profile == Profile::kStrict ? "strict" : "reference";
}

std::string Printable(const std::string& s, size_t limit = 120) {
  std::string out;
  for (unsigned char c : s.substr(0, limit)) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "<%02x>", c);
      out += buf;
    }
  }
  if (s.size() > limit) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

// Reads `c` in `profile` and checks the result against `want`.
void CheckCase(const Case& c, Profile profile, const Expect& want) {
  ReadOptions options;
  options.profile = profile;
  const std::string where = c.name + " [" + ProfileName(profile) + "]";
  absl::StatusOr<SafeTensors> st =
      SafeTensors::Parse(absl::string_view(c.file), options);
  if (!want.ok) {
    EXPECT_THAT(st.status(), StatusIs(want.kind))
        << where << " file: " << Printable(c.file);
    return;
  }
  ASSERT_THAT(st.status(), IsOk()) << where << " file: " << Printable(c.file);

  // The entries, through the API.
  std::vector<std::string> want_names;
  for (const Entry& e : c.tensors) want_names.push_back(e.name);
  std::sort(want_names.begin(), want_names.end());
  std::vector<std::string> got_names;
  for (absl::string_view name : st->SortedNames()) {
    got_names.emplace_back(name);
  }
  EXPECT_EQ(got_names, want_names) << where;
  EXPECT_EQ(st->size(), c.tensors.size()) << where;
  const uint64_t data_start = 8 + HeaderLen(c.file);
  for (const Entry& e : c.tensors) {
    absl::StatusOr<TensorView> view = st->Tensor(e.name);
    ASSERT_THAT(view.status(), IsOk()) << where << " tensor " << e.name;
    EXPECT_EQ(DtypeName(view->dtype()), e.dtype) << where << " " << e.name;
    EXPECT_EQ(std::vector<uint64_t>(view->shape().begin(), view->shape().end()),
              e.shape)
        << where << " " << e.name;
    EXPECT_EQ(view->begin(), e.begin) << where << " " << e.name;
    EXPECT_EQ(view->end(), e.end) << where << " " << e.name;
    EXPECT_EQ(view->byte_size(), e.end - e.begin) << where << " " << e.name;
    if (view->byte_size() == e.end - e.begin && e.end > e.begin) {
      EXPECT_EQ(static_cast<const void*>(view->data().data()),
                static_cast<const void*>(c.file.data() + data_start + e.begin))
          << where << " " << e.name << ": the view must be zero-copy";
    }
  }
  if (!c.metadata) {
    EXPECT_FALSE(st->metadata().has_value()) << where;
  } else if (st->metadata().has_value()) {
    std::vector<std::pair<std::string, std::string>> want_meta = *c.metadata;
    std::sort(want_meta.begin(), want_meta.end());
    std::vector<std::pair<std::string, std::string>> got_meta(
        st->metadata()->begin(), st->metadata()->end());
    EXPECT_EQ(got_meta, want_meta) << where;
  } else {
    ADD_FAILURE() << where << ": metadata missing";
  }

  // The canonical dump.
  EXPECT_EQ(Dump(*st), ExpectedDump(c)) << where;
}

// docs/specification.md §11: a strict-only rejection says how to read the
// file (the reference profile, by its option and its flag); a file that
// both profiles reject never suggests the other profile.
void CheckProfileAdvice(const Case& c) {
  for (Profile profile : {Profile::kStrict, Profile::kReference}) {
    const Expect& want = profile == Profile::kStrict ? c.strict : c.reference;
    if (want.ok) continue;
    ReadOptions options;
    options.profile = profile;
    const std::string message(
        SafeTensors::Parse(absl::string_view(c.file), options)
            .status()
            .message());
    const std::string where = c.name + " [" + ProfileName(profile) + "]";
    if (profile == Profile::kStrict && c.reference.ok) {
      EXPECT_THAT(message, HasSubstr("ReadOptions::profile = "
                                     "Profile::kReference"))
          << where;
      EXPECT_THAT(message, HasSubstr("--profile=reference")) << where;
      EXPECT_THAT(message, Not(HasSubstr("invalid JSON"))) << where;
    } else {
      EXPECT_THAT(message, Not(HasSubstr("--profile=reference"))) << where;
    }
  }
}

void RunTable(std::vector<Case>& cases) {
  ::testing::Test::RecordProperty("cases", static_cast<int>(cases.size()));
  for (const Case& c : cases) {
    CheckCase(c, Profile::kReference, c.reference);
    CheckCase(c, Profile::kStrict, c.strict);
    // docs/specification.md §6: strict accepts a subset of what reference
    // accepts.
    if (c.strict.ok) {
      EXPECT_TRUE(c.reference.ok) << c.name << ": table error";
    }
    CheckProfileAdvice(c);
  }
}

// ---------------------------------------------------------------------------
// Header fragments. V is an F32[1] entry at
// [0,4], U a U8[4] entry at [0,4].

std::string Obj(const std::string& dtype, const std::string& shape,
                uint64_t begin, uint64_t end) {
  return "{\"dtype\":\"" + dtype + "\",\"shape\":[" + shape +
         "],\"data_offsets\":[" + std::to_string(begin) + "," +
         std::to_string(end) + "]}";
}

const std::string kV = Obj("F32", "1", 0, 4);
const std::string kU = Obj("U8", "4", 0, 4);
// An entry with one extra member, for ignored-field cases.
std::string VWith(const std::string& member) {
  return "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]," + member +
         "}";
}

Entry EV(const std::string& name) { return {name, "F32", {1}, 0, 4}; }
Entry EU(const std::string& name) { return {name, "U8", {4}, 0, 4}; }

std::string Z(size_t n) { return std::string(n, '\0'); }
const std::string kD4 = Z(4);

// Data bytes 0, 1, 2, ... (so that hashes differ from all-zero data).
std::string Seq(size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(i * 7 + 1);
  return out;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
std::string Arrays(int k) { return Repeat("[", k) + Repeat("]", k); }
std::string Objects(int k) {
  return Repeat("{\"a\":", k) + "1" + Repeat("}", k);
}

Meta M(std::vector<std::pair<std::string, std::string>> kv) {
  return Meta(std::move(kv));
}

// ---------------------------------------------------------------------------
// docs/specification.md §18, R01-R88 (R07 and R08 are in HeaderAtTheSizeLimit).

std::vector<Case> ReaderCases() {
  Table t;
  // docs/specification.md §3: length rules.
  t.File("R01 empty file", "", kSmall, kSmall);
  t.File("R02 seven bytes", std::string(7, '\x02'), kSmall, kSmall);
  t.File("R02 seven zero bytes", Z(7), kSmall, kSmall);
  t.File("R03 N=0", LengthPrefix(0), kJ, kJ);
  t.File("R04 N=60, no header", LengthPrefix(60), kLength, kLength);
  t.File("R05 N=100000001, 10-byte file", MakeFileWithN(100000001, "{}"),
         kLarge, kLarge);
  t.File("R06 N=100000000, 10-byte file", MakeFileWithN(100000000, "{}"),
         kLength, kLength);
  t.File("R09 N=2^64-1", MakeFileWithN(UINT64_MAX, "{}"), kLarge, kLarge);
  t.File("R09 N=2^63", MakeFileWithN(uint64_t{1} << 63, "{}"), kLarge, kLarge);
  t.File("R09 N=2^32", MakeFileWithN(uint64_t{1} << 32, "{}"), kLarge, kLarge);
  t.File("R10 N=100, 42 bytes follow",
         MakeFileWithN(100, "{}" + std::string(40, ' ')), kLength, kLength);
  t.File("R10 N one past the end", MakeFileWithN(3, "{}"), kLength, kLength);

  // docs/specification.md §4 and §7: encoding, whitespace, dialect.
  t.Both("R11 {}", "{}", "", kOk);
  t.Both("R12 {} + 6 spaces", "{}      ", "", kOk);
  t.Both("R13 {} + 6 NULs", "{}" + Z(6), "", kJ);
  t.Add("R14 leading TAB LF CR SP", "\t\n\r {}", "", kOk, kJ);
  t.Add("R15 trailing CR SP TAB LF", "{}\r \t\n", "", kOk, kJ);
  t.Both("R16 trailing 0C", "{}\x0c", "", kJ);
  t.Both("R16 trailing 0B", "{}\x0b", "", kJ);
  t.Both("R16 trailing U+00A0", "{}\xc2\xa0", "", kJ);
  t.Both("R17 BOM", "\xef\xbb\xbf{}", "", kJ);
  t.Both("R18 {} + FF", "{}\xff", "", kUtf8);
  t.Both("R19 key ED A0 80", "{\"\xed\xa0\x80\":" + kV + "}", kD4, kUtf8);
  t.Both("R19 key C0 AF", "{\"\xc0\xaf\":" + kV + "}", kD4, kUtf8);
  t.Both("R20 []", "[]", "", kJ);
  t.Both("R20 null", "null", "", kJ);
  t.Both("R20 \"x\"", "\"x\"", "", kJ);
  t.Both("R21 {}{}", "{}{}", "", kJ);
  t.Both("R22 {} D=1", "{}", "\x01", kIncomplete);

  const std::string h23 =
      R"({"t":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}})";
  const Entry e23{"t", "I32", {2, 2}, 0, 16};
  t.Both("R23", h23, Seq(16), kOk, {e23});
  t.Both("R23 + 4 trailing spaces", h23 + "    ", Seq(16), kOk, {e23});
  t.File("R24 N = len(H)+4 over data NULs",
         MakeFileWithN(h23.size() + 4, h23, Z(16)), kJ, kJ);
  t.File("R25 N = len(H)-2", MakeFileWithN(h23.size() - 2, h23, Z(16)), kJ, kJ);
  t.Both("R26 D=17", h23, Z(17), kIncomplete);
  t.Both("R26 D=15", h23, Z(15), kIncomplete);

  // R27: raw UTF-8, escapes, a surrogate pair, raw DEL, the empty name.
  t.Both("R27 names",
         "{\"\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\":" + Obj("U8", "1", 0, 1) +
             R"(,"\u00e9\n\"x\/":)" + Obj("U8", "1", 1, 2) +
             R"(,"\ud83d\ude00":)" + Obj("U8", "1", 2, 3) + ",\"\x7f\":" +
             Obj("U8", "1", 3, 4) + ",\"\":" + Obj("U8", "1", 4, 5) + "}",
         "abcde", kOk,
         {{"\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac", "U8", {1}, 0, 1},
          {"\xc3\xa9\n\"x/", "U8", {1}, 1, 2},
          {"\xf0\x9f\x98\x80", "U8", {1}, 2, 3},
          {"\x7f", "U8", {1}, 3, 4},
          {"", "U8", {1}, 4, 5}});
  t.Both("R28 lone surrogate in name", "{\"a\\ud800b\":" + kV + "}", kD4, kJ);
  t.Both("R29 raw 01 in name",
         "{\"a\x01"
         "b\":" +
             kV + "}",
         kD4, kJ);
  t.Both("R29 raw TAB in name", "{\"a\tb\":" + kV + "}", kD4, kJ);

  // docs/specification.md §5: schema.
  t.Both("R30 missing dtype", R"({"t":{"shape":[1],"data_offsets":[0,4]}})",
         kD4, kJ);
  t.Both("R30 missing shape", R"({"t":{"dtype":"F32","data_offsets":[0,4]}})",
         kD4, kJ);
  t.Both("R30 missing data_offsets", R"({"t":{"dtype":"F32","shape":[1]}})",
         kD4, kJ);
  t.RefOnly("R31 extra field object",
            "{\"t\":" + VWith(R"("foo":{"x":[1,2]})") + "}", kD4, {EV("t")});
  t.RefOnly("R31 extra field null", "{\"t\":" + VWith(R"("extra":null)") + "}",
            kD4, {EV("t")});
  t.Both(
      "R32 dtype twice",
      R"({"t":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
      kD4, kJ);
  for (const char* dtype :
       {"F128", "f32", "C128", "F8_E4M3FN", "I4", "bool", "BF16 "}) {
    t.Both(std::string("R33 dtype ") + dtype,
           "{\"t\":" + Obj(dtype, "1", 0, 4) + "}", kD4, kJ);
  }
  t.RefOnly("R34 dtype {\"F32\":null}",
            R"({"t":{"dtype":{"F32":null},"shape":[1],"data_offsets":[0,4]}})",
            kD4, {EV("t")});
  t.Both("R35 dtype 0", R"({"t":{"dtype":0,"shape":[1],"data_offsets":[0,4]}})",
         kD4, kJ);
  t.RefOnly("R36 array form", R"({"t":["F32",[1],[0,4]]})", kD4, {EV("t")});
  t.Both("R37 tensor null", R"({"t":null})", kD4, kJ);
  for (const char* shape :
       {"[-1]", "[1.0]", "[1e0]", "[-0]", "[18446744073709551616]", "[\"1\"]",
        "[true]", "null", "[+1]", "[01]", "[1E400]"}) {
    t.Both(std::string("R38 shape ") + shape,
           std::string(R"({"t":{"dtype":"F32","shape":)") + shape +
               R"(,"data_offsets":[0,4]}})",
           kD4, kJ);
  }
  for (const char* offsets : {"[0,1,2]", "[0]", "{\"0\":0,\"1\":1}",
                              "[\"0\",\"1\"]", "[-1,0]", "[0,1.0]"}) {
    t.Both(std::string("R39 data_offsets ") + offsets,
           std::string(R"({"t":{"dtype":"U8","shape":[1],"data_offsets":)") +
               offsets + "}}",
           "\x01", kJ);
  }
  t.Both("R40 trailing comma in object", "{\"t\":" + kV + ",}", kD4, kJ);
  t.Both("R40 trailing comma in shape",
         R"({"t":{"dtype":"F32","shape":[1,],"data_offsets":[0,4]}})", kD4, kJ);
  t.Both("R40 comment", "{\"t\":" + kV + "/*c*/}", kD4, kJ);
  t.Both("R40 line comment", "{\"t\":" + kV + "\n// c\n}", kD4, kJ);
  const std::string spaced =
      "{ \"t\"\t:\n{\r\"dtype\" :\t\"F32\"\n,\r\"shape\" : [ 1 ] ,\t"
      "\"data_offsets\"\n:\r[\t0 ,\n4\r]\t}\n}";
  t.RefOnly("R41 whitespace around every token", " \t\n\r" + spaced + "\r\n\t ",
            kD4, {EV("t")});
  t.Both("R41 whitespace between tokens, spaces after", spaced + "   ", kD4,
         kOk, {EV("t")});

  // Duplicates (§4.2): last wins in reference, rejected in strict.
  t.Add(
      "R42 a[0,1] then a[1,2]",
      "{\"a\":" + Obj("U8", "1", 0, 1) + ",\"a\":" + Obj("U8", "1", 1, 2) + "}",
      "\x01\x02", kOffset, kJ);
  t.RefOnly("R43 a U8[4] then a F32[1]", "{\"a\":" + kU + ",\"a\":" + kV + "}",
            kD4, {EV("a")});
  t.RefOnly(
      "R44 a U8[0] then a U8[2]",
      "{\"a\":" + Obj("U8", "0", 0, 0) + ",\"a\":" + Obj("U8", "2", 0, 2) + "}",
      "\x05\x06", {{"a", "U8", {2}, 0, 2}});
  t.RefOnly("R45 a and \\u0061, same range",
            "{\"a\":" + kU + ",\"\\u0061\":" + kV + "}", kD4, {EV("a")});
  t.Add("R45 a and \\u0061, consecutive ranges",
        "{\"a\":" + kU + ",\"\\u0061\":" + Obj("F32", "1", 4, 8) + "}", Z(8),
        kOffset, kJ);

  // Metadata (§4.1).
  t.Both("R46 __metadata__ twice",
         "{\"__metadata__\":{},\"__metadata__\":{},\"t\":" + kV + "}", kD4, kJ);
  t.RefOnly("R47 duplicate metadata key",
            R"({"__metadata__":{"a":"1","a":"2"}})", "", {}, M({{"a", "2"}}));
  t.RefOnly("R48 __metadata__ null", R"({"__metadata__":null})", "", {},
            kNoMeta);
  t.Both("R49 __metadata__ {}", R"({"__metadata__":{}})", "", kOk, {}, M({}));
  for (const char* value :
       {"{\"a\":1}", "{\"a\":null}", "{\"a\":{\"b\":\"c\"}}", "\"x\"", "[]"}) {
    t.Both(std::string("R50 __metadata__ ") + value,
           std::string("{\"__metadata__\":") + value + "}", "", kJ);
  }
  t.Both("R51 __metadata__ after the tensors",
         "{\"t\":" + kV + ",\"__metadata__\":{\"k\":\"v\"}}", kD4, kOk,
         {EV("t")}, M({{"k", "v"}}));
  t.Both("R52 __METADATA__ is a tensor", R"({"__METADATA__":{"k":"v"}})", "",
         kJ);
  t.Both("R53 \\u005f_metadata__ is the metadata",
         R"({"\u005f_metadata__":{"k":"v"}})", "", kOk, {}, M({{"k", "v"}}));
  t.Both("R54 metadata value with NUL",
         R"({"__metadata__":{"k":"v\u00e9\u0000"}})", "", kOk, {},
         M({{"k", "v\xc3\xa9\0"s}}));

  // docs/specification.md §9: validation.
  t.Both("R55 reverse offset order",
         "{\"b\":" + Obj("F32", "1", 4, 8) + ",\"a\":" + Obj("F32", "1", 0, 4) +
             "}",
         Seq(8), kOk, {{"a", "F32", {1}, 0, 4}, {"b", "F32", {1}, 4, 8}});
  t.Both("R56 unaligned offset",
         "{\"a\":" + Obj("U8", "1", 0, 1) + ",\"b\":" + Obj("F32", "1", 1, 5) +
             "}",
         Seq(5), kOk, {{"a", "U8", {1}, 0, 1}, {"b", "F32", {1}, 1, 5}});
  t.Both("R57 scalar", "{\"t\":" + Obj("I32", "", 0, 4) + "}", Seq(4), kOk,
         {{"t", "I32", {}, 0, 4}});
  t.Both("R58 scalar with no bytes", "{\"t\":" + Obj("I32", "", 0, 0) + "}", "",
         kInfo);
  t.Both("R59 I32[2,0] no data", "{\"t\":" + Obj("I32", "2,0", 0, 0) + "}", "",
         kOk, {{"t", "I32", {2, 0}, 0, 0}});
  t.Both("R60 zero-size between",
         "{\"a\":" + Obj("U8", "2", 0, 2) + ",\"b\":" + Obj("F32", "0", 2, 2) +
             ",\"c\":" + Obj("U8", "1", 2, 3) + "}",
         Seq(3), kOk,
         {{"a", "U8", {2}, 0, 2},
          {"b", "F32", {0}, 2, 2},
          {"c", "U8", {1}, 2, 3}});
  t.Both("R61 two zero-size at [0,0]",
         "{\"a\":" + Obj("F32", "0", 0, 0) + ",\"b\":" + Obj("U8", "0", 0, 0) +
             "}",
         "", kOk, {{"a", "F32", {0}, 0, 0}, {"b", "U8", {0}, 0, 0}});
  t.Both("R62 zero-size beyond the cursor",
         "{\"a\":" + Obj("U8", "2", 0, 2) + ",\"z\":" + Obj("F32", "0", 5, 5) +
             "}",
         Z(2), kOffset);
  t.Both("R63 F32[0] with 4 bytes", "{\"t\":" + Obj("F32", "0", 0, 4) + "}",
         kD4, kInfo);
  t.Both(
      "R64 gap",
      "{\"a\":" + Obj("U8", "1", 0, 1) + ",\"b\":" + Obj("U8", "1", 2, 3) + "}",
      Z(3), kOffset);
  t.Both(
      "R65 overlap",
      "{\"a\":" + Obj("U8", "2", 0, 2) + ",\"b\":" + Obj("U8", "2", 1, 3) + "}",
      Z(3), kOffset);
  t.Both("R66 first tensor at [1,2]", "{\"a\":" + Obj("U8", "1", 1, 2) + "}",
         Z(2), kOffset);
  t.Both(
      "R67 [0,1] then [1,0]",
      "{\"a\":" + Obj("U8", "1", 0, 1) + ",\"b\":" + Obj("U8", "0", 1, 0) + "}",
      Z(1), kOffset);
  t.Both("R67 single [4,0]", "{\"t\":" + Obj("F32", "1", 4, 0) + "}", kD4,
         kOffset);
  t.Both("R68 two tensors at [0,4]", "{\"a\":" + kV + ",\"b\":" + kV + "}", kD4,
         kOffset);
  t.Both("R69 I32[2,2] with [0,4]", "{\"t\":" + Obj("I32", "2,2", 0, 4) + "}",
         kD4, kInfo);
  t.Both("R69 U8[2] with [0,4]", "{\"t\":" + Obj("U8", "2", 0, 4) + "}", kD4,
         kInfo);
  t.Both("R70 I32[2,2^64-2]",
         "{\"t\":" + Obj("I32", "2,18446744073709551614", 0, 0) + "}", "",
         kOverflow);
  t.Both("R71 I32[2,2^63-1] bit count",
         "{\"t\":" + Obj("I32", "2,9223372036854775807", 0, 0) + "}", "",
         kOverflow);
  t.Both("R72 U8[2^61]",
         "{\"t\":" + Obj("U8", "2305843009213693952", 0, 0) + "}", "",
         kOverflow);
  t.Both("R73 U8[2^61-1] no data",
         "{\"t\":" + Obj("U8", "2305843009213693951", 0, 2305843009213693951u) +
             "}",
         "", kIncomplete);
  t.Both("R74 U8[2^64-1,2,0]",
         "{\"t\":" + Obj("U8", "18446744073709551615,2,0", 0, 0) + "}", "",
         kOverflow);
  t.Both("R75 U8[0,2^64-1,2]",
         "{\"t\":" + Obj("U8", "0,18446744073709551615,2", 0, 0) + "}", "", kOk,
         {{"t", "U8", {0, UINT64_MAX, 2}, 0, 0}});
  {
    // Nine U8 tensors tiling [0, 2^64-1]; eight ending at 2^64-8.
    std::string nine = "{";
    uint64_t cursor = 0;
    const uint64_t step = UINT64_MAX / 9;
    for (int i = 0; i < 9; ++i) {
      const uint64_t end = i == 8 ? UINT64_MAX : cursor + step;
      if (i > 0) nine += ",";
      nine += "\"t" + std::to_string(i) +
              "\":" + Obj("U8", std::to_string(end - cursor), cursor, end);
      cursor = end;
    }
    nine += "}";
    t.Both("R76 nine tensors ending at 2^64-1", nine, "", kIncomplete);
    std::string eight = "{";
    cursor = 0;
    const uint64_t size = (uint64_t{1} << 61) - 1;
    for (int i = 0; i < 8; ++i) {
      if (i > 0) eight += ",";
      eight += "\"t" + std::to_string(i) +
               "\":" + Obj("U8", std::to_string(size), cursor, cursor + size);
      cursor += size;
    }
    eight += "}";
    t.Both("R76 eight tensors ending at 2^64-8", eight, "", kIncomplete);
  }

  // docs/specification.md §8: sub-byte dtypes.
  t.Both("R77 F4[3] [0,2]", "{\"t\":" + Obj("F4", "3", 0, 2) + "}", Z(2),
         kMisaligned);
  t.Both("R77 F4[3] [0,1]", "{\"t\":" + Obj("F4", "3", 0, 1) + "}", Z(1),
         kMisaligned);
  t.Both("R78 F4[2]", "{\"t\":" + Obj("F4", "2", 0, 1) + "}", "\x21", kOk,
         {{"t", "F4", {2}, 0, 1}});
  t.Both("R78 F4[1,2]", "{\"t\":" + Obj("F4", "1,2", 0, 1) + "}", "\x21", kOk,
         {{"t", "F4", {1, 2}, 0, 1}});
  t.Both("R78 F4[0]", "{\"t\":" + Obj("F4", "0", 0, 0) + "}", "", kOk,
         {{"t", "F4", {0}, 0, 0}});
  t.Both("R79 F4 scalar [0,1]", "{\"t\":" + Obj("F4", "", 0, 1) + "}", Z(1),
         kMisaligned);
  t.Both("R79 F4 scalar [0,0]", "{\"t\":" + Obj("F4", "", 0, 0) + "}", "",
         kMisaligned);
  t.Both("R80 F6_E2M3[4]", "{\"t\":" + Obj("F6_E2M3", "4", 0, 3) + "}", Seq(3),
         kOk, {{"t", "F6_E2M3", {4}, 0, 3}});
  t.Both("R80 F6_E3M2[2,2]", "{\"t\":" + Obj("F6_E3M2", "2,2", 0, 3) + "}",
         Seq(3), kOk, {{"t", "F6_E3M2", {2, 2}, 0, 3}});
  t.Both("R81 F6_E2M3[2]", "{\"t\":" + Obj("F6_E2M3", "2", 0, 2) + "}", Z(2),
         kMisaligned);
  t.Both(
      "R82 offset check before size",
      "{\"a\":" + Obj("U8", "1", 0, 1) + ",\"b\":" + Obj("F4", "3", 2, 4) + "}",
      Z(4), kOffset);
  t.Both("R83 first sorted tensor fails first",
         "{\"a\":" + Obj("I32", "3", 0, 4) + ",\"b\":" + Obj("U8", "1", 9, 10) +
             "}",
         Z(10), kInfo);
  t.Both("R84 BOOL byte 02", "{\"t\":" + Obj("BOOL", "1", 0, 1) + "}", "\x02",
         kOk, {{"t", "BOOL", {1}, 0, 1}});
  t.Both("R84 F32 NaN", "{\"t\":" + kV + "}", "\x00\x00\xc0\x7f"s, kOk,
         {EV("t")});

  // docs/specification.md §7.4: depth.
  t.RefOnly("R85 unknown field, 125 nested arrays",
            "{\"t\":" + VWith("\"x\":" + Arrays(125)) + "}", kD4, {EV("t")});
  t.Both("R86 unknown field, 126 nested arrays",
         "{\"t\":" + VWith("\"x\":" + Arrays(126)) + "}", kD4, kJ);
  t.Both("R86 unknown field, 200 nested arrays",
         "{\"t\":" + VWith("\"x\":" + Arrays(200)) + "}", kD4, kJ);
  t.Both("R87 bad dtype then bad metadata",
         "{\"a\":" + Obj("F3", "1", 0, 4) + ",\"__metadata__\":{\"a\":1}}", kD4,
         kJ);

  // R88: every dtype, shape [8].
  for (Dtype d : AllDtypes()) {
    const uint64_t bytes = static_cast<uint64_t>(DtypeBits(d));  // 8 x bits/8
    const std::string name(DtypeName(d));
    t.Both("R88 " + name, "{\"t\":" + Obj(name, "8", 0, bytes) + "}",
           Seq(bytes), kOk, {{"t", name, {8}, 0, bytes}});
  }
  return std::move(t.cases());
}

TEST(ReaderCases, Reference17_1) {
  std::vector<Case> cases = ReaderCases();
  EXPECT_GE(cases.size(), 88u);
  RunTable(cases);
}

// R07 and R08: headers at the size limit, built at test time (100 MB each).
TEST(ReaderCases, HeaderAtTheSizeLimit) {
  for (Profile profile : {Profile::kReference, Profile::kStrict}) {
    ReadOptions options;
    options.profile = profile;
    {
      const std::string file = MakeFile("{}" + std::string(99999998, ' '));
      ASSERT_EQ(file.size(), 100000008u);
      absl::StatusOr<SafeTensors> st =
          SafeTensors::Parse(absl::string_view(file), options);
      ASSERT_THAT(st.status(), IsOk()) << "R07 " << ProfileName(profile);
      EXPECT_EQ(st->size(), 0u);
      EXPECT_EQ(Dump(*st),
                "header_len\t100000000\ndata_len\t0\nntensors\t0\n"
                "metadata\tnone\n")
          << "R07 " << ProfileName(profile);
    }
    {
      const std::string file = MakeFile("{}" + std::string(99999999, ' '));
      EXPECT_THAT(SafeTensors::Parse(absl::string_view(file), options).status(),
                  StatusIs(ErrorKind::kHeaderTooLarge))
          << "R08 " << ProfileName(profile);
    }
  }
}

// ---------------------------------------------------------------------------
// A sample of the JSON layer's cases (docs/specification.md §5, §7) (D=4 zero
// bytes unless stated). The reference column is the table's outcome, except for
// the fixed number lexer (docs/specification.md §7.3); the strict column
// follows docs/specification.md §6.

std::string F3() { return Obj("F3", "1", 0, 4); }

void Duplicates(Table& t) {  // docs/specification.md §5.6
  const std::string kInvalid[] = {
      F3(),
      Obj("f32", "1", 0, 4),
      R"({"dtype":"F32","data_offsets":[0,4]})",
      R"({"shape":[1],"data_offsets":[0,4]})",
      "{}",
      R"({"dtype":"F32","shape":"1","data_offsets":[0,4]})",
      R"({"dtype":"F32","shape":[-1],"data_offsets":[0,4]})",
      R"({"dtype":"F32","shape":[1.0],"data_offsets":[0,4]})",
      R"({"dtype":"F32","shape":[1],"data_offsets":[0,4,8]})",
      R"({"dtype":"F32","shape":[1],"data_offsets":[0]})",
      R"({"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]})",
      "null",
      "1",
      "\"F32\"",
      R"(["F32",[1]])",
      R"(["F3",[1],[0,4]])",
      R"({"dtype":{"F32":1},"shape":[1],"data_offsets":[0,4]})",
  };
  int i = 0;
  for (const std::string& bad : kInvalid) {
    t.Both("18.1 early_" + std::to_string(i),
           "{\"a\":" + bad + ",\"a\":" + kV + "}", kD4, kJ);
    t.Both("18.1 late_" + std::to_string(i),
           "{\"a\":" + kV + ",\"a\":" + bad + "}", kD4, kJ);
    ++i;
  }
  t.RefOnly("18.1 early_arrvalid",
            "{\"a\":[\"F32\",[1],[0,4]],\"a\":" + kU + "}", kD4, {EU("a")});
  t.RefOnly("18.1 late_arrvalid",
            "{\"a\":" + kU + ",\"a\":[\"F32\",[1],[0,4]]}", kD4, {EV("a")});
  t.RefOnly(
      "18.1 early_mapdtype",
      R"({"a":{"dtype":{"F32":null},"shape":[1],"data_offsets":[0,4]},"a":)" +
          kU + "}",
      kD4, {EU("a")});
  t.RefOnly("18.1 early_badoffs",
            "{\"a\":" + Obj("U8", "1", 7, 8) + ",\"a\":" + kV + "}", kD4,
            {EV("a")});
  t.RefOnly(
      "18.1 early_overflow",
      "{\"a\":" + Obj("U8", "18446744073709551615,18446744073709551615", 0, 4) +
          ",\"a\":" + kV + "}",
      kD4, {EV("a")});
  t.RefOnly("18.1 early_misaligned",
            "{\"a\":" + Obj("F4", "3", 0, 2) + ",\"a\":" + kV + "}", kD4,
            {EV("a")});
  t.Add("18.1 late_badoffs",
        "{\"a\":" + kV + ",\"a\":" + Obj("U8", "1", 7, 8) + "}", kD4, kOffset,
        kJ);
  t.Add("18.1 late_overflow",
        "{\"a\":" + kV + ",\"a\":" +
            Obj("U8", "18446744073709551615,18446744073709551615", 0, 4) + "}",
        kD4, kOverflow, kJ);
  t.Both("18.1 three_vbv",
         "{\"a\":" + kV + ",\"a\":" + F3() + ",\"a\":" + kV + "}", kD4, kJ);
  t.RefOnly(
      "18.1 three_vvv_last",
      "{\"a\":" + kU + ",\"a\":" + Obj("I32", "1", 0, 4) + ",\"a\":" + kV + "}",
      kD4, {EV("a")});
  t.Both("18.1 esc_early_bad", "{\"a\":" + F3() + ",\"\\u0061\":" + kV + "}",
         kD4, kJ);
  t.RefOnly("18.1 esc_late_wins", "{\"\\u0061\":" + kU + ",\"a\":" + kV + "}",
            kD4, {EV("a")});
  t.Both("18.1 two_bad_same",
         "{\"a\":" + F3() + ",\"a\":" + Obj("F5", "1", 0, 4) + "}", kD4, kJ);
  t.Both("18.1 bad_other_name_before", "{\"b\":" + F3() + ",\"a\":" + kV + "}",
         kD4, kJ);
  t.Both("18.1 early_deep",
         "{\"a\":" + VWith("\"x\":" + Arrays(130)) + ",\"a\":" + kV + "}", kD4,
         kJ);
  t.RefOnly(
      "18.1 dup_intervening",
      "{\"a\":" + kU + ",\"b\":" + Obj("F32", "1", 4, 8) + ",\"a\":" + kV + "}",
      Seq(8), {EV("a"), {"b", "F32", {1}, 4, 8}});
  t.Both("18.1 dup_meta_name_tensor",
         "{\"__metadata__\":" + kV + ",\"__metadata__\":{}}", kD4, kJ);
  t.Add("18.1 esc_diff_ranges",
        "{\"a\":" + kU + ",\"\\u0061\":" + Obj("F32", "1", 4, 8) + "}", Z(8),
        kOffset, kJ);
}

void ArrayForms(Table& t) {  // docs/specification.md §5.4
  t.RefOnly("18.2 arr3", R"({"t":["F32",[1],[0,4]]})", kD4, {EV("t")});
  t.RefOnly("18.2 arr3_ws", R"({"t":[ "F32" , [ 1 ] , [ 0 , 4 ] ]})", kD4,
            {EV("t")});
  for (const char* value : {R"([])",
                            R"(["F32"])",
                            R"(["F32",[1]])",
                            R"(["F32",[1],[0,4],null])",
                            R"(["F32",[1],[0,4],{"x":1}])",
                            R"(["F32",[1],[0,4],1,2])",
                            R"(["F32",[1],[0,4],"\ud800"])",
                            R"([17,[1],[0,4]])",
                            R"([null,[1],[0,4]])",
                            R"(["F3",[1],[0,4]])",
                            R"([["F32"],[1],[0,4]])",
                            R"(["F32","1",[0,4]])",
                            R"(["F32",1,[0,4]])",
                            R"(["F32",{"0":1},[0,4]])",
                            R"(["F32",[[1]],[0,4]])",
                            R"(["F32",[1],"0,4"])",
                            R"(["F32",[1],[0]])",
                            R"(["F32",[1],[0,4,4]])",
                            R"(["F32",[1],{"0":0,"1":4}])",
                            R"(["F32",[1],[[0],[4]]])",
                            R"([[1],"F32",[0,4]])",
                            R"(["F3",[-1],[0]])",
                            R"(["F3"])",
                            R"(["F3",[1],[0,4],0])",
                            R"([["F32",[1],[0,4]]])"}) {
    t.Both(std::string("18.2 ") + value, std::string("{\"t\":") + value + "}",
           kD4, kJ);
  }
  t.RefOnly("18.2 arr_dtype_map", R"({"t":[{"F32":null},[1],[0,4]]})", kD4,
            {EV("t")});
  t.RefOnly("18.2 arr_scalar", R"({"t":["F32",[],[0,4]]})", kD4,
            {{"t", "F32", {}, 0, 4}});
  t.RefOnly("18.2 arr_mixed",
            R"({"a":["U8",[4],[0,4]],"b":)" + Obj("F32", "1", 4, 8) + "}",
            Seq(8), {EU("a"), {"b", "F32", {1}, 4, 8}});
  for (const char* member :
       {R"("shape":{"0":1},"data_offsets":[0,4])",
        R"("shape":{},"data_offsets":[0,4])",
        R"("shape":null,"data_offsets":[0,4])",
        R"("shape":"[1]","data_offsets":[0,4])",
        R"("shape":1,"data_offsets":[0,4])",
        R"("shape":true,"data_offsets":[0,4])",
        R"("shape":[1],"data_offsets":{"0":0,"1":4})",
        R"("shape":[1],"data_offsets":null)",
        R"("shape":[1],"data_offsets":[])", R"("shape":[1],"data_offsets":[0])",
        R"("shape":[1],"data_offsets":[0,4,4])",
        R"("shape":[1],"data_offsets":[[0,4]])"}) {
    t.Both(std::string("18.2 object ") + member,
           std::string(R"({"t":{"dtype":"F32",)") + member + "}}", kD4, kJ);
  }
  t.Both("18.2 obj_numkeys", R"({"t":{"0":"F32","1":[1],"2":[0,4]}})", kD4, kJ);
}

void DtypeForms(Table& t) {  // docs/specification.md §5.4
  auto with_dtype = [](const std::string& dtype) {
    return "{\"t\":{\"dtype\":" + dtype +
           ",\"shape\":[1],\"data_offsets\":[0,4]}}";
  };
  t.RefOnly("18.3 map_null", with_dtype(R"({"F32":null})"), kD4, {EV("t")});
  t.RefOnly("18.3 map_escaped", with_dtype(R"({"\u0046\u0033\u0032":null})"),
            kD4, {EV("t")});
  t.RefOnly("18.3 map_ws", with_dtype(R"({ "F32" : null })"), kD4, {EV("t")});
  t.RefOnly("18.3 map_bool",
            R"({"t":{"dtype":{"BOOL":null},"shape":[4],"data_offsets":[0,4]}})",
            kD4, {{"t", "BOOL", {4}, 0, 4}});
  t.RefOnly("18.3 map_u64",
            R"({"t":{"dtype":{"U64":null},"shape":[1],"data_offsets":[0,8]}})",
            Z(8), {{"t", "U64", {1}, 0, 8}});
  t.Add("18.3 map_null_f4",
        R"({"t":{"dtype":{"F4":null},"shape":[3],"data_offsets":[0,2]}})", Z(2),
        kMisaligned, kJ);
  t.Both("18.3 str_escaped", with_dtype(R"("F\u0033\u0032")"), kD4, kOk,
         {EV("t")});
  for (const char* dtype : {R"({"F32":1})",
                            R"({"F32":0})",
                            R"({"F32":false})",
                            R"({"F32":""})",
                            R"({"F32":"F32"})",
                            R"({"F32":{}})",
                            R"({"F32":[]})",
                            R"({"F32":{"a":null}})",
                            R"({})",
                            R"({"F32":null,"F16":null})",
                            R"({"F32":null,"F32":null})",
                            R"({"f32":null})",
                            R"({"F3":null})",
                            R"(["F32"])",
                            R"([])",
                            R"([{"F32":null}])",
                            "null",
                            "true",
                            "17",
                            "0",
                            "1.5",
                            R"(" F32")",
                            R"("")",
                            R"("F32\u0000")",
                            R"({"17":null})",
                            R"({"F32":null,"\u0046\u0033\u0032":null})"}) {
    t.Both(std::string("18.3 dtype ") + dtype, with_dtype(dtype), kD4, kJ);
  }
}

void Metadata(Table& t) {  // docs/specification.md §5.2
  auto with_meta = [](const std::string& meta) {
    return "{\"__metadata__\":" + meta + ",\"t\":" + kV + "}";
  };
  t.RefOnly("18.4 null", with_meta("null"), kD4, {EV("t")}, kNoMeta);
  t.Both("18.4 empty", with_meta("{}"), kD4, kOk, {EV("t")}, M({}));
  t.Both("18.4 empty_only", R"({"__metadata__":{}})", "", kOk, {}, M({}));
  t.RefOnly("18.4 null_only", R"({"__metadata__":null})", "", {}, kNoMeta);
  t.Both("18.4 kv", with_meta(R"({"k":"v"})"), kD4, kOk, {EV("t")},
         M({{"k", "v"}}));
  for (const char* meta :
       {R"({"a":{"b":"c"}})", R"({"a":["x"]})", R"({"a":1})", R"({"a":-1})",
        R"({"a":1.5})", R"({"a":true})", R"({"a":null})", R"({"a":1e400})",
        R"({"a":01})", R"({"a":1,"a":"x"})", R"({"a":"x","a":1})",
        R"([["k","v"]])", "[]", R"("x")", "1", "false", R"({"k":1.0})",
        R"({"k":18446744073709551616})", R"({"k":-0})"}) {
    t.Both(std::string("18.4 value ") + meta, with_meta(meta), kD4, kJ);
  }
  t.Both("18.4 twice_valid",
         "{\"__metadata__\":{\"k\":\"v\"},\"__metadata__\":{\"k\":\"v\"},"
         "\"t\":" +
             kV + "}",
         kD4, kJ);
  t.Both("18.4 twice_null_obj",
         "{\"__metadata__\":null,\"__metadata__\":{},\"t\":" + kV + "}", kD4,
         kJ);
  t.Both("18.4 twice_null_null",
         "{\"__metadata__\":null,\"__metadata__\":null,\"t\":" + kV + "}", kD4,
         kJ);
  t.Both("18.4 twice_bad_first",
         "{\"__metadata__\":1,\"__metadata__\":{},\"t\":" + kV + "}", kD4, kJ);
  t.Both("18.4 twice_apart",
         "{\"__metadata__\":{},\"t\":" + kV + ",\"__metadata__\":{}}", kD4, kJ);
  t.Both("18.4 escaped_twice",
         "{\"__metadata__\":{},\"\\u005f_metadata__\":{},\"t\":" + kV + "}",
         kD4, kJ);
  t.Both("18.4 escaped",
         "{\"\\u005f_metadata__\":{\"k\":\"v\"},\"t\":" + kV + "}", kD4, kOk,
         {EV("t")}, M({{"k", "v"}}));
  t.Both("18.4 escaped_all",
         "{\"\\u005f\\u005f\\u006d\\u0065\\u0074\\u0061\\u0064\\u0061\\u0074"
         "\\u0061\\u005f\\u005f\":{\"k\":\"v\"},\"t\":" +
             kV + "}",
         kD4, kOk, {EV("t")}, M({{"k", "v"}}));
  t.RefOnly("18.4 dupkey_strs", with_meta(R"({"a":"x","a":"y"})"), kD4,
            {EV("t")}, M({{"a", "y"}}));
  t.RefOnly("18.4 dupkey_escaped", with_meta(R"({"a":"x","\u0061":"y"})"), kD4,
            {EV("t")}, M({{"a", "y"}}));
  t.Both("18.4 key_empty", with_meta(R"({"":""})"), kD4, kOk, {EV("t")},
         M({{"", ""}}));
  t.Both("18.4 key_nul", with_meta(R"({"\u0000":"\u0000"})"), kD4, kOk,
         {EV("t")}, M({{"\0"s, "\0"s}}));
  t.Both("18.4 val_nul", with_meta(R"({"k":"v\u00e9\u0000"})"), kD4, kOk,
         {EV("t")}, M({{"k", "v\xc3\xa9\0"s}}));
  t.Both("18.4 tensorlike", "{\"__metadata__\":" + kV + "}", kD4, kJ);
  t.Both("18.4 tensorlike_arr", R"({"__metadata__":["F32",[1],[0,4]]})", kD4,
         kJ);
  t.Both("18.4 near_trailsp",
         "{\"__metadata__ \":{\"k\":\"v\"},\"t\":" + kV + "}", kD4, kJ);
  t.Both("18.4 near_upper", "{\"__METADATA__\":{\"k\":\"v\"},\"t\":" + kV + "}",
         kD4, kJ);
  t.Both("18.4 near_short", "{\"__metadata\":{\"k\":\"v\"},\"t\":" + kV + "}",
         kD4, kJ);
  t.Both("18.4 near_as_tensor_ok", "{\"__metadata\":" + kV + "}", kD4, kOk,
         {EV("__metadata")});
  t.Both("18.4 last", "{\"t\":" + kV + ",\"__metadata__\":{\"k\":\"v\"}}", kD4,
         kOk, {EV("t")}, M({{"k", "v"}}));
  t.Both("18.4 between",
         "{\"a\":" + kV + ",\"__metadata__\":{\"k\":\"v\"},\"b\":" +
             Obj("F32", "1", 4, 8) + "}",
         Seq(8), kOk, {EV("a"), {"b", "F32", {1}, 4, 8}}, M({{"k", "v"}}));
  t.Both("18.4 nested_deep",
         "{\"__metadata__\":{\"k\":" + Arrays(200) + "},\"t\":" + kV + "}", kD4,
         kJ);
}

void Precedence(Table& t) {  // docs/specification.md §7.5
  t.Both("18.5 bad_then_syntax", "{\"a\":" + F3() + ",\"b\" " + kV + "}", kD4,
         kJ);
  t.Both("18.5 bad_then_eof", "{\"a\":" + F3(), kD4, kJ);
  t.Both("18.5 bad_then_trailcomma", "{\"a\":" + F3() + ",}", kD4, kJ);
  t.Both("18.5 bad_then_trailing", "{\"a\":" + F3() + "} x", kD4, kJ);
  t.Both("18.5 bad_then_nul", "{\"a\":" + F3() + "}" + Z(4), kD4, kJ);
  t.Both("18.5 ok_then_trailing", "{\"a\":" + kV + "} x", kD4, kJ);
  // Trailing characters beat validation.
  t.Both("18.5 invalidoffs_then_trailing",
         "{\"a\":" + Obj("F32", "1", 4, 8) + "} x", kD4, kJ);
  // Whitespace that only strict rejects: JSON in strict, validation in
  // reference.
  t.Add("18.5 invalidoffs_then_tab", "{\"a\":" + Obj("F32", "1", 4, 8) + "}\t",
        kD4, kOffset, kJ);
  t.Both("18.5 invalidoffs_then_space",
         "{\"a\":" + Obj("F32", "1", 4, 8) + "} ", kD4, kOffset);
  t.Add("18.5 leading_space_then_invalidoffs",
        " {\"a\":" + Obj("F32", "1", 4, 8) + "}", kD4, kOffset, kJ);
  t.Add("18.5 leading_lf_then_incomplete", "\n{\"a\":" + kV + "}", Z(5),
        kIncomplete, kJ);
  t.Both("18.5 bad_then_utf8", "{\"a\":" + F3() + ",\"b\xff\":" + kV + "}", kD4,
         kUtf8);
  t.Both("18.5 bad_utf8_after_syntax_error", "{\"a\" " + kV + "}\xff", kD4,
         kUtf8);
  t.Both("18.5 bad_then_dupmeta",
         "{\"a\":" + F3() + ",\"__metadata__\":{},\"__metadata__\":{}}", kD4,
         kJ);
  t.Both(
      "18.5 in_entry_dup_then_bad",
      R"({"a":{"dtype":"F32","dtype":"F3","shape":[1],"data_offsets":[0,4]}})",
      kD4, kJ);
  t.Both("18.5 miss_order_offs_dtype",
         R"({"t":{"data_offsets":[0,4],"dtype":"F32"}})", kD4, kJ);
  t.Both("18.5 multiline_pos", "{\n\"a\":" + F3() + "\n}\n", kD4, kJ);
}

void Depth(Table& t) {  // docs/specification.md §7.4
  auto unk = [](const std::string& value) {
    return "{\"t\":" + VWith("\"x\":" + value) + "}";
  };
  t.RefOnly("18.6 unk_arr_125", unk(Arrays(125)), kD4, {EV("t")});
  t.RefOnly("18.6 unk_obj_125", unk(Objects(125)), kD4, {EV("t")});
  t.RefOnly("18.6 unk_first_arr_125",
            "{\"t\":{\"x\":" + Arrays(125) +
                ",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            kD4, {EV("t")});
  t.RefOnly(
      "18.6 two_siblings_125",
      "{\"t\":" + VWith("\"x\":" + Arrays(125) + ",\"y\":" + Arrays(125)) + "}",
      kD4, {EV("t")});
  t.RefOnly("18.6 unk_alternating_125",
            unk(Repeat("[{\"a\":", 62) + "[1]" + Repeat("}]", 62)), kD4,
            {EV("t")});
  t.Both("18.6 unk_arr_126", unk(Arrays(126)), kD4, kJ);
  t.Both("18.6 unk_obj_126", unk(Objects(126)), kD4, kJ);
  t.Both("18.6 unk_first_arr_126",
         "{\"t\":{\"x\":" + Arrays(126) +
             ",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
         kD4, kJ);
  t.Both("18.6 unk_alternating_126",
         unk(Repeat("[{\"a\":", 63) + "1" + Repeat("}]", 63)), kD4, kJ);
  t.Both("18.6 shape_nested_125",
         R"({"t":{"dtype":"F32","shape":)" + Repeat("[", 125) + "1" +
             Repeat("]", 125) + R"(,"data_offsets":[0,4]}})",
         kD4, kJ);
  t.Both("18.6 shape_nested_126",
         R"({"t":{"dtype":"F32","shape":)" + Repeat("[", 126) + "1" +
             Repeat("]", 126) + R"(,"data_offsets":[0,4]}})",
         kD4, kJ);
  t.Both("18.6 arrform_4th_125",
         R"({"t":["F32",[1],[0,4],)" + Arrays(125) + "]}", kD4, kJ);
  t.Both("18.6 tensor_value_arr_126", "{\"t\":" + Arrays(126) + "}", kD4, kJ);
  t.Both("18.6 tensor_value_arr_127", "{\"t\":" + Arrays(127) + "}", kD4, kJ);
  t.Both("18.6 tensor_value_obj_126", "{\"t\":" + Objects(126) + "}", kD4, kJ);
  t.Both("18.6 tensor_value_obj_127", "{\"t\":" + Objects(127) + "}", kD4, kJ);
  t.Both("18.6 dtype_map_value_124",
         R"({"t":{"dtype":{"F32":)" + Arrays(124) +
             R"(},"shape":[1],"data_offsets":[0,4]}})",
         kD4, kJ);
  t.Both("18.6 dtype_map_value_125",
         R"({"t":{"dtype":{"F32":)" + Arrays(125) +
             R"(},"shape":[1],"data_offsets":[0,4]}})",
         kD4, kJ);
  t.Both("18.6 toplevel_obj_127", Objects(127), "", kJ);
  t.Both("18.6 toplevel_obj_128", Objects(128), "", kJ);
  t.Both("18.6 meta_value_arr_1",
         "{\"__metadata__\":{\"k\":" + Arrays(1) + "},\"t\":" + kV + "}", kD4,
         kJ);
  t.Both("18.6 meta_value_arr_1000",
         "{\"__metadata__\":{\"k\":" + Arrays(1000) + "},\"t\":" + kV + "}",
         kD4, kJ);
  t.Both("18.6 meta_itself_arr_1000",
         "{\"__metadata__\":" + Arrays(1000) + ",\"t\":" + kV + "}", kD4, kJ);
  t.Both("18.6 toplevel_arr_1000", Arrays(1000), "", kJ);
  t.Both("18.6 deep_then_badmeta",
         "{\"t\":" + VWith("\"x\":" + Arrays(130)) +
             ",\"__metadata__\":{\"k\":1}}",
         kD4, kJ);
}

void Numbers(Table& t) {  // docs/specification.md §7.3
  const std::string k309 = "1" + std::string(308, '0');
  const std::string k310 = "1" + std::string(309, '0');
  const std::string k1000 = std::string(1000, '9');
  const std::string kTinyFrac = "0." + std::string(1001, '0');

  // In shape: U8 [x], [0,0], no data.
  auto shape = [](const std::string& x) {
    return "{\"t\":{\"dtype\":\"U8\",\"shape\":[" + x +
           "],\"data_offsets\":[0,0]}}";
  };
  t.Both("18.7 shape 0", shape("0"), "", kOk, {{"t", "U8", {0}, 0, 0}});
  t.Both("18.7 shape 1", shape("1"), "", kInfo);
  t.Both("18.7 shape 2^64-1", shape("18446744073709551615"), "", kOverflow);
  // In data_offsets: [0,x], U8 [0], no data.
  auto offs = [](const std::string& x) {
    return "{\"t\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0," + x +
           "]}}";
  };
  t.Both("18.7 offs 0", offs("0"), "", kOk, {{"t", "U8", {0}, 0, 0}});
  t.Both("18.7 offs 1", offs("1"), "", kInfo);
  t.Both("18.7 offs 2^64-1", offs("18446744073709551615"), "", kInfo);
  t.Both("18.7 offs_both_u64max",
         "{\"t\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":["
         "18446744073709551615,18446744073709551615]}}",
         "", kOffset);
  const std::string kNotUsize[] = {"1.0",
                                   "1e0",
                                   "1E0",
                                   "1e+0",
                                   "0.0",
                                   "0e0",
                                   "-0",
                                   "-0.0",
                                   "00",
                                   "01",
                                   "-1",
                                   "18446744073709551616",
                                   "-9223372036854775808",
                                   "-9223372036854775809",
                                   "1000000000000000000000000",
                                   k309,
                                   k310,
                                   k1000,
                                   kTinyFrac,
                                   "1e400",
                                   "1e-400",
                                   "-1e400",
                                   "0e400",
                                   "1e99999999999999999999",
                                   "0e99999999999999999999",
                                   "1e-99999999999999999999",
                                   "+1",
                                   ".1",
                                   "1.",
                                   "1e",
                                   "1e+",
                                   "0x1",
                                   "-",
                                   "--1",
                                   "Infinity",
                                   "NaN",
                                   "true",
                                   "null",
                                   "\"1\"",
                                   "18446744073709551616.5",
                                   "18446744073709551616."};
  for (const std::string& x : kNotUsize) {
    const std::string tag =
        x.substr(0, 30) + " (" + std::to_string(x.size()) + " bytes)";
    t.Both("18.7 shape " + tag, shape(x), "", kJ);
    t.Both("18.7 offs " + tag, offs(x), "", kJ);
  }

  // In an ignored tensor field: accepted when the lexer accepts the token.
  auto unk = [](const std::string& x) {
    return "{\"t\":" + VWith("\"x\":" + x) + "}";
  };
  const std::string kLexOk[] = {
      "0", "1", "1.0", "1e0", "-0", "-0.0", "-1", "-5", "1.5e300",
      "18446744073709551615", "18446744073709551616", "-9223372036854775809",
      "1000000000000000000000000", k309, kTinyFrac, "1e-400", "0e400",
      "0e99999999999999999999", "1e-99999999999999999999",
      "1.7976931348623157e308", "1.79769313486231581e308", "1e308", "0.1e309",
      "0e2147483648", "1e-2147483649", "4.9e-324", "18446744073709551616.6",
      "18446744073709551616.55", "184467440737095516160.5",
      "18446744073709551615.5",
      // The fixed lexer (docs/specification.md §7.3): serde_json 1.0.87
      // rejected these.
      "18446744073709551616.5", "18446744073709551616.0",
      "18446744073709551616.5e3", "-18446744073709551619.3"};
  for (const std::string& x : kLexOk) {
    t.RefOnly("18.7 unk " + x.substr(0, 30) + " (" + std::to_string(x.size()) +
                  " bytes)",
              unk(x), kD4, {EV("t")});
  }
  const std::string kLexBad[] = {
      "00", "01", k310, k1000, "1e400", "-1e400", "1e99999999999999999999",
      "1.7976931348623158e308", "1.7976931348623159e308",
      "17976931348623158e292", "1e2147483647", "1e2147483648", "+1", ".1", "1.",
      "1.e5", "1e", "1e+", "0x1", "-", "--1", "Infinity", "NaN",
      // The fixed lexer (docs/specification.md §7.3): serde_json 1.0.87
      // accepted these.
      "18446744073709551616.", "99999999999999999999.",
      "99999999999999999999.e5", "18446744073709551615."};
  for (const std::string& x : kLexBad) {
    t.Both("18.7 unk " + x.substr(0, 30) + " (" + std::to_string(x.size()) +
               " bytes)",
           unk(x), kD4, kJ);
  }
  for (const char* value : {"1", "1.0", "-1", "18446744073709551616", "1e400",
                            "-0", "01", "18446744073709551616."}) {
    t.Both(std::string("18.7 meta value ") + value,
           std::string("{\"__metadata__\":{\"k\":") + value + "},\"t\":" + kV +
               "}",
           kD4, kJ);
  }
  for (const char* value : {"1e400", "-1", "1.5", "18446744073709551616"}) {
    t.Both(std::string("18.7 toplevel value ") + value,
           std::string("{\"t\":") + value + "}", kD4, kJ);
  }
}

void Strings(Table& t) {  // docs/specification.md §7.2
  auto named = [](const std::string& name) {
    return "{\"" + name + "\":" + kV + "}";
  };
  t.Both("18.8 name_esc_nul", named("a\\u0000b"), kD4, kOk, {EV("a\0b"s)});
  t.Both("18.8 name_only_nul", named("\\u0000"), kD4, kOk, {EV("\0"s)});
  t.Both("18.8 name_esc_upperhex", named("\\u00E9"), kD4, kOk,
         {EV("\xc3\xa9")});
  t.Both("18.8 name_pair_ok", named("\\ud83d\\ude00"), kD4, kOk,
         {EV("\xf0\x9f\x98\x80")});
  t.Both("18.8 name_pair_upper", named("\\uD83D\\uDE00"), kD4, kOk,
         {EV("\xf0\x9f\x98\x80")});
  t.Both("18.8 name_esc_ffff", named("\\uffff"), kD4, kOk,
         {EV("\xef\xbf\xbf")});
  t.Both("18.8 name_esc_fffe", named("\\ufffe"), kD4, kOk,
         {EV("\xef\xbf\xbe")});
  t.Both("18.8 name_raw_del", named("\x7f"), kD4, kOk, {EV("\x7f")});
  t.Both("18.8 name_raw_2028", named("\xe2\x80\xa8\xe2\x80\xa9"), kD4, kOk,
         {EV("\xe2\x80\xa8\xe2\x80\xa9")});
  t.Both("18.8 name_raw_ffff", named("\xef\xbf\xbf"), kD4, kOk,
         {EV("\xef\xbf\xbf")});
  t.Both("18.8 name_raw_10ffff", named("\xf4\x8f\xbf\xbf"), kD4, kOk,
         {EV("\xf4\x8f\xbf\xbf")});
  t.Both("18.8 name_raw_bom", named("\xef\xbb\xbf"), kD4, kOk,
         {EV("\xef\xbb\xbf")});
  t.Both("18.8 name_raw_nbsp", named("\xc2\xa0"), kD4, kOk, {EV("\xc2\xa0")});
  t.Both("18.8 name_esc_slash", named("a\\/b"), kD4, kOk, {EV("a/b")});
  t.Both("18.8 name_decomposed", named("e\\u0301"), kD4, kOk,
         {EV("e\xcc\x81")});
  t.Both("18.8 name_all_escapes", named("\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001"),
         kD4, kOk, {EV("\"\\/\b\f\n\r\t\x01")});
  for (const char* name : {"\\x41",
                           "\\u12",
                           "\\u12g4",
                           "\\U0041",
                           "\\a",
                           "\\0",
                           "\\'",
                           "\\v",
                           "\\ ",
                           "\\udc00",
                           "\\ud800",
                           "\\ud800abc",
                           "\\udc00\\ud800",
                           "\\ud800\\ud800",
                           "\\ud800\\u0041",
                           "\\ud800\\n",
                           "\x1f",
                           "\x0c",
                           "\x0b",
                           "\x0a",
                           "\x09",
                           "\x0d"}) {
    t.Both(std::string("18.8 bad name ") + name, named(name), kD4, kJ);
  }
  t.Both("18.8 name_raw_nul", named("\0"s), kD4, kJ);
  t.RefOnly("18.8 dup_a_esc", "{\"a\":" + kU + ",\"\\u0061\":" + kV + "}", kD4,
            {EV("a")});
  t.RefOnly("18.8 dup_slash", "{\"a/b\":" + kU + ",\"a\\/b\":" + kV + "}", kD4,
            {EV("a/b")});
  t.RefOnly("18.8 dup_pair_vs_raw",
            "{\"\xf0\x9f\x98\x80\":" + kU + ",\"\\ud83d\\ude00\":" + kV + "}",
            kD4, {EV("\xf0\x9f\x98\x80")});
  t.Both("18.8 dup_nfc_nfd",
         "{\"\\u00e9\":" + kU + ",\"e\\u0301\":" + Obj("F32", "1", 4, 8) + "}",
         Seq(8), kOk, {EU("\xc3\xa9"), {"e\xcc\x81", "F32", {1}, 4, 8}});
  t.RefOnly(
      "18.8 meta_dup_esc",
      "{\"__metadata__\":{\"a\":\"1\",\"\\u0061\":\"2\"},\"t\":" + kV + "}",
      kD4, {EV("t")}, M({{"a", "2"}}));
  t.Both("18.8 meta_val_nul",
         "{\"__metadata__\":{\"k\":\"\\u0000\"},\"t\":" + kV + "}", kD4, kOk,
         {EV("t")}, M({{"k", "\0"s}}));
  t.Both("18.8 meta_val_rawdel",
         "{\"__metadata__\":{\"k\":\"a\x7f\xe2\x80\xa8\"},\"t\":" + kV + "}",
         kD4, kOk, {EV("t")}, M({{"k", "a\x7f\xe2\x80\xa8"}}));
  for (const char* meta : {"{\"k\":\"\\udc00\"}", "{\"k\":\"\\x\"}",
                           "{\"k\":\"a\tb\"}", "{\"\\ud800\":\"v\"}"}) {
    t.Both(std::string("18.8 bad meta ") + meta,
           std::string("{\"__metadata__\":") + meta + ",\"t\":" + kV + "}", kD4,
           kJ);
  }
  for (const char* member :
       {"\"x\":\"\\ud800\"", "\"x\":\"\\udc00\"", "\"x\":\"\\x\"",
        "\"\\ud800\":1", "\"x\":\"\x01\""}) {
    t.Both(std::string("18.8 bad unknown field ") + member,
           "{\"t\":" + VWith(member) + "}", kD4, kJ);
  }
  t.Both(
      "18.8 dtype_escaped",
      R"({"t":{"dtype":"\u0046\u0033\u0032","shape":[1],"data_offsets":[0,4]}})",
      kD4, kOk, {EV("t")});
  t.Both("18.8 field_escaped",
         R"({"t":{"\u0064type":"F32","shape":[1],"data_offsets":[0,4]}})", kD4,
         kOk, {EV("t")});
  t.Both(
      "18.8 field_escaped_dup",
      R"({"t":{"dtype":"F32","\u0064type":"F32","shape":[1],"data_offsets":[0,4]}})",
      kD4, kJ);
  t.Both("18.8 unterminated", "{\"t", "", kJ);
  t.Both("18.8 esc_at_end", "{\"\\u12", "", kJ);
}

void UnknownFields(Table& t) {  // docs/specification.md §5.5
  for (const char* member :
       {"\"x\":null", "\"x\":true", "\"x\":false", "\"x\":0", "\"x\":-5",
        "\"x\":1.5e300", "\"x\":\"s\"", "\"x\":[]", "\"x\":{}",
        R"("x":[1,[2,{"a":[null,true,"x"]}],{"b":{}}])",
        R"("__metadata__":{"k":1})", R"("x":{"a":1,"a":2})",
        R"("x":1,"x":2)"}) {
    t.RefOnly(std::string("18.9 unknown ") + member,
              "{\"t\":" + VWith(member) + "}", kD4, {EV("t")});
  }
  t.RefOnly("18.9 tensor_unk_deep100",
            "{\"t\":" + VWith("\"x\":" + Arrays(100)) + "}", kD4, {EV("t")});
  t.RefOnly("18.9 tensor_unk_objdeep100",
            "{\"t\":" + VWith("\"x\":" + Objects(100)) + "}", kD4, {EV("t")});
  t.RefOnly("18.9 tensor_unk_first",
            R"({"t":{"x":1,"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
            kD4, {EV("t")});
  t.RefOnly(
      "18.9 tensor_unk_many",
      R"({"t":{"x":1,"x":2,"dtype":"F32","y":[],"shape":[1],"x":"3","data_offsets":[0,4]}})",
      kD4, {EV("t")});
  t.Both("18.9 tensor_unk_Dtype",
         R"({"t":{"Dtype":"F32","shape":[1],"data_offsets":[0,4]}})", kD4, kJ);
  t.Both("18.9 tensor_unk_dtypesp",
         R"({"t":{"dtype ":"F32","shape":[1],"data_offsets":[0,4]}})", kD4, kJ);
  t.Both("18.9 arr_extra", R"({"t":["F32",[1],[0,4],"x"]})", kD4, kJ);
  for (const char* value : {"1", "-1", "1.5", "\"s\"", "true", "false", "null",
                            "[]", "{}", "18446744073709551616"}) {
    t.Both(std::string("18.9 top-level value ") + value,
           std::string("{\"x\":") + value + "}", "", kJ);
  }
  t.Both("18.9 top_int_with_meta", R"({"__metadata__":{},"x":1})", "", kJ);
  t.Both("18.9 top_keyonly_empty", R"({"":{}})", "", kJ);
}

void Whitespace(Table& t) {  // docs/specification.md §7.1
  const std::string base = "{\"t\":" + kV + "}";
  struct Position {
    const char* name;
    std::string (*make)(const std::string& x);
  };
  static const std::string v = kV;
  const Position kPositions[] = {
      {"lead", [](const std::string& x) { return x + "{\"t\":" + v + "}"; }},
      {"trail", [](const std::string& x) { return "{\"t\":" + v + "}" + x; }},
      {"trail_after_sp",
       [](const std::string& x) { return "{\"t\":" + v + "} " + x; }},
      {"lead_after_sp",
       [](const std::string& x) { return " " + x + "{\"t\":" + v + "}"; }},
      {"after_lbrace",
       [](const std::string& x) { return "{" + x + "\"t\":" + v + "}"; }},
      {"before_colon",
       [](const std::string& x) { return "{\"t\"" + x + ":" + v + "}"; }},
      {"after_colon",
       [](const std::string& x) { return "{\"t\":" + x + v + "}"; }},
      {"before_comma",
       [](const std::string& x) {
         return "{\"t\":{\"dtype\":\"F32\"" + x +
                ",\"shape\":[1],\"data_offsets\":[0,4]}}";
       }},
      {"after_comma",
       [](const std::string& x) {
         return "{\"t\":{\"dtype\":\"F32\"," + x +
                "\"shape\":[1],\"data_offsets\":[0,4]}}";
       }},
      {"in_array",
       [](const std::string& x) {
         return "{\"t\":{\"dtype\":\"F32\",\"shape\":[" + x +
                "1],\"data_offsets\":[0,4]}}";
       }},
      {"before_rbrace",
       [](const std::string& x) { return "{\"t\":" + v + x + "}"; }},
      {"in_string",
       [](const std::string& x) { return "{\"t" + x + "\":" + v + "}"; }},
  };
  struct Byte {
    const char* name;
    std::string bytes;
  };
  const Byte kWhitespace[] = {
      {"20", " "}, {"09", "\t"}, {"0A", "\n"}, {"0D", "\r"}};
  const Byte kOther[] = {{"0C", "\x0c"},
                         {"0B", "\x0b"},
                         {"00", "\0"s},
                         {"C2A0", "\xc2\xa0"},
                         {"BOM", "\xef\xbb\xbf"},
                         {"2028", "\xe2\x80\xa8"},
                         {"3000", "\xe3\x80\x80"},
                         {"C285", "\xc2\x85"},
                         {"1C", "\x1c"},
                         {"1F", "\x1f"},
                         {"7F", "\x7f"}};
  for (const Position& p : kPositions) {
    const std::string pos = p.name;
    const bool lead = pos == "lead" || pos == "lead_after_sp";
    const bool trail = pos == "trail" || pos == "trail_after_sp";
    for (const Byte& b : kWhitespace) {
      const std::string name = "18.10 ws " + std::string(b.name) + " " + pos;
      const std::string header = p.make(b.bytes);
      if (pos == "in_string") {
        if (b.bytes == " ") {
          t.Both(name, header, kD4, kOk, {EV("t ")});
        } else {
          t.Both(name, header, kD4, kJ);  // a raw control character
        }
      } else if (lead || (trail && b.bytes != " ")) {
        t.RefOnly(name, header, kD4, {EV("t")});
      } else {
        t.Both(name, header, kD4, kOk, {EV("t")});
      }
    }
    for (const Byte& b : kOther) {
      const std::string name = "18.10 " + std::string(b.name) + " " + pos;
      const std::string header = p.make(b.bytes);
      if (pos == "in_string") {
        if (static_cast<unsigned char>(b.bytes[0]) < 0x20) {
          t.Both(name, header, kD4, kJ);
        } else {
          t.Both(name, header, kD4, kOk, {EV("t" + b.bytes)});
        }
      } else {
        t.Both(name, header, kD4, kJ);
      }
    }
    t.Both("18.10 A0raw " + pos, p.make("\xa0"), kD4, kUtf8);
  }
  const std::string mixed = Repeat(" \t\n\r", 250);
  t.RefOnly("18.10 long_ws", mixed + base + mixed, kD4, {EV("t")});
  t.Both("18.10 long_spaces_after", base + std::string(1000, ' '), kD4, kOk,
         {EV("t")});
  t.RefOnly("18.10 between_all",
            "\r\n{\t\"t\" \n:\r{ \"dtype\"\t:\n\"F32\"\r, \"shape\" :[\t1\n]\r,"
            "\n\"data_offsets\"\t: [ 0 ,\t4\n]\r}\n}\t",
            kD4, {EV("t")});
  t.Both("18.10 only_ws", "        ", "", kJ);
  t.Both("18.10 crlf_lines", "{\r\n\"t\":" + F3() + "\r\n}", kD4, kJ);
}

std::vector<Case> JsonLayerCases() {
  Table t;
  Duplicates(t);
  ArrayForms(t);
  DtypeForms(t);
  Metadata(t);
  Precedence(t);
  Depth(t);
  Numbers(t);
  Strings(t);
  UnknownFields(t);
  Whitespace(t);
  return std::move(t.cases());
}

TEST(ReaderCases, JsonLayer18) {
  std::vector<Case> cases = JsonLayerCases();
  EXPECT_GE(cases.size(), 80u);
  RunTable(cases);
}

// ---------------------------------------------------------------------------
// Every strict-only rejection of docs/specification.md §6: files the reference
// accepts and strict rejects with InvalidHeaderDeserialization. And, beside
// them, the nearest files that both accept.

std::vector<Case> StrictOnlyCases() {
  Table t;
  const std::string one = "{\"t\":" + kV + "}";
  // The header's first byte must be '{'.
  for (const char* ws : {" ", "\t", "\n", "\r", "\r\n", " \t\n\r"}) {
    t.RefOnly("strict: leading " + Printable(ws) + " before a tensor", ws + one,
              kD4, {EV("t")});
    t.RefOnly("strict: leading " + Printable(ws) + " before {}",
              std::string(ws) + "{}", "", {});
  }
  // After the top-level object, only 0x20.
  for (const char* ws : {"\t", "\n", "\r", " \n", "\r\n", "    \t", "\t    "}) {
    t.RefOnly("strict: trailing " + Printable(ws) + " after a tensor", one + ws,
              kD4, {EV("t")});
    t.RefOnly("strict: trailing " + Printable(ws) + " after {}",
              std::string("{}") + ws, "", {});
  }
  t.Both("strict ok: 0x20 padding", one + "       ", kD4, kOk, {EV("t")});
  t.Both("strict ok: inner whitespace", "{\n\t\"t\"\r:\n" + kV + "\r\n}   ",
         kD4, kOk, {EV("t")});
  // Duplicate keys anywhere, after unescaping.
  t.RefOnly("strict: duplicate tensor name",
            "{\"a\":" + kU + ",\"a\":" + kV + "}", kD4, {EV("a")});
  t.RefOnly("strict: duplicate tensor name, escaped",
            "{\"a\":" + kU + ",\"\\u0061\":" + kV + "}", kD4, {EV("a")});
  t.RefOnly(
      "strict: duplicate tensor name, apart",
      "{\"a\":" + kU + ",\"b\":" + Obj("F32", "1", 4, 8) + ",\"a\":" + kV + "}",
      Z(8), {EV("a"), {"b", "F32", {1}, 4, 8}});
  t.RefOnly("strict: duplicate tensor name, both empty",
            "{\"a\":" + Obj("U8", "0", 0, 0) +
                ",\"a\":" + Obj("F32", "0", 0, 0) + "}",
            "", {{"a", "F32", {0}, 0, 0}});
  t.RefOnly("strict: duplicate metadata key",
            R"({"__metadata__":{"k":"1","k":"2"}})", "", {}, M({{"k", "2"}}));
  t.RefOnly(
      "strict: duplicate metadata key, escaped",
      "{\"__metadata__\":{\"k\":\"1\",\"\\u006b\":\"1\"},\"t\":" + kV + "}",
      kD4, {EV("t")}, M({{"k", "1"}}));
  t.RefOnly("strict: duplicate metadata key, same value",
            R"({"__metadata__":{"k":"v","k":"v"}})", "", {}, M({{"k", "v"}}));
  t.RefOnly("strict: duplicate unknown field",
            "{\"t\":" + VWith("\"x\":1,\"x\":1") + "}", kD4, {EV("t")});
  t.RefOnly("strict: duplicate key inside an unknown field",
            "{\"t\":" + VWith(R"("x":{"a":1,"a":1})") + "}", kD4, {EV("t")});
  t.Both("strict ok: distinct names a and b",
         "{\"a\":" + kV + ",\"b\":" + Obj("F32", "1", 4, 8) + "}", Z(8), kOk,
         {EV("a"), {"b", "F32", {1}, 4, 8}});
  t.Both("strict ok: names differing only in normalisation",
         "{\"\\u00e9\":" + kU + ",\"e\\u0301\":" + Obj("F32", "1", 4, 8) + "}",
         Z(8), kOk, {EU("\xc3\xa9"), {"e\xcc\x81", "F32", {1}, 4, 8}});
  t.Both("strict ok: metadata key equal to a tensor name",
         "{\"__metadata__\":{\"t\":\"t\"},\"t\":" + kV + "}", kD4, kOk,
         {EV("t")}, M({{"t", "t"}}));
  // Only dtype, shape and data_offsets.
  for (const char* member :
       {"\"x\":null", "\"extra\":{\"x\":[1,2]}", "\"__metadata__\":{}",
        "\"Dtype\":\"F32\"", "\"\":0", "\"dtype \":\"F32\""}) {
    t.RefOnly(std::string("strict: unknown field ") + member,
              "{\"t\":" + VWith(member) + "}", kD4, {EV("t")});
  }
  t.RefOnly("strict: unknown field first",
            R"({"t":{"x":[],"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
            kD4, {EV("t")});
  // Array-form entries and the {"F32":null} dtype.
  t.RefOnly("strict: array-form entry", R"({"t":["F32",[1],[0,4]]})", kD4,
            {EV("t")});
  t.RefOnly("strict: array-form entry, scalar", R"({"t":["I32",[],[0,4]]})",
            kD4, {{"t", "I32", {}, 0, 4}});
  t.RefOnly("strict: map-form dtype",
            R"({"t":{"dtype":{"F32":null},"shape":[1],"data_offsets":[0,4]}})",
            kD4, {EV("t")});
  t.RefOnly("strict: map-form dtype inside array form",
            R"({"t":[{"U8":null},[4],[0,4]]})", kD4, {EU("t")});
  // "__metadata__": null.
  t.RefOnly("strict: __metadata__ null", R"({"__metadata__":null})", "", {},
            kNoMeta);
  t.RefOnly("strict: __metadata__ null with a tensor",
            "{\"t\":" + kV + ",\"__metadata__\":null}", kD4, {EV("t")},
            kNoMeta);
  t.Both("strict ok: __metadata__ {}", "{\"__metadata__\":{},\"t\":" + kV + "}",
         kD4, kOk, {EV("t")}, M({}));
  // Nesting bounded by the schema (anything deeper is an unknown field or an
  // array form, which the reference accepts up to 127 containers).
  t.RefOnly("strict: nesting in an unknown field, depth 4",
            "{\"t\":" + VWith("\"x\":[]") + "}", kD4, {EV("t")});
  t.RefOnly("strict: nesting in an unknown field, depth 127",
            "{\"t\":" + VWith("\"x\":" + Objects(125)) + "}", kD4, {EV("t")});
  return std::move(t.cases());
}

TEST(ReaderCases, StrictOnlyRejections) {
  std::vector<Case> cases = StrictOnlyCases();
  RunTable(cases);
  // Every RefOnly case is a strict-only rejection.
  for (const Case& c : cases) {
    if (c.reference.ok && !c.strict.ok) {
      EXPECT_EQ(c.strict.kind, ErrorKind::kInvalidHeaderDeserialization)
          << c.name;
    }
  }
}

// The default ReadOptions is the strict profile.
TEST(ReaderCases, DefaultProfileIsStrict) {
  const std::string leading = MakeFile(" {}");
  EXPECT_THAT(SafeTensors::Parse(absl::string_view(leading)).status(),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  const std::string dup = MakeFile("{\"a\":" + kU + ",\"a\":" + kV + "}", kD4);
  EXPECT_THAT(SafeTensors::Parse(absl::string_view(dup)).status(),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  const std::string good = MakeFile("{\"t\":" + kV + "}  ", kD4);
  EXPECT_THAT(SafeTensors::Parse(absl::string_view(good)).status(), IsOk());
}

// The model's own constants (docs/specification.md §15).
TEST(ReaderCases, ModelFnvConstants) {
  EXPECT_EQ(Hex16(Fnv("")), "cbf29ce484222325");
  EXPECT_EQ(Hex16(Fnv("a")), "af63dc4c8601ec8c");
  EXPECT_EQ(JsonQuote("a\"\\\b\f\n\r\t\x01\x1f\x7f\0"s),
            "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\\u0000\"");
}

}  // namespace
}  // namespace safetensors
