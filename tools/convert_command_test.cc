// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `safetensors convert`, run as a child process: its output and exit codes,
// and the files it writes, opened with the library and compared byte for
// byte with what convert.h's functions make of the input (expected bytes
// built little-endian on every host, so the test means the same under
// --config=s390x).

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/convert.h"
#include "safetensors/file.h"
#include "tools/tool_runner.h"

namespace safetensors {
namespace {

using ::safetensors::tool_test::MakeFile;
using ::safetensors::tool_test::ReadFile;
using ::safetensors::tool_test::Result;
using ::safetensors::tool_test::Runfile;
using ::safetensors::tool_test::RunTool;
using ::safetensors::tool_test::TempPath;
using ::safetensors::tool_test::WriteFile;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::string Tiny() { return Runfile("examples/tiny.safetensors"); }

File Open(const std::string& path) {
  absl::StatusOr<File> f = File::Open(path);
  EXPECT_TRUE(f.ok()) << f.status();
  return std::move(f).value();
}

std::optional<MetadataMap> MetadataOf(const std::string& path) {
  const File f = Open(path);
  return f.metadata();
}

std::vector<uint8_t> Bytes(const File& f, absl::string_view name) {
  absl::StatusOr<TensorView> t = f.Tensor(name);
  EXPECT_TRUE(t.ok()) << t.status();
  if (!t.ok()) return {};
  return std::vector<uint8_t>(t->data().begin(), t->data().end());
}

Dtype DtypeOf(const File& f, absl::string_view name) {
  absl::StatusOr<TensorView> t = f.Tensor(name);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? t->dtype() : Dtype::kU8;
}

void AppendLe(uint64_t bits, int bytes, std::vector<uint8_t>* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(bits >> (8 * i));
}

// The elements of `name` in `f` as floats (ConvertToFloat), encoded as
// little-endian BF16 codes by FloatToBf16Bits.
std::vector<uint8_t> AsBf16(const File& f, absl::string_view name) {
  absl::StatusOr<TensorView> t = f.Tensor(name);
  EXPECT_TRUE(t.ok()) << t.status();
  std::vector<float> values(t->element_count());
  EXPECT_TRUE(
      ConvertToFloat(t->dtype(), t->data(), absl::MakeSpan(values)).ok());
  std::vector<uint8_t> out;
  for (float v : values) AppendLe(FloatToBf16Bits(v), 2, &out);
  return out;
}

TEST(Convert, TinyToBf16) {
  const std::string out = TempPath("tiny_bf16.safetensors");
  const Result r = RunTool({"convert", "--to=BF16", Tiny(), out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            absl::StrCat("wrote ", out,
                         ": 6 tensors, 2 converted to BF16 (F64 1, F32 1), "
                         "509 bytes\n"
                         "  exact: 1 tensor\n"
                         "  rounded: 1 tensor, 1 of 1 values\n"
                         "  already BF16, copied: 1 tensor\n"
                         "  not floating-point, copied: I64 1, U8 1, BOOL 1 "
                         "(--allow-integers converts them)\n"));
  EXPECT_THAT(r.err, IsEmpty());
  const File in = Open(Tiny());
  const File got = Open(out);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(DtypeOf(got, "embed.weight"), Dtype::kBF16);
  EXPECT_EQ(DtypeOf(got, "temperature"), Dtype::kBF16);
  EXPECT_EQ(Bytes(got, "embed.weight"), AsBf16(in, "embed.weight"));
  EXPECT_EQ(Bytes(got, "temperature"), AsBf16(in, "temperature"));
  // embed.weight is [[0, 0.5, 1], [1.5, 2, 2.5]]: exact in BF16.
  std::vector<uint8_t> want;
  for (uint64_t code : {0x0000, 0x3F00, 0x3F80, 0x3FC0, 0x4000, 0x4020}) {
    AppendLe(code, 2, &want);
  }
  EXPECT_EQ(Bytes(got, "embed.weight"), want);
  // Everything else is copied byte for byte, dtype and all.
  for (const char* name : {"positions", "norm.scale", "tokens", "mask"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(DtypeOf(got, name), DtypeOf(in, name));
    EXPECT_EQ(Bytes(got, name), Bytes(in, name));
  }
  EXPECT_EQ(got.metadata(), in.metadata());
}

// BF16 -> F32 is exact, and back to BF16 gives the same file.
TEST(Convert, Bf16ToF32AndBackRoundTrips) {
  const std::string bf16 = TempPath("rt_bf16.safetensors");
  const std::string f32 = TempPath("rt_f32.safetensors");
  const std::string again = TempPath("rt_again.safetensors");
  ASSERT_EQ(RunTool({"convert", "--to=bfloat16", Tiny(), bf16}).exit_code, 0);
  Result r = RunTool({"convert", "--to=F32", bf16, f32});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("wrote ", f32,
                                ": 6 tensors, 3 converted to F32 (BF16 3), "
                                "531 bytes\n"
                                "  exact: 3 tensors\n"
                                "  not floating-point, copied: I64 1, U8 1, "
                                "BOOL 1 (--allow-integers converts them)\n"));
  const File b = Open(bf16);
  const File f = Open(f32);
  for (const char* name : {"embed.weight", "temperature", "norm.scale"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(DtypeOf(f, name), Dtype::kF32);
    // An F32 whose top half is the BF16 code and whose low half is zero.
    std::vector<uint8_t> want;
    const std::vector<uint8_t> codes = Bytes(b, name);
    for (size_t i = 0; i < codes.size(); i += 2) {
      want.insert(want.end(), {0, 0, codes[i], codes[i + 1]});
    }
    EXPECT_EQ(Bytes(f, name), want);
  }
  r = RunTool({"convert", "--to=bf16", f32, again});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  exact: 3 tensors\n"));
  EXPECT_EQ(ReadFile(again), ReadFile(bf16));
}

TEST(Convert, IntegersOnlyWithAllowIntegers) {
  const std::string out = TempPath("ints.safetensors");
  const Result r = RunTool({"convert", "--to=F16", "--allow-integers",
                            "--select=positions|mask|tokens", Tiny(), out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("wrote ", out,
                                ": 6 tensors, 3 converted to F16 (I64 1, U8 "
                                "1, BOOL 1), 516 bytes\n"
                                "  exact: 2 tensors\n"
                                "  rounded: 1 tensor, 1 of 3 values\n"
                                "  out of range, now inf or NaN: 1 value in "
                                "\"positions\"\n"
                                "  not selected, copied: 3 tensors\n"));
  const File in = Open(Tiny());
  const File got = Open(out);
  for (const char* name : {"positions", "mask", "tokens"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(DtypeOf(got, name), Dtype::kF16);
    absl::StatusOr<TensorView> t = in.Tensor(name);
    ASSERT_TRUE(t.ok());
    std::vector<float> values(t->element_count());
    ASSERT_TRUE(
        ConvertToFloat(t->dtype(), t->data(), absl::MakeSpan(values)).ok());
    std::vector<uint8_t> want;
    for (float v : values) AppendLe(FloatToF16Bits(v), 2, &want);
    EXPECT_EQ(Bytes(got, name), want);
  }
  // positions is [-2, 0, 4e10]: 4e10 is past F16's 65504, so inf.
  EXPECT_THAT(Bytes(got, "positions"),
              ElementsAreArray({0x00, 0xC0, 0x00, 0x00, 0x00, 0x7C}));
  // mask is [true, false, true]: 1.0, 0.0, 1.0.
  EXPECT_THAT(Bytes(got, "mask"),
              ElementsAreArray({0x00, 0x3C, 0x00, 0x00, 0x00, 0x3C}));
  // Not selected: copied, floats included.
  EXPECT_EQ(DtypeOf(got, "embed.weight"), Dtype::kF32);
  EXPECT_EQ(Bytes(got, "embed.weight"), Bytes(in, "embed.weight"));
}

TEST(Convert, SelectAndExclude) {
  const std::string out = TempPath("select.safetensors");
  Result r =
      RunTool({"convert", "--to=f16", "--select=embed\\..*",
               "--select=temperature", "--exclude=temperature", Tiny(), out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("wrote ", out,
                                ": 6 tensors, 1 converted to F16 (F32 1), "
                                "515 bytes\n"
                                "  exact: 1 tensor\n"
                                "  not selected, copied: 5 tensors\n"));
  const File got = Open(out);
  EXPECT_EQ(DtypeOf(got, "embed.weight"), Dtype::kF16);
  EXPECT_EQ(DtypeOf(got, "temperature"), Dtype::kF64);

  // Selecting nothing is an error, and writes nothing.
  const std::string none = TempPath("select_none.safetensors");
  r = RunTool({"convert", "--to=f16", "--select=embed", Tiny(), none});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "safetensors convert: no tensor is kept by --select='embed' (of 6 "
            "tensors); patterns match whole names: --select='.*embed.*' "
            "keeps 1\n");
  EXPECT_NE(access(none.c_str(), F_OK), 0);
}

TEST(Convert, RecordAddsOneKeyAndAppends) {
  const std::string once = TempPath("record1.safetensors");
  const std::string twice = TempPath("record2.safetensors");
  ASSERT_EQ(
      RunTool({"convert", "--to=BF16", "--record", Tiny(), once}).exit_code, 0);
  MetadataMap want = *MetadataOf(Tiny());
  want["safetensors.convert"] = "F64,F32->BF16";
  EXPECT_EQ(MetadataOf(once), want);
  const Result r = RunTool(
      {"convert", "--to=F16", "--record", "--allow-integers", once, twice});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  want["safetensors.convert"] = "F64,F32->BF16; I64,BF16,U8,BOOL->F16";
  EXPECT_EQ(MetadataOf(twice), want);
  // Nothing converted: nothing recorded.
  const std::string same = TempPath("record3.safetensors");
  ASSERT_EQ(RunTool({"convert", "--to=F16", "--record", "--select=norm.scale",
                     twice, same})
                .exit_code,
            0);
  EXPECT_EQ(MetadataOf(same), want);
}

TEST(Convert, UsageErrors) {
  const std::string out = TempPath("usage.safetensors");
  Result r = RunTool({"convert", "--to=I8", Tiny(), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err,
            "safetensors convert: bad value 'I8' for --to: I8 is not a "
            "floating-point type; use BF16, F16, F32, F64, F8_E4M3, F8_E5M2, "
            "F8_E4M3FNUZ, F8_E5M2FNUZ or F8_E8M0 (any case), or torch's name "
            "(bfloat16, float16, ...)\n"
            "Run 'safetensors help convert' for usage.\n");
  r = RunTool({"convert", "--to=float128", Tiny(), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("safetensors convert: bad value 'float128' "
                                "for --to: unknown dtype; use BF16, "));
  for (const char* to : {"--to=C64", "--to=F4", "--to=BOOL"}) {
    SCOPED_TRACE(to);
    r = RunTool({"convert", to, Tiny(), out});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.err, HasSubstr("is not a floating-point type"));
  }
  r = RunTool({"convert", Tiny(), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "safetensors convert: --to=DTYPE is required\n"
            "Run 'safetensors help convert' for usage.\n");
  r = RunTool({"convert", "--to=F16", Tiny()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("safetensors convert: expects IN and OUT\n"));
  r = RunTool({"convert", "--to=F16", "--exclude=(", Tiny(), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad --exclude pattern '('"));
  r = RunTool({"convert", "--to=F16", "--to=F32", Tiny(), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--to given twice"));
  r = RunTool({"convert", "--to=F16", "--max-size=1", Tiny(), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown option '--max-size=1'"));
  // I/O: no input, no output directory.
  r = RunTool({"convert", "--to=F16", TempPath("no_such"), out});
  EXPECT_EQ(r.exit_code, 2);
  r = RunTool({"convert", "--to=F16", Tiny(), TempPath("no/dir/out")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("safetensors convert: cannot write \""));
  // An invalid input.
  r = RunTool({"convert", "--to=F16",
               WriteFile("bad.safetensors", MakeFile("{")), out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(access(out.c_str(), F_OK), 0);
}

TEST(Convert, TorchNamesAndAnyCase) {
  for (const char* to : {"--to=half", "--to=torch.float16", "--to=f16",
                         "--to=F16", "--to=float16"}) {
    SCOPED_TRACE(to);
    const Result r =
        RunTool({"convert", to, Tiny(), TempPath("names.safetensors")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(" converted to F16 "));
  }
  const Result r = RunTool(
      {"convert", "--to=float8_e4m3fn", Tiny(), TempPath("e4m3.safetensors")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(" converted to F8_E4M3 "));
}

TEST(Convert, InPlace) {
  const std::string path = WriteFile("inplace.safetensors", ReadFile(Tiny()));
  const Result r = RunTool({"convert", "--to=F16", path, path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const File got = Open(path);
  EXPECT_EQ(DtypeOf(got, "embed.weight"), Dtype::kF16);
  EXPECT_EQ(DtypeOf(got, "norm.scale"), Dtype::kF16);
  EXPECT_EQ(DtypeOf(got, "positions"), Dtype::kI64);
  // No temporary is left beside it.
  for (const std::string& name : tool_test::ListDirectory(TempPath(""))) {
    EXPECT_THAT(name, ::testing::Not(HasSubstr("inplace.safetensors.tmp")));
  }
}

// C64 has no float value: selected, it is copied, and the output says so.
// Values beyond F16's range become inf, and the output names the tensor.
TEST(Convert, SaysWhatItCouldNotConvert) {
  std::string data;
  for (float v : {1.0f, 2.0f, 1e5f, -1e6f}) {  // "f" F32[4]
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int i = 0; i < 4; ++i) data.push_back(bits >> (8 * i));
  }
  data += std::string(8, '\x01');  // "z" C64[1]
  const std::string in = WriteFile(
      "c64.safetensors",
      MakeFile("{\"f\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,"
               "16]},\"z\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":"
               "[16,24]}}",
               data));
  const std::string out = TempPath("c64_out.safetensors");
  const Result r = RunTool({"convert", "--to=F16", in, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            absl::StrCat("wrote ", out,
                         ": 2 tensors, 1 converted to F16 (F32 1), 136 bytes\n"
                         "  rounded: 1 tensor, 2 of 4 values\n"
                         "  out of range, now inf or NaN: 2 values in \"f\"\n"
                         "  no float value, copied: C64 1 (\"z\")\n"));
  const File got = Open(out);
  EXPECT_THAT(Bytes(got, "f"), ElementsAreArray({0x00, 0x3C, 0x00, 0x40, 0x00,
                                                 0x7C, 0x00, 0xFC}));
  EXPECT_EQ(DtypeOf(got, "z"), Dtype::kC64);
  EXPECT_EQ(Bytes(got, "z"), std::vector<uint8_t>(8, 1));
}

// Tensors of several chunks (2^18 elements each) and a tail that is not
// one, in a sparse file: the values set near the chunk boundaries, and the
// zeros between them, come out as one conversion of the whole would.
TEST(Convert, StreamsTensorsLargerThanAChunk) {
  constexpr uint64_t kChunk = uint64_t{1} << 18;
  constexpr uint64_t kBig = 3 * kChunk + 5;  // F32
  constexpr uint64_t kWide = kChunk + 3;     // F64
  const std::string header =
      absl::StrCat("{\"big\":{\"dtype\":\"F32\",\"shape\":[", kBig,
                   "],\"data_offsets\":[0,", 4 * kBig,
                   "]},\"wide\":{\"dtype\":\"F64\","
                   "\"shape\":[",
                   kWide, "],\"data_offsets\":[", 4 * kBig, ",",
                   4 * kBig + 8 * kWide, "]}}");
  const std::string path = TempPath("sparse.safetensors");
  {
    const std::string prefix = MakeFile(header);
    const int fd = open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, prefix.data(), prefix.size()),
              static_cast<ssize_t>(prefix.size()));
    const off_t data = prefix.size();
    ASSERT_EQ(ftruncate(fd, data + 4 * kBig + 8 * kWide), 0);
    auto put = [&](off_t at, uint64_t bits, int bytes) {
      std::string b;
      for (int i = 0; i < bytes; ++i) b.push_back(bits >> (8 * i));
      ASSERT_EQ(pwrite(fd, b.data(), bytes, data + at), bytes);
    };
    // F32 1.1 (0x3F8CCCCD) at the last of chunk 0, the first of chunk 1 and
    // the tail's last; 3.0 in the tail's first.
    for (uint64_t i : {kChunk - 1, kChunk, kBig - 1}) {
      put(4 * i, 0x3F8CCCCD, 4);
    }
    put(4 * (3 * kChunk), 0x40400000, 4);
    // F64 0.1 (0x3FB999999999999A) at the first and last of "wide".
    for (uint64_t i : {uint64_t{0}, kWide - 1}) {
      put(4 * kBig + 8 * i, 0x3FB999999999999A, 8);
    }
    ASSERT_EQ(close(fd), 0);
  }
  const std::string out = TempPath("sparse_bf16.safetensors");
  const Result r = RunTool({"convert", "--to=BF16", path, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const File got = Open(out);
  uint64_t n = 0;  // the header's length, its first 8 bytes
  for (int i = 7; i >= 0; --i) n = (n << 8) | got.bytes()[i];
  EXPECT_EQ(got.bytes().size(), 8 + n + 2 * (kBig + kWide));
  EXPECT_EQ(r.out, absl::StrCat("wrote ", out,
                                ": 2 tensors, 2 converted to "
                                "BF16 (F64 1, F32 1), ",
                                got.bytes().size(), " bytes\n",
                                "  rounded: 2 tensors, 5 of ", kBig + kWide,
                                " values\n"));
  std::vector<uint8_t> big(2 * kBig, 0);
  for (uint64_t i : {kChunk - 1, kChunk, kBig - 1}) {
    big[2 * i] = 0x8D;  // BF16 1.1 = 0x3F8D
    big[2 * i + 1] = 0x3F;
  }
  big[2 * (3 * kChunk)] = 0x40;  // BF16 3.0 = 0x4040
  big[2 * (3 * kChunk) + 1] = 0x40;
  std::vector<uint8_t> wide(2 * kWide, 0);
  for (uint64_t i : {uint64_t{0}, kWide - 1}) {
    wide[2 * i] = 0xCD;  // 0.1 -> F32 0x3DCCCCCD -> BF16 0x3DCD
    wide[2 * i + 1] = 0x3D;
  }
  EXPECT_TRUE(Bytes(got, "big") == big);
  EXPECT_TRUE(Bytes(got, "wide") == wide);
}

// As extract does: a temporary that a killed run left is removed first.
TEST(Convert, RemovesAStaleTemporary) {
  const std::string out = TempPath("stale_out.safetensors");
  // A process ID that is not running: the highest the kernel gives out.
  const std::string stale =
      WriteFile(".stale_out.safetensors.tmp-4194304-1-2-3", "partial");
  const struct timeval old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(utimes(stale.c_str(), old_times), 0);
  const Result r = RunTool({"convert", "--to=F16", Tiny(), out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, absl::StrCat("safetensors convert: removed ", stale,
                                ": a temporary of process 4194304, which "
                                "ended without removing it\n"));
  EXPECT_NE(access(stale.c_str(), F_OK), 0);
}

TEST(Convert, Help) {
  const Result a = RunTool({"convert", "--help"});
  const Result b = RunTool({"help", "convert"});
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_THAT(a.out, StartsWith("Usage: safetensors convert --to=DTYPE"));
  EXPECT_THAT(a.out, HasSubstr("--allow-integers"));
  EXPECT_THAT(a.out, HasSubstr("--profile=strict|reference"));
  EXPECT_EQ(a.out, b.out);
  EXPECT_THAT(RunTool({"help"}).out, HasSubstr("  convert    write "));
}

}  // namespace
}  // namespace safetensors
