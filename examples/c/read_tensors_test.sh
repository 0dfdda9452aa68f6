#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# read_tensors_test.sh READ_TENSORS TINY EXPECTED: examples/c/read_tensors on
# examples/tiny.safetensors prints EXPECTED (README.md's output) and exits 0;
# on the same file cut to 100 bytes it prints the exact error line on stderr,
# nothing on stdout, and exits 1; without an argument it exits 2.
set -uo pipefail
bin=$1 tiny=$2 expected=$3
tmp=${TEST_TMPDIR:-$(mktemp -d)}
fail=0
# Under --config=s390x the program is an s390x binary (ELF e_machine 22,
# big-endian): run it through qemu-user, as toolchains/s390x/run_under.sh
# runs the tests themselves.
run=("$bin")
if [ "$(od -An -tx1 -j18 -N2 "$bin" | tr -d ' \n')" = "0016" ]; then
  run=(/usr/bin/qemu-s390x-static "$bin")
fi

"${run[@]}" "$tiny" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ]; then echo "exit $rc on $tiny"; cat "$tmp/err"; fail=1; fi
if ! diff -u "$expected" "$tmp/out"; then echo "output differs from $expected"; fail=1; fi
if [ -s "$tmp/err" ]; then echo "unexpected stderr:"; cat "$tmp/err"; fail=1; fi

bad="$tmp/truncated.safetensors"
head -c 100 "$tiny" >"$bad"
"${run[@]}" "$bad" >"$tmp/out" 2>"$tmp/err"
rc=$?
want="InvalidHeaderLength: $bad: invalid header length: N = 448 but only 92 bytes follow the length field; the header is cut short, so the file is truncated (356 bytes of the header missing); an incomplete download or a full disk?"
if [ "$rc" -ne 1 ]; then echo "exit $rc on the truncated file, expected 1"; fail=1; fi
if [ "$(cat "$tmp/err")" != "$want" ]; then
  echo "stderr on the truncated file:"; cat "$tmp/err"; echo "expected:"; echo "$want"; fail=1
fi
if [ -s "$tmp/out" ]; then echo "stdout on the truncated file:"; cat "$tmp/out"; fail=1; fi

"${run[@]}" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 2 ]; then echo "exit $rc without an argument, expected 2"; fail=1; fi

[ "$fail" -eq 0 ] && echo "read_tensors: ok"
exit "$fail"
