// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/host_order.h"

#include <dirent.h>

#include <complex>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/byteswap.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/test_util.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

using ::safetensors::test::IsOk;
using ::safetensors::test::MakeFile;
using ::safetensors::test::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

// F32 [2,3] = 0..5, then I16 [2] = {-2, 0x0102}, C64 [1] = -1+1j.
const std::string& File() {
  static const std::string* const file = new std::string(MakeFile(
      "{\"c\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]},"
      "\"f\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]},"
      "\"i\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[32,36]}}",
      Bytes({0, 0, 0x80, 0xBF, 0, 0, 0x80, 0x3F}) +  // -1+1j
          Bytes(
              {0, 0, 0,    0,    0, 0, 0x80, 0x3F, 0, 0, 0,    0x40,
               0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xA0, 0x40}) +  // 0..5
          Bytes({0xFE, 0xFF, 0x02, 0x01})));
  return *file;
}

TEST(ReadAs, ValuesInHostOrder) {
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(File());
  ASSERT_THAT(st, IsOk());
  EXPECT_THAT(*ReadAs<float>(*st->Tensor("f")), ElementsAre(0, 1, 2, 3, 4, 5));
  EXPECT_THAT(*ReadAs<int16_t>(*st->Tensor("i")), ElementsAre(-2, 0x0102));
  EXPECT_THAT(*ReadAs<std::complex<float>>(*st->Tensor("c")),
              ElementsAre(std::complex<float>(-1, 1)));
}

// BOOL is one byte per element; a byte other than 0 reads as true (never a
// memcpy into bool, which would be undefined for 0x02).
TEST(ReadAs, BoolTensors) {
  const std::string file = MakeFile(
      "{\"b\":{\"dtype\":\"BOOL\",\"shape\":[5],\"data_offsets\":[0,5]}}",
      Bytes({0, 1, 2, 0xFF, 0}));
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(file);
  ASSERT_THAT(st, IsOk());
  absl::StatusOr<std::vector<bool>> b = ReadAs<bool>(*st->Tensor("b"));
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(*b, (std::vector<bool>{false, true, true, true, false}));
  EXPECT_THAT(*ReadAs<uint8_t>(*st->Tensor("b")), ElementsAre(0, 1, 2, 255, 0));
  EXPECT_TRUE(CanReadAs<uint8_t>(Dtype::kBool));
  absl::StatusOr<SafeTensors> other = SafeTensors::Parse(File());
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(ReadAs<bool>(*other->Tensor("i")),
              StatusIs(ErrorKind::kInvalidTensorView));
}

TEST(ViewAs, ZeroCopyWhereTheBytesAreAlreadyTs) {
  // Written with the default alignment: the data starts at a multiple of 8
  // of the (heap-allocated, so 16-aligned) buffer.
  const std::vector<float> values = {0, 1, 2, 3, 4, 5};
  absl::StatusOr<std::string> file = Serialize(
      {{"f",
        Dtype::kF32,
        {2, 3},
        absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(values.data()),
                            values.size() * sizeof(float))}});
  ASSERT_THAT(file, IsOk());
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(*file);
  ASSERT_THAT(st, IsOk());
  const TensorView f = *st->Tensor("f");
  absl::StatusOr<absl::Span<const float>> v = ViewAs<float>(f);
  if (kHostIsBigEndian) {
    // The bytes are little-endian: only a copy gives the values.
    EXPECT_THAT(v, StatusIs(ErrorKind::kInvalidTensorView));
    EXPECT_THAT(std::string(v.status().message()),
                HasSubstr("this host is big-endian"));
    return;
  }
  ASSERT_THAT(v, IsOk());
  EXPECT_THAT(*v, ElementsAre(0, 1, 2, 3, 4, 5));
  EXPECT_EQ(static_cast<const void*>(v->data()),
            static_cast<const void*>(f.data().data()));  // no copy
  // The dtype must be T's.
  absl::StatusOr<absl::Span<const int32_t>> wrong = ViewAs<int32_t>(f);
  EXPECT_THAT(wrong, StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("F32"));
}

TEST(ViewAs, MisalignedBytesAreAnErrorNotUndefinedBehaviour) {
  // The same F32 values one byte off a 4-byte boundary.
  std::vector<uint8_t> buffer(1 + 8, 0);
  buffer[1 + 2] = 0x80;  // 1.0f, then 0.0f
  buffer[1 + 3] = 0x3F;
  TensorInfo info;
  info.name = "m";
  info.dtype = Dtype::kF32;
  info.shape = {2};
  info.begin = 0;
  info.end = 8;
  const uint8_t* base = buffer.data();
  const bool odd = reinterpret_cast<uintptr_t>(base + 1) % alignof(float) != 0;
  ASSERT_TRUE(odd || reinterpret_cast<uintptr_t>(base) % alignof(float) != 0);
  const size_t at = odd ? 1 : 0;
  const TensorView view(info, absl::MakeConstSpan(base + at, 8));
  absl::StatusOr<absl::Span<const float>> v = ViewAs<float>(view);
  EXPECT_THAT(v, StatusIs(ErrorKind::kInvalidTensorView));
  if (!kHostIsBigEndian) {
    EXPECT_THAT(std::string(v.status().message()),
                HasSubstr("not a multiple of 4"));
  }
  // ViewAs<uint8_t> has no alignment to meet.
  if (!kHostIsBigEndian) {
    info.dtype = Dtype::kU8;
    info.shape = {8};
    EXPECT_THAT(ViewAs<uint8_t>(TensorView(info, view.data())), IsOk());
  }
}

TEST(ReadSliceAs, TypedSliceInHostOrderInOneCall) {
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(File());
  ASSERT_THAT(st, IsOk());
  const TensorView f = *st->Tensor("f");  // [[0,1,2],[3,4,5]]
  EXPECT_THAT(*ReadSliceAs<float>(f, {Index(1)}), ElementsAre(3, 4, 5));
  EXPECT_THAT(*ReadSliceAs<float>(f, {All(), Range(1, 3)}),
              ElementsAre(1, 2, 4, 5));
  EXPECT_THAT(*ReadSliceAs<float>(f, {All(), Index(0)}), ElementsAre(0, 3));
  EXPECT_THAT(*ReadSliceAs<int16_t>(*st->Tensor("i"), {Range(1, 2)}),
              ElementsAre(0x0102));
  EXPECT_THAT(ReadSliceAs<double>(f, {Index(0)}),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ReadSliceAs<float>(f, {Index(2)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(ReadSliceAs<float>(f, {All(), All(), All()}),
              StatusIs(ErrorKind::kTooManySlices));
  // Python's x[-1], x[:, -2:], x[:, ::2], x[-5:1] (clamped), x[1:0] (empty).
  using P = PyIndexer;
  EXPECT_THAT(*ReadSliceAs<float>(f, {P::Index(-1)}), ElementsAre(3, 4, 5));
  EXPECT_THAT(*ReadSliceAs<float>(f, {P::All(), P::Slice(-2, std::nullopt)}),
              ElementsAre(1, 2, 4, 5));
  EXPECT_THAT(*ReadSliceAs<float>(
                  f, {P::All(), P::Slice(std::nullopt, std::nullopt, 2)}),
              ElementsAre(0, 2, 3, 5));
  EXPECT_THAT(*ReadSliceAs<float>(f, {P::Slice(-5, 1)}), ElementsAre(0, 1, 2));
  EXPECT_THAT(*ReadSliceAs<float>(f, {P::Slice(1, 0)}), ElementsAre());
  EXPECT_THAT(ReadSliceAs<float>(f, {P::Index(-3)}),
              StatusIs(ErrorKind::kSliceOutOfRange));
  EXPECT_THAT(ReadSliceAs<float>(f, {P::Slice(0, 2, -1)}),
              StatusIs(ErrorKind::kInvalidSliceRange));
}

TEST(ReadAs, TypeMustFitTheDtype) {
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(File());
  ASSERT_THAT(st, IsOk());
  EXPECT_THAT(ReadAs<int32_t>(*st->Tensor("f")),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_THAT(ReadAs<uint16_t>(*st->Tensor("i")),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_TRUE(CanReadAs<uint16_t>(Dtype::kBF16));
  EXPECT_TRUE(CanReadAs<uint16_t>(Dtype::kF16));
  EXPECT_TRUE(CanReadAs<uint8_t>(Dtype::kF8E4M3));
  EXPECT_FALSE(CanReadAs<uint8_t>(Dtype::kF4));
  EXPECT_FALSE(CanReadAs<uint8_t>(Dtype::kI8));
  EXPECT_FALSE(CanReadAs<int8_t>(Dtype::kU8));
  EXPECT_TRUE(CanReadAs<bool>(Dtype::kBool));
  EXPECT_TRUE(CanReadAs<double>(Dtype::kF64));
  EXPECT_FALSE(CanReadAs<double>(Dtype::kC64));
}

TEST(CopyToHost, SizeMustMatch) {
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(File());
  ASSERT_THAT(st, IsOk());
  std::vector<uint8_t> small(23, 0xAA);
  EXPECT_THAT(CopyToHost(*st->Tensor("f"), absl::MakeSpan(small)),
              StatusIs(ErrorKind::kInvalidTensorView));
  EXPECT_EQ(small, std::vector<uint8_t>(23, 0xAA));  // untouched
}

TEST(CopySliceToHost, RowsAndColumns) {
  absl::StatusOr<SafeTensors> st = SafeTensors::Parse(File());
  ASSERT_THAT(st, IsOk());
  float out[4];
  const SliceIndexer cols[] = {All(), Range(1, 3)};
  ASSERT_THAT(
      CopySliceToHost(*st->Tensor("f"), cols,
                      absl::MakeSpan(reinterpret_cast<uint8_t*>(out), 16)),
      IsOk());
  EXPECT_THAT(out, ElementsAre(1, 2, 4, 5));
  const SliceIndexer row[] = {Index(1)};
  ASSERT_THAT(
      CopySliceToHost(*st->Tensor("f"), row,
                      absl::MakeSpan(reinterpret_cast<uint8_t*>(out), 12)),
      IsOk());
  EXPECT_THAT(absl::MakeSpan(out, 3), ElementsAre(3, 4, 5));
  EXPECT_THAT(
      CopySliceToHost(*st->Tensor("f"), row,
                      absl::MakeSpan(reinterpret_cast<uint8_t*>(out), 16)),
      StatusIs(ErrorKind::kInvalidTensorView));
}

// Every accepted conformance vector, read into host order, gives the values
// that its little-endian bytes spell, decoded here with shifts (which do not
// depend on the host's byte order). Under --config=s390x this is the
// big-endian check of docs/specification.md §12.
std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(HostOrder, EveryAcceptedConformanceVector) {
  const std::string dir = std::string(std::getenv("TEST_SRCDIR")) + "/" +
                          std::getenv("TEST_WORKSPACE") +
                          "/conformance/vectors";
  DIR* d = opendir(dir.c_str());
  ASSERT_NE(d, nullptr) << dir;
  int files = 0, tensors = 0, swapped = 0;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.rfind("y_", 0) != 0 || name.size() < 12 ||
        name.substr(name.size() - 12) != ".safetensors" ||
        name.find("write") != std::string::npos) {
      continue;
    }
    const std::string bytes = ReadFileBytes(dir + "/" + name);
    absl::StatusOr<SafeTensors> st = SafeTensors::Parse(bytes);
    ASSERT_THAT(st, IsOk()) << name;
    ++files;
    for (const TensorView& t : st->Tensors()) {
      ++tensors;
      std::vector<uint8_t> host(t.byte_size());
      ASSERT_THAT(CopyToHost(t, absl::MakeSpan(host)), IsOk());
      const int unit = DtypeSwapUnit(t.dtype());
      if (unit > 1) ++swapped;
      for (size_t at = 0; at + unit <= host.size(); at += unit) {
        uint64_t from_file = 0;  // little-endian decode with shifts
        for (int k = 0; k < unit; ++k) {
          from_file |= uint64_t{t.data()[at + k]} << (8 * k);
        }
        uint64_t in_host = 0;  // the host's reading of its own copy
        if (unit == 1) in_host = host[at];
        if (unit == 2) {
          uint16_t v;
          std::memcpy(&v, &host[at], 2);
          in_host = v;
        }
        if (unit == 4) {
          uint32_t v;
          std::memcpy(&v, &host[at], 4);
          in_host = v;
        }
        if (unit == 8) std::memcpy(&in_host, &host[at], 8);
        ASSERT_EQ(in_host, from_file) << name << " " << t.name() << " @" << at;
      }
    }
  }
  closedir(d);
  EXPECT_GE(files, 50);
  EXPECT_GT(swapped, 10);
  std::cout << files << " vectors, " << tensors << " tensors (" << swapped
            << " of multi-byte dtypes) read in host order ("
            << (kHostIsBigEndian ? "big" : "little") << "-endian host)"
            << std::endl;
}

}  // namespace
}  // namespace safetensors
