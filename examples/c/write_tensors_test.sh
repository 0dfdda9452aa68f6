#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# write_tensors_test.sh WRITE_TENSORS READ_TENSORS EXPECTED: examples/c's
# write_tensors writes a file (exit 0, "wrote PATH"), whose data section
# starts at a multiple of 64 bytes and which read_tensors prints as EXPECTED;
# into a missing directory it fails with the exact IoError line, exit 1.
set -uo pipefail
write=$1 read=$2 expected=$3
tmp=${TEST_TMPDIR:-$(mktemp -d)}
fail=0
# s390x binaries (ELF e_machine 22, --config=s390x) run through qemu-user.
runner() {
  if [ "$(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n')" = "0016" ]; then
    echo /usr/bin/qemu-s390x-static
  fi
}
w=($(runner "$write") "$write")
r=($(runner "$read") "$read")

out="$tmp/written.safetensors"
if [ "$("${w[@]}" "$out")" != "wrote $out" ]; then echo "write_tensors failed"; fail=1; fi
n=$(od -An -tu8 -N8 "$out" | tr -d ' ')
if [ $(( (8 + n) % 64 )) -ne 0 ]; then echo "data section at $((8 + n)), not 64-aligned"; fail=1; fi
"${r[@]}" "$out" >"$tmp/out" || { echo "read_tensors failed"; fail=1; }
if ! diff -u "$expected" "$tmp/out"; then echo "read back differs from $expected"; fail=1; fi

bad="$tmp/missing/written.safetensors"
"${w[@]}" "$bad" >/dev/null 2>"$tmp/err"
rc=$?
want="IoError: cannot write \"$bad\": directory $tmp/missing does not exist"
if [ "$rc" -ne 1 ]; then echo "exit $rc into a missing directory, expected 1"; fail=1; fi
if [ "$(cat "$tmp/err")" != "$want" ]; then
  echo "stderr:"; cat "$tmp/err"; echo "expected:"; echo "$want"; fail=1
fi

[ "$fail" -eq 0 ] && echo "write_tensors: ok"
exit "$fail"
