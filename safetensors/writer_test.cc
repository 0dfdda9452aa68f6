// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/byteswap.h"
#include "safetensors/dump.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/reader.h"
#include "safetensors/testing/fault_fs.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/testing/test_util.h"

namespace safetensors {

// Opens a StreamWriter over a chosen FileSystem (fault injection).
class StreamWriterTestPeer {
 public:
  static absl::StatusOr<std::unique_ptr<StreamWriter>> Open(
      const std::string& path, absl::Span<const TensorDesc> tensors,
      const std::optional<MetadataMap>& metadata, const WriteOptions& options,
      internal::FileSystem* fs) {
    return StreamWriter::OpenWith(path, tensors, metadata, options, fs);
  }
};

namespace {

using ::safetensors::test::FailingFileSystem;
using ::safetensors::test::FailsWithoutKind;
using ::safetensors::test::IsOk;
using ::safetensors::test::LengthPrefix;
using ::safetensors::test::ListDir;
using ::safetensors::test::ReadWholeFile;
using ::safetensors::test::StatusIs;
using ::safetensors::test::TempPath;
using ::safetensors::test::WriteWholeFile;

// An owned tensor for tests.
struct T {
  std::string name;
  Dtype dtype;
  std::vector<uint64_t> shape;
  std::string data;
  TensorRef ref() const {
    return TensorRef{
        name, dtype, shape,
        absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()),
                                  data.size())};
  }
};

std::vector<TensorRef> Refs(const std::vector<T>& ts) {
  std::vector<TensorRef> refs;
  for (const T& t : ts) refs.push_back(t.ref());
  return refs;
}

// The tests below give file bytes (little-endian) unless they test the
// host-order path itself.
WriteOptions LittleEndian(WriteOptions o = {}) {
  o.data_order = ByteOrder::kLittleEndian;
  return o;
}

std::string Write(const std::vector<T>& ts,
                  const std::optional<MetadataMap>& metadata = std::nullopt,
                  const WriteOptions& options = LittleEndian()) {
  absl::StatusOr<std::string> out = Serialize(Refs(ts), metadata, options);
  EXPECT_THAT(out, IsOk());
  return out.ok() ? *out : std::string();
}

// The expected file: N, the header padded with spaces to `padded`, data.
std::string Expected(const std::string& header, size_t padded,
                     const std::string& data = "") {
  std::string h = header;
  EXPECT_LE(h.size(), padded);
  h.resize(padded, ' ');
  return LengthPrefix(padded) + h + data;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

std::string F32s(std::initializer_list<float> values) {
  std::string out;
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<char>(bits >> (8 * i)));
  }
  return out;
}

// docs/specification.md §13 and §19, byte for byte.

TEST(WriterReference, W1EmptyNoMetadata) {
  EXPECT_EQ(Write({}), Bytes({8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ',
                              ' ', ' ', ' '}));
}

TEST(WriterReference, W2MetadataOnly) {
  EXPECT_EQ(Write({}, MetadataMap{{"framework", "pt"}}),
            Expected("{\"__metadata__\":{\"framework\":\"pt\"}}", 40));
}

TEST(WriterReference, W3OneTensor) {
  EXPECT_EQ(
      Write({{"test", Dtype::kI32, {2, 2}, std::string(16, '\0')}}),
      Expected("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":"
               "[0,16]}}",
               64, std::string(16, '\0')));
}

TEST(WriterReference, W4TwoTensorsEitherInputOrder) {
  const std::string expected = Expected(
      "{\"test1\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
      "\"test2\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[16,24]}}",
      128, std::string(24, '\0'));
  const T a{"test1", Dtype::kI32, {2, 2}, std::string(16, '\0')};
  const T b{"test2", Dtype::kF16, {2, 2}, std::string(8, '\0')};
  EXPECT_EQ(Write({a, b}), expected);
  EXPECT_EQ(Write({b, a}), expected);
}

TEST(WriterReference, W5TensorWithMetadata) {
  EXPECT_EQ(
      Write({{"test1", Dtype::kI32, {2, 2}, std::string(16, '\0')}},
            MetadataMap{{"framework", "pt"}}),
      Expected("{\"__metadata__\":{\"framework\":\"pt\"},\"test1\":{\"dtype\":"
               "\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}",
               96, std::string(16, '\0')));
}

TEST(WriterReference, W6NoPaddingNeeded) {
  const std::string data = F32s({0, 1, 2, 3, 4, 5});
  EXPECT_EQ(data,
            Bytes({0, 0, 0,    0,    0, 0, 0x80, 0x3F, 0, 0, 0,    0x40,
                   0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xA0, 0x40}));
  EXPECT_EQ(Write({{"attn.0", Dtype::kF32, {1, 2, 3}, data}}),
            Expected("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],"
                     "\"data_offsets\":[0,24]}}",
                     64, data));
}

TEST(WriterReference, W7SevenSpaces) {
  const std::string data = F32s({0, 1, 2, 3, 4, 5});
  const std::string header =
      "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,"
      "24]}}";
  ASSERT_EQ(header.size(), 65u);
  const std::string out = Write({{"attn0", Dtype::kF32, {1, 1, 2, 3}, data}});
  EXPECT_EQ(out, Expected(header, 72, data));
  EXPECT_EQ((8 + 72) % 8, 0);  // the data starts aligned
}

TEST(WriterReference, W8F4) {
  EXPECT_EQ(Write({{"attn.0", Dtype::kF4, {1, 2}, Bytes({0})}}),
            Expected("{\"attn.0\":{\"dtype\":\"F4\",\"shape\":[1,2],"
                     "\"data_offsets\":[0,1]}}",
                     64, Bytes({0})));
}

TEST(WriterReference, W9BF16) {
  const std::string data =
      Bytes({0x10, 0x40, 0x80, 0x3F, 0x80, 0x3F, 0x80, 0x3F});
  EXPECT_EQ(Write({{"test", Dtype::kBF16, {2, 2}, data}}),
            Expected("{\"test\":{\"dtype\":\"BF16\",\"shape\":[2,2],"
                     "\"data_offsets\":[0,8]}}",
                     64, data));
}

TEST(WriterReference, W10C64) {
  const std::string data =
      std::string(24, '\0') + Bytes({0, 0, 0x80, 0xBF, 0, 0, 0x80, 0x3F});
  EXPECT_EQ(Write({{"test", Dtype::kC64, {2, 2}, data}}),
            Expected("{\"test\":{\"dtype\":\"C64\",\"shape\":[2,2],"
                     "\"data_offsets\":[0,32]}}",
                     64, data));
}

TEST(WriterReference, W11ScalarAndZeroSize) {
  const std::string header =
      "{\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},\"z\":{"
      "\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[8,8]}}";
  ASSERT_EQ(header.size(), 108u);
  EXPECT_EQ(Write({{"z", Dtype::kF32, {0, 3}, ""},
                   {"s", Dtype::kF64, {}, std::string(8, '\x11')}}),
            Expected(header, 112, std::string(8, '\x11')));
}

TEST(WriterReference, W12EmptyMetadataNoTensorsIsValidJson) {
  const std::string out = Write({}, MetadataMap{});
  EXPECT_EQ(out, Expected("{\"__metadata__\":{}}", 24));
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(out);
  ASSERT_THAT(st, IsOk());
  ASSERT_TRUE(st->metadata().has_value());
  EXPECT_TRUE(st->metadata()->empty());
}

TEST(WriterReference, W13DtypeRankThenNameBytes) {
  std::vector<T> ts;
  int n = 78;
  // z78_U64 ... z99_BOOL: rank descending from U64.
  for (int rank = kNumDtypes - 1; rank >= 0; --rank, ++n) {
    const Dtype d = AllDtypes()[rank];
    const std::vector<uint64_t> shape = {8};
    ts.push_back({absl::StrCat("z", n, "_", DtypeName(d)), d, shape,
                  std::string(*TensorByteSize(d, shape), '\0')});
  }
  for (const char* name : {"a", "B", "b", "\xc3\xa9", "a.10", "a.9"}) {
    ts.push_back({name, Dtype::kF32, {1}, std::string(4, '\0')});
  }
  std::reverse(ts.begin(), ts.end());  // input order must not matter
  const std::string out = Write(ts);
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(out);
  ASSERT_THAT(st, IsOk());
  std::vector<std::string> order;
  for (const TensorView& t : st->Tensors()) order.emplace_back(t.name());
  const std::vector<std::string> expected = {"z78_U64",
                                             "z79_I64",
                                             "z80_F64",
                                             "z81_C64",
                                             "B",
                                             "a",
                                             "a.10",
                                             "a.9",
                                             "b",
                                             "z82_F32",
                                             "\xc3\xa9",
                                             "z83_U32",
                                             "z84_I32",
                                             "z85_BF16",
                                             "z86_F16",
                                             "z87_U16",
                                             "z88_I16",
                                             "z89_F8_E5M2FNUZ",
                                             "z90_F8_E4M3FNUZ",
                                             "z91_F8_E8M0",
                                             "z92_F8_E4M3",
                                             "z93_F8_E5M2",
                                             "z94_I8",
                                             "z95_U8",
                                             "z96_F6_E3M2",
                                             "z97_F6_E2M3",
                                             "z98_F4",
                                             "z99_BOOL"};
  EXPECT_EQ(order, expected);
}

TEST(WriterReference, W14NameEscapes) {
  const std::string name = std::string("q\"b\\c\x01\x1f\t\n\b\f\x7f") +
                           "\xe2\x80\xa8" + "\xf0\x9f\x98\x80" +
                           std::string(1, '\0');
  const std::string out = Write({{name, Dtype::kU8, {1}, "x"}});
  const std::string quoted =
      "\"q\\\"b\\\\c\\u0001\\u001f\\t\\n\\b\\f\x7f\xe2\x80\xa8\xf0\x9f\x98"
      "\x80\\u0000\"";
  EXPECT_NE(out.find(quoted + ":{\"dtype\":\"U8\""), std::string::npos) << out;
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(out);
  ASSERT_THAT(st, IsOk());
  EXPECT_TRUE(st->Contains(name));
}

TEST(WriterReference, W15PaddingByNameLength) {
  const int expected_n[] = {56, 56, 56, 56, 64, 64, 64, 64};
  const int expected_pad[] = {3, 2, 1, 0, 7, 6, 5, 4};
  for (int len = 1; len <= 8; ++len) {
    const std::string out =
        Write({{std::string(len, 'n'), Dtype::kU8, {1}, "x"}});
    SCOPED_TRACE(len);
    ASSERT_GE(out.size(), 8u);
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(out[i]);
    EXPECT_EQ(n, static_cast<uint64_t>(expected_n[len - 1]));
    const std::string header = out.substr(8, n);
    const size_t brace = header.rfind('}');
    EXPECT_EQ(header.size() - brace - 1,
              static_cast<size_t>(expected_pad[len - 1]));
  }
}

TEST(WriterReference, W16TensorNamedMetadataIsRejected) {
  EXPECT_THAT(Serialize(Refs({{"__metadata__", Dtype::kU8, {1}, "x"}})),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  // Near spellings are ordinary names.
  EXPECT_THAT(Serialize(Refs({{"__METADATA__", Dtype::kU8, {1}, "x"}})),
              IsOk());
}

TEST(WriterReference, W17HeaderTooLarge) {
  // As the reference's test: one metadata value of 100,000,000 bytes.
  MetadataMap big{{"a", std::string(100'000'000, 'a')}};
  EXPECT_THAT(Serialize({}, big), StatusIs(ErrorKind::kHeaderTooLarge));
  // The largest header that fits: N == 100,000,000 exactly.
  const size_t overhead = std::string("{\"__metadata__\":{\"a\":\"\"}}").size();
  MetadataMap fits{{"a", std::string(100'000'000 - overhead, 'a')}};
  absl::StatusOr<std::string> out = Serialize({}, fits);
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->size(), 8u + 100'000'000u);
  MetadataMap over{{"a", std::string(100'000'000 - overhead + 1, 'a')}};
  EXPECT_THAT(Serialize({}, over), StatusIs(ErrorKind::kHeaderTooLarge));
}

TEST(WriterReference, W18SizeErrors) {
  EXPECT_THAT(Serialize(Refs({{"t", Dtype::kI32, {2, 2}, std::string(4, 0)}})),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_THAT(Serialize(Refs({{"t", Dtype::kF4, {1, 3}, std::string(2, 0)}})),
              StatusIs(ErrorKind::kMisalignedSlice));
  EXPECT_THAT(
      Serialize(Refs({{"t", Dtype::kU8, {~uint64_t{0}, 2}, std::string()}})),
      StatusIs(ErrorKind::kValidationOverflow));
}

TEST(Writer, DuplicateNamesAreRejected) {
  EXPECT_THAT(Serialize(Refs(
                  {{"a", Dtype::kU8, {1}, "x"}, {"a", Dtype::kU8, {1}, "y"}})),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
  EXPECT_THAT(Serialize(Refs({{"a", Dtype::kU8, {1}, "x"},
                              {"b", Dtype::kF32, {1}, "xxxx"},
                              {"a", Dtype::kF32, {1}, "yyyy"}})),
              StatusIs(ErrorKind::kInvalidHeaderDeserialization));
}

TEST(Writer, MetadataKeysSortedByBytes) {
  const MetadataMap m{{"b", "2"}, {"a", "1"}, {"\xc3\xa9", "3"}, {"B", "0"}};
  const std::string out = Write({}, m);
  EXPECT_NE(out.find("{\"__metadata__\":{\"B\":\"0\",\"a\":\"1\",\"b\":\"2\","
                     "\"\xc3\xa9\":\"3\"}}"),
            std::string::npos);
}

TEST(Writer, InvalidUtf8AndAlignmentAreArgumentErrors) {
  EXPECT_EQ(Serialize(Refs({{"\xff", Dtype::kU8, {1}, "x"}})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Serialize({}, MetadataMap{{"k", "\xc0\xaf"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (uint64_t bad : {0ull, 4ull, 12ull, 131072ull}) {
    WriteOptions o;
    o.alignment = bad;
    EXPECT_EQ(Serialize({}, std::nullopt, o).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(Writer, AlignmentPadsTheHeader) {
  for (uint64_t align : {8ull, 16ull, 64ull, 4096ull, 65536ull}) {
    WriteOptions o;
    o.alignment = align;
    const std::string out = Write({{"w", Dtype::kF32, {3}, F32s({1, 2, 3})}},
                                  std::nullopt, LittleEndian(o));
    SCOPED_TRACE(align);
    absl::StatusOr<SafeTensors> st = SafeTensors::Parse(out);
    ASSERT_THAT(st, IsOk());
    const uint64_t n = st->header().header_size();
    EXPECT_EQ((8 + n) % align, 0u);
    // Only trailing spaces, and fewer than `align` of them.
    const std::string header = out.substr(8, n);
    const size_t json_end = header.rfind('}') + 1;
    EXPECT_LT(n - json_end, align);
    EXPECT_EQ(header.find_first_not_of(' ', json_end), std::string::npos);
    // The tensors are the same whatever the alignment.
    EXPECT_EQ(out.substr(8 + n), F32s({1, 2, 3}));
  }
}

// Round trip over random tensor sets: write, read back in both profiles,
// compare everything.
TEST(Writer, RoundTripProperty) {
  std::mt19937_64 rng(20261126);
  const std::vector<std::string> pool = {"w",
                                         "model.layers.0.weight",
                                         "\xc3\xa9\xe6\x97\xa5",
                                         "a\"b",
                                         "back\\slash",
                                         std::string("nul\0in", 6),
                                         "tab\tnl\n",
                                         "_",
                                         "",
                                         "\xf0\x9f\x98\x80",
                                         "\x7f",
                                         "x.10",
                                         "x.9"};
  for (int iteration = 0; iteration < 300; ++iteration) {
    std::vector<T> ts;
    const int count = static_cast<int>(rng() % 8);
    for (int i = 0; i < count; ++i) {
      T t;
      t.name = pool[rng() % pool.size()] + "#" + std::to_string(i);
      t.dtype = AllDtypes()[rng() % kNumDtypes];
      const int rank = static_cast<int>(rng() % 4);
      for (int d = 0; d < rank; ++d) t.shape.push_back(rng() % 4);
      if (DtypeBits(t.dtype) < 8) {
        // Whole bytes: F4 needs an even count, F6 a multiple of 4.
        t.shape.push_back(4);
      }
      absl::StatusOr<uint64_t> size = TensorByteSize(t.dtype, t.shape);
      ASSERT_THAT(size, IsOk());
      for (uint64_t b = 0; b < *size; ++b) t.data.push_back(rng() & 0xFF);
      ts.push_back(t);
    }
    std::optional<MetadataMap> metadata;
    if (rng() % 2) {
      metadata.emplace();
      const int keys = static_cast<int>(rng() % 4);
      for (int k = 0; k < keys; ++k) {
        (*metadata)[pool[rng() % pool.size()]] = pool[rng() % pool.size()];
      }
    }
    const std::string out = Write(ts, metadata);
    for (Profile profile : {Profile::kStrict, Profile::kReference}) {
      ReadOptions o;
      o.profile = profile;
      absl::StatusOr<SafeTensors> st = SafeTensors::Parse(out, o);
      ASSERT_THAT(st, IsOk()) << iteration;
      ASSERT_EQ(st->size(), ts.size());
      for (const T& t : ts) {
        absl::StatusOr<TensorView> v = st->Tensor(t.name);
        ASSERT_THAT(v, IsOk());
        EXPECT_EQ(v->dtype(), t.dtype);
        EXPECT_EQ(std::vector<uint64_t>(v->shape().begin(), v->shape().end()),
                  t.shape);
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(v->data().data()),
                              v->data().size()),
                  t.data);
      }
      EXPECT_EQ(st->metadata(), metadata);
    }
    // Writing what was read gives the same bytes again.
    absl::StatusOr<SafeTensors> st = SafeTensors::Parse(out);
    std::vector<TensorRef> again;
    for (const TensorView& v : st->Tensors()) {
      again.push_back({v.name(), v.dtype(), v.shape(), v.data()});
    }
    absl::StatusOr<std::string> out2 =
        Serialize(again, st->metadata(), LittleEndian());
    ASSERT_THAT(out2, IsOk());
    EXPECT_EQ(*out2, out);
  }
}

// Files.

std::string FreshDir(const std::string& name) {
  const std::string dir = TempPath(name);
  mkdir(dir.c_str(), 0755);
  for (const std::string& f : ListDir(dir)) unlink((dir + "/" + f).c_str());
  return dir;
}

const std::vector<T>& Sample() {
  static const std::vector<T>* const sample =
      new std::vector<T>{{"b", Dtype::kF32, {2}, F32s({1, 2})},
                         {"a", Dtype::kI64, {1}, std::string(8, '\x07')},
                         {"z", Dtype::kBF16, {0, 4}, ""}};
  return *sample;
}

TEST(WriteFile, SameBytesAsSerializeAndMode) {
  const std::string dir = FreshDir("write_file");
  const std::string path = dir + "/m.safetensors";
  const mode_t old_umask = umask(022);
  ASSERT_THAT(
      WriteFile(path, Refs(Sample()), MetadataMap{{"k", "v"}}, LittleEndian()),
      IsOk());
  umask(old_umask);
  EXPECT_EQ(ReadWholeFile(path), Write(Sample(), MetadataMap{{"k", "v"}}));
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);  // 0666 less the umask, not 0600
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"m.safetensors"});
  // Replacing keeps the existing file's mode.
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  WriteOptions o = LittleEndian();
  o.fsync = true;
  ASSERT_THAT(WriteFile(path, Refs(Sample()), std::nullopt, o), IsOk());
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(ReadWholeFile(path), Write(Sample()));
}

TEST(WriteFile, InvalidInputCreatesNothing) {
  const std::string dir = FreshDir("write_invalid");
  const std::string path = dir + "/m.safetensors";
  WriteWholeFile(path, "old");
  EXPECT_THAT(WriteFile(path, Refs({{"t", Dtype::kI32, {2}, "abc"}})),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_EQ(ReadWholeFile(path), "old");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"m.safetensors"});
}

TEST(WriteFile, MissingDirectoryIsIoError) {
  EXPECT_THAT(WriteFile(TempPath("no/such/dir/m.safetensors"), Refs(Sample())),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
}

absl::Span<const uint8_t> Span(const std::string& s) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()),
                                   s.size());
}

std::vector<TensorDesc> Descs(const std::vector<T>& ts) {
  std::vector<TensorDesc> descs;
  for (const T& t : ts) descs.push_back({t.name, t.dtype, t.shape});
  return descs;
}

TEST(StreamWriter, ChunksInPlanOrderGiveTheSameBytes) {
  const std::string dir = FreshDir("stream_ok");
  const std::string path = dir + "/m.safetensors";
  absl::StatusOr<std::unique_ptr<StreamWriter>> w = StreamWriter::Open(
      path, Descs(Sample()), MetadataMap{{"k", "v"}}, LittleEndian());
  ASSERT_THAT(w, IsOk());
  // Plan order: I64 "a", F32 "b", then the zero-size BF16 "z" is skipped.
  ASSERT_NE((*w)->current(), nullptr);
  EXPECT_EQ((*w)->current()->name, "a");
  EXPECT_EQ((*w)->remaining(), 8u);
  const std::string& a = Sample()[1].data;
  for (char c : a)
    ASSERT_THAT((*w)->Append("a", Span(std::string(1, c))), IsOk());
  ASSERT_NE((*w)->current(), nullptr);
  EXPECT_EQ((*w)->current()->name, "b");
  ASSERT_THAT((*w)->Append("b", Span(Sample()[0].data.substr(0, 3))), IsOk());
  ASSERT_THAT((*w)->Append("b", Span(Sample()[0].data.substr(3))), IsOk());
  EXPECT_EQ((*w)->current(), nullptr);        // z has no bytes
  EXPECT_EQ(ListDir(dir).size(), 1u);         // only the temporary
  EXPECT_EQ(access(path.c_str(), F_OK), -1);  // nothing at the path yet
  ASSERT_THAT((*w)->Finish(), IsOk());
  EXPECT_EQ(ReadWholeFile(path), Write(Sample(), MetadataMap{{"k", "v"}}));
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"m.safetensors"});
}

TEST(StreamWriter, OpenWithAPlanMadeBeforeWritesTheSameBytes) {
  const std::string dir = FreshDir("stream_planned");
  const std::string path = dir + "/m.safetensors";
  WriteOptions options = LittleEndian();
  options.alignment = 64;
  absl::StatusOr<WritePlan> plan =
      WritePlan::Create(Descs(Sample()), MetadataMap{{"k", "v"}}, options);
  ASSERT_THAT(plan, IsOk());
  const uint64_t file_size = plan->file_size();
  absl::StatusOr<std::unique_ptr<StreamWriter>> w =
      StreamWriter::Open(path, *std::move(plan), options);
  ASSERT_THAT(w, IsOk());
  ASSERT_NE((*w)->current(), nullptr);
  EXPECT_EQ((*w)->current()->name, "a");
  ASSERT_THAT((*w)->Append("a", Span(Sample()[1].data)), IsOk());
  ASSERT_THAT((*w)->Append("b", Span(Sample()[0].data)), IsOk());
  ASSERT_THAT((*w)->Finish(), IsOk());
  const std::string bytes = ReadWholeFile(path);
  EXPECT_EQ(bytes.size(), file_size);
  EXPECT_EQ(bytes, Write(Sample(), MetadataMap{{"k", "v"}}, options));
  // A directory that does not exist: IoError, and nothing is left.
  absl::StatusOr<WritePlan> again =
      WritePlan::Create(Descs(Sample()), std::nullopt);
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(StreamWriter::Open(dir + "/no/m.safetensors", *std::move(again),
                                 WriteOptions())
                  .status(),
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"m.safetensors"});
}

TEST(StreamWriter, TooManyBytesFailsAndLeavesNothing) {
  const std::string dir = FreshDir("stream_many");
  const std::string path = dir + "/m.safetensors";
  absl::StatusOr<std::unique_ptr<StreamWriter>> w =
      StreamWriter::Open(path, Descs(Sample()));
  ASSERT_THAT(w, IsOk());
  EXPECT_THAT((*w)->Append("a", Span(std::string(9, 'x'))),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  // The writer is failed from now on.
  EXPECT_THAT((*w)->Append("a", Span(std::string(8, 'x'))),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_THAT((*w)->Finish(), StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{});
}

TEST(StreamWriter, TooFewBytesFailsAtFinish) {
  const std::string dir = FreshDir("stream_few");
  const std::string path = dir + "/m.safetensors";
  WriteWholeFile(path, "old");
  absl::StatusOr<std::unique_ptr<StreamWriter>> w =
      StreamWriter::Open(path, Descs(Sample()));
  ASSERT_THAT(w, IsOk());
  ASSERT_THAT((*w)->Append("a", Span(std::string(8, 'x'))), IsOk());
  EXPECT_THAT((*w)->Finish(), StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_EQ(ReadWholeFile(path), "old");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"m.safetensors"});
}

TEST(StreamWriter, DestroyedUnfinishedRemovesItsTemporary) {
  const std::string dir = FreshDir("stream_drop");
  const std::string path = dir + "/m.safetensors";
  {
    absl::StatusOr<std::unique_ptr<StreamWriter>> w =
        StreamWriter::Open(path, Descs(Sample()));
    ASSERT_THAT(w, IsOk());
    ASSERT_THAT((*w)->Append("a", Span(std::string(8, 'x'))), IsOk());
    EXPECT_EQ(ListDir(dir).size(), 1u);  // the temporary
  }
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{});
}

// Every call of a write fails in turn; each time, the old file is intact and
// no temporary is left behind.
TEST(StreamWriter, AnyFailureLeavesTheOldFileAndNoTemporary) {
  const std::string dir = FreshDir("atomic");
  const std::string path = dir + "/m.safetensors";
  const std::vector<T> big = {
      {"big", Dtype::kU8, {3 << 20}, std::string(3 << 20, 'b')},
      {"small", Dtype::kU8, {5}, "small"}};
  std::vector<TensorDesc> descs;
  for (const T& t : big) descs.push_back({t.name, t.dtype, t.shape});
  WriteOptions o;
  o.fsync = true;
  int failures = 0;
  for (int fail_at = 1; fail_at < 50; ++fail_at) {
    WriteWholeFile(path, "the old file");
    FailingFileSystem fs(fail_at);
    absl::Status status;
    {
      absl::StatusOr<std::unique_ptr<StreamWriter>> w =
          StreamWriterTestPeer::Open(path, descs, std::nullopt, o, &fs);
      status = w.status();
      if (w.ok()) {
        for (const WritePlan::Entry& e : (*w)->plan().entries()) {
          const std::string& data = big[e.input_index].data;
          // In chunks of 1 MiB + 1 byte.
          for (size_t at = 0; at < data.size() && status.ok();
               at += (1 << 20) + 1) {
            const size_t n = std::min<size_t>((1 << 20) + 1, data.size() - at);
            status = (*w)->Append(
                e.name,
                absl::Span<const uint8_t>(
                    reinterpret_cast<const uint8_t*>(data.data()) + at, n));
          }
        }
        if (status.ok()) status = (*w)->Finish();
      }
    }
    SCOPED_TRACE(fail_at);
    if (fail_at > fs.calls()) {
      // Every call succeeded: the write went through.
      ASSERT_THAT(status, IsOk());
      EXPECT_EQ(ReadWholeFile(path), Write(big));
      break;
    }
    ++failures;
    ASSERT_FALSE(status.ok())
        << "the failure of call " << fail_at << " was not reported";
    EXPECT_EQ(ErrorKindOf(status), ErrorKind::kIoError) << status;
    const bool renamed = ReadWholeFile(path) != "the old file";
    if (renamed) {
      // Only a failing directory fsync comes after the rename.
      EXPECT_EQ(ReadWholeFile(path), Write(big));
    } else {
      EXPECT_EQ(ReadWholeFile(path), "the old file");
    }
    EXPECT_EQ(ListDir(dir), std::vector<std::string>{"m.safetensors"});
  }
  EXPECT_GE(failures, 6);
}

TEST(WriteFileStreaming, SameBytesAsSerialize) {
  const std::string path = FreshDir("streaming") + "/out.safetensors";
  const MetadataMap metadata = {{"k", "v"}};
  uint64_t done = 0;
  absl::StatusOr<uint64_t> size =
      WriteFileStreaming(path, Refs(Sample()), metadata, LittleEndian(),
                         [&](uint64_t d, uint64_t total) {
                           done = d;
                           EXPECT_EQ(total, 16u);
                         });
  ASSERT_THAT(size, IsOk());
  const std::string want = Write(Sample(), metadata);
  EXPECT_EQ(*size, want.size());
  EXPECT_EQ(ReadWholeFile(path), want);
  EXPECT_EQ(done, 16u);
  std::vector<T> bad = Sample();
  bad[0].data += "x";
  EXPECT_THAT(WriteFileStreaming(path, Refs(bad), std::nullopt, {}),
              StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_EQ(ReadWholeFile(path), want);  // untouched
  EXPECT_EQ(ListDir(FreshDir("streaming")).size(), 0u);
}

// The data-length check has one wording, whichever call makes it.
TEST(WriteFileStreaming, DataLengthErrorAsWriteFile) {
  const std::string dir = FreshDir("streaming_length");
  const std::vector<T> bad = {{"t", Dtype::kI32, {2}, "abc"}};
  const absl::Status streamed =
      WriteFileStreaming(dir + "/a.safetensors", Refs(bad), std::nullopt, {})
          .status();
  const absl::Status written = WriteFile(dir + "/b.safetensors", Refs(bad));
  EXPECT_THAT(streamed, StatusIs(ErrorKind::kTensorInvalidInfo));
  EXPECT_EQ(streamed, written);
  EXPECT_EQ(streamed.message(),
            "tensor \"t\": 3 bytes given, but I32 of this shape is 8 bytes");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{});
}

// Host-order input: the same values give the same file on either host.
struct HostValues {
  float f32[2] = {1.5f, -2.0f};
  double f64[1] = {-0.5};
  uint16_t u16[3] = {0x0102, 0xA0B0, 7};
  float c64[2] = {-1.0f, 1.0f};  // one complex64: -1+1j
  int64_t i64[1] = {-2};
};

std::vector<TensorRef> HostRefs(const HostValues& v) {
  static const std::vector<uint64_t> two = {2}, one = {1}, three = {3};
  auto bytes = [](const void* p, size_t n) {
    return absl::Span<const uint8_t>(static_cast<const uint8_t*>(p), n);
  };
  return {{"f32", Dtype::kF32, two, bytes(v.f32, 8)},
          {"f64", Dtype::kF64, one, bytes(v.f64, 8)},
          {"u16", Dtype::kU16, three, bytes(v.u16, 6)},
          {"c64", Dtype::kC64, one, bytes(v.c64, 8)},
          {"i64", Dtype::kI64, one, bytes(v.i64, 8)}};
}

// The little-endian bytes of HostValues, in the writer's order (I64, F64,
// C64, F32, U16: rank descending), as an x86-64 host writes them.
const std::string& ExpectedHostData() {
  static const std::string* const data = new std::string(
      Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) +  // i64 -2
      Bytes({0, 0, 0, 0, 0, 0, 0xE0, 0xBF}) +                    // f64 -0.5
      Bytes({0, 0, 0x80, 0xBF, 0, 0, 0x80, 0x3F}) +              // c64 -1+1j
      Bytes({0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0}) +                 // f32 1.5, -2
      Bytes({0x02, 0x01, 0xB0, 0xA0, 7, 0}));                    // u16
  return *data;
}

TEST(WriterHostOrder, SerializeWritesLittleEndianFromHostValues) {
  const HostValues v;
  absl::StatusOr<std::string> out = Serialize(HostRefs(v));
  ASSERT_THAT(out, IsOk());
  ASSERT_GE(out->size(), ExpectedHostData().size());
  EXPECT_EQ(out->substr(out->size() - ExpectedHostData().size()),
            ExpectedHostData());
}

TEST(WriterHostOrder, StreamWriterSwapsAcrossAnyChunking) {
  const HostValues v;
  const std::vector<TensorRef> refs = HostRefs(v);
  std::vector<TensorDesc> descs;
  for (const TensorRef& r : refs) descs.push_back({r.name, r.dtype, r.shape});
  const std::string dir = FreshDir("stream_host");
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{5}, size_t{64}}) {
    const std::string path = dir + "/h" + std::to_string(chunk);
    absl::StatusOr<std::unique_ptr<StreamWriter>> w =
        StreamWriter::Open(path, descs);
    ASSERT_THAT(w, IsOk());
    for (const WritePlan::Entry& e : (*w)->plan().entries()) {
      const absl::Span<const uint8_t> data = refs[e.input_index].data;
      for (size_t at = 0; at < data.size(); at += chunk) {
        ASSERT_THAT((*w)->Append(e.name, data.subspan(at, chunk)), IsOk());
      }
    }
    ASSERT_THAT((*w)->Finish(), IsOk());
    const std::string file = ReadWholeFile(path);
    SCOPED_TRACE(chunk);
    EXPECT_EQ(file.substr(file.size() - ExpectedHostData().size()),
              ExpectedHostData());
    EXPECT_EQ(file, *Serialize(refs));
  }
}

// Four floats of one value, as host-order bytes.
std::vector<float> Fours(float v) { return std::vector<float>(4, v); }
absl::Span<const uint8_t> Bytes(const std::vector<float>& v) {
  return absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()),
                                   v.size() * sizeof(float));
}

// The reference's order puts "layers.10" before "layers.2" (name bytes):
// appending in declared order used to swap two same-size tensors silently.
TEST(StreamWriter, AppendOfAnotherTensorThanExpectedIsRefused) {
  const std::string dir = FreshDir("stream_order");
  const std::string path = dir + "/m.safetensors";
  const std::vector<TensorDesc> descs = {
      {"model.layers.2.w", Dtype::kF32, {4}},
      {"model.layers.10.w", Dtype::kF32, {4}}};
  absl::StatusOr<std::unique_ptr<StreamWriter>> w =
      StreamWriter::Open(path, descs);
  ASSERT_THAT(w, IsOk());
  ASSERT_EQ((*w)->current()->name, "model.layers.10.w");
  const absl::Status s = (*w)->Append("model.layers.2.w", Bytes(Fours(2)));
  EXPECT_THAT(s, FailsWithoutKind(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(s.message()),
              ::testing::AllOf(::testing::HasSubstr("\"model.layers.2.w\""),
                               ::testing::HasSubstr("\"model.layers.10.w\""),
                               ::testing::HasSubstr("kDeclared")));
  // The writer is failed: nothing is ever renamed into place.
  EXPECT_THAT((*w)->Append("model.layers.10.w", Bytes(Fours(10))),
              FailsWithoutKind(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT((*w)->Finish(),
              FailsWithoutKind(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{});
}

// Reads tensor `name` of the file at `path` as floats.
std::vector<float> FloatsOf(const std::string& path, const std::string& name) {
  const std::string bytes = ReadWholeFile(path);
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(bytes);
  EXPECT_THAT(st, IsOk());
  if (!st.ok()) return {};
  absl::StatusOr<TensorView> t = st->Tensor(name);
  EXPECT_THAT(t, IsOk());
  if (!t.ok()) return {};
  std::vector<float> out(t->byte_size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t bits = 0;
    for (int b = 3; b >= 0; --b) bits = bits << 8 | t->data()[4 * i + b];
    std::memcpy(&out[i], &bits, 4);
  }
  return out;
}

TEST(StreamWriter, DeclaredOrderTakesTheTensorsAsDeclared) {
  const std::string dir = FreshDir("stream_declared");
  const std::string path = dir + "/m.safetensors";
  const std::vector<TensorDesc> descs = {
      {"model.layers.2.w", Dtype::kF32, {4}},
      {"model.layers.10.w", Dtype::kF32, {4}},
      {"bias", Dtype::kF64, {}}};
  WriteOptions o;
  o.tensor_order = TensorOrder::kDeclared;
  absl::StatusOr<std::unique_ptr<StreamWriter>> w =
      StreamWriter::Open(path, descs, std::nullopt, o);
  ASSERT_THAT(w, IsOk());
  const double bias = 0.5;
  ASSERT_THAT((*w)->Append("model.layers.2.w", Bytes(Fours(2))), IsOk());
  ASSERT_THAT((*w)->Append("model.layers.10.w", Bytes(Fours(10))), IsOk());
  ASSERT_THAT((*w)->Append("bias", absl::Span<const uint8_t>(
                                       reinterpret_cast<const uint8_t*>(&bias),
                                       sizeof bias)),
              IsOk());
  ASSERT_THAT((*w)->Finish(), IsOk());
  EXPECT_EQ(FloatsOf(path, "model.layers.2.w"), Fours(2));
  EXPECT_EQ(FloatsOf(path, "model.layers.10.w"), Fours(10));
  // The header and the data follow the declared order.
  const std::string file = ReadWholeFile(path);
  EXPECT_LT(file.find("layers.2."), file.find("layers.10."));
  EXPECT_LT(file.find("layers.10."), file.find("\"bias\""));
  EXPECT_NE(file.find("\"model.layers.2.w\":{\"dtype\":\"F32\",\"shape\":[4],"
                      "\"data_offsets\":[0,16]}"),
            std::string::npos);
  // And Serialize writes the same bytes from the same declaration.
  std::vector<TensorRef> refs;
  const std::vector<float> two = Fours(2), ten = Fours(10);
  refs.push_back({"model.layers.2.w", Dtype::kF32, {4}, Bytes(two)});
  refs.push_back({"model.layers.10.w", Dtype::kF32, {4}, Bytes(ten)});
  refs.push_back({"bias",
                  Dtype::kF64,
                  {},
                  absl::Span<const uint8_t>(
                      reinterpret_cast<const uint8_t*>(&bias), sizeof bias)});
  EXPECT_EQ(*Serialize(refs, std::nullopt, o), file);
  // The default stays the reference's order: F64 first, then "...10" < "...2".
  const std::string reference = *Serialize(refs);
  EXPECT_LT(reference.find("\"bias\""), reference.find("layers.10."));
  EXPECT_LT(reference.find("layers.10."), reference.find("layers.2."));
}

// Names and shapes given as temporaries (a braced list, a concatenation)
// are owned by the descriptors: no dangling view (ASan would report one).
TEST(WriteDescriptors, OwnTheirNamesAndShapes) {
  const std::vector<uint8_t> bytes(16, 0);
  const std::string a = "layer", b = ".weight";
  std::vector<TensorRef> v = {{"x", Dtype::kF32, {2, 2}, bytes},
                              {a + b, Dtype::kU8, {4, 4}, bytes}};
  std::vector<TensorDesc> d = {{a + ".bias", Dtype::kF32, {2, 2}}};
  // Overwrite the stack and the heap the temporaries used.
  std::vector<std::string> noise(64, std::string(64, '#'));
  EXPECT_EQ(v[0].name, "x");
  EXPECT_EQ(v[1].name, "layer.weight");
  EXPECT_EQ(v[0].shape, (Shape{2, 2}));
  EXPECT_EQ(d[0].name, "layer.bias");
  absl::StatusOr<std::string> file = Serialize(v);
  ASSERT_THAT(file, IsOk());
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(*file);
  ASSERT_THAT(st, IsOk());
  EXPECT_THAT(st->Tensor("layer.weight"), IsOk());
  EXPECT_THAT(WritePlan::Create(d, std::nullopt), IsOk());
  // A shape from a vector, a span and more dimensions than fit inline.
  const std::vector<uint64_t> dims = {1, 2, 1, 2, 1, 2, 1, 2};
  const Shape from_vector = dims;
  const Shape from_span = absl::MakeConstSpan(dims);
  EXPECT_EQ(from_vector, from_span);
  EXPECT_EQ(std::vector<uint64_t>(from_vector.begin(), from_vector.end()),
            dims);
}

// A tensor copied from one file into another keeps its bytes on every host:
// a TensorRef made from a TensorView is marked little-endian, whatever
// WriteOptions::data_order says (it used to be swapped twice on big-endian
// hosts with the default kHost).
TEST(WriteDescriptors, FromATensorViewCopiesTheFileBytes) {
  std::vector<TensorRef> src;
  const std::vector<uint8_t> f32 = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<uint8_t> i16 = {9, 10, 11, 12};
  src.push_back({"f", Dtype::kF32, {2}, f32, ByteOrder::kLittleEndian});
  src.push_back({"s", Dtype::kI16, {2}, i16, ByteOrder::kLittleEndian});
  const std::string first = *Serialize(src);
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(first);
  ASSERT_THAT(st, IsOk());
  std::vector<TensorRef> copy;
  for (const TensorView& t : st->Tensors()) copy.push_back(t);
  copy.push_back(TensorRef("renamed", *st->Tensor("f")));
  for (const TensorRef& r : copy) {
    EXPECT_EQ(r.data_order, ByteOrder::kLittleEndian) << r.name;
  }
  absl::StatusOr<std::string> second = Serialize(copy);  // default: kHost
  ASSERT_THAT(second, IsOk());
  absl::StatusOr<SafeTensors> back = SafeTensors::Parse(*second);
  ASSERT_THAT(back, IsOk());
  for (const char* name : {"f", "s", "renamed"}) {
    const std::vector<uint8_t>& want = std::string(name) == "s" ? i16 : f32;
    absl::StatusOr<TensorView> t = back->Tensor(name);
    ASSERT_THAT(t, IsOk());
    EXPECT_EQ(std::vector<uint8_t>(t->data().begin(), t->data().end()), want)
        << name;
  }
  // A per-tensor order overrides WriteOptions::data_order in both directions.
  WriteOptions le;
  le.data_order = ByteOrder::kLittleEndian;
  std::vector<TensorRef> host = {
      {"s", Dtype::kI16, {2}, i16, ByteOrder::kHost}};
  const std::string swapped = *Serialize(host, std::nullopt, le);
  const std::string tail = swapped.substr(swapped.size() - 4);
  if (kHostIsBigEndian) {
    EXPECT_EQ(tail, std::string("\x0a\x09\x0c\x0b", 4));
  } else {
    EXPECT_EQ(tail, std::string("\x09\x0a\x0b\x0c", 4));
  }
}

}  // namespace
}  // namespace safetensors
