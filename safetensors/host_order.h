// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Reading tensors as values of the host: the file stores every element
// little-endian; these functions copy a tensor (or a slice of one) into the
// caller's memory in the host's byte order: a plain copy on a little-endian
// host, a swapping copy on a big-endian one (docs/specification.md §12). The
// raw view, TensorView::data(), stays zero-copy and little-endian everywhere.
//
//   absl::StatusOr<std::vector<float>> w = safetensors::ReadAs<float>(view);
//
// Pure functions of their arguments; thread-safe.

#ifndef SAFETENSORS_HOST_ORDER_H_
#define SAFETENSORS_HOST_ORDER_H_

#include <complex>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

#include "safetensors/byteswap.h"
#include "safetensors/dtype.h"
#include "safetensors/reader.h"
#include "safetensors/slice.h"

namespace safetensors {

// Copies the tensor's bytes into `out` in host byte order. Errors:
// InvalidTensorView when out.size() != view.byte_size() (nothing written).
// Cost: one copy (a swapping copy on a big-endian host) of the tensor.
absl::Status CopyToHost(const TensorView& view, absl::Span<uint8_t> out);

// Copies a slice of the tensor (slice.h) into `out` in host byte order.
// Errors: those of PlanSlice, and InvalidTensorView when out.size() is not
// the slice's byte size (nothing written).
absl::Status CopySliceToHost(const TensorView& view,
                             absl::Span<const SliceIndexer> indexers,
                             absl::Span<uint8_t> out);

// True when elements of `dtype` are read as T by ReadAs<T>: T has the
// dtype's exact width and meaning (float: F32, double: F64, bool: BOOL,
// std::complex<float>: C64, int8_t..int64_t: I8..I64, uint8_t..uint64_t:
// U8..U64), or T is the unsigned integer of the same width and the dtype has
// no C++ type (uint16_t: F16, BF16 as raw bits; uint8_t: the F8 types, and
// BOOL's bytes as stored). Sub-byte dtypes (F4, F6_*) have no element type.
// For values converted to float from any of them, see convert.h.
template <typename T>
bool CanReadAs(Dtype dtype);

// The tensor's elements as a vector of T in host order. Errors:
// InvalidTensorView when !CanReadAs<T>(view.dtype()). ReadAs<bool> reads a
// BOOL tensor as `byte != 0` (a file may hold any byte; only 0 and 1 are
// what writers produce), into a std::vector<bool>; ReadAs<uint8_t> gives
// the bytes themselves.
template <typename T>
absl::StatusOr<std::vector<T>> ReadAs(const TensorView& view);

// The tensor's elements as T, in place: a view of the file's own bytes, no
// copy. Only possible where those bytes already are T's: returns the span
// when the host is little-endian, CanReadAs<T>(view.dtype()), and the data is
// aligned for T (a file's data section starts at a multiple of 8 from the
// start of the file when written with the default alignment, and a mapping
// starts at a page, so this holds for most files; the format does not
// require it). T may not be bool (a byte other than 0 or 1 is not a bool:
// use ViewAs<uint8_t> or ReadAs<bool>). The span lives as long as the
// view's bytes (the File).
// Errors, all InvalidTensorView, the message naming the condition that
// failed: the dtype is not T's; the host is big-endian (the bytes would be
// byte-swapped values: use ReadAs, which copies); the data's address is not
// a multiple of alignof(T) (use ReadAs).
// Cost: O(1).
template <typename T>
absl::StatusOr<absl::Span<const T>> ViewAs(const TensorView& view);

// A slice of the tensor (slice.h's indexers, e.g. {Range(10, 20)} for rows
// 10..19 of a matrix, {All(), Index(3)} for column 3) as a new vector of T in
// host order: plan, allocation and copy in one call. Errors: those of
// PlanSlice and CopySliceToHost, and InvalidTensorView when
// !CanReadAs<T>(view.dtype()). T may not be bool.
// Cost: O(rank) planning, one allocation and one copy of the slice.
template <typename T>
absl::StatusOr<std::vector<T>> ReadSliceAs(
    const TensorView& view, absl::Span<const SliceIndexer> indexers);

// The same with Python's indexing (slice.h's PyIndexer: negative positions
// from the end, bounds left out), e.g. {PyIndexer::Slice(-2, std::nullopt)}
// for x[-2:]. Errors: those of ResolvePython, then as above.
template <typename T>
absl::StatusOr<std::vector<T>> ReadSliceAs(const TensorView& view,
                                           absl::Span<const PyIndexer> items);

// Implementation details follow.

namespace internal {
absl::Status CannotReadAs(Dtype dtype, const char* type_name);
// BOOL bytes as bools, each byte != 0. Never a memcpy into bool: a byte
// other than 0 or 1 is not a valid bool object.
std::vector<bool> BoolsOf(absl::Span<const uint8_t> bytes);
// The error ViewAs returns when the tensor's bytes are not usable as T in
// place: `big_endian` or else misaligned (`alignment` being T's).
absl::Status CannotViewAs(const TensorView& view, const char* type_name,
                          bool big_endian, size_t alignment);

template <typename T>
constexpr const char* TypeName() {
  if constexpr (std::is_same_v<T, float>) return "float";
  if constexpr (std::is_same_v<T, double>) return "double";
  if constexpr (std::is_same_v<T, bool>) return "bool";
  if constexpr (std::is_same_v<T, std::complex<float>>) {
    return "std::complex<float>";
  }
  if constexpr (std::is_same_v<T, int8_t>) return "int8_t";
  if constexpr (std::is_same_v<T, int16_t>) return "int16_t";
  if constexpr (std::is_same_v<T, int32_t>) return "int32_t";
  if constexpr (std::is_same_v<T, int64_t>) return "int64_t";
  if constexpr (std::is_same_v<T, uint8_t>) return "uint8_t";
  if constexpr (std::is_same_v<T, uint16_t>) return "uint16_t";
  if constexpr (std::is_same_v<T, uint32_t>) return "uint32_t";
  if constexpr (std::is_same_v<T, uint64_t>) return "uint64_t";
  return "an unsupported type";
}
}  // namespace internal

template <typename T>
bool CanReadAs(Dtype dtype) {
  using D = Dtype;
  if constexpr (std::is_same_v<T, float>) return dtype == D::kF32;
  if constexpr (std::is_same_v<T, double>) return dtype == D::kF64;
  if constexpr (std::is_same_v<T, bool>) return dtype == D::kBool;
  if constexpr (std::is_same_v<T, std::complex<float>>) return dtype == D::kC64;
  if constexpr (std::is_same_v<T, int8_t>) return dtype == D::kI8;
  if constexpr (std::is_same_v<T, int16_t>) return dtype == D::kI16;
  if constexpr (std::is_same_v<T, int32_t>) return dtype == D::kI32;
  if constexpr (std::is_same_v<T, int64_t>) return dtype == D::kI64;
  if constexpr (std::is_same_v<T, uint8_t>) {
    return dtype == D::kU8 || dtype == D::kBool || dtype == D::kF8E5M2 ||
           dtype == D::kF8E4M3 || dtype == D::kF8E8M0 ||
           dtype == D::kF8E4M3Fnuz || dtype == D::kF8E5M2Fnuz;
  }
  if constexpr (std::is_same_v<T, uint16_t>) {
    return dtype == D::kU16 || dtype == D::kF16 || dtype == D::kBF16;
  }
  if constexpr (std::is_same_v<T, uint32_t>) return dtype == D::kU32;
  if constexpr (std::is_same_v<T, uint64_t>) return dtype == D::kU64;
  return false;
}

template <typename T>
absl::StatusOr<std::vector<T>> ReadAs(const TensorView& view) {
  static_assert(std::is_trivially_copyable_v<T>, "T must be a plain value");
  if (!CanReadAs<T>(view.dtype())) {
    return internal::CannotReadAs(view.dtype(), internal::TypeName<T>());
  }
  if constexpr (std::is_same_v<T, bool>) {
    return internal::BoolsOf(view.data());
  } else {
    std::vector<T> out(view.byte_size() / sizeof(T));
    absl::Status s = CopyToHost(
        view, absl::Span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()),
                                  out.size() * sizeof(T)));
    if (!s.ok()) return s;
    return out;
  }
}

template <typename T>
absl::StatusOr<absl::Span<const T>> ViewAs(const TensorView& view) {
  static_assert(std::is_trivially_copyable_v<T>, "T must be a plain value");
  static_assert(!std::is_same_v<T, bool>,
                "a BOOL byte may be other than 0 or 1: use ViewAs<uint8_t>");
  if (!CanReadAs<T>(view.dtype())) {
    return internal::CannotReadAs(view.dtype(), internal::TypeName<T>());
  }
  const uint8_t* data = view.data().data();
  if (kHostIsBigEndian || reinterpret_cast<uintptr_t>(data) % alignof(T) != 0) {
    return internal::CannotViewAs(view, internal::TypeName<T>(),
                                  kHostIsBigEndian, alignof(T));
  }
  return absl::Span<const T>(reinterpret_cast<const T*>(data),
                             view.byte_size() / sizeof(T));
}

template <typename T>
absl::StatusOr<std::vector<T>> ReadSliceAs(
    const TensorView& view, absl::Span<const SliceIndexer> indexers) {
  static_assert(std::is_trivially_copyable_v<T>, "T must be a plain value");
  static_assert(!std::is_same_v<T, bool>,
                "std::vector<bool> has no bytes to copy into: read uint8_t");
  if (!CanReadAs<T>(view.dtype())) {
    return internal::CannotReadAs(view.dtype(), internal::TypeName<T>());
  }
  absl::StatusOr<SlicePlan> plan =
      PlanSlice(view.dtype(), view.shape(), indexers);
  if (!plan.ok()) return plan.status();
  std::vector<T> out(plan->byte_size() / sizeof(T));
  absl::Status s = CopySliceToHost(
      view, indexers,
      absl::Span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()),
                          out.size() * sizeof(T)));
  if (!s.ok()) return s;
  return out;
}

template <typename T>
absl::StatusOr<std::vector<T>> ReadSliceAs(const TensorView& view,
                                           absl::Span<const PyIndexer> items) {
  absl::StatusOr<std::vector<SliceIndexer>> indexers =
      ResolvePython(view.shape(), items);
  if (!indexers.ok()) return indexers.status();
  return ReadSliceAs<T>(view, absl::Span<const SliceIndexer>(*indexers));
}

}  // namespace safetensors

#endif  // SAFETENSORS_HOST_ORDER_H_
