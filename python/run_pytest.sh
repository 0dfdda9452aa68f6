#!/usr/bin/env bash
# Runs the Python package's pytest suite (python/tests) against the package
# as Bazel built it. $1: the interpreter (@system_python's, /usr/bin/python3).
# Under --config=asan the extension carries ASan and UBSan, which must be
# loaded before the interpreter starts, so they are preloaded.
set -euo pipefail
python=$1
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
export PYTHONPATH="${root}/python"
export PYTHONDONTWRITEBYTECODE=1
export SAFETENSORS_REPO="${root}"
export SAFETENSORS_TOOL="${root}/tools/safetensors"
so="${root}/python/safetensors/_core.so"
# ldd's output is read whole before it is searched: with pipefail,
# `ldd | grep -q` fails whenever grep exits before ldd has written everything
# (ldd then dies of SIGPIPE), which left the runtime unloaded in about one run
# in four and the import aborting.
libs=$(ldd "${so}" 2>/dev/null || true)
if [[ "${libs}" == *libasan* ]]; then
  # The very files the dynamic linker resolves for the extension, so that
  # the preloaded runtime is the one it links.
  preload=$(awk '/lib(asan|ubsan)\.so/ {print $3}' <<<"${libs}" | paste -sd:)
  export LD_PRELOAD="${preload}"
  # The interpreter's own allocations are not freed at exit by design.
  export ASAN_OPTIONS="${ASAN_OPTIONS:+${ASAN_OPTIONS}:}detect_leaks=0"
fi
cd "${TEST_TMPDIR}"
exec "${python}" -m pytest -q -rs -p no:cacheprovider "${root}/python/tests"
