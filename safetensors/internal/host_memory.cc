// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/host_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace safetensors {
namespace internal {
namespace {

size_t PageSize() {
  static const size_t page = [] {
    const long p = sysconf(_SC_PAGESIZE);  // NOLINT(runtime/int)
    return p > 0 ? static_cast<size_t>(p) : size_t{4096};
  }();
  return page;
}

uintptr_t RoundUp(uintptr_t x, size_t to) { return (x + to - 1) / to * to; }
uintptr_t RoundDown(uintptr_t x, size_t to) { return x / to * to; }

#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older C libraries lack the name
#endif

#ifdef MADV_POPULATE_WRITE
// Cleared the first time the kernel refuses MADV_POPULATE_WRITE (EINVAL
// before 5.14), so later calls go straight to the fallback.
std::atomic<bool> populate_write_works{true};
#endif

// `size` bytes mapped on their own, the start aligned to kHugePageSize, or
// null. The reservation is larger by the alignment, and the slack on both
// sides is unmapped again.
uint8_t* MapAligned(size_t size) {
  const size_t length = RoundUp(size, PageSize());
  const size_t reserve = length + kHugePageSize;
  void* raw = mmap(nullptr, reserve, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = RoundUp(begin, kHugePageSize);
  if (aligned > begin) munmap(raw, aligned - begin);
  const uintptr_t end = begin + reserve;
  if (end > aligned + length) {
    munmap(reinterpret_cast<void*>(aligned + length), end - aligned - length);
  }
#ifdef MADV_HUGEPAGE
  // Advice: where transparent huge pages are off, nothing changes.
  madvise(reinterpret_cast<void*>(aligned), length, MADV_HUGEPAGE);
#endif
  return reinterpret_cast<uint8_t*>(aligned);
}

}  // namespace

std::shared_ptr<uint8_t> AllocateHostBytes(size_t size) {
  if (size == 0) return nullptr;
  if (size >= kHugePageSize) {
    uint8_t* mapped = MapAligned(size);
    if (mapped == nullptr) throw std::bad_alloc();
    const size_t length = RoundUp(size, PageSize());
    return std::shared_ptr<uint8_t>(
        mapped, [length](uint8_t* p) { munmap(p, length); });
  }
  constexpr std::align_val_t kAlign{kHostBytesAlignment};
  return std::shared_ptr<uint8_t>(
      static_cast<uint8_t*>(::operator new(size, kAlign)),
      [](uint8_t* p) { ::operator delete(p, kAlign); });
}

void PrefaultForWrite(uint8_t* data, size_t size) {
  const size_t page = PageSize();
  const uintptr_t begin = RoundUp(reinterpret_cast<uintptr_t>(data), page);
  const uintptr_t end =
      RoundDown(reinterpret_cast<uintptr_t>(data) + size, page);
  if (end <= begin) return;
#ifdef MADV_POPULATE_WRITE
  if (populate_write_works.load(std::memory_order_relaxed)) {
    if (madvise(reinterpret_cast<void*>(begin), end - begin,
                MADV_POPULATE_WRITE) == 0) {
      return;
    }
    if (errno == EINVAL) {
      populate_write_works.store(false, std::memory_order_relaxed);
    }
    // Any other failure (e.g. EFAULT, ENOMEM): the copy takes the faults.
    return;
  }
#endif
  TouchPagesForWrite(data, size);
}

void TouchPagesForWrite(uint8_t* data, size_t size) {
  const size_t page = PageSize();
  const uintptr_t begin = RoundUp(reinterpret_cast<uintptr_t>(data), page);
  const uintptr_t end =
      RoundDown(reinterpret_cast<uintptr_t>(data) + size, page);
  // With huge pages the first write of each 2 MiB faults it in whole and
  // the others are plain stores.
  for (uintptr_t p = begin; p < end; p += page) {
    *reinterpret_cast<volatile uint8_t*>(p) = 0;
  }
}

void AdviseSequentialRead(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const size_t page = PageSize();
  const uintptr_t begin = RoundDown(reinterpret_cast<uintptr_t>(data), page);
  const uintptr_t end = RoundUp(reinterpret_cast<uintptr_t>(data) + size, page);
  void* start = reinterpret_cast<void*>(begin);
  madvise(start, end - begin, MADV_SEQUENTIAL);
  madvise(start, end - begin, MADV_WILLNEED);
}

}  // namespace internal
}  // namespace safetensors
