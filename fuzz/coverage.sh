#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Source-based coverage of the library by the fuzz corpora: builds every fuzz
# target with clang's -fprofile-instr-generate -fcoverage-mapping and the
# replay driver (through fuzz/oss-fuzz/local_build.sh, no sanitizer), replays
# each target's corpus (its seed corpus as build.sh writes it: the
# conformance vectors, fuzz/regressions/<target>/ and fuzz/corpus/<target>/,
# plus EXTRA_CORPUS/<target>/ when set, e.g. a campaign's), and prints
# llvm-cov's line and branch coverage per library file. Exits non-zero when
# json, header, safetensors or slice is below MIN_LINES percent of lines
# (default 95).
#
#   fuzz/coverage.sh [DIR]     (default /tmp/fuzz-coverage; DIR/html too)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-/tmp/fuzz-coverage}
MIN_LINES=${MIN_LINES:-95}
LLVM_PROFDATA=${LLVM_PROFDATA:-llvm-profdata-14}
LLVM_COV=${LLVM_COV:-llvm-cov-14}
rm -rf "$DIR"
mkdir -p "$DIR"/{prof,seeds}

# -DNDEBUG: clang 14 counts the line after an assert() as never run (the
# region after the noreturn __assert_fail gets a zero counter), which would
# misreport executed lines such as slice.cc's CopySlice body.
SANITIZER=none ENGINE=replay \
  EXTRA_CFLAGS="-fprofile-instr-generate -fcoverage-mapping -DNDEBUG" \
  "$ROOT/fuzz/oss-fuzz/local_build.sh" "$DIR/bin" >"$DIR/build.log" 2>&1 ||
  { tail -30 "$DIR/build.log"; exit 1; }

objects=()
for src in "$ROOT"/fuzz/*_fuzzer.c "$ROOT"/fuzz/*_fuzzer.cc; do
  t=$(basename "${src%.c*}")
  mkdir -p "$DIR/seeds/$t"
  (cd "$DIR/seeds/$t" && unzip -q "$DIR/bin/${t}_seed_corpus.zip")
  inputs=("$DIR/seeds/$t")
  if [ -n "${EXTRA_CORPUS:-}" ] && [ -d "$EXTRA_CORPUS/$t" ]; then
    inputs+=("$EXTRA_CORPUS/$t")
  fi
  LLVM_PROFILE_FILE="$DIR/prof/$t.profraw" "$DIR/bin/$t" "${inputs[@]}" |
    sed "s/^/$t: /"
  objects+=(-object "$DIR/bin/$t")
done
"$LLVM_PROFDATA" merge -sparse "$DIR"/prof/*.profraw -o "$DIR/merged.profdata"

cd "$ROOT"
lib=(safetensors/*.cc)
lib=("${lib[@]/*_test.cc/}")
"$LLVM_COV" report -instr-profile="$DIR/merged.profdata" "${objects[@]:1}" \
  -show-branch-summary ${lib[@]} | tee "$DIR/report.txt"
"$LLVM_COV" show -format=html -output-dir="$DIR/html" \
  -instr-profile="$DIR/merged.profdata" "${objects[@]:1}" ${lib[@]} >/dev/null

# Each target alone: line coverage of the main library files by its corpus.
files="json header safetensors slice dump writer byteswap byteswap_x86"
printf '%-18s' "lines by target"; for f in $files; do printf ' %9s' "$f"; done; echo
for src in "$ROOT"/fuzz/*_fuzzer.c "$ROOT"/fuzz/*_fuzzer.cc; do
  t=$(basename "${src%.c*}")
  "$LLVM_PROFDATA" merge -sparse "$DIR/prof/$t.profraw" -o "$DIR/prof/$t.profdata"
  "$LLVM_COV" report -instr-profile="$DIR/prof/$t.profdata" "$DIR/bin/$t" \
    ${lib[@]} 2>/dev/null >"$DIR/prof/$t.txt"
  printf '%-18s' "$t"
  for f in $files; do
    printf ' %9s' "$(awk -v f="$f.cc" '$1 == f || $1 == "safetensors/" f {print $10}' \
                      "$DIR/prof/$t.txt")"
  done
  echo
done

# Lines column: Filename Regions Missed Cover Functions Missed Executed
# Lines Missed Cover Branches Missed Cover
status=0
for f in json header safetensors slice; do
  cover=$(awk -v f="$f.cc" '$1 == f || $1 == "safetensors/" f {print $10}' \
            "$DIR/report.txt")
  cover=${cover%\%}
  if awk -v c="${cover:-0}" -v m="$MIN_LINES" 'BEGIN {exit !(c >= m)}'; then
    echo "coverage: $f.cc lines ${cover}% (>= ${MIN_LINES}%)"
  else
    echo "coverage: $f.cc lines ${cover:-?}% BELOW ${MIN_LINES}%"; status=1
  fi
done
echo "coverage: report $DIR/report.txt, html $DIR/html/index.html"
exit $status
