#!/usr/bin/env bash
# Installs every Debian package that building, testing, sanitizing, fuzzing and the
# big-endian (s390x) tests of this project need. Idempotent; run as root.
# Usage: ./setup.sh            (prints what it does; does nothing twice)
set -euo pipefail

say() { printf 'setup: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root (apt-get and dpkg need it)"; exit 2
fi

export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)

HOST_PKGS=(
  bazel-bootstrap        # Bazel 4.2.3: the only Bazel available offline
  pkg-config
  g++
  libabsl-dev libre2-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev llvm-14   # clang configs, sanitizers, libFuzzer, llvm-cov
  clang-format
  g++-s390x-linux-gnu qemu-user-static  # the big-endian cross build and its emulator
  binutils-s390x-linux-gnu
  python3
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

if ! dpkg --print-foreign-architectures | grep -qx s390x; then
  say "adding the s390x architecture to dpkg (for the cross libraries)"
  dpkg --add-architecture s390x
  updated=0
  update_once
fi

need=$(missing "${HOST_PKGS[@]}")
if [ -n "$need" ]; then
  update_once
  say "installing host packages: $(echo $need)"
  "${APT[@]}" install --no-install-recommends $need >/dev/null
fi

need=$(missing "${S390X_PKGS[@]}")
if [ -n "$need" ]; then
  update_once
  say "installing s390x libraries: $(echo $need)"
  "${APT[@]}" install --no-install-recommends $need >/dev/null
fi

say "ok: $(dpkg-query -W -f="bazel \${Version}" bazel-bootstrap), $(clang-14 --version | head -1), qemu $(qemu-s390x-static --version | head -1 | awk '{print $3}')"
