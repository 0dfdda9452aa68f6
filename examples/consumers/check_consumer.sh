#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Runs a built consumer program the way CI checks every consumer build:
#   check_consumer.sh CONSUMER_BINARY
# In a fresh temporary directory it runs `CONSUMER examples/tiny.safetensors
# out.safetensors`, compares the output with expected_output.txt, then reads
# the file it wrote with the consumer again. Exit 0 when both match.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

if ! "$binary" "$root/examples/tiny.safetensors" out.safetensors > first.txt; then
  echo "check_consumer: $1 failed on examples/tiny.safetensors" >&2; exit 1
fi
if ! diff -u "$here/expected_output.txt" first.txt >&2; then
  echo "check_consumer: $1 printed something else than expected_output.txt (diff above)" >&2; exit 1
fi
if ! "$binary" out.safetensors again.safetensors > second.txt; then
  echo "check_consumer: $1 could not read the file it wrote" >&2; exit 1
fi
if [ "$(head -1 second.txt)" != "consumer.bias F32 [2] 8 bytes" ]; then
  echo "check_consumer: the written file holds something else:" >&2; cat second.txt >&2; exit 1
fi
echo "check_consumer: $(basename "$(dirname "$binary")")/$(basename "$binary") ok"
