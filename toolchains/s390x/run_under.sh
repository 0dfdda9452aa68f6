#!/bin/bash
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
# Runs "$@" through qemu-s390x-static when $1 is an ELF binary (built for
# s390x by --config=s390x), and directly otherwise (test scripts).
magic=$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')
if [ "$magic" = "7f454c46" ]; then
  exec /usr/bin/qemu-s390x-static "$@"
fi
exec "$@"
