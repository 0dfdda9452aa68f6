#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Builds the Bazel consumer in its own workspace (this directory), runs it on
# examples/tiny.safetensors, and checks what it prints and writes.
#
# Usage: examples/consumers/bazel/run.sh [bazel build args, e.g. --disk_cache=DIR]
#
# The consumer runs in a fresh temporary directory with OUT given as the
# relative path out.safetensors, so its last line is the same on every machine
# (expected_output.txt). Exits 0 when everything matches, 1 otherwise, and
# leaves no Bazel server running for this workspace.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

fail() {
  echo "FAIL: $*" >&2
  (cd "${here}" && bazel shutdown >/dev/null 2>&1)
  exit 1
}

cd "${here}" || fail "cannot enter ${here}"

# Debian's system bazelrc turns sandbox debugging on, which is very verbose:
# the build's output is shown only when it fails.
echo "=== bazel build //:consumer (in ${here})"
start=$(date +%s)
if ! bazel build "$@" //:consumer >"${work}/build.log" 2>&1; then
  tail -n 60 "${work}/build.log" >&2
  fail "bazel build //:consumer"
fi
echo "built in $(($(date +%s) - start))s"
consumer="${here}/bazel-bin/consumer"

echo "=== consumer examples/tiny.safetensors out.safetensors"
mkdir "${work}/run"
(cd "${work}/run" && "${consumer}" "${repo}/examples/tiny.safetensors" out.safetensors) \
  >"${work}/stdout.txt" || fail "consumer exited $?"
if ! diff -u "${repo}/examples/consumers/expected_output.txt" "${work}/stdout.txt"; then
  fail "stdout differs from examples/consumers/expected_output.txt"
fi

# The written file must open: read it back as IN.
echo "=== consumer out.safetensors again.safetensors"
(cd "${work}/run" && "${consumer}" out.safetensors again.safetensors) \
  >"${work}/again.txt" || fail "consumer could not read back out.safetensors"
first="$(head -n 1 "${work}/again.txt")"
if [ "${first}" != "consumer.bias F32 [2] 8 bytes" ]; then
  fail "out.safetensors read back as '${first}'"
fi

bazel shutdown >/dev/null 2>&1
echo "PASS: Bazel consumer"
