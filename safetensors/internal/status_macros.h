// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Internal: error-propagation macros. Prefixed, because Abseil 20220623 has
// none and bare names would collide with a user's own.

#ifndef SAFETENSORS_INTERNAL_STATUS_MACROS_H_
#define SAFETENSORS_INTERNAL_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status); returns it from the enclosing function
// when it is not OK.
#define SAFETENSORS_RETURN_IF_ERROR(expr)                      \
  do {                                                         \
    ::absl::Status safetensors_status_ = (expr);               \
    if (!safetensors_status_.ok()) return safetensors_status_; \
  } while (0)

#define SAFETENSORS_CONCAT_INNER_(a, b) a##b
#define SAFETENSORS_CONCAT_(a, b) SAFETENSORS_CONCAT_INNER_(a, b)

// `SAFETENSORS_ASSIGN_OR_RETURN(lhs, expr);` evaluates `expr` (an
// absl::StatusOr<T>); on error returns its status, otherwise moves the value
// into `lhs`, which may be a declaration (`auto x`) or an existing variable.
#define SAFETENSORS_ASSIGN_OR_RETURN(lhs, expr) \
  SAFETENSORS_ASSIGN_OR_RETURN_IMPL_(           \
      SAFETENSORS_CONCAT_(safetensors_statusor_, __LINE__), lhs, expr)

#define SAFETENSORS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                       \
  if (!tmp.ok()) return std::move(tmp).status();           \
  lhs = *std::move(tmp)

#endif  // SAFETENSORS_INTERNAL_STATUS_MACROS_H_
