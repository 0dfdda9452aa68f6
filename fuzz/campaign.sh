#!/usr/bin/env bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# A fuzzing campaign: builds every target with fuzz/oss-fuzz/local_build.sh
# (libFuzzer, ASan + UBSan), then runs each for SECONDS seconds, JOBS at a
# time, each from its seed corpus into DIR/corpus/<target>, and prints per
# target: executions, exec/s, corpus size, coverage (libFuzzer's cov/ft) and
# crashes (DIR/artifacts/<target>/). Minimize a corpus afterwards with
#   DIR/bin/<t> -merge=1 NEW_DIR DIR/corpus/<t>
#
#   fuzz/campaign.sh [DIR] [SECONDS] [JOBS] [TARGET...]
#   (defaults: /tmp/fuzz-campaign, 600, 2, every target)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-/tmp/fuzz-campaign}
SECS=${2:-600}
JOBS=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for src in "$ROOT"/fuzz/*_fuzzer.c "$ROOT"/fuzz/*_fuzzer.cc; do TARGETS+=("$(basename "${src%.c*}")"); done
fi
mkdir -p "$DIR"/{corpus,artifacts,logs}
if [ -z "${NO_BUILD:-}" ]; then
  SANITIZER=address,undefined "$ROOT/fuzz/oss-fuzz/local_build.sh" "$DIR/bin" >"$DIR/logs/build.log" 2>&1 ||
    { tail -30 "$DIR/logs/build.log"; exit 1; }
fi

run_one() {
  local t=$1 opts=()
  mkdir -p "$DIR/corpus/$t" "$DIR/artifacts/$t"
  (cd "$DIR/corpus/$t" && unzip -q -n "$DIR/bin/${t}_seed_corpus.zip")
  [ -f "$DIR/bin/$t.dict" ] && opts+=("-dict=$DIR/bin/$t.dict")
  local max_len
  max_len=$(sed -n 's/^max_len = //p' "$DIR/bin/$t.options")
  [ -n "$max_len" ] && opts+=("-max_len=$max_len")
  "$DIR/bin/$t" "${opts[@]}" -max_total_time="$SECS" -print_final_stats=1 \
    -artifact_prefix="$DIR/artifacts/$t/" -rss_limit_mb=2048 \
    "$DIR/corpus/$t" >"$DIR/logs/$t.log" 2>&1
  echo "campaign: $t exited $?"
}

running=0
for t in "${TARGETS[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '%-18s %12s %8s %8s %10s %8s %s\n' target executions exec/s corpus cov ft crashes
for t in "${TARGETS[@]}"; do
  log="$DIR/logs/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  printf '%-18s %12s %8s %8s %10s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" \
    "$(ls "$DIR/corpus/$t" | wc -l)" "${cov:-?}" "${ft:-?}" \
    "$(ls "$DIR/artifacts/$t" | wc -l)"
done
