#!/bin/bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Proves from the machine code that the byte-swap kernels are vector code:
# on an s390x build the portable kernel must use VPERM (z13 vector
# facility); on x86-64 the AVX2 kernel VPSHUFB on ymm registers and the
# AVX-512 kernel on zmm registers.
set -euo pipefail
bin="$1"
if [ ! -f "$bin" ]; then bin="${TEST_SRCDIR}/${TEST_WORKSPACE}/$1"; fi
machine=$(od -An -tx1 -j18 -N2 "$bin" | tr -d ' \n')
case "$machine" in
  0016)  # EM_S390, big-endian: bytes 00 16
    objdump=s390x-linux-gnu-objdump
    # Unoptimized builds keep Reverse<> out of line; optimized ones inline it.
    expect=("PortableSwap|Reverse<:vperm")
    ;;
  3e00)  # EM_X86_64, little-endian
    objdump=objdump
    expect=("Avx2Swap:vpshufb.*ymm" "Avx512Swap:vpshufb.*zmm" "Ssse3Swap:pshufb")
    ;;
  *)
    echo "unknown machine $machine; nothing to check"; exit 0 ;;
esac
disasm=$("$objdump" -d --no-show-raw-insn -C "$bin")
status=0
for pair in "${expect[@]}"; do
  fn=${pair%%:*}
  insn=${pair#*:}
  # The instructions of every function whose name matches the regex $fn.
  body=$(awk -v fn="$fn" '/^[0-9a-f]+ <.*>:$/ {inside = ($0 ~ fn)} inside' <<<"$disasm")
  count=$(grep -cE "$insn" <<<"$body" || true)
  echo "$fn: $count instructions matching '$insn'"
  if [ "$count" -eq 0 ]; then status=1; fi
done
exit $status
