// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `safetensors create`, run as a child process: every writer case of
// conformance/manifest.json, handed over as the conformance runner hands it
// (the case without id, description, flags and expected, as a JSON file),
// must give exactly the committed bytes or `reject<TAB>Kind` with the
// expected kind; specs it must refuse give exit 2 and a message saying
// where. The bytes of data_hex are the file's, so the files are the same
// under --config=s390x.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "conformance/manifest.h"
#include "safetensors/file.h"
#include "safetensors/internal/json_escape.h"
#include "tools/tool_runner.h"

#if defined(__SANITIZE_ADDRESS__)
#define SAFETENSORS_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define SAFETENSORS_UNDER_SANITIZER 1
#endif
#endif

namespace safetensors {
namespace {

using ::safetensors::conformance::JsonValue;
using ::safetensors::tool_test::ReadFile;
using ::safetensors::tool_test::Result;
using ::safetensors::tool_test::RunTool;
using ::safetensors::tool_test::TempPath;
using ::safetensors::tool_test::WriteFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// `v` as JSON text: strings quoted as the writer quotes them (non-ASCII
// raw), numbers as their token.
void AppendJson(const JsonValue& v, std::string* out) {
  switch (v.type) {
    case JsonValue::Type::kNull:
      *out += "null";
      return;
    case JsonValue::Type::kBool:
      *out += v.boolean ? "true" : "false";
      return;
    case JsonValue::Type::kNumber:
      *out += v.text;
      return;
    case JsonValue::Type::kString:
      internal::json::AppendQuoted(v.text, out);
      return;
    case JsonValue::Type::kArray:
      *out += '[';
      for (size_t i = 0; i < v.array.size(); ++i) {
        if (i > 0) *out += ", ";
        AppendJson(v.array[i], out);
      }
      *out += ']';
      return;
    case JsonValue::Type::kObject:
      *out += '{';
      for (size_t i = 0; i < v.object.size(); ++i) {
        if (i > 0) *out += ", ";
        internal::json::AppendQuoted(v.object[i].first, out);
        *out += ": ";
        AppendJson(v.object[i].second, out);
      }
      *out += '}';
      return;
  }
}

// One writer case of the manifest: the spec the runner writes for it, and
// what it expects.
struct WriteCase {
  std::string id;
  std::string spec;
  bool generated = false;
  bool expect_error = false;
  std::string kind;           // when expect_error
  std::string expected_file;  // relative to conformance/, when !expect_error
  uint64_t size = 0;          // of expected_file
  size_t tensors = 0;
};

std::vector<WriteCase> LoadWriteCases() {
  std::vector<WriteCase> cases;
  const absl::StatusOr<std::string> text = conformance::ReadWholeFile(
      absl::StrCat(conformance::ConformanceDir(), "/manifest.json"));
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return cases;
  const absl::StatusOr<JsonValue> manifest = conformance::ParseJson(*text);
  EXPECT_TRUE(manifest.ok()) << manifest.status();
  if (!manifest.ok()) return cases;
  const JsonValue* writes = manifest->Find("writes");
  EXPECT_NE(writes, nullptr);
  if (writes == nullptr) return cases;
  for (const JsonValue& w : writes->array) {
    WriteCase c;
    JsonValue spec;
    spec.type = JsonValue::Type::kObject;
    for (const auto& [key, value] : w.object) {
      if (key == "id") {
        c.id = value.text;
      } else if (key == "flags") {
        for (const JsonValue& f : value.array) {
          if (f.text == "generated") c.generated = true;
        }
      } else if (key == "expected") {
        const JsonValue* result = value.Find("result");
        c.expect_error = result != nullptr && result->text == "error";
        if (const JsonValue* k = value.Find("kind")) c.kind = k->text;
        if (const JsonValue* f = value.Find("file")) c.expected_file = f->text;
        if (const JsonValue* s = value.Find("size")) c.size = s->uint;
      } else if (key != "description") {
        if (key == "tensors") c.tensors = value.array.size();
        spec.object.emplace_back(key, value);
      }
    }
    AppendJson(spec, &c.spec);
    cases.push_back(std::move(c));
  }
  return cases;
}

const std::vector<WriteCase>& WriteCases() {
  static const std::vector<WriteCase>* cases =
      new std::vector<WriteCase>(LoadWriteCases());
  return *cases;
}

std::vector<const WriteCase*> AllWriteCases() {
  std::vector<const WriteCase*> out;
  for (const WriteCase& c : WriteCases()) out.push_back(&c);
  return out;
}

TEST(CreateManifest, HasEveryWriterCase) {
  EXPECT_EQ(WriteCases().size(), conformance::LoadManifest().writes.size());
  EXPECT_GE(WriteCases().size(), 35u);
}

class CreateConformance : public ::testing::TestWithParam<const WriteCase*> {};

TEST_P(CreateConformance, WritesTheExpectedBytesOrRejects) {
  const WriteCase& c = *GetParam();
  SCOPED_TRACE(absl::StrCat(c.id, ": ", c.spec.substr(0, 300)));
  if (c.generated) {
#ifdef SAFETENSORS_UNDER_SANITIZER
    GTEST_SKIP() << "a name of 100 MB copied a few times over is slow and "
                    "large under a sanitizer";
#endif
  }
  const std::string spec = WriteFile(c.id + ".json", c.spec);
  const std::string out = TempPath(c.id + ".safetensors");
  const Result r = RunTool({"create", spec, out});
  if (c.expect_error) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, absl::StrCat("reject\t", c.kind, "\n"));
    EXPECT_THAT(r.err,
                StartsWith(absl::StrCat("safetensors create: ", spec, ": ")));
    EXPECT_FALSE(Exists(out)) << "a rejected spec wrote " << out;
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  const std::string expected = ReadFile(
      absl::StrCat(conformance::ConformanceDir(), "/", c.expected_file));
  EXPECT_EQ(expected.size(), c.size);
  const std::string got = ReadFile(out);
  EXPECT_EQ(got.size(), c.size);
  EXPECT_TRUE(got == expected) << "the bytes differ from " << c.expected_file;
  EXPECT_EQ(r.out, absl::StrCat("wrote ", out, ": ", c.tensors,
                                c.tensors == 1 ? " tensor, " : " tensors, ",
                                c.size, " bytes\n"));
}

// `json` with every non-ASCII character (all inside strings) escaped as
// \uXXXX, surrogate pairs above U+FFFF: how Python's json.dumps writes the
// runner's specs by default.
std::string AsciiEscaped(absl::string_view json) {
  std::string out;
  for (size_t i = 0; i < json.size();) {
    const unsigned char c = static_cast<unsigned char>(json[i]);
    if (c < 0x80) {
      out += json[i++];
      continue;
    }
    const int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    uint32_t code = c & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      code = (code << 6) | (static_cast<unsigned char>(json[i + k]) & 0x3F);
    }
    i += length;
    if (code >= 0x10000) {
      code -= 0x10000;
      absl::StrAppend(&out,
                      absl::StrFormat("\\u%04x\\u%04x", 0xD800 + (code >> 10),
                                      0xDC00 + (code & 0x3FF)));
    } else {
      absl::StrAppend(&out, absl::StrFormat("\\u%04x", code));
    }
  }
  return out;
}

// The same bytes from a spec whose names and keys are all \u escapes.
TEST_P(CreateConformance, AsciiEscapedSpec) {
  const WriteCase& c = *GetParam();
  const std::string ascii = AsciiEscaped(c.spec);
  if (ascii == c.spec) GTEST_SKIP() << "the spec is ASCII already";
  SCOPED_TRACE(absl::StrCat(c.id, ": ", ascii.substr(0, 300)));
  const std::string spec = WriteFile(c.id + ".ascii.json", ascii);
  const std::string out = TempPath(c.id + ".ascii.safetensors");
  const Result r = RunTool({"create", spec, out});
  if (c.expect_error) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, absl::StrCat("reject\t", c.kind, "\n"));
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ReadFile(out) ==
              ReadFile(absl::StrCat(conformance::ConformanceDir(), "/",
                                    c.expected_file)));
}

INSTANTIATE_TEST_SUITE_P(
    Writes, CreateConformance, ::testing::ValuesIn(AllWriteCases()),
    [](const ::testing::TestParamInfo<const WriteCase*>& info) {
      return info.param->id;
    });

// The spec from standard input ("-"), which StartTool's child opens here.
const char* g_stdin_path = nullptr;
void StdinFromFile() {
  const int fd = open(g_stdin_path, O_RDONLY);
  if (fd < 0 || dup2(fd, 0) < 0) _exit(126);
}

Result RunWithStdin(const std::vector<std::string>& args,
                    const std::string& stdin_path) {
  g_stdin_path = stdin_path.c_str();
  return tool_test::Wait(tool_test::StartTool(args, {}, StdinFromFile));
}

TEST(Create, SpecFromStandardInput) {
  const std::string spec = WriteFile(
      "stdin.json",
      R"({"tensors": [{"name": "test", "dtype": "I32", "shape": [2, 2],
                       "data_hex": "00000000000000000000000000000000"}],
          "metadata": null, "options": {"alignment": 4096}})");
  const std::string out = TempPath("stdin.safetensors");
  const Result r = RunWithStdin({"create", "-", out}, spec);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("wrote ", out, ": 1 tensor, 4112 bytes\n"));
  EXPECT_EQ(ReadFile(out).size(), 4112u);
}

// The bytes of `path`'s tensor `name`, read back with the library.
std::string TensorBytes(const std::string& path, absl::string_view name) {
  absl::StatusOr<File> f = File::Open(path);
  EXPECT_TRUE(f.ok()) << f.status();
  if (!f.ok()) return "";
  absl::StatusOr<TensorView> t = f->Tensor(name);
  EXPECT_TRUE(t.ok()) << t.status();
  if (!t.ok()) return "";
  return std::string(reinterpret_cast<const char*>(t->data().data()),
                     t->data().size());
}

TEST(Create, FillByteAndPattern) {
  const std::string spec = WriteFile("fill.json",
                                     R"({"tensors": [
            {"name": "zeros", "dtype": "BF16", "shape": [3, 5],
             "fill": {"byte": 0}},
            {"name": "sevens", "dtype": "U8", "shape": [3000000],
             "fill": {"byte": 7}},
            {"name": "ones", "dtype": "F32", "shape": [3],
             "fill": {"hex": "0000803F"}},
            {"name": "empty", "dtype": "F64", "shape": [0, 2],
             "fill": {"hex": "00"}}],
          "metadata": {"b": "2", "a": "1"}})");
  const std::string out = TempPath("fill.safetensors");
  const Result r = RunTool({"create", spec, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith(absl::StrCat("wrote ", out, ": 4 tensors, ")));
  EXPECT_EQ(TensorBytes(out, "zeros"), std::string(30, '\0'));
  EXPECT_EQ(TensorBytes(out, "sevens"), std::string(3000000, '\7'));
  EXPECT_EQ(
      TensorBytes(out, "ones"),
      std::string("\x00\x00\x80\x3f\x00\x00\x80\x3f\x00\x00\x80\x3f", 12));
  EXPECT_EQ(TensorBytes(out, "empty"), "");
  absl::StatusOr<File> f = File::Open(out);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->metadata(), (MetadataMap{{"a", "1"}, {"b", "2"}}));
}

// A fill's size goes through the writer's checks like data does.
TEST(Create, FillTheWriterRefuses) {
  for (const auto& [shape, dtype, kind] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"[4294967296, 4294967296]", "U8", "ValidationOverflow"},
           {"[4294967296, 4294967296, 2]", "F4", "ValidationOverflow"},
           {"[3]", "F4", "MisalignedSlice"}}) {
    SCOPED_TRACE(shape + " " + dtype);
    const std::string spec = WriteFile(
        "fill_refused.json",
        absl::StrCat(R"({"tensors": [{"name": "t", "dtype": ")", dtype,
                     R"(", "shape": )", shape, R"(, "fill": {"byte": 0}}]})"));
    const std::string out = TempPath("fill_refused.safetensors");
    const Result r = RunTool({"create", spec, out});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, absl::StrCat("reject\t", kind, "\n"));
    EXPECT_FALSE(Exists(out));
  }
}

// Specs that are not valid: exit 2, nothing on stdout, nothing written, and
// the message says where.
TEST(Create, BadSpecs) {
  const std::string suffix = " (safetensors help create describes the spec)\n";
  const std::string kTensor = R"("name": "t", "dtype": "U8", "shape": [1])";
  struct Case {
    std::string spec;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"tensors": [], "date": 1})",
       R"(the spec: unknown key "date" (expected tensors, metadata, options))"},
      {absl::StrCat(R"({"tensors": [{)", kTensor, R"(, "date_hex": "00"}]})"),
       R"(tensors[0]: unknown key "date_hex" (expected name, dtype, shape, )"
       R"(data_hex, fill))"},
      {R"({"tensors": [], "options": {"alignment": 8, "order": "x"}})",
       R"(options: unknown key "order" (expected alignment))"},
      {absl::StrCat(R"({"tensors": [{)", kTensor, R"(, "data_hex": "0g"}]})"),
       "tensors[0].data_hex: character 2 is not a hex digit ('g')"},
      {absl::StrCat(R"({"tensors": [{)", kTensor, R"(, "data_hex": "000"}]})"),
       "tensors[0].data_hex: an odd number of hex digits (3); two make one "
       "byte"},
      {absl::StrCat(R"({"tensors": [{)", kTensor, R"(, "data_hex": 0}]})"),
       "tensors[0].data_hex: expected a string, got a number"},
      {R"({"tensors": [{"name": "t", "dtype": "U8", "shape": [-1], )"
       R"("data_hex": ""}]})",
       "tensors[0].shape[0]: expected an unsigned integer (0 to 2^64-1), got "
       "-1"},
      {R"({"tensors": [{"name": "t", "dtype": "U8", "shape": 1, )"
       R"("data_hex": ""}]})",
       "tensors[0].shape: expected an array of unsigned integers, got a "
       "number"},
      {R"({"tensors": [{"name": 7, "dtype": "U8", "shape": [1], )"
       R"("data_hex": "00"}]})",
       R"(tensors[0].name: expected a string or {"repeat": S, "count": N}, )"
       "got a number"},
      {R"({"tensors": [{"name": {"repeat": "a"}, "dtype": "U8", )"
       R"("shape": [1], "data_hex": "00"}]})",
       R"(tensors[0].name: missing "count" (a name is {"repeat": S, )"
       R"("count": N}: S repeated N times))"},
      {R"({"tensors": [{"name": "t", "dtype": "float32", "shape": [1], )"
       R"("data_hex": "00"}]})",
       R"(tensors[0].dtype: unknown dtype "float32" (the format's are BOOL, )"
       "F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, "
       "F8_E4M3FNUZ, F8_E5M2FNUZ, I16, U16, F16, BF16, I32, U32, F32, C64, "
       "F64, I64, U64)"},
      {absl::StrCat(R"({"tensors": [{)", kTensor, R"(}]})"),
       R"(tensors[0]: missing the bytes: give "data_hex" or "fill")"},
      {R"({"tensors": [{"dtype": "U8", "shape": [1], "data_hex": "00"}]})",
       R"(tensors[0]: missing "name")"},
      {absl::StrCat(R"({"tensors": [{)", kTensor,
                    R"(, "data_hex": "00", "fill": {"byte": 0}}]})"),
       R"(tensors[0]: give one of "data_hex" and "fill", not both)"},
      {absl::StrCat(R"({"tensors": [{)", kTensor,
                    R"(, "fill": {"byte": 256}}]})"),
       "tensors[0].fill.byte: expected a byte value from 0 to 255, got 256"},
      {absl::StrCat(R"({"tensors": [{)", kTensor,
                    R"(, "fill": {"byte": 1, "hex": "00"}}]})"),
       R"(tensors[0].fill: give one of "byte" and "hex", not both)"},
      {absl::StrCat(R"({"tensors": [{)", kTensor, R"(, "fill": {}}]})"),
       R"(tensors[0].fill: expected {"byte": B} or {"hex": "PATTERN"})"},
      {absl::StrCat(R"({"tensors": [{)", kTensor,
                    R"(, "fill": {"hex": ""}}]})"),
       "tensors[0].fill.hex: the pattern is empty"},
      {R"({"tensors": [], "tensors": []})",
       R"(the spec: key "tensors" given twice)"},
      {R"({"metadata": null})",
       R"(the spec: missing "tensors" (an array; [] for none))"},
      {R"({"tensors": [], "metadata": {"a": 1}})",
       R"(metadata."a": expected a string, got a number)"},
      {R"({"tensors": [], "metadata": {"a": "1", "a": "2"}})",
       R"(metadata."a": given twice)"},
      {R"({"tensors": [], "metadata": []})",
       "metadata: expected an object of strings, or null, got an array"},
      {R"({"tensors": {}})", "tensors: expected an array, got an object"},
      {R"({"tensors": [1]})", "tensors[0]: expected an object, got a number"},
      {"[]", R"(line 1, column 1: expected the spec, an object {"tensors": )"
             R"([...], ...}, got an array)"},
      {"{\"tensors\": [],\n  \"metadata\": nul}",
       "line 2, column 18: not valid JSON (expected value)"},
      {"{\"tensors\": []} x",
       "line 1, column 17: not valid JSON (trailing "
       "characters)"},
      {"", "line 1, column 1: not valid JSON (unexpected end of input)"},
      {"{\"tensors\": [], \"metadata\": {\"\xff\": \"\"}}",
       "line 1, column 31: not UTF-8"},
  };
  const std::string out = TempPath("bad_spec.safetensors");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.spec);
    const std::string spec = WriteFile("bad_spec.json", c.spec);
    const Result r = RunTool({"create", spec, out});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_EQ(r.err, absl::StrCat("safetensors create: ", spec, ": ", c.message,
                                  suffix));
    EXPECT_FALSE(Exists(out));
  }
}

// Refusals that are the spec's fault although the JSON is well formed: an
// alignment the writer does not take, a fill pattern that does not divide
// the tensor.
TEST(Create, SpecTheWriterCannotTake) {
  const std::string out = TempPath("cannot_take.safetensors");
  std::string spec = WriteFile(
      "alignment.json", R"({"tensors": [], "options": {"alignment": 12}})");
  Result r = RunTool({"create", spec, out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err, absl::StrCat("safetensors create: ", spec,
                                ": alignment 12 is not a power of two from 8 "
                                "to 65536\n"));
  spec = WriteFile("pattern.json",
                   R"({"tensors": [{"name": "t", "dtype": "U8", "shape": [5],
                                    "fill": {"hex": "0102"}}]})");
  r = RunTool({"create", spec, out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err, absl::StrCat("safetensors create: ", spec,
                                ": tensors[0].fill: the tensor's 5 bytes are "
                                "not a whole number of the 2-byte pattern\n"));
  EXPECT_FALSE(Exists(out));
}

TEST(Create, MissingSpec) {
  const std::string spec = TempPath("no_such_spec.json");
  const std::string out = TempPath("missing_spec.safetensors");
  const Result r = RunTool({"create", spec, out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err, absl::StrCat("safetensors create: cannot read \"", spec,
                                "\": No such file or directory\n"));
  EXPECT_FALSE(Exists(out));
}

TEST(Create, Usage) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"create"}, {"create", "a.json"}, {"create", "a", "b", "c"}}) {
    const Result r = RunTool(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_EQ(r.err,
              "safetensors create: expects SPEC and OUT\n"
              "Run 'safetensors help create' for usage.\n");
  }
  const Result r = RunTool({"create", "--force", "a", "b"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--force"));
}

// OUT is replaced atomically, as extract and convert replace it.
TEST(Create, ReplacesAnExistingOut) {
  const std::string out =
      WriteFile("existing.safetensors", "an earlier file, not safetensors");
  const std::string spec = WriteFile("small.json", R"({"tensors": []})");
  const Result r = RunTool({"create", spec, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(out), std::string("\x08\0\0\0\0\0\0\0{}      ", 16));
  EXPECT_THAT(tool_test::ListDirectory(TempPath("")),
              ::testing::Not(::testing::Contains(HasSubstr(".tmp-"))));
}

TEST(Create, OutIsADirectory) {
  const std::string dir = TempPath("out_dir");
  ASSERT_TRUE(mkdir(dir.c_str(), 0777) == 0 || errno == EEXIST);
  const std::string spec = WriteFile("small_dir.json", R"({"tensors": []})");
  const Result r = RunTool({"create", spec, dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, StartsWith(absl::StrCat("safetensors create: cannot "
                                             "write \"")));
  struct stat st;
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST(Create, Help) {
  const Result a = RunTool({"help", "create"});
  const Result b = RunTool({"create", "--help"});
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_THAT(a.out, StartsWith("Usage: safetensors create SPEC OUT\n"));
  EXPECT_THAT(a.out, HasSubstr("\"data_hex\""));
  EXPECT_THAT(a.out, HasSubstr("\"fill\""));
  EXPECT_THAT(a.out, HasSubstr("Exit status: 0 written, 1 rejected"));
  EXPECT_EQ(a.out, b.out);
  EXPECT_THAT(RunTool({"help"}).out, HasSubstr("  create "));
}

}  // namespace
}  // namespace safetensors
