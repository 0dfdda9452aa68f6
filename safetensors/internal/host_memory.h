// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Memory for tensors loaded into the host (LoadFile), and the hints that make
// filling it fast. A fresh page costs a fault and the kernel's zero-fill
// before the first byte lands in it; the allocation below adds no second
// zero-fill of its own (as std::vector's does), asks for transparent huge
// pages where the buffer is large enough (one fault per 2 MiB instead of per
// 4 KiB), and PrefaultForWrite lets the thread that will fill a range take
// its faults in one system call, just before the copy, while the zeroed
// lines are still in cache.

#ifndef SAFETENSORS_INTERNAL_HOST_MEMORY_H_
#define SAFETENSORS_INTERNAL_HOST_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <memory>

namespace safetensors {
namespace internal {

// Buffers of at least this many bytes are mapped on their own, aligned to
// it, with the huge-page hint; smaller ones come from operator new.
inline constexpr size_t kHugePageSize = size_t{2} << 20;

// The alignment of every non-empty buffer from AllocateHostBytes: a cache
// line, so at least that of every element type.
inline constexpr size_t kHostBytesAlignment = 64;

// `size` bytes, uninitialized, aligned to kHostBytesAlignment (to
// kHugePageSize from kHugePageSize bytes on, where the system maps
// anonymous memory). Null for size 0. Throws std::bad_alloc when the memory
// cannot be had, as operator new does. The deleter frees it.
std::shared_ptr<uint8_t> AllocateHostBytes(size_t size);

// Faults in, writable, the pages that lie wholly inside [data, data + size)
// (MADV_POPULATE_WRITE where the kernel has it, Linux 5.14 on; otherwise a
// write of one byte per page, so the range's contents are unspecified
// afterwards: call it on memory about to be overwritten). Pages only partly
// inside are left alone. A no-op where neither applies.
void PrefaultForWrite(uint8_t* data, size_t size);

// PrefaultForWrite's fallback, for kernels without MADV_POPULATE_WRITE: a
// write of one zero byte to each page wholly inside the range. Exposed for
// tests.
void TouchPagesForWrite(uint8_t* data, size_t size);

// Tells the kernel that the mapped file bytes [data, data + size) will be
// read once, soon and in order (MADV_SEQUENTIAL and MADV_WILLNEED on the
// pages that cover them). Advice only: errors are ignored, and nothing
// changes what the bytes are.
void AdviseSequentialRead(const uint8_t* data, size_t size);

}  // namespace internal
}  // namespace safetensors

#endif  // SAFETENSORS_INTERNAL_HOST_MEMORY_H_
