// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/host_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace safetensors {
namespace internal {
namespace {

size_t Page() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

TEST(AllocateHostBytes, EmptyIsNull) {
  EXPECT_EQ(AllocateHostBytes(0), nullptr);
}

// Every size gets a whole, writable buffer at the promised alignment: a
// cache line below the huge-page size, the huge page from it on.
TEST(AllocateHostBytes, AlignedAndWholeForEverySize) {
  for (size_t size :
       {size_t{1}, size_t{63}, size_t{64}, size_t{4097}, kHugePageSize - 1,
        kHugePageSize, kHugePageSize + 1, 3 * kHugePageSize + Page() + 5}) {
    SCOPED_TRACE(size);
    std::shared_ptr<uint8_t> bytes = AllocateHostBytes(size);
    ASSERT_NE(bytes, nullptr);
    const uintptr_t at = reinterpret_cast<uintptr_t>(bytes.get());
    EXPECT_EQ(at % kHostBytesAlignment, 0u);
    if (size >= kHugePageSize) {
      EXPECT_EQ(at % kHugePageSize, 0u);
    }
    std::memset(bytes.get(), 0xA5, size);
    EXPECT_EQ(bytes.get()[0], 0xA5);
    EXPECT_EQ(bytes.get()[size - 1], 0xA5);
  }
}

// Buffers are freed by their deleter: many more large ones than would fit
// at once if they leaked (64 GiB of address space) come and go.
TEST(AllocateHostBytes, LargeBuffersAreReleased) {
  for (int i = 0; i < 4096; ++i) {
    std::shared_ptr<uint8_t> bytes = AllocateHostBytes(16 << 20);
    ASSERT_NE(bytes, nullptr);
    bytes.get()[i] = 1;  // one page touched
  }
}

// Only pages wholly inside the range are touched: the bytes of the pages at
// either end, partly outside, keep their values (as do, with
// MADV_POPULATE_WRITE, the pages inside); afterwards every page inside is
// resident.
void ExpectPrefaults(void (*prefault)(uint8_t*, size_t)) {
  const size_t page = Page();
  const size_t size = 8 * page;
  void* m = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(m, MAP_FAILED);
  uint8_t* bytes = static_cast<uint8_t*>(m);
  // Pages 0 and 7 hold a pattern; 1..6 are untouched.
  for (size_t i = 0; i < page; ++i) {
    bytes[i] = static_cast<uint8_t>(i | 1);
    bytes[7 * page + i] = static_cast<uint8_t>(i | 1);
  }
  // [page / 2, 7 * page + 1): pages 1..6 are wholly inside.
  prefault(bytes + page / 2, 6 * page + page / 2 + 1);
  for (size_t i = 0; i < page; ++i) {
    ASSERT_EQ(bytes[i], static_cast<uint8_t>(i | 1)) << i;
    ASSERT_EQ(bytes[7 * page + i], static_cast<uint8_t>(i | 1)) << i;
  }
  std::vector<unsigned char> resident(8);
  ASSERT_EQ(mincore(m, size, resident.data()), 0);
  for (size_t p = 1; p < 7; ++p) EXPECT_TRUE(resident[p] & 1) << "page " << p;
  // A range inside one page faults nothing and writes nothing.
  bytes[page + 5] = 0x77;
  prefault(bytes + page + 1, page - 2);
  EXPECT_EQ(bytes[page + 5], 0x77);
  munmap(m, size);
}

// Whether madvise(MADV_POPULATE_WRITE), when it succeeds, really faults the
// pages in here: qemu-user (the s390x tests) accepts any advice and does
// nothing, which leaves PrefaultForWrite a no-op there, as the hint it is.
bool PopulateWriteIsHonoured() {
#ifdef MADV_POPULATE_WRITE
  const size_t page = Page();
  void* m = mmap(nullptr, page, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return false;
  unsigned char resident = 0;
  const bool honoured = madvise(m, page, MADV_POPULATE_WRITE) != 0 ||
                        (mincore(m, page, &resident) == 0 && (resident & 1));
  munmap(m, page);
  return honoured;  // a refusal (EINVAL) makes PrefaultForWrite touch pages
#else
  return true;
#endif
}

TEST(PrefaultForWrite, FaultsInOnlyWholePages) {
  if (!PopulateWriteIsHonoured()) {
    GTEST_SKIP() << "MADV_POPULATE_WRITE succeeds here without faulting "
                    "anything in (an emulator): nothing to check";
  }
  ExpectPrefaults(PrefaultForWrite);
}

TEST(TouchPagesForWrite, FaultsInOnlyWholePages) {
  ExpectPrefaults(TouchPagesForWrite);
}

// Advice changes nothing that can be read, for any range (unaligned, empty).
TEST(AdviseSequentialRead, LeavesTheBytesAlone) {
  std::vector<uint8_t> bytes(5 * Page() + 3);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
  AdviseSequentialRead(bytes.data() + 1, bytes.size() - 2);
  AdviseSequentialRead(bytes.data(), 0);
  for (size_t i = 0; i < bytes.size(); ++i) {
    ASSERT_EQ(bytes[i], static_cast<uint8_t>(i)) << i;
  }
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
