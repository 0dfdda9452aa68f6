#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Builds the Bazel consumer in its own workspace (this directory), then checks
# what it prints and writes with ../check_consumer.sh.
#
# Usage: examples/consumers/bazel/run.sh [bazel build args, e.g. --disk_cache=DIR]
#
# Exits 0 when everything matches, 1 otherwise, and leaves no Bazel server
# running for this workspace.
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

# The build's output is shown only when it fails (the workspace's .bazelrc
# turns off the sandbox debugging Debian's system bazelrc turns on).
echo "=== bazel build //:consumer (in ${here})"
start=$(date +%s)
if ! bazel build "$@" //:consumer >"${work}/build.log" 2>&1; then
  tail -n 60 "${work}/build.log" >&2
  fail "bazel build //:consumer"
fi
echo "built in $(($(date +%s) - start))s"
consumer="${here}/bazel-bin/consumer"

"${repo}/examples/consumers/check_consumer.sh" "${consumer}" || fail "the consumer's output"

bazel shutdown >/dev/null 2>&1
echo "PASS: Bazel consumer"
