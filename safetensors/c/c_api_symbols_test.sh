#!/bin/bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# libsafetensors_c.so exports exactly the functions safetensors/c/safetensors.h
# declares: `nm -D --defined-only` must list every ST_API function of the
# header and no other symbol (the C++ library, Abseil and the C++ runtime's
# template instances stay local, by the version script).
set -euo pipefail
so="$1"
header="$2"
for f in so header; do
  if [ ! -f "${!f}" ]; then printf -v "$f" '%s' "${TEST_SRCDIR}/${TEST_WORKSPACE}/${!f}"; fi
done
machine=$(od -An -tx1 -j18 -N2 "$so" | tr -d ' \n')
case "$machine" in
  0016) nm=s390x-linux-gnu-nm ;;  # EM_S390, big-endian
  *) nm=nm ;;
esac
# The symbols the dynamic symbol table defines (name only, version dropped).
exported=$("$nm" -D --defined-only "$so" | awk '{print $NF}' | sed 's/@.*//' | sort -u)
# The functions the header declares: "ST_API <type> <name>(".
declared=$(sed -n 's/^ST_API [^(]*[ *]\(st_[a-z0-9_]*\)(.*/\1/p' "$header" | sort -u)
# The version node of the version script is an absolute symbol of its own.
exported=$(grep -v '^SAFETENSORS_C_1$' <<<"$exported" || true)
echo "exported: $(wc -l <<<"$exported") symbols; declared: $(wc -l <<<"$declared") functions"
status=0
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
if [ -n "$extra" ]; then
  echo "exported but not in the header:"; echo "$extra" | head -50; status=1
fi
if [ -n "$missing" ]; then
  echo "declared but not exported:"; echo "$missing"; status=1
fi
if [ "$(wc -l <<<"$declared")" -lt 30 ]; then
  echo "too few declarations found in $header: the pattern is broken"; status=1
fi
soname=$(objdump -p "$so" 2>/dev/null | awk '/SONAME/ {print $2}' || true)
if [ "$machine" != 0016 ] && [ "$soname" != "libsafetensors_c.so.1" ]; then
  echo "soname is '$soname', not libsafetensors_c.so.1"; status=1
fi
[ "$status" -eq 0 ] && echo "PASS: only the header's st_* functions are exported"
exit "$status"
