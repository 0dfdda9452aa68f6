#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""A deliberately broken reader adapter, for runner_test.py: model_adapter.py
except that it

  * names a wrong kind (NotAKind) for every n_offsets_ vector,
  * prints a wrong dump for y_dtype_f32 (its third line says ntensors 7),
  * aborts (SIGABRT, after a line on stderr) on n_json_trailing_comma_object.

  broken_adapter.py [--profile=strict|reference] FILE"""

import os
import sys

import model_adapter


def main(argv):
    path = argv[-1]
    vid = os.path.basename(path).rsplit(".", 1)[0]
    if vid.startswith("n_offsets_"):
        sys.stdout.write("reject\tNotAKind\n")
        return 1
    if vid == "n_json_trailing_comma_object":
        sys.stderr.write("broken_adapter: aborting on purpose on %s\n" % vid)
        sys.stderr.flush()
        os.abort()
    profile = "strict"
    for arg in argv[1:-1]:
        if arg.startswith("--profile="):
            profile = arg.split("=", 1)[1]
    status, out = model_adapter.read(path, profile)
    if vid == "y_dtype_f32":
        lines = out.split(b"\n")
        lines[2] = b"ntensors\t7"
        out = b"\n".join(lines)
    sys.stdout.buffer.write(out)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
