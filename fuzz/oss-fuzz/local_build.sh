#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Runs fuzz/oss-fuzz/build.sh here, with the variables OSS-Fuzz's
# base-builder sets for a libFuzzer build (clang 14 instead of OSS-Fuzz's
# clang, Debian's Abseil through pkg-config instead of $SRC/abseil-cpp),
# then checks what OSS-Fuzz's check_build would look for: every target is
# in $OUT, runs, and has its seed corpus, options and dictionary.
#
#   fuzz/oss-fuzz/local_build.sh [OUT_DIR]        (default /tmp/oss-fuzz-out)
#   SANITIZER=address|undefined|address,undefined  (default address)
#   ENGINE=libfuzzer|replay    replay links fuzz/replay_main.cc instead
#   EXTRA_CFLAGS=...           added to CFLAGS/CXXFLAGS (fuzz/coverage.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export OUT=${1:-/tmp/oss-fuzz-out}
export WORK=${WORK:-$(mktemp -d /tmp/oss-fuzz-work.XXXXXX)}
export SRC=$WORK/src
export SAFETENSORS_SRC=$ROOT
export CC=${CC:-clang-14} CXX=${CXX:-clang++-14}
SANITIZER=${SANITIZER:-address}
ENGINE=${ENGINE:-libfuzzer}
mkdir -p "$OUT" "$SRC"

# As OSS-Fuzz's base-builder: -O1 -fno-omit-frame-pointer -gline-tables-only,
# the sanitizer's flags, -fsanitize=fuzzer-no-link; LIB_FUZZING_ENGINE links
# libFuzzer's main.
flags="-O1 -fno-omit-frame-pointer -gline-tables-only"
case "$SANITIZER" in
  address) flags+=" -fsanitize=address -fsanitize-address-use-after-scope" ;;
  undefined) flags+=" -fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr -fno-sanitize-recover=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr" ;;
  address,undefined) flags+=" -fsanitize=address,undefined -fsanitize-address-use-after-scope -fno-sanitize-recover=all" ;;
  none) ;;
  *) echo "unknown SANITIZER=$SANITIZER" >&2; exit 2 ;;
esac
if [ "$ENGINE" = libfuzzer ]; then
  flags+=" -fsanitize=fuzzer-no-link"
  export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
else
  mkdir -p "$WORK/engine"
  $CXX -O1 -c "$ROOT/fuzz/replay_main.cc" -o "$WORK/engine/replay_main.o"
  export LIB_FUZZING_ENGINE="$WORK/engine/replay_main.o"
fi
flags+=" ${EXTRA_CFLAGS:-}"
export CFLAGS="$flags" CXXFLAGS="$flags"
# Bazel links with clang; here $CXX links, but UBSan's C++ parts still need it.
case "$SANITIZER" in *undefined*) export CXXFLAGS+=" -fsanitize-link-c++-runtime" ;; esac
export FUZZING_ENGINE=$ENGINE SANITIZER ARCHITECTURE=x86_64 FUZZING_LANGUAGE=c++

echo "local_build: SANITIZER=$SANITIZER ENGINE=$ENGINE OUT=$OUT WORK=$WORK"
bash -eu "$ROOT/fuzz/oss-fuzz/build.sh"

# What check_build looks for.
status=0
for src in "$ROOT"/fuzz/*_fuzzer.c "$ROOT"/fuzz/*_fuzzer.cc; do
  t=$(basename "${src%.c*}")
  for f in "$t" "${t}_seed_corpus.zip" "$t.options"; do
    [ -e "$OUT/$f" ] || { echo "local_build: missing $OUT/$f"; status=1; }
  done
  if [ "$ENGINE" = libfuzzer ]; then
    if ! "$OUT/$t" -runs=256 -seed=1 -artifact_prefix="$WORK/" \
           >"$WORK/$t.check.log" 2>&1; then
      echo "local_build: $t fails a short run:"; tail -20 "$WORK/$t.check.log"; status=1
    fi
  fi
  echo "local_build: $t $(stat -c %s "$OUT/$t") bytes, $(unzip -l "$OUT/${t}_seed_corpus.zip" | tail -1 | awk '{print $2}') seeds"
done
exit $status
