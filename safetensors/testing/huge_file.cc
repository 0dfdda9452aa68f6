// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/testing/huge_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

#include "safetensors/testing/test_util.h"

namespace safetensors {
namespace test {

HugeSparseFile WriteHugeSparseFile(const std::string& path) {
  using F = HugeSparseFile;
  std::string header = absl::StrCat(
      R"({"small":{"dtype":"U8","shape":[16],"data_offsets":[0,16]},)",
      R"("four_gib":{"dtype":"U8","shape":[)", F::kFourGiB,
      R"(],"data_offsets":[16,)", 16 + F::kFourGiB, "]},",
      R"("above4g":{"dtype":"U8","shape":[16],"data_offsets":[)", F::kAbove,
      ",", F::kAbove + 16, "]},", R"("gap":{"dtype":"U8","shape":[)",
      F::kTail - F::kAbove - 16, R"(],"data_offsets":[)", F::kAbove + 16, ",",
      F::kTail, "]},",
      R"("tail":{"dtype":"U8","shape":[4,16],"data_offsets":[)", F::kTail, ",",
      F::kDataSize, "]}}");
  while (header.size() % 8 != 0) header += ' ';
  const std::string prefix = LengthPrefix(header.size()) + header;

  HugeSparseFile out;
  out.header_size = header.size();
  for (int i = 0; i < 16; ++i) out.above_bytes += static_cast<char>(0xA0 + i);
  for (int i = 0; i < 64; ++i) out.tail_bytes += static_cast<char>(i);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_GE(fd, 0) << path << ": " << std::strerror(errno);
  if (fd < 0) return out;
  const off_t data = static_cast<off_t>(prefix.size());
  const bool ok = write(fd, prefix.data(), prefix.size()) ==
                      static_cast<ssize_t>(prefix.size()) &&
                  ftruncate(fd, data + static_cast<off_t>(F::kDataSize)) == 0 &&
                  pwrite(fd, out.above_bytes.data(), 16,
                         data + static_cast<off_t>(F::kAbove)) == 16 &&
                  pwrite(fd, out.tail_bytes.data(), 64,
                         data + static_cast<off_t>(F::kTail)) == 64;
  EXPECT_TRUE(ok) << path << ": " << std::strerror(errno);
  close(fd);
  if (ok) out.path = path;
  return out;
}

}  // namespace test
}  // namespace safetensors
