// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// How the tool reports: stdout writes that notice a failing stdout, error
// and usage messages on stderr, and the exit codes, with ExitCodeFor the
// one place that maps a status to one. Writes to the process's stdout and
// stderr; one command per process, on one thread.

#ifndef SAFETENSORS_TOOLS_OUTPUT_H_
#define SAFETENSORS_TOOLS_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace safetensors {
namespace tool {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;  // also: diff found differences
inline constexpr int kExitUsage = 2;    // also I/O errors

inline constexpr char kProgram[] = "safetensors";

// The exit code for `status`: kExitOk when it is OK; kExitUsage for an
// IoError and for an error without an error kind (not the input's fault
// that we can name); kExitInvalid for any other error kind (the input is
// invalid).
int ExitCodeFor(const absl::Status& status);

// Writes all of `text` to stdout. Returns false (and says so on stderr) when
// stdout fails, e.g. a full disk: a truncated output must not exit 0.
bool Print(absl::string_view text);

// Flushes stdout; false (said on stderr) when that fails.
bool FlushStdout();

// Print and FlushStdout: returns `exit_code`, or kExitUsage when stdout
// failed.
int PrintAll(absl::string_view text, int exit_code = kExitOk);

// "safetensors COMMAND: MESSAGE" on stderr.
void Error(absl::string_view command, absl::string_view message);

// Error, then how to get help; returns kExitUsage. An empty `command` is the
// tool itself.
int UsageError(absl::string_view command, absl::string_view message);

// Reports a failure on stderr (Error) and returns ExitCodeFor(status).
int Failed(absl::string_view command, const absl::Status& status);

// A message made safe for one TAB-separated line: bytes below 0x20 and DEL
// become \xNN. Non-ASCII bytes (names in UTF-8) are left alone. Not quoting
// (internal::json::Quoted): no quotes are added, a message is not one name.
std::string OneLine(absl::string_view message);

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_OUTPUT_H_
