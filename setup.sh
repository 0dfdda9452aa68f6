#!/usr/bin/env bash
# Installs the Debian packages this project needs. Idempotent; run as root.
#
# Usage: ./setup.sh            everything CI needs: building and testing with
#                              Bazel and CMake, sanitizers, fuzzing, and the
#                              big-endian (s390x) tests, for which it adds the
#                              s390x architecture to dpkg
#        ./setup.sh --minimal  only what building and testing the library and
#                              the tool needs (gcc, Bazel, CMake, Abseil, RE2,
#                              GoogleTest, Benchmark, python3); no clang, qemu
#                              or cross compiler, no dpkg architecture change
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }

mode=full
case "${1:-}" in
  "") ;;
  --minimal) mode=minimal ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) say "unknown argument '$1' (use --minimal, or nothing for the full set)"; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root (apt-get and dpkg need it)"; exit 2
fi

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)

MINIMAL_PKGS=(
  bazel-bootstrap        # Bazel 4.2.3: the only Bazel available offline
  cmake make pkg-config
  g++
  libabsl-dev libre2-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3
  python3-dev pybind11-dev python3-numpy python3-pytest python3-venv  # python/
  python3-fsspec                   # python/: _safe_open_handle over fsspec files
  patchelf                         # python/: run paths of the libraries a wheel carries
)
FULL_PKGS=(
  clang-14 libclang-rt-14-dev llvm-14   # clang configs, sanitizers, libFuzzer, llvm-cov
  clang-format
  g++-s390x-linux-gnu qemu-user-static  # the big-endian cross build and its emulator
  binutils-s390x-linux-gnu
  python3-torch                         # the PyTorch half of python/ (large)
)
S390X_PKGS=(libgtest-dev:s390x libgmock-dev:s390x libabsl-dev:s390x libre2-dev:s390x
            libbenchmark-dev:s390x libubsan1:s390x)

missing() {  # prints the packages of "$@" that are not installed
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

updated=0
update_once() {
  if [ "$updated" -eq 0 ]; then
    say "apt-get update"; "${APT[@]}" update >/dev/null; updated=1
  fi
}

install_missing() {  # install_missing WHAT PACKAGE...
  local what=$1; shift
  local need
  need=$(missing "$@")
  if [ -n "$need" ]; then
    update_once
    say "installing $what: $(echo $need)"
    "${APT[@]}" install --no-install-recommends $need >/dev/null
  fi
}

say "mode: $mode"
host_pkgs=("${MINIMAL_PKGS[@]}")
if [ "$mode" = full ]; then
  host_pkgs+=("${FULL_PKGS[@]}")
  if dpkg --print-foreign-architectures | grep -qx s390x; then
    say "the s390x dpkg architecture is already added (full mode needs it for the cross libraries)"
  else
    say "adding the s390x architecture to dpkg (full mode: for the cross libraries)"
    dpkg --add-architecture s390x
    updated=0
  fi
fi

install_missing "host packages" "${host_pkgs[@]}"
if [ "$mode" = full ]; then
  install_missing "s390x libraries" "${S390X_PKGS[@]}"
fi

summary="$(dpkg-query -W -f="bazel \${Version}" bazel-bootstrap), $(cmake --version | head -1)"
summary+=", $(g++ --version | head -1)"
if [ "$mode" = full ]; then
  summary+=", $(clang-14 --version | head -1), qemu $(qemu-s390x-static --version | head -1 | awk '{print $3}')"
fi
say "ok ($mode): $summary"
